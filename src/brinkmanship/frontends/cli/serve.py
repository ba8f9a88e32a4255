"""``brinkmanship serve``: play in a browser (the server loads only when asked for)."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import Any

from brinkmanship.format.errors import UsageError
from brinkmanship.frontends.cli.common import load, scenario_path, whole
from brinkmanship.runtime import store

HOST_HELP = (
    "the address to listen on (default 127.0.0.1: only this machine can play). "
    "0.0.0.0 or a network address lets anyone who can reach this machine start games "
    "here, each with a save space on this machine; there are no accounts or passwords"
)


def game_command(scenario: str | None) -> str:
    """The shell command textual-serve runs for each tab. ``exec`` makes the game the
    process itself, so closing the tab ends the game rather than leaving it running."""
    argv = [sys.executable, "-m", "brinkmanship"]
    if scenario is not None:
        argv += ["play", scenario]
    return "exec " + shlex.join(argv)


def cmd_serve(args: argparse.Namespace) -> int:
    title = "Brinkmanship"
    scenario = None
    if args.scenario:
        sc = load(args.scenario)  # a broken scenario is reported now, not in every tab
        scenario = str(Path(scenario_path(args.scenario)).resolve())
        title = f"{sc.title} (Brinkmanship)"
    try:
        from brinkmanship.frontends.serve.server import GameServer
    except ImportError:
        raise UsageError(
            "serving needs textual-serve: pip install 'textual-serve>=1.1,<1.2'"
        ) from None
    data = Path(args.data_dir) if args.data_dir else store.data_dir() / "serve"
    data.mkdir(parents=True, exist_ok=True)
    server = GameServer(
        game_command(scenario),
        data_dir=data,
        host=args.host,
        port=args.port,
        title=title,
        public_url=args.public_url,
        max_sessions=args.max_sessions,
        idle_seconds=args.idle_minutes * 60,
    )
    server.serve()
    return 0


def register(sub: Any) -> None:
    sp = sub.add_parser(
        "serve",
        help="play in a web browser",
        description="Serve the game to web browsers: each tab is one game, each browser "
        "(a random id in a cookie) has its own saves.",
    )
    sp.add_argument("scenario", nargs="?", help="serve this scenario straight away")
    sp.add_argument("--host", default="127.0.0.1", help=HOST_HELP)
    sp.add_argument("--port", type=whole(1), default=8000, help="the port (default 8000)")
    sp.add_argument(
        "--public-url",
        metavar="URL",
        help="the address players use, when it differs (behind a proxy)",
    )
    sp.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where players' saves go (default: the user data folder's 'serve')",
    )
    sp.add_argument(
        "--max-sessions",
        type=whole(1),
        default=8,
        help="games open at once, at most (default 8); more players see a 'full' page",
    )
    sp.add_argument(
        "--idle-minutes",
        type=float,
        default=30.0,
        help="close a tab nobody has touched for this long (default 30); its save stays",
    )
    sp.set_defaults(func=cmd_serve)
