"""信息报告 through the real bot: fill the fields by buttons and typing, submit (报送), 续报, 终报;
refusals, /cancel, wrong types, over-long text, a restart and a timeout mid-field; /bindgroup.

People and the major-event case are set up through the services; everything after that is what a
person does in the emulator. Notifications the case itself causes (urgent alerts …) may arrive
meanwhile, so every wait names the text it expects.
"""

from datetime import timedelta

import pytest
from sqlmodel import select

from bot import texts
from bot.services import cases, info_reports, intake
from bot.services.cases import CaseDraft
from bot.sweeps import sweep_all
from models import AuditEvent, InfoReportKind, Outbox, Outcome, ReplyMethod, Satisfaction, Severity
from tests.bot.harness import BOT_USERNAME
from tests.bot.towns import info_town

GROUP_ID = -1001234567890
DIRECTOR, SECRETARY, LEADER, STAFF, GRID, OTHER_GRID, STRANGER = 1, 2, 3, 4, 6, 8, 99


@pytest.fixture
async def town(bot):
    return info_town(bot)


def has(*parts: str):
    return lambda m: all(p in (m.plain_text or "") for p in parts)


async def expect(user, *parts: str, chat_id=None, timeout: float = 5.0):
    return await user.wait_for_message(timeout=timeout, predicate=has(*parts), chat_id=chat_id)


async def say(user, text: str, *parts: str, chat_id=None):
    await user.send_text(text, chat_id=chat_id)
    return await expect(user, *parts, chat_id=chat_id)


async def tap(user, message, label: str, *parts: str):
    await user.press(message, label)
    return await expect(user, *parts)


async def forged(bot, user, message, data: str) -> str:
    cq = await user.press(message, data=data)
    return (await user.wait_for_callback_answer(cq)).text or ""


async def fill(user, view, label: str, value: str):
    """Press a field's button, type the value, return the report shown again."""
    name = label.split(" ")[-1]
    await tap(user, view, label, f"请输入「{name}」")
    return await say(user, value, f"已保存「{name}」")


async def open_list(user, number: str):
    return await say(user, f"/inforeport {number}", f"事项 {number} 的信息报告")


def group_report(bot, title: str):
    """The bot's message in the party committee's group with this title, once it is there."""
    found = [m for m in bot.emu.chat_messages(GROUP_ID) if m.from_bot and title in (m.plain_text or "")]
    assert len(found) <= 1, "delivered twice"
    return found[0] if found else None


def sender_running(bot) -> bool:
    """Whether the outbox sender job (bot/jobs.py) delivers queued messages in this build."""
    return bot.app.bot_data.get("outbox_sender") is not None


