"""The official working-day calendar as entered by admins, on top of the chinesecalendar package."""

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from models.base import UTCDateTime


class CalendarDay(SQLModel, table=True):
    """One day the admin set: a holiday (休) or a make-up working day (班), overriding the package."""

    __tablename__ = "calendar_day"
    day: date = Field(primary_key=True)
    workday: bool
    note: str | None = Field(default=None, max_length=30)
    set_by_id: int | None = Field(default=None, foreign_key="person.id")
    set_at: datetime = Field(sa_type=UTCDateTime)


class CalendarYear(SQLModel, table=True):
    """A year whose official schedule an admin has entered completely (no more Mon–Fri guessing)."""

    __tablename__ = "calendar_year"
    year: int = Field(primary_key=True)
    confirmed_by_id: int | None = Field(default=None, foreign_key="person.id")
    confirmed_at: datetime = Field(sa_type=UTCDateTime)
