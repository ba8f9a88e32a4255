"""Planted faults (issue 13): each is reported by validate or explore at its file:line,
with the method that found it; scenarios without faults report none."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from brinkmanship.authoring.analysis import warnings_for
from brinkmanship.authoring.explore import explore, render_text
from brinkmanship.format import catalog
from brinkmanship.format.loader import check_scenario, load_scenario
from brinkmanship.frontends.cli.main import main
from brinkmanship.runtime.engine import Engine
from brinkmanship.runtime.resume import resume
from brinkmanship.runtime.store import SaveStore
from tests.toolkit_helpers import diagnostics, line_of

HEAD = """\
format: {format}
id: planted
title: Planted
roles:
  one: {{name: Someone, start: s1}}
variables:
  trust: {{initial: 10, min: 0, max: 100, label: Trust}}
  heat: {{initial: 0, min: 0, max: 10, label: Heat}}
"""

ENDINGS = """\
endings:
  good: {title: Good, outcome: settlement, text: Good.}
  bad: {title: Bad, outcome: defeat, text: Bad.}
"""


def write(tmp_path: Path, body: str, fmt: int = 1, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD.format(format=fmt) + body, encoding="utf-8")
    return path


found = diagnostics


def test_a_scene_nothing_leads_to_is_reported_at_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
scenes:
  s1:
    text: One.
    choices:
      - {id: a, text: A, stance: hold, next: good}
      - {id: b, text: B, stance: escalate, next: bad}
  orphan:
    text: Nobody comes here.
    choices:
      - {id: c, text: C, stance: hold, next: good}
"""
        + ENDINGS,
    )
    got = found(path)
    assert [line for line, _ in got["W001"]] == [line_of(path, "orphan:")]
    report = explore(load_scenario(str(path)), ["one"])
    assert "Scenes no role reaches: orphan" in render_text(report)


CONDITIONS = """\
scenes:
  s1:
    text:
      - "Trust {trust}."
      - {if: "trust < 5", text: Cold.}
    advisers:
      - {who: Ann, if: "trust < 5", says: Careful.}
    choices:
      - {id: warm, text: Warm, stance: negotiate, effects: {trust: +20}, next: s2}
      - {id: cool, text: Cool, stance: escalate, if: "trust >= 10", effects: {heat: +4}, next: s2}
  s2:
    text: Two.
    choices:
      - {id: deal, text: Deal, stance: negotiate, if: "trust >= 30", next: good}
      - {id: push, text: Push, stance: escalate, next: bad}
reactions:
  - id: snub
    if: "trust < 5"
    outcomes:
      - {weight: 1, effects: {heat: +1}}
  - id: thaw
    outcomes:
      - {weight: 1, effects: {trust: +1}}
      - {weight: "5 - trust", effects: {heat: +1}}
triggers:
  - {id: flare, if: "trust < 5", goto: bad}
"""


def test_never_and_always_true_conditions_of_every_kind(tmp_path: Path) -> None:
    # trust starts at 10 and never falls: 'trust < 5' never holds, 'trust >= 10' always
    path = write(tmp_path, CONDITIONS + ENDINGS)
    got = {line: msg for line, msg in found(path)["W009"]}
    where = {
        "paragraph": line_of(path, '{if: "trust < 5", text: Cold.}'),
        "adviser": line_of(path, "who: Ann"),
        "choice": line_of(path, "id: cool"),
        "reaction": line_of(path, "id: snub") + 1,
        "weight": line_of(path, '"5 - trust"'),
        "trigger": line_of(path, "id: flare"),
    }
    assert set(got) == set(where.values()), got
    assert "paragraph 2 (trust < 5) never holds" in got[where["paragraph"]]
    assert "adviser 'Ann' (trust < 5) never holds" in got[where["adviser"]]
    assert "choice 'cool''s 'if' (trust >= 10) always holds" in got[where["choice"]]
    assert "reaction 'snub''s 'if' (trust < 5) never holds" in got[where["reaction"]]
    assert "outcome 2 weight (above 0) is never above 0" in got[where["weight"]]
    assert "trigger 'flare''s 'if' (trust < 5) never holds" in got[where["trigger"]]
    assert all("proved by static analysis" in m for m in got.values())


def test_a_literal_outside_a_range_is_reported_by_validate_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = CONDITIONS.replace('if: "trust >= 30"', 'if: "trust > 100"') + ENDINGS
    path = write(tmp_path, body)
    t = time.process_time()
    code = main(["validate", str(path), "--json"])
    seconds = time.process_time() - t
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    (w,) = [w for w in data["scenarios"][0]["warnings"] if w["code"] == "C008"]
    assert w["line"] == line_of(path, "id: deal")
    assert "can never be true (trust is declared 0..100)" in w["message"]
    assert seconds < 2  # no search of games: the loader and the static analysis only


