"""上级交办 (issue 16): a matter assigned by the township party committee or a higher department.

The center records who assigned it (交办单位), their reference (交办文号) and their deadline (交办时限);
the case's own deadline is then never later than the assigner's (bot/services/deadlines.py enforces
it for every later change). When the case is finished the center produces the report back
(办理情况报告: a text in chat and a .docx sent protected through the outbox, to whoever may see the
case) and records when and how it was sent. A sweep chases a 交办 whose report back is not recorded
once, a working day before the assigner's deadline (or at once when that has already passed).
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from bot.callbacks import CaseView
from bot.services import audit, outbox
from bot.services.access import CENTER
from bot.services.case_access import (
    can_view,
    person_name,
    record_event,
    summary_line,
    type_name,
    visible_case,
)
from bot.services.cases import OPEN
from bot.services.deadlines import RUNNING, DeadlinePolicy, end_of_day, fmt, set_due
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.services.people import PersonView
from bot.services.recipients import tell, with_role
from bot.texts import assignments as t
from bot.texts.notify import assignments as notify
from models import Case, CaseAssignment, CaseStatus, CaseType, Person, ReportMethod, Role, Unit

MAX_NAME = 60
FINISHED = (CaseStatus.resolved, CaseStatus.replied, CaseStatus.archived)
REF_PREFIX = "jiaoban"  # Outbox.document: "jiaoban:<case id>:<viewer id>", built when sent


def _text(value: str | None, *, required: bool) -> str | None:
    value = " ".join((value or "").split())
    if not value:
        if required:
            raise InvalidInput(t.BAD_TEXT)
        return None
    if len(value) > MAX_NAME:
        raise InvalidInput(t.BAD_TEXT)
    return value


def _center_case(session: Session, actor_id: int, case_id: int, *, lock: bool = False) -> tuple[PersonView, Case]:
    viewer, case = visible_case(session, actor_id, case_id, lock=lock)
    if not viewer.has(*CENTER):
        raise NotAllowed(t.NOT_ALLOWED)
    return viewer, case


def may_record(viewer: PersonView, case: Case, assignment: CaseAssignment | None) -> bool:
    return (viewer.has(*CENTER) and can_view(viewer, case) and CaseStatus(case.status) in OPEN
            and (assignment is None or assignment.reported_at is None))


def check_start(session: Session, *, actor_id: int, case_id: int) -> str:
    """Refused now, not after the typing; the case number for the first question."""
    _, case = _center_case(session, actor_id, case_id)
    assignment = session.get(CaseAssignment, case.id)
    if assignment is not None and assignment.reported_at is not None:
        raise InvalidInput(t.ALREADY_REPORTED)
    if CaseStatus(case.status) not in OPEN:
        raise InvalidInput(t.NOT_OPEN)
    return case.number


def check_due(due_date: date, *, now: datetime, policy: DeadlinePolicy) -> datetime:
    """交办时限: the end of that working day; today or later."""
    if due_date < now.astimezone(policy.tz).date():
        raise InvalidInput(t.DUE_PASSED)
    return end_of_day(due_date, policy)


@dataclass(frozen=True)
class Recorded:
    case_id: int
    number: str
    assigner: str
    reference: str | None
    due: str  # 2026年12月20日
    capped: bool  # the case's deadline was brought forward to the assigner's


def record(session: Session, *, actor_id: int, case_id: int, assigner: str, reference: str | None,
           due_date: date, now: datetime, policy: DeadlinePolicy) -> Recorded:
    """Record (or correct, until the report back is sent) the 交办 of a case. A running deadline
    later than the assigner's is brought forward to it."""
    viewer, case = _center_case(session, actor_id, case_id, lock=True)
    assigner = _text(assigner, required=True)
    reference = _text(reference, required=False)
    due = check_due(due_date, now=now, policy=policy)
    found = session.get(CaseAssignment, case.id)
    if found is not None and found.reported_at is not None:
        raise InvalidInput(t.ALREADY_REPORTED)
    if CaseStatus(case.status) not in OPEN:
        raise InvalidInput(t.NOT_OPEN)
    if found is None:
        found = CaseAssignment(case_id=case.id, assigner=assigner, due_at=due, recorded_by_id=viewer.id,
                               recorded_at=now)
    found.assigner, found.reference, found.due_at, found.chased_at = assigner, reference, due, None
    session.add(found)
    capped = False
    if CaseStatus(case.status) in RUNNING and (case.due_at is None or case.due_at > due):
        set_due(case, due, False, case.clock_started_at or now, policy.calendar(session), policy, now)
        session.add(case)
        capped = True
    record_event(session, viewer.id, case, "jiaoban", now,
                 note=f"{assigner}{t.reference_part(reference)}，交办时限 {fmt(due, policy.tz)}")
    return Recorded(case.id, case.number, assigner, reference, t.cn_date(due.astimezone(policy.tz).date()), capped)


# --- on the case card ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentOnCard:
    assigner: str
    reference: str | None
    due: datetime
    reported_at: datetime | None
    method: str | None
    overdue: bool
    actions: tuple[str, ...]  # edit / report / sent; each checked again when pressed


