"""Storage behind PTB's persistence: conversation states and per-user/chat data as JSON rows.

Kept here (not in bot/persistence.py) so the SQL lives in the domain layer, which never imports
`telegram`; the persistence adapter only converts keys.
"""

import json
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, delete, select

from models import ConversationState, StoredData

CONVERSATION = "conversation"


@dataclass(frozen=True)
class Write:
    """One change for `save_all`: a conversation's state (kind CONVERSATION, owner = its key) or a
    user's or chat's data (kind "user"/"chat"); None removes the row."""

    kind: str
    owner: Any
    value: Any
    name: str = ""


def save_all(session: Session, *, writes: list[Write]) -> None:
    for w in writes:
        if w.kind == CONVERSATION:
            save_conversation(session, name=w.name, key=w.owner, state=w.value)
        elif w.value is None:
            drop_data(session, kind=w.kind, owner_id=w.owner)
        else:
            save_data(session, kind=w.kind, owner_id=w.owner, data=w.value)


def load_conversations(session: Session, *, name: str) -> dict[tuple, Any]:
    rows = session.exec(select(ConversationState).where(ConversationState.name == name))
    return {tuple(json.loads(r.key)): r.state for r in rows}


def save_conversation(session: Session, *, name: str, key: tuple, state: Any) -> None:
    skey = json.dumps(list(key))
    row = session.get(ConversationState, (name, skey))
    if state is None:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        session.add(ConversationState(name=name, key=skey, state=state))
    else:
        row.state = state
        session.add(row)


def load_data(session: Session, *, kind: str) -> dict[int, dict]:
    rows = session.exec(select(StoredData).where(StoredData.kind == kind))
    return {r.owner_id: dict(r.data or {}) for r in rows}


def save_data(session: Session, *, kind: str, owner_id: int, data: dict) -> None:
    row = session.get(StoredData, (kind, owner_id))
    if row is None:
        session.add(StoredData(kind=kind, owner_id=owner_id, data=data))
    else:
        row.data = data
        session.add(row)


def drop_data(session: Session, *, kind: str, owner_id: int) -> None:
    session.exec(delete(StoredData).where(StoredData.kind == kind, StoredData.owner_id == owner_id))
