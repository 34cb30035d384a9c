"""The case card, its actions, /mycases and /search, used through the real bot as people would.

People and cases are set up through the services; every step after that is a message or a button
press in the emulator. Notifications are only queued in the outbox here (a sender job delivers
them), so the tests assert on Outbox rows and ignore delivered notifications in the chats.
"""

import asyncio
import json
import re

import pytest
from sqlmodel import select

from bot import texts
from bot.services import cases
from bot.services.cases import FileInput, PartyInput
from models import Attachment, AuditEvent, CaseStatus, CaseType, Outbox, Severity
from tests.bot.steps import CARD_NOTICE_STARTS as NOTICE_STARTS
from tests.bot.steps import alert, ask, toast

VALID_ID = "11010519491231002X"


def ours(message) -> bool:
    """Not a notification delivered from the outbox, nor an admin alert."""
    text = message.plain_text or ""
    return not text.startswith(NOTICE_STARTS)


def has(text: str):
    return lambda m: ours(m) and text in (m.plain_text or "")


async def open_card(user, number: str):
    await user.send_text(f"/case {number}")
    return await user.wait_for_message(predicate=has(f"📋 事项 {number}"))


async def tap(user, message, label: str, expect: str):
    await user.press(message, label)
    return await user.wait_for_message(predicate=has(expect))


