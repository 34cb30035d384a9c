"""One wording of time left and time overdue (workdays.time_left), worked out by hand.

Working hours 08:30–12:00 and 14:30–17:30: a working day is 6 h 30 min. The 2026 official calendar:
12-04 is a Friday, 12-07 a Monday; 10-01…10-07 are the National Day holiday, 10-10 (Sat) a make-up day.
Minutes are counted from the clock as people read it (hh:mm), seconds dropped on both sides.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.services.workdays import WorkCalendar, time_left

SH = ZoneInfo("Asia/Shanghai")


def at(m, d, hh, mm=0, ss=0) -> datetime:
    return datetime(2026, m, d, hh, mm, ss, tzinfo=SH)


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar(tz=SH)


MONDAY_EVENING = at(12, 7, 17, 30)  # a case due at the end of Monday 12-07


@pytest.mark.parametrize(("now", "words", "days"), [
    (at(12, 7, 17, 30), "已到期", 0),  # the very minute
    (at(12, 7, 17, 45), "已超期", 0),  # past due, but no working time has passed since
    (at(12, 8, 8, 30), "已超期", 0),  # Tuesday 08:30: read 「已超期 1 分钟」
    (at(12, 8, 9, 0), "已超期 30 分钟", 0),  # read 「已超期 2 个工作日」
    (at(12, 8, 9, 6), "已超期 36 分钟", 0),  # read 「超期 3 个工作日」
    (at(12, 8, 12, 0), "已超期 3 小时 30 分钟", 0),  # the whole morning
    (at(12, 8, 13, 0), "已超期 3 小时 30 分钟", 0),  # lunch is not working time
    (at(12, 8, 17, 30), "已超期 1 个工作日", 1),  # 6 h 30 min = one working day
    (at(12, 9, 10, 30), "已超期 1 个工作日 2 小时", 1),  # 6:30 + 2:00
    (at(12, 12, 10, 0), "已超期 4 个工作日", 4),  # Saturday: Tue–Fri
])
def test_overdue_in_working_time(cal, now, words, days):
    left = time_left(MONDAY_EVENING, now, cal=cal)
    assert left.words == words and left.overdue and left.days == days


@pytest.mark.parametrize(("now", "words"), [
    (at(12, 4, 17, 0), "剩 1 个工作日"),  # Friday 17:00: 0:30 + Monday 6:30 = 7:00
    (at(12, 5, 11, 0), "剩 1 个工作日"),  # Saturday: only Monday is left
    (at(12, 7, 8, 30), "剩 1 个工作日"),
    (at(12, 7, 10, 0), "剩 5 小时"),  # 2:00 + 3:00
    (at(12, 7, 13, 0), "剩 3 小时"),  # lunch: the afternoon is left
    (at(12, 7, 16, 5), "剩 1 小时 25 分钟"),
    (at(12, 7, 17, 0), "剩 30 分钟"),
    (at(12, 7, 17, 29, 30), "剩 1 分钟"),  # 17:29 on the clock
])
def test_remaining_in_working_time(cal, now, words):
    left = time_left(MONDAY_EVENING, now, cal=cal)
    assert left.words == words and not left.overdue


def test_holidays_are_not_working_time(cal):
    after_holiday = at(10, 8, 17, 30)  # Thursday, the first working day after National Day
    assert time_left(after_holiday, at(9, 30, 17, 0), cal=cal).words == "剩 1 个工作日"  # 0:30 + 6:30
    assert time_left(after_holiday, at(10, 3, 10, 0), cal=cal).words == "剩 1 个工作日"
    before_holiday = at(9, 30, 17, 30)
    assert time_left(before_holiday, at(10, 7, 20, 0), cal=cal).words == "已超期"  # the whole week off
    assert time_left(before_holiday, at(10, 8, 9, 0), cal=cal).words == "已超期 30 分钟"
    # 10-08, 10-09 and the make-up Saturday 10-10 are three working days
    assert time_left(before_holiday, at(10, 10, 17, 30), cal=cal).words == "已超期 3 个工作日"


@pytest.mark.parametrize(("due", "now", "words"), [
    (at(12, 7, 19, 40), at(12, 7, 20, 11), "已超期 31 分钟"),  # read 「已超时 30 分钟」
    (at(12, 7, 19, 40, 37), at(12, 7, 20, 11, 5), "已超期 31 分钟"),  # 19:40 → 20:11 as on the clock
    (at(12, 7, 19, 40), at(12, 7, 19, 31), "剩 9 分钟"),
    (at(12, 7, 19, 40), at(12, 7, 19, 40, 50), "已到期"),
    (at(12, 7, 19, 40), at(12, 7, 21, 45), "已超期 2 小时 5 分钟"),
    (at(12, 7, 23, 50), at(12, 8, 0, 20), "已超期 30 分钟"),  # across midnight: clock time counts
    (at(12, 5, 10, 0), at(12, 6, 12, 0), "已超期 1 天 2 小时"),  # a weekend counts too
])
def test_clock_time_for_information_reports(due, now, words):
    assert time_left(due, now).words == words


# --- the callers word time through time_left ------------------------------------------------


def test_the_case_light_says_overdue_without_inventing_minutes(db, clock):
    from bot.services import cases, deadlines
    from models import Case
    from tests.factories import Township

    w = Township.build(db, clock)
    ref = w.submit()
    w.db.call(cases.accept, actor_id=w.staff, case_id=ref.id, now=clock.now())  # Mon 11-30: due Thu 12-03 17:30
    with db.session() as s:
        case = s.get(Case, ref.id)
        deadlines.start_clock(s, case=case, now=clock.now(), policy=deadlines.DeadlinePolicy())
        s.add(case)
        s.flush()
        cal = WorkCalendar.load(s, tz=SH)
        assert case.due_at == at(12, 3, 17, 30)
        assert deadlines.light(case, at(12, 4, 8, 30), cal, SH).left == "已超期"  # read 「已超期 1 分钟」
        assert deadlines.light(case, at(12, 4, 9, 6), cal, SH).left == "已超期 36 分钟"


def test_information_report_reminders_count_clock_minutes_as_read(db, clock):
    from sqlmodel import select

    from bot.services import info_reports as ir
    from models import Case, Outbox, Person
    from tests.factories import Township

    w = Township.build(db, clock)
    clock.set(at(11, 30, 19, 10, 37))  # the first report is due 19:40 (and 37 s)
    ref = w.submit(type_id=w.mass)
    with db.session() as s:
        ir.open_first_report(s, case=s.get(Case, ref.id), reporter=s.get(Person, w.grid_worker),
                             now=clock.now(), minutes=30, tz=SH)
    w.db.call(ir.sweep_due, now=at(11, 30, 19, 31, 5))
    w.db.call(ir.sweep_due, now=at(11, 30, 20, 11, 5))
    with db.session() as s:
        texts = [o.text for o in s.exec(select(Outbox).where(Outbox.key.like("info:%:p%"), Outbox.chat_id == 6)
                                        .order_by(Outbox.id))]
    assert len(texts) == 2
    assert "剩 9 分钟" in texts[0] and "19:40" in texts[0]
    assert "已超期 31 分钟" in texts[1] and "19:40" in texts[1]  # read 「已超时 30 分钟」 at 20:11
