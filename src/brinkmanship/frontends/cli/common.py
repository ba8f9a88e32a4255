"""What the command groups share: finding scenarios and roles, writing output, argument types."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from brinkmanship.format import catalog
from brinkmanship.format.errors import BrinkError, UsageError
from brinkmanship.format.textsafe import inert_line

if TYPE_CHECKING:
    from brinkmanship.format.model import Scenario

DEFAULT_SCENARIO = catalog.FLAGSHIP


def scenario_path(ref: str) -> str:
    return str(catalog.find(ref))


_ID_LINE = re.compile(r"""^id:[ \t]*(["']?)([\w.-]+)\1[ \t]*(?:#.*)?$""", re.M)


def declared_id(path: Path) -> str | None:
    """The ``id:`` at the top level of a scenario file, read from its text (no YAML)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(64 * 1024).decode("utf-8", "replace")
    except OSError:
        return None
    m = _ID_LINE.search(head)
    return m.group(2) if m else None


def _is_dir(ref: str) -> bool:
    try:
        return Path(ref).is_dir()
    except (OSError, ValueError):
        return False


def playable_path(ref: str) -> Path:
    """The scenario file ``play`` starts, checked to exist before the full-screen game
    starts (which then loads it). A bundled id is found by its file name (``ID.yaml`` or
    ``ID/scenario.yaml`` declaring that id) when it can be: reading every bundled scenario
    to find it, as ``catalog.find`` does, would hold up the first frame."""
    named = os.sep in ref or "/" in ref or ref.endswith((".yaml", ".yml"))
    if not (named or catalog.is_file(ref) or _is_dir(ref)):  # as catalog.find tells them
        root = catalog.bundled_dir()
        for p in (root / ref / "scenario.yaml", root / f"{ref}.yaml"):
            if catalog.is_file(p) and declared_id(p) == ref:
                return p
    path = catalog.find(ref)
    if not catalog.is_file(path):
        what = "not a file" if path.exists() else "no such file"
        raise BrinkError(f"{inert_line(str(path))}: {what}")
    return path


def load(ref: str) -> Scenario:
    from brinkmanship.format.loader import load_scenario  # not needed to open the menu

    return load_scenario(scenario_path(ref))


def roles(scenario: Scenario, role: str | None) -> list[str]:
    """Every role (``role`` None), or just ``role`` if the scenario has it."""
    if role is None:
        return list(scenario.roles)
    if role not in scenario.roles:
        from brinkmanship.format.spec import suggest

        raise UsageError(
            f"scenario {scenario.id!r} has no role {role!r}"
            + suggest(role, scenario.roles)
            + "; roles: "
            + ", ".join(scenario.roles)
        )
    return [role]


def emit(text: str, output: str | None) -> None:
    """Write ``text`` to stdout, or to the file ``output``."""
    text = text if text.endswith("\n") else text + "\n"
    if output in (None, "-"):
        sys.stdout.write(text)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror}") from None


def whole(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if n < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}")
        return n

    return parse
