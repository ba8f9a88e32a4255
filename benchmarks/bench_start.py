"""How long the game takes to show its first frame, against a bare Textual app.

Run from the repository: ``python benchmarks/bench_start.py [RUNS]`` (default 7). Each
run is a fresh interpreter (imports included, as a player starting the game pays them),
headless, timed from launch until the first frame has been painted and the app exits:

- ``bare``: a Textual app that shows one Static (the floor: Python and Textual alone);
- ``menu``: ``brinkmanship`` with no arguments (the main menu);
- ``game``: ``brinkmanship play thirteen-days --role kennedy`` (straight into the
  flagship's first turn; the scenario is parsed and checked first).

It prints the median and the best of the runs (wall clock, and the CPU time the process
used, which a loaded machine disturbs less), and each one's ratio to ``bare``; with
``--imports`` it prints what our own modules cost to import (``python -X importtime``).
The files written go to a temporary folder (BRINKMANSHIP_SAVE_DIR/DATA_DIR/CONFIG_DIR).

Every case runs with its modules' bytecode already compiled, as an installed game does
(pip compiles it at install): bytecode goes to a temporary PYTHONPYCACHEPREFIX, filled by
one run of each case that is not counted. (With PYTHONDONTWRITEBYTECODE set, an editable
checkout compiles our modules from source on every start, about 0.1 s more.)

What the menu no longer pays (this branch): the scenario format, the save format, YAML
and the Markdown parser (imported when a game or a save needs them; tests/tui/
test_start.py checks it), a second parse of the stylesheet for the start-up theme, and an
empty default screen drawn before the menu (the menu is the default screen). The game
still loads, checks and builds the flagship before its first frame (about 0.25 s on an
idle machine): that is most of what it pays beyond the menu.
"""

from __future__ import annotations

import os
import resource
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


def once(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock seconds and CPU seconds (user + system) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, timeout=120)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    runs = int(args[0]) if args else 7
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        for var in ("SAVE", "DATA", "CONFIG"):
            env[f"BRINKMANSHIP_{var}_DIR"] = os.path.join(tmp, var.lower())
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = os.path.join(tmp, "pycache")
        for cmd in CASES.values():  # compiles the bytecode; not counted
            once(cmd, env)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in CASES}
        for _ in range(runs):  # the cases in turn, so that a burst of load hits them all
            for name, cmd in CASES.items():
                times[name].append(once(cmd, env))
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
    bare_wall = statistics.median(w for w, _ in times["bare"])
    bare_cpu = statistics.median(c for _, c in times["bare"])
    print(f"first frame, headless, {runs} runs each (median, best; ratio of medians to bare):")
    for name, ts in times.items():
        wall = [w for w, _ in ts]
        cpu = [c for _, c in ts]
        w, c = statistics.median(wall), statistics.median(cpu)
        print(
            f"  {name:5} wall {w:6.3f} s  {min(wall):6.3f} s  {w / bare_wall:4.2f}x"
            f"   cpu {c:6.3f} s  {min(cpu):6.3f} s  {c / bare_cpu:4.2f}x"
        )
    print(f"  load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
