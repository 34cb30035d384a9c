"""/admin: people, villages/grids, units and contact points, all by buttons.

Browsing and toggling are stateless buttons (the data carries ids, re-checked on each press);
only typing a new name is a short persistent conversation.
"""

from enum import IntEnum

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import texts
from bot.context import BotContext
from bot.keyboards import button, grid, inline, pager
from bot.services import people, places
from bot.services.access import MANAGE_PEOPLE, may_grant
from bot.services.errors import InvalidInput
from handlers.common import Flow, StaleButton, call, callback_parts, esc, int_part, now, reply, requires
from handlers.menus import set_person_commands
from models import Role

PAGE_SIZE = 8


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    TYPING = 0


TYPING = Step.TYPING

EDIT_KEY = "admin_edit"
BACK_TO_MENU = button(texts.ADMIN_BACK, "adm:menu")


def _menu_keyboard():
    return inline([
        [button(texts.ADMIN_PEOPLE, "adm:people")],
        [button(texts.ADMIN_VILLAGES, "adm:vl"), button(texts.ADMIN_UNITS, "adm:ul")],
        [button(texts.ADMIN_IMPORT, "adm:imp")],
    ])


# The role editor's buttons carry the chosen roles as bits in this order. Buttons stay in chats, so
# never reorder: a new role takes the next bit (the editor shows them in texts.ROLE_ORDER).
ROLE_BITS = (Role.director, Role.secretary, Role.leader, Role.staff, Role.grid, Role.unit, Role.admin,
             Role.township_leader)


def _mask(roles) -> int:
    return sum(1 << i for i, r in enumerate(ROLE_BITS) if r in roles)


def _roles(mask: int) -> set[Role]:
    return {r for i, r in enumerate(ROLE_BITS) if mask >> i & 1}


@requires(*MANAGE_PEOPLE)
async def admin_command(update: Update, context: BotContext) -> None:
    await update.effective_chat.send_message(texts.ADMIN_MENU, reply_markup=_menu_keyboard())


@requires(*MANAGE_PEOPLE)
async def admin_button(update: Update, context: BotContext) -> None:
    parts = callback_parts(update)
    action = parts[1] if len(parts) > 1 else ""
    view = VIEWS.get(action)
    if view is None:
        raise StaleButton()
    await view(update, context, parts)


async def _menu(update, context, parts) -> None:
    await reply(update, texts.ADMIN_MENU, reply_markup=_menu_keyboard(), edit=True)


async def _people_filters(update, context, parts) -> None:
    rows = [[button(texts.ADMIN_ALL, "adm:pl:all:0"), button(texts.ADMIN_BY_VILLAGE, "adm:pv")]]
    rows += grid([button(texts.ROLE_LABELS[r], f"adm:pl:{r.value}:0") for r in texts.ROLE_ORDER], 3)
    rows.append([BACK_TO_MENU])
    await reply(update, texts.ADMIN_PEOPLE_FILTER, reply_markup=inline(rows), edit=True)


async def _people_by_village(update, context, parts) -> None:
    villages = await call(context, places.list_villages)
    rows = grid([button(v.name, f"adm:pl:v{v.id}:0") for v in villages], 3)
    rows.append([button(texts.ADMIN_BACK, "adm:people")])
    await reply(update, texts.ADMIN_PEOPLE_FILTER, reply_markup=inline(rows), edit=True)


async def _people_list(update, context, parts) -> None:
    flt = parts[2] if len(parts) > 2 else ""
    page = int_part(parts, 3)
    role = village_id = None
    if flt.startswith("v"):
        village_id = int_part([flt[1:]], 0)
        title = (await call(context, places.get_village, village_id=village_id)).name
    elif flt == "all":
        title = texts.ADMIN_ALL
    else:
        try:
            role = Role(flt)
        except ValueError:
            raise StaleButton() from None
        title = texts.ROLE_LABELS[role]
    found, total = await call(
        context, people.list_people, role=role, village_id=village_id, offset=page * PAGE_SIZE, limit=PAGE_SIZE
    )
    back = [button(texts.ADMIN_BACK, "adm:people")]
    if total == 0:
        await reply(update, texts.ADMIN_PEOPLE_EMPTY.format(title=esc(title)), reply_markup=inline([back]), edit=True)
        return
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    rows = grid([button(p.name + ("" if p.active else "⛔"), f"adm:p:{p.id}") for p in found], 2)
    rows += [pager(f"adm:pl:{flt}", page, pages), back]
    text = texts.ADMIN_PEOPLE_LIST.format(title=esc(title), total=total, page=page + 1, pages=pages)
    await reply(update, text, reply_markup=inline(rows), edit=True)


