"""The demo township's 事项类型 (issue 16): the regulations' six categories are there (by the
migrations the sandbox runs), 流动人口服务管理 has the director's subtypes with 暂住证办理 disabled,
and the demo people reach them: 张伟 in /report, 王志强 under /admin → 事项类型."""

import pytest
from sqlmodel import select

from bot.sandbox import demo
from bot.services.intake import IntakePolicy
from models import AuditEvent, CaseType
from tests.sandbox.conftest import START

SIX = ("流动人口服务管理", "预防青少年违法犯罪", "刑释解教人员安置帮教", "社区矫正", "国家安全人民防线", "人防物防技防")


@pytest.fixture
def town(db):
    return demo.build(db, start=START, policy=IntakePolicy())


def test_the_demo_catalogue(db, town):
    with db.session() as s:
        rows = list(s.exec(select(CaseType)))
        categories = {r.category for r in rows}
        migrants = {r.subtype: r.active for r in rows if r.category == "流动人口服务管理"}
        defence = [r.deadline_days for r in rows if r.category == "人防物防技防"]
        edits = [e.action for e in s.exec(select(AuditEvent).where(AuditEvent.subject_type == "case_type")
                                                     .order_by(AuditEvent.id))]
    assert set(SIX) <= categories and len(categories) == 15
    assert migrants == {"流动人口服务管理": True, "出租房屋管理": True, "居住证办理": True, "暂住证办理": False}
    assert defence == [15]
    assert edits == ["case_type.subtype.create"] * 3 + ["case_type.subtype.disable", "case_type.deadline"]
    assert town.categories["居住证办理"] in {r.id for r in rows}


async def test_demo_people_reach_the_categories_in_the_sandbox(sandbox):
    grid_worker = sandbox.emu.user(demo.persona("张伟").telegram_id)
    await grid_worker.send_text("/report")
    msg = await grid_worker.wait_for_message(timeout=10)
    assert all(name in msg.buttons for name in SIX)
    await grid_worker.press(msg, "流动人口服务管理")
    msg = await grid_worker.wait_for_message(timeout=10)
    assert "居住证办理" in msg.buttons and "出租房屋管理" in msg.buttons and "暂住证办理" not in msg.buttons
    director = sandbox.emu.user(demo.persona("王志强").telegram_id)
    await director.send_text("/admin")
    msg = await director.wait_for_message(timeout=10)
    await director.press(msg, "🗂 事项类型")
    msg = await director.wait_for_message(timeout=10)
    await director.press(msg, "下一页 »")
    msg = await director.wait_for_message(timeout=10)
    await director.press(msg, "流动人口服务管理")
    card = await director.wait_for_message(timeout=10)
    assert "子类：4 个（停用 1 个）" in card.plain_text and "通报分类：流动人口" in card.plain_text
