"""The game screen: one turn at a time, with the state of the crisis at the side."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, OptionList, Static

from brinkmanship.format.errors import BrinkError
from brinkmanship.frontends.tui import heap
from brinkmanship.frontends.tui import messages as msg
from brinkmanship.frontends.tui.context import Context
from brinkmanship.frontends.tui.markdown import SafeMarkdown
from brinkmanship.frontends.tui.safe import label, one_line, plain
from brinkmanship.frontends.tui.sized import (
    SizedHorizontal,
    SizedScroll,
    SizedStatic,
    SizedVertical,
)
from brinkmanship.frontends.tui.watch import Reloaded, Watcher, reload_session
from brinkmanship.frontends.tui.widgets import ChoiceList, MeterStrip, StatusPanel, show_content
from brinkmanship.runtime import store
from brinkmanship.runtime.session import Session
from brinkmanship.runtime.views import (
    ChoiceView,
    SceneView,
    change_text,
    current,
    warning_text,
)

STORY_MIN_ROWS = 6  # the scene text keeps at least this many rows; the advisers yield first
MUTED = "$foreground-muted"
LEANING_STYLES = {"hawk": "$error", "dove": "$success"}


def dateline(view: SceneView) -> Content:
    parts: list[str | tuple[str, str]] = [(f" Turn {view.turn + 1} ", "reverse bold")]
    for x in (view.when, view.where):
        if x:
            parts += [("  ·  " if len(parts) > 1 else "  ", "$foreground-muted"), one_line(x)]
    return Content.assemble(*parts)


def advisers_content(view: SceneView) -> Content:
    lines: list[Content] = []
    for a in view.advisers:
        lines.append(
            Content.assemble(
                (one_line(a.who), "bold"),
                " ",
                (f"({one_line(a.leans_label).lower()})", LEANING_STYLES.get(a.leans, "$secondary")),
                "\n",
                plain(a.says.strip()),
            )
        )
    return Content("\n\n").join(lines)


def advisers_brief(view: SceneView) -> Content:
    """One line per adviser (cut to the width by the style), for the collapsed view."""
    lines = [
        Content.assemble(
            (one_line(a.who), "bold"),
            " ",
            (f"({one_line(a.leans_label).lower()})", LEANING_STYLES.get(a.leans, "$secondary")),
            " ",
            one_line(a.says),
        )
        for a in view.advisers
    ]
    return Content("\n").join(lines)


def advisers_names(view: SceneView) -> Content:
    """All the advisers on one line, when there is no room for a line each."""
    names = Content(", ").join(Content(one_line(a.who)) for a in view.advisers)
    return Content.assemble(("Advisers: ", "bold"), names, (" (a to read)", MUTED))


def changes_content(view: SceneView) -> Content:
    """What the last choice changed ("Last turn: Tension +12 · Trust −5"). The meter strip
    (shown instead of the side panel) gives each change beside its meter, so where it is
    shown this line is hidden (screens.tcss): on a short screen it was a row of story."""
    changed = [Content(one_line(t)) for m in view.meters if (t := change_text(m))]
    if not changed:
        return Content("")
    return Content.styled("Last turn: ", MUTED) + Content(" · ").join(changed)


def warnings_content(view: SceneView) -> Content:
    """Each meter that has just risen into one of its zones, as a warning (always shown)."""
    warnings = [
        Content.styled(f"⚠ {one_line(t)}", "bold $error")
        for m in view.meters
        if (t := warning_text(m))
    ]
    return Content("  ").join(warnings)


def meters_help(view: SceneView) -> str:
    """The help's section on this game's meters: each one's label, what it means, its zones."""
    if not view.meters:
        return ""
    lines = ["## The state of the crisis", ""]
    for m in view.meters:
        zones = ", ".join(f"*{name}* from {at}" for name, at in m.thresholds)
        desc = " ".join(m.description.split()) or "No description."
        lines.append(
            f"- **{escape_md(m.label)}**: {escape_md(desc)}"
            + (f" Zones: {zones}." if zones else "")
        )
    lines += ["", "Tab moves to a meter in the side panel (m shows it) to read what it means.", ""]
    return "\n".join(lines)


