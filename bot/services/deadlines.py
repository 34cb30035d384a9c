"""Deadlines (服务承诺) in official working days: starting the clock, pausing it, extending it,
the warning light, and recomputing provisional deadlines once a year's calendar is entered.

Every deadline change is audited on the case, so it shows in the case history.
"""

import datetime as _dt
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot import texts
from bot.callbacks import CaseView, DeadlineApprove, DeadlineRefuse
from bot.services import audit, outbox, people
from bot.services.access import CENTER, DECIDERS
from bot.services.case_access import is_assigned, load_case, summary_line, type_name, visible_case
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.services.recipients import tell, with_role
from bot.services.workdays import CENTER_TZ, DEFAULT_HOURS, WorkCalendar, time_left
from bot.texts import assignments as jb_words
from bot.texts import notify
from models import (
    Case,
    CaseAssignment,
    CaseStatus,
    CaseType,
    DeadlineRequest,
    Person,
    RequestKind,
    RequestStatus,
    Role,
    Severity,
)

RUNNING = (CaseStatus.accepted, CaseStatus.assigned, CaseStatus.in_progress)


@dataclass(frozen=True)
class DeadlinePolicy:
    general_days: int = 3
    complex_days: int = 7
    major_days: int = 3  # the default a leader may change
    yellow_ratio: float = 0.7
    tz: ZoneInfo = CENTER_TZ
    hours: tuple = DEFAULT_HOURS

    @classmethod
    def from_settings(cls, settings) -> "DeadlinePolicy":
        return cls(
            general_days=settings.deadline_general_days, complex_days=settings.deadline_complex_days,
            major_days=settings.deadline_major_days, yellow_ratio=settings.yellow_ratio, tz=settings.tz,
            hours=settings.hours,
        )

    def days_for(self, severity: Severity, case_type: CaseType | None) -> int:
        if case_type is not None and case_type.deadline_days:
            return case_type.deadline_days
        return {Severity.general: self.general_days, Severity.complex: self.complex_days}.get(
            Severity(severity), self.major_days
        )

    def calendar(self, session: Session) -> WorkCalendar:
        return WorkCalendar.load(session, tz=self.tz, hours=self.hours)


def set_due(case: Case, due: datetime, provisional: bool, start: datetime, cal: WorkCalendar,
             policy: DeadlinePolicy, now: datetime) -> None:
    case.due_at, case.due_provisional = due, provisional
    total = cal.working_seconds(start, due)
    case.yellow_at = cal.add_working_seconds(start, total * policy.yellow_ratio) if total > 0 else due
    # A new deadline starts the ladder again: yellow and due-day pings may be due anew.
    case.yellow_sent_at = case.due_day_sent_at = None
    case.overdue_sent_on = None
    case.next_reminder_at = now  # the sweep works out the next step from here
    case.updated_at = now


def start_clock(session: Session, *, case: Case, now: datetime, policy: DeadlinePolicy) -> None:
    """At acceptance (受理): the deadline is N working days from today's date."""
    cal = policy.calendar(session)
    days = policy.days_for(Severity(case.severity), session.get(CaseType, case.type_id))
    due = cal.add_working_days(now, days)
    case.clock_started_at = now
    cap = assigner_due(session, case.id)
    if cap is not None and cap < due.at:  # 上级交办: never later than the assigner's deadline
        due = type(due)(at=cap, provisional=False)
    set_due(case, due.at, due.provisional, now, cal, policy, now)
    audit.record(session, actor_id=None, action="case.deadline", subject_type="case", subject_id=case.id, now=now,
                 note=f"{days} 个工作日，期限 {fmt(due.at, policy.tz)}{'（暂定）' if due.provisional else ''}")


def end_of_day(day, policy: DeadlinePolicy) -> datetime:
    return datetime.combine(day, policy.hours[-1][1], tzinfo=policy.tz)


