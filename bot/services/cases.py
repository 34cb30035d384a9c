"""The case: registration, the lifecycle state machine, what each person may do, and who is told.
Seeing a case lives in case_access.py, the fan-out in recipients.py, the card in case_card.py.

Every change is one unit of work: the new state, its audit event (which is also the case's
history) and the outbox rows for everyone who must know commit together.
"""

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from bot import texts
from bot.callbacks import CaseAccept, CaseView
from bot.services import deadlines, numbering, people, reference
from bot.services.access import CENTER
from bot.services.case_access import (
    CaseNotFound,
    CaseRef,
    FileInput,
    PartyInput,
    add_files,
    case_ref,
    is_assigned,
    is_co_unit,
    record_event,
    reporter_view,
    summary_line,
    type_name,
    village_name,
    visibility_filter,
    visible_case,
)
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import DomainError, InvalidInput, NotAllowed, NotFound
from bot.services.identity import validate_id_number, validate_phone
from bot.services.recipients import case_desk, contact_leaders, tell, unit_contacts, with_role
from bot.services.reference import CATALOGUE, Memo, Memos
from bot.services.workdays import CENTER_TZ  # case numbers follow the center's calendar year
from bot.texts import notify
from models import (
    Agreement,
    Attachment,
    AuditEvent,
    Case,
    CaseChase,
    CaseParty,
    CaseStatus,
    CaseType,
    Outcome,
    Person,
    ReplyMethod,
    Role,
    Satisfaction,
    Severity,
    Source,
    Unit,
    Village,
)

S = CaseStatus
OPEN = (S.registered, S.accepted, S.assigned, S.in_progress, S.resolved)
CLOSED = (S.replied, S.archived, S.transferred, S.out_of_scope)
# The lists' 「未办结」/「已办结」: 办结 ends the handling even though the reply to the party is still due.
UNFINISHED = (S.registered, S.accepted, S.assigned, S.in_progress)
FINISHED = (S.resolved, *CLOSED)
MAX_TEXT = 2000
DUPLICATE_WINDOW = timedelta(days=7)


class InvalidTransition(DomainError):
    pass


# --- plain inputs and results ------------------------------------------------------------------


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


# --- reading -----------------------------------------------------------------------------------


def find_by_number(session: Session, *, number: str) -> int:
    number = number.strip().replace("－", "-")
    case_id = session.exec(select(Case.id).where(Case.number == number)).first()
    if case_id is None:
        raise CaseNotFound()
    return case_id


def allowed_actions(viewer: people.PersonView, case: Case) -> list[str]:
    """What the buttons on the card offer; each is checked again when pressed."""
    center = viewer.has(*CENTER)
    handler = is_assigned(viewer, case)
    co_unit = not handler and is_co_unit(viewer, case)
    status = CaseStatus(case.status)
    actions = []
    for action, rule in TRANSITIONS.items():
        if status in rule.from_states and (center or (handler and rule.handler_may)
                                           or (co_unit and action in CO_UNIT_ACTIONS)):
            actions.append(action)
    if viewer.has(Role.director, Role.leader):
        actions.append("unconfidential" if case.confidential else "confidential")
    return actions


def attachment(session: Session, *, viewer_id: int, attachment_id: int) -> Attachment:
    """A file of a case the viewer may see; `attachment_protected` says whether it goes protected."""
    att = session.get(Attachment, attachment_id)
    if att is None:
        raise NotFound("没有找到这个附件。")
    viewer, case = visible_case(session, viewer_id, att.case_id, reporter=True)
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
    # what the pickers offer: a disabled type or subtype stays on the cases filed under it
    return list(session.exec(select(CaseType).where(col(CaseType.active), col(CaseType.category_active))
                             .order_by(col(CaseType.sort), col(CaseType.id))))




