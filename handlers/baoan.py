"""包案 (leader case responsibility) in chat: proposal, the secretary's decision, plan, extension,
completion, and /baoan.

One-press decisions are stateless buttons whose data carries ids (批准 BaoanApprove, 另选领导
BaoanPick then BaoanPicked, 批准延期 BaoanApproveExtension: bot/callbacks.py); the services
check every press again. Steps where a person types or sends files are one persistent
conversation, "baoan", whose draft lives in user_data as plain JSON:
    {"action": "propose", "case": 12, "number": "2026-0012", "leader": 3, "leader_name": "刘领导", "reason": "…"}
    {"action": "complete", "case": 12, "number": "2026-0012", "outcome": "调解成功", "summary": "…", "files": [...]}
    {"action": "refuse", "request": 7, "case": 12, "number": "2026-0012", "proposer": "王主任", "message": 55}
"""

import contextlib
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
    BAOAN_FAMILY,
    BaoanApprove,
    BaoanApproveExtension,
    BaoanBack,
    BaoanCancel,
    BaoanComplete,
    BaoanDate,
    BaoanExtend,
    BaoanExtensionConfirm,
    BaoanFilesDone,
    BaoanKeepDue,
    BaoanLeader,
    BaoanList,
    BaoanNoJoint,
    BaoanOutcome,
    BaoanOutcomeLegacy,
    BaoanPick,
    BaoanPicked,
    BaoanPlan,
    BaoanPropose,
    BaoanProposeConfirm,
    BaoanRefuse,
    BaoanRefuseExtension,
    BaoanUpper,
    CaseView,
    Code,
    any_of,
)
from bot.context import BotContext
from bot.keyboards import button, code_pager, grid, inline
from bot.services import baoan, cases, deadlines
from bot.services.baoan import ProposalView
from bot.services.case_card import CaseCard, case_card
from bot.services.cases import FileInput
from bot.services.deadlines import ChangeForm
from bot.services.errors import DomainError, InvalidInput, NotAllowed
from handlers.cases import card_keyboard, render_card
from handlers.common import (
    Flow,
    StaleButton,
    call,
    esc,
    local_today,
    now,
    pressed,
    reply,
    requires,
    say,
    word_pressed,
)
from handlers.deadlines import answering
from handlers.forms import Drafts, date_label, file_input, mark_done, parse_date
from models import BaoanStatus, Outcome, Role


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    PROPOSE_LEADER = 0
    PROPOSE_REASON = 1
    PROPOSE_CONFIRM = 2
    PLAN_TEXT = 3
    PLAN_DATE = 4
    EXTENSION_REASON = 5
    EXTENSION_DATE = 6
    EXTENSION_CONFIRM = 7
    DONE_OUTCOME = 8
    DONE_SUMMARY = 9
    DONE_FILES = 10
    DONE_JOINT = 11
    REFUSE_REASON = 12
    EXTENSION_NOTE = 13
    UPPER_TEXT = 14


# The short names the handlers use (a test checks each is the member of the same name).
(
    PROPOSE_LEADER, PROPOSE_REASON, PROPOSE_CONFIRM, PLAN_TEXT, PLAN_DATE, EXTENSION_REASON, EXTENSION_DATE,
    EXTENSION_CONFIRM, DONE_OUTCOME, DONE_SUMMARY, DONE_FILES, DONE_JOINT, REFUSE_REASON, EXTENSION_NOTE, UPPER_TEXT,
) = Step

DRAFT_KEY = "baoan_draft"
DRAFTS = Drafts(DRAFT_KEY, subject="case", lost_text=texts.BA_LOST)
TIMEOUT_SECONDS = 1800  # gathering the closing materials can take a while
PROPOSERS = tuple(baoan.PROPOSERS)  # 申请包案 (the service checks again)
LEADERS = tuple(baoan.LEADER_ROLES)  # the 包案领导's steps (the service checks it is their case)
FILES_MAX = 30
PENDING_SHOWN = 10
PAGE_SIZE = 10
LIST_STATES = {"o": "open", "a": "all"}
CARD_ACTIONS = {"new": "propose", "plan": "plan", "up": "upper", "ext": "extend", "done": "complete"}


# --- helpers ------------------------------------------------------------------------------------


def _cancel_row(case_id: int = 0):
    return [button(texts.BA_CANCEL, BaoanCancel(case_id).pack())]


def _view_markup(case_id: int) -> InlineKeyboardMarkup:
    return inline([[button(texts.NOTIFY_VIEW_BUTTON, CaseView(case_id).pack())]])



async def _card(context: BotContext, case_id: int) -> CaseCard:
    return await call(context, case_card, viewer_id=context.person.id, case_id=case_id, now=now(context),
                      policy=context.deps.policy.deadlines)


async def _show_card(update: Update, context: BotContext, case_id: int, notice: str, *, edit: bool) -> None:
    """The card as it is now, with what just happened on top (as the other card actions do)."""
    try:
        card = await _card(context, case_id)
    except DomainError:  # e.g. no longer visible: the notice alone
        await reply(update, esc(notice), edit=edit)
        return
    await reply(update, render_card(card, context.deps.settings.tz, notice), reply_markup=card_keyboard(card),
                edit=edit)


