"""Pilot tests: play the mini scenario with the keyboard through every screen."""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

import pytest
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList
from textual.widgets._toast import Toast

from brinkmanship.frontends.tui.screens.dialogs import (
    ConfirmDialog,
    ExportDialog,
    HelpDialog,
    LoadDialog,
    SaveDialog,
    TranscriptDialog,
)
from brinkmanship.frontends.tui.screens.ending import EndingScreen
from brinkmanship.frontends.tui.screens.gallery import GalleryScreen
from brinkmanship.frontends.tui.screens.game import GameScreen
from brinkmanship.frontends.tui.screens.menu import ITEMS, MainMenu
from brinkmanship.frontends.tui.screens.newgame import NewGameScreen
from brinkmanship.frontends.tui.screens.replay import ReplayScreen
from brinkmanship.runtime.gallery import Gallery
from brinkmanship.runtime.savefile import AUTOSAVE_PREFIX, SaveFile, read
from brinkmanship.runtime.session import Session
from brinkmanship.runtime.store import SaveStore, autosave_name
from tests.tui.conftest import MINI, make_app, new_game

SIZE = (100, 32)


def save_dir() -> Path:
    return Path(os.environ["BRINKMANSHIP_SAVE_DIR"])


def data_dir() -> Path:
    return Path(os.environ["BRINKMANSHIP_DATA_DIR"])


def store() -> SaveStore:
    return SaveStore(save_dir())


def autosave_of(session: Session) -> SaveFile:
    """The autosave of ``session`` (every game has its own, named after its game id)."""
    return read(store().path_for(autosave_name(session)))


def autosaves() -> list[SaveFile]:
    return [read(p) for p in sorted(save_dir().glob(f"{AUTOSAVE_PREFIX}*.yaml"))]


