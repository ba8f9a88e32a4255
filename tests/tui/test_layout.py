"""The game screen fits the terminal: every open choice is on screen in every scene."""

from __future__ import annotations

import random
from collections import deque
from pathlib import Path

import pytest
from textual.geometry import Region

from brinkmanship.format.loader import load_scenario
from brinkmanship.format.model import Scenario
from brinkmanship.frontends.tui.screens.game import STORY_MIN_ROWS, GameScreen
from brinkmanship.frontends.tui.widgets import ChoiceList, StatusPanel
from brinkmanship.runtime.session import Session
from brinkmanship.runtime.views import current
from tests.tui.conftest import make_app, new_game
from tests.tui.test_pilot import settle

FLAGSHIP = Path(__file__).resolve().parents[2] / "scenarios" / "thirteen-days" / "scenario.yaml"


@pytest.fixture(scope="module")
def flagship() -> Scenario:
    return load_scenario(str(FLAGSHIP))


def every_scene(scenario: Scenario, role: str, seed: int = 1) -> list[tuple[str, ...]]:
    """A shortest choice path to each scene reachable with ``seed`` (breadth first)."""
    seen: dict[str, tuple[str, ...]] = {}
    queue: deque[tuple[str, ...]] = deque([()])
    while queue:
        path = queue.popleft()
        session = Session(scenario, role, seed)
        for cid in path:
            session.take(cid)
        if session.over or session.state.scene in seen:
            continue
        seen[session.state.scene] = path
        queue.extend((*path, c.id) for c in current(session).open_choices)
    return list(seen.values())


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40)])
@pytest.mark.parametrize("role", ["kennedy", "khrushchev"])
async def test_every_choice_of_every_flagship_scene_is_on_screen(
    flagship: Scenario, role: str, size: tuple[int, int]
) -> None:
    """Scene after scene in one screen, as in play: what the last scene left (a scrollbar,
    a wrapping) must not cost the next one a choice."""
    paths = every_scene(flagship, role)
    assert len(paths) > 5
    app = make_app(session=new_game(flagship, role=role))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GameScreen)
        # narrow: the panel starts hidden
        assert screen.query_one(StatusPanel).display == (size[0] >= 100)
        whole = Region(0, 0, *size)
        for path in paths:
            screen.session = new_game(flagship, role=role, choices=list(path))
            screen.refresh_view()
            await settle(pilot, 2)
            choices = screen.query_one(ChoiceList)
            assert whole.contains_region(choices.region), path
            for i, c in enumerate(screen.choices):
                if c.enabled:
                    region = choices.option_region(i)
                    assert choices.scrollable_content_region.contains_region(region), (path, c)
            assert choices.hidden_count() == 0, path
            assert not choices.border_subtitle, (path, choices.border_subtitle)  # no "more"


async def test_advisers_collapse_and_panel_toggles(flagship: Scenario) -> None:
    app = make_app(session=new_game(flagship, role="kennedy"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GameScreen)
        brief = screen.query_one("#advisers-brief")
        full = screen.query_one("#advisers")
        assert brief.display and not full.display
        # at 80x24 the advisers yield to the story: their names on one line, no border, so
        # that the scene keeps its rows beside five long choices
        assert brief.region.height == 1 and "Advisers: " in str(brief.content)
        assert screen.query_one("#story").region.height >= STORY_MIN_ROWS
        await pilot.press("a")
        await settle(pilot)
        assert full.display and not brief.display
        await pilot.press("m")
        await settle(pilot)
        assert screen.query_one(StatusPanel).display
        assert not screen.query_one("#meters-line").display
        await pilot.press("m")
        await settle(pilot)
        assert not screen.query_one(StatusPanel).display
        assert screen.query_one("#meters-line").display


@pytest.mark.parametrize(
    ("role", "seed", "size"),
    [("khrushchev", 176279287, (120, 40)), ("kennedy", 3, (120, 40)), ("khrushchev", 5, (80, 24))],
)
async def test_the_more_mark_tells_the_truth_in_played_games(
    flagship: Scenario, role: str, seed: int, size: tuple[int, int]
) -> None:
    """Played with keys, turn after turn: the "more" mark on the choices appears exactly
    when choices lie below the fold (a count taken before the turn's last layout showed
    "more (2)" under four choices that all fitted)."""
    from brinkmanship.runtime.session import Session

    rnd = random.Random(seed)
    app = make_app(session=Session(flagship, role, seed))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for _ in range(12):
            screen = app.screen
            if not isinstance(screen, GameScreen):
                break  # an ending
            choices = screen.query_one(ChoiceList)
            hidden = choices.hidden_count()
            assert hidden == 0, (screen.session.state.scene, hidden)
            assert not choices.border_subtitle, (
                screen.session.state.scene,
                choices.border_subtitle,
            )
            pick = rnd.choice([c for c in screen.choices if c.enabled])
            await pilot.press(str(pick.number))
            await settle(pilot)
