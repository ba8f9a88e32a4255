"""The game screen: one turn at a time, with the state of the crisis at the side."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static

from brinkmanship import saves
from brinkmanship.engine import ChoiceView, Game, SceneView
from brinkmanship.errors import BrinkError
from brinkmanship.tui.safe import SafeMarkdown, label, one_line, plain
from brinkmanship.tui.widgets import ChoiceList, StatusPanel

if TYPE_CHECKING:
    from brinkmanship.tui.app import BrinkApp

LEANING_STYLES = {"hawk": "$error", "dove": "$success"}


def dateline(game: Game, view: SceneView) -> Content:
    parts: list[str | tuple[str, str]] = [(f" Turn {view.turn + 1} ", "reverse bold")]
    for x in (view.when, view.where):
        if x:
            parts += [("  ·  " if len(parts) > 1 else "  ", "$foreground-muted"), one_line(x)]
    return Content.assemble(*parts)


def advisers_content(view: SceneView) -> Content:
    lines: list[Content] = []
    for a in view.advisers:
        lines.append(Content.assemble(
            (one_line(a.who), "bold"), " ",
            (f"({one_line(a.leans_label).lower()})", LEANING_STYLES.get(a.leans, "$secondary")),
            "\n", plain(a.says.strip())))
    return Content("\n\n").join(lines)


def role_title(game: Game) -> str:
    role = game.scenario.roles[game.role]
    return one_line(role.name)


class GameScreen(Screen[None]):
    """Play: date and place, what happened, the scene, the advisers, the choices."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "save", "Save"),
        Binding("l", "load", "Load"),
        Binding("u", "undo", "Undo"),
        Binding("h", "history", "History"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("escape", "app.menu", "Menu", show=False),
        Binding("pageup", "scroll_story(-1)", "Scroll up", show=False, priority=True),
        Binding("pagedown", "scroll_story(1)", "Scroll down", show=False, priority=True),
        *[Binding(str(n), f"pick({n})", f"Choice {n}", show=False) for n in range(1, 10)],
    ]
    AUTO_FOCUS = "#choices"

    def __init__(self, game: Game, watch: bool = False) -> None:
        super().__init__()
        self.game = game
        self.watch_mode = watch
        self.choices: list[ChoiceView] = []
        self.watcher = None
        self._reloading = False

    @property
    def brink(self) -> BrinkApp:
        return cast("BrinkApp", self.app)

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Static(id="dateline")
                with VerticalScroll(id="story"):
                    yield Static(id="messages")
                    yield Static(id="scene-title")
                    yield SafeMarkdown(id="scene-text")
                    yield Static(id="advisers")
                yield ChoiceList(id="choices")
            yield StatusPanel(id="status")
        yield Footer()

    def on_mount(self) -> None:
        sc = self.game.scenario
        self.query_one("#status").border_title = label(sc.title)
        self.query_one("#status").border_subtitle = label(role_title(self.game))
        self.query_one("#choices").border_title = "Your choice"
        self.refresh_view()
        if self.watch_mode and sc.path:
            from brinkmanship.tui.watch import Watcher

            self.watcher = Watcher(sc.files or (sc.path,))
            self.set_interval(1.0, self.check_files)

    # -- showing ------------------------------------------------------------

    def refresh_view(self) -> None:
        game = self.game
        view = game.engine.view(game.state)
        self.query_one("#dateline", Static).update(dateline(game, view))
        messages = self.query_one("#messages", Static)
        messages.update(Content("\n\n").join(plain(m) for m in view.messages))
        messages.display = bool(view.messages)
        title = self.query_one("#scene-title", Static)
        title.update(plain(view.title.upper()))
        title.display = bool(view.title)
        self.query_one("#scene-text", SafeMarkdown).update(view.text)
        advisers = self.query_one("#advisers", Static)
        advisers.update(advisers_content(view))
        advisers.display = bool(view.advisers)
        advisers.border_title = "Your advisers" if view.advisers else None
        self.choices = list(view.choices)
        choice_list = self.query_one(ChoiceList)
        choice_list.show(self.choices)
        stuck = not any(c.enabled for c in self.choices)
        choice_list.border_title = ("No choice is available: the scenario is stuck"
                                    if stuck else "Your choice")
        if stuck:
            self.notify("No choice is available here: the scenario is stuck. "
                        "`brinkmanship validate` can find out why.", severity="error")
        self.query_one(StatusPanel).show(game, game.state)
        self.query_one("#story", VerticalScroll).scroll_home(animate=False)

    def action_scroll_story(self, direction: int) -> None:
        story = self.query_one("#story", VerticalScroll)
        if direction < 0:
            story.scroll_page_up()
        else:
            story.scroll_page_down()

    # -- playing ------------------------------------------------------------

    @on(OptionList.OptionSelected, "#choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        index = event.option_index
        if 0 <= index < len(self.choices) and self.choices[index].enabled:
            self.take(self.choices[index].id)

    def action_pick(self, number: int) -> None:
        for c in self.choices:
            if c.enabled and c.number == number:
                self.take(c.id)
                return
        n = sum(1 for c in self.choices if c.enabled)
        self.notify(f"There is no choice {number}; pick 1 to {n}.", timeout=3)

    def take(self, choice_id: str) -> None:
        try:
            self.game.choose(choice_id)
        except BrinkError as exc:
            self.notify(str(exc), title="Cannot take that choice", severity="error")
            return
        self.after_change()

    def after_change(self) -> None:
        self.brink.autosave(self.game)
        if self.game.state.over:
            from brinkmanship.tui.screens.ending import EndingScreen

            self.app.switch_screen(EndingScreen(self.game, watch=self.watch_mode))
            return
        self.refresh_view()

    def action_undo(self) -> None:
        if not self.game.undo():
            self.notify("Nothing to undo: this is the first turn.", timeout=3)
            return
        self.notify("Last choice undone.", timeout=2)
        self.after_change()

    def action_save(self) -> None:
        from brinkmanship.tui.screens.dialogs import SaveDialog, SaveRequest

        g = self.game
        suggestion = f"{g.scenario.id}-{g.role}-turn{g.state.turn + 1}"
        try:
            suggestion = saves.check_name(suggestion)
        except BrinkError:
            suggestion = f"save-turn{g.state.turn + 1}"

        def done(req: SaveRequest | None) -> None:
            if req is None:
                return
            try:
                path = saves.write_save(g, self.brink.directory, req.name, req.overwrite)
            except (BrinkError, OSError) as exc:
                self.notify(str(exc), title="Not saved", severity="error")
                return
            self.notify(f"Saved as {path.name}", title="Saved", timeout=3)

        self.app.push_screen(SaveDialog(self.brink.directory, suggestion), done)

    def action_load(self) -> None:
        from brinkmanship.tui.screens.dialogs import LoadDialog

        def done(path: Path | None) -> None:
            if path is not None:
                self.brink.load_path(path)

        self.app.push_screen(LoadDialog(self.brink.directory), done)

    def action_history(self) -> None:
        from brinkmanship.transcript import to_markdown
        from brinkmanship.tui.screens.dialogs import TranscriptDialog

        self.app.push_screen(TranscriptDialog(to_markdown(self.game)))

    def action_help(self) -> None:
        from brinkmanship.tui.screens.dialogs import HelpDialog

        self.app.push_screen(HelpDialog())

    # -- live reload ----------------------------------------------------------

    def check_files(self) -> None:
        if self.watcher is None or self._reloading or not self.watcher.changed():
            return
        self._reloading = True
        self.reload_scenario()

    @work(thread=True, exclusive=True, group="reload")
    def reload_scenario(self) -> None:
        from brinkmanship.tui.watch import reload_game

        result = reload_game(self.game, self.game.scenario.path)
        self.app.call_from_thread(self._reloaded, result)

    def _reloaded(self, result: object) -> None:
        from brinkmanship.tui.watch import Reloaded

        assert isinstance(result, Reloaded)
        self._reloading = False
        self.notify(result.message, title="Live reload", severity=result.severity,  # type: ignore[arg-type]
                    timeout=8 if result.severity != "information" else 4)
        if result.game is None:
            return
        self.game = result.game
        sc = self.game.scenario
        files = list(sc.files or (sc.path,))
        if self.watcher is not None and files != self.watcher.files:
            self.watcher.reset(files)
        if self.game.state.over:
            self.brink.autosave(self.game)
            self.brink.show_game(self.game, watch=True)  # closes any dialog on top too
        else:
            self.refresh_view()
