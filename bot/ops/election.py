"""Which instance is active: takes the updates and runs the sweeps. Every instance sends the outbox.

PostgreSQL: the instance that holds a session advisory lock on a dedicated connection is active.
The lock lives exactly as long as that connection, so PostgreSQL itself decides, with no clock or
lease of ours: a process that dies (even SIGKILL) closes its socket and the lock is free at once; a
machine that vanishes is noticed by TCP keepalives on both sides. Standbys try the lock every few
seconds. The active instance watches its connection's socket (a server-side close is seen at once)
and pings it every `check_seconds`, standing down at the first failed or slow ping, before the server (keepalive ~`SERVER_KEEPALIVE` s) can give the lock
to someone else: it stops taking updates and sweeps before another instance may start (no split
brain).

SQLite: one instance only. An exclusive lock on a file next to the database keeps a second
process out; the kernel drops it when the process ends, however it ends.
"""

import asyncio
import contextlib
import fcntl
import logging
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.db import normalize_url
from bot.texts import ops as texts

log = logging.getLogger(__name__)

# Any 64-bit number; fixed, so every instance of this bot on one database contends for the same lock.
LOCK_KEY = 0x7A6F6E677A6869  # "zongzhi"
# The server gives up on a silent client after idle + interval * count seconds (5 + 2 * 3 = 11 s),
# longer than the client's own check (ping every 2 s, 2 s to answer), so the old leader has always
# stood down before the lock can move.
SERVER_KEEPALIVE = {"tcp_keepalives_idle": 5, "tcp_keepalives_interval": 2, "tcp_keepalives_count": 3,
                    "tcp_user_timeout": 11000}


class Role:
    """This instance's part. `active` is read by the sweeps and the webhook before each piece of work."""

    def __init__(self, active: bool = False):
        self.active = active
        self.changed_at = time.monotonic()

    @property
    def name(self) -> str:
        return "active" if self.active else "standby"

    def set(self, active: bool) -> None:
        if active != self.active:
            self.active = active
            self.changed_at = time.monotonic()


def always_active() -> Role:
    """A single instance (SQLite, tests in one process): always active."""
    return Role(active=True)


def libpq_conninfo(url: str) -> str:
    """The DATABASE_URL as libpq understands it (no SQLAlchemy driver suffix)."""
    return make_url(normalize_url(url)).set(drivername="postgresql").render_as_string(hide_password=False)


class Election:
    """Contends for the advisory lock until stopped; calls `on_promote` / `on_demote` on changes."""

    def __init__(
        self,
        url: str,
        role: Role,
        *,
        on_promote: Callable[[], Awaitable[None]],
        on_demote: Callable[[], Awaitable[None]],
        retry_seconds: float = 3.0,
        check_seconds: float = 2.0,
        grace_seconds: float = 1.0,
        key: int = LOCK_KEY,
    ):
        self.conninfo = libpq_conninfo(url)
        self.role = role
        self.on_promote = on_promote
        self.on_demote = on_demote
        self.retry_seconds = retry_seconds
        self.check_seconds = check_seconds
        self.grace_seconds = grace_seconds
        self.key = key
        self._stop = asyncio.Event()
        self._conn = None

    async def run(self) -> None:
        announced_standby = False
        while not self._stop.is_set():
            try:
                self._conn = await asyncio.wait_for(self._connect(), timeout=10)
                while not self._stop.is_set():
                    if not self.role.active:
                        if await self._ask(f"SELECT pg_try_advisory_lock({int(self.key)})"):
                            # A lock freed by the server killing the old leader's connection reaches
                            # the old leader as an EOF at the same moment: give it that moment.
                            await self._watch(self.grace_seconds)
                            if not self._stop.is_set():
                                await self._promote()
                            continue
                        if not announced_standby:
                            log.info(texts.ROLE_STANDBY)
                            announced_standby = True
                        await self._sleep(self.retry_seconds)
                    else:
                        await self._watch(self.check_seconds)
                        if not self._stop.is_set():
                            await self._ask("SELECT 1")  # a silent network is noticed here
            except Exception as exc:  # connection refused, lost, or too slow: no lock held any more
                if self.role.active:
                    log.error("%s (%r)", texts.ROLE_LOST, exc)
                    await self._demote()
                    announced_standby = False
                else:
                    log.warning("election: database unreachable (%r); retrying", exc)
                await self._close()
                await self._sleep(self.retry_seconds)
        await self._demote()
        await self._close()  # releases the lock: a standby takes over within its retry interval

    def stop(self) -> None:
        self._stop.set()

    async def _connect(self):
        import psycopg

        options = " ".join(f"-c {k}={v}" for k, v in SERVER_KEEPALIVE.items())
        return await psycopg.AsyncConnection.connect(
            self.conninfo, autocommit=True, application_name="zongzhi-bot election", connect_timeout=5,
            keepalives=1, keepalives_idle=5, keepalives_interval=2, keepalives_count=2, options=options,
        )

    async def _ask(self, sql: str):
        async def query():
            cur = await self._conn.execute(sql)
            return (await cur.fetchone())[0]

        return await asyncio.wait_for(query(), timeout=self.check_seconds)

    async def _promote(self) -> None:
        self.role.set(True)
        log.warning(texts.ROLE_ACTIVE)
        try:
            await self.on_promote()
        except Exception:
            # e.g. Telegram unreachable: an active instance that takes no updates would block the
            # others, so give the lock back (the caller closes the connection) and try again later.
            log.exception("starting the active role failed; giving the lead back")
            await self._demote()
            raise

    async def _demote(self) -> None:
        if not self.role.active:
            return
        self.role.set(False)  # first: sweeps and the webhook check it before each piece of work
        try:
            await self.on_demote()
        except Exception:
            log.exception("stopping the active role failed")

    async def _close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.close(), timeout=2)

    async def _watch(self, seconds: float) -> None:
        """Wait on the connection's socket: a connection the server closes (backend killed, server
        shut down) raises here at once, not at the next ping."""
        stop = asyncio.ensure_future(self._stop.wait())
        try:
            async def drain():
                async for _ in self._conn.notifies(timeout=seconds):
                    pass

            listen = asyncio.ensure_future(drain())
            done, _ = await asyncio.wait({stop, listen}, return_when=asyncio.FIRST_COMPLETED)
            if listen in done:
                listen.result()
            else:
                listen.cancel()
                with contextlib.suppress(BaseException):
                    await listen
        finally:
            stop.cancel()

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), timeout=seconds)


class SqliteInUse(Exception):
    """Another process holds the SQLite database."""


class SqliteGuard:
    """An exclusive lock on `<database>.lock` for the life of the process."""

    def __init__(self, db_path: Path):
        self.db_path = db_path
        self.lock_path = db_path.with_name(db_path.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise SqliteInUse(texts.SQLITE_IN_USE.format(path=self.db_path, lock=self.lock_path)) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
                os.close(self._fd)
            self._fd = None
