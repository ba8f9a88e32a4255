"""Where scenarios live: the bundled ones, found by id, or any file by path."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from brinkmanship.format.errors import BrinkError


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
    description: str = ""  # the scenario's own words, paragraphs apart, not yet rendered

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
    from brinkmanship.format.yamlsrc import parse_yaml, read_text  # not to open the menu

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
    desc = node.get("description")
    parts = [desc] if desc is not None and desc.kind == "scalar" else []
    if desc is not None and desc.kind == "seq":
        parts = [p for p in desc.value if p.kind == "scalar"]
    text = "\n\n".join(str(p.value).strip() for p in parts if isinstance(p.value, str))
    title_text = title.raw if title is not None else ""
    return Entry(sid.raw, title_text, role_ids, path, tuple(names), text)


def bundled() -> list[Entry]:
    """The bundled scenarios, the flagship first."""
    entries = [e for e in map(entry_for, _candidates(bundled_dir())) if e is not None]
    return sorted(entries, key=lambda e: e.id != FLAGSHIP)


def _is_dir(path: str | Path) -> bool:
    try:
        return Path(path).is_dir()
    except (OSError, ValueError):
        return False


def is_file(path: str | Path) -> bool:
    """``Path.is_file``, but False for names no file can have (too long, a NUL byte)."""
    try:
        return Path(path).is_file()
    except (OSError, ValueError):
        return False


_MAIN_KEYS = re.compile(r"^(format|id)[ \t]*:", re.M)


def is_main_file(path: Path) -> bool:
    """Whether a YAML file looks like a scenario's main file ('format:' and 'id:' at its
    top level), read from its text, so that a main file with a YAML mistake still counts."""
    try:
        with path.open("rb") as fh:
            head = fh.read(256 * 1024).decode("utf-8", "replace")
    except OSError:
        return False
    return {m.group(1) for m in _MAIN_KEYS.finditer(head)} == {"format", "id"}


def main_file(folder: Path) -> Path:
    """The main file of a scenario folder: scenario.yaml, or the one main file there."""
    if is_file(folder / "scenario.yaml"):
        return folder / "scenario.yaml"
    try:
        yamls = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
    except OSError as exc:
        raise BrinkError(f"{folder}: cannot read the folder: {exc.strerror}") from None
    mains = [p for p in yamls if is_file(p) and is_main_file(p)]
    if len(mains) == 1:
        return mains[0]
    if mains:
        raise BrinkError(
            f"{folder} holds {len(mains)} scenario main files: "
            + ", ".join(p.name for p in mains[:10])
            + "; give the one you mean, e.g. "
            + str(mains[0])
        )
    listed = (
        "; its YAML files: " + ", ".join(p.name for p in yamls[:10])
        if yamls
        else " (no YAML files)"
    )
    raise BrinkError(
        f"{folder} holds no scenario main file (a file with 'format:' and 'id:' at the top){listed}"
    )


def find(ref: str) -> Path:
    """A scenario path from a path or a bundled id; a folder's main file for a folder."""
    if os.sep in ref or ref.endswith((".yaml", ".yml")) or is_file(ref) or _is_dir(ref):
        p = Path(ref)
        if _is_dir(p):
            return main_file(p)
        return p
    entries = bundled()
    for e in entries:
        if e.id == ref:
            return e.path
    from brinkmanship.format.spec import suggest

    known = [e.id for e in entries]
    raise BrinkError(
        f"no scenario {ref!r}"
        + suggest(ref, known)
        + ("; bundled: " + ", ".join(known) if known else "")
        + " (give a path to a .yaml file to play your own)"
    )
