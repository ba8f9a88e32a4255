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

import datetime as dt
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
    # The ways of the whole-game analysis first (computed already, so this is cheap):
    # only a scene from which one of them goes back in time is analysed afresh, which
    # may rule that way out.
    whole = {here: set(places) for here, places in facts.edges.items()}
    for sid in sorted(utc):
        if next(_back(sc, sid, utc, whole), None) is None:
            continue
        yield from _back(sc, sid, utc, regions.ways(sid, set(utc)))


def _back(
    sc: Scenario, sid: str, utc: dict[str, dt.datetime], edges: dict[str, set[str]]
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """The ways along ``edges`` from ``sid`` to a scene whose 'at' is earlier."""
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
