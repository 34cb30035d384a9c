"""Deadlines in chat: 收到 on reminders and urgent alerts, and changing a case's deadline.

One-press actions are stateless buttons whose data carries ids (收到 ReminderAck, UrgentAck,
批准 DeadlineApprove in bot/callbacks.py); the services check every press again.
Steps where a person types — a reason for 申请延期 / 挂起 / 恢复计时, a date, a leader's
deadline (设定期限), the reason for 驳回 — are one persistent conversation, "deadline_request",
whose draft lives in user_data as plain JSON:
    {"action": "extension", "case": 12, "number": "2026-0012", "reason": "…", "date": "2026-12-10",
     "new_due": "12月10日 17:30"}    or    {"action": "refuse", "case": 12, "request": 7, …}
"""

import contextlib
import functools
import logging
from collections.abc import Iterable
from datetime import date
from enum import IntEnum
from typing import TypeVar

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
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
    DEADLINE_FAMILY,
    CaseView,
    Code,
    DeadlineApprove,
    DeadlineCancel,
    DeadlineConfirm,
    DeadlineDate,
    DeadlineExtend,
    DeadlinePause,
    DeadlineRefuse,
    DeadlineResume,
    DeadlineSet,
    ReminderAck,
    UrgentAck,
    any_of,
)
from bot.context import BotContext
from bot.keyboards import button, grid, inline
from bot.services import alerts, case_card, deadlines, reminders
from bot.services.deadlines import ChangeForm, DeadlinePolicy
from bot.services.errors import DomainError, InvalidInput
from handlers.common import DB_INT, Flow, StaleButton, call, esc, now, reply, requires
from handlers.forms import Drafts, date_label, mark_done, parse_date
from models import RequestKind, Role

log = logging.getLogger(__name__)


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    REASON = 0
    DATE = 1
    CONFIRM = 2
    REFUSE_NOTE = 3


# The short names the handlers use (a test checks each is the member of the same name).
REASON, DATE, CONFIRM, REFUSE_NOTE = Step
DRAFT_KEY = "deadline_draft"
DRAFTS = Drafts(DRAFT_KEY, subject="case", lost_text=texts.DL_LOST)
TIMEOUT_SECONDS = 1800
ACT_ON_CASES = (Role.director, Role.leader, Role.staff, Role.secretary)  # may take an urgent alert
DECIDERS = (Role.leader, Role.director)
ENTRY_ACTIONS: dict[type[Code], str] = {DeadlineExtend: "extension", DeadlinePause: "pause", DeadlineResume: "resume"}
DATED = ("extension", "set")  # actions that need a date
# --- the buttons a case card can show -----------------------------------------------------------


# Each deadline action a case card may offer, as (label, button code); the card model
# (bot/services/case_card.py) decides which ones this viewer gets.
ACTION_BUTTONS: dict[str, tuple[str, type[Code]]] = {
    "extension": (texts.DL_BUTTON_EXTEND, DeadlineExtend),
    "pause": (texts.DL_BUTTON_PAUSE, DeadlinePause),
    "resume": (texts.DL_BUTTON_RESUME, DeadlineResume),
    "set": (texts.DL_BUTTON_SET, DeadlineSet),
}


def action_buttons(case_id: int, actions: Iterable[str]) -> list[tuple[str, str]]:
    """(label, callback data) of the given deadline actions, in their order."""
    return [(ACTION_BUTTONS[a][0], ACTION_BUTTONS[a][1](case_id).pack()) for a in actions]


def deadline_buttons(*, case_id: int, running: bool, has_deadline: bool, paused: bool, may_request: bool,
                     may_decide: bool, pending: bool = False) -> list[tuple[str, str]]:
    """(label, callback data) of the deadline buttons a case card offers a viewer in this situation
    (case_card.deadline_actions decides; every press is checked again by the services)."""
    return action_buttons(case_id, case_card.deadline_actions(
        running=running, has_deadline=has_deadline, paused=paused, may_request=may_request, may_decide=may_decide,
        pending=pending))