def set_deadline(session: Session, *, actor_id: int, case_id: int, due_date, reason: str, now: datetime,
                 policy: DeadlinePolicy) -> Case:
    """A leader sets the deadline directly (重大疑难 cases get the deadline a leader sets)."""
    actor = people.get(session, person_id=actor_id)
    if not actor.has(*DECIDERS):
        raise NotAllowed("只有中心领导或主任可以设定期限。")
    case = load_case(session, case_id, lock=True)
    if CaseStatus(case.status) not in RUNNING:
        raise InvalidInput("只有办理中的事项可以设定期限。")
    due = end_of_day(due_date, policy)
    if due <= now:
        raise InvalidInput("期限应晚于现在。")
    _no_later_baoan_deadline(case, due)
    _no_later_than_assigner(session, case, due, policy)
    cal = policy.calendar(session)
    start = case.clock_started_at or now
    set_due(case, due, False, start, cal, policy, now)  # an explicit date needs no calendar
    session.add(case)
    audit.record(session, actor_id=actor.id, action="case.deadline", subject_type="case", subject_id=case.id,
                 now=now, note=f"领导设定期限 {fmt(due, policy.tz)}：{reason}")
    return case


def assigner_due(session: Session, case_id: int) -> datetime | None:
    """交办时限 of a 上级交办 case (bot/services/assignments.py), or None."""
    found = session.get(CaseAssignment, case_id)
    return found.due_at if found is not None else None


def _no_later_than_assigner(session: Session, case: Case, due: datetime, policy: DeadlinePolicy) -> None:
    # 上级交办: the center cannot promise the assigner's deadline away.
    cap = assigner_due(session, case.id)
    if cap is not None and due > cap:
        raise InvalidInput(jb_words.LATER_THAN_ASSIGNER.format(due=fmt(cap, policy.tz)))


def _no_later_baoan_deadline(case: Case, due: datetime) -> None:
    # 领导包案制度 四: a later 包案 deadline is an extension, which only the party secretary approves.
    if case.leader_id is not None and case.due_at is not None and due > case.due_at:
        raise InvalidInput("包案事项延长期限须经党委书记同意，由包案领导在事项卡片上申请延期。可以设定更早的期限。")


# --- pause and extension: asked by the handler, decided by a leader ------------------------------


def request_change(session: Session, *, actor_id: int, case_id: int, kind: RequestKind, reason: str, now: datetime,
                   new_due_date=None, policy: DeadlinePolicy) -> DeadlineRequest:
    actor, case = visible_case(session, actor_id, case_id, lock=True)
    if not (actor.has(*CENTER) or is_assigned(actor, case)):
        raise NotAllowed()
    if CaseStatus(case.status) not in RUNNING or case.due_at is None:
        raise InvalidInput("只有正在计时的事项可以申请挂起或延期。")
    reason = (reason or "").strip()
    if not 2 <= len(reason) <= 500:
        raise InvalidInput("请写明理由（2–500 字）。")
    new_due = None
    if kind == RequestKind.extension:
        _baoan_extension_elsewhere(actor.id, case)
        if new_due_date is None:
            raise InvalidInput("请给出新的期限日期。")
        new_due = end_of_day(new_due_date, policy)
        if new_due <= case.due_at:
            raise InvalidInput("新期限应晚于当前期限。")
        _no_later_than_assigner(session, case, new_due, policy)
    elif kind == RequestKind.pause and case.paused_at is not None:
        raise InvalidInput("该事项已挂起。")
    elif kind == RequestKind.resume and case.paused_at is None:
        raise InvalidInput("该事项没有挂起。")
    pending = session.exec(select(DeadlineRequest).where(
        DeadlineRequest.case_id == case.id, DeadlineRequest.status == RequestStatus.pending)).first()
    if pending is not None:
        raise InvalidInput("已有一份待领导审批的申请，请等待审批结果。")
    req = DeadlineRequest(case_id=case.id, kind=kind, reason=reason, new_due_at=new_due,
                          requested_by_id=actor.id, requested_at=now)
    session.add(req)
    session.flush()
    audit.record(session, actor_id=actor.id, action=f"case.{kind.value}_request", subject_type="case",
                 subject_id=case.id, now=now, note=reason, request_id=req.id)
    return req


