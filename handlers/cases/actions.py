"""Steps where a person types (进展, 转办, 办结, 答复, 不予受理, 分派要求, /search without a keyword): one
persistent conversation, "case_action", whose pending action and case id live in user_data as plain JSON."""

import contextlib
import re
from collections.abc import Callable
from datetime import datetime
from enum import IntEnum

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot import texts
from bot.callbacks import (
    ActionAgreement,
    ActionAgreementLegacy,
    ActionAssignSkipNote,
    ActionCancel,
    ActionOutcome,
    ActionOutcomeLegacy,
    ActionProgressDone,
    ActionRepliedAt,
    ActionRepliedNow,
    ActionRepliedToday,
    ActionReplyMethod,
    ActionReplyMethodLegacy,
    ActionTransferConfirm,
    CaseAssignPerson,
    CaseAssignUnit,
    CaseDecline,
    CaseProgress,
    CaseReply,
    CaseResolve,
    CaseTransfer,
    CaseView,
    Code,
    any_of,
)
from bot.context import BotContext
from bot.keyboards import button, grid, inline
from bot.services import cases
from bot.services.case_card import CaseCard
from bot.services.cases import FileInput
from bot.services.errors import DomainError, InvalidInput
from handlers.cases.card import card_allowing, show_card, show_card_after
from handlers.cases.lists import SEARCHERS, new_search
from handlers.common import (
    Flow,
    StaleButton,
    call,
    esc,
    now,
    pressed,
    pressed_one_of,
    reply,
    requires,
    word_pressed,
)
from handlers.forms import Drafts, clip, file_input
from models import Agreement, Outcome, ReplyMethod


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    PROGRESS = 0
    TRANSFER_TO = 1
    TRANSFER_REASON = 2
    TRANSFER_CONFIRM = 3
    RESOLVE_OUTCOME = 4
    RESOLVE_AGREEMENT = 5
    RESOLVE_SUMMARY = 6
    REPLY_METHOD = 7
    REPLY_WHEN = 8
    DECLINE_TEXT = 9
    SEARCH_QUERY = 10
    ASSIGN_NOTE = 11


# The short names the handlers use (a test checks each is the member of the same name).
(
    PROGRESS, TRANSFER_TO, TRANSFER_REASON, TRANSFER_CONFIRM, RESOLVE_OUTCOME, RESOLVE_AGREEMENT,
    RESOLVE_SUMMARY, REPLY_METHOD, REPLY_WHEN, DECLINE_TEXT, SEARCH_QUERY, ASSIGN_NOTE,
) = Step

ACTION_KEY = "case_action"  # {"case": id, "number": "2026-0042", "action": "progress", ...}
DRAFTS = Drafts(ACTION_KEY, subject="case", lost_text=texts.CASE_ACTION_TIMEOUT)
TIMEOUT_SECONDS = 1800  # taking photos on site can take a while
TRANSFER_TO_LIMIT = 100  # the column's size; the service checks it again
TIME_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*(\d{1,2})[:：点](\d{2})分?$")
HOUR_RE = re.compile(r"^(\d{1,2})[:：点](\d{2})分?$")


# --- typed steps: one persistent conversation -------------------------------------------------


def _cancel_row(case_id: int):
    return [button(texts.CARD_BUTTON_CANCEL, ActionCancel(case_id).pack())]


async def _begin(update: Update, context: BotContext, code: type[Code], action: str, **extra) -> CaseCard:
    case_id = pressed(update, code).case_id
    card = await card_allowing(update, context, case_id, action)
    context.user_data[ACTION_KEY] = {"case": case_id, "number": card.number, "action": action, **extra}
    return card


async def _complete(update: Update, context: BotContext, pending: dict, fn: Callable, retry_state: int,
                    notice, *, edit: bool = False, **kwargs) -> int:
    """The last step: one service call. Bad input → ask again; any other refusal ends the action."""
    chat = update.effective_chat
    try:
        await call(context, fn, actor_id=context.person.id, case_id=pending["case"], now=now(context), **kwargs)
    except InvalidInput as exc:
        await chat.send_message(texts.CASE_ACTION_RETRY.format(error=esc(exc.message)))
        return retry_state
    except DomainError as exc:
        # The case moved on meanwhile (or the person lost access): say why, show it as it is now.
        context.user_data.pop(ACTION_KEY, None)
        await chat.send_message(esc(exc.message))
        with contextlib.suppress(DomainError):
            await show_card(update, context, pending["case"], edit=False)
        return ConversationHandler.END
    context.user_data.pop(ACTION_KEY, None)
    await show_card_after(update, context, pending["case"], edit=edit, notice=notice)
    return ConversationHandler.END


