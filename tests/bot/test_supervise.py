"""The director issuing 督办通知书 in chat (/supervise guided and one line), /supervisions, /notice.

People, units and cases are set up through the services (tests/factories.py's Township);
everything under test goes through the real bot and the emulator, and the application's own
outbox sender delivers what the services queue.
"""

import asyncio
import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from docx import Document

from bot import texts
from bot.services import cases, supervision
from models import NoticeLevel, NoticeSource
from tests.bot.steps import button_starting, has, tap, toast, type_in

SH = ZoneInfo("Asia/Shanghai")
DIRECTOR, STAFF, UNIT, POLICE, DIRECTOR2 = 1, 4, 7, 10, 11
USAGE_START = texts.SV_COMMAND_USAGE.splitlines()[0]


def local(y, m, d, hh=9, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH).astimezone(UTC)


# --- the guided flow ----------------------------------------------------------------------------


async def test_guided_flow_issues_a_numbered_notice_the_unit_signs_for(bot, center):
    director, unit = center.users[DIRECTOR], center.users[UNIT]
    await type_in(director, "/supervise", "请输入要督办的事项编号")
    await director.send_sticker()
    await director.wait_for_message(predicate=has(texts.SVI_CASE_WRONG_TYPE))
    await type_in(director, "42号", "事项编号应形如 2026-0042")
    await type_in(director, "2026-0099", "没有找到事项 2026-0099")
    units = await type_in(director, "2026-1", "督办事项 2026-0001", "请选择承办单位")
    assert units.buttons == ["• 🏢 承办单位", "👤 承办人员", "镇司法所", "镇派出所", "镇城管中队（无联络人）", "取消"]

    # A unit without a contact cannot receive the notice: said at once, the step stays.
    assert "还没有登记联络人" in await toast(director, units, "镇城管中队（无联络人）")
    due = await tap(director, units, "镇司法所", "承办单位：镇司法所", "请选择办理期限")
    assert due.message_id == units.message_id  # edited in place
    assert [b.split(" · ")[0] for b in due.buttons[:3]] == ["+3个工作日", "+5个工作日", "+10个工作日"]
    await director.send_sticker()
    await director.wait_for_message(predicate=has("请点按钮选择办理期限"))
    await type_in(director, "明天吧", "没看懂这个日期")
    await type_in(director, "2026-11-20", texts.SVI_DUE_PAST)
    level = await type_in(director, "12月10日", "办理期限：12月10日 周四", "督办级别和来源")
    assert level.buttons == ["• 📮 普通", "🟡 黄牌", "🔴 红牌", "• 本级", "上级交办", "下一步 ▶", "取消"]
    level = await tap(director, level, "🟡 黄牌", "督办级别")
    assert "• 🟡 黄牌" in level.buttons and "📮 普通" in level.buttons
    level = await tap(director, level, "上级交办", "督办级别")
    await director.send_text("红牌")
    await director.wait_for_message(predicate=has(texts.SVI_BUTTONS_WRONG_TYPE))
    await tap(director, level, "下一步 ▶", "黄牌督办·上级交办", "请输入督办要求")

    await director.send_sticker()
    await director.wait_for_message(predicate=has("这里需要输入文字"))
    await type_in(director, "x" * (supervision.MAX_TEXT + 1), texts.TOO_LONG.format(limit=supervision.MAX_TEXT))
    feedback = await type_in(director, "请于期限前调解到位", "请输入反馈要求")
    cc = await tap(director, feedback, "使用默认", "需要抄送")
    preview = await type_in(director, "县综治中心 <b>办公室</b>", "督办通知书预览")
    text = preview.plain_text
    assert texts.SV_NUMBER_PENDING in text and "🟡 黄牌·上级交办" in text
    assert "承办单位：镇司法所（联络人：司法所老李）" in text and "事项 2026-0001：两户因排水沟争吵" in text
    assert "督办要求：请于期限前调解到位" in text and "办理期限：2026年12月10日 17:30" in text
    assert f"反馈要求：{texts.SV_DEFAULT_FEEDBACK}" in text and "抄送：县综治中心 <b>办公室</b>" in text
    assert "签发人：王主任" in text
    assert preview.buttons == ["✅ 确认下达", "✏️ 修改", "取消"]
    assert cc.message_id != preview.message_id

    # 修改: the requirements, then back to the preview.
    menu = await tap(director, preview, "✏️ 修改", "要修改哪一项")
    await tap(director, menu, "督办要求", "请输入督办要求")
    preview = await type_in(director, "请于12月10日前调解到位并书面反馈", "督办通知书预览")
    assert "督办要求：请于12月10日前调解到位并书面反馈" in preview.plain_text
    assert "🟡 黄牌" in preview.plain_text  # the rest kept
    confirm_data = preview.current.inline_markup["inline_keyboard"][0][0]["callback_data"]
    done = await tap(director, preview, "✅ 确认下达", "✅ 已下达督办通知书")
    assert "综治〔2026〕1号" in done.plain_text and "承办单位：镇司法所" in done.plain_text
    assert done.buttons == ["查看督办"]

    (notice,) = center.notices()
    assert notice.number == "综治〔2026〕1号" and notice.level == NoticeLevel.yellow
    assert notice.source == NoticeSource.upper and notice.cc == "县综治中心 <b>办公室</b>"
    assert notice.requirements == "请于12月10日前调解到位并书面反馈"
    assert notice.due_at == local(2026, 12, 10, 17, 30)

    message = await unit.wait_for_message(predicate=has("综治〔2026〕1号", "请点「签收」"))
    assert message.buttons == ["✍️ 签收", "查看督办"]
    assert "请于12月10日前调解到位并书面反馈" in message.plain_text

    # The confirm button is spent: pressing it again issues nothing.
    assert await toast(director, preview, data=confirm_data) == texts.STALE_BUTTON
    assert len(center.notices()) == 1


