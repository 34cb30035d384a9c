"""信息报告制度 二.6/二.7: the center's 社会治安形势分析 for a 节日, a 敏感期, a month or a quarter."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime


class SituationKind(StrEnum):
    holiday = "holiday"  # 节日期间 (from 排查's 节日 daily returns)
    sensitive = "sensitive"  # 敏感时期
    month = "month"
    quarter = "quarter"


class SituationReport(SQLModel, table=True):
    """One analysis: the figures of its days (frozen when submitted) and what the center writes about
    them; submitted to the party committee as a 信息报告 is."""

    __tablename__ = "situation_report"
    __table_args__ = (UniqueConstraint("kind", "start_day", "end_day"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: SituationKind = Field(sa_type=String(10))
    start_day: date
    end_day: date
    figures: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    analysis: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # 形势分析
    measures: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # 采取的措施及成效
    next_steps: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # 下步工作
    created_by_id: int = Field(foreign_key="person.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    submitted_by_id: int | None = Field(default=None, foreign_key="person.id")
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
