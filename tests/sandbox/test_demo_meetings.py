"""The demo township's meetings (issue 15): a past weekly meeting with minutes and decisions (one
overdue), a 联席会议 whose important decision waits for the secretary, the next weekly meeting with
its invitations; each reachable by the demo people through the running sandbox."""

import pytest
from sqlmodel import col, select

from bot.sandbox import demo
from bot.services import decisions, meetings
from bot.services.deadlines import DeadlinePolicy
from bot.services.intake import IntakePolicy
from bot.sweeps import sweep_all
from models import Decision, DecisionStatus, MeetingStatus, MinuteItem, Outbox
from tests.sandbox.conftest import START


@pytest.fixture
def town(db):
    return demo.build(db, start=START, policy=IntakePolicy())


def test_past_meeting_with_minutes_and_decisions_one_overdue(db, town):
    m = town.meetings
    with db.session() as s:
        director = town.people["王志强"]
        past = meetings.meeting_view(s, actor_id=director, meeting_id=m["past_weekly"])
        assert past.status == MeetingStatus.held and past.number == "〔2026〕例会第1号"
        assert len(list(s.exec(select(MinuteItem).where(MinuteItem.meeting_id == past.id)))) == 3
        present, _observers, leave = meetings.attendance(past)
        assert "刘海峰" in present and leave == ["周明（外出参加县司法局培训）"]
        overdue = s.get(Decision, m["overdue_decision"])
        assert overdue.status == DecisionStatus.issued and overdue.due_at < START and overdue.case_id is not None
        assert s.get(Decision, m["open_decision"]).status == DecisionStatus.received
        assert s.get(Decision, m["closed_decision"]).status == DecisionStatus.closed
        assert s.get(Decision, m["held_decision"]).status == DecisionStatus.held
        upcoming = meetings.meeting_view(s, actor_id=director, meeting_id=m["upcoming"])
        assert upcoming.status == MeetingStatus.scheduled and upcoming.starts_at > START
        assert len(upcoming.invitees) == 5 and len(upcoming.unanswered) == 3  # the director and 赵敏 answered
        # reachable: the unit's contact sees the overdue decision on /meetings, the leader the meetings
        assert [d.number for d in decisions.my_decisions(s, person_id=town.people["吴刚"])] == [overdue.number]
        upcoming_lines, past_lines = meetings.list_meetings(s, actor_id=town.people["刘海峰"], now=START)
        assert [x.id for x in upcoming_lines] == [m["upcoming"]]
        assert m["past_weekly"] in [x.id for x in past_lines]


async def test_demo_people_reach_the_meetings_in_the_sandbox(sandbox):
    unit = sandbox.emu.user(demo.persona("吴刚").telegram_id)
    await unit.send_text("/meetings")
    listing = await unit.wait_for_message(timeout=10)
    assert "交给我（单位、村）的议定事项" in listing.plain_text and "〔2026〕例会第1号-1" in listing.plain_text
    secretary = sandbox.emu.user(demo.persona("陈建国").telegram_id)
    await secretary.send_text("/meetings")
    listing = await secretary.wait_for_message(timeout=10)
    await secretary.press(listing, next(b for b in listing.buttons if "联席会议" in b))
    card = await secretary.wait_for_message(timeout=10)
    assert "待党委会议审定" in card.plain_text
    assert any(b.startswith("🏛 〔2026〕联席会第1号-1 同意") for b in card.buttons)
    director = sandbox.emu.user(demo.persona("王志强").telegram_id)
    await director.send_text("/meetings")
    listing = await director.wait_for_message(timeout=10)
    assert "待召开" in listing.plain_text and "2026年第2次工作例会" in listing.plain_text


def test_the_demo_week_has_no_weekly_meeting_and_the_director_alone_is_told(db, town):
    """This week (11-23 … 11-29) has no 工作例会: the first sweep at the start warns the director."""
    with db.session() as s:
        assert meetings.sweep_missing(s, now=START, policy=DeadlinePolicy()) == 1
    with db.session() as s:
        [row] = s.exec(select(Outbox).where(col(Outbox.key).startswith("meetings:weekly-missing:"))).all()
    assert row.key == f"meetings:weekly-missing:2026-11-23:p{town.people['王志强']}"
    assert "本周（11月23日—11月29日）还没有安排工作例会" in row.text


async def test_the_director_sees_the_warning_in_the_sandbox_and_schedules_from_it(sandbox):
    await sweep_all(sandbox.app)  # the sandbox's first sweep, as at its start
    director = sandbox.emu.user(demo.persona("王志强").telegram_id)
    warning = await director.wait_for_message(timeout=10, predicate=lambda m: "还没有安排工作例会" in (m.plain_text or ""))
    assert warning.buttons == ["➕ 安排工作例会"]
    await director.press(warning, "➕ 安排工作例会")
    days = await director.wait_for_message(timeout=10, predicate=lambda m: "安排工作例会：请选择日期" in (m.plain_text or ""))
    assert any(label.startswith("⭐") for label in days.buttons)
    staff = sandbox.emu.user(demo.persona("孙丽").telegram_id)
    assert not [m for m in sandbox.emu.world.chat_messages(staff.id) if "还没有安排工作例会" in (m.plain_text or "")]
