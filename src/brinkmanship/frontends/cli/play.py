"""Commands that play: the main menu, play, replay and list."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from brinkmanship.format import catalog
from brinkmanship.format.errors import BrinkError, UsageError
from brinkmanship.format.textsafe import inert
from brinkmanship.frontends.cli.common import (
    DEFAULT_SCENARIO,
    load,
    playable_path,
    roles,
)
from brinkmanship.frontends.cli.errors import error_text
from brinkmanship.runtime import store
from brinkmanship.runtime.atomic import write_atomic
from brinkmanship.runtime.store import SaveStore


def cmd_list(args: argparse.Namespace) -> int:
    for e in catalog.bundled():
        print(inert(f"{e.id}: {e.title} (roles: {', '.join(e.roles)})"))
    return 0


def _store(args: argparse.Namespace) -> SaveStore:
    return SaveStore(store.save_dir(args.save_dir, args.data_dir))


def cmd_play(args: argparse.Namespace) -> int:
    # The full-screen game loads the scenario itself, after its first frame; what can be
    # checked at once is checked here (the file is there; the save reads).
    if not args.plain and args.load:
        return tui(args, resume=_store(args).read(args.load))
    if not args.plain:
        path = playable_path(args.scenario or DEFAULT_SCENARIO)
        return tui(args, scenario_path=str(path), role=args.role)
    from brinkmanship.runtime.session import Session

    saves = _store(args)
    if args.load:
        from brinkmanship.runtime.resume import resume, scenario_for

        save = saves.read(args.load)
        result = resume(save, scenario_for(save, args.scenario))
        if not result.ok:
            print(inert(result.summary()), file=sys.stderr)
            print(f"Continuing from turn {result.session.turn + 1}.", file=sys.stderr)
        session = result.session
    else:
        scenario = load(args.scenario or DEFAULT_SCENARIO)
        role = args.role
        if role is None and len(scenario.roles) == 1:
            role = next(iter(scenario.roles))
        elif role is None:
            from brinkmanship.frontends.plain import choose_role

            role = choose_role(
                {
                    r.id: r.name + (f", {r.title}" if r.title else "")
                    for r in scenario.roles.values()
                },
                sys.stdout,
                sys.stdin,
            )
            if role is None:
                raise UsageError("no role chosen (pass --role)")
        roles(scenario, role)
        session = Session.new(scenario, role, args.seed)
    from brinkmanship.frontends.plain import play_plain

    return play_plain(session, saves, sys.stdout, sys.stdin, store.data_dir(args.data_dir))


def cmd_replay(args: argparse.Namespace) -> int:
    from brinkmanship.runtime.resume import resume, scenario_for

    saves = _store(args)
    save = saves.read(args.save)
    if not args.check and not args.plain and not args.export:
        return tui(args, replay=save)
    if args.export and Path(args.export).exists() and not args.force:
        raise UsageError(f"{args.export} already exists; pass --force to replace it")
    try:
        scenario = scenario_for(save, args.scenario)
    except BrinkError as exc:
        print("cannot load the scenario of this save:", file=sys.stderr)
        print(error_text(exc), file=sys.stderr)
        return 2
    result = resume(save, scenario)
    session = result.session
    role = scenario.roles[save.role].name if save.role in scenario.roles else save.role
    print(inert(f"{save.path}: {scenario.title}, {role}, seed {save.seed}, {save.turn} turns"))
    if args.plain:
        from brinkmanship.runtime.views import history

        for _, t in history(session):
            print(inert(f"  {t.number:>3}. {t.title or t.when}: {t.choice} [{t.stance_label}]"))
    print(inert(result.summary()))
    if args.export:
        from brinkmanship.frontends.transcript import to_markdown

        write_atomic(Path(args.export), to_markdown(session), backup=False)
        print(f"Transcript written to {args.export}")
    if session.over:
        ending = scenario.endings[session.state.ending or ""]
        print(inert(f"Ending: {ending.title} ({ending.outcome})"))
    else:
        print(f"In progress at turn {session.turn + 1}")
    return 0 if result.ok else 1


def tui(args: argparse.Namespace, **kw: Any) -> int:
    try:
        from brinkmanship.frontends.tui.app import run_app
    except ImportError:
        raise UsageError(
            "the full-screen interface is not available in this build; use --plain"
        ) from None
    return run_app(args, directory=store.save_dir(args.save_dir, args.data_dir), **kw)


def cmd_menu(args: argparse.Namespace) -> int:
    return tui(args)


def register(sub: Any) -> None:
    sp = sub.add_parser("play", help="play a scenario")
    sp.add_argument("scenario", nargs="?", help=f"bundled id or path (default {DEFAULT_SCENARIO})")
    sp.add_argument("--role", help="the role to play")
    sp.add_argument("--seed", type=int, help="seed for the other side's random choices")
    sp.add_argument("--plain", action="store_true", help="line-based play on stdin/stdout")
    sp.add_argument("--load", metavar="SAVE", help="continue a saved game (name or path)")
    sp.add_argument("--watch", action="store_true", help="reload the scenario when it changes")
    sp.set_defaults(func=cmd_play)

    sp = sub.add_parser("list", help="list the bundled scenarios")
    sp.set_defaults(func=cmd_list)

    sp = sub.add_parser("replay", help="replay a saved game")
    sp.add_argument("save", help="a save file or save name")
    sp.add_argument(
        "--check",
        action="store_true",
        help="headless: check the save reproduces (exit 0), diverges (1) or is unusable (2)",
    )
    sp.add_argument("--plain", action="store_true", help="print the turns as text")
    sp.add_argument("--scenario", help="replay against this scenario instead")
    sp.add_argument("--export", metavar="FILE", help="write the game's transcript as Markdown")
    sp.add_argument("--force", action="store_true", help="with --export, replace an existing file")
    sp.set_defaults(func=cmd_replay)
