"""Reminders, urgent alerts and deadline changes, used through the real bot as people would.

People and cases are set up through the services (tests/factories.py's Township, seen through tests/bot/towns.py); the
reminder and alert sweeps run as the scheduler would run them, and the application's own outbox
sender delivers their messages to the emulated chats. Every step after that is a button press or
a message.
"""

from datetime import date

import pytest
from sqlmodel import select

from bot import texts
from bot.services import alerts, cases, deadlines
from bot.services.alerts import AlertPolicy
from bot.texts import notify
from handlers.deadlines import deadline_buttons
from models import (
    Case,
    Reminder,
    RequestKind,
    RequestStatus,
    Severity,
    StepAck,
)
from tests.bot.harness import buttons_gone
from tests.bot.steps import has, local, sticker, tap, toast, write
from tests.bot.towns import DIRECTOR, HANDLER, LEADER, OTHER_GRID, REPORTER, STAFF, UNIT, Town


@pytest.fixture
async def town(bot):
    t = Town(bot)
    await t.greet()
    return t


# --- 收到 ---------------------------------------------------------------------------------------


async def test_reminder_ack_marks_the_message_and_stops_the_repeats(bot, town):
    handler, director = town.users[HANDLER], town.users[DIRECTOR]
    case_id = await town.running_case()
    number = town.case(case_id).number
    town.sweep(local(2026, 12, 4, 8, 30))  # first overdue working day: handler + director
    assert town.outbox_keys(HANDLER, "rem:") == [f"rem:{case_id}:overdue:2026-12-04:p{town.w.staff2}"]
    assert town.outbox_keys(DIRECTOR, "rem:") == [f"rem:{case_id}:overdue_director:2026-12-04:p{town.w.director}"]
    reminder = await handler.wait_for_message(predicate=has(f"🔴 已超期：事项 {number}"))
    assert reminder.buttons == ["✅ 收到", "查看事项", "申请延期", "已办结"]
    director_copy = await director.wait_for_message(predicate=has(f"🔴 超期督促：事项 {number}"))

    assert await toast(handler, reminder, "✅ 收到") == texts.REMINDER_ACKED
    marked = await handler.wait_for_message(predicate=has("✅ 您已确认"))
    assert marked.message_id == reminder.message_id and f"事项 {number}" in marked.plain_text
    assert marked.buttons == ["查看事项", "申请延期", "已办结"]  # the view button stays
    with town.db.session() as s:
        ack = s.get(StepAck, (case_id, "overdue"))
        assert ack is not None and ack.person_id == town.w.staff2

    # Someone else's reminder, forged onto the director's own copy; and nonsense data.
    with town.db.session() as s:
        handler_reminder = s.exec(select(Reminder).where(Reminder.step == "overdue")).one()
    assert await toast(director, director_copy, data=f"rem:ack:{handler_reminder.id}") == "这条提醒不是发给您的。"
    assert await toast(director, director_copy, data="rem:ack:x") == texts.STALE_BUTTON
    assert "确认" not in director_copy.plain_text and "✅ 收到" in director_copy.buttons

    # The next working day the director is reminded again; the handler, who acknowledged, is not.
    town.sweep(local(2026, 12, 7, 9))
    await director.wait_for_message(predicate=has(f"🔴 超期督促：事项 {number}"))
    assert len(town.outbox_keys(5, f"rem:{case_id}:overdue:")) == 1
    assert len(town.outbox_keys(1, f"rem:{case_id}:overdue_director:")) == 2
    assert len([m for m in handler.messages() if "已超期" in (m.plain_text or "")]) == 1


