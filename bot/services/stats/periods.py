"""Statistics periods: a month, a quarter or a year in the center's local calendar."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.texts import stats as words


class PeriodKind(StrEnum):
    month = "month"
    quarter = "quarter"
    year = "year"


class PeriodChoice(StrEnum):
    """The buttons of /stats; each means a period relative to today."""

    this_month = "this_month"
    last_month = "last_month"
    this_quarter = "this_quarter"
    last_quarter = "last_quarter"
    this_year = "this_year"


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    year: int
    index: int  # month 1–12, quarter 1–4, 1 for a year

    def __post_init__(self) -> None:
        top = {PeriodKind.month: 12, PeriodKind.quarter: 4, PeriodKind.year: 1}[self.kind]
        if not 1 <= self.index <= top or not 2000 <= self.year <= 2100:
            raise ValueError(f"no such period: {self}")

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        return cls(PeriodKind.month, year, month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        return cls(PeriodKind.quarter, year, quarter)

    @classmethod
    def whole_year(cls, year: int) -> "Period":
        return cls(PeriodKind.year, year, 1)

    @property
    def start(self) -> date:
        if self.kind == PeriodKind.month:
            return date(self.year, self.index, 1)
        if self.kind == PeriodKind.quarter:
            return date(self.year, 3 * self.index - 2, 1)
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        """The first day after the period."""
        return self.next().start

    def next(self) -> "Period":
        top = {PeriodKind.month: 12, PeriodKind.quarter: 4, PeriodKind.year: 1}[self.kind]
        if self.index < top:
            return Period(self.kind, self.year, self.index + 1)
        return Period(self.kind, self.year + 1, 1)

    def previous(self) -> "Period":
        """环比: the period just before."""
        if self.index > 1:
            return Period(self.kind, self.year, self.index - 1)
        top = {PeriodKind.month: 12, PeriodKind.quarter: 4, PeriodKind.year: 1}[self.kind]
        return Period(self.kind, self.year - 1, top)

    def last_year(self) -> "Period":
        """同比: the same period a year before."""
        return Period(self.kind, self.year - 1, self.index)

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.month:
            return words.PERIOD_MONTH.format(year=self.year, month=self.index)
        if self.kind == PeriodKind.quarter:
            return words.PERIOD_QUARTER.format(year=self.year, quarter=self.index)
        return words.PERIOD_YEAR.format(year=self.year)

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) in UTC: local midnight to local midnight."""
        return _utc(self.start, tz), _utc(self.end, tz)


def _utc(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def month_of(day: date) -> Period:
    return Period.month(day.year, day.month)


def chosen(choice: PeriodChoice, today: date) -> Period:
    this_month = month_of(today)
    this_quarter = Period.quarter(today.year, (today.month - 1) // 3 + 1)
    return {
        PeriodChoice.this_month: this_month,
        PeriodChoice.last_month: this_month.previous(),
        PeriodChoice.this_quarter: this_quarter,
        PeriodChoice.last_quarter: this_quarter.previous(),
        PeriodChoice.this_year: Period.whole_year(today.year),
    }[choice]
