"""People, their roles and the places they belong to."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime


class Role(StrEnum):
    director = "director"
    secretary = "secretary"
    township_leader = "township_leader"  # 镇党政领导: may be named 包案领导 by the party secretary
    leader = "leader"
    staff = "staff"
    grid = "grid"
    unit = "unit"
    admin = "admin"


class Village(SQLModel, table=True):
    """村 or 社区 of the township."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=50, unique=True)
    kind: str = Field(default="村", max_length=10)  # 村 / 社区
    active: bool = True


class Grid(SQLModel, table=True):
    """网格: a part of a village that one or more grid workers look after."""

    __table_args__ = (UniqueConstraint("village_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    village_id: int = Field(foreign_key="village.id", index=True)
    name: str = Field(max_length=50)


class Unit(SQLModel, table=True):
    """承办单位: a member unit that receives assigned cases and supervision notices."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=50, unique=True)
    kind: str = Field(default="成员单位", max_length=20)
    active: bool = True


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int | None = Field(default=None, sa_column=Column(BigInteger, unique=True, nullable=True))
    name: str = Field(max_length=40)
    phone: str | None = Field(default=None, max_length=20)
    active: bool = True
    village_id: int | None = Field(default=None, foreign_key="village.id")
    grid_id: int | None = Field(default=None, foreign_key="grid.id")
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    on_case_desk: bool = False  # receives every new case (the center's intake list)
    unreachable: bool = False  # the person blocked the bot; admins are told
    created_at: datetime = Field(sa_type=UTCDateTime)


class PersonRole(SQLModel, table=True):
    """A person may hold several roles; one row each."""

    __tablename__ = "person_role"
    person_id: int = Field(foreign_key="person.id", primary_key=True)
    # Plain strings, not a database ENUM: adding a role later needs no ALTER TYPE.
    role: Role = Field(primary_key=True, sa_type=String(20))


class ContactPoint(SQLModel, table=True):
    """工作联系点: a leader or staff member who answers for a village."""

    __tablename__ = "contact_point"
    person_id: int = Field(foreign_key="person.id", primary_key=True)
    village_id: int = Field(foreign_key="village.id", primary_key=True, index=True)
    # from when the contact point's work is counted (a quiet contact point is chased from here)
    since: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Invitation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    role: Role = Field(sa_type=String(20))
    village_id: int | None = Field(default=None, foreign_key="village.id")
    grid_id: int | None = Field(default=None, foreign_key="grid.id")
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    issued_by_id: int = Field(foreign_key="person.id")
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_by_id: int | None = Field(default=None, foreign_key="person.id")
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
