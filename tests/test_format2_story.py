"""Format 2: text variants, once paragraphs, once and cooldown rules, conditional next."""

from __future__ import annotations

import itertools
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brinkmanship.format.loader import check_scenario, load_scenario
from brinkmanship.format.model import Scenario
from brinkmanship.runtime.engine import Engine, GameState
from brinkmanship.runtime.views import scene_view

LOOP = """\
format: 2
id: t
title: T
roles:
  j: {name: J, start: room}
scenes:
  room:
    text:
      - {first: You enter the room for the first time., again: The room again.}
      - {once: true, text: A note on the door says hello.}
      - {variants: [Rain., Wind., Snow.]}
      - Always here.
    advisers:
      - who: Ann
        says:
          - {variants: [Wait., Act.]}
    choices:
      - id: stay
        text: Stay
        stance: hold
        next: room
        result:
          - {first: You sit down., again: You sit down again.}
      - {id: leave, text: Leave, stance: hold, next: out}
endings:
  out: {title: Out, outcome: stalemate, text: [{variants: [Bye., Farewell.]}]}
"""


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> str:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(p)


def load(tmp_path: Path, text: str) -> Scenario:
    return load_scenario(write(tmp_path, text))


def errors(tmp_path: Path, text: str) -> list[str]:
    _, diags = check_scenario(write(tmp_path, text))
    return [f"{d.line}: {d.message}" for d in diags if d.severity == "error"]


@pytest.fixture(scope="module")
def loop(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    return load(tmp_path_factory.mktemp("loop"), LOOP)


def play(engine: Engine, seed: int, choices: list[str]) -> list[GameState]:
    state = engine.start(seed)
    out = [state]
    for c in choices:
        state = engine.step(state, c)
        out.append(state)
    return out


def test_first_again_and_once_paragraphs(tmp_path: Path) -> None:
    engine = Engine(load(tmp_path, LOOP), "j")
    states = play(engine, 1, ["stay", "stay"])
    texts = [scene_view(engine, s).text for s in states]
    assert "first time" in texts[0] and "note on the door" in texts[0]
    assert "The room again." in texts[1] and "first time" not in texts[1]
    assert "note on the door" not in texts[1] + texts[2]
    assert all("Always here." in t for t in texts)
    assert states[1].messages == ("You sit down.",)
    assert states[2].messages == ("You sit down again.",)
    # a view drawn twice from one state says the same
    assert scene_view(engine, states[1]).text == texts[1]


def _variant(text: str) -> str:
    return next(w for w in ("Rain.", "Wind.", "Snow.") if w in text)


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=0, max_value=2**31 - 1), st.integers(min_value=1, max_value=9))
def test_variants_do_not_repeat_until_all_used_and_replay_alike(
    loop: Scenario, seed: int, stays: int
) -> None:
    engine = Engine(loop, "j")
    states = play(engine, seed, ["stay"] * stays)
    shown = [_variant(scene_view(engine, s).text) for s in states]
    for start in range(0, len(shown), 3):
        round_ = shown[start : start + 3]
        assert len(set(round_)) == len(round_), shown
    # no paragraph says the same twice in a row, even across rounds
    assert all(a != b for a, b in itertools.pairwise(shown)), shown
    again = play(engine, seed, ["stay"] * stays)
    assert [scene_view(engine, s).text for s in again] == [
        scene_view(engine, s).text for s in states
    ]
    assert [s.digest() for s in again] == [s.digest() for s in states]


def test_variant_draws_depend_on_the_seed(tmp_path: Path) -> None:
    engine = Engine(load(tmp_path, LOOP), "j")
    seqs = {
        tuple(_variant(scene_view(engine, s).text) for s in play(engine, seed, ["stay"] * 2))
        for seed in range(12)
    }
    assert len(seqs) > 1


def test_ending_variants_render_from_the_state(tmp_path: Path) -> None:
    from brinkmanship.runtime.views import ending_view

    engine = Engine(load(tmp_path, LOOP), "j")
    end = play(engine, 3, ["leave"])[-1]
    assert ending_view(engine, end).text in ("Bye.", "Farewell.")


def test_text_variants_need_format_2_and_one_body(tmp_path: Path) -> None:
    one = LOOP.replace("format: 2", "format: 1")
    assert any("needs format 2" in e for e in errors(tmp_path, one))
    both = LOOP.replace("- Always here.", "- {text: a, variants: [b]}")
    msgs = errors(tmp_path, both)
    assert any(m.startswith("12: ") and "exactly one of" in m for m in msgs), msgs
    bad = LOOP.replace("- Always here.", "- {again: x}")
    assert any("exactly one of" in e for e in errors(tmp_path, bad))
    stray = LOOP.replace("- Always here.", "- {once: true, first: x}")
    assert any("'once' goes with 'text'" in e for e in errors(tmp_path, stray))


