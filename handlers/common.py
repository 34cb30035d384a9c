"""What every handler shares: the role check, replying or editing in place, the service call."""

import functools
from collections.abc import Callable
from datetime import datetime
from html import escape

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import ConversationHandler

from bot import texts
from bot.app import BotContext
from models import Role


def esc(value: object) -> str:
    """Anything a person typed goes through here before it is put into HTML."""
    return escape(str(value if value is not None else ""), quote=False)


def now(context: BotContext) -> datetime:
    return context.deps.clock.now()


async def call(context: BotContext, fn: Callable, /, **kwargs):
    """Run one service function as one unit of work, off the event loop."""
    return await context.deps.db.run(fn, **kwargs)


async def reply(update: Update, text: str, *, reply_markup=None, edit: bool = False) -> None:
    """Edit the message a button sits on (keeps the chat tidy), or send a new message."""
    query = update.callback_query
    if edit and query is not None and query.message is not None:
        try:
            await query.edit_message_text(text, reply_markup=reply_markup)
            return
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return
            if "message to edit not found" not in str(exc).lower():
                raise
    chat = update.effective_chat
    await chat.send_message(text, reply_markup=reply_markup)


def requires(*allowed: Role):
    """Check the person's roles on every call — commands and button presses alike.

    Buttons carry ids that can be forged or stale, so the check runs again on each press.
    With no roles named, any registered person may act.
    """
    allowed_set = frozenset(allowed)

    def decorate(fn):
        @functools.wraps(fn)
        async def wrapper(update: Update, context: BotContext, *args, **kwargs):
            person = context.person
            if person is None or (allowed_set and not allowed_set & person.roles):
                answer = texts.REGISTER_FIRST if person is None else texts.NOT_ALLOWED
                if update.callback_query:
                    await update.callback_query.answer(answer, show_alert=True)
                else:
                    await update.effective_chat.send_message(answer)
                return ConversationHandler.END
            result = await fn(update, context, *args, **kwargs)
            # Answer the press only after the work succeeded; on an error the error handler
            # answers it with the reason instead (a query can be answered once).
            if update.callback_query:
                await update.callback_query.answer()
            return result

        return wrapper

    return decorate


def callback_parts(update: Update) -> list[str]:
    return (update.callback_query.data or "").split(":")


def int_part(parts: list[str], index: int) -> int:
    """A forged button may carry anything; a non-number is treated as a stale button."""
    try:
        return int(parts[index])
    except (IndexError, ValueError):
        raise StaleButton() from None


class StaleButton(Exception):
    """Raised for button data that no longer (or never did) make sense; answered politely."""
