"""Issue 16 items 4, 5 and 7 through the real bot and the emulator: 联合办理 (a co-unit gets the case,
adds progress, is chased, cannot resolve), 会商 recorded from the card (with a restart in the
middle), 请示 on a 督办 notice answered by a center leader (with a restart in the middle), and the
contact-point leader's 已到场 with the Telegram location (with a restart in the middle)."""

from datetime import date

from sqlmodel import select

from bot import texts
from bot.callbacks import (
    CaseResolve,
    ConsultPerson,
    ConsultStart,
    InstructAnswerPick,
    InstructDate,
    InstructReasonPick,
    InstructStart,
    JointCo,
    MeetingMediation,
    MeetingMediationUnit,
    SceneArrive,
)
from bot.services import intake, supervision
from bot.services.cases import CaseDraft
from models import (
    Case,
    CaseConsultation,
    CaseStatus,
    InstructionAnswer,
    InstructionReason,
    NoticeEntry,
    NoticeStatus,
    SceneArrival,
    Severity,
)
from tests.bot.steps import FIRST, card_of, has, local, ours, sweep_at, tap, toast, type_in


def starts(head: str, *parts: str):
    """A message that begins with `head` (an admin's delivery-failure alert quotes the text it failed)."""
    return lambda m: (m.plain_text or "").startswith(head) and all(p in m.plain_text for p in parts)


DIRECTOR, LEADER, STAFF, GRID, UNIT, POLICE, DIRECTOR2 = 1, 3, 4, 6, 7, 10, 11


async def _joint_menu(user, case_number: str):
    card = await type_in(user, f"/case {case_number}", "📋 事项")
    menu = await tap(user, card, "分派", "分派事项")
    return await tap(user, menu, "🤝 联合办理", "联合办理")


# --- 联合办理 ------------------------------------------------------------------------------------


async def test_co_unit_gets_the_case_adds_progress_is_chased_and_only_the_lead_resolves(bot, center):
    staff, police, unit = center.users[STAFF], center.users[POLICE], center.users[UNIT]
    case_id, number = center.case_id, center.case_number
    menu = await _joint_menu(staff, number)
    assert menu.buttons == ["★ 主办 镇司法所", "设为主办：镇派出所", "＋ 协办 镇派出所",
                            "设为主办：镇城管中队（无联络人）", "＋ 协办 镇城管中队", "🗣 记录会商", "📣 召集调处会",
                            "« 返回事项"]
    assert "还没有登记联络人" in await toast(staff, menu, "＋ 协办 镇城管中队")

    # The lead unit's contact may not set co-units (a forged press), nor may a stale button do anything.
    hello = await type_in(unit, "/help", "")
    assert "只有中心主任、领导和工作人员" in await toast(unit, hello, data=JointCo(case_id, center.w.police).pack())
    assert await toast(staff, menu, data=f"jt:c:{case_id}:x") == texts.STALE_BUTTON
    assert "没有找到" in await toast(staff, menu, data=JointCo(999, center.w.police).pack())

    await staff.press(menu, "＋ 协办 镇派出所")
    menu = await staff.wait_for_message(predicate=has("已添加协办单位"))
    assert "☑ 协办 镇派出所" in menu.buttons

    told = await police.wait_for_message(predicate=has(f"事项 {number} 请贵单位协办（主办：镇司法所）"))
    card = await tap(police, told, "查看事项", "📋 事项")
    assert "主办单位：镇司法所" in card.plain_text and "协办单位：镇派出所（您是协办单位" in card.plain_text
    assert "进展" in card.buttons and "办结" not in card.buttons and "转办" not in card.buttons
    # Only the lead unit resolves: a forged 办结 from the co-unit is refused, the case stays open.
    assert "您现在不能「办结」" in await toast(police, card, data=CaseResolve(case_id).pack())
    assert center.w.case(case_id).status == CaseStatus.assigned

    prompt = await tap(police, card, "进展", "报进展")
    await police.send_text("已派民警到场维持秩序")
    ack = await police.wait_for_message(predicate=has("文字 1 段"))
    card = await tap(police, ack, "✅ 完成", "✅ 进展已记录")
    assert prompt.buttons == [] and "状态：调处中" in card.plain_text
    await unit.wait_for_message(predicate=has(f"事项 {number}：协办单位 镇派出所 的 派出所小王 报送了进展",
                                              "已派民警到场维持秩序"))

    # The deadline's reminders reach the co-unit too, without the lead's 已办结 button.
    due = center.w.case(case_id).due_at.astimezone(local(2026, 1, 1).tzinfo)
    await sweep_at(bot, local(due.year, due.month, due.day, 9))
    chased = await police.wait_for_message(predicate=has("今天到期", number))
    assert texts.REMINDER_ACK in chased.buttons and texts.REMINDER_DONE not in chased.buttons
    lead = await unit.wait_for_message(predicate=has("今天到期", number))
    assert texts.REMINDER_DONE in lead.buttons

    # Taking the co-unit off: its contact no longer sees the case.
    menu = await _joint_menu(staff, number)
    await staff.press(menu, "☑ 协办 镇派出所")
    await staff.wait_for_message(predicate=has("已取消协办"))
    assert await toast(police, card, "🔄 刷新") == texts.NO_ACCESS
    with bot.db.session() as s:
        assert s.get(Case, case_id).unit_id == center.unit


