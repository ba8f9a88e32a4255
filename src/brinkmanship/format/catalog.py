"""Where scenarios live: the bundled ones, found by id, or any file by path."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from brinkmanship.format.errors import BrinkError
from brinkmanship.format.spec import suggest
from brinkmanship.format.yamlsrc import parse_yaml, read_text


def bundled_dir() -> Path:
    """The bundled scenarios: inside the wheel, or the repo's top-level folder when editable."""
    packaged = Path(str(resources.files("brinkmanship"))) / "scenarios"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "scenarios"


FLAGSHIP = "thirteen-days"  # offered first, and played when no scenario is named


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    title: str
    roles: tuple[str, ...]
    path: Path
    role_names: tuple[str, ...] = ()  # as the player sees them, in the order of ``roles``

    @property
    def shown_roles(self) -> tuple[str, ...]:
        return self.role_names or self.roles


def _candidates(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    files = sorted(p for p in root.glob("*.yaml") if p.is_file())
    files += sorted(p for p in root.glob("*/scenario.yaml") if p.is_file())
    return files


def entry_for(path: Path) -> Entry | None:
    """The catalogue entry of a scenario file, or None if it is not one (or unreadable)."""
    try:
        return _entry(path, path.stat().st_mtime)
    except OSError:
        return None


@cache
def _entry(path: Path, mtime: float) -> Entry | None:
    try:
        node = parse_yaml(read_text(str(path)), str(path))
    except BrinkError:
        return None
    sid = node.get("id")
    if node.kind != "map" or node.get("format") is None or sid is None:
        return None
    title = node.get("title")
    roles = node.get("roles")
    pairs = list(roles.items()) if roles is not None and roles.kind == "map" else []
    role_ids = tuple(str(k.raw) for k, _ in pairs)
    names = []
    for k, v in pairs:
        name = v.get("name") if v.kind == "map" else None
        names.append(str(name.value) if name is not None and name.kind == "scalar" else str(k.raw))
    return Entry(sid.raw, title.raw if title is not None else "", role_ids, path, tuple(names))


def bundled() -> list[Entry]:
    """The bundled scenarios, the flagship first."""
    entries = [e for e in map(entry_for, _candidates(bundled_dir())) if e is not None]
    return sorted(entries, key=lambda e: e.id != FLAGSHIP)


def is_file(path: str | Path) -> bool:
    """``Path.is_file``, but False for names no file can have (too long, a NUL byte)."""
    try:
        return Path(path).is_file()
    except (OSError, ValueError):
        return False


def find(ref: str) -> Path:
    """A scenario path from a path or a bundled id."""
    if os.sep in ref or ref.endswith((".yaml", ".yml")) or is_file(ref):
        p = Path(ref)
        if is_file(p / "scenario.yaml"):
            return p / "scenario.yaml"
        return p
    entries = bundled()
    for e in entries:
        if e.id == ref:
            return e.path
    known = [e.id for e in entries]
    raise BrinkError(
        f"no scenario {ref!r}"
        + suggest(ref, known)
        + ("; bundled: " + ", ".join(known) if known else "")
        + " (give a path to a .yaml file to play your own)"
    )
