"""The static analysis behind validate (issue 13): planted faults are found at their
file:line, clean scenarios report none, and it never claims what a real game refutes."""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brinkmanship.authoring.analysis import warnings_for
from brinkmanship.authoring.explore import explore_role
from brinkmanship.authoring.static import analyse, layout_keys
from brinkmanship.format.absint import Num
from brinkmanship.format.loader import check_scenario, load_scenario
from brinkmanship.format.model import Scenario
from brinkmanship.runtime.engine import Engine, GameState
from tests.toolkit_helpers import diagnostics, line_of

HEAD = """\
format: 1
id: planted
title: Planted
roles:
  one: {name: Someone, start: s1}
variables:
  trust: {initial: 10, min: 0, max: 100, label: Trust}
  heat: {initial: 0, min: 0, max: 10, label: Heat}
"""


def write(tmp_path: Path, body: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + body, encoding="utf-8")
    return path


codes = diagnostics


CLEAN = """\
scenes:
  s1:
    text: "Trust {trust}."
    choices:
      - {id: warm, text: Warm, stance: negotiate, effects: {trust: +20}, next: s2}
      - {id: cool, text: Cool, stance: escalate, effects: {heat: +4}, next: s2}
  s2:
    text:
      - Two.
      - {if: "trust >= 30", text: They smile.}
    choices:
      - {id: deal, text: Deal, stance: negotiate, if: "trust >= 30", next: good}
      - {id: push, text: Push, stance: escalate, if: "trust < 30", next: bad}
      - {id: again, text: Again, stance: hold, once: true, next: s1}
endings:
  good: {title: Good, outcome: settlement, text: Good.}
  bad: {title: Bad, outcome: defeat, text: Bad.}
"""


def test_a_clean_scenario_reports_nothing(tmp_path: Path) -> None:
    assert codes(write(tmp_path, CLEAN)) == {}


def test_a_scene_nothing_can_lead_to_is_never_reached(tmp_path: Path) -> None:
    body = CLEAN.replace(
        "      - {id: again,",
        "      - {id: secret, text: Secret, stance: hold, if: 'heat > 5 and trust < 5', "
        "next: vault}\n      - {id: again,",
    ).replace(
        "endings:",
        "  vault:\n    text: Vault.\n    choices:\n"
        "      - {id: out, text: Out, stance: hold, next: good}\nendings:",
    )
    path = write(tmp_path, body)
    found = codes(path)
    # trust starts at 10 and only rises, so the way to the vault never opens
    assert found.keys() == {"W006", "W009"}
    assert found["W006"] == [
        (
            line_of(path, "vault:"),
            "scene 'vault' is never reached in any game: the conditions on every way there "
            "never hold (proved by static analysis)",
        )
    ]
    assert found["W009"][0][0] == line_of(path, "id: secret")


def test_a_literal_outside_the_declared_range_is_found_by_the_loader(tmp_path: Path) -> None:
    path = write(
        tmp_path, CLEAN.replace('if: "trust >= 30", next: good', 'if: "trust > 100", next: good')
    )
    scenario, diags = check_scenario(str(path))
    assert scenario is not None
    (d,) = [d for d in diags if d.code == "C008"]
    assert (d.line, d.severity) == (line_of(path, "id: deal"), "warning")
    assert "'trust > 100' can never be true (trust is declared 0..100)" in d.message
    line = path.read_text().splitlines()[d.line - 1]
    assert line[d.col - 1 :].startswith('"trust > 100"')


def test_two_scenes_that_lead_only_to_each_other_are_a_loop(tmp_path: Path) -> None:
    body = CLEAN.replace(
        "      - {id: again,",
        "      - {id: jump, text: Jump, stance: escalate, next: pit-a}\n      - {id: again,",
    ).replace(
        "endings:",
        "  pit-a:\n    text: A.\n    choices:\n"
        "      - {id: on, text: On, stance: hold, effects: {heat: +1}, next: pit-b}\n"
        "  pit-b:\n    text: B.\n    choices:\n"
        "      - {id: back, text: Back, stance: hold, next: pit-a}\n"
        "      - {id: wait, text: Wait, stance: hold, if: 'heat > 20', next: good}\n"
        "endings:",
    )
    path = write(tmp_path, body)
    found = codes(path)
    assert [line for line, _ in found["W007"]] == [line_of(path, "pit-a:")]
    message = found["W007"][0][1]
    assert "among scenes pit-a, pit-b" in message and "entered after warm > jump" in message
    assert "proved by static analysis" in message
    # the way out needs heat > 20, but heat is at most 10: the loader says so too
    assert [line for line, _ in found["C008"]] == [line_of(path, "id: wait")]


