"""Markdown for untrusted text: a parser that knows no links, images or HTML."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token
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


def _paragraphs(tokens: list[Token]) -> list[tuple[Token, Token]] | None:
    """Each paragraph's opening and inline tokens, for a text of paragraphs only (else None).

    Read from the tokens straight away: no block widget is made to be thrown away."""
    if len(tokens) % 3:
        return None
    out = []
    for i in range(0, len(tokens), 3):
        opening, inline, closing = tokens[i : i + 3]
        if (opening.type, inline.type, closing.type) != (
            "paragraph_open",
            "inline",
            "paragraph_close",
        ) or opening.level:
            return None
        out.append((opening, inline))
    return out


def _lines(token: Token) -> tuple[int, int]:
    return (token.map[0], token.map[1]) if token.map is not None else (0, 0)


class SafeMarkdown(OneLayout, Markdown):
    """Markdown for untrusted text: a restricted parser, links never opened.

    A text of paragraphs only (every scene of the flagship) replaces the text of the
    paragraphs already shown, at once (adding or hiding the difference), instead of
    Textual's way (parse in a thread, remove every block, mount new ones): the new text is
    on the next frame, with one layout. Anything else (lists, quotes, headings) goes
    Textual's way.
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
        paragraphs = _paragraphs(self._parser.parse(markdown))
        if paragraphs is None:
            return False
        self._markdown = markdown
        self._table_of_contents = None
        # The text takes the last paragraphs; those to spare, before them, are hidden (not
        # removed: that is done a frame later, with a layout of its own). The last one
        # shown stays the last child, which has no bottom margin.
        spare = max(0, len(old) - len(paragraphs))
        for i, block in enumerate(old):
            if block.display != (i >= spare):
                block.display = i >= spare
        for block, (opening, inline) in zip(old[spare:], paragraphs, strict=False):
            content = block._token_to_content(inline)
            block._token, block._inline_token = opening, inline
            block.source_range = _lines(opening)
            if not block._content.is_same(content):
                block.set_content(content)
        if extra := paragraphs[len(old) :]:
            self.mount_all(self._paragraph(opening, inline) for opening, inline in extra)
        return True

    def _paragraph(self, opening: Token, inline: Token) -> Paragraph:
        block = Paragraph(self, opening)
        block.build_from_token(inline)
        return block

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()  # there should be no links; if there are, they go nowhere
