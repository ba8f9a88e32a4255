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
class Text:
    """Paragraphs, each shown when its condition (if any) holds, with {name} placeholders."""

    parts: tuple[tuple[Compiled | None, str], ...] = ()

    def render(self, state: Any, values: Any) -> str:
        out = []
        for cond, text in self.parts:
            if cond is None or cond(state):
                out.append(interpolate(text, values))
        return "\n\n".join(p.strip("\n") for p in out)

    def __bool__(self) -> bool:
        return bool(self.parts)

    def all_text(self) -> str:
        return "\n\n".join(t for _, t in self.parts)


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
class Variable:
    id: str
    type: str  # "number", "bool" or "enum"
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

    def zone_of(self, value: Any) -> str | None:
        """The zone a number is in: the highest one whose threshold it reaches."""
        found = None
        for name, at in self.zones:
            if isinstance(value, int) and not isinstance(value, bool) and value >= at:
                found = name
        return found

    def visible_to(self, role: str) -> bool:
        return self.show != "hidden" and (not self.roles or role in self.roles)

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
    historical: bool = False  # what really happened at this point


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


@dataclass(frozen=True, slots=True)
class Outcome:
    weight: Compiled
    text: Text
    effects: tuple[Effect, ...] = ()
    goto: str | None = None


@dataclass(frozen=True, slots=True)
class Reaction:
    id: str
    outcomes: tuple[Outcome, ...]
    cond: Compiled | None = None
    roles: tuple[str, ...] = ()


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


@dataclass(frozen=True, slots=True)
class Ending:
    id: str
    title: str
    outcome: str
    text: Text
    lesson: str | None = None
    history: Text = field(default_factory=Text)
    loc: Loc = ("", 0, 0)


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
    zone: dt.timezone | None = None  # format 2: the role's local time (default: the clock's)
    zone_label: str = ""  # e.g. EDT


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


@dataclass(frozen=True, slots=True)
class Clock:
    """The scenario clock. ``start`` is wall time in ``zone``; instants are kept in UTC."""

    start: dt.datetime
    minutes_per_turn: int = DEFAULT_MINUTES_PER_TURN
    label: str = "Time"
    zone: dt.timezone = dt.UTC
    deadlines: tuple[Deadline, ...] = ()

    def at(self, minutes: int) -> dt.datetime:
        try:
            return self.start + dt.timedelta(minutes=minutes)
        except OverflowError:  # a clock that runs past the year 9999 stops there
            return dt.datetime.max.replace(tzinfo=self.start.tzinfo)

    @property
    def start_utc(self) -> dt.datetime:
        return self.start.replace(tzinfo=None) - (self.zone.utcoffset(None) or dt.timedelta())

    def utc(self, minutes: int) -> dt.datetime:
        """The instant (naive UTC) ``minutes`` after the start."""
        try:
            return self.start_utc + dt.timedelta(minutes=minutes)
        except OverflowError:
            return dt.datetime.max

    def local(self, minutes: int, zone: dt.timezone | None) -> dt.datetime:
        """Wall time ``minutes`` after the start in ``zone`` (default: the clock's zone)."""
        if zone is None:
            return self.at(minutes)
        try:
            return self.utc(minutes) + (zone.utcoffset(None) or dt.timedelta())
        except OverflowError:
            return dt.datetime.max

    def minutes_until(self, utc: dt.datetime) -> int:
        """Minutes from the start to the naive-UTC instant ``utc``."""
        return int((utc - self.start_utc).total_seconds() // 60)


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
