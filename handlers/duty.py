"""/duty: the duty roster (值班表) — who is on duty and the leader on call (带班领导).

Everyone registered sees this week's roster. The director, admins and leaders also get buttons:
pick a day (today and the next 13), toggle the duty staff and the leader on call, 保存. Those
presses are stateless buttons whose data carries the day and a person id; the roles and the
ids are checked again on every press. The choice being edited lives in user_data as plain JSON.
Bulk upload is the only step with conversation state: a short wait for a document.
"""

import asyncio
from datetime import date, datetime, timedelta
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
    DUTY_FAMILY,
    DutyDay,
    DutyImport,
    DutyLeader,
    DutySave,
    DutyStaff,
    DutyWeek,
    any_of,
)
from bot.context import BotContext
from bot.keyboards import button, grid, inline
from bot.services import alerts, calendar_admin, people
from bot.services.errors import InvalidInput
from handlers.common import Flow, StaleButton, call, esc, local_today, now, pressed_one_of, reply, requires
from models import DutyRole, Role

EDITORS = (Role.director, Role.admin, Role.leader)
DAYS_AHEAD = 14  # today and the next 13 days can be arranged by buttons
EDIT_KEY = "duty_edit"  # {"day": "2026-12-01", "duty": [person ids], "leader": [person ids]}


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    WAIT_FILE = 0


WAIT_FILE = Step.WAIT_FILE

IMPORT_TIMEOUT = 15 * 60
MAX_PEOPLE = 300



def _day_text(day: date) -> str:
    return day.strftime(texts.DAY_FORMAT)


def _weekday(day: date) -> str:
    return texts.WEEKDAY_NAMES[day.weekday()]


def _names(names) -> str:
    return esc("、".join(names)) or texts.DUTY_NONE


def _day_of(day: str) -> date:
    try:
        return datetime.strptime(day, "%Y%m%d").date()
    except ValueError:
        raise StaleButton() from None


# --- reads: one unit of work each ----------------------------------------------------------------


def _week(session, *, first: date) -> list[alerts.DutyDay]:
    return [alerts.roster_day(session, day=first + timedelta(days=i)) for i in range(7)]


def _active(session, role: Role) -> list[tuple[int, str]]:
    found, _total = people.list_people(session, role=role, limit=MAX_PEOPLE)
    return [(p.id, p.name) for p in found if p.active]


def _editor_data(session, *, day: date) -> dict:
    leaders = dict(_active(session, Role.leader) + _active(session, Role.director))
    return {
        "staff": _active(session, Role.staff),
        "leaders": sorted(leaders.items(), key=lambda item: item[1]),
        "duty": [p.id for p in alerts.duty_people(session, day=day, role=DutyRole.duty)],
        "leader": [p.id for p in alerts.duty_people(session, day=day, role=DutyRole.leader)],
    }


# --- the week ------------------------------------------------------------------------------------


def _day_buttons(today: date) -> list:
    labels = []
    for i in range(DAYS_AHEAD):
        day = today + timedelta(days=i)
        md = day.strftime(texts.DAY_BUTTON_FORMAT)
        label = (texts.DUTY_TODAY_BUTTON.format(md=md) if i == 0 else texts.DUTY_TOMORROW_BUTTON.format(md=md)
                 if i == 1 else texts.DUTY_DAY_BUTTON.format(md=md, weekday=_weekday(day)))
        labels.append(button(label, DutyDay(f"{day:%Y%m%d}").pack()))
    return grid(labels, 3)


