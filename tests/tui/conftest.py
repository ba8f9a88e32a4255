"""Helpers for the Textual front end's tests: the mini scenario and apps built on it."""

from __future__ import annotations

import asyncio
import inspect
import os
import tempfile
from pathlib import Path

import pytest

from brinkmanship.format.loader import load_scenario
from brinkmanship.format.model import Scenario
from brinkmanship.runtime.session import Session

MINI = Path(__file__).resolve().parent / "fixtures" / "mini.yaml"


def pytest_configure(config: pytest.Config) -> None:
    """A failed snapshot writes an HTML report: into the temp folder, never into the repo."""
    if config.getoption("--snapshot-report", default=None) == "snapshot_report.html":
        config.option.snapshot_report = str(
            Path(tempfile.gettempdir()) / "brinkmanship-snapshot-report.html"
        )


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests in a fresh event loop (no asyncio plugin needed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{n: pyfuncitem.funcargs[n] for n in names}))
    return True


@pytest.fixture(scope="session")
def mini() -> Scenario:
    return load_scenario(str(MINI))


CREATED = "2024-01-01T00:00:00+00:00"


def new_game(
    scenario: Scenario, role: str = "north", seed: int = 1, choices: list[str] | None = None
) -> Session:
    """A session with ``choices`` made, begun at a fixed time (so snapshots do not drift)."""
    session = Session(scenario, role, seed, created=CREATED)
    for cid in choices or ():
        session.take(cid)
    return session


def make_app(**kw: object):  # -> BrinkApp (imported lazily: Textual loads only for tests)
    from brinkmanship.frontends.tui.app import BrinkApp

    directory = Path(os.environ["BRINKMANSHIP_SAVE_DIR"])
    data = Path(os.environ["BRINKMANSHIP_DATA_DIR"])
    kw.setdefault("scenarios", [MINI])
    return BrinkApp(directory, data_dir=data, **kw)  # type: ignore[arg-type]


async def started(pilot, timeout: float = 20.0) -> None:
    """Wait until a game named at start-up (``make_app(scenario_path=...)``) has been
    loaded off the UI thread and handed over, or has failed to load; then let the screen
    settle. It waits on the app's own state (each pause waits for the app to go idle),
    never for a fixed time."""
    import time

    from brinkmanship.frontends.tui.screens.start import GameLoading

    app = pilot.app
    loading = app.screen_stack[0]
    assert isinstance(loading, GameLoading), loading
    deadline = time.monotonic() + timeout
    while not loading.done:
        assert time.monotonic() < deadline, "the game did not load"
        await app.workers.wait_for_complete()
        await pilot.pause()
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()
