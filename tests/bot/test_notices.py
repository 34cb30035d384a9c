"""A 督办通知书 in chat, used through the real bot as people would: the card, the unit's sign-for,
progress, result, overdue reason, answers and party notice; the director's 认可 / 不认可 and
re-issue, 调阅 / 汇报; a leader's 移送. Notices are issued through the service; the sweeps run as the
scheduler would; the application's own outbox sender delivers every notification."""

from datetime import date, timedelta

from sqlmodel import select

from bot import texts
from bot.services import supervision
from bot.services.supervision import EntryView, NoticeCard, NoticeView
from handlers.notices import render_card
from models import (
    Attachment,
    Case,
    CaseStatus,
    NoticeEntry,
    NoticeLevel,
    NoticeSource,
    NoticeStatus,
    SupervisionNotice,
)
from tests.bot.harness import buttons_gone
from tests.bot.steps import FIRST, SECOND, card_of, has, local, tap, toast, type_in

DIRECTOR, LEADER, GRID, UNIT, POLICE = 1, 3, 6, 7, 10


# --- 签收 ---------------------------------------------------------------------------------------


async def test_sign_for_once_a_second_press_and_other_people_answered_clearly(bot, office):
    unit, director = office.users[UNIT], office.users[DIRECTOR]
    n = office.issue()
    note = await unit.wait_for_message(predicate=has(f"督办通知书 {FIRST}", "请点「签收」"))
    assert note.buttons == ["✍️ 签收", "查看督办"]

    # Before the unit signs: a grid worker and another unit's contact forge the press.
    for tid in (GRID, POLICE):
        answer = await toast(office.users[tid], office.hello[tid], data=f"sv:sign:{n}")
        assert "只有承办单位的联络人" in answer
    assert "无权查看" in await toast(office.users[POLICE], office.hello[POLICE], data=f"sv:view:{n}")
    assert "没有找到" in await toast(unit, note, data="sv:view:999")
    assert await toast(unit, note, data="sv:sign:x") == texts.STALE_BUTTON
    assert office.notice(n).status == NoticeStatus.issued

    await unit.press(note, "✍️ 签收")
    card = await unit.wait_for_message(predicate=card_of(FIRST, "✍️ 已签收"))
    assert "签收：司法所老李，2026年11月30日 09:00" in card.plain_text
    assert "状态：已签收，办理中" in card.plain_text and "承办单位：镇司法所" in card.plain_text
    assert card.buttons == ["📝 报送进展", "🏁 报送办理结果", "🙋 请示中心领导", "查看事项", "📄 通知书", "🔄 刷新"]
    assert note.buttons == ["查看督办"]  # the spent 签收 left the notification
    await director.wait_for_message(predicate=has(f"司法所老李 已签收督办通知书 {FIRST}"))

    assert "无需重复签收" in await toast(unit, note, data=f"sv:sign:{n}")
    assert "已由 司法所老李" in await toast(unit, card, data=f"sv:sign:{n}")
    refreshed = await unit.wait_for_message(predicate=card_of(FIRST))  # pressed on the card: shown as it is now
    assert refreshed.message_id == card.message_id and "✍️ 已签收" not in refreshed.plain_text
    assert office.outbox_keys(DIRECTOR, f"sv{n}:signed") == [f"sv{n}:signed:p{office.w.director}"]
    assert await toast(unit, card, "🔄 刷新") == texts.UNCHANGED  # already as it is now

    # The director's card offers the director's buttons.
    await director.press(office.hello[DIRECTOR], data=f"sv:view:{n}")
    dcard = await director.wait_for_message(predicate=card_of(FIRST))
    assert dcard.buttons == ["📂 调阅材料", "🗣 要求汇报", "📁 结案", "➡️ 移送", "查看事项", "📄 通知书", "🔄 刷新"]


# --- progress, result, 不认可 and re-issue, 认可 --------------------------------------------------


