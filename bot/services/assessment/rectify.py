"""整改 orders and 领导责任查究.

An 整改 order names what a unit or village must put right, its owner (the subject's first head) and a
deadline of N working days (the official calendar with its 调休, as case deadlines: due at the end of
the last working day); the owner reports it done (整改完成) and the director is told. Past the deadline
it is chased like an overdue case: in working hours, the owner and the director once every working day
until it is done (restart-safe: the day of the last chase is stored on the order).

A 领导责任查究 is opened with every 一票否决 (scoring.record_mark); the director records its result."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.callbacks import ScoreRectifyDone
from bot.services import audit, outbox
from bot.services.assessment.measures import Subject
from bot.services.assessment.scoring import MANAGERS, columns, heads, require, subject_name
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.services.recipients import with_role
from bot.services.workdays import WorkCalendar
from bot.texts import assessment as t
from models import Accountability, Person, Rectification, Role, SubjectKind

MAX_TEXT = 500
MAX_DAYS = 365
BATCH = 200


@dataclass(frozen=True)
class OrderView:
    id: int
    subject: str
    text: str
    owner: str
    due_on: str
    done: bool
    overdue: bool


def _subject(order: Rectification) -> Subject:
    return (Subject(SubjectKind.unit, order.unit_id) if order.unit_id is not None
            else Subject(SubjectKind.village, order.village_id))


def _view(session: Session, order: Rectification, now: datetime, tz: ZoneInfo) -> OrderView:
    owner = session.get(Person, order.owner_id)
    return OrderView(order.id, subject_name(session, _subject(order)), order.text, owner.name if owner else "",
                     due_text(order.due_at, tz), order.done_at is not None,
                     order.done_at is None and order.due_at <= now)


def due_text(due: datetime, tz: ZoneInfo) -> str:
    """「2026年9月30日 17:30」: the end of the working day, as the order says it."""
    local = due.astimezone(tz)
    return f"{t.cn_date(local.date())} {local:%H:%M}"


def issue(session: Session, *, actor_id: int, subject: Subject, text: str, days: int, now: datetime,
          policy: DeadlinePolicy) -> OrderView:
    """`days` working days (ASSESSMENT_RECTIFY_DAYS), counted as a case's deadline is."""
    tz = policy.tz
    require(session, actor_id, MANAGERS)
    text = (text or "").strip()
    if not text:
        raise InvalidInput(t.ASK_RECTIFY)
    if len(text) > MAX_TEXT:
        raise InvalidInput(t.REASON_TOO_LONG.format(limit=MAX_TEXT))
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(t.STALE)
    owners = heads(session, subject)
    if not owners:
        raise InvalidInput(t.NO_HEAD.format(name=subject_name(session, subject)))
    owner = owners[0]
    order = Rectification(year=now.astimezone(tz).year, text=text, owner_id=owner.id, issued_by_id=actor_id,
                          issued_at=now, due_at=policy.calendar(session).add_working_days(now, days).at,
                          **columns(subject))
    session.add(order)
    session.flush()
    view = _view(session, order, now, tz)
    audit.record(session, actor_id=actor_id, action="assessment.rectify_issued", subject_type="rectification",
                 subject_id=order.id, now=now, subject=subject.key, due=view.due_on)
    for person in owners:
        if person.telegram_id is not None:
            outbox.enqueue(session, chat_id=person.telegram_id, person_id=person.id, now=now,
                           key=f"assess:rectify{order.id}:p{person.id}", new_key=True,
                           text=t.notify_rectify(name=view.subject, text=text, due=view.due_on),
                           buttons=done_buttons(order.id))
    return view


def done_buttons(order_id: int):
    return [[(t.BUTTON_RECTIFIED, ScoreRectifyDone(order_id).pack())]]


def mark_done(session: Session, *, actor_id: int, order_id: int, now: datetime, tz: ZoneInfo) -> OrderView:
    """整改完成: by a head of the unit or village; the director hears of it."""
    order = session.get(Rectification, order_id)
    if order is None:
        raise NotFound(t.STALE)
    if actor_id not in {p.id for p in heads(session, _subject(order))}:
        raise NotAllowed(t.NOT_YOUR_ORDER)
    view = _view(session, order, now, tz)
    if order.done_at is not None:
        return view
    order.done_at = now
    session.add(order)
    audit.record(session, actor_id=actor_id, action="assessment.rectify_done", subject_type="rectification",
                 subject_id=order.id, now=now)
    for boss in with_role(session, Role.director):
        if boss.telegram_id is not None:
            outbox.enqueue(session, chat_id=boss.telegram_id, person_id=boss.id, now=now,
                           key=f"assess:rectify{order.id}:done:p{boss.id}",
                           text=t.notify_rectified(name=view.subject, text=order.text))
    return _view(session, order, now, tz)


