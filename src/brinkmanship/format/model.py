"""The compiled scenario: immutable data the engine runs on."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from brinkmanship.format.expr import Compiled, bound

Loc = tuple[str, int, int]
DEFAULT_MINUTES_PER_TURN = 360
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


def format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@dataclass(frozen=True, slots=True)
class Claim:
    """What some text takes for granted (format 2 'assume'): never shown to the player;
    the writer's tools look for a game that reaches the text where it does not hold."""

    cond: Compiled
    loc: Loc
    what: str  # what makes the claim, e.g. scene 'intro' or a paragraph of ending 'peace'


@dataclass(frozen=True, slots=True)
class Para:
    """One paragraph: plain, or (format 2) shown once, by visit, or one of several variants.

    ``kind`` is "" (plain: ``alts`` is its one text), "once" (shown the first time only),
    "visit" (``alts`` is (first time, every later time)) or "variants" (one of ``alts``,
    drawn with the seed without repeating until all were used). ``key`` names the
    paragraph in the game state; ``assume`` is what the paragraph takes for granted
    (never shown; checked by the writer's tools).
    """

    cond: Compiled | None
    alts: tuple[str, ...]
    kind: str = ""
    key: str = ""
    assume: Claim | None = None
    loc: Loc = ("", 0, 0)

    @property
    def text(self) -> str:
        return self.alts[0] if self.alts else ""

    def shown(self, state: Any) -> bool:
        return self.cond is None or bool(self.cond(state))


@dataclass(frozen=True, slots=True)
class Text:
    """Paragraphs, each shown when its condition (if any) holds, with {name} placeholders.

    ``picks`` (from the game state) says which text a format-2 paragraph shows: an index
    into its ``alts``, or -1 for a 'once' paragraph already shown. Without one, a
    paragraph shows its first text.
    """

    parts: tuple[Para, ...] = ()
    special: bool = False  # some paragraph is once, by visit or variants
    claims: bool = False  # some paragraph has an 'assume'

    @property
    def locs(self) -> tuple[Loc, ...]:
        """Where each paragraph was written (its 'if' for a conditional one)."""
        return tuple(p.loc for p in self.parts)

    def render(self, state: Any, values: Any, picks: Any = None) -> str:
        out = []
        for p in self.parts:
            if p.cond is not None and not p.cond(state):
                continue
            i = 0
            if p.kind and picks is not None:
                i = picks.get(p.key, 0)
                if i < 0:
                    continue
            out.append(interpolate(p.alts[i], values))
        return "\n\n".join(t.strip("\n") for t in out)

    def __bool__(self) -> bool:
        return bool(self.parts)

    def all_text(self) -> str:
        return "\n\n".join(t for p in self.parts for t in p.alts)

    def texts(self) -> list[str]:
        """Every text any paragraph can show."""
        return [t for p in self.parts for t in p.alts]


def placeholders(text: str) -> list[tuple[int, str]]:
    """(offset, name) for each {name} in ``text``."""
    return [(m.start(), m.group(1)) for m in _PLACEHOLDER.finditer(text) if m.group(1)]


def interpolate(text: str, values: Any) -> str:
    if "{" not in text and "}" not in text:
        return text

    def sub(m: re.Match[str]) -> str:
        tok = m.group(0)
        if tok == "{{":
            return "{"
        if tok == "}}":
            return "}"
        return format_value(values(m.group(1)))

    return _PLACEHOLDER.sub(sub, text)


@dataclass(frozen=True, slots=True)
class Effect:
    var: str
    op: str  # "set", "add" or "sub"
    expr: Compiled


@dataclass(frozen=True, slots=True)
class Estimate:
    """How a role sees a number only roughly (format 2): a band of ``band`` wide, or the
    word of the range it is in (``words``: (word, lowest value), lowest first)."""

    band: int = 0
    words: tuple[tuple[str, int], ...] = ()
    roles: tuple[str, ...] = ()  # the roles that see it roughly (empty: all)

    def text(self, value: int, lo: int | None, hi: int | None) -> str:
        if self.words:
            word = self.words[0][0]
            for name, at in self.words:
                if value >= at:
                    word = name
            return word
        base = lo or 0
        start = base + (value - base) // self.band * self.band
        end = start + self.band
        if hi is not None:
            end = min(end, hi)
        return f"about {start}-{end}"


