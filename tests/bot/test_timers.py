"""The timers through the real bot: the reminder ladder with and without 收到, an urgent report at
night reaching the people on duty, the off-hours digest and the hand-over — time moved, not waited."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.services import alerts, cases, intake
from bot.sweeps import sweep_all
from models import Case, CaseStatus, Person, Severity
from tests.bot.harness import press
from tests.bot.steps import draft
from tests.bot.towns import timers_town

SH = ZoneInfo("Asia/Shanghai")


def local(y, m, d, hh=9, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH).astimezone(UTC)


async def at(bot, moment):
    bot.clock.set(moment)
    await sweep_all(bot.app)


def mark(user, fragment):
    return lambda m: fragment in (m.plain_text or "")


async def test_reminder_ladder_with_and_without_acknowledgement(bot):
    ids, users, types, village, grid = await timers_town(bot)
    ref = bot.db.call(intake.register_report, actor_id=ids[6], draft=draft(types, village, grid),
                      now=bot.clock.now()).case
    bot.db.call(cases.accept, actor_id=ids[4], case_id=ref.id, now=bot.clock.now())
    bot.db.call(cases.assign, actor_id=ids[4], case_id=ref.id, handler_id=ids[5], now=bot.clock.now())
    handler, leader, director = users[5], users[3], users[1]

    await at(bot, local(2026, 12, 2, 16, 30))  # past 70 % of the working time (Wed 16:21)
    yellow = await handler.wait_for_message(timeout=10, predicate=mark(handler, "即将到期"))
    assert ref.number in yellow.plain_text and "✅ 收到" in yellow.buttons and "申请延期" in yellow.buttons

    await at(bot, local(2026, 12, 3, 8, 30))  # the due day: handler and the contact-point leader
    await handler.wait_for_message(timeout=10, predicate=mark(handler, "今天到期"))
    await leader.wait_for_message(timeout=10, predicate=mark(leader, "今天到期"))

    await at(bot, local(2026, 12, 4, 8, 30))  # first overdue working day: handler and director
    overdue = await handler.wait_for_message(timeout=10, predicate=mark(handler, "已超期"))
    to_director = await director.wait_for_message(timeout=10, predicate=mark(director, "超期督促"))
    # the top of the chain steps in; asking for more time or closing the case is the handler's
    assert {"📮 督办", "📅 设定期限", "查看事项"} <= set(to_director.buttons)
    assert "申请延期" not in to_director.buttons and "已办结" not in to_director.buttons
    await director.press(to_director, "📮 督办")
    # the 督办 flow answers (this town has no units yet); other notices of the sweep may come first
    await director.wait_for_message(timeout=10, predicate=mark(director, "督办"))
    cq = await handler.press(overdue, "✅ 收到")
    assert "不再重复提醒" in (await handler.wait_for_callback_answer(cq)).text

    await at(bot, local(2026, 12, 7, 8, 30))  # Monday: the director is reminded again, the handler not
    await director.wait_for_message(timeout=10, predicate=mark(director, "超期督促"))
    await at(bot, local(2026, 12, 7, 9, 0))
    assert sum("已超期" in m.plain_text for m in handler.messages()) == 1


async def test_urgent_report_at_night_reaches_the_duty_ladder(bot):
    ids, users, types, village, grid = await timers_town(bot)
    saturday = local(2026, 12, 5, 23, 0)
    bot.db.call(alerts.set_duty, actor_id=ids[1], day=saturday.astimezone(SH).date(), duty_ids=[ids[4]],
                leader_ids=[ids[3]], now=bot.clock.now())
    bot.clock.set(saturday)
    result = bot.db.call(intake.register_report, actor_id=ids[6], now=bot.clock.now(),
                         draft=draft(types, village, grid, "群体性事件苗头", Severity.major))
    assert result.urgent_alert and result.info_report_id
    duty, leader, reporter = users[4], users[3], users[6]
    alert = await duty.wait_for_message(timeout=10, predicate=mark(duty, "紧急事项"))
    await leader.wait_for_message(timeout=10, predicate=mark(leader, "紧急事项"))
    await reporter.wait_for_message(timeout=10, predicate=mark(reporter, "初报"))
    cq = await duty.press(alert, "✅ 收到，我来处理")
    await duty.wait_for_callback_answer(cq)
    told = await reporter.wait_for_message(timeout=10, predicate=mark(reporter, "已由"))
    assert "孙丽" in told.plain_text
    bot.clock.set(local(2026, 12, 5, 23, 30))  # acknowledged: nobody is paged again
    await sweep_all(bot.app)
    await bot.drain_outbox()  # whatever the sweep queued has been sent before we look
    for user in users.values():
        assert not any("上报）" in (m.versions[0].plain_text or "") for m in user.messages())


async def test_off_hours_report_goes_out_in_one_digest_and_duty_hand_over(bot):
    ids, users, types, village, grid = await timers_town(bot)
    bot.db.call(alerts.set_duty, actor_id=ids[1], day=local(2026, 12, 7).astimezone(SH).date(),
                duty_ids=[ids[4]], leader_ids=[ids[3]], now=bot.clock.now())
    bot.clock.set(local(2026, 12, 5, 21, 0))
    for _ in range(2):
        result = bot.db.call(intake.register_report, actor_id=ids[6], draft=draft(types, village, grid),
                             now=bot.clock.now())
        assert result.deferred_until == "12月07日 08:30"
    await at(bot, local(2026, 12, 6, 10, 0))  # Sunday: still quiet
    await at(bot, local(2026, 12, 7, 8, 30))
    desk = users[5]
    digest = await desk.wait_for_message(timeout=10, predicate=mark(desk, "非工作时间收到的事项共 2 件"))
    assert len(digest.buttons) == 2
    handover = await users[4].wait_for_message(timeout=10, predicate=mark(users[4], "值班交接"))
    assert "刘领导" in handover.plain_text


async def urgent_report_with_duty(bot):
    """Today's duty: 孙丽 (4) and 刘领导 (3); the grid worker reports a sign of a mass incident."""
    ids, users, types, village, grid = await timers_town(bot)
    today = bot.clock.now().astimezone(SH).date()
    bot.db.call(alerts.set_duty, actor_id=ids[1], day=today, duty_ids=[ids[4]], leader_ids=[ids[3]],
                now=bot.clock.now())
    ref = bot.db.call(intake.register_report, actor_id=ids[6], now=bot.clock.now(),
                      draft=draft(types, village, grid, "群体性事件苗头", Severity.major)).case
    return users, ref