# --- helpers ------------------------------------------------------------------------------------

C = TypeVar("C", bound=Code)


def _pressed(update: Update, *codes: type[C], signed: bool = False) -> C:
    """The code of the pressed button; anything else is a stale button. Ids are database INTEGERs, so
    a larger number never came from us. Without `signed` a negative id is stale too: the patterns
    before the codes took digits only (the one-press ones, signed, handed any number to the service)."""
    data = update.callback_query.data
    for code in codes:
        try:
            pressed = code.parse(data)
        except ValueError:
            continue
        low = -DB_INT if signed else 0
        if all(low <= value < DB_INT for value in vars(pressed).values() if isinstance(value, int)):
            return pressed
        break
    raise StaleButton()


def answering(*allowed: Role):
    """Like handlers.common.requires, for presses answered with a short text (a toast).

    The wrapped function returns that text; the press is answered once, after the work. On an
    error the error handler answers it with the reason instead.
    """
    allowed_set = frozenset(allowed)

    def decorate(fn):
        @functools.wraps(fn)
        async def wrapper(update: Update, context: BotContext) -> None:
            person = context.person
            if person is None or (allowed_set and not allowed_set & person.roles):
                answer = texts.REGISTER_FIRST if person is None else texts.NOT_ALLOWED
                await update.callback_query.answer(answer, show_alert=True)
                return
            answer = await fn(update, context)
            await update.callback_query.answer(answer)

        return wrapper

    return decorate


def _policy(context: BotContext) -> DeadlinePolicy:
    return DeadlinePolicy.from_settings(context.deps.settings)


def _view_markup(case_id: int) -> InlineKeyboardMarkup:
    return inline([[button(texts.NOTIFY_VIEW_BUTTON, CaseView(case_id).pack())]])


def _cancel_row(case_id: int):
    return [button(texts.DL_CANCEL_BUTTON, DeadlineCancel(case_id).pack())]


def _example(form: ChangeForm) -> str:
    return form.choices[-1][1].isoformat() if form.choices else ""


def _date_keyboard(form: ChangeForm) -> InlineKeyboardMarkup:
    choices = [button(texts.DL_DATE_CHOICE.format(date=date_label(day), n=n), DeadlineDate(form.case_id, day).pack())
               for n, day in form.choices]
    return inline([*grid(choices, 2), _cancel_row(form.case_id)])


async def _give_up(update: Update, context: BotContext, draft: dict, error: DomainError, *, edit: bool) -> int:
    """The case moved on meanwhile (decided, closed, no longer visible): say why and end."""
    context.user_data.pop(DRAFT_KEY, None)
    await reply(update, esc(error.message), reply_markup=_view_markup(draft["case"]), edit=edit)
    return ConversationHandler.END


async def _form(context: BotContext, draft: dict, due_date: date | None = None) -> ChangeForm:
    return await call(context, deadlines.change_form, actor_id=context.person.id, case_id=draft["case"],
                      action=draft["action"], now=now(context), policy=_policy(context), due_date=due_date)


def _typed(update: Update, limit: int) -> tuple[str | None, str | None]:
    """(text, None) or (None, what to tell the person)."""
    text = (update.message.text or "").strip()
    if len(text) > limit:
        return None, texts.TOO_LONG.format(limit=limit)
    if len(text) < deadlines.REASON_MIN:
        return None, texts.DL_REASON_SHORT
    return text, None


# --- 收到 on a reminder and on an urgent alert --------------------------------------------------


@answering()
async def reminder_ack(update: Update, context: BotContext) -> str:
    reminder_id = _pressed(update, ReminderAck, signed=True).reminder_id
    # Every copy of the step (this one too) is edited through the outbox, in the same transaction.
    await call(context, reminders.acknowledge, person_id=context.person.id, reminder_id=reminder_id,
               now=now(context), tz=_policy(context).tz)
    return texts.REMINDER_ACKED


