"""上报上级 from the case card, the 信息报告 view or the chase: pick the departments (buttons, several),
the way (电话/传真/内网系统/书面), optionally type who received it or their answer, and it is recorded
(bot/services/upward_reports.py). One persistent conversation "report_up"; its draft in user_data is
plain JSON: {"case": 12, "number": "2026-0042", "picked": ["县委政法委"], "way": "phone"}.
"""

from enum import IntEnum

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot.callbacks import (
    UpwardCancel,
    UpwardDepartment,
    UpwardNext,
    UpwardSkip,
    UpwardStart,
    UpwardWayPick,
    any_of,
)
from bot.context import BotContext
from bot.keyboards import button, grid, inline
from bot.services import upward_reports
from bot.services.errors import InvalidInput
from bot.texts import TOO_LONG
from bot.texts import upward as words
from handlers.cases.card import show_card
from handlers.common import Flow, StaleButton, call, esc, now, pressed, reply, requires
from models import UpwardWay

DRAFT = "upward_draft"
TIMEOUT = 1800


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    PICK = 0
    WAY = 1
    NOTE = 2


async def _departments(context: BotContext) -> list[upward_reports.Department]:
    return await call(context, upward_reports.departments, defaults=context.deps.settings.upper_department_list,
                      now=now(context))


def _draft(context: BotContext, case_id: int) -> dict:
    draft = context.user_data.get(DRAFT)
    if not draft or draft.get("case") != case_id:
        raise StaleButton()
    return draft


def _picked(draft: dict) -> str:
    return "、".join(draft["picked"]) or words.PICK_NONE


def _cancel(case_id: int):
    return button(words.CANCEL, UpwardCancel(case_id).pack())


async def _pick_screen(update: Update, context: BotContext, draft: dict, departments, *, edit: bool = True) -> None:
    picked = set(draft["picked"])
    toggles = [button(("✅ " if d.name in picked else "") + d.name, UpwardDepartment(draft["case"], d.id).pack())
               for d in departments]
    rows = [*grid(toggles, 2), [button(words.NEXT, UpwardNext(draft["case"]).pack()), _cancel(draft["case"])]]
    text = words.PICK.format(number=draft["number"], picked=_picked(draft))
    await reply(update, esc(text), reply_markup=inline(rows), edit=edit)


@requires()
async def start(update: Update, context: BotContext) -> int:
    case_id = pressed(update, UpwardStart).case_id
    found = await call(context, upward_reports.choices, actor_id=context.person.id, case_id=case_id,
                       defaults=context.deps.settings.upper_department_list,
                       now=now(context))  # refuses a stale or forged press here
    draft = {"case": found.case_id, "number": found.number, "picked": []}
    await _pick_screen(update, context, draft, found.departments, edit=False)  # the card (or the chase) stays
    context.user_data[DRAFT] = draft
    return Step.PICK


@requires()
async def toggle(update: Update, context: BotContext) -> int:
    code = pressed(update, UpwardDepartment)
    draft = _draft(context, code.case_id)
    departments = await _departments(context)
    names = [d.name for d in departments]
    draft["picked"] = [n for n in names if n in draft["picked"]]  # one removed from the list meanwhile goes
    pressed_one = next((d for d in departments if d.id == code.department_id), None)
    if pressed_one is not None:
        name = pressed_one.name
        draft["picked"] = ([n for n in draft["picked"] if n != name] if name in draft["picked"]
                           else [n for n in names if n in {*draft["picked"], name}])
    await _pick_screen(update, context, draft, departments)
    if pressed_one is None:  # the screen now shows the list as it is; say why the press did nothing
        raise InvalidInput(words.DEPARTMENT_GONE)
    return Step.PICK


