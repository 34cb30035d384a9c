"""Whom a case can be given to: read-only lists behind the 分派 buttons.

The lists only offer; cases.assign checks the choice again (active, right role, unit has a contact).
"""

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from models import Person, PersonRole, Role, Unit

# Who may be a case's handler (the same roles cases.assign accepts), in the order they are offered:
# staff do most of the work, leaders take harder cases, the director rarely.
ASSIGNABLE_ROLES = (Role.staff, Role.leader, Role.director)


@dataclass(frozen=True)
class Assignee:
    id: int
    name: str
    role: Role  # the first of ASSIGNABLE_ROLES the person holds


@dataclass(frozen=True)
class UnitChoice:
    id: int
    name: str
    contacts: int  # active unit contacts; a unit without one cannot receive a case


def assignable_people(session: Session) -> list[Assignee]:
    """Active center staff, leaders and the director, staff first, then by name."""
    stmt = (
        select(Person.id, Person.name, PersonRole.role)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(col(Person.active), col(PersonRole.role).in_(list(ASSIGNABLE_ROLES)))
    )
    best: dict[int, Assignee] = {}
    for person_id, name, role in session.exec(stmt):
        role = Role(role)
        seen = best.get(person_id)
        if seen is None or ASSIGNABLE_ROLES.index(role) < ASSIGNABLE_ROLES.index(seen.role):
            best[person_id] = Assignee(id=person_id, name=name, role=role)
    return sorted(best.values(), key=lambda a: (ASSIGNABLE_ROLES.index(a.role), a.name, a.id))


def active_units(session: Session) -> list[UnitChoice]:
    """Active member units with how many active contacts each has."""
    contacts = (
        select(Person.unit_id, func.count(func.distinct(Person.id)).label("n"))
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(col(Person.active), PersonRole.role == Role.unit, col(Person.unit_id).is_not(None))
        .group_by(Person.unit_id)
        .subquery()
    )
    stmt = (
        select(Unit.id, Unit.name, func.coalesce(contacts.c.n, 0))
        .outerjoin(contacts, contacts.c.unit_id == Unit.id)
        .where(col(Unit.active))
        .order_by(col(Unit.id))
    )
    return [UnitChoice(id=i, name=n, contacts=int(c)) for i, n, c in session.exec(stmt)]
