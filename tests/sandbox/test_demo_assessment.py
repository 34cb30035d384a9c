"""The demo township's 目标管理考核 (issue 17): the catalogue, 吴刚 signed and 郑红 not, 镇派出所's
hand-scored deduction, an overdue 整改 order; /score reachable by 吴刚, 郑红 and the director in the
running sandbox."""

from datetime import datetime
from decimal import Decimal

import pytest

from bot.sandbox import demo
from bot.sandbox.runner import Sandbox, SandboxOptions
from bot.services.assessment import agreements, rectify, scoring
from bot.services.assessment.measures import Subject
from bot.services.intake import IntakePolicy
from models import SubjectKind
from tests.sandbox.conftest import SH, START

DEC4 = datetime(2026, 12, 4, 9, 0, tzinfo=SH)


@pytest.fixture
def town(db):
    return demo.build(db, start=START, policy=IntakePolicy())


def test_demo_assessment_signed_scored_and_an_overdue_order(db, town):
    boss = town.people["王志强"]
    with db.session() as s:
        st = agreements.status(s, actor_id=boss, year=2026)
        assert (st.signed, st.unsigned) == (["镇司法所 吴刚"], ["镇派出所 郑红", "东山村 何永福"])
        # the village head: a 单位联络人 registered to 东山村 with no unit, bound to Telegram by phone
        assert scoring.subject_of(s, town.people["何永福"]) == Subject(SubjectKind.village, town.villages["东山村"])
        assert [p.name for p in scoring.heads(s, Subject(SubjectKind.village, town.villages["东山村"]))] == ["何永福"]
        police = scoring.view(s, actor_id=town.people["郑红"], year=2026, now=START, tz=SH)
        assert police.name == "镇派出所"
        ledger = next(i for i in police.items if i.name == "基础台账资料")
        assert ledger.lost == Decimal(2) and "台账缺少两次记录" in ledger.reasons[0]
        orders = rectify.orders(s, actor_id=boss, year=2026, now=START, tz=SH)
        assert [(o.subject, o.owner, o.overdue) for o in orders] == [("镇派出所", "郑红", True)]
        ranking = scoring.ranking(s, year=2026, now=START, tz=SH)
        assert {r.name for r in ranking} >= {"镇司法所", "镇派出所", "东山村"}


async def test_demo_people_reach_their_scores_in_the_sandbox(sandbox):
    for name, unit in (("吴刚", "镇司法所"), ("郑红", "镇派出所")):
        user = sandbox.emu.user(demo.persona(name).telegram_id)
        await user.send_text("/score")
        mine = await user.wait_for_message(timeout=10)
        assert f"{unit}：" in mine.plain_text and "1. 按期办结率" in mine.plain_text
    boss = sandbox.emu.user(demo.persona("王志强").telegram_id)
    await boss.send_text("/score")
    ranking = await boss.wait_for_message(timeout=10)
    assert "2026年度考核排名" in ranking.plain_text and "镇派出所" in ranking.plain_text
    await boss.press(ranking, "责任书签订")
    status = await boss.wait_for_message(timeout=10, predicate=lambda m: "目标管理责任书" in (m.plain_text or ""))
    assert "未签订：镇派出所 郑红" in status.plain_text


@pytest.fixture
async def sandbox_dec4(tmp_path):
    """The sandbox started Fri 2026-12-04 (as it is started today): the demo's 东山村 return for the period
    due 11月16日 is dated when 张伟 reported his case, 9 working days back = 11月23日: late."""
    box = Sandbox(SandboxOptions(db_path=tmp_path / "sandbox.db", port=0, start=DEC4, sweep_interval=0))
    await box.start()
    yield box
    await box.stop()