def test_a_trigger_is_a_way_out_of_a_loop(tmp_path: Path) -> None:
    body = CLEAN.replace(
        "      - {id: again,",
        "      - {id: jump, text: Jump, stance: escalate, next: pit-a}\n      - {id: again,",
    ).replace(
        "endings:",
        "  pit-a:\n    text: A.\n    choices:\n"
        "      - {id: on, text: On, stance: hold, effects: {heat: +1}, next: pit-b}\n"
        "  pit-b:\n    text: B.\n    choices:\n"
        "      - {id: back, text: Back, stance: hold, next: pit-a}\n"
        "endings:",
    )
    body += "triggers:\n  - {id: rescue, if: 'heat >= 10', goto: good}\n"
    assert "W007" not in codes(write(tmp_path, body))


def test_stuck_scenes_certain_and_possible(tmp_path: Path) -> None:
    certain = CLEAN.replace("next: s2}\n      - {id: cool", "next: s3}\n      - {id: cool").replace(
        "endings:",
        "  s3:\n    text: Three.\n    choices:\n"
        "      - {id: x, text: X, stance: hold, if: 'trust < 20', next: good}\nendings:",
    )
    path = write(tmp_path, certain, "certain.yaml")
    (w,) = codes(path)["W002"]
    assert w[0] == line_of(path, "s3:") and "every game that gets there is stuck" in w[1]
    assert "after warm" in w[1]
    possible = CLEAN.replace('if: "trust < 30", next: bad', 'if: "trust < 20", next: bad')
    possible = possible.replace("once: true, ", "once: true, if: 'heat < 4', ")
    path = write(tmp_path, possible, "possible.yaml")
    (w,) = codes(path)["W002"]
    assert w[0] == line_of(path, "s2:")
    assert "when trust 20..29" in w[1] and "possible: static analysis cannot rule it out" in w[1]


def test_a_failing_analysis_is_a_warning_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brinkmanship.authoring import analysis

    def broken(scenario: Scenario) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(analysis, "analyse", broken)
    path = write(tmp_path, CLEAN)
    (w,) = warnings_for(load_scenario(str(path)))
    assert w.code == "W013" and "boom" in w.message and w.line == line_of(path, "s1:")


def overlapping(n: int) -> str:
    """n reactions whose conditions overlap: every choice sets off all of them."""
    rules = "".join(
        f"  - {{id: r{i}, if: 'trust >= {i}', outcomes: [{{weight: 1, effects: {{trust: +1}}}}, "
        f"{{weight: 'trust', effects: {{heat: +1}}}}, {{weight: 2}}]}}\n"
        for i in range(n)
    )
    return CLEAN + "reactions:\n" + rules


def test_overlapping_reactions_cost_steps_not_products(tmp_path: Path) -> None:
    scenario = load_scenario(str(write(tmp_path, overlapping(40))))
    start = time.process_time()
    facts = analyse(scenario)
    assert time.process_time() - start < 2.0  # 3**40 combinations, taken one reaction at a time
    role = facts.roles["one"]
    assert role.reached("good") and role.reached("bad") and not role.stuck


# -- soundness: no claim a real game refutes -------------------------------------

CONDS = [
    "a > {k}",
    "a + b <= {k}",
    "not f",
    "f and a < {k}",
    "e == 'x'",
    "e != 'y' or b >= {k}",
    "turn % 2 == 0",
    "hours >= {k}",
    'visited("s{s}")',
    'chose("c{s}x0")',
    "a * 2 - b > {k}",
    "abs(a - b) < {k}",
    "min(a, b) == {k}",
    "stance == 'hold'",
]
EFFECTS = [
    {"a": "+{k}"},
    {"b": "-{k}"},
    {"f": True},
    {"f": False},
    {"e": "y"},
    {"a": "= b * 2 - {k}"},
    {"b": "= a / 3 + {k}"},
]


