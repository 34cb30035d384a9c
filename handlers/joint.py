"""联合办理 from the case card (分派 → 🤝 联合办理): pick the lead unit (主办) and co-units (协办),
and record a 会商 (participants as buttons, the time, the conclusion typed).

The unit menu is stateless buttons (every press checked again by bot/services/joint.py). The 会商 is
a persistent conversation "consultation"; its draft lives in user_data as plain JSON:
    {"case": 12, "persons": [3, 5], "units": [1], "held_at": "2026-12-04T07:00:00+00:00"}
"""

from datetime import UTC, date, datetime, time
from enum import IntEnum

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.callbacks import (
    ConsultCancel,
    ConsultNext,
    ConsultNow,
    ConsultPerson,
    ConsultStart,
    ConsultUnit,
    JointCo,
    JointLead,
    JointMenu,
    MeetingMediation,
    any_of,
)
from bot.context import BotContext
from bot.keyboards import button, grid, inline
from bot.services import deadlines, joint
from bot.services.errors import InvalidInput
from bot.texts import joint as words
from handlers.cases.card import back_button, show_card
from handlers.common import Flow, StaleButton, call, esc, now, pressed, pressed_one_of, reply, requires
from handlers.forms import DATE_RE

DRAFT = "consult_draft"
TIMEOUT = 1800


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    PICK = 0
    TIME = 1
    CONCLUSION = 2


# --- the unit menu -----------------------------------------------------------------------------


async def _menu(update: Update, context: BotContext, case_id: int, notice: str = "") -> None:
    menu = await call(context, joint.unit_menu, actor_id=context.person.id, case_id=case_id)
    rows = []
    for u in menu.units:
        mark = "" if u.contacts else words.NO_CONTACT_MARK
        if u.lead:
            rows.append([button(words.LEAD_MARK.format(name=u.name), JointMenu(case_id).pack())])
            continue
        rows.append([button(words.SET_LEAD.format(name=u.name) + mark, JointLead(case_id, u.id).pack()),
                     button((words.CO_ON if u.co else words.CO_OFF).format(name=u.name), JointCo(case_id, u.id).pack())])
    rows.append([button(words.BUTTON_CONSULT, ConsultStart(case_id).pack()),
                 button(words.BUTTON_MEDIATION, MeetingMediation(case_id).pack())])
    rows.append([back_button(case_id)])
    text = words.MENU.format(number=esc(menu.number))
    await reply(update, f"{esc(notice)}\n{text}" if notice else text, reply_markup=inline(rows), edit=True)


@requires()
async def menu_button(update: Update, context: BotContext) -> None:
    code = pressed_one_of(update, (JointMenu, JointLead, JointCo))
    notice = ""
    if isinstance(code, JointLead):
        await call(context, joint.set_lead, actor_id=context.person.id, case_id=code.case_id, unit_id=code.unit_id,
                   now=now(context), policy=context.deps.policy.deadlines)
        notice = words.LEAD_SET
    elif isinstance(code, JointCo):
        added = await call(context, joint.toggle_co_unit, actor_id=context.person.id, case_id=code.case_id,
                           unit_id=code.unit_id, now=now(context), policy=context.deps.policy.deadlines)
        notice = words.CO_ADDED if added else words.CO_REMOVED
    await _menu(update, context, code.case_id, notice)


# --- 会商 ---------------------------------------------------------------------------------------


def _draft(update: Update, context: BotContext, case_id: int | None = None) -> dict:
    draft = context.user_data.get(DRAFT)
    if not draft or (case_id is not None and draft.get("case") != case_id):
        raise StaleButton()
    return draft


async def _pick_screen(update: Update, context: BotContext, draft: dict) -> None:
    choices = await call(context, joint.participant_choices, actor_id=context.person.id, case_id=draft["case"])
    persons, units = set(draft["persons"]), set(draft["units"])
    picked = [n for i, n in choices.persons if i in persons] + [n for i, n in choices.units if i in units]
    people_buttons = [button(("✅ " if i in persons else "") + name, ConsultPerson(choices.case_id, i).pack())
                      for i, name in choices.persons]
    unit_buttons = [button(("✅ " if i in units else "") + name, ConsultUnit(choices.case_id, i).pack())
                    for i, name in choices.units]
    rows = [*grid(people_buttons, 3), *grid(unit_buttons, 2),
            [button(words.CONSULT_NEXT, ConsultNext(choices.case_id).pack()),
             button(words.CONSULT_CANCEL, ConsultCancel(choices.case_id).pack())]]
    text = words.CONSULT_PICK.format(number=choices.number, picked="、".join(picked) or words.CONSULT_NONE)
    await reply(update, esc(text), reply_markup=inline(rows), edit=True)


@requires()
async def start_consult(update: Update, context: BotContext) -> int:
    case_id = pressed(update, ConsultStart).case_id
    draft = {"case": case_id, "persons": [], "units": []}
    await _pick_screen(update, context, draft)  # checks the presser may record it
    context.user_data[DRAFT] = draft
    return Step.PICK


@requires()
async def pick(update: Update, context: BotContext) -> int:
    code = pressed_one_of(update, (ConsultPerson, ConsultUnit))
    draft = _draft(update, context, code.case_id)
    key, value = ("persons", code.person_id) if isinstance(code, ConsultPerson) else ("units", code.unit_id)
    chosen = draft[key]
    if value in chosen:
        chosen.remove(value)
    else:
        chosen.append(value)
    await _pick_screen(update, context, draft)
    return Step.PICK


