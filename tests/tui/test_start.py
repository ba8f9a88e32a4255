"""Start fast: what the first screens import, and what they do while a game loads.

benchmarks/bench_start.py measures the first frame; this keeps its gains from being
lost by one module-level import (the scenario format, the save format, YAML and the
Markdown parser load when a game or a save needs them, not to open the menu or to show
the screen that loads a game named on the command line), and checks that loading a game
after the first frame loses nothing: its errors, the keys pressed meanwhile.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from brinkmanship.format import catalog
from brinkmanship.format.loader import load_scenario
from brinkmanship.runtime.savefile import AUTOSAVE_PREFIX, read
from tests.tui.conftest import MINI, make_app, new_game, started
from tests.tui.test_pilot import screen_text


def autosaves() -> list[str]:
    """The game ids of the autosaves written so far."""
    folder = Path(os.environ["BRINKMANSHIP_SAVE_DIR"])
    return [read(p).game_id for p in sorted(folder.glob(f"{AUTOSAVE_PREFIX}*.yaml"))]


NOT_FOR_THE_MENU = (
    "yaml",
    "markdown_it",
    "brinkmanship.format.model",
    "brinkmanship.format.spec",
    "brinkmanship.format.yamlsrc",
    "brinkmanship.format.loader",
    "brinkmanship.runtime.savefile",
    "brinkmanship.runtime.session",
    "brinkmanship.runtime.views",
)


def test_the_first_screens_import_no_format_save_or_markdown_module() -> None:
    code = (
        "import sys\n"
        "from brinkmanship.frontends.cli.main import build_parser\n"
        "import brinkmanship.frontends.tui.app, brinkmanship.frontends.tui.screens.menu\n"
        "import brinkmanship.frontends.tui.screens.start\n"
        "build_parser()\n"
        f"bad = [m for m in {NOT_FOR_THE_MENU!r} if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


async def test_the_menu_is_the_default_screen() -> None:
    from brinkmanship.frontends.tui.screens.menu import MainMenu

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert len(app.screen_stack) == 1
        assert isinstance(app.screen, MainMenu)


# -- straight into a game: loaded after the first frame ----------------------------------


async def test_a_game_named_at_start_up_loads_after_the_first_frame(mini) -> None:
    from brinkmanship.frontends.tui.screens.game import GameScreen
    from brinkmanship.frontends.tui.screens.menu import MainMenu
    from brinkmanship.frontends.tui.screens.start import GameLoading

    app = make_app(scenario_path=str(MINI), role="south", seed=5)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen_stack[0], GameLoading)  # no menu made first
        await started(pilot)
        assert isinstance(app.screen, GameScreen)
        game = app.screen.session
        assert (game.role, game.seed, game.turn) == ("south", 5, 0)
        assert "Chancellery, South City" in screen_text(app)
        assert autosaves() == [game.game_id]  # its first autosave, as from the new-game screen
        await pilot.press("escape")  # the menu is made when it is asked for
        await pilot.pause()
        assert isinstance(app.screen, MainMenu)
        await pilot.press("n")  # and works from there as always
        await pilot.pause()
        assert type(app.screen).__name__ == "NewGameScreen"


async def test_keys_pressed_while_the_game_loads_are_not_moves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import brinkmanship.format.loader as loader
    from brinkmanship.frontends.tui.screens.game import GameScreen

    go_on = threading.Event()
    load = loader.load_scenario

    def slow_load(path: str):  # held until the keys have been pressed
        assert go_on.wait(20)
        return load(path)

    monkeypatch.setattr(loader, "load_scenario", slow_load)
    app = make_app(scenario_path=str(MINI), role="north", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("1", "2", "s", "h", "tab", "enter", "question_mark")
        await pilot.pause()
        assert "still loading" in "\n".join(n.message for n in app._notifications)
        go_on.set()
        await started(pilot)
        assert isinstance(app.screen, GameScreen)
        assert app.screen.session.turn == 0  # no choice was taken by those keys
        await pilot.press("1")
        await pilot.pause()
        assert app.screen.session.turn == 1  # and the game answers keys now


async def test_leaving_for_the_menu_while_it_loads_drops_the_game() -> None:
    from brinkmanship.frontends.tui.screens.menu import MainMenu

    app = make_app(scenario_path=str(MINI), role="north", seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape")
        await started(pilot)
        assert isinstance(app.screen, MainMenu)
        assert autosaves() == []


async def test_a_scenario_that_does_not_load_is_one_message_and_the_error_on_leaving(
    tmp_path: Path,
) -> None:
    from brinkmanship.format.errors import ScenarioError
    from brinkmanship.frontends.tui.screens.start import GameLoading

    bad = tmp_path / "bad.yaml"
    bad.write_text(MINI.read_text(encoding="utf-8").replace("start: n-reef", "start: nowhere"))
    app = make_app(scenario_path=str(bad), role="north")
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        assert isinstance(app.screen, GameLoading)
        text = screen_text(app)
        assert "This game cannot start." in text and "nowhere" in text
        assert "Traceback" not in text
        app.exit()
        await pilot.pause()
    assert isinstance(app.start_error, ScenarioError)  # run_app raises it


async def test_a_role_the_scenario_lacks_or_no_role_asks_for_one() -> None:
    from brinkmanship.frontends.tui.screens.game import GameScreen
    from brinkmanship.frontends.tui.screens.newgame import NewGameScreen

    for role in ("west", None):
        app = make_app(scenario_path=str(MINI), role=role)
        async with app.run_test(size=(100, 30)) as pilot:
            await started(pilot)
            assert isinstance(app.screen, NewGameScreen) and app.screen.step == "role"
            shown = screen_text(app)
            assert "Premier Ostra" in shown and "Chancellor Vell" in shown
            notes = "\n".join(n.message for n in app._notifications)
            assert ("no role 'west'" in notes) == (role == "west")
            await pilot.press("enter", "enter")  # the first role, then Start
            for _ in range(3):
                await app.workers.wait_for_complete()
                await pilot.pause()
            assert isinstance(app.screen, GameScreen)
            assert app.screen.session.role == "north"


async def test_a_save_named_at_start_up_is_replayed_after_the_first_frame(
    mini, tmp_path: Path
) -> None:
    from brinkmanship.frontends.tui.screens.game import GameScreen
    from brinkmanship.frontends.tui.screens.start import GameLoading
    from brinkmanship.runtime.store import SaveStore

    saves = SaveStore(Path(os.environ["BRINKMANSHIP_SAVE_DIR"]))
    path = saves.write(new_game(mini, choices=["wait"]), "go on")
    app = make_app(resume=read(path))
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen_stack[0], GameLoading)
        await started(pilot)
        assert isinstance(app.screen, GameScreen)
        assert app.screen.session.choices == ("wait",)
    # its scenario gone: one message, and the error on leaving
    moved = tmp_path / "mini.yaml"
    moved.write_text(MINI.read_text(encoding="utf-8"), encoding="utf-8")
    save = saves.write(new_game(load_scenario(str(moved)), choices=["wait"]), "moved")
    moved.unlink()
    app = make_app(resume=read(save))
    async with app.run_test(size=(100, 30)) as pilot:
        await started(pilot)
        assert isinstance(app.screen, GameLoading)
        assert "This game cannot start." in screen_text(app)
        app.exit()
        await pilot.pause()
    assert app.start_error is not None


def test_play_hands_the_scenario_to_the_app_or_fails_before_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from brinkmanship.frontends.cli import main
    from brinkmanship.frontends.tui.app import BrinkApp

    started_apps: list[BrinkApp] = []
    monkeypatch.setattr(BrinkApp, "run", lambda self, *a, **k: started_apps.append(self) or 0)
    assert main(["play", "thirteen-days", "--role", "kennedy"]) == 0
    app = started_apps.pop()
    assert app.start_scenario == str(catalog.find("thirteen-days"))
    assert (app.start_role, app.start_session) == ("kennedy", None)
    # a file that is not there, or not a file: the command says so and the app never starts
    (tmp_path / "dir.yaml").mkdir()
    for ref, says in [
        (str(tmp_path / "missing.yaml"), "no such file"),
        (str(tmp_path / "dir.yaml"), "holds no scenario main file"),
        ("no-such-scenario", "no scenario 'no-such-scenario'"),
    ]:
        assert main(["play", ref, "--role", "x"]) == 1
        err = capsys.readouterr().err
        assert says in err and "Traceback" not in err, err
    assert not started_apps


def test_quitting_where_the_scenario_failed_ends_the_command_with_its_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from brinkmanship.frontends.cli import main
    from brinkmanship.frontends.tui.app import BrinkApp

    bad = tmp_path / "bad.yaml"
    bad.write_text(MINI.read_text(encoding="utf-8").replace("start: n-reef", "start: nowhere"))

    async def quit_when_failed(pilot) -> None:
        await started(pilot)
        await pilot.press("ctrl+q")

    run = BrinkApp.run
    monkeypatch.setattr(
        BrinkApp, "run", lambda self: run(self, headless=True, auto_pilot=quit_when_failed)
    )
    assert main(["play", str(bad), "--role", "north"]) == 1
    err = capsys.readouterr().err
    assert "nowhere" in err and "Traceback" not in err


def test_a_bundled_id_is_found_without_reading_every_scenario() -> None:
    from brinkmanship.frontends.cli.common import playable_path
    from brinkmanship.runtime.store import is_bundled

    for e in catalog.bundled():
        assert playable_path(e.id) == e.path
        assert is_bundled(e.path)
    assert not is_bundled(MINI)
