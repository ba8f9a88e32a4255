"""Shared pieces of the hardening tests: a tiny valid scenario and hostile variants of it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

# A complete, valid scenario in a few lines; tests splice hostile content into it.
MINI = """\
format: 1
id: mini
title: Mini
roles:
  a: {name: Alice, start: s1}
variables:
  tension: {initial: 20, min: 0, max: 100}
scenes:
  s1:
    title: Start
    text: Hello.
    choices:
      - {id: go, text: Go on, stance: hold, next: s2}
      - {id: stop, text: Stop, stance: negotiate, next: done}
  s2:
    text: Again.
    choices:
      - {id: back, text: Back, stance: escalate, effects: {tension: +10}, next: s1}
      - {id: stop, text: Stop, stance: negotiate, next: done}
endings:
  done: {title: Done, outcome: settlement, text: Bye.}
"""

# Every command that loads a scenario, as argv after the scenario path is filled in.
SCENARIO_COMMANDS: dict[str, list[str]] = {
    "validate": ["validate", "{path}"],
    "play": ["play", "{path}", "--plain", "--seed", "1", "--role", "a"],
    "explore": ["explore", "{path}"],
    "playtest": ["playtest", "{path}", "--runs", "5"],
    "graph": ["graph", "{path}"],
    "graph-mermaid": ["graph", "{path}", "--format", "mermaid"],
}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "brinkmanship", *args]


def run_all(
    jobs: dict[str, list[str]], timeout: float = 30, stdin: str = ""
) -> dict[str, subprocess.CompletedProcess[str]]:
    """Run several brinkmanship commands at once (each a subprocess) with one time limit.

    A command still running at the limit is killed and reported with returncode None.
    """
    procs = {
        name: subprocess.Popen(
            command(*argv),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ.copy(),
        )
        for name, argv in jobs.items()
    }
    out: dict[str, subprocess.CompletedProcess[str]] = {}
    deadline = time.monotonic() + timeout
    for name, p in procs.items():
        try:
            so, se = p.communicate(stdin, timeout=max(0.1, deadline - time.monotonic()))
            out[name] = subprocess.CompletedProcess(p.args, p.returncode, so, se)
        except subprocess.TimeoutExpired:
            p.kill()
            so, se = p.communicate()
            out[name] = subprocess.CompletedProcess(p.args, None, so, se)  # type: ignore[arg-type]
    return out


def is_short_error(res: subprocess.CompletedProcess[str], max_lines: int = 6) -> bool:
    """No traceback, and at most a few lines on stderr."""
    return "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) <= max_lines