class CaseTypes:
    """The active case types, kept in memory while no commit has changed the catalogue: every
    step of a report or a visit lists them, an admin edits them a few times a year."""

    MISS = Memo.MISS

    def __init__(self, memos: Memos | None = None):
        # In the database's memos (Database.memos) beside what units of work remember.
        self._memo: Memo[tuple[CaseType, ...]] = (memos or Memos()).of(CATALOGUE)

    def cached(self) -> tuple[CaseType, ...] | object:
        """The types without a database round trip, or CaseTypes.MISS (then call `load`)."""
        return self._memo.cached("active types")

    def load(self, session: Session) -> tuple[CaseType, ...]:
        return self._memo.get("active types", lambda: tuple(case_types(session)))


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
    stmt = (  # the columns a CaseRef shows, not whole cases: every report asks this
        select(Case.id, Case.number, Case.status, Case.urgent, Case.description)
        .where(
            Case.village_id == village_id, Case.type_id == type_id, Case.created_at >= now - DUPLICATE_WINDOW,
            col(Case.status).in_(OPEN), col(Case.confidential).is_(False),
        )
        .order_by(col(Case.created_at).desc())
        .limit(5)
    )
    return [case_ref(c) for c in session.exec(stmt)]


def _case_number(session: Session, now: datetime, tz: ZoneInfo) -> str:
    year = now.astimezone(tz).year
    return f"{year}-{numbering.next_value(session, name='case', year=year):04d}"


def submit(
    session: Session, *, actor_id: int, draft: CaseDraft, now: datetime, tz: ZoneInfo = CENTER_TZ,
    first_inquiry: bool = False, route: bool = True, alerted: Callable[[Session, Case], set[int]] | None = None,
) -> Case:
    """Register a case from a finished report or visit; returns it, still in the session (held by the
    caller: the session's identity map holds an unchanged row only weakly).

    `alerted` names who will get the urgent alert for an urgent case: they get that one message
    (with its 收到 button) instead of the plain new-case message."""
    actor = people.get(session, person_id=actor_id)
    if not actor.has(Role.grid, Role.staff, Role.leader, Role.director):
        raise NotAllowed()
    case_type = reference.case_type(session, draft.type_id)
    if case_type is None or not (case_type.active and case_type.category_active):
        raise InvalidInput("事项类型已停用，请重新选择类型。")
    grid_id, village_id = draft.grid_id, draft.village_id
    if grid_id is not None:
        grid = reference.grid(session, grid_id)
        if grid is None:
            raise InvalidInput("所选网格不存在，请重新选择村（社区）。")
        village_id = grid.village_id
    if village_id is not None and reference.village(session, village_id) is None:
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
        digest_pending=not route,  # off-hours and not urgent: the next working period's digest
    )
    session.add(case)
    session.flush()
    for party in draft.parties:
        p = clean_party(party)
        session.add(CaseParty(case_id=case.id, name=p.name, phone=p.phone, id_number=p.id_number))
    add_files(session, case.id, actor.id, draft.files, now, note="上报")
    event = record_event(session, actor.id, case, "create", now, note=texts.SOURCE_LABELS[Source(draft.source)])
    session.add(_chase(case, "accept", now))  # a new case has no chase to look up
    if route:
        skip = alerted(session, case) if alerted is not None and case.urgent else set()
        _route_new_case(session, case, case_type, actor, event, now, skip=skip)
    return case


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
    record_event(session, actor.id, case, "decline", now, note=guidance)
    return case_ref(case)


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
# A 协办 unit adds progress to a joint case; only the lead unit (主办) resolves it (bot/services/joint.py).
CO_UNIT_ACTIONS = frozenset({"progress"})


def await_action(session: Session, *, case: Case, action: str, now: datetime) -> None:
    """The case now waits on the center for `action` (受理, or 答复 after 办结): bot/services/chases.py
    chases it if it waits too long. Arming again (a reopened case resolved anew) starts afresh."""
    row = session.exec(select(CaseChase).where(CaseChase.case_id == case.id, CaseChase.kind == action)).first()
    session.add(_chase(case, action, now, row))


def _chase(case: Case, action: str, now: datetime, row: CaseChase | None = None) -> CaseChase:
    row = row or CaseChase(case_id=case.id, kind=action, armed_at=now)
    row.armed_at, row.level, row.next_at, row.done = now, 0, None, False
    return row


def _start(session: Session, actor_id: int, case_id: int, action: str) -> tuple[people.PersonView, Case]:
    viewer, case = visible_case(session, actor_id, case_id, lock=True)
    rule = TRANSITIONS[action]
    status = CaseStatus(case.status)
    if status not in rule.from_states:
        raise InvalidTransition(
            f"事项 {case.number} 当前状态为「{texts.STATUS_LABELS[status]}」，不能{texts.ACTION_LABELS[action]}。"
            "请刷新卡片查看最新状态。"
        )
    if not (viewer.has(*CENTER) or (rule.handler_may and is_assigned(viewer, case))
            or (action in CO_UNIT_ACTIONS and is_co_unit(viewer, case))):
        raise NotAllowed()
    return viewer, case


