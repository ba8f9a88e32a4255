"""The engine: deterministic, pure, and faithful to the scenario's rules."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brinkmanship.format.errors import GameError
from brinkmanship.format.loader import load_scenario
from brinkmanship.runtime.engine import Engine
from brinkmanship.runtime.session import Session
from brinkmanship.runtime.views import clock, scene_view
from tests.conftest import FIXTURES

SC = load_scenario(str(FIXTURES / "core" / "crisis.yaml"))


def game(role: str, seed: int, choices: list[str] | None = None) -> Session:
    s = Session(SC, role, seed)
    for cid in choices or []:
        s.take(cid)
    return s


def play(role: str, seed: int, picks: list[int]) -> Session:
    """Play by indexes into the available choices (wrapping), until the picks or game end."""
    g = Session(SC, role, seed)
    for p in picks:
        avail = g.engine.available(g.state)
        if g.state.over or not avail:
            break
        g.take(avail[p % len(avail)].id)
    return g


def states(s: Session) -> list[dict[str, object]]:
    return [dataclasses.asdict(s.state_at(i)) for i in range(s.turn + 1)]


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["north", "south"]),
    st.integers(0, 2**31),
    st.lists(st.integers(0, 5), max_size=25),
)
def test_same_inputs_same_game(role: str, seed: int, picks: list[int]) -> None:
    a = play(role, seed, picks)
    b = game(role, seed, list(a.choices))
    assert states(a) == states(b)
    assert a.state.digest() == b.state.digest()
    assert [t.check for t in a.turns] == [t.check for t in b.turns]


def test_step_does_not_change_the_old_state() -> None:
    e = Engine(SC, "north")
    s0 = e.start(1)
    before = dataclasses.asdict(s0)
    e.step(s0, "seize")
    assert dataclasses.asdict(s0) == before


def test_start_applies_setup_and_scene_effects() -> None:
    north = Engine(SC, "north").start(0)
    assert north.vars["tension"] == 31 and north.visits == {"n1": 1}
    south = Engine(SC, "south").start(0)
    assert south.vars["trust"] == 30


def test_effects_clamp_and_set_enums_and_bools() -> None:
    g = game("north", 5)
    g.take("call")
    assert g.state.vars["warned"] is True
    assert g.state.vars["trust"] == 20 + 31 // 10  # "+ tension / 10"; no mistrust at 23
    g2 = game("north", 5, ["seize", "push"])
    assert g2.state.vars["mood"] == "angry"
    assert g2.state.vars["tension"] <= 100


def test_once_only_choice_disappears() -> None:
    g = game("north", 1, ["call", "back"])
    ids = [c.id for c in g.engine.available(g.state)]
    assert "call" not in ids and "seize" in ids


def test_disabled_choice_is_shown_with_reason_not_available() -> None:
    e = Engine(SC, "north")
    v = scene_view(e, e.start(0))
    wait = next(c for c in v.choices if c.id == "wait")
    assert not wait.enabled and wait.reason == "Too tense to wait"
    # Greyed-out choices are listed after every choice that can be taken, numbered 1..n.
    flags = [c.enabled for c in v.choices]
    assert flags == sorted(flags, reverse=True) and False in flags
    assert [c.number for c in v.choices if c.enabled] == list(range(1, flags.count(True) + 1))
    with pytest.raises(GameError):
        e.step(e.start(0), "wait")


def test_reaction_answers_and_trigger_ends() -> None:
    g = game("north", 3, ["seize"])
    assert g.state.messages and g.state.messages[0] in ("They push back.", "They blink.")
    g.take("push")
    assert g.state.ending == "war" or g.state.vars["tension"] < 100
    g3 = game("north", 3, ["call", "deal", "fight"])
    assert g3.state.ending == "war" and "Shots are fired." in g3.state.messages


def test_reaction_roles_filter() -> None:
    south = game("south", 3, ["arm"])
    assert south.state.messages == ()


def test_successors_enumerate_every_outcome_with_probabilities() -> None:
    e = Engine(SC, "north")
    s = e.start(0)
    succ = e.successors(s, "seize")
    assert len(succ) == 2
    assert abs(sum(p for p, _ in succ) - 1) < 1e-9
    tensions = sorted(n.vars["tension"] for _, n in succ)
    assert tensions == [71, 76]
    # the seeded draw is one of the enumerated outcomes
    assert e.step(s, "seize").key() in {n.key() for _, n in succ}


def test_successors_merge_alike_outcomes_instead_of_multiplying(tmp_path: Path) -> None:
    rules = "".join(
        f"  - {{id: r{i}, if: 'tension >= {i}', outcomes: "
        "[{weight: 1, effects: {tension: +1}}, {weight: 2}, {weight: 1, text: Nothing.}]}\n"
        for i in range(40)
    )
    path = tmp_path / "many.yaml"
    path.write_text(MANY + rules, encoding="utf-8")
    e = Engine(load_scenario(str(path)), "a", texts=False)
    succ = e.successors(e.start(0), "go")  # 3**40 combinations of draws
    assert sorted(n.vars["tension"] for _, n in succ) == list(range(40, 81))
    assert abs(sum(p for p, _ in succ) - 1) < 1e-9
    assert all(n.messages == () for _, n in succ)
    # the seeded draw of the full engine is one of them, with its texts
    played = Engine(e.scenario, "a").step(e.start(0), "go")
    assert played.key() in {n.key() for _, n in succ} and played.messages


MANY = """\
format: 1
id: many
title: Many
roles:
  a: {name: A, start: s1}
variables:
  tension: {initial: 40, min: 0, max: 100}
scenes:
  s1:
    text: One.
    choices:
      - {id: go, text: Go, stance: hold, next: done}
endings:
  done: {title: Done, outcome: settlement, text: Bye.}
reactions:
"""


def test_seed_changes_draws_but_not_rules() -> None:
    outcomes = {game("north", seed, ["seize"]).state.messages for seed in range(60)}
    assert outcomes == {("They push back.",), ("They blink.",)}


def test_undo_restores_previous_state() -> None:
    g = game("north", 9, ["seize"])
    before = dataclasses.asdict(g.state_at(0))
    assert g.undo() and dataclasses.asdict(g.state) == before and g.choices == ()
    assert not g.undo()


def test_clock_advances_by_choice_hours() -> None:
    g = game("north", 2, ["call", "back"])
    assert g.state.minutes == 6 * 60 + 60
    assert clock(SC, g.state).text == "Thu 01 Jan 1970, 15:00"


def test_view_shows_role_specific_meters_and_conditional_text() -> None:
    e = Engine(SC, "south")
    labels = [m.label for m in scene_view(e, e.start(0)).meters]
    assert "Mood" not in labels and "Tension" in labels
    g = game("north", 0, ["call", "back"])
    assert "You have been warned." in scene_view(g.engine, g.state).text


def test_unknown_role_is_a_clear_error() -> None:
    with pytest.raises(GameError, match="no role 'west'"):
        Engine(SC, "west")


def test_many_random_games_always_end_or_stay_playable() -> None:
    rng = random.Random(0)
    for i in range(300):
        g = Session(SC, rng.choice(["north", "south"]), i)
        for _ in range(200):
            avail = g.engine.available(g.state)
            if g.state.over:
                break
            assert avail, f"stuck at {g.state.scene}"
            g.take(rng.choice(avail).id)
