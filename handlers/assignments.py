"""上级交办 in chat (issue 16): 「上级交办」 on the case card (or after /visit with source 上级交办) asks
who assigned it (buttons for the usual offices, or typed), their reference (or 无文号) and their
deadline; the service records it and brings the case's deadline forward when needed. Once the case
is finished, 「办理情况报告」 gives the report back as text and, protected, as a .docx, and 「记录报送」
records when and how it went back (书面 / 电子 / 当面).

The answers so far live in the person's persisted user_data, so a restart in the middle loses nothing.
"""

from enum import IntEnum

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.callbacks import (
    CaseView,
    JiaobanAssigner,
    JiaobanMethod,
    JiaobanNoReference,
    JiaobanReport,
    JiaobanSent,
    JiaobanStart,
)
from bot.context import BotContext
from bot.keyboards import button, grid, inline
from bot.services import assignments
from bot.services.assignments import AssignmentOnCard
from bot.services.errors import DomainError
from bot.texts import NOTIFY_VIEW_BUTTON
from bot.texts import assignments as t
from handlers.common import Flow, StaleButton, call, esc, in_private, now, pressed, reply, requires
from handlers.forms import parse_date
from models import ReportMethod, Role, UsualAssigner

CENTER_ROLES = (Role.director, Role.leader, Role.staff)
DRAFT = "jiaoban_draft"  # user_data: {"case_id", "number", "assigner", "reference"}
TIMEOUT = 30 * 60


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    ASSIGNER = 0
    REFERENCE = 1
    DUE = 2


def _draft(context: BotContext) -> dict:
    draft = context.user_data.get(DRAFT)
    if not isinstance(draft, dict) or not isinstance(draft.get("case_id"), int):
        raise DomainError(t.STALE)
    return draft


# --- the conversation: 交办单位 → 文号 → 时限 ---------------------------------------------------------


@requires(*CENTER_ROLES)
async def start(update: Update, context: BotContext) -> int:
    case_id = pressed(update, JiaobanStart).case_id
    if not in_private(update):
        await update.effective_chat.send_message(t.PRIVATE_ONLY)
        return ConversationHandler.END
    number = await call(context, assignments.check_start, actor_id=context.person.id, case_id=case_id)
    context.user_data[DRAFT] = {"case_id": case_id, "number": number}
    rows = grid([button(a.value, JiaobanAssigner(a).pack()) for a in UsualAssigner], 3)
    await update.effective_chat.send_message(t.ASK_ASSIGNER.format(number=number), reply_markup=inline(rows))
    return Step.ASSIGNER


async def _ask_reference(update: Update, context: BotContext, assigner: str) -> int:
    _draft(context)["assigner"] = assigner
    rows = [[button(t.BUTTON_NO_REFERENCE, JiaobanNoReference().pack())]]
    await update.effective_chat.send_message(t.ASK_REFERENCE, reply_markup=inline(rows))
    return Step.REFERENCE


@requires(*CENTER_ROLES)
async def assigner_pressed(update: Update, context: BotContext) -> int:
    return await _ask_reference(update, context, pressed(update, JiaobanAssigner).assigner.value)


@requires(*CENTER_ROLES)
async def assigner_typed(update: Update, context: BotContext) -> int:
    text = " ".join(update.message.text.split())
    if not 1 <= len(text) <= assignments.MAX_NAME:
        await update.effective_chat.send_message(t.BAD_TEXT)
        return Step.ASSIGNER
    return await _ask_reference(update, context, text)


async def _ask_due(update: Update, context: BotContext, reference: str | None) -> int:
    _draft(context)["reference"] = reference
    await update.effective_chat.send_message(t.ASK_DUE)
    return Step.DUE


@requires(*CENTER_ROLES)
async def no_reference(update: Update, context: BotContext) -> int:
    return await _ask_due(update, context, None)


@requires(*CENTER_ROLES)
async def reference_typed(update: Update, context: BotContext) -> int:
    text = " ".join(update.message.text.split())
    if not 1 <= len(text) <= assignments.MAX_NAME:
        await update.effective_chat.send_message(t.BAD_TEXT)
        return Step.REFERENCE
    return await _ask_due(update, context, text)


@requires(*CENTER_ROLES)
async def due_typed(update: Update, context: BotContext) -> int:
    draft = _draft(context)
    moment = now(context)
    day = parse_date(update.message.text, moment.astimezone(context.deps.settings.tz).date())
    if day is None:
        await update.effective_chat.send_message(t.BAD_DUE)
        return Step.DUE
    if "assigner" not in draft:
        raise DomainError(t.STALE)
    # A rule saying no (a date already past, the case closed meanwhile) is told; the step stays.
    done = await call(context, assignments.record, actor_id=context.person.id, case_id=draft["case_id"],
                      assigner=draft["assigner"], reference=draft.get("reference"), due_date=day, now=moment,
                      policy=context.deps.policy.deadlines)
    context.user_data.pop(DRAFT, None)
    text = t.RECORDED.format(assigner=esc(done.assigner), reference=esc(t.reference_part(done.reference)),
                             due=done.due, capped=t.CAPPED if done.capped else "")
    await update.effective_chat.send_message(text, reply_markup=inline([[button(NOTIFY_VIEW_BUTTON,
                                                                                CaseView(done.case_id).pack())]]))
    return ConversationHandler.END


