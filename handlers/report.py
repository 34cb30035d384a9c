"""/report: a grid worker's (or a center member's) guided incident report.

One persistent conversation, buttons first; typing only for an address, the parties and the
description. The draft is plain JSON in user_data, so it survives a restart, and a timeout only
parks it (the person continues with /report). Only /cancel or a submit discards it.
Every press is checked again: the roles by `requires`, the ids in the data against the database.
"""

import re
from datetime import UTC, date, datetime, time, timedelta
from enum import IntEnum

from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.error import BadRequest
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
    REPORT_FAMILY,
    CaseView,
    PaichaItem,
    ReportBackToSummary,
    ReportCategories,
    ReportCategory,
    ReportCount,
    ReportCountMore,
    ReportCountRange,
    ReportDay,
    ReportEdit,
    ReportFilesClear,
    ReportFilesDone,
    ReportGrid,
    ReportLink,
    ReportNoGrid,
    ReportNoVillage,
    ReportOwnVillage,
    ReportPartiesClear,
    ReportPartiesDone,
    ReportPartyAdd,
    ReportPartySkip,
    ReportRestart,
    ReportResume,
    ReportSeverity,
    ReportSubmit,
    ReportSubmitNew,
    ReportType,
    ReportUrgent,
    ReportVillage,
    ReportVillageBack,
    ReportVillageList,
    ReportWhenBack,
    ReportWhenNow,
    ReportWhenPick,
    ReportWhenToday,
    any_of,
    lead,
)
from bot.context import BotContext
from bot.keyboards import button, grid, inline
from bot.services import cases, intake, paicha, places
from bot.services.cases import CaseDraft, FileInput, PartyInput
from bot.services.errors import InvalidInput
from handlers.common import Flow, StaleButton, call, case_types, esc, now, pressed, read, reply, requires
from models import Role, Severity, Source

REPORT_KEY = "report"
REPORTERS = (Role.grid, Role.staff, Role.leader, Role.director)
REPORT_TIMEOUT = 30 * 60  # seconds without an answer before the draft is parked
MAX_PARTIES = 20
MAX_ADDRESS = 200
MAX_PEOPLE = cases.MAX_PEOPLE
DATE_BUTTONS = 7  # today and the six days before it


class Step(IntEnum):
    """Persisted (PTB stores the conversation state and the draft's "state"): never renumber; add at the end."""

    RESUME = 0
    TYPE = 1
    SEVERITY = 2
    VILLAGE = 3
    PLACE = 4
    WHEN = 5
    PARTIES = 6
    PARTY_NAME = 7
    PARTY_PHONE = 8
    PARTY_ID = 9
    COUNT = 10
    DESCRIPTION = 11
    FILES = 12
    SUMMARY = 13


# The short names the handlers use (a test checks each is the member of the same name).
(RESUME, TYPE, SEVERITY, VILLAGE, PLACE, WHEN, PARTIES, PARTY_NAME, PARTY_PHONE, PARTY_ID, COUNT,
 DESCRIPTION, FILES, SUMMARY) = Step
# The steps as the person counts them (「第 n/总 步」 is made from this list only), then the summary.
# After an edit from the summary the flow returns to the summary instead.
STEPS = [TYPE, SEVERITY, VILLAGE, PLACE, WHEN, PARTIES, COUNT, DESCRIPTION, FILES]
ORDER = [*STEPS, SUMMARY]
EDIT_TARGETS = {
    "type": TYPE, "severity": SEVERITY, "village": VILLAGE, "place": PLACE, "when": WHEN,
    "parties": PARTIES, "count": COUNT, "description": DESCRIPTION, "files": FILES,
}
DATE_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def step_label(state: int) -> str:
    """「第 n/总 步」 for a step of STEPS: numbered by position, so two steps cannot share a number."""
    return texts.REPORT_STEP.format(n=STEPS.index(state) + 1, total=len(STEPS))


# --- the draft ---------------------------------------------------------------------------------


def _new_draft() -> dict:
    return {
        "type_id": None, "type_name": "", "forced": False, "suggested": None, "severity": None, "urgent": False,
        "village_id": None, "grid_id": None, "village_name": "", "place_name": "", "address": None, "lat": None, "lon": None,
        "when": None, "parties": [], "party": None, "people_count": None, "description": None, "voice": None,
        "files": [], "state": TYPE, "editing": False,
    }


def _draft(context: BotContext) -> dict:
    draft = context.user_data.get(REPORT_KEY)
    if not isinstance(draft, dict):
        draft = context.user_data[REPORT_KEY] = _new_draft()
    return draft


def _stored_step(d: dict) -> Step:
    """The step the draft was at: a plain int in user_data (JSON), read back as a Step; a draft
    of an earlier release keeps its number, one that makes no sense starts at the type."""
    try:
        return Step(d.get("state", TYPE))
    except (ValueError, TypeError):
        return TYPE


def _missing(d: dict) -> int | None:
    """The first step whose required answer is missing (a draft can only get here by forged presses)."""
    if d.get("type_id") is None:
        return TYPE
    if d.get("severity") is None:
        return SEVERITY
    if not d.get("description"):
        return DESCRIPTION
    return None


def _case_draft(d: dict, duplicate_of_id: int | None) -> CaseDraft:
    files = ([d["voice"]] if d.get("voice") else []) + list(d.get("files") or [])
    when = d.get("when")
    return CaseDraft(
        type_id=d["type_id"], severity=Severity(d["severity"]), description=d["description"], source=Source.grid,
        urgent=bool(d.get("urgent")), village_id=d.get("village_id"), grid_id=d.get("grid_id"),
        address=d.get("address"), latitude=d.get("lat"), longitude=d.get("lon"),
        occurred_at=datetime.fromisoformat(when["at"]) if when else None,
        parties=tuple(PartyInput(**p) for p in d.get("parties") or []), people_count=d.get("people_count"),
        people_count_approx=bool(d.get("people_count_approx")),
        files=tuple(FileInput(**f) for f in files), duplicate_of_id=duplicate_of_id,
    )


