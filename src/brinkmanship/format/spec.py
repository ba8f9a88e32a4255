"""The scenario format as data: the one source of truth for structure.

Each spec object both *checks* a YAML node (reporting every problem with its
place) and *describes* itself as JSON Schema, so the validator, ``brinkmanship
schema`` and the reference docs cannot drift apart. Converted values are plain
Python data; strings are :class:`Src` (a ``str`` that knows its place) and
mappings are :class:`Record` (a ``dict`` that knows its place and its keys').
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import difflib
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from brinkmanship.format.errors import Diagnostic
from brinkmanship.format.names import OUTCOMES
from brinkmanship.format.yamlsrc import Node

Loc = tuple[str, int, int]
ID_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,79}$")
ID_PATTERN = ID_RE.pattern


class Src(str):
    """A string from a file that remembers where it was written."""

    __slots__ = ("loc",)
    loc: Loc

    def __new__(cls, value: str, loc: Loc) -> Src:
        obj = super().__new__(cls, value)
        obj.loc = loc
        return obj


class Record(dict[str, Any]):
    """A mapping from a file, with the place of the mapping and of each key."""

    __slots__ = ("keylocs", "loc")

    def __init__(self, loc: Loc) -> None:
        super().__init__()
        self.loc = loc
        self.keylocs: dict[str, Loc] = {}

    def at(self, key: str) -> Loc:
        return self.keylocs.get(key, self.loc)


# Suggestions compare a word with every option: on a huge file full of bad references
# that is quadratic, so a load gives them a budget (comparisons), after which none are made.
SUGGEST_BUDGET = 300_000
_suggest_left: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "suggest_left", default=None
)


@contextlib.contextmanager
def suggest_budget(comparisons: int = SUGGEST_BUDGET) -> Iterator[None]:
    """Within this block, :func:`suggest` stops suggesting after ``comparisons``."""
    token = _suggest_left.set([comparisons])
    try:
        yield
    finally:
        _suggest_left.reset(token)


def suggest(word: str, options: Any, *more: Any) -> str:
    """A ``did you mean`` hint from ``options`` (and ``more`` collections), or ''."""
    pools = (options, *more)
    left = _suggest_left.get()
    if left is not None:
        n = sum(len(p) for p in pools)
        if left[0] < n:
            return ""
        left[0] -= n
    close = difflib.get_close_matches(
        str(word), [str(o) for p in pools for o in p], n=1, cutoff=0.6
    )
    return f" (did you mean {close[0]!r}?)" if close else ""


def suggest_near(
    word: str,
    places: dict[str, Loc],
    here: Loc | None = None,
    roles_of: dict[str, tuple[str, ...]] | None = None,
    roles: tuple[str, ...] = (),
) -> str:
    """A ``did you mean`` hint from ids with their places, or ''.

    Candidates are ranked by how close they are to ``word`` and, among close ones, by
    belonging where the word was written: defined in the same file, and for the same
    role (``roles_of`` gives each id's declared roles; ``roles`` the word's own).
    """
    best = closest(word, places, here, roles_of, roles)
    return f" (did you mean {best!r}?)" if best is not None else ""


def closest(
    word: str,
    places: dict[str, Loc],
    here: Loc | None = None,
    roles_of: dict[str, tuple[str, ...]] | None = None,
    roles: tuple[str, ...] = (),
) -> str | None:
    """The id :func:`suggest_near` would suggest, or None."""
    left = _suggest_left.get()
    if left is not None:
        if left[0] < len(places):
            return None
        left[0] -= len(places)
    w = str(word)
    best: tuple[float, str] | None = None
    matcher = difflib.SequenceMatcher(b=w)
    for name, loc in places.items():
        matcher.set_seq1(name)
        if matcher.real_quick_ratio() < 0.6 or matcher.quick_ratio() < 0.6:
            continue
        score = matcher.ratio()
        if score < 0.6:
            continue
        if here is not None and loc[0] == here[0]:
            score += 0.15
        theirs = (roles_of or {}).get(name, ())
        if roles and theirs:
            score += 0.15 if set(theirs) & set(roles) else -0.3
        if best is None or score > best[0]:
            best = (score, name)
    return best[1] if best is not None and best[0] >= 0.6 else None


@dataclass
class Checker:
    """Collects diagnostics while specs convert nodes."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Names that a file with errors may define, and that file: a reference to one of
    # them that fails follows from that file's error (see Diagnostic.cause).
    maybe: dict[str, str] = field(default_factory=dict)
    # The id keys of the mapping entries being converted, with their values (innermost last).
    owners: list[tuple[Node, Node]] = field(default_factory=list)

    def error(self, loc: Loc, message: str, code: str, missing: str | None = None) -> None:
        """Report an error; ``missing`` is the name it did not find, if that is the problem."""
        cause = self.maybe.get(missing, "") if missing is not None else ""
        self.diagnostics.append(
            Diagnostic(loc[0], loc[1], loc[2], _clip(message), code, cause=cause)
        )

    def warn(self, loc: Loc, message: str, code: str) -> None:
        self.diagnostics.append(Diagnostic(loc[0], loc[1], loc[2], _clip(message), code, "warning"))


