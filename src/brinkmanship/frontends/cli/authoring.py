"""The writer's commands: validate, explore, playtest, lint, graph, schema and new."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from brinkmanship.format.errors import BrinkError, consequence_line, split_causes
from brinkmanship.format.textsafe import inert, inert_line
from brinkmanship.frontends.cli.common import emit, load, roles, scenario_path, whole
from brinkmanship.frontends.cli.errors import source_excerpt
from brinkmanship.runtime import store


def cmd_validate(args: argparse.Namespace) -> int:
    from brinkmanship.authoring.analysis import warnings_for
    from brinkmanship.format.loader import check_scenario

    bad = False
    report: list[dict[str, object]] = []
    for ref in args.paths:
        try:
            path = scenario_path(ref)
        except BrinkError as exc:
            print(f"{inert_line(ref)}: error: {inert(str(exc))}", file=sys.stderr)
            report.append(
                {"scenario": ref, "valid": False, "errors": [{"message": str(exc)}], "warnings": []}
            )
            bad = True
            continue
        scenario, diags = check_scenario(path)
        if scenario is not None:
            diags = diags + warnings_for(scenario)
        errors = [d for d in diags if d.severity == "error"]
        warnings = [d for d in diags if d.severity != "error"]
        bad = bad or scenario is None
        report.append(
            {
                "scenario": path,
                "valid": scenario is not None,
                "errors": [d.to_json() for d in errors],
                "warnings": [d.to_json() for d in warnings],
            }
        )
        if args.json:
            continue
        colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        own, follow = split_causes(errors)
        for d in [*own, *warnings]:
            print(inert(str(d)))
            for line in source_excerpt(d, colour):
                print(line)
        for cause, n in follow.items():
            print(inert(consequence_line(cause, n)))
        if scenario is not None:
            print(
                inert(
                    f"{inert_line(path)}: ok: {scenario.title} ({len(scenario.roles)} roles, "
                    f"{len(scenario.scenes)} scenes, {len(scenario.endings)} endings, "
                    f"{len(warnings)} warnings)"
                )
            )
        else:
            folded = sum(follow.values())
            print(
                f"{inert_line(path)}: {len(own)} error(s)"
                + (f", and {folded} that follow from them" if folded else ""),
                file=sys.stderr,
            )
    if args.json:
        print(json.dumps({"scenarios": report}, indent=2))
    return 1 if bad else 0


def cmd_explore(args: argparse.Namespace) -> int:
    from brinkmanship.authoring.explore import explore, render_text

    scenario = load(args.scenario)
    chosen = roles(scenario, args.role)
    witness = Path(args.witness) if args.witness else None
    # the real games found for possible problems are saved with the witnesses, or with
    # the player's saves (play --load opens them)
    saves = witness or store.save_dir(args.save_dir, args.data_dir)
    report = explore(scenario, chosen, args.max_states, witness, args.bounded, saves)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        print(inert(render_text(report)))
    return report.exit_code()


def cmd_playtest(args: argparse.Namespace) -> int:
    from brinkmanship.authoring.playtest import playtest, render_comparison, render_text
    from brinkmanship.authoring.policies import parse_policies
    from brinkmanship.authoring.solve import BestOptions, goal_rank

    scenario = load(args.scenario)
    chosen = roles(scenario, args.role)
    policies = parse_policies(args.policy, scenario)
    goal_rank(args.goal)
    best = BestOptions(args.goal, args.depth, args.rollouts, args.exact_states)
    trace: list[str] | None = [] if args.trace else None
    out_dir = Path(args.failures) if args.failures else store.save_dir(args.save_dir, args.data_dir)
    results = [
        playtest(
            scenario,
            chosen,
            args.runs,
            args.seed,
            p,
            args.max_turns,
            out_dir,
            shrink=not args.no_shrink,
            best=best,
            jobs=args.jobs or os.cpu_count() or 1,
            trace=trace,
        )
        for p in policies
    ]
    if trace is not None:
        from brinkmanship.authoring.trace import write_trace

        write_trace(Path(args.trace), "".join(trace))
    if args.json:
        if len(results) == 1:
            data = results[0].to_json()
        else:
            data = {
                "scenario": scenario.id,
                "runs": args.runs,
                "seed": args.seed,
                "policies": {r.policy: r.to_json() for r in results},
            }
        print(json.dumps(data, indent=2))
    else:
        print(inert("\n\n".join(render_text(r) for r in results)))
        if len(results) > 1:
            print(inert(render_comparison(results)))
    return 1 if any(r.failed for r in results) else 0


def cmd_lint(args: argparse.Namespace) -> int:
    from brinkmanship.authoring.lint import lint, load_settings, render_text, word_count

    path = scenario_path(args.scenario)
    scenario = load(args.scenario)
    settings = load_settings(path, args.config)
    settings.refrains += args.refrain
    for key in ("max_repeats", "max_word_uses", "max_words"):
        if getattr(args, key) is not None:
            setattr(settings, key, getattr(args, key))
    findings = lint(scenario, settings)
    if args.json:
        data = {
            "scenario": scenario.id,
            "words": word_count(scenario),
            "findings": [f.to_json() for f in findings],
        }
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(inert(render_text(findings, word_count(scenario))))
    return 1 if findings else 0


def cmd_graph(args: argparse.Namespace) -> int:
    from brinkmanship.authoring.graph import load_coverage, to_dot, to_mermaid

    scenario = load(args.scenario)
    if args.role is not None:
        roles(scenario, args.role)
    coverage = load_coverage(args.coverage, args.role) if args.coverage else None
    render = to_dot if args.format == "dot" else to_mermaid
    emit(render(scenario, args.role, coverage), args.output)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from brinkmanship.format.schema import schema_text

    emit(schema_text(part=args.part), args.output)
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    from brinkmanship.format.codes import CODES, explain
    from brinkmanship.format.spec import suggest

    if args.code is None:
        for c in CODES.values():
            print(f"{c.code}  {c.title}")
        return 0
    text = explain(args.code)
    if text is None:
        raise BrinkError(
            f"no code {args.code!r}"
            + suggest(args.code.upper(), CODES)
            + " ('brinkmanship explain' lists them all)"
        )
    print(text)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from brinkmanship.authoring.scaffold import scaffold

    written = scaffold(Path(args.path), args.id)
    for p in written:
        print(f"wrote {p}")
    main = written[0]
    print(
        f"Next: brinkmanship validate {main}, then brinkmanship play {main} --role "
        "envoy-north (see docs/writing-scenarios.md)."
    )
    return 0


def register(sub: Any) -> None:
    """Add the writer's commands to the ``brinkmanship`` argument parser."""
    sp = sub.add_parser("validate", help="check scenario files; exit 1 if any is invalid")
    sp.add_argument("paths", nargs="+", metavar="PATH|ID")
    sp.add_argument("--json", action="store_true", help="machine-readable output")
    sp.set_defaults(func=cmd_validate)

    sp = sub.add_parser(
        "explain",
        help="explain a message code (e.g. W005) with an example and the fix",
    )
    sp.add_argument("code", nargs="?", metavar="CODE", help="a code; none: list them all")
    sp.set_defaults(func=cmd_explain)

    sp = sub.add_parser(
        "explore",
        help="check what can happen: reachable endings (with a game for each), stuck scenes, "
        "loops with no way out",
        description="Check every role's game three ways, and say which gave each verdict: a "
        "static analysis of every game at once proves what can never happen (scenes never "
        "reached, no stuck state possible, an ending always still reachable, loops with no way "
        "out); an exhaustive search of every state, enumerating the other side's random "
        "draws, up to --max-states states, proves everything when it completes; and a "
        "bounded search plays real games (each with a seed that replays it) to find what "
        "is reachable. What no method settles is 'not ruled out', never proved. Exit 0: no "
        "problem and every check has a verdict; 1: a problem (an ending or scene proved "
        "never reached, a stuck state, a loop with no way out, a runtime error); 3: no "
        "problem found, but some checks are still open.",
    )
    sp.add_argument("scenario", metavar="SCENARIO", help="a bundled id or a path")
    sp.add_argument("--role", help="only this role (default: every role)")
    sp.add_argument(
        "--max-states",
        type=whole(1),
        default=None,
        metavar="N",
        help="stop the exhaustive search after N distinct states per role (default 20000, "
        "or 2000 for a role whose stuck states and loops the static analysis settled, or "
        "that can reach more than 300 scenes)",
    )
    sp.add_argument(
        "--bounded",
        type=whole(0),
        default=25_000,
        metavar="N",
        help="when the exhaustive search stops at its bound, play at most N states "
        "per role of a bounded search (default 25000; 0: none)",
    )
    sp.add_argument(
        "--witness",
        metavar="DIR",
        help="write a save per reachable ending into DIR (replay --check reproduces each)",
    )
    sp.add_argument("--json", action="store_true", help="machine-readable output")
    sp.set_defaults(func=cmd_explore)

    sp = sub.add_parser(
        "playtest",
        help="play many seeded games automatically and report",
        description="Play seeded games with a policy and report endings, outcomes and "
        "coverage. Exit 1 if a run failed (runtime error, stuck state, turn cap): the first "
        "failure of each kind is shrunk to the shortest failing choice list and saved.",
    )
    sp.add_argument("scenario", metavar="SCENARIO", help="a bundled id or a path")
    sp.add_argument("--role", help="only this role (default: every role)")
    sp.add_argument(
        "--runs", type=whole(1), default=100, metavar="N", help="games per role (default 100)"
    )
    sp.add_argument("--seed", type=int, default=0, metavar="S", help="master seed (default 0)")
    sp.add_argument(
        "--policy",
        default="random",
        metavar="P",
        help="random, least-used, a stance (escalate, negotiate...), a weighted mix of "
        "stances (mix:negotiate=0.6,hold=0.4), best (the best chance of a good ending: "
        "exact where the game can be solved, else a lookahead estimate), several "
        "separated by commas, or all (random, least-used and every stance; default random)",
    )
    sp.add_argument(
        "--goal",
        default="settlement",
        metavar="CLASS",
        help="for --policy best: an ending of this outcome class or a better one "
        "(catastrophe, defeat, stalemate, settlement, cooperation; default settlement)",
    )
    for flag, least, default, metavar, what in (
        ("--depth", 1, 1, "D", "where it estimates: choices looked ahead"),
        ("--rollouts", 1, 4, "R", "where it estimates: games played out per choice"),
        (
            "--exact-states",
            0,
            5000,
            "N",
            "solve a role exactly when its game has at most N states (0: always estimate)",
        ),
    ):
        sp.add_argument(
            flag,
            type=whole(least),
            default=default,
            metavar=metavar,
            help=f"for --policy best: {what} (default {default})",
        )
    sp.add_argument(
        "--max-turns",
        type=whole(1),
        default=200,
        metavar="N",
        help="a game longer than this fails (default 200)",
    )
    sp.add_argument(
        "--failures",
        metavar="DIR",
        help="where failing runs are saved (default: "
        "the save folder, so play --load NAME opens them)",
    )
    sp.add_argument("--no-shrink", action="store_true", help="save failing runs as played")
    sp.add_argument(
        "--jobs",
        type=whole(1),
        default=None,
        metavar="N",
        help="play on N processes (default: one per CPU); the report is the same for any N",
    )
    sp.add_argument(
        "--trace",
        metavar="FILE",
        help="write every game as JSON Lines: one object per turn (scene, clock, choice, "
        "variables, the paragraphs shown) and one per run (ending, outcome, turns)",
    )
    sp.add_argument("--json", action="store_true", help="machine-readable output")
    sp.set_defaults(func=cmd_playtest)

    sp = sub.add_parser(
        "lint",
        help="check the prose: overused phrases and words, repeated sentences, long paragraphs",
        description="Read every text a player can be shown and report, each with file:line: "
        "phrases of three or more words used more than --max-repeats times (P001) unless "
        "listed as refrains, overused words (P002: adverbs in -ly and listed words), "
        "sentences written out twice (P003) and very long paragraphs (P004). Settings come "
        "from lint.yaml beside a folder scenario's scenario.yaml, or --config. Exit 0: "
        "nothing to report; 1: findings.",
    )
    sp.add_argument("scenario", metavar="SCENARIO", help="a bundled id or a path")
    sp.add_argument("--config", metavar="FILE", help="lint settings (YAML) instead of lint.yaml")
    sp.add_argument(
        "--refrain",
        action="append",
        default=[],
        metavar="PHRASE",
        help="a phrase repeated on purpose (may be given several times)",
    )
    sp.add_argument("--max-repeats", type=whole(1), metavar="N", help="uses of a phrase (3)")
    sp.add_argument("--max-word-uses", type=whole(1), metavar="N", help="uses of a word (12)")
    sp.add_argument("--max-words", type=whole(1), metavar="N", help="words in a paragraph (150)")
    sp.add_argument("--json", action="store_true", help="machine-readable output")
    sp.set_defaults(func=cmd_lint)

    sp = sub.add_parser("graph", help="draw the scenario as a Graphviz or Mermaid graph")
    sp.add_argument("scenario", metavar="SCENARIO", help="a bundled id or a path")
    sp.add_argument(
        "--format",
        choices=("dot", "mermaid"),
        default="dot",
        help="dot (Graphviz) or mermaid (default dot)",
    )
    sp.add_argument("--role", help="only what this role can reach")
    sp.add_argument(
        "--coverage",
        metavar="PLAYTEST.json",
        help="show hit counts from the output of playtest --json",
    )
    sp.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    sp.set_defaults(func=cmd_graph)

    sp = sub.add_parser("schema", help="print the JSON Schema of the scenario format")
    sp.add_argument(
        "--part", action="store_true", help="the schema of an included file instead of a main file"
    )
    sp.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    sp.set_defaults(func=cmd_schema)

    sp = sub.add_parser("new", help="start a new scenario from a small playable example")
    sp.add_argument("path", metavar="PATH", help="the .yaml file to create (never replaced)")
    sp.add_argument("--id", help="the scenario's id (default: from the file name)")
    sp.set_defaults(func=cmd_new)
