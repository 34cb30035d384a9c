"""Meetings through the real bot (issue 15): the director schedules the weekly meeting by buttons,
invitees answer and are reminded, the agenda shows last week's figures from the test data, the
minutes are recorded across a restart, two decisions are issued, one is closed with evidence, the
other is chased when overdue and comes back on the next agenda; an important 联席会议 decision
reaches nobody until the party secretary records the 党委会议's approval.

People and cases are set up through the services; everything after that is what people do in the
emulator, and the sweeps run as the scheduler would run them."""

import io

import pytest
from docx import Document

from tests.bot.steps import has, local, sweep_at, tap, type_in
from tests.bot.towns import card_town

DIRECTOR, SECRETARY, LEADER, STAFF, STAFF2, GRID, UNIT = 1, 2, 3, 4, 5, 6, 7


@pytest.fixture
async def town(bot):
    town = card_town(bot)
    await town.greet()
    return town


async def inbox(bot, user, *parts: str, timeout: float = 5.0):
    """The bot's message in the person's chat with these words, whenever it came (a notification
    may arrive before the person's latest action)."""
    def found():
        hits = [m for m in bot.emu.world.chat_messages(user.id) if m.from_bot and not m.deleted
                and all(p in (m.plain_text or "") for p in parts)]
        return hits[-1] if hits else None

    return await bot.emu.world.wait_until(found, timeout)


def nothing_like(bot, user, *parts: str) -> bool:
    return not [m for m in bot.emu.world.chat_messages(user.id) if m.from_bot
                and all(p in (m.plain_text or "") for p in parts)]


async def schedule_weekly(director, expect_day: str):
    listing = await type_in(director, "/meetings", "📅 会议")
    days = await tap(director, listing, "➕ 安排工作例会", "请选择日期")
    times = await tap(director, days, next(label for label in days.buttons if label.startswith("⭐")),
                      "请选择开始时间")
    assert expect_day in times.plain_text
    places = await tap(director, times, "08:30", "请选择地点")
    return await tap(director, places, "综治中心会议室", "已安排")


