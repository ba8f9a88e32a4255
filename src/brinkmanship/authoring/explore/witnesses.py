"""Concrete games for what the search claims: a seed and choices that replay to each place."""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable
from pathlib import Path

from brinkmanship.authoring.bounded import bounded_search
from brinkmanship.authoring.explore.search import RoleResult
from brinkmanship.authoring.statekey import key_function
from brinkmanship.runtime.engine import Engine, GameState
from brinkmanship.runtime.session import Session
from brinkmanship.runtime.store import SaveStore

WITNESS_SEEDS = 2000
SEEDED_SEARCH_SEEDS = 5
SEEDED_SEARCH_STATES = 50_000
WITNESS_SEARCH_STATES = 20_000


def replay_path(engine: Engine, seed: int, path: list[str]) -> GameState | None:
    """The state after taking ``path`` under ``seed``, or None if a choice is unavailable."""
    session, stopped = Session.replay(engine.scenario, engine.role, seed, path)
    return None if stopped is not None else session.state


def seeded_search(
    engine: Engine,
    seed: int,
    goal: Callable[[GameState], bool],
    max_states: int = SEEDED_SEARCH_STATES,
    max_depth: int | None = None,
    error_goal: Callable[[Exception], bool] | None = None,
) -> tuple[list[str] | None, bool]:
    """The shortest choice list reaching a state where ``goal`` holds, under one seed.

    With ``error_goal``, a choice whose step raises an exception it accepts counts
    as reaching the goal (the choice ends the list). Returns (the list or None,
    whether the search was exhaustive up to ``max_depth``).
    """
    key = key_function(engine)
    st = engine.start(seed)
    if goal(st):
        return [], True
    seen = {(key(st), st.turn)}
    queue: deque[tuple[GameState, list[str]]] = deque([(st, [])])
    while queue:
        if len(seen) >= max_states:
            return None, False
        st, path = queue.popleft()
        if st.over or (max_depth is not None and len(path) >= max_depth):
            continue
        for c in engine.available(st):
            try:
                nxt = engine.step(st, c.id)
            except Exception as exc:  # a scenario must never crash the tools
                if error_goal is not None and error_goal(exc):
                    return [*path, c.id], True
                continue
            k = (key(nxt), nxt.turn)
            if k in seen:
                continue
            seen.add(k)
            if goal(nxt):
                return [*path, c.id], True
            queue.append((nxt, [*path, c.id]))
    return None, True


def find_witness(
    engine: Engine, place: str, path: list[str], seed: int | None = None
) -> tuple[int, list[str]] | None:
    """A (seed, choices) pair that really reaches ``place`` (a scene or an ending).

    ``path`` is tried under ``seed`` when given, then under seeds 0, 1, 2...; failing
    that, a bounded search for the place under a few seeds, then a seeded search.
    """
    seeds = range(WITNESS_SEEDS) if seed is None else [seed, *range(WITNESS_SEEDS)]
    for s in seeds:
        st = replay_path(engine, s, path)
        if st is not None and place in st.visits:
            return s, path
    guided = bounded_search(engine, [place], WITNESS_SEARCH_STATES)
    if place in guided.found:
        f = guided.found[place]
        return f.seed, list(f.path)
    for s in range(SEEDED_SEARCH_SEEDS):
        found, _ = seeded_search(engine, s, lambda st: place in st.visits)
        if found is not None:
            return s, found
    return None


def write_witnesses(result: RoleResult, directory: Path) -> None:
    """Write a save per reachable ending into ``directory`` (replacing older witnesses)."""
    engine = Engine(result.scenario, result.role, texts=False)
    store = SaveStore(directory)
    for eid in sorted(result.found & set(result.scenario.endings)):
        hit = result.path_to(eid)
        assert hit is not None
        found = find_witness(engine, eid, *hit)
        if found is None:
            result.witnesses[eid] = {"file": None, "reason": "no seed found that reaches it"}
            continue
        seed, choices = found
        session, _ = Session.replay(result.scenario, result.role, seed, choices)
        name = witness_name(result.role, eid)
        saved = store.write(session, name, overwrite=True)
        result.witnesses[eid] = {"file": str(saved), "seed": seed, "path": choices}


def witness_name(role: str, ending: str) -> str:
    name = f"witness-{role}-{ending}"
    if len(name) > 64:
        digest = hashlib.sha1(name.encode()).hexdigest()[:8]
        name = f"{name[:55]}-{digest}"
    return name
