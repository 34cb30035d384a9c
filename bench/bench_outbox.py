"""Benchmark: outbox delivery rate against Telegram's limits, through the emulator on 127.0.0.1.

    python bench/bench_outbox.py [--people 100] [--per-person 5] [--runs 3] [--pg URL]

Each run: a fresh database, the emulator served by uvicorn, the real Application (with its
JobQueue outbox sender) talking to it over HTTP; every person writes to the bot once (so the chat
exists), then --people × --per-person notifications are enqueued in one transaction, each
person's messages one after another (the hard case for the one-message-a-second-per-chat rule).
Times are taken where Telegram would see them: on arrival of each sendMessage at the emulator.
Prints one table, medians of --runs runs. Quote ratios: this is a shared 2-core machine.
"""

import argparse
import asyncio
import itertools
import logging
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchdb import database, drop  # noqa: E402
from telegram.request import HTTPXRequest  # noqa: E402

from bot.app import build_application  # noqa: E402
from bot.clock import Clock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.db import Database, make_engine  # noqa: E402
from bot.emulator import Emulator  # noqa: E402
from bot.emulator.server import serve  # noqa: E402
from bot.jobs import outbox_sender  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from bot.services import outbox, people  # noqa: E402
from models import Role  # noqa: E402

TOKEN = "123456:BENCH-TOKEN"
ADMIN_ID = 1
FIRST_USER = 200_000


class StampedCalls(list):
    """The emulator's call log, with the monotonic arrival time of each call."""

    def append(self, call) -> None:
        call.at = time.monotonic()
        super().append(call)


@dataclass
class Result:
    sent: int
    rate: float  # messages/s from the first delivery to the last
    enqueue: float  # seconds to enqueue all rows in one transaction
    end_to_end: float  # seconds from the enqueue commit to the last delivery
    max_in_1s: int  # most sendMessage calls in any 1-second window, as they arrived
    max_in_1s_sent: int  # the same, as the sender dispatched them
    min_chat_gap: float  # shortest time between two messages to the same chat, as they arrived
    min_chat_gap_sent: float  # the same, as dispatched
    duplicates: int
    lost: int


def max_in_window(times: list[float], window: float = 1.0) -> int:
    best, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def min_chat_gap(events: list[tuple[float, int]]) -> float:
    per_chat: dict[int, list[float]] = defaultdict(list)
    for moment, chat in events:
        per_chat[chat].append(moment)
    gaps = [b - a for ts in per_chat.values() for a, b in itertools.pairwise(sorted(ts))]
    return min(gaps) if gaps else float("nan")


