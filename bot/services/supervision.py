"""督办通知书 (supervision notices), per 综治中心信息督办制度.

The director issues a numbered notice (one sequence per year: 综治〔2026〕12号) to a handling unit
about a case; the unit's contact signs for it (签收), reports progress and the result; the
director accepts the result or rejects it and re-issues (a new notice linked to the first, never
at a lower level), asks for the case materials (调阅) or a briefing (汇报); with a leader's
approval an item is closed or moved to another department, and the unit must tell the party
within 3 days. A sweep drives the clock: sign-for reminders and escalation, automatic yellow and
red cards, the overdue question, and the daily party-notice reminders.

Every change is one unit of work: the change, its audit event on the case and the outbox rows.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot import texts
from bot.callbacks import (
    NoticeAccept,
    NoticeAnswer,
    NoticeOpen,
    NoticeOverdueReason,
    NoticeParty,
    NoticeReissue,
    NoticeSign,
)
from bot.services import audit, cases, deadlines, directory, numbering, people
from bot.services.case_access import CaseNotFound, FileInput, add_files, can_view, person_name, summary_line
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.services.recipients import tell, unit_contacts, with_role
from bot.services.workdays import WorkCalendar, time_left
from bot.texts import notify
from models import (
    Case,
    CaseStatus,
    NoticeEntry,
    NoticeLevel,
    NoticeSource,
    NoticeStatus,
    Outcome,
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


# --- numbers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeStyle:
    """How the center's notices are numbered and headed (settings NOTICE_ISSUER_*, GB/T 9704)."""

    org: str = "综治中心"  # 发文机关 full name: the red header and the signature
    code: str = "综治"  # 机关代字, the head of the number: 综治〔2026〕12号
    legacy_number: bool = False  # keep the old form 〔2026〕第012号 for new numbers

    @classmethod
    def from_settings(cls, settings) -> "NoticeStyle":
        return cls(org=settings.notice_issuer_org, code=settings.notice_issuer_code,
                   legacy_number=settings.notice_number_legacy)


DEFAULT_STYLE = NoticeStyle()


def format_number(year: int, seq: int, style: NoticeStyle = DEFAULT_STYLE) -> str:
    """GB/T 9704 发文字号: 机关代字〔年份〕序号号, no 第 and no zero padding (or the old form by setting)."""
    if style.legacy_number:
        return f"〔{year}〕第{seq:03d}号"
    return f"{style.code}〔{year}〕{seq}号"


# The year in brackets (〔〕[]() after NFKC), or followed by - / 年; then 第, the sequence and 号.
_NUMBER_RE = re.compile(r"(?:^|\D)(\d{4})\s*(?:[〔\[(]\s*)?(?:[〕\])]|[-/_.年—－])\s*第?\s*(\d{1,4})\s*号?\s*$")
_BARE_RE = re.compile(r"^\D*[〔\[(]\s*(\d{4})\s*[〕\])]\s*第?\s*(\d{1,4})\s*号?\s*$")


def parse_number(text: str) -> tuple[int, int]:
    """Both forms, with or without the 机关代字: 综治〔2026〕12号, 〔2026〕第012号, [2026]12, 2026-12,
    2026年第12号 → (2026, 12). A notice is found by year and sequence, whatever its stored form."""
    typed = unicodedata.normalize("NFKC", text or "").strip()
    match = _BARE_RE.match(typed) or _NUMBER_RE.search(typed)
    if match is None or not 1 <= int(match.group(2)) <= 9999:
        raise InvalidInput("督办通知书编号不对，应形如 综治〔2026〕12号（也可写 2026-12）。")
    return int(match.group(1)), int(match.group(2))


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
    unit_id: int
    unit_name: str
    contacts: str  # the unit's contact persons, "、"-joined
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
    unit_id: int
    unit_name: str
    due_date: date
    requirements: str


@dataclass(frozen=True)
class SweepResult:
    notices: int
    messages: int


# --- helpers -----------------------------------------------------------------------------------


def _long(moment: datetime | None, tz: ZoneInfo) -> str:
    """2026年12月4日 17:30: Chinese documents write dates without zero padding (GB/T 9704)."""
    return f"{_day(moment, tz)} {moment.astimezone(tz):%H:%M}" if moment else ""


long_date = _long  # for handlers that word a notice's time


def _day(moment: datetime | None, tz: ZoneInfo) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(tz)
    return f"{local.year}年{local.month}月{local.day}日"


def _text(value: str | None, what: str, limit: int, *, lo: int = 2) -> str:
    value = (value or "").strip()
    if len(value) < lo:
        raise InvalidInput(f"请填写{what}。")
    if len(value) > limit:
        raise InvalidInput(texts.TOO_LONG.format(limit=limit))
    return value


def _optional(value: str | None, limit: int) -> str | None:
    value = (value or "").strip() or None
    if value is not None and len(value) > limit:
        raise InvalidInput(texts.TOO_LONG.format(limit=limit))
    return value


def _unit_name(session: Session, unit_id: int) -> str:
    unit = session.get(Unit, unit_id)
    return unit.name if unit else ""


def _directors(session: Session) -> list[Person]:
    return with_role(session, Role.director)


def _is_contact(viewer: people.PersonView, notice: SupervisionNotice) -> bool:
    return viewer.active and Role.unit in viewer.roles and viewer.unit_id == notice.unit_id


def _send(session: Session, persons: Iterable[Person | None], text: str, buttons, key: str,
          now: datetime, *, document: str | None = None, notice: SupervisionNotice | None = None) -> int:
    """Messages about a notice on a confidential case are protected (outbox.enqueue's `case`)."""
    case = session.get(Case, notice.case_id) if notice is not None else None
    return tell(session, persons, text, buttons, key=key, now=now, document=document, case=case)


def docx_ref(notice_id: int) -> str:
    """The outbox's reference to a notice's .docx (bot/services/documents.py resolves it)."""
    return f"notice:{notice_id}"


def _send_docx(session: Session, notice: SupervisionNotice, persons: Iterable[Person | None], key: str,
               now: datetime) -> int:
    caption = notify.supervision.document_caption(number=notice.number)
    return _send(session, persons, caption, [_view(notice)], key, now, document=docx_ref(notice.id), notice=notice)


def _view(notice: SupervisionNotice):
    return [(texts.SV_VIEW, NoticeOpen(notice.id).pack())]


def _load(session: Session, notice_id: int, *, lock: bool = False) -> SupervisionNotice:
    stmt = select(SupervisionNotice).where(SupervisionNotice.id == notice_id)
    notice = session.exec(stmt.with_for_update() if lock else stmt).first()
    if notice is None:
        raise NotFound("没有找到这份督办通知书。")
    return notice


def _record(session: Session, actor_id: int | None, notice: SupervisionNotice, action: str, now: datetime,
            note: str) -> None:
    """Audited on the case, so the notice's life shows in the case history."""
    audit.record(session, actor_id=actor_id, action=f"case.{action}", subject_type="case",
                 subject_id=notice.case_id, now=now, note=f"{notice.number} {note}".strip(), notice_id=notice.id)


def _entry(session: Session, notice: SupervisionNotice, kind: str, text: str, actor_id: int, now: datetime,
           *, open_: bool = False) -> NoticeEntry:
    entry = NoticeEntry(notice_id=notice.id, kind=kind, text=text, actor_id=actor_id, at=now, open=open_)
    session.add(entry)
    session.flush()
    return entry


def _may_be_due(notice: SupervisionNotice) -> bool:
    return N(notice.status) in UNFINISHED or (
        notice.party_notice_due_at is not None and notice.party_notified_at is None)


def _touch(notice: SupervisionNotice, now: datetime) -> None:
    """After a change: the sweep looks again at once (it works out the next moment), or never."""
    notice.next_check_at = now if _may_be_due(notice) else None


def _director_only(session: Session, actor_id: int) -> people.PersonView:
    actor = people.get(session, person_id=actor_id)
    if not actor.has(Role.director):
        raise NotAllowed("只有中心主任可以下达和处理督办通知书。")
    return actor