def _local_today(context: BotContext) -> date:
    return now(context).astimezone(context.deps.settings.tz).date()


def _date_example(context: BotContext) -> str:
    return (_local_today(context) - timedelta(days=2)).isoformat()


def _day_label(day: date) -> str:
    return f"{day.month}月{day.day}日"


def _when_label(context: BotContext, when: dict | None) -> str:
    if not when:
        return texts.REPORT_NOT_GIVEN
    at = datetime.fromisoformat(when["at"]).astimezone(context.deps.settings.tz)
    if when["kind"] == "now":
        return texts.REPORT_WHEN_NOW_LABEL.format(at=f"{_day_label(at.date())} {at:%H:%M}")
    if when["kind"] == "today":
        return texts.REPORT_WHEN_TODAY_LABEL.format(day=_day_label(at.date()))
    return at.date().isoformat()


def _party_line(p: dict) -> str:
    # The reporter typed these themself, so they see them unmasked (as on their own case card).
    return "，".join(esc(v) for v in (p["name"], p.get("phone"), p.get("id_number")) if v)


def _files_label(d: dict) -> str:
    counts: dict[str, int] = {}
    for f in ([d["voice"]] if d.get("voice") else []) + list(d.get("files") or []):
        counts[f["kind"]] = counts.get(f["kind"], 0) + 1
    return "、".join(f"{texts.REPORT_FILE_KINDS.get(k, k)} {n} 个" for k, n in counts.items())


def _file(kind: str, media) -> dict:
    return {
        "kind": kind, "file_id": media.file_id, "file_unique_id": media.file_unique_id,
        "file_name": getattr(media, "file_name", None), "mime_type": getattr(media, "mime_type", None),
        "size": media.file_size,
    }


def _place_keyboard() -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        [[KeyboardButton(texts.REPORT_SEND_LOCATION, request_location=True)], [texts.REPORT_SKIP]],
        resize_keyboard=True, one_time_keyboard=True,
    )


# --- what each step shows ----------------------------------------------------------------------


async def _render_resume(context: BotContext, d: dict):
    what = esc(d.get("type_name") or texts.REPORT_DRAFT_NO_TYPE)
    rows = [[button(texts.REPORT_RESUME, ReportResume().pack())], [button(texts.REPORT_RESTART, ReportRestart().pack())]]
    return texts.REPORT_HAS_DRAFT.format(what=what), inline(rows)


async def _render_type(context: BotContext, d: dict):
    first_of_category: dict[str, int] = {}
    for t in await case_types(context):
        first_of_category.setdefault(t.category, t.id)
    rows = grid([button(category, ReportCategory(tid).pack()) for category, tid in first_of_category.items()], 2)
    return texts.REPORT_ASK_CATEGORY.format(step=step_label(TYPE)), inline(rows)


async def _render_severity(context: BotContext, d: dict):
    hints = "\n".join(
        texts.REPORT_SEVERITY_LINE.format(label=texts.SEVERITY_LABELS[s], hint=texts.SEVERITY_HINTS[s])
        for s in Severity
    )
    if d.get("forced"):
        suggested = texts.REPORT_FORCED_URGENT
    elif d.get("suggested"):
        suggested = texts.REPORT_SUGGESTED.format(label=texts.SEVERITY_LABELS[Severity(d["suggested"])])
    else:
        suggested = ""
    choices = [
        button(("✅ " if d.get("severity") == s.value else "") + texts.SEVERITY_LABELS[s], ReportSeverity(s).pack())
        for s in Severity
    ]
    urgent = button(texts.REPORT_URGENT_ON if d.get("urgent") else texts.REPORT_URGENT_OFF, ReportUrgent().pack())
    text = texts.REPORT_ASK_SEVERITY.format(step=step_label(SEVERITY), type=esc(d.get("type_name")), hints=hints, suggested=suggested)
    return text, inline([choices, [urgent]])


def _own_place(context: BotContext) -> str:
    person = context.person
    return " ".join(p for p in (person.village_name, person.grid_name) if p)


async def _render_village(context: BotContext, d: dict):
    if context.person.village_id is not None:
        rows = [[button(texts.REPORT_USE_OWN.format(place=_own_place(context)), ReportOwnVillage().pack())],
                [button(texts.REPORT_OTHER_VILLAGE, ReportVillageList().pack())]]
        return texts.REPORT_ASK_VILLAGE_OWN.format(step=step_label(VILLAGE)), inline(rows)
    return await _render_village_list(context, d)


async def _render_village_list(context: BotContext, d: dict):
    villages = await read(context, places.list_villages)
    rows = grid([button(v.name, ReportVillage(v.id).pack()) for v in villages], 3)
    rows.append([button(texts.REPORT_NO_VILLAGE, ReportNoVillage().pack())])
    if context.person.village_id is not None:
        rows.append([button(texts.REPORT_BACK, ReportVillageBack().pack())])
    return texts.REPORT_ASK_VILLAGE.format(step=step_label(VILLAGE)), inline(rows)


async def _render_place(context: BotContext, d: dict):
    return texts.REPORT_ASK_PLACE.format(step=step_label(PLACE)), _place_keyboard()


async def _render_when(context: BotContext, d: dict):
    rows = [[button(texts.REPORT_WHEN_NOW, ReportWhenNow().pack()), button(texts.REPORT_WHEN_TODAY, ReportWhenToday().pack())],
            [button(texts.REPORT_WHEN_PICK, ReportWhenPick().pack())]]
    return texts.REPORT_ASK_WHEN.format(step=step_label(WHEN)), inline(rows)


