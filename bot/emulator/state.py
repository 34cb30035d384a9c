"""The emulated Telegram world: people, chats, messages, files, updates, faults.

Plain Python with no web framework, so the HTTP layer (api.py) and the user side (user.py) are
two thin views on the same objects. Everything lives on one `World` instance; two emulators in
one process share nothing.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from typing import Any, TypeVar

T = TypeVar("T")

CAPTIONED_KINDS = frozenset({"photo", "document", "voice", "video", "audio"})
FILE_KINDS = CAPTIONED_KINDS | {"sticker"}
MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024  # getFile refuses bigger files, like the cloud Bot API

_FILE_LOCATIONS = {
    "photo": ("photos", ".jpg"),
    "document": ("documents", ""),
    "voice": ("voice", ".oga"),
    "video": ("videos", ".mp4"),
    "audio": ("music", ".mp3"),
    "sticker": ("stickers", ".webp"),
}


def now() -> int:
    return int(time.time())


class BotApiError(Exception):
    """An error answer of the Bot API: {"ok": false, "error_code": ..., "description": ...}."""

    def __init__(self, error_code: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def to_api(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> BotApiError:
    return BotApiError(400, f"Bad Request: {detail}")


class Signal:
    """Wakes every waiter on `notify()`.

    Like an asyncio.Condition, but notifiable from synchronous code: state changes happen in plain
    methods, and waiters simply re-check their predicate after each wake-up.
    """

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self) -> None:
        await self._event.wait()

    def next_change(self) -> asyncio.Event:
        """The event the next `notify()` sets: take it BEFORE reading state, then wait on it,
        and a change made in between is not missed."""
        return self._event


# --- people, chats, files -----------------------------------------------------------------------


@dataclass(eq=False)
class UserRecord:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False
    blocked_bot: bool = False

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


@dataclass(eq=False)
class ChatRecord:
    id: int
    type: str  # "private", "group" or "supergroup"
    title: str | None = None
    username: str | None = None
    user: UserRecord | None = None  # the other party of a private chat
    member_ids: set[int] = field(default_factory=set)
    next_message_id: int = 1
    # Client-side state: the reply keyboard the person currently sees under the input field.
    reply_keyboard: dict[str, Any] | None = None

    def to_api(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.user is not None:
            data.update(
                {k: v for k, v in self.user.to_api().items() if k in ("first_name", "last_name", "username")}
            )
        else:
            data["title"] = self.title
            if self.username:
                data["username"] = self.username
        return data

    def full_info(self) -> dict[str, Any]:
        """ChatFullInfo for getChat, with the fields PTB requires."""
        gift_types = dict.fromkeys(
            (
                "unlimited_gifts",
                "limited_gifts",
                "unique_gifts",
                "premium_subscription",
                "gifts_from_channels",
            ),
            False,
        )
        return {
            **self.to_api(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": gift_types,
        }


@dataclass(eq=False)
class StoredFile:
    file_id: str
    file_unique_id: str
    kind: str
    data: bytes
    file_path: str
    mime_type: str | None = None
    file_name: str | None = None
    width: int | None = None
    height: int | None = None
    duration: int | None = None
    emoji: str | None = None

    def to_api(self) -> dict[str, Any]:
        """The media object (PhotoSize, Document, Voice, ...) as it appears inside a Message."""
        data: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
        }
        if self.kind == "sticker":
            data.update(type="regular", is_animated=False, is_video=False, emoji=self.emoji)
        for key in ("width", "height", "duration", "mime_type", "file_name"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data

    def file_api(self) -> dict[str, Any]:
        """The File object returned by getFile."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }


# --- messages -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MessageVersion:
    """One state of a message's editable content; a message keeps all of them."""

    text: str | None  # text or caption exactly as sent (raw markup)
    parse_mode: str | None = None
    plain_text: str | None = None  # what a person reads: markup parsed, entities unescaped
    entities: tuple[dict[str, Any], ...] = ()
    reply_markup: dict[str, Any] | None = None
    edit_date: int | None = None

    @property
    def inline_markup(self) -> dict[str, Any] | None:
        markup = self.reply_markup
        return markup if markup is not None and "inline_keyboard" in markup else None