async def _card_offering(update: Update, context: BotContext, code: type[Code], action: str) -> CaseCard:
    """The card, if this 包案 step is offered to the person now; otherwise refresh it and say why."""
    card = await _card(context, pressed(update, code).case_id)
    if action in card.baoan.actions:
        return card
    await _show_card(update, context, card.id, "", edit=True)
    name = texts.BA_ACTION_NAMES[action]
    if action == "propose":
        if card.baoan.leader:
            raise InvalidInput(texts.BA_ALREADY_LEADER.format(number=card.number, leader=card.baoan.leader))
        raise InvalidInput(texts.BA_PROPOSE_UNAVAILABLE.format(number=card.number))
    if not card.baoan.leader:
        raise InvalidInput(texts.BA_NO_LEADER.format(number=card.number, action=name))
    if not card.baoan.mine:
        raise NotAllowed(texts.BA_NOT_LEADER.format(leader=card.baoan.leader, action=name))
    raise InvalidInput(texts.BA_UNAVAILABLE.format(number=card.number, status=texts.STATUS_LABELS[card.status],
                                                   action=name))


async def _give_up(update: Update, context: BotContext, draft: dict, error: DomainError, *, edit: bool) -> int:
    """The case or request moved on meanwhile (decided, closed, no longer visible): say why and end."""
    context.user_data.pop(DRAFT_KEY, None)
    markup = _view_markup(draft["case"]) if draft.get("case") else None
    await reply(update, esc(error.message), reply_markup=markup, edit=edit)
    return ConversationHandler.END


def _typed(update: Update, lo: int, hi: int) -> tuple[str | None, str | None]:
    """(text, None) or (None, what to tell the person)."""
    text = (update.message.text or "").strip()
    if len(text) > hi:
        return None, texts.TOO_LONG.format(limit=hi)
    if len(text) < lo:
        return None, texts.BA_REASON_SHORT.format(lo=lo)
    return text, None


def _date_keyboard(form: ChangeForm, keep: str = ""):
    choices = [button(texts.DL_DATE_CHOICE.format(date=date_label(day), n=n), BaoanDate(form.case_id, day).pack())
               for n, day in form.choices]
    rows = grid(choices, 2)
    if keep:
        rows.insert(0, [button(f"{texts.BA_KEEP_DUE}（{keep}）", BaoanKeepDue(form.case_id).pack())])
    return inline([*rows, _cancel_row(form.case_id)])


def _example(form: ChangeForm) -> str:
    return form.choices[-1][1].isoformat() if form.choices else ""


def _secretary_only(context: BotContext, message: str = texts.BA_SECRETARY_ONLY) -> None:
    # A clearer answer than the general one: these buttons are the party secretary's.
    if Role.secretary not in context.person.roles:
        raise NotAllowed(message)


def _already(view: ProposalView) -> InvalidInput | None:
    if view.status == BaoanStatus.approved:
        return InvalidInput(texts.BA_ALREADY_APPROVED.format(leader=view.chosen_leader))
    if view.status == BaoanStatus.refused:
        return InvalidInput(texts.BA_ALREADY_REFUSED)
    return None


async def _spend_buttons(context: BotContext, update: Update, draft: dict) -> None:
    """The decision message the typed step started from: its decision buttons are spent."""
    if draft.get("message"):
        markup = _view_markup(draft["case"]) if draft.get("case") else None
        with contextlib.suppress(BadRequest):
            await context.bot.edit_message_reply_markup(chat_id=update.effective_chat.id, message_id=draft["message"],
                                                        reply_markup=markup)


def _message_id(update: Update) -> int | None:
    message = update.callback_query.message
    return message.message_id if isinstance(message, Message) else None


# --- 申请包案: leader → reason → confirm ---------------------------------------------------------


@requires(*PROPOSERS)
async def start_propose(update: Update, context: BotContext) -> int:
    card = await _card_offering(update, context, BaoanPropose, "propose")
    choices = await call(context, baoan.leader_choices)
    if not choices:
        raise InvalidInput(texts.BA_NO_LEADERS)
    context.user_data[DRAFT_KEY] = {"action": "propose", "case": card.id, "number": card.number}
    rows = grid([button(texts.BA_PICK_LABEL.format(name=c.name), BaoanLeader(card.id, c.id).pack()) for c in choices], 2)
    text = texts.BA_ASK_LEADER.format(number=esc(card.number), type=esc(card.type_name))
    await reply(update, text, reply_markup=inline([*rows, _cancel_row(card.id)]))
    return PROPOSE_LEADER


@requires(*PROPOSERS)
async def propose_leader(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "propose")
    leader_id = pressed(update, BaoanLeader).leader_id
    choices = {c.id: c.name for c in await call(context, baoan.leader_choices)}
    if leader_id not in choices:
        raise StaleButton()
    draft["leader"], draft["leader_name"] = leader_id, choices[leader_id]
    text = texts.BA_ASK_PROPOSAL_REASON.format(leader=esc(choices[leader_id]), lo=baoan.REASON_MIN,
                                               hi=baoan.REASON_MAX)
    await reply(update, text, reply_markup=inline([_cancel_row(draft["case"])]), edit=True)
    return PROPOSE_REASON


