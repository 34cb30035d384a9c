"""The sandbox's web app: the chat page (plain HTML/CSS/JS, no build step, nothing from the
internet), the sandbox's own API (state, clock, reset), and the emulator mounted underneath it
(the Bot API the bot polls, and the people's side the page talks to)."""

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    from bot.sandbox.runner import Sandbox

STATIC = Path(__file__).resolve().parent / "static"
# The page runs only its own files: no inline script, nothing from elsewhere (and no internet).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def allowed_hosts(host: str, port: int, lan: Iterable[str] = ()) -> frozenset[str]:
    """Host headers the sandbox answers: loopback names, the configured host and, listening on all
    addresses, this computer's own network addresses, with the port."""
    names = {*LOOPBACK_NAMES, f"[{host}]" if ":" in host else host, *lan}
    hosts = {f"{name}:{port}" for name in names}
    if port == 80:  # browsers leave the default port out
        hosts |= names
    return frozenset(h.lower() for h in hosts)


class _Guard:
    """Security headers on every answer; only the sandbox's own host names (a DNS-rebinding page
    arrives with its own name in Host and could otherwise act as any person); and no
    state-changing request from another site's page (a POST carrying a foreign Origin): the
    sandbox listens on loopback, but a browser visits both."""

    def __init__(self, app: ASGIApp, hosts: Callable[[], frozenset[str]]):
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        if headers.get("host", "").lower() not in self.hosts():
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            await JSONResponse({"ok": False, "error": "请用 http://127.0.0.1 或 localhost 打开沙盒"},
                               status_code=403)(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origin = headers.get("origin")
        if scope["method"] not in ("GET", "HEAD") and origin and origin != f"http://{headers.get('host', '')}":
            await JSONResponse({"ok": False, "error": "跨站请求被拒绝"}, status_code=403)(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                    (b"content-security-policy", CSP.encode()),
                ]
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in extra if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_web_app(sandbox: "Sandbox") -> Starlette:
    async def index(request: Request) -> Response:
        return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    async def state(request: Request) -> Response:
        return JSONResponse({**sandbox.state(), "titles": await sandbox.titles()})

    async def clock(request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            body = None
        action = body.get("action") if isinstance(body, dict) else None
        if action not in ("hour", "workday", "morning"):
            return JSONResponse({"ok": False, "error": "未知的时间操作"}, status_code=400)
        if sandbox.app is None:
            return JSONResponse({"ok": False, "error": "沙盒正在重置，请稍候"}, status_code=503)
        await sandbox.advance(action)
        return JSONResponse(sandbox.state())

    async def reset(request: Request) -> Response:
        if request.headers.get("content-type", "").split(";")[0] != "application/json":
            return JSONResponse({"ok": False, "error": "请从页面上的按钮重置"}, status_code=415)
        await sandbox.reset()
        return JSONResponse(sandbox.state())

    return Starlette(
        routes=[
            Route("/", index, methods=["GET"]),
            Route("/sandbox/api/state", state, methods=["GET"]),
            Route("/sandbox/api/clock", clock, methods=["POST"]),
            Route("/sandbox/api/reset", reset, methods=["POST"]),
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
            Mount("/", app=sandbox.emu.asgi),
        ],
        middleware=[Middleware(_Guard, hosts=lambda: allowed_hosts(
            sandbox.options.host, sandbox.server.port if sandbox.server else sandbox.options.port,
            sandbox.lan_addresses))],
    )
