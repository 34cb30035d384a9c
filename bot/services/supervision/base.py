"""What every part of 督办 shares: the statuses and limits, the plain results, loading, recording
and telling."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot import texts
from bot.callbacks import (
    NoticeOpen,
)
from bot.services import audit, cases, people
from bot.services.case_access import person_name
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.services.recipients import tell, unit_contacts, with_role
from bot.services.workdays import WorkCalendar, time_left
from bot.texts import notify
from models import (
    Case,
    NoticeEntry,
    NoticeLevel,
    NoticeSource,
    NoticeStatus,
    Person,
    Role,
    SupervisionNotice,
    Unit,
)

N = NoticeStatus
UNFINISHED = (N.issued, N.signed)  # the unit still owes the result: the clock runs
OPEN = (N.issued, N.signed, N.reported)
LEVEL_ORDER = {NoticeLevel.normal: 0, NoticeLevel.yellow: 1, NoticeLevel.red: 2}
SEE_ALL = frozenset({Role.director, Role.secretary, Role.leader})
APPROVERS = frozenset({Role.director, Role.leader})  # close or transfer an item
# 承办人员 (信息督办制度 三–六 "承办单位(人员)"): a notice may go to one of these people instead of a unit —
# a 包案 or contact-point leader, a staff member, a unit's or a village's contact. Not a grid worker
# (they report, they do not handle), nor the secretary and directors (they approve and issue).
ASSIGNEE_ROLES = (Role.township_leader, Role.leader, Role.staff, Role.unit)  # in the picker's order
UNIT_ENTRY_KINDS = ("progress", "result", "overdue_reason")
REQUEST_KINDS = ("materials", "briefing")
FEEDBACK_NOTE = "督办反馈"
PARTY_NOTICE_DAYS = 3
SEQUENCE = "notice"
BATCH = 200
MAX_TEXT = cases.MAX_TEXT
FEEDBACK_MAX = 500
CC_MAX = 200
DEPARTMENT_MAX = 100
SUMMARY_MAX = 200

# --- plain results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryView:
    id: int
    kind: str
    label: str
    text: str
    actor: str
    at: str
    open: bool = False
    answered_at: str = ""


@dataclass(frozen=True)
class NoticeView:
    """Everything on a notice: the card in chat and the .docx (notice_docx.build_docx)."""

    id: int | None
    number: str
    level: NoticeLevel
    source: NoticeSource
    status: NoticeStatus
    case_id: int
    case_number: str
    case_summary: str
    unit_id: int | None
    unit_name: str  # the 承办: the unit's name, or the person's for a notice to a person
    contacts: str  # the unit's contact persons, "、"-joined ("" for a notice to a person)
    original_due: str  # the case's deadline when the notice was issued ("" if none)
    days_overdue: int
    requirements: str
    due: str  # the notice's deadline, "2026年12月10日 17:30"
    feedback: str
    cc: str
    issuer: str
    issued_on: str  # "2026年11月30日"
    signed_by: str = ""
    signed_at: str = ""
    parent_number: str = ""
    docx_file_id: str | None = None
    overdue: bool = False
    closing_note: str = ""
    party_notice_due: str = ""
    party_notified_at: str = ""
    entries: tuple[EntryView, ...] = ()
    assignee_id: int | None = None  # a notice to a person (承办人员) rather than a unit

    @property
    def to_person(self) -> bool:
        return self.assignee_id is not None

    @property
    def addressee(self) -> str:
        """The 主送 line's name: a unit as named, a person as 「刘海峰同志」 (GB/T 9704 usage)."""
        return texts.SV_PERSON_ADDRESSEE.format(name=self.unit_name) if self.to_person else self.unit_name

    @property
    def level_label(self) -> str:
        return texts.SV_LEVEL_LABELS[self.level.value]

    @property
    def source_label(self) -> str:
        return texts.SV_SOURCE_LABELS[self.source.value]

    @property
    def status_label(self) -> str:
        return texts.SV_STATUS_LABELS[self.status.value]


@dataclass(frozen=True)
class NoticeRef:
    """A row of /supervisions."""

    id: int
    number: str
    level: NoticeLevel
    status: NoticeStatus
    unit: str
    case_number: str
    due: str
    overdue: bool

    @property
    def mark(self) -> str:
        return texts.SV_LEVEL_MARKS[self.level.value]


