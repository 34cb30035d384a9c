"""The case card (/case, and the 查看事项 button on every notification), its actions, /mycases and /search.

One-press actions (受理, 分派 menus, 满意度, 归档, 保密, 附件) are stateless buttons whose data carries ids;
the services check every press again (role, visibility, current state). Steps where a person types
(进展, 转办, 办结, 答复, 不予受理, 分派要求, /search without a keyword) are one persistent conversation,
"case_action", whose pending action and case id live in user_data as plain JSON.
"""

import contextlib
import re
from collections.abc import Callable
from datetime import datetime
from enum import IntEnum
from typing import TypeVar

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
    CASE_ACTIONS,
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
    CaseAccept,
    CaseArchive,
    CaseArchiveConfirm,
    CaseAssign,
    CaseAssignPeople,
    CaseAssignPerson,
    CaseAssignUnit,
    CaseAssignUnits,
    CaseConfidential,
    CaseDecline,
    CaseFile,
    CaseFiles,
    CaseListState,
    CaseLocation,
    CaseProgress,
    CaseRefresh,
    CaseReply,
    CaseResolve,
    CaseSatisfaction,
    CaseSatisfactionLegacy,
    CaseSatisfactionLevel,
    CaseTransfer,
    CaseUnconfidential,
    CaseView,
    Code,
    MyCases,
    MyCasesTab,
    SearchPage,
    SuperviseCase,
    any_of,
)
from bot.context import BotContext
from bot.keyboards import button, code_pager, grid, inline
from bot.services import cases, directory
from bot.services.case_card import CaseCard, case_card
from bot.services.cases import CaseRef, FileInput, InvalidTransition
from bot.services.errors import DomainError, InvalidInput, NotAllowed
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
    vocab_part,
)
from handlers.deadlines import action_buttons as deadline_action_buttons
from handlers.forms import CARD_LIMIT, Drafts, clip, file_input, line, utf16
from models import Agreement, Outcome, ReplyMethod, Role, Satisfaction, Vocabulary


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
SEARCH_KEY = "case_search"  # {"q": keyword, "n": serial of the search, so old pager buttons go stale}
TIMEOUT_SECONDS = 1800  # taking photos on site can take a while
PAGE_SIZE = 8
HISTORY_SHOWN = 10
TRANSFER_TO_LIMIT = 100  # the column's size; the service checks it again
SEARCHERS = (Role.staff, Role.leader, Role.director, Role.secretary)
CASE_NUMBER_RE = re.compile(r"^(\d{4})\s*[-－—_]\s*(\d{1,5})$")
TIME_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*(\d{1,2})[:：点](\d{2})分?$")
HOUR_RE = re.compile(r"^(\d{1,2})[:：点](\d{2})分?$")

# 包案 step on the card → its button's data (handlers/baoan.py)
BAOAN_DATA = {"propose": "ba:new:{id}", "plan": "ba:plan:{id}", "extend": "ba:ext:{id}", "complete": "ba:done:{id}"}
FILE_SENDERS = {"photo": "send_photo", "video": "send_video", "voice": "send_voice", "audio": "send_audio",
                "document": "send_document"}


# --- rendering --------------------------------------------------------------------------------


