"""A user's error as a few inert lines: what went wrong and where, never a traceback."""

from __future__ import annotations

from brinkmanship.format.errors import BrinkError, Diagnostic, ScenarioError, report_lines
from brinkmanship.format.textsafe import inert

MAX_ERROR_LINES = 5


def error_text(exc: BrinkError) -> str:
    """A user error in a few inert lines (a scenario's first errors; validate lists all)."""
    if isinstance(exc, ScenarioError) and exc.diagnostics:
        more = " ('brinkmanship validate' lists them all)"
        lines = report_lines(exc.diagnostics, MAX_ERROR_LINES, more)[:MAX_ERROR_LINES]
    else:
        lines = f"error: {exc}".splitlines()
        if len(lines) > MAX_ERROR_LINES:
            lines[MAX_ERROR_LINES - 1 :] = [f"... ({len(lines) - MAX_ERROR_LINES + 1} more lines)"]
    return "\n".join(inert(line) for line in lines)


def source_excerpt(d: Diagnostic, colour: bool = False, width: int = 100) -> list[str]:
    """The line a diagnostic points at, with a caret under its column (as compilers show),
    or nothing when the file cannot be read. Long lines are shown around the column."""
    text = None
    try:
        with open(d.path, encoding="utf-8-sig", errors="replace") as fh:
            for i, line in enumerate(fh, 1):
                if i == d.line:
                    text = line
                    break
    except (OSError, ValueError):
        return []
    if text is None:
        return []
    text = text.rstrip("\r\n").replace("\t", " ")
    col = max(1, min(d.col, len(text) + 1))
    start = 0
    if len(text) > width:
        start = max(0, min(col - width // 2, len(text) - width))
        text = text[start : start + width]
    num = f"{d.line:>5} | "
    caret = " " * (len(num) - 2) + "| " + " " * (col - 1 - start) + "^"
    if colour:
        caret = "\x1b[1;31m" + caret + "\x1b[0m"
    return [inert(num + text), caret]
