"""Exhaustive search of a scenario: every ending's shortest path, dead ends and traps.

For one role we search breadth first over game states, taking every available
choice and, for each, every outcome the other side's random draws can have
(:meth:`Engine.successors`). States are merged by their abstract key
(:mod:`brinkmanship.tools.statekey`), so loops close and the search ends on any
scenario whose variables are bounded. Breadth-first order makes the first path
found to an ending a shortest one (fewest choices).

When the search is complete we also find the *traps*: states from which no
ending can be reached at all, and among them the loops with no way out
(strongly connected sets of states). When the bound on states is hit, the
report says so and draws no conclusion from what it did not see.

Witnesses: a path found by enumerating random outcomes may need particular
draws. To write a save that ``replay --check`` reproduces, we replay the path
under seeds 0, 1, 2... (up to ``WITNESS_SEEDS``) until one reaches the ending;
if none does, we search again under a few fixed seeds (a seeded breadth-first
search, whose draws are then fixed), and use the first path found.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brinkmanship.engine import Engine, Game, GameState
from brinkmanship.errors import GameError
from brinkmanship.model import Scenario
from brinkmanship.tools.statekey import Key, key_function

DEFAULT_MAX_STATES = 200_000
WITNESS_SEEDS = 2000
SEEDED_SEARCH_SEEDS = 5
SEEDED_SEARCH_STATES = 50_000
MAX_EXAMPLES = 10


def reachable_places(scenario: Scenario, role: str | None = None) -> set[str]:
    """Scenes and endings reachable on the scene graph, ignoring conditions.

    From the start scene of ``role`` (of every role when None): choices' ``next``,
    and the gotos of reactions and triggers that apply to the role, which can
    fire anywhere.
    """
    roles = [role] if role is not None else list(scenario.roles)
    out: set[str] = set()
    for rid in roles:
        anywhere = [o.goto for r in scenario.reactions if not r.roles or rid in r.roles
                    for o in r.outcomes if o.goto]
        anywhere += [t.goto for t in scenario.triggers if (not t.roles or rid in t.roles)
                     and t.goto]
        start = scenario.roles[rid].start
        todo = [start, *anywhere]
        seen = set(todo)
        while todo:
            pid = todo.pop()
            scene = scenario.scenes.get(pid)
            if scene is None:
                continue
            for c in scene.choices:
                if c.next and c.next not in seen:
                    seen.add(c.next)
                    todo.append(c.next)
        out |= seen
    return {p for p in out if p in scenario.scenes or p in scenario.endings}


@dataclass
class Graph:
    """The explored state graph of one role (abstract states, numbered in BFS order)."""

    parent: list[int] = field(default_factory=list)
    via: list[str] = field(default_factory=list)  # the choice that first led here
    place: list[str] = field(default_factory=list)  # scene, or ending id for an ending state
    ending: list[bool] = field(default_factory=list)
    edges: list[list[int]] = field(default_factory=list)

    def path(self, i: int) -> list[str]:
        out = []
        while self.parent[i] >= 0:
            out.append(self.via[i])
            i = self.parent[i]
        out.reverse()
        return out


@dataclass
class RoleResult:
    role: str
    scenario: Scenario
    complete: bool
    states: int
    graph: Graph
    first_ending: dict[str, int]  # ending id -> state index of its first (shortest) arrival
    reached: set[str]  # scenes and endings entered in some explored state
    stuck: list[int]  # states with no available choice
    errors: list[tuple[list[str], str, str]]  # (path, choice, message)
    traps: list[list[int]] | None = None  # loops with no way out (state indices)
    no_exit: int | None = None  # states from which no ending can be reached
    witnesses: dict[str, dict[str, Any]] = field(default_factory=dict)
    index: dict[Key, int] = field(default_factory=dict, repr=False)
    doomed: set[int] = field(default_factory=set, repr=False)

    @property
    def scenes_total(self) -> list[str]:
        static = reachable_places(self.scenario, self.role)
        return [s for s in self.scenario.scenes if s in static]

    def to_json(self) -> dict[str, Any]:
        sc = self.scenario
        g = self.graph
        total = self.scenes_total
        endings: dict[str, Any] = {}
        for eid, e in sc.endings.items():
            i = self.first_ending.get(eid)
            entry: dict[str, Any] = {
                "reachable": i is not None,
                "path": g.path(i) if i is not None else None,
                "turns": len(g.path(i)) if i is not None else None,
                "title": e.title,
                "outcome": e.outcome,
                "lesson": e.lesson or "",
            }
            if eid in self.witnesses:
                entry["witness"] = self.witnesses[eid]
            endings[eid] = entry
        out: dict[str, Any] = {
            "complete": self.complete,
            "states": self.states,
            "scenes_total": len(total),
            "scenes_reached": sum(1 for s in total if s in self.reached),
            "scenes_unreached": [s for s in total if s not in self.reached],
            "endings": endings,
            "stuck_states": len(self.stuck),
            "stuck": [{"scene": scene, "states": len(ids), "path": g.path(ids[0])}
                      for scene, ids in self.stuck_by_scene().items()],
            "errors": [{"path": p, "choice": c, "error": m}
                       for p, c, m in self.errors[:MAX_EXAMPLES]],
            "error_count": len(self.errors),
        }
        if self.traps is None:
            out["traps"] = None
            out["no_exit_states"] = None
        else:
            out["traps"] = [{"scenes": sorted({g.place[i] for i in t}), "states": len(t),
                             "path": g.path(min(t))} for t in self.traps[:MAX_EXAMPLES]]
            out["trap_count"] = len(self.traps)
            out["no_exit_states"] = self.no_exit
        return out

    def stuck_by_scene(self) -> dict[str, list[int]]:
        """Stuck states grouped by scene, each group's first state reached first."""
        out: dict[str, list[int]] = {}
        for i in self.stuck:
            out.setdefault(self.graph.place[i], []).append(i)
        return out

    @property
    def problems(self) -> bool:
        return bool(self.stuck or self.errors or self.traps)