async def test_urgent_alert_first_ack_wins_and_the_reporter_is_told(bot, town):
    leader, director, reporter = town.users[LEADER], town.users[DIRECTOR], town.users[REPORTER]
    ref = town.w.submit(severity=Severity.major, urgent=True)
    with town.db.session() as s:
        alert = alerts.open_urgent_alert(s, case=s.get(Case, ref.id), now=town.clock.now(), policy=town.policy,
                                         alert_policy=AlertPolicy())
        alert_id = alert.id
    is_alert = has(f"🚨 紧急事项 {ref.number}")
    leader_alert = await leader.wait_for_message(predicate=is_alert)
    director_alert = await director.wait_for_message(predicate=is_alert)
    assert leader_alert.buttons == ["✅ 收到，我来处理", "查看事项", "📍 已到场"]  # 刘领导 is 东山村's contact point

    # Only people who act on cases may take it: a grid worker and a unit contact are refused.
    for tid in (OTHER_GRID, UNIT):
        user = town.users[tid]
        assert await toast(user, user.last_message(), data=f"urg:ack:{alert_id}") == texts.NOT_ALLOWED
    staff = town.users[STAFF]
    assert await toast(staff, staff.last_message(), data="urg:ack:99999") == "没有找到这条紧急提醒。"

    assert await toast(leader, leader_alert, "✅ 收到，我来处理") == texts.URGENT_ACKED
    marked = await leader.wait_for_message(predicate=has("✅ 您已确认"))
    assert marked.message_id == leader_alert.message_id and marked.buttons == ["📍 已到场"]  # still goes to the scene

    # The director presses 「收到」 as his phone still shows it: the edit taking it away may or may not
    # have arrived yet (the outbox sends it beside the leader's), so the press is the button's own data.
    answer = await toast(director, director_alert, data=f"urg:ack:{alert_id}")
    assert answer == texts.URGENT_ALREADY_ACKED.format(name="刘领导")

    def closed():
        copy = next(m for m in director.messages() if m.message_id == director_alert.message_id)
        return copy if "✅ 已由 刘领导 于" in copy.plain_text else None

    assert (await bot.emu.world.wait_until(closed, 5)).buttons == []

    told = await reporter.wait_for_message(predicate=has(f"紧急事项 {ref.number} 已由 刘领导 确认收到"))
    assert told.plain_text == notify.alerts.URGENT_ACKED_REPORTER.format(number=ref.number, name="刘领导")
    assert town.outbox_keys(REPORTER, f"urg:{alert_id}:acked") == [f"urg:{alert_id}:acked:p{town.w.grid_worker}"]
    with town.db.session() as s:
        assert s.get(type(alert), alert_id).acked_by_id == town.w.leader


# --- 申请延期 → 批准 ---------------------------------------------------------------------------


