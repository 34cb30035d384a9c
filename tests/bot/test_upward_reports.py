"""上报上级 through the real bot and the emulator: the card's button for whoever writes the case's
reports, departments and way by buttons, the optional answer typed (its rules, a restart in the
middle, /cancel, the cancel button, a timeout), forged and stale presses, and the chase's button."""

from sqlmodel import select

from bot import texts
from bot.callbacks import AdminUpperRemove, InfoReportView, UpwardDepartment, UpwardStart
from bot.services import info_reports, intake
from bot.texts import upward as words
from models import Outbox, Severity, UpperDepartment
from tests.bot.steps import forged_is_stale, has, local, open_card, sticker, sweep_at, tap, toast, write
from tests.bot.towns import DIRECTOR, REPORTER, SECRETARY, STAFF, UNIT
from tests.factories import opened

BUTTON = words.CARD_BUTTON
DEPARTMENTS = ["县委政法委", "县综治中心", "县公安局", "县信访局", "县司法局"]


async def major_case(town) -> tuple[int, str]:
    """A 重大疑难 dispute the grid worker reports (as /report registers it); its alerts delivered."""
    found = town.db.call(intake.register_report, actor_id=town.grid_worker,
                         draft=town.draft(severity=Severity.major), now=town.clock.now())
    await town.delivered()
    return found.case.id, found.case.number


async def test_staff_record_a_report_upward_by_buttons_across_a_restart(bot, town):
    await town.greet()
    staff, secretary = town.users[STAFF], town.users[SECRETARY]
    case_id, number = await major_case(town)
    ordinary = town.submit()
    await town.delivered()
    assert BUTTON not in (await open_card(staff, ordinary.number)).buttons  # neither 重大疑难 nor 信息报告
    assert BUTTON not in (await open_card(secretary, number)).buttons  # reads it, does not write its reports

    card = await open_card(staff, number)
    picks = await tap(staff, card, BUTTON, f"📤 事项 {number} 上报上级", "已选：（尚未选择）")
    assert picks.buttons == [*DEPARTMENTS, words.NEXT, words.CANCEL]
    cq = await staff.press(picks, words.NEXT)  # nothing picked yet
    assert (await staff.wait_for_callback_answer(cq)).text == words.NO_DEPARTMENT
    picks = await tap(staff, picks, "县公安局", "已选：县公安局")
    picks = await tap(staff, picks, "县委政法委", "已选：县委政法委、县公安局")  # the list's order
    picks = await tap(staff, picks, "✅ 县公安局", "已选：县委政法委")
    picks = await tap(staff, picks, "县公安局", "已选：县委政法委、县公安局")
    assert await toast(staff, picks, data=UpwardDepartment(case_id, 99).pack()) == words.DEPARTMENT_GONE  # forged
    assert await toast(staff, picks, data=f"upw:d:{case_id}:0") == texts.STALE_BUTTON  # before the list was edited
    ways = await tap(staff, picks, words.NEXT, "请选择报告方式")
    assert ways.buttons == ["电话", "传真", "内网系统", "书面", words.CANCEL]
    asked = await tap(staff, ways, "电话", "如需要，请输入接收人或对方答复")
    assert asked.buttons == [words.SKIP, words.CANCEL]

    await bot.restart()
    assert (await sticker(staff)).plain_text == words.WRONG_TYPE
    assert (await write(staff, "答" * 201)).plain_text == texts.TOO_LONG.format(limit=200)
    card = await write(staff, "县委政法委值班室李科长接报，要求每日续报", "✅ 已记录上报上级：县委政法委、县公安局（电话）")
    assert "已上报：县委政法委、县公安局（电话）11-30 09:00 孙丽；接收/答复：县委政法委值班室李科长接报" in card.plain_text
    assert "上报上级：县委政法委、县公安局（电话）" in card.plain_text  # the history
    assert BUTTON in card.buttons  # a later report upward is recorded the same way
    assert town.actions(case_id)[-1] == "case.report_up"


async def test_skip_cancel_stale_and_forged_presses(bot, town):
    await town.greet()
    staff, unit, grid = town.users[STAFF], town.users[UNIT], town.users[REPORTER]
    case_id, number = await major_case(town)
    card = await open_card(staff, number)

    picks = await tap(staff, card, BUTTON, "上报上级")
    cancelled = await tap(staff, picks, words.CANCEL, words.CANCELLED)  # in place of the step
    assert cancelled.buttons == []
    await forged_is_stale(staff, picks, UpwardDepartment(case_id, 0).pack())  # the flow has ended
    picks = await tap(staff, card, BUTTON, "上报上级")
    await tap(staff, picks, "县信访局", "已选：县信访局")
    assert (await write(staff, "/cancel")).plain_text == words.CANCELLED
    assert "case.report_up" not in town.actions(case_id)

    # Not for a unit contact, nor for a stranger's forged press on a case they cannot see.
    hello = await write(unit, "/help")
    assert await toast(unit, hello, data=UpwardStart(case_id).pack()) == texts.NO_ACCESS

    # The grid worker who reported it writes its reports, so may record one; 「跳过」 leaves no answer.
    card = await open_card(grid, number)
    picks = await tap(grid, card, BUTTON, "上报上级")
    picks = await tap(grid, picks, "县综治中心", "已选：县综治中心")
    ways = await tap(grid, picks, words.NEXT, "请选择报告方式")
    asked = await tap(grid, ways, "内网系统", "如需要")
    card = await tap(grid, asked, words.SKIP, "✅ 已记录上报上级：县综治中心（内网系统）")
    assert "已上报：县综治中心（内网系统）11-30 09:00 张网格" in card.plain_text and "接收/答复" not in card.plain_text


