"""Thirteen Days as Kennedy: a dilemma, not a quiz (issue 15, point 1).

The stance tag alone must not decide: the important decisions offer two choices of one
stance with different consequences. The historical mix reaches the historical settlement;
the Test Ban needs a step history did not take, and an early private channel played
shrewdly ends better than history did.
"""

from __future__ import annotations

from collections import Counter

import pytest

from brinkmanship.format import catalog
from brinkmanship.format.loader import check_scenario
from brinkmanship.format.model import Scenario
from brinkmanship.runtime.session import Session

DECISIONS = [
    "k-photos", "k-excomm-first", "k-dobrynin-early", "k-lemay", "k-private-letter",
    "k-guarantee-talks", "k-gt-snag", "k-sweeney", "k-speech", "k-oas", "k-line",
    "k-blinked", "k-un", "k-thant", "k-scali", "k-first-letter", "k-second-letter",
    "k-anderson", "k-ball-room", "k-reply", "k-rfk-dobrynin", "k-waiting",
    "k-chiefs-ultimatum", "k-monday", "k-sunday", "k-november", "k-1963",
]  # fmt: skip

# The historical mix, scene by scene: secrecy, the blockade over the strike, the firm
# speech, the line pulled back, Scali, the first letter answered, the Jupiters promised
# privately through Robert Kennedy, no gloating.
HISTORICAL = {
    "k-photos": "k-convene", "k-excomm-first": "k-options-open", "k-oct17": "k-17-blockade",
    "k-gromyko": "k-gromyko-silent", "k-pearl-harbor": "k-ph-blockade",
    "k-lemay": "k-lemay-thank", "k-study-groups": "k-sg-quarantine",
    "k-sweeney": "k-sw-quarantine", "k-speech": "k-sp-firm", "k-congress": "k-cg-steady",
    "k-oas": "k-oas-pullback", "k-line": "k-line-hold", "k-blinked": "k-bl-quiet",
    "k-ships-run": "k-sr-shadow", "k-un": "k-un-marucla", "k-thant": "k-th-conditional",
    "k-scali": "k-sc-yes", "k-first-letter": "k-fl-embrace", "k-second-letter": "k-sl-first",
    "k-anderson": "k-an-absorb", "k-siberia": "k-si-silence", "k-b59": "k-b59-signal",
    "k-ball-room": "k-br-trollope", "k-reply": "k-rp-send", "k-rfk-dobrynin": "k-rd-secret",
    "k-waiting": "k-wt-cordier", "k-sunday": "k-su-joint", "k-november": "k-nv-flexible",
    "k-1963": "k-63-peace", "k-monday": "k-mo-cordier", "k-long-blockade": "k-lb-talk",
    "k-chiefs-ultimatum": "k-cu-leverage", "k-strike-day": "k-sd-talk",
    "k-strike-aftermath": "k-sa-ceasefire", "k-berlin": "k-be-talk",
}  # fmt: skip

# Better than history: an early private letter with a date in it, the pledge with the
# private Jupiter clause, verification from the air; if that stalls, the historical mix
# with the forces held on a short leash and a hotline proposed in November.
EARLY = {
    **HISTORICAL,
    "k-photos": "k-ask-dobrynin", "k-dobrynin-early": "k-early-letter",
    "k-private-letter": "k-pl-pledge-firm", "k-guarantee-talks": "k-gt-jupiters",
    "k-gt-snag": "k-gs-aerial", "k-pl-stall": "k-ps-quarantine", "k-ships-run": "k-sr-message",
    "k-b59": "k-b59-back", "k-siberia": "k-si-explain", "k-november": "k-nv-hotline",
}  # fmt: skip

SEEDS = range(60)


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    sc, diags = check_scenario(str(catalog.find("thirteen-days")))
    assert sc is not None, "\n".join(map(str, diags))
    return sc


def play(scenario: Scenario, line: dict[str, str], seed: int) -> str:
    s = Session.new(scenario, "kennedy", seed)
    while not s.over:
        s.take(line[s.state.scene])
    return s.state.ending or ""


@pytest.mark.parametrize("scene", DECISIONS)
def test_a_decision_offers_two_choices_of_one_stance(scenario: Scenario, scene: str) -> None:
    stances = Counter(c.stance for c in scenario.scenes[scene].choices)
    assert max(stances.values()) >= 2, (scene, dict(stances))


def test_the_historical_mix_reaches_the_historical_settlement(scenario: Scenario) -> None:
    ends = Counter(play(scenario, HISTORICAL, seed) for seed in SEEDS)
    assert ends["k-end-together"] >= 0.7 * len(SEEDS), ends
    assert "k-end-test-ban" not in ends and "k-end-guarantee" not in ends, ends


def test_an_early_channel_played_shrewdly_does_better_than_history(
    scenario: Scenario,
) -> None:
    ends = Counter(play(scenario, EARLY, seed) for seed in SEEDS)
    outcomes = Counter()
    for ending, n in ends.items():
        outcomes[scenario.endings[ending].outcome] += n
    assert outcomes["settlement"] + outcomes["cooperation"] >= 0.85 * len(SEEDS), ends
    assert outcomes["cooperation"] >= 0.6 * len(SEEDS), ends
