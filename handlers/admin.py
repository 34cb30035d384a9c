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
from bot.callbacks import (
    ADMIN_FAMILY,
    AdminActivate,
    AdminCaseDesk,
    AdminContactPoints,
    AdminDeactivate,
    AdminImport,
    AdminMenu,
    AdminNewGrid,
    AdminNewUnit,
    AdminNewUpper,
    AdminNewVillage,
    AdminPeople,
    AdminPeopleAll,
    AdminPeopleByVillage,
    AdminPeopleOfVillage,
    AdminPeopleWithRole,
    AdminPerson,
    AdminRenameUnit,
    AdminRenameVillage,
    AdminRoles,
    AdminSaveRoles,
    AdminStatus,
    AdminToggleContactPoint,
    AdminUnit,
    AdminUnits,
    AdminUpper,
    AdminUpperRemove,
    AdminVillage,
    AdminVillages,
    FocusOpen,
    any_of,
)
from bot.context import BotContext
from bot.keyboards import button, code_pager, grid, inline
from bot.ops import metrics
from bot.ops.status import Status
from bot.services import focus_areas, people, places, upward_reports
from bot.services.access import MANAGE_PEOPLE, may_grant
from bot.services.deadlines import fmt
from bot.services.errors import InvalidInput
from bot.texts import ops as ops_texts
from bot.texts import upward as upward_texts
from handlers import case_types
from handlers.common import Flow, StaleButton, call, esc, now, pressed_one_of, read, reply, requires
from handlers.menus import set_person_commands
from models import Role

PAGE_SIZE = 8


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    TYPING = 0


TYPING = Step.TYPING

EDIT_KEY = "admin_edit"
BACK_TO_MENU = button(texts.ADMIN_BACK, AdminMenu().pack())


