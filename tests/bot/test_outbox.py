"""The outbox sender through the real Application and the Bot API emulator: every notification
arrives exactly once, urgent first, within Telegram's limits, through 429s, 5xx, timeouts and
blocked users, and admins hear about whatever cannot be delivered."""

import asyncio
import itertools
import time
from datetime import time as dtime
from datetime import timedelta

import pytest
from sqlmodel import col, select
from telegram.request import HTTPXRequest

from bot.context import deps
from bot.emulator.server import serve
from bot.jobs import outbox_sender
from bot.sender import OutboxSender
from bot.services import outbox, people
from models import Outbox, OutboxStatus, Person, Role
from tests.bot.harness import DIRECTOR_ID, BotHarness, say


@pytest.fixture
async def bot(db_url, clock):
    """These tests are about Telegram's limits: the sender keeps its real pace here."""
    harness = BotHarness(db_url=db_url, clock=clock, telegram_limits=True)
    await harness.start()
    yield harness
    await harness.stop()


class StampedCalls(list):
    """The emulator's call log with the monotonic arrival time of each call (`call.at`)."""

    def append(self, call) -> None:
        call.at = time.monotonic()
        super().append(call)


def stamp_calls(bot) -> StampedCalls:
    stamped = StampedCalls(bot.emu.world.calls)
    bot.emu.world.calls = stamped
    return stamped


def sends(bot, chat_id: int, *, ok: bool | None = None) -> list:
    calls = bot.emu.calls_to("sendMessage", chat_id=chat_id)
    return [c for c in calls if ok is None or (c.status == 200) == ok]


async def until(condition, timeout: float = 15.0, step: float = 0.01) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(step)


def sender(bot, **knobs) -> OutboxSender:
    s = outbox_sender(bot.app)
    for name, value in knobs.items():
        setattr(s, name, value)
    return s


def quick_retries(bot, **more) -> OutboxSender:
    """Retry at once and space a chat's retries by 50 ms, so failure tests take no seconds."""
    return sender(bot, backoff=lambda attempts: 0.0, chat_interval=0.05, **more)


async def registered(bot, *user_ids: int, phone_prefix: str = "1380000"):
    """People with a Telegram account, each of whom has written to the bot once (so the chat exists)."""
    result = []
    for n, user_id in enumerate(user_ids):
        person_id = bot.db.call(
            lambda session, user_id=user_id, n=n: people.create_person(
                session, name=f"网格员{n + 1}号", phone=f"{phone_prefix}{user_id:04d}", roles={Role.grid},
                now=bot.clock.now(), telegram_id=user_id,
            ).id
        )
        user = bot.user(user_id, f"网格员{n + 1}号")
        await say(user, "/help")
        result.append((user, person_id))
    return result


def queue(bot, *messages: dict) -> None:
    """Enqueue in ONE transaction, as a service would (so a sweep sees all or none)."""

    def work(session):
        for m in messages:
            m = {"text": f"通知 {m['key']}", **m}
            outbox.enqueue(session, now=bot.clock.now(), **m)

    bot.db.call(work)


def row(bot, key: str) -> Outbox:
    with bot.db.session() as s:
        return s.exec(select(Outbox).where(Outbox.key == key)).one()


def texts_after(user, before: int) -> list[str]:
    return [m.plain_text for m in user.messages()[before:]]


async def test_every_notification_arrives_exactly_once(bot, director):
    users = [(director, None), *await registered(bot, 2001, 2002, 2003)]
    before = {u.id: (len(u.messages()), len(sends(bot, u.id))) for u, _ in users}
    queue(
        bot,
        *[
            {
                "chat_id": u.id, "person_id": pid, "key": f"n:{u.id}:{i}", "text": f"<b>通知</b> {i} &amp; 请查看",
                "buttons": [[("查看事项", f"case:{i}"), ("受理", f"acc:{i}")]] if i == 0 else None,
            }
            for u, pid in users
            for i in range(2)
        ],
    )
    await until(lambda: all(len(u.messages()) == before[u.id][0] + 2 for u, _ in users))
    await bot.settle(0.5)  # and nothing more arrives
    for u, _ in users:
        assert texts_after(u, before[u.id][0]) == ["通知 0 & 请查看", "通知 1 & 请查看"]
        first = u.messages()[before[u.id][0]]
        assert first.buttons == ["查看事项", "受理"] and first.text == "<b>通知</b> 0 &amp; 请查看"
        assert len(sends(bot, u.id)) == before[u.id][1] + 2

    def rows():
        with bot.db.session() as s:
            return list(s.exec(select(Outbox)))

    await until(lambda: {r.status for r in rows()} == {OutboxStatus.sent})  # recorded after Telegram's answer
    assert len(rows()) == 8 and {r.attempts for r in rows()} == {1}


