"""Typed modal dialogs: confirm, save, load (and pick a game to replay), export, help, history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, Static

from brinkmanship.format.errors import BrinkError
from brinkmanship.frontends.tui.safe import SafeMarkdown, one_line, plain
from brinkmanship.runtime import store
from brinkmanship.runtime.store import SaveInfo, SaveStore


class ConfirmDialog(ModalScreen[bool]):
    """Ask a yes/no question; dismisses with True only on an explicit yes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "answer(False)", "No"),
        Binding("y", "answer(True)", "Yes"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm"):
            yield Static(plain(self.question), classes="question")
            with Horizontal(classes="buttons"):
                yield Button(self.no, id="no")
                yield Button(self.yes, id="yes", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


@dataclass(frozen=True, slots=True)
class SaveRequest:
    name: str
    overwrite: bool


class SaveDialog(ModalScreen[SaveRequest | None]):
    """Name a save; asks before replacing an existing one."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, saves: SaveStore, suggestion: str) -> None:
        super().__init__()
        self.saves, self.suggestion = saves, suggestion

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = "Save game"
            yield Label("Name this save:")
            yield Input(self.suggestion, id="name", max_length=64)
            yield Static("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        try:
            name = store.check_name(self.query_one(Input).value)
        except BrinkError as exc:
            self.query_one("#error", Static).update(plain(str(exc)))
            return
        if self.saves.path_for(name).exists():

            def answered(ok: bool | None) -> None:
                if ok:
                    self.dismiss(SaveRequest(name, True))

            self.app.push_screen(
                ConfirmDialog(f"A save named “{name}” already exists. Replace it?", yes="Replace"),
                answered,
            )
            return
        self.dismiss(SaveRequest(name, False))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def cell(text: str, style: str = "") -> Text:
    """A table cell: a Rich Text (never parsed as markup), cut to one line with an ellipsis."""
    return Text(one_line(text), style=style, no_wrap=True, overflow="ellipsis")


def _local_time(iso: str) -> str:
    try:
        when = dt.datetime.fromisoformat(iso)
        if when.tzinfo is not None:
            when = when.astimezone()
    except (ValueError, OverflowError):  # an edited save: show what it says
        return one_line(iso)
    return when.strftime("%Y-%m-%d %H:%M")


class LoadDialog(ModalScreen[Path | None]):
    """A table of saves to load (or replay); delete with confirmation."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("enter", "pick", "Open"),
        Binding("d,delete", "delete", "Delete"),
    ]

    def __init__(self, saves: SaveStore, title: str = "Load a saved game") -> None:
        super().__init__()
        self.saves, self.title_text = saves, title
        self.infos: list[SaveInfo] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide") as box:
            box.border_title = self.title_text
            table: DataTable[Text] = DataTable(id="saves", cursor_type="row", zebra_stripes=True)
            yield table
            yield Static("", id="empty", classes="muted")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Delete", id="delete", variant="error")
                yield Button("Open", id="open", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#empty", Static).update("Reading saves…")
        self.refresh_saves()

    @work(thread=True, exclusive=True, group="list-saves")
    def refresh_saves(self) -> None:
        infos = self.saves.list()
        self.app.call_from_thread(self._fill, infos)

    def _columns(self, table: DataTable[Text]) -> None:
        """Fit the columns to the dialog: fixed turn and time, the rest shared out."""
        table.clear(columns=True)
        inner = max(60, min(110, int(self.app.size.width * 0.96)) - 8) - 12
        rest = inner - 4 - 16
        widths = [rest * 30 // 100, rest * 25 // 100, rest * 15 // 100]
        widths.append(rest - sum(widths))
        for label, width in zip(("Name", "Scenario", "Role", "In the story"), widths, strict=True):
            table.add_column(label, width=width)
            if label == "Role":
                table.add_column("Turn", width=4)
        table.add_column("Saved", width=16)

    def _fill(self, infos: list[SaveInfo]) -> None:
        self.infos = infos
        table = self.query_one(DataTable)
        self._columns(table)
        for i, info in enumerate(infos):
            s = info.save
            if s is None:
                cells = [
                    cell(info.name),
                    cell("unreadable", "red"),
                    cell(info.error),
                    cell(""),
                    cell(""),
                    cell(""),
                ]
            else:
                sm = s.summary
                story = sm.when + (
                    f" (ended: {sm.ending_title})"
                    if s.over and sm.ending_title
                    else " (ended)"
                    if s.over
                    else ""
                )
                name = "(autosave)" if s.is_autosave else s.name
                cells = [
                    cell(name),
                    cell(s.scenario.title or s.scenario.id),
                    cell(sm.role_name or s.role),
                    cell(str(s.turn if s.over else s.turn + 1)),
                    cell(story),
                    cell(_local_time(s.saved)),
                ]
            table.add_row(*cells, key=str(i))
        empty = self.query_one("#empty", Static)
        empty.update(
            plain(f"No saved games in {self.saves.directory}")
            if not infos
            else "Enter opens · d deletes · Esc closes"
        )
        table.focus()

    def _current(self) -> SaveInfo | None:
        table = self.query_one(DataTable)
        if not self.infos or table.cursor_row < 0 or table.cursor_row >= len(self.infos):
            return None
        return self.infos[table.cursor_row]

    @on(DataTable.RowSelected)
    @on(Button.Pressed, "#open")
    def action_pick(self) -> None:
        info = self._current()
        if info is None:
            return
        if info.error:
            self.notify(one_line(info.error), title="Cannot open this save", severity="error")
            return
        self.dismiss(info.path)

    @on(Button.Pressed, "#delete")
    def action_delete(self) -> None:
        info = self._current()
        if info is None:
            return

        def answered(ok: bool | None) -> None:
            if ok:
                try:
                    self.saves.delete(info.path)
                except OSError as exc:
                    self.notify(str(exc.strerror), title="Not deleted", severity="error")
                self.refresh_saves()

        self.app.push_screen(
            ConfirmDialog(
                f"Delete the save “{one_line(info.name)}”? This cannot be undone.", yes="Delete"
            ),
            answered,
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ExportDialog(ModalScreen[Path | None]):
    """Pick a file for the Markdown transcript; asks before replacing one."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, suggestion: Path) -> None:
        super().__init__()
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide") as box:
            box.border_title = "Export the transcript as Markdown"
            yield Label("File:")
            yield Input(str(self.suggestion), id="path")
            yield Static("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Export", id="export", variant="primary")

    @on(Input.Submitted)
    @on(Button.Pressed, "#export")
    def _export(self) -> None:
        value = self.query_one(Input).value.strip()
        if not value:
            self.query_one("#error", Static).update("Give a file name.")
            return
        path = Path(value).expanduser()
        if path.is_dir():
            self.query_one("#error", Static).update(plain(f"{path} is a folder."))
            return
        if path.exists():

            def answered(ok: bool | None) -> None:
                if ok:
                    self.dismiss(path)

            self.app.push_screen(
                ConfirmDialog(f"{path} exists. Replace it?", yes="Replace"), answered
            )
            return
        self.dismiss(path)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


HELP = """\
## Playing

Each turn shows where and when you are, what has just happened, the situation and what
your advisers urge. Pick a choice with its **number key**, with the **arrows and Enter**,
or with the **mouse**. Greyed-out choices say why they are not open to you yet.

Choices are tagged *escalate*, *hold* or *negotiate*; what they lead to is not shown in
advance. The other side answers by its own rules, with some chance in it.

The panel on the right shows the state of the crisis, the clock, tension turn by turn
and the stances you have chosen. The game saves itself after every turn.

## Keys

| Key | What it does |
|-----|--------------|
| 1-9 | take that choice |
| s | save the game under a name |
| l | load a saved game |
| u | undo the last choice |
| r | redo the choice you undid |
| h | the history of this game so far |
| ? | this help |
| Esc | back to the main menu |
| ctrl+p | command palette (themes too) |
| ctrl+q | quit |
"""


class HelpDialog(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self, text: str = HELP) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog tall") as box:
            box.border_title = "Help"
            yield SafeMarkdown(self.text)

    def action_close(self) -> None:
        self.dismiss(None)


class TranscriptDialog(ModalScreen[None]):
    """The game so far, as its Markdown transcript."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,h,q", "close", "Close")]

    def __init__(self, markdown: str) -> None:
        super().__init__()
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog tall", id="transcript") as box:
            box.border_title = "History"
            yield SafeMarkdown(self.markdown)

    def on_mount(self) -> None:
        self.query_one("#transcript").focus()

    def action_close(self) -> None:
        self.dismiss(None)