def escape_md(text: str) -> str:
    """Scenario text inside the help's Markdown: nothing in it is taken as Markdown."""
    return "".join("\\" + c if c in "\\`*_[]<>#|" else c for c in one_line(text))


def set_title(widget: Widget, title: str | None) -> None:
    """Give ``widget`` a border title (plain words) unless it has it (setting repaints)."""
    if widget.border_title != title:
        widget.border_title = title


def role_title(session: Session) -> str:
    return one_line(session.scenario.roles[session.role].name)


class GameScreen(Screen[None]):
    """Play: date and place, what happened, the scene, the advisers, the choices."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "save", "Save"),
        Binding("l", "load", "Load"),
        Binding("u", "undo", "Undo"),
        # Redo is in the footer only while there is one to redo; otherwise r says so.
        Binding("r", "redo", "Redo"),
        Binding("r", "nothing_to_redo", "Redo", show=False),
        Binding("h", "history", "History"),
        Binding("a", "toggle_advisers", "Advisers"),
        Binding("m", "toggle_panel", "Panel"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("escape", "leave", "Menu", show=False),
        Binding("pageup", "scroll_story(-1)", "Scroll up", show=False, priority=True),
        Binding("pagedown", "scroll_story(1)", "Scroll down", show=False, priority=True),
        *[Binding(str(n), f"pick({n})", f"Choice {n}", show=False) for n in range(1, 10)],
    ]
    AUTO_FOCUS = "#choices"

    def __init__(self, session: Session, ctx: Context) -> None:
        super().__init__()
        self.session = session
        self.ctx = ctx
        self.choices: list[ChoiceView] = []
        self.watcher: Watcher | None = None
        self._reloading = False
        self.advisers_open = False
        self._view: SceneView | None = None  # the view on the screen
        self._brief_mode = ""  # how the advisers' lines fit: "", "-names" or "-tight"
        self._fit_due = False  # a new scene is shown: fit it once it is laid out
        self._watching_layout = False
        self._redo_shown = False  # whether the footer shows Redo

    def compose(self) -> ComposeResult:
        with SizedHorizontal(id="main"):
            with SizedVertical(id="left"):
                yield SizedStatic(id="dateline")
                yield SizedStatic(id="changes")
                yield SizedStatic(id="zone-warnings")
                yield MeterStrip(id="meters-line")
                with SizedScroll(id="story"):
                    yield SizedStatic(id="messages")
                    yield SizedStatic(id="scene-title")
                    yield SafeMarkdown(id="scene-text")
                    yield SizedStatic(id="advisers")
                yield SizedStatic(id="advisers-brief")
                yield ChoiceList(id="choices")
            yield StatusPanel(id="status")
        yield Footer()

    def on_mount(self) -> None:
        sc = self.session.scenario
        self.query_one("#status").border_title = label(sc.title)
        self.query_one("#status").border_subtitle = label(role_title(self.session))
        self.query_one("#choices").border_title = "Your choice"
        self.refresh_view()
        if self.ctx.watch and sc.path:
            self.watcher = Watcher(sc.files or (sc.path,))
            self.set_interval(1.0, self.check_files)

    # -- showing ------------------------------------------------------------

    def refresh_view(self) -> None:
        """Show the session's current view, changing only the widgets whose content
        changed (each change costs a layout and a repaint of that widget)."""
        view = self._view = current(self.session)
        show_content(self.query_one("#dateline", Static), dateline(view))
        messages = self.query_one("#messages", Static)
        show_content(messages, Content("\n\n").join(plain(m) for m in view.messages))
        messages.display = bool(view.messages)
        title = self.query_one("#scene-title", Static)
        show_content(title, plain(view.title.upper()))
        title.display = bool(view.title)
        self.query_one("#scene-text", SafeMarkdown).update(view.text)
        advisers = self.query_one("#advisers", Static)
        show_content(advisers, advisers_content(view))
        set_title(advisers, "Your advisers (a hides)" if view.advisers else None)
        brief = self.query_one("#advisers-brief", Static)
        show_content(brief, self._brief(view))
        set_title(brief, "Your advisers (a for all they say)" if view.advisers else None)
        self._show_advisers(bool(view.advisers))
        self.query_one(MeterStrip).set_meters(view.meters)
        changes = self.query_one("#changes", Static)
        changed = changes_content(view)
        show_content(changes, changed)
        changes.set_class(not changed.plain, "-none")
        warned = self.query_one("#zone-warnings", Static)
        show_content(warned, warnings_content(view))
        warned.display = any(m.entered for m in view.meters)
        self.choices = list(view.choices)
        choice_list = self.query_one(ChoiceList)
        choice_list.tags = self.ctx.settings.stance_tags
        choice_list.show(self.choices)
        stuck = not any(c.enabled for c in self.choices)
        set_title(
            choice_list,
            "No choice is available: the scenario is stuck" if stuck else "Your choice",
        )
        if stuck:
            self.notify(
                "No choice is available here: the scenario is stuck. "
                "`brinkmanship validate` can find out why.",
                severity="error",
            )
        self.query_one(StatusPanel).show(self.session, view.meters)
        self.query_one("#story", VerticalScroll).scroll_home(animate=False)
        # Fitted after the layout the new scene asks for (call_after_refresh can run before
        # it, on the last scene's sizes, and a mark taken then is taken back a frame later).
        self._fit_due = True
        if not self._watching_layout:
            self._watching_layout = True
            self.screen_layout_refresh_signal.subscribe(self, self._laid_out)
        heap.collect_when_quiet(self)  # while the player reads

    def _laid_out(self, _screen: Screen[object]) -> None:
        heap.settle()
        if self._fit_due:
            self._fit_due = False
            self._mark_more()

    def _mark_more(self) -> None:
        """Fit the advisers' lines into the room the choices leave, then say how many
        choices lie below the fold if the screen is too small for all of them."""
        self._fit_advisers()
        self.query_one(ChoiceList).mark_more()

    def _fit_advisers(self) -> None:
        brief = self.query_one("#advisers-brief", Static)
        view = self._view
        if view is None or not brief.display or not view.advisers:
            return
        left = self.query_one("#left")
        used = sum(
            w.outer_size.height
            for w in (
                self.query_one("#dateline"),
                self.query_one("#changes"),
                self.query_one("#zone-warnings"),
                self.query_one("#meters-line"),
                self.query_one(ChoiceList),
            )
            if w.display
        )
        room = left.content_size.height - used - STORY_MIN_ROWS
        mode = "" if room >= len(view.advisers) + 2 else "-tight" if room < 3 else "-names"
        if mode != self._brief_mode:
            self._brief_mode = mode
            brief.set_classes(mode)
            show_content(brief, self._brief(view))

    def _brief(self, view: SceneView) -> Content:
        """The advisers in the room the last fitting found (a line each, or their names)."""
        return advisers_brief(view) if not self._brief_mode else advisers_names(view)

    def _show_advisers(self, any_advisers: bool) -> None:
        self.query_one("#advisers", Static).display = any_advisers and self.advisers_open
        self.query_one("#advisers-brief", Static).display = any_advisers and not self.advisers_open

    def action_toggle_advisers(self) -> None:
        """Advisers are one line each until asked; then all they say, in the story pane."""
        view_has = bool(current(self.session).advisers)
        if not view_has:
            self.notify("No adviser speaks in this scene.", timeout=2)
            return
        self.advisers_open = not self.advisers_open
        self._show_advisers(True)
        if self.advisers_open:
            advisers = self.query_one("#advisers", Static)
            self.call_after_refresh(
                lambda: self.query_one("#story", VerticalScroll).scroll_to_widget(
                    advisers, animate=False, top=True
                )
            )
        self.call_after_refresh(self._mark_more)

    def action_toggle_panel(self) -> None:
        """Show or hide the side panel; on narrow terminals it starts hidden."""
        shown = self.query_one(StatusPanel).display
        self.set_class(not shown, "-panel-on")
        self.set_class(shown, "-panel-off")
        self.call_after_refresh(self._mark_more)

    def on_resize(self) -> None:
        self.call_after_refresh(self._mark_more)

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
            self.session.take(choice_id)
        except BrinkError as exc:
            self.notify(str(exc), title="Cannot take that choice", severity="error")
            return
        self.after_change()

    def after_change(self) -> None:
        path, text = self.ctx.saves.autosave_text(self.session)
        self.post_message(msg.Autosave(path, text))
        if self.session.can_redo() != self._redo_shown:
            self.refresh_bindings()  # the footer shows Redo only while there is one
        if self.session.over:
            self.post_message(msg.ShowGame(self.session))
            return
        self.refresh_view()

    def action_undo(self) -> None:
        if not self.session.undo():
            self.notify("Nothing to undo: this is the first turn.", timeout=3)
            return
        self.notify("Last choice undone (r redoes it).", timeout=2)
        self.after_change()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "redo":
            self._redo_shown = self.session.can_redo()
            return self._redo_shown
        if action == "nothing_to_redo":
            return not self.session.can_redo()
        return True

    def action_nothing_to_redo(self) -> None:
        self.notify("Nothing to redo.", timeout=3)

    def action_leave(self) -> None:
        """To the main menu; the game is saved after every choice, so nothing is lost."""
        self.post_message(msg.ToMenu())
        self.app.notify("Your game is saved: Continue on the menu picks it up.", timeout=4)

    def action_redo(self) -> None:
        if not self.session.redo():
            self.action_nothing_to_redo()
            return
        self.notify("Choice redone.", timeout=2)
        self.after_change()

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("Save", "Save this game under a name", self.action_save)
        yield SystemCommand("Load", "Load a saved game", self.action_load)
        yield SystemCommand("Undo", "Take back the last choice", self.action_undo)
        yield SystemCommand("Redo", "Make the last undone choice again", self.action_redo)
        yield SystemCommand("History", "The transcript of this game so far", self.action_history)
        yield SystemCommand("Help", "How to play, and the keys", self.action_help)

    def action_save(self) -> None:
        from brinkmanship.frontends.tui.screens.dialogs import SaveDialog, SaveRequest

        s = self.session
        suggestion = f"{s.scenario.id}-{s.role}-turn{s.turn + 1}"
        try:
            suggestion = store.check_name(suggestion)
        except BrinkError:
            suggestion = f"save-turn{s.turn + 1}"
        saves = self.ctx.saves

        def done(req: SaveRequest | None) -> None:
            if req is None:
                return
            try:
                path = saves.write(s, req.name, req.overwrite)
            except BrinkError as exc:
                self.notify(str(exc), title="Not saved", severity="error")
                return
            except OSError as exc:
                self.notify(f"{exc.strerror or exc}", title="Not saved", severity="error")
                return
            self.notify(f"Saved as {path.name}", title="Saved", timeout=3)

        self.app.push_screen(SaveDialog(saves, suggestion), done)

    def action_load(self) -> None:
        from brinkmanship.frontends.tui.screens.dialogs import LoadDialog

        def done(path: Path | None) -> None:
            if path is not None:
                self.post_message(msg.LoadSave(path))

        self.app.push_screen(LoadDialog(self.ctx.saves), done)

    def action_history(self) -> None:
        from brinkmanship.frontends.transcript import to_markdown
        from brinkmanship.frontends.tui.screens.dialogs import TranscriptDialog

        self.app.push_screen(TranscriptDialog(to_markdown(self.session)))

    def action_help(self) -> None:
        from brinkmanship.frontends.tui.screens.dialogs import HELP, HelpDialog

        self.app.push_screen(HelpDialog(HELP + "\n" + meters_help(current(self.session))))

    # -- live reload ----------------------------------------------------------

    def check_files(self) -> None:
        if self.watcher is None or self._reloading or not self.watcher.changed():
            return
        self._reloading = True
        self.reload_scenario()

    @work(thread=True, exclusive=True, group="reload")
    def reload_scenario(self) -> None:
        result = reload_session(self.session)
        self.app.call_from_thread(self._reloaded, result)

    def _reloaded(self, result: Reloaded) -> None:
        self._reloading = False
        self.notify(
            result.message,
            title="Live reload",
            severity=result.severity,
            timeout=8 if result.severity != "information" else 4,
        )
        if result.session is None:
            return
        self.session = result.session
        sc = self.session.scenario
        files = list(sc.files or (sc.path,))
        if self.watcher is not None and files != self.watcher.files:
            self.watcher.reset(files)
        if self.session.over:
            path, text = self.ctx.saves.autosave_text(self.session)
            self.post_message(msg.Autosave(path, text))
            self.post_message(msg.ShowGame(self.session))  # closes any dialog on top too
        else:
            self.refresh_view()
