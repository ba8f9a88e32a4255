"""What part of a game state can change how the game goes on.

:meth:`GameState.key` tells apart every state a player could tell apart, including
the turn number, the clock and counters that nothing reads, so a scenario with a
loop has infinitely many states. For search we only need what the *play* depends
on: the scene, once-choices taken, triggers fired, how long each scheduled trigger
still has to wait (:func:`schedule_function`), and whatever the expressions
that decide play (choice conditions, reaction conditions and weights, trigger
conditions, and the effects that feed them) can read. Two states with the same
abstract key have the same futures, so shortest paths, reachability and loops
found on abstract keys hold for the real game.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from brinkmanship.format.expr import Compiled, Name, Ref, walk
from brinkmanship.format.model import Effect, Scenario
from brinkmanship.runtime.engine import Engine, GameState


@dataclass
class Reads:
    """What a set of expressions reads."""

    names: set[str] = field(default_factory=set)  # variables and built-ins
    visits: set[str] = field(default_factory=set)  # visits("id"): exact counts
    visited: set[str] = field(default_factory=set)  # visited("id"): only whether
    chose: set[str] = field(default_factory=set)
    stances: set[str] = field(default_factory=set)
    fired: set[str] = field(default_factory=set)

    def add(self, expr: Compiled | None) -> None:
        if expr is None:
            return
        for node in walk(expr.tree):
            if isinstance(node, Name):
                self.names.add(node.name)
            elif isinstance(node, Ref):
                {
                    "visits": self.visits,
                    "visited": self.visited,
                    "chose": self.chose,
                    "stance_count": self.stances,
                    "fired": self.fired,
                }[node.func].add(node.key)

    def add_all(self, exprs: Iterable[Compiled | None]) -> None:
        for e in exprs:
            self.add(e)


def _all_effects(engine: Engine) -> list[Effect]:
    sc = engine.scenario
    out: list[Effect] = list(sc.roles[engine.role].setup)
    for s in sc.scenes.values():
        out.extend(s.effects)
        for c in s.choices:
            out.extend(c.effects)
    for r in engine.reactions:
        for o in r.outcomes:
            out.extend(o.effects)
    for t in engine.triggers:
        out.extend(t.effects)
    return out


def claim_reads(scenario: Scenario) -> tuple[list[Compiled | None], list[str]]:
    """What deciding whether a claim ('assume') is shown and holds reads: the claims, the
    conditions of the texts and advisers that make them, and the once and first/again
    paragraphs that make one (whose state says whether they are shown again)."""
    exprs: list[Compiled | None] = []
    keys: list[str] = []
    for t in scenario.texts():
        for p in t.parts:
            if p.assume is not None:
                exprs += [p.assume.cond, p.cond]
                if p.kind in ("once", "visit"):
                    keys.append(p.key)
    for s in scenario.scenes.values():
        if s.assume is not None:
            exprs.append(s.assume.cond)
        for a in s.advisers:
            if a.assume is not None or a.says.claims:
                exprs += [a.cond, a.assume.cond if a.assume else None]
    exprs += [e.assume.cond for e in scenario.endings.values() if e.assume is not None]
    return exprs, sorted(set(keys))


def play_reads(engine: Engine, extra: Iterable[Compiled | None] = ()) -> Reads:
    """Everything the course of play (and the ``extra`` expressions) can depend on, for
    this engine's role."""
    sc = engine.scenario
    reads = Reads()
    reads.add_all(extra)
    for s in sc.scenes.values():
        reads.add_all(c.cond for c in s.choices)
        reads.add_all(cond for c in s.choices for cond, _ in c.routes)
    for r in engine.reactions:
        reads.add(r.cond)
        reads.add_all(o.weight for o in r.outcomes)
        reads.add_all(o.cond for o in r.outcomes)
    for t in engine.triggers:
        reads.add(t.cond)
        reads.add(t.since)  # when a scheduled trigger's clock starts
    effects = _all_effects(engine)
    done: set[str] = set()
    while True:
        todo = {n for n in reads.names if n in sc.variables or n == "hours"} - done
        if not todo:
            return reads
        for e in effects:
            if e.var in todo:
                reads.add(e.expr)
        done |= todo


