"""已到场 in chat: the 工作联系点 leader presses it on an urgent alert; the bot asks for the Telegram
location with a location-request keyboard button (or 「无法发送位置」) and records it; the center is
told (bot/services/scene.py). One persistent conversation, "scene_arrival"; the pending arrival is a
database row, the draft in user_data only names the case: {"case": 12}.
"""

from enum import IntEnum

from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.callbacks import SceneArrive, any_of
from bot.context import BotContext
from bot.services import deadlines, scene
from bot.texts import scene as words
from handlers.common import Flow, call, esc, now, pressed, requires

DRAFT = "scene_draft"
TIMEOUT = 3600  # getting to the scene and finding signal can take a while


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    LOCATION = 0


def _location_keyboard() -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup([[KeyboardButton(words.SEND_LOCATION, request_location=True)],
                                [KeyboardButton(words.NO_LOCATION)]], resize_keyboard=True, one_time_keyboard=True)


@requires()
async def arrive(update: Update, context: BotContext) -> int:
    case_id = pressed(update, SceneArrive).case_id
    found = await call(context, scene.arrive, actor_id=context.person.id, case_id=case_id, now=now(context),
                       tz=context.deps.settings.tz)
    context.user_data[DRAFT] = {"case": found.case_id}
    at = deadlines.fmt(found.arrived_at, context.deps.settings.tz)
    await update.effective_chat.send_message(esc(words.ASK_LOCATION.format(at=at, number=found.number)),
                                             reply_markup=_location_keyboard())
    return Step.LOCATION


async def _record(update: Update, context: BotContext, latitude: float | None, longitude: float | None) -> int:
    draft = context.user_data.get(DRAFT)
    if not draft:
        await update.effective_chat.send_message(words.TIMEOUT, reply_markup=ReplyKeyboardRemove())
        return ConversationHandler.END
    tz = context.deps.settings.tz
    done = await call(context, scene.record_location, actor_id=context.person.id, case_id=draft["case"],
                      now=now(context), latitude=latitude, longitude=longitude, tz=tz)
    context.user_data.pop(DRAFT, None)
    text = words.DONE.format(at=deadlines.fmt(done.at, tz), where=scene.where(latitude, longitude))
    await update.effective_chat.send_message(esc(text), reply_markup=ReplyKeyboardRemove())
    return ConversationHandler.END


@requires()
async def location(update: Update, context: BotContext) -> int:
    place = update.message.location
    return await _record(update, context, place.latitude, place.longitude)


@requires()
async def no_location(update: Update, context: BotContext) -> int:
    return await _record(update, context, None, None)


@requires()
async def wrong_type(update: Update, context: BotContext) -> int:
    await update.effective_chat.send_message(words.WRONG_TYPE, reply_markup=_location_keyboard())
    return Step.LOCATION


async def cancel(update: Update, context: BotContext) -> int:
    context.user_data.pop(DRAFT, None)
    await update.effective_chat.send_message(words.CANCELLED, reply_markup=ReplyKeyboardRemove())
    return ConversationHandler.END


def build_conversation() -> ConversationHandler:
    return Flow(
        entry_points=[CallbackQueryHandler(arrive, pattern=any_of(SceneArrive))],
        states={
            Step.LOCATION: [MessageHandler(filters.LOCATION, location),
                            MessageHandler(filters.Text([words.NO_LOCATION]), no_location),
                            MessageHandler(~filters.COMMAND, wrong_type)],
        },
        fallbacks=[CommandHandler("cancel", cancel)],
        name="scene_arrival",
        timeout=TIMEOUT,
        draft=DRAFT,
    )


def handlers() -> list[BaseHandler]:
    """New objects per call: a ConversationHandler keeps per-application state."""
    return [build_conversation()]
