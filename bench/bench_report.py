"""Benchmark: complete /report conversations through the emulator on 127.0.0.1, against a floor bot
on the same emulator in the same run, with an empty database and with 100 000 cases, on SQLite and
PostgreSQL. Every bot runs as its own process (run_bot.py, bench/floor_bot.py, bench/replay_bot.py).

    python bench/bench_report.py [--users 20] [--reports 3] [--runs 3] [--cases 100000] [--pg URL] [--hours working|off] [--no-pin]

The floor (bench/floor_bot.py) is PTB with our update processor (updates of different chats in
parallel) and the same answers per kind of update (a text: one new message; a press: an answer and
an edit), driven by the same sequence of 3 texts and 9 presses per "report". A report counts only
when the case number comes back; the script counts the cases the database gained and refuses to
print a table if that differs from the reports sent.

The replay floor (bench/replay_bot.py) answers every update with exactly the Bot API calls the real
bot made for that step in the reporter's chat (recorded from one report at the start, in this
process): the same texts and keyboards, no database, no conversation. The case desk's notices (working
hours) are not replayed: the bot's outbox paces them at one a second per chat, so they leave mostly
after the timed part. The /report rows give both ratios.

Printed per scenario: updates/s (median and min–max of --runs runs), p50/p95/mean latency of one
answer, users ≈ rate × mean latency (Little's law, a check that the numbers belong together), Bot
API calls per update, bot CPU ms per update, p50/p95 of the answer to the last step (for /report 提交:
registration and case number). Below the table, the /report ratio of each round (a round runs the
floor bot, the replay floor and /report one after the other): median and min–max, how far one run
can be trusted. Quote ratios, not absolute numbers: a 2-core machine.
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchdb import database, drop  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402
from sqlmodel import select  # noqa: E402

from bot.db import Database, make_engine  # noqa: E402
from bot.emulator import Emulator  # noqa: E402
from bot.emulator.server import serve  # noqa: E402
from bot.migrate import upgrade  # noqa: E402
from bot.services import people, places  # noqa: E402
from bot.services.workdays import CENTER_TZ  # noqa: E402
from handlers import MENUS_AFTER  # noqa: E402
from handlers.menus import MENU_PAUSE  # noqa: E402
from models import CalendarDay, Case, CaseType, Counter, Role  # noqa: E402
from tests.bot.steps import run_bot_process  # noqa: E402

TOKEN = "123456:BENCH-TOKEN"
FIRST_USER = 100_000


@dataclass
class Run:
    updates: int = 0
    seconds: float = 0.0
    step_latencies: list[float] = field(default_factory=list)
    report_latencies: list[float] = field(default_factory=list)
    last_latencies: list[float] = field(default_factory=list)  # a flow's last step (/report: 提交)
    api_calls: int = 0  # Bot API calls the bot made during the timed part (getUpdates not counted)
    cpu_seconds: float = 0.0  # the bot process's user+system CPU during the timed part
    cases_created: int = 0

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
    return database(kind, pg_admin, workdir, "bench")


drop_database = drop


ALL_DAY = "00:00-23:59"  # WORK_HOURS of a --hours working run
START_UP_SECONDS = 3.0  # the first sweeps run 2 s after start (bot/sweeps.py) and take a fraction of a second


def start_up_left(started: float, url: str) -> float:
    """Seconds from now until the bot's last start-up work is done, counted from its start: after the
    first sweeps (2 s) come the command menus sent again (handlers.MENUS_AFTER, one every MENU_PAUSE
    to each person with a chat; none if the database's were sent already). None of it is the flow's."""
    return max(started + MENUS_AFTER + chats(url) * MENU_PAUSE + 1.0 - time.monotonic(), 0.0)


def seed(url: str, users: int, cases: int, hours: str = "working") -> None:
    """A village with a grid, `users` grid workers, a desk and a leader, and `cases` old cases.
    `hours`: today (and the days either side, for a run across midnight) set as a working day
    ("working", with WORK_HOURS all day: every report goes to the case desk at once) or as a
    holiday ("off": every report waits for the next working period's digest)."""
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
        today = now.astimezone(CENTER_TZ).date()
        for day in (today - timedelta(days=1), today, today + timedelta(days=1)):
            s.add(CalendarDay(day=day, workday=hours == "working", note="压测", set_at=now))
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


# --- the bots ------------------------------------------------------------------------------------


BOT_CPUS: set[int] = set()  # --pin: the CPU every bot runs on, the others left to this process (main)


def start_bot(kind: str, server, db_url: str, script: Path | None = None) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "DATABASE_", "BOOTSTRAP_", "WORK_HOURS"))}
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, DATABASE_URL=db_url, TELEGRAM_API_BASE_URL=server.base_url,
               TELEGRAM_FILE_BASE_URL=server.base_file_url, LOG_LEVEL="WARNING", WORK_HOURS=ALL_DAY)
    program = {"report": "run_bot.py", "floor": "bench/floor_bot.py", "replay": "bench/replay_bot.py"}[kind]
    args = {"report": (), "floor": (server.base_url, TOKEN),
            "replay": (server.base_url, TOKEN, str(script), str(FIRST_USER))}[kind]
    process = run_bot_process(env, tempfile.gettempdir(), f"bench-{kind}", program=program, args=args)
    if BOT_CPUS:
        os.sched_setaffinity(process.pid, BOT_CPUS)
    return process


