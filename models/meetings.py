"""Meetings (工作例会, 联席会议, 研判会, 联系点村会议), who is invited and how they answered, the minutes,
and the decisions (议定事项) that are chased until the organiser accepts them as done (销号)."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime


class MeetingKind(StrEnum):
    weekly = "weekly"  # 工作例会
    joint = "joint"  # 联席会议 (quarterly)
    joint_adhoc = "joint_adhoc"  # 临时联席会议
    analysis = "analysis"  # 研判会
    village = "village"  # 联系点村会议
    mediation = "mediation"  # 调处会: the center convenes the departments on one case (督办制度)


class MeetingStatus(StrEnum):
    scheduled = "scheduled"
    held = "held"  # the minutes are closed
    cancelled = "cancelled"


class Meeting(SQLModel, table=True):
    """One meeting. `number` is the yearly sequence of its kind family (例会第3号): decisions are
    numbered after it."""

    __table_args__ = (Index("ix_meeting_starts", "status", "starts_at"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: MeetingKind = Field(sa_type=String(12))
    year: int
    number: int
    starts_at: datetime = Field(sa_type=UTCDateTime)
    place: str = Field(max_length=60)
    organiser_id: int = Field(foreign_key="person.id")
    chair_id: int | None = Field(default=None, foreign_key="person.id")  # 主持人
    village_id: int | None = Field(default=None, foreign_key="village.id")  # 联系点村会议
    case_id: int | None = Field(default=None, foreign_key="case.id", index=True)  # 调处会: the case mediated
    unit_ids: list[int] | None = Field(default=None, sa_column=Column(JSON, nullable=True))  # 调处会: departments convened
    status: MeetingStatus = Field(default=MeetingStatus.scheduled, sa_type=String(10))
    agenda: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # edited by the organiser
    agenda_sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    cc: str | None = Field(default=None, max_length=200)  # 抄送 on the 纪要
    created_at: datetime = Field(sa_type=UTCDateTime)
    held_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # minutes closed
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    minutes_file_id: str | None = Field(default=None, max_length=200)  # the 纪要 .docx once on Telegram


class Venue(StrEnum):
    """The usual places, offered as buttons (a meeting stores the words)."""

    center = "综治中心会议室"
    town_hall = "镇政府三楼会议室"
    village_hall = "村委会会议室"


class Attendance(StrEnum):
    attend = "attend"  # 参加
    leave = "leave"  # 请假


class MeetingInvitee(SQLModel, table=True):
    """An invitation: the answer (参加 / 请假 with a reason), the sign-in, and which reminders went."""

    __tablename__ = "meeting_invitee"
    meeting_id: int = Field(foreign_key="meeting.id", primary_key=True)
    person_id: int = Field(foreign_key="person.id", primary_key=True)
    observer: bool = False  # 列席 rather than 出席
    answer: Attendance | None = Field(default=None, sa_type=String(10))
    reason: str | None = Field(default=None, max_length=200)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    signed_in_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    day_reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    hour_reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    chased_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class MinuteItem(SQLModel, table=True):
    """One item of the minutes, typed or spoken (a voice note is kept by its Telegram file id)."""

    __tablename__ = "minute_item"
    __table_args__ = (UniqueConstraint("meeting_id", "seq"),)
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    seq: int
    text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    voice_file_id: str | None = Field(default=None, max_length=200)
    author_id: int = Field(foreign_key="person.id")
    created_at: datetime = Field(sa_type=UTCDateTime)


class DecisionStatus(StrEnum):
    held = "held"  # important: waits for the 党委会议's approval
    issued = "issued"  # sent to its owner
    received = "received"  # the owner pressed 收到
    reported = "reported"  # the owner reported it done, with evidence: the organiser decides
    closed = "closed"  # 销号: the organiser accepted the evidence
    refused = "refused"  # the 党委会议 did not approve it; never issued


class ApprovalOutcome(StrEnum):
    approved = "approved"  # 同意
    amended = "amended"  # 修改后同意
    rejected = "rejected"  # 不同意


class Decision(SQLModel, table=True):
    """议定事项: owned by a unit, a person or a village, due N working days after it is issued, chased
    on the same ladder as a case (yellow at 70 %, the due day, overdue → the director)."""

    __table_args__ = (UniqueConstraint("meeting_id", "seq"), Index("ix_decision_due", "next_reminder_at"))
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    seq: int
    number: str = Field(max_length=40)  # 〔2026〕例会第3号-2
    text: str = Field(sa_column=Column(Text, nullable=False))
    owner_person_id: int | None = Field(default=None, foreign_key="person.id")
    owner_unit_id: int | None = Field(default=None, foreign_key="unit.id")
    owner_village_id: int | None = Field(default=None, foreign_key="village.id")
    days: int  # working days from issue
    case_id: int | None = Field(default=None, foreign_key="case.id")
    important: bool = False
    status: DecisionStatus = Field(sa_type=String(10))
    approval_day: date | None = None  # 党委会议 date
    approval_outcome: ApprovalOutcome | None = Field(default=None, sa_type=String(10))
    approval_note: str | None = Field(default=None, max_length=200)
    approved_by_id: int | None = Field(default=None, foreign_key="person.id")
    issued_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    yellow_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    received_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    received_by_id: int | None = Field(default=None, foreign_key="person.id")
    progress: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    evidence: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    evidence_file_id: str | None = Field(default=None, max_length=200)
    reported_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_by_id: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    # the ladder, as on a case
    next_reminder_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    yellow_sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    due_day_sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    overdue_sent_on: date | None = None


class ReportSection(SQLModel, table=True):
    """Which of the weekly meeting's four 通报 sections a case type counts in (admin-editable). `key`
    is a category (治安问题) or a category/subtype (矛盾纠纷/民族宗教纠纷); the subtype's row wins. A
    type with neither counts in none."""

    __tablename__ = "report_section"
    key: str = Field(primary_key=True, max_length=80)
    section: str = Field(max_length=10)  # 综治 / 信访 / 流动人口 / 民族宗教
