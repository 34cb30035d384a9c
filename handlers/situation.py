"""社会治安形势分析 in chat (bot/services/situation.py), private chats only.

/analysis lists the drafts and the latest submitted analyses, with 「➕ 本月」「➕ 上月」「➕ 本季度」; an
analysis shows its figures and three parts, each written by 「✏️ …」 (typed; one persistent
conversation, "situation"), and the director's 「📤 报送党委」.
"""

from datetime import timedelta
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
    SituationDocx,
    SituationEdit,
    SituationList,
    SituationNew,
    SituationOpen,
    SituationSubmit,
    any_of,
)
from bot.context import BotContext
from bot.keyboards import button, inline
from bot.services import report_docx, situation
from bot.services.errors import DomainError
from bot.texts import situation as t
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
from models import SituationKind

DRAFT = "situation_draft"  # user_data: {"report_id", "field"}
TIMEOUT = 30 * 60


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    TEXT = 0


async def _list(update: Update, context: BotContext, *, edit: bool) -> None:
    found = await call(context, situation.listing, actor_id=context.person.id)
    lines, rows = [t.LIST_HEAD], []
    for head, mark, shown in ((t.LIST_DRAFTS, "📝", found.drafts), (t.LIST_DONE, "✅", found.submitted)):
        if shown:
            lines += [head, *(f"{mark} {esc(name)}" for _, name in shown)]
            rows += [[button(f"{mark} {name}", SituationOpen(report_id).pack())] for report_id, name in shown]
    if not (found.drafts or found.submitted):
        lines.append(t.LIST_EMPTY)
    if found.may_start:
        today = local_today(context)
        month = situation.period_of(SituationKind.month, today)
        last = situation.period_of(SituationKind.month, month[0] - timedelta(days=1))
        quarter = situation.period_of(SituationKind.quarter, today)
        rows.append([button(t.BUTTON_MONTH, SituationNew(SituationKind.month, *month).pack()),
                     button(t.BUTTON_LAST_MONTH, SituationNew(SituationKind.month, *last).pack())])
        rows.append([button(t.BUTTON_QUARTER, SituationNew(SituationKind.quarter, *quarter).pack())])
    await reply(update, "\n".join(lines), reply_markup=inline(rows) if rows else None, edit=edit)


async def _show(update: Update, context: BotContext, report_id: int, *, edit: bool, note: str = "") -> None:
    shown = await call(context, situation.view, actor_id=context.person.id, report_id=report_id,
                       tz=context.deps.settings.tz)
    rows = []
    if shown.may_write:
        rows += [[button(t.BUTTON_EDIT.format(label=t.FIELD_LABELS[f]), SituationEdit(shown.id, f).pack())]
                 for f in situation.FIELDS]
    if shown.may_submit:
        rows.append([button(t.BUTTON_SUBMIT, SituationSubmit(shown.id).pack())])
    if shown.submitted:
        rows.append([button(t.BUTTON_DOCX, SituationDocx(shown.id).pack())])
    rows.append([button(t.BUTTON_BACK, SituationList().pack())])
    await reply(update, (note + "\n\n" if note else "") + esc(shown.text), reply_markup=inline(rows), edit=edit)


async def analysis_command(update: Update, context: BotContext) -> None:
    if not in_private(update):
        await update.effective_chat.send_message(t.PRIVATE_ONLY)
        return
    await _list(update, context, edit=False)


async def browse(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    code = pressed_one_of(update, (SituationList, SituationOpen, SituationNew, SituationSubmit, SituationDocx))
    if isinstance(code, SituationDocx):
        view = await call(context, situation.document, actor_id=context.person.id, report_id=code.report_id,
                          tz=context.deps.settings.tz, org=context.deps.notice_style.org)
        await update.effective_chat.send_document(document=report_docx.build_docx(view), filename=f"{view.title}.docx",
                                                  caption=esc(view.title), protect_content=True)
        return
    if isinstance(code, SituationList):
        await _list(update, context, edit=True)
        return
    if isinstance(code, SituationOpen):
        await _show(update, context, code.report_id, edit=True)
        return
    if isinstance(code, SituationSubmit):
        await call(context, situation.submit, actor_id=context.person.id, report_id=code.report_id, now=now(context),
                   tz=context.deps.settings.tz)
        await _show(update, context, code.report_id, edit=True, note=t.SUBMITTED)
        return
    if code.kind not in (SituationKind.month, SituationKind.quarter) or \
            situation.period_of(code.kind, code.start) != (code.start, code.end):
        raise StaleButton()
    report = await call(context, situation.open_draft, actor_id=context.person.id, kind=code.kind, start=code.start,
                        end=code.end, now=now(context), tz=context.deps.settings.tz)
    await _show(update, context, report.id, edit=True)


async def ask_field(update: Update, context: BotContext) -> int:
    if not in_private(update):
        raise StaleButton()
    code = pressed(update, SituationEdit)
    shown = await call(context, situation.view, actor_id=context.person.id, report_id=code.report_id,
                       tz=context.deps.settings.tz)
    if not shown.may_write:
        raise DomainError(t.ALREADY_SUBMITTED)
    field = code.field.value
    context.user_data[DRAFT] = {"report_id": code.report_id, "field": field}
    lo, hi = situation.FIELD_LENGTH
    await update.effective_chat.send_message(t.ASK_FIELD.format(label=t.FIELD_LABELS[field], hint=t.FIELD_HINTS[field],
                                                                lo=lo, hi=hi))
    return Step.TEXT


async def got_field(update: Update, context: BotContext) -> int:
    draft = context.user_data.get(DRAFT)
    if not isinstance(draft, dict) or not {"report_id", "field"} <= draft.keys():
        await update.effective_chat.send_message(t.STALE)
        return ConversationHandler.END
    try:
        await call(context, situation.save_field, actor_id=context.person.id, report_id=draft["report_id"],
                   field=draft["field"], text=update.message.text)
    except DomainError as exc:
        await update.effective_chat.send_message(str(exc))
        return Step.TEXT
    context.user_data.pop(DRAFT, None)
    await _show(update, context, draft["report_id"], edit=False,
                note=t.SAVED.format(label=t.FIELD_LABELS[draft["field"]]))
    return ConversationHandler.END


async def not_text(update: Update, context: BotContext) -> int:
    await update.effective_chat.send_message(t.TEXT_ONLY)
    return Step.TEXT


def build_conversation() -> ConversationHandler:
    return Flow(
        entry_points=[CallbackQueryHandler(ask_field, pattern=any_of(SituationEdit))],
        states={Step.TEXT: [MessageHandler(filters.TEXT & ~filters.COMMAND, got_field),
                            MessageHandler(~filters.COMMAND, not_text)]},
        draft=DRAFT, cancelled=t.CANCELLED,
        name="situation",
        timeout=TIMEOUT,
    )


def handlers() -> list[BaseHandler]:
    return [
        build_conversation(),
        CommandHandler("analysis", analysis_command),
        CallbackQueryHandler(browse, pattern=any_of(SituationList, SituationOpen, SituationNew, SituationSubmit,
                                                    SituationDocx)),
    ]
