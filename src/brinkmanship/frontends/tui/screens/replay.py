"""The replay viewer: step through a game, see the options at each turn, branch, export."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, LoadingIndicator, Static

from brinkmanship.format.errors import BrinkError
from brinkmanship.frontends.tui import messages as msg
from brinkmanship.frontends.tui.context import Context
from brinkmanship.frontends.tui.markdown import SafeMarkdown
from brinkmanship.frontends.tui.safe import label, one_line, plain, shown
from brinkmanship.frontends.tui.widgets import DIM, MUTED, OUTCOME_STYLES, StatusPanel, stance_style
from brinkmanship.runtime.resume import resume, scenario_for
from brinkmanship.runtime.savefile import SaveFile
from brinkmanship.runtime.session import Session
from brinkmanship.runtime.views import ending_view, meters, scene_view, tension_var


class ReplayLoading(Screen[None]):
    """Loads a save's scenario and replays it off the UI thread, then shows the viewer."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.menu", "Menu")]

    def __init__(self, save: SaveFile, scenario: str | None = None) -> None:
        super().__init__()
        self.save = save
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        with Vertical(id="loading"):
            yield Static(plain(f"Replaying {shown(self.save)}…"))
            yield LoadingIndicator()
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        try:
            result = resume(self.save, scenario_for(self.save, self.scenario))
        except BrinkError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        note = "" if result.ok and not result.scenario_changed else result.summary()
        if not result.ok:
            note += f"\nShowing the {result.session.turn} turns that still replay."
        self.app.call_from_thread(self._loaded, result.session, note)

    def _loaded(self, session: Session, note: str) -> None:
        self.post_message(msg.OpenReplay(session, name=self.save.name, note=note))

    def _failed(self, message: str) -> None:
        self.notify(message, title="Cannot replay this save", severity="error", timeout=10)
        self.post_message(msg.ToMenu())


