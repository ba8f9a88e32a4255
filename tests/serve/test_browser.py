"""The served game in a real browser: headless Chromium, driven by Playwright.

Starts ``brinkmanship serve`` on a free port, plays a move as one player, checks a
second player (another browser context: other cookies) does not see the first one's
game, that a third is told the server is full, that an idle tab is closed with its
autosave kept, and that the page never asks any other host for anything.

The screen is read from xterm.js's own buffer. The terminal object is private to
textual-serve's script, so the test serves that script with one line added that
keeps a reference to it (``window.__brinkTerminals``); nothing else changes.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

CHROMIUM = next(
    (
        p
        for p in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"))
        if p and os.path.exists(p)
    ),
    None,
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium on this machine (Debian: apt-get install chromium); "
    "the served game is not tested in a browser",
)

OPEN = "this.terminal.open(e)"
HOOK = OPEN + ",(window.__brinkTerminals=window.__brinkTerminals||[]).push(this.terminal)"
SCREEN = """() => {
  const t = (window.__brinkTerminals || [])[0];
  if (!t) return "";
  const b = t.buffer.active, out = [];
  for (let i = 0; i < t.rows; i++) {
    const line = b.getLine(i);
    out.push(line ? line.translateToString(true) : "");
  }
  return out.join("\\n");
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = _free_port()
    data = tmp_path / "served"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRINKMANSHIP_")}
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "brinkmanship", "serve", "--port", str(port),
            "--data-dir", str(data), "--max-sessions", "2", "--idle-minutes", "0.15",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )  # fmt: skip
    assert proc.stdout is not None
    banner = proc.stdout.readline()
    assert "Serving" in banner, banner + proc.stdout.read()
    (data / "server.pid").write_text(str(proc.pid))
    try:
        yield f"http://127.0.0.1:{port}", data
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def served_pid(data: Path) -> int:
    return int((data / "server.pid").read_text())


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _wait_for_no_children(pid: int, timeout: float = 20) -> None:
    end = time.monotonic() + timeout
    while _children(pid) and time.monotonic() < end:
        time.sleep(0.2)
    assert not _children(pid), "a closed tab's game is still running"


class Player:
    """One browser player: a context of its own (its own cookies), one tab."""

    def __init__(self, browser: Any, url: str, requests: list[str]) -> None:
        self.context = browser.new_context(viewport={"width": 1100, "height": 700})
        self.page = self.context.new_page()
        self.page.on("request", lambda r: requests.append(r.url))
        self.page.route("**/static/js/textual.js", self._hooked)
        self.response = self.page.goto(url)

    @staticmethod
    def _hooked(route: Any) -> None:
        original = route.fetch()
        body = original.text()
        assert OPEN in body, "textual-serve's script changed: update the test's hook"
        route.fulfill(response=original, body=body.replace(OPEN, HOOK, 1))

    def screen(self) -> str:
        return str(self.page.evaluate(SCREEN))

    def wait_for(self, text: str, timeout: float = 20) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def press(self, key: str) -> None:
        self.page.focus(".xterm-helper-textarea")
        self.page.keyboard.press(key)

    def start_a_game(self) -> str:
        self.wait_for("New game")
        self.press("n")
        for _ in range(8):  # scenario, role, seed...: Enter takes the first of each
            time.sleep(0.5)
            if "Turn 1" in self.screen():
                break
            self.press("Enter")
        return self.wait_for("Turn 1")


def test_two_players_play_apart_and_nothing_leaves_the_machine(
    served: tuple[str, Path],
) -> None:
    url, data = served
    requests: list[str] = []
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            one = Player(browser, url, requests)
            before = one.start_a_game()
            one.press("1")
            after = one.wait_for("Turn 2")
            assert after != before
            (space_one,) = (data / "players").iterdir()
            saves_one = list((space_one / "saves").glob("autosave-*.yaml"))
            assert saves_one, "the first player's move was not autosaved"
            one.press("l")
            assert "No saved games" not in one.wait_for("Load a saved game")

            two = Player(browser, url, requests)  # at the same time, in another context
            two.wait_for("New game")
            three = Player(browser, url, requests)  # the limit is 2
            assert three.response is not None and three.response.status == 503
            assert "places are taken" in three.page.content()
            two.press("l")
            two.wait_for("Load a saved game")
            listed = two.wait_for("No saved games")
            assert saves_one[0].stem not in listed
            spaces = sorted((data / "players").iterdir())
            assert len(spaces) == 2
            (space_two,) = [s for s in spaces if s != space_one]
            assert not list((space_two / "saves").glob("*.yaml"))

            # the first player's tab, left alone, is closed; its game stays saved
            one.page.wait_for_selector("body.-closed", timeout=30_000)
            assert "The game has closed" in one.page.inner_text("body")
            assert list((space_one / "saves").glob("autosave-*.yaml")) == saves_one
            two.context.close()  # closing the tab ends its game: no process is left
            _wait_for_no_children(served_pid(data))
        finally:
            browser.close()
    elsewhere = [r for r in requests if not r.startswith((url + "/", "data:"))]
    assert not elsewhere, elsewhere
