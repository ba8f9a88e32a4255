"""Load a scenario: read its files, check structure and meaning, compile, report every error."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from typing import Any

from brinkmanship.format import spec
from brinkmanship.format.build import Builder
from brinkmanship.format.errors import Diagnostic, ScenarioError
from brinkmanship.format.files import ScenarioFiles
from brinkmanship.format.gcpause import paused_gc
from brinkmanship.format.model import Scenario
from brinkmanship.format.spec import Checker, Record
from brinkmanship.format.yamlsrc import DEFAULT_LIMITS, Limits


def _plain(value: Any) -> Any:
    """``value`` with every map key a text (texts that are a ``str`` subclass stay: JSON
    writes them as the text they hold)."""
    if isinstance(value, dict):
        return {k if type(k) is str else str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def content_hash(head: Record, merged: dict[str, Any]) -> str:
    """A hash of what the scenario means (not its comments or layout)."""
    data = {k: v for k, v in head.items() if k not in spec.CONTENT_FIELDS}
    data.update({k: v for k, v in merged.items()})
    blob = json.dumps(_plain(data), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()


def check_scenario(
    path: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[Scenario | None, list[Diagnostic]]:
    """Load ``path`` and return (scenario or None, every diagnostic found)."""
    with spec.suggest_budget(), paused_gc():
        return _check(path, limits)


def _check(path: str, limits: Limits) -> tuple[Scenario | None, list[Diagnostic]]:
    ck = Checker()
    files = ScenarioFiles(ck, limits)
    try:
        head = files.load(path)
    except ScenarioError as exc:
        return None, exc.diagnostics
    if head is None:
        ck.diagnostics.sort(key=sort_key(files.order))
        return None, ck.diagnostics
    scenario = Builder(head, files.merged, ck, limits, files.texts).build()
    ck.diagnostics.sort(key=sort_key(files.order))
    if scenario is None or any(d.severity == "error" for d in ck.diagnostics):
        return None, ck.diagnostics
    scenario = dataclasses.replace(
        scenario,
        content_hash=content_hash(head, files.merged),
        path=os.path.realpath(path),
        files=tuple(files.files),
    )
    return scenario, ck.diagnostics


def sort_key(order: list[str]) -> Any:
    """Diagnostics in order: root causes before what follows from them, then by file in
    include order, then by place."""
    rank = {p: i for i, p in enumerate(order)}

    def key(d: Diagnostic) -> tuple[bool, int, str, int, int]:
        return (bool(d.cause), rank.get(d.path, len(rank)), d.path, d.line, d.col)

    return key


def load_scenario(path: str, limits: Limits = DEFAULT_LIMITS) -> Scenario:
    """Load a scenario or raise :class:`ScenarioError` with every error found."""
    scenario, diags = check_scenario(path, limits)
    if scenario is None:
        raise ScenarioError(diags or [Diagnostic(path, 1, 1, "could not load", "L000")])
    return scenario
