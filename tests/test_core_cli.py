"""The command line, end to end through a subprocess: plain play, list, replay --check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import FIXTURES

CRISIS = str(FIXTURES / "core" / "crisis.yaml")


def run(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "brinkmanship", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_version_and_help() -> None:
    assert run("--version").stdout.startswith("brinkmanship ")
    assert "play" in run("--help").stdout


def test_plain_play_to_an_ending() -> None:
    res = run("play", CRISIS, "--role", "north", "--seed", "1", "--plain", stdin="2\n1\n1\n")
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert "1. [Escalate] Seize the bridge" in out
    assert "General Hawk (hawk): Take the bridge." in out
    assert "-. [Hold] Wait (unavailable: Too tense to wait)" in out
    assert "Ending: Peace on the Bridge" in out
    assert "Outcome: settlement" in out and "Lesson: Talk: Talk to your enemy." in out
    assert "What really happened:" in out


def test_end_of_input_autosaves_and_exits_zero() -> None:
    save_dir = os.environ["BRINKMANSHIP_SAVE_DIR"]
    res = run("play", CRISIS, "--role", "north", "--seed", "7", "--plain", stdin="1\n")
    assert res.returncode == 0
    (auto,) = Path(save_dir).glob("autosave-*.yaml")  # this game's own autosave
    data = yaml.safe_load(auto.read_text())
    assert data["choices"] == ["seize"] and data["seed"] == 7
    check = run("replay", str(auto), "--check")
    assert check.returncode == 0 and "replays: 1 turns reproduce" in check.stdout
    # continue the same game from its autosave
    cont = run("play", "--load", str(auto), "--plain", stdin="quit\n")
    assert cont.returncode == 0 and "Turn 2" in cont.stdout
    assert list(Path(save_dir).glob("autosave-*.yaml")) == [auto]  # the same game goes on


def test_save_undo_and_commands() -> None:
    res = run(
        "play",
        CRISIS,
        "--role",
        "north",
        "--seed",
        "2",
        "--plain",
        stdin="2\nundo\nsave my game\nsave my game\nstatus\nbogus\n9\nhelp\nquit\n",
    )
    out = res.stdout
    assert res.returncode == 0
    assert "Undone." in out and "Saved as" in out and "already exists" in out
    assert "Unknown command 'bogus'" in out and "Choose a number from 1 to" in out
    saved = Path(os.environ["BRINKMANSHIP_SAVE_DIR"]) / "my game.yaml"
    assert yaml.safe_load(saved.read_text())["choices"] == []


def test_role_is_asked_for_when_missing() -> None:
    res = run("play", CRISIS, "--seed", "1", "--plain", stdin="2\n1\n1\n")
    assert "Choose your role:" in res.stdout and "South Leader" in res.stdout
    assert "Ending: Peace on the Bridge" in res.stdout


def test_user_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    for args, code in [
        (("play", "no-such-scenario", "--plain"), 1),
        (("play", CRISIS, "--role", "west", "--plain"), 2),
        (("replay", str(tmp_path / "missing.yaml"), "--check"), 2),
        (("play", "--seed", "x"), 2),
    ]:
        res = run(*args)
        assert res.returncode == code, (args, res.stderr)
        assert "Traceback" not in res.stderr
        assert len(res.stderr.strip().splitlines()) <= 3


def test_a_file_name_with_line_breaks_stays_on_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "two\nlines\tname.yaml"
    bad.write_text("x: [\n")
    for args, code in [
        (("validate", str(bad)), 1),
        (("validate", "no\nsuch"), 1),
        (("replay", str(tmp_path / "a\nb.yaml"), "--check"), 2),
        (("play", str(bad), "--plain"), 1),
    ]:
        res = run(*args, env={"BRINKMANSHIP_SAVE_DIR": str(tmp_path / "saves")})
        assert res.returncode == code, (args, res.stderr)
        out = res.stdout + res.stderr
        assert "\u240a" in out and "\t" not in out, (args, out)
        # every line that names the file begins with it: no line is a piece of the name
        lines = [ln for ln in out.splitlines() if ln.strip()]
        assert not any(ln.startswith(("lines", "such", "b.yaml")) for ln in lines), out


def test_control_characters_are_made_inert(tmp_path: Path) -> None:
    src = (
        Path(CRISIS)
        .read_text()
        .replace("Tension stands at {tension}.", "Bell\\x07 and \\x1b[31mred")
    )
    scen = tmp_path / "evil.yaml"
    scen.write_text(src.replace("include: [parts/endings.yaml]", "include: [parts/endings.yaml]"))
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "endings.yaml").write_text(
        (FIXTURES / "core" / "parts" / "endings.yaml").read_text()
    )
    res = run("play", str(scen), "--role", "north", "--seed", "1", "--plain", stdin="quit\n")
    assert res.returncode == 0, res.stderr
    assert "\x1b" not in res.stdout and "\x07" not in res.stdout
    assert "␛[31mred" in res.stdout


def test_list_shows_bundled_scenarios() -> None:
    res = run("list")
    assert res.returncode == 0
    for line in res.stdout.splitlines():
        assert ": " in line and "(roles: " in line
