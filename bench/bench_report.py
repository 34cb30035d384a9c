"""Benchmark: complete /report conversations through the emulator on 127.0.0.1, against a bare PTB
echo bot on the same emulator, with an empty database and with 100 000 cases, on SQLite and
PostgreSQL. The bot runs as its own process (python run_bot.py), as in production.

    python bench/bench_report.py [--users 20] [--reports 3] [--runs 3] [--cases 100000] [--pg URL]

Prints one table: updates handled per second and p50/p95 latency of one bot answer and of a whole
report, medians of --runs runs. Quote ratios, not absolute numbers: this is a shared 2-core machine.
"""

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, insert, text  # noqa: E402
from sqlmodel import select  # noqa: E402

from bot.db import Database, make_engine, normalize_url  # noqa: E402
from bot.emulator import Emulator  # noqa: E402
from bot.emulator.server import serve  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from bot.services import people, places  # noqa: E402
from models import Case, CaseType, Counter, Role  # noqa: E402

TOKEN = "123456:BENCH-TOKEN"
FIRST_USER = 100_000


@dataclass
class Run:
    updates: int = 0
    seconds: float = 0.0
    step_latencies: list[float] = field(default_factory=list)
    report_latencies: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


# --- database ------------------------------------------------------------------------------------


def fresh_database(kind: str, pg_admin: str | None, workdir: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir / f'bench-{uuid.uuid4().hex[:8]}.db'}"
    name = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalize_url(pg_admin), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return normalize_url(pg_admin).rsplit("/", 1)[0] + "/" + name


