"""Shared fixtures: a fresh, migrated database per test on SQLite or PostgreSQL.

Set TEST_DATABASE_URL=postgresql://user@host/postgres to run the whole suite on PostgreSQL
(.ci/run does); each test then gets its own database cloned from a migrated template.
"""

import os
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text

from bot.clock import FrozenClock
from bot.db import Database, make_engine, normalize_url
from bot.migrate import upgrade
from tests.factories import Township

PG_ADMIN_URL = os.environ.get("TEST_DATABASE_URL", "")
# One template per test session, so parallel runs against the same server do not collide.
TEMPLATE_DB = f"zongzhi_tpl_{uuid.uuid4().hex[:8]}"


def _pg_admin():
    return create_engine(normalize_url(PG_ADMIN_URL), isolation_level="AUTOCOMMIT")


def pytest_collection_modifyitems(config, items):
    """On the PostgreSQL pass, the tests of the running sandbox (the `sandbox` fixture) are left out:
    the sandbox always runs on its own SQLite file, so they would repeat the SQLite pass exactly.
    The sandbox tests that build the demo town on the test database (`db`) still run."""
    if not PG_ADMIN_URL:
        return
    kept, same = [], []
    for item in items:
        (same if "sandbox" in getattr(item, "fixturenames", ()) else kept).append(item)
    if same:
        config.hook.pytest_deselected(items=same)
        items[:] = kept


def pytest_terminal_summary(terminalreporter):
    """Say so at the end: with xdist the workers deselect, and the summary line does not count them."""
    if PG_ADMIN_URL:
        terminalreporter.write_line("PostgreSQL run: the tests of the running sandbox were left out (deselected); "
                                    "they run on the sandbox's own SQLite file, in the SQLite run")


def _pg_url(name: str) -> str:
    base = normalize_url(PG_ADMIN_URL)
    return base.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="session")
def _template(tmp_path_factory) -> Iterator[str]:
    """Migrate once per session; every test copies the result (fast, and tests the migrations)."""
    if PG_ADMIN_URL:
        admin = _pg_admin()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{TEMPLATE_DB}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{TEMPLATE_DB}"'))
        engine = make_engine(_pg_url(TEMPLATE_DB))
        upgrade(engine)
        engine.dispose()
        yield TEMPLATE_DB
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{TEMPLATE_DB}" WITH (FORCE)'))
        admin.dispose()
        return
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    yield str(path)


@pytest.fixture
def db_url(_template, tmp_path) -> Iterator[str]:
    if PG_ADMIN_URL:
        name = f"t_{uuid.uuid4().hex[:12]}"
        admin = _pg_admin()
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{_template}"'))
        yield _pg_url(name)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        path = tmp_path / "test.db"
        shutil.copy(_template, path)
        yield f"sqlite:///{path}"


@pytest.fixture
def db(db_url) -> Iterator[Database]:
    database = Database(make_engine(db_url))
    yield database
    database.close()


@pytest.fixture
def clock() -> FrozenClock:
    # A Monday morning in Asia/Shanghai office hours (2026-11-30 09:00 +08:00).
    return FrozenClock(datetime(2026, 11, 30, 1, 0, tzinfo=UTC))


@pytest.fixture
def town(db, clock) -> Township:
    """东山村 with every role (tests/factories.py); bot tests build theirs on the bot's database."""
    return Township.build(db, clock)
