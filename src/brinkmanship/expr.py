"""The scenario expression language: parsed and type-checked at load, run without eval.

Syntax is a small, Python-like subset: numbers, "strings", true/false, variable
names, ``+ - * / %`` (``/`` is whole-number division; dividing by zero gives 0),
comparisons (which may chain), ``and`` / ``or`` / ``not``, parentheses and a few
whitelisted functions. We parse with :mod:`ast` (no code is ever compiled or run
from it), reject every node outside the whitelist, and turn the tree into a
chain of small Python closures.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from brinkmanship.spec import Src, suggest

MAX_EXPR_CHARS = 1000
MAX_EXPR_NODES = 300
MAX_CONSTANT = 10**12
MAX_VALUE = 10**15  # arithmetic saturates here: no huge numbers, no overflow, no inf or NaN

NUM, BOOL, STR = "number", "bool", "text"


class ExprError(Exception):
    """A problem with an expression; ``col`` is 1-based within the expression."""

    def __init__(self, message: str, col: int = 1) -> None:
        super().__init__(message)
        self.col = col


class StateView(Protocol):
    vars: Mapping[str, Any]
    turn: int
    minutes: int
    visits: Mapping[str, int]
    chosen: Mapping[str, int]
    stances: Mapping[str, int]
    fired: frozenset[str]
    stance: str
    choice: str
    role: str


Fn = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class NameInfo:
    type: str
    values: tuple[str, ...] = ()  # known values of a text name (enums, stances)
    get: Fn | None = None


@dataclass(frozen=True, slots=True)
class Compiled:
    source: str
    type: str
    fn: Fn
    size: int = 1  # syntax parts: a bound on the work of one evaluation

    def __call__(self, state: Any) -> Any:
        return self.fn(state)


# What a function's literal argument must name, checked by the loader's callback.
RefCheck = Callable[[str, str], str | None]  # (kind, value) -> error message or None

_FUNCS: dict[str, tuple[tuple[str, ...], str, str | None]] = {
    # name: (argument types, result type, kind of id a literal argument names)
    "visited": ((STR,), BOOL, "place"),
    "visits": ((STR,), NUM, "place"),
    "chose": ((STR,), BOOL, "choice"),
    "stance_count": ((STR,), NUM, "stance"),
    "fired": ((STR,), BOOL, "trigger"),
    "abs": ((NUM,), NUM, None),
    "min": ((NUM, NUM), NUM, None),
    "max": ((NUM, NUM), NUM, None),
    "clamp": ((NUM, NUM, NUM), NUM, None),
}
FUNCTION_NAMES = tuple(_FUNCS)

_CMP: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
}


def bound(v: Any) -> Any:
    """A number kept within +-MAX_VALUE (NaN becomes 0)."""
    if v > MAX_VALUE:
        return MAX_VALUE
    if v < -MAX_VALUE:
        return -MAX_VALUE
    return v if v == v else 0


def _div(a: Any, b: Any) -> Any:
    return 0 if b == 0 else a // b


def _mod(a: Any, b: Any) -> Any:
    return 0 if b == 0 else a % b


_ARITH: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: _div,
    ast.FloorDiv: _div,
    ast.Mod: _mod,
}

_WORDS = {"true": True, "false": False, "True": True, "False": False}
_SINGLE_EQ = re.compile(r"(?<![=!<>])=(?!=)")


class Compiler:
    """Compiles expressions against a fixed set of names."""

    def __init__(self, names: Mapping[str, NameInfo], check_ref: RefCheck | None = None) -> None:
        self.names = names
        self.check_ref = check_ref
        # The same text always compiles the same way: YAML aliases can repeat one
        # expression thousands of times, and each copy should not cost a compile.
        self._cache: dict[tuple[str, str | None], Compiled | ExprError] = {}

    def compile(self, source: str, want: str | None = None) -> Compiled:
        key = (str(source), want)
        hit = self._cache.get(key)
        if hit is None:
            try:
                hit = self._compile(key[0], want)
            except ExprError as exc:
                hit = exc
            self._cache[key] = hit
        if isinstance(hit, ExprError):
            raise ExprError(str(hit), hit.col)
        return hit

    def _compile(self, source: str, want: str | None) -> Compiled:
        text = source.strip()
        if not text:
            raise ExprError("empty expression")
        if len(text) > MAX_EXPR_CHARS:
            raise ExprError(f"expression longer than {MAX_EXPR_CHARS} characters")
        if "\n" in text or "\r" in text:
            text = " ".join(text.split())
        try:
            with warnings.catch_warnings():  # e.g. "1and 2": no noise on the terminal
                warnings.simplefilter("ignore")
                tree = ast.parse(text, mode="eval")
        except SyntaxError as exc:
            col = exc.offset or 1
            if _SINGLE_EQ.search(text):
                raise ExprError("'=' is not a comparison: write '==' to compare", col) from None
            raise ExprError(f"syntax error: {exc.msg}", col) from None
        except (ValueError, MemoryError, RecursionError):
            raise ExprError("expression cannot be parsed") from None
        count = sum(1 for _ in ast.walk(tree))
        if count > MAX_EXPR_NODES:
            raise ExprError(f"expression too complex ({count} parts; at most {MAX_EXPR_NODES})")
        typ, fn = self._node(tree.body)
        if want is not None and typ != want:
            raise ExprError(f"expected a {want} expression, but this gives a {typ}")
        return Compiled(text, typ, fn, count)

    # -- the tree walk ------------------------------------------------------

    def _node(self, node: ast.AST) -> tuple[str, Fn]:
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise ExprError(_not_allowed(node), getattr(node, "col_offset", 0) + 1)
        return method(node)

    def _Constant(self, node: ast.Constant) -> tuple[str, Fn]:
        v = node.value
        if isinstance(v, bool):
            return BOOL, lambda s, v=v: v
        if isinstance(v, int | float):
            if abs(v) > MAX_CONSTANT or v != v:
                raise ExprError(f"number too large (at most {MAX_CONSTANT})", node.col_offset + 1)
            return NUM, lambda s, v=v: v
        if isinstance(v, str):
            return STR, lambda s, v=v: v
        raise ExprError(f"{type(v).__name__} values are not allowed", node.col_offset + 1)

    def _Name(self, node: ast.Name) -> tuple[str, Fn]:
        if node.id in _WORDS:
            v = _WORDS[node.id]
            return BOOL, lambda s, v=v: v
        info = self.names.get(node.id)
        if info is None:
            hint = suggest(node.id, [*list(self.names), "true", "false"])
            if node.id in _FUNCS:
                hint = f" ({node.id} is a function: write {node.id}(...))"
            raise ExprError(f"unknown name {node.id!r}{hint}", node.col_offset + 1)
        if info.get is not None:
            return info.type, info.get
        name = node.id
        return info.type, lambda s, name=name: s.vars[name]

    def _UnaryOp(self, node: ast.UnaryOp) -> tuple[str, Fn]:
        typ, f = self._node(node.operand)
        col = node.col_offset + 1
        if isinstance(node.op, ast.Not):
            self._need(typ, BOOL, col, "'not'")
            return BOOL, lambda s: not f(s)
        if isinstance(node.op, ast.USub):
            self._need(typ, NUM, col, "'-'")
            return NUM, lambda s: -f(s)
        if isinstance(node.op, ast.UAdd):
            self._need(typ, NUM, col, "'+'")
            return NUM, f
        raise ExprError(_not_allowed(node.op), col)

    def _BoolOp(self, node: ast.BoolOp) -> tuple[str, Fn]:
        fns = []
        for v in node.values:
            typ, f = self._node(v)
            self._need(typ, BOOL, v.col_offset + 1, "'and'/'or'")
            fns.append(f)
        if isinstance(node.op, ast.And):
            return BOOL, lambda s: all(f(s) for f in fns)
        return BOOL, lambda s: any(f(s) for f in fns)

    def _BinOp(self, node: ast.BinOp) -> tuple[str, Fn]:
        op = _ARITH.get(type(node.op))
        if op is None:
            raise ExprError(_not_allowed(node.op), node.col_offset + 1)
        lt, lf = self._node(node.left)
        rt, rf = self._node(node.right)
        self._need(lt, NUM, node.left.col_offset + 1, "arithmetic")
        self._need(rt, NUM, node.right.col_offset + 1, "arithmetic")
        return NUM, lambda s: bound(op(lf(s), rf(s)))

    def _Compare(self, node: ast.Compare) -> tuple[str, Fn]:
        parts = [node.left, *node.comparators]
        typed = [self._node(p) for p in parts]
        checks = []
        for i, op in enumerate(node.ops):
            fn = _CMP.get(type(op))
            if fn is None:
                raise ExprError(_not_allowed(op), parts[i].col_offset + 1)
            (at, af), (bt, bf) = typed[i], typed[i + 1]
            if at != bt:
                raise ExprError(f"cannot compare a {at} with a {bt}", parts[i].col_offset + 1)
            if at != NUM and not isinstance(op, ast.Eq | ast.NotEq):
                raise ExprError(f"only numbers can be ordered; a {at} takes == or !=",
                                parts[i].col_offset + 1)
            if at == STR:
                self._check_known_text(parts[i], parts[i + 1])
            checks.append((fn, af, bf))
        if len(checks) == 1:
            fn, af, bf = checks[0]
            return BOOL, lambda s: fn(af(s), bf(s))
        return BOOL, lambda s: all(fn(af(s), bf(s)) for fn, af, bf in checks)

    def _Call(self, node: ast.Call) -> tuple[str, Fn]:
        col = node.col_offset + 1
        if not isinstance(node.func, ast.Name):
            raise ExprError("only the built-in functions can be called", col)
        name = node.func.id
        sig = _FUNCS.get(name)
        if sig is None:
            raise ExprError(f"unknown function {name!r}" + suggest(name, _FUNCS), col)
        if node.keywords:
            raise ExprError(f"{name}() takes no keyword arguments", col)
        argtypes, result, ref = sig
        if len(node.args) != len(argtypes):
            raise ExprError(f"{name}() takes {len(argtypes)} argument(s), got {len(node.args)}",
                            col)
        if ref is not None:
            arg = node.args[0]
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                raise ExprError(f"{name}() takes a quoted id, e.g. {name}(\"some-id\")",
                                arg.col_offset + 1)
            key: str = arg.value
            if self.check_ref is not None:
                problem = self.check_ref(ref, key)
                if problem:
                    raise ExprError(problem, arg.col_offset + 1)
            return result, _ref_fn(name, key)
        fns = []
        for a, t in zip(node.args, argtypes, strict=True):
            at, af = self._node(a)
            self._need(at, t, a.col_offset + 1, f"{name}()")
            fns.append(af)
        if name == "abs":
            (f,) = fns
            return NUM, lambda s: abs(f(s))
        if name == "min":
            f, g = fns
            return NUM, lambda s: min(f(s), g(s))
        if name == "max":
            f, g = fns
            return NUM, lambda s: max(f(s), g(s))
        f, lo, hi = fns
        return NUM, lambda s: max(lo(s), min(hi(s), f(s)))

    # -- helpers ----------------------------------------------------------

    def _need(self, got: str, want: str, col: int, what: str) -> None:
        if got != want:
            raise ExprError(f"{what} needs a {want}, not a {got}", col)

    def _check_known_text(self, a: ast.AST, b: ast.AST) -> None:
        for name_node, lit in ((a, b), (b, a)):
            if isinstance(name_node, ast.Name) and isinstance(lit, ast.Constant):
                info = self.names.get(name_node.id)
                if info is not None and info.values and lit.value not in info.values:
                    raise ExprError(
                        f"{name_node.id!r} is never {lit.value!r}; it is one of "
                        + ", ".join(repr(v) for v in info.values)
                        + suggest(str(lit.value), info.values),
                        lit.col_offset + 1,
                    )


def _ref_fn(name: str, key: str) -> Fn:
    if name == "visited":
        return lambda s: s.visits.get(key, 0) > 0
    if name == "visits":
        return lambda s: s.visits.get(key, 0)
    if name == "chose":
        return lambda s: s.chosen.get(key, 0) > 0
    if name == "stance_count":
        return lambda s: s.stances.get(key, 0)
    return lambda s: key in s.fired


def _not_allowed(node: ast.AST) -> str:
    kind = type(node).__name__
    friendly = {
        "Attribute": "attribute access ('.') is not allowed",
        "Subscript": "indexing ('[...]') is not allowed",
        "Lambda": "lambda is not allowed",
        "Pow": "'**' is not allowed",
        "IfExp": "'x if c else y' is not allowed",
        "ListComp": "comprehensions are not allowed",
        "GeneratorExp": "comprehensions are not allowed",
        "In": "'in' is not allowed; compare with == and combine with 'or'",
        "NotIn": "'not in' is not allowed",
        "Is": "'is' is not allowed; use ==",
        "IsNot": "'is not' is not allowed; use !=",
        "BitAnd": "'&' is not allowed; use 'and'",
        "BitOr": "'|' is not allowed; use 'or'",
    }
    return friendly.get(kind, f"{kind} is not part of the expression language")


def place_of(src: str, col: int) -> tuple[str, int, int]:
    """The file position of column ``col`` of an expression read from ``src``."""
    if isinstance(src, Src):
        path, line, c = src.loc
        return (path, line, c + col - 1)
    return ("<expr>", 1, col)