@dataclass(frozen=True, slots=True)
class Variable:
    id: str
    type: str  # "number", "bool", "enum" or (format 2) "ladder"
    initial: Any
    label: str
    show: str
    min: int | None = None
    max: int | None = None
    values: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    description: str = ""
    loc: Loc = ("", 0, 0)
    zones: tuple[tuple[str, int], ...] = ()  # format 2: (name, lowest value), lowest first
    estimate: Estimate | None = None  # format 2: some roles see it only roughly
    labels: tuple[tuple[str, str], ...] = ()  # format 2: enum/ladder value -> text shown

    def value_text(self, value: Any) -> str:
        """A value as the player reads it: its label (format 2 ``labels``) when it has one."""
        for key, text in self.labels:
            if key == value:
                return text
        return format_value(value)

    def rough_for(self, role: str) -> bool:
        """Whether ``role`` sees this variable only as an estimate."""
        e = self.estimate
        return e is not None and (not e.roles or role in e.roles)

    def shown_as(self, value: Any, role: str) -> Any:
        """The value as ``role`` is shown it: the estimate when it sees the variable roughly."""
        if self.estimate is not None and self.rough_for(role) and isinstance(value, int):
            return self.estimate.text(value, self.min, self.max)
        return value

    def zone_of(self, value: Any) -> str | None:
        """The zone a number is in: the highest one whose threshold it reaches."""
        found = None
        for name, at in self.zones:
            if isinstance(value, int) and not isinstance(value, bool) and value >= at:
                found = name
        return found

    def visible_to(self, role: str) -> bool:
        return self.show != "hidden" and (not self.roles or role in self.roles)

    def step(self, value: Any, rungs: Any) -> str:
        """A ladder moved ``rungs`` rungs up (down when negative), kept on the ladder."""
        here = self.values.index(value) if value in self.values else 0
        to = here + int(bound(rungs))
        return self.values[max(0, min(len(self.values) - 1, to))]

    def clamp(self, value: Any) -> Any:
        if self.type != "number":
            return value
        value = bound(value)
        value = round(value) if isinstance(value, float) else int(value)
        if self.min is not None and value < self.min:
            return self.min
        if self.max is not None and value > self.max:
            return self.max
        return value


@dataclass(frozen=True, slots=True)
class Adviser:
    who: str
    leans: str
    says: Text
    cond: Compiled | None = None
    assume: Claim | None = None
    loc: Loc = ("", 0, 0)


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    text: str
    stance: str
    next: str
    cond: Compiled | None = None
    disabled: str | None = None
    effects: tuple[Effect, ...] = ()
    result: Text = field(default_factory=Text)
    once: bool = False
    minutes: int | None = None
    loc: Loc = ("", 0, 0)
    routes: tuple[tuple[Compiled, str], ...] = ()  # format 2: (condition, place) before 'next'
    historical: bool = False  # what really happened at this point

    @property
    def targets(self) -> tuple[str, ...]:
        """Every place this choice can lead to (its 'next' last)."""
        return (*(to for _, to in self.routes), self.next)

    def route(self, state: Any) -> str:
        """Where the choice leads in ``state``: the first route that holds, else 'next'."""
        for cond, to in self.routes:
            if cond(state):
                return to
        return self.next


@dataclass(frozen=True, slots=True)
class Scene:
    id: str
    text: Text
    choices: tuple[Choice, ...]
    title: str = ""
    when: str = ""
    where: str = ""
    effects: tuple[Effect, ...] = ()
    advisers: tuple[Adviser, ...] = ()
    loc: Loc = ("", 0, 0)
    at: dt.datetime | None = None  # format 2: the clock moves forward to this role-local moment
    assume: Claim | None = None  # format 2: what the scene takes for granted
    when_loc: Loc = ("", 0, 0)  # where 'when' is written
    roles: tuple[str, ...] = ()  # the roles whose part it is, when declared (default: any)
    at_loc: Loc = ("", 0, 0)  # where 'at' is written


@dataclass(frozen=True, slots=True)
class Outcome:
    weight: Compiled
    text: Text
    effects: tuple[Effect, ...] = ()
    goto: str | None = None
    cond: Compiled | None = None  # format 2: it can happen only when this holds
    once: bool = False  # format 2: at most once per game
    cooldown: int = 0  # format 2: turns after it happens before it can happen again
    key: str = ""  # its name in the game state: reaction id/number

    @property
    def limited(self) -> bool:
        return self.once or self.cooldown > 0

    loc: Loc = ("", 0, 0)