def _contact_only(session: Session, actor_id: int, notice: SupervisionNotice) -> people.PersonView:
    actor = people.get(session, person_id=actor_id)
    if not _is_contact(actor, notice):
        raise NotAllowed("只有承办单位的联络人可以办理这份督办通知书。")
    return actor


def _closed_error(notice: SupervisionNotice) -> InvalidInput:
    return InvalidInput(
        f"督办通知书 {notice.number} 当前状态为「{texts.SV_STATUS_LABELS[N(notice.status).value]}」，不能再办理。"
    )


def _working_days_after(cal: WorkCalendar, start: datetime, end: datetime) -> int:
    """Whole working days overdue, measured as the case card words it (workdays.time_left)."""
    shown = time_left(start, end, cal=cal)
    return shown.days if shown.overdue else 0


def _summary(case: Case) -> str:
    text = " ".join(case.description.split())
    return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1] + "…"


# --- issuing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Checked:
    case: Case
    unit: Unit
    contacts: list[Person]
    due: datetime
    requirements: str
    feedback: str
    cc: str | None
    level: NoticeLevel
    source: NoticeSource
    cc_person_ids: tuple[int, ...] = ()
    cc_unit_ids: tuple[int, ...] = ()


def _check(session: Session, *, case_id: int, unit_id: int, due_date: date, requirements: str,
           level: NoticeLevel, source: NoticeSource, feedback: str | None, cc: str | None, now: datetime,
           policy: DeadlinePolicy, cc_person_ids: Iterable[int] = (), cc_unit_ids: Iterable[int] = ()) -> _Checked:
    case = session.get(Case, case_id)
    if case is None:
        raise CaseNotFound()
    if CaseStatus(case.status) in (CaseStatus.archived, CaseStatus.out_of_scope):
        raise InvalidInput(
            f"事项 {case.number} 当前状态为「{texts.STATUS_LABELS[CaseStatus(case.status)]}」，不需要督办。"
        )
    unit = session.get(Unit, unit_id) if unit_id is not None else None
    if unit is None or not unit.active:
        raise InvalidInput("没有找到这个承办单位，请重新选择。")
    contacts = [p for p in unit_contacts(session, unit.id) if p.telegram_id is not None]
    if not contacts:
        raise InvalidInput(f"{unit.name} 还没有登记联络人，无法送达。请先用 /invite 邀请该单位联络人。")
    if due_date is None:
        raise InvalidInput("请给出办理期限（日期）。")
    due = deadlines.end_of_day(due_date, policy)
    if due <= now:
        raise InvalidInput("办理期限应晚于现在，请重新给出日期。")
    try:
        level, source = NoticeLevel(level), NoticeSource(source)
    except ValueError:
        raise InvalidInput("请选择督办级别和来源。") from None
    return _Checked(
        case=case, unit=unit, contacts=contacts, due=due,
        requirements=_text(requirements, "督办要求", MAX_TEXT),
        feedback=_optional(feedback, FEEDBACK_MAX) or texts.SV_DEFAULT_FEEDBACK,
        cc=_optional(cc, CC_MAX), level=level, source=source,
        cc_person_ids=_cc_persons(session, cc_person_ids), cc_unit_ids=_cc_units(session, cc_unit_ids, unit.id),
    )


# --- 抄送: registered leaders and units picked by button, besides typed outside bodies ----------------

CC_ROLES = (Role.secretary, Role.leader)
CC_PICKS_MAX = 20


@dataclass(frozen=True)
class CcChoice:
    kind: str  # "p" a leader, "u" a unit
    id: int
    name: str
    reachable: bool = True  # a unit without a contact cannot receive it


def cc_choices(session: Session, *, unit_id: int | None) -> list[CcChoice]:
    """Who may be picked as 抄送: the secretary and the center's leaders (the directors receive every
    notice anyway), then the active units other than the one the notice goes to."""
    found: dict[int, Person] = {}
    for role in CC_ROLES:
        for person in with_role(session, role):
            if person.telegram_id is not None:
                found.setdefault(person.id, person)
    directors = {p.id for p in _directors(session)}
    choices = [CcChoice("p", p.id, p.name) for p in found.values() if p.id not in directors]
    choices += [CcChoice("u", u.id, u.name, reachable=u.contacts > 0)
                for u in directory.active_units(session) if u.id != unit_id]
    return choices


def _picked(ids: Iterable[int]) -> list[int]:
    picked = list(dict.fromkeys(int(i) for i in ids or ()))
    if len(picked) > CC_PICKS_MAX:
        raise InvalidInput(f"抄送最多选 {CC_PICKS_MAX} 个。")
    return picked


def _cc_persons(session: Session, ids: Iterable[int]) -> tuple[int, ...]:
    allowed = {c.id for c in cc_choices(session, unit_id=None) if c.kind == "p"}
    picked = _picked(ids)
    if any(i not in allowed for i in picked):
        raise InvalidInput("抄送的领导已不在岗或已解绑，请重新选择抄送。")
    return tuple(picked)


def _cc_units(session: Session, ids: Iterable[int], unit_id: int) -> tuple[int, ...]:
    units = {c.id: c for c in cc_choices(session, unit_id=unit_id) if c.kind == "u"}
    picked = _picked(ids)
    for i in picked:
        if i not in units:
            raise InvalidInput("抄送的单位已停用或就是承办单位，请重新选择抄送。")
        if not units[i].reachable:
            raise InvalidInput(texts.SV_CC_NO_CONTACT.format(unit=units[i].name))
    return tuple(picked)


def _cc_text(session: Session, person_ids: Iterable[int] | None, unit_ids: Iterable[int] | None,
             typed: str | None) -> str:
    """The 抄送 line: the picked leaders and units, then what was typed."""
    names = [person_name(session, i) for i in person_ids or ()] + [_unit_name(session, i) for i in unit_ids or ()]
    return "、".join(n for n in (*names, typed or "") if n)


def _send_cc(session: Session, notice: SupervisionNotice, c: _Checked, now: datetime, tz: ZoneInfo) -> None:
    """Everyone picked as 抄送 receives the notice and its .docx (those already told are not told twice).
    A confidential case's details go only to those who may open the case."""
    told = {p.id for p in c.contacts} | {p.id for p in _directors(session)}
    persons = [session.get(Person, i) for i in c.cc_person_ids]
    persons += [p for unit_id in c.cc_unit_ids for p in unit_contacts(session, unit_id)]
    text = notify.supervision.copied(
        number=notice.number, level=c.level.value, unit=c.unit.name, case_number=c.case.number,
        summary=summary_line(c.case, 80), confidential=c.case.confidential, requirements=c.requirements,
        due=_long(c.due, tz))
    caption = notify.supervision.document_caption(number=notice.number)
    for person in {p.id: p for p in persons if p is not None and p.id not in told}.values():
        viewer = people.get(session, person_id=person.id)
        if c.case.confidential and not can_view(viewer, c.case):
            _send(session, [person], notify.supervision.copied_confidential(number=notice.number), None,
                  f"sv{notice.id}:cc", now)
            continue
        buttons = [_view(notice)] if viewer.active and viewer.has(*SEE_ALL) else None
        _send(session, [person], text, buttons, f"sv{notice.id}:cc", now)
        _send(session, [person], caption, buttons, f"sv{notice.id}:ccdocx", now, document=docx_ref(notice.id))


