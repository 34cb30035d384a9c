"""/stats (统计分析): pick a period, get the figures as text and a chart; the table (.xlsx) and the
one-page analysis (.docx) on a button. Everything goes to the private chat with protect_content.
Who sees what (the township, or a contact point's villages) is the service's rule, checked on
every press (stats.scope_for)."""

import asyncio
from io import BytesIO

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.callbacks import StatsAnalysis, StatsChoose, StatsPeriod, StatsTable, any_of
from bot.context import BotContext
from bot.keyboards import button, inline
from bot.services import stats
from bot.services.stats import Period, PeriodChoice
from bot.texts import stats as words
from handlers.common import StaleButton, call, esc, now, pressed, pressed_one_of, reply, requires


def _period_keyboard():
    choices = list(PeriodChoice)
    rows = [choices[:2], choices[2:4], choices[4:]]
    return inline([[button(words.PERIOD_CHOICES[c.value], StatsPeriod(c).pack()) for c in row] for row in rows])


async def _scope(context: BotContext) -> stats.Scope:
    return await call(context, stats.scope_for, person_id=context.person.id)  # NotAllowed: told by the error handler


@requires()
async def stats_command(update: Update, context: BotContext) -> None:
    scope = await _scope(context)
    await reply(update, words.CHOOSE_PERIOD.format(scope=esc(scope.label)), reply_markup=_period_keyboard())


@requires()
async def choose_again(update: Update, context: BotContext) -> None:
    pressed(update, StatsChoose)
    scope = await _scope(context)
    await reply(update, words.CHOOSE_PERIOD.format(scope=esc(scope.label)), reply_markup=_period_keyboard(),
                edit=True)


async def _report(context: BotContext, period: Period) -> stats.StatsReport:
    scope = await _scope(context)
    return await call(context, stats.report, period=period, scope=scope, now=now(context), tz=context.deps.policy.deadlines.tz)


def summary(report: stats.StatsReport) -> str:
    return words.summary(stats.values(report), **stats.summary_facts(report))


def _file_keyboard(period: Period):
    fields = dict(kind=period.kind, year=period.year, index=period.index)
    return inline([[button(words.EXPORT_BUTTON, StatsTable(**fields).pack()),
                    button(words.DOCX_BUTTON, StatsAnalysis(**fields).pack())],
                   [button(words.AGAIN_BUTTON, StatsChoose().pack())]])


@requires()
async def show_period(update: Update, context: BotContext) -> None:
    choice = pressed(update, StatsPeriod).choice
    today = now(context).astimezone(context.deps.policy.deadlines.tz).date()
    period = stats.chosen(choice, today)
    await reply(update, words.WORKING, edit=True)
    report = await _report(context, period)
    png = await asyncio.to_thread(stats.chart, report)
    chat = update.effective_chat
    await chat.send_photo(BytesIO(png), caption=words.CHART_CAPTION.format(title=report.period.label,
                                                                          scope=esc(report.scope.label)),
                          protect_content=True)
    await chat.send_message(summary(report), reply_markup=_file_keyboard(period), protect_content=True)


def _shown_period(code: StatsTable | StatsAnalysis) -> Period:
    try:
        return Period(code.kind, code.year, code.index)
    except ValueError:
        raise StaleButton() from None


# The two files of a period shown: how each is made and what it is called.
_FILES = {StatsTable: (stats.xlsx, words.XLSX_NAME, words.XLSX_CAPTION),
          StatsAnalysis: (stats.docx, words.DOCX_NAME, words.DOCX_CAPTION)}


@requires()
async def send_file(update: Update, context: BotContext) -> None:
    code = pressed_one_of(update, _FILES)
    build, name, caption = _FILES[type(code)]
    report = await _report(context, _shown_period(code))
    data = await asyncio.to_thread(build, report)
    title, scope = report.period.label, report.scope.label
    await update.effective_chat.send_document(
        BytesIO(data), filename=name.format(title=title, scope=scope),
        caption=caption.format(title=title, scope=esc(scope)), protect_content=True)


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("stats", stats_command, filters=filters.ChatType.PRIVATE),
        CallbackQueryHandler(show_period, pattern=StatsPeriod.pattern()),
        CallbackQueryHandler(send_file, pattern=any_of(*_FILES)),
        CallbackQueryHandler(choose_again, pattern=StatsChoose.pattern()),
    ]
