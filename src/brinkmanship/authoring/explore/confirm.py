"""Real games for the problems the static analysis says are *possible*.

The static analysis over-approximates: a scene it says may leave a game with no choice,
or an 'assume' it says may be broken, may be fine in every real game. For each, we look
for a real game that shows the problem, guided by what is already known:

1. the paths already found (by the exhaustive or the bounded search, and the static
   analysis's own way there on the scene graph), replayed under ``SEEDS`` seeds;
2. a breadth-first search of real games under a few seeds (``SEARCH_SEEDS``), up to
   ``SEARCH_STATES`` states each, stopping at the first game that shows it.

A game found is "confirmed" and saved (a save file ``play --load`` opens); otherwise the
problem stays "possible", with the reason it could not be excluded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brinkmanship.authoring.claims import static_verdicts
from brinkmanship.authoring.explore.search import RoleResult
from brinkmanship.authoring.explore.witnesses import seeded_search
from brinkmanship.authoring.static import Facts, RoleFacts
from brinkmanship.authoring.whencheck import play_path
from brinkmanship.format.model import Claim
from brinkmanship.runtime.engine import Engine, GameState
from brinkmanship.runtime.session import Session
from brinkmanship.runtime.store import SaveStore

SEEDS = 16  # seeds each known path is replayed under
SEARCH_SEEDS = 2
SEARCH_STATES = 3_000
BUDGET = 30_000  # turns played (replays) and states searched, per role, for all of it


@dataclass
class Confirmation:
    """A possible problem, and whether a real game shows it."""

    kind: str  # "stuck" or "assume"
    where: str  # the scene, or the claim's file:line
    what: str  # in words
    verdict: str  # "confirmed" or "possible"
    method: str  # how the game was found, or what was tried
    seed: int | None = None
    path: tuple[str, ...] = ()
    file: str | None = None  # the saved game
    reason: str = ""  # why it stays possible

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "where": self.where,
            "what": self.what,
            "verdict": self.verdict,
            "method": self.method,
            "seed": self.seed,
            "path": list(self.path),
            "file": self.file,
            "reason": self.reason,
        }


class _Budget:
    def __init__(self, n: int) -> None:
        self.left = n


def _find(
    engine: Engine,
    goal: Callable[[GameState], bool],
    known: list[tuple[list[str], int | None]],
    reset: Callable[[], None],
    budget: _Budget,
) -> tuple[int, list[str], str] | None:
    """(seed, path, method) of a real game reaching ``goal``, or None."""
    for path, seed in known:
        seeds = [seed] if seed is not None else []
        for s in dict.fromkeys([*seeds, *range(SEEDS)]):
            if budget.left <= 0:
                return None
            budget.left -= len(path) + 1
            reset()
            st = play_path(engine, s, path)
            if st is not None and goal(st):
                return s, path, f"a known path replayed under seed {s}"
    for s in range(SEARCH_SEEDS):
        states = min(SEARCH_STATES, budget.left)
        if states <= 0:
            return None
        budget.left -= states
        reset()
        found, _ = seeded_search(engine, s, goal, states)
        if found is not None:
            return s, found, f"a search of real games under seed {s}"
    return None


def _any(found: list[Claim]) -> Callable[[GameState], bool]:
    """A goal that holds once ``found`` has something in it."""
    return lambda st: bool(found)


def _save(engine: Engine, seed: int, path: list[str], saves: Path | None, name: str) -> str | None:
    if saves is None:
        return None
    session, _ = Session.replay(engine.scenario, engine.role, seed, path)
    if len(name) > 64:
        name = f"{name[:55]}-{hashlib.sha1(name.encode()).hexdigest()[:8]}"
    return str(SaveStore(saves).write(session, name, overwrite=True))


def confirm_role(
    result: RoleResult, facts: RoleFacts, all_facts: Facts, saves: Path | None
) -> list[Confirmation]:
    """Try to confirm each possible stuck scene and possibly broken 'assume' of a role."""
    sc = result.scenario
    role = result.role
    engine = Engine(sc, role, texts=False)
    out: list[Confirmation] = []
    budget = _Budget(BUDGET)
    tried = (
        f"the known paths replayed under {SEEDS} seeds, then {SEARCH_SEEDS} searches of "
        f"up to {SEARCH_STATES} states, within {BUDGET} turns for the whole role"
    )
    stuck_found = result.stuck_by_scene()
    for scene, (always, values) in facts.stuck.items():
        what = (
            "every game that gets there has no choice"
            if always
            else f"no choice available when {values or 'some values hold'}"
        )

        def stuck(st: GameState, scene: str = scene) -> bool:
            return st.scene == scene and not st.over and not engine.available(st)

        known: list[tuple[list[str], int | None]] = []
        if scene in stuck_found:
            known.append((result.graph.path(stuck_found[scene][0]), None))
        b = result.bounded
        if b is not None and scene in b.stuck:
            known.append((list(b.stuck[scene].path), b.stuck[scene].seed))
        known.append((facts.path(scene), None))
        got = _find(engine, stuck, known, lambda: None, budget)
        if got is None:
            out.append(
                Confirmation(
                    "stuck",
                    scene,
                    what,
                    "possible",
                    "static analysis",
                    reason=(
                        f"static analysis cannot rule it out, and no real game was found ({tried})"
                    ),
                )
            )
            continue
        seed, path, how = got
        file = _save(engine, seed, path, saves, f"problem-{role}-stuck-{scene}")
        out.append(Confirmation("stuck", scene, what, "confirmed", how, seed, tuple(path), file))
    verdicts = static_verdicts(sc, all_facts)
    for loc, v in verdicts.items():
        if v.verdict not in ("possible", "broken") or (
            v.role != role and loc not in result.claims_failed
        ):
            continue
        claim = v.claim
        broke: list[Claim] = []

        def watch(c: Claim, st: GameState, loc: Any = loc, broke: list[Claim] = broke) -> None:
            if c.loc == loc and not broke and not c.cond(st):
                broke.append(c)

        engine.watch = watch
        known = []
        if loc in result.claims_failed:
            known.append((result.claims_failed[loc][1], None))
        known.append((list(v.path), None))
        got = _find(engine, _any(broke), known, broke.clear, budget)
        engine.watch = None
        where = f"{loc[0]}:{loc[1]}"
        what = f"{claim.what} assumes {claim.cond.source!r}"
        if got is None:
            if v.verdict == "possible":
                out.append(
                    Confirmation(
                        "assume",
                        where,
                        what,
                        "possible",
                        "static analysis",
                        reason=(
                            "static analysis cannot rule out a game that breaks it"
                            + (f" (when {v.values})" if v.values else "")
                            + f", and no real game was found ({tried})"
                        ),
                    )
                )
            continue
        seed, path, how = got
        file = _save(engine, seed, path, saves, f"problem-{role}-assume-{loc[1]}")
        out.append(Confirmation("assume", where, what, "confirmed", how, seed, tuple(path), file))
    return out