async def test_fill_submit_follow_up_and_final_reach_the_party_committee(bot, town):
    director, grid = town.users[DIRECTOR], town.users[GRID]
    bot.emu.group(GROUP_ID, "镇党委工作群", members=[director, town.users[SECRETARY]])
    await say(director, "/bindgroup", "已登记为党委工作群", chat_id=GROUP_ID)
    ref, rid = town.major_event()

    listing = await open_list(grid, ref.number)
    assert "1. 初报 · 填写中，还缺 4 项必填" in listing.plain_text
    view = await tap(grid, listing, "📝 填写初报", "信息报告·初报（第 1 报）")
    text = view.plain_text
    assert "❗发生时间：—（必填）" in text and "❗起因和性质：—（必填）" in text
    assert "发生地点：东山村村委会门口" in text and "报告人及电话：张网格 13900000000" in text
    assert "还缺必填项：发生时间、起因和性质、基本经过、已采取措施" in text
    assert "报送期限：11-30 09:30" in text
    assert {"✅ 接报时间", "✅ 发生地点", "❗ 发生时间", "❗ 起因和性质", "发展趋势", "📤 报送"} <= set(view.buttons)

    # 报送 with required fields missing: the service's list, nothing sent
    cq = await grid.press(view, "📤 报送")
    answer = (await grid.wait_for_callback_answer(cq)).text
    assert "还缺：发生时间、起因和性质、基本经过、已采取措施" in answer
    assert town.report(rid).submitted_at is None and town.report_keys(rid) == set()

    # a sticker where text is asked: the hint, and the same field still waits
    await tap(grid, view, "❗ 发生时间", "请输入「发生时间」", "当前：—")
    await grid.send_sticker()
    await expect(grid, "这一步需要输入文字", "发生时间")
    view = await say(grid, "今天 8:40", "已保存「发生时间」")
    assert "✅ 发生时间" in view.buttons and "发生时间：今天 8:40" in view.plain_text

    # over-long text: refused with the limit, asked again; then HTML-like text is kept as typed
    await tap(grid, view, "❗ 起因和性质", "请输入「起因和性质」")
    await say(grid, "长" * 1001, "内容太长（最多 1000 字）", "请重新输入「起因和性质」")
    view = await say(grid, "征地补偿 <分歧> & 争议", "已保存「起因和性质」")
    assert "起因和性质：征地补偿 <分歧> & 争议" in view.plain_text
    view = await fill(grid, view, "❗ 基本经过", "约 30 人聚集，情绪稳定")
    view = await fill(grid, view, "❗ 已采取措施", "联系点领导已到场劝解")
    assert "必填项已齐" in view.plain_text and not any(b.startswith("❗") for b in view.buttons)

    view = await tap(grid, view, "📤 报送", "初报已报送")
    assert "已于 11-30 09:00 报送" in view.plain_text
    assert set(view.buttons) == {"➕ 续报", "🏁 终报", "📤 上报上级", "« 本事项的全部报告"}
    assert town.report(rid).submitted_by_id == town.grid_worker
    assert town.report_keys(rid) == {f"info:{rid}:g{GROUP_ID}", f"info:{rid}:p{town.secretary}",
                                     f"info:{rid}:p{town.director}"}
    if sender_running(bot):  # the sender job delivers it to the group, typed text intact
        first = await bot.emu.world.wait_until(lambda: group_report(bot, "信息报告·初报"), timeout=5)
        assert "起因和性质：征地补偿 <分歧> & 争议" in first.plain_text
        assert not first.protected  # not confidential: may be forwarded as before

    # 续报 by a staff member: prefilled from the first report
    staff = town.users[STAFF]
    listing = await open_list(staff, ref.number)
    view = await tap(staff, listing, "➕ 续报", "已新建续报", "信息报告·续报（第 2 报）")
    assert "基本经过：约 30 人聚集，情绪稳定" in view.plain_text and "✅ 基本经过" in view.buttons
    view = await fill(staff, view, "发展趋势", "人群已基本散去")
    view = await tap(staff, view, "📤 报送", "续报已报送")
    view = await tap(staff, view, "🏁 终报", "已新建终报", "信息报告·终报（第 3 报）")
    view = await tap(staff, view, "📤 报送", "终报已报送", "本事项的信息报告已结束")
    assert set(view.buttons) == {"📤 上报上级", "« 本事项的全部报告"}  # the 终报 may go upward too

    listing = await tap(staff, view, "« 本事项的全部报告", "事项")
    assert "1. 初报 · 已报送" in listing.plain_text and "3. 终报 · 已报送" in listing.plain_text
    assert "➕ 续报" not in listing.buttons
    with bot.db.session() as s:
        notes = [e.details.get("note") for e in s.exec(select(AuditEvent).where(AuditEvent.action == "case.info_report"))]
    assert notes == ["初报已报送", "续报已报送", "终报已报送"]


async def test_reminder_button_opens_the_report_and_others_are_refused(bot, town):
    grid, other, secretary = town.users[GRID], town.users[OTHER_GRID], town.users[SECRETARY]
    ref, rid = town.major_event()
    for user in (grid, other, secretary):
        await say(user, "/inforeport", "/inforeport 事项编号")
    # the first report is overdue: the reminder's button opens it as a new message
    bot.clock.advance(timedelta(minutes=31))
    bot.db.call(info_reports.sweep_due, now=bot.clock.now())
    if sender_running(bot):
        reminder = await grid.wait_for_message(predicate=has("的初报期限"), timeout=5)
        await grid.press(reminder, texts.INFO_REPORT_FILL)
    else:
        await grid.press(grid.last_message(), data=f"ir:open:{rid}")
    view = await expect(grid, "信息报告·初报")
    assert "❗ 起因和性质" in view.buttons and "已超过报送期限（11-30 09:30）" in view.plain_text
    if sender_running(bot):
        assert any("的初报期限" in m.plain_text for m in grid.messages())  # the reminder stays

    # a grid worker who is not the reporter: every forged press refused, nothing changes
    own = other.last_message()
    for data in (f"ir:open:{rid}", f"ir:v:{rid}", f"ir:f:{rid}:cause", f"ir:s:{rid}", f"ir:n:{ref.id}:f",
                 f"ir:l:{ref.id}"):
        assert "无权查看" in await forged(bot, other, own, data), data
    assert "无权查看" in (await say(other, f"/inforeport {ref.number}", "无权")).plain_text
    # the secretary reads it but does not write; a forged field button gets the service's reason
    listing = await open_list(secretary, ref.number)
    view = await tap(secretary, listing, "📄 查看初报（第 1 报）", "信息报告·初报")
    assert "您可以查看" in view.plain_text and "📤 报送" not in view.buttons
    answer = await forged(bot, secretary, view, f"ir:f:{rid}:cause")
    assert "只有上报人、中心工作人员和领导可以填写" in answer
    # garbage and ids that do not exist
    for data in ("ir:f:abc:cause", f"ir:f:{rid}:nonsense", "ir:zz", "ir:n:1:q", "ir:v:99999", "ir:s:x"):
        answer = await forged(bot, grid, view, data)
        assert "失效" in answer or "没有找到" in answer, (data, answer)
    await say(grid, "/inforeport 2026-9999", "没有找到这个事项")
    assert town.report(rid).fields.get("cause") in (None, "")


