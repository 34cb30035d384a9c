"""目标管理责任制 (issue 17): the year's assessment catalogue, hand-scored marks and 一票否决, the
signed 责任书, monthly score snapshots, 整改 orders and 领导责任查究 records.

A subject (a member unit or a village) is named by two nullable columns, exactly one of them set."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import JSON, Column, Numeric, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime


class ItemKind(StrEnum):
    computed = "computed"  # from the bot's data: a measure and a rule
    manual = "manual"  # scored by the center with evidence and a reason
    veto = "veto"  # 一票否决: bars commendation for the year whatever the score


class ItemRule(StrEnum):
    below = "below"  # a rate below the threshold loses points
    above = "above"  # a count above the threshold loses points


class SubjectKind(StrEnum):
    unit = "unit"
    village = "village"


class AssessmentItem(SQLModel, table=True):
    """One row of a year's catalogue. A computed item loses `step` points (per unit of the gap when
    `per_unit`, else once) when its measure passes the threshold, at most `cap` (and never more than
    its points)."""

    __tablename__ = "assessment_item"
    __table_args__ = (UniqueConstraint("year", "seq"),)
    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    seq: int
    name: str = Field(max_length=60)
    kind: ItemKind = Field(sa_type=String(10))
    points: Decimal = Field(sa_column=Column(Numeric(6, 2), nullable=False))
    applies_to: str = Field(default="all", max_length=10)  # all / unit / village
    measure: str | None = Field(default=None, max_length=30)
    rule: ItemRule | None = Field(default=None, sa_type=String(10))
    threshold: Decimal | None = Field(default=None, sa_column=Column(Numeric(8, 2), nullable=True))
    step: Decimal | None = Field(default=None, sa_column=Column(Numeric(6, 2), nullable=True))
    per_unit: bool = True
    cap: Decimal | None = Field(default=None, sa_column=Column(Numeric(6, 2), nullable=True))
    standard: str = Field(default="", max_length=300)  # 评分标准, in words, as printed in the 责任书


class AssessmentMark(SQLModel, table=True):
    """A hand-scored deduction, or a 一票否决, with its reason and the evidence (a file)."""

    __tablename__ = "assessment_mark"
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="assessment_item.id", index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    village_id: int | None = Field(default=None, foreign_key="village.id")
    points: Decimal = Field(sa_column=Column(Numeric(6, 2), nullable=False))  # deducted; 0 for a veto
    reason: str = Field(max_length=300)
    evidence_file_id: str = Field(max_length=200)
    evidence_kind: str = Field(max_length=10)  # document / photo
    evidence_name: str = Field(default="", max_length=120)
    recorded_by_id: int = Field(foreign_key="person.id")
    recorded_at: datetime = Field(sa_type=UTCDateTime)


class TargetAgreement(SQLModel, table=True):
    """The year's 目标管理责任书 sent to one head of a unit or village, and their 签订."""

    __tablename__ = "target_agreement"
    __table_args__ = (UniqueConstraint("year", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    person_id: int = Field(foreign_key="person.id")
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    village_id: int | None = Field(default=None, foreign_key="village.id")
    commend_score: Decimal = Field(sa_column=Column(Numeric(6, 2), nullable=False))  # the terms as sent
    sent_at: datetime = Field(sa_type=UTCDateTime)
    signed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    chased_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # the scheduled reminder (agreements.sweep): the head once, then the center told they still have not
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    center_told_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ScoreSnapshot(SQLModel, table=True):
    """A subject's score at the end of a month (the monthly message compares with the month before)."""

    __tablename__ = "score_snapshot"
    year: int = Field(primary_key=True)
    month: int = Field(primary_key=True)
    subject: str = Field(primary_key=True, max_length=20)  # unit:3 / village:5
    total: Decimal = Field(sa_column=Column(Numeric(6, 2), nullable=False))
    items: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))  # item id → deduction
    made_at: datetime = Field(sa_type=UTCDateTime)


