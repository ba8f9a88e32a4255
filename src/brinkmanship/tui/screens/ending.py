"""The ending screen: what happened, the lesson, the path that led here, what to do next."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from brinkmanship import gallery, saves
from brinkmanship.engine import Engine, Game
from brinkmanship.plain import tension_var
from brinkmanship.tui.safe import SafeMarkdown, label, one_line, plain
from brinkmanship.tui.widgets import OUTCOME_STYLES, TensionChart, stance_content

if TYPE_CHECKING:
    from brinkmanship.tui.app import BrinkApp


class EndingScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "replay", "Replay"),
        Binding("n", "new_game", "New game"),
        Binding("o", "other_role", "Other role"),
        Binding("u", "undo", "Undo"),
        Binding("escape,m", "app.menu", "Menu"),
    ]

    def __init__(self, game: Game, watch: bool = False) -> None:
        super().__init__()
        self.game = game
        self.watch_mode = watch
        self.new_ending = False
        self.others = [r for r in game.scenario.roles if r != game.role]

    @property
    def brink(self) -> BrinkApp:
        return cast("BrinkApp", self.app)

    def compose(self) -> ComposeResult:
        g = self.game
        sc = g.scenario
        e = g.engine.ending_view(g.state)
        self._record(e.ending_id)
        with VerticalScroll(id="ending"):
            yield Static(plain(e.title.upper()), id="ending-title")
            role = sc.roles[g.role]
            badge = f"reverse bold {OUTCOME_STYLES.get(e.outcome, '$primary')}"
            yield Static(Content.assemble(
                (f" {one_line(e.outcome).upper()} ", badge),
                ("  ", ""), (f"{one_line(sc.title)} · {one_line(role.name)} · "
                             f"{len(g.choices)} turns", "$foreground-muted")), id="outcome")
            if e.messages:
                yield Static(Content("\n\n").join(plain(m) for m in e.messages), id="messages")
            if e.lesson or e.lesson_title:
                lesson = Static(Content.assemble(
                    (one_line(e.lesson_title), "bold $accent"),
                    ("\n" if e.lesson_title and e.lesson else "", ""),
                    plain(e.lesson)), id="lesson")
                lesson.border_title = "The lesson"
                yield lesson
            yield SafeMarkdown(e.text, id="epilogue")
            if e.history:
                with Vertical(id="history") as box:
                    box.border_title = "What really happened"
                    yield SafeMarkdown(e.history)
            with Horizontal(id="path"):
                var = tension_var(g)
                if var is not None:
                    v = sc.variables[var]
                    series = g.tension_series(var)
                    with Vertical(id="path-chart") as box:
                        box.border_title = label(f"{v.label} over the game")
                        yield TensionChart(series, v.min or 0, v.max if v.max is not None else 100)
                        yield Static(Content.styled(" → ".join(str(x) for x in series[-12:]),
                                                    "$foreground-muted"))
                with Vertical(id="path-stances") as box:
                    box.border_title = "Your stances"
                    yield Static(stance_content(g))
            yield Static(self._found_text(), id="found")
            with Horizontal(classes="buttons"):
                yield Button("Replay this game", id="replay", variant="primary", compact=True)
                yield Button("New game", id="new", compact=True)
                if self.others:
                    other = sc.roles[self.others[0]].name if len(self.others) == 1 else \
                        "another role"
                    yield Button(label(f"Play as {other}"), id="other", compact=True)
                yield Button("Main menu", id="menu", compact=True)
        yield Footer()

    def _record(self, ending_id: str) -> None:
        try:
            self.new_ending = gallery.record(self.brink.data_dir, self.game.scenario.id,
                                             self.game.role, ending_id)
        except OSError:
            self.new_ending = False

    def _found_text(self) -> Content:
        sc = self.game.scenario
        try:
            found = gallery.found(self.brink.data_dir).get(sc.id, {}).get(self.game.role, [])
        except OSError:
            found = []
        n = len([e for e in found if e in sc.endings])
        role = one_line(sc.roles[self.game.role].name)
        head = ("★ A new ending for your gallery! ", "bold $warning") if self.new_ending else ""
        return Content.assemble(head, f"You have found {n} of {len(sc.endings)} endings "
                                      f"as {role}.")

    def on_mount(self) -> None:
        self.query_one("#replay", Button).focus(scroll_visible=False)
        self.query_one("#ending", VerticalScroll).scroll_home(animate=False)

    @on(Button.Pressed, "#replay")
    def action_replay(self) -> None:
        self.brink.open_replay(self.game)

    @on(Button.Pressed, "#new")
    def action_new_game(self) -> None:
        self.brink.new_game()

    @on(Button.Pressed, "#other")
    def action_other_role(self) -> None:
        if not self.others:
            self.notify("This scenario has only one role.", timeout=3)
        elif len(self.others) == 1:
            game = Game(Engine(self.game.scenario, self.others[0]), secrets.randbelow(2**31))
            game.created = saves.now()
            self.brink.show_game(game, watch=self.watch_mode)
            self.brink.autosave(game)
        else:
            self.brink.new_game(self.game.scenario.path)

    @on(Button.Pressed, "#menu")
    def _menu(self) -> None:
        self.brink.action_menu()

    def action_undo(self) -> None:
        from brinkmanship.tui.screens.game import GameScreen

        if self.game.undo():
            self.brink.autosave(self.game)
            self.app.switch_screen(GameScreen(self.game, watch=self.watch_mode))
