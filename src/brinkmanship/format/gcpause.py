"""Pausing Python's cycle collector while the tools build many small objects.

Loading, the static analysis and the searches make millions of tuples that hold no
reference cycles (reference counting frees them), while every pass of the cycle
collector walks everything alive: on a big scenario those passes were a quarter of
``validate``'s time, growing faster than the scenario. Cycles made meanwhile are still
collected, once the pause ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cycle collection inside (as it was, after; pauses nest)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
