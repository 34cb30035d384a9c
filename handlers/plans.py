"""综治工作计划 in chat (工作职责 1), in private chats only.

/plan lists the plans (the center also sees drafts) and offers the center's people 「制定工作计划」:
the period (buttons) → the 总体目标 (typed) → a draft. On a draft: 「添加任务」 (the task typed, the
责任单位 or 责任人 by button, the 完成时限 by button or a typed date), 「删除任务」, and for the director
「印发」 (confirmed). On an issued plan: a button per task; a task's owner reports 进展 or 完成
(typed), the director may 退回 a completion (the reason typed); 「Word 印发件」 sends the 印发通知.
Every step is checked again by bot/services/work_plans.py.

One persistent conversation, "plan", takes the typed answers; what was typed so far lives in the
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
    PlanAddTask,
    PlanDocx,
    PlanDue,
    PlanIssue,
    PlanIssueConfirm,
    PlanNew,
    PlanOpen,
    PlanOwner,
    PlanOwnerKind,
    PlanPeriodPick,
    PlanRemove,
    PlanRemoveTask,
    PlanTaskDone,
    PlanTaskOpen,
    PlanTaskProgress,
    PlanTaskSendBack,
)
from bot.context import BotContext
from bot.keyboards import button, grid, inline, keyboard
from bot.services import report_docx, work_plans
from bot.services.errors import DomainError, InvalidInput
from bot.texts import plans as t
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

VIEWER_ROLES = work_plans.VIEWERS
DRAFTERS = (Role.director, Role.leader, Role.staff)
WORK = "plan_work"  # user_data: {"what", "plan_id" | "task_id", "period"…, "text", "kind", "owner_id"}
TIMEOUT = 30 * 60
UNIT, PERSON = "unit", "person"


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    PERIOD = 0
    AIM = 1
    TASK = 2
    OWNER_KIND = 3
    OWNER = 4
    DUE = 5
    PROGRESS = 6
    RESULT = 7
    REASON = 8


def _tz(context: BotContext):
    return context.deps.settings.tz


async def _typed(update: Update, clean, step: Step) -> str | Step:
    """The typed text cleaned by the service's rule, or the same step asked again."""
    try:
        return clean(update.message.text)
    except InvalidInput as exc:
        await say(update, esc(exc.message))
        return step


# --- /plan and the cards ---------------------------------------------------------------------------


@requires(*VIEWER_ROLES)
async def list_command(update: Update, context: BotContext) -> None:
    if not in_private(update):
        await say(update, t.PRIVATE_ONLY)
        return
    rows, may_draft = await call(context, work_plans.plans, actor_id=context.person.id)
    buttons = [[button(t.LIST_ROW.format(title=r.title, state=t.LIST_ROW_DRAFT if r.draft else
                                         t.LIST_ROW_TASKS.format(done=r.done, total=r.total)), PlanOpen(r.plan_id).pack())]
               for r in rows]
    if may_draft:
        buttons.append([button(t.BUTTON_NEW, PlanNew().pack())])
    await say(update, t.LIST_HEAD if rows else t.LIST_EMPTY, inline(buttons) if buttons else None)


async def _show(update: Update, context: BotContext, plan_id: int, note: str = "") -> None:
    shown = await call(context, work_plans.show, actor_id=context.person.id, plan_id=plan_id, now=now(context),
                       tz=_tz(context))
    await say(update, f"{note}\n\n{shown.text}" if note else shown.text, keyboard(shown.buttons))


