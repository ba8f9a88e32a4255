"""Settings: chosen on a screen, saved in the config folder, applied at once and next time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input, Select, Switch

from brinkmanship.frontends.tui.screens.dialogs import SettingsDialog
from brinkmanship.frontends.tui.screens.game import GameScreen
from brinkmanship.runtime import settings, store
from brinkmanship.runtime.settings import Settings
from tests.tui.conftest import make_app, new_game
from tests.tui.test_pilot import screen_text, settle


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "config"
    monkeypatch.setenv("BRINKMANSHIP_CONFIG_DIR", str(d))
    return d


async def test_settings_are_saved_and_applied(mini, config: Path) -> None:
    app = make_app(session=new_game(mini))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert "‹Escalate›" in screen_text(app)
        app.open_settings()
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SettingsDialog)
        dialog.query_one("#theme", Select).value = "nord"
        dialog.query_one("#reduced-motion", Switch).value = True
        dialog.query_one("#stance-tags", Switch).value = False
        keep = dialog.query_one("#keep", Input)
        keep.value = "0"
        keep.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SettingsDialog)  # refused, with a reason
        assert "Keep between 1 and" in screen_text(app)
        keep.value = "7"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert app.theme == "nord" and app.animation_level == "none"
        assert app.ctx.saves.keep == 7
        assert "‹Escalate›" not in screen_text(app) and "Board the trawlers" in screen_text(app)
    saved = json.loads((config / "settings.json").read_text())
    assert saved == {
        "keep_autosaves": 7,
        "reduced_motion": True,
        "stance_tags": False,
        "theme": "nord",
    }
    # Next time, they are there from the start; a theme from the palette is remembered too.
    app = make_app(session=new_game(mini))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert app.theme == "nord" and app.ctx.saves.keep == 7
        app.theme = "gruvbox"
        await settle(pilot)
    assert settings.load(config)[0].theme == "gruvbox"


def test_bad_settings_fall_back_to_the_defaults(config: Path) -> None:
    config.mkdir()
    (config / "settings.json").write_text('{"keep_autosaves": -3, "theme": 5, "x": 1}')
    s, warning = settings.load(config)
    assert s == Settings() and not warning
    (config / "settings.json").write_text("{not json")
    s, warning = settings.load(config)
    assert s == Settings() and "could not be read" in warning
    assert store.config_dir() == config
