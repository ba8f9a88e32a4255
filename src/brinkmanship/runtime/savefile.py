"""A saved game as a file: one dataclass, written and read symmetrically.

A save is human-readable YAML. What it records is enough to rebuild the game
(scenario, role, seed, choices) and to check the rebuild (a digest per turn), plus
a summary for the save list that needs no replay. Saves are untrusted input:
they are read with the same bounded YAML reader as scenarios, and every field is
checked before use.

Versions: format 1 (digests of the whole state after each turn) is still read;
format 2 (chained digests, a game id and a summary) is written.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brinkmanship import __version__
from brinkmanship.format.errors import SaveError, ScenarioError
from brinkmanship.format.spec import ID_RE
from brinkmanship.format.textsafe import inert, inert_line
from brinkmanship.format.yamlsrc import Limits, parse_yaml, read_text
from brinkmanship.runtime.session import MAX_TURNS

SAVE_FORMAT = 2
# A save of MAX_TURNS turns fits within these (about 110 bytes and 13 values a turn).
SAVE_LIMITS = Limits(
    max_bytes=4 * 1024 * 1024,
    max_depth=16,
    max_nodes=16 * MAX_TURNS + 10_000,
    oversized_numbers_as_text=True,
)
MAX_SEED = 2**63
MAX_TEXT = 4096  # any text field of a save


@dataclass(frozen=True, slots=True)
class ScenarioRef:
    """Which scenario a save was made with: its id, its title, a hash of its content."""

    id: str
    title: str = ""
    hash: str = ""
    source: str = "bundled"  # "bundled", or the path of the main file


@dataclass(frozen=True, slots=True)
class TurnRecord:
    turn: int
    scene: str
    choice: str
    stance: str
    check: str


@dataclass(frozen=True, slots=True)
class Summary:
    """What the save list shows without replaying: all of it is display text."""

    role_name: str = ""
    when: str = ""  # the in-game date and time, as the player saw it
    last_choice: str = ""  # the text of the last choice
    ending: str = ""  # the ending's id, if the game is over
    ending_title: str = ""
    outcome: str = ""
    scene: str = ""  # where the game stands (an id, for tools)
    vars: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SaveFile:
    name: str
    scenario: ScenarioRef
    role: str
    seed: int
    choices: tuple[str, ...]
    turns: tuple[TurnRecord, ...] = ()
    check: str = ""  # the digest of the final state ("" when unknown)
    summary: Summary = field(default_factory=Summary)
    game_id: str = ""
    created: str = ""
    saved: str = ""
    version: int = SAVE_FORMAT
    app_version: str = __version__
    path: Path | None = field(default=None, compare=False)

    @property
    def turn(self) -> int:
        return len(self.choices)

    @property
    def over(self) -> bool:
        return bool(self.summary.ending)

    @property
    def checks(self) -> tuple[str, ...]:
        return tuple(t.check for t in self.turns)

    @property
    def is_autosave(self) -> bool:
        return self.name.startswith(AUTOSAVE_PREFIX)

    # -- writing ------------------------------------------------------------

    def to_text(self) -> str:
        """The file's text. Every value is written as JSON (valid YAML), so no text from a
        scenario or a player can change the file's structure; turns take one line each."""
        s, sm = self.scenario, self.summary
        j = _json
        lines = [
            f"# Brinkmanship saved game: {_comment(s.title)}, {_comment(sm.role_name)}, "
            f"turn {self.turn}.",
            "# Edit at your own risk: loading replays 'choices' and checks every turn "
            "against 'turns'.",
            f"brinkmanship_save: {self.version}",
            f"app_version: {j(self.app_version)}",
            f"name: {j(self.name)}",
            f"game_id: {j(self.game_id)}",
            f"created: {j(self.created)}",
            f"saved: {j(self.saved)}",
            "scenario:",
            f"  id: {j(s.id)}",
            f"  title: {j(s.title)}",
            f"  hash: {j(s.hash)}",
            f"  source: {j(s.source)}",
            f"role: {j(self.role)}",
            f"seed: {self.seed}",
            "summary:",
            *(f"  {k}: {j(getattr(sm, k))}" for k in _SUMMARY_TEXT),
            f"  vars: {j(sm.vars)}",
            f"check: {j(self.check)}",
            "choices:" if self.choices else "choices: []",
            *map(_choice_line, self.choices),
            "turns:" if self.turns else "turns: []",
            *map(_turn_line, self.turns),
        ]
        return "\n".join(lines) + "\n"

    # -- reading ------------------------------------------------------------

    @classmethod
    def from_text(cls, text: str, shown: str, path: Path | None = None) -> SaveFile:
        """Parse and check a save's text (``shown`` names it in messages)."""
        data = _read_as_written(text)
        if data is None:  # edited by hand, damaged or odd: the full, position-keeping parser
            try:
                data = parse_yaml(text, shown, SAVE_LIMITS).to_python()
            except ScenarioError as exc:
                raise SaveError(f"unusable save file: {exc}") from None
        if not isinstance(data, dict) or "brinkmanship_save" not in data:
            raise SaveError(f"{shown}: not a Brinkmanship save file")
        version = data["brinkmanship_save"]
        if not _is_int(version) or version < 1:
            raise SaveError(f"{shown}: bad save format version")
        if version > SAVE_FORMAT:
            shown_version = version if version < 10**6 else "above a million"
            raise SaveError(
                f"{shown}: made by a newer version of Brinkmanship (save format "
                f"{shown_version}; this version reads up to {SAVE_FORMAT}); please "
                "upgrade"
            )
        r = _Reader(data, shown)
        sc = r.get("scenario", dict)
        sr = _Reader(sc, shown, "scenario")
        ref = ScenarioRef(
            sr.ident("id"),
            sr.info("title"),
            sr.info("hash"),
            sr.text("source", "bundled") or "bundled",
        )
        if "\x00" in ref.source:
            raise SaveError(f"{shown}: the scenario's source is not a usable path")
        choices = r.get("choices", list)
        if len(choices) > MAX_TURNS:
            raise SaveError(f"{shown}: more than {MAX_TURNS} choices")
        if not all(isinstance(c, str) and ID_RE.fullmatch(c) for c in choices):
            raise SaveError(f"{shown}: 'choices' must be a list of choice ids")
        # A record per choice made; records beyond the choices (an edited save) check nothing.
        records = r.get("turns", list, [])[: len(choices)]
        turns = tuple(_turn(t, i, shown) for i, t in enumerate(records, 1))
        # The summary (format 1: "final") is display text and a check of the replay: an
        # empty one counts as absent, a damaged value in it does not make the game unloadable.
        if version == 1:
            fr = _Reader(data.get("final") or {}, shown, "final")
            summary = Summary(
                when=fr.info("clock"),
                ending=fr.info("ending"),
                scene=fr.info("scene"),
                vars=_vars(fr.data.get("vars")),
            )
            check = fr.digest("check")
        else:
            sm = _Reader(data.get("summary") or {}, shown, "summary")
            summary = Summary(
                sm.info("role_name"),
                sm.info("when"),
                sm.info("last_choice"),
                sm.info("ending"),
                sm.info("ending_title"),
                sm.info("outcome"),
                sm.info("scene"),
                vars=_vars(sm.data.get("vars")),
            )
            check = r.digest("check")
        name = r.info("name") or (path.stem if path is not None else "")
        return cls(
            name=name,
            scenario=ref,
            role=r.ident("role"),
            seed=r.seed(),
            choices=tuple(choices),
            turns=turns,
            check=check,
            summary=summary,
            game_id=r.info("game_id"),
            created=r.info("created"),
            saved=r.info("saved"),
            version=version,
            app_version=r.info("app_version"),
            path=path,
        )


