"""领导包案 through the real bot, as people would use it: a leader or the director proposes from the
case card, the party secretary approves (or names another leader, or refuses with a reason), the
包案领导 records the plan and the deadline, reports progress, asks for an extension (only the
secretary decides) and completes the case with the closing materials; /baoan lists the cases.

People and cases are set up through the services (tests/factories.py's Township, as the
deadline tests do); every 包案 step is a button press or a message in the emulator.
"""

import pytest
from sqlmodel import select

from bot import texts
from handlers import baoan as baoan_flow
from models import Attachment, BaoanRequest, BaoanStatus, CaseStatus, RequestStatus
from tests.bot.harness import buttons_gone
from tests.bot.steps import REASON, has, local, open_card, sticker, tap, toast, write
from tests.bot.towns import DIRECTOR, HANDLER, LEADER, LEADER2, MAYOR, REPORTER, SECRETARY, STAFF, BaoanTown


@pytest.fixture
async def town(bot):
    t = BaoanTown(bot)
    await t.greet()
    return t


async def propose(town, tid: int, case_id: int, leader: str = "👤 刘领导", reason: str = REASON) -> BaoanRequest:
    """Through chat: 🧭 申请包案 on the card → a leader → the reason → 提交审批."""
    user, number = town.users[tid], town.case(case_id).number
    card = await open_card(user, number)
    ask = await tap(user, card, "🧭 申请包案", "请选择提议的包案领导")
    ask = await tap(user, ask, leader, "请输入报请包案的理由")
    confirm = await write(user, reason, "请确认")
    await tap(user, confirm, "✅ 提交审批", "已报党委书记审批")
    return town.requests(case_id)[-1]


async def approved(town, case_id: int) -> BaoanRequest:
    """Proposed by the director, approved by the secretary with one press: 刘领导 answers for it."""
    req = await propose(town, DIRECTOR, case_id)
    ask = await town.latest(SECRETARY, "🧑‍⚖️ 包案审批", town.case(case_id).number)
    await tap(town.users[SECRETARY], ask, "✅ 批准", "您已批准")
    return req


async def with_plan(town, case_id: int, day_label: str = "12月9日 周三（+7）"):
    leader = town.users[LEADER]
    card = await open_card(leader, town.case(case_id).number)
    await tap(leader, card, "📋 调处方案", "请输入调处方案")
    dates = await write(leader, "先分别约谈两户，再请司法所现场勘界", "请选择调处期限")
    card = await tap(leader, dates, day_label, "调处方案已记录")
    if "已报党委书记审批" in card.plain_text:  # later than the current deadline: the secretary approves
        ask = await town.latest(SECRETARY, "⏳ 包案延期审批", town.case(case_id).number)
        await tap(town.users[SECRETARY], ask, "✅ 批准延期", "您已批准延期")
        card = await open_card(leader, town.case(case_id).number)
    return card


# --- the whole path ------------------------------------------------------------------------------


