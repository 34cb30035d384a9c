"""The demo town's 上级交办, 上门受理, 会商, 请示 and 已到场 (issue 16) in /stats and in the ledgers the
director 王志强 gets: the figures counted by hand from bot/sandbox/demo_assignments.py and
demo_joint.py, and the director asking /stats in the running sandbox."""

import pytest
from openpyxl import load_workbook

from bot.sandbox import demo
from bot.services import flow_counts, ledgers, stats
from bot.services.intake import IntakePolicy
from bot.services.ledgers import Kind, PeriodChoice
from tests.sandbox.conftest import START

DIRECTOR = demo.persona("王志强")


@pytest.fixture
def town(db):
    return demo.build(db, start=START, policy=IntakePolicy())


def test_the_demo_month_counts_the_flows(db, town):
    nov = db.call(stats.report, period=stats.Period.month(2026, 11), scope=stats.TOWNSHIP_SCOPE, now=START, tz=demo.SH)
    c = nov.figures.counts
    # 交办: 县信访局's (not reported yet) and 镇党委's (reported back 书面 the day before its deadline)
    # 上门受理: 钱老汉 waiting, 孙大娘 approved and scheduled; one 会商; one 请示 waiting; 刘海峰 at the scene
    assert {k: c[k] for k in flow_counts.KEYS} == {
        "jb_registered": 2, "jb_reported": 1, "jb_reported_on_time": 1,
        "hv_requested": 2, "hv_approved": 1, "hv_refused": 0, "hv_done": 0,
        "consult_held": 1, "instr_asked": 1, "instr_answered": 0,
        "instr_extend": 0, "instr_close": 0, "instr_transfer": 0, "instr_refuse": 0, "arrivals": 1}


def _rows(db, town, kind) -> list[dict]:
    period = ledgers.period_for(PeriodChoice.month, START.date())
    with db.session() as s:
        made = ledgers.build(s, kind=kind, period=period, viewer_id=town.people[DIRECTOR.name], now=START, tz=demo.SH)
    try:
        cells = [[c.value for c in row] for row in load_workbook(made.path).active.iter_rows()]
    finally:
        made.path.unlink()
    head = next(i for i, row in enumerate(cells) if row[0] in ("序号", "督办编号"))
    return [dict(zip(cells[head], row, strict=False)) for row in cells[head + 1:]
            if row[0] and (isinstance(row[0], int) or "号" in str(row[0]))]


def test_the_director_sees_the_demo_requests_the_consultation_and_the_instruction(db, town):
    visits = _rows(db, town, Kind.home_visits)
    assert [(r["当事人"], r["特殊情况"].split("：")[0]) for r in visits] == [
        ("孙大娘（13812340032）", "重病卧床"), ("钱老汉（13812340031）", "年老体弱")]  # asked two days, one day before
    assert visits[1]["审批"] == "待审批" and visits[0]["审批"].startswith("同意（刘海峰，")
    assert visits[0]["上门人员"] == "周明" and visits[0]["上门时间"]
    [met] = _rows(db, town, Kind.consultations)
    assert met["参加人员及单位"] == "刘海峰、孙丽、镇司法所、镇派出所、镇自然资源所"
    notices = {r["督办编号"]: r["请示及答复"] for r in _rows(db, town, Kind.notices)}
    assert "郑红请示：需要协调：" in notices[town.joint["notice_number"]]


async def test_the_director_gets_the_flows_in_stats(sandbox):
    director = sandbox.emu.user(DIRECTOR.telegram_id)
    await director.send_text("/stats")
    prompt = await director.wait_for_message(timeout=10)
    await director.press(prompt, "本月")
    text = await director.wait_for_message(timeout=20, predicate=lambda m: "化解率" in (m.plain_text or ""))
    assert "交办：登记 2，报送 1（按时 1）　会商 1" in text.plain_text
    assert "上门受理：申请 2，同意 1，不同意 0，已上门 0" in text.plain_text
    assert "请示：1，答复 0（延期 0、结案 0、移送 0、不同意 0）　到场 1" in text.plain_text
