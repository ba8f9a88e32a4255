"""Issue #4: `explore` shows every scene and every ending reachable for both roles.

Thirteen Days is far too big to search exhaustively (hidden numbers, 15-25-turn
games), so this is the acceptance test of the other two methods: with the default
settings, every scene and ending on each role's part of the scene graph must be found
by the search, every path reported must replay in the engine, under the seed reported
or under a seed found by trying some, and the static analysis must settle stuck states
and loops (issue 13: explore finishes with verdicts for every check and exit 0).
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from brinkmanship.authoring.explore import WITNESS_SEEDS, Report, explore, render_text, replay_path
from brinkmanship.format.errors import BrinkError
from brinkmanship.format.loader import load_scenario
from brinkmanship.runtime.engine import Engine
from tests.toolkit_helpers import ROOT, play

FLAGSHIP = ROOT / "scenarios" / "thirteen-days" / "scenario.yaml"
ROLES = ["kennedy", "khrushchev"]
# A guard against a search that never ends, not a benchmark (a busy machine is slow):
# benchmarks/ has the figures.
TIME_LIMIT = 120.0  # seconds for both roles, with the default settings


@pytest.fixture(scope="module")
def flagship() -> tuple[Any, Report, float]:
    try:
        scenario = load_scenario(str(FLAGSHIP))
    except (BrinkError, OSError) as exc:
        pytest.skip(f"thirteen-days does not load: {str(exc).splitlines()[0]}")
    roles = [r for r in ROLES if r in scenario.roles]
    t0 = time.perf_counter()
    report = explore(scenario, roles)
    return scenario, report, time.perf_counter() - t0


def _role(flagship: tuple[Any, Report, float], role: str) -> Any:
    report = flagship[1]
    if role not in report.roles:
        pytest.skip(f"thirteen-days has no {role} role yet")
    return report.roles[role]


def _replays(engine: Engine, place: str, path: list[str], seed: int | None) -> bool:
    if seed is not None:  # the bounded search's games replay exactly
        return place in play(engine, seed, path).visits
    for s in range(WITNESS_SEEDS):  # the exhaustive search's paths need the right draws
        st = replay_path(engine, s, path)
        if st is not None and place in st.visits:
            return True
    return False


@pytest.mark.parametrize("role", ROLES)
def test_every_scene_and_ending_of_the_role_is_found(flagship, role: str) -> None:  # type: ignore[no-untyped-def]
    scenario = flagship[0]
    r = _role(flagship, role)
    assert not r.problems
    data = r.to_json()
    prefix = "k-" if role == "kennedy" else "n-"
    assert data["scenes_total"] == data["scenes_reached"] >= 50
    assert data["scenes_unreached"] == []
    endings = data["endings"]
    assert len(endings) >= 15 and all(e.startswith(prefix) for e in endings)
    assert [e for e, v in endings.items() if not v["reachable"]] == []
    # The other role's endings are not this role's business.
    others = data["endings_other_roles"]
    assert others and not any(e.startswith(prefix) for e in others)
    assert set(others) | set(endings) == set(scenario.endings)


@pytest.mark.parametrize("role", ROLES)
def test_every_path_replays(flagship, role: str) -> None:  # type: ignore[no-untyped-def]
    scenario = flagship[0]
    r = _role(flagship, role)
    engine = Engine(scenario, role)
    bad = []
    for place in sorted(r.places):
        hit = r.path_to(place)
        assert hit is not None, place
        path, seed = hit
        if not _replays(engine, place, path, seed):
            bad.append(place)
    assert bad == []


def test_the_report_says_how_things_were_found(flagship) -> None:  # type: ignore[no-untyped-def]
    _, report, seconds = flagship
    text = render_text(report)
    assert "not found (search incomplete)" not in text and "Scenes not found" not in text
    assert "found by bounded search" in text
    assert "Every ending was found reachable" in text
    kennedy = text.split("Role khrushchev")[0]
    assert "n-end-" not in kennedy  # the Soviet endings are not listed for Kennedy
    # the exhaustive search is cut short, but every check has a verdict, each with its method
    assert report.exit_code() == 0 and not report.complete and report.verdicts_complete
    for role in ROLES:
        assert report.verdicts(role).stuck_by == report.verdicts(role).loops_by == "static analysis"
    assert "stuck states: none possible (proved by static analysis)" in text
    assert "an ending can still be reached (proved by static analysis)" in text
    assert "not ruled out" not in text
    assert seconds < TIME_LIMIT
