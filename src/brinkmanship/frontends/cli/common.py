"""What the command groups share: finding scenarios and roles, writing output, argument types."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from brinkmanship.format import catalog
from brinkmanship.format.errors import UsageError

if TYPE_CHECKING:
    from brinkmanship.format.model import Scenario

DEFAULT_SCENARIO = catalog.FLAGSHIP


def scenario_path(ref: str) -> str:
    return str(catalog.find(ref))


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
