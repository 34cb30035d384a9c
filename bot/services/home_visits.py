"""上门受理 on request (issue 16; 综治中心服务承诺: 特殊情况经申请，可以提供上门受理服务).

Center staff record a party's request for a home visit (who, where, which special circumstance) →
the center leaders (and the director) get it with 同意 / 不同意 (a refusal needs a reason, and the
requester is told it) → once approved, staff schedule the visit (when, who goes) and the visitor is
reminded before it → after the visit what was received is recorded; a matter to handle is then
registered through the ordinary /visit intake.

The request holds a party's name, phone and address: it is only ever sent to people's private chats
(every outbox row goes to a person's own chat), and nothing of it is written to the logs or the
audit trail (the audit names the request by its id only).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from bot.callbacks import HomeVisitApprove, HomeVisitDone, HomeVisitIntake, HomeVisitRefuse, HomeVisitSchedule
from bot.services import audit
from bot.services.access import CENTER, DECIDERS
from bot.services.case_access import person_name
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.services.identity import validate_phone
from bot.services.people import PersonView, get
from bot.services.recipients import tell, with_role
from bot.services.typed import between
from bot.texts import home_visits as t
from bot.texts.notify import home_visits as notify
from models import HomeVisit, HomeVisitReason, HomeVisitStatus, Person, Role

REMIND_BEFORE = timedelta(hours=2)  # the visitor's reminder, before the visit
OPEN = (HomeVisitStatus.pending, HomeVisitStatus.approved, HomeVisitStatus.scheduled)


def _center(session: Session, actor_id: int) -> PersonView:
    actor = get(session, person_id=actor_id)
    if not actor.active or not actor.has(*CENTER):
        raise NotAllowed(t.NOT_ALLOWED)
    return actor


def _load(session: Session, visit_id: int, *, lock: bool = False) -> HomeVisit:
    stmt = select(HomeVisit).where(HomeVisit.id == visit_id)
    found = session.exec(stmt.with_for_update() if lock else stmt).first()
    if found is None:
        raise NotFound(t.NOT_FOUND)
    return found



def clean_name(text: str | None) -> str:
    return between(text, 1, 40, t.BAD_NAME)


def clean_address(text: str | None) -> str:
    return between(text, 2, 200, t.BAD_ADDRESS)


def clean_note(text: str | None) -> str:
    return between(text, 2, 300, t.BAD_NOTE)


def clean_phone(text: str | None) -> str:
    return validate_phone(text)


# --- the request --------------------------------------------------------------------------------


def request(session: Session, *, actor_id: int, party_name: str, phone: str | None, address: str,
            reason: HomeVisitReason, note: str, now: datetime, tz) -> tuple[HomeVisit, int]:
    """Record the request and send it to the center's leaders and the director; (request, how many)."""
    actor = _center(session, actor_id)
    visit = HomeVisit(party_name=clean_name(party_name), phone=clean_phone(phone) if phone else None,
                      address=clean_address(address), reason=HomeVisitReason(reason).value, note=clean_note(note),
                      requested_by_id=actor.id, requested_at=now)
    session.add(visit)
    session.flush()
    audit.record(session, actor_id=actor.id, action="home_visit.request", subject_type="home_visit",
                 subject_id=visit.id, now=now)
    deciders = [p for role in DECIDERS for p in with_role(session, role)]
    text = notify.to_decide(requester=actor.name, card=card_text(session, visit, tz=tz))
    buttons = [[(t.BUTTON_APPROVE, HomeVisitApprove(visit.id).pack()), (t.BUTTON_REFUSE, HomeVisitRefuse(visit.id).pack())]]
    sent = tell(session, deciders, text, buttons, key=f"homevisit{visit.id}:decide", now=now, exclude=actor.id)
    return visit, sent


def card_text(session: Session, visit: HomeVisit, *, tz) -> str:
    """The request as HTML (bot/texts/notify/home_visits.py escapes). Personal data: private chats only."""
    return notify.card(
        status=t.STATUS_LABELS[HomeVisitStatus(visit.status)], name=visit.party_name, phone=visit.phone,
        address=visit.address, reason=visit.reason, note=visit.note,
        requester=person_name(session, visit.requested_by_id),
        requested=t.when_text(visit.requested_at.astimezone(tz)),
        decided_by=person_name(session, visit.decided_by_id), refused=visit.status == HomeVisitStatus.refused,
        refusal=visit.refusal, visit_at=t.when_text(visit.visit_at.astimezone(tz)) if visit.visit_at else "",
        visitor=person_name(session, visit.visitor_id),
        done_at=t.when_text(visit.done_at.astimezone(tz)) if visit.done_at else "", received=visit.received)


