"""/visit: first-inquiry registration (首问责任制) of a visitor, caller or letter by center staff.

Whoever first receives a visitor owns the matter. In the center's remit it is registered and at
once accepted by them (cases.register_visit); otherwise it is still recorded, with the guidance they
gave (which office, what to bring), so it is counted and never lost. The draft lives in user_data as
plain JSON, so it survives a restart and a timeout; the next step is always worked out from what the
draft already holds, which also makes "continue where I left off" trivial.
"""

import functools
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
    VISIT_FAMILY,
    CaseView,
    JiaobanStart,  # 上级交办 (issue 16)
    VisitCancel,
    VisitCategories,
    VisitCategory,
    VisitConfirm,
    VisitInScope,
    VisitOutOfScope,
    VisitRestart,
    VisitResume,
    VisitSeverity,
    VisitSkipIdNumber,
    VisitSkipPhone,
    VisitSource,
    VisitType,
    VisitVillage,
    any_of,
)
from bot.context import BotContext
from bot.keyboards import button, grid, inline
from bot.services import cases, intake, places
from bot.services.cases import CaseDraft, FileInput, PartyInput
from bot.services.errors import InvalidInput
from bot.services.identity import mask_id_number, validate_id_number, validate_phone
from bot.texts import assignments as assignment_texts
from handlers.common import Flow, StaleButton, call, case_types, esc, now, pressed, reply, requires
from models import Role, Severity, Source

VISIT_ROLES = (Role.staff, Role.leader, Role.director)
DRAFT_KEY = "visit"
TIMEOUT_SECONDS = 1800  # read when the conversation is built
GUIDANCE_LIMIT = 500
SOURCES = (Source.visit, Source.call, Source.letter, Source.online, Source.assigned, Source.transferred_in)


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    RESUME = 0
    SOURCE = 1
    NAME = 2
    PHONE = 3
    ID_NUMBER = 4
    REQUEST = 5
    CASE_TYPE = 6
    VILLAGE = 7
    SCOPE = 8
    SEVERITY = 9
    GUIDANCE = 10
    CONFIRM = 11


# The short names the handlers use (a test checks each is the member of the same name).
RESUME, SOURCE, NAME, PHONE, ID_NUMBER, REQUEST, CASE_TYPE, VILLAGE, SCOPE, SEVERITY, GUIDANCE, CONFIRM = Step
BUTTON_STEPS = frozenset({RESUME, SOURCE, CASE_TYPE, VILLAGE, SCOPE, SEVERITY, CONFIRM})


def _draft(context: BotContext) -> dict:
    return context.user_data.setdefault(DRAFT_KEY, {})


def _next_state(draft: dict) -> int:
    """The first unanswered step. A skipped phone or ID number is stored as None (answered)."""
    if "source" not in draft:
        return SOURCE
    if "name" not in draft:
        return NAME
    if "phone" not in draft:
        return PHONE
    if "id_number" not in draft:
        return ID_NUMBER
    if not draft.get("request") and not draft.get("voice"):
        return REQUEST
    if "type_id" not in draft:
        return CASE_TYPE
    if "village_id" not in draft:
        return VILLAGE
    if "in_scope" not in draft:
        return SCOPE
    if draft["in_scope"] and "severity" not in draft:
        return SEVERITY
    if not draft["in_scope"] and "guidance" not in draft:
        return GUIDANCE
    return CONFIRM


def _type_label(case_type) -> str:
    if case_type.category == case_type.subtype:
        return case_type.subtype
    return f"{case_type.category}·{case_type.subtype}"


# --- prompts: (text, keyboard) for each step ---------------------------------------------------


def _skip(what: str):
    return inline([[button(texts.VISIT_SKIP, (VisitSkipPhone() if what == "phone" else VisitSkipIdNumber()).pack())]])


async def _resume_prompt(context: BotContext, draft: dict):
    who = esc(draft["name"]) if draft.get("name") else texts.VISIT_RESUME_NO_NAME
    keyboard = inline([[button(texts.VISIT_RESUME_CONTINUE, VisitResume().pack()), button(texts.VISIT_RESUME_NEW, VisitRestart().pack())]])
    return texts.VISIT_RESUME.format(who=who), keyboard


async def _source_prompt(context: BotContext, draft: dict):
    buttons = [button(texts.SOURCE_LABELS[s], VisitSource(s.value).pack()) for s in SOURCES]
    return texts.VISIT_ASK_SOURCE, inline(grid(buttons, 3))


