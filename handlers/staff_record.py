"""Per-person records in chat (issue 17, 首问责任制): /myrecord shows a staff member their own year —
首问 taken, out-of-scope guidance, cases on time, satisfaction, and the director's 表扬 / 批评; the
center's leaders and the director pick any staff member. The director records 表扬 or 批评 with a
reason (one persistent conversation, "staff_note"; the person is told)."""

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

from bot.callbacks import StaffNoteNew, StaffRecordOpen, any_of
from bot.context import BotContext
from bot.keyboards import button, grid, inline
from bot.services.assessment import catalogue, staff
from bot.services.errors import DomainError
from bot.texts import assessment as t
from handlers.common import Flow, StaleButton, call, esc, in_private, now, pressed, reply, requires
from models import Role, StaffNoteKind

PENDING = "staff_note_pending"  # user_data: [person id, kind]
TIMEOUT = 15 * 60


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    REASON = 0


def _rate(value) -> str:
    return f"{catalogue.num(value)}%" if value is not None else t.NO_DATA


async def _show(update: Update, context: BotContext, person_id: int, *, edit: bool) -> None:
    moment = now(context)
    tz = context.deps.settings.tz
    rec = await call(context, staff.record, actor_id=context.person.id, person_id=person_id,
                     year=moment.astimezone(tz).year, now=moment, tz=tz)
    lines = [t.STAFF_HEAD.format(name=esc(rec.name), year=rec.year, day=t.cn_date(moment.astimezone(tz).date())),
             t.STAFF_FIRST.format(first=rec.first_inquiry, guidance=rec.guidance),
             t.STAFF_ON_TIME.format(on_time=rec.on_time, total=rec.resolved_with_due, rate=_rate(rec.on_time_rate)),
             t.STAFF_SATISFIED.format(satisfied=rec.satisfied, rated=rec.rated, rate=_rate(rec.satisfaction_rate))]
    if rec.notes:
        lines.append(t.STAFF_NOTES)
        lines += [t.STAFF_NOTE_LINE.format(label=t.NOTE_LABELS[k], day=day, reason=esc(reason))
                  for k, day, reason in rec.notes]
    else:
        lines.append(t.STAFF_NO_NOTES)
    rows = []
    if Role.director in context.person.roles and person_id != context.person.id:
        rows.append([button(t.BUTTON_NOTE.format(label=t.NOTE_LABELS[k]), StaffNoteNew(person_id, k).pack())
                     for k in StaffNoteKind])
    await reply(update, "\n".join(lines), reply_markup=inline(rows) if rows else None, edit=edit)


@requires(Role.staff, *staff.LEADERS)
async def record_command(update: Update, context: BotContext) -> None:
    if not in_private(update):
        await update.effective_chat.send_message(t.PRIVATE_ONLY)
        return
    if not set(staff.LEADERS) & context.person.roles:
        await _show(update, context, context.person.id, edit=False)
        return
    people = await call(context, staff.staff, actor_id=context.person.id)
    rows = grid([button(name, StaffRecordOpen(pid).pack()) for pid, name in people], 3)
    await reply(update, t.STAFF_PICK if people else t.STAFF_NONE, reply_markup=inline(rows) if rows else None)


@requires()
async def open_button(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    code = pressed(update, StaffRecordOpen)
    await _show(update, context, code.person_id, edit=False)


@requires(Role.director)
async def ask_reason(update: Update, context: BotContext) -> int:
    if not in_private(update):
        raise StaleButton()
    code = pressed(update, StaffNoteNew)
    await call(context, staff.may_see, actor_id=context.person.id, person_id=code.person_id)
    context.user_data[PENDING] = [code.person_id, code.kind.value]
    await update.effective_chat.send_message(t.ASK_NOTE_REASON.format(label=t.NOTE_LABELS[code.kind]))
    return Step.REASON


async def save_reason(update: Update, context: BotContext) -> int:
    pending = context.user_data.get(PENDING)
    if not isinstance(pending, list) or len(pending) != 2:
        await update.effective_chat.send_message(t.STALE)
        return ConversationHandler.END
    person_id, kind = pending[0], StaffNoteKind(pending[1])
    try:
        await call(context, staff.add_note, actor_id=context.person.id, person_id=person_id, kind=kind,
                   reason=update.message.text, now=now(context))
    except DomainError as exc:
        await update.effective_chat.send_message(str(exc))
        return Step.REASON
    context.user_data.pop(PENDING, None)
    rec_name = (await call(context, staff.record, actor_id=context.person.id, person_id=person_id,
                           year=now(context).year, now=now(context), tz=context.deps.settings.tz)).name
    await update.effective_chat.send_message(t.NOTE_SAVED.format(label=t.NOTE_LABELS[kind], name=esc(rec_name)))
    return ConversationHandler.END


async def wrong_reason(update: Update, context: BotContext) -> int:
    await update.effective_chat.send_message(t.NOTE_REASON_EMPTY)
    return Step.REASON


def build_conversation() -> ConversationHandler:
    return Flow(
        entry_points=[CallbackQueryHandler(ask_reason, pattern=any_of(StaffNoteNew))],
        states={Step.REASON: [MessageHandler(filters.TEXT & ~filters.COMMAND, save_reason),
                              MessageHandler(~filters.COMMAND, wrong_reason)]},
        draft=PENDING, cancelled=t.CANCELLED,
        name="staff_note",
        timeout=TIMEOUT,
    )


def handlers() -> list[BaseHandler]:
    return [
        build_conversation(),
        CommandHandler("myrecord", record_command),
        CallbackQueryHandler(open_button, pattern=any_of(StaffRecordOpen)),
    ]
