"""The one error handler: log with context, tell the person what to do, alert admins (throttled)."""

import logging
import time

from sqlalchemy.exc import DBAPIError, OperationalError
from telegram import Update
from telegram.error import Forbidden, NetworkError, TelegramError

from bot import texts
from bot.context import BotContext
from bot.services import people
from bot.services.errors import DomainError
from handlers.common import StaleButton, esc

log = logging.getLogger(__name__)
ALERT_EVERY_SECONDS = 60


class AdminAlerts:
    """At most one alert a minute for the same error; remembers admins in case the DB is down."""

    def __init__(self):
        self.last_sent: dict[str, float] = {}
        self.known_admins: set[int] = set()

    def due(self, key: str) -> bool:
        moment = time.monotonic()
        if moment - self.last_sent.get(key, -ALERT_EVERY_SECONDS) < ALERT_EVERY_SECONDS:
            return False
        self.last_sent[key] = moment
        return True


async def _tell_person(update: object, text: str) -> None:
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query:  # an alert is plain text
            await update.callback_query.answer(text[:200], show_alert=True)
        elif update.effective_chat:  # a message is HTML: a rule's message may quote what was typed
            await update.effective_chat.send_message(esc(text))
    except TelegramError:
        log.warning("could not tell the person about an error", exc_info=True)


async def alert_admins(context: BotContext, error: BaseException, update: object) -> None:
    alerts: AdminAlerts = context.application.bot_data.setdefault("admin_alerts", AdminAlerts())
    key = f"{type(error).__name__}:{str(error)[:120]}"
    if not alerts.due(key):
        return
    deps = context.deps
    user = update.effective_user if isinstance(update, Update) else None
    who = user.full_name if user else "?"
    try:
        alerts.known_admins = set(await deps.db.run(people.manager_telegram_ids))
        person = await deps.db.run(people.find_by_telegram, telegram_id=user.id) if user else None
        who = person.name if person else who
    except Exception:  # the database may be what failed; use whom we knew
        log.warning("admin list unavailable; alerting the last known admins", exc_info=True)
    recipients = alerts.known_admins | set(deps.settings.bootstrap_admin_ids)
    where = "无"
    if user is not None:
        kind = "按钮" if update.callback_query else "消息"
        where = f"{kind}，来自 {who}（{user.id}）"
    text = texts.ERROR_ADMIN_ALERT.format(error=esc(f"{type(error).__name__}: {error}"[:300]), update=esc(where))
    for chat_id in recipients:
        try:
            await context.bot.send_message(chat_id, text)
        except TelegramError:
            log.warning("could not alert admin %s", chat_id)


def _describe(update: object) -> str:
    """Which update failed, by its ids and kind: what a person typed may be personal data."""
    if not isinstance(update, Update):
        return type(update).__name__
    kind = next((k for k in ("message", "edited_message", "callback_query") if getattr(update, k)), "other")
    user, chat = update.effective_user, update.effective_chat
    text = f"update {update.update_id} ({kind}) from user {user.id if user else '?'} in chat {chat.id if chat else '?'}"
    if update.callback_query:
        text += f", button data {update.callback_query.data!r}"  # 64 bytes at most, masked like every line
    return text


async def error_handler(update: object, context: BotContext) -> None:
    error = context.error
    if isinstance(error, StaleButton):
        await _tell_person(update, texts.STALE_BUTTON)
        return
    if isinstance(error, DomainError):
        # A rule said no (not found, not allowed, bad input): the message is for the person.
        await _tell_person(update, error.message)
        return
    if update is None and isinstance(error, NetworkError):
        log.warning("network problem while polling: %s", error)
        return
    if isinstance(error, Forbidden):
        log.warning("blocked by a user: %s", error)
        return
    log.error("error while handling %s", _describe(update), exc_info=error)
    db_down = isinstance(error, (OperationalError, DBAPIError))
    await _tell_person(update, texts.ERROR_DB_USER if db_down else texts.ERROR_USER)
    await alert_admins(context, error, update)