@answering(*ACT_ON_CASES)
async def urgent_ack(update: Update, context: BotContext) -> str:
    alert_id = _pressed(update, UrgentAck, signed=True).alert_id
    # The first press queues the edit of every copy (who took it, when); a later press only hears who.
    first, name = await call(context, alerts.acknowledge_urgent, person_id=context.person.id, alert_id=alert_id,
                             now=now(context), tz=_policy(context).tz)
    return texts.URGENT_ACKED if first else texts.URGENT_ALREADY_ACKED.format(name=name)


# --- 批准: one press ----------------------------------------------------------------------------


@requires(*DECIDERS)
async def approve(update: Update, context: BotContext) -> None:
    request_id = _pressed(update, DeadlineApprove, signed=True).request_id
    decision = await call(context, deadlines.decide_and_notify, actor_id=context.person.id, request_id=request_id,
                          approve=True, now=now(context), policy=_policy(context))
    await mark_done(update, texts.DL_APPROVED_MARK.format(detail=decision.detail), drop=DEADLINE_FAMILY)


# --- asking for a change: reason → (date) → confirm ---------------------------------------------


@requires()
async def start_request(update: Update, context: BotContext) -> int:
    pressed = _pressed(update, *ENTRY_ACTIONS)
    action = ENTRY_ACTIONS[type(pressed)]
    draft = {"action": action, "case": pressed.case_id}
    form = await _form(context, draft)
    context.user_data[DRAFT_KEY] = {**draft, "number": form.number}
    kind = texts.DL_KIND_LABELS[action]
    text = texts.DL_ASK_REASON.format(kind=kind, number=esc(form.number), due=form.due, light=form.light)
    # A new message: the reminder the button sat on stays readable.
    await reply(update, text, reply_markup=inline([_cancel_row(form.case_id)]))
    return REASON


@requires(*DECIDERS)
async def start_set(update: Update, context: BotContext) -> int:
    draft = {"action": "set", "case": _pressed(update, DeadlineSet).case_id}
    form = await _form(context, draft)
    context.user_data[DRAFT_KEY] = {**draft, "number": form.number}
    text = texts.DL_ASK_SET_DATE.format(number=esc(form.number), due=form.due or "—", example=_example(form))
    await reply(update, text, reply_markup=_date_keyboard(form))
    return DATE


@requires()
async def reason_typed(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, *deadlines.CHANGE_ACTIONS)
    if draft is None:
        return await DRAFTS.lost(update, context)
    reason, problem = _typed(update, deadlines.REASON_MAX)
    if problem:
        await update.effective_chat.send_message(problem)
        return REASON
    draft["reason"] = reason
    if draft["action"] == "extension" and "date" not in draft:
        try:
            form = await _form(context, draft)
        except DomainError as exc:
            return await _give_up(update, context, draft, exc, edit=False)
        text = texts.DL_ASK_DATE.format(number=esc(form.number), due=form.due, example=_example(form))
        await update.effective_chat.send_message(text, reply_markup=_date_keyboard(form))
        return DATE
    return await _ask_confirm(update, draft, edit=False)


@requires()
async def date_pressed(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, *DATED)
    day = _pressed(update, DeadlineDate).day
    return await _take_date(update, context, draft, day, edit=True)


@requires()
async def date_typed(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, *DATED)
    if draft is None:
        return await DRAFTS.lost(update, context)
    today = now(context).astimezone(context.deps.settings.tz).date()
    day = parse_date(update.message.text or "", today)
    if day is None:
        await update.effective_chat.send_message(texts.DL_BAD_DATE.format(example=today.isoformat()))
        return DATE
    return await _take_date(update, context, draft, day, edit=False)


