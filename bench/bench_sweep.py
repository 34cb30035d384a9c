"""Benchmark: the cost of one reminder sweep as the case table grows (10k → 100k → 1M rows).

The sweep reads only cases whose next_reminder_at is due, through its index, so its cost should
stay nearly flat. Each size holds mostly closed cases, some running ones not yet due, and the same
100 cases due now. Every timed sweep runs in a transaction that is rolled back, so each run does
the same work. Median of --runs runs; the ratio is against the smallest table in the same run.

    python bench/bench_sweep.py [--sizes 10000,100000,1000000] [--runs 5] [--pg URL]
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

from benchdb import database, drop  # noqa: E402
from sqlalchemy import event, insert, text  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from bot.db import make_engine  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from bot.services import people, places, reminders  # noqa: E402
from bot.services.deadlines import DeadlinePolicy  # noqa: E402
from models import Case, CaseType, Role  # noqa: E402

DUE_NOW = 100
NOW = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)  # Friday 10:00 in Shanghai: working time
POLICY = DeadlinePolicy()


def seed(engine, size: int) -> None:
    upgrade(engine)
    with Session(engine) as s:
        village = places.create_village(s, actor_id=None, name="东山村", now=NOW)
        handler = people.create_person(s, name="孙丽", phone=None, roles={Role.staff}, telegram_id=1, now=NOW)
        people.create_person(s, name="王主任", phone=None, roles={Role.director}, telegram_id=2, now=NOW)
        type_id = s.exec(select(CaseType.id)).first()
        s.commit()
        handler_id, village_id = handler.id, village.id
    start = NOW - timedelta(days=3)
    due = NOW - timedelta(days=1)  # overdue: the ladder pings handler and director
    with engine.begin() as conn:
        batch = []
        for i in range(1, size + 1):
            if i <= DUE_NOW:
                state, nxt, due_at = "in_progress", NOW - timedelta(minutes=1), due
            elif i % 20 == 0:
                state, nxt, due_at = "in_progress", NOW + timedelta(days=2), NOW + timedelta(days=3)
            else:
                state, nxt, due_at = "archived", None, start
            batch.append(dict(
                number=f"2026-{i:07d}", type_id=type_id, severity="general", urgent=False, source="grid",
                status=state, confidential=False, village_id=village_id, description=f"事项 {i}",
                reporter_id=handler_id, handler_id=handler_id, created_at=start, updated_at=start,
                accepted_at=start, clock_started_at=start, due_at=due_at, yellow_at=start + timedelta(days=1),
                due_provisional=False, digest_pending=False, next_reminder_at=nxt,
                yellow_sent_at=start, due_day_sent_at=start,
            ))
            if len(batch) == 10_000:
                conn.execute(insert(Case), batch)
                batch = []
        if batch:
            conn.execute(insert(Case), batch)
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))


def timed_sweep(engine) -> tuple[float, int, int]:
    """(seconds, reminders queued, SQL statements) of one sweep, rolled back."""
    statements = []
    count = lambda *a, **k: statements.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", count)
    try:
        with Session(engine) as s:
            t0 = time.perf_counter()
            result = reminders.sweep(s, now=NOW, policy=POLICY, limit=500)
            elapsed = time.perf_counter() - t0
            s.rollback()  # the same work again next run
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return elapsed, result.reminders, len(statements)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pg", default="", help="admin URL of a PostgreSQL server")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    workdir = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    print(f"one reminder sweep, {DUE_NOW} cases due, median of {args.runs} runs (rolled back each time)\n")
    print(f"{'db':<11}{'cases':>10}{'sweep ms':>10}{'vs smallest':>13}{'reminders':>11}{'ms/reminder':>12}"
          f"{'SQL/due case':>13}{'empty sweep ms':>16}")
    for kind in ["sqlite", *(["postgresql"] if args.pg else [])]:
        base = None
        for size in sizes:
            url = database(kind, args.pg, workdir, "sweep")
            engine = make_engine(url)
            seed(engine, size)
            timed_sweep(engine)  # warm the caches once
            runs = [timed_sweep(engine) for _ in range(args.runs)]
            ms = statistics.median(r[0] for r in runs) * 1000
            pings, statements = runs[0][1], runs[0][2]
            with Session(engine) as s:  # nothing due: the cost when the sweep finds no work
                for case in s.exec(select(Case).where(Case.next_reminder_at <= NOW)):
                    case.next_reminder_at = NOW + timedelta(days=1)
                    s.add(case)
                s.commit()
            empty = statistics.median(timed_sweep(engine)[0] for _ in range(args.runs)) * 1000
            base = base or ms
            print(f"{kind:<11}{size:>10,}{ms:>10.1f}{ms / base:>13.2f}{pings:>11}{ms / max(pings, 1):>12.2f}"
                  f"{statements / DUE_NOW:>13.1f}{empty:>16.2f}")
            engine.dispose()
            drop(url, args.pg)


if __name__ == "__main__":
    main()