async def test_same_key_twice_is_delivered_once(bot, director):
    before = len(director.messages())
    assert bot.db.call(outbox.enqueue, chat_id=DIRECTOR_ID, text="会议通知", key="meeting:1", now=bot.clock.now())
    assert not bot.db.call(outbox.enqueue, chat_id=DIRECTOR_ID, text="会议通知", key="meeting:1", now=bot.clock.now())
    await director.wait_for_message()
    await bot.settle(1.2)
    assert texts_after(director, before) == ["会议通知"]


async def test_urgent_goes_first(bot, director):
    calls = stamp_calls(bot)
    (a, pa), (b, pb), (c, pc) = await registered(bot, 2101, 2102, 2103)
    mark = len(calls)
    queue(
        bot,
        {"chat_id": a.id, "person_id": pa, "key": "a1"},
        {"chat_id": b.id, "person_id": pb, "key": "b1"},
        {"chat_id": a.id, "person_id": pa, "key": "a2"},
        {"chat_id": c.id, "person_id": pc, "key": "c-urgent", "urgent": True},
        {"chat_id": a.id, "person_id": pa, "key": "a-urgent", "urgent": True},
    )
    await until(lambda: len(a.messages()) == 4 and len(b.messages()) == 2 and len(c.messages()) == 2)
    order = [call.params["text"] for call in calls[mark:] if call.method == "sendMessage"]
    assert order[:2] == ["通知 c-urgent", "通知 a-urgent"]
    assert order.index("通知 b1") < order.index("通知 a1") < order.index("通知 a2")
    assert texts_after(a, 1) == ["通知 a-urgent", "通知 a1", "通知 a2"]


async def test_429_is_honoured_and_pauses_the_whole_sender(bot, director):
    stamp_calls(bot)
    (a, pa), (b, pb) = await registered(bot, 2201, 2202)
    bot.emu.faults.add("sendMessage", status=429, retry_after=1, chat_id=a.id)
    queue(bot, {"chat_id": a.id, "person_id": pa, "key": "a"})
    await until(lambda: sends(bot, a.id, ok=False))
    refused_at = sends(bot, a.id, ok=False)[0].at
    # Given back without counting the attempt, due again after retry_after on the DB clock.
    await until(lambda: row(bot, "a").attempts == 0)
    assert row(bot, "a").next_attempt_at == bot.clock.now() + timedelta(seconds=1)
    queue(bot, {"chat_id": b.id, "person_id": pb, "key": "b"})  # another chat must wait too
    bot.clock.advance(timedelta(seconds=1))
    await until(lambda: len(a.messages()) == 2 and len(b.messages()) == 2)
    [a_ok] = sends(bot, a.id, ok=True)[-1:]
    [b_ok] = sends(bot, b.id, ok=True)[-1:]
    assert a_ok.at - refused_at >= 0.95 and b_ok.at - refused_at >= 0.95
    await until(lambda: row(bot, "a").status == OutboxStatus.sent)  # recorded after Telegram's answer
    assert row(bot, "a").attempts == 1


