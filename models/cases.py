"""The case (事项/案件): one record for every matter the center handles, with its parties and files."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, Index, Numeric, String, Text, text
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime


class Severity(StrEnum):
    general = "general"  # 一般
    complex = "complex"  # 复杂
    major = "major"  # 重大疑难


class Source(StrEnum):
    grid = "grid"  # 网格员上报
    visit = "visit"  # 来访
    call = "call"  # 来电
    letter = "letter"  # 来信
    online = "online"  # 网上
    assigned = "assigned"  # 上级交办
    transferred_in = "transferred_in"  # 部门移送


class CaseStatus(StrEnum):
    registered = "registered"  # 登记
    accepted = "accepted"  # 受理
    assigned = "assigned"  # 分派
    in_progress = "in_progress"  # 调处中
    resolved = "resolved"  # 办结
    replied = "replied"  # 已答复
    archived = "archived"  # 归档
    transferred = "transferred"  # 转办
    out_of_scope = "out_of_scope"  # 不予受理/告知


class Vocabulary(StrEnum):
    """A word the center writes into a case: the value is both the stored string and the label
    people see, so it never changes (no data migration). Buttons carry the member's name."""

    @classmethod
    def has(cls, value: object) -> bool:
        try:
            cls(value)
        except ValueError:
            return False
        return True


class Outcome(Vocabulary):
    """办结结果 (Case.outcome)."""

    mediated = "调解成功"
    partly_mediated = "部分成功"
    not_mediated = "未成功"
    transferred = "转办"
    declined = "不予受理"


class Agreement(Vocabulary):
    """协议类型 (Case.agreement)."""

    written = "书面协议"
    oral = "口头协议"
    no_agreement = "无协议"


class ReplyMethod(Vocabulary):
    """答复方式 (Case.reply_method)."""

    in_person = "当面"
    phone = "电话"
    in_writing = "书面"
    message = "短信/微信"


class UpwardWay(Vocabulary):
    """How the center reported a case to a higher department (上报上级, kept in its audit event)."""

    phone = "电话"
    fax = "传真"
    intranet = "内网系统"
    in_writing = "书面"


class Satisfaction(Vocabulary):
    """回访满意度 (Case.satisfaction); 不满意 sends the case back to its handler."""

    satisfied = "满意"
    mostly_satisfied = "基本满意"
    dissatisfied = "不满意"


class CaseType(SQLModel, table=True):
    """Admin-editable list of categories and subtypes (one row per subtype; a category without
    subtypes is one row whose subtype is its own name); some force an urgent alert."""

    __tablename__ = "case_type"
    id: int | None = Field(default=None, primary_key=True)
    category: str = Field(max_length=30)
    subtype: str = Field(max_length=40)
    default_severity: Severity = Field(default=Severity.general, sa_type=String(10))
    forces_urgent: bool = False
    needs_info_report: bool = False
    confidential: bool = False
    deadline_days: int | None = None  # overrides the severity's working days for this type
    sort: int = 0
    active: bool = True  # this subtype is offered in the pickers
    # The category as a whole is offered (the same on every row of a category): disabling a type
    # keeps which of its subtypes were disabled on their own, so enabling it again restores them.
    category_active: bool = True


class TypeFlag(StrEnum):
    """A case type's yes/no settings (its CaseType column names), set by an admin in chat."""

    forces_urgent = "forces_urgent"  # every report of it is urgent (alert, no off-hours deferral)
    needs_info_report = "needs_info_report"  # opens a 信息报告
    confidential = "confidential"  # its cases start confidential


class TypeSection(StrEnum):
    """The weekly meeting's four 通报 sections (ReportSection.section holds the value)."""

    zongzhi = "综治"
    xinfang = "信访"
    liudong = "流动人口"
    minzu = "民族宗教"


class Counter(SQLModel, table=True):
    """Yearly sequences (case numbers, notice numbers): one row per name and year, bumped in place."""

    name: str = Field(primary_key=True, max_length=20)
    year: int = Field(primary_key=True)
    value: int = 0