@dataclass(frozen=True, slots=True)
class Reaction:
    id: str
    outcomes: tuple[Outcome, ...]
    cond: Compiled | None = None
    roles: tuple[str, ...] = ()
    once: bool = False  # format 2: fires at most once per game
    cooldown: int = 0  # format 2: turns after it fires before it can fire again
    gated: bool = False  # it, or an outcome, has a once, a cooldown or an outcome 'if'
    loc: Loc = ("", 0, 0)

    @property
    def limited(self) -> bool:
        return self.once or self.cooldown > 0


def ready(rule: Reaction | Outcome, key: str, last: dict[str, int], turn: int) -> bool:
    """Whether a once/cooldown rule may happen on ``turn``, given when rules last happened."""
    fired = last.get(key)
    if fired is None:
        return True
    return not rule.once and turn > fired + rule.cooldown


@dataclass(frozen=True, slots=True)
class Trigger:
    id: str
    cond: Compiled
    effects: tuple[Effect, ...] = ()
    text: Text = field(default_factory=Text)
    goto: str | None = None
    once: bool = True
    roles: tuple[str, ...] = ()
    at: dt.datetime | None = None  # format 2: not before this moment (naive UTC)
    after: int | None = None  # format 2: not before this many minutes since the start or 'since'
    since: Compiled | None = None  # format 2: the clock for 'after' starts when this first holds
    loc: Loc = ("", 0, 0)


@dataclass(frozen=True, slots=True)
class Ending:
    id: str
    title: str
    outcome: str
    text: Text
    lesson: str | None = None
    history: Text = field(default_factory=Text)
    loc: Loc = ("", 0, 0)
    assume: Claim | None = None  # format 2: what the ending takes for granted
    roles: tuple[str, ...] = ()  # the roles it belongs to, when declared (default: any)


@dataclass(frozen=True, slots=True)
class Lesson:
    id: str
    title: str
    text: str
    loc: Loc = ("", 0, 0)


@dataclass(frozen=True, slots=True)
class Role:
    id: str
    name: str
    start: str
    title: str = ""
    blurb: Text = field(default_factory=Text)
    setup: tuple[Effect, ...] = ()
    zone: Zone | None = None  # format 2: the role's local time (None: the clock's)


@dataclass(frozen=True, slots=True)
class Label:
    id: str
    label: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Deadline:
    """A moment the scenario shows the player counting down to (format 2)."""

    label: str
    at: dt.datetime  # UTC
    roles: tuple[str, ...] = ()
    cond: Compiled | None = None  # shown only while this holds (default: always)


@dataclass(frozen=True, slots=True)
class ZoneChange:
    """From the instant ``at`` (naive UTC) on, a zone is ``offset`` from UTC, named ``label``."""

    at: dt.datetime
    offset: dt.timedelta
    label: str = ""


@dataclass(frozen=True, slots=True)
class Zone:
    """Local time: a fixed UTC offset that may change at given instants (a clock going back
    for winter time, say). Self-contained: no time-zone database is read."""

    offset: dt.timedelta = dt.timedelta()
    label: str = ""
    changes: tuple[ZoneChange, ...] = ()  # in time order

    def in_force(self, utc: dt.datetime) -> tuple[dt.timedelta, str]:
        """The offset and name in force at the naive-UTC instant ``utc``."""
        offset, label = self.offset, self.label
        for c in self.changes:
            if utc < c.at:
                break
            offset, label = c.offset, c.label
        return offset, label

    def name(self, utc: dt.datetime) -> str:
        """The zone's name at ``utc``: its label, else the offset (``UTC``, ``UTC-04:00``)."""
        offset, label = self.in_force(utc)
        return label or ("UTC" if not offset else str(dt.timezone(offset)))

    def local(self, utc: dt.datetime) -> dt.datetime:
        """Wall time at the naive-UTC instant ``utc``."""
        try:
            return utc + self.in_force(utc)[0]
        except OverflowError:
            return dt.datetime.max

    def to_utc(self, wall: dt.datetime) -> dt.datetime:
        """The instant a wall time means, read in the offset in force then. A wall time that
        happens twice (the clocks went back) is the earlier; one that never happens (they
        went forward) is read in the offset before the change."""
        starts = (None, *(c.at for c in self.changes))
        offsets = (self.offset, *(c.offset for c in self.changes))
        for i, offset in enumerate(offsets):
            utc = wall - offset
            start, end = starts[i], starts[i + 1] if i + 1 < len(starts) else None
            if (start is None or utc >= start) and (end is None or utc < end):
                return utc
        for i, c in enumerate(self.changes):  # in a gap: the offset before the change
            if c.at + offsets[i] <= wall < c.at + c.offset:
                return wall - offsets[i]
        return wall - self.offset


