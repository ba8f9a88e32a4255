"""Error types for everything a user can cause.

The CLI catches :class:`BrinkError` and prints its message without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

from brinkmanship.format.textsafe import inert_line


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a file, with its place (1-based line and column).

    ``cause`` names the file of an earlier error this one only follows from (a
    reference to what a file that does not parse would have defined): such errors
    are summarised after the errors that cause them, not listed as mistakes of their own.
    """

    path: str
    line: int
    col: int
    message: str
    code: str = "E000"
    severity: str = "error"  # "error" or "warning"
    cause: str = ""

    def __str__(self) -> str:
        where = inert_line(self.path)
        return f"{where}:{self.line}:{self.col}: {self.severity}[{self.code}]: {self.message}"

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "file": self.path,
            "line": self.line,
            "column": self.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }
        if self.cause:
            out["follows_from"] = self.cause
        return out


def split_causes(diagnostics: list[Diagnostic]) -> tuple[list[Diagnostic], dict[str, int]]:
    """The diagnostics that stand on their own, and per cause file how many follow from it."""
    own = [d for d in diagnostics if not d.cause]
    follow: dict[str, int] = {}
    for d in diagnostics:
        if d.cause:
            follow[d.cause] = follow.get(d.cause, 0) + 1
    return own, follow


def consequence_line(cause: str, n: int) -> str:
    """One line for the ``n`` errors that only follow from an error in ``cause``."""
    cause = inert_line(cause)
    if n == 1:
        return (
            f"... and 1 more error that follows only from the error in {cause} (a reference "
            "to something it defines or includes); fix that first"
        )
    return (
        f"... and {n} more errors that follow only from the error in {cause} (references "
        "to what it defines or includes); fix that first"
    )


def report_lines(
    diagnostics: list[Diagnostic], limit: int | None = None, more: str = ""
) -> list[str]:
    """Diagnostics as lines: root causes first (at most ``limit``, then a line saying how
    many more, ending with ``more``), then one line per file the rest follow from."""
    own, follow = split_causes(diagnostics)
    lines = [str(d) for d in own]
    if limit is not None and len(lines) > limit:
        lines = [*lines[: limit - 1], f"... and {len(own) - limit + 1} more errors{more}"]
    lines += [consequence_line(c, n) for c, n in follow.items()]
    return lines


class BrinkError(Exception):
    """Base class of the errors a user can cause; exit code 1 unless said otherwise."""

    exit_code = 1


class UsageError(BrinkError):
    exit_code = 2


class ScenarioError(BrinkError):
    """A scenario failed to load; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = [d for d in diagnostics if d.severity == "error"]
        self.warnings = [d for d in diagnostics if d.severity != "error"]
        super().__init__("\n".join(report_lines(self.diagnostics, 50)))


class SaveError(BrinkError):
    """A save file is unusable (exit 2 for replay --check)."""

    exit_code = 2


class GameError(BrinkError):
    """An illegal move or a broken game at run time (unknown choice, a stuck loop)."""