async def _person_card(update, context, parts, person=None) -> None:
    person = person or await call(context, people.get, person_id=int_part(parts, 2))
    villages = {v.id: v.name for v in await call(context, places.list_villages)}
    cps = "、".join(villages[v] for v in sorted(person.contact_village_ids) if v in villages) or "无"
    text = texts.PERSON_CARD.format(
        name=esc(person.name),
        inactive="" if person.active else texts.PERSON_INACTIVE_MARK,
        roles=texts.role_names(person.roles),
        phone=esc(person.phone or "未登记"),
        place=esc(person.place or "无"),
        contact_points=esc(cps),
        desk="是" if person.on_case_desk else "否",
        bound=texts.PERSON_BOUND if person.telegram_id else texts.PERSON_UNBOUND,
    )
    toggle = (button(texts.PERSON_DEACTIVATE, f"adm:pd:{person.id}") if person.active
              else button(texts.PERSON_ACTIVATE, f"adm:pa:{person.id}"))
    rows = [
        [button(texts.PERSON_ROLES, f"adm:pr:{person.id}:{_mask(person.roles)}"),
         button(texts.PERSON_CONTACT_POINTS, f"adm:pc:{person.id}")],
        [toggle],
        [button(texts.ADMIN_BACK, "adm:people")],
    ]
    if Role.staff in person.roles:
        desk = texts.PERSON_DESK_ON if person.on_case_desk else texts.PERSON_DESK_OFF
        rows.insert(2, [button(desk, f"adm:pk:{person.id}:{0 if person.on_case_desk else 1}")])
    await reply(update, text, reply_markup=inline(rows), edit=True)


async def _role_editor(update, context, parts) -> None:
    person = await call(context, people.get, person_id=int_part(parts, 2))
    mask = int_part(parts, 3)
    chosen = _roles(mask)
    # Roles this person may not grant or revoke are not offered; the mask keeps them as they are.
    toggles = [
        button(("✅ " if r in chosen else "") + texts.ROLE_LABELS[r], f"adm:pr:{person.id}:{mask ^ _mask({r})}")
        for r in texts.ROLE_ORDER if may_grant(context.person.roles, {r})
    ]
    rows = [*grid(toggles, 2), [button(texts.SAVE, f"adm:ps:{person.id}:{mask}"), button(texts.ADMIN_BACK, f"adm:p:{person.id}")]]
    text = texts.PERSON_ROLES_PROMPT.format(name=esc(person.name))
    if len(toggles) < len(texts.ROLE_ORDER):
        text += texts.PERSON_ROLES_DIRECTOR_ONLY
    await reply(update, text, reply_markup=inline(rows), edit=True)


async def _save_roles(update, context, parts) -> None:
    person = await call(
        context, people.set_roles, actor_id=context.person.id, person_id=int_part(parts, 2),
        roles=_roles(int_part(parts, 3)), now=now(context),
    )
    await set_person_commands(context.bot, person)
    await update.effective_chat.send_message(
        texts.ROLES_SAVED.format(name=esc(person.name), roles=texts.role_names(person.roles))
    )
    await _person_card(update, context, parts, person)


async def _contact_points(update, context, parts, person=None) -> None:
    person = person or await call(context, people.get, person_id=int_part(parts, 2))
    villages = await call(context, places.list_villages)
    toggles = [
        button(("✅ " if v.id in person.contact_village_ids else "") + v.name, f"adm:pct:{person.id}:{v.id}")
        for v in villages
    ]
    rows = [*grid(toggles, 2), [button(texts.ADMIN_BACK, f"adm:p:{person.id}")]]
    await reply(update, texts.PERSON_CP_PROMPT.format(name=esc(person.name)), reply_markup=inline(rows), edit=True)


