"""What a complete state graph shows: states that can reach no ending, and loops with no way out."""

from __future__ import annotations

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
    # Iterative Tarjan on the doomed subgraph.
    counter = 0
    num: dict[int, int] = {}
    low: dict[int, int] = {}
    on: set[int] = set()
    stack: list[int] = []
    traps: list[list[int]] = []
    for root in doomed:
        if root in num:
            continue
        work = [(root, 0)]
        while work:
            v, k = work[-1]
            if k == 0:
                num[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on.add(v)
            outs = [w for w in g.edges[v] if w in bad]
            if k < len(outs):
                work[-1] = (v, k + 1)
                w = outs[k]
                if w not in num:
                    work.append((w, 0))
                elif w in on:
                    low[v] = min(low[v], num[w])
                continue
            work.pop()
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
            if low[v] == num[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1 or v in g.edges[v]:
                    traps.append(sorted(comp))
    # Loops among the same scenes (differing only in, say, a counter) are one trap.
    groups: dict[frozenset[str], list[int]] = {}
    for comp in traps:
        groups.setdefault(frozenset(g.place[i] for i in comp), []).extend(comp)
    return bad, sorted((sorted(c) for c in groups.values()), key=min)
