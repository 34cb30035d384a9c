"""Benchmark: from a reminder's moment to the message in the person's chat, with the bot as its own
process (python run_bot.py) on the emulator and the real clock, as in production.

Cases are due for their yellow-light reminder at moments spread at random over --spread seconds,
set once the bot has delivered what it queued at the start
(so their phase against the sweep interval is random too); the handler's chat is watched every
20 ms and the delay from each moment to its reminder's arrival is recorded. With --before REV the
same run is made with the bot of an earlier commit (checked out in a temporary git worktree), for a
before/after table from the same machine and the same run.

    python bench/bench_reminder.py [--cases 12] [--spread 60] [--runs 3] [--before REV]

Working hours are set to the whole day and today is made a working day, so the bench runs at any hour.
"""

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func  # noqa: E402
from sqlmodel import select  # noqa: E402

from bot.clock import FrozenClock  # noqa: E402
from bot.db import Database, make_engine  # noqa: E402
from bot.emulator import Emulator  # noqa: E402
from bot.emulator.server import serve  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from bot.services.deadlines import CENTER_TZ  # noqa: E402
from models import CalendarDay, Case, Outbox, OutboxStatus  # noqa: E402
from tests.factories import Township  # noqa: E402

TOKEN = "123456:BENCH-TOKEN"
HANDLER = 5  # 周明 in the test township: every case is assigned to him
# The moments are set once the notifications of the cases' creation are delivered (one a second to a
# chat: a reminder would queue behind them), this long ahead: more than one regular sweep interval,
# so the bot learns of them from the database as it would of deadlines set days before.
LEAD_SECONDS = 35


def seed(url: str, n: int) -> list[int]:
    """n running cases assigned to 周明, no reminder due yet (set_moments gives them one)."""
    engine = make_engine(url)
    upgrade(engine)
    db = Database(engine)
    now = datetime.now(UTC)
    town = Township.build(db, FrozenClock(now))
    with db.session() as s:
        s.merge(CalendarDay(day=now.astimezone(CENTER_TZ).date(), workday=True, note="bench", set_at=now))
    ids = []
    for _ in range(n):
        ref = town.running_case()
        ids.append(ref.id)
        with db.session() as s:
            s.get(Case, ref.id).next_reminder_at = None
    db.close()
    return ids


def set_moments(url: str, ids: list[int], spread: float) -> dict[str, datetime]:
    """Each case's yellow reminder due at a random moment LEAD_SECONDS + [0, spread) from now."""
    db = Database(make_engine(url))
    now = datetime.now(UTC)
    moments = {}
    with db.session() as s:
        for case_id in ids:
            case = s.get(Case, case_id)
            moment = now + timedelta(seconds=LEAD_SECONDS + random.uniform(0, spread))
            case.yellow_at = case.next_reminder_at = moment
            case.due_at = max(case.due_at, moment + timedelta(days=3))
            moments[case.number] = moment
    db.close()
    return moments


def backlog(url: str) -> int:
    db = Database(make_engine(url))
    with db.session() as s:
        pending = s.exec(select(func.count()).select_from(Outbox).where(Outbox.status == OutboxStatus.pending)).one()
    db.close()
    return pending



def checkout(rev: str, workdir: Path) -> Path:
    """An earlier commit in a temporary worktree, with this script in it: the database of each run is
    made by the bot's own code and migrations."""
    path = workdir / f"rev-{rev.replace('/', '_')}"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(path), rev], check=True,
                   capture_output=True)
    shutil.copy(__file__, path / "bench" / Path(__file__).name)
    return path


def seed_in(tree: Path, url: str, n: int) -> list[int]:
    out = subprocess.run([sys.executable, str(tree / "bench" / Path(__file__).name), "--seed", url, str(n)],
                         cwd=tree, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


async def one_run(tree: Path, url: str, ids: list[int], spread: float) -> list[float]:
    emu = Emulator(token=TOKEN, bot_username="bench_bot")
    async with await serve(emu, host="127.0.0.1", port=0) as server:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_", "BOOTSTRAP_"))}
        env.update(TELEGRAM_BOT_TOKEN=TOKEN, DATABASE_URL=url, TELEGRAM_API_BASE_URL=server.base_url,
                   TELEGRAM_FILE_BASE_URL=server.base_file_url, LOG_LEVEL="WARNING", WORK_HOURS="00:00-23:59")
        proc = subprocess.Popen([sys.executable, str(tree / "run_bot.py")], cwd=tempfile.gettempdir(), env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            handler = emu.user(HANDLER, "周明")
            await handler.send_text("/help")  # a bot can only write to people who wrote to it first
            await handler.wait_for_message(timeout=60)
            while backlog(url):
                await asyncio.sleep(0.5)
            moments = set_moments(url, ids, spread)
            arrived: dict[str, float] = {}
            deadline = time.monotonic() + (max(moments.values()) - datetime.now(UTC)).total_seconds() + 90
            while len(arrived) < len(moments) and time.monotonic() < deadline:
                for message in emu.chat_messages(HANDLER):
                    text = message.plain_text or ""
                    for number in moments:
                        if number not in arrived and text.startswith(f"🟡 即将到期：事项 {number}"):
                            arrived[number] = time.time()
                await asyncio.sleep(0.02)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    missing = set(moments) - set(arrived)
    if missing:
        raise SystemExit(f"{len(missing)} of {len(moments)} reminders never arrived: no table printed")
    if os.environ.get("BENCH_VERBOSE"):
        for n in sorted(moments, key=moments.get):
            print(n, moments[n].strftime("%H:%M:%S.%f")[:12], f"{arrived[n] - moments[n].timestamp():.2f}")
    return [arrived[n] - moments[n].timestamp() for n in moments]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=12)
    parser.add_argument("--spread", type=float, default=60.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", help="an earlier commit to measure in the same run")
    parser.add_argument("--seed", nargs=2, metavar=("URL", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:  # run in the tree under test (seed_in)
        print(json.dumps(seed(args.seed[0], int(args.seed[1]))))
        return
    workdir = Path(tempfile.mkdtemp(prefix="bench-reminder-"))
    trees = [("this tree", ROOT)]
    if args.before:
        trees.insert(0, (f"before ({args.before})", checkout(args.before, workdir)))
    results: dict[str, list[list[float]]] = {name: [] for name, _ in trees}
    try:
        for i in range(args.runs):  # interleaved, so that a slow phase of the machine hits both alike
            for name, tree in trees:
                url = f"sqlite:///{workdir / f'reminder-{i}-{len(results[name])}-{abs(hash(name))}.db'}"
                results[name].append(await one_run(tree, url, seed_in(tree, url, args.cases), args.spread))
    finally:
        for _name, tree in trees:
            if tree != ROOT:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                               capture_output=True)
    print(f"\n{args.cases} reminders per run, moments spread over {args.spread:.0f} s, {args.runs} runs; "
          "delay from the moment to the message in the chat, seconds (median over runs of each statistic)\n")
    print(f"{'bot':<28}{'min':>7}{'p50':>7}{'p95':>7}{'max':>7}")
    for name, runs in results.items():
        row = [statistics.median(f(r) for r in runs) for f in (min, lambda r: pct(r, 0.5), lambda r: pct(r, 0.95), max)]
        print(f"{name:<28}" + "".join(f"{v:>7.1f}" for v in row))


if __name__ == "__main__":
    asyncio.run(main())