class Case(SQLModel, table=True):
    __table_args__ = (
        Index("ix_case_village_type_created", "village_id", "type_id", "created_at"),
        Index("ix_case_status", "status"),
        # The digest sweep's "what waits for the next working period" (every run in working hours): only
        # the waiting rows are in it, so the sweep does not scan the year's cases (28 ms at 100 000).
        Index("ix_case_digest_pending", "id", sqlite_where=text("digest_pending = 1"),
              postgresql_where=text("digest_pending")),
    )
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=12, unique=True)  # 2026-0042
    type_id: int = Field(foreign_key="case_type.id")
    severity: Severity = Field(sa_type=String(10))
    urgent: bool = False
    source: Source = Field(sa_type=String(20))
    status: CaseStatus = Field(default=CaseStatus.registered, sa_type=String(20))
    confidential: bool = False

    village_id: int | None = Field(default=None, foreign_key="village.id")
    grid_id: int | None = Field(default=None, foreign_key="grid.id")
    address: str | None = Field(default=None, max_length=200)
    latitude: float | None = None
    longitude: float | None = None
    occurred_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    description: str = Field(sa_column=Column(Text, nullable=False))
    request: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # 诉求
    people_count: int | None = None
    people_count_approx: bool = False  # 「约40人」「三十多人」: an estimate, shown as such
    amount: float | None = Field(default=None, sa_column=Column(Numeric(14, 2), nullable=True))

    reporter_id: int = Field(foreign_key="person.id", index=True)
    first_inquiry_id: int | None = Field(default=None, foreign_key="person.id")  # 首问责任人
    handler_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    leader_id: int | None = Field(default=None, foreign_key="person.id", index=True)  # 包案领导
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    duplicate_of_id: int | None = Field(default=None, foreign_key="case.id")

    transfer_to: str | None = Field(default=None, max_length=100)
    guidance: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # 不予受理时的指引
    outcome: str | None = Field(default=None, max_length=20)
    agreement: str | None = Field(default=None, max_length=20)
    result: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    reply_method: str | None = Field(default=None, max_length=20)
    replied_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    satisfaction: str | None = Field(default=None, max_length=10)
    mediation_plan: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # 调处方案
    joint_notice: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # 与上级联合调处的书面告知

    created_at: datetime = Field(sa_type=UTCDateTime, index=True)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    accepted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    # Deadline (服务承诺), counted in working days from acceptance. The sweeps read these through
    # indexes and only touch cases whose next step is due.
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    due_provisional: bool = False  # counted over a year whose official calendar is not entered yet
    yellow_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    clock_started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    paused_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # 挂起: the clock stops
    yellow_sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    due_day_sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    overdue_sent_on: date | None = None  # the last working day an overdue reminder went out
    # When the reminder sweep must next look at this case; NULL once nothing more can be due.
    # The sweep reads only rows with next_reminder_at <= now, so its cost stays flat as cases pile up.
    next_reminder_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    digest_pending: bool = False  # arrived off-hours, not urgent: goes out in the next digest


class CaseParty(SQLModel, table=True):
    """当事人. Phone and ID number are personal data: shown masked unless the role needs them."""

    __tablename__ = "case_party"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    name: str = Field(max_length=40, index=True)
    phone: str | None = Field(default=None, max_length=20)
    id_number: str | None = Field(default=None, max_length=18)


class Attachment(SQLModel, table=True):
    """A file kept as its Telegram file id (re-sendable without storing the bytes)."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    kind: str = Field(max_length=10)  # photo / video / document / voice / audio
    file_id: str = Field(max_length=200)
    file_unique_id: str | None = Field(default=None, max_length=100)
    file_name: str | None = Field(default=None, max_length=200)
    mime_type: str | None = Field(default=None, max_length=100)
    size: int | None = None
    sender_id: int = Field(foreign_key="person.id")
    note: str | None = Field(default=None, max_length=100)  # e.g. which progress entry
    at: datetime = Field(sa_type=UTCDateTime)


class OutboxStatus(StrEnum):
    pending = "pending"
    sent = "sent"
    dead = "dead"


class Outbox(SQLModel, table=True):
    """A notification to a person, written in the same transaction as the change that caused it."""

    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        # Keys by prefix on PostgreSQL (outbox.keys_under); SQLite's key index serves a range already.
        Index("ix_outbox_key_prefix", "key", postgresql_ops={"key": "varchar_pattern_ops"}).ddl_if(dialect="postgresql"),
    )
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=120, unique=True)  # idempotency: the same notice is never queued twice
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    person_id: int | None = Field(default=None, foreign_key="person.id")
    text: str = Field(sa_column=Column(Text, nullable=False))
    buttons: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # JSON [[text, data]]
    # A document sent with the text as its caption: a reference such as "notice:12" that
    # bot/services/documents.py turns into a file at send time (uploaded once, then by file id).
    document: str | None = Field(default=None, max_length=200)
    urgent: bool = False
    protect: bool = False  # Telegram's protect_content: confidential matters cannot be forwarded or saved
    # An edit: this row rewrites the message sent for the row whose key is `edit_key` (its text and
    # buttons; no buttons removes the keyboard), e.g. every copy of an alert once someone took it.
    edit_key: str | None = Field(default=None, max_length=120)
    tg_message_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))  # once sent
    status: OutboxStatus = Field(default=OutboxStatus.pending, sa_type=String(10))
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=300)
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
