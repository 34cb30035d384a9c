"""The reminder and escalation ladder for deadlines, as an idempotent sweep (DESIGN.md rule 3).

yellow (70 % of the time used) → the handler; the due day at the start of working hours → the
handler and the village's contact-point leaders; overdue → every working day the handler and,
from the first overdue working day, the director. Non-urgent reminders go out in working hours
only. A reminder row is unique per (case, step, day, person), so a sweep that runs twice, a
restart, or two processes never send the same reminder twice; 收到 stops a step's repeats.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from bot import texts
from bot.callbacks import (
    BaoanExtend,
    CaseResolve,
    CaseView,
    DeadlineExtend,
    DeadlineSet,
    ReminderAck,
    SuperviseCase,
)
from bot.services import audit, outbox
from bot.services.case_access import summary_line, type_name
from bot.services.deadlines import CENTER_TZ, RUNNING, DeadlinePolicy, fmt, light
from bot.services.errors import NotAllowed, NotFound
from bot.services.recipients import with_role
from bot.services.workdays import WorkCalendar
from bot.texts import notify
from models import (
    Case,
    CaseCoUnit,
    CaseType,
    ContactPoint,
    Outbox,
    Person,
    PersonRole,
    Reminder,
    Role,
    StepAck,
)

BATCH = 200
STEP_LABELS = {"yellow": "🟡 即将到期", "due_day": "⏰ 今天到期", "overdue": "🔴 已超期",
               "overdue_director": "🔴 超期督促"}


@dataclass(frozen=True)
class SweepResult:
    cases: int
    reminders: int


@dataclass
class _Known:
    """What a sweep needs to know about a batch of cases, read in a handful of queries for the whole
    batch rather than several per case (the cost per due case was 18 statements)."""

    acked: set[tuple[int, str]]  # (case, step) acknowledged with 收到
    reminded: set[tuple[int, str, int]]  # (case, step, person) reminded today
    types: dict[int, CaseType]
    persons: dict[int, Person]  # handlers and 包案 leaders
    unit_contacts: dict[int, list[Person]]
    contact_leaders: dict[int, list[Person]]
    directors: list[Person]
    co_units: dict[int, list[int]]  # case → its 协办 units (joint handling): chased like the lead unit

    @classmethod
    def load(cls, session: Session, cases: list[Case], today: date) -> "_Known":
        ids = [c.id for c in cases]
        person_ids = ({c.handler_id for c in cases} | {c.leader_id for c in cases}) - {None}
        co_units: dict[int, list[int]] = {}
        for case_id, unit_id in session.exec(select(CaseCoUnit.case_id, CaseCoUnit.unit_id).where(
                col(CaseCoUnit.case_id).in_(ids))):
            co_units.setdefault(case_id, []).append(unit_id)
        units = ({c.unit_id for c in cases} | {u for found in co_units.values() for u in found}) - {None}
        villages = {c.village_id for c in cases} - {None}
        unit_contacts_, leaders = {}, {}
        if units:
            rows = session.exec(select(Person).join(PersonRole, PersonRole.person_id == Person.id).where(
                col(Person.unit_id).in_(units), PersonRole.role == Role.unit, col(Person.active)))
            for person in rows:
                unit_contacts_.setdefault(person.unit_id, []).append(person)
        if villages:
            rows = session.exec(select(ContactPoint.village_id, Person).join(
                Person, ContactPoint.person_id == Person.id).where(
                col(ContactPoint.village_id).in_(villages), col(Person.active)))
            for village_id, person in rows:
                leaders.setdefault(village_id, []).append(person)
        return cls(
            acked=set(session.exec(select(StepAck.case_id, StepAck.step).where(col(StepAck.case_id).in_(ids)))),
            reminded=set(session.exec(select(Reminder.case_id, Reminder.step, Reminder.person_id).where(
                col(Reminder.case_id).in_(ids), Reminder.day == today))),
            types={t.id: t for t in session.exec(select(CaseType).where(
                col(CaseType.id).in_({c.type_id for c in cases})))},
            persons={p.id: p for p in session.exec(select(Person).where(
                col(Person.id).in_(person_ids)))} if person_ids else {},
            unit_contacts=unit_contacts_, contact_leaders=leaders,
            directors=with_role(session, Role.director), co_units=co_units,
        )

    def handlers(self, case: Case) -> list[Person]:
        """Who answers for the case now: the assigned person, or the unit's contacts."""
        people = [self.persons.get(case.handler_id)] if case.handler_id is not None else []
        people += self.unit_contacts.get(case.unit_id, [])
        return [p for p in people if p is not None and p.active]

    def co_handlers(self, case: Case, handler_ids: set[int]) -> list[Person]:
        """The contacts of the case's 协办 units who are not already reminded as its handlers."""
        return [p for unit_id in self.co_units.get(case.id, []) for p in self.unit_contacts.get(unit_id, [])
                if p.active and p.id not in handler_ids]



