"""A 督办通知书 to a person (承办人员) through the real bot: the director picks 「承办人员」 in the
/supervise picker, the person gets the notice and its .docx and has a unit contact's buttons; nobody
of any unit may touch it. People and the case are set up through the services (tests/bot/towns.py)."""

import io

from docx import Document

from bot import texts
from bot.callbacks import DirectorPerson
from models import Case
from tests.bot.steps import button_starting, card_of, has, tap, toast, type_in

DIRECTOR, STAFF, UNIT, POLICE = 1, 4, 7, 10
NUMBER = "综治〔2026〕1号"


async def test_the_director_picks_a_person_who_signs_and_works_it_alone(bot, center):
    director, staff, unit = center.users[DIRECTOR], center.users[STAFF], center.users[UNIT]
    await type_in(director, "/supervise", "请输入要督办的事项编号")
    units = await type_in(director, "2026-1", "督办事项 2026-0001", "请选择承办单位")
    people = await tap(director, units, "👤 承办人员", "请选择承办人员")
    assert people.message_id == units.message_id  # the same message, the other list
    assert people.buttons == ["🏢 承办单位", "• 👤 承办人员", "刘领导 · 中心领导", "孙丽 · 中心工作人员",
                              "周明 · 中心工作人员", "司法所老李 · 镇司法所", "派出所小王 · 镇派出所", "取消"]
    # Typed names are looked up among the same people; a forged or stale button is answered.
    await type_in(director, "张网格", "没有找到承办单位或承办人员「张网格」", "请点按钮选择承办人员")
    pressed = [b["callback_data"] for row in people.current.inline_markup["inline_keyboard"] for b in row]
    person = DirectorPerson.parse(next(d for d in pressed if d.startswith("svd:") and ":p:" in d))
    forged = DirectorPerson(person.draft, center.w.grid_worker).pack()  # a grid worker is never a 承办人员
    assert await toast(director, people, data=forged) == texts.SV_ASSIGNEE_GONE
    due = await tap(director, people, "孙丽 · 中心工作人员", "承办人员：孙丽", "请选择办理期限")
    level = await tap(director, due, button_starting(due, "+5个工作日"), "督办级别和来源")
    await tap(director, level, "下一步 ▶", "请输入督办要求")
    await type_in(director, "请于期限前约谈双方并书面反馈", "请输入反馈要求")
    cc = await type_in(director, "请每两个工作日反馈一次", "需要抄送")
    assert "孙丽" not in cc.buttons  # the 承办人员 is not also a 抄送
    preview = await tap(director, cc, "不抄送", "督办通知书预览")
    assert "承办人员：孙丽" in preview.plain_text and "联络人" not in preview.plain_text
    done = await tap(director, preview, "✅ 确认下达", f"✅ 已下达督办通知书 {NUMBER}")
    assert "承办人员：孙丽（已通知本人签收）" in done.plain_text
    (notice,) = center.notices()
    assert (notice.unit_id, notice.assignee_id) == (None, center.w.staff)

    note = await staff.wait_for_message(predicate=has(NUMBER, "请点「签收」"))
    assert note.buttons == ["✍️ 签收", "查看督办"]
    document = await staff.wait_for_message(predicate=lambda m: m.kind == "document")
    lines = [p.text for p in Document(io.BytesIO(document.file_bytes())).paragraphs if p.text.strip()]
    assert "孙丽同志：" in lines

    # The case's unit, another unit: no button of theirs works, and they cannot open it.
    for other in (UNIT, POLICE):
        user = center.users[other]
        assert "承办人员本人" in await toast(user, user.last_message(), data=f"sv:sign:{notice.id}")
        assert "无权查看" in await toast(user, user.last_message(), data=f"sv:view:{notice.id}")
    listing = await type_in(unit, "/supervisions", "督办通知书")
    assert not any(NUMBER in b for b in listing.buttons)

    await staff.press(note, "✍️ 签收")
    card = await staff.wait_for_message(predicate=card_of(NUMBER, "✍️ 已签收"))
    assert "承办人员：孙丽" in card.plain_text
    assert card.buttons == ["📝 报送进展", "🏁 报送办理结果", "🙋 请示中心领导", "查看事项", "📄 通知书", "🔄 刷新"]
    await director.wait_for_message(predicate=has(f"承办人员 孙丽 已签收督办通知书 {NUMBER}"))
    await tap(staff, card, "📝 报送进展", "请输入进展")
    got = await type_in(staff, "已约谈双方当事人", "文字 1 段")
    await tap(staff, got, "✅ 完成", "✅ 已报送进展")
    await director.wait_for_message(predicate=has(f"承办人员 孙丽 报送督办通知书 {NUMBER} 的进展", "已约谈双方当事人"))
    mine = await type_in(staff, "/supervisions", "督办通知书")
    assert [b for b in mine.buttons if "〔2026〕" in b] == [f"📮 {NUMBER} 孙丽 · 12月07日 17:30"]


async def test_the_one_line_command_takes_a_person_by_name(bot, center):
    director = center.users[DIRECTOR]
    preview = await type_in(director, "/supervise 2026-0001 周明 2026-12-10 请约谈双方", "督办通知书预览")
    assert "承办人员：周明" in preview.plain_text
    await tap(director, preview, "✅ 确认下达", "承办人员：周明（已通知本人签收）")
    (notice,) = center.notices()
    assert notice.assignee_id == center.w.staff2 and notice.unit_id is None
    with center.db.session() as s:  # 周明 is staff: the case is now his to handle
        assert s.get(Case, center.case_id).handler_id == center.w.staff2