async def one_run(args, workdir: Path) -> Result:
    url = database("pg" if args.pg else "sqlite", args.pg, workdir, "bench_outbox")
    engine = make_engine(url)
    upgrade(engine)
    db = Database(engine)
    clock = Clock()
    user_ids = [FIRST_USER + n for n in range(args.people)]

    def seed(session):
        people.bootstrap_admin(session, telegram_id=ADMIN_ID, name="管理员", now=clock.now())
        return {
            uid: people.create_person(
                session, name=f"网格员{n}", phone=None, roles={Role.grid}, now=clock.now(), telegram_id=uid
            ).id
            for n, uid in enumerate(user_ids)
        }

    person_ids = db.call(seed)
    emu = Emulator(token=TOKEN)
    calls = StampedCalls()
    emu.world.calls = calls
    server = await serve(emu, port=0)
    settings = Settings(
        _env_file=None, telegram_bot_token=TOKEN, database_url=url,
        telegram_api_base_url=server.base_url, telegram_file_base_url=server.base_file_url,
        bootstrap_admin_ids=[ADMIN_ID],
    )
    app = build_application(
        settings, db=db, clock=clock,
        request=HTTPXRequest(connection_pool_size=64), get_updates_request=HTTPXRequest(),
    )
    sender = outbox_sender(app)
    assert sender.rate == 30.0 and sender.chat_interval == 1.0
    dispatched: list[tuple[float, int]] = []  # (monotonic time, chat id) of every send started
    sender.on_send = lambda message, started: dispatched.append((started, message.chat_id))
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        users = [emu.user(uid, f"网格员{n}") for n, uid in enumerate(user_ids)]
        for user in users:
            await user.send_text("/help")
        await asyncio.gather(*(user.wait_for_message(timeout=60) for user in users))

        mark = len(calls)
        dispatched.clear()
        enqueue_started = time.monotonic()

        def enqueue_all(session):
            for uid in user_ids:
                for i in range(args.per_person):
                    outbox.enqueue(
                        session, chat_id=uid, person_id=person_ids[uid], key=f"bench:{uid}:{i}",
                        text=f"<b>通知</b> {i + 1}/{args.per_person}：事项 2026-{uid % 10000:04d} 请及时处理",
                        now=clock.now(),
                    )

        await db.run(enqueue_all)
        started = time.monotonic()
        total = len(user_ids) * args.per_person

        def delivered():
            return [c for c in calls[mark:] if c.method == "sendMessage" and c.status == 200]

        deadline = time.monotonic() + args.timeout
        while len(delivered()) < total and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        await asyncio.sleep(1.5)  # anything arriving now would be a duplicate
        ok = delivered()
        arrived = [(c.at, int(c.params["chat_id"])) for c in ok]
        times = sorted(t for t, _ in arrived)
        counts = [sum(1 for _, chat in arrived if chat == uid) for uid in user_ids]
        return Result(
            sent=len(ok),
            enqueue=started - enqueue_started,
            rate=(len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0,
            end_to_end=times[-1] - started if times else float("nan"),
            max_in_1s=max_in_window(times),
            max_in_1s_sent=max_in_window(sorted(t for t, _ in dispatched)),
            min_chat_gap=min_chat_gap(arrived),
            min_chat_gap_sent=min_chat_gap(dispatched),
            duplicates=sum(max(c - args.per_person, 0) for c in counts),
            lost=sum(max(args.per_person - c, 0) for c in counts),
        )
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        db.close()
        await server.stop()
        drop(url, args.pg)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100)
    parser.add_argument("--per-person", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--pg", help="PostgreSQL admin URL (default: SQLite in a temp dir)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)

    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.runs):
            results.append(asyncio.run(one_run(args, Path(tmp))))

    total = args.people * args.per_person
    db_name = "PostgreSQL" if args.pg else "SQLite"
    floor = (args.per_person - 1) * 1.0  # a person's messages need this long at 1/s per chat
    best_case = max(total / 30.0, floor)
    rows = [
        (f"delivered (of {total})", [r.sent for r in results], "%d", str(total)),
        ("delivery rate, msg/s", [r.rate for r in results], "%.1f", "≤ 30"),
        ("  ratio to the 30/s limit", [r.rate / 30.0 for r in results], "%.2f", "≤ 1.00"),
        ("max sends in any 1 s window: sent", [r.max_in_1s_sent for r in results], "%d", "≤ 30"),
        ("  … as received by the emulator", [r.max_in_1s for r in results], "%d", "≤ 30"),
        ("min gap, same chat, s: sent", [r.min_chat_gap_sent for r in results], "%.3f", "≥ 1.000"),
        ("  … as received by the emulator", [r.min_chat_gap for r in results], "%.3f", "≥ 1.000"),
        ("enqueue (one transaction), s", [r.enqueue for r in results], "%.2f", "—"),
        ("commit → last delivery, s", [r.end_to_end for r in results], "%.1f", f"≥ {best_case:.1f}"),
        ("duplicates", [r.duplicates for r in results], "%d", "0"),
        ("lost", [r.lost for r in results], "%d", "0"),
    ]
    print(
        f"\nOutbox delivery: {total} notifications to {args.people} people ({args.per_person} each, "
        f"queued person by person), {db_name}, emulator over HTTP on 127.0.0.1"
    )
    head = ["metric"] + [f"run {i + 1}" for i in range(len(results))] + ["median", "limit"]
    table = [head]
    for name, values, fmt, limit in rows:
        table.append([name] + [fmt % v for v in values] + [fmt % statistics.median(values), limit])
    widths = [max(len(str(row[i])) for row in table) for i in range(len(head))]
    for n, row in enumerate(table):
        print("  ".join(str(cell).ljust(widths[i]) if i == 0 else str(cell).rjust(widths[i]) for i, cell in enumerate(row)))
        if n == 0:
            print("  ".join("-" * w for w in widths))


if __name__ == "__main__":
    main()
