"""A 督办通知书 in chat: its card, the unit's sign-for and feedback, the director's decisions.

The card (NoticeOpen on every notification; NoticeRefresh refreshes it in place) shows the notice
and the buttons this viewer may press now — supervision.notice_card decides which. One-press
actions are stateless buttons (签收 NoticeSign, 📄 通知书 NoticeDoc); the services check every press
again. Steps where a person types are one persistent conversation, "notice_action", whose draft
lives in user_data as plain JSON:
    {"action": "progress", "notice": 12, "number": "综治〔2026〕12号", "texts": ["…"], "files": [{…}], "voices": 0}
    {"action": "reissue", "notice": 12, "number": "…", "reason": "…", "date": "2026-12-10", "due": "…",
     "levels": ["normal", "yellow", "red"], "level": "yellow"}
"""

import contextlib
from collections.abc import Callable
from datetime import date
from enum import IntEnum

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
    CaseView,
    Code,
    InstructAnswerPick,
    InstructStart,
    NoticeAccept,
    NoticeAcceptDirect,
    NoticeAcceptWithNote,
    NoticeAnswer,
    NoticeBriefing,
    NoticeCancel,
    NoticeClose,
    NoticeCollectDone,
    NoticeConfirm,
    NoticeDoc,
    NoticeMaterials,
    NoticeOpen,
    NoticeOverdueReason,
    NoticeParty,
    NoticeProgress,
    NoticeRefresh,
    NoticeReissue,
    NoticeReissueDate,
    NoticeReissueLevel,
    NoticeResult,
    NoticeSign,
    NoticeTransfer,
    NoticeUseDefault,
    any_of,
)
from bot.context import BotContext
from bot.keyboards import button, grid, inline
from bot.services import supervision
from bot.services.cases import FileInput
from bot.services.errors import DomainError, InvalidInput
from bot.services.supervision import NoticeCard
from bot.texts import instruct as instruct_texts
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
)
from handlers.deadlines import answering
from handlers.forms import CARD_LIMIT, Drafts, clip, date_label, file_input, line, parse_date, utf16


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    COLLECT = 0
    PARTY_TEXT = 1
    ACCEPT_CHOICE = 2
    ACCEPT_NOTE = 3
    REJECT_REASON = 4
    REJECT_DATE = 5
    REJECT_LEVEL = 6
    CONFIRM = 7
    REQUEST_TEXT = 8
    DEPARTMENT = 9
    CLOSE_NOTE = 10


# The short names the handlers use (a test checks each is the member of the same name).
(
    COLLECT, PARTY_TEXT, ACCEPT_CHOICE, ACCEPT_NOTE, REJECT_REASON, REJECT_DATE, REJECT_LEVEL, CONFIRM,
    REQUEST_TEXT, DEPARTMENT, CLOSE_NOTE,
) = Step

DRAFT_KEY = "notice_draft"
DRAFTS = Drafts(DRAFT_KEY, subject="notice", lost_text=texts.NT_TIMEOUT)
TIMEOUT_SECONDS = 1800  # photos of the site and scanned documents can take a while
HISTORY_SHOWN = 15
MAX_TEXT = supervision.MAX_TEXT
DEPARTMENT_MAX = supervision.DEPARTMENT_MAX
TEXT_MIN = 2  # the services ask for at least two characters

# card action → (label, button code); the presser is checked again on the server
ACTION_BUTTONS = {
    "sign": (texts.SV_SIGN, NoticeSign),
    "progress": (texts.NT_BUTTON_PROGRESS, NoticeProgress),
    "result": (texts.NT_BUTTON_RESULT, NoticeResult),
    "overdue_reason": (texts.SV_REASON_BUTTON, NoticeOverdueReason),
    "party": (texts.SV_PARTY_BUTTON, NoticeParty),
    "accept": (texts.SV_ACCEPT, NoticeAccept),
    "reissue": (texts.SV_REJECT, NoticeReissue),
    "materials": (texts.NT_BUTTON_MATERIALS, NoticeMaterials),
    "briefing": (texts.NT_BUTTON_BRIEFING, NoticeBriefing),
    "close": (texts.NT_BUTTON_CLOSE, NoticeClose),
    "transfer": (texts.NT_BUTTON_TRANSFER, NoticeTransfer),
    "instruct": (instruct_texts.BUTTON, InstructStart),  # 请示 (handlers/instruct.py)
}
ENTRY_KINDS = {NoticeProgress: "progress", NoticeResult: "result", NoticeOverdueReason: "overdue_reason"}
REQUEST_KINDS = {NoticeMaterials: "materials", NoticeBriefing: "briefing"}
CLOSE_KINDS = {NoticeClose: "close", NoticeTransfer: "transfer"}
COLLECTING = ("progress", "result", "overdue_reason", "answer")


