"""The one access gate: every update is resolved to an active registered person, or stopped.

Strangers may only do what leads to registration: /start (with an invitation code), the
registration steps, and sharing their phone to bind an imported record.
"""

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot import texts
from bot.app import BotContext
from bot.keyboards import share_phone
from bot.services import people
from handlers.common import call

REGISTRATION_KEY = "registration"


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


async def gate(update: Update, context: BotContext) -> None:
    user = update.effective_user
    if user is None or user.is_bot:
        raise ApplicationHandlerStop
    person = await call(context, people.find_by_telegram, telegram_id=user.id)
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
