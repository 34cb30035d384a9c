"""Last in the group: whatever nothing else took gets a clear answer, never silence."""

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import texts
from bot.context import BotContext


async def stale_button(update: Update, context: BotContext) -> None:
    await update.callback_query.answer(texts.STALE_BUTTON, show_alert=True)


async def nothing_to_cancel(update: Update, context: BotContext) -> None:
    await update.effective_chat.send_message(texts.NOTHING_TO_CANCEL)


async def unknown_command(update: Update, context: BotContext) -> None:
    await update.effective_chat.send_message(texts.UNKNOWN_COMMAND)


async def unexpected_message(update: Update, context: BotContext) -> None:
    if update.effective_chat and update.effective_chat.type == "private":
        await update.effective_chat.send_message(texts.UNEXPECTED_MESSAGE)


def handlers() -> list[BaseHandler]:
    """New objects per call, like every handler module's (one Application each)."""
    return [
        CallbackQueryHandler(stale_button),
        CommandHandler("cancel", nothing_to_cancel),
        MessageHandler(filters.COMMAND, unknown_command),
        MessageHandler(filters.ALL, unexpected_message),
    ]
