"""社会治安重点整治区域 in chat (工作联系点制度 二.6), in private chats only.

/focus lists the open areas the person may see (the center: all; a village head: their own), each
opening its card; the director and the leaders get 「列入重点整治区域」: the village (buttons) → the
突出问题 (typed) → the 整治期限 (working-day buttons, or a typed date). On the card: 「整治方案」
(typed, then the 责任人 by button), 「记录检查」 (typed), and for the director 「摘帽」 (the 成效)
and 「延期」 (the reason, then the new date). Every step is checked again by the service.

One persistent conversation, "focus", takes the typed answers; what was typed so far lives in the
person's user_data, so a restart in the middle loses nothing.
"""

from datetime import date, timedelta
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
    FocusCheckStart,
    FocusClose,
    FocusDue,
    FocusExtend,
    FocusNew,
    FocusOpen,
    FocusPlan,
    FocusResponsible,
    FocusVillage,
)
from bot.context import BotContext
from bot.keyboards import button, grid, inline, keyboard
from bot.services import focus_areas
from bot.services.errors import DomainError, InvalidInput
from bot.texts import focus_areas as t
from handlers.common import (
    Flow,
    StaleButton,
    call,
    esc,
    in_private,
    local_today,
    now,
    pressed,
    reply,
    requires,
    say,
    work_of,
)
from handlers.forms import date_label, parse_date
from models import Role

VIEWER_ROLES = (Role.director, Role.leader, Role.staff, Role.unit)  # a unit contact only as a village head
WORK = "focus_work"  # user_data: {"what", "village_id" | "area_id", "village", "problem" | "plan" | "reason"}
TIMEOUT = 30 * 60


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    VILLAGE = 0
    PROBLEM = 1
    DUE = 2
    PLAN = 3
    RESPONSIBLE = 4
    CHECK = 5
    RESULT = 6
    REASON = 7
    NEW_DUE = 8


def _policy(context: BotContext):
    return context.deps.policy.deadlines



# --- /focus and the card -------------------------------------------------------------------------


@requires(*VIEWER_ROLES)
async def list_command(update: Update, context: BotContext) -> None:
    if not in_private(update):
        await say(update, t.PRIVATE_ONLY)
        return
    found = await call(context, focus_areas.open_areas, actor_id=context.person.id, now=now(context),
                       policy=_policy(context))
    rows = [[button(t.LIST_ROW.format(light=r.light, village=r.village, problem=r.problem)[:40],
                    FocusOpen(r.area_id).pack())] for r in found.rows]
    if found.may_list:
        rows.append([button(t.BUTTON_NEW, FocusNew().pack())])
    await say(update, t.LIST_HEAD if found.rows else t.LIST_EMPTY, inline(rows) if rows else None)