def cpu_seconds(pid: int) -> float:
    """user + system CPU of a process so far (Linux /proc)."""
    fields_ = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields_[11]) + int(fields_[12])) / os.sysconf("SC_CLK_TCK")


def chats(url: str) -> int:
    """How many people the bot can write to: whose command menus its start-up job may send."""
    db = Database(make_engine(url))
    try:
        return len(db.call(people.with_chats))
    finally:
        db.close()


def count_cases(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM \"case\"")).scalar_one()
    finally:
        engine.dispose()


async def wait_ready(user, probe: str) -> None:
    for _ in range(120):
        await user.send_text(probe)
        try:
            await user.wait_for_message(timeout=1.0)
            return
        except TimeoutError:
            continue
    raise RuntimeError("the bot did not answer within 2 minutes")


async def greet(emu: Emulator, probe: str) -> None:
    """The leader (the probe: registered, not one of the reporters) and the case desk say hello once
    the bot answers: the bot can only write to a chat that wrote to it first (the desk's notices)."""
    for user_id, name in ((90_001, "刘领导"), (90_002, "孙丽")):
        await wait_ready(emu.user(user_id, name), probe)


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


def says(*fragments: str):
    return lambda m: any(f in (m.plain_text or "") for f in fragments)


async def report_flow(user, timer: Timer) -> None:
    """The shortest complete report a grid worker makes: from /report to the case number (事项编号).
    If the bot shows the duplicate screen (a case of the same kind in the village within 7 days), the
    worker submits it as a new case, as the reports here are all new."""
    t0 = time.perf_counter()
    msg = await timer.act(user, user.send_text("/report"))
    if "重新开始" in msg.buttons:  # a draft left by an earlier run that was stopped mid-report
        msg = await timer.act(user, user.press(msg, "重新开始"))
    msg = await timer.act(user, user.press(msg, "矛盾纠纷"))
    msg = await timer.act(user, user.press(msg, "邻里纠纷"))
    msg = await timer.act(user, user.press(msg, "一般"))
    await timer.act(user, user.press(msg, "使用 东山村 第一网格"), says("事发地点"))
    msg = await timer.act(user, user.send_text("村东头排水沟"), says("什么时候发生"))
    msg = await timer.act(user, user.press(msg, "刚刚"))
    msg = await timer.act(user, user.press(msg, "跳过"))
    msg = await timer.act(user, user.press(msg, "1"))
    msg = await timer.act(user, user.send_text("两户因排水沟争吵，需要调解"), says("附件（可选）"))
    msg = await timer.act(user, user.press(msg, "完成"))
    msg = await timer.act(user, user.press(msg, "✅ 提交"), says("事项编号", "可能是同一件事"))
    if "事项编号" not in (msg.plain_text or ""):
        await timer.act(user, user.press(msg, "🆕 仍作为新事项提交"), says("事项编号"))
    timer.run.last_latencies.append(timer.run.step_latencies[-1])
    timer.run.report_latencies.append(time.perf_counter() - t0)


# --- the replay floor: the same Bot API calls as the bot, nothing else --------------------------


