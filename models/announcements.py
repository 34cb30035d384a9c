"""传达: announcements and documents sent to people by role, village, unit or to everyone, with read
receipts (已阅), and for 学习 the attendance (参加 / 请假 with a reason)."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, String, Text
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime


class AnnouncementKind(StrEnum):
    superior = "superior"  # 上级精神传达
    deployment = "deployment"  # 工作部署
    legal = "legal"  # 法制宣传
    study = "study"  # 学习 (also takes attendance)


class Announcement(SQLModel, table=True):
    """One 传达. The file is kept by its Telegram file id (document or photo) and re-sent by it."""

    id: int | None = Field(default=None, primary_key=True)
    kind: AnnouncementKind = Field(sa_type=String(12))
    sender_id: int = Field(foreign_key="person.id")
    text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    file_id: str | None = Field(default=None, max_length=200)
    file_kind: str | None = Field(default=None, max_length=10)  # document / photo
    file_name: str | None = Field(default=None, max_length=120)
    audience: str = Field(default="", max_length=300)  # the chosen groups, in words (台账 传达范围)
    sent_at: datetime = Field(sa_type=UTCDateTime)
    sender_reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AnnouncementRecipient(SQLModel, table=True):
    __tablename__ = "announcement_recipient"
    announcement_id: int = Field(foreign_key="announcement.id", primary_key=True)
    person_id: int = Field(foreign_key="person.id", primary_key=True)
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # the sender's last 提醒
    attendance: str | None = Field(default=None, max_length=10)  # 学习: attend / leave
    reason: str | None = Field(default=None, max_length=200)
