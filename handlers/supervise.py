"""督办 issued by the director: /supervise (guided and one line), /supervisions, /notice.

/supervise is one persistent conversation, "supervise_issue": the case (typed, or the 「📮 督办」
button on the case card, SuperviseCase) → the 承办: a unit or a person (承办单位 / 承办人员, switched by
DirectorPickKind; buttons or a typed name) → the deadline
(working-day buttons or a typed date) → level and source (buttons, defaults 普通·本级) → the
requirements (typed) → feedback requirements and 抄送 (typed or skipped) → the preview
(supervision.preview) with 确认下达 / 修改 / 取消 → supervision.issue. The one-line form
`/supervise 2026-0042 镇司法所 2026-12-10 要求` goes straight to the same preview. The draft lives
in user_data as plain JSON, so a restart keeps it:
    {"n": 3, "case": 12, "number": "2026-0012", "unit": 4, "person": null, "unit_name": "镇司法所", "to": "u",
     "due": "2026-12-10", "level": "normal", "source": "local", "req": "…", "feedback": null,
     "cc": null, "cc_p": [3], "cc_u": [5], "cc_page": 0, "back": false}
("unit" and "person": exactly one is set, "unit_name" names it; "to" is which list the picker shows.
"cc" is typed 抄送 for outside bodies; "cc_p" / "cc_u" the leaders and units picked by button.)
Buttons of the flow carry the draft's serial (the Director* codes), so a button of an older draft is stale.

/supervisions is a stateless list (NoticeList: state, unit, level, page; unit picker NoticeListUnits);
each row opens the notice card, NoticeOpen (handlers/notices.py).
/notice 综治〔2026〕12号 (or the old form 〔2026〕第012号) queues the notice's .docx for the asker (supervision.send_docx).
"""

import re
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

from bot import texts
from bot.callbacks import (
    DirectorBack,
    DirectorCancel,
    DirectorCcDone,
    DirectorCcPage,
    DirectorCcPerson,
    DirectorCcUnit,
    DirectorConfirm,
    DirectorDue,
    DirectorEdit,
    DirectorEditField,
    DirectorFeedbackDefault,
    DirectorLevel,
    DirectorLevelDone,
    DirectorNoCc,
    DirectorPerson,
    DirectorPersonPage,
    DirectorPickKind,
    DirectorSource,
    DirectorUnit,
    DirectorUnitPage,
    ListLevel,
    ListState,
    NoticeList,
    NoticeListUnits,
    NoticeOpen,
    SuperviseCase,
    any_of,
)
from bot.context import BotContext
from bot.keyboards import button, code_pager, grid, inline
from bot.services import cases, directory, supervision
from bot.services.case_card import case_card
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import DomainError, InvalidInput, NotAllowed
from handlers.common import (
    Flow,
    StaleButton,
    call,
    esc,
    now,
    pressed,
    pressed_one_of,
    reply,
    requires,
)
from handlers.forms import date_label, parse_date
from models import CaseStatus, NoticeLevel, NoticeSource, Role


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    CASE = 0
    UNIT = 1
    DUE = 2
    LEVEL = 3
    REQUIREMENTS = 4
    FEEDBACK = 5
    CC = 6
    PREVIEW = 7
    EDIT = 8


# The short names the handlers use (a test checks each is the member of the same name).
CASE, UNIT, DUE, LEVEL, REQUIREMENTS, FEEDBACK, CC, PREVIEW, EDIT = Step

DRAFT_KEY = "supervise_draft"
SERIAL_KEY = "supervise_serial"
TIMEOUT_SECONDS = 1800
UNIT_PAGE = 10
CC_PAGE = 10
LIST_PAGE = 10
VIEWERS = (Role.director, Role.secretary, *supervision.ASSIGNEE_ROLES)  # as supervision.may_list
CASE_NUMBER_RE = re.compile(r"^(\d{4})\s*[-－—_]\s*(\d{1,6})$")
NOT_SUPERVISABLE = (CaseStatus.archived, CaseStatus.out_of_scope)
STATES = {"o": "open", "x": "overdue", "a": "all"}
LEVELS = {"n": NoticeLevel.normal, "y": NoticeLevel.yellow, "r": NoticeLevel.red}
LEVEL_CODES = {level.value: code for code, level in LEVELS.items()}
EDIT_STATES = {"unit": UNIT, "due": DUE, "level": LEVEL, "req": REQUIREMENTS, "feedback": FEEDBACK, "cc": CC}
DIRECTOR_CODES = (DirectorCancel, DirectorUnit, DirectorUnitPage, DirectorPickKind, DirectorPerson,
                  DirectorPersonPage, DirectorDue, DirectorLevel, DirectorSource,
                  DirectorLevelDone, DirectorFeedbackDefault, DirectorCcPerson, DirectorCcUnit, DirectorCcPage,
                  DirectorCcDone, DirectorNoCc, DirectorConfirm, DirectorEdit, DirectorEditField, DirectorBack)


# --- helpers ------------------------------------------------------------------------------------


def _policy(context: BotContext) -> DeadlinePolicy:
    return context.deps.policy.deadlines


