"""Benchmark: the monthly statistics (/stats, the month pack) as the case table grows (10k → 100k).

A year of cases spread evenly over 2026 in ten villages, each with one party (names repeat, so the
重复访 join has work), a mix of outcomes, satisfaction records, 包案 and 督办. Timed: stats.monthly for
November (it computes November, October for 环比 and November 2025 for 同比, every figure by SQL
aggregates), the three files built from it (chart, .xlsx, .docx), and the freeze of a month (township
and ten villages). Peak memory is tracemalloc's peak of Python allocations during one monthly report
(a separate, untimed run): it should not grow with the table. Median of --runs runs.

    python bench/bench_stats.py [--sizes 10000,100000] [--runs 3] [--db sqlite,postgresql] [--pg URL]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchdb import database, drop  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from bot.db import make_engine  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from bot.services import people, places, stats  # noqa: E402
from models import (  # noqa: E402
    BaoanRequest,
    Case,
    CaseParty,
    CaseType,
    Outcome,
    Role,
    Satisfaction,
    StatsSnapshot,
    SupervisionNotice,
)

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
NOV = stats.Period.month(2026, 11)
OUTCOMES = [Outcome.mediated, Outcome.mediated, Outcome.mediated, Outcome.partly_mediated, Outcome.not_mediated,
            Outcome.transferred]
SATISFACTION = [Satisfaction.satisfied, Satisfaction.mostly_satisfied, Satisfaction.dissatisfied, None]
SOURCES = ["grid", "visit", "call", "letter", "assigned"]


def seed(engine, size: int) -> None:
    upgrade(engine)
    with Session(engine) as s:
        villages = [places.create_village(s, actor_id=None, name=f"第{i}村", now=NOW).id for i in range(1, 11)]
        unit = places.create_unit(s, actor_id=None, name="镇司法所", now=NOW).id
        staff = people.create_person(s, name="孙丽", phone=None, roles={Role.staff}, telegram_id=1, now=NOW).id
        leader = people.create_person(s, name="刘领导", phone=None, roles={Role.leader}, telegram_id=2, now=NOW).id
        types = list(s.exec(select(CaseType.id)).scalars())
        s.commit()
    year_start = datetime(2026, 1, 1, tzinfo=SH).astimezone(UTC)
    step = timedelta(days=365) / size
    names = max(size // 5, 10)
    with engine.begin() as conn:
        cases, parties = [], []
        for i in range(1, size + 1):
            created = year_start + step * i
            closed = i % 10 < 7
            resolved = created + timedelta(days=2 + i % 6) if closed else None
            due = created + timedelta(days=5)
            cases.append(dict(
                id=i, number=f"2026-{i:07d}", type_id=types[i % len(types)], severity="general", urgent=False,
                source=SOURCES[i % len(SOURCES)], status="archived" if closed else "in_progress",
                confidential=i % 50 == 0, village_id=villages[i % 10], description=f"事项 {i}",
                address=f"{i % 997}号" if i % 3 == 0 else None, reporter_id=staff, handler_id=staff if i % 4 else None,
                unit_id=unit if i % 4 == 0 else None, leader_id=leader if i % 40 == 0 else None,
                created_at=created, updated_at=created, accepted_at=created if i % 15 else None,
                resolved_at=resolved, outcome=OUTCOMES[i % len(OUTCOMES)] if closed else None,
                satisfaction=SATISFACTION[i % len(SATISFACTION)] if closed else None,
                due_at=due, yellow_at=created + timedelta(days=3), due_provisional=False, digest_pending=False,
            ))
            parties.append(dict(case_id=i, name=f"当事人{i % names}", phone=f"138{i % names:08d}"))
            if len(cases) == 10_000:
                conn.execute(insert(Case), cases)
                conn.execute(insert(CaseParty), parties)
                cases, parties = [], []
        if cases:
            conn.execute(insert(Case), cases)
            conn.execute(insert(CaseParty), parties)
        notices = []
        for n, i in enumerate(range(40, size + 1, 100), 1):
            issued = year_start + step * i + timedelta(days=1)
            notices.append(dict(number=f"综治〔2026〕{n}号", year=2026, seq=n, level=["normal", "yellow", "red"][n % 3],
                                source="local", case_id=i, case_summary="摘要", unit_id=unit, days_overdue=0,
                                requirements="要求", due_at=issued + timedelta(days=5), feedback="反馈",
                                issuer_id=leader, issued_at=issued, status="accepted" if n % 2 else "issued",
                                closed_at=issued + timedelta(days=4) if n % 2 else None))
        conn.execute(insert(SupervisionNotice), notices)
        conn.execute(insert(BaoanRequest), [
            dict(case_id=i, proposed_leader_id=leader, reason="协调", proposer_id=leader, status="approved",
                 created_at=year_start + step * i, decided_at=year_start + step * i, decided_by_id=leader)
            for i in range(40, size + 1, 40)])
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT setval('case_id_seq', (SELECT max(id) FROM \"case\"))"))
            conn.execute(text("ANALYZE"))


def monthly(engine) -> stats.StatsReport:
    with Session(engine) as s:
        report = stats.monthly(s, month=NOV, now=NOW, tz=SH)
        s.rollback()
    return report


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def peak_kib(fn) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1024
    finally:
        tracemalloc.stop()


def freeze(engine) -> None:
    with Session(engine) as s:
        stats.freeze(s, month=NOV, now=NOW, tz=SH)
        s.rollback()  # the same work again next run


def measure(engine, runs: int) -> tuple[int, float, float, float, float]:
    """(November's cases, monthly ms, peak KiB, files ms, freeze ms)."""
    report = monthly(engine)  # warm the caches once
    ms = statistics.median(timed(lambda: monthly(engine)) for _ in range(runs)) * 1000
    peak = peak_kib(lambda: monthly(engine))
    files = statistics.median(
        timed(lambda: (stats.chart(report), stats.xlsx(report), stats.docx(report))) for _ in range(runs)) * 1000
    frozen = statistics.median(timed(lambda: freeze(engine)) for _ in range(runs)) * 1000
    with Session(engine) as s:
        assert s.exec(select(StatsSnapshot.id)).first() is None  # every freeze was rolled back
    return report.figures.counts["registered"], ms, peak, files, frozen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", default="sqlite,postgresql", help="which databases: sqlite, postgresql or both")
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG_URL", "postgresql://postgres:postgres@127.0.0.1:5432/postgres"),
                        help="admin URL of a PostgreSQL server")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    kinds = [k.strip() for k in args.db.split(",") if k.strip()]
    workdir = Path(tempfile.mkdtemp(prefix="bench-stats-"))
    print(f"monthly statistics for {NOV.label} (with 环比 and 同比), a year of cases, median of {args.runs} runs\n")
    print(f"{'db':<11}{'cases':>9}{'Nov cases':>10}{'monthly ms':>12}{'vs smallest':>13}{'peak KiB':>10}"
          f"{'files ms':>10}{'freeze ms':>11}")
    for kind in kinds:
        base = None
        for size in sizes:
            url = database(kind, args.pg, workdir, "stats")
            engine = make_engine(url)
            seed(engine, size)
            registered, ms, peak, files, frozen = measure(engine, args.runs)
            engine.dispose()
            drop(url, args.pg)
            base = base or ms
            print(f"{kind:<11}{size:>9,}{registered:>10,}{ms:>12.1f}{ms / base:>13.2f}{peak:>10.0f}{files:>10.0f}"
                  f"{frozen:>11.1f}")


if __name__ == "__main__":
    main()
