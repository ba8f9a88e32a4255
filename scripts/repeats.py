"""How often one paragraph is shown again in the same game: the repeats a player notices.

Usage: python scripts/repeats.py [SCENARIO] [--runs N] [--limit K] [--policy P,...] [--top T]

Plays N seeded games per role and policy (default: thirteen-days, 300 games, the policies
``random`` and each stance: uniformly among the available choices of that stance, or among
all of them when there is none). Everything the player reads in a game is split into
paragraphs: each scene's text and advisers as shown, the result of every choice, the
reactions and events after it, and the ending. For each game it counts how often each
paragraph was shown and reports, per role and policy, the worst count in any game, how many
games show some paragraph more than K times (default 3), and the paragraphs that do it most.
Exit status 1 if any game goes over the limit.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

from brinkmanship.format import catalog
from brinkmanship.format.loader import load_scenario
from brinkmanship.runtime.engine import Engine, GameState
from brinkmanship.runtime.views import ending_view, scene_view

MAX_TURNS = 200


def paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def shown(engine: Engine, state: GameState) -> list[str]:
    """The paragraphs the player reads on arriving at ``state``."""
    out: list[str] = []
    for m in state.messages:
        out += paragraphs(m)
    if state.over:
        ev = ending_view(engine, state)
        out += paragraphs(ev.text) + paragraphs(ev.history)
    else:
        sv = scene_view(engine, state)
        out += paragraphs(sv.text)
        for a in sv.advisers:
            out += paragraphs(a.says)
    return out


def play(engine: Engine, policy: str, rng: random.Random) -> Counter[str]:
    state = engine.start(rng.randrange(2**31))
    seen: Counter[str] = Counter(shown(engine, state))
    for _ in range(MAX_TURNS):
        if state.over:
            break
        options = engine.available(state)
        if not options:
            break
        pool = [c for c in options if c.stance == policy] or options
        state = engine.take(state, rng.choice(pool))
        seen.update(shown(engine, state))
    return seen


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario", nargs="?", default="thirteen-days")
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--limit", type=int, default=3)
    ap.add_argument("--policy", default="")
    ap.add_argument("--top", type=int, default=5)
    args = ap.parse_args(argv)
    path = Path(args.scenario)
    scenario = load_scenario(str(path if path.exists() else catalog.find(args.scenario)))
    policies = args.policy.split(",") if args.policy else ["random", *scenario.stances]
    over_any = False
    for role in scenario.roles:
        engine = Engine(scenario, role)
        for policy in policies:
            worst = 0
            over = 0
            culprits: Counter[str] = Counter()
            for i in range(args.runs):
                seen = play(engine, policy, random.Random(f"{policy}:{i}"))
                top = max(seen.values(), default=0)
                worst = max(worst, top)
                bad = [p for p, n in seen.items() if n > args.limit]
                if bad:
                    over += 1
                    culprits.update(bad)
            over_any = over_any or over > 0
            print(
                f"{role:<11} {policy:<10} {args.runs} games: most shown paragraph "
                f"{worst}x; games with a paragraph over {args.limit}x: {over}"
            )
            for p, n in culprits.most_common(args.top):
                print(f"    in {n} games: {p[:100]}")
    return 1 if over_any else 0


if __name__ == "__main__":
    sys.exit(main())