async def _name_prompt(context: BotContext, draft: dict):
    return texts.VISIT_ASK_NAME, None


async def _phone_prompt(context: BotContext, draft: dict):
    return texts.VISIT_ASK_PHONE, _skip("phone")


async def _id_prompt(context: BotContext, draft: dict):
    return texts.VISIT_ASK_ID, _skip("id")


async def _request_prompt(context: BotContext, draft: dict):
    return texts.VISIT_ASK_REQUEST, None


async def _category_prompt(context: BotContext, draft: dict):
    # A category is named by its first type's id: short callback data, and re-checked on press.
    first_of: dict[str, int] = {}
    for case_type in await case_types(context):
        first_of.setdefault(case_type.category, case_type.id)
    buttons = [button(category, VisitCategory(type_id).pack()) for category, type_id in first_of.items()]
    return texts.VISIT_ASK_CATEGORY, inline(grid(buttons, 2))


async def _village_prompt(context: BotContext, draft: dict):
    villages = await call(context, places.list_villages)
    rows = grid([button(v.name, VisitVillage(v.id).pack()) for v in villages], 3)
    rows.append([button(texts.VISIT_NO_VILLAGE, VisitVillage(0).pack())])
    return texts.VISIT_ASK_VILLAGE, inline(rows)


async def _scope_prompt(context: BotContext, draft: dict):
    rows = [[button(texts.VISIT_IN_SCOPE, VisitInScope().pack())], [button(texts.VISIT_OUT_OF_SCOPE, VisitOutOfScope().pack())]]
    return texts.VISIT_ASK_SCOPE, inline(rows)


async def _severity_prompt(context: BotContext, draft: dict):
    hints = "\n".join(f"{texts.SEVERITY_LABELS[s]}：{texts.SEVERITY_HINTS[s]}" for s in Severity)
    suggested = draft.get("type_severity")
    buttons = [
        button(texts.SEVERITY_LABELS[s] + (texts.VISIT_SUGGESTED if s.value == suggested else ""), VisitSeverity(s).pack())
        for s in Severity
    ]
    return texts.VISIT_ASK_SEVERITY.format(hints=hints), inline([buttons])


async def _guidance_prompt(context: BotContext, draft: dict):
    note = texts.VISIT_GUIDANCE_VOICE_NOTE if not draft.get("request") else ""
    return texts.VISIT_ASK_GUIDANCE + note, None


def _summary(draft: dict) -> str:
    if draft.get("request"):
        request = esc(draft["request"])
    else:
        request = texts.VISIT_VOICE.format(seconds=(draft.get("voice") or {}).get("duration") or 0)
    if draft["in_scope"]:
        scope = texts.VISIT_SUMMARY_IN_SCOPE.format(severity=texts.SEVERITY_LABELS[Severity(draft["severity"])])
    else:
        scope = texts.VISIT_SUMMARY_OUT_OF_SCOPE.format(guidance=esc(draft["guidance"]))
    return texts.VISIT_SUMMARY.format(
        source=texts.SOURCE_LABELS[Source(draft["source"])], name=esc(draft["name"]),
        phone=esc(draft["phone"] or texts.VISIT_NOT_GIVEN),
        id_number=mask_id_number(draft["id_number"]) or texts.VISIT_NOT_GIVEN,
        request=request, type=esc(draft["type_name"]), village=esc(draft["village_name"]), scope=scope,
    )


async def _confirm_prompt(context: BotContext, draft: dict):
    keyboard = inline([[button(texts.VISIT_CONFIRM, VisitConfirm().pack()), button(texts.VISIT_CANCEL_BUTTON, VisitCancel().pack())]])
    return _summary(draft), keyboard


PROMPTS = {
    RESUME: _resume_prompt, SOURCE: _source_prompt, NAME: _name_prompt, PHONE: _phone_prompt,
    ID_NUMBER: _id_prompt, REQUEST: _request_prompt, CASE_TYPE: _category_prompt, VILLAGE: _village_prompt,
    SCOPE: _scope_prompt, SEVERITY: _severity_prompt, GUIDANCE: _guidance_prompt, CONFIRM: _confirm_prompt,
}


async def _ask(update: Update, context: BotContext, state: int, *, hint: str = "") -> int:
    """Show a step: edits the message a pressed button sits on, or sends a new message.

    With a hint (a wrong answer), a new message: the hint, plus the step itself for button steps.
    """
    text, keyboard = await PROMPTS[state](context, _draft(context))
    if hint:
        text = f"{hint}\n\n{text}" if state in BUTTON_STEPS else hint
    await reply(update, text, reply_markup=keyboard, edit=not hint)
    return state


