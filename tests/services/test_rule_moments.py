"""The timing rules checked against moments worked out by hand, never against what the code computed.

Working hours are 08:30–12:00 and 14:30–17:30 (6.5 hours a day); an ordinary case has 3 working
days, counted from the day after acceptance and due at 17:30 of the third; yellow is at 70 % of the
working time from acceptance to the deadline.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.services import cases, deadlines, reminders
from bot.services.deadlines import DeadlinePolicy
from models import Case, Outbox, RequestKind
from tests.factories import Township

SH = ZoneInfo("Asia/Shanghai")
POLICY = DeadlinePolicy()


def local(y, m, d, hh=9, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH).astimezone(UTC)


def accepted_at(w: Township, moment: datetime) -> int:
    """A case accepted and assigned to 周明 (chat 5) at `moment`, its clock started then."""
    w.clock.set(moment)
    ref = w.submit()
    w.db.call(cases.accept, actor_id=w.staff, case_id=ref.id, now=moment)
    w.db.call(cases.assign, actor_id=w.staff, case_id=ref.id, handler_id=w.staff2, now=moment)
    with w.db.session() as s:
        case = s.get(Case, ref.id)
        deadlines.start_clock(s, case=case, now=moment, policy=POLICY)
        s.add(case)
    return ref.id


def due_and_yellow(w: Township, case_id: int) -> tuple[datetime, datetime]:
    with w.db.session() as s:
        case = s.get(Case, case_id)
        return case.due_at, case.yellow_at


def sweep_at(w: Township, moment: datetime) -> None:
    w.clock.set(moment)
    while True:
        result = w.db.call(reminders.sweep, now=moment, policy=POLICY)
        if result.cases == 0 or result.reminders == 0:
            return


def steps_to(w: Township, chat_id: int) -> list[str]:
    with w.db.session() as s:
        rows = s.exec(select(Outbox).where(Outbox.chat_id == chat_id, Outbox.key.like("rem:%")).order_by(Outbox.id))
        return [r.key.split(":")[2] for r in rows]



@pytest.mark.parametrize(
    ("accepted", "due", "yellow"),
    [
        # Mon 09:00 → due Thu 17:30. Working time: Mon 6 h + Tue, Wed, Thu 6.5 h = 25.5 h; 70 % = 17 h 51 min:
        # Mon 6 h, Tue 6.5 h, Wed 3.5 h in the morning, then 1 h 51 min after 14:30 → Wed 16:21.
        (local(2026, 11, 30, 9), local(2026, 12, 3, 17, 30), local(2026, 12, 2, 16, 21)),
        # Fri 16:00, across a night and a weekend → due Wed 17:30. 1.5 h + 3 × 6.5 h = 21 h; 70 % = 14 h 42 min:
        # Fri 1.5 h, Mon 6.5 h, Tue 6.5 h, then 12 min → Wed 08:42.
        (local(2026, 12, 4, 16), local(2026, 12, 9, 17, 30), local(2026, 12, 9, 8, 42)),
        # Thu 8 Oct 2026 09:00, after the National Day holiday; Sat 10 Oct is a make-up working day, Sun 11
        # is not → due Mon 12 Oct 17:30. 6 h + 3 × 6.5 h = 25.5 h; 70 % = 17 h 51 min: Thu 6 h, Fri 6.5 h,
        # Sat 3.5 h in the morning, then 1 h 51 min after 14:30 → Sat 10 Oct 16:21.
        (local(2026, 10, 8, 9), local(2026, 10, 12, 17, 30), local(2026, 10, 10, 16, 21)),
    ],
    ids=["weekdays", "night-and-weekend", "make-up-day"],
)
def test_deadline_and_yellow_fall_on_hand_computed_minutes(w, accepted, due, yellow):
    assert due_and_yellow(w, accepted_at(w, accepted)) == (due, yellow)


def test_the_yellow_reminder_goes_at_its_minute_not_before(w):
    accepted_at(w, local(2026, 11, 30, 9))
    sweep_at(w, local(2026, 12, 2, 16, 20))
    assert steps_to(w, 5) == []
    sweep_at(w, local(2026, 12, 2, 16, 21))
    assert steps_to(w, 5) == ["yellow"]


def test_ordinary_reminders_wait_for_working_hours(w):
    # Yellow falls due at Wed 16:21, but nobody sweeps until 18:00 (e.g. the bot was down): an
    # ordinary reminder is not sent after hours; it goes out when work starts on Thursday.
    accepted_at(w, local(2026, 11, 30, 9))
    sweep_at(w, local(2026, 12, 2, 18, 0))
    sweep_at(w, local(2026, 12, 2, 23, 30))
    sweep_at(w, local(2026, 12, 3, 7, 0))
    assert steps_to(w, 5) == []
    sweep_at(w, local(2026, 12, 3, 8, 30))
    assert steps_to(w, 5) != []


def test_the_director_is_told_from_the_first_working_day_after_a_mid_day_deadline(w):
    # Paused from Mon 09:00 to 11:00 (2 working hours): the deadline moves from Thu 17:30 to Fri 10:30.
    case_id = accepted_at(w, local(2026, 11, 30, 9))
    for kind, moment in ((RequestKind.pause, local(2026, 11, 30, 9)), (RequestKind.resume, local(2026, 11, 30, 11))):
        req = w.db.call(deadlines.request_change, actor_id=w.staff2, case_id=case_id, kind=kind, reason="当事人外出",
                        now=moment, policy=POLICY)
        w.db.call(deadlines.decide, actor_id=w.leader, request_id=req.id, approve=True, now=moment, policy=POLICY)
    assert due_and_yellow(w, case_id)[0] == local(2026, 12, 4, 10, 30)
    # Overdue from 10:30 on Friday, but the overdue ladder starts on the next working day (Monday).
    for moment in (local(2026, 12, 4, 11), local(2026, 12, 4, 15), local(2026, 12, 4, 17, 29)):
        sweep_at(w, moment)
    assert steps_to(w, 1) == []
    assert "overdue" not in steps_to(w, 5)
    sweep_at(w, local(2026, 12, 7, 8, 30))
    assert steps_to(w, 1) == ["overdue_director"]
    assert steps_to(w, 5).count("overdue") == 1
