"""``brinkmanship new PATH``: a small, valid, playable scenario whose comments teach the format."""

from __future__ import annotations

import re
from pathlib import Path

from brinkmanship.format.errors import BrinkError, UsageError
from brinkmanship.format.schema import schema_text
from brinkmanship.format.spec import ID_RE

SCHEMA_FILE = "scenario.schema.json"

TEMPLATE = """\
# yaml-language-server: $schema=scenario.schema.json
#
# A new Brinkmanship scenario, made by `brinkmanship new`. It is already valid and
# playable; try it:
#     brinkmanship play @PATH@ --role envoy-north --plain
# then make it your own. The comments explain the format as they go. The tutorial is
# docs/writing-scenarios.md; every key is in docs/scenario-format.md.
#
# The first line points editors that use yaml-language-server (VS Code with the YAML
# extension, Neovim, Helix, Zed...) at scenario.schema.json, written next to this file:
# they then complete keys and underline mistakes as you type. Refresh that file after
# upgrading Brinkmanship with:  brinkmanship schema -o scenario.schema.json
#
# The writer's loop:  brinkmanship validate FILE   (errors and warnings)
#                     brinkmanship explore FILE    (is every ending reachable?)
#                     brinkmanship playtest FILE --policy all   (how do policies fare?)
#                     brinkmanship graph FILE | dot -Tsvg > map.svg

# --- The header. 'format', 'id' and 'title' are required. ----------------------------
format: 1
id: @ID@
title: The Border Bridge
author: Your name here
# Text can be one string, a block like this one (after '|'), or a list of paragraphs.
description: |
  Two neighbours both claim the only bridge over the river between them. Soldiers wait
  at each end. You have a few days to settle it, one way or another.

# --- The clock. Each choice moves it on by hours_per_turn (or by the choice's 'hours').
clock:
  start: 1975-06-02 08:00
  hours_per_turn: 12

# --- Roles: who the player can be. Each one starts in its own scene. ----------------
roles:
  envoy-north:
    name: Anna Vell
    title: Foreign Minister of the North
    start: north-bridge
    blurb: Your soldiers hold the north end of the bridge.
  envoy-south:
    name: Tomas Ort
    title: Foreign Minister of the South
    start: south-bridge
    blurb: Your soldiers hold the south end of the bridge.
    setup: {trust: +5}            # effects applied when this role's game begins

# --- Variables: numbers (kept between min and max), true/false, or one of some words.
# A number with min and max shows as a meter; 'show: hidden' keeps a variable secret.
variables:
  tension: {initial: 40, min: 0, max: 100, label: Tension}
  trust: {initial: 20, min: 0, max: 100, label: Trust}
  talked: {initial: false, show: hidden}

# No 'stances' are declared, so choices use the default four: escalate, hold,
# negotiate and concede. (Declare 'stances:' to name your own.)

# --- Scenes: what the player sees, what the advisers say, and the choices. -----------
scenes:
  north-bridge:
    title: Two Ends of a Bridge
    where: The Foreign Ministry, North
    # {tension} shows a variable's value; write {{ or }} for a literal brace.
    text: |
      Southern soldiers have dug in at their end of the bridge, and yours wait for
      orders at the other. Tension stands at {tension}.
    advisers:
      - {who: General Brand, leans: hawk, says: "Take the whole bridge tonight."}
      - {who: Ambassador Lune, leans: dove, says: "Call the South before someone fires."}
    choices:
      # Every choice needs an id, a text, a stance and a 'next' (a scene or an ending).
      - id: n-advance
        text: Send your soldiers across the bridge
        stance: escalate
        effects: {tension: +30}   # +N adds, -N subtracts, a plain number sets
        next: north-answer
      - id: n-call
        text: Telephone your counterpart in the South
        stance: negotiate
        effects: {trust: +20, talked: true}
        next: north-answer
      - id: n-wait
        text: Hold your end of the bridge and wait
        stance: hold
        next: north-answer

  north-answer:
    title: The Answer
    text:
      - The South has answered.
      # A paragraph with 'if' shows only when its condition holds.
      - {if: talked, text: "Because you called, the answer is careful rather than angry."}
    choices:
      - id: n-share
        text: Propose that both sides pull back and run the bridge together
        stance: negotiate
        if: trust >= 30           # offered only when this holds...
        disabled: You have not built enough trust for this yet.   # ...else shown greyed out
        next: shared
      - id: n-demand
        text: Demand that the South leave the bridge
        stance: escalate
        effects: {tension: +30}
        next: north-answer        # a scene may lead back to itself
      - id: n-withdraw
        text: Pull your soldiers back without conditions
        stance: concede
        next: backed-down

  south-bridge:
    title: Two Ends of a Bridge
    where: The Foreign Ministry, South
    text: |
      Northern soldiers stand at their end of the bridge. Your own soldiers are nervous.
      Tension stands at {tension}.
    advisers:
      - {who: Colonel Ashe, leans: hawk, says: "Show them we will not move."}
      - {who: Minister Pell, leans: moderate, says: "Hold firm, but keep the phone line open."}
    choices:
      - id: s-reinforce
        text: Send more soldiers to your end of the bridge
        stance: escalate
        effects: {tension: +30}
        next: south-answer
      - id: s-call
        text: Telephone your counterpart in the North
        stance: negotiate
        effects: {trust: +20, talked: true}
        next: south-answer
      - id: s-wait
        text: Hold your end and wait
        stance: hold
        next: south-answer

  south-answer:
    title: The Answer
    text:
      - The North has answered.
      - {if: talked, text: "Because you called, the answer is careful rather than angry."}
    choices:
      - id: s-share
        text: Propose joint patrols and a shared toll
        stance: negotiate
        if: trust >= 30
        disabled: You have not built enough trust for this yet.
        next: shared
      - id: s-threaten
        text: Threaten to blow up the bridge rather than lose it
        stance: escalate
        effects: {tension: +30}
        next: south-answer
      - id: s-withdraw
        text: Pull your soldiers back without conditions
        stance: concede
        next: backed-down

# --- Reactions: the other side's rules, checked after every choice. -------------------
# Each reaction whose 'if' holds draws ONE outcome, by weight (a number or an
# expression); an outcome with 'goto' sends the story there instead of the choice's next.
reactions:
  - id: shots
    if: stance == "escalate"      # 'stance' and 'choice' name what the player just did
    outcomes:
      - weight: tension           # the higher the tension, the likelier
        text: A nervous soldier fires, and others follow.
        goto: clash
      - weight: 100 - tension
        text: The other side holds its fire, this time.
        effects: {tension: +5}

# --- Triggers: checked after every turn; the first whose 'if' holds fires (once). -----
triggers:
  - id: boiling-point
    if: tension >= 100
    text: Nobody can hold the soldiers back any longer.
    goto: clash

# --- Endings: each has an outcome class and, ideally, the lesson it teaches. ---------
endings:
  shared:
    title: A Shared Bridge
    outcome: cooperation          # catastrophe, defeat, stalemate, settlement or cooperation
    lesson: talk
    text: Both sides pull back. The bridge gets joint patrols, a shared toll and, in time,
      a market at its middle. Trust between you ended at {trust}.
  backed-down:
    title: Backing Down
    outcome: defeat
    lesson: give-and-take
    text: You pulled back and got nothing for it. The other side's flag now flies over the
      whole bridge.
  clash:
    title: Shots at the Bridge
    outcome: catastrophe
    lesson: talk
    text: Shots are fired, and the quarrel over a bridge becomes a small war.

# --- Lessons: what the endings teach. A plain string works too (lesson: text). --------
lessons:
  talk:
    title: Talk to your enemy
    text: Talking matters most with those you trust least.
  give-and-take:
    title: Give and take
    text: A concession should buy something in return.
"""