def button_texts(rows: list[list[Any]]) -> list[str]:
    return [button if isinstance(button, str) else button.get("text", "") for row in rows for button in row]


@dataclass(eq=False)
class StoredMessage:
    """A message in a chat, from a user or from the bot, with its full edit history."""

    chat: ChatRecord
    message_id: int
    sender: UserRecord
    date: int
    kind: str  # "text", "photo", "document", "voice", "video", "audio", "sticker", "location", "contact"
    versions: list[MessageVersion]
    file: StoredFile | None = None
    payload: dict[str, Any] | None = None  # the Location / Contact object
    reply_to: StoredMessage | None = None
    deleted: bool = False
    seq: int = 0  # world sequence number of the latest change (send or edit)
    protected: bool = False  # sent with protect_content: cannot be forwarded or saved

    def __repr__(self) -> str:
        # Short, so assertion failures show what the person sees rather than the whole chat.
        flags = " deleted" if self.deleted else ""
        buttons = f" buttons={self.buttons}" if self.buttons else ""
        return (
            f"<StoredMessage {self.chat.id}/{self.message_id} from={self.sender.id} {self.kind}"
            f" {self.plain_text!r}{buttons} edits={len(self.edits)}{flags}>"
        )

    @property
    def chat_id(self) -> int:
        return self.chat.id

    @property
    def from_bot(self) -> bool:
        return self.sender.is_bot

    @property
    def current(self) -> MessageVersion:
        return self.versions[-1]

    @property
    def edits(self) -> list[MessageVersion]:
        """The versions produced by edits, oldest first; empty if never edited."""
        return self.versions[1:]

    @property
    def text(self) -> str | None:
        """Raw text (or caption) as the bot sent it, markup included."""
        return self.current.text

    @property
    def plain_text(self) -> str | None:
        """Text (or caption) as a person reads it."""
        return self.current.plain_text

    @property
    def caption(self) -> str | None:
        return self.current.plain_text if self.kind in CAPTIONED_KINDS else None

    @property
    def parse_mode(self) -> str | None:
        return self.current.parse_mode

    @property
    def entities(self) -> tuple[dict[str, Any], ...]:
        return self.current.entities

    @property
    def reply_markup(self) -> dict[str, Any] | None:
        return self.current.reply_markup

    @property
    def buttons(self) -> list[str]:
        """Texts of the inline keyboard buttons, row by row."""
        markup = self.current.inline_markup
        return button_texts(markup["inline_keyboard"]) if markup else []

    @property
    def keyboard(self) -> list[str]:
        """Texts of the reply keyboard buttons sent with this message."""
        markup = self.current.reply_markup or {}
        return button_texts(markup.get("keyboard", []))

    def file_bytes(self) -> bytes:
        if self.file is None:
            raise ValueError(f"message {self.message_id} ({self.kind}) carries no file")
        return self.file.data

    def document_bytes(self) -> bytes:
        return self.file_bytes()

    def to_api(self, *, with_reply: bool = True) -> dict[str, Any]:
        """The Telegram Message object."""
        current = self.current
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "from": self.sender.to_api(),
            "chat": self.chat.to_api(),
            "date": self.date,
        }
        if current.edit_date is not None:
            data["edit_date"] = current.edit_date
        if self.protected:
            data["has_protected_content"] = True
        if with_reply and self.reply_to is not None:
            data["reply_to_message"] = self.reply_to.to_api(with_reply=False)
        if self.kind == "text":
            data["text"] = current.plain_text
            if current.entities:
                data["entities"] = list(current.entities)
        elif self.kind in CAPTIONED_KINDS and current.plain_text:
            data["caption"] = current.plain_text
            if current.entities:
                data["caption_entities"] = list(current.entities)
        if self.file is not None:
            media = self.file.to_api()
            data[self.kind] = [media] if self.kind == "photo" else media
        elif self.payload is not None:
            data[self.kind] = self.payload
        # Telegram only echoes inline keyboards back in Message objects.
        if current.inline_markup is not None:
            data["reply_markup"] = current.inline_markup
        return data


# --- callback queries, calls, faults ------------------------------------------------------------


@dataclass(frozen=True)
class CallbackAnswer:
    text: str | None
    show_alert: bool = False
    url: str | None = None


