"""PTB persistence in our own database (not pickle): a half-filled form survives a restart.

Only conversation states, user_data and chat_data are stored; bot_data holds live objects
(database, clock) and is deliberately not persisted. Values must be JSON-serialisable.
"""

import asyncio
import json
import logging
from dataclasses import dataclass, field

from telegram.ext import BasePersistence, PersistenceInput

from bot.db import Database
from bot.services import state_store

log = logging.getLogger(__name__)


@dataclass
class _Batch:
    writes: list[state_store.Write] = field(default_factory=list)
    task: asyncio.Task | None = None


class DatabasePersistence(BasePersistence[dict, dict, dict]):
    def __init__(self, db: Database, *, update_interval: float = 1.0):
        # A short interval: PTB writes changed states only every interval, and a crash loses at
        # most that window of a conversation.
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=True, user_data=True, callback_data=False),
            update_interval=update_interval,
        )
        self.db = db
        # What each user/chat row holds, as JSON: PTB hands over the data of everyone who sent an
        # update at every interval, changed or not, and an unchanged row is not written again.
        self._saved: dict[tuple[str, int], str] = {}
        self._batch: _Batch | None = None
        self._committing = asyncio.Lock()  # batches land in the order they were made

    async def _load(self, kind: str) -> dict[int, dict]:
        rows = await self.db.run(state_store.load_data, kind=kind)
        self._saved.update({(kind, owner): _snapshot(data) for owner, data in rows.items()})
        return rows

    async def _save(self, kind: str, owner_id: int, data: dict) -> None:
        snapshot = _snapshot(data)
        if self._saved.get((kind, owner_id)) == snapshot:
            return
        await self._write(state_store.Write(kind, owner_id, data))
        self._saved[(kind, owner_id)] = snapshot

    async def _drop(self, kind: str, owner_id: int) -> None:
        self._saved.pop((kind, owner_id), None)
        await self._write(state_store.Write(kind, owner_id, None))

    async def _write(self, write: state_store.Write) -> None:
        """PTB hands over an interval's changes all at once (one asyncio.gather of these calls): they
        join one batch and reach the database as one unit of work, not one each (on SQLite each
        took the write lock, and each was a hop to a database thread)."""
        batch = self._batch
        if batch is None:
            batch = self._batch = _Batch()
            batch.task = asyncio.create_task(self._commit(batch), name="persistence-batch")
        batch.writes.append(write)
        await asyncio.shield(batch.task)  # every caller learns whether its write landed

    async def _commit(self, batch: _Batch) -> None:
        # Runs after the gather's other calls (their tasks were scheduled first) have joined.
        self._batch = None
        async with self._committing:
            await self.db.run(state_store.save_all, writes=batch.writes)

    async def get_conversations(self, name: str) -> dict:
        return await self.db.run(state_store.load_conversations, name=name)

    async def update_conversation(self, name: str, key: tuple, new_state: object | None) -> None:
        await self._write(state_store.Write(state_store.CONVERSATION, key, new_state, name=name))

    async def get_user_data(self) -> dict[int, dict]:
        return await self._load("user")

    async def get_chat_data(self) -> dict[int, dict]:
        return await self._load("chat")

    async def update_user_data(self, user_id: int, data: dict) -> None:
        await self._save("user", user_id, data)

    async def update_chat_data(self, chat_id: int, data: dict) -> None:
        await self._save("chat", chat_id, data)

    async def drop_user_data(self, user_id: int) -> None:
        await self._drop("user", user_id)

    async def drop_chat_data(self, chat_id: int) -> None:
        await self._drop("chat", chat_id)

    # bot_data and callback_data are not stored (see the module docstring).
    async def get_bot_data(self) -> dict:
        return {}

    async def update_bot_data(self, data: dict) -> None:
        return None

    async def refresh_bot_data(self, bot_data: dict) -> None:
        return None

    async def get_callback_data(self) -> None:
        return None

    async def update_callback_data(self, data) -> None:
        return None

    async def refresh_user_data(self, user_id: int, user_data: dict) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict) -> None:
        return None

    async def flush(self) -> None:
        return None


def _snapshot(data: dict) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