async def test_server_errors_are_retried_with_backoff_until_delivered(bot, director):
    [(a, pa)] = await registered(bot, 2301)
    s = sender(bot)
    assert [s.backoff(n) for n in (1, 2, 3)] == [2, 4, 8]
    bot.emu.faults.add("sendMessage", status=500, times=3, chat_id=a.id)
    queue(bot, {"chat_id": a.id, "person_id": pa, "key": "a"})
    await until(lambda: len(sends(bot, a.id, ok=False)) == 1)
    await until(lambda: row(bot, "a").last_error is not None)
    # The default backoff waits 2 s on the database clock; nothing happens until then.
    assert row(bot, "a").next_attempt_at == bot.clock.now() + timedelta(seconds=2)
    await bot.settle(1.2)
    assert len(sends(bot, a.id, ok=False)) == 1
    quick_retries(bot)
    bot.clock.advance(timedelta(seconds=2))
    await until(lambda: row(bot, "a").status == OutboxStatus.sent)
    await bot.settle(0.3)
    assert texts_after(a, 1) == ["通知 a"]
    assert len(sends(bot, a.id, ok=False)) == 3 and len(sends(bot, a.id, ok=True)) == 2  # /help + this
    r = row(bot, "a")
    assert r.status == OutboxStatus.sent and r.attempts == 4 and "Internal Server Error" in r.last_error


async def test_timeout_is_retried_without_a_duplicate_in_process(bot, director):
    """In process the timed-out request is cancelled inside the emulator, so it never lands."""
    [(a, pa)] = await registered(bot, 2401)
    quick_retries(bot, send_timeout=0.5)
    bot.emu.faults.add("sendMessage", delay=2.0, times=1, chat_id=a.id)
    queue(bot, {"chat_id": a.id, "person_id": pa, "key": "a"})
    await until(lambda: row(bot, "a").status == OutboxStatus.sent)
    await bot.settle(2.0)  # past the delay: the cancelled request must not show up late
    assert texts_after(a, 1) == ["通知 a"]
    r = row(bot, "a")
    assert r.attempts >= 2 and r.last_error.startswith("TimedOut")
    assert len(sends(bot, a.id)) == 1 + r.attempts  # /help's answer, the timed-out try, the retry


class HttpHarness(BotHarness):
    """The same Application, but talking to the emulator over real HTTP on 127.0.0.1."""

    async def start(self) -> None:
        self.server = await serve(self.emu, port=0)
        self.settings = self.settings.model_copy(
            update={"telegram_api_base_url": self.server.base_url, "telegram_file_base_url": self.server.base_file_url}
        )
        await super().start()

    def _request(self) -> HTTPXRequest:
        return HTTPXRequest(connection_pool_size=8)

    async def stop(self) -> None:
        await super().stop()
        await self.server.stop()


@pytest.fixture
async def http_bot(db_url, clock):
    harness = HttpHarness(db_url=db_url, clock=clock, telegram_limits=True)
    await harness.start()
    yield harness
    await harness.stop()


async def test_timeout_after_telegram_accepted_can_duplicate_over_http(http_bot):
    """Documents at-least-once delivery: Telegram processes a request whose answer we stopped
    waiting for, and sendMessage has no idempotency key, so the retry shows a second copy.
    Not retrying would risk losing the message instead (DESIGN.md rule 2: nothing is lost)."""
    bot = http_bot
    [(a, pa)] = await registered(bot, 2501)
    quick_retries(bot, send_timeout=0.5)
    bot.emu.faults.add("sendMessage", delay=1.5, times=1, chat_id=a.id)
    queue(bot, {"chat_id": a.id, "person_id": pa, "key": "a"})
    await until(lambda: row(bot, "a").status == OutboxStatus.sent)
    await bot.settle(1.8)  # the timed-out request completes on the server meanwhile
    r = row(bot, "a")
    assert r.attempts >= 2 and r.last_error.startswith("TimedOut")
    # Every try reached Telegram: the retry, then the late original (more copies only if the
    # retry timed out as well on a slow machine).
    assert texts_after(a, 1) == ["通知 a"] * r.attempts


async def test_blocked_user_is_marked_unreachable_and_admin_alerted_once(bot, director):
    [(a, pa)] = await registered(bot, 2601)
    a.block_bot()
    before = len(director.messages())
    queue(bot, {"chat_id": a.id, "person_id": pa, "key": "a", "text": "事项 <b>2026-0007</b> 已分派给您"})
    alert = await director.wait_for_message()
    assert "网格员1号（电话 13800002601） 已屏蔽机器人，消息无法送达，请电话联系" in alert.plain_text
    assert "事项 2026-0007 已分派给您" in alert.plain_text
    await bot.settle(1.2)
    assert len(director.messages()) == before + 1
    assert len(sends(bot, a.id)) == 2  # /help's answer and one refused try: no retries
    assert row(bot, "a").status == OutboxStatus.dead
    with bot.db.session() as s:
        assert s.get(Person, pa).unreachable