RULES = """\
format: 2
id: t
title: T
variables:
  n: {initial: 0, min: 0, max: 50}
roles:
  j: {name: J, start: room}
scenes:
  room:
    text: Waiting.
    choices:
      - {id: wait, text: Wait, stance: hold, next: room, effects: {n: +1}}
      - {id: go, text: Go, stance: hold, next: out}
reactions:
  - id: hello
    once: true
    outcomes:
      - {text: They say hello.}
  - id: grumble
    cooldown: 2
    outcomes:
      - {text: They grumble.}
  - id: pick
    outcomes:
      - {text: A rare line., once: true, weight: 100}
      - {text: A common line., if: n < 4}
      - {text: Only late., if: n >= 4, weight: 1000}
endings:
  out: {title: Out, outcome: stalemate, text: Bye.}
"""


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    return load(tmp_path_factory.mktemp("rules"), RULES)


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=0, max_value=2**31 - 1))
def test_once_and_cooldown_reactions_and_outcomes(rules: Scenario, seed: int) -> None:
    engine = Engine(rules, "j")
    said = [s.messages for s in play(engine, seed, ["wait"] * 8)[1:]]
    assert [i for i, m in enumerate(said) if "They say hello." in m] == [0]
    assert [i for i, m in enumerate(said) if "They grumble." in m] == [0, 3, 6]
    rare = [i for i, m in enumerate(said) if "A rare line." in m]
    assert len(rare) <= 1
    assert all("Only late." not in m for m in said[:3])
    assert all("Only late." in m for m in said[4:] if "A rare line." not in m)


def test_explore_keeps_once_and_cooldown_apart(rules: Scenario) -> None:
    from brinkmanship.authoring.explore import explore_role
    from brinkmanship.authoring.statekey import gates_function

    engine = Engine(rules, "j")
    gates = gates_function(engine)
    after = play(engine, 0, ["wait"])[-1]
    assert gates(after)[:2] == (True, 2)  # hello fired; grumble cools for 2 more turns
    assert gates(play(engine, 0, ["wait"] * 3)[-1])[1] == 0
    r = explore_role(rules, "j", 5000)
    assert r.complete and "out" in r.reached


def test_once_with_cooldown_and_format_1_are_refused(tmp_path: Path) -> None:
    both = RULES.replace("    once: true\n", "    once: true\n    cooldown: 3\n", 1)
    assert any("not both" in e for e in errors(tmp_path, both))
    one = RULES.replace("format: 2", "format: 1")
    msgs = errors(tmp_path, one)
    assert any(m.startswith("16: ") and "needs format 2" in m for m in msgs), msgs


ROUTES = """\
format: 2
id: t
title: T
variables:
  n: {initial: 0, min: 0, max: 10}
roles:
  j: {name: J, start: room}
scenes:
  room:
    text: Waiting.
    choices:
      - {id: wait, text: Wait, stance: hold, next: room, effects: {n: +1}}
      - id: go
        text: Go
        stance: hold
        next:
          - {if: n >= 3, to: late}
          - {if: n >= 1, to: soon}
          - to: early
endings:
  early: {title: Early, outcome: stalemate, text: Early.}
  soon: {title: Soon, outcome: stalemate, text: Soon.}
  late: {title: Late, outcome: stalemate, text: Late.}
"""


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=0, max_value=6))
def test_conditional_next_takes_the_first_entry_that_holds(routes: Scenario, waits: int) -> None:
    engine = Engine(routes, "j")
    end = play(engine, 0, ["wait"] * waits + ["go"])[-1]
    assert end.ending == ("late" if waits >= 3 else "soon" if waits >= 1 else "early")


