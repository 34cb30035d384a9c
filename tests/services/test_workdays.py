"""Working days and hours: the official 2026 calendar, admin overrides, an unknown year."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.services.workdays import WorkCalendar, parse_hours

SH = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=9, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH)


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar(tz=SH)


def test_national_day_and_make_up_saturday(cal):
    due = cal.add_working_days(at(2026, 9, 30, 10), 3)
    assert due.at == at(2026, 10, 10, 17, 30).astimezone(UTC) and not due.provisional
    assert cal.is_workday(date(2026, 10, 10)) == (True, False)  # 调休补班 Saturday
    assert cal.is_workday(date(2026, 10, 1)) == (False, False)


def test_ordinary_week_and_weekend(cal):
    assert cal.add_working_days(at(2026, 11, 30), 3).at == at(2026, 12, 3, 17, 30)  # Mon → Thu
    assert cal.add_working_days(at(2026, 12, 3), 7).at == at(2026, 12, 14, 17, 30)  # over a weekend


def test_deadline_into_an_unknown_year_is_provisional_and_does_not_crash(cal):
    due = cal.add_working_days(at(2026, 12, 29), 7)
    assert due.provisional
    assert due.at == at(2027, 1, 7, 17, 30)  # Mon–Fri fallback in 2027: Dec 30, 31, Jan 1, 4, 5, 6, 7
    assert cal.is_workday(date(2027, 1, 1)) == (True, True)


def test_admin_overrides_and_confirmed_year_recompute(cal):
    entered = WorkCalendar(tz=SH, overrides={date(2027, 1, 1): False}, confirmed_years={2027})
    due = entered.add_working_days(at(2026, 12, 29), 7)
    assert not due.provisional and due.at == at(2027, 1, 8, 17, 30)


def test_working_time_and_next_start(cal):
    assert cal.is_working_time(at(2026, 11, 30, 9))
    assert not cal.is_working_time(at(2026, 11, 30, 12, 30))  # lunch
    assert not cal.is_working_time(at(2026, 10, 1, 9))  # holiday
    assert cal.next_working_start(at(2026, 11, 30, 12, 30)) == at(2026, 11, 30, 14, 30)
    assert cal.next_working_start(at(2026, 9, 30, 18)) == at(2026, 10, 8, 8, 30)
    assert cal.next_working_start(at(2026, 11, 30, 9)) == at(2026, 11, 30, 9)


def test_working_seconds(cal):
    assert cal.working_seconds(at(2026, 11, 30, 8, 30), at(2026, 11, 30, 17, 30)) == 6.5 * 3600
    assert cal.working_seconds(at(2026, 12, 4, 17), at(2026, 12, 7, 9)) == 0.5 * 3600 + 0.5 * 3600


def test_parse_hours():
    assert parse_hours("08:30-12:00，14:30-17:30") == ((time(8, 30), time(12)), (time(14, 30), time(17, 30)))
    with pytest.raises(ValueError):
        parse_hours("12:00-08:00")


def test_add_working_seconds_skips_lunch_nights_and_holidays(cal):
    assert cal.add_working_seconds(at(2026, 11, 30, 11), 5400) == at(2026, 11, 30, 15)
    assert cal.add_working_seconds(at(2026, 9, 30, 17), 3600) == at(2026, 10, 8, 9)
    start, due = at(2026, 11, 30, 9), cal.add_working_days(at(2026, 11, 30, 9), 3).at
    total = cal.working_seconds(start, due)
    assert cal.working_seconds(start, cal.add_working_seconds(start, total * 0.7)) == pytest.approx(total * 0.7)
