"""Deeper checks for ``brinkmanship validate``: warnings, not errors.

Codes:

- W001 a scene no role can reach (no start, choice, reaction or trigger leads there);
- W002 a scene where a game can be left with no available choice: in every game that
  gets there, or (said "may") for the values the message gives;
- W003 a variable nothing uses (never read nor changed), or a hidden one whose
  changes nothing reads;
- W004 a lesson no ending teaches;
- W005 an ending nothing leads to;
- W006 a scene or ending that something leads to, but that no game ever reaches
  (the conditions on every way there never hold);
- W007 a loop with no way out: once a game is in these scenes, no ending can be reached;
- W009 a condition that never holds, or always holds, wherever it is checked;
- W010 an 'assume' (format 2) that fails in a game the search found: the text is shown
  where what it takes for granted does not hold (the message gives the path);
- W011 an 'assume' the search could not check on every path (it stopped at its bound;
  what it saw is a sample, not a proof);
- W012 a format-1 scene whose free-text 'when' disagrees with the clock on a path the
  search found (move it to format 2 and 'at:').
- W013 the static analysis could not run (a bug: the other warnings still hold);
- C006 a way from a scene's 'at' (format 2) to an earlier one, on the ways the static
  analysis finds possible (:mod:`brinkmanship.authoring.clockorder`).

W010 to W012 come from the exhaustive search of :mod:`brinkmanship.authoring.explore`
(run only when there is something to check: up to ``SEARCH_STATES`` states a role).
W002, W006, W007 and W009 come from the static analysis of
:mod:`brinkmanship.authoring.static`: it follows what can hold at each scene for every
game at once, so what it proves holds in every game, at a cost that grows with the size
of the scenario and not with the number of games. (C008, a condition the declared ranges
alone make never or always true, is found by the loader.)
"""

from __future__ import annotations

from brinkmanship.authoring.clockorder import backward_ways
from brinkmanship.authoring.explore import explore_role
from brinkmanship.authoring.statekey import text_reads
from brinkmanship.authoring.static import Facts, analyse, condition_sites
from brinkmanship.authoring.whencheck import when_headers
from brinkmanship.format.errors import Diagnostic
from brinkmanship.format.expr import Compiled
from brinkmanship.format.model import Scenario, Text, placeholders
from brinkmanship.format.scenegraph import reachable_places

SEARCH_STATES = 20_000  # states a role for the checks that need games (W010-W012)
# With only format-1 'when' headers to check (W012), a smaller search: each warning is a
# game found, and the headers' disagreements show within a few turns (the flagship's 35
# are 33 at 3,000 states, in a sixth of the time).
WHEN_STATES = 3_000


def _warn(loc: tuple[str, int, int], message: str, code: str) -> Diagnostic:
    return Diagnostic(loc[0], loc[1], loc[2], message, code, "warning")


def _texts(sc: Scenario) -> list[Text]:
    return sc.texts()


def _path(p: list[str]) -> str:
    return " > ".join(p) if p else "(at the start)"


