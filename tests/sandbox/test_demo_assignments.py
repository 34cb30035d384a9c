"""The demo township's 上级交办 and 上门受理 (issue 16): an open 交办 shown on its card and chased by
the sweep, a finished one reported back 书面 in the 台账, a 上门受理 request waiting for the leaders
and one scheduled; reachable by the demo people through the running sandbox."""

from datetime import date

import pytest

from bot import texts
from bot.sandbox import demo
from bot.services import assignments, people
from bot.services.intake import IntakePolicy
from models import CaseAssignment, HomeVisit, HomeVisitStatus
from tests.sandbox.conftest import SH, START


@pytest.fixture
def town(db):
    return demo.build(db, start=START, policy=IntakePolicy())


def test_demo_assignments_and_home_visits(db, town):
    a = town.assignments
    with db.session() as s:
        opened = s.get(CaseAssignment, a["open_case"])
        # START is Friday 2026-11-27: two working days later is Tuesday 2026-12-01, 17:30
        assert (opened.assigner, opened.reported_at) == ("县信访局", None)
        assert opened.due_at.astimezone(SH).date() == date(2026, 12, 1)
        done = s.get(CaseAssignment, a["done_case"])
        assert (done.assigner, done.report_method) == ("镇党委", "书面")
        viewer = people.get(s, person_id=town.people["王志强"])
        rows, hidden = assignments.ledger_rows(s, viewer=viewer, start=date(2026, 11, 1), end=date(2026, 11, 30),
                                               tz=SH, status_labels=texts.STATUS_LABELS)
        # recorded in November: 县信访局 two working days before the start (Nov 25), 镇党委 one (Nov 26)
        assert hidden == 0 and [(r.assigner, r.on_time) for r in rows] == [("县信访局", ""), ("镇党委", "按时")]
        assert s.get(HomeVisit, a["pending_visit"]).status == HomeVisitStatus.pending
        scheduled = s.get(HomeVisit, a["scheduled_visit"])
        assert scheduled.status == HomeVisitStatus.scheduled and scheduled.visit_at.astimezone(SH).hour == 14


async def test_demo_people_reach_them_in_the_sandbox(sandbox):
    leader = sandbox.emu.user(demo.persona("刘海峰").telegram_id)
    await leader.send_text("/homevisit")
    listing = await leader.wait_for_message(timeout=10)
    assert any("钱老汉" in b for b in listing.buttons) and any("孙大娘" in b for b in listing.buttons)
    await leader.press(listing, next(b for b in listing.buttons if "钱老汉" in b))
    shown = await leader.wait_for_message(timeout=10)
    assert "年老体弱" in shown.plain_text and shown.buttons == ["同意", "不同意"]

    staff = sandbox.emu.user(demo.persona("孙丽").telegram_id)
    await staff.send_text(f"/case {sandbox.town.numbers['due_tomorrow']}")
    card = await staff.wait_for_message(timeout=10)
    assert "📥 上级交办：县信访局（县信访转〔2026〕18号），时限 2026-12-01（办理情况未报送）" in card.plain_text
    assert "📥 修改交办信息" in card.buttons
