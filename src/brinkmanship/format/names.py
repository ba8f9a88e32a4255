"""Names the format defines once: value types, built-in names, outcomes, default labels."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# The three value types of the expression language.
NUM, BOOL, STR = "number", "bool", "text"

# The classes of ending, from worst to best; the last two are the good ones.
OUTCOMES = ("catastrophe", "defeat", "stalemate", "settlement", "cooperation")
GOOD_OUTCOMES = ("settlement", "cooperation")

DEFAULT_STANCES = {
    "escalate": "Escalate",
    "hold": "Hold",
    "negotiate": "Negotiate",
    "concede": "Concede",
}
DEFAULT_LEANINGS = {"hawk": "Hawk", "dove": "Dove", "moderate": "Moderate"}


@dataclass(frozen=True, slots=True)
class Builtin:
    """A name every expression and text can read, besides the scenario's variables."""

    type: str
    get: Callable[[Any], Any]
    grows: bool  # never goes down as a game goes on
    doc: str


BUILTINS: dict[str, Builtin] = {
    "turn": Builtin(NUM, lambda s: s.turn, True, "the number of choices made so far"),
    "hours": Builtin(NUM, lambda s: s.minutes // 60, True, "hours on the clock since the start"),
    "stance": Builtin(STR, lambda s: s.stance, False, "the stance of the last choice"),
    "choice": Builtin(STR, lambda s: s.choice, False, "the id of the last choice"),
    "role": Builtin(STR, lambda s: s.role, False, "the id of the role being played"),
}
# Built-ins that the choice about to be taken decides (in reactions' conditions).
TURN_NAMES = ("stance", "choice")