def _menu_keyboard():
    return inline([
        [button(texts.ADMIN_PEOPLE, AdminPeople().pack())],
        [button(texts.ADMIN_VILLAGES, AdminVillages().pack()), button(texts.ADMIN_UNITS, AdminUnits().pack())],
        [button(texts.ADMIN_IMPORT, AdminImport().pack())],
        [case_types.menu_button()],  # 事项类型 (issue 16)
        [button(upward_texts.ADMIN_BUTTON, AdminUpper().pack())],  # 上报上级's departments
        [button(ops_texts.STATUS_BUTTON, AdminStatus().pack())],
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
    shown = pressed_one_of(update, VIEWS)
    await VIEWS[type(shown)](update, context, shown)


async def _menu(update, context, shown) -> None:
    await reply(update, texts.ADMIN_MENU, reply_markup=_menu_keyboard(), edit=True)


async def _people_filters(update, context, shown) -> None:
    rows = [[button(texts.ADMIN_ALL, AdminPeopleAll(0).pack()), button(texts.ADMIN_BY_VILLAGE, AdminPeopleByVillage().pack())]]
    rows += grid([button(texts.ROLE_LABELS[r], AdminPeopleWithRole(r, 0).pack()) for r in texts.ROLE_ORDER], 3)
    rows.append([BACK_TO_MENU])
    await reply(update, texts.ADMIN_PEOPLE_FILTER, reply_markup=inline(rows), edit=True)


async def _people_by_village(update, context, shown) -> None:
    villages = await call(context, places.list_villages)
    rows = grid([button(v.name, AdminPeopleOfVillage(v.id, 0).pack()) for v in villages], 3)
    rows.append([button(texts.ADMIN_BACK, AdminPeople().pack())])
    await reply(update, texts.ADMIN_PEOPLE_FILTER, reply_markup=inline(rows), edit=True)


async def _people_list(update, context, shown: AdminPeopleAll | AdminPeopleWithRole | AdminPeopleOfVillage) -> None:
    page = shown.page
    role = village_id = None
    if isinstance(shown, AdminPeopleOfVillage):
        village_id = shown.village_id
        title = (await call(context, places.get_village, village_id=village_id)).name
    elif isinstance(shown, AdminPeopleAll):
        title = texts.ADMIN_ALL
    else:
        role = shown.role
        title = texts.ROLE_LABELS[role]
    found, total = await call(
        context, people.list_people, role=role, village_id=village_id, offset=page * PAGE_SIZE, limit=PAGE_SIZE
    )
    back = [button(texts.ADMIN_BACK, AdminPeople().pack())]
    if total == 0:
        await reply(update, texts.ADMIN_PEOPLE_EMPTY.format(title=esc(title)), reply_markup=inline([back]), edit=True)
        return
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    rows = grid([button(p.name + ("" if p.active else "⛔"), AdminPerson(p.id).pack()) for p in found], 2)
    rows += [code_pager(shown, pages), back]
    text = texts.ADMIN_PEOPLE_LIST.format(title=esc(title), total=total, page=page + 1, pages=pages)
    await reply(update, text, reply_markup=inline(rows), edit=True)


async def _person_card(update, context, shown, person=None) -> None:
    person = person or await call(context, people.get, person_id=shown.person_id)
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
    toggle = (button(texts.PERSON_DEACTIVATE, AdminDeactivate(person.id).pack()) if person.active
              else button(texts.PERSON_ACTIVATE, AdminActivate(person.id).pack()))
    rows = [
        [button(texts.PERSON_ROLES, AdminRoles(person.id, _mask(person.roles)).pack()),
         button(texts.PERSON_CONTACT_POINTS, AdminContactPoints(person.id).pack())],
        [toggle],
        [button(texts.ADMIN_BACK, AdminPeople().pack())],
    ]
    if Role.staff in person.roles:
        desk = texts.PERSON_DESK_ON if person.on_case_desk else texts.PERSON_DESK_OFF
        rows.insert(2, [button(desk, AdminCaseDesk(person.id, 0 if person.on_case_desk else 1).pack())])
    await reply(update, text, reply_markup=inline(rows), edit=True)


async def _role_editor(update, context, shown: AdminRoles) -> None:
    person = await call(context, people.get, person_id=shown.person_id)
    mask = shown.mask
    chosen = _roles(mask)
    # Roles this person may not grant or revoke are not offered; the mask keeps them as they are.
    toggles = [
        button(("✅ " if r in chosen else "") + texts.ROLE_LABELS[r], AdminRoles(person.id, mask ^ _mask({r})).pack())
        for r in texts.ROLE_ORDER if may_grant(context.person.roles, {r})
    ]
    rows = [*grid(toggles, 2), [button(texts.SAVE, AdminSaveRoles(person.id, mask).pack()), button(texts.ADMIN_BACK, AdminPerson(person.id).pack())]]
    text = texts.PERSON_ROLES_PROMPT.format(name=esc(person.name))
    if len(toggles) < len(texts.ROLE_ORDER):
        text += texts.PERSON_ROLES_DIRECTOR_ONLY
    await reply(update, text, reply_markup=inline(rows), edit=True)


async def _save_roles(update, context, shown: AdminSaveRoles) -> None:
    person = await call(
        context, people.set_roles, actor_id=context.person.id, person_id=shown.person_id,
        roles=_roles(shown.mask), now=now(context),
    )
    await set_person_commands(context.bot, person)
    await update.effective_chat.send_message(
        texts.ROLES_SAVED.format(name=esc(person.name), roles=texts.role_names(person.roles))
    )
    await _person_card(update, context, shown, person)


async def _contact_points(update, context, shown, person=None) -> None:
    person = person or await call(context, people.get, person_id=shown.person_id)
    villages = await call(context, places.list_villages)
    toggles = [
        button(("✅ " if v.id in person.contact_village_ids else "") + v.name, AdminToggleContactPoint(person.id, v.id).pack())
        for v in villages
    ]
    rows = [*grid(toggles, 2), [button(texts.ADMIN_BACK, AdminPerson(person.id).pack())]]
    await reply(update, texts.PERSON_CP_PROMPT.format(name=esc(person.name)), reply_markup=inline(rows), edit=True)


async def _toggle_contact_point(update, context, shown: AdminToggleContactPoint) -> None:
    person = await call(
        context, people.toggle_contact_point, actor_id=context.person.id, person_id=shown.person_id,
        village_id=shown.village_id, now=now(context),
    )
    await set_person_commands(context.bot, person)  # a contact point gains /stats (handlers.menus.NARROWER)
    await _contact_points(update, context, shown, person)


async def _set_active(update, context, shown: AdminActivate | AdminDeactivate) -> None:
    active = isinstance(shown, AdminActivate)
    person = await call(
        context, people.set_active, actor_id=context.person.id, person_id=shown.person_id, active=active,
        now=now(context),
    )
    await set_person_commands(context.bot, person)
    done = texts.ACTIVATED if active else texts.DEACTIVATED
    await update.effective_chat.send_message(done.format(name=esc(person.name)))
    await _person_card(update, context, shown, person)


async def _set_case_desk(update, context, shown: AdminCaseDesk) -> None:
    person = await call(
        context, people.set_case_desk, actor_id=context.person.id, person_id=shown.person_id,
        on=shown.on == 1, now=now(context),
    )
    await _person_card(update, context, shown, person)


async def _villages(update, context, shown) -> None:
    villages = await call(context, places.list_villages)
    rows = [*grid([button(v.name, AdminVillage(v.id).pack()) for v in villages], 3),
            [button(texts.VILLAGE_ADD, AdminNewVillage().pack())], [BACK_TO_MENU]]
    await reply(update, texts.VILLAGES_LIST.format(total=len(villages)), reply_markup=inline(rows), edit=True)


async def _village_card(update, context, shown: AdminVillage) -> None:
    village_id = shown.village_id
    village = await call(context, places.get_village, village_id=village_id)
    grids = await call(context, places.list_grids, village_id=village_id)
    leaders = await call(context, places.contact_leaders, village_id=village_id)
    focus = await call(context, focus_areas.open_in_village, village_id=village_id)
    text = texts.VILLAGE_CARD.format(
        name=esc(village.name), kind=village.kind,
        grids=esc("、".join(g.name for g in grids) or "无"),
        leaders=esc("、".join(p.name for p in leaders) or "未设置（在人员卡片上设置联系点）"),
        focus=texts.VILLAGE_FOCUS.format(problem=esc(focus.problem)) if focus else "",
    )
    rows = [[button(texts.GRID_ADD, AdminNewGrid(village.id).pack()), button(texts.VILLAGE_RENAME, AdminRenameVillage(village.id).pack())],
            [button(texts.ADMIN_BACK, AdminVillages().pack())]]
    if focus and focus_areas.may_view(context.person):  # an administrator outside the center only reads the line
        rows.insert(1, [button(texts.VILLAGE_FOCUS_BUTTON, FocusOpen(focus.area_id).pack())])
    await reply(update, text, reply_markup=inline(rows), edit=True)


async def _units(update, context, shown) -> None:
    units = await call(context, places.list_units)
    rows = [*grid([button(u.name, AdminUnit(u.id).pack()) for u in units], 2),
            [button(texts.UNIT_ADD, AdminNewUnit().pack())], [BACK_TO_MENU]]
    await reply(update, texts.UNITS_LIST.format(total=len(units)), reply_markup=inline(rows), edit=True)


async def _unit_card(update, context, shown: AdminUnit) -> None:
    unit_id = shown.unit_id
    unit = await call(context, places.get_unit, unit_id=unit_id)
    contacts = await call(context, places.unit_contacts, unit_id=unit_id)
    text = texts.UNIT_CARD.format(name=esc(unit.name), kind=esc(unit.kind),
                                  contacts=esc("、".join(p.name for p in contacts) or "无"))
    rows = [[button(texts.VILLAGE_RENAME, AdminRenameUnit(unit.id).pack())], [button(texts.ADMIN_BACK, AdminUnits().pack())]]
    await reply(update, text, reply_markup=inline(rows), edit=True)


async def _upper(update, context, shown, notice: str = "", edit: bool = True) -> None:
    found = await call(context, upward_reports.departments, defaults=context.deps.settings.upper_department_list,
                       now=now(context))
    text = upward_texts.ADMIN_LIST.format(count=len(found), limit=upward_reports.MAX_DEPARTMENTS,
                                          names="\n".join(f"{n}. {esc(d.name)}" for n, d in enumerate(found, start=1)))
    rows = [*grid([button(upward_texts.ADMIN_REMOVE.format(name=d.name), AdminUpperRemove(d.id).pack())
                   for d in found], 2),
            [button(upward_texts.ADMIN_ADD, AdminNewUpper().pack())], [BACK_TO_MENU]]
    await reply(update, f"{esc(notice)}\n{text}" if notice else text, reply_markup=inline(rows), edit=edit)


async def _upper_remove(update, context, shown: AdminUpperRemove) -> None:
    name = await call(context, upward_reports.remove_department, actor_id=context.person.id,
                      department_id=shown.department_id, now=now(context))
    await _upper(update, context, shown, notice=upward_texts.ADMIN_REMOVED.format(name=name))


async def _import_help(update, context, shown) -> None:
    from handlers.importing import send_template

    await reply(update, texts.IMPORT_HOW, reply_markup=inline([[BACK_TO_MENU]]), edit=True)
    await send_template(update, context)


async def _status(update, context, shown) -> None:
    """The outbox, the sweeps and the retention as /healthz and /metrics see them (bot/ops/status.py)."""
    live = context.deps
    at = now(context)
    lag, ok = metrics.sweeps_behind(active=live.role.active, interval=live.settings.sweep_interval_seconds,
                                    since=live.role.changed_at)
    status = Status(at=fmt(at, live.settings.tz), database=live.db.engine.dialect.name,
                    stored=await read(context, metrics.stored_state, now=at),
                    sweep_interval=live.settings.sweep_interval_seconds, sweep_lag=lag, sweeps_ok=ok,
                    text_days=live.settings.outbox_text_days)
    rows = [[button(texts.CARD_BUTTON_REFRESH, AdminStatus().pack()), BACK_TO_MENU]]
    await reply(update, status.text(), reply_markup=inline(rows), edit=True)


VIEWS = {
    AdminMenu: _menu,
    AdminStatus: _status,
    AdminPeople: _people_filters,
    AdminPeopleByVillage: _people_by_village,
    AdminPeopleAll: _people_list,
    AdminPeopleWithRole: _people_list,
    AdminPeopleOfVillage: _people_list,
    AdminPerson: _person_card,
    AdminRoles: _role_editor,
    AdminSaveRoles: _save_roles,
    AdminContactPoints: _contact_points,
    AdminToggleContactPoint: _toggle_contact_point,
    AdminDeactivate: _set_active,
    AdminActivate: _set_active,
    AdminCaseDesk: _set_case_desk,
    AdminVillages: _villages,
    AdminVillage: _village_card,
    AdminUnits: _units,
    AdminUnit: _unit_card,
    AdminImport: _import_help,
    AdminUpper: _upper,
    AdminUpperRemove: _upper_remove,
}


# --- typing a name: the only step that needs conversation state --------------------------------

# The op stored while the name is typed (user_data keeps these strings across a restart).
OPS = {AdminNewVillage: "vn", AdminRenameVillage: "vr", AdminNewGrid: "gn", AdminNewUnit: "un", AdminRenameUnit: "ur",
       AdminNewUpper: "dn"}
PROMPTS = {"vn": texts.ASK_VILLAGE_NAME, "vr": texts.ASK_VILLAGE_RENAME, "gn": texts.ASK_GRID_NAME,
           "un": texts.ASK_UNIT_NAME, "ur": texts.ASK_UNIT_RENAME, "dn": upward_texts.ASK_DEPARTMENT}


@requires(*MANAGE_PEOPLE)
async def ask_name(update: Update, context: BotContext) -> int:
    shown = pressed_one_of(update, OPS)
    op = OPS[type(shown)]
    target = next(iter(vars(shown).values()), None)  # the village or unit, if the op has one
    if target is not None and target < 0:  # never sent (ids are positive): stale, as it always was
        raise StaleButton()
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
        elif op == "dn":
            added = await call(context, upward_reports.add_department, name=text,
                               defaults=context.deps.settings.upper_department_list, **actor)
            context.user_data.pop(EDIT_KEY, None)
            await _upper(update, context, None, notice=upward_texts.ADMIN_ADDED.format(name=added.name), edit=False)
            return ConversationHandler.END
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
        await _village_card(update, context, AdminVillage(target_id))
    else:
        await _unit_card(update, context, AdminUnit(target_id))
    return ConversationHandler.END


async def name_wrong_type(update: Update, context: BotContext) -> int:
    await update.effective_chat.send_message(texts.ASK_TEXT_WRONG_TYPE)
    return TYPING


def build_admin_edit_conversation() -> ConversationHandler:
    return Flow(
        entry_points=[CallbackQueryHandler(ask_name, pattern=any_of(*OPS))],
        states={
            TYPING: [
                MessageHandler(filters.TEXT & ~filters.COMMAND, save_name),
                MessageHandler(~filters.COMMAND, name_wrong_type),
            ],
        },
        draft=EDIT_KEY, cancelled=texts.EDIT_CANCELLED,
        name="admin_edit",
        timeout=900,
    )


def handlers() -> list[BaseHandler]:
    """New objects per call: the name-editing conversation keeps per-application state. It comes
    before the `adm:` buttons, which would otherwise take its entry presses."""
    return [
        build_admin_edit_conversation(),
        CommandHandler("admin", admin_command),
        CallbackQueryHandler(admin_button, pattern=ADMIN_FAMILY),
    ]
