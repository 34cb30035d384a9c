"""/calendar: the working calendar (工作日历) that deadlines are counted in — director and admins only.

The menu shows this year and next: whether the chinesecalendar package knows the year, whether an
admin confirmed it, how many days were adjusted. Listing, removing and confirming are stateless
buttons (the data carries the year or the day; the roles are checked on every press). Typing days
("2027-01-01 休 元旦") and sending a year's file are one short persistent conversation.
"""

import asyncio
from datetime import date, datetime
from enum import IntEnum
from io import BytesIO

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
    CALENDAR_FAMILY,
    CalendarAdd,
    CalendarConfirm,
    CalendarConfirmAsk,
    CalendarDone,
    CalendarImport,
    CalendarMenu,
    CalendarRemove,
    CalendarYear,
    any_of,
)
from bot.context import BotContext
from bot.keyboards import button, code_pager, grid, inline
from bot.services import calendar_admin
from bot.services.calendar_admin import MANAGE_CALENDAR, DayEntry, YearStatus
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput
from handlers.common import Flow, StaleButton, call, esc, now, pressed_one_of, reply, requires


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    TYPING = 0
    WAIT_FILE = 1


# The short names the handlers use (a test checks each is the member of the same name).
TYPING, WAIT_FILE = Step
TIMEOUT = 15 * 60
PAGE_SIZE = 12  # removal buttons per page
MAX_TEXT = 3000
BACK = button(texts.CAL_BACK, CalendarMenu().pack())


def _year(context: BotContext) -> int:
    return now(context).astimezone(context.deps.settings.tz).year


def _kind(workday: bool) -> str:
    return texts.CAL_KIND_ON if workday else texts.CAL_KIND_OFF


def _line(entry: DayEntry) -> str:
    return texts.CAL_DAY_LINE.format(
        day=entry.day.strftime(texts.DAY_FORMAT), weekday=texts.WEEKDAY_NAMES[entry.day.weekday()],
        kind=_kind(entry.workday), note=f" {esc(entry.note)}" if entry.note else "",
    )