async def test_progress_result_reject_reissue_at_yellow_then_accept(bot, office):
    unit, director = office.users[UNIT], office.users[DIRECTOR]
    n = office.issue()
    note = await unit.wait_for_message(predicate=has(f"督办通知书 {FIRST}", "请点「签收」"))
    card = await tap(unit, note, "✍️ 签收", "✍️ 已签收")

    # progress: text, a photo, a sticker (wrong type), then 完成
    ask = await tap(unit, card, "📝 报送进展", "请输入进展")
    assert ask.buttons == ["✅ 完成", "✖️ 取消"]
    await type_in(unit, "已约谈双方", "文字 1 段")
    await unit.send_photo(b"\x89PNG site photo", caption="现场照片")
    got = await unit.wait_for_message(predicate=has("文字 2 段", "附件 1 个"))
    await unit.send_sticker()
    await unit.wait_for_message(predicate=has("这一步请发送文字、语音、照片或文件"))
    await type_in(unit, "要" * 2001, "最多 2000 字")
    card = await tap(unit, got, "✅ 完成", "✅ 已报送进展")
    assert "进展：已约谈双方 现场照片" in card.plain_text and "办理记录（最近 1 条，共 1 条）" in card.plain_text
    told = await director.wait_for_message(predicate=has(f"报送督办通知书 {FIRST} 的进展"))
    assert "已约谈双方" in told.plain_text and "附件 1 个" in told.plain_text
    with office.db.session() as s:
        photo = s.exec(select(Attachment).where(Attachment.kind == "photo")).one()
        assert photo.note == "督办反馈" and photo.case_id == office.w.case_id

    # result, finished by typing 完成
    await tap(unit, card, "🏁 报送办理结果", "请输入办理结果")
    await type_in(unit, "双方口头和解", "文字 1 段")
    card = await type_in(unit, "完成", "✅ 已报送办理结果")
    assert "状态：已报结果，待审核" in card.plain_text and card.buttons[0] == "📝 报送进展"
    result = await director.wait_for_message(predicate=has(f"督办通知书 {FIRST} 的办理结果", "双方口头和解"))
    assert result.buttons == ["✅ 认可结果", "↩️ 不认可，重新督办", "查看督办"]

    # the unit may not decide on its own result
    assert "只有中心主任" in await toast(unit, card, data=f"sv:ok:{n}")
    assert "只有中心主任" in await toast(unit, card, data=f"sv:re:{n}")

    # 不认可: reason → a date button → the level (never lower) → preview → confirm
    await tap(director, result, "↩️ 不认可，重新督办", "请输入不认可的理由")
    await director.send_sticker()
    await director.wait_for_message(predicate=has("这一步需要输入文字"))
    dates = await type_in(director, "当事人不满意，协议未落实", "请选择新通知书的办理期限")
    assert dates.buttons == ["12月3日 周四（+3）", "12月7日 周一（+5）", "12月14日 周一（+10）", "✖️ 取消"]
    await type_in(director, "明天吧", "没看懂这个日期")
    await type_in(director, "2026-11-20", "办理期限应晚于现在")
    levels = await tap(director, dates, "12月7日 周一（+5）", "请选择督办级别")
    assert levels.buttons == ["📮 普通", "🟡 黄牌", "🔴 红牌", "✖️ 取消"]
    assert "新的办理期限：2026年12月7日 17:30" in levels.plain_text
    preview = await tap(director, levels, "🟡 黄牌", "重新督办预览")
    assert "督办级别：🟡 黄牌" in preview.plain_text and "理由：当事人不满意，协议未落实" in preview.plain_text
    done = await tap(director, preview, "📮 确认重新督办", "已重新督办")
    assert f"新督办通知书 {SECOND}（黄牌）已送达镇司法所" in done.plain_text and done.buttons == ["查看督办"]
    assert office.notice(n).status == NoticeStatus.reissued

    # the unit gets the new notice with its own number, and signs it
    new = await unit.wait_for_message(predicate=has("不认可，重新督办", f"督办通知书 {SECOND}（黄牌"))
    assert "当事人不满意" in new.plain_text
    card = await tap(unit, new, "✍️ 签收", "✍️ 已签收")
    assert f"重新督办：原通知书 {FIRST}" in card.plain_text and "🟡 督办通知书" in card.plain_text
    assert "办理期限：2026年12月7日 17:30" in card.plain_text
    await tap(unit, card, "🏁 报送办理结果", "请输入办理结果")
    await unit.send_document(b"%PDF agreement", filename="协议.pdf", caption="签订书面调解协议")
    got = await unit.wait_for_message(predicate=has("附件 1 个"))
    await tap(unit, got, "✅ 完成", "✅ 已报送办理结果")
    result2 = await director.wait_for_message(predicate=has(f"督办通知书 {SECOND} 的办理结果"))

    # 认可 with a note
    ask = await tap(director, result2, "✅ 认可结果", "可以直接认可")
    assert ask.buttons == ["✅ 直接认可", "📝 附意见", "✖️ 取消"]
    await tap(director, ask, "📝 附意见", "请输入认可意见")
    card = await type_in(director, "同意，注意回访", "✅ 已认可办理结果")
    assert "状态：结果认可，已办结" in card.plain_text and "认可结果：同意，注意回访" in card.plain_text
    await unit.wait_for_message(predicate=has(f"督办通知书 {SECOND} 的办理结果已获中心认可"))
    second = office.notice(n + 1)
    assert second.status == NoticeStatus.accepted and second.level == NoticeLevel.yellow

    # stale presses: the accepted notice, and the re-issued first one
    assert "现在不能认可结果" in await toast(director, result2, "✅ 认可结果")
    assert "现在不能不认可" in await toast(director, result, "↩️ 不认可，重新督办")


