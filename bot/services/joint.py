"""Joint handling (联合办理): a case's lead unit (主办, Case.unit_id) and its co-units (协办), and the
会商 that convenes several departments on one major case.

The center sets the units from the case card. A co-unit's contacts receive the case, may open it
and add progress (cases.CO_UNIT_ACTIONS) and are chased on its deadline by the reminder sweep like
the lead unit; only the lead unit (or the center) resolves it. A 会商 is recorded with its
participants (people and units picked with buttons), its time and the conclusion typed; it shows
on the card and in the electronic case file (一案一档).
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot import texts
from bot.callbacks import CaseView
from bot.services import cases, deadlines, people
from bot.services.access import CENTER, LEADER_ROLES
from bot.services.case_access import (
    record_event,
    summary_line,
    type_name,
    village_name,
    visible_case,
)
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.recipients import tell, unit_contacts
from bot.texts import joint as jt
from bot.texts import notify
from models import (
    Case,
    CaseConsultation,
    CaseCoUnit,
    CaseStatus,
    CaseType,
    Meeting,
    MeetingStatus,
    Person,
    PersonRole,
    Unit,
)

CO_UNITS_MAX = 8
PARTICIPANTS_MAX = 20
CONCLUSION_MAX = 2000
# 会商 participants picked as people: the center's and the township's leadership and staff.
PARTICIPANT_ROLES = frozenset({*LEADER_ROLES, *CENTER})


@dataclass(frozen=True)
class ConsultationView:
    id: int
    held_at: datetime
    participants: str  # people and units, 、-separated
    conclusion: str
    recorder: str


@dataclass(frozen=True)
class JointOnCard:
    """联合办理 on the card: the lead and co-units, the 会商 held, and what this viewer may do."""

    lead: str = ""
    co_units: tuple[str, ...] = ()
    consultations: tuple[ConsultationView, ...] = ()
    co_unit: bool = False  # the viewer is a contact of a co-unit
    mediations: tuple[tuple[datetime, str], ...] = ()  # 调处会 still to be held: (starts_at, place)


@dataclass(frozen=True)
class UnitChoice:
    id: int
    name: str
    lead: bool
    co: bool
    contacts: int


@dataclass(frozen=True)
class JointMenu:
    case_id: int
    number: str
    units: tuple[UnitChoice, ...]


@dataclass(frozen=True)
class ParticipantChoices:
    case_id: int
    number: str
    persons: tuple[tuple[int, str], ...]
    units: tuple[tuple[int, str], ...]


# --- reading -----------------------------------------------------------------------------------


def co_unit_ids(session: Session, case_id: int) -> list[int]:
    return list(session.exec(select(CaseCoUnit.unit_id).where(CaseCoUnit.case_id == case_id)
                             .order_by(col(CaseCoUnit.id))))


def _unit_name(session: Session, unit_id: int | None) -> str:
    unit = session.get(Unit, unit_id) if unit_id else None
    return unit.name if unit else ""


def _person_name(session: Session, person_id: int) -> str:
    person = session.get(Person, person_id)
    return person.name if person else ""


def consultations(session: Session, *, case_id: int) -> tuple[ConsultationView, ...]:
    """The case's 会商, oldest first (the card, the case file)."""
    rows = session.exec(select(CaseConsultation).where(CaseConsultation.case_id == case_id)
                        .order_by(col(CaseConsultation.held_at), col(CaseConsultation.id)))
    return tuple(
        ConsultationView(
            id=c.id, held_at=c.held_at,
            participants="、".join(n for n in (*(_person_name(session, i) for i in c.person_ids or ()),
                                              *(_unit_name(session, i) for i in c.unit_ids or ())) if n),
            conclusion=c.conclusion, recorder=_person_name(session, c.recorded_by_id))
        for c in rows
    )


def on_card(session: Session, viewer: people.PersonView, case) -> JointOnCard:
    co = co_unit_ids(session, case.id)
    return JointOnCard(
        lead=_unit_name(session, case.unit_id) if co else "",  # 主办 only said when there are 协办
        co_units=tuple(_unit_name(session, u) for u in co),
        consultations=consultations(session, case_id=case.id),
        co_unit=viewer.unit_id in co and viewer.unit_id != case.unit_id,
        mediations=tuple(session.exec(select(Meeting.starts_at, Meeting.place).where(
            Meeting.case_id == case.id, Meeting.status == MeetingStatus.scheduled).order_by(col(Meeting.starts_at)))),
    )


# --- setting the units -------------------------------------------------------------------------


