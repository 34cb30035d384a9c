"""The demo township's approved 包案 with a recorded 上级协调: on the card, in its history and in the
领导包案台账; and 赵敏, its 包案领导, records the next one through the running sandbox."""

from datetime import date

import pytest
from openpyxl import load_workbook

from bot.sandbox import demo, demo_baoan
from bot.services import case_card, ledgers
from bot.services.intake import IntakePolicy
from bot.services.ledgers import Kind, Period
from tests.sandbox.conftest import START


@pytest.fixture
def town(db):
    return demo.build(db, start=START, policy=IntakePolicy())


def test_demo_baoan_case_shows_its_coordination(db, town):
    b, p = town.baoan, town.people
    with db.session() as s:
        card = case_card.case_card(s, viewer_id=p["赵敏"], case_id=b["case"], now=START)
        assert card.baoan.leader == "赵敏" and card.baoan.upper.note == demo_baoan.UPPER_NOTE
        assert "upper" in card.baoan.actions
        assert ("上级协调", demo_baoan.UPPER_NOTE) in [(h.action, h.note) for h in card.history]
        made = ledgers.build(s, kind=Kind.baoan, period=Period("month", date(2026, 11, 1), date(2026, 11, 30)),
                             viewer_id=p["王志强"], now=START, tz=demo.SH, org="东山镇综治中心")
    cells = [str(c.value) for row in load_workbook(made.path).active.iter_rows() for c in row if c.value]
    assert any(demo_baoan.UPPER_NOTE[:20] in c for c in cells)


async def test_the_demo_baoan_leader_records_a_coordination_in_the_sandbox(sandbox):
    number = sandbox.town.baoan["number"]
    leader = sandbox.emu.user(demo.persona("赵敏").telegram_id)
    await leader.send_text("/mycases")  # her 包案 is among the cases assigned to her: found by a press
    mine = await leader.wait_for_message(timeout=10, predicate=lambda m: "我的事项" in (m.plain_text or ""))
    assert any(b.startswith(number) for b in mine.buttons)
    await leader.send_text(f"/case {number}")
    card = await leader.wait_for_message(timeout=10, predicate=lambda m: "上级协调：" in (m.plain_text or ""))
    assert "上级协调：" in card.plain_text and "县市场监管局" in card.plain_text
    await leader.press(card, "🤝 上级协调")
    ask = await leader.wait_for_message(timeout=10)
    assert "联系了哪个上级部门" in ask.plain_text
    await leader.send_text("县市场监管局：已派员检查，责令限期整改")
    done = await leader.wait_for_message(timeout=10)
    assert "上级协调已记录" in done.plain_text and "责令限期整改" in done.plain_text