async def test_propose_approve_plan_progress_extension_complete(bot, town):
    director, secretary, leader, handler = (town.users[t] for t in (DIRECTOR, SECRETARY, LEADER, HANDLER))
    case_id = await town.running_case()
    number = town.case(case_id).number

    # The card offers 申请包案 to leaders and the director (and 督办 to the director), not to staff.
    card = await open_card(director, number)
    assert "🧭 申请包案" in card.buttons and texts.CARD_BUTTON_SUPERVISE in card.buttons
    assert "🧭 申请包案" in (await open_card(leader, number)).buttons
    staff_card = await open_card(town.users[STAFF], number)
    assert "🧭 申请包案" not in staff_card.buttons and texts.CARD_BUTTON_SUPERVISE not in staff_card.buttons

    # 申请包案: a leader by button, a reason typed, confirm.
    ask = await tap(director, card, "🧭 申请包案", "请选择提议的包案领导")
    assert f"事项 {number}" in ask.plain_text
    assert ask.buttons == ["👤 刘领导", "👤 王主任", "👤 陈领导", "👤 马镇长", "✖️ 取消"]
    assert (await sticker(director)).plain_text == texts.BA_BUTTONS_WRONG_TYPE
    reason_ask = await tap(director, ask, "👤 刘领导", "请输入报请包案的理由")
    assert reason_ask.message_id == ask.message_id and "提议由 刘领导 包案" in reason_ask.plain_text
    assert (await sticker(director)).plain_text == texts.BA_TEXT_WRONG_TYPE
    assert (await write(director, "急")).plain_text == texts.BA_REASON_SHORT.format(lo=2)
    assert (await write(director, "理" * 501)).plain_text == texts.TOO_LONG.format(limit=500)
    confirm = await write(director, "涉及<多个>部门，需党委、政府协调处理", "请确认")
    assert "理由：涉及<多个>部门" in confirm.plain_text and confirm.buttons == ["✅ 提交审批", "✖️ 取消"]
    assert (await write(director, "好")).plain_text == texts.BA_BUTTONS_WRONG_TYPE
    done = await tap(director, confirm, "✅ 提交审批", "已报党委书记审批")
    assert done.buttons == ["查看事项"]
    [req] = town.requests(case_id)
    assert req.status == BaoanStatus.pending and req.proposed_leader_id == town.w.leader
    # While it waits, nobody may propose again.
    assert "🧭 申请包案" not in (await open_card(director, number)).buttons

    # The secretary: 批准 / 另选领导 / 不同意 / 查看.
    ask = await town.latest(SECRETARY, "🧑‍⚖️ 包案审批：王主任 提议由 刘领导 包案", number)
    assert "理由：涉及<多个>部门" in ask.plain_text
    assert ask.buttons == ["✅ 批准", "👤 另选领导", "❌ 不同意", "查看事项"]
    marked = await tap(secretary, ask, "✅ 批准", "您已批准")
    assert marked.message_id == ask.message_id and "由 刘领导 包案" in marked.plain_text
    assert marked.buttons == ["查看事项"]
    assert town.case(case_id).leader_id == town.w.leader
    # Pressed again (a second copy, or forged): already decided, nothing changes.
    again = await toast(secretary, marked, data=f"ba:ok:{req.id}")
    assert again == "这份包案申请已经批准（由 刘领导 包案），无需重复处理。"
    assert await toast(secretary, marked, data=f"ba:no:{req.id}") == texts.BA_ALREADY_APPROVED.format(leader="刘领导")
    assert await toast(secretary, marked, data=f"ba:pick:{req.id}") == texts.BA_ALREADY_APPROVED.format(leader="刘领导")

    # The leader is told, and the card now shows the 包案 buttons to them only.
    told = await town.latest(LEADER, "📌 经党委书记 书记 批准，由您包案", number)
    card = await tap(leader, told, "查看事项", f"📋 事项 {number}")
    assert "包案领导：刘领导" in card.plain_text
    assert {"📋 调处方案", "⏳ 申请延期", "🏁 包案办结"} <= set(card.buttons)
    assert "🧭 申请包案" not in card.buttons
    assert await town.latest(DIRECTOR, "您提议的包案已获批准", "刘领导")
    # The ordinary 申请延期 (decided by leaders) is not offered on a 包案 case: the secretary decides.
    handler_card = await open_card(handler, number)
    assert "⏳ 申请延期" not in handler_card.buttons and "⏸ 挂起" in handler_card.buttons

    # 调处方案 and the deadline (buttons counted from today, Monday 11-30).
    ask = await tap(leader, card, "📋 调处方案", "请输入调处方案")
    assert (await sticker(leader)).plain_text == texts.BA_TEXT_WRONG_TYPE
    assert (await write(leader, "案" * 2001)).plain_text == texts.TOO_LONG.format(limit=2000)
    dates = await write(leader, "先分别约谈两户，再请司法所现场勘界", "请选择调处期限")
    assert dates.buttons == ["12月1日 周二（+1）", "12月2日 周三（+2）", "12月3日 周四（+3）", "12月7日 周一（+5）",
                             "12月9日 周三（+7）", "✖️ 取消"]
    assert "请点按钮选择日期" in (await sticker(leader)).plain_text
    assert "没看懂这个日期" in (await write(leader, "下周")).plain_text
    assert "调处期限应晚于现在" in (await write(leader, "2026-11-01")).plain_text
    # Later than the current deadline (12-03): an extension, so the secretary approves it first.
    card = await tap(leader, dates, "12月9日 周三（+7）", "调处方案已记录")
    assert card.message_id == dates.message_id and "已报党委书记审批" in card.plain_text
    assert "调处方案：先分别约谈两户" in card.plain_text
    assert town.case(case_id).due_at == local(2026, 12, 3, 17, 30)
    ask = await town.latest(SECRETARY, "⏳ 包案延期审批：刘领导", number)
    await tap(secretary, ask, "✅ 批准延期", "您已批准延期")
    assert town.case(case_id).due_at == local(2026, 12, 9, 17, 30)
    card = await open_card(leader, number)
    assert "12月09日 17:30" in card.plain_text

    # Progress, as on any case.
    prompt = await tap(leader, card, "进展", "报进展")
    got = await write(leader, "已约谈两户，双方同意现场勘界", "已收到")
    card = await tap(leader, got, "✅ 完成", "进展已记录")  # the newest 「完成」: the prompt's is gone
    assert prompt.buttons == []

    # 申请延期: reason → date (counted on from the current deadline) → confirm.
    ask = await tap(leader, card, "⏳ 申请延期", "请输入延期理由")
    assert "当前期限：12月09日 17:30" in ask.plain_text
    dates = await write(leader, "需等待县自然资源局出具权属意见", "请选择新的期限")
    assert dates.buttons[:2] == ["12月10日 周四（+1）", "12月11日 周五（+2）"]
    retry = await write(leader, "12-08", "新期限应晚于当前期限")
    assert "请重新选择或输入日期" in retry.plain_text
    confirm = await write(leader, "2026-12-16", "请确认")
    assert "新期限：12月16日 17:30" in confirm.plain_text and "理由：需等待县自然资源局" in confirm.plain_text
    await tap(leader, confirm, "✅ 提交审批", "延期申请已报党委书记审批")
    ext = town.extensions(case_id)[-1]  # the first was the plan's date
    assert ext.status == RequestStatus.pending and ext.requested_by_id == town.w.leader
    assert "⏳ 申请延期" not in (await open_card(leader, number)).buttons  # one request at a time

    # Only the secretary decides: the director and another leader are refused, even with forged data.
    for tid in (DIRECTOR, LEADER2):
        user = town.users[tid]
        assert await toast(user, user.last_message(), data=f"ba:xok:{ext.id}") == texts.BA_SECRETARY_ONLY_EXTENSION
        assert await toast(user, user.last_message(), data=f"ba:xno:{ext.id}") == texts.BA_SECRETARY_ONLY_EXTENSION
    ask = await town.latest(SECRETARY, "⏳ 包案延期审批：刘领导", number)
    assert ask.buttons == ["✅ 批准延期", "❌ 驳回", "查看事项"]
    marked = await tap(secretary, ask, "✅ 批准延期", "您已批准延期")
    assert marked.buttons == ["查看事项"]
    assert town.case(case_id).due_at == local(2026, 12, 16, 17, 30)
    assert await town.latest(LEADER, "已批准延期", "新期限 12月16日 17:30")
    assert "已被处理" in await toast(secretary, marked, data=f"ba:xok:{ext.id}")

    # 包案办结: outcome → summary → closing files → no joint handling.
    card = await open_card(leader, number)
    ask = await tap(leader, card, "🏁 包案办结", "请选择办结结果")
    assert (await write(leader, "调解成功")).plain_text == texts.BA_BUTTONS_WRONG_TYPE
    ask = await tap(leader, ask, "调解成功", "请输入办结情况")
    files = await write(leader, "双方签订调解协议，界桩已埋设", "请发送包案办结材料")
    assert files.buttons == ["✅ 完成", "✖️ 取消"]
    await leader.send_document(b"%PDF-1.4 agreement", filename="调解协议.pdf", mime_type="application/pdf")
    got = await leader.wait_for_message(predicate=has("已收到办结材料 1 个"))
    await leader.send_photo(b"\x89PNG site photo")
    newest = await leader.wait_for_message(predicate=has("已收到办结材料 2 个"))
    assert got.buttons == []  # only the newest 「已收到」 keeps 「完成」
    assert (await sticker(leader)).plain_text == texts.BA_FILES_WRONG_TYPE
    joint = await tap(leader, newest, "✅ 完成", "是否与上级部门联合调处")
    assert joint.buttons == ["🏁 办结", "✖️ 取消"]
    card = await tap(leader, joint, "🏁 办结", "包案已办结")
    assert "办结材料 2 个已随事项归档" in card.plain_text and "状态：已办结" in card.plain_text
    assert "📎 附件（2）" in card.buttons and "🏁 包案办结" not in card.buttons
    listing = await tap(leader, card, "📎 附件（2）", "的附件")
    assert "📄 文件 调解协议.pdf" in listing.buttons
    case = town.case(case_id)
    assert case.status == CaseStatus.resolved and case.result == "双方签订调解协议，界桩已埋设"
    assert case.outcome == "调解成功" and case.joint_notice is None
    with town.db.session() as s:
        notes = s.exec(select(Attachment.note).where(Attachment.case_id == case_id)).all()
    assert notes == ["包案办结材料", "包案办结材料"]
    assert await town.latest(DIRECTOR, "🏁 包案事项", number, "已随事项归档")
    assert await town.latest(REPORTER, number, "已办结")


