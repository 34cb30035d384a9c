"""Per-update breakdown of the /report flow: SQL statements, transactions (units of work), Bot API
calls and CPU, for all the bot does during the run (handlers, persistence, outbox, sweeps) divided
by the updates it handled. The bot runs in this process (so its database can be watched), on the
emulator through an in-memory transport; CPU is this whole process's, emulator included, so quote
the bench_report.py CPU figure for the bot alone and this one for counts.

    python bench/breakdown_report.py [--users 10] [--reports 3] [--pg URL] [--hours working|off]
"""

import argparse
import asyncio
import collections
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_report  # noqa: E402
from sqlalchemy import event  # noqa: E402

from bot.db import Database, make_engine  # noqa: E402
from bot.emulator import Emulator  # noqa: E402


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--reports", type=int, default=3)
    parser.add_argument("--pg", default="")
    parser.add_argument("--hours", choices=["working", "off"], default="working")
    args = parser.parse_args()
    kind = "postgresql" if args.pg else "sqlite"
    url = bench_report.fresh_database(kind, args.pg, Path(tempfile.mkdtemp(prefix="breakdown-")))
    bench_report.seed(url, args.users, 0, args.hours)
    emu = Emulator(token=bench_report.TOKEN, bot_username="bench_bot")
    db = Database(make_engine(url))
    counts = collections.Counter()

    @event.listens_for(db.engine, "before_cursor_execute")
    def _statement(conn, cursor, statement, parameters, context, executemany):
        head = statement.lstrip().split(None, 1)[0].upper()
        counts["sql"] += 1
        counts[f"sql:{head}"] += 1
        counts[f"q:{' '.join(statement.split())[:110]}"] += 1

    @event.listens_for(db.engine, "begin")
    def _begin(conn):
        counts["transactions"] += 1

    async with bench_report.in_process_bot(url, emu, db):
        run = bench_report.Run()
        timer = bench_report.Timer(run)
        users = [emu.user(bench_report.FIRST_USER + i, f"网格员{i}") for i in range(args.users)]
        counts.clear()
        calls_before, cpu_before, t0 = len(emu.calls), time.process_time(), time.perf_counter()

        async def worker(user):
            for _ in range(args.reports):
                await bench_report.report_flow(user, timer)

        await asyncio.gather(*(worker(u) for u in users))
        await asyncio.sleep(1.5)  # the notifications of the last reports leave the outbox
        cpu = time.process_time() - cpu_before
        api = collections.Counter(c.method for c in emu.calls[calls_before:] if c.method.lower() != "getupdates")
    n = run.updates
    print(f"\n{kind}, {args.hours} hours: {args.users} users × {args.reports} reports = {n} updates in {time.perf_counter() - t0:.1f} s\n")
    print(f"SQL statements per update   {counts['sql'] / n:6.2f}   "
          + ", ".join(f"{k[4:]} {v / n:.2f}" for k, v in counts.most_common() if k.startswith("sql:")))
    print(f"transactions per update     {counts['transactions'] / n:6.2f}")
    print(f"Bot API calls per update    {sum(api.values()) / n:6.2f}   "
          + ", ".join(f"{k} {v / n:.2f}" for k, v in api.most_common()))
    print(f"CPU ms per update (process) {cpu / n * 1000:6.2f}")
    for k, v in counts.most_common():
        if k.startswith("q:") and v / n >= 0.1:
            print(f"  {v / n:5.2f}  {k[2:]}")


if __name__ == "__main__":
    asyncio.run(main())
