"""What the clock drives: deadline requests, reminders and their acknowledgements, the duty
roster, urgent alerts and information reports. Each is a row with a due time (DESIGN.md rule 3)."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime


class RequestKind(StrEnum):
    pause = "pause"  # 挂起
    resume = "resume"
    extension = "extension"  # 延期


class RequestStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    refused = "refused"


class DeadlineRequest(SQLModel, table=True):
    """A pause or an extension: asked by the handler, decided by a leader (or the secretary for 包案)."""

    __tablename__ = "deadline_request"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    kind: RequestKind = Field(sa_type=String(10))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    new_due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    requested_by_id: int = Field(foreign_key="person.id")
    requested_at: datetime = Field(sa_type=UTCDateTime)
    status: RequestStatus = Field(default=RequestStatus.pending, sa_type=String(10))
    decided_by_id: int | None = Field(default=None, foreign_key="person.id")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decision_note: str | None = Field(default=None, max_length=200)


class Reminder(SQLModel, table=True):
    """One ping of the escalation ladder. The unique key is what makes "never the same twice"."""

    __table_args__ = (UniqueConstraint("case_id", "step", "day", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    step: str = Field(max_length=20)  # yellow / due_day / overdue / overdue_director / urgent
    day: date
    person_id: int = Field(foreign_key="person.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    acked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class StepAck(SQLModel, table=True):
    """收到: acknowledging a step stops its repeats for that case."""

    __tablename__ = "step_ack"
    case_id: int = Field(foreign_key="case.id", primary_key=True)
    step: str = Field(primary_key=True, max_length=20)
    person_id: int = Field(foreign_key="person.id")
    at: datetime = Field(sa_type=UTCDateTime)


class CaseChase(SQLModel, table=True):
    """A case waiting on the center: 受理 (kind accept) or the reply to the party after 办结 (kind
    reply), chased once at each level (0: the case desk / the handler, 1: the director) and armed
    again when the case comes back to that point (bot/services/chases.py); or its 上报上级 record
    (kind upper, bot/services/upward_reports.py), chased once. next_at NULL: not yet scheduled."""

    __tablename__ = "case_chase"
    __table_args__ = (UniqueConstraint("case_id", "kind"), Index("ix_case_chase_due", "done", "next_at"))
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id")
    kind: str = Field(max_length=10)
    armed_at: datetime = Field(sa_type=UTCDateTime)
    level: int = 0  # chases sent so far
    next_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    done: bool = False


class DutyRole(StrEnum):
    duty = "duty"  # 值班
    leader = "leader"  # 带班领导


class DutyShift(SQLModel, table=True):
    """值班表: who is on duty on a date, and the leader on call."""

    __tablename__ = "duty_shift"
    __table_args__ = (UniqueConstraint("day", "person_id", "role"),)
    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    person_id: int = Field(foreign_key="person.id")
    role: DutyRole = Field(sa_type=String(10))


class UrgentAlert(SQLModel, table=True):
    """An urgent report's alert: climbs the ladder every N minutes until someone acknowledges."""

    __tablename__ = "urgent_alert"
    __table_args__ = (Index("ix_urgent_alert_due", "acked_at", "next_at"),)
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", unique=True)
    level: int = 0
    created_at: datetime = Field(sa_type=UTCDateTime)
    next_at: datetime = Field(sa_type=UTCDateTime)
    acked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acked_by_id: int | None = Field(default=None, foreign_key="person.id")


class InfoReportKind(StrEnum):
    first = "first"  # 初报
    follow_up = "follow_up"  # 续报
    final = "final"  # 终报


class InfoReport(SQLModel, table=True):
    """信息报告 for a major event: 初报 due within minutes, then 续报 and 终报."""

    __tablename__ = "info_report"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    kind: InfoReportKind = Field(sa_type=String(10))
    seq: int = 1
    fields: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    submitted_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(sa_type=UTCDateTime)


class Setting(SQLModel, table=True):
    """Admin-editable settings kept in the database (e.g. the party committee's group chat)."""

    key: str = Field(primary_key=True, max_length=50)
    value: str = Field(sa_column=Column(Text, nullable=False))


class GroupChat(SQLModel, table=True):
    """A group chat the bot posts to (e.g. the party committee's), registered by an admin."""

    __tablename__ = "group_chat"
    chat_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    title: str = Field(max_length=100)
    purpose: str = Field(max_length=20)  # party_committee
