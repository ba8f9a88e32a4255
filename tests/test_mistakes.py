"""The typical writer's mistakes, one at a time, in a four-file scenario.

Each test copies tests/fixtures/mistakes (crisis.yaml includes us.yaml, su.yaml and
shared.yaml) into a temporary folder, makes one mistake with a text edit, and checks
the first message: the file, line and column of the line that was edited, words a
writer understands, and what to write instead.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brinkmanship.format.errors import Diagnostic
from brinkmanship.format.loader import check_scenario
from brinkmanship.frontends.cli import main

CORPUS = Path(__file__).resolve().parent / "fixtures" / "mistakes"
JARGON = ("scanner", "mapping values", "block end", "token", "simple key", "indicator")


def corpus(tmp_path: Path) -> Path:
    dest = tmp_path / "crisis"
    shutil.copytree(CORPUS, dest)
    return dest


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def diagnose(folder: Path) -> list[Diagnostic]:
    return check_scenario(str(folder / "crisis.yaml"))[1]


def first(tmp_path: Path, name: str, old: str, new: str) -> Diagnostic:
    """The first message after one mistake, which must be an error."""
    folder = corpus(tmp_path)
    edit(folder, name, old, new)
    diags = [d for d in diagnose(folder) if d.severity == "error"]
    assert diags, "the mistake should be an error"
    d = diags[0]
    assert not any(j in d.message for j in JARGON), d.message
    return d


def at(d: Diagnostic, name: str, line: int, col: int) -> None:
    assert (Path(d.path).name, d.line, d.col) == (name, line, col), str(d)


def test_the_corpus_is_valid(tmp_path: Path) -> None:
    scenario, diags = check_scenario(str(corpus(tmp_path) / "crisis.yaml"))
    assert scenario is not None and diags == []


# -- YAML: quotes, brackets, colons, special characters -------------------------------


def test_an_unclosed_quote_is_named_where_it_opens(tmp_path: Path) -> None:
    d = first(
        tmp_path,
        "us.yaml",
        'text: "Stay to the end: nothing must look unusual."',
        'text: "Stay to the end: nothing must look unusual.',
    )
    at(d, "us.yaml", 39, 15)  # PyYAML gives up at line 63, at the next quote
    assert d.code == "Y002" and 'opens a " quote that the line does not close' in d.message
    assert d.message.endswith(
        'close the quote at the end of the line: text: "Stay to the '
        'end: nothing must look unusual."'
    )


def test_an_unclosed_single_quote_in_another_file_too(tmp_path: Path) -> None:
    d = first(
        tmp_path,
        "su.yaml",
        "text: You dictate through the night.",
        "text: 'You dictate through the night.",
    )
    at(d, "su.yaml", 37, 11)
    assert "close the quote" in d.message and "night.'" in d.message


def test_a_colon_in_unquoted_text_says_to_quote_it(tmp_path: Path) -> None:
    d = first(
        tmp_path,
        "us.yaml",
        "says: Let me go tonight, quietly, and hear what they want.",
        "says: Let me go tonight: he will listen.",
    )
    at(d, "us.yaml", 32, 32)
    assert d.message == (
        "the text after 'says:' holds ': ', which YAML reads as the start of another key; "
        'put the text in quotes: says: "Let me go tonight: he will listen."'
    )


def test_a_colon_in_text_with_double_quotes_is_quoted_with_single_ones(tmp_path: Path) -> None:
    d = first(tmp_path, "us.yaml", "text: Refuse it.", 'text: Refuse it: say "never".')
    at(d, "us.yaml", 75, 24)
    assert "put the text in quotes: text: 'Refuse it: say \"never\".'" in d.message


def test_a_quote_closed_early_suggests_the_other_quotes(tmp_path: Path) -> None:
    d = first(tmp_path, "us.yaml", "text: Refuse it.", 'text: "Refuse "it" now."')
    at(d, "us.yaml", 75, 23)
    assert "ends it early" in d.message and "text: 'Refuse \"it\" now.'" in d.message


def test_an_unclosed_bracket_is_named_where_it_opens(tmp_path: Path) -> None:
    d = first(tmp_path, "us.yaml", "effects: {trust: +1}", "effects: {trust: +1")
    at(d, "us.yaml", 41, 18)
    assert "opens with { but the line does not close it with }" in d.message
    assert "close it: effects: {trust: +1}" in d.message


def test_text_starting_with_a_reserved_character_is_quoted(tmp_path: Path) -> None:
    d = first(tmp_path, "su.yaml", "text: Threaten.", "text: @once, threaten.")
    at(d, "su.yaml", 44, 15)
    assert "cannot start with '@'" in d.message and 'text: "@once, threaten."' in d.message


def test_text_starting_with_a_bracket_is_quoted(tmp_path: Path) -> None:
    d = first(tmp_path, "su.yaml", "text: Threaten.", "text: [Aside] threaten.")
    at(d, "su.yaml", 44, 15)
    assert "read as a list" in d.message and 'text: "[Aside] threaten."' in d.message


def test_a_comment_glued_to_text_is_a_warning(tmp_path: Path) -> None:
    folder = corpus(tmp_path)
    edit(folder, "us.yaml", "text: Wait a day.", "text: Wait a day #2 of the crisis.")
    warns = [d for d in diagnose(folder) if d.code == "Y014"]
    assert len(warns) == 1 and (warns[0].line, warns[0].col) == (60, 26)
    assert "left out" in warns[0].message and '"Wait a day #2 of the crisis."' in warns[0].message


# -- YAML: indentation and tabs -------------------------------------------------------


def test_a_key_indented_too_far_is_named_at_its_line(tmp_path: Path) -> None:
    d = first(
        tmp_path,
        "us.yaml",
        "        stance: escalate\n        effects: {tension: +60}",
        "          stance: escalate\n        effects: {tension: +60}",
    )
    at(d, "us.yaml", 52, 11)
    assert d.message.startswith("'stance' is indented 2 spaces more than 'text' on line 51")
    assert "start it at column 9 (8 spaces)" in d.message


def test_a_key_indented_under_a_list_item_key(tmp_path: Path) -> None:
    d = first(tmp_path, "us.yaml", "        text: Write to", "          text: Write to")
    at(d, "us.yaml", 56, 11)
    assert "more than 'id' on line 55" in d.message and "column 9" in d.message


def test_a_key_indented_too_little_is_named_at_its_line(tmp_path: Path) -> None:
    d = first(
        tmp_path,
        "us.yaml",
        "        stance: negotiate\n        next: us-letter\n      - id: wait",
        "      stance: negotiate\n        next: us-letter\n      - id: wait",
    )
    at(d, "us.yaml", 57, 7)
    assert "at the indentation of the '- ' items" in d.message
    assert "indent it 8 spaces, like 'id' on line 55" in d.message


def test_a_line_indented_to_no_level_says_which_level(tmp_path: Path) -> None:
    d = first(tmp_path, "us.yaml", "    text: The reply", "   text: The reply")
    at(d, "us.yaml", 68, 4)
    assert "lines it up with nothing above it" in d.message
    assert "indent it 4 spaces, like 'title' on line 67" in d.message


def test_a_tab_in_the_indentation(tmp_path: Path) -> None:
    d = first(tmp_path, "us.yaml", "    title: The Letter\n", "\ttitle: The Letter\n")
    at(d, "us.yaml", 67, 1)
    assert "a tab in the indentation" in d.message and "spaces" in d.message


def test_a_list_item_among_keys(tmp_path: Path) -> None:
    d = first(
        tmp_path,
        "us.yaml",
        "        next: us-end-deal\n",
        "        next: us-end-deal\n    - oops\n",
    )
    at(d, "us.yaml", 74, 5)
    assert "a '- ' list item among the keys of a mapping" in d.message


def test_a_line_without_a_key(tmp_path: Path) -> None:
    d = first(
        tmp_path, "us.yaml", "    title: The Letter\n", "    title: The Letter\n    the reply\n"
    )
    at(d, "us.yaml", 68, 5)
    assert "has no 'key:'" in d.message and "put the whole text in quotes" in d.message


def test_a_scene_written_inside_the_one_above(tmp_path: Path) -> None:
    folder = corpus(tmp_path)
    edit(folder, "us.yaml", "  us-letter:\n", "    us-letter:\n")
    diags = diagnose(folder)
    d = diags[0]
    at(d, "us.yaml", 66, 5)
    assert d.code == "S013" and "looks like a scene of its own" in d.message
    assert "start it at column 3 (2 spaces), like 'us-cabinet' on line 44" in d.message
    # The repeated keys after it and the ways to 'us-letter' follow from it.
    assert all(x.cause for x in diags[1:]) and len(diags) == 6


# -- cascades -------------------------------------------------------------------------


def test_a_broken_file_comes_first_and_its_consequences_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = corpus(tmp_path)
    edit(
        folder, "us.yaml", "says: Let me go tonight, quietly,", "says: Let me go tonight: quietly,"
    )
    diags = diagnose(folder)
    assert diags[0].code == "Y002" and Path(diags[0].path).name == "us.yaml"
    rest = diags[1:]
    assert rest and all(d.cause.endswith("us.yaml") for d in rest)
    assert main(["validate", str(folder / "crisis.yaml")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert re.match(r".*us\.yaml:32:32: error\[Y002\]: the text after 'says:'", out[0])
    assert out[1].startswith("   32 |") and out[2].endswith("^")
    assert len(out) == 4 and "1 more error that follows only from the error in" in out[3]


def test_a_broken_variable_folds_what_uses_it(tmp_path: Path) -> None:
    folder = corpus(tmp_path)
    edit(folder, "crisis.yaml", "initial: 10", "initial: ten")
    diags = [d for d in diagnose(folder) if d.severity == "error"]
    at(diags[0], "crisis.yaml", 33, 14)
    assert "write digits (initial: 10)" in diags[0].message
    assert len(diags) > 1 and all(d.cause for d in diags[1:])


def test_errors_are_in_include_order_then_line(tmp_path: Path) -> None:
    folder = corpus(tmp_path)
    edit(folder, "su.yaml", "next: su-end-deal", "next: su-end-dael")
    edit(folder, "us.yaml", "next: us-end-deal", "next: us-end-dael")
    edit(folder, "shared.yaml", "outcome: catastrophe", "outcome: catastrophy")
    names = [Path(d.path).name for d in diagnose(folder)]
    assert names == ["us.yaml", "su.yaml", "shared.yaml"]


# -- suggestions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "meant"), [("us.yaml", "us-accident"), ("su.yaml", "su-accident")]
)
def test_suggestions_prefer_the_same_file_and_role(tmp_path: Path, name: str, meant: str) -> None:
    folder = corpus(tmp_path)
    old = {
        "us.yaml": "if: \"not fired('us-accident')\"",
        "su.yaml": "next: su-letter\n      - id: halt",
    }
    new = {
        "us.yaml": "if: \"not fired('s-accident')\"",
        "su.yaml": "next: su-letter\n        if: \"not fired('s-accident')\"\n      - id: halt",
    }
    edit(folder, name, old[name], new[name])
    d = diagnose(folder)[0]
    assert Path(d.path).name == name and f"did you mean {meant!r}?" in d.message


def test_a_jump_to_another_roles_ending_is_reported_at_the_jump(tmp_path: Path) -> None:
    d = first(tmp_path, "us.yaml", "goto: us-end-firefight", "goto: su-end-firefight")
    at(d, "us.yaml", 7, 11)
    assert d.code == "R006" and "belongs to role su" in d.message
    assert "did you mean 'us-end-firefight'?" in d.message


def test_a_jump_to_another_files_ending_without_roles_is_a_warning_at_the_jump(
    tmp_path: Path,
) -> None:
    folder = corpus(tmp_path)
    (folder / "su.yaml").write_text(
        (folder / "su.yaml").read_text().replace("    roles: [su]\n    outcome", "    outcome")
    )
    edit(folder, "us.yaml", "goto: us-end-firefight", "goto: su-end-firefight")
    scenario, diags = check_scenario(str(folder / "crisis.yaml"))
    assert scenario is not None
    d = diags[0]
    at(d, "us.yaml", 7, 11)
    assert d.code == "R007" and "did you mean 'us-end-firefight'?" in d.message


def test_a_misspelt_include_suggests_the_file_and_folds_what_it_defines(tmp_path: Path) -> None:
    folder = corpus(tmp_path)
    edit(folder, "crisis.yaml", "- shared.yaml", "- shraed.yaml")
    diags = diagnose(folder)
    at(diags[0], "crisis.yaml", 14, 5)
    assert "included file 'shraed.yaml' not found (did you mean 'shared.yaml'?)" in diags[0].message
    assert len(diags) > 1 and all(d.cause for d in diags[1:])


# -- positions inside text ------------------------------------------------------------


def test_a_placeholder_in_folded_text_is_placed_on_its_line(tmp_path: Path) -> None:
    d = first(tmp_path, "us.yaml", "stands at {tension}.", "stands at {tensoin}.")
    at(d, "us.yaml", 27, 57)
    assert "did you mean 'tension'?" in d.message


def test_a_placeholder_in_literal_text_is_placed_on_its_line(tmp_path: Path) -> None:
    d = first(tmp_path, "us.yaml", "capitals is {trust}", "capitals is {turst}")
    at(d, "us.yaml", 48, 37)


def test_an_expression_over_several_lines_is_placed_on_its_line(tmp_path: Path) -> None:
    d = first(
        tmp_path,
        "us.yaml",
        "    if: \"stance == 'negotiate'\"\n",
        "    if: >-\n      stance == 'negotiate'\n      and tensoin > 3\n",
    )
    at(d, "us.yaml", 14, 11)
    assert "unknown name 'tensoin' (did you mean 'tension'?)" in d.message


# -- types and duplicates say what to write -------------------------------------------


def test_a_quoted_number_says_to_remove_the_quotes(tmp_path: Path) -> None:
    d = first(
        tmp_path,
        "crisis.yaml",
        "    min: 0\n    max: 100\n    label: Trust",
        '    min: "0"\n    max: 100\n    label: Trust',
    )
    at(d, "crisis.yaml", 34, 10)
    assert "remove the quotes" in d.message


def test_a_word_for_a_number_says_to_write_digits(tmp_path: Path) -> None:
    d = first(
        tmp_path, "crisis.yaml", "    max: 100\n    label: Trust", "    max: lots\n    label: Trust"
    )
    assert "write digits" in d.message


def test_an_id_defined_in_two_files_says_to_rename(tmp_path: Path) -> None:
    d = first(
        tmp_path,
        "su.yaml",
        "endings:\n",
        "endings:\n  us-end-deal:\n    title: A Deal\n    outcome: cooperation\n    text: T\n",
    )
    at(d, "su.yaml", 50, 3)
    assert "defined twice (first at" in d.message and "rename one of them" in d.message


def test_a_choice_id_used_twice_suggests_another(tmp_path: Path) -> None:
    d = first(tmp_path, "us.yaml", "- id: wait", "- id: letter")
    assert d.code == "R005" and "e.g. 'letter-2'" in d.message


# -- the commands ---------------------------------------------------------------------


def test_warning_codes_are_in_the_text_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = corpus(tmp_path)
    edit(folder, "crisis.yaml", "variables:\n", "variables:\n  spare:\n    initial: 1\n")
    assert main(["validate", str(folder / "crisis.yaml")]) == 0
    out = capsys.readouterr().out
    assert re.search(r"crisis\.yaml:27:3: warning\[W003\]: variable 'spare' is never used", out)


def test_explain_prints_the_long_story(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "w005"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("W005: an ending nothing leads to") and "R006" in out
    assert main(["explain", "Y002"]) == 0
    assert 'says: "Let me go tonight: he will listen."' in capsys.readouterr().out
    assert main(["explain", "W05"]) == 1
    assert "did you mean 'W005'?" in capsys.readouterr().err


def test_every_code_in_the_source_is_explained() -> None:
    from brinkmanship.format.codes import CODES

    src = Path(__file__).resolve().parents[1] / "src" / "brinkmanship"
    used = {m for p in src.rglob("*.py") for m in re.findall(r'"([A-Z]\d{3})"', p.read_text())}
    assert used - {"E000"} - set(CODES) == set()  # E000: the default of a Diagnostic


def test_validate_a_folder_finds_its_one_main_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = corpus(tmp_path)
    assert main(["validate", str(folder)]) == 0
    assert "crisis.yaml: ok: The Test Crisis" in capsys.readouterr().out
    shutil.copy(folder / "crisis.yaml", folder / "other.yaml")
    assert main(["validate", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "holds 2 scenario main files: crisis.yaml, other.yaml" in err


def test_validate_a_folder_whose_main_file_is_broken_still_finds_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = corpus(tmp_path)
    edit(folder, "crisis.yaml", "title: The Test Crisis", "title: The Test: Crisis")
    assert main(["validate", str(folder)]) == 1
    assert "crisis.yaml:6:16: error[Y002]" in capsys.readouterr().out


def test_every_tool_counts_a_roles_endings_the_same_way(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from brinkmanship.format.scenegraph import role_endings

    path = str(corpus(tmp_path) / "crisis.yaml")
    scenario, _ = check_scenario(path)
    assert scenario is not None
    assert main(["playtest", path, "--runs", "5", "--json"]) == 0
    played = json.loads(capsys.readouterr().out)["roles"]
    main(["explore", path, "--json"])
    explored = json.loads(capsys.readouterr().out)["roles"]
    for role in scenario.roles:
        mine = role_endings(scenario, role)
        assert list(played[role]["endings"]) == mine == list(explored[role]["endings"])
    assert role_endings(scenario, "su") == ["su-end-deal", "su-end-firefight"]
    assert role_endings(scenario, "us") == ["us-end-deal", "us-end-firefight", "shared-end-war"]


# -- any small slip ----------------------------------------------------------------------

US = (CORPUS / "us.yaml").read_text(encoding="utf-8")
EDIT = st.tuples(
    st.integers(0, len(US) - 1),
    st.sampled_from(["", " ", "  ", "\t", ":", '"', "'", "[", "{", "-", "#", "\n", "@", "|"]),
    st.booleans(),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(EDIT)
def test_a_one_character_slip_never_crashes_and_is_placed_in_the_file(
    tmp_path: Path, slip: tuple[int, str, bool]
) -> None:
    at_, char, replace = slip
    text = US[:at_] + char + US[at_ + (1 if replace else 0) :]
    folder = tmp_path / "slip"
    if not folder.exists():
        shutil.copytree(CORPUS, folder)
    (folder / "us.yaml").write_text(text, encoding="utf-8")
    scenario, diags = check_scenario(str(folder / "crisis.yaml"))
    sizes = {
        name: (folder / name).read_text(encoding="utf-8").split("\n")
        for name in ("crisis.yaml", "us.yaml", "su.yaml", "shared.yaml")
    }
    for d in diags:
        lines = sizes[Path(d.path).name]
        assert 1 <= d.line <= len(lines), str(d)
        assert 1 <= d.col <= len(lines[d.line - 1]) + 1, str(d)
        if d.code == "Y002":
            assert not any(j in d.message for j in JARGON), str(d)
    if scenario is None:
        assert any(d.severity == "error" and not d.cause for d in diags)


@pytest.mark.parametrize(("role", "meant"), [("us", "us-opera"), ("su", "su-opera")])
def test_a_roles_start_is_suggested_from_that_roles_part(
    tmp_path: Path, role: str, meant: str
) -> None:
    # 's-opera' is as close to 'us-opera' as to 'su-opera': the role decides.
    d = first(tmp_path, "crisis.yaml", f"start: {meant}", "start: s-opera")
    at(d, "crisis.yaml", 20 if role == "us" else 24, 12)
    assert f"did you mean {meant!r}?" in d.message


# -- the line scan never blames a valid file ---------------------------------------------

_WORDS = st.text(alphabet="abc xyz:#'\"-[]{}!&*|>@`%,?", min_size=0, max_size=30)
_TREES = st.recursive(
    st.one_of(_WORDS, st.integers(-5, 5), st.booleans(), st.none()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.from_regex(r"[a-z][a-z_-]{0,8}", fullmatch=True), inner, max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(_TREES, st.sampled_from([None, False, True]), st.integers(2, 6), st.integers(20, 80))
def test_the_structure_scan_finds_nothing_wrong_in_valid_yaml(
    tree: object, flow: bool | None, indent: int, width: int
) -> None:
    import yaml

    from brinkmanship.format.yamldiag import _scan, structure_problem

    text = yaml.safe_dump(
        {"root": tree}, default_flow_style=flow, indent=indent, width=width, allow_unicode=True
    )
    lines, _, _ = _scan(text.split("\n"))
    assert structure_problem(lines) is None, text