async def test_accept_directly_and_cancel_midway(bot, office):
    unit, director = office.users[UNIT], office.users[DIRECTOR]
    n = office.issue()
    office.call(supervision.sign, actor_id=office.w.unit_contact, notice_id=n)
    office.call(supervision.add_entry, actor_id=office.w.unit_contact, notice_id=n, kind="result", text="已调解")
    result = await director.wait_for_message(predicate=has(f"督办通知书 {FIRST} 的办理结果"))
    await tap(director, result, "↩️ 不认可，重新督办", "请输入不认可的理由")
    await type_in(director, "/cancel", texts.NT_CANCELLED)
    assert office.notice(n).status == NoticeStatus.reported
    ask = await tap(director, result, "✅ 认可结果", "可以直接认可")
    await director.send_text("好")
    await director.wait_for_message(predicate=has("这一步请点上面的按钮"))
    card = await tap(director, ask, "✅ 直接认可", "✅ 已认可办理结果")
    assert card.message_id == ask.message_id  # the question became the card
    assert office.notice(n).status == NoticeStatus.accepted
    assert "已获中心认可" in (await unit.wait_for_message(predicate=has("已获中心认可"))).plain_text


# --- 调阅 and 汇报 -------------------------------------------------------------------------------


async def test_materials_request_answered_with_a_document_and_a_briefing_request(bot, office):
    unit, director = office.users[UNIT], office.users[DIRECTOR]
    n = office.issue()
    office.call(supervision.sign, actor_id=office.w.unit_contact, notice_id=n)
    await office.delivered()
    await director.press(office.hello[DIRECTOR], data=f"sv:view:{n}")
    card = await director.wait_for_message(predicate=card_of(FIRST))

    ask = await tap(director, card, "📂 调阅材料", "请输入具体要求")
    assert ask.buttons == ["使用默认要求", "✖️ 取消"]
    card = await tap(director, ask, "使用默认要求", "已向承办单位（人员）发出「调阅有关调处材料」要求")
    asked = await unit.wait_for_message(predicate=has("中心要求调阅有关调处材料"))
    assert asked.buttons == ["📤 答复", "查看督办"]

    await tap(director, card, "🗣 要求汇报", "请输入具体要求")
    await director.send_voice(b"OggS")
    await director.wait_for_message(predicate=has("请输入具体要求，或点「使用默认要求」"))
    await type_in(director, "请所长周三上午来中心汇报", "已向承办单位（人员）发出「主管领导或经办人汇报办理情况」要求")
    briefing = await unit.wait_for_message(predicate=has("周三上午"))

    # the unit's card lists one 答复 button per open request
    await unit.press(asked, "查看督办")
    ucard = await unit.wait_for_message(predicate=card_of(FIRST))
    assert ucard.buttons[:5] == ["📝 报送进展", "🏁 报送办理结果", "🙋 请示中心领导", "📤 答复：调阅材料",
                                 "📤 答复：汇报办理情况"]
    assert ucard.plain_text.count("（待答复）") == 2

    # someone else may not answer
    with office.db.session() as s:
        materials = s.exec(select(NoticeEntry).where(NoticeEntry.kind == "materials")).one()
    assert "只有承办单位的联络人" in await toast(office.users[POLICE], office.hello[POLICE], data=f"sv:ans:{materials.id}")
    assert "只有承办单位的联络人" in await toast(director, card, data=f"sv:ans:{materials.id}")

    prompt = await tap(unit, asked, "📤 答复", "答复「调阅有关调处材料」")
    assert "请报送本事项的有关调处材料" in prompt.plain_text
    await unit.send_document(b"PK record", filename="调解记录.docx", caption="调解记录见附件")
    got = await unit.wait_for_message(predicate=has("文字 1 段", "附件 1 个"))
    card = await tap(unit, got, "✅ 完成", "✅ 已答复「调阅有关调处材料」")
    assert card.plain_text.count("（待答复）") == 1 and "📤 答复：调阅材料" not in card.buttons
    told = await director.wait_for_message(predicate=has("答复了督办通知书", "调阅有关调处材料", "附件 1 个"))
    assert "调解记录见附件" in told.plain_text
    with office.db.session() as s:
        doc = s.exec(select(Attachment).where(Attachment.kind == "document", Attachment.note == "督办反馈")).one()
        assert doc.file_name == "调解记录.docx"
    assert "已经答复过了" in await toast(unit, asked, "📤 答复")

    await tap(unit, briefing, "📤 答复", "答复「主管领导或经办人汇报办理情况」")
    await type_in(unit, "好", "文字 1 段")
    await type_in(unit, "完成", "请填写答复内容", "请重新输入")  # the service says why; the step stays open
    await type_in(unit, "所长将于周三上午到中心", "文字 2 段")
    await type_in(unit, "完成", "✅ 已答复")


