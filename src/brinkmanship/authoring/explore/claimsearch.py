"""Claims ('assume') the static analysis leaves open, looked for in real games.

Kept apart from :mod:`brinkmanship.authoring.claims` (which the searches use) so that
the claims and the searches do not import each other.
"""

from __future__ import annotations

from brinkmanship.authoring.claims import (
    CONFIRM_STATES,
    EXHAUSTIVE,
    SEARCH,
    ClaimVerdict,
    static_verdicts,
)
from brinkmanship.authoring.explore.search import explore_role
from brinkmanship.authoring.static import Facts
from brinkmanship.format.model import Scenario


def claim_verdicts(sc: Scenario, facts: Facts, states: int = CONFIRM_STATES) -> list[ClaimVerdict]:
    """Every claim's verdict: the static analysis, then (for what it leaves possible) a
    search of up to ``states`` states a role for a game that breaks it."""
    out = static_verdicts(sc, facts)
    open_ = {loc for loc, v in out.items() if v.verdict == "possible"}
    if open_ and states > 0:
        complete = True
        seen = 0
        for rid in sc.roles:
            r = explore_role(sc, rid, states, analyse=False)
            complete = complete and r.complete and not r.errors
            seen = max(seen, r.states)
            for loc, (_, path) in r.claims_failed.items():
                if loc in open_ and out[loc].verdict == "possible":
                    how = EXHAUSTIVE if r.complete else SEARCH
                    out[loc] = ClaimVerdict(
                        out[loc].claim,
                        "confirmed",
                        how,
                        rid,
                        tuple(path),
                        out[loc].values,
                        r.states,
                    )
        for loc in open_:
            v = out[loc]
            if v.verdict == "possible":
                v.states = seen
                if complete:
                    out[loc] = ClaimVerdict(v.claim, "holds", EXHAUSTIVE, states=seen)
    return sorted(out.values(), key=lambda v: v.claim.loc)
