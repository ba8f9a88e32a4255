"""A game's transcript as Markdown: every turn's scene, the options, the choice, the ending.

Scenario text is untrusted, so control characters are made inert, and what Markdown
would turn into a tag, a link or an image is escaped: the export renders as text.
"""

from __future__ import annotations

import re

from brinkmanship.format.textsafe import inert
from brinkmanship.runtime.session import Session
from brinkmanship.runtime.views import (
    chart,
    decision_path,
    ending_view,
    history,
    left_history_at,
    sparkline,
    stance_mix_text,
)

_ACTIVE = re.compile(r"<(?=[A-Za-z/!?])|[\[\]]")
_ESCAPES = {"<": "&lt;", "[": "\\[", "]": "\\]"}


def clean(text: str) -> str:
    """Scenario text made safe to embed in Markdown: no raw HTML, links or images."""
    return _ACTIVE.sub(lambda m: _ESCAPES[m.group()], inert(text))


def _one_line(text: str) -> str:
    return " ".join(clean(text).split())


def _quote(text: str) -> list[str]:
    return [f"> {line}".rstrip() for line in clean(text).splitlines()]


def to_markdown(session: Session) -> str:
    """The transcript of ``session`` turn by turn, then its ending (or where it stands)."""
    sc = session.scenario
    role = sc.roles[session.role]
    c = chart(session)
    out: list[str] = [f"# {_one_line(sc.title)}", ""]
    who = role.name + (f", {role.title}" if role.title else "")
    out.append(f"- Role: {_one_line(who)}")
    out.append(
        f"- Crisis number: {session.seed} (to play the same crisis again: New game, "
        f"Advanced, Same crisis again, with this number)"
    )
    out.append(f"- Turns: {session.turn}")
    out.append("")
    steps = decision_path(session)
    left = left_history_at(steps)
    for i, (view, turn) in enumerate(history(session)):
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
                out.append(
                    f"- **{_one_line(a.who)}** ({_one_line(a.leans_label)}): {_one_line(a.says)}"
                )
            out.append("")
        labelled = [
            f"{_one_line(m.label)}: {_one_line(m.text)}" for m in view.meters if m.value_label
        ]
        if labelled:  # enums and ladders with value labels (format 2), as the player saw them
            out.extend([" · ".join(labelled), ""])
        out.append("Options:")
        out.append("")
        for ch in view.choices:
            text = f"\\[{_one_line(ch.stance_label)}\\] {_one_line(ch.text)}"
            if not ch.enabled:
                out.append(f"- ~~{text}~~ (unavailable: {_one_line(ch.reason)})")
            elif ch.id == session.turns[i].choice:
                out.append(f"- **{ch.number} · {text}** ← chosen")
            else:
                out.append(f"- {ch.number} · {text}")
        out.append("")
        status = f"Chosen: {_one_line(turn.choice)} ({_one_line(turn.stance_label)})"
        if c is not None:
            status += f"; {_one_line(c.label)} after: {c.values[turn.number]}"
        out.extend([status, ""])
        step = steps[i]
        if step.historical is True:
            out.extend(["As in history.", ""])
        elif step.historical is False:
            head = "Here the path left history. " if step.number == left else ""
            out.extend([f"{head}In history: {_one_line(step.history)}", ""])
        for m in turn.after:
            out.extend([*_quote(m), ""])
    state = session.state
    if state.over:
        e = ending_view(session.engine, state)
        out.append(f"## Ending: {_one_line(e.title)}")
        out.append("")
        out.append(f"- Outcome: {_one_line(e.outcome)}")
        if e.lesson_title or e.lesson:
            out.append(
                f"- Lesson: **{_one_line(e.lesson_title)}**"
                + (f": {_one_line(e.lesson)}" if e.lesson else "")
            )
        out.append("")
        if e.text:
            out.extend([clean(e.text), ""])
        if e.history:
            out.extend(["### What really happened", "", clean(e.history), ""])
    else:
        out.append(f"## In progress at turn {session.turn + 1}")
        out.append("")
    if c is not None:
        out.append(
            f"{_one_line(c.label)} over the game: `{sparkline(c.values, c.lo, c.hi)}` "
            f"({' → '.join(str(x) for x in c.values)})"
        )
        out.append("")
    if session.turn:
        out.append(f"Stances chosen: {_one_line(stance_mix_text(session))}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
