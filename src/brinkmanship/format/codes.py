"""Every diagnostic code, explained at length: ``brinkmanship explain CODE``.

Each entry says what the code means, shows a small example of the mistake and the
same lines corrected. The messages themselves stay short; this is the longer story.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    title: str
    text: str
    wrong: str = ""
    right: str = ""


def _c(code: str, title: str, text: str, wrong: str = "", right: str = "") -> Code:
    return Code(code, title, " ".join(text.split()), wrong.strip("\n"), right.strip("\n"))


_ALL = [
    # -- reading files -------------------------------------------------------------
    _c(
        "Y000",
        "a file cannot be opened",
        "The path names no file, a folder, a device, "
        "or a file that cannot be read. Check the name and the include list.",
        "include:\n  - kenedy.yaml",
        "include:\n  - kennedy.yaml",
    ),
    _c(
        "Y001",
        "not a text file",
        "Scenario files are UTF-8 text, at most "
        "BRINKMANSHIP_MAX_FILE_BYTES in size. Save the file as UTF-8 from your editor.",
    ),
    _c(
        "Y002",
        "a YAML mistake",
        "The file is not valid YAML. The message names the "
        "line that is wrong and what to write: the usual causes are a quote or bracket "
        "never closed, a tab in the indentation, a line indented to no level above it, "
        "a key at the level of a list's '- ' items, and ': ' inside unquoted text "
        "(YAML reads it as a new key). Put text that holds ': ', or starts with one of "
        "@ ` % ! & * | > [ {, in quotes.",
        "    says: Let me go tonight: he will listen.",
        '    says: "Let me go tonight: he will listen."',
    ),
    _c(
        "Y003",
        "a key written twice",
        "YAML keeps only the last of two equal keys in "
        "one mapping, silently losing the first. Rename one (a new entry needs a name "
        "of its own) or delete the one you do not want.",
        "  us-cabinet:\n    title: The Cabinet\n  us-cabinet:\n    title: The Letter",
        "  us-cabinet:\n    title: The Cabinet\n  us-letter:\n    title: The Letter",
    ),
    _c(
        "Y004",
        "a YAML tag",
        "Tags (!!python/object, !!binary, !custom) are not "
        "allowed: a scenario holds only text, numbers, true/false, lists and mappings. "
        "Remove the tag, or quote the text if it starts with '!'.",
        "text: !important news",
        'text: "!important news"',
    ),
    _c(
        "Y005",
        "a number that cannot be used",
        "A number too long (over 40 "
        "characters), not finite (.inf, .nan) or otherwise unreadable. Write an ordinary "
        "number, or quote it if it is meant as text.",
        "initial: .inf",
        "initial: 100",
    ),
    _c(
        "Y006",
        "a key that is not a plain value",
        "Mapping keys must be single values (an id, a word), not lists or mappings.",
        "? [a, b]\n: 1",
        "a: 1",
    ),
    _c(
        "Y007",
        "a merge key",
        "YAML merge keys ('<<: *anchor') are not supported; "
        "write the keys out, or use an alias for the whole value.",
        "c: {<<: *base, x: 1}",
        "c: {a: 1, x: 1}",
    ),
    _c(
        "Y008",
        "more than one document",
        "A file holds one YAML document: remove "
        "the '---' line that starts a second one, or move it into a file of its own "
        "and include that.",
    ),
    _c(
        "Y009",
        "a text too long",
        "One value is longer than the limit; split it into paragraphs (a list of texts).",
    ),
    _c(
        "Y010",
        "nested too deeply",
        "Lists and mappings are nested inside each other "
        "deeper than any scenario needs (64 levels). Usually a run of unclosed "
        "brackets.",
    ),
    _c(
        "Y011",
        "an unknown alias",
        "'*name' refers to an anchor '&name' defined "
        "earlier in the same file. Text that starts with '*' must be quoted.",
        "text: *really* important",
        'text: "*really* important"',
    ),
    _c(
        "Y012",
        "a document too large",
        "Counting every alias as a full copy, the file "
        "holds too many values or too much text (this stops 'billion laughs' files).",
    ),
    _c(
        "Y013",
        "an empty file",
        "The file holds nothing (or only comments); a "
        "scenario file is a mapping of keys such as 'format', 'id' and 'scenes'.",
    ),
    _c(
        "Y014",
        "a comment inside text",
        "In unquoted text, ' #' starts a comment: "
        "everything after it is left out. Quote the text to keep the '#'.",
        "text: Choose option #2 now",
        'text: "Choose option #2 now"',
    ),
    # -- structure -------------------------------------------------------------------
    _c(
        "S001",
        "the wrong kind of value",
        "A key holds a single value where a list or "
        "a mapping belongs, or the other way round. Lists are '- ' items on the lines "
        "below (or [a, b]); mappings are 'name: value' lines indented below.",
        "choices: leave",
        "choices:\n  - id: leave\n    text: Leave.\n    stance: hold\n    next: us-cabinet",
    ),
    _c(
        "S002",
        "text missing",
        "The key is there but its value is empty.",
        "title:",
        "title: The Cabinet Room",
    ),
    _c("S003", "text too long", "The text is longer than this field allows."),
    _c(
        "S004",
        "not a valid id",
        "Ids use letters, digits, '_', '-' and '.', start with "
        "a letter or '_', and have at most 80 characters.",
        "  us opera!:",
        "  us-opera:",
    ),
    _c(
        "S005",
        "not a number",
        "The field takes a number: write digits, unquoted.",
        'initial: "30"',
        "initial: 30",
    ),
    _c(
        "S006",
        "a number out of range",
        "The number is below the minimum or above the maximum the field allows.",
    ),
    _c(
        "S007",
        "not true or false",
        "The field takes true or false, unquoted.",
        "once: yes please",
        "once: true",
    ),
    _c(
        "S008",
        "not one of the allowed words",
        "The field takes one of a fixed set of words; the message lists them.",
        "outcome: victory",
        "outcome: cooperation",
    ),
    _c(
        "S009",
        "an expression missing",
        "The key is there but holds no expression.",
        "if:",
        'if: "tension > 50"',
    ),
    _c("S010", "too many items", "A list or mapping holds more items than allowed."),
    _c(
        "S011",
        "an unknown key",
        "The key is not one of this part's keys: often a "
        "typing mistake (the message suggests the key meant), or a key indented under "
        "the wrong parent.",
        "  titel: The Letter",
        "  title: The Letter",
    ),
    _c(
        "S012",
        "a required key missing",
        "This part needs the key; add it.",
        "  us-letter:\n    title: The Letter",
        "  us-letter:\n    title: The Letter\n    text: The reply comes.\n    choices: ...",
    ),
    _c(
        "S013",
        "an entry written inside the one above",
        "A key that looks like a "
        "scene (or ending, role...) of its own is indented under the entry above it, "
        "so it is read as one of that entry's keys. Move it left to line up with the "
        "entries, keeping its own keys indented below it.",
        "  us-cabinet:\n    title: The Cabinet\n    us-letter:\n    title: The Letter",
        "  us-cabinet:\n    title: The Cabinet\n  us-letter:\n    title: The Letter",
    ),
    # -- files -----------------------------------------------------------------------
    _c("L000", "could not load", "The scenario could not be loaded; the other messages say why."),
    _c(
        "L001",
        "an id defined twice",
        "Two files (or two places) define the same "
        "scene, ending, variable, role or lesson id: ids are shared by all the "
        "scenario's files. Rename one, and what leads to it.",
    ),
    _c(
        "L002",
        "an include outside the folder",
        "Included files must be inside the scenario's folder (or below it).",
    ),
    _c(
        "L003",
        "an include cycle or repeat",
        "A file includes itself (directly or "
        "through others), or is included twice. Include each file once.",
    ),
    _c(
        "L004",
        "too many files or items",
        "More than 100 included files, or more "
        "entries of one kind in all files together than allowed.",
    ),
    _c(
        "L005",
        "an include not found",
        "The included file does not exist, or its name "
        "holds an invisible character. The message suggests the file meant.",
        "include: [shraed.yaml]",
        "include: [shared.yaml]",
    ),
    _c(
        "L006",
        "the scenario too large",
        "All the scenario's files together exceed the size limit (BRINKMANSHIP_MAX_TOTAL_BYTES).",
    ),
    # -- meaning ---------------------------------------------------------------------
    _c(
        "M001",
        "an unsupported format",
        "The 'format' version is not one this version reads (1 or 2).",
        "format: 3",
        "format: 2",
    ),
    _c("M002", "no roles", "A scenario needs at least one role under 'roles'."),
    _c(
        "M003",
        "a format 2 field in a format 1 file",
        "The field needs 'format: 2' at the top of the main file.",
    ),
    _c(
        "R001",
        "a way to a place that does not exist",
        "A 'start', 'next' or 'goto' "
        "names no scene or ending. The message suggests the id meant, preferring ids "
        "of the same file and role.",
        "    next: us-leter",
        "    next: us-letter",
    ),
    _c("R002", "an unknown id", "A role, lesson, leaning or stance named here does not exist."),
    _c(
        "R003",
        "an id that is both a scene and an ending",
        "Scenes and endings share one namespace; rename one.",
    ),
    _c("R004", "a reaction without outcomes", "A reaction needs at least one outcome."),
    _c(
        "R005",
        "an id used twice",
        "Two choices of a scene, reactions or triggers "
        "have the same id; give each its own (saves record them).",
    ),
    _c(
        "R006",
        "a way into another role's part",
        "A place declares 'roles', and a "
        "choice, reaction or trigger of another role leads there. Usually the id of the "
        "other role's place was written by mistake; the message suggests this role's "
        "place.",
        "  - id: us-accident\n    roles: [us]\n    goto: su-end-firefight",
        "  - id: us-accident\n    roles: [us]\n    goto: us-end-firefight",
    ),
    _c(
        "R007",
        "a way that probably means a place of this file",
        "A way written in "
        "one file leads to a place of another file, while a place of this file with a "
        "close name is reached by nothing. Fix the id, or declare 'roles' on the places "
        "to say whose they are.",
    ),
    _c(
        "V001",
        "a built-in name used for a variable",
        "Names such as turn, hours, stance and choice are built in; choose another name.",
    ),
    _c(
        "V002",
        "a bad initial value",
        "A number variable starts at a whole number, a "
        "bool at true or false, an enum at one of its values.",
        "  trust:\n    initial: ten",
        "  trust:\n    initial: 10",
    ),
    _c("V003", "a number out of bounds", "min, max or initial out of range, or min above max."),
    _c(
        "V004",
        "a setting that does not fit the type",
        "min/max and meters are for numbers only; a meter needs both min and max.",
    ),
    _c(
        "V005",
        "an enum without values",
        "An enum lists its allowed values.",
        "  mood:\n    type: enum\n    initial: calm",
        "  mood:\n    type: enum\n    values: [calm, angry]\n    initial: calm",
    ),
    _c(
        "V006",
        "a variable name expressions cannot use",
        "Variable ids are used in expressions: letters, digits and '_' only.",
        "  us-trust:",
        "  us_trust:",
    ),
    _c(
        "E001",
        "an effect on an unknown variable",
        "The effect names no variable; the message suggests the one meant.",
        "effects: {trsut: +5}",
        "effects: {trust: +5}",
    ),
    _c(
        "E002",
        "an effect with no single operation",
        "An effect mapping gives exactly one of set, add, sub.",
        "effects: {trust: {add: 1, sub: 2}}",
        "effects: {trust: {add: 1}}",
    ),
    _c("E003", "adding to a non-number", "Only numbers can be added to or subtracted from."),
    _c("E004", "an enum set to something else", "Set an enum to one of its values."),
    _c(
        "X001",
        "an expression that does not work",
        "The expression has a syntax "
        "error, an unknown name, a reference to an unknown scene, choice or trigger, or "
        "the wrong type. The position points at the part that is wrong.",
        'if: "tension = 50"',
        'if: "tension == 50"',
    ),
    _c(
        "X002",
        "expressions too large",
        "All expressions together are too large (BRINKMANSHIP_MAX_EXPR_PARTS).",
    ),
    _c(
        "T001",
        "an unknown {name} in text",
        "{name} in text shows a variable's value; "
        "the name must be a variable or a built-in. Write {{ and }} for literal braces.",
        "text: Tension is {tensoin}.",
        "text: Tension is {tension}.",
    ),
    _c(
        "T002",
        "a duration that cannot be read",
        "'after' takes a duration such as 36h, 90m or 2d.",
        "after: 3 days",
        "after: 3d",
    ),
    _c("T003", "a trigger that can never fire", "A trigger needs an 'if', an 'at' or an 'after'."),
    _c(
        "C001",
        "a date and time that cannot be read",
        "Write dates and times as 1962-10-16 08:45.",
        "start: 16 October 1962",
        "start: 1962-10-16 08:45",
    ),
    _c(
        "C002",
        "'disabled' without 'if'",
        "'disabled' gives the reason a choice's 'if' fails; add the 'if'.",
    ),
    _c(
        "C003",
        "a scene with no choices",
        "Every scene needs a way on: a choice to another scene or an ending.",
    ),
    _c("C004", "a zone that cannot be read", "Zones are UTC offsets such as UTC-4 or UTC+3."),
    _c("C005", "'at' without a clock", "'at' needs a 'clock' in the scenario."),
    _c(
        "C006",
        "the clock would go back",
        "A way leads from a scene with a later 'at' "
        "to one with an earlier 'at'; the clock stays put instead. A warning.",
    ),
    _c("C007", "'else' without 'if'", "'else' goes with an 'if' in a paragraph."),
    _c(
        "C008",
        "a condition that is always true",
        "The condition holds whatever happens (the message says why), so it changes "
        "nothing. Fix the number in it, or remove the 'if'.",
        'if: "trust >= 0"  # trust has min: 0',
        'if: "trust >= 40"',
    ),
    _c(
        "C009",
        "an empty list of 'next' entries",
        "A list of conditional 'next' entries (format 2) needs at least one entry, and "
        "its last entry without an 'if' is where the choice goes otherwise.",
    ),
    _c(
        "C010",
        "zone changes out of order",
        "List a zone's 'zone_changes' in time order, each after the one before.",
    ),
    _c(
        "E005",
        "the clock set back",
        "A clock effect moves time forward only: give 'add' (hours) or 'set' to a later "
        "moment, never 'sub'.",
        "effects: {clock: {sub: 2}}",
        "effects: {clock: {add: 2}}",
    ),
    _c(
        "R008",
        "'once' and 'cooldown' together",
        "A reaction fires at most once ('once: true') or waits between firings "
        "('cooldown'); give one of them.",
    ),
    _c(
        "T004",
        "'again' without 'first'",
        "A paragraph's 'again' (shown on later visits) goes with a 'first' (shown on the "
        "first visit).",
        "- again: The room is as you left it.",
        "- first: The room smells of smoke.\n  again: The room is as you left it.",
    ),
    _c(
        "V007",
        "an estimate without 'band' or 'words'",
        "A variable's 'estimate' (format 2) gives either a 'band' (a range shown instead "
        "of the exact value) or 'words' (names for ranges of values), not both and not "
        "neither.",
    ),
    _c(
        "V008",
        "a label for a value the variable does not have",
        "A variable's 'labels' (format 2, enums and ladders) map each of its values to the "
        "text shown for it; every key must be one of its 'values'.",
        "  alert:\n    values: [green, red]\n    initial: green\n    labels: {amber: Amber}",
        "  alert:\n    values: [green, red]\n    initial: green\n    labels: {red: Red alert}",
    ),
    # -- validate's warnings ------------------------------------------------------
    _c(
        "W001",
        "a scene nothing leads to",
        "No role starts there and no choice, reaction or trigger leads there.",
    ),
    _c(
        "W002",
        "a scene that can leave no choice",
        "In some reachable state every "
        "choice's 'if' fails. Add a choice without an 'if', or loosen a condition.",
    ),
    _c(
        "W003",
        "a variable that makes no difference",
        "Nothing reads or changes it, or it is hidden and nothing reads it.",
    ),
    _c("W004", "a lesson no ending teaches", "Give an ending 'lesson: ID'."),
    _c(
        "W005",
        "an ending nothing leads to",
        "No choice, reaction or trigger leads "
        "there. If a way was meant to, look for a 'next' or 'goto' with an id of another "
        "role's ending (see R006, R007).",
    ),
    _c(
        "W006",
        "a place no game reaches",
        "Something leads there, but the conditions "
        "on the way never hold (a complete search of every state).",
    ),
    _c(
        "W007",
        "a loop with no way out",
        "From some states no ending can be reached; give the loop a way out.",
    ),
    _c(
        "W008",
        "a choice that fails when played",
        "Playing the choice fails (e.g. too many outcomes); the message says how.",
    ),
    _c(
        "W009",
        "a condition that never (or always) holds",
        "The static analysis proves that the condition has the same value wherever it "
        "is checked, so what it guards never happens (or always does). Fix the condition, "
        "or what leads there.",
    ),
    _c(
        "W010",
        "an 'assume' that fails",
        "A scene, adviser, paragraph or ending assumes a condition (format 2) that does "
        "not hold where its text is shown: in every game that shows it (proved by the "
        "static analysis) or in a game found by search; the message gives the path. Its "
        "text may say something false there: fix the text's assumption or the way there.",
    ),
    _c(
        "W011",
        "an 'assume' that may fail",
        "The static analysis cannot rule out a game that shows the text where its "
        "assumption fails, and the short search validate runs found none: the games it "
        "saw are a sample, not a proof. brinkmanship explore looks harder, and saves a "
        "game that breaks it if it finds one.",
    ),
    _c(
        "W012",
        "a 'when' that disagrees with the clock",
        "A format-1 scene's free-text 'when' says one time while the clock reads another "
        "there: in a real game (the message gives its seed and path) or in every game "
        "(proved by the static analysis). With 'format: 2', 'at:' sets the clock and the "
        "header follows it.",
    ),
    _c(
        "W013",
        "the static analysis could not run",
        "A bug in the checker, not in the scenario: the other warnings still hold, but "
        "W002, W006, W007 and W009 were not checked. Please report it.",
    ),
    _c(
        "W014",
        "a clock already past a scene's 'at'",
        "A game can reach a scene whose 'at' (format 2) is earlier than its clock already "
        "reads, for the turns taken on the way. The clock never goes back, so the scene is "
        "shown later than its 'at' says. The message says whether a real game was found "
        "(its seed and path) or every game is late (proved by the static analysis). Move "
        "the 'at' later, or take less time on the way (a choice's 'hours').",
    ),
    _c(
        "P001",
        "an overused phrase",
        "brinkmanship lint: a phrase of three or more words is used more often than the "
        "limit across the scenario. Vary it, or list it as a refrain if it is deliberate.",
    ),
    _c(
        "P002",
        "an overused word",
        "brinkmanship lint: a word (not a common one) is used more often than the limit. "
        "Readers notice tics; vary the wording.",
    ),
    _c(
        "P003",
        "a sentence repeated",
        "brinkmanship lint: the same sentence appears in more than one place. Say it once, "
        "or say it differently the second time.",
    ),
    _c(
        "P004",
        "a very long paragraph",
        "brinkmanship lint: a paragraph has more words than the limit; split it, since "
        "the game shows a paragraph as one block.",
    ),
]

CODES: dict[str, Code] = {c.code: c for c in _ALL}


def explain(code: str) -> str | None:
    """The long explanation of ``code`` (None if there is no such code)."""
    c = CODES.get(code.strip().upper())
    if c is None:
        return None
    lines = [f"{c.code}: {c.title}", "", *textwrap.wrap(c.text, 88)]
    if c.wrong:
        lines += ["", "For example, this:", "", *("    " + x for x in c.wrong.splitlines())]
    if c.right:
        lines += ["", "is fixed like this:", "", *("    " + x for x in c.right.splitlines())]
    return "\n".join(lines)
