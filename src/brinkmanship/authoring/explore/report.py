"""The whole scenario's exploration: every role's result, the verdicts, the text report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brinkmanship.authoring.explore.search import DEFAULT_MAX_STATES, RoleResult, explore_role
from brinkmanship.authoring.explore.witnesses import write_witnesses
from brinkmanship.format.model import Scenario

DEFAULT_BOUNDED = 50_000  # states the bounded search may expand, per role, when it runs
MAX_EXAMPLES = 10


@dataclass
class Report:
    scenario: Scenario
    roles: dict[str, RoleResult]
    max_states: int
    bounded: int = 0

    @property
    def complete(self) -> bool:
        return all(r.complete for r in self.roles.values())

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
        """0: all good and complete; 1: a problem found; 3: nothing found, search cut short."""
        if any(r.problems for r in self.roles.values()):
            return 1
        all_roles = len(self.roles) == len(self.scenario.roles)
        if all_roles and self.unreachable_endings():
            return 1 if self.complete else 3
        return 0 if self.complete else 3

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario.id,
            "title": self.scenario.title,
            "max_states": self.max_states,
            "bounded_states": self.bounded,
            "complete": self.complete,
            "roles": {rid: r.to_json() for rid, r in self.roles.items()},
            "endings_unreachable": self.unreachable_endings(),
            "scenes_never_reached": self.unreached_scenes(),
            "exit_code": self.exit_code(),
        }


def explore(
    scenario: Scenario,
    roles: list[str],
    max_states: int = DEFAULT_MAX_STATES,
    witness: Path | None = None,
    bounded: int = DEFAULT_BOUNDED,
) -> Report:
    """Explore each role: exhaustively up to ``max_states`` states, then (if that was
    not enough) by a bounded search of up to ``bounded`` states (0: none)."""
    out = {}
    for role in roles:
        r = explore_role(scenario, role, max_states, bounded=bounded)
        if witness is not None:
            write_witnesses(r, witness)
        out[role] = r
    return Report(scenario, out, max_states, bounded)


def _path(path: list[str]) -> str:
    return " > ".join(path) or "(at the start)"


def _turns(n: int) -> str:
    return f"{n} turn{'' if n == 1 else 's'}"


def render_text(report: Report) -> str:
    sc = report.scenario
    lines = [f"Exploring {sc.title} ({sc.id}), at most {report.max_states} states per role"]
    for rid, r in report.roles.items():
        g = r.graph
        b = r.bounded
        role = sc.roles[rid]
        lines.append("")
        if r.complete:
            state = "complete"
        else:
            state = (
                f"INCOMPLETE: stopped at the bound of {report.max_states} states "
                "(raise --max-states)"
            )
            state += (
                "; what was not seen is not reported"
                if b is None
                else "; what neither search found is reported as not found, not as unreachable"
            )
        lines.append(f"Role {rid} ({role.name}): {r.states} states, {state}")
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
        unreached = [s for s in total if s not in found]
        never = "never reached" if r.complete else "not found"
        lines.append(
            f"  scenes reached: {len(total) - len(unreached)}/{len(total)}"
            + (f"; {never}: {', '.join(unreached)}" if unreached else "")
        )
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
                why = "not reachable" if r.complete else "not found (search incomplete)"
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
        stuck_b = b.stuck if b is not None else {}
        if r.stuck or stuck_b:
            counts = [str(len(r.stuck))] if r.stuck else []
            if stuck_b:
                counts.append(
                    f"in {len(stuck_b)} scene{'' if len(stuck_b) == 1 else 's'}, "
                    "found by the bounded search"
                )
            lines.append("  stuck states (no choice available): " + "; and ".join(counts))
            for scene, ids in r.stuck_by_scene().items():
                lines.append(
                    f"    in {scene} ({len(ids)} states), first after: "
                    + (" > ".join(g.path(ids[0])) or "-")
                )
            for scene, f in stuck_b.items():
                lines.append(f"    in {scene}, seed {f.seed}, after: " + _path(f.path))
        else:
            lines.append("  stuck states: none" + ("" if r.complete else " found"))
        if r.traps is None:
            lines.append("  loops with no way out: not checked (search incomplete)")
        elif r.traps:
            lines.append(
                f"  loops with no way out: {len(r.traps)} ({r.no_exit} states can reach no ending)"
            )
            for t in r.traps[:MAX_EXAMPLES]:
                scenes = sorted({g.place[i] for i in t})
                lines.append(
                    f"    among {', '.join(scenes)}; first entered after: "
                    + (" > ".join(g.path(min(t))) or "-")
                )
        else:
            lines.append("  loops with no way out: none")
        claims = sc.claims()
        if claims:
            broken = len(r.claims_failed)
            if r.complete and not r.errors:
                verdict = f"{len(claims) - broken} hold on every path (exhaustive search)"
            else:
                verdict = (
                    f"{len(claims) - broken} not broken in the {r.states} states seen "
                    "(search incomplete: a sample, not a proof)"
                )
            lines.append(
                f"  assumptions: {len(claims)}; {verdict}"
                + (f"; {broken} broken" if broken else "")
            )
            for claim, path in sorted(r.claims_failed.values(), key=lambda x: x[0].loc):
                lines.append(
                    f"    {claim.loc[0]}:{claim.loc[1]}: {claim.what} assumes "
                    f"{claim.cond.source!r}, broken after: {_path(path)} "
                    f"(found by the {'exhaustive' if r.complete else 'incomplete'} search)"
                )
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
    by_bounded = any(
        r.bounded is not None and set(r.bounded.found) - r.reached for r in report.roles.values()
    )
    if never_found:
        lines.append(
            (
                "Endings no role reaches: "
                if report.complete
                else "Endings not found (search incomplete): "
            )
            + ", ".join(never_found)
        )
    elif report.complete:
        lines.append("Every ending is reachable.")
    else:
        lines.append(
            "Every ending was found reachable"
            + (" (some by the bounded search)." if by_bounded else ".")
        )
    scenes = report.unreached_scenes()
    if scenes and len(report.roles) == len(sc.roles):
        lines.append(
            (
                "Scenes no role reaches: "
                if report.complete
                else "Scenes not found (search incomplete): "
            )
            + ", ".join(scenes)
        )
    code = report.exit_code()
    lines.append(
        {
            0: "Result: no problems found.",
            1: "Result: problems found (exit 1).",
            3: "Result: no problems found so far, but the exhaustive search was cut "
            "short, so loops with no way out were not checked (exit 3).",
        }[code]
    )
    return "\n".join(lines)
