"""The Markdown transcript (core, no Textual) and `brinkmanship replay --export`."""

from __future__ import annotations

import os
from pathlib import Path

from brinkmanship.frontends.cli import main
from brinkmanship.frontends.transcript import clean, to_markdown
from brinkmanship.runtime import store
from brinkmanship.runtime.store import SaveStore
from tests.tui.conftest import new_game


def test_transcript_lists_every_turn_its_options_and_the_ending(mini) -> None:
    md = to_markdown(new_game(mini, choices=["wait", "talk", "split"]))
    assert md.startswith("# The Lighthouse Line\n")
    assert "- Role: Premier Ostra, Premier of the North\n" in md  # no ids anywhere
    assert "`north`" not in md and "`wait`" not in md and "Begun:" not in md
    assert "- Crisis number: 1 (to play the same crisis again: New game, Advanced" in md
    assert "--seed" not in md  # no command-line flag in what the game shows
    assert "## Turn 1: Saturday 20 October · Admiralty, North Harbour" in md
    assert "- **3 · \\[Hold\\] Wait and watch** ← chosen" in md
    assert "- 1 · \\[Escalate\\] Board the trawlers" in md
    assert "- ~~\\[Hold\\] Sail the fleet home~~ (unavailable: Your admirals will not hear" in md
    assert "Chosen: Wait and watch (Hold); Tension after: 35" in md
    assert "Chosen: Split the reef down the middle (Hold); Tension after: 35" in md
    assert "> The Chancellor agrees to talk." in md  # what followed a choice
    assert "## Turn 3" in md and "## Turn 4" not in md
    assert "## Ending: Half a Reef" in md
    assert "- Lesson: **Give and take**: A deal both sides" in md
    assert "Tension over the game: `" in md and "(30 → 35 → 35 → 35)" in md
    assert "Stances chosen: Hold 2, Negotiate 1" in md


def test_transcript_of_a_game_in_progress(mini) -> None:
    md = to_markdown(new_game(mini, role="south", choices=["answer"]))
    assert "## In progress at turn 2" in md
    assert "> The Premier's frigates train their guns on yours." in md
    assert "## Ending" not in md


def test_transcript_makes_untrusted_text_inert(mini) -> None:
    md = to_markdown(new_game(mini, choices=["board"]))
    assert "\x1b" not in md and "␛\\[31mred alert" in md  # `[` is escaped too
    assert clean("<script>x</script> a < b") == "&lt;script>x&lt;/script> a < b"
    assert clean("[b]x[/b] <3") == "\\[b\\]x\\[/b\\] <3"
    assert "[@click=app.quit]x[/]" not in md and "\\[@click=app.quit\\]x\\[/\\]" in md


def test_replay_export(mini, tmp_path: Path, capsys) -> None:
    game = new_game(mini, choices=["wait", "talk", "split"])
    path = SaveStore(store.save_dir()).write(game, "exported")
    out = tmp_path / "t.md"
    assert main(["replay", str(path), "--export", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == to_markdown(game)
    assert "Transcript written" in capsys.readouterr().out
    out.write_text("keep me", encoding="utf-8")
    assert main(["replay", str(path), "--export", str(out)]) == 2  # refuses to overwrite
    assert out.read_text(encoding="utf-8") == "keep me"
    assert "--force" in capsys.readouterr().err
    assert main(["replay", str(path), "--export", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("# The Lighthouse Line")
    assert not any(p.name.endswith(".bak") for p in tmp_path.iterdir())
    assert os.environ["BRINKMANSHIP_SAVE_DIR"] in str(path)
