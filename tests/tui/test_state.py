"""The state explains itself: whole labels, descriptions, zones, what changed, warnings."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from brinkmanship.format.loader import load_scenario
from brinkmanship.format.model import Scenario
from brinkmanship.frontends.tui.screens.dialogs import HelpDialog
from brinkmanship.frontends.tui.screens.game import GameScreen
from brinkmanship.frontends.tui.widgets import MeterRow, MeterStrip, meter_lines, pack, strip_items
from brinkmanship.runtime.session import Session
from brinkmanship.runtime.views import current, time_shown
from tests.tui.conftest import make_app
from tests.tui.test_pilot import screen_text, settle

FLAGSHIP = Path(__file__).resolve().parents[2] / "scenarios" / "thirteen-days" / "scenario.yaml"


@pytest.fixture(scope="module")
def flagship() -> Scenario:
    return load_scenario(str(FLAGSHIP))


def holding(sc: Scenario, role: str, seed: int, turns: int) -> Session:
    """A game where the player always holds (the path that used to end without warning)."""
    s = Session(sc, role, seed)
    for _ in range(turns):
        if s.over:
            break
        v = current(s)
        s.take(([c for c in v.open_choices if c.stance == "hold"] or list(v.open_choices))[0].id)
    return s


def test_holding_warns_before_the_world_ends(flagship: Scenario) -> None:
    """On the hold path to Armageddon, tension is announced as high and then critical
    turns before the end, and every turn says what changed."""
    s = Session(flagship, "kennedy", 17)  # a seed whose hold path climbs to Armageddon
    warned: list[tuple[int, str]] = []
    while not s.over:
        v = current(s)
        tension = next(m for m in v.meters if m.tension)
        if tension.entered:
            warned.append((s.turn, tension.entered))
        s.take(([c for c in v.open_choices if c.stance == "hold"] or list(v.open_choices))[0].id)
    assert s.state.ending == "k-end-armageddon"
    assert [z for _, z in warned] == ["high", "critical"]
    assert s.turn - warned[-1][0] >= 3  # warned several turns before the end


def test_meter_lines_wrap_whole_words_and_show_zones(flagship: Scenario) -> None:
    s = holding(flagship, "kennedy", 3, 11)
    meters = {m.id: m for m in current(s).meters}
    chiefs = meters["k_hawks"]
    lines = [line.plain for line in meter_lines(chiefs, 20)]
    text = " ".join(" ".join(x.split()) for x in lines)
    assert len(lines) >= 3 and "Pressure from the Chiefs +2 53/100" in text  # wrapped, whole
    assert "…" not in text and all(len(x) <= 20 for x in lines)
    tension = meters["tension"]
    assert tension.zone == "high" and tension.thresholds == (("high", 60), ("critical", 80))
    bar = meter_lines(tension, 30)[1]
    styles = {str(span.style) for span in bar.spans}
    assert any("$warning" in x for x in styles) and any("$error" in x for x in styles)
    opened = " ".join(x.plain for x in meter_lines(tension, 30, open_=True))
    assert "How close the two powers are to shooting" in opened
    assert "high from 60" in opened


def test_a_labelled_rung_is_shown_whole_and_fits(flagship: Scenario) -> None:
    defcon = {m.id: m for m in current(Session(flagship, "kennedy", 0)).meters}["defcon"]
    assert defcon.value == "DEFCON5" and defcon.text == "DEFCON 5 (peacetime)"
    for width in (16, 26, 30, 44):
        lines = [line.plain for line in meter_lines(defcon, width)]
        assert all(len(x) <= width for x in lines), (width, lines)
        assert " ".join(" ".join(lines).split()) == "US alert DEFCON 5 (peacetime)"


def test_the_meter_strip_never_cuts_a_meter(flagship: Scenario) -> None:
    s = holding(flagship, "kennedy", 3, 11)
    items = strip_items(current(s).meters)
    for width in (40, 60, 78):
        lines = pack(items, width)
        assert all(line.cell_length <= width for line in lines)
        joined = "  ·  ".join(line.plain for line in lines)
        assert joined == "  ·  ".join(i.plain for i in items)


async def test_the_game_screen_teaches_the_state(flagship: Scenario) -> None:
    session = holding(flagship, "kennedy", 3, 11)  # the turn tension rises into "high"
    app = make_app(session=session, scenarios=[FLAGSHIP])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, GameScreen)
        text = screen_text(app)
        # The strip gives each change beside its meter: no "Last turn" line takes a row.
        assert "+10" in str(screen.query_one(MeterStrip).render())
        assert "Last turn" not in text
        assert "⚠ Tension is now high (60+)" in text
        assert "Pressure from the Chiefs" in text and "Pr…" not in text  # the strip, whole
        # The panel: the clock shows the header's time; Tab reaches a meter's description.
        await pilot.press("m")
        await settle(pilot)
        assert "Last turn: Tension +10" in screen_text(app)  # no strip now: the line is back
        when = time_shown(flagship, session.state, "kennedy")
        assert when in str(screen.query_one("#dateline", Static).render())
        assert when in str(screen.query_one("#clock", Static).render())
        row = screen.query(MeterRow).first()
        assert row.tooltip and "How close" in str(row.tooltip)
        row.focus()
        await settle(pilot)
        assert "How close the two" in screen_text(app)
        # Help lists every meter with what it means.
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpDialog)
        assert "## The state of the crisis" in app.screen.text
        assert "**Trust**: How far each leader believes the other's word." in app.screen.text


def test_every_flagship_ending_has_a_hint_without_its_text(flagship: Scenario) -> None:
    from brinkmanship.runtime.views import ending_hints, hint_text

    for role in flagship.roles:
        hints = ending_hints(flagship, role)
        assert len(hints) >= 10
        for eid, h in hints.items():
            text = hint_text(h)
            ending = flagship.endings[eid]
            assert ending.outcome.capitalize() in text
            assert ending.title not in text and eid not in text
        # No two read alike (two endings from one scene say which stance, or are numbered).
        texts = [hint_text(h) for h in hints.values()]
        assert len(set(texts)) == len(texts), texts


async def test_the_ending_shows_where_the_path_left_history(flagship: Scenario) -> None:
    from brinkmanship.frontends.transcript import to_markdown
    from brinkmanship.frontends.tui.screens.ending import EndingScreen, path_content
    from brinkmanship.runtime.resume import resume, scenario_for
    from brinkmanship.runtime.savefile import read
    from brinkmanship.runtime.views import decision_path, left_history_at

    root = FLAGSHIP.parents[2]
    historical = resume(
        *(lambda s: (s, scenario_for(s)))(
            read(root / "saves" / "thirteen-days-kennedy-historical.yaml")
        )
    ).session
    steps = decision_path(historical)
    assert steps and all(p.historical for p in steps) and left_history_at(steps) is None
    assert "Every choice was the one made in history." in path_content(steps).plain

    s = holding(flagship, "kennedy", 3, 40)
    assert s.over
    steps = decision_path(s)
    assert left_history_at(steps) == 11
    text = path_content(steps).plain
    assert "here your path left the historical one" in text
    assert "history: Pull the line closer to Cuba" in text
    assert "Here the path left history. In history: Pull the line closer" in to_markdown(s)
    app = make_app(session=s, scenarios=[FLAGSHIP])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, EndingScreen)
        assert app.screen.query_one("#decision-path", Static).display
        await pilot.press("e")  # export, into the save folder by default
        await settle(pilot)
        from textual.widgets import Input

        from brinkmanship.frontends.tui.screens.dialogs import ExportDialog

        assert isinstance(app.screen, ExportDialog)
        suggested = Path(app.screen.query_one(Input).value)
        assert suggested.parent == app.ctx.saves.directory
        await pilot.press("enter")
        await settle(pilot)
        assert suggested.read_text(encoding="utf-8").startswith("# Thirteen Days")
