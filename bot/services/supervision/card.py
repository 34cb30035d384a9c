"""Reading notices: the view, the card and what a viewer may do on it, the lists, the .docx on request."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import false, func, or_
from sqlmodel import Session, col, select

from bot import texts
from bot.services import deadlines, people
from bot.services.case_access import can_view, person_name
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.services.supervision import instruct
from bot.services.supervision.base import (
    ASSIGNEE_ROLES,
    LEVEL_ORDER,
    OPEN,
    REQUEST_KINDS,
    SEE_ALL,
    UNFINISHED,
    EntryView,
    N,
    NoticeRef,
    NoticeView,
    addressee_name,
    answerers,
    cc_text,
    contact_only,
    is_contact,
    load_notice,
    local_day,
    long_date,
    may_approve,
    queue_docx,
)
from bot.services.supervision.numbers import (
    parse_number,
)
from bot.services.workdays import WorkCalendar
from models import (
    Case,
    NoticeEntry,
    NoticeLevel,
    NoticeSource,
    Person,
    Role,
    SupervisionNotice,
)

# --- reading -----------------------------------------------------------------------------------


def may_see(viewer: people.PersonView, notice: SupervisionNotice) -> bool:
    """Who may see a notice (its card, and its requirements in the case history)."""
    return viewer.active and (viewer.has(*SEE_ALL) or is_contact(viewer, notice))


def may_list(viewer: people.PersonView) -> bool:
    """Who has notices to list (/supervisions, /notice): center leadership, and whoever a notice may
    be addressed to (a unit's contact, or a 承办人员: staff, a village's contact …)."""
    return viewer.active and viewer.has(*SEE_ALL, *ASSIGNEE_ROLES)


def visible_notices(viewer: people.PersonView):
    """may_see in SQL, for lists and exports: None (no condition) for center leadership; else the
    notices addressed to the viewer, and their unit's if they are its contact. Never NULL, so that
    its negation counts what is hidden."""
    if not viewer.active:
        return false()
    if viewer.has(*SEE_ALL):
        return None
    clause = col(SupervisionNotice.assignee_id).is_not_distinct_from(viewer.id)
    if Role.unit in viewer.roles and viewer.unit_id is not None:
        clause = or_(clause, col(SupervisionNotice.unit_id).is_not_distinct_from(viewer.unit_id))
    return clause


def _visible(session: Session, viewer_id: int, notice: SupervisionNotice) -> people.PersonView:
    viewer = people.get(session, person_id=viewer_id)
    if not may_see(viewer, notice):
        raise NotAllowed("无权查看这份督办通知书。")
    return viewer


def _reads_case(viewer: people.PersonView, notice: SupervisionNotice, case: Case) -> bool:
    """Whether the viewer may read the case's content in the notice (summary, .docx): the card's rule,
    and the notice's own unit."""
    return not case.confidential or can_view(viewer, case) or is_contact(viewer, notice)


def notice_view(session: Session, *, viewer_id: int, notice_id: int, now: datetime,
                policy: DeadlinePolicy) -> NoticeView:
    notice = load_notice(session, notice_id)
    viewer = _visible(session, viewer_id, notice)
    case = session.get(Case, notice.case_id)
    summary = notice.case_summary
    if not _reads_case(viewer, notice, case):
        summary = texts.CONFIDENTIAL_SUMMARY  # a leader who may not open the case does not read it here
    return _full_view(session, notice, case, summary, now, policy.tz)


def document_view(session: Session, *, notice_id: int, now: datetime, tz: ZoneInfo) -> NoticeView:
    """The notice as printed in its .docx, which goes only to the unit's contacts and the director."""
    notice = load_notice(session, notice_id)
    return _full_view(session, notice, session.get(Case, notice.case_id), notice.case_summary, now, tz)