async def test_full_loop_accept_assign_progress_resolve_reply_satisfied(bot, town):
    staff, unit = town.user(4), town.user(7)
    await town.greet(4, 7, 6)
    ref = town.submit()
    card = await open_card(staff, ref.number)
    text = card.plain_text
    assert "状态：已登记" in text and "矛盾纠纷" in text and "一般" in text and "网格员上报" in text
    assert "东山村 第一网格" in text and "涉及人数：2 人" in text and "上报/登记：张网格" in text
    # the staff member is neither the reporter nor assigned: the party's phone and ID are masked
    assert "138****8000" in text and "1101**********002X" in text and "13800138000" not in text
    assert "11-30 09:00 张网格 登记" in text  # history in Shanghai time
    assert {"受理", "不予受理", "转办", "🔄 刷新"} <= set(card.buttons) and "办结" not in card.buttons

    card = await tap(staff, card, "受理", "✅ 已受理")
    assert "状态：已受理" in card.plain_text and "受理" not in card.buttons and "分派" in card.buttons
    assert any("已受理" in t for t in town.outbox_to(6))  # the reporter is told

    menu = await tap(staff, card, "分派", "交给中心工作人员，还是承办单位")
    units = await tap(staff, menu, "🏢 承办单位", "请选择承办单位")
    ask_note = await tap(staff, units, "镇司法所", "分派要求")
    assert ask_note.buttons == ["跳过", "✖️ 取消"]
    await staff.send_sticker()
    assert "分派要求" in (await staff.wait_for_message(predicate=ours)).plain_text
    await staff.send_text("请周三前约双方到村委会调解")
    card = await staff.wait_for_message(predicate=has("✅ 已分派给 镇司法所"))
    assert "状态：已分派" in card.plain_text and "承办：镇司法所" in card.plain_text
    [told] = [t for t in town.outbox_to(7) if "已分派给您" in t and ref.number in t]
    assert "分派要求：请周三前约双方到村委会调解" in told and "期限：12月03日 17:30（" in told

    # The unit contact finds it under 分派给我的 and reports progress with a photo.
    await unit.send_text("/mycases")
    listing = await unit.wait_for_message(predicate=has("我的事项"))
    assert "分派给我的 · 未办结：共 1 件" in listing.plain_text
    assert "我上报的" not in " ".join(listing.buttons)  # a unit contact does not report
    await unit.press(listing, next(b for b in listing.buttons if b.startswith(ref.number)))
    card = await unit.wait_for_message(predicate=has("📋 事项"))
    assert "13800138000" in card.plain_text and VALID_ID in card.plain_text  # assigned: unmasked
    assert {"进展", "转办", "办结"} <= set(card.buttons) and "分派" not in card.buttons
    prompt = await tap(unit, card, "进展", "报进展")
    await unit.send_sticker()
    assert "请发送文字、照片、语音" in (await unit.wait_for_message(predicate=ours)).plain_text
    await unit.send_text("已约双方周三到村委会调解")
    assert "文字 1 段，附件 0 个" in (await unit.wait_for_message(predicate=ours)).plain_text
    photo = b"\x89PNG fake photo of the ditch"
    await unit.send_photo(photo, caption="现场照片")
    ack = await unit.wait_for_message(predicate=has("已收到"))
    assert "文字 2 段，附件 1 个" in ack.plain_text
    assert prompt.buttons == []  # each 「已收到」 brings the 「完成」 row down; only the newest keeps it
    card = await tap(unit, ack, "✅ 完成", "✅ 进展已记录")
    assert "状态：调处中" in card.plain_text and "附件：1 个" in card.plain_text
    assert "司法所老李 进展：已约双方周三到村委会调解 现场照片" in card.plain_text
    with town.db.session() as s:
        att = s.exec(select(Attachment)).one()
        assert att.kind == "photo" and att.case_id == ref.id and att.note == "进展"

    outcome = await tap(unit, card, "办结", "请选择办理结果")
    agreement = await tap(unit, outcome, "调解成功", "请选择协议类型")
    await tap(unit, agreement, "书面协议", "请输入办理结果")
    await unit.send_photo(b"not text")
    assert "需要输入文字" in (await unit.wait_for_message(predicate=ours)).plain_text
    await unit.send_text("双方签订调解协议，疏通排水沟，费用各半")
    card = await unit.wait_for_message(predicate=has("✅ 已办结"))
    assert "状态：已办结" in card.plain_text and "办结：调解成功｜书面协议" in card.plain_text
    assert "办理结果：双方签订调解协议" in card.plain_text

    methods = await tap(unit, card, "答复", "请选择答复当事人的方式")
    when = await tap(unit, methods, "电话", "什么时候答复的")
    card = await tap(unit, when, "刚刚", "✅ 已记录答复")
    assert "状态：已答复" in card.plain_text and "答复当事人：电话（2026-11-30 09:00）" in card.plain_text

    levels = await tap(unit, card, "满意度", "满意吗")
    card = await tap(unit, levels, "满意", "已记录满意度：满意")
    assert "满意度：满意" in card.plain_text and "状态：已答复" in card.plain_text

    card = await open_card(staff, ref.number)
    confirm = await tap(staff, card, "归档", "确认归档")
    card = await tap(staff, confirm, "✅ 确认归档", "✅ 已归档")
    assert "状态：已归档" in card.plain_text and card.buttons == ["📎 附件（1）", "🗂 一案一档", "🔄 刷新"]
    steps = ["case.create", "case.accept", "case.assign", "case.progress", "case.resolve", "case.reply",
             "case.satisfaction", "case.archive"]
    assert [e for e in town.events(ref.id) if e in steps] == steps  # each once, in order
    reporter_news = town.outbox_to(6)
    for status in ("已受理", "已分派", "调处中", "已办结", "已答复", "已归档"):
        assert any(status in t for t in reporter_news), status
    assert all(f"case:v:{ref.id}" in str(b) for b in _outbox_buttons(town, 6))


def _outbox_buttons(town, chat_id):
    with town.db.session() as s:
        return [o.buttons for o in s.exec(select(Outbox).where(Outbox.chat_id == chat_id))]


