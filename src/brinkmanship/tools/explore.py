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
report says so and draws no conclusion from what it did not see; a bounded
search (:mod:`brinkmanship.tools.bounded`) then plays real games, under real
seeds, to find what is reachable in practice: each scene or ending it finds
comes with a seed and choices that replay. What neither search finds is "not
found", never "unreachable".

Only the scenes and endings that belong to a role count for it: those on its
part of the scene graph (:func:`reachable_places`).

Witnesses: a path found by the bounded search replays under the seed it was
found with. A path found by enumerating random outcomes may need particular
draws: to write a save that ``replay --check`` reproduces, we replay the path
under seeds 0, 1, 2... (up to ``WITNESS_SEEDS``) until one reaches the ending;
if none does, we search again (a bounded search for that ending, then a seeded
breadth-first search under a few fixed seeds), and use the first path found.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from brinkmanship.engine import Engine, Game, GameState
from brinkmanship.errors import GameError
from brinkmanship.model import Scenario
from brinkmanship.tools.bounded import Bounded, bounded_search
from brinkmanship.tools.statekey import Key, key_function

DEFAULT_MAX_STATES = 20_000  # states of the exhaustive search, per role
DEFAULT_BOUNDED = 50_000  # states the bounded search may expand, per role, when it runs
WITNESS_SEEDS = 2000
SEEDED_SEARCH_SEEDS = 5
SEEDED_SEARCH_STATES = 50_000
WITNESS_SEARCH_STATES = 20_000
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
    # place -> (state it was first entered from, or -1 at the start; the choice taken)
    first_place: dict[str, tuple[int, str]] = field(default_factory=dict, repr=False)
    bounded: Bounded | None = None  # the bounded search, when the bound was hit

    @cached_property
    def places(self) -> set[str]:
        """The scenes and endings that belong to this role (its part of the scene graph)."""
        return reachable_places(self.scenario, self.role)

    @property
    def scenes_total(self) -> list[str]:
        static = self.places
        return [s for s in self.scenario.scenes if s in static]

    @property
    def endings_total(self) -> list[str]:
        static = self.places
        return [e for e in self.scenario.endings if e in static]

    @property
    def other_endings(self) -> list[str]:
        """Endings on no way open to this role (other roles' endings, orphans)."""
        static = self.places
        return [e for e in self.scenario.endings if e not in static]

    @property
    def found(self) -> set[str]:
        """Scenes and endings entered in some game, by either search."""
        if self.bounded is None:
            return set(self.reached)
        return self.reached | set(self.bounded.found)

    def path_to(self, place: str) -> tuple[list[str], int | None] | None:
        """The shortest choices found that enter ``place``, and the seed they need.

        The seed is None for a path of the exhaustive search (it holds for some
        draws; :func:`find_witness` finds a seed); the bounded search gives one.
        """
        i = self.first_ending.get(place)
        if i is not None:
            return self.graph.path(i), None
        first = self.first_place.get(place)
        if first is not None:
            parent, via = first
            return ([*self.graph.path(parent), via] if parent >= 0 else []), None
        if self.bounded is not None and place in self.bounded.found:
            f = self.bounded.found[place]
            return list(f.path), f.seed
        return None

    def _ending_json(self, eid: str) -> dict[str, Any]:
        e = self.scenario.endings[eid]
        found = self.path_to(eid) if eid in self.found else None
        entry: dict[str, Any] = {
            "reachable": found is not None,
            "path": found[0] if found else None,
            "turns": len(found[0]) if found else None,
            "title": e.title,
            "outcome": e.outcome,
            "lesson": e.lesson or "",
        }
        if not self.complete:  # say how it was found, or that it was not
            entry["found_by"] = None if found is None else (
                "search" if found[1] is None else "bounded search")
            if found is not None and found[1] is not None:
                entry["seed"] = found[1]
        if eid in self.witnesses:
            entry["witness"] = self.witnesses[eid]
        return entry

    def to_json(self) -> dict[str, Any]:
        g = self.graph
        total = self.scenes_total
        found = self.found
        scene_paths: dict[str, Any] = {}
        for sid in total:
            hit = self.path_to(sid) if sid in found else None
            if hit is not None:
                scene_paths[sid] = {"path": hit[0], "seed": hit[1]}
        out: dict[str, Any] = {
            "complete": self.complete,
            "states": self.states,
            "scenes_total": len(total),
            "scenes_reached": sum(1 for s in total if s in found),
            "scenes_unreached": [s for s in total if s not in found],
            "scene_paths": scene_paths,
            "endings": {eid: self._ending_json(eid) for eid in self.endings_total},
            "endings_other_roles": self.other_endings,
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
        b = self.bounded
        out["bounded"] = None if b is None else {
            "states": b.states,
            "budget_hit": b.budget_hit,
            "found": sum(1 for p in self.places if p in b.found and p not in self.reached),
            "not_found": b.missing,
            "stuck": [{"scene": scene, "seed": f.seed, "path": f.path}
                      for scene, f in b.stuck.items()],
            "errors": [{"seed": f.seed, "path": f.path, "choice": c, "error": m}
                       for f, c, m in b.errors],
            "error_count": b.error_count,
        }
        return out

    def stuck_by_scene(self) -> dict[str, list[int]]:
        """Stuck states grouped by scene, each group's first state reached first."""
        out: dict[str, list[int]] = {}
        for i in self.stuck:
            out.setdefault(self.graph.place[i], []).append(i)
        return out

    @property
    def problems(self) -> bool:
        b = self.bounded
        return bool(self.stuck or self.errors or self.traps
                    or (b is not None and (b.stuck or b.error_count)))


def explore_role(scenario: Scenario, role: str, max_states: int = DEFAULT_MAX_STATES,
                 stop: Callable[[RoleResult], bool] | None = None,
                 start: GameState | None = None, analyse: bool = True,
                 bounded: int = 0) -> RoleResult:
    """Search every state of ``role``'s game, up to ``max_states`` abstract states.

    ``stop`` (checked after each ending or stuck state is found) ends the search
    early; ``start`` searches from that state instead of the beginning. When the
    bound is hit (and the search was not stopped, nor started elsewhere), a bounded
    search of up to ``bounded`` states looks for the role's scenes and endings not
    yet found.
    """
    engine = Engine(scenario, role)
    key = key_function(engine)
    g = Graph()
    index: dict[Key, int] = {}
    first = start if start is not None else engine.start(0)
    result = RoleResult(role, scenario, False, 0, g, {}, set(), [], [], index=index)
    first_place = result.first_place

    def add(st: GameState, parent: int, via: str) -> tuple[int, bool]:
        # Places passed through on the way (a diverted 'next') count as reached even
        # when the state they lead to was seen before.
        for place in st.visits:
            if place not in result.reached:
                result.reached.add(place)
                first_place[place] = (parent, via)
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
    if not result.complete and not stopped and start is None and bounded > 0:
        static = result.places
        todo = [p for p in (*scenario.scenes, *scenario.endings)
                if p in static and p not in result.reached]
        result.bounded = bounded_search(engine, todo, bounded)
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


def find_witness(engine: Engine, place: str, path: list[str],
                 seed: int | None = None) -> tuple[int, list[str]] | None:
    """A (seed, choices) pair that really reaches ``place`` (a scene or an ending).

    ``path`` is tried under ``seed`` when given, then under seeds 0, 1, 2...; failing
    that, a bounded search for the place under a few seeds, then a seeded search.
    """
    seeds = range(WITNESS_SEEDS) if seed is None else [seed, *range(WITNESS_SEEDS)]
    for s in seeds:
        st = replay_path(engine, s, path)
        if st is not None and place in st.visits:
            return s, path
    guided = bounded_search(engine, [place], WITNESS_SEARCH_STATES)
    if place in guided.found:
        f = guided.found[place]
        return f.seed, list(f.path)
    for s in range(SEEDED_SEARCH_SEEDS):
        found, _ = seeded_search(engine, s, lambda st: place in st.visits)
        if found is not None:
            return s, found
    return None


def write_witnesses(result: RoleResult, directory: Path) -> None:
    """Write a save per reachable ending into ``directory`` (replacing older witnesses)."""
    from brinkmanship.saves import write_save

    engine = Engine(result.scenario, result.role)
    directory.mkdir(parents=True, exist_ok=True)
    for eid in sorted(result.found & set(result.scenario.endings)):
        hit = result.path_to(eid)
        assert hit is not None
        found = find_witness(engine, eid, *hit)
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
    bounded: int = 0

    @property
    def complete(self) -> bool:
        return all(r.complete for r in self.roles.values())

    def unreachable_endings(self) -> list[str]:
        """Endings no role was found to reach (not found, when the search was incomplete).

        With only some roles explored, only the endings that belong to them count.
        """
        got = set().union(*(r.found for r in self.roles.values()))
        if len(self.roles) == len(self.scenario.roles):
            mine = set(self.scenario.endings)
        else:
            mine = set().union(*(r.places for r in self.roles.values()))
        return [e for e in self.scenario.endings if e in mine and e not in got]

    def unreached_scenes(self) -> list[str]:
        got = set().union(*(r.found for r in self.roles.values()))
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
            "bounded_states": self.bounded,
            "complete": self.complete,
            "roles": {rid: r.to_json() for rid, r in self.roles.items()},
            "endings_unreachable": self.unreachable_endings(),
            "scenes_never_reached": self.unreached_scenes(),
            "exit_code": self.exit_code(),
        }