def _center_case(session: Session, actor_id: int, case_id: int, *, lock: bool = False):
    actor, case = visible_case(session, actor_id, case_id, lock=lock)
    if not actor.has(*CENTER):
        raise NotAllowed(jt.NOT_CENTER)
    return actor, case


def _running(case) -> None:
    if CaseStatus(case.status) not in deadlines.RUNNING:
        raise InvalidInput(jt.NOT_RUNNING.format(
            number=case.number, status=texts.STATUS_LABELS[CaseStatus(case.status)]))


def unit_menu(session: Session, *, actor_id: int, case_id: int) -> JointMenu:
    """The units to pick from, with which is the lead and which are co-units now."""
    _, case = _center_case(session, actor_id, case_id)
    _running(case)
    co = set(co_unit_ids(session, case.id))
    units = session.exec(select(Unit).where(col(Unit.active)).order_by(col(Unit.id)))
    return JointMenu(case_id=case.id, number=case.number, units=tuple(
        UnitChoice(id=u.id, name=u.name, lead=u.id == case.unit_id, co=u.id in co,
                   contacts=len(unit_contacts(session, u.id)))
        for u in units))


def set_lead(session: Session, *, actor_id: int, case_id: int, unit_id: int, now: datetime,
             policy: DeadlinePolicy | None = None) -> None:
    """主办: the case is assigned to the unit (the usual 分派, with its message and deadline); a unit
    that was a co-unit stops being one."""
    _, case = _center_case(session, actor_id, case_id, lock=True)
    _running(case)
    if case.unit_id == unit_id:
        raise InvalidInput(jt.ALREADY_LEAD.format(unit=_unit_name(session, unit_id)))
    row = session.exec(select(CaseCoUnit).where(CaseCoUnit.case_id == case.id, CaseCoUnit.unit_id == unit_id)).first()
    if row is not None:
        session.delete(row)
        session.flush()
    cases.assign(session, actor_id=actor_id, case_id=case.id, unit_id=unit_id, now=now, policy=policy)


def toggle_co_unit(session: Session, *, actor_id: int, case_id: int, unit_id: int, now: datetime,
                   policy: DeadlinePolicy | None = None) -> bool:
    """协办 on or off. On: the unit's contacts get the case. Returns whether it is now a co-unit."""
    actor, case = _center_case(session, actor_id, case_id, lock=True)
    _running(case)
    unit = session.get(Unit, unit_id)
    if unit is None or not unit.active:
        raise InvalidInput(jt.NO_UNIT)
    if case.unit_id is None:
        raise InvalidInput(jt.LEAD_FIRST)
    if unit_id == case.unit_id:
        raise InvalidInput(jt.IS_LEAD.format(unit=unit.name))
    row = session.exec(select(CaseCoUnit).where(CaseCoUnit.case_id == case.id, CaseCoUnit.unit_id == unit_id)).first()
    if row is not None:
        session.delete(row)
        record_event(session, actor.id, case, "co_unit_removed", now, note=unit.name)
        return False
    if len(co_unit_ids(session, case.id)) >= CO_UNITS_MAX:
        raise InvalidInput(jt.TOO_MANY.format(limit=CO_UNITS_MAX))
    contacts = unit_contacts(session, unit_id)
    if not contacts:
        raise InvalidInput(jt.NO_CONTACTS.format(unit=unit.name))
    row = CaseCoUnit(case_id=case.id, unit_id=unit_id, added_by_id=actor.id, added_at=now)
    session.add(row)
    session.flush()
    event = record_event(session, actor.id, case, "co_unit_added", now, note=unit.name)
    policy = policy or DeadlinePolicy()
    shown = deadlines.light(case, now, policy.calendar(session), policy.tz) if case.due_at is not None else None
    text = notify.joint.co_unit_added(
        number=case.number, unit=unit.name, lead=_unit_name(session, case.unit_id),
        type=type_name(session.get(CaseType, case.type_id)), village=village_name(session, case),
        summary=summary_line(case, 80), confidential=case.confidential, due=shown.due if shown else "")
    tell(session, contacts, text, [[(texts.NOTIFY_VIEW_BUTTON, CaseView(case.id).pack())]],
         key=f"case{case.id}:ev{event.id}", now=now, exclude=actor.id, case=case)
    return True


# --- 会商 --------------------------------------------------------------------------------------


