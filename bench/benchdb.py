"""A throwaway database for a benchmark: a new SQLite file, or a new database on a PostgreSQL server
(given its admin URL), and its removal afterwards."""

import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from bot.db import normalize_url


def database(kind: str, pg_admin: str, workdir: Path, prefix: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir / f'{prefix}-{uuid.uuid4().hex[:6]}.db'}"
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalize_url(pg_admin), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return normalize_url(pg_admin).rsplit("/", 1)[0] + "/" + name


def drop(url: str, pg_admin: str) -> None:
    if url.startswith("sqlite"):
        Path(url.split(":///", 1)[1]).unlink(missing_ok=True)
        return
    admin = create_engine(normalize_url(pg_admin), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()


def each_on_a_fresh_database(kind: str, pg_admin: str, workdir: Path, prefix: str, runs: int, run):
    """`run(url)` `runs` times, each on a database of its own, dropped afterwards; the results."""
    results = []
    for _ in range(runs):
        url = database(kind, pg_admin, workdir, prefix)
        try:
            results.append(run(url))
        finally:
            drop(url, pg_admin)
    return results
