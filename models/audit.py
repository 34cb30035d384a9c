"""The audit trail: who did what to which record, and when."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"
    # A case's history is its audit events: read by subject.
    __table_args__ = (Index("ix_audit_event_subject", "subject_type", "subject_id"),)
    id: int | None = Field(default=None, primary_key=True)
    actor_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    action: str = Field(max_length=50, index=True)
    subject_type: str = Field(max_length=30)
    subject_id: int | None = None
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    at: datetime = Field(sa_type=UTCDateTime, index=True)
