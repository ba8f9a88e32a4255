"""policy best: the exact solution, the lookahead estimate, and mixes of stances."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brinkmanship.authoring.playtest import Player, playtest
from brinkmanship.authoring.policies import Mix, parse_policies
from brinkmanship.authoring.solve import Best, BestOptions, Lookahead, solve_exact
from brinkmanship.format.errors import UsageError
from brinkmanship.format.loader import load_scenario
from brinkmanship.frontends.cli import main
from tests.toolkit_helpers import FIXTURES, ROOT, TUTORIAL

CRISIS = ROOT / "tests" / "fixtures" / "core" / "crisis.yaml"
PATIENCE = FIXTURES / "patience.yaml"  # talking at once is a trap; hold first, then talk


def _good(pt_role: dict[str, int]) -> int:
    return pt_role["settlement"] + pt_role["cooperation"]


def test_exact_value_is_the_hand_computed_one() -> None:
    sc = load_scenario(str(PATIENCE))
    ex = solve_exact(sc, "envoy")
    assert ex is not None and ex.method == "exact, value iteration"
    # stand firm (hold), then offer: accepted 4 times in 5; talking at once: 1 in 4
    assert ex.values["settlement"] == pytest.approx(0.8, abs=1e-12)
    assert ex.values["defeat"] == pytest.approx(1.0)  # offer at once never risks war
    assert ex.values["cooperation"] == 0.0
    start = ex.policies["settlement"]
    assert sorted(start.values()) == ["offer", "offer", "stand"]


def test_best_beats_every_single_stance() -> None:
    sc = load_scenario(str(PATIENCE))
    results = {p: playtest(sc, ["envoy"], 400, 3, p) for p in ("negotiate", "hold", "escalate")}
    for method, opts in (("exact", BestOptions()), ("estimate", BestOptions(exact_states=0))):
        best = playtest(sc, ["envoy"], 400, 3, "best", best=opts)
        b = best.roles["envoy"]
        good = _good(b.outcomes)
        assert 0.74 < good / 400 < 0.86, (method, good)
        for p, r in results.items():
            assert good > _good(r.roles["envoy"].outcomes) + 100, (method, p)
        assert b.best is not None
        assert b.best["method"].startswith(method)


def test_estimate_is_labelled_and_never_reads_the_seed() -> None:
    sc = load_scenario(str(PATIENCE))
    la = Lookahead(sc, "envoy", 3, seed=5, depth=2, rollouts=4)
    assert la.method == "estimate (lookahead, depth 2, 4 rollouts)"
    picks = set()
    for game_seed in range(20):  # the draws to come differ; the decision must not
        st = la.engine.start(game_seed)
        picks.add(la.choose(st, la.engine.available(st)).id)
    assert picks == {"stand"}


def test_tutorial_is_solved_exactly_and_the_policy_achieves_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["playtest", str(TUTORIAL), "--policy", "best", "--runs", "60", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    for r in data["roles"].values():
        b = r["best"]
        assert b["method"] == "exact, value iteration" and b["goal"] == "settlement"
        assert 0 < b["states"] <= 5000
        values = list(b["best_achievable"].values())
        assert values == sorted(values, reverse=True)  # "at least" a class: never rises
        share = _good(r["outcomes"]) / r["runs"]
        assert share >= b["best_achievable"]["settlement"] - 0.15
    main(["playtest", str(TUTORIAL), "--policy", "best", "--runs", "5"])
    out = capsys.readouterr().out
    assert "best achievable (exact, value iteration" in out


def test_goal_and_estimate_options(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["playtest", str(PATIENCE), "--policy", "best", "--runs", "50", "--json"]
    main([*args, "--goal", "defeat"])
    r = json.loads(capsys.readouterr().out)["roles"]["envoy"]
    assert r["best"]["goal"] == "defeat" and r["outcomes"]["catastrophe"] == 0
    main([*args, "--exact-states", "0", "--depth", "2", "--rollouts", "3"])
    b = json.loads(capsys.readouterr().out)["roles"]["envoy"]["best"]
    assert b["method"] == "estimate (lookahead, depth 2, 3 rollouts)"
    assert main([*args, "--goal", "peace"]) == 2
    assert "unknown outcome class 'peace'" in capsys.readouterr().err


def test_exact_gives_up_past_its_cap() -> None:
    sc = load_scenario(str(TUTORIAL))
    assert solve_exact(sc, "lind", max_states=50) is None
    best = Best(sc, "lind", 0, 200, BestOptions(exact_states=50))
    assert best.method.startswith("estimate (lookahead")


# -- mixes ----------------------------------------------------------------------------


def test_mix_parsing() -> None:
    sc = load_scenario(str(PATIENCE))
    assert parse_policies("mix:negotiate=3,hold=1", sc) == ["mix:negotiate=0.75,hold=0.25"]
    assert parse_policies("random,mix:negotiate=0.6,hold=0.4,escalate", sc) == [
        "random",
        "mix:negotiate=0.6,hold=0.4",
        "escalate",
    ]
    assert "best" in parse_policies("best,all", sc)
    assert "best" not in parse_policies("all", sc)
    for bad, says in (
        ("mix:negotiat=1", "unknown stance 'negotiat' (did you mean 'negotiate'?)"),
        ("mix:negotiate=-1", "must be a number >= 0"),
        ("mix:negotiate=x", "must be a number >= 0"),
        ("mix:negotiate=nan", "must be a number >= 0"),
        ("mix:negotiate=0,hold=0", "at least one weight must be above 0"),
        ("mix:negotiate", "needs a weight"),
        ("mix:", "give stances and weights"),
        ("mix:hold=1,hold=2", "given twice"),
    ):
        with pytest.raises(UsageError) as e:
            parse_policies(bad, sc)
        assert says in str(e.value), (bad, str(e.value))


def test_mix_draws_stances_by_weight() -> None:
    sc = load_scenario(str(PATIENCE))
    player = Player(sc, "envoy", "mix:negotiate=0.75,hold=0.25", 1)
    first: dict[str, int] = {}
    for run in range(2000):
        _, _, choices, _ = player.play(run)
        first[choices[0]] = first.get(choices[0], 0) + 1
    assert set(first) == {"talk", "stand"}  # escalate has no weight: never
    assert 0.71 < first["talk"] / 2000 < 0.79
    mix = Mix((("escalate", 1.0),))
    assert mix.name == "mix:escalate=1"


def test_mix_cli_error_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["playtest", str(PATIENCE), "--policy", "mix:calm=1"]) == 2
    err = capsys.readouterr().err
    assert "unknown stance 'calm'" in err and "Traceback" not in err


# -- jobs and traces ------------------------------------------------------------------


def test_jobs_give_the_same_report(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for policy in ("random", "least-used", "mix:negotiate=0.6,hold=0.4", "best"):
        out = []
        for jobs in ("1", "2"):
            args = [str(CRISIS), "--runs", "40", "--seed", "3", "--policy", policy]
            main(["playtest", *args, "--jobs", jobs, "--json", "--failures", str(tmp_path)])
            out.append(json.loads(capsys.readouterr().out))
        assert out[0] == out[1], policy


def test_trace_shows_what_a_player_sees(tmp_path: Path) -> None:
    path = tmp_path / "out" / "trace.jsonl"
    args = [str(CRISIS), "--runs", "3", "--seed", "1", "--policy", "random,negotiate"]
    assert main(["playtest", *args, "--trace", str(path), "--json"]) == 0
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    ends = [r for r in rows if "ending" in r]
    assert len(ends) == 2 * 2 * 3  # policies x roles x runs
    turns = [r for r in rows if "turn" in r]
    assert set(turns[0]) == {
        "run",
        "role",
        "policy",
        "turn",
        "scene",
        "clock",
        "clock_label",
        "choice",
        "stance",
        "vars",
        "texts",
    }
    first = turns[0]
    assert first["run"] == 0 and first["turn"] == 1 and first["policy"] == "random"
    assert first["role"] == "north" and first["scene"] == "n1"
    assert first["clock"] == "1970-01-01T08:00:00+00:00" and first["clock_label"] == "Monday"
    assert first["texts"][0] == "Tension stands at 31."  # the scene's effect shows at once
    assert "General Hawk (hawk): Take the bridge." in first["texts"]
    assert first["vars"] == {"tension": 31, "trust": 20, "warned": False, "mood": "calm"}
    for end in ends:  # each run's turns come before its end, numbered 1, 2, ...
        mine = [
            r["turn"]
            for r in turns
            if (r["policy"], r["role"], r["run"]) == (end["policy"], end["role"], end["run"])
        ]
        assert mine == list(range(1, end["turns"] + 1))
        assert end["outcome"] in ("settlement", "defeat", "catastrophe")
        assert end["texts"]  # the ending's screen
    # the trace replays: the same seed and choices as the report's runs
    data = rows[0]
    assert data["choice"] in ("seize", "call", "wait")


def test_trace_clock_has_the_roles_offset(tmp_path: Path) -> None:
    from tests.test_format2_clock import TWO

    src = tmp_path / "two.yaml"
    src.write_text(TWO, encoding="utf-8")
    path = tmp_path / "t.jsonl"
    main(["playtest", str(src), "--runs", "1", "--trace", str(path), "--jobs", "1"])
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    got = [(r["role"], r["clock"], r["clock_label"]) for r in rows if "turn" in r]
    assert got == [
        ("j", "1962-10-22T19:00:00-04:00", "Mon 22 Oct 1962, 19:00 EDT"),
        ("j", "1962-10-23T10:00:00-04:00", "Tue 23 Oct 1962, 10:00 EDT"),
        ("k", "1962-10-23T02:00:00+03:00", "Tue 23 Oct 1962, 02:00 MSK"),
        ("k", "1962-10-23T10:00:00+03:00", "Tue 23 Oct 1962, 10:00 MSK"),
    ]


def test_trace_of_a_failed_run(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    args = [str(FIXTURES / "failing.yaml"), "--runs", "1", "--policy", "escalate"]
    main(["playtest", *args, "--max-turns", "12", "--no-shrink", "--failures", str(tmp_path)])
    assert not path.exists()  # no --trace: no file
    main(
        ["playtest", *args, "--max-turns", "12", "--trace", str(path), "--failures", str(tmp_path)]
    )
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    end = rows[-1]
    assert end["ending"] is None and end["outcome"] is None and end["failed"] == "turn-cap"
    assert end["turns"] == 12 == len(rows) - 1
    assert end["texts"] == ["The lobby. Heat 10."]  # where it was left


# -- what the solver's states keep ------------------------------------------------------

RESCUE = """\
format: 2
id: rescue
title: Rescue
clock: {start: 1962-10-22 19:00, zone: UTC-4, hours_per_turn: 1}
variables:
  armed: {initial: false}
