"""/admin → 事项类型 through the real bot: an admin edits the case catalogue by buttons and typing, and
the very next report sees it; refusals, forged and stale buttons, bad names and numbers.

The township is tests/factories.py's (王主任 is director and administrator); the catalogue is the
migrated one (the 38 starting subtypes in 9 categories, and the 6 categories of migration 0022).
"""

from sqlmodel import col, select

from bot import texts
from bot.callbacks import CatActive, CatFlag, CatScope, CatType
from bot.services import case_card
from models import AuditEvent, Case, CaseType, ReportSection
from models.cases import TypeFlag
from tests.bot.harness import press, say
from tests.bot.steps import has, tap, toast, type_in

DIRECTOR, STAFF, GRID = 1, 4, 6


def row(bot, subtype: str) -> CaseType:
    with bot.db.session() as s:
        return s.exec(select(CaseType).where(CaseType.subtype == subtype)).one()


def actions(bot) -> list[str]:
    with bot.db.session() as s:
        return [e.action for e in s.exec(select(AuditEvent).where(AuditEvent.subject_type == "case_type")
                                         .order_by(col(AuditEvent.id)))]


async def open_type(user, name: str, page_turns: int = 0):
    msg = await say(user, "/admin")
    msg = await press(user, msg, "🗂 事项类型")
    for _ in range(page_turns):
        msg = await press(user, msg, "下一页 »")
    return await press(user, msg, name)


async def report_until_summary(user, category: str, subtype: str | None, severity: str | None = "一般"):
    """/report as the grid worker, through to the summary (no parties, one person)."""
    msg = await say(user, "/report")
    msg = await press(user, msg, category)
    if subtype:
        msg = await press(user, msg, subtype)
    if severity:
        msg = await press(user, msg, severity)
    else:  # a forced-urgent type: the severity step only confirms
        msg = await press(user, msg, msg.buttons[0])
    await user.press(msg, "使用 东山村 第一网格")
    await user.wait_for_message(predicate=has("事发地点"))
    msg = await type_in(user, "跳过", "什么时候发生")
    msg = await tap(user, msg, "刚刚", "当事人")
    msg = await tap(user, msg, "跳过", "人数")
    msg = await tap(user, msg, "1", "第 8/9 步")
    msg = await type_in(user, "村口两户为排水沟争吵", "第 9/9 步")
    return await tap(user, msg, "完成", "请核对")


async def test_list_pages_and_the_new_categories(bot, town):
    await town.greet()
    director = town.user(DIRECTOR)
    msg = await say(director, "/admin")
    msg = await press(director, msg, "🗂 事项类型")
    assert "共 15 类，第 1/2 页" in msg.plain_text
    assert msg.buttons[:2] == ["矛盾纠纷", "不稳定因素"] and "下一页 »" in msg.buttons
    msg = await press(director, msg, "下一页 »")
    assert "第 2/2 页" in msg.plain_text
    for name in ("流动人口服务管理", "预防青少年违法犯罪", "刑释解教人员安置帮教", "社区矫正", "国家安全人民防线",
                 "人防物防技防"):
        assert name in msg.buttons, name
    msg = await press(director, msg, "流动人口服务管理")
    assert "通报分类：流动人口" in msg.plain_text and "子类：无" in msg.plain_text
    msg = await press(director, msg, "« 返回类型列表")
    msg = await press(director, msg, "社区矫正")
    assert "通报分类：综治" in msg.plain_text and "已登记事项：0 件" in msg.plain_text