# Format 2: a ladder, values from 'if ... else', the clock moved by an effect.
CONDS2 = ['l >= "l2"', '"l1" < l', "l == 'l0'", "(a if f else b) > {k}"]
EFFECTS2 = [
    {"l": "+1"},
    {"l": "-1"},
    {"l": "+ a / 4"},
    {"e": '"y" if a > {k} else "z"'},
    {"hours": "+ {k}"},
    {"hours": "= hours - {k}"},
]


def random_scenario(rng: random.Random, two: bool = False) -> dict[str, Any]:
    n = rng.randint(2, 6)
    places = [f"s{i}" for i in range(n)] + ["e0", "e1"]

    def cond() -> str:
        pool = CONDS + CONDS2 if two else CONDS
        return rng.choice(pool).format(k=rng.randint(0, 12), s=rng.randrange(n))

    def effect() -> dict[str, Any]:
        k = rng.randint(0, 6)
        pool = EFFECTS + EFFECTS2 if two else EFFECTS
        return {
            var: val.format(k=k) if isinstance(val, str) else val
            for var, val in rng.choice(pool).items()
        }

    scenes: dict[str, Any] = {}
    for i in range(n):
        choices = []
        for j in range(rng.randint(1, 3)):
            c: dict[str, Any] = {
                "id": f"c{i}x{j}",
                "text": "C",
                "stance": rng.choice(["hold", "escalate", "negotiate"]),
                "next": rng.choice(places),
            }
            if rng.random() < 0.5:
                c["if"] = cond()
            if rng.random() < 0.5:
                c["effects"] = effect()
            if rng.random() < 0.2:
                c["once"] = True
            if rng.random() < 0.2:
                c["hours"] = rng.randint(1, 30)
            if two and rng.random() < 0.4:  # a conditional next
                c["next"] = [
                    *({"if": cond(), "to": rng.choice(places)} for _ in range(rng.randint(1, 2))),
                    {"to": c["next"]},
                ]
            choices.append(c)
        scene: dict[str, Any] = {"text": "T", "choices": choices}
        if rng.random() < 0.3:
            scene["effects"] = effect()
        scenes[f"s{i}"] = scene
    reactions = []
    for r in range(rng.randint(0, 3)):
        outcomes = []
        for _ in range(rng.randint(1, 3)):
            o: dict[str, Any] = {"weight": rng.choice([1, 2, "a - 3", "b"])}
            if rng.random() < 0.6:
                o["effects"] = effect()
            if rng.random() < 0.3:
                o["goto"] = rng.choice(places)
            if two and rng.random() < 0.3:
                o["if"] = cond()
            if two and rng.random() < 0.3:
                if rng.random() < 0.5:
                    o["once"] = True
                else:
                    o["cooldown"] = rng.randint(1, 2)
            outcomes.append(o)
        rule: dict[str, Any] = {"id": f"r{r}", "outcomes": outcomes}
        if rng.random() < 0.6:
            rule["if"] = cond()
        if two and rng.random() < 0.4:
            if rng.random() < 0.5:
                rule["once"] = True
            else:
                rule["cooldown"] = rng.randint(1, 3)
        reactions.append(rule)
    triggers = []
    for t in range(rng.randint(0, 2)):
        trig: dict[str, Any] = {"id": f"t{t}", "if": cond(), "once": rng.random() < 0.5}
        if rng.random() < 0.5:
            trig["goto"] = rng.choice(places)
        if rng.random() < 0.5:
            trig["effects"] = effect()
        triggers.append(trig)
    variables: dict[str, Any] = {
        "a": {"initial": rng.randint(0, 10), "min": 0, "max": 10},
        "b": {"initial": rng.randint(0, 10), "min": -5, "max": 20},
        "f": {"initial": rng.random() < 0.5},
        "e": {"initial": "x", "values": ["x", "y", "z"]},
    }
    if two:
        variables["l"] = {"type": "ladder", "values": ["l0", "l1", "l2", "l3"], "initial": "l0"}
    return {
        "format": 2 if two else 1,
        "id": "random",
        "title": "Random",
        "clock": {"start": "1962-10-16 08:00", "hours_per_turn": 6},
        "roles": {"p": {"name": "P", "start": "s0"}},
        "variables": variables,
        "scenes": scenes,
        "endings": {
            "e0": {"title": "E0", "outcome": "settlement", "text": "E."},
            "e1": {"title": "E1", "outcome": "defeat", "text": "E."},
        },
        "reactions": reactions,
        "triggers": triggers,
    }