AUTOSAVE_PREFIX = "autosave-"
DAMAGED = "(damaged)"  # a recorded check digest that could not be read: matches no state
_SUMMARY_TEXT = ("role_name", "when", "last_choice", "ending", "ending_title", "outcome", "scene")


class _NotAsWritten(Exception):
    pass


def _plain_number(text: str) -> int:
    if len(text) > 40:
        raise _NotAsWritten
    return int(text)


def _no_float(text: str) -> float:
    raise _NotAsWritten  # YAML 1.1 reads some JSON floats ("1e5") as text: leave it to YAML


# one decoder for every value (``json.loads`` with hooks builds a new one per call)
_DECODER = json.JSONDecoder(
    parse_int=_plain_number, parse_float=_no_float, parse_constant=_no_float
)


def _value(text: str) -> Any:
    return _DECODER.decode(text)


def _read_as_written(text: str) -> dict[str, Any] | None:
    """A save exactly as :meth:`SaveFile.to_text` writes it (each value one JSON text,
    which YAML reads the same way), read line by line: about ten times quicker than the
    YAML parser on a long game. Anything else gives None (then YAML reads it)."""
    data: dict[str, Any] = {}
    section: dict[str, Any] | None = None
    items: list[Any] | None = None
    try:
        for line in text.splitlines():
            if not line or line.startswith("#"):
                continue
            if line.startswith("- "):
                if items is None:
                    return None
                items.append(_value(line[2:]))
                continue
            nested = line.startswith("  ")
            key, sep, rest = line.strip().partition(":")
            if not sep or not key.isidentifier() or (rest and not rest.startswith(" ")):
                return None
            into = section if nested else data
            if into is None or key in into:
                return None
            items = None
            if nested:
                into[key] = _value(rest[1:])
            elif rest:
                into[key] = _value(rest[1:])
                section = None
            else:  # a section of "  key: value" lines, or a list of "- value" lines
                section, items = {}, []
                into[key] = _Pending(section, items)
        for k, v in list(data.items()):
            if isinstance(v, _Pending):
                if bool(v.section) == bool(v.items):  # both, or neither (YAML: null)
                    return None
                data[k] = v.items if v.items else v.section
        return data
    except (_NotAsWritten, ValueError, RecursionError):
        return None