async def _render_parties(context: BotContext, d: dict):
    parties = d.get("parties") or []
    if not parties:
        rows = [[button(texts.REPORT_ADD_PARTY, ReportPartyAdd().pack())], [button(texts.REPORT_SKIP, ReportPartiesDone().pack())]]
        return texts.REPORT_ASK_PARTIES.format(step=step_label(PARTIES), listing=texts.REPORT_PARTIES_NONE), inline(rows)
    lines = "\n".join(f"{i}. {_party_line(p)}" for i, p in enumerate(parties, 1))
    more = [button(texts.REPORT_ADD_ANOTHER, ReportPartyAdd().pack())] if len(parties) < MAX_PARTIES else []
    rows = [more, [button(texts.REPORT_PARTIES_DONE, ReportPartiesDone().pack())], [button(texts.REPORT_PARTIES_CLEAR, ReportPartiesClear().pack())]]
    return texts.REPORT_ASK_PARTIES.format(step=step_label(PARTIES), listing=texts.REPORT_PARTIES_LIST.format(lines=lines)), inline(rows)


async def _render_party_name(context: BotContext, d: dict):
    return texts.REPORT_ASK_PARTY_NAME.format(n=len(d.get("parties") or []) + 1), None


def _skip_keyboard():
    return inline([[button(texts.REPORT_SKIP, ReportPartySkip().pack())]])


async def _render_party_phone(context: BotContext, d: dict):
    return texts.REPORT_ASK_PARTY_PHONE.format(name=esc((d.get("party") or {}).get("name"))), _skip_keyboard()


async def _render_party_id(context: BotContext, d: dict):
    return texts.REPORT_ASK_PARTY_ID.format(name=esc((d.get("party") or {}).get("name"))), _skip_keyboard()


async def _render_count(context: BotContext, d: dict):
    ranges = [button(label, ReportCountRange(int(low)).pack()) for label, low in texts.REPORT_COUNT_RANGES]
    rows = [[button("1", ReportCount(1).pack()), button("2", ReportCount(2).pack())], *grid(ranges, 2)]
    return texts.REPORT_ASK_COUNT.format(step=step_label(COUNT)), inline(rows)


async def _render_description(context: BotContext, d: dict):
    return texts.REPORT_ASK_DESCRIPTION.format(step=step_label(DESCRIPTION)), None


async def _render_files(context: BotContext, d: dict):
    files = _files_label({"files": d.get("files")})
    text = texts.REPORT_ASK_FILES.format(step=step_label(FILES)) + (texts.REPORT_FILES_HAVE.format(files=files) if files else "")
    rows = [[button(texts.REPORT_FILES_DONE, ReportFilesDone().pack())]]
    if d.get("files"):
        rows.append([button(texts.REPORT_FILES_CLEAR, ReportFilesClear().pack())])
    return text, inline(rows)


async def _render_summary(context: BotContext, d: dict):
    severity = d.get("severity")
    urgent = d.get("urgent") or d.get("forced") or severity == Severity.major.value
    if d.get("lat") is not None:
        place = texts.REPORT_LOCATION.format(lat=d["lat"], lon=d["lon"])
    else:
        place = esc(d.get("address") or texts.REPORT_NOT_GIVEN)
    count = d.get("people_count")
    text = texts.REPORT_SUMMARY.format(
        type=esc(d.get("type_name") or texts.REPORT_NOT_GIVEN),
        severity=texts.SEVERITY_LABELS[Severity(severity)] if severity else texts.REPORT_NOT_GIVEN,
        urgent=texts.REPORT_URGENT_MARK if urgent else "",
        village=esc(d.get("place_name") or texts.REPORT_NONE),
        place=place,
        when=_when_label(context, d.get("when")),
        parties="；".join(_party_line(p) for p in d.get("parties") or []) or texts.REPORT_NONE,
        count=texts.people_count_label(count, bool(d.get("people_count_approx"))) if count else texts.REPORT_NOT_GIVEN,
        description=esc(d.get("description") or texts.REPORT_NOT_GIVEN),
        files=_files_label(d) or texts.REPORT_NONE,
    )
    edits = [button(label, ReportEdit(field).pack()) for field, label in texts.REPORT_EDIT.items()]
    return text, inline([*grid(edits, 3), [button(texts.REPORT_SUBMIT, ReportSubmit().pack())]])


RENDER = {
    RESUME: _render_resume, TYPE: _render_type, SEVERITY: _render_severity, VILLAGE: _render_village,
    PLACE: _render_place, WHEN: _render_when, PARTIES: _render_parties, PARTY_NAME: _render_party_name,
    PARTY_PHONE: _render_party_phone, PARTY_ID: _render_party_id, COUNT: _render_count,
    DESCRIPTION: _render_description, FILES: _render_files, SUMMARY: _render_summary,
}


async def _show(update: Update, context: BotContext, state: int, *, note: str = "", done: str = "") -> int:
    """Show a step: edit the pressed message in place, or send a new one (after typing, or when
    the step needs a reply keyboard, which only a new message can carry)."""
    d = _draft(context)
    if state != RESUME:
        d["state"] = state
    text, markup = await RENDER[state](context, d)
    if note:
        text = f"{note}\n\n{text}"
    query = update.callback_query
    if query is not None and not isinstance(markup, ReplyKeyboardMarkup):
        await reply(update, text, reply_markup=markup, edit=True)
        return state
    if query is not None:
        try:  # the old buttons would only be stale now
            if done:
                await query.edit_message_text(done)
            else:
                await query.edit_message_reply_markup(None)
        except BadRequest:
            pass
    await update.effective_chat.send_message(text, reply_markup=markup)
    return state


