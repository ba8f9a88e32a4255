"""A prose check for scenario writers: ``brinkmanship lint SCENARIO``.

It reads every text a player is shown (scene text, advisers, choices and their results,
reactions, triggers, endings, history, lessons, blurbs) from the scenario's files, with
the line each text starts on, and reports:

- P001 a phrase of three or more words used more than ``max_repeats`` times (default 3),
  unless it is listed as a refrain; only the longest repeated phrase is reported for the
  same places; phrases with fewer than two words that are not common small words ("one
  of the") and names (their other words capitalised everywhere: "the State Department")
  are ignored;
- P002 an overused word: an adverb in -ly, or a word listed in ``words``, used more than
  ``max_word_uses`` times (default 12);
- P003 a sentence of five or more words written out again elsewhere;
- P004 a paragraph longer than ``max_words`` words (default 150).

Alternatives of one paragraph (the conditional paragraphs of one text list, shown one
at a time) count as one place, so writing a variant of a sentence does not count as
repeating it. Settings come from ``lint.yaml`` beside a folder scenario's
``scenario.yaml`` (keys ``refrains``, ``words``, ``max_repeats``, ``max_word_uses``,
``max_words``) or a file given with ``--config``; ``--refrain`` adds refrains.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from brinkmanship.format.errors import UsageError
from brinkmanship.format.model import Scenario
from brinkmanship.format.yamlsrc import Node, parse_yaml, read_text

# Keys whose string values the player reads. ``text`` is also a choice's label.
PROSE_KEYS = frozenset({"text", "says", "result", "history", "blurb", "else"})
MAX_PHRASE = 8  # longest phrase counted, in words
MIN_SENTENCE = 5  # shortest sentence checked for repeats, in words
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours yourself
    yourselves one two also even still much many every ever""".split()  # noqa: SIM905
)
# Words in -ly that are not adverbs made with it.
NOT_ADVERBS = frozenset(
    """only reply early july italy family supply apply rely ally ugly silly holy belly rally
    likely lonely friendly elderly imply comply monopoly assembly anomaly butterfly daily
    weekly monthly yearly""".split()  # noqa: SIM905
)
_WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:['’][A-Za-z]+)?")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+")


@dataclass(frozen=True)
class Place:
    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class Finding:
    code: str
    kind: str  # "phrase", "word", "sentence", "long-paragraph"
    message: str
    places: list[Place]
    subject: str = ""
    count: int = 0

    @property
    def place(self) -> Place:
        return self.places[0]

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "kind": self.kind,
            "message": self.message,
            "path": self.place.path,
            "line": self.place.line,
            "subject": self.subject,
            "count": self.count,
            "places": [{"path": p.path, "line": p.line} for p in self.places],
        }

    def __str__(self) -> str:
        return f"{self.place}: {self.code} {self.message}"


@dataclass
class Settings:
    refrains: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    max_repeats: int = 3
    max_word_uses: int = 12
    max_words: int = 150


@dataclass(frozen=True)
class Paragraph:
    text: str
    place: Place
    unit: int  # paragraphs with the same unit are alternatives of one text


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def _capitals(text: str) -> list[bool]:
    """For each word of ``text``: does it start with a capital letter?"""
    return [w[0].isupper() for w in _WORD.findall(text)]


def _norm(phrase: str) -> str:
    return " ".join(_words(phrase))


_FOLDED = re.compile(r">[-+0-9]*\s*(#.*)?$")


