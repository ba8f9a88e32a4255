"""validate's warnings (W001-W009, and the loader's C008), with places, in text and JSON."""

from __future__ import annotations

import json

import pytest

from brinkmanship.authoring.analysis import warnings_for
from brinkmanship.format.loader import load_scenario
from brinkmanship.frontends.cli import main
from tests.toolkit_helpers import FIXTURES

WARNINGS = FIXTURES / "warnings.yaml"


def _by_code() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for d in warnings_for(load_scenario(str(WARNINGS))):
        assert d.severity == "warning"
        out.setdefault(d.code, []).append(d.message)
    return out


def test_every_kind_of_warning() -> None:
    w = _by_code()
    assert sorted(w) == ["W001", "W002", "W003", "W004", "W005", "W006", "W007", "W009"]
    assert [m.split()[1] for m in w["W001"]] == ["'attic'"]
    assert "'hall'" in w["W002"][0] and "after warm" in w["W002"][0]
    assert sorted(m.split()[1] for m in w["W003"]) == ["'secret'", "'unused'"]
    assert "'orphan'" in w["W004"][0]
    assert "'lost'" in w["W005"][0]
    assert sorted(m.split()[1] for m in w["W006"]) == ["'treasure'", "'vault'"]
    assert "pit-a, pit-b" in w["W007"][0] and "after jump" in w["W007"][0]
    assert "every game that gets there is stuck" in w["W002"][0]  # 'leave' never holds there
    assert w["W009"] == [
        "choice 'leave''s 'if' (heat < 3) never holds where it is checked (proved by static "
        "analysis), so what it guards never happens: fix the condition or what leads there"
    ]


def test_warnings_point_at_the_right_lines() -> None:
    lines = WARNINGS.read_text().splitlines()
    for d in warnings_for(load_scenario(str(WARNINGS))):
        assert d.path.endswith("warnings.yaml")
        name = "pit-a" if d.code == "W007" else d.message.split("'")[1]
        if d.code == "W009":  # at the choice that has the condition
            assert lines[d.line - 1][d.col - 1 :].startswith("{id: " + name), d
            continue
        assert lines[d.line - 1][d.col - 1 :].startswith(name + ":"), (d, lines[d.line - 1])


def test_clean_fixtures_have_no_static_warnings() -> None:
    assert [d.code for d in warnings_for(load_scenario(str(FIXTURES / "failing.yaml")))] == ["W002"]
    assert [d.code for d in warnings_for(load_scenario(str(FIXTURES / "trap.yaml")))] == ["W007"]


def test_validate_json_lists_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--json", str(WARNINGS)]) == 0  # warnings do not fail validate
    report = json.loads(capsys.readouterr().out)["scenarios"][0]
    assert report["valid"] is True and report["errors"] == []
    codes = sorted({w["code"] for w in report["warnings"]})
    assert codes == ["C008", "W001", "W002", "W003", "W004", "W005", "W006", "W007", "W009"]
    for w in report["warnings"]:
        assert set(w) >= {"file", "line", "column", "code", "message"}
        assert w["severity"] == "warning" and w["line"] > 0 and w["column"] > 0


def test_validate_text_shows_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(WARNINGS)]) == 0
    out = capsys.readouterr().out
    assert "warnings.yaml:27:3: warning[W001]: scene 'attic' cannot be reached" in out
    assert "warnings.yaml:17:66: warning[" in out
    assert "condition 'heat > 10' can never be true" in out
    assert "11 warnings" in out
