"""/report through the real bot and the emulator, as a grid worker on a phone would use it."""

import re
import time
from datetime import UTC, datetime

from sqlmodel import col, select

from bot import texts
from bot.services import case_card, cases
from bot.services.cases import CaseDraft
from handlers.report import REPORT_TIMEOUT
from models import Attachment, CaseParty, Severity, Source
from tests.bot.harness import press, say
from tests.bot.steps import to_place_step, wait
from tests.bot.towns import reporting_town

VALID_ID = "11010519491231002X"
WRONG_CHECK_DIGIT = "110105194912310021"


async def to_summary(user, description="两户因排水沟争吵", **kw):
    await to_place_step(user, **kw)
    await user.send_text("跳过")
    msg = await wait(user, "什么时候发生")
    msg = await press(user, msg, "刚刚")
    msg = await press(user, msg, "跳过")  # no parties
    msg = await press(user, msg, "1")
    assert "第 8/9 步" in msg.plain_text
    await user.send_text(description)
    msg = await wait(user, "第 9/9 步")
    msg = await press(user, msg, "完成")
    assert "请核对" in msg.plain_text
    return msg


def button_data(message, label: str) -> str:
    rows = message.reply_markup["inline_keyboard"]
    return next(b["callback_data"] for row in rows for b in row if b["text"] == label)


def _step(msg) -> tuple[int, int]:
    [(n, total)] = re.findall(r"第 (\d+)/(\d+) 步", msg.plain_text)
    return int(n), int(total)


async def test_grid_worker_full_report(bot):
    town = reporting_town(bot)
    user = bot.user(6, "张网格")
    msg = await say(user, "/report")
    steps = [_step(msg)]  # the label of each step's prompt, in the order they come
    assert "第 1/9 步" in msg.plain_text and "矛盾纠纷" in msg.buttons and "重大事件" in msg.buttons
    msg = await press(user, msg, "矛盾纠纷")
    assert "邻里纠纷" in msg.buttons and "« 返回类别" in msg.buttons
    msg = await press(user, msg, "邻里纠纷")
    steps.append(_step(msg))
    assert all(hint in msg.plain_text for hint in texts.SEVERITY_HINTS.values())
    assert msg.buttons == ["一般", "复杂", "重大疑难", "☐ 🚨 紧急"]
    msg = await press(user, msg, "一般")
    steps.append(_step(msg))
    assert msg.buttons == ["使用 东山村 第一网格", "选择其他村（社区）"]
    await user.press(msg, "使用 东山村 第一网格")
    msg = await wait(user, "事发地点")
    steps.append(_step(msg))
    assert msg.keyboard == ["📍 发送当前位置", "跳过"]
    assert msg.reply_markup["keyboard"][0][0]["request_location"] is True
    await user.send_location(30.27415, 120.15515)
    ack, msg = await user.wait_for_messages(2)
    assert "已记录位置" in ack.plain_text and user.reply_keyboard() == []
    assert "什么时候发生" in msg.plain_text and msg.buttons == ["刚刚", "今天早些时候", "选择日期"]
    steps.append(_step(msg))
    msg = await press(user, msg, "刚刚")
    assert "当事人（可选）" in msg.plain_text
    steps.append(_step(msg))
    msg = await press(user, msg, "➕ 添加当事人")
    assert "第 1 位当事人的姓名" in msg.plain_text
    msg = await say(user, "赵大")
    assert "赵大 的联系电话" in msg.plain_text and msg.buttons == ["跳过"]
    msg = await say(user, "138-0013-8000")
    assert "赵大 的身份证号" in msg.plain_text
    msg = await say(user, VALID_ID.lower())
    assert "已添加当事人 赵大" in msg.plain_text and "➕ 再添加一位" in msg.buttons
    msg = await press(user, msg, "完成")
    assert "涉及多少人" in msg.plain_text
    steps.append(_step(msg))
    msg = await press(user, msg, "2")
    steps.append(_step(msg))
    voice = await user.send_voice(b"OggS voice description", duration=12)
    msg = await user.wait_for_message()
    assert "已收到语音描述" in msg.plain_text
    steps.append(_step(msg))
    # every step has its own label, numbered 1, 2, 3 … of one total (two were both 「第 6/8 步」)
    assert steps == [(n, 9) for n in range(1, 10)], steps
    photo1 = await user.send_photo(b"photo one", width=1280, height=960)
    assert "已收到附件 1 个（照片 1 个）" in (await user.wait_for_message()).plain_text
    photo2 = await user.send_photo(b"photo two")
    msg = await user.wait_for_message()
    assert "已收到附件 2 个（照片 2 个）" in msg.plain_text
    summary = await press(user, msg, "完成")
    text = summary.plain_text
    assert "类型：矛盾纠纷·邻里纠纷" in text and "紧急程度：一般\n" in text and "🚨" not in text
    assert "村（社区）：东山村 第一网格" in text and "30.27415, 120.15515" in text
    assert "刚刚（11月30日 09:00）" in text
    assert "赵大，13800138000，11010519491231002X" in text and "涉及人数：2 人" in text
    assert "语音描述" in text and "语音 1 个、照片 2 个" in text
    assert "✏️ 描述" in summary.buttons and "✅ 提交" in summary.buttons

    done = await press(user, summary, "✅ 提交")
    assert "2026-0001" in done.plain_text and "紧急" not in done.plain_text
    assert done.buttons == ["查看事项"]
    [case] = town.cases()
    assert button_data(done, "查看事项") == f"case:v:{case.id}"
    assert case.number == "2026-0001" and case.reporter_id == town.grid_worker
    assert case.type_id == town.types["邻里纠纷"] and case.severity == Severity.general and not case.urgent
    assert case.source == Source.grid
    assert (case.village_id, case.grid_id) == (town.village.id, town.grid.id)
    assert (case.latitude, case.longitude) == (30.27415, 120.15515) and case.address is None
    assert case.occurred_at == bot.clock.now()
    assert case.people_count == 2 and case.description == texts.REPORT_VOICE_DESCRIPTION
    with bot.db.session() as s:
        parties = [(p.name, p.phone, p.id_number) for p in s.exec(select(CaseParty))]
        files = [(a.kind, a.file_id) for a in s.exec(select(Attachment).order_by(col(Attachment.id)))]
    assert parties == [("赵大", "13800138000", VALID_ID)]
    assert files == [
        ("voice", voice["voice"]["file_id"]),
        ("photo", photo1["photo"][-1]["file_id"]),
        ("photo", photo2["photo"][-1]["file_id"]),
    ]
    # The contact-point leader and the case desk are told; the reporter and the director are not.
    assert any("2026-0001" in t for t in town.outbox_to(3))
    assert any("2026-0001" in t for t in town.outbox_to(4))
    assert town.outbox_to(6) == [] and town.outbox_to(1) == []
    # The draft is gone: a new /report starts afresh.
    assert "第 1/9 步" in (await say(user, "/report")).plain_text


