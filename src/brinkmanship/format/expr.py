"""The scenario expression language: parsed and type-checked at load, run without eval.

Syntax is a small, Python-like subset: numbers, "strings", true/false, variable
names, ``+ - * / %`` (``/`` is whole-number division; dividing by zero gives 0),
comparisons (which may chain), ``and`` / ``or`` / ``not``, parentheses and a few
whitelisted functions. We parse with :mod:`ast` (no code is ever compiled or run
from it), reject every node outside the whitelist, and turn the tree into our own
typed tree (:data:`Node`).

There is one evaluator, :func:`build`: it turns a tree into a chain of small
closures over a :class:`Domain`, which says what values are and what each
operation does. :data:`CONCRETE` is the game's domain (saturating arithmetic);
the writer's tools plug in others (distances to a condition, intervals) and get
the same structure, the same order of evaluation and the same short circuits.
"""

from __future__ import annotations

import ast
import operator
import re
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from brinkmanship.format.names import BOOL, NUM, STR

__all__ = ["BOOL", "NUM", "STR", "Compiled", "Compiler", "ExprError", "NameInfo"]
from brinkmanship.format.spec import Src, suggest

MAX_EXPR_CHARS = 1000
MAX_EXPR_NODES = 300
MAX_CONSTANT = 10**12
MAX_VALUE = 10**15  # arithmetic saturates here: no huge numbers, no overflow, no inf or NaN


class ExprError(Exception):
    """A problem with an expression; ``col`` is 1-based within the expression."""

    def __init__(self, message: str, col: int = 1, missing: str | None = None) -> None:
        super().__init__(message)
        self.col = col
        self.missing = missing  # the name or id that was not found, if that is the problem


# -- the typed tree ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Const:
    value: Any
    type: str


@dataclass(frozen=True, slots=True)
class Name:
    """A scenario variable (``get`` is None) or a built-in name (read by ``get``)."""

    name: str
    type: str
    get: Callable[[Any], Any] | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Ref:
    """A function of the game's history whose argument names an id: ``visited("x")``."""

    func: str
    key: str
    type: str


@dataclass(frozen=True, slots=True)
class Unary:
    op: str  # "not", "-" or "+"
    arg: Node
    type: str


@dataclass(frozen=True, slots=True)
class BoolOp:
    op: str  # "and" or "or"
    args: tuple[Node, ...]
    type: str = BOOL


@dataclass(frozen=True, slots=True)
class BinOp:
    op: str  # "+", "-", "*", "/" or "%"
    left: Node
    right: Node
    type: str = NUM


@dataclass(frozen=True, slots=True)
class Compare:
    op: str  # "==", "!=", "<", "<=", ">" or ">="
    left: Node
    right: Node
    type: str = BOOL


@dataclass(frozen=True, slots=True)
class Call:
    func: str  # "abs", "min", "max" or "clamp"
    args: tuple[Node, ...]
    type: str = NUM


@dataclass(frozen=True, slots=True)
class IfElse:
    """``then if test else other`` (format 2 effects use it to set an enum from a condition)."""

    test: Node
    then: Node
    other: Node
    type: str


Node = Const | Name | Ref | Unary | BoolOp | BinOp | Compare | Call | IfElse


def walk(node: Node) -> Iterator[Node]:
    """Every node of a tree, the root first."""
    yield node
    if isinstance(node, Unary):
        yield from walk(node.arg)
    elif isinstance(node, BoolOp | Call):
        for a in node.args:
            yield from walk(a)
    elif isinstance(node, BinOp | Compare):
        yield from walk(node.left)
        yield from walk(node.right)
    elif isinstance(node, IfElse):
        yield from walk(node.test)
        yield from walk(node.then)
        yield from walk(node.other)


# -- the one evaluator --------------------------------------------------------------

V = TypeVar("V")
Fn = Callable[[Any], Any]


