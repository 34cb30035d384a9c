"""请示 on a 督办通知书 in chat: the unit asks from the notice card (a reason as a button, the detail
typed); a center leader answers from the 请示 notification (同意延期 with a date / 同意结案 / 同意移送
with the department / 不同意, then the reply typed). bot/services/supervision/instruct.py checks
every step again. One persistent conversation, "notice_instruct"; its draft in user_data:
    {"action": "ask", "notice": 12, "reason": "overdue"}
    {"action": "answer", "entry": 40, "answer": "extend", "day": "2026-12-20", "department": null}
"""

from datetime import date
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
    InstructAnswerPick,
    InstructCancel,
    InstructDate,
    InstructReasonPick,
    InstructStart,
    NoticeOpen,
    any_of,
)
from bot.context import BotContext
from bot.keyboards import button, grid, inline
from bot.services import supervision
from bot.services.supervision import instruct
from bot.texts import instruct as words
from handlers.common import Flow, StaleButton, call, esc, now, pressed, reply, requires
from handlers.forms import date_label, parse_date
from models import InstructionAnswer, InstructionReason

DRAFT = "instruct_draft"
TIMEOUT = 1800


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    REASON = 0
    DETAIL = 1
    DATE = 2
    DEPARTMENT = 3
    REPLY = 4


def _cancel_row(subject_id: int):
    return [button(words.CANCEL_BUTTON, InstructCancel(subject_id).pack())]


def _draft(context: BotContext, action: str, subject: str, subject_id: int | None = None) -> dict:
    draft = context.user_data.get(DRAFT)
    if not draft or draft.get("action") != action or (subject_id is not None and draft.get(subject) != subject_id):
        raise StaleButton()
    return draft


# --- the unit asks -----------------------------------------------------------------------------


@requires()
async def start_ask(update: Update, context: BotContext) -> int:
    notice_id = pressed(update, InstructStart).notice_id
    number = await call(context, instruct.check_ask, actor_id=context.person.id, notice_id=notice_id)
    context.user_data[DRAFT] = {"action": "ask", "notice": notice_id}
    reasons = [button(words.REASON_LABELS[r], InstructReasonPick(notice_id, r).pack()) for r in InstructionReason]
    await reply(update, esc(words.ASK_REASON.format(number=number)),
                reply_markup=inline([*grid(reasons, 2), _cancel_row(notice_id)]), edit=False)
    return Step.REASON


@requires()
async def reason_picked(update: Update, context: BotContext) -> int:
    code = pressed(update, InstructReasonPick)
    draft = _draft(context, "ask", "notice", code.notice_id)
    draft["reason"] = code.reason.value
    await reply(update, esc(words.ASK_DETAIL.format(reason=words.REASON_LABELS[code.reason])), edit=True)
    return Step.DETAIL


@requires()
async def detail_typed(update: Update, context: BotContext) -> int:
    draft = context.user_data.get(DRAFT)
    if not draft or draft.get("action") != "ask" or "reason" not in draft:
        return await _lost(update, context)
    await call(context, instruct.ask, actor_id=context.person.id, notice_id=draft["notice"],
               reason=InstructionReason(draft["reason"]), detail=update.message.text or "", now=now(context),
               tz=context.deps.settings.tz)
    context.user_data.pop(DRAFT, None)
    await update.effective_chat.send_message(
        words.SENT, reply_markup=inline([[button(texts.SV_VIEW, NoticeOpen(draft["notice"]).pack())]]))
    return ConversationHandler.END


# --- a center leader answers -------------------------------------------------------------------


@requires()
async def start_answer(update: Update, context: BotContext) -> int:
    code = pressed(update, InstructAnswerPick)
    found = await call(context, instruct.open_instruction, actor_id=context.person.id, entry_id=code.entry_id,
                       tz=context.deps.settings.tz)
    context.user_data[DRAFT] = {"action": "answer", "entry": found.id, "answer": code.answer.value}
    label = words.ANSWER_LABELS[code.answer]
    if code.answer == InstructionAnswer.extend:
        choices = await call(context, supervision.due_choices, now=now(context), policy=context.deps.policy.deadlines)
        days = [button(words.ASK_DATE_BUTTON.format(label=date_label(day), n=n), InstructDate(found.id, day).pack())
                for n, day in choices]
        await reply(update, words.ANSWER_PICK_DATE, reply_markup=inline([*grid(days, 1), _cancel_row(found.id)]))
        return Step.DATE
    if code.answer == InstructionAnswer.transfer:
        await reply(update, words.ANSWER_ASK_DEPARTMENT, reply_markup=inline([_cancel_row(found.id)]))
        return Step.DEPARTMENT
    await reply(update, esc(words.ANSWER_ASK_TEXT.format(answer=label)), reply_markup=inline([_cancel_row(found.id)]))
    return Step.REPLY


