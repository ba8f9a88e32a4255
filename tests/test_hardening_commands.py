"""Every command against hostile scenarios, as a real subprocess with a time limit (issue #6).

Bombs (aliases, nesting, expressions, combinatorial reactions) must not hang any
command; user errors are a few lines without a traceback (exit 1 bad input, 2 usage),
and ``--debug`` shows the traceback; hostile text reaches no terminal or file live.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.hardening_helpers import MINI, SCENARIO_COMMANDS, is_short_error, run_all, write
from tests.test_hardening_scenario import laughs

EXPR = " and ".join(["(tension + 1) * 2 > 3"] * 25)


def expression_bomb() -> str:
    choice = f"{{id: c, text: C, stance: hold, next: done, if: '{EXPR}'}}"
    choices = ", ".join(choice.replace("c,", f"c{i},") for i in range(50))
    scenes = "".join(f"  x{i}: *S\n" for i in range(200))
    return MINI.replace(
        "scenes:\n", f"scenes:\n  x: &S {{text: T, choices: [{choices}]}}\n{scenes}"
    )


def reaction_bomb() -> str:
    """Valid, but 3**30 combinations of the other side's answers to each choice."""
    rules = "".join(
        f"  - {{id: r{i}, outcomes: [{{weight: 1}}, {{weight: 2}}, "
        "{weight: 'tension * tension'}]}\n"
        for i in range(30)
    )
    return MINI + "reactions:\n" + rules


BOMBS = {
    "laughs": MINI + laughs(),
    "text": MINI + "x: &big " + "z" * 150_000 + "\ny: [" + ", ".join(["*big"] * 100) + "]\n",
    "expressions": expression_bomb(),
    "nesting": MINI + "deep: " + "[" * 50_000 + "\n",
    "reactions": reaction_bomb(),
}


def test_no_command_hangs_on_a_bomb(tmp_path: Path) -> None:
    jobs = {}
    for bomb, text in BOMBS.items():
        path = write(tmp_path / f"{bomb}.yaml", text)
        for name, argv in SCENARIO_COMMANDS.items():
            jobs[f"{bomb}/{name}"] = [a.format(path=path) for a in argv]
    jobs["schema"] = ["schema"]
    results = run_all(jobs, timeout=60)
    for job, res in results.items():
        assert res.returncode is not None, f"{job} hung"
        assert "Traceback" not in res.stderr, (job, res.stderr)
        bomb = job.partition("/")[0]
        if bomb in ("laughs", "text", "expressions", "nesting"):
            assert res.returncode == 1, (job, res.returncode, res.stderr)
            assert is_short_error(res), (job, res.stderr)
            out = res.stdout + res.stderr
            assert re.search(r"document too large|too large|nest", out), (job, out)
    r = results
    assert r["schema"].returncode == 0
    # The valid reaction bomb loads; the tools report it rather than spin.
    assert r["reactions/validate"].returncode == 0
    assert "ok: Mini" in r["reactions/validate"].stdout  # the static analysis joins outcomes
    # 3**30 draws, but they all end alike: merged after each reaction, one state
    assert r["reactions/explore"].returncode == 0, r["reactions/explore"].stdout
    assert "Every ending is reachable." in r["reactions/explore"].stdout
    assert r["reactions/play"].returncode == 0  # end of input: saved and left
    assert r["reactions/graph"].returncode == 0


# -- errors -------------------------------------------------------------------------


