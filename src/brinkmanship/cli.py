"""The ``brinkmanship`` command. Heavy modules (Textual) load only when a command needs them."""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from brinkmanship import __version__
from brinkmanship.errors import BrinkError, UsageError
from brinkmanship.textsafe import inert

Handler = Callable[[argparse.Namespace], int]
DEFAULT_SCENARIO = "thirteen-days"

# Extra subcommands register themselves here: name -> (add_arguments, handler, help).
EXTRA_COMMANDS: list[str] = []


def _scenario_path(ref: str) -> str:
    from brinkmanship import catalog

    return str(catalog.find(ref))


def cmd_list(args: argparse.Namespace) -> int:
    from brinkmanship import catalog

    for e in catalog.bundled():
        print(inert(f"{e.id}: {e.title} (roles: {', '.join(e.roles)})"))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from brinkmanship.loader import check_scenario

    try:
        from brinkmanship.analysis import warnings_for
    except ImportError:  # the deeper checks are optional
        warnings_for = None

    bad = False
    report: list[dict[str, object]] = []
    for ref in args.paths:
        try:
            path = _scenario_path(ref)
        except BrinkError as exc:
            print(inert(f"{ref}: error: {exc}"), file=sys.stderr)
            report.append({"scenario": ref, "valid": False, "errors": [{"message": str(exc)}],
                           "warnings": []})
            bad = True
            continue
        scenario, diags = check_scenario(path)
        if scenario is not None and warnings_for is not None:
            diags = diags + warnings_for(scenario)
        errors = [d for d in diags if d.severity == "error"]
        warnings = [d for d in diags if d.severity != "error"]
        bad = bad or scenario is None
        report.append({"scenario": path, "valid": scenario is not None,
                       "errors": [d.to_json() for d in errors],
                       "warnings": [d.to_json() for d in warnings]})
        if args.json:
            continue
        for d in errors + warnings:
            print(inert(str(d)))
        if scenario is not None:
            n_scenes = len(scenario.scenes)
            print(inert(f"{path}: ok: {scenario.title} ({len(scenario.roles)} roles, {n_scenes} "
                        f"scenes, {len(scenario.endings)} endings, {len(warnings)} warnings)"))
        else:
            print(f"{path}: {len(errors)} error(s)", file=sys.stderr)
    if args.json:
        print(json.dumps({"scenarios": report}, indent=2))
    return 1 if bad else 0


def _pick_role(scenario_roles: dict[str, str]) -> str:
    from brinkmanship.plain import choose_role

    role = choose_role(scenario_roles, sys.stdout, sys.stdin)
    if role is None:
        raise UsageError("no role chosen (pass --role)")
    return role


def cmd_play(args: argparse.Namespace) -> int:
    from brinkmanship import saves
    from brinkmanship.engine import Engine, Game
    from brinkmanship.loader import load_scenario

    directory = saves.save_dir(args.save_dir)
    if args.load:
        save = saves.read_save(_save_path(args.load, directory))
        scenario = saves.scenario_for(save, args.scenario)
        result = saves.replay(save, scenario)
        if not result.ok:
            print(result.summary(), file=sys.stderr)
            print(f"Continuing from turn {result.diverged_at - 1}.", file=sys.stderr)
        game = result.game
    else:
        scenario = load_scenario(_scenario_path(args.scenario or DEFAULT_SCENARIO))
        role = args.role
        if role is None:
            if len(scenario.roles) == 1:
                role = next(iter(scenario.roles))
            elif args.plain:
                role = _pick_role({r.id: f"{r.name}" + (f", {r.title}" if r.title else "")
                                   for r in scenario.roles.values()})
        if role is not None and role not in scenario.roles:
            from brinkmanship.spec import suggest

            raise UsageError(f"scenario {scenario.id!r} has no role {role!r}"
                             + suggest(role, scenario.roles) + "; roles: "
                             + ", ".join(scenario.roles))
        seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
        if role is None:
            game = None
        else:
            game = Game(Engine(scenario, role), seed)
            game.created = saves.now()
    if args.plain:
        from brinkmanship.plain import play_plain

        assert game is not None
        return play_plain(game, directory, sys.stdout, sys.stdin)
    return _tui(args, game=game, scenario_path=None if game else _scenario_path(
        args.scenario or DEFAULT_SCENARIO), directory=directory)


def _save_path(ref: str, directory: Path) -> Path:
    from brinkmanship.catalog import is_file

    p = Path(ref)
    if is_file(p) or "/" in ref or ref.endswith(".yaml"):
        return p
    return directory / f"{ref}.yaml"


