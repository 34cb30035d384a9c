"""上级交办 matters and 上门受理 requests (issue 16).

A 交办 is a case that came from the township party committee or a higher department: who assigned
it, their reference and their deadline, and the report back (办理情况报告) with when and how it
was sent. A 上门受理 request is a party's request for a home visit: asked by staff, decided by a
center leader, then scheduled and recorded.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, String, Text
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime


class ReportMethod(StrEnum):
    """报送方式 of the 办理情况报告 (the value is the word people see)."""

    paper = "书面"
    electronic = "电子"
    in_person = "当面"


class UsualAssigner(StrEnum):
    """The offices that usually assign matters (buttons); any other is typed."""

    party_committee = "镇党委"
    government = "镇政府"
    politics_law = "县委政法委"
    county_center = "县综治中心"
    petitions = "县信访局"


class CaseAssignment(SQLModel, table=True):
    """交办: one per case. The case's deadline is never later than `due_at` (bot/services/deadlines)."""

    __tablename__ = "case_assignment"
    case_id: int = Field(foreign_key="case.id", primary_key=True)
    assigner: str = Field(max_length=60)  # 交办单位
    reference: str | None = Field(default=None, max_length=60)  # 交办文号
    due_at: datetime = Field(sa_type=UTCDateTime, index=True)  # 交办时限 (end of that working day)
    recorded_by_id: int = Field(foreign_key="person.id")
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    reported_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # 报送时间
    report_method: str | None = Field(default=None, max_length=10)  # ReportMethod value
    reported_by_id: int | None = Field(default=None, foreign_key="person.id")
    chased_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # the sweep's reminder, once


class HomeVisitReason(StrEnum):
    """特殊情况 that justify a home visit."""

    elderly = "年老体弱"
    disabled = "残疾行动不便"
    ill = "重病卧床"
    caring = "需照护家人无法离开"
    other = "其他特殊情况"


class HomeVisitStatus(StrEnum):
    pending = "pending"  # 待审批
    approved = "approved"  # 已同意，待安排
    refused = "refused"  # 不同意
    scheduled = "scheduled"  # 已安排
    done = "done"  # 已上门


class HomeVisit(SQLModel, table=True):
    """上门受理 request. Name, address and phone are personal data: shown only in private chats."""

    __tablename__ = "home_visit"
    id: int | None = Field(default=None, primary_key=True)
    status: HomeVisitStatus = Field(default=HomeVisitStatus.pending, sa_type=String(10), index=True)
    party_name: str = Field(max_length=40)
    phone: str | None = Field(default=None, max_length=20)
    address: str = Field(max_length=200)
    reason: str = Field(max_length=20)  # HomeVisitReason value
    note: str | None = Field(default=None, max_length=300)  # what the special circumstance is
    village_id: int | None = Field(default=None, foreign_key="village.id")
    requested_by_id: int = Field(foreign_key="person.id")
    requested_at: datetime = Field(sa_type=UTCDateTime)
    decided_by_id: int | None = Field(default=None, foreign_key="person.id")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    refusal: str | None = Field(default=None, max_length=300)
    visit_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    visitor_id: int | None = Field(default=None, foreign_key="person.id")  # who goes
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    received: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # 受理情况