def apply_transition(session: Session, case: Case, action: str, actor: people.PersonView, now: datetime,
            notify_detail: str = "", **details) -> AuditEvent:
    rule = TRANSITIONS[action]
    if rule.to_state is not None:
        case.status = rule.to_state
    case.updated_at = now
    session.add(case)
    event = record_event(session, actor.id, case, action, now, **details)
    _tell_reporter(session, case, actor, event, now, notify_detail)
    return event


def accept(session: Session, *, actor_id: int, case_id: int, now: datetime,
           policy: DeadlinePolicy | None = None) -> CaseRef:
    actor, case = _start(session, actor_id, case_id, "accept")
    case.accepted_at = now
    apply_transition(session, case, "accept", actor, now)
    deadlines.start_clock(session, case=case, now=now, policy=policy or DeadlinePolicy())
    return case_ref(case)


def decline(session: Session, *, actor_id: int, case_id: int, guidance: str, now: datetime) -> CaseRef:
    actor, case = _start(session, actor_id, case_id, "decline")
    case.guidance = _clean_text(guidance, "告知的办理途径", required=True)
    apply_transition(session, case, "decline", actor, now, notify_detail=notify.cases.detail_declined(guidance=case.guidance), note=case.guidance)
    return case_ref(case)


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
        contacts = unit_contacts(session, unit_id)
        if not contacts:
            raise InvalidInput(f"{unit.name} 还没有登记联络人，请先用 /invite 邀请该单位联络人。")
        case.unit_id, case.handler_id = unit_id, None
        recipients, target = contacts, unit.name
    event = apply_transition(session, case, "assign", actor, now, notify_detail=notify.cases.detail_choice(target),
                    note=f"{target}：{instructions}" if instructions else target)
    policy = policy or DeadlinePolicy()
    shown = deadlines.light(case, now, policy.calendar(session), policy.tz) if case.due_at is not None else None
    text = notify.cases.assigned(
        number=case.number, unit=target if unit_id else None, type=type_name(reference.case_type(session, case.type_id)),
        village=village_name(session, case), summary=summary_line(case, 80), confidential=case.confidential,
        due=shown.due if shown else None, left=shown.left if shown else None, instructions=instructions,
    )
    _notify(session, recipients, text, case, f"ev{event.id}", now, exclude=actor.id)
    return case_ref(case)


def add_progress(session: Session, *, actor_id: int, case_id: int, text: str | None, now: datetime,
                 files: tuple[FileInput, ...] = ()) -> CaseRef:
    actor, case = _start(session, actor_id, case_id, "progress")
    note = _clean_text(text, "进展情况")
    if not note and not files:
        raise InvalidInput("请填写进展情况，或发送照片、语音、文件。")
    add_files(session, case.id, actor.id, files, now, note="进展")
    # A confidential case's reporter hears that work goes on, not what was found.
    detail = notify.cases.detail_progress(note=note) if note and not case.confidential else ""
    event = apply_transition(session, case, "progress", actor, now, notify_detail=detail,
                             note=note or f"附件 {len(files)} 个")
    if not is_assigned(actor, case) and is_co_unit(actor, case):  # 协办 progress reaches the lead (主办)
        lead = [*unit_contacts(session, case.unit_id), session.get(Person, case.handler_id) if case.handler_id else None]
        text = notify.cases.co_unit_progress(number=case.number, unit=actor.unit_name or "", who=actor.name,
                                             note=note or "", files=len(files))
        _notify(session, lead, text, case, f"ev{event.id}:co", now, exclude=actor.id)
    return case_ref(case)


def transfer(session: Session, *, actor_id: int, case_id: int, to: str, reason: str, now: datetime) -> CaseRef:
    actor, case = _start(session, actor_id, case_id, "transfer")
    case.transfer_to = _clean_text(to, "接收单位", 100, required=True)
    reason = _clean_text(reason, "转办理由", required=True)
    apply_transition(session, case, "transfer", actor, now, notify_detail=notify.cases.detail_transferred(to=case.transfer_to),
                   note=f"转至 {case.transfer_to}：{reason}")
    return case_ref(case)


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
    apply_transition(session, case, "resolve", actor, now, notify_detail=notify.cases.detail_choice(outcome),
                   note=f"{outcome}；{agreement or '—'}；{case.result}")
    return case_ref(case)