class Domain(Protocol[V]):
    """What values are, and what each operation of the language does to them."""

    def leaf(self, node: Const | Name | Ref) -> Callable[[Any], V]: ...

    def unary(self, op: str) -> Callable[[V], V]: ...

    def binary(self, op: str) -> Callable[[V, V], V]: ...

    def compare(self, op: str, left: Node, right: Node) -> Callable[[V, V], V]: ...

    def boolean(self, op: str, parts: Sequence[Callable[[Any], V]]) -> Callable[[Any], V]: ...

    def call(self, func: str) -> Callable[..., V]: ...

    def choose(
        self, test: Callable[[Any], V], then: Callable[[Any], V], other: Callable[[Any], V]
    ) -> Callable[[Any], V]: ...


def build(node: Node, domain: Domain[V]) -> Callable[[Any], V]:
    """The tree as a function of a state (whatever the domain reads) to a value."""
    if isinstance(node, Const | Name | Ref):
        return domain.leaf(node)
    if isinstance(node, Unary):
        f, arg = domain.unary(node.op), build(node.arg, domain)
        return lambda s: f(arg(s))
    if isinstance(node, BoolOp):
        return domain.boolean(node.op, [build(a, domain) for a in node.args])
    if isinstance(node, IfElse):
        return domain.choose(
            build(node.test, domain), build(node.then, domain), build(node.other, domain)
        )
    if isinstance(node, BinOp | Compare):
        op = (
            domain.binary(node.op)
            if isinstance(node, BinOp)
            else domain.compare(node.op, node.left, node.right)
        )
        lf, rf = build(node.left, domain), build(node.right, domain)
        return lambda s: op(lf(s), rf(s))
    f = domain.call(node.func)
    args = [build(a, domain) for a in node.args]
    if len(args) == 1:
        (a,) = args
        return lambda s: f(a(s))
    if len(args) == 2:
        a, b = args
        return lambda s: f(a(s), b(s))
    return lambda s: f(*(a(s) for a in args))


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


ARITH: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": _div,
    "%": _mod,
}
HOLDS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
NEGATED = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}


class Concrete:
    """The game's own values: numbers saturate at +-MAX_VALUE; ``and``/``or`` short-circuit."""

    def leaf(self, node: Const | Name | Ref) -> Fn:
        if isinstance(node, Const):
            v = node.value
            return lambda s: v
        if isinstance(node, Name):
            if node.get is not None:
                return node.get
            name = node.name
            return lambda s: s.vars[name]
        func, key = node.func, node.key
        if func == "visited":
            return lambda s: s.visits.get(key, 0) > 0
        if func == "visits":
            return lambda s: s.visits.get(key, 0)
        if func == "chose":
            return lambda s: s.chosen.get(key, 0) > 0
        if func == "stance_count":
            return lambda s: s.stances.get(key, 0)
        return lambda s: key in s.fired

    def unary(self, op: str) -> Callable[[Any], Any]:
        ops: dict[str, Callable[[Any], Any]] = {
            "not": operator.not_,
            "-": operator.neg,
            "+": operator.pos,
        }
        return ops[op]

    def binary(self, op: str) -> Callable[[Any, Any], Any]:
        f = ARITH[op]
        return lambda a, b: bound(f(a, b))

    def compare(self, op: str, left: Node, right: Node) -> Callable[[Any, Any], Any]:
        return HOLDS[op]

    def boolean(self, op: str, parts: Sequence[Fn]) -> Fn:
        fns = list(parts)
        if op == "and":
            return lambda s: all(f(s) for f in fns)
        return lambda s: any(f(s) for f in fns)

    def call(self, func: str) -> Callable[..., Any]:
        return CALLS[func]

    def choose(self, test: Fn, then: Fn, other: Fn) -> Fn:
        return lambda s: then(s) if test(s) else other(s)


CALLS: dict[str, Callable[..., Any]] = {
    "abs": abs,
    "min": min,
    "max": max,
    "clamp": lambda x, lo, hi: max(lo, min(hi, x)),
}
CONCRETE = Concrete()