async def test_too_many_failures_end_as_dead_letter_with_admin_alert(bot, director):
    [(a, pa)] = await registered(bot, 2701)
    quick_retries(bot, max_attempts=3)
    bot.emu.faults.add("sendMessage", status=502, times=None, chat_id=a.id)
    before = len(director.messages())
    queue(bot, {"chat_id": a.id, "person_id": pa, "key": "a", "text": "请于周五前上报进展"})
    alert = await director.wait_for_message()
    assert "发送 3 次仍失败" in alert.plain_text and "网格员1号" in alert.plain_text
    assert "请于周五前上报进展" in alert.plain_text
    await bot.settle(1.2)
    assert len(sends(bot, a.id, ok=False)) == 3 and len(director.messages()) == before + 1
    r = row(bot, "a")
    assert r.status == OutboxStatus.dead and r.attempts == 3
    bot.emu.faults.clear()


async def test_chat_not_found_is_a_dead_letter_at_once(bot, director):
    person_id = bot.db.call(
        lambda session: people.create_person(
            session, name="没聊过", phone=None, roles={Role.grid}, now=bot.clock.now(), telegram_id=2801
        ).id
    )
    queue(bot, {"chat_id": 2801, "person_id": person_id, "key": "x"})
    alert = await director.wait_for_message()
    assert "发送 1 次仍失败" in alert.plain_text and "没聊过" in alert.plain_text
    assert "chat not found" in alert.plain_text.lower()
    assert row(bot, "x").status == OutboxStatus.dead and len(sends(bot, 2801)) == 1


async def test_one_message_a_second_per_chat_and_other_chats_not_held_back(bot, director):
    calls = stamp_calls(bot)
    (a, pa), (b, pb) = await registered(bot, 2901, 2902)
    mark = len(calls)
    queue(
        bot,
        *[{"chat_id": u.id, "person_id": p, "key": f"{u.id}:{i}"} for i in range(3) for u, p in ((a, pa), (b, pb))],
    )
    await until(lambda: len(a.messages()) == 4 and len(b.messages()) == 4)
    for user in (a, b):
        times = [c.at for c in calls[mark:] if c.method == "sendMessage" and c.params["chat_id"] == user.id]
        assert len(times) == 3
        gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
        assert min(gaps) >= 0.95, gaps
    firsts = [c.at for c in calls[mark:] if c.method == "sendMessage"][:2]
    assert firsts[1] - firsts[0] < 0.9  # the second chat did not wait for the first's 1 s spacing


async def test_whole_bot_rate_is_kept_across_chats(bot, director):
    calls = stamp_calls(bot)
    users = await registered(bot, *range(3001, 3009))
    sender(bot, rate=5.0)  # 30/s in production; 5/s makes the window visible in a short test
    mark = len(calls)
    queue(bot, *[{"chat_id": u.id, "person_id": p, "key": f"g{u.id}"} for u, p in users])
    await until(lambda: all(len(u.messages()) == 2 for u, _ in users))
    times = sorted(c.at for c in calls[mark:] if c.method == "sendMessage")
    assert len(times) == 8
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.15  # no bursts (0.9 × 1/5 s)
    assert all(b - a >= 1.0 for a, b in zip(times, times[5:], strict=False))  # ≤ 5 in any second
    assert times[-1] - times[0] < 4.5  # and not much slower (one a second would take 7 s)


async def test_restart_mid_delivery_loses_and_duplicates_nothing(bot, director):
    [(a, pa)] = await registered(bot, 3101)
    queue(bot, *[{"chat_id": a.id, "person_id": pa, "key": f"r{i}"} for i in range(3)])
    await until(lambda: len(a.messages()) >= 2)
    await bot.restart()  # the sender is waiting out the chat's 1 s spacing: it gives the rest back
    with bot.db.session() as s:
        pending = list(s.exec(select(Outbox).where(col(Outbox.status) == OutboxStatus.pending)))
    assert all(r.next_attempt_at <= bot.clock.now() for r in pending)  # due now, not after a lease
    await until(lambda: len(a.messages()) == 4)
    await bot.settle(1.2)
    assert texts_after(a, 1) == ["通知 r0", "通知 r1", "通知 r2"]


