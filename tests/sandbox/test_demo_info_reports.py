"""The demo township's 信息报告 under way: a major event whose 终报 is missing, reachable from its card
(「📄 信息报告（1）」) and from /inforeport by the demo people who would write it; the 终报 chase once a
trainee records 办结."""

import pytest
from sqlmodel import select

from bot.sandbox import demo
from bot.services import case_card, cases, info_reports, intake
from bot.services.cases import CaseDraft
from bot.services.deadlines import DeadlinePolicy
from bot.services.intake import IntakePolicy
from models import CaseType, Outcome, Severity
from tests.sandbox.conftest import START

WRITERS = ("张伟", "孙丽", "周明", "刘海峰", "赵敏", "王志强")  # its reporter, the center's staff and leaders, the director


@pytest.fixture
def town(db):
    return demo.build(db, start=START, policy=IntakePolicy())


def test_the_demo_has_a_major_event_waiting_for_its_final_report(db, town):
    case_id, p = town.cases["reporting"], town.people
    with db.session() as s:
        for name in WRITERS:
            waiting = info_reports.reports_waiting(s, actor_id=p[name])
            assert [(w.number, w.submitted_at is not None) for w in waiting.shown] == [(town.numbers["reporting"], True)], name
            assert case_card.case_card(s, viewer_id=p[name], case_id=case_id, now=START).info_reports == 1
        # the secretary reads it (card) but writes none; the other village's grid worker does not see it
        assert info_reports.reports_waiting(s, actor_id=p["陈建国"]).shown == ()
        assert case_card.case_card(s, viewer_id=p["陈建国"], case_id=case_id, now=START).info_reports == 1
        assert info_reports.reports_waiting(s, actor_id=p["李娜"]).shown == ()
        # last week's major event is finished (初报 and 终报): on its card, never chased
        assert case_card.case_card(s, viewer_id=p["李娜"], case_id=town.cases["major"], now=START).info_reports == 2
    assert db.call(info_reports.sweep_final, now=START, policy=DeadlinePolicy()) == 0


async def test_demo_people_reach_the_reports_from_the_card_and_from_inforeport(sandbox):
    number = sandbox.town.numbers["reporting"]
    grid = sandbox.emu.user(demo.persona("张伟").telegram_id)
    await grid.send_text(f"/case {number}")
    card = await grid.wait_for_message(timeout=10, predicate=lambda m: f"📋 事项 {number}" in (m.plain_text or ""))
    await grid.press(card, "📄 信息报告（1）")
    listing = await grid.wait_for_message(timeout=10, predicate=lambda m: "的信息报告" in (m.plain_text or ""))
    assert "1. 初报 · 已报送" in listing.plain_text
    assert {"📄 查看初报（第 1 报）", "➕ 续报", "🏁 终报", "« 返回事项"} <= set(listing.buttons)
    await grid.press(listing, "« 返回事项")
    await grid.wait_for_message(timeout=10, predicate=lambda m: f"📋 事项 {number}" in (m.plain_text or "")
                                and "📄 信息报告（1）" in m.buttons)

    staff = sandbox.emu.user(demo.persona("孙丽").telegram_id)
    await staff.send_text("/inforeport")
    waiting = await staff.wait_for_message(timeout=10, predicate=lambda m: "需要您处理的信息报告" in (m.plain_text or ""))
    assert f"{number} 已报初报" in waiting.plain_text and waiting.buttons == [f"🏁 {number} 续报/终报"]
    await staff.press(waiting, f"🏁 {number} 续报/终报")
    listing = await staff.wait_for_message(timeout=10, predicate=lambda m: "的信息报告" in (m.plain_text or ""))
    await staff.press(listing, "🏁 终报")
    await staff.wait_for_message(timeout=10, predicate=lambda m: "已新建终报" in (m.plain_text or ""))


async def test_resolving_the_demo_event_without_its_final_report_chases_it(sandbox):
    town, p = sandbox.town, sandbox.town.people
    await sandbox.db.run(cases.resolve, actor_id=p["周明"], case_id=town.cases["reporting"], outcome=Outcome.mediated,
                         agreement=None, summary="砖厂结清运输费用", now=sandbox.clock.now())
    await sandbox.advance("hour")  # the timers run, as 「+1 小时」 on the page
    grid = sandbox.emu.user(demo.persona("张伟").telegram_id)
    chase = await grid.wait_for_message(timeout=10, predicate=lambda m: "还没有终报" in (m.plain_text or ""))
    assert town.numbers["reporting"] in chase.plain_text and chase.buttons == ["📄 打开最近一报"]


def test_the_demo_event_shows_its_phone_report(db, town):
    view = db.call(info_reports.report_view, actor_id=town.people["孙丽"], report_id=town.info_reports["first"])
    assert view.phoned_by == "张伟" and view.phoned_at is not None and not view.may_phone


async def test_a_trainee_reporting_a_mass_incident_records_the_phone_report(sandbox):
    town, p = sandbox.town, sandbox.town.people
    with sandbox.db.session() as s:
        mass = s.exec(select(CaseType.id).where(CaseType.subtype == "群体性事件苗头")).one()
    draft = CaseDraft(type_id=mass, severity=Severity.major, description="村民在村委会门口聚集",
                      village_id=town.villages["东山村"], grid_id=town.grids[("东山村", "第一网格")])
    done = await sandbox.db.run(intake.register_report, actor_id=p["张伟"], draft=draft, now=sandbox.clock.now())
    grid = sandbox.emu.user(demo.persona("张伟").telegram_id)
    opened = await grid.wait_for_message(timeout=10, predicate=lambda m: "需要信息报告的重大事件" in (m.plain_text or "")
                                         and done.case.number in m.plain_text)
    assert "☎️ 已电话报告" in opened.buttons
    await grid.press(opened, "☎️ 已电话报告")
    view = await grid.wait_for_message(timeout=10, predicate=lambda m: "已记录电话报告" in (m.plain_text or ""))
    assert "电话报告：已于" in view.plain_text and "由 张伟 报告" in view.plain_text
