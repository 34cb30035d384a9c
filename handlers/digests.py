"""/settings and the 「不再接收」 button under every digest: each person switches each digest kind
(晨报, 周报, 月度材料) off and on. The digests themselves are queued by the sweep (bot/services/digests.py)."""

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.callbacks import DigestOff, DigestOn, DigestSetting
from bot.context import BotContext
from bot.keyboards import button, inline
from bot.services import digests
from bot.texts import digests as words
from handlers.common import call, now, pressed, reply, requires


def _settings_keyboard(switches):
    return inline([[button(words.settings_button(s), DigestSetting(s.kind, int(not s.on)).pack())]
                   for s in switches])


@requires()
async def settings_command(update: Update, context: BotContext) -> None:
    switches = await call(context, digests.settings, person_id=context.person.id)
    await update.effective_chat.send_message(words.settings_text(switches),
                                             reply_markup=_settings_keyboard(switches) if switches else None)


async def _switch(context: BotContext, kind, on: bool):
    """NotAllowed (answered by the error handler) for a kind this person does not receive."""
    return await call(context, digests.switch, person_id=context.person.id, kind=kind, on=on, now=now(context))


@requires()
async def setting_pressed(update: Update, context: BotContext) -> None:
    code = pressed(update, DigestSetting)
    switches = await _switch(context, code.kind, bool(code.on))
    await reply(update, words.settings_text(switches), reply_markup=_settings_keyboard(switches), edit=True)


@requires()
async def off_pressed(update: Update, context: BotContext) -> None:
    """Under a digest: the digest stays as it is; a new line says it is off, with a way back."""
    code = pressed(update, DigestOff)
    await _switch(context, code.kind, False)
    label = words.KIND_SHORT[code.kind]
    await reply(update, words.SWITCHED_OFF.format(label=label),
                reply_markup=inline([[button(words.TURN_BACK_ON.format(label=label), DigestOn(code.kind).pack())]]))


@requires()
async def on_pressed(update: Update, context: BotContext) -> None:
    code = pressed(update, DigestOn)
    await _switch(context, code.kind, True)
    await reply(update, words.SWITCHED_ON.format(label=words.KIND_SHORT[code.kind]), edit=True)


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("settings", settings_command),
        CallbackQueryHandler(setting_pressed, pattern=DigestSetting.pattern()),
        CallbackQueryHandler(off_pressed, pattern=DigestOff.pattern()),
        CallbackQueryHandler(on_pressed, pattern=DigestOn.pattern()),
    ]