roles:
  j: {name: J, start: wait, zone: UTC-4}
scenes:
  wait:
    text: Waiting.
    choices:
      - {id: arm, text: Call for help, stance: escalate, effects: {armed: true}, next: wait}
      - {id: sit, text: Sit, stance: hold, next: wait}
      - {id: quit, text: Give up, stance: concede, next: lose}
triggers:
  - {id: rescue, after: {hours: 2, since: armed}, goto: win, text: Help arrives.}
endings:
  win: {title: Win, outcome: settlement, text: Saved.}
  lose: {title: Lose, outcome: defeat, text: Lost.}
"""


def test_key_keeps_a_pending_trigger(tmp_path: Path) -> None:
    from brinkmanship.authoring.statekey import key_function
    from brinkmanship.runtime.engine import Engine

    p = tmp_path / "rescue.yaml"
    p.write_text(RESCUE, encoding="utf-8")
    eng = Engine(load_scenario(str(p)), "j", texts=False)
    key = key_function(eng)
    armed = eng.step(eng.start(0), "arm")
    assert armed.marks == {"rescue": 60}
    later = eng.step(armed, "sit")
    bare = armed.copy()
    bare.marks, bare.vars = {}, {**bare.vars, "armed": False}
    # the trigger's clock has started (and runs on): the futures differ, so must the keys
    assert len({key(armed), key(later), key(bare)}) == 3


def test_exact_sees_a_rescue_that_a_trigger_brings(tmp_path: Path) -> None:
    p = tmp_path / "rescue.yaml"
    p.write_text(RESCUE, encoding="utf-8")
    ex = solve_exact(load_scenario(str(p)), "j")
    assert ex is not None
    assert ex.values["settlement"] == pytest.approx(1.0)  # arm, sit, sit: help arrives
    st = load_scenario(str(p))
    r = playtest(st, ["j"], 20, 1, "best")
    assert r.roles["j"].outcomes["settlement"] == 20


DICE = """\
format: 1
id: dice
title: Dice
variables:
  a: {initial: 0, min: 0, max: 5}
  b: {initial: 0, min: 0, max: 5}