def buttons_for(visit: HomeVisit, viewer: PersonView):
    """What the request's message offers this viewer now; each is checked again when pressed."""
    status = HomeVisitStatus(visit.status)
    rows = []
    if status == HomeVisitStatus.pending and viewer.has(*DECIDERS):
        rows.append([(t.BUTTON_APPROVE, HomeVisitApprove(visit.id).pack()),
                     (t.BUTTON_REFUSE, HomeVisitRefuse(visit.id).pack())])
    if status in (HomeVisitStatus.approved, HomeVisitStatus.scheduled) and viewer.has(*CENTER):
        rows.append([(t.BUTTON_SCHEDULE, HomeVisitSchedule(visit.id).pack())])
    if status == HomeVisitStatus.scheduled and viewer.has(*CENTER):
        rows.append([(t.BUTTON_DONE, HomeVisitDone(visit.id).pack())])
    if status == HomeVisitStatus.done and viewer.has(*CENTER):
        rows.append([(t.BUTTON_INTAKE, HomeVisitIntake(visit.id).pack())])
    return rows


@dataclass(frozen=True)
class Shown:
    visit_id: int
    text: str
    buttons: list


def show(session: Session, *, actor_id: int, visit_id: int, tz) -> Shown:
    actor = _center(session, actor_id)
    visit = _load(session, visit_id)
    return Shown(visit.id, card_text(session, visit, tz=tz), buttons_for(visit, actor))


@dataclass(frozen=True)
class Listed:
    visit_id: int
    status: HomeVisitStatus
    name: str
    reason: str


def open_requests(session: Session, *, actor_id: int, limit: int = 10) -> list[Listed]:
    _center(session, actor_id)
    found = session.exec(select(HomeVisit).where(col(HomeVisit.status).in_([s.value for s in OPEN]))
                         .order_by(col(HomeVisit.requested_at).desc(), col(HomeVisit.id).desc()).limit(limit))
    return [Listed(v.id, HomeVisitStatus(v.status), v.party_name, v.reason) for v in found]


# --- the decision -------------------------------------------------------------------------------


def check_decider(session: Session, *, actor_id: int, visit_id: int) -> None:
    """Refused before the reason is typed: not a leader, or already decided."""
    actor = get(session, person_id=actor_id)
    if not actor.active or not actor.has(*DECIDERS):
        raise NotAllowed(t.NOT_DECIDER)
    visit = _load(session, visit_id)
    _still_pending(session, visit)


def _still_pending(session: Session, visit: HomeVisit) -> None:
    if visit.status != HomeVisitStatus.pending:
        raise InvalidInput(t.ALREADY_DECIDED.format(who=person_name(session, visit.decided_by_id) or "他人",
                                                    status=t.STATUS_LABELS[HomeVisitStatus(visit.status)]))


def decide(session: Session, *, actor_id: int, visit_id: int, approve: bool, now: datetime,
           reason: str | None = None) -> HomeVisit:
    actor = get(session, person_id=actor_id)
    if not actor.active or not actor.has(*DECIDERS):
        raise NotAllowed(t.NOT_DECIDER)
    visit = _load(session, visit_id, lock=True)
    _still_pending(session, visit)
    refusal = None if approve else between(reason, 2, 300, t.BAD_REFUSAL)
    visit.status = HomeVisitStatus.approved if approve else HomeVisitStatus.refused
    visit.decided_by_id, visit.decided_at, visit.refusal = actor.id, now, refusal
    session.add(visit)
    audit.record(session, actor_id=actor.id, action="home_visit.decide", subject_type="home_visit",
                 subject_id=visit.id, now=now, approve=approve)
    requester = session.get(Person, visit.requested_by_id)
    if approve:
        text = notify.approved(name=visit.party_name, who=actor.name)
        buttons = [[(t.BUTTON_SCHEDULE, HomeVisitSchedule(visit.id).pack())]]
    else:
        text = notify.refused(name=visit.party_name, who=actor.name, reason=refusal)
        buttons = []
    tell(session, [requester], text, buttons, key=f"homevisit{visit.id}:decided", now=now, exclude=actor.id)
    return visit


# --- scheduling, the reminder, the record ---------------------------------------------------------


def visitors(session: Session) -> list[tuple[int, str]]:
    """Who may go: the center's staff and leaders (and the director), by name."""
    people = {p.id: p for role in (Role.staff, Role.leader, Role.director) for p in with_role(session, role)}
    return sorted(((p.id, p.name) for p in people.values()), key=lambda x: (x[1], x[0]))


