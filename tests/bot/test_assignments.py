"""上级交办 through the real bot (issue 16): a matter registered by /visit with source 上级交办 goes
straight on to 交办单位 → 文号 → 时限 (across a restart); the case card shows it and brings the
deadline forward; once finished, 「办理情况报告」 gives the text and a protected .docx, 「记录报送」
records how it went back, once; the sweep chases a 交办 not reported a working day before the
assigner's deadline. Grid workers and unit contacts are refused; forged and stale buttons answered.

Town (tests/factories.PEOPLE): 孙丽 (4) and 周明 (5) are staff, 张网格 (6) the grid worker who reports,
司法所老李 (7) a unit contact. The clock: Monday 2026-11-30 09:00."""

import io

import pytest
from docx import Document

from bot.callbacks import JiaobanAssigner, JiaobanMethod, JiaobanReport, JiaobanStart
from bot.services import cases
from bot.services.deadlines import DeadlinePolicy
from models import CaseAssignment, ReportMethod, UsualAssigner
from tests.bot.steps import has, local, open_card, sweep_at, tap, toast, type_in
from tests.bot.towns import card_town

DIRECTOR, LEADER, STAFF, STAFF2, GRID, UNIT = 1, 3, 4, 5, 6, 7
POLICY = DeadlinePolicy()


@pytest.fixture
async def town(bot):
    bot.clock.set(local(2026, 11, 30, 9, 0))
    town = card_town(bot)
    await town.greet()
    return town


def _assignment(bot, case_id):
    with bot.db.session() as s:
        return s.get(CaseAssignment, case_id)


async def test_from_visit_to_the_report_back(bot, town):
    staff = town.users[STAFF]
    msg = await type_in(staff, "/visit", "第 1 步")
    msg = await tap(staff, msg, "上级交办", "请输入当事人")
    msg = await type_in(staff, "赵大", "联系电话")
    msg = await tap(staff, msg, "跳过", "身份证号")
    await tap(staff, msg, "跳过", "诉求")
    msg = await type_in(staff, "镇党委转来：两户排水沟纠纷，要求妥善处理", "请选择事项类别")
    msg = await tap(staff, msg, "矛盾纠纷", "具体类型")
    msg = await tap(staff, msg, "邻里纠纷", "哪个村")
    msg = await tap(staff, msg, "东山村", "属于中心职责吗")
    msg = await tap(staff, msg, "✅ 在职责范围内", "一般")
    msg = await tap(staff, msg, "一般（建议）", "确认登记")
    done = await tap(staff, msg, "✅ 确认登记", "已登记")
    assert "📥 登记交办单位、文号和时限" in done.buttons
    case_id = town.case_id = max(c.id for c in town.cases())
    assert town.case(case_id).due_at == local(2026, 12, 3, 17, 30)  # 3 working days

    ask = await tap(staff, done, "📥 登记交办单位、文号和时限", "哪个单位交办的")
    assert set(u.value for u in UsualAssigner) <= set(ask.buttons)
    await staff.send_sticker()
    await staff.wait_for_message(predicate=has("请输入文字，或点上面的按钮"))
    ref_step = await tap(staff, ask, "镇党委", "交办文号")
    await type_in(staff, "镇党委交〔2026〕5号", "交办时限是哪一天")
    await bot.restart()  # in the middle: the answers so far are in the persisted user_data
    staff = town.users[STAFF] = bot.user(STAFF, "孙丽")
    await type_in(staff, "明天下午", "没有看懂这个日期")
    await type_in(staff, "2026-11-27", "今天或以后")  # already past
    recorded = await type_in(staff, "12-2", "已登记上级交办")
    assert "镇党委（镇党委交〔2026〕5号），交办时限 2026年12月2日" in recorded.plain_text
    assert "事项期限已提前到交办时限" in recorded.plain_text
    assert town.case(case_id).due_at == local(2026, 12, 2, 17, 30)
    # the step's buttons no longer work
    assert "失效" in await toast(staff, ref_step, data=JiaobanAssigner(UsualAssigner.government).pack())

    card = await open_card(staff, town.case(case_id).number)
    assert "📥 上级交办：镇党委（镇党委交〔2026〕5号），时限 2026-12-02（办理情况未报送）" in card.plain_text
    assert "📥 修改交办信息" in card.buttons and "📝 办理情况报告" not in card.buttons  # not finished yet

    bot.db.call(cases.resolve, actor_id=town.staff, case_id=case_id, outcome="调解成功", agreement="书面协议",
                summary="两户达成协议，共同修缮排水沟", now=bot.clock.now())
    await bot.drain_outbox()
    card = await open_card(staff, town.case(case_id).number)
    assert "📝 办理情况报告" in card.buttons and "📤 记录报送" in card.buttons
    report = await tap(staff, card, "📝 办理情况报告", "关于镇党委交办事项办理情况的报告")
    assert report.protected and "两户达成协议" in report.plain_text and "诉求：镇党委转来" in report.plain_text
    await bot.drain_outbox()
    doc = await staff.wait_for_message(predicate=lambda m: m.kind == "document")
    assert doc.protected and doc.file.file_name == f"办理情况报告{town.case(case_id).number}.docx"
    paragraphs = [p.text for p in Document(io.BytesIO(doc.file.data)).paragraphs if p.text]
    assert "关于镇党委交办事项办理情况的报告" in paragraphs and "特此报告。" in paragraphs

    methods = await tap(staff, report, "📤 记录报送", "以什么方式报送给镇党委")
    assert methods.buttons == ["书面", "电子", "当面"]
    await tap(staff, methods, "书面", "已记录：2026年11月30日 09:00 以书面方式报送镇党委")
    assert _assignment(bot, case_id).report_method == "书面"
    # a second press (an old message, or a forged one) changes nothing
    again = await toast(staff, methods, data=JiaobanMethod(case_id, ReportMethod.electronic).pack())
    assert "已记录" in again and _assignment(bot, case_id).report_method == "书面"
    card = await open_card(staff, town.case(case_id).number)
    assert "（已于 2026-11-30 09:00 书面报送）" in card.plain_text and "📤 记录报送" not in card.buttons