async def test_not_satisfied_reopens_and_reply_time_can_be_picked_or_typed(bot, town):
    staff = town.user(4)
    await town.greet(4)
    ref = town.submit()
    town.do(cases.accept, town.staff, ref.id)
    card = await open_card(staff, ref.number)
    menu = await tap(staff, card, "分派", "交给中心工作人员")
    people_menu = await tap(staff, menu, "👤 工作人员", "请选择承办人")
    assert "刘领导（领导）" in people_menu.buttons and "王主任（主任）" in people_menu.buttons
    assert "书记" not in people_menu.buttons and "张网格" not in people_menu.buttons
    ask_note = await tap(staff, people_menu, "周明", "分派要求")
    card = await tap(staff, ask_note, "跳过", "✅ 已分派给 周明")
    [told] = [t for t in town.outbox_to(5) if "已分派给您" in t]
    assert "分派要求" not in told and "期限：12月03日 17:30" in told
    town.do(cases.resolve, town.staff2, ref.id, outcome="调解成功", agreement="口头协议", summary="已和解")

    card = await open_card(staff, ref.number)
    methods = await tap(staff, card, "答复", "答复当事人的方式")
    when = await tap(staff, methods, "短信/微信", "什么时候答复的")
    await staff.send_text("昨天下午")
    assert "没看懂这个时间" in (await staff.wait_for_message(predicate=ours)).plain_text
    await staff.send_text("2026-12-01 10:00")  # tomorrow: the service refuses, the step stays
    assert "不能晚于现在" in (await staff.wait_for_message(predicate=ours)).plain_text
    hours = await tap(staff, when, "今天早些时候", "今天大约几点")
    assert hours.buttons[:2] == ["08:00", "09:00"]
    await staff.send_text("2026-11-30 08:15")
    card = await staff.wait_for_message(predicate=has("✅ 已记录答复"))
    assert "答复当事人：短信/微信（2026-11-30 08:15）" in card.plain_text

    levels = await tap(staff, card, "满意度", "不满意」会把事项退回")
    card = await tap(staff, levels, "不满意", "事项已退回重新办理")
    assert "状态：调处中" in card.plain_text and "满意度：不满意" in card.plain_text
    assert "重新办理" in card.plain_text  # the history line
    assert town.status(ref.id) == CaseStatus.in_progress
    assert any("不满意" in t and "重新办理" in t for t in town.outbox_to(5))  # the handler is told


async def test_two_staff_pressing_accept_at_once(bot, town):
    a, b = town.user(4), town.user(5)
    await town.greet(4, 5)
    ref = town.submit()
    card_a = await open_card(a, ref.number)
    card_b = await open_card(b, ref.number)
    cq_a = await a.press(card_a, "受理")
    cq_b = await b.press(card_b, "受理")
    answers = await asyncio.gather(a.wait_for_callback_answer(cq_a), b.wait_for_callback_answer(cq_b))
    texts_ = sorted((x.text or "" for x in answers), key=len)
    assert texts_[0] == "" and "不能受理" in texts_[1] and "刷新" in texts_[1]
    assert town.events(ref.id).count("case.accept") == 1
    await bot.settle(0.3)
    # both cards now show the accepted case; neither offers 受理 any more
    for card in (card_a, card_b):
        assert "状态：已受理" in card.plain_text and "受理" not in card.buttons


async def test_forged_and_stale_buttons_get_clear_answers(bot, town):
    staff, reporter, stranger_grid = town.user(4), town.user(6), town.user(8)
    await town.greet(4, 6, 8)
    ref = town.submit()
    own = await ask(stranger_grid, "/help")
    # someone else's case: a grid worker of another village may not even look
    assert await alert(stranger_grid, own, data=f"case:v:{ref.id}") == texts.NO_ACCESS
    assert await alert(stranger_grid, own, data=f"case:acc:{ref.id}") == texts.NO_ACCESS
    assert await alert(stranger_grid, own, data=f"case:pg:{ref.id}") == texts.NO_ACCESS
    # the reporter may look but not accept, and may not start a typed action
    mine = await ask(reporter, "/help")
    assert "没有权限" in await alert(reporter, mine, data=f"case:acc:{ref.id}")
    assert "不能「办结」" in await alert(reporter, mine, data=f"case:rs:{ref.id}")
    # garbage and unknown ids
    helped = await ask(staff, "/help")
    for data in ("case:v:abc", "case:zzz:1", f"case:v:{ref.id + 99}", "ca:tc:1", "my:x:o:0", "sr:9:a:0"):
        answer = await alert(staff, helped, data=data)
        assert "失效" in answer or "没有找到" in answer, (data, answer)
    # stale: the card is older than the case
    card = await open_card(staff, ref.number)
    town.do(cases.accept, town.staff2, ref.id)
    answer = await alert(staff, card, label="受理")
    assert "当前状态为「已受理」" in answer and "不能受理" in answer
    await bot.settle(0.2)
    assert "状态：已受理" in card.plain_text and "受理" not in card.buttons  # refreshed in place
    town.do(cases.assign, town.staff2, ref.id, unit_id=town.unit.id)
    town.do(cases.resolve, town.unit_contact, ref.id, outcome="调解成功", agreement="无协议", summary="好了")
    answer = await alert(staff, card, label="分派")
    assert "不能「分派」" in answer and "已办结" in answer
    assert town.status(ref.id) == CaseStatus.resolved