# -- compiling ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NameInfo:
    type: str
    values: tuple[str, ...] = ()  # known values of a text name (enums, stances)
    get: Fn | None = None  # how a built-in name is read (None: a scenario variable)
    ordered: bool = False  # a ladder: its values are rungs, lowest first, and can be ordered


@dataclass(frozen=True, slots=True)
class Compiled:
    source: str
    type: str
    tree: Node
    fn: Fn
    size: int = 1  # syntax parts: a bound on the work of one evaluation

    def __call__(self, state: Any) -> Any:
        return self.fn(state)

    @classmethod
    def constant(cls, value: Any) -> Compiled:
        """An expression that always gives ``value`` (stands in for one that failed to load)."""
        typ = BOOL if isinstance(value, bool) else NUM if isinstance(value, int) else STR
        return cls(
            str(value).lower() if typ == BOOL else repr(value) if typ == STR else str(value),
            typ,
            Const(value, typ),
            lambda s: value,
        )


# What a function's literal argument must name, checked by the loader's callback.
RefCheck = Callable[[str, str], str | None]  # (kind, value) -> error message or None


@dataclass(frozen=True, slots=True)
class Function:
    args: tuple[str, ...]
    result: str
    names: str | None = None  # the kind of id a literal argument names
    grows: bool = False  # never goes down as a game goes on


FUNCTIONS: dict[str, Function] = {
    "visited": Function((STR,), BOOL, "place", True),
    "visits": Function((STR,), NUM, "place", True),
    "chose": Function((STR,), BOOL, "choice", True),
    "stance_count": Function((STR,), NUM, "stance", True),
    "fired": Function((STR,), BOOL, "trigger", True),
    "abs": Function((NUM,), NUM),
    "min": Function((NUM, NUM), NUM),
    "max": Function((NUM, NUM), NUM),
    "clamp": Function((NUM, NUM, NUM), NUM),
}
FUNCTION_NAMES = tuple(FUNCTIONS)

_CMP_OPS: dict[type, str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}
_ARITH_OPS: dict[type, str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "/",
    ast.Mod: "%",
}
_WORDS = {"true": True, "false": False, "True": True, "False": False}
_SINGLE_EQ = re.compile(r"(?<![=!<>])=(?!=)")


def _check_characters(text: str) -> None:
    """Refuse what Python's parser would read differently from how it looks: ``#`` (the
    rest would be a silent comment) and non-ASCII characters outside quotes (fullwidth
    letters are folded into ASCII names, other scripts' digits into numbers)."""
    quote = ""
    escaped = False
    for i, ch in enumerate(text, start=1):
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "#":
            raise ExprError(
                "'#' has no meaning in an expression (everything after it would be ignored); "
                "remove it, or put it inside quotes",
                i,
            )
        elif not ch.isascii():
            raise ExprError(
                f"{ch!r} (U+{ord(ch):04X}) is not an ASCII letter, digit or sign: write names "
                "and numbers in plain ASCII (text belongs inside quotes)",
                i,
            )


_TYPE_FIX = {
    (BOOL, NUM): ": compare it, e.g. 'tension > 50' or 'turn == 3'",
    (BOOL, STR): ": compare it, e.g. \"mood == 'calm'\"",
    (NUM, BOOL): ": a condition is true or false; write a number or a sum, e.g. '10 + trust / 2'",
    (NUM, STR): ": write a number or a sum of numeric variables, e.g. '10 + trust / 2'",
}


