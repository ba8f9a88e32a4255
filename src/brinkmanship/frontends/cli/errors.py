"""A user's error as a few inert lines: what went wrong and where, never a traceback."""

from __future__ import annotations

from brinkmanship.format.errors import BrinkError, ScenarioError
from brinkmanship.format.textsafe import inert

MAX_ERROR_LINES = 5


def error_text(exc: BrinkError) -> str:
    """A user error in a few inert lines (a scenario's first errors; validate lists all)."""
    if isinstance(exc, ScenarioError) and exc.diagnostics:
        lines = [str(d) for d in exc.diagnostics[:MAX_ERROR_LINES]]
        if len(exc.diagnostics) > MAX_ERROR_LINES:
            lines[-1] = (
                f"... and {len(exc.diagnostics) - MAX_ERROR_LINES + 1} more errors "
                "('brinkmanship validate' lists them all)"
            )
    else:
        lines = f"error: {exc}".splitlines()
        if len(lines) > MAX_ERROR_LINES:
            lines[MAX_ERROR_LINES - 1 :] = [f"... ({len(lines) - MAX_ERROR_LINES + 1} more lines)"]
    return "\n".join(inert(line) for line in lines)