async def settle(pilot: Pilot, rounds: int = 3) -> None:
    """Let workers finish and the screen catch up."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def screen_text(app) -> str:
    """The visible text of the app, from an SVG screenshot."""
    svg = app.export_screenshot()
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return html.unescape("".join(texts)).replace("\xa0", " ")


def notes(app) -> str:
    """The text of the notifications shown so far."""
    return "\n".join(n.message for n in app._notifications)


def redo_in_footer(app) -> bool:
    """Whether the footer offers Redo (it does only while there is a choice to redo)."""
    active = app.screen.active_bindings.get("r")
    return active is not None and active.binding.action == "redo" and active.binding.show


def game_screen(app) -> GameScreen:
    assert isinstance(app.screen, GameScreen), app.screen
    return app.screen


async def test_play_to_an_ending_with_the_keyboard(mini) -> None:
    session = new_game(mini)
    app = make_app(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = game_screen(app)
        assert screen.session.state.scene == "n-reef"
        await pilot.press("3")  # wait (a number key)
        await settle(pilot)
        assert screen.session.state.scene == "n-standoff"
        await pilot.press("down", "enter")  # propose talks (arrows + Enter)
        await settle(pilot)
        assert screen.session.state.scene == "n-talks"
        assert "The Chancellor agrees to talk." in screen_text(app)
        # "Offer to share" is shown disabled, with its reason; number 1 is "demand".
        assert "Not enough trust yet" in screen_text(app)
        await pilot.press("2")  # split the reef
        await settle(pilot)
        assert isinstance(app.screen, EndingScreen)
        text = screen_text(app)
        assert "HALF A REEF" in text
        assert "Give and take" in text  # the lesson
        assert "A new ending" in text
    assert Gallery(data_dir()).found() == {"mini": {"north": ["split"]}}
    auto = autosave_of(session)
    assert auto.choices == ("wait", "talk", "split")
    assert auto.game_id == session.game_id and auto.over


async def test_mouse_and_disabled_choice(mini) -> None:
    app = make_app(session=new_game(mini, choices=["wait", "talk"]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = game_screen(app)
        options = screen.query_one("#choices", OptionList)
        # Greyed-out choices come after the ones that can be taken.
        assert not options.get_option_at_index(0).disabled  # 1: demand
        assert not options.get_option_at_index(1).disabled  # 2: split
        assert options.get_option_at_index(2).disabled  # share: not enough trust
        await pilot.press("3")  # there are only two enabled choices
        await settle(pilot)
        assert screen.session.state.turn == 2
        await pilot.click("#choices", offset=(4, 2))  # border, 1, 2: split
        await settle(pilot)
        assert isinstance(app.screen, EndingScreen)
        assert app.screen.session.state.ending == "split"


async def test_undo_and_autosave(mini) -> None:
    session = new_game(mini)
    app = make_app(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = game_screen(app)
        await pilot.press("u")  # nothing to undo yet
        await pilot.press("1")
        await settle(pilot)
        assert screen.session.state.scene == "n-standoff"
        assert autosave_of(session).choices == ("board",)
        await pilot.press("u")
        await settle(pilot)
        assert screen.session.state.scene == "n-reef" and screen.session.choices == ()
        assert autosave_of(session).choices == ()
        # Undo works from the ending too, back into the game.
        for key in ("1", "1"):  # board, shoot: war
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("u")
        await settle(pilot)
        assert game_screen(app).session.state.scene == "n-standoff"


async def test_redo_in_the_game_screen(mini) -> None:
    session = new_game(mini)
    app = make_app(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = game_screen(app)
        await pilot.press("r")  # nothing undone yet
        await settle(pilot)
        assert "Nothing to redo." in notes(app) and screen.session.choices == ()
        assert not redo_in_footer(app)
        await pilot.press("1")  # board
        await settle(pilot)
        assert not redo_in_footer(app)
        await pilot.press("u")  # take it back: now there is one to redo
        await settle(pilot)
        assert screen.session.choices == () and autosave_of(session).choices == ()
        assert redo_in_footer(app)
        await pilot.press("r")
        await settle(pilot)
        assert screen.session.choices == ("board",)
        assert screen.session.state.scene == "n-standoff"
        assert "Fire a warning shot" in screen_text(app)  # the screen shows the redone turn
        assert autosave_of(session).choices == ("board",)
        assert "Choice redone." in notes(app)
        assert not redo_in_footer(app)  # nothing left to redo
        # Two undos, two redos: back where it was, in order.
        await pilot.press("2")  # propose talks
        await settle(pilot)
        for key in ("u", "u", "r", "r"):
            await pilot.press(key)
            await settle(pilot)
        assert screen.session.choices == ("board", "talk")
        assert screen.session.state.scene == "n-talks"
        # A different choice after an undo: nothing is left to redo.
        await pilot.press("u", "u", "3")  # back to the start, then wait and watch instead
        await settle(pilot)
        assert screen.session.choices == ("wait",) and not screen.session.can_redo()
        await pilot.press("r")
        await settle(pilot)
        assert app.screen is screen and screen.session.choices == ("wait",)
        assert "Nothing to redo." in notes(app)
        assert autosave_of(session).choices == ("wait",)
        # The palette and the help both offer it.
        assert "Redo" in {c.title for c in app.get_system_commands(app.screen)}
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpDialog)
        assert "| r | redo" in app.screen.text
        app.screen.query_one(VerticalScroll).scroll_end(animate=False)  # the keys table
        await settle(pilot)
        assert "redo the choice you undid" in screen_text(app)


async def test_undo_and_redo_from_the_ending(mini) -> None:
    session = new_game(mini, choices=["wait", "talk"])
    app = make_app(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")  # split the reef: an ending
        await settle(pilot)
        assert isinstance(app.screen, EndingScreen) and autosave_of(session).over
        await pilot.press("u")
        await settle(pilot)
        screen = game_screen(app)
        assert screen.session is session  # the same game (and autosave), one turn back
        assert screen.session.choices == ("wait", "talk")
        assert screen.session.state.scene == "n-talks"
        assert "Split the reef down the middle" in screen_text(app)
        auto = autosave_of(session)
        assert auto.choices == ("wait", "talk") and not auto.over
        await pilot.press("r")  # and forward again, to the ending
        await settle(pilot)
        assert isinstance(app.screen, EndingScreen)
        assert app.screen.session.state.ending == "split"
        assert autosave_of(session).choices == ("wait", "talk", "split")
        assert len(autosaves()) == 1


async def test_two_new_games_have_two_autosaves(mini) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        sessions: list[Session] = []
        for seed in ("7", ""):  # a given seed, then a random one
            await pilot.press("n")
            await settle(pilot)
            assert isinstance(app.screen, NewGameScreen)
            for key in ("enter", "enter"):  # the only scenario, the first role
                await pilot.press(key)
                await settle(pilot)
            if seed:  # Advanced, a crisis by its number
                await pilot.press("a", "enter", *seed)
            await pilot.press("enter")
            await settle(pilot)
            sessions.append(game_screen(app).session)
            await pilot.press("1")  # board the trawlers
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, MainMenu)
            assert "Your game is saved" in notes(app)  # leaving loses nothing, and says so
        first, second = sessions
        assert first is not second and first.game_id != second.game_id
        assert first.seed == 7
        files = sorted(save_dir().glob(f"{AUTOSAVE_PREFIX}*.yaml"))
        assert sorted(p.name for p in files) == sorted(f"{autosave_name(s)}.yaml" for s in sessions)
        saved = {s.game_id: s for s in autosaves()}
        assert set(saved) == {first.game_id, second.game_id}
        for s in sessions:
            assert saved[s.game_id].choices == ("board",)
            assert saved[s.game_id].seed == s.seed
        # "Same crisis again" offers the latest game's number.
        await pilot.press("n", "enter", "enter")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        text = screen_text(app)
        assert "Same crisis again" in text and f"number {second.seed}" in text
        await pilot.press("enter")
        await settle(pilot)
        assert game_screen(app).session.seed == second.seed
        assert game_screen(app).session.game_id not in (first.game_id, second.game_id)
        await pilot.press("escape")
        await settle(pilot)
        # Continue picks up the latest one.
        await pilot.press("c")
        await settle(pilot)
        assert game_screen(app).session.seed == second.seed
        # Both replay, from the save list: newest first, each with its own summary.
        for row, game in enumerate((second, first), start=1):  # row 0: the third game
            await pilot.press("escape", "r")
            await settle(pilot)
            assert isinstance(app.screen, LoadDialog)
            assert [i.save.game_id for i in app.screen.infos if i.save][1:] == [
                second.game_id,
                first.game_id,
            ]
            app.screen.query_one(DataTable).move_cursor(row=row)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ReplayScreen)
            assert app.screen.session.choices == ("board",)
            assert app.screen.session.seed == game.seed


async def test_the_save_list_says_what_each_game_is(mini) -> None:
    finished = new_game(mini, choices=["wait", "talk", "split"])
    store().autosave(finished)
    ongoing = new_game(mini, role="south", choices=["answer"])
    store().write(ongoing, "my game")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LoadDialog)
        text = screen_text(app)
        # Role names, never ids; the last choice's text; the outcome; the time in words.
        for shown in (
            "Premier Ostra",
            "Chancellor Vell",
            "The Lighthouse",
            "turn 2",
            "in progress",
            "ended: Settlement",
            "Split the reef",
            "just now",
            "“my game”",
            "autosave",
        ):
            assert shown in text, shown
        assert "north" not in text and "south" not in text and "split" not in text
        # Delete asks first; "no" keeps the file.
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert len(list(save_dir().glob("*.yaml"))) == 2


async def test_save_overwrite_load_and_delete(mini) -> None:
    session = new_game(mini)
    app = make_app(session=session)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, SaveDialog)
        name_input = app.screen.query_one(Input)
        assert name_input.value == "mini-north-turn2"
        name_input.value = "bad/name"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SaveDialog)  # refused, with a message
        assert "bad save name" in screen_text(app)
        name_input.value = "my game"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        path = save_dir() / "my game.yaml"
        assert read(path).choices == ("board",)
        # Save again under the same name after another turn: confirm before replacing.
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        app.screen.query_one(Input).value = "my game"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # keep the old one
        await settle(pilot)
        assert isinstance(app.screen, SaveDialog)
        assert read(path).choices == ("board",)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)
        assert read(path).choices == ("board", "talk")
        # Load: a table of saves; open "my game" after undoing twice.
        await pilot.press("u", "u")
        await settle(pilot)
        assert game_screen(app).session.choices == ()
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LoadDialog)
        table = app.screen.query_one(DataTable)
        names = [app.screen.infos[i].name for i in range(table.row_count)]
        assert set(names) == {"my game", autosave_name(session)}
        table.move_cursor(row=names.index("my game"))
        await pilot.press("enter")
        await settle(pilot)
        screen = game_screen(app)
        assert screen.session.choices == ("board", "talk")
        assert screen.session.state.scene == "n-talks"
        # Delete a save, with confirmation.
        await pilot.press("l")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        names = [app.screen.infos[i].name for i in range(table.row_count)]
        table.move_cursor(row=names.index("my game"))
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert not path.exists()
        assert [i.name for i in app.screen.infos] == [autosave_name(session)]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, GameScreen)


async def test_replay_branch_and_export(mini, tmp_path: Path) -> None:
    app = make_app(session=new_game(mini))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ("3", "2", "2"):  # wait, talk, split
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
        text = screen_text(app)
        assert "Turn 1 of 3" in text and "Wait and watch" in text and "chosen" in text
        await pilot.press("right")
        await settle(pilot)
        assert "Turn 2 of 3" in screen_text(app)
        assert "The Chancellor agrees to talk." in screen_text(app)
        await pilot.press("end")
        await settle(pilot)
        assert "HALF A REEF" in screen_text(app)
        await pilot.press("b")  # cannot branch from the ending itself
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
        # Export the transcript, then again to the same file (asks first).
        out = tmp_path / "game.md"
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        app.screen.query_one(Input).value = str(out)
        await pilot.press("enter")
        await settle(pilot)
        assert out.read_text(encoding="utf-8").startswith("# The Lighthouse Line")
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one(Input).value = str(out)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
        # Branch from turn 2: a new game with only the first choice made.
        await pilot.press("home", "right", "b")
        await settle(pilot)
        screen = game_screen(app)
        assert screen.session.choices == ("wait",)
        await pilot.press("1")  # fire a warning shot this time
        await settle(pilot)
        assert screen.session.state.scene == "n-clash"


async def test_replay_viewer_from_a_save(mini) -> None:
    session = new_game(mini, choices=["board", "talk"])
    path = store().write(session, "replay me")
    app = make_app(replay=read(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
        await pilot.press("end")
        await settle(pilot)
        assert "Saved at turn 3" in screen_text(app)
        await pilot.press("b")  # play on from where it was saved
        await settle(pilot)
        assert game_screen(app).session.choices == ("board", "talk")


async def test_menu_new_game_continue_and_gallery(mini) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainMenu)
        menu = app.screen.query_one("#menu", OptionList)
        assert menu.get_option("continue").disabled
        await pilot.press("enter")  # New game
        await settle(pilot)
        assert isinstance(app.screen, NewGameScreen)
        # the scenario's own description, before a role is chosen
        assert "A test crisis over a lighthouse on a disputed reef." in screen_text(app)
        await pilot.press("enter")  # the only scenario
        await settle(pilot)
        assert "Premier Ostra" in screen_text(app)
        await pilot.press("down")  # Chancellor Vell
        await settle(pilot)
        assert "The North's ships are at the reef." in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")  # back to the roles, then pick again
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "Start" in screen_text(app) and "seed" not in screen_text(app).lower()
        await pilot.press("a", "enter", "4", "2", "enter")  # Advanced: crisis number 42
        await settle(pilot)
        screen = game_screen(app)
        assert (screen.session.role, screen.session.seed) == ("south", 42)
        await pilot.press("2", "2")  # answer, then open fire: war
        await settle(pilot)
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("o")  # play the other role
        await settle(pilot)
        assert game_screen(app).session.role == "north"
        await pilot.press("escape")  # the main menu; continue the latest game
        await settle(pilot)
        assert isinstance(app.screen, MainMenu)
        menu = app.screen.query_one("#menu", OptionList)
        assert not menu.get_option("continue").disabled
        # A game to go back to: the highlight is on Continue, so Enter resumes it.
        assert menu.get_option_at_index(menu.highlighted or 0).id == "continue"
        await pilot.press("c")
        await settle(pilot)
        assert game_screen(app).session.role == "north"
        await pilot.press("escape", "e")
        await settle(pilot)
        assert isinstance(app.screen, GalleryScreen)
        text = screen_text(app)
        # South found war; south can reach two of the three endings (one count: role_endings)
        assert "Fire on the Reef" in text and "1 of 2 found" in text
        assert "Catastrophe. A choice in “Clash” leads there." in text  # a hint, no spoiler
        # A found ending reopens: the ending screen of the game that found it.
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EndingScreen)
        assert app.screen.session.role == "south" and app.screen.session.state.ending == "war"
        # With that game's save gone, the ending on its own.
        for p in save_dir().glob("*.yaml"):
            p.unlink()
        await pilot.press("escape", "e")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        from brinkmanship.frontends.tui.screens.gallery import EndingCard

        assert isinstance(app.screen, EndingCard)
        assert "FIRE ON THE REEF" in screen_text(app)


async def test_help_history_and_palette(mini) -> None:
    app = make_app(session=new_game(mini, choices=["wait"]))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpDialog)
        await pilot.press("escape", "h")
        await settle(pilot)
        assert isinstance(app.screen, TranscriptDialog)
        assert "**3 · \\[Hold\\] Wait and watch** ← chosen" in app.screen.markdown
        text = screen_text(app)  # it opens at the latest turn, the end of the transcript
        assert "In progress at turn 2" in text and "Stances chosen: Hold 1" in text
        await pilot.press("escape")
        await settle(pilot)
        names = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Save", "Load", "Undo", "History", "Help", "Theme", "Quit"} <= names


async def test_scenario_text_is_never_markup(mini) -> None:
    app = make_app(session=new_game(mini))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "[@click=app.quit]x[/]" in text
        assert "[b]urgent[/b]" in text
        await pilot.press("a")  # the advisers' full text
        await settle(pilot)
        text = screen_text(app)
        assert "[@click=app.quit]Now[/]" in text  # adviser text too
        assert "␛[31mred alert" in text and "\x1b" not in text
        # Clicking the text does nothing; the app is still running a game.
        await pilot.click("#scene-text", offset=(30, 3))
        await pilot.click("#advisers", offset=(5, 2))
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, GameScreen)
        for key in ("1", "1"):  # board, shoot: the war ending says it too
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, EndingScreen)
        assert '"[@click=app.quit]x[/]" is painted' in screen_text(app)


async def test_live_reload_keeps_the_turn(mini, tmp_path: Path) -> None:
    from brinkmanship.format.loader import load_scenario

    path = tmp_path / "mini.yaml"
    shutil.copy(MINI, path)
    session = Session(load_scenario(str(path)), "north", 1)
    session.take("wait")
    app = make_app(session=session, watch=True)

    def rewrite(old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = game_screen(app)
        assert screen.watcher is not None
        rewrite("face yours across the reef", "stare at yours over the reef")
        screen.check_files()
        await settle(pilot)
        assert screen.session.choices == ("wait",)
        assert "stare at yours over the reef" in screen_text(app)
        # A broken file: say so and keep playing the old version.
        rewrite("format: 1", "format: [")
        screen.check_files()
        await settle(pilot)
        assert screen.session.choices == ("wait",) and app.is_running
        assert "The scenario has errors" in notes(app)
        rewrite("format: [", "format: 1")
        # The choice made no longer exists: back to that turn, and say so.
        rewrite("{id: wait, text: Wait and watch", "{id: watch, text: Wait and watch")
        screen.check_files()
        await settle(pilot)
        assert screen.session.choices == ()
        assert screen.session.state.scene == "n-reef"
        assert "turn 1 no longer replays" in notes(app)


@pytest.mark.parametrize("size", [(80, 24), (140, 40)])
async def test_sizes(mini, size: tuple[int, int]) -> None:
    app = make_app(session=new_game(mini))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Board the trawlers" in text and "Tension" in text


async def test_tutorial_playthrough_from_the_menu() -> None:
    """The bundled tutorial, from the main menu to an ending, with the keyboard only."""
    from brinkmanship.format.errors import BrinkError
    from brinkmanship.format.loader import load_scenario

    tutorial = Path(__file__).resolve().parents[2] / "scenarios" / "tutorial.yaml"
    try:
        load_scenario(str(tutorial))
    except (BrinkError, OSError) as exc:  # pragma: no cover - while it is being written
        pytest.skip(f"the tutorial does not load: {exc}")
    app = make_app(scenarios=[tutorial])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in ("n", "enter", "enter"):  # new game, the tutorial, the first role
            await pilot.press(key)
            await settle(pilot)
        await pilot.press("a", "enter", "1", "enter")  # crisis number 1
        await settle(pilot)
        game = game_screen(app).session
        assert (game.scenario.id, game.seed) == ("tutorial", 1)
        for _ in range(40):
            if isinstance(app.screen, EndingScreen):
                break
            await pilot.press("1")
            await settle(pilot, 2)
        assert isinstance(app.screen, EndingScreen)
        assert game.state.over and game.state.ending in game.scenario.endings
        assert game.scenario.endings[game.state.ending].title.upper() in screen_text(app)


def test_cli_hands_the_right_start_to_the_app(monkeypatch, mini, tmp_path: Path) -> None:
    from brinkmanship.frontends.cli import main
    from brinkmanship.frontends.tui.app import BrinkApp

    started: list[BrinkApp] = []

    def fake_run(self: BrinkApp, *args: object, **kw: object) -> int:
        started.append(self)
        return 0

    monkeypatch.setattr(BrinkApp, "run", fake_run)
    # the app loads the scenario itself (after its first frame: tests/tui/test_start.py)
    assert main(["play", str(MINI), "--role", "south", "--seed", "5", "--watch"]) == 0
    app = started.pop()
    assert app.start_session is None and app.start_scenario == str(MINI)
    assert (app.start_role, app.start_seed, app.ctx.watch) == ("south", 5, True)
    assert main(["play", str(MINI), "--seed", "9"]) == 0
    app = started.pop()
    assert app.start_session is None and app.start_scenario == str(MINI) and app.start_seed == 9
    assert app.start_role is None
    assert main(["play", "--load", str(store().write(new_game(mini), "go on"))]) == 0
    app = started.pop()
    assert app.start_session is None  # read, not replayed: the app replays it
    assert app.start_resume is not None and app.start_resume.name == "go on"
    path = store().write(new_game(mini, choices=["board"]), "cli")
    assert main(["replay", str(path), "--scenario", str(MINI)]) == 0
    app = started.pop()
    assert app.start_replay is not None and app.start_replay.name == "cli"
    assert app.replay_scenario == str(MINI)
    assert main([]) == 0
    app = started.pop()
    assert (app.start_session, app.start_scenario, app.start_replay) == (None, None, None)
    assert app.ctx.saves.directory == save_dir()


async def test_every_builtin_theme_renders(mini) -> None:
    app = make_app(session=new_game(mini, choices=["wait", "talk"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "brinkmanship-1962"
        for name in sorted(app.available_themes):
            app.theme = name
            await pilot.pause()
            assert "Split the reef down the middle" in screen_text(app), name
        # The palette offers the default theme back.
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Theme: 1962")
        command.callback()
        assert app.theme == "brinkmanship-1962"


async def test_names_titles_and_messages_are_never_markup(tmp_path: Path) -> None:
    from brinkmanship.format.loader import load_scenario

    text = MINI.read_text(encoding="utf-8")
    text = text.replace("title: The Lighthouse Line", "title: 'The [b]Lighthouse[/b] Line'")
    text = text.replace("name: Chancellor Vell", "name: 'Chancellor [@click=app.quit]Vell[/]'")
    text = text.replace("label: Tension, show: meter", "label: '[red]Tension', show: meter")
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    app = make_app(session=Session(load_scenario(str(path)), "north", 1), scenarios=[path])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.notify("[b]bold?[/b] [@click=app.quit]quit?[/]", title="[i]x[/i]")
        await settle(pilot)
        text = screen_text(app)
        assert "The [b]Lighthouse[/b] Line" in text  # the status panel's border title
        assert "[red]Tension" in text
        toasts = [t.render().plain for t in app.screen.query(Toast)]
        assert any("[b]bold?[/b] [@click=app.quit]quit?[/]" in t for t in toasts), toasts
        for key in ("1", "1"):  # to the war ending
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, EndingScreen)
        text = screen_text(app)
        assert "Play as Chancellor [@click=app.quit]Vell[/]" in text
        assert "[red]Tension over the game" in text
        await pilot.press("escape", "e")
        await settle(pilot)
        assert "Chancellor [@click=app.quit]Vell[/]" in screen_text(app)
        assert app.is_running


async def test_the_menu_highlight_starts_at_the_top_when_it_comes_back(mini) -> None:
    """Left where it was, Down and Enter pressed from habit could end on Quit."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        menu = app.screen.query_one("#menu", OptionList)
        await pilot.press("down")  # Continue is closed: Load
        await settle(pilot)
        assert menu.highlighted == [key for key, _, _ in ITEMS].index("load")
        await pilot.press("enter", "escape")  # the Load dialog, then back
        await settle(pilot)
        assert isinstance(app.screen, MainMenu)
        assert menu.highlighted == 0
        await pilot.press("enter")  # New game, not whatever was highlighted before
        await settle(pilot)
        assert isinstance(app.screen, NewGameScreen)
