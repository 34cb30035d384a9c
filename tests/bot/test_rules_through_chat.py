"""Rules that were tested only in the services, now through the real bot as well: the clock is moved
and the sweeps run (bot.sweeps.sweep_all) as the scheduler would, the application's own sender
delivers, and people answer with buttons.

- An urgent report nobody acknowledges climbs to the party secretary (bot/services/alerts.py).
- A 督办 notice at 70 % of its time becomes a 黄牌 and the unit and the director are told
  (bot/services/supervision.py sweep).
- Only the director issues a 督办 notice: leaders and the secretary are refused in the chat (the
  service's own check is tested in tests/services/test_supervision.py).
"""

import asyncio
from datetime import date, timedelta

from sqlmodel import func, select

from bot import texts
from bot.services import alerts, intake, supervision
from bot.sweeps import sweep_all
from models import NoticeLevel, Outbox, OutboxStatus, Severity, SupervisionNotice
from tests.bot.steps import FIRST, SH, card_of, draft, has, local, toast
from tests.bot.towns import DIRECTOR, UNIT, timers_town


async def delivered(bot, timeout: float = 10.0) -> None:
    """Wait until the sender has delivered every queued message: only then may 'nobody was told' be asserted."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        with bot.db.session() as s:
            if s.exec(select(Outbox.id).where(Outbox.status == OutboxStatus.pending)).first() is None:
                return
        assert loop.time() < deadline, "the outbox was not delivered in time"
        await asyncio.sleep(0.02)


async def at(bot, moment) -> None:
    bot.clock.set(moment)
    await sweep_all(bot.app)
    await delivered(bot)


def said(user, *parts: str) -> list:
    return [m for m in user.messages() if all(p in (m.plain_text or "") for p in parts)]


# --- (a) an urgent report nobody acknowledges climbs to the party secretary ---------------------


async def test_unacknowledged_urgent_report_climbs_to_the_secretary(bot):
    ids, users, types, village, grid = await timers_town(bot)
    night = local(2026, 12, 5, 23, 0)  # Saturday night
    bot.db.call(alerts.set_duty, actor_id=ids[1], day=night.astimezone(SH).date(), duty_ids=[ids[4]],
                leader_ids=[ids[3]], now=bot.clock.now())
    bot.clock.set(night)
    result = bot.db.call(intake.register_report, actor_id=ids[6], now=night,
                         draft=draft(types, village, grid, "群体性事件苗头", Severity.major))
    assert result.urgent_alert
    number = result.case.number
    duty, leader, director, secretary, reporter = (users[t] for t in (4, 3, 1, 2, 6))
    for user in (duty, leader, director):  # the first rung: on duty, leader on call, director
        await user.wait_for_message(timeout=10, predicate=has("🚨 紧急事项", number))
    await delivered(bot)
    assert said(secretary, "紧急事项") == []

    await at(bot, night + timedelta(minutes=9))  # not yet ten minutes: nobody is paged again
    assert said(secretary, "紧急事项") == [] and said(duty, "已上报") == []

    await at(bot, night + timedelta(minutes=10))  # ten minutes without 收到: the secretary, and only them
    escalated = await secretary.wait_for_message(timeout=10, predicate=has("🚨 紧急事项", "10 分钟无人确认，已上报"))
    assert number in escalated.plain_text and texts.URGENT_ACK in escalated.buttons
    for user in (duty, leader, director, reporter):
        assert said(user, "已上报") == []

    cq = await secretary.press(escalated, texts.URGENT_ACK)
    await secretary.wait_for_callback_answer(cq)
    told = await reporter.wait_for_message(timeout=10, predicate=has("已由"))
    assert "书记" in told.plain_text and number in told.plain_text
    await at(bot, night + timedelta(minutes=40))  # acknowledged: the ladder stops
    await bot.drain_outbox()
    # One escalation, now edited to say who took it (every copy of an alert is, issue 10 item 8).
    assert [m.versions[0].plain_text for m in secretary.messages() if "已上报" in (m.versions[0].plain_text or "")] \
        == [escalated.versions[0].plain_text]
    assert "您已确认" in escalated.plain_text and escalated.buttons == []
    for user in (duty, leader, director):
        assert said(user, "已上报") == []


# --- (b) the automatic 督办 yellow card ------------------------------------------------------------


async def test_notice_turns_yellow_at_70_percent_and_unit_and_director_are_told(bot, office):
    unit, director = office.users[UNIT], office.users[DIRECTOR]
    n = office.issue(due=date(2026, 12, 4))  # Monday 09:00 → Friday 17:30: 32 working hours
    office.call(supervision.sign, actor_id=office.w.unit_contact, notice_id=n)
    await office.delivered()

    await office.sweep(local(2026, 12, 3, 11, 50))  # 70 % of 32 h = 22.4 h: Thursday 11:54, not yet
    assert office.notice(n).level == NoticeLevel.normal
    assert said(unit, "督办通知书", "黄牌") == [] and said(director, "督办通知书", "黄牌") == []

    await office.sweep(local(2026, 12, 3, 11, 54))
    told = await unit.wait_for_message(timeout=10, predicate=has(f"🟡 督办通知书 {FIRST} 已用去 70%", "升为黄牌"))
    assert "2026年12月4日" in told.plain_text or "2026年12月04日" in told.plain_text
    assert texts.SV_VIEW in told.buttons
    await director.wait_for_message(timeout=10, predicate=has(f"🟡 督办通知书 {FIRST}（镇司法所）", "已自动升为黄牌"))
    assert office.notice(n).level == NoticeLevel.yellow

    await unit.press(told, texts.SV_VIEW)
    card = await unit.wait_for_message(predicate=card_of(FIRST))
    assert card.plain_text.startswith(f"🟡 督办通知书 {FIRST}") and "黄牌" in card.plain_text

    await office.sweep(local(2026, 12, 3, 15, 0))  # told once
    assert len(said(unit, "升为黄牌")) == 1 and len(said(director, "已自动升为黄牌")) == 1


# --- (d) only the director issues a 督办 notice --------------------------------------------------


async def test_leader_and_secretary_may_not_issue_a_notice_in_the_chat(bot, office):
    for tid in (3, 2):  # 刘领导, 书记: they see notices, but do not issue them
        user = office.users[tid]
        await user.send_text("/supervise")
        assert (await user.wait_for_message(predicate=has(texts.NOT_ALLOWED))).plain_text == texts.NOT_ALLOWED
        await user.send_text("/supervise 2026-0001 镇司法所 2026-12-10 请调解到位")
        assert (await user.wait_for_message(predicate=has(texts.NOT_ALLOWED))).plain_text == texts.NOT_ALLOWED
        assert await toast(user, office.hello[tid], data=f"sv:new:{office.w.case_id}") == texts.NOT_ALLOWED
    with office.db.session() as s:
        assert s.exec(select(func.count()).select_from(SupervisionNotice)).one() == 0
