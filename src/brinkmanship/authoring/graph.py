"""The scenario as a graph, in Graphviz DOT or Mermaid.

Scenes are boxes, endings are ellipses coloured by outcome and drawn apart
(in their own cluster / subgraph, at the bottom). Each choice is an edge from
its scene to its ``next``, labelled with its id and coloured by its stance.
Reactions and triggers that divert the story (``goto``) can fire after any
choice, so each is a diamond with a dashed edge to where it leads. With a
playtest's JSON (``--coverage``), scenes and choices carry their hit counts and
what was never hit is drawn dashed and grey.
"""

from __future__ import annotations

import json
from typing import Any

from brinkmanship.format.errors import BrinkError
from brinkmanship.format.jsondata import read_json
from brinkmanship.format.model import Choice, Reaction, Scenario
from brinkmanship.format.scenegraph import reachable_places
from brinkmanship.format.textsafe import inert

STANCE_COLOURS = {
    "escalate": "#c0392b",
    "hold": "#7f8c8d",
    "negotiate": "#27ae60",
    "concede": "#8e44ad",
}
SPARE_COLOURS = ("#2980b9", "#d35400", "#16a085", "#b7950b", "#2c3e50", "#c2185b")
OUTCOME_COLOURS = {
    "catastrophe": "#e74c3c",
    "defeat": "#e67e22",
    "stalemate": "#bdc3c7",
    "settlement": "#5dade2",
    "cooperation": "#58d68d",
}
UNHIT = "#aaaaaa"


def stance_colours(scenario: Scenario) -> dict[str, str]:
    out = {}
    spare = iter(SPARE_COLOURS * 4)
    for s in scenario.stances:
        out[s] = STANCE_COLOURS.get(s) or next(spare, "#000000")
    return out


COVERAGE_MAX_BYTES = 16 * 1024 * 1024
COVERAGE_MAX_DEPTH = 8  # {policies: {p: {roles: {r: {scenes: {id: n}}}}}}
MAX_COUNT = 10**12


def _add_counts(into: dict[str, int], counts: Any) -> None:
    """Add a mapping of id -> count; anything else (a list, text, a bool) is ignored."""
    if not isinstance(counts, dict):
        return
    for k, v in counts.items():
        if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= MAX_COUNT:
            into[k] = min(MAX_COUNT, into.get(k, 0) + v)


def load_coverage(path: str, role: str | None = None) -> dict[str, Any]:
    """Scene and choice hits from ``playtest --json`` output, summed over policies and over
    roles (only ``role``'s when given)."""
    data = read_json(path, COVERAGE_MAX_BYTES, COVERAGE_MAX_DEPTH)
    policies = data.get("policies") if isinstance(data, dict) else None
    reports = list(policies.values()) if isinstance(policies, dict) else [data]
    scenes: dict[str, int] = {}
    choices: dict[str, int] = {}
    found = False
    for rep in reports:
        roles = rep.get("roles") if isinstance(rep, dict) else None
        if not isinstance(roles, dict):
            continue
        for rid, r in roles.items():
            if not isinstance(r, dict) or (role is not None and rid != role):
                continue
            found = True
            _add_counts(scenes, r.get("scenes"))
            _add_counts(scenes, r.get("endings"))
            _add_counts(choices, r.get("choices"))
    if not found:
        raise BrinkError(f"{path}: no playtest results in it (use playtest --json)")
    return {"scenes": scenes, "choices": choices}


class _Model:
    """What both renderers draw."""

    def __init__(self, scenario: Scenario, role: str | None) -> None:
        self.sc = scenario
        keep = reachable_places(scenario, role) if role else None
        self.scenes = [s for s in scenario.scenes.values() if keep is None or s.id in keep]
        self.endings = [e for e in scenario.endings.values() if keep is None or e.id in keep]
        self.starts = {
            r.start: r.id for r in scenario.roles.values() if role is None or r.id == role
        }
        self.reactions = [
            r for r in scenario.reactions if role is None or not r.roles or role in r.roles
        ]
        self.triggers = [
            t for t in scenario.triggers if role is None or not t.roles or role in t.roles
        ]
        self.colours = stance_colours(scenario)


def _rule(r: Reaction) -> str:
    """A reaction's name in a graph, with how often it may fire (format 2)."""
    limit = " (once)" if r.once else f" (cooldown {r.cooldown})" if r.cooldown else ""
    return "reaction " + r.id + limit


