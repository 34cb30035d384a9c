"""Benchmark: the nightly clearing of old notification texts (OUTBOX_TEXT_DAYS), and what it does to
the bot's other work while it runs.

    python bench/bench_outbox_texts.py [--rows 200000] [--runs 3] [--pg URL]

Each run: a fresh database holding --rows delivered notifications, a quarter of them older than the
cut-off. A writer thread queues one notification every 5 ms (a unit of work, as a handler's), for a
while alone (the baseline, same run) and then while the night's batches go (bot.sweeps drains
outbox.forget_texts in the same way), with the bot's pause between batches and without one. Prints the
drain's time, each batch's time (how long a batch holds SQLite's write lock) and the writer's p95 and
worst unit of work, alone and during the drain; medians of --runs runs.
"""

import argparse
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchdb import each_on_a_fresh_database  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from bot.db import Database, make_engine  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from bot.services import outbox  # noqa: E402
from models import Outbox, OutboxStatus  # noqa: E402

NOW = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)
KEEP = timedelta(days=180)
WRITER_PAUSE = 0.005


def sent_rows(n: int) -> list[dict]:
    """Delivered notifications spread over the last 240 days, the oldest first (as ids grow)."""
    step = timedelta(days=240) / n
    return [dict(key=f"rem:{i}:1:2026-01-01:p{i % 97}", chat_id=10_000 + i % 97, person_id=None,
                 text="张三（13800000001）反映：邻里因宅基地边界发生纠纷，请于今日内受理。", status=OutboxStatus.sent,
                 attempts=1, urgent=False, protect=False, next_attempt_at=NOW - timedelta(days=240) + i * step,
                 created_at=NOW - timedelta(days=240) + i * step, sent_at=NOW - timedelta(days=240) + i * step,
                 tg_message_id=i + 1) for i in range(n)]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


class Writer(threading.Thread):
    """Queues a notification every WRITER_PAUSE seconds and times each unit of work."""

    def __init__(self, db: Database):
        super().__init__(daemon=True)
        self.db, self.times, self.stop, self.n = db, [], threading.Event(), 0

    def run(self) -> None:
        while not self.stop.is_set():
            self.n += 1
            t0 = time.perf_counter()
            self.db.call(outbox.enqueue, chat_id=1, key=f"live:{self.n}", text="新通知", now=NOW)
            self.times.append(time.perf_counter() - t0)
            time.sleep(WRITER_PAUSE)

    def take(self) -> list[float]:
        taken, self.times = self.times, []
        return taken


def one_run(url: str, rows: int, pause: float) -> dict:
    upgrade(make_engine(url))
    db = Database(make_engine(url))
    try:
        with db.session() as s:
            data = sent_rows(rows)
            for start in range(0, len(data), 10_000):
                s.execute(insert(Outbox), data[start:start + 10_000])
        writer = Writer(db)
        writer.start()
        time.sleep(2)
        alone = writer.take()
        batches, more, cleared = [], True, 0
        t0 = time.perf_counter()
        while more:  # as bot.sweeps.forget_outbox_texts
            b0 = time.perf_counter()
            batch = db.call(outbox.forget_texts, before=NOW - KEEP)
            batches.append(time.perf_counter() - b0)
            cleared, more = cleared + batch.rows, batch.more
            if more:
                time.sleep(pause)
        drain = time.perf_counter() - t0
        writer.stop.set()
        writer.join()  # a unit of work still waiting for the lock counts, with its whole wait
        during = writer.take()
        return dict(cleared=cleared, drain=drain, batch_p50=statistics.median(batches), batch_max=max(batches),
                    alone_p95=pct(alone, 0.95), alone_max=max(alone), during_p95=pct(during, 0.95),
                    during_max=max(during))
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pg", default="", help="admin URL of a PostgreSQL server")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-outbox-texts-"))
    print(f"\n{args.rows:,} delivered notifications over 240 days, texts kept {KEEP.days} days; batches of "
          f"{outbox.FORGET_BATCH} rows; medians of {args.runs} runs. Writer: one notification queued every "
          f"{WRITER_PAUSE * 1000:.0f} ms, ms per unit of work alone (baseline) and during the drain\n")
    print(f"{'db':<11}{'pause ms':>9}{'cleared':>9}{'drain s':>9}{'rows/s':>9}{'batch p50 ms':>14}{'batch max ms':>14}"
          f"{'writer p95 alone':>18}{'during':>8}{'max alone':>11}{'during':>8}")
    for kind in ["sqlite", *(["postgresql"] if args.pg else [])]:
        for pause in (0.0, outbox.FORGET_PAUSE_SECONDS):
            runs = each_on_a_fresh_database(kind, args.pg, workdir, "outbox_texts", args.runs,
                                            lambda url, pause=pause: one_run(url, args.rows, pause))
            m = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            print(f"{kind:<11}{pause * 1000:>9.0f}{m['cleared']:>9,.0f}{m['drain']:>9.2f}{m['cleared'] / m['drain']:>9,.0f}"
                  f"{m['batch_p50'] * 1000:>14.1f}{m['batch_max'] * 1000:>14.1f}{m['alone_p95'] * 1000:>18.2f}"
                  f"{m['during_p95'] * 1000:>8.2f}{m['alone_max'] * 1000:>11.2f}{m['during_max'] * 1000:>8.2f}")

if __name__ == "__main__":
    main()
