"""What a front end shows, as plain data: plain mode, the TUI and the transcript only render it.

Every view is built from the engine's states; nothing here changes a game. Views
carry text and numbers, never ids meant for the screen (ids are there so a front
end can tell its own widgets apart).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from brinkmanship.format.model import Scenario, Variable, format_value
from brinkmanship.format.scenegraph import role_endings
from brinkmanship.runtime.engine import Engine, GameState
from brinkmanship.runtime.session import Session

SPARK = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True, slots=True)
class ChoiceView:
    number: int  # 1-based as shown; 0 for a disabled choice
    id: str
    text: str
    stance: str
    stance_label: str
    enabled: bool
    reason: str = ""


@dataclass(frozen=True, slots=True)
class AdviserView:
    who: str
    leans: str
    leans_label: str
    says: str


@dataclass(frozen=True, slots=True)
class MeterView:
    id: str
    label: str
    value: Any
    show: str
    min: int | None
    max: int | None
    description: str = ""
    change: int = 0  # since the turn before (numbers only)
    tension: bool = False  # the variable charted turn by turn
    zones: tuple[tuple[str, float], ...] = ()  # (name, threshold as a 0..1 ratio), lowest first
    zone: str | None = None  # the zone the value is in
    entered: str | None = None  # the zone it has just risen into (since the turn before)
    thresholds: tuple[tuple[str, int], ...] = ()  # the zones as values of the variable
    value_label: str = ""  # format 2: the value's text from the variable's 'labels'

    @property
    def danger(self) -> int:
        """How deep in its zones the value is: 0 below them all, 1 the first, and so on."""
        names = [n for n, _ in self.zones]
        return names.index(self.zone) + 1 if self.zone in names else 0

    @property
    def text(self) -> str:
        if self.show == "meter" and self.max is not None:
            return f"{self.value}/{self.max}"
        return self.value_label or format_value(self.value)

    @property
    def ratio(self) -> float | None:
        """Where a meter stands between its min (0.0) and max (1.0)."""
        if self.max is None or not isinstance(self.value, int) or isinstance(self.value, bool):
            return None
        lo = self.min or 0
        return min(1.0, max(0.0, (self.value - lo) / ((self.max - lo) or 1)))


@dataclass(frozen=True, slots=True)
class ClockView:
    label: str
    text: str
    local: str = ""  # the time in the playing role's zone, with the zone's name (format 2)
    zone: str = ""  # that zone's name, e.g. EDT or UTC-4


@dataclass(frozen=True, slots=True)
class DeadlineView:
    label: str
    text: str  # the role-local time of the deadline
    minutes_left: int  # from now; negative once passed


@dataclass(frozen=True, slots=True)
class SceneView:
    """Everything a front end needs to show one turn, as plain text and numbers."""

    scene_id: str
    title: str
    when: str
    where: str
    text: str
    advisers: tuple[AdviserView, ...]
    choices: tuple[ChoiceView, ...]
    messages: tuple[str, ...]
    meters: tuple[MeterView, ...]
    clock: ClockView
    turn: int  # choices made before this turn
    deadlines: tuple[DeadlineView, ...] = ()

    @property
    def open_choices(self) -> tuple[ChoiceView, ...]:
        return tuple(c for c in self.choices if c.enabled)


@dataclass(frozen=True, slots=True)
class EndingView:
    ending_id: str
    title: str
    outcome: str
    lesson_id: str
    lesson_title: str
    lesson: str
    text: str
    history: str
    messages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TurnView:
    """One turn of a game as its history shows it: where, what was chosen, what followed."""

    number: int
    when: str
    where: str
    title: str
    choice: str  # the choice's text
    stance: str
    stance_label: str
    after: tuple[str, ...]  # what the player was told after choosing


@dataclass(frozen=True, slots=True)
class ChartView:
    """A variable turn by turn (the start, then after each turn), on its own scale."""

    var: str
    label: str
    lo: int
    hi: int
    values: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class StanceCount:
    stance: str
    label: str
    count: int


# -- small pieces ---------------------------------------------------------------------


def tension_var(scenario: Scenario, role: str) -> str | None:
    """The variable to chart: 'tension' if the scenario has it, else the first meter."""
    variables = scenario.variables
    t = variables.get("tension")
    if t is not None and t.type == "number" and not t.rough_for(role):
        return "tension"
    for v in variables.values():
        if v.show == "meter" and v.visible_to(role) and not v.rough_for(role):
            return v.id
    return None


def stance_label(scenario: Scenario, stance: str) -> str:
    label = scenario.stances.get(stance)
    return label.label if label is not None else stance


CLOCK_FORMAT = "%a %d %b %Y, %H:%M"


def clock(scenario: Scenario, state: GameState, role: str = "") -> ClockView:
    """The clock as ``role`` reads it (its own zone when the scenario gives it one)."""
    c = scenario.clock
    if c is None:
        return ClockView("Turn", f"Turn {state.turn + 1}")
    r = scenario.roles.get(role)
    if r is None or r.zone is None:
        return ClockView(c.label, c.at(state.minutes).strftime(CLOCK_FORMAT))
    now = c.utc(state.minutes)
    zone = r.zone.name(now)
    text = r.zone.local(now).strftime(CLOCK_FORMAT)
    return ClockView(c.label, text, f"{text} {zone}", zone)


def time_shown(scenario: Scenario, state: GameState, role: str) -> str:
    """The time a game shows at ``state``: the scene header's, which the clock panel and the
    save list show too (the scene's own ``when`` in format 1, else the role's clock)."""
    scene = scenario.scenes.get(state.scene) if not state.over else None
    clk = clock(scenario, state, role)
    return header_time(scenario, scene.when if scene is not None else "", clk)


def header_time(scenario: Scenario, when: str, clk: ClockView) -> str:
    """The time a scene's header shows: in format 2 the clock's, when there is one."""
    if scenario.clock is None:
        return when
    if scenario.format >= 2 or not when:
        return clk.local or clk.text
    return when


def deadlines(scenario: Scenario, state: GameState, role: str) -> tuple[DeadlineView, ...]:
    """The scenario's deadlines this role is shown, in its local time, soonest first."""
    c = scenario.clock
    if c is None:
        return ()
    r = scenario.roles.get(role)
    zone = (r.zone if r else None) or c.zone
    now = c.utc(state.minutes)
    out = []
    for d in sorted(c.deadlines, key=lambda d: d.at):
        if (d.roles and role not in d.roles) or (d.cond is not None and not d.cond(state)):
            continue
        text = f"{zone.local(d.at).strftime(CLOCK_FORMAT)} {zone.name(d.at)}"
        left = int((d.at - now).total_seconds() // 60)
        out.append(DeadlineView(d.label, text, left))
    return tuple(out)


def sparkline(values: Sequence[Any], lo: int = 0, hi: int = 100) -> str:
    span = max(1, hi - lo)
    return "".join(SPARK[min(7, max(0, (int(v) - lo) * 8 // (span + 1)))] for v in values)


# The charted variable (tension) warns even where the scenario names no zones for it.
TENSION_ZONES = (("high", 0.6), ("critical", 0.8))


def zone_values(v: Variable, tension: bool = False) -> tuple[tuple[str, int], ...]:
    """A number's zones as (name, lowest value), lowest first: its own, or for the charted
    variable with a range and none of its own, ``TENSION_ZONES`` of its range."""
    if v.zones or not tension or v.min is None or v.max is None:
        return v.zones
    return tuple((name, v.min + round(r * (v.max - v.min))) for name, r in TENSION_ZONES)


def zone_ratios(
    v: Variable, zones: Sequence[tuple[str, int]] | None = None
) -> tuple[tuple[str, float], ...]:
    """A number's zones with thresholds as ratios of its range (raw values without a range)."""
    zones = v.zones if zones is None else zones
    if v.min is None or v.max is None:
        return tuple((name, float(at)) for name, at in zones)
    span = (v.max - v.min) or 1
    return tuple((name, min(1.0, max(0.0, (at - v.min) / span))) for name, at in zones)


def zone_of(zones: Sequence[tuple[str, int]], value: Any) -> str | None:
    """The zone a number is in: the highest one whose threshold it reaches."""
    found = None
    for name, at in zones:
        if isinstance(value, int) and not isinstance(value, bool) and value >= at:
            found = name
    return found


def meters(
    engine: Engine,
    state: GameState,
    before: GameState | None = None,
) -> tuple[MeterView, ...]:
    """The variables this role sees, with their change since ``before``."""
    tension = tension_var(engine.scenario, engine.role)
    out = []
    for v in engine.meters:
        value = state.vars[v.id]
        if v.id in engine.rough:  # only the estimate: no number, bar, zone or change
            shown = v.shown_as(value, engine.role)
            out.append(MeterView(v.id, v.label, shown, "estimate", None, None, v.description))
            continue
        change = 0
        zones = zone_values(v, v.id == tension)
        zone = zone_of(zones, value)
        entered = None
        if before is not None and v.type == "number":
            old = before.vars.get(v.id, value)
            change = value - old
            names = [n for n, _ in zones]
            was = zone_of(zones, old)
            if zone is not None and (was is None or names.index(zone) > names.index(was)):
                entered = zone
        out.append(
            MeterView(
                v.id,
                v.label,
                value,
                v.show,
                v.min,
                v.max,
                v.description,
                change,
                v.id == tension,
                zone_ratios(v, zones),
                zone,
                entered,
                zones,
                v.value_text(value) if v.labels else "",
            )
        )
    return tuple(out)


def change_text(m: MeterView) -> str:
    """A meter's change in a turn as the player reads it: "Tension +12" (no sign when none)."""
    return f"{m.label} {m.change:+d}".replace("-", "−") if m.change else ""


def warning_text(m: MeterView) -> str:
    """What a meter's rise into a zone means, in words: "Tension is now critical (80+)"."""
    if m.entered is None:
        return ""
    at = dict(m.thresholds).get(m.entered)
    return f"{m.label} is now {m.entered}" + (f" ({at}+)" if at is not None else "")


# -- a turn, an ending ----------------------------------------------------------------


def scene_view(engine: Engine, state: GameState, before: GameState | None = None) -> SceneView:
    """The scene ``state`` is in, as the player sees it (meters changed since ``before``)."""
    sc = engine.scenario
    scene = sc.scenes[state.scene]
    values = engine.values(state)
    available = {c.id for c in engine.available(state)}
    # Greyed-out choices come after every choice that can be taken: listed first, one
    # would sit above "1", where a player's eye (and finger) starts.
    choices, greyed = [], []
    n = 0
    for c in scene.choices:
        if c.once and f"{scene.id}/{c.id}" in state.used:
            continue
        label = stance_label(sc, c.stance)
        if c.id in available:
            n += 1
            choices.append(ChoiceView(n, c.id, c.text, c.stance, label, True))
        elif c.disabled is not None:
            greyed.append(ChoiceView(0, c.id, c.text, c.stance, label, False, c.disabled))
    choices += greyed
    advisers = []
    for a in scene.advisers:
        if a.cond is None or a.cond(state):
            lab = sc.leanings.get(a.leans)
            advisers.append(
                AdviserView(
                    a.who,
                    a.leans,
                    lab.label if lab else a.leans,
                    a.says.render(state, values, state.picks),
                )
            )
    clk = clock(sc, state, engine.role)
    return SceneView(
        scene.id,
        scene.title,
        header_time(sc, scene.when, clk),
        scene.where,
        scene.text.render(state, values, state.picks),
        tuple(advisers),
        tuple(choices),
        state.messages,
        meters(engine, state, before),
        clk,
        state.turn,
        deadlines(sc, state, engine.role),
    )


def ending_view(engine: Engine, state: GameState) -> EndingView:
    sc = engine.scenario
    e = sc.endings[state.ending or ""]
    lesson = sc.lessons.get(e.lesson or "")
    values = engine.values(state)
    return EndingView(
        e.id,
        e.title,
        e.outcome,
        e.lesson or "",
        lesson.title if lesson else "",
        lesson.text if lesson else "",
        e.text.render(state, values, state.picks),
        e.history.render(state, values, state.picks),
        state.messages,
    )


def current(session: Session) -> SceneView:
    """The turn the session stands at, with what the last choice changed."""
    before = session.state_at(session.turn - 1) if session.turn else None
    return scene_view(session.engine, session.state, before)


# -- a whole game ---------------------------------------------------------------------


def chart(session: Session, upto: int | None = None) -> ChartView | None:
    """The charted variable over the first ``upto`` turns (default: all of them)."""
    var = tension_var(session.scenario, session.role)
    if var is None:
        return None
    v = session.scenario.variables[var]
    values = session.series(var)[: None if upto is None else upto + 1]
    return ChartView(var, v.label, v.min or 0, v.max if v.max is not None else 100, tuple(values))


def stance_mix(session: Session, upto: int | None = None) -> list[StanceCount]:
    sc = session.scenario
    return [StanceCount(s, stance_label(sc, s), n) for s, n in session.stance_counts(upto).items()]


def stance_mix_text(session: Session) -> str:
    return ", ".join(f"{s.label} {s.count}" for s in stance_mix(session))


def history(session: Session) -> list[tuple[SceneView, TurnView]]:
    """Every turn played: the scene as it was shown, and what was chosen there."""
    engine = session.engine
    sc = session.scenario
    out = []
    prev: GameState | None = None
    for st, t, after in session.walk():
        view = scene_view(engine, st, prev)
        choice = next((c.text for c in sc.scenes[st.scene].choices if c.id == t.choice), t.choice)
        out.append(
            (
                view,
                TurnView(
                    t.number,
                    view.when,
                    view.where,
                    view.title,
                    choice,
                    t.stance,
                    stance_label(sc, t.stance),
                    after.messages,
                ),
            )
        )
        prev = st
    return out


# -- the endings gallery ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EndingHint:
    """What the gallery says of an ending not yet found: its outcome, and where to look."""

    outcome: str
    scene_title: str = ""  # the scene nearest the start from which a choice leads there
    anywhere: bool = False  # it can also come of the other side's answer or of events
    # the stance of that choice, given only when another ending's hint would read the same
    stance_label: str = ""
    alike: tuple[int, int] = (0, 0)  # (k, n): the k-th of n endings whose hints read alike


def ending_hints(scenario: Scenario, role: str) -> dict[str, EndingHint]:
    """For each ending of ``role`` (:func:`role_endings`, the one count every tool and
    screen uses), a hint that gives away no text: its outcome and the first scene (on the
    shortest way through the scenes, conditions ignored) where a choice leads straight to
    it."""
    start = scenario.roles[role].start
    order: dict[str, int] = {start: 0}
    todo = [start]
    for pid in todo:  # breadth first: scenes in the order a game can first meet them
        scene = scenario.scenes.get(pid)
        for c in scene.choices if scene is not None else ():
            for nxt in c.targets:
                if nxt and nxt not in order:
                    order[nxt] = len(order)
                    todo.append(nxt)
    first: dict[str, tuple[str, str]] = {}  # ending -> (scene, stance of the choice)
    for sid in sorted((s for s in order if s in scenario.scenes), key=order.__getitem__):
        for c in scenario.scenes[sid].choices:
            for nxt in c.targets:
                if nxt in scenario.endings:
                    first.setdefault(nxt, (sid, c.stance))
    anywhere = {
        o.goto for r in scenario.reactions if not r.roles or role in r.roles for o in r.outcomes
    } | {t.goto for t in scenario.triggers if not t.roles or role in t.roles}
    out = {}
    for eid in role_endings(scenario, role):
        sid, stance = first.get(eid, ("", ""))
        title = scenario.scenes[sid].title if sid else ""
        out[eid] = EndingHint(scenario.endings[eid].outcome, title, eid in anywhere)
    # Two endings of one kind reached from one scene would read alike: say which stance.
    alike = Counter(hint_text(h) for h in out.values())
    for eid, h in out.items():
        sid, stance = first.get(eid, ("", ""))
        if h.scene_title and alike[hint_text(h)] > 1 and stance:
            out[eid] = dataclasses.replace(h, stance_label=stance_label(scenario, stance))
    # Still alike: number them, so that the list does not look like one line twice.
    alike = Counter(hint_text(h) for h in out.values())
    seen: Counter[str] = Counter()
    for eid, h in out.items():
        text = hint_text(h)
        if alike[text] > 1:
            seen[text] += 1
            out[eid] = dataclasses.replace(h, alike=(seen[text], alike[text]))
    return out


def hint_text(h: EndingHint) -> str:
    """A hint in words: "Catastrophe. A choice in “The Line” leads there."""
    out = f"{h.outcome.capitalize()}." if h.outcome else "An ending."
    if h.scene_title:
        marked = f", one marked {h.stance_label}" if h.stance_label else ""
        out += f" A choice in “{h.scene_title}” leads there{marked}."
    elif h.anywhere:
        out += " It comes of what others do, not of one choice."
    k, n = h.alike
    if n > 1:
        out += f" ({k} of {n} endings with this hint)"
    return out


# -- the decision path ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PathStep:
    """One decision of a game as the ending screen lists it, against what really happened."""

    number: int
    title: str  # the scene's title (or its time and place)
    choice: str  # the text of the choice made
    stance: str
    stance_label: str
    historical: bool | None  # None: the scenario says nothing of what happened here
    history: str = ""  # the historical choice's text, where the player chose otherwise


def decision_path(session: Session) -> list[PathStep]:
    """Every choice of the game, each marked as the historical one or not."""
    sc = session.scenario
    out = []
    for t in session.turns:
        scene = sc.scenes[t.scene]
        chosen = next((c for c in scene.choices if c.id == t.choice), None)
        real = next((c for c in scene.choices if c.historical), None)
        title = scene.title or " · ".join(x for x in (scene.when, scene.where) if x)
        out.append(
            PathStep(
                t.number,
                title,
                chosen.text if chosen else "",
                t.stance,
                stance_label(sc, t.stance),
                None if real is None else real.id == t.choice,
                real.text if real is not None and real.id != t.choice else "",
            )
        )
    return out


def left_history_at(path: Sequence[PathStep]) -> int | None:
    """The number of the first decision that differs from what really happened."""
    return next((p.number for p in path if p.historical is False), None)