def on_card(session: Session, viewer: PersonView, case: Case, now: datetime) -> tuple[AssignmentOnCard | None, bool]:
    """(the 交办 as the card shows it, whether the card offers 「上级交办」 to record one)."""
    found = session.get(CaseAssignment, case.id)
    center = viewer.has(*CENTER) and can_view(viewer, case)
    if found is None:
        return None, center and CaseStatus(case.status) in OPEN
    actions = []
    if may_record(viewer, case, found):
        actions.append("edit")
    if center and CaseStatus(case.status) in FINISHED:
        actions.append("report")
        if found.reported_at is None:
            actions.append("sent")
    return AssignmentOnCard(
        assigner=found.assigner, reference=found.reference, due=found.due_at, reported_at=found.reported_at,
        method=found.report_method, overdue=found.reported_at is None and now > found.due_at,
        actions=tuple(actions)), False


# --- the report back ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportView:
    org: str
    title: str
    assigner: str
    number: str  # the case's
    paragraphs: tuple[tuple[str, tuple[str, ...]], ...]  # the intro ("", …) and (heading, lines)
    issued_on: str  # 2026年12月4日
    doc_number: str = ""  # a 报告 back carries no 发文字号 here

    @property
    def addressee(self) -> str:  # 主送 (report_docx): the one who assigned it
        return self.assigner


def _finished(session: Session, viewer: PersonView, case: Case) -> CaseAssignment:
    found = session.get(CaseAssignment, case.id)
    if found is None:
        raise NotFound(t.NO_ASSIGNMENT)
    if not viewer.has(*CENTER):
        raise NotAllowed(t.NOT_ALLOWED)
    if CaseStatus(case.status) not in FINISHED:
        raise InvalidInput(t.NOT_FINISHED)
    return found


def report_view(session: Session, *, viewer_id: int, case_id: int, now: datetime, tz, org: str) -> ReportView:
    """The 办理情况报告 as this viewer may see it (the same check as the card). The parties' phones
    and ID numbers stay out: the report goes to another office."""
    viewer, case = visible_case(session, viewer_id, case_id)
    found = _finished(session, viewer, case)
    received = t.cn_date(found.recorded_at.astimezone(tz).date())
    due = t.cn_date(found.due_at.astimezone(tz).date())
    intro = t.REPORT_INTRO.format(received=received, assigner=found.assigner,
                                  reference=f"{found.reference}" if found.reference else t.NO_REFERENCE_WORDS,
                                  number=case.number, due=due)
    unit = session.get(Unit, case.unit_id) if case.unit_id else None
    handler = "、".join(p for p in (person_name(session, case.handler_id), unit.name if unit else "") if p) or "综治中心"
    outcome = t.REPORT_OUTCOME.format(outcome=case.outcome, agreement=case.agreement or "无协议") if case.outcome else ""
    result = t.REPORT_RESULT.format(result=case.result.rstrip("。")) if case.result else ""
    resolved = t.cn_date(case.resolved_at.astimezone(tz).date()) if case.resolved_at else "—"
    if case.replied_at and case.reply_method:
        satisfaction = t.REPORT_SATISFACTION.format(satisfaction=case.satisfaction) if case.satisfaction else ""
        reply = t.REPORT_REPLY.format(replied=t.cn_date(case.replied_at.astimezone(tz).date()),
                                      method=case.reply_method, satisfaction=satisfaction)
    else:
        reply = t.REPORT_NO_REPLY
    basic, handled, replied = t.REPORT_HEADINGS
    paragraphs = (
        ("", (intro,)),
        (basic, (t.REPORT_BASIC.format(type=type_name(session.get(CaseType, case.type_id)),
                                       summary=summary_line(case, 200))
                 + (t.REPORT_REQUEST.format(request=" ".join(case.request.split())[:300]) if case.request else ""),)),
        (handled, (t.REPORT_HANDLED.format(handler=handler, outcome=outcome, result=result, resolved=resolved),)),
        (replied, (reply, t.REPORT_CLOSING)),
    )
    return ReportView(org=org, title=t.REPORT_TITLE.format(assigner=found.assigner), assigner=found.assigner,
                      number=case.number, paragraphs=paragraphs, issued_on=t.cn_date(now.astimezone(tz).date()))


def send_report(session: Session, *, actor_id: int, case_id: int, now: datetime, tz, org: str) -> ReportView:
    """The report for the chat, and its .docx queued to the actor, protected (built when sent)."""
    view = report_view(session, viewer_id=actor_id, case_id=case_id, now=now, tz=tz, org=org)
    actor = session.get(Person, actor_id)
    if actor.telegram_id is not None:
        outbox.enqueue(session, chat_id=actor.telegram_id, person_id=actor.id, now=now, protect=True,
                       text=t.DOCX_CAPTION.format(number=view.number), document=f"{REF_PREFIX}:{case_id}:{actor_id}",
                       key=f"jiaoban{case_id}:docx:p{actor_id}:{now:%Y%m%d%H%M%S}")
    audit.record(session, actor_id=actor_id, action="jiaoban.report", subject_type="case", subject_id=case_id, now=now)
    return view


