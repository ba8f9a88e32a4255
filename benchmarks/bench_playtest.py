"""How many automatic playthroughs per second ``brinkmanship playtest`` manages.

Run from the repository: ``python benchmarks/bench_playtest.py [RUNS]``. It plays
RUNS games (default 5000) per role with the ``random`` policy on the tutorial and
on thirteen-days (when it loads), without shrinking, and prints playthroughs per
second, average turns, and how long ``explore`` takes on the same scenarios, with its
default settings (an exhaustive search of up to 20,000 states per role, then the bounded
search when that is not enough).

Measured on the development machine (Python 3.11, one core), 5000 runs per role:

    tutorial        10000 playthroughs  ~14,400/s  (4.6 turns each)   explore 3561 states
                    (complete), 0.34 s, found 33/33 scenes and endings
    thirteen-days   10000 playthroughs   ~2,150/s  (12.6 turns each)  explore 40040 states
                    (incomplete) + 7679 of the bounded search, 6.2 s, found 138/138 scenes
                    and endings (both roles)

(The engine's step is pure: each turn copies one small state. Policies call
``Engine.take`` directly, to avoid checking availability twice as ``Engine.step`` would.)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from brinkmanship.authoring.explore import explore
from brinkmanship.authoring.playtest import playtest
from brinkmanship.format.errors import BrinkError
from brinkmanship.format.loader import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = [
    ROOT / "scenarios" / "tutorial.yaml",
    ROOT / "scenarios" / "thirteen-days" / "scenario.yaml",
]


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    for path in SCENARIOS:
        name = path.stem if path.stem != "scenario" else path.parent.name
        try:
            scenario = load_scenario(str(path))
        except (BrinkError, OSError) as exc:
            print(f"{name:<15} skipped: {str(exc).splitlines()[0]}")
            continue
        roles = list(scenario.roles)
        t0 = time.perf_counter()
        pt = playtest(scenario, roles, runs, seed=0, policy="random", shrink=False)
        dt = time.perf_counter() - t0
        games = runs * len(roles)
        turns = sum(r.turns_total for r in pt.roles.values())
        finished = sum(r.finished for r in pt.roles.values()) or 1
        t0 = time.perf_counter()
        report = explore(scenario, roles)  # the defaults, as `brinkmanship explore` runs
        et = time.perf_counter() - t0
        states = sum(r.states for r in report.roles.values())
        bounded = sum(r.bounded.states for r in report.roles.values() if r.bounded)
        places = sum(len(r.places) for r in report.roles.values())
        found = sum(len(r.places & r.found) for r in report.roles.values())
        how = "complete" if report.complete else f"+ {bounded} bounded"
        print(
            f"{name:<15} {games} playthroughs in {dt:.2f}s = {games / dt:,.0f}/s "
            f"({turns / finished:.1f} turns each); explore: {states} states ({how}) in "
            f"{et:.2f}s, found {found}/{places} scenes and endings"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