def _typed(update: Update, limit: int = cases.MAX_TEXT) -> str | None:
    text = (update.message.text or "").strip()
    return text if len(text) <= limit else None


async def _too_long(update: Update, limit: int = cases.MAX_TEXT) -> None:
    await update.effective_chat.send_message(texts.TOO_LONG.format(limit=limit))


# progress: text and/or files, then 完成

def _progress_keyboard(case_id: int):
    return inline([[button(texts.PROGRESS_DONE_BUTTON, ActionProgressDone(case_id).pack()), *_cancel_row(case_id)]])


@requires()
async def start_progress(update: Update, context: BotContext) -> int:
    card = await _begin(update, context, CaseProgress, "progress", texts=[], files=[])
    await reply(update, texts.PROGRESS_ASK.format(number=esc(card.number)), reply_markup=_progress_keyboard(card.id))
    return PROGRESS


async def _progress_ack(update: Update, pending: dict) -> None:
    text = texts.PROGRESS_GOT.format(texts=len(pending["texts"]), files=len(pending["files"]))
    await update.effective_chat.send_message(text, reply_markup=_progress_keyboard(pending["case"]))


def _text_room(pending: dict, extra: str) -> bool:
    return len("\n".join([*pending["texts"], extra])) <= cases.MAX_TEXT


@requires()
async def progress_text(update: Update, context: BotContext) -> int:
    pending = DRAFTS.get(update, context, "progress")
    if pending is None:
        return await DRAFTS.lost(update, context)
    text = (update.message.text or "").strip()
    if text == texts.PROGRESS_DONE_WORD:
        return await _finish_progress(update, context, pending)
    if not _text_room(pending, text):
        await update.effective_chat.send_message(texts.PROGRESS_TOO_LONG.format(limit=cases.MAX_TEXT))
        return PROGRESS
    pending["texts"].append(text)
    await _progress_ack(update, pending)
    return PROGRESS


@requires()
async def progress_file(update: Update, context: BotContext) -> int:
    pending = DRAFTS.get(update, context, "progress")
    if pending is None:
        return await DRAFTS.lost(update, context)
    caption = (update.message.caption or "").strip()
    if caption and not _text_room(pending, caption):
        await update.effective_chat.send_message(texts.PROGRESS_TOO_LONG.format(limit=cases.MAX_TEXT))
        return PROGRESS
    pending["files"].append(file_input(update.message))
    if caption:
        pending["texts"].append(caption)
    await _progress_ack(update, pending)
    return PROGRESS


async def progress_wrong_type(update: Update, context: BotContext) -> int:
    await update.effective_chat.send_message(texts.PROGRESS_WRONG_TYPE)
    return PROGRESS


@requires()
async def progress_done(update: Update, context: BotContext) -> int:
    return await _finish_progress(update, context, DRAFTS.get(update, context, "progress"))


async def _finish_progress(update: Update, context: BotContext, pending: dict) -> int:
    if not pending["texts"] and not pending["files"]:
        await update.effective_chat.send_message(texts.PROGRESS_EMPTY)
        return PROGRESS
    files = tuple(FileInput(**f) for f in pending["files"])
    return await _complete(update, context, pending, cases.add_progress, PROGRESS, texts.CARD_DONE_PROGRESS,
                           text="\n".join(pending["texts"]) or None, files=files)


# transfer: receiving body → reason → confirm

@requires()
async def start_transfer(update: Update, context: BotContext) -> int:
    card = await _begin(update, context, CaseTransfer, "transfer")
    await reply(update, texts.TRANSFER_ASK_TO.format(number=esc(card.number)),
                reply_markup=inline([_cancel_row(card.id)]))
    return TRANSFER_TO