def _routes(c: Choice) -> list[tuple[str, str]]:
    """(place, label suffix) for each way a choice leads: a conditional 'next' is drawn
    as one edge per entry, labelled with its condition ("else" for the default)."""
    if not c.routes:
        return [(c.next, "")]
    out = [(to, "\nif " + _short(cond.source, 24)) for cond, to in c.routes]
    return [*out, (c.next, "\nelse")]


def _short(text: str, n: int = 28) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _dot_str(text: str) -> str:
    """A DOT quoted string: untrusted text cannot end it, nor reach a terminal as controls."""
    text = inert(text)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(
    scenario: Scenario, role: str | None = None, coverage: dict[str, Any] | None = None
) -> str:
    m = _Model(scenario, role)
    hits = coverage["scenes"] if coverage else None
    chits = coverage["choices"] if coverage else None
    out = [
        f"digraph {_dot_str(scenario.id)} {{",
        f"  label={_dot_str(scenario.title + (f' ({role})' if role else ''))};",
        "  labelloc=t; rankdir=TB; newrank=true;",
        '  node [fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]
    for rid in sorted(set(m.starts.values())):
        start = scenario.roles[rid].start
        out.append(
            f"  {_dot_str('start:' + rid)} [shape=plaintext, "
            f"label={_dot_str(scenario.roles[rid].name)}];"
        )
        out.append(f"  {_dot_str('start:' + rid)} -> {_dot_str(start)} [style=bold];")
    for s in m.scenes:
        label = s.id + (f"\n{_short(s.title)}" if s.title else "")
        attrs = ["shape=box", "style=rounded"]
        if hits is not None:
            n = hits.get(s.id, 0)
            label += f"\n×{n}"
            if n == 0:
                attrs = [
                    "shape=box",
                    'style="rounded,dashed"',
                    f'color="{UNHIT}"',
                    f'fontcolor="{UNHIT}"',
                ]
        out.append(f"  {_dot_str(s.id)} [{', '.join(attrs)}, label={_dot_str(label)}];")
    out.append("  subgraph cluster_endings {")
    out.append('    label="Endings"; style=dashed; color="#999999";')
    for e in m.endings:
        label = f"{e.id}\n{_short(e.title)}\n({e.outcome})"
        if hits is not None:
            label += f"\n×{hits.get(e.id, 0)}"
        colour = OUTCOME_COLOURS.get(e.outcome, "#ffffff")
        out.append(
            f"    {_dot_str(e.id)} [shape=ellipse, style=filled, "
            f'fillcolor="{colour}", label={_dot_str(label)}];'
        )
    out.append("  }")
    if m.endings:
        out.append("  { rank=sink; " + " ".join(_dot_str(e.id) for e in m.endings) + " }")
    for s in m.scenes:
        for c in s.choices:
            label = c.id
            colour = m.colours.get(c.stance, "#000000")
            style = "solid"
            if c.cond is not None:
                label += " (if)"
            if chits is not None:
                n = chits.get(f"{s.id}/{c.id}", 0)
                label += f" ×{n}"
                if n == 0:
                    style = "dashed"
            for to, when in _routes(c):
                out.append(
                    f"  {_dot_str(s.id)} -> {_dot_str(to)} [label={_dot_str(label + when)}, "
                    f'color="{colour}", fontcolor="{colour}", style={style}];'
                )
    for r in m.reactions:
        gotos = [o.goto for o in r.outcomes if o.goto]
        if not gotos:
            continue
        node = _dot_str("reaction:" + r.id)
        out.append(f"  {node} [shape=diamond, fontsize=9, label={_dot_str(_rule(r))}];")
        for g in dict.fromkeys(gotos):
            out.append(f"  {node} -> {_dot_str(g)} [style=dashed];")
    for t in m.triggers:
        if not t.goto:
            continue
        node = _dot_str("trigger:" + t.id)
        out.append(
            f"  {node} [shape=diamond, fontsize=9, label="
            f"{_dot_str('trigger ' + t.id + chr(10) + _short(t.cond.source, 30))}];"
        )
        out.append(f"  {node} -> {_dot_str(t.goto)} [style=dashed];")
    out.append("  subgraph cluster_legend {")
    out.append('    label="Stances"; style=dashed; color="#999999";')
    for s, colour in m.colours.items():
        out.append(
            f'    {_dot_str("legend:" + s)} [shape=plaintext, fontcolor="{colour}", '
            f"label={_dot_str(scenario.stances[s].label)}];"
        )
    out.append("  }")
    out.append("}")
    return "\n".join(out) + "\n"


def _mm_str(text: str) -> str:
    """Text safe inside a Mermaid quoted label."""
    text = inert(text)
    for a, b in (
        ("&", "#amp;"),
        ('"', "#quot;"),
        ("<", "#lt;"),
        (">", "#gt;"),
        ("|", "#124;"),
        ("\n", "<br>"),
    ):
        text = text.replace(a, b)
    return '"' + text + '"'


def to_mermaid(
    scenario: Scenario, role: str | None = None, coverage: dict[str, Any] | None = None
) -> str:
    m = _Model(scenario, role)
    hits = coverage["scenes"] if coverage else None
    chits = coverage["choices"] if coverage else None
    ids: dict[str, str] = {}

    def nid(key: str) -> str:
        if key not in ids:
            ids[key] = f"n{len(ids)}"
        return ids[key]

    title = scenario.title + (f" ({role})" if role else "")
    out = ["---", f"title: {json.dumps(title)}", "---", "flowchart TD"]
    for oc, colour in OUTCOME_COLOURS.items():
        out.append(f"  classDef {oc} fill:{colour},stroke:#333,color:#000")
    out.append(f"  classDef unhit stroke:{UNHIT},color:{UNHIT},stroke-dasharray:4 3")
    out.append("  classDef rule fill:#f8f8f8,stroke:#999,color:#333")
    links: list[str] = []  # link styles, by link index
    for rid in sorted(set(m.starts.values())):
        role_obj = scenario.roles[rid]
        out.append(f"  {nid('start:' + rid)}([{_mm_str(role_obj.name)}])")
        out.append(f"  {nid('start:' + rid)} ==> {nid(role_obj.start)}")
        links.append("")
    for s in m.scenes:
        label = s.id + (f"\n{_short(s.title)}" if s.title else "")
        if hits is not None:
            label += f"\n×{hits.get(s.id, 0)}"
        out.append(f"  {nid(s.id)}[{_mm_str(label)}]")
        if hits is not None and hits.get(s.id, 0) == 0:
            out.append(f"  class {nid(s.id)} unhit")
    out.append(f"  subgraph sg_endings [{_mm_str('Endings')}]")
    for e in m.endings:
        label = f"{e.id}\n{_short(e.title)}\n({e.outcome})"
        if hits is not None:
            label += f"\n×{hits.get(e.id, 0)}"
        out.append(f"    {nid(e.id)}([{_mm_str(label)}])")
    out.append("  end")
    for e in m.endings:
        if e.outcome in OUTCOME_COLOURS:
            out.append(f"  class {nid(e.id)} {e.outcome}")
    for s in m.scenes:
        for c in s.choices:
            label = c.id + (" (if)" if c.cond is not None else "")
            dashed = False
            if chits is not None:
                n = chits.get(f"{s.id}/{c.id}", 0)
                label += f" ×{n}"
                dashed = n == 0
            style = (
                f"stroke:{m.colours.get(c.stance, '#000000')},color:"
                f"{m.colours.get(c.stance, '#000000')}"
            )
            for to, when in _routes(c):
                out.append(f"  {nid(s.id)} -->|{_mm_str(label + when)}| {nid(to)}")
                links.append(style + (",stroke-dasharray:4 3" if dashed else ""))
    for r in m.reactions:
        gotos = [o.goto for o in r.outcomes if o.goto]
        if not gotos:
            continue
        out.append(f"  {nid('reaction:' + r.id)}{{{_mm_str(_rule(r))}}}")
        out.append(f"  class {nid('reaction:' + r.id)} rule")
        for g in dict.fromkeys(gotos):
            out.append(f"  {nid('reaction:' + r.id)} -.-> {nid(g)}")
            links.append("")
    for t in m.triggers:
        if not t.goto:
            continue
        label = "trigger " + t.id + "\n" + _short(t.cond.source, 30)
        out.append(f"  {nid('trigger:' + t.id)}{{{_mm_str(label)}}}")
        out.append(f"  class {nid('trigger:' + t.id)} rule")
        out.append(f"  {nid('trigger:' + t.id)} -.-> {nid(t.goto)}")
        links.append("")
    for i, style in enumerate(links):
        if style:
            out.append(f"  linkStyle {i} {style}")
    return "\n".join(out) + "\n"
