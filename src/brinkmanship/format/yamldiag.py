"""YAML mistakes in the writer's words, at the line that is wrong, with the fix.

PyYAML (its fast C parser) reads every file. When it fails, its message names the
place where it gave up, in parser terms ("did not find expected key"), often many
lines after the real mistake. Here we look at the text ourselves, line by line, to
find the cause: a tab in the indentation, a quote or bracket that is never closed, a
line indented to no level above it, a key at the level of a list's ``-`` items, a
``- `` item among the keys of a mapping, an unquoted ``: `` inside text, a value that
starts with a character YAML reserves. The result is one place and one plain
sentence that says what is wrong and what to write instead.

The scan only runs after PyYAML has failed, so it costs nothing on valid files; it
never raises, whatever the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A key at the start of a line (after any '- '): a plain word or a quoted one, then ':'.
_KEY = re.compile(r"""("[^"]*"|'[^']*'|[^\s#'"\[\]{},&*!|>%@`][^#]*?)\s*:(?=\s|$)""")
_BLOCK = re.compile(r"[|>][-+0-9]*\s*(#.*)?$")
_RESERVED = {
    "@": "'@'",
    "`": "a backtick (`)",
    "%": "'%'",
    "!": "'!'",
    "&": "'&'",
    "*": "'*'",
    "|": "'|'",
    ">": "'>'",
}
_JARGON = (
    ("could not find expected ':'", "a line here is neither 'key: value' nor a '- ' list item"),
    ("mapping values are not allowed", "': ' here would start a new key inside a value"),
    ("did not find expected '-' indicator", "a '- ' list item was expected at this indentation"),
    ("did not find expected key", "this line does not fit the lines above it"),
    ("found unknown escape character", 'a backslash in "double quotes" starts an escape'),
    ("found unexpected end of stream", "the file ends inside a value that was never closed"),
    ("tab character", "a tab in the indentation"),
    ("cannot start any token", "a character that cannot start a value here"),
    ("expected <block end>", "this line does not line up with the lines above it"),
    ("expected ',' or ']'", "a list in [brackets] is not closed"),
    ("expected ',' or '}'", "a mapping in {braces} is not closed"),
)


@dataclass(frozen=True, slots=True)
class Finding:
    """A YAML mistake: 1-based line and column, and the message."""

    line: int
    col: int
    message: str


@dataclass(slots=True)
class _Line:
    no: int  # 1-based
    text: str
    indent: int
    dash: bool = False
    inner: list[int] = field(default_factory=list)  # columns of more '- ' after the first
    key: str | None = None
    key_col: int = 0  # 0-based column of the key (or of the item after '- ')
    value: str = ""  # the rest of the line after 'key:' (or after '- '), comment included
    value_col: int = 0  # 0-based

    @property
    def kind(self) -> str:
        return "seq" if self.dash else ("map" if self.key is not None else "scalar")

    @property
    def bare_value(self) -> str:
        """The value without a trailing comment, an anchor (&name) or a tag (!tag)."""
        v = _strip_comment(self.value).strip()
        while _starts(v, "&!") and " " in v:
            v = v.split(None, 1)[1]
        return v

    def opens_block(self) -> bool:
        v = self.bare_value
        return v == "" or (v[:1] in "&!" and " " not in v)


def _starts(text: str, chars: str) -> bool:
    """Whether ``text`` starts with one of ``chars`` (False for empty text)."""
    return bool(text) and text[0] in chars


def _strip_comment(text: str) -> str:
    """``text`` up to a ' #' comment, ignoring '#' inside quotes."""
    quote = ""
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'" and (i == 0 or text[i - 1] in " [{,"):
            quote = ch
        elif ch == "#" and (i == 0 or text[i - 1] in " \t"):
            return text[:i]
    return text


def _split(no: int, text: str) -> _Line:
    stripped = text.lstrip(" ")
    indent = len(text) - len(stripped)
    ln = _Line(no, text, indent)
    pos = indent
    body = stripped
    while body == "-" or body.startswith(("- ", "-\t")):  # '- - x': a list in a list
        if ln.dash:
            ln.inner.append(pos)
        ln.dash = True
        rest = body[1:]
        pos += 1 + (len(rest) - len(rest.lstrip()))
        body = rest.lstrip()
    ln.key_col = pos
    m = _KEY.match(body)
    if m is not None and not body.startswith(("#",)):
        ln.key = m.group(1)
        after = body[m.end() :]
        ln.value_col = pos + m.end() + (len(after) - len(after.lstrip()))
        ln.value = after.strip()
    else:
        ln.value_col = pos
        ln.value = body.rstrip()
    return ln


def _quote_end(lines: list[str], li: int, start: int, q: str) -> tuple[int, int] | None:
    """Where the quote opened at (line index li, column start) closes: (line index, col)."""
    i, j = li, start + 1
    while i < len(lines):
        s = lines[i]
        while j < len(s):
            ch = s[j]
            if q == '"' and ch == "\\":
                j += 2
                continue
            if ch == q:
                if q == "'" and j + 1 < len(s) and s[j + 1] == "'":
                    j += 2
                    continue
                return i, j
            j += 1
        i, j = i + 1, 0
    return None


def _flow_end(lines: list[str], li: int, start: int) -> tuple[int, int] | None:
    """Where the bracket opened at (li, start) is closed (quotes respected)."""
    depth = 0
    i, j = li, start
    quote = ""
    while i < len(lines):
        s = lines[i]
        while j < len(s):
            ch = s[j]
            if quote:
                if quote == '"' and ch == "\\":
                    j += 1
                elif quote == "'" and ch == "'" and j + 1 < len(s) and s[j + 1] == "'":
                    j += 1  # '' inside single quotes is one quote
                elif ch == quote:
                    quote = ""
            elif ch in "\"'" and (j == 0 or s[j - 1] in " [{,:"):
                quote = ch
            elif ch == "#" and j > 0 and s[j - 1] == " ":
                break
            elif ch in "[{":
                depth += 1
            elif ch in "]}":
                depth -= 1
                if depth == 0:
                    return i, j
            j += 1
        i, j = i + 1, 0
    return None


@dataclass(slots=True)
class _Span:
    """A quoted or bracketed value that starts on one line and ends on another (or never)."""

    line: int  # line index where it opens
    col: int
    char: str
    end: tuple[int, int] | None


def _scan(lines: list[str]) -> tuple[list[_Line], list[_Span], list[_Span]]:
    """The lines that carry structure, and the quotes and brackets that span lines.

    Lines inside block text (``|``, ``>``), inside a quoted value or a [list] that
    goes on over several lines, blank lines and comments carry no structure.
    """
    out: list[_Line] = []
    quotes: list[_Span] = []
    flows: list[_Span] = []
    i = 0
    while i < len(lines):
        text = lines[i]
        stripped = text.strip()
        if not stripped or stripped.startswith("#") or stripped in ("---", "..."):
            i += 1
            continue
        ln = _split(i + 1, text.replace("\t", " ") if text[:1] == "\t" else text)
        ln.text = text
        out.append(ln)
        v = ln.bare_value
        nxt = i + 1
        if _BLOCK.match(v) and _starts(v, "|>"):
            parent = ln.key_col if ln.key is not None else ln.indent
            while nxt < len(lines):
                s = lines[nxt]
                if s.strip() and len(s) - len(s.lstrip(" ")) <= parent:
                    break
                nxt += 1
        elif _starts(v, "\"'"):
            end = _quote_end(lines, i, ln.value_col, v[0])
            if end is None or end[0] != i:
                quotes.append(_Span(i, ln.value_col, v[0], end))
                nxt = len(lines) if end is None else end[0] + 1
        elif _starts(v, "[{"):
            end = _flow_end(lines, i, ln.value_col)
            if end is None or end[0] != i:
                flows.append(_Span(i, ln.value_col, v[0], end))
                nxt = len(lines) if end is None else end[0] + 1
        i = nxt
    return out, quotes, flows


def _spaces(n: int) -> str:
    return "1 space" if n == 1 else f"{n} spaces"


def _where(ln: _Line) -> str:
    if ln.key is not None:
        return f"'{ln.key}' on line {ln.no}"
    return f"line {ln.no}"


def _reindent(ln: _Line, cols: int) -> str:
    return " " * cols + ln.text.lstrip(" \t")


def structure_problem(lines: list[_Line]) -> Finding | None:
    """The first line whose indentation or kind breaks the block structure above it."""
    stack: list[tuple[int, str, _Line]] = []  # (indent, "map"|"seq", the line that set it)
    child_of: _Line | None = None  # the previous line opened a block: its children go deeper
    scalar_open = False  # the previous value was plain text: deeper lines may continue it
    prev: _Line | None = None
    for ln in lines:
        n, kind = ln.indent, ln.kind
        pushed = False
        if child_of is not None:
            parent = child_of.key_col if child_of.key is not None else child_of.indent
            if n > parent or (n == parent and kind == "seq" and child_of.key is not None):
                if kind == "scalar":
                    scalar_open = True
                    prev, child_of = ln, None
                    continue
                stack.append((n, kind, ln))
                pushed = True
        if not pushed:
            popped: tuple[int, str, _Line] | None = None
            while stack and stack[-1][0] > n:
                popped = stack.pop()
            top = stack[-1] if stack else None
            if top is None or top[0] < n:
                if popped is None and kind == "scalar" and scalar_open:
                    prev = ln
                    continue  # more of a plain text value
                if top is None and popped is None and not stack:
                    stack.append((n, kind, ln))
                elif popped is None and prev is not None:
                    return _too_deep(ln, prev, scalar_open)
                else:
                    assert popped is not None
                    levels = sorted({popped[0], *(e[0] for e in stack if e[0] < n)})
                    best = min(levels, key=lambda c: (abs(c - n), -c))
                    like = next(
                        (e[2] for e in [popped, *reversed(stack)] if e[0] == best), popped[2]
                    )
                    return Finding(
                        ln.no,
                        n + 1,
                        f"this line is indented {_spaces(n)}, which lines it up with nothing "
                        f"above it; indent it {_spaces(best)}, like {_where(like)}",
                    )
            elif top[1] != kind:
                if top[1] == "seq" and kind == "map":
                    below = stack[-2] if len(stack) > 1 else None
                    if below is not None and below[0] == n and below[1] == "map":
                        stack.pop()  # a list written at its key's indentation ended
                    else:
                        item = next((e[2] for e in [popped] if e is not None), top[2])
                        col = item.key_col
                        return Finding(
                            ln.no,
                            n + 1,
                            f"'{ln.key}' is at the indentation of the '- ' items of the list "
                            f"above, but it is not a list item: if it belongs to the item "
                            f"above, indent it {_spaces(col)}, like {_where(item)}; if it starts "
                            f"a new item, write it as '- {ln.text.strip()}'",
                        )
                elif top[1] == "map" and kind == "seq":
                    return Finding(
                        ln.no,
                        n + 1,
                        "a '- ' list item among the keys of a mapping (like "
                        f"{_where(top[2])}): a list goes under a key of its own "
                        "('key:' then the '- ' items indented below it), and a key is "
                        "written 'name: value'",
                    )
                elif kind == "scalar":
                    return Finding(
                        ln.no,
                        n + 1,
                        f"this line has no 'key:' but stands among keys (like "
                        f"{_where(top[2])}); write it as 'key: value', or, if it continues "
                        "the text above, indent it further or put the whole text in quotes",
                    )
        # What this line opens.
        child_of = None
        scalar_open = False
        for c in ln.inner:
            stack.append((c, "seq", ln))
        if ln.dash and ln.key is not None:
            stack.append((ln.key_col, "map", ln))
        if ln.opens_block():
            child_of = ln
        else:
            v = ln.bare_value
            scalar_open = bool(v) and not _starts(v, "\"'[{") and not _BLOCK.match(v)
        prev = ln
    return None


def _too_deep(ln: _Line, prev: _Line, scalar_open: bool) -> Finding:
    """``ln`` is indented under ``prev``, whose value is already complete."""
    what = "more of that line's text" if scalar_open else "a value under it, though it has one"
    col = prev.key_col
    name = repr(ln.key) if ln.key is not None else "this line"
    if prev.dash and prev.key is None:
        return Finding(
            ln.no,
            ln.indent + 1,
            f"{name} lines up with the text of the list item on line {prev.no} "
            f"({prev.text.strip()!r}), so YAML reads it as {what}; if that item is meant to "
            f"hold keys, write its first key after the '- ', or indent {name} like the keys "
            "above the item",
        )
    like = f"'{prev.key}'" if prev.key is not None else "the line above"
    return Finding(
        ln.no,
        ln.indent + 1,
        f"{name} is indented {_spaces(ln.indent - col)} more than {like} on line {prev.no}, "
        f"so YAML reads it as {what}; line it up with {like}: start it at column {col + 1} "
        f"({_spaces(col)})",
    )


MAX_SHOWN = 160


def _show(line: str) -> str:
    """A corrected line for a message: whole when short, else its start and end."""
    line = line.strip()
    if len(line) <= MAX_SHOWN:
        return line
    head, tail = line[: MAX_SHOWN - 50], line[-40:]
    cut = head.rfind(" ")
    head = head[:cut] if cut > 40 else head
    return f"{head} … {tail}"


def _quoted(text: str) -> str:
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def _fix_quote(ln: _Line) -> str:
    head = ln.text[: ln.value_col].strip()
    return f"{head} {_quoted(_strip_comment(ln.value).strip())}".strip()


def _tab_problem(raw: list[str], last: int) -> Finding | None:
    for i, text in enumerate(raw[: last + 1]):
        lead = text[: len(text) - len(text.lstrip(" \t"))]
        if "\t" in lead:
            col = lead.index("\t") + 1
            return Finding(
                i + 1,
                col,
                "a tab in the indentation: YAML indents with spaces only; replace the tab "
                "with spaces (set your editor to insert spaces for the Tab key)",
            )
    return None


def _quote_problem(raw: list[str], spans: list[_Span], eline: int) -> Finding | None:
    for sp in spans:
        end_line = None if sp.end is None else sp.end[0]
        if sp.line > eline or (end_line is not None and end_line < eline - 1):
            continue
        text = raw[sp.line]
        inner = text[sp.col + 1 :].rstrip()
        closed = f"{text.rstrip()}{sp.char}".strip()
        runs = "to the end of the file" if end_line is None else f"on to line {end_line + 1}"
        if sp.char in inner:
            closed = text[: sp.col].strip() + " " + _quoted(inner)
        return Finding(
            sp.line + 1,
            sp.col + 1,
            f"this text opens a {sp.char} quote that the line does not close, so YAML reads "
            f"{runs} as part of it; close the quote at the end of the line: {_show(closed)}",
        )
    return None


def _early_close(ln: _Line, raw: list[str]) -> Finding | None:
    """``key: "text "with" quotes"``: the quote closes early and more text follows."""
    v = ln.value
    if not _starts(v, "\"'"):
        return None
    end = _quote_end(raw, ln.no - 1, ln.value_col, v[0])
    if end is None or end[0] != ln.no - 1:
        return None
    rest = ln.text[end[1] + 1 :]
    if not rest.strip() or rest.lstrip().startswith("#") or _starts(rest.lstrip(), ":,]}"):
        return None
    whole = _strip_comment(ln.value).strip()[1:]
    if whole.endswith(v[0]):
        whole = whole[:-1]
    other = "'" if v[0] == '"' else '"'
    fixed = ln.text[: ln.value_col].strip() + " " + other + whole.replace(other, other * 2) + other
    if other == '"':
        fixed = (
            ln.text[: ln.value_col].strip()
            + ' "'
            + whole.replace("\\", "\\\\").replace('"', '\\"')
            + '"'
        )
    return Finding(
        ln.no,
        end[1] + 1,
        f"the text is in {v[0]} quotes and also holds a {v[0]}, which ends it early; "
        f"quote the whole text with {other} instead: {_show(fixed)}",
    )


def _flow_problem(raw: list[str], spans: list[_Span], eline: int) -> Finding | None:
    for sp in spans:
        end_line = None if sp.end is None else sp.end[0]
        if sp.line > eline or (end_line is not None and end_line < eline - 1):
            continue
        close = "]" if sp.char == "[" else "}"
        what = "list" if sp.char == "[" else "mapping"
        text = raw[sp.line].rstrip()
        return Finding(
            sp.line + 1,
            sp.col + 1,
            f"this {what} opens with {sp.char} but the line does not close it with {close}; "
            f"if it is a {what}, close it: {_show(text + close)}; if it is text, put the "
            f"whole text in quotes",
        )
    return None


def _colon_problem(ln: _Line, ecol: int) -> Finding | None:
    """An unquoted ': ' inside a value."""
    if ln.key is None or ecol <= ln.value_col or _starts(ln.value, "\"'[{"):
        return None
    return Finding(
        ln.no,
        ecol + 1,
        f"the text after '{ln.key}:' holds ': ', which YAML reads as the start of another "
        f"key; put the text in quotes: {_show(_fix_quote(ln))}",
    )


def _reserved_problem(ln: _Line) -> Finding | None:
    v = ln.bare_value
    if not v:
        return None
    first = v[0]
    if first in _RESERVED and not _BLOCK.match(ln.value):
        return Finding(
            ln.no,
            ln.value_col + 1,
            f"a value cannot start with {_RESERVED[first]} unless it is quoted (YAML "
            f"reserves it); put the text in quotes: {_show(_fix_quote(ln))}",
        )
    if first in "[{":
        end = _flow_end([ln.text], 0, ln.value_col)
        after = "" if end is None else ln.text[end[1] + 1 :].strip()
        if after and not _starts(after, "#"):
            return Finding(
                ln.no,
                ln.value_col + 1,
                f"text that starts with {first} is read as a "
                f"{'list' if first == '[' else 'mapping'}, and more text follows it; put the "
                f"whole text in quotes: {_show(_fix_quote(ln))}",
            )
    return None


def _odd_line(ln: _Line, ecol: int) -> Finding | None:
    """A line that starts with ':' or '?', a tab between words, a bad block indicator."""
    body = ln.text.strip()
    if body[:1] in (":", "?") and (len(body) == 1 or body[1] in " \t"):
        return Finding(
            ln.no,
            ln.indent + 1,
            f"a line cannot start with {body[0]!r} here: YAML reads it as a value without "
            f"a key; remove the {body[0]!r}, or write 'key: value'",
        )
    if "\t" in ln.text[: ecol + 1] and 0 <= ecol < len(ln.text):
        tab = ln.text.index("\t")
        return Finding(
            ln.no,
            tab + 1,
            "a tab on this line: YAML separates and indents with spaces only; replace the "
            "tab with spaces",
        )
    v = ln.bare_value
    if _starts(v, "|>") and not _BLOCK.match(v):
        return Finding(
            ln.no,
            ln.value_col + 1,
            f"{v.split()[0]!r} is not a block text marker: write | (keep line breaks) or > "
            "(join lines), optionally followed by - (drop the last line break), and the "
            "text on the lines below, indented",
        )
    return None


def plain_words(problem: str) -> str:
    """A PyYAML problem in words without parser jargon."""
    for jargon, words in _JARGON:
        if jargon in problem:
            return words
    return "YAML cannot read this line"


def diagnose(text: str, eline: int, ecol: int, problem: str) -> Finding:
    """The cause of a YAML error PyYAML reported at 0-based (eline, ecol)."""
    try:
        return _diagnose(text, eline, ecol, problem)
    except (IndexError, ValueError, AssertionError, RecursionError):  # pragma: no cover
        return Finding(eline + 1, ecol + 1, _fallback(problem))


def _fallback(problem: str) -> str:
    return (
        f"{plain_words(problem)}; check this line and the one above it: their "
        "indentation (spaces, lined up with the keys they belong to), their quotes and "
        "brackets (each one closed), and put text that holds ': ' or starts with a "
        "special character in quotes"
    )


def _diagnose(text: str, eline: int, ecol: int, problem: str) -> Finding:
    if "nesting depth" in problem:
        return Finding(
            eline + 1,
            ecol + 1,
            "lists and mappings nested too deeply inside each other; a scenario needs "
            "only a few levels",
        )
    raw = text.split("\n")
    eline = min(max(eline, 0), max(len(raw) - 1, 0))
    found = _tab_problem(raw, min(eline + 1, len(raw) - 1))
    if found is not None:
        return found
    lines, quotes, flows = _scan(raw)
    found = _quote_problem(raw, quotes, eline) or _flow_problem(raw, flows, eline)
    if found is not None:
        return found
    upto = [ln for ln in lines if ln.no <= eline + 1]
    here = next((ln for ln in reversed(upto) if ln.no == eline + 1), None)
    if here is not None:
        found = _early_close(here, raw)
        if found is not None:
            return found
    found = structure_problem(upto)
    if found is not None:
        return found
    if here is not None:
        found = _odd_line(here, ecol)
        if found is not None:
            return found
        if "mapping values" in problem:
            found = _colon_problem(here, ecol)
            if found is not None:
                return found
        found = _reserved_problem(here)
        if found is not None:
            return found
        if "escape" in problem:
            return Finding(
                eline + 1,
                ecol + 1,
                'a backslash inside "double quotes" starts an escape such as \\n; write '
                "\\\\ for a backslash, or put the text in 'single quotes'",
            )
    # A line PyYAML stopped after: the cause may be the line before.
    before = [ln for ln in lines if ln.no <= eline]
    if before and "could not find expected ':'" in problem:
        ln = before[-1]
        if ln.key is None:
            return Finding(
                ln.no,
                ln.indent + 1,
                "this line has no 'key:'; write it as 'key: value', or, if it continues "
                "the text above, indent it further or put the whole text in quotes",
            )
    return Finding(eline + 1, ecol + 1, _fallback(problem))
