"""Every change writes an audit event in the same transaction as the change itself."""

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from models import AuditEvent


def record(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    subject_type: str,
    subject_id: int | None,
    now: datetime,
    **details: Any,
) -> None:
    session.add(
        AuditEvent(
            actor_id=actor_id,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            details=details,
            at=now,
        )
    )


def events_for(session: Session, *, subject_type: str, subject_id: int) -> list[AuditEvent]:
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.subject_type == subject_type, AuditEvent.subject_id == subject_id)
        .order_by(col(AuditEvent.at), col(AuditEvent.id))
    )
    return list(session.exec(stmt))
