"""How quick a scenario at the size limit is: loading it and starting a game.

Run from the repository: ``python benchmarks/bench_limits.py``. It writes a scenario
just under the value limit (``BRINKMANSHIP_MAX_VALUES``, default 200,000; the flagship
has about 15,000), then times, in a fresh process each:

- loading and checking it (``load_scenario``);
- ``brinkmanship play FILE --plain --role a`` up to the first scene (target: < 2 s);

Anchor: a plain ``yaml.CSafeLoader`` parse of the same file.

Measured on the development machine (2 cores, shared with other work): 199,9xx values,
199,906 values: anchor 1.28 s, load and check 1.27 s, play start 1.29 s. (The old limit
of 500,000 values a file and 1,000,000 a scenario allowed files that took 6.5 s to start.)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from brinkmanship.format.yamlsrc import MAX_VALUES, Limits, parse_yaml

VALUES_PER_SCENE = 40  # what scene() below writes, give or take


def scene(i: int, scenes: int) -> list[str]:
    nxt = f"s{(i + 1) % scenes}"
    return [
        f"  s{i}:",
        f"    title: Day {i}",
        "    text:",
        f"      - Morning {i} brings news from the border.",
        "      - {if: tension > 50, text: The generals want an answer.}",
        "    choices:",
        f"      - {{id: up{i}, text: Press, stance: escalate, effects: {{tension: +3}}, "
        f"next: {nxt}}}",
        f"      - {{id: down{i}, text: Ease, stance: negotiate, effects: {{tension: -2}}, "
        f"next: {nxt}}}",
        f"      - {{id: stop{i}, text: Stop, stance: negotiate, if: tension < 10, next: done}}",
    ]


def write(path: Path, scenes: int) -> None:
    lines = [
        "format: 1",
        "id: big",
        "title: Big",
        "roles:",
        "  a: {name: Alice, start: s0}",
        "variables:",
        "  tension: {initial: 20, min: 0, max: 100}",
        "scenes:",
    ]
    for i in range(scenes):
        lines += scene(i, scenes)
    lines += ["endings:", "  done: {title: Done, outcome: settlement, text: Over.}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def values(path: Path) -> int:
    lots = Limits(max_nodes=10**8, max_total_nodes=10**8)
    return parse_yaml(path.read_text(encoding="utf-8"), str(path), lots).size


def timed(args: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, stdin=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.yaml"
        scenes = MAX_VALUES // VALUES_PER_SCENE
        write(path, scenes)
        while values(path) > MAX_VALUES:
            scenes = scenes * MAX_VALUES // values(path) - 1
            write(path, scenes)
        n = values(path)
        t = time.perf_counter()
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        anchor = time.perf_counter() - t
        print(f"scenario: {scenes} scenes, {n} values (limit {MAX_VALUES})")
        print(f"anchor: CSafeLoader parse             {anchor:6.2f} s")
        load = timed(
            [
                sys.executable,
                "-c",
                "import sys; from brinkmanship.format.loader import load_scenario; "
                "load_scenario(sys.argv[1])",
                str(path),
            ]
        )
        print(f"load and check (fresh process)        {load:6.2f} s")
        env = {**os.environ, "BRINKMANSHIP_SAVE_DIR": str(Path(tmp) / "saves")}
        t = time.perf_counter()
        shown = subprocess.run(
            [sys.executable, "-m", "brinkmanship", "play", str(path), "--plain", "--role", "a"],
            check=False,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            env=env,
        ).stdout
        start = time.perf_counter() - t
        if "Morning 0 brings news" not in shown:
            raise SystemExit(f"the game did not start:\n{shown}")
        print(f"play --plain up to the first scene    {start:6.2f} s  (< 2 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
