"""Official Chinese working days and working hours.

The chinesecalendar package knows the State Council's holidays and make-up days (调休补班) up to
its release; admins can override any day and enter a year the package does not know. For such a
year we fall back to Monday–Friday and say so (`provisional`), never crash.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
from sqlmodel import Session

from bot.services import reference

CENTER_TZ = ZoneInfo("Asia/Shanghai")  # the center's local time: its working hours, days and years

DEFAULT_HOURS = ((time(8, 30), time(12, 0)), (time(14, 30), time(17, 30)))


def package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


@dataclass(frozen=True)
class Due:
    at: datetime  # aware, UTC
    provisional: bool  # counted over a year whose official schedule is not known yet


class WorkCalendar:
    """Answers "is this a working day / working time" and counts working days. Load once per sweep."""

    def __init__(self, *, tz: ZoneInfo, overrides: dict[date, bool] | None = None,
                 confirmed_years: set[int] | None = None, hours=DEFAULT_HOURS):
        self.tz = tz
        self.overrides = overrides or {}
        self.confirmed_years = confirmed_years or set()
        self.hours = tuple(hours)
        self._known: dict[int, bool] = {}

    @classmethod
    def load(cls, session: Session, *, tz: ZoneInfo, hours=DEFAULT_HOURS) -> "WorkCalendar":
        overrides, confirmed = reference.calendar_days(session)
        return cls(tz=tz, overrides=overrides, confirmed_years=confirmed, hours=hours)

    def year_known(self, year: int) -> bool:
        if year in self.confirmed_years:
            return True
        if year not in self._known:
            self._known[year] = package_knows(year)
        return self._known[year]

    def is_workday(self, day: date) -> tuple[bool, bool]:
        """(working day?, provisional?)"""
        if day in self.overrides:
            return self.overrides[day], False
        if day.year not in self.confirmed_years and self.year_known(day.year):
            return chinese_calendar.is_workday(day), False
        return day.weekday() < 5, not self.year_known(day.year)

    def working_day_before(self, day: date) -> date:
        """The last working day before `day` (a long holiday is never more than a few weeks)."""
        for _ in range(60):
            day -= timedelta(days=1)
            if self.is_workday(day)[0]:
                return day
        return day

    def working_day_on_or_before(self, day: date) -> date:
        """`day` itself if it is a working day, else the working day before it (a month's last)."""
        return day if self.is_workday(day)[0] else self.working_day_before(day)

    def working_day_after(self, day: date) -> date:
        for _ in range(60):
            day += timedelta(days=1)
            if self.is_workday(day)[0]:
                return day
        return day

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.tz)

    def at(self, day: date, t: time) -> datetime:
        """`t` o'clock local time on `day`, as a UTC moment."""
        return datetime.combine(day, t, tzinfo=self.tz).astimezone(ZoneInfo("UTC"))

    def is_working_time(self, moment: datetime) -> bool:
        loc = self.local(moment)
        if not self.is_workday(loc.date())[0]:
            return False
        return any(start <= loc.time() < end for start, end in self.hours)

    def next_working_start(self, moment: datetime) -> datetime:
        """The start of the next working period at or after `moment` (now, if already inside one)."""
        if self.is_working_time(moment):
            return moment
        loc = self.local(moment)
        day = loc.date()
        for _ in range(400):
            if self.is_workday(day)[0]:
                for start, _end in self.hours:
                    candidate = self.at(day, start)
                    if candidate > moment:
                        return candidate
            day += timedelta(days=1)
        raise RuntimeError("no working day within 400 days")

    def add_working_days(self, start: datetime, days: int) -> Due:
        """Due at the end of the working day that is the `days`-th working day after `start`'s date
        (accepted 2026-09-30 + 3 → 2026-10-10 17:30, a Saturday make-up day)."""
        day = self.local(start).date()
        provisional = False
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            workday, guessed = self.is_workday(day)
            provisional |= guessed
            counted += workday
        return Due(at=self.at(day, self.hours[-1][1]), provisional=provisional)

    def working_seconds(self, start: datetime, end: datetime) -> float:
        """Working time between two moments: what 70 % of a deadline is measured in."""
        if end <= start:
            return 0.0
        total = 0.0
        day = self.local(start).date()
        last = self.local(end).date()
        while day <= last:
            if self.is_workday(day)[0]:
                for s, e in self.hours:
                    a, b = max(start, self.at(day, s)), min(end, self.at(day, e))
                    if b > a:
                        total += (b - a).total_seconds()
            day += timedelta(days=1)
        return total


    def add_working_seconds(self, start: datetime, seconds: float) -> datetime:
        """The moment when `seconds` of working time after `start` have passed."""
        remaining = seconds
        day = self.local(start).date()
        for _ in range(800):
            if self.is_workday(day)[0]:
                for s, e in self.hours:
                    a, b = max(start, self.at(day, s)), self.at(day, e)
                    if b <= a:
                        continue
                    span = (b - a).total_seconds()
                    if remaining <= span:
                        return a + timedelta(seconds=remaining)
                    remaining -= span
            day += timedelta(days=1)
        raise RuntimeError("no working time within 800 days")