@requires(*PROPOSERS)
async def propose_reason(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "propose")
    if draft is None:
        return await DRAFTS.lost(update, context)
    if "leader" not in draft:
        await say(update, texts.BA_BUTTONS_WRONG_TYPE)
        return PROPOSE_LEADER
    reason, problem = _typed(update, baoan.REASON_MIN, baoan.REASON_MAX)
    if problem:
        await say(update, problem)
        return PROPOSE_REASON
    draft["reason"] = reason
    text = texts.BA_CONFIRM_PROPOSAL.format(number=esc(draft["number"]), leader=esc(draft["leader_name"]),
                                            reason=esc(reason))
    submit = button(texts.BA_SUBMIT, BaoanProposeConfirm(draft["case"]).pack())
    await say(update, text, inline([[submit, *_cancel_row(draft["case"])]]))
    return PROPOSE_CONFIRM


@requires(*PROPOSERS)
async def propose_confirm(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "propose")
    if "reason" not in draft:
        raise StaleButton()
    try:
        await call(context, baoan.propose, actor_id=context.person.id, case_id=draft["case"],
                   leader_id=draft["leader"], reason=draft["reason"], now=now(context))
    except DomainError as exc:
        return await _give_up(update, context, draft, exc, edit=True)
    context.user_data.pop(DRAFT_KEY, None)
    text = texts.BA_PROPOSED.format(number=esc(draft["number"]), leader=esc(draft["leader_name"]))
    await reply(update, text, reply_markup=_view_markup(draft["case"]), edit=True)
    return ConversationHandler.END


# --- the party secretary: 批准 / 另选领导 / 不同意 -------------------------------------------------


def _decision_rows(request_id: int, case_id: int):
    return [
        [button(texts.BA_APPROVE, BaoanApprove(request_id).pack()),
         button(texts.BA_PICK, BaoanPick(request_id).pack())],
        [button(texts.BA_REFUSE, BaoanRefuse(request_id).pack()),
         button(texts.NOTIFY_VIEW_BUTTON, CaseView(case_id).pack())],
    ]


@requires()
async def approve(update: Update, context: BotContext) -> None:
    _secretary_only(context)
    request_id = pressed(update, BaoanApprove).request_id
    await call(context, baoan.decide, actor_id=context.person.id, request_id=request_id, approve=True,
               now=now(context))
    view = await call(context, baoan.request_view, viewer_id=context.person.id, request_id=request_id)
    await mark_done(update, texts.BA_APPROVED_MARK.format(leader=esc(view.chosen_leader)), drop=BAOAN_FAMILY)


@answering()
async def pick(update: Update, context: BotContext) -> str:
    """另选领导: the proposal's buttons become the leaders to choose from (and « 返回)."""
    _secretary_only(context)
    request_id = pressed(update, BaoanPick).request_id
    view = await call(context, baoan.request_view, viewer_id=context.person.id, request_id=request_id)
    if error := _already(view):
        raise error
    others = [c for c in await call(context, baoan.leader_choices) if c.id != view.proposed_leader_id]
    if not others:
        raise InvalidInput(texts.BA_PICK_NONE)
    rows = grid([button(texts.BA_PICK_LABEL.format(name=c.name), BaoanPicked(view.id, c.id).pack()) for c in others], 2)
    rows.append([button(texts.BA_BACK, BaoanBack(view.id, view.case_id).pack()),
                 button(texts.NOTIFY_VIEW_BUTTON, CaseView(view.case_id).pack())])
    with contextlib.suppress(BadRequest):
        await update.callback_query.edit_message_reply_markup(inline(rows))
    return texts.BA_PICK_TOAST


@requires()
async def picked(update: Update, context: BotContext) -> None:
    _secretary_only(context)
    hit = pressed(update, BaoanPicked)
    request_id, leader_id = hit.request_id, hit.leader_id
    await call(context, baoan.decide, actor_id=context.person.id, request_id=request_id, approve=True,
               chosen_leader_id=leader_id, now=now(context))
    view = await call(context, baoan.request_view, viewer_id=context.person.id, request_id=request_id)
    await mark_done(update, texts.BA_APPROVED_MARK.format(leader=esc(view.chosen_leader)), drop=BAOAN_FAMILY)


@requires()
async def back(update: Update, context: BotContext) -> None:
    _secretary_only(context)
    hit = pressed(update, BaoanBack)
    with contextlib.suppress(BadRequest):
        await update.callback_query.edit_message_reply_markup(
            inline(_decision_rows(hit.request_id, hit.case_id)))


@requires()
async def start_refuse(update: Update, context: BotContext) -> int:
    _secretary_only(context)
    view = await call(context, baoan.request_view, viewer_id=context.person.id,
                      request_id=pressed(update, BaoanRefuse).request_id)
    if error := _already(view):
        raise error
    context.user_data[DRAFT_KEY] = {"action": "refuse", "request": view.id, "case": view.case_id,
                                    "number": view.number, "proposer": view.proposer, "message": _message_id(update)}
    text = texts.BA_ASK_REFUSAL.format(number=esc(view.number), proposer=esc(view.proposer), lo=2,
                                       hi=baoan.REFUSAL_MAX)
    await reply(update, text, reply_markup=inline([_cancel_row(view.case_id)]))
    return REFUSE_REASON


