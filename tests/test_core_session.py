"""The Session: the one place a game is rebuilt from its choices; undo, redo, branch, reload."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brinkmanship.format.errors import GameError
from brinkmanship.format.loader import load_scenario
from brinkmanship.runtime import session as session_mod
from brinkmanship.runtime.session import SNAPSHOT_EVERY, SNAPSHOT_SPARSE, Session
from tests.conftest import FIXTURES, ROOT

SC = load_scenario(str(FIXTURES / "core" / "crisis.yaml"))
TUTORIAL = load_scenario(str(ROOT / "scenarios" / "tutorial.yaml"))
LOOP = """
format: 1
id: loop
title: Round and round
roles: {a: {name: A, start: s}}
variables: {n: {initial: 0, min: 0, max: 1000000}}
scenes:
  s:
    text: Again.
    choices:
      - {id: again, text: Again, stance: hold, effects: {n: +1}, next: s}
      - {id: stop, text: Stop, stance: concede, next: end}
endings:
  end: {title: End, outcome: stalemate, text: Done.}
"""


def random_game(scenario, role: str, seed: int, rng: random.Random, turns: int) -> Session:
    s = Session(scenario, role, seed)
    for _ in range(turns):
        avail = s.engine.available(s.state)
        if s.over or not avail:
            break
        s.take(rng.choice(avail).id)
    return s


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**31), st.integers(0, 10_000), st.sampled_from(["lind", "castell"]))
def test_state_at_every_turn_equals_playing_step_by_step(seed: int, pick: int, role: str) -> None:
    s = random_game(TUTORIAL, role, seed, random.Random(pick), 40)
    st_ = s.engine.start(seed)
    for i, cid in enumerate(s.choices):
        assert dataclasses.asdict(s.state_at(i)) == dataclasses.asdict(st_)
        st_ = s.engine.step(st_, cid)
    assert dataclasses.asdict(s.state) == dataclasses.asdict(st_)


def test_the_state_before_the_last_choice_after_undo_and_redo() -> None:
    """The state before the last choice is kept for the screen; undo and redo keep it
    right (it is what a replay from the start gives)."""
    s = random_game(SC, "north", 3, random.Random(2), 6)

    def replayed(turn: int) -> dict[str, object]:
        st_ = s.engine.start(3)
        for cid in s.choices[:turn]:
            st_ = s.engine.step(st_, cid)
        return dataclasses.asdict(st_)

    for move in (s.undo, s.undo, s.redo, s.undo, s.redo, s.redo):
        move()
        if s.turn:
            assert dataclasses.asdict(s.state_at(s.turn - 1)) == replayed(s.turn - 1)


def test_replay_reproduces_and_reports_the_first_diverging_turn() -> None:
    s = random_game(SC, "north", 7, random.Random(1), 12)
    again, stop = Session.replay(SC, "north", 7, s.choices, [t.check for t in s.turns])
    assert stop is None and again.check == s.check and again.choices == s.choices
    bad = [t.check for t in s.turns]
    bad[1] = "0" * 16
    cut, stop = Session.replay(SC, "north", 7, s.choices, bad)
    assert stop is not None and stop.turn == 2 and "recorded state" in stop.reason
    assert cut.turn == 1  # only the turns that reproduce are kept
    gone, stop = Session.replay(SC, "north", 7, [*s.choices[:1], "no-such-choice"])
    assert stop is not None and stop.turn == 2 and gone.turn == 1


def test_undo_and_redo_walk_back_and_forth() -> None:
    s = random_game(SC, "north", 3, random.Random(2), 6)
    choices, check = s.choices, s.check
    n = s.turn
    for _ in range(n):
        assert s.undo()
    assert not s.undo() and s.turn == 0 and s.can_redo()
    for _ in range(n):
        assert s.redo()
    assert not s.redo()
    assert s.choices == choices and s.check == check
    s.undo()
    other = (
        next(c.id for c in s.engine.available(s.state) if c.id != choices[-1])
        if len(s.engine.available(s.state)) > 1
        else None
    )
    if other is not None:
        s.take(other)  # a different choice forgets what could be redone
        assert not s.can_redo()


def test_branch_is_a_new_game_with_the_first_turns(tmp_path: Path) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text(LOOP, encoding="utf-8")
    s = Session(load_scenario(str(path)), "a", 5)
    for _ in range(6):
        s.take("again")
    b = s.branch(3)
    assert b.game_id != s.game_id and b.choices == s.choices[:3] and b.seed == s.seed
    assert b.turns[-1].check == s.turns[2].check


def test_reload_keeps_the_game_id_and_replays_as_far_as_it_goes(tmp_path: Path) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text(LOOP, encoding="utf-8")
    s = Session(load_scenario(str(path)), "a", 5)
    for _ in range(4):
        s.take("again")
    same, stop = s.reload(load_scenario(str(path)))
    assert stop is None and same.game_id == s.game_id and same.check == s.check
    path.write_text(LOOP.replace("n: +1", "n: +2"), encoding="utf-8")
    changed, stop = s.reload(load_scenario(str(path)))
    assert stop is None and changed.turn == 4 and changed.state.vars["n"] == 8
    path.write_text(LOOP.replace("id: again", "id: more"), encoding="utf-8")
    cut, stop = s.reload(load_scenario(str(path)))
    assert stop is not None and stop.turn == 1 and cut.turn == 0


def test_a_game_stops_at_the_turn_limit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(session_mod, "MAX_TURNS", 3)
    path = tmp_path / "loop.yaml"
    path.write_text(LOOP, encoding="utf-8")
    s = Session(load_scenario(str(path)), "a", 1)
    for _ in range(3):
        s.take("again")
    with pytest.raises(GameError, match="limit of 3 turns"):
        s.take("again")
    assert s.turn == 3


def test_long_games_keep_snapshots_not_every_state(tmp_path: Path) -> None:
    path = tmp_path / "loop.yaml"
    path.write_text(LOOP, encoding="utf-8")
    s = Session(load_scenario(str(path)), "a", 1)
    for _ in range(3000):
        s.take("again")
    # dense for the last SNAPSHOT_SPARSE turns, sparse before: memory stays bounded
    last = 3000 // SNAPSHOT_EVERY * SNAPSHOT_EVERY
    kept = [
        k
        for k in range(0, last + 1, SNAPSHOT_EVERY)
        if k % SNAPSHOT_SPARSE == 0 or k > last - SNAPSHOT_SPARSE
    ]
    assert sorted(s._snapshots) == kept and len(kept) < 3000 // SNAPSHOT_EVERY
    assert s.state_at(500).vars["n"] == 500 and s.state.vars["n"] == 3000
    assert s.series("n")[::750] == [0, 750, 1500, 2250, 3000]
    s.undo()
    assert s.state.vars["n"] == 2999
    # a replay changes states in place, never a snapshot: every past state still rebuilds
    again, divergence = Session.replay(s.scenario, "a", 1, s.choices, [t.check for t in s.turns])
    assert divergence is None and again.check == s.check
    assert all(again.state_at(k).vars["n"] == k for k in range(0, 3000, 97))
    assert again._snapshots[0].vars["n"] == 0 and again._snapshots[2048].vars["n"] == 2048
