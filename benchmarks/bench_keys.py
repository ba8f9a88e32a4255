"""How fast a choice key answers: from the key press to the next scene painted.

Run from the repository: ``python benchmarks/bench_keys.py [PRESSES]`` (default 30).
Headless, 120x40, with Textual's Pilot, in one process:

- ``bare``: a Textual app whose Static shows a new text on each key (the anchor:
  Textual's own press, message and repaint);
- ``game``: the flagship (thirteen-days, as Kennedy); each press is the number of the
  scene's first open choice, timed until the next scene's turn is on the screen and
  painted (the engine's step, the autosave handed to its worker, the views and the
  widgets). A game that ends is started again; the press that ends it is not counted.

It prints the median and the 90th percentile of each, and the game's ratio to the bare
app. The saves go to a temporary folder. Timings are noisy on a loaded machine: run it
a few times and look at the load average it prints.

Measured on the development machine (two cores, shared), 30 presses, the branch's start
(main at faa204f) and its end run one after the other. The figure swings with the load
and from run to run (a turn's work is 25-40 ms of CPU, the bare app's a fraction of one):

    load 0.5-0.6:  before 150.7 / 153.0 ms (1.79x / 1.84x), p90 187.7 / 193.0 ms
                   after  102.5 / 134.4 ms (1.22x / 1.59x), p90 124.1 / 153.7 ms
    load 9-13:     before 170.6 / 174.8 ms (2.04x / 2.11x)
                   after  110.2 / 135.0 ms (1.31x / 1.60x)
    load 0.3, after, three runs: 101.7 / 101.4 / 101.3 ms (1.22x / 1.21x / 1.22x),
                   p90 119.9 / 121.6 / 114.2 ms (1.36-1.43x)
    bare app, always: median 83-85 ms, p90 84-87 ms
    (target 1.3x: met when the machine is calm, most runs; not under load)

How Pilot times a press: after the key it waits in 20 ms steps until one step used less
than 1 ms of CPU, three times over. The bare app costs four steps (84 ms); every further
step that has work in it costs 20 ms more. So what matters is that a turn's work is done
in the first step, in one go. What does that now:

- one layout per turn: widgets that take a new size from a layout do not ask for another
  (sized.OneLayout; Textual's virtual_size reactive asked for a second layout a frame or
  two later whenever the text changed size, every turn), nor does the story's scrollbar
  (which is not painted twice either);
  the choice list decides its scrollbar in the layout its new options ask for;
- nothing a frame later: paragraphs to spare are hidden, not removed; the 'more' mark and
  the advisers' fit are taken after the new scene's layout, and set only when they
  change; a resize that keeps the width does not rewrap the choices;
- less work in the step: paragraphs updated from the parser's tokens (no block widgets
  made to be thrown away); statics whose height stays are repainted without a layout;
  unchanged content and titles are not set again; no OptionHighlighted for a new scene;
  the view no longer replays the game from the last snapshot (the Session keeps the state
  before the last choice);
- no full garbage collection in a turn: Textual leaves what it draws in reference cycles;
  the objects alive once the first scene is shown are frozen, full passes are rarer, and
  one runs a second after a turn (heap.py). It was 13-50 ms in one turn in ten.

What remains: the autosave thread (two fsyncs, a worker's messages: 1-2 ms of CPU) ends
just after the first step, and the second step's CPU sits at 0.5-1.5 ms, on either side
of Pilot's 1 ms: the runs at 1.2x and at 1.6x differ mostly by that; the story pane's
scrollbar appearing or going costs a second layout (the text rewraps one column
narrower); under load the first step's CPU stretches past 40 ms of wall time.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SIZE = (120, 40)


def p90(xs: list[float]) -> float:
    return sorted(xs)[max(0, round(0.9 * len(xs)) - 1)]


async def bare(presses: int) -> list[float]:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        n = 0

        def compose(self) -> ComposeResult:
            yield Static("scene 0", id="s")

        def on_key(self) -> None:
            self.n += 1
            self.query_one("#s", Static).update(f"scene {self.n}")

    out = []
    app = Bare()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for i in range(presses):
            start = time.perf_counter()
            await pilot.press("1")
            while app.n <= i:
                await asyncio.sleep(0)
            await pilot.pause()  # painted
            out.append(time.perf_counter() - start)
    return out


async def game(presses: int) -> list[float]:
    from brinkmanship.format import catalog
    from brinkmanship.format.loader import load_scenario
    from brinkmanship.frontends.tui.app import BrinkApp
    from brinkmanship.frontends.tui.screens.game import GameScreen
    from brinkmanship.runtime.session import Session

    scenario = load_scenario(str(catalog.find(catalog.FLAGSHIP)))
    folder = Path(tempfile.mkdtemp())

    def fresh(seed: int) -> Session:
        return Session.new(scenario, "kennedy", seed)

    app = BrinkApp(folder / "saves", session=fresh(1), data_dir=folder, config_dir=folder)
    out: list[float] = []
    seed = 1
    async with app.run_test(size=SIZE) as pilot:
        await _settled(pilot)
        while len(out) < presses:
            screen: Any = app.screen
            if not isinstance(screen, GameScreen):  # an ending: play again (not timed)
                seed += 1
                app.show_game(fresh(seed))
                await _settled(pilot)
                continue
            session = screen.session
            turn = session.turn
            key = next(str(c.number) for c in screen.choices if c.enabled)
            start = time.perf_counter()
            await pilot.press(key)
            while session.turn == turn:
                await asyncio.sleep(0)
            if session.over:  # the press that ends the game shows the ending: not counted
                await _settled(pilot)
                continue
            await pilot.pause()  # the next scene painted
            out.append(time.perf_counter() - start)
        await app.workers.wait_for_complete()  # the autosaves written
    return out


async def _settled(pilot: Any) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def main() -> None:
    presses = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    with tempfile.TemporaryDirectory() as tmp:
        for var in ("SAVE", "DATA", "CONFIG"):
            os.environ[f"BRINKMANSHIP_{var}_DIR"] = os.path.join(tmp, var.lower())
        b = asyncio.run(bare(presses))
        g = asyncio.run(game(presses))
    print(f"key press to next scene painted, headless {SIZE[0]}x{SIZE[1]}, {presses} presses:")
    bm, b90 = statistics.median(b), p90(b)
    for name, xs in (("bare", b), ("game", g)):
        med, top = statistics.median(xs), p90(xs)
        print(
            f"  {name:5} median {med * 1000:6.1f} ms ({med / bm:4.2f}x)  "
            f"p90 {top * 1000:6.1f} ms ({top / b90:4.2f}x)"
        )
    print(f"  load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