def preview(session: Session, *, actor_id: int, case_id: int, unit_id: int, due_date: date, requirements: str,
            now: datetime, policy: DeadlinePolicy, level: NoticeLevel = NoticeLevel.normal,
            source: NoticeSource = NoticeSource.local, feedback: str | None = None,
            cc: str | None = None, cc_person_ids: Iterable[int] = (), cc_unit_ids: Iterable[int] = ()) -> NoticeView:
    """What the notice will say, every check passed; nothing is written. The number comes on issue."""
    actor = _director_only(session, actor_id)
    c = _check(session, case_id=case_id, unit_id=unit_id, due_date=due_date, requirements=requirements,
               level=level, source=source, feedback=feedback, cc=cc, now=now, policy=policy,
               cc_person_ids=cc_person_ids, cc_unit_ids=cc_unit_ids)
    cal = policy.calendar(session)
    return NoticeView(
        id=None, number=texts.SV_NUMBER_PENDING, level=c.level, source=c.source, status=N.issued,
        case_id=c.case.id, case_number=c.case.number, case_summary=_summary(c.case), unit_id=c.unit.id,
        unit_name=c.unit.name, contacts="、".join(p.name for p in c.contacts),
        original_due=_long(c.case.due_at, policy.tz),
        days_overdue=_working_days_after(cal, c.case.due_at, now) if c.case.due_at else 0,
        requirements=c.requirements, due=_long(c.due, policy.tz), feedback=c.feedback,
        cc=_cc_text(session, c.cc_person_ids, c.cc_unit_ids, c.cc), issuer=actor.name, issued_on=_day(now, policy.tz),
    )


def _create(session: Session, actor: people.PersonView, c: _Checked, now: datetime, policy: DeadlinePolicy, *,
            original_due_at: datetime | None, parent: SupervisionNotice | None = None,
            style: NoticeStyle = DEFAULT_STYLE) -> SupervisionNotice:
    year = now.astimezone(policy.tz).year
    seq = numbering.next_value(session, name=SEQUENCE, year=year)
    cal = policy.calendar(session)
    notice = SupervisionNotice(
        number=format_number(year, seq, style), year=year, seq=seq, level=c.level, source=c.source, case_id=c.case.id,
        case_summary=_summary(c.case), unit_id=c.unit.id, original_due_at=original_due_at,
        days_overdue=_working_days_after(cal, original_due_at, now) if original_due_at else 0,
        requirements=c.requirements, due_at=c.due, feedback=c.feedback, cc=c.cc, issuer_id=actor.id,
        cc_person_ids=list(c.cc_person_ids) or None, cc_unit_ids=list(c.cc_unit_ids) or None,
        issued_at=now, status=N.issued, parent_id=parent.id if parent else None, next_check_at=now,
    )
    session.add(notice)
    session.flush()
    _record(session, actor.id, notice, "supervise", now,
            f"{texts.SV_LEVEL_LABELS[c.level.value]}督办 {c.unit.name}，期限 {_long(c.due, policy.tz)}：{c.requirements}")
    text = notify.supervision.issued_to_unit(
        number=notice.number, level=c.level.value, source=c.source.value, case_number=c.case.number,
        summary=summary_line(c.case, 80), confidential=c.case.confidential, requirements=c.requirements,
        due=_long(c.due, policy.tz), feedback=c.feedback,
        reissued_from=parent.number if parent is not None else None,
        reissue_reason=parent.closing_note if parent is not None else None,
    )
    buttons = [[(texts.SV_SIGN, NoticeSign(notice.id).pack()), *_view(notice)]]
    _send(session, c.contacts, text, buttons, f"sv{notice.id}:issued", now, notice=notice)
    text = notify.supervision.issued_to_director(
        number=notice.number, level=c.level.value, unit=c.unit.name, case_number=c.case.number,
        due=_long(c.due, policy.tz),
    )
    _send(session, _directors(session), text, [_view(notice)], f"sv{notice.id}:issued", now, notice=notice)
    _send_docx(session, notice, [*c.contacts, *_directors(session)], f"sv{notice.id}:docx", now)
    _send_cc(session, notice, c, now, policy.tz)
    _hand_case_to_unit(session, actor, notice, c, now, policy)
    return notice


def _hand_case_to_unit(session: Session, actor: people.PersonView, notice: SupervisionNotice, c: _Checked,
                       now: datetime, policy: DeadlinePolicy) -> None:
    """A notice puts its case in the unit's hands through the normal case actions (their audit and
    notifications): 受理 first if the case is still 已登记, then 分派 to the unit unless it has it.
    The case's deadline: a running deadline earlier than the notice's is kept (a notice does not
    quietly extend a case; extensions go through their approval); otherwise (no deadline before
    the notice, a later one, or one already passed) the case follows the notice's deadline, the one
    the director has just set and the unit now works to — except a 包案 case's passed deadline, which
    only the party secretary extends. A case past 办理 (办结, 转办…) or paused (挂起, approved) is left
    as it is."""
    case = c.case
    status = CaseStatus(case.status)
    before = case.due_at if status != CaseStatus.registered else None
    if status == CaseStatus.registered:
        cases.accept(session, actor_id=actor.id, case_id=case.id, now=now, policy=policy)
    if CaseStatus(case.status) in cases.TRANSITIONS["assign"].from_states and case.unit_id != c.unit.id:
        cases.assign(session, actor_id=actor.id, case_id=case.id, unit_id=c.unit.id, now=now)
    if CaseStatus(case.status) not in deadlines.RUNNING or case.paused_at is not None:
        return
    if before is not None and before <= c.due and (now < before or case.leader_id is not None):
        return
    if case.due_at != c.due:
        deadlines.set_deadline(session, actor_id=actor.id, case_id=case.id, due_date=c.due.astimezone(policy.tz).date(),
                               reason=texts.SV_CASE_DEADLINE_REASON.format(number=notice.number), now=now,
                               policy=policy)


def issue(session: Session, *, actor_id: int, case_id: int, unit_id: int, due_date: date, requirements: str,
          now: datetime, policy: DeadlinePolicy, level: NoticeLevel = NoticeLevel.normal,
          source: NoticeSource = NoticeSource.local, feedback: str | None = None,
          cc: str | None = None, style: NoticeStyle = DEFAULT_STYLE, cc_person_ids: Iterable[int] = (),
          cc_unit_ids: Iterable[int] = ()) -> SupervisionNotice:
    """The director issues a notice: the next number of the year; the unit's contacts, the director
    and those picked as 抄送 told."""
    actor = _director_only(session, actor_id)
    c = _check(session, case_id=case_id, unit_id=unit_id, due_date=due_date, requirements=requirements,
               level=level, source=source, feedback=feedback, cc=cc, now=now, policy=policy,
               cc_person_ids=cc_person_ids, cc_unit_ids=cc_unit_ids)
    return _create(session, actor, c, now, policy, original_due_at=c.case.due_at, style=style)


# --- the one-line command ----------------------------------------------------------------------

_CASE_RE = re.compile(r"^(\d{4})-(\d{1,6})$")
_FULL_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_SHORT_DATE_RE = re.compile(r"^(\d{1,2})[-/.月](\d{1,2})日?$")


def _date_token(token: str, today: date | None) -> date | None:
    """A date, or None if the token does not look like one; InvalidInput if it looks like one but is not."""
    token = unicodedata.normalize("NFKC", token)
    if m := _FULL_DATE_RE.match(token):
        year, month, day = (int(g) for g in m.groups())
    elif (m := _SHORT_DATE_RE.match(token)) and today is not None:
        year, (month, day) = today.year, (int(g) for g in m.groups())
        try:
            if date(year, month, day) < today:
                year += 1  # 1-05 typed in December means next January
        except ValueError:
            pass
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInput(f"日期「{token}」不存在，请核对（例如 2026-12-10）。") from None


