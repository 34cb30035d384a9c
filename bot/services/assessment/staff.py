"""Per-person records of the center's staff (首问责任制): in a year, the 首问 they took (cases whose
首问责任人 they were), the out-of-scope guidance they gave (of those, the ones answered with guidance
or 不予受理/告知), their cases' 按期办结率 and 满意率 (as /stats defines them: resolved in the period
on or before the due time; 满意 or 基本满意 of those rated), and the director's 表扬 / 批评 with the
reason. The figures and notes are the person's own, their leaders' (center leaders) and the director's
to see, nobody else's."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.services import audit, outbox
from bot.services.assessment.scoring import year_bounds
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.services.stats.figures import SATISFIED, percent
from bot.texts import assessment as t
from models import Case, CaseStatus, Person, PersonRole, Role, StaffNote, StaffNoteKind

LEADERS = frozenset({Role.director, Role.leader})  # see every staff member's record
MAX_REASON = 300


def _roles(session: Session, person_id: int) -> frozenset[Role]:
    return frozenset(Role(r) for r in session.exec(select(PersonRole.role).where(PersonRole.person_id == person_id)))


def staff(session: Session, *, actor_id: int) -> list[tuple[int, str]]:
    """The center's staff (id, name), for a leader or the director to pick from."""
    if not _roles(session, actor_id) & LEADERS:
        raise NotAllowed(t.NOT_ALLOWED)
    rows = session.exec(select(Person.id, Person.name).join(PersonRole, PersonRole.person_id == Person.id)
                        .where(PersonRole.role == Role.staff, col(Person.active)).order_by(col(Person.id)))
    return [(i, n) for i, n in rows]


def may_see(session: Session, *, actor_id: int, person_id: int) -> None:
    viewer = session.get(Person, actor_id)
    if viewer is None or not viewer.active:
        raise NotAllowed(t.NOT_ALLOWED)
    if actor_id != person_id and not _roles(session, actor_id) & LEADERS:
        raise NotAllowed(t.STAFF_NOT_YOURS)


@dataclass(frozen=True)
class StaffRecord:
    person_id: int
    name: str
    year: int
    first_inquiry: int
    guidance: int
    resolved_with_due: int
    on_time: int
    rated: int
    satisfied: int
    notes: list[tuple[StaffNoteKind, str, str]]  # (kind, date, reason)

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.on_time, self.resolved_with_due)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return percent(self.satisfied, self.rated)


def record(session: Session, *, actor_id: int, person_id: int, year: int, now: datetime, tz: ZoneInfo) -> StaffRecord:
    may_see(session, actor_id=actor_id, person_id=person_id)
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(t.STALE)
    start, end = year_bounds(year, tz)
    end = min(end, now)
    first = session.exec(select(Case.guidance, Case.status).where(
        Case.first_inquiry_id == person_id, Case.created_at >= start, Case.created_at < end)).all()
    guidance = sum(1 for g, status in first if g is not None or status == CaseStatus.out_of_scope)
    handled = session.exec(select(Case.resolved_at, Case.due_at, Case.satisfaction).where(
        Case.handler_id == person_id, Case.resolved_at >= start, Case.resolved_at < end)).all()
    with_due = [(r, d) for r, d, _ in handled if d is not None]
    rated = [s for _, _, s in handled if s is not None]
    notes = session.exec(select(StaffNote).where(StaffNote.person_id == person_id, StaffNote.recorded_at >= start,
                                                 StaffNote.recorded_at <= end).order_by(col(StaffNote.id)))
    return StaffRecord(person_id, person.name, year, len(first), guidance, len(with_due),
                       sum(1 for r, d in with_due if r <= d), len(rated), sum(1 for s in rated if s in SATISFIED),
                       [(StaffNoteKind(n.kind), t.cn_date(n.recorded_at.astimezone(tz).date()), n.reason)
                        for n in notes])


def add_note(session: Session, *, actor_id: int, person_id: int, kind: StaffNoteKind, reason: str,
             now: datetime) -> StaffNote:
    """The director's 表扬 or 批评 of a staff member, with a reason; the person is told."""
    if Role.director not in _roles(session, actor_id):
        raise NotAllowed(t.NOT_ALLOWED)
    person = session.get(Person, person_id)
    if person is None or not person.active or Role.staff not in _roles(session, person_id):
        raise NotFound(t.STALE)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(t.NOTE_REASON_EMPTY)
    if len(reason) > MAX_REASON:
        raise InvalidInput(t.REASON_TOO_LONG.format(limit=MAX_REASON))
    note = StaffNote(person_id=person_id, kind=kind, reason=reason, recorded_by_id=actor_id, recorded_at=now)
    session.add(note)
    session.flush()
    audit.record(session, actor_id=actor_id, action=f"staff.{kind}", subject_type="person", subject_id=person_id,
                 now=now)
    if person.telegram_id is not None:
        outbox.enqueue(session, chat_id=person.telegram_id, person_id=person.id, now=now, new_key=True,
                       key=f"staffnote{note.id}", text=t.notify_note(kind=t.NOTE_LABELS[kind], reason=reason))
    return note