async def test_the_case_desk_accepts_from_the_new_case_message(bot, town):
    staff, staff2, grid = town.user(4), town.user(5), town.user(6)
    await town.greet(4, 5, 6)
    ref = town.submit()
    with town.db.session() as s:
        buttons = [json.loads(o.buttons) for o in s.exec(select(Outbox).where(Outbox.chat_id == 4))]
    assert [[["查看事项", f"case:v:{ref.id}"], ["受理", f"case:acc:{ref.id}"]]] in buttons
    # (notifications are only queued here: a message of the chat carries the same button data)
    # a grid worker may not accept: the same server-side check as the card's 受理
    assert "没有权限" in await alert(grid, await ask(grid, "/help"), data=f"case:acc:{ref.id}")
    assert town.status(ref.id) == CaseStatus.registered
    message = await ask(staff, "/help")
    await staff.press(message, data=f"case:acc:{ref.id}")
    card = await staff.wait_for_message(predicate=has("✅ 已受理"))
    assert "状态：已受理" in card.plain_text and town.status(ref.id) == CaseStatus.accepted
    # the other desk member's copy is stale now
    answer = await alert(staff2, await ask(staff2, "/help"), data=f"case:acc:{ref.id}")
    assert "当前状态为「已受理」" in answer


async def test_confidential_case_is_hidden_everywhere(bot, town):
    director, staff, reporter, leader = town.user(1), town.user(4), town.user(6), town.user(3)
    await town.greet(1, 4, 6, 3)
    ref = town.submit()
    card = await open_card(director, ref.number)
    assert "13800138000" in card.plain_text  # the director sees personal data
    card = await tap(director, card, "设为保密", "🔒 已设为保密")
    assert "🔒保密" in card.plain_text and "取消保密" in card.buttons

    assert texts.NO_ACCESS in (await ask(staff, f"/case {ref.number}")).plain_text
    assert await alert(staff, await ask(staff, "/help"), data=f"case:v:{ref.id}") == texts.NO_ACCESS
    found = await ask(staff, "/search 排水沟")
    assert "没有找到" in found.plain_text and not any(b.startswith(ref.number) for b in found.buttons)
    listing = await ask(reporter, "/mycases")  # the reporter still finds it: their own report (reporter view)
    assert "我上报的 · 未办结：共 1 件" in listing.plain_text
    assert texts.CARD_REPORTER_VIEW in (await open_card(reporter, ref.number)).plain_text
    listing = await ask(leader, "/mycases")
    assert "我联系的村" in " ".join(listing.buttons)
    listing = await tap(leader, listing, "我联系的村", "我联系的村 · 未办结")
    assert "暂无" in listing.plain_text

    found = await ask(director, "/search 排水沟")
    assert "共 1 件" in found.plain_text
    card = await tap(director, card, "取消保密", "🔓 已取消保密")
    assert "🔒" not in card.plain_text.splitlines()[1]
    assert ref.number in (await open_card(staff, ref.number)).plain_text


async def test_attachments_are_resent_by_file_id(bot, town):
    staff, leader, stranger = town.user(4), town.user(3), town.user(8)
    await town.greet(4, 3, 8)
    ref = town.submit()
    town.do(cases.accept, town.staff, ref.id)
    town.do(cases.assign, town.staff, ref.id, handler_id=town.staff)
    card = await open_card(staff, ref.number)
    await tap(staff, card, "进展", "报进展")
    photo, voice, video = b"PHOTO-BYTES", b"OGG-VOICE", b"MP4-VIDEO"
    for send, data in ((staff.send_photo, photo), (staff.send_voice, voice), (staff.send_video, video)):
        await send(data)
        await staff.wait_for_message(predicate=has("已收到"))
    await staff.send_text("完成")
    await staff.wait_for_message(predicate=has("✅ 进展已记录"))

    card = await open_card(leader, ref.number)
    files = await tap(leader, card, "📎 附件（3）", "的附件（共 3 个）")
    assert files.buttons == ["🖼 照片 1", "🎤 语音 1", "🎬 视频 1", "« 返回事项"]
    for label, kind, data in (("🖼 照片 1", "photo", photo), ("🎤 语音 1", "voice", voice),
                              ("🎬 视频 1", "video", video)):
        await leader.press(files, label)
        sent = await leader.wait_for_message(predicate=lambda m, k=kind: m.kind == k)
        assert sent.file_bytes() == data and "事项附件" in sent.caption
    with town.db.session() as s:
        att_id = s.exec(select(Attachment.id)).first()
    # someone who may not see the case cannot fetch its files either
    assert await alert(stranger, await ask(stranger, "/help"), data=f"case:f:{att_id}") == texts.NO_ACCESS
    back = await tap(leader, files, "« 返回事项", "📋 事项")
    assert "附件：3 个" in back.plain_text


