"""The case: registration, the lifecycle state machine, who may see and do what, and who is told.

Every change is one unit of work: the new state, its audit event (which is also the case's
history) and the outbox rows for everyone who must know commit together.
"""

import html
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from bot import texts
from bot.services import audit, deadlines, numbering, outbox, people
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import DomainError, InvalidInput, NotAllowed, NotFound
from bot.services.identity import mask_id_number, mask_phone, validate_id_number, validate_phone
from models import (
    Agreement,
    Attachment,
    AuditEvent,
    BaoanRequest,
    BaoanStatus,
    Case,
    CaseChase,
    CaseParty,
    CaseStatus,
    CaseType,
    ContactPoint,
    Grid,
    Outcome,
    Person,
    PersonRole,
    ReplyMethod,
    Role,
    Satisfaction,
    Severity,
    Source,
    SupervisionNotice,
    Unit,
    Village,
)

S = CaseStatus
CENTER = frozenset({Role.director, Role.leader, Role.staff})  # may work any case
SEE_ALL = frozenset({Role.director, Role.secretary})  # see confidential cases too
UNMASKED = frozenset({Role.director, Role.secretary})  # always see parties' phones and ID numbers
UNLISTED = frozenset({"case.view_confidential", "case.view_personal"})  # audited views, not case history
OPEN = (S.registered, S.accepted, S.assigned, S.in_progress, S.resolved)
CLOSED = (S.replied, S.archived, S.transferred, S.out_of_scope)
# The lists' 「未办结」/「已办结」: 办结 ends the handling even though the reply to the party is still due.
UNFINISHED = (S.registered, S.accepted, S.assigned, S.in_progress)
FINISHED = (S.resolved, *CLOSED)
MAX_TEXT = 2000
DUPLICATE_WINDOW = timedelta(days=7)
CENTER_TZ = ZoneInfo("Asia/Shanghai")  # case numbers follow the center's calendar year


class InvalidTransition(DomainError):
    pass


class CaseNotFound(NotFound):
    def __init__(self):
        super().__init__("没有找到这个事项，请核对编号（例如 2026-0042）。")


# --- plain inputs and results ------------------------------------------------------------------


@dataclass(frozen=True)
class PartyInput:
    name: str
    phone: str | None = None
    id_number: str | None = None


@dataclass(frozen=True)
class FileInput:
    kind: str  # photo / video / document / voice / audio
    file_id: str
    file_unique_id: str | None = None
    file_name: str | None = None
    mime_type: str | None = None
    size: int | None = None


@dataclass(frozen=True)
class CaseDraft:
    type_id: int
    severity: Severity
    description: str
    source: Source = Source.grid
    urgent: bool = False  # flagged urgent by the reporter
    village_id: int | None = None
    grid_id: int | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    occurred_at: datetime | None = None
    parties: tuple[PartyInput, ...] = ()
    people_count: int | None = None
    people_count_approx: bool = False
    amount: float | None = None
    request: str | None = None
    files: tuple[FileInput, ...] = ()
    duplicate_of_id: int | None = None


@dataclass(frozen=True)
class CaseRef:
    id: int
    number: str
    status: CaseStatus
    urgent: bool
    summary: str
    light: str = ""  # 🟢 🟡 🔴 ⚪ while the deadline clock runs


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str
    action: str
    note: str


@dataclass(frozen=True)
class BaoanOnCard:
    """领导包案 on the card: who answers for the case, the plan, and what this viewer may do about it."""

    leader: str = ""  # the 包案领导, "" while there is none
    plan: str = ""  # 调处方案
    mine: bool = False  # the viewer is the 包案领导
    actions: tuple[str, ...] = ()  # propose / plan / extend / complete; each checked again when done


@dataclass(frozen=True)
class CaseCard:
    id: int
    number: str
    status: CaseStatus
    type_name: str
    severity: Severity
    urgent: bool
    confidential: bool
    source: Source
    village: str
    address: str
    latitude: float | None
    longitude: float | None
    occurred_at: datetime | None
    description: str
    request: str
    people_count: int | None
    amount: float | None
    parties: tuple[tuple[str, str, str], ...]  # name, phone, id number (masked unless allowed)
    reporter: str
    first_inquiry: str
    handler: str
    unit: str
    transfer_to: str
    guidance: str
    outcome: str
    agreement: str
    result: str
    reply_method: str
    replied_at: datetime | None
    satisfaction: str
    created_at: datetime
    files: tuple[tuple[int, str, str], ...]  # id, kind, name
    history: tuple[HistoryEntry, ...] = ()
    actions: tuple[str, ...] = ()
    duplicate_of: str = ""
    deadline: deadlines.Light | None = None
    paused: bool = False
    may_request_deadline: bool = False  # ask for an extension or a pause
    may_decide_deadline: bool = False  # set the deadline, approve requests
    deadline_pending: bool = False  # a request awaits a decision
    baoan: BaoanOnCard = BaoanOnCard()
    may_supervise: bool = False  # the director may issue a 督办通知书 about this open case
    people_count_approx: bool = False  # 涉及人数 is an estimate: shown 「约40人」
    notices: tuple = ()  # open 督办通知书 this viewer may open (supervision.NoticeOnCard)
    reporter_view: bool = False  # the reporter of a confidential case: what they reported and the outcome only


@dataclass
class Recipients:
    """Who must be told, de-duplicated, never the actor themself."""

    ids: dict[int, Person] = field(default_factory=dict)

    def add(self, persons: Iterable[Person | None]) -> None:
        for p in persons:
            if p is not None and p.active and p.telegram_id is not None:
                self.ids.setdefault(p.id, p)


# --- reading -----------------------------------------------------------------------------------


def _persons_with_role(session: Session, role: Role) -> list[Person]:
    stmt = (
        select(Person)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(PersonRole.role == role, col(Person.active))
    )
    return list(session.exec(stmt))