@pytest.fixture(scope="module")
def routes(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    return load(tmp_path_factory.mktemp("routes"), ROUTES)


def test_conditional_next_is_explored_and_drawn(routes: Scenario) -> None:
    from brinkmanship.authoring.explore import explore_role
    from brinkmanship.authoring.graph import to_dot, to_mermaid

    r = explore_role(routes, "j", 5000)
    assert r.complete and {"early", "soon", "late"} <= r.reached
    assert r.path_to("late") == (["wait", "wait", "wait", "go"], None)
    dot = to_dot(routes)
    assert '"room" -> "late" [label="go\\nif n >= 3"' in dot
    assert '"room" -> "early" [label="go\\nelse"' in dot
    assert "if n #gt;= 1" in to_mermaid(routes)


def test_next_list_needs_a_final_default(tmp_path: Path) -> None:
    no_default = ROUTES.replace("          - to: early\n", "          - {if: n == 0, to: early}\n")
    msgs = errors(tmp_path, no_default)
    assert any(m.startswith("19: ") and "needs a final entry without 'if'" in m for m in msgs), msgs
    early_default = ROUTES.replace("          - {if: n >= 1, to: soon}\n", "          - to: soon\n")
    msgs = errors(tmp_path, early_default)
    assert any(m.startswith("18: ") and "only the last entry" in m for m in msgs), msgs
    unknown = ROUTES.replace("to: late}", "to: lat}")
    assert any("no scene or ending 'lat'" in e for e in errors(tmp_path, unknown))
    one = ROUTES.replace("format: 2", "format: 1")
    assert any("needs format 2" in e for e in errors(tmp_path, one))


VALUES = """\
format: 2
id: t
title: T
clock: {start: 1962-10-16 08:00, hours_per_turn: 6}
variables:
  n: {initial: 0, min: 0, max: 10}
  alert: {initial: false}
  posture: {values: [calm, wary, alert], initial: calm}
  defcon:
    type: ladder
    values: [DEFCON5, DEFCON4, DEFCON3, DEFCON2, DEFCON1]
    initial: DEFCON5
roles:
  j: {name: J, start: room}
scenes:
  room:
    text: "DEFCON {defcon}, posture {posture}."
    choices:
      - id: push
        text: Push
        stance: escalate
        next: room
        effects:
          n: +3
          defcon: +1
          alert: = n >= 6
          posture: '"alert" if n >= 6 else "wary" if n >= 3 else "calm"'
          hours: "+ 18 if alert else 0"
      - {id: ease, text: Ease, stance: hold, next: room, effects: {defcon: -1, n: -3}}
      - {id: jump, text: Jump, stance: hold, next: room, effects: {hours: = hours - 5}}
      - {id: war, text: War, stance: escalate, if: defcon >= "DEFCON2", next: out}
      - {id: calm, text: Calm, stance: hold, if: '"DEFCON4" < defcon', next: out}
endings:
  out: {title: Out, outcome: stalemate, text: Bye.}
"""


@pytest.fixture(scope="module")
def values(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    return load(tmp_path_factory.mktemp("values"), VALUES)


def test_values_from_expressions_and_a_ladder(values: Scenario) -> None:
    engine = Engine(values, "j")
    s = play(engine, 0, ["push"])
    assert s[-1].vars == {"n": 3, "alert": False, "posture": "wary", "defcon": "DEFCON4"}
    assert s[-1].minutes == 6 * 60  # no extra hours yet
    s = play(engine, 0, ["push", "push"])
    assert s[-1].vars["posture"] == "alert" and s[-1].vars["alert"] is True
    assert s[-1].minutes == 12 * 60 + 18 * 60
    s = play(engine, 0, ["push"] * 6)
    assert s[-1].vars["defcon"] == "DEFCON1"  # the top rung holds
    assert "war" in {c.id for c in engine.available(s[-1])}
    s = play(engine, 0, ["ease"])
    assert s[-1].vars["defcon"] == "DEFCON5"  # the bottom rung holds
    assert {c.id for c in engine.available(s[-1])} == {"push", "ease", "jump"}
    s = play(engine, 0, ["push", "push", "push", "ease"])  # DEFCON2 then DEFCON3
    assert {c.id for c in engine.available(s[-1])} >= {"calm"}
    jumped = play(engine, 0, ["push", "push", "jump"])[-1]
    assert jumped.minutes == 36 * 60  # set 5 hours back: the clock stays, then the turn's 6h


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["push", "ease", "jump"]), max_size=12))
def test_ladder_stays_on_its_rungs_and_the_clock_never_goes_back(
    values: Scenario, moves: list[str]
) -> None:
    engine = Engine(values, "j")
    states = play(engine, 0, moves)
    rungs = values.variables["defcon"].values
    assert all(s.vars["defcon"] in rungs for s in states)
    assert all(b.minutes >= a.minutes for a, b in itertools.pairwise(states))
    assert rungs.index(states[-1].vars["defcon"]) == _walk(moves)


