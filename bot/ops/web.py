"""The HTTP side of a running bot, one ASGI app on uvicorn: the Telegram webhook (webhook mode),
/healthz and /metrics (both modes).

Webhook and standby: a standby answers the webhook with 503 and handles nothing. Behind nginx with
both instances as upstreams and `proxy_next_upstream http_503`, the request goes straight on to
the active instance; with one upstream Telegram itself retries a failed delivery a little later.
An update is answered 200 only after it has been handled (or after HANDLE_WAIT seconds, so Telegram
does not resend a slow one): a process killed mid-update leaves it to Telegram's retry, which the
new active instance takes.
"""

import asyncio
import contextlib
import hmac
import logging
import time
from urllib.parse import urlsplit

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

from bot.context import deps
from bot.ops import metrics

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HANDLE_WAIT = 25.0  # seconds; Telegram gives a webhook about a minute before it retries
TELEGRAM_CHECK_EVERY = 30.0  # getMe at most this often for /healthz


def webhook_path(url: str) -> str:
    return urlsplit(url).path or "/"


class OpsWeb:
    def __init__(self, app: Application, *, webhook: bool):
        self.app = app
        self.webhook = webhook
        self._telegram_checked = (0.0, False)
        self._started = time.monotonic()

    def asgi(self) -> Starlette:
        routes = [Route("/healthz", self.healthz), Route("/metrics", self.metrics)]
        settings = deps(self.app).settings
        if self.webhook:
            routes.append(Route(webhook_path(settings.webhook_url), self.telegram, methods=["POST"]))
        return Starlette(routes=routes)

    # --- webhook ----------------------------------------------------------------------------

    async def telegram(self, request: Request) -> Response:
        live = deps(self.app)
        expected = live.settings.webhook_secret.get_secret_value()
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), expected.encode()):
            log.warning("webhook request with a wrong or missing secret token from %s refused",
                        request.client.host if request.client else "?")
            return Response(status_code=403)
        if not live.role.active:
            return Response("standby", status_code=503)
        try:
            update = Update.de_json(await request.json(), self.app.bot)
        except Exception:
            return Response(status_code=400)
        processor = self.app.update_processor
        task = asyncio.ensure_future(processor.process_update(update, self.app.process_update(update)))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(task), timeout=HANDLE_WAIT)
        return Response(status_code=200)

    # --- health -------------------------------------------------------------------------------

    async def healthz(self, request: Request) -> Response:
        live = deps(self.app)
        db_ok = await self._db_ok()
        telegram_ok = await self._telegram_ok()
        lag, sweeps_ok = metrics.sweeps_behind(active=live.role.active, interval=live.settings.sweep_interval_seconds,
                                               since=max(live.role.changed_at, self._started))
        ok = db_ok and telegram_ok and sweeps_ok
        body = {
            "status": "ok" if ok else "fail",
            "role": live.role.name,
            "database": db_ok,
            "telegram": telegram_ok,
            "sweeps": sweeps_ok,
            "sweep_lag_seconds": None if lag is None else round(lag, 1),
        }
        return JSONResponse(body, status_code=200 if ok else 503)

    async def _db_ok(self) -> bool:
        from sqlalchemy import text

        def ping(session):
            session.exec(text("SELECT 1"))
            return True

        try:
            return await asyncio.wait_for(deps(self.app).db.read(ping), timeout=5)
        except Exception:
            return False

    async def _telegram_ok(self) -> bool:
        checked_at, ok = self._telegram_checked
        if time.monotonic() - checked_at < TELEGRAM_CHECK_EVERY and checked_at:
            return ok
        try:
            await asyncio.wait_for(self.app.bot.get_me(read_timeout=5, connect_timeout=5), timeout=6)
            ok = True
        except Exception:
            ok = False
        self._telegram_checked = (time.monotonic(), ok)
        return ok

    # --- metrics ------------------------------------------------------------------------------

    async def metrics(self, request: Request) -> Response:
        live = deps(self.app)
        try:
            state = await asyncio.wait_for(live.db.read(metrics.stored_state, now=live.clock.now()), timeout=5)
        except Exception:
            state = None
        body = metrics.render(stored=state, active=live.role.active, sweep_lag=metrics.seconds_since_sweep())
        return Response(body, media_type="text/plain; version=0.0.4; charset=utf-8")


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self):
        yield  # the bot's run loop handles SIGINT/SIGTERM


async def start_server(asgi, host: str, port: int) -> tuple[uvicorn.Server, asyncio.Task]:
    """uvicorn in this event loop; raises OSError if the port cannot be bound."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    config = uvicorn.Config(asgi, log_level="warning", access_log=False, lifespan="off")
    server = _Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]), name="ops-web")
    while not server.started and not task.done():
        await asyncio.sleep(0.02)
    if task.done():
        task.result()
    return server, task