async def test_a_step_left_alone_times_out(bot, town):
    await town.greet()
    staff = town.users[STAFF]
    case_id, number = await major_case(town)
    await tap(staff, await open_card(staff, number), BUTTON, "上报上级")
    assert await bot.expire_conversations() == 1
    await staff.wait_for_message(predicate=has(words.TIMEOUT))
    assert "case.report_up" not in town.actions(case_id)


async def test_the_chase_reaches_the_director_once_with_the_button(bot, town):
    await town.greet()
    director = town.users[DIRECTOR]
    case_id, number = await major_case(town)  # Monday 09:00
    await sweep_at(bot, local(2026, 12, 1, 17, 0))
    assert not [m for m in director.messages() if "待上报上级" in (m.plain_text or "")]
    await sweep_at(bot, local(2026, 12, 2, 9, 0))
    chase = await director.wait_for_message(predicate=has(f"📤 待上报上级：事项 {number}"))
    assert chase.buttons == [BUTTON, "查看事项"]
    picks = await tap(director, chase, BUTTON, "上报上级", "已选：（尚未选择）")
    picks = await tap(director, picks, "县委政法委", "已选：县委政法委")
    ways = await tap(director, picks, words.NEXT, "请选择报告方式")
    asked = await tap(director, ways, "书面", "如需要")
    await tap(director, asked, words.SKIP, "✅ 已记录上报上级：县委政法委（书面）")
    await sweep_at(bot, local(2026, 12, 3, 9, 0))
    assert len([m for m in director.messages() if "待上报上级" in (m.plain_text or "")]) == 1
    with bot.db.session() as s:
        keys = s.exec(select(Outbox.key).where(Outbox.key.like(f"upward:{case_id}:%"))).all()
    assert len(keys) == 2 and len(town.messages(1, f"upward:{case_id}:")) == 1, keys  # the director and the grid worker who reported it, once each


async def test_the_first_report_offers_it_and_shows_what_went_up_after_it(bot, town):
    await town.greet()
    grid = town.users[REPORTER]
    _ref, rid = opened(town)  # 群体性事件苗头: a 信息报告 case
    for field, value in [("occurred", "今天 8:40"), ("place", "村委会"), ("cause", "征地补偿"), ("course", "聚集"),
                         ("measures", "劝解")]:
        town.db.call(info_reports.save_field, actor_id=town.grid_worker, report_id=rid, field=field, value=value)
    town.db.call(info_reports.submit_report, actor_id=town.grid_worker, report_id=rid, now=town.clock.now())
    await town.delivered()
    hello = await write(grid, "/help")
    await grid.press(hello, data=InfoReportView(rid).pack())
    view = await grid.wait_for_message(predicate=has("信息报告·初报", "已于 11-30 09:00 报送"))
    assert BUTTON in view.buttons and "此后已上报上级" not in view.plain_text
    picks = await tap(grid, view, BUTTON, "上报上级")
    ways = await tap(grid, await tap(grid, picks, "县公安局", "已选：县公安局"), words.NEXT, "请选择报告方式")
    await tap(grid, await tap(grid, ways, "传真", "如需要"), words.SKIP, "✅ 已记录上报上级：县公安局（传真）")
    await grid.press(hello, data=InfoReportView(rid).pack())
    view = await grid.wait_for_message(predicate=has("信息报告·初报", "此后已上报上级："))
    assert "已上报：县公安局（传真）11-30 09:00 张网格" in view.plain_text


async def test_the_director_edits_the_list_in_admin_while_staff_pick(bot, town):
    """/admin → 🏛 上级部门: the director adds a department (typed, checked) and removes one; the staff
    member's open pick screen refuses the removed one with the reason and redraws the list as it is."""
    await town.greet()
    staff, boss = town.users[STAFF], town.users[DIRECTOR]
    _, number = await major_case(town)
    picks = await tap(staff, await open_card(staff, number), BUTTON, "上报上级")
    picks = await tap(staff, picks, "县司法局", "已选：县司法局")

    menu = await write(boss, "/admin", "管理")
    listing = await tap(boss, menu, words.ADMIN_BUTTON, "上报上级的上级部门（5 个，最多 12 个）")
    assert listing.buttons == [*(f"✖ {d}" for d in DEPARTMENTS), words.ADMIN_ADD, texts.ADMIN_BACK]
    await tap(boss, listing, words.ADMIN_ADD, "请输入上级部门名称")
    await write(boss, "县公安局", "已在名单中")  # asked again
    listing = await write(boss, "县应急管理局", "✅ 已添加「县应急管理局」")
    assert "6. 县应急管理局" in listing.plain_text
    listing = await tap(boss, listing, "✖ 县司法局", "已将「县司法局」移出名单")
    assert "✖ 县司法局" not in listing.buttons and "（5 个" in listing.plain_text

    assert await toast(staff, picks, "✅ 县司法局") == words.DEPARTMENT_GONE
    picks = await staff.wait_for_message(predicate=lambda m: "已选：（尚未选择）" in (m.plain_text or ""))
    assert picks.buttons == ["县委政法委", "县综治中心", "县公安局", "县信访局", "县应急管理局", words.NEXT, words.CANCEL]
    picks = await tap(staff, picks, "县应急管理局", "已选：县应急管理局")
    ways = await tap(staff, picks, words.NEXT, "请选择报告方式")
    asked = await tap(staff, ways, "传真", "如需要")
    card = await tap(staff, asked, words.SKIP, "✅ 已记录上报上级：县应急管理局（传真）")
    assert BUTTON in card.buttons
    # a staff member's forged removal is refused: only the director and the admins edit the list
    assert await toast(staff, card, data=AdminUpperRemove(1).pack()) == texts.NOT_ALLOWED
    with town.db.session() as s:
        assert s.get(UpperDepartment, 1).active