@dataclass
class Recorded:
    """One Bot API call the bot made: method, its form fields as sent, the answer."""

    method: str
    fields: dict[str, str]
    result: object


@asynccontextmanager
async def in_process_bot(url: str, emu: Emulator, db: Database, on_answer=None):
    """The real bot in this process, on `emu` through an in-memory transport, ready (it answered
    /help and its start-up work is done), so that its database and its calls can be watched."""
    import httpx
    from telegram.request import HTTPXRequest

    from bot.app import build_application
    from bot.config import Settings

    def request():
        hooks = {"response": [on_answer]} if on_answer else {}
        return HTTPXRequest(httpx_kwargs={"transport": httpx.ASGITransport(app=emu.asgi), "event_hooks": hooks})

    settings = Settings(_env_file=None, telegram_bot_token=TOKEN, database_url=url, work_hours=ALL_DAY,
                        telegram_api_base_url=emu.base_url, telegram_file_base_url=emu.base_file_url)
    app = build_application(settings, db=db, request=request(), get_updates_request=request())
    started = time.monotonic()
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        await greet(emu, "/help")
        await asyncio.sleep(max(START_UP_SECONDS, start_up_left(started, url)))
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        db.close()


async def record_calls(url: str, reports: int = 2) -> list[list[Recorded]]:
    """Make `reports` reports as one grid worker through the real bot (in this process, on `url`)
    and return the Bot API calls it made, one list per user action (getUpdates left out). The
    last report is the one every later report looks like (it meets the duplicate screen)."""
    emu = Emulator(token=TOKEN, bot_username="bench_bot")
    calls: list[Recorded] = []
    starts: list[int] = []  # where each action of the last report begins in `calls`
    recording = False

    async def answered(response) -> None:
        await response.aread()
        method = response.request.url.path.rsplit("/", 1)[-1]
        if recording and method != "getUpdates":
            body = response.request.content
            fields = {k: v[0] for k, v in parse_qs(body.decode()).items()}  # PTB posts form fields
            calls.append(Recorded(method, fields, json.loads(response.content).get("result")))

    async with in_process_bot(url, emu, Database(make_engine(url)), answered):
        recording = True
        user, timer = emu.user(FIRST_USER, "网格员0"), Timer(Run())
        act = timer.act

        async def marked(user_, coro, predicate=None):
            starts.append(len(calls))
            return await act(user_, coro, predicate)

        timer.act = marked
        for _ in range(reports):
            starts.clear()
            await report_flow(user, timer)
        await asyncio.sleep(1.5)  # notifications leave the outbox: they count to the last action
    # A call made after the next action began (an answerCallbackQuery sent after the edit) counts to
    # that action: the totals of a report are what matter.
    return [calls[a:b] for a, b in zip(starts, [*starts[1:], len(calls)], strict=True)]


def replayable(call: Recorded) -> dict:
    result = call.result if isinstance(call.result, dict) else {}
    return {"method": call.method, "fields": call.fields, "message_id": result.get("message_id")}


FLOOR_STEPS = "TPPPPTPPPTPP"  # the report flow's texts (T) and presses (P), in its order


async def floor_flow(user, timer: Timer) -> None:
    t0 = time.perf_counter()
    msg = None
    for i, kind in enumerate(FLOOR_STEPS):
        if kind == "T":
            msg = await timer.act(user, user.send_text(f"消息 {i}"))
        else:
            msg = await timer.act(user, user.press(msg, "下一步"))
    timer.run.last_latencies.append(timer.run.step_latencies[-1])
    timer.run.report_latencies.append(time.perf_counter() - t0)


