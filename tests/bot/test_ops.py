"""Health, metrics, the standby's refusals and the election (issue 18), in one process."""

import asyncio
import os
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlmodel import col, select

from bot.context import deps
from bot.db import normalize_url
from bot.ops import metrics
from bot.ops.election import Election, Role
from bot.ops.status import Status
from bot.ops.web import SECRET_HEADER, OpsWeb
from bot.services import alerts, outbox
from bot.services.alerts import AlertPolicy
from bot.services.deadlines import DeadlinePolicy
from bot.sweeps import sweep_all
from models import Case, Outbox, OutboxStatus
from tests.bot.harness import say
from tests.factories import Township

SECRET = "test-secret"


def _client(bot, *, webhook: bool = False) -> httpx.AsyncClient:
    if webhook:
        live = deps(bot.app)
        live.settings = live.settings.model_copy(update={"webhook_url": "https://bot.example/hook",
                                                         "webhook_secret": type(live.settings.telegram_bot_token)(SECRET)})
    web = OpsWeb(bot.app, webhook=webhook).asgi()
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://ops")


@pytest.mark.parametrize("backlog, waited, says", [
    (0, 0, "待发通知：无"),
    (2, 30, "待发通知：2 条，正在发送"),  # under a minute: the normal flow
    (2, 7 * 60 + 5, "待发通知：2 条，最早的已等 7 分钟"),
    (40, 3 * 3600 + 5 * 60, "待发通知：40 条，最早的已等 3 小时 5 分钟"),
    (1, 2 * 86400, "待发通知：1 条，最早的已等 2 天"),
])
def test_the_status_says_how_long_notifications_have_waited(backlog, waited, says):
    stored = {"backlog": backlog, "oldest_seconds": waited, "dead": 0, "dead_recent": 0, "db_bytes": 2e6}
    status = Status(at="12月05日 09:00", database="sqlite", stored=stored, sweep_interval=30, sweep_lag=10,
                    sweeps_ok=True, text_days=0)
    assert status.text().splitlines()[3] == says


def test_outbox_state_counts_the_due_backlog_its_oldest_and_the_dead(db, clock):
    now = clock.now()
    with db.session() as s:
        for n, age in enumerate((120, 30, 0)):  # three due, the oldest queued two minutes ago
            outbox.enqueue(s, chat_id=10 + n, text="x", key=f"due:{n}", now=now - timedelta(seconds=age))
        outbox.enqueue(s, chat_id=20, text="later", key="later", now=now)
        s.exec(select(Outbox).where(Outbox.key == "later")).one().next_attempt_at = now + timedelta(minutes=5)
        outbox.enqueue(s, chat_id=21, text="gone", key="gone", now=now - timedelta(hours=1))
        outbox.enqueue(s, chat_id=22, text="long gone", key="long gone", now=now - timedelta(days=8))
        for dead in s.exec(select(Outbox).where(col(Outbox.key).in_(["gone", "long gone"]))):
            dead.status = OutboxStatus.dead
    state = db.call(metrics.outbox_state, now=now)
    assert state == {"backlog": 3.0, "oldest_seconds": 120.0, "dead": 2.0, "dead_recent": 1.0}
    stored = db.call(metrics.stored_state, now=now)
    assert stored == {**state, "db_bytes": stored["db_bytes"]} and stored["db_bytes"] > 100_000
    page = metrics.render(stored=stored, active=False, sweep_lag=12.5).decode()
    [size] = [line.split()[1] for line in page.splitlines() if line.startswith("zongzhi_database_bytes ")]
    assert float(size) == stored["db_bytes"]
    assert "zongzhi_outbox_backlog 3.0" in page and "zongzhi_outbox_oldest_age_seconds 120.0" in page
    assert "zongzhi_outbox_dead_letters 2.0" in page and "zongzhi_instance_active 0.0" in page
    assert "zongzhi_sweep_lag_seconds 12.5" in page


async def test_metrics_count_updates_deliveries_and_sweeps(bot, director):
    def sample(name, **labels):
        return metrics.REGISTRY.get_sample_value(name, labels) or 0.0

    await bot.drain_outbox()
    updates = sample("zongzhi_updates_total")
    await say(director, "/help")
    assert sample("zongzhi_updates_total") == updates + 1
    await bot.drain_outbox()
    sent, sweeps = sample("zongzhi_outbox_deliveries_total", result="sent"), sample("zongzhi_sweeps_total")
    with bot.db.session() as s:
        outbox.enqueue(s, chat_id=director.id, text="通知", key="m1", now=bot.clock.now())
    await bot.drain_outbox()
    assert sample("zongzhi_outbox_deliveries_total", result="sent") == sent + 1
    from bot.sweeps import run_sweeps

    await run_sweeps(type("Ctx", (), {"application": bot.app})())
    assert sample("zongzhi_sweeps_total") == sweeps + 1
    async with _client(bot) as client:
        page = (await client.get("/metrics")).text
    for name in ("zongzhi_update_seconds_bucket", "zongzhi_outbox_backlog", "zongzhi_outbox_oldest_age_seconds",
                 "zongzhi_outbox_dead_letters", "zongzhi_sweep_seconds_count", "zongzhi_sweep_lag_seconds",
                 "zongzhi_reminders_sent_total", "zongzhi_instance_active 1.0"):
        assert name in page, name