def explore_role(scenario: Scenario, role: str, max_states: int = DEFAULT_MAX_STATES,
                 stop: Callable[[RoleResult], bool] | None = None,
                 start: GameState | None = None, analyse: bool = True) -> RoleResult:
    """Search every state of ``role``'s game, up to ``max_states`` abstract states.

    ``stop`` (checked after each ending or stuck state is found) ends the search
    early; ``start`` searches from that state instead of the beginning.
    """
    engine = Engine(scenario, role)
    key = key_function(engine)
    g = Graph()
    index: dict[Key, int] = {}
    first = start if start is not None else engine.start(0)
    result = RoleResult(role, scenario, False, 0, g, {}, set(), [], [], index=index)

    def add(st: GameState, parent: int, via: str) -> tuple[int, bool]:
        # Places passed through on the way (a diverted 'next') count as reached even
        # when the state they lead to was seen before.
        result.reached.update(st.visits)
        k = key(st)
        i = index.get(k)
        if i is not None:
            return i, False
        i = len(g.parent)
        index[k] = i
        g.parent.append(parent)
        g.via.append(via)
        g.place.append(st.ending if st.ending is not None else st.scene)
        g.ending.append(st.ending is not None)
        g.edges.append([])
        if st.ending is not None and st.ending not in result.first_ending:
            result.first_ending[st.ending] = i
        return i, True

    add(first, -1, "")
    queue: deque[tuple[int, GameState]] = deque([(0, first)])
    stopped = False
    while queue:
        i, st = queue.popleft()
        if st.over:
            if stop is not None and stop(result):
                stopped = True
                break
            continue
        choices = engine.available(st)
        if not choices:
            result.stuck.append(i)
            if stop is not None and stop(result):
                stopped = True
                break
            continue
        if len(g.parent) >= max_states:
            queue.appendleft((i, st))
            break
        out = g.edges[i]
        for c in choices:
            try:
                nexts = engine.successors(st, c.id)
            except Exception as exc:  # a scenario must never crash the tools
                result.errors.append((g.path(i), c.id, f"{type(exc).__name__}: {exc}"))
                continue
            for _, nxt in nexts:
                j, new = add(nxt, i, c.id)
                if j not in out:
                    out.append(j)
                if new:
                    queue.append((j, nxt))
    result.states = len(g.parent)
    result.complete = not queue and not stopped
    if result.complete and analyse:
        _find_traps(result)
    return result