async def _take_date(update: Update, context: BotContext, draft: dict, day: date, *, edit: bool) -> int:
    draft["day"] = day.isoformat()
    label = words.ANSWER_LABELS[InstructionAnswer.extend]
    await reply(update, esc(words.ANSWER_ASK_TEXT.format(answer=f"{label}至{date_label(day)}")), edit=edit)
    return Step.REPLY


@requires()
async def date_pressed(update: Update, context: BotContext) -> int:
    code = pressed(update, InstructDate)
    draft = _draft(context, "answer", "entry", code.entry_id)
    return await _take_date(update, context, draft, code.day, edit=True)


@requires()
async def date_typed(update: Update, context: BotContext) -> int:
    draft = context.user_data.get(DRAFT)
    if not draft or draft.get("action") != "answer":
        return await _lost(update, context)
    day = parse_date(update.message.text or "", now(context).astimezone(context.deps.settings.tz).date())
    if day is None:
        await update.effective_chat.send_message(words.ANSWER_DATE_BAD)
        return Step.DATE
    return await _take_date(update, context, draft, day, edit=False)


@requires()
async def department_typed(update: Update, context: BotContext) -> int:
    draft = context.user_data.get(DRAFT)
    if not draft or draft.get("action") != "answer":
        return await _lost(update, context)
    text = (update.message.text or "").strip()
    if not 2 <= len(text) <= supervision.DEPARTMENT_MAX:
        await update.effective_chat.send_message(words.ANSWER_ASK_DEPARTMENT)
        return Step.DEPARTMENT
    draft["department"] = text
    label = words.ANSWER_LABELS[InstructionAnswer.transfer]
    await update.effective_chat.send_message(esc(words.ANSWER_ASK_TEXT.format(answer=f"{label}至{text}")))
    return Step.REPLY


@requires()
async def reply_typed(update: Update, context: BotContext) -> int:
    draft = context.user_data.get(DRAFT)
    if not draft or draft.get("action") != "answer":
        return await _lost(update, context)
    answer = InstructionAnswer(draft["answer"])
    await call(context, instruct.answer, actor_id=context.person.id, entry_id=draft["entry"], answer=answer,
               text=update.message.text or "", now=now(context), policy=context.deps.policy.deadlines,
               new_due=date.fromisoformat(draft["day"]) if draft.get("day") else None,
               department=draft.get("department"))
    context.user_data.pop(DRAFT, None)
    await update.effective_chat.send_message(esc(words.ANSWER_DONE.format(answer=words.ANSWER_LABELS[answer])))
    return ConversationHandler.END


# --- shared ------------------------------------------------------------------------------------


async def _lost(update: Update, context: BotContext) -> int:
    context.user_data.pop(DRAFT, None)
    await update.effective_chat.send_message(words.TIMEOUT)
    return ConversationHandler.END


@requires()
async def wrong_type(update: Update, context: BotContext) -> None:
    await update.effective_chat.send_message(words.WRONG_TYPE)


def build_conversation() -> ConversationHandler:
    text = filters.TEXT & ~filters.COMMAND
    return Flow(
        entry_points=[CallbackQueryHandler(start_ask, pattern=any_of(InstructStart)),
                      CallbackQueryHandler(start_answer, pattern=any_of(InstructAnswerPick))],
        states={
            Step.REASON: [CallbackQueryHandler(reason_picked, pattern=any_of(InstructReasonPick))],
            Step.DETAIL: [MessageHandler(text, detail_typed), MessageHandler(~filters.COMMAND, wrong_type)],
            Step.DATE: [CallbackQueryHandler(date_pressed, pattern=any_of(InstructDate)),
                        MessageHandler(text, date_typed), MessageHandler(~filters.COMMAND, wrong_type)],
            Step.DEPARTMENT: [MessageHandler(text, department_typed), MessageHandler(~filters.COMMAND, wrong_type)],
            Step.REPLY: [MessageHandler(text, reply_typed), MessageHandler(~filters.COMMAND, wrong_type)],
        },
        name="notice_instruct",
        timeout=TIMEOUT,
        draft=DRAFT, cancelled=words.CANCELLED, cancel_button=InstructCancel,
    )


def handlers() -> list[BaseHandler]:
    """New objects per call: a ConversationHandler keeps per-application state. A 请示 step button outside
    the conversation (after a cancel, a timeout, or an old message) is answered by handlers/fallback.py."""
    return [build_conversation()]