# --- the card ---------------------------------------------------------------------------------


def _short(at: str) -> str:
    """"2026年11月30日 09:00" → "11月30日 09:00": history lines stay on one line on a phone."""
    return at.split("年", 1)[-1]


def render_card(card: NoticeCard, notice: str = "") -> str:
    """The card as HTML: built as plain text, trimmed to Telegram's limit, then escaped as a whole."""
    v = card.view
    title = texts.NT_TITLE.format(mark=texts.SV_LEVEL_MARKS[v.level.value], number=v.number)
    lines = [texts.NT_LEVEL.format(level=v.level_label, source=v.source_label),
             texts.NT_STATUS.format(status=v.status_label)]
    if v.parent_number:
        lines.append(texts.NT_PARENT.format(number=v.parent_number))
    lines.append(texts.NT_CASE.format(number=v.case_number, summary=clip(v.case_summary, 200)))
    lines.append(texts.sv_addressee(name=v.unit_name, contacts=v.contacts or "—", to_person=v.to_person))
    if v.original_due:
        fmt = texts.NT_ORIGINAL_LATE if v.days_overdue else texts.NT_ORIGINAL
        lines.append(fmt.format(due=v.original_due, days=v.days_overdue))
    lines.append(texts.NT_REQUIREMENTS.format(text=clip(v.requirements, 800)))
    lines.append((texts.NT_DUE_OVERDUE if v.overdue else texts.NT_DUE).format(due=v.due))
    lines.append(texts.NT_FEEDBACK.format(text=clip(v.feedback, 300)))
    if v.cc:
        lines.append(texts.NT_CC.format(cc=clip(v.cc, 100)))
    lines.append(texts.NT_ISSUER.format(issuer=v.issuer, date=v.issued_on))
    lines.append(texts.NT_SIGNED.format(who=v.signed_by, at=v.signed_at) if v.signed_by else texts.NT_UNSIGNED)
    if v.closing_note:
        lines.append(texts.NT_CLOSING.format(text=clip(v.closing_note, 300)))
    if v.party_notice_due:
        lines.append(texts.NT_PARTY_DONE.format(at=v.party_notified_at) if v.party_notified_at
                     else texts.NT_PARTY_PENDING.format(due=v.party_notice_due))
    history = [
        texts.NT_HISTORY_LINE.format(at=_short(e.at), actor=clip(e.actor, 20) or "系统", label=e.label,
                                     text=line(e.text, 80), open=texts.NT_OPEN_MARK if e.open else "")
        for e in v.entries[-HISTORY_SHOWN:]
    ]
    head = f"{notice}\n" if notice else ""

    def assemble(entries: list[str]) -> str:
        parts = list(lines)
        if entries:
            parts.append(texts.NT_HISTORY.format(shown=len(entries), total=len(v.entries)))
            parts += entries
        return "\n".join(parts)

    body = assemble(history)
    while history and utf16(head + title + body) > CARD_LIMIT:
        history = history[1:]  # the oldest entries go first
        body = assemble(history)
    if utf16(head + title + body) > CARD_LIMIT:  # only with absurd data; cut the plain text
        body = body[: max(CARD_LIMIT - utf16(head + title) - 200, 0)] + "…"
    return f"{esc(head)}<b>{esc(title)}</b>\n{esc(body)}"


def card_keyboard(card: NoticeCard) -> InlineKeyboardMarkup:
    notice_id = card.view.id
    actions = [button(label, code(notice_id).pack())
               for label, code in (ACTION_BUTTONS[a] for a in card.actions if a in ACTION_BUTTONS)]
    answers = [[button(texts.NT_BUTTON_ANSWER.format(label=e.label), NoticeAnswer(e.id).pack())] for e in card.requests]
    if card.instruction is not None:  # a center leader answers the unit's 请示 (handlers/instruct.py)
        answers += grid([button(instruct_texts.ANSWER_ON_CARD.format(answer=label),
                                InstructAnswerPick(card.instruction, answer).pack())
                         for answer, label in instruct_texts.ANSWER_LABELS.items()], 2)
    extra = [button(texts.NOTIFY_VIEW_BUTTON, CaseView(card.view.case_id).pack())] if card.may_open_case else []
    extra += [button(texts.NT_BUTTON_DOC, NoticeDoc(notice_id).pack()),
              button(texts.CARD_BUTTON_REFRESH, NoticeRefresh(notice_id).pack())]
    return inline([*grid(actions, 2), *answers, extra])


