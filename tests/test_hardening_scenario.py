"""Hostile scenario files: every limit gives a clear error with a place, quickly (issue #6)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml

from brinkmanship.format import spec, yamlsrc
from brinkmanship.format.errors import ScenarioError
from brinkmanship.format.files import MAX_FILES
from brinkmanship.format.loader import check_scenario, load_scenario
from brinkmanship.format.yamlsrc import Limits, parse_yaml, read_text
from tests.hardening_helpers import MINI, command, write


def messages(path: Path, limits: Limits = yamlsrc.DEFAULT_LIMITS) -> str:
    """Every error of loading ``path``, one per line; the load must fail."""
    t0 = time.monotonic()
    scenario, diags = check_scenario(str(path), limits)
    assert time.monotonic() - t0 < 30, "loading a hostile file must be quick"
    assert scenario is None, "the hostile file loaded"
    errors = [d for d in diags if d.severity == "error"]
    assert errors
    for d in errors:
        assert d.line >= 1 and d.col >= 1 and d.path
        assert len(d.message) <= 500, "messages quoting hostile text are kept short"
    return "\n".join(f"{d.line}:{d.col}: {d.code}: {d.message}" for d in errors)


def test_the_base_scenario_is_valid(tmp_path: Path) -> None:
    assert load_scenario(str(write(tmp_path / "s.yaml", MINI))).id == "mini"


# -- size -----------------------------------------------------------------------


def test_file_size_limit(tmp_path: Path) -> None:
    path = write(tmp_path / "s.yaml", MINI + "# " + "x" * 5000 + "\n")
    out = messages(path, Limits(max_bytes=4000))
    assert "Y001" in out and "larger than 4000 bytes" in out
    assert "BRINKMANSHIP_MAX_FILE_BYTES" in out


def test_file_size_limit_is_set_by_the_environment(tmp_path: Path) -> None:
    import subprocess

    path = write(tmp_path / "s.yaml", MINI)
    env = {**os.environ, "BRINKMANSHIP_MAX_FILE_BYTES": "100"}
    res = subprocess.run(
        command("validate", str(path)), capture_output=True, text=True, env=env, timeout=60
    )
    assert res.returncode == 1 and "larger than 100 bytes" in res.stdout


def test_total_size_of_all_included_files_is_bounded(tmp_path: Path) -> None:
    part = "scenes:\n" + "".join(
        f"  p{i}:\n    text: {'x' * 200}\n    choices: [{{id: c, text: C, stance: hold, "
        "next: done}]\n"
        for i in range(20)
    )
    names = [f"part{i}.yaml" for i in range(5)]
    for i, name in enumerate(names):
        write(tmp_path / name, part.replace("  p", f"  f{i}p"))
    main = write(tmp_path / "s.yaml", MINI + f"include: [{', '.join(names)}]\n")
    load_scenario(str(main))  # fine with the default limits
    out = messages(main, Limits(max_total_bytes=12_000))
    assert "L006" in out and "files together are larger than 12000" in out
    assert "BRINKMANSHIP_MAX_TOTAL_BYTES" in out
    out = messages(main, Limits(max_total_nodes=600))
    assert "L006" in out and "more than 600 values" in out


def test_counts_are_limited_across_included_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spec.CONTENT_FIELDS["scenes"].spec, "max_items", 3)
    write(
        tmp_path / "more.yaml",
        "scenes:\n"
        + "".join(
            f"  m{i}:\n    text: T\n    choices: [{{id: c, text: C, stance: hold, next: done}}]\n"
            for i in range(2)
        ),
    )
    out = messages(write(tmp_path / "s.yaml", MINI + "include: [more.yaml]\n"))
    assert "L004" in out and "scenes: 4 scenes: more than the limit of 3" in out
    assert "BRINKMANSHIP_MAX_SCENES" in out and "in the scenario's files together" in out


def test_the_scene_limit_can_be_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scenes = "".join(
        f"  x{i}: {{text: T, choices: [{{id: c, text: C, stance: hold, next: done}}]}}\n"
        for i in range(4)
    )
    path = write(tmp_path / "s.yaml", MINI.replace("scenes:\n", "scenes:\n" + scenes))
    monkeypatch.setenv("BRINKMANSHIP_MAX_SCENES", "5")
    assert "6 scenes: more than the limit of 5" in messages(path)
    monkeypatch.setenv("BRINKMANSHIP_MAX_SCENES", "6")
    scenario, diags = check_scenario(str(path))
    assert scenario is not None and len(scenario.scenes) == 6, diags


def test_scene_and_string_counts_per_file(tmp_path: Path) -> None:
    scenes = "".join(
        f"  x{i}: {{text: T, choices: [{{id: c, text: C, stance: hold, next: done}}]}}\n"
        for i in range(5001)
    )
    out = messages(write(tmp_path / "s.yaml", MINI.replace("scenes:\n", "scenes:\n" + scenes)))
    assert "S010" in out and "5003 scenes: more than the limit of 5000" in out
    assert "set BRINKMANSHIP_MAX_SCENES to raise the limit" in out
    long_text = MINI.replace("text: Hello.", "text: " + "y" * 100_001)
    assert "S003" in messages(write(tmp_path / "t.yaml", long_text))
    longer = MINI.replace("text: Hello.", "text: " + "y" * 200_001)
    assert "Y009" in messages(write(tmp_path / "u.yaml", longer))


# -- YAML itself -------------------------------------------------------------------


DEEP = {
    "flow-seq": "[" * 100_000,
    "flow-map": "{" * 100_000,
    "flow-mixed": "a: " + "[{" * 50_000,
    "block-seq": "".join(" " * i + "- \n" for i in range(200)),
    "block-map": "".join(" " * i + "k:\n" for i in range(200)),
}


@pytest.mark.parametrize("loader", ["C", "pure Python"])
@pytest.mark.parametrize("text", list(DEEP.values()), ids=list(DEEP))
def test_deep_nesting_is_an_error_not_a_crash(
    text: str, loader: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if loader != "C":
        monkeypatch.setattr(yamlsrc, "_Loader", yaml.SafeLoader)
    t0 = time.monotonic()
    with pytest.raises(ScenarioError) as info:
        parse_yaml(text, "deep.yaml")
    assert time.monotonic() - t0 < 60  # stops early, not after the whole (huge) document
    assert "nest" in str(info.value)  # "nesting deeper than 64 levels" or libyaml's own


def laughs(levels: int = 9, width: int = 10) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    out = messages(write(tmp_path / "s.yaml", MINI + laughs()))
    assert "Y012" in out and "counting aliases expanded" in out


def test_an_alias_bomb_of_text_is_refused(tmp_path: Path) -> None:
    # Few values but huge text: one 150,000-character string named 100 times.
    text = MINI + "x: &big " + "z" * 150_000 + "\ny: [" + ", ".join(["*big"] * 100) + "]\n"
    out = messages(write(tmp_path / "s.yaml", text))
    assert "Y012" in out and "characters of text" in out


def test_an_alias_bomb_of_expressions_is_refused(tmp_path: Path) -> None:
    expr = " and ".join(["(tension + 1) * 2 > 3"] * 25)  # 278 parts, just within one
    choice = f"{{id: c, text: C, stance: hold, next: done, if: '{expr}'}}"
    choices = ", ".join(choice.replace("c,", f"c{i},") for i in range(50))
    scene = f"&S {{text: T, choices: [{choices}]}}"
    scenes = "".join(f"  x{i}: *S\n" for i in range(40))
    text = MINI.replace("scenes:\n", f"scenes:\n  x: {scene}\n{scenes}")
    out = messages(write(tmp_path / "s.yaml", text))
    assert "X002" in out and "expressions are too large" in out


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a: 1\n---\nb: 2\n", "only one YAML document"),
        ("- a\n- b\n", "expected a scenario"),
        ("just text\n", "expected a scenario"),
        ("", "the file is empty"),
        ("# only a comment\n", "the file is empty"),
        ("~\n", "the file is empty"),
        ("a: !!python/object/apply:os.system [echo hi]\n", "unsupported YAML tag"),
        ("a: !!binary aGVsbG8=\n", "unsupported YAML tag"),
        ("a: &x {b: 1}\nc: {<<: *x}\n", "merge keys"),
        ("? [a, b]\n: 1\n", "a mapping key must be a plain value"),
        ("a: *nowhere\n", "unknown or recursive alias"),
        ("a: [1, 2\n", "1:4: Y002: this list opens with [ but the line does not close it"),
        ("a: '\\x01'\n\tb: 2\n", "2:1: Y002: a tab in the indentation"),
        ("a: " + "9" * 5000 + "\n", "a number written with more than 40 characters"),
    ],
)
def test_odd_documents_are_clear_errors(tmp_path: Path, text: str, fragment: str) -> None:
    assert fragment in messages(write(tmp_path / "s.yaml", text))


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"\x00\x01\x02\x03binary", "binary data"),
        (b"format: 1\nid: \xff\xfe\n", "not valid UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary data"),
    ],
)
def test_non_yaml_bytes(tmp_path: Path, data: bytes, fragment: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(data)
    assert fragment in messages(path)


def test_a_byte_order_mark_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINI.encode())
    assert load_scenario(str(path)).id == "mini"


def test_special_files_are_refused_without_blocking(tmp_path: Path) -> None:
    assert "is a directory" in messages(tmp_path)
    assert "no such file" in messages(tmp_path / "missing.yaml")
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "fifo.yaml"
        os.mkfifo(fifo)
        assert "not a regular file" in messages(fifo)  # and does not wait for a writer
    if Path("/dev/zero").exists():
        with pytest.raises(ScenarioError, match="not a regular file"):
            read_text("/dev/zero")


def test_duplicate_keys_name_both_lines(tmp_path: Path) -> None:
    text = MINI.replace("title: Mini\n", "title: Mini\nid: again\n")
    out = messages(write(tmp_path / "s.yaml", text))
    assert "4:1: Y003: duplicate key 'id' (first defined at line 2)" in out
    # nested, and in an included file
    write(tmp_path / "p.yaml", "endings:\n  e: {title: E, outcome: defeat, text: X, text: Y}\n")
    out = messages(write(tmp_path / "t.yaml", MINI + "include: [p.yaml]\n"))
    assert "duplicate key 'text' (first defined at line 2)" in out


# -- includes ------------------------------------------------------------------------


def test_include_cycles_are_reported(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", "include: [b.yaml]\n")
    write(tmp_path / "b.yaml", "include: [a.yaml]\n")
    out = messages(write(tmp_path / "s.yaml", MINI + "include: [a.yaml]\n"))
    assert "L003" in out and "include cycle" in out
    out = messages(write(tmp_path / "t.yaml", MINI + "include: [t.yaml]\n"))
    assert "include cycle" in out


def test_includes_cannot_leave_the_folder(tmp_path: Path) -> None:
    outside = write(tmp_path / "secret.yaml", "scenes: {}\n")
    root = tmp_path / "scen"
    for inc in ["../secret.yaml", str(outside), "sub/../../secret.yaml"]:
        out = messages(write(root / "s.yaml", MINI + f"include: ['{inc}']\n"))
        assert "L002" in out and "leaves the scenario's folder" in out, inc
    link = root / "link.yaml"
    link.symlink_to(outside)
    out = messages(write(root / "s.yaml", MINI + "include: [link.yaml]\n"))
    assert "leaves the scenario's folder" in out


def test_the_number_of_files_is_bounded(tmp_path: Path) -> None:
    n = MAX_FILES + 3
    for i in range(n):
        write(tmp_path / f"p{i}.yaml", f"include: [p{i + 1}.yaml]\n" if i + 1 < n else "{}\n")
    out = messages(write(tmp_path / "s.yaml", MINI + "include: [p0.yaml]\n"))
    assert "L004" in out and f"more than {MAX_FILES} included files" in out


def test_broken_included_files_count_towards_the_limit(tmp_path: Path) -> None:
    names = [f"b{i}.yaml" for i in range(MAX_FILES + 10)]
    for name in names:
        write(tmp_path / name, "[broken\n")
    write(tmp_path / "more.yaml", f"include: [{', '.join(names[MAX_FILES - 1 :])}]\n")
    main = MINI + f"include: [{', '.join([*names[: MAX_FILES - 2], 'more.yaml'])}]\n"
    out = messages(write(tmp_path / "s.yaml", main))
    assert f"more than {MAX_FILES} included files" in out
    assert out.count("Y002") == MAX_FILES - 2


# -- values ----------------------------------------------------------------------------


def test_ids_are_checked_whole(tmp_path: Path) -> None:
    text = MINI.replace("  s2:\n", '  "s2\\n":\n')
    assert "S004" in messages(write(tmp_path / "s.yaml", text))


def test_numbers_outside_the_engine_range_are_refused(tmp_path: Path) -> None:
    text = MINI.replace("{initial: 20, min: 0, max: 100}", "{initial: 1" + "0" * 20 + "}")
    assert "V003" in messages(write(tmp_path / "s.yaml", text))


def test_long_hostile_text_in_messages_is_clipped(tmp_path: Path) -> None:
    out = messages(write(tmp_path / "s.yaml", MINI.replace("start: s1", "start: " + "k" * 150_000)))
    assert "is not a valid id" in out and len(out) < 1000


@pytest.mark.parametrize(
    "number",
    ["0x" + "f" * 5000, "0b" + "1" * 20000, "1" + ":59" * 3000, "0" + "7" * 6000, "1.0e+99999"],
)
def test_huge_numbers_in_any_base_are_clear_errors(tmp_path: Path, number: str) -> None:
    out = messages(write(tmp_path / "s.yaml", MINI.replace("format: 1", f"format: {number}")))
    assert "1:9: Y005" in out and ("more than 40 characters" in out or "not finite" in out)


@pytest.mark.parametrize("char", ["\\0", "\\x01", "\\u200f", "\\u2028", "\\x1b"])
def test_control_characters_in_include_paths_are_errors(tmp_path: Path, char: str) -> None:
    text = MINI.replace("format: 1\n", f'format: 1\ninclude: ["parts/a{char}b.yaml"]\n', 1)
    out = messages(write(tmp_path / "s.yaml", text))
    assert "2:11: L005" in out and "control character" in out