@requires()
async def transfer_to(update: Update, context: BotContext) -> int:
    pending = DRAFTS.get(update, context, "transfer")
    if pending is None:
        return await DRAFTS.lost(update, context)
    to = _typed(update, TRANSFER_TO_LIMIT)
    if not to:
        await _too_long(update, TRANSFER_TO_LIMIT)
        return TRANSFER_TO
    pending["to"] = to
    await update.effective_chat.send_message(texts.TRANSFER_ASK_REASON.format(to=esc(to)),
                                             reply_markup=inline([_cancel_row(pending["case"])]))
    return TRANSFER_REASON


@requires()
async def transfer_reason(update: Update, context: BotContext) -> int:
    pending = DRAFTS.get(update, context, "transfer")
    if pending is None:
        return await DRAFTS.lost(update, context)
    reason = _typed(update)
    if not reason:
        await _too_long(update)
        return TRANSFER_REASON
    pending["reason"] = reason
    text = texts.TRANSFER_CONFIRM.format(number=esc(pending["number"]), to=esc(pending["to"]),
                                         reason=esc(clip(reason, 500)))
    rows = [[button(texts.TRANSFER_CONFIRM_BUTTON, ActionTransferConfirm(pending["case"]).pack()), *_cancel_row(pending["case"])]]
    await update.effective_chat.send_message(text, reply_markup=inline(rows))
    return TRANSFER_CONFIRM


@requires()
async def transfer_confirm(update: Update, context: BotContext) -> int:
    pending = DRAFTS.get(update, context, "transfer")
    notice = texts.CARD_DONE_TRANSFER.format(to=pending["to"])
    return await _complete(update, context, pending, cases.transfer, TRANSFER_TO, notice, edit=True,
                           to=pending["to"], reason=pending["reason"])


# resolve: outcome → agreement → summary

@requires()
async def start_resolve(update: Update, context: BotContext) -> int:
    card = await _begin(update, context, CaseResolve, "resolve")
    choices = [button(o.value, ActionOutcome(card.id, o).pack()) for o in Outcome]
    rows = [*grid(choices, 3), _cancel_row(card.id)]
    await reply(update, texts.RESOLVE_ASK_OUTCOME.format(number=esc(card.number)), reply_markup=inline(rows),
                edit=True)
    return RESOLVE_OUTCOME


@requires()
async def resolve_outcome(update: Update, context: BotContext) -> int:
    pending = DRAFTS.get(update, context, "resolve")
    pending["outcome"] = word_pressed(update, ActionOutcome, ActionOutcomeLegacy, Outcome).outcome.value
    choices = [button(a.value, ActionAgreement(pending["case"], a).pack()) for a in Agreement]
    rows = [choices, _cancel_row(pending["case"])]
    text = texts.RESOLVE_ASK_AGREEMENT.format(number=esc(pending["number"]), outcome=pending["outcome"])
    await reply(update, text, reply_markup=inline(rows), edit=True)
    return RESOLVE_AGREEMENT


@requires()
async def resolve_agreement(update: Update, context: BotContext) -> int:
    pending = DRAFTS.get(update, context, "resolve")
    if "outcome" not in pending:
        raise StaleButton()
    pending["agreement"] = word_pressed(update, ActionAgreement, ActionAgreementLegacy, Agreement).agreement.value
    text = texts.RESOLVE_ASK_SUMMARY.format(number=esc(pending["number"]), outcome=pending["outcome"],
                                            agreement=pending["agreement"])
    await reply(update, text, reply_markup=inline([_cancel_row(pending["case"])]), edit=True)
    return RESOLVE_SUMMARY


@requires()
async def resolve_summary(update: Update, context: BotContext) -> int:
    pending = DRAFTS.get(update, context, "resolve")
    if pending is None:
        return await DRAFTS.lost(update, context)
    summary = _typed(update)
    if not summary:
        await _too_long(update)
        return RESOLVE_SUMMARY
    return await _complete(update, context, pending, cases.resolve, RESOLVE_SUMMARY, texts.CARD_DONE_RESOLVE,
                           outcome=pending["outcome"], agreement=pending["agreement"], summary=summary)


# reply: method → when