def warnings_for(scenario: Scenario) -> list[Diagnostic]:
    """Every warning for a scenario that loaded without errors."""
    sc = scenario
    out: list[Diagnostic] = []

    # W001: scenes nothing reaches, on the scene graph.
    static = reachable_places(sc)
    for s in sc.scenes.values():
        if s.id not in static:
            out.append(
                _warn(
                    s.loc,
                    f"scene {s.id!r} cannot be reached: no role starts there "
                    "and no choice, reaction or trigger leads to it",
                    "W001",
                )
            )

    # W003: variables nothing uses.
    reads = text_reads(sc)
    read = set(reads.names)
    for t in _texts(sc):
        for text in t.texts():
            read.update(name for _, name in placeholders(text))
    changed: set[str] = set()
    for r in sc.roles.values():
        changed.update(e.var for e in r.setup)
    for s in sc.scenes.values():
        changed.update(e.var for e in s.effects)
        for c in s.choices:
            changed.update(e.var for e in c.effects)
    for r in sc.reactions:
        for o in r.outcomes:
            changed.update(e.var for e in o.effects)
    for t in sc.triggers:
        changed.update(e.var for e in t.effects)
    for v in sc.variables.values():
        if v.id in read:
            continue
        if v.id not in changed:
            out.append(
                _warn(
                    v.loc, f"variable {v.id!r} is never used: nothing reads or changes it", "W003"
                )
            )
        elif v.show == "hidden":
            out.append(
                _warn(
                    v.loc,
                    f"variable {v.id!r} is hidden and nothing reads it, so "
                    "its changes make no difference",
                    "W003",
                )
            )

    # W004: lessons no ending teaches.
    taught = {e.lesson for e in sc.endings.values() if e.lesson}
    for lesson in sc.lessons.values():
        if lesson.id not in taught:
            out.append(
                _warn(
                    lesson.loc,
                    f"lesson {lesson.id!r} is not taught by any ending "
                    "(give an ending 'lesson: " + lesson.id + "')",
                    "W004",
                )
            )

    # W005: endings nothing leads to.
    targets: set[str] = set()
    for s in sc.scenes.values():
        targets.update(t for c in s.choices for t in c.targets)
    for r in sc.reactions:
        targets.update(o.goto for o in r.outcomes if o.goto)
    targets.update(t.goto for t in sc.triggers if t.goto)
    for e in sc.endings.values():
        if e.id not in targets:
            out.append(
                _warn(
                    e.loc,
                    f"ending {e.id!r} cannot be reached: no choice, reaction or "
                    "trigger leads to it",
                    "W005",
                )
            )

    # W002, W006, W007, W009: the static analysis of every role's game.
    try:
        facts = analyse(sc)
    except Exception as exc:  # a scenario must never crash the tools
        out.append(
            _warn(
                sc.scenes[next(iter(sc.roles.values())).start].loc,
                f"the static analysis could not run ({type(exc).__name__}: {exc}), so W002, "
                "W006, W007 and W009 were not checked; please report this",
                "W013",
            )
        )
    else:
        out.extend(static_warnings(sc, facts, static, targets))
        out.extend(clock_warnings(sc, facts))
    # W010-W012: games found by the search, where claims and headers are checked.
    out.extend(search_warnings(sc))
    out.sort(key=lambda d: (d.path, d.line, d.col, d.code))
    return out


def clock_warnings(sc: Scenario, facts: Facts) -> list[Diagnostic]:
    """C006: ways the static analysis finds possible from a scene's 'at' to an earlier one."""
    out: list[Diagnostic] = []
    given: set[tuple[str, str]] = set()
    for rid, rf in facts.roles.items():
        for sid, path in backward_ways(sc, rid, rf):
            if (path[0], sid) in given:
                continue
            given.add((path[0], sid))
            later, earlier = sc.scenes[path[0]].at, sc.scenes[sid].at
            assert later is not None and earlier is not None
            out.append(
                _warn(
                    sc.scenes[sid].at_loc,
                    f"the clock would go back: {' -> '.join(path)} leads from "
                    f"{later:%Y-%m-%d %H:%M} to {earlier:%Y-%m-%d %H:%M} "
                    "(the clock stays put instead)",
                    "C006",
                )
            )
    return out


def search_warnings(sc: Scenario) -> list[Diagnostic]:
    """W010-W012: claims ('assume') and format-1 'when' headers, checked on the games an
    exhaustive search of every role finds (none when there is nothing to check)."""
    claims = sc.claims()
    if not claims and not when_headers(sc):
        return []
    out: list[Diagnostic] = []
    failed: set[tuple[str, int, int]] = set()
    when_seen: set[str] = set()
    complete = True
    for rid in sc.roles:
        r = explore_role(sc, rid, SEARCH_STATES if claims else WHEN_STATES, analyse=False)
        complete = complete and r.complete and not r.errors
        method = (
            f"exhaustive search of {r.states} states"
            if r.complete
            else f"search stopped at {r.states} states"
        )
        for loc, (claim, path) in sorted(r.claims_failed.items()):
            if loc in failed:
                continue
            failed.add(loc)
            out.append(
                _warn(
                    loc,
                    f"{claim.what} assumes {claim.cond.source!r}, but it does not hold in a "
                    f"game that shows it (as {rid}, after {_path(path)}; found by the "
                    f"{method})",
                    "W010",
                )
            )
        for sid, (path, said) in r.when_mismatch.items():
            if sid in when_seen:
                continue
            when_seen.add(sid)
            scene = sc.scenes[sid]
            out.append(
                _warn(
                    scene.when_loc if scene.when_loc[1] else scene.loc,
                    f"scene {sid!r} says when: {scene.when!r}, but the clock reads {said} "
                    f"there (as {rid}, after {_path(path)}); with 'format: 2', 'at:' sets "
                    "the clock and the header follows it",
                    "W012",
                )
            )
    if not complete:
        for claim in claims:
            if claim.loc not in failed:
                out.append(
                    _warn(
                        claim.loc,
                        f"{claim.what} assumes {claim.cond.source!r}: not proved, because the "
                        "search stopped at its bound (the games it saw are a sample, not a "
                        "proof; try brinkmanship explore --max-states)",
                        "W011",
                    )
                )
    return out


