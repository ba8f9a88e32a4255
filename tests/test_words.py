"""Times in words, as the save list shows them."""

from __future__ import annotations

import datetime as dt

import pytest

from brinkmanship.frontends.words import ago

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("then", "words"),
    [
        (NOW - dt.timedelta(seconds=5), "just now"),
        (NOW + dt.timedelta(hours=1), "just now"),  # a clock set back
        (NOW - dt.timedelta(minutes=1), "1 minute ago"),
        (NOW - dt.timedelta(minutes=59), "59 minutes ago"),
        (NOW - dt.timedelta(hours=2, minutes=5), "2 hours ago"),
        (NOW - dt.timedelta(hours=30), "yesterday"),
        (NOW - dt.timedelta(days=6), "6 days ago"),
    ],
)
def test_ago(then: dt.datetime, words: str) -> None:
    assert ago(then.isoformat(), NOW) == words


def test_ago_long_ago_and_unreadable() -> None:
    assert "2025" in ago("2025-01-15T10:00:00+00:00", NOW)
    assert ago("2026-03-10T11:00:00", NOW) == "1 hour ago"  # no zone: UTC, as saves write
    assert ago("yesterday-ish\n", NOW) == "yesterday-ish"


def test_ago_at_the_ends_of_the_calendar() -> None:
    assert ago("0001-01-01T00:00:00+14:00", NOW) == "0001-01-01T00:00:00+14:00"
    assert ago("9999-12-31T23:59:00-14:00", NOW) in ("just now", "9999-12-31T23:59:00-14:00")


def test_a_save_is_shown_by_its_game_or_its_name() -> None:
    from brinkmanship.frontends.words import save_title

    auto = save_title("autosave-20260310-120000-abcdef", True, "Thirteen Days", "John F. Kennedy")
    assert auto == "your game of Thirteen Days as John F. Kennedy"
    assert save_title("my game", False, "Thirteen Days", "x") == "“my game”"