async def test_protected_messages_go_with_protect_content(bot, director):
    before = len(director.messages())
    queue(bot, {"chat_id": DIRECTOR_ID, "key": "secret", "protect": True}, {"chat_id": DIRECTOR_ID, "key": "open"})
    await until(lambda: len(director.messages()) == before + 2)
    secret, plain = director.messages()[before:]
    assert secret.plain_text == "通知 secret" and secret.protected
    assert plain.plain_text == "通知 open" and not plain.protected
    assert bot.emu.calls_to("sendMessage", chat_id=DIRECTOR_ID)[-2].params.get("protect_content") in (True, "true")


async def test_an_edit_rewrites_the_sent_copy_and_removes_its_buttons(bot, director):
    before = len(director.messages())
    queue(bot, {"chat_id": DIRECTOR_ID, "key": "alert:1", "text": "🚨 紧急", "buttons": [[("收到", "ack:1")]]})
    await until(lambda: len(director.messages()) == before + 1)
    await until(lambda: row(bot, "alert:1").tg_message_id is not None)
    queue(bot, {"chat_id": DIRECTOR_ID, "key": "edit:1", "edit_key": "alert:1", "text": "🚨 紧急\n✅ 已由 张三 确认"})
    await until(lambda: row(bot, "edit:1").status == OutboxStatus.sent)
    [alert] = director.messages()[before:]  # edited in place, no new message
    assert alert.plain_text == "🚨 紧急\n✅ 已由 张三 确认" and alert.buttons == []
    # The same edit again (e.g. a repeated press) is harmless: Telegram's "not modified" is not an error.
    queue(bot, {"chat_id": DIRECTOR_ID, "key": "edit:1b", "edit_key": "alert:1", "text": "🚨 紧急\n✅ 已由 张三 确认"})
    await until(lambda: row(bot, "edit:1b").status == OutboxStatus.sent)



@pytest.fixture
async def forgetful_bot(db_url, clock):
    harness = BotHarness(db_url=db_url, clock=clock)
    harness.settings = harness.settings.model_copy(update={"outbox_text_days": 30})
    await harness.start()
    yield harness
    await harness.stop()


async def test_the_default_keeps_notification_texts(bot):
    assert not bot.app.job_queue.get_jobs_by_name("outbox-texts")


async def test_old_notification_texts_are_cleared_at_three_and_the_chat_keeps_them(forgetful_bot, clock):
    bot = forgetful_bot
    [job] = bot.app.job_queue.get_jobs_by_name("outbox-texts")
    assert job.next_t.astimezone(deps(bot.app).settings.tz).time() == dtime(3, 0)
    director = bot.user(DIRECTOR_ID, "志强", last_name="王")
    await say(director, "/start")
    before = len(director.messages())
    queue(bot, {"chat_id": DIRECTOR_ID, "key": "old", "text": "张三 13800000001 反映邻里纠纷"})
    await until(lambda: row(bot, "old").status == OutboxStatus.sent)
    clock.advance(timedelta(days=29))
    queue(bot, {"chat_id": DIRECTOR_ID, "key": "recent"})
    await until(lambda: row(bot, "recent").status == OutboxStatus.sent)
    clock.advance(timedelta(days=2))
    await job.run(bot.app)
    assert row(bot, "old").text == "" and row(bot, "old").tg_message_id is not None
    assert row(bot, "recent").text == "通知 recent"
    assert texts_after(director, before) == ["张三 13800000001 反映邻里纠纷", "通知 recent"]  # Telegram holds it


def test_thirty_days_is_the_shortest_retention():  # shorter ones: tests/bot/test_process.py
    from bot.config import load_settings

    assert load_settings(_env_file=None, telegram_bot_token="1:x", outbox_text_days=30).outbox_text_days == 30
