"""What screens ask of the app: each a dataclass Message that bubbles up to it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from brinkmanship.format.model import Scenario
    from brinkmanship.runtime.savefile import SaveFile
    from brinkmanship.runtime.session import Session


@dataclass
class ShowGame(Message):
    """Show this game: its current turn, or its ending screen if it is over (and with
    ``autosave``, write its autosave once it is on the screen: a new game's first)."""

    session: Session
    note: str = ""
    autosave: bool = False


@dataclass
class NewGame(Message):
    """Open the new-game screen (at the role step when a scenario is given; ``scenario``
    is that scenario already loaded, if it is)."""

    scenario_path: str | None = None
    seed: int | None = None
    role: str | None = None
    scenario: Scenario | None = None


@dataclass
class OpenReplay(Message):
    """Open the replay viewer on a game, or on a save (replayed first)."""

    session: Session | None = None
    save: SaveFile | None = None
    name: str = ""
    note: str = ""


@dataclass
class LoadSave(Message):
    """Open a save file: as a game to continue, or in the replay viewer."""

    path: Path
    replay: bool = False


@dataclass
class Autosave(Message):
    """Write a game's autosave (its text taken when the message was made) in the background."""

    path: Path
    text: str


@dataclass
class OpenGallery(Message):
    pass


@dataclass
class ToMenu(Message):
    pass


@dataclass
class OpenSettings(Message):
    """Open the settings; the app applies and saves them."""
