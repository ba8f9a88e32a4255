"""The main menu: new game, continue, load, replay, endings, quit."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from brinkmanship.frontends.tui import messages as msg
from brinkmanship.frontends.tui.context import Context
from brinkmanship.frontends.tui.safe import one_line
from brinkmanship.runtime.store import SaveInfo

BANNER = "B R I N K M A N S H I P"
TAGLINE = "A game of crisis diplomacy · escalate or negotiate"

ITEMS = [
    ("new", "New game", "Choose a scenario and a role"),
    ("continue", "Continue", "Resume your latest game"),
    ("load", "Load", "Open a saved game"),
    ("replay", "Replay", "Step through a saved game; branch off"),
    ("endings", "Endings", "The endings you have found so far"),
    ("settings", "Settings", "Theme, motion, autosaves, stance tags"),
    ("quit", "Quit", ""),
]


def item(label: str, hint: str) -> Table:
    """A menu line: the label, and its hint in a column of its own, so that a long hint
    (the game to continue) wraps under itself rather than under the label."""
    grid = Table.grid()
    grid.add_column(width=10, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(Text(label, style="bold"), Text(hint, style="dim"))
    return grid


class MainMenu(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "pick('new')", "New", show=False),
        Binding("c", "pick('continue')", "Continue", show=False),
        Binding("l", "pick('load')", "Load", show=False),
        Binding("r", "pick('replay')", "Replay", show=False),
        Binding("e", "pick('endings')", "Endings", show=False),
        Binding("t", "pick('settings')", "Settings", show=False),
        Binding("q", "pick('quit')", "Quit", show=False),
    ]
    AUTO_FOCUS = "#menu"

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx
        self.latest: SaveInfo | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="menu-box"):
            yield Static(BANNER, id="banner")
            yield Static(TAGLINE, id="tagline")
            yield OptionList(
                *[Option(item(label, hint), id=key) for key, label, hint in ITEMS],
                id="menu",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one("#menu", OptionList).disable_option("continue")
        # Textual draws a footer's keys a frame after the rest in any case: mounted after
        # the first frame, it costs that frame nothing (benchmarks/bench_start.py)
        self.call_after_refresh(self._footer)

    def _footer(self) -> None:
        from textual.widgets import Footer

        self.mount(Footer())
        self.call_after_refresh(self.refresh_bindings)  # so that the footer shows them

    def on_screen_resume(self) -> None:
        # Back at the menu, the highlight starts at the top again: left where it was (on
        # Load, say), a few presses of Down and Enter could end on Quit unawares.
        self.query_one("#menu", OptionList).highlighted = 0
        # After the menu is drawn: reading the saves (and loading the save format to read
        # them) would otherwise hold up the first frame.
        self.call_after_refresh(self.find_latest)

    @work(thread=True, exclusive=True, group="latest")
    def find_latest(self) -> None:
        latest = self.ctx.saves.latest_autosave()
        self.app.call_from_thread(self._show_latest, latest)

    def _show_latest(self, latest: SaveInfo | None) -> None:
        self.latest = latest
        menu = self.query_one("#menu", OptionList)
        if latest is None:
            menu.replace_option_prompt("continue", item("Continue", "No game in progress yet"))
            menu.disable_option("continue")
            return
        save = latest.save
        assert save is not None
        where = "ended" if save.over else f"turn {save.turn + 1}"
        hint = (
            f"{one_line(save.scenario.title or save.scenario.id)} as "
            f"{one_line(save.summary.role_name or save.role)}, {where}"
        )
        menu.replace_option_prompt("continue", item("Continue", hint))
        menu.enable_option("continue")
        if not save.over and menu.highlighted == 0:
            # a game to go back to: Enter from habit resumes it rather than starting anew
            menu.highlighted = [key for key, _, _ in ITEMS].index("continue")

    @on(OptionList.OptionSelected, "#menu")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.action_pick(event.option.id)

    def action_pick(self, key: str) -> None:
        from brinkmanship.frontends.tui.screens.dialogs import LoadDialog

        if key == "new":
            self.post_message(msg.NewGame())
        elif key == "continue":
            if self.latest is None:
                self.notify("There is no game to continue yet.", timeout=3)
            else:
                self.post_message(msg.LoadSave(self.latest.path))
        elif key in ("load", "replay"):
            replay = key == "replay"

            def done(path: Path | None) -> None:
                if path is not None:
                    self.post_message(msg.LoadSave(path, replay=replay))

            title = "Replay a saved game" if replay else "Load a saved game"
            self.app.push_screen(LoadDialog(self.ctx.saves, title), done)
        elif key == "endings":
            self.post_message(msg.OpenGallery())
        elif key == "settings":
            self.post_message(msg.OpenSettings())
        elif key == "quit":
            self.app.exit(0)