async def _take_date(update: Update, context: BotContext, draft: dict, day: date, *, edit: bool) -> int:
    try:
        form = await _form(context, draft, due_date=day)
    except InvalidInput as exc:  # e.g. not later than the current deadline: choose again
        await update.effective_chat.send_message(texts.DL_DATE_RETRY.format(error=esc(exc.message)))
        return DATE
    except DomainError as exc:
        return await _give_up(update, context, draft, exc, edit=edit)
    draft["date"], draft["new_due"] = day.isoformat(), form.new_due
    if "reason" not in draft:  # 设定期限: the date first, then the reason
        text = texts.DL_ASK_SET_REASON.format(due=form.new_due)
        await reply(update, text, reply_markup=inline([_cancel_row(form.case_id)]), edit=edit)
        return REASON
    return await _ask_confirm(update, draft, edit=edit)


async def _ask_confirm(update: Update, draft: dict, *, edit: bool) -> int:
    number, reason = esc(draft["number"]), esc(draft["reason"])
    if draft["action"] == "set":
        text = texts.DL_CONFIRM_SET.format(number=number, due=draft["new_due"], reason=reason)
        label = texts.DL_SET_BUTTON
    else:
        new = texts.DL_CONFIRM_NEW.format(due=draft["new_due"]) if draft.get("new_due") else ""
        text = texts.DL_CONFIRM.format(number=number, kind=texts.DL_KIND_LABELS[draft["action"]], new=new,
                                       reason=reason)
        label = texts.DL_SUBMIT
    rows = [[button(label, DeadlineConfirm(draft["case"]).pack()), *_cancel_row(draft["case"])]]
    await reply(update, text, reply_markup=inline(rows), edit=edit)
    return CONFIRM


@requires()
async def confirm(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, *deadlines.CHANGE_ACTIONS)
    if "reason" not in draft or (draft["action"] in DATED and "date" not in draft):
        raise StaleButton()
    action, case_id = draft["action"], draft["case"]
    due_date = date.fromisoformat(draft["date"]) if "date" in draft else None
    try:
        if action == "set":
            await call(context, deadlines.set_deadline, actor_id=context.person.id, case_id=case_id,
                       due_date=due_date, reason=draft["reason"], now=now(context), policy=_policy(context))
            text = texts.DL_SET_DONE.format(number=esc(draft["number"]), due=draft["new_due"])
        else:
            await call(context, deadlines.request_and_notify, actor_id=context.person.id, case_id=case_id,
                       kind=RequestKind(action), reason=draft["reason"], new_due_date=due_date, now=now(context),
                       policy=_policy(context))
            text = texts.DL_SUBMITTED.format(kind=texts.DL_KIND_LABELS[action], number=esc(draft["number"]))
    except DomainError as exc:
        return await _give_up(update, context, draft, exc, edit=True)
    context.user_data.pop(DRAFT_KEY, None)
    await reply(update, text, reply_markup=_view_markup(case_id), edit=True)
    return ConversationHandler.END


# --- 驳回: a short reason, typed ---------------------------------------------------------------


@requires(*DECIDERS)
async def start_refuse(update: Update, context: BotContext) -> int:
    request = await call(context, deadlines.request_to_decide, actor_id=context.person.id,
                         request_id=_pressed(update, DeadlineRefuse).request_id)
    message = update.callback_query.message
    context.user_data[DRAFT_KEY] = {
        "action": "refuse", "case": request.case_id, "number": request.number, "request": request.id,
        "kind": request.kind.value, "message": message.message_id if isinstance(message, Message) else None,
    }
    text = texts.DL_ASK_REFUSE_NOTE.format(number=esc(request.number), kind=texts.DL_KIND_LABELS[request.kind.value])
    await reply(update, text, reply_markup=inline([_cancel_row(request.case_id)]))
    return REFUSE_NOTE