async def test_from_the_case_card_button_and_a_restart_in_the_middle(bot, center):
    director = center.users[DIRECTOR]
    help_message = director.last_message()
    await director.press(help_message, data=f"sv:new:{center.case_id}")
    units = await director.wait_for_message(predicate=has("督办事项 2026-0001"))
    due = await tap(director, units, "镇派出所", "承办单位：镇派出所")

    await bot.restart()
    director = bot.user(DIRECTOR, "王主任")
    level = await tap(director, due, button_starting(due, "+5个工作日"), "督办级别和来源")
    assert "12月7日 周一" in level.plain_text  # Mon 11-30 + 5 working days
    await tap(director, level, "下一步 ▶", "请输入督办要求")
    await type_in(director, "请核查并依法处理", "请输入反馈要求")
    cc = await type_in(director, "请每两个工作日反馈一次进展", "需要抄送")
    preview = await tap(director, cc, "不抄送", "督办通知书预览")
    assert "反馈要求：请每两个工作日反馈一次进展" in preview.plain_text and "抄送：无" in preview.plain_text
    await tap(director, preview, "✅ 确认下达", "✅ 已下达督办通知书 综治〔2026〕1号")
    (notice,) = center.notices()
    assert notice.unit_id == center.police and notice.due_at == local(2026, 12, 7, 17, 30)
    await center.users[POLICE].wait_for_message(predicate=has("综治〔2026〕1号", "请点「签收」"))


async def test_cancel_by_command_and_by_button(bot, center):
    director = center.users[DIRECTOR]
    await type_in(director, "/supervise", "请输入要督办的事项编号")
    units = await type_in(director, "2026-0001", "请选择承办单位")
    due = await tap(director, units, "镇司法所", "请选择办理期限")
    due_data = due.current.inline_markup["inline_keyboard"][0][0]["callback_data"]
    await type_in(director, "/cancel", texts.SVI_CANCELLED)
    await type_in(director, "随便说点什么", texts.UNEXPECTED_MESSAGE)  # the flow is over
    assert await toast(director, due, data=due_data) == texts.STALE_BUTTON

    await type_in(director, "/supervise", "请输入要督办的事项编号")
    units = await type_in(director, "2026-0001", "请选择承办单位")
    await tap(director, units, "取消", texts.SVI_CANCELLED)
    assert center.notices() == []


# --- the one-line command -----------------------------------------------------------------------


