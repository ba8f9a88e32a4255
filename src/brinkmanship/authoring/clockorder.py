"""C006: a way through the scenes that leads from a scene's 'at' to an earlier one.

The ways are those the static analysis (:mod:`brinkmanship.authoring.static`) finds
possible: a choice's ``next``, or a reaction or trigger that sends the game elsewhere,
where their conditions can hold. From each scene with an 'at' the analysis is run afresh
from what can hold there, so what every game there has in common (a flag set on the way,
a scene visited) keeps ruling ways out further on. It over-approximates, so every way a
game can take is checked; a way it keeps that no game can take may still be reported.
Each role reads the 'at's in its own zone (a clock going back for winter time is not a
date running backwards). The game itself never moves the clock back: on
such a way the scene's 'at' is already past, and its header shows the later time.
"""

from __future__ import annotations

from collections.abc import Iterator

from brinkmanship.authoring.static import Regions, RoleFacts
from brinkmanship.format.model import Scenario


def backward_ways(
    sc: Scenario, role: str, facts: RoleFacts
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Each way from a scene's 'at' to an earlier one in ``role``'s game, as (the earlier
    scene, the path from the later one); the first timed scene on a way ends it."""
    clock = sc.clock
    if clock is None:
        return
    zone = sc.roles[role].zone or clock.zone
    utc = {
        sid: zone.to_utc(s.at)
        for sid, s in sc.scenes.items()
        if s.at is not None and sid in facts.states
    }
    regions = Regions(sc, role, facts)
    for sid in sorted(utc):
        edges = regions.ways(sid, set(utc))
        seen = {sid}
        todo: list[tuple[str, tuple[str, ...]]] = [(sid, (sid,))]
        while todo:
            here, path = todo.pop()
            for nxt in sorted(edges.get(here, ())):
                if nxt in seen or nxt not in sc.scenes:
                    continue
                seen.add(nxt)
                if nxt not in utc:
                    todo.append((nxt, (*path, nxt)))
                elif utc[nxt] < utc[sid]:
                    yield nxt, (*path, nxt)
