"""Typed modal dialogs: confirm, save, load (and pick a game to replay), export, help, history."""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Input, Label, Select, Static, Switch

from brinkmanship.format.errors import BrinkError
from brinkmanship.frontends.tui.markdown import SafeMarkdown
from brinkmanship.frontends.tui.safe import one_line, plain, shown
from brinkmanship.frontends.words import ago
from brinkmanship.runtime import store
from brinkmanship.runtime.atomic import write_atomic
from brinkmanship.runtime.savefile import SaveFile
from brinkmanship.runtime.session import Session
from brinkmanship.runtime.settings import MAX_KEEP, Settings
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


ROW_LINES = 3  # each save takes three lines of the save list


def cell_lines(lines: list[str], style: str = "", width: int = 0) -> Text:
    """A table cell of a few lines: the first styled, the rest muted; each cut to fit."""

    def fit(x: str) -> str:
        x = one_line(x)
        return x if not width or len(x) <= width else x[: max(1, width - 1)] + "…"

    out = Text(no_wrap=True, overflow="ellipsis")
    for i, line in enumerate(lines[:ROW_LINES]):
        out.append(("\n" if i else "") + fit(line), style=style if i == 0 else "dim")
    return out


def wrap(text: str, width: int, n: int = ROW_LINES) -> list[str]:
    """``text`` over at most ``n`` lines of ``width`` at word boundaries (the rest cut)."""
    lines = textwrap.wrap(one_line(text), max(4, width)) or [""]
    if len(lines) <= n:
        return lines
    rest = " ".join(lines[n - 1 :])
    return [*lines[: n - 1], rest[: max(1, width - 1)] + "…"]


def story_lines(save: SaveFile) -> list[str]:
    """The save list's "In the story" cell: the in-game date, the turn, how it ended (or not)."""
    sm = save.summary
    if not save.over:
        return [sm.when, f"turn {save.turn + 1}", "in progress"]
    ended = f"ended: {sm.outcome.capitalize()}" if sm.outcome else f"ended after {save.turn} turns"
    return [sm.when, ended, sm.ending_title]


def ago_mtime(mtime: float) -> str:
    """A file's modification time in words (for saves that do not say when they were made)."""
    if not mtime:
        return ""
    return ago(dt.datetime.fromtimestamp(mtime, dt.UTC).isoformat())


