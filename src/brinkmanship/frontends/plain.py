"""Line-based play on stdin/stdout: for screen readers, pipes and tests. No Textual."""

from __future__ import annotations

import contextlib
import re
import textwrap
from pathlib import Path
from typing import TextIO

from brinkmanship.format.errors import BrinkError
from brinkmanship.format.textsafe import inert
from brinkmanship.runtime import store
from brinkmanship.runtime.gallery import Gallery
from brinkmanship.runtime.session import Session
from brinkmanship.runtime.store import SaveStore
from brinkmanship.runtime.views import (
    EndingView,
    SceneView,
    chart,
    current,
    ending_view,
    sparkline,
    stance_mix_text,
    warning_text,
)

HELP = (
    "Type a choice's number and press Enter. Other commands: save NAME (save! NAME "
    "replaces an existing save), undo, redo, status, help, quit."
)
_NUMBER = re.compile(r"[0-9]{1,6}")  # ASCII digits only: '²' or '٣' are not numbers here


def reason(exc: BaseException) -> str:
    """Why a file operation failed, in words."""
    if isinstance(exc, OSError):
        what = exc.strerror or type(exc).__name__
        return f"{what}: {exc.filename}" if exc.filename else what
    return str(exc)


class PlainUI:
    def __init__(
        self,
        session: Session,
        saves: SaveStore,
        out: TextIO,
        inp: TextIO,
        width: int = 78,
        data_dir: Path | None = None,
    ) -> None:
        self.session = session
        self.data_dir = data_dir if data_dir is not None else store.data_dir()
        self.saves = saves
        self.out = out
        self.inp = inp
        self.width = width

    def say(self, text: str = "") -> None:
        """Write ``text``; a line wider than the width wraps between words, indented."""
        lines = []
        for line in text.split("\n"):
            if len(line) <= self.width:
                lines.append(line)
                continue
            lead = line[: len(line) - len(line.lstrip())]
            lines.append(
                textwrap.fill(
                    line.strip(),
                    self.width,
                    initial_indent=lead,
                    subsequent_indent=lead + "  ",
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            )
        self.out.write(inert("\n".join(lines)) + "\n")

    def para(self, text: str, indent: str = "") -> None:
        for block in text.split("\n\n"):
            lines = block.splitlines() or [""]
            if any(line.lstrip().startswith(("- ", "* ", "1.")) for line in lines):
                for line in lines:
                    self.say(indent + line)
            else:
                self.say(
                    textwrap.fill(
                        " ".join(lines),
                        self.width,
                        initial_indent=indent,
                        subsequent_indent=indent,
                        break_long_words=False,
                        break_on_hyphens=False,
                    )
                )
            self.say()

    def show_scene(self, v: SceneView) -> None:
        for m in v.messages:
            self.para(m, "  ")
        head = " · ".join(x for x in (v.when, v.where) if x)
        self.say(f"--- Turn {v.turn + 1}: {head} ---" if head else f"--- Turn {v.turn + 1} ---")
        if v.title:
            self.say(v.title.upper())
        self.say()
        self.para(v.text)
        if v.advisers:
            self.say("Your advisers:")
            for a in v.advisers:
                self.para(f"{a.who} ({a.leans_label.lower()}): {a.says}", "  ")
        self.show_status(v)
        self.say("Choices:")
        for c in v.choices:
            if c.enabled:
                self.line(f"  {c.number}. [{c.stance_label}] {c.text}", "      ")
            else:
                self.line(f"  -. [{c.stance_label}] {c.text} (unavailable: {c.reason})", "      ")

    def line(self, text: str, indent: str = "") -> None:
        """One line of text, wrapped at the width between words with a hanging ``indent``."""
        self.say(
            textwrap.fill(
                " ".join(text.split()),
                self.width,
                initial_indent=text[: len(text) - len(text.lstrip())],
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )

    def show_status(self, v: SceneView) -> None:
        parts = []
        for m in v.meters:
            change = f" ({m.change:+d})" if m.change else ""
            parts.append(f"{m.label} {m.text}{change}")
        if not v.when:  # the header shows the time already (the one clock)
            parts.append(v.clock.text)
        self.line(" | ".join(parts), "  ")
        for m in v.meters:
            if warning := warning_text(m):
                self.say(f"! {warning}")
        self.say()

    def show_ending(self, e: EndingView) -> None:
        for m in e.messages:
            self.para(m, "  ")
        self.say(f"Ending: {e.title}")
        self.say(f"Outcome: {e.outcome}")
        if e.lesson:
            self.say(f"Lesson: {e.lesson_title}: {e.lesson}")
        self.say()
        self.para(e.text)
        if e.history:
            self.say("What really happened:")
            self.para(e.history)
        c = chart(self.session)
        if c is not None:
            self.say(
                f"{c.label} over the game: {sparkline(c.values, c.lo, c.hi)} "
                f"({c.values[0]} -> {c.values[-1]})"
            )
        self.say(f"Your stances: {stance_mix_text(self.session)} over {self.session.turn} turns")

    def autosave(self) -> bool:
        try:
            self.saves.autosave(self.session)
        except (OSError, BrinkError) as exc:
            self.say(f"(Not autosaved: {reason(exc)}. Type save NAME to try another way.)")
            return False
        return True

    def command(self, line: str) -> bool:
        """Handle a non-numeric command; False means quit."""
        word, _, arg = line.partition(" ")
        word = word.lower()
        s = self.session
        if word in ("quit", "exit", "q"):
            if self.autosave():
                self.say("Game saved. Goodbye.")
            return False
        if word in ("help", "?"):
            self.say(HELP)
        elif word in ("undo", "redo"):
            if s.undo() if word == "undo" else s.redo():
                self.autosave()
                self.say("Undone." if word == "undo" else "Redone.")
                if s.over:
                    self.show_ending(ending_view(s.engine, s.state))
                else:
                    self.show_scene(current(s))
            else:
                self.say("Nothing to undo." if word == "undo" else "Nothing to redo.")
        elif word == "status":
            self.show_status(current(s))
        elif word in ("save", "save!"):
            if not arg.strip():
                self.say("Usage: save NAME")
                return True
            try:
                path = self.saves.write(s, arg, overwrite=word == "save!")
            except BrinkError as exc:
                exists = "already exists" in str(exc)
                self.say(
                    f"Not saved: {exc}"
                    + (" (type save! NAME to replace it)" if exists and word == "save" else "")
                )
            except OSError as exc:
                self.say(f"Not saved: {reason(exc)}. The game goes on.")
            else:
                self.say(f"Saved as {path}")
        else:
            self.say(f"Unknown command {word!r}. {HELP}")
        return True

    def run(self) -> int:
        s = self.session
        sc = s.scenario
        role = sc.roles[s.role]
        self.say(
            f"== {sc.title}: you are {role.name}"
            + (f", {role.title}" if role.title else "")
            + " =="
        )
        self.say(f"Crisis number {s.seed} (play it again with --seed {s.seed}). {HELP}")
        self.say()
        if s.over:
            return self.finish()
        self.autosave()
        self.show_scene(current(s))
        while True:
            view = current(s)
            if not view.open_choices:
                self.say(
                    "The story is stuck here: no choice is available. This is a bug in "
                    "the scenario; `brinkmanship validate` and `explore` can find it."
                )
                self.autosave()
                return 1
            self.out.write("> ")
            self.out.flush()
            line = self.inp.readline()
            if not line:
                self.say()
                if self.autosave():
                    self.say(f"End of input: game saved as {store.autosave_name(s)}.")
                return 0
            line = line.strip()
            if not line:
                continue
            if line[0].isdigit() or _NUMBER.fullmatch(line):
                n = len(view.open_choices)
                picked = [
                    c
                    for c in view.open_choices
                    if _NUMBER.fullmatch(line) and c.number == int(line)
                ]
                if not picked:
                    self.say(f"Choose a number from 1 to {n}.")
                    continue
                over = s.take(picked[0].id).over
                self.autosave()
                self.say()
                if over:
                    return self.finish()
                self.show_scene(current(s))
            elif not self.command(line):
                return 0

    def finish(self) -> int:
        s = self.session
        self.show_ending(ending_view(s.engine, s.state))
        gallery = Gallery(self.data_dir)
        with contextlib.suppress(OSError):
            gallery.record(s.scenario.id, s.role, s.state.ending or "")
        if gallery.warning:
            self.say(f"({gallery.warning})")
        return 0


def choose_role(roles: dict[str, str], out: TextIO, inp: TextIO) -> str | None:
    """Ask for a role by number; None at end of input."""
    ids = list(roles)
    out.write("Choose your role:\n")
    for i, rid in enumerate(ids, 1):
        out.write(f"  {i}. {inert(roles[rid])}\n")
    while True:
        out.write("> ")
        out.flush()
        line = inp.readline()
        if not line:
            return None
        line = line.strip()
        if _NUMBER.fullmatch(line) and 1 <= int(line) <= len(ids):
            return ids[int(line) - 1]
        if line in ids:
            return line
        out.write(f"Choose a number from 1 to {len(ids)}.\n")


def play_plain(
    session: Session, saves: SaveStore, out: TextIO, inp: TextIO, data_dir: Path | None = None
) -> int:
    return PlainUI(session, saves, out, inp, data_dir=data_dir).run()