_TEXT_READS: dict[int, tuple[Scenario, Reads]] = {}  # the last few scenarios' (see below)


def text_reads(scenario: Scenario) -> Reads:
    """What every expression in the scenario reads (play, text conditions and advisers):
    worked out once per scenario (validate asks for it several times), a fresh copy each
    time (callers add to it)."""
    got = _TEXT_READS.get(id(scenario))
    if got is None or got[0] is not scenario:
        if len(_TEXT_READS) >= 4:
            _TEXT_READS.clear()
        got = _TEXT_READS[id(scenario)] = (scenario, _text_reads(scenario))
    r = got[1]
    return Reads(
        set(r.names), set(r.visits), set(r.visited), set(r.chose), set(r.stances), set(r.fired)
    )


def _text_reads(scenario: Scenario) -> Reads:
    reads = Reads()
    for s in scenario.scenes.values():
        reads.add_all(c.cond for c in s.choices)
        reads.add_all(cond for c in s.choices for cond, _ in c.routes)
        reads.add_all(a.cond for a in s.advisers)
        for t in (s.text, *(a.says for a in s.advisers), *(c.result for c in s.choices)):
            reads.add_all(p.cond for p in t.parts)
        for c in s.choices:
            reads.add_all(e.expr for e in c.effects)
        reads.add_all(e.expr for e in s.effects)
    for r in scenario.reactions:
        reads.add(r.cond)
        for o in r.outcomes:
            reads.add(o.weight)
            reads.add(o.cond)
            reads.add_all(e.expr for e in o.effects)
            reads.add_all(p.cond for p in o.text.parts)
    for t in scenario.triggers:
        reads.add(t.cond)
        reads.add_all(e.expr for e in t.effects)
        reads.add_all(p.cond for p in t.text.parts)
    for e in scenario.endings.values():
        for txt in (e.text, e.history):
            reads.add_all(p.cond for p in txt.parts)
    for r in scenario.roles.values():
        reads.add_all(e.expr for e in r.setup)
        reads.add_all(p.cond for p in r.blurb.parts)
    reads.add_all(p.cond for p in scenario.description.parts)
    return reads


Key = tuple[Any, ...]


def _tracked(reads: Any) -> tuple[Any, ...]:
    """What both keys keep of the counters play reads: (visit counts, visited flags, chosen,
    stance counts, and whether turn, hours, stance and choice are read)."""
    names = reads.names
    return (
        tuple(sorted(reads.visits)),
        tuple(sorted(reads.visited - reads.visits)),
        tuple(sorted(reads.chose)),
        tuple(sorted(reads.stances)),
        "turn" in names,
        "hours" in names,
        "stance" in names,
        "choice" in names,
    )


def gates_function(engine: Engine) -> Callable[[GameState], Key]:
    """What play reads of the once and cooldown rules: for each, whether a once rule has
    happened, or how many more turns a cooldown lasts (0: it may happen again)."""
    rules = [(r.id, r.once, r.cooldown) for r in engine.reactions if r.limited]
    rules += [
        (o.key, o.once, o.cooldown) for r in engine.reactions for o in r.outcomes if o.limited
    ]
    if not rules:
        return lambda st: ()

    def gates(st: GameState) -> Key:
        last = st.last
        return tuple(
            (key in last)
            if once
            else (max(0, last[key] + cooldown - st.turn) if key in last else 0)
            for key, once, cooldown in rules
        )

    return gates


def schedule_function(engine: Engine) -> Callable[[GameState], Key]:
    """What the scheduled triggers ('at', 'after', 'since') will do, from a state: for each
    trigger not yet fired for good, how many minutes are left before it is due (0: due;
    None: its 'since' has not held yet, so its clock has not started). The clock only
    moves forward, so this decides when each will be due from here on, as exactly as the
    clock itself, and is finite: every count stops at 0."""
    clock = engine.scenario.clock
    timed = []
    for t in engine.triggers:
        at = clock.minutes_until(t.at) if t.at is not None and clock is not None else None
        if at is not None or t.after is not None:
            timed.append((t.id, t.once, at, t.after, t.since is not None))
    if not timed:
        return lambda st: ()
    jumps = clock is not None and any(s.at is not None for s in engine.scenario.scenes.values())

    def left(st: GameState) -> Key:
        now = st.minutes
        out: list[Any] = []
        for tid, once, at, after, since in timed:
            if once and tid in st.fired:
                out.append(0)  # it never fires again: nothing left to tell apart
                continue
            wait = 0 if at is None else max(0, at - now)
            if after is not None:
                start = st.marks.get(tid) if since else 0
                if start is None:
                    # a scene's 'at' moves the clock to a time, not by some minutes: when
                    # the clock starts then depends on the time now
                    out.append((wait, None, now if jumps else 0))
                    continue
                wait = max(wait, start + after - now)
            out.append(wait)
        return tuple(out)

    return left