def drop_database(url: str, pg_admin: str | None) -> None:
    if url.startswith("sqlite"):
        Path(url.split(":///", 1)[1]).unlink(missing_ok=True)
        return
    admin = create_engine(normalize_url(pg_admin), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()


def seed(url: str, users: int, cases: int) -> None:
    """A village with a grid, `users` grid workers, a desk and a leader, and `cases` old cases."""
    engine = make_engine(url)
    upgrade(engine)
    db = Database(engine)
    now = datetime.now(UTC)
    with db.session() as s:
        village = places.create_village(s, actor_id=None, name="东山村", now=now)
        grid = places.create_grid(s, actor_id=None, village_id=village.id, name="第一网格", now=now)
        leader = people.create_person(s, name="刘领导", phone=None, roles={Role.leader}, telegram_id=90_001, now=now)
        people.create_person(s, name="孙丽", phone=None, roles={Role.staff}, telegram_id=90_002, now=now)
        for i in range(users):
            people.create_person(s, name=f"网格员{i}", phone=None, roles={Role.grid}, telegram_id=FIRST_USER + i,
                                 village_id=village.id, grid_id=grid.id, now=now)
        type_ids = [t.id for t in s.exec(select(CaseType))]
        reporter = leader.id
        village_id = village.id
    with db.engine.begin() as conn:
        batch = []
        start = now - timedelta(days=400)
        for i in range(1, cases + 1):
            created = start + timedelta(minutes=5 * i % (60 * 24 * 390))
            batch.append(dict(
                number=f"2025-{i:06d}", type_id=type_ids[i % len(type_ids)], severity="general", urgent=False,
                source="grid", status="archived" if i % 10 else "in_progress", confidential=False,
                village_id=village_id if i % 3 == 0 else None, description=f"历史事项 {i} 邻里排水纠纷",
                reporter_id=reporter, created_at=created, updated_at=created, due_provisional=False,
                digest_pending=False,
            ))
            if len(batch) == 5000:
                conn.execute(insert(Case), batch)
                batch = []
        if batch:
            conn.execute(insert(Case), batch)
        if cases:
            conn.execute(insert(Counter), [dict(name="case", year=2025, value=cases)])
        if engine.dialect.name == "postgresql":
            conn.execute(text("ANALYZE"))
    db.close()


# --- the two bots --------------------------------------------------------------------------------


def start_bot(kind: str, server, db_url: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_", "BOOTSTRAP_"))}
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, DATABASE_URL=db_url, TELEGRAM_API_BASE_URL=server.base_url,
               TELEGRAM_FILE_BASE_URL=server.base_file_url, LOG_LEVEL="WARNING")
    cmd = [sys.executable, str(ROOT / ("run_bot.py" if kind == "report" else "bench/echo_bot.py"))]
    if kind == "echo":
        cmd += [server.base_url, TOKEN]
    return subprocess.Popen(cmd, cwd=tempfile.gettempdir(), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


async def wait_ready(user, probe: str) -> None:
    for _ in range(120):
        await user.send_text(probe)
        try:
            await user.wait_for_message(timeout=1.0)
            return
        except TimeoutError:
            continue
    raise RuntimeError("the bot did not answer within 2 minutes")


class Timer:
    def __init__(self, run: Run):
        self.run = run

    async def act(self, user, coro, predicate=None):
        """One user action and the bot's answer to it; counts one update and its latency."""
        t0 = time.perf_counter()
        await coro
        msg = await user.wait_for_message(timeout=30, predicate=predicate)
        self.run.step_latencies.append(time.perf_counter() - t0)
        self.run.updates += 1
        return msg


async def report_flow(user, timer: Timer) -> None:
    """The shortest complete report a grid worker makes: 9 updates from /report to the case number."""
    t0 = time.perf_counter()
    msg = await timer.act(user, user.send_text("/report"))
    if "重新开始" in msg.buttons:  # a draft left by an earlier run that was stopped mid-report
        msg = await timer.act(user, user.press(msg, "重新开始"))
    msg = await timer.act(user, user.press(msg, "矛盾纠纷"))
    msg = await timer.act(user, user.press(msg, "邻里纠纷"))
    msg = await timer.act(user, user.press(msg, "一般"))
    await timer.act(user, user.press(msg, "使用 东山村 第一网格"), lambda m: "事发地点" in (m.plain_text or ""))
    msg = await timer.act(user, user.send_text("村东头排水沟"), lambda m: "什么时候发生" in (m.plain_text or ""))
    msg = await timer.act(user, user.press(msg, "刚刚"))
    msg = await timer.act(user, user.press(msg, "跳过"))
    msg = await timer.act(user, user.press(msg, "1"))
    msg = await timer.act(user, user.send_text("两户因排水沟争吵，需要调解"),
                          lambda m: "附件（可选）" in (m.plain_text or ""))
    msg = await timer.act(user, user.press(msg, "完成"))
    msg = await timer.act(user, user.press(msg, "✅ 提交"), lambda m: "事项编号" in (m.plain_text or "")
                          or "-" in (m.plain_text or ""))
    timer.run.report_latencies.append(time.perf_counter() - t0)


async def echo_flow(user, timer: Timer) -> None:
    """The same number of updates to the echo bot: texts and button presses it answers."""
    t0 = time.perf_counter()
    for i in range(12):
        await timer.act(user, user.send_text(f"消息 {i}"))
    timer.run.report_latencies.append(time.perf_counter() - t0)


async def one_run(kind: str, db_url: str, users: int, reports: int) -> Run:
    emu = Emulator(token=TOKEN, bot_username="bench_bot")
    run = Run()
    async with await serve(emu, host="127.0.0.1", port=0) as server:
        proc = start_bot(kind, server, db_url)
        try:
            probe_user = emu.user(90_001, "探针")  # the leader: registered, and not one of the reporters
            await wait_ready(probe_user, "/help" if kind == "report" else "ping")
            flow = report_flow if kind == "report" else echo_flow
            timer = Timer(run)
            participants = [emu.user(FIRST_USER + i, f"网格员{i}") for i in range(users)]

            async def worker(user):
                for _ in range(reports):
                    await flow(user, timer)

            t0 = time.perf_counter()
            await asyncio.gather(*(worker(u) for u in participants))
            run.seconds = time.perf_counter() - t0
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    return run


def median_run(runs: list[Run]) -> dict:
    return {
        "rate": statistics.median(r.rate for r in runs),
        "p50": statistics.median(pct(r.step_latencies, 0.5) for r in runs) * 1000,
        "p95": statistics.median(pct(r.step_latencies, 0.95) for r in runs) * 1000,
        "flow_p50": statistics.median(pct(r.report_latencies, 0.5) for r in runs),
        "flow_p95": statistics.median(pct(r.report_latencies, 0.95) for r in runs),
        "updates": runs[0].updates,
    }


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--reports", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG_URL", ""),
                        help="admin URL of a PostgreSQL server, e.g. postgresql://postgres:postgres@127.0.0.1/postgres")
    parser.add_argument("--only-pg", action="store_true", help="skip the SQLite half")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-report-"))
    rows = []
    for db_kind in [*([] if args.only_pg else ["sqlite"]), *(["postgresql"] if args.pg else [])]:
        url = fresh_database(db_kind, args.pg, workdir)
        seed(url, args.users, 0)
        echo = median_run([await one_run("echo", url, args.users, args.reports) for _ in range(args.runs)])
        empty = median_run([await one_run("report", url, args.users, args.reports) for _ in range(args.runs)])
        drop_database(url, args.pg)
        url = fresh_database(db_kind, args.pg, workdir)
        seed(url, args.users, args.cases)
        full = median_run([await one_run("report", url, args.users, args.reports) for _ in range(args.runs)])
        drop_database(url, args.pg)
        rows.append((db_kind, "echo bot (floor)", echo, None))
        rows.append((db_kind, "/report, empty DB", empty, echo))
        rows.append((db_kind, f"/report, {args.cases:,} cases", full, echo))
        rows.append((db_kind, "p95 ratio full/empty", {"p95": full["p95"] / empty["p95"]}, None))
    print(f"\n{args.users} users × {args.reports} reports, median of {args.runs} runs, bot in its own process\n")
    print(f"{'db':<11}{'scenario':<26}{'updates/s':>10}{'vs echo':>9}{'p50 ms':>8}{'p95 ms':>8}"
          f"{'report p50 s':>13}{'report p95 s':>13}")
    for db_kind, name, m, base in rows:
        if "rate" not in m:
            print(f"{db_kind:<11}{name:<26}{'':>10}{'':>9}{'':>8}{m['p95']:>8.2f}")
            continue
        ratio = f"{m['rate'] / base['rate']:.2f}" if base else "1.00"
        print(f"{db_kind:<11}{name:<26}{m['rate']:>10.1f}{ratio:>9}{m['p50']:>8.1f}{m['p95']:>8.1f}"
              f"{m['flow_p50']:>13.2f}{m['flow_p95']:>13.2f}")


if __name__ == "__main__":
    asyncio.run(main())
