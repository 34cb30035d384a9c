"""/visit (首问责任制) through the real bot and the emulator, as the people at the center use it."""

from datetime import UTC, datetime

import pytest
from sqlmodel import col, select

from bot.services import cases, people
from models import Attachment, Case, CaseParty, CaseStatus, Outbox, Role, Severity, Source
from tests.bot.harness import press, say
from tests.bot.steps import make_places

VALID_ID = "11010519491231002X"
STAFF, STAFF2, GRID, UNIT, LEADER = 3001, 3002, 3003, 3004, 3005


@pytest.fixture
async def center(bot, director):
    """A village and its people; returns the staff member who receives the visitor."""
    village, grid, unit = await make_places(bot)
    now = bot.clock.now()
    with bot.db.session() as s:
        mk = lambda tid, name, roles, **kw: people.create_person(  # noqa: E731
            s, name=name, phone=None, roles=roles, telegram_id=tid, now=now, **kw
        ).id
        ids = {
            "staff": mk(STAFF, "孙丽", {Role.staff}),
            "staff2": mk(STAFF2, "周明", {Role.staff}),
            "grid": mk(GRID, "张网格", {Role.grid}, village_id=village.id, grid_id=grid.id),
            "unit": mk(UNIT, "司法所老李", {Role.unit}, unit_id=unit.id),
            "leader": mk(LEADER, "刘领导", {Role.leader}),
        }
    bot.db.call(people.toggle_contact_point, actor_id=1, person_id=ids["leader"], village_id=village.id, now=now)
    return {**ids, "village": village.id, "user": bot.user(STAFF, "孙丽")}


def _cases(bot) -> list[Case]:
    with bot.db.session() as s:
        return list(s.exec(select(Case).order_by(col(Case.id))))


def _callback_data(msg) -> list[str]:
    markup = msg.current.inline_markup or {"inline_keyboard": []}
    return [b["callback_data"] for row in markup["inline_keyboard"] for b in row]


async def _party(user, *, source="来访", name="赵大", phone: str | None = "138-0013-8000",
                 id_number: str | None = VALID_ID):
    """/visit → source → name → phone → ID number; returns the request prompt."""
    msg = await say(user, "/visit")
    assert "第 1 步" in msg.plain_text and "来访" in msg.buttons and "部门移送" in msg.buttons
    msg = await press(user, msg, source)
    assert "请输入当事人" in msg.plain_text
    msg = await say(user, name)
    assert "联系电话" in msg.plain_text and msg.buttons == ["跳过"]
    msg = await (say(user, phone) if phone else press(user, msg, "跳过"))
    assert "身份证号" in msg.plain_text
    msg = await (say(user, id_number) if id_number else press(user, msg, "跳过"))
    assert "诉求" in msg.plain_text
    return msg


async def test_in_scope_visit_is_registered_and_accepted_by_the_first_inquiry_person(bot, center):
    user = center["user"]
    await _party(user, name="赵<大>")
    msg = await say(user, "邻居的围墙挡住了排水沟，要求拆除")
    assert "请选择事项类别" in msg.plain_text
    msg = await press(user, msg, "矛盾纠纷")
    assert "邻里纠纷" in msg.buttons and "« 返回类别" in msg.buttons
    msg = await press(user, msg, "« 返回类别")
    msg = await press(user, msg, "矛盾纠纷")
    msg = await press(user, msg, "邻里纠纷")
    assert "哪个村" in msg.plain_text and msg.buttons == ["东山村", "不涉及具体村"]
    msg = await press(user, msg, "东山村")
    assert "属于中心职责吗" in msg.plain_text
    msg = await press(user, msg, "✅ 在职责范围内")
    assert "3 个工作日" in msg.plain_text and "重大疑难" in msg.plain_text
    assert msg.buttons == ["一般（建议）", "复杂", "重大疑难"]
    summary = await press(user, msg, "一般（建议）")
    text = summary.plain_text
    for part in ("来源：来访", "当事人：赵<大>", "电话：13800138000", "1101**********002X",
                 "要求拆除", "矛盾纠纷·邻里纠纷", "村（社区）：东山村", "在职责范围内｜紧急程度：一般"):
        assert part in text, part
    assert VALID_ID not in text
    done = await press(user, summary, "✅ 确认登记")
    assert "事项 2026-0001 已登记" in done.plain_text and "首问责任人" in done.plain_text
    [case] = _cases(bot)
    assert _callback_data(done) == [f"case:v:{case.id}"] and done.buttons == ["查看事项"]
    assert case.status == CaseStatus.accepted and case.source == Source.visit
    assert case.first_inquiry_id == center["staff"] == case.reporter_id
    assert case.request == "邻居的围墙挡住了排水沟，要求拆除" and case.village_id == center["village"]
    with bot.db.session() as s:
        party = s.exec(select(CaseParty).where(CaseParty.case_id == case.id)).one()
    assert (party.name, party.phone, party.id_number) == ("赵<大>", "13800138000", VALID_ID)
    # The village's contact-point leader is told (through the outbox); the draft is gone.
    with bot.db.session() as s:
        told = s.exec(select(Outbox.text).where(Outbox.chat_id == LEADER)).all()
    # The outbox holds the HTML as sent: the typed "<" escaped, or Telegram would refuse the message.
    assert any("2026-0001" in t and "来访：赵&lt;大&gt;反映矛盾纠纷·邻里纠纷" in t for t in told), told
    assert "第 1 步" in (await say(user, "/visit")).plain_text  # a fresh start, not "continue"