STUCK = """\
scenes:
  s1:
    text: One.
    choices:
      - {id: warm, text: Warm, stance: negotiate, effects: {heat: +1}, next: s1}
      - {id: go, text: Go, stance: hold, next: hall}
  hall:
    text: The hall.
    choices:
      - {id: leave, text: Leave, stance: hold, if: "heat < 3", next: good}
      - {id: shout, text: Shout, stance: escalate, if: "heat > 6", next: bad}
"""


def test_a_possible_stuck_scene_is_confirmed_by_a_saved_game(tmp_path: Path) -> None:
    path = write(tmp_path, STUCK + ENDINGS)
    got = found(path)
    ((line, msg),) = got["W002"]
    assert line == line_of(path, "hall:")
    assert "when heat 3..6" in msg and "possible: static analysis cannot rule it out" in msg
    sc = load_scenario(str(path))
    saves = tmp_path / "saves"
    report = explore(sc, ["one"], max_states=3, saves=saves)
    text = render_text(report)
    assert "in hall" in text and "saved:" in text
    assert report.exit_code() == 1
    (c,) = report.confirmations["one"]
    assert (c.kind, c.where, c.verdict) == ("stuck", "hall", "confirmed")
    data = report.to_json()["roles"]["one"]
    assert data["verdicts"]["stuck"]["verdict"] == "found"
    assert data["confirmations"][0]["method"] == c.method
    # the save is a real game: it reloads (as play --load does) and is stuck in hall
    assert c.file is not None
    back = resume(SaveStore(saves).read(c.file), sc)
    assert back.ok and back.session.state.scene == "hall"
    assert Engine(sc, "one").available(back.session.state) == []


def test_a_possible_stuck_scene_no_game_reaches_stays_possible(tmp_path: Path) -> None:
    # heat moves by 7 at a time from 0 (0, 7, then 10 at most): never 3..6, but the
    # intervals of the static analysis cannot see that
    body = STUCK.replace("effects: {heat: +1}", "effects: {heat: +7}")
    path = write(tmp_path, body + ENDINGS)
    report = explore(load_scenario(str(path)), ["one"], max_states=2)
    (c,) = report.confirmations["one"]
    assert c.verdict == "possible" and "no real game was found" in c.reason
    text = render_text(report)
    assert "possible in hall when heat 3..6 (static analysis cannot rule it out" in text
    assert report.exit_code() == 3  # not ruled out, not confirmed: an open verdict


def test_a_loop_with_no_exit_is_reported_at_its_line(tmp_path: Path) -> None:
    body = """\
scenes:
  s1:
    text: One.
    choices:
      - {id: a, text: A, stance: hold, next: good}
      - {id: jump, text: Jump, stance: escalate, next: pit-a}
  pit-a:
    text: A.
    choices:
      - {id: on, text: On, stance: hold, effects: {trust: +1}, next: pit-b}
  pit-b:
    text: B.
    choices:
      - {id: back, text: Back, stance: hold, next: pit-a}
"""
    path = write(tmp_path, body + ENDINGS)
    ((line, msg),) = found(path)["W007"]
    assert line == line_of(path, "pit-a:") and "proved by static analysis" in msg
    report = explore(load_scenario(str(path)), ["one"], max_states=3)
    assert "loops with no way out: 1 (proved by static analysis)" in render_text(report)
    assert report.exit_code() == 1


CLOCK = """\
clock:
  start: 1962-10-22 19:00
  hours_per_turn: 12
scenes:
  s1:
    text: One.
    choices:
      - {id: go, text: Go, stance: hold, next: s2}
      - {id: slow, text: Slow, stance: hold, next: s2, hours: 48}
  s2:
    at: 1962-10-24 10:00
    text: Two.
    choices:
      - {id: on, text: On, stance: hold, next: s3}
  s3:
    at: 1962-10-23 10:00
    text: Three.
    choices:
      - {id: end, text: End, stance: hold, next: good}
"""


def test_a_clock_that_would_go_back_is_reported_at_the_at(tmp_path: Path) -> None:
    path = write(tmp_path, CLOCK + ENDINGS, fmt=2)
    got = found(path)
    ((line, msg),) = got["C006"]  # on the scene graph: s2 (24th) leads to s3 (23rd)
    assert line == line_of(path, "at: 1962-10-23 10:00")
    assert "s2 -> s3" in msg and "the clock stays put instead" in msg
    # and by the clock itself: every game reaches s3 after its 'at' (static analysis),
    # and s2 is late after 'slow' (a real game)
    late = {line: msg for line, msg in got["W014"]}
    s3 = late[line_of(path, "at: 1962-10-23 10:00")]
    assert "in a real game the clock already reads" in s3 and "(as one, seed 0, after go > on" in s3
    s2 = late[line_of(path, "at: 1962-10-24 10:00")]
    assert "in a real game the clock already reads" in s2 and "after slow" in s2


