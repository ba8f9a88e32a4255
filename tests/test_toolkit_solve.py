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
