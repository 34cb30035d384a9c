"""/admin → 事项类型: the case catalogue edited by buttons (bot/services/case_catalogue.py).

Browsing and switching are stateless buttons carrying a row id, re-checked on each press; typing a
name or a number of working days is a short persistent conversation, like /admin's names.
"""

from enum import IntEnum

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import texts
from bot.callbacks import (
    CATALOGUE_FAMILY,
    AdminMenu,
    CatActive,
    CatAskDays,
    CatDaysDefault,
    CatFlag,
    CatList,
    CatNewSubtype,
    CatNewType,
    CatRenameSubtype,
    CatRenameType,
    CatScope,
    CatSection,
    CatSectionOfType,
    CatSections,
    CatSubtype,
    CatSubtypes,
    CatSwitch,
    CatType,
    any_of,
)
from bot.context import BotContext
from bot.keyboards import button, code_pager, grid, inline
from bot.services import case_catalogue as catalogue
from bot.services.access import MANAGE_PEOPLE
from bot.services.errors import InvalidInput
from bot.texts import case_types as t
from handlers.common import Flow, call, esc, now, pressed_one_of, reply, requires
from models.cases import TypeFlag, TypeSection

PAGE_SIZE = 8
EDIT_KEY = "case_type_edit"


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    TYPING = 0


TYPING = Step.TYPING


def menu_button():
    """The /admin menu's entry."""
    return button(t.MENU_BUTTON, CatList(0).pack())


def _switch(value) -> str:
    return t.MIXED if value == catalogue.MIXED else t.ON if value else t.OFF


def _days(value) -> str:
    if value == catalogue.MIXED:
        return t.DAYS_MIXED
    return t.DAYS.format(days=value) if value else t.DAYS_BY_SEVERITY


def _me(context: BotContext) -> dict:
    return {"actor_id": context.person.id}


# --- screens ---------------------------------------------------------------------------------------


