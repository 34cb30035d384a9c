"""`run_bot.py backup` and `restore` (issue 18): a backup taken while a burst is being written is a
consistent snapshot holding everything committed before it began; restored into a fresh database it
gives back every case and every outbox row."""

import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import select

from bot.db import Database, make_engine, normalize_url
from bot.services import cases, outbox
from models import Case, Outbox
from tests.bot.steps import ROOT
from tests.factories import Township

PG_ADMIN = os.environ.get("TEST_DATABASE_URL", "")


def _cli(db_url: str, *args: str, cwd: Path, stdin: str | None = None, env_extra: dict | None = None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(TELEGRAM_BOT_TOKEN="123456:TEST-TOKEN", DATABASE_URL=db_url, **(env_extra or {}))
    return subprocess.run([sys.executable, str(ROOT / "run_bot.py"), *args], cwd=cwd, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def fresh_url(tmp_path):
    """An empty database to restore into."""
    if not PG_ADMIN:
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    name = f"r_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalize_url(PG_ADMIN), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield normalize_url(PG_ADMIN).rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


class Writer(threading.Thread):
    """A burst: each transaction reports a case and queues an outbox row marked with the same number."""

    def __init__(self, town: Township):
        super().__init__(daemon=True)
        self.town = town
        self.committed = 0
        self.stop = threading.Event()

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            with self.town.db.session() as s:
                cases.submit(s, actor_id=self.town.grid_worker, draft=self.town.draft(description=f"写入第{n}件"),
                             now=self.town.clock.now())
                outbox.enqueue(s, chat_id=999, text=f"写入第{n}件", key=f"w:{n}", now=self.town.clock.now())
            n += 1
            self.committed = n


def _contents(url: str) -> tuple[set, set]:
    db = Database(make_engine(url))
    with db.session() as s:
        found = ({(c.id, c.number, c.description) for c in s.exec(select(Case))},
                 {(o.id, o.key, o.status, o.text) for o in s.exec(select(Outbox))})
    db.close()
    return found


def _marks(url: str) -> tuple[set[str], set[str]]:
    kases, rows = _contents(url)
    return ({d for _, _, d in kases if d.startswith("写入")}, {t for _, k, _, t in rows if k.startswith("w:")})


async def test_backup_during_a_burst_and_restore_into_a_fresh_database(db, db_url, clock, tmp_path, fresh_url):
    town = Township.build(db, clock)
    writer = Writer(town)
    writer.start()
    try:
        while writer.committed < 20:
            writer.join(0.05)
        before = writer.committed
        during = _cli(db_url, "backup", str(tmp_path / "during.bak"), cwd=tmp_path)
        after = writer.committed
    finally:
        writer.stop.set()
        writer.join()
    assert during.returncode == 0, during.stderr
    assert "备份完成" in during.stdout
    restored = _cli(fresh_url, "restore", str(tmp_path / "during.bak"), "--yes", cwd=tmp_path)
    assert restored.returncode == 0, restored.stderr
    cases_in, rows_in = _marks(fresh_url)
    assert cases_in == rows_in  # each transaction entirely in the backup or entirely not
    assert {f"写入第{n}件" for n in range(before)} <= cases_in  # all committed before the backup began
    assert len(cases_in) <= after

    # Quiet now: a second backup restored over the first gives back exactly every case and outbox row.
    assert _cli(db_url, "backup", str(tmp_path / "quiet.bak"), cwd=tmp_path).returncode == 0
    again = _cli(fresh_url, "restore", str(tmp_path / "quiet.bak"), "--yes", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert _contents(fresh_url) == _contents(db_url)
    assert len(_contents(db_url)[0]) == writer.committed
    migrate = _cli(fresh_url, "migrate", cwd=tmp_path)  # the restored database is the current schema
    assert migrate.returncode == 0 and "已是最新" in migrate.stdout, migrate.stderr


def test_restore_asks_first_and_a_no_changes_nothing(db, db_url, clock, tmp_path, fresh_url):
    Township.build(db, clock)
    assert _cli(db_url, "backup", str(tmp_path / "b.bak"), cwd=tmp_path).returncode == 0
    no = _cli(fresh_url, "restore", str(tmp_path / "b.bak"), cwd=tmp_path, stdin="no\n")
    assert no.returncode == 1 and "已取消" in no.stdout and "输入 yes 确认" in no.stdout
    silent = _cli(fresh_url, "restore", str(tmp_path / "b.bak"), cwd=tmp_path, stdin="")
    assert silent.returncode == 2 and "--yes" in silent.stderr
    engine = make_engine(fresh_url)
    with engine.connect() as conn:  # still empty: no table was created
        tables = conn.execute(text(
            "SELECT name FROM sqlite_master WHERE type='table'" if fresh_url.startswith("sqlite")
            else "SELECT tablename FROM pg_tables WHERE schemaname='public'")).all()
    engine.dispose()
    assert tables == []
    yes = _cli(fresh_url, "restore", str(tmp_path / "b.bak"), cwd=tmp_path, stdin="yes\n")
    assert yes.returncode == 0 and "恢复完成" in yes.stdout, yes.stderr
    wrong = _cli(fresh_url, "restore", str(tmp_path / "missing.bak"), "--yes", cwd=tmp_path)
    assert wrong.returncode == 1 and "找不到备份文件" in wrong.stderr


def test_backup_without_pg_dump_says_what_to_install(db_url, tmp_path):
    if db_url.startswith("sqlite"):
        pytest.skip("pg_dump is for PostgreSQL")
    result = _cli(db_url, "backup", str(tmp_path / "x.dump"), cwd=tmp_path, env_extra={"PATH": str(tmp_path)})
    assert result.returncode == 1
    assert "找不到 pg_dump" in result.stderr and "postgresql-client" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "x.dump").exists()
