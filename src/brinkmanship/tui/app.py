"""The Textual application: screens, themes, command palette, saving in the background."""

from __future__ import annotations

import argparse
import threading
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme

from brinkmanship import catalog, saves
from brinkmanship.atomic import write_atomic
from brinkmanship.engine import Game
from brinkmanship.errors import BrinkError
from brinkmanship.textsafe import inert

THEME_1962 = Theme(
    name="brinkmanship-1962",
    primary="#D4A94F",     # brass
    secondary="#8FA06A",   # olive drab
    accent="#E0B96A",
    warning="#E39A3B",
    error="#D2543F",       # signal red
    success="#7FA65A",
    foreground="#E8E0C8",  # teletype paper
    background="#15160F",
    surface="#1E2017",
    panel="#2B2D21",
    dark=True,
)


class BrinkApp(App[int]):
    """Brinkmanship in the terminal. The screens drive the same engine as plain mode."""

    TITLE = "Brinkmanship"
    CSS_PATH = "brinkmanship.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True, show=True)]
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [
        (0, "-narrow"), (100, "-wide"), (140, "-very-wide")]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-short"), (30, "-tall")]

    def __init__(self, directory: Path, *, game: Game | None = None,
                 scenario_path: str | None = None, replay: saves.SaveData | None = None,
                 watch: bool = False, seed: int | None = None,
                 scenarios: list[Path] | None = None, data_dir: Path | None = None,
                 replay_scenario: str | None = None) -> None:
        super().__init__()
        self.directory = directory
        self.data_dir = data_dir if data_dir is not None else saves.data_dir()
        self.start_game, self.start_scenario, self.start_replay = game, scenario_path, replay
        self.watch_files, self.start_seed = watch, seed
        self.scenario_paths = scenarios
        self.replay_scenario = replay_scenario  # `replay --scenario`: replay against this one
        self._save_lock = threading.Lock()
        self._save_seq = 0
        self._saved_seq: dict[Path, int] = {}
        self.register_theme(THEME_1962)
        self.theme = THEME_1962.name

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Notifications often quote scenario or save text: never treat them as markup."""
        super().notify(inert(message), title=inert(title), severity=severity, timeout=timeout,
                       markup=False)

    # -- start-up and navigation ----------------------------------------------

    def on_mount(self) -> None:
        from brinkmanship.tui.screens.menu import MainMenu

        self.push_screen(MainMenu())
        if self.start_game is not None:
            self.show_game(self.start_game, watch=self.watch_files)
        elif self.start_scenario is not None:
            self.new_game(self.start_scenario, seed=self.start_seed)
        elif self.start_replay is not None:
            self.open_replay(self.start_replay)

    def entries(self) -> list[catalog.Entry]:
        """The scenarios offered for a new game (the bundled ones unless told otherwise)."""
        if self.scenario_paths is None:
            return catalog.bundled()
        out = []
        for p in self.scenario_paths:
            e = catalog._entry(p, p.stat().st_mtime)
            if e is not None:
                out.append(e)
        return out

    def _to_menu(self) -> None:
        from brinkmanship.tui.screens.menu import MainMenu

        while len(self.screen_stack) > 1 and not isinstance(self.screen, MainMenu):
            self.pop_screen()

    def go(self, screen: Screen[Any]) -> None:
        """Show ``screen`` directly above the main menu (closing games, endings, replays)."""
        self._to_menu()
        self.push_screen(screen)

    def action_menu(self) -> None:
        self._to_menu()

    def show_game(self, game: Game, note: str = "", watch: bool = False) -> None:
        from brinkmanship.tui.screens.ending import EndingScreen
        from brinkmanship.tui.screens.game import GameScreen

        if game.state.over:
            self.go(EndingScreen(game, watch=watch))
        else:
            self.go(GameScreen(game, watch=watch))
        if note:
            self.notify(note, title="Saved game", severity="warning", timeout=8)

    def new_game(self, scenario_path: str | None = None, seed: int | None = None,
                 role: str | None = None) -> None:
        from brinkmanship.tui.screens.newgame import NewGameScreen

        self.go(NewGameScreen(scenario_path, seed=seed, skip_role=role))

    def open_replay(self, save: saves.SaveData | Game) -> None:
        from brinkmanship.tui.screens.replay import ReplayLoading, ReplayScreen

        if isinstance(save, Game):
            self.go(ReplayScreen(save))
        else:
            self.go(ReplayLoading(save, self.replay_scenario))
            self.replay_scenario = None  # only for the save named on the command line

    def open_gallery(self) -> None:
        from brinkmanship.tui.screens.gallery import GalleryScreen

        self.go(GalleryScreen())

    def load_path(self, path: Path, replay: bool = False) -> None:
        """Open a save file (off the UI thread): as a game, or in the replay viewer."""
        try:
            save = saves.read_save(path)
        except BrinkError as exc:
            self.notify(str(exc), title="Cannot open this save", severity="error")
            return
        if replay:
            self.open_replay(save)
            return
        self.notify(f"Opening {save.name}…", timeout=2)
        self.run_worker(partial(self._load_save, save), thread=True, group="load",
                        exclusive=True)

    def _load_save(self, save: saves.SaveData) -> None:
        try:
            result = saves.replay(save, saves.scenario_for(save))
        except BrinkError as exc:
            self.call_from_thread(self.notify, str(exc), title="Cannot load this save",
                                  severity="error")
            return
        note = ""
        if not result.ok:
            note = (f"{result.summary()}\nContinuing from turn "
                    f"{(result.diverged_at or 1)}.")
        elif result.scenario_changed:
            note = "The scenario has changed since this game was saved; it still replays."
        self.call_from_thread(self.show_game, result.game, note)

    # -- saving -------------------------------------------------------------

    def autosave(self, game: Game) -> None:
        """Write this game's autosave in the background; a newer autosave always wins."""
        try:
            text = saves.dump(saves.game_to_dict(game, saves.autosave_name(game)))
        except (BrinkError, OSError) as exc:  # pragma: no cover - defensive
            self.notify(str(exc), title="Autosave failed", severity="error")
            return
        path = self.directory / f"{saves.autosave_name(game)}.yaml"
        self._save_seq += 1
        self.run_worker(partial(self._write_autosave, path, text, self._save_seq),
                        thread=True, group="autosave")

    def _write_autosave(self, path: Path, text: str, seq: int) -> None:
        with self._save_lock:
            if self._saved_seq.get(path, 0) > seq:
                return
            try:
                write_atomic(path, text)
            except OSError as exc:
                self.call_from_thread(self.notify, f"{exc.strerror}: {path}",
                                      title="Autosave failed", severity="error")
                return
            self._saved_seq[path] = seq

    # -- command palette ------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        from brinkmanship.tui.screens.game import GameScreen

        if isinstance(screen, GameScreen):
            yield SystemCommand("Save", "Save this game under a name", screen.action_save)
            yield SystemCommand("Load", "Load a saved game", screen.action_load)
            yield SystemCommand("Undo", "Take back the last choice", screen.action_undo)
            yield SystemCommand("History", "The transcript of this game so far",
                                screen.action_history)
            yield SystemCommand("Help", "How to play, and the keys", screen.action_help)
        yield SystemCommand("New game", "Pick a scenario and a role", self.new_game)
        yield SystemCommand("Main menu", "Back to the main menu", self.action_menu)
        yield SystemCommand("Endings", "The endings you have found", self.open_gallery)
        yield SystemCommand("Theme: 1962", "The default dark theme",
                            partial(setattr, self, "theme", THEME_1962.name))
        yield from super().get_system_commands(screen)


def run_app(args: argparse.Namespace, *, directory: Path, game: Game | None = None,
            scenario_path: str | None = None, replay: saves.SaveData | None = None) -> int:
    """Run the full-screen game (called by ``brinkmanship.cli``)."""
    app = BrinkApp(directory, game=game, scenario_path=scenario_path, replay=replay,
                   watch=bool(getattr(args, "watch", False)), seed=getattr(args, "seed", None),
                   replay_scenario=getattr(args, "scenario", None) if replay else None)
    result = app.run()
    return result if isinstance(result, int) else (app.return_code or 0)
