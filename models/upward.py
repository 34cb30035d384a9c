"""上报上级's list of higher departments (县委政法委, 县公安局 …), edited in /admin. It starts from the
UPPER_DEPARTMENTS setting the first time it is needed; a removed department is kept (inactive) and
comes back when added again. Records keep the names as text, so an edit never changes them."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.base import UTCDateTime


class UpperDepartment(SQLModel, table=True):
    __tablename__ = "upper_department"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=20, unique=True)
    seq: int  # the order of the buttons
    active: bool = True
    changed_at: datetime = Field(sa_type=UTCDateTime)