def _today(context: BotContext) -> date:
    return now(context).astimezone(context.deps.settings.tz).date()


def _new_draft(context: BotContext, **fields) -> dict:
    serial = context.user_data.get(SERIAL_KEY, 0) + 1
    context.user_data[SERIAL_KEY] = serial
    draft = {"n": serial, "level": NoticeLevel.normal.value, "source": NoticeSource.local.value,
             "feedback": None, "cc": None, "back": False, **fields}
    context.user_data[DRAFT_KEY] = draft
    return draft


def _draft(update: Update, context: BotContext) -> dict | None:
    """The draft. A button of another (older) draft is stale; a typed message without a draft
    (lost, timed out) gets None and the step ends."""
    draft = context.user_data.get(DRAFT_KEY)
    if update.callback_query is not None and (not draft or pressed_one_of(update, DIRECTOR_CODES).draft != draft.get("n")):
        raise StaleButton()
    return draft or None


def _side(draft: dict) -> str:
    """"p" when the draft's 承办 is a person, else "u"."""
    return "p" if draft.get("person") is not None else "u"


def _cc_code(kind: str) -> type[DirectorCcPerson | DirectorCcUnit]:
    return DirectorCcPerson if kind == "p" else DirectorCcUnit


def _cancel_row(draft: dict) -> list:
    return [button(texts.SVI_CANCEL, DirectorCancel(draft["n"]).pack())]


async def _lost(update: Update, context: BotContext) -> int:
    context.user_data.pop(DRAFT_KEY, None)
    await update.effective_chat.send_message(texts.SVI_LOST)
    return ConversationHandler.END


def _typed(update: Update) -> str:
    return (update.message.text or "").strip()


async def _say(update: Update, text: str) -> None:
    await update.effective_chat.send_message(text)


async def _next_or_preview(update: Update, context: BotContext, draft: dict, ask_next, *, edit: bool) -> int:
    """After a step: back to the preview when the step was an edit, else on to the next step."""
    if draft.get("back"):
        return await _show_preview(update, context, draft, edit=edit)
    return await ask_next(update, context, draft, edit=edit)


# --- the case ------------------------------------------------------------------------------------


def _case_number(text: str) -> str | None:
    match = CASE_NUMBER_RE.match(text.strip())
    return f"{match.group(1)}-{int(match.group(2)):04d}" if match else None


async def _take_case(update: Update, context: BotContext, case_id: int, *, edit: bool) -> int:
    card = await call(context, case_card, viewer_id=context.person.id, case_id=case_id, now=now(context),
                      with_history=False, policy=_policy(context))
    if card.status in NOT_SUPERVISABLE:
        raise InvalidInput(texts.SVI_CASE_CLOSED.format(number=card.number, status=texts.STATUS_LABELS[card.status]))
    draft = _new_draft(context, case=card.id, number=card.number, summary=_short(card.description))
    return await _ask_unit(update, context, draft, edit=edit)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@requires(Role.director)
async def supervise_command(update: Update, context: BotContext) -> int:
    if context.args:
        return await _one_line(update, context)
    context.user_data.pop(DRAFT_KEY, None)
    await _say(update, texts.SVI_ASK_CASE)
    return CASE


@requires(Role.director)
async def from_case_card(update: Update, context: BotContext) -> int:
    case_id = pressed(update, SuperviseCase).case_id
    # A new message: the case card stays readable above the flow.
    return await _take_case(update, context, case_id, edit=False)


@requires(Role.director)
async def case_typed(update: Update, context: BotContext) -> int:
    number = _case_number(_typed(update))
    if number is None:
        await _say(update, texts.SVI_BAD_CASE_NUMBER)
        return CASE
    try:
        case_id = await call(context, cases.find_by_number, number=number)
        return await _take_case(update, context, case_id, edit=False)
    except cases.CaseNotFound:
        error = texts.SVI_CASE_NOT_FOUND.format(number=number)
    except (InvalidInput, NotAllowed) as exc:
        error = exc.message
    await _say(update, texts.SVI_CASE_RETRY.format(error=esc(error)))
    return CASE


# --- the unit ------------------------------------------------------------------------------------


def _kind_row(draft: dict) -> list:
    """The two-way choice above either list: 承办单位 or 承办人员 (信息督办制度: 承办单位(人员))."""
    shown = draft.get("to", "u")
    return [button(_mark(kind == shown, label), DirectorPickKind(draft["n"], kind).pack())
            for kind, label in texts.SVI_PICK_KINDS.items()]