async def _ask_next(update: Update, context: BotContext) -> int:
    return await _ask(update, context, _next_state(_draft(context)))


def _step(fn):
    """Every step re-checks the role (it may be taken away mid-way); a refused person's draft,
    which holds a visitor's personal data, is dropped."""
    guarded = requires(*VISIT_ROLES)(fn)

    @functools.wraps(fn)
    async def wrapper(update: Update, context: BotContext) -> int:
        person = context.person
        if person is None or not person.has(*VISIT_ROLES):
            context.user_data.pop(DRAFT_KEY, None)
        return await guarded(update, context)

    return wrapper


# --- the steps ---------------------------------------------------------------------------------


@_step
async def start(update: Update, context: BotContext) -> int:
    if context.user_data.get(DRAFT_KEY):
        return await _ask(update, context, RESUME)
    context.user_data[DRAFT_KEY] = {}
    return await _ask(update, context, SOURCE)


@_step
async def resume(update: Update, context: BotContext) -> int:
    if update.callback_query.data == VisitRestart().pack():
        context.user_data[DRAFT_KEY] = {}
    return await _ask_next(update, context)


@_step
async def choose_source(update: Update, context: BotContext) -> int:
    value = pressed(update, VisitSource).source
    if value not in {s.value for s in SOURCES}:
        raise StaleButton()
    _draft(context)["source"] = value
    return await _ask_next(update, context)


@_step
async def got_name(update: Update, context: BotContext) -> int:
    try:
        party = cases.clean_party(PartyInput(name=update.message.text))
    except InvalidInput as exc:
        await update.effective_chat.send_message(f"{esc(exc.message)}\n{texts.VISIT_WRONG_NAME}")
        return NAME
    _draft(context)["name"] = party.name
    return await _ask_next(update, context)


@_step
async def got_phone(update: Update, context: BotContext) -> int:
    try:
        phone = validate_phone(update.message.text)
    except InvalidInput as exc:
        await update.effective_chat.send_message(texts.VISIT_OR_SKIP.format(error=esc(exc.message)), reply_markup=_skip("phone"))
        return PHONE
    _draft(context)["phone"] = phone
    return await _ask_next(update, context)


@_step
async def got_id_number(update: Update, context: BotContext) -> int:
    try:
        id_number = validate_id_number(update.message.text)
    except InvalidInput as exc:
        await update.effective_chat.send_message(texts.VISIT_OR_SKIP.format(error=esc(exc.message)), reply_markup=_skip("id"))
        return ID_NUMBER
    _draft(context)["id_number"] = id_number
    return await _ask_next(update, context)


@_step
async def skip(update: Update, context: BotContext) -> int:
    phone = update.callback_query.data == VisitSkipPhone().pack()
    _draft(context)["phone" if phone else "id_number"] = None
    return await _ask_next(update, context)


@_step
async def got_request(update: Update, context: BotContext) -> int:
    text = update.message.text.strip()
    if len(text) > cases.MAX_TEXT:
        await update.effective_chat.send_message(texts.TOO_LONG.format(limit=cases.MAX_TEXT))
        return REQUEST
    draft = _draft(context)
    draft["request"] = text
    draft.pop("voice", None)
    return await _ask_next(update, context)


@_step
async def got_voice(update: Update, context: BotContext) -> int:
    # to_dict(): plain JSON for the draft (and no deprecation warning for `duration`, an int here).
    voice = update.message.voice.to_dict()
    draft = _draft(context)
    draft["voice"] = {key: voice.get(key) for key in ("file_id", "file_unique_id", "mime_type", "file_size", "duration")}
    draft.pop("request", None)
    return await _ask_next(update, context)


def _pick_type(draft: dict, case_type) -> None:
    draft.update(type_id=case_type.id, type_name=_type_label(case_type),
                 type_severity=Severity(case_type.default_severity).value)


