"""Solving a role's game: the best achievable chance of a good ending, and a policy for it.

The player may use the scenario's rules and the game state, never the seed (the draws
still to come): every decision here is made on a copy of the state whose seed is 0, from
:meth:`Engine.successors` (each outcome of a choice with its probability), so it plays
as a perfectly informed player could, not as a cheat. States are merged by their
abstract key (:mod:`brinkmanship.authoring.statekey`): two states with one key have the
same futures.

Two methods, and every figure says which one gave it:

- **exact** (:func:`solve_exact`): when a role's abstract state graph is finite and at
  most ``max_states`` states, it is enumerated, and for each outcome class the best
  achievable chance of ending in that class or a better one is computed by backward
  induction where the graph has no loop and by value iteration to a fixed point inside
  its loops (strongly connected sets); with it, a policy that achieves it.
- **estimate** (:class:`Lookahead`): elsewhere, expectimax over
  :meth:`Engine.successors` to a small depth. The last level is valued by rollouts of one
  base policy, the single stance (or random) that wins most often from the start: each
  choice gets ``rollouts`` play-outs from its outcomes, picked by chance, on the same
  draws for every choice of a state (common random numbers). At depth 1 the policy
  leaves the base stance only for a choice that beats the base stance's best choice by
  more than two standard errors of the paired difference (sampling up to eight times more
  while it cannot tell), so luck in the play-outs does not make it worse than the stance
  it improves on. The play-outs draw from generators seeded by the playtest seed and the
  state's key, never the game's seed, and every value depends on the key alone: the
  policy makes the same decisions whatever order the runs are played in (``--jobs``).
  Its figures are a lower bound on the optimum, labelled as an estimate. A choice with
  more than ``SOLVE_SUCCESSORS`` outcomes that differ is judged on ``OUTCOME_SAMPLES`` of
  them drawn by chance (seeded by the state's key) instead of all of them.

The exact method enumerates every outcome of every choice; when one has more than
``SOLVE_SUCCESSORS`` (or the graph more than ``max_states`` states) it does not guess:
:func:`solve` says why, and ``--policy best`` uses the estimate, saying so.

The exact method ignores the playtest's turn cap (a game that loops for ever counts as not
reaching the goal); the estimate counts a play-out past the cap as not reaching it.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from brinkmanship.authoring.cycles import cycles
from brinkmanship.authoring.policies import pick_stance
from brinkmanship.authoring.statekey import Key, key_function
from brinkmanship.format.errors import UsageError
from brinkmanship.format.model import Choice, Scenario
from brinkmanship.format.names import OUTCOMES
from brinkmanship.format.spec import suggest
from brinkmanship.runtime.engine import Engine, GameState, TooManyOutcomes

DEFAULT_GOAL = "settlement"
DEFAULT_DEPTH = 1
DEFAULT_ROLLOUTS = 4
Z = 2.0  # how sure a lookahead must be to leave its rollouts' stance (standard errors)
MAX_SAMPLES_FACTOR = 8  # at most this many times --rollouts samples per choice, to be sure
GOLDEN = 0.6180339887498949
BASE_TRIALS = 100  # rollouts per stance from the start, to pick the rollouts' policy
DEFAULT_EXACT_STATES = 5_000  # abstract states per role for the exact method
# outcomes of one choice that differ (after merging alike ones) that the exact method and
# the lookahead enumerate; past it the exact method gives up (the estimate is used, and
# says why) and the lookahead samples that choice's outcomes instead
SOLVE_SUCCESSORS = 2_000
OUTCOME_SAMPLES = 16  # sampled outcomes of a choice with too many to enumerate
EPS = 1e-12


def goal_rank(goal: str) -> int:
    """The rank of an outcome class (0: catastrophe, the worst); UsageError if unknown."""
    if goal not in OUTCOMES:
        raise UsageError(
            f"unknown outcome class {goal!r}"
            + suggest(goal, OUTCOMES)
            + "; classes, worst first: "
            + ", ".join(OUTCOMES)
        )
    return OUTCOMES.index(goal)


def _stable(x: Any) -> Any:
    """A key with its sets sorted, so its text is the same in every process."""
    if isinstance(x, frozenset | set):
        return sorted((_stable(v) for v in x), key=repr)
    if isinstance(x, tuple | list):
        return [_stable(v) for v in x]
    return x


def _blind(st: GameState) -> GameState:
    """A copy of ``st`` that knows nothing of the draws to come (its seed is 0)."""
    out = st.copy()
    out.seed = 0
    out.messages = ()
    return out


@dataclass
class Exact:
    """The exact solution of one role's game (see :func:`solve_exact`)."""

    role: str
    states: int
    # outcome class -> best achievable chance of ending in it or a better one
    values: dict[str, float]
    # outcome class -> abstract key -> the choice to take (a policy achieving values[class])
    policies: dict[str, dict[Key, str]]
    errors: int = 0  # choices that raised (a fault of the scenario; counted as failing)
    method: str = "exact, value iteration"


