"""Building the scenario model from merged, structurally valid data: names, types, references."""

from __future__ import annotations

import dataclasses
import datetime as dt
import keyword
import re
from collections.abc import Collection
from typing import Any

from brinkmanship.format import spec
from brinkmanship.format.expr import (
    BOOL,
    MAX_VALUE,
    NUM,
    STR,
    Compiled,
    Compiler,
    ExprError,
    NameInfo,
    place_of,
)
from brinkmanship.format.model import (
    Adviser,
    Choice,
    Clock,
    Deadline,
    Effect,
    Ending,
    Label,
    Lesson,
    Outcome,
    Reaction,
    Role,
    Scenario,
    Scene,
    Text,
    Trigger,
    Variable,
    parse_zone,
    placeholders,
)
from brinkmanship.format.names import BUILTINS, DEFAULT_LEANINGS, DEFAULT_STANCES
from brinkmanship.format.spec import Checker, Record, Src, suggest
from brinkmanship.format.yamlsrc import DEFAULT_LIMITS, Limits

FORMAT_VERSION = 2  # the newest format read
FORMAT_VERSIONS = (1, 2)
# Fields only a format-2 file may use: (where, field).
FORMAT2_FIELDS = {"role": ("zone", "zone_label"), "scene": ("at",), "clock": ("zone", "deadlines")}


