"""A bounded search for scenarios too big to search exhaustively.

When :func:`brinkmanship.authoring.explore.explore_role` hits its bound on states, it can
no longer say what is unreachable, but it can still prove what *is* reachable: every
game this module plays is a real game, under a real seed, so every scene or ending it
enters comes with a (seed, choices) pair that replays exactly. It is an
under-approximation: what it does not find may still be reachable.

Two searches, both breadth first (one turn per layer, so the first path found to a
place is the shortest this search found), starting from ``SEEDS`` seeds:

1. A *diverse beam*: each turn keeps at most ``width`` states per scene, preferring
   states that look new: a coarse key (:func:`~brinkmanship.authoring.statekey.coarse_key_function`)
   not seen before, a variable outside the range seen so far in that scene, an
   abstract state not seen before. Random draws vary from seed to seed, so keeping
   a few copies of one abstract state under different seeds samples its outcomes.
2. A *guided beam* for whatever the first one missed: each turn keeps, for each
   missing place, the states closest to it, by a distance that adds the number of
   steps on the scene graph to the entry's condition (``n_hawks >= 90`` is closer at
   80 than at 40; ``not visited("x")`` is hopeless once x was visited). States that
   approach several missing places are kept once. It is retried wider, under other
   seeds, while places are missing and the budget lasts.

Both stop as soon as every target was found, or after ``budget`` expanded states.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from brinkmanship.authoring.statekey import coarse_key_function, key_function, play_reads
from brinkmanship.format.expr import (
    CALLS,
    CONCRETE,
    FUNCTIONS,
    HOLDS,
    NEGATED,
    BoolOp,
    Compare,
    Compiled,
    Const,
    Name,
    Node,
    Ref,
    build,
)
from brinkmanship.format.names import BOOL, BUILTINS, NUM, TURN_NAMES
from brinkmanship.runtime.engine import Engine, GameState

SEEDS = 16  # games start under seeds 0..SEEDS-1
WIDTH = 8  # states kept per scene and turn by the diverse beam
COPIES = 4  # states kept per abstract state (under different seeds)
GUIDED_WIDTHS = (32, 128)  # states kept per missing place and turn, one round each
ANYWHERE = 2  # the cost, in steps, of a reaction or trigger that can jump anywhere
MAX_EXAMPLES = 10


@dataclass(frozen=True)
class Found:
    """A game that really happens: start under ``seed``, take ``path``."""

    seed: int
    path: list[str]


@dataclass
class Bounded:
    """What the bounded search found for one role."""

    states: int = 0  # states expanded
    found: dict[str, Found] = field(default_factory=dict)  # place -> its first game
    stuck: dict[str, Found] = field(default_factory=dict)  # scene -> a game stuck there
    errors: list[tuple[Found, str, str]] = field(default_factory=list)  # game, choice, error
    error_count: int = 0
    missing: list[str] = field(default_factory=list)  # targets not found
    budget_hit: bool = False


def bounded_search(
    engine: Engine, targets: Iterable[str], budget: int, seeds: int = SEEDS, width: int = WIDTH
) -> Bounded:
    """Play real games of ``engine``'s role until every target place was entered.

    ``targets`` are scene and ending ids; ``budget`` bounds the states expanded.
    """
    search = _Search(engine, [t for t in dict.fromkeys(targets)], budget)
    search.diverse(range(seeds), width)
    rounds = [(w, range(i * seeds, (i + 1) * seeds)) for i, w in enumerate(GUIDED_WIDTHS)]
    for w, round_seeds in rounds:
        if not search.todo() or search.out.budget_hit:
            break
        search.guided(round_seeds, w)
    search.out.missing = search.todo()
    return search.out


# One state in a search: the state, and how it was reached.
Item = tuple[GameState, list[str]]


class _Search:
    def __init__(self, engine: Engine, targets: list[str], budget: int) -> None:
        self.engine = engine
        self.key = key_function(engine)
        self.coarse = coarse_key_function(engine)
        sc = engine.scenario
        self.numbers = [
            v
            for v in sorted(play_reads(engine).names)
            if v in sc.variables and sc.variables[v].type == "number"
        ]
        self.targets = targets
        self.budget = budget
        self.out = Bounded()

    def todo(self) -> list[str]:
        return [t for t in self.targets if t not in self.out.found]

    # -- playing --------------------------------------------------------------

    def _start(self, seeds: Iterable[int]) -> list[Item]:
        frontier: list[Item] = []
        for seed in seeds:
            st = self.engine.start(seed)
            self._note(st, seed, [])
            if not st.over:
                frontier.append((st, []))
        return frontier

    def _note(self, st: GameState, seed: int, path: list[str]) -> None:
        found = self.out.found
        for place in st.visits:
            if place not in found:
                found[place] = Found(seed, path)

    def _expand(self, frontier: list[Item]) -> list[Item] | None:
        """Every state one choice away (None when the budget ran out first)."""
        out = self.out
        engine = self.engine
        nexts: list[Item] = []
        for st, path in frontier:
            if out.states >= self.budget:
                out.budget_hit = True
                return None
            out.states += 1
            choices = engine.available(st)
            if not choices and st.scene not in out.stuck:
                out.stuck[st.scene] = Found(st.seed, path)
            for c in choices:
                try:
                    nxt = engine.step(st, c.id)
                except Exception as exc:  # a scenario must never crash the tools
                    out.error_count += 1
                    if len(out.errors) < MAX_EXAMPLES:
                        out.errors.append(
                            (Found(st.seed, path), c.id, f"{type(exc).__name__}: {exc}")
                        )
                    continue
                np = [*path, c.id]
                self._note(nxt, st.seed, np)
                if not nxt.over:
                    nexts.append((nxt, np))
        return nexts

    # -- the diverse beam -----------------------------------------------------

    def diverse(self, seeds: Iterable[int], width: int) -> None:
        key, coarse = self.key, self.coarse
        kept: set[Any] = set()  # (abstract key, seed) of every state kept
        copies: dict[Any, int] = {}  # abstract key -> states kept
        coarse_seen: dict[Any, int] = {}  # coarse key -> states kept
        ranges: dict[tuple[str, str], tuple[Any, Any]] = {}  # (scene, variable) -> (lo, hi)
        frontier = self._start(seeds)
        while frontier and self.todo():
            nexts = self._expand(frontier)
            if nexts is None:
                return
            by_scene: dict[str, list[tuple[tuple[int, ...], int, Any, Any, Item]]] = {}
            for n, (st, path) in enumerate(nexts):
                k = key(st)
                if (k, st.seed) in kept:
                    continue
                ck = coarse(st)
                record = any(_outside(ranges.get((st.scene, v)), st.vars[v]) for v in self.numbers)
                rank = (
                    ck in coarse_seen,
                    not record,
                    k in copies,
                    coarse_seen.get(ck, 0),
                    copies.get(k, 0),
                )
                by_scene.setdefault(st.scene, []).append((rank, n, k, ck, (st, path)))
            frontier = []
            for group in by_scene.values():
                group.sort(key=lambda g: (g[0], g[1]))
                # First one state per coarse key not seen before, then the best of the rest.
                first: dict[Any, Any] = {}
                for g in group:
                    if g[3] not in coarse_seen and g[3] not in first:
                        first[g[3]] = g
                taken = 0
                for _, _, k, ck, node in [*first.values(), *group]:
                    if taken >= width:
                        break
                    st = node[0]
                    if copies.get(k, 0) >= COPIES or (k, st.seed) in kept:
                        continue
                    taken += 1
                    kept.add((k, st.seed))
                    copies[k] = copies.get(k, 0) + 1
                    coarse_seen[ck] = coarse_seen.get(ck, 0) + 1
                    for v in self.numbers:
                        x = st.vars[v]
                        lo, hi = ranges.get((st.scene, v), (x, x))
                        ranges[(st.scene, v)] = (min(lo, x), max(hi, x))
                    frontier.append(node)

    # -- the guided beam ------------------------------------------------------

    def guided(self, seeds: Iterable[int], width: int) -> None:
        key = self.key
        goals = {t: Goal(self.engine, t) for t in self.todo()}
        per_scene = max(2, width // 8)
        kept: set[Any] = set()
        frontier = self._start(seeds)
        while frontier:
            goals = {t: g for t, g in goals.items() if t not in self.out.found}
            if not goals:
                return
            nexts = self._expand(frontier)
            if nexts is None:
                return
            fresh: list[Item] = []
            for node in nexts:
                k = (key(node[0]), node[0].seed)
                if k not in kept:
                    kept.add(k)
                    fresh.append(node)
            chosen: dict[int, Item] = {}
            for t, goal in goals.items():
                if t in self.out.found:
                    continue
                scored = []
                for n, (st, _) in enumerate(fresh):
                    d = goal.distance(st)
                    if d != INF:
                        scored.append((d, n))
                taken = 0
                scenes: dict[str, int] = {}
                for _, n in heapq.nsmallest(width * 4, scored):
                    if taken >= width:
                        break
                    scene = fresh[n][0].scene
                    if scenes.get(scene, 0) >= per_scene:
                        continue
                    scenes[scene] = scenes.get(scene, 0) + 1
                    taken += 1
                    chosen[n] = fresh[n]
            frontier = [chosen[n] for n in sorted(chosen)]


def _outside(seen: tuple[Any, Any] | None, x: Any) -> bool:
    return seen is None or x < seen[0] or x > seen[1]


# -- how far a state is from a place ------------------------------------------------

INF = float("inf")


class Goal:
    """How far a state is from entering one place (0 when one choice may get there).

    The distance is the number of steps on the scene graph (choices' ``next``; a
    reaction or trigger that can lead anywhere costs ``ANYWHERE``) to a way into the
    place, plus how far the state is from meeting that way's condition.
    """

    def __init__(self, engine: Engine, place: str) -> None:
        sc = engine.scenario
        self.engine = engine
        anywhere = [o.goto for r in engine.reactions for o in r.outcomes if o.goto]
        anywhere += [t.goto for t in engine.triggers if t.goto]
        # A reaction can fire on any turn; a trigger only when the turn ends in a scene.
        self.turns = {s.id for s in sc.scenes.values() if s.choices}
        self.live = {
            s.id
            for s in sc.scenes.values()
            if any(t in sc.scenes for c in s.choices for t in c.targets)
        }
        # entries: (the scene of a choice leading there, or the scenes where a reaction
        # or trigger leading there can fire; the condition)
        entries: list[tuple[str | set[str], Node | None]] = []
        for s in sc.scenes.values():
            for c in s.choices:
                ways: list[tuple[Node | None, str]] = [(r.tree, to) for r, to in c.routes]
                for cond, to in (*ways, (None, c.next)):
                    if to != place:
                        continue
                    both = tuple(x for x in (_tree(c.cond), cond) if x is not None)
                    joined = both[0] if len(both) == 1 else BoolOp("and", both) if both else None
                    entries.append((s.id, joined))
        for r in engine.reactions:
            for o in r.outcomes:
                if o.goto == place:  # the outcome must be possible: its weight above 0
                    drawn: Node = Compare(">", o.weight.tree, Const(0, NUM))
                    conds = [c for c in (_tree(r.cond), _tree(o.cond)) if c is not None]
                    entries.append((self.turns, BoolOp("and", (*conds, drawn)) if conds else drawn))
        entries.extend((self.live, _tree(t.cond)) for t in engine.triggers if t.goto == place)
        self.entries = [
            (where, None if cond is None else build(cond, DISTANCE)) for where, cond in entries
        ]
        self.steps = _steps_to(
            {s for s, _ in entries if isinstance(s, str)}, sc, anywhere, self.live
        )
        self.options = {
            s.id: {"choice": {c.id for c in s.choices}, "stance": {c.stance for c in s.choices}}
            for s in sc.scenes.values()
        }

    def distance(self, st: GameState) -> float:
        best = INF
        for where, cond in self.entries:
            if isinstance(where, str):
                d = self.steps.get((st.scene, where), INF)
                options = None
            else:
                d = 0.0 if st.scene in where else INF
                options = self.options.get(st.scene, {})
            if d == INF:
                continue
            if cond is not None and d < best:
                try:
                    d += truth(cond((st, options))).yes
                except Exception:  # an expression we cannot judge: assume it may hold
                    d += 1.0
            best = min(best, d)
        return best


def _tree(expr: Compiled | None) -> Node | None:
    return None if expr is None else expr.tree


def _steps_to(
    scenes: set[str], sc: Any, anywhere: list[str], live: set[str]
) -> dict[tuple[str, str], float]:
    """(from, to) -> fewest steps on the scene graph, for every ``to`` in ``scenes``."""
    back: dict[str, list[tuple[str, float]]] = {}
    for s in sc.scenes.values():
        for c in s.choices:
            for t in dict.fromkeys(c.targets):
                back.setdefault(t, []).append((s.id, 1.0))
    for g in dict.fromkeys(anywhere):
        back.setdefault(g, []).extend((s, float(ANYWHERE)) for s in sorted(live))
    out: dict[tuple[str, str], float] = {}
    for target in sorted(scenes):
        dist = {target: 0.0}
        heap = [(0.0, target)]
        while heap:
            d, x = heapq.heappop(heap)
            if d > dist.get(x, INF):
                continue
            for y, w in back.get(x, ()):
                if d + w < dist.get(y, INF):
                    dist[y] = d + w
                    heapq.heappush(heap, (d + w, y))
        out.update(((x, target), d) for x, d in dist.items())
    return out


# -- distances to a condition, as a domain of the expression language ------------------
#
# A truth value becomes a pair (how far from true, how far from false): 0 where it
# holds, more the further off, INF where it can never hold again (a counter that only
# grows is already too high, a place already visited). Other values are concrete, with
# a note of whether they only grow and whether they name the choice about to be taken.
# Conditions of reactions and triggers read ``choice`` and ``stance``, which the turn
# about to be played decides: with the scene's options, ``stance == "x"`` holds if some
# choice of the scene has stance x. The evaluator reads (state, options or None).
#
# Every value also keeps its concrete value in the state (``v``), the scene's options
# aside: a truth value used as an operand of a comparison, as in
# ``(stance == "x") == (n > 3)``, is compared as the game reads it, not as the options
# could make it.


@dataclass(frozen=True, slots=True)
class Val:
    v: Any
    grows: bool = False
    can: frozenset[str] | None = None  # for choice/stance under options: what the scene allows


class Truth(NamedTuple):
    """How far from true, how far from false, and the truth value in the state itself."""

    yes: float
    no: float
    v: bool


def truth(x: Val | Truth) -> Truth:
    """A value as (distance to true, distance to false, concrete truth value)."""
    if isinstance(x, Truth):
        return x
    return Truth(0.0, 1.0, True) if x.v else Truth(1.0, 0.0, False)


def _gap(op: str, x: Any, y: Any) -> float:
    """How far ``x op y`` is from holding: 0 if it does, else the gap between the
    numbers (at least 1) over the larger of them, or 1 for texts and truth values."""
    if HOLDS[op](x, y):
        return 0.0
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (x, y)):
        return 1.0
    return float(max(abs(x - y), 1) / max(abs(x), abs(y), 1))


def _one(op: str, a: Val | Truth, b: Val | Truth) -> float:
    """The distance of ``a op b`` from holding."""
    if isinstance(a, Val) and isinstance(b, Val) and op in ("==", "!="):
        for mine, other in ((a, b), (b, a)):
            if mine.can is not None:
                can = mine.can
                return 0.0 if (other.v in can if op == "==" else bool(can - {other.v})) else 1.0
    d = _gap(op, a.v, b.v)
    if d and (
        (op in ("<", "<=") and isinstance(a, Val) and a.grows)
        or (op in (">", ">=") and isinstance(b, Val) and b.grows)
    ):
        return INF
    return d


class Distance:
    """The domain of distances to a condition (see above)."""

    def leaf(self, node: Const | Name | Ref) -> Callable[[Any], Any]:
        concrete = CONCRETE.leaf(node)
        grows = (isinstance(node, Ref) and FUNCTIONS[node.func].grows) or (
            isinstance(node, Name)
            and node.get is not None
            and node.name in BUILTINS
            and BUILTINS[node.name].grows
        )
        if node.type == BOOL:
            far = INF if grows else 1.0
            return lambda env: Truth(0.0, far, True) if concrete(env[0]) else Truth(1.0, 0.0, False)
        if isinstance(node, Name) and node.name in TURN_NAMES and node.get is not None:
            name = node.name
            return lambda env: Val(
                concrete(env[0]), False, None if env[1] is None else frozenset(env[1].get(name, ()))
            )
        return lambda env: Val(concrete(env[0]), grows)

    def unary(self, op: str) -> Callable[[Any], Any]:
        if op == "not":

            def negate(x: Val | Truth) -> Truth:
                t = truth(x)
                return Truth(t.no, t.yes, not t.v)

            return negate
        f = CONCRETE.unary(op)
        return lambda x: Val(f(x.v))

    def binary(self, op: str) -> Callable[[Any, Any], Any]:
        f = CONCRETE.binary(op)
        return lambda a, b: Val(f(a.v, b.v))

    def compare(self, op: str, left: Node, right: Node) -> Callable[[Any, Any], Any]:
        neg = NEGATED[op]
        holds = HOLDS[op]
        return lambda a, b: Truth(_one(op, a, b), _one(neg, a, b), bool(holds(a.v, b.v)))

    def boolean(self, op: str, parts: Sequence[Callable[[Any], Any]]) -> Callable[[Any], Any]:
        fns = list(parts)

        def both(env: Any) -> Truth:
            ts = [truth(f(env)) for f in fns]
            if op == "and":
                return Truth(sum(t.yes for t in ts), min(t.no for t in ts), all(t.v for t in ts))
            return Truth(min(t.yes for t in ts), sum(t.no for t in ts), any(t.v for t in ts))

        return both

    def call(self, func: str) -> Callable[..., Any]:
        f = CALLS[func]
        return lambda *xs: Val(f(*(x.v for x in xs)))

    def choose(
        self, test: Callable[[Any], Any], then: Callable[[Any], Any], other: Callable[[Any], Any]
    ) -> Callable[[Any], Any]:
        # the branch the state itself takes (a truth value keeps its distances)
        return lambda env: then(env) if truth(test(env)).v else other(env)


DISTANCE = Distance()