@requires()
async def pick_next(update: Update, context: BotContext) -> int:
    draft = _draft(context, pressed(update, UpwardNext).case_id)
    if not draft["picked"]:  # answered by the error handler, as an alert; the step stays
        raise InvalidInput(words.NO_DEPARTMENT)
    ways = [button(w.value, UpwardWayPick(draft["case"], w).pack()) for w in UpwardWay]
    await reply(update, esc(words.ASK_WAY.format(picked=_picked(draft))),
                reply_markup=inline([*grid(ways, 4), [_cancel(draft["case"])]]), edit=True)
    return Step.WAY


@requires()
async def pick_way(update: Update, context: BotContext) -> int:
    code = pressed(update, UpwardWayPick)
    draft = _draft(context, code.case_id)
    draft["way"] = code.way.name
    text = words.ASK_NOTE.format(picked=_picked(draft), way=code.way.value, limit=upward_reports.NOTE_MAX)
    rows = [[button(words.SKIP, UpwardSkip(draft["case"]).pack()), _cancel(draft["case"])]]
    await reply(update, esc(text), reply_markup=inline(rows), edit=True)
    return Step.NOTE


async def _record(update: Update, context: BotContext, draft: dict, note: str | None, *, edit: bool) -> int:
    found = await call(context, upward_reports.record, actor_id=context.person.id, case_id=draft["case"],
                       departments=draft["picked"], way=UpwardWay[draft["way"]], reply=note, now=now(context))
    context.user_data.pop(DRAFT, None)
    await show_card(update, context, draft["case"], edit=edit,
                    notice=words.DONE.format(departments=found.department_text, way=found.way))
    return ConversationHandler.END


@requires()
async def skip(update: Update, context: BotContext) -> int:
    draft = _draft(context, pressed(update, UpwardSkip).case_id)
    if "way" not in draft:
        raise StaleButton()
    return await _record(update, context, draft, None, edit=True)


@requires()
async def note(update: Update, context: BotContext) -> int:
    draft = context.user_data.get(DRAFT)
    if not draft or "way" not in draft:
        context.user_data.pop(DRAFT, None)
        await update.effective_chat.send_message(words.TIMEOUT)
        return ConversationHandler.END
    text = " ".join((update.message.text or "").split())
    if len(text) > upward_reports.NOTE_MAX:  # asked again; the choices made so far stay
        await update.effective_chat.send_message(TOO_LONG.format(limit=upward_reports.NOTE_MAX))
        return Step.NOTE
    try:
        return await _record(update, context, draft, text, edit=False)
    except InvalidInput as exc:  # e.g. the department list changed meanwhile: start again from the card
        context.user_data.pop(DRAFT, None)
        await update.effective_chat.send_message(esc(str(exc)))
        return ConversationHandler.END


@requires()
async def wrong_type(update: Update, context: BotContext) -> None:
    await update.effective_chat.send_message(words.WRONG_TYPE)


def build_conversation() -> ConversationHandler:
    return Flow(
        entry_points=[CallbackQueryHandler(start, pattern=any_of(UpwardStart))],
        states={
            Step.PICK: [CallbackQueryHandler(toggle, pattern=any_of(UpwardDepartment)),
                        CallbackQueryHandler(pick_next, pattern=any_of(UpwardNext))],
            Step.WAY: [CallbackQueryHandler(pick_way, pattern=any_of(UpwardWayPick))],
            Step.NOTE: [CallbackQueryHandler(skip, pattern=any_of(UpwardSkip)),
                        MessageHandler(filters.TEXT & ~filters.COMMAND, note),
                        MessageHandler(~filters.COMMAND, wrong_type)],
        },
        name="report_up",
        timeout=TIMEOUT,
        draft=DRAFT, cancelled=words.CANCELLED, cancel_button=UpwardCancel, timeout_text=words.TIMEOUT,
    )


def handlers() -> list[BaseHandler]:
    """New objects per call: a ConversationHandler keeps per-application state. A step's button outside
    the conversation (after a cancel, a timeout, or an old message) is answered by handlers/fallback.py."""
    return [build_conversation()]