class NotSolved(Exception):
    """Why a role's game cannot be solved exactly (the estimate is used instead)."""


def _enumerate(
    engine: Engine, key: Callable[[GameState], Key], max_states: int
) -> tuple[
    list[int | None],  # outcome rank of each state (None: not an ending)
    list[list[tuple[str, list[tuple[float, int]]]]],  # choices: (id, [(p, state)])
    int,  # choices that raised
    list[Key],  # the key of each state
]:
    """Every abstract state of the role's game, breadth first (NotSolved past ``max_states``
    states, or a choice with more than ``SOLVE_SUCCESSORS`` outcomes)."""
    sc = engine.scenario
    start = _blind(engine.start(0))
    index: dict[Key, int] = {key(start): 0}
    states = [start]
    rank: list[int | None] = []
    moves: list[list[tuple[str, list[tuple[float, int]]]]] = []
    errors = 0
    i = 0
    while i < len(states):
        st = states[i]
        i += 1
        if st.ending is not None:
            rank.append(OUTCOMES.index(sc.endings[st.ending].outcome))
            moves.append([])
            continue
        rank.append(None)
        here: list[tuple[str, list[tuple[float, int]]]] = []
        for c in engine.available(st):
            try:
                nexts = engine.successors(st, c.id, key, limit=SOLVE_SUCCESSORS)
            except TooManyOutcomes as exc:  # not a fault: too big to solve exactly
                raise NotSolved(f"not solved exactly: {exc}") from None
            except Exception:  # a scenario must never crash the tools: this choice fails
                errors += 1
                here.append((c.id, []))
                continue
            out: list[tuple[float, int]] = []
            for p, nxt in nexts:
                k = key(nxt)
                j = index.get(k)
                if j is None:
                    if len(states) >= max_states:
                        raise NotSolved(
                            f"not solved exactly: more than {max_states} states "
                            "(raise --exact-states)"
                        )
                    j = index[k] = len(states)
                    states.append(nxt)
                out.append((p, j))
            here.append((c.id, out))
        moves.append(here)
    return rank, moves, errors, list(index)


def _values(
    rank: list[int | None],
    moves: list[list[tuple[str, list[tuple[float, int]]]]],
    goal: int,
    order: list[list[int]],
) -> list[float]:
    """The best chance, from each state, of an ending of rank ``goal`` or better.

    ``order``: the strongly connected sets of the graph, each after every set it leads
    to; a set of one state without a loop is solved in one step (backward induction),
    a loop by value iteration from 0 until nothing changes (the least fixed point,
    which is the best chance of reaching the goal)."""
    v = [0.0] * len(rank)
    for i, r in enumerate(rank):
        if r is not None:
            v[i] = 1.0 if r >= goal else 0.0
    for comp in order:
        if len(comp) == 1 and rank[comp[0]] is not None:
            continue
        for _ in range(100_000):
            change = 0.0
            for i in comp:
                best = 0.0
                for _, out in moves[i]:
                    q = sum(p * v[j] for p, j in out)
                    if q > best:
                        best = q
                if best - v[i] > change:
                    change = best - v[i]
                v[i] = best
            if len(comp) == 1 or change < EPS:
                break
    return v


