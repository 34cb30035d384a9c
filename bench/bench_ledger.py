"""Benchmark: a year's 矛盾纠纷排查化解台账 (/ledger) at 10 000 and 100 000 cases — time and peak memory.

The ledger streams: rows are read in keyset batches of plain columns and written by openpyxl's
write-only mode to a file, so memory should stay flat as the year grows. Each size is a fresh
database holding one year of cases (two parties each, the 受理 audit event, a 督办 every 50th case,
1 % confidential, 70 % 办结 with a result), exported for a center leader (visibility filter and
masking on). Each build runs in its own process, twice: once timed with its peak resident set
(ru_maxrss), once under tracemalloc for the peak of Python allocations; an empty ledger (a year
with no cases) gives the baseline. Median of --runs runs.

    python bench/bench_ledger.py [--sizes 10000,100000] [--db sqlite,postgresql] [--pg URL] [--runs 3]

--pg is a PostgreSQL admin URL (default: TEST_DATABASE_URL); a database is created and dropped per size.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchdb import database, drop  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from bot.db import make_engine  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from bot.services import ledgers, people, places  # noqa: E402
from bot.services.deadlines import CENTER_TZ  # noqa: E402
from models import AuditEvent, Case, CaseParty, CaseType, Outcome, Role, SupervisionNotice  # noqa: E402

YEAR = 2026
NOW = datetime(2027, 1, 4, 2, 0, tzinfo=UTC)  # the ledger of 2026, made early in January 2027
OUTCOMES = list(Outcome)


def seed(engine, size: int) -> int:
    """A year of `size` cases; returns the id of the leader who exports the ledger."""
    upgrade(engine)
    with Session(engine) as s:
        village = places.create_village(s, actor_id=None, name="东山村", now=NOW)
        grid = places.create_grid(s, actor_id=None, village_id=village.id, name="第一网格", now=NOW)
        unit = places.create_unit(s, actor_id=None, name="镇司法所", now=NOW)
        staff = [people.create_person(s, name=n, phone=None, roles={Role.staff}, telegram_id=10 + i, now=NOW).id
                 for i, n in enumerate(("孙丽", "周明", "李强"))]
        leader = people.create_person(s, name="刘领导", phone=None, roles={Role.leader}, telegram_id=1, now=NOW).id
        director = people.create_person(s, name="王主任", phone=None, roles={Role.director}, telegram_id=2, now=NOW).id
        type_ids = list(s.exec(select(CaseType.id)))
        s.commit()
        ids = dict(village=village.id, grid=grid.id, unit=unit.id)
    start = datetime(YEAR, 1, 1, tzinfo=CENTER_TZ).astimezone(UTC)
    step = timedelta(days=365) / size
    cases, parties, events, notices = [], [], [], []

    def flush(conn) -> None:
        for table, rows in ((Case, cases), (CaseParty, parties), (AuditEvent, events), (SupervisionNotice, notices)):
            if rows:
                conn.execute(insert(table), rows)
                rows.clear()

    with engine.begin() as conn:
        for i in range(1, size + 1):
            created = start + step * (i - 1)
            done = i % 10 < 7
            resolved = created + timedelta(days=3 + i % 9) if done else None
            cases.append(dict(
                id=i, number=f"{YEAR}-{i:06d}", type_id=type_ids[i % 15], severity="general", urgent=i % 97 == 0,
                source="grid" if i % 4 else "visit", status="archived" if done else "in_progress",
                confidential=i % 100 == 0, village_id=ids["village"], grid_id=ids["grid"],
                description=f"第{i}号事项：两户因宅基地界线发生争执，双方情绪激动，要求村委会出面调解。" * 2,
                request="明确界线", reporter_id=staff[i % 3], handler_id=staff[(i + 1) % 3],
                unit_id=ids["unit"] if i % 5 == 0 else None, leader_id=leader if i % 200 == 0 else None,
                created_at=created, updated_at=created, accepted_at=created, due_at=created + timedelta(days=7),
                resolved_at=resolved, outcome=OUTCOMES[i % 5].value if done else None,
                reply_method="电话" if done else None, replied_at=resolved, satisfaction="满意" if done else None,
                due_provisional=False, digest_pending=False, people_count_approx=False,
            ))
            parties += [dict(case_id=i, name="张三", phone=f"138{i:08d}", id_number="11010519491231002X"),
                        dict(case_id=i, name="李四", phone=None, id_number=None)]
            events.append(dict(actor_id=staff[i % 3], action="case.accept", subject_type="case", subject_id=i,
                               details={}, at=created))
            if i % 50 == 0:
                notices.append(dict(
                    number=f"综治〔{YEAR}〕{i // 50}号", year=YEAR, seq=i // 50, level="normal", source="local", case_id=i,
                    case_summary="督办事项", unit_id=ids["unit"], days_overdue=0, requirements="按期办结",
                    due_at=created + timedelta(days=10), feedback="书面反馈", issuer_id=director, issued_at=created,
                    status="issued"))
            if len(cases) == 5_000:
                flush(conn)
        flush(conn)
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT setval('case_id_seq', (SELECT max(id) FROM \"case\"))"))
            conn.execute(text("ANALYZE"))
    return leader


def child(url: str, viewer: int, year: int, trace: bool) -> None:
    """One build in this process; prints its figures as JSON."""
    engine = make_engine(url)
    period = ledgers.period_between(date(year, 1, 1), date(year, 12, 31))
    out = Path(tempfile.mkdtemp(prefix="bench-ledger-")) / "ledger.xlsx"
    if trace:
        tracemalloc.start()
    t0 = time.perf_counter()
    with Session(engine) as s:
        made = ledgers.build(s, kind=ledgers.Kind.cases, period=period, viewer_id=viewer, now=NOW, tz=CENTER_TZ,
                             path=out)
        s.rollback()  # the export's audit event: the same work again next run
    seconds = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps(dict(seconds=seconds, peak=peak, rss_kb=rss_kb, rows=made.rows, hidden=made.hidden,
                          bytes=out.stat().st_size)))
    out.unlink()


def run_child(url: str, viewer: int, year: int, trace: bool) -> dict:
    args = [sys.executable, __file__, "--child", url, "--viewer", str(viewer), "--year", str(year)]
    found = subprocess.run(args + (["--trace"] if trace else []), capture_output=True, text=True, check=True,
                           cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return json.loads(found.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--db", default="sqlite,postgresql", help="sqlite, postgresql or both (comma separated)")
    parser.add_argument("--pg", default=os.environ.get("TEST_DATABASE_URL", ""),
                        help="admin URL of a PostgreSQL server (default: TEST_DATABASE_URL)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--viewer", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--year", type=int, default=YEAR, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.viewer, args.year, args.trace)
        return
    kinds = [k.strip() for k in args.db.split(",") if k.strip()]
    if "postgresql" in kinds and not args.pg:
        sys.exit("postgresql needs --pg URL (or TEST_DATABASE_URL)")
    sizes = [int(x) for x in args.sizes.split(",")]
    workdir = Path(tempfile.mkdtemp(prefix="bench-ledger-"))
    print(f"a year's 矛盾纠纷排查化解台账 for a center leader, each build in its own process; "
          f"median of {args.runs} runs\n")
    print(f"{'db':<11}{'cases':>9}{'rows':>9}{'seed s':>8}{'build s':>9}{'rows/s':>9}{'xlsx MB':>9}"
          f"{'py peak MB':>12}{'empty py MB':>13}{'maxrss MB':>11}{'empty rss MB':>14}")
    for kind in kinds:
        for size in sizes:
            url = database(kind, args.pg, workdir, "ledger")
            engine = make_engine(url)
            t0 = time.perf_counter()
            viewer = seed(engine, size)
            seeded = time.perf_counter() - t0
            engine.dispose()
            timed = [run_child(url, viewer, YEAR, trace=False) for _ in range(args.runs)]
            traced = run_child(url, viewer, YEAR, trace=True)
            empty = run_child(url, viewer, YEAR - 1, trace=False)
            empty_traced = run_child(url, viewer, YEAR - 1, trace=True)
            seconds = statistics.median(r["seconds"] for r in timed)
            rss = statistics.median(r["rss_kb"] for r in timed) / 1024
            rows = timed[0]["rows"]
            print(f"{kind:<11}{size:>9,}{rows:>9,}{seeded:>8.1f}{seconds:>9.2f}{rows / seconds:>9,.0f}"
                  f"{timed[0]['bytes'] / 2**20:>9.1f}{traced['peak'] / 2**20:>12.1f}{empty_traced['peak'] / 2**20:>13.1f}"
                  f"{rss:>11.1f}{empty['rss_kb'] / 1024:>14.1f}", flush=True)
            drop(url, args.pg)


if __name__ == "__main__":
    main()
