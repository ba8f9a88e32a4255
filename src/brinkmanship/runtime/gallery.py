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
from brinkmanship.format.spec import ID_RE
from brinkmanship.format.yamlsrc import Limits, read_text
from brinkmanship.runtime.atomic import write_atomic

FILE = "endings.json"
LIMITS = Limits(max_bytes=1024 * 1024)
MAX_DEPTH = 4  # {scenario: {role: [ending, ...]}}

Found = dict[str, dict[str, list[str]]]


def _depth(text: str) -> int:
    """How deeply brackets nest in ``text`` (strings ignored), without parsing it."""
    depth = most = 0
    in_str = escaped = False
    for ch in text:
        if in_str:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            most = max(most, depth)
        elif ch in "]}":
            depth -= 1
    return most


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
            text = read_text(str(self.path), LIMITS)
            if _depth(text) > MAX_DEPTH:
                raise ValueError("nested too deeply")
            return _shape(json.loads(text))
        except (BrinkError, ValueError, RecursionError) as exc:
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
