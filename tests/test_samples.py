"""The sample saves in saves/ still replay to the endings they recorded."""

from __future__ import annotations

import subprocess
import sys

import pytest

from brinkmanship import saves
from tests.conftest import ROOT

SAMPLES = sorted((ROOT / "saves").glob("*.yaml"))


def test_there_is_a_full_tutorial_playthrough_per_role() -> None:
    finished = {(s.scenario_id, s.role) for s in map(saves.read_save, SAMPLES)
                if s.final.get("ending")}
    assert {("tutorial", "lind"), ("tutorial", "castell")} <= finished


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_sample_replays_to_its_ending(path) -> None:
    save = saves.read_save(path)
    result = saves.replay(save, saves.scenario_for(save))
    assert result.ok, result.summary()
    assert result.game.state.ending == save.final["ending"]


def test_replay_check_command_on_a_sample() -> None:
    res = subprocess.run([sys.executable, "-m", "brinkmanship", "replay", str(SAMPLES[0]),
                          "--check"], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0 and "Ending:" in res.stdout
