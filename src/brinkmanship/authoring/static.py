"""What can hold at each scene, for every game at once: a static analysis.

A search of game states cannot finish on a real scenario (six meters of 0..100 over
fifteen turns is more states than any search visits). This analysis runs the game's
rules on *abstract* states instead (:mod:`brinkmanship.format.absint`): at each scene,
an interval for each number, the set of possible values of each truth value and text,
and intervals for the counters of the game's history (turns, the clock, visits, choices
made, triggers fired). One pass over a scene's choices stands for every game that
reaches it; a loop is followed until what can hold there stops growing, and *widened*
(a growing number jumps to its declared min or max) so that it always ends. The cost
grows with the size of the scenario, not with the number of games.

It over-approximates: every state a real game can be in at a scene is in that scene's
abstract state. So what it says *cannot* happen, cannot:

- a scene or ending with no abstract state is never reached in any game;
- a condition whose abstract value is only false (or only true) is so in every game;
- a set of scenes whose abstract ways out all lead back into it is a loop with no way
  out, once a game enters it;
- a scene where, in the abstract state, every choice is unavailable is stuck in every
  game that reaches it; where some values leave no choice it *may* be stuck (the
  report says for which values; a real game may or may not get there).

What it says *can* happen may not (the abstraction loses facts, e.g. that two numbers
move together): those are the "possible" verdicts, which ``explore`` tries to confirm
with a real game.

The reactions that follow a choice are taken one after another, joining the states
after each (fired with each outcome, or not fired), so forty reactions cost forty
steps, not the product of their outcomes.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from brinkmanship.authoring.cycles import cycles
from brinkmanship.authoring.statekey import text_reads
from brinkmanship.format.absint import (
    BOOLS,
    FALSE,
    TRUE,
    Abstract,
    Layout,
    Num,
    differ,
    join,
    join_all,
    join_envs,
    put_slots,
)
from brinkmanship.format.expr import MAX_VALUE, Compare, Compiled, Const, Name, Node, walk
from brinkmanship.format.model import (
    DEFAULT_MINUTES_PER_TURN,
    Choice,
    Claim,
    Effect,
    Loc,
    Reaction,
    Scenario,
    Text,
    Trigger,
)
from brinkmanship.format.names import NUM

WIDEN_AFTER = 3  # updates of a scene's state before growing numbers jump to their bounds
Env = tuple[Any, ...]
Site = tuple[str, ...]  # a place a condition is evaluated: ("choice", scene, choice), ...
# (place, state, via) for every way a step can end: via is "" for a choice's own next, or
# "reaction X" / "trigger X" when one of them diverts the game.
Arrival = tuple[str, Env, str]


@dataclass
class ClaimFacts:
    """What an 'assume' can be where its text is shown: ``truth`` holds its possible truth
    values ({True}: it holds in every game, proved); ``place`` is where it was first seen
    failing (or shown), ``values`` for which values it fails, in words."""

    claim: Claim
    truth: frozenset[bool]
    place: str
    values: str


@dataclass
class RoleFacts:
    """What the analysis proves for one role."""

    role: str
    states: dict[str, Env]  # scene -> what can hold at its choices (absent: never reached)
    endings: dict[str, Env]  # ending -> what can hold on arrival
    edges: dict[str, dict[str, str]]  # scene -> place -> how (a choice, reaction, trigger)
    parent: dict[str, tuple[str, str]]  # place -> (scene, choice) that first led there
    truths: dict[Site, frozenset[bool]]  # condition -> the truth values it can have
    stuck: dict[str, tuple[bool, str]]  # scene -> (stuck in every game there, for which values)
    loops: list[list[str]]  # sets of scenes no game can leave once inside
    doomed: set[str]  # scenes from which no ending can be reached
    updates: int = 0  # scene states computed (the work done)
    # scene -> choice -> the places taking it can lead to
    moves: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    # scenes from which an ending can be reached in every game that is there: each has
    # a choice that is always available and whose every outcome leads somewhere safe
    safe: set[str] = field(default_factory=set)
    # places a game can enter, if only to be sent on at once by a trigger
    entered: set[str] = field(default_factory=set)
    # 'assume' (format 2) -> what it can be where its text is shown (absent: never shown)
    claims: dict[Loc, ClaimFacts] = field(default_factory=dict)
    slots: dict[tuple[str, ...], int] = field(default_factory=dict)  # see Layout
    # scene with an 'at' (format 2) -> (its 'at' in minutes, the clock as games arrive,
    # before the 'at' sets it): a clock already past the 'at' cannot go back to it
    arrivals: dict[str, tuple[int, Num]] = field(default_factory=dict)
    # the analysis that found these facts, with what it remembered (for Regions)
    analysis: Any = field(default=None, repr=False, compare=False)

    def unsafe(self) -> list[str]:
        """Reached scenes not proved safe: a game there might never be able to end."""
        return [s for s in self.states if s not in self.safe]

    def path(self, place: str) -> list[str]:
        """The choices of a way to ``place`` on the abstract graph (possible, not certain)."""
        out: list[str] = []
        seen: set[str] = set()
        while place in self.parent and place not in seen:
            seen.add(place)
            place, via = self.parent[place]
            out.append(via)
        out.reverse()
        return out

    def reached(self, place: str) -> bool:
        """Whether some game can enter ``place`` (over-approximated: False is a proof)."""
        return place in self.states or place in self.endings or place in self.entered


@dataclass
class Facts:
    """The analysis of every role."""

    scenario: Scenario
    roles: dict[str, RoleFacts] = field(default_factory=dict)

    def truths(self) -> dict[Site, frozenset[bool]]:
        """Each condition's truth values over every role."""
        out: dict[Site, frozenset[bool]] = {}
        for r in self.roles.values():
            for k, v in r.truths.items():
                out[k] = out.get(k, frozenset()) | v
        return out


def analyse(scenario: Scenario, roles: list[str] | None = None) -> Facts:
    """The static analysis of ``roles`` (default: every role)."""
    facts = Facts(scenario)
    for rid in roles if roles is not None else list(scenario.roles):
        facts.roles[rid] = _Role(scenario, rid).run()
    return facts


def layout_keys(scenario: Scenario, role: str) -> dict[tuple[str, ...], int]:
    """What each place of a role's abstract states holds (see :class:`Layout`)."""
    return dict(_Role(scenario, role).layout.slots)


class Regions:
    """Ways on from one scene at a time, for the games that reach it (see ``region``)."""

    def __init__(self, scenario: Scenario, role: str, facts: RoleFacts) -> None:
        # the analysis's own rules, with what they remembered (its abstract values and
        # steps), when these facts came from this scenario's analysis
        mine = facts.analysis
        self.role = (
            mine if isinstance(mine, _Role) and mine.sc is scenario else _Role(scenario, role)
        )
        self.states = facts.states

    def ways(self, first: str, stop: set[str]) -> dict[str, set[str]]:
        """Scene -> the places it can lead to, from ``first`` up to the scenes in ``stop``."""
        if first not in self.states:
            return {}
        return self.role.region(first, self.states[first], stop)


