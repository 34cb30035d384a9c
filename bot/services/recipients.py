"""Who must be told about a case, and the fan-out: one outbox row per reachable person.

The rules decide who; the modules that call `tell` decide the wording.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from bot.services import outbox
from models import Case, ContactPoint, Person, PersonRole, Role


@dataclass
class Recipients:
    """Who must be told, de-duplicated; only active people the bot can reach."""

    ids: dict[int, Person] = field(default_factory=dict)

    def add(self, persons: Iterable[Person | None]) -> None:
        for p in persons:
            if p is not None and p.active and p.telegram_id is not None:
                self.ids.setdefault(p.id, p)


def with_role(session: Session, role: Role) -> list[Person]:
    stmt = (
        select(Person)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(PersonRole.role == role, col(Person.active))
    )
    return list(session.exec(stmt))


def unit_contacts(session: Session, unit_id: int | None) -> list[Person]:
    if unit_id is None:
        return []
    stmt = (
        select(Person)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(Person.unit_id == unit_id, PersonRole.role == Role.unit, col(Person.active))
    )
    return list(session.exec(stmt))


def contact_leaders(session: Session, village_id: int | None) -> list[Person]:
    if village_id is None:
        return []
    stmt = (
        select(Person)
        .join(ContactPoint, ContactPoint.person_id == Person.id)
        .where(ContactPoint.village_id == village_id, col(Person.active))
    )
    return list(session.exec(stmt))


def case_desk(session: Session) -> list[Person]:
    """The staff on the intake list; if nobody is on it, every active staff member."""
    staff = with_role(session, Role.staff)
    on_desk = [p for p in staff if p.on_case_desk]
    return on_desk or staff



def tell(session: Session, persons: Iterable[Person | None], text: str, buttons, *, key: str, now: datetime,
         exclude: int | None = None, urgent: bool = False, case: Case | None = None,
         document: str | None = None) -> int:
    """One outbox row per reachable person but `exclude` (the actor); `key` with the person makes it
    idempotent. With `case`, messages about a confidential case are protected (outbox.enqueue)."""
    recipients = Recipients()
    recipients.add(persons)
    sent = 0
    for person in recipients.ids.values():
        if person.id == exclude:
            continue
        sent += outbox.enqueue(session, chat_id=person.telegram_id, person_id=person.id, text=text,
                               buttons=buttons, key=f"{key}:p{person.id}", urgent=urgent, now=now,
                               document=document, case=case)
    return sent
