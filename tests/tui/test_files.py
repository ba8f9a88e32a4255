"""Every file the game writes goes under the save folder or the data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from brinkmanship.frontends.tui.screens.ending import EndingScreen
from brinkmanship.runtime import store
from brinkmanship.runtime.gallery import Gallery
from tests.tui.conftest import make_app, new_game
from tests.tui.test_pilot import notes, settle


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty home folder, with no XDG folders set: what lands in it was written there."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for var in list(os.environ):
        if var.startswith("XDG_"):
            monkeypatch.delenv(var)
    return home


async def test_with_both_folders_set_nothing_is_written_elsewhere(mini, home: Path) -> None:
    saves, data = store.save_dir(), store.data_dir()
    session = new_game(mini)
    app = make_app(session=session)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await settle(pilot)
        for key in ("3", "2", "2"):  # wait, talk, split: an ending for the gallery
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, EndingScreen)
        app.action_screenshot()  # what the palette's Screenshot command does
        await settle(pilot)
        shots = list((saves / "screenshots").glob("*.svg"))
        assert len(shots) == 1 and str(shots[0]) in notes(app)  # the path is shown
    assert Gallery(data).found() == {"mini": {"north": ["split"]}}
    assert files_under(home) == []
    written = files_under(saves) + files_under(data)
    assert {p.parent for p in written} <= {saves, saves / "screenshots", data}


def test_the_cli_folders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, home: Path) -> None:
    monkeypatch.delenv("BRINKMANSHIP_SAVE_DIR")
    monkeypatch.delenv("BRINKMANSHIP_DATA_DIR")
    monkeypatch.delenv("BRINKMANSHIP_CONFIG_DIR", raising=False)
    d = tmp_path / "d"
    assert store.save_dir(None, d) == d / "saves"
    assert store.config_dir(d) == d  # a chosen data folder holds the settings too
    assert store.config_dir() != d and str(store.config_dir()).startswith(str(home))
    monkeypatch.setenv("BRINKMANSHIP_CONFIG_DIR", str(tmp_path / "c"))
    assert store.config_dir(d) == tmp_path / "c"


def test_plain_mode_keeps_the_gallery_in_the_data_folder(mini, tmp_path: Path, home: Path) -> None:
    import io

    from brinkmanship.frontends.plain import play_plain
    from brinkmanship.runtime.store import SaveStore

    data = tmp_path / "data"
    out = io.StringIO()
    play_plain(new_game(mini), SaveStore(tmp_path / "s"), out, io.StringIO("3\n2\n2\n"), data)
    assert Gallery(data).found() == {"mini": {"north": ["split"]}}
    assert files_under(home) == []


async def test_served_game_sends_exports_and_screenshots_to_the_browser(
    mini, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a browser the player cannot reach the server's folders, and must not be able to
    name a file on the server: exports and screenshots are downloads, no path is asked
    for or shown, and nothing is written on the server."""
    from brinkmanship.frontends.tui.app import BrinkApp
    from brinkmanship.frontends.tui.screens.dialogs import ExportDialog, LoadDialog

    saves = store.save_dir()
    delivered: list[tuple[str, str | None]] = []

    def deliver_text(self: BrinkApp, file: object, **kw: object) -> str:
        text = file.read() if hasattr(file, "read") else str(file)
        delivered.append((str(kw.get("save_filename")), text))
        return "key"

    monkeypatch.setattr(BrinkApp, "is_web", property(lambda self: True))
    monkeypatch.setattr(BrinkApp, "deliver_text", deliver_text)
    app = make_app(session=new_game(mini))
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        await settle(pilot)
        for key in ("3", "2", "2"):
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("e")
        await settle(pilot)
        assert not isinstance(app.screen, ExportDialog)
        name, text = delivered[-1]
        assert name.endswith(".md") and text is not None and text.startswith("# ")
        app.action_screenshot()
        await settle(pilot)
        assert len(delivered) == 2 and str(delivered[-1][0]).endswith(".svg")
        assert str(saves) not in notes(app)
        for p in saves.rglob("*"):
            if p.is_file():
                assert p.suffix not in {".md", ".svg"}, p
    async with make_app().run_test(size=(100, 32)) as pilot:
        for p in list(saves.glob("*.yaml")):
            p.unlink()
        app2 = pilot.app
        app2.push_screen(LoadDialog(app2.ctx.saves))
        await settle(pilot)
        from textual.widgets import Static

        shown = str(app2.screen.query_one("#empty", Static).render())
        assert "No saved games" in shown and str(saves) not in shown
