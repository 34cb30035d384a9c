"""/ledger (台账): which ledger → 本月 / 上月 / 本季度 / 本年 / 自定义 → all, one village or one unit →
the .xlsx arrives in the private chat (queued in the outbox, sent with protect_content).

The buttons are stateless: each carries the ledger and the period's two dates, and the service
checks the presser's role again on every press. Only typing the dates of 自定义 is a short
persistent conversation ("ledger_custom"); the ledger being chosen is plain JSON in user_data.
"""

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
    LEDGER_FAMILY,
    LedgerCancel,
    LedgerChoose,
    LedgerCustom,
    LedgerMake,
    LedgerMakeUnit,
    LedgerMakeVillage,
    LedgerMenu,
    LedgerPeriod,
    LedgerScope,
    LedgerUnits,
    LedgerVillages,
    lead,
)
from bot.context import BotContext
from bot.keyboards import button, grid, inline
from bot.services import ledgers
from bot.services.errors import InvalidInput
from bot.services.ledgers import Kind, Period, PeriodChoice, Scope
from bot.texts import ledgers as words
from handlers.common import Flow, call, esc, in_private, local_today, now, pressed, pressed_one_of, reply


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    DATES = 0


DRAFT_KEY = "ledger"  # user_data while the dates are typed: {"kind": "cases"}
CUSTOM_TIMEOUT = 10 * 60
PERIOD_BUTTONS = (PeriodChoice.month, PeriodChoice.last_month, PeriodChoice.quarter, PeriodChoice.year)


async def _refuse(update: Update, context: BotContext) -> bool:
    """True (and the person told why) when this person may not export ledgers here."""
    person = context.person
    if person is None:
        return True  # the gate already answered strangers
    answer = None
    if not person.has(*ledgers.EXPORTERS):
        answer = words.NOT_ALLOWED
    elif not in_private(update):
        answer = words.GROUP_USE_PRIVATE
    if answer is None:
        return False
    if update.callback_query:
        await update.callback_query.answer(answer, show_alert=True)
    else:
        await update.effective_chat.send_message(answer)
    return True



def _cancel_row() -> list:
    return [button(words.BTN_CANCEL, LedgerCancel().pack())]


# --- the menus -----------------------------------------------------------------------------------


def _kinds_menu():
    kinds = [button(ledgers.title(kind), LedgerChoose(kind).pack()) for kind in Kind]
    return inline([*grid(kinds, 2), _cancel_row()])


def _periods_menu(kind: Kind):
    periods = [button(words.PERIOD_LABELS[p.value], LedgerPeriod(kind, p).pack()) for p in PERIOD_BUTTONS]
    periods.append(button(words.PERIOD_LABELS[PeriodChoice.custom.value], LedgerCustom(kind).pack()))
    return inline([*grid(periods, 3), [button(words.BTN_BACK, LedgerMenu().pack()), *_cancel_row()]])


def _scope_menu(kind: Kind, period: Period):
    args = (kind, period.start, period.end)
    return inline([
        [button(words.BTN_ALL, LedgerMake(*args).pack())],
        [button(words.BTN_BY_VILLAGE, LedgerVillages(*args).pack()), button(words.BTN_BY_UNIT, LedgerUnits(*args).pack())],
        [button(words.BTN_BACK, LedgerChoose(kind).pack()), *_cancel_row()],
    ])


async def _after_period(update: Update, context: BotContext, kind: Kind, period: Period, *, edit: bool) -> None:
    """The filter menu, or straight to the file for a ledger that takes no filter (值班)."""
    if not ledgers.takes_scope(kind):
        await _make(update, context, kind, period, ledgers.WHOLE, edit=edit)
        return
    text = words.CHOOSE_SCOPE.format(title=ledgers.title(kind), period=period.text)
    await reply(update, text, reply_markup=_scope_menu(kind, period), edit=edit)


async def _make(update: Update, context: BotContext, kind: Kind, period: Period, scope: Scope, *, edit: bool) -> None:
    done = await call(context, ledgers.request, viewer_id=context.person.id, kind=kind, period=period, scope=scope,
                      now=now(context))
    await reply(update, words.QUEUED.format(title=done.title, period=done.period, scope=esc(done.scope)), edit=edit)


# --- /ledger and the buttons -----------------------------------------------------------------------


async def ledger_command(update: Update, context: BotContext) -> None:
    if await _refuse(update, context):
        return
    await update.effective_chat.send_message(words.CHOOSE_KIND, reply_markup=_kinds_menu())


def _period(code) -> Period:
    return ledgers.period_between(code.start, code.end)


async def _choose(update: Update, context: BotContext, code: LedgerChoose) -> None:
    await reply(update, words.CHOOSE_PERIOD.format(title=ledgers.title(code.kind)),
                reply_markup=_periods_menu(code.kind), edit=True)


async def _menu(update: Update, context: BotContext, code: LedgerMenu) -> None:
    await reply(update, words.CHOOSE_KIND, reply_markup=_kinds_menu(), edit=True)