def _find_traps(result: RoleResult) -> None:
    """States that can reach no ending, and the loops among them (Tarjan's SCCs)."""
    g = result.graph
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
    result.no_exit = len(doomed)
    bad = set(doomed)
    result.doomed = bad
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
    result.traps = sorted((sorted(c) for c in groups.values()), key=min)


# -- witnesses ------------------------------------------------------------------


def replay_path(engine: Engine, seed: int, path: list[str]) -> GameState | None:
    """The state after taking ``path`` under ``seed``, or None if a choice is unavailable."""
    st = engine.start(seed)
    for cid in path:
        if st.over:
            return None
        try:
            st = engine.step(st, cid)
        except GameError:
            return None
    return st


def seeded_search(engine: Engine, seed: int, goal: Callable[[GameState], bool],
                  max_states: int = SEEDED_SEARCH_STATES, max_depth: int | None = None,
                  error_goal: Callable[[Exception], bool] | None = None,
                  ) -> tuple[list[str] | None, bool]:
    """The shortest choice list reaching a state where ``goal`` holds, under one seed.

    With ``error_goal``, a choice whose step raises an exception it accepts counts
    as reaching the goal (the choice ends the list). Returns (the list or None,
    whether the search was exhaustive up to ``max_depth``).
    """
    key = key_function(engine)
    st = engine.start(seed)
    if goal(st):
        return [], True
    seen = {(key(st), st.turn)}
    queue: deque[tuple[GameState, list[str]]] = deque([(st, [])])
    while queue:
        if len(seen) >= max_states:
            return None, False
        st, path = queue.popleft()
        if st.over or (max_depth is not None and len(path) >= max_depth):
            continue
        for c in engine.available(st):
            try:
                nxt = engine.step(st, c.id)
            except Exception as exc:  # a scenario must never crash the tools
                if error_goal is not None and error_goal(exc):
                    return [*path, c.id], True
                continue
            k = (key(nxt), nxt.turn)
            if k in seen:
                continue
            seen.add(k)
            if goal(nxt):
                return [*path, c.id], True
            queue.append((nxt, [*path, c.id]))
    return None, True


def find_witness(engine: Engine, ending: str, path: list[str]) -> tuple[int, list[str]] | None:
    """A (seed, choices) pair that really reaches ``ending``."""
    for seed in range(WITNESS_SEEDS):
        st = replay_path(engine, seed, path)
        if st is not None and st.ending == ending:
            return seed, path
    for seed in range(SEEDED_SEARCH_SEEDS):
        found, _ = seeded_search(engine, seed, lambda s: s.ending == ending)
        if found is not None:
            return seed, found
    return None


def write_witnesses(result: RoleResult, directory: Path) -> None:
    """Write a save per reachable ending into ``directory`` (replacing older witnesses)."""
    from brinkmanship.saves import write_save

    engine = Engine(result.scenario, result.role)
    directory.mkdir(parents=True, exist_ok=True)
    for eid, i in sorted(result.first_ending.items()):
        found = find_witness(engine, eid, result.graph.path(i))
        if found is None:
            result.witnesses[eid] = {"file": None, "reason": "no seed found that reaches it"}
            continue
        seed, choices = found
        game = Game(engine, seed, choices)
        name = witness_name(result.role, eid)
        saved = write_save(game, directory, name, overwrite=True)
        result.witnesses[eid] = {"file": str(saved), "seed": seed, "path": choices}


def witness_name(role: str, ending: str) -> str:
    name = f"witness-{role}-{ending}"
    if len(name) > 64:
        import hashlib

        digest = hashlib.sha1(name.encode()).hexdigest()[:8]
        name = f"{name[:55]}-{digest}"
    return name


# -- whole scenario -------------------------------------------------------------


