"""explore: shortest paths, stuck states, traps, bounds, witnesses that replay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brinkmanship.authoring.bounded import Goal
from brinkmanship.authoring.explore import explore, explore_role
from brinkmanship.authoring.statekey import coarse_key_function, key_function
from brinkmanship.format.loader import load_scenario
from brinkmanship.frontends.cli import main
from brinkmanship.runtime.engine import Engine
from brinkmanship.runtime.resume import resume
from brinkmanship.runtime.savefile import read as read_save
from tests.toolkit_helpers import FIXTURES, ROOT, play

CRISIS = ROOT / "tests" / "fixtures" / "core" / "crisis.yaml"


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(["explore", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_stuck_states_and_shortest_paths(capsys: pytest.CaptureFixture[str]) -> None:
    code, data = _json(capsys, str(FIXTURES / "failing.yaml"))
    assert code == 1
    r = data["roles"]["guest"]
    assert r["complete"] is True
    assert r["endings"]["out"] == {
        "reachable": True,
        "path": ["door", "leave"],
        "turns": 2,
        "title": "Out",
        "outcome": "settlement",
        "lesson": "calm",
    }
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


def test_unreachable_endings_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, data = _json(capsys, str(FIXTURES / "warnings.yaml"))
    assert code == 1
    r = data["roles"]["one"]
    assert r["endings"]["treasure"] == {
        "reachable": False,
        "path": None,
        "turns": None,
        "title": "Treasure",
        "outcome": "cooperation",
        "lesson": "calm",
    }
    assert r["scenes_unreached"] == ["vault"]  # 'attic' is not part of this role's tree
    assert data["endings_unreachable"] == ["treasure", "lost"]
    assert sorted(data["scenes_never_reached"]) == ["attic", "vault"]


def test_state_bound_is_said_plainly(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["explore", str(FIXTURES / "failing.yaml"), "--max-states", "5"])
    out = capsys.readouterr().out
    assert "INCOMPLETE" in out and "raise --max-states" in out
    # the search saw too little to find the stuck state, but the static analysis said it
    # was possible in hall, and a guided search found a real game that gets stuck there
    assert code == 1
    assert "in hall: confirmed by a real game, seed 0, after warm > " in out
    assert "loops with no way out: not ruled out in lobby, hall" in out
    code = main(["explore", str(FIXTURES / "failing.yaml"), "--max-states", "16"])
    out = capsys.readouterr().out
    assert "INCOMPLETE" in out and code == 1  # a stuck state found is a problem all the same
    assert "possible in hall" not in out  # the search found it: no longer only possible
    code, data = _json(capsys, str(CRISIS), "--max-states", "3")
    # the exhaustive search was cut short, but the static analysis settles the rest
    assert code == 0 and data["complete"] is False and data["verdicts_complete"] is True
    north = data["roles"]["north"]
    assert north["traps"] is None
    assert north["verdicts"]["loops"] == {
        "verdict": "none",
        "method": "static analysis",
        "proved": [],
        "not_ruled_out": [],
    }
    assert north["verdicts"]["stuck"]["verdict"] == "none"


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
        f"witness-{r}-{e}.yaml" for r in ("north", "south") for e in ("peace", "shame", "war")
    )
    for role, r in data["roles"].items():
        for eid, e in r["endings"].items():
            w = e["witness"]
            save = read_save(w["file"])
            result = resume(save, scenario)
            assert result.ok and result.session.state.ending == eid
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


def test_witness_falls_back_to_a_seeded_search(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, data = _json(capsys, str(FIXTURES / "lucky.yaml"), "--witness", str(tmp_path))
    assert code == 0
    rich = data["roles"]["player"]["endings"]["rich"]
    assert rich["path"] == ["gamble"]  # shortest, but it needs a very lucky draw
    assert rich["witness"]["path"] == ["work", "cash"]
    assert main(["replay", "--check", rich["witness"]["file"]]) == 0


def test_bounded_search_finds_what_the_bound_cut_off(capsys: pytest.CaptureFixture[str]) -> None:
    code, data = _json(capsys, str(CRISIS), "--max-states", "3")
    assert code == 0 and data["complete"] is False  # not a complete search, but proved
    assert data["endings_unreachable"] == [] and data["scenes_never_reached"] == []
    scenario = load_scenario(str(CRISIS))
    for role, r in data["roles"].items():
        assert r["bounded"]["states"] > 0 and r["bounded"]["not_found"] == []
        assert r["scenes_reached"] == r["scenes_total"]
        engine = Engine(scenario, role)
        for eid, e in r["endings"].items():
            assert e["reachable"] and e["found_by"] in ("search", "bounded search")
            if e["found_by"] == "bounded search":  # a real game: it replays exactly
                assert play(engine, e["seed"], e["path"]).ending == eid
        for sid, p in r["scene_paths"].items():
            if p["seed"] is not None:
                assert sid in play(engine, p["seed"], p["path"]).visits
    out = main(["explore", str(CRISIS), "--max-states", "3"]), capsys.readouterr().out
    assert out[0] == 0 and "found by bounded search, seed" in out[1]
    assert "stuck states: none possible (proved by static analysis)" in out[1]
    assert "Every ending was found reachable (some by the bounded search)." in out[1]
    # Without the bounded search, the old report: what was not seen is not reported.
    code, data = _json(capsys, str(CRISIS), "--max-states", "3", "--bounded", "0")
    assert code == 3 and data["roles"]["north"]["bounded"] is None
    assert data["endings_unreachable"]
    assert "found_by" not in _json(capsys, str(CRISIS))[1]["roles"]["north"]["endings"]["war"]


def test_bounded_search_reports_stuck_states_and_what_it_did_not_find(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, data = _json(capsys, str(FIXTURES / "warnings.yaml"), "--max-states", "1")
    r = data["roles"]["one"]
    assert code == 1 and r["complete"] is False
    b = r["bounded"]
    assert b["not_found"] == ["vault", "treasure"]  # heat never passes 10
    assert [s["scene"] for s in b["stuck"]] == ["hall"]
    stuck = b["stuck"][0]
    sc = load_scenario(str(FIXTURES / "warnings.yaml"))
    st = play(Engine(sc, "one"), stuck["seed"], stuck["path"])
    assert st.scene == "hall" and not Engine(sc, "one").available(st)
    assert r["endings"]["treasure"] == {
        "reachable": False,
        "path": None,
        "turns": None,
        "title": "Treasure",
        "outcome": "cooperation",
        "lesson": "calm",
        "found_by": None,
    }
    assert "lost" not in r["endings"] and r["endings_other_roles"] == ["lost"]
    main(["explore", str(FIXTURES / "warnings.yaml"), "--max-states", "1"])
    out = capsys.readouterr().out
    assert "treasure  never reached (proved by static analysis)" in out
    assert "stuck states (no choice available): in 1 scene, found by the bounded search" in out
    assert "in hall, seed 0, after: warm" in out
    assert "Endings no role reaches: treasure, lost" in out
    assert "Scenes no role reaches: vault, attic" in out
    assert "loops with no way out: 1 (proved by static analysis)" in out
    assert "among pit-a, pit-b; no choice, reaction or trigger leads out" in out


def test_guided_distance_reads_conditions() -> None:
    sc = load_scenario(str(FIXTURES / "failing.yaml"))
    engine = Engine(sc, "guest")
    goal = Goal(engine, "out")  # by 'leave' in the hall, if heat < 3
    lobby = engine.start(0)
    hall = engine.step(lobby, "door")
    assert goal.distance(hall) == 0 and goal.distance(lobby) == 1
    hot = engine.step(engine.step(engine.step(engine.step(lobby, "warm"), "warm"), "warm"), "door")
    assert hot.vars["heat"] == 3 and 0 < goal.distance(hot) < 1
    trap = load_scenario(str(FIXTURES / "trap.yaml"))
    walker = Engine(trap, "walker")
    pit = walker.step(walker.start(0), "jump")
    assert Goal(walker, "home").distance(pit) == float("inf")  # no way back on the graph


def test_coarse_key_bands_wide_numbers() -> None:
    sc = load_scenario(str(CRISIS))
    engine = Engine(sc, "south")
    coarse = coarse_key_function(engine)
    st = engine.start(0)
    a, b, c = st.copy(), st.copy(), st.copy()
    a.vars["tension"], b.vars["tension"], c.vars["tension"] = 30, 31, 90
    assert coarse(a) == coarse(b) != coarse(c)
    assert key_function(engine)(a) != key_function(engine)(b)


TWO_SIDES = """\
format: 1
id: two-sides
title: Two Sides
roles:
  a: {name: Side A, start: a1}
  b: {name: Side B, start: b1}