async def test_healthz_reports_role_database_and_telegram(bot):
    async with _client(bot) as client:
        active = await client.get("/healthz")
        deps(bot.app).role = Role(active=False)
        standby = await client.get("/healthz")
    assert active.status_code == 200
    assert active.json() | {"sweep_lag_seconds": None} == {
        "status": "ok", "role": "active", "database": True, "telegram": True, "sweeps": True,
        "sweep_lag_seconds": None}
    assert standby.status_code == 200 and standby.json()["role"] == "standby"


async def test_healthz_fails_when_the_database_is_unreachable(bot):
    async with _client(bot) as client:
        deps(bot.app).db.engine.dispose()
        real = deps(bot.app).db.read

        async def broken(*a, **kw):
            raise OSError("database down")

        deps(bot.app).db.read = broken
        try:
            reply = await client.get("/healthz")
        finally:
            deps(bot.app).db.read = real
    assert reply.status_code == 503 and reply.json()["database"] is False and reply.json()["status"] == "fail"


async def test_standby_webhook_answers_503_and_handles_nothing(bot):
    director = bot.user(1, "志强")
    await director.send_text("/start")
    await bot.app.updater.stop()  # the webhook alone takes updates here
    try:
        update = {"update_id": 900001, "message": {
            "message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"},
            "from": {"id": 1, "is_bot": False, "first_name": "志强"}, "text": "/help"}}
        await asyncio.sleep(0.5)
        before = len(director.messages())
        async with _client(bot, webhook=True) as client:
            assert (await client.post("/hook", json=update)).status_code == 403
            assert (await client.post("/hook", json=update, headers={SECRET_HEADER: "wrong"})).status_code == 403
            deps(bot.app).role = Role(active=False)
            standby = await client.post("/hook", json=update, headers={SECRET_HEADER: SECRET})
            await asyncio.sleep(0.5)
            assert standby.status_code == 503 and len(director.messages()) == before
            deps(bot.app).role = Role(active=True)
            active = await client.post("/hook", json=update, headers={SECRET_HEADER: SECRET})
        assert active.status_code == 200 and len(director.messages()) == before + 1
    finally:
        await bot.app.updater.start_polling(poll_interval=0, timeout=1)  # the harness stops it


async def test_a_standby_never_sweeps(bot):
    town = Township.build(bot.db, bot.clock)
    ref = town.submit(urgent=True)
    with bot.db.session() as s:
        alert = alerts.open_urgent_alert(s, case=s.get(Case, ref.id), now=bot.clock.now(), policy=DeadlinePolicy(),
                                         alert_policy=AlertPolicy())
        alert_id = alert.id
    bot.clock.advance(timedelta(minutes=11))  # nobody acknowledged: the escalation is due

    def escalations() -> int:
        with bot.db.session() as s:
            return len(s.exec(select(Outbox.id).where(col(Outbox.key).like(f"urg:{alert_id}:l1:%"))).all())

    deps(bot.app).role = Role(active=False)
    await sweep_all(bot.app)
    assert escalations() == 0
    deps(bot.app).role = Role(active=True)
    await sweep_all(bot.app)
    assert escalations() == 1  # the secretary, the next one up


# --- the election itself (PostgreSQL) ---------------------------------------------------------

needs_pg = pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
                              reason="the advisory lock election needs PostgreSQL")


async def _until(check, timeout=30.0):
    for _ in range(int(timeout / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition never held")


@needs_pg
async def test_one_instance_is_active_and_a_lost_connection_stands_it_down_at_once(db_url):
    log: list[str] = []

    def member(name: str) -> tuple[Role, Election]:
        role = Role()

        async def promote():
            log.append(f"{name}+")

        async def demote():
            log.append(f"{name}-")

        return role, Election(db_url, role, on_promote=promote, on_demote=demote, retry_seconds=0.2,
                              check_seconds=0.5, grace_seconds=0.5, key=4242)

    (role_a, a), (role_b, b) = member("a"), member("b")
    task_a = asyncio.create_task(a.run())
    await _until(lambda: role_a.active)
    task_b = asyncio.create_task(b.run())
    await asyncio.sleep(1.0)  # b tried several times meanwhile
    assert (role_a.active, role_b.active) == (True, False)
    # a's lock connection dies (a network cut, a killed backend): a stands down, b takes over
    admin = create_engine(normalize_url(db_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        killed = conn.execute(text(
            "SELECT pg_terminate_backend(l.pid) FROM pg_locks l WHERE l.locktype = 'advisory' AND l.objid = 4242"
            " AND l.granted")).scalars().all()
    admin.dispose()
    assert killed == [True]
    await _until(lambda: role_b.active)
    assert log[:3] == ["a+", "a-", "b+"]  # a had stood down before b was promoted
    assert not role_a.active
    b.stop()  # a clean stop releases the lock: a comes back
    await task_b
    await _until(lambda: role_a.active)
    a.stop()
    await task_a
    assert log == ["a+", "a-", "b+", "b-", "a+", "a-"]