def _walk(moves: list[str]) -> int:
    at = 0
    for m in moves:
        at = max(0, min(4, at + (1 if m == "push" else -1 if m == "ease" else 0)))
    return at


def test_value_expressions_are_checked(tmp_path: Path) -> None:
    bad = VALUES.replace('"alert" if n >= 6', '"alarm" if n >= 6')
    msgs = errors(tmp_path, bad)
    assert any(m.startswith("27: ") and "can give 'alarm'" in m for m in msgs), msgs
    anytext = VALUES.replace('"alert" if n >= 6 else "wary" if n >= 3 else "calm"', "choice")
    assert any("can give any text" in e for e in errors(tmp_path, anytext))
    back = VALUES.replace('hours: "+ 18 if alert else 0"', "hours: -2")
    assert any("forward only" in e for e in errors(tmp_path, back))
    rung = VALUES.replace('defcon >= "DEFCON2"', 'defcon >= "DEFCON9"')
    assert any("never 'DEFCON9'" in e for e in errors(tmp_path, rung))
    one = VALUES.replace("format: 2", "format: 1")
    msgs = errors(tmp_path, one)
    assert any("'ladder' needs format 2" in m for m in msgs), msgs
    assert any("one of its values" in m and m.startswith("27: ") for m in msgs), msgs
    assert any("effect on unknown variable 'hours'" in m for m in msgs), msgs


def test_value_labels_are_shown_in_meters_text_and_transcripts(tmp_path: Path) -> None:
    from brinkmanship.frontends.transcript import to_markdown
    from brinkmanship.runtime.session import Session

    labelled = VALUES.replace(
        "    initial: DEFCON5\n",
        "    initial: DEFCON5\n    labels: {DEFCON5: DEFCON 5 (peace), DEFCON4: DEFCON 4 (watch)}"
        "\n",
    )
    sc = load(tmp_path, labelled)
    engine = Engine(sc, "j")
    view = scene_view(engine, engine.start(0))
    defcon = {m.id: m for m in view.meters}["defcon"]
    assert (defcon.value, defcon.text) == ("DEFCON5", "DEFCON 5 (peace)")
    assert view.text == "DEFCON DEFCON 5 (peace), posture calm."
    s = play(engine, 0, ["push", "push"])
    shown = {m.id: m.text for m in scene_view(engine, s[-1]).meters}
    assert shown["defcon"] == "DEFCON3"  # a rung without a label is shown as it is
    assert shown["posture"] == "alert"
    session = Session(sc, "j", 0)
    session.take("push")
    session.take("push")
    assert "defcon: DEFCON 5 (peace)" in to_markdown(session)
    assert "defcon: DEFCON 4 (watch)" in to_markdown(session)


def test_value_labels_are_checked(tmp_path: Path) -> None:
    bad = VALUES.replace(
        "    initial: DEFCON5\n", "    initial: DEFCON5\n    labels: {DEFCON6: Six}\n"
    )
    msgs = errors(tmp_path, bad)
    assert any(
        m.startswith("13: ") and "'DEFCON6', which is not one of its values" in m for m in msgs
    ), msgs
    num = VALUES.replace("  n: {initial: 0, min: 0, max: 10}", "  n: {initial: 0, labels: {a: b}}")
    assert any("labels are for enums and ladders" in m for m in errors(tmp_path, num))
    one = VALUES.replace("format: 2", "format: 1").replace(
        "  posture: {values: [calm, wary, alert], initial: calm}",
        "  posture: {values: [calm, wary, alert], initial: calm, labels: {calm: Calm}}",
    )
    assert any("'labels' needs format 2" in m for m in errors(tmp_path, one))


ROUGH = """\
format: 2
id: t
title: T
variables:
  resolve:
    initial: 63
    min: 0
    max: 100
    estimate: {band: 10, roles: [j]}
  mood:
    initial: 45
    min: 0
    max: 100
    estimate: {words: {calm: 0, tense: 40, critical: 75}}
roles:
  j: {name: J, start: room}
  k: {name: K, start: room}
scenes:
  room:
    text: "Resolve {resolve}; mood {mood}."
    choices:
      - {id: up, text: Up, stance: escalate, next: room, effects: {resolve: +35, mood: +30}}
endings: {}
"""


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=0, max_value=100), st.integers(min_value=1, max_value=50))
def test_a_band_contains_the_value(value: int, band: int) -> None:
    from brinkmanship.format.model import Estimate

    text = Estimate(band).text(value, 0, 100)
    lo, hi = (int(x) for x in text.removeprefix("about ").split("-"))
    assert lo <= value <= hi and hi - lo <= band