async def test_button_in_the_registration_message_opens_the_first_report(bot, town):
    assert sender_running(bot)  # the outbox sender delivers the registration message
    grid = town.users[GRID]
    await say(grid, "/inforeport", "/inforeport 事项编号")  # the chat exists, so messages can reach it
    draft = CaseDraft(type_id=town.mass, severity=Severity.major, description="村民聚集",
                      village_id=town.village.id, grid_id=town.grid.id)
    done = bot.db.call(intake.register_report, actor_id=town.grid_worker, draft=draft, now=bot.clock.now())
    opened = await grid.wait_for_message(predicate=has("需要信息报告的重大事件", done.case.number), timeout=5)
    await grid.press(opened, texts.INFO_REPORT_FILL)
    view = await expect(grid, "信息报告·初报（第 1 报）", done.case.number)
    assert "❗ 发生地点" in view.buttons and "报送期限：11-30 10:00" in view.plain_text
    assert "电话报告：未记录（11-30 09:30 前）" in view.plain_text and texts.INFO_REPORT_PHONED in view.buttons
    assert opened.plain_text in [m.plain_text for m in grid.messages()]  # the message itself stays


def phone_chases(town, rid: int) -> set[str]:
    return {k for k in town.report_keys(rid) if k.startswith(f"info:{rid}:phone")}


async def register_major(bot, town):
    """A grid worker reports signs of a mass incident through intake (the real settings: phone within
    30 minutes, the written 初报 within 60); the registration message they get."""
    draft = CaseDraft(type_id=town.mass, severity=Severity.major, description="村民聚集",
                      village_id=town.village.id, grid_id=town.grid.id)
    done = bot.db.call(intake.register_report, actor_id=town.grid_worker, draft=draft, now=bot.clock.now())
    grid = town.users[GRID]
    opened = await grid.wait_for_message(predicate=has("需要信息报告的重大事件", done.case.number), timeout=5)
    return done, opened


async def test_the_phone_report_is_recorded_once_and_shown(bot, town):
    assert sender_running(bot)
    grid, director = town.users[GRID], town.users[DIRECTOR]
    for user in (grid, director):
        await say(user, "/inforeport", "/inforeport 事项编号")
    done, opened = await register_major(bot, town)
    assert "30 分钟内（11月30日 09:30 前）电话报告" in opened.plain_text and "60 分钟内" in opened.plain_text
    bot.clock.advance(timedelta(minutes=12))
    view = await tap(grid, opened, texts.INFO_REPORT_PHONED, "已记录电话报告（11-30 09:12）",
                     "请在 11-30 10:00 前报送书面初报")
    assert "电话报告：已于 11-30 09:12 由 张网格 报告" in view.plain_text
    assert texts.INFO_REPORT_PHONED not in view.buttons
    # pressed again (the registration message keeps its button): said, nothing changes
    bot.clock.advance(timedelta(minutes=3))
    again = await tap(grid, opened, texts.INFO_REPORT_PHONED, "电话报告已于 11-30 09:12 由 张网格 记录")
    assert "电话报告：已于 11-30 09:12 由 张网格 报告" in again.plain_text
    report = town.report(done.info_report_id)
    assert report.fields["phoned_by"] == town.grid_worker
    # past the phone deadline: recorded, so nobody is chased for it
    bot.clock.advance(timedelta(minutes=20))
    bot.db.call(info_reports.sweep_due, now=bot.clock.now())
    assert not phone_chases(town, report.id)
    # another grid worker's forged press: refused, the record stays
    other = town.users[OTHER_GRID]
    await say(other, "/inforeport", "/inforeport 事项编号")
    assert "无权查看" in await forged(bot, other, other.last_message(), f"ir:p:{report.id}")
    assert town.report(report.id).fields["phoned_by"] == town.grid_worker