def explore(scenario: Scenario, roles: list[str], max_states: int = DEFAULT_MAX_STATES,
            witness: Path | None = None, bounded: int = DEFAULT_BOUNDED) -> Report:
    """Explore each role: exhaustively up to ``max_states`` states, then (if that was
    not enough) by a bounded search of up to ``bounded`` states (0: none)."""
    out = {}
    for role in roles:
        r = explore_role(scenario, role, max_states, bounded=bounded)
        if witness is not None:
            write_witnesses(r, witness)
        out[role] = r
    return Report(scenario, out, max_states, bounded)


def _path(path: list[str]) -> str:
    return " > ".join(path) or "(at the start)"


def _turns(n: int) -> str:
    return f"{n} turn{'' if n == 1 else 's'}"


def render_text(report: Report) -> str:
    sc = report.scenario
    lines = [f"Exploring {sc.title} ({sc.id}), at most {report.max_states} states per role"]
    for rid, r in report.roles.items():
        g = r.graph
        b = r.bounded
        role = sc.roles[rid]
        lines.append("")
        if r.complete:
            state = "complete"
        else:
            state = (f"INCOMPLETE: stopped at the bound of {report.max_states} states "
                     "(raise --max-states)")
            state += ("; what was not seen is not reported" if b is None else
                      "; what neither search found is reported as not found, not as "
                      "unreachable")
        lines.append(f"Role {rid} ({role.name}): {r.states} states, {state}")
        if b is not None:
            mine = r.places
            extra = sum(1 for p in mine if p in b.found and p not in r.reached)
            lines.append(f"  bounded search: {b.states} states of real games"
                         + (f" (stopped at its bound of {report.bounded}; raise --bounded)"
                            if b.budget_hit else "")
                         + (f"; it found {extra} more of this role's scenes and endings, "
                            "each with a seed that replays it" if extra else
                            "; it found nothing the exhaustive search had not"))
        total = r.scenes_total
        found = r.found
        unreached = [s for s in total if s not in found]
        never = "never reached" if r.complete else "not found"
        lines.append(f"  scenes reached: {len(total) - len(unreached)}/{len(total)}"
                     + (f"; {never}: {', '.join(unreached)}" if unreached else ""))
        mine_endings = r.endings_total
        others = r.other_endings
        if others:
            rest = "one is" if len(others) == 1 else f"{len(others)} are"
            lines.append(f"  endings ({len(mine_endings)} of {len(sc.endings)}; the other "
                         f"{rest} not on this role's part of the scene graph):")
        else:
            lines.append("  endings:")
        width = max((len(e) for e in mine_endings), default=0)
        for eid in mine_endings:
            e = sc.endings[eid]
            hit = r.path_to(eid) if eid in found else None
            if hit is None:
                why = "not reachable" if r.complete else "not found (search incomplete)"
                lines.append(f"    {eid:<{width}}  {why}")
                continue
            path, seed = hit
            how = "" if seed is None else f" (found by bounded search, seed {seed})"
            lines.append(f"    {eid:<{width}}  {e.outcome}, {_turns(len(path))}{how}: "
                         + _path(path))
            w = r.witnesses.get(eid)
            if w is not None:
                lines.append(f"    {'':<{width}}  witness: {w['file'] or w['reason']}")
        stuck_b = b.stuck if b is not None else {}
        if r.stuck or stuck_b:
            counts = [str(len(r.stuck))] if r.stuck else []
            if stuck_b:
                counts.append(f"in {len(stuck_b)} scene{'' if len(stuck_b) == 1 else 's'}, "
                              "found by the bounded search")
            lines.append("  stuck states (no choice available): " + "; and ".join(counts))
            for scene, ids in r.stuck_by_scene().items():
                lines.append(f"    in {scene} ({len(ids)} states), first after: "
                             + (" > ".join(g.path(ids[0])) or "-"))
            for scene, f in stuck_b.items():
                lines.append(f"    in {scene}, seed {f.seed}, after: " + _path(f.path))
        else:
            lines.append("  stuck states: none" + ("" if r.complete else " found"))
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
        errors = len(r.errors) + (b.error_count if b is not None else 0)
        if errors:
            lines.append(f"  runtime errors: {errors}")
            for p, c, m in r.errors[:MAX_EXAMPLES]:
                lines.append(f"    choice {c} after " + (" > ".join(p) or "-") + f": {m}")
            for f, c, m in (b.errors if b is not None else []):
                lines.append(f"    choice {c} after " + (" > ".join(f.path) or "-")
                             + f" (seed {f.seed}): {m}")
    lines.append("")
    never_found = report.unreachable_endings()
    by_bounded = any(r.bounded is not None and set(r.bounded.found) - r.reached
                     for r in report.roles.values())
    if never_found:
        lines.append(("Endings no role reaches: " if report.complete else
                      "Endings not found (search incomplete): ") + ", ".join(never_found))
    elif report.complete:
        lines.append("Every ending is reachable.")
    else:
        lines.append("Every ending was found reachable"
                     + (" (some by the bounded search)." if by_bounded else "."))
    scenes = report.unreached_scenes()
    if scenes and len(report.roles) == len(sc.roles):
        lines.append(("Scenes no role reaches: " if report.complete else
                      "Scenes not found (search incomplete): ") + ", ".join(scenes))
    code = report.exit_code()
    lines.append({0: "Result: no problems found.", 1: "Result: problems found (exit 1).",
                  3: "Result: no problems found so far, but the exhaustive search was cut "
                     "short, so loops with no way out were not checked (exit 3)."}[code])
    return "\n".join(lines)