@dataclass(frozen=True)
class TimeLeft:
    """Time to a deadline, or past it: working days/hours/minutes, or clock days/hours/minutes."""

    overdue: bool
    days: int  # whole working days (a working day = the day's working hours) or whole clock days
    hours: int
    minutes: int
    working: bool
    passed: bool = False  # past the deadline on the clock, even if no working time has passed since

    @property
    def amount(self) -> str:
        """「2 个工作日 3 小时」「1 小时 30 分钟」「36 分钟」, or "" under a minute."""
        day = "个工作日" if self.working else "天"
        if self.days:
            return f"{self.days} {day}" + (f" {self.hours} 小时" if self.hours else "")
        if self.hours:
            return f"{self.hours} 小时" + (f" {self.minutes} 分钟" if self.minutes else "")
        return f"{self.minutes} 分钟" if self.minutes else ""

    @property
    def words(self) -> str:
        """「剩 2 个工作日 3 小时」「已超期 36 分钟」「已超期」「已到期」「即将到期」: every message says it so."""
        amount = self.amount
        if not self.overdue:
            return f"剩 {amount}" if amount else "即将到期"
        if amount:
            return f"已超期 {amount}"
        return "已超期" if self.passed else "已到期"


def time_left(due: datetime, now: datetime, *, cal: "WorkCalendar | None" = None) -> TimeLeft:
    """THE measure of time left or overdue, for every message. With `cal`: working time (case and
    督办 deadlines count working days); without: clock time (信息报告 minutes). Both moments are
    taken to the minute, as people read the clock, so 19:40 → 20:11 is 31 minutes."""
    due, now = due.replace(second=0, microsecond=0), now.replace(second=0, microsecond=0)
    overdue = now >= due
    start, end = (due, now) if overdue else (now, due)
    if cal is None:
        seconds, day_seconds = (end - start).total_seconds(), 86400
    else:
        seconds = cal.working_seconds(start, end)
        day_seconds = sum((datetime.combine(date.min, e) - datetime.combine(date.min, s)).total_seconds()
                          for s, e in cal.hours)
    days, rest = divmod(int(seconds), int(day_seconds))
    return TimeLeft(overdue=overdue, days=days, hours=rest // 3600, minutes=rest % 3600 // 60,
                    working=cal is not None, passed=now > due)


def parse_hours(spec: str) -> tuple[tuple[time, time], ...]:
    """"08:30-12:00,14:30-17:30" → periods; raises ValueError with a readable message."""
    periods = []
    for part in spec.replace("，", ",").split(","):
        start, _, end = part.strip().partition("-")
        try:
            s, e = time.fromisoformat(start.strip()), time.fromisoformat(end.strip())
        except ValueError:
            raise ValueError(f"「{part}」应形如 08:30-12:00") from None
        if e <= s:
            raise ValueError(f"{part} 的结束时间应晚于开始时间")
        periods.append((s, e))
    if not periods or any(periods[i][1] > periods[i + 1][0] for i in range(len(periods) - 1)):
        raise ValueError("时段应按时间先后排列且不重叠，例如 08:30-12:00,14:30-17:30")
    return tuple(periods)
