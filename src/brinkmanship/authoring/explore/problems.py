"""What a complete state graph shows: states that can reach no ending, and loops with no way out."""

from __future__ import annotations

from brinkmanship.authoring.cycles import cycles
from brinkmanship.authoring.explore.stategraph import Graph


def find_traps(g: Graph) -> tuple[set[int], list[list[int]]]:
    """States that can reach no ending, and the loops among them (Tarjan's SCCs)."""
    n = len(g.parent)
    back: list[list[int]] = [[] for _ in range(n)]
    for i, outs in enumerate(g.edges):
        for j in outs:
            back[j].append(i)
    can_end = [False] * n
    todo = [i for i in range(n) if g.ending[i]]
    for i in todo:
        can_end[i] = True
    while todo:
        j = todo.pop()
        for i in back[j]:
            if not can_end[i]:
                can_end[i] = True
                todo.append(i)
    doomed = [i for i in range(n) if not can_end[i]]
    bad = set(doomed)
    traps = [sorted(c) for c in cycles(doomed, lambda v: g.edges[v])]
    # Loops among the same scenes (differing only in, say, a counter) are one trap.
    groups: dict[frozenset[str], list[int]] = {}
    for comp in traps:
        groups.setdefault(frozenset(g.place[i] for i in comp), []).extend(comp)
    return bad, sorted((sorted(c) for c in groups.values()), key=min)