async def test_out_of_scope_visit_is_recorded_with_guidance_and_counted(bot, center):
    user = center["user"]
    msg = await _party(user, source="来电", phone=None, id_number=None)
    msg = await say(user, "想办理宅基地不动产登记")
    msg = await press(user, msg, "其他")  # a category with one type goes straight on
    msg = await press(user, msg, "不涉及具体村")
    msg = await press(user, msg, "↪️ 不属于中心职责")
    assert "到哪个部门、带什么材料" in msg.plain_text
    assert "最多 500 字" in (await say(user, "请" * 501)).plain_text
    summary = await say(user, "请到县不动产登记中心办理，带身份证、户口簿和宅基地批准文件")
    text = summary.plain_text
    assert "来源：来电" in text and "电话：未提供" in text and "身份证号：未提供" in text
    assert "职责：不属于中心职责" in text and "告知：请到县不动产登记中心办理" in text
    done = await press(user, summary, "✅ 确认登记")
    assert "已记录，编号 2026-0001" in done.plain_text and done.buttons == []
    assert "统计" not in done.plain_text  # no statistic exists yet: promise none
    [case] = _cases(bot)
    assert case.status == CaseStatus.out_of_scope and case.source == Source.call
    assert case.guidance == "请到县不动产登记中心办理，带身份证、户口簿和宅基地批准文件"
    assert case.first_inquiry_id == center["staff"] and case.village_id is None
    assert case.request == "想办理宅基地不动产登记"
    assert bot.db.call(cases.count_out_of_scope, since=datetime(2026, 11, 1, tzinfo=UTC)) == 1


async def test_cancel_at_any_step_leaves_nothing(bot, center):
    user = center["user"]
    await _party(user)
    assert "已取消来访登记" in (await say(user, "/cancel")).plain_text
    assert "当前没有进行中的操作" in (await say(user, "/cancel")).plain_text  # the conversation really ended
    msg = await _party(user, phone=None, id_number=None)  # starts afresh
    msg = await say(user, "诉求")
    msg = await press(user, msg, "其他")
    msg = await press(user, msg, "东山村")
    msg = await press(user, msg, "✅ 在职责范围内")
    summary = await press(user, msg, "复杂")
    done = await press(user, summary, "✖️ 取消")
    assert "已取消来访登记" in done.plain_text
    assert _cases(bot) == []
    cq = await user.press(done, data="vs:ok")  # the old confirm button after cancelling
    assert "失效" in (await user.wait_for_callback_answer(cq)).text
    assert _cases(bot) == []


