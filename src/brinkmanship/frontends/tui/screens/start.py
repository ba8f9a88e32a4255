"""Straight into a game from the command line: the first frame comes before the scenario.

``brinkmanship play SCENARIO --role ROLE`` (or ``play --load SAVE``) shows this screen at
once, then loads and
checks the scenario off the UI thread (after that first frame, so that the two do not
share the interpreter) and hands the new game to the app. A scenario that does not load
is one message on this screen; quitting from there ends the command with that error
(the command line prints it and exits non-zero), as when the scenario was loaded before
the app started. benchmarks/bench_start.py times both this frame and the first turn.

This module stays light (no scenario format, engine or Markdown): the game screen and
the loader are imported by the worker.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import LoadingIndicator, Static

from brinkmanship.format.errors import BrinkError, ScenarioError, report_lines
from brinkmanship.frontends.tui import messages as msg
from brinkmanship.frontends.tui.context import Context
from brinkmanship.frontends.tui.safe import plain, shown

if TYPE_CHECKING:
    from brinkmanship.format.model import Scenario
    from brinkmanship.runtime.savefile import SaveFile
    from brinkmanship.runtime.session import Session

MAX_ERROR_LINES = 5
PASSED_KEYS = frozenset({"escape", "ctrl+q", "ctrl+p", "ctrl+c"})


def error_lines(exc: BrinkError) -> str:
    """A load error in a few lines (a scenario's first errors; validate lists them all)."""
    if isinstance(exc, ScenarioError) and exc.diagnostics:
        more = " ('brinkmanship validate' lists them all)"
        lines = report_lines(exc.diagnostics, MAX_ERROR_LINES, more)[:MAX_ERROR_LINES]
    else:
        lines = str(exc).splitlines()
        if len(lines) > MAX_ERROR_LINES:
            extra = len(lines) - MAX_ERROR_LINES + 1
            lines[MAX_ERROR_LINES - 1 :] = [f"... ({extra} more lines)"]
    return "\n".join(lines)


class GameLoading(Screen[None]):
    """Prepares the game named on the command line; shows the load error if there is one."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.menu", "Menu")]

    def __init__(
        self,
        ctx: Context,
        path: str = "",
        role: str | None = None,
        seed: int | None = None,
        *,
        save: SaveFile | None = None,
        scenario: str | None = None,
    ) -> None:
        """A new game of the scenario at ``path``; or, given ``save``, that saved game
        (replayed against ``scenario``, a path or id, if given)."""
        super().__init__()
        self.ctx = ctx
        self.path, self.role, self.seed = path, role, seed
        self.save, self.scenario = save, scenario
        self.start_error: BrinkError | None = None  # why the game could not start
        self.done = False  # the game was handed over (or the load failed)
        self._told_at = -10.0

    def compose(self) -> ComposeResult:
        with Vertical(id="loading"):
            text = f"Opening {shown(self.save)}…" if self.save else "Preparing the crisis…"
            yield Static(plain(text), id="loading-text")
            yield LoadingIndicator()

    def on_mount(self) -> None:
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        """The load, and the footer (whose keys Textual draws a frame late in any case)."""
        from textual.widgets import Footer

        self.mount(Footer())
        self.call_after_refresh(self.refresh_bindings)  # so that the footer shows them
        self.load()

    def on_key(self, event: events.Key) -> None:
        """Keys for the game that come before it is shown are not taken as moves: say so
        (once in a while, not for each key) rather than drop them without a word."""
        if self.done or event.key in PASSED_KEYS:
            return
        event.stop()
        now = time.monotonic()
        if now - self._told_at > 3:
            self._told_at = now
            self.notify("One moment: the game is still loading.", timeout=2)

    @work(thread=True, exclusive=True, group="start")
    def load(self) -> None:
        if self.save is not None:
            self._resume(self.save)
        else:
            self._new_game()
        # the game screen's modules (Markdown, the engine's views) load here, not on the UI
        import brinkmanship.frontends.tui.screens.game  # noqa: F401

    def _resume(self, save: SaveFile) -> None:
        from brinkmanship.runtime.resume import resume, scenario_for

        try:
            result = resume(save, scenario_for(save, self.scenario))
        except BrinkError as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        note = ""
        if not result.ok:
            note = f"{result.summary()}\nContinuing from turn {result.session.turn + 1}."
        elif result.scenario_changed:
            note = "The scenario has changed since this game was saved; it still replays."
        self.app.call_from_thread(self._loaded, result.session, note)

    def _new_game(self) -> None:
        from brinkmanship.format.loader import load_scenario

        try:
            sc = load_scenario(self.path)
        except BrinkError as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        role = self.role
        if role is None and len(sc.roles) == 1:
            role = next(iter(sc.roles))
        if role is None or role not in sc.roles:
            self.app.call_from_thread(self._pick_role, sc)
            return
        from brinkmanship.runtime.session import Session

        try:
            session = Session.new(sc, role, self.seed)
        except BrinkError as exc:
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._loaded, session)

    def _wanted(self) -> bool:
        """Still waited for: the player may have gone to the menu meanwhile (a dialog
        over this screen, the command palette, does not count). Once answered, the
        loading indicator goes (this screen stays at the bottom of the stack)."""
        stack = self.app.screen_stack
        above = stack[stack.index(self) + 1 :] if self in stack else [None]
        wanted = not self.done and all(isinstance(s, ModalScreen) for s in above)
        self.done = True
        self.query(LoadingIndicator).remove()
        return wanted

    def _loaded(self, session: Session, note: str = "") -> None:
        if self._wanted():
            self.post_message(msg.ShowGame(session, note, autosave=True))

    def _pick_role(self, sc: Scenario) -> None:
        """No role given and several to choose from, or a role the scenario lacks: the
        new-game screen's role step, with the scenario already loaded."""
        if not self._wanted():
            return
        if self.role is not None:
            from brinkmanship.format.spec import suggest

            self.notify(
                f"This scenario has no role {self.role!r}{suggest(self.role, sc.roles)}; "
                "choose one.",
                title="Choose your role",
                severity="warning",
                timeout=8,
            )
        self.post_message(msg.NewGame(self.path, seed=self.seed, scenario=sc))

    def _failed(self, exc: BrinkError) -> None:
        if not self._wanted():
            return
        self.start_error = exc
        self.query_one("#loading-text", Static).update(
            plain("This game cannot start.\n\n", "bold $error")
            + plain(error_lines(exc))
            + plain("\n\nEscape: the main menu · Ctrl+Q: quit", "$foreground-muted")
        )
        self.add_class("-failed")
