"""The player's settings, kept as ``settings.json`` in the config folder.

Like every file the game reads, it is untrusted: read with a size limit, each value
checked, and anything unusable replaced by its default (with one warning), never a crash.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from brinkmanship.format.errors import BrinkError
from brinkmanship.format.jsondata import read_json
from brinkmanship.runtime.atomic import write_atomic

FILE = "settings.json"
MAX_BYTES = 64 * 1024
DEFAULT_THEME = "brinkmanship-1962"
MAX_KEEP = 1000


@dataclass(frozen=True, slots=True)
class Settings:
    theme: str = DEFAULT_THEME
    reduced_motion: bool = False
    keep_autosaves: int = 50  # the autosaves of the latest games kept
    stance_tags: bool = True  # show each choice's stance (escalate, hold...)

    def checked(self) -> Settings:
        """These settings with every value in range (a bad one back to its default)."""
        d = Settings()
        theme = self.theme if isinstance(self.theme, str) and 0 < len(self.theme) <= 64 else d.theme
        keep = self.keep_autosaves
        if not isinstance(keep, int) or isinstance(keep, bool) or not 1 <= keep <= MAX_KEEP:
            keep = d.keep_autosaves
        return Settings(
            theme,
            self.reduced_motion if isinstance(self.reduced_motion, bool) else d.reduced_motion,
            keep,
            self.stance_tags if isinstance(self.stance_tags, bool) else d.stance_tags,
        )


def load(directory: Path) -> tuple[Settings, str]:
    """The settings in ``directory`` (defaults if there are none) and a warning, if any."""
    path = directory / FILE
    if not path.exists():
        return Settings(), ""
    try:
        data = read_json(str(path), MAX_BYTES, 2)
    except (BrinkError, ValueError) as exc:
        return (
            Settings(),
            f"The settings could not be read ({str(exc).splitlines()[0]}); using the defaults.",
        )
    if not isinstance(data, dict):
        return Settings(), "The settings file is not a mapping; using the defaults."
    known = {f.name for f in fields(Settings)}
    s = replace(Settings(), **{k: v for k, v in data.items() if k in known}).checked()
    return s, ""


def save(directory: Path, settings: Settings) -> Path:
    path = directory / FILE
    directory.mkdir(parents=True, exist_ok=True)
    write_atomic(
        path, json.dumps(asdict(settings.checked()), indent=2, sort_keys=True), backup=False
    )
    return path