async def test_edit_fields_from_the_summary(bot):
    town = reporting_town(bot)
    user = bot.user(6, "张网格")
    summary = await to_summary(user)

    msg = await press(user, summary, "✏️ 描述")
    assert "第 8/9 步" in msg.plain_text
    msg = await say(user, "两户因排水沟争吵，已经动手")
    assert "请核对" in msg.plain_text and "已经动手" in msg.plain_text

    msg = await press(user, msg, "✏️ 村/网格")
    msg = await press(user, msg, "选择其他村（社区）")
    assert {"东山村", "西河村", "不涉及具体村（社区）"} <= set(msg.buttons)
    msg = await press(user, msg, "西河村")
    assert msg.buttons == ["第一网格", "不选网格", "« 返回"]
    msg = await press(user, msg, "第一网格")
    assert "请核对" in msg.plain_text and "村（社区）：西河村 第一网格" in msg.plain_text

    await user.press(msg, "✏️ 地点")
    place = await wait(user, "事发地点")
    assert place.keyboard == ["📍 发送当前位置", "跳过"]
    await user.send_text("西河村3组<桥头>")
    ack, msg = await user.wait_for_messages(2)
    assert "已记录地址：西河村3组<桥头>" in ack.plain_text
    assert "请核对" in msg.plain_text and "地点：西河村3组<桥头>" in msg.plain_text

    msg = await press(user, msg, "✏️ 时间")
    msg = await press(user, msg, "选择日期")
    assert msg.buttons[:3] == ["今天 11月30日", "昨天 11月29日", "11月28日 周六"]
    assert "2026-11-28" in msg.plain_text  # the typing example
    assert "发生日期不能晚于今天" in (await say(user, "2026-12-01")).plain_text
    assert "日期格式不对" in (await say(user, "上周三")).plain_text
    msg = await say(user, "2026-11-25")
    assert "请核对" in msg.plain_text and "发生时间：2026-11-25" in msg.plain_text

    msg = await press(user, msg, "✏️ 紧急程度")
    assert "✅ 一般" in msg.buttons
    msg = await press(user, msg, "☐ 🚨 紧急")
    assert "✅ 🚨 紧急" in msg.buttons
    msg = await press(user, msg, "复杂")
    assert "请核对" in msg.plain_text and "紧急程度：复杂（🚨 紧急）" in msg.plain_text

    done = await press(user, msg, "✅ 提交")
    assert "2026-0001" in done.plain_text and "已同时通知中心领导" in done.plain_text
    assert "今天无人值班，请打给中心主任 王主任" in done.plain_text  # whom to phone first
    [case] = town.cases()
    assert case.description == "两户因排水沟争吵，已经动手"
    assert (case.village_id, case.grid_id) == (town.village2.id, town.grid2.id)
    assert case.address == "西河村3组<桥头>" and case.latitude is None
    assert case.occurred_at == datetime(2026, 11, 24, 16, 0, tzinfo=UTC)  # 11-25 00:00 in Shanghai
    assert case.severity == Severity.complex and case.urgent
    assert any("🚨" in t for t in town.outbox_to(1))  # urgent: the director hears of it too