def parse_command(text: str, *, today: date | None = None) -> SuperviseCommand:
    """`/supervise 2026-0042 镇司法所 2026-12-10 督办要求` → the parts, or a clear InvalidInput.
    With `today`, a date may also be written as 12-10 or 12月10日."""
    parts = (text or "").strip().split(maxsplit=1)
    if parts and parts[0].startswith("/"):
        parts = parts[1:]
    rest = parts[0].strip() if parts else ""
    if not rest:
        raise InvalidInput(texts.SV_COMMAND_USAGE)
    tokens = rest.split()
    number = unicodedata.normalize("NFKC", tokens[0]).replace("—", "-")
    if not _CASE_RE.match(number):
        raise InvalidInput(f"事项编号「{tokens[0]}」不对，应形如 2026-0042。\n{texts.SV_COMMAND_USAGE}")
    for i, token in enumerate(tokens[1:], start=1):
        due = _date_token(token, today)
        if due is None:
            continue
        unit = " ".join(tokens[1:i]).strip()
        if not unit:
            raise InvalidInput(f"请在事项编号后写上承办单位名称，例如 镇司法所。\n{texts.SV_COMMAND_USAGE}")
        requirements = " ".join(tokens[i + 1:]).strip()
        if not requirements:
            raise InvalidInput(f"请在日期后写上督办要求。\n{texts.SV_COMMAND_USAGE}")
        if len(requirements) > MAX_TEXT:
            raise InvalidInput(texts.TOO_LONG.format(limit=MAX_TEXT))
        year, seq = _CASE_RE.match(number).groups()
        return SuperviseCommand(case_number=f"{year}-{int(seq):04d}", unit_name=unit, due_date=due,
                                requirements=requirements)
    if len(tokens) < 2:
        raise InvalidInput(f"请在事项编号后写上承办单位名称和办理期限。\n{texts.SV_COMMAND_USAGE}")
    raise InvalidInput(f"没有找到办理期限，请写成 2026-12-10 这样的日期。\n{texts.SV_COMMAND_USAGE}")


def find_unit(session: Session, *, name: str) -> Unit:
    """By exact name, else the one active unit whose name contains it."""
    name = (name or "").strip()
    units = list(session.exec(select(Unit).where(col(Unit.active)).order_by(col(Unit.name))))
    exact = [u for u in units if u.name == name]
    if exact:
        return exact[0]
    close = [u for u in units if name and name in u.name]
    if len(close) == 1:
        return close[0]
    if close:
        raise InvalidInput(f"「{name}」对应多个单位：{'、'.join(u.name for u in close[:10])}。请写全称。")
    known = "、".join(u.name for u in units[:10]) or "（还没有单位）"
    raise InvalidInput(f"没有找到单位「{name}」。现有单位：{known}")


def resolve_command(session: Session, *, actor_id: int, command: SuperviseCommand) -> SuperviseDraft:
    """The one-line command's case number and unit name, looked up; then preview() and issue()."""
    _director_only(session, actor_id)
    case_id = cases.find_by_number(session, number=command.case_number)
    unit = find_unit(session, name=command.unit_name)
    return SuperviseDraft(case_id=case_id, case_number=command.case_number, unit_id=unit.id, unit_name=unit.name,
                          due_date=command.due_date, requirements=command.requirements)


# --- the unit's side ---------------------------------------------------------------------------


def sign(session: Session, *, actor_id: int, notice_id: int, now: datetime,
         tz: ZoneInfo = deadlines.CENTER_TZ) -> SupervisionNotice:
    """签收: the sign-for person and time are recorded; the director is told."""
    notice = _load(session, notice_id, lock=True)
    actor = _contact_only(session, actor_id, notice)
    if N(notice.status) != N.issued:
        if notice.signed_at is not None:
            raise InvalidInput(
                f"督办通知书 {notice.number} 已由 {person_name(session, notice.signed_by_id)} 于 "
                f"{_long(notice.signed_at, tz)} 签收，无需重复签收。"
            )
        raise _closed_error(notice)
    notice.status, notice.signed_by_id, notice.signed_at = N.signed, actor.id, now
    _touch(notice, now)
    session.add(notice)
    _record(session, actor.id, notice, "supervise_sign", now, f"{actor.name} 签收")
    text = notify.supervision.signed(unit=_unit_name(session, notice.unit_id), who=actor.name, number=notice.number)
    _send(session, _directors(session), text, [_view(notice)], f"sv{notice.id}:signed", now, notice=notice)
    return notice


def add_entry(session: Session, *, actor_id: int, notice_id: int, kind: str, text: str, now: datetime,
              files: tuple[FileInput, ...] = ()) -> NoticeEntry:
    """The unit reports progress, the result, or (when overdue) the reason and its progress."""
    if kind not in UNIT_ENTRY_KINDS:
        raise InvalidInput("未知的反馈类型。")
    notice = _load(session, notice_id, lock=True)
    actor = _contact_only(session, actor_id, notice)
    status = N(notice.status)
    if status == N.issued:
        raise InvalidInput(f"请先点「签收」督办通知书 {notice.number}，再报送{texts.SV_ENTRY_LABELS[kind]}。")
    if status == N.reported and kind == "result":
        raise InvalidInput(f"督办通知书 {notice.number} 的办理结果已报送，等待中心审核。可以继续报送进展。")
    if status not in OPEN:
        raise _closed_error(notice)
    body = _text(text, texts.SV_ENTRY_LABELS[kind], MAX_TEXT)
    add_files(session, notice.case_id, actor.id, files, now, note=FEEDBACK_NOTE)
    entry = _entry(session, notice, kind, body, actor.id, now)
    if kind == "result":
        notice.status = N.reported
        _touch(notice, now)
        session.add(notice)
    _record(session, actor.id, notice, "supervise_entry", now, f"{texts.SV_ENTRY_LABELS[kind]}：{body}")
    message = notify.supervision.entry_reported(
        unit=_unit_name(session, notice.unit_id), who=actor.name, number=notice.number, kind=kind, text=body,
        files=len(files),
    )
    buttons = [_view(notice)]
    if kind == "result":
        buttons.insert(0, [(texts.SV_ACCEPT, NoticeAccept(notice.id).pack()), (texts.SV_REJECT, NoticeReissue(notice.id).pack())])
    _send(session, _directors(session), message, buttons, f"sv{notice.id}:e{entry.id}", now, notice=notice)
    return entry


def answer_request(session: Session, *, actor_id: int, entry_id: int, text: str, now: datetime,
                   files: tuple[FileInput, ...] = ()) -> NoticeEntry:
    """The unit answers a 调阅 (materials) or 汇报 (briefing) request; the director is told."""
    request = session.exec(select(NoticeEntry).where(NoticeEntry.id == entry_id).with_for_update()).first()
    if request is None or request.kind not in REQUEST_KINDS:
        raise NotFound("没有找到这项要求。")
    notice = _load(session, request.notice_id, lock=True)
    actor = _contact_only(session, actor_id, notice)
    if not request.open:
        raise InvalidInput("这项要求已经答复过了，无需重复答复。")
    body = _text(text, "答复内容", MAX_TEXT)
    add_files(session, notice.case_id, actor.id, files, now, note=FEEDBACK_NOTE)
    request.open, request.answered_at = False, now
    session.add(request)
    label = texts.SV_REQUEST_LABELS[request.kind]
    answer = _entry(session, notice, "answer", f"答复「{label}」：{body}", actor.id, now)
    _record(session, actor.id, notice, "supervise_answer", now, f"答复「{label}」：{body}")
    message = notify.supervision.answered(
        unit=_unit_name(session, notice.unit_id), who=actor.name, number=notice.number, kind=request.kind,
        text=body, files=len(files),
    )
    _send(session, _directors(session), message, [_view(notice)], f"sv{notice.id}:e{answer.id}", now, notice=notice)
    return answer


def record_party_notice(session: Session, *, actor_id: int, notice_id: int, text: str,
                        now: datetime) -> SupervisionNotice:
    """After a close or transfer: the unit records how and when the party was told; reminders stop."""
    notice = _load(session, notice_id, lock=True)
    actor = people.get(session, person_id=actor_id)
    if not (_is_contact(actor, notice) or actor.has(Role.director)):
        raise NotAllowed("只有承办单位的联络人或中心主任可以登记告知当事人。")
    if notice.party_notice_due_at is None:
        raise InvalidInput(f"督办通知书 {notice.number} 没有经批准结案或移送，无需登记告知当事人。")
    if notice.party_notified_at is not None:
        raise InvalidInput(f"督办通知书 {notice.number} 已登记告知当事人，无需重复登记。")
    body = _text(text, "告知情况（何时、以何种方式告知）", MAX_TEXT)
    notice.party_notified_at = now
    _touch(notice, now)
    session.add(notice)
    entry = _entry(session, notice, "party_notice", body, actor.id, now)
    _record(session, actor.id, notice, "supervise_party", now, body)
    message = notify.supervision.party_recorded(
        unit=_unit_name(session, notice.unit_id), who=actor.name, number=notice.number, text=body)
    _send(session, [p for p in _directors(session) if p.id != actor.id], message, [_view(notice)],
          f"sv{notice.id}:e{entry.id}", now, notice=notice)
    return notice


