"""Exhaustive search of a scenario: every ending's shortest path, dead ends and traps.

For one role we search breadth first over game states, taking every available
choice and, for each, every outcome the other side's random draws can have
(:meth:`Engine.successors`). States are merged by their abstract key
(:mod:`brinkmanship.authoring.statekey`), so loops close and the search ends on any
scenario whose variables are bounded. Breadth-first order makes the first path
found to an ending a shortest one (fewest choices).

When the search is complete we also find the *traps*: states from which no
ending can be reached at all, and among them the loops with no way out
(strongly connected sets of states). When the bound on states is hit, the
report says so and draws no conclusion from what it did not see; a bounded
search (:mod:`brinkmanship.authoring.bounded`) then plays real games, under real
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
from typing import Any

from brinkmanship.authoring.bounded import Bounded, bounded_search
from brinkmanship.authoring.explore.problems import find_traps
from brinkmanship.authoring.explore.stategraph import Graph
from brinkmanship.authoring.statekey import Key, key_function
from brinkmanship.authoring.whencheck import when_headers
from brinkmanship.format.model import Claim, Loc, Scenario
from brinkmanship.format.scenegraph import reachable_places, role_endings
from brinkmanship.runtime.engine import Engine, GameState, TooManyOutcomes

DEFAULT_MAX_STATES = 20_000  # states of the exhaustive search, per role
# A turn whose reactions can end in more different states than this is not enumerated
# (independent reactions multiply): the search follows SAMPLED_SEEDS seeded draws there.
MAX_OUTCOMES = 256
SAMPLED_SEEDS = 8
MAX_EXAMPLES = 10


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
    # claims ('assume') shown in a state where they do not hold: loc -> (claim, path)
    claims_failed: dict[Loc, tuple[Claim, list[str]]] = field(default_factory=dict)
    # format-1 'when' headers the clock disagrees with: scene -> (path, what the clock says)
    when_mismatch: dict[str, tuple[list[str], str]] = field(default_factory=dict)
    # turns whose outcomes were too many to follow (more than MAX_OUTCOMES different
    # states): the search followed the draws of SAMPLED_SEEDS seeds there instead, so it
    # is a sample, never complete
    sampled: int = 0

    @cached_property
    def places(self) -> set[str]:
        """The scenes and endings that belong to this role (its part of the scene graph)."""
        return reachable_places(self.scenario, self.role)

    @property
    def scenes_total(self) -> list[str]:
        static = self.places
        return [s for s in self.scenario.scenes if s in static]

    @cached_property
    def endings_total(self) -> list[str]:
        """This role's endings (:func:`role_endings`)."""
        return role_endings(self.scenario, self.role)

    @property
    def other_endings(self) -> list[str]:
        """Endings that are not this role's (other roles' endings, orphans)."""
        mine = set(self.endings_total)
        return [e for e in self.scenario.endings if e not in mine]

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
            entry["found_by"] = (
                None if found is None else ("search" if found[1] is None else "bounded search")
            )
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
            "sampled_turns": self.sampled,
            "scenes_total": len(total),
            "scenes_reached": sum(1 for s in total if s in found),
            "scenes_unreached": [s for s in total if s not in found],
            "scene_paths": scene_paths,
            "endings": {eid: self._ending_json(eid) for eid in self.endings_total},
            "endings_other_roles": self.other_endings,
            "stuck_states": len(self.stuck),
            "stuck": [
                {"scene": scene, "states": len(ids), "path": g.path(ids[0])}
                for scene, ids in self.stuck_by_scene().items()
            ],
            "errors": [
                {"path": p, "choice": c, "error": m} for p, c, m in self.errors[:MAX_EXAMPLES]
            ],
            "error_count": len(self.errors),
        }
        claims = self.scenario.claims()
        if claims:
            method = "exhaustive search" if self.complete else "incomplete search (a sample)"
            out["assumptions"] = [
                {
                    "at": f"{c.loc[0]}:{c.loc[1]}",
                    "what": c.what,
                    "assume": c.cond.source,
                    # True: proved on every path; False: a path breaks it; None: not known
                    "holds": False
                    if c.loc in self.claims_failed
                    else (True if self.complete and not self.errors else None),
                    "method": method,
                    "path": self.claims_failed[c.loc][1] if c.loc in self.claims_failed else None,
                }
                for c in claims
            ]
        if self.when_mismatch:
            out["when_mismatch"] = [
                {
                    "scene": sid,
                    "when": self.scenario.scenes[sid].when,
                    "clock": said,
                    "path": path,
                }
                for sid, (path, said) in self.when_mismatch.items()
            ]
        if self.traps is None:
            out["traps"] = None
            out["no_exit_states"] = None
        else:
            out["traps"] = [
                {
                    "scenes": sorted({g.place[i] for i in t}),
                    "states": len(t),
                    "path": g.path(min(t)),
                }
                for t in self.traps[:MAX_EXAMPLES]
            ]
            out["trap_count"] = len(self.traps)
            out["no_exit_states"] = self.no_exit
        b = self.bounded
        out["bounded"] = (
            None
            if b is None
            else {
                "states": b.states,
                "budget_hit": b.budget_hit,
                "found": sum(1 for p in self.places if p in b.found and p not in self.reached),
                "not_found": b.missing,
                "stuck": [
                    {"scene": scene, "seed": f.seed, "path": f.path} for scene, f in b.stuck.items()
                ],
                "errors": [
                    {"seed": f.seed, "path": f.path, "choice": c, "error": m}
                    for f, c, m in b.errors
                ],
                "error_count": b.error_count,
            }
        )
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
        return bool(
            self.stuck
            or self.errors
            or self.claims_failed
            or self.traps
            or (b is not None and (b.stuck or b.error_count))
        )


