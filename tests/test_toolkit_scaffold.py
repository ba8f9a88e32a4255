"""new: a scaffold that validates cleanly and plays to an ending as each role."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from brinkmanship.authoring.analysis import warnings_for
from brinkmanship.authoring.explore import explore
from brinkmanship.format.loader import check_scenario
from brinkmanship.format.schema import schema_text
from brinkmanship.frontends.cli import main


def _new(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "crises" / "Border Bridge.yaml"
    assert main(["new", str(path)]) == 0
    assert "wrote" in capsys.readouterr().out
    return path


def test_scaffold_is_valid_without_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _new(tmp_path, capsys)
    scenario, diags = check_scenario(str(path))
    assert scenario is not None and diags == []
    assert warnings_for(scenario) == []
    assert scenario.id == "border-bridge" and len(scenario.roles) == 2
    assert path.read_text().startswith("# yaml-language-server: $schema=scenario.schema.json")
    assert (path.parent / "scenario.schema.json").read_text() == schema_text()
    report = explore(scenario, list(scenario.roles))
    assert report.exit_code() == 0 and report.complete


@pytest.mark.parametrize(
    ("role", "keys"),
    [("envoy-north", "2\n1\n"), ("envoy-south", "2\n1\n"), ("envoy-north", "1\n3\n")],
)
def test_scaffold_plays_to_an_ending(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    role: str,
    keys: str,
) -> None:
    path = _new(tmp_path, capsys)
    monkeypatch.setattr(sys, "stdin", io.StringIO(keys))
    assert main(["play", str(path), "--role", role, "--plain", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "Ending:" in out


def test_new_never_replaces_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _new(tmp_path, capsys)
    before = path.read_text()
    assert main(["new", str(path)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert path.read_text() == before


def test_new_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", str(tmp_path / "plain"), "--id", "my-own"]) == 0
    text = (tmp_path / "plain.yaml").read_text()
    assert "\nid: my-own\n" in text
    assert main(["new", str(tmp_path / "x.yaml"), "--id", "9 bad"]) == 2
    d = tmp_path / "folder"
    d.mkdir()
    assert main(["new", str(d)]) == 0
    assert "\nid: folder\n" in (d / "scenario.yaml").read_text()


def test_the_writing_guide_builds_a_valid_crisis(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.toolkit_helpers import ROOT

    guide = (ROOT / "docs" / "writing-scenarios.md").read_text()
    block = guide.split("<!-- tutorial:final -->", 1)[1].split("```yaml\n", 1)[1]
    path = tmp_path / "blockade.yaml"
    path.write_text(block.split("```", 1)[0])
    scenario, diags = check_scenario(str(path))
    assert scenario is not None and diags == [] and warnings_for(scenario) == []
    report = explore(scenario, list(scenario.roles))
    assert report.exit_code() == 0
    paths = {e: v["path"] for e, v in report.to_json()["roles"]["mayor"]["endings"].items()}
    assert paths == {
        "settled": ["envoy", "pay"],
        "humiliated": ["fleet", "give-in"],
        "sea-battle": ["fleet"],
    }  # as the guide shows
    monkeypatch.setattr(sys, "stdin", io.StringIO("2\n1\n"))
    assert main(["play", str(path), "--role", "mayor", "--plain", "--seed", "1"]) == 0
    assert "Ending: Fees and Frigates" in capsys.readouterr().out