# --- the director's side -----------------------------------------------------------------------


def accept_result(session: Session, *, actor_id: int, notice_id: int, now: datetime,
                  note: str | None = None) -> SupervisionNotice:
    """The director accepts the reported result: the notice is closed."""
    actor = _director_only(session, actor_id)
    notice = _load(session, notice_id, lock=True)
    if N(notice.status) != N.reported:
        if N(notice.status) in UNFINISHED:
            raise InvalidInput(f"督办通知书 {notice.number} 还没有报送办理结果。")
        raise _closed_error(notice)
    note = _optional(note, MAX_TEXT)
    notice.status, notice.closed_at, notice.closing_note = N.accepted, now, note
    _touch(notice, now)
    session.add(notice)
    entry = _entry(session, notice, "accept", note or texts.SV_ENTRY_LABELS["accept"], actor.id, now)
    _record(session, actor.id, notice, "supervise_accept", now, note or "")
    message = notify.supervision.accepted(number=notice.number)
    _send(session, unit_contacts(session, notice.unit_id), message, [_view(notice)],
          f"sv{notice.id}:e{entry.id}", now, notice=notice)
    _resolve_case(session, actor, notice, note, now)
    return notice


def _resolve_case(session: Session, actor: people.PersonView, notice: SupervisionNotice, note: str | None,
                  now: datetime) -> None:
    """认可 of the unit handling the case is the case's 办结, through the normal resolve (the reporter
    is told; the reply to the party and the satisfaction follow as for any case). The result of a
    unit the case has since moved away from (a later notice to another unit) does not close it."""
    case = session.get(Case, notice.case_id)
    if case.unit_id != notice.unit_id or CaseStatus(case.status) not in cases.TRANSITIONS["resolve"].from_states:
        return
    result = session.exec(select(NoticeEntry.text).where(NoticeEntry.notice_id == notice.id, NoticeEntry.kind == "result")
                          .order_by(col(NoticeEntry.at).desc(), col(NoticeEntry.id).desc())).first() or ""
    summary = texts.SV_CASE_RESULT.format(number=notice.number, result=result,
                                          note=texts.SV_CASE_RESULT_NOTE.format(note=note) if note else "")
    if len(summary) > MAX_TEXT:
        summary = summary[: MAX_TEXT - 1] + "…"
    # The director accepted the result as settling the matter: 调解成功 (化解) in the ledger.
    cases.resolve(session, actor_id=actor.id, case_id=case.id, outcome=Outcome.mediated, agreement=None,
                  summary=summary, now=now)


def reject_and_reissue(session: Session, *, actor_id: int, notice_id: int, reason: str, due_date: date,
                       now: datetime, policy: DeadlinePolicy, requirements: str | None = None,
                       level: NoticeLevel | None = None, feedback: str | None = None,
                       cc: str | None = None, style: NoticeStyle = DEFAULT_STYLE) -> SupervisionNotice:
    """重新督办: the result is not accepted; a NEW notice (new number) linked to the old one goes to
    the same unit, at the same or a stricter level, never a lower one. The old one is 'reissued'."""
    actor = _director_only(session, actor_id)
    old = _load(session, notice_id, lock=True)
    if N(old.status) not in OPEN:
        raise _closed_error(old)
    reason = _text(reason, "不认可的理由", MAX_TEXT)
    old_level = NoticeLevel(old.level)
    level = NoticeLevel(level) if level is not None else old_level
    if LEVEL_ORDER[level] < LEVEL_ORDER[old_level]:
        raise InvalidInput(
            f"督办级别只能提高、不能降低（原通知书为{texts.SV_LEVEL_LABELS[old_level.value]}）。"
        )
    c = _check(session, case_id=old.case_id, unit_id=old.unit_id, due_date=due_date,
               requirements=requirements or old.requirements, level=level, source=NoticeSource(old.source),
               feedback=feedback or old.feedback, cc=cc if cc is not None else old.cc, now=now, policy=policy,
               cc_person_ids=old.cc_person_ids or (), cc_unit_ids=old.cc_unit_ids or ())
    old.status, old.closed_at, old.closing_note = N.reissued, now, reason
    _touch(old, now)
    session.add(old)
    _entry(session, old, "reject", reason, actor.id, now)
    _record(session, actor.id, old, "supervise_reissue", now, f"不认可：{reason}")
    return _create(session, actor, c, now, policy, original_due_at=old.due_at, parent=old, style=style)


def _request(session: Session, *, actor_id: int, notice_id: int, kind: str, text: str | None,
             now: datetime) -> NoticeEntry:
    actor = _director_only(session, actor_id)
    notice = _load(session, notice_id, lock=True)
    if N(notice.status) not in OPEN:
        raise _closed_error(notice)
    body = _optional(text, MAX_TEXT) or texts.SV_REQUEST_DEFAULTS[kind]
    entry = _entry(session, notice, kind, body, actor.id, now, open_=True)
    label = texts.SV_REQUEST_LABELS[kind]
    _record(session, actor.id, notice, "supervise_request", now, f"{label}：{body}")
    case = session.get(Case, notice.case_id)
    message = notify.supervision.requested(kind=kind, number=notice.number, case_number=case.number, text=body)
    buttons = [[(texts.SV_ANSWER, NoticeAnswer(entry.id).pack()), *_view(notice)]]
    _send(session, unit_contacts(session, notice.unit_id), message, buttons, f"sv{notice.id}:e{entry.id}", now, notice=notice)
    return entry


def request_materials(session: Session, *, actor_id: int, notice_id: int, now: datetime,
                      text: str | None = None) -> NoticeEntry:
    """调阅: the director asks the unit for the case materials; tracked until answered."""
    return _request(session, actor_id=actor_id, notice_id=notice_id, kind="materials", text=text, now=now)


def request_briefing(session: Session, *, actor_id: int, notice_id: int, now: datetime,
                     text: str | None = None) -> NoticeEntry:
    """汇报: the director summons the unit's leader or handler to report; tracked until answered."""
    return _request(session, actor_id=actor_id, notice_id=notice_id, kind="briefing", text=text, now=now)


def close_or_transfer(session: Session, *, actor_id: int, notice_id: int, transfer: bool, note: str,
                      now: datetime, department: str | None = None, tz: ZoneInfo = deadlines.CENTER_TZ
                      ) -> SupervisionNotice:
    """With a leader's (or the director's) approval the item is closed or moved to another
    department; the unit must tell the party within 3 days and is reminded until it records it."""
    actor = people.get(session, person_id=actor_id)
    if not actor.has(*APPROVERS):
        raise NotAllowed("结案或移送须经中心领导批准，只有中心领导或主任可以操作。")
    notice = _load(session, notice_id, lock=True)
    if N(notice.status) not in OPEN:
        raise _closed_error(notice)
    note = _text(note, "结案或移送的说明", MAX_TEXT)
    if transfer:
        department = _text(department, "接收部门", DEPARTMENT_MAX)
        what = texts.SV_TRANSFER_WHAT.format(department=department)
        notice.status, notice.closing_note = N.transferred, f"移送 {department}：{note}"
    else:
        what = texts.SV_CLOSE_WHAT
        notice.status, notice.closing_note = N.closed, note
    notice.closed_at = now
    notice.party_notice_due_at = now + timedelta(days=PARTY_NOTICE_DAYS)
    _touch(notice, now)
    session.add(notice)
    kind = "transfer" if transfer else "close"
    entry = _entry(session, notice, kind, notice.closing_note, actor.id, now)
    _record(session, actor.id, notice, f"supervise_{kind}", now, f"经 {actor.name} 批准：{notice.closing_note}")
    message = notify.supervision.closed(who=actor.name, number=notice.number, what=what, note=note,
                                        due=_long(notice.party_notice_due_at, tz))
    buttons = [[(texts.SV_PARTY_BUTTON, NoticeParty(notice.id).pack()), *_view(notice)]]
    _send(session, unit_contacts(session, notice.unit_id), message, buttons, f"sv{notice.id}:e{entry.id}", now, notice=notice)
    return notice