# --- overdue: the sweep asks for the reason --------------------------------------------------


async def test_overdue_notice_asks_the_unit_for_the_reason_and_the_director_is_told(bot, office):
    unit, director = office.users[UNIT], office.users[DIRECTOR]
    n = office.issue(due=date(2026, 12, 2))
    office.call(supervision.sign, actor_id=office.w.unit_contact, notice_id=n)
    await office.delivered()
    await office.sweep(local(2026, 12, 3, 9, 0))
    asked = await unit.wait_for_message(predicate=has(f"督办通知书 {FIRST}", "到期仍未办结"))
    assert asked.buttons == ["📝 说明超期原因", "查看督办"]
    await director.wait_for_message(predicate=has(f"督办通知书 {FIRST} 已超期"))
    assert office.notice(n).level == NoticeLevel.red

    await unit.press(asked, "查看督办")
    card = await unit.wait_for_message(predicate=card_of(FIRST))
    assert "🔴 已超期" in card.plain_text and "📝 说明超期原因" in card.buttons

    await tap(unit, asked, "📝 说明超期原因", "请输入超期原因及进展")
    await unit.send_voice(b"OggS reason")
    got = await unit.wait_for_message(predicate=has("语音 1 段", "附件 0 个"))
    await unit.send_text("当事人外出务工，下周回村后调解")
    newest = await unit.wait_for_message(predicate=has("文字 1 段", "语音 1 段"))
    assert got.buttons == []  # only the newest 「已收到」 keeps 「完成」
    card = await tap(unit, newest, "✅ 完成", "✅ 已报送超期原因及进展")
    told = await director.wait_for_message(predicate=has(f"督办通知书 {FIRST} 的超期原因及进展"))
    assert "外出务工" in told.plain_text and "附件 1 个" in told.plain_text
    with office.db.session() as s:
        assert s.exec(select(Attachment).where(Attachment.kind == "voice")).one().note == "督办反馈"


async def test_a_voice_message_alone_is_enough(bot, office):
    unit, director = office.users[UNIT], office.users[DIRECTOR]
    n = office.issue()
    office.call(supervision.sign, actor_id=office.w.unit_contact, notice_id=n)
    await office.delivered()
    await unit.press(office.hello[UNIT], data=f"sv:view:{n}")
    card = await unit.wait_for_message(predicate=card_of(FIRST))
    ask = await tap(unit, card, "📝 报送进展", "请输入进展")
    await tap(unit, ask, "✅ 完成", "还没有收到文字或语音")
    await unit.send_voice(b"OggS progress")
    got = await unit.wait_for_message(predicate=has("语音 1 段"))
    await tap(unit, got, "✅ 完成", "✅ 已报送进展")
    told = await director.wait_for_message(predicate=has(f"督办通知书 {FIRST} 的进展"))
    assert texts.NT_VOICE_TEXT in told.plain_text