@requires()
async def refuse_reason(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "refuse")
    if draft is None:
        return await DRAFTS.lost(update, context)
    reason, problem = _typed(update, 2, baoan.REFUSAL_MAX)
    if problem:
        await say(update, problem)
        return REFUSE_REASON
    try:
        await call(context, baoan.decide, actor_id=context.person.id, request_id=draft["request"], approve=False,
                   reason=reason, now=now(context))
    except DomainError as exc:  # decided meanwhile (another secretary), or no longer theirs
        return await _give_up(update, context, draft, exc, edit=False)
    context.user_data.pop(DRAFT_KEY, None)
    await _spend_buttons(context, update, draft)
    text = texts.BA_REFUSED_DONE.format(number=esc(draft["number"]), proposer=esc(draft["proposer"]))
    await say(update, text, _view_markup(draft["case"]))
    return ConversationHandler.END


# --- the party secretary: 批准延期 / 驳回 --------------------------------------------------------


@requires()
async def approve_extension(update: Update, context: BotContext) -> None:
    _secretary_only(context, texts.BA_SECRETARY_ONLY_EXTENSION)
    await call(context, baoan.decide_extension, actor_id=context.person.id,
               request_id=pressed(update, BaoanApproveExtension).request_id, approve=True, now=now(context),
               policy=context.deps.policy.deadlines)
    await mark_done(update, texts.BA_EXTENSION_APPROVED_MARK, drop=BAOAN_FAMILY)


@requires()
async def start_refuse_extension(update: Update, context: BotContext) -> int:
    _secretary_only(context, texts.BA_SECRETARY_ONLY_EXTENSION)
    request_id = pressed(update, BaoanRefuseExtension).request_id
    await call(context, baoan.check_extension, actor_id=context.person.id, request_id=request_id)
    context.user_data[DRAFT_KEY] = {"action": "xrefuse", "request": request_id, "message": _message_id(update)}
    text = texts.BA_ASK_EXTENSION_NOTE.format(lo=2, hi=baoan.NOTE_MAX)
    await reply(update, text, reply_markup=inline([_cancel_row()]))
    return EXTENSION_NOTE


@requires()
async def extension_note(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "xrefuse")
    if draft is None:
        return await DRAFTS.lost(update, context)
    note, problem = _typed(update, 2, baoan.NOTE_MAX)
    if problem:
        await say(update, problem)
        return EXTENSION_NOTE
    try:
        req = await call(context, baoan.decide_extension, actor_id=context.person.id, request_id=draft["request"],
                         approve=False, note=note, now=now(context), policy=context.deps.policy.deadlines)
    except DomainError as exc:
        return await _give_up(update, context, draft, exc, edit=False)
    context.user_data.pop(DRAFT_KEY, None)
    draft["case"] = req.case_id
    await _spend_buttons(context, update, draft)
    await say(update, texts.BA_EXTENSION_REFUSED_DONE, _view_markup(req.case_id))
    return ConversationHandler.END


# --- 调处方案: the plan → the handling deadline ----------------------------------------------------


@requires(*LEADERS)
async def start_plan(update: Update, context: BotContext) -> int:
    card = await _card_offering(update, context, BaoanPlan, "plan")
    keep = card.deadline.due if card.baoan.plan and card.deadline else ""
    context.user_data[DRAFT_KEY] = {"action": "plan", "case": card.id, "number": card.number, "keep": keep,
                                    "due": card.deadline.due if card.deadline else ""}
    current = texts.BA_PLAN_CURRENT.format(plan=esc(card.baoan.plan[:300])) if card.baoan.plan else ""
    text = texts.BA_ASK_PLAN.format(number=esc(card.number), current=current, limit=cases.MAX_TEXT)
    await reply(update, text, reply_markup=inline([_cancel_row(card.id)]))
    return PLAN_TEXT


@requires(*LEADERS)
async def plan_text(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "plan")
    if draft is None:
        return await DRAFTS.lost(update, context)
    plan, problem = _typed(update, 2, cases.MAX_TEXT)
    if problem:
        await say(update, problem)
        return PLAN_TEXT
    try:  # the date buttons: +1 … +7 working days from today
        form = await call(context, baoan.plan_form, actor_id=context.person.id, case_id=draft["case"],
                          now=now(context), policy=context.deps.policy.deadlines)
    except DomainError as exc:
        return await _give_up(update, context, draft, exc, edit=False)
    draft["plan"] = plan
    if draft.get("keep"):
        text = texts.BA_ASK_PLAN_DATE_KEEP.format(due=draft["keep"], example=_example(form))
    else:
        current = texts.BA_PLAN_DATE_CURRENT.format(due=draft["due"]) if draft.get("due") else ""
        text = texts.BA_ASK_PLAN_DATE.format(example=_example(form), current=current)
    await say(update, text, _date_keyboard(form, draft.get("keep", "")))
    return PLAN_DATE