def key_function(engine: Engine) -> Callable[[GameState], Key]:
    """A function giving the abstract key of a state (see the module's doc).

    It also keeps what the scenario's claims ('assume') read, so that a complete search
    checks every claim on every path.
    """
    extra, claim_keys = claim_reads(engine.scenario)
    reads = play_reads(engine, extra)
    var_ids = tuple(sorted(v for v in reads.names if v in engine.scenario.variables))
    exact, seen, chose, stances, turn, hours, stance, choice = _tracked(reads)
    gates = gates_function(engine)
    schedule = schedule_function(engine)

    def key(st: GameState) -> Key:
        if st.ending is not None:
            return ("#end", st.ending)
        v = st.vars
        visits = st.visits
        return (
            st.scene,
            tuple(v[x] for x in var_ids),
            st.turn if turn else 0,
            # the minutes, not the hours read: 10:59 and 10:00 read the same hour now,
            # but not after the next half hour
            st.minutes if hours else 0,
            schedule(st),
            tuple(visits.get(x, 0) for x in exact),
            tuple(x in visits for x in seen),
            tuple(x in st.chosen for x in chose),
            tuple(st.stances.get(x, 0) for x in stances),
            st.used,
            st.fired,
            st.stance if stance else "",
            st.choice if choice else "",
            gates(st),
            tuple(k in st.seen for k in claim_keys),
        )

    return key


def coarse_key_function(engine: Engine, bands: int = 5) -> Callable[[GameState], Key]:
    """A much coarser key than :func:`key_function`, to judge which states look new.

    It keeps the scene, what play reads of texts, truth values and small numbers,
    once-choices taken and triggers fired, but puts a number with a wide range into
    one of ``bands`` bands of its range, and counters with no bounds (the turn, the
    hours, visits and stance counts, unbounded variables) into doubling bands. Two
    states with the same coarse key may play differently: it serves a bounded search
    deciding which states to keep, never to merge states in a proof.
    """
    sc = engine.scenario
    reads = play_reads(engine)
    exact: list[str] = []
    banded: list[tuple[str, int, int]] = []  # (variable, min, band width)
    doubling: list[str] = []
    for x in sorted(v for v in reads.names if v in sc.variables):
        var = sc.variables[x]
        if var.type != "number":
            exact.append(x)
        elif var.min is None or var.max is None:
            doubling.append(x)
        elif var.max - var.min <= 2 * bands:
            exact.append(x)
        else:
            banded.append((x, var.min, -(-(var.max - var.min + 1) // bands)))
    counted, seen, chose, stances, turn, hours, stance, choice = _tracked(reads)
    gates = gates_function(engine)
    schedule = schedule_function(engine)

    def band(n: int) -> int:
        return n.bit_length() if n >= 0 else -(-n).bit_length()

    def key(st: GameState) -> Key:
        if st.ending is not None:
            return ("#end", st.ending)
        v = st.vars
        visits = st.visits
        return (
            st.scene,
            tuple(v[x] for x in exact),
            tuple((v[x] - lo) // width for x, lo, width in banded),
            tuple(band(int(v[x])) for x in doubling),
            band(st.turn) if turn else 0,
            band(st.minutes // 60) if hours else 0,
            tuple(band(w) if isinstance(w, int) else w for w in schedule(st)),
            tuple(band(visits.get(x, 0)) for x in counted),
            tuple(x in visits for x in seen),
            tuple(x in st.chosen for x in chose),
            tuple(band(st.stances.get(x, 0)) for x in stances),
            st.used,
            st.fired,
            st.stance if stance else "",
            st.choice if choice else "",
            gates(st),
        )

    return key
