"""综治工作计划 through the real bot (工作职责 1): a staff member drafts the December plan from /plan
(the period by button, the 总体目标 typed, a task typed, its 责任单位 and its 完成时限 by button, a
Saturday typed and refused) across a restart; the director 印发 it after a confirmation; 镇司法所's
contact is told, opens the plan, reports the task done; the director sends it back with a reason and
the contact hears why; the 印发通知 comes as a protected Word document with its 发文字号; the sweep
reminds the owner before the date; forged and stale buttons, a grid worker's /plan and a draft kept
from the unit are answered.

Town (tests/factories.PEOPLE): 王主任 (1) director, 书记 (2), 孙丽 (4) staff, 张网格 (6) grid worker,
老李 (7) 镇司法所's contact. The clock: Monday 2026-11-30 09:00."""

import io
from datetime import date

import pytest
from docx import Document
from sqlmodel import select

from bot.callbacks import PlanIssue, PlanIssueConfirm, PlanOpen, PlanTaskDone
from bot.services import people
from bot.services import work_plans as wp
from bot.services.deadlines import DeadlinePolicy
from handlers.menus import commands_for
from models import Person, PlanPeriod, PlanTask, TaskStatus, WorkPlan
from tests.bot.steps import has, local, sweep_at, tap, toast, type_in
from tests.bot.towns import card_town

DIRECTOR, SECRETARY, STAFF, GRID, UNIT = 1, 2, 4, 6, 7


@pytest.fixture
async def town(bot):
    bot.clock.set(local(2026, 11, 30, 9, 0))
    town = card_town(bot)
    await town.greet()
    return town


def _task(bot) -> PlanTask:
    with bot.db.session() as s:
        return s.exec(select(PlanTask)).one()


async def draft_december(bot, town):
    staff = town.users[STAFF]
    listing = await type_in(staff, "/plan", "还没有综治工作计划")
    periods = await tap(staff, listing, "➕ 制定工作计划", "制定哪一期的计划")
    assert "2026年12月综治工作计划" in periods.buttons and "2027年综治工作计划" in periods.buttons
    await tap(staff, periods, "2026年12月综治工作计划", "请写明总体目标")
    await type_in(staff, "好", "2–1000 字")  # too short: asked again
    card = await type_in(staff, "抓好年底矛盾纠纷排查化解，确保<元旦>期间社会稳定", "已建立《2026年12月综治工作计划》草稿")
    assert "确保<元旦>期间" in card.plain_text and card.buttons == ["➕ 添加任务"]  # typed text shown as typed
    await tap(staff, card, "➕ 添加任务", "请写明第1项工作任务")
    kinds = await type_in(staff, "开展矛盾纠纷集中排查，建立化解台账", "这项任务由谁负责")
    await bot.restart()  # in the middle: the task text is in the persisted user_data
    staff = town.users[STAFF] = bot.user(STAFF, "孙丽")
    units = await tap(staff, kinds, "🏢 责任单位", "请选择责任单位")
    assert units.buttons == ["镇司法所"]
    due = await tap(staff, units, "镇司法所", "请选择完成时限")
    assert due.buttons == ["+5个工作日 · 12月8日 周二", "+10个工作日 · 12月15日 周二", "月底 · 12月31日 周四"]
    await type_in(staff, "2026-12-05", "2026年12月5日不是工作日", "2026-12-04")  # Saturday: refused
    await type_in(staff, "2027-01-08", "计划期内")
    added = await tap(staff, due, due.buttons[1], "已添加第1项任务")
    assert "开展矛盾纠纷集中排查" in added.plain_text and "责任：镇司法所 · 时限：2026年12月15日" in added.plain_text
    assert added.buttons == ["➕ 添加任务", "🗑 删除任务"]  # only the director 印发
    return added


async def test_draft_issue_report_done_and_send_back(bot, town):
    await draft_december(bot, town)
    boss, unit, secretary = town.users[DIRECTOR], town.users[UNIT], town.users[SECRETARY]
    # the draft is the center's: the secretary and the unit see nothing yet
    await type_in(secretary, "/plan", "还没有综治工作计划")
    await type_in(unit, "/plan", "还没有综治工作计划")
    listing = await type_in(boss, "/plan", "综治工作计划：")
    assert listing.buttons == ["2026年12月综治工作计划 · （草稿）", "➕ 制定工作计划"]
    card = await tap(boss, listing, listing.buttons[0], "草稿 · 孙丽制定")
    assert card.buttons == ["➕ 添加任务", "🗑 删除任务", "📤 印发"]
    confirm = await tap(boss, card, "📤 印发", "确认印发《2026年12月综治工作计划》")
    done = await tap(boss, confirm, "✅ 确认印发", "已印发《2026年12月综治工作计划》（综治发〔2026〕1号），已通知 1 位")
    assert "📤 印发" not in done.buttons
    await boss.wait_for_message(predicate=has("综治发〔2026〕1号 · 王主任 2026年11月30日印发"))
    plan_id = _task(bot).plan_id  # the confirmation pressed again (an old copy): refused, no second number
    assert "已印发" in await toast(boss, confirm, data=PlanIssueConfirm(plan_id).pack())

    await bot.drain_outbox()
    told = await unit.wait_for_message(predicate=has("已印发", "开展矛盾纠纷集中排查，建立化解台账（时限 2026年12月15日）"))
    plan = await tap(unit, told, "📋 查看计划", "总体目标")
    assert plan.buttons == ["第1项", "📄 Word 印发件"]
    task = await tap(unit, plan, "第1项", "完成时限：2026年12月15日", "状态：进行中")
    assert task.buttons == ["📝 报进展", "✅ 报完成"]
    await tap(unit, task, "✅ 报完成", "请写明完成情况")
    await unit.send_sticker()  # a wrong type: told, the step stays
    await unit.wait_for_message(predicate=has("请按提示输入文字"))
    await type_in(unit, "排查 10 个村，化解纠纷 3 起", "已报完成")
    assert _task(bot).status == TaskStatus.done

    await bot.drain_outbox()
    heard = await boss.wait_for_message(predicate=has("第1项已由司法所老李报完成", "排查 10 个村"))
    shown = await tap(boss, heard, "查看任务", "状态：已完成")
    assert shown.buttons == ["↩️ 退回"]
    await tap(boss, shown, "↩️ 退回", "请写明退回的理由")
    await type_in(boss, "缺少化解台账，请补报", "已退回第1项任务")
    await bot.drain_outbox()
    back = await unit.wait_for_message(predicate=has("第1项被王主任退回：缺少化解台账"))
    again = await tap(unit, back, "查看任务", "上次退回理由：缺少化解台账")
    assert again.buttons == ["📝 报进展", "✅ 报完成"]
    await tap(unit, again, "📝 报进展", "请写明目前的进展")
    await type_in(unit, "台账已整理一半", "已记录进展")
    assert _task(bot).progress == "台账已整理一半"

    # the 印发通知: GB/T 9704 head with the 发文字号, protected
    await unit.press(plan, "📄 Word 印发件")
    sent = await unit.wait_for_message(predicate=lambda m: m.kind == "document")
    assert sent.protected
    lines = [p.text for p in Document(io.BytesIO(sent.file_bytes())).paragraphs if p.text.strip()]
    assert lines[:4] == ["综治中心", "综治发〔2026〕1号", "关于印发《2026年12月综治工作计划》的通知",
                         "各村（社区）、各成员单位，中心各成员："]
    assert "（一）开展矛盾纠纷集中排查，建立化解台账。责任：镇司法所；完成时限：2026年12月15日。" in lines