@requires(*VIEWER_ROLES)
async def open_plan(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    await _show(update, context, pressed(update, PlanOpen).plan_id)


@requires(*VIEWER_ROLES)
async def open_task(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    shown = await call(context, work_plans.show_task, actor_id=context.person.id,
                       task_id=pressed(update, PlanTaskOpen).task_id, now=now(context), tz=_tz(context))
    await say(update, shown.text, keyboard(shown.buttons))


@requires(*VIEWER_ROLES)
async def send_docx(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    view = await call(context, work_plans.document, actor_id=context.person.id,
                      plan_id=pressed(update, PlanDocx).plan_id, org=context.deps.settings.notice_issuer_org,
                      tz=_tz(context))
    await update.effective_chat.send_document(document=report_docx.build_docx(view), filename=f"{view.doc_number}.docx",
                                              caption=esc(view.title), protect_content=True)


# --- a new plan: period → 总体目标 -------------------------------------------------------------------


@requires(*DRAFTERS)
async def new_plan(update: Update, context: BotContext) -> int:
    if not in_private(update):
        raise StaleButton()
    context.user_data[WORK] = {"what": "new"}
    choices = work_plans.period_choices(local_today(context))
    rows = grid([button(c.title, PlanPeriodPick(c.period, c.year, c.part).pack()) for c in choices], 2)
    await say(update, t.ASK_PERIOD, inline(rows))
    return Step.PERIOD


@requires(*DRAFTERS)
async def got_period(update: Update, context: BotContext) -> int:
    work = work_of(context, WORK, "new", t.STALE)
    code = pressed(update, PlanPeriodPick)
    found = await call(context, work_plans.find, actor_id=context.person.id, period=code.period, year=code.year,
                       part=code.part)
    if found is not None:  # that period's plan exists: open it
        context.user_data.pop(WORK, None)
        await _show(update, context, found)
        return ConversationHandler.END
    work.update(period=code.period.value, year=code.year, part=code.part)
    title = t.period_title(code.period, code.year, code.part)
    await reply(update, t.ASK_AIM.format(title=esc(title)), edit=True)
    return Step.AIM


@requires(*DRAFTERS)
async def got_aim(update: Update, context: BotContext) -> int:
    work = work_of(context, WORK, "new", t.STALE)
    if "period" not in work:
        raise DomainError(t.STALE)
    aim = await _typed(update, work_plans.clean_aim, Step.AIM)
    if isinstance(aim, Step):
        return aim
    plan_id = await call(context, work_plans.create, actor_id=context.person.id, period=work["period"],
                         year=work["year"], part=work["part"], aim=aim, now=now(context))
    context.user_data.pop(WORK, None)
    await _show(update, context, plan_id, t.CREATED.format(title=esc(t.period_title(work["period"], work["year"],
                                                                                      work["part"]))))
    return ConversationHandler.END


# --- a task: text → 责任单位/责任人 → 完成时限 -------------------------------------------------------------


@requires(*DRAFTERS)
async def add_task(update: Update, context: BotContext) -> int:
    if not in_private(update):
        raise StaleButton()
    plan_id = pressed(update, PlanAddTask).plan_id
    seq = await call(context, work_plans.check_draft, actor_id=context.person.id, plan_id=plan_id)
    context.user_data[WORK] = {"what": "task", "plan_id": plan_id}
    await say(update, t.ASK_TASK.format(seq=seq))
    return Step.TASK


@requires(*DRAFTERS)
async def got_task(update: Update, context: BotContext) -> int:
    work = work_of(context, WORK, "task", t.STALE)
    text = await _typed(update, work_plans.clean_task, Step.TASK)
    if isinstance(text, Step):
        return text
    work["text"] = text
    await say(update, t.ASK_OWNER_KIND, inline([[button(t.BUTTON_UNIT, PlanOwnerKind(UNIT).pack()),
                                                 button(t.BUTTON_PERSON, PlanOwnerKind(PERSON).pack())]]))
    return Step.OWNER_KIND


@requires(*DRAFTERS)
async def got_owner_kind(update: Update, context: BotContext) -> int:
    work = work_of(context, WORK, "task", t.STALE)
    kind = pressed(update, PlanOwnerKind).kind
    if kind not in (UNIT, PERSON) or "text" not in work:
        raise StaleButton()
    lister = work_plans.unit_choices if kind == UNIT else work_plans.person_choices
    choices = await call(context, lister, actor_id=context.person.id)
    rows = grid([button(c.name, PlanOwner(kind, c.id).pack()) for c in choices], 2 if kind == UNIT else 1)
    await reply(update, t.ASK_UNIT if kind == UNIT else t.ASK_PERSON, reply_markup=inline(rows), edit=True)
    return Step.OWNER


@requires(*DRAFTERS)
async def got_owner(update: Update, context: BotContext) -> int:
    work = work_of(context, WORK, "task", t.STALE)
    code = pressed(update, PlanOwner)
    if code.kind not in (UNIT, PERSON) or "text" not in work:
        raise StaleButton()
    work.update(kind=code.kind, owner_id=code.owner_id)
    choices = await call(context, work_plans.due_choices, plan_id=work["plan_id"], today=local_today(context),
                         policy=context.deps.policy.deadlines)
    rows = grid([button(t.DUE_BUTTON.format(label=label, date=date_label(day)), PlanDue(day).pack())
                 for label, day in choices], 1)
    example = (choices[-1][1] if choices else local_today(context) + timedelta(days=7)).isoformat()
    await reply(update, t.ASK_DUE.format(example=example), reply_markup=inline(rows) if rows else None, edit=True)
    return Step.DUE


async def _add_on(update: Update, context: BotContext, day: date) -> int:
    work = work_of(context, WORK, "task", t.STALE)
    if "owner_id" not in work:
        raise DomainError(t.STALE)
    owner = {"unit_id" if work["kind"] == UNIT else "person_id": work["owner_id"]}
    try:
        seq = await call(context, work_plans.add_task, actor_id=context.person.id, plan_id=work["plan_id"],
                         text=work["text"], due_on=day, now=now(context), policy=context.deps.policy.deadlines, **owner)
    except InvalidInput as exc:  # outside the period, or not a working day: choose again, the rest is kept
        await say(update, esc(exc.message))
        return Step.DUE
    context.user_data.pop(WORK, None)
    await _show(update, context, work["plan_id"], t.TASK_ADDED.format(seq=seq))
    return ConversationHandler.END


@requires(*DRAFTERS)
async def due_pressed(update: Update, context: BotContext) -> int:
    return await _add_on(update, context, pressed(update, PlanDue).day)


@requires(*DRAFTERS)
async def due_typed(update: Update, context: BotContext) -> int:
    day = parse_date(update.message.text, local_today(context))
    if day is None:
        await say(update, t.BAD_DATE.format(example=(local_today(context) + timedelta(days=7)).isoformat()))
        return Step.DUE
    return await _add_on(update, context, day)


# --- a draft's 删除任务 and the director's 印发 ------------------------------------------------------------


@requires(*DRAFTERS)
async def remove_menu(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    tasks = await call(context, work_plans.draft_tasks, actor_id=context.person.id,
                       plan_id=pressed(update, PlanRemove).plan_id)
    rows = grid([button(t.BUTTON_TASK.format(seq=seq), PlanRemoveTask(task_id).pack()) for task_id, seq in tasks], 5)
    await reply(update, t.ASK_REMOVE, reply_markup=inline(rows), edit=True)


@requires(*DRAFTERS)
async def remove_task(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    task_id = pressed(update, PlanRemoveTask).task_id
    plan_id, seq = await call(context, work_plans.remove_task, actor_id=context.person.id, task_id=task_id)
    await reply(update, t.TASK_REMOVED.format(seq=seq), edit=True)
    await _show(update, context, plan_id)


@requires(Role.director)
async def issue_ask(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    plan_id = pressed(update, PlanIssue).plan_id
    title = await call(context, work_plans.check_issue, actor_id=context.person.id, plan_id=plan_id)
    await say(update, t.ASK_ISSUE.format(title=esc(title)),
               inline([[button(t.BUTTON_ISSUE_CONFIRM, PlanIssueConfirm(plan_id).pack())]]))


@requires(Role.director)
async def issue_confirmed(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    plan_id = pressed(update, PlanIssueConfirm).plan_id
    done = await call(context, work_plans.issue, actor_id=context.person.id, plan_id=plan_id,
                      code=context.deps.settings.notice_issuer_code, now=now(context),
                      policy=context.deps.policy.deadlines)
    await reply(update, t.ISSUED.format(title=esc(done.title), number=done.number, count=done.told,
                                         others=done.circulated), edit=True)
    await _show(update, context, plan_id)


# --- 组织实施: 报进展, 报完成, 退回 ---------------------------------------------------------------------


async def _task_start(update: Update, context: BotContext, code, what: str, check, ask: str, step: Step) -> int:
    if not in_private(update):
        raise StaleButton()
    task_id = pressed(update, code).task_id
    seq, text = await call(context, check, actor_id=context.person.id, task_id=task_id)
    context.user_data[WORK] = {"what": what, "task_id": task_id}
    await say(update, ask.format(seq=seq, text=esc(text)))
    return step


async def _task_save(update: Update, context: BotContext, what: str, save, step: Step, done: str) -> int:
    work = work_of(context, WORK, what, t.STALE)
    try:
        await call(context, save, actor_id=context.person.id, task_id=work["task_id"], text=update.message.text,
                   now=now(context))
    except InvalidInput as exc:
        await say(update, esc(exc.message))
        return step
    context.user_data.pop(WORK, None)
    await say(update, done, inline([[button(t.BUTTON_VIEW_TASK, PlanTaskOpen(work["task_id"]).pack())]]))
    return ConversationHandler.END


@requires(*VIEWER_ROLES)
async def progress_start(update: Update, context: BotContext) -> int:
    return await _task_start(update, context, PlanTaskProgress, "progress", work_plans.check_owner, t.ASK_PROGRESS,
                             Step.PROGRESS)


@requires(*VIEWER_ROLES)
async def got_progress(update: Update, context: BotContext) -> int:
    return await _task_save(update, context, "progress", work_plans.report_progress, Step.PROGRESS, t.PROGRESS_SAVED)


@requires(*VIEWER_ROLES)
async def done_start(update: Update, context: BotContext) -> int:
    return await _task_start(update, context, PlanTaskDone, "done", work_plans.check_owner, t.ASK_RESULT, Step.RESULT)


@requires(*VIEWER_ROLES)
async def got_result(update: Update, context: BotContext) -> int:
    return await _task_save(update, context, "done", work_plans.report_done, Step.RESULT, t.DONE_SAVED)


@requires(Role.director)
async def send_back_start(update: Update, context: BotContext) -> int:
    return await _task_start(update, context, PlanTaskSendBack, "back", work_plans.check_send_back, t.ASK_REASON,
                             Step.REASON)


@requires(Role.director)
async def got_reason(update: Update, context: BotContext) -> int:
    work = work_of(context, WORK, "back", t.STALE)
    try:
        seq = await call(context, work_plans.send_back, actor_id=context.person.id, task_id=work["task_id"],
                         reason=update.message.text, now=now(context))
    except InvalidInput as exc:
        await say(update, esc(exc.message))
        return Step.REASON
    context.user_data.pop(WORK, None)
    await say(update, t.SENT_BACK.format(seq=seq))
    return ConversationHandler.END


async def wrong_input(update: Update, context: BotContext) -> None:
    await say(update, t.WRONG_INPUT)


def build_conversation() -> Flow:
    text = filters.TEXT & ~filters.COMMAND
    other = MessageHandler(~filters.COMMAND, wrong_input)
    return Flow(
        entry_points=[CallbackQueryHandler(new_plan, pattern=PlanNew.pattern()),
                      CallbackQueryHandler(add_task, pattern=PlanAddTask.pattern()),
                      CallbackQueryHandler(progress_start, pattern=PlanTaskProgress.pattern()),
                      CallbackQueryHandler(done_start, pattern=PlanTaskDone.pattern()),
                      CallbackQueryHandler(send_back_start, pattern=PlanTaskSendBack.pattern())],
        states={
            Step.PERIOD: [CallbackQueryHandler(got_period, pattern=PlanPeriodPick.pattern()), other],
            Step.AIM: [MessageHandler(text, got_aim), other],
            Step.TASK: [MessageHandler(text, got_task), other],
            Step.OWNER_KIND: [CallbackQueryHandler(got_owner_kind, pattern=PlanOwnerKind.pattern()), other],
            Step.OWNER: [CallbackQueryHandler(got_owner, pattern=PlanOwner.pattern()), other],
            Step.DUE: [CallbackQueryHandler(due_pressed, pattern=PlanDue.pattern()), MessageHandler(text, due_typed),
                       other],
            Step.PROGRESS: [MessageHandler(text, got_progress), other],
            Step.RESULT: [MessageHandler(text, got_result), other],
            Step.REASON: [MessageHandler(text, got_reason), other],
        },
        name="plan",
        timeout=TIMEOUT,
        draft=WORK,
        cancelled=t.CANCELLED,
    )


def handlers() -> list[BaseHandler]:
    """New objects per call: a ConversationHandler keeps per-application state."""
    return [
        build_conversation(),
        CommandHandler("plan", list_command),
        CallbackQueryHandler(open_plan, pattern=PlanOpen.pattern()),
        CallbackQueryHandler(open_task, pattern=PlanTaskOpen.pattern()),
        CallbackQueryHandler(send_docx, pattern=PlanDocx.pattern()),
        CallbackQueryHandler(remove_menu, pattern=PlanRemove.pattern()),
        CallbackQueryHandler(remove_task, pattern=PlanRemoveTask.pattern()),
        CallbackQueryHandler(issue_ask, pattern=PlanIssue.pattern()),
        CallbackQueryHandler(issue_confirmed, pattern=PlanIssueConfirm.pattern()),
    ]
