"""``brinkmanship lint``: the prose check (overused phrases and words, repeated sentences,
long paragraphs), each finding with its file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brinkmanship.authoring.lint import Settings, lint, load_settings
from brinkmanship.format.errors import UsageError
from brinkmanship.format.loader import load_scenario
from brinkmanship.frontends.cli import main

TIC = "The minister says nothing, which from him is loud."

SCENARIO = f"""\
format: 1
id: prose
title: Prose
roles:
  mayor: {{name: Mayor, start: a}}
scenes:
  a:
    text: >-
      {TIC}
    advisers:
      - who: General Holt
        says: "The General Staff wants the bridge. {TIC.replace("minister", "general")}"
    choices:
      - {{id: go, text: Walk over, stance: hold, next: b}}
  b:
    text:
      - if: "turn > 5"
        text: The river runs fast under the old bridge today.
      - if: "turn <= 5"
        text: The river runs fast under the old bridge today, and cold.
      - The State Department sends word. The State Department waits.
    choices:
      - id: go
        text: Go on
        stance: hold
        result: "The clerk says nothing, which from him is rare."
        next: c
  c:
    text: |
      The clerk says nothing, which from him is normal. He quietly, quietly, quietly
      leaves.

      {" ".join(["word"] * 160)}
    choices:
      - {{id: end, text: End, stance: hold, next: done}}
endings:
  done:
    title: Done
    outcome: settlement
    text: The State Department agrees. The river runs fast under the old bridge today.
"""


@pytest.fixture()
def scenario_file(tmp_path: Path) -> Path:
    folder = tmp_path / "prose"
    folder.mkdir()
    path = folder / "scenario.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


def line_of(path: Path, needle: str, nth: int = 0) -> int:
    lines = [i for i, ln in enumerate(path.read_text().splitlines(), 1) if needle in ln]
    return lines[nth]


def test_findings_with_file_and_line(scenario_file: Path) -> None:
    found = lint(load_scenario(str(scenario_file)), Settings(max_word_uses=2))
    by = {(f.code, f.subject): f for f in found}
    tic = by[("P001", "says nothing which from him is")]
    assert tic.count == 4
    assert [p.line for p in tic.places] == [
        line_of(scenario_file, "says nothing", i) for i in range(4)
    ]
    assert all(p.path.endswith("scenario.yaml") for p in tic.places)
    # the shorter phrases inside the tic are not reported again
    assert not any(k[0] == "P001" and k[1] in tic.subject and k[1] != tic.subject for k in by)
    # the adverb, the long paragraph and the sentence written out twice
    assert by[("P002", "quietly")].count == 3
    long = next(f for f in found if f.code == "P004")
    assert long.count == 160 and long.place.line == line_of(scenario_file, "word word")
    repeated = next(f for f in found if f.code == "P003")
    assert repeated.subject == "The river runs fast under the old bridge today."
    assert [p.line for p in repeated.places] == [
        line_of(scenario_file, "river runs fast", 0),
        line_of(scenario_file, "river runs fast", 2),
    ]  # the variant in the same list (shown instead of it) is not a repeat
    assert str(tic).startswith(f"{tic.place.path}:{tic.place.line}: P001 ")


def test_names_alternatives_and_refrains_are_not_tics(scenario_file: Path) -> None:
    sc = load_scenario(str(scenario_file))
    found = lint(sc, Settings())
    assert not any("state department" in f.subject.lower() for f in found)  # a name
    quiet = lint(sc, Settings(refrains=["says nothing, which from him is"], max_repeats=3))
    assert not any(f.code == "P001" for f in quiet)
    assert [f.code for f in lint(sc, Settings(max_repeats=4)) if f.code == "P001"] == []


def test_settings_file_beside_the_scenario(scenario_file: Path, tmp_path: Path) -> None:
    (scenario_file.parent / "lint.yaml").write_text(
        "refrains: [says nothing which from him is]\nmax_words: 200\n", encoding="utf-8"
    )
    s = load_settings(str(scenario_file))
    assert s.refrains == ["says nothing which from him is"] and s.max_words == 200
    bad = tmp_path / "bad.yaml"
    bad.write_text("refrains: [x]\nmax_word: 3\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"bad.yaml:2: unknown setting 'max_word'"):
        load_settings(str(scenario_file), str(bad))
    bad.write_text("max_words: -1\n", encoding="utf-8")
    with pytest.raises(UsageError, match="max_words must be a whole number"):
        load_settings(str(scenario_file), str(bad))


def test_cli_text_and_json(scenario_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(scenario_file)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert any(
        " P001 the phrase 'says nothing which from him is' is used 4 times" in ln for ln in out
    )
    assert out[-1].startswith(f"{len(out) - 1} findings in ")
    assert main(["lint", str(scenario_file), "--json", "--max-words", "500"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["scenario"] == "prose" and data["words"] > 160
    kinds = {f["kind"] for f in data["findings"]}
    assert kinds == {"phrase", "sentence"}  # no long paragraph at 500 words
    first = data["findings"][0]
    assert {"code", "path", "line", "places", "count", "message"} <= set(first)
    args = ["lint", str(scenario_file), "--refrain", "says nothing which from him is"]
    args += ["--max-words", "500", "--refrain", "the river runs fast under the old bridge"]
    assert main(args) == 0
    words = data["words"]
    assert (
        capsys.readouterr().out.strip()
        == f"0 findings in {words} words of prose (nothing to report)"
    )


def test_cli_bad_settings_is_one_clear_message(
    scenario_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "lint.yaml"
    bad.write_text("refrains: 3\n", encoding="utf-8")
    assert main(["lint", str(scenario_file), "--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "lint.yaml:1: refrains must be a list of strings" in err and "Traceback" not in err