class _Collector:
    def __init__(self) -> None:
        self.paragraphs: list[Paragraph] = []
        self.units = 0
        self.lines: list[str] = []

    def _line_of(self, text: str, line: int) -> int:
        """The line where a paragraph starts: the first one from ``line`` on with its words."""
        head = " ".join(text.split()[:3])
        for n in range(line, min(line + 400, len(self.lines) + 1)):
            if head in " ".join(self.lines[n - 1].split()):
                return n
        return line

    def _unit(self) -> int:
        self.units += 1
        return self.units

    def add(self, node: Node, unit: int) -> None:
        if node.kind != "scalar" or not isinstance(node.value, str):
            return
        src = self.lines[node.line - 1] if 0 < node.line <= len(self.lines) else ""
        # a folded block keeps a blank line as one newline; other strings keep it as two
        pattern = r"\n" if _FOLDED.search(src) else r"\n\s*\n"
        line = node.line
        for block in re.split(pattern, node.value):
            text = " ".join(block.split())
            if text:
                line = self._line_of(text, line)
                self.paragraphs.append(Paragraph(text, Place(node.path, line), unit))

    def prose(self, node: Node) -> None:
        """A text value: a string, or a list of paragraphs that may be conditional."""
        if node.kind == "seq":
            unit = self._unit()
            for item in node.value:
                if item.kind == "map":
                    for key in ("text", "else"):
                        v = item.get(key)
                        if v is not None:
                            self.add(v, unit)
                else:
                    self.add(item, unit)
        else:
            self.add(node, self._unit())

    def walk(self, node: Node, key: str = "", depth: int = 0) -> None:
        if node.kind == "map":
            for k, v in node.items():
                name = str(k.value)
                top_description = depth == 0 and name == "description"
                if (name in PROSE_KEYS or top_description) and v.kind != "map":
                    self.prose(v)
                else:
                    self.walk(v, name, depth + 1)
        elif node.kind == "seq":
            for item in node.value:
                self.walk(item, key, depth + 1)


def shown(path: str) -> str:
    """A file as shown in findings: relative to the working folder when inside it."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def collect(scenario: Scenario) -> list[Paragraph]:
    """Every paragraph the player can read, from the scenario's files, in file order."""
    c = _Collector()
    for path in scenario.files:
        source = read_text(path)
        c.lines = source.splitlines()
        c.walk(parse_yaml(source, shown(path)))
    return c.paragraphs


def load_settings(scenario_path: str, config: str | None = None) -> Settings:
    """``lint.yaml`` beside a folder scenario (or ``config``), read safely."""
    path = config
    if path is None:
        here = os.path.join(os.path.dirname(scenario_path), "lint.yaml")
        if os.path.basename(scenario_path) == "scenario.yaml" and os.path.isfile(here):
            path = here
    s = Settings()
    if path is None:
        return s
    try:
        node = parse_yaml(read_text(path), path)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the lint settings ({exc.strerror})") from exc
    data = node.to_python()
    if not isinstance(data, dict):
        raise UsageError(f"{path}:1: lint settings must be a mapping")
    for k, v in data.items():
        where = f"{path}:{node.get(k).line if node.get(k) else 1}"  # type: ignore[union-attr]
        if k in ("refrains", "words"):
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                raise UsageError(f"{where}: {k} must be a list of strings")
            setattr(s, k, list(v))
        elif k in ("max_repeats", "max_word_uses", "max_words"):
            if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                raise UsageError(f"{where}: {k} must be a whole number of at least 1")
            setattr(s, k, v)
        else:
            raise UsageError(
                f"{where}: unknown setting {k!r}; settings: refrains, words, "
                "max_repeats, max_word_uses, max_words"
            )
    return s


def _phrases(paras: list[Paragraph], s: Settings) -> list[Finding]:
    tokens = [_words(p.text) for p in paras]
    caps = [_capitals(p.text) for p in paras]
    refrains = [_norm(r).split() for r in s.refrains]
    # places[ngram] = {unit: (paragraph index, start)}: one place per text unit
    places: dict[tuple[str, ...], dict[int, tuple[int, int]]] = defaultdict(dict)
    for i, (p, ws) in enumerate(zip(paras, tokens, strict=True)):
        for n in range(3, MAX_PHRASE + 1):
            for j in range(len(ws) - n + 1):
                g = tuple(ws[j : j + n])
                if sum(w not in STOPWORDS for w in g) < 2:
                    continue
                places[g].setdefault(p.unit, (i, j))

    def is_refrain(g: tuple[str, ...]) -> bool:
        text = " ".join(g)
        return any(" ".join(r) in text or text in " ".join(r) for r in refrains if r)

    def is_name(g: tuple[str, ...], spots: list[tuple[int, int]]) -> bool:
        """A name ("the State Department"): its words that matter are capitalised everywhere."""
        return all(caps[i][j + k] for i, j in spots for k, w in enumerate(g) if w not in STOPWORDS)

    over = [
        g
        for g, u in places.items()
        if len(u) > s.max_repeats and not is_refrain(g) and not is_name(g, list(u.values()))
    ]
    over.sort(key=lambda g: (-len(g), g))
    covered: set[tuple[int, int]] = set()  # (paragraph, word) already in a reported phrase
    out = []
    for g in over:
        spots = list(places[g].values())
        fresh = [(i, j) for i, j in spots if not all((i, j + k) in covered for k in range(len(g)))]
        if not fresh:
            continue
        for i, j in spots:
            covered.update((i, j + k) for k in range(len(g)))
        where = [paras[i].place for i, _ in sorted(spots)]
        phrase = " ".join(g)
        out.append(
            Finding(
                "P001",
                "phrase",
                f"the phrase {phrase!r} is used {len(spots)} times (more than "
                f"{s.max_repeats}): "
                + ", ".join(str(p) for p in where[1:6])
                + (" ..." if len(where) > 6 else ""),
                where,
                phrase,
                len(spots),
            )
        )
    return out