async def _card(context: BotContext, notice_id: int, action: str | None = None) -> NoticeCard:
    return await call(context, supervision.notice_card, viewer_id=context.person.id, notice_id=notice_id,
                      now=now(context), policy=context.deps.policy.deadlines, action=action)


async def _show(update: Update, context: BotContext, notice_id: int, *, edit: bool, notice: str = "") -> None:
    card = await _card(context, notice_id)
    await reply(update, render_card(card, notice), reply_markup=card_keyboard(card), edit=edit)


def _on_card(update: Update, notice_id: int) -> bool:
    """Was the button pressed on the notice's card (edit it in place), not on a notification?"""
    message = update.callback_query.message
    markup = message.reply_markup if isinstance(message, Message) else None
    refresh = NoticeRefresh(notice_id).pack()
    return markup is not None and any(b.callback_data == refresh for row in markup.inline_keyboard for b in row)


async def _drop_button(update: Update, code: type[Code]) -> None:
    """A notification's one-time button (签收) is spent: take it off; the others stay."""
    message = update.callback_query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return
    rows = [[b for b in row if not _is(code, b.callback_data)]
            for row in message.reply_markup.inline_keyboard]
    with contextlib.suppress(BadRequest):
        await update.callback_query.edit_message_reply_markup(inline(rows))


def _is(code: type[Code], data: object) -> bool:
    try:
        code.parse(str(data or ""))
    except ValueError:
        return False
    return True


@requires()
async def view(update: Update, context: BotContext) -> None:
    # From a notification: a new message, so the notification stays readable.
    await _show(update, context, pressed(update, NoticeOpen).notice_id, edit=False)


@requires()
async def refresh(update: Update, context: BotContext) -> None:
    await _show(update, context, pressed(update, NoticeRefresh).notice_id, edit=True)


@requires()
async def sign(update: Update, context: BotContext) -> None:
    """签收: one press. A second press, or someone else's, is answered by the service's reason."""
    notice_id = pressed(update, NoticeSign).notice_id
    on_card = _on_card(update, notice_id)
    try:
        await call(context, supervision.sign, actor_id=context.person.id, notice_id=notice_id, now=now(context),
                   tz=context.deps.settings.tz)
    except InvalidInput:
        if on_card:  # signed meanwhile (or closed): the card shows how things are now
            with contextlib.suppress(DomainError):
                await _show(update, context, notice_id, edit=True)
        raise
    if not on_card:
        await _drop_button(update, NoticeSign)
    await _show(update, context, notice_id, edit=on_card, notice=texts.NT_SIGNED_DONE)


@answering()
async def send_doc(update: Update, context: BotContext) -> str:
    await call(context, supervision.send_docx, actor_id=context.person.id,
               notice_id=pressed(update, NoticeDoc).notice_id, now=now(context))
    return texts.NT_DOC_SENDING


# --- typed steps: one persistent conversation -------------------------------------------------


def _cancel_row(notice_id: int):
    return [button(texts.NT_BUTTON_CANCEL, NoticeCancel(notice_id).pack())]


def _view_markup(notice_id: int) -> InlineKeyboardMarkup:
    return inline([[button(texts.SV_VIEW, NoticeOpen(notice_id).pack())]])


async def _begin(update: Update, context: BotContext, action: str, code: type[Code], **extra) -> NoticeCard:
    """The card, if `action` is offered to this person now (else the service says why), and the draft."""
    notice_id = pressed(update, code).notice_id
    card = await _card(context, notice_id, action=action)
    context.user_data[DRAFT_KEY] = {"action": action, "notice": notice_id, "number": card.view.number, **extra}
    return card


def _typed(update: Update, limit: int) -> tuple[str | None, str | None]:
    """(text, None), or (None, what to tell the person)."""
    text = (update.message.text or "").strip()
    if len(text) > limit:
        return None, texts.TOO_LONG.format(limit=limit)
    if len(text) < TEXT_MIN:
        return None, texts.NT_TOO_SHORT
    return text, None


async def _still_offered(context: BotContext, draft: dict) -> bool:
    """After a refusal: is the action still possible (then the input was the problem)?"""
    try:
        if draft["action"] == "answer":
            await call(context, supervision.open_request, actor_id=context.person.id, entry_id=draft["entry"])
        else:
            await _card(context, draft["notice"], action=draft["action"])
    except DomainError:
        return False
    return True


