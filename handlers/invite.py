"""/invite: a director or admin picks a role (then village/grid or unit) by buttons and gets a
deep link. Every step is a stateless button whose data carries the choice, so nothing is lost
on a restart and every press is checked again."""

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import texts
from bot.context import BotContext
from bot.keyboards import button, grid, inline
from bot.services import invitations, places
from bot.services.access import MANAGE_PEOPLE, may_grant
from handlers.common import StaleButton, call, callback_parts, esc, int_part, now, reply, requires
from models import Role

INVITABLE = [Role.grid, Role.staff, Role.leader, Role.unit, Role.township_leader, Role.secretary, Role.director,
             Role.admin]


def _roles_keyboard(context: BotContext):
    # Only the roles this person may grant (the service checks again on a forged press).
    roles = [r for r in INVITABLE if may_grant(context.person.roles, {r})]
    return inline(grid([button(texts.ROLE_LABELS[r], f"inv:r:{r.value}") for r in roles]))


@requires(*MANAGE_PEOPLE)
async def invite_command(update: Update, context: BotContext) -> None:
    await update.effective_chat.send_message(texts.INVITE_CHOOSE_ROLE, reply_markup=_roles_keyboard(context))


@requires(*MANAGE_PEOPLE)
async def invite_button(update: Update, context: BotContext) -> None:
    parts = callback_parts(update)
    step = parts[1] if len(parts) > 1 else ""
    if step == "start":
        await reply(update, texts.INVITE_CHOOSE_ROLE, reply_markup=_roles_keyboard(context), edit=True)
    elif step == "r":
        try:
            role = Role(parts[2])
        except (IndexError, ValueError):
            raise StaleButton() from None
        if role == Role.grid:
            await _choose_village(update, context)
        elif role == Role.unit:
            await _choose_unit(update, context)
        else:
            await _create(update, context, role=role)
    elif step == "v":
        await _choose_grid(update, context, village_id=int_part(parts, 2))
    elif step == "g":
        await _create(update, context, role=Role.grid, grid_id=int_part(parts, 2))
    elif step == "u":
        await _create(update, context, role=Role.unit, unit_id=int_part(parts, 2))
    else:
        raise StaleButton()


async def _choose_village(update: Update, context: BotContext) -> None:
    villages = await call(context, places.list_villages)
    if not villages:
        await reply(update, texts.INVITE_NO_VILLAGES, edit=True)
        return
    keyboard = inline(grid([button(v.name, f"inv:v:{v.id}") for v in villages], 3))
    await reply(update, texts.INVITE_CHOOSE_VILLAGE.format(role=texts.ROLE_LABELS[Role.grid]),
                reply_markup=keyboard, edit=True)


async def _choose_grid(update: Update, context: BotContext, *, village_id: int) -> None:
    village = await call(context, places.get_village, village_id=village_id)
    grids = await call(context, places.list_grids, village_id=village_id)
    if not grids:
        await reply(update, texts.INVITE_NO_GRIDS.format(village=esc(village.name)), edit=True)
        return
    keyboard = inline([*grid([button(g.name, f"inv:g:{g.id}") for g in grids], 3), [button(texts.ADMIN_BACK, "inv:r:grid")]])
    await reply(update, texts.INVITE_CHOOSE_GRID.format(village=esc(village.name)), reply_markup=keyboard, edit=True)


async def _choose_unit(update: Update, context: BotContext) -> None:
    units = await call(context, places.list_units)
    if not units:
        await reply(update, texts.INVITE_NO_UNITS, edit=True)
        return
    keyboard = inline(grid([button(u.name, f"inv:u:{u.id}") for u in units], 2))
    await reply(update, texts.INVITE_CHOOSE_UNIT, reply_markup=keyboard, edit=True)


async def _create(update: Update, context: BotContext, *, role: Role, grid_id=None, unit_id=None) -> None:
    days = context.deps.settings.invitation_valid_days
    inv = await call(
        context, invitations.create_invitation, actor_id=context.person.id, role=role, now=now(context),
        valid_days=days, grid_id=grid_id, unit_id=unit_id,
    )
    link = f"https://t.me/{context.bot.username}?start={inv.code}"
    place = f"，{esc(inv.place)}" if inv.place else ""
    await reply(
        update,
        texts.INVITE_CREATED.format(role=texts.ROLE_LABELS[inv.role], place=place, days=days, link=link, code=inv.code),
        reply_markup=inline([[button(texts.INVITE_AGAIN, "inv:start")]]),
        edit=True,
    )


def handlers() -> list[BaseHandler]:
    """New objects per call, like every handler module's (one Application each)."""
    return [
        CommandHandler("invite", invite_command),
        CallbackQueryHandler(invite_button, pattern=r"^inv:"),
    ]