async def _next(update: Update, context: BotContext, finished: int, *, note: str = "", done: str = "") -> int:
    d = _draft(context)
    if d.get("editing"):
        d["editing"] = False
        return await _show(update, context, SUMMARY, note=note)
    return await _show(update, context, ORDER[ORDER.index(finished) + 1], note=note, done=done)


async def _ack_and_next(update: Update, context: BotContext, finished: int, ack: str) -> int:
    """After the place step: take the reply keyboard away, then show what comes next."""
    await update.effective_chat.send_message(ack, reply_markup=ReplyKeyboardRemove())
    return await _next(update, context, finished)


# --- start, resume, cancel, timeout ------------------------------------------------------------


@requires(*REPORTERS)
async def start_report(update: Update, context: BotContext) -> int:
    d = context.user_data.get(REPORT_KEY)
    if isinstance(d, dict) and d.get("type_id") is not None:
        return await _show(update, context, RESUME)
    context.user_data[REPORT_KEY] = _new_draft()
    return await _show(update, context, TYPE)


@requires(*REPORTERS)
async def resume(update: Update, context: BotContext) -> int:
    if update.callback_query.data == ReportRestart().pack():
        found_by = _draft(context).get(PAICHA_KEY)  # a 排查 item stays one when started afresh
        context.user_data[REPORT_KEY] = _new_draft()
        if found_by:
            context.user_data[REPORT_KEY][PAICHA_KEY] = found_by
        return await _show(update, context, TYPE)
    d = _draft(context)
    state = _stored_step(d)
    if state == RESUME:
        state = TYPE
    if state in (PARTY_PHONE, PARTY_ID) and not d.get("party"):
        state = PARTIES
    return await _show(update, context, state)


PAICHA_KEY = "paicha_period"  # in the draft: the 排查 period the report is an item of (issue 16)


@requires(Role.grid)
async def start_paicha_item(update: Update, context: BotContext) -> int:
    """「报送排查事项」: the same report, registered as found by 排查 for the village's return. A
    report already in progress is kept: it becomes the item (continue or start afresh)."""
    code = pressed(update, PaichaItem)
    settings = context.deps.settings
    start = await call(context, paicha.start_item, person_id=context.person.id, period_id=code.period_id,
                       today=_local_today(context), schedule=paicha.Schedule.from_settings(settings))
    d = context.user_data.get(REPORT_KEY)
    if isinstance(d, dict) and d.get("type_id") is not None:
        d[PAICHA_KEY] = start.period_id
        return await _show(update, context, RESUME, note=start.note)
    context.user_data[REPORT_KEY] = d = _new_draft()
    d[PAICHA_KEY] = start.period_id
    return await _show(update, context, TYPE, note=start.note)


async def cancel(update: Update, context: BotContext) -> int:
    context.user_data.pop(REPORT_KEY, None)
    await update.effective_chat.send_message(texts.REPORT_CANCELLED, reply_markup=ReplyKeyboardRemove())
    return ConversationHandler.END


async def timed_out(update: Update, context: BotContext) -> None:
    # The draft stays in user_data: /report offers to continue it.
    if isinstance(update, Update) and update.effective_chat:
        await update.effective_chat.send_message(texts.REPORT_TIMEOUT, reply_markup=ReplyKeyboardRemove())


async def stale_button(update: Update, context: BotContext) -> None:
    """A button from an earlier step: say so, and stay where the report is."""
    await update.callback_query.answer(texts.REPORT_STALE_BUTTON, show_alert=True)


def _wrong_type(state: int, hint: str):
    """A message of the wrong kind for this step: the hint, and the step again."""

    @requires(*REPORTERS)
    async def handler(update: Update, context: BotContext) -> int:
        return await _show(update, context, state, note=hint.format(example=_date_example(context)))

    return handler


# --- 1. type -----------------------------------------------------------------------------------


@requires(*REPORTERS)
async def choose_category(update: Update, context: BotContext) -> int:
    type_id = pressed(update, ReportCategory).type_id
    types = await case_types(context)
    first = next((t for t in types if t.id == type_id), None)
    if first is None:
        raise StaleButton()
    subtypes = [t for t in types if t.category == first.category]
    if len(subtypes) == 1:
        return await _set_type(update, context, subtypes[0])
    rows = grid([button(t.subtype, ReportType(t.id).pack()) for t in subtypes], 2)
    rows.append([button(texts.REPORT_BACK_TO_CATEGORIES, ReportCategories().pack())])
    text = texts.REPORT_ASK_SUBTYPE.format(step=step_label(TYPE), category=esc(first.category))
    await reply(update, text, reply_markup=inline(rows), edit=True)
    return TYPE


@requires(*REPORTERS)
async def back_to_categories(update: Update, context: BotContext) -> int:
    return await _show(update, context, TYPE)


@requires(*REPORTERS)
async def choose_type(update: Update, context: BotContext) -> int:
    type_id = pressed(update, ReportType).type_id
    chosen = next((t for t in await case_types(context) if t.id == type_id), None)
    if chosen is None:
        raise StaleButton()
    return await _set_type(update, context, chosen)


async def _set_type(update: Update, context: BotContext, case_type) -> int:
    d = _draft(context)
    d["type_id"] = case_type.id
    same = case_type.category == case_type.subtype
    d["type_name"] = case_type.subtype if same else f"{case_type.category}·{case_type.subtype}"
    d["forced"] = bool(case_type.forces_urgent)
    d["suggested"] = Severity(case_type.default_severity).value
    if case_type.forces_urgent:
        d["severity"], d["urgent"] = Severity.major.value, True
    return await _next(update, context, TYPE)


# --- 2. severity -------------------------------------------------------------------------------


@requires(*REPORTERS)
async def choose_severity(update: Update, context: BotContext) -> int:
    _draft(context)["severity"] = pressed(update, ReportSeverity).severity.value
    return await _next(update, context, SEVERITY)


