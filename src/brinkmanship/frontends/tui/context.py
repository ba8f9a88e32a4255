"""What every screen may use: where saves and data live, which scenarios to offer. No Textual."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from brinkmanship.format import catalog
from brinkmanship.runtime.settings import Settings
from brinkmanship.runtime.store import SaveStore

if TYPE_CHECKING:
    from brinkmanship.runtime.gallery import Gallery


@dataclass
class Context:
    """Shared by the app and its screens (screens never reach into the app itself)."""

    saves: SaveStore
    data_dir: Path
    watch: bool = False
    scenario_paths: list[Path] | None = None  # None: the bundled scenarios
    settings: Settings = field(default_factory=Settings)

    def entries(self) -> list[catalog.Entry]:
        """The scenarios offered for a new game."""
        if self.scenario_paths is None:
            return catalog.bundled()
        return [e for e in map(catalog.entry_for, self.scenario_paths) if e is not None]

    def gallery(self) -> Gallery:
        from brinkmanship.runtime.gallery import Gallery

        return Gallery(self.data_dir)