def _words_overused(paras: list[Paragraph], s: Settings) -> list[Finding]:
    watch = {w.lower() for w in s.words}
    uses: dict[str, list[Place]] = defaultdict(list)
    for p in paras:
        for w in _words(p.text):
            adverb = w.endswith("ly") and len(w) > 4 and w not in NOT_ADVERBS
            if adverb or w in watch:
                uses[w].append(p.place)
    out = []
    for w, where in sorted(uses.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(where) > s.max_word_uses:
            out.append(
                Finding(
                    "P002",
                    "word",
                    f"the word {w!r} is used {len(where)} times (more than {s.max_word_uses})",
                    where,
                    w,
                    len(where),
                )
            )
    return out


def _sentences(paras: list[Paragraph], s: Settings) -> list[Finding]:
    refrains = {_norm(r) for r in s.refrains}
    seen: dict[str, dict[int, Place]] = defaultdict(dict)
    shown: dict[str, str] = {}
    for p in paras:
        for sent in _SENTENCE_END.split(p.text):
            key = _norm(sent)
            if len(key.split()) < MIN_SENTENCE or any(r and r in key for r in refrains):
                continue
            seen[key].setdefault(p.unit, p.place)
            shown.setdefault(key, sent.strip())
    out = []
    for key, units in seen.items():
        if len(units) > 1:
            where = sorted(units.values(), key=lambda pl: (pl.path, pl.line))
            out.append(
                Finding(
                    "P003",
                    "sentence",
                    f"this sentence is written {len(where)} times: {shown[key]!r} (also at "
                    + ", ".join(str(p) for p in where[1:])
                    + ")",
                    where,
                    shown[key],
                    len(where),
                )
            )
    return out


def _long(paras: list[Paragraph], s: Settings) -> list[Finding]:
    out = []
    for p in paras:
        n = len(_words(p.text))
        if n > s.max_words:
            out.append(
                Finding(
                    "P004",
                    "long-paragraph",
                    f"a paragraph of {n} words (more than {s.max_words}): {p.text[:60]!r}...",
                    [p.place],
                    p.text[:60],
                    n,
                )
            )
    return out


def lint(scenario: Scenario, settings: Settings | None = None) -> list[Finding]:
    """Every prose finding for a scenario that loaded, sorted by file and line."""
    s = settings or Settings()
    paras = collect(scenario)
    found = _phrases(paras, s) + _words_overused(paras, s) + _sentences(paras, s) + _long(paras, s)
    order = {shown(p): i for i, p in enumerate(scenario.files)}
    found.sort(key=lambda f: (order.get(f.place.path, 0), f.place.line, f.code))
    return found


def word_count(scenario: Scenario) -> int:
    return sum(len(_words(p.text)) for p in collect(scenario))


def render_text(findings: list[Finding], words: int) -> str:
    lines = [str(f) for f in findings]
    counts: dict[str, int] = defaultdict(int)
    for f in findings:
        counts[f.kind] += 1
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "nothing to report"
    lines.append(f"{len(findings)} findings in {words} words of prose ({summary})")
    return "\n".join(lines)
