"""Two real run_bot.py processes on one PostgreSQL database against the emulator over HTTP: SIGKILL
the active one in the middle of a burst of notifications and an urgent alert, and measure how long
until the standby answers updates and runs the sweeps, and what was lost or sent twice.

Shared by tests/bot/test_failover.py (asserts the goals) and bench/bench_failover.py (prints the
numbers over more kills). Not a test module itself.
"""

import asyncio
import signal
import socket
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
from sqlmodel import col, func, select

from bot.clock import FrozenClock
from bot.db import Database, make_engine
from bot.emulator import Emulator
from bot.emulator.server import serve
from bot.services import alerts, outbox, people
from bot.services.alerts import AlertPolicy
from bot.services.deadlines import DeadlinePolicy
from models import Case, Outbox, OutboxStatus, Role, UrgentAlert
from tests.bot.harness import BOT_USERNAME, TOKEN
from tests.bot.steps import _env, run_bot_process
from tests.factories import Township

BURST_PEOPLE = 10
BURST_EACH = 4  # one a second per chat: a burst takes about this many seconds
LEASE_SECONDS = 5  # a message claimed by the killed process is retried after this


@dataclass
class Kill:
    updates_gap: float  # SIGKILL → the new active instance answered a message sent right after it
    sweep_gap: float  # SIGKILL → an urgent alert's escalation, due at the kill, delivered by the new one
    drained: float  # SIGKILL → every message of the burst delivered
    in_flight: set[str] = field(default_factory=set)  # accepted by Telegram, not yet written down at the kill


