"""Automatic playthroughs: how policies fare, what gets covered, and what breaks.

Reproducibility (the contract the tests and golden files rely on): run ``i``
(counting from 0) of a role uses its own generator
``rng = random.Random(f"{seed}:{i}")``. Its first draw, ``rng.randrange(2**31)``,
is the game's seed (which fixes the other side's reactions); after that, each
turn the policy picks one choice (:mod:`brinkmanship.authoring.policies` says
what each draws):

- ``random``: uniformly among the available choices;
- a stance id (``escalate``, ``negotiate``, ...): uniformly among the available
  choices of that stance, or among all of them when there is none;
- ``mix:negotiate=0.6,hold=0.4``: a stance by weight, then a choice of it;
- ``least-used``: uniformly among the available choices taken least often so
  far in this playtest (counted per scene and choice over the role's earlier
  runs too, like ChoiceScript's randomtest), so it spreads over the tree. Its
  runs depend on the runs before them, and are reproducible as a sequence;
- ``best``: the choice with the best chance of a good ending
  (:mod:`brinkmanship.authoring.solve`), drawing nothing.

A run fails when the engine raises an error, when no choice is available
(a stuck state), or when it reaches the turn cap without an ending. A failure
is shrunk to the shortest choice list that still fails under the same game
seed (first by removing choices, then by a breadth-first search for anything
shorter) and written as a save file.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import random
import re
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brinkmanship.authoring.explore import explore_role, seeded_search
from brinkmanship.authoring.policies import BEST, MIX, parse_mix, pick_stance
from brinkmanship.authoring.solve import Best, BestOptions
from brinkmanship.authoring.statekey import key_function
from brinkmanship.authoring.trace import lines, trace_run
from brinkmanship.authoring.whencheck import SLACK_MINUTES
from brinkmanship.format.errors import GameError
from brinkmanship.format.model import Choice, Claim, Loc, Scenario
from brinkmanship.format.names import OUTCOMES
from brinkmanship.format.scenegraph import reachable_places, role_endings
from brinkmanship.runtime.engine import Engine, GameState
from brinkmanship.runtime.session import Session
from brinkmanship.runtime.store import SaveStore

DEFAULT_MAX_TURNS = 200
# a timed scene first shown late: (runs, worst minutes past its 'at', that run, its seed)
Late = tuple[int, int, int, int]
SHRINK_SEARCH_STATES = 20_000
TRAP_SEARCH_STATES = 200_000


@dataclass
class Failure:
    run: int
    seed: int
    kind: str  # "error", "stuck", "trap" or "turn-cap"
    message: str
    choices: list[str]  # as played; for "error" the last one raised
    shrunk: list[str] | None = None
    minimal: bool = False
    save: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "run": self.run,
            "seed": self.seed,
            "kind": self.kind,
            "message": self.message,
            "turns": len(self.choices),
            "shrunk": self.shrunk,
            "minimal": self.minimal,
            "save": self.save,
        }


@dataclass
class RoleStats:
    role: str
    runs: int = 0
    endings: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)
    scenes: dict[str, int] = field(default_factory=dict)
    choices: dict[str, int] = field(default_factory=dict)
    turns_total: int = 0
    finished: int = 0
    failed: dict[str, int] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    # format 2 'assume': each claim, and in how many runs a shown text broke it
    claims: list[tuple[Claim, int]] = field(default_factory=list)
    best: dict[str, Any] | None = None  # policy best: its method and figures
    # format 2 scene 'at': scene -> (runs first shown late, worst minutes late, run, seed)
    late: dict[str, Late] | None = None

    def to_json(self) -> dict[str, Any]:
        out = self._json()
        if self.best is not None:
            out["best"] = self.best
        if self.late is not None:
            out["late_scenes"] = [
                {
                    "scene": sid,
                    "runs": n,  # a sample of games: 0 is no proof
                    "worst_minutes": worst,
                    "example": {"run": run, "seed": seed},
                }
                for sid, (n, worst, run, seed) in self.late.items()
            ]
        if self.claims:
            out["assumptions"] = [
                {
                    "at": f"{c.loc[0]}:{c.loc[1]}",
                    "what": c.what,
                    "assume": c.cond.source,
                    "broken_in_runs": n,  # a sample of games: 0 is no proof
                }
                for c, n in self.claims
            ]
        return out

    def _json(self) -> dict[str, Any]:
        return {
            "runs": self.runs,
            "endings": self.endings,
            "outcomes": self.outcomes,
            "scenes": self.scenes,
            "scenes_never_hit": [s for s, n in self.scenes.items() if n == 0],
            "choices": self.choices,
            "avg_turns": round(self.turns_total / self.finished, 3) if self.finished else None,
            "failed_runs": sum(self.failed.values()),
            "failed": self.failed,
            "failures": [f.to_json() for f in self.failures],
        }


class Player:
    """Plays runs of one role under one policy, as fast as the engine allows."""

    def __init__(
        self,
        scenario: Scenario,
        role: str,
        policy: str,
        seed: int,
        max_turns: int = DEFAULT_MAX_TURNS,
        best: BestOptions | None = None,
    ) -> None:
        self.engine = Engine(scenario, role)
        self.policy = policy
        self.seed = seed
        self.max_turns = max_turns
        self.used: dict[tuple[str, str], int] = {}
        self.mix = parse_mix(policy, scenario) if policy.startswith(MIX) else None
        self.best = Best(scenario, role, seed, max_turns, best) if policy == BEST else None
        clock, zone = scenario.clock, scenario.roles[role].zone
        # each timed scene's 'at' on this role's clock (minutes since the start)
        self.ats: dict[str, int] = {
            s.id: clock.minutes_at(s.at, zone)
            for s in scenario.scenes.values()
            if clock is not None and s.at is not None
        }

    def pick(self, rng: random.Random, st: GameState, avail: list[Choice]) -> Choice:
        policy = self.policy
        if policy == "random":
            return rng.choice(avail)
        if policy == "least-used":
            used = self.used
            scene = st.scene
            counts = [used.get((scene, c.id), 0) for c in avail]
            low = min(counts)
            return rng.choice([c for c, n in zip(avail, counts, strict=True) if n == low])
        if self.mix is not None:
            return self.mix.pick(rng, avail)
        if self.best is not None:
            return self.best.choose(st, avail)
        return pick_stance(rng, avail, policy)

    def play(
        self,
        run: int,
        hits: dict[str, int] | None = None,
        late: dict[str, int] | None = None,
    ) -> tuple[int, GameState, list[str], tuple[str, str] | None]:
        """Play run ``run``: (game seed, final state, choices, failure (kind, message) or None).
        ``late`` gets each timed scene this game first entered more than ``SLACK_MINUTES``
        after its 'at', and by how many minutes."""
        rng = random.Random(f"{self.seed}:{run}")
        game_seed = rng.randrange(2**31)
        engine = self.engine
        take = engine.take  # step() without re-checking what available() just returned
        st = engine.start(game_seed)
        choices: list[str] = []
        used = self.used
        track = self.policy == "least-used"
        ats = self.ats if late is not None else {}
        while st.ending is None:
            if len(choices) >= self.max_turns:
                return (
                    game_seed,
                    st,
                    choices,
                    ("turn-cap", f"no ending after {self.max_turns} turns"),
                )
            avail = engine.available(st)
            if not avail:
                return (
                    game_seed,
                    st,
                    choices,
                    ("stuck", f"no choice is available in scene {st.scene!r}"),
                )
            scene = st.scene
            c = self.pick(rng, st, avail)
            if track:
                used[(scene, c.id)] = used.get((scene, c.id), 0) + 1
            if hits is not None:
                k = f"{scene}/{c.id}"
                hits[k] = hits.get(k, 0) + 1
            try:
                st = take(st, c, None)
            except Exception as exc:  # a scenario must never crash the tools
                choices.append(c.id)
                return game_seed, st, choices, ("error", f"{type(exc).__name__}: {exc}")
            choices.append(c.id)
            at = ats.get(st.scene) if st.ending is None else None
            if at is not None and st.minutes > at + SLACK_MINUTES and st.visits[st.scene] == 1:
                late[st.scene] = st.minutes - at  # type: ignore[index]
        return game_seed, st, choices, None


# -- shrinking ------------------------------------------------------------------


class Shrinker:
    """Finds the shortest choice list that fails the same way under one game seed."""

    def __init__(self, scenario: Scenario, role: str) -> None:
        self.scenario = scenario
        self.engine = Engine(scenario, role)
        self.key = key_function(self.engine)
        self._doomed: set[Any] | None = None
        self._explored = False
        self._trap_cache: dict[Any, bool | None] = {}

    def trapped(self, st: GameState) -> bool | None:
        """Whether no ending can be reached from ``st`` (None: could not tell)."""
        if st.over:
            return False
        if not self._explored:
            self._explored = True
            r = explore_role(self.scenario, self.engine.role, TRAP_SEARCH_STATES)
            if r.complete:
                self._doomed = {k for k, i in r.index.items() if i in r.doomed}
        k = self.key(st)
        if self._doomed is not None:
            return k in self._doomed
        if k not in self._trap_cache:
            r = explore_role(
                self.scenario,
                self.engine.role,
                20_000,
                stop=lambda res: bool(res.first_ending),
                start=st,
                analyse=False,
            )
            self._trap_cache[k] = (
                None if not r.complete and not r.first_ending else not r.first_ending
            )
        return self._trap_cache[k]

    def fails(self, seed: int, choices: list[str], kind: str, message: str) -> bool:
        engine = self.engine
        head = choices[:-1] if kind == "error" else choices
        try:
            session, stopped = Session.replay(self.scenario, engine.role, seed, head)
        except Exception:  # a scenario must never crash the tools: a different failure
            return False
        if stopped is not None:
            return False
        st = session.state
        if kind == "error":
            if not choices or st.over:
                return False
            try:
                session.take(choices[-1])
            except GameError:
                return False  # not available: a different failure
            except Exception as exc:
                return f"{type(exc).__name__}: {exc}" == message
            return False
        if st.over:
            return False
        if kind == "stuck":
            return not engine.available(st)
        return self.trapped(st) is True

    def shrink(self, f: Failure) -> None:
        seed, kind, msg = f.seed, f.kind, f.message
        best = list(f.choices)

        def ok(cand: list[str]) -> bool:
            return self.fails(seed, cand, kind, msg)

        if kind == "trap":  # the run went on inside the trap: cut at the way in
            for k in range(len(best) + 1):
                if ok(best[:k]):
                    best = best[:k]
                    break
        best = _ddmin(best, ok)
        engine = self.engine
        if kind == "stuck":

            def goal(s: GameState) -> bool:
                return not s.over and not engine.available(s)

            found, exhaustive = seeded_search(
                engine, seed, goal, SHRINK_SEARCH_STATES, len(best) - 1
            )
        elif kind == "error":
            found, exhaustive = seeded_search(
                engine,
                seed,
                lambda s: False,
                SHRINK_SEARCH_STATES,
                len(best) - 1,
                error_goal=lambda e: f"{type(e).__name__}: {e}" == msg,
            )
        else:
            found, exhaustive = seeded_search(
                engine, seed, lambda s: self.trapped(s) is True, SHRINK_SEARCH_STATES, len(best) - 1
            )
        if found is not None and len(found) < len(best):
            best = found
        f.shrunk = best
        f.minimal = exhaustive


def _ddmin(items: list[str], fails: Callable[[list[str]], bool]) -> list[str]:
    """Delta debugging: drop chunks while the list still fails (1-minimal at the end)."""
    n = 2
    while len(items) >= 2:
        size = max(1, -(-len(items) // n))
        for start in range(0, len(items), size):
            cand = items[:start] + items[start + size :]
            if fails(cand):
                items = cand
                n = max(n - 1, 2)
                break
        else:
            if size == 1:
                break
            n = min(len(items), n * 2)
    if len(items) == 1 and fails([]):
        return []
    return items


def save_name(scenario: Scenario, role: str, policy: str, kind: str) -> str:
    # a mix's ':', '=' and ',' are not allowed in a save's name
    name = f"playtest-{scenario.id}-{role}-{re.sub(r'[^A-Za-z0-9_.-]+', '-', policy)}-{kind}"
    if len(name) > 64:
        name = name[:55] + "-" + hashlib.sha1(name.encode()).hexdigest()[:8]
    return name


# -- the whole playtest ---------------------------------------------------------


@dataclass
class Playtest:
    scenario: Scenario
    policy: str
    runs: int
    seed: int
    max_turns: int
    roles: dict[str, RoleStats]
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return any(r.failed for r in self.roles.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario.id,
            "policy": self.policy,
            "runs": self.runs,
            "seed": self.seed,
            "max_turns": self.max_turns,
            "roles": {rid: r.to_json() for rid, r in self.roles.items()},
        }


@dataclass
class Chunk:
    """What playing some runs of one role gave (plain data: it may come from a worker)."""

    # per run, in order: (run, game seed, ending or None, turns, failure, choices if failed)
    runs: list[tuple[int, int, str | None, int, tuple[str, str] | None, list[str] | None]]
    hits: dict[str, int]  # "scene/choice" -> times taken
    visits: dict[str, int]  # place -> times entered
    broken: dict[Loc, int]  # claim -> runs in which a shown text broke it
    trace: str = ""  # JSON Lines (playtest --trace)
    best: dict[str, Any] | None = None
    late: dict[str, Late] = field(default_factory=dict)  # as RoleStats.late


def add_late(a: Late | None, b: Late) -> Late:
    """Two tallies of one late scene as one: the runs added, the worst kept (the earlier
    run on a tie, so the sum is the same however the runs were split among processes)."""
    if a is None:
        return b
    worst = max(a, b, key=lambda t: (t[1], -t[2]))
    return (a[0] + b[0], worst[1], worst[2], worst[3])


def play_runs(
    scenario: Scenario,
    role: str,
    policy: str,
    seed: int,
    runs: range,
    max_turns: int = DEFAULT_MAX_TURNS,
    best: BestOptions | None = None,
    trace: bool = False,
    players: dict[tuple[Any, ...], Player] | None = None,
) -> Chunk:
    """Play runs ``runs`` of ``role`` (each depends on its number alone, except under
    least-used, whose runs must be played in order from 0). ``players``: players kept
    from earlier pieces of the same playtest (a solved game, a lookahead's memory), which
    play each run as a new player would."""
    k = (role, policy, seed, max_turns, best)
    player = players.get(k) if players is not None and policy != "least-used" else None
    if player is None:
        player = Player(scenario, role, policy, seed, max_turns, best)
        if players is not None:
            players[k] = player
    out = Chunk([], {}, {}, {})
    claims = scenario.claims()
    now: set[Loc] = set()
    if claims:

        def watch(claim: Claim, state: GameState) -> None:
            if claim.loc not in now and not claim.cond(state):
                now.add(claim.loc)

        player.engine.watch = watch
    traced: list[dict[str, Any]] = []
    late: dict[str, int] = {}
    for run in runs:
        now.clear()
        late.clear()
        game_seed, st, choices, failure = player.play(run, out.hits, late)
        for sid, minutes in late.items():
            out.late[sid] = add_late(out.late.get(sid), (1, minutes, run, game_seed))
        for loc in now:
            out.broken[loc] = out.broken.get(loc, 0) + 1
        for pid, n in st.visits.items():
            out.visits[pid] = out.visits.get(pid, 0) + n
        ending = st.ending if failure is None else None
        kept = choices if failure is not None else None
        out.runs.append((run, game_seed, ending, len(choices), failure, kept))
        if trace:
            kind = failure[0] if failure is not None else None
            traced += trace_run(scenario, role, policy, run, game_seed, choices, kind)
    out.trace = lines(traced)
    if player.best is not None:
        out.best = player.best.to_json()
    return out


_WORKER: dict[str, Any] = {}


def _init_worker(scenario: Scenario) -> None:
    _WORKER["scenario"] = scenario
    _WORKER["players"] = {}


def _work(args: tuple[Any, ...]) -> Chunk:
    role, policy, seed, runs, max_turns, best, trace = args
    return play_runs(
        _WORKER["scenario"], role, policy, seed, runs, max_turns, best, trace, _WORKER["players"]
    )


def _chunks(runs: int, jobs: int, policy: str) -> list[range]:
    """The runs of one role, cut into contiguous pieces for ``jobs`` processes."""
    if policy == "least-used" or jobs <= 1:  # least-used: each run depends on those before
        return [range(runs)]
    size = max(1, -(-runs // jobs))
    return [range(i, min(runs, i + size)) for i in range(0, runs, size)]


def play_all(
    scenario: Scenario,
    roles: list[str],
    runs: int,
    seed: int,
    policy: str,
    max_turns: int,
    best: BestOptions | None,
    trace: bool,
    jobs: int,
) -> dict[str, list[Chunk]]:
    """Every role's runs, on ``jobs`` processes: each role's pieces in run order, the same
    whatever ``jobs`` is (a run depends on its number alone)."""
    tasks = [
        (role, (role, policy, seed, r, max_turns, best, trace))
        for role in roles
        for r in _chunks(runs, jobs, policy)
    ]
    out: dict[str, list[Chunk]] = {role: [] for role in roles}
    workers = min(jobs, len(tasks))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for role, args in tasks:
            out[role].append(play_runs(scenario, *args))
        return out
    # fork: the workers inherit the loaded scenario (its compiled expressions do not pickle)
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, ctx, _init_worker, (scenario,)) as pool:
        for (role, _), chunk in zip(tasks, pool.map(_work, [a for _, a in tasks]), strict=True):
            out[role].append(chunk)
    return out


def playtest(
    scenario: Scenario,
    roles: list[str],
    runs: int,
    seed: int,
    policy: str,
    max_turns: int = DEFAULT_MAX_TURNS,
    failures_dir: Path | None = None,
    shrink: bool = True,
    best: BestOptions | None = None,
    jobs: int = 1,
    trace: list[str] | None = None,
) -> Playtest:
    """Play ``runs`` games of each role and report. ``jobs``: processes (the report is the
    same for any number); ``trace``: a list that gets each role's JSON Lines trace."""
    t0 = time.perf_counter()
    out: dict[str, RoleStats] = {}
    played = play_all(scenario, roles, runs, seed, policy, max_turns, best, trace is not None, jobs)
    for role in roles:
        stats = RoleStats(role, runs)
        stats.endings = dict.fromkeys(role_endings(scenario, role), 0)
        stats.outcomes = dict.fromkeys(OUTCOMES, 0)
        static = reachable_places(scenario, role)
        stats.scenes = {s: 0 for s in scenario.scenes if s in static}
        for sc in scenario.scenes.values():
            if sc.id in static:
                for c in sc.choices:
                    stats.choices[f"{sc.id}/{c.id}"] = 0
        visits_total: dict[str, int] = {}
        first_of_kind: dict[str, Failure] = {}
        broken: dict[Loc, int] = {}
        late: dict[str, Late] = {}
        for chunk in played[role]:
            for key, n in chunk.hits.items():
                stats.choices[key] = stats.choices.get(key, 0) + n
            for pid, n in chunk.visits.items():
                visits_total[pid] = visits_total.get(pid, 0) + n
            for loc, n in chunk.broken.items():
                broken[loc] = broken.get(loc, 0) + n
            if trace is not None:
                trace.append(chunk.trace)
            if chunk.best is not None and stats.best is None:
                stats.best = chunk.best
            for sid, got in chunk.late.items():
                late[sid] = add_late(late.get(sid), got)
            for run, game_seed, ending, turns, failure, choices in chunk.runs:
                if failure is None:
                    e = ending or ""
                    stats.endings[e] = stats.endings.get(e, 0) + 1
                    outcome = scenario.endings[e].outcome
                    stats.outcomes[outcome] = stats.outcomes.get(outcome, 0) + 1
                    stats.turns_total += turns
                    stats.finished += 1
                    continue
                kind, message = failure
                stats.failed[kind] = stats.failed.get(kind, 0) + 1
                if kind not in first_of_kind:
                    first_of_kind[kind] = Failure(run, game_seed, kind, message, choices or [])
        stats.claims = [(c, broken.get(c.loc, 0)) for c in scenario.claims()]
        if scenario.clock is not None and any(s.at for s in scenario.scenes.values()):
            stats.late = dict(sorted(late.items(), key=lambda kv: (-kv[1][0], kv[0])))
        for pid, n in visits_total.items():
            if pid in stats.scenes:
                stats.scenes[pid] = n
        shrinker = Shrinker(scenario, role)
        for f in first_of_kind.values():
            if f.kind == "turn-cap":
                replayed, stopped = Session.replay(scenario, role, f.seed, f.choices)
                if stopped is None and shrinker.trapped(replayed.state):
                    f.kind = "trap"
                    f.message = (
                        f"no ending after {max_turns} turns, and none can be reached "
                        "any more: a loop with no way out"
                    )
                else:
                    f.message += "; an ending could still be reached (a loop that is hard to leave)"
            if shrink and f.kind != "turn-cap":
                shrinker.shrink(f)
            if failures_dir is not None:
                keep = f.shrunk if f.shrunk is not None else f.choices
                if f.kind == "error":
                    keep = keep[:-1]  # the save stops just before the choice that fails
                session, _ = Session.replay(scenario, role, f.seed, keep)
                f.save = str(
                    SaveStore(failures_dir).write(
                        session, save_name(scenario, role, policy, f.kind), overwrite=True
                    )
                )
            stats.failures.append(f)
        out[role] = stats
    return Playtest(scenario, policy, runs, seed, max_turns, out, time.perf_counter() - t0)


def render_text(pt: Playtest) -> str:
    sc = pt.scenario
    lines = [
        f"Playtest of {sc.title} ({sc.id}): policy {pt.policy}, {pt.runs} runs per role, "
        f"seed {pt.seed}, turn cap {pt.max_turns}"
    ]
    for rid, r in pt.roles.items():
        j = r.to_json()
        lines.append("")
        avg = "no run ended" if j["avg_turns"] is None else f"average {j['avg_turns']} turns"
        lines.append(f"Role {rid} ({sc.roles[rid].name}): {avg}")
        lines.append("  endings:")
        for eid, n in sorted(r.endings.items(), key=lambda kv: (-kv[1], kv[0])):
            e = sc.endings[eid]
            lines.append(f"    {n:>6} {100 * n / max(1, r.runs):5.1f}%  {eid} ({e.outcome})")
        lines.append("  outcomes: " + ", ".join(f"{k} {v}" for k, v in r.outcomes.items()))
        if r.best is not None:
            lines.extend(best_lines(r))
        never = j["scenes_never_hit"]
        hit = len(r.scenes) - len(never)
        lines.append(
            f"  scenes hit: {hit}/{len(r.scenes)}"
            + (f"; never: {', '.join(never)}" if never else "")
        )
        unused = [k for k, n in r.choices.items() if n == 0]
        lines.append(
            f"  choices taken: {len(r.choices) - len(unused)}/{len(r.choices)}"
            + (
                f"; never: {', '.join(unused[:20])}" + (" ..." if len(unused) > 20 else "")
                if unused
                else ""
            )
        )
        if r.claims:
            bad = [(c, n) for c, n in r.claims if n]
            lines.append(
                f"  assumptions: {len(r.claims)}; broken in these games: {len(bad)} "
                "(a sample of games, not a proof: see brinkmanship explore)"
            )
            for c, n in bad:
                lines.append(
                    f"    {c.loc[0]}:{c.loc[1]}: {c.what} assumes {c.cond.source!r}, "
                    f"broken in {n} of {r.runs} runs"
                )
        if r.late is not None:
            lines.extend(late_lines(pt, rid, r))
        if r.failed:
            lines.append("  FAILED runs: " + ", ".join(f"{k} {v}" for k, v in r.failed.items()))
            for f in r.failures:
                lines.append(f"    run {f.run} (game seed {f.seed}), {f.kind}: {f.message}")
                if f.shrunk is not None:
                    lines.append(
                        f"      shortest failing choices ({len(f.shrunk)}"
                        + (", minimal" if f.minimal else "")
                        + "): "
                        + (" > ".join(f.shrunk) or "(none: it fails at the start)")
                    )
                if f.save:
                    lines.append(f"      saved as {f.save}")
    rate = pt.runs * len(pt.roles) / pt.seconds if pt.seconds else 0
    lines.append("")
    lines.append(
        f"{pt.runs * len(pt.roles)} playthroughs in {pt.seconds:.2f}s "
        f"({rate:,.0f}/s)." + (" Some runs FAILED (exit 1)." if pt.failed else "")
    )
    return "\n".join(lines)


def late_lines(pt: Playtest, rid: str, r: RoleStats) -> list[str]:
    """Timed scenes these games first reached more than an hour after their 'at'."""
    late = r.late or {}
    head = (
        f"  late scenes (first shown more than {SLACK_MINUTES} minutes after their 'at'): "
        + (f"{len(late)}" if late else "none")
        + " in these games (a sample, not a proof: validate's W014 looks for more)"
    )
    out = [head]
    for sid, (n, worst, run, seed) in late.items():
        loc = pt.scenario.scenes[sid].at_loc
        out.append(
            f"    {loc[0]}:{loc[1]}: {sid} in {n} of {r.runs} runs, up to "
            f"{worst / 60:.1f} h late (run {run}, game seed {seed})"
        )
    return out


def best_lines(r: RoleStats) -> list[str]:
    """What policy best found for a role, saying which method gave each figure."""
    b = r.best or {}
    goal = b.get("goal", "")
    good = sum(n for o, n in r.outcomes.items() if OUTCOMES.index(o) >= OUTCOMES.index(goal))
    share = f"{100 * good / max(1, r.runs):.1f}%"
    if "best_achievable" in b:
        figures = ", ".join(f"{k}+ {100 * v:.1f}%" for k, v in b["best_achievable"].items())
        return [
            f"  best achievable (exact, value iteration, {b['states']} states): {figures}",
            f"  policy best (goal {goal} or better): {share} of these runs",
        ]
    why = f"; {b['why_estimate']}" if b.get("why_estimate") else ""
    return [
        f"  policy best (goal {goal} or better): {share} of these runs: "
        f"{b['method']}, rollouts play {b['rollout_policy']}{why}"
    ]


def render_comparison(tests: list[Playtest]) -> str:
    """A table of outcome shares per policy, for several playtests of the same scenario."""
    if not tests:
        return ""
    lines = ["", "How the policies fare (share of runs per outcome):"]
    cols = [*OUTCOMES, "failed", "turns"]
    w = max(12, *(len(pt.policy) + 1 for pt in tests))  # a mix's name can be long
    for rid in tests[0].roles:
        lines.append(f"  role {rid}:")
        lines.append("    " + "policy".ljust(w) + "".join(f"{c[:11]:>12}" for c in cols))
        for pt in tests:
            r = pt.roles[rid]
            cells = [f"{100 * r.outcomes.get(o, 0) / max(1, r.runs):.1f}%" for o in OUTCOMES]
            cells.append(str(sum(r.failed.values())))
            avg = r.to_json()["avg_turns"]
            cells.append("-" if avg is None else f"{avg:.1f}")
            lines.append("    " + pt.policy.ljust(w) + "".join(f"{c:>12}" for c in cells))
    return "\n".join(lines)
