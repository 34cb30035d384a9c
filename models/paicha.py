"""排查 returns (矛盾纠纷排查, issue 16): every village (or grid) returns its investigation each period,
either items found (each a case through /report) or a 零报告.

A period's expected returns are rows made when the period opens (one per village or grid in scope),
so 已报 n/m, the reminders, the 排查台账 and the figures are plain counts over rows."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime


class PaichaKind(StrEnum):
    regular = "regular"  # the schedule's period (default: due the 14th and the 28th)
    campaign = "campaign"  # 集中排查 opened by the director, own period and scope
    daily = "daily"  # 节日 / 敏感期: one return a day until switched off


class ReturnKind(StrEnum):
    items = "items"  # 发现事项 (each a case, linked in paicha_item)
    zero = "zero"  # 本期零报告


class PaichaPeriod(SQLModel, table=True):
    __tablename__ = "paicha_period"
    id: int | None = Field(default=None, primary_key=True)
    kind: PaichaKind = Field(sa_type=String(10))
    # "regular:2026-12-14" (the nominal due day) or "daily:2026-12-05": the sweep and the lists make the
    # same period at most once; NULL for campaigns (several may share days)
    key: str | None = Field(default=None, max_length=40, unique=True)
    title: str = Field(default="", max_length=60)
    start_day: date
    due_day: date  # the last day to return (moved to a working day for regular periods)
    opened_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    # the sweep's marks, set in the unit of work that queues the messages
    reminded_before_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reminded_due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    leaders_told_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PaichaReturn(SQLModel, table=True):
    """One expected return: a village (or a grid of it, by the setting) in one period."""

    __tablename__ = "paicha_return"
    __table_args__ = (UniqueConstraint("period_id", "unit_key"),)
    id: int | None = Field(default=None, primary_key=True)
    period_id: int = Field(foreign_key="paicha_period.id", index=True)
    unit_key: str = Field(max_length=20)  # "v3" (a village) or "g7" (a grid)
    village_id: int = Field(foreign_key="village.id", index=True)
    grid_id: int | None = Field(default=None, foreign_key="grid.id")
    kind: ReturnKind | None = Field(default=None, sa_type=String(10))  # None: not returned yet
    filed_by_id: int | None = Field(default=None, foreign_key="person.id")
    filed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    chased_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # the center's last 催报


class PaichaItem(SQLModel, table=True):
    """A case found by 排查: the case came through /report and belongs to this return."""

    __tablename__ = "paicha_item"
    case_id: int = Field(foreign_key="case.id", primary_key=True)
    return_id: int = Field(foreign_key="paicha_return.id", index=True)
