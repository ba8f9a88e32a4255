"""At run time: no spinning, no stuck player without a clear report, no live text (issue #6).

The engine takes one choice per step, enters exactly one scene or ending, and checks each
trigger at most once, so no loop of scenes or triggers can spin; what can happen is a
scene whose every choice is closed, which plain mode and the TUI report (and validate and
explore find beforehand).
"""

from __future__ import annotations

import asyncio
import html
import re
import time
from pathlib import Path

from brinkmanship.authoring.analysis import warnings_for
from brinkmanship.format.loader import load_scenario
from brinkmanship.runtime import store
from brinkmanship.runtime.engine import Engine
from brinkmanship.runtime.savefile import read
from brinkmanship.runtime.session import Session
from brinkmanship.runtime.store import SaveStore
from brinkmanship.runtime.views import clock
from tests.hardening_helpers import MINI, run_all, write
from tests.test_hardening_commands import RAW, hostile_scenario

STUCK = MINI.replace(
    "      - {id: back, text: Back, stance: escalate, effects: {tension: +10}, next: s1}\n"
    "      - {id: stop, text: Stop, stance: negotiate, next: done}\n",
    "      - {id: back, text: Back, stance: escalate, next: s1, if: tension > 1000}\n"
    "      - {id: stop, text: Stop, stance: negotiate, next: done, once: true, if: turn > 50}\n",
)


def screen_text(app: object) -> str:
    svg = app.export_screenshot()  # type: ignore[attr-defined]
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return html.unescape("".join(texts)).replace("\xa0", " ")


def game_of(path: Path, role: str, seed: int, choices: list[str] | None = None) -> Session:
    s = Session(load_scenario(str(path)), role, seed)
    for cid in choices or []:
        s.take(cid)
    return s


def make_app(game: Session):  # -> BrinkApp
    import os

    from brinkmanship.frontends.tui.app import BrinkApp

    return BrinkApp(
        Path(os.environ["BRINKMANSHIP_SAVE_DIR"]),
        data_dir=Path(os.environ["BRINKMANSHIP_DATA_DIR"]),
        session=game,
    )


def test_a_stuck_scene_is_found_before_play(tmp_path: Path) -> None:
    sc = load_scenario(str(write(tmp_path / "s.yaml", STUCK)))
    found = [w for w in warnings_for(sc) if w.code == "W002"]
    assert found and "'s2' can leave the player with no available choice" in found[0].message


def test_plain_mode_reports_a_stuck_scene(tmp_path: Path) -> None:
    path = write(tmp_path / "s.yaml", STUCK)
    res = run_all(
        {"play": ["play", str(path), "--plain", "--seed", "1", "--role", "a"]}, stdin="1\n"
    )["play"]
    assert res.returncode == 1
    assert "The story is stuck here: no choice is available" in res.stdout
    assert "Traceback" not in res.stderr
    autos = [i.save for i in SaveStore(store.save_dir()).list() if i.save and i.save.is_autosave]
    assert [a.choices for a in autos] == [("go",)]  # the game so far is kept


def test_the_tui_reports_a_stuck_scene(tmp_path: Path) -> None:
    from brinkmanship.frontends.tui.screens.game import GameScreen

    game = game_of(write(tmp_path / "s.yaml", STUCK), "a", 1, ["go"])

    async def run() -> None:
        app = make_app(game)
        async with app.run_test(size=(100, 32)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, GameScreen)
            notes = "\n".join(n.message for n in app._notifications)
            assert "No choice is available here: the scenario is stuck" in notes
            assert "the scenario is stuck" in screen_text(app)  # stays on screen, too
            await pilot.press("1")  # nothing happens, and nothing breaks
            await pilot.pause()
            assert app.screen.session.state.turn == 1

    asyncio.run(run())