@dataclass
class Outcome:
    kills: list[Kill]
    lost: list[str]
    duplicated: list[str]  # texts delivered twice
    unexplained_duplicates: list[str]  # of those, any that were not in flight at a kill
    exit_codes: list[int]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Instance:
    def __init__(self, name: str, db_url: str, server, workdir):
        self.name = name
        self.port = _free_port()
        self.env = _env(db_url, server, OUTBOX_LEASE_SECONDS=str(LEASE_SECONDS), METRICS_PORT=str(self.port),
                        # Only the promotion's sweep runs in the test's window: a timer due at the kill is
                        # then swept by the new active instance, never by the one about to die.
                        SWEEP_INTERVAL_SECONDS="3600", DIGESTS_ENABLED="false")
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = run_bot_process(self.env, self.workdir, self.name)

    async def role(self) -> str | None:
        try:
            async with httpx.AsyncClient(timeout=2) as client:
                return (await client.get(f"http://127.0.0.1:{self.port}/healthz")).json()["role"]
        except (httpx.HTTPError, ValueError, KeyError):
            return None

    async def wait_role(self, role: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"{self.name} exited: {self.proc.log.read_text(errors='replace')[-2000:]}")
            if await self.role() == role:
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"{self.name} never became {role}")

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    async def stop(self) -> int:
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGINT)
        try:
            await asyncio.to_thread(self.proc.wait, 30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return -9
        return self.proc.returncode


async def _until(check, timeout: float, what: str) -> float:
    """Poll `check()` until true; returns the monotonic time it first held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return time.monotonic()
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


async def run(db_url: str, workdir, *, kills: int) -> Outcome:
    emu = Emulator(token=TOKEN, bot_username=BOT_USERNAME)
    db = Database(make_engine(db_url))
    clock = FrozenClock(datetime.now(UTC))  # the processes run on the real clock
    town = Township.build(db, clock)
    burst_users = [emu.user(7100 + i, f"人员{i}") for i in range(BURST_PEOPLE)]
    probe = emu.user(7200, "值守")  # receives nothing but the answers to what it sends
    with db.session() as s:
        for u in [*burst_users, probe]:
            people.create_person(s, name=f"人员{u.id}", phone=None, roles={Role.staff}, telegram_id=u.id,
                                 now=clock.now())
    ladder = [emu.user(tid, name) for tid, name in ((1, "王主任"), (2, "书记"), (3, "刘领导"), (6, "张网格"))]
    results: list[Kill] = []
    async with await serve(emu, host="127.0.0.1", port=0) as server:
        pair = [Instance("A", db_url, server, workdir), Instance("B", db_url, server, workdir)]
        try:
            pair[0].start()
            await pair[0].wait_role("active")
            pair[1].start()
            await pair[1].wait_role("standby")
            for u in [*burst_users, *ladder, probe]:  # each opens the chat, as a real person must first
                await u.send_text("/help")
            for u in [*burst_users, *ladder, probe]:
                await u.wait_for_message(timeout=30)
            clock.set(datetime.now(UTC))
            ref = town.submit(urgent=True)
            with db.session() as s:  # as intake opens it for an urgent report
                alert = alerts.open_urgent_alert(s, case=s.get(Case, ref.id), now=clock.now(),
                                                 policy=DeadlinePolicy(), alert_policy=AlertPolicy())
                alert.next_at = datetime.now(UTC) + timedelta(days=1)  # due only when a kill makes it so
                s.add(alert)
                alert_id = alert.id
            for n in range(kills):
                active, standby = (pair[0], pair[1]) if await pair[0].role() == "active" else (pair[1], pair[0])
                results.append(await _one_kill(n, db, emu, active, standby, burst_users, probe, alert_id))
                active.start()  # the killed one comes back as the standby
                await active.wait_role("standby")
        finally:
            codes = [await inst.stop() for inst in pair]
    db.close()
    lost, duplicated = [], []
    for u in burst_users:
        texts = Counter(m.plain_text for m in u.messages() if m.plain_text.startswith("通知"))
        expected = {f"通知 {n}.{k} 给 {u.id}" for n in range(kills) for k in range(BURST_EACH)}
        lost += sorted(expected - set(texts))
        duplicated += sorted(t for t, c in texts.items() if c > 1)
    in_flight = set().union(*(k.in_flight for k in results)) if results else set()
    return Outcome(results, lost, duplicated, [t for t in duplicated if t not in in_flight], codes)


async def _one_kill(n, db, emu, active, standby, burst_users, probe, alert_id) -> Kill:
    with db.session() as s:  # the burst, in one transaction as a real change writes it, urgent first
        for k in range(BURST_EACH):
            for u in burst_users:
                outbox.enqueue(s, chat_id=u.id, text=f"通知 {n}.{k} 给 {u.id}", key=f"burst:{n}:{u.id}:{k}",
                               urgent=k == 0, now=datetime.now(UTC))

    def delivered() -> set[str]:
        return {m.plain_text for u in burst_users for m in u.messages() if m.plain_text.startswith(f"通知 {n}.")}

    total = BURST_PEOPLE * BURST_EACH
    await _until(lambda: len(delivered()) >= total // 3, 30, "a third of the burst")
    with db.session() as s:  # the urgent alert falls due: nobody acknowledged it
        alert = s.get(UrgentAlert, alert_id)
        level = alert.level + 1
        alert.next_at = datetime.now(UTC)
        s.add(alert)
    active.kill()
    killed = time.monotonic()
    answered_before = len(probe.messages())
    await probe.send_text("/help")
    await asyncio.sleep(1.0)  # requests written just before the kill are still served: let them land
    before = delivered()
    with db.session() as s:
        confirmed = set(s.exec(select(Outbox.text).where(Outbox.status == OutboxStatus.sent,
                                                         col(Outbox.key).like(f"burst:{n}:%"))))
    in_flight = before - confirmed
    assert len(before) < total, "the kill must land in the middle of the burst"

    def escalated() -> bool:
        with db.session() as s:
            return s.exec(select(func.count()).where(col(Outbox.key).like(f"urg:{alert_id}:l{level}:%"),
                                                     Outbox.status == OutboxStatus.sent)).one() > 0

    answered = asyncio.create_task(_until(lambda: len(probe.messages()) > answered_before, 60,
                                          "the answer to a message sent after the kill"))
    swept = asyncio.create_task(_until(escalated, 60, "the escalation"))
    drained = asyncio.create_task(_until(lambda: len(delivered()) == total, 90, "the whole burst"))
    await standby.wait_role("active", timeout=60)
    t_answer, t_sweep, t_drain = await asyncio.gather(answered, swept, drained)
    return Kill(t_answer - killed, t_sweep - killed, t_drain - killed, in_flight)