@requires(*REPORTERS)
async def toggle_urgent(update: Update, context: BotContext) -> int:
    d = _draft(context)
    if d.get("forced") and d.get("urgent"):
        raise InvalidInput(texts.REPORT_URGENT_LOCKED)
    d["urgent"] = not d.get("urgent")
    return await _show(update, context, SEVERITY)


# --- 3. village and grid -----------------------------------------------------------------------


async def _set_village(update: Update, context: BotContext, village, grid_id=None, name: str = "") -> int:
    """`village` is None for a matter in no particular village; `name` names the grid too."""
    d = _draft(context)
    d["village_id"], d["grid_id"] = (village.id if village else None), grid_id
    d["village_name"] = village.name if village else ""
    d["place_name"] = name or d["village_name"]
    done = texts.REPORT_VILLAGE_CHOSEN.format(step=step_label(VILLAGE), place=esc(d["place_name"] or texts.REPORT_NO_VILLAGE))
    return await _next(update, context, VILLAGE, done=done)


@requires(*REPORTERS)
async def use_own_village(update: Update, context: BotContext) -> int:
    person = context.person
    if person.village_id is None:
        raise StaleButton()
    village = await read(context, places.get_village, village_id=person.village_id)
    return await _set_village(update, context, village, person.grid_id, _own_place(context))


@requires(*REPORTERS)
async def village_list(update: Update, context: BotContext) -> int:
    text, markup = await _render_village_list(context, _draft(context))
    await reply(update, text, reply_markup=markup, edit=True)
    return VILLAGE


@requires(*REPORTERS)
async def village_back(update: Update, context: BotContext) -> int:
    return await _show(update, context, VILLAGE)


@requires(*REPORTERS)
async def choose_village(update: Update, context: BotContext) -> int:
    village = await read(context, places.get_village, village_id=pressed(update, ReportVillage).village_id)
    grids = await read(context, places.list_grids, village_id=village.id)
    if not grids:
        return await _set_village(update, context, village)
    rows = grid([button(g.name, ReportGrid(g.id).pack()) for g in grids], 3)
    rows += [[button(texts.REPORT_NO_GRID, ReportNoGrid(village.id).pack())], [button(texts.REPORT_BACK, ReportVillageList().pack())]]
    await reply(update, texts.REPORT_ASK_GRID.format(step=step_label(VILLAGE), village=esc(village.name)), reply_markup=inline(rows), edit=True)
    return VILLAGE


@requires(*REPORTERS)
async def choose_grid(update: Update, context: BotContext) -> int:
    chosen = await read(context, places.get_grid, grid_id=pressed(update, ReportGrid).grid_id)
    village = await read(context, places.get_village, village_id=chosen.village_id)
    return await _set_village(update, context, village, chosen.id, f"{village.name} {chosen.name}")


@requires(*REPORTERS)
async def no_grid(update: Update, context: BotContext) -> int:
    village = await read(context, places.get_village, village_id=pressed(update, ReportNoGrid).village_id)
    return await _set_village(update, context, village)


@requires(*REPORTERS)
async def no_village(update: Update, context: BotContext) -> int:
    return await _set_village(update, context, None)


# --- 4. place ----------------------------------------------------------------------------------


@requires(*REPORTERS)
async def got_location(update: Update, context: BotContext) -> int:
    location = update.message.location
    d = _draft(context)
    d["lat"], d["lon"], d["address"] = location.latitude, location.longitude, None
    return await _ack_and_next(update, context, PLACE, texts.REPORT_PLACE_LOCATION_SAVED)


@requires(*REPORTERS)
async def got_address(update: Update, context: BotContext) -> int:
    text = " ".join(update.message.text.split())
    d = _draft(context)
    if text == texts.REPORT_SKIP:
        d["lat"] = d["lon"] = d["address"] = None
        return await _ack_and_next(update, context, PLACE, texts.REPORT_PLACE_SKIPPED)
    if len(text) > MAX_ADDRESS:
        return await _show(update, context, PLACE, note=texts.TOO_LONG.format(limit=MAX_ADDRESS))
    d["lat"] = d["lon"] = None
    d["address"] = text
    return await _ack_and_next(update, context, PLACE, texts.REPORT_PLACE_ADDRESS_SAVED.format(address=esc(text)))


# --- 5. when -----------------------------------------------------------------------------------


async def _set_when(update: Update, context: BotContext, kind: str, at: datetime) -> int:
    _draft(context)["when"] = {"kind": kind, "at": at.astimezone(UTC).isoformat()}
    return await _next(update, context, WHEN)


def _start_of(context: BotContext, day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=context.deps.settings.tz)


@requires(*REPORTERS)
async def when_quick(update: Update, context: BotContext) -> int:
    if update.callback_query.data == ReportWhenNow().pack():
        return await _set_when(update, context, "now", now(context))
    return await _set_when(update, context, "today", _start_of(context, _local_today(context)))


@requires(*REPORTERS)
async def when_pick(update: Update, context: BotContext) -> int:
    today = _local_today(context)
    buttons = []
    for back in range(DATE_BUTTONS):
        day = today - timedelta(days=back)
        if back == 0:
            label = f"{texts.REPORT_TODAY} {_day_label(day)}"
        elif back == 1:
            label = f"{texts.REPORT_YESTERDAY} {_day_label(day)}"
        else:
            label = f"{_day_label(day)} 周{texts.REPORT_WEEKDAYS[day.weekday()]}"
        buttons.append(button(label, ReportDay(f"{day:%Y%m%d}").pack()))
    rows = [*grid(buttons, 2), [button(texts.REPORT_BACK, ReportWhenBack().pack())]]
    text = texts.REPORT_ASK_DATE.format(step=step_label(WHEN), example=_date_example(context))
    await reply(update, text, reply_markup=inline(rows), edit=True)
    return WHEN