async def test_one_line_command_previews_and_issues(bot, center):
    director, unit = center.users[DIRECTOR], center.users[UNIT]
    preview = await type_in(director, "/supervise 2026-0001 司法所 2026-12-10 请于期限前调解到位", "督办通知书预览")
    assert "📮 普通·本级" in preview.plain_text and "承办单位：镇司法所" in preview.plain_text
    assert "办理期限：2026年12月10日 17:30" in preview.plain_text
    assert f"反馈要求：{texts.SV_DEFAULT_FEEDBACK}" in preview.plain_text
    assert preview.buttons == ["✅ 确认下达", "✏️ 修改", "取消"]
    # 修改 → 级别和来源 → 红牌 → back to the preview.
    menu = await tap(director, preview, "✏️ 修改", "要修改哪一项")
    level = await tap(director, menu, "级别和来源", "督办级别")
    level = await tap(director, level, "🔴 红牌", "督办级别")
    preview = await tap(director, level, "下一步 ▶", "督办通知书预览")
    assert "🔴 红牌·本级" in preview.plain_text
    await tap(director, preview, "✅ 确认下达", "✅ 已下达督办通知书 综治〔2026〕1号")
    message = await unit.wait_for_message(predicate=has("综治〔2026〕1号", "请点「签收」"))
    assert message.buttons == ["✍️ 签收", "查看督办"]
    (notice,) = center.notices()
    assert notice.level == NoticeLevel.red and notice.unit_id == center.unit


@pytest.mark.parametrize(("line", "expected"), [
    ("/supervise 2026-0001", "请在事项编号后写上承办单位名称和办理期限"),
    ("/supervise 四十二 镇司法所 2026-12-10 要求", "事项编号「四十二」不对"),
    ("/supervise 2026-0001 镇司法所 下周 要求", "没有找到办理期限"),
    ("/supervise 2026-0001 镇司法所 2026-12-10", "请在日期后写上督办要求"),
    ("/supervise 2026-0001 镇司法所 2026-02-30 要求", "日期「2026-02-30」不存在"),
    ("/supervise 2026-0099 镇司法所 2026-12-10 要求", "没有找到事项 2026-0099"),
    ("/supervise 2026-0001 镇税务所 2026-12-10 要求", "没有找到单位「镇税务所」"),
    ("/supervise 2026-0001 镇 2026-12-10 要求", "对应多个单位"),
])
async def test_malformed_one_line_commands(bot, center, line, expected):
    director = center.users[DIRECTOR]
    answer = await type_in(director, line, expected)
    assert answer.plain_text.startswith("⚠️") and answer.plain_text.count(USAGE_START) == 1
    await type_in(director, "随便说点什么", texts.UNEXPECTED_MESSAGE)  # no flow was started
    assert center.notices() == []


async def test_one_line_with_a_past_date_or_a_unit_without_contact_is_fixed_by_editing(bot, center):
    director = center.users[DIRECTOR]
    failed = await type_in(director, "/supervise 2026-0001 城管 2026-12-10 请拆除违建", "还没有登记联络人")
    assert failed.buttons == ["✏️ 修改", "取消"]
    menu = await tap(director, failed, "✏️ 修改", "要修改哪一项")
    units = await tap(director, menu, "承办单位（人员）", "请选择承办单位")
    preview = await tap(director, units, "镇司法所", "督办通知书预览")
    assert "承办单位：镇司法所" in preview.plain_text

    failed = await type_in(director, "/supervise 2026-0001 镇司法所 2026-11-01 请调解", "办理期限应晚于现在")
    menu = await tap(director, failed, "✏️ 修改", "要修改哪一项")
    due = await tap(director, menu, "办理期限", "请选择办理期限")
    preview = await tap(director, due, button_starting(due, "+3个工作日"), "督办通知书预览")
    assert "办理期限：2026年12月3日 17:30" in preview.plain_text


async def test_two_directors_issuing_at_once_get_consecutive_numbers(bot, center):
    first, second = center.users[DIRECTOR], center.users[DIRECTOR2]
    line = "/supervise 2026-0001 {unit} 2026-12-10 请于期限前调解到位"
    p1 = await type_in(first, line.format(unit="镇司法所"), "督办通知书预览")
    p2 = await type_in(second, line.format(unit="镇派出所"), "督办通知书预览")
    await asyncio.gather(first.press(p1, "✅ 确认下达"), second.press(p2, "✅ 确认下达"))
    done = await asyncio.gather(first.wait_for_message(predicate=has("✅ 已下达督办通知书")),
                                second.wait_for_message(predicate=has("✅ 已下达督办通知书")))
    numbers = sorted(next(n for n in ("综治〔2026〕1号", "综治〔2026〕2号") if n in m.plain_text) for m in done)
    assert numbers == ["综治〔2026〕1号", "综治〔2026〕2号"]
    assert sorted(n.number for n in center.notices()) == numbers


