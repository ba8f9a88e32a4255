"""A game's transcript as Markdown: every turn's scene, the options, the choice, the ending.

Pure core: no Textual. Scenario text is untrusted, so control characters are made
inert and anything that looks like an HTML tag is escaped before it reaches a file
that other programs may render.
"""

from __future__ import annotations

import re

from brinkmanship.engine import Game
from brinkmanship.plain import sparkline, stance_mix, tension_var
from brinkmanship.textsafe import inert

_TAG = re.compile(r"<(?=[A-Za-z/!?])")


def clean(text: str) -> str:
    """Scenario text made safe to embed in Markdown: inert controls, no raw HTML tags."""
    return _TAG.sub("&lt;", inert(text))


def _one_line(text: str) -> str:
    return " ".join(clean(text).split())


def _quote(text: str) -> list[str]:
    return [f"> {line}".rstrip() for line in clean(text).splitlines()]


def to_markdown(game: Game) -> str:
    """The transcript of ``game`` turn by turn, then its ending (or where it stands)."""
    sc = game.scenario
    engine = game.engine
    role = sc.roles[game.role]
    var = tension_var(game)
    label = sc.variables[var].label if var else ""
    out: list[str] = [f"# {_one_line(sc.title)}", ""]
    who = role.name + (f", {role.title}" if role.title else "")
    out.append(f"- Role: {_one_line(who)} (`{game.role}`)")
    out.append(f"- Seed: {game.seed}")
    out.append(f"- Turns: {len(game.choices)}")
    if game.created:
        out.append(f"- Begun: {_one_line(game.created)}")
    out.append("")
    for i, turn in enumerate(game.turns()):
        before = game.states[i]
        view = engine.view(before)
        head = " · ".join(_one_line(x) for x in (view.when, view.where) if x)
        out.append(f"## Turn {turn.number}" + (f": {head}" if head else ""))
        out.append("")
        if view.title:
            out.append(f"### {_one_line(view.title)}")
            out.append("")
        for m in view.messages if i == 0 else ():
            out.extend([*_quote(m), ""])
        if view.text:
            out.extend([clean(view.text), ""])
        if view.advisers:
            out.append("Advisers:")
            out.append("")
            for a in view.advisers:
                out.append(f"- **{_one_line(a.who)}** ({_one_line(a.leans_label)}): "
                           f"{_one_line(a.says)}")
            out.append("")
        out.append("Options:")
        out.append("")
        taken_label = turn.stance
        for c in view.choices:
            text = f"[{_one_line(c.stance_label)}] {_one_line(c.text)}"
            if not c.enabled:
                out.append(f"- ~~{text}~~ (unavailable: {_one_line(c.reason)})")
            elif c.id == turn.choice:
                taken_label = c.stance_label
                out.append(f"- **{c.number} · {text}** ← chosen")
            else:
                out.append(f"- {c.number} · {text}")
        out.append("")
        after = turn.after
        status = f"Chosen: `{turn.choice}`, stance {_one_line(taken_label)}"
        if var:
            status += f"; {_one_line(label)} after: {after.vars.get(var)}"
        out.extend([status, ""])
        for m in after.messages:
            out.extend([*_quote(m), ""])
    state = game.state
    if state.over:
        e = engine.ending_view(state)
        out.append(f"## Ending: {_one_line(e.title)}")
        out.append("")
        out.append(f"- Outcome: {_one_line(e.outcome)}")
        if e.lesson_title or e.lesson:
            out.append(f"- Lesson: **{_one_line(e.lesson_title)}**"
                       + (f": {_one_line(e.lesson)}" if e.lesson else ""))
        out.append("")
        if e.text:
            out.extend([clean(e.text), ""])
        if e.history:
            out.extend(["### What really happened", "", clean(e.history), ""])
    else:
        out.append(f"## In progress at turn {state.turn + 1}")
        out.append("")
    if var:
        v = sc.variables[var]
        series = game.tension_series(var)
        spark = sparkline(series, v.min or 0, v.max if v.max is not None else 100)
        out.append(f"{_one_line(label)} over the game: `{spark}` "
                   f"({' → '.join(str(x) for x in series)})")
        out.append("")
    if game.choices:
        out.append(f"Stances chosen: {_one_line(stance_mix(game))}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
