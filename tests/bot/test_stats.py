"""/stats through the real bot: a leader picks a period and gets the text and the chart, then the table
and the analysis report (all protected); a contact point sees only their villages; others are refused."""

import io
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.services import people
from models import Case, CaseStatus, Outcome, Severity, Source
from tests.bot.harness import press, say
from tests.factories import Township

SH = ZoneInfo("Asia/Shanghai")
DIRECTOR, LEADER, STAFF2, GRID = 1, 3, 5, 6


def at(m, d) -> datetime:
    return datetime(2026, m, d, 10, 0, tzinfo=SH).astimezone(UTC)


@pytest.fixture
async def w(bot):
    """东山村 and 西河村; November: two cases in 东山村 (one resolved 调解成功, one confidential) and one
    in 西河村. 周明 (staff, id 5) is 西河村's contact point."""
    town = Township.build(bot.db, bot.clock, second_village=True)
    rows = [("2026-0001", town.village.id, dict(accepted_at=at(11, 2), handler_id=town.staff, resolved_at=at(11, 5),
                                                outcome=Outcome.mediated, status=CaseStatus.resolved)),
            ("2026-0002", town.village.id, dict(confidential=True, description="保密的内容")),
            ("2026-0003", town.village2.id, {})]
    with bot.db.session() as s:
        for number, village_id, fields in rows:
            s.add(Case(number=number, type_id=town.neighbour, severity=Severity.general, source=Source.visit,
                       description=fields.pop("description", "情况"), reporter_id=town.staff, village_id=village_id,
                       created_at=at(11, 1), updated_at=at(11, 1), **fields))
    bot.db.call(people.toggle_contact_point, actor_id=town.director, person_id=town.staff2,
                village_id=town.village2.id, now=bot.clock.now())
    town.with_users(bot, {DIRECTOR: "王主任", LEADER: "刘领导", STAFF2: "周明", GRID: "张网格"})
    await town.greet()
    return town


async def figures_of(user, period_label: str = "本月"):
    """/stats, a period: the chart and the text (both protected)."""
    msg = await say(user, "/stats")
    assert set(msg.buttons) == {"本月", "上月", "本季度", "上季度", "本年"}
    prompt = msg.plain_text
    await user.press(msg, period_label)
    chart = await user.wait_for_message(timeout=20, predicate=lambda m: m.kind == "photo")
    text = await user.wait_for_message(timeout=10, predicate=lambda m: "化解率" in (m.plain_text or ""))
    assert chart.protected and text.protected
    assert chart.file_bytes().startswith(b"\x89PNG")
    return prompt, chart, text


async def test_a_leader_gets_figures_chart_table_and_report(bot, w):
    leader = w.user(LEADER)
    prompt, chart, text = await figures_of(leader)
    assert "统计分析（全镇）" in prompt
    assert "2026年11月" in chart.caption and "全镇" in chart.caption
    body = text.plain_text
    assert "2026年11月统计（全镇）" in body
    assert "件数：登记 3，受理 1，办结 1（其中保密事项 1 件，只计数字）" in body
    assert "受理率 33.33%" in body and "化解率 100.00%" in body and "按期办结率 —" in body
    assert "本期尚未结束" in body
    assert "保密的内容" not in body  # a confidential case is a number only
    assert {"📥 导出表格", "📝 分析报告", "🔁 换个期间"} <= set(text.buttons)

    await leader.press(text, "📥 导出表格")
    table = await leader.wait_for_message(timeout=20, predicate=lambda m: m.kind == "document")
    assert table.protected and table.file.file_name == "2026年11月统计表（全镇）.xlsx"
    rows = list(load_workbook(io.BytesIO(table.file_bytes())).active.iter_rows(values_only=True))
    assert rows[0][0] == "2026年11月矛盾纠纷排查化解统计表"
    assert next(r for r in rows if r[1] == "登记")[2] == 3

    await leader.press(text, "📝 分析报告")
    report = await leader.wait_for_message(timeout=20, predicate=lambda m: m.kind == "document")
    assert report.protected and report.file.file_name.endswith(".docx")
    paragraphs = "\n".join(p.text for p in Document(io.BytesIO(report.file_bytes())).paragraphs)
    assert "一、总体情况" in paragraphs and "共登记矛盾纠纷及各类事项 3 件" in paragraphs

    again = await press(leader, text, "🔁 换个期间")
    assert set(again.buttons) == {"本月", "上月", "本季度", "上季度", "本年"}


async def test_a_contact_point_sees_only_their_villages(bot, w):
    prompt, chart, text = await figures_of(w.user(STAFF2))
    assert "统计分析（西河村）" in prompt and "西河村" in chart.caption
    assert "2026年11月统计（西河村）" in text.plain_text and "件数：登记 1，" in text.plain_text
    assert "保密事项" not in text.plain_text  # 东山村's confidential case is not theirs


async def test_a_grid_worker_is_refused(bot, w):
    answer = await say(w.user(GRID), "/stats")
    assert "统计分析仅供中心主任、党委书记、中心领导和工作联系点负责人查看" in answer.plain_text
    assert answer.buttons == []


async def test_a_forged_period_is_a_stale_button(bot, w):
    director = w.user(DIRECTOR)
    msg = await say(director, "/stats")
    cq = await director.press(msg, data="st:x:month:2026:13")
    assert "按钮已失效" in ((await director.wait_for_callback_answer(cq)).text or "")


async def test_the_sweep_freezes_last_month_and_the_chat_shows_a_later_correction(bot, w):
    from sqlmodel import select

    from bot.sweeps import sweep_all
    from models import AuditEvent, StatsSnapshot

    assert "/stats" in (await say(w.user(LEADER), "/help")).plain_text
    assert "/stats" not in (await say(w.user(GRID), "/help")).plain_text
    assert bot.app.job_queue.get_jobs_by_name("stats-freeze")  # 00:00 on the 1st
    bot.clock.set(datetime(2026, 12, 1, 0, 0, 30, tzinfo=SH))
    await sweep_all(bot.app)
    await sweep_all(bot.app)  # a second run finds nothing to do
    with bot.db.session() as s:
        snaps = list(s.exec(select(StatsSnapshot)))
        assert {(snap.month.isoformat(), snap.scope) for snap in snaps} == {
            ("2026-11-01", "township"), ("2026-11-01", f"village:{w.village.id}"),
            ("2026-11-01", f"village:{w.village2.id}")}
        # A correction to an old case: 2026-0003 was in fact accepted and resolved in November.
        case = s.exec(select(Case).where(Case.number == "2026-0003")).one()
        case.accepted_at, case.resolved_at, case.outcome = at(11, 3), at(11, 4), Outcome.mediated
    _, _, text = await figures_of(w.user(LEADER), "上月")
    body = text.plain_text
    assert "件数：登记 3，受理 1（更正 +1），办结 1（更正 +1）" in body
    assert "化解率 100.00%" in body and "本月数字已冻结" in body
    with bot.db.session() as s:
        assert len(list(s.exec(select(AuditEvent).where(AuditEvent.action == "stats.correction")))) == 1
