"""Live reload for writers: notice a scenario's files change and replay the game on the new one.

The game screen polls :meth:`Watcher.changed` and runs :func:`reload_session` in a
worker thread; the replay itself is the Session's.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from textual.notifications import SeverityLevel

from brinkmanship.format.errors import BrinkError, ScenarioError, split_causes
from brinkmanship.format.loader import load_scenario
from brinkmanship.runtime.session import Session


class Watcher:
    """Remembers the modification times of a scenario's files."""

    def __init__(self, files: tuple[str, ...] | list[str]) -> None:
        self.files = list(files)
        self.stamps = self._stamps()

    def _stamps(self) -> dict[str, tuple[int, int] | None]:
        out: dict[str, tuple[int, int] | None] = {}
        for f in self.files:
            try:
                st = os.stat(f)
                out[f] = (st.st_mtime_ns, st.st_size)
            except OSError:
                out[f] = None
        return out

    def changed(self) -> bool:
        now = self._stamps()
        if now == self.stamps:
            return False
        self.stamps = now
        return True

    def reset(self, files: tuple[str, ...] | list[str]) -> None:
        self.files = list(files)
        self.stamps = self._stamps()


@dataclass(frozen=True, slots=True)
class Reloaded:
    session: Session | None  # None: keep playing the old version
    message: str
    severity: SeverityLevel = "information"


def reload_session(session: Session) -> Reloaded:
    """Load the scenario again and replay ``session``'s choices on it, as far as they go."""
    path = session.scenario.path
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        own, follow = split_causes(exc.diagnostics)
        detail = str(own[0]) if own else str(exc)
        more = len(own) - 1
        if more > 0:
            detail += f" (and {more} more)"
        folded = sum(follow.values())
        if folded:
            detail += f"; {folded} more follow from it"
        return Reloaded(
            None, f"The scenario has errors; still playing the previous version.\n{detail}", "error"
        )
    except (BrinkError, OSError) as exc:
        return Reloaded(None, f"Cannot reload the scenario: {exc}", "error")
    try:
        new, stopped = session.reload(scenario)
    except BrinkError as exc:
        return Reloaded(None, f"Cannot reload the scenario: {exc}", "error")
    if stopped is not None:
        return Reloaded(
            new,
            f"Reloaded, but turn {stopped.turn} no longer replays "
            f"({stopped.reason}). The game is back at turn {stopped.turn}.",
            "warning",
        )
    return Reloaded(new, f"Scenario reloaded; the game is still at turn {new.turn + 1}.")