@dataclass
class Report:
    scenario: Scenario
    roles: dict[str, RoleResult]
    max_states: int

    @property
    def complete(self) -> bool:
        return all(r.complete for r in self.roles.values())

    def unreachable_endings(self) -> list[str]:
        got = set().union(*(r.first_ending for r in self.roles.values()))
        return [e for e in self.scenario.endings if e not in got]

    def unreached_scenes(self) -> list[str]:
        got = set().union(*(r.reached for r in self.roles.values()))
        return [s for s in self.scenario.scenes if s not in got]

    def exit_code(self) -> int:
        """0: all good and complete; 1: a problem found; 3: nothing found, search cut short."""
        if any(r.problems for r in self.roles.values()):
            return 1
        all_roles = len(self.roles) == len(self.scenario.roles)
        if all_roles and self.unreachable_endings():
            return 1 if self.complete else 3
        return 0 if self.complete else 3

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario.id,
            "title": self.scenario.title,
            "max_states": self.max_states,
            "complete": self.complete,
            "roles": {rid: r.to_json() for rid, r in self.roles.items()},
            "endings_unreachable": self.unreachable_endings(),
            "scenes_never_reached": self.unreached_scenes(),
            "exit_code": self.exit_code(),
        }


def explore(scenario: Scenario, roles: list[str], max_states: int = DEFAULT_MAX_STATES,
            witness: Path | None = None) -> Report:
    out = {}
    for role in roles:
        r = explore_role(scenario, role, max_states)
        if witness is not None:
            write_witnesses(r, witness)
        out[role] = r
    return Report(scenario, out, max_states)


def render_text(report: Report) -> str:
    sc = report.scenario
    lines = [f"Exploring {sc.title} ({sc.id}), at most {report.max_states} states per role"]
    for rid, r in report.roles.items():
        g = r.graph
        role = sc.roles[rid]
        lines.append("")
        state = "complete" if r.complete else (
            f"INCOMPLETE: stopped at the bound of {report.max_states} states "
            "(raise --max-states); what was not seen is not reported")
        lines.append(f"Role {rid} ({role.name}): {r.states} states, {state}")
        total = r.scenes_total
        unreached = [s for s in total if s not in r.reached]
        lines.append(f"  scenes reached: {len(total) - len(unreached)}/{len(total)}"
                     + (f"; never reached: {', '.join(unreached)}" if unreached else ""))
        lines.append("  endings:")
        width = max((len(e) for e in sc.endings), default=0)
        for eid, e in sc.endings.items():
            i = r.first_ending.get(eid)
            if i is None:
                why = "not reachable" if r.complete else "not found (search incomplete)"
                lines.append(f"    {eid:<{width}}  {why}")
                continue
            path = g.path(i)
            lines.append(f"    {eid:<{width}}  {e.outcome}, {len(path)} "
                         f"turn{'' if len(path) == 1 else 's'}: "
                         + (" > ".join(path) or "(at the start)"))
            w = r.witnesses.get(eid)
            if w is not None:
                lines.append(f"    {'':<{width}}  witness: {w['file'] or w['reason']}")
        if r.stuck:
            lines.append(f"  stuck states (no choice available): {len(r.stuck)}")
            for scene, ids in r.stuck_by_scene().items():
                lines.append(f"    in {scene} ({len(ids)} states), first after: "
                             + (" > ".join(g.path(ids[0])) or "-"))
        else:
            lines.append("  stuck states: none")
        if r.traps is None:
            lines.append("  loops with no way out: not checked (search incomplete)")
        elif r.traps:
            lines.append(f"  loops with no way out: {len(r.traps)} ({r.no_exit} states can "
                         "reach no ending)")
            for t in r.traps[:MAX_EXAMPLES]:
                scenes = sorted({g.place[i] for i in t})
                lines.append(f"    among {', '.join(scenes)}; first entered after: "
                             + (" > ".join(g.path(min(t))) or "-"))
        else:
            lines.append("  loops with no way out: none")
        if r.errors:
            lines.append(f"  runtime errors: {len(r.errors)}")
            for p, c, m in r.errors[:MAX_EXAMPLES]:
                lines.append(f"    choice {c} after " + (" > ".join(p) or "-") + f": {m}")
    lines.append("")
    never = report.unreachable_endings()
    if never:
        lines.append(("Endings no role reaches: " if report.complete else
                      "Endings not found (search incomplete): ") + ", ".join(never))
    else:
        lines.append("Every ending is reachable.")
    scenes = report.unreached_scenes()
    if scenes and len(report.roles) == len(sc.roles):
        lines.append("Scenes no role reaches: " + ", ".join(scenes))
    code = report.exit_code()
    lines.append({0: "Result: no problems found.", 1: "Result: problems found (exit 1).",
                  3: "Result: no problems found so far, but the search was cut short "
                     "(exit 3)."}[code])
    return "\n".join(lines)
