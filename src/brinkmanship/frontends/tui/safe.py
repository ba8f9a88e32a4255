"""Showing untrusted text: never as Textual markup, never with live links or actions.

Scenario and save text goes through :func:`plain` (a :class:`Content` built from the
text itself, so ``[b]`` or ``[@click=...]`` stay literal) or
:class:`brinkmanship.frontends.tui.markdown.SafeMarkdown` (a Markdown widget whose parser
knows no links, images or HTML and whose links never open; a module of its own, so that
the main menu never loads a Markdown parser). Control characters are made visible first
with :func:`brinkmanship.format.textsafe.inert`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from brinkmanship.format.textsafe import inert
from brinkmanship.frontends.words import save_title

if TYPE_CHECKING:
    from brinkmanship.runtime.savefile import SaveFile


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
