"""工作联系点制度: what a contact-point leader did for their village, and what they fed back to the center."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, String, Text
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime


class ContactWork(StrEnum):
    """The value is the stored word and the label (联系点领导的主要职责 1–5), so it never changes."""

    inspect = "督导检查"  # 1: 检查督促各项工作落实
    visit = "走访了解"  # 2: 深入基层掌握不稳定因素
    convey = "传达部署"  # 3: 传达上级文件精神和工作部署
    meeting = "参加村例会"  # 4: 参加工作联系点综治工作例会
    guide = "指导化解"  # 2, 5: 指导督促化解, 现场处置
    publicity = "宣传教育"  # 7: 综治宣传, 道德法制教育


class ContactRecord(SQLModel, table=True):
    """One piece of a contact-point leader's work in their village; a problem for the center to help
    with (二.3 及时反馈给中心协同解决) and the director's answer to it."""

    __tablename__ = "contact_record"
    id: int | None = Field(default=None, primary_key=True)
    village_id: int = Field(foreign_key="village.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    work: ContactWork = Field(sa_type=String(12))
    done_on: date
    content: str = Field(sa_column=Column(Text, nullable=False))
    problem: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(sa_type=UTCDateTime)
    answer: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    answered_by_id: int | None = Field(default=None, foreign_key="person.id")
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
