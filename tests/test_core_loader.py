"""Loading scenarios: every kind of error is reported, with its line and column, in one pass."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from brinkmanship.format.errors import ScenarioError
from brinkmanship.format.loader import check_scenario, load_scenario
from tests.conftest import FIXTURES

GOOD = """\
format: 1
id: t
title: T
roles:
  a: {name: A, start: s1}
variables:
  tension: {initial: 20, min: 0, max: 100}
scenes:
  s1:
    text: Hello
    choices:
      - {id: go, text: Go, stance: hold, next: done}
endings:
  done: {title: Done, outcome: stalemate, text: Bye.}
"""


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def errors(tmp_path: Path, text: str) -> list[str]:
    scenario, diags = check_scenario(str(write(tmp_path, text)))
    assert scenario is None
    return [f"{d.line}:{d.col}: {d.message}" for d in diags if d.severity == "error"]


def test_good_scenario_loads(tmp_path: Path) -> None:
    sc = load_scenario(str(write(tmp_path, GOOD)))
    assert sc.id == "t" and list(sc.scenes) == ["s1"] and sc.content_hash.startswith("sha256:")


def test_fixture_loads_with_include() -> None:
    sc = load_scenario(str(FIXTURES / "core" / "crisis.yaml"))
    assert set(sc.endings) == {"peace", "shame", "war"}
    assert len(sc.files) == 2


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("title: T", "titel: T", "3:1: unknown key 'titel' in scenario (did you mean 'title'?)"),
        ("start: s1", "start: s11", "5:23: role 'a' start: no scene 's11' (did you mean 's1'?)"),
        ("next: done", "next: dnoe", "no scene or ending 'dnoe' (did you mean 'done'?)"),
        ("stance: hold", "stance: hodl", "no stance 'hodl' (did you mean 'hold'?)"),
        (
            "text: Go,",
            "text: Go, effects: {tensoin: +5},",
            "effect on unknown variable 'tensoin' (did you mean 'tension'?)",
        ),
        ("text: Go,", "text: Go, if: 'tension > x',", "unknown name 'x'"),
        ("text: Hello", "text: Hi {tensoin}", "unknown name {tensoin} in text"),
        ("outcome: stalemate", "outcome: stalemat", "'stalemat' is not one of"),
        ("initial: 20", "initial: 200", "initial value outside min..max"),
        ("format: 1", "format: 3", "unsupported format 3"),
        ("id: t", "id: 't t'", "is not a valid id"),
        ("      - {id: go", "      - {id: go, once: maybe", "expected true or false"),
    ],
)
def test_each_kind_of_error_has_a_place_and_a_hint(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert old in GOOD
    found = errors(tmp_path, GOOD.replace(old, new, 1))
    assert any(expected in e for e in found), found


def test_every_error_is_reported_in_one_pass(tmp_path: Path) -> None:
    text = GOOD.replace("title: T", "titel: T").replace("next: done", "next: dnoe")
    text = text.replace("stance: hold", "stance: hodl")
    found = errors(tmp_path, text)
    assert len(found) >= 4  # unknown key, missing title, bad next, bad stance


def test_duplicate_keys_name_both_lines(tmp_path: Path) -> None:
    text = GOOD.replace("    text: Hello\n", "    text: Hello\n    text: Again\n")
    found = errors(tmp_path, text)
    assert any("11:5: duplicate key 'text' (first defined at line 10)" in e for e in found)


def test_yaml_syntax_error_has_position(tmp_path: Path) -> None:
    found = errors(tmp_path, "format: 1\nid: [unclosed\n")
    assert found and found[0].startswith("2:5: this list opens with [")
    assert "close it: id: [unclosed]" in found[0]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("- a\n- b\n", "expected a scenario"),
        ("a: !!python/object:os.system x\n", "unsupported YAML tag"),
        ("a: &x [1]\nb: *x\n<<: {c: 1}\n", "merge keys"),
    ],
)
def test_odd_documents_are_refused(tmp_path: Path, text: str, fragment: str) -> None:
    found = errors(tmp_path, text)
    assert any(fragment in e for e in found), found


def test_include_cycle_and_escape_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "include: [a.yaml]\n", "a.yaml")
    main = GOOD + "include: [a.yaml, ../outside.yaml]\n"
    found = errors(tmp_path, main)
    assert any("included twice" in e or "cycle" in e for e in found)
    assert any("leaves the scenario's folder" in e for e in found)


def test_duplicate_ids_across_included_files(tmp_path: Path) -> None:
    write(tmp_path, "endings:\n  done: {title: D, outcome: defeat, text: x}\n", "more.yaml")
    found = errors(tmp_path, GOOD + "include: [more.yaml]\n")
    assert any("'done' is defined twice" in e for e in found)


def test_load_scenario_raises_with_all_messages(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(write(tmp_path, GOOD.replace("next: done", "next: nope"))))
    assert "s.yaml:12:" in str(info.value)


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "brinkmanship", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_validate_command_exit_codes_and_format(tmp_path: Path) -> None:
    good = write(tmp_path, GOOD, "good.yaml")
    bad = write(tmp_path, GOOD.replace("title: T", "titel: T"), "bad.yaml")
    ok = cli("validate", str(good))
    assert ok.returncode == 0 and "ok" in ok.stdout
    res = cli("validate", str(good), str(bad))
    assert res.returncode == 1
    assert f"{bad}:3:1: error[S011]: unknown key 'titel'" in res.stdout
    assert "Traceback" not in res.stdout + res.stderr
    assert cli("validate").returncode == 2
    missing = cli("validate", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 1 and "no such file" in missing.stdout


def test_validate_json(tmp_path: Path) -> None:
    import json

    bad = write(tmp_path, GOOD.replace("title: T", "titel: T"), "bad.yaml")
    res = cli("validate", "--json", str(bad))
    data = json.loads(res.stdout)
    err = data["scenarios"][0]["errors"][0]
    assert {"file", "line", "column", "code", "message"} <= set(err)


def test_empty_effect_value_is_an_error_not_a_crash(tmp_path: Path) -> None:
    found = errors(tmp_path, GOOD.replace("text: Go,", "text: Go, effects: {tension: ''},"))
    assert any("empty expression" in e for e in found), found
