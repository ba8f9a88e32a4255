"""The scene graph: which scenes and endings a role's part of a scenario can lead to."""

from __future__ import annotations

from brinkmanship.format.model import Scenario


def reachable_places(scenario: Scenario, role: str | None = None) -> set[str]:
    """Scenes and endings reachable on the scene graph, ignoring conditions.

    From the start scene of ``role`` (of every role when None): choices' ``next``,
    and the gotos of reactions and triggers that apply to the role, which can
    fire anywhere.
    """
    roles = [role] if role is not None else list(scenario.roles)
    out: set[str] = set()
    for rid in roles:
        anywhere = [
            o.goto
            for r in scenario.reactions
            if not r.roles or rid in r.roles
            for o in r.outcomes
            if o.goto
        ]
        anywhere += [
            t.goto for t in scenario.triggers if (not t.roles or rid in t.roles) and t.goto
        ]
        start = scenario.roles[rid].start
        todo = [start, *anywhere]
        seen = set(todo)
        while todo:
            pid = todo.pop()
            scene = scenario.scenes.get(pid)
            if scene is None:
                continue
            for c in scene.choices:
                for nxt in c.targets:
                    if nxt and nxt not in seen:
                        seen.add(nxt)
                        todo.append(nxt)
        out |= seen
    return {p for p in out if p in scenario.scenes or p in scenario.endings}


def role_endings(scenario: Scenario, role: str) -> list[str]:
    """The endings that belong to ``role``, in the scenario's order: the one count of a
    role's endings that every tool and screen uses (playtest, explore, the gallery and the
    ending screen).

    An ending that declares ``roles`` belongs to those roles; any other ending belongs to
    each role whose part of the scene graph leads to it.
    """
    places: set[str] | None = None
    out = []
    for e in scenario.endings.values():
        if e.roles:
            if role in e.roles:
                out.append(e.id)
            continue
        if places is None:
            places = reachable_places(scenario, role)
        if e.id in places:
            out.append(e.id)
    return out