@_step
async def choose_category(update: Update, context: BotContext) -> int:
    type_id = pressed(update, VisitCategory).type_id
    types = await case_types(context)
    chosen = next((t for t in types if t.id == type_id), None)
    if chosen is None:
        raise StaleButton()
    same = [t for t in types if t.category == chosen.category]
    if len(same) == 1:
        _pick_type(_draft(context), chosen)
        return await _ask_next(update, context)
    rows = grid([button(t.subtype, VisitType(t.id).pack()) for t in same], 2)
    rows.append([button(texts.VISIT_BACK_TO_CATEGORIES, VisitCategories().pack())])
    await reply(update, texts.VISIT_ASK_SUBTYPE.format(category=esc(chosen.category)), reply_markup=inline(rows),
                edit=True)
    return CASE_TYPE


@_step
async def choose_type(update: Update, context: BotContext) -> int:
    type_id = pressed(update, VisitType).type_id
    chosen = next((t for t in await case_types(context) if t.id == type_id), None)
    if chosen is None:
        raise StaleButton()
    _pick_type(_draft(context), chosen)
    return await _ask_next(update, context)


@_step
async def back_to_categories(update: Update, context: BotContext) -> int:
    return await _ask(update, context, CASE_TYPE)


@_step
async def choose_village(update: Update, context: BotContext) -> int:
    village_id = pressed(update, VisitVillage).village_id
    draft = _draft(context)
    if village_id == 0:
        draft.update(village_id=None, village_name=texts.VISIT_NO_VILLAGE)
    else:
        village = await call(context, places.get_village, village_id=village_id)  # a forged id: not found
        draft.update(village_id=village.id, village_name=village.name)
    return await _ask_next(update, context)


@_step
async def choose_scope(update: Update, context: BotContext) -> int:
    draft = _draft(context)
    draft["in_scope"] = update.callback_query.data == VisitInScope().pack()
    draft.pop("guidance" if draft["in_scope"] else "severity", None)
    return await _ask_next(update, context)


@_step
async def choose_severity(update: Update, context: BotContext) -> int:
    severity = pressed(update, VisitSeverity).severity
    _draft(context)["severity"] = severity.value
    return await _ask_next(update, context)


@_step
async def got_guidance(update: Update, context: BotContext) -> int:
    text = update.message.text.strip()
    if not text:
        return await _ask(update, context, GUIDANCE, hint=texts.VISIT_WRONG_GUIDANCE)
    if len(text) > GUIDANCE_LIMIT:
        await update.effective_chat.send_message(texts.TOO_LONG.format(limit=GUIDANCE_LIMIT))
        return GUIDANCE
    _draft(context)["guidance"] = text
    return await _ask_next(update, context)


def _case_draft(draft: dict) -> CaseDraft:
    source = Source(draft["source"])
    voice = draft.get("voice")
    files = (FileInput(kind="voice", file_id=voice["file_id"], file_unique_id=voice.get("file_unique_id"),
                       mime_type=voice.get("mime_type"), size=voice.get("file_size")),) if voice else ()
    return CaseDraft(
        type_id=draft["type_id"], severity=Severity(draft.get("severity") or Severity.general), source=source,
        village_id=draft["village_id"],
        description=texts.VISIT_DESCRIPTION.format(source=texts.SOURCE_LABELS[source], name=draft["name"],
                                                   type=draft["type_name"]),
        request=draft.get("request") or (texts.VISIT_VOICE_REQUEST if voice else None),
        parties=(PartyInput(name=draft["name"], phone=draft["phone"], id_number=draft["id_number"]),),
        files=files,
    )


@_step
async def confirm(update: Update, context: BotContext) -> int:
    draft = _draft(context)
    if _next_state(draft) != CONFIRM:  # should not happen; ask what is missing
        return await _ask_next(update, context)
    common = {"actor_id": context.person.id, "draft": _case_draft(draft), "now": now(context)}
    # A rule saying no (e.g. the type was disabled meanwhile) propagates: the person is told, and
    # the conversation stays on this step with the draft intact.
    if draft["in_scope"]:
        ref = (await call(context, intake.register_visit, policy=context.deps.policy, **common)).case
        text = texts.VISIT_DONE.format(number=ref.number)
        rows = [[button(texts.NOTIFY_VIEW_BUTTON, CaseView(ref.id).pack())]]
        if draft["source"] == Source.assigned:  # 上级交办: who assigned it, their number and deadline next
            rows.insert(0, [button(assignment_texts.VISIT_BUTTON, JiaobanStart(ref.id).pack())])
        keyboard = inline(rows)
    else:
        ref = await call(context, cases.register_out_of_scope, guidance=draft["guidance"],
                         tz=context.deps.settings.tz, **common)
        text, keyboard = texts.VISIT_DONE_OUT_OF_SCOPE.format(number=ref.number), None
    context.user_data.pop(DRAFT_KEY, None)
    await reply(update, text, reply_markup=keyboard, edit=True)
    return ConversationHandler.END