async def test_extension_request_approved_by_a_leader(bot, town):
    handler, leader, director = town.users[HANDLER], town.users[LEADER], town.users[DIRECTOR]
    case_id = await town.running_case()
    case = town.case(case_id)
    assert case.due_at == local(2026, 12, 3, 17, 30)
    town.sweep(case.yellow_at)  # Wednesday afternoon: the yellow reminder
    reminder = await handler.wait_for_message(predicate=has(f"🟡 即将到期：事项 {case.number}"))

    ask = await tap(handler, reminder, "申请延期", "请输入延期的理由")
    assert f"延期：事项 {case.number}" in ask.plain_text and "当前期限：12月03日 17:30（🟡 剩" in ask.plain_text
    assert ask.message_id != reminder.message_id  # the reminder stays as it was
    assert (await sticker(handler)).plain_text == texts.DL_TEXT_WRONG_TYPE
    assert (await write(handler, "等")).plain_text == texts.DL_REASON_SHORT
    assert (await write(handler, "鉴" * 501)).plain_text == texts.TOO_LONG.format(limit=500)

    dates = await write(handler, "需要等待土地确权鉴定结果", "请选择新的期限")
    # +1, +2, +3, +5, +7 working days counted on from the current deadline (Thursday 12-03)
    assert dates.buttons == ["12月4日 周五（+1）", "12月7日 周一（+2）", "12月8日 周二（+3）", "12月10日 周四（+5）",
                             "12月14日 周一（+7）", "✖️ 取消"]
    assert "请点按钮选择日期" in (await sticker(handler)).plain_text
    assert "没看懂这个日期" in (await write(handler, "下周")).plain_text
    retry = await write(handler, "2026-12-01", "新期限应晚于当前期限（12月03日 17:30）")
    assert "请重新选择或输入日期" in retry.plain_text

    summary = await tap(handler, dates, "12月10日 周四（+5）", "请确认")
    assert summary.message_id == dates.message_id
    assert "申请延期" in summary.plain_text and "新期限：12月10日 17:30" in summary.plain_text
    assert "理由：需要等待土地确权鉴定结果" in summary.plain_text
    assert summary.buttons == ["✅ 提交", "✖️ 取消"]
    assert (await write(handler, "好的")).plain_text == texts.DL_BUTTONS_WRONG_TYPE
    done = await tap(handler, summary, "✅ 提交", "等待中心领导审批")
    assert done.buttons == ["查看事项"]
    [req] = town.requests(case_id)
    assert req.kind == RequestKind.extension and req.status == RequestStatus.pending
    assert req.new_due_at == local(2026, 12, 10, 17, 30) and req.requested_by_id == town.w.staff2

    # Every leader and the director are asked, with 批准 / 驳回 / 查看.
    is_ask = has("⏳ 待审批：周明 申请延期", f"事项 {case.number}", "申请新期限：12月10日 17:30")
    leader_ask = await leader.wait_for_message(predicate=is_ask)
    director_ask = await director.wait_for_message(predicate=is_ask)
    assert "理由：需要等待土地确权鉴定结果" in leader_ask.plain_text
    assert leader_ask.buttons == ["✅ 批准", "❌ 驳回", "查看事项"]
    assert town.outbox_keys(HANDLER, f"dl:{req.id}:ask") == []  # the requester does not approve

    # A staff member cannot approve, even with forged data.
    staff = town.users[STAFF]
    assert await toast(staff, staff.last_message(), data=f"dl:ok:{req.id}") == texts.NOT_ALLOWED

    await leader.press(leader_ask, "✅ 批准")
    marked = await leader.wait_for_message(predicate=has("✅ 您已批准"))
    assert marked.message_id == leader_ask.message_id and "新期限 12月10日 17:30" in marked.plain_text
    assert marked.buttons == ["查看事项"]
    assert town.case(case_id).due_at == local(2026, 12, 10, 17, 30)
    told = await handler.wait_for_message(predicate=has("您的延期申请已由 刘领导 批准"))
    assert "新期限 12月10日 17:30" in told.plain_text and told.buttons == ["查看事项"]

    # The director's copy is stale now: both buttons get the service's answer.
    assert await toast(director, director_ask, "✅ 批准") == "这份申请已被处理（已批准）。"
    assert await toast(director, director_ask, "❌ 驳回") == "这份申请已被处理（已批准）。"
    assert town.requests(case_id)[0].decided_by_id == town.w.leader


