"""/invite: a director or admin picks a role (then village/grid or unit) by buttons and gets a
deep link. Every step is a stateless button whose data carries the choice, so nothing is lost
on a restart and every press is checked again."""

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import texts
from bot.callbacks import INVITE_FAMILY, InviteGrid, InviteRole, InviteStart, InviteUnit, InviteVillage
from bot.context import BotContext
from bot.keyboards import button, grid, inline
from bot.services import invitations, places
from bot.services.access import MANAGE_PEOPLE, may_grant
from handlers.common import call, esc, now, pressed_one_of, reply, requires
from models import Role

STEPS = (InviteStart, InviteRole, InviteVillage, InviteGrid, InviteUnit)
INVITABLE = [Role.grid, Role.staff, Role.leader, Role.unit, Role.township_leader, Role.secretary, Role.director,
             Role.admin]


def _roles_keyboard(context: BotContext):
    # Only the roles this person may grant (the service checks again on a forged press).
    roles = [r for r in INVITABLE if may_grant(context.person.roles, {r})]
    return inline(grid([button(texts.ROLE_LABELS[r], InviteRole(r).pack()) for r in roles]))


@requires(*MANAGE_PEOPLE)
async def invite_command(update: Update, context: BotContext) -> None:
    await update.effective_chat.send_message(texts.INVITE_CHOOSE_ROLE, reply_markup=_roles_keyboard(context))


@requires(*MANAGE_PEOPLE)
async def invite_button(update: Update, context: BotContext) -> None:
    step = pressed_one_of(update, STEPS)
    if isinstance(step, InviteStart):
        await reply(update, texts.INVITE_CHOOSE_ROLE, reply_markup=_roles_keyboard(context), edit=True)
    elif isinstance(step, InviteRole):
        role = step.role
        if role == Role.grid:
            await _choose_village(update, context)
        elif role == Role.unit:
            await _choose_unit(update, context)
        else:
            await _create(update, context, role=role)
    elif isinstance(step, InviteVillage):
        await _choose_grid(update, context, village_id=step.village_id)
    elif isinstance(step, InviteGrid):
        await _create(update, context, role=Role.grid, grid_id=step.grid_id)
    else:
        await _create(update, context, role=Role.unit, unit_id=step.unit_id)


async def _choose_village(update: Update, context: BotContext) -> None:
    villages = await call(context, places.list_villages)
    if not villages:
        await reply(update, texts.INVITE_NO_VILLAGES, edit=True)
        return
    keyboard = inline(grid([button(v.name, InviteVillage(v.id).pack()) for v in villages], 3))
    await reply(update, texts.INVITE_CHOOSE_VILLAGE.format(role=texts.ROLE_LABELS[Role.grid]),
                reply_markup=keyboard, edit=True)


async def _choose_grid(update: Update, context: BotContext, *, village_id: int) -> None:
    village = await call(context, places.get_village, village_id=village_id)
    grids = await call(context, places.list_grids, village_id=village_id)
    if not grids:
        await reply(update, texts.INVITE_NO_GRIDS.format(village=esc(village.name)), edit=True)
        return
    keyboard = inline([*grid([button(g.name, InviteGrid(g.id).pack()) for g in grids], 3), [button(texts.ADMIN_BACK, InviteRole(Role.grid).pack())]])
    await reply(update, texts.INVITE_CHOOSE_GRID.format(village=esc(village.name)), reply_markup=keyboard, edit=True)


async def _choose_unit(update: Update, context: BotContext) -> None:
    units = await call(context, places.list_units)
    if not units:
        await reply(update, texts.INVITE_NO_UNITS, edit=True)
        return
    keyboard = inline(grid([button(u.name, InviteUnit(u.id).pack()) for u in units], 2))
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
        reply_markup=inline([[button(texts.INVITE_AGAIN, InviteStart().pack())]]),
        edit=True,
    )


def handlers() -> list[BaseHandler]:
    """New objects per call, like every handler module's (one Application each)."""
    return [
        CommandHandler("invite", invite_command),
        CallbackQueryHandler(invite_button, pattern=INVITE_FAMILY),
    ]