def test_estimates_are_shown_to_the_roles_that_see_roughly(tmp_path: Path) -> None:
    sc = load(tmp_path, ROUGH)
    j, k = Engine(sc, "j"), Engine(sc, "k")
    view = scene_view(j, j.start(0))
    shown = {m.id: (m.text, m.show) for m in view.meters}
    assert shown == {"resolve": ("about 60-70", "estimate"), "mood": ("tense", "estimate")}
    assert view.text == "Resolve about 60-70; mood tense."
    assert all(m.value != 63 and m.ratio is None for m in view.meters)
    kview = scene_view(k, k.start(0))
    assert {m.id: m.text for m in kview.meters} == {"resolve": "63/100", "mood": "tense"}
    up = scene_view(j, j.step(j.start(0), "up"))
    assert {m.id: m.text for m in up.meters} == {"resolve": "about 90-100", "mood": "critical"}
    assert errors(tmp_path, ROUGH.replace("{band: 10, roles: [j]}", "{band: 10, words: {a: 1}}"))


CLAIMS = """\
format: 2
id: t
title: T
variables:
  held: {initial: true}
  n: {initial: 0, min: 0, max: 3}
roles:
  j: {name: J, start: room}
scenes:
  room:
    text:
      - {text: The line holds., assume: held}
      - {if: n >= 2, text: Twice now., assume: n >= 2}
    advisers:
      - {who: Ann, says: Keep it up., assume: held}
    choices:
      - {id: wait, text: Wait, stance: hold, next: room, effects: {n: +1}}
      - {id: break, text: Break, stance: escalate, next: after, effects: {held: false}}
      - {id: end, text: End, stance: hold, next: out}
  after:
    assume: not held
    text: It broke.
    choices:
      - id: back
        text: Back
        stance: hold
        next: room
        result: [{text: You go back to a line that holds., assume: held}]
endings:
  out: {title: Out, outcome: stalemate, text: Bye., assume: n <= 3}
"""


def test_assume_is_never_shown_and_broken_claims_are_found(tmp_path: Path) -> None:
    from brinkmanship.authoring.analysis import warnings_for
    from brinkmanship.authoring.explore import explore, render_text

    sc = load(tmp_path, CLAIMS)
    engine = Engine(sc, "j")
    view = scene_view(engine, engine.start(0))
    assert "held" not in view.text and "assume" not in view.text
    w = [d for d in warnings_for(sc) if d.code in ("W010", "W011")]
    lines = sorted((d.line, d.code) for d in w)
    # the paragraph and the adviser that assume 'held' are shown after break > back,
    # and so is the choice result; the scene, the 'n >= 2' paragraph and the ending hold
    assert lines == [(12, "W010"), (15, "W010"), (28, "W010")], [d.message for d in w]
    msg = next(d.message for d in w if d.line == 12)
    assert "after break > back" in msg and "exhaustive search" in msg
    report = explore(sc, ["j"])
    text = render_text(report)
    assert "assumptions: 6; 3 hold on every path (exhaustive search); 3 broken" in text
    facts = report.to_json()["roles"]["j"]["assumptions"]
    assert [f["holds"] for f in facts] == [False, True, False, True, False, True]
    assert report.exit_code() == 1


def test_an_unfinished_search_does_not_claim_a_proof(tmp_path: Path) -> None:
    from brinkmanship.authoring.explore import explore_role

    sc = load(tmp_path, CLAIMS.replace("max: 3}", "max: 100000}").replace("n <= 3", "n >= 0"))
    r = explore_role(sc, "j", 50)
    assert not r.complete
    facts = r.to_json()["assumptions"]
    assert {f["holds"] for f in facts if f["assume"] != "held"} == {None}
    assert all(f["method"] == "incomplete search (a sample)" for f in facts)


FORMAT1_WHEN = """\
format: 1
id: t
title: T
clock: {start: 1962-10-16 08:45, hours_per_turn: 8}
roles:
  j: {name: J, start: a}
scenes:
  a:
    when: Tuesday 16 October 1962, 8:45 a.m.
    text: A.
    choices:
      - {id: go, text: Go, stance: hold, next: b}
      - {id: slow, text: Slow, stance: hold, next: b, hours: 30}
  b:
    when: Tuesday 16 October 1962, afternoon
    text: B.
    choices:
      - {id: go, text: Go, stance: hold, next: c}
  c:
    when: The next day
    text: C.
    choices:
      - {id: go, text: Go, stance: hold, next: out}
endings:
  out: {title: Out, outcome: stalemate, text: Bye.}
"""