async def _toggle_contact_point(update, context, parts) -> None:
    person = await call(
        context, people.toggle_contact_point, actor_id=context.person.id, person_id=int_part(parts, 2),
        village_id=int_part(parts, 3), now=now(context),
    )
    await _contact_points(update, context, parts, person)


async def _set_active(update, context, parts) -> None:
    active = parts[1] == "pa"
    person = await call(
        context, people.set_active, actor_id=context.person.id, person_id=int_part(parts, 2), active=active,
        now=now(context),
    )
    await set_person_commands(context.bot, person)
    done = texts.ACTIVATED if active else texts.DEACTIVATED
    await update.effective_chat.send_message(done.format(name=esc(person.name)))
    await _person_card(update, context, parts, person)


async def _set_case_desk(update, context, parts) -> None:
    person = await call(
        context, people.set_case_desk, actor_id=context.person.id, person_id=int_part(parts, 2),
        on=int_part(parts, 3) == 1, now=now(context),
    )
    await _person_card(update, context, parts, person)


async def _villages(update, context, parts) -> None:
    villages = await call(context, places.list_villages)
    rows = [*grid([button(v.name, f"adm:v:{v.id}") for v in villages], 3),
            [button(texts.VILLAGE_ADD, "adm:vn")], [BACK_TO_MENU]]
    await reply(update, texts.VILLAGES_LIST.format(total=len(villages)), reply_markup=inline(rows), edit=True)


async def _village_card(update, context, parts, village_id: int | None = None) -> None:
    village_id = village_id or int_part(parts, 2)
    village = await call(context, places.get_village, village_id=village_id)
    grids = await call(context, places.list_grids, village_id=village_id)
    leaders = await call(context, places.contact_leaders, village_id=village_id)
    text = texts.VILLAGE_CARD.format(
        name=esc(village.name), kind=village.kind,
        grids=esc("、".join(g.name for g in grids) or "无"),
        leaders=esc("、".join(p.name for p in leaders) or "未设置（在人员卡片上设置联系点）"),
    )
    rows = [[button(texts.GRID_ADD, f"adm:gn:{village.id}"), button(texts.VILLAGE_RENAME, f"adm:vr:{village.id}")],
            [button(texts.ADMIN_BACK, "adm:vl")]]
    await reply(update, text, reply_markup=inline(rows), edit=True)


async def _units(update, context, parts) -> None:
    units = await call(context, places.list_units)
    rows = [*grid([button(u.name, f"adm:u:{u.id}") for u in units], 2),
            [button(texts.UNIT_ADD, "adm:un")], [BACK_TO_MENU]]
    await reply(update, texts.UNITS_LIST.format(total=len(units)), reply_markup=inline(rows), edit=True)


async def _unit_card(update, context, parts, unit_id: int | None = None) -> None:
    unit_id = unit_id or int_part(parts, 2)
    unit = await call(context, places.get_unit, unit_id=unit_id)
    contacts = await call(context, places.unit_contacts, unit_id=unit_id)
    text = texts.UNIT_CARD.format(name=esc(unit.name), kind=esc(unit.kind),
                                  contacts=esc("、".join(p.name for p in contacts) or "无"))
    rows = [[button(texts.VILLAGE_RENAME, f"adm:ur:{unit.id}")], [button(texts.ADMIN_BACK, "adm:ul")]]
    await reply(update, text, reply_markup=inline(rows), edit=True)


async def _import_help(update, context, parts) -> None:
    from handlers.importing import send_template

    await reply(update, texts.IMPORT_HOW, reply_markup=inline([[BACK_TO_MENU]]), edit=True)
    await send_template(update, context)


VIEWS = {
    "menu": _menu,
    "people": _people_filters,
    "pv": _people_by_village,
    "pl": _people_list,
    "p": _person_card,
    "pr": _role_editor,
    "ps": _save_roles,
    "pc": _contact_points,
    "pct": _toggle_contact_point,
    "pd": _set_active,
    "pa": _set_active,
    "pk": _set_case_desk,
    "vl": _villages,
    "v": _village_card,
    "ul": _units,
    "u": _unit_card,
    "imp": _import_help,
}


# --- typing a name: the only step that needs conversation state --------------------------------