async def _give_up(update: Update, context: BotContext, draft: dict, error: DomainError) -> int:
    """The notice moved on meanwhile (signed, decided, closed) or access is gone: say why and end."""
    context.user_data.pop(DRAFT_KEY, None)
    await update.effective_chat.send_message(esc(error.message), reply_markup=_view_markup(draft["notice"]))
    return ConversationHandler.END


async def _complete(update: Update, context: BotContext, draft: dict, fn: Callable, retry_state: int, done: str,
                    *, edit: bool = False, **kwargs) -> int:
    """The last step: one service call, then the card with what was done on top."""
    try:
        result = await call(context, fn, actor_id=context.person.id, now=now(context), **kwargs)
    except InvalidInput as exc:
        if await _still_offered(context, draft):
            await update.effective_chat.send_message(texts.NT_RETRY.format(error=esc(exc.message)))
            return retry_state
        return await _give_up(update, context, draft, exc)
    except DomainError as exc:
        return await _give_up(update, context, draft, exc)
    context.user_data.pop(DRAFT_KEY, None)
    if draft["action"] == "reissue":  # the new notice, with its own number, went to the unit
        text = texts.NT_DONE_REISSUE.format(new=result.number, level=texts.SV_LEVEL_LABELS[result.level.value],
                                            unit=esc(draft["unit"]), old=draft["number"])
        await reply(update, text, reply_markup=_view_markup(result.id), edit=edit)
        return ConversationHandler.END
    try:
        await _show(update, context, draft["notice"], edit=edit, notice=done)
    except DomainError:  # e.g. no longer visible: the change itself is done
        await reply(update, esc(done), edit=edit)
    return ConversationHandler.END


# the unit: progress, result, overdue reason, answer to a request — text or voice, then files

def _collect_keyboard(notice_id: int) -> InlineKeyboardMarkup:
    return inline([[button(texts.NT_BUTTON_DONE, NoticeCollectDone(notice_id).pack()), *_cancel_row(notice_id)]])


@requires()
async def start_entry(update: Update, context: BotContext) -> int:
    code = type(pressed_one_of(update, ENTRY_KINDS))
    kind = ENTRY_KINDS[code]
    card = await _begin(update, context, kind, code, texts=[], files=[], voices=0)
    text = texts.NT_ASK_ENTRY.format(kind=texts.SV_ENTRY_LABELS[kind], number=card.view.number)
    await reply(update, text, reply_markup=_collect_keyboard(card.view.id))
    return COLLECT


@requires()
async def start_answer(update: Update, context: BotContext) -> int:
    request = await call(context, supervision.open_request, actor_id=context.person.id,
                         entry_id=pressed(update, NoticeAnswer).entry_id)
    context.user_data[DRAFT_KEY] = {"action": "answer", "notice": request.notice_id, "number": request.number,
                                    "entry": request.id, "label": request.label, "texts": [], "files": [],
                                    "voices": 0}
    text = texts.NT_ASK_ANSWER.format(label=request.label, number=request.number, text=esc(clip(request.text, 500)))
    await reply(update, text, reply_markup=_collect_keyboard(request.notice_id))
    return COLLECT


def _text_room(draft: dict, extra: str) -> bool:
    return len("\n".join([*draft["texts"], extra])) <= MAX_TEXT


async def _ack(update: Update, draft: dict) -> None:
    text = texts.NT_GOT.format(texts=len(draft["texts"]), voices=draft["voices"],
                               files=len(draft["files"]) - draft["voices"])
    await update.effective_chat.send_message(text, reply_markup=_collect_keyboard(draft["notice"]))


@requires()
async def collect_text(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, *COLLECTING)
    if draft is None:
        return await DRAFTS.lost(update, context)
    text = (update.message.text or "").strip()
    if text == texts.NT_DONE_WORD:
        return await _finish_collect(update, context, draft)
    if not _text_room(draft, text):
        await update.effective_chat.send_message(texts.NT_COLLECT_TOO_LONG.format(limit=MAX_TEXT))
        return COLLECT
    draft["texts"].append(text)
    await _ack(update, draft)
    return COLLECT


@requires()
async def collect_file(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, *COLLECTING)
    if draft is None:
        return await DRAFTS.lost(update, context)
    caption = (update.message.caption or "").strip()
    if caption and not _text_room(draft, caption):
        await update.effective_chat.send_message(texts.NT_COLLECT_TOO_LONG.format(limit=MAX_TEXT))
        return COLLECT
    draft["files"].append(file_input(update.message))
    draft["voices"] += 1 if update.message.voice else 0
    if caption:
        draft["texts"].append(caption)
    await _ack(update, draft)
    return COLLECT


