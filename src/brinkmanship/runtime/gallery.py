"""The endings a player has found, kept in the data folder as ``endings.json``.

The file is untrusted like any other: it is read with a size limit, its shape is
checked, and a file that cannot be used is set aside as ``endings.json.broken``
(with one warning) instead of stopping the game.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from brinkmanship.format.errors import BrinkError
from brinkmanship.format.jsondata import read_json
from brinkmanship.format.spec import ID_RE
from brinkmanship.runtime.atomic import write_atomic

FILE = "endings.json"
MAX_BYTES = 1024 * 1024
MAX_DEPTH = 4  # {scenario: {role: [ending, ...]}}

Found = dict[str, dict[str, list[str]]]


def _shape(data: Any) -> Found:
    if not isinstance(data, dict):
        raise ValueError("not a mapping")
    out: Found = {}
    for sid, roles in data.items():
        if not isinstance(roles, dict) or not ID_RE.fullmatch(str(sid)):
            raise ValueError("bad scenario entry")
        out[str(sid)] = {}
        for rid, ends in roles.items():
            if not isinstance(ends, list) or not ID_RE.fullmatch(str(rid)):
                raise ValueError("bad role entry")
            out[str(sid)][str(rid)] = [e for e in ends if isinstance(e, str) and ID_RE.fullmatch(e)]
    return out


class Gallery:
    """The endings found, per scenario and role."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / FILE
        self.warning = ""  # set when a broken file was set aside

    def found(self) -> Found:
        """{scenario id: {role: [ending ids]}}; a missing file counts as empty."""
        if not self.path.exists():
            return {}
        try:
            return _shape(read_json(str(self.path), MAX_BYTES, MAX_DEPTH))
        except (BrinkError, ValueError) as exc:
            self._set_aside(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            return {}

    def _set_aside(self, why: str) -> None:
        broken = self.path.with_name(FILE + ".broken")
        with contextlib.suppress(OSError):
            os.replace(self.path, broken)
        self.warning = (
            f"The endings gallery could not be read ({why}); it was set aside as "
            f"{broken.name} and starts afresh."
        )

    def record(self, scenario_id: str, role: str, ending_id: str) -> bool:
        """Remember an ending; True when it is new."""
        data = self.found()
        ends = data.setdefault(scenario_id, {}).setdefault(role, [])
        if ending_id in ends:
            return False
        ends.append(ending_id)
        write_atomic(self.path, json.dumps(data, indent=2, sort_keys=True), backup=False)
        return True