@requires(*REPORTERS)
async def when_back(update: Update, context: BotContext) -> int:
    return await _show(update, context, WHEN)


async def _set_date(update: Update, context: BotContext, day: date) -> int:
    if day > _local_today(context):
        return await _show(update, context, WHEN, note=texts.REPORT_DATE_FUTURE)
    return await _set_when(update, context, "date", _start_of(context, day))


@requires(*REPORTERS)
async def when_date(update: Update, context: BotContext) -> int:
    try:
        day = datetime.strptime(pressed(update, ReportDay).day, "%Y%m%d").date()
    except ValueError:
        raise StaleButton() from None
    return await _set_date(update, context, day)


@requires(*REPORTERS)
async def typed_date(update: Update, context: BotContext) -> int:
    match = DATE_RE.match(update.message.text)
    try:
        day = date(*(int(g) for g in match.groups())) if match else None
    except ValueError:
        day = None
    if day is None or day.year < 2000:
        return await _show(update, context, WHEN, note=texts.REPORT_DATE_BAD.format(example=_date_example(context)))
    return await _set_date(update, context, day)


# --- 6. parties and the number of people -------------------------------------------------------


@requires(*REPORTERS)
async def party_add(update: Update, context: BotContext) -> int:
    d = _draft(context)
    if len(d.get("parties") or []) >= MAX_PARTIES:
        raise InvalidInput(texts.REPORT_PARTIES_FULL.format(limit=MAX_PARTIES))
    d["party"] = {}
    return await _show(update, context, PARTY_NAME)


@requires(*REPORTERS)
async def parties_done(update: Update, context: BotContext) -> int:
    return await _next(update, context, PARTIES)


@requires(*REPORTERS)
async def parties_clear(update: Update, context: BotContext) -> int:
    _draft(context)["parties"] = []
    return await _show(update, context, PARTIES)


@requires(*REPORTERS)
async def party_name(update: Update, context: BotContext) -> int:
    try:
        party = cases.clean_party(PartyInput(name=update.message.text))
    except InvalidInput as exc:
        return await _show(update, context, PARTY_NAME, note=esc(exc.message))
    _draft(context)["party"] = {"name": party.name}
    return await _show(update, context, PARTY_PHONE)


def _party_so_far(context: BotContext) -> dict | None:
    party = _draft(context).get("party")
    return party if isinstance(party, dict) and party.get("name") else None


@requires(*REPORTERS)
async def party_phone(update: Update, context: BotContext) -> int:
    party = _party_so_far(context)
    if party is None:
        return await _show(update, context, PARTIES)
    try:
        cleaned = cases.clean_party(PartyInput(name=party["name"], phone=update.message.text))
    except InvalidInput as exc:
        return await _show(update, context, PARTY_PHONE, note=esc(exc.message))
    party["phone"] = cleaned.phone
    return await _show(update, context, PARTY_ID)


@requires(*REPORTERS)
async def party_id(update: Update, context: BotContext) -> int:
    party = _party_so_far(context)
    if party is None:
        return await _show(update, context, PARTIES)
    try:
        cleaned = cases.clean_party(
            PartyInput(name=party["name"], phone=party.get("phone"), id_number=update.message.text)
        )
    except InvalidInput as exc:
        return await _show(update, context, PARTY_ID, note=esc(exc.message))
    party["id_number"] = cleaned.id_number
    return await _finish_party(update, context)


@requires(*REPORTERS)
async def party_skip_phone(update: Update, context: BotContext) -> int:
    party = _party_so_far(context)
    if party is None:
        return await _show(update, context, PARTIES)
    party["phone"] = None
    return await _show(update, context, PARTY_ID)


@requires(*REPORTERS)
async def party_skip_id(update: Update, context: BotContext) -> int:
    party = _party_so_far(context)
    if party is None:
        return await _show(update, context, PARTIES)
    party["id_number"] = None
    return await _finish_party(update, context)


async def _finish_party(update: Update, context: BotContext) -> int:
    d = _draft(context)
    party = d.pop("party")
    d["party"] = None
    d["parties"] = [*(d.get("parties") or []),
                    {"name": party["name"], "phone": party.get("phone"), "id_number": party.get("id_number")}]
    return await _show(update, context, PARTIES, note=texts.REPORT_PARTY_ADDED.format(name=esc(party["name"])))


async def _set_count(update: Update, context: BotContext, count: int, approx: bool = False) -> int:
    if not 0 < count <= MAX_PEOPLE:
        return await _show(update, context, COUNT, note=texts.REPORT_COUNT_BAD)
    d = _draft(context)
    d["people_count"], d["people_count_approx"] = count, approx
    return await _next(update, context, COUNT)


@requires(*REPORTERS)
async def count_button(update: Update, context: BotContext) -> int:
    ranges = {ReportCountRange(int(low)).pack(): label for label, low in texts.REPORT_COUNT_RANGES}
    ranges[ReportCountMore().pack()] = texts.REPORT_COUNT_RANGES[0][0]
    chosen = ranges.get(update.callback_query.data)
    if chosen is not None:  # a range: ask for the number itself (an estimate is fine)
        await reply(update, texts.REPORT_ASK_COUNT_NUMBER.format(range=chosen), edit=True)
        return COUNT
    return await _set_count(update, context, pressed(update, ReportCount).count)


@requires(*REPORTERS)
async def typed_count(update: Update, context: BotContext) -> int:
    try:
        count, approx = cases.read_people_count(update.message.text)
    except InvalidInput as exc:
        return await _show(update, context, COUNT, note=esc(exc.message))
    return await _set_count(update, context, count, approx)


# --- 7. description ----------------------------------------------------------------------------