async def test_an_unrecorded_phone_report_reaches_the_director(bot, town):
    assert sender_running(bot)
    grid, director = town.users[GRID], town.users[DIRECTOR]
    for user in (grid, director):
        await say(user, "/inforeport", "/inforeport 事项编号")
    done, _opened = await register_major(bot, town)
    rid = done.info_report_id
    bot.clock.advance(timedelta(minutes=29))
    bot.db.call(info_reports.sweep_due, now=bot.clock.now())
    assert not phone_chases(town, rid)  # not before the deadline
    bot.clock.advance(timedelta(minutes=2))
    bot.db.call(info_reports.sweep_due, now=bot.clock.now())
    chase = await expect(director, "应在 09:30 前电话报告党委", done.case.number)
    await expect(grid, "应在 09:30 前电话报告党委", done.case.number)
    view = await tap(director, chase, texts.INFO_REPORT_PHONED, "已记录电话报告（11-30 09:31）")
    assert "电话报告：已于 11-30 09:31 由 王主任 报告" in view.plain_text
    bot.clock.advance(timedelta(minutes=5))
    bot.db.call(info_reports.sweep_due, now=bot.clock.now())
    assert phone_chases(town, rid) == {f"info:{rid}:phone:p{town.director}", f"info:{rid}:phone:p{town.grid_worker}"}


async def test_cancel_restart_and_timeout_mid_field(bot, town):
    grid = town.users[GRID]
    ref, rid = town.major_event()
    listing = await open_list(grid, ref.number)
    view = await tap(grid, listing, "📝 填写初报", "信息报告·初报")

    await tap(grid, view, "❗ 起因和性质", "请输入「起因和性质」")
    view = await say(grid, "/cancel", "已取消，「起因和性质」没有修改", "信息报告·初报")
    await say(grid, "这句不该被保存", "没看懂")
    assert not town.report(rid).fields.get("cause")

    # another report button while a field waits: the wait ends, the button works
    prompt = await tap(grid, view, "❗ 起因和性质", "请输入「起因和性质」")
    await tap(grid, prompt, "« 不改了，返回报告", "信息报告·初报")
    await say(grid, "这句也不该被保存", "没看懂")
    assert not town.report(rid).fields.get("cause")

    # a restart between the press and the typing: the text still lands in the right field
    view = await open_list(grid, ref.number)
    view = await tap(grid, view, "📝 填写初报", "信息报告·初报")
    await tap(grid, view, "❗ 基本经过", "请输入「基本经过」")
    await bot.restart()
    view = await say(grid, "上午 8:40 起陆续聚集", "已保存「基本经过」")
    assert town.report(rid).fields["course"] == "上午 8:40 起陆续聚集"

    # a timeout: the bot says it stopped waiting; later text is not taken as the field
    await tap(grid, view, "❗ 已采取措施", "请输入「已采取措施」")
    assert await bot.expire_conversations() == 1
    await expect(grid, "长时间没有输入", "已采取措施")
    await say(grid, "迟到的文字", "没看懂")
    assert not town.report(rid).fields.get("measures")


