"""Who a browser player is, and which folders are theirs.

A player is a random token kept in a cookie. Their folders are named by a hash of
the token, so the folder names on the server do not reveal anyone's token, and
nothing a browser sends is ever used as a path.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

COOKIE = "brinkmanship_player"
_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)


def new_token() -> str:
    """A new player id: 256 random bits, not guessable."""
    return secrets.token_urlsafe(32)


def valid_token(value: str | None) -> str | None:
    """The token if ``value`` is one this server could have made, else None."""
    if value is not None and _TOKEN_RE.fullmatch(value):
        return value
    return None


@dataclass(frozen=True, slots=True)
class PlayerSpace:
    """One player's folders: saves, the endings gallery and settings."""

    root: Path

    @property
    def saves(self) -> Path:
        return self.root / "saves"

    @property
    def data(self) -> Path:
        return self.root / "data"

    def environment(self) -> dict[str, str]:
        """What the game's process needs to write only here (its settings included)."""
        return {
            "BRINKMANSHIP_SAVE_DIR": str(self.saves),
            "BRINKMANSHIP_DATA_DIR": str(self.data),
            "HOME": str(self.root / "home"),
            "XDG_CONFIG_HOME": str(self.root / "config"),
            "XDG_DATA_HOME": str(self.root / "xdg-data"),
            "XDG_CACHE_HOME": str(self.root / "cache"),
            "XDG_STATE_HOME": str(self.root / "state"),
        }

    def create(self) -> None:
        for value in self.environment().values():
            Path(value).mkdir(parents=True, exist_ok=True, mode=0o700)


def space_for(base: Path, token: str) -> PlayerSpace:
    """The folders of the player with ``token`` (a valid token) under ``base``."""
    digest = hashlib.sha256(token.encode("ascii")).hexdigest()[:32]
    return PlayerSpace(base / "players" / digest)
