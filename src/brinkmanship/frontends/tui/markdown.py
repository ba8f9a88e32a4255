"""Markdown for untrusted text: a parser that knows no links, images or HTML."""

from __future__ import annotations

from markdown_it import MarkdownIt
from textual.await_complete import AwaitComplete
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownBlock, MarkdownParagraph

from brinkmanship.format.textsafe import inert
from brinkmanship.frontends.tui.sized import OneLayout

_OFF = ["link", "image", "autolink", "html_inline", "html_block", "reference", "linkify", "code"]


def safe_parser() -> MarkdownIt:
    """Paragraphs, emphasis, lists, quotes, headings, tables; no links, images or HTML."""
    md = MarkdownIt("gfm-like", options_update={"html": False, "linkify": False})
    md.disable(_OFF, ignoreInvalid=True)
    return md


class Paragraph(OneLayout, MarkdownParagraph):
    """A paragraph that takes a new size from a layout without asking for another."""


def _plain_paragraphs(blocks: list[MarkdownBlock]) -> bool:
    return all(type(b) is Paragraph and not b._blocks for b in blocks)


class SafeMarkdown(OneLayout, Markdown):
    """Markdown for untrusted text: a restricted parser, links never opened.

    A text of paragraphs only (every scene of the flagship) replaces the text of the
    paragraphs already shown, at once (adding or hiding the difference), instead of
    Textual's way (parse in a thread, remove every block, mount new ones): the new text is
    on the next frame, with one layout. Anything else (lists, quotes, headings) goes Textual's way.
    """

    def __init__(
        self, markdown: str = "", *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(
            inert(markdown), id=id, classes=classes, parser_factory=safe_parser, open_links=False
        )
        self._parser: MarkdownIt | None = None
        self._pending = 0  # updates Textual's way not yet done (a text in place waits)

    def update(self, markdown: str) -> AwaitComplete:
        text = inert(markdown)
        if not self._pending and self._update_in_place(text):
            return AwaitComplete()
        self._pending += 1
        rebuilt = super().update(text)

        async def done() -> None:
            try:
                await rebuilt
            finally:
                self._pending -= 1

        return AwaitComplete(done())

    def get_block_class(self, block_name: str) -> type[MarkdownBlock]:
        if block_name == "paragraph_open":
            return Paragraph
        return super().get_block_class(block_name)

    def _update_in_place(self, markdown: str) -> bool:
        if not self.is_attached:
            return False
        old = [c for c in self.children if isinstance(c, MarkdownBlock)]
        if len(old) != len(self.children) or not old or not _plain_paragraphs(old):
            return False
        if self._parser is None:
            self._parser = safe_parser()
        new = list(self._parse_markdown(self._parser.parse(markdown)))
        if not _plain_paragraphs(new):
            return False
        self._markdown = markdown
        self._table_of_contents = None
        for block, block_new in zip(old, new, strict=False):
            block.set_content(block_new._content)
            block._copy_context(block_new)
            block.source_range = block_new.source_range
        # Paragraphs to spare are hidden, not removed (removing is done a frame later and
        # costs a layout of its own); the last one shown loses its bottom margin.
        for i, block in enumerate(old):
            block.display = i < len(new)
            block.set_class(i == len(new) - 1, "-last")
        if len(new) > len(old):
            self.mount_all(new[len(old) :])
        return True

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()  # there should be no links; if there are, they go nowhere
