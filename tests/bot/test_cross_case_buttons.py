"""A step button that belongs to ANOTHER case (or notice) while a draft is open is stale.

Each flow is started on case A (or notice A); then a step button carrying case B's id is pressed
(forged data, as an old prompt of B or a tampered client would send). The answer must be the
stale-button answer, neither A nor B may change, and A's draft must still be there: the flow then
goes on to the end on A alone. The world builders are the other bot tests' (deadline flows, 包案,
督办 notices); every step here is a message or a press in the emulator.
"""

from datetime import date

import pytest
from sqlmodel import func, select

from bot.services import baoan, cases, supervision
from models import AuditEvent, BaoanRequest, NoticeEntry, SupervisionNotice
from tests.bot.steps import (
    FIRST,
    REASON,
    button_starting,
    card_of,
    forged_is_stale,
    open_card,
    snapshot,
    tap,
    with_leader,
    write,
)
from tests.bot.towns import DIRECTOR, HANDLER, LEADER, SECRETARY, STAFF, UNIT, BaoanTown
from tests.bot.towns import DIRECTOR as NT_DIRECTOR
from tests.bot.towns import DIRECTOR as SV_DIRECTOR

# --- world --------------------------------------------------------------------------------------


@pytest.fixture
async def town(bot):
    t = BaoanTown(bot)
    await t.greet()
    return t


def town_events(town, case_id: int) -> list[str]:
    with town.db.session() as s:
        return list(s.exec(select(AuditEvent.action).where(AuditEvent.subject_type == "case",
                                                           AuditEvent.subject_id == case_id)))


async def two_cases(town) -> tuple[int, int]:
    return await town.running_case(), await town.running_case()


# --- the case card's typed actions (handlers/cases/actions.py) ------------------------------------


async def test_progress_done_and_cancel_of_another_case_are_stale(bot, town):
    handler = town.users[HANDLER]
    a, b = await two_cases(town)
    before = snapshot(town, a), snapshot(town, b)
    card = await open_card(handler, town.case(a).number)
    await tap(handler, card, "进展", "报进展")
    got = await write(handler, "已约双方到村委会", "已收到")
    await forged_is_stale(handler, got, f"ca:pd:{b}")
    await forged_is_stale(handler, got, f"ca:x:{b}")
    assert (snapshot(town, a), snapshot(town, b)) == before
    await tap(handler, got, "✅ 完成", "进展已记录")  # A's draft was kept
    assert "case.progress" in town_events(town, a) and snapshot(town, b) == before[1]


async def test_transfer_confirm_of_another_case_is_stale(bot, town):
    handler = town.users[HANDLER]
    a, b = await two_cases(town)
    before = snapshot(town, a), snapshot(town, b)
    card = await open_card(handler, town.case(a).number)
    await tap(handler, card, "转办", "请输入接收单位")
    await write(handler, "县信访局", "请输入转办理由")
    confirm = await write(handler, "涉及多个乡镇", "确认把事项")
    await forged_is_stale(handler, confirm, f"ca:tc:{b}")
    await forged_is_stale(handler, confirm, f"ca:x:{b}")
    assert (snapshot(town, a), snapshot(town, b)) == before
    await tap(handler, confirm, "✅ 确认转办", "已转办至 县信访局")
    assert town.case(a).status == "transferred" and snapshot(town, b) == before[1]


async def test_resolve_outcome_and_agreement_of_another_case_are_stale(bot, town):
    handler = town.users[HANDLER]
    a, b = await two_cases(town)
    before = snapshot(town, a), snapshot(town, b)
    card = await open_card(handler, town.case(a).number)
    outcome = await tap(handler, card, "办结", "请选择办理结果")
    await forged_is_stale(handler, outcome, f"ca:ro:{b}:0")
    agreement = await tap(handler, outcome, "调解成功", "请选择协议类型")
    await forged_is_stale(handler, agreement, f"ca:ra:{b}:0")
    await forged_is_stale(handler, agreement, f"ca:x:{b}")
    assert (snapshot(town, a), snapshot(town, b)) == before
    await tap(handler, agreement, "口头协议", "请输入办理结果")
    await write(handler, "已和解", "已办结")
    assert town.case(a).result == "已和解" and snapshot(town, b) == before[1]


