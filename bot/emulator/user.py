"""The user side: a person writing to the bot, pressing its buttons and reading its answers."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Any

from .formatting import utf16_len
from .state import (
    CallbackAnswer,
    ChatRecord,
    MessageVersion,
    StoredFile,
    StoredMessage,
    UserRecord,
    World,
    button_texts,
    edited,
)

_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,})?")

MessageRef = StoredMessage | dict[str, Any] | int
Predicate = Callable[[StoredMessage], bool]


class _Own:
    """Default of `send_contact(user_id=...)`: the sender's own contact card."""

    def __repr__(self) -> str:
        return "OWN"


OWN: Any = _Own()


def _command_entities(text: str) -> tuple[dict[str, Any], ...]:
    return tuple(
        {"type": "bot_command", "offset": utf16_len(text[: m.start()]), "length": utf16_len(m.group())}
        for m in _COMMAND_RE.finditer(text)
    )


class EmulatedUser:
    """A Telegram user. Actions queue updates for the bot; readers show what the person sees.

    `wait_for_message` returns bot messages (new or edited) that appeared after the user's latest
    action, one per call, in order of appearance; each returned message is consumed.
    """

    def __init__(self, world: World, record: UserRecord):
        self._world = world
        self.record = record
        self._cursor = world.seq  # bot messages up to this sequence number are already seen
        self._chat_id = record.id  # the chat of the latest action, watched by wait_for_message

    def __repr__(self) -> str:
        return f"EmulatedUser({self.id}, {self.record.first_name!r})"

    @property
    def id(self) -> int:
        return self.record.id

    @property
    def first_name(self) -> str:
        return self.record.first_name

    @property
    def blocked(self) -> bool:
        return self.record.blocked_bot

    def to_api(self) -> dict[str, Any]:
        return self.record.to_api()

    # --- actions --------------------------------------------------------------------------------

    async def send_text(
        self, text: str, *, chat_id: int | None = None, reply_to: MessageRef | None = None
    ) -> dict[str, Any]:
        """Send a text; "/command ..." gets a bot_command entity like in a real client."""
        return self._post(chat_id, "text", text=text, entities=_command_entities(text), reply_to=reply_to)

    async def edit_text(self, message: MessageRef, text: str, *, chat_id: int | None = None) -> dict[str, Any]:
        """Edit one of the user's own text messages; the bot gets an `edited_message` update."""
        target = self._resolve(message, chat_id)
        if target.sender.id != self.id or target.kind != "text":
            raise ValueError(f"user {self.id} can only edit their own text messages")
        self._world.edit_message(target, edited(target.current, text=text, plain_text=text,
                                                entities=_command_entities(text)))
        self._mark(target.chat)
        data = target.to_api()
        self._world.queue_update("edited_message", data)
        return data

    async def send_contact(
        self,
        phone_number: str,
        *,
        user_id: int | None = OWN,
        first_name: str | None = None,
        last_name: str | None = None,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """Share a contact: by default the user's own (what a request_contact button sends)."""
        own = user_id is OWN
        contact: dict[str, Any] = {
            "phone_number": phone_number,
            "first_name": first_name or (self.record.first_name if own else "Contact"),
        }
        if own and last_name is None:
            last_name = self.record.last_name
        if last_name:
            contact["last_name"] = last_name
        if own:
            contact["user_id"] = self.id
        elif user_id is not None:
            contact["user_id"] = user_id
        return self._post(chat_id, "contact", payload=contact)

    async def send_location(
        self, latitude: float, longitude: float, *, chat_id: int | None = None
    ) -> dict[str, Any]:
        return self._post(chat_id, "location", payload={"latitude": latitude, "longitude": longitude})

    async def send_photo(
        self,
        data: bytes,
        *,
        caption: str | None = None,
        width: int = 800,
        height: int = 600,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        stored = self._world.store_file("photo", data, width=width, height=height)
        return self._post(chat_id, "photo", text=caption, file=stored)

    async def send_document(
        self,
        data: bytes,
        *,
        filename: str = "document",
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        stored = self._world.store_file("document", data, file_name=filename, mime_type=mime_type)
        return self._post(chat_id, "document", text=caption, file=stored)

    async def send_voice(
        self, data: bytes, *, duration: int = 1, mime_type: str = "audio/ogg", chat_id: int | None = None
    ) -> dict[str, Any]:
        stored = self._world.store_file("voice", data, duration=duration, mime_type=mime_type)
        return self._post(chat_id, "voice", file=stored)

    async def send_video(
        self,
        data: bytes,
        *,
        duration: int = 1,
        width: int = 640,
        height: int = 480,
        caption: str | None = None,
        mime_type: str = "video/mp4",
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        stored = self._world.store_file(
            "video", data, duration=duration, width=width, height=height, mime_type=mime_type
        )
        return self._post(chat_id, "video", text=caption, file=stored)

    async def send_sticker(self, *, emoji: str = "👍", chat_id: int | None = None) -> dict[str, Any]:
        stored = self._world.store_file(
            "sticker", b"RIFF\x00\x00\x00\x00WEBP", width=512, height=512, emoji=emoji
        )
        return self._post(chat_id, "sticker", file=stored)

    async def press(
        self,
        message: MessageRef,
        text: str | None = None,
        *,
        data: str | None = None,
        chat_id: int | None = None,
    ) -> str:
        """Press an inline button; returns the callback query id.

        By `text` the button must be on the message's current keyboard. With `data=` the callback
        data is sent as given even if no button carries it: a modified client can do that, and a
        bot must refuse forged or stale presses, so tests need to be able to make them.
        """
        if (text is None) == (data is None):
            raise ValueError("press() needs either the button text or data=")
        target = self._resolve(message, chat_id)
        if target.deleted:
            raise LookupError(f"message {target.message_id} was deleted")
        if data is None:
            markup = target.current.inline_markup
            buttons = [button for row in markup["inline_keyboard"] for button in row] if markup else []
            button = next((b for b in buttons if b.get("text") == text), None)
            if button is None:
                raise LookupError(
                    f"no button {text!r} on message {target.message_id}; buttons: {target.buttons}"
                )
            if "callback_data" not in button:
                raise ValueError(f"button {text!r} is not a callback button")
            data = button["callback_data"]
        self._mark(target.chat)
        return self._world.new_callback_query(self.record, target, data).id

    def block_bot(self) -> None:
        self.record.blocked_bot = True

    def unblock_bot(self) -> None:
        self.record.blocked_bot = False

    def _post(
        self,
        chat_id: int | None,
        kind: str,
        *,
        text: str | None = None,
        entities: tuple[dict[str, Any], ...] = (),
        file: StoredFile | None = None,
        payload: dict[str, Any] | None = None,
        reply_to: MessageRef | None = None,
    ) -> dict[str, Any]:
        if self.record.blocked_bot:
            # A real client shows "Restart" instead of the input field until the bot is unblocked.
            raise RuntimeError(f"user {self.id} blocked the bot; call unblock_bot() first")
        chat = self._world.chat_for_user(self.record, chat_id)
        reply_target = self._resolve(reply_to, chat.id) if reply_to is not None else None
        self._mark(chat)
        version = MessageVersion(text, None, text, entities)
        message = self._world.add_message(
            chat, self.record, kind, version, file=file, payload=payload, reply_to=reply_target
        )
        data = message.to_api()
        self._world.queue_update("message", data)
        return data

    def _mark(self, chat: ChatRecord) -> None:
        self._cursor = self._world.seq
        self._chat_id = chat.id

    def _resolve(self, message: MessageRef, chat_id: int | None) -> StoredMessage:
        if isinstance(message, StoredMessage):
            return message
        if isinstance(message, dict):
            chat_id, message_id = message["chat"]["id"], message["message_id"]
        else:
            message_id = message
        found = self._world.message(self.id if chat_id is None else chat_id, message_id)
        if found is None:
            raise LookupError(f"no message {message_id} in chat {chat_id or self.id}")
        return found

    # --- what the person sees -------------------------------------------------------------------

    def messages(self, chat_id: int | None = None, *, include_deleted: bool = False) -> list[StoredMessage]:
        """Bot messages in the private chat (or `chat_id`), current content, oldest first."""
        return [
            m
            for m in self._world.chat_messages(self.id if chat_id is None else chat_id)
            if m.from_bot and (include_deleted or not m.deleted)
        ]

    def last_message(self, chat_id: int | None = None) -> StoredMessage | None:
        messages = self.messages(chat_id)
        return messages[-1] if messages else None

    def reply_keyboard(self, chat_id: int | None = None) -> list[str]:
        """Texts of the reply keyboard currently shown in the chat (after removals)."""
        chat = self._world.chats.get(self.id if chat_id is None else chat_id)
        return button_texts(chat.reply_keyboard["keyboard"]) if chat and chat.reply_keyboard else []

    def callback_answer(self, callback_query_id: str) -> CallbackAnswer | None:
        query = self._world.callback_queries.get(callback_query_id)
        return query.answer if query else None

    async def wait_for_callback_answer(self, callback_query_id: str, timeout: float = 5.0) -> CallbackAnswer:
        try:
            return await self._world.wait_until(lambda: self.callback_answer(callback_query_id), timeout)
        except TimeoutError:
            raise TimeoutError(f"callback query {callback_query_id} not answered within {timeout}s") from None

    async def wait_for_message(
        self, timeout: float = 5.0, predicate: Predicate | None = None, *, chat_id: int | None = None
    ) -> StoredMessage:
        """The next bot message (new or edited) after the latest action, waiting if needed.

        Messages not matching `predicate` are skipped. Raises TimeoutError (asyncio.TimeoutError).
        """
        watched = self._chat_id if chat_id is None else chat_id

        def next_message() -> StoredMessage | None:
            fresh = [
                m
                for m in self._world.chat_messages(watched)
                if m.from_bot
                and not m.deleted
                and m.seq > self._cursor
                and (predicate is None or predicate(m))
            ]
            return min(fresh, key=lambda m: m.seq) if fresh else None

        try:
            message = await self._world.wait_until(next_message, timeout)
        except TimeoutError:
            last = self.last_message(watched)
            seen = f"; last bot message: {last.plain_text!r}" if last else ""
            raise TimeoutError(f"no new bot message in chat {watched} within {timeout}s{seen}") from None
        self._cursor = message.seq
        return message

    async def wait_for_messages(
        self, n: int, timeout: float = 5.0, predicate: Predicate | None = None, *, chat_id: int | None = None
    ) -> list[StoredMessage]:
        """The next `n` bot messages, all within `timeout` seconds in total."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        return [
            await self.wait_for_message(max(deadline - loop.time(), 0), predicate, chat_id=chat_id)
            for _ in range(n)
        ]
