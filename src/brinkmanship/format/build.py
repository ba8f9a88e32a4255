"""Building the scenario model from merged, structurally valid data: names, types, references."""

from __future__ import annotations

import dataclasses
import datetime as dt
import keyword
import re
from collections.abc import Collection
from typing import Any

from brinkmanship.format import spec
from brinkmanship.format.absint import Abstract, declared_box, reads_anything
from brinkmanship.format.expr import (
    BOOL,
    MAX_VALUE,
    NUM,
    STR,
    Compiled,
    Compiler,
    Const,
    ExprError,
    IfElse,
    Name,
    NameInfo,
    Node,
    place_of,
    walk,
)
from brinkmanship.format.model import (
    UTC_ZONE,
    Adviser,
    Choice,
    Claim,
    Clock,
    Deadline,
    Effect,
    Ending,
    Estimate,
    Label,
    Lesson,
    Outcome,
    Para,
    Reaction,
    Role,
    Scenario,
    Scene,
    Text,
    Trigger,
    Variable,
    Zone,
    ZoneChange,
    parse_zone,
    placeholders,
)
from brinkmanship.format.names import BUILTINS, DEFAULT_LEANINGS, DEFAULT_STANCES
from brinkmanship.format.spec import Checker, Record, Src, suggest
from brinkmanship.format.yamlsrc import DEFAULT_LIMITS, Limits


