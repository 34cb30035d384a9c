"""The demo township's 综治工作计划: this quarter's plan issued with four tasks in every state (done,
past its date and chased, close to it and reminded, later), next quarter's a draft; 何永福 (a village
head) reports his task's progress in the running sandbox, and 王志强 印发 the draft."""

import io
from datetime import date

import pytest
from docx import Document
from sqlmodel import select

from bot.sandbox import demo
from bot.services import work_plans
from bot.services.assessment import agreements
from bot.services.intake import IntakePolicy
from models import Outbox, PlanStatus, PlanTask, TaskStatus, WorkPlan
from tests.sandbox.conftest import SH, START


@pytest.fixture
def town(db):
    return demo.build(db, start=START, policy=IntakePolicy())


def test_demo_plans(db, town):
    with db.session() as s:
        plan, draft = s.get(WorkPlan, town.plans["plan"]), s.get(WorkPlan, town.plans["draft"])
        assert (plan.status, plan.number, plan.part) == (PlanStatus.issued, "综治发〔2026〕1号", 4)
        assert (draft.status, draft.year, draft.part) == (PlanStatus.draft, 2027, 1)
        tasks = list(s.exec(select(PlanTask).where(PlanTask.plan_id == plan.id).order_by(PlanTask.seq)))
        assert [x.status for x in tasks] == [TaskStatus.done, *[TaskStatus.open] * 3]
        assert tasks[1].overdue_told_at is not None and tasks[2].soon_told_at is not None
        assert tasks[3].soon_told_at is None and tasks[3].person_id == town.people["何永福"]
        told = {r.person_id for r in s.exec(select(Outbox).where(Outbox.key.contains(f"plantask{tasks[1].id}:overdue")))}
        assert told == {town.people["郑红"], town.people["王志强"]}
        rows = work_plans.ledger_rows(s, start=date(2026, 10, 1), end=date(2026, 12, 31), today=START.date(), tz=SH)
        assert [r.status for r in rows] == ["已完成", "已逾期", "进行中", "进行中"]
        # 郑红's 目标管理责任书 names 镇派出所's task
        agreement = agreements.agreement_of(s, person_id=town.people["郑红"], year=plan.year)
        _, data = agreements.document(s, agreement_id=agreement, org="东山镇综治中心", tz=SH)
    text = "\n".join(x.text for x in Document(io.BytesIO(data)).paragraphs)
    assert "乙方承担的2026年综治工作计划任务" in text
    assert "1. 加强重点路段、学校周边夜间巡逻防控（综治发〔2026〕1号第2项" in text


async def test_a_village_head_reports_and_the_director_issues_in_the_sandbox(sandbox):
    head = sandbox.emu.user(demo.persona("何永福").telegram_id)
    await head.send_text("/plan")
    listing = await head.wait_for_message(timeout=10, predicate=lambda m: "综治工作计划：" in (m.plain_text or ""))
    assert listing.buttons == ["2026年第四季度综治工作计划 · 1/4 完成"]  # no draft, no 制定 for a village head
    await head.press(listing, listing.buttons[0])
    card = await head.wait_for_message(timeout=10, predicate=lambda m: "综治发〔2026〕1号" in (m.plain_text or ""))
    assert card.buttons == ["第4项", "📄 Word 印发件"]
    await head.press(card, "第4项")
    task = await head.wait_for_message(timeout=10, predicate=lambda m: "平安家庭创建" in (m.plain_text or ""))
    await head.press(task, "📝 报进展")
    await head.wait_for_message(timeout=10, predicate=lambda m: "目前的进展" in (m.plain_text or ""))
    await head.send_text("已入户宣传 80 户")
    await head.wait_for_message(timeout=10, predicate=lambda m: "已记录进展" in (m.plain_text or ""))

    boss = sandbox.emu.user(demo.persona("王志强").telegram_id)
    await boss.send_text("/plan")
    mine = await boss.wait_for_message(timeout=10, predicate=lambda m: "综治工作计划：" in (m.plain_text or ""))
    assert "2027年第一季度综治工作计划 · （草稿）" in mine.buttons
    await boss.press(mine, "2027年第一季度综治工作计划 · （草稿）")
    draft = await boss.wait_for_message(timeout=10, predicate=lambda m: "草稿 · 孙丽制定" in (m.plain_text or ""))
    await boss.press(draft, "📤 印发")
    confirm = await boss.wait_for_message(timeout=10, predicate=lambda m: "确认印发" in (m.plain_text or ""))
    await boss.press(confirm, "✅ 确认印发")
    await boss.wait_for_message(timeout=10, predicate=lambda m: "综治发〔2026〕2号" in (m.plain_text or ""))


async def test_the_late_task_costs_its_unit_in_the_assessment_in_the_sandbox(sandbox):
    """镇派出所's task past its date shows in its 目标管理考核 (工作计划落实 -1), and 郑红 opens it from there."""
    police = sandbox.emu.user(demo.persona("郑红").telegram_id)
    await police.send_text("/score")
    score = await police.wait_for_message(timeout=10, predicate=lambda m: "镇派出所：" in (m.plain_text or ""))
    assert "6. 工作计划落实（10分）：-1（工作计划任务逾期 1 项）" in score.plain_text
    await police.press(score, "6. 工作计划落实 -1")
    why = await police.wait_for_message(timeout=10, predicate=lambda m: "「工作计划落实」扣 1 分" in (m.plain_text or ""))
    assert "综治发〔2026〕1号 第2项" in why.plain_text and "逾期未完成" in why.plain_text
    await police.press(why, "📋 任务1")
    task = await police.wait_for_message(timeout=10, predicate=lambda m: "状态：已逾期" in (m.plain_text or ""))
    assert "✅ 报完成" in task.buttons
