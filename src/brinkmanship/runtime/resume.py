"""A save file back into a game: find its scenario, replay its choices, say where it diverges."""

from __future__ import annotations

from dataclasses import dataclass

from brinkmanship.format import catalog
from brinkmanship.format.errors import GameError, SaveError
from brinkmanship.format.loader import load_scenario
from brinkmanship.format.model import Scenario
from brinkmanship.runtime.savefile import SaveFile
from brinkmanship.runtime.session import Divergence, Session


def scenario_for(save: SaveFile, override: str | None = None) -> Scenario:
    """The scenario a save was made with: ``override``, the recorded path, or the bundled id."""
    if override:
        return load_scenario(str(catalog.find(override)))
    source = save.scenario.source
    if source not in ("", "bundled") and catalog.is_file(source):
        return load_scenario(source)
    return load_scenario(str(catalog.find(save.scenario.id)))


@dataclass(slots=True)
class Resumed:
    session: Session
    save: SaveFile
    scenario_changed: bool
    divergence: Divergence | None = None

    @property
    def ok(self) -> bool:
        return self.divergence is None

    def summary(self) -> str:
        lines = []
        if self.scenario_changed:
            lines.append("note: the scenario has changed since this game was saved")
        d = self.divergence
        if d is None:
            lines.append(f"replays: {self.save.turn} turns reproduce")
        else:
            lines.append(f"diverges at turn {d.turn}: {d.reason}")
        return "\n".join(lines)


def resume(save: SaveFile, scenario: Scenario) -> Resumed:
    """Replay ``save`` on ``scenario``, checking every turn against what was recorded.

    The game keeps its id when the save is its autosave (continuing it writes the same
    autosave); any other save starts a new game from that point, so continuing an older
    save never replaces the later autosave of the same game.
    """
    if scenario.id != save.scenario.id:
        raise SaveError(
            f"{save.path}: this save is for scenario {save.scenario.id!r}, not {scenario.id!r}"
        )
    if save.role not in scenario.roles:
        raise SaveError(f"{save.path}: scenario {scenario.id!r} has no role {save.role!r}")
    try:
        session, divergence = Session.replay(
            scenario,
            save.role,
            save.seed,
            save.choices,
            save.checks,
            legacy_checks=save.version == 1,
            game_id=save.game_id if save.is_autosave else "",
            created=save.created,
        )
    except GameError as exc:
        raise SaveError(f"{save.path}: {exc}") from None
    if divergence is None and save.check:
        final = session.state.digest() if save.version == 1 else session.check
        if final != save.check:
            divergence = Divergence(
                max(1, save.turn), "the final state differs from the one recorded"
            )
    if divergence is None and save.summary.vars and save.summary.vars != session.state.vars:
        divergence = Divergence(
            max(1, save.turn), "the final variables differ from the ones recorded"
        )
    changed = bool(save.scenario.hash) and save.scenario.hash != scenario.content_hash
    return Resumed(session, save, changed, divergence)
