"""信息报告 in chat: view a report, fill its fields, submit it (报送), start a 续报 or the 终报;
/bindgroup registers the party committee's group chat that receives submitted reports.

Viewing and pressing are stateless buttons (ids in the data; the service checks the presser and
the report's state on every press). Only typing one field's text is a short persistent
conversation ("info_report"); what is being typed is plain JSON in user_data, so it survives a
restart. Reports are shown and filled in private chats only; in a group the bot answers only its
own commands.
"""

from datetime import datetime
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

from bot import texts
from bot.callbacks import (
    INFO_REPORT_FAMILY,
    GroupUnbind,
    InfoReportField,
    InfoReportList,
    InfoReportNext,
    InfoReportOpen,
    InfoReportPhoned,
    InfoReportSubmit,
    InfoReportView,
    UpwardStart,
    lead,
)
from bot.context import BotContext
from bot.keyboards import button, grid, inline
from bot.services import groups, info_reports
from bot.services.errors import DomainError, InvalidInput
from bot.services.info_reports import FIELD_LABELS, FIELDS, KIND_LABELS, ReportsWaiting, ReportView
from bot.texts import upward as upward_texts
from handlers.cases.card import back_button, upward_line
from handlers.common import (
    Flow,
    StaleButton,
    call,
    esc,
    in_private,
    now,
    pressed,
    pressed_one_of,
    reply,
    requires,
)
from models import InfoReportKind


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    TYPING = 0


TYPING = Step.TYPING

FIELD_KEY = "info_report"  # user_data while a field is typed: {"report_id": int, "field": str}
FIELD_TIMEOUT = 15 * 60  # seconds without an answer before the bot stops waiting for the text
MAX_SHOWN = 3500  # characters of the report shown in one message (Telegram's limit is 4096)
NEXT_KINDS = {"f": InfoReportKind.follow_up, "x": InfoReportKind.final}
# The stateless buttons (report_button reads them)
STATELESS = (InfoReportOpen, InfoReportView, InfoReportSubmit, InfoReportNext, InfoReportList, InfoReportPhoned)


def _when(context: BotContext, moment: datetime) -> str:
    return moment.astimezone(context.deps.settings.tz).strftime("%m-%d %H:%M")


# --- the report view ---------------------------------------------------------------------------


def _body(view: ReportView) -> str:
    """The rendered report (what the party committee receives), escaped, missing fields marked."""
    raw, cut = view.text, len(view.text) > MAX_SHOWN
    if cut:
        raw = raw[:MAX_SHOWN]
    marks = {f"{label}：—": texts.IR_MISSING_MARK.format(label=label) for label in view.missing}
    body = "\n".join(marks.get(line, esc(line)) for line in raw.split("\n"))
    return body + (texts.IR_TRUNCATED if cut else "")


def _phone_line(context: BotContext, view: ReportView) -> list[str]:
    """The 初报's phone report: made (when, by whom), or still due."""
    if view.phoned_at is not None:
        return [texts.IR_PHONE_DONE.format(at=_when(context, view.phoned_at), name=esc(view.phoned_by or "—"))]
    if view.phone_due is None or view.submitted_at is not None:
        return []
    late = now(context) > view.phone_due
    return [(texts.IR_PHONE_OVERDUE if late else texts.IR_PHONE_PENDING).format(due=_when(context, view.phone_due))]


def _status(context: BotContext, view: ReportView) -> list[str]:
    return _phone_line(context, view) + _written_status(context, view) + _upward_lines(context, view)


def _upward_lines(context: BotContext, view: ReportView) -> list[str]:
    """What was reported to higher departments after this report (上报上级)."""
    if not view.reported_up:
        return []
    tz = context.deps.settings.tz
    return [upward_texts.REPORT_VIEW_TITLE, *(esc(upward_line(r, tz)) for r in view.reported_up)]


