"""Thirteen Days: no catastrophe without a warning the turn before (issue 15, point 5).

A warning is what the player sees at the last decision before the ending, and it must be
unmistakable: the tension meter in its critical zone (a "high" notice is not enough), the
US alert at DEFCON 1, or the text of one of the scenario's warning triggers (ids with
``-warn-``) shown on arriving there.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from brinkmanship.format.expr import Const, Ref, walk
from brinkmanship.format.loader import load_scenario
from brinkmanship.format.model import Scenario, Text, Trigger
from brinkmanship.format.scenegraph import reachable_places
from brinkmanship.runtime.engine import Engine, GameState
from brinkmanship.runtime.views import scene_view

FLAGSHIP = Path(__file__).resolve().parents[1] / "scenarios" / "thirteen-days" / "scenario.yaml"
ROLES = ("kennedy", "khrushchev")
STANCES = ("escalate", "hold", "negotiate", "concede")
SEEDS = 1500  # games a role: a fifth random, the rest leaning 80 % to one stance


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(str(FLAGSHIP))


def catastrophes(sc: Scenario) -> set[str]:
    return {e.id for e in sc.endings.values() if e.outcome == "catastrophe"}


def warning_triggers(sc: Scenario, role: str) -> list[Trigger]:
    return [t for t in sc.triggers if "-warn-" in t.id and (not t.roles or role in t.roles)]


def first_words(text: Text) -> list[str]:
    return [str(p.text[0])[:50] for p in text.parts if p.text]


def warned(sc: Scenario, eng: Engine, st: GameState) -> str | None:
    """What warned the player at ``st`` (None when nothing did)."""
    view = scene_view(eng, st)
    tension = next(m for m in view.meters if m.id == "tension")
    if tension.zone == "critical":
        return f"tension {tension.zone}"
    if st.vars["defcon"] == "DEFCON1":
        return "DEFCON 1"
    shown = " ".join(st.messages)
    for t in warning_triggers(sc, eng.role):
        if any(w in shown for w in first_words(t.text)):
            return t.id
    return None


def ways_in(sc: Scenario, role: str) -> set[str]:
    """The scenes a choice of which can lead straight into a catastrophe ending: by its
    ``next``, or by a reaction of the role that the choice sets off."""
    bad = catastrophes(sc)
    out = set()
    for s in sc.scenes.values():
        ids = {c.id for c in s.choices}
        if any(t in bad for c in s.choices for t in c.targets):
            out.add(s.id)
        for r in sc.reactions:
            if (r.roles and role not in r.roles) or r.cond is None:
                continue
            named = {str(n.value) for n in walk(r.cond.tree) if isinstance(n, Const)}
            if ids & named and any(o.goto in bad for o in r.outcomes):
                out.add(s.id)
    return out & reachable_places(sc, role)


@pytest.mark.parametrize("role", ROLES)
def test_every_scene_a_catastrophe_can_follow_announces_it(scenario: Scenario, role: str) -> None:
    """Static: each scene from which one choice can end in catastrophe has a warning
    trigger that fires on arriving there (its condition names the scene)."""
    scenes = ways_in(scenario, role)
    assert len(scenes) >= 4
    covered = {
        n.key
        for t in warning_triggers(scenario, role)
        for n in walk(t.cond.tree)
        if isinstance(n, Ref) and n.func == "visited"
    }
    assert scenes <= covered, sorted(scenes - covered)


@pytest.mark.parametrize("role", ROLES)
def test_no_catastrophe_comes_without_a_warning_the_turn_before(
    scenario: Scenario, role: str
) -> None:
    """Played: in every game that ends in catastrophe (wars by tension included), the
    last decision showed a warning."""
    eng = Engine(scenario, role)
    bad = catastrophes(scenario)
    found: dict[str, int] = {}
    unwarned = []
    for seed in range(SEEDS):
        rnd = random.Random(seed)
        lean = STANCES[seed % 5] if seed % 5 < 4 else None
        st = eng.start(seed)
        before = st
        while not st.over:
            options = eng.available(st)
            liked = [c for c in options if c.stance == lean]
            if liked and rnd.random() < 0.8:
                options = liked
            before, st = st, eng.step(st, rnd.choice(options).id)
        if st.ending in bad:
            found[st.ending] = found.get(st.ending, 0) + 1
            if warned(scenario, eng, before) is None:
                unwarned.append((seed, before.scene, st.ending))
    assert not unwarned, unwarned[:10]
    mine = {e for e in catastrophes(scenario) if e.startswith("k-" if role == "kennedy" else "n-")}
    assert set(found) == mine, found  # every catastrophe ending of the role was played into
