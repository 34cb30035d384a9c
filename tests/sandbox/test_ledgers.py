"""台账 in the training sandbox: every ledger has rows for the demo town, and the demo leader
刘海峰 gets the case ledger by buttons, as a trainee would."""

import io

import pytest
from openpyxl import load_workbook

from bot.sandbox import demo
from bot.services import ledgers
from bot.services.intake import IntakePolicy
from bot.services.ledgers import Kind, PeriodChoice
from tests.sandbox.conftest import START

LEADER = demo.persona("刘海峰")


def body_rows(path) -> list[list]:
    cells = [[c.value for c in row] for row in load_workbook(path).active.iter_rows()]
    header = next(i for i, row in enumerate(cells) if row[0] == "序号")
    return [row for row in cells[header + 1:] if isinstance(row[0], int)]


@pytest.mark.parametrize("kind", list(Kind))
def test_every_ledger_has_rows_in_the_demo_town(db, kind):
    town = demo.build(db, start=START, policy=IntakePolicy())
    period = ledgers.period_for(PeriodChoice.month, START.date())
    with db.session() as s:
        made = ledgers.build(s, kind=kind, period=period, viewer_id=town.people[LEADER.name], now=START, tz=demo.SH)
    try:
        assert made.rows >= 1 and len(body_rows(made.path)) == made.rows
    finally:
        made.path.unlink()


async def test_the_demo_leader_gets_the_case_ledger(sandbox):
    leader = sandbox.emu.user(LEADER.telegram_id)
    await leader.send_text("/ledger")
    msg = await leader.wait_for_message(timeout=10, predicate=lambda m: "台账" in (m.plain_text or ""))
    for label in ("矛盾纠纷排查化解台账", "本月", "全部"):
        await leader.press(msg, label)
        msg = await leader.wait_for_message(timeout=10)
    assert "正在生成" in msg.plain_text
    doc = await leader.wait_for_message(timeout=20, predicate=lambda m: m.kind == "document")
    assert doc.protected and doc.file.file_name.startswith("矛盾纠纷排查化解台账")
    rows = body_rows(io.BytesIO(doc.file_bytes()))
    # every demo case but the visitor recorded as outside the center's remit (首问告知)
    assert {row[1] for row in rows} == {n for key, n in sandbox.town.numbers.items() if key != "out_of_scope"}