@requires(*REPORTERS)
async def got_description(update: Update, context: BotContext) -> int:
    text = update.message.text.strip()
    if len(text) > cases.MAX_TEXT:
        return await _show(update, context, DESCRIPTION, note=texts.TOO_LONG.format(limit=cases.MAX_TEXT))
    d = _draft(context)
    d["description"], d["voice"] = text, None
    return await _next(update, context, DESCRIPTION)


@requires(*REPORTERS)
async def voice_description(update: Update, context: BotContext) -> int:
    d = _draft(context)
    d["voice"] = _file("voice", update.message.voice)
    d["description"] = texts.REPORT_VOICE_DESCRIPTION
    return await _next(update, context, DESCRIPTION, note=texts.REPORT_VOICE_SAVED)


# --- 8. attachments ----------------------------------------------------------------------------


@requires(*REPORTERS)
async def got_file(update: Update, context: BotContext) -> int:
    msg = update.message
    if msg.photo:
        # Telegram sends several sizes of one photo; keep the largest.
        item = _file("photo", max(msg.photo, key=lambda p: (p.width * p.height, p.file_size or 0)))
    elif msg.video or msg.video_note:
        item = _file("video", msg.video or msg.video_note)
    elif msg.voice:
        item = _file("voice", msg.voice)
    elif msg.audio:
        item = _file("audio", msg.audio)
    else:
        item = _file("document", msg.document)
    d = _draft(context)
    d["files"] = [*(d.get("files") or []), item]
    d["state"] = FILES
    text = texts.REPORT_FILE_ADDED.format(count=len(d["files"]), files=_files_label({"files": d["files"]}))
    await update.effective_chat.send_message(text, reply_markup=inline([[button(texts.REPORT_FILES_DONE, ReportFilesDone().pack())]]))
    return FILES


@requires(*REPORTERS)
async def files_done(update: Update, context: BotContext) -> int:
    return await _next(update, context, FILES)


@requires(*REPORTERS)
async def files_clear(update: Update, context: BotContext) -> int:
    _draft(context)["files"] = []
    return await _show(update, context, FILES)


# --- 9. summary, duplicates, submit ------------------------------------------------------------


@requires(*REPORTERS)
async def edit_field(update: Update, context: BotContext) -> int:
    state = EDIT_TARGETS.get(pressed(update, ReportEdit).field)
    if state is None:
        raise StaleButton()
    d = _draft(context)
    d["editing"] = True
    if state == PARTIES:
        d["party"] = None
    return await _show(update, context, state)


@requires(*REPORTERS)
async def back_to_summary(update: Update, context: BotContext) -> int:
    return await _show(update, context, SUMMARY)


async def _duplicates(context: BotContext, d: dict) -> list[cases.CaseRef]:
    if d.get("village_id") is None:
        return []
    return await read(context, cases.possible_duplicates, type_id=d["type_id"], village_id=d["village_id"],
                      now=now(context))


async def _fill_missing(update: Update, context: BotContext, d: dict, missing: int) -> int:
    d["editing"] = True
    return await _show(update, context, missing, note=texts.REPORT_MISSING)


@requires(*REPORTERS)
async def submit_pressed(update: Update, context: BotContext) -> int:
    d = _draft(context)
    missing = _missing(d)
    if missing is not None:
        return await _fill_missing(update, context, d, missing)
    duplicates = await _duplicates(context, d)
    if not duplicates:
        return await _submit(update, context, d)
    lines = "\n".join(texts.REPORT_DUPLICATE_LINE.format(number=r.number, summary=esc(r.summary)) for r in duplicates)
    rows = [[button(texts.REPORT_LINK.format(number=r.number), ReportLink(r.id).pack())] for r in duplicates]
    rows += [[button(texts.REPORT_SUBMIT_NEW, ReportSubmitNew().pack())], [button(texts.REPORT_BACK_TO_SUMMARY, ReportBackToSummary().pack())]]
    text = texts.REPORT_DUPLICATES.format(village=esc(d.get("village_name")), lines=lines)
    await reply(update, text, reply_markup=inline(rows), edit=True)
    return SUMMARY


@requires(*REPORTERS)
async def link_duplicate(update: Update, context: BotContext) -> int:
    d = _draft(context)
    missing = _missing(d)
    if missing is not None:
        return await _fill_missing(update, context, d, missing)
    case_id = pressed(update, ReportLink).case_id
    # Checked again: the data may be forged, or the other case closed since the warning.
    linked = next((r for r in await _duplicates(context, d) if r.id == case_id), None)
    if linked is None:
        raise StaleButton()
    return await _submit(update, context, d, linked)


@requires(*REPORTERS)
async def submit_new(update: Update, context: BotContext) -> int:
    d = _draft(context)
    missing = _missing(d)
    if missing is not None:
        return await _fill_missing(update, context, d, missing)
    return await _submit(update, context, d)


async def _submit(update: Update, context: BotContext, d: dict, linked: cases.CaseRef | None = None) -> int:
    found_by, linked_note = d.get(PAICHA_KEY), ""
    if isinstance(found_by, int):  # 排查 (issue 16): registered and linked to the return in one unit of work
        result, linked_note = await call(
            context, paicha.register_item, actor_id=context.person.id, period_id=found_by,
            draft=_case_draft(d, linked.id if linked else None), now=now(context), today=_local_today(context),
            schedule=paicha.Schedule.from_settings(context.deps.settings), policy=context.deps.policy)
    else:
        result = await call(
            context, intake.register_report, actor_id=context.person.id,
            draft=_case_draft(d, linked.id if linked else None), now=now(context), policy=context.deps.policy,
        )
    ref = result.case
    context.user_data.pop(REPORT_KEY, None)
    text = texts.REPORT_DONE.format(number=ref.number) + linked_note
    if linked is not None:
        text += texts.REPORT_DONE_LINKED.format(number=linked.number)
    if ref.urgent:
        text += texts.REPORT_DONE_URGENT
    if result.phone_first:
        text += "\n" + result.phone_first
    if result.deferred_until:
        text += "\n" + texts.OFF_HOURS_RECEIVED.format(when=result.deferred_until)
    view = inline([[button(texts.NOTIFY_VIEW_BUTTON, CaseView(ref.id).pack())]])
    await reply(update, text, reply_markup=view, edit=True)
    return ConversationHandler.END