def static_warnings(
    sc: Scenario, facts: Facts, static: set[str], targets: set[str]
) -> list[Diagnostic]:
    """W002, W006, W007 and W009 from the static analysis (see the module's doc)."""
    out: list[Diagnostic] = []
    roles = facts.roles
    for s in sc.scenes.values():
        if s.id in static and not any(r.reached(s.id) for r in roles.values()):
            out.append(
                _warn(
                    s.loc,
                    f"scene {s.id!r} is never reached in any game: the conditions on every "
                    "way there never hold (proved by static analysis)",
                    "W006",
                )
            )
    for e in sc.endings.values():
        if e.id in targets and not any(r.reached(e.id) for r in roles.values()):
            out.append(
                _warn(
                    e.loc,
                    f"ending {e.id!r} is never reached in any game: the conditions on every "
                    "way there never hold (proved by static analysis)",
                    "W006",
                )
            )
    stuck_seen: set[str] = set()
    trap_seen: set[str] = set()
    for rid, r in roles.items():
        for scene, (always, values) in r.stuck.items():
            if scene in stuck_seen:
                continue
            stuck_seen.add(scene)
            way = _path(r.path(scene))
            if always:
                what = (
                    f"scene {scene!r} can leave the player with no available choice: every "
                    f"game that gets there is stuck (as {rid}, e.g. after {way}; proved by "
                    "static analysis)"
                )
            else:
                what = (
                    f"scene {scene!r} can leave the player with no available choice when "
                    f"{values or 'some values hold'} (possible: static analysis cannot rule "
                    f"it out; as {rid}, reached e.g. after {way})"
                )
            out.append(
                _warn(
                    sc.scenes[scene].loc,
                    what + "; add a choice without an 'if', or loosen a condition",
                    "W002",
                )
            )
        for loop in r.loops:
            if loop[0] in trap_seen:
                continue
            trap_seen.add(loop[0])
            entry = min(loop, key=lambda x: len(r.path(x)))
            out.append(
                _warn(
                    sc.scenes[loop[0]].loc,
                    "the game can loop forever without "
                    f"reaching an ending among scenes {', '.join(loop)} (as {rid}, "
                    f"entered after {_path(r.path(entry))}): no choice, reaction or trigger "
                    "leads out (proved by static analysis); give the loop a way out",
                    "W007",
                )
            )
    truths = facts.truths()
    for site, cond, loc, what in condition_sites(sc):
        seen = truths.get(site)
        if seen is None or len(seen) != 1 or (site[0] == "weight" and True in seen):
            continue  # never checked (its place is never reached), or it can go both ways
        if _declared(sc, cond):
            continue  # the loader already says so (C008)
        if True in seen:
            msg = (
                f"{what} ({cond.source}) always holds where it is checked (proved by static "
                "analysis), so it changes nothing: remove it or fix what leads there"
            )
        elif site[0] == "weight":
            msg = (
                f"{what} is never above 0 where it is checked (proved by static analysis): "
                "that outcome never happens"
            )
        else:
            msg = (
                f"{what} ({cond.source}) never holds where it is checked (proved by static "
                "analysis), so what it guards never happens: fix the condition or what "
                "leads there"
            )
        out.append(_warn(loc, msg, "W009"))
    return out


def _declared(sc: Scenario, cond: Compiled) -> bool:
    """Whether the declared ranges alone decide ``cond`` (then C008 reported it)."""
    from brinkmanship.format.absint import declared_box, reads_anything

    if not reads_anything(cond.tree) or cond.type != "bool":
        return not reads_anything(cond.tree)
    numbers = {v.id: (v.min, v.max) for v in sc.variables.values() if v.type == "number"}
    enums = {v.id: frozenset(v.values) for v in sc.variables.values() if v.type == "enum"}
    domain, env = declared_box(numbers, enums)
    return len(domain.truth(cond.tree, env)) == 1
