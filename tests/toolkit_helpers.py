"""Shared helpers for the toolkit tests (not a test module)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from brinkmanship.runtime.engine import Engine, GameState
from brinkmanship.runtime.session import Session

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "toolkit"
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"

_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


def _scalar(node: yaml.ScalarNode) -> Any:
    v = node.value
    if node.style:  # quoted or block: always text
        return v
    if v in ("", "~", "null", "Null", "NULL"):
        return None
    if v in ("true", "True", "TRUE"):
        return True
    if v in ("false", "False", "FALSE"):
        return False
    if _INT.match(v):
        return int(v)
    if _FLOAT.match(v):
        return float(v)
    return v


def _convert(node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return {_convert(k): _convert(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_convert(v) for v in node.value]
    return _scalar(node)  # type: ignore[arg-type]


def as_editor_sees(path: Path) -> Any:
    """A YAML file as JSON data under YAML 1.2's core schema, as yaml-language-server reads it."""
    return _convert(yaml.compose(path.read_text(encoding="utf-8")))


def play(engine: Engine, seed: int, choices: list[str]) -> GameState:
    """The state after making ``choices`` under ``seed`` (as the old ``Game(engine, seed,
    choices).state``): every choice must be available, or GameError is raised."""
    session = Session(engine.scenario, engine.role, seed)
    for cid in choices:
        session.take(cid)
    return session.state


def line_of(path: Path, text: str) -> int:
    """The first line of ``path`` that contains ``text``."""
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def diagnostics(path: Path) -> dict[str, list[tuple[int, str]]]:
    """Everything validate says of ``path`` (loader and warnings): code -> [(line, message)]."""
    from brinkmanship.authoring.analysis import warnings_for
    from brinkmanship.format.loader import check_scenario

    scenario, diags = check_scenario(str(path))
    assert scenario is not None, diags
    out: dict[str, list[tuple[int, str]]] = {}
    for d in [*diags, *warnings_for(scenario)]:
        assert d.path == str(path)
        out.setdefault(d.code, []).append((d.line, d.message))
    return out
