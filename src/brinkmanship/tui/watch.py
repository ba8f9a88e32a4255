"""Live reload for writers: notice a scenario's files change and replay the game on the new one.

No Textual here: the game screen polls :meth:`Watcher.changed` and runs
:func:`reload_game` in a worker thread.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from brinkmanship.engine import Engine, Game
from brinkmanship.errors import BrinkError, GameError, ScenarioError
from brinkmanship.loader import load_scenario


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
    game: Game | None  # None: keep playing the old version
    message: str
    severity: str = "information"  # information, warning or error


def reload_game(game: Game, path: str) -> Reloaded:
    """Load ``path`` again and replay ``game``'s choices on it, as far as they still go."""
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        first = exc.diagnostics[0] if exc.diagnostics else None
        more = len(exc.diagnostics) - 1
        detail = str(first) if first else str(exc)
        if more > 0:
            detail += f" (and {more} more)"
        return Reloaded(None, f"The scenario has errors; still playing the previous version.\n"
                        f"{detail}", "error")
    except (BrinkError, OSError) as exc:
        return Reloaded(None, f"Cannot reload the scenario: {exc}", "error")
    try:
        engine = Engine(scenario, game.role)
        new = Game(engine, game.seed)
    except BrinkError as exc:
        return Reloaded(None, f"Cannot reload the scenario: {exc}", "error")
    new.created = game.created
    for i, cid in enumerate(game.choices, start=1):
        try:
            new.choose(cid)
        except GameError as exc:
            return Reloaded(new, f"Reloaded, but turn {i} no longer replays ({exc}). "
                            f"The game is back at turn {i}.", "warning")
    return Reloaded(new, f"Scenario reloaded; the game is still at turn {new.state.turn + 1}.")
