"""The endings gallery: the endings found per scenario and role, hints for the others.

A found ending reopens: the ending screen of the latest saved game that reached it, or,
when no such save is left, the ending itself (its title, lesson and epilogue).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from brinkmanship.format.errors import BrinkError
from brinkmanship.format.loader import load_scenario
from brinkmanship.format.model import Scenario
from brinkmanship.format.names import OUTCOMES
from brinkmanship.frontends.tui import messages as msg
from brinkmanship.frontends.tui.context import Context
from brinkmanship.frontends.tui.markdown import SafeMarkdown
from brinkmanship.frontends.tui.safe import one_line, plain
from brinkmanship.frontends.tui.widgets import OUTCOME_STYLES
from brinkmanship.runtime.views import ending_hints, hint_text

MUTED = "$foreground-muted"


@dataclass(frozen=True, slots=True)
class Found:
    """A found ending, as an option of the gallery."""

    scenario: Scenario
    role: str
    ending: str


def scenario_options(
    sc: Scenario, found: dict[str, list[str]]
) -> list[tuple[Content, Found | None]]:
    """One scenario's lines: per role, every ending of its part, found ones by name (to
    reopen), the others as a hint (outcome, where to look), never their text."""
    out: list[tuple[Content, Found | None]] = [
        (Content.styled(one_line(sc.title), "bold $accent"), None)
    ]
    for rid, role in sc.roles.items():
        hints = ending_hints(sc, rid)
        got = [e for e in found.get(rid, []) if e in hints]
        out.append(
            (
                Content.assemble(
                    ("  " + one_line(role.name), "bold"),
                    (f"  {len(got)} of {len(hints)} found", MUTED),
                ),
                None,
            )
        )
        # best first, for every role alike (the scenario lists each role's in its own order)
        for eid, hint in sorted(hints.items(), key=lambda kv: _best_first(kv[1].outcome)):
            ending = sc.endings[eid]
            style = OUTCOME_STYLES.get(ending.outcome, "$primary")
            if eid in got:
                line = Content.assemble(
                    ("    ✓ ", "$success"),
                    one_line(ending.title),
                    (f"  {one_line(ending.outcome).capitalize()}", style),
                    ("  (Enter reopens)", MUTED),
                )
                out.append((line, Found(sc, rid, eid)))
            else:
                line = Content.assemble(
                    ("    ? ", "$foreground 40%"), (one_line(hint_text(hint)), "$foreground 60%")
                )
                out.append((line, None))
    return out


def _best_first(outcome: str) -> int:
    return -OUTCOMES.index(outcome) if outcome in OUTCOMES else 1


class EndingCard(ModalScreen[None]):
    """A found ending on its own, when no saved game that reached it is left."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,enter", "close", "Close")]

    def __init__(self, found: Found) -> None:
        super().__init__()
        self.found = found

    def compose(self) -> ComposeResult:
        from brinkmanship.frontends.tui.screens.newgame import static_text

        sc = self.found.scenario
        e = sc.endings[self.found.ending]
        lesson = sc.lessons.get(e.lesson or "")
        with VerticalScroll(classes="dialog tall") as box:
            box.border_title = "An ending you found"
            yield Static(plain(e.title.upper()), id="ending-title")
            yield Static(
                Content.assemble(
                    (
                        f" {one_line(e.outcome).upper()} ",
                        f"reverse bold {OUTCOME_STYLES.get(e.outcome, '$primary')}",
                    ),
                    (f"  {one_line(sc.title)} · {one_line(sc.roles[self.found.role].name)}", MUTED),
                )
            )
            if lesson is not None:
                yield Static(
                    Content.assemble(
                        (one_line(lesson.title), "bold $accent"), "\n", plain(lesson.text)
                    ),
                    id="lesson",
                )
            yield SafeMarkdown(static_text(e.text, sc))
            yield Static(
                Content.styled(
                    "The game that found it is no longer saved; this is the ending alone.", MUTED
                )
            )

    def action_close(self) -> None:
        self.dismiss(None)


class GalleryScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "app.menu", "Menu")]
    AUTO_FOCUS = "#gallery-list"

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.found: list[Found | None] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="gallery") as box:
            box.border_title = "Endings found"
            yield Static("Reading your endings…", id="gallery-body")
            yield OptionList(id="gallery-list", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#gallery-list").display = False
        self.gather()

    @work(thread=True, exclusive=True)
    def gather(self) -> None:
        gallery = self.ctx.gallery()
        found = gallery.found()
        if gallery.warning:
            self.app.call_from_thread(
                self.notify, gallery.warning, title="Endings gallery", severity="warning"
            )
        lines: list[tuple[Content, Found | None]] = []
        seen: set[str] = set()
        for entry in self.ctx.entries():
            try:
                sc = load_scenario(str(entry.path))
            except BrinkError:
                continue
            seen.add(sc.id)
            if lines:
                lines.append((Content(""), None))
            lines += scenario_options(sc, found.get(sc.id, {}))
        for sid, roles in sorted(found.items()):
            if sid in seen:
                continue
            lines.append((Content(""), None))
            lines.append((Content.styled("A scenario no longer here", "bold $accent"), None))
            n = sum(len(ends) for ends in roles.values())
            lines.append((Content.styled(f"  {n} endings found", MUTED), None))
        self.app.call_from_thread(self._show, lines)

    def _show(self, lines: list[tuple[Content, Found | None]]) -> None:
        body = self.query_one("#gallery-body", Static)
        if not lines:
            body.update(Content.styled("No scenarios yet.", MUTED))
            return
        body.update(
            Content.styled("Found endings reopen with Enter; the others have a hint.", MUTED)
        )
        options = self.query_one("#gallery-list", OptionList)
        options.clear_options()
        self.found = [f for _, f in lines]
        options.add_options(
            Option(text, id=f"e{i}", disabled=f is None) for i, (text, f) in enumerate(lines)
        )
        options.display = True
        first = next((i for i, f in enumerate(self.found) if f is not None), None)
        options.highlighted = first
        options.focus()

    @on(OptionList.OptionSelected, "#gallery-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        found = self.found[event.option_index]
        if found is not None:
            self.reopen(found)

    @work(thread=True, exclusive=True, group="reopen")
    def reopen(self, found: Found) -> None:
        """The latest save that reached this ending, else the ending on its own."""
        for info in self.ctx.saves.list():
            s = info.save
            if s is not None and (s.scenario.id, s.role, s.summary.ending) == (
                found.scenario.id,
                found.role,
                found.ending,
            ):
                self.app.call_from_thread(self.post_message, msg.LoadSave(info.path))
                return
        self.app.call_from_thread(self.app.push_screen, EndingCard(found))