async def test_progress_accepts_a_document_and_resends_it(bot, town):
    staff, director = town.user(4), town.user(1)
    await town.greet(4, 1)
    ref = town.submit()
    town.do(cases.accept, town.staff, ref.id)
    card = await open_card(staff, ref.number)
    await tap(staff, card, "进展", "报进展")
    pdf = b"%PDF-1.4 mediation agreement"
    await staff.send_document(pdf, filename="调解协议.pdf", mime_type="application/pdf")
    ack = await staff.wait_for_message(predicate=has("已收到"))
    assert "附件 1 个" in ack.plain_text  # an attachment, not a bulk import
    await tap(staff, ack, "✅ 完成", "✅ 进展已记录")
    with town.db.session() as s:
        att = s.exec(select(Attachment)).one()
        assert (att.kind, att.file_name, att.mime_type) == ("document", "调解协议.pdf", "application/pdf")
    card = await open_card(director, ref.number)
    files = await tap(director, card, "📎 附件（1）", "的附件（共 1 个）")
    assert files.buttons == ["📄 文件 调解协议.pdf", "« 返回事项"]
    await director.press(files, "📄 文件 调解协议.pdf")
    sent = await director.wait_for_message(predicate=lambda m: m.kind == "document")
    assert sent.file_bytes() == pdf and "调解协议.pdf" in sent.caption


async def test_case_command_with_bad_or_unknown_numbers(bot, town):
    staff = town.user(4)
    await town.greet(4)
    ref = town.submit()
    for text in ("/case", "/case abc", "/case 42", "/case 2026-"):
        assert "例如：/case 2026-0042" in (await ask(staff, text)).plain_text, text
    assert "没有找到这个事项" in (await ask(staff, "/case 2026-0999")).plain_text
    assert f"📋 事项 {ref.number}" in (await ask(staff, "/case 2026-1")).plain_text  # padded to 2026-0001


async def test_location_button_sends_the_place(bot, town):
    staff = town.user(4)
    await town.greet(4)
    ref = town.submit(latitude=30.27, longitude=120.15, address="村口桥边")
    card = await open_card(staff, ref.number)
    assert "东山村 第一网格 · 村口桥边（有定位" in card.plain_text
    await staff.press(card, "📍 位置")
    sent = await staff.wait_for_message(predicate=lambda m: m.kind == "location")
    assert sent.payload["latitude"] == pytest.approx(30.27)


