"""The Textual application: it owns navigation and saving; screens ask by posting messages."""

from __future__ import annotations

import argparse
import threading
from collections.abc import Iterable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme

from brinkmanship.format.errors import BrinkError
from brinkmanship.format.textsafe import inert
from brinkmanship.frontends.tui import messages as msg
from brinkmanship.frontends.tui.context import Context
from brinkmanship.frontends.tui.safe import shown
from brinkmanship.runtime import settings, store
from brinkmanship.runtime.atomic import write_atomic
from brinkmanship.runtime.settings import Settings
from brinkmanship.runtime.store import SaveStore

if TYPE_CHECKING:  # the engine and the save format load with the first game, not the menu
    from brinkmanship.runtime.savefile import SaveFile
    from brinkmanship.runtime.session import Session

THEME_1962 = Theme(
    name="brinkmanship-1962",
    primary="#D4A94F",  # brass
    secondary="#8FA06A",  # olive drab
    accent="#E0B96A",
    warning="#E39A3B",
    error="#D2543F",  # signal red
    success="#7FA65A",
    foreground="#E8E0C8",  # teletype paper
    background="#15160F",
    surface="#1E2017",
    panel="#2B2D21",
    dark=True,
)


class BrinkApp(App[int]):
    """Brinkmanship in the terminal. The screens drive the same Session as plain mode."""

    TITLE = "Brinkmanship"
    CSS_PATH = "brinkmanship.tcss"  # the first screen's rules; the rest: MORE_CSS
    MORE_CSS = Path(__file__).with_name("screens.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True, show=True)
    ]
    # Textual declares these as instance attributes, so they cannot be ClassVars here.
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012
        (0, "-narrow"),
        (100, "-wide"),
        (140, "-very-wide"),
    ]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]  # noqa: RUF012

    def __init__(
        self,
        directory: Path,
        *,
        session: Session | None = None,
        scenario_path: str | None = None,
        role: str | None = None,
        resume: SaveFile | None = None,
        replay: SaveFile | None = None,
        watch: bool = False,
        seed: int | None = None,
        scenarios: list[Path] | None = None,
        data_dir: Path | None = None,
        replay_scenario: str | None = None,
        screenshots: Path | None = None,
        config_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.ctx = Context(
            SaveStore(directory),
            data_dir if data_dir is not None else store.data_dir(),
            watch,
            scenarios,
        )
        self.start_session, self.start_scenario, self.start_replay = session, scenario_path, replay
        self.start_seed, self.start_role, self.start_resume = seed, role, resume
        self.start_error: BrinkError | None = None  # set on leaving: see exit()
        # `replay --scenario` or `play --load SAVE SCENARIO`: that save against this one
        self.replay_scenario = replay_scenario
        self._save_lock = threading.Lock()
        self._save_seq = 0
        self._saved_seq: dict[Path, int] = {}
        self.screenshots = screenshots if screenshots is not None else directory / "screenshots"
        self.config_dir = config_dir if config_dir is not None else store.config_dir(data_dir)
        self.register_theme(THEME_1962)
        self.ctx.settings, self._settings_warning = settings.load(self.config_dir)
        self.apply_settings(self.ctx.settings)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Notifications often quote scenario or save text: never treat them as markup."""
        super().notify(
            inert(message), title=inert(title), severity=severity, timeout=timeout, markup=False
        )

    # -- start-up and navigation ----------------------------------------------

    # -- settings -------------------------------------------------------------

    def apply_settings(self, s: Settings) -> None:
        self.ctx.settings = s
        self.theme = s.theme if s.theme in self.available_themes else THEME_1962.name
        self.animation_level = "none" if s.reduced_motion else "full"
        self.ctx.saves.keep = s.keep_autosaves

    def refresh_css(self, animate: bool = True) -> None:
        """Restyle everything; before the first screen exists, only take the theme's colours.

        The theme chosen at start-up (in ``__init__``) asks for a refresh; nothing has been
        styled yet then, and the stylesheet is parsed once, with these colours, for the
        first screen. A full refresh there would parse it twice (benchmarks/bench_start.py).
        """
        if not self.screen_stack:
            self.stylesheet.set_variables(self.get_css_variables())
            return
        super().refresh_css(animate)

    def _theme_changed(self, theme: Theme) -> None:
        """A theme picked anywhere (the palette too) is remembered."""
        if theme.name != self.ctx.settings.theme:
            self._save_settings(replace(self.ctx.settings, theme=theme.name), quiet=True)

    def _save_settings(self, s: Settings, quiet: bool = False) -> None:
        self.ctx.settings = s
        try:
            path = settings.save(self.config_dir, s)
        except OSError as exc:
            self.notify(f"{exc.strerror or exc}", title="Settings not saved", severity="error")
            return
        if not quiet:
            # served, the path is on the server: say only that it is done
            shown = "Kept for your next game." if self.is_web else str(path)
            self.notify(shown, title="Settings saved", timeout=4)

    @on(msg.OpenSettings)
    def open_settings(self) -> None:
        from brinkmanship.frontends.tui.screens.dialogs import SettingsDialog

        def done(s: Settings | None) -> None:
            if s is None:
                return
            self.apply_settings(s)
            self._save_settings(s)
            self.screen.refresh(layout=True)
            refresh = getattr(self.screen, "refresh_view", None)
            if callable(refresh):
                refresh()

        themes = sorted(self.available_themes, key=lambda t: (t != THEME_1962.name, t))
        self.push_screen(SettingsDialog(self.ctx.settings, themes), done)

    def get_default_screen(self) -> Screen[Any]:
        """The main menu is the bottom of the stack (not pushed over an empty screen, which
        would be composed, styled and drawn first for nothing); straight into a scenario,
        the screen that loads it is (the menu is made when it is asked for)."""
        if self.start_session is None and (self.start_scenario or self.start_resume):
            from brinkmanship.frontends.tui.screens.start import GameLoading

            override, self.replay_scenario = self.replay_scenario, None  # for this save only
            return GameLoading(
                self.ctx,
                self.start_scenario or "",
                self.start_role,
                self.start_seed,
                save=self.start_resume,
                scenario=override if self.start_resume else None,
            )
        from brinkmanship.frontends.tui.screens.menu import MainMenu

        return MainMenu(self.ctx)

    def exit(self, result: int | None = None, return_code: int = 0, message: Any = None) -> None:
        """Leaving while the game named on the command line cannot start keeps the reason
        (run_app raises it, and the command line reports it as it would have before)."""
        screen = self.screen_stack[-1] if self.screen_stack else None
        self.start_error = getattr(screen, "start_error", None)
        super().exit(result, return_code, message)

    def more_css(self) -> None:
        """Read the stylesheet of the screens beyond the first (once): after the first
        frame, or before another screen is shown if that comes first. Only that file is
        parsed (Textual keeps what it parsed of the others); nothing already on the
        screen is styled by it, so nothing needs restyling."""
        sheet = self.stylesheet
        if sheet.has_source(str(self.MORE_CSS)):
            return
        sheet.read(self.MORE_CSS)
        sheet.parse()
        if self.css_monitor is not None:  # `textual run --dev`: reloaded when edited too
            self.css_monitor.add_paths([self.MORE_CSS])

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:
        self.more_css()
        return super().push_screen(*args, **kwargs)

    def switch_screen(self, screen: Screen[Any] | str) -> Any:
        self.more_css()
        return super().switch_screen(screen)

    def on_mount(self) -> None:
        self.call_after_refresh(self.more_css)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self._settings_warning:
            self.notify(self._settings_warning, title="Settings", severity="warning")

        if self.start_session is not None:
            self.autosave(self.start_session)
            self.show_game(self.start_session)
        elif self.start_replay is not None:
            self.open_replay(msg.OpenReplay(save=self.start_replay))

    def _to_menu(self) -> None:
        from brinkmanship.frontends.tui.screens.menu import MainMenu

        while len(self.screen_stack) > 1 and not isinstance(self.screen, MainMenu):
            self.pop_screen()
        if not isinstance(self.screen, MainMenu):  # started straight into a game
            self.push_screen(MainMenu(self.ctx))

    def go(self, screen: Screen[Any]) -> None:
        """Show ``screen`` directly above the main menu (closing games, endings, replays).

        The screen above the menu is replaced, not popped first: uncovering the menu only
        to cover it again would wake it (it looks for the latest autosave each time it is
        shown) and flash it on the way from one screen to the next. Started straight into
        a game, there is no menu yet (it is made when asked for): the screen that loaded the
        game stays at the bottom, out of sight, and the game goes above it.
        """
        from brinkmanship.frontends.tui.screens.menu import MainMenu

        stack = self.screen_stack
        menu = next((i for i, s in enumerate(stack) if isinstance(s, MainMenu)), 0)
        if len(stack) <= menu + 1:
            self.push_screen(screen)
            return
        while len(self.screen_stack) > menu + 2:
            self.pop_screen()
        self.switch_screen(screen)

    @on(msg.ToMenu)
    def action_menu(self) -> None:
        self._to_menu()

    def show_game(self, session: Session, note: str = "", autosave: bool = False) -> None:
        from brinkmanship.frontends.tui.screens.ending import EndingScreen
        from brinkmanship.frontends.tui.screens.game import GameScreen

        over = session.over
        screen: Screen[None] = (EndingScreen if over else GameScreen)(session, self.ctx)
        self.go(screen)
        if autosave:  # after its first frame (the first autosave imports the save format)
            screen.call_after_refresh(self.autosave, session)
        if note:
            self.notify(note, title="Saved game", severity="warning", timeout=8)

    @on(msg.ShowGame)
    def _show_game(self, message: msg.ShowGame) -> None:
        self.show_game(message.session, message.note, message.autosave)

    @on(msg.NewGame)
    def new_game(self, message: msg.NewGame) -> None:
        from brinkmanship.frontends.tui.screens.newgame import NewGameScreen

        self.go(
            NewGameScreen(
                self.ctx,
                message.scenario_path,
                seed=message.seed,
                skip_role=message.role,
                scenario=message.scenario,
            )
        )

    @on(msg.OpenReplay)
    def open_replay(self, message: msg.OpenReplay) -> None:
        from brinkmanship.frontends.tui.screens.replay import ReplayLoading, ReplayScreen

        if message.session is not None:
            self.go(ReplayScreen(message.session, self.ctx, message.name, message.note))
        elif message.save is not None:
            self.go(ReplayLoading(message.save, self.replay_scenario))
            self.replay_scenario = None  # only for the save named on the command line

    @on(msg.OpenGallery)
    def open_gallery(self) -> None:
        from brinkmanship.frontends.tui.screens.gallery import GalleryScreen

        self.go(GalleryScreen(self.ctx))

    @on(msg.LoadSave)
    def load_path(self, message: msg.LoadSave) -> None:
        """Open a save file (off the UI thread): as a game, or in the replay viewer."""
        from brinkmanship.runtime.savefile import read

        try:
            save = read(message.path)
        except BrinkError as exc:
            self.notify(str(exc), title="Cannot open this save", severity="error")
            return
        if message.replay:
            self.open_replay(msg.OpenReplay(save=save))
            return
        self.notify(f"Opening {shown(save)}…", timeout=2)
        self.run_worker(partial(self._load_save, save), thread=True, group="load", exclusive=True)

    def _load_save(self, save: SaveFile) -> None:
        from brinkmanship.runtime.resume import resume, scenario_for  # only to load a game

        try:
            result = resume(save, scenario_for(save))
        except BrinkError as exc:
            self.call_from_thread(
                self.notify, str(exc), title="Cannot load this save", severity="error"
            )
            return
        note = ""
        if not result.ok:
            note = f"{result.summary()}\nContinuing from turn {result.session.turn + 1}."
        elif result.scenario_changed:
            note = "The scenario has changed since this game was saved; it still replays."
        self.call_from_thread(self.show_game, result.session, note)

    # -- saving -------------------------------------------------------------

    def autosave(self, session: Session) -> None:
        path, text = self.ctx.saves.autosave_text(session)
        self.post_message(msg.Autosave(path, text))

    @on(msg.Autosave)
    def _autosave(self, message: msg.Autosave) -> None:
        """Write an autosave in the background; a newer autosave of a game always wins."""
        self._save_seq += 1
        self.run_worker(
            partial(self._write_autosave, message.path, message.text, self._save_seq),
            thread=True,
            group="autosave",
        )

    def _write_autosave(self, path: Path, text: str, seq: int) -> None:
        with self._save_lock:
            if self._saved_seq.get(path, 0) > seq:
                return
            try:
                write_atomic(path, text)
                self.ctx.saves.prune(keep_path=path)
            except OSError as exc:
                self.call_from_thread(
                    self.notify,
                    f"{exc.strerror}: {path}",
                    title="Autosave failed",
                    severity="error",
                )
                return
            self._saved_seq[path] = seq

    # -- screenshots ----------------------------------------------------------

    def deliver_screenshot(
        self,
        filename: str | None = None,
        path: str | None = None,
        time_format: str | None = None,
    ) -> str | None:
        """Save an SVG of the screen in the screenshots folder (made if need be) and say where.

        Served to a browser, the SVG is sent to the browser as a download instead: the
        player's folders are on the server, where they cannot open them."""
        if self.is_web:
            self.notify("The screenshot is on its way to your browser.", title="Screenshot")
            return super().deliver_screenshot(filename, None, time_format)
        folder = Path(path) if path else self.screenshots
        try:
            folder.mkdir(parents=True, exist_ok=True)
            saved = self.save_screenshot(filename, str(folder), time_format)
        except OSError as exc:
            self.notify(f"{exc.strerror or exc}: {folder}", title="No screenshot", severity="error")
            return None
        self.notify(saved, title="Screenshot saved", timeout=6)
        return None

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        self.deliver_screenshot(filename, path)

    # -- command palette ------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            yield from commands()
        yield SystemCommand(
            "New game", "Pick a scenario and a role", lambda: self.new_game(msg.NewGame())
        )
        yield SystemCommand("Main menu", "Back to the main menu", self.action_menu)
        yield SystemCommand("Endings", "The endings you have found", self.open_gallery)
        yield SystemCommand(
            "Settings", "Theme, reduced motion, autosaves kept, stance tags", self.open_settings
        )
        yield SystemCommand(
            "Theme: 1962",
            "The default dark theme",
            partial(setattr, self, "theme", THEME_1962.name),
        )
        yield from super().get_system_commands(screen)


def run_app(
    args: argparse.Namespace,
    *,
    directory: Path,
    session: Session | None = None,
    scenario_path: str | None = None,
    role: str | None = None,
    resume: SaveFile | None = None,
    replay: SaveFile | None = None,
) -> int:
    """Run the full-screen game (called by the command line). Quit while the scenario it
    was to start cannot load, that load error is raised (the command line reports it)."""
    app = BrinkApp(
        directory,
        session=session,
        scenario_path=scenario_path,
        role=role,
        resume=resume,
        replay=replay,
        watch=bool(getattr(args, "watch", False)),
        seed=getattr(args, "seed", None),
        replay_scenario=getattr(args, "scenario", None) if replay or resume else None,
        data_dir=store.data_dir(getattr(args, "data_dir", None)),
        screenshots=Path(args.screenshots) if getattr(args, "screenshots", None) else None,
    )
    result = app.run()
    if app.start_error is not None:
        raise app.start_error
    return result if isinstance(result, int) else (app.return_code or 0)