async def test_wrong_types_get_hints_at_every_step(bot, center):
    user = center["user"]
    await say(user, "/visit")
    await user.send_sticker()
    msg = await user.wait_for_message()
    assert "请点按钮选择" in msg.plain_text and "来访" in msg.buttons
    msg = await press(user, msg, "来访")
    await user.send_sticker()
    assert "需要文字：请输入当事人姓名" in (await user.wait_for_message()).plain_text
    assert "最多 40 字" in (await say(user, "李" * 41)).plain_text
    await say(user, "钱多多")
    await user.send_photo(b"\x89PNG")
    msg = await user.wait_for_message()
    assert "请输入电话号码" in msg.plain_text and msg.buttons == ["跳过"]
    msg = await say(user, "12ab")
    assert "电话号码格式不对" in msg.plain_text and msg.buttons == ["跳过"]
    assert "身份证号" in (await say(user, "+86 139-1234-5678")).plain_text
    await user.send_location(30.1, 120.2)
    assert "18 位身份证号" in (await user.wait_for_message()).plain_text
    msg = await say(user, "我不知道")
    msg = await press(user, msg, "跳过")
    await user.send_sticker()
    assert "用文字写明诉求，或发一段语音" in (await user.wait_for_message()).plain_text
    await user.send_video(b"video")
    assert "用文字写明诉求" in (await user.wait_for_message()).plain_text
    await user.send_document(b"x", filename="letter.pdf", mime_type="application/pdf")  # not an import
    assert "用文字写明诉求" in (await user.wait_for_message()).plain_text
    assert "最多 2000 字" in (await say(user, "长" * 2001)).plain_text
    msg = await say(user, "长" * 2000)
    assert "请选择事项类别" in msg.plain_text
    msg = await say(user, "邻里纠纷")  # typed instead of pressed
    assert "请点按钮选择" in msg.plain_text and "矛盾纠纷" in msg.buttons
    msg = await press(user, msg, "群体性事件苗头")
    await user.send_sticker()
    msg = await user.wait_for_message()
    assert "请点按钮选择" in msg.plain_text and "不涉及具体村" in msg.buttons
    msg = await press(user, msg, "东山村")
    msg = await say(user, "是")
    assert "请点按钮选择" in msg.plain_text and "✅ 在职责范围内" in msg.buttons
    msg = await press(user, msg, "✅ 在职责范围内")
    assert "重大疑难（建议）" in msg.buttons  # the type's default severity is suggested
    summary = await press(user, msg, "重大疑难（建议）")
    assert "电话：13912345678" in summary.plain_text
    msg = await say(user, "确认")
    assert "请点按钮选择" in msg.plain_text and "✅ 确认登记" in msg.buttons
    done = await press(user, msg, "✅ 确认登记")
    assert "已登记" in done.plain_text
    [case] = _cases(bot)
    assert case.severity == Severity.major and case.urgent and len(case.request) == 2000


async def test_bad_id_numbers_are_refused_and_asked_again(bot, center):
    user = center["user"]
    msg = await say(user, "/visit")
    msg = await press(user, msg, "来信")
    await say(user, "吴二")
    await say(user, "13800138000")
    for bad, reason in (("12345", "18 位"), ("110105194913310026", "出生日期"), ("110105194912310021", "校验位")):
        msg = await say(user, bad)
        assert reason in msg.plain_text and msg.buttons == ["跳过"], bad
    msg = await say(user, "110105194912310021".replace("0021", "002x"))  # a lower-case x is fine
    assert "诉求" in msg.plain_text
    msg = await say(user, "邻里矛盾")
    msg = await press(user, msg, "矛盾纠纷")
    msg = await press(user, msg, "邻里纠纷")
    msg = await press(user, msg, "东山村")
    msg = await press(user, msg, "✅ 在职责范围内")
    summary = await press(user, msg, "一般（建议）")
    await press(user, summary, "✅ 确认登记")
    [case] = _cases(bot)
    with bot.db.session() as s:
        assert s.exec(select(CaseParty.id_number).where(CaseParty.case_id == case.id)).one() == VALID_ID


async def test_restart_in_the_middle_keeps_the_draft(bot, center):
    user = center["user"]
    await _party(user, source="来信", id_number=None)
    await user.send_voice(b"OggS-voice", duration=7)
    msg = await user.wait_for_message()
    assert "请选择事项类别" in msg.plain_text
    await bot.settle()
    await bot.restart()
    msg = await press(user, msg, "矛盾纠纷")  # a button from before the restart still works
    msg = await press(user, msg, "邻里纠纷")
    await bot.restart()
    msg = await press(user, msg, "东山村")
    msg = await press(user, msg, "✅ 在职责范围内")
    summary = await press(user, msg, "复杂")
    assert "当事人：赵大" in summary.plain_text and "🎤 语音（7 秒）" in summary.plain_text
    done = await press(user, summary, "✅ 确认登记")
    assert "2026-0001" in done.plain_text
    [case] = _cases(bot)
    assert case.source == Source.letter and case.status == CaseStatus.accepted and case.severity == Severity.complex
    with bot.db.session() as s:
        assert s.exec(select(Attachment.kind).where(Attachment.case_id == case.id)).all() == ["voice"]
        assert s.exec(select(CaseParty.phone).where(CaseParty.case_id == case.id)).one() == "13800138000"