async def test_paging_my_cases_and_search(bot, town):
    reporter, staff = town.user(6), town.user(4)
    await town.greet(6, 4)
    refs = [town.submit(description=f"排水沟纠纷第{i}起") for i in range(1, 11)]
    town.do(cases.accept, town.staff, refs[0].id)
    listing = await ask(reporter, "/mycases")
    assert "我上报的 · 未办结：共 10 件（第 1/2 页）" in listing.plain_text
    rows = [b for b in listing.buttons if b.startswith("2026-")]
    assert len(rows) == 8 and rows[0].startswith("2026-0010 已登记 排水沟纠纷第10起")
    assert "我上报的" not in " ".join(listing.buttons)  # only one tab: no tab row for a grid worker
    page2 = await tap(reporter, listing, "下一页 »", "第 2/2 页")
    assert [b[:9] for b in page2.buttons if b.startswith("2026-")] == ["2026-0002", "2026-0001"]
    assert "« 上一页" in page2.buttons and "下一页 »" not in page2.buttons
    page1 = await tap(reporter, page2, "« 上一页", "第 1/2 页")
    closed = await tap(reporter, page1, "已办结", "已办结：暂无")
    assert "点「全部」" in closed.plain_text
    everything = await tap(reporter, closed, "全部", "全部：共 10 件")
    assert "• 全部" in everything.buttons

    listing = await ask(staff, "/mycases")
    assert "分派给我的 · 未办结：暂无" in listing.plain_text and "分派给您时" in listing.plain_text
    assert {"我上报的", "• 分派给我的"} <= set(listing.buttons) and "我联系的村" not in listing.buttons

    found = await ask(staff, "/search 排水沟")
    assert "共 10 件（第 1/2 页）" in found.plain_text
    page2 = await tap(staff, found, "下一页 »", "第 2/2 页")
    card = await tap(staff, page2, next(b for b in page2.buttons if b.startswith("2026-0001")), "📋 事项 2026-0001")
    assert "状态：已受理" in card.plain_text
    # an old search's pager buttons are stale after a new search
    await ask(staff, "/search 第3起")
    assert "失效" in await alert(staff, found, label="« 上一页")


async def test_search_typed_after_the_command_and_who_may_search(bot, town):
    staff, grid_worker, secretary = town.user(4), town.user(6), town.user(2)
    await town.greet(4, 6, 2)
    ref = town.submit()
    assert "没有权限" in (await ask(grid_worker, "/search 排水沟")).plain_text
    assert "没有权限" in (await ask(grid_worker, "/search")).plain_text
    assert "请输入要查找的内容" in (await ask(staff, "/search")).plain_text
    await staff.send_sticker()
    assert "需要输入文字" in (await staff.wait_for_message(predicate=ours)).plain_text
    assert "1–50 个字" in (await ask(staff, "字" * 51)).plain_text
    found = await ask(staff, "赵大")
    assert "查找「赵大」· 全部：共 1 件" in found.plain_text
    assert any(b.startswith(f"{ref.number} 已登记") for b in found.buttons)
    listing = await ask(secretary, "/mycases")
    assert "/search" in listing.plain_text  # a secretary has no lists of their own


async def test_transfer_survives_a_restart_and_cancel_changes_nothing(bot, town):
    staff = town.user(4)
    await town.greet(4)
    ref = town.submit()
    card = await open_card(staff, ref.number)
    await tap(staff, card, "不予受理", "告知当事人的办理途径")
    assert "已取消" in (await ask(staff, "/cancel")).plain_text
    assert town.status(ref.id) == CaseStatus.registered

    card = await open_card(staff, ref.number)
    await tap(staff, card, "转办", "请输入接收单位")
    await staff.send_location(30.0, 120.0)
    assert "需要输入文字" in (await staff.wait_for_message(predicate=ours)).plain_text
    assert "最多 100 字" in (await ask(staff, "县" * 101)).plain_text
    assert "请输入转办理由" in (await ask(staff, "县信访局")).plain_text
    await bot.restart()
    confirm = await ask(staff, "涉及多个乡镇，需县级协调")
    assert "确认把事项" in confirm.plain_text and "县信访局" in confirm.plain_text
    card = await tap(staff, confirm, "✅ 确认转办", "✅ 已转办至 县信访局")
    assert "状态：已转办" in card.plain_text and "转办至：县信访局" in card.plain_text
    assert "转至 县信访局：涉及多个乡镇" in card.plain_text

    other = town.submit()
    card = await open_card(staff, other.number)
    await tap(staff, card, "不予受理", "告知当事人的办理途径")
    card = await ask(staff, "属法院管辖：请带身份证到县人民法院诉讼服务中心")
    assert "✅ 已记录为不予受理" in card.plain_text and "告知办理途径：属法院管辖" in card.plain_text
    assert town.status(other.id) == CaseStatus.out_of_scope


