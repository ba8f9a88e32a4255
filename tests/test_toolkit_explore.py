"""explore: shortest paths, stuck states, traps, bounds, witnesses that replay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brinkmanship.cli import main
from brinkmanship.engine import Engine
from brinkmanship.loader import load_scenario
from brinkmanship.saves import read_save, replay
from brinkmanship.tools.explore import explore, explore_role
from brinkmanship.tools.statekey import key_function
from tests.toolkit_helpers import FIXTURES, ROOT

CRISIS = ROOT / "tests" / "fixtures" / "core" / "crisis.yaml"


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(["explore", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_stuck_states_and_shortest_paths(capsys: pytest.CaptureFixture[str]) -> None:
    code, data = _json(capsys, str(FIXTURES / "failing.yaml"))
    assert code == 1
    r = data["roles"]["guest"]
    assert r["complete"] is True
    assert r["endings"]["out"] == {"reachable": True, "path": ["door", "leave"], "turns": 2,
                                   "title": "Out", "outcome": "settlement", "lesson": "calm"}
    assert r["stuck_states"] == 6  # heat 5..10 in the hall
    assert r["stuck"] == [{"scene": "hall", "states": 6, "path": ["warm"] * 5 + ["door"]}]
    assert r["traps"] == [] and r["no_exit_states"] == 6
    assert (r["scenes_total"], r["scenes_reached"]) == (2, 2)


def test_loops_with_no_way_out(capsys: pytest.CaptureFixture[str]) -> None:
    code, data = _json(capsys, str(FIXTURES / "trap.yaml"))
    assert code == 1
    r = data["roles"]["walker"]
    assert r["stuck_states"] == 0
    assert r["traps"] == [{"scenes": ["pit-a", "pit-b"], "states": 4, "path": ["jump"]}]
    assert r["endings"]["home"]["path"] == ["home"]


def test_a_clean_scenario_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, data = _json(capsys, str(CRISIS))
    assert code == 0 and data["complete"] is True
    assert data["endings_unreachable"] == [] and data["scenes_never_reached"] == []
    north = data["roles"]["north"]["endings"]
    assert {e: v["turns"] for e, v in north.items()} == {"peace": 3, "shame": 3, "war": 2}
    south = data["roles"]["south"]["endings"]
    assert south["peace"]["path"] == ["talk", "sign"]


def test_unreachable_endings_are_reported(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, data = _json(capsys, str(FIXTURES / "warnings.yaml"))
    assert code == 1
    r = data["roles"]["one"]
    assert r["endings"]["treasure"] == {"reachable": False, "path": None, "turns": None,
                                        "title": "Treasure", "outcome": "cooperation",
                                        "lesson": "calm"}
    assert r["scenes_unreached"] == ["vault"]  # 'attic' is not part of this role's tree
    assert data["endings_unreachable"] == ["treasure", "lost"]
    assert sorted(data["scenes_never_reached"]) == ["attic", "vault"]


def test_state_bound_is_said_plainly(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["explore", str(FIXTURES / "failing.yaml"), "--max-states", "5"])
    out = capsys.readouterr().out
    assert "INCOMPLETE" in out and "raise --max-states" in out
    assert code == 3  # nothing found, but not everything was seen
    code = main(["explore", str(FIXTURES / "failing.yaml"), "--max-states", "16"])
    out = capsys.readouterr().out
    assert "INCOMPLETE" in out and code == 1  # a stuck state found is a problem all the same
    code, data = _json(capsys, str(CRISIS), "--max-states", "3")
    assert code == 3 and data["complete"] is False
    assert data["roles"]["north"]["traps"] is None


def test_role_option_and_unknown_role(capsys: pytest.CaptureFixture[str]) -> None:
    code, data = _json(capsys, str(CRISIS), "--role", "south")
    assert code == 0 and list(data["roles"]) == ["south"]
    assert main(["explore", str(CRISIS), "--role", "sout"]) == 2
    assert "did you mean 'south'" in capsys.readouterr().err


def test_witnesses_replay(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wit = tmp_path / "wit"
    code, data = _json(capsys, str(CRISIS), "--witness", str(wit))
    assert code == 0
    scenario = load_scenario(str(CRISIS))
    files = sorted(wit.glob("*.yaml"))
    assert [f.name for f in files] == sorted(
        f"witness-{r}-{e}.yaml" for r in ("north", "south") for e in ("peace", "shame", "war"))
    for role, r in data["roles"].items():
        for eid, e in r["endings"].items():
            w = e["witness"]
            save = read_save(w["file"])
            result = replay(save, scenario)
            assert result.ok and result.game.state.ending == eid
            assert save.role == role
            assert main(["replay", "--check", w["file"]]) == 0
    capsys.readouterr()


def test_key_function_drops_what_play_never_reads() -> None:
    sc = load_scenario(str(FIXTURES / "failing.yaml"))
    engine = Engine(sc, "guest")
    key = key_function(engine)
    a = engine.step(engine.start(0), "wander")
    b = engine.step(a, "wander")
    assert a.key() != b.key()  # turn and clock differ...
    assert key(a) == key(b)  # ...but nothing reads them


def test_bounded_search_from_a_state() -> None:
    sc = load_scenario(str(FIXTURES / "trap.yaml"))
    engine = Engine(sc, "walker")
    pit = engine.step(engine.start(0), "jump")
    r = explore_role(sc, "walker", start=pit)
    assert r.complete and r.first_ending == {} and r.traps
    report = explore(sc, ["walker"])
    assert report.exit_code() == 1


def test_witness_falls_back_to_a_seeded_search(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, data = _json(capsys, str(FIXTURES / "lucky.yaml"), "--witness", str(tmp_path))
    assert code == 0
    rich = data["roles"]["player"]["endings"]["rich"]
    assert rich["path"] == ["gamble"]  # shortest, but it needs a very lucky draw
    assert rich["witness"]["path"] == ["work", "cash"]
    assert main(["replay", "--check", rich["witness"]["file"]]) == 0