def condition_sites(sc: Scenario) -> Iterator[tuple[Site, Compiled, Loc, str]]:
    """Every condition of the scenario: (site, expression, where written, what it is)."""
    for s in sc.scenes.values():
        for c in s.choices:
            if c.cond is not None:
                yield ("choice", s.id, c.id), c.cond, c.loc, f"choice {c.id!r}'s 'if'"
            yield from _text_sites(("result", s.id, c.id), c.result, f"choice {c.id!r}'s result")
        for n, a in enumerate(s.advisers):
            if a.cond is not None:
                yield ("adviser", s.id, str(n)), a.cond, a.loc, f"adviser {a.who!r}"
            yield from _text_sites(("says", s.id, str(n)), a.says, f"adviser {a.who!r}'s text")
        yield from _text_sites(("scene", s.id), s.text, f"scene {s.id!r}'s text")
    for r in sc.reactions:
        if r.cond is not None:
            yield ("reaction", r.id), r.cond, r.loc, f"reaction {r.id!r}'s 'if'"
        for n, o in enumerate(r.outcomes):
            yield (
                ("weight", r.id, str(n)),
                o.weight,
                o.loc,
                (f"reaction {r.id!r}'s outcome {n + 1} weight (above 0)"),
            )
            yield from _text_sites(("outcome", r.id, str(n)), o.text, f"reaction {r.id!r}'s text")
    for t in sc.triggers:
        if t.cond.tree != Const(True, "bool"):
            yield ("trigger", t.id), t.cond, t.loc, f"trigger {t.id!r}'s 'if'"
        yield from _text_sites(("trigger-text", t.id), t.text, f"trigger {t.id!r}'s text")
    for e in sc.endings.values():
        yield from _text_sites(("ending", e.id), e.text, f"ending {e.id!r}'s text")
        yield from _text_sites(("history", e.id), e.history, f"ending {e.id!r}'s history")


def _text_sites(site: Site, text: Text, what: str) -> Iterator[tuple[Site, Compiled, Loc, str]]:
    for n, part in enumerate(text.parts):
        if part.cond is not None:
            yield (*site, str(n)), part.cond, part.loc, f"{what}, paragraph {n + 1}"