async def collect_wrong_type(update: Update, context: BotContext) -> int:
    await update.effective_chat.send_message(texts.NT_COLLECT_WRONG_TYPE)
    return COLLECT


@requires()
async def collect_done(update: Update, context: BotContext) -> int:
    return await _finish_collect(update, context, DRAFTS.get(update, context, *COLLECTING))


async def _finish_collect(update: Update, context: BotContext, draft: dict) -> int:
    if not draft["texts"] and not draft["voices"]:
        await update.effective_chat.send_message(texts.NT_EMPTY)
        return COLLECT
    text = "\n".join(draft["texts"]) or texts.NT_VOICE_TEXT  # a voice message stands for the text
    files = tuple(FileInput(**f) for f in draft["files"])
    if draft["action"] == "answer":
        return await _complete(update, context, draft, supervision.answer_request, COLLECT,
                               texts.NT_DONE_ANSWER.format(label=draft["label"]), entry_id=draft["entry"],
                               text=text, files=files)
    kind = draft["action"]
    return await _complete(update, context, draft, supervision.add_entry, COLLECT,
                           texts.NT_DONE_ENTRY.format(kind=texts.SV_ENTRY_LABELS[kind]), notice_id=draft["notice"],
                           kind=kind, text=text, files=files)


# the unit: 已告知当事人

@requires()
async def start_party(update: Update, context: BotContext) -> int:
    card = await _begin(update, context, "party", NoticeParty)
    await reply(update, texts.NT_ASK_PARTY.format(number=card.view.number), reply_markup=inline([_cancel_row(card.view.id)]))
    return PARTY_TEXT


@requires()
async def party_text(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "party")
    if draft is None:
        return await DRAFTS.lost(update, context)
    text, problem = _typed(update, MAX_TEXT)
    if problem:
        await update.effective_chat.send_message(problem)
        return PARTY_TEXT
    return await _complete(update, context, draft, supervision.record_party_notice, PARTY_TEXT, texts.NT_DONE_PARTY,
                           notice_id=draft["notice"], text=text)


# the director: 认可结果 — directly or with a note

@requires()
async def start_accept(update: Update, context: BotContext) -> int:
    card = await _begin(update, context, "accept", NoticeAccept)
    notice_id = card.view.id
    rows = [[button(texts.NT_ACCEPT_DIRECT, NoticeAcceptDirect(notice_id).pack()),
             button(texts.NT_ACCEPT_WITH_NOTE, NoticeAcceptWithNote(notice_id).pack())],
            _cancel_row(notice_id)]
    await reply(update, texts.NT_ASK_ACCEPT.format(number=card.view.number), reply_markup=inline(rows))
    return ACCEPT_CHOICE


@requires()
async def accept_direct(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "accept")
    return await _complete(update, context, draft, supervision.accept_result, ACCEPT_CHOICE, texts.NT_DONE_ACCEPT,
                           edit=True, notice_id=draft["notice"])


@requires()
async def accept_with_note(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "accept")
    await reply(update, texts.NT_ASK_ACCEPT_NOTE.format(number=draft["number"]),
                reply_markup=inline([_cancel_row(draft["notice"])]), edit=True)
    return ACCEPT_NOTE


@requires()
async def accept_note(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "accept")
    if draft is None:
        return await DRAFTS.lost(update, context)
    note, problem = _typed(update, MAX_TEXT)
    if problem:
        await update.effective_chat.send_message(problem)
        return ACCEPT_NOTE
    return await _complete(update, context, draft, supervision.accept_result, ACCEPT_NOTE, texts.NT_DONE_ACCEPT,
                           notice_id=draft["notice"], note=note)


# the director: 不认可，重新督办 — reason → new deadline → level → preview → confirm

async def _reissue_form(context: BotContext, draft: dict, due_date: date | None = None):
    return await call(context, supervision.reissue_form, actor_id=context.person.id, notice_id=draft["notice"],
                      now=now(context), policy=context.deps.policy.deadlines, due_date=due_date)


def _today(context: BotContext) -> date:
    return now(context).astimezone(context.deps.settings.tz).date()


@requires()
async def start_reissue(update: Update, context: BotContext) -> int:
    card = await _begin(update, context, "reissue", NoticeReissue)
    context.user_data[DRAFT_KEY]["unit"] = card.view.unit_name
    await reply(update, texts.NT_ASK_REJECT_REASON.format(number=card.view.number),
                reply_markup=inline([_cancel_row(card.view.id)]))
    return REJECT_REASON


