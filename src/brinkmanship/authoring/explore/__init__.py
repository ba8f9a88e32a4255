"""Exhaustive search of a scenario's games: reachable endings, stuck states, loops, witnesses.

``search`` builds the state graph of a role; ``problems`` reads traps off a complete
graph; ``witnesses`` finds real games (seed and choices) for what was found; ``report``
puts the roles together and writes the verdicts.
"""

from brinkmanship.authoring.explore.report import DEFAULT_BOUNDED, Report, explore, render_text
from brinkmanship.authoring.explore.search import DEFAULT_MAX_STATES, RoleResult, explore_role
from brinkmanship.authoring.explore.witnesses import (
    WITNESS_SEEDS,
    find_witness,
    replay_path,
    seeded_search,
)

__all__ = [
    "DEFAULT_BOUNDED",
    "DEFAULT_MAX_STATES",
    "WITNESS_SEEDS",
    "Report",
    "RoleResult",
    "explore",
    "explore_role",
    "find_witness",
    "render_text",
    "replay_path",
    "seeded_search",
]