class Rectification(SQLModel, table=True):
    """整改 order: what a unit or village must put right, its owner and deadline, tracked to done and
    chased every day past the deadline (the owner and the director)."""

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    village_id: int | None = Field(default=None, foreign_key="village.id")
    text: str = Field(sa_column=Column(Text, nullable=False))
    owner_id: int = Field(foreign_key="person.id")
    issued_by_id: int = Field(foreign_key="person.id")
    issued_at: datetime = Field(sa_type=UTCDateTime)
    due_at: datetime = Field(sa_type=UTCDateTime, index=True)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    overdue_sent_on: date | None = None


class Accountability(SQLModel, table=True):
    """领导责任查究: opened with a 一票否决 (the regulations call for both together), closed with its
    result by the director."""

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    mark_id: int = Field(foreign_key="assessment_mark.id", unique=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    village_id: int | None = Field(default=None, foreign_key="village.id")
    reason: str = Field(max_length=300)
    result: str | None = Field(default=None, max_length=300)
    opened_at: datetime = Field(sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class StaffNoteKind(StrEnum):
    praise = "praise"  # 表扬
    criticism = "criticism"  # 批评


class StaffNote(SQLModel, table=True):
    """首问责任制 五、六: the director praises or criticises a staff member, with a reason; the person sees it."""

    __tablename__ = "staff_note"
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    kind: StaffNoteKind = Field(sa_type=String(10))
    reason: str = Field(max_length=300)
    recorded_by_id: int = Field(foreign_key="person.id")
    recorded_at: datetime = Field(sa_type=UTCDateTime)


class TeamKind(StrEnum):
    security = "security"  # 治保会
    mediation = "mediation"  # 调委会
    patrol = "patrol"  # 巡逻队
    ten_households = "ten_households"  # 十户联防
    volunteers = "volunteers"  # 志愿者


class SafetyTeam(SQLModel, table=True):
    """群防群治: one team of a village, its leader (name and phone: personal data, masked) and members."""

    __tablename__ = "safety_team"
    id: int | None = Field(default=None, primary_key=True)
    village_id: int = Field(foreign_key="village.id", index=True)
    kind: TeamKind = Field(sa_type=String(20))
    leader_name: str = Field(max_length=40)
    leader_phone: str | None = Field(default=None, max_length=20)
    members: str = Field(default="", sa_column=Column(Text, nullable=False))  # names, 、-separated
    recorded_by_id: int = Field(foreign_key="person.id")
    recorded_at: datetime = Field(sa_type=UTCDateTime)


class CampaignResult(StrEnum):
    pending = "pending"  # 待审核
    passed = "passed"  # 验收通过
    failed = "failed"  # 未通过


class CampaignKind(StrEnum):
    """What is created safe (基层平安创建: 平安村（社区）、学校、路段、市场和平安单位、平安家庭)."""

    village = "village"  # 平安村（社区）: the village itself
    unit = "unit"  # 平安单位: a registered unit
    school = "school"  # 平安学校, in a village, by name
    road = "road"  # 平安路段, in a village, by name
    market = "market"  # 平安市场, in a village, by name
    family = "family"  # 平安家庭: a village's households, counted


class SafetyCampaign(SQLModel, table=True):
    """平安创建: one application for a year (a village, a unit, or a school, road or market in a village,
    or a village's 平安家庭), and the director's review. One per (year, owner, kind, name): the service
    checks it, as NULL owners make a unique constraint say nothing."""

    __tablename__ = "safety_campaign"
    __table_args__ = (UniqueConstraint("year", "unit_id", "village_id"),)
    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    village_id: int | None = Field(default=None, foreign_key="village.id")
    kind: CampaignKind = Field(default=CampaignKind.village, sa_type=String(10))
    name: str | None = Field(default=None, max_length=40)  # the school, road or market
    households: int | None = None  # 平安家庭: how many households
    result: CampaignResult = Field(default=CampaignResult.pending, sa_type=String(10))
    applied_by_id: int = Field(foreign_key="person.id")
    applied_at: datetime = Field(sa_type=UTCDateTime)
    reviewed_by_id: int | None = Field(default=None, foreign_key="person.id")
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
