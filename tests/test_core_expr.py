"""The expression language: what it computes, and what it refuses at load time."""

from __future__ import annotations

import contextlib
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brinkmanship.format.expr import BOOL, NUM, STR, Compiler, ExprError, NameInfo

NAMES = {
    "tension": NameInfo(NUM),
    "trust": NameInfo(NUM),
    "warned": NameInfo(BOOL),
    "mood": NameInfo(STR, ("calm", "angry")),
    "turn": NameInfo(NUM, get=lambda s: s.turn),
}


def state(**vars: object) -> SimpleNamespace:
    base = {"tension": 40, "trust": 7, "warned": False, "mood": "calm"}
    base.update(vars)
    return SimpleNamespace(
        vars=base,
        turn=3,
        minutes=0,
        visits={"a": 2},
        chosen={"x": 1},
        stances={"escalate": 2},
        fired=frozenset({"t1"}),
        stance="hold",
        choice="x",
        role="r",
    )


def run(src: str, **vars: object) -> object:
    def ref(kind: str, key: str) -> str | None:
        return None if key in {"a", "x", "escalate", "t1", "b"} else f"no {kind} {key!r}"

    return Compiler(NAMES, ref).compile(src)(state(**vars))


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("tension / 3", 13),
        ("tension / 0", 0),
        ("tension % 0", 0),
        ("-tension + 50", 10),
        ("tension > 30 and not warned", True),
        ("tension > 50 or warned", False),
        ("10 < tension <= 40", True),
        ('mood == "calm"', True),
        ("mood != 'angry'", True),
        ("true and True", True),
        ('visited("a")', True),
        ('visited("b")', False),
        ('visits("a") == 2', True),
        ('chose("x")', True),
        ('stance_count("escalate") + 1', 3),
        ('fired("t1")', True),
        ("min(tension, trust)", 7),
        ("max(tension, trust)", 40),
        ("abs(trust - tension)", 33),
        ("clamp(tension, 0, 10)", 10),
        ("turn * 2", 6),
    ],
)
def test_evaluates(src: str, expected: object) -> None:
    assert run(src) == expected


@pytest.mark.parametrize(
    ("src", "fragment"),
    [
        ("tension.real", "attribute access"),
        ("tension[0]", "indexing"),
        ("(lambda: 1)()", "built-in functions can be called"),
        ("lambda: 1", "lambda is not allowed"),
        ("2 ** 999999", "'**' is not allowed"),
        ("[x for x in y]", "comprehensions are not allowed"),
        ("__import__('os')", "unknown function '__import__'"),
        ("open('x')", "unknown function 'open'"),
        ("tension = 5", "write '=='"),
        ("tensoin > 5", "did you mean 'tension'"),
        ("mood == 'angri'", "did you mean 'angry'"),
        ("tension and warned", "needs a bool"),
        ("mood > 'calm'", "only numbers can be ordered"),
        ("tension == 'x'", "cannot compare"),
        ('visited("nowhere")', "no place 'nowhere'"),
        ("visited(tension)", "takes a quoted id"),
        ("min(1)", "takes 2 argument"),
        ("1 if warned else true", "must be of one type"),
        ("1 if tension else 2", "needs a bool"),
        ("x in y", "unknown name"),
        ("'a' + 'b'", "arithmetic needs a number"),
        ("99999999999999999", "number too large"),
        ("", "empty expression"),
        ("1 +", "syntax error"),
    ],
)
def test_rejects(src: str, fragment: str) -> None:
    with pytest.raises(ExprError) as info:
        run(src)
    assert fragment in str(info.value)


def test_if_else_is_format_2() -> None:
    assert run("tension * 2 if warned else 7", warned=True, tension=4) == 8
    assert run("tension * 2 if warned else 7", warned=False, tension=4) == 7
    with pytest.raises(ExprError, match="needs format 2"):
        Compiler(NAMES, version=1).compile("1 if warned else 2")


def test_long_expressions_are_refused_before_parsing() -> None:
    with pytest.raises(ExprError, match="longer than"):
        run("1+" * 600 + "1")
    with pytest.raises(ExprError):
        run("(" * 300 + "1" + ")" * 300)


def test_type_is_checked_against_the_wanted_type() -> None:
    with pytest.raises(ExprError, match="expected a bool expression"):
        Compiler(NAMES).compile("tension + 1", BOOL)


def test_error_columns_point_into_the_expression() -> None:
    with pytest.raises(ExprError) as info:
        run("tension > 5 and foo")
    assert info.value.col == 17


@given(st.integers(-1000, 1000), st.integers(-1000, 1000))
def test_arithmetic_matches_python_whole_numbers(a: int, b: int) -> None:
    assert run(f"({a}) + ({b}) * 2") == a + b * 2
    assert run(f"({a}) / ({b})") == (0 if b == 0 else a // b)
    assert run(f"({a}) < ({b})") == (a < b)


@given(st.text(max_size=60))
def test_arbitrary_text_never_raises_anything_but_expr_error(src: str) -> None:
    with contextlib.suppress(ExprError):
        run(src)