class LoadDialog(ModalScreen[Path | None]):
    """A table of saves to load (or replay), newest first; delete asks first."""

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

    def _columns(self, table: DataTable[Text]) -> list[int]:
        """Fit the columns to the dialog: the in-game date whole, the rest shared out."""
        table.clear(columns=True)
        dialog = min(110, int(self.app.size.width * 0.96))
        inner = max(40, dialog - 6 - 2 - 2 * 3)  # border and padding, scrollbar, cell padding
        story = min(24, max(12, inner * 36 // 100))
        game = (inner - story) * 45 // 100
        sizes = [game, story, inner - story - game]
        for text, width in zip(("Game", "In the story", "Last choice"), sizes, strict=True):
            table.add_column(text, width=width)
        return sizes

    def _fill(self, infos: list[SaveInfo]) -> None:
        self.infos = infos
        table = self.query_one(DataTable)
        sizes = self._columns(table)
        for i, info in enumerate(infos):
            s = info.save
            if s is None:
                cells = [
                    cell_lines([info.name, "unreadable", ago_mtime(info.mtime)], "bold", sizes[0]),
                    cell_lines(wrap(info.error, sizes[1]), width=sizes[1]),
                    cell(""),
                ]
            else:
                sm = s.summary
                saved = ago(s.saved) if s.saved else ago_mtime(info.mtime)
                which = "autosave" if s.is_autosave else f"“{s.name}”"
                last = wrap(sm.last_choice, sizes[2]) if sm.last_choice else ["–"]
                cells = [
                    cell_lines(
                        [
                            sm.role_name or "?",
                            s.scenario.title or s.scenario.id,
                            f"{which}, {saved}",
                        ],
                        "bold",
                        sizes[0],
                    ),
                    cell_lines(story_lines(s), width=sizes[1]),
                    cell_lines(last, width=sizes[2]),
                ]
            table.add_row(*cells, key=str(i), height=ROW_LINES)
        empty = self.query_one("#empty", Static)
        empty.update(
            plain(
                "No saved games yet."  # served: the folder is on the server, not the player's
                if self.app.is_web
                else f"No saved games in {self.saves.directory}"
            )
            if not infos
            else "Newest first · Enter opens · d deletes · Esc closes"
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
                f"Delete {shown(info.save) if info.save else one_line(info.name)}? "
                "This cannot be undone.",
                yes="Delete",
            ),
            answered,
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def export_transcript(screen: Screen[Any], session: Session, folder: Path, name: str = "") -> None:
    """Ask where to write ``session``'s Markdown transcript (the save folder is suggested),
    then write it and say where."""
    from brinkmanship.frontends.transcript import to_markdown

    stem = name or f"{session.scenario.id}-{session.role}"
    try:
        stem = store.check_name(stem)
    except BrinkError:
        stem = "transcript"

    if screen.app.is_web:
        # Served: the browser downloads the file; a path typed here would name a file on
        # the server, which the player must not be able to choose or overwrite.
        screen.app.deliver_text(
            io.StringIO(to_markdown(session)),
            save_filename=f"{stem}.md",
            mime_type="text/markdown",
        )
        screen.notify(f"{stem}.md is on its way to your browser.", title="Exported", timeout=5)
        return

    def done(path: Path | None) -> None:
        if path is None:
            return
        try:
            write_atomic(path, to_markdown(session), backup=False)
        except OSError as exc:
            screen.notify(f"{exc.strerror}: {path}", title="Not exported", severity="error")
            return
        screen.notify(f"Transcript written to {path}", title="Exported", timeout=5)

    screen.app.push_screen(ExportDialog(folder / f"{stem}.md"), done)


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

Each choice carries a stance tag (such as *escalate*, *hold*, *negotiate* or *concede*);
what it leads to is not shown in advance. The other side answers by its own rules, with
some chance in it.

The panel on the right shows the state of the crisis, the clock, tension turn by turn
and the stances you have chosen. The game saves itself after every turn.

## Keys

| Key | What it does |
|-----|--------------|
| 1-9 | take that choice |
| arrows, Enter | move through the choices and take one |
| PageUp, PageDown | scroll the story |
| Tab | move between the choices and the meters in the side panel |
| a | open or close the advisers |
| m | show or hide the side panel |
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
        """Open at the latest turn: that is what the player wants to look back from."""
        box = self.query_one("#transcript", VerticalScroll)
        box.focus()
        self.call_after_refresh(lambda: box.scroll_end(animate=False, immediate=True))

    def action_close(self) -> None:
        self.dismiss(None)


class SettingsDialog(ModalScreen[Settings | None]):
    """Theme, reduced motion, how many autosaves to keep, stance tags on choices."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, settings: Settings, themes: list[str]) -> None:
        super().__init__()
        self.settings, self.themes = settings, themes

    def compose(self) -> ComposeResult:
        s = self.settings
        with VerticalScroll(classes="dialog settings") as box:
            box.border_title = "Settings"
            yield Label("Theme")
            yield Select(
                [(t, t) for t in self.themes],
                value=s.theme if s.theme in self.themes else Select.BLANK,
                allow_blank=False,
                id="theme",
            )
            with Horizontal(classes="setting"):
                yield Switch(s.reduced_motion, id="reduced-motion")
                yield Label("Reduced motion (no animations)")
            with Horizontal(classes="setting"):
                yield Switch(s.stance_tags, id="stance-tags")
                yield Label("Show each choice's stance (escalate, hold…)")
            yield Label(f"Autosaves of the latest games to keep (1 to {MAX_KEEP})")
            yield Input(str(s.keep_autosaves), id="keep", type="integer", max_length=4)
            yield Static("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        try:
            keep = int(self.query_one("#keep", Input).value)
        except ValueError:
            keep = 0
        if not 1 <= keep <= MAX_KEEP:
            self.query_one("#error", Static).update(f"Keep between 1 and {MAX_KEEP} autosaves.")
            return
        theme = self.query_one("#theme", Select).value
        self.dismiss(
            Settings(
                theme if isinstance(theme, str) else self.settings.theme,
                self.query_one("#reduced-motion", Switch).value,
                keep,
                self.query_one("#stance-tags", Switch).value,
            )
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