def parse_ref(ref: str | None) -> tuple[int, int] | None:
    parts = (ref or "").split(":")
    if len(parts) == 3 and parts[0] == REF_PREFIX and parts[1].isdigit() and parts[2].isdigit():
        return int(parts[1]), int(parts[2])
    return None


def record_sent(session: Session, *, actor_id: int, case_id: int, method: ReportMethod, now: datetime,
                tz) -> tuple[str, str, str]:
    """报送时间 and 方式, once; (when, method, assigner) for the answer."""
    viewer, case = visible_case(session, actor_id, case_id, lock=True)
    found = _finished(session, viewer, case)
    if found.reported_at is not None:
        when = found.reported_at.astimezone(tz)
        raise InvalidInput(t.ALREADY_SENT.format(when=f"{t.cn_date(when)} {when:%H:%M}", method=found.report_method))
    method = ReportMethod(method)
    found.reported_at, found.report_method, found.reported_by_id = now, method.value, viewer.id
    session.add(found)
    record_event(session, viewer.id, case, "jiaoban_report", now, note=f"{method.value}报送{found.assigner}")
    local = now.astimezone(tz)
    return f"{t.cn_date(local)} {local:%H:%M}", method.value, found.assigner


# --- the sweep ----------------------------------------------------------------------------------


def sweep(session: Session, *, now: datetime, policy: DeadlinePolicy) -> int:
    """Chase once every 交办 whose report back is not recorded when one working day (or less) is
    left before the assigner's deadline: the case's handler, whoever recorded the 交办, and the
    director. Restart-safe: the mark is set with the messages."""
    cal = policy.calendar(session)
    day = sum((datetime.combine(date(2000, 1, 1), b) - datetime.combine(date(2000, 1, 1), a)).total_seconds()
              for a, b in policy.hours)
    found = session.exec(select(CaseAssignment, Case).join(Case, Case.id == CaseAssignment.case_id)
                         .where(col(CaseAssignment.reported_at).is_(None), col(CaseAssignment.chased_at).is_(None),
                                col(Case.status).in_([s.value for s in (*OPEN, CaseStatus.replied,
                                                                        CaseStatus.archived)]))
                         .order_by(col(CaseAssignment.due_at)))
    sent = 0
    for assignment, case in list(found):
        if assignment.due_at > now and cal.working_seconds(now, assignment.due_at) > day:
            continue
        assignment.chased_at = now
        session.add(assignment)
        people = [session.get(Person, case.handler_id) if case.handler_id else None,
                  session.get(Person, assignment.recorded_by_id), *with_role(session, Role.director)]
        text = notify.chase(number=case.number, due=t.cn_date(assignment.due_at.astimezone(policy.tz).date()), assigner=assignment.assigner,
                            reference=assignment.reference)
        sent += tell(session, people, text, [[("查看事项", CaseView(case.id).pack())]],
                     key=f"jiaoban{case.id}:chase", now=now, case=case)
    return sent


# --- 上级交办事项台账 ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    number: str
    recorded: str  # 2026年12月4日
    assigner: str
    reference: str
    summary: str
    due: str
    handler: str
    status: str
    resolved: str
    reported: str  # 2026年12月18日 书面
    on_time: str  # 按时 / 逾期 / ""


def ledger_rows(session: Session, *, viewer: PersonView, start: date, end: date, tz,
                status_labels: dict) -> tuple[list[LedgerRow], int]:
    """The 交办 recorded in local days start … end, oldest first; (rows, confidential ones hidden)."""
    lo = datetime.combine(start, datetime.min.time(), tzinfo=tz)
    hi = datetime.combine(end, datetime.max.time(), tzinfo=tz)
    found = session.exec(select(CaseAssignment, Case).join(Case, Case.id == CaseAssignment.case_id)
                         .where(CaseAssignment.recorded_at >= lo, CaseAssignment.recorded_at <= hi)
                         .order_by(col(CaseAssignment.recorded_at), col(Case.id)))
    rows, hidden = [], 0
    for a, case in list(found):
        if not can_view(viewer, case):
            hidden += 1
            continue
        unit = session.get(Unit, case.unit_id) if case.unit_id else None
        reported = ""
        on_time = ""
        if a.reported_at is not None:
            reported = f"{t.cn_date(a.reported_at.astimezone(tz).date())} {a.report_method or ''}".strip()
            on_time = "按时" if a.reported_at <= a.due_at else "逾期"
        rows.append(LedgerRow(
            number=case.number, recorded=t.cn_date(a.recorded_at.astimezone(tz).date()), assigner=a.assigner,
            reference=a.reference or "", summary=summary_line(case, 60),
            due=t.cn_date(a.due_at.astimezone(tz).date()),
            handler="、".join(p for p in (person_name(session, case.handler_id), unit.name if unit else "") if p),
            status=status_labels[CaseStatus(case.status)],
            resolved=t.cn_date(case.resolved_at.astimezone(tz).date()) if case.resolved_at else "",
            reported=reported, on_time=on_time))
    return rows, hidden