def _policy(
    rank: list[int | None],
    moves: list[list[tuple[str, list[tuple[float, int]]]]],
    goal: int,
    v: list[float],
) -> list[str | None]:
    """A choice per state that achieves ``v``: among the choices whose value is the best,
    one that comes closer to the goal (so a loop of equally good choices is left)."""
    n = len(rank)
    dist: list[int | None] = [0 if r is not None and r >= goal else None for r in rank]
    pick: list[str | None] = [None] * n
    best_moves: list[list[tuple[str, list[tuple[float, int]]]]] = [[] for _ in range(n)]
    back: list[list[int]] = [[] for _ in range(n)]
    for i in range(n):
        if rank[i] is not None or not moves[i]:
            continue
        pick[i] = moves[i][0][0]
        if v[i] <= EPS:
            continue
        for cid, out in moves[i]:
            if sum(p * v[j] for p, j in out) >= v[i] - 1e-9:
                best_moves[i].append((cid, out))
                for _, j in out:
                    back[j].append(i)
    frontier = [i for i in range(n) if dist[i] == 0]
    d = 0
    while frontier:
        d += 1
        nxt = []
        for j in frontier:
            for i in back[j]:
                if dist[i] is not None:
                    continue
                for cid, out in best_moves[i]:
                    if any(dist[k] is not None and dist[k] < d for _, k in out):  # type: ignore[operator]
                        dist[i] = d
                        pick[i] = cid
                        nxt.append(i)
                        break
        frontier = nxt
    return pick


def solve_exact(
    scenario: Scenario, role: str, max_states: int = DEFAULT_EXACT_STATES
) -> Exact | None:
    """The exact solution of ``role``'s game, or None when it cannot be solved exactly
    (see :func:`solve`)."""
    return solve(scenario, role, max_states)[0]


def solve(
    scenario: Scenario, role: str, max_states: int = DEFAULT_EXACT_STATES
) -> tuple[Exact | None, str]:
    """The exact solution of ``role``'s game and "", or None and why not: its abstract
    state graph has more than ``max_states`` states, or a choice has more than
    ``SOLVE_SUCCESSORS`` outcomes that differ (then only an estimate is possible)."""
    engine = Engine(scenario, role, texts=False)
    key = key_function(engine)
    try:
        rank, moves, errors, keys = _enumerate(engine, key, max_states)
    except NotSolved as exc:
        return None, str(exc)
    n = len(rank)

    def succ(i: int) -> list[int]:
        return [j for _, out in moves[i] for _, j in out]

    loops = {i: comp for comp in cycles(range(n), succ) for i in comp}
    # every state, its loop as one block, each block after the blocks it leads to
    order: list[list[int]] = []
    done: set[int] = set()
    post: list[int] = []
    for root in range(n):  # iterative depth-first post-order over the blocks
        if root in done:
            continue
        stack: list[tuple[int, int]] = [(root, 0)]
        done.add(root)
        while stack:
            i, k = stack[-1]
            out = [j for b in loops.get(i, [i]) for j in succ(b)]
            if k < len(out):
                stack[-1] = (i, k + 1)
                j = out[k]
                if j not in done:
                    for b in loops.get(j, [j]):
                        done.add(b)
                    stack.append((j, 0))
            else:
                stack.pop()
                post.append(i)
    for i in post:
        order.append(loops.get(i, [i]))
    values: dict[str, float] = {}
    policies: dict[str, dict[Key, str]] = {}
    for g, name in enumerate(OUTCOMES):
        v = _values(rank, moves, g, order)
        values[name] = min(1.0, v[0])
        pick = _policy(rank, moves, g, v)
        policies[name] = {keys[i]: c for i, c in enumerate(pick) if c is not None}
    return Exact(role, n, values, policies, errors), ""