class Builder:
    """Turns merged, structurally valid data into a compiled :class:`Scenario`."""

    def __init__(
        self, head: Record, merged: dict[str, Any], ck: Checker, limits: Limits = DEFAULT_LIMITS
    ) -> None:
        self.head = head
        self.version = 2 if head.get("format") == 2 else 1
        self.m = merged
        self.ck = ck
        self.expr_limit = limits.max_expr_parts  # bounds the work of one turn
        self.expr_parts = 0
        self.scenes_raw: Record = merged.get("scenes") or Record(head.loc)
        self.endings_raw: Record = merged.get("endings") or Record(head.loc)
        self.roles_raw: Record = merged.get("roles") or Record(head.loc)
        self.lessons_raw: Record = merged.get("lessons") or Record(head.loc)
        self.choice_ids = {
            str(c.get("id")) for s in self.scenes_raw.values() for c in s.get("choices", [])
        }
        self.trigger_ids = {str(t.get("id")) for t in merged.get("triggers", [])}
        self.stances = self._labels("stances", DEFAULT_STANCES)
        self.leanings = self._labels("leanings", DEFAULT_LEANINGS)
        self.variables = self._variables()
        names: dict[str, NameInfo] = {}
        for v in self.variables.values():
            typ = {"number": NUM, "bool": BOOL, "enum": STR}[v.type]
            names[v.id] = NameInfo(typ, v.values)
        known = {"stance": ("", *self.stances), "role": tuple(self.roles_raw)}
        for name, b in BUILTINS.items():
            names[name] = NameInfo(b.type, known.get(name, ()), b.get)
        self.names = names
        self.compiler = Compiler(names, self._ref_problem)

    # -- helpers ------------------------------------------------------------

    def err(self, loc: spec.Loc, msg: str, code: str) -> None:
        self.ck.error(loc, msg, code)

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
        return f"no {noun} {key!r}" + suggest(key, *pools[kind])

    def expr(self, src: Src | None, want: str | None) -> Compiled | None:
        if src is None:
            return None
        try:
            compiled = self.compiler.compile(src, want)
        except ExprError as exc:
            self.err(place_of(src, exc.col), f"in expression {str(src)!r}: {exc}", "X001")
            return None
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

    def ref(self, src: Src | None, kinds: str, what: str) -> str | None:
        if src is None:
            return None
        pools = [p for k, p in (("s", self.scenes_raw), ("e", self.endings_raw)) if k in kinds]
        if any(src in p for p in pools):
            return str(src)
        noun = {"s": "scene", "e": "ending", "se": "scene or ending"}[kinds]
        self.err(src.loc, f"{what}: no {noun} {str(src)!r}" + suggest(src, *pools), "R001")
        return None

    def id_in(self, src: Src | None, pool: dict[str, Any], noun: str) -> str | None:
        if src is None:
            return None
        if src in pool:
            return str(src)
        self.err(src.loc, f"no {noun} {str(src)!r}" + suggest(src, pool), "R002")
        return None

    def text(self, raw: Any) -> Text:
        if raw is None:
            return Text()
        items = [raw] if isinstance(raw, str) else raw
        parts: list[tuple[Compiled | None, str]] = []
        for item in items:
            if isinstance(item, Record):
                cond = self.expr(item.get("if"), BOOL)
                body = item.get("text")
                if body is None:
                    continue
                self._check_placeholders(body)
                parts.append((cond, str(body)))
                if "else" in item:
                    parts.extend(self._else(item))
            else:
                self._check_placeholders(item)
                parts.append((None, str(item)))
        return Text(tuple(parts))

    def _else(self, item: Record) -> list[tuple[Compiled | None, str]]:
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
        negated = self.expr(Src(f"not ({item.get('if')})", item.at("if")), BOOL)
        return [(negated, str(body))] if negated else []

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
                zone = self._zone(clock, "zone") or dt.UTC
                at = None if when is None else when - (zone.utcoffset(None) or dt.timedelta())
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

    def _check_placeholders(self, s: str) -> None:
        for _, name in placeholders(s):
            if name not in self.names:
                self.err(
                    s.loc if isinstance(s, Src) else self.head.loc,
                    f"unknown name {{{name}}} in text"
                    + suggest(name, self.names)
                    + "; write {{ for a literal brace",
                    "T001",
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
                    init.loc, f"variable {vid!r}: initial value must be a whole number", "V002"
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
            )
        for k in ("min", "max"):
            if k in raw:
                self.err(raw.at(k), f"variable {vid!r}: {k} is for numbers only", "V004")
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
        if not values:
            self.err(raw.loc, f"variable {vid!r}: an enum needs a list of 'values'", "V005")
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
            "enum",
            str(init),
            label,
            show,
            values=values,
            roles=roles,
            description=str(raw.get("description", "")),
        )

    def effects(self, raw: Record | None) -> tuple[Effect, ...]:
        if not raw:
            return ()
        out = []
        for var, val in raw.items():
            v = self.variables.get(var)
            if v is None:
                if var not in self.names or var in BUILTINS:
                    self.err(
                        raw.at(var),
                        f"effect on unknown variable {var!r}" + suggest(var, self.variables),
                        "E001",
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
            if v.type == "enum" and text in v.values:
                c = self.expr(Src(repr(text), src.loc), STR)
                return Effect(v.id, "set", c) if c else None
            if text.startswith(("+", "-")) and v.type == "number":
                op = "add" if text[0] == "+" else "sub"
                src = Src(text[1:], src.loc)
            elif text[:1] == "=":
                src = Src(text[1:], src.loc)
        if op != "set" and v.type != "number":
            self.err(loc, f"effect on {v.id!r}: only numbers can be added to", "E003")
            return None
        want = {"number": NUM, "bool": BOOL, "enum": STR}[v.type]
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
        roles = {}
        for rid, r in self.roles_raw.items():
            start = self.ref(r.get("start"), "s", f"role {rid!r} start")
            self._v2(r, "role")
            roles[rid] = Role(
                rid,
                str(r.get("name", rid)),
                start or "",
                str(r.get("title", "")),
                self.text(r.get("blurb")),
                self.effects(r.get("setup")),
                self._zone(r, "zone"),
                str(r.get("zone_label", "")),
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
                self.text(raw.get("text")),
                lesson,
                self.text(raw.get("history")),
                self.endings_raw.at(eid),
            )
        scenes = {sid: self._scene(sid, raw) for sid, raw in self.scenes_raw.items()}
        reactions = []
        seen: dict[str, spec.Loc] = {}
        for raw in self.m.get("reactions", []):
            rid = str(raw.get("id", ""))
            self._unique(seen, rid, raw.loc, "reaction")
            outs = []
            for o in raw.get("outcomes", []):
                w = self.expr(o.get("weight", Src("1", o.loc)), NUM)
                outs.append(
                    Outcome(
                        w or Compiled.constant(0),
                        self.text(o.get("text")),
                        self.effects(o.get("effects")),
                        self.ref(o.get("goto"), "se", "goto"),
                    )
                )
            if not outs:
                self.err(raw.loc, f"reaction {rid!r} has no outcomes", "R004")
            reactions.append(
                Reaction(
                    rid,
                    tuple(outs),
                    self.expr(raw.get("if"), BOOL),
                    self._roles(raw.get("roles", [])),
                )
            )
        triggers = []
        seen = {}
        for raw in self.m.get("triggers", []):
            tid = str(raw.get("id", ""))
            self._unique(seen, tid, raw.loc, "trigger")
            cond = self.expr(raw.get("if"), BOOL) if "if" in raw else Compiled.constant(True)
            at, after, since = self._schedule(raw)
            if "if" not in raw and at is None and after is None:
                self.err(raw.loc, f"trigger {tid!r} needs an 'if', 'at' or 'after'", "T001")
            triggers.append(
                Trigger(
                    tid,
                    cond or Compiled.constant(False),
                    self.effects(raw.get("effects")),
                    self.text(raw.get("text")),
                    self.ref(raw.get("goto"), "se", "goto"),
                    bool(raw.get("once", True)),
                    self._roles(raw.get("roles", [])),
                    at,
                    after,
                    since,
                )
            )
        clock = self._clock(head.get("clock"))
        self._check_clock_order(scenes, reactions, triggers)
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
            description=self.text(head.get("description")),
            author=str(head.get("author", "")),
            clock=clock,
        )

    def _unique(self, seen: dict[str, spec.Loc], key: str, loc: spec.Loc, noun: str) -> None:
        if key in seen:
            first = seen[key]
            self.err(loc, f"{noun} id {key!r} used twice (first at {first[0]}:{first[1]})", "R005")
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
        when = self._when(raw, "start", "clock start")
        if when is None:
            return None
        zone = self._zone(raw, "zone") or dt.UTC
        offset = zone.utcoffset(None) or dt.timedelta()
        deadlines = []
        for d in raw.get("deadlines", []):
            at = self._when(d, "at", "deadline")
            if at is not None:
                label = str(d.get("label", ""))
                deadlines.append(Deadline(label, at - offset, self._roles(d.get("roles", []))))
        per = raw.get("hours_per_turn", 6)
        return Clock(when, round(per * 60), str(raw.get("label", "Time")), zone, tuple(deadlines))

    def _scene(self, sid: str, raw: Record) -> Scene:
        advisers = []
        for a in raw.get("advisers", []):
            leans = self.id_in(a.get("leans"), self.leanings, "leaning") or ""
            advisers.append(
                Adviser(
                    str(a.get("who", "")),
                    leans,
                    self.text(a.get("says")),
                    self.expr(a.get("if"), BOOL),
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
            choices.append(
                Choice(
                    cid,
                    str(c.get("text", "")),
                    stance,
                    self.ref(c.get("next"), "se", f"choice {cid!r} next") or "",
                    self.expr(c.get("if"), BOOL),
                    str(c["disabled"]) if "disabled" in c else None,
                    self.effects(c.get("effects")),
                    self.text(c.get("result")),
                    bool(c.get("once", False)),
                    None if hours is None else round(hours * 60),
                    c.loc,
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
            self.text(raw.get("text")),
            tuple(choices),
            str(raw.get("title", "")),
            str(raw.get("when", "")),
            str(raw.get("where", "")),
            self.effects(raw.get("effects")),
            tuple(advisers),
            self.scenes_raw.at(sid),
            self._scene_at(raw),
        )

    def _check_clock_order(
        self, scenes: dict[str, Scene], reactions: list[Reaction], triggers: list[Trigger]
    ) -> None:
        """Warn where a path leads from one scene's 'at' to an earlier one.

        A graph check over every way on (choices, reaction and trigger diversions); it
        ignores conditions, so it may report a path no game can take.
        """
        timed = {sid: s.at for sid, s in scenes.items() if s.at is not None}
        if not timed:
            return
        anywhere = tuple(
            g
            for g in (
                *(o.goto for r in reactions for o in r.outcomes),
                *(t.goto for t in triggers),
            )
            if g
        )
        for sid, at in timed.items():
            seen = {sid}
            todo: list[tuple[str, tuple[str, ...]]] = [(sid, (sid,))]
            while todo:
                here, path = todo.pop()
                for nxt in (*(c.next for c in scenes[here].choices), *anywhere):
                    if nxt in seen or nxt not in scenes:
                        continue
                    seen.add(nxt)
                    later = timed.get(nxt)
                    if later is None:
                        todo.append((nxt, (*path, nxt)))
                    elif later < at:
                        way = " -> ".join((*path, nxt))
                        self.ck.warn(
                            self.scenes_raw[nxt].at("at"),
                            f"the clock would go back: {way} leads from {at:%Y-%m-%d %H:%M} "
                            f"to {later:%Y-%m-%d %H:%M} (the clock stays put instead)",
                            "C006",
                        )

    def _scene_at(self, raw: Record) -> dt.datetime | None:
        self._v2(raw, "scene")
        if "at" not in raw:
            return None
        if self.head.get("clock") is None:
            self.err(raw.at("at"), "'at' sets the clock: add a 'clock' to the scenario", "C005")
            return None
        return self._when(raw, "at", "scene 'at'")