@requires()
async def pick_next(update: Update, context: BotContext) -> int:
    draft = _draft(update, context, pressed(update, ConsultNext).case_id)
    if len(draft["persons"]) + len(draft["units"]) < 2:
        await update.callback_query.answer(words.FEW_PARTICIPANTS, show_alert=True)
        return Step.PICK
    rows = [[button(words.CONSULT_NOW, ConsultNow(draft["case"]).pack()),
             button(words.CONSULT_CANCEL, ConsultCancel(draft["case"]).pack())]]
    await reply(update, words.CONSULT_ASK_TIME, reply_markup=inline(rows), edit=True)
    return Step.TIME


def _parse_time(text: str, today: date, tz) -> datetime | None:
    """「15:00」 (today), 「12月3日 15:00」, 「2026-12-03 15:00」 → an aware datetime."""
    parts = " ".join(text.replace("：", ":").split()).rsplit(" ", 1)
    day_text, clock = (parts if len(parts) == 2 else ("", parts[0]))
    try:
        hh, mm = (int(x) for x in clock.split(":"))
        at = time(hh, mm)
    except ValueError:
        return None
    day = today
    if day_text:
        match = DATE_RE.match(day_text)
        if match is None:
            return None
        year, month, dd = match.groups()
        try:
            day = date(int(year) if year else today.year, int(month), int(dd))
        except ValueError:
            return None
        if not year and (day - today).days > 180:
            day = date(today.year - 1, day.month, day.day)  # 「12月28日」 typed in January: last December
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


async def _ask_conclusion(update: Update, context: BotContext, draft: dict, held_at: datetime, *, edit: bool) -> int:
    if held_at > now(context):
        raise InvalidInput(words.FUTURE)
    draft["held_at"] = held_at.isoformat()
    at = deadlines.fmt(held_at, context.deps.settings.tz)
    await reply(update, esc(words.CONSULT_ASK_CONCLUSION.format(at=at)), edit=edit)
    return Step.CONCLUSION


@requires()
async def time_now(update: Update, context: BotContext) -> int:
    draft = _draft(update, context, pressed(update, ConsultNow).case_id)
    return await _ask_conclusion(update, context, draft, now(context), edit=True)


@requires()
async def time_typed(update: Update, context: BotContext) -> int:
    draft = context.user_data.get(DRAFT)
    if not draft:
        return await _lost(update, context)
    tz = context.deps.settings.tz
    held_at = _parse_time(update.message.text or "", now(context).astimezone(tz).date(), tz)
    if held_at is None:
        await update.effective_chat.send_message(words.CONSULT_TIME_BAD)
        return Step.TIME
    return await _ask_conclusion(update, context, draft, held_at, edit=False)


@requires()
async def conclusion(update: Update, context: BotContext) -> int:
    draft = context.user_data.get(DRAFT)
    if not draft or "held_at" not in draft:
        return await _lost(update, context)
    await call(context, joint.record_consultation, actor_id=context.person.id, case_id=draft["case"],
               held_at=datetime.fromisoformat(draft["held_at"]), person_ids=draft["persons"], unit_ids=draft["units"],
               conclusion=update.message.text or "", now=now(context),
               tz=context.deps.settings.tz)
    context.user_data.pop(DRAFT, None)
    await show_card(update, context, draft["case"], edit=False, notice=words.CONSULT_DONE)
    return ConversationHandler.END


async def _lost(update: Update, context: BotContext) -> int:
    context.user_data.pop(DRAFT, None)
    await update.effective_chat.send_message(words.CONSULT_TIMEOUT)
    return ConversationHandler.END


@requires()
async def wrong_type(update: Update, context: BotContext) -> None:
    await update.effective_chat.send_message(words.CONSULT_WRONG_TYPE)


def build_conversation() -> ConversationHandler:
    return Flow(
        entry_points=[CallbackQueryHandler(start_consult, pattern=any_of(ConsultStart))],
        states={
            Step.PICK: [CallbackQueryHandler(pick, pattern=any_of(ConsultPerson, ConsultUnit)),
                        CallbackQueryHandler(pick_next, pattern=any_of(ConsultNext))],
            Step.TIME: [CallbackQueryHandler(time_now, pattern=any_of(ConsultNow)),
                        MessageHandler(filters.TEXT & ~filters.COMMAND, time_typed),
                        MessageHandler(~filters.COMMAND, wrong_type)],
            Step.CONCLUSION: [MessageHandler(filters.TEXT & ~filters.COMMAND, conclusion),
                              MessageHandler(~filters.COMMAND, wrong_type)],
        },
        name="consultation",
        timeout=TIMEOUT,
        draft=DRAFT, cancelled=words.CONSULT_CANCELLED, cancel_button=ConsultCancel,
    )


def handlers() -> list[BaseHandler]:
    """New objects per call: a ConversationHandler keeps per-application state. A 会商 button outside
    the conversation (after a cancel, a timeout, or an old message) is answered by handlers/fallback.py."""
    return [
        build_conversation(),
        CallbackQueryHandler(menu_button, pattern=any_of(JointMenu, JointLead, JointCo)),
    ]

