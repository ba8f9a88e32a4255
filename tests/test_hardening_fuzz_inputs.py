"""Fuzzing the two readers of untrusted input that are not files: what a player types in
plain mode, and the command line. Neither may ever end in a traceback, and whatever the
game writes on the way it must read back."""

from __future__ import annotations

import argparse
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from brinkmanship.format.loader import load_scenario
from brinkmanship.frontends.cli import play as cli_play
from brinkmanship.frontends.cli.main import build_parser
from brinkmanship.frontends.cli.main import main as cli_entry
from brinkmanship.frontends.plain import play_plain
from brinkmanship.frontends.serve.server import GameServer
from brinkmanship.runtime import savefile
from brinkmanship.runtime.resume import resume
from brinkmanship.runtime.session import Session
from brinkmanship.runtime.store import SaveStore
from tests.hardening_helpers import MINI

# Text a player might type: numbers in every script and size, commands with odd arguments,
# control and direction characters, paths that try to leave the save folder.
_TRICKY = [
    "1",
    "2",
    "3",
    "0",
    "-1",
    "+1",
    " 1 ",
    "1.0",
    "1e3",
    "²",
    "①",
    "٣",
    "１",
    "9" * 5000,
    "0" * 300 + "1",
    "undo",
    "redo",
    "status",
    "help",
    "?",
    "save",
    "save ",
    "save! x",
    "save ../../escape",
    "save /etc/passwd",
    "save autosave-mini-a",
    "save a\x00b",
    "save \u202eevil",
    "save " + "n" * 300,
    "save con",
    "save .",
    "save ..",
    "\x1b[2J",
    "\u200f",
    "QUIT",
]
_LINE = st.one_of(
    st.sampled_from(["1", "1", "1", "1", "redo", "save"]),  # keep the game going
    st.sampled_from(_TRICKY),
    st.builds(lambda w, a: f"{w} {a}", st.sampled_from(["save", "save!", "undo"]), st.text()),
    st.text(max_size=40).filter(lambda s: "\n" not in s and "\r" not in s),
)


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mini") / "mini.yaml"
    path.write_text(MINI, encoding="utf-8")
    return path


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(_LINE, min_size=5, max_size=30))
def test_plain_mode_survives_any_input(lines: list[str], mini: Path, tmp_path: Path) -> None:
    root = tmp_path / f"run{len(os.listdir(tmp_path))}"
    saves_dir = root / "saves"
    sc = load_scenario(str(mini))
    session = Session(sc, "a", 3)
    out = io.StringIO()
    inp = io.StringIO("".join(f"{line}\n" for line in lines))
    os.environ["BRINKMANSHIP_DATA_DIR"] = str(root / "data")
    try:
        code = play_plain(session, SaveStore(saves_dir), out, inp)
    finally:
        del os.environ["BRINKMANSHIP_DATA_DIR"]
    shown = out.getvalue()
    event(f"plain exit {code}, {session.turn} turns")
    assert code in (0, 1)
    assert "Traceback" not in shown
    # no raw control character from the input reaches the screen
    assert not any(c in shown for c in "\x00\x1b\u202e\u200f")
    # every file written is inside the game's folders, and every save reads back and replays
    assert all(root in p.parents for p in _files(root))
    for p in _files(saves_dir):
        if p.suffix == ".yaml":
            got = resume(savefile.read(p), sc)
            assert got.ok, (p, got.summary())


# -- the command line ----------------------------------------------------------------


def _commands() -> dict[str, list[tuple[list[str], list[str] | None, bool]]]:
    """Each command's options, read from the parser itself: (names, choices, takes a value)."""
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    found: dict[str, list[tuple[list[str], list[str] | None, bool]]] = {}
    for name, p in sub.choices.items():
        found[name] = [
            (
                list(a.option_strings),
                [str(c) for c in a.choices] if a.choices else None,
                a.nargs != 0,
            )
            for a in p._actions
            if a.option_strings and "--debug" not in a.option_strings
        ]
    return found


_COMMANDS = _commands()
_JUNK_OPTIONS = ["--", "-x", "--no-such-option", "-h", "--version"]


@contextmanager
def _sandbox(root: Path) -> Iterator[None]:
    """Every folder the game could write to is under ``root``; neither the TUI nor a web
    server is ever started."""
    old = {k: os.environ.get(k) for k in ("BRINKMANSHIP_SAVE_DIR", "BRINKMANSHIP_DATA_DIR", "HOME")}
    cwd = os.getcwd()
    os.environ.update(
        BRINKMANSHIP_SAVE_DIR=str(root / "saves"),
        BRINKMANSHIP_DATA_DIR=str(root / "data"),
        HOME=str(root / "home"),
    )
    os.chdir(root)
    real_tui, real_serve = cli_play.tui, GameServer.serve
    cli_play.tui = lambda args, **kw: 0  # type: ignore[assignment]
    GameServer.serve = lambda self, debug=False: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        cli_play.tui = real_tui  # type: ignore[assignment]
        GameServer.serve = real_serve  # type: ignore[method-assign]
        os.chdir(cwd)
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_no_command_line_ends_in_a_traceback(
    data: st.DataObject, mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / f"run{len(os.listdir(tmp_path))}"
    root.mkdir()
    (root / "junk.yaml").write_bytes(b"\xff\xfe: [")
    values = st.one_of(
        st.sampled_from(
            [
                str(mini),
                "mini",
                "tutorial",
                "thirteen-days",
                "a",
                "north",
                "0",
                "1",
                "-1",
                "2",
                "9" * 60,
                "random",
                "all",
                "escalate",
                "mermaid",
                "dot",
                str(root / "junk.yaml"),
                str(root / "missing.yaml"),
                str(root),
                "/dev/null",
                "-",
                "",
                "a\x00b",
                "\u202e",
                "..",
            ]
        ),
        st.text(max_size=12),
    )
    command = data.draw(st.sampled_from(sorted(_COMMANDS)))
    argv = [command]
    for _ in range(data.draw(st.integers(0, 5))):
        kind = data.draw(st.sampled_from(["option", "option", "value", "junk"]))
        if kind == "value":
            argv.append(data.draw(values))
        elif kind == "junk":
            argv.append(data.draw(st.sampled_from(_JUNK_OPTIONS)))
        elif _COMMANDS[command]:
            names, choices, takes = data.draw(st.sampled_from(_COMMANDS[command]))
            argv.append(data.draw(st.sampled_from(names)))
            if takes:
                argv.append(data.draw(st.sampled_from(choices) if choices else values))
    # keep the automatic players small: the point is the parsing, not a long search
    for i, a in enumerate(argv[:-1]):
        if a in ("--runs", "--max-states") and not argv[i + 1].lstrip("-").isdigit():
            continue
        if a in ("--runs", "--max-states"):
            argv[i + 1] = str(min(int(argv[i + 1].lstrip("-") or 0), 50))
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    out, err = io.StringIO(), io.StringIO()
    with _sandbox(root), redirect_stdout(out), redirect_stderr(err):
        try:
            code = cli_entry(argv)
        except SystemExit as exc:  # argparse: --help, --version, a usage error
            code = exc.code if isinstance(exc.code, int) else 0
    event(f"{argv[0]} exit {code}")
    assert isinstance(code, int) and 0 <= code <= 130, argv
    assert "Traceback" not in err.getvalue() + out.getvalue(), argv
    if code == 2 and err.getvalue():
        assert err.getvalue().count("\n") <= 3, argv  # a usage error is short
    assert all(root in p.parents for p in _files(root)), argv
