"""Who must be told about a case, and the fan-out: one outbox row per reachable person.

The rules decide who; the modules that call `tell` decide the wording.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Row, Select
from sqlmodel import Session, col, select

from bot.services import outbox, reference
from models import Case, ContactPoint, Person, PersonRole, Role

PersonRow = Row  # a person's columns (id, telegram_id, name, active …), read-only, shared between threads


@dataclass
class Recipients:
    """Who must be told, de-duplicated; only active people the bot can reach."""

    ids: dict[int, Person] = field(default_factory=dict)

    def add(self, persons: Iterable[Person | None]) -> None:
        for p in persons:
            if p is not None and p.active and p.telegram_id is not None:
                self.ids.setdefault(p.id, p)


def _having_role(role: Role) -> Select:
    """The active people with `role`."""
    return (select(Person).join(PersonRole, PersonRole.person_id == Person.id)
            .where(PersonRole.role == role, col(Person.active)))


def with_role(session: Session, role: Role) -> list[Person]:
    return list(session.exec(_having_role(role)))


def unit_contacts(session: Session, unit_id: int | None) -> list[Person]:
    if unit_id is None:
        return []
    return list(session.exec(_having_role(Role.unit).where(Person.unit_id == unit_id)))


def _directory_rows(session: Session, key: object, query: Callable[[], Select]) -> list[PersonRow]:
    """The people `query` finds, from the directory's memo: every new case asks for the desk and its
    village's leaders, and who they are changes only with an edit of the directory."""
    columns = Person.__table__.c
    return list(reference.remembered(session, reference.DIRECTORY, key,
                                     lambda: tuple(session.execute(query().with_only_columns(*columns)))))


def contact_leaders(session: Session, village_id: int | None) -> list[PersonRow]:
    if village_id is None:
        return []
    return _directory_rows(session, ("contact leaders", village_id), lambda: (
        select(Person)
        .join(ContactPoint, ContactPoint.person_id == Person.id)
        .where(ContactPoint.village_id == village_id, col(Person.active))
    ))


def case_desk(session: Session) -> list[PersonRow]:
    """The staff on the intake list; if nobody is on it, every active staff member."""
    staff = _directory_rows(session, "case desk", lambda: _having_role(Role.staff))
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
