"""Leader case responsibility (包案) and supervision notices (督办通知书)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Column, Index, String, Text
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime


class BaoanStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    refused = "refused"


class BaoanRequest(SQLModel, table=True):
    """A proposal that a leader answer for a case; the party secretary approves and names the leader."""

    __tablename__ = "baoan_request"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    proposed_leader_id: int = Field(foreign_key="person.id")
    reason: str = Field(sa_column=Column(Text, nullable=False))
    proposer_id: int = Field(foreign_key="person.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    status: BaoanStatus = Field(default=BaoanStatus.pending, sa_type=String(10))
    decided_by_id: int | None = Field(default=None, foreign_key="person.id")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    chosen_leader_id: int | None = Field(default=None, foreign_key="person.id")
    refusal_reason: str | None = Field(default=None, max_length=300)


class NoticeLevel(StrEnum):
    normal = "normal"  # 普通
    yellow = "yellow"  # 黄牌
    red = "red"  # 红牌


class NoticeSource(StrEnum):
    local = "local"  # 本级
    upper = "upper"  # 上级交办


class NoticeStatus(StrEnum):
    issued = "issued"  # 已下达
    signed = "signed"  # 已签收
    reported = "reported"  # 已报结果, awaiting the director
    accepted = "accepted"  # 结果认可, closed
    reissued = "reissued"  # rejected and re-issued as a new notice
    closed = "closed"  # closed with a leader's approval
    transferred = "transferred"  # moved to another department with a leader's approval


ONE_ADDRESSEE = "(unit_id IS NULL) <> (assignee_id IS NULL)"


class SupervisionNotice(SQLModel, table=True):
    __tablename__ = "supervision_notice"
    __table_args__ = (
        Index("ix_notice_next_check", "next_check_at"),
        # 承办单位(人员): addressed to a unit or to one person, never both, never neither
        CheckConstraint(ONE_ADDRESSEE, name="ck_supervision_notice_one_addressee"),
    )
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=40, unique=True)  # 综治〔2026〕12号 (GB/T 9704), or the old 〔2026〕第012号
    year: int
    seq: int
    level: NoticeLevel = Field(default=NoticeLevel.normal, sa_type=String(10))
    source: NoticeSource = Field(default=NoticeSource.local, sa_type=String(10))
    case_id: int = Field(foreign_key="case.id", index=True)
    case_summary: str = Field(sa_column=Column(Text, nullable=False))
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    assignee_id: int | None = Field(default=None, foreign_key="person.id", index=True)  # 承办人员
    original_due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # the case's deadline then
    days_overdue: int = 0
    requirements: str = Field(sa_column=Column(Text, nullable=False))
    due_at: datetime = Field(sa_type=UTCDateTime)
    feedback: str = Field(sa_column=Column(Text, nullable=False))  # 反馈要求
    cc: str | None = Field(default=None, max_length=200)  # 抄送, typed (outside bodies)
    # 抄送 picked from the registered leaders and units: they receive the notice and its .docx
    cc_person_ids: list[int] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    cc_unit_ids: list[int] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    issuer_id: int = Field(foreign_key="person.id")
    issued_at: datetime = Field(sa_type=UTCDateTime)
    status: NoticeStatus = Field(default=NoticeStatus.issued, sa_type=String(12))
    signed_by_id: int | None = Field(default=None, foreign_key="person.id")
    signed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    parent_id: int | None = Field(default=None, foreign_key="supervision_notice.id")
    docx_file_id: str | None = Field(default=None, max_length=200)
    # the sweep's bookkeeping: what has been done, and when to look next
    next_check_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sign_reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sign_escalated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    yellow_raised_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    red_raised_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    overdue_asked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    party_notice_due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # 3 days after close/transfer
    party_notified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closing_note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class NoticeEntry(SQLModel, table=True):
    """Everything said on a notice: the unit's progress, result, overdue reason; the director's
    调阅 (materials) and 汇报 (briefing) requests and their answers; close/transfer approvals."""

    __tablename__ = "notice_entry"
    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="supervision_notice.id", index=True)
    kind: str = Field(max_length=20)
    text: str = Field(sa_column=Column(Text, nullable=False))
    actor_id: int = Field(foreign_key="person.id")
    at: datetime = Field(sa_type=UTCDateTime)
    open: bool = False  # a request still waiting for the unit's answer
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