async def test_refusal_with_a_reason_survives_a_restart_in_the_middle(bot, town):
    handler, director = town.users[HANDLER], town.users[DIRECTOR]
    case_id = await town.running_case(severity=Severity.complex)  # due Wednesday 12-09
    number = town.case(case_id).number
    await handler.press(handler.last_message(), data=f"dl:ext:{case_id}")
    await handler.wait_for_message(predicate=has("请输入延期的理由"))
    dates = await write(handler, "当事人住院，无法到场调解", "请选择新的期限")

    await bot.restart()  # the draft and the step are in the database
    summary = await tap(handler, dates, "12月16日 周三（+5）", "请确认")
    assert "新期限：12月16日 17:30" in summary.plain_text and "当事人住院" in summary.plain_text
    await tap(handler, summary, "✅ 提交", "等待中心领导审批")
    [req] = town.requests(case_id)

    ask = await director.wait_for_message(predicate=has("⏳ 待审批：周明 申请延期", f"事项 {number}"))
    prompt = await tap(director, ask, "❌ 驳回", "请简要写明理由")
    assert prompt.message_id != ask.message_id
    assert (await sticker(director)).plain_text == texts.DL_TEXT_WRONG_TYPE
    assert (await write(director, "不" * 201)).plain_text == texts.TOO_LONG.format(limit=200)
    done = await write(director, "请按原期限办结，必要时上门调解", "已驳回")
    assert done.plain_text == texts.DL_REFUSED_DONE.format(number=number, kind="延期")
    spent = next(m for m in director.messages() if m.message_id == ask.message_id)
    assert spent.buttons == ["查看事项"] and len(spent.edits) == 1  # 批准 / 驳回 are gone from the approval message

    req = town.requests(case_id)[0]
    assert req.status == RequestStatus.refused and req.decision_note == "请按原期限办结，必要时上门调解"
    assert town.case(case_id).due_at == local(2026, 12, 9, 17, 30)  # unchanged
    told = await handler.wait_for_message(predicate=has("您的延期申请被 王主任 驳回"))
    assert "理由：请按原期限办结，必要时上门调解" in told.plain_text and "期限不变：12月09日 17:30" in told.plain_text
    # the leader's copy is stale
    leader = town.users[LEADER]
    leader_ask = await leader.wait_for_message(predicate=has(f"事项 {number}", "待审批"))
    assert await toast(leader, leader_ask, "✅ 批准") == "这份申请已被处理（已驳回）。"


# --- 挂起 and 恢复计时 --------------------------------------------------------------------------


async def test_pause_and_resume_with_approval(bot, town):
    handler, leader = town.users[HANDLER], town.users[LEADER]
    case_id = await town.running_case()
    number = town.case(case_id).number
    anywhere = handler.last_message()

    await handler.press(anywhere, data=f"dl:pause:{case_id}")
    await handler.wait_for_message(predicate=has(f"挂起：事项 {number}", "请输入挂起的理由"))
    summary = await write(handler, "当事人外出务工，春节前返乡", "请确认")
    assert "申请挂起" in summary.plain_text and "新期限" not in summary.plain_text
    await tap(handler, summary, "✅ 提交", "已提交挂起申请")
    ask = await leader.wait_for_message(predicate=has("⏳ 待审批：周明 申请挂起"))
    await leader.press(ask, "✅ 批准")
    assert "已暂停计时" in (await leader.wait_for_message(predicate=has("✅ 您已批准"))).plain_text
    assert town.case(case_id).paused_at == local(2026, 11, 30, 9)
    await handler.wait_for_message(predicate=has("您的挂起申请已由 刘领导 批准", "已暂停计时"))
    assert await toast(handler, anywhere, data=f"dl:pause:{case_id}") == "该事项已挂起。"

    town.clock.set(local(2026, 12, 1, 9))  # one working day later
    await handler.press(anywhere, data=f"dl:resume:{case_id}")
    ask_reason = await handler.wait_for_message(predicate=has("请输入恢复计时的理由"))
    assert "⚪ 已挂起" in ask_reason.plain_text
    summary = await write(handler, "当事人已返乡", "请确认")
    await tap(handler, summary, "✅ 提交", "已提交恢复计时申请")
    ask = await leader.wait_for_message(predicate=has("⏳ 待审批：周明 申请恢复计时"))
    await leader.press(ask, "✅ 批准")
    marked = await leader.wait_for_message(predicate=has("✅ 您已批准"))
    assert "已恢复计时，期限 12月04日 17:30" in marked.plain_text  # pushed out by the paused day
    case = town.case(case_id)
    assert case.paused_at is None and case.due_at == local(2026, 12, 4, 17, 30)
    assert [r.kind for r in town.requests(case_id)] == [RequestKind.pause, RequestKind.resume]


# --- 设定期限 ------------------------------------------------------------------------------------