UTC_ZONE = Zone()


@dataclass(frozen=True, slots=True)
class Clock:
    """The scenario clock. ``start`` is wall time in ``zone``; instants are kept in UTC."""

    start: dt.datetime
    minutes_per_turn: int = DEFAULT_MINUTES_PER_TURN
    label: str = "Time"
    zone: Zone = UTC_ZONE
    deadlines: tuple[Deadline, ...] = ()
    start_utc: dt.datetime = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "start_utc", self.zone.to_utc(self.start.replace(tzinfo=None)))

    def at(self, minutes: int) -> dt.datetime:
        """Wall time ``minutes`` after the start, in the clock's zone."""
        if not self.zone.changes:
            try:
                return self.start + dt.timedelta(minutes=minutes)
            except OverflowError:  # a clock that runs past the year 9999 stops there
                return dt.datetime.max.replace(tzinfo=self.start.tzinfo)
        return self.zone.local(self.utc(minutes))

    def utc(self, minutes: int) -> dt.datetime:
        """The instant (naive UTC) ``minutes`` after the start."""
        try:
            return self.start_utc + dt.timedelta(minutes=minutes)
        except OverflowError:
            return dt.datetime.max

    def local(self, minutes: int, zone: Zone | None) -> dt.datetime:
        """Wall time ``minutes`` after the start in ``zone`` (default: the clock's zone)."""
        if zone is None:
            return self.at(minutes)
        return zone.local(self.utc(minutes))

    def minutes_until(self, utc: dt.datetime) -> int:
        """Minutes from the start to the naive-UTC instant ``utc``."""
        return int((utc - self.start_utc).total_seconds() // 60)

    def minutes_at(self, wall: dt.datetime, zone: Zone | None) -> int:
        """Minutes from the start to the wall time ``wall`` read in ``zone`` (or the clock's)."""
        return self.minutes_until((zone or self.zone).to_utc(wall))


def parse_zone(text: str) -> dt.timezone | None:
    """A fixed offset such as UTC-4, UTC+3, UTC+05:30 or UTC; None when not one."""
    m = re.fullmatch(r"\s*(?:UTC|GMT)\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?)?\s*", text)
    if not m:
        return None
    if not m.group(1):
        return dt.UTC
    hours, mins = int(m.group(2)), int(m.group(3) or 0)
    if hours > 14 or mins > 59:
        return None
    sign = -1 if m.group(1) == "-" else 1
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=mins))


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    title: str
    format: int
    roles: dict[str, Role]
    variables: dict[str, Variable]
    scenes: dict[str, Scene]
    endings: dict[str, Ending]
    lessons: dict[str, Lesson]
    stances: dict[str, Label]
    leanings: dict[str, Label]
    reactions: tuple[Reaction, ...]
    triggers: tuple[Trigger, ...]
    description: Text = field(default_factory=Text)
    author: str = ""
    clock: Clock | None = None
    content_hash: str = ""
    path: str = ""
    files: tuple[str, ...] = ()

    def place(self, pid: str) -> Scene | Ending | None:
        return self.scenes.get(pid) or self.endings.get(pid)

    def texts(self) -> list[Text]:
        """Every text of the scenario."""
        out: list[Text] = [self.description]
        out.extend(r.blurb for r in self.roles.values())
        for s in self.scenes.values():
            out.append(s.text)
            out.extend(a.says for a in s.advisers)
            out.extend(c.result for c in s.choices)
        for r in self.reactions:
            out.extend(o.text for o in r.outcomes)
        out.extend(t.text for t in self.triggers)
        for e in self.endings.values():
            out.extend((e.text, e.history))
        return out

    def claims(self) -> list[Claim]:
        """Every 'assume' of the scenario, in file order."""
        out = [p.assume for t in self.texts() for p in t.parts if p.assume is not None]
        for s in self.scenes.values():
            out.extend(a.assume for a in s.advisers if a.assume is not None)
            if s.assume is not None:
                out.append(s.assume)
        out.extend(e.assume for e in self.endings.values() if e.assume is not None)
        return sorted(out, key=lambda c: c.loc)