def _year_of(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise StaleButton()
    return year


def _day_of(day: str) -> date:
    try:
        return datetime.strptime(day, "%Y%m%d").date()
    except ValueError:
        raise StaleButton() from None


# --- the menu ------------------------------------------------------------------------------------


def _statuses(session, *, years: list[int]) -> list[YearStatus]:
    return [calendar_admin.year_status(session, year=y) for y in years]


def _status_line(s: YearStatus, context: BotContext) -> str:
    if s.confirmed:
        at = s.confirmed_at.astimezone(context.deps.settings.tz).strftime("%Y-%m-%d")
        return texts.CAL_YEAR_CONFIRMED.format(year=s.year, name=esc(s.confirmed_by or "—"), at=at,
                                               off=s.holidays, on=s.workdays)
    if s.package_knows:
        return texts.CAL_YEAR_KNOWN.format(year=s.year, days=s.overrides)
    return texts.CAL_YEAR_MISSING.format(year=s.year, off=s.holidays, on=s.workdays)


async def _show_menu(update: Update, context: BotContext, *, notice: str = "", edit: bool = True) -> None:
    year = _year(context)
    statuses = await call(context, _statuses, years=[year, year + 1])
    text = notice + texts.CAL_MENU.format(years="\n".join(_status_line(s, context) for s in statuses))
    rows = [
        [button(texts.CAL_LIST_BUTTON.format(year=s.year), CalendarYear(s.year, 0).pack()) for s in statuses],
        [button(texts.CAL_ADD_BUTTON, CalendarAdd().pack()), button(texts.CAL_IMPORT_BUTTON, CalendarImport().pack())],
        *[[button(texts.CAL_CONFIRM_BUTTON.format(year=s.year), CalendarConfirmAsk(s.year).pack())] for s in statuses
          if s.provisional],
    ]
    await reply(update, text, reply_markup=inline(rows), edit=edit)


@requires(*MANAGE_CALENDAR)
async def calendar_command(update: Update, context: BotContext) -> None:
    await _show_menu(update, context, edit=False)


# --- buttons: list, remove, confirm ----------------------------------------------------------------


async def _menu(update: Update, context: BotContext, shown: CalendarMenu) -> None:
    await _show_menu(update, context)


async def _list(update: Update, context: BotContext, shown: CalendarYear, *, notice: str = "") -> None:
    year = _year_of(shown.year)
    page = shown.page
    days = await call(context, calendar_admin.list_days, year=year)
    if not days:
        await reply(update, notice + texts.CAL_DAYS_EMPTY.format(year=year),
                    reply_markup=inline([[button(texts.CAL_ADD_BUTTON, CalendarAdd().pack())], [BACK]]), edit=True)
        return
    pages = (len(days) + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(max(page, 0), pages - 1)
    shown = days[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    removals = [button(texts.CAL_REMOVE_BUTTON.format(md=d.day.strftime(texts.DAY_BUTTON_FORMAT), kind=_kind(d.workday)),
                       CalendarRemove(f"{d.day:%Y%m%d}", page).pack()) for d in shown]
    text = notice + texts.CAL_DAYS.format(year=year, total=len(days), lines="\n".join(_line(d) for d in days))
    rows = [*grid(removals, 3), code_pager(CalendarYear(year, page), pages), [BACK]]
    await reply(update, text, reply_markup=inline(rows), edit=True)


async def _remove(update: Update, context: BotContext, shown: CalendarRemove) -> None:
    day = _day_of(shown.day)
    page = shown.page
    removed = await call(context, calendar_admin.remove_day, actor_id=context.person.id, day=day, now=now(context))
    notice = texts.CAL_REMOVED.format(day=day.isoformat(), kind=_kind(removed.workday))
    await _list(update, context, CalendarYear(day.year, page), notice=notice)


async def _confirm_ask(update: Update, context: BotContext, shown: CalendarConfirmAsk) -> None:
    year = _year_of(shown.year)
    status = await call(context, calendar_admin.year_status, year=year)
    if not status.provisional:
        raise StaleButton()
    rows = [[button(texts.CAL_CONFIRM_YES, CalendarConfirm(year).pack()), BACK]]
    text = texts.CAL_CONFIRM_ASK.format(year=year, off=status.holidays, on=status.workdays)
    await reply(update, text, reply_markup=inline(rows), edit=True)


async def _confirm(update: Update, context: BotContext, shown: CalendarConfirm) -> None:
    year = _year_of(shown.year)
    count = await call(context, calendar_admin.confirm_year, actor_id=context.person.id, year=year, now=now(context),
                       policy=DeadlinePolicy.from_settings(context.deps.settings))
    await _show_menu(update, context, notice=texts.CAL_CONFIRMED.format(year=year, count=count))


async def _done(update: Update, context: BotContext, shown: CalendarDone) -> None:
    await _show_menu(update, context, edit=False)  # keep the list of what was saved above


VIEWS = {CalendarMenu: _menu, CalendarDone: _done, CalendarYear: _list, CalendarRemove: _remove,
         CalendarConfirmAsk: _confirm_ask, CalendarConfirm: _confirm}


@requires(*MANAGE_CALENDAR)
async def calendar_button(update: Update, context: BotContext) -> None:
    shown = pressed_one_of(update, VIEWS)
    await VIEWS[type(shown)](update, context, shown)


# --- typing days and sending a file: one short conversation ---------------------------------------


@requires(*MANAGE_CALENDAR)
async def ask_days(update: Update, context: BotContext) -> int:
    await update.effective_chat.send_message(texts.CAL_ASK_DAYS)
    return TYPING


@requires(*MANAGE_CALENDAR)
async def got_days(update: Update, context: BotContext) -> int:
    text = update.message.text
    if len(text) > MAX_TEXT:
        await update.effective_chat.send_message(texts.TOO_LONG.format(limit=MAX_TEXT))
        return TYPING
    try:
        saved = await call(context, calendar_admin.enter_days, actor_id=context.person.id, text=text,
                           now=now(context))
    except InvalidInput as exc:  # stay here: the corrected line is the next thing they type
        await update.effective_chat.send_message(texts.CAL_RETRY.format(error=esc(exc.message)))
        return TYPING
    lines = "\n".join(_line(e) for e in saved.entries[:40])
    await update.effective_chat.send_message(
        texts.CAL_SAVED.format(count=saved.count, lines=lines),
        reply_markup=inline([[button(texts.CAL_DONE_BUTTON, CalendarDone().pack())]]),
    )
    return TYPING


async def typing_wrong_type(update: Update, context: BotContext) -> int:
    await update.effective_chat.send_message(texts.CAL_TYPE_WRONG_TYPE)
    return TYPING


@requires(*MANAGE_CALENDAR)
async def import_start(update: Update, context: BotContext) -> int:
    await update.effective_chat.send_message(texts.CAL_IMPORT_HOW)
    await update.effective_chat.send_document(
        BytesIO(calendar_admin.calendar_template_xlsx()), filename="工作日历模板.xlsx", caption=texts.CAL_TEMPLATE_CAPTION
    )
    return WAIT_FILE


@requires(*MANAGE_CALENDAR)
async def got_file(update: Update, context: BotContext) -> int:
    doc = update.message.document
    name = doc.file_name or ""
    if not name.lower().endswith((".xlsx", ".csv")):
        await update.effective_chat.send_message(texts.FILE_BAD_TYPE)
        return WAIT_FILE
    if doc.file_size and doc.file_size > calendar_admin.MAX_BYTES:
        await update.effective_chat.send_message(texts.FILE_TOO_BIG.format(mb=calendar_admin.MAX_BYTES // 2**20))
        return WAIT_FILE
    data = bytes(await (await doc.get_file()).download_as_bytearray())
    try:
        rows = await asyncio.to_thread(calendar_admin.calendar_rows, data, name)
        saved = await call(context, calendar_admin.import_days, actor_id=context.person.id, rows=rows,
                           now=now(context))
    except InvalidInput as exc:  # stay here: the corrected file is the next thing they send
        await update.effective_chat.send_message(texts.DUTY_IMPORT_ERRORS.format(errors=esc(exc.message)))
        return WAIT_FILE
    years = "、".join(str(y) for y in saved.years)
    await _show_menu(update, context, notice=texts.CAL_IMPORT_OK.format(count=saved.count, years=years), edit=False)
    return ConversationHandler.END


async def file_wrong_type(update: Update, context: BotContext) -> int:
    await update.effective_chat.send_message(texts.CAL_IMPORT_WRONG_TYPE)
    return WAIT_FILE


async def leave(update: Update, context: BotContext) -> int:
    """完成, or another calendar button: stop typing / waiting and do what was pressed."""
    await calendar_button(update, context)
    return ConversationHandler.END


def build_calendar_conversation() -> ConversationHandler:
    other_button = CallbackQueryHandler(leave, pattern=any_of(*VIEWS))
    return Flow(
        entry_points=[
            CallbackQueryHandler(ask_days, pattern=CalendarAdd.pattern()),
            CallbackQueryHandler(import_start, pattern=CalendarImport.pattern()),
        ],
        states={
            TYPING: [
                MessageHandler(filters.TEXT & ~filters.COMMAND, got_days),
                other_button,
                MessageHandler(~filters.COMMAND, typing_wrong_type),
            ],
            WAIT_FILE: [
                MessageHandler(filters.Document.ALL, got_file),
                other_button,
                MessageHandler(~filters.COMMAND, file_wrong_type),
            ],
        },
        cancelled=texts.CAL_CANCELLED,
        name="calendar_edit",
        timeout=TIMEOUT,
        timeout_text=texts.CAL_TIMEOUT,
    )


def handlers() -> list[BaseHandler]:
    """New objects per call: a ConversationHandler keeps per-application state (its conversations
    and timeout jobs), and each Application (a restart builds a new one) needs its own."""
    return [
        build_calendar_conversation(),
        CommandHandler("calendar", calendar_command),
        CallbackQueryHandler(calendar_button, pattern=CALENDAR_FAMILY),
    ]
