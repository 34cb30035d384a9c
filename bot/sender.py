"""Delivers the outbox to Telegram within Telegram's limits (DESIGN.md rule 2).

Limits (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
about 30 messages a second for the whole bot, one a second per chat, 20 a minute per group.
They are kept here in real (monotonic) time; the database only knows due times on the
injected clock. A 429 pauses the whole sender for its retry_after.

Delivery is at least once. A send that times out may still have reached Telegram, and
sendMessage has no idempotency key, so the retry can show the person the message twice. The
alternative, not retrying, could lose it; rule 2 prefers the duplicate. Without a timeout
nothing is sent twice: a row is marked sent right after Telegram accepts it, and claims are
exclusive. (One sender process keeps the per-chat limits; with two, each keeps its own.)
"""

import asyncio
import logging
import tempfile
import time
from collections import deque
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter, TimedOut
from telegram.ext import Application, CallbackContext

from bot.clock import Clock
from bot.db import Database
from bot.ops import metrics
from bot.services import case_file, documents, outbox
from bot.services.deadlines import CENTER_TZ, DeadlinePolicy
from bot.services.errors import DomainError
from bot.services.outbox import OutboxMessage
from bot.services.supervision import DEFAULT_STYLE, NoticeStyle
from bot.texts import case_file as case_file_texts

log = logging.getLogger(__name__)

GROUP_WINDOW_SECONDS = 60.0
# The whole-bot limit is kept as "at most `rate` sends in any window this long", so a send that
# wakes a little late does not slow every later one down; the margin absorbs network jitter
# between our clock and Telegram's. No two sends are closer than 90% of the average spacing.
BOT_WINDOW_SECONDS = 1.02