async def test_extension_refused_with_a_note_and_a_joint_notice_on_completion(bot, town):
    secretary, leader = town.users[SECRETARY], town.users[LEADER]
    case_id = await town.running_case()
    number = town.case(case_id).number
    await approved(town, case_id)
    card = await with_plan(town, case_id)

    ask = await tap(leader, card, "⏳ 申请延期", "请输入延期理由")
    dates = await write(leader, "当事人外出务工，年后返乡", "请选择新的期限")
    confirm = await tap(leader, dates, "12月11日 周五（+2）", "请确认")
    await tap(leader, confirm, "✅ 提交审批", "延期申请已报党委书记审批")
    ext = town.extensions(case_id)[-1]

    ask = await town.latest(SECRETARY, "⏳ 包案延期审批", number)
    prompt = await tap(secretary, ask, "❌ 驳回", "请简要写明理由")
    assert prompt.message_id != ask.message_id  # the request stays readable
    assert (await sticker(secretary)).plain_text == texts.BA_TEXT_WRONG_TYPE
    assert (await write(secretary, "驳" * 201)).plain_text == texts.TOO_LONG.format(limit=200)
    done = await write(secretary, "可电话联系当事人，期限内办结", "已驳回延期申请")
    assert done.buttons == ["查看事项"]
    spent = next(m for m in secretary.messages() if m.message_id == ask.message_id)
    assert spent.buttons == ["查看事项"]  # 批准延期 / 驳回 are gone from the request
    assert town.extensions(case_id)[-1].status == RequestStatus.refused
    assert town.case(case_id).due_at == local(2026, 12, 9, 17, 30)
    told = await town.latest(LEADER, "未批准延期", number)
    assert "可电话联系当事人" in told.plain_text and "期限不变：12月09日 17:30" in told.plain_text
    # A stale 批准延期 on the same request: already handled.
    assert "已被处理（已驳回）" in await toast(secretary, ask, data=f"ba:xok:{ext.id}")
    # 驳回 again: refused at the press, before any typing.
    assert "已被处理（已驳回）" in await toast(secretary, ask, data=f"ba:xno:{ext.id}")

    # Completion with the written notice of a joint handling with a higher level.
    card = await open_card(leader, number)
    ask = await tap(leader, card, "🏁 包案办结", "请选择办结结果")
    ask = await tap(leader, ask, "部分成功", "请输入办结情况")
    files = await write(leader, "经县镇两级联合调处，双方达成部分协议", "请发送包案办结材料")
    joint = await write(leader, "完成", "是否与上级部门联合调处")
    card = await write(leader, "已与县矛调中心联合调处，调处情况书面告知中心备案", "包案已办结")
    assert "办结材料 0 个" in card.plain_text and files.message_id != card.message_id
    case = town.case(case_id)
    assert case.outcome == "部分成功" and case.joint_notice == "已与县矛调中心联合调处，调处情况书面告知中心备案"
    assert await town.latest(SECRETARY, "🏁 包案事项", "书面告知：已与县矛调中心联合调处")
    assert await buttons_gone(bot, joint)  # answered by typing: its buttons are spent


