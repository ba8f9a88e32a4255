"""The JSON Schema: generated from the spec, committed copies current, accepts and rejects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brinkmanship.format import spec
from brinkmanship.format.schema import part_schema, scenario_schema, schema_text
from brinkmanship.frontends.cli import main
from tests.toolkit_helpers import FIXTURES, ROOT, as_editor_sees

# every shipped YAML file is a scenario or a part of one, except the prose check's settings
SHIPPED = sorted(p for p in (ROOT / "scenarios").rglob("*.yaml") if p.name != "lint.yaml")
MODELINE = "# yaml-language-server: $schema="


def _validator(part: bool) -> object:
    jsonschema = pytest.importorskip("jsonschema")
    schema = part_schema() if part else scenario_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _errors(data: object, part: bool = False) -> list[str]:
    return [e.message for e in _validator(part).iter_errors(data)]  # type: ignore[attr-defined]


def test_committed_schemas_equal_the_generated_ones() -> None:
    assert (ROOT / "docs" / "scenario.schema.json").read_text() == schema_text(), (
        "run: brinkmanship schema -o docs/scenario.schema.json"
    )
    assert (ROOT / "docs" / "scenario-part.schema.json").read_text() == schema_text(part=True), (
        "run: brinkmanship schema --part -o docs/scenario-part.schema.json"
    )


def test_schema_command_prints_the_generated_schema(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == spec.json_schema()
    out = tmp_path / "part.json"
    assert main(["schema", "--part", "-o", str(out)]) == 0
    assert json.loads(out.read_text()) == part_schema()


def test_schema_is_built_from_the_spec() -> None:
    props = scenario_schema()["properties"]
    assert set(props) == set(spec.SCENARIO.fields)
    assert set(part_schema()["properties"]) == set(spec.INCLUDED.fields)
    assert scenario_schema()["additionalProperties"] is False


@pytest.mark.parametrize(
    "path", SHIPPED + sorted(FIXTURES.glob("*.yaml")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_schema_accepts_shipped_scenarios(path: Path) -> None:
    data = as_editor_sees(path)
    part = "format" not in data
    assert _errors(data, part) == []


# Files whose writers have not added the modeline yet (remove them once they have).
PENDING_MODELINE: set[str] = set()


def _modeline_case(p: Path) -> object:
    rel = str(p.relative_to(ROOT))
    if rel in PENDING_MODELINE:
        return pytest.param(p, marks=pytest.mark.xfail(reason="modeline not added yet"), id=rel)
    return pytest.param(p, id=rel)


@pytest.mark.parametrize("path", [_modeline_case(p) for p in SHIPPED])
def test_shipped_scenarios_name_their_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(MODELINE), f"{path} should start with {MODELINE}..."
    target = (path.parent / first[len(MODELINE) :].strip()).resolve()
    part = "format" not in as_editor_sees(path)
    want = "scenario-part.schema.json" if part else "scenario.schema.json"
    assert target == (ROOT / "docs" / want).resolve()


def _base() -> dict[str, object]:
    return {
        "format": 1,
        "id": "t",
        "title": "T",
        "roles": {"a": {"name": "A", "start": "s"}},
        "scenes": {
            "s": {
                "text": "x",
                "choices": [{"id": "c", "text": "go", "stance": "hold", "next": "end"}],
            }
        },
        "endings": {"end": {"title": "E", "outcome": "stalemate", "text": "done"}},
    }


def test_schema_accepts_the_base_case() -> None:
    assert _errors(_base()) == []


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: d.update(colour="red"),  # unknown top-level key
        lambda d: d["scenes"]["s"].update(txt="x"),  # unknown scene key
        lambda d: d["scenes"]["s"]["choices"][0].update(nxt="end"),  # unknown choice key
        lambda d: d["scenes"]["s"]["choices"][0].pop("stance"),  # missing required key
        lambda d: d["endings"]["end"].update(outcome="victory"),  # not one of the outcomes
        lambda d: d["roles"].update({"9bad": {"name": "B", "start": "s"}}),  # bad id
        lambda d: d.update(format="one"),  # wrong type
        lambda d: d["scenes"]["s"].update(choices="none"),  # list expected
        lambda d: d.pop("title"),  # missing title
    ],
)
def test_schema_rejects_broken_scenarios(breakage: object) -> None:
    data = _base()
    breakage(data)  # type: ignore[operator]
    assert _errors(data)


def test_part_schema_rejects_header_keys() -> None:
    assert _errors({"endings": {}}, part=True) == []
    assert _errors({"title": "no"}, part=True)