async def test_consultation_recorded_with_buttons_across_a_restart(bot, center):
    staff, police, director = center.users[STAFF], center.users[POLICE], center.users[DIRECTOR]
    case_id, number = center.case_id, center.case_number
    # A unit contact may not record a 会商 (forged press): the lead unit's is told why, another unit's
    # contact may not even see the case.
    unit = center.users[UNIT]
    hello = await type_in(unit, "/help", "")
    assert "只有中心主任、领导和工作人员" in await toast(unit, hello, data=ConsultStart(case_id).pack())
    hello = await type_in(police, "/help", "")
    assert await toast(police, hello, data=ConsultStart(case_id).pack()) == texts.NO_ACCESS

    menu = await _joint_menu(staff, number)
    picks = await tap(staff, menu, "🗣 记录会商", "会商：请选择参加会商的人员和单位")
    assert {"王主任", "刘领导", "孙丽", "镇司法所", "镇派出所", "下一步 »", "✖️ 取消"} <= set(picks.buttons)
    picks = await tap(staff, picks, "王主任", "已选：王主任")
    cq = await staff.press(picks, "下一步 »")  # one side only: not enough
    assert (await staff.wait_for_callback_answer(cq)).text == "会商至少要有两方参加，请再选择人员或单位。"
    picks = await tap(staff, picks, "镇司法所", "已选：王主任、镇司法所")
    picks = await tap(staff, picks, "镇派出所", "已选：王主任、镇司法所、镇派出所")
    asked = await tap(staff, picks, "下一步 »", "会商时间")
    assert asked.buttons == ["刚刚结束（现在）", "✖️ 取消"]

    await bot.restart()
    await staff.send_sticker()
    assert "这一步需要文字" in (await staff.wait_for_message(predicate=ours)).plain_text
    await type_in(staff, "明天下午", "没看懂这个时间")
    await type_in(staff, "12月1日 15:00", "会商时间不能晚于现在")  # the clock is 11月30日
    await type_in(staff, "11月30日 08:30", "请输入会商结论")
    card = await type_in(staff, "派出所负责现场秩序，司法所牵头调解，12月2日前化解", "✅ 已记录会商")
    assert "会商（2026-11-30 08:30）：王主任、镇司法所、镇派出所；结论：派出所负责现场秩序" in card.plain_text
    for user in (police, director):
        await user.wait_for_message(predicate=starts(f"🗣 事项 {number} 会商", "参加：王主任、镇司法所、镇派出所"))
    with bot.db.session() as s:
        row = s.exec(select(CaseConsultation)).one()
        assert (row.person_ids, row.unit_ids) == ([center.w.director], [center.unit, center.w.police])


# --- 调处会 --------------------------------------------------------------------------------------


