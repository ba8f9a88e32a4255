"""Golden results of explore and playtest on the tutorial scenario.

These numbers are the tutorial's fingerprint: when the tutorial changes on purpose,
check the new figures with `brinkmanship explore tutorial` and `brinkmanship playtest
tutorial --runs 200 --seed 0 --policy P`, then update them here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from brinkmanship.authoring.explore import explore
from brinkmanship.authoring.playtest import playtest
from brinkmanship.format.loader import load_scenario
from brinkmanship.frontends.cli import main
from brinkmanship.runtime.resume import resume
from brinkmanship.runtime.savefile import read as read_save
from tests.toolkit_helpers import TUTORIAL

pytestmark = pytest.mark.skipif(not TUTORIAL.exists(), reason="no tutorial scenario")

SHORTEST = {
    "lind": {
        "war": ["a-trial", "a-block", "a-warning-shot", "a-blame"],
        "ousted": ["a-trial", "a-release-late", "a-ride-out", "a-hold-line"],
        "humbled": ["a-trial", "a-phone-late", "a-all-or-nothing", "a-give-in"],
        "frozen": ["a-trial", "a-block", "a-warning-shot", "a-pull-back"],
        "deal": ["a-trial", "a-phone-late", "a-fish-deal", "a-sign-part"],
        "shared-light": ["a-trial", "a-phone-late", "a-free-crew", "a-sign-all"],
    },
    "castell": {
        "war": ["b-send-boats", "b-press-on", "b-escort", "b-open-fire"],
        "ousted": ["b-send-boats", "b-recall", "b-ride-out", "b-escort"],
        "humbled": ["b-send-boats", "b-slow", "b-escort", "b-climb-down"],
        "frozen": ["b-send-boats", "b-press-on", "b-escort", "b-pull-back"],
        "deal": ["b-send-boats", "b-talk-from-strength", "b-fish-deal", "b-sign-part"],
        "shared-light": ["b-send-boats", "b-talk-from-strength", "b-fish-deal", "b-sign-all"],
    },
}

PLAYTEST = {  # 200 runs per role, seed 0
    ("random", "lind"): {
        "war": 47,
        "ousted": 24,
        "humbled": 13,
        "frozen": 84,
        "deal": 21,
        "shared-light": 11,
    },
    ("random", "castell"): {
        "war": 45,
        "ousted": 26,
        "humbled": 15,
        "frozen": 78,
        "deal": 23,
        "shared-light": 13,
    },
    ("least-used", "lind"): {
        "war": 41,
        "ousted": 29,
        "humbled": 17,
        "frozen": 66,
        "deal": 23,
        "shared-light": 24,
    },
    ("escalate", "castell"): {
        "war": 200,
        "ousted": 0,
        "humbled": 0,
        "frozen": 0,
        "deal": 0,
        "shared-light": 0,
    },
    ("negotiate", "lind"): {
        "war": 0,
        "ousted": 0,
        "humbled": 0,
        "frozen": 0,
        "deal": 97,
        "shared-light": 103,
    },
}


@pytest.fixture(scope="module")
def tutorial():  # type: ignore[no-untyped-def]
    return load_scenario(str(TUTORIAL))


def test_explore_golden(tutorial) -> None:  # type: ignore[no-untyped-def]
    report = explore(tutorial, list(tutorial.roles))
    data = report.to_json()
    assert report.exit_code() == 0 and data["complete"] is True
    assert data["endings_unreachable"] == [] and data["scenes_never_reached"] == []
    figures = {
        rid: (
            r["states"],
            r["scenes_total"],
            r["scenes_reached"],
            r["stuck_states"],
            r["traps"],
            r["no_exit_states"],
        )
        for rid, r in data["roles"].items()
    }
    assert figures == {"lind": (1717, 10, 10, 0, [], 0), "castell": (1741, 11, 11, 0, [], 0)}
    for rid, endings in SHORTEST.items():
        got = data["roles"][rid]["endings"]
        assert {e: v["path"] for e, v in got.items()} == endings
        assert all(v["reachable"] for v in got.values())


@pytest.mark.parametrize(("policy", "role"), sorted(PLAYTEST))
def test_playtest_golden(tutorial, policy: str, role: str) -> None:  # type: ignore[no-untyped-def]
    pt = playtest(tutorial, [role], 200, 0, policy)
    r = pt.roles[role]
    assert r.endings == PLAYTEST[(policy, role)]
    assert not r.failed


def test_playtest_average_turns(tutorial) -> None:  # type: ignore[no-untyped-def]
    pt = playtest(tutorial, list(tutorial.roles), 200, 0, "random")
    j = pt.to_json()
    assert j["runs"] == 200
    assert {rid: r["avg_turns"] for rid, r in j["roles"].items()} == {
        "lind": 4.575,
        "castell": 4.515,
    }
    assert all(r["scenes_never_hit"] == [] for r in j["roles"].values())


def test_tutorial_witnesses_replay(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explore", str(TUTORIAL), "--witness", str(tmp_path)]) == 0
    capsys.readouterr()
    files = sorted(tmp_path.glob("witness-*.yaml"))
    assert len(files) == 12
    scenario = load_scenario(str(TUTORIAL))
    for f in files:
        save = read_save(f)
        result = resume(save, scenario)
        assert result.ok and result.session.state.over
        assert f.stem == f"witness-{save.role}-{result.session.state.ending}"
        assert main(["replay", "--check", str(f)]) == 0
    capsys.readouterr()
