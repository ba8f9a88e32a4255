"""Thirteen Days as Khrushchev: a dilemma, not a quiz (issue #15, point 1).

The stance tags alone do not decide: every policy that plays one stance, or plays at
random, stays below the good-ending shares of the issue, while two lines that read the
situation (the historical mix, and one that opens the channel early) end well.
"""

from __future__ import annotations

import pytest

from brinkmanship.authoring.playtest import playtest
from brinkmanship.format import catalog
from brinkmanship.format.loader import check_scenario
from brinkmanship.format.model import Scenario
from brinkmanship.runtime.session import Session

ROLE = "khrushchev"
GOOD = {"settlement", "cooperation"}
RUNS = 1000

# What Khrushchev's war and peace come down to, once the crisis has started: whichever
# scene the dice bring, the first of these that is offered is taken.
ENDGAME = [
    "n31-rein",
    "n32-surface",
    "n33-protest",
    "n30-rfk",
    "n36-private",
    "n36-accept",
    "n34-accept",
    "n34-accept-pledge",
    "n37-broadcast",
    "n37-plead",
    "n38-broadcast",
    "n39-mikoyan",
    "n40-mikoyan",
    "n41-all",
    "n42-sea",
    "n43-trade",
    "n44-hotline",
    "n49-argue",
    "n49-argue-late",
    "n51-standdown",
    "n47-last",
    "n53-insist",
    "n50-mikoyan",
    "n50-mikoyan-now",
]
# 1962 as it went: secrecy, the weapons ships turned, Knox, Zorin's denial, the pledge
# offered, Turkey broadcast, Pliyev reined in, Dobrynin and Robert Kennedy, the radio.
HISTORICAL = [
    "n0-secret",
    "n3-line",
    "n8-wait",
    "n9-conventional",
    "n10-turn",
    "n16-knox",
    "n18-brag",
    "n23-deny",
    "n25-pledge",
    "n27-pledge",
    "n28-restrain",
    "n29-broadcast",
    "n32-hold",
    "n33-escort",
    *ENDGAME,
]
# Better than history: Dobrynin told the truth early, a private promise not to ship more,
# the warheads kept in Moscow's hand, the U Thant pause with a standstill, Turkey raised
# only in private.
SHREWD = [
    "n0-hint",
    "n4-brief",
    "n5-truth",
    "n6-freeze",
    "n9-conventional",
    "n10-turn",
    "n16-uthant",
    "n21-standstill",
    "n22-hold",
    "n25-pledge",
    "n27-ask",
    "n28-restrain",
    "n29-private",
    *ENDGAME,
]


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    sc, diags = check_scenario(str(catalog.find("thirteen-days")))
    assert sc is not None, "\n".join(map(str, diags))
    return sc


def outcome_shares(scenario: Scenario, policy: str) -> dict[str, float]:
    stats = playtest(scenario, [ROLE], RUNS, 0, policy, shrink=False).roles[ROLE]
    assert not stats.failed, stats.failed
    return {o: n / RUNS for o, n in stats.outcomes.items()}


def test_no_stance_is_an_answer_key(scenario: Scenario) -> None:
    shares = {p: outcome_shares(scenario, p) for p in ("escalate", "hold", "negotiate", "concede")}
    good = {p: sum(s.get(o, 0.0) for o in GOOD) for p, s in shares.items()}
    assert all(g <= 0.65 for g in good.values()), good
    assert shares["escalate"].get("catastrophe", 0) + shares["escalate"].get("defeat", 0) >= 0.9
    assert shares["concede"].get("defeat", 0) >= 0.9
    rand = outcome_shares(scenario, "random")
    assert sum(rand.get(o, 0.0) for o in GOOD) <= 0.30


def play_line(scenario: Scenario, seed: int, prefs: list[str]) -> str:
    """Play ``prefs`` through a Session: the first preferred choice offered, else the first."""
    session = Session.new(scenario, ROLE, seed)
    rank = {c: i for i, c in enumerate(prefs)}
    while not session.over:
        avail = session.engine.available(session.state)
        best = min(avail, key=lambda c: rank.get(c.id, len(rank)))
        session.take(best.id)
    return session.state.ending or ""


@pytest.mark.parametrize(
    ("line", "least", "endings"),
    [
        (HISTORICAL, 0.7, {"n-end-guaranteed"}),
        (SHREWD, 0.9, {"n-end-guaranteed", "n-end-coexistence"}),
    ],
    ids=["historical", "shrewd"],
)
def test_lines_that_read_the_situation_end_well(
    scenario: Scenario, line: list[str], least: float, endings: set[str]
) -> None:
    reached = [play_line(scenario, seed, line) for seed in range(60)]
    good = [e for e in reached if scenario.endings[e].outcome in GOOD]
    assert len(good) >= least * len(reached), sorted(reached)
    assert set(good) == endings


def test_only_something_history_did_not_do_reaches_cooperation(scenario: Scenario) -> None:
    reached = {play_line(scenario, seed, HISTORICAL) for seed in range(60)}
    assert "n-end-coexistence" not in reached
    assert "n-end-coexistence" in {play_line(scenario, seed, SHREWD) for seed in range(60)}