async def test_a_mediation_meeting_convened_from_the_card_ends_as_the_cases_consultation(bot, center):
    """督办制度: 中心可以召集有关部门直接进行调处. The center picks the departments on the case's
    联合办理 menu, then the day, time and place; the departments are invited and answer; the
    minutes, closed, are the case's 会商, and a decision may be linked to the case with a press."""
    staff, police, unit, director = (center.users[t] for t in (STAFF, POLICE, UNIT, DIRECTOR))
    case_id, number = center.case_id, center.case_number
    # Refusals: a unit contact's forged press, a department press without a draft, a forged department.
    hello = await type_in(unit, "/help", "")
    assert "只有中心主任、领导和工作人员可以召集调处会" in await toast(unit, hello, data=MeetingMediation(case_id).pack())
    assert await toast(staff, hello, data=MeetingMediationUnit(case_id, center.w.police).pack()) == texts.STALE_BUTTON

    menu = await _joint_menu(staff, number)
    picks = await tap(staff, menu, "📣 召集调处会", "召集调处会：请选择参加调处的部门", "已选：镇司法所")
    assert picks.buttons[:3] == ["★ 镇司法所", "镇派出所", "镇城管中队"]
    assert await toast(staff, picks, data=MeetingMediationUnit(case_id, 999).pack()) == texts.STALE_BUTTON
    picks = await tap(staff, picks, "镇城管中队", "已选：镇司法所、镇城管中队",
                      "镇城管中队 还没有登记联络人，收不到会议通知")  # nobody there to invite: said
    picks = await tap(staff, picks, "✅ 镇城管中队", "已选：镇司法所")
    assert "联络人" not in picks.plain_text
    picks = await tap(staff, picks, "镇派出所", "已选：镇司法所、镇派出所")
    days = await tap(staff, picks, "下一步：选日期 »", "安排矛盾纠纷调处会：请选择日期")
    times = await tap(staff, days, "12月2日（三）", "请选择开始时间")
    places = await tap(staff, times, "09:00", "请选择地点")
    assert "村委会会议室" in places.buttons  # a dispute may be mediated in the village
    card = await tap(staff, places, "综治中心会议室", "已安排，已向 4 人发出会议通知")
    assert "调处事项：" + number in card.plain_text and "参加调处部门：镇司法所、镇派出所" in card.plain_text
    assert "主持人：王主任" in card.plain_text and f"📋 事项 {number}" in card.buttons

    # 镇派出所 is invited about the case, answers, and sees the meeting but not a case it cannot open
    invitation = await police.wait_for_message(predicate=has("会议通知：2026年第1次矛盾纠纷调处会", "调处事项：" + number))
    await tap(police, invitation, "✅ 参加", "参加")
    shown = await tap(police, invitation, "📋 查看会议", "调处事项：" + number)
    assert not any(b.startswith("📋 事项") for b in shown.buttons)
    await unit.wait_for_message(predicate=has("会议通知：2026年第1次矛盾纠纷调处会"))
    case_card = await type_in(staff, f"/case {number}", "📋 事项")
    assert "📣 调处会：2026-12-02 09:00，综治中心会议室（待召开）" in case_card.plain_text

    # the minutes: one item, a decision linked to the case by its button, 定稿
    bot.clock.set(local(2026, 12, 2, 9, 0))
    listing = await type_in(staff, "/meetings", "📅 会议")
    card = await tap(staff, listing, "12/2 2026年第1次矛盾纠纷调处会", "编号：〔2026〕调处会第1号")
    await tap(staff, card, "✍️ 记录纪要", "正在记录")
    prompt = await type_in(staff, "司法所牵头调解，派出所维持现场秩序", "已记第 1 条")
    await tap(staff, prompt, "📌 记一条议定事项", "请输入内容")
    owners = await type_in(staff, "12月4日前组织双方签订调解协议", "请选择责任方")
    days = await tap(staff, owners, "🏢 镇司法所", "几个工作日")
    case_step = await tap(staff, days, "3 个工作日", "不关联")
    saved = await tap(staff, case_step, f"🔗 关联调处事项 {number}", "已记议定事项 〔2026〕调处会第1号-1")
    await tap(staff, saved, "✅ 定稿", "纪要已定稿")
    told = await police.wait_for_message(predicate=starts(f"🗣 事项 {number} 会商", "司法所牵头调解"))
    assert "镇司法所、镇派出所" in told.plain_text
    await unit.wait_for_message(predicate=has("议定事项交办：〔2026〕调处会第1号-1", f"关联事项：{number}"))
    case_card = await type_in(director, f"/case {number}", "📋 事项")
    assert "会商（2026-12-02 09:00）：" in case_card.plain_text and "📣 调处会" not in case_card.plain_text
    with bot.db.session() as s:
        row = s.exec(select(CaseConsultation)).one()
        assert row.meeting_id is not None and row.unit_ids == [center.unit, center.w.police]