def send_docx(session: Session, *, actor_id: int, notice_id: int, now: datetime) -> str:
    """/notice or the 「通知书」 button: the .docx is queued for the asker (at most once a minute).
    Returns the notice's number as stored (an old one keeps its old form)."""
    notice = _load(session, notice_id)
    viewer = _visible(session, actor_id, notice)
    if not _reads_case(viewer, notice, session.get(Case, notice.case_id)):
        raise NotAllowed(texts.SV_DOC_CONFIDENTIAL)  # the document holds what the card would not show
    person = session.get(Person, viewer.id)
    if person.telegram_id is None:
        raise InvalidInput("您还没有绑定 Telegram，无法发送文件。")
    _send_docx(session, notice, [person], f"sv{notice.id}:docx:{now:%Y%m%d%H%M}", now)
    return notice.number


def remember_docx(session: Session, *, notice_id: int, file_id: str) -> None:
    """The .docx, once uploaded, is kept with the notice as its Telegram file id: later sends reuse it."""
    notice = _load(session, notice_id, lock=True)
    file_id = (file_id or "").strip()
    if not file_id or len(file_id) > 200:
        raise InvalidInput("文件标识无效。")
    notice.docx_file_id = file_id
    session.add(notice)


# --- reading -----------------------------------------------------------------------------------


def may_see(viewer: people.PersonView, notice: SupervisionNotice) -> bool:
    """Who may see a notice (its card, and its requirements in the case history)."""
    return viewer.active and (viewer.has(*SEE_ALL) or _is_contact(viewer, notice))


def _visible(session: Session, viewer_id: int, notice: SupervisionNotice) -> people.PersonView:
    viewer = people.get(session, person_id=viewer_id)
    if not may_see(viewer, notice):
        raise NotAllowed("无权查看这份督办通知书。")
    return viewer


def _reads_case(viewer: people.PersonView, notice: SupervisionNotice, case: Case) -> bool:
    """Whether the viewer may read the case's content in the notice (summary, .docx): the card's rule,
    and the notice's own unit."""
    return not case.confidential or can_view(viewer, case) or _is_contact(viewer, notice)


def notice_view(session: Session, *, viewer_id: int, notice_id: int, now: datetime,
                policy: DeadlinePolicy) -> NoticeView:
    notice = _load(session, notice_id)
    viewer = _visible(session, viewer_id, notice)
    case = session.get(Case, notice.case_id)
    summary = notice.case_summary
    if not _reads_case(viewer, notice, case):
        summary = texts.CONFIDENTIAL_SUMMARY  # a leader who may not open the case does not read it here
    return _full_view(session, notice, case, summary, now, policy.tz)


def document_view(session: Session, *, notice_id: int, now: datetime, tz: ZoneInfo) -> NoticeView:
    """The notice as printed in its .docx, which goes only to the unit's contacts and the director."""
    notice = _load(session, notice_id)
    return _full_view(session, notice, session.get(Case, notice.case_id), notice.case_summary, now, tz)


def _full_view(session: Session, notice: SupervisionNotice, case: Case, summary: str, now: datetime,
               tz: ZoneInfo) -> NoticeView:
    parent = session.get(SupervisionNotice, notice.parent_id) if notice.parent_id else None
    rows = session.exec(select(NoticeEntry).where(NoticeEntry.notice_id == notice.id)
                        .order_by(col(NoticeEntry.at), col(NoticeEntry.id)))
    entries = tuple(
        EntryView(id=e.id, kind=e.kind, label=texts.SV_ENTRY_LABELS.get(e.kind, e.kind), text=e.text,
                  actor=person_name(session, e.actor_id), at=_long(e.at, tz), open=e.open,
                  answered_at=_long(e.answered_at, tz))
        for e in rows
    )
    contacts = unit_contacts(session, notice.unit_id)
    return NoticeView(
        id=notice.id, number=notice.number, level=NoticeLevel(notice.level), source=NoticeSource(notice.source),
        status=N(notice.status), case_id=case.id, case_number=case.number, case_summary=summary,
        unit_id=notice.unit_id, unit_name=_unit_name(session, notice.unit_id),
        contacts="、".join(p.name for p in contacts), original_due=_long(notice.original_due_at, tz),
        days_overdue=notice.days_overdue, requirements=notice.requirements, due=_long(notice.due_at, tz),
        feedback=notice.feedback, cc=_cc_text(session, notice.cc_person_ids, notice.cc_unit_ids, notice.cc),
        issuer=person_name(session, notice.issuer_id),
        issued_on=_day(notice.issued_at, tz), signed_by=person_name(session, notice.signed_by_id),
        signed_at=_long(notice.signed_at, tz), parent_number=parent.number if parent else "",
        docx_file_id=notice.docx_file_id, overdue=N(notice.status) in UNFINISHED and now >= notice.due_at,
        closing_note=notice.closing_note or "", party_notice_due=_long(notice.party_notice_due_at, tz),
        party_notified_at=_long(notice.party_notified_at, tz), entries=entries,
    )


@dataclass(frozen=True)
class NoticeOnCard:
    """An open notice as the case card shows it, with a button to open it."""

    id: int
    number: str
    unit: str
    due: str
    level: NoticeLevel


def open_notices_on_card(session: Session, *, viewer: people.PersonView, case_id: int,
                         tz: ZoneInfo) -> tuple[NoticeOnCard, ...]:
    """The case's open notices this viewer may open (the same rule as the notice card)."""
    rows = session.exec(select(SupervisionNotice).where(
        SupervisionNotice.case_id == case_id, col(SupervisionNotice.status).in_(OPEN)).order_by(
        col(SupervisionNotice.id)))
    return tuple(
        NoticeOnCard(id=n.id, number=n.number, unit=_unit_name(session, n.unit_id), due=_long(n.due_at, tz),
                     level=NoticeLevel(n.level))
        for n in rows if viewer.active and (viewer.has(*SEE_ALL) or _is_contact(viewer, n))
    )


def find_notice(session: Session, *, viewer_id: int, number: str) -> int:
    """/notice 〔2026〕第012号 → the notice's id, if the viewer may see it."""
    year, seq = parse_number(number)
    notice = session.exec(select(SupervisionNotice).where(
        SupervisionNotice.year == year, SupervisionNotice.seq == seq)).first()
    if notice is None:
        raise NotFound(f"没有找到 {year} 年第 {seq} 号督办通知书。")
    _visible(session, viewer_id, notice)
    return notice.id


def list_notices(session: Session, *, viewer_id: int, now: datetime, state: str = "open",
                 unit_id: int | None = None, level: NoticeLevel | None = None, offset: int = 0,
                 limit: int = 10, policy: DeadlinePolicy | None = None) -> tuple[list[NoticeRef], int]:
    """/supervisions: open, overdue or all; by unit and by level. Center leadership sees every
    notice; a unit contact sees only their unit's."""
    viewer = people.get(session, person_id=viewer_id)
    stmt = select(SupervisionNotice)
    if viewer.active and viewer.has(*SEE_ALL):
        if unit_id is not None:
            stmt = stmt.where(SupervisionNotice.unit_id == unit_id)
    elif viewer.active and Role.unit in viewer.roles and viewer.unit_id is not None:
        stmt = stmt.where(SupervisionNotice.unit_id == viewer.unit_id)
    else:
        raise NotAllowed("无权查看督办通知书。")
    if state == "open":
        stmt = stmt.where(col(SupervisionNotice.status).in_(OPEN))
    elif state == "overdue":
        stmt = stmt.where(col(SupervisionNotice.status).in_(UNFINISHED), SupervisionNotice.due_at <= now)
    elif state != "all":
        raise InvalidInput("未知的列表。")
    if level is not None:
        stmt = stmt.where(SupervisionNotice.level == NoticeLevel(level))
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = list(session.exec(stmt.order_by(col(SupervisionNotice.due_at), col(SupervisionNotice.id))
                             .offset(offset).limit(limit)))
    tz = (policy or DeadlinePolicy()).tz
    unit_names: dict[int, str] = {}
    refs = []
    for n in rows:
        if n.unit_id not in unit_names:
            unit_names[n.unit_id] = _unit_name(session, n.unit_id)
        case = session.get(Case, n.case_id)
        refs.append(NoticeRef(
            id=n.id, number=n.number, level=NoticeLevel(n.level), status=N(n.status), unit=unit_names[n.unit_id],
            case_number=case.number, due=deadlines.fmt(n.due_at, tz),
            overdue=N(n.status) in UNFINISHED and now >= n.due_at,
        ))
    return refs, total