class Compiler:
    """Compiles expressions against a fixed set of names."""

    def __init__(
        self,
        names: Mapping[str, NameInfo],
        check_ref: RefCheck | None = None,
        version: int = 2,
    ) -> None:
        self.names = names
        self.check_ref = check_ref
        self.version = version  # 'x if c else y' is format 2
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
            raise ExprError(str(hit), hit.col, hit.missing)
        return hit

    def _compile(self, source: str, want: str | None) -> Compiled:
        text = source.strip()
        if not text:
            raise ExprError("empty expression")
        if len(text) > MAX_EXPR_CHARS:
            raise ExprError(f"expression longer than {MAX_EXPR_CHARS} characters")
        if "\n" in text or "\r" in text:
            text = " ".join(text.split())
        _check_characters(text)
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
        node = self._node(tree.body)
        if want is not None and node.type != want:
            raise ExprError(
                f"expected a {want} expression, but this gives a {node.type}"
                + _TYPE_FIX.get((want, node.type), "")
            )
        return Compiled(text, node.type, node, build(node, CONCRETE), count)

    # -- the tree walk ------------------------------------------------------

    def _node(self, node: ast.AST) -> Node:
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise ExprError(_not_allowed(node), getattr(node, "col_offset", 0) + 1)
        result: Node = method(node)
        return result

    def _Constant(self, node: ast.Constant) -> Node:
        v = node.value
        if isinstance(v, bool):
            return Const(v, BOOL)
        if isinstance(v, int | float):
            if abs(v) > MAX_CONSTANT or v != v:
                raise ExprError(f"number too large (at most {MAX_CONSTANT})", node.col_offset + 1)
            return Const(v, NUM)
        if isinstance(v, str):
            return Const(v, STR)
        raise ExprError(f"{type(v).__name__} values are not allowed", node.col_offset + 1)

    def _Name(self, node: ast.Name) -> Node:
        if node.id in _WORDS:
            return Const(_WORDS[node.id], BOOL)
        info = self.names.get(node.id)
        if info is None:
            hint = suggest(node.id, [*list(self.names), "true", "false"])
            if node.id in FUNCTIONS:
                hint = f" ({node.id} is a function: write {node.id}(...))"
            raise ExprError(f"unknown name {node.id!r}{hint}", node.col_offset + 1, node.id)
        return Name(node.id, info.type, info.get)

    def _UnaryOp(self, node: ast.UnaryOp) -> Node:
        arg = self._node(node.operand)
        col = node.col_offset + 1
        if isinstance(node.op, ast.Not):
            self._need(arg.type, BOOL, col, "'not'")
            return Unary("not", arg, BOOL)
        if isinstance(node.op, ast.USub | ast.UAdd):
            sign = "-" if isinstance(node.op, ast.USub) else "+"
            self._need(arg.type, NUM, col, f"'{sign}'")
            return Unary(sign, arg, NUM)
        raise ExprError(_not_allowed(node.op), col)

    def _BoolOp(self, node: ast.BoolOp) -> Node:
        args = []
        for v in node.values:
            arg = self._node(v)
            self._need(arg.type, BOOL, v.col_offset + 1, "'and'/'or'")
            args.append(arg)
        return BoolOp("and" if isinstance(node.op, ast.And) else "or", tuple(args))

    def _BinOp(self, node: ast.BinOp) -> Node:
        op = _ARITH_OPS.get(type(node.op))
        if op is None:
            raise ExprError(_not_allowed(node.op), node.col_offset + 1)
        left, right = self._node(node.left), self._node(node.right)
        self._need(left.type, NUM, node.left.col_offset + 1, "arithmetic")
        self._need(right.type, NUM, node.right.col_offset + 1, "arithmetic")
        return BinOp(op, left, right)

    def _Compare(self, node: ast.Compare) -> Node:
        parts = [node.left, *node.comparators]
        typed = [self._node(p) for p in parts]
        checks: list[Node] = []
        for i, op in enumerate(node.ops):
            name = _CMP_OPS.get(type(op))
            if name is None:
                raise ExprError(_not_allowed(op), parts[i].col_offset + 1)
            a, b = typed[i], typed[i + 1]
            if a.type != b.type:
                raise ExprError(
                    f"cannot compare a {a.type} with a {b.type}", parts[i].col_offset + 1
                )
            rungs = self._rungs(parts[i], parts[i + 1], name) if a.type == STR else None
            if rungs is not None:
                checks.append(rungs)
                continue
            if a.type != NUM and name not in ("==", "!="):
                raise ExprError(
                    f"only numbers can be ordered; a {a.type} takes == or !=",
                    parts[i].col_offset + 1,
                )
            if a.type == STR:
                self._check_known_text(parts[i], parts[i + 1])
            checks.append(Compare(name, a, b))
        # A chain a < b < c means (a < b) and (b < c).
        return checks[0] if len(checks) == 1 else BoolOp("and", tuple(checks))

    def _IfExp(self, node: ast.IfExp) -> Node:
        if self.version < 2:
            raise ExprError("'x if c else y' needs format 2", node.col_offset + 1)
        test = self._node(node.test)
        self._need(test.type, BOOL, node.test.col_offset + 1, "the condition of 'if ... else'")
        then, other = self._node(node.body), self._node(node.orelse)
        if then.type != other.type:
            raise ExprError(
                f"both sides of 'if ... else' must be of one type, not a {then.type} "
                f"and a {other.type}",
                node.col_offset + 1,
            )
        return IfElse(test, then, other, then.type)

    def _Call(self, node: ast.Call) -> Node:
        col = node.col_offset + 1
        if not isinstance(node.func, ast.Name):
            raise ExprError("only the built-in functions can be called", col)
        name = node.func.id
        sig = FUNCTIONS.get(name)
        if sig is None:
            raise ExprError(f"unknown function {name!r}" + suggest(name, FUNCTIONS), col)
        if node.keywords:
            raise ExprError(f"{name}() takes no keyword arguments", col)
        if len(node.args) != len(sig.args):
            raise ExprError(
                f"{name}() takes {len(sig.args)} argument(s), got {len(node.args)}", col
            )
        if sig.names is not None:
            arg = node.args[0]
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)):
                raise ExprError(
                    f'{name}() takes a quoted id, e.g. {name}("some-id")', arg.col_offset + 1
                )
            key: str = arg.value
            if self.check_ref is not None:
                problem = self.check_ref(sig.names, key)
                if problem:
                    raise ExprError(problem, arg.col_offset + 1, key)
            return Ref(name, key, sig.result)
        args = []
        for a, t in zip(node.args, sig.args, strict=True):
            arg_node = self._node(a)
            self._need(arg_node.type, t, a.col_offset + 1, f"{name}()")
            args.append(arg_node)
        return Call(name, tuple(args))

    # -- helpers ----------------------------------------------------------

    def _rungs(self, a: ast.AST, b: ast.AST, op: str) -> Node | None:
        """``ladder <op> "rung"`` (either way round) as the rungs it allows, or None when
        this is not an ordering of a ladder variable against one of its values."""
        if op in ("==", "!="):
            return None
        for name_node, lit, flip in ((a, b, False), (b, a, True)):
            if not (isinstance(name_node, ast.Name) and isinstance(lit, ast.Constant)):
                continue
            info = self.names.get(name_node.id)
            if info is None or not info.ordered:
                continue
            if lit.value not in info.values:
                self._check_known_text(name_node, lit)
            at = info.values.index(lit.value)
            holds = HOLDS[{"<": ">", ">": "<", "<=": ">=", ">=": "<="}[op] if flip else op]
            name = Name(name_node.id, STR)
            allowed = [
                Compare("==", name, Const(v, STR))
                for k, v in enumerate(info.values)
                if holds(k, at)
            ]
            if not allowed:
                return Const(False, BOOL)
            return allowed[0] if len(allowed) == 1 else BoolOp("or", tuple(allowed))
        return None

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


def _not_allowed(node: ast.AST) -> str:
    kind = type(node).__name__
    friendly = {
        "Attribute": "attribute access ('.') is not allowed",
        "Subscript": "indexing ('[...]') is not allowed",
        "Lambda": "lambda is not allowed",
        "Pow": "'**' is not allowed",
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