async def test_bindgroup_in_group_and_private(bot, town):
    director, staff, stranger = town.users[DIRECTOR], town.users[STAFF], town.users[STRANGER]
    bot.emu.group(GROUP_ID, "镇党委工作群", members=[director, staff, stranger])

    def bot_messages_in_group() -> int:
        return len([m for m in bot.emu.chat_messages(GROUP_ID) if m.from_bot])

    # other members: a registered non-admin's /bindgroup gets the reason; chatter is ignored quietly
    await say(staff, "/bindgroup", "只有系统管理员或中心主任", chat_id=GROUP_ID)
    before = bot_messages_in_group()
    await staff.send_text("大家好，今天开会吗？", chat_id=GROUP_ID)
    await stranger.send_text("/bindgroup", chat_id=GROUP_ID)
    await stranger.send_text("收到", chat_id=GROUP_ID)
    await staff.send_sticker(chat_id=GROUP_ID)
    # One chat's updates are handled in order: once this is answered, the four above were handled.
    await say(staff, "/inforeport 2026-0001", "请在与我的私聊中", chat_id=GROUP_ID)
    await bot.drain_outbox()
    assert bot_messages_in_group() == before + 1 and town.groups() == []

    # in a private chat: how to do it, and what is bound
    msg = await say(director, "/bindgroup", "把我拉进党委工作群", "还没有登记党委工作群")
    assert msg.buttons == []
    await say(staff, "/bindgroup", "只有系统管理员或中心主任")
    await say(director, "/unbindgroup", "在该群里发送 /unbindgroup")

    # the director binds the group from inside it; binding again just keeps it
    await say(director, "/bindgroup", "本群「镇党委工作群」已登记为党委工作群", chat_id=GROUP_ID)
    await say(director, f"/bindgroup@{BOT_USERNAME}", "已登记为党委工作群", chat_id=GROUP_ID)
    assert town.groups() == [(GROUP_ID, "镇党委工作群")]
    await say(staff, "/unbindgroup", "只有系统管理员或中心主任", chat_id=GROUP_ID)
    assert town.groups() == [(GROUP_ID, "镇党委工作群")]

    # unbinding by the button in the private chat, then by the command in the group
    msg = await say(director, "/bindgroup", "已登记的党委工作群：镇党委工作群")
    msg = await tap(director, msg, "解除「镇党委工作群」", "「镇党委工作群」已解除登记", "还没有登记党委工作群")
    assert town.groups() == []
    await say(director, "/bindgroup", "已登记为党委工作群", chat_id=GROUP_ID)
    await say(director, "/unbindgroup", "已解除", chat_id=GROUP_ID)
    await say(director, "/unbindgroup", "没有登记过", chat_id=GROUP_ID)
    assert town.groups() == []
    with bot.db.session() as s:
        acts = [e.action for e in s.exec(select(AuditEvent).where(AuditEvent.subject_type == "group_chat"))]
    assert acts == ["group.bind", "group.bind", "group.unbind", "group.bind", "group.unbind"]


async def test_staff_refused_unbind_button(bot, town):
    """A forged unbind button from someone who may not: the service's reason, the group stays."""
    director, staff = town.users[DIRECTOR], town.users[STAFF]
    bot.emu.group(GROUP_ID, "镇党委工作群", members=[director])
    await say(director, "/bindgroup", "已登记为党委工作群", chat_id=GROUP_ID)
    msg = await say(staff, "/inforeport", "/inforeport 事项编号")
    assert "系统管理员或中心主任" in await forged(bot, staff, msg, f"grp:u:{GROUP_ID}")
    assert town.groups() == [(GROUP_ID, "镇党委工作群")]


async def test_a_long_report_is_shown_in_one_message(bot, town):
    grid = town.users[GRID]
    ref, rid = town.major_event()
    for field in ("cause", "course", "losses", "scope", "measures"):
        bot.db.call(info_reports.save_field, actor_id=town.grid_worker, report_id=rid, field=field, value="情" * 1000)
    bot.db.call(info_reports.save_field, actor_id=town.grid_worker, report_id=rid, field="occurred", value="8:40")
    listing = await open_list(grid, ref.number)
    view = await tap(grid, listing, "📝 填写初报", "信息报告·初报", "内容较长")
    assert len(view.plain_text) < 4096 and "✅ 已采取措施" in view.buttons
    # as one message it could not be delivered: the service refuses it with the reason
    answer = await forged(bot, grid, view, f"ir:s:{rid}")
    assert "超过一条消息的上限" in answer and town.report_keys(rid) == set()


