"""Deeper checks for ``brinkmanship validate``: warnings, not errors.

Codes:

- W001 a scene no role can reach (no start, choice, reaction or trigger leads there);
- W002 a scene where a reachable state leaves no available choice (found by a
  bounded search of the game; the message gives the choices that lead there);
- W003 a variable nothing uses (never read nor changed), or a hidden one whose
  changes nothing reads;
- W004 a lesson no ending teaches;
- W005 an ending nothing leads to;
- W006 a scene or ending that something leads to, but that no game ever reaches
  (only when the bounded search saw every state);
- W007 a loop with no way out: from there no ending can be reached (likewise);
- W008 a choice that fails when played (e.g. it can have too many outcomes to list);
  the search then counts as incomplete, so W006 and W007 are not claimed;
- W009 an 'assume' (format 2) that fails in a game the search found: the text is shown
  where what it takes for granted does not hold (the message gives the path);
- W010 an 'assume' the search could not check on every path (it stopped at its bound;
  what it saw is a sample, not a proof);
- W011 a format-1 scene whose free-text 'when' disagrees with the clock on a path the
  search found (move it to format 2 and 'at:').

The search is bounded (``SEARCH_STATES`` per role) to keep ``validate`` fast;
``brinkmanship explore`` goes further and explains more.
"""

from __future__ import annotations

from brinkmanship.authoring.explore import explore_role
from brinkmanship.authoring.scenegraph import reachable_places
from brinkmanship.authoring.statekey import text_reads
from brinkmanship.format.errors import Diagnostic
from brinkmanship.format.model import Scenario, Text, placeholders

SEARCH_STATES = 20_000


def _warn(loc: tuple[str, int, int], message: str, code: str) -> Diagnostic:
    return Diagnostic(loc[0], loc[1], loc[2], message, code, "warning")


def _texts(sc: Scenario) -> list[Text]:
    out: list[Text] = [sc.description]
    for r in sc.roles.values():
        out.append(r.blurb)
    for s in sc.scenes.values():
        out.append(s.text)
        out.extend(a.says for a in s.advisers)
        out.extend(c.result for c in s.choices)
    for r in sc.reactions:
        out.extend(o.text for o in r.outcomes)
    out.extend(t.text for t in sc.triggers)
    for e in sc.endings.values():
        out.extend((e.text, e.history))
    return out


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

    # W002, W006, W007, W009-W011: a bounded search of every role's game.
    complete = True
    claims = sc.claims()
    failed: dict[tuple[str, int, int], str] = {}
    when_seen: set[str] = set()
    reached: set[str] = set()
    stuck_seen: set[str] = set()
    trap_seen: set[str] = set()
    for rid in sc.roles:
        r = explore_role(sc, rid, SEARCH_STATES)
        complete = complete and r.complete and not r.errors
        for path, cid, message in r.errors[:1]:
            where = next(
                (s.loc for s in sc.scenes.values() if any(c.id == cid for c in s.choices)),
                sc.scenes[sc.roles[rid].start].loc,
            )
            out.append(
                _warn(
                    where,
                    f"choice {cid!r} fails when played (as {rid}, after {_path(path)}): {message}",
                    "W008",
                )
            )
        reached |= r.reached
        method = (
            f"exhaustive search of {r.states} states"
            if r.complete
            else f"search stopped at {r.states} states"
        )
        for loc, (claim, path) in r.claims_failed.items():
            if loc not in failed:
                failed[loc] = rid
                out.append(
                    _warn(
                        loc,
                        f"{claim.what} assumes {claim.cond.source!r}, but it does not hold "
                        f"in a game that shows it (as {rid}, after {_path(path)}; found by "
                        f"the {method})",
                        "W009",
                    )
                )
        for sid, (path, said) in r.when_mismatch.items():
            if sid not in when_seen:
                when_seen.add(sid)
                scene = sc.scenes[sid]
                out.append(
                    _warn(
                        scene.when_loc if scene.when_loc[1] else scene.loc,
                        f"scene {sid!r} says when: {scene.when!r}, but the clock reads "
                        f"{said} there (as {rid}, after {_path(path)}); with 'format: 2', "
                        "'at:' sets the clock and the header follows it",
                        "W011",
                    )
                )
        g = r.graph
        for i in r.stuck:
            scene = g.place[i]
            if scene in stuck_seen:
                continue
            stuck_seen.add(scene)
            out.append(
                _warn(
                    sc.scenes[scene].loc,
                    f"scene {scene!r} can leave the player with "
                    f"no available choice (as {rid}, after {_path(g.path(i))}); add a "
                    "choice without an 'if', or loosen a condition",
                    "W002",
                )
            )
        for trap in (r.traps or []) if not r.errors else []:
            scenes = sorted({g.place[i] for i in trap})
            if scenes[0] in trap_seen:
                continue
            trap_seen.add(scenes[0])
            out.append(
                _warn(
                    sc.scenes[scenes[0]].loc,
                    "the game can loop forever without "
                    f"reaching an ending among scenes {', '.join(scenes)} (as {rid}, "
                    f"entered after {_path(g.path(min(trap)))}); give the loop a way "
                    "out",
                    "W007",
                )
            )
    if not complete:
        for claim in claims:
            if claim.loc not in failed:
                out.append(
                    _warn(
                        claim.loc,
                        f"{claim.what} assumes {claim.cond.source!r}: not proved, because "
                        "the search stopped at its bound (the games it saw are a sample, "
                        "not a proof; try brinkmanship explore --max-states)",
                        "W010",
                    )
                )
    if complete:
        for s in sc.scenes.values():
            if s.id in static and s.id not in reached:
                out.append(
                    _warn(
                        s.loc,
                        f"scene {s.id!r} is never reached in any game: the "
                        "conditions on the way there never hold (see brinkmanship "
                        "explore)",
                        "W006",
                    )
                )
        for e in sc.endings.values():
            if e.id in targets and e.id not in reached:
                out.append(
                    _warn(
                        e.loc,
                        f"ending {e.id!r} is never reached in any game: the "
                        "conditions on the way there never hold (see brinkmanship "
                        "explore)",
                        "W006",
                    )
                )
    out.sort(key=lambda d: (d.path, d.line, d.col, d.code))
    return out