def _written_status(context: BotContext, view: ReportView) -> list[str]:
    if view.submitted_at is not None:
        lines = [texts.IR_SUBMITTED_AT.format(at=_when(context, view.submitted_at))]
        if view.may_continue:
            lines.append(texts.IR_NEXT_HINT)
        elif view.kind == InfoReportKind.final:
            lines.append(texts.IR_FINISHED)
        return lines
    lines = []
    if view.due_at is not None:
        overdue = now(context) > view.due_at
        lines.append((texts.IR_OVERDUE if overdue else texts.IR_DUE).format(due=_when(context, view.due_at)))
    if not view.may_write:
        lines.append(texts.IR_READ_ONLY)
    elif view.missing:
        lines.append(texts.IR_MISSING.format(fields="、".join(view.missing)))
    else:
        lines.append(texts.IR_READY)
    return lines


def _keyboard(view: ReportView):
    rows = [[button(texts.INFO_REPORT_PHONED, InfoReportPhoned(view.id).pack())]] if view.may_phone else []
    if view.submitted_at is None and view.may_write:
        missing = set(view.missing)
        filled = view.filled
        fields = [
            button(("✅ " if key in filled else "❗ " if label in missing else "") + label, InfoReportField(view.id, key).pack())
            for key, label in FIELDS
        ]
        rows += [*grid(fields, 2), [button(texts.IR_SUBMIT, InfoReportSubmit(view.id).pack())]]
    elif view.may_continue:
        rows.append([button(texts.IR_FOLLOW_UP, InfoReportNext(view.case_id, "f").pack()),
                     button(texts.IR_FINAL, InfoReportNext(view.case_id, "x").pack())])
    if view.may_report_up:
        rows.append([button(upward_texts.CARD_BUTTON, UpwardStart(view.case_id).pack())])
    rows.append([button(texts.IR_BACK_TO_LIST, InfoReportList(view.case_id).pack())])
    return inline(rows)


async def _show(update: Update, context: BotContext, view: ReportView, *, note: str = "", edit: bool) -> None:
    text = "\n\n".join(part for part in (note, _body(view), "\n".join(_status(context, view))) if part)
    await reply(update, text, reply_markup=_keyboard(view), edit=edit)


async def _view(context: BotContext, report_id: int) -> ReportView:
    return await call(context, info_reports.report_view, actor_id=context.person.id, report_id=report_id)


# --- the list of a case's reports --------------------------------------------------------------


async def _show_list(update: Update, context: BotContext, number: str, views: list[ReportView], *,
                     edit: bool) -> None:
    if not views:
        await reply(update, texts.IR_LIST_EMPTY.format(number=esc(number)), edit=edit)
        return
    lines, rows = [texts.IR_LIST_TITLE.format(number=esc(number))], []
    for view in views:
        kind = KIND_LABELS[view.kind]
        if view.submitted_at is not None:
            state = texts.IR_STATE_SUBMITTED.format(at=_when(context, view.submitted_at))
            label = texts.IR_OPEN_SUBMITTED.format(kind=kind, seq=view.seq)
        else:
            state = (texts.IR_STATE_DRAFT_MISSING.format(count=len(view.missing)) if view.missing
                     else texts.IR_STATE_DRAFT)
            label = (texts.IR_OPEN_DRAFT if view.may_write else texts.IR_OPEN_SUBMITTED).format(kind=kind, seq=view.seq)
        lines.append(texts.IR_LIST_LINE.format(seq=view.seq, kind=kind, state=state))
        rows.append([button(label, InfoReportView(view.id).pack())])
    if views[-1].may_continue:
        rows.append([button(texts.IR_FOLLOW_UP, InfoReportNext(views[-1].case_id, "f").pack()),
                     button(texts.IR_FINAL, InfoReportNext(views[-1].case_id, "x").pack())])
    rows.append([back_button(views[-1].case_id)])  # « 返回事项: the card (whoever reads the list may open it)
    await reply(update, "\n".join(lines), reply_markup=inline(rows), edit=edit)


