"""The endings a player has found, kept in the user data dir."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from brinkmanship.atomic import write_atomic


def _file(directory: Path) -> Path:
    return directory / "endings.json"


def found(directory: Path) -> dict[str, dict[str, list[str]]]:
    """{scenario id: {role: [ending ids]}}; an unreadable file counts as empty."""
    try:
        data: Any = json.loads(_file(directory).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    out: dict[str, dict[str, list[str]]] = {}
    for sid, roles in data.items():
        if isinstance(roles, dict):
            out[str(sid)] = {str(r): [str(e) for e in ends if isinstance(e, str)]
                             for r, ends in roles.items() if isinstance(ends, list)}
    return out


def record(directory: Path, scenario_id: str, role: str, ending_id: str) -> bool:
    """Remember an ending; True when it is new."""
    data = found(directory)
    ends = data.setdefault(scenario_id, {}).setdefault(role, [])
    if ending_id in ends:
        return False
    ends.append(ending_id)
    write_atomic(_file(directory), json.dumps(data, indent=2, sort_keys=True), backup=False)
    return True
