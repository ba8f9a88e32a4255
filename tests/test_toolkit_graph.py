"""graph: DOT and Mermaid output, roles, stance colours and coverage."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from brinkmanship.authoring.graph import STANCE_COLOURS, to_dot, to_mermaid
from brinkmanship.format.loader import load_scenario
from brinkmanship.frontends.cli import main
from tests.toolkit_helpers import ROOT

CRISIS = ROOT / "tests" / "fixtures" / "core" / "crisis.yaml"


def _graph(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["graph", *args]) == 0
    return capsys.readouterr().out


def test_dot_has_every_scene_choice_and_ending(capsys: pytest.CaptureFixture[str]) -> None:
    out = _graph(capsys, str(CRISIS), "--format", "dot")
    sc = load_scenario(str(CRISIS))
    assert out.startswith('digraph "core-crisis" {') and out.rstrip().endswith("}")
    for s in sc.scenes.values():
        assert f'"{s.id}" [shape=box' in out
        for c in s.choices:
            assert re.search(
                rf'"{s.id}" -> "{c.next}" \[label="{c.id}[^"]*", '
                rf'color="{STANCE_COLOURS[c.stance]}"',
                out,
            ), c.id
    assert "subgraph cluster_endings" in out
    for e in sc.endings:
        assert f'"{e}" [shape=ellipse' in out
    assert '"trigger:war" -> "war" [style=dashed]' in out


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_dot_renders_with_graphviz(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for args in ([str(CRISIS)], [str(ROOT / "scenarios" / "tutorial.yaml"), "--role", "lind"]):
        if not Path(args[0]).exists():
            continue
        out = _graph(capsys, *args)
        res = subprocess.run(
            ["dot", "-Tsvg"], input=out, capture_output=True, text=True, timeout=60
        )
        assert res.returncode == 0, res.stderr
        assert "<svg" in res.stdout


def test_role_filter(capsys: pytest.CaptureFixture[str]) -> None:
    out = _graph(capsys, str(CRISIS), "--role", "south")
    assert '"s1"' in out and '"n1"' not in out
    assert main(["graph", str(CRISIS), "--role", "west"]) == 2


def test_mermaid(capsys: pytest.CaptureFixture[str]) -> None:
    out = _graph(capsys, str(CRISIS), "--format", "mermaid")
    sc = load_scenario(str(CRISIS))
    lines = out.splitlines()
    assert lines[:4] == ["---", 'title: "Core Crisis"', "---", "flowchart TD"]
    n_choices = sum(len(s.choices) for s in sc.scenes.values())
    assert sum(1 for ln in lines if "-->|" in ln) == n_choices
    links = sum(1 for ln in lines if re.search(r" (-->|==>|-\.->)", ln))
    styles = [int(ln.split()[1]) for ln in lines if ln.strip().startswith("linkStyle")]
    assert len(styles) == n_choices and max(styles) < links
    assert 'subgraph sg_endings ["Endings"]' in out and "class n" in out


def test_coverage_from_playtest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["playtest", str(CRISIS), "--runs", "50", "--policy", "negotiate", "--json"]) == 0
    cov = tmp_path / "cov.json"
    cov.write_text(capsys.readouterr().out)
    data = json.loads(cov.read_text())
    out = _graph(capsys, str(CRISIS), "--coverage", str(cov), "--role", "south")
    hits = data["roles"]["south"]["choices"]["s1/talk"]
    assert f'label="talk ×{hits}"' in out
    assert 'label="arm ×0", color="#c0392b", fontcolor="#c0392b", style=dashed' in out
    mm = _graph(capsys, str(CRISIS), "--coverage", str(cov), "--format", "mermaid")
    assert "×" in mm and "unhit" in mm
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    assert main(["graph", str(CRISIS), "--coverage", str(bad)]) == 1
    assert "no playtest results" in capsys.readouterr().err


def test_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "g.mmd"
    assert main(["graph", str(CRISIS), "--format", "mermaid", "-o", str(target)]) == 0
    assert target.read_text() == to_mermaid(load_scenario(str(CRISIS)))
    assert to_dot(load_scenario(str(CRISIS))).count("->") > 10
