"""Which messages a conversation step sent or edited, so a flow can take a passed step's buttons away.

PTB has one hook that sees every Bot API call with its answer: the rate limiter. `MessageWatch`
limits nothing; it passes each call through and, while a flow handles an update (`watching()`),
notes the messages that update's handler sent or edited and whether each now carries inline
buttons. Only calls made by the handler's own task count: a delivery task it starts (the outbox
sender) sends notifications, not steps.
"""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import BaseRateLimiter

MessageKey = tuple[int, int]  # chat id, message id


@dataclass
class Touched:
    task: asyncio.Task | None
    buttons: dict[MessageKey, bool] = field(default_factory=dict)  # in order: carries inline buttons now

    def note(self, endpoint: str, data: dict[str, Any], result: object) -> None:
        if isinstance(result, dict) and "message_id" in result and isinstance(result.get("chat"), dict):
            key = (int(result["chat"]["id"]), int(result["message_id"]))
            self.buttons.pop(key, None)  # re-insert: the newest change comes last
            self.buttons[key] = bool((result.get("reply_markup") or {}).get("inline_keyboard"))
        elif endpoint == "deleteMessage" and result is True:
            self.buttons[(int(data["chat_id"]), int(data["message_id"]))] = False

    def newest_with_buttons(self) -> MessageKey | None:
        return next((key for key, has in reversed(self.buttons.items()) if has), None)


_current: ContextVar[Touched | None] = ContextVar("flow_messages", default=None)


@contextmanager
def watching() -> Iterator[Touched]:
    touched = Touched(asyncio.current_task())
    token = _current.set(touched)
    try:
        yield touched
    finally:
        _current.reset(token)


class MessageWatch(BaseRateLimiter[None]):
    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        result = await callback(*args, **kwargs)
        touched = _current.get()
        if touched is not None and touched.task is asyncio.current_task():
            touched.note(endpoint, data, result)
        return result