AFTER_AT = """\
clock:
  start: 1962-10-22 08:00
  hours_per_turn: 1
scenes:
  s1:
    text: One.
    choices:
      - {id: go, text: Go, stance: hold, next: s2}
  s2:
    at: 1962-10-22 20:00
    text: Two.
    choices:
      - {id: quick, text: Quick, stance: hold, next: s3}
      - {id: slow, text: Slow, stance: hold, next: s3, hours: 4}
  s3:
    at: 1962-10-22 22:00
    text: Three.
    choices:
      - {id: end, text: End, stance: hold, next: good}
"""


def test_a_scene_late_after_an_earlier_at_is_reported(tmp_path: Path) -> None:
    # the clock jumps to 20:00 at s2; 'slow' then reaches s3 at midnight, two hours after
    # its 'at' (counting hours from the start alone, the way looks early: 13:00)
    path = write(tmp_path, AFTER_AT + ENDINGS, fmt=2)
    ((line, msg),) = found(path)["W014"]
    assert line == line_of(path, "at: 1962-10-22 22:00")
    assert "the clock already reads Tue 23 Oct 1962, 00:00" in msg and "after go > slow" in msg
    quick = AFTER_AT.replace("hours: 4", "hours: 2")  # 22:00: on time
    assert "W014" not in found(write(tmp_path, quick + ENDINGS, fmt=2, name="q.yaml"))


CLAIMS = """\
scenes:
  s1:
    text: One.
    choices:
      - {id: warm, text: Warm, stance: negotiate, effects: {trust: +20}, next: s2}
      - {id: cool, text: Cool, stance: escalate, effects: {heat: +4}, next: s2}
  s2:
    text:
      - {text: Calm again., assume: heat == 0}
    choices:
      - {id: deal, text: Deal, stance: negotiate, next: good}
      - id: push
        text: Push
        stance: escalate
        next: bad
        result: [{text: They trust you less now., assume: trust < 10}]
"""


def test_broken_assumptions_are_proved_or_confirmed_with_their_path(tmp_path: Path) -> None:
    path = write(tmp_path, CLAIMS + ENDINGS, fmt=2)
    got = {line: msg for line, msg in found(path)["W010"]}
    # trust is never below 10 when 'push' is taken: every game breaks it (static analysis)
    never = got[line_of(path, "assume: trust < 10")]
    assert "does not hold in any game that shows it (proved by static analysis" in never
    # heat is 0 after 'warm' but 4 after 'cool': a game breaks it, found by the search
    some = got[line_of(path, "assume: heat == 0")]
    assert "after cool" in some and "found by the exhaustive search" in some
    report = explore(load_scenario(str(path)), ["one"])
    claims = report.to_json()["roles"]["one"]["assumptions"]
    assert [c["holds"] for c in claims] == [False, False]
    assert all(c["method"] for c in claims)


def test_an_assumption_only_sampled_is_never_said_to_be_proved(tmp_path: Path) -> None:
    body = CLAIMS.replace("{text: Calm again., assume: heat == 0}", "Calm again.")
    # true in every game (30 != 20 after warm, 10 != 24 after cool), but the intervals
    # (trust 10..30, heat + 20 20..24) cannot tell, and the search is cut at one state
    body = body.replace("assume: trust < 10", "assume: trust != heat + 20")
    path = write(tmp_path, body + ENDINGS, fmt=2)
    sc = load_scenario(str(path))
    report = explore(sc, ["one"], max_states=1, bounded=0)
    (claim,) = report.to_json()["roles"]["one"]["assumptions"]
    assert claim["holds"] is None
    assert "a sample, not a proof" in claim["method"]
    text = render_text(report)
    assert "not broken in the" in text and "proof" in text
    assert "proved" not in text.split("assumptions:")[1].splitlines()[0]


def test_the_tutorial_and_the_flagship_report_no_faults() -> None:
    for name in ("tutorial", "thirteen-days"):
        scenario, diags = check_scenario(str(catalog.find(name)))
        assert scenario is not None
        codes = {d.code for d in [*diags, *warnings_for(scenario)]}
        assert not codes, (name, codes)
    tutorial = load_scenario(str(catalog.find("tutorial")))
    report = explore(tutorial, list(tutorial.roles))
    assert report.complete and report.exit_code() == 0