@requires()
async def reject_reason(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "reissue")
    if draft is None:
        return await DRAFTS.lost(update, context)
    reason, problem = _typed(update, MAX_TEXT)
    if problem:
        await update.effective_chat.send_message(problem)
        return REJECT_REASON
    try:
        form = await _reissue_form(context, draft)
    except DomainError as exc:
        return await _give_up(update, context, draft, exc)
    draft["reason"] = reason
    choices = [button(texts.DL_DATE_CHOICE.format(date=date_label(day), n=n), NoticeReissueDate(form.notice_id, day).pack())
               for n, day in form.choices]
    example = form.choices[-1][1].isoformat()
    await update.effective_chat.send_message(texts.NT_ASK_REISSUE_DATE.format(example=example),
                                             reply_markup=inline([*grid(choices, 2), _cancel_row(form.notice_id)]))
    return REJECT_DATE


@requires()
async def reissue_date_pressed(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "reissue")
    if "reason" not in draft:
        raise StaleButton()
    day = pressed(update, NoticeReissueDate).day
    return await _take_date(update, context, draft, day, edit=True)


@requires()
async def reissue_date_typed(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "reissue")
    if draft is None:
        return await DRAFTS.lost(update, context)
    day = parse_date(update.message.text or "", _today(context))
    if day is None:
        await update.effective_chat.send_message(texts.NT_BAD_DATE.format(example=_today(context).isoformat()))
        return REJECT_DATE
    return await _take_date(update, context, draft, day, edit=False)


async def _take_date(update: Update, context: BotContext, draft: dict, day: date, *, edit: bool) -> int:
    try:
        form = await _reissue_form(context, draft, due_date=day)
    except InvalidInput as exc:
        if not await _still_offered(context, draft):
            return await _give_up(update, context, draft, exc)
        await update.effective_chat.send_message(texts.NT_DATE_RETRY.format(error=esc(exc.message)))
        return REJECT_DATE
    except DomainError as exc:
        return await _give_up(update, context, draft, exc)
    draft["date"], draft["due"] = day.isoformat(), form.new_due
    draft["levels"] = [lv.value for lv in form.levels]
    draft["requirements"] = form.requirements
    choices = [button(f"{texts.SV_LEVEL_MARKS[lv.value]} {texts.SV_LEVEL_LABELS[lv.value]}",
                      NoticeReissueLevel(form.notice_id, lv).pack()) for lv in form.levels]
    text = texts.NT_ASK_LEVEL.format(due=form.new_due, level=texts.SV_LEVEL_LABELS[form.level.value])
    await reply(update, text, reply_markup=inline([choices, _cancel_row(form.notice_id)]), edit=edit)
    return REJECT_LEVEL


@requires()
async def reissue_level(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "reissue")
    level = pressed(update, NoticeReissueLevel).level.value
    if "date" not in draft or level not in draft.get("levels", []):
        raise StaleButton()
    draft["level"] = level
    text = texts.NT_REISSUE_PREVIEW.format(
        number=draft["number"], reason=esc(clip(draft["reason"], 500)), unit=esc(draft["unit"]), due=draft["due"],
        mark=texts.SV_LEVEL_MARKS[level], level=texts.SV_LEVEL_LABELS[level],
        requirements=esc(clip(draft["requirements"], 500)),
    )
    rows = [[button(texts.NT_CONFIRM_REISSUE, NoticeConfirm(draft["notice"]).pack()), *_cancel_row(draft["notice"])]]
    await reply(update, text, reply_markup=inline(rows), edit=True)
    return CONFIRM


# the director: 调阅 / 汇报 — own words or the default

@requires()
async def start_request(update: Update, context: BotContext) -> int:
    code = type(pressed_one_of(update, REQUEST_KINDS))
    kind = REQUEST_KINDS[code]
    card = await _begin(update, context, kind, code)
    rows = [[button(texts.NT_USE_DEFAULT, NoticeUseDefault(card.view.id).pack()), *_cancel_row(card.view.id)]]
    text = texts.NT_ASK_REQUEST.format(label=texts.SV_REQUEST_LABELS[kind], number=card.view.number,
                                       default=texts.SV_REQUEST_DEFAULTS[kind])
    await reply(update, text, reply_markup=inline(rows))
    return REQUEST_TEXT


async def _send_request(update: Update, context: BotContext, draft: dict, text: str | None, *, edit: bool) -> int:
    kind = draft["action"]
    fn = supervision.request_materials if kind == "materials" else supervision.request_briefing
    done = texts.NT_DONE_REQUEST.format(label=texts.SV_REQUEST_LABELS[kind])
    return await _complete(update, context, draft, fn, REQUEST_TEXT, done, edit=edit, notice_id=draft["notice"],
                           text=text)


