"""Free-text 'when' headers against the clock, for format-1 scenarios that have both.

In format 1 a scene's ``when`` is shown as written, even when the scenario has a clock
that says something else. We read what a header claims (a date, a weekday, a time, or
a part of the day such as "early morning" together with a date or weekday) and compare
it with the clock in the states the search reaches the scene in. A header that names
nothing we can read ("Invasion day") is never reported.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from brinkmanship.format.model import Loc, Scenario

MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    name: i
    for i, names in enumerate(
        (
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for name in names
}
# Parts of the day, as hours [from, to) on the clock (past 24: the small hours after).
PARTS = (
    ("early morning", 3, 9),
    ("first light", 4, 8),
    ("dawn", 4, 8),
    ("late morning", 9, 12),
    ("morning", 5, 12),
    ("around midday", 11, 14),
    ("midday", 11, 14),
    ("noon", 11, 13),
    ("early afternoon", 12, 16),
    ("late afternoon", 15, 19),
    ("afternoon", 12, 18),
    ("early evening", 17, 21),
    ("late evening", 20, 25),
    ("evening", 17, 24),
    ("midnight", 23, 25),
    ("night", 19, 30),
)
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\b\.?(?:,?\s+(\d{{4}}))?")
_MONTH_DAY = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?")
_AMPM = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s?m\b\.?")
_24H = re.compile(r"\b([01]?\d|2[0-3]):([0-5]\d)\b")
_WEEKDAY = re.compile(r"\b(" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\b")
SLACK_MINUTES = 60  # a header time this close to the clock agrees with it


@dataclass(frozen=True, slots=True)
class Header:
    """What a 'when' header claims."""

    text: str
    loc: Loc
    date: dt.date | None = None
    weekday: int | None = None
    time: dt.time | None = None
    part: tuple[str, int, int] | None = None

    def disagrees(self, scenario: Scenario, minutes: int) -> str | None:
        """What the clock says at ``minutes``, when this header disagrees with it."""
        clock = scenario.clock
        if clock is None:
            return None
        now = clock.at(minutes).replace(tzinfo=None)
        said = f"{now:%a %d %b %Y, %H:%M}"
        day = now.date()
        if self.part is not None and self.part[2] > 24 and now.hour < self.part[2] - 24:
            day -= dt.timedelta(days=1)  # the small hours still belong to the night before
        if self.date is not None and day != self.date:
            return said
        if self.weekday is not None and day.weekday() != self.weekday:
            return said
        if self.time is not None:
            gap = abs((now - dt.datetime.combine(day, self.time)).total_seconds()) / 60
            return said if gap > SLACK_MINUTES else None
        if self.part is not None:
            _, lo, hi = self.part
            hour = now.hour + now.minute / 60
            inside = lo <= hour < hi or lo <= hour + 24 < hi
            return None if inside else said
        return None


def parse_when(text: str, loc: Loc, year: int) -> Header | None:
    """What ``text`` claims about the time, or None when it claims nothing we can read."""
    low = " ".join(text.lower().split())
    date = None
    m = _DAY_MONTH.search(low)
    if m:
        day, month, y = int(m.group(1)), MONTHS[m.group(2)], m.group(3)
    else:
        m2 = _MONTH_DAY.search(low)
        day, month, y = (int(m2.group(2)), MONTHS[m2.group(1)], m2.group(3)) if m2 else (0, 0, None)
    if month:
        try:
            date = dt.date(int(y) if y else year, month, day)
        except ValueError:
            date = None
    w = _WEEKDAY.search(low)
    weekday = WEEKDAYS[w.group(1)] if w and date is None else None
    time = None
    t = _AMPM.search(low)
    if t:
        hour, mins = int(t.group(1)), int(t.group(2) or 0)
        if 1 <= hour <= 12 and mins < 60:
            time = dt.time(hour % 12 + (12 if t.group(3) == "p" else 0), mins)
    elif t24 := _24H.search(low):
        time = dt.time(int(t24.group(1)), int(t24.group(2)))
    part = None
    if time is None and (date is not None or weekday is not None):
        part = next(((n, lo, hi) for n, lo, hi in PARTS if re.search(rf"\b{n}\b", low)), None)
    if date is None and weekday is None and time is None:
        return None
    return Header(text, loc, date, weekday, time, part)


def when_headers(scenario: Scenario) -> dict[str, Header]:
    """The 'when' headers of a format-1 scenario with a clock, by scene, that claim a time."""
    if scenario.format >= 2 or scenario.clock is None:
        return {}
    year = scenario.clock.start.year
    out = {}
    for s in scenario.scenes.values():
        if s.when:
            h = parse_when(s.when, s.when_loc if s.when_loc[1] else s.loc, year)
            if h is not None:
                out[s.id] = h
    return out


# -- the headers against what the static analysis proves about the clock -------------

MAX_DAYS = 400  # a clock range longer than this is not looked at day by day
DAY = 24 * 60


def _windows(h: Header, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """The wall times of ``day`` (and the small hours after it) that ``h`` agrees with,
    as [from, to) ranges: what :meth:`Header.disagrees` accepts, read the other way."""
    if h.date is not None and day != h.date:
        return []
    if h.weekday is not None and day.weekday() != h.weekday:
        return []
    start = dt.datetime.combine(day, dt.time())
    if h.time is not None:
        at = dt.datetime.combine(day, h.time)
        slack = dt.timedelta(minutes=SLACK_MINUTES)
        end = start + dt.timedelta(days=1)
        return [(max(at - slack, start), min(at + slack + dt.timedelta(minutes=1), end))]
    if h.part is not None:
        _, lo, hi = h.part
        return [(start + dt.timedelta(hours=lo), start + dt.timedelta(hours=hi))]
    return [(start, start + dt.timedelta(days=1))]


def agreement(h: Header, scenario: Scenario, lo: float, hi: float) -> frozenset[bool]:
    """Whether ``h`` can agree (True) and can disagree (False) with the clock somewhere
    between ``lo`` and ``hi`` minutes (both ends included)."""
    clock = scenario.clock
    if clock is None:
        return frozenset({True})
    if hi - lo > MAX_DAYS * DAY:
        return frozenset({True, False})
    first = clock.at(int(lo)).replace(tzinfo=None)
    last = clock.at(int(hi)).replace(tzinfo=None)
    spans = []
    day = first.date() - dt.timedelta(days=1)
    while day <= last.date():
        spans.extend(_windows(h, day))
        day += dt.timedelta(days=1)
    spans.sort()
    agree = any(a <= last and b > first for a, b in spans)
    # is [first, last] covered by the windows?
    at = first
    for a, b in spans:
        if a > at:
            break
        at = max(at, b)
    covered = at > last
    return frozenset(v for v, ok in ((True, agree), (False, not covered)) if ok)


@dataclass(frozen=True, slots=True)
class WhenFinding:
    """A header the clock disagrees with, and how that is known.

    ``verdict``: "confirmed" (a real game, ``seed`` and ``path``, shows the scene at a
    time the header does not name; ``said`` is what the clock reads), "always" (the
    static analysis proves the clock never agrees there; ``path`` is a way there on the
    scene graph) or "possible" (the clock can read a time the header does not name,
    by the static analysis, but no game was found that shows it).
    """

    scene: str
    header: Header
    verdict: str
    role: str
    path: tuple[str, ...]
    seed: int | None
    said: str


def _span(scenario: Scenario, lo: float, hi: float) -> str:
    clock = scenario.clock
    assert clock is not None
    a = f"{clock.at(int(lo)):%a %d %b %Y, %H:%M}"
    if hi >= MAX_DAYS * DAY * 100:
        return f"{a} or later"
    b = f"{clock.at(int(hi)):%a %d %b %Y, %H:%M}"
    return a if a == b else f"from {a} to {b}"


def clock_paths(
    scenario: Scenario, role: str, moves: Mapping[str, Mapping[str, set[str]]]
) -> dict[str, list[tuple[int, tuple[str, ...]]]]:
    """For each scene, the earliest and (over ways that visit no scene twice) the latest
    arrival found: (minutes on the clock, the choices taken), following ``moves`` (the
    choices the static analysis found takeable, and where each can lead). Entering a
    scene with an 'at' moves the clock forward to it, as in a game."""
    clock = scenario.clock
    default = clock.minutes_per_turn if clock else 60
    cost = {
        (s.id, c.id): default if c.minutes is None else c.minutes
        for s in scenario.scenes.values()
        for c in s.choices
    }
    # entering a scene with an 'at' moves the clock forward to it (never back)
    zone = scenario.roles[role].zone
    ats = {
        s.id: clock.minutes_at(s.at, zone)
        for s in scenario.scenes.values()
        if clock is not None and s.at is not None
    }

    def arrive(t: int, place: str) -> int:
        return max(t, ats.get(place, t))

    first = scenario.roles[role].start
    start = arrive(0, first)
    early: dict[str, tuple[int, tuple[str, ...]]] = {first: (start, ())}
    heap: list[tuple[int, str]] = [(start, first)]
    while heap:
        m, sid = heapq.heappop(heap)
        if m > early[sid][0]:
            continue
        for cid, places in moves.get(sid, {}).items():
            for place in places:
                t = arrive(m + cost.get((sid, cid), default), place)
                if place not in early or t < early[place][0]:
                    early[place] = (t, (*early[sid][1], cid))
                    heapq.heappush(heap, (t, place))
    # the latest on the scene graph without its back edges (a depth-first walk) ...
    dag: dict[str, tuple[int, tuple[str, ...]]] = {first: (start, ())}
    order: list[str] = []
    seen: set[str] = {first}
    back: set[tuple[str, str]] = set()

    def outs(sid: str) -> Any:
        return iter([(c, p) for c, ps in sorted(moves.get(sid, {}).items()) for p in sorted(ps)])

    stack = [(first, outs(first))]
    path_on = {first}
    while stack:
        sid, it = stack[-1]
        for _, place in it:
            if place in path_on:
                back.add((sid, place))
            elif place not in seen and place in moves:
                seen.add(place)
                path_on.add(place)
                stack.append((place, outs(place)))
                break
        else:
            stack.pop()
            path_on.discard(sid)
            order.append(sid)
    for sid in reversed(order):
        if sid not in dag:
            continue
        m, path = dag[sid]
        for cid, places in moves.get(sid, {}).items():
            for place in places:
                t = arrive(m + cost.get((sid, cid), default), place)
                if (sid, place) not in back and (place not in dag or t > dag[place][0]):
                    dag[place] = (t, (*path, cid))
    # ... and over every way that visits no scene twice, relaxed until nothing gets later
    # (a later way through a scene is carried on to the scenes after it); either may be
    # one no game can play, so both are tried
    late: dict[str, tuple[int, tuple[str, ...]]] = {first: (start, ())}
    on: dict[str, frozenset[str]] = {first: frozenset((first,))}
    changed = {first}
    for _ in range(len(scenario.scenes) + 1):
        if not changed:
            break
        now, changed = changed, set()
        for sid in sorted(now):
            m, path = late[sid]
            for cid, places in sorted(moves.get(sid, {}).items()):
                for place in sorted(places):
                    if place in on[sid]:
                        continue
                    t = arrive(m + cost.get((sid, cid), default), place)
                    if place not in late or t > late[place][0]:
                        late[place] = (t, (*path, cid))
                        on[place] = on[sid] | {place}
                        changed.add(place)
    out: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for sid, first_way in early.items():
        ways = [first_way]
        for found in (dag.get(sid), late.get(sid)):
            if found is not None and found not in ways:
                ways.append(found)
        out[sid] = ways
    return out


def check_headers(scenario: Scenario, facts: Any, seeds: int = 4) -> list[WhenFinding]:
    """Every format-1 'when' header the clock can disagree with (see WhenFinding), from
    the static analysis ``facts`` (:func:`brinkmanship.authoring.static.analyse`): the
    clock's range at each scene decides; where it can go both ways, the earliest and
    the latest way there are replayed to find a real game that shows the disagreement."""
    from brinkmanship.runtime.engine import Engine

    headers = when_headers(scenario)
    if not headers:
        return []
    out: list[WhenFinding] = []
    paths: dict[str, dict[str, list[tuple[int, tuple[str, ...]]]]] = {}
    engines: dict[str, Any] = {}
    for sid, h in headers.items():
        found: WhenFinding | None = None
        maybe: WhenFinding | None = None
        for rid, r in facts.roles.items():
            env = r.states.get(sid)
            if env is None:
                continue
            m = env[r.slots[("minutes",)]]
            can = agreement(h, scenario, m.lo, m.hi)
            if False not in can:
                continue
            if rid not in paths:
                paths[rid] = clock_paths(scenario, rid, r.moves)
                engines[rid] = Replays(Engine(scenario, rid, texts=False))
            for minutes, path in paths[rid].get(sid, []):
                if h.disagrees(scenario, minutes) is None:
                    continue
                for seed in range(seeds):
                    st = engines[rid].play(seed, path)
                    if st is not None and st.scene == sid and not st.over:
                        said = h.disagrees(scenario, st.minutes)
                        if said is not None:
                            found = WhenFinding(sid, h, "confirmed", rid, path, seed, said)
                            break
                if found is not None:
                    break
            if found is not None:
                break
            if maybe is None or (True not in can and maybe.verdict != "always"):
                verdict = "possible" if True in can else "always"
                maybe = WhenFinding(
                    sid, h, verdict, rid, tuple(r.path(sid)), None, _span(scenario, m.lo, m.hi)
                )
        if found is not None or maybe is not None:
            out.append(found if found is not None else maybe)  # type: ignore[arg-type]
    return out


def play_path(engine: Any, seed: int, path: tuple[str, ...] | list[str]) -> Any:
    """The state after ``path`` under ``seed`` (None when a choice is not available),
    played on ``engine`` itself (a search's engine: no texts, its watcher kept); the
    game a tool saves is rebuilt by :class:`~brinkmanship.runtime.session.Session`."""
    from brinkmanship.format.errors import GameError

    st = engine.start(seed)
    for cid in path:
        if st.over:
            return None
        try:
            st = engine.step(st, cid, inplace=True)
        except GameError:
            return None
    return st


class Replays:
    """:func:`play_path` on one engine, each prefix played once: the ways to the scenes
    of a role share their beginnings, so replaying each from the start would play the
    same turns again and again."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.done: dict[tuple[int, tuple[str, ...]], Any] = {}  # (seed, prefix) -> state

    def play(self, seed: int, path: tuple[str, ...] | list[str]) -> Any:
        """The state after ``path`` under ``seed`` (None when a choice is not available);
        the caller must not change it."""
        from brinkmanship.format.errors import GameError

        path = tuple(path)
        k = len(path)
        while k and (seed, path[:k]) not in self.done:
            k -= 1
        if k:
            st = self.done[(seed, path[:k])]
            if st is None or k == len(path):
                return st  # a prefix that could not be played, or the whole path
            st = st.copy()
        else:
            st = self.engine.start(seed)
        for j in range(k, len(path)):
            if st is None or st.over:
                return None
            try:
                st = self.engine.step(st, path[j], inplace=True)
            except GameError:
                st = None
            self.done[(seed, path[: j + 1])] = None if st is None else st.copy()
        return st


NO_HEADER = Header("", ("", 0, 0))


def late_arrivals(scenario: Scenario, facts: Any, seeds: int = 4) -> list[WhenFinding]:
    """Format-2 scenes whose 'at' the clock can already be past (by more than
    ``SLACK_MINUTES``) when a game gets there (the clock never goes back, so the scene
    is shown late): "confirmed" by a real game
    (the earliest or latest way there replayed), "always" when the static analysis
    proves every game arrives late, "possible" when it only cannot rule it out."""
    from brinkmanship.runtime.engine import Engine

    clock = scenario.clock
    if clock is None:
        return []
    out: list[WhenFinding] = []
    paths: dict[str, Any] = {}  # role -> its clock paths, worked out once (as check_headers)
    engines: dict[str, Replays] = {}
    for sid in scenario.scenes:
        found: WhenFinding | None = None
        maybe: WhenFinding | None = None
        for rid, r in facts.roles.items():
            got = r.arrivals.get(sid)
            if got is None or got[1].hi <= got[0] + SLACK_MINUTES:
                continue
            at, m = got
            at += SLACK_MINUTES  # this close to its 'at', the scene is on time
            if rid not in paths:
                paths[rid] = clock_paths(scenario, rid, r.moves)
                engines[rid] = Replays(Engine(scenario, rid, texts=False))
            replays = engines[rid]
            for minutes, path in paths[rid].get(sid, []):
                if minutes <= at:
                    continue
                for seed in range(seeds):
                    # the 'at' moves a clock that is behind it: one ahead stays ahead
                    st = replays.play(seed, path)
                    if st is not None and st.scene == sid and st.minutes > at:
                        zone = scenario.roles[rid].zone
                        said = f"{clock.local(st.minutes, zone):%a %d %b %Y, %H:%M}"
                        found = WhenFinding(sid, NO_HEADER, "confirmed", rid, path, seed, said)
                        break
                if found is not None:
                    break
            if found is not None:
                break
            if maybe is None or (m.lo > at and maybe.verdict != "always"):
                zone = scenario.roles[rid].zone
                lo = f"{clock.local(int(m.lo), zone):%a %d %b %Y, %H:%M}"
                maybe = WhenFinding(
                    sid,
                    NO_HEADER,
                    "always" if m.lo > at else "possible",
                    rid,
                    tuple(r.path(sid)),
                    None,
                    f"{lo} or later" if m.lo > at else f"up to {m.hi - at} minutes past it",
                )
        if found is not None or maybe is not None:
            out.append(found if found is not None else maybe)  # type: ignore[arg-type]
    return out
