"""The one access gate: every update is resolved to an active registered person, or stopped.

Strangers may only do what leads to registration: /start (with an invitation code), the
registration steps, and sharing their phone to bind an imported record.

Before anyone is looked up, these stop here: an edited message (never taken as an answer, so no
flow sees an update without a message); in a group, any message but the few group commands and
any button press (registration and every step that asks for personal data happen only in the
private chat); and, while the database cannot be read, everything (answered once, so the flow
stays at its step and the person resends when the database is back).
"""

import logging
import re

from sqlalchemy.exc import DBAPIError, OperationalError
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ApplicationHandlerStop

from bot import texts
from bot.context import BotContext
from bot.keyboards import share_phone
from bot.services.people import PersonCache
from handlers.errors import alert_admins

log = logging.getLogger(__name__)
REGISTRATION_KEY = "registration"
# What may be done in a group: registering the party committee's group, and help.
GROUP_COMMANDS = frozenset({"bindgroup", "unbindgroup", "inforeport", "help"})
START_PARAMETER = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # what a t.me ?start= link may carry


def _leads_to_registration(update: Update, context: BotContext) -> bool:
    msg = update.message
    if msg is None:
        return False
    if msg.contact is not None:
        return True
    text = (msg.text or "").strip()
    if text.startswith(("/start", "/cancel")):
        return True
    return REGISTRATION_KEY in (context.user_data or {})


async def tell_stranger(update: Update) -> None:
    user = update.effective_user
    text = texts.STRANGER.format(tg_id=user.id)
    if update.callback_query:
        await update.callback_query.answer("请先登记：发送 /start 查看说明", show_alert=True)
    elif update.effective_chat and update.effective_chat.type == "private":
        await update.effective_chat.send_message(text, reply_markup=share_phone(texts.STRANGER_SHARE_PHONE))


async def _ignore_edit(update: Update) -> None:
    chat = update.effective_chat
    if chat is not None and chat.type == "private":
        await chat.send_message(texts.EDITED_MESSAGE_IGNORED)
    raise ApplicationHandlerStop


async def _keep_private(update: Update, context: BotContext) -> None:
    """In a group only the group commands pass; any other command of ours gets a button that
    opens the private chat (with the invitation code of a /start, which stays unused)."""
    words = (update.message.text or "").split()
    if not words or not words[0].startswith("/"):
        raise ApplicationHandlerStop  # group chatter, names, phones: not for the bot
    command, _, addressee = words[0][1:].partition("@")
    if addressee and addressee.lower() != (context.bot.username or "").lower():
        raise ApplicationHandlerStop  # a command for another bot
    if command.lower() in GROUP_COMMANDS:
        return
    link = f"https://t.me/{context.bot.username}"
    if command.lower() == "start" and len(words) > 1 and START_PARAMETER.match(words[1]):
        link += f"?start={words[1]}"
    button = InlineKeyboardButton(texts.PRIVATE_ONLY_BUTTON, url=link)
    await update.effective_chat.send_message(texts.PRIVATE_ONLY, reply_markup=InlineKeyboardMarkup([[button]]))
    raise ApplicationHandlerStop


async def _database_down(update: Update, context: BotContext, error: Exception) -> None:
    log.warning("database unavailable at the gate: %s", error)
    if update.callback_query:
        await update.callback_query.answer(texts.GATE_DB_BUSY, show_alert=True)
    elif update.effective_chat:
        await update.effective_chat.send_message(texts.GATE_DB_BUSY)
    await alert_admins(context, error, update)
    raise ApplicationHandlerStop


async def gate(update: Update, context: BotContext) -> None:
    user = update.effective_user
    if user is None or user.is_bot:
        raise ApplicationHandlerStop
    if update.message is None and update.callback_query is None:
        await _ignore_edit(update)
    chat = update.effective_chat
    if update.message is not None and chat is not None and chat.type != "private":
        await _keep_private(update, context)
    if update.callback_query is not None and chat is not None and chat.type != "private":
        # The bot puts no buttons in groups: a press there is forged, and would show a case there.
        await update.callback_query.answer(texts.STALE_BUTTON, show_alert=True)
        raise ApplicationHandlerStop
    person = context.deps.people.cached(user.id)
    if person is PersonCache.MISS:
        try:
            person = await context.deps.db.read(context.deps.people.find, telegram_id=user.id)
        except (OperationalError, DBAPIError) as exc:
            await _database_down(update, context, exc)
    if person is not None and person.active:
        context.person = person
        return
    if person is not None:
        if update.callback_query:
            await update.callback_query.answer(texts.INACTIVE, show_alert=True)
        elif update.effective_chat:
            await update.effective_chat.send_message(texts.INACTIVE)
        raise ApplicationHandlerStop
    context.person = None
    if _leads_to_registration(update, context):
        return
    await tell_stranger(update)
    raise ApplicationHandlerStop