async def _record_plan(update: Update, context: BotContext, draft: dict, day: date | None, *, edit: bool) -> int:
    try:
        done = await call(context, baoan.record_plan, actor_id=context.person.id, case_id=draft["case"],
                          plan=draft["plan"], due_date=day, now=now(context), policy=context.deps.policy.deadlines)
    except InvalidInput as exc:  # e.g. a date in the past, or an extension already waiting: choose again
        await say(update, texts.BA_DATE_RETRY.format(error=esc(exc.message)))
        return PLAN_DATE
    except DomainError as exc:
        return await _give_up(update, context, draft, exc, edit=edit)
    context.user_data.pop(DRAFT_KEY, None)
    card = await _card(context, draft["case"])
    due = card.deadline.due if card.deadline else "—"
    if done.extension is not None:  # a later date is an extension: the secretary decides
        new = deadlines.fmt(done.extension.new_due_at, context.deps.settings.tz)
        notice = texts.BA_PLAN_DONE_EXTENSION.format(new=new, due=due)
    else:
        notice = texts.BA_PLAN_DONE.format(due=due)
    await reply(update, render_card(card, context.deps.settings.tz, notice), reply_markup=card_keyboard(card),
                edit=edit)
    return ConversationHandler.END


@requires(*LEADERS)
async def plan_date_pressed(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "plan")
    if "plan" not in draft:
        raise StaleButton()
    day = pressed(update, BaoanDate).day
    return await _record_plan(update, context, draft, day, edit=True)


@requires(*LEADERS)
async def plan_keep(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "plan")
    if "plan" not in draft or not draft.get("keep"):
        raise StaleButton()
    return await _record_plan(update, context, draft, None, edit=True)


# --- 上级协调: one typed note ---------------------------------------------------------------------


@requires(*LEADERS)
async def start_upper(update: Update, context: BotContext) -> int:
    card = await _card_offering(update, context, BaoanUpper, "upper")
    context.user_data[DRAFT_KEY] = {"action": "upper", "case": card.id, "number": card.number}
    text = texts.BA_ASK_UPPER.format(number=esc(card.number), limit=baoan.UPPER_MAX)
    await reply(update, text, reply_markup=inline([_cancel_row(card.id)]))
    return UPPER_TEXT


@requires(*LEADERS)
async def upper_text(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "upper")
    if draft is None:
        return await DRAFTS.lost(update, context)
    note, problem = _typed(update, 2, baoan.UPPER_MAX)
    if problem:
        await say(update, problem)
        return UPPER_TEXT
    try:
        await call(context, baoan.record_upper, actor_id=context.person.id, case_id=draft["case"], note=note,
                   now=now(context))
    except DomainError as exc:  # no longer theirs, or no longer running
        return await _give_up(update, context, draft, exc, edit=False)
    context.user_data.pop(DRAFT_KEY, None)
    await _show_card(update, context, draft["case"], texts.BA_UPPER_DONE, edit=False)
    return ConversationHandler.END


# --- 申请延期: reason → new date → confirm --------------------------------------------------------


async def _extension_form(context: BotContext, draft: dict, day: date | None = None) -> ChangeForm:
    return await call(context, deadlines.change_form, actor_id=context.person.id, case_id=draft["case"],
                      action="extension", now=now(context), policy=context.deps.policy.deadlines, due_date=day)


@requires(*LEADERS)
async def start_extension(update: Update, context: BotContext) -> int:
    card = await _card_offering(update, context, BaoanExtend, "extend")
    context.user_data[DRAFT_KEY] = {"action": "extend", "case": card.id, "number": card.number}
    light = f"{card.deadline.symbol} {card.deadline.left}".strip() if card.deadline else "—"
    text = texts.BA_ASK_EXTENSION_REASON.format(number=esc(card.number), due=card.deadline.due if card.deadline else "—",
                                                light=light, lo=baoan.REASON_MIN, hi=baoan.REASON_MAX)
    await reply(update, text, reply_markup=inline([_cancel_row(card.id)]))
    return EXTENSION_REASON


@requires(*LEADERS)
async def extension_reason(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "extend")
    if draft is None:
        return await DRAFTS.lost(update, context)
    reason, problem = _typed(update, baoan.REASON_MIN, baoan.REASON_MAX)
    if problem:
        await say(update, problem)
        return EXTENSION_REASON
    try:
        form = await _extension_form(context, draft)
    except DomainError as exc:
        return await _give_up(update, context, draft, exc, edit=False)
    draft["reason"] = reason
    await say(update, texts.BA_ASK_EXTENSION_DATE.format(example=_example(form)), _date_keyboard(form))
    return EXTENSION_DATE


async def _take_extension_date(update: Update, context: BotContext, draft: dict, day: date, *, edit: bool) -> int:
    try:
        form = await _extension_form(context, draft, day)
    except InvalidInput as exc:  # not later than the current deadline: choose again
        await say(update, texts.BA_DATE_RETRY.format(error=esc(exc.message)))
        return EXTENSION_DATE
    except DomainError as exc:
        return await _give_up(update, context, draft, exc, edit=edit)
    draft["date"], draft["new_due"] = day.isoformat(), form.new_due
    text = texts.BA_CONFIRM_EXTENSION.format(number=esc(draft["number"]), new=form.new_due, reason=esc(draft["reason"]))
    rows = [[button(texts.BA_SUBMIT, BaoanExtensionConfirm(draft["case"]).pack()), *_cancel_row(draft["case"])]]
    await reply(update, text, reply_markup=inline(rows), edit=edit)
    return EXTENSION_CONFIRM


@requires(*LEADERS)
async def extension_date_pressed(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "extend")
    if "reason" not in draft:
        raise StaleButton()
    day = pressed(update, BaoanDate).day
    return await _take_extension_date(update, context, draft, day, edit=True)