def check_schedule(session: Session, *, actor_id: int, visit_id: int) -> None:
    _center(session, actor_id)
    visit = _load(session, visit_id)
    if visit.status not in (HomeVisitStatus.approved, HomeVisitStatus.scheduled):
        raise InvalidInput(t.NOT_APPROVED.format(status=t.STATUS_LABELS[HomeVisitStatus(visit.status)]))


def schedule(session: Session, *, actor_id: int, visit_id: int, visit_at: datetime, visitor_id: int,
             now: datetime, tz) -> HomeVisit:
    """Set (or move) the visit; the visitor is told at once and reminded REMIND_BEFORE it."""
    actor = _center(session, actor_id)
    visit = _load(session, visit_id, lock=True)
    if visit.status not in (HomeVisitStatus.approved, HomeVisitStatus.scheduled):
        raise InvalidInput(t.NOT_APPROVED.format(status=t.STATUS_LABELS[HomeVisitStatus(visit.status)]))
    if visit_at <= now:
        raise InvalidInput(t.WHEN_PASSED)
    if visitor_id not in dict(visitors(session)):
        raise InvalidInput(t.BAD_VISITOR)
    visit.status, visit.visit_at, visit.visitor_id, visit.reminded_at = HomeVisitStatus.scheduled, visit_at, visitor_id, None
    session.add(visit)
    audit.record(session, actor_id=actor.id, action="home_visit.schedule", subject_type="home_visit",
                 subject_id=visit.id, now=now)
    text = notify.to_visitor(when=t.when_text(visit_at.astimezone(tz)), card=card_text(session, visit, tz=tz))
    tell(session, [session.get(Person, visitor_id)], text, [[(t.BUTTON_DONE, HomeVisitDone(visit.id).pack())]],
         key=f"homevisit{visit.id}:to:{visit_at:%Y%m%d%H%M}", now=now, exclude=actor.id)
    return visit


def sweep(session: Session, *, now: datetime, tz) -> int:
    """Remind the visitor once, REMIND_BEFORE each scheduled visit (restart-safe: the mark is set
    with the message; a moved visit is reminded again)."""
    due = session.exec(select(HomeVisit).where(HomeVisit.status == HomeVisitStatus.scheduled,
                                               col(HomeVisit.reminded_at).is_(None),
                                               col(HomeVisit.visit_at) <= now + REMIND_BEFORE,
                                               col(HomeVisit.visit_at) > now - timedelta(days=1)))
    sent = 0
    for visit in list(due):
        visit.reminded_at = now
        session.add(visit)
        text = notify.reminder(when=t.when_text(visit.visit_at.astimezone(tz)), card=card_text(session, visit, tz=tz))
        sent += tell(session, [session.get(Person, visit.visitor_id)], text,
                     [[(t.BUTTON_DONE, HomeVisitDone(visit.id).pack())]],
                     key=f"homevisit{visit.id}:remind:{visit.visit_at:%Y%m%d%H%M}", now=now)
    return sent


def check_record(session: Session, *, actor_id: int, visit_id: int) -> None:
    _center(session, actor_id)
    visit = _load(session, visit_id)
    if visit.status != HomeVisitStatus.scheduled:
        raise InvalidInput(t.NOT_SCHEDULED.format(status=t.STATUS_LABELS[HomeVisitStatus(visit.status)]))


def record_visit(session: Session, *, actor_id: int, visit_id: int, received: str, now: datetime) -> HomeVisit:
    actor = _center(session, actor_id)
    visit = _load(session, visit_id, lock=True)
    if visit.status != HomeVisitStatus.scheduled:
        raise InvalidInput(t.NOT_SCHEDULED.format(status=t.STATUS_LABELS[HomeVisitStatus(visit.status)]))
    visit.received = between(received, 2, 1000, t.BAD_RECEIVED)
    visit.status, visit.done_at = HomeVisitStatus.done, now
    session.add(visit)
    audit.record(session, actor_id=actor.id, action="home_visit.done", subject_type="home_visit",
                 subject_id=visit.id, now=now)
    return visit


@dataclass(frozen=True)
class IntakeStart:
    """What /visit's draft starts with: the party and what they asked for."""

    name: str
    phone: str | None
    request: str


def intake_start(session: Session, *, actor_id: int, visit_id: int) -> IntakeStart:
    _center(session, actor_id)
    visit = _load(session, visit_id)
    if visit.status != HomeVisitStatus.done:
        raise InvalidInput(t.NOT_DONE)
    return IntakeStart(visit.party_name, visit.phone, (visit.received or "")[:1000])
