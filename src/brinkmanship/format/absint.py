"""Abstract values of the expression language: what an expression *can* give.

The writer's tools prove things about every game at once by running expressions on
sets of values instead of values. This module is that domain for the one evaluator
(:func:`brinkmanship.format.expr.build`), so the abstract reading has the same
structure as the game's: the same trees, the same operators, the same saturation.

- a number is a :class:`Num`, an interval ``[lo, hi]`` (and whether it is a whole
  number, which lets ``x > 3`` mean ``x >= 4`` and ``turn % 2`` stay within 0..1);
- a truth value is a frozenset of the truth values it can have, ``{True, False}`` when
  unknown;
- a text is a frozenset of the texts it can be, or :data:`ANY_TEXT` when unknown.

Every operation over-approximates: the concrete result of an expression on any state
the abstract one stands for is in the abstract result. ``refine`` goes the other way:
given that a condition held (or did not), it narrows the values of the variables it
tests (``trust >= 50`` narrows trust to 50..max). It returns None when the condition
cannot have that truth value at all, which is how the tools prove a scene unreachable
or a choice never available.

An abstract state (``env``) is a tuple of abstract values, one per *slot*; a
:class:`Layout` says which slot holds what (a variable, a built-in name, a counter of
the game's history) and is the only thing that knows the game's state shape.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress, count
from operator import itemgetter, ne
from typing import Any, NamedTuple

from brinkmanship.format.expr import (
    MAX_VALUE,
    NEGATED,
    BoolOp,
    Compare,
    Const,
    Name,
    Node,
    Ref,
    Unary,
    build,
    walk,
)
from brinkmanship.format.names import BOOL, NUM

__all__ = [
    "ANY_TEXT",
    "BOOLS",
    "FALSE",
    "TRUE",
    "Abstract",
    "Layout",
    "Num",
    "declared_box",
]


class Num(NamedTuple):
    """The numbers from ``lo`` to ``hi`` (whole numbers only when ``whole``)."""

    lo: float
    hi: float
    whole: bool = True


TRUE: frozenset[bool] = frozenset({True})
FALSE: frozenset[bool] = frozenset({False})
BOOLS: frozenset[bool] = frozenset({True, False})
ANY_TEXT = None  # a text that can be anything
ANY_NUM = Num(-MAX_VALUE, MAX_VALUE, True)
_COUNTERS = ("turn", "hours")
_MISSING: Any = object()
FLIPPED = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!="}


def _b(v: float) -> float:
    if v > MAX_VALUE:
        return MAX_VALUE
    if v < -MAX_VALUE:
        return -MAX_VALUE
    return v if v == v else 0


def num(lo: float, hi: float, whole: bool = True) -> Num:
    return Num(_b(lo), _b(hi), whole)


def join(a: Any, b: Any) -> Any:
    """The least abstract value holding both."""
    if a is b or a == b:
        return a
    if isinstance(a, Num):
        return Num(min(a.lo, b.lo), max(a.hi, b.hi), a.whole and b.whole)
    if a is None or b is None:
        return None
    return a | b


def join_envs(envs: Iterable[tuple[Any, ...] | None]) -> tuple[Any, ...] | None:
    """The least state holding every state of ``envs`` (None ones are left out). When the
    others add nothing to the first, the first itself is returned (``is`` tells)."""
    out: tuple[Any, ...] | None = None
    for e in envs:
        if e is None or e is out:
            continue
        if out is None:
            out = e
            continue
        # the slots that differ, found in C: most slots are equal in both (testing 'is'
        # instead costs more: many equal values were made apart, on different ways)
        changed: list[Any] | None = None
        for i in compress(count(), map(ne, out, e)):
            a, b = out[i], e[i]
            if type(a) is Num:  # join, inlined: nothing new is made when b is within a
                lo, hi, whole = a
                if b[0] >= lo and b[1] <= hi and (b[2] or not whole):
                    continue
                j: Any = Num(min(lo, b[0]), max(hi, b[1]), whole and b[2])
            elif a is None or (b is not None and b <= a):
                continue
            else:
                j = None if b is None else a | b
            if changed is None:
                changed = list(out)
            changed[i] = j
        if changed is not None:
            out = tuple(changed)
    return out


def join_all(envs: Sequence[tuple[Any, ...]]) -> tuple[Any, ...]:
    """:func:`join_envs` of many states at once (at least one), the same state. Each set
    of values is made once, from all the states, before the states are joined one by one
    into it: a set growing with every state (the choices that led to an ending reached
    from thousands of scenes) would otherwise be copied at every join."""
    first = envs[0]
    if len(envs) == 1:
        return first
    start = list(first)
    for i, a in enumerate(first):
        if type(a) is frozenset:
            col = list(map(itemgetter(i), envs))
            start[i] = None if None in col else a.union(*col)
    out: tuple[Any, ...] = tuple(start)
    for e in envs:
        out = join_envs((out, e)) or out
    return out


def differ(a: Sequence[Any], b: Sequence[Any]) -> list[int]:
    """The slots where two states differ."""
    return list(compress(count(), map(ne, a, b)))


def top_of(typ: str) -> Any:
    return ANY_NUM if typ == NUM else BOOLS if typ == BOOL else ANY_TEXT


def _arith(op: str, a: Num, b: Num) -> Num:
    whole = a.whole and b.whole
    if op == "+":
        return num(a.lo + b.lo, a.hi + b.hi, whole)
    if op == "-":
        return num(a.lo - b.hi, a.hi - b.lo, whole)
    if op == "*":
        ends = (a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi)
        return num(min(ends), max(ends), whole)
    if op == "/":  # floor division; dividing by zero gives 0
        if b.lo > 0 or b.hi < 0:
            ends = (a.lo // b.lo, a.lo // b.hi, a.hi // b.lo, a.hi // b.hi)
            return num(min(ends), max(ends), whole)
        # the divisor can be 0 or change sign: the quotient is at most |a| in size
        m = max(abs(a.lo), abs(a.hi))
        return num(-m - 1, m + 1, whole)
    # '%': the result has the divisor's sign and is smaller than it (0 when b == 0)
    if whole and b.lo == b.hi and b.lo > 0:
        if a.lo >= 0 and a.hi < b.lo:
            return a
        return Num(0, b.lo - 1, True)
    lo = min(0.0, b.lo)
    hi = max(0.0, b.hi)
    if whole:
        lo = lo + 1 if lo < 0 else lo
        hi = hi - 1 if hi > 0 else hi
    return num(lo, hi, whole)


def _cmp(op: str, a: Any, b: Any) -> frozenset[bool]:
    """Which truth values ``a op b`` can have."""
    if isinstance(a, Num):
        if op == "<":
            t, f = a.lo < b.hi, a.hi >= b.lo
        elif op == "<=":
            t, f = a.lo <= b.hi, a.hi > b.lo
        elif op == ">":
            t, f = a.hi > b.lo, a.lo <= b.hi
        elif op == ">=":
            t, f = a.hi >= b.lo, a.lo < b.hi
        else:
            overlap = a.lo <= b.hi and b.lo <= a.hi
            same = a.lo == a.hi == b.lo == b.hi
            t, f = (overlap, not same) if op == "==" else (not same, overlap)
        return BOOLS if t and f else TRUE if t else FALSE
    if a is None or b is None:
        return BOOLS
    eq = op == "=="
    out = {(x == y) == eq for x in a for y in b}
    return frozenset(out)


@dataclass
class Layout:
    """Where each thing an expression can read lives in an abstract state.

    ``slots`` maps a key to its index: ``("var", name)`` for a scenario variable,
    ``("turn",)``, ``("minutes",)``, ``("stance",)`` and ``("choice",)`` for the built-in
    names, and ``(func, id)`` for the game's counters: ``("visits", place)`` (read by
    ``visits`` and ``visited``), ``("chose", choice)``, ``("stances", stance)`` and
    ``("fired", trigger)``. ``constants`` gives names with one known value (``role``).
    Whatever has no slot reads as "any value of its type".
    """

    slots: dict[tuple[str, ...], int] = field(default_factory=dict)
    constants: dict[str, Any] = field(default_factory=dict)

    def add(self, key: tuple[str, ...]) -> int:
        i = self.slots.get(key)
        if i is None:
            i = self.slots[key] = len(self.slots)
        return i

    def slot(self, node: Name | Ref) -> int | None:
        if isinstance(node, Ref):
            group = {"visited": "visits", "stance_count": "stances"}.get(node.func, node.func)
            return self.slots.get((group, node.key))
        if node.get is None:
            return self.slots.get(("var", node.name))
        if node.name == "hours":
            return self.slots.get(("minutes",))
        return self.slots.get((node.name,))


def _count_truth(c: Num) -> frozenset[bool]:
    return FALSE if c.hi <= 0 else TRUE if c.lo > 0 else BOOLS


class Abstract:
    """The abstract domain over a :class:`Layout` (see the module's doc)."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self._fns: dict[int, Callable[[Any], Any]] = {}
        self._keep: list[Node] = []  # the trees cached by id stay alive
        # An expression's value depends only on the slots it reads: the values of those
        # slots pick out a remembered answer (the same states come back at every scene).
        self._reads: dict[int, tuple[Callable[[Any], Any], tuple[int, ...]]] = {}
        self._values: dict[tuple[Any, ...], Any] = {}
        self._refined: dict[tuple[Any, ...], Any] = {}

    # -- forward evaluation: a Domain for expr.build -------------------------

    def fn(self, node: Node) -> Callable[[Any], Any]:
        """The abstract value of ``node`` as a function of an abstract state."""
        f = self._fns.get(id(node))
        if f is None:
            f = self._fns[id(node)] = build(node, self)
            self._keep.append(node)
        return f

    def reads(self, node: Node) -> tuple[Callable[[Any], Any], tuple[int, ...]]:
        """A function giving the values of the slots ``node`` reads, and those slots."""
        got = self._reads.get(id(node))
        if got is None:
            slots = sorted(
                {
                    i
                    for n in walk(node)
                    if isinstance(n, Name | Ref) and (i := self.layout.slot(n)) is not None
                }
            )
            if not slots:
                get: Callable[[Any], Any] = lambda env: ()  # noqa: E731
            elif len(slots) == 1:
                (k,) = slots
                get = lambda env: (env[k],)  # noqa: E731
            else:
                get = itemgetter(*slots)
            got = self._reads[id(node)] = (get, tuple(slots))
            self.fn(node)  # keeps the tree alive with its id
        return got

    def eval(self, node: Node, env: Sequence[Any]) -> Any:
        key = (id(node), self.reads(node)[0](env))
        v = self._values.get(key, _MISSING)
        if v is _MISSING:
            v = self._values[key] = self.fn(node)(env)
        return v

    def leaf(self, node: Const | Name | Ref) -> Callable[[Any], Any]:
        if isinstance(node, Const):
            if node.type == NUM:
                v = Num(node.value, node.value, isinstance(node.value, int))
            else:
                v = frozenset({node.value})
            return lambda env: v
        if isinstance(node, Name) and node.name in self.layout.constants and node.get:
            c = frozenset({self.layout.constants[node.name]})
            return lambda env: c
        i = self.layout.slot(node)
        if i is None:
            top = top_of(node.type)
            counter = node.type == NUM if isinstance(node, Ref) else node.name in _COUNTERS
            if counter:  # counts and the clock are never below 0
                top = Num(0, MAX_VALUE, True)
            return lambda env: top
        if isinstance(node, Ref) and node.type == BOOL:
            return lambda env: _count_truth(env[i])
        if isinstance(node, Name) and node.name == "hours":
            return lambda env: Num(env[i].lo // 60, env[i].hi // 60, True)
        return lambda env: env[i]

    def unary(self, op: str) -> Callable[[Any], Any]:
        if op == "not":
            return lambda x: frozenset(not v for v in x)
        if op == "-":
            return lambda x: Num(-x.hi, -x.lo, x.whole)
        return lambda x: x

    def binary(self, op: str) -> Callable[[Any, Any], Any]:
        return lambda a, b: _arith(op, a, b)

    def compare(self, op: str, left: Node, right: Node) -> Callable[[Any, Any], Any]:
        return lambda a, b: _cmp(op, a, b)

    def boolean(self, op: str, parts: Sequence[Callable[[Any], Any]]) -> Callable[[Any], Any]:
        fns = list(parts)
        if op == "and":

            def all_of(env: Any) -> frozenset[bool]:
                t, f = True, False
                for p in fns:
                    v = p(env)
                    t = t and True in v
                    f = f or False in v
                return BOOLS if t and f else TRUE if t else FALSE

            return all_of

        def any_of(env: Any) -> frozenset[bool]:
            t, f = False, True
            for p in fns:
                v = p(env)
                t = t or True in v
                f = f and False in v
            return BOOLS if t and f else TRUE if t else FALSE

        return any_of

    def call(self, func: str) -> Callable[..., Any]:
        if func == "abs":

            def absolute(x: Num) -> Num:
                if x.lo >= 0:
                    return x
                if x.hi <= 0:
                    return Num(-x.hi, -x.lo, x.whole)
                return Num(0, max(-x.lo, x.hi), x.whole)

            return absolute
        if func == "min":
            return lambda a, b: Num(min(a.lo, b.lo), min(a.hi, b.hi), a.whole and b.whole)
        if func == "max":
            return lambda a, b: Num(max(a.lo, b.lo), max(a.hi, b.hi), a.whole and b.whole)

        def clamp(x: Num, lo: Num, hi: Num) -> Num:
            # max(lo, min(hi, x)), as the game computes it
            m = Num(min(hi.lo, x.lo), min(hi.hi, x.hi), hi.whole and x.whole)
            return Num(max(lo.lo, m.lo), max(lo.hi, m.hi), lo.whole and m.whole)

        return clamp

    def choose(
        self, test: Callable[[Any], Any], then: Callable[[Any], Any], other: Callable[[Any], Any]
    ) -> Callable[[Any], Any]:
        """``then if test else other``: the branch the test allows, or both joined."""

        def pick(env: Any) -> Any:
            t = test(env)
            if True not in t:
                return other(env)
            if False not in t:
                return then(env)
            return join(then(env), other(env))

        return pick

    # -- backward: what must hold for a condition to have a truth value -------

    def truth(self, node: Node, env: Sequence[Any]) -> frozenset[bool]:
        v: frozenset[bool] = self.eval(node, env)
        return v

    def refine(self, node: Node, env: tuple[Any, ...], want: bool) -> tuple[Any, ...] | None:
        """``env`` narrowed to the states where ``node`` is ``want`` (None: no such state).

        Only the slots ``node`` reads can be narrowed, so the answer is remembered as
        their new values, for their old ones."""
        get, slots = self.reads(node)
        vals = get(env)
        key = (id(node), want, vals)
        new = self._refined.get(key, _MISSING)
        if new is _MISSING:
            got = self._refine(node, env, want)
            new = self._refined[key] = None if got is None else get(got)
        if new is None:
            return None
        return put_slots(env, slots, vals, new)

    def _refine(self, node: Node, env: tuple[Any, ...], want: bool) -> tuple[Any, ...] | None:
        if isinstance(node, Unary) and node.op == "not":
            return self.refine(node.arg, env, not want)
        if isinstance(node, BoolOp):
            if (node.op == "and") == want:  # every part must have the wanted value
                out: tuple[Any, ...] | None = env
                for a in node.args:
                    out = self.refine(a, out, want) if out is not None else None
                return out
            return join_envs(self.refine(a, env, want) for a in node.args)
        if isinstance(node, Compare):
            op = node.op if want else NEGATED[node.op]
            a, b = self.eval(node.left, env), self.eval(node.right, env)
            if True not in _cmp(op, a, b):
                return None
            got = self._narrow(node.left, env, op, b, a)
            if got is not None:
                got = self._narrow(node.right, got, FLIPPED[op], a, b)
            return got
        if isinstance(node, Name | Ref):
            return self._narrow(node, env, "==", TRUE if want else FALSE, self.eval(node, env))
        return env if want in self.eval(node, env) else None

    def _narrow(
        self, node: Node, env: tuple[Any, ...], op: str, other: Any, value: Any
    ) -> tuple[Any, ...] | None:
        """``env`` where the value of ``node`` (now ``value``) satisfies ``op other``
        (None if it never does)."""
        i = self.layout.slot(node) if isinstance(node, Name | Ref) else None
        if i is None or (isinstance(node, Name) and node.name == "hours"):
            return env if True in _cmp(op, value, other) else None
        cur = env[i]
        if isinstance(node, Ref) and node.type == BOOL:  # a count read as "more than 0"
            if op not in ("==", "!="):
                return env
            if other is None or len(other) != 1:
                return env
            want = (True in other) == (op == "==")
            new = Num(max(cur.lo, 1), cur.hi, True) if want else Num(cur.lo, min(cur.hi, 0), True)
        elif isinstance(cur, Num):
            new = _narrow_num(cur, op, other)
        else:
            new = _narrow_set(cur, op, other)
        if new is None or (isinstance(new, Num) and new.lo > new.hi):
            return None
        if new == cur:
            return env
        out = list(env)
        out[i] = new
        return tuple(out)


def _narrow_num(x: Num, op: str, b: Num) -> Num | None:
    lo, hi = x.lo, x.hi
    w = x.whole
    if op in ("<", "<="):
        top = b.hi
        if w:
            top = math.ceil(top) - 1 if op == "<" else math.floor(top)
        hi = min(hi, top)
    elif op in (">", ">="):
        bot = b.lo
        if w:
            bot = math.floor(bot) + 1 if op == ">" else math.ceil(bot)
        lo = max(lo, bot)
    elif op == "==":
        lo = max(lo, math.ceil(b.lo) if w else b.lo)
        hi = min(hi, math.floor(b.hi) if w else b.hi)
    elif b.lo == b.hi:  # '!=' a single value: it can only trim an end
        if lo == hi == b.lo:
            return None
        if w and lo == b.lo:
            lo += 1
        elif w and hi == b.lo:
            hi -= 1
    return Num(lo, hi, w) if lo <= hi else None


def _narrow_set(x: Any, op: str, b: Any) -> Any:
    if op == "==":
        if b is None:
            return x
        out = b if x is None else x & b
        return out or None
    if b is None or len(b) != 1 or x is None:
        return x
    out = x - b
    return out or None


def reads_anything(node: Node) -> bool:
    """Whether a tree reads any name or counter (is not made of constants only)."""
    return any(isinstance(n, Name | Ref) for n in walk(node))


def declared_box(
    numbers: Mapping[str, tuple[int | None, int | None]],
    choices: Mapping[str, frozenset[str]] | None = None,
) -> tuple[Abstract, tuple[Any, ...]]:
    """The domain and state where every variable can have any value its declaration
    allows (``numbers``: name -> (min, max)) and every counter any count: a condition
    that is never true here is never true in any game."""
    layout = Layout()
    values: list[Any] = []
    for name, (lo, hi) in numbers.items():
        layout.add(("var", name))
        values.append(Num(-MAX_VALUE if lo is None else lo, MAX_VALUE if hi is None else hi, True))
    for key in ("turn", "minutes"):
        layout.add((key,))
        values.append(Num(0, MAX_VALUE, True))
    for name, vals in (choices or {}).items():
        layout.add(("var", name))
        values.append(vals)
    return Abstract(layout), tuple(values)


def put_slots(env: tuple[Any, ...], slots: tuple[int, ...], old: Any, new: Any) -> tuple[Any, ...]:
    """``env`` with the values ``new`` (now ``old``) in ``slots``."""
    if new == old:
        return env
    out = list(env)
    for i, v in zip(slots, new, strict=True):
        out[i] = v
    return tuple(out)