async def wrong_input(update: Update, context: BotContext) -> int | None:
    await update.effective_chat.send_message(t.WRONG_INPUT)
    return None  # stay on the step


def build_conversation() -> ConversationHandler:
    text = filters.TEXT & ~filters.COMMAND
    return Flow(
        entry_points=[CallbackQueryHandler(start, pattern=JiaobanStart.pattern())],
        states={
            Step.ASSIGNER: [CallbackQueryHandler(assigner_pressed, pattern=JiaobanAssigner.pattern()),
                            MessageHandler(text, assigner_typed), MessageHandler(~filters.COMMAND, wrong_input)],
            Step.REFERENCE: [CallbackQueryHandler(no_reference, pattern=JiaobanNoReference.pattern()),
                             MessageHandler(text, reference_typed), MessageHandler(~filters.COMMAND, wrong_input)],
            Step.DUE: [MessageHandler(text, due_typed), MessageHandler(~filters.COMMAND, wrong_input)],
        },
        draft=DRAFT, cancelled=t.CANCELLED,
        name="jiaoban",
        timeout=TIMEOUT,
    )


# --- the report back ------------------------------------------------------------------------------


@requires(*CENTER_ROLES)
async def report(update: Update, context: BotContext) -> None:
    case_id = pressed(update, JiaobanReport).case_id
    if not in_private(update):
        raise StaleButton()
    view = await call(context, assignments.send_report, actor_id=context.person.id, case_id=case_id,
                      now=now(context), tz=context.deps.settings.tz, org=context.deps.notice_style.org)
    body = []
    for heading, lines in view.paragraphs:
        if heading:
            body.append(f"<b>{esc(heading)}</b>")
        body += [esc(line) for line in lines]
    text = t.REPORT_CHAT.format(title=esc(view.title), assigner=esc(view.assigner), body="\n".join(body),
                                org=esc(view.org), date=view.issued_on)
    rows = [[button(t.BUTTON_SENT, JiaobanSent(case_id).pack()), button(NOTIFY_VIEW_BUTTON, CaseView(case_id).pack())]]
    await reply(update, text, reply_markup=inline(rows), protect=True)


@requires(*CENTER_ROLES)
async def sent(update: Update, context: BotContext) -> None:
    code = pressed(update, JiaobanSent)
    if not in_private(update):
        raise StaleButton()
    # refused now (no 交办, not finished, already recorded) rather than after the choice
    view = await call(context, assignments.report_view, viewer_id=context.person.id, case_id=code.case_id,
                      now=now(context), tz=context.deps.settings.tz, org="")
    rows = [[button(t.METHOD_LABELS[m], JiaobanMethod(code.case_id, m).pack()) for m in ReportMethod]]
    await reply(update, t.ASK_METHOD.format(assigner=esc(view.assigner)), reply_markup=inline(rows))


@requires(*CENTER_ROLES)
async def method(update: Update, context: BotContext) -> None:
    code = pressed(update, JiaobanMethod)
    if not in_private(update):
        raise StaleButton()
    when, how, assigner = await call(context, assignments.record_sent, actor_id=context.person.id,
                                     case_id=code.case_id, method=code.method, now=now(context),
                                     tz=context.deps.settings.tz)
    rows = [[button(NOTIFY_VIEW_BUTTON, CaseView(code.case_id).pack())]]
    await reply(update, t.SENT_RECORDED.format(when=when, method=how, assigner=esc(assigner)),
                reply_markup=inline(rows), edit=True)


# --- on the case card (handlers/cases/card.py renders them) -----------------------------------------


def assignment_line(a: AssignmentOnCard, tz) -> str:
    """Plain text (the card escapes it as a whole)."""
    if a.reported_at is not None:
        when = a.reported_at.astimezone(tz)
        state = t.CARD_REPORTED.format(when=f"{when:%Y-%m-%d %H:%M}", method=a.method or "")
    else:
        state = t.CARD_OVERDUE if a.overdue else t.CARD_NOT_REPORTED
    return t.CARD_LINE.format(assigner=a.assigner, reference=t.reference_part(a.reference),
                              due=f"{a.due.astimezone(tz):%Y-%m-%d}", state=state)


def assignment_buttons(card) -> list:
    found = []
    if card.may_assign:
        found.append(button(t.BUTTON_RECORD, JiaobanStart(card.id).pack()))
    a = card.assignment
    if a is not None:
        if "edit" in a.actions:
            found.append(button(t.BUTTON_EDIT, JiaobanStart(card.id).pack()))
        if "report" in a.actions:
            found.append(button(t.BUTTON_REPORT, JiaobanReport(card.id).pack()))
        if "sent" in a.actions:
            found.append(button(t.BUTTON_SENT, JiaobanSent(card.id).pack()))
    return found


def handlers() -> list[BaseHandler]:
    """New objects per call: a ConversationHandler keeps per-application state. A step's button outside
    the conversation (after a cancel, a timeout, or an old message) is answered by handlers/fallback.py."""
    return [
        build_conversation(),
        CallbackQueryHandler(report, pattern=JiaobanReport.pattern()),
        CallbackQueryHandler(sent, pattern=JiaobanSent.pattern()),
        CallbackQueryHandler(method, pattern=JiaobanMethod.pattern()),
    ]
