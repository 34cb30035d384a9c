"""Updates from different chats are handled concurrently; updates of one chat stay in order.

A conversation (a half-filled report, a typed reason) must see its person's messages one after
another, but one slow database call for one village must not hold up everyone else.
"""

import asyncio
import time
from collections.abc import Awaitable
from weakref import WeakValueDictionary

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.ops import metrics


class PerChatUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 16):
        super().__init__(max_concurrent_updates)
        self._locks: WeakValueDictionary[int, asyncio.Lock] = WeakValueDictionary()

    async def do_process_update(self, update: object, coroutine: Awaitable) -> None:
        key = 0
        if isinstance(update, Update):
            chat, user = update.effective_chat, update.effective_user
            key = chat.id if chat else (user.id if user else 0)
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        async with lock:
            began = time.monotonic()
            try:
                await coroutine
            finally:
                metrics.update_handled(time.monotonic() - began)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