class ReplayScreen(Screen[None]):
    """Turn by turn through a finished or saved game."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,k", "step(-1)", "Previous", key_display="←"),
        Binding("right,j", "step(1)", "Next", key_display="→"),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("b", "branch", "Branch from here"),
        Binding("e", "export", "Export"),
        Binding("escape", "app.menu", "Menu"),
    ]

    def __init__(self, session: Session, ctx: Context, name: str = "", note: str = "") -> None:
        super().__init__()
        self.session = session
        self.ctx = ctx
        self.name_ = name
        self.note = note
        self.pos = 0

    @property
    def last(self) -> int:
        return self.session.turn

    def compose(self) -> ComposeResult:
        yield Static(id="replay-bar")
        if self.note:
            yield Static(plain(self.note), id="replay-note")
        with Horizontal(id="main"):
            with VerticalScroll(id="story"):
                yield Static(id="scene-title")
                yield SafeMarkdown(id="scene-text")
                yield Static(id="options")
                yield Static(id="followed")
            yield StatusPanel(id="status")
        yield Footer()

    def on_mount(self) -> None:
        sc = self.session.scenario
        status = self.query_one("#status")
        status.border_title = label(sc.title)
        status.border_subtitle = label(sc.roles[self.session.role].name)
        self.query_one("#options").border_title = "The options there were"
        self.query_one("#followed").border_title = "What followed"
        self.show()

    def action_step(self, delta: int) -> None:
        self.pos = max(0, min(self.last, self.pos + delta))
        self.show()

    def action_jump(self, pos: int) -> None:
        self.pos = self.last if pos < 0 else max(0, min(self.last, pos))
        self.show()

    def show(self) -> None:
        g, p = self.session, self.pos
        state = g.state_at(p)
        before = g.state_at(p - 1) if p else None
        engine = g.engine
        bar: list[str | tuple[str, str]] = [(" REPLAY ", "reverse bold $accent"), " "]
        if p < self.last:
            bar.append((f"Turn {p + 1} of {self.last}", "bold"))
        else:
            bar.append(("The end" if state.over else f"Saved at turn {p + 1}", "bold"))
        bar.append(
            (
                "  " + "".join("●" if i == p else "·" for i in range(self.last + 1))[:40],
                "$foreground-muted",
            )
        )
        self.query_one("#replay-bar", Static).update(Content.assemble(*bar))
        title = self.query_one("#scene-title", Static)
        text = self.query_one("#scene-text", SafeMarkdown)
        options = self.query_one("#options", Static)
        followed = self.query_one("#followed", Static)
        if state.over:
            e = ending_view(engine, state)
            badge = f"reverse bold {OUTCOME_STYLES.get(e.outcome, '$primary')}"
            title.update(
                Content.assemble(
                    (f" {one_line(e.outcome).upper()} ", badge),
                    "  ",
                    plain(e.title.upper(), "bold"),
                )
            )
            text.update(e.text)
            options.update(
                Content.assemble(
                    ("The lesson: ", "bold"),
                    plain(e.lesson_title, "bold $accent"),
                    "\n",
                    plain(e.lesson),
                )
            )
            options.border_title = "The lesson"
            followed.display = False
        else:
            view = scene_view(engine, state, before)
            head = " · ".join(one_line(x) for x in (view.when, view.where) if x)
            title.update(
                Content.assemble(
                    plain(view.title.upper(), "bold"),
                    ("\n" if view.title else "", ""),
                    (head, "$foreground-muted"),
                )
            )
            text.update(view.text)
            taken = g.choices[p] if p < self.last else None
            lines: list[Content] = []
            for c in view.choices:
                tag = (f"‹{one_line(c.stance_label)}›", stance_style(c.stance))
                if c.id == taken:
                    lines.append(
                        Content.assemble(
                            ("▶ ", "bold $accent"),
                            plain(c.text, "bold reverse"),
                            " ",
                            tag,
                            ("  chosen", "italic $accent"),
                        )
                    )
                elif c.enabled:
                    lines.append(Content.assemble("  ", plain(c.text), " ", tag))
                else:
                    lines.append(
                        Content.assemble(
                            "  ",
                            plain(c.text, DIM),
                            " ",
                            tag,
                            "\n    ",
                            plain(f"⊘ {c.reason}", f"italic {MUTED}"),
                        )
                    )
            if taken is None:
                lines.append(
                    Content.styled(
                        "The game was saved here. Press b to play on.", "italic $foreground-muted"
                    )
                )
            options.update(Content("\n").join(lines))
            options.border_title = "The options there were"
            if taken is not None:
                after = g.state_at(p + 1)
                var = tension_var(g.scenario, g.role)
                parts: list[Content] = [plain(m) for m in after.messages]
                if var is not None:
                    label = one_line(g.scenario.variables[var].label)
                    before_v, after_v = state.vars.get(var), after.vars.get(var)
                    parts.append(
                        Content.assemble((f"{label}: ", "bold"), f"{before_v} → {after_v}")
                    )
                followed.update(Content("\n\n").join(parts))
                followed.display = True
            else:
                followed.display = False
        self.query_one(StatusPanel).show(g, meters(engine, state, before), upto=p)
        self.query_one("#story", VerticalScroll).scroll_home(animate=False)

    def action_branch(self) -> None:
        g, p = self.session, self.pos
        if g.state_at(p).over:
            self.notify("This is the ending; step back (←) to a turn to branch from it.", timeout=4)
            return
        new = g.branch(p)
        path, text = self.ctx.saves.autosave_text(new)
        self.post_message(msg.Autosave(path, text))
        self.post_message(msg.ShowGame(new))
        self.notify(f"A new game from turn {p + 1}. Choose differently!", timeout=4)

    def action_export(self) -> None:
        from brinkmanship.frontends.tui.screens.dialogs import export_transcript

        export_transcript(self, self.session, self.ctx.saves.directory, self.name_)
