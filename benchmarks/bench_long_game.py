"""How a 10,000-turn game behaves: load it and make one move, check its replay, memory.

Run from the repository: ``python benchmarks/bench_long_game.py [SCENES] [TURNS]``
(defaults 5000 and 10000, the largest legal game). It writes a scenario of SCENES
scenes in a ring to a temporary folder, plays TURNS moves, saves the game, and then
times, each in a fresh process-like step:

- ``play --load`` + one move: reading the save, replaying it, taking a move and
  autosaving (target: under 1 s);
- ``replay --check``: reading the save and checking every turn (target: under 2 s);
- the peak memory of the whole run (``ru_maxrss``; target: under 200 MB).

Anchor: a plain ``yaml.CSafeLoader`` parse of the same save file.

Measured on the development machine (2 cores, shared with other work), 5000 scenes,
9,999 turns: anchor 1.47 s; load + one move + autosave 1.25 s; replay check 1.20 s;
peak memory 204 MB (three sessions of the same long game alive in one process). Saves
as the game writes them are read line by line (one JSON value per line), not by the
position-keeping YAML parser, which took 2.0 s for the same file.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from brinkmanship.format.loader import load_scenario
from brinkmanship.runtime import savefile
from brinkmanship.runtime.resume import resume
from brinkmanship.runtime.session import Session
from brinkmanship.runtime.store import SaveStore


def ring(scenes: int) -> str:
    lines = [
        "format: 1",
        "id: ring",
        "title: Ring",
        "roles:",
        "  a: {name: Alice, start: s0}",
        "variables:",
        "  tension: {initial: 20, min: 0, max: 100}",
        "scenes:",
    ]
    for i in range(scenes):
        nxt = f"s{(i + 1) % scenes}"
        lines += [
            f"  s{i}:",
            f"    text: Scene {i}.",
            "    choices:",
            f"      - {{id: up{i}, text: Press, stance: escalate, effects: {{tension: +1}}, "
            f"next: {nxt}}}",
            f"      - {{id: down{i}, text: Ease, stance: negotiate, effects: {{tension: -1}}, "
            f"next: {nxt}}}",
            f"      - {{id: stop{i}, text: Stop, stance: negotiate, next: done}}",
        ]
    lines += ["endings:", "  done: {title: Done, outcome: settlement, text: Over.}"]
    return "\n".join(lines) + "\n"


def _child(step: str, scenario: str, save: str, saves: str) -> int:
    """One step in a fresh process, as a player's ``play --load`` or ``replay --check``."""
    t0 = time.perf_counter()
    sc = load_scenario(scenario)
    t = time.perf_counter()
    got = resume(savefile.read(save), sc)
    if step == "move":
        here = int(got.session.state.scene[1:])
        got.session.take(f"up{here}")
        SaveStore(Path(saves)).autosave(got.session)
    elif not got.ok:
        print("DIVERGES")
    end = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{end - t:.3f} {end - t0:.3f} {peak:.0f}")
    return 0


def _run(step: str, *args: str) -> tuple[float, float, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", step, *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    if "DIVERGES" in out:
        raise SystemExit("the replay diverges")
    game, total, peak = (float(x) for x in out[-3:])
    return game, total, peak


def main() -> int:
    if sys.argv[1:2] == ["--child"]:
        return _child(*sys.argv[2:6])
    scenes = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    turns = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ring.yaml"
        path.write_text(ring(scenes))
        t = time.perf_counter()
        sc = load_scenario(str(path))
        print(f"load scenario ({scenes} scenes)          {time.perf_counter() - t:6.2f} s")
        s = Session(sc, "a", 7)
        for i in range(turns - 1):
            here = int(s.state.scene[1:])
            s.take(f"up{here}" if i % 3 else f"down{here}")
        saves = Path(tmp) / "saves"
        saved = SaveStore(saves).write(s, "long")
        t = time.perf_counter()
        yaml.load(saved.read_text(), Loader=yaml.CSafeLoader)
        anchor = time.perf_counter() - t
        print(f"anchor: CSafeLoader parse of the save     {anchor:6.2f} s")
        args = (str(path), str(saved), str(saves))
        game, total, peak = _run("move", *args)
        print(
            f"play --load + one move + autosave         {game:6.2f} s  (< 1 s; "
            f"{total:.2f} s with the scenario), peak {peak:.0f} MB (< 200 MB)"
        )
        game, total, peak = _run("check", *args)
        print(
            f"replay --check ({turns - 1} turns)            {game:6.2f} s  (< 2 s; "
            f"{total:.2f} s with the scenario), peak {peak:.0f} MB (< 200 MB)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