async def test_timeout_keeps_the_draft_and_visit_offers_to_continue(bot, center):
    user = center["user"]
    msg = await say(user, "/visit")
    msg = await press(user, msg, "来访")
    await say(user, "郑七")
    assert await bot.expire_conversations() == 1
    paused = await user.wait_for_message()
    assert "已暂停" in paused.plain_text and "/visit" in paused.plain_text
    msg = await say(user, "/visit")
    assert "未完成的来访登记（郑七）" in msg.plain_text
    msg = await press(user, msg, "▶️ 继续填写")
    assert "联系电话" in msg.plain_text  # straight back to the step after the name
    msg = await press(user, msg, "跳过")
    assert "身份证号" in msg.plain_text
    assert await bot.expire_conversations() == 1
    paused = await user.wait_for_message()
    assert "已暂停" in paused.plain_text
    msg = await say(user, "/visit")
    msg = await press(user, msg, "🔄 重新开始")
    assert "第 1 步" in msg.plain_text
    assert "已取消" in (await say(user, "/cancel")).plain_text


@pytest.mark.parametrize("who", [GRID, UNIT])
async def test_grid_workers_and_unit_contacts_are_refused(bot, center, who):
    user = bot.user(who, "某人")
    assert "没有权限" in (await say(user, "/visit")).plain_text
    assert "当前没有进行中的操作" in (await say(user, "/cancel")).plain_text  # no conversation was started
    assert _cases(bot) == []


async def test_forged_visit_buttons_are_refused(bot, center):
    user = center["user"]
    msg = await _party(user)
    msg = await say(user, "诉求")
    # forged ids on the staff member's own steps: told, and the step stays as it was
    cq = await user.press(msg, data="vs:c:999999")
    assert "失效" in (await user.wait_for_callback_answer(cq)).text
    msg = await press(user, msg, "矛盾纠纷")
    cq = await user.press(msg, data="vs:t:abc")
    assert "失效" in (await user.wait_for_callback_answer(cq)).text
    msg = await press(user, msg, "邻里纠纷")
    cq = await user.press(msg, data="vs:v:999999")
    assert "没有找到" in (await user.wait_for_callback_answer(cq)).text
    cq = await user.press(msg, data="vs:ok")  # confirm before the steps are done
    assert "失效" in (await user.wait_for_callback_answer(cq)).text
    msg = await press(user, msg, "东山村")
    msg = await press(user, msg, "✅ 在职责范围内")
    cq = await user.press(msg, data="vs:sev:extreme")
    assert "失效" in (await user.wait_for_callback_answer(cq)).text
    summary = await press(user, msg, "一般（建议）")
    # other people press forged vs: buttons: a grid worker is refused, another staff member has no visit
    grid_worker, other = bot.user(GRID, "张网格"), bot.user(STAFF2, "周明")
    for person, answer in ((grid_worker, "没有权限"), (other, "失效")):
        own = await say(person, "/help")
        for data in ("vs:ok", "vs:in", "vs:s:visit"):
            cq = await person.press(own, data=data)
            assert answer in (await person.wait_for_callback_answer(cq)).text, (person, data)
    assert _cases(bot) == []
    await press(user, summary, "✅ 确认登记")
    [case] = _cases(bot)
    assert case.first_inquiry_id == center["staff"] and case.status == CaseStatus.accepted


async def test_a_role_taken_away_mid_visit_stops_it_and_drops_the_draft(bot, center, director):
    user = center["user"]
    await _party(user)
    bot.db.call(people.set_roles, actor_id=1, person_id=center["staff"], roles={Role.grid}, now=bot.clock.now())
    assert "没有权限" in (await say(user, "诉求")).plain_text
    bot.db.call(people.set_roles, actor_id=1, person_id=center["staff"], roles={Role.staff}, now=bot.clock.now())
    assert "第 1 步" in (await say(user, "/visit")).plain_text  # nothing left of the visitor's data
    assert _cases(bot) == []