def participant_choices(session: Session, *, actor_id: int, case_id: int) -> ParticipantChoices:
    """Who may be picked as taking part in a 会商: leadership and center staff, and every unit."""
    _, case = _center_case(session, actor_id, case_id)
    persons = session.exec(select(Person).join(PersonRole, PersonRole.person_id == Person.id).where(
        col(PersonRole.role).in_(PARTICIPANT_ROLES), col(Person.active)).order_by(col(Person.id)))
    units = session.exec(select(Unit).where(col(Unit.active)).order_by(col(Unit.id)))
    return ParticipantChoices(case_id=case.id, number=case.number,
                              persons=tuple(dict.fromkeys((p.id, p.name) for p in persons)),
                              units=tuple((u.id, u.name) for u in units))


def record_consultation(session: Session, *, actor_id: int, case_id: int, held_at: datetime,
                        person_ids: list[int], unit_ids: list[int], conclusion: str, now: datetime,
                        tz: ZoneInfo = deadlines.CENTER_TZ) -> ConsultationView:
    """会商 recorded by the center: at least two participants (people or units),
    when it was held (not in the future), and the conclusion. The participants and the units
    working on the case are told the conclusion."""
    actor, case = _center_case(session, actor_id, case_id, lock=True)
    if CaseStatus(case.status) not in cases.OPEN:
        raise InvalidInput(jt.NOT_RUNNING.format(
            number=case.number, status=texts.STATUS_LABELS[CaseStatus(case.status)]))
    choices = participant_choices(session, actor_id=actor_id, case_id=case_id)
    allowed_persons = {i for i, _ in choices.persons}
    allowed_units = {i for i, _ in choices.units}
    person_ids = list(dict.fromkeys(int(i) for i in person_ids))
    unit_ids = list(dict.fromkeys(int(i) for i in unit_ids))
    if any(i not in allowed_persons for i in person_ids) or any(i not in allowed_units for i in unit_ids):
        raise InvalidInput(jt.BAD_PARTICIPANT)
    if len(person_ids) + len(unit_ids) < 2:
        raise InvalidInput(jt.FEW_PARTICIPANTS)
    if len(person_ids) + len(unit_ids) > PARTICIPANTS_MAX:
        raise InvalidInput(jt.TOO_MANY_PARTICIPANTS.format(limit=PARTICIPANTS_MAX))
    if held_at > now:
        raise InvalidInput(jt.FUTURE)
    conclusion = (conclusion or "").strip()
    if len(conclusion) < 2:
        raise InvalidInput(jt.ASK_CONCLUSION)
    if len(conclusion) > CONCLUSION_MAX:
        raise InvalidInput(texts.TOO_LONG.format(limit=CONCLUSION_MAX))
    return _save(session, actor.id, case, held_at=held_at, person_ids=person_ids, unit_ids=unit_ids,
                 conclusion=conclusion, now=now, tz=tz)


def record_from_meeting(session: Session, *, actor_id: int, case_id: int, meeting_id: int, held_at: datetime,
                        person_ids: list[int], unit_ids: list[int], conclusion: str, now: datetime,
                        tz: ZoneInfo = deadlines.CENTER_TZ) -> ConsultationView:
    """A 调处会's closed minutes as the case's 会商 (meetings.close_minutes): recorded even if the case
    was closed meanwhile, since the meeting was held."""
    case = session.get(Case, case_id)
    return _save(session, actor_id, case, held_at=held_at, person_ids=person_ids, unit_ids=unit_ids,
                 conclusion=conclusion[:CONCLUSION_MAX], now=now, tz=tz, meeting_id=meeting_id)


def _save(session: Session, actor_id: int, case: Case, *, held_at: datetime, person_ids: list[int], unit_ids: list[int],
          conclusion: str, now: datetime, tz: ZoneInfo, meeting_id: int | None = None) -> ConsultationView:
    row = CaseConsultation(case_id=case.id, held_at=held_at, person_ids=person_ids, unit_ids=unit_ids,
                           conclusion=conclusion, recorded_by_id=actor_id, recorded_at=now, meeting_id=meeting_id)
    session.add(row)
    session.flush()
    view = next(c for c in consultations(session, case_id=case.id) if c.id == row.id)
    event = record_event(session, actor_id, case, "consultation", now,
                         note=f"{deadlines.fmt(held_at, tz)} {view.participants}：{conclusion}")
    told = [session.get(Person, i) for i in person_ids]
    for unit_id in {*unit_ids, case.unit_id, *co_unit_ids(session, case.id)} - {None}:
        told += unit_contacts(session, unit_id)
    text = notify.joint.consultation(number=case.number, at=deadlines.fmt(held_at, tz), participants=view.participants,
                                     conclusion=conclusion, confidential=case.confidential)
    tell(session, told, text, [[(texts.NOTIFY_VIEW_BUTTON, CaseView(case.id).pack())]],
         key=f"case{case.id}:ev{event.id}", now=now, exclude=actor_id, case=case)
    return view

