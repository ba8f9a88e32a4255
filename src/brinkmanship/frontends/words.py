"""Small pieces of wording shared by the front ends (no Textual): times in words."""

from __future__ import annotations

import datetime as dt


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}{'' if n == 1 else 's'} ago"


def ago(iso: str, now: dt.datetime | None = None) -> str:
    """When ``iso`` (an ISO 8601 time, as saves record it) was, in words: "2 hours ago".

    A time that cannot be read (an edited save) is shown as it is written; one in the
    future (a clock set back) is "just now"; beyond a few weeks it is the date.
    """
    try:
        when = dt.datetime.fromisoformat(iso)
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        seconds = ((now or dt.datetime.now(dt.UTC)) - when).total_seconds()
        local = when.astimezone()
    except (ValueError, OverflowError):  # unreadable, or beyond the calendar in some zone
        return " ".join(iso.split())
    if seconds < 60:
        return "just now"
    minutes = int(seconds // 60)
    if minutes < 60:
        return _plural(minutes, "minute")
    hours = minutes // 60
    if hours < 24:
        return _plural(hours, "hour")
    days = hours // 24
    if days == 1:
        return "yesterday"
    if days < 28:
        return _plural(days, "day")
    return f"{local.day} {local.strftime('%b %Y')}"


def save_title(name: str, autosave: bool, scenario: str, role: str) -> str:
    """A save as the player knows it: a named save by its name, an autosave by its game."""
    if not autosave:
        return f"“{' '.join(name.split())}”"
    game = " ".join(scenario.split()) or "the game"
    return f"your game of {game}" + (f" as {' '.join(role.split())}" if role.strip() else "")
