"""议定事项: a meeting's decisions, tracked to done (销号).

A decision is issued to its owner (a unit's contacts, a person, or a village's contact-point leaders)
when it is recorded, unless it is marked important at a 联席会议: then it is held until the party
secretary records the 党委会议's approval, and nothing reaches the owner before that. Issued, it is
due N working days later and chased on the cases' ladder (bot/services/reminders.py): yellow at 70 %
of the time, the due day, then every working day overdue, the director too. Only the organiser (or
the director) closes it, by accepting the evidence the owner reported.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, func, select

from bot.callbacks import (
    DecisionAccept,
    DecisionApprove,
    DecisionDone,
    DecisionProgress,
    DecisionReceive,
    DecisionReturn,
)
from bot.services import audit, outbox
from bot.services.deadlines import DeadlinePolicy, fmt
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.services.meetings import (
    JOINT_KINDS,
    attendance,
    load,
    meeting_number,
    meeting_view,
    owner_name,
    view_of,
)
from bot.services.minutes_docx import MinutesView
from bot.services.recipients import Recipients, contact_leaders, unit_contacts, with_role
from bot.services.reminders import STEP_LABELS
from bot.services.workdays import WorkCalendar, time_left
from bot.texts import meetings as t
from bot.texts.notify import meetings as notify
from models import (
    ApprovalOutcome,
    Case,
    ContactPoint,
    Decision,
    DecisionStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MinuteItem,
    Person,
    PersonRole,
    Role,
    Unit,
    Village,
)

CHASED = (DecisionStatus.issued, DecisionStatus.received)
MAX_TEXT = 500
MAX_DAYS = 60
BATCH = 200


@dataclass(frozen=True)
class Owner:
    """Exactly one of the three."""

    unit_id: int | None = None
    person_id: int | None = None
    village_id: int | None = None


@dataclass(frozen=True)
class DecisionView:
    id: int
    meeting_id: int
    number: str
    text: str
    owner: str
    days: int
    status: DecisionStatus
    important: bool
    due_at: datetime | None
    case_number: str | None
    progress: str | None
    evidence: str | None
    approval: str | None  # 2026年12月3日党委会议：同意


def _roles(session: Session, person_id: int) -> set[Role]:
    return {Role(r) for r in session.exec(select(PersonRole.role).where(PersonRole.person_id == person_id))}


def view(session: Session, decision: Decision) -> DecisionView:
    case = session.get(Case, decision.case_id) if decision.case_id else None
    approval = None
    if decision.approval_outcome:
        day = decision.approval_day
        approval = t.APPROVAL_LINE.format(date=t.cn_date(day),
                                          outcome=t.APPROVAL_LABELS[ApprovalOutcome(decision.approval_outcome)])
    return DecisionView(
        id=decision.id, meeting_id=decision.meeting_id, number=decision.number, text=decision.text,
        owner=owner_name(session, decision), days=decision.days, status=DecisionStatus(decision.status),
        important=decision.important, due_at=decision.due_at, case_number=case.number if case else None,
        progress=decision.progress, evidence=decision.evidence, approval=approval,
    )


def _load(session: Session, decision_id: int) -> Decision:
    stmt = select(Decision).where(Decision.id == decision_id)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    decision = session.exec(stmt).first()
    if decision is None:
        raise NotFound(t.DECISION_NOT_FOUND)
    return decision


def owners(session: Session, decision: Decision) -> list[Person]:
    """Who answers for the decision: the person; the unit's contacts; the village's contact-point
    leaders (or, if it has none, its grid workers)."""
    if decision.owner_person_id is not None:
        person = session.get(Person, decision.owner_person_id)
        return [person] if person is not None and person.active else []
    if decision.owner_unit_id is not None:
        return unit_contacts(session, decision.owner_unit_id)
    leaders = contact_leaders(session, decision.owner_village_id)
    if leaders:
        return leaders
    return list(session.exec(select(Person).join(PersonRole, PersonRole.person_id == Person.id).where(
        Person.village_id == decision.owner_village_id, PersonRole.role == Role.grid, col(Person.active))))


def is_owner(session: Session, decision: Decision, person_id: int) -> bool:
    return any(p.id == person_id for p in owners(session, decision))


def _may_manage(session: Session, meeting: Meeting, person_id: int) -> bool:
    return meeting.organiser_id == person_id or Role.director in _roles(session, person_id)


def _tell(session: Session, persons, text: str, buttons, *, key: str, now: datetime) -> int:
    found = Recipients()
    found.add(persons)
    return sum(outbox.enqueue(session, chat_id=p.telegram_id, person_id=p.id, text=text, buttons=buttons,
                              key=f"{key}:p{p.id}", now=now) for p in found.ids.values())


# --- recording ---------------------------------------------------------------------------------------


def add(session: Session, *, actor_id: int, meeting_id: int, text: str, owner: Owner, days: int, now: datetime,
        policy: DeadlinePolicy, case_number: str | None = None, important: bool = False) -> DecisionView:
    """Record a decision in the minutes; it is issued at once unless it waits for the 党委会议."""
    meeting = load(session, meeting_id, lock=True)
    if not _may_manage(session, meeting, actor_id):
        raise NotAllowed(t.NOT_ORGANISER)
    if meeting.status == MeetingStatus.cancelled:
        raise InvalidInput(t.NOT_SCHEDULED)
    text = (text or "").strip()
    if not 2 <= len(text) <= MAX_TEXT:
        raise InvalidInput(t.DECISION_BAD_TEXT)
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(t.DECISION_BAD_DAYS)
    set_ = [v for v in (owner.unit_id, owner.person_id, owner.village_id) if v is not None]
    if len(set_) != 1:
        raise InvalidInput(t.DECISION_ONE_OWNER)
    if ((owner.unit_id is not None and session.get(Unit, owner.unit_id) is None)
            or (owner.village_id is not None and session.get(Village, owner.village_id) is None)
            or (owner.person_id is not None and session.get(Person, owner.person_id) is None)):
        raise InvalidInput(t.DECISION_ONE_OWNER)
    if important and MeetingKind(meeting.kind) not in JOINT_KINDS:
        raise InvalidInput(t.IMPORTANT_ONLY_JOINT)
    case_id = None
    if case_number:
        case = session.exec(select(Case).where(Case.number == case_number.strip())).first()
        if case is None:
            raise InvalidInput(t.CASE_UNKNOWN.format(number=case_number.strip()[:20]))
        case_id = case.id
    seq = (session.exec(select(func.max(Decision.seq)).where(Decision.meeting_id == meeting.id)).one() or 0) + 1
    decision = Decision(meeting_id=meeting.id, seq=seq, number=f"{meeting_number(meeting)}-{seq}", text=text,
                        owner_unit_id=owner.unit_id, owner_person_id=owner.person_id,
                        owner_village_id=owner.village_id, days=days, case_id=case_id, important=important,
                        status=DecisionStatus.held if important else DecisionStatus.issued, created_at=now)
    session.add(decision)
    session.flush()
    audit.record(session, actor_id=actor_id, action="decision.add", subject_type="decision", subject_id=decision.id,
                 now=now, note=f"{decision.number} {text[:60]}")
    if important:
        _tell(session, with_role(session, Role.secretary),
              notify.approval_ask(number=decision.number, text=text, owner=owner_name(session, decision)),
              [[(t.APPROVAL_LABELS[o], DecisionApprove(decision.id, o).pack()) for o in ApprovalOutcome]],
              key=f"decision{decision.id}:approval", now=now)
    else:
        _issue(session, decision, now=now, policy=policy)
    return view(session, decision)


def _owner_buttons(decision_id: int):
    return [[(t.BUTTON_RECEIVED, DecisionReceive(decision_id).pack()),
             (t.BUTTON_PROGRESS, DecisionProgress(decision_id).pack()),
             (t.BUTTON_DONE, DecisionDone(decision_id).pack())]]


def _issue(session: Session, decision: Decision, *, now: datetime, policy: DeadlinePolicy) -> None:
    """To the owner, with the deadline counted from now in working days and the ladder armed."""
    cal = policy.calendar(session)
    due = cal.add_working_days(now, decision.days)
    total = cal.working_seconds(now, due.at)
    decision.status = DecisionStatus.issued
    decision.issued_at, decision.due_at = now, due.at
    decision.yellow_at = cal.add_working_seconds(now, total * policy.yellow_ratio) if total > 0 else due.at
    decision.yellow_sent_at = decision.due_day_sent_at = decision.overdue_sent_on = None
    decision.next_reminder_at = now
    session.add(decision)
    case = session.get(Case, decision.case_id) if decision.case_id else None
    text = notify.decision_issued(number=decision.number, text=decision.text, owner=owner_name(session, decision),
                                  due=fmt(due.at, policy.tz), days=decision.days, case=case.number if case else None)
    _tell(session, owners(session, decision), text, _owner_buttons(decision.id), key=f"decision{decision.id}:issue",
          now=now)


# --- the 党委会议's approval -----------------------------------------------------------------------------


def record_approval(session: Session, *, actor_id: int, decision_id: int, outcome: ApprovalOutcome, day: date,
                    now: datetime, policy: DeadlinePolicy, note: str | None = None) -> DecisionView:
    """The secretary records the 党委会议 (date and outcome). 同意 / 修改后同意: issued now; 不同意:
    never issued."""
    if Role.secretary not in _roles(session, actor_id):
        raise NotAllowed(t.APPROVAL_ONLY_SECRETARY)
    decision = _load(session, decision_id)
    if decision.status != DecisionStatus.held:
        raise InvalidInput(t.APPROVAL_NOT_HELD)
    if day > now.astimezone(policy.tz).date():
        raise InvalidInput(t.APPROVAL_FUTURE)
    outcome = ApprovalOutcome(outcome)
    decision.approval_day, decision.approval_outcome = day, outcome
    decision.approval_note = (note or "").strip()[:200] or None
    decision.approved_by_id = actor_id
    audit.record(session, actor_id=actor_id, action="decision.approval", subject_type="decision",
                 subject_id=decision.id, now=now, note=f"{day.isoformat()} {t.APPROVAL_LABELS[outcome]}")
    meeting = session.get(Meeting, decision.meeting_id)
    if outcome == ApprovalOutcome.rejected:
        decision.status = DecisionStatus.refused
        session.add(decision)
        _tell(session, [session.get(Person, meeting.organiser_id)],
              notify.decision_refused(number=decision.number, text=decision.text, note=decision.approval_note),
              None, key=f"decision{decision.id}:refused", now=now)
    else:
        _issue(session, decision, now=now, policy=policy)
    return view(session, decision)


# --- the owner: 收到 / 进展 / 已完成 ---------------------------------------------------------------------


def _owned(session: Session, actor_id: int, decision_id: int, allowed=CHASED) -> Decision:
    decision = _load(session, decision_id)
    if not is_owner(session, decision, actor_id):
        raise NotAllowed(t.DECISION_NOT_OWNER)
    if DecisionStatus(decision.status) not in allowed:
        raise InvalidInput(t.DECISION_WRONG_STATE.format(status=t.DECISION_STATUS[DecisionStatus(decision.status)]))
    return decision


def receive(session: Session, *, actor_id: int, decision_id: int, now: datetime) -> DecisionView:
    decision = _owned(session, actor_id, decision_id)
    if decision.status == DecisionStatus.issued:
        decision.status = DecisionStatus.received
        decision.received_at, decision.received_by_id = now, actor_id
        session.add(decision)
        audit.record(session, actor_id=actor_id, action="decision.receive", subject_type="decision",
                     subject_id=decision.id, now=now)
    return view(session, decision)


def _organiser(session: Session, decision: Decision) -> Person:
    return session.get(Person, session.get(Meeting, decision.meeting_id).organiser_id)


def progress(session: Session, *, actor_id: int, decision_id: int, text: str, now: datetime,
             policy: DeadlinePolicy) -> DecisionView:
    decision = _owned(session, actor_id, decision_id)
    text = (text or "").strip()
    if not 2 <= len(text) <= MAX_TEXT:
        raise InvalidInput(t.PROGRESS_BAD)
    line = t.PROGRESS_LINE.format(date=f"{now.astimezone(policy.tz):%m-%d}", text=text)
    decision.progress = f"{decision.progress}\n{line}" if decision.progress else line
    if decision.status == DecisionStatus.issued:
        decision.status, decision.received_at, decision.received_by_id = DecisionStatus.received, now, actor_id
    session.add(decision)
    audit.record(session, actor_id=actor_id, action="decision.progress", subject_type="decision",
                 subject_id=decision.id, now=now, note=text[:100])
    _tell(session, [_organiser(session, decision)],
          notify.decision_progress(number=decision.number, owner=session.get(Person, actor_id).name, progress=text),
          None, key=f"decision{decision.id}:progress:{now:%Y%m%d%H%M%S}", now=now)
    return view(session, decision)


def report_done(session: Session, *, actor_id: int, decision_id: int, evidence: str, now: datetime,
                file_id: str | None = None) -> DecisionView:
    """已完成, with the evidence: the chasing stops and the organiser decides."""
    decision = _owned(session, actor_id, decision_id)
    evidence = (evidence or "").strip()
    if not 2 <= len(evidence) <= MAX_TEXT:
        raise InvalidInput(t.EVIDENCE_NEEDED)
    decision.status, decision.evidence, decision.evidence_file_id = DecisionStatus.reported, evidence, file_id
    decision.reported_at, decision.next_reminder_at = now, None
    session.add(decision)
    audit.record(session, actor_id=actor_id, action="decision.report", subject_type="decision",
                 subject_id=decision.id, now=now, note=evidence[:100])
    _tell(session, [_organiser(session, decision)],
          notify.decision_reported(number=decision.number, text=decision.text,
                                   owner=session.get(Person, actor_id).name, evidence=evidence),
          [[(t.BUTTON_ACCEPT, DecisionAccept(decision.id).pack()), (t.BUTTON_RETURN, DecisionReturn(decision.id).pack())]],
          key=f"decision{decision.id}:reported:{now:%Y%m%d%H%M%S}", now=now)
    return view(session, decision)


def _reviewed(session: Session, actor_id: int, decision_id: int) -> Decision:
    decision = _load(session, decision_id)
    if not _may_manage(session, session.get(Meeting, decision.meeting_id), actor_id):
        raise NotAllowed(t.NOT_ORGANISER)
    if decision.status != DecisionStatus.reported:
        raise InvalidInput(t.DECISION_WRONG_STATE.format(status=t.DECISION_STATUS[DecisionStatus(decision.status)]))
    return decision


def accept(session: Session, *, actor_id: int, decision_id: int, now: datetime) -> DecisionView:
    """销号: only the organiser (or the director), only on reported evidence."""
    decision = _reviewed(session, actor_id, decision_id)
    decision.status, decision.closed_at, decision.closed_by_id = DecisionStatus.closed, now, actor_id
    session.add(decision)
    audit.record(session, actor_id=actor_id, action="decision.close", subject_type="decision",
                 subject_id=decision.id, now=now)
    _tell(session, owners(session, decision), notify.decision_closed(number=decision.number, text=decision.text),
          None, key=f"decision{decision.id}:closed", now=now)
    return view(session, decision)


def send_back(session: Session, *, actor_id: int, decision_id: int, note: str, now: datetime) -> DecisionView:
    """Not accepted: back to the owner, and the chasing resumes."""
    decision = _reviewed(session, actor_id, decision_id)
    note = (note or "").strip()
    if not 2 <= len(note) <= 200:
        raise InvalidInput(t.RETURN_NOTE_BAD)
    decision.status, decision.next_reminder_at = DecisionStatus.received, now
    session.add(decision)
    audit.record(session, actor_id=actor_id, action="decision.return", subject_type="decision",
                 subject_id=decision.id, now=now, note=note)
    _tell(session, owners(session, decision), notify.decision_returned(number=decision.number, text=decision.text,
                                                                       note=note),
          _owner_buttons(decision.id), key=f"decision{decision.id}:returned:{now:%Y%m%d%H%M%S}", now=now)
    return view(session, decision)


def decision_view(session: Session, *, actor_id: int, decision_id: int) -> DecisionView:
    decision = _load(session, decision_id)
    meeting = session.get(Meeting, decision.meeting_id)
    held = decision.status in (DecisionStatus.held, DecisionStatus.refused)
    if not (sees_held(session, meeting, actor_id) or (is_owner(session, decision, actor_id) and not held)):
        raise NotAllowed(t.DECISION_NOT_OWNER)
    return view(session, decision)


def sees_held(session: Session, meeting: Meeting, person_id: int) -> bool:
    """An important decision before the 党委会议's approval is seen only by the organiser, the
    director and the party secretary: nothing of it reaches a unit or a village before that."""
    return _may_manage(session, meeting, person_id) or Role.secretary in _roles(session, person_id)


def meeting_decisions(session: Session, *, actor_id: int, meeting_id: int) -> list[DecisionView]:
    meeting = load(session, meeting_id)
    stmt = select(Decision).where(Decision.meeting_id == meeting_id)
    if not sees_held(session, meeting, actor_id):
        stmt = stmt.where(col(Decision.status).not_in([DecisionStatus.held, DecisionStatus.refused]))
    return [view(session, d) for d in session.exec(stmt.order_by(col(Decision.seq)))]


# --- the ladder ------------------------------------------------------------------------------------------


def _next_look(d: Decision, now: datetime, cal: WorkCalendar, policy: DeadlinePolicy) -> datetime:
    due_day = cal.local(d.due_at).date()
    candidates = []
    if d.yellow_sent_at is None and d.yellow_at > now:
        candidates.append(d.yellow_at)
    if d.due_day_sent_at is None and cal.local(now).date() < due_day:
        candidates.append(cal.next_working_start(cal.at(due_day, policy.hours[0][0])))
    if now < d.due_at:
        candidates.append(cal.next_working_start(d.due_at))
    else:
        tomorrow = cal.at(cal.local(now).date() + timedelta(days=1), policy.hours[0][0])
        candidates.append(cal.next_working_start(tomorrow))
    return min(candidates)


def _ping(session: Session, d: Decision, step: str, day: date, persons, now: datetime, policy: DeadlinePolicy,
          cal: WorkCalendar, owner: str, director: bool = False) -> int:
    left = time_left(d.due_at, now, cal=cal).words
    text = notify.decision_reminder(step=STEP_LABELS[step], number=d.number, text=d.text,
                                    owner=owner, due=fmt(d.due_at, policy.tz), left=left)
    buttons = None if director else _owner_buttons(d.id)
    return _tell(session, persons, text, buttons, key=f"decision{d.id}:{step}:{day.isoformat()}", now=now)


def sweep(session: Session, *, now: datetime, policy: DeadlinePolicy, limit: int = BATCH) -> int:
    """One pass over the decisions whose next step is due; returns how many were looked at. Working
    hours only, as the cases' ladder. Marks and outbox keys make it idempotent."""
    cal = policy.calendar(session)
    if not cal.is_working_time(now):
        return 0
    stmt = (select(Decision).where(col(Decision.next_reminder_at).is_not(None), Decision.next_reminder_at <= now)
            .order_by(col(Decision.next_reminder_at)).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    today = cal.local(now).date()
    batch = list(session.exec(stmt))
    directors = with_role(session, Role.director) if batch else []
    # a sweep meets the same owners again and again (one unit, many decisions): look them up once
    owners_of: dict[tuple, tuple[list[Person], str]] = {}
    for d in batch:
        if DecisionStatus(d.status) not in CHASED or d.due_at is None:
            d.next_reminder_at = None
            session.add(d)
            continue
        key = (d.owner_unit_id, d.owner_village_id, d.owner_person_id)
        if key not in owners_of:
            owners_of[key] = (owners(session, d), owner_name(session, d))
        people, owner = owners_of[key]
        due_day = cal.local(d.due_at).date()
        if d.yellow_sent_at is None and d.yellow_at <= now < d.due_at:
            if today < due_day:
                _ping(session, d, "yellow", today, people, now, policy, cal, owner)
            d.yellow_sent_at = now
        if d.due_day_sent_at is None and today >= due_day:
            if today == due_day:
                _ping(session, d, "due_day", today, people, now, policy, cal, owner)
            d.due_day_sent_at = now
        if now >= d.due_at and today > due_day and d.overdue_sent_on != today:
            _ping(session, d, "overdue", today, people, now, policy, cal, owner)
            owner_ids = {p.id for p in people}
            _ping(session, d, "overdue_director", today, [p for p in directors if p.id not in owner_ids], now,
                  policy, cal, owner, director=True)
            d.overdue_sent_on = today
        d.next_reminder_at = _next_look(d, now, cal, policy)
        session.add(d)
    return len(batch)


def next_due(session: Session) -> datetime | None:
    return session.exec(select(Decision.next_reminder_at).where(col(Decision.next_reminder_at).is_not(None))
                        .order_by(col(Decision.next_reminder_at)).limit(1)).first()


# --- the meeting ledger (会议台账) -----------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    """One line of a paper 会议台账."""

    seq: int  # 序号
    name: str  # 会议名称
    when: str  # 时间: 2026年12月7日 08:30
    place: str  # 地点
    chair: str  # 主持人
    present: int  # 出席人数
    on_leave: int  # 请假人数
    decisions: int  # 议定事项
    closed: int  # 已销号
    status: str  # 会议状态
    note: str  # 备注: 改期、取消、待审定


def ledger_rows(session: Session, *, start: date, end: date, tz) -> list[LedgerRow]:
    """The 会议台账 for local days start … end (both included; /ledger's Period), in order of time:
    every meeting, cancelled ones too. Important decisions awaiting the 党委会议 are counted in the
    note, never shown (meetings are not confidential; the ledger may go to any exporter)."""
    rows = []
    lo = datetime.combine(start, datetime.min.time(), tzinfo=tz)
    hi = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    meetings = session.exec(select(Meeting).where(Meeting.starts_at >= lo, Meeting.starts_at < hi)
                            .order_by(col(Meeting.starts_at), col(Meeting.id)))
    for seq, meeting in enumerate(list(meetings), start=1):
        shown = view_of(session, meeting)
        present, observers, leave = attendance(shown)
        decided = list(session.exec(select(Decision.status).where(Decision.meeting_id == meeting.id)))
        local = meeting.starts_at.astimezone(tz)
        held = sum(1 for s in decided if s == DecisionStatus.held)
        chair = session.get(Person, meeting.chair_id or meeting.organiser_id)
        rows.append(LedgerRow(
            seq=seq, name=shown.title, when=f"{t.cn_date(local)} {local:%H:%M}",
            place=meeting.place, chair=chair.name if chair else "", present=len(present) + len(observers),
            on_leave=len(leave), decisions=len(decided),
            closed=sum(1 for s in decided if s == DecisionStatus.closed),
            status=t.STATUS_LABELS[MeetingStatus(meeting.status)],
            note=t.LEDGER_HELD.format(count=held) if held else ""))
    return rows


# --- the 会议纪要 -----------------------------------------------------------------------------------


def minutes_view(session: Session, *, actor_id: int, meeting_id: int, tz, org: str, now: datetime) -> MinutesView:
    """What the 纪要 prints; anyone who may see the meeting may have it (sent protected)."""
    shown = meeting_view(session, actor_id=actor_id, meeting_id=meeting_id)
    meeting = session.get(Meeting, meeting_id)
    present, observers, leave = attendance(shown)
    items = session.exec(select(MinuteItem).where(MinuteItem.meeting_id == meeting_id).order_by(col(MinuteItem.seq)))
    rows = []
    hidden = [DecisionStatus.refused] + ([] if sees_held(session, meeting, actor_id) else [DecisionStatus.held])
    for d in session.exec(select(Decision).where(Decision.meeting_id == meeting_id,
                                                col(Decision.status).not_in(hidden)).order_by(col(Decision.seq))):
        due = (f"{cn_date(d.due_at.astimezone(tz).date())}" if d.due_at
               else t.DOCX_DUE_HELD if d.status == DecisionStatus.held else t.DOCX_DUE_DAYS.format(days=d.days))
        rows.append((d.number, d.text, owner_name(session, d), due))
    local = meeting.starts_at.astimezone(tz)
    chair = session.get(Person, meeting.chair_id or meeting.organiser_id)
    return MinutesView(
        org=org, title=t.DOCX_TITLE.format(title=shown.title), number=shown.number,
        when=f"{cn_date(local.date())} {local:%H:%M}", place=meeting.place, chair=chair.name if chair else "",
        present=present, observers=observers, leave=leave,
        items=[i.text or t.DOCX_VOICE for i in items], decisions=rows, cc=meeting.cc,
        issued_on=cn_date((meeting.held_at or now).astimezone(tz).date()),
        case=t.DOCX_CASE_VALUE.format(number=shown.case_number, units="、".join(shown.units)) if shown.case_number else None,
    )


def cn_date(day: date) -> str:
    return t.cn_date(day)


def my_decisions(session: Session, *, person_id: int) -> list[DecisionView]:
    """Open decisions the person answers for (as the person, their unit's contact, or the
    village's contact point) — on their /meetings."""
    person = session.get(Person, person_id)
    if person is None:
        return []
    villages = set(session.exec(select(ContactPoint.village_id).where(ContactPoint.person_id == person_id)))
    stmt = select(Decision).where(col(Decision.status).in_((*CHASED, DecisionStatus.reported)))
    found = [d for d in session.exec(stmt.order_by(col(Decision.id)))
             if d.owner_person_id == person_id or (d.owner_unit_id is not None and d.owner_unit_id == person.unit_id)
             or d.owner_village_id in villages]
    return [view(session, d) for d in found if is_owner(session, d, person_id)]


def check_owner(session: Session, *, actor_id: int, decision_id: int) -> None:
    """Refused before the typing, not after: the presser must own an issued decision."""
    _owned(session, actor_id, decision_id)


def check_reviewer(session: Session, *, actor_id: int, decision_id: int) -> None:
    """Refused before the typing: only the organiser (or the director), only on reported evidence."""
    _reviewed(session, actor_id, decision_id)