async def test_a_plan_deadline_beyond_the_current_one_waits_for_the_secretary(bot, town):
    """领导包案制度 四: the first plan cannot move the deadline out on its own. The plan is recorded,
    the later date goes to the secretary as an extension, and the case keeps its deadline meanwhile."""
    secretary, leader = town.users[SECRETARY], town.users[LEADER]
    case_id = await town.running_case()
    number = town.case(case_id).number
    await approved(town, case_id)
    assert town.case(case_id).due_at == local(2026, 12, 3, 17, 30)

    card = await open_card(leader, number)
    await tap(leader, card, "📋 调处方案", "请输入调处方案")
    dates = await write(leader, "约谈两户后请县自然资源局出具权属意见", "请选择调处期限")
    assert "当前期限 12月03日 17:30" in dates.plain_text and "报党委书记审批" in dates.plain_text
    card = await tap(leader, dates, "12月9日 周三（+7）", "调处方案已记录")
    assert "拟定期限 12月09日 17:30 晚于当前期限 12月03日 17:30" in card.plain_text
    assert "已报党委书记审批" in card.plain_text and "⏳ 申请延期" not in card.buttons
    case = town.case(case_id)
    assert case.mediation_plan.startswith("约谈两户") and case.due_at == local(2026, 12, 3, 17, 30)
    [ext] = town.extensions(case_id)
    assert ext.status == RequestStatus.pending and ext.new_due_at == local(2026, 12, 9, 17, 30)

    ask = await town.latest(SECRETARY, "⏳ 包案延期审批：刘领导", number)
    assert "当前期限：12月03日 17:30" in ask.plain_text and "申请新期限：12月09日 17:30" in ask.plain_text
    assert "约谈两户" in ask.plain_text and ask.buttons == ["✅ 批准延期", "❌ 驳回", "查看事项"]
    await tap(secretary, ask, "❌ 驳回", "请简要写明理由")
    await write(secretary, "一般纠纷，按原期限办结", "已驳回延期申请")
    assert town.case(case_id).due_at == local(2026, 12, 3, 17, 30)
    told = await town.latest(LEADER, "未批准延期", number)
    assert "期限不变：12月03日 17:30" in told.plain_text
    # The plan stays; a date within the deadline takes effect at once.
    card = await open_card(leader, number)
    await tap(leader, card, "📋 调处方案", "现有方案：约谈两户")
    dates = await write(leader, "约谈两户，当场勘界", "现有调处期限：12月03日 17:30")
    card = await tap(leader, dates, "12月2日 周三（+2）", "调处方案已记录")
    assert "调处期限 12月02日 17:30" in card.plain_text and town.case(case_id).due_at == local(2026, 12, 2, 17, 30)


