"""工作联系点 in chat (bot/services/contact_points.py), private chats only.

/contact lists the person's contact villages (the center's people: every village that has a contact
point) with the last record and unanswered problems; a village's page shows its recent work (records
and 重点整治 督促检查, newest first, texts shortened). A contact point records work: 「➕ 记录联系点工作」
→ the kind (buttons) → the day (buttons) → what was done (typed) → a problem for the center (typed)
or 「没有问题」. The director answers a problem from its message: 「✍️ 答复问题」 → typed. One
persistent conversation, "contact"; the draft lives in user_data.
"""

from datetime import date
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
    ContactAnswer,
    ContactDay,
    ContactList,
    ContactNew,
    ContactNoProblem,
    ContactVillage,
    ContactWorkPick,
    any_of,
)
from bot.context import BotContext
from bot.keyboards import button, grid, inline
from bot.services import contact_points
from bot.services.errors import DomainError
from bot.texts import contact as t
from handlers.common import (
    Flow,
    StaleButton,
    call,
    esc,
    in_private,
    local_today,
    now,
    pressed,
    pressed_one_of,
    reply,
)
from models import ContactWork

DRAFT = "contact_draft"  # user_data: {"village_id", "village", "work", "day", "content"} or {"record_id"}
TIMEOUT = 30 * 60


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    WORK = 0
    DAY = 1
    CONTENT = 2
    PROBLEM = 3
    ANSWER = 4


def _draft(context: BotContext, *keys: str) -> dict:
    draft = context.user_data.get(DRAFT)
    if not isinstance(draft, dict) or not set(keys) <= draft.keys():
        raise DomainError(t.STALE)
    return draft


async def _list(update: Update, context: BotContext, *, edit: bool) -> None:
    found = await call(context, contact_points.villages, actor_id=context.person.id)
    if not found:
        await reply(update, t.LIST_EMPTY, edit=edit)
        return
    lines = [t.LIST_HEAD] + [t.LIST_ROW.format(
        name=esc(v.name), leaders=esc("、".join(v.leaders) or t.NO_LEADER),
        last=t.LIST_LAST.format(day=t.day_text(v.last_on)) if v.last_on else t.LIST_NEVER,
        problems=t.LIST_PROBLEMS.format(n=v.open_problems) if v.open_problems else "") for v in found]
    rows = grid([button(v.name, ContactVillage(v.village_id).pack()) for v in found], 3)
    await reply(update, "\n".join(lines), reply_markup=inline(rows), edit=edit)


async def _page(update: Update, context: BotContext, village_id: int, *, edit: bool, note: str = "") -> None:
    page = await call(context, contact_points.village_page, actor_id=context.person.id, village_id=village_id,
                      tz=context.deps.settings.tz)
    text = (note + "\n\n" if note else "") + t.PAGE_HEAD.format(
        name=esc(page.name), leaders=esc("、".join(page.leaders) or t.NO_LEADER), total=page.total,
        shown=t.PAGE_SHOWN if page.recent else "")
    if not page.recent:
        text += "\n" + t.PAGE_NONE
    rows = []
    for w in page.recent:
        text += t.PAGE_ROW.format(day=t.day_text(w.day), work=w.kind, who=esc(w.who), content=esc(t.short(w.text)))
        if w.problem:
            text += t.PAGE_PROBLEM.format(problem=esc(t.short(w.problem)))
            if w.answer:
                text += t.PAGE_ANSWER.format(who=esc(w.answered_by), answer=esc(t.short(w.answer)))
            else:
                text += t.PAGE_UNANSWERED
                if page.may_answer:
                    rows.append([button(t.BUTTON_ANSWER_ONE.format(day=t.day_text(w.day)),
                                        ContactAnswer(w.record_id).pack())])
    if page.may_record:
        rows.append([button(t.BUTTON_RECORD, ContactNew(page.village_id).pack())])
    rows.append([button(t.BUTTON_BACK, ContactList().pack())])
    await reply(update, text, reply_markup=inline(rows), edit=edit)


async def contact_command(update: Update, context: BotContext) -> None:
    if not in_private(update):
        await update.effective_chat.send_message(t.PRIVATE_ONLY)
        return
    await _list(update, context, edit=False)


