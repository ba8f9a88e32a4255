"""The sample saves in saves/ still replay to the endings they recorded; so do old
(format 1) saves, kept in tests/fixtures/saves/."""

from __future__ import annotations

import dataclasses
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from brinkmanship.runtime import savefile
from brinkmanship.runtime.resume import resume, scenario_for
from tests.conftest import FIXTURES, ROOT

SAMPLES = sorted((ROOT / "saves").glob("*.yaml"))
FORMAT1 = sorted((FIXTURES / "saves").glob("format1-*.yaml"))


def test_there_is_a_full_tutorial_playthrough_per_role() -> None:
    finished = {(s.scenario.id, s.role) for s in map(savefile.read, SAMPLES) if s.summary.ending}
    assert {("tutorial", "lind"), ("tutorial", "castell")} <= finished


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_sample_replays_to_its_ending(path: Path) -> None:
    save = savefile.read(path)
    assert save.version == savefile.SAVE_FORMAT  # the samples are in the current format
    result = resume(save, scenario_for(save))
    assert result.ok, result.summary()
    assert not result.scenario_changed  # made with the bundled scenario as it is
    assert result.session.state.ending == save.summary.ending and save.over
    assert result.session.state.vars == save.summary.vars
    assert result.session.check == save.check and len(save.turns) == save.turn


def test_replay_check_command_on_a_sample() -> None:
    res = subprocess.run(
        [sys.executable, "-m", "brinkmanship", "replay", str(SAMPLES[0]), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 0 and "Ending:" in res.stdout


# -- format 1 saves stay readable --------------------------------------------------------


def test_there_are_format1_fixtures() -> None:
    assert FORMAT1 and all(savefile.read(p).version == 1 for p in FORMAT1)


@pytest.mark.parametrize("path", FORMAT1, ids=[p.name for p in FORMAT1])
def test_format1_save_loads_and_replays(path: Path) -> None:
    save = savefile.read(path)
    assert save.version == 1 and save.turn == len(save.turns) > 0
    assert save.summary.ending and save.summary.vars and save.summary.when and save.check
    result = resume(save, scenario_for(save))
    assert result.ok, result.summary()
    assert result.session.state.ending == save.summary.ending
    assert result.session.state.vars == save.summary.vars
    # format 1 checks are digests of the whole state, and they are checked
    assert save.check == result.session.state.digest()
    assert save.checks == tuple(
        result.session.state_at(i).digest() for i in range(1, save.turn + 1)
    )


@pytest.mark.parametrize("path", FORMAT1, ids=[p.name for p in FORMAT1])
def test_format1_save_plays_as_its_current_sample(path: Path) -> None:
    """The sample saves were rewritten in format 2 from the same lines of play."""
    old = savefile.read(path)
    new = savefile.read(ROOT / "saves" / path.name.removeprefix("format1-"))
    assert new.version == 2
    # (The scenario's hash has moved on since: its historical choices are now marked.)
    assert (old.scenario.id, old.role, old.seed, old.choices) == (
        new.scenario.id,
        new.role,
        new.seed,
        new.choices,
    )
    assert (old.summary.ending, old.summary.vars, old.summary.when, old.summary.scene) == (
        new.summary.ending,
        new.summary.vars,
        new.summary.when,
        new.summary.scene,
    )
    a = resume(old, scenario_for(old)).session
    b = resume(new, scenario_for(new)).session
    assert a.state.key() == b.state.key()
    assert [dataclasses.astuple(t) for t in a.turns] == [dataclasses.astuple(t) for t in b.turns]


@pytest.mark.parametrize("path", FORMAT1, ids=[p.name for p in FORMAT1])
def test_edited_format1_save_diverges_at_the_edited_turn(path: Path) -> None:
    save = savefile.read(path)
    text = path.read_text(encoding="utf-8").replace(save.checks[1], "0" * 16, 1)
    edited = savefile.SaveFile.from_text(text, "edited.yaml")
    result = resume(edited, scenario_for(edited))
    assert result.divergence is not None and result.divergence.turn == 2
    assert result.session.turn == 1  # it holds the turns that still replay


def test_format1_cli_replay_check() -> None:
    res = subprocess.run(
        [sys.executable, "-m", "brinkmanship", "replay", str(FORMAT1[0]), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 0 and "Ending:" in res.stdout, (res.stdout, res.stderr)


# -- the script that writes the samples ------------------------------------------------------


def test_the_script_writes_the_samples(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_sample_saves", ROOT / "scripts" / "make_sample_saves.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    lines = [ln for ln in script.LINES if ln[1] == "tutorial"]  # the quick ones
    assert script.main(lines, tmp_path) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{ln[0]}.yaml" for ln in lines)
    for name, *_ in lines:
        made = savefile.read(tmp_path / f"{name}.yaml")
        kept = savefile.read(ROOT / "saves" / f"{name}.yaml")
        assert dataclasses.replace(made, saved="", app_version="") == dataclasses.replace(
            kept, saved="", app_version=""
        ), name
