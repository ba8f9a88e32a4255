"""Make untrusted text inert for a terminal: no control characters or escape sequences."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls (which include CSI, OSC...), and
# the bidirectional embeddings, overrides and isolates, which can make text displayed
# differ from text read ("Trojan Source").
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _shown(m: re.Match[str]) -> str:
    c = ord(m.group())
    return chr(0x2400 + c) if c < 0x20 else "\ufffd"


def inert(text: str) -> str:
    """``text`` with control characters shown as visible symbols (ESC becomes '␛')."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(_shown, text.replace("\r\n", "\n"))