async def test_cancel_mid_way_discards_the_draft(bot):
    town = reporting_town(bot)
    user = bot.user(6, "张网格")
    await to_place_step(user)
    msg = await say(user, "/cancel")
    assert "已放弃上报" in msg.plain_text and user.reply_keyboard() == []
    assert "没看懂" in (await say(user, "东山村5组")).plain_text  # no longer in the report
    msg = await say(user, "/report")
    assert "第 1/9 步" in msg.plain_text and "草稿" not in msg.plain_text
    assert "已放弃上报" in (await say(user, "/cancel")).plain_text
    assert town.cases() == []


async def test_wrong_id_number_and_wrong_types_get_hints(bot):
    town = reporting_town(bot)
    user = bot.user(6, "张网格")
    msg = await say(user, "/report")
    await user.send_sticker()
    msg = await user.wait_for_message()
    assert "请点按钮选择" in msg.plain_text and "矛盾纠纷" in msg.buttons
    msg = await press(user, msg, "治安问题")
    msg = await press(user, msg, "盗窃")
    msg = await press(user, msg, "一般")
    await user.press(msg, "使用 东山村 第一网格")
    await wait(user, "事发地点")
    await user.send_sticker()
    msg = await user.wait_for_message()
    assert "发送当前位置" in msg.plain_text and "跳过" in msg.keyboard
    await user.send_text("东山村5组")
    msg = await wait(user, "什么时候发生")
    msg = await press(user, msg, "今天早些时候")
    msg = await press(user, msg, "➕ 添加当事人")
    msg = await say(user, "钱二")
    msg = await press(user, msg, "跳过")  # no phone
    assert "钱二 的身份证号" in msg.plain_text
    msg = await say(user, WRONG_CHECK_DIGIT)
    assert "校验位不对" in msg.plain_text and msg.buttons == ["跳过"]
    msg = await say(user, "12345")
    assert "18 位" in msg.plain_text
    msg = await say(user, VALID_ID)
    assert "已添加当事人 钱二" in msg.plain_text
    msg = await press(user, msg, "完成")
    msg = await press(user, msg, "3–10 人")
    assert "请输入涉及的人数" in msg.plain_text
    assert "约40人" in (await say(user, "很多")).plain_text
    msg = await say(user, "5人")
    assert "第 8/9 步" in msg.plain_text
    await user.send_sticker()
    msg = await user.wait_for_message()
    assert "请用文字描述情况，或发一段语音" in msg.plain_text
    msg = await say(user, "字" * 2001)
    assert "最多 2000 字" in msg.plain_text
    msg = await say(user, "电动车被盗")
    assert "第 9/9 步" in msg.plain_text
    msg = await say(user, "好了")
    assert "请发送照片、视频、文件或语音" in msg.plain_text
    await user.send_video(b"video bytes", duration=5)
    assert "已收到附件 1 个（视频 1 个）" in (await user.wait_for_message()).plain_text
    msg = await say(user, "完成")
    assert "请核对" in msg.plain_text and "钱二，" + VALID_ID in msg.plain_text
    assert "今天早些时候（11月30日）" in msg.plain_text
    await user.send_sticker()
    msg = await user.wait_for_message()
    assert "点按钮修改" in msg.plain_text  # the summary again, with its buttons (the old one's are gone)
    await press(user, msg, "✅ 提交")
    [case] = town.cases()
    assert case.people_count == 5 and case.address == "东山村5组" and case.description == "电动车被盗"
    assert case.occurred_at == datetime(2026, 11, 29, 16, 0, tzinfo=UTC)  # today 00:00 in Shanghai
    with bot.db.session() as s:
        assert [(p.name, p.phone, p.id_number) for p in s.exec(select(CaseParty))] == [("钱二", None, VALID_ID)]
        [att] = s.exec(select(Attachment)).all()
    assert (att.kind, att.mime_type) == ("video", "video/mp4")


