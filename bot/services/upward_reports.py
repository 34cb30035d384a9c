"""上报上级: what the center reported to higher departments about a case (信息报告制度: "向党委及
上级有关部门报告"; 服务承诺 三: a 重大疑难 matter is "同时上报上级部门和领导").

The departments (县委政法委, 县公安局 …) are outside the bot and are reached by phone, fax, their own
system or in writing, so the bot keeps the record only: which departments, how, and optionally who
received it or what they answered. A record is a `case.report_up` event (the case's history, the
case file, the ledgers), like 包案's 上级协调. A 重大疑难 case, or one whose 初报 went to the party
committee, with no record a working day later is chased once (a CaseChase row of kind "upper",
armed when the case is registered or the 初报 is sent: cases from before this feature have no row,
so an upgrade sends nothing about them). A case closed by then (已答复, 归档, 转办, 不予受理) is not
chased: the center's part in it is over.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from bot.callbacks import CaseView, UpwardStart
from bot.services import audit, chases, people, reference
from bot.services.access import MANAGE_PEOPLE
from bot.services.case_access import (
    can_view,
    person_name,
    record_event,
    reporter_view,
    summary_line,
    type_name,
    visible_case,
    writes_reports,
)
from bot.services.cases import CLOSED
from bot.services.deadlines import DeadlinePolicy, fmt
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.recipients import tell, with_role
from bot.services.typed import between
from bot.texts import NOTIFY_VIEW_BUTTON, TOO_LONG, notify
from bot.texts import upward as words
from models import (
    AuditEvent,
    Case,
    CaseChase,
    CaseStatus,
    InfoReport,
    Person,
    Role,
    Severity,
    UpperDepartment,
    UpwardWay,
)

ACTION = "report_up"
EVENT = f"case.{ACTION}"
CHASE_KIND = "upper"  # CaseChase.kind; bot/services/chases.py leaves these rows to this module
NOTE_MAX = 200  # who received it / their answer
BATCH = chases.BATCH  # chases.due's batch
MAX_DEPARTMENTS = 12  # the picker's buttons
DEPARTMENT_CHARS = (2, 20)


@dataclass(frozen=True)
class UpwardRecord:
    at: datetime
    by: str  # who recorded it (a name)
    departments: tuple[str, ...]
    way: str  # an UpwardWay value
    reply: str  # who received it / the answer; "" when none (or not for this viewer)

    @property
    def department_text(self) -> str:
        return "、".join(self.departments)


def records(session: Session, *, case_id: int, since: datetime | None = None) -> list[UpwardRecord]:
    """The case's upward records, oldest first (those made at or after `since`, when given)."""
    stmt = select(AuditEvent).where(AuditEvent.subject_type == "case", AuditEvent.subject_id == case_id,
                                    AuditEvent.action == EVENT)
    if since is not None:
        stmt = stmt.where(AuditEvent.at >= since)
    return [_record_of(session, ev) for ev in session.exec(stmt.order_by(col(AuditEvent.at), col(AuditEvent.id)))]


def _record_of(session: Session, ev: AuditEvent) -> UpwardRecord:
    return UpwardRecord(at=ev.at, by=person_name(session, ev.actor_id),
                        departments=tuple(ev.details.get("departments") or ()), way=str(ev.details.get("way") or ""),
                        reply=str(ev.details.get("reply") or ""))


def seen_by(viewer: people.PersonView, case: Case, found: list[UpwardRecord]) -> tuple[UpwardRecord, ...]:
    """What `viewer` is shown: the departments are not confidential, the answer follows the card's
    rule (a confidential case's reporter does not see what others added)."""
    if reporter_view(viewer, case):
        return tuple(replace(r, reply="") for r in found)
    return tuple(found)


def is_due(session: Session, case: Case) -> bool:
    """A case that must be reported upward: 重大疑难, or one with a 信息报告."""
    if Severity(case.severity) == Severity.major:
        return True
    return session.exec(select(InfoReport.id).where(InfoReport.case_id == case.id).limit(1)).first() is not None


def may_record(session: Session, viewer: people.PersonView, case: Case) -> bool:
    """record()'s rule, for the card's button: whoever writes the case's reports, on a case that is due."""
    return (not reporter_view(viewer, case) and can_view(viewer, case) and writes_reports(viewer, case)
            and is_due(session, case))


