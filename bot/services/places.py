"""Villages/communities, their grids, and member units: listed, created and renamed by admins."""

from datetime import datetime

from sqlalchemy import Row
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.services import audit, reference
from bot.services.errors import InvalidInput, NotFound
from models import ContactPoint, Grid, Person, Unit, Village

MAX_NAME = 30


def clean_name(name: str, what: str) -> str:
    name = " ".join((name or "").split())
    if not 2 <= len(name) <= MAX_NAME:
        raise InvalidInput(f"{what}名称需为 2–{MAX_NAME} 个字。")
    if any(ch in name for ch in "<>&"):  # names go into HTML messages and documents verbatim
        raise InvalidInput(f"{what}名称不能包含 < > & 符号。")
    return name


def village_kind(name: str) -> str:
    return "社区" if name.endswith("社区") else "村"


def list_villages(session: Session) -> list[Village]:
    return list(session.exec(select(Village).where(col(Village.active)).order_by(col(Village.id))))


def list_grids(session: Session, *, village_id: int) -> list[Grid]:
    return list(session.exec(select(Grid).where(Grid.village_id == village_id).order_by(col(Grid.id))))


def list_units(session: Session) -> list[Unit]:
    return list(session.exec(select(Unit).where(col(Unit.active)).order_by(col(Unit.id))))


def get_village(session: Session, *, village_id: int) -> Row:
    """An active village to read (from the directory memo: the report steps ask on every choice)."""
    village = reference.village(session, village_id)
    if village is None or not village.active:
        raise NotFound("没有找到这个村（社区）。")
    return village


def get_grid(session: Session, *, grid_id: int) -> Row:
    grid = reference.grid(session, grid_id)
    if grid is None:
        raise NotFound("没有找到这个网格。")
    return grid


def get_unit(session: Session, *, unit_id: int) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None or not unit.active:
        raise NotFound("没有找到这个单位。")
    return unit


def _save(session: Session, obj, duplicate_message: str) -> None:
    # A savepoint, so a duplicate name is a clear answer, not a broken unit of work.
    try:
        with session.begin_nested():
            session.add(obj)
    except IntegrityError:
        raise InvalidInput(duplicate_message) from None


def create_village(session: Session, *, actor_id: int, name: str, now: datetime) -> Village:
    name = clean_name(name, "村（社区）")
    village = Village(name=name, kind=village_kind(name))
    _save(session, village, f"已经有叫「{name}」的村（社区）了。")
    audit.record(session, actor_id=actor_id, action="village.create", subject_type="village",
                 subject_id=village.id, now=now, name=name)
    return village


def rename_village(session: Session, *, actor_id: int, village_id: int, name: str, now: datetime) -> Village:
    village = session.get(Village, village_id)
    if village is None or not village.active:
        raise NotFound("没有找到这个村（社区）。")
    old, village.name = village.name, clean_name(name, "村（社区）")
    village.kind = village_kind(village.name)
    _save(session, village, f"已经有叫「{village.name}」的村（社区）了。")
    audit.record(session, actor_id=actor_id, action="village.rename", subject_type="village",
                 subject_id=village.id, now=now, before=old, after=village.name)
    return village


def create_grid(session: Session, *, actor_id: int, village_id: int, name: str, now: datetime) -> Grid:
    village = get_village(session, village_id=village_id)
    name = clean_name(name, "网格")
    grid = Grid(village_id=village.id, name=name)
    _save(session, grid, f"{village.name} 已经有「{name}」了。")
    audit.record(session, actor_id=actor_id, action="grid.create", subject_type="grid",
                 subject_id=grid.id, now=now, village_id=village.id, name=name)
    return grid


def create_unit(session: Session, *, actor_id: int, name: str, now: datetime) -> Unit:
    name = clean_name(name, "单位")
    unit = Unit(name=name)
    _save(session, unit, f"已经有叫「{name}」的单位了。")
    audit.record(session, actor_id=actor_id, action="unit.create", subject_type="unit",
                 subject_id=unit.id, now=now, name=name)
    return unit


def rename_unit(session: Session, *, actor_id: int, unit_id: int, name: str, now: datetime) -> Unit:
    unit = get_unit(session, unit_id=unit_id)
    old, unit.name = unit.name, clean_name(name, "单位")
    _save(session, unit, f"已经有叫「{unit.name}」的单位了。")
    audit.record(session, actor_id=actor_id, action="unit.rename", subject_type="unit",
                 subject_id=unit.id, now=now, before=old, after=unit.name)
    return unit


def contact_leaders(session: Session, *, village_id: int) -> list[Person]:
    stmt = (
        select(Person)
        .join(ContactPoint, ContactPoint.person_id == Person.id)
        .where(ContactPoint.village_id == village_id, col(Person.active))
        .order_by(col(Person.name))
    )
    return list(session.exec(stmt))


def unit_contacts(session: Session, *, unit_id: int) -> list[Person]:
    stmt = select(Person).where(Person.unit_id == unit_id, col(Person.active)).order_by(col(Person.name))
    return list(session.exec(stmt))