async def test_leader_sets_the_deadline_of_a_major_case(bot, town):
    leader, staff = town.users[LEADER], town.users[STAFF]
    case_id = await town.running_case(severity=Severity.major)
    number = town.case(case_id).number
    assert await toast(staff, staff.last_message(), data=f"dl:set:{case_id}") == texts.NOT_ALLOWED

    await leader.press(leader.last_message(), data=f"dl:set:{case_id}")
    dates = await leader.wait_for_message(predicate=has(f"设定期限：事项 {number}"))
    assert "当前期限：12月03日 17:30" in dates.plain_text
    # counted from today (Monday 11-30)
    assert dates.buttons[:5] == ["12月1日 周二（+1）", "12月2日 周三（+2）", "12月3日 周四（+3）",
                                 "12月7日 周一（+5）", "12月9日 周三（+7）"]
    assert "期限应晚于现在" in (await write(leader, "2026-11-27")).plain_text
    ask = await write(leader, "12月2日", "期限定为 12月02日 17:30")
    assert "请输入设定理由" in ask.plain_text
    summary = await write(leader, "涉及多户，限两日内化解", "请确认")
    assert "期限设定为 12月02日 17:30" in summary.plain_text and summary.buttons == ["✅ 确定", "✖️ 取消"]
    done = await tap(leader, summary, "✅ 确定", "期限已设定")
    assert done.plain_text == texts.DL_SET_DONE.format(number=number, due="12月02日 17:30")
    assert town.case(case_id).due_at == local(2026, 12, 2, 17, 30)
    assert town.requests(case_id) == []  # a leader's own deadline needs no approval

    # Again, by button: +7 working days from today.
    await leader.press(leader.last_message(), data=f"dl:set:{case_id}")
    dates = await leader.wait_for_message(predicate=has(f"设定期限：事项 {number}"))
    await tap(leader, dates, "12月9日 周三（+7）", "期限定为 12月09日 17:30")
    summary = await write(leader, "需协调县级部门", "请确认")
    await tap(leader, summary, "✅ 确定", "期限已设定")
    assert town.case(case_id).due_at == local(2026, 12, 9, 17, 30)


# --- wrong people, forged and stale buttons, /cancel ------------------------------------------------


async def test_wrong_roles_forged_and_stale_buttons(bot, town):
    case_id = await town.running_case()
    reporter, other, handler, leader = (town.users[t] for t in (REPORTER, OTHER_GRID, HANDLER, LEADER))
    # The reporter may see the case but does not handle it; another grid worker may not even see it.
    assert await toast(reporter, reporter.last_message(), data=f"dl:ext:{case_id}") == "您没有权限执行此操作。"
    assert await toast(other, other.last_message(), data=f"dl:ext:{case_id}") == "无权查看。"
    anywhere = handler.last_message()
    assert "没有找到这个事项" in await toast(handler, anywhere, data="dl:ext:99999")
    assert await toast(handler, anywhere, data="dl:ext:abc") == texts.STALE_BUTTON
    assert await toast(handler, anywhere, data=f"dl:d:{case_id}:2026-12-10") == texts.STALE_BUTTON
    assert await toast(handler, anywhere, data=f"dl:c:{case_id}") == texts.STALE_BUTTON
    assert await toast(handler, anywhere, data=f"dl:ok:{case_id}") == texts.NOT_ALLOWED
    assert await toast(leader, leader.last_message(), data="dl:ok:99999") == "没有找到这份申请。"
    assert await toast(leader, leader.last_message(), data="dl:ok:x") == texts.STALE_BUTTON
    assert await toast(leader, leader.last_message(), data="dl:no:99999") == "没有找到这份申请。"

    # One request at a time; a button of another case inside the conversation is stale.
    town.db.call(deadlines.request_and_notify, actor_id=town.w.staff2, case_id=case_id, kind=RequestKind.pause,
                 reason="等待鉴定", now=town.clock.now(), policy=town.policy)
    assert await toast(handler, anywhere, data=f"dl:ext:{case_id}") == "已有一份待领导审批的申请，请等待审批结果。"
    other_case = await town.running_case()
    await handler.press(anywhere, data=f"dl:ext:{other_case}")
    await handler.wait_for_message(predicate=has("请输入延期的理由"))
    dates = await write(handler, "需要补充材料", "请选择新的期限")
    assert await toast(handler, dates, data=f"dl:d:{case_id}:2026-12-10") == texts.STALE_BUTTON
    assert await toast(handler, dates, data=f"dl:d:{other_case}:2026-13-45") == texts.STALE_BUTTON

    # A closed case runs no clock.
    town.db.call(cases.resolve, actor_id=town.w.staff2, case_id=other_case, outcome="调解成功",
                 agreement="口头协议", summary="已和解", now=town.clock.now())
    await tap(handler, dates, "12月10日 周四（+5）", "只有正在计时的事项")
    assert len(town.requests(other_case)) == 0