def _writable(session: Session, actor_id: int, case_id: int, *, lock: bool = False) -> tuple[people.PersonView, Case]:
    actor, case = visible_case(session, actor_id, case_id, reporter=True, lock=lock)
    if reporter_view(actor, case):
        raise NotAllowed(words.CONFIDENTIAL_REPORTER)
    if not writes_reports(actor, case):
        raise NotAllowed(words.NOT_WRITER)
    if not is_due(session, case):
        raise InvalidInput(words.NOT_DUE.format(number=case.number))
    return actor, case


@dataclass(frozen=True)
class UpwardChoices:
    case_id: int
    number: str
    departments: tuple["Department", ...]  # the list, in its order (buttons carry the id)


def choices(session: Session, *, actor_id: int, case_id: int, defaults: Sequence[str], now: datetime) -> UpwardChoices:
    """The checks record() makes, before the person picks anything: a stale or forged button is
    refused at the press."""
    _, case = _writable(session, actor_id, case_id)
    return UpwardChoices(case_id=case.id, number=case.number,
                         departments=tuple(departments(session, defaults=defaults, now=now)))


def record(session: Session, *, actor_id: int, case_id: int, departments: Sequence[str], way: UpwardWay,
           reply: str | None, now: datetime) -> UpwardRecord:
    """The case was reported to `departments` (names on the list) by `way`."""
    actor, case = _writable(session, actor_id, case_id, lock=True)
    picked = set(departments)
    if not picked:
        raise InvalidInput(words.NO_DEPARTMENT)
    known = [d.name for d in _active(session)]
    if unknown := sorted(picked - set(known)):  # the list changed while the person was choosing
        raise InvalidInput(words.UNKNOWN_DEPARTMENT.format(name=unknown[0]))
    names = [n for n in known if n in picked]  # the list's order, each once
    reply = " ".join((reply or "").split())
    if len(reply) > NOTE_MAX:
        raise InvalidInput(TOO_LONG.format(limit=NOTE_MAX))
    way = UpwardWay(way)
    note = words.HISTORY_NOTE.format(departments="、".join(names), way=way.value) + (
        words.CARD_REPLY.format(text=reply) if reply else "")
    event = record_event(session, actor.id, case, ACTION, now, note=note, departments=names, way=way.value,
                         reply=reply or None)
    case.updated_at = now
    session.add(case)
    for row in session.exec(select(CaseChase).where(CaseChase.case_id == case.id, CaseChase.kind == CHASE_KIND)):
        row.done, row.next_at = True, None  # reported: nothing left to chase
        session.add(row)
    return _record_of(session, event)


# --- the list of higher departments (/admin) ------------------------------------------------------


@dataclass(frozen=True)
class Department:
    id: int
    name: str


def _active(session: Session) -> list[UpperDepartment]:
    return list(session.exec(select(UpperDepartment).where(col(UpperDepartment.active))
                             .order_by(col(UpperDepartment.seq), col(UpperDepartment.id))))


def departments(session: Session, *, defaults: Sequence[str], now: datetime) -> list[Department]:
    """The list in its order; made from `defaults` (the UPPER_DEPARTMENTS setting) the first time."""
    if session.exec(select(UpperDepartment.id).limit(1)).first() is None:
        try:
            with session.begin_nested():
                session.add_all(UpperDepartment(name=name, seq=seq, changed_at=now)
                                for seq, name in enumerate(defaults, start=1))
        except IntegrityError:
            pass  # another unit of work made it a moment ago
    return [Department(d.id, d.name) for d in _active(session)]


def _editor(session: Session, actor_id: int) -> people.PersonView:
    actor = people.get(session, person_id=actor_id)
    if not actor.active or not actor.has(*MANAGE_PEOPLE):
        raise NotAllowed(words.NOT_EDITOR)
    return actor


