"""Expressions from strangers: refused at load unless inside the language, and cheap to run.

Property tests: random text and random (mostly valid) expression trees compile to a
function or raise ExprError, never anything else; what compiles evaluates, on any
state, to a value of its type without raising, with numbers kept within MAX_VALUE.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brinkmanship.format.expr import (
    BOOL,
    MAX_EXPR_CHARS,
    MAX_VALUE,
    NUM,
    STR,
    Compiler,
    ExprError,
    NameInfo,
)
from brinkmanship.format.loader import load_scenario
from brinkmanship.runtime.session import Session
from tests.hardening_helpers import MINI, write

NAMES = {
    "tension": NameInfo(NUM),
    "trust": NameInfo(NUM),
    "warned": NameInfo(BOOL),
    "mood": NameInfo(STR, ("calm", "angry")),
    "turn": NameInfo(NUM, get=lambda s: s.turn),
}


def ref(kind: str, key: str) -> str | None:
    return None if key in {"a", "x", "hold", "t1"} else f"no {kind} {key!r}"


COMPILER = Compiler(NAMES, ref)


def state(tension: object = 40, trust: object = 7) -> SimpleNamespace:
    return SimpleNamespace(
        vars={"tension": tension, "trust": trust, "warned": False, "mood": "calm"},
        turn=3,
        minutes=0,
        visits={"a": 2},
        chosen={"x": 1},
        stances={"hold": 2},
        fired=frozenset({"t1"}),
        stance="hold",
        choice="x",
        role="r",
    )


@pytest.mark.parametrize(
    ("src", "fragment"),
    [
        ("tension.__class__", "attribute access"),
        ("().__class__.__bases__[0].__subclasses__()", "only the built-in functions"),
        ("tension[0]", "indexing"),
        ("__import__('os').system('true')", "only the built-in functions"),
        ("__import__('os')", "unknown function '__import__'"),
        ("open('/etc/passwd')", "unknown function 'open'"),
        ("eval('1')", "unknown function 'eval'"),
        ("(lambda: 1)()", "only the built-in functions can be called"),
        ("lambda: 1", "lambda is not allowed"),
        ("[x for x in y]", "comprehensions are not allowed"),
        ("(x for x in y)", "comprehensions are not allowed"),
        ("{x for x in y}", "not part of the expression language"),
        ("{1: 2}", "not part of the expression language"),
        ("[1, 2]", "not part of the expression language"),
        ("(tension := 5)", "not part of the expression language"),
        ("f'{tension}'", "not part of the expression language"),
        ("2 ** 1000000", "'**' is not allowed"),
        ("tension ** tension", "'**' is not allowed"),
        ("9" * 30, "number too large"),
        ("1e999", "number too large"),
        ("1j", "complex values are not allowed"),
        ("b'x'", "bytes values are not allowed"),
        ("...", "not allowed"),
        ("tension << 2000", "not part of the expression language"),
        ("max(tension, trust, key=abs)", "takes no keyword arguments"),
        ("visited(mood)", "takes a quoted id"),
        ("visited('nowhere')", "no place 'nowhere'"),
        ("yield 1", "syntax error"),
        ("await x", "not part of the expression language"),
        ("1 if warned else 2 if warned else true", "must be of one type"),
        ("'a' * 100000000", "arithmetic needs a number"),
    ],
)
def test_outside_the_language_is_refused(src: str, fragment: str) -> None:
    with pytest.raises(ExprError) as info:
        COMPILER.compile(src)
    assert fragment in str(info.value)


COSTLY = {
    "too-long": "1+" * (MAX_EXPR_CHARS // 2) + "1",
    "too-many-parts": " + ".join(["tension"] * 200),  # within the length
    "deep-parentheses": "(" * 250 + "1" + ")" * 250,  # nesting the parser refuses
    "deep-minus": "-" * 990 + "1",  # a deep chain of one operator
    "deep-not": "not " * 240 + "warned",
}


@pytest.mark.parametrize("src", list(COSTLY.values()), ids=list(COSTLY))
def test_expressions_that_could_exhaust_time_or_memory_are_refused(src: str) -> None:
    t0 = time.monotonic()
    with pytest.raises(ExprError):
        COMPILER.compile(src)
    assert time.monotonic() - t0 < 10  # a guard against a hang, not a benchmark


def test_arithmetic_saturates_instead_of_overflowing() -> None:
    big = " * ".join(["1000000000000"] * 20)  # 10**240 if it did not saturate
    assert COMPILER.compile(big)(state()) == MAX_VALUE
    assert COMPILER.compile("-" + big)(state()) == -MAX_VALUE
    floats = " * ".join(["1000000000000.0"] * 30)  # inf in floating point
    assert COMPILER.compile(floats)(state()) == MAX_VALUE
    assert COMPILER.compile(f"({floats}) / 3 + tension")(state()) <= MAX_VALUE
    assert COMPILER.compile(f"({big}) / 0.5")(state()) == MAX_VALUE


def test_a_compiled_expression_is_shared_by_its_copies() -> None:
    c = Compiler(NAMES, ref)
    assert c.compile("tension + 1") is c.compile("tension + 1")
    for _ in range(2):  # a cached error is raised again, each time
        with pytest.raises(ExprError, match="unknown name"):
            c.compile("nope + 1")


def test_variables_saturate_in_a_real_game(tmp_path: Path) -> None:
    text = MINI.replace("{initial: 20, min: 0, max: 100}", "{initial: 20}").replace(
        "effects: {tension: +10}",
        "effects: {tension: '= tension * tension * tension * 1000000000000.0'}",
    )
    sc = load_scenario(str(write(tmp_path / "s.yaml", text)))
    game = Session(sc, "a", 1)
    for _ in range(10):
        game.take("go")
        game.take("back")
    assert game.state.vars["tension"] == MAX_VALUE
    assert isinstance(game.state.vars["tension"], int)
    game.state.digest()  # and the state still serialises


# -- property tests ----------------------------------------------------------------

ATOMS = st.one_of(
    st.integers(-(10**13), 10**13).map(str),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e13, max_value=1e13).map(repr),
    st.sampled_from(
        [
            "tension",
            "trust",
            "turn",
            "warned",
            "mood",
            "true",
            "false",
            "'calm'",
            "'angry'",
            "'x'",
            "visits('a')",
            "chose('x')",
            "fired('t1')",
            "stance_count('hold')",
            "foo",
            "x.y",
            "a[0]",
            "f()",
            "None",
            "1e400",
        ]
    ),
)
BINARY = [
    "+",
    "-",
    "*",
    "/",
    "%",
    "//",
    "**",
    "<",
    "<=",
    "==",
    "!=",
    ">",
    ">=",
    "and",
    "or",
    "&",
    "|",
    "^",
    "<<",
    "in",
    "is",
]


def combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, st.sampled_from(BINARY), children).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(st.sampled_from(["-", "not ", "+", "~"]), children).map(lambda t: t[0] + t[1]),
        st.tuples(
            st.sampled_from(["abs", "min", "max", "clamp", "visited", "len"]),
            st.lists(children, max_size=3),
        ).map(lambda t: f"{t[0]}({', '.join(t[1])})"),
    )


EXPRS = st.recursive(ATOMS, combine, max_leaves=40)
# Well-typed numeric expressions with extreme constants: these compile, so they test running.
NUM_ATOMS = st.one_of(
    st.sampled_from(
        ["tension", "trust", "turn", "1000000000000", "1000000000000.0", "0", "0.0", "-1", "1e-300"]
    ),
    st.integers(-(10**12), 10**12).map(str),
)


def num_ops(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(children, st.sampled_from(["+", "-", "*", "/", "%"]), children).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        children.map(lambda c: f"-{c}"),
        st.tuples(st.sampled_from(["abs", "min", "max"]), children, children).map(
            lambda t: f"{t[0]}({t[1]})" if t[0] == "abs" else f"{t[0]}({t[1]}, {t[2]})"
        ),
        st.tuples(children, children, children).map(lambda t: f"clamp({t[0]}, {t[1]}, {t[2]})"),
    )


NUMERIC = st.recursive(NUM_ATOMS, num_ops, max_leaves=60)
VALUES = st.one_of(
    st.integers(-MAX_VALUE, MAX_VALUE), st.floats(-MAX_VALUE, MAX_VALUE, allow_nan=False)
)


def check_value(compiled: object, value: object) -> None:
    typ = compiled.type  # type: ignore[attr-defined]
    if typ == NUM:
        assert isinstance(value, int | float) and not isinstance(value, bool)
        assert -MAX_VALUE <= value <= MAX_VALUE or value != value
    elif typ == BOOL:
        assert isinstance(value, bool)
    else:
        assert isinstance(value, str)


@settings(max_examples=300, deadline=500, suppress_health_check=[HealthCheck.too_slow])
@given(EXPRS, VALUES, VALUES)
def test_random_expressions_compile_or_are_refused_and_never_fail_to_run(
    src: str, tension: float, trust: float
) -> None:
    try:
        compiled = COMPILER.compile(src)
    except ExprError:
        return
    check_value(compiled, compiled(state(tension, trust)))


@settings(max_examples=300, deadline=500)
@given(st.text(max_size=200))
def test_random_text_raises_only_expr_error(src: str) -> None:
    try:
        compiled = COMPILER.compile(src)
    except ExprError:
        return
    check_value(compiled, compiled(state()))


@settings(max_examples=100, deadline=500)
@given(st.text(alphabet="()+-*/%<>=!notandr1e9. ", min_size=1, max_size=MAX_EXPR_CHARS + 5))
def test_long_random_operator_soup_is_quick(src: str) -> None:
    try:
        compiled = COMPILER.compile(src)
    except ExprError:
        return
    check_value(compiled, compiled(state()))


@settings(max_examples=300, deadline=500, suppress_health_check=[HealthCheck.too_slow])
@given(NUMERIC, NUMERIC, VALUES, VALUES)
def test_valid_arithmetic_never_fails_to_run(a: str, b: str, tension: float, trust: float) -> None:
    for src in (a, f"{a} < {b}", f"{a} == {b} or not ({b} >= 0)"):
        try:
            compiled = COMPILER.compile(src)
        except ExprError as exc:  # only ever for size
            assert "too complex" in str(exc) or "longer than" in str(exc)
            continue
        check_value(compiled, compiled(state(tension, trust)))


def test_no_python_warnings_reach_the_terminal() -> None:
    import contextlib
    import warnings

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        for src in ("1and 2", "0x1for", "'\\d' == mood"):
            with contextlib.suppress(ExprError):
                Compiler(NAMES, ref).compile(src)
    assert not seen


@pytest.mark.parametrize(
    ("text", "col", "fragment"),
    [
        ("ｔｅｎｓｉｏｎ > 3", 1, "U+FF54"),
        ("tension > 3 # and never", 13, "'#' has no meaning"),
        ("tension > ١٢", 11, "U+0661"),
        ("tension > 1²", 12, "U+00B2"),
    ],
)
def test_expressions_that_would_read_differently_from_what_runs(
    text: str, col: int, fragment: str
) -> None:
    from brinkmanship.format.expr import NUM, Compiler, ExprError, NameInfo

    c = Compiler({"tension": NameInfo(NUM)})
    with pytest.raises(ExprError, match=re.escape(fragment)) as info:
        c.compile(text)
    assert info.value.col == col


def test_hash_and_non_ascii_inside_quotes_are_text() -> None:
    from brinkmanship.format.expr import Compiler

    assert Compiler({}).compile("'#é' == \"#é\"").type == "bool"
