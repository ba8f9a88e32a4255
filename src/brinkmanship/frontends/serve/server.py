"""The web server: textual-serve's, with a save space per player, limits and our page."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
import textual_serve
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from brinkmanship.frontends.serve.players import (
    COOKIE,
    PlayerSpace,
    new_token,
    space_for,
    valid_token,
)

log = logging.getLogger("brinkmanship.serve")

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(textual_serve.__file__).parent / "static"
_HOST_RE = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")
MAX_INPUT = 64 * 1024  # characters in one message from the browser (a paste, at most)


@dataclass(eq=False)
class _Live:
    """One open tab: its game process, its websocket and when it last heard the player."""

    service: AppService
    websocket: web.WebSocketResponse
    player: str
    last: float = field(default_factory=time.monotonic)


class _PlayerService(AppService):
    """The game's process for one tab, writing only into its player's folders."""

    def __init__(self, command: str, space: PlayerSpace, **kw: Any) -> None:
        super().__init__(command, **kw)
        self.space = space

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        env = super()._build_environment(width, height)
        env.update(self.space.environment())
        return env


class GameServer(Server):
    """Serves ``command`` (the game) to browsers; see :mod:`brinkmanship.frontends.serve`."""

    def __init__(
        self,
        command: str,
        *,
        data_dir: Path,
        host: str = "127.0.0.1",
        port: int = 8000,
        title: str = "Brinkmanship",
        public_url: str | None = None,
        max_sessions: int = 8,
        idle_seconds: float = 30 * 60,
    ) -> None:
        super().__init__(
            command,
            host=host,
            port=port,
            title=title,
            public_url=public_url,
            statics_path=STATIC,
            templates_path=TEMPLATES,
        )
        self.explicit_url = public_url
        self.data_dir = data_dir
        self.max_sessions = max_sessions
        self.idle_seconds = idle_seconds
        self.live: dict[str, _Live] = {}
        self._watchdog: asyncio.Task[None] | None = None

    # -- the application ----------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_INPUT)
        aiohttp_jinja2.setup(
            app, loader=jinja2.FileSystemLoader(self.templates_path), autoescape=True
        )
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    def initialize_logging(self) -> None:
        logging.basicConfig(level=logging.DEBUG if self.debug else logging.WARNING)

    async def on_startup(self, app: web.Application) -> None:
        self._watchdog = asyncio.create_task(self._close_idle())
        print(f"Serving {self.title} on {self.public_url}  (Ctrl+C stops)", flush=True)
        print(f"Players' saves are kept under {self.data_dir / 'players'}", flush=True)

    async def on_shutdown(self, app: web.Application) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
        for live in list(self.live.values()):
            await live.websocket.close()

    # -- pages --------------------------------------------------------------------

    def _base_url(self, request: web.Request) -> str:
        """Where the browser reached us: the public URL if one was given, else the
        address the browser used (so a server on 0.0.0.0 works from other machines)."""
        if self.explicit_url:
            return self.explicit_url.rstrip("/")
        host = request.host
        if not _HOST_RE.fullmatch(host):
            host = f"{self.host}:{self.port}"
        return f"{'https' if request.secure else 'http'}://{host}"

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        context = {"title": self.title, "limit": self.max_sessions}
        context["idle_minutes"] = max(1, round(self.idle_seconds / 60))
        if len(self.live) >= self.max_sessions:
            response = aiohttp_jinja2.render_template("full.html", request, context, status=503)
            response.headers["Retry-After"] = "60"
            return self._secure(response, "")
        base = self._base_url(request)
        ws_base = ("wss" if base.startswith("https") else "ws") + base[base.index(":") :]
        nonce = secrets.token_urlsafe(16)
        size = request.query.get("fontsize", "16")
        context |= {
            "static_url": f"{base}/static/",
            "websocket_url": f"{ws_base}/ws",
            "font_size": int(size) if size.isdigit() and 6 <= int(size) <= 48 else 16,
            "nonce": nonce,
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        if valid_token(request.cookies.get(COOKIE)) is None:
            response.set_cookie(
                COOKIE,
                new_token(),
                max_age=365 * 24 * 3600,
                httponly=True,
                samesite="Strict",
                secure=base.startswith("https"),
            )
        return self._secure(response, f"{ws_base}/ws", nonce)

    @staticmethod
    def _secure(response: web.StreamResponse, ws: str, nonce: str = "") -> web.StreamResponse:
        """The page may load only from this server and talk only to it."""
        script = f"'self' 'nonce-{nonce}'" if nonce else "'none'"
        response.headers["Content-Security-Policy"] = (
            f"default-src 'none'; script-src {script}; style-src 'self' 'unsafe-inline'; "
            f"font-src 'self'; img-src 'self' data:; connect-src 'self' {ws}; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    # -- a tab's game ---------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        token = valid_token(request.cookies.get(COOKIE))
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_INPUT)
        await websocket.prepare(request)
        if token is None or not self._same_origin(request):
            await websocket.close(code=4001, message=b"open the game's page first")
            return websocket
        if len(self.live) >= self.max_sessions:
            await websocket.close(code=1013, message=b"the server is full")
            return websocket
        space = space_for(self.data_dir, token)
        space.create()
        service = _PlayerService(
            self.command,
            space,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        live = _Live(service, websocket, token)
        self.live[service.app_service_id] = live
        try:
            width = _size(request.query.get("width"), 80)
            height = _size(request.query.get("height"), 24)
            await service.start(width, height)
            await self._relay(live)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:  # one tab's trouble must not stop the server
            log.exception("a game session failed")
        finally:
            self.live.pop(service.app_service_id, None)
            await service.stop()
        return websocket

    def _same_origin(self, request: web.Request) -> bool:
        """A page from another site may not open games here (cross-site WebSocket use)."""
        origin = request.headers.get("Origin")
        if origin is None:
            return True  # not a browser page (browsers always send it for WebSockets)
        return origin.rstrip("/") in (self._base_url(request), self.public_url.rstrip("/"))

    async def _relay(self, live: _Live) -> None:
        """What the browser sends, to the game; anything malformed is ignored."""
        service = live.service
        async for message in live.websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            live.last = time.monotonic()
            if kind == "stdin" and isinstance(data, str):
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await service.set_terminal_size(
                    _size(data.get("width"), 80), _size(data.get("height"), 24)
                )
            elif kind == "ping" and isinstance(data, str) and len(data) < 64:
                await live.websocket.send_json(["pong", data])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    async def _close_idle(self) -> None:
        """Close tabs nobody has touched for ``idle_seconds``; their autosaves stay."""
        while True:
            await asyncio.sleep(max(0.5, min(30.0, self.idle_seconds / 4)))
            now = time.monotonic()
            for live in list(self.live.values()):
                if now - live.last > self.idle_seconds:
                    with contextlib.suppress(Exception):
                        await live.websocket.close(code=1000, message=b"closed after idling")


def _size(value: object, default: int) -> int:
    """A terminal dimension from the browser, kept within sane bounds."""
    try:
        n = int(str(value))
    except ValueError:
        return default
    return max(10, min(n, 500))