async def test_grid_workers_and_units_are_refused_and_forged_buttons_answered(bot, town):
    ref = town.running_case(policy=POLICY)
    await town.delivered()
    grid, unit, staff = town.users[GRID], town.users[UNIT], town.users[STAFF]
    card = await open_card(grid, ref.number)
    assert "📥 上级交办" not in card.buttons
    assert "没有权限" in await toast(grid, card, data=JiaobanStart(ref.id).pack())
    assert "没有权限" in await toast(unit, card, data=JiaobanStart(ref.id).pack())
    staff_card = await open_card(staff, ref.number)
    assert "失效" in await toast(staff, staff_card, data="jb:s:abc")
    assert "失效" in await toast(staff, staff_card, data=JiaobanAssigner(UsualAssigner.government).pack())
    assert "没有找到" in await toast(staff, staff_card, data=JiaobanStart(999999).pack())
    assert "没有登记上级交办" in await toast(staff, staff_card, data=JiaobanReport(ref.id).pack())
    assert _assignment(bot, ref.id) is None


async def test_the_sweep_chases_the_handler_before_the_assigners_deadline(bot, town):
    ref = town.running_case(policy=POLICY)
    await town.delivered()
    staff = town.users[STAFF]
    card = await open_card(staff, ref.number)
    ask = await tap(staff, card, "📥 上级交办", "哪个单位交办的")
    assert "县综治中心" in ask.buttons  # typed here: any other office is accepted too
    step = await type_in(staff, "县综治中心", "交办文号")
    await tap(staff, step, "无文号", "交办时限是哪一天")
    recorded = await type_in(staff, "2026年12月4日", "已登记上级交办")
    assert "县综治中心，交办时限 2026年12月4日" in recorded.plain_text and "提前" not in recorded.plain_text
    await sweep_at(bot, local(2026, 12, 3, 17, 0))
    handler = town.users[STAFF2]
    assert not [m for m in bot.emu.world.chat_messages(STAFF2) if "⏰ 上级交办事项" in (m.plain_text or "")]
    await sweep_at(bot, local(2026, 12, 3, 17, 31))
    chase = await handler.wait_for_message(predicate=has("⏰ 上级交办事项", "县综治中心", "办理情况还没有报送"))
    assert "查看事项" in chase.buttons
    await sweep_at(bot, local(2026, 12, 4, 9, 0))
    assert len([m for m in bot.emu.world.chat_messages(STAFF2) if "⏰ 上级交办事项" in (m.plain_text or "")]) == 1