@requires(*LEADERS)
async def date_typed(update: Update, context: BotContext) -> int:
    """A typed date, for the plan's deadline or an extension."""
    draft = DRAFTS.get(update, context, "plan", "extend")
    if draft is None:
        return await DRAFTS.lost(update, context)
    day = parse_date(update.message.text or "", local_today(context))
    if day is None:
        await say(update, texts.BA_BAD_DATE.format(example=local_today(context).isoformat()))
        return PLAN_DATE if draft["action"] == "plan" else EXTENSION_DATE
    if draft["action"] == "plan":
        return await _record_plan(update, context, draft, day, edit=False)
    return await _take_extension_date(update, context, draft, day, edit=False)


@requires(*LEADERS)
async def extension_confirm(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "extend")
    if "date" not in draft:
        raise StaleButton()
    try:
        await call(context, baoan.request_extension, actor_id=context.person.id, case_id=draft["case"],
                   reason=draft["reason"], new_due_date=date.fromisoformat(draft["date"]), now=now(context),
                   policy=context.deps.policy.deadlines)
    except DomainError as exc:
        return await _give_up(update, context, draft, exc, edit=True)
    context.user_data.pop(DRAFT_KEY, None)
    text = texts.BA_EXTENSION_SUBMITTED.format(number=esc(draft["number"]), new=draft["new_due"])
    await reply(update, text, reply_markup=_view_markup(draft["case"]), edit=True)
    return ConversationHandler.END


# --- 包案办结: outcome → summary → closing files → joint-handling notice -----------------------------


@requires(*LEADERS)
async def start_complete(update: Update, context: BotContext) -> int:
    card = await _card_offering(update, context, BaoanComplete, "complete")
    context.user_data[DRAFT_KEY] = {"action": "complete", "case": card.id, "number": card.number, "files": []}
    choices = [button(o.value, BaoanOutcome(card.id, o).pack()) for o in Outcome]
    await reply(update, texts.BA_ASK_OUTCOME.format(number=esc(card.number)),
                reply_markup=inline([*grid(choices, 3), _cancel_row(card.id)]))
    return DONE_OUTCOME


@requires(*LEADERS)
async def complete_outcome(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "complete")
    draft["outcome"] = word_pressed(update, BaoanOutcome, BaoanOutcomeLegacy, Outcome).outcome.value
    text = texts.BA_ASK_SUMMARY.format(outcome=draft["outcome"], limit=cases.MAX_TEXT)
    await reply(update, text, reply_markup=inline([_cancel_row(draft["case"])]), edit=True)
    return DONE_SUMMARY


def _files_keyboard(case_id: int):
    return inline([[button(texts.BA_FILES_DONE_BUTTON, BaoanFilesDone(case_id).pack()), *_cancel_row(case_id)]])


@requires(*LEADERS)
async def complete_summary(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "complete")
    if draft is None:
        return await DRAFTS.lost(update, context)
    if "outcome" not in draft:
        await say(update, texts.BA_BUTTONS_WRONG_TYPE)
        return DONE_OUTCOME
    summary, problem = _typed(update, 2, cases.MAX_TEXT)
    if problem:
        await say(update, problem)
        return DONE_SUMMARY
    draft["summary"] = summary
    await say(update, texts.BA_ASK_FILES, _files_keyboard(draft["case"]))
    return DONE_FILES


@requires(*LEADERS)
async def complete_file(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "complete")
    if draft is None:
        return await DRAFTS.lost(update, context)
    if len(draft["files"]) >= FILES_MAX:
        await say(update, texts.BA_FILES_TOO_MANY.format(limit=FILES_MAX), _files_keyboard(draft["case"]))
        return DONE_FILES
    draft["files"].append(file_input(update.message))
    await say(update, texts.BA_FILES_GOT.format(n=len(draft["files"])), _files_keyboard(draft["case"]))
    return DONE_FILES


async def _ask_joint(update: Update, draft: dict, *, edit: bool) -> int:
    rows = [[button(texts.BA_FINISH_BUTTON, BaoanNoJoint(draft["case"]).pack()), *_cancel_row(draft["case"])]]
    await reply(update, texts.BA_ASK_JOINT, reply_markup=inline(rows), edit=edit)
    return DONE_JOINT


@requires(*LEADERS)
async def complete_files_done(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "complete")
    if "summary" not in draft:
        raise StaleButton()
    return await _ask_joint(update, draft, edit=True)


@requires(*LEADERS)
async def complete_files_text(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "complete")
    if draft is None:
        return await DRAFTS.lost(update, context)
    if (update.message.text or "").strip() == texts.BA_FILES_DONE_WORD:
        return await _ask_joint(update, draft, edit=False)
    await say(update, texts.BA_FILES_WRONG_TYPE, _files_keyboard(draft["case"]))
    return DONE_FILES


async def _complete(update: Update, context: BotContext, draft: dict, joint: str | None, *, edit: bool) -> int:
    files = tuple(FileInput(**f) for f in draft["files"])
    try:
        await call(context, baoan.complete, actor_id=context.person.id, case_id=draft["case"],
                   summary=draft["summary"], files=files, joint_notice=joint, outcome=draft["outcome"],
                   now=now(context))
    except InvalidInput as exc:
        await say(update, texts.BA_RETRY.format(error=esc(exc.message)))
        return DONE_JOINT
    except DomainError as exc:
        return await _give_up(update, context, draft, exc, edit=edit)
    context.user_data.pop(DRAFT_KEY, None)
    await _show_card(update, context, draft["case"], texts.BA_DONE.format(files=len(files)), edit=edit)
    return ConversationHandler.END