async def _show_week(update: Update, context: BotContext, *, notice: str = "", edit: bool = False) -> None:
    today = local_today(context)
    monday = today - timedelta(days=today.weekday())
    week = await call(context, _week, first=monday)
    lines = []
    for d in week:
        line = texts.DUTY_LINE.format(day=_day_text(d.day), weekday=_weekday(d.day), duty=_names(d.duty),
                                      leader=_names(d.leader))
        lines.append(texts.DUTY_TODAY_LINE.format(line=line) if d.day == today else line)
    text = notice + texts.DUTY_WEEK.format(first=_day_text(monday), last=_day_text(monday + timedelta(days=6)),
                                           lines="\n".join(lines))
    markup = None
    if context.person.has(*EDITORS):
        text += texts.DUTY_EDIT_HINT
        markup = inline([*_day_buttons(today), [button(texts.DUTY_IMPORT_BUTTON, DutyImport().pack())]])
    else:
        text += texts.DUTY_READONLY_HINT
    await reply(update, text, reply_markup=markup, edit=edit)


@requires()
async def duty_command(update: Update, context: BotContext) -> None:
    await _show_week(update, context)


# --- arranging one day by buttons ----------------------------------------------------------------


def _editable(context: BotContext, day: date) -> None:
    today = local_today(context)
    if not today <= day < today + timedelta(days=DAYS_AHEAD):
        raise StaleButton()


def _draft(context: BotContext, day: date, data: dict, *, fresh: bool = False) -> dict:
    draft = context.user_data.get(EDIT_KEY)
    if fresh or not isinstance(draft, dict) or draft.get("day") != day.isoformat():
        draft = {"day": day.isoformat(), "duty": list(data["duty"]), "leader": list(data["leader"])}
    context.user_data[EDIT_KEY] = draft
    return draft


async def _show_editor(update: Update, context: BotContext, day: date, data: dict, draft: dict) -> None:
    staff, leaders = dict(data["staff"]), dict(data["leaders"])
    chosen = [staff[i] for i in draft["duty"] if i in staff]
    leader = [leaders[i] for i in draft["leader"] if i in leaders]
    text = texts.DUTY_EDITOR.format(day=_day_text(day), weekday=_weekday(day), duty=_names(chosen),
                                    leader=_names(leader))
    if not staff:
        text += texts.DUTY_NO_STAFF
    key = f"{day:%Y%m%d}"

    def mark(on: bool) -> str:
        return texts.DUTY_MARK_ON if on else texts.DUTY_MARK_OFF

    staff_buttons = [button(texts.DUTY_STAFF_BUTTON.format(mark=mark(pid in draft["duty"]), name=name),
                            DutyStaff(key, pid).pack()) for pid, name in data["staff"]]
    leader_buttons = [button(texts.DUTY_LEADER_BUTTON.format(mark=mark(pid in draft["leader"]), name=name),
                             DutyLeader(key, pid).pack()) for pid, name in data["leaders"]]
    rows = [*grid(staff_buttons, 3), *grid(leader_buttons, 2),
            [button(texts.DUTY_SAVE, DutySave(key).pack()), button(texts.DUTY_BACK, DutyWeek().pack())]]
    await reply(update, text, reply_markup=inline(rows), edit=True)


async def _open_day(update: Update, context: BotContext, shown: DutyDay) -> None:
    day = _day_of(shown.day)
    _editable(context, day)
    data = await call(context, _editor_data, day=day)
    await _show_editor(update, context, day, data, _draft(context, day, data, fresh=True))


async def _toggle(update: Update, context: BotContext, shown: DutyStaff | DutyLeader) -> None:
    day = _day_of(shown.day)
    _editable(context, day)
    person_id = shown.person_id
    data = await call(context, _editor_data, day=day)
    draft = _draft(context, day, data)
    if isinstance(shown, DutyStaff):
        if person_id not in dict(data["staff"]):
            raise StaleButton()
        draft["duty"] = ([i for i in draft["duty"] if i != person_id] if person_id in draft["duty"]
                         else [*draft["duty"], person_id])
    else:
        if person_id not in dict(data["leaders"]):
            raise StaleButton()
        draft["leader"] = [] if person_id in draft["leader"] else [person_id]
    context.user_data[EDIT_KEY] = draft
    await _show_editor(update, context, day, data, draft)