def _at(moment: datetime | None, tz, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return moment.astimezone(tz).strftime(fmt) if moment else ""


def _parties(card: CaseCard) -> str:
    shown = []
    for name, phone, id_number in card.parties[:5]:
        shown.append(" ".join(p for p in (clip(name, 20), phone, id_number) if p))
    more = texts.CARD_PARTIES_MORE.format(n=len(card.parties)) if len(card.parties) > 5 else ""
    return "；".join(shown) + more


def _deadline_state(light) -> str:
    """「（🟡 剩 1 个工作日）」「（按期办结）」, or nothing: never an empty 「（ ）」."""
    state = " ".join(p for p in (light.symbol, light.left) if p)
    return texts.CARD_DEADLINE_STATE.format(state=state) if state else ""


def render_card(card: CaseCard, tz, notice: str = "") -> str:
    """The card as HTML: built as plain text, trimmed to Telegram's limit, then escaped as a whole."""
    marks = (texts.CARD_MARK_URGENT if card.urgent else "") + (texts.CARD_MARK_CONFIDENTIAL if card.confidential else "")
    title = texts.CARD_TITLE.format(number=card.number, marks=marks)
    lines = [
        texts.CARD_STATUS.format(status=texts.STATUS_LABELS[card.status]),
        *([texts.CARD_DEADLINE.format(
            due=card.deadline.due, state=_deadline_state(card.deadline),
            provisional=texts.CARD_PROVISIONAL if card.deadline.provisional else "")] if card.deadline else []),
        texts.CARD_TYPE.format(type=card.type_name or texts.CARD_NONE, severity=texts.SEVERITY_LABELS[card.severity],
                               source=texts.SOURCE_LABELS[card.source]),
    ]
    place = " · ".join(p for p in (card.village, clip(card.address, 200)) if p) or texts.CARD_NONE
    gps = texts.CARD_GPS if card.latitude is not None and card.longitude is not None else ""
    if card.reporter_view:
        lines.insert(0, texts.CARD_REPORTER_VIEW)
    lines.append(texts.CARD_PLACE.format(place=place, gps=gps))
    if card.occurred_at:
        lines.append(texts.CARD_OCCURRED.format(at=_at(card.occurred_at, tz)))
    if card.parties:
        lines.append(texts.CARD_PARTIES.format(parties=_parties(card)))
    if card.people_count:
        lines.append(texts.CARD_PEOPLE.format(n=texts.people_count_label(card.people_count, card.people_count_approx)))
    if card.amount:
        lines.append(texts.CARD_AMOUNT.format(amount=f"{card.amount:g}"))
    lines.append(texts.CARD_DESCRIPTION.format(text=clip(card.description, 800)))
    if card.request:
        lines.append(texts.CARD_REQUEST.format(text=clip(card.request, 300)))
    lines.append(texts.CARD_REPORTER.format(name=card.reporter or texts.CARD_NONE, at=_at(card.created_at, tz)))
    if card.first_inquiry:
        lines.append(texts.CARD_FIRST_INQUIRY.format(name=card.first_inquiry))
    if card.handler or card.unit:
        lines.append(texts.CARD_HANDLER.format(who=" / ".join(p for p in (card.handler, card.unit) if p)))
    if card.baoan.leader:
        lines.append(texts.CARD_BAOAN_LEADER.format(name=card.baoan.leader))
    if card.baoan.plan:
        lines.append(texts.CARD_BAOAN_PLAN.format(text=clip(card.baoan.plan, 300)))
    for n in card.notices:
        lines.append(texts.CARD_NOTICE.format(number=n.number, unit=n.unit, due=n.due,
                                              level=texts.SV_LEVEL_LABELS[n.level.value]))
    if card.transfer_to:
        lines.append(texts.CARD_TRANSFER.format(to=clip(card.transfer_to, 100)))
    if card.guidance:
        lines.append(texts.CARD_GUIDANCE.format(text=clip(card.guidance, 300)))
    if card.outcome:
        lines.append(texts.CARD_OUTCOME.format(outcome=card.outcome, agreement=card.agreement or texts.CARD_NONE))
    if card.result:
        lines.append(texts.CARD_RESULT.format(text=clip(card.result, 500)))
    if card.reply_method:
        lines.append(texts.CARD_REPLY.format(method=card.reply_method, at=_at(card.replied_at, tz)))
    if card.satisfaction:
        lines.append(texts.CARD_SATISFACTION.format(level=card.satisfaction))
    if card.duplicate_of:
        lines.append(texts.CARD_DUPLICATE.format(number=card.duplicate_of))
    if card.files:
        lines.append(texts.CARD_FILES.format(n=len(card.files)))
    history = [
        texts.CARD_HISTORY_LINE.format(at=_at(h.at, tz, "%m-%d %H:%M"), actor=clip(h.actor, 20) or "系统",
                                       action=h.action, note=f"：{line(h.note, 60)}" if h.note else "")
        for h in card.history[-HISTORY_SHOWN:]
    ]
    head = f"{notice}\n" if notice else ""

    def assemble(entries: list[str]) -> str:
        parts = list(lines)
        if entries:
            parts.append(texts.CARD_HISTORY.format(shown=len(entries), total=len(card.history)))
            parts += entries
        return "\n".join(parts)

    body = assemble(history)
    while history and utf16(head + title + body) > CARD_LIMIT:
        history = history[1:]  # the oldest entries go first
        body = assemble(history)
    if utf16(head + title + body) > CARD_LIMIT:  # only with absurd data; cut the plain text
        body = body[: max(CARD_LIMIT - utf16(head + title) - 200, 0)] + "…"
    return f"{esc(head)}<b>{esc(title)}</b>\n{esc(body)}"


def card_keyboard(card: CaseCard):
    actions = []
    for action in card.actions:
        if action in CASE_ACTIONS:
            actions.append(button(texts.ACTION_LABELS[action], CASE_ACTIONS[action](card.id).pack()))
    extra = []
    if card.files:
        extra.append(button(texts.CARD_BUTTON_FILES.format(n=len(card.files)), CaseFiles(card.id).pack()))
    if card.latitude is not None and card.longitude is not None:
        extra.append(button(texts.CARD_BUTTON_LOCATION, CaseLocation(card.id).pack()))
    extra.append(button(texts.CARD_BUTTON_REFRESH, CaseRefresh(card.id).pack()))
    timing = [button(label, data) for label, data in deadline_action_buttons(card.id, card.deadline_actions)]
    baoan = [button(texts.BA_CARD_BUTTONS[a], BAOAN_DATA[a].format(id=card.id)) for a in card.baoan.actions]
    if card.may_supervise:
        baoan.append(button(texts.CARD_BUTTON_SUPERVISE, SuperviseCase(card.id).pack()))
    baoan += [button(texts.CARD_BUTTON_NOTICE.format(number=n.number), f"sv:view:{n.id}") for n in card.notices]
    return inline([*grid(actions, 3), timing, *grid(baoan, 2), extra])


def _back(case_id: int):
    return button(texts.CARD_BUTTON_BACK, CaseRefresh(case_id).pack())


def _row(ref: CaseRef) -> str:
    urgent = texts.CARD_ROW_URGENT if ref.urgent else ""
    return texts.CARD_ROW.format(number=ref.number, status=texts.STATUS_LABELS[ref.status], urgent=urgent,
                                 summary=line(ref.summary, 14), light=f"{ref.light} " if ref.light else "")


# --- the card ---------------------------------------------------------------------------------


async def _card(context: BotContext, case_id: int) -> CaseCard:
    return await call(context, case_card, viewer_id=context.person.id, case_id=case_id, now=now(context),
                      policy=context.deps.policy.deadlines)


async def _show_card(update: Update, context: BotContext, case_id: int, *, edit: bool,
                     notice: str | Callable[[CaseCard], str] = "") -> None:
    card = await _card(context, case_id)
    text = notice(card) if callable(notice) else notice
    await reply(update, render_card(card, context.deps.settings.tz, text), reply_markup=card_keyboard(card),
                edit=edit, protect=card.confidential)


async def _show_card_after(update: Update, context: BotContext, case_id: int, *, edit: bool,
                           notice: str | Callable[[CaseCard], str]) -> None:
    """After a change the person may no longer see the case (e.g. it became confidential)."""
    try:
        await _show_card(update, context, case_id, edit=edit, notice=notice)
    except NotAllowed:
        await reply(update, texts.CARD_NOW_HIDDEN, edit=edit)


async def _refresh_quietly(update: Update, context: BotContext, case_id: int) -> None:
    """A stale press: show the card as it is now, so the buttons match the state again."""
    with contextlib.suppress(DomainError):
        await _show_card(update, context, case_id, edit=True)


async def _card_allowing(update: Update, context: BotContext, case_id: int, action: str) -> CaseCard:
    """The card, if `action` is offered to this person in the case's current state; else refresh and say why."""
    card = await _card(context, case_id)
    if action not in card.actions:
        await _show_card(update, context, case_id, edit=True)
        raise InvalidTransition(texts.CARD_ACTION_UNAVAILABLE.format(
            number=card.number, status=texts.STATUS_LABELS[card.status], action=texts.ACTION_LABELS[action]))
    return card


async def _act(update: Update, context: BotContext, case_id: int, fn: Callable, notice, **kwargs) -> CaseRef:
    """One press, one service call, then the refreshed card in place of the old one."""
    try:
        ref = await call(context, fn, actor_id=context.person.id, case_id=case_id, now=now(context), **kwargs)
    except InvalidTransition:
        await _refresh_quietly(update, context, case_id)
        raise
    await _show_card_after(update, context, case_id, edit=True, notice=notice)
    return ref


C = TypeVar("C", bound=Code)


def word_pressed(update: Update, code: type[C], legacy: type[Code], vocab: type[Vocabulary]) -> C:
    """A vocabulary button (办结结果, 协议类型, 答复方式, 满意度): by its member's name, or on a button sent
    before the enums by its position in LEGACY_ORDER, exactly as it was sent ("01" never was)."""
    try:
        return pressed(update, code)
    except StaleButton:
        old = pressed(update, legacy)
        if old.pack() != update.callback_query.data:
            raise
        return code(old.case_id, vocab_part([str(old.position)], 0, vocab))


@requires()
async def case_command(update: Update, context: BotContext) -> None:
    match = CASE_NUMBER_RE.match(" ".join(context.args or []).strip())
    if match is None:
        await update.effective_chat.send_message(texts.CASE_USAGE)
        return
    number = f"{match[1]}-{int(match[2]):04d}"
    case_id = await call(context, cases.find_by_number, number=number)
    await _show_card(update, context, case_id, edit=False)


@requires()
async def case_button(update: Update, context: BotContext) -> None:
    code = pressed_one_of(update, BUTTONS)
    await BUTTONS[type(code)](update, context, code)


async def _view(update, context, code: CaseView) -> None:
    # From a notification or a list: a new message, so the notification or list stays readable.
    await _show_card(update, context, code.case_id, edit=False)


async def _refresh(update, context, code: CaseRefresh) -> None:
    await _show_card(update, context, code.case_id, edit=True)


async def _accept(update, context, code: CaseAccept) -> None:
    await _act(update, context, code.case_id, cases.accept, texts.CARD_DONE_ACCEPT,
               policy=context.deps.policy.deadlines)


async def _assign_menu(update, context, code: CaseAssign) -> None:
    case_id = code.case_id
    card = await _card_allowing(update, context, case_id, "assign")
    rows = [[button(texts.ASSIGN_TO_PERSON, CaseAssignPeople(case_id, 0).pack()),
             button(texts.ASSIGN_TO_UNIT, CaseAssignUnits(case_id, 0).pack())],
            [_back(case_id)]]
    await reply(update, texts.ASSIGN_CHOOSE.format(number=esc(card.number)), reply_markup=inline(rows), edit=True)


def _page_of(items: list, page: int, size: int) -> tuple[list, int, int]:
    pages = max((len(items) + size - 1) // size, 1)
    page = min(max(page, 0), pages - 1)
    return items[page * size : (page + 1) * size], page, pages


async def _assign_people(update, context, code: CaseAssignPeople) -> None:
    case_id = code.case_id
    card = await _card_allowing(update, context, case_id, "assign")
    people = await call(context, directory.assignable_people)
    if not people:
        await reply(update, texts.ASSIGN_NO_PEOPLE, reply_markup=inline([[_back(case_id)]]), edit=True)
        return
    shown, page, pages = _page_of(people, code.page, 10)
    choices = [button(p.name + texts.ASSIGN_ROLE_MARKS.get(p.role, ""), CaseAssignPerson(case_id, p.id).pack())
               for p in shown]
    rows = [*grid(choices, 2), code_pager(CaseAssignPeople(case_id, page), pages), [_back(case_id)]]
    text = texts.ASSIGN_PEOPLE.format(number=esc(card.number), page=page + 1, pages=pages)
    await reply(update, text, reply_markup=inline(rows), edit=True)


async def _assign_units(update, context, code: CaseAssignUnits) -> None:
    case_id = code.case_id
    card = await _card_allowing(update, context, case_id, "assign")
    units = await call(context, directory.active_units)
    if not units:
        await reply(update, texts.ASSIGN_NO_UNITS, reply_markup=inline([[_back(case_id)]]), edit=True)
        return
    shown, page, pages = _page_of(units, code.page, 10)
    choices = [button(u.name + ("" if u.contacts else texts.ASSIGN_UNIT_NO_CONTACT), CaseAssignUnit(case_id, u.id).pack())
               for u in shown]
    rows = [*grid(choices, 2), code_pager(CaseAssignUnits(case_id, page), pages), [_back(case_id)]]
    text = texts.ASSIGN_UNITS.format(number=esc(card.number), page=page + 1, pages=pages)
    await reply(update, text, reply_markup=inline(rows), edit=True)


def _assigned_notice(card: CaseCard) -> str:
    return texts.CARD_DONE_ASSIGN.format(target=card.unit or card.handler)


async def _satisfaction_menu(update, context, code: CaseSatisfaction) -> None:
    case_id = code.case_id
    card = await _card_allowing(update, context, case_id, "satisfaction")
    levels = [button(level.value, CaseSatisfactionLevel(case_id, level).pack()) for level in Satisfaction]
    rows = [levels, [_back(case_id)]]
    await reply(update, texts.SATISFACTION_ASK.format(number=esc(card.number)), reply_markup=inline(rows), edit=True)


async def _satisfaction(update, context, code: CaseSatisfactionLevel | CaseSatisfactionLegacy) -> None:
    level = word_pressed(update, CaseSatisfactionLevel, CaseSatisfactionLegacy, Satisfaction).level
    notice = (texts.CARD_DONE_REOPENED if level == Satisfaction.dissatisfied
              else texts.CARD_DONE_SATISFACTION.format(level=level.value))
    await _act(update, context, code.case_id, cases.record_satisfaction, notice, level=level.value)


async def _archive_confirm(update, context, code: CaseArchive) -> None:
    case_id = code.case_id
    card = await _card_allowing(update, context, case_id, "archive")
    rows = [[button(texts.ARCHIVE_CONFIRM_BUTTON, CaseArchiveConfirm(case_id).pack()), _back(case_id)]]
    await reply(update, texts.ARCHIVE_CONFIRM.format(number=esc(card.number)), reply_markup=inline(rows), edit=True)


async def _archive(update, context, code: CaseArchiveConfirm) -> None:
    await _act(update, context, code.case_id, cases.archive, texts.CARD_DONE_ARCHIVE)


async def _confidential(update, context, code: CaseConfidential | CaseUnconfidential) -> None:
    flag = isinstance(code, CaseConfidential)
    await call(context, cases.set_confidential, actor_id=context.person.id, case_id=code.case_id,
               confidential=flag, now=now(context))
    notice = texts.CARD_DONE_CONFIDENTIAL if flag else texts.CARD_DONE_UNCONFIDENTIAL
    await _show_card_after(update, context, code.case_id, edit=True, notice=notice)


async def _files(update, context, code: CaseFiles) -> None:
    case_id = code.case_id
    card = await _card(context, case_id)
    if not card.files:
        await _show_card(update, context, case_id, edit=True)
        return
    counts: dict[str, int] = {}
    choices = []
    for file_id, kind, name in card.files:
        counts[kind] = counts.get(kind, 0) + 1
        label = texts.FILE_KIND_LABELS.get(kind, texts.FILE_KIND_LABELS["document"])
        choices.append(button(f"{label} {clip(name, 20) if name else counts[kind]}", CaseFile(file_id).pack()))
    rows = [*grid(choices, 2), [_back(case_id)]]
    text = texts.FILES_LIST.format(number=esc(card.number), n=len(card.files))
    await reply(update, text, reply_markup=inline(rows), edit=True)


async def _send_file(update, context, code: CaseFile) -> None:
    att = await call(context, cases.attachment, viewer_id=context.person.id, attachment_id=code.attachment_id)
    protect = await call(context, cases.attachment_protected, attachment_id=att.id)
    label = texts.FILE_KIND_LABELS.get(att.kind, texts.FILE_KIND_LABELS["document"])
    what = " ".join(p for p in (label, clip(att.file_name, 60), clip(att.note, 30)) if p)
    caption = texts.FILE_CAPTION.format(what=esc(what), at=_at(att.at, context.deps.settings.tz))
    send = getattr(update.effective_chat, FILE_SENDERS.get(att.kind, "send_document"))
    await send(att.file_id, caption=caption, protect_content=protect or None)


async def _location(update, context, code: CaseLocation) -> None:
    card = await _card(context, code.case_id)
    if card.latitude is None or card.longitude is None:
        raise StaleButton()
    await update.effective_chat.send_location(latitude=card.latitude, longitude=card.longitude)


# The card's one-press buttons, by code (the typed actions start the conversation below).
BUTTONS: dict[type[Code], Callable] = {
    CaseView: _view,
    CaseRefresh: _refresh,
    CaseAccept: _accept,
    CaseAssign: _assign_menu,
    CaseAssignPeople: _assign_people,
    CaseAssignUnits: _assign_units,
    CaseSatisfaction: _satisfaction_menu,
    CaseSatisfactionLevel: _satisfaction,
    CaseSatisfactionLegacy: _satisfaction,
    CaseArchive: _archive_confirm,
    CaseArchiveConfirm: _archive,
    CaseConfidential: _confidential,
    CaseUnconfidential: _confidential,
    CaseFiles: _files,
    CaseFile: _send_file,
    CaseLocation: _location,
}


# --- typed steps: one persistent conversation -------------------------------------------------


def _cancel_row(case_id: int):
    return [button(texts.CARD_BUTTON_CANCEL, ActionCancel(case_id).pack())]


async def _begin(update: Update, context: BotContext, code: type[Code], action: str, **extra) -> CaseCard:
    case_id = pressed(update, code).case_id
    card = await _card_allowing(update, context, case_id, action)
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
            await _show_card(update, context, pending["case"], edit=False)
        return ConversationHandler.END
    context.user_data.pop(ACTION_KEY, None)
    await _show_card_after(update, context, pending["case"], edit=edit, notice=notice)
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
    await _show_card_after(update, context, pending["case"], edit=True, notice=texts.CASE_ACTION_CANCELLED)
    return ConversationHandler.END


async def timed_out(update: object, context: BotContext) -> None:
    context.user_data.pop(ACTION_KEY, None)
    if isinstance(update, Update) and update.effective_chat:
        await update.effective_chat.send_message(texts.CASE_ACTION_TIMEOUT)


# --- /search ----------------------------------------------------------------------------------


async def _search_page(update: Update, context: BotContext, state: CaseListState, page: int, *, edit: bool) -> None:
    search = context.user_data.get(SEARCH_KEY) or {}
    query = search.get("q", "")
    found, total = await call(context, cases.search, viewer_id=context.person.id, query=query,
                              offset=page * PAGE_SIZE, limit=PAGE_SIZE, state=state.value, now=now(context),
                              policy=context.deps.policy.deadlines)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    if page >= pages and total:  # cases closed or hidden since: show the last page there is
        await _search_page(update, context, state, pages - 1, edit=edit)
        return
    serial = search.get("n", 0)
    filters_row = [button(("• " if s == state else "") + texts.LIST_FILTERS[s.value], SearchPage(serial, s, 0).pack())
                   for s in CaseListState]
    rows = [filters_row, *([button(_row(ref), CaseView(ref.id).pack())] for ref in found),
            code_pager(SearchPage(serial, state, page), pages)]
    fmt = texts.SEARCH_TITLE if total else texts.SEARCH_EMPTY
    text = fmt.format(query=esc(query), filter=texts.LIST_FILTERS[state.value], total=total, page=page + 1,
                      pages=pages)
    await reply(update, text, reply_markup=inline(rows), edit=edit)


async def _new_search(update: Update, context: BotContext, query: str) -> None:
    serial = (context.user_data.get(SEARCH_KEY) or {}).get("n", 0) + 1
    context.user_data[SEARCH_KEY] = {"q": query.strip(), "n": serial}
    await _search_page(update, context, CaseListState.a, 0, edit=False)


@requires(*SEARCHERS)
async def search_command(update: Update, context: BotContext) -> None:
    await _new_search(update, context, " ".join(context.args or []))


@requires(*SEARCHERS)
async def ask_search(update: Update, context: BotContext) -> int:
    await update.effective_chat.send_message(texts.SEARCH_ASK)
    return SEARCH_QUERY


@requires(*SEARCHERS)
async def search_typed(update: Update, context: BotContext) -> int:
    try:
        await _new_search(update, context, update.message.text or "")
    except InvalidInput as exc:
        await update.effective_chat.send_message(texts.CASE_ACTION_RETRY.format(error=esc(exc.message)))
        return SEARCH_QUERY
    return ConversationHandler.END


@requires(*SEARCHERS)
async def search_button(update: Update, context: BotContext) -> None:
    code = pressed(update, SearchPage)
    search = context.user_data.get(SEARCH_KEY) or {}
    if code.serial != search.get("n"):
        raise StaleButton()
    await _search_page(update, context, code.state, code.page, edit=True)


# --- /mycases ---------------------------------------------------------------------------------


def _tabs(person) -> list[MyCasesTab]:
    """Only the lists that make sense for this person's roles."""
    tabs = []
    if person.has(Role.grid, Role.staff, Role.leader, Role.director):
        tabs.append(MyCasesTab.r)
    if person.has(Role.staff, Role.leader, Role.director, Role.unit):
        tabs.append(MyCasesTab.a)
    if person.contact_village_ids:
        tabs.append(MyCasesTab.v)
    return tabs


async def _my_page(update: Update, context: BotContext, tab: MyCasesTab, state: CaseListState, page: int, *,
                   edit: bool) -> None:
    tabs = _tabs(context.person)
    if tab not in tabs:
        raise StaleButton()
    scope = tab.value
    found, total = await call(context, cases.list_cases, viewer_id=context.person.id, scope=scope,
                              state=state.value, offset=page * PAGE_SIZE, limit=PAGE_SIZE, now=now(context),
                              policy=context.deps.policy.deadlines)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    if page >= pages and total:
        await _my_page(update, context, tab, state, pages - 1, edit=edit)
        return
    tab_row = [button(("• " if t == tab else "") + texts.MYCASES_TABS[t.value], MyCases(t, state, 0).pack())
               for t in tabs] if len(tabs) > 1 else []
    filter_row = [button(("• " if s == state else "") + texts.LIST_FILTERS[s.value], MyCases(tab, s, 0).pack())
                  for s in CaseListState]
    rows = [tab_row, filter_row, *([button(_row(ref), CaseView(ref.id).pack())] for ref in found),
            code_pager(MyCases(tab, state, page), pages)]
    names = {"tab": texts.MYCASES_TABS[scope], "filter": texts.LIST_FILTERS[state.value]}
    if total:
        text = texts.MYCASES_TITLE.format(total=total, page=page + 1, pages=pages, **names)
    else:
        other = texts.MYCASES_EMPTY_OTHER_FILTER if state != CaseListState.a else ""
        text = texts.MYCASES_EMPTY.format(next=texts.MYCASES_EMPTY_NEXT[scope] + other, **names)
    await reply(update, text, reply_markup=inline(rows), edit=edit)


@requires()
async def mycases_command(update: Update, context: BotContext) -> None:
    tabs = _tabs(context.person)
    if not tabs:
        hint = texts.MYCASES_NO_TABS_SEARCH if context.person.has(*SEARCHERS) else texts.MYCASES_NO_TABS_HELP
        if context.person.has(Role.township_leader):  # their cases are the 包案 ones
            hint = texts.MYCASES_NO_TABS_BAOAN
        await update.effective_chat.send_message(texts.MYCASES_NO_TABS.format(next=hint))
        return
    tab = MyCasesTab.a if MyCasesTab.a in tabs else tabs[0]
    await _my_page(update, context, tab, CaseListState.o, 0, edit=False)


@requires()
async def mycases_button(update: Update, context: BotContext) -> None:
    code = pressed(update, MyCases)
    await _my_page(update, context, code.tab, code.state, code.page, edit=True)


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
        timed_out=timed_out,
    )


def handlers() -> list[BaseHandler]:
    """New objects per call: a ConversationHandler keeps per-application state (its conversations
    and timeout jobs), and each Application (a restart builds a new one) needs its own."""
    return [
        build_case_action_conversation(),
        CommandHandler("case", case_command),
        CommandHandler("search", search_command, has_args=True),
        CommandHandler("mycases", mycases_command),
        CallbackQueryHandler(case_button, pattern=any_of(*BUTTONS)),
        CallbackQueryHandler(mycases_button, pattern=MyCases.pattern()),
        CallbackQueryHandler(search_button, pattern=SearchPage.pattern()),
    ]