scenes:
  a1:
    text: A.
    choices:
      - {id: a-win, text: Win, stance: escalate, next: a-won}
      - {id: a-wait, text: Wait, stance: hold, next: a1}
  b1:
    text: B.
    choices:
      - {id: b-win, text: Win, stance: escalate, next: b-won}
reactions:
  - id: b-luck
    roles: [b]
    outcomes:
      - {weight: 1, goto: b-lucky}
      - {weight: 1}
endings:
  a-won: {title: A won, outcome: settlement, text: A.}
  b-won: {title: B won, outcome: settlement, text: B.}
  b-lucky: {title: B was lucky, outcome: settlement, text: B.}
"""


def test_each_role_counts_only_its_own_scenes_and_endings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(TWO_SIDES, encoding="utf-8")
    code, data = _json(capsys, str(path), "--role", "a")
    a = data["roles"]["a"]
    assert code == 0 and list(a["endings"]) == ["a-won"]
    assert a["endings_other_roles"] == ["b-won", "b-lucky"] and a["scenes_total"] == 1
    assert data["endings_unreachable"] == []  # B's endings are B's business
    code, data = _json(capsys, str(path), "--role", "b", "--max-states", "1")
    b = data["roles"]["b"]
    assert code == 0 and list(b["endings"]) == ["b-won", "b-lucky"]  # a reaction's goto
    assert all(e["found_by"] for e in b["endings"].values())
    assert data["endings_unreachable"] == []
    main(["explore", str(path), "--role", "a"])
    out = capsys.readouterr().out
    assert "endings (1 of 3; the other 2 are not on this role's part of the scene graph):" in out
    assert "b-won" not in out