async def test_approximate_and_large_head_counts(bot):
    """群体性事件苗头: large numbers matter most, and people often know them only roughly."""
    from handlers.cases import render_card

    town = reporting_town(bot)
    user = bot.user(6, "张网格")
    await to_place_step(user, category="矛盾纠纷", subtype="邻里纠纷")
    await user.send_text("跳过")
    msg = await wait(user, "什么时候发生")
    msg = await press(user, msg, "刚刚")
    msg = await press(user, msg, "跳过")
    assert msg.buttons == ["1", "2", "3–10 人", "11–30 人", "31–100 人", "100 人以上"]
    msg = await press(user, msg, "31–100 人")
    assert "约40人" in msg.plain_text  # the prompt says an estimate is fine
    msg = await say(user, "四十多人")
    assert "第 8/9 步" in msg.plain_text
    await user.send_text("村民聚集讨要工钱")
    msg = await wait(user, "第 9/9 步")
    summary = await press(user, msg, "完成")
    assert "涉及人数：约40人" in summary.plain_text
    await press(user, summary, "✅ 提交")
    [case] = town.cases()
    assert (case.people_count, case.people_count_approx) == (40, True)
    card = bot.db.call(case_card.case_card, viewer_id=town.director, case_id=case.id, now=bot.clock.now())
    assert "涉及人数：约40人" in render_card(card, bot.clock.now().tzinfo)


async def test_document_attachment(bot):
    town = reporting_town(bot)
    user = bot.user(6, "张网格")
    await to_place_step(user)
    await user.send_text("跳过")
    msg = await wait(user, "什么时候发生")
    msg = await press(user, msg, "刚刚")
    msg = await press(user, msg, "跳过")
    msg = await press(user, msg, "1")
    await say(user, "电动车被盗")
    await user.send_document(b"%PDF-1.4", filename="报警回执.pdf", mime_type="application/pdf")
    msg = await user.wait_for_message()
    assert "已收到附件 1 个（文件 1 个）" in msg.plain_text
    summary = await press(user, msg, "完成")
    await press(user, summary, "✅ 提交")
    with bot.db.session() as s:
        [att] = s.exec(select(Attachment)).all()
    assert (att.kind, att.file_name, att.mime_type) == ("document", "报警回执.pdf", "application/pdf")
    assert len(town.cases()) == 1


async def test_restart_in_the_middle_continues_the_report(bot):
    town = reporting_town(bot)
    user = bot.user(6, "张网格")
    await to_place_step(user, subtype="房屋宅基地纠纷", severity="复杂")
    await user.send_location(30.1, 120.2)
    msg = await wait(user, "什么时候发生")
    msg = await press(user, msg, "刚刚")
    msg = await press(user, msg, "➕ 添加当事人")
    msg = await say(user, "孙三")
    assert "孙三 的联系电话" in msg.plain_text
    await bot.restart()
    msg = await say(user, "13900001111")
    assert "孙三 的身份证号" in msg.plain_text
    msg = await press(user, msg, "跳过")
    msg = await press(user, msg, "完成")
    msg = await press(user, msg, "1")
    await bot.restart()
    msg = await say(user, "宅基地边界争议")
    msg = await press(user, msg, "完成")
    assert "房屋宅基地纠纷" in msg.plain_text and "孙三，13900001111" in msg.plain_text
    done = await press(user, msg, "✅ 提交")
    assert "2026-0001" in done.plain_text
    [case] = town.cases()
    assert case.type_id == town.types["房屋宅基地纠纷"] and case.severity == Severity.complex
    assert (case.latitude, case.longitude) == (30.1, 120.2) and case.description == "宅基地边界争议"


