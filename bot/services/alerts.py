"""Urgent alerts at any hour, the duty roster (值班表), the off-hours digest and the calendar warning.

An urgent report reaches the on-duty staff, the leader on call, the village's contact-point
leaders and the director at once, each with a 收到 button; unacknowledged after N minutes it
climbs to the next person up (the secretary), then repeats to everyone until someone answers.
A non-urgent report that arrives off-hours waits for one digest at the next working period.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, delete, select

from bot import texts
from bot.callbacks import CaseView, UrgentAck
from bot.callbacks import DutyDay as ArrangeDay
from bot.services import audit, outbox, people, reference, scene
from bot.services.access import MANAGE_PEOPLE, require
from bot.services.case_access import summary_line, type_name
from bot.services.deadlines import CENTER_TZ, DeadlinePolicy, fmt
from bot.services.errors import InvalidInput, NotFound
from bot.services.recipients import case_desk, contact_leaders, tell, with_role
from bot.services.workdays import WorkCalendar
from bot.texts import notify
from models import Case, DutyRole, DutyShift, Outbox, Person, Role, UrgentAlert


@dataclass(frozen=True)
class AlertPolicy:
    ack_minutes: int = 10
    handover: time = time(8, 30)


# --- the duty roster ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DutyDay:
    day: date
    duty: tuple[str, ...]
    leader: tuple[str, ...]


def duty_people(session: Session, *, day: date, role: DutyRole) -> list[Person]:
    stmt = (
        select(Person)
        .join(DutyShift, DutyShift.person_id == Person.id)
        .where(DutyShift.day == day, DutyShift.role == role, col(Person.active))
    )
    return list(session.exec(stmt))


def set_duty(session: Session, *, actor_id: int, day: date, duty_ids: list[int], leader_ids: list[int],
             now: datetime) -> DutyDay:
    actor = people.get(session, person_id=actor_id)
    require(actor.roles, MANAGE_PEOPLE | {Role.leader})
    if not duty_ids:
        raise InvalidInput("请至少安排一名值班人员。")
    session.exec(delete(DutyShift).where(DutyShift.day == day))
    for pid in duty_ids:
        session.add(DutyShift(day=day, person_id=people.get(session, person_id=pid).id, role=DutyRole.duty))
    for pid in leader_ids:
        session.add(DutyShift(day=day, person_id=people.get(session, person_id=pid).id, role=DutyRole.leader))
    session.flush()
    audit.record(session, actor_id=actor.id, action="duty.set", subject_type="duty", subject_id=None, now=now,
                 day=day.isoformat(), duty=duty_ids, leader=leader_ids)
    return roster_day(session, day=day)


def roster_day(session: Session, *, day: date) -> DutyDay:
    return DutyDay(
        day=day,
        duty=tuple(p.name for p in duty_people(session, day=day, role=DutyRole.duty)),
        leader=tuple(p.name for p in duty_people(session, day=day, role=DutyRole.leader)),
    )


def phone_first(session: Session, *, day: date) -> str:
    """Whom an urgent report is phoned to first: the day's duty staff and leader on call with their
    numbers, or, with nobody on the roster, the center's director."""
    def contacts(persons: list[Person]) -> list[tuple[str, str | None]]:
        return [(p.name, p.phone) for p in persons]

    duty = contacts(duty_people(session, day=day, role=DutyRole.duty))
    leaders = contacts(duty_people(session, day=day, role=DutyRole.leader))
    # the directors only matter when nobody is on the roster
    directors = [] if duty or leaders else contacts(with_role(session, Role.director))
    return notify.alerts.phone_first(duty=duty, leaders=leaders, directors=directors)


