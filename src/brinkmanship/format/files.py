"""Reading a scenario's files: the main file and every file it includes, merged."""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from typing import Any

from brinkmanship.format import spec
from brinkmanship.format.errors import Diagnostic, ScenarioError
from brinkmanship.format.spec import Checker, Record, Src
from brinkmanship.format.textsafe import inert
from brinkmanship.format.yamlsrc import Limits, Node, parse_yaml, read_text

MAX_FILES = 100
# Control, format (invisible, direction), separator and unassigned characters: none
# belongs in a file name a writer types.
_CONTROL = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}
# What a file that does not parse would define, read from its text line by line: every
# key and every 'id:' value (more than it defines, which is harmless: the names only
# decide whether another file's reference to a missing name follows from its error).
_NAMES = re.compile(
    r"""^[ ]*(?:-[ ]+)?(?:id:[ ]*["']?([A-Za-z_][\w.-]*)|["']?([A-Za-z_][\w.-]*)["']?[ ]*:)""",
    re.M,
)


def names_in(text: str) -> set[str]:
    """The ids a scenario file's text may define, even when it is not valid YAML."""
    return {a or b for a, b in _NAMES.findall(text)}


def display(path: str) -> str:
    """A path as shown in messages: as the user gave it (included files relative to it)."""
    return os.path.normpath(path)