# --- 移送 by a leader and the 3-day party notice ---------------------------------------------------


async def test_transfer_by_a_leader_then_party_reminders_until_recorded(bot, office):
    unit, director, leader = office.users[UNIT], office.users[DIRECTOR], office.users[LEADER]
    n = office.issue()
    office.call(supervision.sign, actor_id=office.w.unit_contact, notice_id=n)
    await office.delivered()
    await leader.press(office.hello[LEADER], data=f"sv:view:{n}")
    card = await leader.wait_for_message(predicate=card_of(FIRST))
    assert card.buttons == ["📁 结案", "➡️ 移送", "查看事项", "📄 通知书", "🔄 刷新"]
    assert "只有中心主任" in await toast(leader, card, data=f"nt:m:{n}")
    assert "中心领导批准" in await toast(unit, office.hello[UNIT], data=f"nt:tf:{n}")
    assert "登记告知当事人" in await toast(unit, office.hello[UNIT], data=f"sv:party:{n}")

    await tap(leader, card, "➡️ 移送", "请输入接收部门的名称")
    await type_in(leader, "所" * 101, "最多 100 字")
    await type_in(leader, "镇劳动保障所", "移送镇劳动保障所办理", "请输入说明")
    await leader.send_photo(b"\x89PNG")
    await leader.wait_for_message(predicate=has("这一步需要输入文字"))
    preview = await type_in(leader, "属劳动争议，由劳动保障所处理", "请确认")
    done = await tap(leader, preview, "✅ 确认", "已经批准移送镇劳动保障所办理")
    assert "状态：经批准移送" in done.plain_text and done.buttons == ["查看事项", "📄 通知书", "🔄 刷新"]
    told = await unit.wait_for_message(predicate=has(f"经 刘领导 批准，督办通知书 {FIRST}经批准移送镇劳动保障所办理"))
    assert told.buttons == ["📣 已告知当事人", "查看督办"]

    # the same day: no reminder; each following working day one, at most
    await office.sweep(local(2026, 11, 30, 16))
    await office.sweep(local(2026, 12, 1, 8, 30))
    await office.sweep(local(2026, 12, 1, 15, 0))
    reminder = await unit.wait_for_message(predicate=has("📣 提醒：督办通知书", FIRST))
    await office.sweep(local(2026, 12, 2, 9, 0))
    assert len(office.outbox_keys(UNIT, f"sv{n}:party:")) == 2

    ask = await tap(unit, reminder, "📣 已告知当事人", "请输入何时、以何种方式告知了当事人")
    await type_in(unit, "/cancel", texts.NT_CANCELLED)
    assert await buttons_gone(bot, ask)  # the old prompt's cancel is spent, and taken away
    await tap(unit, reminder, "📣 已告知当事人", "请输入何时、以何种方式告知了当事人")
    card = await type_in(unit, "12月2日电话告知赵大", "✅ 已登记告知当事人")
    assert "告知当事人：已于 2026年12月2日 09:00 登记" in card.plain_text
    await director.wait_for_message(predicate=has(f"已告知当事人：督办通知书 {FIRST}", "电话告知赵大"))
    assert "已登记告知当事人，无需重复登记" in await toast(unit, told, "📣 已告知当事人")

    await office.sweep(local(2026, 12, 3, 10, 0))  # no more reminders, and the director is not told it is late
    assert len(office.outbox_keys(UNIT, f"sv{n}:party:")) == 2
    assert office.outbox_keys(DIRECTOR, "partylate") == []


async def test_close_by_the_director_survives_a_restart(bot, office):
    director = office.users[DIRECTOR]
    n = office.issue()
    await director.press(office.hello[DIRECTOR], data=f"sv:view:{n}")
    card = await director.wait_for_message(predicate=card_of(FIRST))
    await tap(director, card, "📁 结案", "请输入说明")
    await type_in(director, "x", "内容太短")
    await bot.restart()  # the draft is in the persisted conversation
    preview = await type_in(director, "当事人撤回申请", "请确认", "经批准结案")
    done = await tap(director, preview, "✅ 确认", "已经批准结案")
    assert "说明：当事人撤回申请" in done.plain_text and "📣 已告知当事人" in done.buttons
    assert office.notice(n).status == NoticeStatus.closed
    assert "现在不能结案" in await toast(director, card, "📁 结案")