def cmd_replay(args: argparse.Namespace) -> int:
    from brinkmanship import saves

    directory = saves.save_dir(args.save_dir)
    save = saves.read_save(_save_path(args.save, directory))
    if not args.check and not args.plain and not args.export:
        return _tui(args, replay=save, directory=directory)
    if args.export and Path(args.export).exists() and not args.force:
        raise UsageError(f"{args.export} already exists; pass --force to replace it")
    try:
        scenario = saves.scenario_for(save, args.scenario)
    except BrinkError as exc:
        print("cannot load the scenario of this save:", file=sys.stderr)
        print(error_text(exc), file=sys.stderr)
        return 2
    result = saves.replay(save, scenario)
    game = result.game
    print(inert(f"{save.path}: {scenario.title}, role {save.role}, seed {save.seed}, "
                f"{save.turn} turns"))
    if args.plain:
        for t in game.turns():
            print(f"  {t.number:>3}. {t.scene}: {t.choice} [{t.stance}]")
    print(inert(result.summary()))
    if args.export:
        _export(game, Path(args.export))
    if game.state.over:
        ending = scenario.endings[game.state.ending or ""]
        print(inert(f"Ending: {ending.title} ({ending.outcome})"))
    else:
        print(f"In progress at {game.state.scene!r}")
    return 0 if result.ok else 1


def _export(game: object, path: Path) -> None:
    from brinkmanship.atomic import write_atomic
    from brinkmanship.transcript import to_markdown

    write_atomic(path, to_markdown(game), backup=False)  # type: ignore[arg-type]
    print(f"Transcript written to {path}")


def _tui(args: argparse.Namespace, **kw: object) -> int:
    try:
        from brinkmanship.tui.app import run_app
    except ImportError:
        raise UsageError("the full-screen interface is not available in this build; "
                         "use --plain") from None
    return run_app(args, **kw)


def cmd_menu(args: argparse.Namespace) -> int:
    from brinkmanship import saves

    return _tui(args, directory=saves.save_dir(args.save_dir))


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
    p.add_argument("--save-dir", help="where saves go (default: $BRINKMANSHIP_SAVE_DIR or the "
                   "user data folder)")
    p.set_defaults(func=cmd_menu)
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

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

    sp = sub.add_parser("validate", help="check scenario files; exit 1 if any is invalid")
    sp.add_argument("paths", nargs="+", metavar="PATH|ID")
    sp.add_argument("--json", action="store_true", help="machine-readable output")
    sp.set_defaults(func=cmd_validate)

    sp = sub.add_parser("replay", help="replay a saved game")
    sp.add_argument("save", help="a save file or save name")
    sp.add_argument("--check", action="store_true", help="headless: check the save reproduces "
                    "(exit 0), diverges (1) or is unusable (2)")
    sp.add_argument("--plain", action="store_true", help="print the turns as text")
    sp.add_argument("--scenario", help="replay against this scenario instead")
    sp.add_argument("--export", metavar="FILE", help="write the game's transcript as Markdown")
    sp.add_argument("--force", action="store_true", help="with --export, replace an existing file")
    sp.set_defaults(func=cmd_replay)

    try:
        from brinkmanship.tools.commands import register
    except ImportError:
        pass
    else:
        register(sub)
    for name in ("play", "replay"):
        sub.choices[name].add_argument("--save-dir", dest="save_dir_sub", metavar="DIR",
                                      help="where saves go")
    return p


MAX_ERROR_LINES = 5


def error_text(exc: BrinkError) -> str:
    """A user error in a few inert lines (a scenario's first errors; validate lists all)."""
    from brinkmanship.errors import ScenarioError

    if isinstance(exc, ScenarioError) and exc.diagnostics:
        lines = [str(d) for d in exc.diagnostics[:MAX_ERROR_LINES]]
        if len(exc.diagnostics) > MAX_ERROR_LINES:
            lines[-1] = (f"... and {len(exc.diagnostics) - MAX_ERROR_LINES + 1} more errors "
                         "('brinkmanship validate' lists them all)")
    else:
        lines = f"error: {exc}".splitlines()
        if len(lines) > MAX_ERROR_LINES:
            lines[MAX_ERROR_LINES - 1:] = [f"... ({len(lines) - MAX_ERROR_LINES + 1} more lines)"]
    return "\n".join(inert(line) for line in lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "save_dir_sub", None):
        args.save_dir = args.save_dir_sub
    handler: Handler = args.func
    try:
        return handler(args)
    except BrinkError as exc:
        if args.debug:
            raise
        print(error_text(exc), file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # the machine's doing (a full disk, a permission), not a bug
        if args.debug:
            raise
        where = f": {exc.filename}" if exc.filename else ""
        print(inert(f"error: {exc.strerror or exc}{where}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