async def test_urgent_report_one_message_per_person(bot):
    """Who gets the urgent alert (with 收到) does not also get the plain new-case message."""
    users, ref = await urgent_report_with_duty(bot)
    await bot.drain_outbox()
    about = {tid: [m.plain_text for m in users[tid].messages() if ref.number in (m.plain_text or "")]
             for tid in (1, 2, 3, 4, 5)}
    for tid in (1, 3, 4):  # director, leader on call / contact-point leader, duty staff: the alert only
        assert len(about[tid]) == 1 and "紧急事项" in about[tid][0], (tid, about[tid])
    assert len(about[2]) == 1 and "新事项" in about[2][0]  # the secretary: told, not yet paged
    assert len(about[5]) == 1 and "新事项" in about[5][0]  # the rest of the case desk


async def test_an_acknowledgement_updates_every_copy(bot):
    users, ref = await urgent_report_with_duty(bot)
    await at(bot, local(2026, 11, 30, 9, 10))  # nobody answered: the secretary is paged
    await bot.drain_outbox()
    duty, secretary, director = users[4], users[2], users[1]
    alert = next(m for m in duty.messages() if "紧急事项" in m.plain_text)
    escalation = next(m for m in secretary.messages() if "无人确认" in m.plain_text)
    bot.clock.set(local(2026, 11, 30, 9, 12))
    cq = await duty.press(alert, "✅ 收到，我来处理")
    await duty.wait_for_callback_answer(cq)
    await bot.drain_outbox()
    mine = next(m for m in duty.messages() if m.message_id == alert.message_id)
    assert "✅ 您已确认" in mine.plain_text and "已由" not in mine.plain_text and mine.buttons == []
    for user, original in ((secretary, escalation),
                           (director, next(m for m in director.messages() if "紧急事项" in m.plain_text))):
        copy = next(m for m in user.messages() if m.message_id == original.message_id)
        assert "已由 孙丽" in copy.plain_text and "09:12" in copy.plain_text, copy.plain_text
        assert "无人确认" not in copy.plain_text and copy.buttons == []
    assert ref.number in mine.plain_text


async def test_urgent_report_says_whom_to_phone(bot):
    ids, users, types, village, grid = await timers_town(bot)
    today = bot.clock.now().astimezone(SH).date()
    with bot.db.session() as s:
        for pid, phone in ((ids[4], "13800000004"), (ids[3], "13900000003")):
            s.get(Person, pid).phone = phone
    bot.db.call(alerts.set_duty, actor_id=ids[1], day=today, duty_ids=[ids[4]], leader_ids=[ids[3]],
                now=bot.clock.now())
    result = bot.db.call(intake.register_report, actor_id=ids[6], now=bot.clock.now(),
                         draft=draft(types, village, grid, "群体性事件苗头", Severity.major))
    assert "值班 孙丽 13800000004" in result.phone_first and "带班领导 刘领导 13900000003" in result.phone_first
    reporter = users[6]
    opened = await reporter.wait_for_message(timeout=10, predicate=mark(reporter, "初报"))
    assert "值班 孙丽 13800000004" in opened.plain_text and "刘领导 13900000003" in opened.plain_text


async def test_an_unaccepted_case_is_chased_and_accepted_from_the_chase(bot):
    ids, users, types, village, grid = await timers_town(bot)
    ref = bot.db.call(intake.register_report, actor_id=ids[6], draft=draft(types, village, grid),
                      now=bot.clock.now()).case  # Monday 09:00
    desk, director = users[4], users[1]
    await at(bot, local(2026, 12, 1, 9, 0))  # a working day later: the case desk
    chase = await desk.wait_for_message(timeout=10, predicate=mark(desk, "待受理"))
    assert ref.number in chase.plain_text and chase.buttons == ["受理", "查看事项"]
    done = await press(desk, chase, "受理")
    assert "受理" in done.plain_text
    await at(bot, local(2026, 12, 2, 9, 0))  # accepted: the director is not chased
    await bot.drain_outbox()
    assert not any("未受理" in (m.plain_text or "") for m in director.messages())
    with bot.db.session() as s:
        assert s.get(Case, ref.id).status == CaseStatus.accepted