def _waiting_text(context: BotContext, waiting: ReportsWaiting) -> str:
    if not waiting.shown:
        how = (texts.IR_WAITING_HOW.format(types="「" + "」「".join(esc(t) for t in waiting.report_types[:4]) + "」")
               if waiting.report_types else texts.IR_WAITING_HOW_NONE)
        return "\n".join((texts.IR_WAITING_EMPTY, how, texts.IR_WAITING_HINT))
    lines = [texts.IR_WAITING_TITLE]
    for i, item in enumerate(waiting.shown, start=1):
        kind = KIND_LABELS[item.kind]
        if item.submitted_at is not None:
            lines.append(texts.IR_WAITING_FINAL.format(i=i, number=esc(item.number), kind=kind, seq=item.seq,
                                                    at=_when(context, item.submitted_at)))
        elif item.due_at is None:
            lines.append(texts.IR_WAITING_DRAFT.format(i=i, number=esc(item.number), kind=kind))
        else:
            late = now(context) > item.due_at
            lines.append((texts.IR_WAITING_DRAFT_OVERDUE if late else texts.IR_WAITING_DRAFT_DUE).format(
                i=i, number=esc(item.number), kind=kind, due=_when(context, item.due_at)))
    if waiting.more:
        lines.append(texts.IR_WAITING_MORE.format(n=waiting.more))
    lines.append(texts.IR_WAITING_HINT)
    return "\n".join(lines)


def _waiting_keyboard(waiting: ReportsWaiting):
    """A draft opens the report to fill in; a case waiting for its 终报 opens its list (with 续报/终报)."""
    rows = []
    for item in waiting.shown:
        if item.submitted_at is None:
            label = texts.IR_WAITING_BUTTON_DRAFT.format(number=item.number, kind=KIND_LABELS[item.kind])
            rows.append([button(label, InfoReportView(item.report_id).pack())])
        else:
            rows.append([button(texts.IR_WAITING_BUTTON_FINAL.format(number=item.number),
                                InfoReportList(item.case_id).pack())])
    return inline(rows) if rows else None


@requires()
async def list_command(update: Update, context: BotContext) -> None:
    if not in_private(update):
        await update.effective_chat.send_message(texts.IR_PRIVATE_ONLY)
        return
    if not context.args:  # what waits for this person, as buttons (people are on phones)
        waiting = await call(context, info_reports.reports_waiting, actor_id=context.person.id)
        await update.effective_chat.send_message(_waiting_text(context, waiting), reply_markup=_waiting_keyboard(waiting))
        return
    number, views = await call(context, info_reports.case_reports, actor_id=context.person.id,
                               number=context.args[0])
    await _show_list(update, context, number, views, edit=False)


# --- stateless buttons: ir:open / ir:v (view), ir:s (submit), ir:n (next), ir:l (list) -------------