# --- the card itself ----------------------------------------------------------------------------


def test_a_long_history_is_trimmed_oldest_first_to_fit_one_message():
    entries = tuple(EntryView(id=i, kind="progress", label="进展", text=f"第{i}次 <进展> " + "很长" * 60,
                              actor="司法所老李", at="2026年11月30日 09:00") for i in range(40))
    view = NoticeView(
        id=1, number=FIRST, level=NoticeLevel.red, source=NoticeSource.local, status=NoticeStatus.signed, case_id=1,
        case_number="2026-0001", case_summary="两户&邻居", unit_id=1, unit_name="镇司法所", contacts="司法所老李",
        original_due="", days_overdue=0, requirements="要" * 2000, due="2026年12月10日 17:30", feedback="按时",
        cc="", issuer="王主任", issued_on="2026年11月30日", overdue=True, entries=entries)
    text = render_card(NoticeCard(view=view, actions=("progress",)), notice="✅ 已报送进展")
    assert len(text.encode("utf-16-le")) // 2 <= 4096
    assert "办理记录（最近 15 条，共 40 条）" in text and "第39次 &lt;进展&gt;" in text and "第0次" not in text and "两户&amp;邻居" in text
    assert text.startswith("✅ 已报送进展\n<b>🔴 督办通知书 综治〔2026〕1号</b>") and "🔴 已超期" in text


# --- the document -------------------------------------------------------------------------------


async def test_the_notice_button_sends_the_docx(bot, office):
    unit = office.users[UNIT]
    n = office.issue()
    await office.delivered()
    await unit.press(office.hello[UNIT], data=f"sv:view:{n}")
    card = await unit.wait_for_message(predicate=card_of(FIRST))
    before = len([m for m in unit.messages() if m.kind == "document"])
    office.clock.advance(timedelta(minutes=1))
    assert await toast(unit, card, "📄 通知书") == texts.NT_DOC_SENDING
    doc = await unit.wait_for_message(timeout=10, predicate=lambda m: m.kind == "document" and FIRST in m.plain_text)
    assert len([m for m in unit.messages() if m.kind == "document"]) == before + 1
    assert doc.buttons == ["查看督办"]
    assert "无权查看" in await toast(office.users[GRID], office.hello[GRID], data=f"sv:doc:{n}")


# --- issued in chat ------------------------------------------------------------------------------


async def test_issued_with_the_one_line_command_then_signed_on_the_card(bot, office):
    director, unit = office.users[DIRECTOR], office.users[UNIT]
    preview = await type_in(director, "/supervise 2026-0001 镇司法所 2026-12-10 请于期限前调解到位", "督办通知书预览")
    issued = await tap(director, preview, "✅ 确认下达", f"已下达督办通知书 {FIRST}")
    await director.press(issued, "查看督办")
    dcard = await director.wait_for_message(predicate=card_of(FIRST))
    assert "签收：尚未签收" in dcard.plain_text and "督办要求：请于期限前调解到位" in dcard.plain_text

    note = await unit.wait_for_message(predicate=has(f"督办通知书 {FIRST}", "请点「签收」"))
    await unit.press(note, "查看督办")
    card = await unit.wait_for_message(predicate=card_of(FIRST))
    assert card.buttons == ["✍️ 签收", "查看事项", "📄 通知书", "🔄 刷新"]
    signed = await tap(unit, card, "✍️ 签收", "✍️ 已签收")
    assert signed.message_id == card.message_id  # signed on the card: the card itself changes
    assert note.buttons == ["✍️ 签收", "查看督办"]  # the notification is left as it was
    await director.wait_for_message(predicate=has(f"已签收督办通知书 {FIRST}"))


# --- the notice moves its case (issue 10 item 5) ------------------------------------------------