def concrete(st: GameState, key: tuple[str, ...]) -> Any:
    kind = key[0]
    if kind == "var":
        return st.vars[key[1]]
    if kind in ("turn", "minutes", "stance", "choice"):
        return getattr(st, kind)
    if kind == "visits":
        return st.visits.get(key[1], 0)
    if kind == "chose":
        return st.chosen.get(key[1], 0)
    if kind == "stances":
        return st.stances.get(key[1], 0)
    if kind == "fired":
        return int(key[1] in st.fired)
    return int(f"{key[1]}/{key[2]}" in st.used)


def check_sound(scenario: Scenario, games: int = 25, turns: int = 20) -> None:
    facts = analyse(scenario)
    for rid, role in facts.roles.items():
        engine = Engine(scenario, rid)
        keys = layout_keys(scenario, rid)
        for seed in range(games):
            rng = random.Random(seed)
            st = engine.start(seed)
            for _ in range(turns):
                place = st.ending or st.scene
                env = role.endings.get(place) if st.ending else role.states.get(place)
                assert env is not None, f"{place} was reached but claimed never reached"
                for key, i in keys.items():
                    v, a = concrete(st, key), env[i]
                    ok = a.lo <= v <= a.hi if isinstance(a, Num) else a is None or v in a
                    assert ok, (place, key, v, a)
                if st.over:
                    break
                options = engine.available(st)
                if not options:
                    assert st.scene in role.stuck, f"stuck in {st.scene}, not reported"
                    break
                st = engine.step(st, rng.choice(options).id)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32))
def test_the_analysis_never_claims_what_a_game_refutes(seed: int) -> None:
    data = random_scenario(random.Random(seed))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "random.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        scenario, diags = check_scenario(str(path))
        assert scenario is not None, [str(d) for d in diags]
        check_sound(scenario)


def check_against_exhaustive_search(scenario: Scenario) -> None:
    """Where the exhaustive search sees every state, it must agree with what the static
    analysis proves: nothing reached that it calls never reached, no stuck state or state
    that can reach no ending in a scene it proves safe."""
    facts = analyse(scenario)
    for rid, role in facts.roles.items():
        r = explore_role(scenario, rid, 3000)
        if not r.complete:
            continue
        assert all(role.reached(p) for p in r.reached), r.reached
        g = r.graph
        for i in r.stuck:
            assert g.place[i] in role.stuck and g.place[i] not in role.safe
        for i in r.doomed:
            assert g.place[i] not in role.safe, g.place[i]
        for loop in role.loops:  # proved closed: every state there is doomed
            assert all(i in r.doomed for i in range(len(g.place)) if g.place[i] in loop)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32))
def test_the_analysis_agrees_with_a_complete_search(seed: int) -> None:
    data = random_scenario(random.Random(seed))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "random.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        scenario, diags = check_scenario(str(path))
        assert scenario is not None, [str(d) for d in diags]
        check_against_exhaustive_search(scenario)


def load_random(seed: int, two: bool) -> Scenario:
    """A random scenario (format 2 if ``two``), written to a file and loaded as a writer's."""
    data = random_scenario(random.Random(seed), two=two)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "random.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        scenario, diags = check_scenario(str(path))
    assert scenario is not None, [str(d) for d in diags]
    return scenario


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32))
def test_the_analysis_never_claims_what_a_format_2_game_refutes(seed: int) -> None:
    check_sound(load_random(seed, two=True))


def test_the_bundled_scenarios_are_soundly_analysed() -> None:
    root = Path(__file__).resolve().parents[1] / "scenarios"
    for path in (root / "tutorial.yaml", root / "thirteen-days" / "scenario.yaml"):
        check_sound(load_scenario(str(path)), games=15, turns=40)