async def one_run(kind: str, db_url: str, users: int, reports: int, script: Path | None = None,
                  warmup: int = 1) -> Run:
    emu = Emulator(token=TOKEN, bot_username="bench_bot")
    run = Run()
    async with await serve(emu, host="127.0.0.1", port=0) as server:
        started = time.monotonic()
        proc = start_bot(kind, server, db_url, script)
        try:
            await greet(emu, "/help" if kind == "report" else "ping")
            flow = floor_flow if kind == "floor" else report_flow
            timer = Timer(run)
            participants = [emu.user(FIRST_USER + i, f"网格员{i}") for i in range(users)]

            async def worker(user, timer: Timer, flows: int):
                for _ in range(flows):
                    await flow(user, timer)

            # Warm-up, untimed, alike for every bot: each user goes through `warmup` flows first, so
            # that the timed part is the steady state (the bot's memos, SQLAlchemy's compiled
            # statements and SQLite's pages filled, as after the first minutes of a working day),
            # then the start-up work (the first run of the sweeps, 2 s after start) is let finish.
            await asyncio.gather(*(worker(u, Timer(Run()), warmup) for u in participants))
            await asyncio.sleep(max(START_UP_SECONDS, start_up_left(started, db_url)))

            cases_before = count_cases(db_url) if kind == "report" else 0
            calls_before, cpu_before = len(emu.calls), cpu_seconds(proc.pid)
            t0 = time.perf_counter()
            await asyncio.gather(*(worker(u, timer, reports) for u in participants))
            run.seconds = time.perf_counter() - t0
            run.cpu_seconds = cpu_seconds(proc.pid) - cpu_before
            run.api_calls = sum(1 for c in emu.calls[calls_before:] if c.method.lower() != "getupdates")
            if kind == "report":
                await asyncio.sleep(1.5)  # let the last notifications leave the outbox before counting
                run.cases_created = count_cases(db_url) - cases_before
                if run.cases_created != users * reports:
                    raise SystemExit(f"{users * reports} reports sent but {run.cases_created} cases created: "
                                     "the flow did not finish reports; no table printed")
        finally:
            proc.terminate()  # its shutdown still talks to the emulator: wait without blocking the loop
            try:
                await asyncio.to_thread(proc.wait, 20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            err = proc.log.read_text(errors="replace")
            proc.log.unlink()
            if kind == "replay":  # the replay is only a floor if the emulator took its calls
                print("".join(err.strip().splitlines()[-1:]), file=sys.stderr)
    return run


def spread_of(ratios: list[float]) -> str:
    return f"{statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f})"


def summary(runs: list[Run]) -> dict:
    rates = [r.rate for r in runs]
    mean = statistics.median(statistics.fmean(r.step_latencies) for r in runs)
    return {
        "rate": statistics.median(rates), "min": min(rates), "max": max(rates),
        "p50": statistics.median(pct(r.step_latencies, 0.5) for r in runs) * 1000,
        "p95": statistics.median(pct(r.step_latencies, 0.95) for r in runs) * 1000,
        "mean": mean * 1000,
        "little": statistics.median(r.rate for r in runs) * mean,
        "calls": statistics.median(r.api_calls / r.updates for r in runs),
        "cpu": statistics.median(r.cpu_seconds / r.updates for r in runs) * 1000,
        "flow_p50": statistics.median(pct(r.report_latencies, 0.5) for r in runs),
        "last_p50": statistics.median(pct(r.last_latencies, 0.5) for r in runs) * 1000,
        "last_p95": statistics.median(pct(r.last_latencies, 0.95) for r in runs) * 1000,
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
    parser.add_argument("--warmup", type=int, default=1,
                        help="untimed flows per user before the timed part, for every bot (0: time from a cold start)")
    parser.add_argument("--hours", choices=["working", "off"], default="working",
                        help="the center's working hours (reports go to the case desk at once) or off hours (to the digest)")
    parser.add_argument("--pin", action=argparse.BooleanOptionalAction, default=True,
                        help="each bot on a CPU of its own, the emulator and the users on the others (the same for "
                             "every bot: less of the two processes' contention in the figures)")
    args = parser.parse_args()
    cpus = sorted(os.sched_getaffinity(0))
    if args.pin and len(cpus) >= 2:
        BOT_CPUS.add(cpus[-1])
        os.sched_setaffinity(0, set(cpus[:-1]))
        print(f"bots on CPU {cpus[-1]}, the emulator and the users on CPU {','.join(map(str, cpus[:-1]))}")
    workdir = Path(tempfile.mkdtemp(prefix="bench-report-"))
    rows, rounds = [], []  # rounds: each round's own /report ratios, against the floors run just before it
    for db_kind in [*([] if args.only_pg else ["sqlite"]), *(["postgresql"] if args.pg else [])]:
        url = fresh_database(db_kind, args.pg, workdir)
        seed(url, args.users, 0, args.hours)
        full_url = fresh_database(db_kind, args.pg, workdir) if args.cases else None
        if full_url:
            seed(full_url, args.users, args.cases, args.hours)
        script = workdir / f"replay-{db_kind}.json"
        script.write_text(json.dumps([[replayable(c) for c in action] for action in await record_calls(url)]))
        # Interleaved, so that a slow phase of the machine hits all alike: the full database's run too
        # (run after all the others, a machine that slows down over the minutes made it look slower).
        floor_runs, replay_runs, empty_runs, full_runs = [], [], [], []
        for _ in range(args.runs):
            floor_runs.append(await one_run("floor", url, args.users, args.reports, warmup=args.warmup))
            replay_runs.append(await one_run("replay", url, args.users, args.reports, script, args.warmup))
            empty_runs.append(await one_run("report", url, args.users, args.reports, warmup=args.warmup))
            if full_url:
                full_runs.append(await one_run("report", full_url, args.users, args.reports, warmup=args.warmup))
        for used in (url, full_url):
            if used:
                drop_database(used, args.pg)
        floor, replay, empty = summary(floor_runs), summary(replay_runs), summary(empty_runs)
        p95s = [pct(f.step_latencies, 0.95) / pct(e.step_latencies, 0.95)
                for f, e in zip(full_runs, empty_runs, strict=True)] if full_runs else []
        rounds.append((db_kind, [e.rate / f.rate for e, f in zip(empty_runs, floor_runs, strict=True)],
                       [e.rate / r.rate for e, r in zip(empty_runs, replay_runs, strict=True)], p95s))
        rows.append((db_kind, "floor bot", floor, None, None))
        rows.append((db_kind, "replay floor", replay, floor, None))
        rows.append((db_kind, "/report, empty DB", empty, floor, replay))
        if full_runs:
            full = summary(full_runs)
            rows.append((db_kind, f"/report, {args.cases:,} cases", full, floor, replay))
            rows.append((db_kind, "p95 full/empty", {"p95": full["p95"] / empty["p95"]}, None, None))
    print(f"\n{args.users} users × {args.reports} reports of {len(FLOOR_STEPS)}+ updates, {args.hours} hours, median of "
          f"{args.runs} runs (min–max), each bot in its own process; every report ended with its case number\n")
    print(f"{'db':<11}{'scenario':<24}{'updates/s (min–max)':>22}{'ratio':>7}{'÷replay':>8}{'p50 ms':>8}"
          f"{'p95 ms':>8}{'mean ms':>9}{'rate×mean':>10}{'calls/upd':>10}{'CPU ms/upd':>11}{'last p50/p95 ms':>17}")
    for db_kind, name, m, base, replay in rows:
        if "rate" not in m:
            print(f"{db_kind:<11}{name:<24}{'':>22}{'':>7}{'':>8}{'':>8}{m['p95']:>8.2f}")
            continue
        ratio = f"{m['rate'] / base['rate']:.2f}" if base else "1.00"
        to_replay = f"{m['rate'] / replay['rate']:.2f}" if replay else ""
        spread = f"{m['rate']:.0f} ({m['min']:.0f}–{m['max']:.0f})"
        print(f"{db_kind:<11}{name:<24}{spread:>22}{ratio:>7}{to_replay:>8}{m['p50']:>8.1f}{m['p95']:>8.1f}"
              f"{m['mean']:>9.1f}{m['little']:>10.1f}{m['calls']:>10.2f}{m['cpu']:>11.2f}"
              f"{m['last_p50']:>10.1f}/{m['last_p95']:.1f}")
    print()
    for db_kind, to_floor, to_replay, p95s in rounds:
        print(f"{db_kind:<11}/report, empty DB, ratio of each round: floor bot {spread_of(to_floor)}, "
              f"replay floor {spread_of(to_replay)}" + (f"; p95 full/empty {spread_of(p95s)}" if p95s else ""))
    print(f"\nrate×mean should be close to the {args.users} users kept busy (Little's law). ratio: against the\n"
          "floor bot (a few bytes per answer); ÷replay: against the replay floor (the bot's own calls and\n"
          "messages, replayed without a database): what is left there is the cost of our own work.\n"
          "last: the answer to a flow's last step (for /report, 提交: the registration and its case number).")


if __name__ == "__main__":
    asyncio.run(main())
