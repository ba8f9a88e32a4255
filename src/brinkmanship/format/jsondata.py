"""Read an untrusted JSON file (coverage, gallery): bounded in size, depth and numbers.

A regular file only (a FIFO or a device is refused without a blocking read), at most
``max_bytes``, nested at most ``max_depth`` deep (checked before parsing, so no
RecursionError), and no number written with more than 40 characters.
"""

from __future__ import annotations

import json
from typing import Any

from brinkmanship.format.errors import BrinkError, ScenarioError
from brinkmanship.format.textfile import MAX_NUMBER_CHARS, Limits, read_text


def nesting(text: str) -> int:
    """How deeply brackets nest in ``text`` (strings ignored), without parsing it."""
    depth = most = 0
    in_str = escaped = False
    for ch in text:
        if in_str:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            most = max(most, depth)
        elif ch in "]}":
            depth -= 1
    return most


def _number(text: str) -> int | float:
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(f"a number written with more than {MAX_NUMBER_CHARS} characters")
    return float(text) if any(c in text for c in ".eE") else int(text)


def _constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def read_json(path: str, max_bytes: int, max_depth: int) -> Any:
    """The data in a JSON file, or a BrinkError that says in words what is wrong."""
    try:
        text = read_text(path, Limits(max_bytes=max_bytes), path)
    except ScenarioError as exc:
        d = exc.diagnostics[0]
        raise BrinkError(f"{path}: {d.message}") from None
    if nesting(text) > max_depth:
        raise BrinkError(f"{path}: nested more than {max_depth} levels deep")
    try:
        return json.loads(text, parse_int=_number, parse_float=_number, parse_constant=_constant)
    except (ValueError, RecursionError) as exc:
        raise BrinkError(f"{path}: not valid JSON ({str(exc).splitlines()[0]})") from None