def _facts_text(scenario: Scenario) -> str:
    def norm(v: Any) -> Any:
        if isinstance(v, frozenset | set):
            return sorted(repr(norm(x)) for x in v)
        if isinstance(v, dict):
            return sorted((repr(k), repr(norm(x))) for k, x in v.items())
        if isinstance(v, tuple | list) and not isinstance(v, Num):
            return [norm(x) for x in v]
        return repr(v)

    rows = [
        (r.states, r.endings, r.truths, r.loops, r.stuck, r.edges, r.safe, r.arrivals)
        for r in analyse(scenario).roles.values()
    ]
    return repr(norm(rows))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32), st.booleans())
def test_remembered_steps_change_nothing(seed: int, two: bool) -> None:
    """A reaction's step (or, for one whose outcomes stay and add constants, which
    outcomes can happen and what each slot becomes), each trigger's, and the triggers'
    together on entering a place, are remembered by the values of the slots they read
    and set: the analysis must come out the same as working every step out afresh."""
    scenario = load_random(seed, two=two)
    remembered = _facts_text(scenario), _warnings_text(scenario)
    with _afresh():
        assert (_facts_text(scenario), _warnings_text(scenario)) == remembered


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32), st.booleans())
def test_reactions_that_name_choices_are_worked_out_as_for_each_choice(
    seed: int, two: bool
) -> None:
    """Which reactions can follow a choice is worked out once per stance for the choices
    a reaction's condition does not name ('choice == ...'): the same as for each one."""
    rng = random.Random(seed)
    data = random_scenario(rng, two=two)
    ids = [c["id"] for s in data["scenes"].values() for c in s["choices"]]
    tests = [
        f"choice == '{rng.choice(ids)}'",
        f"choice != '{rng.choice(ids)}' and a > {rng.randint(0, 8)}",
        f"choice == '{rng.choice(ids)}' or choice == '{rng.choice(ids)}' or not f",
        "choice == stance",  # not only compared with texts: each choice on its own
    ]
    for n, test in enumerate(rng.sample(tests, rng.randint(1, len(tests)))):
        data["reactions"].append(
            {"id": f"c{n}", "if": test, "outcomes": [{"weight": 1, "effects": {"a": "+1"}}]}
        )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "random.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        scenario, diags = check_scenario(str(path))
    assert scenario is not None, [str(d) for d in diags]
    remembered = _facts_text(scenario), _warnings_text(scenario)
    with _afresh():
        assert (_facts_text(scenario), _warnings_text(scenario)) == remembered


def _warnings_text(scenario: Scenario) -> list[str]:
    return [str(d) for d in warnings_for(scenario)]


@contextmanager
def _afresh() -> Iterator[None]:
    """Every remembered step of the static analysis worked out afresh instead."""
    from brinkmanship.authoring import static

    def readers_after(self: Any, c: Any, env: Any) -> set[int]:
        this = self._set(env, self.i_choice, frozenset({c.id}))
        return {n for n in self.choice_readers if self._can_hold(n, this)}

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(static._Role, "_reaction", static._Role._react)
        mp.setattr(static._Role, "_triggers", static._Role._fire)
        mp.setattr(static._Role, "_trigger", static._Role._fire_one)
        mp.setattr(static._Role, "_readers_after", readers_after)
        yield


_VALUES = st.one_of(
    st.tuples(st.integers(-5, 5), st.integers(0, 5), st.booleans()).map(
        lambda t: Num(t[0], t[0] + t[1], t[2])
    ),
)
_SETS = st.one_of(st.none(), st.frozensets(st.sampled_from("abcd"), min_size=1))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_VALUES, _SETS, _VALUES), min_size=1, max_size=6))
def test_joining_many_states_at_once_is_joining_them_one_by_one(envs: list[Any]) -> None:
    from brinkmanship.format.absint import join_all, join_envs

    one_by_one = envs[0]
    for e in envs[1:]:
        one_by_one = join_envs((one_by_one, e)) or one_by_one
    assert join_all(envs) == one_by_one
