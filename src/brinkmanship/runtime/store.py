"""Where games are kept: the save and data folders, named saves, autosaves, the save list.

Every game has its own autosave (named after its game id), so starting a new game
never replaces an earlier one; the oldest autosaves beyond ``keep`` are pruned. A
named save is created exclusively: when two writers race for one new name, exactly
one wins and the other is told the name is taken.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from brinkmanship.format import catalog
from brinkmanship.format.errors import BrinkError
from brinkmanship.format.textsafe import inert
from brinkmanship.runtime.atomic import write_atomic, write_new

if TYPE_CHECKING:  # the save format and the engine load when a save is read or written,
    # not to open the main menu (see benchmarks/bench_start.py)
    from brinkmanship.runtime.savefile import SaveFile
    from brinkmanship.runtime.session import Session

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$")
DEFAULT_KEEP = 50


def data_dir(override: str | Path | None = None) -> Path:
    """``--data-dir``, else ``BRINKMANSHIP_DATA_DIR``, else the user data folder."""
    if override:
        return Path(override)
    env = os.environ.get("BRINKMANSHIP_DATA_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("brinkmanship", appauthor=False))


def save_dir(override: str | Path | None = None, data: str | Path | None = None) -> Path:
    """``--save-dir``, else ``BRINKMANSHIP_SAVE_DIR``, else the data folder's ``saves``
    (``data`` being ``--data-dir``, if given)."""
    if override:
        return Path(override)
    env = os.environ.get("BRINKMANSHIP_SAVE_DIR")
    if env:
        return Path(env)
    return data_dir(data) / "saves"


def config_dir(data: str | Path | None = None) -> Path:
    """Where settings are kept: ``BRINKMANSHIP_CONFIG_DIR``; else, when a data folder was
    chosen (``--data-dir`` or ``BRINKMANSHIP_DATA_DIR``), that folder, so that choosing the
    save and data folders keeps every file the game writes inside them; else the user
    config folder."""
    env = os.environ.get("BRINKMANSHIP_CONFIG_DIR")
    if env:
        return Path(env)
    if data or os.environ.get("BRINKMANSHIP_DATA_DIR"):
        return data_dir(data)
    import platformdirs

    return Path(platformdirs.user_config_dir("brinkmanship", appauthor=False))


def check_name(name: str) -> str:
    """A save name, or a BrinkError saying why it cannot be one (no paths, no dots first)."""
    from brinkmanship.runtime.savefile import AUTOSAVE_PREFIX

    name = name.strip()
    if name.endswith(".yaml"):
        name = name[:-5]
    if not NAME_RE.fullmatch(name) or name.endswith("."):
        raise BrinkError(
            f"bad save name {name!r}: use up to 64 letters, digits, spaces, "
            "'_', '-' and '.', starting with a letter or digit"
        )
    if name.lower().startswith(AUTOSAVE_PREFIX):
        raise BrinkError(
            f"bad save name {name!r}: names starting with {AUTOSAVE_PREFIX!r} "
            "are kept for autosaves; choose another"
        )
    return name


def autosave_name(session: Session) -> str:
    from brinkmanship.runtime.savefile import AUTOSAVE_PREFIX

    return f"{AUTOSAVE_PREFIX}{session.game_id}"


def is_bundled(path: Path) -> bool:
    """Whether a scenario that loaded from ``path`` is a bundled one: a main file where
    the catalogue looks for them (``catalog.bundled`` would read them all to say so)."""
    root = catalog.bundled_dir().resolve()
    path = path.resolve()
    return path.suffix == ".yaml" and (
        path.parent == root or (path.name == "scenario.yaml" and path.parent.parent == root)
    )


def save_file(session: Session, name: str) -> SaveFile:
    """What a save of ``session`` under ``name`` contains."""
    from brinkmanship.runtime.savefile import SaveFile, ScenarioRef, Summary, TurnRecord
    from brinkmanship.runtime.session import now
    from brinkmanship.runtime.views import clock, time_shown

    sc = session.scenario
    st = session.state
    bundled = is_bundled(Path(sc.path))
    last = ""
    if session.turns:
        t = session.turns[-1]
        scene = sc.scenes.get(t.scene)
        last = next((c.text for c in scene.choices if c.id == t.choice), "") if scene else ""
    ending = sc.endings.get(st.ending or "")
    summary = Summary(
        role_name=sc.roles[session.role].name,
        when=time_shown(sc, st, session.role) or clock(sc, st, session.role).text,
        last_choice=last,
        ending=st.ending or "",
        ending_title=ending.title if ending else "",
        outcome=ending.outcome if ending else "",
        scene=st.scene,
        vars=dict(st.vars),
    )
    return SaveFile(
        name=name,
        scenario=ScenarioRef(sc.id, sc.title, sc.content_hash, "bundled" if bundled else sc.path),
        role=session.role,
        seed=session.seed,
        choices=session.choices,
        turns=tuple(
            TurnRecord(t.number, t.scene, t.choice, t.stance, t.check) for t in session.turns
        ),
        check=session.check,
        summary=summary,
        game_id=session.game_id,
        created=session.created,
        saved=now(),
    )


@dataclass(frozen=True, slots=True)
class SaveInfo:
    """One entry of the save list: a readable save, or a file that is not one and why."""

    path: Path
    name: str
    save: SaveFile | None
    mtime: float
    error: str = ""


class SaveStore:
    """The saves of one folder."""

    def __init__(self, directory: Path, keep: int = DEFAULT_KEEP) -> None:
        self.directory = directory
        self.keep = keep

    def path_for(self, name: str) -> Path:
        return self.directory / f"{name}.yaml"

    def resolve(self, ref: str) -> Path:
        """A save given by name (in this folder) or by path."""
        p = Path(ref)
        if catalog.is_file(p) or "/" in ref or ref.endswith(".yaml"):
            return p
        return self.path_for(ref)

    def exists(self, name: str) -> bool:
        return self.path_for(check_name(name)).exists()

    def _ready(self) -> None:
        d = self.directory
        if d.exists() and not d.is_dir():
            raise BrinkError(
                f"the save folder {d} is a file, not a folder: remove it or "
                "choose another with --save-dir"
            )
        d.mkdir(parents=True, exist_ok=True)

    def write(self, session: Session, name: str, overwrite: bool = False) -> Path:
        """Write a named save; refuse to replace an existing one unless ``overwrite``."""
        name = check_name(name)
        self._ready()
        path = self.path_for(name)
        text = save_file(session, name).to_text()
        if overwrite:
            write_atomic(path, text)
        elif not write_new(path, text):
            raise BrinkError(
                f"a save named {name!r} already exists; choose another name or "
                "overwrite it explicitly"
            )
        return path

    def autosave(self, session: Session) -> Path:
        """Write (and replace) this game's own autosave, then prune old autosaves."""
        self._ready()
        path = self.path_for(autosave_name(session))
        write_atomic(path, save_file(session, autosave_name(session)).to_text())
        self.prune(keep_path=path)
        return path

    def autosave_text(self, session: Session) -> tuple[Path, str]:
        """The path and text of this game's autosave (for writing it elsewhere, later)."""
        return (
            self.path_for(autosave_name(session)),
            save_file(session, autosave_name(session)).to_text(),
        )

    def prune(self, keep_path: Path | None = None) -> None:
        """Delete the oldest autosaves beyond ``keep`` (never ``keep_path``)."""
        from brinkmanship.runtime.savefile import AUTOSAVE_PREFIX

        autos = sorted(
            (p for p in self._files() if p.name.startswith(AUTOSAVE_PREFIX)),
            key=_mtime,
            reverse=True,
        )
        for p in autos[self.keep :]:
            if p != keep_path:
                with contextlib.suppress(OSError):
                    self.delete(p)

    def _files(self) -> list[Path]:
        try:
            return [p for p in self.directory.glob("*.yaml") if not p.name.startswith(".")]
        except OSError:
            return []

    def list(self) -> list[SaveInfo]:
        """Saves in the folder, newest first; files that are not saves are listed with why."""
        out: list[SaveInfo] = []
        files = self._files() if self.directory.is_dir() else []
        if not files:  # nothing to read: the save format need not even be loaded
            return out
        from brinkmanship.runtime.savefile import read

        for p in files:
            try:
                s = read(p)
                out.append(SaveInfo(p, s.name, s, _mtime(p)))
            except BrinkError as exc:
                out.append(SaveInfo(p, p.stem, None, _mtime(p), inert(str(exc))))
            except (OSError, ValueError, RecursionError, MemoryError) as exc:
                out.append(
                    SaveInfo(p, p.stem, None, _mtime(p), f"{p}: unreadable ({type(exc).__name__})")
                )
        out.sort(key=lambda i: i.mtime, reverse=True)
        return out

    def latest_autosave(self) -> SaveInfo | None:
        for info in self.list():
            if info.save is not None and info.save.is_autosave:
                return info
        return None

    def read(self, ref: str) -> SaveFile:
        from brinkmanship.runtime.savefile import read

        return read(self.resolve(ref))

    def delete(self, path: Path) -> None:
        path.unlink(missing_ok=True)
        path.with_name(path.name + ".bak").unlink(missing_ok=True)


def _mtime(p: Path) -> float:
    try:
        return p.stat().st_mtime
    except OSError:
        return 0.0