async def test_the_demo_village_head_sees_his_village_score_and_signs(sandbox_dec4):
    """何永福 (1012), 东山村's 村委会主任 (a 单位联络人 of the village, no unit): /score shows 东山村, whose
    late 排查 return cost 0.5 (10 → 9.5); the 责任书 sent 11月20日 (10 working days back) is unsigned 5
    working days on (11月27日 17:30), so the first sweep (「+1 小时」) reminds him with a 签订 button, and
    he signs; the director's status then shows only 郑红 missing."""
    sandbox = sandbox_dec4
    assert demo.persona("何永福").telegram_id == 1012
    head = sandbox.emu.user(1012)
    await head.send_text("/score")
    mine = await head.wait_for_message(timeout=10)
    assert "东山村：" in mine.plain_text and "排查报送" in mine.plain_text
    line = next(x for x in mine.plain_text.splitlines() if "排查报送" in x)
    assert line == "5. 排查报送（10分）：-0.5（排查未按时报送 1 次）"
    await sandbox.advance("hour")
    reminder = await head.wait_for_message(timeout=10, predicate=lambda m: "您尚未签订" in (m.plain_text or ""))
    await head.press(reminder, "签订")
    signed = await head.wait_for_message(timeout=10, predicate=lambda m: "已签订" in (m.plain_text or ""))
    assert "已签订2026年度目标管理责任书" in signed.plain_text
    with sandbox.db.session() as s:
        st = agreements.status(s, actor_id=sandbox.town.people["王志强"], year=2026)
    assert st.unsigned == ["镇派出所 郑红"] and "东山村 何永福" in st.signed


async def test_demo_staff_member_sees_her_praise(sandbox):
    staff = sandbox.emu.user(demo.persona("孙丽").telegram_id)
    await staff.send_text("/myrecord")
    record = await staff.wait_for_message(timeout=10)
    assert "孙丽 2026年度工作记录" in record.plain_text and "表扬" in record.plain_text
    assert "群众送来感谢信" in record.plain_text


async def test_demo_teams_and_the_safe_unit(sandbox):
    unit = sandbox.emu.user(demo.persona("吴刚").telegram_id)
    await unit.send_text("/teams")
    own = await unit.wait_for_message(timeout=10)
    assert "镇司法所 群防群治与平安创建" in own.plain_text and "平安单位创建：验收通过" in own.plain_text
    staff = sandbox.emu.user(demo.persona("周明").telegram_id)
    await staff.send_text("/teams")
    picker = await staff.wait_for_message(timeout=10)
    await staff.press(picker, "东山村")
    shown = await staff.wait_for_message(timeout=10, predicate=lambda m: "东山村 群防群治" in (m.plain_text or ""))
    assert "治保会：负责人 陈德明 139****1111" in shown.plain_text and "尚未登记：巡逻队" in shown.plain_text


async def test_the_demo_village_head_applies_for_a_safe_market(sandbox):
    """基层平安创建 beyond the village: 东山村's school (passed) and families (waiting) are shown, and its head
    applies for a market by typing its name; the director finds the families' review button."""
    head = sandbox.emu.user(demo.persona("何永福").telegram_id)
    await head.send_text("/teams")
    own = await head.wait_for_message(timeout=10, predicate=lambda m: "东山村 群防群治" in (m.plain_text or ""))
    assert "平安学校「东山村小学」创建：验收通过" in own.plain_text
    assert "平安家庭（86户）创建：待审核" in own.plain_text
    await head.press(own, "申报2026年平安市场")
    await head.wait_for_message(timeout=10, predicate=lambda m: "市场名称" in (m.plain_text or ""))
    await head.send_text("东山农贸市场")
    await head.wait_for_message(timeout=10, predicate=lambda m: "平安市场「东山农贸市场」创建：待审核" in (m.plain_text or ""))
    boss = sandbox.emu.user(demo.persona("王志强").telegram_id)
    await boss.send_text("/teams")
    picker = await boss.wait_for_message(timeout=10)
    await boss.press(picker, "东山村")
    shown = await boss.wait_for_message(timeout=10, predicate=lambda m: "东山村 群防群治" in (m.plain_text or ""))
    assert "2026年平安家庭（86户）：验收通过" in shown.buttons
