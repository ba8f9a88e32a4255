"""playtest: reproducible policies, reports, and failures shrunk to the shortest."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from brinkmanship.authoring.playtest import Player, playtest, render_text
from brinkmanship.authoring.policies import parse_policies
from brinkmanship.format.loader import load_scenario
from brinkmanship.frontends.cli import main
from brinkmanship.runtime.engine import Engine
from brinkmanship.runtime.resume import resume
from brinkmanship.runtime.savefile import read as read_save
from tests.toolkit_helpers import FIXTURES, ROOT

CRISIS = ROOT / "tests" / "fixtures" / "core" / "crisis.yaml"
FAILING = FIXTURES / "failing.yaml"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(["playtest", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_same_seed_same_results(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    args = (str(CRISIS), "--runs", "300", "--seed", "7", "--failures", str(tmp_path))
    code1, a = _run(capsys, *args)
    code2, b = _run(capsys, *args)
    assert code1 == code2 == 0 and a == b
    _, c = _run(capsys, str(CRISIS), "--runs", "300", "--seed", "8")
    assert c["roles"] != a["roles"]


def test_report_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, data = _run(capsys, str(CRISIS), "--runs", "200", "--seed", "1", "--role", "north")
    assert code == 0 and data["runs"] == 200 and list(data["roles"]) == ["north"]
    r = data["roles"]["north"]
    assert sum(r["endings"].values()) == 200
    assert sum(r["outcomes"].values()) == 200
    assert set(r["endings"]) == {"peace", "shame", "war"}
    assert r["scenes"]["n1"] >= 200  # every run starts there
    assert set(r["scenes"]) == {"n1", "n2", "n3"}
    assert sum(v for k, v in r["choices"].items() if k.startswith("n1/")) == r["scenes"]["n1"]
    assert r["avg_turns"] > 1 and r["failed_runs"] == 0


def test_the_documented_rng_contract() -> None:
    """Run i: rng = Random(f"{seed}:{i}"); game seed = its first randrange(2**31)."""
    sc = load_scenario(str(CRISIS))
    player = Player(sc, "south", "random", 42)
    game_seed, st, choices, failure = player.play(3)
    rng = random.Random("42:3")
    assert game_seed == rng.randrange(2**31)
    engine = Engine(sc, "south")
    s = engine.start(game_seed)
    for cid in choices:
        avail = engine.available(s)
        assert cid == rng.choice(avail).id
        s = engine.step(s, cid)
    assert s.key() == st.key() and failure is None


def test_stance_policies_prefer_their_stance(capsys: pytest.CaptureFixture[str]) -> None:
    _, data = _run(capsys, str(CRISIS), "--runs", "100", "--policy", "negotiate", "--role", "south")
    r = data["roles"]["south"]
    assert r["endings"] == {"peace": 100, "shame": 0, "war": 0}
    assert r["choices"]["s1/arm"] == 0 and r["choices"]["s1/talk"] == 100
    _, data = _run(capsys, str(CRISIS), "--runs", "100", "--policy", "escalate", "--role", "south")
    assert data["roles"]["south"]["endings"]["war"] == 100


def test_least_used_covers_every_choice(capsys: pytest.CaptureFixture[str]) -> None:
    _, data = _run(capsys, str(CRISIS), "--runs", "30", "--policy", "least-used")
    for r in data["roles"].values():
        never = [k for k, n in r["choices"].items() if n == 0]
        assert never in ([], ["n1/wait"]), never  # 'wait' needs tension < 20: never


def test_policy_names(capsys: pytest.CaptureFixture[str]) -> None:
    sc = load_scenario(str(CRISIS))
    assert parse_policies("all", sc) == [
        "random",
        "least-used",
        "escalate",
        "hold",
        "negotiate",
        "concede",
    ]
    assert main(["playtest", str(CRISIS), "--policy", "negociate"]) == 2
    assert "did you mean 'negotiate'" in capsys.readouterr().err
    code, data = _run(capsys, str(CRISIS), "--runs", "20", "--policy", "random,hold")
    assert code == 0 and list(data["policies"]) == ["random", "hold"]
    assert main(["playtest", str(CRISIS), "--runs", "20", "--policy", "all"]) == 0
    assert "How the policies fare" in capsys.readouterr().out


def test_stuck_run_is_shrunk_to_the_shortest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, data = _run(
        capsys, str(FAILING), "--runs", "200", "--seed", "1", "--failures", str(tmp_path)
    )
    assert code == 1
    r = data["roles"]["guest"]
    assert r["failed"] == {"stuck": 10} and r["failed_runs"] == 10
    (f,) = r["failures"]
    assert f["kind"] == "stuck" and f["turns"] > 6
    assert f["shrunk"] == ["warm"] * 5 + ["door"] and f["minimal"] is True
    save = read_save(f["save"])
    assert list(save.choices) == f["shrunk"] and save.seed == f["seed"]
    result = resume(save, load_scenario(str(FAILING)))
    assert result.ok and result.session.state.scene == "hall"
    assert result.session.engine.available(result.session.state) == []
    assert main(["replay", "--check", f["save"]]) == 0


def test_failures_go_to_the_save_dir_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BRINKMANSHIP_SAVE_DIR", str(tmp_path / "saves"))
    code, data = _run(capsys, str(FAILING), "--runs", "50", "--seed", "1")
    assert code == 1
    name = Path(data["roles"]["guest"]["failures"][0]["save"]).name
    assert (tmp_path / "saves" / name).is_file()


def test_trap_is_shrunk_to_its_way_in(tmp_path: Path) -> None:
    sc = load_scenario(str(FIXTURES / "trap.yaml"))
    pt = playtest(sc, ["walker"], 20, 0, "escalate", max_turns=30, failures_dir=tmp_path)
    r = pt.roles["walker"]
    assert r.failed == {"turn-cap": 20}
    (f,) = r.failures
    assert f.kind == "trap" and f.shrunk == ["jump"] and f.minimal


def test_turn_cap_without_a_trap() -> None:
    sc = load_scenario(str(FAILING))
    pt = playtest(sc, ["guest"], 10, 0, "escalate", max_turns=15)
    (f,) = pt.roles["guest"].failures
    assert f.kind == "turn-cap" and len(f.choices) == 15 and f.shrunk is None
    assert "could still be reached" in f.message


def test_runtime_error_is_shrunk(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    original = Engine.take

    def broken(self, state, c, pick=None, *, inplace=False):  # type: ignore[no-untyped-def]
        if c.id == "door" and state.vars["heat"] >= 2:
            raise RuntimeError("boom")
        return original(self, state, c, pick, inplace=inplace)

    monkeypatch.setattr(Engine, "take", broken)
    sc = load_scenario(str(FAILING))
    pt = playtest(sc, ["guest"], 100, 3, "random", failures_dir=tmp_path)
    (f,) = [f for f in pt.roles["guest"].failures if f.kind == "error"]
    assert f.message == "RuntimeError: boom"
    assert f.shrunk == ["warm", "warm", "door"] and f.minimal
    save = read_save(f.save)  # stops just before the choice that fails
    assert list(save.choices) == ["warm", "warm"]


def test_text_report(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert (
        main(["playtest", str(FAILING), "--runs", "50", "--seed", "1", "--failures", str(tmp_path)])
        == 1
    )
    out = capsys.readouterr().out
    assert "FAILED runs: stuck" in out
    assert "shortest failing choices (6, minimal): warm > warm > warm > warm > warm > door" in out


LATE = """\
id: late
title: Late
format: 2
clock: {start: 1962-10-22 08:00, hours_per_turn: 1}
roles:
  one: {name: One, start: s1}
