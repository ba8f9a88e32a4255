"""Format 2: the gate, a clock per role, scene 'at' and deadlines."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from brinkmanship.authoring.analysis import warnings_for
from brinkmanship.format.loader import check_scenario, load_scenario
from brinkmanship.format.model import Zone, ZoneChange, parse_zone
from brinkmanship.runtime.engine import Engine
from brinkmanship.runtime.views import scene_view

TWO = """\
format: 2
id: t
title: T
clock:
  start: 1962-10-22 19:00
  zone: UTC-4
  hours_per_turn: 2
  deadlines:
    - {label: Quarantine begins, at: 1962-10-24 10:00}
    - {label: Moscow only, at: 1962-10-25 10:00, roles: [k]}
roles:
  j: {name: J, start: s1, zone: UTC-4, zone_label: EDT}
  k: {name: K, start: s1, zone: UTC+3, zone_label: MSK}
scenes:
  s1:
    when: ignored in format 2
    text: Hello
    choices:
      - {id: go, text: Go, stance: hold, next: s2}
  s2:
    at: 1962-10-23 10:00
    text: Later
    choices:
      - {id: go, text: Go, stance: hold, next: done}
endings:
  done: {title: Done, outcome: stalemate, text: Bye.}
"""


def write(tmp_path: Path, text: str) -> str:
    p = tmp_path / "s.yaml"
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(p)


def errors(tmp_path: Path, text: str) -> list[str]:
    _, diags = check_scenario(write(tmp_path, text))
    return [f"{d.line}: {d.message}" for d in diags if d.severity == "error"]


def test_format2_loads_and_records_its_version(tmp_path: Path) -> None:
    sc = load_scenario(write(tmp_path, TWO))
    assert sc.format == 2
    assert sc.clock is not None and sc.clock.start_utc == dt.datetime(1962, 10, 22, 23, 0)


def test_format2_fields_in_a_format1_file_are_errors_with_line(tmp_path: Path) -> None:
    errs = errors(tmp_path, TWO.replace("format: 2", "format: 1"))
    assert any(e.startswith("6: ") and "needs format 2" in e for e in errs)  # clock zone
    assert any("'zone' needs format 2" in e for e in errs)
    assert any("'at' needs format 2" in e for e in errs)


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    assert any("unsupported format 3" in e for e in errors(tmp_path, TWO.replace("2", "3", 1)))


def test_each_role_reads_the_clock_in_its_zone(tmp_path: Path) -> None:
    sc = load_scenario(write(tmp_path, TWO))
    j = scene_view(Engine(sc, "j"), Engine(sc, "j").start(1))
    k = scene_view(Engine(sc, "k"), Engine(sc, "k").start(1))
    assert j.clock.local == "Mon 22 Oct 1962, 19:00 EDT"
    assert k.clock.local == "Tue 23 Oct 1962, 02:00 MSK"
    assert j.when == j.clock.local  # format 2: the header comes from the clock
    assert [d.label for d in j.deadlines] == ["Quarantine begins"]
    assert j.deadlines[0].text == "Wed 24 Oct 1962, 10:00 EDT"
    assert j.deadlines[0].minutes_left == (24 + 15) * 60
    assert [d.text for d in k.deadlines] == [
        "Wed 24 Oct 1962, 17:00 MSK",
        "Thu 25 Oct 1962, 17:00 MSK",
    ]


def test_scene_at_moves_the_clock_forward_in_the_role_zone(tmp_path: Path) -> None:
    sc = load_scenario(write(tmp_path, TWO))
    for role, local in (("j", "Tue 23 Oct 1962, 10:00 EDT"), ("k", "Tue 23 Oct 1962, 10:00 MSK")):
        eng = Engine(sc, role)
        s = eng.step(eng.start(1), "go")
        assert scene_view(eng, s).clock.local == local


def test_scene_at_never_moves_the_clock_back(tmp_path: Path) -> None:
    sc = load_scenario(write(tmp_path, TWO.replace("hours_per_turn: 2", "hours_per_turn: 100")))
    eng = Engine(sc, "j")
    s = eng.step(eng.start(1), "go")
    assert s.minutes == 100 * 60


def test_scene_at_needs_a_clock_and_a_date(tmp_path: Path) -> None:
    bad = TWO.replace("at: 1962-10-23 10:00", "at: next tuesday")
    assert any("is not a date and time" in e for e in errors(tmp_path, bad))
    bad_zone = TWO.replace("zone: UTC+3", "zone: Moscow")
    assert any("not a UTC offset" in e for e in errors(tmp_path, bad_zone))


@given(st.integers(-14, 14), st.integers(0, 59), st.sampled_from(["UTC", "GMT"]))
def test_parse_zone_reads_every_fixed_offset(hours: int, mins: int, prefix: str) -> None:
    sign = "-" if hours < 0 else "+"
    zone = parse_zone(f"{prefix}{sign}{abs(hours):02d}:{mins:02d}")
    assert zone is not None
    want = dt.timedelta(hours=abs(hours), minutes=mins) * (-1 if hours < 0 else 1)
    assert zone.utcoffset(None) == want


def test_parse_zone_refuses_names_and_silly_offsets() -> None:
    assert parse_zone("Europe/Moscow") is None
    assert parse_zone("UTC+15") is None
    assert parse_zone("UTC") == dt.UTC


def test_validate_warns_where_a_path_sends_the_clock_back(tmp_path: Path) -> None:
    back = TWO.replace(
        "      - {id: go, text: Go, stance: hold, next: done}",
        "      - {id: go, text: Go, stance: hold, next: s3}\n"
        "  s3:\n    text: Via\n    choices:\n"
        "      - {id: go, text: Go, stance: hold, next: s4}\n"
        "  s4:\n    at: 1962-10-22 08:00\n    text: Earlier\n    choices:\n"
        "      - {id: go, text: Go, stance: hold, next: done}",
    )
    warns = [d for d in warnings_for(load_scenario(write(tmp_path, back))) if d.code == "C006"]
    assert len(warns) == 1
    assert "s2 -> s3 -> s4" in warns[0].message
    assert warns[0].line == back.splitlines().index("    at: 1962-10-22 08:00") + 1
    assert not [d for d in warnings_for(load_scenario(write(tmp_path, TWO))) if d.code == "C006"]


def test_clock_order_follows_only_ways_a_game_can_take(tmp_path: Path) -> None:
    """A way back that a flag set on every way there rules out is not reported."""
    back = TWO.replace(
        "      - {id: go, text: Go, stance: hold, next: done}",
        "      - {id: go, text: Go, stance: hold, next: s3}\n"
        "  s3:\n    text: Via\n    choices:\n"
        "      - {id: back, text: Back, stance: hold, if: 'not late', next: s4}\n"
        "      - {id: end, text: End, stance: hold, next: done}\n"
        "  s4:\n    at: 1962-10-22 08:00\n    text: Earlier\n    choices:\n"
        "      - {id: go, text: Go, stance: hold, next: done}",
    ).replace("  s2:\n", "  s2:\n    effects: {late: true}\n")
    back = back.replace("roles:\n  j:", "variables:\n  late: {initial: false}\nroles:\n  j:", 1)
    assert not [d for d in warnings_for(load_scenario(write(tmp_path, back))) if d.code == "C006"]
    loose = back.replace("effects: {late: true}", "effects: {}")
    assert [d.code for d in warnings_for(load_scenario(write(tmp_path, loose)))].count("C006") == 1


ELSE = TWO.replace(
    "    text: Later\n",
    "    text:\n      - {if: 'hours > 100', text: Late., else: 'Early, {hours}h.'}\n",
)


def test_else_paragraph_shows_when_the_condition_fails(tmp_path: Path) -> None:
    sc = load_scenario(write(tmp_path, ELSE))
    eng = Engine(sc, "j")
    s = eng.step(eng.start(1), "go")
    assert scene_view(eng, s).text == f"Early, {s.minutes // 60}h."
    long = load_scenario(write(tmp_path, ELSE.replace("hours > 100", "hours > 1")))
    eng = Engine(long, "j")
    assert scene_view(eng, eng.step(eng.start(1), "go")).text == "Late."


def test_else_needs_format_2_and_an_if(tmp_path: Path) -> None:
    v1 = ELSE.replace("format: 2", "format: 1")
    assert any("'else' needs format 2" in e for e in errors(tmp_path, v1))
    no_if = ELSE.replace("{if: 'hours > 100', text: Late., else:", "{text: Late., else:")
    assert any("'else' goes with an 'if'" in e for e in errors(tmp_path, no_if))


ZONES = TWO.replace(
    "roles:\n  j:",
    "variables:\n  tension:\n    initial: 85\n    min: 0\n    max: 200\n"
    "    zones: {critical: 160, high: 100}\nroles:\n  j:",
    1,
)


@given(st.integers(0, 200))
def test_meter_zones_give_ratios_and_the_current_zone(value: int) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        sc = load_scenario(write(Path(d), ZONES.replace("initial: 85", f"initial: {value}")))
    eng = Engine(sc, "j")
    m = next(m for m in scene_view(eng, eng.start(1)).meters if m.id == "tension")
    assert m.zones == (("high", 0.5), ("critical", 0.8))
    assert m.zone == ("critical" if value >= 160 else "high" if value >= 100 else None)


def test_zones_need_format_2(tmp_path: Path) -> None:
    v1 = ZONES.replace("format: 2", "format: 1")
    assert any("'zones' needs format 2" in e for e in errors(tmp_path, v1))


SCHED = TWO.replace(
    "endings:\n",
    "triggers:\n"
    "  - {id: dawn, at: 1962-10-22 20:00, text: Dawn trigger.}\n"
    "  - {id: later, after: 4h, text: Four hours on.}\n"
    "  - {id: since, after: {hours: 2, since: 'chose(\"go\")'}, text: Two hours after go.}\n"
    "endings:\n",
)


def test_scheduled_triggers_fire_when_their_time_comes(tmp_path: Path) -> None:
    sc = load_scenario(write(tmp_path, SCHED.replace("hours_per_turn: 2", "hours_per_turn: 1")))
    eng = Engine(sc, "j")
    s = eng.start(1)
    s = eng.step(s, "go")  # 20:00 EDT; s2's 'at' moves the clock to 10:00 the next day
    assert "Dawn trigger." in s.messages and "Four hours on." in s.messages
    assert "Two hours after go." not in s.messages  # the count starts now
    assert s.marks == {"since": s.minutes}
    s2 = eng.step(s, "go")
    assert s2.over


def test_scheduled_since_counts_from_when_it_first_held(tmp_path: Path) -> None:
    text = SCHED.replace("    at: 1962-10-23 10:00\n", "").replace(
        "hours_per_turn: 2", "hours_per_turn: 3"
    )
    text = text.replace(
        "next: done}", "next: s2}\n      - {id: end, text: End, stance: hold, next: done}"
    )
    eng = Engine(load_scenario(write(tmp_path, text)), "j")
    s = eng.step(eng.start(1), "go")
    assert "Two hours after go." not in s.messages
    s = eng.step(s, "go")
    assert "Two hours after go." in s.messages


def test_scheduled_triggers_are_checked(tmp_path: Path) -> None:
    bad = SCHED.replace("since: 'chose(\"go\")'", "since: 'chose(\"nope\")'")
    assert any("nope" in e for e in errors(tmp_path, bad))
    assert any("not a duration" in e for e in errors(tmp_path, SCHED.replace("4h", "soon")))
    v1 = SCHED.replace("format: 2", "format: 1")
    assert any("'after' needs format 2" in e for e in errors(tmp_path, v1))


# -- zone changes: Washington went from EDT to EST at 02:00 on 28 October 1962 --------------

WINTER = (
    TWO[: TWO.index("clock:")]
    + """\