# --- what a viewer may do with a notice (the card's buttons) ----------------------------------

# In the order the card shows them. The unit's: sign, progress, result, overdue_reason, party;
# the director's: accept, reissue, materials, briefing; a leader's or the director's: close, transfer.
NOTICE_ACTIONS = ("sign", "progress", "result", "overdue_reason", "party", "accept", "reissue", "materials",
                  "briefing", "close", "transfer")
_UNIT_ACTIONS = frozenset({"sign", "progress", "result", "overdue_reason"})
_DIRECTOR_ACTIONS = frozenset({"accept", "reissue", "materials", "briefing"})
DUE_STEPS = (3, 5, 10)  # working days offered as buttons for a notice's deadline


@dataclass(frozen=True)
class NoticeCard:
    """The notice as one viewer sees it, with what they may do now (every press is checked again)."""

    view: NoticeView
    actions: tuple[str, ...]
    requests: tuple[EntryView, ...] = ()  # open 调阅/汇报 requests this viewer may answer
    may_open_case: bool = False


@dataclass(frozen=True)
class OpenRequest:
    """A 调阅/汇报 request the unit is about to answer."""

    id: int
    notice_id: int
    number: str
    kind: str
    label: str
    text: str


@dataclass(frozen=True)
class ReissueForm:
    """Before 不认可，重新督办 is confirmed: the choices, and the checked new deadline if one was given."""

    notice_id: int
    number: str
    level: NoticeLevel
    levels: tuple[NoticeLevel, ...]  # the same level or stricter
    choices: tuple[tuple[int, date], ...]  # (+N working days, date)
    requirements: str
    new_due: str = ""


def notice_actions(viewer: people.PersonView, notice: SupervisionNotice, now: datetime) -> tuple[str, ...]:
    """What `viewer` may do with `notice` now: the same rules the actions themselves check."""
    if not viewer.active:
        return ()
    status = N(notice.status)
    found = set()
    if _is_contact(viewer, notice):
        if status == N.issued:
            found.add("sign")
        if status in (N.signed, N.reported):
            found.add("progress")
        if status == N.signed:
            found.add("result")
            if now >= notice.due_at:
                found.add("overdue_reason")
    if notice.party_notice_due_at is not None and notice.party_notified_at is None and (
            _is_contact(viewer, notice) or viewer.has(Role.director)):
        found.add("party")
    if viewer.has(Role.director):
        if status == N.reported:
            found |= {"accept", "reissue"}
        if status in OPEN:
            found |= {"materials", "briefing"}
    if viewer.has(*APPROVERS) and status in OPEN:
        found |= {"close", "transfer"}
    return tuple(a for a in NOTICE_ACTIONS if a in found)


def _refusal(viewer: people.PersonView, notice: SupervisionNotice, action: str):
    """Why `action` is not offered: the role first, then the state."""
    if action in _UNIT_ACTIONS and not _is_contact(viewer, notice):
        return NotAllowed("只有承办单位的联络人可以办理这份督办通知书。")
    if action in _DIRECTOR_ACTIONS and not viewer.has(Role.director):
        return NotAllowed("只有中心主任可以下达和处理督办通知书。")
    if action in ("close", "transfer") and not viewer.has(*APPROVERS):
        return NotAllowed("结案或移送须经中心领导批准，只有中心领导或主任可以操作。")
    if action == "party" and not (_is_contact(viewer, notice) or viewer.has(Role.director)):
        return NotAllowed("只有承办单位的联络人或中心主任可以登记告知当事人。")
    label = texts.SV_ACTION_LABELS.get(action, action)
    if action in ("progress", "result", "overdue_reason") and N(notice.status) == N.issued:
        return InvalidInput(f"请先点「签收」督办通知书 {notice.number}，再{label}。")
    if action == "party" and notice.party_notified_at is not None:
        return InvalidInput(f"督办通知书 {notice.number} 已登记告知当事人，无需重复登记。")
    if action == "party" and notice.party_notice_due_at is None:
        return InvalidInput(f"督办通知书 {notice.number} 没有经批准结案或移送，无需登记告知当事人。")
    return InvalidInput(texts.SV_ACTION_UNAVAILABLE.format(
        number=notice.number, status=texts.SV_STATUS_LABELS[N(notice.status).value], action=label))


def notice_card(session: Session, *, viewer_id: int, notice_id: int, now: datetime, policy: DeadlinePolicy,
                action: str | None = None) -> NoticeCard:
    """The card: the notice (notice_view) and this viewer's buttons. With `action`, the card only
    if that action is offered now, else the reason (NotAllowed or InvalidInput): checked before
    anybody starts typing."""
    view = notice_view(session, viewer_id=viewer_id, notice_id=notice_id, now=now, policy=policy)
    notice = _load(session, notice_id)
    viewer = people.get(session, person_id=viewer_id)
    actions = notice_actions(viewer, notice, now)
    if action is not None and action not in actions:
        raise _refusal(viewer, notice, action)
    contact = _is_contact(viewer, notice)
    requests = tuple(e for e in view.entries if contact and e.open and e.kind in REQUEST_KINDS)
    case = session.get(Case, notice.case_id)
    return NoticeCard(view=view, actions=actions, requests=requests, may_open_case=can_view(viewer, case))


def open_request(session: Session, *, actor_id: int, entry_id: int) -> OpenRequest:
    """Before the unit types its answer to a 调阅/汇报 request: still open, and theirs to answer."""
    request = session.get(NoticeEntry, entry_id)
    if request is None or request.kind not in REQUEST_KINDS:
        raise NotFound("没有找到这项要求。")
    notice = _load(session, request.notice_id)
    _contact_only(session, actor_id, notice)
    if not request.open:
        raise InvalidInput("这项要求已经答复过了，无需重复答复。")
    return OpenRequest(id=request.id, notice_id=notice.id, number=notice.number, kind=request.kind,
                       label=texts.SV_REQUEST_LABELS[request.kind], text=request.text)


def due_choices(session: Session, *, now: datetime, policy: DeadlinePolicy,
                cal: WorkCalendar | None = None) -> list[tuple[int, date]]:
    """The dates +N working days from now offered as deadline buttons (make-up days included)."""
    cal = cal or policy.calendar(session)
    return [(n, cal.local(cal.add_working_days(now, n).at).date()) for n in DUE_STEPS]


def reissue_form(session: Session, *, actor_id: int, notice_id: int, now: datetime, policy: DeadlinePolicy,
                 due_date: date | None = None) -> ReissueForm:
    """Before 不认可，重新督办: the director only, a reported result; the new deadline's choices
    (working days from today) and the levels allowed (never lower). reject_and_reissue checks again."""
    notice = _load(session, notice_id)
    viewer = people.get(session, person_id=actor_id)
    if "reissue" not in notice_actions(viewer, notice, now):
        raise _refusal(viewer, notice, "reissue")
    level = NoticeLevel(notice.level)
    cal = policy.calendar(session)
    choices = tuple(due_choices(session, now=now, policy=policy, cal=cal))
    new_due = ""
    if due_date is not None:
        due = deadlines.end_of_day(due_date, policy)
        if due <= now:
            raise InvalidInput("办理期限应晚于现在，请重新给出日期。")
        new_due = _long(due, policy.tz)
    levels = tuple(lv for lv in LEVEL_ORDER if LEVEL_ORDER[lv] >= LEVEL_ORDER[level])
    return ReissueForm(notice_id=notice.id, number=notice.number, level=level, levels=levels, choices=choices,
                       requirements=notice.requirements, new_due=new_due)