async def test_weekly_meeting_from_scheduling_to_decisions_done(bot, town):
    users = town.users
    director, leader, staff, staff2, unit = (users[i] for i in (DIRECTOR, LEADER, STAFF, STAFF2, UNIT))
    # Last week's data: the meeting of Monday 12-07 looks back at 11-30 … 12-06. Two 邻里纠纷 now
    # (Monday 11-30 09:00); one 来访 on 11-27, the week before: not new last week.
    bot.clock.set(local(2026, 11, 27, 10))
    town.submit(type_id=town.types["来访"])
    bot.clock.set(local(2026, 11, 30, 9))
    town.submit()
    town.submit()
    await bot.drain_outbox()

    card = await schedule_weekly(director, "12月7日")
    assert "已向 3 人发出会议通知" in card.plain_text and "2026年第1次工作例会" in card.plain_text

    # invitees answer: 参加, 请假 with a reason; one does not answer and is chased
    invite = await inbox(bot, leader, "会议通知", "2026年12月7日（一）08:30")
    await tap(leader, invite, "✅ 参加", "已答复：参加")
    invite = await inbox(bot, staff, "会议通知")
    await tap(staff, invite, "📝 请假", "请输入请假理由")
    await type_in(staff, "下", "2–200")  # too short: asked again
    await type_in(staff, "下村调解", "已请假")
    roll = await tap(director, card, "👥 出席情况", "出席情况")
    assert "❔ 周明" in roll.plain_text and "📝 孙丽：下村调解" in roll.plain_text and "✅ 刘领导" in roll.plain_text
    roll = await tap(director, roll, "⏰ 催未答复的 1 人", "已再次通知 1 位")
    card = await tap(director, roll, "« 返回会议", "编号：〔2026〕例会第1号")
    await bot.drain_outbox()
    await inbox(bot, staff2, "请答复是否参加")
    assert nothing_like(bot, leader, "请答复是否参加")

    # the agenda: last week's real figures
    agenda = await tap(director, card, "📋 议程", "议程（按当前数据生成的草稿）")
    assert "新登记事项 2 件，办结 0 件" in agenda.plain_text and "综治：新登记 2 件" in agenda.plain_text
    assert "信访：新登记 0 件" in agenda.plain_text
    await tap(director, agenda, "📨 发给参会人", "议程已发给 3 位")
    await bot.drain_outbox()
    await inbox(bot, leader, "会议议程", "新登记事项 2 件")

    # reminders: Friday 16:00 the day before (not to 孙丽 on leave), an hour before with 签到
    await sweep_at(bot, local(2026, 12, 4, 16, 0))
    reminder = await inbox(bot, leader, "明天开会")
    agenda = await tap(leader, reminder, "📋 议程", "议程（已发给参会人）")
    assert "新登记事项 2 件" in agenda.plain_text and "编辑议程" not in str(agenda.buttons)  # not the organiser
    assert nothing_like(bot, staff, "明天开会")
    await sweep_at(bot, local(2026, 12, 4, 16, 10))
    assert len([m for m in bot.emu.world.chat_messages(LEADER) if "明天开会" in (m.plain_text or "")]) == 1
    await sweep_at(bot, local(2026, 12, 7, 7, 30))
    hour = await inbox(bot, leader, "一小时后开会")
    bot.clock.set(local(2026, 12, 7, 8, 5))
    await tap(leader, hour, "🖊 签到", "已签到")

    # minutes: two items across a restart, then two decisions
    bot.clock.set(local(2026, 12, 7, 9, 0))
    card = await type_in(director, "/meetings", "📅 会议")
    card = await tap(director, card, "12/7 2026年第1次工作例会", "编号：〔2026〕例会第1号")
    await tap(director, card, "✍️ 记录纪要", "正在记录")
    await type_in(director, "传达县综治委会议精神", "已记第 1 条")
    await director.send_sticker()
    await director.wait_for_message(predicate=has("纪要请发送文字或语音"))
    await bot.restart()
    director = town.users[DIRECTOR] = bot.user(DIRECTOR, "王主任")
    await type_in(director, "部署本周矛盾纠纷排查", "已记第 2 条")
    await director.send_voice(b"OggS-voice")
    prompt = await director.wait_for_message(predicate=has("已记第 3 条"))
    await tap(director, prompt, "📌 记一条议定事项", "请输入内容")
    owners = await type_in(director, "排查东山村排水沟纠纷", "请选择责任方")
    days = await tap(director, owners, "🏢 镇司法所", "几个工作日")
    case_step = await tap(director, days, "3 个工作日", "不关联")
    saved = await tap(director, case_step, "不关联事项", "已记议定事项 〔2026〕例会第1号-1")
    await tap(director, saved, "📌 记一条议定事项", "请输入内容")
    owners = await type_in(director, "走访重点人员", "请选择责任方")
    await bot.restart()  # in the middle of a decision: the draft is in the persisted conversation
    days = await tap(director, owners, "🏘 东山村", "几个工作日")
    case_step = await tap(director, days, "3 个工作日", "不关联")
    saved = await tap(director, case_step, "不关联事项", "已记议定事项 〔2026〕例会第1号-2")
    done = await tap(director, saved, "✅ 定稿", "纪要已定稿")
    await director.press(done, "📄 会议纪要（Word）")
    doc = await director.wait_for_message(predicate=lambda m: m.kind == "document")
    assert doc.protected
    text = "\n".join(p.text for p in Document(io.BytesIO(doc.file.data)).paragraphs)
    for part in ("2026年第1次工作例会纪要", "出席：王主任、刘领导", "请假：孙丽（下村调解）", "1. 传达县综治委会议精神",
                 "2. 部署本周矛盾纠纷排查", "3. （语音记录）", "（1）排查东山村排水沟纠纷", "（2）走访重点人员", "抄送"):
        assert part in text, part

    # the owners: 镇司法所 closes its decision with evidence; 东山村 (its contact point 刘领导) does not
    await bot.drain_outbox()
    issued = await inbox(bot, unit, "会议议定事项交办：〔2026〕例会第1号-1")
    await inbox(bot, leader, "会议议定事项交办：〔2026〕例会第1号-2")
    await tap(unit, issued, "📥 收到", "已确认收到")
    await tap(unit, issued, "✅ 已完成", "请写明完成情况")
    await type_in(unit, "已现场调解，双方签订协议", "已报完成")
    await bot.drain_outbox()
    reported = await inbox(bot, director, "议定事项报完成：〔2026〕例会第1号-1", "双方签订协议")
    await tap(director, reported, "🎉 认可销号", "〔2026〕例会第1号-1 销号")

    # due Thursday 12-10 17:30 (3 working days from Monday): Friday 08:30 the overdue one is chased
    await sweep_at(bot, local(2026, 12, 11, 8, 30))
    await inbox(bot, leader, "已超期：会议议定事项 〔2026〕例会第1号-2")
    await inbox(bot, director, "超期督促：会议议定事项 〔2026〕例会第1号-2")
    assert nothing_like(bot, unit, "已超期：会议议定事项")

    # the next weekly meeting: the open decision is on its agenda, the closed one is not
    card = await schedule_weekly(director, "12月14日")
    agenda = await tap(director, card, "📋 议程", "议程")
    assert "〔2026〕例会第1号-2 走访重点人员（东山村" in agenda.plain_text
    assert "排查东山村排水沟纠纷" not in agenda.plain_text


