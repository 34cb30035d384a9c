"""上门受理 on request (issue 16), in private chats only (the party's name, phone and address).

/homevisit (center staff, leaders, the director) lists the open requests and starts a new one: the
party's name → phone (or 跳过) → address → the special circumstance (buttons) → a short note →
preview → 提交审批. The center leaders get it with 同意 / 不同意 (不同意 asks the reason, which the
requester is told); approved, 「安排上门」 asks the date and time, then who goes (buttons); the
visitor is told and reminded; 「记录上门情况」 asks what was received, and 「登记为事项」 hands the
party and the request to /visit.

One persistent conversation, "homevisit", takes every typed answer; what was typed so far lives in
the person's user_data, so a restart in the middle loses nothing.
"""

from datetime import datetime, time
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

from bot.callbacks import (
    HomeVisitApprove,
    HomeVisitCancel,
    HomeVisitDone,
    HomeVisitIntake,
    HomeVisitNew,
    HomeVisitOpen,
    HomeVisitReasonPick,
    HomeVisitRefuse,
    HomeVisitSchedule,
    HomeVisitSkipPhone,
    HomeVisitSubmit,
    HomeVisitVisitor,
)
from bot.context import BotContext
from bot.keyboards import button, grid, inline, keyboard
from bot.services import home_visits
from bot.services.errors import DomainError, InvalidInput
from bot.texts import home_visits as t
from handlers.common import Flow, StaleButton, call, esc, in_private, now, pressed, reply, requires, say
from handlers.forms import DATE_RE, parse_date
from models import HomeVisitReason, Role

CENTER_ROLES = (Role.director, Role.leader, Role.staff)
DECIDER_ROLES = (Role.director, Role.leader)
DRAFT = "homevisit_draft"  # user_data: the new request {"name", "phone", "address", "reason", "note"}
WORK = "homevisit_work"  # user_data: {"visit_id", "what": "refuse" | "schedule" | "record", "visit_at"}
VISIT_DRAFT = "visit"  # handlers/visit.py's draft: 登记为事项 starts it with the party filled in
TIMEOUT = 30 * 60


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    NAME = 0
    PHONE = 1
    ADDRESS = 2
    REASON = 3
    NOTE = 4
    PREVIEW = 5
    REFUSAL = 6
    WHEN = 7
    VISITOR = 8
    RECEIVED = 9


def _draft(context: BotContext) -> dict:
    draft = context.user_data.get(DRAFT)
    if not isinstance(draft, dict):
        raise DomainError(t.STALE)
    return draft


def _work(context: BotContext, what: str) -> dict:
    work = context.user_data.get(WORK)
    if not isinstance(work, dict) or work.get("what") != what or not isinstance(work.get("visit_id"), int):
        raise DomainError(t.STALE)
    return work


# --- /homevisit: the open requests ---------------------------------------------------------------


@requires(*CENTER_ROLES)
async def list_command(update: Update, context: BotContext) -> None:
    if not in_private(update):
        await say(update, t.PRIVATE_ONLY)
        return
    found = await call(context, home_visits.open_requests, actor_id=context.person.id)
    rows = [[button(t.LIST_ROW.format(status=t.STATUS_LABELS[v.status], name=v.name, reason=v.reason)[:40],
                    HomeVisitOpen(v.visit_id).pack())] for v in found]
    rows.append([button(t.BUTTON_NEW, HomeVisitNew().pack())])
    await say(update, t.LIST_HEAD if found else t.LIST_EMPTY, inline(rows))