async def browse(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    code = pressed_one_of(update, (ContactList, ContactVillage))
    if isinstance(code, ContactList):
        await _list(update, context, edit=True)
        return
    await _page(update, context, code.village_id, edit=True)


# --- recording: kind → day → what was done → a problem or none ---------------------------------


async def start_record(update: Update, context: BotContext) -> int:
    if not in_private(update):
        raise StaleButton()
    village_id = pressed(update, ContactNew).village_id
    name = await call(context, contact_points.check_recorder, actor_id=context.person.id, village_id=village_id)
    context.user_data[DRAFT] = {"village_id": village_id, "village": name}
    rows = grid([button(w.value, ContactWorkPick(w).pack()) for w in ContactWork], 3)
    await update.effective_chat.send_message(t.ASK_WORK.format(village=esc(name)), reply_markup=inline(rows))
    return Step.WORK


async def got_work(update: Update, context: BotContext) -> int:
    _draft(context, "village_id")["work"] = pressed(update, ContactWorkPick).work.name
    days = contact_points.days_back(local_today(context))
    labels = [t.TODAY, t.YESTERDAY] + [t.day_text(d) for d in days[2:]]
    rows = grid([button(label, ContactDay(d).pack()) for label, d in zip(labels, days, strict=True)], 4)
    await reply(update, t.ASK_DAY, reply_markup=inline(rows), edit=True)
    return Step.DAY


async def got_day(update: Update, context: BotContext) -> int:
    draft = _draft(context, "village_id", "work")
    day = pressed(update, ContactDay).day
    if day not in contact_points.days_back(local_today(context)):
        raise StaleButton()
    draft["day"] = day.isoformat()
    await reply(update, t.ASK_CONTENT.format(work=ContactWork[draft["work"]].value, day=t.day_text(day)), edit=True)
    return Step.CONTENT


async def got_content(update: Update, context: BotContext) -> int:
    draft = _draft(context, "village_id", "work", "day")
    try:
        draft["content"] = contact_points.clean_content(update.message.text)
    except DomainError as exc:
        await update.effective_chat.send_message(str(exc))
        return Step.CONTENT
    await update.effective_chat.send_message(
        t.ASK_PROBLEM, reply_markup=inline([[button(t.BUTTON_NO_PROBLEM, ContactNoProblem().pack())]]))
    return Step.PROBLEM


async def _save(update: Update, context: BotContext, problem: str | None) -> int:
    """Kept only once saved: a refusal or an outage leaves the draft and the step as they were."""
    draft = _draft(context, "village_id", "work", "day", "content")
    work, day = ContactWork[draft["work"]], date.fromisoformat(draft["day"])
    await call(context, contact_points.record, actor_id=context.person.id, village_id=draft["village_id"],
               work=work, done_on=day, content=draft["content"], problem=problem, now=now(context),
               today=local_today(context))
    context.user_data.pop(DRAFT, None)
    note = t.SAVED.format(village=esc(draft["village"]), day=t.day_text(day), work=work.value)
    await _page(update, context, draft["village_id"], edit=False, note=note + ("\n" + t.SAVED_PROBLEM if problem else ""))
    return ConversationHandler.END


async def got_problem(update: Update, context: BotContext) -> int:
    try:
        problem = contact_points.clean_problem(update.message.text)
    except DomainError as exc:
        await update.effective_chat.send_message(str(exc))
        return Step.PROBLEM
    return await _save(update, context, problem)


async def no_problem(update: Update, context: BotContext) -> int:
    await update.callback_query.edit_message_reply_markup(None)
    return await _save(update, context, None)


# --- the director's answer -------------------------------------------------------------------------


async def start_answer(update: Update, context: BotContext) -> int:
    if not in_private(update):
        raise StaleButton()
    record_id = pressed(update, ContactAnswer).record_id
    row = await call(context, contact_points.check_answerable, actor_id=context.person.id, record_id=record_id)
    page = await call(context, contact_points.village_page, actor_id=context.person.id, village_id=row.village_id,
                      tz=context.deps.settings.tz)
    context.user_data[DRAFT] = {"record_id": record_id, "village_id": row.village_id}
    await update.effective_chat.send_message(t.ASK_ANSWER.format(village=esc(page.name), problem=esc(row.problem)))
    return Step.ANSWER


async def got_answer(update: Update, context: BotContext) -> int:
    draft = _draft(context, "record_id", "village_id")
    try:
        row = await call(context, contact_points.answer, actor_id=context.person.id, record_id=draft["record_id"],
                         text=update.message.text, now=now(context))
    except DomainError as exc:
        await update.effective_chat.send_message(str(exc))
        return Step.ANSWER
    context.user_data.pop(DRAFT, None)
    await _page(update, context, row.village_id, edit=False, note=t.ANSWER_SAVED)
    return ConversationHandler.END


async def not_text(update: Update, context: BotContext) -> int | None:
    await update.effective_chat.send_message(t.TEXT_ONLY)
    return None


def build_conversation() -> ConversationHandler:
    typed = filters.TEXT & ~filters.COMMAND
    return Flow(
        entry_points=[CallbackQueryHandler(start_record, pattern=any_of(ContactNew)),
                      CallbackQueryHandler(start_answer, pattern=any_of(ContactAnswer))],
        states={
            Step.WORK: [CallbackQueryHandler(got_work, pattern=any_of(ContactWorkPick))],
            Step.DAY: [CallbackQueryHandler(got_day, pattern=any_of(ContactDay))],
            Step.CONTENT: [MessageHandler(typed, got_content), MessageHandler(~filters.COMMAND, not_text)],
            Step.PROBLEM: [MessageHandler(typed, got_problem), MessageHandler(~filters.COMMAND, not_text),
                           CallbackQueryHandler(no_problem, pattern=any_of(ContactNoProblem))],
            Step.ANSWER: [MessageHandler(typed, got_answer), MessageHandler(~filters.COMMAND, not_text)],
        },
        draft=DRAFT, cancelled=t.CANCELLED,
        name="contact",
        timeout=TIMEOUT,
    )


def handlers() -> list[BaseHandler]:
    return [
        build_conversation(),
        CommandHandler("contact", contact_command),
        CallbackQueryHandler(browse, pattern=any_of(ContactList, ContactVillage)),
    ]