def _unit_contacts(session: Session, unit_id: int | None) -> list[Person]:
    if unit_id is None:
        return []
    stmt = (
        select(Person)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(Person.unit_id == unit_id, PersonRole.role == Role.unit, col(Person.active))
    )
    return list(session.exec(stmt))


def _contact_leaders(session: Session, village_id: int | None) -> list[Person]:
    if village_id is None:
        return []
    stmt = (
        select(Person)
        .join(ContactPoint, ContactPoint.person_id == Person.id)
        .where(ContactPoint.village_id == village_id, col(Person.active))
    )
    return list(session.exec(stmt))


def case_desk(session: Session) -> list[Person]:
    """The staff on the intake list; if nobody is on it, every active staff member."""
    staff = _persons_with_role(session, Role.staff)
    on_desk = [p for p in staff if p.on_case_desk]
    return on_desk or staff


def _is_assigned(viewer: people.PersonView, case: Case) -> bool:
    """The handler, the assigned unit's contacts, and the 包案领导 answer for the case."""
    return viewer.id in (case.handler_id, case.leader_id) or (
        case.unit_id is not None and viewer.unit_id == case.unit_id and Role.unit in viewer.roles
    )


def can_view(viewer: people.PersonView, case: Case) -> bool:
    if viewer.has(*SEE_ALL) or _is_assigned(viewer, case):
        return True
    if case.confidential:
        return False  # only the director, the secretary and the people assigned
    if viewer.has(Role.leader, Role.staff):
        return True
    if case.reporter_id == viewer.id:
        return True
    return case.village_id is not None and case.village_id in viewer.contact_village_ids


def _sees_personal_data(viewer: people.PersonView, case: Case) -> bool:
    return (
        viewer.has(*UNMASKED)
        or _is_assigned(viewer, case)
        or viewer.id in (case.reporter_id, case.first_inquiry_id)
    )


def _load(session: Session, case_id: int, *, lock: bool = False) -> Case:
    stmt = select(Case).where(Case.id == case_id)
    # FOR UPDATE: two staff pressing 受理 at the same moment on PostgreSQL; the second waits and
    # then sees the new state (SQLite's IMMEDIATE transactions already serialise writers).
    case = session.exec(stmt.with_for_update() if lock else stmt).first()
    if case is None:
        raise CaseNotFound()
    return case


def _visible(session: Session, viewer_id: int, case_id: int, *, lock: bool = False,
             reporter: bool = False) -> tuple[people.PersonView, Case]:
    """The viewer and the case, if they may see it. With `reporter`, also the reporter of a case
    they may not otherwise see (see reporter_view): for reading what they reported, never for acting."""
    viewer = people.get(session, person_id=viewer_id)
    case = _load(session, case_id, lock=lock)
    if not (can_view(viewer, case) or (reporter and case.reporter_id == viewer.id)):
        raise NotAllowed(texts.NO_ACCESS)
    return viewer, case


def reporter_view(viewer: people.PersonView, case: Case) -> bool:
    """The reporter of a confidential case they are not assigned to: they see what they reported,
    its status and outcome, not what others added (progress notes, files, 包案, 督办, handler)."""
    return case.reporter_id == viewer.id and not can_view(viewer, case)


def find_by_number(session: Session, *, number: str) -> int:
    number = number.strip().replace("－", "-")
    case_id = session.exec(select(Case.id).where(Case.number == number)).first()
    if case_id is None:
        raise CaseNotFound()
    return case_id


def _name(session: Session, person_id: int | None) -> str:
    if person_id is None:
        return ""
    p = session.get(Person, person_id)
    return p.name if p else ""


def _type_name(case_type: CaseType | None) -> str:
    if case_type is None:
        return ""
    if case_type.category == case_type.subtype:
        return case_type.subtype
    return f"{case_type.category}·{case_type.subtype}"


def _village_name(session: Session, case: Case) -> str:
    parts = []
    if case.village_id and (v := session.get(Village, case.village_id)):
        parts.append(v.name)
    if case.grid_id and (g := session.get(Grid, case.grid_id)):
        parts.append(g.name)
    return " ".join(parts)