# --- 请示 ----------------------------------------------------------------------------------------


async def test_consultation_cancelled_by_its_button_or_by_command_keeps_nothing(bot, center):
    staff = center.users[STAFF]
    menu = await _joint_menu(staff, center.case_number)
    picks = await tap(staff, menu, "🗣 记录会商", "会商：请选择参加会商的人员和单位")
    picks = await tap(staff, picks, "王主任", "已选：王主任")
    cancelled = await tap(staff, picks, "✖️ 取消", texts.joint.CONSULT_CANCELLED)  # in place of the step
    assert cancelled.buttons == []
    assert "consult_draft" not in bot.app.user_data.get(staff.id, {})
    picks = await tap(staff, await _joint_menu(staff, center.case_number), "🗣 记录会商", "会商：请选择")
    await tap(staff, picks, "王主任", "已选：王主任")
    await type_in(staff, "/cancel", texts.joint.CONSULT_CANCELLED)
    # a step's button after the cancel: old, answered by handlers/fallback.py
    assert await toast(staff, picks, data=ConsultPerson(center.case_id, center.w.director).pack()) == texts.STALE_BUTTON
    with bot.db.session() as s:
        assert s.exec(select(CaseConsultation)).all() == []


async def test_instruction_asked_from_the_notice_and_answered_by_a_leader_across_a_restart(bot, center):
    director, unit, police, director2 = (center.users[t] for t in (DIRECTOR, UNIT, POLICE, DIRECTOR2))
    n = center.issue()
    note = await unit.wait_for_message(predicate=has(f"督办通知书 {FIRST}", "请点「签收」"))
    await unit.press(note, "✍️ 签收")
    card = await unit.wait_for_message(predicate=card_of(FIRST, "✍️ 已签收"))
    assert "🙋 请示中心领导" in card.buttons

    # Another unit's contact may not ask; a unit contact may not answer.
    hello = await type_in(police, "/help", "")
    assert "只有承办单位的联络人或承办人员本人可以请示" in await toast(police, hello, data=InstructStart(n.id).pack())

    reasons = await tap(unit, card, "🙋 请示中心领导", "请选择请示事由")
    assert reasons.buttons == ["无法按期办结", "需要协调", "情况重大变化", "其他", "✖️ 取消"]
    await tap(unit, reasons, "无法按期办结", "请写明具体情况")
    await type_in(unit, "当事人外出务工，12月15日才返乡，请求延期", "请示已报中心领导")
    # the reason's button once the 请示 is sent: old, answered by handlers/fallback.py
    stray = InstructReasonPick(n.id, InstructionReason.overdue).pack()
    assert await toast(unit, reasons, data=stray) == texts.STALE_BUTTON
    asked = await director.wait_for_message(predicate=starts("🙋 请示：镇司法所", FIRST, "事由：无法按期办结"))
    assert asked.buttons == ["同意延期", "同意结案", "同意移送", "不同意", "查看督办"]
    other = await director2.wait_for_message(predicate=starts("🙋 请示：镇司法所", FIRST))
    with bot.db.session() as s:
        entry = s.exec(select(NoticeEntry).where(NoticeEntry.kind == "instruction")).one()
    assert "只有中心领导或中心主任可以答复请示" in await toast(
        unit, card, data=InstructAnswerPick(entry.id, InstructionAnswer.refuse).pack())
    assert "已有一项请示在等待中心领导答复" in await toast(unit, card, data=InstructStart(n.id).pack())

    dates = await tap(director, asked, "同意延期", "请选择新的办理期限")
    assert dates.buttons[-1] == "✖️ 取消" and len(dates.buttons) == 4
    await bot.restart()
    await type_in(director, "下周", "没看懂这个日期")
    await type_in(director, "12月20日", "请输入答复意见")
    await type_in(director, "同意延期至12月20日，请抓紧联系当事人", "✅ 已答复请示（同意延期）")
    assert await toast(director, dates, data=InstructDate(entry.id, date(2026, 12, 21)).pack()) == texts.STALE_BUTTON
    answered = await unit.wait_for_message(
        predicate=has(f"督办通知书 {FIRST} 的请示已由 王主任 答复：同意延期，新期限 2026年12月20日"))
    assert center.notices()[0].due_at.astimezone(local(2026, 1, 1).tzinfo).date() == date(2026, 12, 20)
    # The second director's copy: already answered.
    assert "已由 王主任 答复（同意延期）" in await toast(director2, other, "不同意")

    # Again: 情况重大变化 → 同意移送; the party must be told within 3 days, and is chased.
    card = await tap(unit, answered, texts.SV_VIEW, "王主任 请示答复：同意延期（新期限 2026年12月20日 17:30）")
    reasons = await tap(unit, card, "🙋 请示中心领导", "请选择请示事由")
    await tap(unit, reasons, "情况重大变化", "请写明具体情况")
    await type_in(unit, "涉及土地权属，应由自然资源所处理", "请示已报中心领导")
    asked = await director.wait_for_message(predicate=starts("🙋 请示：镇司法所", "事由：情况重大变化"))
    await tap(director, asked, "同意移送", "请输入接收部门")
    await type_in(director, "镇自然资源所", "请输入答复意见")
    await type_in(director, "同意移送镇自然资源所", "✅ 已答复请示（同意移送）")
    await unit.wait_for_message(predicate=has(f"经 王主任 批准，督办通知书 {FIRST}", "镇自然资源所", "告知当事人"))
    assert center.notices()[0].status == NoticeStatus.transferred
    await sweep_at(bot, local(2026, 12, 1, 9))
    await unit.wait_for_message(predicate=has(FIRST, "告知当事人"))
    view = bot.db.call(supervision.notice_view, viewer_id=center.w.director, notice_id=n.id, now=bot.clock.now(),
                       policy=center.policy)
    assert [e.kind for e in view.entries if e.kind.startswith("instruction")] == [
        "instruction", "instruction_reply", "instruction", "instruction_reply"]