def _clip(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


FORMAT_VERSION = 2  # the newest format read
FORMAT_VERSIONS = (1, 2)
# Fields only a format-2 file may use: (where, field).
FORMAT2_FIELDS = {
    "role": ("zone", "zone_label", "zone_changes"),
    "scene": ("at",),
    "clock": ("zone", "deadlines", "zone_changes"),
    "reaction": ("once", "cooldown"),
    "outcome": ("if", "once", "cooldown"),
}


def _text_values(node: Node, names: dict[str, NameInfo]) -> set[str] | None:
    """Every value a text expression can give, or None when that is not known."""
    if isinstance(node, Const):
        return {str(node.value)}
    if isinstance(node, Name):
        info = names.get(node.name)
        return set(info.values) if info is not None and info.values else None
    if isinstance(node, IfElse):
        a, b = _text_values(node.then, names), _text_values(node.other, names)
        return None if a is None or b is None else a | b
    return None


def _loc(s: Any) -> spec.Loc:
    return s.loc if isinstance(s, Src) else ("", 0, 0)


class Builder:
    """Turns merged, structurally valid data into a compiled :class:`Scenario`."""

    def __init__(
        self,
        head: Record,
        merged: dict[str, Any],
        ck: Checker,
        limits: Limits = DEFAULT_LIMITS,
        texts: dict[str, str] | None = None,
    ) -> None:
        self.head = head
        self.texts = texts or {}  # each file's text, to place a message inside block text
        self.version = 2 if head.get("format") == 2 else 1
        self.m = merged
        self.ck = ck
        self.expr_limit = limits.max_expr_parts  # bounds the work of one turn
        self.expr_parts = 0
        self.clock_zone = UTC_ZONE  # the clock's zone, once it is read
        self.scenes_raw: Record = merged.get("scenes") or Record(head.loc)
        self.endings_raw: Record = merged.get("endings") or Record(head.loc)
        self.roles_raw: Record = merged.get("roles") or Record(head.loc)
        self.lessons_raw: Record = merged.get("lessons") or Record(head.loc)
        self.choice_ids = {
            str(c.get("id")) for s in self.scenes_raw.values() for c in s.get("choices", [])
        }
        self.trigger_ids = {str(t.get("id")) for t in merged.get("triggers", [])}
        # Where each id is defined and, when declared, for which roles: suggestions prefer
        # ids of the same file and role, and a jump into another role's part is an error.
        self.where: dict[str, dict[str, spec.Loc]] = {
            "s": {k: self.scenes_raw.at(k) for k in self.scenes_raw},
            "e": {k: self.endings_raw.at(k) for k in self.endings_raw},
            "choice": {},
            "trigger": {str(t.get("id")): t.loc for t in merged.get("triggers", [])},
        }
        self.roles_of: dict[str, tuple[str, ...]] = {}
        for pool in (self.scenes_raw, self.endings_raw):
            for k, v in pool.items():
                if v.get("roles"):
                    self.roles_of[k] = tuple(str(r) for r in v["roles"])
        for t in merged.get("triggers", []):
            if t.get("roles"):
                self.roles_of[str(t.get("id"))] = tuple(str(r) for r in t["roles"])
        for sid, s in self.scenes_raw.items():
            for c in s.get("choices", []):
                self.where["choice"][str(c.get("id"))] = c.loc
                if sid in self.roles_of:
                    self.roles_of.setdefault(str(c.get("id")), self.roles_of[sid])
        self.near = self._inferred_roles()  # declared or inferred roles, for suggestions
        self.here_roles: tuple[str, ...] = ()  # the roles of the part being built
        self.here_what = ""  # what that part is, for messages ("reaction 'x'")
        self.jumps: list[tuple[Src, str, str]] = []  # (where written, target, what)
        self._expr_loc: spec.Loc | None = None
        self.stances = self._labels("stances", DEFAULT_STANCES)
        self.leanings = self._labels("leanings", DEFAULT_LEANINGS)
        self.variables = self._variables()
        names: dict[str, NameInfo] = {}
        for v in self.variables.values():
            typ = {"number": NUM, "bool": BOOL}.get(v.type, STR)
            names[v.id] = NameInfo(typ, v.values, ordered=v.type == "ladder")
        known = {"stance": ("", *self.stances), "role": tuple(self.roles_raw)}
        for name, b in BUILTINS.items():
            names[name] = NameInfo(b.type, known.get(name, ()), b.get)
        self.names = names
        self.compiler = Compiler(names, self._ref_problem, self.version)
        self._box: tuple[Abstract, tuple[Any, ...]] | None = None

    # -- helpers ------------------------------------------------------------

    def err(self, loc: spec.Loc, msg: str, code: str, missing: str | None = None) -> None:
        self.ck.error(loc, msg, code, missing)

    def _ref_problem(self, kind: str, key: str) -> str | None:
        pools: dict[str, tuple[Collection[str], ...]] = {
            "place": (self.scenes_raw, self.endings_raw),
            "choice": (self.choice_ids,),
            "stance": (self.stances,),
            "trigger": (self.trigger_ids,),
        }
        if any(key in pool for pool in pools[kind]):
            return None
        noun = {"place": "scene or ending"}.get(kind, kind)
        if kind == "stance":
            return f"no {noun} {key!r}" + suggest(key, *pools[kind])
        places = {**self.where["s"], **self.where["e"]} if kind == "place" else self.where[kind]
        return f"no {noun} {key!r}" + spec.suggest_near(
            key, places, self._expr_loc, self.near, self._here_near()
        )

    def expr(self, src: Src | None, want: str | None, check: bool = True) -> Compiled | None:
        if src is None:
            return None
        self._expr_loc = src.loc if isinstance(src, Src) else None
        try:
            compiled = self.compiler.compile(src, want)
        except ExprError as exc:
            self.err(
                self._expr_place(src, exc.col),
                f"in expression {str(src)!r}: {exc}",
                "X001",
                exc.missing,
            )
            return None
        if check and want == BOOL:
            self._check_ranges(src, compiled)
        over = self.expr_parts > self.expr_limit
        self.expr_parts += compiled.size
        if self.expr_parts > self.expr_limit and not over:
            self.err(
                src.loc,
                f"the scenario's expressions are too large: more than "
                f"{self.expr_limit} parts in all (counting every use, and YAML aliases "
                "as copies; set BRINKMANSHIP_MAX_EXPR_PARTS to raise the limit)",
                "X002",
            )
        return compiled

    def _check_ranges(self, src: Src, compiled: Compiled) -> None:
        """Warn about a condition that the declared ranges alone make never or always true
        (``trust > 100`` where trust has ``max: 100``): it is so in every game."""
        tree = compiled.tree
        if not reads_anything(tree):
            return  # 'if: false' is written on purpose
        if self._box is None:
            numbers = {v.id: (v.min, v.max) for v in self.variables.values() if v.type == "number"}
            enums = {v.id: frozenset(v.values) for v in self.variables.values() if v.type == "enum"}
            self._box = declared_box(numbers, enums)
        domain, env = self._box
        truth = domain.truth(tree, env)
        if len(truth) != 1:
            return
        never = False in truth
        ranges = []
        for node in walk(tree):
            if isinstance(node, Name) and node.get is None and node.name in self.variables:
                v = self.variables[node.name]
                if v.type == "number" and (v.min is not None or v.max is not None):
                    lo = "any" if v.min is None else v.min
                    hi = "any" if v.max is None else v.max
                    ranges.append(f"{v.id} is declared {lo}..{hi}")
        why = "; ".join(dict.fromkeys(ranges)) or "the values it reads never make it so"
        if never:
            msg = (
                f"condition {str(src)!r} can never be true ({why}), so what it guards never "
                "happens: fix the number or the variable's min/max"
            )
        else:
            msg = (
                f"condition {str(src)!r} is always true ({why}), so it changes nothing: "
                "fix the number or remove the 'if'"
            )
        self.ck.warn(src.loc, msg, "C008")

    def ref(self, src: Src | None, kinds: str, what: str) -> str | None:
        if src is None:
            return None
        pools = [p for k, p in (("s", self.scenes_raw), ("e", self.endings_raw)) if k in kinds]
        if any(src in p for p in pools):
            self._check_role(src, what, kinds)
            return str(src)
        places = {n: loc for k in kinds for n, loc in self.where[k].items()}
        noun = {"s": "scene", "e": "ending", "se": "scene or ending"}[kinds]
        hint = spec.suggest_near(src, places, src.loc, self.near, self._here_near())
        if not hint:
            where = " or ".join(f"'{k}'" for k in ("scenes", "endings") if k[0] in kinds)
            hint = f"; no id is close: define it under {where}, or name one that exists"
        self.err(src.loc, f"{what}: no {noun} {str(src)!r}" + hint, "R001", str(src))
        return None

    def _inferred_roles(self) -> dict[str, tuple[str, ...]]:
        """Each place's roles: declared, or else the roles whose part leads there (on the
        written ways, ignoring conditions); only for ranking suggestions."""
        nexts = {
            sid: [str(c.get("next")) for c in s.get("choices", []) if c.get("next")]
            for sid, s in self.scenes_raw.items()
        }
        anywhere: list[tuple[tuple[str, ...], str]] = []
        for r in self.m.get("reactions", []):
            rs = tuple(str(x) for x in r.get("roles", []))
            anywhere += [(rs, str(o["goto"])) for o in r.get("outcomes", []) if o.get("goto")]
        for t in self.m.get("triggers", []):
            if t.get("goto"):
                anywhere.append((tuple(str(x) for x in t.get("roles", [])), str(t["goto"])))
        found: dict[str, set[str]] = {}
        for rid, r in self.roles_raw.items():
            todo = [str(r.get("start", ""))] + [g for rs, g in anywhere if not rs or rid in rs]
            seen = set(todo)
            while todo:
                here = todo.pop()
                found.setdefault(here, set()).add(rid)
                for n in nexts.get(here, ()):
                    if n not in seen:
                        seen.add(n)
                        todo.append(n)
        out = {k: tuple(sorted(v)) for k, v in found.items() if len(v) < len(self.roles_raw)}
        out.update(self.roles_of)
        return out

    def _here_near(self) -> tuple[str, ...]:
        """The roles of the part being built, declared or inferred (for suggestions)."""
        if self.here_roles:
            return self.here_roles
        sid = self.here_what[len("scene '") : -1] if self.here_what.startswith("scene '") else ""
        return self.near.get(sid, ())

    def _check_role(self, src: Src, what: str, kinds: str) -> None:
        """A way from one role's part into a place declared for other roles only."""
        target = str(src)
        theirs = self.roles_of.get(target, ())
        if not theirs or not self.here_roles or set(theirs) & set(self.here_roles):
            self.jumps.append((src, target, what))
            return
        places = {n: loc for k in kinds for n, loc in self.where[k].items()}
        mine = {
            n: loc
            for n, loc in places.items()
            if set(self.roles_of.get(n, ())) & set(self.here_roles)
            or (n not in self.roles_of and loc[0] == src.loc[0])
        }
        kind = "ending" if target in self.endings_raw else "scene"
        self.err(
            src.loc,
            f"{what}: {kind} {target!r} belongs to role {', '.join(theirs)}, but "
            f"{self.here_what} is role {', '.join(self.here_roles)}'s part; lead to one of "
            f"{', '.join(self.here_roles)}'s {kind}s"
            + spec.suggest_near(target, mine, src.loc, self.roles_of, self.here_roles)
            + f", or add the role to the {kind}'s 'roles'",
            "R006",
        )

    def id_in(self, src: Src | None, pool: dict[str, Any], noun: str) -> str | None:
        if src is None:
            return None
        if src in pool:
            return str(src)
        hint = suggest(src, pool)
        if not hint:
            names = list(pool)
            hint = (
                f"; the {noun}s: " + ", ".join(names[:10]) + (", ..." if len(names) > 10 else "")
                if names
                else f"; there are no {noun}s"
            )
        self.err(src.loc, f"no {noun} {str(src)!r}" + hint, "R002", str(src))
        return None

    def text(self, raw: Any, where: str = "") -> Text:
        """Compile text; ``where`` names it (e.g. scene:intro) for paragraphs with a state."""
        if raw is None:
            return Text()
        items = [raw] if isinstance(raw, str) else raw
        parts: list[Para] = []
        for n, item in enumerate(items):
            if isinstance(item, Record):
                parts.extend(self._fragment(item, f"{where}#{n + 1}"))
            else:
                self._check_placeholders(item)
                parts.append(Para(None, (str(item),), loc=_loc(item)))
        return Text(
            tuple(parts), any(p.kind for p in parts), any(p.assume is not None for p in parts)
        )

    def _fragment(self, item: Record, key: str) -> list[Para]:
        bodies = [k for k in ("text", "first", "variants") if k in item]
        for name in ("first", "again", "variants", "once"):
            if name in item and self.version < 2:
                self.err(
                    item.at(name), f"{name!r} needs format 2: put 'format: 2' at the top", "M003"
                )
                return []
        if len(bodies) != 1:
            self.err(
                item.loc,
                "a paragraph needs exactly one of 'text', 'first' (with 'again') or 'variants'"
                + (f"; it has {', '.join(bodies)}" if bodies else ""),
                "T004",
            )
            return []
        if "again" in item and "first" not in item:
            self.err(item.at("again"), "'again' goes with 'first'", "T004")
            return []
        if item.get("once") and "text" not in item:
            self.err(item.at("once"), "'once' goes with 'text'", "T004")
            return []
        cond = self.expr(item.get("if"), BOOL)
        if "if" in item and cond is None:
            return []
        kind, alts = "", ()
        if "text" in item:
            alts = (item["text"],)
            kind = "once" if item.get("once") else ""
        elif "first" in item:
            alts = (item["first"], item["again"]) if "again" in item else (item["first"],)
            kind = "visit" if len(alts) == 2 else "once"
        else:
            alts = tuple(item["variants"])
            kind = "variants"
            if not alts:
                self.err(item.at("variants"), "'variants' needs at least one paragraph", "T004")
                return []
        for a in alts:
            self._check_placeholders(a)
        claim = self._claim(item, f"the paragraph {key}")
        loc = item.at("if") if "if" in item else item.loc
        out = [Para(cond, tuple(str(a) for a in alts), kind, key if kind else "", claim, loc)]
        if "else" in item:
            out.extend(self._else(item))
        return out

    def _claim(self, raw: Record, what: str) -> Claim | None:
        """A format-2 'assume': what the text takes for granted."""
        if "assume" not in raw:
            return None
        if self.version < 2:
            self.err(
                raw.at("assume"), "'assume' needs format 2: put 'format: 2' at the top", "M003"
            )
            return None
        cond = self.expr(raw.get("assume"), BOOL)
        return None if cond is None else Claim(cond, raw.at("assume"), what)

    def _else(self, item: Record) -> list[Para]:
        """The 'else' of a conditional paragraph: shown under the negated condition."""
        body = item.get("else")
        if self.version < 2:
            self.err(item.at("else"), "'else' needs format 2: put 'format: 2' at the top", "M003")
            return []
        if "if" not in item:
            self.err(item.at("else"), "'else' goes with an 'if'", "C007")
            return []
        if not isinstance(body, str):
            return []
        self._check_placeholders(body)
        negated = self.expr(Src(f"not ({item.get('if')})", item.at("if")), BOOL, check=False)
        return [Para(negated, (str(body),), loc=item.at("else"))] if negated else []

    def _schedule(self, raw: Record) -> tuple[dt.datetime | None, int | None, Compiled | None]:
        """A trigger's 'at' (naive UTC), 'after' (minutes) and 'since' condition."""
        for name in ("at", "after"):
            if name in raw and self.version < 2:
                self.err(
                    raw.at(name), f"{name!r} needs format 2: put 'format: 2' at the top", "M003"
                )
                return None, None, None
        at = None
        if "at" in raw:
            clock = self.head.get("clock")
            if clock is None:
                self.err(raw.at("at"), "'at' needs a 'clock' in the scenario", "C005")
            else:
                when = self._when(raw, "at", "trigger 'at'")
                at = None if when is None else self.clock_zone.to_utc(when)
        after, since = None, None
        value = raw.get("after")
        if isinstance(value, Record):
            after = round(value.get("hours", 0) * 60)
            since = self.expr(value.get("since"), BOOL)
        elif value is not None:
            m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([mhd])\s*", str(value))
            if m is None:
                self.err(
                    raw.at("after"), f"after {str(value)!r} is not a duration like 36h", "T002"
                )
            else:
                after = round(float(m.group(1)) * {"m": 1, "h": 60, "d": 1440}[m.group(2)])
        return at, after, since

    def _zones(self, vid: str, raw: Record) -> tuple[tuple[str, int], ...]:
        zones = raw.get("zones")
        if not zones:
            return ()
        if self.version < 2:
            self.err(raw.at("zones"), "'zones' needs format 2: put 'format: 2' at the top", "M003")
            return ()
        return tuple(sorted(((str(k), int(v)) for k, v in zones.items()), key=lambda z: z[1]))

    def _estimate(self, vid: str, raw: Record) -> Estimate | None:
        e = raw.get("estimate")
        if e is None:
            return None
        if self.version < 2:
            self.err(
                raw.at("estimate"), "'estimate' needs format 2: put 'format: 2' at the top", "M003"
            )
            return None
        if ("band" in e) == ("words" in e):
            self.err(
                raw.at("estimate"), f"variable {vid!r}: an estimate gives 'band' or 'words'", "V007"
            )
            return None
        words = tuple(
            sorted(
                ((str(k), int(v)) for k, v in (e.get("words") or {}).items()), key=lambda w: w[1]
            )
        )
        return Estimate(int(e.get("band", 0)), words, self._roles(e.get("roles", [])))

    def find(self, src: Src, token: str, nth: int = 0) -> spec.Loc:
        """Where the ``nth`` ``token`` of a value is written in its file: inside block text
        or text over several lines, the line that holds it, not the start of the value."""
        path, line, col = src.loc
        text = self.texts.get(path)
        if text is None or not token:
            return src.loc
        lines = text.split("\n")
        i, j = line - 1, col - 1
        while 0 <= i < len(lines):
            at = lines[i].find(token, j)
            if at >= 0:
                if nth == 0:
                    return (path, i + 1, at + 1)
                nth -= 1
                j = at + len(token)
                continue
            i, j = i + 1, 0
            if i - line > 2000:  # no further than any text can run
                break
        return src.loc

    def _expr_place(self, src: Src, col: int) -> spec.Loc:
        """The file position of column ``col`` of an expression, also when it is written
        over several lines (block text, folded or not)."""
        where = place_of(src, col)
        flat = " ".join(src.split())
        word = re.match(r"[\w'\"().-]+|\S", flat[col - 1 :] or " ")
        token = word.group(0) if word else ""
        text = self.texts.get(where[0])
        if not token or text is None:
            return where
        lines = text.split("\n")
        line = lines[where[1] - 1] if 0 < where[1] <= len(lines) else ""
        if line[where[2] - 1 :].startswith(token):
            return where
        return self.find(src, token, flat[: col - 1].count(token))

    def _check_placeholders(self, s: str) -> None:
        for off, name in placeholders(s):
            if name not in self.names:
                end = s.find("}", off)
                token = s[off : end + 1] if end >= 0 else "{" + name
                self.err(
                    self.find(s, token, s[:off].count(token))
                    if isinstance(s, Src)
                    else self.head.loc,
                    f"unknown name {{{name}}} in text"
                    + suggest(name, self.names)
                    + "; write {{ for a literal brace",
                    "T001",
                    name,
                )

    # -- pieces -------------------------------------------------------------

    def _labels(self, key: str, default: dict[str, str]) -> dict[str, Label]:
        raw = self.m.get(key)
        if not raw:
            return {k: Label(k, v) for k, v in default.items()}
        return {
            k: Label(k, str(v.get("label", k)), str(v.get("description", "")))
            for k, v in raw.items()
        }

    def _variables(self) -> dict[str, Variable]:
        out: dict[str, Variable] = {}
        for vid, raw in (self.m.get("variables") or {}).items():
            if not vid.isidentifier() or keyword.iskeyword(vid) or vid in ("true", "false"):
                self.err(
                    self.m["variables"].at(vid),
                    f"variable id {vid!r} cannot be used in "
                    "expressions: use letters, digits and '_' only (e.g. "
                    f"{re.sub(r'[^A-Za-z0-9_]', '_', vid)!r})",
                    "V006",
                )
                continue
            if vid in BUILTINS:
                self.err(
                    self.m["variables"].at(vid),
                    f"{vid!r} is a built-in name; choose another variable name",
                    "V001",
                )
                continue
            v = self._variable(vid, raw)
            if v is not None:
                out[vid] = dataclasses.replace(v, loc=self.m["variables"].at(vid))
            else:  # its own error is reported; what uses it only follows from that
                self.ck.maybe.setdefault(vid, self.m["variables"].at(vid)[0])
        return out

    def _variable(self, vid: str, raw: Record) -> Variable | None:
        init = raw.get("initial")
        typ = raw.get("type")
        if typ is None:
            if "values" in raw:
                typ = "enum"
            elif init in ("true", "false"):
                typ = "bool"
            else:
                typ = "number"
        label = str(raw.get("label", vid))
        roles = tuple(self.id_in(r, self.roles_raw, "role") or "" for r in raw.get("roles", []))
        if init is None:
            return None
        value: Any
        if typ == "number":
            try:
                value = int(str(init))
            except ValueError:
                self.err(
                    init.loc,
                    f"variable {vid!r}: initial value must be a whole number, not "
                    f"{_clip(str(init))!r}: write digits (initial: 10); for one of a few "
                    "words, make it an enum by listing them under 'values'",
                    "V002",
                )
                return None
            lo, hi = raw.get("min"), raw.get("max")
            for k, n in (("initial", value), ("min", lo), ("max", hi)):
                if n is not None and abs(n) > MAX_VALUE:
                    self.err(
                        raw.at(k),
                        f"variable {vid!r}: {k} must be between -{MAX_VALUE} and {MAX_VALUE}",
                        "V003",
                    )
                    return None
            if lo is not None and hi is not None and lo > hi:
                self.err(raw.at("min"), f"variable {vid!r}: min is above max", "V003")
            elif (lo is not None and value < lo) or (hi is not None and value > hi):
                self.err(init.loc, f"variable {vid!r}: initial value outside min..max", "V003")
            if "labels" in raw:
                self.err(
                    raw.at("labels"), f"variable {vid!r}: labels are for enums and ladders", "V004"
                )
            default_show = "meter" if lo is not None and hi is not None else "value"
            show = str(raw.get("show", default_show))
            if show == "meter" and (lo is None or hi is None):
                self.err(raw.at("show"), f"variable {vid!r}: a meter needs min and max", "V004")
            return Variable(
                vid,
                "number",
                value,
                label,
                show,
                lo,
                hi,
                (),
                roles,
                str(raw.get("description", "")),
                zones=self._zones(vid, raw),
                estimate=self._estimate(vid, raw),
            )
        for k in ("min", "max", "estimate"):
            if k in raw:
                self.err(raw.at(k), f"variable {vid!r}: {k} is for numbers only", "V004")
        if "labels" in raw and typ == "bool":
            self.err(
                raw.at("labels"), f"variable {vid!r}: labels are for enums and ladders", "V004"
            )
        show = str(raw.get("show", "value"))
        if show == "meter":
            self.err(raw.at("show"), f"variable {vid!r}: only numbers can be meters", "V004")
        if typ == "bool":
            if init not in ("true", "false"):
                self.err(init.loc, f"variable {vid!r}: initial value must be true or false", "V002")
                return None
            return Variable(
                vid,
                "bool",
                init == "true",
                label,
                show,
                roles=roles,
                description=str(raw.get("description", "")),
            )
        values = tuple(str(v) for v in raw.get("values", []))
        if typ == "ladder" and self.version < 2:
            self.err(
                raw.at("type"), "type 'ladder' needs format 2: put 'format: 2' at the top", "M003"
            )
            return None
        if not values:
            self.err(raw.loc, f"variable {vid!r}: an {typ} needs a list of 'values'", "V005")
            return None
        if init not in values:
            self.err(
                init.loc,
                f"variable {vid!r}: initial value {str(init)!r} is not one of "
                f"its values" + suggest(init, values),
                "V002",
            )
            return None
        return Variable(
            vid,
            str(typ),
            str(init),
            label,
            show,
            values=values,
            roles=roles,
            description=str(raw.get("description", "")),
            labels=self._value_labels(vid, raw, values),
        )

    def _value_labels(
        self, vid: str, raw: Record, values: tuple[str, ...]
    ) -> tuple[tuple[str, str], ...]:
        """Format 2: the text shown for an enum's or ladder's values; each key a value."""
        labels = raw.get("labels")
        if not labels:
            return ()
        if self.version < 2:
            self.err(
                raw.at("labels"), "'labels' needs format 2: put 'format: 2' at the top", "M003"
            )
            return ()
        out = []
        for key, text in labels.items():
            if str(key) not in values:
                where = labels.at(key) if isinstance(labels, Record) else raw.at("labels")
                self.err(
                    where,
                    f"variable {vid!r}: label for {str(key)!r}, which is not one of its values"
                    + suggest(str(key), values),
                    "V008",
                )
                continue
            out.append((str(key), str(text)))
        return tuple(out)

    def effects(self, raw: Record | None) -> tuple[Effect, ...]:
        if not raw:
            return ()
        out = []
        for var, val in raw.items():
            v = self.variables.get(var)
            if v is None and var == "hours" and self.version >= 2:
                eff = self._clock_effect(val, raw.at(var))
                if eff is not None:
                    out.append(eff)
                continue
            if v is None:
                if var not in self.names or var in BUILTINS:
                    self.err(
                        raw.at(var),
                        f"effect on unknown variable {var!r}"
                        + (
                            suggest(var, self.variables)
                            or "; declare it under 'variables' (with its 'initial' value)"
                        ),
                        "E001",
                        var,
                    )
                continue
            eff = self._effect(v, val, raw.at(var))
            if eff is not None:
                out.append(eff)
        return tuple(out)

    def _effect(self, v: Variable, val: Any, loc: spec.Loc) -> Effect | None:
        if isinstance(val, Record):
            ops = [k for k in ("set", "add", "sub") if k in val]
            if len(ops) != 1:
                self.err(loc, f"effect on {v.id!r}: give exactly one of set, add, sub", "E002")
                return None
            op = ops[0]
            src = val[op]
        else:
            src = val
            text = str(src).strip()
            op = "set"
            if v.type in ("enum", "ladder") and text in v.values:
                c = self.expr(Src(repr(text), src.loc), STR)
                return Effect(v.id, "set", c) if c else None
            if text.startswith(("+", "-")) and v.type in ("number", "ladder"):
                op = "add" if text[0] == "+" else "sub"
                src = Src(text[1:], src.loc)
            elif text[:1] == "=":
                src = Src(text[1:], src.loc)
        if op != "set" and v.type not in ("number", "ladder"):
            self.err(loc, f"effect on {v.id!r}: only numbers and ladders can be added to", "E003")
            return None
        if op != "set":  # a ladder moves this many rungs
            c = self.expr(src, NUM)
            return Effect(v.id, op, c) if c else None
        want = {"number": NUM, "bool": BOOL}.get(v.type, STR)
        if v.type in ("enum", "ladder") and self.version >= 2:
            return self._choice_effect(v, src)
        if v.type == "enum":
            self.err(
                src.loc,
                f"effect on {v.id!r}: set an enum to one of its values: "
                + ", ".join(v.values)
                + suggest(str(src).strip(), v.values),
                "E004",
            )
            return None
        c = self.expr(src, want)
        return Effect(v.id, op, c) if c else None

    def _choice_effect(self, v: Variable, src: Src) -> Effect | None:
        """Format 2: an enum or ladder set from an expression, e.g. '"alert" if n > 5 else
        "calm"'; every value it can give must be one of the variable's."""
        c = self.expr(src, STR)
        if c is None:
            return None
        can = _text_values(c.tree, self.names)
        wrong = sorted(x for x in can or () if x not in v.values)
        if can is None or wrong:
            what = f"can give {wrong[0]!r}" if wrong else "can give any text"
            self.err(
                src.loc,
                f"effect on {v.id!r}: the expression {what}; every value it gives must be "
                "one of " + ", ".join(v.values),
                "E004",
            )
            return None
        return Effect(v.id, "set", c)

    def _clock_effect(self, val: Any, loc: spec.Loc) -> Effect | None:
        """Format 2: 'hours' in effects moves the clock (in hours since the start; forward only)."""
        if isinstance(val, Record):
            ops = [k for k in ("set", "add") if k in val]
            if len(ops) != 1 or "sub" in val:
                self.err(loc, "the clock moves forward only: give one of set or add", "E005")
                return None
            op, src = ops[0], val[ops[0]]
        else:
            text = str(val).strip()
            if text.startswith("-"):
                self.err(loc, "the clock moves forward only: it cannot be set back", "E005")
                return None
            op = "add" if text.startswith("+") else "set"
            src = Src(text.lstrip("+="), val.loc) if text[:1] in "+=" else val
        c = self.expr(src, NUM)
        return Effect("hours", op, c) if c else None

    def build(self) -> Scenario | None:
        head = self.head
        if head.get("format") not in (None, *FORMAT_VERSIONS):
            self.err(
                head.at("format"),
                f"unsupported format {head.get('format')}; this version "
                f"reads formats {', '.join(map(str, FORMAT_VERSIONS))}",
                "M001",
            )
        if not self.roles_raw:
            self.err(head.loc, "a scenario needs at least one role under 'roles'", "M002")
        clock = self._clock(head.get("clock"))
        roles = {}
        for rid, r in self.roles_raw.items():
            self.here_roles, self.here_what = (rid,), f"the start of role {rid!r}"
            start = self.ref(r.get("start"), "s", f"role {rid!r} start")
            self._v2(r, "role")
            roles[rid] = Role(
                rid,
                str(r.get("name", rid)),
                start or "",
                str(r.get("title", "")),
                self.text(r.get("blurb"), f"role:{rid}/blurb"),
                self.effects(r.get("setup")),
                self._role_zone(r),
            )
        lessons = {}
        for lid, raw in self.lessons_raw.items():
            lessons[lid] = Lesson(
                lid, str(raw.get("title", lid)), str(raw.get("text", "")), self.lessons_raw.at(lid)
            )
        endings = {}
        for eid, raw in self.endings_raw.items():
            if eid in self.scenes_raw:
                self.err(self.endings_raw.at(eid), f"{eid!r} is both a scene and an ending", "R003")
            lesson = self.id_in(raw.get("lesson"), lessons, "lesson")
            endings[eid] = Ending(
                eid,
                str(raw.get("title", eid)),
                str(raw.get("outcome", "")),
                self.text(raw.get("text"), f"ending:{eid}/text"),
                lesson,
                self.text(raw.get("history"), f"ending:{eid}/history"),
                self.endings_raw.at(eid),
                assume=self._claim(raw, f"ending {eid!r}"),
                roles=self._roles(raw.get("roles", [])),
            )
        scenes = {}
        for sid, raw in self.scenes_raw.items():
            self.here_roles, self.here_what = self.roles_of.get(sid, ()), f"scene {sid!r}"
            scenes[sid] = self._scene(sid, raw)
        reactions = []
        seen: dict[str, spec.Loc] = {}
        for raw in self.m.get("reactions", []):
            rid = str(raw.get("id", ""))
            self.here_roles = tuple(str(r) for r in raw.get("roles", []))
            self.here_what = f"reaction {rid!r}"
            self._unique(seen, rid, raw.loc, "reaction")
            outs = []
            for n, o in enumerate(raw.get("outcomes", [])):
                w = self.expr(o.get("weight", Src("1", o.loc)), NUM)
                self._v2(o, "outcome")
                outs.append(
                    Outcome(
                        w or Compiled.constant(0),
                        self.text(o.get("text"), f"reaction:{rid}/{n + 1}"),
                        self.effects(o.get("effects")),
                        self.ref(o.get("goto"), "se", "goto"),
                        self.expr(o.get("if"), BOOL),
                        bool(o.get("once", False)),
                        int(o.get("cooldown", 0)),
                        f"{rid}/{n + 1}",
                        loc=o.at("weight"),
                    )
                )
            if not outs:
                self.err(raw.loc, f"reaction {rid!r} has no outcomes", "R004")
            self._v2(raw, "reaction")
            if raw.get("once") and "cooldown" in raw:
                self.err(raw.at("cooldown"), "give 'once' or 'cooldown', not both", "R008")
            reactions.append(
                Reaction(
                    rid,
                    tuple(outs),
                    self.expr(raw.get("if"), BOOL),
                    self._roles(raw.get("roles", [])),
                    bool(raw.get("once", False)),
                    int(raw.get("cooldown", 0)),
                    bool(raw.get("once") or raw.get("cooldown"))
                    or any(o.limited or o.cond is not None for o in outs),
                    loc=raw.at("if"),
                )
            )
        triggers = []
        seen = {}
        for raw in self.m.get("triggers", []):
            tid = str(raw.get("id", ""))
            self.here_roles = tuple(str(r) for r in raw.get("roles", []))
            self.here_what = f"trigger {tid!r}"
            self._unique(seen, tid, raw.loc, "trigger")
            cond = self.expr(raw.get("if"), BOOL) if "if" in raw else Compiled.constant(True)
            at, after, since = self._schedule(raw)
            if "if" not in raw and at is None and after is None:
                self.err(raw.loc, f"trigger {tid!r} needs an 'if', 'at' or 'after'", "T003")
            triggers.append(
                Trigger(
                    tid,
                    cond or Compiled.constant(False),
                    self.effects(raw.get("effects")),
                    self.text(raw.get("text"), f"trigger:{tid}"),
                    self.ref(raw.get("goto"), "se", "goto"),
                    bool(raw.get("once", True)),
                    self._roles(raw.get("roles", [])),
                    at,
                    after,
                    since,
                    raw.at("if"),
                )
            )
        self.here_roles, self.here_what = (), ""
        self._check_jumps()
        return Scenario(
            id=str(head.get("id", "")),
            title=str(head.get("title", "")),
            format=self.version,
            roles=roles,
            variables=self.variables,
            scenes=scenes,
            endings=endings,
            lessons=lessons,
            stances=self.stances,
            leanings=self.leanings,
            reactions=tuple(reactions),
            triggers=tuple(triggers),
            description=self.text(head.get("description"), "description"),
            author=str(head.get("author", "")),
            clock=clock,
        )

    def _check_jumps(self) -> None:
        """A way written in one file into a place of another file, while a place of this
        file with a close name is reached by nothing: most likely the one meant (a
        reaction in one role's part that jumps to the other role's ending by mistake)."""
        reached = (
            {t for _, t, _ in self.jumps}
            | set(self.roles_of)
            | {str(r.get("start")) for r in self.roles_raw.values() if r.get("start")}
        )
        for src, target, what in self.jumps:
            kind = "e" if target in self.endings_raw else "s"
            there = self.where[kind].get(target)
            if there is None or there[0] == src.loc[0]:
                continue
            unreached = {
                n: loc
                for n, loc in self.where[kind].items()
                if loc[0] == src.loc[0] and n not in reached
            }
            meant = spec.closest(target, unreached)
            if meant is None:
                continue
            noun = "ending" if kind == "e" else "scene"
            self.ck.warn(
                src.loc,
                f"{what}: leads to {noun} {target!r} of {there[0]}, while {noun} {meant!r} "
                f"here in {src.loc[0]} is reached by nothing: did you mean {meant!r}? "
                "(if the way is right, give the two places 'roles' to say whose they are)",
                "R007",
            )

    def _unique(self, seen: dict[str, spec.Loc], key: str, loc: spec.Loc, noun: str) -> None:
        if key in seen:
            first = seen[key]
            self.err(
                loc,
                f"{noun} id {key!r} used twice (first at {first[0]}:{first[1]}): give each "
                f"its own id, e.g. {key + '-2'!r}",
                "R005",
            )
        seen[key] = loc

    def _roles(self, raw: list[Src]) -> tuple[str, ...]:
        return tuple(r for r in (self.id_in(x, self.roles_raw, "role") for x in raw) if r)

    def _v2(self, raw: Record, where: str) -> None:
        """Report format-2 fields in a format-1 file."""
        if self.version >= 2:
            return
        for name in FORMAT2_FIELDS[where]:
            if name in raw:
                self.err(
                    raw.at(name),
                    f"{where} field {name!r} needs format 2: put 'format: 2' at the top",
                    "M003",
                )

    def _zone(self, raw: Record, name: str) -> dt.timezone | None:
        if name not in raw:
            return None
        zone = parse_zone(str(raw.get(name)))
        if zone is None:
            self.err(
                raw.at(name),
                f"{name} {str(raw.get(name))!r} is not a UTC offset like UTC-4 or UTC+3",
                "C004",
            )
        return zone

    def _zone_of(self, raw: Record, base: Zone) -> Zone:
        """The zone ``raw`` gives ('zone', 'zone_label', 'zone_changes'); what it leaves
        out comes from ``base``. Each change's 'at' is read in the offset before it."""
        fixed = self._zone(raw, "zone")
        offset = base.offset if fixed is None else fixed.utcoffset(None) or dt.timedelta()
        label = str(raw.get("zone_label", base.label if fixed is None else ""))
        if "zone_changes" not in raw:
            return Zone(offset, label, base.changes if fixed is None else ())
        changes: list[ZoneChange] = []
        before = offset
        for c in raw.get("zone_changes", []):
            wall, to = self._when(c, "at", "zone change"), self._zone(c, "zone")
            if wall is None or to is None:
                continue
            at = wall - before
            if changes and at <= changes[-1].at:
                self.err(
                    c.at("at"),
                    f"zone change at {wall:%Y-%m-%d %H:%M} is not after the one before it: "
                    "list zone changes in time order",
                    "C010",
                )
                continue
            before = to.utcoffset(None) or dt.timedelta()
            changes.append(ZoneChange(at, before, str(c.get("label", ""))))
        return Zone(offset, label, tuple(changes))

    def _role_zone(self, raw: Record) -> Zone | None:
        """A role's own zone, or None when it names none (it reads the clock's)."""
        if not any(k in raw for k in ("zone", "zone_label", "zone_changes")):
            return None
        return self._zone_of(raw, self.clock_zone)

    def _when(self, raw: Record, name: str, what: str) -> dt.datetime | None:
        value = raw.get(name)
        try:
            when = dt.datetime.fromisoformat(str(value))
        except (TypeError, ValueError):
            when = None
        if when is None or when.tzinfo is not None:
            self.err(
                raw.at(name),
                f"{what} {str(value)!r} is not a date and time like 1962-10-16 08:45",
                "C001",
            )
            return None
        return when

    def _clock(self, raw: Record | None) -> Clock | None:
        if raw is None:
            return None
        self._v2(raw, "clock")
        zone = self.clock_zone = self._zone_of(raw, UTC_ZONE)
        when = self._when(raw, "start", "clock start")
        if when is None:
            return None
        deadlines = []
        for d in raw.get("deadlines", []):
            at = self._when(d, "at", "deadline")
            if at is not None:
                label = str(d.get("label", ""))
                roles = self._roles(d.get("roles", []))
                self.here_roles, self.here_what = roles, f"deadline {label!r}"
                cond = self.expr(d.get("if"), BOOL)
                deadlines.append(Deadline(label, zone.to_utc(at), roles, cond))
        self.here_roles, self.here_what = (), ""
        per = raw.get("hours_per_turn", 6)
        return Clock(when, round(per * 60), str(raw.get("label", "Time")), zone, tuple(deadlines))

    def _scene(self, sid: str, raw: Record) -> Scene:
        advisers = []
        for n, a in enumerate(raw.get("advisers", [])):
            leans = self.id_in(a.get("leans"), self.leanings, "leaning") or ""
            advisers.append(
                Adviser(
                    str(a.get("who", "")),
                    leans,
                    self.text(a.get("says"), f"scene:{sid}/adviser{n + 1}"),
                    self.expr(a.get("if"), BOOL),
                    assume=self._claim(a, f"adviser {n + 1} of scene {sid!r}"),
                    loc=a.at("if"),
                )
            )
        choices = []
        seen: dict[str, spec.Loc] = {}
        for c in raw.get("choices", []):
            cid = str(c.get("id", ""))
            self._unique(seen, cid, c.loc, f"scene {sid!r}: choice")
            stance = self.id_in(c.get("stance"), self.stances, "stance") or ""
            if "disabled" in c and "if" not in c:
                self.err(
                    c.at("disabled"),
                    "'disabled' gives the reason an 'if' fails; add an 'if'",
                    "C002",
                )
            hours = c.get("hours")
            nxt, routes = self._next(cid, c)
            choices.append(
                Choice(
                    cid,
                    str(c.get("text", "")),
                    stance,
                    nxt,
                    self.expr(c.get("if"), BOOL),
                    str(c["disabled"]) if "disabled" in c else None,
                    self.effects(c.get("effects")),
                    self.text(c.get("result"), f"scene:{sid}/{cid}"),
                    bool(c.get("once", False)),
                    None if hours is None else round(hours * 60),
                    c.loc,
                    routes,
                    bool(c.get("historical", False)),
                )
            )
        if not raw.get("choices") and "choices" in raw:
            self.err(
                raw.at("choices"),
                f"scene {sid!r} has no choices: send it on to another scene or an ending",
                "C003",
            )
        return Scene(
            sid,
            self.text(raw.get("text"), f"scene:{sid}"),
            tuple(choices),
            str(raw.get("title", "")),
            str(raw.get("when", "")),
            str(raw.get("where", "")),
            self.effects(raw.get("effects")),
            tuple(advisers),
            self.scenes_raw.at(sid),
            self._scene_at(raw),
            self._claim(raw, f"scene {sid!r}"),
            raw.at("when") if "when" in raw else ("", 0, 0),
            at_loc=raw.at("at") if "at" in raw else ("", 0, 0),
        )

    def _next(self, cid: str, c: Record) -> tuple[str, tuple[tuple[Compiled, str], ...]]:
        """A choice's 'next': one place, or (format 2) a list of {if, to} with a default."""
        raw = c.get("next")
        what = f"choice {cid!r} next"
        if not isinstance(raw, list):
            return self.ref(raw, "se", what) or "", ()
        if self.version < 2:
            self.err(c.at("next"), "a list of 'next' entries needs format 2", "M003")
            return "", ()
        if not raw:
            self.err(c.at("next"), f"{what}: the list is empty", "C009")
            return "", ()
        routes = []
        for k, entry in enumerate(raw):
            to = self.ref(entry.get("to"), "se", what) or ""
            last = k == len(raw) - 1
            if "if" not in entry and not last:
                self.err(
                    entry.loc,
                    f"{what}: only the last entry may go without 'if' (the ones after "
                    "it could never be taken)",
                    "C009",
                )
            elif "if" in entry and last:
                self.err(
                    entry.loc,
                    f"{what}: the list needs a final entry without 'if', taken when no "
                    "condition holds, e.g. '- to: some-scene'",
                    "C009",
                )
            elif not last:
                cond = self.expr(entry.get("if"), BOOL)
                if cond is not None:
                    routes.append((cond, to))
        return to if "if" not in raw[-1] else "", tuple(routes)

    def _scene_at(self, raw: Record) -> dt.datetime | None:
        self._v2(raw, "scene")
        if "at" not in raw:
            return None
        if self.head.get("clock") is None:
            self.err(raw.at("at"), "'at' sets the clock: add a 'clock' to the scenario", "C005")
            return None
        return self._when(raw, "at", "scene 'at'")
