"""The endings gallery: which endings of each scenario and role the player has found."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from brinkmanship.authoring.scenegraph import role_endings
from brinkmanship.format.errors import BrinkError
from brinkmanship.format.loader import load_scenario
from brinkmanship.format.model import Scenario
from brinkmanship.frontends.tui.context import Context
from brinkmanship.frontends.tui.safe import one_line
from brinkmanship.frontends.tui.widgets import OUTCOME_STYLES


def scenario_card(sc: Scenario, found: dict[str, list[str]]) -> Content:
    """One scenario: per role, every ending, found ones by name, the rest as outcome only."""
    lines: list[Content] = [Content.styled(one_line(sc.title), "bold $accent")]
    for rid, role in sc.roles.items():
        mine = role_endings(sc, rid)
        got = [e for e in found.get(rid, []) if e in mine]
        lines.append(
            Content.assemble(
                ("  " + one_line(role.name), "bold"),
                (f"  {len(got)} of {len(mine)} found", "$foreground-muted"),
            )
        )
        for eid in mine:
            ending = sc.endings[eid]
            style = OUTCOME_STYLES.get(ending.outcome, "$primary")
            if eid in got:
                lines.append(
                    Content.assemble(
                        ("    ✓ ", "$success"),
                        one_line(ending.title),
                        (f"  {one_line(ending.outcome)}", style),
                    )
                )
            else:
                lines.append(
                    Content.assemble(
                        ("    ? ", "$foreground 40%"),
                        ("an ending not yet found", "$foreground 40%"),
                        (f"  {one_line(ending.outcome)}", style),
                    )
                )
    return Content("\n").join(lines)


class GalleryScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "app.menu", "Menu")]

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="gallery") as box:
            box.border_title = "Endings found"
            yield Static("Reading your endings…", id="gallery-body")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#gallery").focus()
        self.gather()

    @work(thread=True, exclusive=True)
    def gather(self) -> None:
        gallery = self.ctx.gallery()
        found = gallery.found()
        if gallery.warning:
            self.app.call_from_thread(
                self.notify, gallery.warning, title="Endings gallery", severity="warning"
            )
        cards: list[Content] = []
        seen: set[str] = set()
        for entry in self.ctx.entries():
            try:
                sc = load_scenario(str(entry.path))
            except BrinkError:
                continue
            seen.add(sc.id)
            cards.append(scenario_card(sc, found.get(sc.id, {})))
        for sid, roles in sorted(found.items()):
            if sid in seen:
                continue
            lines = [Content.styled(one_line(sid), "bold $accent")]
            for rid, ends in roles.items():
                lines.append(
                    Content.assemble(
                        ("  " + one_line(rid), "bold"),
                        (f"  {len(ends)} found: ", "$foreground-muted"),
                        ", ".join(one_line(e) for e in ends),
                    )
                )
            cards.append(Content("\n").join(lines))
        if not cards:
            cards = [Content.styled("No scenarios yet.", "$foreground-muted")]
        body = Content("\n\n").join(cards)
        self.app.call_from_thread(self.query_one("#gallery-body", Static).update, body)
