"""Digests the scheduler pushes (晨报, 周报, the month pack) and the electronic case file (一案一档)."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, String
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime


class DigestKind(StrEnum):
    daily = "daily"  # 每日晨报, 08:30 every working day
    weekly = "weekly"  # 每周简报, the week's first working day
    monthly = "monthly"  # 月度材料 (statistics and ledgers), the 1st


class DigestRun(SQLModel, table=True):
    """One row per digest kind and day once it went out: a second run, a restart or a second
    process finds it and sends nothing again (each person's row in the outbox has its own key too)."""

    __tablename__ = "digest_run"
    kind: DigestKind = Field(primary_key=True, sa_type=String(10))
    day: date = Field(primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime)
    recipients: int = 0


class DigestOptOut(SQLModel, table=True):
    """A person who switched a digest kind off (「不再接收」 or /settings); no row: they receive it."""

    __tablename__ = "digest_opt_out"
    person_id: int = Field(foreign_key="person.id", primary_key=True)
    kind: DigestKind = Field(primary_key=True, sa_type=String(10))
    at: datetime = Field(sa_type=UTCDateTime)


class CaseFile(SQLModel, table=True):
    """A built 一案一档 .zip, kept as the Telegram file ids of its parts: sending it again reuses them.
    `fingerprint` says what it was built from (the case's last event, its files and notices, and
    what the viewer may see), so a changed case or a different view gets a new file."""

    __tablename__ = "case_file"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    fingerprint: str = Field(max_length=64, unique=True)
    file_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    size: int = 0  # bytes, all parts together
    built_at: datetime = Field(sa_type=UTCDateTime)
