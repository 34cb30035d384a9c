"""社会治安重点整治区域 (综治中心工作联系点制度 二.6; 综治中心职责 3).

A village (村/社区) listed for rectification: the 突出问题 and the 整治期限 set at listing, the
整治方案 and its 责任人 recorded by the village's contact-point leader, the 督促检查 as a history
(focus_check), and the close (摘帽) with its 成效. One open listing per village (a partial unique
index, so two leaders listing the same village at once cannot both succeed).
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index, String, Text, text
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime


class FocusStatus(StrEnum):
    open = "open"  # 整治中
    closed = "closed"  # 已摘帽


class FocusArea(SQLModel, table=True):
    __tablename__ = "focus_area"
    __table_args__ = (
        Index("uq_focus_area_open_village", "village_id", unique=True,
              sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
    )
    id: int | None = Field(default=None, primary_key=True)
    village_id: int = Field(foreign_key="village.id", index=True)
    status: FocusStatus = Field(default=FocusStatus.open, sa_type=String(10), index=True)
    problem: str = Field(max_length=300)  # 突出问题
    listed_by_id: int = Field(foreign_key="person.id")
    listed_at: datetime = Field(sa_type=UTCDateTime)
    due_at: datetime = Field(sa_type=UTCDateTime)  # 整治期限: the end of that working day
    extended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # the one extension allowed
    extension_reason: str | None = Field(default=None, max_length=300)
    plan: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # 整治方案
    responsible_id: int | None = Field(default=None, foreign_key="person.id")  # 责任人
    plan_by_id: int | None = Field(default=None, foreign_key="person.id")
    plan_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_check_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # the sweep's gap starts here
    # The sweep's marks, each set with the messages it sends (restart-safe, once each).
    plan_chased_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    gap_chased_from: datetime | None = Field(default=None, sa_type=UTCDateTime)  # the gap already chased
    overdue_told_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_by_id: int | None = Field(default=None, foreign_key="person.id")
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    result: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # 成效


class FocusCheck(SQLModel, table=True):
    """督促检查: one row per check a contact-point leader records."""

    __tablename__ = "focus_check"
    id: int | None = Field(default=None, primary_key=True)
    area_id: int = Field(foreign_key="focus_area.id", index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))  # 检查情况
    by_id: int = Field(foreign_key="person.id")
    at: datetime = Field(sa_type=UTCDateTime)
