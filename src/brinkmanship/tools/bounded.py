"""A bounded search for scenarios too big to search exhaustively.

When :func:`brinkmanship.tools.explore.explore_role` hits its bound on states, it can
no longer say what is unreachable, but it can still prove what *is* reachable: every
game this module plays is a real game, under a real seed, so every scene or ending it
enters comes with a (seed, choices) pair that replays exactly. It is an
under-approximation: what it does not find may still be reachable.

Two searches, both breadth first (one turn per layer, so the first path found to a
place is the shortest this search found), starting from ``SEEDS`` seeds:

1. A *diverse beam*: each turn keeps at most ``width`` states per scene, preferring
   states that look new: a coarse key (:func:`~brinkmanship.tools.statekey.coarse_key_function`)
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

import ast
import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from brinkmanship.engine import Engine, GameState
from brinkmanship.expr import Compiled
from brinkmanship.tools.statekey import coarse_key_function, key_function, play_reads

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


def bounded_search(engine: Engine, targets: Iterable[str], budget: int,
                   seeds: int = SEEDS, width: int = WIDTH) -> Bounded:
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
Node = tuple[GameState, list[str]]


class _Search:
    def __init__(self, engine: Engine, targets: list[str], budget: int) -> None:
        self.engine = engine
        self.key = key_function(engine)
        self.coarse = coarse_key_function(engine)
        sc = engine.scenario
        self.numbers = [v for v in sorted(play_reads(engine).names)
                        if v in sc.variables and sc.variables[v].type == "number"]
        self.targets = targets
        self.budget = budget
        self.out = Bounded()

    def todo(self) -> list[str]:
        return [t for t in self.targets if t not in self.out.found]

    # -- playing --------------------------------------------------------------

    def _start(self, seeds: Iterable[int]) -> list[Node]:
        frontier = []
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

    def _expand(self, frontier: list[Node]) -> list[Node] | None:
        """Every state one choice away (None when the budget ran out first)."""
        out = self.out
        engine = self.engine
        nexts: list[Node] = []
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
                        out.errors.append((Found(st.seed, path), c.id,
                                           f"{type(exc).__name__}: {exc}"))
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
            by_scene: dict[str, list[tuple[tuple[int, ...], int, Any, Any, Node]]] = {}
            for n, (st, path) in enumerate(nexts):
                k = key(st)
                if (k, st.seed) in kept:
                    continue
                ck = coarse(st)
                record = any(_outside(ranges.get((st.scene, v)), st.vars[v])
                             for v in self.numbers)
                rank = (ck in coarse_seen, not record, k in copies,
                        coarse_seen.get(ck, 0), copies.get(k, 0))
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
            fresh: list[Node] = []
            for node in nexts:
                k = (key(node[0]), node[0].seed)
                if k not in kept:
                    kept.add(k)
                    fresh.append(node)
            chosen: dict[int, Node] = {}
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
        self.live = {s.id for s in sc.scenes.values()
                     if any(c.next in sc.scenes for c in s.choices)}
        # entries: (the scene of a choice leading there, or the scenes where a reaction
        # or trigger leading there can fire; the condition)
        entries: list[tuple[str | set[str], ast.expr | None]] = []
        for s in sc.scenes.values():
            entries.extend((s.id, _tree(c.cond)) for c in s.choices if c.next == place)
        for r in engine.reactions:
            for o in r.outcomes:
                if o.goto == place:  # the outcome must be possible: its weight above 0
                    drawn = ast.Compare(_tree(o.weight), [ast.Gt()], [ast.Constant(0)])
                    cond = _tree(r.cond)
                    entries.append((self.turns, drawn if cond is None else
                                    ast.BoolOp(ast.And(), [cond, drawn])))
        entries.extend((self.live, _tree(t.cond)) for t in engine.triggers if t.goto == place)
        self.entries = entries
        self.steps = _steps_to({s for s, _ in entries if isinstance(s, str)}, sc, anywhere,
                               self.live)
        self.options = {s.id: {"choice": {c.id for c in s.choices},
                               "stance": {c.stance for c in s.choices}}
                        for s in sc.scenes.values()}

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
                    d += _distance(cond, st, options)
                except Exception:  # an expression we cannot judge: assume it may hold
                    d += 1.0
            best = min(best, d)
        return best


def _tree(expr: Compiled | None) -> ast.expr | None:
    if expr is None:
        return None
    return ast.parse(expr.source, mode="eval").body


def _steps_to(scenes: set[str], sc: Any, anywhere: list[str],
              live: set[str]) -> dict[tuple[str, str], float]:
    """(from, to) -> fewest steps on the scene graph, for every ``to`` in ``scenes``."""
    back: dict[str, list[tuple[str, float]]] = {}
    for s in sc.scenes.values():
        for c in s.choices:
            back.setdefault(c.next, []).append((s.id, 1.0))
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


def _div(a: Any, b: Any) -> Any:
    return 0 if b == 0 else a // b


_ARITH: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b, ast.Div: _div, ast.FloorDiv: _div,
    ast.Mod: lambda a, b: 0 if b == 0 else a % b,
}
_WORDS = {"true": True, "false": False, "True": True, "False": False}
_NEGATED: dict[type, type] = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.GtE,
                              ast.GtE: ast.Lt, ast.Gt: ast.LtE, ast.LtE: ast.Gt}
_GROWING_NAMES = {"turn", "hours"}  # never go down as a game goes on
_GROWING_CALLS = {"visits", "stance_count", "visited", "chose", "fired"}
_CHOICE_NAMES = {"choice", "stance"}  # set by the turn about to be taken


def _growing(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in _GROWING_NAMES
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in _GROWING_CALLS)


def _value(node: ast.expr, st: GameState) -> Any:
    """The value of an expression in ``st`` (the expression language's semantics)."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        name = node.id
        if name in _WORDS:
            return _WORDS[name]
        if name in st.vars:
            return st.vars[name]
        if name == "hours":
            return st.minutes // 60
        return getattr(st, name, "")
    if isinstance(node, ast.BinOp):
        return _ARITH[type(node.op)](_value(node.left, st), _value(node.right, st))
    if isinstance(node, ast.UnaryOp):
        v = _value(node.operand, st)
        if isinstance(node.op, ast.Not):
            return not v
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.BoolOp):
        if isinstance(node.op, ast.And):
            return all(_value(v, st) for v in node.values)
        return any(_value(v, st) for v in node.values)
    if isinstance(node, ast.Compare):
        return _distance(node, st, None) == 0
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        f = node.func.id
        args = [_value(a, st) for a in node.args]
        if f == "visited":
            return args[0] in st.visits
        if f == "visits":
            return st.visits.get(args[0], 0)
        if f == "chose":
            return args[0] in st.chosen
        if f == "stance_count":
            return st.stances.get(args[0], 0)
        if f == "fired":
            return args[0] in st.fired
        if f == "abs":
            return abs(args[0])
        if f == "min":
            return min(args)
        if f == "max":
            return max(args)
        if f == "clamp":
            return max(args[1], min(args[2], args[0]))
    raise ValueError(f"cannot judge {ast.dump(node)}")


