"""Benchmark: what a 传达's 已阅 and its status view cost as the outbox grows.

    python bench/bench_announce.py [--recipients 200] [--outbox 100000] [--runs 5] [--pg URL]

Each run: a fresh database, a staff member sends a 传达 to --recipients grid workers; then every
recipient presses 已阅 (one unit of work each, as the bot runs it: the read recorded and the sender's
status edit queued) and the sender opens 查看阅读情况 as often. Once with only the 传达's own outbox rows
(the baseline, same run), once with --outbox more rows already sent (other 传达's copies, reminders,
case notices), as after a few years of use. Prints ms per press and per status view, medians of --runs
runs, and the ratio full/empty: the outbox's size should not show.
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchdb import each_on_a_fresh_database  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from bot.db import Database, make_engine  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from bot.services import announcements, people  # noqa: E402
from models import AnnouncementKind, Outbox, OutboxStatus, Role  # noqa: E402

NOW = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)


def old_rows(n: int) -> list[dict]:
    """Rows already sent, with the keys the bot writes: earlier 传达's copies sort right beside this one's."""
    shapes = ("announce{i}:p{j}", "rem:{i}:1:2026-11-02:p{j}", "urg:{i}:l{j}", "new:{i}:p{j}", "annstatus{i}")
    return [dict(key=shapes[i % len(shapes)].format(i=i + 1000, j=i % 97), chat_id=10_000 + i % 97,
                 person_id=None, text="已发出的通知", status=OutboxStatus.sent, attempts=1, urgent=False,
                 protect=False, next_attempt_at=NOW - timedelta(days=30), created_at=NOW - timedelta(days=30),
                 sent_at=NOW - timedelta(days=30), tg_message_id=i) for i in range(n)]


def one_run(url: str, recipients: int, outbox_rows: int) -> tuple[float, float]:
    """(ms per 已阅, ms per status view)."""
    upgrade(make_engine(url))
    db = Database(make_engine(url))
    try:
        with db.session() as s:
            rows = old_rows(outbox_rows)
            for start in range(0, len(rows), 10_000):
                s.execute(insert(Outbox), rows[start:start + 10_000])
            sender = people.create_person(s, name="孙丽", phone=None, roles={Role.staff}, now=NOW, telegram_id=1)
            ids = [people.create_person(s, name=f"网格员{n}", phone=None, roles={Role.grid}, now=NOW,
                                        telegram_id=100 + n).id for n in range(recipients)]
            sender_id = sender.id
        if outbox_rows and db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("ANALYZE outbox")  # as autovacuum would have after years of use
        announcement, _ = db.call(announcements.send, sender_id=sender_id, kind=AnnouncementKind.deployment,
                                  text="关于开展矛盾纠纷排查的通知", groups=["r-grid"], now=NOW)
        t0 = time.perf_counter()
        for n, person_id in enumerate(ids):
            db.call(announcements.mark_read, announcement_id=announcement.id, person_id=person_id,
                    now=NOW + timedelta(seconds=n))
        press = (time.perf_counter() - t0) / len(ids) * 1000
        t0 = time.perf_counter()
        for _ in ids:
            db.call(announcements.status, announcement_id=announcement.id, actor_id=sender_id, read_only=True)
        view = (time.perf_counter() - t0) / len(ids) * 1000
        return press, view
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=200)
    parser.add_argument("--outbox", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pg", default="", help="admin URL of a PostgreSQL server")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-announce-"))
    print(f"\n{args.recipients} recipients, medians of {args.runs} runs; ms per unit of work, one thread\n")
    print(f"{'db':<11}{'outbox rows':>12}{'已阅 ms':>10}{'status ms':>11}{'已阅 ÷empty':>13}{'status ÷empty':>15}")
    for kind in ["sqlite", *(["postgresql"] if args.pg else [])]:
        results = {}
        for rows in (0, args.outbox):
            runs = each_on_a_fresh_database(kind, args.pg, workdir, "announce", args.runs,
                                            lambda url, rows=rows: one_run(url, args.recipients, rows))
            results[rows] = tuple(statistics.median(r[i] for r in runs) for i in (0, 1))
        for rows, (press, view) in results.items():
            empty = results[0]
            print(f"{kind:<11}{rows:>12,}{press:>10.2f}{view:>11.2f}{press / empty[0]:>13.2f}{view / empty[1]:>15.2f}")


if __name__ == "__main__":
    main()