async def test_reply_method_and_time_of_another_case_are_stale(bot, town):
    handler = town.users[HANDLER]
    a, b = await two_cases(town)
    for case_id in (a, b):
        town.db.call(cases.resolve, actor_id=town.w.staff2, case_id=case_id, outcome="调解成功", agreement="口头协议",
                     summary="已和解", now=town.clock.now())
    before = snapshot(town, a), snapshot(town, b)
    card = await open_card(handler, town.case(a).number)
    methods = await tap(handler, card, "答复", "请选择答复当事人的方式")
    await forged_is_stale(handler, methods, f"ca:rm:{b}:0")
    when = await tap(handler, methods, "电话", "什么时候答复的")
    await forged_is_stale(handler, when, f"ca:rw:{b}:now")
    await forged_is_stale(handler, when, f"ca:rw:{b}:today")
    assert (snapshot(town, a), snapshot(town, b)) == before
    await tap(handler, when, "刚刚", "已记录答复")
    assert town.case(a).status == "replied" and snapshot(town, b) == before[1]


async def test_decline_cancel_of_another_case_is_stale(bot, town):
    staff = town.users[STAFF]
    a, b = town.w.submit().id, town.w.submit().id
    await town.delivered()
    before = snapshot(town, a), snapshot(town, b)
    card = await open_card(staff, town.case(a).number)
    ask = await tap(staff, card, "不予受理", "告知当事人的办理途径")
    await forged_is_stale(staff, ask, f"ca:x:{b}")
    assert (snapshot(town, a), snapshot(town, b)) == before
    await write(staff, "属法院管辖：请到县人民法院诉讼服务中心", "已记录为不予受理")  # A's draft was kept
    assert town.case(a).status == "out_of_scope" and snapshot(town, b) == before[1]


# --- 包案 (handlers/baoan.py) ----------------------------------------------------------------------


async def test_baoan_proposal_steps_of_another_case_are_stale(bot, town):
    director = town.users[DIRECTOR]
    a, b = await two_cases(town)
    before = snapshot(town, a), snapshot(town, b)
    card = await open_card(director, town.case(a).number)
    ask = await tap(director, card, "🧭 申请包案", "请选择提议的包案领导")
    await forged_is_stale(director, ask, f"ba:pl:{b}:{town.w.leader}")
    await tap(director, ask, "👤 刘领导", "请输入报请包案的理由")
    confirm = await write(director, "涉及多个部门，需协调处理", "请确认")
    await forged_is_stale(director, confirm, f"ba:pc:{b}")
    await forged_is_stale(director, confirm, f"ba:x:{b}")
    assert (snapshot(town, a), snapshot(town, b)) == before
    await tap(director, confirm, "✅ 提交审批", "已报党委书记审批")
    assert len(town.requests(a)) == 1 and town.requests(b) == []


async def test_baoan_plan_date_and_keep_of_another_case_are_stale(bot, town):
    leader = town.users[LEADER]
    a, b = await two_cases(town)
    await with_leader(town, a)
    await with_leader(town, b, plan_due=date(2026, 12, 9))  # B has a deadline to keep: its 保持不变 would do
    before = snapshot(town, a), snapshot(town, b)
    card = await open_card(leader, town.case(a).number)
    await tap(leader, card, "📋 调处方案", "请输入调处方案")
    dates = await write(leader, "先约谈两户", "请选择调处期限")
    await forged_is_stale(leader, dates, f"ba:d:{b}:2026-12-02")
    await forged_is_stale(leader, dates, f"ba:keep:{b}")
    await forged_is_stale(leader, dates, f"ba:x:{b}")
    assert (snapshot(town, a), snapshot(town, b)) == before
    await tap(leader, dates, "12月9日 周三（+7）", "调处方案已记录")
    assert snapshot(town, b) == before[1] and snapshot(town, a) != before[0]


async def test_baoan_extension_date_and_submit_of_another_case_are_stale(bot, town):
    leader = town.users[LEADER]
    a, b = await two_cases(town)
    await with_leader(town, a, b, plan_due=date(2026, 12, 3))  # within the current deadline: no extension yet
    before = snapshot(town, a), snapshot(town, b)
    card = await open_card(leader, town.case(a).number)
    await tap(leader, card, "⏳ 申请延期", "请输入延期理由")
    dates = await write(leader, "需等待县自然资源局出具权属意见", "请选择新的期限")
    await forged_is_stale(leader, dates, f"ba:d:{b}:2026-12-16")
    confirm = await write(leader, "2026-12-16", "请确认")
    await forged_is_stale(leader, confirm, f"ba:xc:{b}")
    await forged_is_stale(leader, confirm, f"ba:x:{b}")
    assert (snapshot(town, a), snapshot(town, b)) == before
    await tap(leader, confirm, "✅ 提交审批", "延期申请已报党委书记审批")
    assert len(town.extensions(a)) == 1 and town.extensions(b) == []


