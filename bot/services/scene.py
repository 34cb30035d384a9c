"""The contact-point leader at the scene (工作联系点制度: 发生问题时第一时间到达现场).

An urgent alert gives the village's 工作联系点 leaders a 「已到场」 button (bot/services/alerts.py).
The press records the arrival time and asks for the Telegram location; the location (or 「无法发送
位置」) completes the record, and the center's leaders, staff and director are told who arrived,
when and where. The pending row lives in the database, so a restart between the two steps loses
nothing. The arrivals show on the case card.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot import texts
from bot.callbacks import CaseView, SceneArrive
from bot.services import deadlines
from bot.services.case_access import load_case, person_name, record_event
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.recipients import contact_leaders, tell, with_role
from bot.texts import notify
from bot.texts import scene as words
from models import Case, Role, SceneArrival


@dataclass(frozen=True)
class ArrivalOnCard:
    who: str
    at: datetime
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class Arrival:
    case_id: int
    number: str
    arrived_at: datetime


def may_arrive(session: Session, person_id: int, case: Case) -> bool:
    """Whether the person is a 工作联系点 leader of the case's village (the alert's 已到场 goes to them)."""
    return any(p.id == person_id for p in contact_leaders(session, case.village_id))


def where(latitude: float | None, longitude: float | None) -> str:
    if latitude is None or longitude is None:
        return words.WHERE_NONE
    return words.WHERE_GPS.format(lat=latitude, lon=longitude)


def _own_row(session: Session, case_id: int, person_id: int) -> SceneArrival | None:
    return session.exec(select(SceneArrival).where(SceneArrival.case_id == case_id,
                                                   SceneArrival.person_id == person_id).with_for_update()).first()


def arrive(session: Session, *, actor_id: int, case_id: int, now: datetime, tz=deadlines.CENTER_TZ) -> Arrival:
    """已到场 pressed: the arrival time is now; the location is asked next. Pressing again before the
    location is given keeps the first time."""
    case = load_case(session, case_id)
    if not may_arrive(session, actor_id, case):
        raise NotAllowed(words.NOT_CONTACT_LEADER)
    if not case.urgent:
        raise InvalidInput(words.NOT_URGENT.format(number=case.number))
    row = _own_row(session, case.id, actor_id)
    if row is not None and row.completed_at is not None:
        raise InvalidInput(words.ALREADY.format(at=deadlines.fmt(row.arrived_at, tz)))
    if row is None:
        row = SceneArrival(case_id=case.id, person_id=actor_id, arrived_at=now)
        session.add(row)
        session.flush()
    return Arrival(case_id=case.id, number=case.number, arrived_at=row.arrived_at)


def record_location(session: Session, *, actor_id: int, case_id: int, now: datetime,
                    latitude: float | None = None, longitude: float | None = None,
                    tz=deadlines.CENTER_TZ) -> ArrivalOnCard:
    """The location (or none: 无法发送位置) completes the arrival; the center is told."""
    case = load_case(session, case_id)
    if not may_arrive(session, actor_id, case):
        raise NotAllowed(words.NOT_CONTACT_LEADER)
    row = _own_row(session, case.id, actor_id)
    if row is None:
        raise InvalidInput(words.NO_PENDING)
    if row.completed_at is not None:
        raise InvalidInput(words.ALREADY.format(at=deadlines.fmt(row.arrived_at, tz)))
    if (latitude is None) != (longitude is None) or (
            latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180)):
        raise InvalidInput(words.WRONG_TYPE)
    row.latitude, row.longitude = latitude, longitude
    row.no_location = latitude is None
    row.completed_at = now
    session.add(row)
    name = person_name(session, actor_id)
    at = deadlines.fmt(row.arrived_at, tz)
    place = where(latitude, longitude)
    event = record_event(session, actor_id, case, "scene_arrival", now, note=f"{at} {place}")
    center = [*with_role(session, Role.director), *with_role(session, Role.leader), *with_role(session, Role.staff)]
    buttons = [[(texts.NOTIFY_VIEW_BUTTON, CaseView(case.id).pack())]]
    tell(session, center, notify.joint.arrived(who=name, number=case.number, at=at, where=place), buttons,
         key=f"case{case.id}:ev{event.id}", now=now, exclude=actor_id, urgent=True, case=case)
    return ArrivalOnCard(who=name, at=row.arrived_at, latitude=latitude, longitude=longitude)


def on_card(session: Session, *, case_id: int) -> tuple[ArrivalOnCard, ...]:
    rows = session.exec(select(SceneArrival).where(SceneArrival.case_id == case_id,
                                                   col(SceneArrival.completed_at).is_not(None))
                        .order_by(col(SceneArrival.arrived_at), col(SceneArrival.id)))
    return tuple(ArrivalOnCard(who=person_name(session, r.person_id), at=r.arrived_at, latitude=r.latitude,
                               longitude=r.longitude) for r in rows)


def arrival_button(case_id: int) -> list[tuple[str, str]]:
    """The row the alert carries for the village's contact-point leaders."""
    return [(words.BUTTON, SceneArrive(case_id).pack())]
