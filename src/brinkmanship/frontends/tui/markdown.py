"""Markdown for untrusted text: a parser that knows no links, images or HTML."""

from __future__ import annotations

from markdown_it import MarkdownIt
from textual.await_complete import AwaitComplete
from textual.widgets import Markdown

from brinkmanship.format.textsafe import inert

_OFF = ["link", "image", "autolink", "html_inline", "html_block", "reference", "linkify", "code"]


def safe_parser() -> MarkdownIt:
    """Paragraphs, emphasis, lists, quotes, headings, tables; no links, images or HTML."""
    md = MarkdownIt("gfm-like", options_update={"html": False, "linkify": False})
    md.disable(_OFF, ignoreInvalid=True)
    return md


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