@requires()
async def request_default(update: Update, context: BotContext) -> int:
    return await _send_request(update, context, DRAFTS.get(update, context, *REQUEST_KINDS.values()), None, edit=True)


@requires()
async def request_text(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, *REQUEST_KINDS.values())
    if draft is None:
        return await DRAFTS.lost(update, context)
    text, problem = _typed(update, MAX_TEXT)
    if problem:
        await update.effective_chat.send_message(problem)
        return REQUEST_TEXT
    return await _send_request(update, context, draft, text, edit=False)


# a leader or the director: 结案 / 移送 — (the receiving department) → note → confirm

def _what(draft: dict) -> str:
    if draft["action"] == "transfer":
        return texts.NT_TRANSFER_WHAT.format(department=draft["department"])
    return texts.NT_CLOSE_WHAT


@requires()
async def start_close(update: Update, context: BotContext) -> int:
    code = type(pressed_one_of(update, CLOSE_KINDS))
    action = CLOSE_KINDS[code]
    card = await _begin(update, context, action, code)
    rows = inline([_cancel_row(card.view.id)])
    if action == "transfer":
        await reply(update, texts.NT_ASK_DEPARTMENT.format(number=card.view.number), reply_markup=rows)
        return DEPARTMENT
    await reply(update, texts.NT_ASK_CLOSE_NOTE.format(what=texts.NT_CLOSE_WHAT, number=card.view.number),
                reply_markup=rows)
    return CLOSE_NOTE


@requires()
async def department_typed(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "transfer")
    if draft is None:
        return await DRAFTS.lost(update, context)
    department, problem = _typed(update, DEPARTMENT_MAX)
    if problem:
        await update.effective_chat.send_message(problem)
        return DEPARTMENT
    draft["department"] = department
    text = texts.NT_ASK_CLOSE_NOTE.format(what=esc(_what(draft)), number=draft["number"])
    await update.effective_chat.send_message(text, reply_markup=inline([_cancel_row(draft["notice"])]))
    return CLOSE_NOTE


@requires()
async def close_note(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "close", "transfer")
    if draft is None:
        return await DRAFTS.lost(update, context)
    note, problem = _typed(update, MAX_TEXT)
    if problem:
        await update.effective_chat.send_message(problem)
        return CLOSE_NOTE
    draft["note"] = note
    text = texts.NT_CLOSE_PREVIEW.format(number=draft["number"], what=esc(_what(draft)), note=esc(clip(note, 500)))
    rows = [[button(texts.NT_CONFIRM_CLOSE, NoticeConfirm(draft["notice"]).pack()), *_cancel_row(draft["notice"])]]
    await update.effective_chat.send_message(text, reply_markup=inline(rows))
    return CONFIRM


# confirm: 重新督办, 结案, 移送

@requires()
async def confirm(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "reissue", "close", "transfer")
    if draft["action"] == "reissue":
        if "level" not in draft:
            raise StaleButton()
        return await _complete(update, context, draft, supervision.reject_and_reissue, REJECT_DATE, "", edit=True,
                               notice_id=draft["notice"], reason=draft["reason"],
                               due_date=date.fromisoformat(draft["date"]), level=draft["level"],
                               policy=context.deps.policy.deadlines, style=context.deps.notice_style)
    if "note" not in draft:
        raise StaleButton()
    transfer = draft["action"] == "transfer"
    done = texts.NT_DONE_CLOSE.format(number=draft["number"], what=_what(draft))
    return await _complete(update, context, draft, supervision.close_or_transfer, CLOSE_NOTE, done, edit=True,
                           notice_id=draft["notice"], transfer=transfer, note=draft["note"],
                           department=draft.get("department"), tz=context.deps.settings.tz)


# hints, cancel, timeout

async def text_wrong_type(update: Update, context: BotContext) -> None:
    await update.effective_chat.send_message(texts.NT_TEXT_WRONG_TYPE)


async def buttons_wrong_type(update: Update, context: BotContext) -> None:
    await update.effective_chat.send_message(texts.NT_BUTTONS_WRONG_TYPE)


async def date_wrong_type(update: Update, context: BotContext) -> None:
    await update.effective_chat.send_message(texts.NT_DATE_WRONG_TYPE.format(example=_today(context).isoformat()))


async def request_wrong_type(update: Update, context: BotContext) -> None:
    await update.effective_chat.send_message(texts.NT_REQUEST_WRONG_TYPE)