# --- 已到场 --------------------------------------------------------------------------------------


async def test_contact_point_leader_arrives_shares_the_location_across_a_restart(bot, town):
    await town.greet()
    leader, staff, director = town.users[LEADER], town.users[STAFF], town.users[DIRECTOR]
    draft = CaseDraft(type_id=town.mass, severity=Severity.major, description="村民聚集在村委会门口",
                      village_id=town.village.id, grid_id=town.grid.id, urgent=True)
    done = bot.db.call(intake.register_report, actor_id=town.grid_worker, draft=draft, now=bot.clock.now())
    case_id = done.case.id
    alert = await leader.wait_for_message(timeout=10, predicate=starts("🚨", done.case.number))
    assert alert.buttons == [texts.URGENT_ACK, "查看事项", "📍 已到场"]
    # Only the village's contact-point leader may say they are at the scene.
    hello = await type_in(staff, "/help", "")
    assert "只有该村（社区）的工作联系点领导" in await toast(staff, hello, data=SceneArrive(case_id).pack())
    assert await toast(leader, alert, data="sc:a:abc") == texts.STALE_BUTTON

    # 收到 by the director: the leader's copy keeps 已到场.
    director_alert = await director.wait_for_message(timeout=10, predicate=starts("🚨", done.case.number))
    await director.press(director_alert, texts.URGENT_ACK)
    await town.delivered()

    await leader.press(alert, "📍 已到场")
    asked = await leader.wait_for_message(predicate=has("已记下到场时间"))
    assert leader.reply_keyboard() == ["📍 发送我的位置", "无法发送位置"] and asked is not None
    await leader.send_sticker()
    assert "请点下方「发送我的位置」" in (await leader.wait_for_message(predicate=ours)).plain_text

    await bot.restart()
    await leader.send_location(29.56301, 106.55156)
    confirmed = await leader.wait_for_message(predicate=has("✅ 已登记到场"))
    assert "位置 29.56301, 106.55156" in confirmed.plain_text and leader.reply_keyboard() == []
    told = await staff.wait_for_message(timeout=10, predicate=starts(f"📍 刘领导 已到达事项 {done.case.number} 现场"))
    assert "到场时间：11月30日 09:00" in told.plain_text and "位置 29.56301, 106.55156" in told.plain_text
    card = await tap(staff, told, "查看事项", "📋 事项")
    assert "已到场：刘领导" in card.plain_text and "29.56301, 106.55156" in card.plain_text

    assert "您已于" in await toast(leader, alert, "📍 已到场")
    with bot.db.session() as s:
        row = s.exec(select(SceneArrival)).one()
        assert (row.latitude, row.longitude, row.no_location) == (29.56301, 106.55156, False)