MAX_MESSAGE = 400


def _clip(message: str) -> str:
    """A message quoting untrusted text, kept to a readable length (start and end kept,
    each cut between words, so that no word is cut in two)."""
    if len(message) <= MAX_MESSAGE:
        return message
    head, tail = message[: MAX_MESSAGE - 100], message[-97:]
    cut = head.rfind(" ")
    head = head[:cut] if cut > len(head) // 2 else head
    cut = tail.find(" ")
    tail = tail[cut + 1 :] if 0 <= cut < len(tail) // 2 else tail
    return head + " … " + tail


def _short(text: str, n: int = 60) -> str:
    """Untrusted text quoted in a message, shortened (between words when it can be)."""
    if len(text) <= n:
        return text
    cut = text.rfind(" ", 0, n - 1)
    return text[: cut if cut > n // 2 else n - 1] + "…"


def _id_fix(text: str) -> str:
    """A valid id close to ``text``, as a suggestion ('' when none can be made)."""
    if len(text) > 80:
        return ""
    fixed = re.sub(r"[^A-Za-z0-9_.-]+", "-", text.strip()).strip("-")[:80]
    if fixed and not (fixed[0].isalpha() or fixed[0] == "_"):
        fixed = "_" + fixed[:79]
    return f", e.g. {fixed!r}" if fixed and ID_RE.fullmatch(fixed) else ""


INVALID: Any = object()
_KIND_NAMES = {"map": "a mapping", "seq": "a list", "scalar": "a single value"}
_KIND_FIX = {
    "map": "write its keys on the lines below it, indented ('name: value' each)",
    "seq": "write its items on the lines below it, indented, each after '- ' "
    "(or [a, b] on one line)",
    "scalar": "write one value after the key, on the same line",
}


def _not_a_number(node: Node, whole: bool) -> str:
    """What to write instead of a value that should have been a number."""
    what = "a whole number" if whole else "a number"
    found = node.raw if node.kind == "scalar" else _KIND_NAMES[node.kind]
    if node.kind == "scalar" and not node.plain and re.fullmatch(r"[-+]?\d+(\.\d+)?", node.raw):
        return f"expected {what}, found the text {found!r}: remove the quotes"
    if node.kind == "scalar" and node.value is None:
        return f"expected {what}, found nothing: write digits, e.g. 10"
    return f"expected {what}, found {found!r}: write digits, e.g. 10" + ("" if whole else " or 2.5")


class Spec:
    doc: str = ""

    def convert(self, node: Node, ck: Checker) -> Any:
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def describe(self) -> str:
        return type(self).__name__.lower()

    def _want(self, node: Node, kind: str, ck: Checker, what: str) -> bool:
        if node.kind != kind:
            ck.error(
                node.where,
                f"expected {what}, found {_KIND_NAMES[node.kind]}; {_KIND_FIX[kind]}",
                "S001",
            )
            return False
        return True

    def _with_doc(self, schema: dict[str, Any]) -> dict[str, Any]:
        if self.doc:
            schema["description"] = self.doc
        return schema


@dataclass
class Str(Spec):
    doc: str = ""
    max_len: int = 100_000

    def convert(self, node: Node, ck: Checker) -> Any:
        if node.kind != "scalar" or node.value is None:
            what = "text" if node.kind != "scalar" else "text, found nothing"
            if node.kind == "scalar":
                ck.error(node.where, f"expected {what}", "S002")
            else:
                self._want(node, "scalar", ck, "text")
            return INVALID
        text = node.value if isinstance(node.value, str) else node.raw
        if len(text) > self.max_len:
            ck.error(node.where, f"text longer than {self.max_len} characters", "S003")
            return INVALID
        return Src(text, node.where)

    def schema(self) -> dict[str, Any]:
        # A plain number or true/false is read as its text, so the schema allows them too.
        return self._with_doc({"type": ["string", "number", "boolean"], "maxLength": self.max_len})


@dataclass
class Id(Spec):
    doc: str = ""

    def convert(self, node: Node, ck: Checker) -> Any:
        if not self._want(node, "scalar", ck, "an id"):
            return INVALID
        text = node.raw
        if not ID_RE.fullmatch(text):
            ck.error(
                node.where,
                f"{_short(text)!r} is not a valid id: use letters, digits, '_', '-' "
                f"and '.', starting with a letter or '_'{_id_fix(text)}",
                "S004",
            )
            return INVALID
        return Src(text, node.where)

    def schema(self) -> dict[str, Any]:
        return self._with_doc({"type": "string", "pattern": ID_PATTERN})


def _bounded(kind: str, lo: float | None, hi: float | None) -> dict[str, Any]:
    s: dict[str, Any] = {"type": kind}
    if lo is not None:
        s["minimum"] = lo
    if hi is not None:
        s["maximum"] = hi
    return s


@dataclass
class Int(Spec):
    doc: str = ""
    minimum: int | None = None
    maximum: int | None = None

    def convert(self, node: Node, ck: Checker) -> Any:
        v = node.value
        if node.kind != "scalar" or isinstance(v, bool) or not isinstance(v, int):
            ck.error(node.where, _not_a_number(node, True), "S005")
            return INVALID
        if self.minimum is not None and v < self.minimum:
            ck.error(node.where, f"must be at least {self.minimum}", "S006")
            return INVALID
        if self.maximum is not None and v > self.maximum:
            ck.error(node.where, f"must be at most {self.maximum}", "S006")
            return INVALID
        return v

    def schema(self) -> dict[str, Any]:
        return self._with_doc(_bounded("integer", self.minimum, self.maximum))


@dataclass
class Number(Spec):
    doc: str = ""
    minimum: float | None = None
    maximum: float | None = None

    def convert(self, node: Node, ck: Checker) -> Any:
        v = node.value
        if node.kind != "scalar" or isinstance(v, bool) or not isinstance(v, int | float):
            ck.error(node.where, _not_a_number(node, False), "S005")
            return INVALID
        if v != v or v in (float("inf"), float("-inf")):
            ck.error(node.where, "expected a finite number", "S005")
            return INVALID
        if (self.minimum is not None and v < self.minimum) or (
            self.maximum is not None and v > self.maximum
        ):
            ck.error(node.where, f"must be between {self.minimum} and {self.maximum}", "S006")
            return INVALID
        return v

    def schema(self) -> dict[str, Any]:
        return self._with_doc(_bounded("number", self.minimum, self.maximum))


@dataclass
class Bool(Spec):
    doc: str = ""

    def convert(self, node: Node, ck: Checker) -> Any:
        if node.kind != "scalar" or not isinstance(node.value, bool):
            found = node.raw if node.kind == "scalar" else _KIND_NAMES[node.kind]
            ck.error(
                node.where,
                f"expected true or false, found {found!r}: write true or false, unquoted",
                "S007",
            )
            return INVALID
        return node.value

    def schema(self) -> dict[str, Any]:
        return self._with_doc({"type": "boolean"})


@dataclass
class Choice(Spec):
    """One of a fixed set of words."""

    values: tuple[str, ...] = ()
    doc: str = ""

    def convert(self, node: Node, ck: Checker) -> Any:
        if not self._want(node, "scalar", ck, "one of " + ", ".join(self.values)):
            return INVALID
        if node.raw not in self.values:
            ck.error(
                node.where,
                f"{node.raw!r} is not one of {', '.join(self.values)}"
                + suggest(node.raw, self.values),
                "S008",
            )
            return INVALID
        return Src(node.raw, node.where)

    def schema(self) -> dict[str, Any]:
        return self._with_doc({"type": "string", "enum": list(self.values)})


@dataclass
class Expr(Spec):
    """An expression in the scenario language, checked later by the expression compiler.

    A literal number or true/false is accepted as an expression too.
    """

    doc: str = ""

    def convert(self, node: Node, ck: Checker) -> Any:
        if not self._want(node, "scalar", ck, "an expression"):
            return INVALID
        if node.value is None:
            ck.error(node.where, "expected an expression, found nothing", "S009")
            return INVALID
        text = node.raw
        if isinstance(node.value, bool):
            text = "true" if node.value else "false"
        return Src(text, node.where)

    def schema(self) -> dict[str, Any]:
        return self._with_doc({"type": ["string", "number", "boolean"]})


@dataclass
class ListOf(Spec):
    item: Spec = field(default_factory=Str)
    doc: str = ""
    max_items: int = 10_000

    def convert(self, node: Node, ck: Checker) -> Any:
        if not self._want(node, "seq", ck, "a list"):
            return INVALID
        if len(node.value) > self.max_items:
            ck.error(node.where, f"more than {self.max_items} items", "S010")
            return INVALID
        out = [self.item.convert(n, ck) for n in node.value]
        return [v for v in out if v is not INVALID]

    def schema(self) -> dict[str, Any]:
        return self._with_doc(
            {"type": "array", "items": self.item.schema(), "maxItems": self.max_items}
        )


@dataclass
class MapOf(Spec):
    """A mapping from ids to values of one kind (scenes, endings, variables...)."""

    item: Spec = field(default_factory=Str)
    doc: str = ""
    max_items: int = 10_000
    noun: str = "entries"
    env: str = ""  # an environment variable that can raise (or lower) the limit

    def limit(self) -> int:
        """The most entries allowed: ``max_items``, or the value of ``env`` when set."""
        if self.env:
            try:
                return max(1, int(os.environ.get(self.env, self.max_items)))
            except ValueError:
                return self.max_items
        return self.max_items

    def too_many(self, count: int) -> str:
        most = self.limit()
        hint = f" (set {self.env} to raise the limit)" if self.env else ""
        return f"{count} {self.noun}: more than the limit of {most}{hint}"

    def convert(self, node: Node, ck: Checker) -> Any:
        if not self._want(node, "map", ck, "a mapping of ids"):
            return INVALID
        if len(node.value) > self.limit():
            ck.error(node.where, self.too_many(len(node.value)), "S010")
            return INVALID
        rec = Record(node.where)
        for k, v in node.value:
            if not ID_RE.fullmatch(k.raw):
                ck.error(
                    k.where,
                    f"{_short(k.raw)!r} is not a valid id: use letters, digits, '_', '-' "
                    f"and '.', starting with a letter or '_'{_id_fix(k.raw)}",
                    "S004",
                )
                continue
            ck.owners.append((k, v))
            try:
                val = self.item.convert(v, ck)
            finally:
                ck.owners.pop()
            if val is not INVALID:
                rec[k.raw] = val
                rec.keylocs[k.raw] = k.where
        return rec

    def schema(self) -> dict[str, Any]:
        return self._with_doc(
            {
                "type": "object",
                "propertyNames": {"pattern": ID_PATTERN},
                "additionalProperties": self.item.schema(),
                "maxProperties": self.max_items,
            }
        )


@dataclass
class Field:
    spec: Spec
    required: bool = False
    doc: str = ""


@dataclass
class Obj(Spec):
    """A mapping with known keys; unknown keys are errors with a suggestion."""

    fields: dict[str, Field] = field(default_factory=dict)
    doc: str = ""
    shorthand: str | None = None  # a plain value stands for {shorthand: value}
    name: str = "mapping"

    def convert(self, node: Node, ck: Checker) -> Any:
        if node.kind == "scalar" and self.shorthand is not None:
            val = self.fields[self.shorthand].spec.convert(node, ck)
            if val is INVALID:
                return INVALID
            rec = Record(node.where)
            rec[self.shorthand] = val
            rec.keylocs[self.shorthand] = node.where
            return self._finish(rec, node, ck, skip_required=True)
        if not self._want(node, "map", ck, f"a {self.name} (a mapping of keys)"):
            return INVALID
        rec = Record(node.where)
        for k, v in node.value:
            f = self.fields.get(k.raw)
            if f is None and self._misplaced(node, k, v, ck):
                continue
            if f is None:
                ck.error(
                    k.where,
                    f"unknown key {k.raw!r} in {self.name}" + suggest(k.raw, self.fields),
                    "S011",
                )
                continue
            val = f.spec.convert(v, ck)
            rec.keylocs[k.raw] = k.where
            if val is not INVALID:
                rec[k.raw] = val
        return self._finish(rec, node, ck)

    def _misplaced(self, node: Node, k: Node, v: Node, ck: Checker) -> bool:
        """An unknown key that is an entry of the mapping above, indented too far (a scene
        written under the scene before it): reported as that, with the column to use."""
        owner = ck.owners[-1] if ck.owners else None
        if owner is None or owner[1] is not node or not ID_RE.fullmatch(k.raw):
            return False
        key = owner[0]
        empty = v.kind == "scalar" and v.value is None
        if not empty and not (v.kind == "map" and all(x.raw in self.fields for x, _ in v.items())):
            return False
        if k.col <= key.col:
            return False
        ck.error(
            k.where,
            f"{k.raw!r} is not a key of a {self.name}: it looks like a {self.name} of its "
            f"own, written inside {self.name} {key.raw!r}; start it at column {key.col} "
            f"({key.col - 1} spaces), like {key.raw!r} on line {key.line}, with its keys "
            "indented below it",
            "S013",
        )
        ck.maybe.setdefault(k.raw, k.path)
        # The keys after it that repeat the enclosing entry's follow from the same mistake.
        for i, d in enumerate(ck.diagnostics):
            if d.code == "Y003" and d.path == k.path and d.col == k.col and d.line > k.line:
                ck.diagnostics[i] = dataclasses.replace(d, cause=k.path)
        return True

    def _finish(self, rec: Record, node: Node, ck: Checker, skip_required: bool = False) -> Record:
        for name, f in self.fields.items():
            if f.required and name not in rec.keylocs and not skip_required:
                ck.error(
                    node.where,
                    f"{self.name} is missing the required key {name!r}: add a line "
                    f"'{name}: ...' among its keys"
                    + (f" ({f.doc[0].lower()}{f.doc[1:].rstrip('.')})" if f.doc else ""),
                    "S012",
                )
        return rec

    def schema(self) -> dict[str, Any]:
        obj: dict[str, Any] = {
            "type": "object",
            "properties": {k: _doc(f.spec.schema(), f.doc) for k, f in self.fields.items()},
            "additionalProperties": False,
        }
        req = [k for k, f in self.fields.items() if f.required]
        if req:
            obj["required"] = req
        if self.shorthand is not None:
            return self._with_doc({"anyOf": [self.fields[self.shorthand].spec.schema(), obj]})
        return self._with_doc(obj)


def _doc(schema: dict[str, Any], doc: str) -> dict[str, Any]:
    if doc and "description" not in schema:
        schema = {**schema, "description": doc}
    return schema


@dataclass
class ByKind(Spec):
    """Accept a plain value, a list or a mapping, each with its own spec."""

    scalar: Spec | None = None
    seq: Spec | None = None
    map: Spec | None = None
    doc: str = ""
    what: str = "value"

    def convert(self, node: Node, ck: Checker) -> Any:
        spec = {"scalar": self.scalar, "seq": self.seq, "map": self.map}[node.kind]
        if spec is None:
            ck.error(node.where, f"expected {self.what}, found {_KIND_NAMES[node.kind]}", "S001")
            return INVALID
        return spec.convert(node, ck)

    def schema(self) -> dict[str, Any]:
        return self._with_doc(
            {"anyOf": [s.schema() for s in (self.scalar, self.seq, self.map) if s is not None]}
        )


# ----------------------------------------------------------------------------
# The format itself
# ----------------------------------------------------------------------------

VAR_TYPES = ("number", "bool", "enum", "ladder")
SHOW = ("meter", "value", "hidden")

TEXT = ByKind(
    scalar=Str(
        doc="Text; a small Markdown subset (paragraphs, *emphasis*, **strong**, lists). "
        "{variable} inserts a value; {{ and }} write literal braces."
    ),
    seq=ListOf(
        ByKind(
            scalar=Str(doc="A paragraph always shown."),
            map=Obj(
                {
                    "if": Field(Expr(), doc="Show this paragraph only when the condition holds."),
                    "text": Field(Str(), doc="The paragraph."),
                    "else": Field(
                        Str(), doc="Format 2: the paragraph shown when the condition fails."
                    ),
                    "first": Field(
                        Str(),
                        doc="Format 2: the paragraph the first time it is shown (for a "
                        "scene's text, the first visit); 'again' every later time.",
                    ),
                    "again": Field(Str(), doc="Format 2: the paragraph after the first time."),
                    "variants": Field(
                        ListOf(Str(), max_items=50),
                        doc="Format 2: one of these each time, drawn with the game's seed, "
                        "none repeated until all were used.",
                    ),
                    "once": Field(Bool(), doc="Format 2: show this paragraph only the first time."),
                    "assume": Field(
                        Expr(),
                        doc="Format 2: what this takes for granted, e.g. quarantine_holds; "
                        "never shown, checked by validate and explore.",
                    ),
                },
                name="text fragment",
            ),
            what="a paragraph or {if, text}",
        ),
        max_items=200,
    ),
    doc="Text, or a list of paragraphs, some of them conditional ({if: ..., text: ...}).",
    what="text or a list of paragraphs",
)

EFFECT_VALUE = ByKind(
    scalar=Expr(
        doc="A number sets the value; +N adds and -N subtracts; '= expr' sets the "
        "value of an expression; '+ expr' / '- expr' add or subtract one; true/false and "
        "enum values set the value."
    ),
    map=Obj(
        {
            "set": Field(Expr(), doc="Set to the value of this expression."),
            "add": Field(Expr(), doc="Add the value of this expression."),
            "sub": Field(Expr(), doc="Subtract the value of this expression."),
        },
        name="effect",
    ),
    doc="How one variable changes.",
    what="a value or {set|add|sub: expression}",
)
EFFECTS = MapOf(
    EFFECT_VALUE,
    doc="Changes to variables, applied in order: variable -> change. "
    "Numbers are clamped to their min and max.",
    max_items=200,
)

ZONE_CHANGE = Obj(
    {
        "at": Field(
            Str(max_len=40),
            True,
            "When the change happens, as the clocks read just before it, e.g. 1962-10-28 02:00.",
        ),
        "zone": Field(Str(max_len=20), True, "The UTC offset from then on, e.g. UTC-5."),
        "label": Field(Str(max_len=20), doc="The zone's name from then on, e.g. EST."),
    },
    name="zone change",
)
ZONE_CHANGES = Field(
    ListOf(ZONE_CHANGE, max_items=50),
    doc="Format 2: changes of the zone (clocks going back for winter time, say), in time order.",
)

ROLE = Obj(
    {
        "name": Field(Str(max_len=200), True, "The person the player plays."),
        "title": Field(Str(max_len=200), doc="Their office, e.g. President of the United States."),
        "blurb": Field(TEXT, doc="A few lines shown when the player picks a role."),
        "start": Field(Id(), True, "The scene this role begins in."),
        "setup": Field(EFFECTS, doc="Effects applied at the start of this role's game."),
        "zone": Field(
            Str(max_len=20),
            doc="Format 2: the role's time zone as a UTC offset, e.g. UTC-4 "
            "(default: the clock's).",
        ),
        "zone_label": Field(Str(max_len=20), doc="Format 2: the zone's name shown, e.g. EDT."),
        "zone_changes": ZONE_CHANGES,
    },
    name="role",
)

VARIABLE = Obj(
    {
        "type": Field(
            Choice(VAR_TYPES),
            doc="number, bool or enum; guessed from 'initial' and 'values' when left out. "
            "Format 2: ladder, an enum whose values are rungs, lowest first: '+1' and '-1' "
            'move it a rung, and it can be ordered (defcon >= "DEFCON2").',
        ),
        "initial": Field(Expr(), True, "The starting value (a literal)."),
        "min": Field(Int(), doc="Numbers only: the lowest value; effects clamp to it."),
        "max": Field(Int(), doc="Numbers only: the highest value; effects clamp to it."),
        "values": Field(ListOf(Id(), max_items=100), doc="Enums only: the allowed values."),
        "label": Field(Str(max_len=80), doc="The name shown to the player."),
        "description": Field(
            Str(max_len=2000), doc="What the variable means (for writers and help)."
        ),
        "show": Field(
            Choice(SHOW),
            doc="meter (a bar; needs min and max), value, or hidden. Default: "
            "meter for numbers with min and max, value otherwise.",
        ),
        "roles": Field(ListOf(Id(), max_items=50), doc="Only these roles see it (default: all)."),
        "estimate": Field(
            Obj(
                {
                    "band": Field(
                        Int(minimum=1, maximum=10**6),
                        doc="Show a band this wide, e.g. 10 gives 'about 60-70'.",
                    ),
                    "words": Field(
                        MapOf(Int(), max_items=20),
                        doc="Show a word per range: word -> the lowest value it covers, "
                        "e.g. {calm: 0, tense: 40, critical: 75}.",
                    ),
                    "roles": Field(
                        ListOf(Id(), max_items=50),
                        doc="The roles that see it only roughly (default: every role).",
                    ),
                },
                name="estimate",
            ),
            doc="Format 2, numbers only: show the value only roughly (give band or words).",
        ),
        "zones": Field(
            MapOf(Int(), max_items=20),
            doc="Format 2, numbers only: named bands, name -> the lowest value in it, "
            "e.g. {critical: 80}.",
        ),
        "labels": Field(
            MapOf(Str(max_len=80), max_items=100),
            doc="Format 2, enums and ladders only: the text shown for a value, value -> "
            "text, e.g. {DEFCON2: DEFCON 2 (one step short of war)}; every key must be one "
            "of the values, and a value without a label is shown as it is.",
        ),
    },
    name="variable",
)

ADVISER = Obj(
    {
        "who": Field(Str(max_len=200), True, "The adviser's name."),
        "leans": Field(
            Id(),
            doc="Their leaning: one of the scenario's 'leanings' (default: hawk, dove, moderate).",
        ),
        "says": Field(TEXT, True, "What they urge."),
        "if": Field(Expr(), doc="Only when this condition holds."),
        "assume": Field(
            Expr(),
            doc="Format 2: what this takes for granted, e.g. quarantine_holds; never shown, "
            "checked by validate and explore.",
        ),
    },
    name="adviser",
)

CHOICE = Obj(
    {
        "id": Field(Id(), True, "Unique within the scene; saves record it."),
        "text": Field(Str(max_len=2000), True, "What the player does."),
        "stance": Field(
            Id(), True, "One of the scenario's stances (escalate, hold, negotiate...)."
        ),
        "if": Field(Expr(), doc="Only available when this condition holds."),
        "disabled": Field(
            Str(max_len=500),
            doc="When 'if' fails, show the choice greyed out with "
            "this reason instead of hiding it.",
        ),
        "effects": Field(EFFECTS),
        "result": Field(TEXT, doc="Shown after the choice is made, before the next scene."),
        "next": Field(
            ByKind(
                scalar=Id(),
                seq=ListOf(
                    Obj(
                        {
                            "if": Field(Expr(), doc="Go here when this holds."),
                            "to": Field(Id(), True, "The scene or ending."),
                        },
                        name="next entry",
                    ),
                    max_items=50,
                ),
                what="an id or a list of {if, to}",
            ),
            True,
            "The scene or ending that follows; format 2: or a list of {if: condition, "
            "to: id}, the first that holds wins, ending with an entry without 'if'.",
        ),
        "once": Field(Bool(), doc="Once taken, the choice is gone for the rest of the game."),
        "historical": Field(
            Bool(),
            doc="What really happened here: the ending screen marks where a player's path "
            "left the historical one.",
        ),
        "hours": Field(
            Number(minimum=0, maximum=24 * 365),
            doc="Clock time this choice takes (default: the clock's 'hours_per_turn').",
        ),
    },
    name="choice",
)

SCENE = Obj(
    {
        "title": Field(Str(max_len=200), doc="A short heading."),
        "when": Field(Str(max_len=200), doc="Date and time as shown (default: from the clock)."),
        "where": Field(Str(max_len=200), doc="The place."),
        "at": Field(
            Str(max_len=40),
            doc="Format 2: the clock moves forward to this moment, e.g. 1962-10-22 19:00, "
            "read in the playing role's zone. It never moves back.",
        ),
        "text": Field(TEXT, True, "The situation."),
        "assume": Field(
            Expr(),
            doc="Format 2: what this takes for granted, e.g. quarantine_holds; never shown, "
            "checked by validate and explore.",
        ),
        "effects": Field(EFFECTS, doc="Applied every time the scene is entered."),
        "advisers": Field(ListOf(ADVISER, max_items=50)),
        "choices": Field(
            ListOf(CHOICE, max_items=50),
            True,
            "What the player can do (1-9 shown with number keys).",
        ),
        "roles": Field(
            ListOf(Id(), max_items=50),
            doc="The roles whose part this scene is (default: any); a way here from "
            "another role's part is an error.",
        ),
    },
    name="scene",
)

OUTCOME = Obj(
    {
        "weight": Field(
            Expr(),
            doc="Relative chance (a number or an expression; default 1). "
            "Outcomes with weight 0 or less cannot happen.",
        ),
        "text": Field(TEXT, doc="What the player learns of the other side's answer."),
        "effects": Field(EFFECTS),
        "goto": Field(Id(), doc="Divert to this scene or ending instead of the choice's 'next'."),
        "if": Field(Expr(), doc="Format 2: this outcome can happen only when the condition holds."),
        "once": Field(Bool(), doc="Format 2: at most once per game."),
        "cooldown": Field(
            Int(minimum=1, maximum=1000),
            doc="Format 2: after it happens, not again for this many turns.",
        ),
    },
    name="outcome",
)

REACTION = Obj(
    {
        "id": Field(Id(), True, "Names the rule (it also seeds its random draw)."),
        "roles": Field(
            ListOf(Id(), max_items=50), doc="Applies only to these roles (default: all)."
        ),
        "if": Field(
            Expr(),
            doc="Fires only when this holds; 'stance' and 'choice' name what the player just did.",
        ),
        "outcomes": Field(ListOf(OUTCOME, max_items=50), True, "One is drawn by weight."),
        "once": Field(Bool(), doc="Format 2: at most once per game."),
        "cooldown": Field(
            Int(minimum=1, maximum=1000),
            doc="Format 2: after it happens, not again for this many turns.",
        ),
    },
    name="reaction",
)

TRIGGER = Obj(
    {
        "id": Field(Id(), True, "Names the trigger."),
        "roles": Field(
            ListOf(Id(), max_items=50), doc="Applies only to these roles (default: all)."
        ),
        "if": Field(
            Expr(), doc="Checked after every turn (required unless 'at' or 'after' is given)."
        ),
        "at": Field(
            Str(max_len=40),
            doc="Format 2: not before this clock time (in the clock's zone), "
            "e.g. 1962-10-24 10:00.",
        ),
        "after": Field(
            ByKind(
                scalar=Str(max_len=20, doc="A duration since the start: 36h, 90m or 2d."),
                map=Obj(
                    {
                        "hours": Field(Number(minimum=0, maximum=24 * 365), True),
                        "since": Field(
                            Expr(),
                            True,
                            'Count from the turn this first holds, e.g. chose("quarantine").',
                        ),
                    },
                    name="after",
                ),
                what="a duration or {hours, since}",
            ),
            doc="Format 2: not before this much clock time has passed.",
        ),
        "effects": Field(EFFECTS),
        "text": Field(TEXT, doc="Shown when it fires."),
        "goto": Field(Id(), doc="Divert to this scene or ending."),
        "once": Field(Bool(), doc="Fire at most once per game (default true)."),
    },
    name="trigger",
)

ENDING = Obj(
    {
        "title": Field(Str(max_len=200), True),
        "outcome": Field(Choice(OUTCOMES), True, "The class of ending."),
        "lesson": Field(Id(), doc="The id of the lesson this ending teaches."),
        "text": Field(TEXT, True, "The epilogue."),
        "history": Field(TEXT, doc="What really happened, for comparison."),
        "assume": Field(
            Expr(),
            doc="Format 2: what this takes for granted, e.g. quarantine_holds; never shown, "
            "checked by validate and explore.",
        ),
        "roles": Field(
            ListOf(Id(), max_items=50),
            doc="The roles this ending belongs to (default: every role whose part leads "
            "here); a way here from another role's part is an error, and the role's count "
            "of endings includes it.",
        ),
    },
    name="ending",
)

LESSON = Obj(
    {
        "title": Field(Str(max_len=200), doc="A short name."),
        "text": Field(Str(max_len=5000), True, "The lesson."),
    },
    shorthand="text",
    name="lesson",
)

LABELLED = Obj(
    {
        "label": Field(Str(max_len=80), True),
        "description": Field(Str(max_len=2000)),
    },
    shorthand="label",
    name="stance",
)

DEADLINE = Obj(
    {
        "label": Field(Str(max_len=80), True, "What happens then, e.g. Quarantine begins."),
        "at": Field(Str(max_len=40), True, "When, in the clock's zone, e.g. 1962-10-24 10:00."),
        "roles": Field(ListOf(Id(), max_items=50), doc="Shown only to these roles (default: all)."),
        "if": Field(
            Expr(),
            doc="Shown only while this condition holds, e.g. once the deadline is known "
            "(default: always).",
        ),
    },
    name="deadline",
)

CLOCK = Obj(
    {
        "start": Field(
            Str(max_len=40), True, "Date and time the game starts, e.g. 1962-10-16 08:45."
        ),
        "hours_per_turn": Field(
            Number(minimum=0, maximum=24 * 365), doc="Default time a choice takes (default 6)."
        ),
        "label": Field(Str(max_len=80), doc="Name shown for the clock."),
        "zone": Field(
            Str(max_len=20),
            doc="Format 2: the zone 'start' is read in, as a UTC offset, e.g. UTC-4 (default UTC).",
        ),
        "zone_changes": ZONE_CHANGES,
        "deadlines": Field(
            ListOf(DEADLINE, max_items=50),
            doc="Format 2: moments shown to the player with the clock.",
        ),
    },
    name="clock",
)

CONTENT_FIELDS: dict[str, Field] = {
    "include": Field(
        ListOf(Str(max_len=500), max_items=100),
        doc="Other files (relative to this one) whose content is merged in.",
    ),
    "stances": Field(MapOf(LABELLED, max_items=20), doc="The stance tags choices carry."),
    "leanings": Field(
        MapOf(LABELLED, max_items=20), doc="Advisers' leanings (default: hawk, dove, moderate)."
    ),
    "roles": Field(MapOf(ROLE, max_items=20)),
    "variables": Field(MapOf(VARIABLE, max_items=500)),
    "scenes": Field(MapOf(SCENE, max_items=5000, noun="scenes", env="BRINKMANSHIP_MAX_SCENES")),
    "reactions": Field(
        ListOf(REACTION, max_items=500),
        doc="The other side's rules, checked in order after each choice.",
    ),
    "triggers": Field(ListOf(TRIGGER, max_items=500), doc="Checked in order after each turn."),
    "endings": Field(MapOf(ENDING, max_items=1000)),
    "lessons": Field(MapOf(LESSON, max_items=100)),
}

SCENARIO = Obj(
    {
        "format": Field(Int(), True, "The format version: 1 or 2."),
        "id": Field(Id(), True, "The scenario's id (used by saves and the CLI)."),
        "title": Field(Str(max_len=200), True),
        "description": Field(TEXT),
        "author": Field(Str(max_len=200)),
        "clock": Field(CLOCK),
        **CONTENT_FIELDS,
    },
    name="scenario",
)

INCLUDED = Obj(dict(CONTENT_FIELDS), name="included file")


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario's main file."""
    schema = SCENARIO.schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://brinkmanship.invalid/schema/scenario-1.json",
        "title": "Brinkmanship scenario (format 1 or 2)",
        **schema,
    }


Converter = Callable[[Node, Checker], Any]
