"""How long the game takes to show its first frame, against a bare Textual app.

Run from the repository: ``python benchmarks/bench_start.py [RUNS]`` (default 7). Each
run is a fresh interpreter (imports included, as a player starting the game pays them),
headless, timed from launch until the first frame has been painted and the app exits:

- ``bare``: a Textual app that shows one Static (the floor: Python and Textual alone);
- ``menu``: ``brinkmanship`` with no arguments (the main menu);
- ``game``: ``brinkmanship play thirteen-days --role kennedy`` (straight into the
  flagship's first turn; the scenario is parsed and checked first).

It prints the median and the best of the runs, and each one's ratio to ``bare``; with
``--imports`` it prints what our own modules cost to import (``python -X importtime``).
The files written go to a temporary folder (BRINKMANSHIP_SAVE_DIR/DATA_DIR/CONFIG_DIR).

Measured on the development machine (Python 3.11, two cores), 5 runs each:

    bare   0.322 s   1.00x
    menu   0.685 s   2.13x      (target: 1.3x)
    game   0.767 s   2.38x

What is left is mostly Textual applying our stylesheet to the first screens and our
format modules (spec, model) that the engine and saves need; the loader is no longer
imported until a scenario is loaded.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

BARE = """
from textual.app import App
from textual.widgets import Static

class Bare(App[None]):
    def compose(self):
        yield Static("Hello")
    def on_mount(self):
        self.call_after_refresh(self.exit)

Bare().run(headless=True)
"""

OURS = """
import sys
from brinkmanship.frontends.cli.main import main
import brinkmanship.frontends.tui.app as m

WANT = sys.argv[1]  # the screen asked for: the menu, or the game

async def first_frame(pilot):
    while type(pilot.app.screen).__name__ != WANT:
        await pilot.pause(0.002)
    await pilot.pause()  # that screen painted
    pilot.app.exit(0)

orig = m.BrinkApp.run
def run(self, *a, **k):
    return orig(self, headless=True, auto_pilot=first_frame)
m.BrinkApp.run = run
sys.exit(main(sys.argv[2:]))
"""

CASES = {
    "bare": [sys.executable, "-c", BARE],
    "menu": [sys.executable, "-c", OURS, "MainMenu"],
    "game": [
        sys.executable,
        "-c",
        OURS,
        "GameScreen",
        "play",
        "thirteen-days",
        "--role",
        "kennedy",
    ],
}


def once(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, timeout=120)
    return time.perf_counter() - start


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    runs = int(args[0]) if args else 7
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        for var in ("SAVE", "DATA", "CONFIG"):
            env[f"BRINKMANSHIP_{var}_DIR"] = os.path.join(tmp, var.lower())
        times = {name: [once(cmd, env) for _ in range(runs)] for name, cmd in CASES.items()}
        if "--imports" in sys.argv:
            out = subprocess.run(
                [sys.executable, "-X", "importtime", "-c", "import brinkmanship.frontends.tui.app"],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stderr
            ours = [line for line in out.splitlines() if "brinkmanship" in line]
            print("\n".join(ours[-25:]))
    bare = statistics.median(times["bare"])
    print(f"first frame, headless, {runs} runs each (median, best; ratio to bare):")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"  {name:5} {med:6.3f} s  {min(ts):6.3f} s  {med / bare:4.2f}x")


if __name__ == "__main__":
    main()
