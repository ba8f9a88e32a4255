"""The web server without a browser: player ids, folders, page and limits."""

from __future__ import annotations

import asyncio
import re
import shlex
import sys
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from brinkmanship.frontends.cli.serve import game_command
from brinkmanship.frontends.serve.players import COOKIE, new_token, space_for, valid_token
from brinkmanship.frontends.serve.server import GameServer


def test_player_ids_are_random_and_checked() -> None:
    a, b = new_token(), new_token()
    assert a != b and valid_token(a) == a
    for bad in (None, "", "../../etc", a[:-1], a + "x", "a" * 42 + "/", "\x00" * 43):
        assert valid_token(bad) is None


def test_a_players_folders_are_theirs_and_do_not_show_the_id(tmp_path: Path) -> None:
    token = new_token()
    space = space_for(tmp_path, token)
    assert space.root.parent == tmp_path / "players"
    assert token not in str(space.root)
    assert space_for(tmp_path, token) == space and space_for(tmp_path, new_token()) != space
    env = space.environment()
    for key in ("BRINKMANSHIP_SAVE_DIR", "BRINKMANSHIP_DATA_DIR", "HOME", "XDG_CONFIG_HOME"):
        assert Path(env[key]).is_relative_to(space.root), key
    space.create()
    assert space.saves.is_dir() and space.data.is_dir()


def test_the_game_command_replaces_the_shell() -> None:
    cmd = game_command("/tmp/with space/it's.yaml")
    assert cmd.startswith("exec ")
    argv = shlex.split(cmd[5:])
    assert argv == [sys.executable, "-m", "brinkmanship", "play", "/tmp/with space/it's.yaml"]
    assert shlex.split(game_command(None)[5:]) == [sys.executable, "-m", "brinkmanship"]


def _run(server: GameServer, check: object) -> None:
    async def go() -> None:
        app = await server._make_app()
        app.on_startup.clear()  # no watchdog, no banner
        app.on_shutdown.clear()
        async with TestClient(TestServer(app)) as client:
            await check(client)  # type: ignore[operator]

    asyncio.run(go())


def test_the_page_is_ours_sets_a_player_id_and_loads_nothing_from_elsewhere(
    tmp_path: Path,
) -> None:
    server = GameServer("exec true", data_dir=tmp_path, title="Thirteen <Days>")

    async def check(client: TestClient) -> None:  # type: ignore[type-arg]
        r = await client.get("/")
        assert r.status == 200
        html = await r.text()
        assert "Thirteen &lt;Days&gt;" in html  # text, never markup
        hosts = set(re.findall(r"(?:https?|wss?)://([^/\"']+)", html))
        assert hosts == {f"{client.host}:{client.port}"}, hosts
        assert "googleapis" not in html
        csp = r.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        token = r.cookies[COOKIE]
        assert valid_token(token.value) and token["httponly"] and token["samesite"] == "Strict"
        again = await client.get("/")  # the cookie is sent back: no new id
        assert COOKIE not in again.cookies
        assert (await client.get("/static/")).status in (403, 404)  # no folder listings

    _run(server, check)


def test_a_websocket_without_a_player_id_gets_no_game(tmp_path: Path) -> None:
    server = GameServer("exec true", data_dir=tmp_path)

    async def check(client: TestClient) -> None:  # type: ignore[type-arg]
        ws = await client.ws_connect("/ws")
        msg = await ws.receive()
        assert ws.closed or msg.type.name in ("CLOSE", "CLOSED")
        assert ws.close_code == 4001
        assert not (tmp_path / "players").exists()

    _run(server, check)


def test_a_full_server_says_so(tmp_path: Path) -> None:
    server = GameServer("exec true", data_dir=tmp_path, max_sessions=2, idle_seconds=600)
    server.live = {"a": object(), "b": object()}  # type: ignore[dict-item]

    async def check(client: TestClient) -> None:  # type: ignore[type-arg]
        r = await client.get("/")
        assert r.status == 503 and r.headers["Retry-After"]
        text = await r.text()
        assert "all 2 places are taken" in text and "10 minutes" in text

    _run(server, check)


def test_a_page_from_another_site_cannot_open_a_game(tmp_path: Path) -> None:
    server = GameServer("exec true", data_dir=tmp_path)

    async def check(client: TestClient) -> None:  # type: ignore[type-arg]
        await client.get("/")  # a real player id in the cookie jar
        ws = await client.ws_connect("/ws", headers={"Origin": "http://evil.example"})
        await ws.receive()
        assert ws.close_code == 4001
        assert not (tmp_path / "players").exists()

    _run(server, check)