@dataclass(slots=True)
class _Pending:
    section: dict[str, Any]
    items: list[Any]


def read(path: str | Path) -> SaveFile:
    """Read and check a save file's structure (not yet its replay)."""
    p = Path(path)
    shown = inert_line(str(path))
    try:
        text = read_text(str(path), SAVE_LIMITS, shown)
    except ScenarioError as exc:
        raise SaveError(f"unusable save file: {exc}") from None
    return SaveFile.from_text(text, shown, p)


# -- helpers -----------------------------------------------------------------------


# Characters JSON leaves as they are but YAML does not read back as themselves: C1
# controls (YAML refuses them), YAML's extra line breaks (a double-quoted scalar folds
# them) and the byte order mark; lone surrogates cannot be written as UTF-8 at all.
_NOT_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def _escape(m: re.Match[str]) -> str:
    c = ord(m.group())
    return "\\ufffd" if 0xD800 <= c <= 0xDFFF else f"\\u{c:04x}"


def _json(value: Any) -> str:
    """A value as JSON that YAML reads back as the same value."""
    return _NOT_YAML.sub(_escape, json.dumps(value, ensure_ascii=False, separators=(", ", ": ")))


# An autosave after every move writes every earlier turn again: their lines are kept, so
# a move late in a long game costs little more than one early on.
@functools.lru_cache(maxsize=2 * MAX_TURNS)
def _choice_line(c: str) -> str:
    return f"- {_json(c)}"


@functools.lru_cache(maxsize=2 * MAX_TURNS)
def _turn_line(t: TurnRecord) -> str:
    return f"- {_json(_turn_dict(t))}"


def _turn_dict(t: TurnRecord) -> dict[str, Any]:
    return {
        "turn": t.turn,
        "scene": t.scene,
        "choice": t.choice,
        "stance": t.stance,
        "check": t.check,
    }