async def test_only_the_director_issues(bot, center):
    staff, unit, director = center.users[STAFF], center.users[UNIT], center.users[DIRECTOR]
    await type_in(staff, "/supervise", texts.NOT_ALLOWED)
    await type_in(staff, "/supervise 2026-0001 镇司法所 2026-12-10 请调解", texts.NOT_ALLOWED)
    assert await toast(staff, staff.last_message(), data=f"sv:new:{center.case_id}") == texts.NOT_ALLOWED
    assert await toast(unit, unit.last_message(), data=f"sv:new:{center.case_id}") == texts.NOT_ALLOWED
    # A forged flow button: nobody's draft.
    assert await toast(unit, unit.last_message(), data="svd:1:ok") == texts.STALE_BUTTON
    # The director's forged or stale entry buttons.
    assert await toast(director, director.last_message(), data="sv:new:abc") == texts.STALE_BUTTON
    assert await toast(director, director.last_message(), data="sv:new:999") == "没有找到这个事项，请核对编号（例如 2026-0042）。"
    center.w.set_status(center.case_id, cases.CaseStatus.archived)
    assert "不需要督办" in await toast(director, director.last_message(), data=f"sv:new:{center.case_id}")
    assert center.notices() == []


# --- /supervisions ------------------------------------------------------------------------------


async def test_supervisions_for_the_director_with_filters(bot, center):
    director = center.users[DIRECTOR]
    center.issue(due=date(2026, 12, 10))  # 001 司法所
    center.issue(unit_id=center.police, due=date(2026, 12, 3), level=NoticeLevel.red)  # 002 派出所
    center.issue(due=date(2026, 12, 1))  # 003 司法所, overdue by Wednesday
    await center.delivered()
    center.clock.set(local(2026, 12, 2, 10))

    listing = await type_in(director, "/supervisions", "督办通知书 · 未办结")
    assert "共 3 份" in listing.plain_text
    assert listing.buttons[:7] == ["• 未办结", "已超期", "全部", "• 全部级别", "普通", "黄牌", "红牌"]
    assert listing.buttons[7] == "🏢 单位：全部单位"
    rows = listing.buttons[8:]
    assert rows == ["⚠️📮 综治〔2026〕3号 镇司法所 · 12月01日 17:30", "🔴 综治〔2026〕2号 镇派出所 · 12月03日 17:30",
                    "📮 综治〔2026〕1号 镇司法所 · 12月10日 17:30"]
    data = [b["callback_data"] for row in listing.current.inline_markup["inline_keyboard"] for b in row]
    notice_ids = [n.id for n in center.notices()]
    assert f"sv:view:{notice_ids[2]}" in data

    overdue = await tap(director, listing, "已超期", "督办通知书 · 已超期")
    assert "共 1 份" in overdue.plain_text and any("〔2026〕3号" in b for b in overdue.buttons)
    red = await tap(director, overdue, "全部", "督办通知书 · 全部")
    red = await tap(director, red, "红牌", "全部｜红牌")
    assert "共 1 份" in red.plain_text and any("〔2026〕2号" in b for b in red.buttons)
    everything = await tap(director, red, "全部级别", "督办通知书 · 全部")
    picker = await tap(director, everything, "🏢 单位：全部单位", "按承办单位筛选")
    assert picker.buttons == ["全部单位", "镇司法所", "镇派出所", "镇城管中队", "« 返回清单"]
    justice = await tap(director, picker, "镇司法所", "全部｜镇司法所")
    assert "共 2 份" in justice.plain_text and "🏢 单位：镇司法所" in justice.buttons
    empty = await tap(director, justice, "红牌", "镇司法所｜红牌")
    assert "没有符合条件" in empty.plain_text
    # Forged or stale list buttons.
    assert await toast(director, empty, data="svl:z:0:-:0") == texts.STALE_BUTTON
    assert await toast(director, empty, data="svl:o:0:q:0") == texts.STALE_BUTTON
    assert await toast(director, empty, data="svl:o:x:-:0") == texts.STALE_BUTTON


async def test_supervisions_pages_ten_at_a_time(bot, center):
    director = center.users[DIRECTOR]
    for day in range(1, 13):
        center.issue(due=date(2026, 12, day + 1))
    await center.delivered()
    listing = await type_in(director, "/supervisions", "共 12 份，第 1/2 页")
    rows = [b for b in listing.buttons if "〔2026〕" in b]
    assert len(rows) == 10 and listing.buttons[-1] == "下一页 »"
    second = await tap(director, listing, "下一页 »", "第 2/2 页")
    assert len([b for b in second.buttons if "〔2026〕" in b]) == 2 and second.buttons[-1] == "« 上一页"
    # A page that no longer exists shows the last one there is.
    await director.press(second, data="svl:a:0:-:7")
    await director.wait_for_message(predicate=has("督办通知书 · 全部", "第 2/2 页"))


