"""The outbox: notifications are rows written in the same transaction as the change that caused
them (DESIGN.md rule 2), and a sender job delivers them. Nothing is lost, nothing sent twice."""

import json
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models import Outbox

Buttons = list[list[tuple[str, str]]]  # rows of (label, callback data)


def enqueue(
    session: Session,
    *,
    chat_id: int,
    text: str,
    key: str,
    now: datetime,
    person_id: int | None = None,
    buttons: Buttons | None = None,
    urgent: bool = False,
) -> bool:
    """Queue one message. The key makes it idempotent: a second enqueue with the same key is a no-op."""
    if session.exec(select(Outbox.id).where(Outbox.key == key)).first() is not None:
        return False
    row = Outbox(
        key=key, chat_id=chat_id, person_id=person_id, text=text,
        buttons=json.dumps(buttons, ensure_ascii=False) if buttons else None,
        urgent=urgent, next_attempt_at=now, created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # a concurrent transaction queued the same key first
        return False
    return True