async def test_an_important_joint_decision_waits_for_the_party_committee(bot, town):
    users = town.users
    staff, secretary, unit = users[STAFF], users[SECRETARY], users[UNIT]
    listing = await type_in(staff, "/meetings", "📅 会议")
    assert "➕ 安排工作例会" not in listing.buttons  # the director's
    days = await tap(staff, listing, "➕ 安排联席会议", "请选择日期")
    times = await tap(staff, days, "12月1日（二）", "请选择开始时间")
    places = await tap(staff, times, "14:30", "请选择地点")
    card = await tap(staff, places, "镇政府三楼会议室", "已安排")
    assert "组织人：孙丽\n主持人：王主任" in card.plain_text  # the director convenes it (联席会议制度 一)
    await tap(staff, card, "✍️ 记录纪要", "正在记录")
    prompt = await type_in(staff, "研究东山村征地矛盾化解方案", "已记第 1 条")
    await tap(staff, prompt, "📌 记一条议定事项", "请输入内容")
    owners = await type_in(staff, "镇司法所牵头制定征地矛盾化解方案", "请选择责任方")
    days = await tap(staff, owners, "🏢 镇司法所", "几个工作日")
    case_step = await tap(staff, days, "5 个工作日", "不关联")
    important = await tap(staff, case_step, "不关联事项", "是否为需经党委会议审定")
    await tap(staff, important, "🏛 重要（须党委会议审定）", "待党委会议审定后交办")
    await bot.drain_outbox()
    assert nothing_like(bot, unit, "〔2026〕联席会第1号-1")  # nothing reaches the unit before the approval
    ask = await inbox(bot, secretary, "待党委会议审定：〔2026〕联席会第1号-1")
    days = await tap(secretary, ask, "同意", "请选择党委会议的日期")
    await tap(secretary, days, "11月30日", "已登记：2026年11月30日党委会议：同意")
    await bot.drain_outbox()
    await inbox(bot, unit, "会议议定事项交办：〔2026〕联席会第1号-1")