async def test_baoan_completion_steps_of_another_case_are_stale(bot, town):
    leader = town.users[LEADER]
    a, b = await two_cases(town)
    await with_leader(town, a, b)
    before = snapshot(town, a), snapshot(town, b)
    card = await open_card(leader, town.case(a).number)
    ask = await tap(leader, card, "🏁 包案办结", "请选择办结结果")
    await forged_is_stale(leader, ask, f"ba:o:{b}:0")
    ask = await tap(leader, ask, "调解成功", "请输入办结情况")
    files = await write(leader, "双方签订调解协议", "请发送包案办结材料")
    await forged_is_stale(leader, files, f"ba:fd:{b}")
    joint = await tap(leader, files, "✅ 完成", "是否与上级部门联合调处")
    await forged_is_stale(leader, joint, f"ba:jn:{b}")
    await forged_is_stale(leader, joint, f"ba:x:{b}")
    assert (snapshot(town, a), snapshot(town, b)) == before
    await tap(leader, joint, "🏁 办结", "包案已办结")
    assert town.case(a).status == "resolved" and snapshot(town, b) == before[1]


async def test_baoan_refusal_cancel_of_another_case_is_stale(bot, town):
    """The secretary's 不同意 asks for a reason (a draft bound to the case); B's 取消 does not end it."""
    secretary = town.users[SECRETARY]
    a, b = await two_cases(town)
    now = town.clock.now()
    req_a = town.db.call(baoan.propose, actor_id=town.w.director, case_id=a, leader_id=town.w.leader, reason=REASON,
                         now=now)
    town.db.call(baoan.propose, actor_id=town.w.director, case_id=b, leader_id=town.w.leader, reason=REASON, now=now)
    before = snapshot(town, a), snapshot(town, b)
    ask = await town.latest(SECRETARY, "🧑‍⚖️ 包案审批", town.case(a).number)
    reason = await tap(secretary, ask, "❌ 不同意", "理由")
    await forged_is_stale(secretary, reason, f"ba:x:{b}")
    assert (snapshot(town, a), snapshot(town, b)) == before
    await write(secretary, "可由分管领导正常调处", "已")
    with town.db.session() as s:
        assert s.get(BaoanRequest, req_a.id).status == "refused"
    assert snapshot(town, b) == before[1]


# --- 督办 notices (handlers/notices.py) -------------------------------------------------------------


def notice_state(office, notice_id: int) -> tuple:
    with office.db.session() as s:
        n = s.get(SupervisionNotice, notice_id)
        entries = s.exec(select(func.count()).select_from(NoticeEntry).where(NoticeEntry.notice_id == notice_id)).one()
        notices = s.exec(select(func.count()).select_from(SupervisionNotice)).one()
        return n.status, n.level, n.due_at, entries, notices


async def two_notices(office, *, reported: bool = False) -> tuple[int, int]:
    a, b = office.issue(), office.issue()
    for n in (a, b):
        office.call(supervision.sign, actor_id=office.w.unit_contact, notice_id=n)
        if reported:
            office.call(supervision.add_entry, actor_id=office.w.unit_contact, notice_id=n, kind="result", text="已调解")
    await office.delivered()
    return a, b


async def notice_card(office, tid: int, notice_id: int, number: str):
    user = office.users[tid]
    await user.press(office.hello[tid], data=f"sv:view:{notice_id}")
    return await user.wait_for_message(predicate=card_of(number))


async def test_notice_entry_done_and_cancel_of_another_notice_are_stale(bot, office):
    unit = office.users[UNIT]
    a, b = await two_notices(office)
    before = notice_state(office, a), notice_state(office, b)
    card = await notice_card(office, UNIT, a, FIRST)
    await tap(unit, card, "📝 报送进展", "请输入进展")
    got = await write(unit, "已约谈双方", "文字 1 段")
    await forged_is_stale(unit, got, f"nt:done:{b}")
    await forged_is_stale(unit, got, f"nt:x:{b}")
    assert (notice_state(office, a), notice_state(office, b)) == before
    await tap(unit, got, "✅ 完成", "✅ 已报送进展")
    assert notice_state(office, a)[3] == before[0][3] + 1 and notice_state(office, b) == before[1]


async def test_notice_accept_of_another_notice_is_stale(bot, office):
    director = office.users[NT_DIRECTOR]
    a, b = await two_notices(office, reported=True)
    before = notice_state(office, a), notice_state(office, b)
    card = await notice_card(office, NT_DIRECTOR, a, FIRST)
    ask = await tap(director, card, "✅ 认可结果", "可以直接认可")
    await forged_is_stale(director, ask, f"nt:okd:{b}")
    await forged_is_stale(director, ask, f"nt:okn:{b}")
    assert (notice_state(office, a), notice_state(office, b)) == before
    await tap(director, ask, "✅ 直接认可", "✅ 已认可办理结果")
    assert notice_state(office, a)[0] == "accepted" and notice_state(office, b) == before[1]