async def test_cancel_in_the_middle_leaves_the_deadline_alone(bot, town):
    handler = town.users[HANDLER]
    case_id = await town.running_case()
    anywhere = handler.last_message()
    await handler.press(anywhere, data=f"dl:ext:{case_id}")
    await handler.wait_for_message(predicate=has("请输入延期的理由"))
    dates = await write(handler, "需要等待鉴定", "请选择新的期限")
    cancelled = await write(handler, "/cancel", "已取消")
    assert cancelled.plain_text == texts.DL_CANCELLED and cancelled.buttons == ["查看事项"]
    assert town.requests(case_id) == []
    assert await buttons_gone(bot, dates)  # the cancelled flow's dates are no longer offered
    # Typing now is no longer taken as a date or a reason.
    assert (await write(handler, "2026-12-10")).plain_text == texts.UNEXPECTED_MESSAGE

    # The ✖️ 取消 button does the same, in place.
    await handler.press(anywhere, data=f"dl:pause:{case_id}")
    prompt = await handler.wait_for_message(predicate=has("请输入挂起的理由"))
    gone = await tap(handler, prompt, "✖️ 取消", "已取消")
    assert gone.message_id == prompt.message_id and gone.buttons == ["查看事项"]
    assert (await write(handler, "/cancel")).plain_text == texts.NOTHING_TO_CANCEL
    assert town.requests(case_id) == [] and town.case(case_id).due_at == local(2026, 12, 3, 17, 30)


# --- the buttons a case card can show ---------------------------------------------------------------


def test_deadline_buttons_depend_on_role_and_state():
    base = dict(case_id=7, running=True, has_deadline=True, paused=False, may_request=True, may_decide=False)
    assert deadline_buttons(**base) == [("⏳ 申请延期", "dl:ext:7"), ("⏸ 挂起", "dl:pause:7")]
    assert deadline_buttons(**{**base, "paused": True}) == [("▶️ 恢复计时", "dl:resume:7")]
    assert deadline_buttons(**{**base, "pending": True}) == []
    assert deadline_buttons(**{**base, "may_request": False}) == []
    assert deadline_buttons(**{**base, "may_decide": True})[-1] == ("📅 设定期限", "dl:set:7")
    assert deadline_buttons(**{**base, "may_request": False, "may_decide": True, "has_deadline": False}) == [
        ("📅 设定期限", "dl:set:7")]
    assert deadline_buttons(**{**base, "running": False, "may_decide": True}) == []
    assert all(len(data.encode()) <= 64 for _, data in deadline_buttons(**{**base, "case_id": 10**12}))


def test_the_date_parser():
    from handlers.forms import parse_date

    today = date(2026, 11, 30)
    assert parse_date("2026-12-10", today) == date(2026, 12, 10)
    assert parse_date("2026/12/10", today) == date(2026, 12, 10)
    assert parse_date("2026年12月10日", today) == date(2026, 12, 10)
    assert parse_date("12月10日", today) == date(2026, 12, 10)
    assert parse_date("1-5", today) == date(2027, 1, 5)  # the next such day
    assert parse_date("2026-02-30", today) is None
    assert parse_date("下周一", today) is None