@_step
async def cancel_button(update: Update, context: BotContext) -> int:
    context.user_data.pop(DRAFT_KEY, None)
    await reply(update, texts.VISIT_CANCELLED, edit=True)
    return ConversationHandler.END


async def cancel(update: Update, context: BotContext) -> int:
    context.user_data.pop(DRAFT_KEY, None)
    await update.effective_chat.send_message(texts.VISIT_CANCELLED)
    return ConversationHandler.END


def _wrong(state: int, hint: str):
    @_step
    async def wrong_type(update: Update, context: BotContext) -> int:
        return await _ask(update, context, state, hint=hint)

    return MessageHandler(~filters.COMMAND, wrong_type)


@requires(*VISIT_ROLES)
async def stray_button(update: Update, context: BotContext) -> None:
    """A vs: press outside one's own visit conversation: an old, or forged, button."""
    raise StaleButton()


def build_visit_conversation() -> ConversationHandler:
    text = filters.TEXT & ~filters.COMMAND
    return Flow(
        entry_points=[CommandHandler("visit", start)],
        states={
            RESUME: [CallbackQueryHandler(resume, pattern=any_of(VisitResume, VisitRestart)), _wrong(RESUME, texts.VISIT_WRONG_BUTTONS)],
            SOURCE: [CallbackQueryHandler(choose_source, pattern=VisitSource.pattern()),
                     _wrong(SOURCE, texts.VISIT_WRONG_BUTTONS)],
            NAME: [MessageHandler(text, got_name), _wrong(NAME, texts.VISIT_WRONG_NAME)],
            PHONE: [MessageHandler(text, got_phone),
                    CallbackQueryHandler(skip, pattern=VisitSkipPhone.pattern()), _wrong(PHONE, texts.VISIT_WRONG_PHONE)],
            ID_NUMBER: [MessageHandler(text, got_id_number), CallbackQueryHandler(skip, pattern=VisitSkipIdNumber.pattern()),
                        _wrong(ID_NUMBER, texts.VISIT_WRONG_ID)],
            REQUEST: [MessageHandler(text, got_request), MessageHandler(filters.VOICE, got_voice),
                      _wrong(REQUEST, texts.VISIT_WRONG_REQUEST)],
            CASE_TYPE: [CallbackQueryHandler(choose_category, pattern=VisitCategory.pattern()),
                        CallbackQueryHandler(choose_type, pattern=VisitType.pattern()),
                        CallbackQueryHandler(back_to_categories, pattern=VisitCategories.pattern()),
                        _wrong(CASE_TYPE, texts.VISIT_WRONG_BUTTONS)],
            VILLAGE: [CallbackQueryHandler(choose_village, pattern=VisitVillage.pattern()),
                      _wrong(VILLAGE, texts.VISIT_WRONG_BUTTONS)],
            SCOPE: [CallbackQueryHandler(choose_scope, pattern=any_of(VisitInScope, VisitOutOfScope)), _wrong(SCOPE, texts.VISIT_WRONG_BUTTONS)],
            SEVERITY: [CallbackQueryHandler(choose_severity, pattern=VisitSeverity.pattern()),
                       _wrong(SEVERITY, texts.VISIT_WRONG_BUTTONS)],
            GUIDANCE: [MessageHandler(text, got_guidance), _wrong(GUIDANCE, texts.VISIT_WRONG_GUIDANCE)],
            CONFIRM: [CallbackQueryHandler(confirm, pattern=VisitConfirm.pattern()),
                      CallbackQueryHandler(cancel_button, pattern=VisitCancel.pattern()),
                      _wrong(CONFIRM, texts.VISIT_WRONG_BUTTONS)],
        },
        fallbacks=[CommandHandler("cancel", cancel)],
        name="visit",
        timeout=TIMEOUT_SECONDS,
        timeout_text=texts.VISIT_TIMEOUT,  # the draft stays: /visit offers to continue it
    )


def handlers() -> list[BaseHandler]:
    """New objects per call: a ConversationHandler keeps per-application state (its conversations
    and timeout jobs), and each Application (a restart builds a new one) needs its own."""
    return [build_visit_conversation(), CallbackQueryHandler(stray_button, pattern=VISIT_FAMILY)]
