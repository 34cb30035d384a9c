"""Invitations: single-use codes that expire; redeeming one registers a person with its role."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from bot import texts
from bot.services import audit, people, places
from bot.services.access import MANAGE_PEOPLE, require, require_grant
from bot.services.errors import InvalidInput, InvalidInvitation
from models import Invitation, Person, Role


@dataclass(frozen=True)
class InvitationView:
    code: str
    role: Role
    place: str
    expires_at: datetime
    village_id: int | None
    grid_id: int | None
    unit_id: int | None


def _place(session: Session, inv: Invitation) -> str:
    parts = []
    if inv.village_id:
        parts.append(places.get_village(session, village_id=inv.village_id).name)
    if inv.grid_id:
        parts.append(places.get_grid(session, grid_id=inv.grid_id).name)
    if inv.unit_id:
        parts.append(places.get_unit(session, unit_id=inv.unit_id).name)
    return " ".join(parts)


def _view(session: Session, inv: Invitation) -> InvitationView:
    return InvitationView(
        code=inv.code, role=Role(inv.role), place=_place(session, inv), expires_at=inv.expires_at,
        village_id=inv.village_id, grid_id=inv.grid_id, unit_id=inv.unit_id,
    )


def create_invitation(
    session: Session,
    *,
    actor_id: int,
    role: Role,
    now: datetime,
    valid_days: int = 7,
    village_id: int | None = None,
    grid_id: int | None = None,
    unit_id: int | None = None,
) -> InvitationView:
    actor = people.get(session, person_id=actor_id)
    require(actor.roles, MANAGE_PEOPLE)
    require_grant(actor.roles, {role})
    # The place each role needs: a grid worker belongs to a grid, a unit contact to a unit.
    if role == Role.grid:
        if grid_id is None:
            raise InvalidInput("邀请网格员需要选择村（社区）和网格。")
        grid = places.get_grid(session, grid_id=grid_id)
        village_id = grid.village_id
        unit_id = None
    elif role == Role.unit:
        if unit_id is None:
            raise InvalidInput("邀请承办单位联络人需要选择单位。")
        places.get_unit(session, unit_id=unit_id)
        village_id = grid_id = None
    else:
        village_id = grid_id = unit_id = None
    inv = Invitation(
        code=secrets.token_urlsafe(9),
        role=role,
        village_id=village_id,
        grid_id=grid_id,
        unit_id=unit_id,
        issued_by_id=actor_id,
        created_at=now,
        expires_at=now + timedelta(days=valid_days),
    )
    session.add(inv)
    session.flush()
    audit.record(session, actor_id=actor_id, action="invitation.create", subject_type="invitation",
                 subject_id=inv.id, now=now, role=role, village_id=village_id, grid_id=grid_id, unit_id=unit_id)
    return _view(session, inv)


def _usable(session: Session, code: str, now: datetime, *, lock: bool = False) -> Invitation:
    stmt = select(Invitation).where(Invitation.code == (code or "").strip())
    # FOR UPDATE: two people redeeming one code at the same moment on PostgreSQL; only one wins.
    inv = session.exec(stmt.with_for_update() if lock else stmt).first()
    if inv is None:
        raise InvalidInvitation(texts.INVITE_UNKNOWN)
    if inv.used_by_id is not None:
        raise InvalidInvitation(texts.INVITE_USED)
    if inv.expires_at <= now:
        raise InvalidInvitation(texts.INVITE_EXPIRED)
    return inv


def check_invitation(session: Session, *, code: str, now: datetime) -> InvitationView:
    return _view(session, _usable(session, code, now))


def redeem_invitation(
    session: Session, *, code: str, telegram_id: int, name: str, phone: str, now: datetime
) -> people.PersonView:
    inv = _usable(session, code, now, lock=True)
    name = people.normalize_name(name)
    phone = people.normalize_phone(phone)
    if session.exec(select(Person).where(Person.telegram_id == telegram_id)).first():
        raise InvalidInvitation("您已经登记过了，无需再用邀请码。发送 /help 查看可用功能。")
    person = people.create_person(
        session, name=name, phone=phone, roles={Role(inv.role)}, telegram_id=telegram_id, now=now,
        village_id=inv.village_id, grid_id=inv.grid_id, unit_id=inv.unit_id,
    )
    inv.used_by_id, inv.used_at = person.id, now
    session.add(inv)
    audit.record(session, actor_id=person.id, action="person.register", subject_type="person",
                 subject_id=person.id, now=now, invitation_id=inv.id, role=inv.role, issued_by=inv.issued_by_id)
    return people.view(session, person)