def _actions(case: Case, role: str) -> list[tuple[str, str]]:
    """The second button row, by what the recipient does with the case: the handler (and a 包案领导)
    asks for more time or closes it; the director steps in (督办, or sets the deadline); anyone
    else only looks (查看 is in the first row)."""
    if role == "handler":
        # A 包案 case's extension is the 包案领导's request to the party secretary.
        extend = (BaoanExtend if case.leader_id else DeadlineExtend)(case.id).pack()
        return [(texts.REMINDER_EXTEND, extend), (texts.REMINDER_DONE, CaseResolve(case.id).pack())]
    if role == "director":
        return [(texts.CARD_BUTTON_SUPERVISE, SuperviseCase(case.id).pack()), (texts.DL_BUTTON_SET, DeadlineSet(case.id).pack())]
    return []


def _ping(session: Session, known: _Known, case: Case, step: str, day: date, persons: list[Person],
          now: datetime, policy: DeadlinePolicy, light_text: str, role: str = "handler") -> int:
    case_type = known.types.get(case.type_id)
    fresh = []
    for person in {p.id: p for p in persons if p.telegram_id is not None}.values():
        if (case.id, step, person.id) in known.reminded:
            continue  # already reminded this person of this step today
        known.reminded.add((case.id, step, person.id))
        # No savepoint needed: the case row is locked by this sweep (SKIP LOCKED / SQLite's write
        # lock); the unique key stays as the last line of defence.
        fresh.append((person, Reminder(case_id=case.id, step=step, day=day, person_id=person.id, created_at=now)))
    if not fresh:
        return 0
    session.add_all([reminder for _, reminder in fresh])
    session.flush()  # one INSERT for the step's reminders; their ids go on the 收到 buttons
    text = notify.reminders.reminder(
        step=STEP_LABELS[step], number=case.number, type=type_name(case_type), summary=summary_line(case, 60),
        confidential=case.confidential, due=fmt(case.due_at, policy.tz), light=light_text,
    )
    actions = _actions(case, role)
    for person, reminder in fresh:
        buttons = [[(texts.REMINDER_ACK, ReminderAck(reminder.id).pack()), (texts.NOTIFY_VIEW_BUTTON, CaseView(case.id).pack())]]
        if actions:
            buttons.append(actions)
        # The key stands for the reminder row inserted just now (unique per case, step, day, person).
        outbox.enqueue(session, chat_id=person.telegram_id, person_id=person.id, text=text, buttons=buttons,
                       key=f"rem:{case.id}:{step}:{day.isoformat()}:p{person.id}", now=now, case=case, new_key=True)
    return len(fresh)


def _next_look(case: Case, now: datetime, cal: WorkCalendar, policy: DeadlinePolicy) -> datetime | None:
    """The next moment a step can be due for this case, inside working time."""
    due_day = case.due_at.astimezone(policy.tz).date()
    candidates = []
    if case.yellow_sent_at is None and case.yellow_at > now:
        candidates.append(case.yellow_at)
    if case.due_day_sent_at is None and cal.local(now).date() < due_day:
        candidates.append(cal.next_working_start(cal.at(due_day, policy.hours[0][0])))
    if now < case.due_at:
        candidates.append(cal.next_working_start(case.due_at))  # the first overdue moment
    else:  # overdue: again at the start of the next working day
        tomorrow = cal.at(cal.local(now).date() + timedelta(days=1), policy.hours[0][0])
        candidates.append(cal.next_working_start(tomorrow))
    return min(candidates)


