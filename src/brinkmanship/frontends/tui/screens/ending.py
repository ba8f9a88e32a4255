"""The ending screen: what happened, the lesson, the path that led here, what to do next."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from brinkmanship.frontends.tui import messages as msg
from brinkmanship.frontends.tui.context import Context
from brinkmanship.frontends.tui.markdown import SafeMarkdown
from brinkmanship.frontends.tui.safe import label, one_line, plain
from brinkmanship.frontends.tui.widgets import (
    MUTED,
    OUTCOME_STYLES,
    TensionChart,
    stance_content,
    stance_style,
)
from brinkmanship.runtime.session import Session
from brinkmanship.runtime.views import (
    PathStep,
    chart,
    decision_path,
    ending_hints,
    ending_view,
    left_history_at,
    stance_mix,
)


def path_content(steps: list[PathStep]) -> Content:
    """The decisions of a game, one a line, each marked against history where the scenario
    says what really happened; the first turn the path left history says so."""
    left = left_history_at(steps)
    lines = []
    for p in steps:
        mark = {True: ("✓ ", "$success"), False: ("✗ ", "$warning"), None: ("· ", MUTED)}
        sign, style = mark[p.historical]
        line = Content.assemble(
            (f"{p.number:>3} ", MUTED),
            (sign, style),
            (one_line(p.title) + ": " if p.title else "", "bold"),
            one_line(p.choice),
            (f" ‹{one_line(p.stance_label)}›", stance_style(p.stance)),
        )
        lines.append(line)
        if p.number == left:
            lines.append(
                Content.styled("      ↳ here your path left the historical one", "bold $warning")
            )
        if p.history:
            lines.append(Content.styled(f"      history: {one_line(p.history)}", f"italic {MUTED}"))
    if any(p.historical is not None for p in steps) and left is None:
        lines.append(Content.styled("Every choice was the one made in history.", "bold $success"))
    return Content("\n").join(lines)


class EndingScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "replay", "Replay"),
        Binding("n", "new_game", "New game"),
        Binding("o", "other_role", "Other role"),
        Binding("u", "undo", "Undo"),
        Binding("e", "export", "Export"),
        Binding("escape,m", "app.menu", "Menu"),
    ]

    def __init__(self, session: Session, ctx: Context) -> None:
        super().__init__()
        self.session = session
        self.ctx = ctx
        self.new_ending = False
        self.others = [r for r in session.scenario.roles if r != session.role]

    def compose(self) -> ComposeResult:
        g = self.session
        sc = g.scenario
        e = ending_view(g.engine, g.state)
        self._record(e.ending_id)
        with VerticalScroll(id="ending"):
            yield Static(plain(e.title.upper()), id="ending-title")
            role = sc.roles[g.role]
            badge = f"reverse bold {OUTCOME_STYLES.get(e.outcome, '$primary')}"
            yield Static(
                Content.assemble(
                    (f" {one_line(e.outcome).upper()} ", badge),
                    ("  ", ""),
                    (
                        f"{one_line(sc.title)} · {one_line(role.name)} · {g.turn} turns",
                        "$foreground-muted",
                    ),
                ),
                id="outcome",
            )
            if e.messages:
                yield Static(Content("\n\n").join(plain(m) for m in e.messages), id="messages")
            if e.lesson or e.lesson_title:
                lesson = Static(
                    Content.assemble(
                        (one_line(e.lesson_title), "bold $accent"),
                        ("\n" if e.lesson_title and e.lesson else "", ""),
                        plain(e.lesson),
                    ),
                    id="lesson",
                )
                lesson.border_title = "The lesson"
                yield lesson
            yield SafeMarkdown(e.text, id="epilogue")
            if e.history:
                with Vertical(id="history") as box:
                    box.border_title = "What really happened"
                    yield SafeMarkdown(e.history)
            with Horizontal(id="path"):
                c = chart(g)
                if c is not None:
                    with Vertical(id="path-chart") as box:
                        box.border_title = label(f"{c.label} over the game")
                        yield TensionChart(c.values, c.lo, c.hi)
                        yield Static(
                            Content.styled(
                                " → ".join(str(x) for x in c.values[-12:]), "$foreground-muted"
                            )
                        )
                with Vertical(id="path-stances") as box:
                    box.border_title = "Your stances"
                    yield Static(stance_content(stance_mix(g)))
            yield Static(self._found_text(), id="found")
            with Horizontal(classes="buttons"):
                yield Button("Replay this game", id="replay", variant="primary", compact=True)
                yield Button("New game", id="new", compact=True)
                if self.others:
                    other = (
                        sc.roles[self.others[0]].name if len(self.others) == 1 else "another role"
                    )
                    yield Button(label(f"Play as {other}"), id="other", compact=True)
                yield Button("Main menu", id="menu", compact=True)
            steps = decision_path(g)
            if steps:
                with Vertical(id="decisions") as box:
                    box.border_title = "Your path, decision by decision"
                    yield Static(path_content(steps), id="decision-path")
        yield Footer()

    def _record(self, ending_id: str) -> None:
        gallery = self.ctx.gallery()
        try:
            self.new_ending = gallery.record(self.session.scenario.id, self.session.role, ending_id)
        except OSError:
            self.new_ending = False
        if gallery.warning:
            self.notify(gallery.warning, title="Endings gallery", severity="warning")

    def _found_text(self) -> Content:
        sc = self.session.scenario
        found = self.ctx.gallery().found().get(sc.id, {}).get(self.session.role, [])
        ends = ending_hints(sc, self.session.role)  # the endings of this role's part
        n = len([e for e in found if e in ends])
        role = one_line(sc.roles[self.session.role].name)
        head = ("★ A new ending for your gallery! ", "bold $warning") if self.new_ending else ""
        return Content.assemble(head, f"You have found {n} of {len(ends)} endings as {role}.")

    def on_mount(self) -> None:
        self.query_one("#replay", Button).focus(scroll_visible=False)
        self.query_one("#ending", VerticalScroll).scroll_home(animate=False)

    @on(Button.Pressed, "#replay")
    def action_replay(self) -> None:
        self.post_message(msg.OpenReplay(self.session))

    @on(Button.Pressed, "#new")
    def action_new_game(self) -> None:
        self.post_message(msg.NewGame())

    @on(Button.Pressed, "#other")
    def action_other_role(self) -> None:
        if not self.others:
            self.notify("This scenario has only one role.", timeout=3)
        elif len(self.others) == 1:
            session = Session.new(self.session.scenario, self.others[0])
            self._autosave(session)
            self.post_message(msg.ShowGame(session))
        else:
            self.post_message(msg.NewGame(self.session.scenario.path))

    @on(Button.Pressed, "#menu")
    def _menu(self) -> None:
        self.post_message(msg.ToMenu())

    def _autosave(self, session: Session) -> None:
        path, text = self.ctx.saves.autosave_text(session)
        self.post_message(msg.Autosave(path, text))

    def action_export(self) -> None:
        from brinkmanship.frontends.tui.screens.dialogs import export_transcript

        export_transcript(self, self.session, self.ctx.saves.directory)

    def action_undo(self) -> None:
        if self.session.undo():
            self._autosave(self.session)
            self.post_message(msg.ShowGame(self.session))
