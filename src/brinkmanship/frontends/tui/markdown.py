"""Markdown for untrusted text: a parser that knows no links, images or HTML."""

from __future__ import annotations

from markdown_it import MarkdownIt
from textual.await_complete import AwaitComplete
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownBlock, MarkdownParagraph

from brinkmanship.format.textsafe import inert

_OFF = ["link", "image", "autolink", "html_inline", "html_block", "reference", "linkify", "code"]


def safe_parser() -> MarkdownIt:
    """Paragraphs, emphasis, lists, quotes, headings, tables; no links, images or HTML."""
    md = MarkdownIt("gfm-like", options_update={"html": False, "linkify": False})
    md.disable(_OFF, ignoreInvalid=True)
    return md


def _plain_paragraphs(blocks: list[MarkdownBlock]) -> bool:
    return all(type(b) is MarkdownParagraph and not b._blocks for b in blocks)


class SafeMarkdown(Markdown):
    """Markdown for untrusted text: a restricted parser, links never opened.

    A text of paragraphs only (every scene of the flagship) replaces the text of the
    paragraphs already shown, at once (adding or removing the difference), instead of Textual's way
    (parse in a thread, remove every block, mount new ones): the new text is on the next
    frame, with one layout. Anything else (lists, quotes, headings) goes Textual's way.
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
        if spare := old[len(new) :]:
            for block in spare:
                block.display = False  # at once; then removed, and the rest styled again
            removed = self.remove_children(spare)  # (the last one shown is a last-child)

            async def restyle() -> None:
                await removed
                self.update_node_styles(animate=False)

            self.call_later(restyle)
        if len(new) > len(old):
            self.mount_all(new[len(old) :])
        return True

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()  # there should be no links; if there are, they go nowhere