@requires()
async def report_button(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()  # reports are never shown in a group
    button_ = pressed_one_of(update, STATELESS)
    actor = context.person.id
    if isinstance(button_, InfoReportOpen | InfoReportView):
        # From a reminder (ir:open) the reminder stays and the report comes as a new message.
        await _show(update, context, await _view(context, button_.report_id), edit=isinstance(button_, InfoReportView))
    elif isinstance(button_, InfoReportPhoned):
        record = await call(context, info_reports.record_phone, actor_id=actor, report_id=button_.report_id,
                            now=now(context))
        if record.already:
            note = texts.IR_PHONED_ALREADY.format(at=_when(context, record.at), name=esc(record.by))
        else:
            due = _when(context, record.written_due) if record.written_due else "—"
            note = texts.IR_PHONED.format(at=_when(context, record.at), due=due)
        # Pressed on the registration message or a chase as often as on the report: the report comes
        # as a new message, and the message pressed stays.
        await _show(update, context, await _view(context, button_.report_id), note=note, edit=False)
    elif isinstance(button_, InfoReportSubmit):
        report = await call(context, info_reports.submit_report, actor_id=actor, report_id=button_.report_id,
                            now=now(context))
        note = texts.IR_SENT.format(kind=KIND_LABELS[InfoReportKind(report.kind)])
        await _show(update, context, await _view(context, report.id), note=note, edit=True)
    elif isinstance(button_, InfoReportNext):
        kind = NEXT_KINDS.get(button_.kind)
        if kind is None:
            raise StaleButton()
        report = await call(context, info_reports.start_next, actor_id=actor, case_id=button_.case_id, kind=kind,
                            now=now(context))
        note = texts.IR_STARTED.format(kind=KIND_LABELS[kind])
        await _show(update, context, await _view(context, report.id), note=note, edit=True)
    else:
        number, views = await call(context, info_reports.case_reports, actor_id=actor, case_id=button_.case_id)
        await _show_list(update, context, number, views, edit=True)


# --- typing one field: the conversation ----------------------------------------------------------


@requires()
async def ask_field(update: Update, context: BotContext) -> int:
    if not in_private(update):
        raise StaleButton()
    field_button = pressed(update, InfoReportField)
    report_id, field = field_button.report_id, field_button.field
    if field not in FIELD_LABELS:
        raise StaleButton()
    # Refused here (not after the typing) when the presser may not write or the report was sent.
    view = await call(context, info_reports.check_writable, actor_id=context.person.id, report_id=report_id,
                      field=field)
    current = view.values.get(field) or "—"
    if len(current) > 200:
        current = current[:200] + "…"
    context.user_data[FIELD_KEY] = {"report_id": report_id, "field": field}
    text = texts.IR_ASK_FIELD.format(label=FIELD_LABELS[field], limit=info_reports.MAX_FIELD, current=esc(current))
    await reply(update, text, reply_markup=inline([[button(texts.IR_BACK, InfoReportView(report_id).pack())]]), edit=True)
    return TYPING


def _pending(context: BotContext) -> tuple[int | None, str]:
    pending = context.user_data.get(FIELD_KEY)
    if not isinstance(pending, dict):
        return None, ""
    report_id, field = pending.get("report_id"), pending.get("field")
    if not isinstance(report_id, int) or field not in FIELD_LABELS:
        return None, ""
    return report_id, field


@requires()
async def save_text(update: Update, context: BotContext) -> int:
    report_id, field = _pending(context)
    if report_id is None:
        context.user_data.pop(FIELD_KEY, None)
        await update.effective_chat.send_message(texts.STALE_BUTTON)
        return ConversationHandler.END
    label, value = FIELD_LABELS[field], update.message.text
    try:
        await call(context, info_reports.save_field, actor_id=context.person.id, report_id=report_id, field=field,
                   value=value)
    except InvalidInput as exc:
        if len(value.strip()) > info_reports.MAX_FIELD:  # too long: the same field again
            await update.effective_chat.send_message(texts.IR_FIELD_RETRY.format(message=esc(exc.message), label=label))
            return TYPING
        context.user_data.pop(FIELD_KEY, None)
        await update.effective_chat.send_message(esc(exc.message))
        return ConversationHandler.END
    except DomainError as exc:  # e.g. the person lost the right to write meanwhile
        context.user_data.pop(FIELD_KEY, None)
        await update.effective_chat.send_message(esc(exc.message))
        return ConversationHandler.END
    context.user_data.pop(FIELD_KEY, None)
    await _show(update, context, await _view(context, report_id), note=texts.IR_FIELD_SAVED.format(label=label),
                edit=False)
    return ConversationHandler.END


async def wrong_type(update: Update, context: BotContext) -> int:
    _report_id, field = _pending(context)
    label = FIELD_LABELS.get(field, "内容")
    await update.effective_chat.send_message(texts.IR_FIELD_WRONG_TYPE.format(label=label))
    return TYPING


@requires()
async def cancel(update: Update, context: BotContext) -> int:
    report_id, field = _pending(context)
    context.user_data.pop(FIELD_KEY, None)
    note = texts.IR_FIELD_CANCELLED.format(label=FIELD_LABELS.get(field, "内容"))
    if report_id is None:
        await update.effective_chat.send_message(note)
    else:
        await _show(update, context, await _view(context, report_id), note=note, edit=False)
    return ConversationHandler.END


async def timed_out(update: Update, context: BotContext) -> None:
    _report_id, field = _pending(context)
    context.user_data.pop(FIELD_KEY, None)
    if isinstance(update, Update) and update.effective_chat:
        await update.effective_chat.send_message(texts.IR_FIELD_TIMEOUT.format(label=FIELD_LABELS.get(field, "内容")))


async def leave_for_button(update: Update, context: BotContext) -> int:
    """Another report button while a field is awaited: stop waiting, then do what was pressed."""
    context.user_data.pop(FIELD_KEY, None)
    await report_button(update, context)
    return ConversationHandler.END


async def leave_for_list(update: Update, context: BotContext) -> int:
    context.user_data.pop(FIELD_KEY, None)
    await list_command(update, context)
    return ConversationHandler.END


def build_field_conversation() -> ConversationHandler:
    return Flow(
        entry_points=[CallbackQueryHandler(ask_field, pattern=lead(InfoReportField))],
        states={
            TYPING: [
                MessageHandler(filters.TEXT & ~filters.COMMAND, save_text),
                MessageHandler(~filters.COMMAND, wrong_type),
            ],
        },
        fallbacks=[
            CommandHandler("cancel", cancel),
            CommandHandler("inforeport", leave_for_list),
            CallbackQueryHandler(leave_for_button, pattern=INFO_REPORT_FAMILY),
        ],
        name="info_report",
        timeout=FIELD_TIMEOUT,
        timed_out=timed_out,
    )


# --- the party committee's group chat -------------------------------------------------------------


async def _groups_view(update: Update, context: BotContext, *, note: str = "", edit: bool) -> None:
    found = await call(context, groups.bound_groups, actor_id=context.person.id)
    listing = (texts.GROUP_BOUND_LIST.format(groups="、".join(esc(g.title) for g in found)) if found
               else texts.GROUP_BOUND_NONE)
    rows = [[button(texts.GROUP_UNBIND_BUTTON.format(title=g.title[:30]), GroupUnbind(g.chat_id).pack())] for g in found]
    text = "\n\n".join(part for part in (note, texts.GROUP_BIND_HOW, listing) if part)
    await reply(update, text, reply_markup=inline(rows) if rows else None, edit=edit)


@requires()
async def bind_command(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    if chat.type == "private":  # the how-to, and what is bound (admins and the director only)
        await _groups_view(update, context, edit=False)
        return
    group = await call(context, groups.bind_group, actor_id=context.person.id, chat_id=chat.id,
                       title=chat.title or "", now=now(context))
    await chat.send_message(texts.GROUP_BOUND.format(title=esc(group.title)))


@requires()
async def unbind_command(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    if chat.type == "private":
        await chat.send_message(texts.GROUP_UNBIND_HOW)
        return
    group = await call(context, groups.unbind_group, actor_id=context.person.id, chat_id=chat.id, now=now(context))
    await chat.send_message(texts.GROUP_UNBOUND.format(title=esc(group.title)))


@requires()
async def unbind_button(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    group = await call(context, groups.unbind_group, actor_id=context.person.id,
                       chat_id=pressed(update, GroupUnbind).chat_id, now=now(context))
    await _groups_view(update, context, note=texts.GROUP_UNBOUND_PRIVATE.format(title=esc(group.title)), edit=True)


def handlers() -> list[BaseHandler]:
    """New objects per call: a ConversationHandler keeps per-application state (its conversations
    and timeout jobs), and each Application (a restart builds a new one) needs its own."""
    return [
        build_field_conversation(),
        CommandHandler("inforeport", list_command),
        CallbackQueryHandler(report_button, pattern=INFO_REPORT_FAMILY),
        CommandHandler("bindgroup", bind_command),
        CommandHandler("unbindgroup", unbind_command),
        CallbackQueryHandler(unbind_button, pattern=lead(GroupUnbind)),
    ]