async def test_duplicate_warning_links_or_submits_anyway(bot):
    town = reporting_town(bot)
    first = bot.db.call(
        cases.submit, actor_id=town.other_grid, now=bot.clock.now(),
        draft=CaseDraft(type_id=town.types["邻里纠纷"], severity=Severity.general, description="王家和李家因排水沟吵架",
                        village_id=town.village.id),
    )
    user = bot.user(6, "张网格")
    summary = await to_summary(user)
    warning = await press(user, summary, "✅ 提交")
    assert "7 天内 东山村 已有同类未办结事项" in warning.plain_text
    assert "2026-0001：王家和李家因排水沟吵架" in warning.plain_text
    assert warning.buttons == ["🔗 关联到 2026-0001", "🆕 仍作为新事项提交", "« 返回核对"]
    # A forged link to some other case is refused and creates nothing.
    cq = await user.press(warning, data="rp:l:999")
    assert (await user.wait_for_callback_answer(cq)).text == texts.STALE_BUTTON
    assert len(town.cases()) == 1
    msg = await press(user, warning, "« 返回核对")
    assert "请核对" in msg.plain_text
    warning = await press(user, msg, "✅ 提交")
    done = await press(user, warning, "🔗 关联到 2026-0001")
    assert "2026-0002" in done.plain_text and "已关联到事项 2026-0001" in done.plain_text
    assert town.cases()[1].duplicate_of_id == first.id

    summary = await to_summary(user, description="另一件事")
    warning = await press(user, summary, "✅ 提交")
    assert "2026-0002" in warning.plain_text and "2026-0001" in warning.plain_text
    done = await press(user, warning, "🆕 仍作为新事项提交")
    assert "2026-0003" in done.plain_text and "关联" not in done.plain_text
    assert town.cases()[2].duplicate_of_id is None


async def test_urgent_type_is_preset_and_alerts_leaders(bot):
    town = reporting_town(bot)
    user = bot.user(6, "张网格")
    msg = await say(user, "/report")
    msg = await press(user, msg, "群体性事件苗头")  # one subtype: no second choice
    assert "第 2/9 步" in msg.plain_text and "已预设为「重大疑难」" in msg.plain_text
    assert msg.buttons == ["一般", "复杂", "✅ 重大疑难", "✅ 🚨 紧急"]
    cq = await user.press(msg, "✅ 🚨 紧急")
    assert "必须按紧急上报" in (await user.wait_for_callback_answer(cq)).text
    msg = await press(user, msg, "✅ 重大疑难")
    await user.press(msg, "使用 东山村 第一网格")
    await wait(user, "事发地点")
    await user.send_text("跳过")
    msg = await wait(user, "什么时候发生")
    msg = await press(user, msg, "选择日期")
    msg = await press(user, msg, "昨天 11月29日")
    msg = await press(user, msg, "跳过")
    msg = await press(user, msg, "3–10 人")
    msg = await say(user, "40")
    msg = await say(user, "村民聚集在村委会门口讨要征地补偿")
    msg = await press(user, msg, "完成")
    assert "紧急程度：重大疑难（🚨 紧急）" in msg.plain_text and "涉及人数：40 人" in msg.plain_text
    done = await press(user, msg, "✅ 提交")
    assert "2026-0001" in done.plain_text and "已同时通知中心领导" in done.plain_text
    assert "今天无人值班，请打给中心主任 王主任" in done.plain_text  # whom to phone first
    [case] = town.cases()
    assert case.urgent and case.severity == Severity.major and case.people_count == 40
    assert case.occurred_at == datetime(2026, 11, 28, 16, 0, tzinfo=UTC)
    assert any("🚨" in t and "2026-0001" in t for t in town.outbox_to(1))
    assert any("🚨" in t for t in town.outbox_to(2)) and any("🚨" in t for t in town.outbox_to(3))


async def test_only_reporters_may_report(bot):
    town = reporting_town(bot)
    unit = bot.user(7, "老李")
    msg = await say(unit, "/report")
    assert msg.plain_text == texts.NOT_ALLOWED
    # A forged report button from someone who may not report does nothing.
    cq = await unit.press(msg, data="rp:c:1")
    assert (await unit.wait_for_callback_answer(cq)).text == texts.STALE_BUTTON
    assert (await say(bot.user(2, "书记"), "/report")).plain_text == texts.NOT_ALLOWED
    stranger = bot.user(777, "路人")
    msg = await say(stranger, "/report")
    assert "777" in msg.plain_text and "管理员" in msg.plain_text
    # Parties' personal data is never typed into a group: a grid worker is sent to the private chat.
    worker = bot.user(6, "张网格")
    bot.emu.group(-100123, "东山村网格群", [worker])
    await worker.send_text("/report", chat_id=-100123)
    assert "私聊" in (await worker.wait_for_message()).plain_text
    assert town.cases() == []