def test_trigger_chains_cannot_spin(tmp_path: Path) -> None:
    # Every trigger always fires and diverts: each step still ends in one scene.
    triggers = "".join(
        f"  - {{id: t{i}, if: 'true', once: false, goto: s{1 + i % 2}}}\n" for i in range(500)
    )
    sc = load_scenario(str(write(tmp_path / "s.yaml", MINI + "triggers:\n" + triggers)))
    engine = Engine(sc, "a")
    st = engine.start(1)
    t0 = time.monotonic()
    for _ in range(200):
        choices = engine.available(st)
        assert choices
        st = engine.step(st, choices[0].id if choices[0].id != "stop" else choices[-1].id)
    assert time.monotonic() - t0 < 30  # a guard against a hang, not a benchmark


def test_hostile_text_is_inert_in_the_tui(tmp_path: Path) -> None:
    from brinkmanship.frontends.tui.screens.dialogs import TranscriptDialog
    from brinkmanship.frontends.tui.screens.ending import EndingScreen
    from brinkmanship.frontends.tui.screens.game import GameScreen

    game = game_of(hostile_scenario(tmp_path), "a", 1, ["go"])

    async def run() -> None:
        app = make_app(game)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, GameScreen)
            text = screen_text(app)
            for c in RAW:
                assert c not in text
            assert "[b]bold[/b]" in text  # markup shown as text, not applied
            assert "␛" in text  # the escape is visible, and harmless
            await pilot.press("h")  # the history (transcript) dialog
            await pilot.pause()
            assert isinstance(app.screen, TranscriptDialog)
            for c in RAW:
                assert c not in screen_text(app)
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("2")  # stop: to the ending
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, EndingScreen)
            text = screen_text(app)
            assert "[b]bold[/b]" in text and not any(c in text for c in RAW)
            assert app.is_running  # [@click=app.quit] did nothing

    asyncio.run(run())


def test_a_clock_past_the_year_9999_stops_there(tmp_path: Path) -> None:
    text = MINI.replace(
        "title: Mini\n", "title: Mini\nclock: {start: 9999-12-31 20:00, hours_per_turn: 8760}\n"
    )
    game = game_of(write(tmp_path / "s.yaml", text), "a", 1)
    for _ in range(3):
        game.take("go")
        game.take("back")
    assert "9999" in clock(game.scenario, game.state).text
    assert read(SaveStore(tmp_path).write(game, "late")).turn == 6


def test_the_load_dialog_copes_with_odd_saves(tmp_path: Path) -> None:
    from brinkmanship.frontends.tui.screens.dialogs import LoadDialog

    game = game_of(write(tmp_path / "s.yaml", MINI), "a", 1, ["go"])
    d = store.save_dir()
    good = SaveStore(d).write(game, "good")
    text = good.read_text()
    odd = {
        "early": text.replace('saved: "', 'saved: "0001-01-01T00:00:00+14:00" #'),
        "late": text.replace('saved: "', "saved: 9999-12-31T23:59:00-14:00 #"),
        "named": text.replace('name: "good"', 'name: "\\e[2J[b]x[/b]\\u202e"'),
        "broken": text[:100],
    }
    assert all(body != text for body in odd.values())
    for name, body in odd.items():
        (d / f"{name}.yaml").write_text(body)

    async def run() -> None:
        app = make_app(game)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("l")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, LoadDialog)
            text = screen_text(app)
            assert "unreadable" in text and "[b]x[/b]" in text
            assert not any(c in text for c in RAW)

    asyncio.run(run())


def test_every_unicode_format_and_separator_character_is_made_inert() -> None:
    import sys
    import unicodedata

    from brinkmanship.format.textsafe import inert

    wanted = [
        chr(c)
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) in ("Cf", "Zl", "Zp", "Cc") and chr(c) not in "\t\n"
    ]
    shown = inert("".join(wanted))
    assert len(shown) == len(wanted)
    assert not any(unicodedata.category(c) in ("Cf", "Zl", "Zp", "Cc") for c in shown)
