"""Free-text 'when' headers against the clock, for format-1 scenarios that have both.

In format 1 a scene's ``when`` is shown as written, even when the scenario has a clock
that says something else. We read what a header claims (a date, a weekday, a time, or
a part of the day such as "early morning" together with a date or weekday) and compare
it with the clock in the states the search reaches the scene in. A header that names
nothing we can read ("Invasion day") is never reported.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

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
