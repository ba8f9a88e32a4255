"""A game in progress: the one place where (scenario, role, seed, choices) becomes a game.

Every front end and tool that plays, resumes, replays, undoes, branches or reloads a
game does it through a :class:`Session`. It keeps the choices and a small record of
each turn (where it was taken, the variables after it, a check digest), not every
full state: full states are kept every ``SNAPSHOT_EVERY`` turns and rebuilt from the
nearest one when asked for, so a move costs the same at turn 10 as at turn 10,000.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from brinkmanship.format.errors import GameError
from brinkmanship.format.model import Scenario
from brinkmanship.runtime.engine import Engine, GameState

SNAPSHOT_EVERY = 64  # the last SNAPSHOT_SPARSE turns have a full state every 64 turns,
SNAPSHOT_SPARSE = 1024  # older turns one every 1024 (a rebuild replays at most that many)
MAX_TURNS = 10_000  # a game longer than this cannot be saved and read back, so none is made


def now() -> str:
    """The current time, as saves record it (UTC, ISO 8601, whole seconds)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def new_game_id() -> str:
    """A new game's id: when it began, and a random part so two games never share one."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{secrets.token_hex(3)}"


def new_seed() -> int:
    return secrets.randbelow(2**31)


def chain_check(previous: str, state: GameState) -> str:
    """The check digest of a turn: the previous turn's, and what this turn changed.

    Computed once per turn from what a turn can change (the places entered, the
    variables, the clock, the triggers fired), so it costs the same late in a game
    as early, and a changed scenario shows at the first turn that plays differently.
    """
    blob = json.dumps(
        [
            previous,
            state.choice,
            state.stance,
            state.scene,
            state.ending,
            sorted(state.vars.items()),
            state.minutes,
            sorted(state.fired),
            len(state.used),
        ],
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Turn:
    """One move of a game, and a little of what followed it."""

    number: int  # 1-based
    scene: str  # where the choice was made
    choice: str
    stance: str
    check: str  # the check digest after the move
    vars: Mapping[str, Any]  # the variables after the move
    place: str  # the scene (or ending) the move led to
    minutes: int  # the clock after the move


@dataclass(frozen=True, slots=True)
class Divergence:
    """Where a replay stopped matching what was recorded, and why."""

    turn: int
    reason: str


class Session:
    """Owns one game: its scenario, role, seed and choices, and the states they give."""

    def __init__(
        self, scenario: Scenario, role: str, seed: int, *, game_id: str = "", created: str = ""
    ) -> None:
        self.engine = Engine(scenario, role)
        self.seed = seed
        self.game_id = game_id or new_game_id()
        self.created = created or now()
        self._start = self.engine.start(seed)
        self._state = self._start
        self._previous: GameState | None = None  # the state before the last choice, if kept
        self._choices: list[str] = []
        self._turns: list[Turn] = []
        self._snapshots: dict[int, GameState] = {0: self._start}
        self._redo: list[str] = []

    # -- making one -----------------------------------------------------------

    @classmethod
    def new(cls, scenario: Scenario, role: str, seed: int | None = None) -> Session:
        """A new game (a random seed unless one is given)."""
        return cls(scenario, role, new_seed() if seed is None else seed)

    @classmethod
    def replay(
        cls,
        scenario: Scenario,
        role: str,
        seed: int,
        choices: Iterable[str],
        checks: Sequence[str] = (),
        *,
        legacy_checks: bool = False,
        game_id: str = "",
        created: str = "",
    ) -> tuple[Session, Divergence | None]:
        """Play ``choices`` again, comparing each turn with ``checks`` where given.

        Stops at the first choice that is no longer available or the first turn whose
        check differs (``legacy_checks``: checks are digests of the whole state, as in
        saves of format 1). Returns the session as far as it replays, and where it
        stopped (None when everything reproduced).
        """
        s = cls(scenario, role, seed, game_id=game_id, created=created)
        for i, cid in enumerate(choices, start=1):
            try:
                s._advance(cid, reuse=True)
            except GameError as exc:
                return s, Divergence(i, str(exc))
            want = checks[i - 1] if i <= len(checks) else ""
            got = s.state.digest() if legacy_checks else s._turns[-1].check
            if want and want != got:
                where = s.state.ending or s.state.scene
                s.undo()
                s._redo.clear()
                return s, Divergence(
                    i,
                    f"after choice {cid!r} the game is no longer in the "
                    f"recorded state (now in {where!r})",
                )
        return s, None

    def branch(self, turn: int) -> Session:
        """A new game (a new id) that has made this game's first ``turn`` choices."""
        new = Session(self.scenario, self.role, self.seed)
        for cid in self._choices[:turn]:
            new.take(cid)
        return new

    def reload(self, scenario: Scenario) -> tuple[Session, Divergence | None]:
        """This game on a changed scenario, as far as its choices still go (same id)."""
        return Session.replay(
            scenario,
            self.role,
            self.seed,
            self._choices,
            game_id=self.game_id,
            created=self.created,
        )

    # -- what it is -----------------------------------------------------------

    @property
    def scenario(self) -> Scenario:
        return self.engine.scenario

    @property
    def role(self) -> str:
        return self.engine.role

    @property
    def state(self) -> GameState:
        return self._state

    @property
    def choices(self) -> tuple[str, ...]:
        return tuple(self._choices)

    @property
    def turns(self) -> Sequence[Turn]:
        return tuple(self._turns)

    @property
    def turn(self) -> int:
        """Choices made so far."""
        return len(self._choices)

    @property
    def over(self) -> bool:
        return self._state.over

    @property
    def check(self) -> str:
        """The check digest of the game as it stands."""
        return self._turns[-1].check if self._turns else ""

    def state_at(self, turn: int) -> GameState:
        """The state after the first ``turn`` choices (0: the start)."""
        if not 0 <= turn <= len(self._choices):
            raise IndexError(turn)
        if turn == len(self._choices):
            return self._state
        if turn == len(self._choices) - 1 and self._previous is not None:
            return self._previous  # the screen shows what the last choice changed: no replay
        return self._rebuild(turn)

    def _rebuild(self, turn: int) -> GameState:
        base = max(k for k in self._snapshots if k <= turn)
        st = self._snapshots[base]
        for cid in self._choices[base:turn]:
            st = self.engine.step(st, cid)
        return st

    def walk(self) -> Iterator[tuple[GameState, Turn, GameState]]:
        """Every turn played, in order, with the states before and after it (one pass)."""
        st = self._start
        for t in self._turns:
            after = self.engine.step(st, t.choice)
            yield st, t, after
            st = after

    def series(self, var: str) -> list[Any]:
        """A variable's value at the start and after each turn."""
        return [self._start.vars.get(var), *(t.vars.get(var) for t in self._turns)]

    def stance_counts(self, upto: int | None = None) -> dict[str, int]:
        counts: dict[str, int] = {}
        for t in self._turns[:upto]:
            counts[t.stance] = counts.get(t.stance, 0) + 1
        return counts

    # -- changing it ----------------------------------------------------------

    def take(self, choice_id: str) -> GameState:
        """Make a choice; raises GameError if it is not available now."""
        return self._advance(choice_id)

    def _advance(self, choice_id: str, *, reuse: bool = False) -> GameState:
        """``take``; ``reuse``: the current state may be changed in place (nobody outside
        holds it, as in a replay) unless it is kept as a snapshot."""
        if len(self._choices) >= MAX_TURNS:
            raise GameError(f"this game has reached the limit of {MAX_TURNS} turns")
        before = self._state
        scene = before.scene
        n = len(self._choices) + 1
        inplace = reuse and (n - 1) not in self._snapshots
        new = self.engine.step(before, choice_id, inplace=inplace)
        self._turns.append(
            Turn(
                n,
                scene,
                choice_id,
                new.stance,
                chain_check(self.check, new),
                dict(new.vars),
                new.ending or new.scene,
                new.minutes,
            )
        )
        self._choices.append(choice_id)
        self._state = new
        self._previous = None if inplace else before
        if n % SNAPSHOT_EVERY == 0:
            self._snapshots[n] = new
            # far back, one snapshot in SNAPSHOT_SPARSE turns is enough: a state's size
            # grows with the game, so keeping them all would make memory grow as n**2
            old = n - SNAPSHOT_SPARSE
            if old > 0 and old % SNAPSHOT_SPARSE:
                self._snapshots.pop(old, None)
        if self._redo and self._redo[-1] == choice_id:
            self._redo.pop()
        else:
            self._redo.clear()
        return new

    def can_undo(self) -> bool:
        return bool(self._choices)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> bool:
        """Take back the last choice (it can be redone); False at the start."""
        if not self._choices:
            return False
        cid = self._choices.pop()
        self._turns.pop()
        self._snapshots.pop(len(self._choices) + 1, None)
        self._state = self._rebuild(len(self._choices))
        self._previous = None
        self._redo.append(cid)
        return True

    def redo(self) -> bool:
        """Make the last undone choice again; False when there is none."""
        if not self._redo:
            return False
        self.take(self._redo[-1])
        return True
