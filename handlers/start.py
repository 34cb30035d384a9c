"""/start: welcome back, bootstrap the first director, or register a stranger by invitation.

Registration is a persistent conversation (name → own phone via the contact button), so a
half-finished registration continues after a restart. An imported person binds their record by
sharing their phone.
"""

from enum import IntEnum

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot import texts
from bot.context import BotContext
from bot.keyboards import share_phone
from bot.services import invitations, people
from bot.services.errors import InvalidInput, InvalidInvitation
from handlers.common import Flow, call, esc, now
from handlers.gate import REGISTRATION_KEY, tell_stranger
from handlers.menus import help_text, set_person_commands


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    NAME = 0
    PHONE = 1


# The short names the handlers use (a test checks each is the member of the same name).
NAME, PHONE = Step


def _place(place: str) -> str:
    return f"（{esc(place)}）" if place else ""


async def start(update: Update, context: BotContext) -> int:
    user = update.effective_user
    code = context.args[0] if context.args else None
    person = context.person
    if person is not None:
        template = texts.INVITE_ALREADY_REGISTERED if code else texts.WELCOME_BACK
        await update.effective_chat.send_message(
            template.format(name=esc(person.name), roles=texts.role_names(person.roles), help=help_text(person)),
            reply_markup=ReplyKeyboardRemove(),
        )
        return ConversationHandler.END
    settings = context.deps.settings
    if user.id in settings.bootstrap_admin_ids:
        person = await call(context, people.bootstrap_admin, telegram_id=user.id, name=user.full_name, now=now(context))
        if person is not None:
            await set_person_commands(context.bot, person)
            await update.effective_chat.send_message(texts.BOOTSTRAP_DONE.format(help=help_text(person)))
            return ConversationHandler.END
    if not code:
        await tell_stranger(update)
        return ConversationHandler.END
    try:
        inv = await call(context, invitations.check_invitation, code=code, now=now(context))
    except InvalidInvitation as exc:
        await update.effective_chat.send_message(esc(exc.message))
        return ConversationHandler.END
    context.user_data[REGISTRATION_KEY] = {"code": code}
    await update.effective_chat.send_message(
        texts.REG_WELCOME.format(role=texts.ROLE_LABELS[inv.role], place=_place(inv.place)),
        reply_markup=ReplyKeyboardRemove(),
    )
    return NAME


async def got_name(update: Update, context: BotContext) -> int:
    try:
        name = people.normalize_name(update.message.text)
    except InvalidInput:
        await update.effective_chat.send_message(texts.REG_NAME_BAD)
        return NAME
    context.user_data[REGISTRATION_KEY] = {**context.user_data.get(REGISTRATION_KEY, {}), "name": name}
    await update.effective_chat.send_message(texts.REG_ASK_PHONE.format(name=esc(name)), reply_markup=share_phone())
    return PHONE


async def name_wrong_type(update: Update, context: BotContext) -> int:
    await update.effective_chat.send_message(texts.REG_NAME_WRONG_TYPE)
    return NAME


async def got_phone(update: Update, context: BotContext) -> int:
    contact = update.message.contact
    if contact.user_id != update.effective_user.id:
        await update.effective_chat.send_message(texts.REG_PHONE_NOT_OWN, reply_markup=share_phone())
        return PHONE
    draft = context.user_data.get(REGISTRATION_KEY) or {}
    if "code" not in draft or "name" not in draft:
        context.user_data.pop(REGISTRATION_KEY, None)
        await update.effective_chat.send_message(texts.REG_TIMEOUT, reply_markup=ReplyKeyboardRemove())
        return ConversationHandler.END
    try:
        person = await call(
            context, invitations.redeem_invitation, code=draft["code"], telegram_id=update.effective_user.id,
            name=draft["name"], phone=contact.phone_number, now=now(context),
        )
    except (InvalidInvitation, InvalidInput) as exc:
        context.user_data.pop(REGISTRATION_KEY, None)
        await update.effective_chat.send_message(esc(exc.message), reply_markup=ReplyKeyboardRemove())
        return ConversationHandler.END
    context.user_data.pop(REGISTRATION_KEY, None)
    await set_person_commands(context.bot, person)
    await update.effective_chat.send_message(
        texts.REG_DONE.format(
            name=esc(person.name), roles=texts.role_names(person.roles), place=_place(person.place),
            help=help_text(person),
        ),
        reply_markup=ReplyKeyboardRemove(),
    )
    return ConversationHandler.END


async def phone_wrong_type(update: Update, context: BotContext) -> int:
    message = texts.REG_PHONE_TYPED if update.message and update.message.text else texts.REG_PHONE_NOT_OWN
    await update.effective_chat.send_message(message, reply_markup=share_phone())
    return PHONE


async def cancel(update: Update, context: BotContext) -> int:
    context.user_data.pop(REGISTRATION_KEY, None)
    await update.effective_chat.send_message(texts.REG_CANCELLED, reply_markup=ReplyKeyboardRemove())
    return ConversationHandler.END


async def timed_out(update: Update, context: BotContext) -> None:
    context.user_data.pop(REGISTRATION_KEY, None)
    if update and update.effective_chat:
        await update.effective_chat.send_message(texts.REG_TIMEOUT, reply_markup=ReplyKeyboardRemove())


async def bind_phone(update: Update, context: BotContext) -> None:
    """A stranger shares their phone: bind them if an admin imported that number."""
    user = update.effective_user
    contact = update.message.contact
    if context.person is not None:
        await update.effective_chat.send_message(texts.UNEXPECTED_MESSAGE, reply_markup=ReplyKeyboardRemove())
        return
    if contact.user_id != user.id:
        await update.effective_chat.send_message(texts.REG_PHONE_NOT_OWN, reply_markup=share_phone())
        return
    person = await call(context, people.bind_by_phone, telegram_id=user.id, phone=contact.phone_number, now=now(context))
    if person is None:
        await update.effective_chat.send_message(
            texts.BIND_NOT_FOUND.format(tg_id=user.id), reply_markup=ReplyKeyboardRemove()
        )
        return
    await set_person_commands(context.bot, person)
    await update.effective_chat.send_message(
        texts.BIND_DONE.format(name=esc(person.name), roles=texts.role_names(person.roles), help=help_text(person)),
        reply_markup=ReplyKeyboardRemove(),
    )


def build_registration_conversation() -> ConversationHandler:
    return Flow(
        entry_points=[CommandHandler("start", start)],
        states={
            NAME: [
                MessageHandler(filters.TEXT & ~filters.COMMAND, got_name),
                MessageHandler(~filters.COMMAND, name_wrong_type),
            ],
            PHONE: [
                MessageHandler(filters.CONTACT, got_phone),
                MessageHandler(~filters.COMMAND, phone_wrong_type),
            ],
            ConversationHandler.TIMEOUT: [MessageHandler(filters.ALL, timed_out)],
        },
        fallbacks=[CommandHandler("cancel", cancel), CommandHandler("start", start)],
        name="registration",
        timeout=3600,
    )


def handlers() -> list[BaseHandler]:
    """New objects per call: a ConversationHandler keeps per-application state."""
    return [
        build_registration_conversation(),
        MessageHandler(filters.CONTACT & filters.ChatType.PRIVATE, bind_phone),
    ]
