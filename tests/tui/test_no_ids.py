"""Nothing internal on screen: no screen or export of a played game shows an id.

A game of the flagship is played through the app with the keyboard, and every screen
on the way (each turn, the history, the save list, the ending, the replay viewer, the
gallery, the new-game screen) and the Markdown export and plain mode are searched for
the scenario's role, scene, choice and ending ids and for file timestamps.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from brinkmanship.format.loader import load_scenario
from brinkmanship.format.model import Scenario
from brinkmanship.frontends.transcript import to_markdown
from brinkmanship.frontends.tui.screens.dialogs import LoadDialog, TranscriptDialog
from brinkmanship.frontends.tui.screens.ending import EndingScreen
from brinkmanship.frontends.tui.screens.gallery import GalleryScreen
from brinkmanship.frontends.tui.screens.game import GameScreen
from brinkmanship.frontends.tui.screens.newgame import NewGameScreen
from brinkmanship.frontends.tui.screens.replay import ReplayScreen
from brinkmanship.runtime.session import Session
from tests.tui.conftest import make_app
from tests.tui.test_pilot import settle, store

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = ROOT / "scenarios" / "thirteen-days" / "scenario.yaml"
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|Begun|\+00:00")


@pytest.fixture(scope="module")
def flagship() -> Scenario:
    return load_scenario(str(FLAGSHIP))


def internal_ids(sc: Scenario) -> set[str]:
    """The ids a player must never see: roles, scenes, choices, endings, variables (those
    that could not be mistaken for an ordinary word of the story)."""
    ids = set(sc.roles) | set(sc.scenes) | set(sc.endings)
    ids |= {c.id for s in sc.scenes.values() for c in s.choices}
    ids |= set(sc.variables)
    return {i for i in ids if i in sc.roles or "-" in i or "_" in i}


def leaks(text: str, ids: set[str]) -> list[str]:
    found = [i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)]
    if m := TIMESTAMP.search(text):
        found.append(m.group())
    return sorted(found)


def test_no_export_or_plain_game_of_either_role_shows_an_id(flagship: Scenario) -> None:
    from brinkmanship.frontends.plain import play_plain

    ids = internal_ids(flagship)
    for role in flagship.roles:
        game = Session(flagship, role, 3)
        out = io.StringIO()
        play_plain(game, store(), out, io.StringIO("1\n" * 60 + "h\nq\n"))
        assert game.over
        for where, text in (("plain mode", out.getvalue()), ("export", to_markdown(game))):
            assert not leaks(text, ids), (role, where, leaks(text, ids))


async def test_no_screen_of_a_played_game_shows_an_id(flagship: Scenario) -> None:
    """Kennedy's side through the app (the other side's screens are the same code)."""
    from tests.tui.test_pilot import screen_text

    role = "kennedy"
    ids = internal_ids(flagship)
    assert role in ids and len(ids) > 100
    seen: list[tuple[str, str]] = []

    def look(where: str) -> None:
        seen.append((where, screen_text(app)))

    app = make_app(scenarios=[FLAGSHIP])
    told: list[str] = []  # every notification (they expire on screen)
    notify = app.notify

    def record(message: str, **kw: object) -> None:
        told.append(f"{kw.get('title', '')}: {message}")
        notify(message, **kw)  # type: ignore[arg-type]

    app.notify = record  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NewGameScreen)
        look("new game: scenarios")
        await pilot.press("enter")
        await settle(pilot)
        look("new game: roles")
        await pilot.press("enter")
        await settle(pilot)
        look("new game: start")
        await pilot.press("a")
        await settle(pilot)
        look("new game: advanced")
        await pilot.press("enter", "3", "enter")  # crisis number 3: a short game either side
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GameScreen) and screen.session.role == role
        session: Session = screen.session
        for turn in range(60):
            if isinstance(app.screen, EndingScreen):
                break
            look(f"turn {turn + 1}")
            if turn == 2:
                await pilot.press("h")
                await settle(pilot)
                assert isinstance(app.screen, TranscriptDialog)
                look("history")
                seen.append(("history text", app.screen.markdown))
                await pilot.press("escape")
                await pilot.press("l")
                await settle(pilot)
                assert isinstance(app.screen, LoadDialog)
                look("save list")
                await pilot.press("escape")
                await settle(pilot)
            await pilot.press("1")
            await settle(pilot, 1)
        assert isinstance(app.screen, EndingScreen)
        look("ending")
        seen.append(("export", to_markdown(session)))
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
        for step in range(3):
            look(f"replay {step}")
            await pilot.press("right")
            await settle(pilot, 1)
        await pilot.press("end")
        await settle(pilot)
        look("replay end")
        await pilot.press("escape", "c")  # continue: the finished game, from its autosave
        await settle(pilot)
        assert isinstance(app.screen, EndingScreen)
        look("continued")
        seen.append(("notifications", "\n".join(told)))
        assert any("Opening your game of Thirteen Days as" in t for t in told), told
        await pilot.press("escape", "e")
        await settle(pilot)
        assert isinstance(app.screen, GalleryScreen)
        look("gallery")

    bad = {where: found for where, text in seen if (found := leaks(text, ids))}
    assert not bad, bad


def test_the_flagship_comes_first_with_its_role_names() -> None:
    from brinkmanship.format import catalog

    first, *rest = catalog.bundled()
    assert first.id == catalog.FLAGSHIP and rest
    assert first.shown_roles == ("John F. Kennedy", "Nikita Khrushchev")
    assert first.roles == ("kennedy", "khrushchev")
