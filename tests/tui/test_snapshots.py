"""Snapshot tests of the main screens at fixed terminal sizes (pytest-textual-snapshot).

Update after a deliberate change of look with ``pytest tests/tui --snapshot-update``.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from brinkmanship.frontends.tui import messages as msg
from tests.tui.conftest import make_app, new_game


async def _settle(pilot: Pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def test_main_menu(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=(100, 32), run_before=_settle)


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40)])
def test_game_first_turn(snap_compare, mini, size: tuple[int, int]) -> None:
    app = make_app(session=new_game(mini))
    assert snap_compare(app, terminal_size=size, run_before=_settle)


def test_game_80x24_panel_and_advisers_open(snap_compare, mini) -> None:
    async def open_all(pilot: Pilot) -> None:
        await _settle(pilot)
        await pilot.press("m", "a")
        await _settle(pilot)

    app = make_app(session=new_game(mini))
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_all)


def test_game_80x24(snap_compare, mini) -> None:
    app = make_app(session=new_game(mini, choices=["wait", "talk"]))
    assert snap_compare(app, terminal_size=(80, 24), run_before=_settle)


def test_ending(snap_compare, mini) -> None:
    app = make_app(session=new_game(mini, choices=["call", "share"]))
    assert snap_compare(app, terminal_size=(100, 32), run_before=_settle)


def test_replay(snap_compare, mini) -> None:
    session = new_game(mini, choices=["wait", "talk", "split"])

    async def open_replay(pilot: Pilot) -> None:
        await _settle(pilot)
        pilot.app.open_replay(msg.OpenReplay(session))
        await _settle(pilot)
        await pilot.press("right")
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=(100, 32), run_before=open_replay)