@dataclass(eq=False)
class CallbackQueryRecord:
    id: str
    user: UserRecord
    message: StoredMessage
    data: str
    answer: CallbackAnswer | None = None


@dataclass
class Call:
    """One Bot API call as received, for assertions; `status` is the HTTP status answered."""

    method: str
    params: dict[str, Any]
    status: int | None = None


def _same_chat(a: object, b: object) -> bool:
    return str(a) == str(b)


@dataclass
class Fault:
    """An injected failure: the next `times` matching calls fail and/or are delayed."""

    method: str
    status: int | None = None
    retry_after: int | None = None
    delay: float = 0.0
    times: int | None = 1  # None: forever
    chat_id: int | str | None = None
    description: str | None = None

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        if self.method.lower() != method.lower():
            return False
        return self.chat_id is None or _same_chat(params.get("chat_id"), self.chat_id)

    def error(self) -> BotApiError | None:
        if self.status is None:
            return None
        if self.status == 429:
            return BotApiError(
                429,
                self.description or f"Too Many Requests: retry after {self.retry_after}",
                {"retry_after": self.retry_after},
            )
        if self.description:
            return BotApiError(self.status, self.description)
        try:
            phrase = HTTPStatus(self.status).phrase
        except ValueError:
            phrase = "Error"
        return BotApiError(self.status, f"{phrase}: injected fault" if self.status < 500 else phrase)


class FaultSet:
    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(
        self,
        method: str,
        *,
        status: int | None = None,
        retry_after: int | None = None,
        delay: float = 0.0,
        times: int | None = 1,
        chat_id: int | str | None = None,
        description: str | None = None,
    ) -> Fault:
        if retry_after is not None and status is None:
            status = 429
        if status == 429 and retry_after is None:
            retry_after = 1
        if status is None and not delay:
            raise ValueError("a fault needs a status, a retry_after or a delay")
        fault = Fault(method, status, retry_after, delay, times, chat_id, description)
        self._faults.append(fault)
        return fault

    def clear(self) -> None:
        self._faults.clear()

    def take(self, method: str, params: dict[str, Any]) -> Fault | None:
        """Consume one use of the first fault matching this call."""
        for fault in self._faults:
            if fault.matches(method, params):
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                return fault
        return None

    def __iter__(self) -> Iterator[Fault]:
        return iter(list(self._faults))

    def __len__(self) -> int:
        return len(self._faults)


_SCOPE_TYPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)


def scope_key(scope: dict[str, Any] | None) -> str:
    """Canonical JSON of a BotCommandScope, the key under which setMyCommands stores commands."""
    scope = dict(scope or {"type": "default"})
    if scope.get("type") not in _SCOPE_TYPES:
        raise bad_request("wrong scope type specified")
    for key in ("chat_id", "user_id"):
        if isinstance(scope.get(key), str) and scope[key].lstrip("-").isdigit():
            scope[key] = int(scope[key])
    return json.dumps(scope, sort_keys=True, ensure_ascii=False)


# --- the world ----------------------------------------------------------------------------------


