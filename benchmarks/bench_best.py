"""How long ``playtest --policy best`` takes, beside a single-stance playtest of the same runs.

Run from the repository: ``python benchmarks/bench_best.py [RUNS] [REPEATS]``. For the
tutorial (solved exactly) and thirteen-days (the lookahead estimate), it plays RUNS games
per role (default 100) on one process with ``best`` and, as the anchor, with ``negotiate``,
REPEATS times each (default 3), back to back, and prints the median CPU seconds of each,
their ratio, and the share of good endings (settlement or better) per role.

Measured on the development machine (Python 3.11, two cores shared by several users,
load average 8-10 during the run), 100 runs per role, medians of 3, CPU seconds:

    tutorial        best  2.28 s (exact, value iteration)           negotiate 0.07 s
                    good endings: best 100% / 100%, negotiate 100% / 100%
    thirteen-days   best 63.4 s (estimate: lookahead, depth 1, 4 rollouts)
                                                                    negotiate 0.54 s
                    good endings: best kennedy 91%, khrushchev 100%;
                    negotiate kennedy 85%, khrushchev 87%
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from brinkmanship.authoring.playtest import Playtest, playtest
from brinkmanship.format.loader import load_scenario
from brinkmanship.format.model import Scenario
from brinkmanship.format.names import GOOD_OUTCOMES

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = [
    ROOT / "scenarios" / "tutorial.yaml",
    ROOT / "scenarios" / "thirteen-days" / "scenario.yaml",
]


def timed(sc: Scenario, policy: str, runs: int) -> tuple[float, Playtest]:
    t0 = time.process_time()
    pt = playtest(sc, list(sc.roles), runs, 0, policy, shrink=False, jobs=1)
    return time.process_time() - t0, pt


def good(pt: Playtest) -> str:
    return ", ".join(
        f"{rid} {100 * sum(r.outcomes[o] for o in GOOD_OUTCOMES) / r.runs:.0f}%"
        for rid, r in pt.roles.items()
    )


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    for path in SCENARIOS:
        sc = load_scenario(str(path))
        best_t: list[float] = []
        anchor_t: list[float] = []
        for _ in range(repeats):  # back to back, so load changes hit both alike
            t, best = timed(sc, "best", runs)
            best_t.append(t)
            t, anchor = timed(sc, "negotiate", runs)
            anchor_t.append(t)
        b, a = statistics.median(best_t), statistics.median(anchor_t)
        method = next(iter(best.roles.values())).best or {}
        print(
            f"{sc.id:<15} best {b:7.2f} s CPU ({method.get('method')})   "
            f"negotiate {a:6.2f} s   ratio {b / a:6.1f}x   ({runs} runs per role, "
            f"median of {repeats})"
        )
        print(f"{'':<15} good endings: best {good(best)}; negotiate {good(anchor)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