async def test_confidential_report_reaches_the_group_only_as_one_line(bot, town):
    """信息报告制度 四: a confidential case's report goes to the entitled people one by one, in private
    chats, protected from forwarding; the party committee's group only learns that one was sent."""
    assert sender_running(bot)
    director, secretary = town.users[DIRECTOR], town.users[SECRETARY]
    bot.emu.group(GROUP_ID, "镇党委工作群", members=[director, secretary, town.users[STAFF]])
    await say(director, "/bindgroup", "已登记为党委工作群", chat_id=GROUP_ID)
    for user in (director, secretary):  # both have opened their private chats
        await say(user, "/inforeport", "/inforeport 事项编号")
    ref, rid = town.major_event(town.secret)
    for field, value in (("occurred", "今天 8:40"), ("cause", "境外势力煽动"), ("course", "散发传单"),
                         ("measures", "派出所已到场")):
        bot.db.call(info_reports.save_field, actor_id=town.director, report_id=rid, field=field, value=value)

    listing = await open_list(director, ref.number)
    view = await tap(director, listing, "📝 填写初报", "信息报告·初报")
    await tap(director, view, "📤 报送", "初报已报送")

    line = await bot.emu.world.wait_until(
        lambda: next((m for m in bot.emu.chat_messages(GROUP_ID) if m.from_bot and "保密" in m.plain_text), None),
        timeout=5)
    full = await secretary.wait_for_message(predicate=has("信息报告·初报", "境外势力煽动"), timeout=5)
    assert full.protected and full.chat_id == SECRETARY  # private chat
    await bot.settle(0.5)
    in_group = [m.plain_text for m in bot.emu.chat_messages(GROUP_ID) if m.from_bot and "已登记" not in m.plain_text]
    assert in_group == [line.plain_text] and "\n" not in line.plain_text.strip()
    for secret in (ref.number, "境外势力煽动", "散发传单", "东山村", "三股势力"):
        assert secret not in line.plain_text, secret
    assert line.protected
    with bot.db.session() as s:
        rows = {o.key: o for o in s.exec(select(Outbox).where(Outbox.key.like(f"info:{rid}:%")))}
    assert rows[f"info:{rid}:p{town.secretary}"].protect and f"info:{rid}:p{town.director}" not in rows  # the sender
    assert "境外势力煽动" not in rows[f"info:{rid}:g{GROUP_ID}"].text



async def test_the_reporter_of_a_confidential_case_fills_its_report(bot, town):
    """A grid worker who reported a 三股势力 case opens it and its 信息报告 (they are asked to fill it);
    another grid worker is still refused."""
    grid, other = town.users[GRID], town.users[OTHER_GRID]
    ref, rid = town.major_event(town.secret)
    listing = await open_list(grid, ref.number)
    view = await tap(grid, listing, "📝 填写初报", "信息报告·初报")
    view = await fill(grid, view, "❗ 起因和性质", "可疑人员散发传单")
    assert town.report(rid).fields["cause"] == "可疑人员散发传单"
    assert "无权查看" in (await say(other, f"/inforeport {ref.number}", "无权")).plain_text


# --- the card's 「📄 信息报告（N）」, /inforeport without a number, the 终报 chase -------------------

FILLED = {"occurred": "今天 8:40", "cause": "征地补偿有分歧", "course": "约 30 人聚集，情绪稳定", "measures": "联系点领导已到场"}


def submit_filled(bot, actor: int, report_id: int) -> None:
    """Fill a report's required fields and submit it (报送) as `actor`, through the services."""
    for field, value in FILLED.items():
        bot.db.call(info_reports.save_field, actor_id=actor, report_id=report_id, field=field, value=value)
    bot.db.call(info_reports.submit_report, actor_id=actor, report_id=report_id, now=bot.clock.now())


def next_report(bot, actor: int, case_id: int, kind: InfoReportKind) -> int:
    return bot.db.call(info_reports.start_next, actor_id=actor, case_id=case_id, kind=kind, now=bot.clock.now()).id


async def open_card(user, number: str):
    return await say(user, f"/case {number}", f"📋 事项 {number}")


async def test_card_button_opens_the_reports_and_comes_back(bot, town):
    grid, staff = town.users[GRID], town.users[STAFF]
    ref, rid = town.major_event()
    plain = town.submit(actor=town.grid_worker)  # 邻里纠纷: no information report

    card = await open_card(grid, ref.number)
    assert "📄 信息报告（1）" in card.buttons
    listing = await tap(grid, card, "📄 信息报告（1）", f"事项 {ref.number} 的信息报告", "1. 初报 · 填写中")
    assert listing.message_id == card.message_id  # in place of the card
    assert listing.buttons == ["📝 填写初报", "« 返回事项"]
    card = await tap(grid, listing, "« 返回事项", f"📋 事项 {ref.number}")
    assert "📄 信息报告（1）" in card.buttons

    # the report's own « 本事项的全部报告 leads to the same list, and from there back to the card
    submit_filled(bot, town.grid_worker, rid)
    next_report(bot, town.staff, ref.id, InfoReportKind.follow_up)
    card = await open_card(staff, ref.number)
    listing = await tap(staff, card, "📄 信息报告（2）", "1. 初报 · 已报送", "2. 续报 · 填写中")
    view = await tap(staff, listing, "📝 填写续报", "信息报告·续报（第 2 报）")
    listing = await tap(staff, view, "« 本事项的全部报告", f"事项 {ref.number} 的信息报告")
    await tap(staff, listing, "« 返回事项", f"📋 事项 {ref.number}")

    card = await open_card(grid, plain.number)
    assert not any("信息报告" in b for b in card.buttons)


