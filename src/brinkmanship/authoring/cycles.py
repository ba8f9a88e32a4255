"""Loops in a directed graph: its strongly connected sets (Tarjan's algorithm, iteratively,
so a long chain of scenes or states cannot overflow the stack)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T", bound=Hashable)


def cycles(nodes: Iterable[T], succ: Callable[[T], Iterable[T]]) -> list[list[T]]:
    """The strongly connected sets of the graph that ``nodes`` induce (edges to other
    nodes are ignored) that hold a cycle: more than one node, or one with an edge to
    itself."""
    order = list(nodes)
    inside = set(order)
    index: dict[T, int] = {}
    low: dict[T, int] = {}
    stack: list[T] = []
    on: set[T] = set()
    found: list[list[T]] = []

    def enter(v: T) -> tuple[T, Iterator[T]]:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        return v, iter(succ(v))

    for root in order:
        if root in index:
            continue
        work = [enter(root)]
        while work:
            v, it = work[-1]
            for w in it:
                if w not in inside:
                    continue
                if w not in index:
                    work.append(enter(w))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    u = work[-1][0]
                    low[u] = min(low[u], low[v])
                if low[v] == index[v]:
                    comp: list[T] = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1 or any(w == v for w in succ(v)):
                        found.append(comp)
    return found