def import_roster(session: Session, *, actor_id: int, rows: list[tuple[int, str, str, str]], now: datetime) -> int:
    """Bulk upload: rows of (row number, date, duty names separated by 、, leader name). All or nothing."""
    actor = people.get(session, person_id=actor_id)
    require(actor.roles, MANAGE_PEOPLE | {Role.leader})
    by_name: dict[str, list[Person]] = {}
    for p in session.exec(select(Person).where(col(Person.active))):
        by_name.setdefault(p.name, []).append(p)
    errors, plan = [], []
    for row, day_text, duty_text, leader_text in rows:
        try:
            day = date.fromisoformat(day_text.strip().replace("/", "-"))
        except ValueError:
            errors.append(f"第 {row} 行：日期应为 2026-12-01 这样的格式")
            continue
        ids = []
        for role, names in ((DutyRole.duty, duty_text), (DutyRole.leader, leader_text)):
            for name in [n for n in names.replace("，", "、").replace(",", "、").split("、") if n.strip()]:
                found = by_name.get(name.strip(), [])
                if len(found) != 1:
                    errors.append(f"第 {row} 行：{'找不到' if not found else '有重名的'}人员「{name.strip()}」")
                else:
                    ids.append((role, found[0].id))
        if not any(r == DutyRole.duty for r, _ in ids):
            errors.append(f"第 {row} 行：至少要有一名值班人员")
        plan.append((day, ids))
    if errors:
        raise InvalidInput("值班表有错误，未导入：\n" + "\n".join(errors[:20]))
    for day, ids in plan:
        session.exec(delete(DutyShift).where(DutyShift.day == day))
        for role, pid in dict.fromkeys(ids):
            session.add(DutyShift(day=day, person_id=pid, role=role))
    audit.record(session, actor_id=actor.id, action="duty.import", subject_type="duty", subject_id=None, now=now,
                 days=len(plan))
    return len(plan)


def sweep_handover(session: Session, *, now: datetime, policy: DeadlinePolicy, alert: AlertPolicy) -> int:
    """Once a day at hand-over time: tell the day's duty people and the leader on call."""
    loc = now.astimezone(policy.tz)
    if loc.time() < alert.handover:
        return 0
    day = loc.date()
    roster = roster_day(session, day=day)
    sent = 0
    for role in (DutyRole.duty, DutyRole.leader):
        for person in duty_people(session, day=day, role=role):
            if person.telegram_id is None:
                continue
            text = notify.alerts.duty_handover(day=day.strftime("%m月%d日"), leader_on_call=role == DutyRole.leader,
                                               duty=roster.duty, leaders=roster.leader)
            sent += outbox.enqueue(session, chat_id=person.telegram_id, person_id=person.id, text=text,
                                   key=f"duty:{day.isoformat()}:p{person.id}", now=now)
    return sent


# --- urgent alerts -----------------------------------------------------------------------------


def _ladder(session: Session, case: Case, level: int, today: date) -> list[Person]:
    if level == 0:
        return [
            *duty_people(session, day=today, role=DutyRole.duty),
            *duty_people(session, day=today, role=DutyRole.leader),
            *contact_leaders(session, case.village_id),
            *with_role(session, Role.director),
        ]
    if level == 1:  # the next person up
        return with_role(session, Role.secretary)
    # still nobody: everyone on the ladder again
    return _ladder(session, case, 0, today) + _ladder(session, case, 1, today)


def first_responders(session: Session, case: Case, *, now: datetime, tz) -> set[int]:
    """Who an urgent case's alert reaches first: they get the alert instead of the new-case message."""
    today = now.astimezone(tz).date()
    return {p.id for p in _ladder(session, case, 0, today) if p.telegram_id is not None and p.id != case.reporter_id}


def _alert_text(session: Session, case: Case, escalated_after: int | None = None) -> str:
    village = reference.village(session, case.village_id)
    return notify.alerts.urgent(
        number=case.number, type=type_name(reference.case_type(session, case.type_id)),
        village=village.name if village else None, summary=summary_line(case, 80), confidential=case.confidential,
        reporter=people.get(session, person_id=case.reporter_id).name, escalated_after=escalated_after,
    )