PROMPTS = {"vn": texts.ASK_VILLAGE_NAME, "vr": texts.ASK_VILLAGE_RENAME, "gn": texts.ASK_GRID_NAME,
           "un": texts.ASK_UNIT_NAME, "ur": texts.ASK_UNIT_RENAME}


@requires(*MANAGE_PEOPLE)
async def ask_name(update: Update, context: BotContext) -> int:
    parts = callback_parts(update)
    op = parts[1]
    target = int_part(parts, 2) if op in ("vr", "gn", "ur") else None
    name = village = ""
    if op in ("vr", "gn"):
        village = name = (await call(context, places.get_village, village_id=target)).name
    elif op == "ur":
        name = (await call(context, places.get_unit, unit_id=target)).name
    context.user_data[EDIT_KEY] = {"op": op, "id": target}
    await update.effective_chat.send_message(PROMPTS[op].format(name=esc(name), village=esc(village)))
    return TYPING


async def save_name(update: Update, context: BotContext) -> int:
    edit = context.user_data.get(EDIT_KEY) or {}
    # Roles are checked again: the person may have lost them since the prompt was shown.
    if context.person is None or not context.person.has(*MANAGE_PEOPLE):
        context.user_data.pop(EDIT_KEY, None)
        await update.effective_chat.send_message(texts.NOT_ALLOWED)
        return ConversationHandler.END
    op, target, text = edit.get("op"), edit.get("id"), update.message.text
    actor = {"actor_id": context.person.id, "now": now(context)}
    try:
        if op == "vn":
            village = await call(context, places.create_village, name=text, **actor)
            what, after = village.name, ("v", village.id)
        elif op == "vr":
            village = await call(context, places.rename_village, village_id=target, name=text, **actor)
            what, after = village.name, ("v", village.id)
        elif op == "gn":
            new_grid = await call(context, places.create_grid, village_id=target, name=text, **actor)
            what, after = new_grid.name, ("v", target)
        elif op == "un":
            unit = await call(context, places.create_unit, name=text, **actor)
            what, after = unit.name, ("u", unit.id)
        elif op == "ur":
            unit = await call(context, places.rename_unit, unit_id=target, name=text, **actor)
            what, after = unit.name, ("u", unit.id)
        else:
            context.user_data.pop(EDIT_KEY, None)
            await update.effective_chat.send_message(texts.STALE_BUTTON)
            return ConversationHandler.END
    except InvalidInput as exc:
        await update.effective_chat.send_message(f"{esc(exc.message)}请重新输入，或发送 /cancel 取消。")
        return TYPING
    context.user_data.pop(EDIT_KEY, None)
    await update.effective_chat.send_message(texts.SAVED.format(what=esc(what)))
    kind, target_id = after
    if kind == "v":
        await _village_card(update, context, [], village_id=target_id)
    else:
        await _unit_card(update, context, [], unit_id=target_id)
    return ConversationHandler.END


async def name_wrong_type(update: Update, context: BotContext) -> int:
    await update.effective_chat.send_message(texts.ASK_TEXT_WRONG_TYPE)
    return TYPING


async def cancel_edit(update: Update, context: BotContext) -> int:
    context.user_data.pop(EDIT_KEY, None)
    await update.effective_chat.send_message(texts.EDIT_CANCELLED)
    return ConversationHandler.END


def build_admin_edit_conversation() -> ConversationHandler:
    return Flow(
        entry_points=[CallbackQueryHandler(ask_name, pattern=r"^adm:(vn|un|vr:\d+|gn:\d+|ur:\d+)$")],
        states={
            TYPING: [
                MessageHandler(filters.TEXT & ~filters.COMMAND, save_name),
                MessageHandler(~filters.COMMAND, name_wrong_type),
            ],
        },
        fallbacks=[CommandHandler("cancel", cancel_edit)],
        name="admin_edit",
        timeout=900,
    )


def handlers() -> list[BaseHandler]:
    """New objects per call: the name-editing conversation keeps per-application state. It comes
    before the `adm:` buttons, which would otherwise take its entry presses."""
    return [
        build_admin_edit_conversation(),
        CommandHandler("admin", admin_command),
        CallbackQueryHandler(admin_button, pattern=r"^adm:"),
    ]