_HOLDS: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b, ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b,
}


def _gap(op: type, x: Any, y: Any) -> float:
    """How far ``x op y`` is from holding: 0 if it does, else the gap between the
    numbers (at least 1) over the larger of them, or 1 for texts and truth values."""
    if _HOLDS[op](x, y):
        return 0.0
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (x, y)):
        return 1.0
    return max(abs(x - y), 1) / max(abs(x), abs(y), 1)


def _distance(node: ast.expr, st: GameState, options: dict[str, set[str]] | None,
              neg: bool = False) -> float:
    """0 when the condition (negated if ``neg``) holds in ``st``; more the further off.

    INF when it can never hold again (a counter that only grows is already too
    high, a place already visited). With ``options`` (for a reaction's or trigger's
    condition, which the turn about to be played decides), a comparison of
    ``choice`` or ``stance`` with a text holds if a choice of the scene can make it.
    """
    if isinstance(node, ast.BoolOp):
        parts = [_distance(v, st, options, neg) for v in node.values]
        return sum(parts) if isinstance(node.op, ast.And) != neg else min(parts)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return _distance(node.operand, st, options, not neg)
    if isinstance(node, ast.Compare):
        parts = []
        left_node = node.left
        left = _value(left_node, st)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = _value(right_node, st)
            o = _NEGATED[type(op)] if neg else type(op)
            name = next((n.id for n in (left_node, right_node)
                         if isinstance(n, ast.Name) and n.id in _CHOICE_NAMES), None)
            if options is not None and name is not None and o in (ast.Eq, ast.NotEq):
                other = right if isinstance(left_node, ast.Name) and left_node.id == name \
                    else left
                can = options.get(name, set())
                d = 0.0 if (other in can if o is ast.Eq else bool(can - {other})) else 1.0
            else:
                d = _gap(o, left, right)
                if d and ((o in (ast.Lt, ast.LtE) and _growing(left_node))
                          or (o in (ast.Gt, ast.GtE) and _growing(right_node))):
                    d = INF
            parts.append(d)
            left, left_node = right, right_node
        return min(parts) if neg and len(parts) > 1 else sum(parts)
    if bool(_value(node, st)) != neg:
        return 0.0
    return INF if neg and _growing(node) else 1.0
