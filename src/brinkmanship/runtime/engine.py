"""The game engine: pure, deterministic, and free of any user interface.

A game is (scenario, role, seed, choice ids). :class:`GameState` is one
value; :meth:`Engine.step` returns a new state and never changes the old one.
What a front end shows is built from states by :mod:`brinkmanship.runtime.views`;
a game in progress is a :class:`brinkmanship.runtime.session.Session`. Random
draws for the other side's reactions come from a hash of (seed, turn, reaction
id), so there is no hidden generator state to save and undo is just "forget the
last state".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from brinkmanship.format.errors import GameError
from brinkmanship.format.expr import MAX_VALUE, BoolOp, Compare, Const, Name, Node, bound
from brinkmanship.format.model import (
    DEFAULT_MINUTES_PER_TURN,
    Choice,
    Claim,
    Effect,
    Reaction,
    Scenario,
    Text,
    Trigger,
    ready,
)
from brinkmanship.format.names import BUILTINS
from brinkmanship.format.spec import suggest

# Picks an outcome index given (reaction id, weights); the default draws from the seed.
Picker = Callable[[str, list[float]], int]
# Every outcome of one choice, over all the reactions it sets off, is at most this many
# (a scenario of many reactions with many outcomes each could have billions).
MAX_SUCCESSORS = 10_000
MAX_MINUTES = 10**12  # an effect on the clock moves it at most this far


@dataclass(slots=True)
class GameState:
    role: str
    seed: int
    scene: str
    vars: dict[str, Any]
    ending: str | None = None
    turn: int = 0
    minutes: int = 0
    visits: dict[str, int] = field(default_factory=dict)
    chosen: dict[str, int] = field(default_factory=dict)
    stances: dict[str, int] = field(default_factory=dict)
    used: frozenset[str] = frozenset()
    fired: frozenset[str] = frozenset()
    stance: str = ""
    choice: str = ""
    messages: tuple[str, ...] = ()
    marks: dict[str, int] = field(default_factory=dict)  # trigger id -> clock when 'since' held
    # Format 2 text: paragraphs shown so far ('once' and 'first'/'again'), the variants
    # drawn in each paragraph's current round, and what the current place's text shows.
    seen: frozenset[str] = frozenset()
    drawn: dict[str, tuple[int, ...]] = field(default_factory=dict)
    picks: dict[str, int] = field(default_factory=dict)
    last: dict[str, int] = field(default_factory=dict)  # once/cooldown rule -> turn it last fired

    @property
    def over(self) -> bool:
        return self.ending is not None

    def copy(self) -> GameState:
        return GameState(
            self.role,
            self.seed,
            self.scene,
            dict(self.vars),
            self.ending,
            self.turn,
            self.minutes,
            dict(self.visits),
            dict(self.chosen),
            dict(self.stances),
            self.used,
            self.fired,
            self.stance,
            self.choice,
            self.messages,
            dict(self.marks),
            self.seen,
            dict(self.drawn),
            dict(self.picks),
            dict(self.last),
        )

    def key(self) -> tuple[Any, ...]:
        """What makes two states play the same from here on (for search and checks)."""
        return (
            self.scene,
            self.ending,
            tuple(sorted(self.vars.items())),
            self.turn,
            self.minutes,
            tuple(sorted(self.visits.items())),
            tuple(sorted(self.chosen.items())),
            tuple(sorted(self.stances.items())),
            tuple(sorted(self.used)),
            tuple(sorted(self.fired)),
            self.stance,
            self.choice,
            # only scheduled triggers mark; format-1 states keep their old fingerprint
            *((tuple(sorted(self.marks.items())),) if self.marks else ()),
            # likewise what only format-2 texts and rules record
            *((("seen", tuple(sorted(self.seen))),) if self.seen else ()),
            *((("drawn", tuple(sorted(self.drawn.items()))),) if self.drawn else ()),
            *((("picks", tuple(sorted(self.picks.items()))),) if self.picks else ()),
            *((("last", tuple(sorted(self.last.items()))),) if self.last else ()),
        )

    def digest(self) -> str:
        """A short fingerprint of the state, written into saves to detect divergence."""
        blob = json.dumps(self.key(), separators=(",", ":"), default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


class TooManyOutcomes(GameError):
    """A turn whose reactions can end in more different states than asked for."""


def _live_key(st: GameState) -> tuple[Any, ...]:
    """What the reactions of one turn can make differ between states that took the same
    choice from the same state (a cheaper :meth:`GameState.key` for
    :meth:`Engine.successors`): the variables (always in the scenario's order), the
    clock, the rules' last turns and the texts drawn; nothing else changes before the
    turn ends."""
    return (
        tuple(st.vars.values()),
        st.minutes,
        tuple(st.last.items()) if st.last else (),
        st.seen,
        tuple(st.drawn.items()) if st.drawn else (),
    )


def _rules_out(node: Node, c: Choice) -> bool:
    """Whether the condition ``node`` is false whenever ``c`` was just taken, by what it
    says of ``choice`` or ``stance`` alone (an '==' or '!=' of either and a text, or an
    'and' with such a part)."""
    if isinstance(node, BoolOp):
        return node.op == "and" and any(_rules_out(a, c) for a in node.args)
    if not isinstance(node, Compare) or node.op not in ("==", "!="):
        return False
    for name, const in ((node.left, node.right), (node.right, node.left)):
        if (
            isinstance(name, Name)
            and name.get is not None
            and name.name in ("choice", "stance")
            and isinstance(const, Const)
        ):
            now = c.id if name.name == "choice" else c.stance
            return bool((now == const.value) != (node.op == "=="))
    return False


def _merge(into: dict[Any, tuple[float, GameState]], key: Any, p: float, st: GameState) -> None:
    old = into.get(key)
    into[key] = (p + old[0], old[1]) if old is not None else (p, st)


def _draw(seed: int, turn: int, rid: str, weights: list[float]) -> int:
    h = hashlib.blake2b(f"{seed}:{turn}:{rid}".encode(), digest_size=8).digest()
    r = int.from_bytes(h, "big") / 2**64 * sum(w for w in weights if w > 0)
    acc = 0.0
    last = 0
    for i, w in enumerate(weights):
        if w <= 0:
            continue
        last = i
        acc += w
        if r < acc:
            return i
    return last


class Engine:
    """Runs one scenario for one role."""

    def __init__(self, scenario: Scenario, role: str, texts: bool = True) -> None:
        """``texts=False``: an engine for searches, which never renders a text (states
        then have no ``messages``; everything else is the same)."""
        if role not in scenario.roles:
            raise GameError(
                f"scenario {scenario.id!r} has no role {role!r}; roles: "
                + ", ".join(scenario.roles)
                + suggest(role, scenario.roles)
            )
        self.scenario = scenario
        self.role = role
        self.texts = texts
        self.reactions = tuple(r for r in scenario.reactions if not r.roles or role in r.roles)
        # choice id -> the reactions that can happen after it (see _after)
        self._after: dict[tuple[str, str], tuple[Reaction, ...]] = {}
        self.triggers = tuple(t for t in scenario.triggers if not t.roles or role in t.roles)
        self.meters = tuple(v for v in scenario.variables.values() if v.visible_to(role))
        # variables this role sees only as an estimate (format 2)
        self.rough = {v.id: v for v in scenario.variables.values() if v.rough_for(role)}
        # enums and ladders whose values have labels: placeholders show the label
        self.labelled = {v.id: v for v in scenario.variables.values() if v.labels}
        # The writer's tools set this to hear of every 'assume' whose text is shown, with
        # the state it is shown in; the game itself never reads a claim.
        self.watch: Callable[[Claim, GameState], None] | None = None

    # -- state changes ------------------------------------------------------

    def start(self, seed: int) -> GameState:
        sc = self.scenario
        st = GameState(self.role, seed, "", {k: v.initial for k, v in sc.variables.items()})
        self._apply(st, sc.roles[self.role].setup)
        msgs: list[str] = []
        self._enter(st, sc.roles[self.role].start, msgs)
        self._settle(st)
        st.messages = tuple(msgs)
        return st

    def available(self, state: GameState) -> list[Choice]:
        """Choices the player can take now, in order."""
        scene = self.scenario.scenes.get(state.scene)
        if scene is None or state.over:
            return []
        return [
            c
            for c in scene.choices
            if (not c.once or f"{scene.id}/{c.id}" not in state.used)
            and (c.cond is None or c.cond(state))
        ]

    def step(
        self,
        state: GameState,
        choice_id: str,
        pick: Picker | None = None,
        *,
        inplace: bool = False,
    ) -> GameState:
        """The state after taking ``choice_id``; raises GameError if it is not available.

        ``inplace``: change ``state`` itself instead of a copy, for a caller that will
        never look at it again (a replay: copying grows with the game's length)."""
        # only this choice's condition: a step costs one check
        return self.take(state, self._choice(state, choice_id), pick, inplace=inplace)

    def successors(
        self,
        state: GameState,
        choice_id: str,
        key: Callable[[GameState], Any] | None = None,
        limit: int = MAX_SUCCESSORS,
    ) -> list[tuple[float, GameState]]:
        """Every state taking ``choice_id`` can lead to, with its probability.

        The reactions are followed one after another, and after each the states that
        are alike (same :meth:`GameState.key`) are merged, adding their chances: forty
        reactions of three outcomes each that all end the same way are one state, not
        3**40 (only outcomes that really make the game differ multiply). Texts are not
        rendered (``messages`` stays empty): a search needs the states, not the words.

        ``key``: what makes states alike, instead of :meth:`GameState.key` (a caller that
        knows what play reads, such as a solver, merges more states, and faster).
        Without it, states are merged during the turn by the cheaper ``_live_key``.
        """
        live_kf: Callable[[GameState], Any] = _live_key if key is None else key
        final_kf: Callable[[GameState], Any] = GameState.key if key is None else key
        c = self._choice(state, choice_id)
        live: dict[Any, tuple[float, GameState]] = {}
        first = self._choose(state, c, None)
        first.messages = ()
        live[live_kf(first)] = (1.0, first)
        diverted: dict[Any, tuple[float, GameState, str]] = {}

        def check() -> None:
            if len(live) + len(diverted) > limit:
                raise TooManyOutcomes(
                    f"choice {choice_id!r} has more than {limit} possible outcomes "
                    "that differ (too many reactions whose outcomes change different things)"
                )

        for r in self._reactions_after(c):
            nxt: dict[Any, tuple[float, GameState]] = {}
            for k0, (p, st) in live.items():
                weights = self._weights(st, r)
                if weights is None:
                    _merge(nxt, k0, p, st)  # unchanged: its key too
                    continue
                total = sum(w for w in weights if w > 0)
                for i, w in enumerate(weights):
                    if w <= 0:
                        continue
                    new = st.copy()
                    goto = self._outcome(new, r, i, None)
                    q = p * w / total
                    if goto:
                        k = (goto, live_kf(new))
                        old = diverted.get(k)
                        diverted[k] = (q + (old[0] if old else 0.0), new, goto)
                    else:
                        _merge(nxt, live_kf(new), q, new)
            live = nxt
            check()
        done: dict[Any, tuple[float, GameState]] = {}
        for p, st in live.values():
            self._finish(st, c.route(st), None)
            _merge(done, final_kf(st), p, st)
        for p, st, goto in diverted.values():
            self._finish(st, goto, None)
            _merge(done, final_kf(st), p, st)
        return list(done.values())

    def _reactions_after(self, c: Choice) -> tuple[Reaction, ...]:
        """The reactions whose condition does not rule out ``c`` by its id or stance
        (``choice == 'x' and ...``): the others never happen after it, so a turn need
        not look at them (same result, less work)."""
        key = (c.id, c.stance)
        got = self._after.get(key)
        if got is None:
            got = self._after[key] = tuple(
                r for r in self.reactions if r.cond is None or not _rules_out(r.cond.tree, c)
            )
        return got

    def _choice(self, state: GameState, choice_id: str) -> Choice:
        """The choice ``choice_id`` if it is available now; GameError if not."""
        if state.over:
            raise GameError("the game is over")
        scene = self.scenario.scenes.get(state.scene)
        for c in scene.choices if scene is not None else ():
            if c.id == choice_id:
                if (not c.once or f"{state.scene}/{c.id}" not in state.used) and (
                    c.cond is None or c.cond(state)
                ):
                    return c
                break
        raise GameError(
            f"choice {choice_id!r} is not available in scene {state.scene!r} "
            f"at turn {state.turn + 1}"
        )

    def take(
        self, state: GameState, c: Choice, pick: Picker | None = None, *, inplace: bool = False
    ) -> GameState:
        """The state after taking ``c``, which the caller knows is available (see ``step``)."""
        msgs: list[str] = []
        st = self._choose(state, c, msgs, inplace=inplace)
        target = None
        for r in self._reactions_after(c):
            weights = self._weights(st, r)
            if weights is None:
                continue
            i = pick(r.id, weights) if pick else _draw(st.seed, st.turn, r.id, weights)
            goto = self._outcome(st, r, i, msgs)
            if goto:
                target = goto
                break
        # a conditional 'next' is decided after the turn's effects, unless a reaction diverted
        self._finish(st, c.route(st) if target is None else target, msgs)
        st.messages = tuple(msgs)
        return st

    # -- the stages of a turn (take and successors share them) -------------------

    def _choose(
        self, state: GameState, c: Choice, msgs: list[str] | None, *, inplace: bool = False
    ) -> GameState:
        """A copy of ``state`` (``inplace``: ``state`` itself) with ``c`` taken: counters,
        effects, result, the clock."""
        sc = self.scenario
        scene_id = state.scene
        st = state if inplace else state.copy()
        st.turn += 1
        st.stance, st.choice = c.stance, c.id
        st.chosen[c.id] = st.chosen.get(c.id, 0) + 1
        st.stances[c.stance] = st.stances.get(c.stance, 0) + 1
        if c.once:
            st.used = st.used | {f"{scene_id}/{c.id}"}
        self._apply(st, c.effects)
        self._say(st, c.result, msgs)
        default = sc.clock.minutes_per_turn if sc.clock else DEFAULT_MINUTES_PER_TURN
        st.minutes += default if c.minutes is None else c.minutes
        return st

    def _weights(self, st: GameState, r: Reaction) -> list[float] | None:
        """The weights of ``r``'s outcomes, or None when it does not happen now."""
        if r.gated and r.limited and not ready(r, r.id, st.last, st.turn):
            return None
        if r.cond is not None and not r.cond(st):
            return None
        if r.gated:  # format 2: outcomes with an 'if', a once or a cooldown
            weights = [
                float(min(o.weight(st), MAX_VALUE))
                if (not o.limited or ready(o, o.key, st.last, st.turn))
                and (o.cond is None or o.cond(st))
                else 0.0
                for o in r.outcomes
            ]
        else:
            weights = [float(min(o.weight(st), MAX_VALUE)) for o in r.outcomes]
        return weights if any(w > 0 for w in weights) else None

    def _outcome(self, st: GameState, r: Reaction, i: int, msgs: list[str] | None) -> str | None:
        """Apply outcome ``i`` of ``r`` to ``st``; where it sends the game (None: nowhere)."""
        o = r.outcomes[i]
        if r.gated and (r.limited or o.limited):
            st.last = {
                **st.last,
                **({r.id: st.turn} if r.limited else {}),
                **({o.key: st.turn} if o.limited else {}),
            }
        self._apply(st, o.effects)
        self._say(st, o.text, msgs)
        return o.goto

    def _finish(self, st: GameState, target: str, msgs: list[str] | None) -> None:
        """Enter ``target``, then mark and fire the triggers; settle what the place shows."""
        self._enter(st, target, msgs)
        if not st.over:
            self._fire(st, msgs)
        self._settle(st)

    def _fire(self, st: GameState, msgs: list[str] | None) -> None:
        for t in self.triggers:
            if t.since is not None and t.id not in st.marks and t.since(st):
                st.marks = {**st.marks, t.id: st.minutes}
        for t in self.triggers:
            if t.once and t.id in st.fired:
                continue
            if not self._due(st, t) or not t.cond(st):
                continue
            st.fired = st.fired | {t.id}
            self._apply(st, t.effects)
            self._say(st, t.text, msgs)
            if t.goto:
                self._enter(st, t.goto, msgs)
                break

    def _due(self, st: GameState, t: Trigger) -> bool:
        """Whether a scheduled trigger's time has come (always, for an unscheduled one)."""
        clock = self.scenario.clock
        if t.at is not None and clock is not None and st.minutes < clock.minutes_until(t.at):
            return False
        if t.after is not None:
            since = 0 if t.since is None else st.marks.get(t.id)
            if since is None or st.minutes < since + t.after:
                return False
        return True

    def _enter(self, st: GameState, target: str, msgs: list[str] | None) -> None:
        st.visits[target] = st.visits.get(target, 0) + 1
        if target in self.scenario.endings:
            st.ending = target
            return
        st.scene = target
        scene = self.scenario.scenes[target]
        clock = self.scenario.clock
        if scene.at is not None and clock is not None:
            # 'at' is role-local wall time; the clock only moves forward
            at = clock.minutes_at(scene.at, self.scenario.roles[self.role].zone)
            st.minutes = max(st.minutes, at)
        self._apply(st, scene.effects)

    def _apply(self, st: GameState, effects: tuple[Effect, ...]) -> None:
        variables = self.scenario.variables
        for e in effects:
            value = e.expr(st)
            v = variables.get(e.var)
            if v is None:  # 'hours': the clock, which only moves forward
                to = int(bound(value)) * 60 + (st.minutes if e.op == "add" else 0)
                st.minutes = max(st.minutes, min(to, MAX_MINUTES))
                continue
            if v.type == "ladder" and e.op != "set":
                st.vars[e.var] = v.step(st.vars[e.var], value if e.op == "add" else -value)
                continue
            if e.op == "add":
                value = st.vars[e.var] + value
            elif e.op == "sub":
                value = st.vars[e.var] - value
            st.vars[e.var] = v.clamp(value)

    def _say(self, st: GameState, text: Text, msgs: list[str] | None) -> None:
        if not text:
            return
        # what a format-2 paragraph shows is part of the state, rendered or not
        picks = self._pick(st, text, {}) if text.special else None
        if msgs is not None and self.texts:
            rendered = text.render(st, self.values(st), picks)
            if rendered:
                msgs.append(rendered)
        if self.watch is not None and text.claims:
            self._claims(st, text, picks or {})
            if self.watch is not None and text.claims:
                self._claims(st, text, picks or {})

    def _settle(self, st: GameState) -> None:
        """Decide what the text of the place the turn ends in shows (format 2 paragraphs)."""
        sc = self.scenario
        picks: dict[str, int] = {}
        if st.ending is not None:
            e = sc.endings[st.ending]
            texts: tuple[Text, ...] = (e.text, e.history)
        else:
            scene = sc.scenes[st.scene]
            texts = (
                scene.text,
                *(a.says for a in scene.advisers if a.cond is None or a.cond(st)),
            )
        for text in texts:
            if text.special:
                self._pick(st, text, picks)
        if picks or st.picks:
            st.picks = picks
        if self.watch is not None:
            self._place_claims(st, picks)

    def _claims(self, st: GameState, text: Text, picks: dict[str, int]) -> None:
        """Tell the watcher of each claim of a paragraph of ``text`` shown in ``st``."""
        assert self.watch is not None
        for p in text.parts:
            if p.assume is not None and p.shown(st) and picks.get(p.key, 0) >= 0:
                self.watch(p.assume, st)

    def _place_claims(self, st: GameState, picks: dict[str, int]) -> None:
        """Tell the watcher of the claims of the place ``st`` is in, as it is shown."""
        assert self.watch is not None
        sc = self.scenario
        if st.ending is not None:
            e = sc.endings[st.ending]
            if e.assume is not None:
                self.watch(e.assume, st)
            texts: list[Text] = [e.text, e.history]
        else:
            scene = sc.scenes[st.scene]
            if scene.assume is not None:
                self.watch(scene.assume, st)
            texts = [scene.text]
            for a in scene.advisers:
                if a.cond is None or a.cond(st):
                    if a.assume is not None:
                        self.watch(a.assume, st)
                    texts.append(a.says)
        for text in texts:
            if text.claims:
                self._claims(st, text, picks)

    def _pick(self, st: GameState, text: Text, picks: dict[str, int]) -> dict[str, int]:
        """Which text each format-2 paragraph of ``text`` shows now, recorded in ``st``."""
        for p in text.parts:
            if not p.kind or not p.shown(st):
                continue
            key = p.key
            if p.kind == "variants":
                n = len(p.alts)
                used = st.drawn.get(key, ())
                if len(used) >= n:  # a new round, not starting with the last one shown
                    used = ()
                    left = [i for i in range(n) if n == 1 or i != st.drawn[key][-1]]
                else:
                    left = [i for i in range(n) if i not in used]
                i = left[_draw(st.seed, st.turn, key, [1.0] * len(left))]
                st.drawn = {**st.drawn, key: (*used, i)}
                picks[key] = i
            else:
                first = key not in st.seen
                if first:
                    st.seen = st.seen | {key}
                picks[key] = (0 if first else 1) if p.kind == "visit" else (0 if first else -1)
        return picks

    def values(self, st: GameState) -> Callable[[str], Any]:
        """How text placeholders read a state: variables first, then the built-in names."""

        rough = self.rough
        labelled = self.labelled

        def value(name: str) -> Any:
            if name in rough:
                return rough[name].shown_as(st.vars[name], self.role)
            if name in labelled:
                return labelled[name].value_text(st.vars[name])
            if name in st.vars:
                return st.vars[name]
            b = BUILTINS.get(name)
            return b.get(st) if b is not None else ""

        return value