class _Role:
    """The analysis of one role (see the module's doc)."""

    def __init__(self, sc: Scenario, role: str) -> None:
        self.sc = sc
        self.role = role
        self.reactions = tuple(r for r in sc.reactions if not r.roles or role in r.roles)
        self.triggers = tuple(t for t in sc.triggers if not t.roles or role in t.roles)
        reads = text_reads(sc)
        reads.add_all(c.cond for c in sc.claims())  # what the claims read is followed too
        lay = Layout(constants={"role": role})
        start: list[Any] = []
        floors: list[float] = []
        ceils: list[float] = []

        def slot(key: tuple[str, ...], value: Any, lo: float = 0, hi: float = MAX_VALUE) -> int:
            i = lay.add(key)
            start.append(value)
            floors.append(lo)
            ceils.append(hi)
            return i

        zero = Num(0, 0, True)
        for v in sc.variables.values():
            if v.type == "number":
                lo = -MAX_VALUE if v.min is None else v.min
                hi = MAX_VALUE if v.max is None else v.max
                slot(("var", v.id), Num(v.initial, v.initial, True), lo, hi)
            else:
                slot(("var", v.id), frozenset({v.initial}))
        self.i_turn = slot(("turn",), zero)
        self.i_min = slot(("minutes",), zero)
        self.i_stance = slot(("stance",), frozenset({""}))
        self.i_choice = slot(("choice",), frozenset({""}))
        self.i_visits = {p: slot(("visits", p), zero) for p in sorted(reads.visits | reads.visited)}
        self.i_chose = {c: slot(("chose", c), zero) for c in sorted(reads.chose)}
        self.i_stances = {s: slot(("stances", s), zero) for s in sorted(reads.stances)}
        self.i_fired = {t.id: slot(("fired", t.id), zero) for t in self.triggers}
        self.reads_fired = reads.fired
        self.i_used = {
            f"{s.id}/{c.id}": slot(("used", s.id, c.id), zero)
            for s in sc.scenes.values()
            for c in s.choices
            if c.once
        }
        self.layout = lay
        self.dom = Abstract(lay)
        self.start = tuple(start)
        self.floors = floors
        self.ceils = ceils
        self.top = tuple(
            Num(floors[i], ceils[i], True)
            if isinstance(v, Num)
            else (BOOLS if v <= BOOLS else None)
            for i, v in enumerate(start)
        )
        for v in sc.variables.values():
            if v.type in ("enum", "ladder"):
                self.top = self._set(self.top, lay.slots[("var", v.id)], frozenset(v.values))
        self.choice_readers = {
            k
            for k, r in enumerate(self.reactions)
            if r.cond is not None
            and any(
                isinstance(n, Name) and n.name == "choice" and n.get is not None
                for n in walk(r.cond.tree)
            )
        }
        self.reads_choice = bool(self.choice_readers)
        self.by_stance: dict[str, set[int]] = {}
        # the reactions reading 'choice': (those that only compare it with texts, those
        # that use it otherwise, choice id -> the former that name it); stance -> those of
        # the former that can hold after a choice they do not name
        self.readers: tuple[list[int], list[int], dict[str, list[int]]] | None = None
        self.unnamed: dict[str, set[int]] = {}
        self.after: dict[str, tuple[Reaction, ...]] = {}
        self.taken: set[str] = set()  # keys of self.after that a game can take
        self.positive: dict[int, Node] = {}
        self.plans: dict[int, list[tuple[Any, ...]]] = {}
        self.constants: dict[int, list[tuple[Any, ...]] | None] = {}
        self.positions: dict[str, dict[int, int]] = {}  # reaction -> slot -> touched index
        # reaction or trigger id -> the slots its effects set
        self.touched: dict[str, tuple[int, ...]] = {}
        self.keep: list[Any] = []  # what the caches above are keyed on by id
        self.limits: dict[str, tuple[int | None, ...]] = {}  # trigger -> see _limits
        self.trigger_slots: tuple[tuple[int, ...], Callable[[Env], Any]] | None = None
        # (noting?, values of the triggers' slots) -> where they send the game (None: it
        # stays), the values there, and how
        self.fired: dict[tuple[Any, ...], tuple[tuple[str | None, Any, str], ...]] = {}
        self.reaction_slots: dict[str, tuple[tuple[int, ...], Callable[[Env], Any]]] = {}
        self.trigger_slots_of: dict[str, tuple[tuple[int, ...], Callable[[Env], Any]]] = {}
        # reaction -> see _simple; (reaction, noting?, values it reads) -> see _decide;
        # (reaction, what _decide gave, slot's place in _simple, its value) -> what it
        # becomes; and (reaction, what _decide gave, the values of all those slots) -> theirs
        self.simple: dict[str, tuple[Any, ...] | None] = {}
        self.decided: dict[tuple[Any, ...], tuple[bool, tuple[int, ...]]] = {}
        self.slot_steps: dict[tuple[Any, ...], Any] = {}
        # the same for triggers: trigger -> see _simple_trigger; (trigger, noting?, values
        # that decide it) -> see _trigger_decides; (trigger, that, values it sets) -> theirs
        self.simple_triggers: dict[str, tuple[Any, ...] | None] = {}
        self.trigger_decided: dict[tuple[Any, ...], bool | None] = {}
        self.trigger_steps: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        # (trigger, noting?, values of its slots) -> (what they become, or _SAME or None;
        # where it sends the game, with the values there)
        self.stepped: dict[tuple[Any, ...], tuple[Any, tuple[tuple[str, Any, str], ...]]] = {}
        # (reaction, noting?, values of its slots) -> (what they become, or _SAME or None;
        # where it sends the game, with the values there)
        self.reacted: dict[tuple[Any, ...], tuple[Any, tuple[tuple[str, Any, str], ...]]] = {}
        self.record: dict[Site, frozenset[bool]] | None = None
        self.claims: dict[Loc, ClaimFacts] = {}  # 'assume' -> what it can be where shown
        # scene with an 'at' -> (its 'at' in minutes, the clock's range as games arrive)
        self.arrivals: dict[str, tuple[int, Num]] = {}
        self.here = ""  # the scene being worked through
        self.entered: set[str] = set()  # places a game can enter (if only to be sent on)

    # -- small steps ------------------------------------------------------------

    def _set(self, env: Env, i: int, value: Any) -> Env:
        out = list(env)
        out[i] = value
        return tuple(out)

    def _add(self, env: Env, i: int, k: float) -> Env:
        v = env[i]
        return self._set(env, i, Num(min(v.lo + k, MAX_VALUE), min(v.hi + k, MAX_VALUE), True))

    def _note(
        self, site: Site, node: Node, env: Sequence[Any], truth: frozenset[bool] | None = None
    ) -> None:
        if self.record is not None:
            if truth is None:
                truth = self.dom.truth(node, env)
            self.record[site] = self.record.get(site, frozenset()) | truth

    def _note_text(self, site: Site, text: Text, env: Sequence[Any], claims: bool = True) -> None:
        if self.record is not None:
            for n, part in enumerate(text.parts):
                if part.cond is not None:
                    self._note((*site, str(n)), part.cond.tree, env)
                if part.assume is not None and claims:
                    shown = self._refine(part.cond, tuple(env), True)
                    if shown is not None:
                        self._claim(part.assume, shown)

    def _place_claims(self, place: str, env: Env) -> None:
        """Note the claims of ``place``'s own texts, shown on arrival in ``env``."""
        here, self.here = self.here, place
        scene = self.sc.scenes.get(place)
        if scene is None:
            e = self.sc.endings[place]
            if e.assume is not None:
                self._claim(e.assume, env)
            self._note_text(("ending", place), e.text, env)
            self._note_text(("history", place), e.history, env)
        else:
            if scene.assume is not None:
                self._claim(scene.assume, env)
            self._note_text(("scene", place), scene.text, env)
            for n, a in enumerate(scene.advisers):
                shown = self._refine(a.cond, env, True)
                if shown is None:
                    continue
                if a.assume is not None:
                    self._claim(a.assume, shown)
                self._note_text(("says", place, str(n)), a.says, shown)
        self.here = here

    def _claim(self, claim: Claim, env: Env, place: str | None = None) -> None:
        """Note what an 'assume' can be where its text is shown (in ``env``)."""
        truth = self.dom.truth(claim.cond.tree, env)
        old = self.claims.get(claim.loc)
        where = place if place is not None else self.here
        if old is None:
            self.claims[claim.loc] = ClaimFacts(claim, truth, where, "")
        elif not truth <= old.truth:
            old.truth = old.truth | truth
        got = self.claims[claim.loc]
        if False in truth and not got.values:
            broken = self._refine(claim.cond, env, False)
            got.values = self.describe(broken, env) if broken is not None else ""
            got.place = where

    def _refine(self, cond: Compiled | None, env: Env | None, want: bool) -> Env | None:
        if env is None:
            return None
        if cond is None:
            return env if want else None
        return self.dom.refine(cond.tree, env, want)

    def _plan(self, effects: tuple[Effect, ...]) -> list[tuple[Any, ...]]:
        """Effects as (slot, value function, op, is a number, min, max, enum values)."""
        plan = self.plans.get(id(effects))
        if plan is None:
            plan = []
            for e in effects:
                var = self.sc.variables.get(e.var)
                if var is None:  # 'hours' (format 2): the clock, forward only
                    plan.append((self.i_min, self.dom.fn(e.expr.tree), e.op, "clock", 0, 0, None))
                    continue
                kind = "number" if var.type == "number" else var.type
                plan.append(
                    (
                        self.layout.slots[("var", e.var)],
                        self.dom.fn(e.expr.tree),
                        e.op,
                        kind,
                        var.min,
                        var.max,
                        frozenset(var.values) if var.type in ("enum", "ladder") else None,
                    )
                )
            self.plans[id(effects)] = plan
            self.keep.append(effects)
        return plan

    def _slot(self, var: str) -> int:
        """The slot an effect on ``var`` sets (the clock's, for 'hours')."""
        return self.layout.slots.get(("var", var), self.i_min)

    def _apply_list(self, env: list[Any], effects: tuple[Effect, ...]) -> None:
        """Apply ``effects`` to ``env`` in place, one after another (as the game does)."""
        for i, fn, op, kind, lo, hi, values in self._plan(effects):
            value = fn(env)
            if kind == "clock":  # minutes: at least as before, at most where it can be set
                old = env[i]
                top = value.hi * 60 + (old.hi if op == "add" else 0)
                env[i] = Num(old.lo, _clamp_end(max(old.hi, top), 0, MAX_VALUE), True)
                continue
            if kind == "ladder" and op != "set":
                env[i] = values  # a rung or more up or down: any rung (over-approximated)
                continue
            if kind == "number":
                old = env[i]
                if op == "add":
                    a, b = value.lo + old.lo, value.hi + old.hi
                elif op == "sub":
                    a, b = old.lo - value.hi, old.hi - value.lo
                else:
                    a, b = value.lo, value.hi
                value = Num(_clamp_end(a, lo, hi), _clamp_end(b, lo, hi), True)
            elif value is None and values is not None:
                value = values
            env[i] = value

    def _apply(self, env: Env, effects: tuple[Effect, ...]) -> Env:
        if not effects:
            return env
        out = list(env)
        self._apply_list(out, effects)
        return tuple(out)

    def _positive(self, node: Node) -> Node:
        p = self.positive.get(id(node))
        if p is None:
            p = self.positive[id(node)] = Compare(">", node, Const(0, NUM))
        return p

    # -- the game's rules, on abstract states ---------------------------------------

    def _enter(self, place: str, env: Env) -> Env:
        self.entered.add(place)
        i = self.i_visits.get(place)
        if i is not None:
            env = self._add(env, i, 1)
        scene = self.sc.scenes.get(place)
        if scene is None:
            return env
        clock = self.sc.clock
        if scene.at is not None and clock is not None:
            at = clock.minutes_at(scene.at, self.sc.roles[self.role].zone)
            m = env[self.i_min]
            before = self.arrivals.get(place)
            self.arrivals[place] = (at, m if before is None else join(before[1], m))
            env = self._set(env, self.i_min, Num(max(m.lo, at), max(m.hi, at), True))
        return self._apply(env, scene.effects)

    def _limits(self, t: Trigger) -> tuple[int | None, ...]:
        """The clock's minutes before which ``t`` is not due (None: counted from when its
        'since' first held, which is not followed), worked out once."""
        got = self.limits.get(t.id)
        if got is None:
            clock = self.sc.clock
            limits: list[int | None] = []
            if t.at is not None and clock is not None:
                limits.append(clock.minutes_until(t.at))
            if t.after is not None:
                limits.append(None if t.since is not None else t.after)
            got = self.limits[t.id] = tuple(limits)
        return got

    def _due(self, t: Trigger, env: Env) -> frozenset[bool]:
        limits = self._limits(t)
        if not limits:
            return TRUE
        m = env[self.i_min]
        can_true, can_false = True, False
        for limit in limits:
            if limit is None:
                can_false = True
                continue
            can_true = can_true and m.hi >= limit
            can_false = can_false or m.lo < limit
        return BOOLS if can_true and can_false else TRUE if can_true else FALSE

    def _trigger_slots(self) -> tuple[tuple[int, ...], Callable[[Env], Any]]:
        """The slots the triggers read or set (with the clock, and what entering the
        places they send the game to reads and sets), and a function giving their values."""
        if self.trigger_slots is None:
            slots = {self.i_min}
            exprs: list[Compiled | None] = []
            for t in self.triggers:
                slots.add(self.i_fired[t.id])
                exprs.append(t.cond)
                effects = list(t.effects)
                if t.goto:
                    if t.goto in self.i_visits:
                        slots.add(self.i_visits[t.goto])
                    scene = self.sc.scenes.get(t.goto)
                    if scene is not None:
                        effects += scene.effects
                exprs += [e.expr for e in effects]
                slots.update(self._slot(e.var) for e in effects)
                for part in t.text.parts:
                    exprs += [part.cond, part.assume.cond if part.assume else None]
            slots.update(i for e in exprs if e is not None for i in self.dom.reads(e.tree)[1])
            order = tuple(sorted(slots))
            get: Callable[[Env], Any] = (
                itemgetter(*order) if len(order) > 1 else lambda env: tuple(env[i] for i in order)
            )
            self.trigger_slots = (order, get)
        return self.trigger_slots

    def _triggers(self, place: str, env: Env) -> list[Arrival]:
        """:meth:`_fire`, remembered by the values of the slots the triggers read and set
        (as :meth:`_reaction`); the game that stays is at ``place``."""
        if not self.triggers:
            return [(place, env, "")]
        slots, get = self._trigger_slots()
        vals = get(env)
        key = (self.record is not None, vals)
        got = self.fired.get(key) or self.fired.get((True, vals))
        if got is None:
            out = self._fire(place, env)
            self.fired[key] = tuple(
                (None if p == place and not how else p, get(e), how) for p, e, how in out
            )
            return out
        return [
            (place if p is None else p, put_slots(env, slots, vals, new), how)
            for p, new, how in got
        ]

    def _fire(self, place: str, env: Env) -> list[Arrival]:
        """Where the triggers checked on entering ``place`` can send the game, and what
        can hold there: each trigger in turn (see :meth:`_trigger`)."""
        out: list[Arrival] = []
        cur: Env | None = env
        for t in self.triggers:
            if cur is None:
                break
            cur = self._trigger(t, cur, out)
        if cur is not None:
            out.append((place, cur, ""))
        return out

    def _one_trigger_slots(self, t: Trigger) -> tuple[tuple[int, ...], Callable[[Env], Any]]:
        """The slots trigger ``t`` reads or sets (its fired count, the clock when it or the
        place it sends the game to is timed, its condition, effects and texts, and what
        entering that place reads and sets), and a function giving their values."""
        got = self.trigger_slots_of.get(t.id)
        if got is None:
            slots = {self.i_fired[t.id]}
            exprs: list[Compiled | None] = [t.cond]
            effects = list(t.effects)
            scene = self.sc.scenes.get(t.goto) if t.goto else None
            if t.goto and t.goto in self.i_visits:
                slots.add(self.i_visits[t.goto])
            if scene is not None:
                effects += scene.effects
                if scene.at is not None:
                    slots.add(self.i_min)
            if self._limits(t):
                slots.add(self.i_min)
            exprs += [e.expr for e in effects]
            slots.update(self._slot(e.var) for e in effects)
            for part in t.text.parts:
                exprs += [part.cond, part.assume.cond if part.assume else None]
            slots.update(i for e in exprs if e is not None for i in self.dom.reads(e.tree)[1])
            order = tuple(sorted(slots))
            get: Callable[[Env], Any] = (
                itemgetter(*order) if len(order) > 1 else lambda env: tuple(env[i] for i in order)
            )
            got = self.trigger_slots_of[t.id] = (order, get)
        return got

    def _trigger(self, t: Trigger, cur: Env, ends: list[Arrival]) -> Env | None:
        """:meth:`_fire_one`, remembered by the values of the slots ``t`` reads or sets (as
        :meth:`_reaction`): the ways it sends the game on are added to ``ends``."""
        simple = self.simple_triggers.get(t.id, _MISSING)
        if simple is _MISSING:
            simple = self.simple_triggers[t.id] = self._simple_trigger(t)
        if simple is not None:
            return self._simple_trigger_step(t, simple, cur)
        slots, get = self._one_trigger_slots(t)
        vals = get(cur)
        key = (t.id, self.record is not None, vals)
        got = self.stepped.get(key) or self.stepped.get((t.id, True, vals))
        if got is None:
            mine: list[Arrival] = []
            out = self._fire_one(t, cur, mine)
            ends.extend(mine)
            self.stepped[key] = (
                _SAME if out is cur else None if out is None else get(out),
                tuple((place, get(env), via) for place, env, via in mine),
            )
            return out
        res, gone = got
        for place, new, via in gone:
            ends.append((place, put_slots(cur, slots, vals, new), via))
        return cur if res is _SAME else None if res is None else put_slots(cur, slots, vals, res)

    def _simple_trigger(self, t: Trigger) -> tuple[Any, ...] | None:
        """For a trigger that does not send the game elsewhere, only adds, takes away or
        sets constants and has no text that depends on anything: (a function giving the
        values of what decides whether it fires: its fired count, the clock when it is
        timed, what its condition reads; the slots it sets, its fired count first; each
        effect slot's steps; a function giving those slots' values); None for others."""
        if t.goto or any(p.cond is not None or p.assume is not None for p in t.text.parts):
            return None
        steps = self._constant(t.effects)
        if steps is None:
            return None
        fi = self.i_fired[t.id]
        touched = tuple(sorted({i for i, *_ in steps}))
        if fi in touched:
            return None
        per_slot = tuple(tuple(x[1:] for x in steps if x[0] == i) for i in touched)
        reads = {fi, *self.dom.reads(t.cond.tree)[1]}
        if self._limits(t):
            reads.add(self.i_min)
        order = tuple(sorted(reads))
        sets = (fi, *touched)
        get: Callable[[Env], Any] = (
            itemgetter(*order) if len(order) > 1 else lambda env: tuple(env[i] for i in order)
        )
        sget: Callable[[Env], Any] = (
            itemgetter(*sets) if len(sets) > 1 else lambda env: tuple(env[i] for i in sets)
        )
        return (get, sets, per_slot, sget)

    def _simple_trigger_step(self, t: Trigger, simple: tuple[Any, ...], cur: Env) -> Env:
        """:meth:`_fire_one` for a trigger of :meth:`_simple_trigger`, in two remembered
        parts (as :meth:`_simple_reaction`): whether it fires always, maybe or never, by
        what decides it; then what the slots it sets become, by their values."""
        get, sets, per_slot, sget = simple
        rv = get(cur)
        key = (t.id, self.record is not None, rv)
        may_not = self.trigger_decided.get(key, _MISSING)
        if may_not is _MISSING:
            may_not = self.trigger_decided.get((t.id, True, rv), _MISSING)
        if may_not is _MISSING:
            may_not = self.trigger_decided[key] = self._trigger_decides(t, cur)
        if may_not is None:
            return cur
        old = sget(cur)
        tkey = (t.id, may_not, old)
        new = self.trigger_steps.get(tkey)
        if new is None:
            one = Num(1, 1, True)
            got = [join(old[0], one) if may_not else one]
            for k, v in enumerate(old[1:]):
                x = v
                for op, value, lo, hi in per_slot[k]:
                    x = _step(x, op, value, lo, hi)
                got.append(join(v, x) if may_not else x)
            new = self.trigger_steps[tkey] = tuple(got)
        return put_slots(cur, sets, old, new)

    def _trigger_decides(self, t: Trigger, cur: Env) -> bool | None:
        """Whether trigger ``t`` fires in ``cur``: None if in no game there, else whether
        it may not (what its condition can be is noted, as :meth:`_fire_one` does)."""
        fi = self.i_fired[t.id]
        f = cur[fi]
        if t.once and f.lo >= 1:
            return None
        due = self._due(t, cur)
        if True not in due:
            return None
        cand = cur
        if t.once and f.hi >= 1 and t.id in self.reads_fired:
            cand = self._set(cur, fi, Num(0, 0, True))
        truth = self.dom.truth(t.cond.tree, cand)
        self._note(("trigger", t.id), t.cond.tree, cand, truth)
        if truth == FALSE:
            return None
        return bool((t.once and f.hi >= 1) or False in due or truth != TRUE)

    def _fire_one(self, t: Trigger, cur: Env, ends: list[Arrival]) -> Env | None:
        """What can hold after trigger ``t`` is checked (None: it always sends the game
        elsewhere; the way it does is added to ``ends``). A trigger that sends the game
        elsewhere narrows both ways (the game that stays had the condition false); one
        that does not is applied to the state as it is and joined over the slots it
        changes."""
        fi = self.i_fired[t.id]
        f = cur[fi]
        if t.once and f.lo >= 1:
            return cur  # it has fired in every game that is here
        due = self._due(t, cur)
        if True not in due:
            return cur
        cand = cur
        if t.once and f.hi >= 1 and t.id in self.reads_fired:
            cand = self._set(cur, fi, Num(0, 0, True))
        truth = self.dom.truth(t.cond.tree, cand)
        self._note(("trigger", t.id), t.cond.tree, cand, truth)
        if truth == FALSE:
            return cur
        may_not = (t.once and f.hi >= 1) or False in due or truth != TRUE
        if t.goto:
            yes = self._refine(t.cond, cand, True) if truth != TRUE else cand
            if yes is not None:
                yes = self._apply(self._set(yes, fi, Num(1, 1, True)), t.effects)
                self._note_text(("trigger-text", t.id), t.text, yes)
                ends.append((t.goto, self._enter(t.goto, yes), f"trigger {t.id}"))
            if not may_not:
                cur = None
            elif (t.once and f.hi >= 1) or False in due:
                pass  # it may not fire for other reasons: the game that stays keeps all
            else:
                cur = self._refine(t.cond, cand, False)
            return cur
        st = list(cand)
        st[fi] = Num(1, 1, True)
        self._apply_list(st, t.effects)
        self._note_text(("trigger-text", t.id), t.text, st)
        if may_not:
            touched = self.touched.get("trigger " + t.id)
            if touched is None:
                touched = (fi, *sorted({self._slot(e.var) for e in t.effects}))
                self.touched["trigger " + t.id] = touched
            for i in touched:
                st[i] = join(cur[i], st[i])
        return tuple(st)

    def take(self, sid: str, c: Choice, env: Env) -> list[Arrival]:
        """Where taking ``c`` at scene ``sid`` can lead, and what can hold there."""
        if c.once and env[self.i_used[f"{sid}/{c.id}"]].lo >= 1:
            return []
        got = self._refine(c.cond, env, True)
        if got is None:
            return []
        st = list(got)
        if c.once:
            st[self.i_used[f"{sid}/{c.id}"]] = Num(1, 1, True)
        _inc(st, self.i_turn, 1)
        st[self.i_stance] = frozenset({c.stance})
        st[self.i_choice] = frozenset({c.id})
        if c.id in self.i_chose:
            _inc(st, self.i_chose[c.id], 1)
        if c.stance in self.i_stances:
            _inc(st, self.i_stances[c.stance], 1)
        self._apply_list(st, c.effects)
        self._note_text(("result", sid, c.id), c.result, st)
        sc = self.sc
        default = sc.clock.minutes_per_turn if sc.clock else DEFAULT_MINUTES_PER_TURN
        _inc(st, self.i_min, default if c.minutes is None else c.minutes)
        ends: list[tuple[str, Env, str]] = []
        cur: Env | None = tuple(st)
        for r in self._reactions_after(c):
            if cur is None:
                break
            cur = self._reaction(r, cur, ends)
        for cond, to in c.routes:  # a conditional 'next': the first entry that holds
            if cur is None:
                break
            yes = self._refine(cond, cur, True)
            if yes is not None:
                ends.append((to, yes, ""))
            cur = self._refine(cond, cur, False)
        if cur is not None:
            ends.append((c.next, cur, ""))
        out: list[Arrival] = []
        for place, end, via in ends:
            end = self._enter(place, end)
            if place in sc.endings:
                out.append((place, end, via))
            else:
                for p, e, how in self._triggers(place, end):
                    out.append((p, e, how or via))
        return out

    def _reaction_slots(self, r: Reaction) -> tuple[tuple[int, ...], Callable[[Env], Any]]:
        """The slots ``r`` reads or sets (its condition, weights, outcome conditions,
        effects and texts), and a function giving their values in a state."""
        got = self.reaction_slots.get(r.id)
        if got is None:
            exprs = [r.cond, *(o.weight for o in r.outcomes), *(o.cond for o in r.outcomes)]
            for o in r.outcomes:
                exprs += [e.expr for e in o.effects]
                for part in o.text.parts:
                    exprs += [part.cond, part.assume.cond if part.assume else None]
            slots = {i for e in exprs if e is not None for i in self.dom.reads(e.tree)[1]}
            slots.update(self._slot(e.var) for o in r.outcomes for e in o.effects)
            order = tuple(sorted(slots))
            get: Callable[[Env], Any] = (
                itemgetter(*order) if len(order) > 1 else lambda env: tuple(env[i] for i in order)
            )
            got = self.reaction_slots[r.id] = (order, get)
        return got

    def _reaction(self, r: Reaction, cur: Env, ends: list[tuple[str, Env, str]]) -> Env | None:
        """:meth:`_react`, remembered: what a reaction does depends only on the slots it
        reads or sets (and what it notes, on the same slots), so for the same values there
        the answer is the same, on the rest of the state as it is."""
        simple = self.simple.get(r.id, _MISSING)
        if simple is _MISSING:
            simple = self.simple[r.id] = self._simple(r)
        if simple is not None and (self.record is None or not simple[3]):
            return self._simple_reaction(r, simple, cur)
        slots, get = self._reaction_slots(r)
        vals = get(cur)
        key = (r.id, self.record is not None, vals)
        # what was worked out while noting serves when not noting (the same answer)
        got = self.reacted.get(key) or self.reacted.get((r.id, True, vals))
        if got is None:
            mine: list[tuple[str, Env, str]] = []
            out = self._react(r, cur, mine)
            ends.extend(mine)
            self.reacted[key] = (
                _SAME if out is cur else None if out is None else get(out),
                tuple((place, get(env), via) for place, env, via in mine),
            )
            return out
        res, gone = got
        for place, new, via in gone:
            ends.append((place, put_slots(cur, slots, vals, new), via))
        return cur if res is _SAME else None if res is None else put_slots(cur, slots, vals, res)

    def _simple(self, r: Reaction) -> tuple[Any, ...] | None:
        """For a reaction whose outcomes all stay (no 'goto'), have no 'if' and only add,
        take away or set constants: (a function giving the values of the slots its
        condition and weights read, the slots its effects set, each outcome's steps on
        each of those slots, whether an outcome has a text, a function giving the values of
        those slots); None for the others."""
        outcomes = r.outcomes
        if any(o.goto or o.cond is not None for o in outcomes):
            return None
        steps = [self._constant(o.effects) for o in outcomes]
        if any(s is None for s in steps):
            return None
        touched = tuple(sorted({i for st in steps for i, *_ in st}))  # type: ignore[union-attr]
        per_slot = tuple(
            tuple(tuple(x[1:] for x in st if x[0] == i) for i in touched)  # type: ignore[union-attr]
            for st in steps
        )
        exprs = [r.cond, *(o.weight for o in outcomes)]
        reads = tuple(
            sorted({i for e in exprs if e is not None for i in self.dom.reads(e.tree)[1]})
        )
        get: Callable[[Env], Any] = (
            itemgetter(*reads) if len(reads) > 1 else lambda env: tuple(env[i] for i in reads)
        )
        tget: Callable[[Env], Any] = (
            itemgetter(*touched) if len(touched) > 1 else lambda env: tuple(env[i] for i in touched)
        )
        return (get, touched, per_slot, any(o.text.parts for o in outcomes), tget)

    def _simple_reaction(self, r: Reaction, simple: tuple[Any, ...], cur: Env) -> Env:
        """:meth:`_react` for a reaction of :meth:`_simple`, in two remembered parts: which
        outcomes can happen (and whether none may), by the values of the slots its
        condition and weights read; then, for that, what each slot it sets becomes, by
        that slot's value alone (outcomes that stay are applied to the state as it is)."""
        get, touched, per_slot, _, tget = simple
        rv = get(cur)
        key = (r.id, self.record is not None, rv)
        decided = self.decided.get(key) or self.decided.get((r.id, True, rv))
        if decided is None:
            decided = self.decided[key] = self._decide(r, cur)
        skip, active = decided
        if not active or not touched:
            return cur
        old = tget(cur)
        tkey = (r.id, decided, old)
        new = self.slot_steps.get(tkey)
        if new is None:
            memo = self.slot_steps
            got = []
            for k, v in enumerate(old):
                skey = (r.id, decided, k, v)
                one = memo.get(skey, _MISSING)
                if one is _MISSING:
                    acc = v if skip else None
                    for n in active:
                        x = v
                        for op, value, lo, hi in per_slot[n][k]:
                            x = _step(x, op, value, lo, hi)
                        acc = x if acc is None else acc if acc is x else join(acc, x)
                    one = memo[skey] = acc
                got.append(one)
            new = memo[tkey] = tuple(got)
        return put_slots(cur, touched, old, new)

    def _decide(self, r: Reaction, cur: Env) -> tuple[bool, tuple[int, ...]]:
        """Whether reaction ``r`` may not happen in ``cur``, and which of its outcomes can
        (none: its condition never holds there); what they can be is noted."""
        truth = TRUE
        if r.cond is not None:
            truth = self.dom.truth(r.cond.tree, cur)
            self._note(("reaction", r.id), r.cond.tree, cur, truth)
            if truth == FALSE:
                return (True, ())
        weights = [self.dom.eval(o.weight.tree, cur) for o in r.outcomes]
        record = self.record
        if record is not None:
            for n, w in enumerate(weights):
                site = ("weight", r.id, str(n))
                positive = FALSE if w.hi <= 0 else TRUE if w.lo > 0 else BOOLS
                record[site] = record.get(site, frozenset()) | positive
        skip = truth != TRUE or all(w.lo <= 0 for w in weights) or r.gated
        return (skip, tuple(n for n, w in enumerate(weights) if w.hi > 0))

    def _react(self, r: Reaction, cur: Env, ends: list[tuple[str, Env, str]]) -> Env | None:
        """What can hold after reaction ``r`` (None: it always sends the game elsewhere;
        the ways it does are added to ``ends``).

        An outcome that sends the game elsewhere gets the exact treatment (the state is
        narrowed by the condition and the weight). The others are applied to the state
        as it is, and joined slot by slot over what they change: a little wider, and
        much cheaper, than narrowing each.
        """
        truth = TRUE
        if r.cond is not None:
            truth = self.dom.truth(r.cond.tree, cur)
            self._note(("reaction", r.id), r.cond.tree, cur, truth)
            if truth == FALSE:
                return cur
        weights = [self.dom.eval(o.weight.tree, cur) for o in r.outcomes]
        # it may not happen (format 2: once, cooldown and outcome 'if' can stop it too)
        skip = truth != TRUE or all(w.lo <= 0 for w in weights) or r.gated
        touched = self.touched.get(r.id)
        if touched is None:
            touched = tuple(sorted({self._slot(e.var) for o in r.outcomes for e in o.effects}))
            self.touched[r.id] = touched
        pos = self.positions.get(r.id)
        if pos is None:
            pos = self.positions[r.id] = {i: k for k, i in enumerate(touched)}
        vals: list[Any] | None = [cur[i] for i in touched] if skip else None
        fire: Env | None = None
        record = self.record
        for n, (o, w) in enumerate(zip(r.outcomes, weights, strict=True)):
            if record is not None:
                site = ("weight", r.id, str(n))
                positive = FALSE if w.hi <= 0 else TRUE if w.lo > 0 else BOOLS
                seen = record.get(site)
                if seen is None or not positive <= seen:
                    record[site] = positive if seen is None else seen | positive
            if w.hi <= 0:
                continue
            if o.goto:
                if fire is None:
                    fire = cur if truth == TRUE else self._refine(r.cond, cur, True)
                    if fire is None:
                        continue
                end = self.dom.refine(self._positive(o.weight.tree), fire, True)
                if end is not None and o.cond is not None:
                    end = self._refine(o.cond, end, True)
                if end is not None:
                    end = self._apply(end, o.effects)
                    self._note_text(("outcome", r.id, str(n)), o.text, end)
                    ends.append((o.goto, end, f"reaction {r.id}"))
                continue
            base = cur if o.cond is None else self._refine(o.cond, cur, True)
            if base is None:
                continue
            steps = self._constant(o.effects)
            if steps is not None and not (self.record is not None and o.text.parts):
                # effects of constants only: work on the touched slots, not a copy of all
                got = [base[i] for i in touched]
                for i, op, value, lo, hi in steps:
                    k = pos[i]
                    got[k] = _step(got[k], op, value, lo, hi)
            else:
                st = list(base)
                self._apply_list(st, o.effects)
                self._note_text(("outcome", r.id, str(n)), o.text, st)
                got = [st[i] for i in touched]
            if vals is None:
                vals = got
            else:
                for k in range(len(touched)):
                    a, b = vals[k], got[k]
                    if a is not b:
                        vals[k] = join(a, b)
        if vals is None:
            return None if not skip else cur
        out = list(cur)
        for k, i in enumerate(touched):
            out[i] = vals[k]
        return tuple(out)

    def _constant(self, effects: tuple[Effect, ...]) -> list[tuple[Any, ...]] | None:
        """``effects`` as (slot, op, value, min, max) steps when every one adds, takes
        away or sets a constant (None otherwise)."""
        key = id(effects)
        if key in self.constants:
            return self.constants[key]
        steps: list[tuple[Any, ...]] | None = []
        for e in effects:
            tree = e.expr.tree
            var = self.sc.variables.get(e.var)
            # only plain numbers, and setting an enum or flag: ladders move by rungs and
            # 'hours' moves the clock, which _apply_list knows how to do
            plain = var is not None and (
                var.type == "number" or (var.type in ("enum", "bool") and e.op == "set")
            )
            if not plain or not isinstance(tree, Const) or steps is None or var is None:
                steps = None
                break
            slot = self.layout.slots[("var", e.var)]
            if var.type == "number":
                steps.append((slot, e.op, tree.value, var.min, var.max))
            else:
                steps.append((slot, "put", frozenset({tree.value}), None, None))
        self.constants[key] = steps
        self.keep.append(effects)
        return steps

    def _reactions_after(self, c: Choice) -> tuple[Reaction, ...]:
        """The reactions that can fire after ``c`` at all: those whose condition can hold
        with ``c``'s stance and id, whatever else holds (worked out once per stance, and
        per choice only for the reactions that read ``choice``)."""
        key = c.id if self.reads_choice else c.stance
        got = self.after.get(key)
        if self.record is not None:
            self.taken.add(key)
        if got is None:
            env = self._set(self.top, self.i_stance, frozenset({c.stance}))
            by_stance = self.by_stance.get(c.stance)
            if by_stance is None:
                by_stance = self.by_stance[c.stance] = {
                    n
                    for n, r in enumerate(self.reactions)
                    if n not in self.choice_readers
                    and (r.cond is None or True in self.dom.truth(r.cond.tree, env))
                }
            mine = self._readers_after(c, env)
            got = tuple(self.reactions[n] for n in sorted(by_stance | mine))
            self.after[key] = got
        return got

    def _readers_after(self, c: Choice, env: Env) -> set[int]:
        """The reactions reading ``choice`` that can hold after ``c`` (``env``: anything,
        with ``c``'s stance). Where a condition only compares ``choice`` with texts, every
        choice it does not name gives the same answer: worked out once a stance, so each
        choice costs only the conditions that name it (and those that use ``choice``
        otherwise)."""
        if self.readers is None:
            general: list[int] = []
            naming: dict[str, list[int]] = {}
            shared: list[int] = []
            for n in sorted(self.choice_readers):
                named = _named_choices(self.reactions[n].cond.tree)  # type: ignore[union-attr]
                if named is None:
                    general.append(n)
                    continue
                shared.append(n)
                for cid in named:
                    naming.setdefault(cid, []).append(n)
            self.readers = (shared, general, naming)
        shared, general, naming = self.readers
        ok = self.unnamed.get(c.stance)
        if ok is None:
            anyone = self._set(env, self.i_choice, frozenset({_UNNAMED}))
            ok = self.unnamed[c.stance] = {n for n in shared if self._can_hold(n, anyone)}
        mine = naming.get(c.id, [])
        this = self._set(env, self.i_choice, frozenset({c.id}))
        out = ok.difference(mine)
        out.update(n for n in (*mine, *general) if self._can_hold(n, this))
        return out

    def _can_hold(self, n: int, env: Env) -> bool:
        return True in self.dom.truth(self.reactions[n].cond.tree, env)  # type: ignore[union-attr]

    # -- the fixpoint ---------------------------------------------------------------

    def _widen(self, old: Env, new: Env) -> Env:
        out = list(new)
        for i in differ(old, new):
            a, b = old[i], new[i]
            if isinstance(b, Num):
                lo = a.lo if b.lo >= a.lo else self.floors[i]
                hi = a.hi if b.hi <= a.hi else self.ceils[i]
                out[i] = Num(lo, hi, b.whole)
        return tuple(out)

    def _order(self, first: str) -> dict[str, int]:
        """Scenes in reverse postorder of the scene graph from ``first``: processed in this
        order, a scene is usually seen after every scene that leads to it."""
        sc = self.sc
        anywhere = [o.goto for r in self.reactions for o in r.outcomes if o.goto]
        anywhere += [t.goto for t in self.triggers if t.goto]
        rank: dict[str, int] = {}
        seen: set[str] = set()

        def after(sid: str) -> Iterator[str]:
            # a choice's own targets, then where the reactions that can follow it send
            for c in sc.scenes[sid].choices:
                yield from c.targets
                for r in self._reactions_after(c):
                    yield from (o.goto for o in r.outcomes if o.goto)

        for root in (first, *anywhere):
            if root in seen or root not in sc.scenes:
                continue
            seen.add(root)
            post: list[str] = []
            work = [(root, after(root))]
            while work:
                v, it = work[-1]
                for w in it:
                    if w not in seen and w in sc.scenes:
                        seen.add(w)
                        work.append((w, after(w)))
                        break
                else:
                    work.pop()
                    post.append(v)
            for sid in reversed(post):  # each root's scenes after the earlier roots'
                rank[sid] = len(rank)
        for sid in sc.scenes:
            rank.setdefault(sid, len(rank))
        return rank

    def region(self, first: str, env: Env, stop: set[str]) -> dict[str, set[str]]:
        """The places each scene can lead to, for the games that are at ``first`` with
        what ``env`` allows: a fresh analysis from there (so what holds at ``first`` in
        every game, such as a flag set on the way, keeps ruling ways out), that does not
        go on from the scenes in ``stop``."""
        states = {first: env}
        edges: dict[str, set[str]] = {}
        updates: dict[str, int] = {}
        todo = [first]
        while todo:
            sid = todo.pop()
            here = states[sid]
            out = edges.setdefault(sid, set())
            for c in self.sc.scenes[sid].choices:
                for place, st, _ in self.take(sid, c, here):
                    out.add(place)
                    if place in self.sc.endings or place in stop:
                        continue
                    old = states.get(place)
                    new = st if old is None else join_envs((old, st)) or st
                    if new == old:
                        continue
                    if old is not None and updates.get(place, 0) >= WIDEN_AFTER:
                        new = self._widen(old, new)
                    updates[place] = updates.get(place, 0) + 1
                    states[place] = new
                    todo.append(place)
        return edges

    def run(self) -> RoleFacts:
        sc = self.sc
        first = sc.roles[self.role].start
        env = self._enter(first, self._apply(self.start, sc.roles[self.role].setup))
        states: dict[str, Env] = {}
        endings: dict[str, Env] = {}
        at_endings: dict[str, list[Env]] = {}  # ending -> every state a game arrives in
        edges: dict[str, dict[str, str]] = {}
        moves: dict[str, dict[str, set[str]]] = {}
        parent: dict[str, tuple[str, str]] = {}
        updates: dict[str, int] = {}
        rank = self._order(first)
        todo: list[tuple[int, str]] = []
        queued: set[str] = set()
        # Conditions are noted each time a scene is worked through: states only grow,
        # and the last time is with the final state, so what is noted is what can hold.
        self.record = {}
        with_claims = {
            pid
            for pid in (*sc.scenes, *sc.endings)
            if (place := sc.place(pid)) is not None and _has_claims(place)
        }

        def arrive(place: str, env: Env, frm: str, via: str) -> None:
            if frm and place not in parent and place != first:
                parent[place] = (frm, via)
            if place in with_claims:  # on each way in: "came by a or by b" is kept
                self._place_claims(place, env)
            if place in sc.endings:  # joined once, at the end (see join_all)
                at_endings.setdefault(place, []).append(env)
                return
            old = states.get(place)
            if old is None:
                new = env
            else:
                new = join_envs((old, env)) or env
                if new is old:  # join_envs returns the first state itself when it holds all
                    return
                if updates.get(place, 0) >= WIDEN_AFTER:
                    new = self._widen(old, new)
            updates[place] = updates.get(place, 0) + 1
            states[place] = new
            if place not in queued:
                queued.add(place)
                heapq.heappush(todo, (rank[place], place))

        arrive(first, env, "", "")
        work = 0
        while todo:
            _, sid = heapq.heappop(todo)
            queued.discard(sid)
            work += 1
            self.here = sid
            here = states[sid]
            out = edges.setdefault(sid, {})
            went = moves.setdefault(sid, {})
            s = sc.scenes[sid]
            self._note_text(("scene", sid), s.text, here, claims=False)
            for n, a in enumerate(s.advisers):
                if a.cond is not None:
                    self._note(("adviser", sid, str(n)), a.cond.tree, here)
                shown = self._refine(a.cond, here, True) or here
                self._note_text(("says", sid, str(n)), a.says, shown, claims=False)
            for c in s.choices:
                if c.cond is not None:
                    self._note(("choice", sid, c.id), c.cond.tree, here)
                for place, st, how in self.take(sid, c, here):
                    out.setdefault(place, f"choice {c.id}" + (f", then {how}" if how else ""))
                    went.setdefault(c.id, set()).add(place)
                    arrive(place, st, sid, c.id)
        for key in self.taken:  # reactions left out after a choice: their 'if' was false
            kept = {id(r) for r in self.after[key]}
            for r in self.reactions:
                if r.cond is not None and id(r) not in kept:
                    site = ("reaction", r.id)
                    self.record[site] = self.record.get(site, frozenset()) | FALSE
        endings.update((eid, join_all(envs)) for eid, envs in at_endings.items())
        for eid, here in endings.items():
            e = sc.endings[eid]
            self._note_text(("ending", eid), e.text, here, claims=False)
            self._note_text(("history", eid), e.history, here, claims=False)
        truths = self.record
        self.record = None
        stuck = {sid: found for sid in states if (found := self._stuck(sid, states[sid]))}
        doomed, loops = _traps(states, edges, set(endings), stuck)
        return RoleFacts(
            self.role,
            states,
            endings,
            edges,
            parent,
            truths,
            stuck,
            loops,
            doomed,
            work,
            moves,
            self._safe(states, endings, moves),
            set(self.entered),
            self.claims,
            dict(self.layout.slots),
            dict(self.arrivals),
            self,
        )

    def _safe(
        self, states: dict[str, Env], endings: dict[str, Env], moves: dict[str, dict[str, set[str]]]
    ) -> set[str]:
        """The scenes from which every game can still reach an ending (see RoleFacts)."""
        sure: dict[str, list[str]] = {}  # scene -> its choices that are always available
        back: dict[str, set[str]] = {}
        for sid, env in states.items():
            ok = []
            for c in self.sc.scenes[sid].choices:
                used = self.i_used.get(f"{sid}/{c.id}")
                if used is not None and env[used].hi >= 1:
                    continue
                if c.cond is not None and self.dom.truth(c.cond.tree, env) != TRUE:
                    continue
                if moves.get(sid, {}).get(c.id):
                    ok.append(c.id)
                    for place in moves[sid][c.id]:
                        back.setdefault(place, set()).add(sid)
            sure[sid] = ok
        safe: set[str] = set(endings)
        todo = list(endings)
        while todo:
            place = todo.pop()
            for sid in back.get(place, ()):
                if sid in safe:
                    continue
                if any(moves[sid][cid] <= safe for cid in sure[sid]):
                    safe.add(sid)
                    todo.append(sid)
        return {s for s in safe if s in states}

    def _stuck(self, sid: str, env: Env) -> tuple[bool, str] | None:
        """Whether a game at ``sid`` can have no available choice: (in every game there,
        for which values), or None when some choice is always available."""
        rest: Env | None = env
        never = True
        for c in self.sc.scenes[sid].choices:
            used = self.i_used.get(f"{sid}/{c.id}")
            maybe_used = used is not None and env[used].hi >= 1
            truth = TRUE if c.cond is None else self.dom.truth(c.cond.tree, env)
            if truth == TRUE and not maybe_used:
                return None
            never = never and (truth == FALSE or (used is not None and env[used].lo >= 1))
            if rest is None:
                return None
            parts = [self._refine(c.cond, rest, False)] if c.cond is not None else []
            if maybe_used and used is not None:
                u = rest[used]
                parts.append(self._set(rest, used, Num(max(u.lo, 1), u.hi, True)))
            rest = join_envs(parts)
        if rest is None:
            return None
        return never, self.describe(rest, env)

    def describe(self, narrow: Env, wide: Env) -> str:
        """The values of ``narrow`` that differ from ``wide``, in words."""
        names = {i: key for key, i in self.layout.slots.items()}
        out = []
        for i, (a, b) in enumerate(zip(narrow, wide, strict=True)):
            if a == b:
                continue
            key = names[i]
            label = {
                "var": key[-1],
                "turn": "turn",
                "minutes": "minutes on the clock",
                "visits": f'visits("{key[-1]}")',
                "chose": f'chose("{key[-1]}")',
                "stances": f'stance_count("{key[-1]}")',
                "fired": f'fired("{key[-1]}")',
                "used": f"choice {key[-1]!r} already taken",
            }.get(key[0], key[-1])
            out.append(f"{label} {_value(a)}")
        return ", ".join(out[:5]) + (", ..." if len(out) > 5 else "")