def _send_alert(session: Session, alert: UrgentAlert, case: Case, now: datetime, policy: DeadlinePolicy) -> int:
    today = now.astimezone(policy.tz).date()
    text = _alert_text(session, case, None if alert.level == 0 else
                       int((now - alert.created_at).total_seconds() // 60))
    buttons = [[(texts.URGENT_ACK, UrgentAck(alert.id).pack()), (texts.NOTIFY_VIEW_BUTTON, CaseView(case.id).pack())]]
    on_site = {p.id for p in contact_leaders(session, case.village_id)}  # 工作联系点: 已到场 (scene.py)
    sent = 0
    for person in {p.id: p for p in _ladder(session, case, alert.level, today)}.values():
        if person.telegram_id is None or person.id == case.reporter_id:
            continue
        mine = [*buttons, scene.arrival_button(case.id)] if person.id in on_site else buttons
        sent += outbox.enqueue(session, chat_id=person.telegram_id, person_id=person.id, text=text, buttons=mine,
                               key=f"urg:{alert.id}:l{alert.level}:p{person.id}", urgent=True, now=now,
                               case=case)
    return sent


def _close_copies(session: Session, alert: UrgentAlert, case: Case, taker: Person, now: datetime, tz) -> None:
    """Every copy of the alert and of its escalations now says who took it and when, without the
    收到 button (queued with the acknowledgement, so nobody presses a live button afterwards). The
    contact-point leaders keep 「已到场」: they still go to the scene."""
    base = _alert_text(session, case)
    at = fmt(now, tz)
    on_site = {p.id for p in contact_leaders(session, case.village_id)}
    copies = session.exec(select(Outbox).where(outbox.keys_under(session, f"urg:{alert.id}:l"),
                                               col(Outbox.edit_key).is_(None)))
    for copy in list(copies):
        text = notify.alerts.urgent_acked(alert=base, taker=taker.name, at=at, yours=copy.person_id == taker.id)
        outbox.enqueue(session, chat_id=copy.chat_id, person_id=copy.person_id, text=text,
                       buttons=[scene.arrival_button(case.id)] if copy.person_id in on_site else None,
                       key=outbox.edit_key_for(copy.key, "ack"), edit_key=copy.key, urgent=True,
                       now=now)


def open_urgent_alert(session: Session, *, case: Case, now: datetime, policy: DeadlinePolicy,
                      alert_policy: AlertPolicy) -> UrgentAlert:
    alert = UrgentAlert(case_id=case.id, level=0, created_at=now,
                        next_at=now + timedelta(minutes=alert_policy.ack_minutes))
    session.add(alert)
    session.flush()
    _send_alert(session, alert, case, now, policy)
    return alert


def sweep_urgent(session: Session, *, now: datetime, policy: DeadlinePolicy, alert_policy: AlertPolicy) -> int:
    """Any hour: climb one step for every alert nobody acknowledged in time."""
    stmt = select(UrgentAlert).where(col(UrgentAlert.acked_at).is_(None), UrgentAlert.next_at <= now).limit(100)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    count = 0
    for alert in session.exec(stmt):
        alert.level += 1
        alert.next_at = now + timedelta(minutes=alert_policy.ack_minutes)
        session.add(alert)
        _send_alert(session, alert, session.get(Case, alert.case_id), now, policy)
        count += 1
    return count


def acknowledge_urgent(session: Session, *, person_id: int, alert_id: int, now: datetime,
                       tz=CENTER_TZ) -> tuple[bool, str]:
    """收到: the first to press owns the response; the reporter is told who acknowledged.
    Returns (first?, name of who acknowledged)."""
    stmt = select(UrgentAlert).where(UrgentAlert.id == alert_id)
    alert = session.exec(stmt.with_for_update()).first()
    if alert is None:
        raise NotFound("没有找到这条紧急提醒。")
    if alert.acked_at is not None:
        return False, people.get(session, person_id=alert.acked_by_id).name
    person = people.get(session, person_id=person_id)
    alert.acked_at, alert.acked_by_id = now, person.id
    session.add(alert)
    case = session.get(Case, alert.case_id)
    audit.record(session, actor_id=person.id, action="case.urgent_ack", subject_type="case", subject_id=case.id,
                 now=now, note=f"{person.name} 确认收到紧急提醒")
    _close_copies(session, alert, case, session.get(Person, person.id), now, tz)
    reporter = session.get(Person, case.reporter_id)
    if reporter is not None and reporter.telegram_id is not None and reporter.id != person.id:
        outbox.enqueue(session, chat_id=reporter.telegram_id, person_id=reporter.id, urgent=True, now=now,
                       text=notify.alerts.urgent_acked_reporter(number=case.number, taker=person.name),
                       key=f"urg:{alert.id}:acked:p{reporter.id}", case=case)
    return True, person.name


# --- off-hours digest --------------------------------------------------------------------------


def digest_waiting():
    """The cases waiting for the next digest, oldest first: through the partial index ix_case_digest_pending,
    so the sweep (every run in working hours) reads only them, not the year's cases."""
    return select(Case).where(col(Case.digest_pending)).order_by(col(Case.id)).limit(500)


def sweep_digest(session: Session, *, now: datetime, policy: DeadlinePolicy, cal: WorkCalendar | None = None) -> int:
    """At the start of the next working period: one message per person listing what came in."""
    cal = cal or policy.calendar(session)
    if not cal.is_working_time(now):
        return 0
    pending = list(session.exec(digest_waiting()))
    if not pending:
        return 0
    per_person: dict[int, tuple[Person, list[Case]]] = {}
    for case in pending:
        case.digest_pending = False
        session.add(case)
        recipients = [*contact_leaders(session, case.village_id), *case_desk(session)]
        if case.confidential:
            recipients = with_role(session, Role.director) + with_role(session, Role.secretary)
        for person in recipients:
            if person.telegram_id is not None and person.active and person.id != case.reporter_id:
                per_person.setdefault(person.id, (person, []))[1].append(case)
    stamp = now.astimezone(policy.tz).strftime("%Y%m%d%H%M")
    for person, items in per_person.values():
        buttons = [[(c.number, CaseView(c.id).pack())] for c in items[:10]]
        outbox.enqueue(session, chat_id=person.telegram_id, person_id=person.id, buttons=buttons, now=now,
                       text=notify.alerts.digest(cases=[(c.number, summary_line(c, 40), c.confidential) for c in items]),
                       key=f"digest:{stamp}:p{person.id}:c{items[0].id}",
                       protect=any(outbox.protect_for(c) for c in items))
    return len(pending)


# --- gaps in the roster ------------------------------------------------------------------------

# How far ahead a gap is chased: through the second next working day, with the weekend or holiday
# between (on a Friday: Saturday to Tuesday). Near enough to matter, far enough to arrange it.
DUTY_LOOKAHEAD = 2
DUTY_GAP_BUTTONS = 5  # a roster empty for longer is a case for /duty's bulk upload
DUTY_IN_USE = timedelta(days=30)


@dataclass(frozen=True)
class DutyGap:
    day: date
    no_duty: bool  # nobody on duty (值班)
    no_leader: bool  # no leader on call (带班领导)


def duty_gaps(session: Session, *, today: date, cal: WorkCalendar) -> list[DutyGap]:
    """The days from today through the DUTY_LOOKAHEAD-th next working day that have nobody active on
    duty or no active leader on call: an urgent report off-hours would reach nobody on the roster.
    None while the center keeps no roster (nothing in the last DUTY_IN_USE days or ahead): then every
    report is phoned to the director (phone_first) and a daily warning would only nag."""
    in_use = session.exec(select(DutyShift.id).where(DutyShift.day >= today - DUTY_IN_USE).limit(1)).first()
    if in_use is None:
        return []
    last, counted = today, 0
    while counted < DUTY_LOOKAHEAD:
        last += timedelta(days=1)
        counted += cal.is_workday(last)[0]
    staffed = set(session.exec(
        select(DutyShift.day, DutyShift.role).join(Person, col(Person.id) == DutyShift.person_id)
        .where(DutyShift.day >= today, DutyShift.day <= last, col(Person.active))))
    days = (today + timedelta(days=n) for n in range((last - today).days + 1))
    gaps = (DutyGap(d, (d, DutyRole.duty) not in staffed, (d, DutyRole.leader) not in staffed) for d in days)
    return [g for g in gaps if g.no_duty or g.no_leader]


def sweep_duty_gaps(session: Session, *, now: datetime, policy: DeadlinePolicy) -> int:
    """Once a working day, in working hours: the director and the admins hear of the roster's gaps
    (服务承诺 二: 合理安排值班人员随时接访), with a button to arrange each day. While a gap stays, it is
    said again the next working day: an empty day is a hole in the urgent alerts, not a one-off note."""
    cal = policy.calendar(session)
    if not cal.is_working_time(now):
        return 0
    today = cal.local(now).date()
    gaps = duty_gaps(session, today=today, cal=cal)
    if not gaps:
        return 0
    text = notify.alerts.duty_gaps([(g.day, g.no_duty, g.no_leader) for g in gaps], today=today)
    buttons = [[(texts.DUTY_GAP_BUTTON.format(md=f"{g.day.month}月{g.day.day}日"),
                 ArrangeDay(f"{g.day:%Y%m%d}").pack())] for g in gaps[:DUTY_GAP_BUTTONS]]
    return tell(session, [*with_role(session, Role.director), *with_role(session, Role.admin)], text, buttons,
                key=f"dutygap:{today.isoformat()}", now=now)


# --- next year's calendar ----------------------------------------------------------------------


def sweep_calendar_warning(session: Session, *, now: datetime, policy: DeadlinePolicy) -> int:
    """From 1 November, once a day: tell admins if next year's official schedule is missing."""
    loc = now.astimezone(policy.tz)
    if loc.month < 11:
        return 0
    year = loc.year + 1
    if policy.calendar(session).year_known(year):
        return 0
    sent = 0
    for chat_id in people.manager_telegram_ids(session):
        sent += outbox.enqueue(session, chat_id=chat_id, text=notify.alerts.calendar_missing(year=year), now=now,
                               key=f"calendar:{year}:{loc.date().isoformat()}:{chat_id}")
    return sent