def test_user_errors_are_short_and_debug_shows_the_traceback(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", MINI.replace("start: s1", "start: nowhere"))
    many = write(tmp_path / "many.yaml", MINI.replace("next: done", "next: nowhere"))
    good = write(tmp_path / "good.yaml", MINI)
    blocker = write(tmp_path / "file", "not a folder")
    save = tmp_path / "broken.yaml"
    save.write_bytes(b"brinkmanship_save: [1\n")
    cases = {
        "bad-scenario": (["play", str(bad), "--plain"], 1),
        "many-errors": (["play", str(many), "--plain"], 1),
        "missing-scenario": (["validate", str(tmp_path / "missing.yaml")], 1),
        "unknown-id": (["play", "no-such-scenario", "--plain"], 1),
        "unknown-role": (["play", str(good), "--role", "zed", "--plain"], 2),
        "bad-argument": (["play", "--seed", "x"], 2),
        "unknown-command": (["frobnicate"], 2),
        "unusable-save": (["replay", str(save), "--check"], 2),
        "graph-output": (["graph", str(good), "-o", str(blocker / "x.dot")], 2),
        "export-into-a-file": (["replay", str(save), "--export", str(blocker / "x.md")], 2),
        "explore-role": (["explore", str(good), "--role", "zed"], 2),
    }
    jobs = {name: argv for name, (argv, _) in cases.items()}
    jobs.update({f"debug/{name}": ["--debug", *argv] for name, (argv, _) in cases.items()})
    results = run_all(jobs, timeout=60)
    for name, (_, code) in cases.items():
        res = results[name]
        assert res.returncode == code, (name, res.returncode, res.stderr)
        assert is_short_error(res, 5), (name, res.stderr)
        assert res.stderr.strip(), name
    # --debug: the traceback, for errors raised by our code (not argparse's usage errors)
    for name in ("bad-scenario", "unknown-role", "unusable-save", "graph-output", "explore-role"):
        assert "Traceback" in results[f"debug/{name}"].stderr, name


def test_many_scenario_errors_are_summarised(tmp_path: Path) -> None:
    scenes = "".join(
        f"  x{i}: {{text: T, choices: [{{id: c, text: C, stance: hold, next: nowhere{i}}}]}}\n"
        for i in range(30)
    )
    path = write(tmp_path / "s.yaml", MINI.replace("scenes:\n", "scenes:\n" + scenes))
    res = run_all({"play": ["play", str(path), "--plain"], "validate": ["validate", str(path)]})
    play = res["play"]
    assert play.returncode == 1 and is_short_error(play, 5)
    assert "... and 26 more errors ('brinkmanship validate' lists them all)" in play.stderr
    assert res["validate"].stdout.count("error[") == 30  # validate lists every one


def test_an_os_error_is_a_short_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from brinkmanship.format.loader import load_scenario
    from brinkmanship.frontends import cli
    from brinkmanship.frontends.cli import play
    from brinkmanship.runtime.session import Session
    from brinkmanship.runtime.store import SaveStore

    game = Session(load_scenario(str(write(tmp_path / "good.yaml", MINI))), "a", 1)
    save = SaveStore(tmp_path).write(game, "s")

    def disk_full(path: Path, *a: object, **k: object) -> None:
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(play, "write_atomic", disk_full)
    out = tmp_path / "t.md"
    assert cli.main(["replay", str(save), "--export", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.strip() == f"error: No space left on device: {out}"
    with pytest.raises(OSError):
        cli.main(["--debug", "replay", str(save), "--export", str(out)])


# -- hostile text ---------------------------------------------------------------------

# YAML double-quoted escapes: \e is ESC; \x9b is CSI (C1); \u202e a right-to-left override.
EVIL = (
    r'"\e]0;pwned\a\e[31mRED\x9b2J\u202eevil\u2066 [b]bold[/b] [@click=app.quit]x[/] '
    r'<script>\" \\"'
)
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\u2066")


def hostile_scenario(tmp_path: Path) -> Path:
    text = MINI
    for old in (
        "title: Mini",
        "name: Alice",
        "title: Start",
        "text: Hello.",
        "text: Go on",
        "title: Done",
        "text: Bye.",
    ):
        key = old.split(":")[0]
        text = text.replace(old, f"{key}: {EVIL}", 1)
    text = text.replace(
        "text: Again.",
        f"text: Again.\n    advisers:\n      - {{who: {EVIL}, leans: hawk, says: {EVIL}}}",
    )
    text = text.replace(
        "  tension: {initial: 20, min: 0, max: 100}",
        f"  tension: {{initial: 20, min: 0, max: 100, label: {EVIL}}}",
    )
    return write(tmp_path / "evil.yaml", text)


def assert_inert(text: str, where: str) -> None:
    for c in RAW:
        assert c not in text, (where, repr(c))


def test_hostile_text_is_inert_everywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = hostile_scenario(tmp_path)
    d = tmp_path / "saves"
    monkeypatch.setenv("BRINKMANSHIP_SAVE_DIR", str(d))
    transcript = tmp_path / "t.md"
    dot, mermaid = tmp_path / "g.dot", tmp_path / "g.mmd"
    first = run_all(
        {"play": ["play", str(path), "--plain", "--seed", "1", "--role", "a"]}, stdin="1\n2\n"
    )
    assert first["play"].returncode == 0, first["play"].stderr
    assert "␛]0;pwned␇␛[31mRED" in first["play"].stdout  # shown, but inert
    (auto,) = d.glob("autosave-*.yaml")
    res = run_all(
        {
            "validate": ["validate", str(path)],
            "explore": ["explore", str(path)],
            "playtest": ["playtest", str(path), "--runs", "3", "--policy", "all"],
            "graph": ["graph", str(path)],
            "graph-file": ["graph", str(path), "-o", str(dot)],
            "mermaid": ["graph", str(path), "--format", "mermaid", "-o", str(mermaid)],
            "replay": ["replay", auto.stem, "--plain", "--export", str(transcript)],
            "list": ["list"],
        }
    )
    for name, r in {**first, **res}.items():
        assert r.returncode in (0, 1), (name, r.stderr)
        assert "Traceback" not in r.stderr, name
        assert_inert(r.stdout + r.stderr, name)
    for f in (transcript, dot, mermaid, auto):
        text = f.read_text(encoding="utf-8")
        if f.suffix == ".yaml":  # a save quotes nothing raw: YAML escapes control characters
            assert "\x1b" not in text
            continue
        assert_inert(text, f.name)
    md = transcript.read_text()
    assert "<script>" not in md and "&lt;script>" in md
    # Graph labels keep quotes and backslashes from ending their strings.
    dot_text = dot.read_text()
    assert '\\"' in dot_text and "[b]bold[/b]" in dot_text
    mm = mermaid.read_text()
    assert "#quot;" in mm and not re.search(r'\["[^"\n]*"[^\]\n]*"\]', mm)
    if shutil.which("dot"):
        out = subprocess.run(
            ["dot", "-Tplain", str(dot)], capture_output=True, text=True, timeout=30
        )
        assert out.returncode == 0 and "syntax error" not in out.stderr, out.stderr
        assert out.stdout.count("\nnode ") >= 4


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ('{"policies": []}', "no playtest results"),
        ('{"policies": {"p": {"roles": {"a": {"scenes": [1, 2]}}}}}', ""),
        ("[" * 100_000, "nested more than"),
        ('{"roles": {"a": {"scenes": {"x": ' + "9" * 5000 + "}}}}", "not valid JSON"),
        ('{"roles": {"a": {"scenes": {"x": 1e999}}}}', ""),
    ],
)
def test_hostile_coverage_files_are_clear_errors(
    tmp_path: Path, content: str, fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from brinkmanship.frontends.cli import main

    cov = tmp_path / "c.json"
    cov.write_text(content)
    code = main(["graph", "tutorial", "--coverage", str(cov), "-o", str(tmp_path / "g.dot")])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if fragment:
        assert code == 1 and fragment in err


def test_coverage_from_a_device_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    from brinkmanship.frontends.cli import main

    assert main(["graph", "tutorial", "--coverage", "/dev/zero"]) == 1
    assert "not a regular file" in capsys.readouterr().err


def test_output_in_a_narrow_encoding_degrades_instead_of_crashing(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "ascii", "BRINKMANSHIP_SAVE_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "brinkmanship", "play", "tutorial", "--plain"],
        input="1\nquit\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert "?" in done.stdout