async def test_setting_a_later_deadline_on_a_baoan_case_is_refused_at_the_date(bot, town):
    """📅 设定期限 (the director's, a center leader's) cannot move a 包案 deadline out: refused when
    the date is chosen, with the way to do it; an earlier date is still theirs to set."""
    director = town.users[DIRECTOR]
    case_id = await town.running_case()
    number = town.case(case_id).number
    await approved(town, case_id)
    await town.latest(DIRECTOR, "您提议的包案已获批准")
    await director.press(director.last_message(), data=f"dl:set:{case_id}")
    dates = await director.wait_for_message(predicate=has(f"设定期限：事项 {number}"))
    retry = await tap(director, dates, "12月9日 周三（+7）", "党委书记")
    assert "包案领导" in retry.plain_text and town.case(case_id).due_at == local(2026, 12, 3, 17, 30)
    ask = await write(director, "12月2日", "期限定为 12月02日 17:30")
    summary = await write(director, "尽快化解", "请确认")
    await tap(director, summary, "✅ 确定", "期限已设定")
    assert town.case(case_id).due_at == local(2026, 12, 2, 17, 30)
    assert "请输入设定理由" in ask.plain_text


# --- the secretary names another leader, or refuses ------------------------------------------------


async def test_secretary_picks_another_leader(bot, town):
    secretary, leader, leader2 = town.users[SECRETARY], town.users[LEADER], town.users[LEADER2]
    case_id = await town.running_case()
    number = town.case(case_id).number
    req = await propose(town, LEADER, case_id, leader="👤 刘领导")

    ask = await town.latest(SECRETARY, "🧑‍⚖️ 包案审批：刘领导 提议由 刘领导 包案", number)
    assert await toast(secretary, ask, "👤 另选领导") == texts.BA_PICK_TOAST
    await secretary.wait_for_message(predicate=lambda m: m.message_id == ask.message_id)
    choices = next(m for m in secretary.messages() if m.message_id == ask.message_id)
    # not the leader already proposed
    assert choices.buttons == ["👤 王主任", "👤 陈领导", "👤 马镇长", "« 返回", "查看事项"]
    assert "提议由 刘领导 包案" in choices.plain_text  # the proposal stays readable
    restored = await tap(secretary, choices, "« 返回", "包案审批")
    assert restored.buttons == ["✅ 批准", "👤 另选领导", "❌ 不同意", "查看事项"]
    await toast(secretary, restored, "👤 另选领导")
    choices = next(m for m in secretary.messages() if m.message_id == ask.message_id)
    # A forged leader id (a staff member) is refused by the service; nothing is decided.
    assert "不是在岗的中心领导、主任或镇党政领导" in await toast(secretary, choices, data=f"ba:pk:{req.id}:{town.w.staff}")
    marked = await tap(secretary, choices, "👤 陈领导", "您已批准")
    assert "由 陈领导 包案" in marked.plain_text and marked.buttons == ["查看事项"]
    assert town.case(case_id).leader_id == town.leader2
    assert await town.latest(LEADER2, "由您包案", number)
    assert await town.latest(LEADER, "您提议的包案已获批准", "陈领导")

    # The proposed leader who was not chosen cannot act on the case, even with forged buttons.
    for data in (f"ba:plan:{case_id}", f"ba:done:{case_id}", f"ba:ext:{case_id}"):
        answer = await toast(leader, leader.last_message(), data=data)
        assert answer == texts.BA_NOT_LEADER.format(leader="陈领导", action=texts.BA_ACTION_NAMES[
            {"plan": "plan", "done": "complete", "ext": "extend"}[data.split(":")[1]]])
    card = await open_card(leader, number)
    assert "包案领导：陈领导" in card.plain_text and "📋 调处方案" not in card.buttons
    assert "📋 调处方案" in (await open_card(leader2, number)).buttons