@dataclass(frozen=True)
class SuperviseCommand:
    """The one-line form: /supervise 2026-0042 镇司法所 2026-12-10 督办要求."""

    case_number: str
    unit_name: str
    due_date: date
    requirements: str


@dataclass(frozen=True)
class SuperviseDraft:
    """A command resolved against the database: ready for preview() and issue()."""

    case_id: int
    case_number: str
    unit_id: int | None
    unit_name: str  # the unit's name, or the person's (assignee_id)
    due_date: date
    requirements: str
    assignee_id: int | None = None


@dataclass(frozen=True)
class SweepResult:
    notices: int
    messages: int


# --- helpers -----------------------------------------------------------------------------------


def long_date(moment: datetime | None, tz: ZoneInfo) -> str:
    """2026年12月4日 17:30: Chinese documents write dates without zero padding (GB/T 9704)."""
    return f"{local_day(moment, tz)} {moment.astimezone(tz):%H:%M}" if moment else ""


def local_day(moment: datetime | None, tz: ZoneInfo) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(tz)
    return f"{local.year}年{local.month}月{local.day}日"


def required_text(value: str | None, what: str, limit: int, *, lo: int = 2) -> str:
    value = (value or "").strip()
    if len(value) < lo:
        raise InvalidInput(f"请填写{what}。")
    if len(value) > limit:
        raise InvalidInput(texts.TOO_LONG.format(limit=limit))
    return value


def optional_text(value: str | None, limit: int) -> str | None:
    value = (value or "").strip() or None
    if value is not None and len(value) > limit:
        raise InvalidInput(texts.TOO_LONG.format(limit=limit))
    return value


def unit_name_of(session: Session, unit_id: int | None) -> str:
    unit = session.get(Unit, unit_id) if unit_id is not None else None
    return unit.name if unit else ""


def all_directors(session: Session) -> list[Person]:
    return with_role(session, Role.director)


# --- who answers a notice: its person, or its unit's contacts (one rule for every part of 督办) -----


def is_contact(viewer: people.PersonView, notice: SupervisionNotice) -> bool:
    """Whether `viewer` answers for the notice (签收, 进展, 结果 …): the person it is addressed to,
    or, for a notice to a unit, one of that unit's contacts — nobody of any unit for a person's."""
    if not viewer.active:
        return False
    if notice.assignee_id is not None:
        return viewer.id == notice.assignee_id
    return Role.unit in viewer.roles and viewer.unit_id is not None and viewer.unit_id == notice.unit_id


def may_approve(viewer: people.PersonView, notice: SupervisionNotice) -> bool:
    """A center leader or the director approves a close, a transfer or a 请示 — never on a notice
    they answer themselves (a leader as 承办人员 asks another leader, as 信息督办制度 六 says)."""
    return viewer.active and viewer.has(*APPROVERS) and not is_contact(viewer, notice)


def answerers(session: Session, notice: SupervisionNotice) -> list[Person]:
    """Who is told and chased on the 承办 side: the person, or the unit's contacts (active ones)."""
    if notice.assignee_id is not None:
        person = session.get(Person, notice.assignee_id)
        return [person] if person is not None and person.active else []
    return unit_contacts(session, notice.unit_id)


def addressee_name(session: Session, notice: SupervisionNotice) -> str:
    """The 承办单位（人员） as lists and messages name it: the unit, or the person."""
    if notice.assignee_id is not None:
        return person_name(session, notice.assignee_id)
    return unit_name_of(session, notice.unit_id)


def holds_case(session: Session, notice: SupervisionNotice, case: Case) -> bool:
    """Whether the notice's 承办 has the case in hand (so its accepted result is the case's 办结): the
    unit it is assigned to; a person who handles it, is its 包案领导, or is a contact of its unit."""
    if notice.assignee_id is None:
        return case.unit_id == notice.unit_id
    if notice.assignee_id in (case.handler_id, case.leader_id):
        return True
    person = people.get(session, person_id=notice.assignee_id)
    return case.unit_id is not None and person.has(Role.unit) and person.unit_id == case.unit_id