async def test_the_card_counts_only_the_reports_the_viewer_may_read(bot, town):
    """A confidential case's reporter reads the reports asked of them or sent by them, not those
    others sent (信息报告制度 四): their card counts and lists only those; nothing about the others."""
    grid, director, other = town.users[GRID], town.users[DIRECTOR], town.users[OTHER_GRID]
    ref, rid = town.major_event(town.secret)
    submit_filled(bot, town.grid_worker, rid)  # the 初报, by the reporter
    follow = next_report(bot, town.director, ref.id, InfoReportKind.follow_up)
    submit_filled(bot, town.director, follow)  # a 续报, by the director

    card = await open_card(director, ref.number)
    assert "📄 信息报告（2）" in card.buttons
    card = await open_card(grid, ref.number)
    assert texts.CARD_REPORTER_VIEW in card.plain_text
    assert "📄 信息报告（1）" in card.buttons and "📄 信息报告（2）" not in card.buttons
    listing = await tap(grid, card, "📄 信息报告（1）", f"事项 {ref.number} 的信息报告")
    assert "1. 初报 · 已报送" in listing.plain_text and "续报" not in listing.plain_text
    assert "➕ 续报" not in listing.buttons and "🏁 终报" not in listing.buttons
    assert "无权查看" in (await say(other, f"/case {ref.number}", "无权")).plain_text

    # the reporter of a case whose every report others sent: no button, no count at all
    ref2, rid2 = town.major_event(town.secret)
    submit_filled(bot, town.director, rid2)
    card = await open_card(grid, ref2.number)
    assert not any("信息报告" in b for b in card.buttons)
    assert "无权查看" in await forged(bot, grid, card, f"ir:v:{rid2}")


async def test_inforeport_lists_what_waits_for_the_person(bot, town):
    """Drafts they may write, the 初报 with the soonest due time first; then open cases whose 终报 is
    missing; never a case they may not see; nothing finished."""
    grid, staff, director, other = (town.users[t] for t in (GRID, STAFF, DIRECTOR, OTHER_GRID))
    late_due, _ = town.major_event()  # 初报 due 09:30
    bot.clock.advance(timedelta(minutes=-10))
    soon_due, _ = town.major_event()  # 初报 due 09:20: listed before the one due 09:30
    bot.clock.advance(timedelta(minutes=10))
    follow_up, rid = town.major_event()  # 初报 sent; its 续报 being written: a draft with no due time
    submit_filled(bot, town.grid_worker, rid)
    next_report(bot, town.staff, follow_up.id, InfoReportKind.follow_up)
    waiting, rid = town.major_event()  # 初报 sent, the case still open: its 终报 is missing
    submit_filled(bot, town.grid_worker, rid)
    done, rid = town.major_event()  # 初报 and 终报 sent: nothing to do
    submit_filled(bot, town.grid_worker, rid)
    bot.db.call(info_reports.submit_report, actor_id=town.staff, now=bot.clock.now(),
                report_id=next_report(bot, town.staff, done.id, InfoReportKind.final))
    secret, rid = town.major_event(town.secret)  # confidential: not for 孙丽, who is not assigned to it
    submit_filled(bot, town.director, rid)

    msg = await say(staff, "/inforeport", "需要您处理的信息报告")
    lines = [ln for ln in msg.plain_text.split("\n") if ln[:1].isdigit()]
    assert lines == [f"1. {soon_due.number} 初报 · 填写中，11-30 09:20 前报送",
                     f"2. {late_due.number} 初报 · 填写中，11-30 09:30 前报送",
                     f"3. {follow_up.number} 续报 · 填写中",
                     f"4. {waiting.number} 已报初报（第 1 报，11-30 09:00）· 还缺终报"]
    assert msg.buttons == [f"📝 {soon_due.number} 初报", f"📝 {late_due.number} 初报", f"📝 {follow_up.number} 续报",
                           f"🏁 {waiting.number} 续报/终报"]
    assert done.number not in msg.plain_text and secret.number not in msg.plain_text
    # each button opens the report, or the case's list with 续报/终报
    view = await tap(staff, msg, f"📝 {soon_due.number} 初报", "信息报告·初报（第 1 报）", soon_due.number)
    assert "📤 报送" in view.buttons
    msg = await say(staff, "/inforeport", "需要您处理的信息报告")
    listing = await tap(staff, msg, f"🏁 {waiting.number} 续报/终报", f"事项 {waiting.number} 的信息报告")
    assert {"➕ 续报", "🏁 终报", "« 返回事项"} <= set(listing.buttons)

    # the director sees the confidential case too; the grid worker only what they reported
    msg = await say(director, "/inforeport", "需要您处理的信息报告")
    assert f"🏁 {secret.number} 续报/终报" in msg.buttons
    msg = await say(grid, "/inforeport", "需要您处理的信息报告")
    assert secret.number not in msg.plain_text  # others sent its reports: the staff write the next one
    assert f"📝 {soon_due.number} 初报" in msg.buttons

    # a grid worker who reported nothing of it sees none of it: how reports start, and the number form
    msg = await say(other, "/inforeport", "目前没有需要您填写的信息报告")
    assert "群体性事件苗头" in msg.plain_text and "/inforeport 事项编号" in msg.plain_text
    assert msg.buttons == []
    for case in (soon_due, late_due, follow_up, waiting, done, secret):
        assert case.number not in msg.plain_text