def _time_example(context: BotContext) -> str:
    return now(context).astimezone(context.deps.settings.tz).strftime("%Y-%m-%d") + " 09:30"


@requires()
async def start_reply(update: Update, context: BotContext) -> int:
    card = await _begin(update, context, CaseReply, "reply")
    choices = [button(m.value, ActionReplyMethod(card.id, m).pack()) for m in ReplyMethod]
    rows = [*grid(choices, 2), _cancel_row(card.id)]
    await reply(update, texts.REPLY_ASK_METHOD.format(number=esc(card.number)), reply_markup=inline(rows), edit=True)
    return REPLY_METHOD


@requires()
async def reply_method(update: Update, context: BotContext) -> int:
    pending = DRAFTS.get(update, context, "reply")
    pending["method"] = word_pressed(update, ActionReplyMethod, ActionReplyMethodLegacy, ReplyMethod).method.value
    case_id = pending["case"]
    rows = [[button(texts.REPLY_NOW, ActionRepliedNow(case_id).pack()),
             button(texts.REPLY_EARLIER_TODAY, ActionRepliedToday(case_id).pack())],
            _cancel_row(case_id)]
    text = texts.REPLY_ASK_WHEN.format(method=pending["method"], example=_time_example(context))
    await reply(update, text, reply_markup=inline(rows), edit=True)
    return REPLY_WHEN


@requires()
async def reply_when(update: Update, context: BotContext) -> int:
    pending = DRAFTS.get(update, context, "reply")
    if "method" not in pending:
        raise StaleButton()
    choice = pressed_one_of(update, (ActionRepliedNow, ActionRepliedToday, ActionRepliedAt))
    moment = now(context)
    local = moment.astimezone(context.deps.settings.tz)
    if isinstance(choice, ActionRepliedToday):
        # Whole hours of today up to now, the latest twelve: a press instead of typing a time.
        first = 8 if local.hour >= 8 else 0
        hours = list(range(first, local.hour + 1))[-12:]
        choices = [button(f"{h:02d}:00", ActionRepliedAt(pending["case"], h).pack()) for h in hours]
        rows = [*grid(choices, 4), _cancel_row(pending["case"])]
        await reply(update, texts.REPLY_ASK_HOUR.format(example=_time_example(context)), reply_markup=inline(rows),
                    edit=True)
        return REPLY_WHEN
    if isinstance(choice, ActionRepliedAt):
        if not 0 <= choice.hour <= 23:
            raise StaleButton()
        moment = local.replace(hour=choice.hour, minute=0, second=0, microsecond=0)
    return await _complete(update, context, pending, cases.record_reply, REPLY_WHEN, texts.CARD_DONE_REPLY,
                           edit=True, method=pending["method"], replied_at=moment)


def _parse_time(text: str, context: BotContext) -> datetime | None:
    tz = context.deps.settings.tz
    text = " ".join(text.split())
    try:
        if match := TIME_RE.match(text):
            y, mo, d, h, mi = (int(g) for g in match.groups())
            return datetime(y, mo, d, h, mi, tzinfo=tz)
        if match := HOUR_RE.match(text):
            today = now(context).astimezone(tz)
            return today.replace(hour=int(match[1]), minute=int(match[2]), second=0, microsecond=0)
    except ValueError:
        return None
    return None


@requires()
async def reply_typed_time(update: Update, context: BotContext) -> int:
    pending = DRAFTS.get(update, context, "reply")
    if pending is None:
        return await DRAFTS.lost(update, context)
    if "method" not in pending:
        await update.effective_chat.send_message(texts.CASE_BUTTONS_WRONG_TYPE)
        return REPLY_METHOD
    moment = _parse_time(update.message.text or "", context)
    if moment is None:
        await update.effective_chat.send_message(texts.REPLY_BAD_TIME.format(example=_time_example(context)))
        return REPLY_WHEN
    return await _complete(update, context, pending, cases.record_reply, REPLY_WHEN, texts.CARD_DONE_REPLY,
                           method=pending["method"], replied_at=moment)


# decline (不予受理): the guidance given to the party

@requires()
async def start_decline(update: Update, context: BotContext) -> int:
    card = await _begin(update, context, CaseDecline, "decline")
    await reply(update, texts.DECLINE_ASK.format(number=esc(card.number)), reply_markup=inline([_cancel_row(card.id)]))
    return DECLINE_TEXT


