"""Make untrusted text inert for a terminal: no control characters or escape sequences."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and C1 controls (which include CSI, OSC...).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def inert(text: str) -> str:
    """``text`` with control characters shown as visible symbols (ESC becomes '␛')."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: chr(0x2400 + ord(m.group())) if ord(m.group()) < 0x20
                        else "\ufffd", text.replace("\r\n", "\n"))
