"""「一案一档」 on the case card: the electronic case file, queued to the presser's private chat (the
sender builds it; bot/services/case_file.py). 归档 queues it too (handlers/cases/buttons.py)."""

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.callbacks import CaseFileSend
from bot.context import BotContext
from bot.services import case_file
from bot.services.errors import NotAllowed
from bot.texts import case_file as words
from handlers.common import call, esc, now, pressed, reply, requires


@requires()
async def send_case_file(update: Update, context: BotContext) -> None:
    code = pressed(update, CaseFileSend)
    if update.effective_chat.type != ChatType.PRIVATE:  # parties' personal data: private chats only
        raise NotAllowed(words.PRIVATE_ONLY)
    number = await call(context, case_file.request, viewer_id=context.person.id, case_id=code.case_id,
                        now=now(context))
    await reply(update, words.QUEUED.format(number=esc(number)))


def handlers() -> list[BaseHandler]:
    return [CallbackQueryHandler(send_case_file, pattern=CaseFileSend.pattern())]
