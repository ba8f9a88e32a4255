"""Small widgets shared by the screens: meters, the tension chart, the stance mix, choices."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import cast

from rich.console import Console, ConsoleOptions
from rich.console import RenderResult as RichResult
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.app import ComposeResult, RenderResult
from textual.color import Color
from textual.content import Content
from textual.css.styles import RulesMap
from textual.events import Resize
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widget import Widget
from textual.widgets import OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from brinkmanship.frontends.tui.safe import one_line
from brinkmanship.frontends.tui.sized import OneLayout, SizedStatic, SizedVertical
from brinkmanship.runtime.session import Session
from brinkmanship.runtime.views import (
    ChoiceView,
    MeterView,
    StanceCount,
    chart,
    clock,
    stance_mix,
    time_shown,
)

BARS = "▁▂▃▄▅▆▇█"
MUTED = "$foreground-muted"  # Content styles blend alpha colours; "$text-muted" does not
DIM = "$foreground 40%"
DARK = "$foreground-darken-3"  # closed choices

STANCE_STYLES = {
    "escalate": "$error",
    "negotiate": "$success",
    "hold": "$warning",
    "concede": "$secondary",
}
OUTCOME_STYLES = {
    "catastrophe": "$error",
    "defeat": "$warning",
    "stalemate": "$secondary",
    "settlement": "$primary",
    "cooperation": "$success",
}


def show_content(static: Static, content: Content) -> None:
    """Show ``content`` in ``static`` unless it shows just that already; when its height
    stays the same, without asking for a layout (a repaint of the widget is enough)."""
    shown = static.visual
    if isinstance(shown, Content) and shown.is_same(content):
        return
    same = isinstance(shown, Content) and _same_height(static, shown, content)
    static.update(content, layout=not same)


def _same_height(static: Static, old: Content, new: Content) -> bool:
    width = static.content_size.width
    if width <= 0 or (static.styles.width is not None and static.styles.width.is_auto):
        return False
    rules = cast(RulesMap, static.styles)
    return old.get_height(rules, width) == new.get_height(rules, width)


def stance_style(stance: str) -> str:
    return STANCE_STYLES.get(stance, "$foreground-muted")


class _FixedScale:
    """A bar chart renderable: a y axis, then one column per value on a fixed scale."""

    def __init__(
        self,
        data: Sequence[float],
        lo: float,
        hi: float,
        width: int,
        height: int,
        low: Color,
        high: Color,
        axis: Color,
    ) -> None:
        self.data, self.lo, self.hi = list(data), lo, hi
        self.width, self.height = max(1, width), max(1, height)
        self.low, self.high, self.axis = low, high, axis

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RichResult:
        height = self.height
        top, bottom = f"{self.hi:g}", f"{self.lo:g}"
        axis_w = max(len(top), len(bottom)) + 1
        width = max(1, self.width - axis_w)
        # Two cells per turn when there is room, so short games do not look like a smear.
        step = 2 if len(self.data) * 2 <= width else 1
        data = self.data[-(width // step) :] if width // step else []
        pad = width - len(data) * step
        span = (self.hi - self.lo) or 1
        levels = height * 8
        axis_style = RichStyle(color=self.axis.rich_color)
        for row in reversed(range(height)):
            if row == height - 1:
                tick = top.rjust(axis_w - 1) + "┤"
            elif row == 0:
                tick = bottom.rjust(axis_w - 1) + "┤"
            else:
                tick = " " * (axis_w - 1) + "│"
            yield Segment(tick if height > 1 else " " * axis_w, axis_style)
            for v in data:
                ratio = min(1.0, max(0.0, (v - self.lo) / span))
                n = max(1, round(ratio * levels))  # always show at least a sliver
                part = n - row * 8
                ch = " " if part <= 0 else BARS[min(8, part) - 1]
                color = self.low.blend(self.high, ratio)
                yield Segment(ch * step, RichStyle(color=color.rich_color))
            yield Segment(" " * pad)
            if row:
                yield Segment.line()


class TensionChart(OneLayout, Sparkline):
    """A Sparkline of a variable over the turns, on the variable's own fixed scale."""

    DEFAULT_CSS = """
    TensionChart { height: 3; }
    TensionChart > .sparkline--max-color { color: $error; }
    TensionChart > .sparkline--min-color { color: $success; }
    """

    def __init__(
        self,
        data: Sequence[float] = (),
        lo: float = 0,
        hi: float = 100,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(list(data), id=id, classes=classes)
        self.lo, self.hi = lo, hi

    def set_series(self, data: Sequence[float], lo: float, hi: float) -> None:
        self.lo, self.hi = lo, hi
        self.data = list(data)
        self.refresh()

    def render(self) -> RenderResult:
        _, base = self.background_colors
        low = base + self.get_component_styles("sparkline--min-color").color
        high = base + self.get_component_styles("sparkline--max-color").color
        axis = base + self.styles.color.with_alpha(0.5)
        return _FixedScale(
            self.data or [], self.lo, self.hi, self.size.width, self.size.height, low, high, axis
        )


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def wrap_words(text: str, width: int) -> list[str]:
    """``text`` in lines of ``width`` cells, broken between words (a word longer than a
    line is the only thing ever split)."""
    return textwrap.wrap(one_line(text), max(1, width)) or [""]


def zone_style(m: MeterView, band: int) -> str:
    """The colour of a band of a meter: calm below its zones, warning, then danger."""
    if band <= 0:
        return "$success" if m.tension else "$secondary"
    return "$error" if band >= len(m.zones) else "$warning"


def meter_bar(m: MeterView, width: int) -> Content:
    """A meter's bar, its zones drawn as bands of colour along it (the filled part solid).

    Cells of one look are drawn as one run (a span per cell makes it slow to paint)."""
    ratio = m.ratio or 0.0
    filled = round(ratio * width)
    cuts = [r for _, r in m.zones]
    runs: list[list[str]] = []  # [text, style] per run of cells that look the same
    for i in range(width):
        band = sum(1 for c in cuts if (i + 0.5) / width >= c)
        style = zone_style(m, band)
        ch, look = ("█", style) if i < filled else ("░", f"{style} 45%" if band else DIM)
        if runs and runs[-1][1] == look and runs[-1][0][0] == ch:
            runs[-1][0] += ch
        else:
            runs.append([ch, look])
    return Content.assemble(*((text, look) for text, look in runs))


def meter_lines(m: MeterView, width: int, open_: bool = False) -> list[Content]:
    """A meter as lines ``width`` cells wide: its whole label (wrapped, never cut) with the
    value and the last change, a bar with its zones for a meter, and when ``open_`` what it
    means (its description) and where its zones begin."""
    value = one_line(m.text)
    change = f"{m.change:+d} ".replace("-", "−") if m.change else ""
    right = change + value
    zone_tag = m.zone if m.zone else ""
    style = zone_style(m, m.danger) if m.danger else ""
    if len(right) + 1 + min(len(m.label), 8) > width:  # a long value (a label): own lines
        lines = [Content.styled(x, "bold") for x in wrap_words(m.label, width)]
        rows = wrap_words(right, width)
        for x in rows:  # under the label, to the right when it takes one line
            lines.append(
                Content.styled(x.rjust(width) if len(rows) == 1 else x, f"bold {style}".strip())
            )
    else:
        label = wrap_words(m.label, max(6, width - len(right) - 1))
        lines = [Content.styled(x, "bold") for x in label]
        pad = max(1, width - len(label[-1]) - len(right))
        lines[-1] = Content.assemble(
            lines[-1],
            " " * pad,
            (change, "$warning" if m.change > 0 and m.tension else MUTED),
            (value, f"bold {style}".strip()),
        )
    if m.show == "meter" and m.max is not None and isinstance(m.value, int):
        lines.append(meter_bar(m, width))
    if zone_tag and m.danger:
        lines.append(Content.styled(f"▲ {zone_tag}".upper(), f"bold {style}"))
    if open_:
        for x in wrap_words(m.description or "No description.", width):
            lines.append(Content.styled(x, f"italic {MUTED}"))
        if m.thresholds:
            zones = ", ".join(f"{name} from {at}" for name, at in m.thresholds)
            for x in wrap_words(f"Zones: {zones}", width):
                lines.append(Content.styled(x, MUTED))
    return lines


class MeterRow(OneLayout, Widget, can_focus=True):
    """One meter: focus it (Tab) or point at it to read what it means."""

    DEFAULT_CSS = """
    MeterRow { height: auto; margin-bottom: 1; text-wrap: nowrap; text-overflow: clip; }
    MeterRow:focus { background: $boost; }
    """

    def __init__(self, meter: MeterView) -> None:
        super().__init__()
        self.meter = meter
        self.tooltip = meter.description or None
        self._drawn: tuple[tuple[int, bool], list[Content]] | None = None  # the last lines

    def set_meter(self, meter: MeterView) -> None:
        if meter == self.meter:
            return
        rows = len(self._drawn[1]) if self._drawn else -1
        self.meter = meter
        self._drawn = None
        if meter.description != self.tooltip:
            self.tooltip = meter.description or None
        width = self.content_size.width
        # as many lines as before: a repaint, no layout
        self.refresh(layout=not width or len(self._lines(width)) != rows)

    def _lines(self, width: int) -> list[Content]:
        key = (max(10, width), self.has_focus)
        if self._drawn is None or self._drawn[0] != key:
            self._drawn = key, meter_lines(self.meter, *key)
        return self._drawn[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> RenderResult:
        return Content("\n").join(self._lines(self.content_size.width))

    def on_focus(self) -> None:
        self.refresh(layout=True)

    def on_blur(self) -> None:
        self.refresh(layout=True)


class Meters(SizedVertical):
    """The visible variables, one row each, drawn to fit the panel's width."""

    DEFAULT_CSS = "Meters { height: auto; }"

    def set_meters(self, meters: Sequence[MeterView]) -> None:
        rows = list(self.query(MeterRow))
        if [r.meter.id for r in rows] == [m.id for m in meters]:
            for row, m in zip(rows, meters, strict=True):
                row.set_meter(m)
            return
        self.remove_children()
        self.mount_all(MeterRow(m) for m in meters)


def strip_items(meters: Sequence[MeterView]) -> list[Content]:
    """The meters as short items for one strip: label, value, the last change."""
    out = []
    for m in meters:
        style = zone_style(m, m.danger) if m.danger else ""
        change = f" {m.change:+d}".replace("-", "−") if m.change else ""
        out.append(
            Content.assemble(
                (one_line(m.label), "bold"),
                " ",
                (one_line(m.text), style),
                (change, MUTED),
            )
        )
    return out


def pack(items: Sequence[Content], width: int, sep: str = "  ·  ") -> list[Content]:
    """Items in as few lines of ``width`` as they fit, never an item split across lines."""
    lines: list[list[Content]] = [[]]
    used = 0
    for item in items:
        need = item.cell_length + (len(sep) if lines[-1] else 0)
        if lines[-1] and used + need > width:
            lines.append([])
            used, need = 0, item.cell_length
        lines[-1].append(item)
        used += need
    return [Content(sep).join(line) for line in lines if line]


class MeterStrip(OneLayout, Widget):
    """The meters on as few lines as they fit, for when the side panel is hidden."""

    DEFAULT_CSS = "MeterStrip { height: auto; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.meters: list[MeterView] = []

    def set_meters(self, meters: Sequence[MeterView]) -> None:
        if list(meters) != self.meters:
            self.meters = list(meters)
            self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(pack(strip_items(self.meters), width)))

    def render(self) -> RenderResult:
        return Content("\n").join(pack(strip_items(self.meters), self.content_size.width))


def stance_content(counts: Sequence[StanceCount]) -> Content:
    """The stances chosen so far as a small bar per stance."""
    if not counts:
        return Content.styled("No choices yet.", "$foreground-muted italic")
    total = sum(c.count for c in counts)
    width = min(14, max(len(one_line(c.label)) for c in counts))
    lines = []
    for c in counts:
        label = one_line(c.label)[:width].ljust(width)
        lines.append(
            Content.assemble(
                (label, "bold"),
                " ",
                ("■" * max(1, round(8 * c.count / total)), stance_style(c.stance)),
                f" {c.count}",
            )
        )
    return Content("\n").join(lines)


class StatusPanel(SizedVertical):
    """Meters, clock, tension chart and stance mix for one point of a game."""

    def compose(self) -> ComposeResult:
        yield Meters(id="meters")
        yield SizedStatic(id="clock")
        yield SizedStatic(id="chart-label", classes="section")
        yield TensionChart(id="chart")
        yield SizedStatic("Your stances", classes="section")
        yield SizedStatic(id="stances")

    def show(self, session: Session, meters: Sequence[MeterView], upto: int | None = None) -> None:
        """Show ``meters``; the chart and stances cover the first ``upto`` turns (default all).

        The clock shows the time the scene's header shows (one clock for both)."""
        self.query_one(Meters).set_meters(meters)
        state = session.state_at(session.turn if upto is None else upto)
        c = clock(session.scenario, state, session.role)
        when = time_shown(session.scenario, state, session.role) or c.local or c.text
        show_content(
            self.query_one("#clock", Static),
            Content.assemble((one_line(c.label), f"bold {MUTED}"), "\n", one_line(when)),
        )
        graph = self.query_one(TensionChart)
        label = self.query_one("#chart-label", Static)
        series = chart(session, upto)
        if series is None:
            graph.display = label.display = False
        else:
            graph.set_series(series.values, series.lo, series.hi)
            show_content(label, Content.assemble((one_line(series.label), "bold"), " by turn"))
        show_content(self.query_one("#stances", Static), stance_content(stance_mix(session, upto)))


class Hanging(Visual):
    """A number, then a text that wraps under itself, not under the number (what a Rich
    grid of two columns drew, without Rich: Textual draws its own Content much faster)."""

    def __init__(self, mark: Content, body: Content) -> None:
        self.mark, self.body = mark, body
        self.indent = mark.cell_length + 1

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.indent + self.body.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.body.get_height(rules, max(1, width - self.indent))

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        inner = max(1, width - self.indent)
        lines = self.body.render_strips(inner, height, style, options)
        blank = Strip.blank(self.indent, style.rich_style)
        mark = Strip.join(
            [
                *self.mark.render_strips(self.indent - 1, 1, style, options),
                Strip.blank(1, style.rich_style),
            ]
        )
        return [
            Strip.join(
                [mark if i == 0 else blank, line.extend_cell_length(inner, style.rich_style)]
            )
            for i, line in enumerate(lines)
        ]


def choice_prompt(c: ChoiceView, tags: bool = True) -> Hanging:
    """A choice: its number, its text and stance, and why it is closed if it is."""
    tag = (f"‹{one_line(c.stance_label)}›" if tags else "", STANCE_STYLES.get(c.stance, DARK))
    if c.enabled:
        return Hanging(
            Content.styled(str(c.number), "bold"), Content.assemble(one_line(c.text), " ", tag)
        )
    return Hanging(
        Content.styled("–", DARK),
        Content.assemble(
            (one_line(c.text), DARK),
            " ",
            tag,
            "\n",
            (f"⊘ {one_line(c.reason)}", f"italic {DARK}"),
        ),
    )


class ChoiceList(OptionList):
    """The choices of a scene: number keys, arrows and Enter, or the mouse."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.choices: list[ChoiceView] = []
        self.tags = True  # show each choice's stance
        self._holding = False  # new options are being set: scrollbars wait for the layout
        self._stale_bars = False  # ... and that layout decides them
        self._wrapped_width = -1  # the width the options were last wrapped at

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        # The option list caches each option's wrapped lines without their width; when a
        # scrollbar appears the width shrinks, so wrap again (or long choices lose a line).
        self._clear_caches()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # Tall enough at the width left beside a scrollbar too: otherwise a list that was
        # wrapped beside one keeps a line more than the height it was given, and keeps the
        # scrollbar (the last choice half hidden) although without it everything fits.
        full = super().get_content_height(container, viewport, width)
        narrower = width - self.styles.scrollbar_size_vertical
        if narrower <= 0:
            return full
        return max(full, super().get_content_height(container, viewport, narrower))

    def on_mount(self) -> None:
        # The stances' colours are the theme's: draw again in a new theme's colours.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._clear_caches())

    def show(self, choices: Sequence[ChoiceView], keep: bool = False) -> None:
        """Show ``choices``, highlighting the first open one (or, with ``keep``, the same).

        Whether a scrollbar is needed waits for the layout the new options ask for: decided
        now, against the height the list had for the last scene, a list that grows would
        show a scrollbar for one layout and lose it in the next (a layout more, and the
        options wrapped twice)."""
        self.choices = list(choices)
        highlighted = self.highlighted
        self._holding = True
        try:
            # no OptionHighlighted for a new scene: nobody listens, and it bubbles to the app
            with self.prevent(OptionList.OptionHighlighted):
                self.set_options(
                    Option(choice_prompt(c, self.tags), id=f"choice-{i}", disabled=not c.enabled)
                    for i, c in enumerate(choices)
                )
                first = next((i for i, c in enumerate(choices) if c.enabled), None)
                self.highlighted = highlighted if keep and highlighted is not None else first
        finally:
            self._holding = False

    def _refresh_scrollbars(self) -> None:
        if self._holding:
            self._stale_bars = True
            return
        super()._refresh_scrollbars()

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        resized = super()._size_updated(size, virtual_size, container_size, layout)
        if self._stale_bars:
            self._stale_bars = False
            self._refresh_scrollbars()
        return resized

    def option_region(self, index: int) -> Region:
        """Where option ``index`` is drawn on the screen (clipped to the visible list)."""
        area = self.scrollable_content_region
        top = area.y + self._index_to_line[index] - round(self.scroll_y)
        return Region(area.x, top, area.width, self._heights[index])

    def mark_more(self) -> None:
        """Say on the border how many choices lie below the fold, if any."""
        hidden = self.hidden_count()
        mark = f"↓ more ({hidden})" if hidden else None
        if self.border_subtitle != mark:  # setting it repaints the list, even to the same
            self.border_subtitle = mark

    def on_resize(self, event: Resize) -> None:
        # Textual's option list wraps its options again (and paints a frame later) on any
        # resize; the wrapping depends on the width only.
        event.prevent_default()
        width = self.scrollable_content_region.width
        if width != self._wrapped_width:
            self._wrapped_width = width
            self._clear_caches()
        # the count taken after a turn's first refresh can predate its last layout
        self.call_after_refresh(self.mark_more)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self.call_after_refresh(self.mark_more)

    def hidden_count(self) -> int:
        """How many options are not fully inside the visible part of the list."""
        area = self.scrollable_content_region
        if not area or not self.options:
            return 0
        return sum(
            1
            for i in range(len(self.options))
            if not area.contains_region(self.option_region(i)) or not self.region
        )