scenes:
  s1:
    text: One.
    choices:
      - {id: go, text: Go, stance: hold, next: s2}
      - {id: dawdle, text: Dawdle, stance: concede, next: s2, hours: 30}
  s2:
    at: 1962-10-22 20:00
    text: Two.
    choices:
      - {id: end, text: End, stance: hold, next: done}
endings:
  done: {title: Done, outcome: settlement, text: Done.}
"""


def test_playtest_counts_the_timed_scenes_its_games_reach_late(tmp_path: Path) -> None:
    path = tmp_path / "late.yaml"
    path.write_text(LATE, encoding="utf-8")
    sc = load_scenario(str(path))
    pt = playtest(sc, ["one"], 60, 0, "random")
    ((sid, (n, worst, run, seed)),) = pt.roles["one"].late.items()
    # 'dawdle' reaches s2 at 14:00 the next day: 18 hours after its 'at'
    assert sid == "s2" and 0 < n < 60 and worst == 18 * 60
    assert n == pt.roles["one"].choices["s1/dawdle"]
    game_seed, _, choices, _ = Player(sc, "one", "random", 0).play(run)
    assert game_seed == seed and choices[0] == "dawdle"
    engine = Engine(sc, "one")
    st = engine.step(engine.start(seed), "dawdle")  # the example replays late
    assert st.scene == "s2" and st.minutes == (20 + 18) * 60 - 8 * 60
    text = render_text(pt)
    assert "late scenes (first shown more than 60 minutes after their 'at'): 1" in text
    assert f"s2 in {n} of 60 runs, up to 18.0 h late (run {run}, game seed {seed})" in text
    assert "a sample, not a proof" in text
    (j,) = pt.to_json()["roles"]["one"]["late_scenes"]
    assert j == {
        "scene": "s2",
        "runs": n,
        "worst_minutes": 1080,
        "example": {"run": run, "seed": seed},
    }
    assert playtest(sc, ["one"], 60, 0, "random", jobs=2).roles["one"].late == pt.roles["one"].late
    on_time = playtest(sc, ["one"], 20, 0, "hold")  # 'go' only: s2 is reached early
    assert on_time.roles["one"].late == {}
    assert "late scenes (first shown more than 60 minutes after their 'at'): none" in render_text(
        on_time
    )
    untimed = playtest(load_scenario(str(CRISIS)), ["north"], 5, 0, "random")
    assert untimed.roles["north"].late is None and "late scenes" not in render_text(untimed)