async def test_refusals_and_stale_buttons(bot, town):
    grid = town.users[GRID]
    listing = await type_in(grid, "/meetings", "📅 会议")
    assert not [label for label in listing.buttons if label.startswith("➕")]
    cq = await grid.press(listing, data="mt:n:weekly")
    assert "只有中心主任" in (await grid.wait_for_callback_answer(cq)).text
    cq = await grid.press(listing, data="mt:o:999")
    assert "没有找到" in (await grid.wait_for_callback_answer(cq)).text
    cq = await grid.press(listing, data="mt:d:2026-12-09")  # a day with no scheduling begun
    assert "过期" in (await grid.wait_for_callback_answer(cq)).text


async def test_leave_reason_cancelled_and_wrong_type(bot, town):
    director, staff = town.users[DIRECTOR], town.users[STAFF]
    await schedule_weekly(director, "12月7日")
    invite = await inbox(bot, staff, "会议通知")
    await tap(staff, invite, "📝 请假", "请输入请假理由")
    await staff.send_sticker()
    await staff.wait_for_message(predicate=has("这一步需要文字"))
    await type_in(staff, "/cancel", "已取消")
    card = await type_in(director, "/meetings", "📅 会议")
    card = await tap(director, card, "12/7 2026年第1次工作例会", "编号")
    assert "请假 0" in card.plain_text


async def test_reschedule_and_cancel_tell_the_invitees(bot, town):
    director, leader = town.users[DIRECTOR], town.users[LEADER]
    card = await schedule_weekly(director, "12月7日")
    days = await tap(director, card, "🕘 改期", "请选择新的日期")
    times = await tap(director, days, "12月8日（二）", "请选择开始时间")
    places = await tap(director, times, "14:30", "请选择地点")
    card = await tap(director, places, "镇政府三楼会议室", "已改期")
    assert "2026年12月8日（二）14:30" in card.plain_text and "镇政府三楼会议室" in card.plain_text
    await bot.drain_outbox()
    await inbox(bot, leader, "会议改期", "改为 2026年12月8日（二）14:30")
    ask = await tap(director, card, "❎ 取消会议", "确定取消")
    await tap(director, ask, "确定取消", "已取消会议")
    await bot.drain_outbox()
    await inbox(bot, leader, "会议取消")
    cq = await leader.press(await inbox(bot, leader, "会议改期"), "✅ 参加")
    assert "已召开或已取消" in (await leader.wait_for_callback_answer(cq)).text


async def test_progress_return_and_someone_elses_decision(bot, town):
    director, unit, grid = town.users[DIRECTOR], town.users[UNIT], town.users[GRID]
    card = await schedule_weekly(director, "12月7日")
    await tap(director, card, "✍️ 记录纪要", "正在记录")
    prompt = await type_in(director, "研究排水沟纠纷", "已记第 1 条")
    await tap(director, prompt, "📌 记一条议定事项", "请输入内容")
    owners = await type_in(director, "排查东山村排水沟纠纷", "请选择责任方")
    days = await tap(director, owners, "🏢 镇司法所", "几个工作日")
    await tap(director, days, "5 个工作日", "不关联")
    await type_in(director, "2026-9999", "没有找到事项 2026-9999")  # an unknown case number: not recorded
    await bot.drain_outbox()
    assert nothing_like(bot, unit, "会议议定事项交办")
    await tap(director, await inbox(bot, director, "没有找到事项"), "📌 记一条议定事项", "请输入内容")
    owners = await type_in(director, "排查东山村排水沟纠纷", "请选择责任方")
    days = await tap(director, owners, "🏢 镇司法所", "几个工作日")
    case_step = await tap(director, days, "5 个工作日", "不关联")
    await tap(director, case_step, "不关联事项", "已记议定事项 〔2026〕例会第1号-1")
    await bot.drain_outbox()
    issued = await inbox(bot, unit, "会议议定事项交办：〔2026〕例会第1号-1")
    await tap(unit, issued, "📈 进展", "请输入目前的进展")
    await type_in(unit, "已约双方周三现场调解", "进展已报组织人")
    await bot.drain_outbox()
    await inbox(bot, director, "议定事项进展", "已约双方周三现场调解")
    await tap(unit, issued, "✅ 已完成", "请写明完成情况")
    await type_in(unit, "已调解完毕", "已报完成")
    await bot.drain_outbox()
    reported = await inbox(bot, director, "议定事项报完成")
    await tap(director, reported, "↩️ 退回", "请输入退回意见")
    await type_in(director, "请附调解协议", "已退回")
    await bot.drain_outbox()
    await inbox(bot, unit, "完成情况未被认可", "请附调解协议")
    listing = await type_in(grid, "/meetings", "📅 会议")
    cq = await grid.press(listing, data="dc:d:1")
    assert "不是交给您" in (await grid.wait_for_callback_answer(cq)).text
    cq = await grid.press(listing, data="dc:a:1")
    assert "只有会议的组织人" in (await grid.wait_for_callback_answer(cq)).text