_SAME: Any = object()  # a remembered step left the state as it was
_MISSING: Any = object()
_UNNAMED = "\x00"  # a choice id no condition can name (ids are plain words)


def _named_choices(tree: Node) -> frozenset[str] | None:
    """The texts ``choice`` is compared with ('==' or '!=') in ``tree``, or None if it is
    used in any other way (then each choice must be tried on its own)."""
    uses = sum(1 for n in walk(tree) if isinstance(n, Name) and n.name == "choice" and n.get)
    named: set[str] = set()
    for n in walk(tree):
        if isinstance(n, Compare) and n.op in ("==", "!="):
            for a, b in ((n.left, n.right), (n.right, n.left)):
                if isinstance(a, Name) and a.name == "choice" and a.get and isinstance(b, Const):
                    named.add(str(b.value))
                    uses -= 1
    return frozenset(named) if uses == 0 and _UNNAMED not in named else None


def _has_claims(place: Any) -> bool:
    if place.assume is not None:
        return True
    texts = (
        [place.text, *(a.says for a in place.advisers)]
        if hasattr(place, "advisers")
        else [
            place.text,
            place.history,
        ]
    )
    return any(t.claims for t in texts) or any(
        a.assume is not None for a in getattr(place, "advisers", ())
    )


def _step(v: Any, op: str, value: Any, lo: int | None, hi: int | None) -> Any:
    """One effect of a constant on an abstract value (as _apply_list does)."""
    if op == "put":
        return value
    if op == "add":
        a, b = v.lo + value, v.hi + value
    elif op == "sub":
        a, b = v.lo - value, v.hi - value
    else:
        a = b = value
    if type(a) is not int or type(b) is not int or a < -MAX_VALUE or b > MAX_VALUE:
        return Num(_clamp_end(a, lo, hi), _clamp_end(b, lo, hi), True)
    if lo is not None:
        a = lo if a < lo else a
        b = lo if b < lo else b
    if hi is not None:
        a = hi if a > hi else a
        b = hi if b > hi else b
    return Num(a, b, True)