async def test_forged_and_stale_buttons_and_strangers(bot, town):
    await draft_december(bot, town)
    staff, unit, grid = town.users[STAFF], town.users[UNIT], town.users[GRID]
    with bot.db.session() as s:
        plan_id = s.exec(select(WorkPlan.id)).one()
    listing = await type_in(staff, "/plan", "综治工作计划：")
    assert "您没有权限" in await toast(staff, listing, data=PlanIssue(plan_id).pack())  # @requires(director)
    assert "没有找到这个工作计划" in await toast(staff, listing, data=PlanOpen(999).pack())
    # the unit forging the draft's card and a task's 报完成 before it is issued
    told = await type_in(unit, "/plan", "还没有综治工作计划")
    assert "印发后才能查看" in await toast(unit, told, data=PlanOpen(plan_id).pack())
    assert "还没有印发" in await toast(unit, told, data=PlanTaskDone(_task(bot).id).pack())
    await type_in(grid, "/plan", "您没有权限")


async def test_the_owner_is_reminded_before_the_date(bot, town):
    await draft_december(bot, town)
    boss, unit = town.users[DIRECTOR], town.users[UNIT]
    card = await type_in(boss, "/plan", "综治工作计划：")
    opened = await tap(boss, card, card.buttons[0], "草稿")
    confirm = await tap(boss, opened, "📤 印发", "确认印发")
    await tap(boss, confirm, "✅ 确认印发", "已印发")
    await sweep_at(bot, local(2026, 12, 9, 9))  # four working days before 12-15: nothing
    await sweep_at(bot, local(2026, 12, 10, 9))  # three: reminded
    chase = await unit.wait_for_message(predicate=has("完成时限为 2026年12月15日，还没有报完成"))
    assert chase.buttons == ["查看任务"]
    await tap(unit, chase, "查看任务", "状态：进行中")


async def test_the_menu_offers_plan_to_the_center_units_and_leadership(bot, town):
    with bot.db.session() as s:
        by_tid = {p.telegram_id: people.get(s, person_id=p.id) for p in s.exec(select(Person))}
    shown = {tid for tid, view in by_tid.items() if "plan" in dict(commands_for(view))}
    assert shown == {DIRECTOR, SECRETARY, 3, STAFF, 5, UNIT}  # not the grid workers (6, 8)


async def test_a_late_task_costs_the_unit_a_point_in_its_assessment(bot, town):
    """目标管理考核's 工作计划落实: 镇司法所's task left open past its date costs it a point; its contact
    sees why in /score and opens the task from there."""
    policy = DeadlinePolicy()
    plan_id = bot.db.call(wp.create, actor_id=town.director, period=PlanPeriod.month, year=2026, part=12,
                          aim="抓好年底矛盾纠纷排查化解", now=bot.clock.now())
    bot.db.call(wp.add_task, actor_id=town.staff, plan_id=plan_id, text="开展矛盾纠纷集中排查", due_on=date(2026, 12, 3),
                now=bot.clock.now(), policy=policy, unit_id=town.unit.id)
    bot.db.call(wp.issue, actor_id=town.director, plan_id=plan_id, code="综治", now=bot.clock.now(), policy=policy)
    bot.clock.set(local(2026, 12, 4, 10, 0))
    unit = town.users[UNIT]
    score = await type_in(unit, "/score", "镇司法所：99 分")
    assert "6. 工作计划落实（10分）：-1（工作计划任务逾期 1 项）" in score.plain_text
    why = await tap(unit, score, "6. 工作计划落实 -1", "镇司法所「工作计划落实」扣 1 分")
    assert "1. 综治发〔2026〕1号 第1项 开展矛盾纠纷集中排查（时限 2026年12月3日，逾期未完成）" in why.plain_text
    card = await tap(unit, why, "📋 任务1", "第1项")
    assert "状态：已逾期" in card.plain_text and "✅ 报完成" in card.buttons