async def test_a_case_resolved_without_its_final_report_is_chased_once(bot, town):
    """办结 with the 终报 missing: the reporter and the director are told once, with a button that
    opens the latest report; a case whose 终报 was sent is not chased."""
    grid, director = town.users[GRID], town.users[DIRECTOR]
    for user in (grid, director, town.users[STAFF]):
        await say(user, "/inforeport", "/inforeport 事项编号")  # their chats are open
    ref, rid = town.major_event()
    submit_filled(bot, town.grid_worker, rid)
    finished, frid = town.major_event()
    submit_filled(bot, town.grid_worker, frid)
    bot.db.call(info_reports.submit_report, actor_id=town.staff, now=bot.clock.now(),
                report_id=next_report(bot, town.staff, finished.id, InfoReportKind.final))
    for case_id in (ref.id, finished.id):
        town.do(cases.accept, town.staff, case_id)
        town.do(cases.resolve, town.staff, case_id, outcome=Outcome.mediated, agreement=None, summary="已化解")

    await sweep_all(bot.app)
    await sweep_all(bot.app)  # a second run (or a restart) sends nothing more
    assert chase_keys(bot) == [f"info:c{ref.id}:final:p{town.director}", f"info:c{ref.id}:final:p{town.grid_worker}"]
    # reopened (the party not satisfied) and resolved again: never a second message
    town.do(cases.record_reply, town.staff, ref.id, method=ReplyMethod.phone, replied_at=bot.clock.now())
    town.do(cases.record_satisfaction, town.staff, ref.id, level=Satisfaction.dissatisfied)
    town.do(cases.resolve, town.staff, ref.id, outcome=Outcome.mediated, agreement=None, summary="再次化解")
    await sweep_all(bot.app)
    assert len(chase_keys(bot)) == 2

    chase = await grid.wait_for_message(predicate=has(ref.number, "还没有终报"), timeout=5)
    assert "已办结" in chase.plain_text and chase.buttons == ["📄 打开最近一报"]
    await director.wait_for_message(predicate=has(ref.number, "还没有终报"), timeout=5)
    view = await tap(grid, chase, "📄 打开最近一报", "信息报告·初报（第 1 报）", "已于")
    view = await tap(grid, view, "🏁 终报", "已新建终报")
    await tap(grid, view, "📤 报送", "终报已报送")
    await sweep_all(bot.app)
    assert len(chase_keys(bot)) == 2


def chase_keys(bot) -> list[str]:
    """The outbox keys of the 终报 chases (info_reports.sweep_final), sorted."""
    with bot.db.session() as s:
        return sorted(s.exec(select(Outbox.key).where(Outbox.key.like("info:c%"))))
