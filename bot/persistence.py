"""PTB persistence in our own database (not pickle): a half-filled form survives a restart.

Only conversation states, user_data and chat_data are stored; bot_data holds live objects
(database, clock) and is deliberately not persisted. Values must be JSON-serialisable.
"""

import logging

from telegram.ext import BasePersistence, PersistenceInput

from bot.db import Database
from bot.services import state_store

log = logging.getLogger(__name__)


class DatabasePersistence(BasePersistence[dict, dict, dict]):
    def __init__(self, db: Database, *, update_interval: float = 1.0):
        # A short interval: PTB writes changed states only every interval, and a crash loses at
        # most that window of a conversation.
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=True, user_data=True, callback_data=False),
            update_interval=update_interval,
        )
        self.db = db

    async def get_conversations(self, name: str) -> dict:
        return await self.db.run(state_store.load_conversations, name=name)

    async def update_conversation(self, name: str, key: tuple, new_state: object | None) -> None:
        await self.db.run(state_store.save_conversation, name=name, key=key, state=new_state)

    async def get_user_data(self) -> dict[int, dict]:
        return await self.db.run(state_store.load_data, kind="user")

    async def get_chat_data(self) -> dict[int, dict]:
        return await self.db.run(state_store.load_data, kind="chat")

    async def update_user_data(self, user_id: int, data: dict) -> None:
        await self.db.run(state_store.save_data, kind="user", owner_id=user_id, data=data)

    async def update_chat_data(self, chat_id: int, data: dict) -> None:
        await self.db.run(state_store.save_data, kind="chat", owner_id=chat_id, data=data)

    async def drop_user_data(self, user_id: int) -> None:
        await self.db.run(state_store.drop_data, kind="user", owner_id=user_id)

    async def drop_chat_data(self, chat_id: int) -> None:
        await self.db.run(state_store.drop_data, kind="chat", owner_id=chat_id)

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