def _baoan_extension_elsewhere(actor_id: int, case: Case) -> None:
    """A 包案 case is extended only at its 包案领导's request with the party secretary's consent
    (bot/services/baoan.py); a leader or the director could not approve an ordinary request."""
    if case.leader_id is None:
        return
    if actor_id == case.leader_id:
        raise InvalidInput("包案事项的延期由党委书记审批：请在事项卡片上点「⏳ 申请延期」（包案）。")
    raise InvalidInput("包案事项的延期由包案领导向党委书记申请，请联系本事项的包案领导。")


def decide(session: Session, *, actor_id: int, request_id: int, approve: bool, now: datetime,
           policy: DeadlinePolicy, note: str | None = None) -> DeadlineRequest:
    actor = people.get(session, person_id=actor_id)
    req = session.exec(select(DeadlineRequest).where(DeadlineRequest.id == request_id).with_for_update()).first()
    if req is None:
        raise NotFound("没有找到这份申请。")
    case = load_case(session, req.case_id, lock=True)
    if case.leader_id is not None and req.kind == RequestKind.extension:
        # 领导包案制度 四: extending a 包案 deadline needs the party secretary's consent.
        if Role.secretary not in actor.roles:
            raise NotAllowed("包案事项延期须经党委书记同意。")
    elif not actor.has(*DECIDERS):
        raise NotAllowed("只有中心领导或主任可以审批挂起和延期。")
    if req.status != RequestStatus.pending:
        raise InvalidInput(f"这份申请已被处理（{'已批准' if req.status == RequestStatus.approved else '已驳回'}）。")
    req.status = RequestStatus.approved if approve else RequestStatus.refused
    req.decided_by_id, req.decided_at, req.decision_note = actor.id, now, note
    session.add(req)
    label = {RequestKind.pause: "挂起", RequestKind.resume: "恢复计时", RequestKind.extension: "延期"}[
        RequestKind(req.kind)]
    if approve:
        cal = policy.calendar(session)
        if req.kind == RequestKind.pause:
            case.paused_at = now
            case.next_reminder_at = None  # a paused clock reminds nobody
        elif req.kind == RequestKind.resume:
            _resume(case, now, cal, policy)
            cap = assigner_due(session, case.id)  # 上级交办: the pause does not move the assigner's day
            if cap is not None and case.due_at is not None and case.due_at > cap:
                set_due(case, cap, False, case.clock_started_at or now, cal, policy, now)
        else:
            start = case.clock_started_at or now
            set_due(case, req.new_due_at, False, start, cal, policy, now)
        case.updated_at = now
        session.add(case)
    detail = f"{'批准' if approve else '驳回'}{label}"
    if approve and req.kind == RequestKind.extension:
        detail += f"，新期限 {fmt(case.due_at, policy.tz)}"
    audit.record(session, actor_id=actor.id, action="case.deadline", subject_type="case", subject_id=case.id,
                 now=now, note=detail + (f"：{note}" if note else ""), request_id=req.id)
    return req


def _resume(case: Case, now: datetime, cal: WorkCalendar, policy: DeadlinePolicy) -> None:
    """The pause stopped the clock: push the deadline out by the working time it was paused."""
    paused = cal.working_seconds(case.paused_at, now)
    case.paused_at = None
    if case.due_at is not None and paused > 0:
        start = case.clock_started_at or now
        set_due(case, cal.add_working_seconds(case.due_at, paused), case.due_provisional, start, cal, policy, now)


def pending_requests(session: Session, *, case_id: int) -> list[DeadlineRequest]:
    return list(session.exec(select(DeadlineRequest).where(
        DeadlineRequest.case_id == case_id, DeadlineRequest.status == RequestStatus.pending)))


# --- the light ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Light:
    symbol: str  # 🟢 🟡 🔴 ⚪, or "" when the case has no running deadline
    left: str  # e.g. "剩 2 个工作日 3 小时", "已超期 1 个工作日"
    due: str  # local "12月03日 17:30"
    provisional: bool


