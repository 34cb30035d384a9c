"""Joint handling (主办/协办 units and 会商) and the contact-point leader at the scene (已到场)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime


class CaseCoUnit(SQLModel, table=True):
    """A 协办 unit of a case: its contacts see the case, add progress and are chased on its deadline;
    only the lead unit (Case.unit_id, 主办) resolves it."""

    __tablename__ = "case_co_unit"
    __table_args__ = (UniqueConstraint("case_id", "unit_id", name="uq_case_co_unit"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    added_by_id: int = Field(foreign_key="person.id")
    added_at: datetime = Field(sa_type=UTCDateTime)


class CaseConsultation(SQLModel, table=True):
    """会商: several departments convened on one major case; who took part, when, and the conclusion."""

    __tablename__ = "case_consultation"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    held_at: datetime = Field(sa_type=UTCDateTime)
    person_ids: list[int] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    unit_ids: list[int] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    conclusion: str = Field(sa_column=Column(Text, nullable=False))
    recorded_by_id: int = Field(foreign_key="person.id")
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")  # held as a 调处会 (its minutes)


class SceneArrival(SQLModel, table=True):
    """已到场: a contact-point leader at the scene of an urgent case. The row is made on the press
    (arrived_at) and waits for the location (or 无法发送位置); the center is told once it is complete."""

    __tablename__ = "scene_arrival"
    __table_args__ = (UniqueConstraint("case_id", "person_id", name="uq_scene_arrival"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    arrived_at: datetime = Field(sa_type=UTCDateTime)
    latitude: float | None = None
    longitude: float | None = None
    no_location: bool = False  # the leader said the location could not be sent
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # location given, center told


class InstructionReason(StrEnum):
    """请示事由 on a 督办通知书 (the unit's button; the label is in bot/texts/instruct.py)."""

    overdue = "overdue"  # 无法按期办结
    coordination = "coordination"  # 需要协调
    changed = "changed"  # 情况重大变化
    other = "other"  # 其他


class InstructionAnswer(StrEnum):
    """The center leader's answer to a 请示."""

    extend = "extend"  # 同意延期 (a new deadline)
    close = "close"  # 同意结案 (the party is told within 3 days)
    transfer = "transfer"  # 同意移送 (the party is told within 3 days)
    refuse = "refuse"  # 不同意