async def test_the_secretary_names_a_township_leader_who_does_the_baoan_steps(bot, town):
    """镇党政领导 may be named 包案领导 (the matter needs the 党委、政府) and then has the same duties."""
    secretary, mayor = town.users[SECRETARY], town.users[MAYOR]
    case_id = await town.running_case()
    number = town.case(case_id).number
    help_text = (await write(mayor, "/help")).plain_text
    assert "/baoan" in help_text and "/report" not in help_text
    assert (await write(mayor, "/mycases")).plain_text == texts.MYCASES_NO_TABS.format(next=texts.MYCASES_NO_TABS_BAOAN)
    # Not a center member: they do not propose, and the case is not theirs to see yet.
    assert await toast(mayor, mayor.last_message(), data=f"ba:new:{case_id}") == texts.NOT_ALLOWED
    assert (await write(mayor, "/baoan", "🧭 包案事项")).plain_text == texts.BA_LIST_EMPTY.format(
        filter="未结案", hint=texts.BA_LIST_EMPTY_HINT)

    # The director may propose them too; here the secretary names them instead of 刘领导.
    card = await open_card(town.users[DIRECTOR], number)
    ask = await tap(town.users[DIRECTOR], card, "🧭 申请包案", "请选择提议的包案领导")
    assert "👤 马镇长" in ask.buttons
    await tap(town.users[DIRECTOR], ask, "✖️ 取消", "已取消")
    await propose(town, DIRECTOR, case_id)
    ask = await town.latest(SECRETARY, "🧑‍⚖️ 包案审批", number)
    await toast(secretary, ask, "👤 另选领导")
    choices = next(m for m in secretary.messages() if m.message_id == ask.message_id)
    assert "👤 马镇长" in choices.buttons
    marked = await tap(secretary, choices, "👤 马镇长", "您已批准")
    assert "由 马镇长 包案" in marked.plain_text and town.case(case_id).leader_id == town.mayor

    # The materials reach them; the card offers them the 包案 steps.
    told = await town.latest(MAYOR, "由您包案", number)
    card = await tap(mayor, told, "查看事项", f"📋 事项 {number}")
    assert "包案领导：马镇长" in card.plain_text
    assert {"📋 调处方案", "⏳ 申请延期", "🏁 包案办结"} <= set(card.buttons) and "🧭 申请包案" not in card.buttons
    await tap(mayor, card, "📋 调处方案", "请输入调处方案")
    dates = await write(mayor, "召集国土所、村委会现场协调", "请选择调处期限")
    card = await tap(mayor, dates, "12月2日 周三（+2）", "调处方案已记录")
    assert town.case(case_id).due_at == local(2026, 12, 2, 17, 30)
    listing = await write(mayor, "/baoan", "🧭 包案事项")
    assert f"{number} 已分派｜包案：马镇长" in listing.plain_text

    ask = await tap(mayor, card, "⏳ 申请延期", "请输入延期理由")
    dates = await write(mayor, "等待县里出具补偿标准", "请选择新的期限")
    confirm = await tap(mayor, dates, dates.buttons[0], "请确认")
    await tap(mayor, confirm, "✅ 提交审批", "延期申请已报党委书记审批")
    assert await town.latest(SECRETARY, "⏳ 包案延期审批：马镇长", number)

    card = await open_card(mayor, number)
    ask = await tap(mayor, card, "🏁 包案办结", "请选择办结结果")
    await tap(mayor, ask, "调解成功", "请输入办结情况")
    files = await write(mayor, "补偿协议已签订", "请发送包案办结材料")
    joint = await tap(mayor, files, "✅ 完成", "是否与上级部门联合调处")
    await tap(mayor, joint, "🏁 办结", "包案已办结")
    assert town.case(case_id).status == CaseStatus.resolved
    assert await town.latest(DIRECTOR, "🏁 包案事项", number, "马镇长")


async def test_secretary_refuses_with_a_reason(bot, town):
    secretary = town.users[SECRETARY]
    case_id = await town.running_case()
    number = town.case(case_id).number
    req = await propose(town, LEADER, case_id)

    ask = await town.latest(SECRETARY, "🧑‍⚖️ 包案审批", number)
    prompt = await tap(secretary, ask, "❌ 不同意", "请简要写明理由")
    assert "提议人 刘领导" in prompt.plain_text
    assert (await sticker(secretary)).plain_text == texts.BA_TEXT_WRONG_TYPE
    assert (await write(secretary, "不" * 301)).plain_text == texts.TOO_LONG.format(limit=300)
    done = await write(secretary, "属一般邻里纠纷，由司法所调处", "已不同意")
    assert "已告知提议人 刘领导" in done.plain_text and done.buttons == ["查看事项"]
    stale = next(m for m in secretary.messages() if m.message_id == ask.message_id)
    assert stale.buttons == ["查看事项"]  # the decision buttons are spent
    assert town.requests(case_id)[0].status == BaoanStatus.refused and town.case(case_id).leader_id is None
    told = await town.latest(LEADER, "❌ 您提议的包案未获同意", number)
    assert "理由：属一般邻里纠纷，由司法所调处" in told.plain_text

    # Pressed again with the old data: already handled.
    assert await toast(secretary, stale, data=f"ba:ok:{req.id}") == "这份包案申请已由 书记 处理（不同意），无需重复处理。"
    assert await toast(secretary, stale, data=f"ba:no:{req.id}") == texts.BA_ALREADY_REFUSED
    # A refused proposal does not block a new one.
    assert "🧭 申请包案" in (await open_card(town.users[LEADER], number)).buttons


# --- wrong roles, forged and stale buttons, cancel, restart -----------------------------------------