async def _chosen_period(update: Update, context: BotContext, code: LedgerPeriod) -> None:
    period = ledgers.period_for(code.period, local_today(context))
    await _after_period(update, context, code.kind, period, edit=True)


async def _scope(update: Update, context: BotContext, code: LedgerScope) -> None:
    await _after_period(update, context, code.kind, _period(code), edit=True)


async def _places(update: Update, context: BotContext, code: LedgerVillages | LedgerUnits) -> None:
    period = _period(code)
    args = (code.kind, period.start, period.end)
    if isinstance(code, LedgerVillages):
        choices = await call(context, ledgers.villages)
        buttons = [button(name, LedgerMakeVillage(*args, ident).pack()) for ident, name in choices]
        prompt = words.CHOOSE_VILLAGE
    else:
        choices = await call(context, ledgers.units)
        buttons = [button(name, LedgerMakeUnit(*args, ident).pack()) for ident, name in choices]
        prompt = words.CHOOSE_UNIT
    rows = [*grid(buttons, 2), [button(words.BTN_BACK, LedgerScope(*args).pack()), *_cancel_row()]]
    await reply(update, prompt, reply_markup=inline(rows), edit=True)


async def _made(update: Update, context: BotContext, code) -> None:
    scope = ledgers.WHOLE
    if isinstance(code, LedgerMakeVillage):
        scope = Scope(village_id=code.village_id)
    elif isinstance(code, LedgerMakeUnit):
        scope = Scope(unit_id=code.unit_id)
    await _make(update, context, code.kind, _period(code), scope, edit=True)


async def _cancel(update: Update, context: BotContext, code: LedgerCancel) -> None:
    await reply(update, words.CANCELLED, edit=True)


BUTTONS = {LedgerMenu: _menu, LedgerChoose: _choose, LedgerPeriod: _chosen_period, LedgerScope: _scope,
           LedgerVillages: _places, LedgerUnits: _places, LedgerMake: _made, LedgerMakeVillage: _made,
           LedgerMakeUnit: _made, LedgerCancel: _cancel}


async def ledger_button(update: Update, context: BotContext) -> None:
    if await _refuse(update, context):
        return
    code = pressed_one_of(update, BUTTONS)  # anything else under lg: is a stale button
    await BUTTONS[type(code)](update, context, code)
    await update.callback_query.answer()


# --- 自定义: the two dates typed -----------------------------------------------------------------


async def custom_start(update: Update, context: BotContext) -> int:
    if await _refuse(update, context):
        return ConversationHandler.END
    code = pressed(update, LedgerCustom)
    context.user_data[DRAFT_KEY] = {"kind": code.kind.value}
    await reply(update, words.ASK_CUSTOM, reply_markup=inline([[button(words.BTN_BACK, LedgerChoose(code.kind).pack()),
                                                                  *_cancel_row()]]), edit=True)
    await update.callback_query.answer()
    return Step.DATES


async def custom_typed(update: Update, context: BotContext) -> int:
    if await _refuse(update, context):
        return ConversationHandler.END
    kind = (context.user_data.get(DRAFT_KEY) or {}).get("kind")
    if kind not in Kind.__members__:  # the draft is gone (e.g. restored from an older state)
        await update.effective_chat.send_message(words.LOST)
        return ConversationHandler.END
    try:
        period = ledgers.parse_custom(update.message.text or "")
    except InvalidInput as exc:  # stay on this step: the corrected dates are the next message
        await update.effective_chat.send_message(esc(exc.message))
        return Step.DATES
    context.user_data.pop(DRAFT_KEY, None)
    await _after_period(update, context, Kind[kind], period, edit=False)
    return ConversationHandler.END


async def custom_left(update: Update, context: BotContext) -> int:
    """Another /ledger button while the dates are awaited: stop waiting and do what was pressed."""
    context.user_data.pop(DRAFT_KEY, None)
    await ledger_button(update, context)
    return ConversationHandler.END


def build_custom_conversation() -> ConversationHandler:
    return Flow(
        entry_points=[CallbackQueryHandler(custom_start, pattern=lead(LedgerCustom))],
        states={
            Step.DATES: [
                MessageHandler(filters.TEXT & ~filters.COMMAND, custom_typed),
                CallbackQueryHandler(custom_left, pattern=LEDGER_FAMILY),
            ],
        },
        draft=DRAFT_KEY, cancelled=words.CANCELLED,
        name="ledger_custom",
        timeout=CUSTOM_TIMEOUT,
        timeout_text=words.TIMEOUT,
    )


def handlers() -> list[BaseHandler]:
    """New objects per call: a ConversationHandler keeps per-application state (its conversations
    and timeout jobs), and each Application (a restart builds a new one) needs its own."""
    return [
        build_custom_conversation(),
        CommandHandler("ledger", ledger_command),
        CallbackQueryHandler(ledger_button, pattern=LEDGER_FAMILY),
    ]
