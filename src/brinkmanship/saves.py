"""Saved games: human-readable YAML, written atomically, checked by replaying them."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from brinkmanship import __version__, catalog
from brinkmanship.atomic import write_atomic
from brinkmanship.engine import Engine, Game
from brinkmanship.errors import BrinkError, GameError, SaveError, ScenarioError
from brinkmanship.loader import load_scenario
from brinkmanship.model import Scenario
from brinkmanship.spec import ID_RE
from brinkmanship.textsafe import inert
from brinkmanship.yamlsrc import Limits, parse_yaml, read_text

SAVE_FORMAT = 1
SAVE_LIMITS = Limits(max_bytes=2 * 1024 * 1024, max_depth=16, max_nodes=200_000)
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$")
MAX_CHOICES = 10_000


def data_dir() -> Path:
    """The user's data folder (endings gallery, saves by default)."""
    override = os.environ.get("BRINKMANSHIP_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("brinkmanship", appauthor=False))


def save_dir(override: str | None = None) -> Path:
    """``--save-dir``, else ``BRINKMANSHIP_SAVE_DIR``, else the user data dir's ``saves``."""
    if override:
        return Path(override)
    env = os.environ.get("BRINKMANSHIP_SAVE_DIR")
    if env:
        return Path(env)
    return data_dir() / "saves"


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def check_name(name: str) -> str:
    """A save name, or a SaveError saying why it cannot be one (no paths, no dots first)."""
    name = name.strip()
    if name.endswith(".yaml"):
        name = name[:-5]
    if not NAME_RE.fullmatch(name) or name.endswith("."):
        raise BrinkError(f"bad save name {name!r}: use up to 64 letters, digits, spaces, "
                         "'_', '-' and '.', starting with a letter or digit")
    return name


def autosave_name(game: Game) -> str:
    return f"autosave-{game.scenario.id}-{game.role}"


def game_to_dict(game: Game, name: str) -> dict[str, Any]:
    sc = game.scenario
    st = game.state
    if not game.created:
        game.created = now()
    bundled = any(e.path.resolve() == Path(sc.path) for e in catalog.bundled())
    return {
        "brinkmanship_save": SAVE_FORMAT,
        "app_version": __version__,
        "name": name,
        "created": game.created,
        "saved": now(),
        "scenario": {"id": sc.id, "title": sc.title, "hash": sc.content_hash,
                     "source": "bundled" if bundled else sc.path},
        "role": game.role,
        "seed": game.seed,
        "choices": list(game.choices),
        "turns": [{"turn": t.number, "scene": t.scene, "choice": t.choice, "stance": t.stance,
                   "check": t.after.digest()} for t in game.turns()],
        "final": {"scene": st.scene, "ending": st.ending, "turn": st.turn,
                  "clock": game.engine.clock_text(st), "vars": dict(st.vars),
                  "check": st.digest()},
    }


def _comment(text: str, n: int = 80) -> str:
    """Untrusted text for a YAML comment: one line of printable characters (a control
    character would make the file unreadable; a line break would let the text in as data)."""
    text = "".join(c if c.isprintable() else "?" for c in " ".join(inert(text).split()))
    return text if len(text) <= n else text[: n - 1] + "…"


def dump(data: dict[str, Any]) -> str:
    head = (f"# Brinkmanship saved game ({_comment(data['scenario']['title'])}, {data['role']}, "
            f"turn {data['final']['turn']}).\n# Edit at your own risk: loading replays "
            "'choices' and checks every turn against 'turns'.\n")
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def write_save(game: Game, directory: Path, name: str, overwrite: bool = False) -> Path:
    """Write a named save; refuse to replace an existing one unless ``overwrite``."""
    name = check_name(name)
    path = directory / f"{name}.yaml"
    if path.exists() and not overwrite:
        raise BrinkError(f"a save named {name!r} already exists; choose another name or "
                         "overwrite it explicitly")
    write_atomic(path, dump(game_to_dict(game, name)))
    return path


def autosave(game: Game, directory: Path) -> Path:
    """Write (and replace) this scenario and role's autosave."""
    name = autosave_name(game)
    path = directory / f"{name}.yaml"
    write_atomic(path, dump(game_to_dict(game, name)))
    return path


# -- reading ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SaveData:
    path: Path
    name: str
    scenario_id: str
    scenario_title: str
    scenario_hash: str
    source: str
    role: str
    seed: int
    choices: tuple[str, ...]
    checks: tuple[str, ...]
    final: dict[str, Any]
    created: str
    saved: str

    @property
    def turn(self) -> int:
        return len(self.choices)


def _need(d: Any, key: str, typ: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(d, dict) or key not in d:
        raise SaveError(f"{where}: missing {key!r}")
    v = d[key]
    if not isinstance(v, typ) or (isinstance(v, bool) and typ is int):
        raise SaveError(f"{where}: {key!r} has the wrong type")
    return v


def read_save(path: str | Path) -> SaveData:
    """Read and check a save file's structure (not yet its replay)."""
    p = Path(path)
    shown = str(path)
    try:
        text = read_text(str(p), SAVE_LIMITS, shown)
        node = parse_yaml(text, shown, SAVE_LIMITS)
    except ScenarioError as exc:
        raise SaveError(f"unusable save file: {exc}") from None
    data = node.to_python()
    if not isinstance(data, dict) or "brinkmanship_save" not in data:
        raise SaveError(f"{shown}: not a Brinkmanship save file")
    version = data["brinkmanship_save"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SaveError(f"{shown}: bad save format version")
    if version > SAVE_FORMAT:
        raise SaveError(f"{shown}: made by a newer version of Brinkmanship (save format "
                        f"{version}; this version reads {SAVE_FORMAT}); please upgrade")
    sc = _need(data, "scenario", dict, shown)
    choices = _need(data, "choices", list, shown)
    if len(choices) > MAX_CHOICES or not all(isinstance(c, str) and ID_RE.fullmatch(c)
                                             for c in choices):
        raise SaveError(f"{shown}: 'choices' must be a list of choice ids")
    for key, value in (("scenario id", _need(sc, "id", str, shown)),
                       ("role", _need(data, "role", str, shown))):
        if not ID_RE.fullmatch(value):
            raise SaveError(f"{shown}: the {key} is not a valid id")
    source = str(sc.get("source", "bundled"))
    if len(source) > 4096 or "\x00" in source:
        raise SaveError(f"{shown}: the scenario's source is not a usable path")
    turns = data.get("turns") or []
    if not isinstance(turns, list):
        raise SaveError(f"{shown}: 'turns' must be a list")
    checks = tuple(str(t.get("check", "")) if isinstance(t, dict) else "" for t in turns)
    final = data.get("final") or {}
    if not isinstance(final, dict):
        raise SaveError(f"{shown}: 'final' must be a mapping")
    return SaveData(
        path=p, name=str(data.get("name", p.stem)),
        scenario_id=str(_need(sc, "id", str, shown)),
        scenario_title=str(sc.get("title", "")), scenario_hash=str(sc.get("hash", "")),
        source=source, role=str(_need(data, "role", str, shown)),
        seed=_need(data, "seed", int, shown), choices=tuple(choices), checks=checks,
        final=final, created=str(data.get("created", "")), saved=str(data.get("saved", "")),
    )


def scenario_for(save: SaveData, override: str | None = None) -> Scenario:
    """The scenario a save was made with: ``override``, the recorded path, or the bundled id."""
    if override:
        return load_scenario(str(catalog.find(override)))
    if save.source not in ("", "bundled") and catalog.is_file(save.source):
        return load_scenario(save.source)
    return load_scenario(str(catalog.find(save.scenario_id)))


@dataclass(slots=True)
class Replay:
    game: Game
    save: SaveData
    scenario_changed: bool
    diverged_at: int | None = None  # the first turn that no longer replays
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.diverged_at is None

    def summary(self) -> str:
        lines = []
        if self.scenario_changed:
            lines.append("note: the scenario has changed since this game was saved")
        if self.ok:
            lines.append(f"replays: {self.save.turn} turns reproduce")
        else:
            lines.append(f"diverges at turn {self.diverged_at}: {self.reason}")
        return "\n".join(lines)


def replay(save: SaveData, scenario: Scenario) -> Replay:
    """Re-run a save's choices and compare every turn with what was recorded."""
    if scenario.id != save.scenario_id:
        raise SaveError(f"{save.path}: this save is for scenario {save.scenario_id!r}, "
                        f"not {scenario.id!r}")
    try:
        engine = Engine(scenario, save.role)
    except GameError as exc:
        raise SaveError(f"{save.path}: {exc}") from None
    game = Game(engine, save.seed)
    game.created = save.created or game.created
    result = Replay(game, save, bool(save.scenario_hash) and
                    save.scenario_hash != scenario.content_hash)
    for i, cid in enumerate(save.choices, start=1):
        try:
            game.choose(cid)
        except GameError as exc:
            result.diverged_at, result.reason = i, str(exc)
            return result
        if i <= len(save.checks) and save.checks[i - 1] and \
                save.checks[i - 1] != game.state.digest():
            result.diverged_at = i
            result.reason = (f"after choice {cid!r} the game is no longer in the recorded state "
                             f"(now in {game.state.ending or game.state.scene!r})")
            return result
    final_check = save.final.get("check")
    if final_check and final_check != game.state.digest():
        result.diverged_at = max(1, len(save.choices))
        result.reason = "the final state differs from the one recorded"
    elif save.final.get("vars") is not None and save.final.get("vars") != game.state.vars:
        result.diverged_at = max(1, len(save.choices))
        result.reason = "the final variables differ from the ones recorded"
    return result


@dataclass(frozen=True, slots=True)
class SaveInfo:
    path: Path
    name: str
    scenario_id: str
    scenario_title: str
    role: str
    turn: int
    clock: str
    ending: str | None
    saved: str
    error: str = ""


def list_saves(directory: Path) -> list[SaveInfo]:
    """Saves in ``directory``, newest first; unreadable files are listed with their error."""
    out = []
    if not directory.is_dir():
        return out
    for p in directory.glob("*.yaml"):
        try:
            s = read_save(p)
            ending = s.final.get("ending")
            out.append(SaveInfo(p, s.name, s.scenario_id, s.scenario_title, s.role, s.turn,
                                str(s.final.get("clock", "")),
                                None if ending is None else str(ending), s.saved))
        except BrinkError as exc:
            out.append(SaveInfo(p, p.stem, "", "", "", 0, "", None, "", str(exc)))
    out.sort(key=lambda i: i.path.stat().st_mtime if i.path.exists() else 0, reverse=True)
    return out


def latest_autosave(directory: Path) -> SaveInfo | None:
    for info in list_saves(directory):
        if info.name.startswith("autosave-") and not info.error:
            return info
    return None


def delete_save(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".bak").unlink(missing_ok=True)