async def test_supervisions_for_a_unit_contact_only_their_own(bot, center):
    unit, police, staff = center.users[UNIT], center.users[POLICE], center.users[STAFF]
    center.issue()  # 001 司法所
    center.issue(unit_id=center.police)  # 002 派出所
    await center.delivered()
    listing = await type_in(unit, "/supervisions", "督办通知书 · 未办结")
    assert "共 1 份" in listing.plain_text
    assert not any(b.startswith("🏢") for b in listing.buttons)
    assert [b for b in listing.buttons if "〔2026〕" in b] == ["📮 综治〔2026〕1号 镇司法所 · 12月10日 17:30"]
    # Forging the police station's unit filter changes nothing; the unit picker is not theirs.
    forged = await unit.press(listing, data=f"svl:a:{center.police}:-:0")
    shown = await unit.wait_for_message(predicate=has("督办通知书 · 全部"))
    await unit.wait_for_callback_answer(forged)
    assert [b for b in shown.buttons if "〔2026〕" in b] == ["📮 综治〔2026〕1号 镇司法所 · 12月10日 17:30"]
    assert await toast(unit, shown, data="svu:o:-:0") == texts.NOT_ALLOWED
    listing = await type_in(police, "/supervisions", "督办通知书")
    assert [b for b in listing.buttons if "〔2026〕" in b] == ["📮 综治〔2026〕2号 镇派出所 · 12月10日 17:30"]
    # A staff member may be a 承办人员: their list holds only notices addressed to them (none here).
    await type_in(staff, "/supervisions", "没有符合条件的督办通知书")


# --- /notice ------------------------------------------------------------------------------------


async def test_notice_bad_unknown_and_someone_elses(bot, center):
    director, police, staff = center.users[DIRECTOR], center.users[POLICE], center.users[STAFF]
    center.issue()  # 综治〔2026〕1号 to 司法所
    await center.delivered()
    await type_in(director, "/notice", texts.SVN_USAGE)
    await type_in(director, "/notice 第十二号", "督办通知书编号不对")
    await type_in(director, "/notice 2026-99", "没有找到 2026 年第 99 号督办通知书")
    await type_in(police, "/notice 综治〔2026〕1号", "无权查看这份督办通知书")
    await type_in(staff, "/notice 2026-1", "无权查看这份督办通知书")


@pytest.mark.parametrize("typed", ["综治〔2026〕1号", "〔2026〕第001号", "2026-1", "2026年第1号"])
async def test_notice_sends_the_docx(bot, center, typed):
    unit = center.users[UNIT]
    center.issue()
    await center.delivered()
    await type_in(unit, f"/notice {typed}", "综治〔2026〕1号", "马上发给您")
    document = await unit.wait_for_message(predicate=lambda m: m.kind == "document")
    assert "综治〔2026〕1号" in (document.caption or "")
    assert document.file_bytes()[:2] == b"PK"  # a .docx is a zip


# --- the issuing body and the number form come from the settings (issue 10 item 12) ------------------


async def test_settings_name_the_issuing_body_and_the_number_form(bot, center):
    bot.settings = bot.settings.model_copy(update={"notice_issuer_org": "东山镇综治中心",
                                                    "notice_issuer_code": "东综治"})
    await bot.restart()
    director, unit = bot.user(DIRECTOR, "王主任"), bot.user(UNIT, "老李")
    preview = await type_in(director, "/supervise 2026-0001 镇司法所 2026-12-10 请调解", "督办通知书预览")
    await tap(director, preview, "✅ 确认下达", "✅ 已下达督办通知书 东综治〔2026〕1号")
    document = await unit.wait_for_message(predicate=lambda m: m.kind == "document")
    paragraphs = [p.text for p in Document(io.BytesIO(document.file_bytes())).paragraphs if p.text.strip()]
    assert paragraphs[:2] == ["东山镇综治中心", "东综治〔2026〕1号"]

    # The old form kept by a setting for new numbers; the number already issued keeps its text.
    bot.settings = bot.settings.model_copy(update={"notice_number_legacy": True})
    await bot.restart()
    director, unit = bot.user(DIRECTOR, "王主任"), bot.user(UNIT, "老李")
    preview = await type_in(director, "/supervise 2026-0001 镇司法所 2026-12-11 请调解", "督办通知书预览")
    await tap(director, preview, "✅ 确认下达", "✅ 已下达督办通知书 〔2026〕第002号")
    assert [n.number for n in center.notices()] == ["东综治〔2026〕1号", "〔2026〕第002号"]
    # /notice understands both forms whatever form the notice was issued in.
    await type_in(unit, "/notice 〔2026〕第001号", "东综治〔2026〕1号", "马上发给您")
    await type_in(unit, "/notice 东综治〔2026〕2号", "〔2026〕第002号", "马上发给您")