def _inc(env: list[Any], i: int, k: float) -> None:
    v = env[i]
    env[i] = Num(min(v.lo + k, MAX_VALUE), min(v.hi + k, MAX_VALUE), True)


def _value(v: Any) -> str:
    if isinstance(v, Num):
        lo, hi = (int(x) if float(x).is_integer() else x for x in (v.lo, v.hi))
        return str(lo) if lo == hi else f"{lo}..{hi}"
    if v is None:
        return "any"
    return " or ".join(sorted(repr(x) if isinstance(x, str) else str(x).lower() for x in v))


def _clamp_end(v: float, lo: int | None, hi: int | None) -> float:
    v = round(min(max(v, -MAX_VALUE), MAX_VALUE))
    if lo is not None and v < lo:
        return lo
    if hi is not None and v > hi:
        return hi
    return v


def _traps(
    states: dict[str, Env],
    edges: dict[str, dict[str, str]],
    endings: set[str],
    stuck: dict[str, tuple[bool, str]],
) -> tuple[set[str], list[list[str]]]:
    """Scenes that can reach no ending, and among them the loops no way leads out of."""
    back: dict[str, list[str]] = {}
    for s, outs in edges.items():
        for t in outs:
            back.setdefault(t, []).append(s)
    can_end = set(endings)
    todo = list(endings)
    while todo:
        x = todo.pop()
        for y in back.get(x, ()):
            if y not in can_end:
                can_end.add(y)
                todo.append(y)
    doomed = {s for s in states if s not in can_end}
    # the loops among them that no way leads out of
    loops = [
        sorted(c)
        for c in cycles(sorted(doomed), lambda s: edges.get(s, {}))
        if {t for s in c for t in edges.get(s, {})} <= set(c)
    ]
    return doomed, sorted(loops)