def record_reply(session: Session, *, actor_id: int, case_id: int, method: str, replied_at: datetime,
                 now: datetime) -> CaseRef:
    actor, case = _start(session, actor_id, case_id, "reply")
    if not ReplyMethod.has(method):
        raise InvalidInput("请选择答复方式。")
    if replied_at > now + timedelta(minutes=5):
        raise InvalidInput("答复时间不能晚于现在。")
    case.reply_method, case.replied_at = method, replied_at
    apply_transition(session, case, "reply", actor, now, notify_detail=notify.cases.detail_choice(method), note=method)
    return case_ref(case)


def record_satisfaction(session: Session, *, actor_id: int, case_id: int, level: str, now: datetime) -> CaseRef:
    actor, case = _start(session, actor_id, case_id, "satisfaction")
    if not Satisfaction.has(level):
        raise InvalidInput("请选择满意度。")
    case.satisfaction = level
    if level != Satisfaction.dissatisfied:
        apply_transition(session, case, "satisfaction", actor, now, notify_detail=notify.cases.detail_choice(level), note=level)
        return case_ref(case)
    # Not satisfied: back to its handler (重新办理), and the center is told.
    case.status = S.in_progress
    case.resolved_at = None
    case.updated_at = now
    session.add(case)
    record_event(session, actor.id, case, "satisfaction", now, note=level)
    event = record_event(session, actor.id, case, "reopen", now, note="当事人不满意")
    handler = session.get(Person, case.handler_id) if case.handler_id else None
    recipients = [handler, *unit_contacts(session, case.unit_id), *case_desk(session)]
    _notify(session, recipients, notify.cases.reopened(number=case.number), case, f"ev{event.id}", now,
            exclude=actor.id)
    _tell_reporter(session, case, actor, event, now, "")
    return case_ref(case)


def archive(session: Session, *, actor_id: int, case_id: int, now: datetime) -> CaseRef:
    actor, case = _start(session, actor_id, case_id, "archive")
    apply_transition(session, case, "archive", actor, now)
    return case_ref(case)


def set_confidential(session: Session, *, actor_id: int, case_id: int, confidential: bool, now: datetime) -> CaseRef:
    actor, case = visible_case(session, actor_id, case_id, lock=True)
    if not actor.has(Role.director, Role.leader):
        raise NotAllowed("只有中心主任或领导可以设置保密。")
    if case.confidential != confidential:
        case.confidential = confidential
        case.updated_at = now
        session.add(case)
        record_event(session, actor.id, case, "confidential" if confidential else "unconfidential", now)
    return case_ref(case)


# --- routing -----------------------------------------------------------------------------------


def _notify(session: Session, persons: Iterable[Person | None], text: str, case: Case, key: str, now: datetime,
            *, exclude: int | None = None, urgent: bool = False, buttons: list | None = None) -> None:
    buttons = buttons or [[(texts.NOTIFY_VIEW_BUTTON, CaseView(case.id).pack())]]
    tell(session, persons, text, buttons, key=f"case{case.id}:{key}", now=now, exclude=exclude, urgent=urgent,
         case=case)


def _route_new_case(session: Session, case: Case, case_type: CaseType, actor: people.PersonView,
                    event: AuditEvent, now: datetime, skip: set[int] = frozenset()) -> None:
    """New case → the village's contact-point leaders and the case desk; urgent → director and secretary."""
    on_desk = case_desk(session)
    persons = [*contact_leaders(session, case.village_id), *on_desk]
    if case.urgent:
        persons += with_role(session, Role.director) + with_role(session, Role.secretary)
    if case.confidential:
        persons = with_role(session, Role.director) + with_role(session, Role.secretary)
    text = notify.cases.new_case(
        number=case.number, urgent=case.urgent, type=type_name(case_type),
        severity=texts.SEVERITY_LABELS[Severity(case.severity)], village=village_name(session, case),
        summary=summary_line(case, 80), confidential=case.confidential, reporter=actor.name,
    )
    persons = [p for p in persons if p.id not in skip]  # they get the urgent alert instead
    # The case desk may accept straight from the message (CaseAccept is checked again like the card's 受理);
    # not offered for a confidential case (its people open the card), nor for a visit, which the
    # first-inquiry person registering it has already taken.
    offered = not case.confidential and case.first_inquiry_id is None
    desk = [p for p in (on_desk if offered else []) if p.id not in skip]
    desk_ids = {p.id for p in desk}
    _notify(session, [p for p in persons if p.id not in desk_ids], text, case, f"ev{event.id}", now,
            exclude=actor.id, urgent=case.urgent)
    accept = [[(texts.NOTIFY_VIEW_BUTTON, CaseView(case.id).pack()), (texts.NOTIFY_ACCEPT_BUTTON, CaseAccept(case.id).pack())]]
    _notify(session, desk, text, case, f"ev{event.id}", now, exclude=actor.id, urgent=case.urgent, buttons=accept)