async def cancel(update: Update, context: BotContext) -> int:
    draft = context.user_data.pop(DRAFT_KEY, None)
    markup = _view_markup(draft["notice"]) if draft and draft.get("notice") else None
    await update.effective_chat.send_message(texts.NT_CANCELLED, reply_markup=markup)
    return ConversationHandler.END


@requires()
async def cancel_button(update: Update, context: BotContext) -> int:
    draft = context.user_data.get(DRAFT_KEY)
    if not draft or pressed(update, NoticeCancel).notice_id != draft.get("notice"):
        raise StaleButton()
    context.user_data.pop(DRAFT_KEY, None)
    await reply(update, texts.NT_CANCELLED, reply_markup=_view_markup(draft["notice"]), edit=True)
    return ConversationHandler.END


# --- wiring -----------------------------------------------------------------------------------


def build_notice_conversation() -> ConversationHandler:
    text = filters.TEXT & ~filters.COMMAND
    other = ~filters.COMMAND
    media = filters.PHOTO | filters.VIDEO | filters.VOICE | filters.AUDIO | filters.Document.ALL
    return Flow(
        entry_points=[
            CallbackQueryHandler(start_entry, pattern=any_of(*ENTRY_KINDS)),
            CallbackQueryHandler(start_answer, pattern=NoticeAnswer.pattern()),
            CallbackQueryHandler(start_party, pattern=NoticeParty.pattern()),
            CallbackQueryHandler(start_accept, pattern=NoticeAccept.pattern()),
            CallbackQueryHandler(start_reissue, pattern=NoticeReissue.pattern()),
            CallbackQueryHandler(start_request, pattern=any_of(*REQUEST_KINDS)),
            CallbackQueryHandler(start_close, pattern=any_of(*CLOSE_KINDS)),
        ],
        states={
            COLLECT: [
                CallbackQueryHandler(collect_done, pattern=NoticeCollectDone.pattern()),
                MessageHandler(text, collect_text),
                MessageHandler(media, collect_file),
                MessageHandler(other, collect_wrong_type),
            ],
            PARTY_TEXT: [MessageHandler(text, party_text), MessageHandler(other, text_wrong_type)],
            ACCEPT_CHOICE: [
                CallbackQueryHandler(accept_direct, pattern=NoticeAcceptDirect.pattern()),
                CallbackQueryHandler(accept_with_note, pattern=NoticeAcceptWithNote.pattern()),
                MessageHandler(other, buttons_wrong_type),
            ],
            ACCEPT_NOTE: [MessageHandler(text, accept_note), MessageHandler(other, text_wrong_type)],
            REJECT_REASON: [MessageHandler(text, reject_reason), MessageHandler(other, text_wrong_type)],
            REJECT_DATE: [
                CallbackQueryHandler(reissue_date_pressed, pattern=NoticeReissueDate.pattern()),
                MessageHandler(text, reissue_date_typed),
                MessageHandler(other, date_wrong_type),
            ],
            REJECT_LEVEL: [
                CallbackQueryHandler(reissue_level, pattern=NoticeReissueLevel.pattern()),
                MessageHandler(other, buttons_wrong_type),
            ],
            CONFIRM: [
                CallbackQueryHandler(confirm, pattern=NoticeConfirm.pattern()),
                MessageHandler(other, buttons_wrong_type),
            ],
            REQUEST_TEXT: [
                CallbackQueryHandler(request_default, pattern=NoticeUseDefault.pattern()),
                MessageHandler(text, request_text),
                MessageHandler(other, request_wrong_type),
            ],
            DEPARTMENT: [MessageHandler(text, department_typed), MessageHandler(other, text_wrong_type)],
            CLOSE_NOTE: [MessageHandler(text, close_note), MessageHandler(other, text_wrong_type)],
        },
        fallbacks=[
            CommandHandler("cancel", cancel),
            CallbackQueryHandler(cancel_button, pattern=NoticeCancel.pattern()),
        ],
        name="notice_action",
        timeout=TIMEOUT_SECONDS,
        draft=DRAFT_KEY, timeout_text=texts.NT_TIMEOUT,
    )


def handlers() -> list[BaseHandler]:
    """New objects per call: a ConversationHandler keeps per-application state (its conversations
    and timeout jobs), and each Application (a restart builds a new one) needs its own."""
    return [
        build_notice_conversation(),
        CallbackQueryHandler(view, pattern=NoticeOpen.pattern()),
        CallbackQueryHandler(refresh, pattern=NoticeRefresh.pattern()),
        CallbackQueryHandler(sign, pattern=NoticeSign.pattern()),
        CallbackQueryHandler(send_doc, pattern=NoticeDoc.pattern()),
    ]