async def test_long_case_fits_one_message_and_is_escaped(bot, town):
    director = town.user(1)
    await town.greet(1)
    ref = town.submit(description="<b>&" + "很长的描述" * 399, request="诉求" * 999,
                      parties=tuple(PartyInput(f"当事人{i}") for i in range(8)))
    town.do(cases.accept, town.staff, ref.id)
    for i in range(15):
        town.do(cases.add_progress, town.staff, ref.id, text=f"第{i}次进展" + "细节" * 900,
                files=(FileInput(kind="photo", file_id=f"f{i}"),))
    card = await open_card(director, ref.number)
    text = card.plain_text
    assert len(text.encode("utf-16-le")) // 2 <= 4096
    assert "简要情况：<b>&很长" in text  # shown as typed, not as markup
    assert "…" in text and "等 8 人" in text and "附件：15 个" in text
    assert "第14次进展" in text and "第0次进展" not in text  # the newest history is kept, the oldest dropped
    assert re.search(r"办理记录（最近 \d+ 条，共 \d+ 条）", text)


async def test_cancel_button_timeout_and_a_case_that_moved_on_while_typing(bot, town):
    staff = town.user(4)
    await town.greet(4)
    ref = town.submit()
    town.do(cases.accept, town.staff, ref.id)
    card = await open_card(staff, ref.number)
    prompt = await tap(staff, card, "进展", "报进展")
    card = await tap(staff, prompt, "✖️ 取消", "已取消，事项未做修改")
    assert "📋 事项" in card.plain_text and "进展" in card.buttons

    await tap(staff, card, "进展", "报进展")
    assert await bot.expire_conversations() == 1
    await staff.wait_for_message(predicate=has("长时间未完成，已取消"))
    assert "没看懂" in (await ask(staff, "迟到的进展")).plain_text  # the step is over
    assert "case.progress" not in town.events(ref.id)

    card = await open_card(staff, ref.number)
    outcome = await tap(staff, card, "办结", "请选择办理结果")
    agreement = await tap(staff, outcome, "部分成功", "请选择协议类型")
    await tap(staff, agreement, "口头协议", "请输入办理结果")
    town.do(cases.resolve, town.staff2, ref.id, outcome="调解成功", agreement="无协议", summary="周明办结")
    await staff.send_text("已调解")
    assert "不能办结" in (await staff.wait_for_message(predicate=ours)).plain_text
    card = await staff.wait_for_message(predicate=has("📋 事项"))
    assert "状态：已办结" in card.plain_text and "办理结果：周明办结" in card.plain_text
    assert "没看懂" in (await ask(staff, "再补一句")).plain_text


async def test_reporter_of_a_confidential_case_sees_what_they_reported_and_the_outcome(bot, town):
    """The grid worker who reported a 三股势力 case opens it (audited): what they reported, its status
    and outcome; not the others' progress notes, files or the handler. Another grid worker is refused."""
    reporter, stranger = town.user(6), town.user(8)
    await town.greet(6, 8)
    with town.db.session() as s:
        secret = s.exec(select(CaseType.id).where(CaseType.subtype == '"三股势力"滋事破坏')).one()
    ref = town.submit(type_id=secret, severity=Severity.major, description="发现可疑人员散发传单",
                      files=(FileInput(kind="photo", file_id="mine"),))
    town.do(cases.accept, town.director, ref.id)
    town.do(cases.assign, town.director, ref.id, handler_id=town.staff)
    town.do(cases.add_progress, town.staff, ref.id, text="线人称涉及境外联络", files=(FileInput(kind="photo", file_id="theirs"),))

    card = await open_card(reporter, ref.number)
    text = card.plain_text
    assert "发现可疑人员散发传单" in text and "状态：调处中" in text and "13800138000" in text
    assert "线人称涉及境外联络" not in text and "孙丽" not in text
    assert texts.CARD_REPORTER_VIEW in text
    assert card.protected  # a confidential case's card cannot be forwarded or saved
    assert card.buttons == ["📎 附件（1）", "🔄 刷新"]
    files = await tap(reporter, card, "📎 附件（1）", "的附件（共 1 个）")  # their own photo only
    assert len(files.buttons) == 2
    with town.db.session() as s:
        theirs = s.exec(select(Attachment.id).where(Attachment.file_id == "theirs")).one()
    assert await alert(reporter, card, data=f"case:f:{theirs}") == texts.NO_ACCESS
    assert await alert(reporter, card, data=f"case:acc:{ref.id}") == texts.NO_ACCESS  # nothing to do
    assert not any("线人称涉及境外联络" in t for t in town.outbox_to(6))  # nor in the status news
    listing = await ask(reporter, "/mycases")
    assert ref.number in " ".join(listing.buttons)

    town.do(cases.resolve, town.staff, ref.id, outcome="调解成功", agreement="无协议", summary="已依法处置")
    card = await open_card(reporter, ref.number)
    assert "状态：已办结" in card.plain_text and "办理结果：已依法处置" in card.plain_text
    assert texts.NO_ACCESS in (await ask(stranger, f"/case {ref.number}")).plain_text
    with town.db.session() as s:
        viewers = s.exec(select(AuditEvent.actor_id).where(AuditEvent.action == "case.view_confidential")).all()
    assert viewers.count(town.grid_worker) >= 2  # each opening is audited