def orders(session: Session, *, actor_id: int, year: int, now: datetime, tz: ZoneInfo) -> list[OrderView]:
    """The year's orders, and any still open from before (an order is tracked until done)."""
    require(session, actor_id, MANAGERS)
    found = session.exec(select(Rectification).where((Rectification.year == year) | col(Rectification.done_at).is_(None))
                         .order_by(col(Rectification.id)))
    return [_view(session, o, now, tz) for o in list(found)]


def overdue_days(cal: WorkCalendar, due: datetime, today: date) -> int:
    """Working days after the due day up to today: the first chase (the next working day) says 1."""
    day, count = cal.local(due).date(), 0
    while day < today:
        day += timedelta(days=1)
        count += cal.is_workday(day)[0]
    return count


def sweep(session: Session, *, now: datetime, policy: DeadlinePolicy, limit: int = BATCH) -> int:
    """Chase every 整改 order past its deadline and not done, as an overdue case is: in working hours,
    once per working day, the owner and the director."""
    cal = policy.calendar(session)
    if not cal.is_working_time(now):
        return 0  # not urgent: waits for working hours (no chases on holidays and weekends)
    tz = policy.tz
    today: date = cal.local(now).date()
    due = session.exec(select(Rectification).where(
        col(Rectification.done_at).is_(None), Rectification.due_at <= now,
        (col(Rectification.overdue_sent_on).is_(None)) | (Rectification.overdue_sent_on < today))
        .order_by(col(Rectification.id)).limit(limit))
    sent = 0
    bosses = with_role(session, Role.director)
    for order in list(due):
        order.overdue_sent_on = today
        session.add(order)
        view = _view(session, order, now, tz)
        days = overdue_days(cal, order.due_at, today)
        owner = session.get(Person, order.owner_id)
        for person, text, buttons in (
                [(owner, t.notify_overdue_owner(text=order.text, due=view.due_on, days=days), done_buttons(order.id))]
                + [(b, t.notify_overdue_boss(name=view.subject, text=order.text, due=view.due_on, days=days), None)
                   for b in bosses]):
            if person is not None and person.active and person.telegram_id is not None:
                sent += outbox.enqueue(session, chat_id=person.telegram_id, person_id=person.id, now=now,
                                       key=f"assess:rectify{order.id}:overdue:{today}:p{person.id}", text=text,
                                       buttons=buttons)
    return sent


def check_open_accountability(session: Session, *, actor_id: int, accountability_id: int) -> None:
    require(session, actor_id, frozenset({Role.director}))
    row = session.get(Accountability, accountability_id)
    if row is None or row.closed_at is not None:
        raise NotFound(t.STALE)


def close_accountability(session: Session, *, actor_id: int, accountability_id: int, result: str,
                         now: datetime) -> None:
    """The director records the result of a 领导责任查究."""
    require(session, actor_id, frozenset({Role.director}))
    row = session.get(Accountability, accountability_id)
    if row is None or row.closed_at is not None:
        raise NotFound(t.STALE)
    result = (result or "").strip()
    if not result or len(result) > 300:
        raise InvalidInput(t.ASK_ACC_RESULT)
    row.result, row.closed_at = result, now
    session.add(row)
    audit.record(session, actor_id=actor_id, action="assessment.accountability_closed",
                 subject_type="accountability", subject_id=row.id, now=now)


@dataclass(frozen=True)
class AccountabilityView:
    id: int
    subject: str
    reason: str
    result: str | None
    opened_on: str


def accountabilities(session: Session, *, actor_id: int, year: int, tz: ZoneInfo) -> list[AccountabilityView]:
    require(session, actor_id, frozenset({Role.director}))
    found = session.exec(select(Accountability).where(Accountability.year == year).order_by(col(Accountability.id)))
    out = []
    for a in list(found):
        subject = (Subject(SubjectKind.unit, a.unit_id) if a.unit_id is not None
                   else Subject(SubjectKind.village, a.village_id))
        out.append(AccountabilityView(a.id, subject_name(session, subject), a.reason, a.result,
                                      t.cn_date(a.opened_at.astimezone(tz).date())))
    return out
