"""Cases waiting on the center are chased (DESIGN.md rule 3: rows with due times, idempotent sweeps).

A case still 已登记 after a set working time (1 working day; 1 working hour if urgent) is chased
at the case desk (受理台), and one period later at the director. After 办结 the reply to the
party (答复) is chased the same way: the handler, then the director. Each chase goes out once
(the row's level and the outbox key), in working hours only, like the deadline reminders.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, or_, select

from bot import texts
from bot.callbacks import CaseAccept, CaseReply, CaseView
from bot.services import outbox, people, reference
from bot.services.case_access import can_view, summary_line, type_name
from bot.services.deadlines import DeadlinePolicy, fmt
from bot.services.recipients import case_desk, unit_contacts, with_role
from bot.services.workdays import WorkCalendar
from bot.texts import notify
from models import AuditEvent, Case, CaseChase, CaseStatus, Person, Role

BATCH = 200
ACCEPT, REPLY = "accept", "reply"  # the action the case waits for (cases.await_action arms the row)
# the chase ends once the case moves on; rows of other kinds (上报上级: upward_reports.sweep) are not ours
WAITING_IN = {ACCEPT: CaseStatus.registered, REPLY: CaseStatus.resolved}
LEVELS = 2  # 0: the case desk / the handler, 1: the director


@dataclass(frozen=True)
class ChasePolicy:
    accept_days: float = 1  # working days an ordinary case may wait for 受理
    accept_urgent_hours: float = 1  # working hours an urgent one may
    reply_days: float = 3  # working days from 办结 to the reply to the party

    @classmethod
    def from_settings(cls, settings) -> "ChasePolicy":
        return cls(accept_days=settings.chase_accept_days, accept_urgent_hours=settings.chase_accept_urgent_hours,
                   reply_days=settings.chase_reply_days)

    def period_seconds(self, case: Case, kind: str, cal: WorkCalendar) -> float:
        day = sum((datetime.combine(datetime.min, e) - datetime.combine(datetime.min, s)).total_seconds()
                  for s, e in cal.hours)
        if kind == REPLY:
            return self.reply_days * day
        return self.accept_urgent_hours * 3600 if case.urgent else self.accept_days * day


def _resolver(session: Session, case: Case) -> list[Person]:
    """Who recorded 办结, when the case has no handler of its own."""
    stmt = (select(AuditEvent.actor_id)
            .where(AuditEvent.subject_type == "case", AuditEvent.subject_id == case.id,
                   AuditEvent.action == "case.resolve")
            .order_by(col(AuditEvent.id).desc()))
    actor_id = session.exec(stmt).first()
    person = session.get(Person, actor_id) if actor_id is not None else None
    return [person] if person is not None and person.active else []


def _recipients(session: Session, case: Case, kind: str, level: int) -> list[Person]:
    if level > 0:
        found = with_role(session, Role.director)
    elif kind == ACCEPT:
        found = case_desk(session)
    else:
        handler = session.get(Person, case.handler_id) if case.handler_id else None
        found = [p for p in [handler, *unit_contacts(session, case.unit_id)] if p is not None and p.active]
        found = found or _resolver(session, case)
    unique = {p.id: p for p in found if p.telegram_id is not None}.values()
    # A confidential case is chased only with people who may open it.
    return [p for p in unique if can_view(people.get(session, person_id=p.id), case)]


def _chase(session: Session, case: Case, row: CaseChase, now: datetime, tz) -> int:
    case_type = reference.case_type(session, case.type_id)
    fields = dict(number=case.number, type=type_name(case_type), summary=summary_line(case, 60),
                  confidential=case.confidential)
    view = (texts.NOTIFY_VIEW_BUTTON, CaseView(case.id).pack())
    if row.kind == ACCEPT:
        chase = notify.chases.accept if row.level == 0 else notify.chases.accept_director
        text = chase(created=fmt(case.created_at, tz), **fields)
        buttons = [[(texts.ACTION_LABELS["accept"], CaseAccept(case.id).pack()), view]]
    elif row.level == 0:
        text = notify.chases.reply(resolved=fmt(case.resolved_at, tz), **fields)
        buttons = [[(texts.ACTION_LABELS["reply"], CaseReply(case.id).pack()), view]]
    else:  # the director looks and presses the handler; recording the reply is the handler's
        text, buttons = notify.chases.reply_director(resolved=fmt(case.resolved_at, tz), **fields), [[view]]
    armed = int(row.armed_at.timestamp())
    sent = 0
    for person in _recipients(session, case, row.kind, row.level):
        sent += outbox.enqueue(session, chat_id=person.telegram_id, person_id=person.id, text=text, buttons=buttons,
                               key=f"chase:{case.id}:{row.kind}:{armed}:l{row.level}:p{person.id}", now=now,
                               protect=case.confidential)
    return sent


def due(session: Session, *, kinds: tuple[str, ...], now: datetime) -> list[CaseChase]:
    """A batch of the chases of these kinds that are due or not yet scheduled (next_at NULL), oldest
    first; on PostgreSQL locked, skipping rows another instance holds."""
    stmt = (select(CaseChase)
            .where(col(CaseChase.kind).in_(kinds), col(CaseChase.done).is_(False),
                   or_(col(CaseChase.next_at).is_(None), col(CaseChase.next_at) <= now))
            .order_by(col(CaseChase.id)).limit(BATCH))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return list(session.exec(stmt))


def sweep(session: Session, *, now: datetime, policy: DeadlinePolicy, chase: ChasePolicy) -> int:
    """One batch of due chases; returns how many rows it looked at (call again while it is BATCH)."""
    cal = policy.calendar(session)
    if not cal.is_working_time(now):
        return 0  # like the reminders: chases wait for working hours
    rows = due(session, kinds=tuple(WAITING_IN), now=now)
    for row in rows:
        case = session.get(Case, row.case_id)
        if case is None or case.status != WAITING_IN[row.kind]:
            row.done, row.next_at = True, None
        else:
            period = timedelta(seconds=chase.period_seconds(case, row.kind, cal))
            if row.next_at is None:  # freshly armed: schedule the first chase
                row.next_at = cal.add_working_seconds(row.armed_at, period.total_seconds())
            if row.next_at <= now:
                _chase(session, case, row, now, policy.tz)
                row.level += 1
                row.done = row.level >= LEVELS
                # the next level one more period after this chase (a late sweep never sends both at once)
                row.next_at = None if row.done else cal.add_working_seconds(now, period.total_seconds())
        session.add(row)
    return len(rows)
