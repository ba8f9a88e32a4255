"""The game engine: pure, deterministic, and free of any user interface.

A game is (scenario, role, seed, choice ids). :class:`GameState` is one
serialisable value; :meth:`Engine.step` returns a new state and never changes
the old one. Random draws for the other side's reactions come from a hash of
(seed, turn, reaction id), so there is no hidden generator state to save and
undo is just "forget the last state".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from brinkmanship.errors import GameError
from brinkmanship.expr import MAX_VALUE
from brinkmanship.model import (
    DEFAULT_MINUTES_PER_TURN,
    Choice,
    Effect,
    Ending,
    Scenario,
    Scene,
    Text,
    format_value,
)

# Picks an outcome index given (reaction id, weights); the default draws from the seed.
Picker = Callable[[str, list[float]], int]
# Every outcome of one choice, over all the reactions it sets off, is at most this many
# (a scenario of many reactions with many outcomes each could have billions).
MAX_SUCCESSORS = 10_000


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

    @property
    def over(self) -> bool:
        return self.ending is not None

    def copy(self) -> GameState:
        return GameState(self.role, self.seed, self.scene, dict(self.vars), self.ending,
                         self.turn, self.minutes, dict(self.visits), dict(self.chosen),
                         dict(self.stances), self.used, self.fired, self.stance, self.choice,
                         self.messages)

    def to_dict(self) -> dict[str, Any]:
        return {
            "role": self.role, "seed": self.seed, "scene": self.scene, "ending": self.ending,
            "turn": self.turn, "minutes": self.minutes, "vars": dict(self.vars),
            "visits": dict(self.visits), "chosen": dict(self.chosen),
            "stances": dict(self.stances), "used": sorted(self.used),
            "fired": sorted(self.fired), "stance": self.stance, "choice": self.choice,
            "messages": list(self.messages),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> GameState:
        return cls(d["role"], int(d["seed"]), d["scene"], dict(d["vars"]), d.get("ending"),
                   int(d["turn"]), int(d["minutes"]), dict(d["visits"]), dict(d["chosen"]),
                   dict(d["stances"]), frozenset(d["used"]), frozenset(d["fired"]),
                   d.get("stance", ""), d.get("choice", ""), tuple(d.get("messages", ())))

    def key(self) -> tuple[Any, ...]:
        """What makes two states play the same from here on (for search and checks)."""
        return (self.scene, self.ending, tuple(sorted(self.vars.items())), self.turn,
                self.minutes, tuple(sorted(self.visits.items())),
                tuple(sorted(self.chosen.items())), tuple(sorted(self.stances.items())),
                tuple(sorted(self.used)), tuple(sorted(self.fired)), self.stance, self.choice)

    def digest(self) -> str:
        """A short fingerprint of the state, written into saves to detect divergence."""
        blob = json.dumps(self.key(), separators=(",", ":"), default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


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

    @property
    def text(self) -> str:
        if self.show == "meter" and self.max is not None:
            return f"{self.value}/{self.max}"
        return format_value(self.value)


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
    clock: str
    turn: int


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

    def __init__(self, scenario: Scenario, role: str) -> None:
        if role not in scenario.roles:
            from brinkmanship.spec import suggest

            raise GameError(f"scenario {scenario.id!r} has no role {role!r}; roles: "
                            + ", ".join(scenario.roles) + suggest(role, scenario.roles))
        self.scenario = scenario
        self.role = role
        self.reactions = tuple(r for r in scenario.reactions if not r.roles or role in r.roles)
        self.triggers = tuple(t for t in scenario.triggers if not t.roles or role in t.roles)
        self.meters = tuple(v for v in scenario.variables.values() if v.visible_to(role))

    # -- state changes ------------------------------------------------------

    def start(self, seed: int) -> GameState:
        sc = self.scenario
        st = GameState(self.role, seed, "", {k: v.initial for k, v in sc.variables.items()})
        self._apply(st, sc.roles[self.role].setup)
        msgs: list[str] = []
        self._enter(st, sc.roles[self.role].start, msgs)
        st.messages = tuple(msgs)
        return st

    def available(self, state: GameState) -> list[Choice]:
        """Choices the player can take now, in order."""
        scene = self.scenario.scenes.get(state.scene)
        if scene is None or state.over:
            return []
        return [c for c in scene.choices
                if (not c.once or f"{scene.id}/{c.id}" not in state.used)
                and (c.cond is None or c.cond(state))]

    def step(self, state: GameState, choice_id: str, pick: Picker | None = None) -> GameState:
        """The state after taking ``choice_id``; raises GameError if it is not available."""
        if state.over:
            raise GameError("the game is over")
        scene = self.scenario.scenes.get(state.scene)
        for c in scene.choices if scene is not None else ():
            if c.id == choice_id:  # only this choice's condition: a step costs one check
                if (not c.once or f"{scene.id}/{c.id}" not in state.used) and \
                        (c.cond is None or c.cond(state)):
                    return self._take(state, c, pick)
                break
        raise GameError(f"choice {choice_id!r} is not available in scene {state.scene!r} "
                        f"at turn {state.turn + 1}")

    def successors(self, state: GameState, choice_id: str) -> list[tuple[float, GameState]]:
        """Every state taking ``choice_id`` can lead to, with its probability."""
        results: list[tuple[float, GameState]] = []
        todo: list[list[int]] = [[]]
        while todo:
            prefix = todo.pop()
            trail: list[tuple[int, list[float]]] = []

            def follow(rid: str, weights: list[float], prefix: list[int] = prefix,
                       trail: list[tuple[int, list[float]]] = trail) -> int:
                depth = len(trail)
                if depth < len(prefix):
                    i = prefix[depth]
                else:
                    i = next(k for k, w in enumerate(weights) if w > 0)
                trail.append((i, weights))
                return i

            new = self.step(state, choice_id, follow)
            prob = 1.0
            for i, weights in trail:
                prob *= weights[i] / sum(w for w in weights if w > 0)
            results.append((prob, new))
            if len(results) > MAX_SUCCESSORS:
                raise GameError(f"choice {choice_id!r} has more than {MAX_SUCCESSORS} possible "
                                "outcomes (too many reactions with several outcomes each)")
            for depth in range(len(prefix), len(trail)):
                i, weights = trail[depth]
                head = [t[0] for t in trail[:depth]]
                todo.extend([*head, k] for k in range(i + 1, len(weights)) if weights[k] > 0)
        return results

    def _take(self, state: GameState, c: Choice, pick: Picker | None) -> GameState:
        sc = self.scenario
        st = state.copy()
        msgs: list[str] = []
        st.turn += 1
        st.stance, st.choice = c.stance, c.id
        st.chosen[c.id] = st.chosen.get(c.id, 0) + 1
        st.stances[c.stance] = st.stances.get(c.stance, 0) + 1
        if c.once:
            st.used = st.used | {f"{state.scene}/{c.id}"}
        self._apply(st, c.effects)
        self._say(st, c.result, msgs)
        default = sc.clock.minutes_per_turn if sc.clock else DEFAULT_MINUTES_PER_TURN
        st.minutes += default if c.minutes is None else c.minutes
        target = c.next
        for r in self.reactions:
            if r.cond is not None and not r.cond(st):
                continue
            weights = [float(min(o.weight(st), MAX_VALUE)) for o in r.outcomes]
            if not any(w > 0 for w in weights):
                continue
            i = pick(r.id, weights) if pick else _draw(st.seed, st.turn, r.id, weights)
            o = r.outcomes[i]
            self._apply(st, o.effects)
            self._say(st, o.text, msgs)
            if o.goto:
                target = o.goto
                break
        self._enter(st, target, msgs)
        if not st.over:
            for t in self.triggers:
                if t.once and t.id in st.fired:
                    continue
                if not t.cond(st):
                    continue
                st.fired = st.fired | {t.id}
                self._apply(st, t.effects)
                self._say(st, t.text, msgs)
                if t.goto:
                    self._enter(st, t.goto, msgs)
                    break
        st.messages = tuple(msgs)
        return st

    def _enter(self, st: GameState, target: str, msgs: list[str]) -> None:
        st.visits[target] = st.visits.get(target, 0) + 1
        if target in self.scenario.endings:
            st.ending = target
            return
        st.scene = target
        scene = self.scenario.scenes[target]
        self._apply(st, scene.effects)

    def _apply(self, st: GameState, effects: tuple[Effect, ...]) -> None:
        variables = self.scenario.variables
        for e in effects:
            value = e.expr(st)
            if e.op == "add":
                value = st.vars[e.var] + value
            elif e.op == "sub":
                value = st.vars[e.var] - value
            st.vars[e.var] = variables[e.var].clamp(value)

    def _say(self, st: GameState, text: Text, msgs: list[str]) -> None:
        if text:
            rendered = text.render(st, self._values(st))
            if rendered:
                msgs.append(rendered)

    # -- views --------------------------------------------------------------

    def _values(self, st: GameState) -> Callable[[str], Any]:
        def value(name: str) -> Any:
            if name in st.vars:
                return st.vars[name]
            if name == "hours":
                return st.minutes // 60
            return getattr(st, name, "")

        return value

    def clock_text(self, st: GameState) -> str:
        clock = self.scenario.clock
        if clock is None:
            return f"Turn {st.turn}"
        return clock.at(st.minutes).strftime("%a %d %b %Y, %H:%M")

    def view(self, st: GameState) -> SceneView:
        scene: Scene = self.scenario.scenes[st.scene]
        values = self._values(st)
        available = {c.id for c in self.available(st)}
        choices = []
        n = 0
        for c in scene.choices:
            if c.once and f"{scene.id}/{c.id}" in st.used:
                continue
            label = self.scenario.stances[c.stance].label if c.stance in \
                self.scenario.stances else c.stance
            if c.id in available:
                n += 1
                choices.append(ChoiceView(n, c.id, c.text, c.stance, label, True))
            elif c.disabled is not None:
                choices.append(ChoiceView(0, c.id, c.text, c.stance, label, False, c.disabled))
        advisers = []
        for a in scene.advisers:
            if a.cond is None or a.cond(st):
                lab = self.scenario.leanings.get(a.leans)
                advisers.append(AdviserView(a.who, a.leans, lab.label if lab else a.leans,
                                            a.says.render(st, values)))
        meters = tuple(MeterView(v.id, v.label, st.vars[v.id], v.show, v.min, v.max)
                       for v in self.meters)
        return SceneView(scene.id, scene.title, scene.when or self.clock_text(st), scene.where,
                         scene.text.render(st, values), tuple(advisers), tuple(choices),
                         st.messages, meters, self.clock_text(st), st.turn)

    def ending_view(self, st: GameState) -> EndingView:
        e: Ending = self.scenario.endings[st.ending or ""]
        lesson = self.scenario.lessons.get(e.lesson or "")
        values = self._values(st)
        return EndingView(e.id, e.title, e.outcome, e.lesson or "",
                          lesson.title if lesson else "", lesson.text if lesson else "",
                          e.text.render(st, values), e.history.render(st, values), st.messages)


@dataclass(frozen=True, slots=True)
class Turn:
    """One move in a game's history."""

    number: int
    scene: str
    choice: str
    stance: str
    after: GameState


class Game:
    """A game in progress: the engine, the seed and the states so far (for undo)."""

    def __init__(self, engine: Engine, seed: int, choices: list[str] | None = None) -> None:
        self.engine = engine
        self.seed = seed
        self.states: list[GameState] = [engine.start(seed)]
        self.choices: list[str] = []
        self.created = ""  # when the game began (set by front ends; not part of the state)
        for cid in choices or []:
            self.choose(cid)

    @property
    def scenario(self) -> Scenario:
        return self.engine.scenario

    @property
    def role(self) -> str:
        return self.engine.role

    @property
    def state(self) -> GameState:
        return self.states[-1]

    def choose(self, choice_id: str) -> GameState:
        new = self.engine.step(self.state, choice_id)
        self.states.append(new)
        self.choices.append(choice_id)
        return new

    def undo(self) -> bool:
        if len(self.states) <= 1:
            return False
        self.states.pop()
        self.choices.pop()
        return True

    def turns(self) -> Iterator[Turn]:
        for i, cid in enumerate(self.choices):
            after = self.states[i + 1]
            yield Turn(i + 1, self.states[i].scene, cid, after.stance, after)

    def tension_series(self, var: str) -> list[Any]:
        return [s.vars.get(var) for s in self.states]