@requires(*LEADERS)
async def complete_no_joint(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "complete")
    if "summary" not in draft:
        raise StaleButton()
    return await _complete(update, context, draft, None, edit=True)


@requires(*LEADERS)
async def complete_joint(update: Update, context: BotContext) -> int:
    draft = DRAFTS.get(update, context, "complete")
    if draft is None:
        return await DRAFTS.lost(update, context)
    joint, problem = _typed(update, 2, cases.MAX_TEXT)
    if problem:
        await say(update, problem)
        return DONE_JOINT
    return await _complete(update, context, draft, joint, edit=False)


# --- hints, cancel, timeout ---------------------------------------------------------------------


async def text_wrong_type(update: Update, context: BotContext) -> None:
    await say(update, texts.BA_TEXT_WRONG_TYPE)


async def buttons_wrong_type(update: Update, context: BotContext) -> None:
    await say(update, texts.BA_BUTTONS_WRONG_TYPE)


async def date_wrong_type(update: Update, context: BotContext) -> None:
    await say(update, texts.BA_DATE_WRONG_TYPE.format(example=local_today(context).isoformat()))


async def files_wrong_type(update: Update, context: BotContext) -> None:
    await say(update, texts.BA_FILES_WRONG_TYPE)


async def cancel(update: Update, context: BotContext) -> int:
    draft = context.user_data.pop(DRAFT_KEY, None)
    markup = _view_markup(draft["case"]) if draft and draft.get("case") else None
    await say(update, texts.BA_CANCELLED, markup)
    return ConversationHandler.END


@requires()
async def cancel_button(update: Update, context: BotContext) -> int:
    draft = context.user_data.get(DRAFT_KEY)
    if not draft or pressed(update, BaoanCancel).case_id != draft.get("case", 0):
        raise StaleButton()
    context.user_data.pop(DRAFT_KEY, None)
    markup = _view_markup(draft["case"]) if draft.get("case") else None
    await reply(update, texts.BA_CANCELLED, reply_markup=markup, edit=True)
    return ConversationHandler.END


# --- /baoan -------------------------------------------------------------------------------------


def _list_line(ref: baoan.BaoanRef) -> str:
    due = texts.BA_LIST_DUE.format(left=ref.left, due=ref.due) if ref.light else ""
    flags = ("" if ref.plan_recorded else texts.BA_LIST_NO_PLAN) + (
        texts.BA_LIST_EXTENSION_PENDING if ref.extension_pending else "")
    return texts.BA_LIST_LINE.format(light=f"{ref.light} " if ref.light else "", number=ref.number,
                                     status=texts.STATUS_LABELS[ref.status], leader=esc(ref.leader), due=due,
                                     flags=flags)


def _row_label(ref: baoan.BaoanRef) -> str:
    summary = " ".join(ref.summary.split())
    summary = summary if len(summary) <= 14 else summary[:13] + "…"
    return f"{ref.number} {ref.light}{summary}"


