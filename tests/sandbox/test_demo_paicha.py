"""The demo township's 排查 returns (issue 16): the past period 已报 2/10 (东山村 an item, 西河村 a
零报告), the current one 已报 1/10; 张伟 (grid) and 孙丽 (staff) reach them in the running sandbox."""

from datetime import date

import pytest

from bot.sandbox import demo
from bot.services import paicha, paicha_counts
from bot.services.intake import IntakePolicy
from tests.sandbox.conftest import SH, START


@pytest.fixture
def town(db):
    return demo.build(db, start=START, policy=IntakePolicy())


def test_demo_periods_some_returned_some_zero_some_missing(db, town):
    with db.session() as s:
        past = paicha.status(s, period_id=town.paicha["past"], viewer_id=town.people["孙丽"])
        assert (past.due, past.filed, past.total, past.zero, past.items) == (date(2026, 11, 16), 2, 10, 1, 1)
        current = paicha.status(s, period_id=town.paicha["current"], viewer_id=town.people["孙丽"])
        assert (current.start, current.due, current.filed, current.total) == (date(2026, 11, 17), date(2026, 11, 30), 1, 10)
        assert current.missing[0].unit == "东山村" and current.missing[0].workers == ["张伟"]
        rows = paicha.ledger_rows(s, start=date(2026, 11, 1), end=date(2026, 11, 30), tz=SH)
        assert len(rows) == 20 and [r.state for r in rows[:2]] == ["报送事项", "零报告"]
        # 8 villages missed the past period; 东山村 and 西河村 none (the current one is not due yet)
        missing = paicha_counts.missing_returns(s, start=date(2026, 11, 1), end=date(2026, 11, 30),
                                                today=date(2026, 11, 27))
        assert sorted(missing.values()) == [0, 0] + [1] * 8
        assert missing[town.villages["东山村"]] == 0


async def test_demo_people_reach_the_returns_in_the_sandbox(sandbox):
    grid = sandbox.emu.user(demo.persona("张伟").telegram_id)
    await grid.send_text("/paicha")
    home = await grid.wait_for_message(timeout=10, predicate=lambda m: "排查报送（东山村）" in (m.plain_text or ""))
    assert "11月17日—11月30日截止，未报" in home.plain_text
    assert home.buttons == ["报送排查事项（11月30日）", "本期零报告（11月30日）"]
    staff = sandbox.emu.user(demo.persona("孙丽").telegram_id)
    await staff.send_text("/paicha")
    center = await staff.wait_for_message(timeout=10, predicate=lambda m: "排查报送情况" in (m.plain_text or ""))
    assert "已报 1/10" in center.plain_text
    await staff.press(center, "查看 矛盾纠纷排查（11月30日）")
    status = await staff.wait_for_message(timeout=10, predicate=lambda m: "未报：" in (m.plain_text or ""))
    assert "· 东山村（网格员：张伟）" in status.plain_text and "一键催报未报（9）" in status.buttons