# --- 抄送 to registered leaders and units (issue 10 item 10) ------------------------------------------


async def test_people_picked_as_cc_receive_the_notice_and_its_document(bot, center):
    director, police = center.users[DIRECTOR], center.users[POLICE]
    leader, secretary = bot.user(3, "刘领导"), bot.user(2, "书记")
    for user in (leader, secretary):
        await type_in(user, "/help", "")
    await type_in(director, "/supervise", "请输入要督办的事项编号")
    units = await type_in(director, "2026-0001", "请选择承办单位")
    due = await tap(director, units, "镇司法所", "请选择办理期限")
    level = await tap(director, due, button_starting(due, "+5个工作日"), "督办级别和来源")
    await tap(director, level, "下一步 ▶", "请输入督办要求")
    feedback = await type_in(director, "请于期限前调解到位", "请输入反馈要求")
    cc = await tap(director, feedback, "使用默认", "需要抄送")
    # Buttons from the registered leaders and units (not the unit the notice goes to, not the directors).
    assert cc.buttons == ["书记", "刘领导", "镇派出所", "镇城管中队（无联络人）", "✅ 完成", "不抄送", "取消"]
    assert "还没有登记联络人" in await toast(director, cc, "镇城管中队（无联络人）")
    cc = await tap(director, cc, "刘领导", "已选：刘领导")
    cc = await tap(director, cc, "镇派出所", "已选：刘领导、镇派出所")
    cc = await tap(director, cc, "书记", "已选：书记、刘领导、镇派出所")
    cc = await tap(director, cc, "• 书记", "已选：刘领导、镇派出所")  # a second press takes it off
    assert "• 刘领导" in cc.buttons and "书记" in cc.buttons
    # Free text is still taken for outside bodies, and it ends the step.
    preview = await type_in(director, "县综治中心 <b>办公室</b>", "督办通知书预览")
    assert "抄送：刘领导、镇派出所、县综治中心 <b>办公室</b>" in preview.plain_text
    await tap(director, preview, "✅ 确认下达", "✅ 已下达督办通知书 综治〔2026〕1号")
    (notice,) = center.notices()
    assert notice.cc_person_ids == [center.w.leader] and notice.cc_unit_ids == [center.police]

    # Each picked person — the leader and the police station's contact — gets the notice and its .docx.
    told = {}
    for user in (leader, police):
        told[user] = await user.wait_for_message(predicate=has("抄送", "综治〔2026〕1号", "镇司法所", "请于期限前调解到位"))
        assert "请点「签收」" not in told[user].plain_text
        document = await user.wait_for_message(predicate=lambda m: m.kind == "document")
        body = "\n".join(p.text for p in Document(io.BytesIO(document.file_bytes())).paragraphs)
        assert "抄送：刘领导、镇派出所、县综治中心 办公室。" in body
    assert not [m for m in secretary.messages() if "综治〔2026〕1号" in (m.plain_text or "")]
    # The leader may open the notice; the police station's contact, not its unit, is not offered the card.
    assert told[leader].buttons == ["查看督办"] and told[police].buttons == []


async def test_cc_picks_are_edited_from_the_preview(bot, center):
    director = center.users[DIRECTOR]
    preview = await type_in(director, "/supervise 2026-0001 镇司法所 2026-12-10 请调解", "督办通知书预览")
    assert "抄送：无" in preview.plain_text
    menu = await tap(director, preview, "✏️ 修改", "要修改哪一项")
    cc = await tap(director, menu, "抄送", "需要抄送")
    cc = await tap(director, cc, "镇派出所", "已选：镇派出所")
    preview = await tap(director, cc, "✅ 完成", "督办通知书预览")
    assert "抄送：镇派出所" in preview.plain_text
    await tap(director, preview, "✅ 确认下达", "✅ 已下达督办通知书")
    await center.users[POLICE].wait_for_message(predicate=has("抄送", "综治〔2026〕1号"))