@requires(*DECIDERS)
async def refuse_note(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "refuse")
    if draft is None:
        return await DRAFTS.lost(update, context)
    note, problem = _typed(update, deadlines.NOTE_MAX)
    if problem:
        await update.effective_chat.send_message(problem)
        return REFUSE_NOTE
    try:
        await call(context, deadlines.decide_and_notify, actor_id=context.person.id, request_id=draft["request"],
                   approve=False, note=note, now=now(context), policy=_policy(context))
    except DomainError as exc:  # decided by someone else meanwhile
        return await _give_up(update, context, draft, exc, edit=False)
    context.user_data.pop(DRAFT_KEY, None)
    if draft.get("message"):  # the approval message: its 批准/驳回 buttons are spent
        with contextlib.suppress(BadRequest):
            await context.bot.edit_message_reply_markup(chat_id=update.effective_chat.id, message_id=draft["message"],
                                                        reply_markup=_view_markup(draft["case"]))
    text = texts.DL_REFUSED_DONE.format(number=esc(draft["number"]), kind=texts.DL_KIND_LABELS[draft["kind"]])
    await update.effective_chat.send_message(text, reply_markup=_view_markup(draft["case"]))
    return ConversationHandler.END


# --- hints, cancel, timeout ---------------------------------------------------------------------


async def text_wrong_type(update: Update, context: BotContext) -> None:
    await update.effective_chat.send_message(texts.DL_TEXT_WRONG_TYPE)


async def buttons_wrong_type(update: Update, context: BotContext) -> None:
    await update.effective_chat.send_message(texts.DL_BUTTONS_WRONG_TYPE)


async def date_wrong_type(update: Update, context: BotContext) -> None:
    today = now(context).astimezone(context.deps.settings.tz).date()
    await update.effective_chat.send_message(texts.DL_DATE_WRONG_TYPE.format(example=today.isoformat()))


async def cancel(update: Update, context: BotContext) -> int:
    draft = context.user_data.pop(DRAFT_KEY, None)
    markup = _view_markup(draft["case"]) if draft and draft.get("case") else None
    await update.effective_chat.send_message(texts.DL_CANCELLED, reply_markup=markup)
    return ConversationHandler.END


@requires()
async def cancel_button(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, *deadlines.CHANGE_ACTIONS, "refuse")
    context.user_data.pop(DRAFT_KEY, None)
    await reply(update, texts.DL_CANCELLED, reply_markup=_view_markup(draft["case"]), edit=True)
    return ConversationHandler.END


# --- wiring -------------------------------------------------------------------------------------


def build_deadline_conversation() -> ConversationHandler:
    text = filters.TEXT & ~filters.COMMAND
    other = ~filters.COMMAND
    return Flow(
        entry_points=[
            CallbackQueryHandler(start_request, pattern=any_of(*ENTRY_ACTIONS)),
            CallbackQueryHandler(start_set, pattern=DeadlineSet.pattern()),
            CallbackQueryHandler(start_refuse, pattern=DeadlineRefuse.pattern()),
        ],
        states={
            REASON: [MessageHandler(text, reason_typed), MessageHandler(other, text_wrong_type)],
            DATE: [
                CallbackQueryHandler(date_pressed, pattern=DeadlineDate.pattern()),
                MessageHandler(text, date_typed),
                MessageHandler(other, date_wrong_type),
            ],
            CONFIRM: [
                CallbackQueryHandler(confirm, pattern=DeadlineConfirm.pattern()),
                MessageHandler(other, buttons_wrong_type),
            ],
            REFUSE_NOTE: [MessageHandler(text, refuse_note), MessageHandler(other, text_wrong_type)],
        },
        fallbacks=[
            CommandHandler("cancel", cancel),
            CallbackQueryHandler(cancel_button, pattern=DeadlineCancel.pattern()),
        ],
        name="deadline_request",
        timeout=TIMEOUT_SECONDS,
        draft=DRAFT_KEY, timeout_text=texts.DL_TIMEOUT,
    )


def handlers() -> list[BaseHandler]:
    """New objects per call: a ConversationHandler keeps per-application state (its conversations
    and timeout jobs), and each Application (a restart builds a new one) needs its own."""
    return [
        build_deadline_conversation(),
        CallbackQueryHandler(approve, pattern=DeadlineApprove.pattern()),
        CallbackQueryHandler(reminder_ack, pattern=ReminderAck.pattern()),
        CallbackQueryHandler(urgent_ack, pattern=UrgentAck.pattern()),
    ]