async def _ask_unit(update: Update, context: BotContext, draft: dict, *, edit: bool, page: int = 0) -> int:
    if draft.get("to") == "p":
        return await _ask_person(update, context, draft, edit=edit, page=page)
    units = await call(context, directory.active_units)
    if not units:  # a person may still be picked
        rows = [_kind_row(draft), _cancel_row(draft)]
        await reply(update, texts.SVI_NO_UNITS, reply_markup=inline(rows), edit=edit)
        return UNIT
    pages = max((len(units) + UNIT_PAGE - 1) // UNIT_PAGE, 1)
    page = min(max(page, 0), pages - 1)
    shown = units[page * UNIT_PAGE : (page + 1) * UNIT_PAGE]
    choices = [button(u.name + ("" if u.contacts else texts.ASSIGN_UNIT_NO_CONTACT), DirectorUnit(draft["n"], u.id).pack())
               for u in shown]
    rows = [_kind_row(draft), *grid(choices, 2), code_pager(DirectorUnitPage(draft["n"], page), pages),
            _cancel_row(draft)]
    text = texts.SVI_ASK_UNIT.format(number=esc(draft["number"]), summary=esc(draft.get("summary", "")),
                                     page=page + 1, pages=pages)
    await reply(update, text, reply_markup=inline([r for r in rows if r]), edit=edit)
    return UNIT


async def _ask_person(update: Update, context: BotContext, draft: dict, *, edit: bool, page: int = 0) -> int:
    persons = await call(context, supervision.assignee_choices)
    if not persons:
        rows = [_kind_row(draft), _cancel_row(draft)]
        await reply(update, texts.SVI_NO_PERSONS, reply_markup=inline(rows), edit=edit)
        return UNIT
    pages = max((len(persons) + UNIT_PAGE - 1) // UNIT_PAGE, 1)
    page = min(max(page, 0), pages - 1)
    shown = persons[page * UNIT_PAGE : (page + 1) * UNIT_PAGE]
    choices = [button(texts.SVI_PERSON_CHOICE.format(name=p.name, place=p.place), DirectorPerson(draft["n"], p.id).pack())
               for p in shown]
    rows = [_kind_row(draft), *grid(choices, 2), code_pager(DirectorPersonPage(draft["n"], page), pages),
            _cancel_row(draft)]
    text = texts.SVI_ASK_PERSON.format(number=esc(draft["number"]), summary=esc(draft.get("summary", "")),
                                       page=page + 1, pages=pages)
    await reply(update, text, reply_markup=inline([r for r in rows if r]), edit=edit)
    return UNIT


@requires(Role.director)
async def pick_kind(update: Update, context: BotContext) -> int:
    draft = _draft(update, context)
    kind = pressed(update, DirectorPickKind).kind
    if kind not in texts.SVI_PICK_KINDS:
        raise StaleButton()
    draft["to"] = kind
    return await _ask_unit(update, context, draft, edit=True)


@requires(Role.director)
async def person_page(update: Update, context: BotContext) -> int:
    draft = _draft(update, context)
    return await _ask_person(update, context, draft, edit=True, page=pressed(update, DirectorPersonPage).page)


def _take_person(draft: dict, person: supervision.AssigneeChoice) -> None:
    draft.update(unit=None, person=person.id, unit_name=person.name, to="p")


def _take_unit(draft: dict, unit_id: int, name: str) -> None:
    draft.update(unit=unit_id, person=None, unit_name=name, to="u")


@requires(Role.director)
async def person_pressed(update: Update, context: BotContext) -> int:
    draft = _draft(update, context)
    person_id = pressed(update, DirectorPerson).person_id
    person = next((p for p in await call(context, supervision.assignee_choices) if p.id == person_id), None)
    if person is None:  # no longer in post or unbound since the list was shown
        raise InvalidInput(texts.SV_ASSIGNEE_GONE)
    _take_person(draft, person)
    return await _next_or_preview(update, context, draft, _ask_due, edit=True)


@requires(Role.director)
async def unit_page(update: Update, context: BotContext) -> int:
    draft = _draft(update, context)
    return await _ask_unit(update, context, draft, edit=True, page=pressed(update, DirectorUnitPage).page)


@requires(Role.director)
async def unit_pressed(update: Update, context: BotContext) -> int:
    draft = _draft(update, context)
    unit_id = pressed(update, DirectorUnit).unit_id
    units = {u.id: u for u in await call(context, directory.active_units)}
    unit = units.get(unit_id)
    if unit is None:
        raise StaleButton()
    if not unit.contacts:
        raise InvalidInput(texts.SVI_UNIT_NO_CONTACT.format(unit=unit.name))
    _take_unit(draft, unit.id, unit.name)
    return await _next_or_preview(update, context, draft, _ask_due, edit=True)


@requires(Role.director)
async def unit_typed(update: Update, context: BotContext) -> int:
    draft = _draft(update, context)
    if draft is None or "case" not in draft:
        return await _lost(update, context)
    try:
        if draft.get("to") == "p":
            _take_person(draft, await call(context, supervision.find_assignee, name=_typed(update)))
        else:
            unit = await call(context, supervision.find_unit, name=_typed(update))
            _take_unit(draft, unit.id, unit.name)
    except InvalidInput as exc:
        retry = texts.SVI_PERSON_RETRY if draft.get("to") == "p" else texts.SVI_UNIT_RETRY
        await _say(update, retry.format(error=esc(exc.message)))
        return UNIT
    return await _next_or_preview(update, context, draft, _ask_due, edit=False)


# --- the deadline --------------------------------------------------------------------------------


async def _ask_due(update: Update, context: BotContext, draft: dict, *, edit: bool) -> int:
    choices = await call(context, supervision.due_choices, now=now(context), policy=_policy(context))
    buttons = [button(texts.SVI_DUE_CHOICE.format(n=n, date=date_label(day)), DirectorDue(draft["n"], day).pack())
               for n, day in choices]
    rows = [*grid(buttons, 1), _cancel_row(draft)]
    text = texts.SVI_ASK_DUE.format(side=texts.SV_SIDES[_side(draft)], unit=esc(draft["unit_name"]),
                                    example=choices[-1][1].isoformat())
    await reply(update, text, reply_markup=inline(rows), edit=edit)
    return DUE


async def _take_due(update: Update, context: BotContext, draft: dict, day: date, *, edit: bool) -> int:
    if day < _today(context):
        await _say(update, texts.SVI_DUE_PAST)
        return DUE
    draft["due"] = day.isoformat()
    return await _next_or_preview(update, context, draft, _ask_level, edit=edit)


@requires(Role.director)
async def due_pressed(update: Update, context: BotContext) -> int:
    draft = _draft(update, context)
    if "unit" not in draft:
        raise StaleButton()
    day = pressed(update, DirectorDue).day
    return await _take_due(update, context, draft, day, edit=True)


@requires(Role.director)
async def due_typed(update: Update, context: BotContext) -> int:
    draft = _draft(update, context)
    if draft is None or "unit" not in draft:
        return await _lost(update, context)
    day = parse_date(_typed(update), _today(context))
    if day is None:
        await _say(update, texts.DL_BAD_DATE.format(example=_today(context).isoformat()))
        return DUE
    return await _take_due(update, context, draft, day, edit=False)


# --- level and source ----------------------------------------------------------------------------


def _mark(chosen: bool, label: str) -> str:
    return ("• " if chosen else "") + label


async def _ask_level(update: Update, context: BotContext, draft: dict, *, edit: bool) -> int:
    levels = [button(_mark(draft["level"] == level.value, texts.SV_LEVEL_MARKS[level.value] + " "
                           + texts.SV_LEVEL_LABELS[level.value]), DirectorLevel(draft["n"], code).pack())
              for code, level in LEVELS.items()]
    sources = [button(_mark(draft["source"] == source.value, texts.SV_SOURCE_LABELS[source.value]),
                      DirectorSource(draft["n"], source.value).pack()) for source in NoticeSource]
    rows = [levels, sources, [button(texts.SVI_NEXT, DirectorLevelDone(draft["n"]).pack())], _cancel_row(draft)]
    due = date.fromisoformat(draft["due"])
    text = texts.SVI_ASK_LEVEL.format(due=date_label(due))
    await reply(update, text, reply_markup=inline(rows), edit=edit)
    return LEVEL


@requires(Role.director)
async def level_pressed(update: Update, context: BotContext) -> int:
    draft = _draft(update, context)
    hit = pressed_one_of(update, (DirectorLevel, DirectorSource))
    if "due" not in draft:
        raise StaleButton()
    if isinstance(hit, DirectorLevel) and hit.level in LEVELS:
        draft["level"] = LEVELS[hit.level].value
    elif isinstance(hit, DirectorSource) and hit.source in {s.value for s in NoticeSource}:
        draft["source"] = hit.source
    else:
        raise StaleButton()
    return await _ask_level(update, context, draft, edit=True)


@requires(Role.director)
async def level_done(update: Update, context: BotContext) -> int:
    draft = _draft(update, context)
    if "due" not in draft:
        raise StaleButton()
    return await _next_or_preview(update, context, draft, _ask_requirements, edit=True)


# --- typed texts ---------------------------------------------------------------------------------


async def _ask_requirements(update: Update, context: BotContext, draft: dict, *, edit: bool) -> int:
    text = texts.SVI_ASK_REQUIREMENTS.format(level=texts.SV_LEVEL_LABELS[draft["level"]],
                                             source=texts.SV_SOURCE_LABELS[draft["source"]],
                                             limit=supervision.MAX_TEXT)
    await reply(update, text, reply_markup=inline([_cancel_row(draft)]), edit=edit)
    return REQUIREMENTS


@requires(Role.director)
async def requirements_typed(update: Update, context: BotContext) -> int:
    draft = _draft(update, context)
    if draft is None or "due" not in draft:
        return await _lost(update, context)
    text = _typed(update)
    if len(text) > supervision.MAX_TEXT:
        await _say(update, texts.TOO_LONG.format(limit=supervision.MAX_TEXT))
        return REQUIREMENTS
    if len(text) < 2:
        await _say(update, texts.SVI_REQUIREMENTS_SHORT)
        return REQUIREMENTS
    draft["req"] = text
    return await _next_or_preview(update, context, draft, _ask_feedback, edit=False)


async def _ask_feedback(update: Update, context: BotContext, draft: dict, *, edit: bool) -> int:
    text = texts.SVI_ASK_FEEDBACK.format(limit=supervision.FEEDBACK_MAX, default=texts.SV_DEFAULT_FEEDBACK)
    rows = [[button(texts.SVI_FEEDBACK_DEFAULT, DirectorFeedbackDefault(draft["n"]).pack())], _cancel_row(draft)]
    await reply(update, text, reply_markup=inline(rows), edit=edit)
    return FEEDBACK


async def _take_optional(update: Update, context: BotContext, key: str, limit: int, state: int, ask_next) -> int:
    draft = _draft(update, context)
    if draft is None or "req" not in draft:
        if update.callback_query is not None:
            raise StaleButton()
        return await _lost(update, context)
    if update.callback_query is not None:
        draft[key] = None
        return await _next_or_preview(update, context, draft, ask_next, edit=True)
    text = _typed(update)
    if len(text) > limit:
        await _say(update, texts.TOO_LONG.format(limit=limit))
        return state
    draft[key] = text or None
    return await _next_or_preview(update, context, draft, ask_next, edit=False)


@requires(Role.director)
async def feedback_given(update: Update, context: BotContext) -> int:
    return await _take_optional(update, context, "feedback", supervision.FEEDBACK_MAX, FEEDBACK, _ask_cc)


async def _ask_cc(update: Update, context: BotContext, draft: dict, *, edit: bool) -> int:
    """抄送: leaders and units by button (several, pressed again to take off), outside bodies typed."""
    choices = await call(context, supervision.cc_choices, unit_id=draft.get("unit"), assignee_id=draft.get("person"))
    picked = {"p": set(draft.get("cc_p", [])), "u": set(draft.get("cc_u", []))}
    pages = max((len(choices) + CC_PAGE - 1) // CC_PAGE, 1)
    page = min(max(draft.get("cc_page", 0), 0), pages - 1)
    shown = choices[page * CC_PAGE : (page + 1) * CC_PAGE]
    buttons = [button(_mark(c.id in picked[c.kind], c.name) + ("" if c.reachable else texts.ASSIGN_UNIT_NO_CONTACT),
                      _cc_code(c.kind)(draft["n"], c.id).pack()) for c in shown]
    names = [c.name for c in choices if c.id in picked[c.kind]] + ([draft["cc"]] if draft.get("cc") else [])
    rows = [*grid(buttons, 2), code_pager(DirectorCcPage(draft["n"], page), pages),
            [button(texts.SVI_CC_DONE, DirectorCcDone(draft["n"]).pack()),
             button(texts.SVI_NO_CC, DirectorNoCc(draft["n"]).pack())],
            _cancel_row(draft)]
    text = texts.SVI_ASK_CC.format(limit=supervision.CC_MAX, chosen=esc("、".join(names)) or texts.SVI_NONE)
    await reply(update, text, reply_markup=inline([r for r in rows if r]), edit=edit)
    return CC


@requires(Role.director)
async def cc_given(update: Update, context: BotContext) -> int:
    """Typed (an outside body, kept with the picks) or 「不抄送」 (nothing at all): on to the preview."""
    draft = _draft(update, context)
    if draft is not None and update.callback_query is not None:
        draft["cc_p"], draft["cc_u"] = [], []
    return await _take_optional(update, context, "cc", supervision.CC_MAX, CC, _show_preview)


@requires(Role.director)
async def cc_pressed(update: Update, context: BotContext) -> int:
    draft = _draft(update, context)
    hit = pressed_one_of(update, (DirectorCcPerson, DirectorCcUnit))
    if "req" not in draft:
        raise StaleButton()
    kind, ident = ("p", hit.person_id) if isinstance(hit, DirectorCcPerson) else ("u", hit.unit_id)
    choices = {(c.kind, c.id): c for c in await call(context, supervision.cc_choices, unit_id=draft.get("unit"),
                                                     assignee_id=draft.get("person"))}
    choice = choices.get((kind, ident))
    if choice is None:
        raise StaleButton()
    key = f"cc_{kind}"
    picked = list(draft.get(key, []))
    if ident in picked:
        picked.remove(ident)
    elif not choice.reachable:
        raise InvalidInput(texts.SV_CC_NO_CONTACT.format(unit=choice.name))
    else:
        picked.append(ident)
    draft[key] = picked
    return await _ask_cc(update, context, draft, edit=True)


@requires(Role.director)
async def cc_page(update: Update, context: BotContext) -> int:
    draft = _draft(update, context)
    if "req" not in draft:
        raise StaleButton()
    draft["cc_page"] = pressed(update, DirectorCcPage).page
    return await _ask_cc(update, context, draft, edit=True)


# --- the preview, edits and issue ----------------------------------------------------------------


def _notice_fields(draft: dict) -> dict:
    return dict(case_id=draft["case"], unit_id=draft["unit"], assignee_id=draft.get("person"), due_date=date.fromisoformat(draft["due"]),
                requirements=draft["req"], level=NoticeLevel(draft["level"]), source=NoticeSource(draft["source"]),
                feedback=draft.get("feedback"), cc=draft.get("cc"), cc_person_ids=draft.get("cc_p", []),
                cc_unit_ids=draft.get("cc_u", []))


def render_preview(view: supervision.NoticeView) -> str:
    if view.original_due and view.days_overdue:
        original = texts.SVI_ORIGINAL.format(due=view.original_due, days=view.days_overdue)
    else:
        original = view.original_due or texts.SVI_NONE
    return texts.SVI_PREVIEW.format(
        number=esc(view.number), mark=texts.SV_LEVEL_MARKS[view.level.value], level=view.level_label,
        source=view.source_label,
        addressee=esc(texts.sv_addressee(name=view.unit_name, contacts=view.contacts or texts.SVI_NONE,
                                         to_person=view.to_person)),
        case_number=esc(view.case_number), summary=esc(view.case_summary), original=original,
        requirements=esc(view.requirements), due=esc(view.due), feedback=esc(view.feedback),
        cc=esc(view.cc or texts.SVI_NONE), issuer=esc(view.issuer), issued_on=esc(view.issued_on),
    )


async def _show_preview(update: Update, context: BotContext, draft: dict, *, edit: bool) -> int:
    draft["back"] = False
    edit_row = [button(texts.SVI_EDIT, DirectorEdit(draft["n"]).pack()), *_cancel_row(draft)]
    try:
        view = await call(context, supervision.preview, actor_id=context.person.id, now=now(context),
                          policy=_policy(context), **_notice_fields(draft))
    except InvalidInput as exc:  # e.g. the unit lost its contact, the date passed: fix it by 修改
        await reply(update, texts.SVI_PREVIEW_FAILED.format(error=esc(exc.message)),
                    reply_markup=inline([edit_row]), edit=edit)
        return PREVIEW
    rows = [[button(texts.SVI_CONFIRM, DirectorConfirm(draft["n"]).pack())], edit_row]
    await reply(update, render_preview(view), reply_markup=inline(rows), edit=edit)
    return PREVIEW


@requires(Role.director)
async def edit_menu(update: Update, context: BotContext) -> int:
    draft = _draft(update, context)
    if "req" not in draft:
        raise StaleButton()
    fields = [button(label, DirectorEditField(draft["n"], key).pack()) for key, label in texts.SVI_EDIT_FIELDS.items()]
    rows = [*grid(fields, 2), [button(texts.SVI_BACK, DirectorBack(draft["n"]).pack())], _cancel_row(draft)]
    await reply(update, texts.SVI_EDIT_MENU, reply_markup=inline(rows), edit=True)
    return EDIT


@requires(Role.director)
async def edit_field(update: Update, context: BotContext) -> int:
    draft = _draft(update, context)
    field = pressed(update, DirectorEditField).field
    if "req" not in draft or field not in EDIT_STATES:
        raise StaleButton()
    draft["back"] = True
    ask = {"unit": _ask_unit, "due": _ask_due, "level": _ask_level, "req": _ask_requirements,
           "feedback": _ask_feedback, "cc": _ask_cc}[field]
    return await ask(update, context, draft, edit=True)


@requires(Role.director)
async def back_to_preview(update: Update, context: BotContext) -> int:
    draft = _draft(update, context)
    if "req" not in draft:
        raise StaleButton()
    return await _show_preview(update, context, draft, edit=True)


@requires(Role.director)
async def confirm(update: Update, context: BotContext) -> int:
    draft = _draft(update, context)
    if "req" not in draft:
        raise StaleButton()
    try:
        notice = await call(context, supervision.issue, actor_id=context.person.id, now=now(context),
                            policy=_policy(context), style=context.deps.notice_style, **_notice_fields(draft))
    except InvalidInput as exc:
        edit_row = [button(texts.SVI_EDIT, DirectorEdit(draft["n"]).pack()), *_cancel_row(draft)]
        await reply(update, texts.SVI_PREVIEW_FAILED.format(error=esc(exc.message)),
                    reply_markup=inline([edit_row]), edit=True)
        return PREVIEW
    except DomainError as exc:  # the case is gone or the person lost the right: the draft is over
        context.user_data.pop(DRAFT_KEY, None)
        await reply(update, esc(exc.message), edit=True)
        return ConversationHandler.END
    context.user_data.pop(DRAFT_KEY, None)
    due = supervision.long_date(notice.due_at, _policy(context).tz)
    side = _side(draft)
    text = texts.SVI_ISSUED.format(number=notice.number, side=texts.SV_SIDES[side], unit=esc(draft["unit_name"]),
                                   told=texts.SVI_TOLD[side],
                                   case_number=esc(draft["number"]), due=due)
    await reply(update, text, reply_markup=inline([[button(texts.SV_VIEW, NoticeOpen(notice.id).pack())]]), edit=True)
    return ConversationHandler.END


# --- the one-line command ------------------------------------------------------------------------


async def _one_line(update: Update, context: BotContext) -> int:
    try:
        command = supervision.parse_command(update.message.text or "", today=_today(context))
        try:
            found = await call(context, supervision.resolve_command, actor_id=context.person.id, command=command)
        except cases.CaseNotFound:
            raise InvalidInput(texts.SVI_CASE_NOT_FOUND.format(number=command.case_number)) from None
    except InvalidInput as exc:
        message = exc.message
        if texts.SV_COMMAND_USAGE not in message:
            message = f"{message}\n{texts.SV_COMMAND_USAGE}"
        await _say(update, texts.SVI_COMMAND_ERROR.format(error=esc(message)))
        return ConversationHandler.END
    draft = _new_draft(context, case=found.case_id, number=found.case_number, summary="", unit=found.unit_id,
                       person=found.assignee_id, to="p" if found.assignee_id is not None else "u",
                       unit_name=found.unit_name, due=found.due_date.isoformat(), req=found.requirements)
    return await _show_preview(update, context, draft, edit=False)


# --- hints, cancel, timeout ----------------------------------------------------------------------


async def case_wrong_type(update: Update, context: BotContext) -> None:
    await _say(update, texts.SVI_CASE_WRONG_TYPE)


async def unit_wrong_type(update: Update, context: BotContext) -> None:
    await _say(update, texts.SVI_UNIT_WRONG_TYPE)


async def due_wrong_type(update: Update, context: BotContext) -> None:
    await _say(update, texts.SVI_DUE_WRONG_TYPE.format(example=_today(context).isoformat()))


async def text_wrong_type(update: Update, context: BotContext) -> None:
    await _say(update, texts.SVI_TEXT_WRONG_TYPE)


async def buttons_wrong_type(update: Update, context: BotContext) -> None:
    await _say(update, texts.SVI_BUTTONS_WRONG_TYPE)


async def cancel(update: Update, context: BotContext) -> int:
    context.user_data.pop(DRAFT_KEY, None)
    await _say(update, texts.SVI_CANCELLED)
    return ConversationHandler.END


@requires(Role.director)
async def cancel_button(update: Update, context: BotContext) -> int:
    _draft(update, context)
    context.user_data.pop(DRAFT_KEY, None)
    await reply(update, texts.SVI_CANCELLED, edit=True)
    return ConversationHandler.END


# --- /supervisions ------------------------------------------------------------------------------


def _list(state: str, unit_id: int, level: str, page: int) -> str:
    return NoticeList(ListState[state], unit_id, ListLevel[level], page).pack()


def _row(ref: supervision.NoticeRef) -> str:
    return texts.SVL_ROW.format(overdue=texts.SVL_OVERDUE_MARK if ref.overdue else "", mark=ref.mark,
                                number=ref.number, unit=ref.unit, due=ref.due)


async def _list_page(update: Update, context: BotContext, state: str, unit_id: int, level: str, page: int, *,
                     edit: bool) -> None:
    if state not in STATES or (level != "-" and level not in LEVELS) or unit_id < 0 or page < 0:
        raise StaleButton()
    person = context.person
    sees_all = person.has(*supervision.SEE_ALL)
    unit_id = unit_id if sees_all else 0
    found, total = await call(context, supervision.list_notices, viewer_id=person.id, now=now(context),
                              state=STATES[state], unit_id=unit_id or None, level=LEVELS.get(level),
                              offset=page * LIST_PAGE, limit=LIST_PAGE, policy=_policy(context))
    pages = max((total + LIST_PAGE - 1) // LIST_PAGE, 1)
    if page >= pages and total:  # notices closed since: show the last page there is
        await _list_page(update, context, state, unit_id, level, pages - 1, edit=edit)
        return
    state_row = [button(_mark(s == state, texts.SVL_STATES[STATES[s]]), _list(s, unit_id, level, 0))
                 for s in STATES]
    level_row = [button(_mark(level == "-", texts.SVL_ALL_LEVELS), _list(state, unit_id, "-", 0))] + [
        button(_mark(level == code, texts.SV_LEVEL_LABELS[lv.value]), _list(state, unit_id, code, 0))
        for code, lv in LEVELS.items()]
    unit_name = ""
    if unit_id:
        unit_name = found[0].unit if found else next(
            (u.name for u in await call(context, directory.active_units) if u.id == unit_id), "")
    unit_row = [button(texts.SVL_UNIT_BUTTON.format(unit=unit_name or texts.SVL_ALL_UNITS),
                       NoticeListUnits(ListState[state], ListLevel[level], 0).pack())] if sees_all else []
    rows = [state_row, level_row, unit_row, *([button(_row(ref), NoticeOpen(ref.id).pack())] for ref in found),
            code_pager(NoticeList(ListState[state], unit_id, ListLevel[level], page), pages)]
    shown = [texts.SVL_STATES[STATES[state]]]
    if unit_name:
        shown.append(esc(unit_name))
    if level != "-":
        shown.append(texts.SV_LEVEL_LABELS[LEVELS[level].value])
    filters_text = "｜".join(shown)
    if total:
        text = texts.SVL_TITLE.format(filters=filters_text, total=total, page=page + 1, pages=pages)
    else:
        text = texts.SVL_EMPTY.format(filters=filters_text)
    await reply(update, text, reply_markup=inline(rows), edit=edit)


@requires(*VIEWERS)
async def list_command(update: Update, context: BotContext) -> None:
    await _list_page(update, context, "o", 0, "-", 0, edit=False)


@requires(*VIEWERS)
async def list_button(update: Update, context: BotContext) -> None:
    hit = pressed(update, NoticeList)
    await _list_page(update, context, hit.state.name, hit.unit_id, hit.level.name, hit.page, edit=True)


@requires(Role.director, Role.secretary, Role.leader)
async def unit_filter(update: Update, context: BotContext) -> None:
    hit = pressed(update, NoticeListUnits)
    state, level, page = hit.state.name, hit.level.name, hit.page
    units = await call(context, directory.active_units)
    pages = max((len(units) + UNIT_PAGE - 1) // UNIT_PAGE, 1)
    page = min(max(page, 0), pages - 1)
    shown = units[page * UNIT_PAGE : (page + 1) * UNIT_PAGE]
    choices = [button(u.name, _list(state, u.id, level, 0)) for u in shown]
    rows = [[button(texts.SVL_ALL_UNITS, _list(state, 0, level, 0))], *grid(choices, 2),
            code_pager(NoticeListUnits(ListState[state], ListLevel[level], page), pages),
            [button(texts.SVL_BACK, _list(state, 0, level, 0))]]
    await reply(update, texts.SVL_PICK_UNIT.format(page=page + 1, pages=pages), reply_markup=inline(rows),
                edit=True)


# --- /notice ------------------------------------------------------------------------------------


@requires(*VIEWERS)
async def notice_command(update: Update, context: BotContext) -> None:
    typed = " ".join(context.args or [])
    if not typed.strip():
        await _say(update, texts.SVN_USAGE)
        return
    notice_id = await call(context, supervision.find_notice, viewer_id=context.person.id, number=typed)
    number = await call(context, supervision.send_docx, actor_id=context.person.id, notice_id=notice_id,
                        now=now(context))
    await _say(update, texts.SVN_SENDING.format(number=number))


# --- wiring -------------------------------------------------------------------------------------


def build_supervise_conversation() -> ConversationHandler:
    text = filters.TEXT & ~filters.COMMAND
    other = ~filters.COMMAND
    return Flow(
        entry_points=[
            CommandHandler("supervise", supervise_command),
            CallbackQueryHandler(from_case_card, pattern=SuperviseCase.pattern()),
        ],
        states={
            CASE: [MessageHandler(text, case_typed), MessageHandler(other, case_wrong_type)],
            UNIT: [
                CallbackQueryHandler(unit_pressed, pattern=DirectorUnit.pattern()),
                CallbackQueryHandler(unit_page, pattern=DirectorUnitPage.pattern()),
                CallbackQueryHandler(pick_kind, pattern=DirectorPickKind.pattern()),
                CallbackQueryHandler(person_pressed, pattern=DirectorPerson.pattern()),
                CallbackQueryHandler(person_page, pattern=DirectorPersonPage.pattern()),
                MessageHandler(text, unit_typed),
                MessageHandler(other, unit_wrong_type),
            ],
            DUE: [
                CallbackQueryHandler(due_pressed, pattern=DirectorDue.pattern()),
                MessageHandler(text, due_typed),
                MessageHandler(other, due_wrong_type),
            ],
            LEVEL: [
                CallbackQueryHandler(level_pressed, pattern=any_of(DirectorLevel, DirectorSource)),
                CallbackQueryHandler(level_done, pattern=DirectorLevelDone.pattern()),
                MessageHandler(other, buttons_wrong_type),
            ],
            REQUIREMENTS: [MessageHandler(text, requirements_typed), MessageHandler(other, text_wrong_type)],
            FEEDBACK: [
                CallbackQueryHandler(feedback_given, pattern=DirectorFeedbackDefault.pattern()),
                MessageHandler(text, feedback_given),
                MessageHandler(other, text_wrong_type),
            ],
            CC: [
                CallbackQueryHandler(cc_given, pattern=DirectorNoCc.pattern()),
                CallbackQueryHandler(cc_pressed, pattern=any_of(DirectorCcPerson, DirectorCcUnit)),
                CallbackQueryHandler(cc_page, pattern=DirectorCcPage.pattern()),
                CallbackQueryHandler(back_to_preview, pattern=DirectorCcDone.pattern()),  # 抄送 done
                MessageHandler(text, cc_given),
                MessageHandler(other, text_wrong_type),
            ],
            PREVIEW: [
                CallbackQueryHandler(confirm, pattern=DirectorConfirm.pattern()),
                CallbackQueryHandler(edit_menu, pattern=DirectorEdit.pattern()),
                MessageHandler(other, buttons_wrong_type),
            ],
            EDIT: [
                CallbackQueryHandler(edit_field, pattern=DirectorEditField.pattern()),
                CallbackQueryHandler(back_to_preview, pattern=DirectorBack.pattern()),
                MessageHandler(other, buttons_wrong_type),
            ],
        },
        fallbacks=[
            CommandHandler("cancel", cancel),
            CallbackQueryHandler(cancel_button, pattern=DirectorCancel.pattern()),
        ],
        name="supervise_issue",
        timeout=TIMEOUT_SECONDS,
        draft=DRAFT_KEY, timeout_text=texts.SVI_TIMEOUT,
    )


def handlers() -> list[BaseHandler]:
    """New objects per call: a ConversationHandler keeps per-application state (its conversations
    and timeout jobs), and each Application (a restart builds a new one) needs its own."""
    return [
        build_supervise_conversation(),
        CommandHandler("supervisions", list_command),
        CommandHandler("notice", notice_command),
        CallbackQueryHandler(list_button, pattern=NoticeList.pattern()),
        CallbackQueryHandler(unit_filter, pattern=NoticeListUnits.pattern()),
    ]