@dataclass
class Arm:
    """One choice of a state being judged: its outcomes and the samples drawn so far."""

    cid: str
    stance: str
    root: str  # the state's key as text, which seeds the samples
    offset: float  # where the state's low-discrepancy points start
    ended: float = 0.0  # the chance of a won ending at once
    mass: float = 0.0  # the chance of going on
    live: list[tuple[float, GameState]] = field(default_factory=list)  # (cumulative, state)
    ys: list[float] = field(default_factory=list)

    @property
    def mean(self) -> float:
        return sum(self.ys) / len(self.ys) if self.ys else self.ended


@dataclass
class Lookahead:
    """The estimate: expectimax to ``depth`` over every outcome of each choice, leaves
    valued by the best of the base policies' rollouts (see the module's doc)."""

    scenario: Scenario
    role: str
    goal: int
    seed: int
    depth: int = DEFAULT_DEPTH
    rollouts: int = DEFAULT_ROLLOUTS
    max_turns: int = 200
    engine: Engine = field(init=False)
    key: Callable[[GameState], Key] = field(init=False)
    base: str = ""  # the rollouts' policy: a stance or random ("": the best from the start)
    _leaf: dict[tuple[Key, str], float] = field(default_factory=dict, init=False)
    _value: dict[tuple[Key, int], float] = field(default_factory=dict, init=False)
    _choice: dict[Key, str] = field(default_factory=dict, init=False)
    sampled: int = field(default=0, init=False)  # choices whose outcomes were sampled

    def __post_init__(self) -> None:
        self.engine = Engine(self.scenario, self.role, texts=False)
        self.key = key_function(self.engine)
        if self.depth < 1:
            raise UsageError("the lookahead's depth must be at least 1")
        if not self.base:
            self.base = self.best_base()

    def best_base(self) -> str:
        """The single-stance policy (or random) with the most won rollouts from the start."""
        start = _blind(self.engine.start(0))
        best, name = -1.0, "random"
        for b in (*self.scenario.stances, "random"):
            rng = random.Random(self._hash(f"base:{b}"))
            won = sum(self.rollout(start, b, rng) for _ in range(BASE_TRIALS))
            if won > best:
                best, name = won, b
        return name

    @property
    def method(self) -> str:
        return f"estimate (lookahead, depth {self.depth}, {self.rollouts} rollouts)"

    def won(self, st: GameState) -> float:
        outcome = self.scenario.endings[st.ending or ""].outcome
        return 1.0 if OUTCOMES.index(outcome) >= self.goal else 0.0

    def choose(self, st: GameState, avail: Sequence[Choice]) -> Choice:
        """The available choice with the best estimated chance (see :meth:`decide`)."""
        k = self.key(st)
        cid = self._choice.get(k)
        if cid is None:
            cid = self._choice[k] = self.decide(_blind(st), avail)
        return next((c for c in avail if c.id == cid), avail[0])

    def decide(self, st: GameState, avail: Sequence[Choice]) -> str:
        """The choice to take in ``st`` (whose seed is 0).

        At depth 1 each choice is judged on paired samples (the same rollout draws for
        every choice), and the policy leaves the rollouts' own stance only for a choice
        that beats the best choice of that stance by more than ``Z`` standard errors of
        the paired difference, sampling more (up to ``MAX_SAMPLES_FACTOR`` times the
        rollouts) while it cannot tell: so luck in the rollouts does not make it play
        worse than the stance it improves on. Deeper, the best expectimax value wins
        (of equals, a choice of that stance)."""
        ordered = sorted(avail, key=lambda c: c.stance != self.base)
        if len(ordered) == 1:
            return ordered[0].id
        if self.depth > 1:
            best, cid = -1.0, ordered[0].id
            for c in ordered:
                q = self.q(st, c.id, self.depth)
                if q > best + EPS:
                    best, cid = q, c.id
            return cid
        root = f"{_stable(self.key(st))!r}"
        arms = [self.arm(st, c, root) for c in ordered]
        n = self.rollouts
        for arm in arms:
            self.extend(arm, n)
        while True:
            top = max(arms, key=lambda a: a.mean - EPS * arms.index(a))
            own = [a for a in arms if a.stance == self.base]
            if top.stance == self.base or not own:
                return top.cid
            mine = max(own, key=lambda a: a.mean - EPS * arms.index(a))
            m = min(len(top.ys), len(mine.ys))
            diff = [x - y for x, y in zip(top.ys[:m], mine.ys[:m], strict=True)]
            mean = sum(diff) / m
            var = sum((d - mean) ** 2 for d in diff) / max(1, m - 1)
            if mean > EPS and mean > Z * (var / m) ** 0.5:
                return top.cid
            if m >= self.rollouts * MAX_SAMPLES_FACTOR or mean <= EPS:
                return mine.cid
            self.extend(top, 2 * m)
            self.extend(mine, 2 * m)

    def value(self, st: GameState, depth: int) -> float:
        """The estimated best chance from ``st`` (``depth`` more levels of expectimax)."""
        if st.ending is not None:
            return self.won(st)
        k = self.key(st)
        v = self._value.get((k, depth))
        if v is None:
            v = 0.0
            for c in self.engine.available(st):
                v = max(v, self.q(st, c.id, depth))
            self._value[(k, depth)] = v
        return v

    def q(self, st: GameState, cid: str, depth: int) -> float:
        """The estimated chance after taking ``cid`` in ``st``, over all its outcomes."""
        if depth > 1:
            if st.turn >= self.max_turns:
                return 0.0
            try:
                nexts = self.outcomes(st, cid)
            except Exception:  # a scenario must never crash the tools: count it as failing
                return 0.0
            return sum(p * self.value(nxt, depth - 1) for p, nxt in nexts)
        c = next(c for c in self.engine.available(st) if c.id == cid)
        arm = self.arm(st, c, f"{_stable(self.key(st))!r}")
        self.extend(arm, self.rollouts)
        return arm.mean

    def arm(self, st: GameState, c: Choice, root: str) -> Arm:
        """Choice ``c`` in ``st``, every outcome with its chance, ready to be sampled."""
        arm = Arm(c.id, c.stance, root, self._hash(root) / 2**64)
        if st.turn >= self.max_turns:
            return arm
        try:
            nexts = self.outcomes(st, c.id)
        except Exception:  # a scenario must never crash the tools: count it as failing
            return arm
        for p, nxt in nexts:
            if nxt.ending is not None:
                arm.ended += p * self.won(nxt)
            else:
                arm.mass += p
                arm.live.append((arm.mass, nxt))
        return arm

    def outcomes(self, st: GameState, cid: str) -> list[tuple[float, GameState]]:
        """Every outcome of ``cid`` in ``st`` with its chance; for a choice with more than
        ``SOLVE_SUCCESSORS`` that differ, ``OUTCOME_SAMPLES`` of them drawn by chance (from
        the state's key, not the game's seed), each with an equal share."""
        try:
            return self.engine.successors(st, cid, self.key, limit=SOLVE_SUCCESSORS)
        except TooManyOutcomes:
            pass
        self.sampled += 1
        c = next(c for c in self.engine.available(st) if c.id == cid)
        root = f"outcomes:{_stable(self.key(st))!r}:{cid}"
        merged: dict[Key, tuple[float, GameState]] = {}
        for j in range(OUTCOME_SAMPLES):
            s = st.copy()
            s.seed = random.Random(self._hash(f"{root}:{j}")).randrange(2**31)
            nxt = _blind(self.engine.take(s, c, None, inplace=True))
            k = self.key(nxt)
            p = merged[k][0] if k in merged else 0.0
            merged[k] = (p + 1 / OUTCOME_SAMPLES, nxt)
        return list(merged.values())

    def extend(self, arm: Arm, n: int) -> None:
        """Sample ``arm`` until it has ``n`` samples. Sample ``j`` starts a rollout from
        the outcome a low-discrepancy point ``u_j`` falls in (by chance), with draws from
        ``(root, j)``: the same for every choice of one state (common random numbers)."""
        while len(arm.ys) < n:
            j = len(arm.ys)
            if arm.mass <= EPS:
                arm.ys.append(arm.ended)
                continue
            u = (arm.offset + j * GOLDEN) % 1.0 * arm.mass
            nxt = next((st for acc, st in arm.live if u < acc), arm.live[-1][1])
            arm.ys.append(arm.ended + arm.mass * self.rolled(nxt, f"{arm.root}:{j}"))

    def _hash(self, text: str) -> int:
        h = hashlib.blake2b(f"{self.seed}:{text}".encode(), digest_size=8).digest()
        return int.from_bytes(h, "big")

    def rolled(self, st: GameState, salt: str) -> float:
        """A rollout of the base policy from ``st``, its draws seeded from ``salt``
        (memoised: it depends on the key and the salt alone)."""
        k = (self.key(st), salt)
        v = self._leaf.get(k)
        if v is None:
            v = self._leaf[k] = self.rollout(st, self.base, random.Random(self._hash(salt)))
        return v

    def rollout(self, st: GameState, base: str, rng: random.Random) -> float:
        engine = self.engine
        s = st.copy()
        s.seed = rng.randrange(2**31)  # the rollout's own draws, not the game's
        while s.ending is None:
            if s.turn >= self.max_turns:
                return 0.0
            avail = engine.available(s)
            if not avail:
                return 0.0
            c = rng.choice(avail) if base == "random" else pick_stance(rng, avail, base)
            try:
                s = engine.take(s, c, None, inplace=True)
            except Exception:  # a scenario must never crash the tools
                return 0.0
        return self.won(s)