async def test_forged_buttons_do_nothing_harmful(bot):
    town = reporting_town(bot)
    reporter = bot.user(6, "张网格")
    summary = await to_summary(reporter)
    # Someone else presses (forges) the submit button on the reporter's summary.
    other = bot.user(8, "李网格")
    cq = await other.press(summary, data="rp:ok")
    assert (await other.wait_for_callback_answer(cq)).text == texts.STALE_BUTTON
    assert town.cases() == []
    # In their own report, forged ids and buttons of other steps are refused.
    msg = await say(other, "/report")
    for data, answer in [("rp:t:99999", texts.STALE_BUTTON), ("rp:c:abc", texts.STALE_BUTTON),
                         ("rp:ok", texts.REPORT_STALE_BUTTON), ("rp:l:1", texts.REPORT_STALE_BUTTON)]:
        cq = await other.press(msg, data=data)
        assert (await other.wait_for_callback_answer(cq)).text == answer, data
    msg = await press(other, msg, "矛盾纠纷")
    msg = await press(other, msg, "邻里纠纷")
    cq = await other.press(msg, data="rp:s:catastrophic")
    assert (await other.wait_for_callback_answer(cq)).text == texts.STALE_BUTTON
    msg = await press(other, msg, "一般")
    cq = await other.press(msg, data="rp:v:99999")
    assert "没有找到这个村" in (await other.wait_for_callback_answer(cq)).text
    cq = await other.press(msg, data="rp:e:type")
    assert (await other.wait_for_callback_answer(cq)).text == texts.REPORT_STALE_BUTTON
    assert town.cases() == []
    # The reporter's own report is untouched and goes through.
    done = await press(reporter, summary, "✅ 提交")
    assert "2026-0001" in done.plain_text
    [case] = town.cases()
    assert case.reporter_id == town.grid_worker


async def test_timeout_keeps_the_draft_and_report_offers_to_continue(bot):
    reporting_town(bot)
    user = bot.user(6, "张网格")
    msg = await say(user, "/report")
    msg = await press(user, msg, "矛盾纠纷")
    msg = await press(user, msg, "邻里纠纷")
    assert "第 2/9 步" in msg.plain_text
    assert await bot.expire_conversations() == 1
    paused = await wait(user, "上报已暂停")
    assert "/report" in paused.plain_text
    msg = await say(user, "/report")
    assert "未提交的上报草稿（矛盾纠纷·邻里纠纷）" in msg.plain_text
    assert msg.buttons == ["继续上次的草稿", "重新开始"]
    msg = await press(user, msg, "继续上次的草稿")
    assert "第 2/9 步" in msg.plain_text and "矛盾纠纷·邻里纠纷" in msg.plain_text
    msg = await press(user, msg, "一般")
    assert "使用 东山村 第一网格" in msg.buttons
    # /report in the middle of a report offers the same choice; 重新开始 drops the draft.
    msg = await say(user, "/report")
    msg = await press(user, msg, "重新开始")
    assert "第 1/9 步" in msg.plain_text


async def test_a_report_times_out_only_after_its_timeout_counted_from_the_last_answer(bot):
    """The timeout is a deadline per conversation, checked by one repeating job: not before
    REPORT_TIMEOUT without an answer, and every answer starts it again."""
    reporting_town(bot)
    user = bot.user(6, "张网格")
    before = time.monotonic()
    msg = await say(user, "/report")
    [job] = bot.app.job_queue.get_jobs_by_name("conversation-timeouts")
    [flow] = [f for f in job.data if f.name == "report"]
    [started] = flow.timeout_jobs.values()
    assert before + REPORT_TIMEOUT <= started.at <= time.monotonic() + REPORT_TIMEOUT
    assert await flow.expire(started.at - 1) == 0
    msg = await press(user, msg, "矛盾纠纷")
    [answered] = flow.timeout_jobs.values()
    assert answered.at > started.at  # the press started it again
    assert await flow.expire(answered.at - 0.001) == 0
    assert await flow.expire(answered.at) == 1
    assert "上报已暂停" in (await wait(user, "上报已暂停")).plain_text
    assert await flow.expire(answered.at + 10 * REPORT_TIMEOUT) == 0  # ended once