# --- the sweep ---------------------------------------------------------------------------------


def _moments(notice: SupervisionNotice, cal: WorkCalendar, policy: DeadlinePolicy, sign_hours: float):
    """When the sign-for reminder, its escalation and the yellow card fall due (working time)."""
    remind = cal.add_working_seconds(notice.issued_at, sign_hours * 3600)
    escalate = cal.add_working_seconds(notice.issued_at, 2 * sign_hours * 3600)
    total = cal.working_seconds(notice.issued_at, notice.due_at)
    yellow = cal.add_working_seconds(notice.issued_at, total * policy.yellow_ratio) if total > 0 else notice.due_at
    return remind, escalate, yellow


def _next_check(notice: SupervisionNotice, now: datetime, cal: WorkCalendar, policy: DeadlinePolicy,
                sign_hours: float) -> datetime | None:
    """The next moment something can be due for this notice, inside working time; None if nothing can."""
    candidates = []
    status = N(notice.status)
    if status in UNFINISHED:
        remind, escalate, yellow = _moments(notice, cal, policy, sign_hours)
        if status == N.issued:
            if notice.sign_reminded_at is None:
                candidates.append(remind)
            elif notice.sign_escalated_at is None:
                candidates.append(escalate)
        if NoticeLevel(notice.level) == NoticeLevel.normal and notice.yellow_raised_at is None and yellow < notice.due_at:
            candidates.append(yellow)
        if notice.overdue_asked_at is None:
            candidates.append(notice.due_at)
    if notice.party_notice_due_at is not None and notice.party_notified_at is None:
        tomorrow = cal._at(cal.local(now).date() + timedelta(days=1), policy.hours[0][0])
        candidates += [tomorrow, notice.party_notice_due_at]  # the next working day's reminder; 3 days up
    # Whatever was due by now has just been done (or is no longer possible): only later moments count.
    later = [cal.next_working_start(c) for c in candidates if c > now]
    return min(later) if later else None


def _what(notice: SupervisionNotice) -> str:
    if N(notice.status) != N.transferred:
        return texts.SV_CLOSE_WHAT
    department = (notice.closing_note or "").partition("：")[0].removeprefix("移送 ")
    return texts.SV_TRANSFER_WHAT.format(department=department)


def _raise_level(session: Session, notice: SupervisionNotice, level: NoticeLevel, now: datetime) -> bool:
    """Raise, never lower."""
    if LEVEL_ORDER[level] <= LEVEL_ORDER[NoticeLevel(notice.level)]:
        return False
    old = NoticeLevel(notice.level)
    notice.level = level
    _record(session, None, notice, "supervise_level", now,
            f"{texts.SV_LEVEL_LABELS[old.value]} → {texts.SV_LEVEL_LABELS[level.value]}")
    return True


def _work(session: Session, notice: SupervisionNotice, now: datetime, cal: WorkCalendar,
          policy: DeadlinePolicy, sign_hours: float) -> int:
    sent = 0
    status = N(notice.status)
    tz = policy.tz
    unit = _unit_name(session, notice.unit_id)
    contacts = unit_contacts(session, notice.unit_id)
    directors = _directors(session)
    case = session.get(Case, notice.case_id)
    view = [_view(notice)]
    if status in UNFINISHED:
        remind, escalate, yellow = _moments(notice, cal, policy, sign_hours)
        if status == N.issued and notice.sign_reminded_at is None and now >= remind:
            text = notify.supervision.sign_reminder(number=notice.number, hours=sign_hours)
            sent += _send(session, contacts, text, [[(texts.SV_SIGN, NoticeSign(notice.id).pack()), *_view(notice)]],
                          f"sv{notice.id}:signrem", now, notice=notice)
            notice.sign_reminded_at = now
        if status == N.issued and notice.sign_escalated_at is None and now >= escalate:
            text = notify.supervision.sign_escalation(unit=unit, hours=2 * sign_hours, number=notice.number,
                                                      case_number=case.number)
            sent += _send(session, directors, text, view, f"sv{notice.id}:signesc", now, notice=notice)
            notice.sign_escalated_at = now
        if now >= notice.due_at:
            raised = notice.red_raised_at is None and _raise_level(session, notice, NoticeLevel.red, now)
            if raised:
                notice.red_raised_at = now
            if notice.overdue_asked_at is None:
                text = notify.supervision.overdue_to_unit(number=notice.number, case_number=case.number,
                                                          due=_long(notice.due_at, tz), raised=raised)
                buttons = [[(texts.SV_REASON_BUTTON, NoticeOverdueReason(notice.id).pack()), *_view(notice)]]
                sent += _send(session, contacts, text, buttons, f"sv{notice.id}:overdue", now, notice=notice)
                text = notify.supervision.overdue_to_director(number=notice.number, unit=unit,
                                                              case_number=case.number, raised=raised)
                sent += _send(session, directors, text, view, f"sv{notice.id}:overdue", now, notice=notice)
                notice.overdue_asked_at = now
                _record(session, None, notice, "supervise_overdue", now, "已超期，要求报告超期原因及进展")
        elif notice.yellow_raised_at is None and now >= yellow and _raise_level(
                session, notice, NoticeLevel.yellow, now):
            notice.yellow_raised_at = now
            percent = round(policy.yellow_ratio * 100)
            text = notify.supervision.yellow_to_unit(number=notice.number, percent=percent,
                                                     due=_long(notice.due_at, tz))
            sent += _send(session, contacts, text, view, f"sv{notice.id}:yellow", now, notice=notice)
            text = notify.supervision.yellow_to_director(number=notice.number, unit=unit, percent=percent)
            sent += _send(session, directors, text, view, f"sv{notice.id}:yellow", now, notice=notice)
    if notice.party_notice_due_at is not None and notice.party_notified_at is None:
        today = cal.local(now).date()
        what = _what(notice)
        if notice.closed_at is not None and today > cal.local(notice.closed_at).date():
            text = notify.supervision.party_reminder(number=notice.number, case_number=case.number, what=what,
                                                     due=_long(notice.party_notice_due_at, tz))
            buttons = [[(texts.SV_PARTY_BUTTON, NoticeParty(notice.id).pack()), *_view(notice)]]
            sent += _send(session, contacts, text, buttons, f"sv{notice.id}:party:{today.isoformat()}", now, notice=notice)
        if now >= notice.party_notice_due_at:
            text = notify.supervision.party_late(number=notice.number, what=what, unit=unit)
            sent += _send(session, directors, text, view, f"sv{notice.id}:partylate", now, notice=notice)
    return sent


def sweep(session: Session, *, now: datetime, policy: DeadlinePolicy, sign_hours: float = 4,
          limit: int = BATCH) -> SweepResult:
    """One pass over the notices whose next step is due (SupervisionNotice.next_check_at <= now).
    Idempotent: each step is flagged on the notice and every message has a unique outbox key, so
    running it twice, after a restart, or from two processes never sends the same thing twice.
    Messages go out in working time only. Call repeatedly until it returns 0 notices."""
    cal = policy.calendar(session)
    if not cal.is_working_time(now):
        return SweepResult(0, 0)
    stmt = (
        select(SupervisionNotice)
        .where(col(SupervisionNotice.next_check_at).is_not(None), SupervisionNotice.next_check_at <= now)
        .order_by(col(SupervisionNotice.next_check_at), col(SupervisionNotice.id))
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)  # two sweeping processes take different notices
    count = sent = 0
    for notice in session.exec(stmt):
        count += 1
        sent += _work(session, notice, now, cal, policy, sign_hours)
        notice.next_check_at = _next_check(notice, now, cal, policy, sign_hours)
        session.add(notice)
    return SweepResult(count, sent)
