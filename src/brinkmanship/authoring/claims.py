"""What each 'assume' (format 2) is known to be, and by which method.

The static analysis (:mod:`brinkmanship.authoring.static`) gives, for every claim, the
truth values it can have wherever its text is shown, in every game at once:

- only true: it holds on every path ("holds", proved by static analysis);
- only false: every game that shows the text breaks it ("broken", proved by static
  analysis; the path given is a way there on the scene graph);
- both: it *may* be broken. A short exhaustive search of real games then looks for
  one that breaks it ("confirmed", with the path that does), proves it holds if the
  search sees every state ("holds", exhaustive search), or leaves it "possible" (not
  broken in the states seen: a sample, not a proof).
"""

from __future__ import annotations

from dataclasses import dataclass

from brinkmanship.authoring.static import Facts
from brinkmanship.format.model import Claim, Scenario

STATIC = "static analysis"
EXHAUSTIVE = "exhaustive search"
SEARCH = "search"
CONFIRM_STATES = 400  # states a role the confirming search may visit (validate)


@dataclass
class ClaimVerdict:
    """One claim's verdict: "holds", "broken", "confirmed" or "possible" (see module)."""

    claim: Claim
    verdict: str
    method: str
    role: str = ""
    path: tuple[str, ...] = ()
    values: str = ""  # for which values it fails (static analysis), in words
    states: int = 0  # states the search visited, when one ran

    @property
    def holds(self) -> bool | None:
        """True: proved on every path; False: a path breaks it; None: not known."""
        return {"holds": True, "broken": False, "confirmed": False}.get(self.verdict)


def static_verdicts(sc: Scenario, facts: Facts) -> dict[tuple[str, int, int], ClaimVerdict]:
    """Each claim's verdict from the static analysis alone ("possible" where it cannot
    decide)."""
    out: dict[tuple[str, int, int], ClaimVerdict] = {}
    for claim in sc.claims():
        v = ClaimVerdict(claim, "holds", STATIC)
        for rid, r in facts.roles.items():
            got = r.claims.get(claim.loc)
            if got is None or False not in got.truth:
                continue
            path = tuple(r.path(got.place))
            verdict = "broken" if True not in got.truth else "possible"
            if v.verdict == "holds" or (verdict == "broken" and v.verdict == "possible"):
                v = ClaimVerdict(claim, verdict, STATIC, rid, path, got.values)
        out[claim.loc] = v
    return out