class Signal(StrEnum):
    """绿/黄/红/灰: the colour platforms in the field give a case (the card's symbol, the ledger's 状态)."""

    green = "🟢"
    yellow = "🟡"
    red = "🔴"
    grey = "⚪"  # 挂起: the clock stands still


FINISHED = (CaseStatus.resolved, CaseStatus.replied, CaseStatus.archived)  # handled to the end: 办结 happened


def signal(status: CaseStatus | str, due_at: datetime | None, yellow_at: datetime | None,
           paused_at: datetime | None, now: datetime) -> Signal | None:
    """The colour of a running deadline; None when none runs (not yet accepted, finished, transferred)."""
    if due_at is None or CaseStatus(status) not in RUNNING:
        return None
    if paused_at is not None:
        return Signal.grey
    if now >= due_at:
        return Signal.red
    return Signal.yellow if yellow_at is not None and now >= yellow_at else Signal.green


def light(case: Case, now: datetime, cal: WorkCalendar, tz: ZoneInfo) -> Light:
    if case.due_at is not None and case.resolved_at is not None and CaseStatus(case.status) in FINISHED:
        return Light("", met(case.due_at, case.resolved_at, cal), fmt(case.due_at, tz), case.due_provisional)
    shade = signal(case.status, case.due_at, case.yellow_at, case.paused_at, now)
    if shade is None:
        return Light("", "", fmt(case.due_at, tz) if case.due_at else "", case.due_provisional)
    due = fmt(case.due_at, tz)
    if shade is Signal.grey:
        return Light(shade.value, "已挂起，暂停计时", due, case.due_provisional)
    return Light(shade.value, time_left(case.due_at, now, cal=cal).words, due, case.due_provisional)


def met(due: datetime, resolved: datetime, cal: WorkCalendar) -> str:
    """「按期办结」 or 「超期 1 个工作日 2 小时办结」: measured like every other overdue time."""
    late = time_left(due, resolved, cal=cal)
    if not late.passed:
        return texts.DEADLINE_MET
    return texts.DEADLINE_MISSED.format(amount=f" {late.amount}" if late.amount else "")