async def test_a_notice_on_a_registered_case_accepts_assigns_and_its_accepted_result_resolves_the_case(
        bot, office):
    director, grid = office.users[DIRECTOR], office.users[GRID]
    ref = office.w.submit()  # 2026-0002, still 已登记: no handler, no deadline
    await office.delivered()
    preview = await type_in(director, f"/supervise {ref.number} 镇司法所 2026-12-10 请调解到位", "督办通知书预览")
    await tap(director, preview, "✅ 确认下达", "✅ 已下达督办通知书")
    with office.db.session() as s:
        case = s.get(Case, ref.id)
        notice = s.exec(select(SupervisionNotice).where(SupervisionNotice.case_id == ref.id)).one()
    # The normal 受理 and 分派: the unit is the case's handler, the reporter is told both.
    assert case.status == CaseStatus.assigned and case.unit_id == office.w.unit.id
    assert case.accepted_at is not None
    # It had no deadline before the notice: the case's deadline follows the notice's.
    assert case.due_at == notice.due_at == local(2026, 12, 10, 17, 30)
    await grid.wait_for_message(predicate=has(f"事项 {ref.number} 状态更新：已受理"))
    await grid.wait_for_message(predicate=has(f"事项 {ref.number} 状态更新：已分派", "镇司法所"))

    # The case card shows the open notice, with a button that opens it.
    card = await type_in(director, f"/case {ref.number}", f"事项 {ref.number}")
    assert f"督办：{notice.number}｜镇司法所｜期限 2026年12月10日 17:30｜普通" in card.plain_text
    label = f"📮 督办通知书 {notice.number}"
    assert label in card.buttons
    await tap(director, card, label, f"督办通知书 {notice.number}", "状态：待签收")

    office.call(supervision.sign, actor_id=office.w.unit_contact, notice_id=notice.id)
    office.call(supervision.add_entry, actor_id=office.w.unit_contact, notice_id=notice.id, kind="result",
                text="双方已签调解协议")
    result = await director.wait_for_message(predicate=has(f"督办通知书 {notice.number} 的办理结果"))
    ask = await tap(director, result, "✅ 认可结果", "可以直接认可")
    await tap(director, ask, "✅ 直接认可", "✅ 已认可办理结果")
    # 认可 is the case's 办结: the reporter is told, the reply to the party comes next as for any case.
    with office.db.session() as s:
        case = s.get(Case, ref.id)
    assert case.status == CaseStatus.resolved and "双方已签调解协议" in case.result
    await grid.wait_for_message(predicate=has(f"事项 {ref.number} 状态更新：已办结"))
    card = await type_in(director, f"/case {ref.number}", f"事项 {ref.number}", "已办结")
    assert "答复" in card.buttons and f"督办：{notice.number}｜" not in card.plain_text  # no longer open


async def test_a_confidential_case_s_notice_document_follows_the_card_s_rules(bot, office):
    """A leader refused the case card is refused its notice's .docx too (button and /notice); those
    entitled get it protected. The case history keeps a notice's requirements from people refused
    the notice."""
    from bot.services import cases

    leader, unit, staff = office.users[LEADER], office.users[UNIT], office.users[4]
    n = office.issue(requirements="请于期限前调解到位并书面反馈")
    office.call(cases.set_confidential, actor_id=office.w.director, case_id=office.w.case_id, confidential=True)
    await office.delivered()
    office.clock.advance(timedelta(minutes=1))
    answer = await toast(leader, office.hello[LEADER], data=f"sv:doc:{n}")
    assert "无权" in answer and "保密" in answer
    refused = await type_in(leader, f"/notice {FIRST}", "保密")
    assert "无权" in refused.plain_text
    assert office.outbox_keys(LEADER, ":docx") == []
    assert await toast(unit, office.hello[UNIT], data=f"sv:doc:{n}") == texts.NT_DOC_SENDING
    doc = await unit.wait_for_message(timeout=10, predicate=lambda m: m.kind == "document" and FIRST in m.plain_text)
    assert doc.protected

    # the case history: the staff member (assigned nothing, refused the notice) sees a 督办 happened, not what it asks
    office.call(cases.set_confidential, actor_id=office.w.director, case_id=office.w.case_id, confidential=False)
    await staff.send_text("/case 2026-0001")
    card = await staff.wait_for_message(predicate=has("📋 事项 2026-0001"))
    assert FIRST in card.plain_text and "请于期限前调解到位" not in card.plain_text
    await office.users[DIRECTOR].send_text("/case 2026-0001")
    card = await office.users[DIRECTOR].wait_for_message(predicate=has("📋 事项 2026-0001"))
    assert "请于期限前调解到位" in card.plain_text
