"""The playtest's policies: how an automatic player picks a choice.

- ``random``: uniformly among the available choices;
- a stance id (``escalate``, ``negotiate``, ...): uniformly among the available
  choices of that stance, or among all of them when there is none;
- ``least-used``: see :mod:`brinkmanship.authoring.playtest`;
- ``mix:negotiate=0.6,hold=0.4``: a weighted mix of stances. Each turn a stance is
  drawn by weight among the mix's stances that some available choice has (weights
  normalised), then a choice of that stance uniformly; when none of them is
  available, uniformly among all the choices. Two draws from the run's generator:
  ``rng.random()`` for the stance, then ``rng.choice`` for the choice;
- ``best``: the choice that maximises the chance of a good ending
  (:mod:`brinkmanship.authoring.solve`); it draws nothing from the run's generator.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from brinkmanship.format.errors import UsageError
from brinkmanship.format.model import Choice, Scenario
from brinkmanship.format.spec import suggest

BASE_POLICIES = ("random", "least-used")
BEST = "best"
MIX = "mix:"


@dataclass(frozen=True)
class Mix:
    """A weighted mix of stances, weights normalised to sum to 1 (in the order given)."""

    weights: tuple[tuple[str, float], ...]

    @property
    def name(self) -> str:
        return MIX + ",".join(f"{s}={w:g}" for s, w in self.weights)

    def pick(self, rng: random.Random, avail: Sequence[Choice]) -> Choice:
        have = {c.stance for c in avail}
        live = [(s, w) for s, w in self.weights if s in have and w > 0]
        if not live:
            return rng.choice(avail)
        r = rng.random() * sum(w for _, w in live)
        stance = live[-1][0]
        acc = 0.0
        for s, w in live:
            acc += w
            if r < acc:
                stance = s
                break
        return rng.choice([c for c in avail if c.stance == stance])


def pick_stance(rng: random.Random, avail: Sequence[Choice], stance: str) -> Choice:
    """A choice of ``stance``, uniformly (any choice when none has it)."""
    pool = [c for c in avail if c.stance == stance]
    return rng.choice(pool or avail)


def parse_mix(text: str, scenario: Scenario) -> Mix:
    """``mix:negotiate=0.6,hold=0.4`` (weights: numbers >= 0, not all 0; normalised)."""
    body = text[len(MIX) :]
    stances = list(scenario.stances)
    out: list[tuple[str, float]] = []
    if not body.strip():
        raise UsageError(
            f"policy {text!r}: give stances and weights, e.g. mix:negotiate=0.6,hold=0.4"
        )
    for part in body.split(","):
        name, eq, num = (x.strip() for x in part.partition("="))
        if not eq:
            raise UsageError(
                f"policy {text!r}: {part.strip()!r} needs a weight (stance=weight, "
                "e.g. mix:negotiate=0.6,hold=0.4)"
            )
        if name not in scenario.stances:
            raise UsageError(
                f"policy {text!r}: unknown stance {name!r}"
                + suggest(name, stances)
                + "; stances: "
                + ", ".join(stances)
            )
        try:
            w = float(num)
        except ValueError:
            w = math.nan
        if not math.isfinite(w) or w < 0:
            raise UsageError(
                f"policy {text!r}: the weight of {name!r} must be a number >= 0, not {num!r}"
            )
        if any(s == name for s, _ in out):
            raise UsageError(f"policy {text!r}: stance {name!r} is given twice")
        out.append((name, w))
    total = sum(w for _, w in out)
    if total <= 0:
        raise UsageError(f"policy {text!r}: at least one weight must be above 0")
    return Mix(tuple((s, w / total) for s, w in out))


def policies_for(scenario: Scenario) -> list[str]:
    """What ``all`` means: random, least-used and every stance (not ``best``, whose
    lookahead costs far more than a run; not mixes)."""
    return [*BASE_POLICIES, *(s for s in scenario.stances if s not in BASE_POLICIES)]


def _tokens(text: str) -> list[str]:
    """Split a policy list on commas, keeping each ``mix:`` with its ``stance=weight``
    parts (a part with '=' belongs to the mix before it)."""
    out: list[str] = []
    for part in (x.strip() for x in text.split(",")):
        if out and out[-1].startswith(MIX) and "=" in part and not part.startswith(MIX):
            out[-1] += "," + part
        else:
            out.append(part)
    return out


def parse_policies(text: str, scenario: Scenario) -> list[str]:
    """``random``, ``least-used``, a stance, ``best``, a ``mix:...``, several separated by
    commas, or ``all``; each as its canonical name, once."""
    known = policies_for(scenario)
    out: list[str] = []
    for p in _tokens(text):
        names = known if p == "all" else [parse_mix(p, scenario).name] if p.startswith(MIX) else [p]
        for name in names:
            if name not in known and name != BEST and not name.startswith(MIX):
                raise UsageError(
                    f"unknown policy {name!r}"
                    + suggest(name, [*known, BEST])
                    + "; policies: "
                    + ", ".join(known)
                    + ", best, mix:STANCE=WEIGHT,..., all"
                )
            if name not in out:
                out.append(name)
    return out
