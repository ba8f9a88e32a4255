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
- W010 an 'assume' (format 2) that a path breaks: the text is shown where what it takes
  for granted does not hold, in every game that shows it (proved by static analysis)
  or in a game found by search (the message gives the path);
- W011 an 'assume' that may not hold: the static analysis cannot rule out a game that
  breaks it, and the short search found none (a sample, not a proof);
- W012 a format-1 scene whose free-text 'when' disagrees with the clock: in a real game
  found by replaying the earliest and the latest way there, or in every game (the
  static analysis's range for the clock there never agrees); move it to format 2's 'at:'.
- W013 the static analysis could not run (a bug: the other warnings still hold);
- W014 a format-2 scene whose 'at' is earlier than the clock can already read when a
  game gets there (the clock never goes back): in a real game found by replaying the
  earliest and the latest way there, or in every game (static analysis);
- C006 a way from a scene's 'at' (format 2) to an earlier one, on the ways the static
  analysis finds possible (:mod:`brinkmanship.authoring.clockorder`).

W010 to W012 and W014 start from the static analysis too (:mod:`brinkmanship.authoring.claims`,
:func:`brinkmanship.authoring.whencheck.check_headers`); only what it leaves open costs
a search, small and bounded (``CONFIRM_STATES`` states a role, a few replays a header).
W002, W006, W007 and W009 come from the static analysis of
:mod:`brinkmanship.authoring.static`: it follows what can hold at each scene for every
game at once, so what it proves holds in every game, at a cost that grows with the size
of the scenario and not with the number of games. (C008, a condition the declared ranges
alone make never or always true, is found by the loader.)
"""

from __future__ import annotations

from brinkmanship.authoring.clockorder import backward_ways
from brinkmanship.authoring.explore.claimsearch import claim_verdicts
from brinkmanship.authoring.statekey import text_reads
from brinkmanship.authoring.static import Facts, analyse, condition_sites
from brinkmanship.authoring.whencheck import WhenFinding, check_headers, late_arrivals
from brinkmanship.format.errors import Diagnostic
from brinkmanship.format.expr import Compiled
from brinkmanship.format.gcpause import paused_gc
from brinkmanship.format.model import Scenario, Text, placeholders
from brinkmanship.format.scenegraph import reachable_places


def _warn(loc: tuple[str, int, int], message: str, code: str) -> Diagnostic:
    return Diagnostic(loc[0], loc[1], loc[2], message, code, "warning")


def _texts(sc: Scenario) -> list[Text]:
    return sc.texts()


def _path(p: list[str]) -> str:
    return " > ".join(p) if p else "(at the start)"


def warnings_for(scenario: Scenario) -> list[Diagnostic]:
    """Every warning for a scenario that loaded without errors."""
    with paused_gc():
        return _warnings_for(scenario)


def _warnings_for(scenario: Scenario) -> list[Diagnostic]:
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
        # W010-W012: claims and headers, from the static analysis (confirmed by games)
        out.extend(claim_warnings(sc, facts))
        out.extend(when_warnings(sc, facts))
        out.extend(clock_warnings(sc, facts))
        out.extend(late_warnings(sc, facts))
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


def claim_warnings(sc: Scenario, facts: Facts) -> list[Diagnostic]:
    """W010 and W011: the claims ('assume') that a path breaks, or may break."""
    out: list[Diagnostic] = []
    for v in claim_verdicts(sc, facts):
        claim = v.claim
        head = f"{claim.what} assumes {claim.cond.source!r}"
        if v.verdict == "broken":
            out.append(
                _warn(
                    claim.loc,
                    f"{head}, but it does not hold in any game that shows it (proved by "
                    f"static analysis; as {v.role}, e.g. after {_path(list(v.path))}"
                    + (f", where {v.values}" if v.values else "")
                    + ")",
                    "W010",
                )
            )
        elif v.verdict == "confirmed":
            out.append(
                _warn(
                    claim.loc,
                    f"{head}, but it does not hold in a game that shows it (as {v.role}, "
                    f"after {_path(list(v.path))}; found by the {v.method} of "
                    f"{v.states} states)",
                    "W010",
                )
            )
        elif v.verdict == "possible":
            out.append(
                _warn(
                    claim.loc,
                    f"{head}: it may not hold (possible: static analysis cannot rule out "
                    "a game that shows it"
                    + (f" when {v.values}" if v.values else "")
                    + f"; no such game in the {v.states} states searched, a sample, not "
                    "a proof; try brinkmanship explore)",
                    "W011",
                )
            )
    return out


def when_warnings(sc: Scenario, facts: Facts) -> list[Diagnostic]:
    """W012: format-1 'when' headers the clock disagrees with, in a real game found
    (confirmed) or in every game (proved by static analysis)."""
    out: list[Diagnostic] = []
    for f in check_headers(sc, facts):
        if f.verdict == "possible":
            continue  # not shown by validate: explore lists them
        scene = sc.scenes[f.scene]
        how = _clock_how(f, "the clock never agrees there: it reads")
        out.append(
            _warn(
                f.header.loc,
                f"scene {f.scene!r} says when: {scene.when!r}, but {how}; with "
                "'format: 2', 'at:' sets the clock and the header follows it",
                "W012",
            )
        )
    return out


def _clock_how(f: WhenFinding, always: str) -> str:
    """How a clock finding is known, in words: a real game, or the static analysis."""
    if f.verdict == "confirmed":
        return (
            f"in a real game the clock already reads {f.said} there (as {f.role}, seed "
            f"{f.seed}, after {_path(list(f.path))})"
        )
    return (
        f"{always} {f.said} (proved by static analysis; as {f.role}, e.g. after "
        f"{_path(list(f.path))})"
    )


def late_warnings(sc: Scenario, facts: Facts) -> list[Diagnostic]:
    """W014: scenes whose 'at' the clock can already be past when a game gets there."""
    out: list[Diagnostic] = []
    for f in late_arrivals(sc, facts):
        scene = sc.scenes[f.scene]
        if f.verdict == "possible":
            continue  # the static range alone: explore-level detail, not a warning
        how = _clock_how(f, "every game gets there later: the clock reads")
        out.append(
            _warn(
                scene.at_loc if scene.at_loc[1] else scene.loc,
                f"scene {f.scene!r} is at {scene.at:%Y-%m-%d %H:%M}, but {how}; the clock "
                "never goes back, so the scene is shown later than its 'at': move the 'at' "
                "later, or take less time on the way",
                "W014",
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