roles:
  j: {name: J, start: s}
scenes:
  s:
    text: Roll.
    choices:
      - {id: roll, text: Roll, stance: escalate, next: t}
      - {id: stop, text: Stop, stance: hold, next: lose}
  t:
    text: Then.
    choices:
      - {id: cash, text: Cash, stance: negotiate, if: 'a + b >= 2', next: win}
      - {id: fold, text: Fold, stance: hold, next: lose}
reactions:
  - {id: ra, outcomes: [{weight: 1, effects: {a: +1}}, {weight: 1}]}
  - {id: rb, outcomes: [{weight: 1, effects: {b: +1}}, {weight: 1}]}
endings:
  win: {title: Win, outcome: settlement, text: Won.}
  lose: {title: Lose, outcome: defeat, text: Lost.}
"""


def test_too_many_outcomes_falls_back_to_a_labelled_estimate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brinkmanship.authoring import solve as solver

    p = tmp_path / "dice.yaml"
    p.write_text(DICE, encoding="utf-8")
    sc = load_scenario(str(p))
    exact = solver.solve_exact(sc, "j")
    assert exact is not None and exact.values["settlement"] == pytest.approx(0.25)
    monkeypatch.setattr(solver, "SOLVE_SUCCESSORS", 2)  # 'roll' has 4 outcomes that differ
    ex, why = solver.solve(sc, "j")
    assert ex is None and why == (
        "not solved exactly: choice 'roll' has more than 2 possible outcomes that differ "
        "(too many reactions whose outcomes change different things)"
    )
    best = Best(sc, "j", 0, 200)
    b = best.to_json()
    assert b["method"].startswith("estimate (lookahead") and b["why_estimate"] == why
    la = best._estimate()
    outs = la.outcomes(la.engine.start(0), "roll")  # drawn, not listed
    assert la.sampled == 1 and sum(q for q, _ in outs) == pytest.approx(1.0)
    assert 1 < len(outs) <= 4 and all(s.seed == 0 for _, s in outs)
    r = playtest(sc, ["j"], 10, 1, "best")
    assert sum(r.roles["j"].outcomes.values()) == 10
