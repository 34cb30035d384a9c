"""People and their roles: lookup for the access gate, registration, role changes, deactivation."""

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from bot.services import audit, identity
from bot.services.access import MANAGE_PEOPLE, require, require_grant
from bot.services.errors import InvalidInput, NotFound
from bot.services.reference import DIRECTORY, Memo, Memos, remembered
from models import ContactPoint, Grid, Person, PersonRole, Role, Setting, Unit, Village

NAME_RE = re.compile(r"^[\u4e00-\u9fffA-Za-z·•. ]{2,20}$")
MOBILE_RE = identity.MOBILE_RE


@dataclass(frozen=True)
class PersonView:
    id: int
    telegram_id: int | None
    name: str
    phone: str | None
    active: bool
    roles: frozenset[Role]
    village_id: int | None = None
    grid_id: int | None = None
    unit_id: int | None = None
    village_name: str | None = None
    grid_name: str | None = None
    unit_name: str | None = None
    contact_village_ids: frozenset[int] = field(default_factory=frozenset)
    on_case_desk: bool = False

    def has(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def place(self) -> str:
        parts = [p for p in (self.village_name, self.grid_name, self.unit_name) if p]
        return " ".join(parts)


def normalize_name(name: str) -> str:
    name = " ".join(name.split())
    if not NAME_RE.match(name):
        raise InvalidInput("姓名需为 2–20 个汉字或字母。")
    return name


def normalize_phone(phone: str) -> str:
    """A phone shared from Telegram ('8613800138000', '+86 138…'), never typed (typed phones go
    through identity.validate_phone). A foreign Telegram number is kept as its digits."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if MOBILE_RE.match(digits) or 7 <= len(digits) <= 15:
        return digits
    raise InvalidInput("无法识别这个手机号，请联系中心管理员。")


def view(session: Session, person: Person) -> PersonView:
    roles = frozenset(session.exec(select(PersonRole.role).where(PersonRole.person_id == person.id)))
    village = session.get(Village, person.village_id) if person.village_id else None
    grid = session.get(Grid, person.grid_id) if person.grid_id else None
    unit = session.get(Unit, person.unit_id) if person.unit_id else None
    cps = frozenset(session.exec(select(ContactPoint.village_id).where(ContactPoint.person_id == person.id)))
    return PersonView(
        id=person.id,
        telegram_id=person.telegram_id,
        name=person.name,
        phone=person.phone,
        active=person.active,
        roles=frozenset(Role(r) for r in roles),
        village_id=person.village_id,
        grid_id=person.grid_id,
        unit_id=person.unit_id,
        village_name=village.name if village else None,
        grid_name=grid.name if grid else None,
        unit_name=unit.name if unit else None,
        contact_village_ids=cps,
        on_case_desk=person.on_case_desk,
    )


def find_by_telegram(session: Session, *, telegram_id: int) -> PersonView | None:
    person = session.exec(select(Person).where(Person.telegram_id == telegram_id)).first()
    return view(session, person) if person else None


# --- who someone is, kept in memory by the gate ------------------------------------------------
# Every update starts with the gate's lookup (five queries). The PersonView is kept in memory while
# no commit has changed what a view is made of (reference.Watch), so a hit reads nothing and a
# deactivation or a role change counts from the very next message.

class PersonCache:
    """PersonViews by Telegram id (None: not registered), valid while the directory is unchanged."""

    MISS = Memo.MISS

    def __init__(self, memos: Memos | None = None):
        # In the database's memos (Database.memos) beside what units of work remember.
        self._memo: Memo[PersonView | None] = (memos or Memos()).of(DIRECTORY)

    def cached(self, telegram_id: int) -> PersonView | object | None:
        """The view without a database round trip, or PersonCache.MISS (then call `find`)."""
        return self._memo.cached(("telegram", telegram_id))

    def find(self, session: Session, *, telegram_id: int) -> PersonView | None:
        return self._memo.get(("telegram", telegram_id), lambda: find_by_telegram(session, telegram_id=telegram_id))


def get(session: Session, *, person_id: int) -> PersonView:
    """Who someone is by person id: nearly every unit of work asks it for its actor, so it comes from
    the directory memo while the directory is unchanged (reference.remembered)."""
    def read() -> PersonView | None:
        person = session.get(Person, person_id)
        return view(session, person) if person is not None else None

    found = remembered(session, DIRECTORY, ("person", person_id), read)
    if found is None:
        raise NotFound("没有找到这个人员，可能已被删除。")
    return found


def create_person(
    session: Session,
    *,
    name: str,
    phone: str | None,
    roles: set[Role],
    now: datetime,
    telegram_id: int | None = None,
    village_id: int | None = None,
    grid_id: int | None = None,
    unit_id: int | None = None,
) -> Person:
    person = Person(
        telegram_id=telegram_id,
        name=name,
        phone=phone,
        village_id=village_id,
        grid_id=grid_id,
        unit_id=unit_id,
        created_at=now,
    )
    session.add(person)
    session.flush()
    for role in roles:
        session.add(PersonRole(person_id=person.id, role=role))
    session.flush()
    return person


def bootstrap_admin(session: Session, *, telegram_id: int, name: str, now: datetime) -> PersonView | None:
    """A Telegram id listed in BOOTSTRAP_ADMIN_IDS becomes director + admin on its first /start."""
    if session.exec(select(Person).where(Person.telegram_id == telegram_id)).first():
        return None
    person = create_person(
        session,
        name=name[:40] or str(telegram_id),
        phone=None,
        roles={Role.director, Role.admin},
        telegram_id=telegram_id,
        now=now,
    )
    audit.record(
        session, actor_id=person.id, action="person.bootstrap", subject_type="person", subject_id=person.id,
        now=now, telegram_id=telegram_id,
    )
    return view(session, person)


def bind_by_phone(session: Session, *, telegram_id: int, phone: str, now: datetime) -> PersonView | None:
    """An imported person (no Telegram account yet) proves their phone with Telegram's contact button."""
    try:
        phone = normalize_phone(phone)
    except InvalidInput:
        return None
    if session.exec(select(Person).where(Person.telegram_id == telegram_id)).first():
        return None
    matches = list(
        session.exec(
            select(Person).where(Person.phone == phone, col(Person.telegram_id).is_(None), col(Person.active))
        )
    )
    if len(matches) != 1:
        return None
    person = matches[0]
    person.telegram_id = telegram_id
    session.add(person)
    audit.record(
        session, actor_id=person.id, action="person.bind_phone", subject_type="person", subject_id=person.id,
        now=now, telegram_id=telegram_id,
    )
    return view(session, person)


def list_people(
    session: Session,
    *,
    role: Role | None = None,
    village_id: int | None = None,
    offset: int = 0,
    limit: int = 10,
) -> tuple[list[PersonView], int]:
    stmt = select(Person)
    if role is not None:
        stmt = stmt.join(PersonRole, PersonRole.person_id == Person.id).where(PersonRole.role == role)
    if village_id is not None:
        in_cp = select(ContactPoint.person_id).where(ContactPoint.village_id == village_id)
        stmt = stmt.where((Person.village_id == village_id) | col(Person.id).in_(in_cp))
    total = session.exec(select(func.count()).select_from(stmt.subquery())).one()
    rows = session.exec(stmt.order_by(col(Person.active).desc(), col(Person.name)).offset(offset).limit(limit))
    return [view(session, p) for p in rows], total


def with_chats(session: Session) -> list[PersonView]:
    """Everyone active the bot can write to (they have started it), for their command menus."""
    rows = session.exec(select(Person).where(col(Person.active), col(Person.telegram_id).is_not(None))
                        .order_by(col(Person.id)))
    return [view(session, p) for p in rows]


MENUS_KEY = "menus"  # Setting: a digest of every command menu as last sent to Telegram


def menus_sent(session: Session) -> str | None:
    row = session.get(Setting, MENUS_KEY)
    return row.value if row is not None else None


def record_menus_sent(session: Session, *, digest: str) -> None:
    session.merge(Setting(key=MENUS_KEY, value=digest))


def _active_managers(session: Session, roles=MANAGE_PEOPLE) -> set[int]:
    stmt = (
        select(Person.id)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(col(PersonRole.role).in_(list(roles)), col(Person.active))
    )
    return set(session.exec(stmt))


LAST_DIRECTOR = "这是最后一位中心主任，不能取消其主任身份或停用：授予主任、党委书记、管理员身份都需要中心主任。请先任命新的主任。"


def set_roles(session: Session, *, actor_id: int, person_id: int, roles: set[Role], now: datetime) -> PersonView:
    actor = get(session, person_id=actor_id)
    require(actor.roles, MANAGE_PEOPLE)
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("没有找到这个人员。")
    if not roles:
        raise InvalidInput("至少要保留一个身份。")
    before = set(session.exec(select(PersonRole.role).where(PersonRole.person_id == person_id)))
    require_grant(actor.roles, before ^ set(roles))
    if (
        person.active
        and Role.director in before
        and Role.director not in roles
        and _active_managers(session, {Role.director}) == {person_id}
    ):
        raise InvalidInput(LAST_DIRECTOR)
    if (
        person.active
        and before & MANAGE_PEOPLE
        and not roles & MANAGE_PEOPLE
        and _active_managers(session) == {person_id}
    ):
        raise InvalidInput("这是最后一位主任/管理员，不能取消其管理身份，否则没人能管理系统。")
    session.exec(delete(PersonRole).where(PersonRole.person_id == person_id))
    for role in roles:
        session.add(PersonRole(person_id=person_id, role=role))
    audit.record(
        session, actor_id=actor_id, action="person.roles", subject_type="person", subject_id=person_id, now=now,
        before=sorted(before), after=sorted(roles),
    )
    session.flush()
    return view(session, person)


def set_active(session: Session, *, actor_id: int, person_id: int, active: bool, now: datetime) -> PersonView:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("没有找到这个人员。")
    if not active and person_id == actor_id:
        raise InvalidInput("不能停用自己的账号。")
    if not active and _active_managers(session) == {person_id}:
        raise InvalidInput("这是最后一位主任/管理员，不能停用。")
    if not active and _active_managers(session, {Role.director}) == {person_id}:
        raise InvalidInput(LAST_DIRECTOR)
    if person.active != active:
        person.active = active
        session.add(person)
        audit.record(
            session, actor_id=actor_id, action="person.activate" if active else "person.deactivate",
            subject_type="person", subject_id=person_id, now=now,
        )
    return view(session, person)


def set_case_desk(session: Session, *, actor_id: int, person_id: int, on: bool, now: datetime) -> PersonView:
    """The case desk (受理台): staff who receive every new case. Nobody on it means all staff."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("没有找到这个人员。")
    if on and Role.staff not in set(session.exec(select(PersonRole.role).where(PersonRole.person_id == person_id))):
        raise InvalidInput("只有中心工作人员可以加入受理台。")
    if person.on_case_desk != on:
        person.on_case_desk = on
        session.add(person)
        audit.record(session, actor_id=actor_id, action="person.case_desk", subject_type="person",
                     subject_id=person_id, now=now, on=on)
    return view(session, person)


def toggle_contact_point(
    session: Session, *, actor_id: int, person_id: int, village_id: int, now: datetime
) -> PersonView:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("没有找到这个人员。")
    if session.get(Village, village_id) is None:
        raise NotFound("没有找到这个村（社区）。")
    existing = session.get(ContactPoint, (person_id, village_id))
    if existing:
        session.delete(existing)
    else:
        session.add(ContactPoint(person_id=person_id, village_id=village_id, since=now))
    audit.record(
        session, actor_id=actor_id, action="contact_point.remove" if existing else "contact_point.add",
        subject_type="person", subject_id=person_id, now=now, village_id=village_id,
    )
    session.flush()
    return view(session, person)


def manager_telegram_ids(session: Session) -> list[int]:
    """Where error alerts go: active admins/directors with a Telegram account."""
    stmt = (
        select(Person.telegram_id)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(PersonRole.role == Role.admin, col(Person.active), col(Person.telegram_id).is_not(None))
        .distinct()
    )
    return [t for t in session.exec(stmt) if t is not None]