@requires(*VIEWER_ROLES)
async def open_area(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    await _show(update, context, pressed(update, FocusOpen).area_id, edit=False)


async def _show(update: Update, context: BotContext, area_id: int, note: str = "", *, edit: bool = False) -> None:
    shown = await call(context, focus_areas.show, actor_id=context.person.id, area_id=area_id, now=now(context),
                       policy=_policy(context))
    text = f"{note}\n\n{shown.text}" if note else shown.text
    if edit:
        await reply(update, text, reply_markup=keyboard(shown.buttons), edit=True)
    else:
        await say(update, text, keyboard(shown.buttons))


# --- listing: village → problem → deadline ----------------------------------------------------------


@requires(Role.director, Role.leader)
async def new_listing(update: Update, context: BotContext) -> int:
    if not in_private(update):
        raise StaleButton()
    choices = await call(context, focus_areas.village_choices, actor_id=context.person.id, now=now(context))
    if not choices:
        await say(update, t.NO_VILLAGES)
        return ConversationHandler.END
    context.user_data[WORK] = {"what": "list"}
    rows = grid([button(t.VILLAGE_BUTTON.format(name=c.name, count=c.cases), FocusVillage(c.village_id).pack())
                 for c in choices], 2)
    await say(update, t.ASK_VILLAGE, inline(rows))
    return Step.VILLAGE


@requires(Role.director, Role.leader)
async def got_village(update: Update, context: BotContext) -> int:
    work = work_of(context, WORK, "list", t.STALE)
    village_id = pressed(update, FocusVillage).village_id
    name = await call(context, focus_areas.check_village, actor_id=context.person.id, village_id=village_id,
                      tz=context.deps.settings.tz)
    work.update(village_id=village_id, village=name)
    await reply(update, t.ASK_PROBLEM.format(village=esc(name)), edit=True)
    return Step.PROBLEM


@requires(Role.director, Role.leader)
async def got_problem(update: Update, context: BotContext) -> int:
    work = work_of(context, WORK, "list", t.STALE)
    try:
        work["problem"] = focus_areas.clean_problem(update.message.text)
    except InvalidInput as exc:
        await say(update, esc(exc.message))
        return Step.PROBLEM
    await _ask_due(update, context, t.ASK_DUE, village=esc(work["village"]))
    return Step.DUE


async def _ask_due(update: Update, context: BotContext, question: str, **fields) -> None:
    """The 整治期限's buttons, +N working days (bot/services/focus_areas.DUE_STEPS); a date may be typed."""
    choices = await call(context, focus_areas.due_choices, now=now(context), policy=_policy(context))
    rows = grid([button(t.DUE_BUTTON.format(n=n, date=date_label(day)), FocusDue(day).pack()) for n, day in choices], 1)
    await say(update, question.format(example=choices[0][1].isoformat(), **fields), inline(rows))


async def _typed_day(update: Update, context: BotContext) -> date | None:
    day = parse_date(update.message.text, local_today(context))
    if day is None:
        await say(update, t.BAD_DATE.format(example=(local_today(context) + timedelta(days=30)).isoformat()))
    return day


async def _refused_due(update: Update, exc: InvalidInput) -> None:
    """A 整治期限 refused: on a holiday, the working day offered is one press away."""
    markup = None
    if isinstance(exc, focus_areas.NotWorkingDay):
        markup = inline([[button(t.BUTTON_SUGGESTED.format(day=t.cn_date(exc.suggestion)),
                                 FocusDue(exc.suggestion).pack())]])
    await say(update, esc(exc.message), markup)


async def _list_on(update: Update, context: BotContext, day: date) -> int:
    work = work_of(context, WORK, "list", t.STALE)
    if "problem" not in work:
        raise DomainError(t.STALE)
    try:
        done = await call(context, focus_areas.list_village, actor_id=context.person.id, village_id=work["village_id"],
                          problem=work["problem"], due_date=day, now=now(context), policy=_policy(context))
    except InvalidInput as exc:  # not after today, or not a working day: choose again; the rest is kept
        await _refused_due(update, exc)
        return Step.DUE
    context.user_data.pop(WORK, None)
    await _show(update, context, done.area_id, t.LISTED.format(village=esc(done.village), due=done.due, count=done.told))
    return ConversationHandler.END


@requires(Role.director, Role.leader)
async def due_pressed(update: Update, context: BotContext) -> int:
    return await _list_on(update, context, pressed(update, FocusDue).day)


@requires(Role.director, Role.leader)
async def due_typed(update: Update, context: BotContext) -> int:
    day = await _typed_day(update, context)
    return Step.DUE if day is None else await _list_on(update, context, day)


# --- on the card: 方案 → 责任人, 检查, 摘帽, 延期 --------------------------------------------------------


async def _start(update: Update, context: BotContext, code, action: str, ask: str, step: Step) -> int:
    if not in_private(update):
        raise StaleButton()
    area_id = pressed(update, code).area_id
    started = await call(context, focus_areas.check_action, actor_id=context.person.id, area_id=area_id,
                         action=action, tz=context.deps.settings.tz)
    context.user_data[WORK] = {"what": action, "area_id": area_id, "village": started.village, "due": started.due}
    await say(update, ask.format(village=esc(started.village)))
    return step


@requires(Role.director, Role.leader, Role.staff)
async def plan_start(update: Update, context: BotContext) -> int:
    return await _start(update, context, FocusPlan, focus_areas.PLAN, t.ASK_PLAN, Step.PLAN)


@requires(Role.director, Role.leader, Role.staff)
async def got_plan(update: Update, context: BotContext) -> int:
    work = work_of(context, WORK, focus_areas.PLAN, t.STALE)
    try:
        work["plan"] = focus_areas.clean_plan(update.message.text)
    except InvalidInput as exc:
        await say(update, esc(exc.message))
        return Step.PLAN
    people = await call(context, focus_areas.responsible_candidates, actor_id=context.person.id,
                        area_id=work["area_id"])
    if not people:
        await say(update, t.NO_CANDIDATES.format(village=esc(work["village"])))
        return ConversationHandler.END
    rows = grid([button(name, FocusResponsible(work["area_id"], pid).pack()) for pid, name in people], 3)
    await say(update, t.ASK_RESPONSIBLE, inline(rows))
    return Step.RESPONSIBLE


@requires(Role.director, Role.leader, Role.staff)
async def got_responsible(update: Update, context: BotContext) -> int:
    code = pressed(update, FocusResponsible)
    work = work_of(context, WORK, focus_areas.PLAN, t.STALE)
    if code.area_id != work.get("area_id") or "plan" not in work:
        raise StaleButton()
    who = await call(context, focus_areas.record_plan, actor_id=context.person.id, area_id=code.area_id,
                     plan=work["plan"], responsible_id=code.person_id, now=now(context))
    context.user_data.pop(WORK, None)
    await reply(update, t.PLAN_SAVED.format(village=esc(work["village"]), responsible=esc(who)), edit=True)
    return ConversationHandler.END


@requires(Role.director, Role.leader, Role.staff)
async def check_start(update: Update, context: BotContext) -> int:
    return await _start(update, context, FocusCheckStart, focus_areas.CHECK, t.ASK_CHECK, Step.CHECK)


@requires(Role.director, Role.leader, Role.staff)
async def got_check(update: Update, context: BotContext) -> int:
    work = work_of(context, WORK, focus_areas.CHECK, t.STALE)
    try:
        count = await call(context, focus_areas.record_check, actor_id=context.person.id, area_id=work["area_id"],
                           text=update.message.text, now=now(context))
    except InvalidInput as exc:
        await say(update, esc(exc.message))
        return Step.CHECK
    context.user_data.pop(WORK, None)
    await _show(update, context, work["area_id"], t.CHECK_SAVED.format(count=count))
    return ConversationHandler.END


@requires(Role.director)
async def close_start(update: Update, context: BotContext) -> int:
    return await _start(update, context, FocusClose, focus_areas.CLOSE, t.ASK_RESULT, Step.RESULT)


@requires(Role.director)
async def got_result(update: Update, context: BotContext) -> int:
    work = work_of(context, WORK, focus_areas.CLOSE, t.STALE)
    try:
        village = await call(context, focus_areas.close, actor_id=context.person.id, area_id=work["area_id"],
                             result=update.message.text, now=now(context))
    except InvalidInput as exc:
        await say(update, esc(exc.message))
        return Step.RESULT
    context.user_data.pop(WORK, None)
    await say(update, t.CLOSED.format(village=esc(village)))
    return ConversationHandler.END


@requires(Role.director)
async def extend_start(update: Update, context: BotContext) -> int:
    return await _start(update, context, FocusExtend, focus_areas.EXTEND, t.ASK_REASON, Step.REASON)


@requires(Role.director)
async def got_reason(update: Update, context: BotContext) -> int:
    work = work_of(context, WORK, focus_areas.EXTEND, t.STALE)
    try:
        work["reason"] = focus_areas.clean_reason(update.message.text)
    except InvalidInput as exc:
        await say(update, esc(exc.message))
        return Step.REASON
    await _ask_due(update, context, t.ASK_NEW_DUE, due=work["due"])
    return Step.NEW_DUE


async def _extend_to(update: Update, context: BotContext, day: date) -> int:
    work = work_of(context, WORK, focus_areas.EXTEND, t.STALE)
    if "reason" not in work:
        raise DomainError(t.STALE)
    try:
        due = await call(context, focus_areas.extend, actor_id=context.person.id, area_id=work["area_id"],
                         reason=work["reason"], due_date=day, now=now(context), policy=_policy(context))
    except InvalidInput as exc:  # not later than the current deadline, or not a working day: choose again
        await _refused_due(update, exc)
        return Step.NEW_DUE
    context.user_data.pop(WORK, None)
    await _show(update, context, work["area_id"], t.EXTENDED.format(due=due))
    return ConversationHandler.END


@requires(Role.director)
async def new_due_pressed(update: Update, context: BotContext) -> int:
    return await _extend_to(update, context, pressed(update, FocusDue).day)


@requires(Role.director)
async def new_due_typed(update: Update, context: BotContext) -> int:
    day = await _typed_day(update, context)
    return Step.NEW_DUE if day is None else await _extend_to(update, context, day)


async def wrong_input(update: Update, context: BotContext) -> None:
    await say(update, t.WRONG_INPUT)


def build_conversation() -> Flow:
    text = filters.TEXT & ~filters.COMMAND
    other = MessageHandler(~filters.COMMAND, wrong_input)
    return Flow(
        entry_points=[CallbackQueryHandler(new_listing, pattern=FocusNew.pattern()),
                      CallbackQueryHandler(plan_start, pattern=FocusPlan.pattern()),
                      CallbackQueryHandler(check_start, pattern=FocusCheckStart.pattern()),
                      CallbackQueryHandler(close_start, pattern=FocusClose.pattern()),
                      CallbackQueryHandler(extend_start, pattern=FocusExtend.pattern())],
        states={
            Step.VILLAGE: [CallbackQueryHandler(got_village, pattern=FocusVillage.pattern()), other],
            Step.PROBLEM: [MessageHandler(text, got_problem), other],
            Step.DUE: [CallbackQueryHandler(due_pressed, pattern=FocusDue.pattern()), MessageHandler(text, due_typed),
                       other],
            Step.PLAN: [MessageHandler(text, got_plan), other],
            Step.RESPONSIBLE: [CallbackQueryHandler(got_responsible, pattern=FocusResponsible.pattern()), other],
            Step.CHECK: [MessageHandler(text, got_check), other],
            Step.RESULT: [MessageHandler(text, got_result), other],
            Step.REASON: [MessageHandler(text, got_reason), other],
            Step.NEW_DUE: [CallbackQueryHandler(new_due_pressed, pattern=FocusDue.pattern()),
                           MessageHandler(text, new_due_typed), other],
        },
        name="focus",
        timeout=TIMEOUT,
        draft=WORK,
        cancelled=t.CANCELLED,
    )


def handlers() -> list[BaseHandler]:
    """New objects per call: a ConversationHandler keeps per-application state."""
    return [
        build_conversation(),
        CommandHandler("focus", list_command),
        CallbackQueryHandler(open_area, pattern=FocusOpen.pattern()),
    ]
