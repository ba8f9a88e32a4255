"""Line-based play on stdin/stdout: for screen readers, pipes and tests. No Textual."""

from __future__ import annotations

import contextlib
import textwrap
from pathlib import Path
from typing import TextIO

from brinkmanship import gallery, saves
from brinkmanship.engine import EndingView, Engine, Game, SceneView
from brinkmanship.errors import BrinkError
from brinkmanship.textsafe import inert

HELP = ("Type a choice's number and press Enter. Other commands: save NAME (save! NAME "
        "replaces an existing save), undo, status, help, quit.")
SPARK = "▁▂▃▄▅▆▇█"


def sparkline(values: list[int], lo: int = 0, hi: int = 100) -> str:
    span = max(1, hi - lo)
    return "".join(SPARK[min(7, max(0, (v - lo) * 8 // (span + 1)))] for v in values)


def stance_mix(game: Game) -> str:
    counts: dict[str, int] = {}
    for t in game.turns():
        counts[t.stance] = counts.get(t.stance, 0) + 1
    labels = game.scenario.stances
    return ", ".join(f"{labels[s].label if s in labels else s} {n}" for s, n in counts.items())


def tension_var(game: Game) -> str | None:
    """The variable to chart: 'tension' if the scenario has it, else the first meter."""
    variables = game.scenario.variables
    if "tension" in variables and variables["tension"].type == "number":
        return "tension"
    for v in game.engine.meters:
        if v.show == "meter":
            return v.id
    return None


class PlainUI:
    def __init__(self, game: Game, directory: Path, out: TextIO, inp: TextIO,
                 width: int = 78) -> None:
        self.game = game
        self.dir = directory
        self.out = out
        self.inp = inp
        self.width = width

    def say(self, text: str = "") -> None:
        self.out.write(inert(text) + "\n")

    def para(self, text: str, indent: str = "") -> None:
        for block in text.split("\n\n"):
            lines = block.splitlines() or [""]
            if any(line.lstrip().startswith(("- ", "* ", "1.")) for line in lines):
                for line in lines:
                    self.say(indent + line)
            else:
                self.say(textwrap.fill(" ".join(lines), self.width, initial_indent=indent,
                                       subsequent_indent=indent))
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
                self.say(f"  {c.number}. [{c.stance_label}] {c.text}")
            else:
                self.say(f"  -. [{c.stance_label}] {c.text} (unavailable: {c.reason})")

    def show_status(self, v: SceneView) -> None:
        parts = [f"{m.label} {m.text}" for m in v.meters]
        parts.append(v.clock)
        self.say(" | ".join(parts))
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
        var = tension_var(self.game)
        if var is not None:
            v = self.game.scenario.variables[var]
            series = self.game.tension_series(var)
            self.say(f"{v.label} over the game: {sparkline(series, v.min or 0, v.max or 100)} "
                     f"({series[0]} -> {series[-1]})")
        self.say(f"Your stances: {stance_mix(self.game)} over {len(self.game.choices)} turns")

    def autosave(self) -> None:
        try:
            saves.autosave(self.game, self.dir)
        except OSError as exc:
            self.say(f"(autosave failed: {exc.strerror})")

    def command(self, line: str) -> bool:
        """Handle a non-numeric command; False means quit."""
        word, _, arg = line.partition(" ")
        word = word.lower()
        if word in ("quit", "exit", "q"):
            self.autosave()
            self.say("Game saved. Goodbye.")
            return False
        if word in ("help", "?"):
            self.say(HELP)
        elif word == "undo":
            if self.game.undo():
                self.autosave()
                self.say("Undone.")
                self.show_scene(self.game.engine.view(self.game.state))
            else:
                self.say("Nothing to undo.")
        elif word == "status":
            self.show_status(self.game.engine.view(self.game.state))
        elif word in ("save", "save!"):
            if not arg.strip():
                self.say("Usage: save NAME")
                return True
            try:
                path = saves.write_save(self.game, self.dir, arg, overwrite=word == "save!")
            except BrinkError as exc:
                self.say(f"Not saved: {exc}" + ("" if word == "save!" else
                                                " (type save! NAME to replace it)"
                                                if "exists" in str(exc) else ""))
            else:
                self.say(f"Saved as {path}")
        else:
            self.say(f"Unknown command {word!r}. {HELP}")
        return True

    def run(self) -> int:
        g = self.game
        sc = g.scenario
        role = sc.roles[g.role]
        self.say(f"== {sc.title}: you are {role.name}" + (f", {role.title}" if role.title else "")
                 + " ==")
        self.say(f"Seed {g.seed}. {HELP}")
        self.say()
        if g.state.over:
            return self.finish()
        self.show_scene(g.engine.view(g.state))
        while True:
            if not g.engine.available(g.state):
                self.say("The story is stuck here: no choice is available. This is a bug in "
                         "the scenario; `brinkmanship validate` and `explore` can find it.")
                self.autosave()
                return 1
            self.out.write("> ")
            self.out.flush()
            line = self.inp.readline()
            if not line:
                self.say()
                self.autosave()
                self.say(f"End of input: game saved as {saves.autosave_name(g)}.")
                return 0
            line = line.strip()
            if not line:
                continue
            if line.isdigit():
                view = g.engine.view(g.state)
                picked = [c for c in view.choices if c.enabled and c.number == int(line)]
                if not picked:
                    n = sum(1 for c in view.choices if c.enabled)
                    self.say(f"Choose a number from 1 to {n}.")
                    continue
                g.choose(picked[0].id)
                self.autosave()
                self.say()
                if g.state.over:
                    return self.finish()
                self.show_scene(g.engine.view(g.state))
            elif not self.command(line):
                return 0

    def finish(self) -> int:
        g = self.game
        self.show_ending(g.engine.ending_view(g.state))
        with contextlib.suppress(OSError):
            gallery.record(saves.data_dir(), g.scenario.id, g.role, g.state.ending or "")
        return 0


def choose_role(engine_roles: dict[str, str], out: TextIO, inp: TextIO) -> str | None:
    """Ask for a role by number; None at end of input."""
    ids = list(engine_roles)
    out.write("Choose your role:\n")
    for i, rid in enumerate(ids, 1):
        out.write(f"  {i}. {inert(engine_roles[rid])}\n")
    while True:
        out.write("> ")
        out.flush()
        line = inp.readline()
        if not line:
            return None
        line = line.strip()
        if line.isdigit() and 1 <= int(line) <= len(ids):
            return ids[int(line) - 1]
        if line in ids:
            return line
        out.write(f"Type a number from 1 to {len(ids)}.\n")


def play_plain(game: Game, directory: Path, out: TextIO, inp: TextIO) -> int:
    return PlainUI(game, directory, out, inp).run()


def new_game(scenario_path: str, role: str, seed: int) -> Game:
    from brinkmanship.loader import load_scenario

    sc = load_scenario(scenario_path)
    return Game(Engine(sc, role), seed)