async def test_the_assigned_unit_and_handler_see_the_parties_numbers_and_it_is_audited(bot, town):
    """Who works the case calls the parties: the assigned unit's contact and handler see full numbers
    (each view audited, not shown in the history); others see them masked, as before."""
    unit, staff2 = town.user(7), town.user(5)
    await town.greet(7, 5)
    ref = town.submit()
    town.do(cases.accept, town.staff, ref.id)
    town.do(cases.assign, town.staff, ref.id, unit_id=town.unit.id)
    card = await open_card(unit, ref.number)
    assert "13800138000" in card.plain_text and VALID_ID in card.plain_text
    assert not card.protected  # an ordinary case's card: as before
    assert "查看当事人信息" not in card.plain_text  # the audit is not case history
    card = await open_card(staff2, ref.number)
    assert "138****8000" in card.plain_text and "13800138000" not in card.plain_text
    town.do(cases.assign, town.staff, ref.id, handler_id=town.staff2)
    card = await open_card(staff2, ref.number)
    assert "13800138000" in card.plain_text
    with town.db.session() as s:
        seen = s.exec(select(AuditEvent.actor_id).where(AuditEvent.action == "case.view_personal",
                                                        AuditEvent.subject_id == ref.id)).all()
    assert seen == [town.unit_contact, town.staff2]


async def test_a_confidential_case_s_files_are_sent_protected(bot, town):
    staff, director = town.user(4), town.user(1)
    await town.greet(4, 1)
    ref = town.submit()
    town.do(cases.accept, town.staff, ref.id)
    town.do(cases.assign, town.staff, ref.id, handler_id=town.staff)
    town.do(cases.set_confidential, town.director, ref.id, confidential=True)
    card = await open_card(staff, ref.number)
    await tap(staff, card, "进展", "报进展")
    await staff.send_photo(b"PHOTO-BYTES")
    await staff.wait_for_message(predicate=has("已收到"))
    await staff.send_text("完成")
    await staff.wait_for_message(predicate=has("✅ 进展已记录"))
    card = await open_card(director, ref.number)
    files = await tap(director, card, "📎 附件（1）", "的附件（共 1 个）")
    await director.press(files, "🖼 照片 1")
    sent = await director.wait_for_message(predicate=lambda m: m.kind == "photo")
    assert sent.file_bytes() == b"PHOTO-BYTES" and sent.protected


async def test_a_press_that_changes_nothing_is_answered_so(bot, town):
    """🔄 刷新 with nothing new, or the tab already shown: Telegram refuses the identical edit, and the
    press is answered with a word instead of seeming ignored; a press that changes the card is not."""
    staff = town.user(4)
    await town.greet(4)
    ref = town.submit()
    card = await open_card(staff, ref.number)
    assert await toast(staff, card, "🔄 刷新") == texts.UNCHANGED
    assert await toast(staff, card, "受理") == ""
    card = await staff.wait_for_message(predicate=has("✅ 已受理"))
    assert await toast(staff, card, "🔄 刷新") == ""  # the refresh drops the ✅ line
    assert await toast(staff, card, "🔄 刷新") == texts.UNCHANGED
    listing = await ask(staff, "/mycases")
    assert await toast(staff, listing, "• 分派给我的") == texts.UNCHANGED
    assert await toast(staff, listing, "全部") == ""
