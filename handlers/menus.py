"""The command menu each person sees (per chat, by role) and /help, /me."""

import asyncio
import hashlib
import json
import logging

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, Update
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from telegram.ext import BaseHandler, CommandHandler

from bot import texts
from bot.context import BotContext
from bot.db import Database
from bot.services import focus_areas, people, stats, supervision
from bot.services.people import PersonView
from handlers.common import esc, requires

log = logging.getLogger(__name__)
MENU_PAUSE = 0.1  # seconds between two menus sent at start-up

# Commands a role alone does not decide: a staff member has /stats only as a contact point; a
# village's contact (role unit) has no 督办通知书, which go to units, and a unit's has no 重点整治区域.
NARROWER = {"stats": stats.may_view, "supervisions": supervision.may_list, "notice": supervision.may_list,
            "focus": focus_areas.may_view}


def commands_for(person: PersonView) -> list[tuple[str, str]]:
    return [(c, d) for c, d, roles in texts.COMMANDS
            if (roles is None or roles & person.roles) and NARROWER.get(c, lambda _: True)(person)]


def help_text(person: PersonView) -> str:
    mine = dict(commands_for(person))
    lines = [texts.HELP_HEADER]
    for title, names in texts.HELP_SECTIONS:
        shown = [f"/{c} — {mine[c]}" for c in names if c in mine]
        if shown:
            lines += [f"<b>{title}</b>", *shown]
    lines.append(texts.HELP_FOOTER)
    return "\n".join(lines)


async def set_default_commands(bot) -> None:
    # Strangers see only /start; registered people get their own menu per chat.
    await bot.set_my_commands([BotCommand("start", "开始 / 登记")], scope=BotCommandScopeDefault())


async def set_person_commands(bot, person: PersonView) -> bool:
    """False when Telegram could not be reached or asked to wait: the menu is still the old one."""
    if person.telegram_id is None:
        return True
    scope = BotCommandScopeChat(chat_id=person.telegram_id)
    try:
        if person.active:
            await bot.set_my_commands([BotCommand(c, d) for c, d in commands_for(person)], scope=scope)
        else:
            await bot.delete_my_commands(scope=scope)
    except BadRequest:  # a NetworkError too, but a final answer: e.g. they never opened a chat with
        pass  # the bot; their menu is set on /start
    except (NetworkError, RetryAfter):  # TimedOut is a NetworkError
        return False
    except TelegramError:  # Forbidden: they blocked the bot
        pass
    return True


async def refresh_menus(context: BotContext) -> None:
    """Start-up job: Telegram keeps each chat's menu until it is replaced, so when an upgrade (or a
    change made while the bot was down) changed who sees which command, everyone's menu is sent again,
    once. If Telegram fails meanwhile, the next start tries again."""
    await send_changed_menus(context.bot, context.deps.db)


async def send_changed_menus(bot, db: Database, *, pause: float = MENU_PAUSE) -> None:
    """Everyone's menu, unless the digest of them all is the one last sent (also the sandbox's start)."""
    everyone = await db.read(people.with_chats)
    digest = hashlib.sha256(json.dumps([(p.telegram_id, commands_for(p)) for p in everyone]).encode()).hexdigest()
    if digest == await db.read(people.menus_sent):
        return
    for person in everyone:
        if not await set_person_commands(bot, person):
            log.warning("command menus not refreshed: Telegram did not answer; the next start tries again")
            return
        await asyncio.sleep(pause)  # far below Telegram's limits, beside the outbox's messages
    await db.run(people.record_menus_sent, digest=digest)


@requires()
async def help_command(update: Update, context: BotContext) -> None:
    await update.effective_chat.send_message(help_text(context.person))


@requires()
async def me_command(update: Update, context: BotContext) -> None:
    p = context.person
    place = f"\n所属：{esc(p.place)}" if p.place else ""
    await update.effective_chat.send_message(
        texts.ME.format(name=esc(p.name), roles=texts.role_names(p.roles), phone=esc(p.phone or "未登记"), place=place)
    )


def handlers() -> list[BaseHandler]:
    """New objects per call, like every handler module's (one Application each)."""
    return [CommandHandler("help", help_command), CommandHandler("me", me_command)]
