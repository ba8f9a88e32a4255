"""Read untrusted YAML into a tree of nodes that remember where they came from.

We build the tree from PyYAML's *event* stream rather than calling ``safe_load``:
that way every key and value keeps its line and column, duplicate keys are
caught (``safe_load`` silently keeps the last), nesting depth and alias
expansion are bounded before anything recursive runs, and no object is ever
constructed from a tag.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from brinkmanship.format.errors import Diagnostic, ScenarioError
from brinkmanship.format.textfile import DEFAULT_LIMITS as DEFAULT_LIMITS
from brinkmanship.format.textfile import MAX_NUMBER_CHARS as MAX_NUMBER_CHARS
from brinkmanship.format.textfile import MAX_VALUES as MAX_VALUES
from brinkmanship.format.textfile import Limits as Limits
from brinkmanship.format.textfile import fail as _fail
from brinkmanship.format.textfile import read_text as read_text
from brinkmanship.format.yamldiag import diagnose

try:  # the C parser is much faster; fall back to pure Python when libyaml is absent
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


_STD_TAGS = {
    "tag:yaml.org,2002:str": "str",
    "tag:yaml.org,2002:int": "int",
    "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:map": "map",
    "tag:yaml.org,2002:seq": "seq",
    "!": "str",
}
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_MISSING: Any = object()


@dataclass(slots=True, eq=False)
class Node:
    """A YAML node: ``kind`` is "map", "seq" or "scalar"; line and col are 1-based."""

    kind: str
    path: str
    line: int
    col: int
    value: Any = None  # map: list[(key Node, value Node)]; seq: list[Node]; scalar: Python value
    raw: str = ""  # a scalar's source text
    plain: bool = False  # an unquoted scalar
    size: int = 1  # nodes below and including this one, aliases expanded
    chars: int = 0  # characters of text below and including this one, aliases expanded

    @property
    def where(self) -> tuple[str, int, int]:
        return (self.path, self.line, self.col)

    def items(self) -> list[tuple[Node, Node]]:
        return self.value if self.kind == "map" else []

    def get(self, key: str) -> Node | None:
        for k, v in self.items():
            if k.raw == key:
                return v
        return None

    def to_python(self) -> Any:
        """Plain Python data (for hashing and JSON); map keys are their source text."""
        if self.kind == "map":
            return {k.raw: v.to_python() for k, v in self.value}
        if self.kind == "seq":
            return [v.to_python() for v in self.value]
        return self.value


@dataclass(slots=True)
class _Open:
    node: Node
    pending_key: Node | None = None
    skip_value: bool = False
    keys: dict[str, Node] = field(default_factory=dict)


def _clip(text: str, n: int = 60) -> str:
    """Untrusted text shortened for an error message."""
    return text if len(text) <= n else text[: n - 1] + "…"


def _scalar_value(event: yaml.ScalarEvent, path: str, line: int, col: int, limits: Limits) -> Any:
    try:
        return _resolve_scalar(event, path, line, col)
    except _OversizedNumber as exc:
        if limits.oversized_numbers_as_text:
            return event.value
        raise _fail(path, line, col, str(exc), "Y005") from None


class _OversizedNumber(Exception):
    pass


def _resolve_scalar(event: yaml.ScalarEvent, path: str, line: int, col: int) -> Any:
    tag = event.tag
    if tag is not None and tag not in _STD_TAGS:
        raise _fail(path, line, col, f"unsupported YAML tag {_clip(tag)!r}", "Y004")
    if tag is None:
        if not event.implicit[0]:
            return event.value  # quoted: always a string
        tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, (True, False))  # type: ignore[no-untyped-call]
    kind = _STD_TAGS.get(tag, "str")
    if kind in ("str", "map", "seq"):
        return event.value
    if kind in ("int", "float"):
        _check_number_text(event.value)
    node = yaml.ScalarNode(tag, event.value)
    try:
        value = _CONSTRUCTOR.construct_object(node)
    except (yaml.YAMLError, ValueError) as exc:
        raise _fail(
            path, line, col, f"bad {kind} value {_clip(event.value)!r}: {_clip(str(exc))}", "Y005"
        ) from None
    if isinstance(value, float) and not math.isfinite(value):
        raise _OversizedNumber(
            f"the number {_clip(event.value)!r} is not finite; write an ordinary number, "
            "or quote it if it is meant as text"
        )
    return value


def _check_number_text(text: str) -> None:
    if len(text) > MAX_NUMBER_CHARS:
        raise _OversizedNumber(
            f"a number written with more than {MAX_NUMBER_CHARS} characters "
            f"({_clip(text, 24)!r}); write a smaller one, or quote it if it is meant as text"
        )


_GLUED = re.compile(r"[ \t]+#[^\s#]")


def _glued_comment(
    text: str, event: yaml.ScalarEvent, end: Any, path: str, found: list[Diagnostic]
) -> None:
    """Unquoted text followed on its line by ' #word': YAML drops it as a comment, which
    a writer who typed 'option #2' did not mean (a comment is usually '# words')."""
    if text[end.index : end.index + 1] not in (" ", "\t"):
        return  # the usual case: the value ends its line, or a ':' follows a key
    m = _GLUED.match(text, end.index)
    if m is None or " " not in event.value:
        return
    line_end = text.find("\n", end.index)
    dropped = text[m.start() : line_end if line_end >= 0 else len(text)].strip()
    found.append(
        Diagnostic(
            path,
            end.line + 1,
            end.column + (m.end() - m.start()) - 1,
            f"the text {_clip(dropped, 30)!r} after ' #' is read as a comment and left out "
            f"of {_clip(event.value, 30)!r}; if it belongs to the text, put the whole text in "
            f'quotes: "{_clip(event.value + " " + dropped, 60)}"',
            "Y014",
            "warning",
        )
    )


def parse_yaml(
    text: str, path: str, limits: Limits = DEFAULT_LIMITS, found: list[Diagnostic] | None = None
) -> Node:
    """Parse one YAML document into a :class:`Node` tree, or raise ScenarioError.

    Problems that do not stop parsing (duplicate keys) are appended to ``found``
    when given, and raised as an error otherwise.
    """
    own = found is None
    found = [] if found is None else found
    loader = _Loader(text)
    try:
        root = _build(loader.get_event, text, path, limits, found)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = f"{exc.context or ''} {exc.problem or ''}"
        cause = diagnose(text, mark.line if mark else 0, mark.column if mark else 0, problem)
        raise _fail(path, cause.line, cause.col, cause.message, "Y002") from None
    except yaml.YAMLError:
        raise _fail(path, 1, 1, "YAML cannot read this file", "Y002") from None
    except RecursionError:
        raise _fail(path, 1, 1, "YAML nested too deeply", "Y010") from None
    finally:
        loader.dispose()
    if root is None or (root.kind == "scalar" and root.value is None):
        raise _fail(path, 1, 1, "the file is empty: expected a YAML mapping", "Y013")
    if own and found:
        raise ScenarioError(found)
    return root


_SCALAR = yaml.ScalarEvent
_MAP_START = yaml.MappingStartEvent
_SEQ_START = yaml.SequenceStartEvent
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_ALIAS = yaml.AliasEvent
_DOC_START = yaml.DocumentStartEvent
_STREAM_END = yaml.StreamEndEvent


def _build(
    next_event: Any, text: str, path: str, limits: Limits, found: list[Diagnostic]
) -> Node | None:
    """The event loop of :func:`parse_yaml`, one event at a time straight from the C
    parser (no generator, type tests by identity, plain values resolved once each)."""
    stack: list[_Open] = []
    anchors: dict[str, Node] = {}
    plain_values: dict[str, Any] = {}  # an unquoted, untagged scalar's text -> its value
    root: Node | None = None
    total = 0
    chars = 0
    docs = 0
    max_string, max_depth = limits.max_string, limits.max_depth
    max_nodes, max_chars = limits.max_nodes, limits.max_chars
    while True:
        event = next_event()
        kind = type(event)
        if kind is _SCALAR:
            mark = event.start_mark
            line, col = mark.line + 1, mark.column + 1
            value = event.value
            style = event.style
            if not style:
                _glued_comment(text, event, event.end_mark, path, found)
            if len(value) > max_string:
                raise _fail(path, line, col, f"text longer than {max_string} characters", "Y009")
            plain = event.implicit[0]
            if event.tag is None and plain:
                got = plain_values.get(value, _MISSING)
                if got is _MISSING:
                    got = plain_values[value] = _scalar_value(event, path, line, col, limits)
            else:
                got = _scalar_value(event, path, line, col, limits)
            node = Node(
                "scalar", path, line, col, got, value, plain and not style, chars=len(value)
            )
            if event.anchor:
                anchors[event.anchor] = node
        elif kind is _MAP_START or kind is _SEQ_START:
            mark = event.start_mark
            line, col = mark.line + 1, mark.column + 1
            tag = event.tag
            if tag is not None and tag not in _STD_TAGS:
                raise _fail(path, line, col, f"unsupported YAML tag {_clip(tag)!r}", "Y004")
            node = Node("map" if kind is _MAP_START else "seq", path, line, col, [])
            if len(stack) >= max_depth:
                raise _fail(path, line, col, f"nesting deeper than {max_depth} levels", "Y010")
            if event.anchor:
                anchors[event.anchor] = node
            stack.append(_Open(node))
            total += 1
            continue
        elif kind in _ENDS:
            node = stack.pop().node
            if not stack:
                root = node
            else:
                _attach(stack[-1], node, path, found)
            continue
        elif kind is _ALIAS:
            mark = event.start_mark
            line, col = mark.line + 1, mark.column + 1
            target = anchors.get(event.anchor or "")
            if target is None or any(o.node is target for o in stack):
                raise _fail(
                    path,
                    line,
                    col,
                    f"unknown or recursive alias *{_clip(event.anchor or '')}",
                    "Y011",
                )
            node = target
        elif kind is _DOC_START:
            docs += 1
            if docs > 1:
                mark = event.start_mark
                raise _fail(
                    path,
                    mark.line + 1,
                    mark.column + 1,
                    "only one YAML document per file is allowed",
                    "Y008",
                )
            continue
        elif kind is _STREAM_END or event is None:
            return root
        else:
            continue
        total += node.size
        chars += node.chars
        if total > max_nodes:
            raise _fail(
                path,
                line,
                col,
                f"document too large: more than {max_nodes} values "
                "(counting aliases expanded); split the story into smaller scenarios, "
                "or set BRINKMANSHIP_MAX_VALUES to raise the limit",
                "Y012",
            )
        if chars > max_chars:
            raise _fail(
                path,
                line,
                col,
                f"document too large: more than {max_chars} characters of text "
                "(counting aliases expanded)",
                "Y012",
            )
        if not stack:
            root = node
        else:
            _attach(stack[-1], node, path, found)


def _attach(top: _Open, node: Node, path: str, found: list[Diagnostic]) -> None:
    """Add ``node`` to the open map or list ``top``: a map's key, or the value for it."""
    parent = top.node
    parent.size += node.size
    parent.chars += node.chars
    if parent.kind == "seq":
        parent.value.append(node)
    elif top.pending_key is None:
        if node.kind != "scalar":
            raise _fail(path, node.line, node.col, "a mapping key must be a plain value", "Y006")
        if node.raw == "<<" and node.plain:
            raise _fail(
                path, node.line, node.col, "YAML merge keys ('<<') are not supported", "Y007"
            )
        first = top.keys.get(node.raw)
        top.skip_value = first is not None
        if first is not None:
            found.append(
                Diagnostic(
                    path,
                    node.line,
                    node.col,
                    f"duplicate key {_clip(node.raw)!r} (first defined at line {first.line}): "
                    "YAML would silently keep only the last one; rename one of them (a new "
                    "entry needs a name of its own) or delete the one you do not want",
                    "Y003",
                )
            )
        else:
            top.keys[node.raw] = node
        top.pending_key = node
    else:
        if not top.skip_value:
            parent.value.append((top.pending_key, node))
        top.pending_key = None
        top.skip_value = False
