"""`Emulator`: one self-contained emulated Telegram, seen from the bot (HTTP) and from people."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from starlette.applications import Starlette

from .api import create_app
from .people import PeopleApi
from .state import Call, ChatRecord, FaultSet, StoredMessage, World, scope_key
from .user import EmulatedUser

# Any host works with an in-process ASGI transport; this one just reads well in logs.
IN_PROCESS_ORIGIN = "http://emulator"


class Emulator:
    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "zongzhi_test_bot",
        bot_first_name: str = "综治中心",
        *,
        clock: Callable[[], float] = time.time,
    ):
        """`clock` gives message dates (seconds since the epoch); the sandbox passes its own."""
        self.world = World(token, bot_username, bot_first_name, clock=clock)
        self._users: dict[int, EmulatedUser] = {}
        # The Bot API and, under /people/api, the people's side for a chat page (people.py).
        self.asgi: Starlette = create_app(self.world, PeopleApi(self).routes())

    @property
    def token(self) -> str:
        return self.world.token

    @property
    def bot_id(self) -> int:
        return self.world.bot.id

    @property
    def base_url(self) -> str:
        """PTB `base_url` when the app is mounted in-process (PTB appends the token)."""
        return f"{IN_PROCESS_ORIGIN}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{IN_PROCESS_ORIGIN}/file/bot"

    @property
    def faults(self) -> FaultSet:
        return self.world.faults

    @property
    def calls(self) -> list[Call]:
        """Every Bot API call received (including failed and faulted ones), oldest first."""
        return self.world.calls

    def calls_to(self, method: str, **params: Any) -> list[Call]:
        """Calls of `method` (case-insensitive) whose params include all of `params`."""
        return [
            call
            for call in self.world.calls
            if call.method.lower() == method.lower()
            and all(call.params.get(k) == v for k, v in params.items())
        ]

    def user(
        self,
        user_id: int,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "zh-hans",
    ) -> EmulatedUser:
        """The person with this id, created on first call (later calls return the same object)."""
        if user_id not in self._users:
            record = self.world.add_user(
                user_id, first_name or f"User{user_id}", last_name, username, language_code
            )
            self._users[user_id] = EmulatedUser(self.world, record)
        return self._users[user_id]

    def group(
        self,
        chat_id: int,
        title: str,
        members: Iterable[EmulatedUser | int] = (),
        *,
        chat_type: str | None = None,
        username: str | None = None,
    ) -> ChatRecord:
        """A group the bot is in; type "supergroup" for -100… ids unless `chat_type` says otherwise."""
        member_ids = {m.id if isinstance(m, EmulatedUser) else m for m in members}
        return self.world.add_group(chat_id, title, member_ids, chat_type, username)

    def reset(self) -> None:
        """Clear every chat, message, file and pending update; the people stay (the sandbox's reset)."""
        self.world.reset()

    def chat_messages(self, chat_id: int) -> list[StoredMessage]:
        """Every message of a chat, people's and the bot's, oldest first."""
        return self.world.chat_messages(chat_id)

    def bot_commands(self, scope: Any = None, language_code: str = "") -> list[dict[str, str]]:
        """What setMyCommands stored for this scope (a dict or a PTB BotCommandScope)."""
        if hasattr(scope, "to_dict"):
            scope = scope.to_dict()
        return self.world.get_commands(scope_key(scope), language_code)
