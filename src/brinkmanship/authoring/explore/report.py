"""The whole scenario's exploration: every role's result, the verdicts, the text report.

Three methods, and every verdict says which one gave it:

- the *exhaustive search* (of every state, when there are few enough) proves all;
- the *static analysis* (:mod:`brinkmanship.authoring.static`) proves what can never
  happen: scenes never reached, no stuck state possible, from every scene an ending
  stays reachable, loops that no way leads out of;
- the *search* of real games (exhaustive or bounded) proves what can happen, with a
  path (and a seed) that replays.

What none of them settles is said to be open ("not ruled out"), never proved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brinkmanship.authoring.claims import static_verdicts
from brinkmanship.authoring.explore.confirm import Confirmation, confirm_role
from brinkmanship.authoring.explore.search import (
    DEFAULT_MAX_STATES,
    MAX_OUTCOMES,
    SAMPLED_SEEDS,
    RoleResult,
    explore_role,
)
from brinkmanship.authoring.explore.witnesses import write_witnesses
from brinkmanship.authoring.static import Facts, RoleFacts, analyse
from brinkmanship.format.gcpause import paused_gc
from brinkmanship.format.model import Scenario

DEFAULT_BOUNDED = 25_000  # states the bounded search may expand, per role, when it runs
# The exhaustive search's bound for a role whose negative verdicts the static analysis
# already proved: enough for a small game to be searched completely (the tutorial).
PROBE_STATES = 2_000
# A role that can reach more scenes than this is never searched exhaustively to the end
# (its states are far more than any bound), so it gets the PROBE_STATES bound too: the
# guided bounded search finds what is reachable, the static analysis proves the rest.
LARGE_SCENES = 300
MAX_EXAMPLES = 10


EXHAUSTIVE = "exhaustive search"
STATIC = "static analysis"
SEARCH = "found by search"
CONFIRMED = "a real game found for what the static analysis said was possible"


@dataclass
class Verdicts:
    """What is known about one role, and by which method (see the module's doc)."""

    never: list[str]  # scenes and endings proved never reached
    never_by: str  # EXHAUSTIVE or STATIC
    open: list[str]  # not found, and not ruled out
    stuck: str  # "none", "found", "possible" or "open"
    stuck_by: str
    loops: str  # "none", "found", "possible" or "open"
    loops_by: str
    possible_stuck: dict[str, str]  # scene -> for which values (static, not confirmed)
    static_loops: list[list[str]]  # proved: no way out once inside
    unsafe: list[str]  # scenes not proved to keep an ending reachable

    @property
    def complete(self) -> bool:
        return (
            not self.open
            and "open" not in (self.stuck, self.loops)
            and "possible"
            not in (
                self.stuck,
                self.loops,
            )
        )

    @property
    def problems(self) -> bool:
        return bool(self.static_loops) or self.stuck == "found" or self.loops == "found"

    def to_json(self) -> dict[str, Any]:
        return {
            "complete": self.complete,
            "never_reached": {"places": self.never, "method": self.never_by},
            "not_ruled_out": self.open,
            "stuck": {
                "verdict": self.stuck,
                "method": self.stuck_by,
                "possible": [{"scene": k, "when": v} for k, v in self.possible_stuck.items()],
            },
            "loops": {
                "verdict": self.loops,
                "method": self.loops_by,
                "proved": self.static_loops,
                "not_ruled_out": self.unsafe,
            },
        }


def verdicts(
    r: RoleResult, facts: RoleFacts | None, confirmed: list[Confirmation] | None = None
) -> Verdicts:
    """Put the search and the static analysis together, each verdict with its method."""
    places = [p for p in (*r.scenes_total, *r.endings_total)]
    missing = [p for p in places if p not in r.found]
    b = r.bounded
    searched_stuck = bool(r.stuck or (b is not None and b.stuck))
    if r.complete or facts is None:
        stuck = "found" if searched_stuck else ("none" if r.complete else "open")
        loops = "open" if r.traps is None else "found" if r.traps else "none"
        how = EXHAUSTIVE if r.complete else SEARCH
        return Verdicts(
            missing if r.complete else [],
            EXHAUSTIVE,
            [] if r.complete else missing,
            stuck,
            how if stuck != "found" else SEARCH,
            loops,
            EXHAUSTIVE,
            {},
            [],
            [],
        )
    never = [p for p in missing if not facts.reached(p)]
    still = [p for p in missing if facts.reached(p)]
    possible = {
        s: ("every game that gets there" if always else when)
        for s, (always, when) in facts.stuck.items()
    }
    games = [c for c in confirmed or [] if c.kind == "stuck" and c.verdict == "confirmed"]
    if searched_stuck:
        stuck, stuck_by = "found", SEARCH
    elif games:
        stuck, stuck_by = "found", CONFIRMED
    elif any(always for always, _ in facts.stuck.values()):
        stuck, stuck_by = "found", STATIC
    elif possible:
        stuck, stuck_by = "possible", STATIC
    else:
        stuck, stuck_by = "none", STATIC
    unsafe = facts.unsafe()
    if facts.loops:
        loops = "found"
    elif unsafe:
        loops = "possible"
    else:
        loops = "none"
    return Verdicts(
        never, STATIC, still, stuck, stuck_by, loops, STATIC, possible, facts.loops, unsafe
    )


@dataclass
class Report:
    scenario: Scenario
    roles: dict[str, RoleResult]
    max_states: int
    bounded: int = 0
    facts: Facts | None = None  # the static analysis
    # role -> the possible problems, and the real games found for them
    confirmations: dict[str, list[Confirmation]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """Whether the exhaustive search saw every state of every role."""
        return all(r.complete for r in self.roles.values())

    def verdicts(self, role: str) -> Verdicts:
        facts = self.facts.roles.get(role) if self.facts is not None else None
        return verdicts(self.roles[role], facts, self.confirmations.get(role))

    @property
    def verdicts_complete(self) -> bool:
        """Whether every check has a verdict (by one method or another) for every role."""
        return all(self.verdicts(rid).complete for rid in self.roles)

    def _proved_never(self) -> set[str]:
        """Scenes and endings proved never reached (by one method or another)."""
        out: set[str] = set()
        for rid in self.roles:
            out |= set(self.verdicts(rid).never)
        if self.facts is not None and len(self.roles) == len(self.scenario.roles):
            for place in (*self.scenario.scenes, *self.scenario.endings):
                if not any(f.reached(place) for f in self.facts.roles.values()):
                    out.add(place)
        return out

    def unreachable_endings(self) -> list[str]:
        """Endings no role was found to reach (not found, when the search was incomplete).

        With only some roles explored, only the endings that belong to them count.
        """
        got = set().union(*(r.found for r in self.roles.values()))
        if len(self.roles) == len(self.scenario.roles):
            mine = set(self.scenario.endings)
        else:
            mine = set().union(*(r.places for r in self.roles.values()))
        return [e for e in self.scenario.endings if e in mine and e not in got]

    def unreached_scenes(self) -> list[str]:
        got = set().union(*(r.found for r in self.roles.values()))
        return [s for s in self.scenario.scenes if s not in got]

    def exit_code(self) -> int:
        """0: all good, every verdict given; 1: a problem found; 3: nothing found, but some
        verdicts are open (the search was cut short and the static analysis could not
        settle them)."""
        if any(r.problems or self.verdicts(rid).problems for rid, r in self.roles.items()):
            return 1
        all_roles = len(self.roles) == len(self.scenario.roles)
        endings = self.unreachable_endings()
        if all_roles and endings:
            proved = self.complete or set(endings) & self._proved_never()
            return 1 if proved else 3
        return 0 if self.complete or self.verdicts_complete else 3

    def claims(self, rid: str) -> list[dict[str, Any]]:
        """Each 'assume' for role ``rid``: whether it holds (True: on every path; False: a
        path breaks it; None: not known), by which method, with the path (and seed and
        save) that breaks it."""
        r = self.roles[rid]
        sc = self.scenario
        static = static_verdicts(sc, self.facts) if self.facts is not None else {}
        games = {c.where: c for c in self.confirmations.get(rid, []) if c.kind == "assume"}
        exhaustive = r.complete and not r.errors
        out = []
        for claim in sc.claims():
            where = f"{claim.loc[0]}:{claim.loc[1]}"
            entry: dict[str, Any] = {
                "at": where,
                "what": claim.what,
                "assume": claim.cond.source,
                "holds": None,
                "method": "",
                "path": None,
            }
            game = games.get(where)
            sv = static.get(claim.loc)
            mine = sv is not None and sv.role in ("", rid)
            if game is not None and game.verdict == "confirmed":
                entry.update(holds=False, method=game.method, path=list(game.path))
                entry.update(seed=game.seed, file=game.file)
            elif claim.loc in r.claims_failed:
                how = EXHAUSTIVE if r.complete else "incomplete search (a game found)"
                entry.update(holds=False, method=how, path=r.claims_failed[claim.loc][1])
            elif exhaustive:
                entry.update(holds=True, method=EXHAUSTIVE)
            elif sv is not None and mine and sv.verdict == "broken":
                entry.update(holds=False, method=STATIC, path=list(sv.path))
            elif sv is not None and sv.verdict == "holds":
                entry.update(holds=True, method=STATIC)
            else:
                entry["method"] = (
                    f"not broken in the {r.states} states seen (search incomplete: a "
                    "sample, not a proof)"
                )
                if game is not None:
                    entry["reason"] = game.reason
            out.append(entry)
        return out

    def to_json(self) -> dict[str, Any]:
        roles = {}
        for rid, r in self.roles.items():
            data = r.to_json()
            data["verdicts"] = self.verdicts(rid).to_json()
            if self.scenario.claims():
                data["assumptions"] = self.claims(rid)
            data["confirmations"] = [c.to_json() for c in self.confirmations.get(rid, [])]
            roles[rid] = data
        return {
            "scenario": self.scenario.id,
            "title": self.scenario.title,
            "max_states": self.max_states,
            "bounded_states": self.bounded,
            "complete": self.complete,
            "verdicts_complete": self.verdicts_complete,
            "roles": roles,
            "endings_unreachable": self.unreachable_endings(),
            "scenes_never_reached": self.unreached_scenes(),
            "exit_code": self.exit_code(),
        }


def explore(
    scenario: Scenario,
    roles: list[str],
    max_states: int | None = None,
    witness: Path | None = None,
    bounded: int = DEFAULT_BOUNDED,
    saves: Path | None = None,
) -> Report:
    """Explore each role: a static analysis of every game, an exhaustive search up to
    ``max_states`` states, then (if that was not enough) a bounded search of up to
    ``bounded`` states of real games (0: none). When the search is not complete, each
    problem the static analysis says is possible is looked for in real games
    (:mod:`brinkmanship.authoring.explore.confirm`); a game found is saved in ``saves``
    (default: ``witness``; None: not saved).

    ``max_states`` None: ``DEFAULT_MAX_STATES``, or only ``PROBE_STATES`` for a role whose
    stuck states and loops the static analysis has settled, or that can reach more than
    ``LARGE_SCENES`` scenes: the exhaustive search then only adds shortest paths, which
    the bounded search finds faster on a large game.
    """
    with paused_gc():
        return _explore(scenario, roles, max_states, witness, bounded, saves)


def _explore(
    scenario: Scenario,
    roles: list[str],
    max_states: int | None,
    witness: Path | None,
    bounded: int,
    saves: Path | None,
) -> Report:
    facts = analyse(scenario, roles)
    out = {}
    bounds = []
    confirmations: dict[str, list[Confirmation]] = {}
    for role in roles:
        bound = max_states
        if bound is None:
            f = facts.roles[role]
            settled = not f.stuck and not f.loops and not f.unsafe()
            large = len(f.states) > LARGE_SCENES
            bound = PROBE_STATES if settled or large else DEFAULT_MAX_STATES
        bounds.append(bound)
        r = explore_role(scenario, role, bound, bounded=bounded)
        if witness is not None:
            write_witnesses(r, witness)
        out[role] = r
        if not r.complete:
            confirmations[role] = confirm_role(r, facts.roles[role], facts, saves or witness)
    return Report(
        scenario, out, max(bounds, default=DEFAULT_MAX_STATES), bounded, facts, confirmations
    )


def _path(path: list[str]) -> str:
    return " > ".join(path) or "(at the start)"


def _turns(n: int) -> str:
    return f"{n} turn{'' if n == 1 else 's'}"


def render_text(report: Report) -> str:
    sc = report.scenario
    lines = [f"Exploring {sc.title} ({sc.id}), at most {report.max_states} states per role"]
    for rid, r in report.roles.items():
        b = r.bounded
        v = report.verdicts(rid)
        facts = report.facts.roles.get(rid) if report.facts is not None else None
        role = sc.roles[rid]
        lines.append("")
        if r.complete:
            state = "complete"
        else:
            if r.sampled:
                state = (
                    f"INCOMPLETE: on {r.sampled} turn{'s' if r.sampled > 1 else ''} the "
                    f"reactions can end in more than {MAX_OUTCOMES} different ways, so the "
                    f"search followed the draws of {SAMPLED_SEEDS} seeds there (a sample)"
                )
            else:
                state = ""
            if r.sampled and r.states < report.max_states:
                pass
            else:
                state += ("; " if state else "INCOMPLETE: ") + (
                    f"stopped at the bound of {report.max_states} states (raise --max-states)"
                )
            state += (
                "; the static analysis gives the verdicts it can prove"
                if facts is not None
                else "; what was not seen is not reported"
            )
        lines.append(f"Role {rid} ({role.name}): {r.states} states, {state}")
        if facts is not None and not r.complete:
            lines.append(
                f"  static analysis: {len(facts.states)} scenes and {len(facts.endings)} "
                f"endings can be reached ({facts.updates} scene states worked out)"
            )
        if b is not None:
            mine = r.places
            extra = sum(1 for p in mine if p in b.found and p not in r.reached)
            lines.append(
                f"  bounded search: {b.states} states of real games"
                + (
                    f" (stopped at its bound of {report.bounded}; raise --bounded)"
                    if b.budget_hit
                    else ""
                )
                + (
                    f"; it found {extra} more of this role's scenes and endings, "
                    "each with a seed that replays it"
                    if extra
                    else "; it found nothing the exhaustive search had not"
                )
            )
        total = r.scenes_total
        found = r.found
        never = set(v.never)
        unreached = [s for s in total if s not in found]
        line = f"  scenes reached: {len(total) - len(unreached)}/{len(total)} ({SEARCH})"
        gone = [s for s in unreached if s in never]
        if gone:
            line += f"; never reached, proved by {v.never_by}: {', '.join(gone)}"
        still = [s for s in unreached if s not in never]
        if still:
            line += (
                "; not found (search incomplete; the static analysis cannot rule them out): "
                + ", ".join(still)
            )
        lines.append(line)
        mine_endings = r.endings_total
        others = r.other_endings
        if others:
            rest = "one is" if len(others) == 1 else f"{len(others)} are"
            lines.append(
                f"  endings ({len(mine_endings)} of {len(sc.endings)}; the other "
                f"{rest} not on this role's part of the scene graph):"
            )
        else:
            lines.append("  endings:")
        width = max((len(e) for e in mine_endings), default=0)
        for eid in mine_endings:
            e = sc.endings[eid]
            hit = r.path_to(eid) if eid in found else None
            if hit is None:
                if eid in never:
                    why = f"never reached (proved by {v.never_by})"
                else:
                    why = "not found (search incomplete; not ruled out)"
                lines.append(f"    {eid:<{width}}  {why}")
                continue
            path, seed = hit
            how = "" if seed is None else f" (found by bounded search, seed {seed})"
            lines.append(
                f"    {eid:<{width}}  {e.outcome}, {_turns(len(path))}{how}: " + _path(path)
            )
            w = r.witnesses.get(eid)
            if w is not None:
                lines.append(f"    {'':<{width}}  witness: {w['file'] or w['reason']}")
        lines.extend(_stuck_lines(r, v, report.confirmations.get(rid, [])))
        lines.extend(_loop_lines(r, v, facts))
        lines.extend(_claim_lines(report.claims(rid)))
        if r.when_mismatch:
            lines.append(f"  'when' headers the clock disagrees with: {len(r.when_mismatch)}")
            for sid, (path, said) in list(r.when_mismatch.items())[:MAX_EXAMPLES]:
                lines.append(
                    f"    {sid} says {sc.scenes[sid].when!r}, the clock {said}, after: "
                    + _path(path)
                )
        errors = len(r.errors) + (b.error_count if b is not None else 0)
        if errors:
            lines.append(f"  runtime errors: {errors}")
            for p, c, m in r.errors[:MAX_EXAMPLES]:
                lines.append(f"    choice {c} after " + (" > ".join(p) or "-") + f": {m}")
            for f, c, m in b.errors if b is not None else []:
                lines.append(
                    f"    choice {c} after "
                    + (" > ".join(f.path) or "-")
                    + f" (seed {f.seed}): {m}"
                )
    lines.append("")
    never_found = report.unreachable_endings()
    proved = report._proved_never()
    by_bounded = any(
        r.bounded is not None and set(r.bounded.found) - r.reached for r in report.roles.values()
    )
    if never_found:
        sure = [e for e in never_found if report.complete or e in proved]
        unsure = [e for e in never_found if e not in sure]
        if sure:
            lines.append("Endings no role reaches: " + ", ".join(sure))
        if unsure:
            lines.append("Endings not found (search incomplete): " + ", ".join(unsure))
    elif report.complete:
        lines.append("Every ending is reachable.")
    else:
        lines.append(
            "Every ending was found reachable"
            + (" (some by the bounded search)." if by_bounded else ".")
        )
    scenes = report.unreached_scenes()
    if scenes and len(report.roles) == len(sc.roles):
        sure = [s for s in scenes if report.complete or s in proved]
        unsure = [s for s in scenes if s not in sure]
        if sure:
            lines.append("Scenes no role reaches: " + ", ".join(sure))
        if unsure:
            lines.append("Scenes not found (search incomplete): " + ", ".join(unsure))
    code = report.exit_code()
    if code == 0 and not report.complete:
        lines.append(
            "Result: no problems found. Every verdict is proved: what is reachable by real "
            "games found by search, stuck states and loops by static analysis."
        )
    else:
        lines.append(
            {
                0: "Result: no problems found.",
                1: "Result: problems found (exit 1).",
                3: "Result: no problems found so far, but the exhaustive search was cut "
                "short and the static analysis could not settle every check: see the "
                "verdicts marked 'not ruled out' (exit 3).",
            }[code]
        )
    return "\n".join(lines)


def _claim_lines(claims: list[dict[str, Any]]) -> list[str]:
    if not claims:
        return []
    held = [c for c in claims if c["holds"] is True]
    broken = [c for c in claims if c["holds"] is False]
    open_ = [c for c in claims if c["holds"] is None]
    how = sorted({c["method"] for c in held})
    parts = [f"{len(held)} hold on every path ({', '.join(how)})"] if held else []
    if open_:
        parts.append(f"{len(open_)} {open_[0]['method']}")
    if broken:
        parts.append(f"{len(broken)} broken")
    lines = [f"  assumptions: {len(claims)}; " + "; ".join(parts)]
    for c in broken:
        seed = f", seed {c['seed']}" if c.get("seed") is not None else ""
        saved = f"; saved: {c['file']}" if c.get("file") else ""
        lines.append(
            f"    {c['at']}: {c['what']} assumes {c['assume']!r}, broken after: "
            f"{_path(c['path'] or [])} ({c['method']}{seed}{saved})"
        )
    for c in open_:
        if c.get("reason"):
            lines.append(f"    {c['at']}: possible: {c['reason']}")
    return lines


def _stuck_lines(r: RoleResult, v: Verdicts, confirmations: list[Confirmation]) -> list[str]:
    g = r.graph
    b = r.bounded
    lines: list[str] = []
    stuck_b = b.stuck if b is not None else {}
    games = {c.where: c for c in confirmations if c.kind == "stuck"}
    if v.stuck == "found" and v.stuck_by == CONFIRMED and not (r.stuck or stuck_b):
        lines.append(
            "  stuck states (no choice available), in games found for what the static "
            "analysis said was possible:"
        )
    elif r.stuck or stuck_b:
        counts = [str(len(r.stuck))] if r.stuck else []
        if stuck_b:
            counts.append(
                f"in {len(stuck_b)} scene{'' if len(stuck_b) == 1 else 's'}, "
                "found by the bounded search"
            )
        lines.append("  stuck states (no choice available): " + "; and ".join(counts))

        def saved(scene: str) -> str:
            game = games.get(scene)
            if game is None or game.verdict != "confirmed":
                return ""
            return f" (a real game: seed {game.seed}" + (
                f", saved: {game.file})" if game.file else ")"
            )

        for scene, ids in r.stuck_by_scene().items():
            lines.append(
                f"    in {scene} ({len(ids)} states), first after: "
                + (" > ".join(g.path(ids[0])) or "-")
                + saved(scene)
            )
        for scene, f in stuck_b.items():
            lines.append(f"    in {scene}, seed {f.seed}, after: " + _path(f.path) + saved(scene))
    elif r.complete:
        lines.append(f"  stuck states: none (proved by {EXHAUSTIVE})")
    elif v.stuck == "none":
        lines.append(f"  stuck states: none possible (proved by {STATIC})")
    elif v.stuck == "open":
        lines.append("  stuck states: none found (search incomplete; not ruled out)")
    elif v.possible_stuck:
        lines.append("  stuck states: none found by search; not ruled out:")
    if not r.complete and v.possible_stuck:
        confirmed = set(stuck_b) | set(r.stuck_by_scene())
        for scene, when in v.possible_stuck.items():
            if scene in confirmed:
                continue
            game = games.get(scene)
            if game is not None and game.verdict == "confirmed":
                kept = f"; saved: {game.file}" if game.file else ""
                lines.append(
                    f"    in {scene}: confirmed by a real game, seed {game.seed}, after "
                    f"{_path(list(game.path))} (found by {game.method}{kept})"
                )
            elif when == "every game that gets there":
                lines.append(f"    in {scene}: every game that gets there (proved by {STATIC})")
            else:
                why = game.reason if game is not None else f"{STATIC} cannot rule it out"
                lines.append(f"    possible in {scene} when {when or 'some values hold'} ({why})")
    return lines


def _loop_lines(r: RoleResult, v: Verdicts, facts: RoleFacts | None) -> list[str]:
    g = r.graph
    if r.traps is not None:
        if not r.traps:
            return [f"  loops with no way out: none (proved by {EXHAUSTIVE})"]
        lines = [
            f"  loops with no way out: {len(r.traps)} ({r.no_exit} states can reach no ending)"
        ]
        for t in r.traps[:MAX_EXAMPLES]:
            scenes = sorted({g.place[i] for i in t})
            lines.append(
                f"    among {', '.join(scenes)}; first entered after: "
                + (" > ".join(g.path(min(t))) or "-")
            )
        return lines
    if facts is None:
        return ["  loops with no way out: not checked (search incomplete)"]
    if v.static_loops:
        lines = [f"  loops with no way out: {len(v.static_loops)} (proved by {STATIC})"]
        for loop in v.static_loops[:MAX_EXAMPLES]:
            entry = min(loop, key=lambda x: len(facts.path(x)))
            lines.append(
                f"    among {', '.join(loop)}; no choice, reaction or trigger leads out; "
                f"entered e.g. after {_path(facts.path(entry))}"
            )
        return lines
    if v.loops == "none":
        return [
            "  loops with no way out: none: from every scene a game can reach, an ending "
            f"can still be reached (proved by {STATIC})"
        ]
    return [
        "  loops with no way out: not ruled out in "
        + ", ".join(v.unsafe[:MAX_EXAMPLES])
        + (", ..." if len(v.unsafe) > MAX_EXAMPLES else "")
        + f" ({STATIC} cannot show that an ending stays reachable there; search incomplete)"
    ]