@requires(*CENTER_ROLES)
async def open_request(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    shown = await call(context, home_visits.show, actor_id=context.person.id,
                       visit_id=pressed(update, HomeVisitOpen).visit_id, tz=context.deps.settings.tz)
    await reply(update, shown.text, reply_markup=keyboard(shown.buttons))


# --- a new request: name → phone → address → reason → note → preview ---------------------------------


@requires(*CENTER_ROLES)
async def new_request(update: Update, context: BotContext) -> int:
    if not in_private(update):
        raise StaleButton()
    context.user_data[DRAFT] = {}
    await say(update, t.ASK_NAME)
    return Step.NAME


@requires(*CENTER_ROLES)
async def got_name(update: Update, context: BotContext) -> int:
    try:
        _draft(context)["name"] = home_visits.clean_name(update.message.text)
    except InvalidInput as exc:
        await say(update, str(exc))
        return Step.NAME
    await say(update, t.ASK_PHONE, inline([[button(t.BUTTON_SKIP, HomeVisitSkipPhone().pack())]]))
    return Step.PHONE


async def _ask_address(update: Update, context: BotContext, phone: str | None) -> int:
    _draft(context)["phone"] = phone
    await say(update, t.ASK_ADDRESS)
    return Step.ADDRESS


@requires(*CENTER_ROLES)
async def got_phone(update: Update, context: BotContext) -> int:
    try:
        phone = home_visits.clean_phone(update.message.text)
    except InvalidInput as exc:
        await say(update, esc(str(exc)), inline([[button(t.BUTTON_SKIP, HomeVisitSkipPhone().pack())]]))
        return Step.PHONE
    return await _ask_address(update, context, phone)


@requires(*CENTER_ROLES)
async def skip_phone(update: Update, context: BotContext) -> int:
    return await _ask_address(update, context, None)


@requires(*CENTER_ROLES)
async def got_address(update: Update, context: BotContext) -> int:
    try:
        _draft(context)["address"] = home_visits.clean_address(update.message.text)
    except InvalidInput as exc:
        await say(update, str(exc))
        return Step.ADDRESS
    rows = grid([button(r.value, HomeVisitReasonPick(r).pack()) for r in HomeVisitReason], 2)
    await say(update, t.ASK_REASON, inline(rows))
    return Step.REASON


@requires(*CENTER_ROLES)
async def got_reason(update: Update, context: BotContext) -> int:
    _draft(context)["reason"] = pressed(update, HomeVisitReasonPick).reason.name
    await say(update, t.ASK_NOTE)
    return Step.NOTE


@requires(*CENTER_ROLES)
async def got_note(update: Update, context: BotContext) -> int:
    draft = _draft(context)
    try:
        draft["note"] = home_visits.clean_note(update.message.text)
    except InvalidInput as exc:
        await say(update, str(exc))
        return Step.NOTE
    if not {"name", "address", "reason"} <= draft.keys():
        raise DomainError(t.STALE)
    text = t.PREVIEW.format(name=esc(draft["name"]), phone=esc(draft.get("phone") or t.NONE),
                            address=esc(draft["address"]), reason=HomeVisitReason[draft["reason"]].value,
                            note=esc(draft["note"]))
    rows = [[button(t.BUTTON_SUBMIT, HomeVisitSubmit().pack()), button(t.BUTTON_CANCEL, HomeVisitCancel().pack())]]
    await say(update, text, inline(rows))
    return Step.PREVIEW


@requires(*CENTER_ROLES)
async def submit(update: Update, context: BotContext) -> int:
    draft = _draft(context)
    if not {"name", "address", "reason", "note"} <= draft.keys():
        raise DomainError(t.STALE)
    _, count = await call(context, home_visits.request, actor_id=context.person.id, party_name=draft["name"],
                          phone=draft.get("phone"), address=draft["address"], reason=HomeVisitReason[draft["reason"]],
                          note=draft["note"], now=now(context), tz=context.deps.settings.tz)
    context.user_data.pop(DRAFT, None)
    await reply(update, t.SUBMITTED.format(count=count), edit=True)
    return ConversationHandler.END


@requires(*CENTER_ROLES)
async def cancel_button(update: Update, context: BotContext) -> int:
    context.user_data.pop(DRAFT, None)
    await reply(update, t.CANCELLED, edit=True)
    return ConversationHandler.END


# --- the leaders: 同意 at once, 不同意 with a reason ---------------------------------------------------


@requires(*DECIDER_ROLES)
async def approve(update: Update, context: BotContext) -> None:
    visit_id = pressed(update, HomeVisitApprove).visit_id
    if not in_private(update):
        raise StaleButton()
    await call(context, home_visits.decide, actor_id=context.person.id, visit_id=visit_id, approve=True,
               now=now(context))
    await _show_again(update, context, visit_id, t.APPROVED_ANSWER)


@requires(*DECIDER_ROLES)
async def refuse(update: Update, context: BotContext) -> int:
    visit_id = pressed(update, HomeVisitRefuse).visit_id
    if not in_private(update):
        raise StaleButton()
    await call(context, home_visits.check_decider, actor_id=context.person.id, visit_id=visit_id)
    context.user_data[WORK] = {"what": "refuse", "visit_id": visit_id}
    await say(update, t.ASK_REFUSAL)
    return Step.REFUSAL


@requires(*DECIDER_ROLES)
async def got_refusal(update: Update, context: BotContext) -> int:
    work = _work(context, "refuse")
    try:
        await call(context, home_visits.decide, actor_id=context.person.id, visit_id=work["visit_id"],
                   approve=False, reason=update.message.text, now=now(context))
    except InvalidInput as exc:
        await say(update, esc(str(exc)))
        return Step.REFUSAL
    context.user_data.pop(WORK, None)
    await _show_again(update, context, work["visit_id"], t.REFUSED_ANSWER)
    return ConversationHandler.END


async def _show_again(update: Update, context: BotContext, visit_id: int, note: str) -> None:
    shown = await call(context, home_visits.show, actor_id=context.person.id, visit_id=visit_id,
                       tz=context.deps.settings.tz)
    await say(update, f"{note}\n\n{shown.text}", keyboard(shown.buttons))


# --- scheduling: when → who ---------------------------------------------------------------------------


@requires(*CENTER_ROLES)
async def schedule(update: Update, context: BotContext) -> int:
    visit_id = pressed(update, HomeVisitSchedule).visit_id
    if not in_private(update):
        raise StaleButton()
    await call(context, home_visits.check_schedule, actor_id=context.person.id, visit_id=visit_id)
    context.user_data[WORK] = {"what": "schedule", "visit_id": visit_id}
    await say(update, t.ASK_WHEN)
    return Step.WHEN


def parse_moment(text: str, today, tz) -> datetime | None:
    """「12-8 9:30」「2026年12月8日 14:30」: a date as handlers.forms takes it, then hh:mm."""
    parts = " ".join((text or "").replace("：", ":").split()).rsplit(" ", 1)
    if len(parts) != 2 or not DATE_RE.match(parts[0]):
        return None
    day = parse_date(parts[0], today)
    hh, _, mm = parts[1].partition(":")
    if day is None or not (hh.isdigit() and mm.isdigit() and int(hh) < 24 and int(mm) < 60):
        return None
    return datetime.combine(day, time(int(hh), int(mm)), tzinfo=tz)


@requires(*CENTER_ROLES)
async def got_when(update: Update, context: BotContext) -> int:
    work = _work(context, "schedule")
    tz = context.deps.settings.tz
    moment = parse_moment(update.message.text, now(context).astimezone(tz).date(), tz)
    if moment is None:
        await say(update, t.BAD_WHEN)
        return Step.WHEN
    if moment <= now(context):
        await say(update, t.WHEN_PASSED)
        return Step.WHEN
    work["visit_at"] = moment.isoformat()
    people = await call(context, home_visits.visitors)
    rows = grid([button(name, HomeVisitVisitor(work["visit_id"], pid).pack()) for pid, name in people], 3)
    await say(update, t.ASK_VISITOR, inline(rows))
    return Step.VISITOR


@requires(*CENTER_ROLES)
async def got_visitor(update: Update, context: BotContext) -> int:
    code = pressed(update, HomeVisitVisitor)
    work = _work(context, "schedule")
    if code.visit_id != work["visit_id"] or not work.get("visit_at"):
        raise StaleButton()
    visit_at = datetime.fromisoformat(work["visit_at"])
    visit = await call(context, home_visits.schedule, actor_id=context.person.id, visit_id=code.visit_id,
                       visit_at=visit_at, visitor_id=code.person_id, now=now(context), tz=context.deps.settings.tz)
    context.user_data.pop(WORK, None)
    names = dict(await call(context, home_visits.visitors))
    await reply(update, t.SCHEDULED_ANSWER.format(when=t.when_text(visit.visit_at.astimezone(context.deps.settings.tz)),
                                                  visitor=esc(names.get(code.person_id, ""))), edit=True)
    return ConversationHandler.END


# --- after the visit ----------------------------------------------------------------------------------


@requires(*CENTER_ROLES)
async def done(update: Update, context: BotContext) -> int:
    visit_id = pressed(update, HomeVisitDone).visit_id
    if not in_private(update):
        raise StaleButton()
    await call(context, home_visits.check_record, actor_id=context.person.id, visit_id=visit_id)
    context.user_data[WORK] = {"what": "record", "visit_id": visit_id}
    await say(update, t.ASK_RECEIVED)
    return Step.RECEIVED


@requires(*CENTER_ROLES)
async def got_received(update: Update, context: BotContext) -> int:
    work = _work(context, "record")
    try:
        await call(context, home_visits.record_visit, actor_id=context.person.id, visit_id=work["visit_id"],
                   received=update.message.text, now=now(context))
    except InvalidInput as exc:
        await say(update, esc(str(exc)))
        return Step.RECEIVED
    context.user_data.pop(WORK, None)
    await say(update, t.DONE_ANSWER, inline([[button(t.BUTTON_INTAKE, HomeVisitIntake(work["visit_id"]).pack())]]))
    return ConversationHandler.END


@requires(*CENTER_ROLES)
async def intake(update: Update, context: BotContext) -> None:
    visit_id = pressed(update, HomeVisitIntake).visit_id
    if not in_private(update):
        raise StaleButton()
    start = await call(context, home_visits.intake_start, actor_id=context.person.id, visit_id=visit_id)
    # /visit offers to continue a draft it finds: it then asks what is still missing (ID number, type …)
    context.user_data[VISIT_DRAFT] = {"source": "visit", "name": start.name, "phone": start.phone,
                                      "request": start.request}
    await reply(update, t.INTAKE_READY)


async def wrong_input(update: Update, context: BotContext) -> None:
    await say(update, t.WRONG_INPUT)


async def cancel(update: Update, context: BotContext) -> int:
    context.user_data.pop(DRAFT, None)
    context.user_data.pop(WORK, None)
    await say(update, t.CANCELLED)
    return ConversationHandler.END


def build_conversation() -> ConversationHandler:
    text = filters.TEXT & ~filters.COMMAND
    other = MessageHandler(~filters.COMMAND, wrong_input)
    return Flow(
        entry_points=[CallbackQueryHandler(new_request, pattern=HomeVisitNew.pattern()),
                      CallbackQueryHandler(refuse, pattern=HomeVisitRefuse.pattern()),
                      CallbackQueryHandler(schedule, pattern=HomeVisitSchedule.pattern()),
                      CallbackQueryHandler(done, pattern=HomeVisitDone.pattern())],
        states={
            Step.NAME: [MessageHandler(text, got_name), other],
            Step.PHONE: [MessageHandler(text, got_phone),
                         CallbackQueryHandler(skip_phone, pattern=HomeVisitSkipPhone.pattern()), other],
            Step.ADDRESS: [MessageHandler(text, got_address), other],
            Step.REASON: [CallbackQueryHandler(got_reason, pattern=HomeVisitReasonPick.pattern()), other],
            Step.NOTE: [MessageHandler(text, got_note), other],
            Step.PREVIEW: [CallbackQueryHandler(submit, pattern=HomeVisitSubmit.pattern()),
                           CallbackQueryHandler(cancel_button, pattern=HomeVisitCancel.pattern()), other],
            Step.REFUSAL: [MessageHandler(text, got_refusal), other],
            Step.WHEN: [MessageHandler(text, got_when), other],
            Step.VISITOR: [CallbackQueryHandler(got_visitor, pattern=HomeVisitVisitor.pattern()), other],
            Step.RECEIVED: [MessageHandler(text, got_received), other],
        },
        fallbacks=[CommandHandler("cancel", cancel)],
        name="homevisit",
        timeout=TIMEOUT,
    )


def handlers() -> list[BaseHandler]:
    """New objects per call: a ConversationHandler keeps per-application state. A step's button outside
    the conversation (after a cancel, a timeout, or an old message) is answered by handlers/fallback.py."""
    return [
        build_conversation(),
        CommandHandler("homevisit", list_command),
        CallbackQueryHandler(open_request, pattern=HomeVisitOpen.pattern()),
        CallbackQueryHandler(approve, pattern=HomeVisitApprove.pattern()),
        CallbackQueryHandler(intake, pattern=HomeVisitIntake.pattern()),
    ]
