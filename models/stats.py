"""Frozen monthly figures (统计快照): what was reported for a month stays what it was."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime


class StatsSnapshot(SQLModel, table=True):
    """One month's figures for one scope, frozen at 00:00 on the 1st of the next month.

    `scope` is "township" or "village:<id>"; `figures` is the month's counts (rates are derived from
    them), never changed after the freeze. `corrections` is the last difference from a later
    recomputation that was audited, so the same 更正 is audited once."""

    __tablename__ = "stats_snapshot"
    __table_args__ = (UniqueConstraint("month", "scope", name="uq_stats_snapshot_month_scope"),)
    id: int | None = Field(default=None, primary_key=True)
    month: date  # the 1st of the month
    scope: str = Field(max_length=30)
    figures: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    frozen_at: datetime = Field(sa_type=UTCDateTime)
    corrections: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
