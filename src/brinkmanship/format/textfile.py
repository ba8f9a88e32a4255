"""Read an untrusted text file: a regular file only, bounded in size, UTF-8.

The limits every untrusted file is read with live here too (``Limits``), so that what
reads small JSON files (settings, the endings gallery) needs no YAML parser.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass

from brinkmanship.format.errors import Diagnostic, ScenarioError


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


_MAX_FILE_BYTES = _env_int("BRINKMANSHIP_MAX_FILE_BYTES", 4 * 1024 * 1024)
# Values in a scenario (13 times the flagship's 15,000): loading costs about 6 us a
# value, so a scenario at the limit still starts in under 2 s (benchmarks/bench_limits.py).
MAX_VALUES = _env_int("BRINKMANSHIP_MAX_VALUES", 200_000)


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on what one YAML file (and one scenario, all its files together) may contain.

    Aliases count as full copies of what they name, so a small file cannot expand
    into a huge tree (a "billion laughs" bomb) or a huge amount of text.
    """

    max_bytes: int = _MAX_FILE_BYTES
    max_depth: int = 64
    max_nodes: int = MAX_VALUES  # values in one file, counting every alias as a full copy
    max_string: int = 200_000
    max_chars: int = 2 * _MAX_FILE_BYTES  # characters of text in one file, aliases expanded
    # A whole scenario: the main file and everything it includes.
    max_total_bytes: int = _env_int("BRINKMANSHIP_MAX_TOTAL_BYTES", 16 * 1024 * 1024)
    max_total_nodes: int = MAX_VALUES
    # Syntax parts of all expressions, counting every use: bounds the work of one turn.
    max_expr_parts: int = _env_int("BRINKMANSHIP_MAX_EXPR_PARTS", 100_000)
    # A number too long or too large is an error; with this set it is read as its text
    # instead (saves: the field that holds it then refuses or ignores it on its own).
    oversized_numbers_as_text: bool = False


DEFAULT_LIMITS = Limits()

# Numbers in untrusted files are bounded in their text, so that converting or printing
# them costs nothing whatever the base (0x, 0b, YAML 1.1 sexagesimal 1:59:59); where a
# number is used, the format (or the save reader) checks its range.
MAX_NUMBER_CHARS = 40


def fail(path: str, line: int, col: int, message: str, code: str) -> ScenarioError:
    return ScenarioError([Diagnostic(path, line, col, message, code)])


def read_text(path: str, limits: Limits = DEFAULT_LIMITS, shown: str | None = None) -> str:
    """Read a UTF-8 text file with a size limit, as a user-facing error on failure."""
    name = shown or path
    try:
        # Non-blocking open, then a check: a FIFO or a device must not hang us.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            mode = os.fstat(fd).st_mode
            if stat.S_ISDIR(mode):
                raise IsADirectoryError
            if not stat.S_ISREG(mode):
                raise fail(name, 1, 1, "not a regular file", "Y000")
            data = fh.read(limits.max_bytes + 1)
    except FileNotFoundError:
        raise fail(name, 1, 1, "no such file", "Y000") from None
    except IsADirectoryError:
        raise fail(name, 1, 1, "is a directory, not a file", "Y000") from None
    except OSError as exc:
        raise fail(name, 1, 1, f"cannot read: {exc.strerror}", "Y000") from None
    except ValueError:  # a NUL byte in the path
        raise fail(name, 1, 1, "not a usable file name", "Y000") from None
    if len(data) > limits.max_bytes:
        raise fail(
            name,
            1,
            1,
            f"file larger than {limits.max_bytes} bytes "
            "(set BRINKMANSHIP_MAX_FILE_BYTES to raise the limit)",
            "Y001",
        )
    if b"\x00" in data:
        raise fail(name, 1, 1, "binary data, not a YAML text file", "Y001")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise fail(name, line, col, "not valid UTF-8 text", "Y001") from None