def answering_side(session: Session, notice: SupervisionNotice) -> str:
    """What stands before the actor's name in the directors' messages (「镇司法所 张三 已签收」): the
    unit, or 「承办人员」 for a person's notice (their own name follows)."""
    if notice.assignee_id is not None:
        return texts.SV_ASSIGNEE_SIDE
    return unit_name_of(session, notice.unit_id)


def send_to(session: Session, persons: Iterable[Person | None], text: str, buttons, key: str,
          now: datetime, *, document: str | None = None, notice: SupervisionNotice | None = None) -> int:
    """Messages about a notice on a confidential case are protected (outbox.enqueue's `case`)."""
    case = session.get(Case, notice.case_id) if notice is not None else None
    return tell(session, persons, text, buttons, key=key, now=now, document=document, case=case)


def docx_ref(notice_id: int) -> str:
    """The outbox's reference to a notice's .docx (bot/services/documents.py resolves it)."""
    return f"notice:{notice_id}"


def queue_docx(session: Session, notice: SupervisionNotice, persons: Iterable[Person | None], key: str,
               now: datetime) -> int:
    caption = notify.supervision.document_caption(number=notice.number)
    return send_to(session, persons, caption, [view_button(notice)], key, now, document=docx_ref(notice.id), notice=notice)


def view_button(notice: SupervisionNotice):
    return [(texts.SV_VIEW, NoticeOpen(notice.id).pack())]


def load_notice(session: Session, notice_id: int, *, lock: bool = False) -> SupervisionNotice:
    stmt = select(SupervisionNotice).where(SupervisionNotice.id == notice_id)
    notice = session.exec(stmt.with_for_update() if lock else stmt).first()
    if notice is None:
        raise NotFound("没有找到这份督办通知书。")
    return notice


def record_on_case(session: Session, actor_id: int | None, notice: SupervisionNotice, action: str, now: datetime,
            note: str) -> None:
    """Audited on the case, so the notice's life shows in the case history."""
    audit.record(session, actor_id=actor_id, action=f"case.{action}", subject_type="case",
                 subject_id=notice.case_id, now=now, note=f"{notice.number} {note}".strip(), notice_id=notice.id)


def new_entry(session: Session, notice: SupervisionNotice, kind: str, text: str, actor_id: int, now: datetime,
           *, open_: bool = False) -> NoticeEntry:
    entry = NoticeEntry(notice_id=notice.id, kind=kind, text=text, actor_id=actor_id, at=now, open=open_)
    session.add(entry)
    session.flush()
    return entry


def may_be_due(notice: SupervisionNotice) -> bool:
    return N(notice.status) in UNFINISHED or (
        notice.party_notice_due_at is not None and notice.party_notified_at is None)


def touch_notice(notice: SupervisionNotice, now: datetime) -> None:
    """After a change: the sweep looks again at once (it works out the next moment), or never."""
    notice.next_check_at = now if may_be_due(notice) else None


def director_only(session: Session, actor_id: int) -> people.PersonView:
    actor = people.get(session, person_id=actor_id)
    if not actor.has(Role.director):
        raise NotAllowed("只有中心主任可以下达和处理督办通知书。")
    return actor


def contact_only(session: Session, actor_id: int, notice: SupervisionNotice) -> people.PersonView:
    actor = people.get(session, person_id=actor_id)
    if not is_contact(actor, notice):
        raise NotAllowed(texts.SV_NOT_ANSWERER)
    return actor


def closed_error(notice: SupervisionNotice) -> InvalidInput:
    return InvalidInput(
        f"督办通知书 {notice.number} 当前状态为「{texts.SV_STATUS_LABELS[N(notice.status).value]}」，不能再办理。"
    )


def working_days_after(cal: WorkCalendar, start: datetime, end: datetime) -> int:
    """Whole working days overdue, measured as the case card words it (workdays.time_left)."""
    shown = time_left(start, end, cal=cal)
    return shown.days if shown.overdue else 0


def case_summary(case: Case) -> str:
    text = " ".join(case.description.split())
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1] + "…"


def cc_text(session: Session, person_ids: Iterable[int] | None, unit_ids: Iterable[int] | None,
             typed: str | None) -> str:
    """The 抄送 line: the picked leaders and units, then what was typed."""
    names = [person_name(session, i) for i in person_ids or ()] + [unit_name_of(session, i) for i in unit_ids or ()]
    return "、".join(n for n in (*names, typed or "") if n)