class World:
    def __init__(
        self,
        token: str,
        bot_username: str,
        bot_first_name: str,
        *,
        clock: Callable[[], float] = time.time,
    ):
        bot_id, colon, secret = token.partition(":")
        if not (bot_id.isdigit() and colon and secret):
            raise ValueError(f"malformed bot token {token!r}")
        self.token = token
        self.bot = UserRecord(id=int(bot_id), first_name=bot_first_name, username=bot_username, is_bot=True)
        self.users: dict[int, UserRecord] = {}
        self.chats: dict[int, ChatRecord] = {}
        self.files: dict[str, StoredFile] = {}
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.webhook_url = ""
        self.faults = FaultSet()
        self.calls: list[Call] = []
        # Notified on every change a waiter may care about (updates, bot messages, answers).
        self.changed = Signal()
        self._messages: dict[tuple[int, int], StoredMessage] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 1
        self._seq = 0
        self._file_counter = 0
        self._callback_counter = 0
        # Seconds since the epoch for message dates; the training sandbox passes its own clock.
        self._clock = clock
        # Callback answers in the order given, for people's-side readers that stream them.
        self.answered: list[CallbackQueryRecord] = []
        # Bumped by reset(): people's-side readers start afresh.
        self.generation = 0

    def now(self) -> int:
        return int(self._clock())

    def reset(self) -> None:
        """Forget every chat, message, file, update and answer (people stay): a fresh start.

        Sequence numbers and file numbers keep counting, so nothing read before the reset can be
        mistaken for something after it."""
        self.chats.clear()
        self.files.clear()
        self.callback_queries.clear()
        self.answered.clear()
        self.commands.clear()
        self.menu_buttons.clear()
        self.calls.clear()
        self.faults.clear()
        self.webhook_url = ""
        self._messages.clear()
        self._files_by_path.clear()
        self._updates.clear()
        for user in self.users.values():
            user.blocked_bot = False
        self.generation += 1
        self._seq += 1
        self.changed.notify()

    def changed_since(self, seq: int) -> list[StoredMessage]:
        """Messages sent, edited or deleted after sequence number `seq`, in order of change."""
        return sorted((m for m in self._messages.values() if m.seq > seq), key=lambda m: m.seq)

    @property
    def seq(self) -> int:
        """Sequence number of the latest message change; users mark it to wait for newer ones."""
        return self._seq

    async def wait_until(self, check: Callable[[], T | None], timeout: float) -> T:
        """Re-evaluate `check` after every state change until it returns non-None.

        Raises TimeoutError (== asyncio.TimeoutError) after `timeout` seconds.
        """
        async with asyncio.timeout(timeout):
            while (result := check()) is None:
                await self.changed.wait()
        return result

    # people and chats

    def add_user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> UserRecord:
        if user_id in self.users:
            return self.users[user_id]
        user = UserRecord(user_id, first_name, last_name, username, language_code)
        self.users[user_id] = user
        return user

    def add_group(
        self,
        chat_id: int,
        title: str,
        member_ids: set[int],
        chat_type: str | None = None,
        username: str | None = None,
    ) -> ChatRecord:
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        if chat_type is None:
            chat_type = "supergroup" if str(chat_id).startswith("-100") else "group"
        chat = ChatRecord(chat_id, chat_type, title=title, username=username, member_ids=set(member_ids))
        self.chats[chat_id] = chat
        return chat

    def chat_for_user(self, user: UserRecord, chat_id: int | None = None) -> ChatRecord:
        """The chat a user writes in: their private chat with the bot (opened on first use,
        which is what pressing "Start" does) or an existing group they become a member of."""
        if chat_id is None or chat_id == user.id:
            chat = self.chats.get(user.id)
            if chat is None:
                chat = ChatRecord(user.id, "private", user=user, member_ids={user.id})
                self.chats[user.id] = chat
            return chat
        chat = self.chats.get(chat_id)
        if chat is None or chat.type == "private":
            raise ValueError(f"no group {chat_id}; create it with emu.group()")
        chat.member_ids.add(user.id)
        return chat

    def chat_for_bot(self, chat_id: object, *, writing: bool) -> ChatRecord:
        """Resolve a chat_id the bot passed; a bot only knows chats that talked to it first."""
        chat = None
        if isinstance(chat_id, int):
            chat = self.chats.get(chat_id)
        elif isinstance(chat_id, str) and chat_id.startswith("@"):
            chat = next((c for c in self.chats.values() if c.username == chat_id[1:]), None)
        if chat is None:
            raise bad_request("chat not found")
        if writing and chat.user is not None and chat.user.blocked_bot:
            raise BotApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    # files

    def store_file(self, kind: str, data: bytes, **meta: Any) -> StoredFile:
        self._file_counter += 1
        number = self._file_counter
        directory, extension = _FILE_LOCATIONS[kind]
        name = meta.get("file_name")
        if kind == "document" and name and "." in name:
            extension = "." + name.rsplit(".", 1)[1]
        stored = StoredFile(
            file_id=f"{kind}-{number:05d}",
            file_unique_id=f"u{number:05d}",
            kind=kind,
            data=bytes(data),
            file_path=f"{directory}/file_{number}{extension}",
            **meta,
        )
        self.files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def file_by_path(self, file_path: str) -> StoredFile | None:
        return self._files_by_path.get(file_path)

    # messages

    def add_message(
        self,
        chat: ChatRecord,
        sender: UserRecord,
        kind: str,
        version: MessageVersion,
        *,
        file: StoredFile | None = None,
        payload: dict[str, Any] | None = None,
        reply_to: StoredMessage | None = None,
        protected: bool = False,
    ) -> StoredMessage:
        message = StoredMessage(
            chat=chat,
            message_id=chat.next_message_id,
            sender=sender,
            date=self.now(),
            kind=kind,
            versions=[version],
            file=file,
            payload=payload,
            reply_to=reply_to,
            protected=protected,
        )
        chat.next_message_id += 1
        self._messages[(chat.id, message.message_id)] = message
        if sender.is_bot:
            self._show_keyboard(chat, version.reply_markup)
        elif chat.reply_keyboard and chat.reply_keyboard.get("one_time_keyboard"):
            chat.reply_keyboard = None  # a one-time keyboard hides once the person answers
        self._touch(message)
        return message

    def _show_keyboard(self, chat: ChatRecord, markup: dict[str, Any] | None) -> None:
        if markup is None:
            return
        if "keyboard" in markup:
            chat.reply_keyboard = markup
        elif markup.get("remove_keyboard"):
            chat.reply_keyboard = None

    def message(self, chat_id: int, message_id: object) -> StoredMessage | None:
        if not isinstance(message_id, int):
            return None
        return self._messages.get((chat_id, message_id))

    def edit_message(self, message: StoredMessage, version: MessageVersion) -> None:
        message.versions.append(version)
        self._touch(message)

    def delete_message(self, message: StoredMessage) -> None:
        message.deleted = True
        self._touch(message)

    def chat_messages(self, chat_id: int) -> list[StoredMessage]:
        """All messages of a chat, user's and bot's, in message_id order."""
        return sorted(
            (m for (cid, _), m in self._messages.items() if cid == chat_id), key=lambda m: m.message_id
        )

    def _touch(self, message: StoredMessage) -> None:
        self._seq += 1
        message.seq = self._seq
        self.changed.notify()

    # updates

    def queue_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": self._next_update_id, kind: payload}
        self._next_update_id += 1
        self._updates.append(update)
        self.changed.notify()
        return update

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        return list(self._updates)

    def drop_pending_updates(self) -> None:
        self._updates.clear()

    def confirm_updates(self, offset: int) -> None:
        """getUpdates' offset: forget updates before it (negative: keep only the last -offset)."""
        if offset < 0:
            self._updates = self._updates[offset:]
        else:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]

    async def get_updates(self, offset: int | None, limit: int, timeout: float) -> list[dict[str, Any]]:
        if offset is not None:
            self.confirm_updates(offset)
        try:
            return await self.wait_until(lambda: self._updates[:limit] or None, timeout)
        except TimeoutError:
            return []

    # callback queries

    def new_callback_query(self, user: UserRecord, message: StoredMessage, data: str) -> CallbackQueryRecord:
        self._callback_counter += 1
        query = CallbackQueryRecord(f"{self.bot.id}{self._callback_counter:08d}", user, message, data)
        self.callback_queries[query.id] = query
        self.queue_update(
            "callback_query",
            {
                "id": query.id,
                "from": user.to_api(),
                "message": message.to_api(),
                "chat_instance": f"ci{message.chat.id}",
                "data": data,
            },
        )
        return query

    def answer_callback_query(
        self, query_id: object, text: str | None, show_alert: bool, url: str | None
    ) -> None:
        query = self.callback_queries.get(str(query_id))
        if query is None or query.answer is not None:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        query.answer = CallbackAnswer(text, show_alert, url)
        self.answered.append(query)
        self.changed.notify()

    # bot commands

    def set_commands(self, scope: str, language_code: str, commands: list[dict[str, str]]) -> None:
        self.commands[(scope, language_code)] = commands

    def get_commands(self, scope: str, language_code: str) -> list[dict[str, str]]:
        return list(self.commands.get((scope, language_code), []))

    def delete_commands(self, scope: str, language_code: str) -> None:
        self.commands.pop((scope, language_code), None)


def edited(version: MessageVersion, *, at: int | None = None, **changes: Any) -> MessageVersion:
    """A copy of `version` with `changes`, stamped with the edit time (`at`, default now)."""
    return replace(version, edit_date=now() if at is None else at, **changes)