@dataclass(frozen=True)
class BestOptions:
    """How ``--policy best`` plays: the goal, and the methods' budgets."""

    goal: str = DEFAULT_GOAL
    depth: int = DEFAULT_DEPTH
    rollouts: int = DEFAULT_ROLLOUTS
    exact_states: int = DEFAULT_EXACT_STATES


class Best:
    """The ``best`` policy of one role: the exact solution's when the role's game could
    be solved, else the lookahead's."""

    def __init__(
        self,
        scenario: Scenario,
        role: str,
        seed: int,
        max_turns: int,
        options: BestOptions | None = None,
    ) -> None:
        opts = options or BestOptions()
        self.options = opts
        self.goal = goal_rank(opts.goal)
        self.exact, self.why_not = (
            solve(scenario, role, opts.exact_states)
            if opts.exact_states
            else (None, "not solved exactly: --exact-states 0")
        )
        self.lookahead: Lookahead | None = None
        self.key = key_function(Engine(scenario, role, texts=False))
        self.policy = self.exact.policies[opts.goal] if self.exact is not None else {}
        self._args = (scenario, role, self.goal, seed, opts.depth, opts.rollouts, max_turns)

    def _estimate(self) -> Lookahead:
        if self.lookahead is None:
            self.lookahead = Lookahead(*self._args)
        return self.lookahead

    @property
    def method(self) -> str:
        return self.exact.method if self.exact is not None else self._estimate().method

    def choose(self, st: GameState, avail: Sequence[Choice]) -> Choice:
        cid = self.policy.get(self.key(st)) if self.exact is not None else None
        if cid is not None:
            for c in avail:
                if c.id == cid:
                    return c
        return self._estimate().choose(st, avail)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"method": self.method, "goal": self.options.goal}
        if self.exact is not None:
            out["states"] = self.exact.states
            out["best_achievable"] = {k: round(v, 6) for k, v in self.exact.values.items()}
            if self.exact.errors:
                out["choices_that_raise"] = self.exact.errors
        else:
            la = self._estimate()
            out.update(depth=la.depth, rollouts=la.rollouts, rollout_policy=la.base)
            out["why_estimate"] = self.why_not
        return out