async def _list(update: Update, context: BotContext, shown: CatList) -> None:
    types = await call(context, catalogue.list_types, **_me(context))
    pages = max(1, (len(types) + PAGE_SIZE - 1) // PAGE_SIZE)
    page = min(max(shown.page, 0), pages - 1)
    here = types[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    rows = grid([button(x.name + ("" if x.active else t.DISABLED_MARK), CatType(x.id).pack()) for x in here], 2)
    rows += [code_pager(CatList(page), pages), [button(t.NEW_TYPE, CatNewType().pack())],
             [button(t.BACK, AdminMenu().pack())]]
    await reply(update, t.LIST.format(total=len(types), page=page + 1, pages=pages), reply_markup=inline(rows),
                edit=True)


def _flag_buttons(scope: CatScope, target: int, flags: dict) -> list:
    # A mixed type offers 开: one press makes every subtype agree.
    return [button(t.FLAG_OFF[f] if flags[f] is True else t.FLAG_ON[f],
                   CatFlag(scope, target, f, CatSwitch.off if flags[f] is True else CatSwitch.on).pack()) for f in TypeFlag]


async def _type_card(update: Update, context: BotContext, type_id: int, *, edit: bool = True) -> None:
    view = await call(context, catalogue.type_view, type_id=type_id, **_me(context))
    listed = [x.id for x in await call(context, catalogue.list_types, **_me(context))]
    page = listed.index(view.id) // PAGE_SIZE if view.id in listed else 0  # back to the page it is on
    own = [s for s in view.subtypes if s.name != view.name or len(view.subtypes) > 1]
    off = sum(not s.active for s in own)
    subtypes = (t.SUBTYPES_LINE.format(total=len(own), disabled=t.SUBTYPES_DISABLED.format(n=off) if off else "")
                if own else t.SUBTYPES_NONE)
    text = t.TYPE_CARD.format(
        name=esc(view.name), state="" if view.active else t.STATE_DISABLED, subtypes=subtypes,
        **{f.value: _switch(v) for f, v in view.flags.items()}, days=_days(view.deadline_days),
        section=view.section or t.SECTION_NONE, cases=view.cases)
    scope = CatScope.type
    rows = [[button(t.RENAME, CatRenameType(view.id).pack()),
             button(t.DISABLE, CatActive(scope, view.id, CatSwitch.off).pack()) if view.active
             else button(t.ENABLE, CatActive(scope, view.id, CatSwitch.on).pack())],
            *grid(_flag_buttons(scope, view.id, view.flags), 2),
            [button(t.DAYS_BUTTON, CatAskDays(scope, view.id).pack())]
            + ([button(t.DAYS_DEFAULT, CatDaysDefault(scope, view.id).pack())] if view.deadline_days else []),
            [button(t.SECTION_BUTTON, CatSections(scope, view.id).pack()),
             button(t.SUBTYPES_BUTTON.format(n=len(own)), CatSubtypes(view.id).pack())],
            [button(t.BACK_TO_LIST, CatList(page).pack())]]
    await reply(update, text, reply_markup=inline(rows), edit=edit)


async def _subtypes(update: Update, context: BotContext, type_id: int, *, edit: bool = True) -> None:
    view = await call(context, catalogue.type_view, type_id=type_id, **_me(context))
    rows = grid([button(s.name + ("" if s.active else t.DISABLED_MARK), CatSubtype(s.id).pack())
                 for s in view.subtypes], 2)
    rows += [[button(t.NEW_SUBTYPE, CatNewSubtype(view.id).pack())], [button(t.BACK_TO_TYPE, CatType(view.id).pack())]]
    text = t.SUBTYPES.format(name=esc(view.name), total=len(view.subtypes))
    await reply(update, text, reply_markup=inline(rows), edit=edit)


async def _subtype_card(update: Update, context: BotContext, subtype_id: int, *, edit: bool = True) -> None:
    view = await call(context, catalogue.subtype_view, subtype_id=subtype_id, **_me(context))
    state = t.STATE_DISABLED if not view.active else "" if view.type_active else t.STATE_TYPE_DISABLED
    section = (t.SECTION_OWN.format(section=view.section) if view.section
               else t.SECTION_OF_TYPE.format(section=view.type_section or t.SECTION_NONE))
    text = t.SUBTYPE_CARD.format(
        category=esc(view.category), name=esc(view.name), state=state,
        **{f.value: _switch(v) for f, v in view.flags.items()}, days=_days(view.deadline_days), section=section)
    scope = CatScope.sub
    rows = [[button(t.RENAME, CatRenameSubtype(view.id).pack()),
             button(t.DISABLE, CatActive(scope, view.id, CatSwitch.off).pack()) if view.active
             else button(t.ENABLE, CatActive(scope, view.id, CatSwitch.on).pack())],
            *grid(_flag_buttons(scope, view.id, view.flags), 2),
            [button(t.DAYS_BUTTON, CatAskDays(scope, view.id).pack())]
            + ([button(t.DAYS_DEFAULT, CatDaysDefault(scope, view.id).pack())] if view.deadline_days else []),
            [button(t.SECTION_BUTTON, CatSections(scope, view.id).pack())],
            [button(t.BACK_TO_SUBTYPES, CatSubtypes(view.type_id).pack())]]
    await reply(update, text, reply_markup=inline(rows), edit=edit)


async def _card(update: Update, context: BotContext, scope: CatScope, target: int, *, edit: bool = True) -> None:
    if scope is CatScope.type:
        await _type_card(update, context, target, edit=edit)
    else:
        await _subtype_card(update, context, target, edit=edit)


async def _section_menu(update: Update, context: BotContext, shown: CatSections) -> None:
    if shown.scope is CatScope.type:
        view = await call(context, catalogue.type_view, type_id=shown.type_id, **_me(context))
        name, current, back = view.name, view.section, CatType(view.id)
    else:
        view = await call(context, catalogue.subtype_view, subtype_id=shown.type_id, **_me(context))
        name, current, back = f"{view.category}·{view.name}", view.section, CatSubtype(view.id)
    rows = grid([button(("✅ " if s.value == current else "") + s.value, CatSection(shown.scope, shown.type_id, s).pack())
                 for s in TypeSection], 2)
    if shown.scope is CatScope.sub:
        rows.append([button(("✅ " if current is None else "") + t.SECTION_FOLLOW_TYPE,
                            CatSectionOfType(shown.type_id).pack())])
    rows.append([button(t.BACK, back.pack())])
    await reply(update, t.ASK_SECTION.format(name=esc(name)), reply_markup=inline(rows), edit=True)


# --- changes ---------------------------------------------------------------------------------------


async def _set_active(update: Update, context: BotContext, shown: CatActive) -> None:
    if shown.scope is CatScope.type:
        await call(context, catalogue.set_type_active, type_id=shown.type_id, active=shown.on.value,
                   now=now(context), **_me(context))
    else:
        await call(context, catalogue.set_subtype_active, subtype_id=shown.type_id, active=shown.on.value,
                   now=now(context), **_me(context))
    await _card(update, context, shown.scope, shown.type_id)


async def _set_flag(update: Update, context: BotContext, shown: CatFlag) -> None:
    await call(context, catalogue.set_flag, type_id=shown.type_id, flag=shown.flag, on=shown.on.value,
               whole_type=shown.scope is CatScope.type, now=now(context), **_me(context))
    await _card(update, context, shown.scope, shown.type_id)


async def _days_default(update: Update, context: BotContext, shown: CatDaysDefault) -> None:
    await call(context, catalogue.set_deadline, type_id=shown.type_id, days=None,
               whole_type=shown.scope is CatScope.type, now=now(context), **_me(context))
    await _card(update, context, shown.scope, shown.type_id)


async def _set_section(update: Update, context: BotContext, shown: CatSection | CatSectionOfType) -> None:
    if isinstance(shown, CatSectionOfType):
        scope, target, section = CatScope.sub, shown.subtype_id, None
    else:
        scope, target, section = shown.scope, shown.type_id, shown.section
    await call(context, catalogue.set_section, type_id=target, section=section, whole_type=scope is CatScope.type,
               now=now(context), **_me(context))
    await _card(update, context, scope, target)


async def _open_list(update, context, shown: CatList) -> None:
    await _list(update, context, shown)


async def _open_type(update, context, shown: CatType) -> None:
    await _type_card(update, context, shown.type_id)


async def _open_subtypes(update, context, shown: CatSubtypes) -> None:
    await _subtypes(update, context, shown.type_id)


async def _open_subtype(update, context, shown: CatSubtype) -> None:
    await _subtype_card(update, context, shown.subtype_id)


VIEWS = {
    CatList: _open_list,
    CatType: _open_type,
    CatSubtypes: _open_subtypes,
    CatSubtype: _open_subtype,
    CatActive: _set_active,
    CatFlag: _set_flag,
    CatSections: _section_menu,
    CatSection: _set_section,
    CatSectionOfType: _set_section,
    CatDaysDefault: _days_default,
}


@requires(*MANAGE_PEOPLE)
async def catalogue_button(update: Update, context: BotContext) -> None:
    shown = pressed_one_of(update, VIEWS)
    await VIEWS[type(shown)](update, context, shown)


# --- typing a name or a number of days ----------------------------------------------------------------

OPS = {CatNewType: "nt", CatRenameType: "rt", CatNewSubtype: "ns", CatRenameSubtype: "rs", CatAskDays: "d"}


@requires(*MANAGE_PEOPLE)
async def ask(update: Update, context: BotContext) -> int:
    shown = pressed_one_of(update, OPS)
    op = OPS[type(shown)]
    me = _me(context)
    scope, target = CatScope.type, None
    if isinstance(shown, CatNewType):
        prompt = t.ASK_TYPE_NAME.format(limit=catalogue.MAX_CATEGORY)
    elif isinstance(shown, (CatRenameType, CatNewSubtype)):
        target = shown.type_id
        view = await call(context, catalogue.type_view, type_id=target, **me)
        prompt = (t.ASK_TYPE_RENAME.format(name=esc(view.name), limit=catalogue.MAX_CATEGORY) if op == "rt"
                  else t.ASK_SUBTYPE_NAME.format(name=esc(view.name), limit=catalogue.MAX_SUBTYPE))
    elif isinstance(shown, CatRenameSubtype):
        target = shown.subtype_id
        view = await call(context, catalogue.subtype_view, subtype_id=target, **me)
        prompt = t.ASK_SUBTYPE_RENAME.format(name=esc(view.name), limit=catalogue.MAX_SUBTYPE)
    else:
        scope, target = shown.scope, shown.type_id
        if scope is CatScope.type:
            name = (await call(context, catalogue.type_view, type_id=target, **me)).name
        else:
            view = await call(context, catalogue.subtype_view, subtype_id=target, **me)
            name = f"{view.category}·{view.name}"
        prompt = t.ASK_DAYS.format(name=esc(name), low=catalogue.MIN_DAYS, high=catalogue.MAX_DAYS)
    context.user_data[EDIT_KEY] = {"op": op, "id": target, "scope": scope.value}
    await update.effective_chat.send_message(prompt)
    return TYPING


async def save(update: Update, context: BotContext) -> int:
    edit = context.user_data.get(EDIT_KEY) or {}
    # The role is checked again: it may have been taken away since the prompt was shown.
    if context.person is None or not context.person.has(*MANAGE_PEOPLE):
        context.user_data.pop(EDIT_KEY, None)
        await update.effective_chat.send_message(texts.NOT_ALLOWED)
        return ConversationHandler.END
    op, target, typed = edit.get("op"), edit.get("id"), update.message.text
    scope = CatScope.sub if edit.get("scope") == CatScope.sub.value else CatScope.type
    kw = {**_me(context), "now": now(context)}
    try:
        if op == "nt":
            shown, target = CatScope.type, await call(context, catalogue.create_type, name=typed, **kw)
        elif op == "rt":
            shown, target = CatScope.type, await call(context, catalogue.rename_type, type_id=target, name=typed, **kw)
        elif op == "ns":
            shown, target = CatScope.sub, await call(context, catalogue.add_subtype, type_id=target, name=typed, **kw)
        elif op == "rs":
            shown, target = CatScope.sub, await call(context, catalogue.rename_subtype, subtype_id=target,
                                                     name=typed, **kw)
        elif op == "d":
            days = catalogue.parse_days(typed)
            shown, target = scope, await call(context, catalogue.set_deadline, type_id=target, days=days,
                                              whole_type=scope is CatScope.type, **kw)
        else:
            context.user_data.pop(EDIT_KEY, None)
            await update.effective_chat.send_message(texts.STALE_BUTTON)
            return ConversationHandler.END
    except InvalidInput as exc:
        await update.effective_chat.send_message(t.TRY_AGAIN.format(error=esc(exc.message)))
        return TYPING
    context.user_data.pop(EDIT_KEY, None)
    await update.effective_chat.send_message(t.SAVED.format(what=esc(" ".join(typed.split()))))
    await _card(update, context, shown, target, edit=False)
    return ConversationHandler.END


async def wrong_kind(update: Update, context: BotContext) -> int:
    await update.effective_chat.send_message(t.WRONG_KIND)
    return TYPING


def handlers() -> list[BaseHandler]:
    """New objects per call (the conversation keeps per-application state); the conversation comes
    before the `ct:` buttons, which would otherwise take its entry presses."""
    return [
        Flow(
            entry_points=[CallbackQueryHandler(ask, pattern=any_of(*OPS))],
            states={TYPING: [MessageHandler(filters.TEXT & ~filters.COMMAND, save),
                             MessageHandler(~filters.COMMAND, wrong_kind)]},
            draft=EDIT_KEY, cancelled=t.CANCELLED,
            name="case_type_edit",
            timeout=900,
        ),
        CallbackQueryHandler(catalogue_button, pattern=CATALOGUE_FAMILY),
    ]