clock:
  start: 1962-10-27 20:00
  zone: UTC-4
  hours_per_turn: 4
  deadlines:
    - {label: Before, at: 1962-10-27 23:00}
    - {label: After, at: 1962-10-28 09:00}
roles:
  j:
    name: J
    start: s1
    zone: UTC-4
    zone_label: EDT
    zone_changes:
      - {at: 1962-10-28 02:00, zone: UTC-5, label: EST}
  k: {name: K, start: s1, zone: UTC+3, zone_label: MSK}
scenes:
  s1: {text: Evening, choices: [{id: go, text: Go, stance: hold, next: s2}]}
  s2: {text: Night, choices: [{id: go, text: Go, stance: hold, next: s3}]}
  s3: {at: 1962-10-28 09:00, text: Morning, choices: [{id: go, text: Go, stance: hold, next: done}]}
endings:
  done: {title: Done, outcome: stalemate, text: Bye.}
"""
)


def test_a_zone_change_moves_the_header_and_its_name(tmp_path: Path) -> None:
    sc = load_scenario(write(tmp_path, WINTER))
    eng = Engine(sc, "j")
    s = eng.start(1)
    first = scene_view(eng, s)
    assert first.clock.local == "Sat 27 Oct 1962, 20:00 EDT" and first.clock.zone == "EDT"
    assert first.when == first.clock.local
    s = eng.step(s, "go")  # four hours on: 00:00 EDT
    assert scene_view(eng, s).clock.local == "Sun 28 Oct 1962, 00:00 EDT"
    s = eng.step(s, "go")  # 04:00 EDT would be 03:00 EST; then s3's 'at' (09:00 EST)
    view = scene_view(eng, s)
    assert view.clock.local == "Sun 28 Oct 1962, 09:00 EST" and view.clock.zone == "EST"
    assert s.minutes == (13 + 1) * 60  # 20:00 EDT to 09:00 EST is 14 hours
    k = Engine(sc, "k")  # the same instants in Moscow, where nothing changed
    assert scene_view(k, k.start(1)).clock.local == "Sun 28 Oct 1962, 03:00 MSK"


def test_deadlines_show_the_name_in_force_at_the_deadline(tmp_path: Path) -> None:
    sc = load_scenario(write(tmp_path, WINTER))
    eng = Engine(sc, "j")
    got = [(d.label, d.text, d.minutes_left) for d in scene_view(eng, eng.start(1)).deadlines]
    # the clock's zone has no change: 09:00 in UTC-4 is 08:00 EST
    assert got == [
        ("Before", "Sat 27 Oct 1962, 23:00 EDT", 3 * 60),
        ("After", "Sun 28 Oct 1962, 08:00 EST", 13 * 60),
    ]


def test_a_clock_zone_change_reads_deadlines_and_triggers_in_the_zone_in_force(
    tmp_path: Path,
) -> None:
    text = WINTER.replace(
        "  zone: UTC-4\n  hours_per_turn",
        "  zone: UTC-4\n  zone_changes: [{at: 1962-10-28 02:00, zone: UTC-5}]\n  hours_per_turn",
    ).replace(
        "endings:\n", "triggers:\n  - {id: nine, at: 1962-10-28 09:00, text: Nine.}\nendings:\n"
    )
    sc = load_scenario(write(tmp_path, text))
    assert sc.clock is not None and sc.clock.zone.changes[0].at == dt.datetime(1962, 10, 28, 6)
    eng = Engine(sc, "j")
    s = eng.start(1)
    assert [d.text for d in scene_view(eng, s).deadlines][1] == "Sun 28 Oct 1962, 09:00 EST"
    s = eng.step(eng.step(s, "go"), "go")
    assert "Nine." in s.messages
    assert sc.clock.at(s.minutes) == dt.datetime(1962, 10, 28, 9, 0)  # the clock's wall time


def test_a_role_with_only_a_label_reads_the_clocks_zone_and_changes(tmp_path: Path) -> None:
    text = WINTER.replace(
        "  zone: UTC-4\n  hours_per_turn",
        "  zone: UTC-4\n  zone_changes: [{at: 1962-10-28 02:00, zone: UTC-5, label: EST}]\n"
        "  hours_per_turn",
    ).replace(
        "    zone: UTC-4\n    zone_label: EDT\n    zone_changes:\n"
        "      - {at: 1962-10-28 02:00, zone: UTC-5, label: EST}\n",
        "    zone_label: EDT\n",
    )
    sc = load_scenario(write(tmp_path, text))
    eng = Engine(sc, "j")
    s = eng.start(1)
    assert scene_view(eng, s).clock.local == "Sat 27 Oct 1962, 20:00 EDT"
    s = eng.step(eng.step(s, "go"), "go")
    assert scene_view(eng, s).clock.local == "Sun 28 Oct 1962, 09:00 EST"


def test_zone_changes_are_checked_with_their_lines(tmp_path: Path) -> None:
    line = WINTER.splitlines().index("      - {at: 1962-10-28 02:00, zone: UTC-5, label: EST}") + 1
    bad_zone = WINTER.replace("zone: UTC-5,", "zone: Eastern,")
    assert any(
        e.startswith(f"{line}: ") and "not a UTC offset" in e for e in errors(tmp_path, bad_zone)
    )
    bad_at = WINTER.replace("at: 1962-10-28 02:00", "at: sunday night")
    assert any(
        e.startswith(f"{line}: ") and "not a date and time" in e for e in errors(tmp_path, bad_at)
    )
    two = WINTER.replace(
        "      - {at: 1962-10-28 02:00, zone: UTC-5, label: EST}",
        "      - {at: 1962-10-28 02:00, zone: UTC-5, label: EST}\n"
        "      - {at: 1962-10-27 12:00, zone: UTC-4, label: EDT}",
    )
    assert any(
        e.startswith(f"{line + 1}: ") and "not after the one before" in e
        for e in errors(tmp_path, two)
    )
    assert [d.code for d in check_scenario(write(tmp_path, two))[1] if d.severity == "error"] == [
        "C010"
    ]
    v1 = WINTER.replace("format: 2", "format: 1")
    assert any("'zone_changes' needs format 2" in e for e in errors(tmp_path, v1))
    missing = WINTER.replace("{at: 1962-10-28 02:00, zone: UTC-5, label: EST}", "{zone: UTC-5}")
    assert any(e.startswith(f"{line}: ") and "at" in e for e in errors(tmp_path, missing))


EDT_EST = Zone(
    dt.timedelta(hours=-4),
    "EDT",
    (ZoneChange(dt.datetime(1962, 10, 28, 6), dt.timedelta(hours=-5), "EST"),),
)
CHANGE = dt.datetime(1962, 10, 28, 6)


@given(st.integers(-3 * 24 * 60, 3 * 24 * 60))
def test_zone_wall_times_and_instants_agree(minute: int) -> None:
    utc = CHANGE + dt.timedelta(minutes=minute)
    wall = EDT_EST.local(utc)
    assert wall == utc + dt.timedelta(hours=-4 if utc < CHANGE else -5)
    assert EDT_EST.name(utc) == ("EDT" if utc < CHANGE else "EST")
    back = EDT_EST.to_utc(wall)
    if dt.datetime(1962, 10, 28, 1) <= wall < dt.datetime(1962, 10, 28, 2):
        assert back == wall + dt.timedelta(hours=4)  # the hour that happens twice: the first
    else:
        assert back == utc


def test_a_wall_time_that_never_happens_is_read_in_the_offset_before() -> None:
    spring = Zone(
        dt.timedelta(hours=-5),
        "EST",
        (ZoneChange(dt.datetime(1963, 4, 28, 7), dt.timedelta(hours=-4), "EDT"),),
    )
    gap = dt.datetime(1963, 4, 28, 2, 30)  # 02:00 EST became 03:00 EDT
    assert spring.to_utc(gap) == dt.datetime(1963, 4, 28, 7, 30)
    assert spring.local(spring.to_utc(gap)) == dt.datetime(1963, 4, 28, 3, 30)


def test_a_deadline_with_an_if_is_shown_only_while_it_holds(tmp_path: Path) -> None:
    text = TWO.replace(
        "    - {label: Quarantine begins, at: 1962-10-24 10:00}",
        "    - {label: Quarantine begins, at: 1962-10-24 10:00, if: 'hours >= 10'}",
    )
    sc = load_scenario(write(tmp_path, text))
    eng = Engine(sc, "j")
    s = eng.start(1)
    assert scene_view(eng, s).deadlines == ()
    s = eng.step(s, "go")  # s2's 'at' is 15 hours on
    assert [d.label for d in scene_view(eng, s).deadlines] == ["Quarantine begins"]
    bad = text.replace("hours >= 10", "nope > 1")
    assert any("nope" in e for e in errors(tmp_path, bad))
