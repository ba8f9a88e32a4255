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

Measured on the development machine (two cores), 30 presses, load average 1.5, after the
game screen learned to update its widgets in place:

    bare  median   85.4 ms (1.00x)  p90   88.5 ms (1.00x)
    game  median  152.2 ms (1.78x)  p90  225.8 ms (2.55x)      (target: 1.3x: not met)

(before, load average 3.5: game 211.7 ms median, 2.52x; an idle run of the in-place branch
gave 130.6 ms, 1.56x.)

What changed: paragraphs of scene text are updated in place instead of the Markdown being
reparsed and its blocks remounted; each choice is drawn from Textual's own Content, not a
Rich table; meter bars are a few runs of cells and unchanged meters are skipped; fixed
panels are only updated when their text changed. A press now costs two layouts instead of
three or four. What remains is mostly Textual's own work: a second layout whenever a
widget's size changes (the scene text does every turn), rebuilding the option list with
clear_options/add_options, and the number of widgets to arrange; the bare app's own wait
is about four of Textual's 20 ms idle steps, so 1.3x leaves some 25 ms for a whole turn.
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