async def test_wrong_roles_and_forged_buttons(bot, town):
    grid, staff, director = town.users[REPORTER], town.users[STAFF], town.users[DIRECTOR]
    case_id = await town.running_case()
    number = town.case(case_id).number
    req = await propose(town, DIRECTOR, case_id)

    # A grid worker or staff member forging the secretary's buttons.
    for user in (grid, staff):
        anywhere = user.last_message()
        assert await toast(user, anywhere, data=f"ba:ok:{req.id}") == texts.BA_SECRETARY_ONLY
        assert await toast(user, anywhere, data=f"ba:pick:{req.id}") == texts.BA_SECRETARY_ONLY
        assert await toast(user, anywhere, data=f"ba:pk:{req.id}:{town.w.leader}") == texts.BA_SECRETARY_ONLY
        assert await toast(user, anywhere, data=f"ba:no:{req.id}") == texts.BA_SECRETARY_ONLY
        # … or a leader's.
        assert await toast(user, anywhere, data=f"ba:new:{case_id}") == texts.NOT_ALLOWED
        assert await toast(user, anywhere, data=f"ba:plan:{case_id}") == texts.NOT_ALLOWED
    # The director (who may see the request) does not decide it either.
    assert await toast(director, director.last_message(), data=f"ba:ok:{req.id}") == texts.BA_SECRETARY_ONLY
    assert town.requests(case_id)[0].status == BaoanStatus.pending

    secretary = town.users[SECRETARY]
    anywhere = secretary.last_message()
    assert await toast(secretary, anywhere, data="ba:ok:99999") == "没有找到这份包案申请。"
    assert await toast(secretary, anywhere, data="ba:ok:abc") == texts.STALE_BUTTON
    assert await toast(secretary, anywhere, data="ba:xok:99999") == "没有找到这份延期申请。"
    # A case without a 包案领导: the leader's steps are not offered.
    answer = await toast(director, director.last_message(), data=f"ba:plan:{case_id}")
    assert answer == texts.BA_NO_LEADER.format(number=number, action="录入调处方案")
    # A step's buttons outside the conversation are stale.
    assert await toast(director, director.last_message(), data=f"ba:pl:{case_id}:{town.w.leader}") == texts.STALE_BUTTON
    assert await toast(director, director.last_message(), data=f"ba:pc:{case_id}") == texts.STALE_BUTTON


async def test_cancel_and_a_restart_in_the_middle(bot, town):
    director = town.users[DIRECTOR]
    case_id = await town.running_case()
    number = town.case(case_id).number
    card = await open_card(director, number)
    ask = await tap(director, card, "🧭 申请包案", "请选择提议的包案领导")
    await tap(director, ask, "👤 刘领导", "请输入报请包案的理由")
    cancelled = await write(director, "/cancel", "已取消")
    assert cancelled.plain_text == texts.BA_CANCELLED and cancelled.buttons == ["查看事项"]
    assert (await write(director, "理由写在这里")).plain_text == texts.UNEXPECTED_MESSAGE
    assert town.requests(case_id) == []

    # The ✖️ 取消 button does the same, in place; an old prompt's button is stale afterwards.
    ask = await tap(director, card, "🧭 申请包案", "请选择提议的包案领导")
    gone = await tap(director, ask, "✖️ 取消", "已取消")
    assert gone.message_id == ask.message_id
    assert await toast(director, gone, data=f"ba:pl:{case_id}:{town.w.leader}") == texts.STALE_BUTTON

    # The draft survives a restart of the bot.
    ask = await tap(director, card, "🧭 申请包案", "请选择提议的包案领导")
    await tap(director, ask, "👤 陈领导", "请输入报请包案的理由")
    await bot.restart()  # the draft and the step are in the database
    confirm = await write(director, REASON, "请确认")
    assert "提议由 陈领导 包案" in confirm.plain_text
    await tap(director, confirm, "✅ 提交审批", "已报党委书记审批")
    assert town.requests(case_id)[0].proposed_leader_id == town.leader2


async def test_a_step_left_alone_times_out(bot, town):
    director = town.users[DIRECTOR]
    case_id = await town.running_case()
    card = await open_card(director, town.case(case_id).number)
    await tap(director, card, "🧭 申请包案", "请选择提议的包案领导")
    assert await bot.expire_conversations() == 1
    await director.wait_for_message(predicate=has(texts.BA_TIMEOUT))
    assert baoan_flow.DRAFT_KEY not in bot.app.user_data[director.id]  # the timed-out draft is dropped
    assert (await write(director, REASON)).plain_text == texts.UNEXPECTED_MESSAGE


# --- /baoan ---------------------------------------------------------------------------------------