class OutboxSender:
    """Claims due outbox rows and sends them, urgent first, as fast as Telegram allows.

    Every knob is an attribute so tests and benchmarks can shrink waits (e.g. `backoff`).
    """

    def __init__(
        self,
        bot: Bot,
        db: Database,
        clock: Clock,
        *,
        rate: float = 30.0,
        chat_interval: float = 1.0,
        group_per_minute: int = 20,
        batch_size: int = 50,
        per_chat_claim: int = 1,
        lease_seconds: float = 60.0,
        max_attempts: int = outbox.MAX_ATTEMPTS,
        backoff: Callable[[int], float] = outbox.backoff_seconds,
        send_timeout: float = 10.0,
        max_hold: float = 5.0,
        on_send: Callable[[OutboxMessage, float], None] | None = None,
        tz: ZoneInfo = CENTER_TZ,
        notice_style: NoticeStyle = DEFAULT_STYLE,
        policy: DeadlinePolicy | None = None,
    ):
        self.bot = bot
        self.db = db
        self.clock = clock
        self.rate = rate  # messages a second, whole bot
        self.chat_interval = chat_interval  # seconds between two messages to one chat
        self.group_per_minute = group_per_minute  # per group chat (negative chat id)
        self.batch_size = batch_size
        self.per_chat_claim = per_chat_claim  # rows of one chat per claim (see claim_due)
        self.lease_seconds = lease_seconds
        self.max_attempts = max_attempts
        self.backoff = backoff  # failed attempts so far -> seconds until the next one
        self.send_timeout = send_timeout
        # A claimed row that cannot go out within this many seconds (busy group, long flood
        # pause) goes back to the database rather than sit on its lease.
        self.max_hold = max_hold
        self.on_send = on_send  # called with (message, monotonic time) as each request starts
        self.tz = tz  # dates printed in documents
        self.notice_style = notice_style  # the issuing body printed on 督办通知书
        self.policy = policy or DeadlinePolicy(tz=tz)  # the case file's deadlines and lights
        # Sends in the last window: one-item lists, so a send can move its time to its real start.
        self._recent: deque[list[float]] = deque()
        self._paused_until = 0.0  # flood control (429) pauses everything until then
        self._chat_last: dict[int, float] = {}
        self._group_sends: dict[int, deque[float]] = {}
        self._drain_task: asyncio.Task | None = None

    # --- entry points -----------------------------------------------------------------------

    @property
    def draining(self) -> bool:
        """A drain is running: rows it claimed may still be on their way to Telegram."""
        return self._drain_task is not None and not self._drain_task.done()

    async def run_once(self) -> int:
        """Claim one batch and deliver it within the limits; returns how many were sent."""
        _, sending = await self._run_batch(should_stop=lambda: False)
        return sum(await asyncio.gather(*sending))

    async def job(self, context: CallbackContext) -> None:
        """JobQueue callback (every second): start draining unless a drain is still running.

        The drain runs as an application task, so this callback returns at once (APScheduler
        never skips a tick with a warning) and `Application.stop()` waits for it to finish.
        """
        app = context.application
        if not app.running or (self._drain_task is not None and not self._drain_task.done()):
            return
        self._drain_task = app.create_task(self._drain(app), name="outbox-drain")

    async def _drain(self, app: Application) -> None:
        """Batches back to back while there is due work; stops early when the application stops.

        The next batch is claimed as soon as the last one is dispatched, without waiting for its
        answers, so the whole-bot rate is not lost at batch boundaries.
        """
        in_flight: set[asyncio.Task[bool]] = set()
        try:
            while app.running:
                claimed, sending = await self._run_batch(should_stop=lambda: not app.running)
                in_flight = {t for t in in_flight if not t.done()} | set(sending)
                if claimed == 0:
                    if not in_flight:
                        return
                    # Their failures may be due again at once (a short backoff): look once more.
                    await asyncio.gather(*in_flight)
                    in_flight.clear()
        finally:
            await asyncio.gather(*in_flight)

    # --- one batch ----------------------------------------------------------------------------

    async def _run_batch(self, *, should_stop: Callable[[], bool]) -> tuple[int, list[asyncio.Task[bool]]]:
        """Claim a batch and dispatch it within the limits; returns (claimed, send tasks)."""
        messages = await self.db.run(
            outbox.claim_due,
            now=self.clock.now(),
            limit=self.batch_size,
            lease_seconds=self.lease_seconds,
            per_chat=self.per_chat_claim,
        )
        if not messages:
            return 0, []
        queue = list(messages)  # urgent first, then oldest: claim_due's order
        sending: list[asyncio.Task[bool]] = []
        while queue:
            if should_stop():
                await self._release_all([(m, 0.0) for m in queue])
                break
            moment = time.monotonic()
            gate = self._bot_ready()
            waits = {m.id: max(gate, self._chat_ready(m.chat_id)) - moment for m in queue}
            late = [(m, waits[m.id]) for m in queue if waits[m.id] > self.max_hold]
            if late:
                queue = [m for m in queue if waits[m.id] <= self.max_hold]
                await self._release_all(late)
                continue
            ready = next((m for m in queue if self._chat_ready(m.chat_id) <= moment), None)
            if gate > moment or ready is None:
                wake = max(gate, min(self._chat_ready(m.chat_id) for m in queue))
                # Short naps: a stop request or a flood pause is noticed quickly.
                await asyncio.sleep(min(max(wake - moment, 0.001), 0.25))
                continue
            queue.remove(ready)
            slot = self._reserve(ready.chat_id, moment)
            sending.append(asyncio.create_task(self._deliver(ready, slot), name=f"outbox-send:{ready.id}"))
        return len(messages), sending

    async def _deliver(self, message: OutboxMessage, slot: list[float]) -> bool:
        """One send and its bookkeeping; never raises (the row's outcome is in the database)."""
        # The limits count from when the request really starts, which on a busy event loop can
        # be a little after it was dispatched.
        started = time.monotonic()
        slot[0] = max(slot[0], started)
        self._chat_last[message.chat_id] = max(self._chat_last.get(message.chat_id, started), started)
        if self.on_send is not None:
            self.on_send(message, started)
        sent = False
        tg_message_id: int | None = None
        try:
            async with asyncio.timeout(self._timeout_for(message)):
                tg_message_id = await self._send(message)
        except _OriginalInFlight:
            record = (outbox.release, {"delay_seconds": 2.0})
        except RetryAfter as exc:
            pause = _retry_after_seconds(exc)
            self._paused_until = max(self._paused_until, time.monotonic() + pause)
            log.warning("flood control: pausing the outbox for %.1f s", pause)
            record: tuple[Callable[..., Any], dict[str, Any]] = (
                outbox.release, {"delay_seconds": pause, "error": str(exc)}
            )
        except Forbidden as exc:  # blocked by the user, kicked from the group, user deactivated
            log.warning("outbox message %s: chat %s unreachable: %s", message.id, message.chat_id, exc)
            record = (outbox.mark_unreachable, {"error": f"Forbidden: {exc.message}"})
        except (BadRequest, ChatMigrated) as exc:  # chat not found, bad HTML …: retrying cannot help
            log.warning("outbox message %s to %s rejected: %s", message.id, message.chat_id, exc)
            record = (outbox.mark_dead, {"error": f"{type(exc).__name__}: {exc}"})
        except (TimedOut, TimeoutError) as exc:
            # Telegram may have delivered it anyway; retrying risks a duplicate, not retrying a loss.
            log.warning("outbox message %s to %s timed out; will retry", message.id, message.chat_id)
            record = self._retry(message, f"TimedOut: {exc}" if str(exc) else "TimedOut")
        except Exception as exc:  # NetworkError, HTTP 5xx, anything else: retry with backoff
            log.warning("outbox message %s to %s failed: %r", message.id, message.chat_id, exc)
            record = self._retry(message, f"{type(exc).__name__}: {exc}")
        else:
            sent = True
            record = (outbox.mark_sent, {"tg_message_id": tg_message_id})
        fn, kwargs = record
        metrics.delivery(fn.__name__)
        try:
            await self.db.run(fn, message_id=message.id, now=self.clock.now(), **kwargs)
        except Exception:
            # The lease brings the row back; if it was sent, the person may see it twice.
            log.exception("could not record the outcome of outbox message %s (sent=%s)", message.id, sent)
        return sent

    async def _send(self, message: OutboxMessage) -> int | None:
        """Send (or edit) one message; returns Telegram's message id of what was sent."""
        markup = None
        if message.buttons:
            markup = InlineKeyboardMarkup(
                [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in message.buttons]
            )
        timeouts = {"read_timeout": self.send_timeout, "write_timeout": self.send_timeout}
        if message.edit_key:
            await self._edit(message, markup, timeouts)
            return None
        if message.document:
            return await self._send_document(message, markup, timeouts)
        # HTML parse mode comes from the application's Defaults.
        sent = await self.bot.send_message(
            message.chat_id, message.text, reply_markup=markup, protect_content=message.protect, **timeouts
        )
        return sent.message_id

    def _timeout_for(self, message: OutboxMessage) -> float:
        """A case file downloads its attachments and uploads up to 50 MB a part: it may take longer
        than a message, but never longer than the row's lease (else another drain could claim it)."""
        if case_file.is_ref(message.document):
            return max(self.send_timeout, self.lease_seconds * 0.9)
        return self.send_timeout

    async def _send_case_file(self, message: OutboxMessage, markup, timeouts) -> int:
        """一案一档 (bot/services/case_file.py): the kept parts by file id, or built now from the case
        and the attachments downloaded from Telegram; the parts' file ids are kept for next time."""
        case_id, person_id = case_file.parse_ref(message.document)
        timeouts = dict.fromkeys(timeouts, self._timeout_for(message))  # up to 50 MB a part
        try:
            built = await self.db.run(case_file.plan, viewer_id=person_id, case_id=case_id, now=self.clock.now(),
                                      policy=self.policy, style=self.notice_style)
        except DomainError as exc:  # no longer allowed (e.g. the case became confidential): say so
            sent = await self.bot.send_message(message.chat_id, case_file_texts.refused(str(exc)), **timeouts)
            return sent.message_id
        try:
            return await self._send_case_file_parts(message, markup, timeouts, built)
        except BadRequest:
            if not built.kept:
                raise
            log.warning("the kept case file of case %s is gone from Telegram; building it again", case_id)
        built = await self.db.run(case_file.plan, viewer_id=person_id, case_id=case_id, now=self.clock.now(),
                                  policy=self.policy, style=self.notice_style, rebuild=True)
        return await self._send_case_file_parts(message, markup, timeouts, built)

    async def _send_case_file_parts(self, message: OutboxMessage, markup, timeouts,
                                    built: case_file.CaseFilePlan) -> int:
        case_id = built.case_id
        # Attachments and parts go through a temporary directory: a case with hundreds of MB of files
        # is never held in memory.
        with tempfile.TemporaryDirectory(prefix="casefile-") as workdir:
            if built.kept:
                parts = [(None, file_id) for file_id in built.kept]
            else:
                fetched = {a.file_id: await self._download(a.file_id, Path(workdir) / f"a{i}")
                           for i, a in enumerate(built.attachments)}
                packed = await asyncio.to_thread(case_file.pack, built, fetched, workdir=Path(workdir))
                parts = [(p, None) for p in packed]
            file_ids, size, last_id = [], 0, 0
            for index, (part, file_id) in enumerate(parts, start=1):
                caption = message.text if index == 1 else ""
                if len(parts) > 1:
                    caption += case_file_texts.PARTS_NOTE.format(part=index, parts=len(parts))
                document = file_id if part is None else InputFile(part.path.read_bytes(), filename=part.name)
                sent = await self.bot.send_document(
                    message.chat_id, document, caption=caption.strip(),
                    reply_markup=markup if index == len(parts) else None, protect_content=True, **timeouts,
                )
                last_id = sent.message_id
                if sent.document is not None:
                    file_ids.append(sent.document.file_id)
                size += part.size if part is not None else 0
        if not built.kept and len(file_ids) == len(parts):
            try:
                await self.db.run(case_file.remember, case_id=case_id, fingerprint=built.fingerprint,
                                  file_ids=file_ids, size=size, now=self.clock.now())
            except Exception:  # the next request builds it again; nothing is lost
                log.exception("could not keep the case file of case %s", case_id)
        return last_id

    async def _download(self, file_id: str, path: Path) -> Path | None:
        """An attachment downloaded by its file id (getFile) to `path`, or None if Telegram will not
        give it: over the 20 MB a bot may download, or gone. Network trouble raises: the row is retried."""
        try:
            tg_file = await self.bot.get_file(file_id)
            return await tg_file.download_to_drive(path)
        except BadRequest as exc:
            log.warning("attachment %s not downloadable: %s", file_id, exc)
            return None

    async def _send_document(self, message: OutboxMessage, markup, timeouts) -> int:
        """The document with the text as caption; uploaded once, then re-sent by its file id."""
        if case_file.is_ref(message.document):
            return await self._send_case_file(message, markup, timeouts)
        doc = await self.db.run(documents.resolve, ref=message.document, now=self.clock.now(), tz=self.tz,
                                    style=self.notice_style)
        if doc.photo:  # a 传达's picture
            sent = await self.bot.send_photo(message.chat_id, doc.file_id, caption=message.text, reply_markup=markup,
                                             protect_content=message.protect, **timeouts)
            return sent.message_id
        sent = await self.bot.send_document(
            message.chat_id, doc.file_id or InputFile(doc.data, filename=doc.file_name),
            caption=message.text, reply_markup=markup, protect_content=message.protect, **timeouts,
        )
        if doc.file_id is None and sent.document is not None:
            try:
                await self.db.run(documents.remember, ref=message.document, file_id=sent.document.file_id)
            except Exception:  # the next send uploads it again; nothing is lost
                log.exception("could not remember the file id of %s", message.document)
        return sent.message_id

    async def _edit(self, message: OutboxMessage, markup, timeouts) -> None:
        """Rewrite a message already sent (an original not yet sent was rewritten in the outbox)."""
        target = await self.db.run(outbox.edit_target, message_id=message.id, now=self.clock.now())
        if target.retry:
            raise _OriginalInFlight
        if target.tg_message_id is None:
            return
        try:
            if target.document:
                await self.bot.edit_message_caption(
                    target.chat_id, target.tg_message_id, caption=message.text, reply_markup=markup, **timeouts
                )
            else:
                await self.bot.edit_message_text(
                    message.text, target.chat_id, target.tg_message_id, reply_markup=markup, **timeouts
                )
        except BadRequest as exc:
            # Already so (a repeated edit), or the message is gone / too old: nothing to rewrite.
            if not any(s in exc.message.lower() for s in ("not modified", "not found", "can't be edited")):
                raise

    def _retry(self, message: OutboxMessage, error: str) -> tuple[Callable[..., Any], dict[str, Any]]:
        return outbox.mark_failed, {
            "error": error,
            "retry_in_seconds": self.backoff(message.attempts),
            "max_attempts": self.max_attempts,
        }

    async def _release_all(self, messages: list[tuple[OutboxMessage, float]]) -> None:
        """Give rows back unsent, each due again after its delay (seconds)."""
        for message, delay in messages:
            try:
                await self.db.run(
                    outbox.release, message_id=message.id, now=self.clock.now(), delay_seconds=max(delay, 0.0)
                )
            except Exception:  # the lease brings it back
                log.exception("could not release outbox message %s", message.id)

    # --- rate limits --------------------------------------------------------------------------

    def _bot_ready(self) -> float:
        """Monotonic time from which the bot as a whole may send again."""
        ready = self._paused_until
        if self._recent:
            ready = max(ready, self._recent[-1][0] + 0.9 / self.rate)
            allowed = max(int(self.rate * BOT_WINDOW_SECONDS), 1)
            if len(self._recent) >= allowed:
                ready = max(ready, self._recent[-allowed][0] + BOT_WINDOW_SECONDS)
        return ready

    def _chat_ready(self, chat_id: int) -> float:
        """Monotonic time from which this chat may receive the next message."""
        last = self._chat_last.get(chat_id)
        ready = 0.0 if last is None else last + self.chat_interval
        window = self._group_sends.get(chat_id)
        if window is not None and len(window) >= self.group_per_minute:
            ready = max(ready, window[-self.group_per_minute] + GROUP_WINDOW_SECONDS)
        return ready

    def _reserve(self, chat_id: int, moment: float) -> list[float]:
        slot = [moment]
        self._recent.append(slot)
        while self._recent[0][0] <= moment - BOT_WINDOW_SECONDS:
            self._recent.popleft()
        self._chat_last[chat_id] = moment
        if chat_id < 0:
            window = self._group_sends.setdefault(chat_id, deque())
            window.append(moment)
            while window and window[0] <= moment - GROUP_WINDOW_SECONDS:
                window.popleft()
        if len(self._chat_last) > 10_000:  # forget chats that are long past their spacing
            horizon = moment - GROUP_WINDOW_SECONDS
            self._chat_last = {c: t for c, t in self._chat_last.items() if t > horizon}
            self._group_sends = {c: w for c, w in self._group_sends.items() if w and w[-1] > horizon}
        return slot


class _OriginalInFlight(Exception):
    """An edit whose original is being sent this moment: released, and tried again shortly."""


def _retry_after_seconds(exc: RetryAfter) -> float:
    value = exc.retry_after  # a timedelta (see bot/__init__), an int if PTB_TIMEDELTA is set off
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