async def _save(update: Update, context: BotContext, shown: DutySave) -> None:
    day = _day_of(shown.day)
    _editable(context, day)
    draft = context.user_data.get(EDIT_KEY)
    if not isinstance(draft, dict) or draft.get("day") != day.isoformat():
        raise StaleButton()
    saved = await call(context, alerts.set_duty, actor_id=context.person.id, day=day, duty_ids=draft["duty"],
                       leader_ids=draft["leader"], now=now(context))
    context.user_data.pop(EDIT_KEY, None)
    notice = texts.DUTY_SAVED.format(day=_day_text(day), duty=_names(saved.duty), leader=_names(saved.leader))
    await _show_week(update, context, notice=notice, edit=True)


async def _back(update: Update, context: BotContext, shown: DutyWeek) -> None:
    context.user_data.pop(EDIT_KEY, None)
    await _show_week(update, context, edit=True)


VIEWS = {DutyDay: _open_day, DutyStaff: _toggle, DutyLeader: _toggle, DutySave: _save, DutyWeek: _back}


@requires(*EDITORS)
async def duty_button(update: Update, context: BotContext) -> None:
    shown = pressed_one_of(update, VIEWS)
    await VIEWS[type(shown)](update, context, shown)


# --- bulk upload: a short wait for a document ----------------------------------------------------


@requires(*EDITORS)
async def import_start(update: Update, context: BotContext) -> int:
    await reply(update, texts.DUTY_IMPORT_HOW, reply_markup=inline([[button(texts.DUTY_BACK, DutyWeek().pack())]]),
                edit=True)
    await update.effective_chat.send_document(
        BytesIO(calendar_admin.roster_template_xlsx()), filename="值班表模板.xlsx", caption=texts.DUTY_TEMPLATE_CAPTION
    )
    return WAIT_FILE


@requires(*EDITORS)
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
        rows = await asyncio.to_thread(calendar_admin.roster_rows, data, name)
        days = await call(context, alerts.import_roster, actor_id=context.person.id, rows=rows, now=now(context))
    except InvalidInput as exc:  # stay here: the corrected file is the next thing they send
        await update.effective_chat.send_message(texts.DUTY_IMPORT_ERRORS.format(errors=esc(exc.message)))
        return WAIT_FILE
    await update.effective_chat.send_message(texts.DUTY_IMPORT_OK.format(days=days))
    return ConversationHandler.END


async def file_wrong_type(update: Update, context: BotContext) -> int:
    await update.effective_chat.send_message(texts.DUTY_IMPORT_WRONG_TYPE)
    return WAIT_FILE


async def leave_import(update: Update, context: BotContext) -> int:
    """Another roster button while waiting for the file: stop waiting and do what was pressed."""
    await duty_button(update, context)
    return ConversationHandler.END


async def import_timed_out(update: Update, context: BotContext) -> None:
    if isinstance(update, Update) and update.effective_chat:
        await update.effective_chat.send_message(texts.DUTY_IMPORT_TIMEOUT)


def build_import_conversation() -> ConversationHandler:
    return Flow(
        entry_points=[CallbackQueryHandler(import_start, pattern=DutyImport.pattern())],
        states={
            WAIT_FILE: [
                MessageHandler(filters.Document.ALL, got_file),
                CallbackQueryHandler(leave_import, pattern=any_of(*VIEWS)),
                MessageHandler(~filters.COMMAND, file_wrong_type),
            ],
        },
        cancelled=texts.DUTY_IMPORT_CANCELLED,
        name="duty_import",
        timeout=IMPORT_TIMEOUT,
        timed_out=import_timed_out,
    )


def handlers() -> list[BaseHandler]:
    """New objects per call: a ConversationHandler keeps per-application state (its conversations
    and timeout jobs), and each Application (a restart builds a new one) needs its own."""
    return [
        build_import_conversation(),
        CommandHandler("duty", duty_command),
        CallbackQueryHandler(duty_button, pattern=DUTY_FAMILY),
    ]