async def test_baoan_lists_with_lights_for_leader_director_and_secretary(bot, town):
    leader, director, secretary, grid = (town.users[t] for t in (LEADER, DIRECTOR, SECRETARY, REPORTER))
    first = await town.running_case()
    await approved(town, first)
    await with_plan(town, first, "12月1日 周二（+1）")
    second = await town.running_case()
    await propose(town, DIRECTOR, second, leader="👤 陈领导")  # still pending
    n1, n2 = town.case(first).number, town.case(second).number

    listing = await write(leader, "/baoan", "🧭 包案事项")
    assert "共 1 件" in listing.plain_text and f"🟢 {n1} 已分派｜包案：刘领导｜剩 1 个工作日" in listing.plain_text
    assert listing.buttons[:2] == ["• 未结案", "全部"]
    assert any(b.startswith(n1) for b in listing.buttons) and not any(b.startswith(n2) for b in listing.buttons)
    card = await tap(leader, listing, next(b for b in listing.buttons if b.startswith(n1)), f"📋 事项 {n1}")
    assert "包案领导：刘领导" in card.plain_text

    # Time passes: the light turns red, for the director and the secretary too.
    town.clock.set(local(2026, 12, 2, 10))
    listing = await write(director, "/baoan", "🧭 包案事项")
    assert f"🔴 {n1}" in listing.plain_text and "已超期" in listing.plain_text
    listing = await write(secretary, "/baoan", "🧭 包案事项")
    assert f"🔴 {n1}" in listing.plain_text
    # … and the secretary gets what waits for a decision, with the buttons.
    title = await secretary.wait_for_message(predicate=has("待您审批的包案申请：1 件"))
    pending = await secretary.wait_for_message(predicate=has("🧑‍⚖️ 包案审批", n2))
    assert title and "提议由 陈领导 包案" in pending.plain_text
    assert pending.buttons == ["✅ 批准", "👤 另选领导", "❌ 不同意", "查看事项"]
    await tap(secretary, pending, "✅ 批准", "您已批准")
    assert town.case(second).leader_id == town.leader2
    assert "未录调处方案" in (await write(director, "/baoan", "🧭 包案事项")).plain_text

    # A completed case stays in the open list until it is replied to and archived; 全部 shows every one.
    card = await open_card(leader, n1)
    ask = await tap(leader, card, "🏁 包案办结", "请选择办结结果")
    await tap(leader, ask, "调解成功", "请输入办结情况")
    files = await write(leader, "双方和解", "请发送包案办结材料")
    joint = await tap(leader, files, "✅ 完成", "是否与上级部门联合调处")
    await tap(leader, joint, "🏁 办结", "包案已办结")
    listing = await write(leader, "/baoan", "🧭 包案事项")
    assert f"{n1} 已办结｜包案：刘领导\n" in listing.plain_text and "🔴" not in listing.plain_text
    town.w.set_status(first, CaseStatus.archived)
    listing = await write(leader, "/baoan", "🧭 包案事项")
    assert listing.plain_text == texts.BA_LIST_EMPTY.format(filter="未结案", hint=texts.BA_LIST_EMPTY_HINT)
    everything = await tap(leader, listing, "全部", "（全部）")
    assert f"{n1} 已归档" in everything.plain_text and "• 全部" in everything.buttons
    assert any(b.startswith(n1) for b in everything.buttons)

    # A grid worker is told clearly who may use it.
    refused = await write(grid, "/baoan")
    assert refused.plain_text == "只有包案领导、主任和党委书记可以查看包案事项。"
    assert await toast(grid, refused, data="ba:ls:a:0") == "只有包案领导、主任和党委书记可以查看包案事项。"


# --- 上级协调 (制度第三条) -------------------------------------------------------------------------


async def test_the_leader_records_coordination_with_a_higher_department(bot, town):
    leader, secretary, leader2 = town.users[LEADER], town.users[SECRETARY], town.users[LEADER2]
    case_id = await town.running_case()
    number = town.case(case_id).number
    await approved(town, case_id)

    # Only the 包案领导's card offers it; another leader forging the press is told whose it is.
    assert "🤝 上级协调" not in (await open_card(town.users[DIRECTOR], number)).buttons
    assert "🤝 上级协调" not in (await open_card(leader2, number)).buttons
    forged = await toast(leader2, leader2.last_message(), data=f"ba:up:{case_id}")
    assert forged == texts.BA_NOT_LEADER.format(leader="刘领导", action="记录上级协调")

    card = await open_card(leader, number)
    ask = await tap(leader, card, "🤝 上级协调", "联系了哪个上级部门")
    assert f"事项 {number}" in ask.plain_text and ask.buttons == ["✖️ 取消"]
    assert (await sticker(leader)).plain_text == texts.BA_TEXT_WRONG_TYPE
    assert (await write(leader, "协" * 501)).plain_text == texts.TOO_LONG.format(limit=500)
    assert (await write(leader, "/cancel")).plain_text == texts.BA_CANCELLED
    assert "case.baoan_upper" not in town.w.actions(case_id)

    ask = await tap(leader, card, "🤝 上级协调", "联系了哪个上级部门")
    card = await write(leader, "市信访局：已报请协调国土部门勘界，答复一周内派员", "上级协调已记录")
    assert "上级协调：11-30 市信访局：已报请协调国土部门勘界" in card.plain_text
    assert "已告知党委书记" in card.plain_text and "🤝 上级协调" in card.buttons

    # The secretary who approved is told, with the card one press away.
    told = await town.latest(SECRETARY, "🤝 上级协调：包案领导 刘领导", number, "市信访局")
    assert told.buttons == ["查看事项"]
    seen = await tap(secretary, told, "查看事项", f"📋 事项 {number}")
    assert "上级协调：11-30 市信访局" in seen.plain_text and "🤝 上级协调" not in seen.buttons


async def test_a_coordination_note_left_alone_times_out(bot, town):
    leader = town.users[LEADER]
    case_id = await town.running_case()
    await approved(town, case_id)
    card = await open_card(leader, town.case(case_id).number)
    await tap(leader, card, "🤝 上级协调", "联系了哪个上级部门")
    assert await bot.expire_conversations() == 1
    await leader.wait_for_message(predicate=has(texts.BA_TIMEOUT))
    assert (await write(leader, "市信访局：已报请协调")).plain_text == texts.UNEXPECTED_MESSAGE
    assert "case.baoan_upper" not in town.w.actions(case_id)