async def test_minutes_timeout_and_cancel_keep_what_was_recorded_and_groups_are_refused(bot, town):
    director = town.users[DIRECTOR]
    card = await schedule_weekly(director, "12月7日")
    await tap(director, card, "✍️ 记录纪要", "正在记录")
    await type_in(director, "第一项", "已记第 1 条")
    assert await bot.expire_conversations() >= 1
    await director.wait_for_message(predicate=has("纪要记录已超时退出"))
    await tap(director, card, "✍️ 记录纪要", "已有 1 条")
    await type_in(director, "第二项", "已记第 2 条")
    await type_in(director, "/cancel", "已退出纪要记录")
    await type_in(director, "第三项", "")  # no longer recording: not an item
    card = await tap(director, card, "✍️ 记录纪要", "已有 2 条")
    bot.emu.group(-1009, "中心工作群", members=[director])
    await director.send_text("/meetings", chat_id=-1009)
    await director.wait_for_message(chat_id=-1009, predicate=has("只在私聊中进行"))


async def test_a_week_without_a_weekly_meeting_reaches_the_director_with_a_button_that_schedules_it(bot, town):
    """例会制度 一: 中心每周召开一次例会. On the week's first working day at 08:30, with no 例会 that
    week, the director is told once (a restart and later sweeps send nothing again); the message's
    button starts scheduling."""
    director, staff = town.users[DIRECTOR], town.users[STAFF]
    warning_words = "本周（12月7日—12月13日）还没有安排工作例会"
    await sweep_at(bot, local(2026, 12, 7, 8, 0))
    assert nothing_like(bot, director, warning_words)
    await sweep_at(bot, local(2026, 12, 7, 8, 30))
    warning = await inbox(bot, director, warning_words)
    assert warning.buttons == ["➕ 安排工作例会"]
    await bot.restart()
    director = town.users[DIRECTOR] = bot.user(DIRECTOR, "王主任")
    await sweep_at(bot, local(2026, 12, 7, 10, 0))
    await sweep_at(bot, local(2026, 12, 9, 10, 0))
    assert len([m for m in bot.emu.world.chat_messages(DIRECTOR) if warning_words in (m.plain_text or "")]) == 1
    assert nothing_like(bot, staff, "还没有安排工作例会")  # the weekly meeting is the director's to schedule

    days = await tap(director, warning, "➕ 安排工作例会", "安排工作例会：请选择日期")
    times = await tap(director, days, "12月10日（四）", "请选择开始时间")
    places = await tap(director, times, "14:30", "请选择地点")
    card = await tap(director, places, "综治中心会议室", "已安排")
    assert "2026年12月10日（四）14:30" in card.plain_text
    # a staff member pressing the same button is refused: the weekly meeting is the director's
    greeting = await type_in(staff, "/meetings", "📅 会议")
    cq = await staff.press(greeting, data="mt:n:weekly")
    assert "只有中心主任" in (await staff.wait_for_callback_answer(cq)).text