def _comment(text: str, n: int = 60) -> str:
    """Untrusted text for a YAML comment: one line of printable characters (a control
    character would make the file unreadable; a line break would let the text in as data)."""
    text = "".join(c if c.isprintable() else "?" for c in " ".join(inert(text).split()))
    return text if len(text) <= n else text[: n - 1] + "…"


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


class _Reader:
    def __init__(self, data: Any, shown: str, where: str = "") -> None:
        if not isinstance(data, dict):
            raise SaveError(f"{shown}: {where or 'the save'} must be a mapping")
        self.data, self.shown, self.where = data, shown, where

    def _name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def get(self, key: str, typ: type, default: Any = None) -> Any:
        if key not in self.data or (self.data[key] is None and default is not None):
            if default is not None:
                return default
            raise SaveError(f"{self.shown}: missing {self._name(key)!r}")
        v = self.data[key]
        if not isinstance(v, typ) or (isinstance(v, bool) and typ is int):
            raise SaveError(f"{self.shown}: {self._name(key)!r} has the wrong type")
        return v

    def text(self, key: str, default: str = "") -> str:
        """Text the game uses (a path): refused when it is not text or too long."""
        v = self.data.get(key, default)
        if v is None:
            return default
        if isinstance(v, dict | list):
            raise SaveError(f"{self.shown}: {self._name(key)!r} must be text")
        s = _scalar_text(v)
        if s is None:
            raise SaveError(f"{self.shown}: {self._name(key)!r} is too long")
        return s

    def info(self, key: str) -> str:
        """Display text only: a damaged value (not text, too long) reads as "", so a
        broken label never costs the player the game."""
        v = self.data.get(key)
        if v is None or isinstance(v, dict | list):
            return ""
        return _scalar_text(v) or ""

    def digest(self, key: str) -> str:
        """A recorded check digest: "" when absent; a damaged one matches no state, so
        the replay diverges there instead of the save being refused."""
        v = self.data.get(key)
        if v is None:
            return ""
        s = None if isinstance(v, dict | list) else _scalar_text(v)
        return DAMAGED if s is None else s

    def ident(self, key: str) -> str:
        v = self.get(key, str)
        if not ID_RE.fullmatch(v):
            raise SaveError(f"{self.shown}: the {self._name(key)} is not a valid id")
        return str(v)

    def seed(self) -> int:
        v = self.get("seed", int)
        if not -MAX_SEED < v < MAX_SEED:
            raise SaveError(f"{self.shown}: the seed is out of range (a whole number below 2**63)")
        return int(v)


def _scalar_text(v: Any) -> str | None:
    """A YAML scalar as text, or None when it is too long (a huge number included:
    ``str`` of an int of more than 4300 digits raises ValueError)."""
    if isinstance(v, int) and not isinstance(v, bool) and not -(10**100) < v < 10**100:
        return None
    s = str(v)
    return s if len(s) <= MAX_TEXT else None


def _turn(t: Any, i: int, shown: str) -> TurnRecord:
    if not isinstance(t, dict):
        return TurnRecord(i, "", "", "", "")
    r = _Reader(t, shown, f"turns[{i}]")
    return TurnRecord(i, r.info("scene"), r.info("choice"), r.info("stance"), r.digest("check"))


def _vars(v: Any) -> dict[str, Any]:
    """The recorded variables; ones that cannot be compared (not a mapping of names to
    booleans, text and whole numbers) are ignored as if absent: the check digests still
    check the replay."""
    if not isinstance(v, dict) or len(v) > 1000:
        return {}
    out: dict[str, Any] = {}
    for k, x in v.items():
        if (
            isinstance(x, bool)
            or (isinstance(x, str) and len(x) <= MAX_TEXT)
            or (_is_int(x) and abs(x) <= 10**15)
        ):
            out[str(k)] = x
        else:
            return {}
    return out