@requires()
async def decline_text(update: Update, context: BotContext) -> int:
    pending = DRAFTS.get(update, context, "decline")
    if pending is None:
        return await DRAFTS.lost(update, context)
    guidance = _typed(update)
    if not guidance:
        await _too_long(update)
        return DECLINE_TEXT
    return await _complete(update, context, pending, cases.decline, DECLINE_TEXT, texts.CARD_DONE_DECLINE,
                           guidance=guidance)


# hints, cancel, timeout

# assign: the person or unit was picked from the menu → optional instructions (typed, or 跳过)

def _assign_note_keyboard(case_id: int):
    return inline([[button(texts.ASSIGN_SKIP_NOTE, ActionAssignSkipNote(case_id).pack()), *_cancel_row(case_id)]])


@requires()
async def start_assign_note(update: Update, context: BotContext) -> int:
    code = pressed_one_of(update, (CaseAssignPerson, CaseAssignUnit))
    target = ({"handler_id": code.person_id} if isinstance(code, CaseAssignPerson) else {"unit_id": code.unit_id})
    card = await _begin(update, context, type(code), "assign", **target)
    await reply(update, texts.ASSIGN_ASK_NOTE.format(number=esc(card.number)),
                reply_markup=_assign_note_keyboard(card.id), edit=True)
    return ASSIGN_NOTE


async def _finish_assign(update: Update, context: BotContext, pending: dict | None, note: str | None) -> int:
    if pending is None:
        return await DRAFTS.lost(update, context)
    target = {k: pending[k] for k in ("handler_id", "unit_id") if k in pending}
    return await _complete(update, context, pending, cases.assign, ASSIGN_NOTE, _assigned_notice,
                           edit=update.callback_query is not None, instructions=note,
                           policy=context.deps.policy.deadlines, **target)


@requires()
async def assign_note_text(update: Update, context: BotContext) -> int:
    return await _finish_assign(update, context, DRAFTS.get(update, context, "assign"), update.message.text)


@requires()
async def assign_note_skip(update: Update, context: BotContext) -> int:
    return await _finish_assign(update, context, DRAFTS.get(update, context, "assign"), None)


async def assign_note_wrong_type(update: Update, context: BotContext) -> int:
    pending = context.user_data.get(ACTION_KEY) or {}
    await update.effective_chat.send_message(texts.ASSIGN_NOTE_WRONG_TYPE,
                                             reply_markup=_assign_note_keyboard(pending.get("case", 0)))
    return ASSIGN_NOTE


async def text_wrong_type(update: Update, context: BotContext) -> None:
    await update.effective_chat.send_message(texts.CASE_TEXT_WRONG_TYPE)


async def buttons_wrong_type(update: Update, context: BotContext) -> None:
    await update.effective_chat.send_message(texts.CASE_BUTTONS_WRONG_TYPE)


async def reply_when_wrong_type(update: Update, context: BotContext) -> None:
    await update.effective_chat.send_message(texts.REPLY_BAD_TIME.format(example=_time_example(context)))


async def cancel_action(update: Update, context: BotContext) -> int:
    pending = context.user_data.pop(ACTION_KEY, None)
    rows = [[button(texts.NOTIFY_VIEW_BUTTON, CaseView(pending["case"]).pack())]] if pending else []
    await update.effective_chat.send_message(texts.CASE_ACTION_CANCELLED, reply_markup=inline(rows) if rows else None)
    return ConversationHandler.END


@requires()
async def cancel_button(update: Update, context: BotContext) -> int:
    pending = context.user_data.get(ACTION_KEY)
    if not pending or pressed(update, ActionCancel).case_id != pending["case"]:
        raise StaleButton()
    context.user_data.pop(ACTION_KEY, None)
    await show_card_after(update, context, pending["case"], edit=True, notice=texts.CASE_ACTION_CANCELLED)
    return ConversationHandler.END


def _assigned_notice(card: CaseCard) -> str:
    return texts.CARD_DONE_ASSIGN.format(target=card.unit or card.handler)


# /search without a keyword: the keyword is typed

