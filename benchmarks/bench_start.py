"""How long the game takes to show its first frame, against a bare Textual app.

Run from the repository: ``python benchmarks/bench_start.py [RUNS]`` (default 7). Each
run is a fresh interpreter (imports included, as a player starting the game pays them),
headless, timed from launch until the first frame has been painted (the process says so
on its standard output; its CPU time then is reported too):

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

Measured on the development machine (Python 3.11, two cores), 5 runs each, main on
3 December 2026, load average 1.3:

    bare   wall 0.315 s  1.00x   cpu 0.295 s  1.00x
    menu   wall 0.521 s  1.65x   cpu 0.485 s  1.65x      (target: 1.3x: not met)
    game   wall 1.027 s  3.27x   cpu 0.963 s  3.27x

(earlier, load average 4.6: menu 2.04x, game 4.27x.)

(under a load average of 16 the same run gave menu 1.43x and game 3.25x in CPU time:
ratios taken on a loaded machine flatter us, since the bare app suffers more from it).
Measured with time.process_time inside the process (loaded machine), the menu's imports
now cost about what the bare app's do; the menu's remaining cost is running: Textual
styling and drawing the menu's option list and footer, and parsing our stylesheet.

What the menu no longer pays (this branch): the scenario format, the save format, YAML
and the Markdown parser (imported when a game or a save needs them; tests/tui/
test_start.py checks it), a second parse of the stylesheet for the start-up theme, and an
empty default screen drawn before the menu (the menu is the default screen). The game
still loads, checks and builds the flagship before its first frame: that is most of what
it pays beyond the menu (loading it off the first frame is not done yet).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

BARE = """
import sys, time
from textual.app import App
from textual.widgets import Static

class Bare(App[None]):
    def compose(self):
        yield Static("Hello")
    def on_mount(self):
        self.call_after_refresh(self.painted)
    def painted(self):
        print("painted", time.process_time(), flush=True)
        self.exit()

Bare().run(headless=True)
"""

OURS = """
import sys, time
from brinkmanship.frontends.cli.main import main
import brinkmanship.frontends.tui.app as m

WANT = sys.argv[1]  # the screen asked for: the menu, or the game

async def first_frame(pilot):
    while type(pilot.app.screen).__name__ != WANT:
        await pilot.pause(0.002)
    await pilot.pause()  # that screen painted
    print("painted", time.process_time(), flush=True)
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
    """Seconds from launch to the first frame painted, and the CPU seconds the process
    had used by then (it says when it has painted; what it does after is not counted)."""
    start = time.perf_counter()
    with subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("painted "):
                wall = time.perf_counter() - start
                cpu = float(line.split()[1])
                break
        else:
            raise RuntimeError(f"{cmd[3:]} never painted")
        proc.stdout.read()
        if proc.wait(timeout=120) != 0:
            raise RuntimeError(f"{cmd[3:]} failed")
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
