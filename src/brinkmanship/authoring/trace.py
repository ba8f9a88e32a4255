"""``playtest --trace FILE``: every automatic game as a player would have seen it, as JSON Lines.

One object per turn, for the screen the choice was made on::

    {"run", "role", "policy", "turn", "scene", "clock", "clock_label", "choice",
     "stance", "vars", "texts"}

``turn`` counts from 1; ``clock`` is the role's clock in ISO 8601 with the role's UTC
offset (null when the scenario has no clock); ``clock_label`` is the time as the scene's
header shows it; ``vars`` are every variable's values on that screen (hidden ones too,
for the writer); ``texts`` are the paragraphs shown on that screen, as plain text, in the
order a player reads them: what followed the previous choice, the scene's text, then
each adviser ("Who (leaning): words").

Then one object per run::

    {"run", "role", "policy", "ending", "outcome", "turns", "texts"}

``texts`` there are the paragraphs of the ending's screen (what followed the last choice,
the ending's text and its history). A run that failed has ``ending`` and ``outcome`` null
and a ``failed`` member (error, stuck, trap or turn-cap). The games are replayed through
:class:`Session` and shown with :mod:`brinkmanship.runtime.views`, as front ends do.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from brinkmanship.format.model import Scenario
from brinkmanship.runtime.atomic import write_atomic
from brinkmanship.runtime.engine import GameState
from brinkmanship.runtime.session import Session
from brinkmanship.runtime.views import SceneView, ending_view, scene_view


def paragraphs(text: str) -> list[str]:
    """A rendered text's paragraphs (blank lines part them), each stripped."""
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def scene_texts(view: SceneView) -> list[str]:
    out = [p for m in view.messages for p in paragraphs(m)]
    out += paragraphs(view.text)
    out += [f"{a.who} ({a.leans_label.lower()}): {a.says}".strip() for a in view.advisers]
    return out


def iso_clock(scenario: Scenario, state: GameState, role: str) -> str | None:
    """The role's clock at ``state``, in ISO 8601 with the role's UTC offset."""
    c = scenario.clock
    if c is None:
        return None
    r = scenario.roles.get(role)
    zone = (r.zone if r is not None else None) or c.zone
    utc = c.utc(state.minutes)
    offset = zone.in_force(utc)[0] if zone is not None else dt.timedelta()
    return (utc + offset).replace(tzinfo=dt.timezone(offset)).isoformat()


def trace_run(
    scenario: Scenario,
    role: str,
    policy: str,
    run: int,
    seed: int,
    choices: list[str],
    failure: str | None,
) -> list[dict[str, Any]]:
    """The trace objects of one run (its game seed and choices as played)."""
    head = choices[:-1] if failure == "error" else choices  # the last one raised
    session, _ = Session.replay(scenario, role, seed, head)
    engine = session.engine
    base = {"run": run, "role": role, "policy": policy}
    out: list[dict[str, Any]] = []
    prev: GameState | None = None
    for st, t, _after in session.walk():
        view = scene_view(engine, st, prev)
        out.append(
            {
                **base,
                "turn": t.number,
                "scene": st.scene,
                "clock": iso_clock(scenario, st, role),
                "clock_label": view.when or view.clock.text,
                "choice": t.choice,
                "stance": t.stance,
                "vars": dict(st.vars),
                "texts": scene_texts(view),
            }
        )
        prev = st
    end = session.state
    if end.over:
        e = ending_view(engine, end)
        texts = [p for m in e.messages for p in paragraphs(m)]
        texts += paragraphs(e.text) + paragraphs(e.history)
        last: dict[str, Any] = {**base, "ending": e.ending_id, "outcome": e.outcome}
    else:
        texts = scene_texts(scene_view(engine, end, prev))
        last = {**base, "ending": None, "outcome": None, "failed": failure or "stopped"}
    last["turns"] = len(choices)
    last["texts"] = texts
    out.append(last)
    return out


def lines(objects: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(o, ensure_ascii=False, default=str) + "\n" for o in objects)


def write_trace(path: Path, text: str) -> None:
    """Write the whole trace at once: to a temp file beside it, then renamed over it (an
    export: no backup of an older trace is kept)."""
    write_atomic(path, text, backup=False)
