"""Make untrusted text inert for a terminal: no control characters or escape sequences."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls (which include CSI, OSC...), and
# every Unicode format (Cf) and line or paragraph separator (Zl, Zp) character: the
# bidirectional embeddings, overrides, isolates and marks, which can make text displayed
# differ from text read ("Trojan Source"), zero-width characters, soft hyphens, tags.
# The ranges are Unicode 16's (a test checks them against this Python's unicodedata).
_FORMAT = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f"
)
_CONTROL = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_FORMAT}]")


def _shown(m: re.Match[str]) -> str:
    c = ord(m.group())
    return chr(0x2400 + c) if c < 0x20 else "\ufffd"


def inert_line(text: str) -> str:
    """``text`` made inert and kept on one line (a file name in a message): line breaks and
    tabs shown as symbols too, so a name cannot pass for lines of its own."""
    return inert(text).translate(_BREAKS)


_BREAKS = str.maketrans({"\n": "\u240a", "\r": "\u240d", "\t": "\u2409"})


def inert(text: str) -> str:
    """``text`` with control characters shown as visible symbols (ESC becomes '␛')."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(_shown, text.replace("\r\n", "\n"))