def summary_line(case: Case, limit: int = 40) -> str:
    text = " ".join(case.description.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _esc(value: object) -> str:
    """A typed value (or a name) as put into an HTML notification."""
    return html.escape(str(value), quote=False)


def notice_summary(case: Case, limit: int = 80) -> str:
    """The summary as put into an HTML notification: escaped (a "<" in a description would make
    Telegram refuse the whole message), or a placeholder for a confidential case."""
    return texts.CONFIDENTIAL_SUMMARY if case.confidential else html.escape(summary_line(case, limit), quote=False)


def _ref(case: Case, light: str = "") -> CaseRef:
    return CaseRef(id=case.id, number=case.number, status=CaseStatus(case.status), urgent=case.urgent,
                   summary=summary_line(case), light=light)


def history(session: Session, *, case_id: int, only_by: int | None = None,
            viewer: people.PersonView | None = None) -> list[HistoryEntry]:
    """The case's events, oldest first; with `only_by`, only that person's own (a reporter's view).
    A 督办 event shows `viewer` only the notice's number unless they may see that notice."""
    from bot.services import supervision  # supervision builds on this module

    entries = []
    for ev in audit.events_for(session, subject_type="case", subject_id=case_id):
        if ev.action in UNLISTED or (only_by is not None and ev.actor_id != only_by):
            continue
        action = ev.action.removeprefix("case.")
        note = str(ev.details.get("note") or "")
        notice = session.get(SupervisionNotice, ev.details["notice_id"]) if ev.details.get("notice_id") else None
        if notice is not None and viewer is not None and not supervision.may_see(viewer, notice):
            note = notice.number
        entries.append(HistoryEntry(
            at=ev.at, actor=_name(session, ev.actor_id), action=texts.ACTION_LABELS.get(action, action), note=note,
        ))
    return entries


def allowed_actions(viewer: people.PersonView, case: Case) -> list[str]:
    """What the buttons on the card offer; each is checked again when pressed."""
    center = viewer.has(*CENTER)
    handler = _is_assigned(viewer, case)
    status = CaseStatus(case.status)
    actions = []
    for action, rule in TRANSITIONS.items():
        if status in rule.from_states and (center or (handler and rule.handler_may)):
            actions.append(action)
    if viewer.has(Role.director, Role.leader):
        actions.append("unconfidential" if case.confidential else "confidential")
    return actions


def _baoan_on_card(session: Session, viewer: people.PersonView, case: Case, deadline_pending: bool) -> BaoanOnCard:
    """The same rules as bot/services/baoan.py, so the card offers only what would be accepted."""
    from bot.services import baoan  # baoan builds on this module

    status = CaseStatus(case.status)
    mine = case.leader_id is not None and case.leader_id == viewer.id
    actions = []
    if case.leader_id is None:
        proposed = session.exec(select(BaoanRequest.id).where(
            BaoanRequest.case_id == case.id, BaoanRequest.status == BaoanStatus.pending)).first()
        if viewer.has(*baoan.PROPOSERS) and status in deadlines.RUNNING and proposed is None:
            actions.append("propose")
    elif mine:
        if status in deadlines.RUNNING:
            actions.append("plan")
            if case.due_at is not None and not deadline_pending:
                actions.append("extend")
        if status in TRANSITIONS["resolve"].from_states:
            actions.append("complete")
    return BaoanOnCard(leader=_name(session, case.leader_id), plan=case.mediation_plan or "", mine=mine,
                       actions=tuple(actions))


def case_card(session: Session, *, viewer_id: int, case_id: int, now: datetime, with_history: bool = True,
              policy: DeadlinePolicy | None = None) -> CaseCard:
    viewer, case = _visible(session, viewer_id, case_id, reporter=True)
    policy = policy or DeadlinePolicy()
    limited = reporter_view(viewer, case)
    light = deadlines.light(case, now, policy.calendar(session), policy.tz) if case.due_at and not limited else None
    if case.confidential:
        audit.record(session, actor_id=viewer.id, action="case.view_confidential", subject_type="case",
                     subject_id=case.id, now=now)
    unmasked = _sees_personal_data(viewer, case)
    rows = list(session.exec(select(CaseParty).where(CaseParty.case_id == case.id).order_by(col(CaseParty.id))))
    parties = tuple(
        (p.name, p.phone if unmasked else mask_phone(p.phone), p.id_number if unmasked else mask_id_number(p.id_number))
        for p in rows
    )
    if unmasked and viewer.id not in (case.reporter_id, case.first_inquiry_id) and any(
            p.phone or p.id_number for p in rows):  # personal data shown in full: who saw it, when
        audit.record(session, actor_id=viewer.id, action="case.view_personal", subject_type="case",
                     subject_id=case.id, now=now)
    files = tuple(
        (a.id, a.kind, a.file_name or "")
        for a in session.exec(select(Attachment).where(Attachment.case_id == case.id).order_by(col(Attachment.id)))
        if not limited or a.sender_id == viewer.id
    )
    unit = session.get(Unit, case.unit_id) if case.unit_id else None
    dup = session.get(Case, case.duplicate_of_id) if case.duplicate_of_id else None
    pending = bool(deadlines.pending_requests(session, case_id=case.id))
    card = CaseCard(
        id=case.id, number=case.number, status=CaseStatus(case.status),
        type_name=_type_name(session.get(CaseType, case.type_id)), severity=Severity(case.severity),
        urgent=case.urgent, confidential=case.confidential, source=Source(case.source),
        village=_village_name(session, case), address=case.address or "", latitude=case.latitude,
        longitude=case.longitude, occurred_at=case.occurred_at, description=case.description,
        request=case.request or "", people_count=case.people_count, people_count_approx=case.people_count_approx,
        amount=float(case.amount) if case.amount is not None else None, parties=parties,
        reporter=_name(session, case.reporter_id), first_inquiry=_name(session, case.first_inquiry_id),
        handler=_name(session, case.handler_id), unit=unit.name if unit else "", transfer_to=case.transfer_to or "",
        guidance=case.guidance or "", outcome=case.outcome or "", agreement=case.agreement or "",
        result=case.result or "", reply_method=case.reply_method or "", replied_at=case.replied_at,
        satisfaction=case.satisfaction or "", created_at=case.created_at, files=files,
        history=tuple(history(session, case_id=case.id, viewer=viewer)) if with_history else (),
        actions=tuple(allowed_actions(viewer, case)), duplicate_of=dup.number if dup else "",
        deadline=light, paused=case.paused_at is not None,
        may_request_deadline=viewer.has(*CENTER) or _is_assigned(viewer, case),
        may_decide_deadline=viewer.has(*deadlines.DECIDERS),
        deadline_pending=pending,
        baoan=_baoan_on_card(session, viewer, case, pending),
        may_supervise=viewer.has(Role.director) and CaseStatus(case.status) in OPEN,
        notices=_notices_on_card(session, viewer, case, policy),
    )
    if limited:  # what they reported, its status and outcome; nothing others added, nothing to do
        card = replace(card, handler="", unit="", duplicate_of="", actions=(), may_request_deadline=False,
                       may_decide_deadline=False, deadline_pending=False, baoan=BaoanOnCard(), may_supervise=False,
                       history=tuple(history(session, case_id=case.id, only_by=viewer.id)) if with_history else (),
                       reporter_view=True)
    return card


def _notices_on_card(session: Session, viewer: people.PersonView, case: Case, policy: DeadlinePolicy) -> tuple:
    from bot.services import supervision  # supervision builds on this module

    return supervision.open_notices_on_card(session, viewer=viewer, case_id=case.id, tz=policy.tz)


def attachment(session: Session, *, viewer_id: int, attachment_id: int) -> Attachment:
    """A file of a case the viewer may see; `attachment_protected` says whether it goes protected."""
    att = session.get(Attachment, attachment_id)
    if att is None:
        raise NotFound("没有找到这个附件。")
    viewer, case = _visible(session, viewer_id, att.case_id, reporter=True)
    if reporter_view(viewer, case) and att.sender_id != viewer.id:
        raise NotAllowed(texts.NO_ACCESS)
    return att


def attachment_protected(session: Session, *, attachment_id: int) -> bool:
    """A confidential case's files are sent with protect_content (no forwarding or saving)."""
    att = session.get(Attachment, attachment_id)
    case = session.get(Case, att.case_id) if att else None
    return bool(case and case.confidential)


# --- registering -------------------------------------------------------------------------------


def case_types(session: Session) -> list[CaseType]:
    return list(session.exec(select(CaseType).where(col(CaseType.active)).order_by(col(CaseType.sort), col(CaseType.id))))


def _clean_text(value: str | None, what: str, limit: int = MAX_TEXT, *, required: bool = False) -> str | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise InvalidInput(f"请填写{what}。")
        return None
    if len(value) > limit:
        raise InvalidInput(texts.TOO_LONG.format(limit=limit))
    return value


def clean_party(party: PartyInput) -> PartyInput:
    name = _clean_text(party.name, "当事人姓名", 40, required=True)
    phone = validate_phone(party.phone) if party.phone else None
    id_number = validate_id_number(party.id_number) if party.id_number else None
    return PartyInput(name=name, phone=phone, id_number=id_number)


MAX_PEOPLE = 100000
ASSIGN_INSTRUCTIONS_MAX = 500
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_COUNT_WORDS = re.compile(r"(个人|人|个|名|位)$")
_APPROX_BEFORE = re.compile(r"^(大约|大概|估计|差不多|将近|接近|至少|超过|约|近|上)")
_APPROX_AFTER = re.compile(r"(左右|上下|以上|开外|多|余|来|几)$")


def read_people_count(text: str) -> tuple[int, bool]:
    """涉及人数 as typed: 「40」「40人」「约40人」「40多人」「三十人左右」「上百人」 → (40, approximate?)."""
    t = unicodedata.normalize("NFKC", text or "").replace(" ", "")
    approx = False
    while True:  # 「二十几个人」「三十人左右」: peel count words and estimate words off the end
        stripped = _COUNT_WORDS.sub("", t)
        if (match := _APPROX_AFTER.search(stripped)) and match.start() > 0:
            stripped, approx = stripped[: match.start()], True
        if stripped == t:
            break
        t = stripped
    if match := _APPROX_BEFORE.match(t):
        t, approx = t[match.end():], True
    count = int(t) if t.isdecimal() else _chinese_number(t)
    if count is None or not 0 < count <= MAX_PEOPLE:
        raise InvalidInput(texts.REPORT_COUNT_BAD)
    return count, approx


def _chinese_number(t: str) -> int | None:
    """「三十」「十五」「一百二十」「一百二」「两千」「百」 → int; anything else None."""
    if not t:
        return None
    total = section = digit = 0
    last_unit, pending = 0, False
    for ch in t:
        if ch in _CN_DIGITS:
            if pending:
                return None  # 「四五」: two digits in a row is a range, not a number
            digit, pending = _CN_DIGITS[ch], True
        elif ch in _CN_UNITS and ch != "万":
            if last_unit and _CN_UNITS[ch] >= last_unit:
                return None  # 「四十五十」: units must go down
            section += (digit if pending else 1) * _CN_UNITS[ch]
            digit, pending, last_unit = 0, False, _CN_UNITS[ch]
        elif ch == "万":
            total += (section + digit) * 10000 or 10000
            section = digit = 0
            pending, last_unit = False, 10000
        else:
            return None
    if pending and last_unit >= 100:
        digit *= last_unit // 10  # 「一百二」 is 120
    return total + section + digit


def possible_duplicates(session: Session, *, type_id: int, village_id: int | None, now: datetime) -> list[CaseRef]:
    """Open cases of the same type in the same village from the last 7 days."""
    if village_id is None:
        return []
    stmt = (
        select(Case)
        .where(
            Case.village_id == village_id, Case.type_id == type_id, Case.created_at >= now - DUPLICATE_WINDOW,
            col(Case.status).in_(OPEN), col(Case.confidential).is_(False),
        )
        .order_by(col(Case.created_at).desc())
        .limit(5)
    )
    return [_ref(c) for c in session.exec(stmt)]


def _case_number(session: Session, now: datetime, tz: ZoneInfo) -> str:
    year = now.astimezone(tz).year
    return f"{year}-{numbering.next_value(session, name='case', year=year):04d}"


def submit(
    session: Session, *, actor_id: int, draft: CaseDraft, now: datetime, tz: ZoneInfo = CENTER_TZ,
    first_inquiry: bool = False, route: bool = True, alerted: Callable[[Session, Case], set[int]] | None = None,
) -> CaseRef:
    """Register a case from a finished report or visit; returns its number.

    `alerted` names who will get the urgent alert for an urgent case: they get that one message
    (with its 收到 button) instead of the plain new-case message."""
    actor = people.get(session, person_id=actor_id)
    if not actor.has(Role.grid, Role.staff, Role.leader, Role.director):
        raise NotAllowed()
    case_type = session.get(CaseType, draft.type_id)
    if case_type is None or not case_type.active:
        raise InvalidInput("事项类型已停用，请重新选择类型。")
    grid_id, village_id = draft.grid_id, draft.village_id
    if grid_id is not None:
        grid = session.get(Grid, grid_id)
        if grid is None:
            raise InvalidInput("所选网格不存在，请重新选择村（社区）。")
        village_id = grid.village_id
    if village_id is not None and session.get(Village, village_id) is None:
        raise InvalidInput("所选村（社区）不存在，请重新选择。")
    if draft.people_count is not None and not 0 < draft.people_count <= MAX_PEOPLE:
        raise InvalidInput("涉及人数应为正整数。")
    description = _clean_text(draft.description, "简要情况", required=True)
    urgent = draft.urgent or case_type.forces_urgent or draft.severity == Severity.major
    case = Case(
        number=_case_number(session, now, tz), type_id=case_type.id, severity=draft.severity, urgent=urgent,
        source=draft.source, status=S.registered, confidential=case_type.confidential,
        village_id=village_id, grid_id=grid_id, address=_clean_text(draft.address, "地点", 200),
        latitude=draft.latitude, longitude=draft.longitude, occurred_at=draft.occurred_at,
        description=description, request=_clean_text(draft.request, "诉求"), people_count=draft.people_count,
        people_count_approx=draft.people_count is not None and draft.people_count_approx,
        amount=draft.amount, reporter_id=actor.id, first_inquiry_id=actor.id if first_inquiry else None,
        duplicate_of_id=draft.duplicate_of_id, created_at=now, updated_at=now,
    )
    session.add(case)
    session.flush()
    for party in draft.parties:
        p = clean_party(party)
        session.add(CaseParty(case_id=case.id, name=p.name, phone=p.phone, id_number=p.id_number))
    _add_files(session, case.id, actor.id, draft.files, now, note="上报")
    event = _event(session, actor.id, case, "create", now, note=texts.SOURCE_LABELS[Source(draft.source)])
    await_action(session, case=case, action="accept", now=now)
    if route:
        skip = alerted(session, case) if alerted is not None and case.urgent else set()
        _route_new_case(session, case, case_type, actor, event, now, skip=skip)
    else:
        case.digest_pending = True  # off-hours and not urgent: the next working period's digest
        session.add(case)
    return _ref(case)


def register_out_of_scope(
    session: Session, *, actor_id: int, draft: CaseDraft, guidance: str, now: datetime,
    tz: ZoneInfo = CENTER_TZ,
) -> CaseRef:
    """首问责任制: a matter outside the center's remit is still recorded, with the guidance given."""
    actor = people.get(session, person_id=actor_id)
    if not actor.has(*CENTER):
        raise NotAllowed()
    guidance = _clean_text(guidance, "告知的办理途径（哪个部门、带什么材料）", required=True)
    case_type = session.get(CaseType, draft.type_id)
    if case_type is None:
        raise InvalidInput("事项类型已停用，请重新选择类型。")
    case = Case(
        number=_case_number(session, now, tz), type_id=draft.type_id, severity=draft.severity, source=draft.source,
        status=S.out_of_scope, description=_clean_text(draft.description, "来访诉求", required=True),
        request=_clean_text(draft.request, "诉求"), village_id=draft.village_id, reporter_id=actor.id,
        first_inquiry_id=actor.id, guidance=guidance, created_at=now, updated_at=now,
    )
    session.add(case)
    session.flush()
    for party in draft.parties:
        p = clean_party(party)
        session.add(CaseParty(case_id=case.id, name=p.name, phone=p.phone, id_number=p.id_number))
    _event(session, actor.id, case, "decline", now, note=guidance)
    return _ref(case)


def _add_files(session: Session, case_id: int, sender_id: int, files: Iterable[FileInput], now: datetime,
               note: str | None = None) -> None:
    for f in files:
        session.add(Attachment(
            case_id=case_id, kind=f.kind, file_id=f.file_id, file_unique_id=f.file_unique_id,
            file_name=f.file_name, mime_type=f.mime_type, size=f.size, sender_id=sender_id, note=note, at=now,
        ))


# --- the lifecycle -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    from_states: tuple[CaseStatus, ...]
    to_state: CaseStatus | None  # None: stays, or decided by the action
    handler_may: bool = True  # the assigned handler/unit may do it, not only center staff


TRANSITIONS: dict[str, Rule] = {
    "accept": Rule((S.registered,), S.accepted, handler_may=False),
    "decline": Rule((S.registered,), S.out_of_scope, handler_may=False),
    "assign": Rule((S.accepted, S.assigned, S.in_progress), S.assigned, handler_may=False),
    "progress": Rule((S.accepted, S.assigned, S.in_progress), S.in_progress),
    "transfer": Rule((S.registered, S.accepted, S.assigned, S.in_progress), S.transferred),
    "resolve": Rule((S.accepted, S.assigned, S.in_progress), S.resolved),
    "reply": Rule((S.resolved, S.transferred), S.replied),
    "satisfaction": Rule((S.replied,), None),
    "archive": Rule((S.replied, S.transferred, S.out_of_scope), S.archived, handler_may=False),
}


def await_action(session: Session, *, case: Case, action: str, now: datetime) -> None:
    """The case now waits on the center for `action` (受理, or 答复 after 办结): bot/services/chases.py
    chases it if it waits too long. Arming again (a reopened case resolved anew) starts afresh."""
    row = session.exec(select(CaseChase).where(CaseChase.case_id == case.id, CaseChase.kind == action)).first()
    if row is None:
        row = CaseChase(case_id=case.id, kind=action, armed_at=now)
    row.armed_at, row.level, row.next_at, row.done = now, 0, None, False
    session.add(row)


def _event(session: Session, actor_id: int, case: Case, action: str, now: datetime, **details) -> AuditEvent:
    ev = AuditEvent(actor_id=actor_id, action=f"case.{action}", subject_type="case", subject_id=case.id,
                    details={k: v for k, v in details.items() if v is not None}, at=now)
    session.add(ev)
    session.flush()
    return ev


def _start(session: Session, actor_id: int, case_id: int, action: str) -> tuple[people.PersonView, Case]:
    viewer, case = _visible(session, actor_id, case_id, lock=True)
    rule = TRANSITIONS[action]
    status = CaseStatus(case.status)
    if status not in rule.from_states:
        raise InvalidTransition(
            f"事项 {case.number} 当前状态为「{texts.STATUS_LABELS[status]}」，不能{texts.ACTION_LABELS[action]}。"
            "请刷新卡片查看最新状态。"
        )
    if not (viewer.has(*CENTER) or (rule.handler_may and _is_assigned(viewer, case))):
        raise NotAllowed()
    return viewer, case


def _finish(session: Session, case: Case, action: str, actor: people.PersonView, now: datetime,
            notify_detail: str = "", **details) -> AuditEvent:
    rule = TRANSITIONS[action]
    if rule.to_state is not None:
        case.status = rule.to_state
    case.updated_at = now
    session.add(case)
    event = _event(session, actor.id, case, action, now, **details)
    _tell_reporter(session, case, actor, event, now, notify_detail)
    return event


def accept(session: Session, *, actor_id: int, case_id: int, now: datetime,
           policy: DeadlinePolicy | None = None) -> CaseRef:
    actor, case = _start(session, actor_id, case_id, "accept")
    case.accepted_at = now
    _finish(session, case, "accept", actor, now)
    deadlines.start_clock(session, case=case, now=now, policy=policy or DeadlinePolicy())
    return _ref(case)


def decline(session: Session, *, actor_id: int, case_id: int, guidance: str, now: datetime) -> CaseRef:
    actor, case = _start(session, actor_id, case_id, "decline")
    case.guidance = _clean_text(guidance, "告知的办理途径", required=True)
    _finish(session, case, "decline", actor, now, notify_detail=f"\n告知：{_esc(case.guidance)}", note=case.guidance)
    return _ref(case)


def assign(session: Session, *, actor_id: int, case_id: int, now: datetime, handler_id: int | None = None,
           unit_id: int | None = None, instructions: str | None = None,
           policy: DeadlinePolicy | None = None) -> CaseRef:
    """分派, with the assigner's optional instructions (分派要求); the assignee is told them and the deadline."""
    actor, case = _start(session, actor_id, case_id, "assign")
    instructions = _clean_text(instructions, "分派要求", ASSIGN_INSTRUCTIONS_MAX)
    if (handler_id is None) == (unit_id is None):
        raise InvalidInput("请选择一位工作人员或一个承办单位。")
    if handler_id is not None:
        handler = people.get(session, person_id=handler_id)
        if not handler.active or not handler.has(*CENTER):
            raise InvalidInput("只能分派给在岗的中心工作人员或领导。")
        case.handler_id, case.unit_id = handler_id, None
        recipients, target = [session.get(Person, handler_id)], handler.name
    else:
        unit = session.get(Unit, unit_id)
        if unit is None or not unit.active:
            raise InvalidInput("没有找到这个承办单位。")
        contacts = _unit_contacts(session, unit_id)
        if not contacts:
            raise InvalidInput(f"{unit.name} 还没有登记联络人，请先用 /invite 邀请该单位联络人。")
        case.unit_id, case.handler_id = unit_id, None
        recipients, target = contacts, unit.name
    event = _finish(session, case, "assign", actor, now, notify_detail=f"（{_esc(target)}）",
                    note=f"{target}：{instructions}" if instructions else target)
    policy = policy or DeadlinePolicy()
    if case.due_at is not None:
        shown = deadlines.light(case, now, policy.calendar(session), policy.tz)
        due = texts.NOTIFY_ASSIGNED_DUE.format(due=shown.due, left=shown.left) if shown.left else shown.due
    else:
        due = texts.NOTIFY_ASSIGNED_NO_DUE
    text = texts.NOTIFY_ASSIGNED.format(
        number=case.number, via=f"（{_esc(target)}）" if unit_id else "",
        type=_type_name(session.get(CaseType, case.type_id)), village=_esc(_village_name(session, case) or "—"),
        summary=notice_summary(case), due=due,
        instructions=texts.NOTIFY_ASSIGNED_INSTRUCTIONS.format(text=_esc(instructions)) if instructions else "",
    )
    _notify(session, recipients, text, case, f"ev{event.id}", now, exclude=actor.id)
    return _ref(case)


def add_progress(session: Session, *, actor_id: int, case_id: int, text: str | None, now: datetime,
                 files: tuple[FileInput, ...] = ()) -> CaseRef:
    actor, case = _start(session, actor_id, case_id, "progress")
    note = _clean_text(text, "进展情况")
    if not note and not files:
        raise InvalidInput("请填写进展情况，或发送照片、语音、文件。")
    _add_files(session, case.id, actor.id, files, now, note="进展")
    # A confidential case's reporter hears that work goes on, not what was found.
    detail = f"\n{_esc(note)}" if note and not case.confidential else ""
    _finish(session, case, "progress", actor, now, notify_detail=detail,
                   note=note or f"附件 {len(files)} 个")
    return _ref(case)


def transfer(session: Session, *, actor_id: int, case_id: int, to: str, reason: str, now: datetime) -> CaseRef:
    actor, case = _start(session, actor_id, case_id, "transfer")
    case.transfer_to = _clean_text(to, "接收单位", 100, required=True)
    reason = _clean_text(reason, "转办理由", required=True)
    _finish(session, case, "transfer", actor, now, notify_detail=f"（转至 {_esc(case.transfer_to)}）",
                   note=f"转至 {case.transfer_to}：{reason}")
    return _ref(case)


def resolve(session: Session, *, actor_id: int, case_id: int, outcome: str, agreement: str | None, summary: str,
            now: datetime) -> CaseRef:
    actor, case = _start(session, actor_id, case_id, "resolve")
    if not Outcome.has(outcome):
        raise InvalidInput("请选择办结结果。")
    if agreement is not None and not Agreement.has(agreement):
        raise InvalidInput("请选择协议类型。")
    case.outcome, case.agreement = outcome, agreement
    case.result = _clean_text(summary, "办理结果", required=True)
    case.resolved_at = now
    await_action(session, case=case, action="reply", now=now)
    _finish(session, case, "resolve", actor, now, notify_detail=f"（{outcome}）",
                   note=f"{outcome}；{agreement or '—'}；{case.result}")
    return _ref(case)


def record_reply(session: Session, *, actor_id: int, case_id: int, method: str, replied_at: datetime,
                 now: datetime) -> CaseRef:
    actor, case = _start(session, actor_id, case_id, "reply")
    if not ReplyMethod.has(method):
        raise InvalidInput("请选择答复方式。")
    if replied_at > now + timedelta(minutes=5):
        raise InvalidInput("答复时间不能晚于现在。")
    case.reply_method, case.replied_at = method, replied_at
    _finish(session, case, "reply", actor, now, notify_detail=f"（{method}）", note=method)
    return _ref(case)


def record_satisfaction(session: Session, *, actor_id: int, case_id: int, level: str, now: datetime) -> CaseRef:
    actor, case = _start(session, actor_id, case_id, "satisfaction")
    if not Satisfaction.has(level):
        raise InvalidInput("请选择满意度。")
    case.satisfaction = level
    if level != Satisfaction.dissatisfied:
        _finish(session, case, "satisfaction", actor, now, notify_detail=f"（{level}）", note=level)
        return _ref(case)
    # Not satisfied: back to its handler (重新办理), and the center is told.
    case.status = S.in_progress
    case.resolved_at = None
    case.updated_at = now
    session.add(case)
    _event(session, actor.id, case, "satisfaction", now, note=level)
    event = _event(session, actor.id, case, "reopen", now, note="当事人不满意")
    handler = session.get(Person, case.handler_id) if case.handler_id else None
    recipients = [handler, *_unit_contacts(session, case.unit_id), *case_desk(session)]
    _notify(session, recipients, texts.NOTIFY_REOPENED.format(number=case.number), case, f"ev{event.id}", now,
            exclude=actor.id)
    _tell_reporter(session, case, actor, event, now, "")
    return _ref(case)


def archive(session: Session, *, actor_id: int, case_id: int, now: datetime) -> CaseRef:
    actor, case = _start(session, actor_id, case_id, "archive")
    _finish(session, case, "archive", actor, now)
    return _ref(case)


def set_confidential(session: Session, *, actor_id: int, case_id: int, confidential: bool, now: datetime) -> CaseRef:
    actor, case = _visible(session, actor_id, case_id, lock=True)
    if not actor.has(Role.director, Role.leader):
        raise NotAllowed("只有中心主任或领导可以设置保密。")
    if case.confidential != confidential:
        case.confidential = confidential
        case.updated_at = now
        session.add(case)
        _event(session, actor.id, case, "confidential" if confidential else "unconfidential", now)
    return _ref(case)


# --- routing -----------------------------------------------------------------------------------


def _notify(session: Session, persons: Iterable[Person | None], text: str, case: Case, key: str, now: datetime,
            *, exclude: int | None = None, urgent: bool = False, buttons: list | None = None) -> None:
    recipients = Recipients()
    recipients.add(persons)
    buttons = buttons or [[(texts.NOTIFY_VIEW_BUTTON, f"case:v:{case.id}")]]
    for person in recipients.ids.values():
        if person.id == exclude:
            continue
        outbox.enqueue(session, chat_id=person.telegram_id, person_id=person.id, text=text, buttons=buttons,
                       key=f"case{case.id}:{key}:p{person.id}", urgent=urgent, now=now, case=case)


def _route_new_case(session: Session, case: Case, case_type: CaseType, actor: people.PersonView,
                    event: AuditEvent, now: datetime, skip: set[int] = frozenset()) -> None:
    """New case → the village's contact-point leaders and the case desk; urgent → director and secretary."""
    persons = [*_contact_leaders(session, case.village_id), *case_desk(session)]
    if case.urgent:
        persons += _persons_with_role(session, Role.director) + _persons_with_role(session, Role.secretary)
    if case.confidential:
        persons = _persons_with_role(session, Role.director) + _persons_with_role(session, Role.secretary)
    summary = notice_summary(case)
    text = texts.NOTIFY_NEW_CASE.format(
        number=case.number, urgent=texts.NOTIFY_URGENT_MARK if case.urgent else "", type=_type_name(case_type),
        severity=texts.SEVERITY_LABELS[Severity(case.severity)], village=_esc(_village_name(session, case) or "—"),
        summary=summary, reporter=_esc(actor.name),
    )
    persons = [p for p in persons if p.id not in skip]  # they get the urgent alert instead
    # The case desk may accept straight from the message (case:acc is checked again like the card's 受理);
    # a confidential case is not offered there: its people open the card.
    desk = [p for p in ([] if case.confidential else case_desk(session)) if p.id not in skip]
    desk_ids = {p.id for p in desk}
    _notify(session, [p for p in persons if p.id not in desk_ids], text, case, f"ev{event.id}", now,
            exclude=actor.id, urgent=case.urgent)
    accept = [[(texts.NOTIFY_VIEW_BUTTON, f"case:v:{case.id}"), (texts.NOTIFY_ACCEPT_BUTTON, f"case:acc:{case.id}")]]
    _notify(session, desk, text, case, f"ev{event.id}", now, exclude=actor.id, urgent=case.urgent, buttons=accept)


def _tell_reporter(session: Session, case: Case, actor: people.PersonView, event: AuditEvent, now: datetime,
                   detail: str) -> None:
    """The reporter always learns what happened to their report."""
    if case.reporter_id == actor.id:
        return
    text = texts.NOTIFY_STATUS.format(number=case.number, status=texts.STATUS_LABELS[CaseStatus(case.status)],
                                      detail=detail)
    _notify(session, [session.get(Person, case.reporter_id)], text, case, f"ev{event.id}", now)


# --- lists and search --------------------------------------------------------------------------


def _visibility_filter(viewer: people.PersonView):
    """SQL equivalent of can_view, so lists and search never show what the card would refuse."""
    if viewer.has(*SEE_ALL):
        return None
    assigned = or_(Case.handler_id == viewer.id, Case.leader_id == viewer.id)
    if Role.unit in viewer.roles and viewer.unit_id is not None:
        assigned = or_(assigned, Case.unit_id == viewer.unit_id)
    assigned = or_(assigned, Case.reporter_id == viewer.id)  # a confidential case's reporter: reporter_view
    if viewer.has(Role.leader, Role.staff):
        return or_(assigned, col(Case.confidential).is_(False))
    villages = col(Case.village_id).in_(list(viewer.contact_village_ids) or [-1])
    return or_(assigned, (col(Case.confidential).is_(False)) & villages)


def list_cases(session: Session, *, viewer_id: int, scope: str, state: str = "open", offset: int = 0,
               limit: int = 8, now: datetime | None = None,
               policy: DeadlinePolicy | None = None) -> tuple[list[CaseRef], int]:
    """/mycases: reported by me, assigned to me, or my contact-point villages."""
    viewer = people.get(session, person_id=viewer_id)
    stmt = select(Case)
    if scope == "reported":
        stmt = stmt.where(Case.reporter_id == viewer.id)
    elif scope == "assigned":
        cond = Case.handler_id == viewer.id
        if Role.unit in viewer.roles and viewer.unit_id is not None:
            cond = or_(cond, Case.unit_id == viewer.unit_id)
        stmt = stmt.where(cond)
    elif scope == "villages":
        stmt = stmt.where(col(Case.village_id).in_(list(viewer.contact_village_ids) or [-1]))
    else:
        raise InvalidInput("未知的列表。")
    return _page(session, viewer, stmt, state, offset, limit, now, policy)


def search(session: Session, *, viewer_id: int, query: str, offset: int = 0, limit: int = 8,
           state: str = "all", now: datetime | None = None,
           policy: DeadlinePolicy | None = None) -> tuple[list[CaseRef], int]:
    """/search by case number, party name, village name or keyword in the description."""
    viewer = people.get(session, person_id=viewer_id)
    if not viewer.has(Role.director, Role.secretary, Role.leader, Role.staff):
        raise NotAllowed()
    query = (query or "").strip()
    if not 1 <= len(query) <= 50:
        raise InvalidInput("请输入 1–50 个字的关键词、编号、当事人姓名或村名。")
    like = f"%{query}%"
    party_cases = select(CaseParty.case_id).where(col(CaseParty.name).like(like))
    village_ids = select(Village.id).where(col(Village.name).like(like))
    stmt = select(Case).where(or_(
        col(Case.number).like(like), col(Case.id).in_(party_cases), col(Case.village_id).in_(village_ids),
        col(Case.description).like(like), col(Case.request).like(like),
    ))
    return _page(session, viewer, stmt, state, offset, limit, now, policy)


def _page(session: Session, viewer: people.PersonView, stmt, state: str, offset: int, limit: int,
          now: datetime | None = None, policy: DeadlinePolicy | None = None):
    visibility = _visibility_filter(viewer)
    if visibility is not None:
        stmt = stmt.where(visibility)
    if state == "open":
        stmt = stmt.where(col(Case.status).in_(UNFINISHED))
    elif state == "closed":
        stmt = stmt.where(col(Case.status).in_(FINISHED))
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = list(session.exec(stmt.order_by(col(Case.created_at).desc(), col(Case.id).desc()).offset(offset).limit(limit)))
    if now is None or not any(c.due_at for c in rows):
        return [_ref(c) for c in rows], total
    policy = policy or DeadlinePolicy()
    cal = policy.calendar(session)  # one calendar for the page, not one per row
    return [_ref(c, deadlines.light(c, now, cal, policy.tz).symbol if c.due_at else "") for c in rows], total


def count_out_of_scope(session: Session, *, since: datetime) -> int:
    """首问责任制 statistics: how many matters were explained and pointed elsewhere."""
    return session.exec(
        select(func.count()).select_from(Case).where(Case.status == S.out_of_scope, Case.created_at >= since)
    ).one()


def register_visit(
    session: Session, *, actor_id: int, draft: CaseDraft, now: datetime, tz: ZoneInfo = CENTER_TZ,
    policy: DeadlinePolicy | None = None, alerted: Callable[[Session, Case], set[int]] | None = None,
) -> CaseRef:
    """首问责任制: whoever first receives a visitor or caller owns the matter.

    The case is registered with the actor as first-inquiry person, accepted by them and put in
    their hands in the same transaction, so a visit is never left unowned between the steps.
    """
    actor = people.get(session, person_id=actor_id)
    if not actor.has(*CENTER):
        raise NotAllowed()
    if draft.source == Source.grid:
        raise InvalidInput("请选择来访、来电、来信等来源方式。")
    ref = submit(session, actor_id=actor_id, draft=draft, now=now, tz=tz, first_inquiry=True, alerted=alerted)
    # The accept transition directly, not accept(): its visibility check would refuse a staff member
    # a confidential type they have just registered themself.
    case = _load(session, ref.id, lock=True)
    case.accepted_at = now
    case.handler_id = actor.id
    _finish(session, case, "accept", actor, now)
    deadlines.start_clock(session, case=case, now=now, policy=policy or DeadlinePolicy())
    return _ref(case)