# --- wiring ------------------------------------------------------------------------------------

TEXT = filters.TEXT & ~filters.COMMAND
FILE = filters.PHOTO | filters.VIDEO | filters.VIDEO_NOTE | filters.Document.ALL | filters.VOICE | filters.AUDIO
OTHER = ~filters.COMMAND


def _q(callback, pattern: str) -> CallbackQueryHandler:
    return CallbackQueryHandler(callback, pattern=pattern)


def build_report_conversation() -> ConversationHandler:
    buttons = texts.REPORT_WRONG_BUTTONS
    return Flow(
        entry_points=[CommandHandler("report", start_report, filters=filters.ChatType.PRIVATE),
                      _q(start_paicha_item, PaichaItem.pattern())],
        states={
            RESUME: [_q(resume, any_of(ReportResume, ReportRestart)), MessageHandler(OTHER, _wrong_type(RESUME, buttons))],
            TYPE: [
                _q(choose_category, lead(ReportCategory)), _q(choose_type, lead(ReportType)), _q(back_to_categories, ReportCategories.pattern()),
                MessageHandler(OTHER, _wrong_type(TYPE, buttons)),
            ],
            SEVERITY: [
                _q(choose_severity, lead(ReportSeverity)), _q(toggle_urgent, ReportUrgent.pattern()),
                MessageHandler(OTHER, _wrong_type(SEVERITY, buttons)),
            ],
            VILLAGE: [
                _q(use_own_village, ReportOwnVillage.pattern()), _q(village_list, ReportVillageList.pattern()), _q(village_back, ReportVillageBack.pattern()),
                _q(choose_village, lead(ReportVillage)), _q(choose_grid, lead(ReportGrid)), _q(no_grid, lead(ReportNoGrid)),
                _q(no_village, ReportNoVillage.pattern()), MessageHandler(OTHER, _wrong_type(VILLAGE, buttons)),
            ],
            PLACE: [
                MessageHandler(filters.LOCATION, got_location), MessageHandler(TEXT, got_address),
                MessageHandler(OTHER, _wrong_type(PLACE, texts.REPORT_WRONG_PLACE)),
            ],
            WHEN: [
                _q(when_quick, any_of(ReportWhenNow, ReportWhenToday)), _q(when_pick, ReportWhenPick.pattern()), _q(when_back, ReportWhenBack.pattern()),
                _q(when_date, lead(ReportDay)), MessageHandler(TEXT, typed_date),
                MessageHandler(OTHER, _wrong_type(WHEN, texts.REPORT_WRONG_WHEN)),
            ],
            PARTIES: [
                _q(party_add, ReportPartyAdd.pattern()), _q(parties_done, ReportPartiesDone.pattern()), _q(parties_clear, ReportPartiesClear.pattern()),
                MessageHandler(OTHER, _wrong_type(PARTIES, buttons)),
            ],
            PARTY_NAME: [
                MessageHandler(TEXT, party_name), MessageHandler(OTHER, _wrong_type(PARTY_NAME, texts.REPORT_WRONG_TEXT)),
            ],
            PARTY_PHONE: [
                MessageHandler(TEXT, party_phone), _q(party_skip_phone, ReportPartySkip.pattern()),
                MessageHandler(OTHER, _wrong_type(PARTY_PHONE, texts.REPORT_WRONG_TEXT)),
            ],
            PARTY_ID: [
                MessageHandler(TEXT, party_id), _q(party_skip_id, ReportPartySkip.pattern()),
                MessageHandler(OTHER, _wrong_type(PARTY_ID, texts.REPORT_WRONG_TEXT)),
            ],
            COUNT: [
                _q(count_button, lead(ReportCount)), MessageHandler(TEXT, typed_count),
                MessageHandler(OTHER, _wrong_type(COUNT, texts.REPORT_WRONG_COUNT)),
            ],
            DESCRIPTION: [
                MessageHandler(TEXT, got_description), MessageHandler(filters.VOICE, voice_description),
                MessageHandler(OTHER, _wrong_type(DESCRIPTION, texts.REPORT_WRONG_DESCRIPTION)),
            ],
            FILES: [
                MessageHandler(FILE, got_file), _q(files_done, ReportFilesDone.pattern()), _q(files_clear, ReportFilesClear.pattern()),
                MessageHandler(filters.Text([texts.REPORT_FILES_DONE]), files_done),
                MessageHandler(OTHER, _wrong_type(FILES, texts.REPORT_WRONG_FILES)),
            ],
            SUMMARY: [
                _q(edit_field, lead(ReportEdit)), _q(submit_pressed, ReportSubmit.pattern()), _q(link_duplicate, lead(ReportLink)),
                _q(submit_new, ReportSubmitNew.pattern()), _q(back_to_summary, ReportBackToSummary.pattern()),
                MessageHandler(OTHER, _wrong_type(SUMMARY, texts.REPORT_WRONG_SUMMARY)),
            ],
        },
        fallbacks=[
            CommandHandler("cancel", cancel),
            CallbackQueryHandler(stale_button, pattern=REPORT_FAMILY),
        ],
        name="report",
        timeout=REPORT_TIMEOUT,
        timed_out=timed_out,
    )


def handlers() -> list[BaseHandler]:
    """New objects per call: a ConversationHandler keeps per-application state (its conversations
    and timeout jobs), and each Application (a restart builds a new one) needs its own."""
    return [build_report_conversation()]  # in a group the gate points to the private chat