def scenario_id(path: Path) -> str:
    """An id from a file name: 'My Crisis.yaml' -> 'my-crisis'."""
    stem = path.stem if path.name != "scenario.yaml" else path.parent.name
    text = re.sub(r"[^A-Za-z0-9_.-]+", "-", stem.lower()).strip("-.")
    if not text or not text[0].isalpha():
        text = "crisis-" + text if text else "my-crisis"
    text = text[:80]
    return text if ID_RE.match(text) else "my-crisis"


def scaffold(path: Path, sid: str | None = None) -> list[Path]:
    """Write a new scenario at ``path`` (never replacing a file) and its schema beside it."""
    if path.is_dir() or str(path).endswith(("/", "\\")):
        path = path / "scenario.yaml"
    elif path.suffix not in (".yaml", ".yml"):
        path = path.with_name(path.name + ".yaml")
    if path.exists():
        raise BrinkError(f"{path} already exists; choose another path (new never replaces a file)")
    if sid is not None and not ID_RE.match(sid):
        raise UsageError(
            f"{sid!r} is not a valid id: use letters, digits, '_', '-' and '.', "
            "starting with a letter"
        )
    text = TEMPLATE.replace("@ID@", sid or scenario_id(path)).replace("@PATH@", str(path))
    written = []
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for target, content in ((path, text), (path.parent / SCHEMA_FILE, schema_text())):
            try:
                with open(target, "x", encoding="utf-8") as fh:  # "x": never replace a file
                    fh.write(content)
            except FileExistsError:
                if target == path:
                    raise BrinkError(f"{path} already exists; choose another path") from None
                continue  # keep the schema file already there
            written.append(target)
    except OSError as exc:
        raise BrinkError(f"cannot write {path}: {exc.strerror}") from None
    return written