def explore_role(
    scenario: Scenario,
    role: str,
    max_states: int = DEFAULT_MAX_STATES,
    stop: Callable[[RoleResult], bool] | None = None,
    start: GameState | None = None,
    analyse: bool = True,
    bounded: int = 0,
) -> RoleResult:
    """Search every state of ``role``'s game, up to ``max_states`` abstract states.

    ``stop`` (checked after each ending or stuck state is found) ends the search
    early; ``start`` searches from that state instead of the beginning. When the
    bound is hit (and the search was not stopped, nor started elsewhere), a bounded
    search of up to ``bounded`` states looks for the role's scenes and endings not
    yet found.
    """
    engine = Engine(scenario, role, texts=False)  # no verdict needs a text
    key = key_function(engine)
    g = Graph()
    index: dict[Key, int] = {}
    result = RoleResult(role, scenario, False, 0, g, {}, set(), [], [], index=index)
    first_place = result.first_place
    here: list[Any] = [-1, ""]  # the state being expanded and the choice being taken

    def path_here() -> list[str]:
        parent, via = here
        return [*g.path(parent), via] if parent >= 0 else []

    failed = result.claims_failed
    if scenario.claims():

        def on_claim(claim: Claim, st: GameState) -> None:
            if claim.loc not in failed and not claim.cond(st):
                failed[claim.loc] = (claim, path_here())

        engine.watch = on_claim
    headers = when_headers(scenario)
    mismatch = result.when_mismatch
    first = start if start is not None else engine.start(0)

    def add(st: GameState, parent: int, via: str) -> tuple[int, bool]:
        if headers and st.ending is None and st.scene in headers and st.scene not in mismatch:
            wrong = headers[st.scene].disagrees(scenario, st.minutes)
            if wrong is not None:
                mismatch[st.scene] = (path_here(), wrong)
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
            here[:] = [i, c.id]
            try:
                nexts = engine.successors(st, c.id, limit=MAX_OUTCOMES)
            except TooManyOutcomes:
                # too many different outcomes to follow them all: follow the draws of a
                # few seeds (real games), and the search is a sample from here on
                result.sampled += 1
                nexts = []
                for seed in range(SAMPLED_SEEDS):
                    mine = st.copy()
                    mine.seed = seed
                    nexts.append((0.0, engine.take(mine, c)))
            except Exception as exc:  # a scenario must never crash the tools
                result.errors.append((g.path(i), c.id, f"{type(exc).__name__}: {exc}"))
                continue
            for _, nxt in nexts:
                j, new = add(nxt, i, c.id)
                if j not in out:
                    out.append(j)
                if new:
                    queue.append((j, nxt))
    engine.watch = None
    result.states = len(g.parent)
    result.complete = not queue and not stopped and not result.sampled
    if result.complete and analyse:
        result.doomed, result.traps = find_traps(g)
        result.no_exit = len(result.doomed)
    if not result.complete and not stopped and start is None and bounded > 0:
        static = result.places
        todo = [
            p
            for p in (*scenario.scenes, *scenario.endings)
            if p in static and p not in result.reached
        ]
        result.bounded = bounded_search(engine, todo, bounded)
    return result
