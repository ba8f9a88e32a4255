"""Showing untrusted text: never as Textual markup, never with live links or actions.

Scenario and save text goes through :func:`plain` (a :class:`Content` built from the
text itself, so ``[b]`` or ``[@click=...]`` stay literal) or :class:`SafeMarkdown`
(a Markdown widget whose parser knows no links, images or HTML and whose links never
open). Control characters are made visible first with :func:`brinkmanship.format.textsafe.inert`.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from textual.await_complete import AwaitComplete
from textual.content import Content
from textual.widgets import Markdown

from brinkmanship.format.textsafe import inert
from brinkmanship.frontends.words import save_title
from brinkmanship.runtime.savefile import SaveFile

_OFF = ["link", "image", "autolink", "html_inline", "html_block", "reference", "linkify", "code"]


def safe_parser() -> MarkdownIt:
    """Paragraphs, emphasis, lists, quotes, headings, tables; no links, images or HTML."""
    md = MarkdownIt("gfm-like", options_update={"html": False, "linkify": False})
    md.disable(_OFF, ignoreInvalid=True)
    return md


def plain(text: object, style: str = "") -> Content:
    """Untrusted text as literal Content (optionally styled)."""
    return Content.styled(inert(str(text)), style) if style else Content(inert(str(text)))


def one_line(text: object) -> str:
    """Untrusted text flattened to one inert line (for titles and table cells)."""
    return " ".join(inert(str(text)).split())


def shown(save: SaveFile) -> str:
    """A save as the player knows it (never an autosave's file name), on one inert line."""
    sc, role = save.scenario.title or save.scenario.id, save.summary.role_name
    return one_line(save_title(save.name, save.is_autosave, sc, role))


def label(text: object) -> Content:
    """Untrusted text for a border title, a button or a tab: one literal line."""
    return Content(one_line(text))


class SafeMarkdown(Markdown):
    """Markdown for untrusted text: a restricted parser, links never opened."""

    def __init__(
        self, markdown: str = "", *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(
            inert(markdown), id=id, classes=classes, parser_factory=safe_parser, open_links=False
        )

    def update(self, markdown: str) -> AwaitComplete:
        return super().update(inert(markdown))

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()  # there should be no links; if there are, they go nowhere
