"""统计分析 in the training sandbox: the demo town's figures are not empty, last month is frozen with a
correction since, and a demo leader gets /stats with its buttons."""

from datetime import datetime

import pytest

from bot.sandbox import demo
from bot.sandbox.demo import SH
from bot.services import stats
from bot.services.intake import IntakePolicy
from tests.sandbox.conftest import START


@pytest.fixture
def town(db):
    return demo.build(db, start=START, policy=IntakePolicy())


def test_the_demo_month_has_figures_and_last_month_is_frozen_with_a_correction(db, town):
    now = START
    nov = db.call(stats.report, period=stats.Period.month(2026, 11), scope=stats.TOWNSHIP_SCOPE, now=now, tz=SH)
    counts = nov.figures.counts
    # Ten demo cases this month: two archived (one the major event of the 信息报告台账), one resolved,
    # six at work (one a major event whose 终报 is missing, one not yet reported upward), one out of
    # scope (首问告知).
    assert counts["registered"] == 10 and counts["first_inquiry"] == 1
    assert counts["accepted"] == 8 and counts["resolved"] == 3 and counts["substantive"] == 3
    assert counts["sv_issued"] == 2  # to 镇派出所, and to 周明 (a 承办人员)
    oct_ = db.call(stats.report, period=stats.Period.month(2026, 10), scope=stats.TOWNSHIP_SCOPE, now=now, tz=SH)
    assert oct_.frozen_at == datetime(2026, 11, 1, 0, 0, tzinfo=SH)
    assert (oct_.figures.counts["resolved"], oct_.figures.counts["rated"]) == (2, 1)
    assert oct_.corrections.counts["rated"] == 1  # the second party's satisfaction, recorded since
    assert stats.values(oct_)["rated"] == "50.00%（更正 +50.00个百分点）"


async def test_a_demo_leader_gets_stats_with_buttons(sandbox):
    leader = sandbox.emu.user(demo.persona("刘海峰").telegram_id)
    await leader.send_text("/stats")
    prompt = await leader.wait_for_message(timeout=10)
    assert "统计分析（全镇）" in prompt.plain_text
    await leader.press(prompt, "上月")
    text = await leader.wait_for_message(timeout=20, predicate=lambda m: "化解率" in (m.plain_text or ""))
    assert "2026年10月统计（全镇）" in text.plain_text and "参评率 50.00%（更正 +50.00个百分点）" in text.plain_text
    assert [m for m in sandbox.emu.chat_messages(leader.record.id) if m.kind == "photo"]
    await leader.press(text, "📥 导出表格")
    doc = await leader.wait_for_message(timeout=20, predicate=lambda m: m.kind == "document")
    assert doc.protected and doc.document_bytes().startswith(b"PK")
