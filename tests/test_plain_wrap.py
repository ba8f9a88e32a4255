"""Plain mode wraps at word boundaries and warns when a meter rises into a danger zone."""

from __future__ import annotations

import io
import os
from pathlib import Path

from brinkmanship.format.loader import load_scenario
from brinkmanship.frontends.plain import PlainUI
from brinkmanship.runtime.session import Session
from brinkmanship.runtime.store import SaveStore

FLAGSHIP = Path(__file__).resolve().parents[1] / "scenarios" / "thirteen-days" / "scenario.yaml"


def test_plain_mode_never_splits_a_word_and_warns() -> None:
    sc = load_scenario(str(FLAGSHIP))
    out = io.StringIO()
    ui = PlainUI(
        Session(sc, "kennedy", 3),
        SaveStore(Path(os.environ["BRINKMANSHIP_SAVE_DIR"])),
        out,
        io.StringIO("1\n" * 40),
        width=50,
    )
    ui.run()
    text = out.getvalue()
    lines = text.splitlines()
    words = {w for line in lines for w in line.split()}
    # Lines fit, except one made of a single word too long for any line.
    assert all(len(x) <= 50 or len(x.split()) == 1 for x in lines), [
        x for x in lines if len(x) > 50
    ]
    # Every word of every scene and choice shown is whole somewhere in the output.
    for scene in ("k-photos",):
        for c in sc.scenes[scene].choices:
            assert set(c.text.split()) <= words, c.text
    assert "! Tension is now high (60+)" in text