def _tell_reporter(session: Session, case: Case, actor: people.PersonView, event: AuditEvent, now: datetime,
                   detail: str) -> None:
    """The reporter always learns what happened to their report."""
    if case.reporter_id == actor.id:
        return
    text = notify.cases.status(number=case.number, status=texts.STATUS_LABELS[CaseStatus(case.status)],
                               detail=detail)
    _notify(session, [session.get(Person, case.reporter_id)], text, case, f"ev{event.id}", now)


# --- lists and search --------------------------------------------------------------------------


def list_cases(session: Session, *, viewer_id: int, scope: str, state: str = "open", offset: int = 0,
               limit: int = 8, now: datetime | None = None,
               policy: DeadlinePolicy | None = None) -> tuple[list[CaseRef], int]:
    """/mycases: reported by me, assigned to me (handler or 包案领导), or my contact-point villages."""
    viewer = people.get(session, person_id=viewer_id)
    stmt = select(Case)
    if scope == "reported":
        stmt = stmt.where(Case.reporter_id == viewer.id)
    elif scope == "assigned":  # handled by me, or mine as 包案领导 (the case is theirs to settle)
        cond = or_(Case.handler_id == viewer.id, Case.leader_id == viewer.id)
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
    visibility = visibility_filter(viewer)
    if visibility is not None:
        stmt = stmt.where(visibility)
    if state == "open":
        stmt = stmt.where(col(Case.status).in_(UNFINISHED))
    elif state == "closed":
        stmt = stmt.where(col(Case.status).in_(FINISHED))
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = list(session.exec(stmt.order_by(col(Case.created_at).desc(), col(Case.id).desc()).offset(offset).limit(limit)))
    if now is None or not any(c.due_at for c in rows):
        return [case_ref(c) for c in rows], total
    policy = policy or DeadlinePolicy()
    cal = policy.calendar(session)  # one calendar for the page, not one per row
    return [case_ref(c, deadlines.light(c, now, cal, policy.tz).symbol if c.due_at else "") for c in rows], total


def count_out_of_scope(session: Session, *, since: datetime) -> int:
    """首问责任制 statistics: how many matters were explained and pointed elsewhere."""
    return session.exec(
        select(func.count()).select_from(Case).where(Case.status == S.out_of_scope, Case.created_at >= since)
    ).one()


def register_visit(
    session: Session, *, actor_id: int, draft: CaseDraft, now: datetime, tz: ZoneInfo = CENTER_TZ,
    policy: DeadlinePolicy | None = None, alerted: Callable[[Session, Case], set[int]] | None = None,
) -> Case:
    """首问责任制: whoever first receives a visitor or caller owns the matter.

    The case is registered with the actor as first-inquiry person, accepted by them and put in
    their hands in the same transaction, so a visit is never left unowned between the steps.
    """
    actor = people.get(session, person_id=actor_id)
    if not actor.has(*CENTER):
        raise NotAllowed()
    if draft.source == Source.grid:
        raise InvalidInput("请选择来访、来电、来信等来源方式。")
    case = submit(session, actor_id=actor_id, draft=draft, now=now, tz=tz, first_inquiry=True, alerted=alerted)
    # The accept transition directly, not accept(): its visibility check would refuse a staff member
    # a confidential type they have just registered themself.
    case.accepted_at = now
    case.handler_id = actor.id
    apply_transition(session, case, "accept", actor, now)
    deadlines.start_clock(session, case=case, now=now, policy=policy or DeadlinePolicy())
    return case