class ScenarioFiles:
    """Reads the main file and its includes, merging their content."""

    def __init__(self, ck: Checker, limits: Limits) -> None:
        self.ck = ck
        self.limits = limits
        self.files: list[str] = []
        self.merged: dict[str, Any] = {}
        self.root_dir = ""
        self.total_bytes = 0
        self.total_nodes = 0
        self.order: list[str] = []  # every file as shown in messages, in include order
        self.texts: dict[str, str] = {}  # shown path -> its text, for positions in messages

    def _parse(self, path: str, shown: str) -> Node:
        """Read and parse one file, within the budget of the whole scenario (includes add up)."""
        lim = self.limits
        if shown not in self.order:
            self.order.append(shown)
        text = read_text(path, lim, shown)
        self.texts[shown] = text
        self.total_bytes += len(text)
        if self.total_bytes > lim.max_total_bytes:
            raise ScenarioError(
                [
                    Diagnostic(
                        shown,
                        1,
                        1,
                        "the scenario's files together are "
                        f"larger than {lim.max_total_bytes} characters (set "
                        "BRINKMANSHIP_MAX_TOTAL_BYTES to raise the limit)",
                        "L006",
                    )
                ]
            )
        node = parse_yaml(text, shown, lim, self.ck.diagnostics)
        self.total_nodes += node.size
        if self.total_nodes > lim.max_total_nodes:
            raise ScenarioError(
                [
                    Diagnostic(
                        shown,
                        1,
                        1,
                        "the scenario's files together hold "
                        f"more than {lim.max_total_nodes} values (counting "
                        "aliases expanded); split the story into smaller scenarios, "
                        "or set BRINKMANSHIP_MAX_VALUES to raise the limit",
                        "L006",
                    )
                ]
            )
        return node

    def load(self, path: str) -> Record | None:
        if "\0" in path:
            raise ScenarioError([Diagnostic(display(path), 1, 1, "not a usable file name", "Y000")])
        real = os.path.realpath(path)
        self.root_dir = os.path.dirname(real)
        node = self._parse(path, display(path))
        data = spec.SCENARIO.convert(node, self.ck)
        if not isinstance(data, Record):
            return None
        self.files.append(real)
        self._absorb(data, real, [real])
        return data

    def _absorb(self, data: Record, real: str, stack: list[str]) -> None:
        for key, value in data.items():
            if key not in spec.CONTENT_FIELDS or key == "include":
                continue
            have = self.merged.get(key)
            if have is None:
                self.merged[key] = value
                continue
            if isinstance(value, Record):
                for k, v in value.items():
                    if k in have:
                        first = have.at(k)
                        self.ck.error(
                            value.at(k),
                            f"{key}: {k!r} is defined twice (first at {first[0]}:{first[1]}): "
                            "ids are shared by all the scenario's files; rename one of them "
                            "(and what leads to it) or delete the one you do not want",
                            "L001",
                        )
                    else:
                        have[k] = v
                        have.keylocs[k] = value.at(k)
            else:
                have.extend(value)
            kind = spec.CONTENT_FIELDS[key].spec
            most = (
                kind.limit() if isinstance(kind, spec.MapOf) else getattr(kind, "max_items", None)
            )
            if most is not None and len(have) > most:  # each file within the limit, not all
                loc = value.loc if isinstance(value, Record) else value[0].loc
                what = (
                    kind.too_many(len(have))
                    if isinstance(kind, spec.MapOf)
                    else f"more than {most}"
                )
                self.ck.error(loc, f"{key}: {what} in the scenario's files together", "L004")
                have.clear()
        for inc in data.get("include", []):
            self._include(inc, real, stack)

    def _include(self, inc: Src, parent: str, stack: list[str]) -> None:
        bad = next((c for c in str(inc) if unicodedata.category(c) in _CONTROL), None)
        if bad is not None:
            self.ck.error(
                inc.loc,
                f"include {inert(str(inc))!r} holds an invisible or control character "
                f"(U+{ord(bad):04X}); write the file name with ordinary characters",
                "L005",
            )
            return
        target = os.path.realpath(os.path.join(os.path.dirname(parent), inc))
        if os.path.commonpath([target, self.root_dir]) != self.root_dir:
            self.ck.error(inc.loc, f"include {str(inc)!r} leaves the scenario's folder", "L002")
            return
        if target in stack:
            self.ck.error(inc.loc, f"include cycle: {str(inc)!r} includes itself again", "L003")
            return
        if target in self.files:
            self.ck.error(inc.loc, f"{str(inc)!r} is included twice", "L003")
            return
        if len(self.files) >= MAX_FILES:
            self.ck.error(inc.loc, f"more than {MAX_FILES} included files", "L004")
            return
        if not os.path.isfile(target):
            self._not_found(inc, target)
            return
        shown = display(os.path.join(os.path.dirname(inc.loc[0]), inc))
        try:
            node = self._parse(target, shown)
        except ScenarioError as exc:
            self.ck.diagnostics.extend(exc.diagnostics)
            self.files.append(target)  # counts towards MAX_FILES; watched for a fix
            for name in names_in(self.texts.get(shown, "")):
                self.ck.maybe.setdefault(name, shown)
            return
        data = spec.INCLUDED.convert(node, self.ck)
        self.files.append(target)
        if isinstance(data, Record):
            self._absorb(data, target, [*stack, target])

    def _not_found(self, inc: Src, target: str) -> None:
        """A missing include, with the likely file meant (what it defines is then missed)."""
        folder = os.path.dirname(target)
        try:
            here = sorted(
                n for n in os.listdir(folder) if n.endswith((".yaml", ".yml")) and n[:1] != "."
            )
        except OSError:
            here = []
        taken = {os.path.basename(f) for f in self.files if os.path.dirname(f) == folder}
        close = difflib.get_close_matches(
            os.path.basename(target), [n for n in here if n not in taken], n=1, cutoff=0.6
        )
        hint = ""
        if close:
            meant = os.path.join(os.path.dirname(str(inc)), close[0])
            hint = f" (did you mean {meant!r}?)"
            try:
                text = read_text(os.path.join(folder, close[0]), self.limits)
            except ScenarioError:
                text = ""
            for name in names_in(text):
                self.ck.maybe.setdefault(name, inc.loc[0])
        elif here:
            hint = (
                "; the YAML files there: "
                + ", ".join(here[:10])
                + ("..." if len(here) > 10 else "")
            )
        self.ck.error(inc.loc, f"included file {str(inc)!r} not found{hint}", "L005")