def fmt(moment: datetime | None, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%m月%d日 %H:%M") if moment else ""


# --- a year's calendar entered: provisional deadlines become real --------------------------------


def recompute_provisional(session: Session, *, now: datetime, policy: DeadlinePolicy) -> int:
    """After an admin enters a year's official days: recount every provisional running deadline."""
    cal = policy.calendar(session)
    count = 0
    for case in session.exec(select(Case).where(col(Case.due_provisional), col(Case.status).in_(RUNNING))):
        if case.clock_started_at is None:
            continue
        days = policy.days_for(Severity(case.severity), session.get(CaseType, case.type_id))
        due = cal.add_working_days(case.clock_started_at, days)
        old = case.due_at
        set_due(case, due.at, due.provisional, case.clock_started_at, cal, policy, now)
        session.add(case)
        audit.record(session, actor_id=None, action="case.deadline", subject_type="case", subject_id=case.id,
                     now=now, note=f"按正式日历重算期限：{fmt(old, policy.tz)} → {fmt(due.at, policy.tz)}")
        count += 1
    return count



# --- the chat side: the form before a change, and who is told ----------------------------------

REASON_MIN, REASON_MAX = 2, 500  # what request_change accepts
NOTE_MAX = 200  # DeadlineRequest.decision_note
CHOICE_STEPS = (1, 2, 3, 5, 7)  # working days offered as buttons for a new date
CHANGE_ACTIONS = ("extension", "pause", "resume", "set")


@dataclass(frozen=True)
class ChangeForm:
    """What the person sees before asking for (or making) a deadline change; every check passed."""

    case_id: int
    number: str
    action: str  # extension / pause / resume / set
    due: str  # the current deadline, local ("" if none)
    light: str  # e.g. "🟡 剩 1 个工作日"
    choices: tuple[tuple[int, _dt.date], ...] = ()  # (+N working days, date), for extension and set
    new_due: str = ""  # the checked new deadline, local, when a date was given


def change_form(session: Session, *, actor_id: int, case_id: int, action: str, now: datetime,
                policy: DeadlinePolicy, due_date: _dt.date | None = None) -> ChangeForm:
    """Check, before any typing, that the person may ask for (or make) this change now; with
    `due_date`, also that the date is acceptable. The same rules as request_change/set_deadline,
    which check again on submit."""
    if action not in CHANGE_ACTIONS:
        raise InvalidInput("未知的期限操作。")
    if action == "set":
        actor = people.get(session, person_id=actor_id)
        if not actor.has(*DECIDERS):
            raise NotAllowed("只有中心领导或主任可以设定期限。")
        case = load_case(session, case_id, lock=True)
        if CaseStatus(case.status) not in RUNNING:
            raise InvalidInput("只有办理中的事项可以设定期限。")
    else:
        actor, case = visible_case(session, actor_id, case_id)
        if not (actor.has(*CENTER) or is_assigned(actor, case)):
            raise NotAllowed()
        if CaseStatus(case.status) not in RUNNING or case.due_at is None:
            raise InvalidInput("只有正在计时的事项可以申请挂起或延期。")
        if action == "pause" and case.paused_at is not None:
            raise InvalidInput("该事项已挂起。")
        if action == "resume" and case.paused_at is None:
            raise InvalidInput("该事项没有挂起。")
        if pending_requests(session, case_id=case.id):
            raise InvalidInput("已有一份待领导审批的申请，请等待审批结果。")
        if action == "extension" and actor.id != case.leader_id:  # the 包案 form uses these choices
            _baoan_extension_elsewhere(actor.id, case)
    cal = policy.calendar(session)
    choices: tuple[tuple[int, _dt.date], ...] = ()
    if action in ("extension", "set"):
        # An extension counts on from the current deadline; a leader's deadline from today.
        base = case.due_at if action == "extension" else now
        choices = tuple((n, cal.local(cal.add_working_days(base, n).at).date()) for n in CHOICE_STEPS)
    new_due = ""
    if due_date is not None:
        due = end_of_day(due_date, policy)
        if action == "extension" and due <= case.due_at:
            raise InvalidInput(f"新期限应晚于当前期限（{fmt(case.due_at, policy.tz)}）。")
        if action == "set" and due <= now:
            raise InvalidInput("期限应晚于现在。")
        if action == "set":
            _no_later_baoan_deadline(case, due)
        new_due = fmt(due, policy.tz)
    shown = light(case, now, cal, policy.tz)
    return ChangeForm(
        case_id=case.id, number=case.number, action=action, due=fmt(case.due_at, policy.tz) if case.due_at else "",
        light=f"{shown.symbol} {shown.left}".strip(), choices=choices, new_due=new_due,
    )


def notify_deciders(session: Session, *, request_id: int, now: datetime, tz: ZoneInfo = CENTER_TZ) -> int:
    """Every active leader and the director get the request with 批准 / 驳回 / 查看 buttons."""
    req = session.get(DeadlineRequest, request_id)
    if req is None:
        raise NotFound("没有找到这份申请。")
    case = session.get(Case, req.case_id)
    requester = session.get(Person, req.requested_by_id)
    kind = RequestKind(req.kind)
    text = notify.deadlines.approval(
        who=requester.name if requester else "", kind=texts.DL_KIND_LABELS[kind.value], number=case.number,
        type=type_name(session.get(CaseType, case.type_id)), summary=summary_line(case, 60),
        confidential=case.confidential, due=fmt(case.due_at, tz) if case.due_at else "—",
        new_due=fmt(req.new_due_at, tz) if req.new_due_at else None, reason=req.reason,
    )
    buttons = [
        [(texts.DL_APPROVE, DeadlineApprove(req.id).pack()), (texts.DL_REFUSE, DeadlineRefuse(req.id).pack())],
        [(texts.NOTIFY_VIEW_BUTTON, CaseView(case.id).pack())],
    ]
    deciders = {p.id: p for role in (Role.leader, Role.director) for p in with_role(session, role)}
    # nobody approves their own request
    return tell(session, deciders.values(), text, buttons, key=f"dl:{req.id}:ask", now=now,
                exclude=req.requested_by_id, case=case)


def request_and_notify(session: Session, *, actor_id: int, case_id: int, kind: RequestKind, reason: str,
                       now: datetime, policy: DeadlinePolicy, new_due_date=None) -> DeadlineRequest:
    """The request and the approval messages to the deciders: one unit of work."""
    req = request_change(session, actor_id=actor_id, case_id=case_id, kind=kind, reason=reason, now=now,
                         new_due_date=new_due_date, policy=policy)
    notify_deciders(session, request_id=req.id, now=now, tz=policy.tz)
    return req


@dataclass(frozen=True)
class PendingRequest:
    id: int
    case_id: int
    number: str
    kind: RequestKind


def request_to_decide(session: Session, *, actor_id: int, request_id: int) -> PendingRequest:
    """Before a leader types a refusal: may they decide, and is the request still open?"""
    actor = people.get(session, person_id=actor_id)
    if not actor.has(*DECIDERS):
        raise NotAllowed("只有中心领导或主任可以审批挂起和延期。")
    req = session.get(DeadlineRequest, request_id)
    if req is None:
        raise NotFound("没有找到这份申请。")
    if req.status != RequestStatus.pending:
        raise InvalidInput(f"这份申请已被处理（{'已批准' if req.status == RequestStatus.approved else '已驳回'}）。")
    case = session.get(Case, req.case_id)
    return PendingRequest(id=req.id, case_id=case.id, number=case.number, kind=RequestKind(req.kind))


@dataclass(frozen=True)
class Decision:
    request_id: int
    case_id: int
    number: str
    kind: RequestKind
    approved: bool
    detail: str  # what changed, e.g. "，新期限 12月10日 17:30" ("" when refused)


def _decision_detail(kind: RequestKind, case: Case, tz: ZoneInfo) -> str:
    if kind == RequestKind.pause:
        return texts.DL_DETAIL_PAUSED
    if kind == RequestKind.resume:
        return texts.DL_DETAIL_RESUMED.format(due=fmt(case.due_at, tz))
    return texts.DL_DETAIL_DUE.format(due=fmt(case.due_at, tz))


def decide_and_notify(session: Session, *, actor_id: int, request_id: int, approve: bool, now: datetime,
                      policy: DeadlinePolicy, note: str | None = None) -> Decision:
    """The decision and the message to the requester: one unit of work. A refusal needs a reason."""
    note = (note or "").strip() or None
    if not approve and (note is None or len(note) < REASON_MIN):
        raise InvalidInput("请简要写明驳回理由。")
    if note is not None and len(note) > NOTE_MAX:
        raise InvalidInput(f"理由最多 {NOTE_MAX} 字，请精简。")
    req = decide(session, actor_id=actor_id, request_id=request_id, approve=approve, now=now, policy=policy,
                 note=note)
    case = session.get(Case, req.case_id)
    kind = RequestKind(req.kind)
    detail = _decision_detail(kind, case, policy.tz) if approve else ""
    decider = people.get(session, person_id=actor_id)
    requester = session.get(Person, req.requested_by_id)
    if requester is not None and requester.telegram_id is not None and requester.active and requester.id != decider.id:
        names = {"kind": texts.DL_KIND_LABELS[kind.value], "number": case.number, "who": decider.name}
        if approve:
            text = notify.deadlines.approved(detail=detail, **names)
        else:
            text = notify.deadlines.refused(note=note, due=fmt(case.due_at, policy.tz) if case.due_at else "—",
                                            **names)
        outbox.enqueue(session, chat_id=requester.telegram_id, person_id=requester.id, text=text,
                       buttons=[[(texts.NOTIFY_VIEW_BUTTON, CaseView(case.id).pack())]],
                       key=f"dl:{req.id}:decided:p{requester.id}", now=now, case=case)
    return Decision(request_id=req.id, case_id=case.id, number=case.number, kind=kind, approved=approve,
                    detail=detail)
