"""Runs the real Application against the in-process Bot API emulator, as people would use it."""

import asyncio
import math
import re

import httpx
from sqlmodel import select
from telegram.request import HTTPXRequest

from bot.app import build_application
from bot.clock import Clock
from bot.config import Settings
from bot.db import Database, make_engine
from bot.emulator import Emulator
from bot.emulator.formatting import format_text
from bot.emulator.state import MessageVersion
from bot.jobs import outbox_sender
from models import Outbox, OutboxStatus

TOKEN = "123456:TEST-TOKEN"
BOT_USERNAME = "zongzhi_test_bot"
DIRECTOR_ID = 1


# Tests wait for notifications, so by default the outbox looks every 0.05 s and a chat may get a
# message every 0.05 s; the outbox's own tests ask for Telegram's real limits (`telegram_limits`).
QUICK_OUTBOX_SECONDS = 0.05


class BotHarness:
    def __init__(self, *, db_url: str, clock: Clock, admin_ids=(DIRECTOR_ID,), telegram_limits: bool = False,
                 digests: bool = False):
        self.db_url = db_url
        self.clock = clock
        self.telegram_limits = telegram_limits
        self.emu = Emulator(token=TOKEN, bot_username=BOT_USERNAME, bot_first_name="综治中心")
        self.settings = Settings(
            _env_file=None,
            telegram_bot_token=TOKEN,
            database_url=db_url,
            telegram_api_base_url=self.emu.base_url,
            telegram_file_base_url=self.emu.base_file_url,
            bootstrap_admin_ids=list(admin_ids),
            sweep_interval_seconds=0,  # tests move the clock and call bot.sweeps.sweep_all themselves
            outbox_interval_seconds=1.0 if telegram_limits else QUICK_OUTBOX_SECONDS,
            # The 08:30 digests only where a test asks for them: other tests sweep on working mornings.
            digests_enabled=digests,
        )
        self.app = None
        self.db: Database | None = None

    def _request(self) -> HTTPXRequest:
        return HTTPXRequest(httpx_kwargs={"transport": httpx.ASGITransport(app=self.emu.asgi)})

    async def start(self) -> None:
        self.db = Database(make_engine(self.db_url))
        self.app = build_application(
            self.settings, db=self.db, clock=self.clock, request=self._request(),
            get_updates_request=self._request(), persistence_interval=0.2,
        )
        if not self.telegram_limits:
            outbox_sender(self.app).chat_interval = QUICK_OUTBOX_SECONDS
        await self.app.initialize()
        await self.app.start()
        await self.app.updater.start_polling(poll_interval=0, timeout=1)

    async def stop(self) -> None:
        if self.app is None:
            return
        await self.app.updater.stop()
        await self.app.stop()
        await self.app.shutdown()
        self.db.close()
        self.app = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    def user(self, user_id: int, first_name: str = "用户", **kw):
        return self.emu.user(user_id, first_name=first_name, **kw)

    def restore_message(self, user, *, message_id: int, text: str, parse_mode: str | None = None,
                        reply_markup: dict | None = None):
        """Put a message the bot sent before this emulator existed back into `user`'s private chat,
        under its old id and with its old keyboard, so pressing its buttons sends the callback a
        person would send (a database from an earlier run, e.g. the previous release)."""
        world = self.emu.world
        chat = world.chat_for_user(user.record)
        assert message_id >= chat.next_message_id, "messages are restored in the order they were sent"
        chat.next_message_id = message_id
        plain = format_text(text, parse_mode)
        version = MessageVersion(text, parse_mode, plain.text, plain.entities, reply_markup)
        return world.add_message(chat, world.bot, "text", version)

    async def settle(self, seconds: float = 0.3) -> None:
        await asyncio.sleep(seconds)

    async def expire_conversations(self) -> int:
        """End every open conversation as if each person had walked away for the whole timeout
        (the repeating timeout job, run now with the clock past every deadline)."""
        [job] = self.app.job_queue.get_jobs_by_name("conversation-timeouts")
        return sum([await flow.expire(math.inf) for flow in job.data])

    async def drain_outbox(self, timeout: float = 20.0) -> None:
        """Wait until the sender has delivered every outbox row due now (by the injected clock), so
        a test may then assert that nobody else was told."""
        sender = outbox_sender(self.app)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            with self.db.session() as s:
                due = s.exec(select(Outbox.id).where(
                    Outbox.status == OutboxStatus.pending, Outbox.next_attempt_at <= self.clock.now())).first()
            if due is None and not sender.draining:
                return
            assert loop.time() < deadline, "the outbox did not drain"
            await asyncio.sleep(0.05)


async def say(user, text: str, timeout: float = 5.0):
    """Send a text and return the bot's next message to this user."""
    await user.send_text(text)
    return await user.wait_for_message(timeout=timeout)


async def press(user, message, label: str | None = None, *, data: str | None = None, timeout: float = 5.0):
    """Press an inline button and return the bot's next message (new or edited)."""
    if data is not None:
        await user.press(message, data=data)
    else:
        await user.press(message, label)
    return await user.wait_for_message(timeout=timeout)


async def buttons_gone(bot: BotHarness, message, timeout: float = 3.0) -> bool:
    """A passed step's buttons are taken away just after the bot's answer to it: wait for that."""
    try:
        return await bot.emu.world.wait_until(lambda: message.buttons == [], timeout)
    except TimeoutError:
        return False


def invite_code(text: str) -> str:
    match = re.search(r"start=([A-Za-z0-9_-]+)", text)
    assert match, text
    return match.group(1)
