"""Python's garbage collector, for a game that must answer a key at once.

Textual leaves much of what it draws in reference cycles (a strip that caches itself),
so every turn makes a few thousand objects that only the cycle collector frees. A full
collection walks every object alive: with the ~100,000 the game lives on, 20 to 50 ms
in the middle of one turn in ten (measured with ``benchmarks/bench_keys.py``). So once
the first scene is on the screen, what is alive then is left out of later passes
(``gc.freeze``), full passes become rarer, and the game screen runs one itself while the
player reads (a second after a turn, unless a key came first).
"""

from __future__ import annotations

import gc

from textual.dom import DOMNode
from textual.timer import Timer

FULL_EVERY = 100  # young passes between two full ones (CPython's default: 10)
QUIET = 1.0  # seconds after a turn before a full collection

_settled = False
_timer: Timer | None = None


def settle() -> None:
    """Freeze what is alive now and make full collections rarer (once a process).

    Nothing is collected first (that pause would come at once); what little garbage
    start-up left is kept."""
    global _settled
    if _settled:
        return
    _settled = True
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_EVERY)


def collect_when_quiet(node: DOMNode) -> None:
    """A full collection ``QUIET`` seconds from now, unless this is called again first
    (from any screen: a new game's turns put off the last game's collection too)."""
    global _timer
    if _timer is not None:
        _timer.stop()
    _timer = node.set_timer(QUIET, gc.collect)
