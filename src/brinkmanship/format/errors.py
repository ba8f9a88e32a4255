"""Error types for everything a user can cause.

The CLI catches :class:`BrinkError` and prints its message without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a file, with its place (1-based line and column)."""

    path: str
    line: int
    col: int
    message: str
    code: str = "E000"
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.path,
            "line": self.line,
            "column": self.col,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


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
        n = len(self.diagnostics)
        head = "\n".join(str(d) for d in self.diagnostics[:50])
        more = f"\n... and {n - 50} more errors" if n > 50 else ""
        super().__init__(head + more)


class SaveError(BrinkError):
    """A save file is unusable (exit 2 for replay --check)."""

    exit_code = 2


class GameError(BrinkError):
    """An illegal move or a broken game at run time (unknown choice, a stuck loop)."""