@requires(*SEARCHERS)
async def ask_search(update: Update, context: BotContext) -> int:
    await update.effective_chat.send_message(texts.SEARCH_ASK)
    return SEARCH_QUERY


@requires(*SEARCHERS)
async def search_typed(update: Update, context: BotContext) -> int:
    try:
        await new_search(update, context, update.message.text or "")
    except InvalidInput as exc:
        await update.effective_chat.send_message(texts.CASE_ACTION_RETRY.format(error=esc(exc.message)))
        return SEARCH_QUERY
    return ConversationHandler.END


# --- wiring -----------------------------------------------------------------------------------


def build_case_action_conversation() -> ConversationHandler:
    text = filters.TEXT & ~filters.COMMAND
    other = ~filters.COMMAND
    media = filters.PHOTO | filters.VIDEO | filters.VOICE | filters.AUDIO | filters.Document.ALL
    return Flow(
        entry_points=[
            CallbackQueryHandler(start_progress, pattern=CaseProgress.pattern()),
            CallbackQueryHandler(start_transfer, pattern=CaseTransfer.pattern()),
            CallbackQueryHandler(start_resolve, pattern=CaseResolve.pattern()),
            CallbackQueryHandler(start_reply, pattern=CaseReply.pattern()),
            CallbackQueryHandler(start_decline, pattern=CaseDecline.pattern()),
            CallbackQueryHandler(start_assign_note, pattern=any_of(CaseAssignPerson, CaseAssignUnit)),
            CommandHandler("search", ask_search, has_args=False),
        ],
        states={
            PROGRESS: [
                CallbackQueryHandler(progress_done, pattern=ActionProgressDone.pattern()),
                MessageHandler(text, progress_text),
                MessageHandler(media, progress_file),
                MessageHandler(other, progress_wrong_type),
            ],
            TRANSFER_TO: [MessageHandler(text, transfer_to), MessageHandler(other, text_wrong_type)],
            TRANSFER_REASON: [MessageHandler(text, transfer_reason), MessageHandler(other, text_wrong_type)],
            TRANSFER_CONFIRM: [
                CallbackQueryHandler(transfer_confirm, pattern=ActionTransferConfirm.pattern()),
                MessageHandler(other, buttons_wrong_type),
            ],
            RESOLVE_OUTCOME: [
                CallbackQueryHandler(resolve_outcome, pattern=any_of(ActionOutcome, ActionOutcomeLegacy)),
                MessageHandler(other, buttons_wrong_type),
            ],
            RESOLVE_AGREEMENT: [
                CallbackQueryHandler(resolve_agreement, pattern=any_of(ActionAgreement, ActionAgreementLegacy)),
                MessageHandler(other, buttons_wrong_type),
            ],
            RESOLVE_SUMMARY: [MessageHandler(text, resolve_summary), MessageHandler(other, text_wrong_type)],
            REPLY_METHOD: [
                CallbackQueryHandler(reply_method, pattern=any_of(ActionReplyMethod, ActionReplyMethodLegacy)),
                MessageHandler(other, buttons_wrong_type),
            ],
            REPLY_WHEN: [
                CallbackQueryHandler(reply_when, pattern=any_of(ActionRepliedNow, ActionRepliedToday, ActionRepliedAt)),
                MessageHandler(text, reply_typed_time),
                MessageHandler(other, reply_when_wrong_type),
            ],
            DECLINE_TEXT: [MessageHandler(text, decline_text), MessageHandler(other, text_wrong_type)],
            SEARCH_QUERY: [MessageHandler(text, search_typed), MessageHandler(other, text_wrong_type)],
            ASSIGN_NOTE: [
                CallbackQueryHandler(assign_note_skip, pattern=ActionAssignSkipNote.pattern()),
                MessageHandler(text, assign_note_text),
                MessageHandler(other, assign_note_wrong_type),
            ],
        },
        fallbacks=[
            CommandHandler("cancel", cancel_action),
            CallbackQueryHandler(cancel_button, pattern=ActionCancel.pattern()),
        ],
        name="case_action",
        timeout=TIMEOUT_SECONDS,
        draft=ACTION_KEY, timeout_text=texts.CASE_ACTION_TIMEOUT,
    )
