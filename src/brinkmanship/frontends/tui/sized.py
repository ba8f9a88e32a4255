"""Widgets that take a new size without asking for a second layout.

When a layout gives a widget a new size, Textual sets the widget's ``virtual_size``, a
reactive that asks for a layout of its own: every turn whose text is longer or shorter
than the last (all of them) costs a second layout of the screen, a frame or two later.
That second pass finds what the first one did: the first already measured the new
contents. Textual's scrolling path passes ``layout=False`` for this; these widgets do
it always. A scrollbar that appears or goes still asks for a layout (its own reactive).
(Textual 8.2's ``Widget._size_updated``; pyproject pins textual to 8.2.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Size
from textual.scrollbar import ScrollBar
from textual.widget import Widget
from textual.widgets import Static

if TYPE_CHECKING:
    _Base = Widget
else:
    _Base = object  # not a widget: Textual takes CSS type names from the first widget base


class OneLayout(_Base):
    """Mixin, before the widget class among the bases: a new size from a layout is final."""

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)


class SizedStatic(OneLayout, Static):
    """A Static that takes a new size from a layout without asking for another."""


class SizedVertical(OneLayout, Vertical):
    """A Vertical that takes a new size from a layout without asking for another."""


class SizedHorizontal(OneLayout, Horizontal):
    """A Horizontal that takes a new size from a layout without asking for another."""


class SizedScrollBar(OneLayout, ScrollBar):
    """A scrollbar that takes a new size from a layout without asking for another."""

    resized = False  # by the layout going on (Textual updates it before its pane)

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        self.resized = self._size != size
        return super()._size_updated(size, virtual_size, container_size, layout)


class SizedScroll(OneLayout, VerticalScroll):
    """A VerticalScroll that takes a new size from a layout without asking for another;
    so does its vertical scrollbar (it is resized whenever the pane is), which is not
    painted twice either."""

    def _scroll_update(self, virtual_size: Size) -> None:
        # Textual sets the thumb during the layout and asks for a repaint, done a frame
        # later; a scrollbar that this layout resized is painted with it already.
        super()._scroll_update(virtual_size)
        bar = self._vertical_scrollbar
        if isinstance(bar, SizedScrollBar) and bar.resized:
            bar.resized = False
            bar._repaint_required = False

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        if self._vertical_scrollbar is None:  # as Textual's Widget.vertical_scrollbar
            bar = SizedScrollBar(
                vertical=True, name="vertical", thickness=self.scrollbar_size_vertical
            )
            self._vertical_scrollbar = bar
            bar.display = False
            self.app._start_widget(self, bar)
        return self._vertical_scrollbar