def _full_view(session: Session, notice: SupervisionNotice, case: Case, summary: str, now: datetime,
               tz: ZoneInfo) -> NoticeView:
    parent = session.get(SupervisionNotice, notice.parent_id) if notice.parent_id else None
    rows = session.exec(select(NoticeEntry).where(NoticeEntry.notice_id == notice.id)
                        .order_by(col(NoticeEntry.at), col(NoticeEntry.id)))
    entries = tuple(
        EntryView(id=e.id, kind=e.kind, label=texts.SV_ENTRY_LABELS.get(e.kind, e.kind), text=e.text,
                  actor=person_name(session, e.actor_id), at=long_date(e.at, tz), open=e.open,
                  answered_at=long_date(e.answered_at, tz))
        for e in rows
    )
    contacts = answerers(session, notice) if notice.assignee_id is None else []
    return NoticeView(
        id=notice.id, number=notice.number, level=NoticeLevel(notice.level), source=NoticeSource(notice.source),
        status=N(notice.status), case_id=case.id, case_number=case.number, case_summary=summary,
        unit_id=notice.unit_id, assignee_id=notice.assignee_id, unit_name=addressee_name(session, notice),
        contacts="、".join(p.name for p in contacts), original_due=long_date(notice.original_due_at, tz),
        days_overdue=notice.days_overdue, requirements=notice.requirements, due=long_date(notice.due_at, tz),
        feedback=notice.feedback, cc=cc_text(session, notice.cc_person_ids, notice.cc_unit_ids, notice.cc),
        issuer=person_name(session, notice.issuer_id),
        issued_on=local_day(notice.issued_at, tz), signed_by=person_name(session, notice.signed_by_id),
        signed_at=long_date(notice.signed_at, tz), parent_number=parent.number if parent else "",
        docx_file_id=notice.docx_file_id, overdue=N(notice.status) in UNFINISHED and now >= notice.due_at,
        closing_note=notice.closing_note or "", party_notice_due=long_date(notice.party_notice_due_at, tz),
        party_notified_at=long_date(notice.party_notified_at, tz), entries=entries,
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
        NoticeOnCard(id=n.id, number=n.number, unit=addressee_name(session, n), due=long_date(n.due_at, tz),
                     level=NoticeLevel(n.level))
        for n in rows if viewer.active and (viewer.has(*SEE_ALL) or is_contact(viewer, n))
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
    notice; anybody else only those addressed to them or to the unit they are a contact of."""
    viewer = people.get(session, person_id=viewer_id)
    stmt = select(SupervisionNotice)
    if not may_list(viewer):
        raise NotAllowed("无权查看督办通知书。")
    mine = visible_notices(viewer)
    if mine is not None:
        stmt = stmt.where(mine)
    elif unit_id is not None:
        stmt = stmt.where(SupervisionNotice.unit_id == unit_id)
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
    refs = []
    for n in rows:  # a page: the few names are read from the session's identity map after the first
        case = session.get(Case, n.case_id)
        refs.append(NoticeRef(
            id=n.id, number=n.number, level=NoticeLevel(n.level), status=N(n.status), unit=addressee_name(session, n),
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
    instruction: int | None = None  # an open 请示 this viewer (a center leader) may answer: its entry id


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
    if is_contact(viewer, notice):
        if status == N.issued:
            found.add("sign")
        if status in (N.signed, N.reported):
            found.add("progress")
        if status == N.signed:
            found.add("result")
            if now >= notice.due_at:
                found.add("overdue_reason")
    if notice.party_notice_due_at is not None and notice.party_notified_at is None and (
            is_contact(viewer, notice) or viewer.has(Role.director)):
        found.add("party")
    if viewer.has(Role.director):
        if status == N.reported:
            found |= {"accept", "reissue"}
        if status in OPEN:
            found |= {"materials", "briefing"}
    if may_approve(viewer, notice) and status in OPEN:
        found |= {"close", "transfer"}
    return tuple(a for a in NOTICE_ACTIONS if a in found)


def _refusal(viewer: people.PersonView, notice: SupervisionNotice, action: str):
    """Why `action` is not offered: the role first, then the state."""
    if action in _UNIT_ACTIONS and not is_contact(viewer, notice):
        return NotAllowed(texts.SV_NOT_ANSWERER)
    if action in _DIRECTOR_ACTIONS and not viewer.has(Role.director):
        return NotAllowed("只有中心主任可以下达和处理督办通知书。")
    if action in ("close", "transfer") and not may_approve(viewer, notice):
        return NotAllowed(texts.SV_NOT_APPROVER)
    if action == "party" and not (is_contact(viewer, notice) or viewer.has(Role.director)):
        return NotAllowed(texts.SV_PARTY_NOT_ALLOWED)
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
    notice = load_notice(session, notice_id)
    viewer = people.get(session, person_id=viewer_id)
    actions = notice_actions(viewer, notice, now)
    if action is not None and action not in actions:
        raise _refusal(viewer, notice, action)
    pending = instruct.open_instruction_of(session, notice.id)
    if instruct.may_ask(viewer, notice, pending is not None):
        actions = (*actions, "instruct")  # 请示 (bot/services/supervision/instruct.py), last on the card
    answerable = pending.id if pending is not None and may_approve(viewer, notice) and N(notice.status) in OPEN else None
    contact = is_contact(viewer, notice)
    requests = tuple(e for e in view.entries if contact and e.open and e.kind in REQUEST_KINDS)
    case = session.get(Case, notice.case_id)
    return NoticeCard(view=view, actions=actions, requests=requests, may_open_case=can_view(viewer, case),
                      instruction=answerable)


def open_request(session: Session, *, actor_id: int, entry_id: int) -> OpenRequest:
    """Before the unit types its answer to a 调阅/汇报 request: still open, and theirs to answer."""
    request = session.get(NoticeEntry, entry_id)
    if request is None or request.kind not in REQUEST_KINDS:
        raise NotFound("没有找到这项要求。")
    notice = load_notice(session, request.notice_id)
    contact_only(session, actor_id, notice)
    if not request.open:
        raise InvalidInput("这项要求已经答复过了，无需重复答复。")
    return OpenRequest(id=request.id, notice_id=notice.id, number=notice.number, kind=request.kind,
                       label=texts.SV_REQUEST_LABELS[request.kind], text=request.text)


def due_choices(session: Session, *, now: datetime, policy: DeadlinePolicy,
                cal: WorkCalendar | None = None, steps: tuple[int, ...] = DUE_STEPS) -> list[tuple[int, date]]:
    """The dates +N working days from now offered as deadline buttons (make-up days included)."""
    cal = cal or policy.calendar(session)
    return [(n, cal.local(cal.add_working_days(now, n).at).date()) for n in steps]


def reissue_form(session: Session, *, actor_id: int, notice_id: int, now: datetime, policy: DeadlinePolicy,
                 due_date: date | None = None) -> ReissueForm:
    """Before 不认可，重新督办: the director only, a reported result; the new deadline's choices
    (working days from today) and the levels allowed (never lower). reject_and_reissue checks again."""
    notice = load_notice(session, notice_id)
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
        new_due = long_date(due, policy.tz)
    levels = tuple(lv for lv in LEVEL_ORDER if LEVEL_ORDER[lv] >= LEVEL_ORDER[level])
    return ReissueForm(notice_id=notice.id, number=notice.number, level=level, levels=levels, choices=choices,
                       requirements=notice.requirements, new_due=new_due)


def send_docx(session: Session, *, actor_id: int, notice_id: int, now: datetime) -> str:
    """/notice or the 「通知书」 button: the .docx is queued for the asker (at most once a minute).
    Returns the notice's number as stored (an old one keeps its old form)."""
    notice = load_notice(session, notice_id)
    viewer = _visible(session, actor_id, notice)
    if not _reads_case(viewer, notice, session.get(Case, notice.case_id)):
        raise NotAllowed(texts.SV_DOC_CONFIDENTIAL)  # the document holds what the card would not show
    person = session.get(Person, viewer.id)
    if person.telegram_id is None:
        raise InvalidInput("您还没有绑定 Telegram，无法发送文件。")
    queue_docx(session, notice, [person], f"sv{notice.id}:docx:{now:%Y%m%d%H%M}", now)
    return notice.number


def remember_docx(session: Session, *, notice_id: int, file_id: str) -> None:
    """The .docx, once uploaded, is kept with the notice as its Telegram file id: later sends reuse it."""
    notice = load_notice(session, notice_id, lock=True)
    file_id = (file_id or "").strip()
    if not file_id or len(file_id) > 200:
        raise InvalidInput("文件标识无效。")
    notice.docx_file_id = file_id
    session.add(notice)
