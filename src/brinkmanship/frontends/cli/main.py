"""The ``brinkmanship`` command: the parser, and one place that turns errors into exit codes.

Each command group lives in its own module (``play``: playing and replaying;
``authoring``: the writer's tools). Heavy modules (Textual) load only when a
command needs them.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Sequence

from brinkmanship import __version__
from brinkmanship.format.errors import BrinkError
from brinkmanship.format.textsafe import inert, inert_line
from brinkmanship.frontends.cli import authoring, play, serve
from brinkmanship.frontends.cli.errors import error_text

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """Usage errors in two short lines (exit 2), not the whole usage block."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n(see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="brinkmanship",
        description="A game of crisis diplomacy in the terminal. With no command, opens the "
        "main menu.",
    )
    p.add_argument("--version", action="version", version=f"brinkmanship {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    p.add_argument(
        "--save-dir",
        help="where saves go (default: $BRINKMANSHIP_SAVE_DIR or the user data folder)",
    )
    p.add_argument(
        "--data-dir",
        help="where the endings gallery and settings go (default: $BRINKMANSHIP_DATA_DIR or "
        "the user data folder)",
    )
    p.add_argument(
        "--screenshots",
        metavar="DIR",
        help="where screenshots go (default: the save folder's 'screenshots')",
    )
    p.set_defaults(func=play.cmd_menu)
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    play.register(sub)
    authoring.register(sub)
    serve.register(sub)
    for name in ("play", "replay"):
        sub.choices[name].add_argument(
            "--save-dir", dest="save_dir_sub", metavar="DIR", help="where saves go"
        )
        sub.choices[name].add_argument(
            "--data-dir", dest="data_dir_sub", metavar="DIR", help="where the gallery goes"
        )
    return p


def _tolerant_output() -> None:
    """Characters the terminal's encoding cannot show become '?' instead of a crash
    (PYTHONIOENCODING=ascii, a latin-1 locale)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    _tolerant_output()
    parser = build_parser()
    given = sys.argv[1:] if argv is None else list(argv)
    if any("\x00" in a for a in given):  # no shell can pass one; a caller in Python can
        parser.error("an argument contains a NUL character")
    args = parser.parse_args(given)
    if getattr(args, "save_dir_sub", None):
        args.save_dir = args.save_dir_sub
    if getattr(args, "data_dir_sub", None):
        args.data_dir = args.data_dir_sub
    handler: Handler = args.func
    try:
        return handler(args)
    except BrinkError as exc:
        if args.debug:
            raise
        print(error_text(exc), file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # the reader went away (| head): nothing more to say
        return 0
    except OSError as exc:  # the machine's doing (a full disk, a permission), not a bug
        if args.debug:
            raise
        where = f": {inert_line(str(exc.filename))}" if exc.filename else ""
        print(inert(f"error: {exc.strerror or exc}{where}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
