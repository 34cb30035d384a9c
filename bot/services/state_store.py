"""Storage behind PTB's persistence: conversation states and per-user/chat data as JSON rows.

Kept here (not in bot/persistence.py) so the SQL lives in the domain layer, which never imports
`telegram`; the persistence adapter only converts keys.
"""

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete
from sqlmodel import Session, select

from bot.services.sql import insert_for
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
    """An interval's changes in at most four statements, not a read and a write per row; of two
    writes to one row the later wins."""
    states: dict[tuple, Any] = {}
    data: dict[tuple, Any] = {}
    for w in writes:
        if w.kind == CONVERSATION:
            states[(w.name, json.dumps(list(w.owner)))] = w.value
        else:
            data[(w.kind, w.owner)] = w.value
    _put(session, ConversationState.__table__, ("name", "key"), "state", states)
    _put(session, StoredData.__table__, ("kind", "owner_id"), "data", data)


def _put(session: Session, table, key: tuple[str, str], column: str, values: dict[tuple, Any]) -> None:
    """Rows by key: a value is upserted, None deletes the row; one statement each for all the rows."""
    kept = [dict(zip(key, k, strict=True), **{column: v}) for k, v in values.items() if v is not None]
    gone = [{"k0": k[0], "k1": k[1]} for k, v in values.items() if v is None]
    if kept:
        upsert = insert_for(session)(table)
        session.execute(upsert.on_conflict_do_update(index_elements=list(key), set_={column: upsert.excluded[column]}),
                        kept)
    if gone:
        session.execute(delete(table).where(table.c[key[0]] == bindparam("k0"), table.c[key[1]] == bindparam("k1")),
                        gone)


def load_conversations(session: Session, *, name: str) -> dict[tuple, Any]:
    rows = session.exec(select(ConversationState).where(ConversationState.name == name))
    return {tuple(json.loads(r.key)): r.state for r in rows}


def load_data(session: Session, *, kind: str) -> dict[int, dict]:
    rows = session.exec(select(StoredData).where(StoredData.kind == kind))
    return {r.owner_id: dict(r.data or {}) for r in rows}