def test_format1_when_headers_that_disagree_with_the_clock_are_reported(tmp_path: Path) -> None:
    from brinkmanship.authoring.analysis import warnings_for

    sc = load(tmp_path, FORMAT1_WHEN)
    w = [d for d in warnings_for(sc) if d.code == "W012"]
    assert [(d.line, d.severity) for d in w] == [(15, "warning")]
    assert "Wed 17 Oct 1962, 14:45" in w[0].message and "after slow" in w[0].message
    fine = FORMAT1_WHEN.replace(", hours: 30}", "}")
    assert not [d for d in warnings_for(load(tmp_path, fine)) if d.code == "W012"]


@pytest.mark.parametrize(
    ("text", "clock", "agrees"),
    [
        ("Friday 19 October 1962, 9:45 a.m.", "1962-10-19 09:45", True),
        ("Friday 19 October 1962, 9:45 a.m.", "1962-10-19 16:45", False),
        ("October 19, 1962 - 21:30", "1962-10-19 21:00", True),
        ("Saturday 20 October 1962, evening", "1962-10-20 19:00", True),
        ("Saturday 20 October 1962, evening", "1962-10-20 07:00", False),
        ("Saturday, night", "1962-10-21 01:00", True),  # the small hours of Saturday night
        ("Saturday, night", "1962-10-22 01:00", False),  # the small hours of Sunday night
        ("Sunday, first light", "1962-10-20 05:00", False),
        ("Invasion day", "1962-10-20 05:00", True),
        ("Late October 1962", "1962-11-20 05:00", True),
    ],
)
def test_reading_when_headers(text: str, clock: str, agrees: bool, tmp_path: Path) -> None:
    import datetime as dt

    from brinkmanship.authoring.whencheck import parse_when

    start = FORMAT1_WHEN.replace("1962-10-16 08:45", clock)
    sc = load(tmp_path, start)
    header = parse_when(text, ("", 1, 1), 1962)
    said = None if header is None else header.disagrees(sc, 0)
    assert (said is None) == agrees, (text, said)
    del dt


def test_the_tutorial_uses_every_format_2_construct() -> None:
    from brinkmanship.format import catalog

    sc = load_scenario(str(catalog.find("tutorial")))
    assert sc.format == 2
    kinds = {p.kind for t in sc.texts() for p in t.parts}
    assert {"once", "visit", "variants"} <= kinds
    assert any(r.once for r in sc.reactions) and any(r.cooldown for r in sc.reactions)
    assert any(o.cond is not None and o.once for r in sc.reactions for o in r.outcomes)
    assert any(c.routes for s in sc.scenes.values() for c in s.choices)
    assert sc.variables["alert"].type == "ladder" and sc.variables["trust"].estimate
    effects = [e for s in sc.scenes.values() for e in s.effects] + [
        e for s in sc.scenes.values() for c in s.choices for e in c.effects
    ]
    assert any(e.var == "hours" for e in effects)
    assert any(e.var == "mood" and e.expr.source.startswith('"angry" if') for e in effects)
    whats = {c.what.split()[0] for c in sc.claims()}
    assert {"scene", "adviser", "ending"} <= whats
    # and they play: the standoff's variants, the ladder, the estimate, the routes
    lind = Engine(sc, "lind")
    states = play(lind, 0, ["a-trial", "a-block"])
    assert states[-1].vars["alert"] == "raised" and states[-1].scene == "a-standoff"
    assert any(w in scene_view(lind, states[-1]).text for w in ("rain", "Gulls", "swell"))
    castell = Engine(sc, "castell")
    trust = next(m for m in scene_view(castell, castell.start(0)).meters if m.id == "trust")
    assert trust.show == "estimate" and trust.text.startswith("about ")


def test_playtest_counts_the_games_that_break_a_claim(tmp_path: Path) -> None:
    from brinkmanship.authoring.playtest import playtest, render_text

    sc = load(tmp_path, CLAIMS)
    pt = playtest(sc, ["j"], 60, 0, "random")
    facts = {
        f["at"].rsplit(":", 1)[1]: f["broken_in_runs"]
        for f in pt.to_json()["roles"]["j"]["assumptions"]
    }
    assert facts["12"] > 0 and facts["21"] == 0 and facts["30"] == 0
    assert "a sample of games, not a proof" in render_text(pt)