def add_department(session: Session, *, actor_id: int, name: str, defaults: Sequence[str], now: datetime) -> Department:
    """One more department at the end of the list (one removed before comes back)."""
    _editor(session, actor_id)
    listed = departments(session, defaults=defaults, now=now)
    bad = words.BAD_DEPARTMENT_NAME.format(low=DEPARTMENT_CHARS[0], high=DEPARTMENT_CHARS[1])
    name = between(name, *DEPARTMENT_CHARS, bad)
    if any(c in name for c in ",，、"):  # records join the names with 、
        raise InvalidInput(bad)
    if name in {d.name for d in listed}:
        raise InvalidInput(words.DEPARTMENT_LISTED.format(name=name))
    if len(listed) >= MAX_DEPARTMENTS:
        raise InvalidInput(words.DEPARTMENTS_FULL.format(limit=MAX_DEPARTMENTS))
    last = session.exec(select(func.max(UpperDepartment.seq))).one() or 0
    row = session.exec(select(UpperDepartment).where(UpperDepartment.name == name)).first() \
        or UpperDepartment(name=name, seq=0, changed_at=now)
    row.seq, row.active, row.changed_at = last + 1, True, now
    session.add(row)
    session.flush()
    audit.record(session, actor_id=actor_id, action="upper_department.added", subject_type="upper_department",
                 subject_id=row.id, now=now, name=name)
    return Department(row.id, row.name)


def remove_department(session: Session, *, actor_id: int, department_id: int, now: datetime) -> str:
    """Off the list (records made with it keep its name); at least one stays. Returns its name."""
    _editor(session, actor_id)
    row = session.get(UpperDepartment, department_id)
    if row is None or not row.active:
        raise InvalidInput(words.DEPARTMENT_GONE)
    if len(_active(session)) <= 1:
        raise InvalidInput(words.LAST_DEPARTMENT)
    row.active, row.changed_at = False, now
    session.add(row)
    audit.record(session, actor_id=actor_id, action="upper_department.removed", subject_type="upper_department",
                 subject_id=row.id, now=now, name=row.name)
    return row.name


# --- the chase ---------------------------------------------------------------------------------


def arm(session: Session, *, case: Case, now: datetime) -> None:
    """A case became due for an upward report (registered as 重大疑难, or its 初报 sent): chase it a
    working day from now unless it is reported by then. Armed once: a 初报 sent after a major case
    was registered keeps the earlier deadline."""
    exists = session.exec(select(CaseChase.id).where(CaseChase.case_id == case.id,
                                                     CaseChase.kind == CHASE_KIND)).first()
    if exists is None and not records(session, case_id=case.id):
        session.add(CaseChase(case_id=case.id, kind=CHASE_KIND, armed_at=now))


def _recipients(session: Session, case: Case) -> list[Person]:
    """The directors and the case's reporter (who writes its reports), if they may open it."""
    found = list(with_role(session, Role.director))
    reporter = session.get(Person, case.reporter_id) if case.reporter_id else None
    if reporter is not None and reporter.active:
        found.append(reporter)
    return [p for p in found if may_record(session, people.get(session, person_id=p.id), case)]


def sweep(session: Session, *, now: datetime, policy: DeadlinePolicy) -> int:
    """Due chases, once each, in working hours (like the other chases); returns the rows looked at."""
    cal = policy.calendar(session)
    if not cal.is_working_time(now):
        return 0
    rows = chases.due(session, kinds=(CHASE_KIND,), now=now)
    for row in rows:
        case = session.get(Case, row.case_id)
        if case is None or CaseStatus(case.status) in CLOSED or records(session, case_id=case.id):
            row.done, row.next_at = True, None  # reported, or closed before the chase fired
        else:
            if row.next_at is None:  # freshly armed: the end of the next working day
                row.next_at = cal.add_working_days(row.armed_at, 1).at
            if row.next_at <= now:
                _chase(session, case, row, now, policy)
                row.done, row.next_at = True, None
        session.add(row)
    return len(rows)


def _chase(session: Session, case: Case, row: CaseChase, now: datetime, policy: DeadlinePolicy) -> int:
    text = notify.upward.chase(number=case.number, type=type_name(reference.case_type(session, case.type_id)),
                               summary=summary_line(case, 60), confidential=case.confidential,
                               at=fmt(row.armed_at, policy.tz), first_report=Severity(case.severity) != Severity.major)
    buttons = [[(words.CARD_BUTTON, UpwardStart(case.id).pack()), (NOTIFY_VIEW_BUTTON, CaseView(case.id).pack())]]
    return tell(session, _recipients(session, case), text, buttons,
                key=f"upward:{case.id}:{int(row.armed_at.timestamp())}", now=now, case=case)