async def _list_page(update: Update, context: BotContext, state: str, page: int, *, edit: bool) -> None:
    if state not in LIST_STATES:
        raise StaleButton()
    found = await call(context, baoan.my_cases, viewer_id=context.person.id, now=now(context),
                       policy=context.deps.policy.deadlines, state=LIST_STATES[state])
    pages = max((len(found) + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(max(page, 0), pages - 1)
    shown = found[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    label = texts.BA_LIST_FILTERS[LIST_STATES[state]]
    toggle = [button(("• " if s == state else "") + texts.BA_LIST_FILTERS[LIST_STATES[s]], BaoanList(s, 0).pack())
              for s in LIST_STATES]
    rows = [toggle, *([button(_row_label(ref), CaseView(ref.id).pack())] for ref in shown),
            code_pager(BaoanList(state, page), pages)]
    if found:
        text = texts.BA_LIST_TITLE.format(filter=label, total=len(found), page=page + 1, pages=pages,
                                          lines="\n".join(_list_line(ref) for ref in shown))
    else:
        text = texts.BA_LIST_EMPTY.format(filter=label, hint=texts.BA_LIST_EMPTY_HINT if state == "o" else "")
    await reply(update, text, reply_markup=inline(rows), edit=edit)


@requires()
async def baoan_command(update: Update, context: BotContext) -> None:
    # The service answers people who may not see 包案 cases with a clear reason.
    await _list_page(update, context, "o", 0, edit=False)
    if Role.secretary not in context.person.roles:
        return
    pending = await call(context, baoan.pending_proposals, viewer_id=context.person.id)
    if not pending:
        return
    await say(update, texts.BA_PENDING_TITLE.format(n=len(pending)))
    for view in pending[:PENDING_SHOWN]:
        text = texts.BA_PENDING_ITEM.format(proposer=esc(view.proposer), leader=esc(view.proposed_leader),
                                            number=view.number, summary=esc(view.summary), reason=esc(view.reason))
        await say(update, text, inline(_decision_rows(view.id, view.case_id)))
    if len(pending) > PENDING_SHOWN:
        await say(update, texts.BA_PENDING_MORE.format(n=len(pending) - PENDING_SHOWN))


@requires()
async def list_button(update: Update, context: BotContext) -> None:
    hit = pressed(update, BaoanList)
    await _list_page(update, context, hit.state, hit.page, edit=True)


# --- wiring -------------------------------------------------------------------------------------


def build_baoan_conversation() -> ConversationHandler:
    text = filters.TEXT & ~filters.COMMAND
    other = ~filters.COMMAND
    media = filters.PHOTO | filters.VIDEO | filters.VOICE | filters.AUDIO | filters.Document.ALL
    return Flow(
        entry_points=[
            CallbackQueryHandler(start_propose, pattern=BaoanPropose.pattern()),
            CallbackQueryHandler(start_plan, pattern=BaoanPlan.pattern()),
            CallbackQueryHandler(start_upper, pattern=BaoanUpper.pattern()),
            CallbackQueryHandler(start_extension, pattern=BaoanExtend.pattern()),
            CallbackQueryHandler(start_complete, pattern=BaoanComplete.pattern()),
            CallbackQueryHandler(start_refuse, pattern=BaoanRefuse.pattern()),
            CallbackQueryHandler(start_refuse_extension, pattern=BaoanRefuseExtension.pattern()),
        ],
        states={
            PROPOSE_LEADER: [
                CallbackQueryHandler(propose_leader, pattern=BaoanLeader.pattern()),
                MessageHandler(other, buttons_wrong_type),
            ],
            PROPOSE_REASON: [MessageHandler(text, propose_reason), MessageHandler(other, text_wrong_type)],
            PROPOSE_CONFIRM: [
                CallbackQueryHandler(propose_confirm, pattern=BaoanProposeConfirm.pattern()),
                MessageHandler(other, buttons_wrong_type),
            ],
            PLAN_TEXT: [MessageHandler(text, plan_text), MessageHandler(other, text_wrong_type)],
            PLAN_DATE: [
                CallbackQueryHandler(plan_date_pressed, pattern=BaoanDate.pattern()),
                CallbackQueryHandler(plan_keep, pattern=BaoanKeepDue.pattern()),
                MessageHandler(text, date_typed),
                MessageHandler(other, date_wrong_type),
            ],
            EXTENSION_REASON: [MessageHandler(text, extension_reason), MessageHandler(other, text_wrong_type)],
            EXTENSION_DATE: [
                CallbackQueryHandler(extension_date_pressed, pattern=BaoanDate.pattern()),
                MessageHandler(text, date_typed),
                MessageHandler(other, date_wrong_type),
            ],
            EXTENSION_CONFIRM: [
                CallbackQueryHandler(extension_confirm, pattern=BaoanExtensionConfirm.pattern()),
                MessageHandler(other, buttons_wrong_type),
            ],
            DONE_OUTCOME: [
                CallbackQueryHandler(complete_outcome, pattern=any_of(BaoanOutcome, BaoanOutcomeLegacy)),
                MessageHandler(other, buttons_wrong_type),
            ],
            DONE_SUMMARY: [MessageHandler(text, complete_summary), MessageHandler(other, text_wrong_type)],
            DONE_FILES: [
                CallbackQueryHandler(complete_files_done, pattern=BaoanFilesDone.pattern()),
                MessageHandler(media, complete_file),
                MessageHandler(text, complete_files_text),
                MessageHandler(other, files_wrong_type),
            ],
            DONE_JOINT: [
                CallbackQueryHandler(complete_no_joint, pattern=BaoanNoJoint.pattern()),
                MessageHandler(text, complete_joint),
                MessageHandler(other, text_wrong_type),
            ],
            REFUSE_REASON: [MessageHandler(text, refuse_reason), MessageHandler(other, text_wrong_type)],
            EXTENSION_NOTE: [MessageHandler(text, extension_note), MessageHandler(other, text_wrong_type)],
            UPPER_TEXT: [MessageHandler(text, upper_text), MessageHandler(other, text_wrong_type)],
        },
        fallbacks=[
            CommandHandler("cancel", cancel),
            CallbackQueryHandler(cancel_button, pattern=BaoanCancel.pattern()),
        ],
        name="baoan",
        timeout=TIMEOUT_SECONDS,
        draft=DRAFT_KEY, timeout_text=texts.BA_TIMEOUT,
    )


def handlers() -> list[BaseHandler]:
    """New objects per call: a ConversationHandler keeps per-application state (its conversations
    and timeout jobs), and each Application (a restart builds a new one) needs its own."""
    return [
        build_baoan_conversation(),
        CommandHandler("baoan", baoan_command),
        CallbackQueryHandler(approve, pattern=BaoanApprove.pattern()),
        CallbackQueryHandler(pick, pattern=BaoanPick.pattern()),
        CallbackQueryHandler(picked, pattern=BaoanPicked.pattern()),
        CallbackQueryHandler(back, pattern=BaoanBack.pattern()),
        CallbackQueryHandler(approve_extension, pattern=BaoanApproveExtension.pattern()),
        CallbackQueryHandler(list_button, pattern=BaoanList.pattern()),
    ]
