"""The bot as a long-running service: PTB's Application driven by hand instead of run_polling, so
that taking updates (polling, or answering the webhook) and the sweeps follow this instance's role.

Start: initialize, start (job queue: the outbox sender runs on every instance), the HTTP side
(webhook / health / metrics), then the election (PostgreSQL) or active at once (SQLite). Becoming
active starts polling (or registers the webhook) and runs the sweeps at once; losing the lead stops
polling before anything else. SIGINT/SIGTERM stop cleanly: the lock is released for a standby.
"""

import asyncio
import contextlib
import gc
import logging
import signal

from telegram.ext import Application

from bot.config import Settings
from bot.context import deps
from bot.ops import web
from bot.ops.election import Election, Role
from bot.sweeps import run_sweeps
from bot.texts import ops as texts

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "callback_query", "edited_message"]


class Service:
    def __init__(self, app: Application, settings: Settings):
        self.app = app
        self.settings = settings
        self.webhook = bool(settings.webhook_url)
        self.postgres = not settings.database_url.startswith("sqlite")
        self._stop = asyncio.Event()

    async def run(self) -> None:
        app = self.app
        live = deps(app)
        live.role = Role(active=not self.postgres)
        await app.initialize()  # getMe: a wrong token or an unreachable API raises here
        if app.post_init:
            await app.post_init(app)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self._stop.set)
        server = None
        election = None
        try:
            await app.start()
            server = await self._start_web()
            # What start-up made (modules, mappers, handlers: some 250 000 objects) lives as long as the
            # process; frozen, the collector's full collections stop walking it (~0.1 s each).
            gc.collect()
            gc.freeze()
            mode = texts.MODE_WEBHOOK.format(url=self.settings.webhook_url) if self.webhook else texts.MODE_POLLING
            log.info(texts.STARTED.format(mode=mode))
            if self.postgres:
                election = Election(self.settings.database_url, live.role, on_promote=self._promote,
                                    on_demote=self._demote, retry_seconds=self.settings.election_retry_seconds)
                election_task = asyncio.create_task(election.run(), name="election")
                await self._stop.wait()
                election.stop()
                await election_task
            else:
                await self._promote()
                await self._stop.wait()
                await self._demote()
        finally:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)
            if election is not None and live.role.active:
                await self._demote()
            if server is not None:
                srv, task = server
                srv.should_exit = True
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(task, timeout=5)
            if app.updater and app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
                if app.post_stop:
                    await app.post_stop(app)
            await app.shutdown()
            if app.post_shutdown:
                await app.post_shutdown(app)

    def stop(self) -> None:
        self._stop.set()

    async def _start_web(self):
        if self.webhook:
            host, port = self.settings.webhook_listen, self.settings.webhook_port
        elif self.settings.metrics_port:
            host, port = self.settings.metrics_listen, self.settings.metrics_port
        else:
            return None
        asgi = web.OpsWeb(self.app, webhook=self.webhook).asgi()
        try:
            server = await web.start_server(asgi, host, port)
        except OSError as exc:
            raise PortBusy(texts.WEB_PORT_BUSY.format(host=host, port=port, error=exc)) from exc
        log.info(texts.WEB_LISTENING.format(host=host, port=port))
        return server

    async def _promote(self) -> None:
        if self.webhook:
            # Every promotion registers again (same URL and secret: harmless), so the webhook points
            # here even if someone deleted it while this instance was standby.
            await self.app.bot.set_webhook(
                self.settings.webhook_url, secret_token=self.settings.webhook_secret.get_secret_value(),
                allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False,
            )
        else:
            await self.app.updater.start_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
        if self.settings.sweep_interval_seconds:
            # The timers at once: whatever fell due while no instance was active goes out now.
            self.app.job_queue.run_once(run_sweeps, when=0.1, name="sweeps-on-promotion")

    async def _demote(self) -> None:
        # Role.active is already False (the election sets it first), so the sweeps and the webhook
        # refuse work; polling stops here. The webhook stays registered: it is the same URL for all.
        if self.app.updater and self.app.updater.running:
            await self.app.updater.stop()


class PortBusy(Exception):
    """The HTTP side cannot listen on its port."""