async def test_notice_reissue_steps_of_another_notice_are_stale(bot, office):
    director = office.users[NT_DIRECTOR]
    a, b = await two_notices(office, reported=True)
    before = notice_state(office, a), notice_state(office, b)
    card = await notice_card(office, NT_DIRECTOR, a, FIRST)
    await tap(director, card, "↩️ 不认可，重新督办", "请输入不认可的理由")
    dates = await write(director, "当事人不满意，协议未落实", "请选择新通知书的办理期限")
    await forged_is_stale(director, dates, f"nt:d:{b}:2026-12-14")
    levels = await tap(director, dates, "12月14日 周一（+10）", "请选择督办级别")
    await forged_is_stale(director, levels, f"nt:lv:{b}:yellow")
    preview = await tap(director, levels, "🟡 黄牌", "重新督办预览")
    await forged_is_stale(director, preview, f"nt:c:{b}")
    await forged_is_stale(director, preview, f"nt:x:{b}")
    assert (notice_state(office, a)[:4], notice_state(office, b)[:4]) == (before[0][:4], before[1][:4])
    assert notice_state(office, a)[4] == before[0][4]  # no new notice
    await tap(director, preview, "📮 确认重新督办", "已重新督办")
    assert notice_state(office, a)[0] == "reissued" and notice_state(office, b)[:4] == before[1][:4]


async def test_notice_request_default_of_another_notice_is_stale(bot, office):
    director = office.users[NT_DIRECTOR]
    a, b = await two_notices(office)
    before = notice_state(office, a), notice_state(office, b)
    card = await notice_card(office, NT_DIRECTOR, a, FIRST)
    ask = await tap(director, card, "📂 调阅材料", "请输入具体要求")
    await forged_is_stale(director, ask, f"nt:def:{b}")
    await forged_is_stale(director, ask, f"nt:x:{b}")
    assert (notice_state(office, a), notice_state(office, b)) == before
    await tap(director, ask, "使用默认要求", "已向承办单位（人员）发出")
    assert notice_state(office, a)[3] == before[0][3] + 1 and notice_state(office, b) == before[1]


async def test_notice_close_confirm_of_another_notice_is_stale(bot, office):
    director = office.users[NT_DIRECTOR]
    a, b = await two_notices(office)
    before = notice_state(office, a), notice_state(office, b)
    card = await notice_card(office, NT_DIRECTOR, a, FIRST)
    await tap(director, card, "📁 结案", "请输入说明")
    preview = await write(director, "当事人撤回申请", "请确认")
    await forged_is_stale(director, preview, f"nt:c:{b}")
    await forged_is_stale(director, preview, f"nt:x:{b}")
    assert (notice_state(office, a), notice_state(office, b)) == before
    await tap(director, preview, "✅ 确认", "已经批准结案")
    assert notice_state(office, a)[0] == "closed" and notice_state(office, b) == before[1]



# --- issuing a 督办 notice (handlers/supervise.py): the draft's buttons carry its serial -------------


async def test_supervise_buttons_of_an_older_draft_are_stale(bot, center):
    director = center.users[SV_DIRECTOR]
    await write(director, "/supervise", "请输入要督办的事项编号")
    units = await write(director, center.case_number, "请选择承办单位")
    old = await tap(director, units, "镇司法所", "请选择办理期限")
    old_data = [b["callback_data"] for row in old.current.inline_markup["inline_keyboard"] for b in row]
    serial = old_data[0].split(":")[1]

    # A new /supervise starts a new draft (to another unit): the first draft's buttons are stale now.
    await write(director, "/supervise", "请输入要督办的事项编号")
    units = await write(director, center.case_number, "请选择承办单位")
    due = await tap(director, units, "镇派出所", "请选择办理期限")
    for data in old_data:
        await forged_is_stale(director, due, data)
    level = await tap(director, due, button_starting(due, "+5个工作日"), "督办级别和来源")
    await forged_is_stale(director, level, f"svd:{serial}:ln")
    await tap(director, level, "下一步 ▶", "请输入督办要求")
    await write(director, "请核查并依法处理", "请输入反馈要求")
    cc = await write(director, "请每两个工作日反馈一次进展", "需要抄送")
    preview = await tap(director, cc, "不抄送", "督办通知书预览")
    await forged_is_stale(director, preview, f"svd:{serial}:ok")
    await forged_is_stale(director, preview, f"svd:{serial}:x")
    assert center.notices() == []
    await tap(director, preview, "✅ 确认下达", "✅ 已下达督办通知书 综治〔2026〕1号")
    (notice,) = center.notices()
    assert notice.unit_id == center.police  # the new draft's unit, issued once
