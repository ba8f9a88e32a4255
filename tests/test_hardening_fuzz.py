"""Fuzzing the loader (issue #6): random YAML, and random damage to real scenarios.

Whatever the text, loading ends quickly in a scenario or a ScenarioError; a scenario
that loads plays (a few random choices) without any error but GameError.
"""

from __future__ import annotations

import copy
import functools
import random
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brinkmanship.format.errors import GameError, ScenarioError
from brinkmanship.format.loader import load_scenario
from brinkmanship.format.model import Scenario
from brinkmanship.runtime.session import Session
from brinkmanship.runtime.views import ending_view, scene_view
from tests.conftest import FIXTURES
from tests.hardening_helpers import MINI

ROOT = Path(__file__).resolve().parents[1]
TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"
CRISIS = FIXTURES / "core" / "crisis.yaml"
SETTINGS = settings(
    deadline=2000,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the tutorial (with its included part) and of the core fixture."""
    d = tmp_path_factory.mktemp("fuzz")
    shutil.copy(TUTORIAL, d / "tutorial.yaml")
    shutil.copytree(TUTORIAL.parent / "tutorial-parts", d / "tutorial-parts")
    shutil.copy(CRISIS, d / "crisis.yaml")
    shutil.copytree(CRISIS.parent / "parts", d / "parts")
    return d


def load(path: Path, text: str | bytes) -> Scenario | None:
    """Load ``text`` as ``path``: a scenario or None (ScenarioError); nothing else, quickly."""
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    t0 = time.monotonic()
    try:
        sc = load_scenario(str(path))
    except ScenarioError as exc:
        assert exc.diagnostics, "an error without a diagnostic"
        sc = None
    assert time.monotonic() - t0 < 20  # a guard against a hang, not a benchmark
    return sc


def play_a_little(sc: Scenario, seed: int) -> None:
    rng = random.Random(seed)
    for role in sc.roles:
        game = Session(sc, role, seed)
        for _ in range(15):
            if game.state.over:
                ending_view(game.engine, game.state)
                break
            scene_view(game.engine, game.state)
            choices = game.engine.available(game.state)
            if not choices:
                break
            try:
                game.take(rng.choice(choices).id)
            except GameError:
                break
        game.state.digest()


# -- random text ------------------------------------------------------------------------

TOKENS = [
    *"abc:-_ \n\t[]{}&*!|>'\"#?,.%@`~01\\",
    "format: 1\n",
    "id: x\n",
    "scenes:\n",
    "  ",
    "roles:",
    "&a ",
    "*a",
    "\x00",
    "\x1b",
    "é",
    "\ufeff",
]
YAMLISH = st.lists(st.sampled_from(TOKENS), max_size=120).map("".join)


@settings(SETTINGS, max_examples=300)
@given(text=YAMLISH)
def test_random_yaml_text(text: str, tmp_path: Path) -> None:
    load(tmp_path / "s.yaml", text)


@settings(SETTINGS, max_examples=100)
@given(blob=st.binary(max_size=300))
def test_random_bytes(blob: bytes, tmp_path: Path) -> None:
    load(tmp_path / "s.yaml", blob)


# -- damaged real scenarios ------------------------------------------------------------------


@settings(SETTINGS, max_examples=60)
@given(data=st.data())
def test_textual_damage_to_the_tutorial(data: st.DataObject, workdir: Path) -> None:
    src = TUTORIAL.read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(1, 4), label="edits")):
        i = data.draw(st.integers(0, len(src)), label="at")
        j = min(len(src), i + data.draw(st.integers(0, 80), label="span"))
        kind = data.draw(st.sampled_from(["delete", "insert", "repeat", "replace"]))
        junk = data.draw(
            st.sampled_from(
                [
                    "",
                    ":",
                    "- ",
                    "  ",
                    "\n",
                    "{",
                    "]",
                    "&x ",
                    "*x",
                    "!!str ",
                    "'",
                    '"',
                    "# ",
                    "0",
                    "-1e9",
                    "true",
                    "\x1b[31m",
                    "{{",
                    "tension",
                    "**",
                ]
            ),
            label="junk",
        )
        if kind == "delete":
            src = src[:i] + src[j:]
        elif kind == "insert":
            src = src[:i] + junk + src[i:]
        elif kind == "repeat":
            src = src[:j] + src[i:j] + src[j:]
        else:
            src = src[:i] + junk + src[j:]
    sc = load(workdir / "tutorial.yaml", src)
    if sc is not None:
        play_a_little(sc, data.draw(st.integers(0, 2**31)))


JUNK = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**20), 10**20),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=12),
        st.sampled_from(
            [
                "tension",
                "+5",
                "= tension * 2",
                "n1",
                "peace",
                "hold",
                "visited('n1')",
                "1e400",
                "not",
                "{x}",
                "-",
                "true",
            ]
        ),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["id", "text", "if", "next", "x"]), inner, max_size=3),
    ),
    max_leaves=8,
)


Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@functools.cache
def base_doc(name: str) -> Any:
    return yaml.load((CRISIS if name == "crisis.yaml" else TUTORIAL).read_text(), Loader=Loader)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += paths(v, (*prefix, i))
    return out


@settings(SETTINGS, max_examples=120)
@given(data=st.data())
def test_structural_damage_to_scenarios(data: st.DataObject, workdir: Path) -> None:
    """Replace, delete or duplicate values anywhere in the tree: wrong types everywhere."""
    name = data.draw(st.sampled_from(["crisis.yaml", "tutorial.yaml"]), label="base")
    doc = copy.deepcopy(base_doc(name))
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        where = data.draw(st.sampled_from(paths(doc)[1:]), label="path")
        parent = doc
        for step in where[:-1]:
            parent = parent[step]
        last = where[-1]
        kind = data.draw(st.sampled_from(["replace", "delete", "copy"]), label="kind")
        if kind == "replace":
            parent[last] = data.draw(JUNK, label="value")
        elif kind == "delete":
            del parent[last]
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
        else:
            parent[f"{last}_copy" if isinstance(last, str) else last] = copy.deepcopy(parent[last])
    text = yaml.dump(doc, Dumper=Dumper, allow_unicode=True, sort_keys=False)
    sc = load(workdir / name, text)
    if sc is not None:
        play_a_little(sc, data.draw(st.integers(0, 2**31), label="seed"))


@settings(SETTINGS, max_examples=60)
@given(data=st.data())
def test_effects_and_conditions_with_junk_still_play(data: st.DataObject, tmp_path: Path) -> None:
    """Valid scenarios with random (valid or not) expressions: load-time errors or safe play."""
    exprs = st.sampled_from(
        [
            "tension * tension * tension",
            "tension / 0",
            "-tension",
            "tension % 7",
            "1000000000000 * 1000000000000",
            "0.5 * tension",
            "1e-300 / 1e-300",
            "max(tension, 1000000000000) * 1000000000000",
            "abs(-1000000000000.0) * 1000000000000.0",
            "turn * hours",
        ]
    )
    a, b, w = data.draw(exprs), data.draw(exprs), data.draw(exprs)
    text = (
        MINI.replace("{initial: 20, min: 0, max: 100}", "{initial: 20}")
        .replace("effects: {tension: +10}", f"effects: {{tension: '= {a}'}}")
        .replace("next: s2}", f"next: s2, if: '{b} >= {a}'}}")
        + "reactions:\n  - {id: r, outcomes: [{weight: '"
        + w
        + "', effects: {tension: '+ "
        + b
        + "'}}, {weight: 1}]}\n"
    )
    sc = load(tmp_path / "s.yaml", text)
    assert sc is not None
    play_a_little(sc, data.draw(st.integers(0, 100)))