def sweep(session: Session, *, now: datetime, policy: DeadlinePolicy, limit: int = BATCH) -> SweepResult:
    """One pass over the cases whose next step is due. Call repeatedly until it returns 0 cases."""
    cal = policy.calendar(session)
    if not cal.is_working_time(now):
        return SweepResult(0, 0)  # non-urgent reminders wait for working hours
    stmt = (
        select(Case)
        .where(col(Case.next_reminder_at).is_not(None), Case.next_reminder_at <= now)
        .order_by(col(Case.next_reminder_at))
        .limit(limit)
    )
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)  # two processes sweeping take different cases
    today = cal.local(now).date()
    count = reminders = 0
    batch = list(session.exec(stmt))
    known = _Known.load(session, batch, today) if batch else None
    for case in batch:
        count += 1
        if case.status not in RUNNING or case.paused_at is not None or case.due_at is None:
            case.next_reminder_at = None
            session.add(case)
            continue
        light_now = light(case, now, cal, policy.tz)
        light_text = f"{light_now.symbol} {light_now.left}"
        handlers = known.handlers(case)
        handler_ids = {p.id for p in handlers}  # one reminder per person: the handler's role wins
        co = known.co_handlers(case, handler_ids)  # 协办: the same steps, without the 办结 button
        due_day = case.due_at.astimezone(policy.tz).date()
        if case.yellow_sent_at is None and case.yellow_at <= now < case.due_at:
            # The highest step wins: on the due day 今天到期 says it all, so yellow stays quiet.
            if today < due_day and (case.id, "yellow") not in known.acked:
                reminders += _ping(session, known, case, "yellow", today, handlers, now, policy, light_text)
                reminders += _ping(session, known, case, "yellow", today, co, now, policy, light_text, role="co")
            case.yellow_sent_at = now
        if case.due_day_sent_at is None and today >= due_day:
            if today == due_day and (case.id, "due_day") not in known.acked:
                # the 包案领导 if the case has one, else the village's contact-point leaders
                baoan = known.persons.get(case.leader_id) if case.leader_id else None
                reminders += _ping(session, known, case, "due_day", today, handlers + ([baoan] if baoan else []),
                                   now, policy, light_text)
                reminders += _ping(session, known, case, "due_day", today, co, now, policy, light_text, role="co")
                if baoan is None:
                    leaders = [p for p in known.contact_leaders.get(case.village_id, []) if p.id not in handler_ids]
                    reminders += _ping(session, known, case, "due_day", today, leaders, now, policy, light_text,
                                       role="leader")
            case.due_day_sent_at = now
        if now >= case.due_at and today > due_day and case.overdue_sent_on != today:
            if (case.id, "overdue") not in known.acked:
                reminders += _ping(session, known, case, "overdue", today, handlers, now, policy, light_text)
                reminders += _ping(session, known, case, "overdue", today, co, now, policy, light_text, role="co")
            if (case.id, "overdue_director") not in known.acked:
                directors = [p for p in known.directors if p.id not in handler_ids]
                reminders += _ping(session, known, case, "overdue_director", today, directors, now, policy,
                                   light_text, role="director")
            case.overdue_sent_on = today
        case.next_reminder_at = _next_look(case, now, cal, policy)
        session.add(case)
    return SweepResult(count, reminders)


def _is_ack(data: str) -> bool:
    """The 收到 button of a copy (the case's other buttons stay when it goes)."""
    try:
        ReminderAck.parse(data)
    except ValueError:
        return False
    return True


def _close_copies(session: Session, reminder: Reminder, taker: Person, now: datetime, tz) -> None:
    """Every copy of the step (the handler's, the leaders') says who acknowledged it and when; the
    收到 button goes, the case's other buttons stay."""
    at = fmt(now, tz)
    copies = session.exec(select(Reminder).where(Reminder.case_id == reminder.case_id, Reminder.step == reminder.step))
    for copy in list(copies):
        key = f"rem:{copy.case_id}:{copy.step}:{copy.day.isoformat()}:p{copy.person_id}"
        row = session.exec(select(Outbox).where(Outbox.key == key)).first()
        if row is None or not row.text:  # its text was cleared (OUTBOX_TEXT_DAYS): the message stays as it is
            continue
        kept = [[(label, data) for label, data in line if not _is_ack(data)]
                for line in json.loads(row.buttons or "[]")]
        text = notify.reminders.acked(sent=row.text, taker=taker.name, at=at, yours=copy.person_id == taker.id)
        outbox.enqueue(session, chat_id=row.chat_id, person_id=row.person_id, text=text,
                       buttons=[line for line in kept if line] or None, key=outbox.edit_key_for(key, "ack"),
                       edit_key=key, now=now)


def acknowledge(session: Session, *, person_id: int, reminder_id: int, now: datetime, tz=CENTER_TZ) -> Reminder:
    """收到: the step is acknowledged for the case; its repeats stop, and every copy says so."""
    reminder = session.get(Reminder, reminder_id)
    if reminder is None:
        raise NotFound("没有找到这条提醒。")
    if reminder.person_id != person_id:
        raise NotAllowed("这条提醒不是发给您的。")
    if reminder.acked_at is None:
        reminder.acked_at = now
        session.add(reminder)
    if session.get(StepAck, (reminder.case_id, reminder.step)) is None:
        session.add(StepAck(case_id=reminder.case_id, step=reminder.step, person_id=person_id, at=now))
        audit.record(session, actor_id=person_id, action="case.reminder_ack", subject_type="case",
                     subject_id=reminder.case_id, now=now, note=STEP_LABELS[reminder.step])
        _close_copies(session, reminder, session.get(Person, person_id), now, tz)
    return reminder


def next_due(session: Session, *, now: datetime, policy: DeadlinePolicy) -> datetime | None:
    """When the sweep next has a reminder to send: the earliest next_reminder_at still ahead, moved
    to working time (reminders wait for it). None when no case waits for one; an earlier moment
    already passed means off-hours waiting, covered by next_working_start."""
    earliest = session.exec(
        select(Case.next_reminder_at).where(col(Case.next_reminder_at).is_not(None))
        .order_by(col(Case.next_reminder_at)).limit(1)
    ).first()
    if earliest is None:
        return None
    return policy.calendar(session).next_working_start(max(earliest, now))
