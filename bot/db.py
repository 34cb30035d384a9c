"""Engine and unit of work.

Handlers call `await db.run(service_fn, **plain_values)`: the service runs in a worker thread
inside ONE transaction (state change, audit event, outbox rows commit together or not at all),
and the event loop never waits on the database.
"""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session

from bot.config import sqlite_path
from bot.services.reference import MEMOS, Memos

T = TypeVar("T")
READ_ONLY = "read_only"  # execution option of Database.read's connections


def normalize_url(url: str) -> str:
    """Accept the plain forms people write and pick our drivers (psycopg 3 for PostgreSQL)."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def make_engine(url: str, *, echo: bool = False) -> Engine:
    url = normalize_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})
        _tune_sqlite(engine)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=10)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (see _on_begin).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # IMMEDIATE takes the write lock up front: a deferred transaction that reads and then
        # writes can fail with SQLITE_BUSY at once instead of waiting, e.g. two staff pressing
        # 受理 on the same case at the same moment. A unit of work that only reads (Database.read)
        # needs no lock and must not queue behind the writers.
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")


class Database:
    def __init__(self, engine: Engine, *, workers: int = 8):
        self.engine = engine
        self._reader = engine.execution_options(**{READ_ONLY: True})
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="db")
        self.memos = Memos()  # this database's reference data in memory (bot/services/reference.py)

    @contextmanager
    def session(self, *, read_only: bool = False):
        """One transaction: commit on success, roll back on any error."""
        bind = self._reader if read_only else self.engine
        with Session(bind, expire_on_commit=False, info={MEMOS: self.memos}) as session, session.begin():
            yield session

    def call(self, fn: Callable[..., T], /, *, read_only: bool = False, **kwargs) -> T:
        with self.session(read_only=read_only) as session:
            return fn(session=session, **kwargs)

    async def run(self, fn: Callable[..., T], /, **kwargs) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, lambda: self.call(fn, **kwargs))

    async def read(self, fn: Callable[..., T], /, **kwargs) -> T:
        """A unit of work that only reads: on SQLite it takes no write lock (a plain BEGIN)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, lambda: self.call(fn, read_only=True, **kwargs))

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self.engine.dispose()
