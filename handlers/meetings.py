"""Meetings in chat (issue 15): /meetings lists them; the director (综治办 staff for 联席会议, a
contact-point leader for a village meeting) schedules, moves and cancels by buttons; invitees answer
参加 / 请假 and sign in; the organiser sees the roll, chases, edits and sends the agenda, records the
minutes and the decisions, and downloads the 会议纪要; decision owners press 收到 / 进展 / 已完成 and
the organiser accepts (销号) or returns; the party secretary records the 党委会议's approval.

Choices made while scheduling are kept in the person's user_data (persisted), so every button
carries one value. Two persistent conversations take typed text: "meeting_minutes" (recording: each
text or voice message is committed as an item at once, so a restart loses nothing) and
"meeting_text" (a leave reason, the agenda, a decision's progress, evidence or return note).
"""

from datetime import date, datetime, time, timedelta
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
    CaseView,
    DecisionAccept,
    DecisionApprove,
    DecisionApproveDay,
    DecisionDone,
    DecisionOpen,
    DecisionProgress,
    DecisionReceive,
    DecisionReturn,
    MeetingAgenda,
    MeetingAgendaEdit,
    MeetingAgendaSend,
    MeetingAnswer,
    MeetingCancel,
    MeetingCancelYes,
    MeetingChase,
    MeetingDay,
    MeetingDays,
    MeetingDecisionNew,
    MeetingImportant,
    MeetingList,
    MeetingMediation,
    MeetingMediationNext,
    MeetingMediationUnit,
    MeetingMinutes,
    MeetingMinutesDoc,
    MeetingMinutesDone,
    MeetingMove,
    MeetingNew,
    MeetingNoCase,
    MeetingOpen,
    MeetingOwnerPerson,
    MeetingOwnerUnit,
    MeetingOwnerVillage,
    MeetingPlace,
    MeetingRoll,
    MeetingSignIn,
    MeetingThisCase,
    MeetingTime,
    MeetingVillage,
    any_of,
    lead,
)
from bot.context import BotContext
from bot.keyboards import button, grid, inline
from bot.services import decisions, meetings, minutes_docx
from bot.services.deadlines import fmt
from bot.services.decisions import DecisionView, Owner
from bot.services.errors import DomainError, InvalidInput
from bot.services.meetings import JOINT_KINDS, MeetingView
from bot.texts import meetings as t
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
from models import ApprovalOutcome, Attendance, DecisionStatus, MeetingKind, MeetingStatus, Role, Venue


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    RECORDING = 0
    DECISION_TEXT = 1
    DECISION_OWNER = 2
    DECISION_DAYS = 3
    DECISION_CASE = 4
    DECISION_IMPORTANT = 5
    TYPING = 6


DRAFT = "meeting_draft"  # user_data while scheduling: {"kind", "village_id", "case_id", "units", "day", "hhmm", "meeting_id"}
MINUTES = "meeting_minutes"  # user_data while recording: {"meeting_id", "decision": {...}}
TEXT = "meeting_text"  # user_data while typing: {"what": leave|agenda|progress|evidence|return, "id": int}
TIMEOUT = 60 * 60  # the minutes of a long meeting: an hour without a message ends the recording
TEXT_TIMEOUT = 15 * 60
TIMES = (830, 900, 1000, 1430, 1500, 1600)
DAYS = (3, 5, 7, 10, 15, 30)
WEEKDAYS = t.WEEKDAYS


def _tz(context: BotContext):
    return context.deps.settings.tz


def _policy(context: BotContext):
    return context.deps.policy.deadlines


def _when(context: BotContext, moment: datetime) -> str:
    return t.when(moment.astimezone(_tz(context)))


def _hhmm(value: int) -> str:
    return f"{value // 100:02d}:{value % 100:02d}"


# --- /meetings: the list ------------------------------------------------------------------------------


async def _show_list(update: Update, context: BotContext, *, edit: bool) -> None:
    person = context.person
    upcoming, past = await call(context, meetings.list_meetings, actor_id=person.id, now=now(context))
    kinds = await call(context, meetings.schedulable_kinds, person_id=person.id)
    lines, rows = [t.LIST_TITLE, t.LIST_UPCOMING], []
    for group, heading in ((upcoming, None), (past, t.LIST_PAST)):
        if heading:
            lines.append(heading)
        for m in group:
            lines.append(t.LIST_LINE.format(when=_when(context, m.starts_at), title=esc(m.title),
                                            status=t.STATUS_LABELS[m.status]))
            local = m.starts_at.astimezone(_tz(context))
            rows.append([button(f"{local.month}/{local.day} {m.title}"[:40], MeetingOpen(m.id).pack())])
        if not group:
            lines.append(t.LIST_NONE)
    mine = await call(context, decisions.my_decisions, person_id=person.id)
    if mine:
        lines.append(t.LIST_MY_DECISIONS)
        for d in mine:
            lines.append(t.CARD_DECISION.format(number=d.number, text=esc(d.text[:40]), owner=esc(d.owner),
                                                status=t.DECISION_STATUS[d.status]).strip())
            rows.append([button(f"📌 {d.number}", DecisionOpen(d.id).pack())])
    rows += grid([button(t.NEW_BUTTON.format(kind=t.KIND_LABELS[k]), MeetingNew(k).pack()) for k in kinds], 2)
    await reply(update, "\n".join(lines), reply_markup=inline(rows) if rows else None, edit=edit)


@requires()
async def meetings_command(update: Update, context: BotContext) -> None:
    if not in_private(update):
        await update.effective_chat.send_message(t.PRIVATE_ONLY)
        return
    await _show_list(update, context, edit=False)


# --- a meeting's card -----------------------------------------------------------------------------------


def _card_text(context: BotContext, view: MeetingView, found: list[DecisionView]) -> str:
    invitees = view.invitees
    text = t.CARD.format(
        title=esc(view.title), number=view.number, when=_when(context, view.starts_at), place=esc(view.place),
        organiser=esc(view.organiser),
        chair=t.CARD_CHAIR.format(chair=esc(view.chair)) if view.chair and view.chair != view.organiser else "",
        village=(t.CARD_VILLAGE.format(village=esc(view.village)) if view.village else "")
        + (t.CARD_CASE.format(number=view.case_number, units=esc("、".join(view.units))) if view.case_number else ""),
        status=t.STATUS_LABELS[view.status], attend=sum(i.answer == Attendance.attend for i in invitees),
        leave=sum(i.answer == Attendance.leave for i in invitees), none=sum(i.answer is None for i in invitees),
        signed=sum(i.signed_in for i in invitees))
    mine = view.invitee(context.person.id)
    if mine is not None:
        text += t.CARD_YOURS.format(answer=t.ANSWER_LABELS[mine.answer])
    if found:
        text += t.CARD_DECISIONS + "".join(t.CARD_DECISION.format(
            number=d.number, text=esc(d.text[:60]), owner=esc(d.owner), status=t.DECISION_STATUS[d.status])
            for d in found)
    return text


def _card_keyboard(context: BotContext, view: MeetingView, found: list[DecisionView]):
    person = context.person
    organiser = view.organiser_id == person.id or person.has(Role.director)
    rows = []
    scheduled = view.status == MeetingStatus.scheduled
    if scheduled and view.invitee(person.id) is not None:
        rows.append([button(t.BUTTON_ATTEND, MeetingAnswer(view.id, Attendance.attend).pack()),
                     button(t.BUTTON_LEAVE, MeetingAnswer(view.id, Attendance.leave).pack()),
                     button(t.BUTTON_SIGN_IN, MeetingSignIn(view.id).pack())])
    row = [button(t.BUTTON_AGENDA, MeetingAgenda(view.id).pack())]
    if organiser:
        row.append(button(t.BUTTON_ROLL, MeetingRoll(view.id).pack()))
    rows.append(row)
    if organiser and scheduled:
        rows.append([button(t.BUTTON_MOVE, MeetingMove(view.id).pack()), button(t.BUTTON_CANCEL, MeetingCancel(view.id).pack())])
        rows.append([button(t.BUTTON_MINUTES, MeetingMinutes(view.id).pack())])
    for d in found:
        if d.status == DecisionStatus.held and person.has(Role.secretary):
            rows.append([button(f"🏛 {d.number} {t.APPROVAL_LABELS[o]}", DecisionApprove(d.id, o).pack())
                         for o in ApprovalOutcome])
        elif organiser or person.has(Role.secretary):
            rows.append([button(f"📌 {d.number}", DecisionOpen(d.id).pack())])
    if view.status != MeetingStatus.cancelled:
        rows.append([button(t.BUTTON_DOC, MeetingMinutesDoc(view.id).pack())])
    if view.case_visible:
        rows.append([button(t.BUTTON_CASE.format(number=view.case_number), CaseView(view.case_id).pack())])
    rows.append([button(t.BACK_TO_LIST, MeetingList().pack())])
    return inline(rows)


async def _show_card(update: Update, context: BotContext, meeting_id: int, *, note: str = "", edit: bool) -> None:
    view = await call(context, meetings.meeting_view, actor_id=context.person.id, meeting_id=meeting_id)
    found = await call(context, decisions.meeting_decisions, actor_id=context.person.id, meeting_id=meeting_id)
    text = "\n\n".join(p for p in (note, _card_text(context, view, found)) if p)
    await reply(update, text, reply_markup=_card_keyboard(context, view, found), edit=edit)


# --- scheduling: kind → (village) → day → time → place ----------------------------------------------------


async def _ask_day(update: Update, context: BotContext, kind: MeetingKind | None) -> None:
    policy = _policy(context)
    days = await call(context, meetings.working_days_ahead, now=now(context), policy=policy)
    rows, hint = [], ""
    if kind == MeetingKind.weekly:
        slot = (await call(context, meetings.default_weekly_day, now=now(context), policy=policy)).astimezone(_tz(context))
        rows.append([button(t.DEFAULT_DAY_BUTTON.format(month=slot.month, day=slot.day, weekday=WEEKDAYS[slot.weekday()],
                                                        time=f"{slot:%H:%M}"), MeetingDay(slot.date()).pack())])
        hint = t.WEEKLY_HINT
        days = [d for d in days if d != slot.date()]
    rows += grid([button(t.DAY_BUTTON.format(month=d.month, day=d.day, weekday=WEEKDAYS[d.weekday()]),
                         MeetingDay(d).pack()) for d in days], 3)
    text = t.CHOOSE_DAY.format(kind=t.KIND_LABELS[kind], hint=hint) if kind else t.CHOOSE_DAY_MOVE
    await reply(update, text, reply_markup=inline(rows), edit=True)


@requires()
async def new_meeting(update: Update, context: BotContext) -> None:
    kind = pressed(update, MeetingNew).kind
    if not await call(context, meetings.may_schedule, person_id=context.person.id, kind=kind, village_id=None) \
            and kind != MeetingKind.village:
        raise DomainError(t.MAY_NOT_SCHEDULE)
    context.user_data[DRAFT] = {"kind": kind.value}
    if kind == MeetingKind.village:
        villages = await call(context, meetings.village_choices, person_id=context.person.id)
        if not villages:
            raise DomainError(t.NO_VILLAGE)
        rows = grid([button(name, MeetingVillage(vid).pack()) for vid, name in villages], 2)
        await reply(update, t.CHOOSE_VILLAGE, reply_markup=inline(rows), edit=True)
        return
    await _ask_day(update, context, kind)


def _draft(context: BotContext) -> dict:
    draft = context.user_data.get(DRAFT)
    if not isinstance(draft, dict) or ("kind" not in draft and "meeting_id" not in draft):
        raise DomainError(t.DRAFT_GONE)
    return draft


@requires()
async def mediation_units(update: Update, context: BotContext) -> None:
    """召集调处会 from the case card, then each department pressed on or off."""
    code = pressed_one_of(update, (MeetingMediation, MeetingMediationUnit))
    draft = context.user_data.get(DRAFT)
    if isinstance(code, MeetingMediation):
        draft = context.user_data[DRAFT] = {"kind": MeetingKind.mediation.value, "case_id": code.case_id, "units": []}
    elif not isinstance(draft, dict) or draft.get("case_id") != code.case_id or "day" in draft:
        raise StaleButton()
    choices = await call(context, meetings.mediation_choices, actor_id=context.person.id, case_id=code.case_id)
    fixed = [i for i, _, is_fixed in choices.units if is_fixed]
    if isinstance(code, MeetingMediationUnit) and code.unit_id not in fixed:
        if code.unit_id not in {i for i, _, _ in choices.units}:
            raise StaleButton()
        if code.unit_id in draft["units"]:
            draft["units"].remove(code.unit_id)
        elif len(fixed) + len(draft["units"]) >= meetings.MEDIATION_UNITS_MAX:
            raise DomainError(t.MEDIATION_TOO_MANY.format(limit=meetings.MEDIATION_UNITS_MAX))
        else:
            draft["units"].append(code.unit_id)
    picked = set(draft["units"])
    labels = [(t.MEDIATION_FIXED if is_fixed else t.MEDIATION_ON if i in picked else "{name}").format(name=name)
              for i, name, is_fixed in choices.units]
    rows = [*grid([button(label, MeetingMediationUnit(choices.case_id, i).pack())
                   for label, (i, _, _) in zip(labels, choices.units, strict=True)], 2),
            [button(t.MEDIATION_NEXT, MeetingMediationNext(choices.case_id).pack()),
             button(texts.CARD_BUTTON_BACK, CaseView(choices.case_id).pack())]]
    names = [name for i, name, is_fixed in choices.units if is_fixed or i in picked]
    text = t.MEDIATION_PICK.format(number=choices.number, picked="、".join(names) or t.MEDIATION_NONE)
    unreachable = [name for i, name, is_fixed in choices.units if (is_fixed or i in picked) and i in choices.no_contact]
    if unreachable:
        text += t.MEDIATION_NO_CONTACT.format(units="、".join(unreachable))
    await reply(update, esc(text), reply_markup=inline(rows), edit=True)


@requires()
async def mediation_next(update: Update, context: BotContext) -> None:
    case_id = pressed(update, MeetingMediationNext).case_id
    draft = context.user_data.get(DRAFT)
    if not isinstance(draft, dict) or draft.get("case_id") != case_id:
        raise StaleButton()
    await call(context, meetings.mediation_units, actor_id=context.person.id, case_id=case_id, picked=draft["units"])
    await _ask_day(update, context, MeetingKind.mediation)


@requires()
async def pick_village(update: Update, context: BotContext) -> None:
    draft = _draft(context)
    draft["village_id"] = pressed(update, MeetingVillage).village_id
    await _ask_day(update, context, MeetingKind(draft["kind"]))


@requires()
async def move_meeting(update: Update, context: BotContext) -> None:
    meeting_id = pressed(update, MeetingMove).meeting_id
    view = await call(context, meetings.meeting_view, actor_id=context.person.id, meeting_id=meeting_id)
    if view.organiser_id != context.person.id and not context.person.has(Role.director):
        raise DomainError(t.NOT_ORGANISER)
    context.user_data[DRAFT] = {"meeting_id": meeting_id}
    await _ask_day(update, context, None)


@requires()
async def pick_day(update: Update, context: BotContext) -> None:
    draft = _draft(context)
    day = pressed(update, MeetingDay).day
    draft["day"] = day.isoformat()
    rows = grid([button(_hhmm(v), MeetingTime(v).pack()) for v in TIMES], 3)
    await reply(update, t.CHOOSE_TIME.format(day=t.short_date(day)), reply_markup=inline(rows), edit=True)


@requires()
async def pick_time(update: Update, context: BotContext) -> None:
    draft = _draft(context)
    hhmm = pressed(update, MeetingTime).hhmm
    if hhmm not in TIMES or "day" not in draft:
        raise StaleButton()
    draft["hhmm"] = hhmm
    day = date.fromisoformat(draft["day"])
    venues = [v for v in Venue if v != Venue.village_hall or "meeting_id" in draft
              or draft.get("kind") in (MeetingKind.village.value, MeetingKind.mediation.value)]
    rows = [[button(v.value, MeetingPlace(v).pack())] for v in venues]
    await reply(update, t.CHOOSE_PLACE.format(day=t.short_date(day), time=_hhmm(hhmm)),
                reply_markup=inline(rows), edit=True)


@requires()
async def pick_place(update: Update, context: BotContext) -> None:
    draft = _draft(context)
    venue = pressed(update, MeetingPlace).venue
    if "day" not in draft or "hhmm" not in draft:
        raise DomainError(t.DRAFT_GONE)
    hhmm = draft["hhmm"]
    starts = datetime.combine(date.fromisoformat(draft["day"]), time(hhmm // 100, hhmm % 100), tzinfo=_tz(context))
    if "meeting_id" in draft:
        view = await call(context, meetings.reschedule, actor_id=context.person.id, meeting_id=draft["meeting_id"],
                          starts_at=starts, place=venue.value, now=now(context), policy=_policy(context))
        note = t.MOVED
    else:
        view = await call(context, meetings.schedule, actor_id=context.person.id, kind=MeetingKind(draft["kind"]),
                          starts_at=starts, place=venue.value, village_id=draft.get("village_id"),
                          case_id=draft.get("case_id"), unit_ids=draft.get("units", ()), now=now(context),
                          policy=_policy(context))
        note = t.SCHEDULED.format(count=len(view.invitees) - 1)
    context.user_data.pop(DRAFT, None)
    await _show_card(update, context, view.id, note=note, edit=True)


# --- stateless meeting buttons --------------------------------------------------------------------------------

STATELESS = (MeetingList, MeetingOpen, MeetingSignIn, MeetingRoll, MeetingChase, MeetingAgenda, MeetingAgendaSend,
             MeetingCancel, MeetingCancelYes, MeetingMinutesDoc)


@requires()
async def meeting_button(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    code = pressed_one_of(update, STATELESS)
    actor = context.person.id
    if isinstance(code, MeetingList):
        await _show_list(update, context, edit=True)
    elif isinstance(code, MeetingOpen):
        await _show_card(update, context, code.meeting_id, edit=False)
    elif isinstance(code, MeetingSignIn):
        await call(context, meetings.sign_in, actor_id=actor, meeting_id=code.meeting_id, now=now(context))
        await _show_card(update, context, code.meeting_id, note=t.SIGNED_IN, edit=False)
    elif isinstance(code, MeetingRoll):
        await _show_roll(update, context, code.meeting_id)
    elif isinstance(code, MeetingChase):
        count = await call(context, meetings.chase_unanswered, actor_id=actor, meeting_id=code.meeting_id,
                           now=now(context), policy=_policy(context))
        await _show_roll(update, context, code.meeting_id, note=t.CHASED.format(count=count))
    elif isinstance(code, MeetingAgenda):
        await _show_agenda(update, context, code.meeting_id)
    elif isinstance(code, MeetingAgendaSend):
        count = await call(context, meetings.send_agenda, actor_id=actor, meeting_id=code.meeting_id, now=now(context),
                           policy=_policy(context))
        await _show_agenda(update, context, code.meeting_id, note=t.AGENDA_SENT.format(count=count))
    elif isinstance(code, MeetingCancel):
        view = await call(context, meetings.meeting_view, actor_id=actor, meeting_id=code.meeting_id)
        rows = [[button(t.CANCEL_YES, MeetingCancelYes(code.meeting_id).pack()),
                 button(t.BACK_TO_MEETING, MeetingOpen(code.meeting_id).pack())]]
        await reply(update, t.CANCEL_ASK.format(title=esc(view.title)), reply_markup=inline(rows), edit=True)
    elif isinstance(code, MeetingCancelYes):
        await call(context, meetings.cancel, actor_id=actor, meeting_id=code.meeting_id, now=now(context),
                   policy=_policy(context))
        await _show_card(update, context, code.meeting_id, note=t.CANCELLED_NOTE, edit=True)
    else:
        await _send_minutes(update, context, code.meeting_id)


async def _show_roll(update: Update, context: BotContext, meeting_id: int, *, note: str = "") -> None:
    view = await call(context, meetings.meeting_view, actor_id=context.person.id, meeting_id=meeting_id)
    if view.organiser_id != context.person.id and not context.person.has(Role.director):
        raise DomainError(t.NOT_ORGANISER)
    lines = [t.ROLL_TITLE.format(title=esc(view.title))]
    for i in view.invitees:
        mark = "🖊" if i.signed_in else {Attendance.attend: "✅", Attendance.leave: "📝", None: "❔"}[i.answer]
        lines.append(t.ROLL_LINE.format(mark=mark, name=esc(i.name), observer=t.ROLL_OBSERVER if i.observer else "",
                                        reason=t.ROLL_REASON.format(reason=esc(i.reason)) if i.reason else ""))
    rows = []
    if view.unanswered and view.status == MeetingStatus.scheduled:
        rows.append([button(t.CHASE_BUTTON.format(count=len(view.unanswered)), MeetingChase(meeting_id).pack())])
    rows.append([button(t.BACK_TO_MEETING, MeetingOpen(meeting_id).pack())])
    await reply(update, "\n\n".join(p for p in (note, "\n".join(lines)) if p), reply_markup=inline(rows), edit=True)


async def _show_agenda(update: Update, context: BotContext, meeting_id: int, *, note: str = "") -> None:
    view = await call(context, meetings.meeting_view, actor_id=context.person.id, meeting_id=meeting_id)
    text = await call(context, meetings.agenda, actor_id=context.person.id, meeting_id=meeting_id, now=now(context),
                      policy=_policy(context))
    source = (t.AGENDA_SOURCE_SENT if view.agenda_sent else t.AGENDA_SOURCE_EDITED if view.agenda
              else t.AGENDA_SOURCE_DRAFT)
    rows = []
    if (view.organiser_id == context.person.id or context.person.has(Role.director)) \
            and view.status == MeetingStatus.scheduled:
        rows.append([button(t.BUTTON_AGENDA_EDIT, MeetingAgendaEdit(meeting_id).pack()),
                     button(t.BUTTON_AGENDA_SEND, MeetingAgendaSend(meeting_id).pack())])
    rows.append([button(t.BACK_TO_MEETING, MeetingOpen(meeting_id).pack())])
    body = "\n\n".join(p for p in (note, t.AGENDA_TITLE.format(source=source), esc(text)) if p)
    # a new message when opened (from the card or a reminder, which both stay); edited after 发给参会人
    await reply(update, body, reply_markup=inline(rows), edit=bool(note))


async def _send_minutes(update: Update, context: BotContext, meeting_id: int) -> None:
    view = await call(context, decisions.minutes_view, actor_id=context.person.id, meeting_id=meeting_id,
                      tz=_tz(context), org=context.deps.notice_style.org, now=now(context))
    data = minutes_docx.build_docx(view)
    await update.effective_chat.send_document(document=data, filename=f"{view.title}{view.number}.docx",
                                              caption=esc(view.title), protect_content=True)


async def answer_attend(update: Update, context: BotContext) -> None:
    code = pressed(update, MeetingAnswer)
    await call(context, meetings.answer, actor_id=context.person.id, meeting_id=code.meeting_id, attend=True,
               now=now(context))
    await _show_card(update, context, code.meeting_id, note=t.ANSWERED_ATTEND, edit=False)


# --- decisions: stateless buttons ----------------------------------------------------------------------------

DECISION_STATELESS = (DecisionOpen, DecisionReceive, DecisionAccept, DecisionApprove, DecisionApproveDay)


def _decision_text(context: BotContext, d: DecisionView) -> str:
    return t.DECISION_CARD.format(
        number=d.number, text=esc(d.text), owner=esc(d.owner), status=t.DECISION_STATUS[d.status],
        due=t.DECISION_CARD_DUE.format(due=fmt(d.due_at, _tz(context))) if d.due_at else "",
        case=t.DECISION_CARD_CASE.format(case=d.case_number) if d.case_number else "",
        approval=t.DECISION_CARD_APPROVAL.format(approval=d.approval) if d.approval else "",
        progress=t.DECISION_CARD_PROGRESS.format(progress=esc(d.progress)) if d.progress else "",
        evidence=t.DECISION_CARD_EVIDENCE.format(evidence=esc(d.evidence)) if d.evidence else "")


async def _show_decision(update: Update, context: BotContext, decision_id: int, *, note: str = "") -> None:
    d = await call(context, decisions.decision_view, actor_id=context.person.id, decision_id=decision_id)
    rows = []
    if d.status in (DecisionStatus.issued, DecisionStatus.received):
        rows.append([button(t.BUTTON_RECEIVED, DecisionReceive(d.id).pack()),
                     button(t.BUTTON_PROGRESS, DecisionProgress(d.id).pack()),
                     button(t.BUTTON_DONE, DecisionDone(d.id).pack())])
    rows.append([button(t.BUTTON_OPEN, MeetingOpen(d.meeting_id).pack())])
    await reply(update, "\n\n".join(p for p in (note, _decision_text(context, d)) if p), reply_markup=inline(rows),
                edit=False)


@requires()
async def decision_button(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    code = pressed_one_of(update, DECISION_STATELESS)
    actor = context.person.id
    if isinstance(code, DecisionOpen):
        await _show_decision(update, context, code.decision_id)
    elif isinstance(code, DecisionReceive):
        await call(context, decisions.receive, actor_id=actor, decision_id=code.decision_id, now=now(context))
        await _show_decision(update, context, code.decision_id, note=t.RECEIVED)
    elif isinstance(code, DecisionAccept):
        d = await call(context, decisions.accept, actor_id=actor, decision_id=code.decision_id, now=now(context))
        await reply(update, t.ACCEPTED.format(number=d.number), edit=False)
    elif isinstance(code, DecisionApprove):
        today = now(context).astimezone(_tz(context)).date()
        days = [today - timedelta(days=i) for i in range(7)]
        rows = grid([button(t.short_date(d), DecisionApproveDay(code.decision_id, code.outcome, d).pack())
                     for d in days], 4)
        await reply(update, t.ASK_APPROVAL_DAY.format(outcome=t.APPROVAL_LABELS[code.outcome]),
                    reply_markup=inline(rows), edit=False)
    else:
        d = await call(context, decisions.record_approval, actor_id=actor, decision_id=code.decision_id,
                       outcome=code.outcome, day=code.day, now=now(context), policy=_policy(context))
        after = (t.APPROVAL_REFUSED if code.outcome == ApprovalOutcome.rejected
                 else t.APPROVAL_ISSUED.format(owner=esc(d.owner)))
        await reply(update, t.APPROVAL_SAVED.format(approval=d.approval, after=after), edit=True)


# --- typed text: leave reason, agenda, progress, evidence, return note -------------------------------------------

TEXT_ASKS = {"leave": t.ASK_LEAVE_REASON, "agenda": t.ASK_AGENDA, "progress": t.ASK_PROGRESS,
             "evidence": t.ASK_EVIDENCE, "return": t.ASK_RETURN}


@requires()
async def ask_text(update: Update, context: BotContext) -> int:
    if not in_private(update):
        raise StaleButton()
    code = pressed_one_of(update, (MeetingAnswer, MeetingAgendaEdit, DecisionProgress, DecisionDone, DecisionReturn))
    if isinstance(code, MeetingAnswer):
        if code.answer == Attendance.attend:
            await answer_attend(update, context)
            return ConversationHandler.END
        # refused now, not after the typing, when the person is not invited or the meeting is over
        view = await call(context, meetings.meeting_view, actor_id=context.person.id, meeting_id=code.meeting_id)
        if view.invitee(context.person.id) is None:
            raise DomainError(t.NOT_INVITED)
        if view.status != MeetingStatus.scheduled:
            raise DomainError(t.NOT_SCHEDULED)
        pending = {"what": "leave", "id": code.meeting_id}
    elif isinstance(code, MeetingAgendaEdit):
        view = await call(context, meetings.meeting_view, actor_id=context.person.id, meeting_id=code.meeting_id)
        if view.organiser_id != context.person.id and not context.person.has(Role.director):
            raise DomainError(t.NOT_ORGANISER)
        pending = {"what": "agenda", "id": code.meeting_id}
    elif isinstance(code, DecisionProgress | DecisionDone):
        await call(context, decisions.check_owner, actor_id=context.person.id, decision_id=code.decision_id)
        pending = {"what": "progress" if isinstance(code, DecisionProgress) else "evidence", "id": code.decision_id}
    else:
        await call(context, decisions.check_reviewer, actor_id=context.person.id, decision_id=code.decision_id)
        pending = {"what": "return", "id": code.decision_id}
    context.user_data[TEXT] = pending
    await update.effective_chat.send_message(TEXT_ASKS[pending["what"]])
    return Step.TYPING


async def save_text(update: Update, context: BotContext) -> int:
    pending = context.user_data.get(TEXT)
    if not isinstance(pending, dict) or pending.get("what") not in TEXT_ASKS or not isinstance(pending.get("id"), int):
        context.user_data.pop(TEXT, None)
        await update.effective_chat.send_message(t.DRAFT_GONE)
        return ConversationHandler.END
    message = update.message
    value = message.text or message.caption or ""
    file_id = None
    if message.photo:
        file_id = message.photo[-1].file_id
    elif message.document:
        file_id = message.document.file_id
    what, ident, actor, moment = pending["what"], pending["id"], context.person.id, now(context)
    try:
        if what == "leave":
            await call(context, meetings.answer, actor_id=actor, meeting_id=ident, attend=False, reason=value, now=moment)
            note, show = t.ANSWERED_LEAVE, ("meeting", ident)
        elif what == "agenda":
            await call(context, meetings.set_agenda, actor_id=actor, meeting_id=ident, text=value, now=moment)
            note, show = t.AGENDA_SAVED, ("agenda", ident)
        elif what == "progress":
            await call(context, decisions.progress, actor_id=actor, decision_id=ident, text=value, now=moment,
                       policy=_policy(context))
            note, show = t.PROGRESS_SAVED, ("decision", ident)
        elif what == "evidence":
            await call(context, decisions.report_done, actor_id=actor, decision_id=ident, evidence=value,
                       file_id=file_id, now=moment)
            note, show = t.EVIDENCE_SAVED, ("decision", ident)
        else:
            await call(context, decisions.send_back, actor_id=actor, decision_id=ident, note=value, now=moment)
            note, show = t.RETURNED, None
    except DomainError as exc:
        if isinstance(exc, InvalidInput):  # too short or too long: the same question again
            await update.effective_chat.send_message(esc(exc.message))
            return Step.TYPING
        context.user_data.pop(TEXT, None)
        await update.effective_chat.send_message(esc(exc.message))
        return ConversationHandler.END
    context.user_data.pop(TEXT, None)
    if show is None:
        await update.effective_chat.send_message(note)
    elif show[0] == "meeting":
        await _show_card(update, context, show[1], note=note, edit=False)
    elif show[0] == "agenda":
        await update.effective_chat.send_message(note)
    else:
        await _show_decision(update, context, show[1], note=note)
    return ConversationHandler.END


async def text_wrong_type(update: Update, context: BotContext) -> int:
    await update.effective_chat.send_message(t.TEXT_WRONG_TYPE)
    return Step.TYPING


def build_text_conversation() -> ConversationHandler:
    return Flow(
        entry_points=[CallbackQueryHandler(ask_text, pattern=any_of(
            MeetingAnswer, MeetingAgendaEdit, DecisionProgress, DecisionDone, DecisionReturn))],
        states={Step.TYPING: [
            MessageHandler(filters.TEXT & ~filters.COMMAND, save_text),
            MessageHandler((filters.PHOTO | filters.Document.ALL) & filters.CAPTION, save_text),
            MessageHandler(~filters.COMMAND, text_wrong_type),
        ]},
        draft=TEXT, cancelled=t.TEXT_CANCELLED,
        name="meeting_text",
        timeout=TEXT_TIMEOUT,
        timeout_text=t.TEXT_TIMEOUT,
    )


# --- recording the minutes ------------------------------------------------------------------------------------


def _recording(context: BotContext) -> dict:
    state = context.user_data.get(MINUTES)
    if not isinstance(state, dict) or not isinstance(state.get("meeting_id"), int):
        raise DomainError(t.DRAFT_GONE)
    return state


def _minutes_keyboard(meeting_id: int):
    return inline([[button(t.BUTTON_DECISION_NEW, MeetingDecisionNew(meeting_id).pack()),
                    button(t.BUTTON_MINUTES_DONE, MeetingMinutesDone(meeting_id).pack())]])


@requires()
async def start_minutes(update: Update, context: BotContext) -> int:
    if not in_private(update):
        raise StaleButton()
    meeting_id = pressed(update, MeetingMinutes).meeting_id
    view = await call(context, meetings.meeting_view, actor_id=context.person.id, meeting_id=meeting_id)
    if view.organiser_id != context.person.id and not context.person.has(Role.director):
        raise DomainError(t.NOT_ORGANISER)
    if view.status != MeetingStatus.scheduled:
        raise DomainError(t.MINUTES_CLOSED)
    context.user_data[MINUTES] = {"meeting_id": meeting_id}
    await update.effective_chat.send_message(t.MINUTES_START.format(title=esc(view.title), count=len(view.minutes)),
                                             reply_markup=_minutes_keyboard(meeting_id))
    return Step.RECORDING


async def record_item(update: Update, context: BotContext) -> int:
    state = _recording(context)
    message = update.message
    voice = message.voice.file_id if message.voice else None
    seq = await call(context, meetings.add_minute, actor_id=context.person.id, meeting_id=state["meeting_id"],
                     text=message.text if voice is None else message.caption, voice_file_id=voice, now=now(context))
    await update.effective_chat.send_message(t.MINUTES_SAVED.format(seq=seq),
                                             reply_markup=_minutes_keyboard(state["meeting_id"]))
    return Step.RECORDING


async def minutes_wrong_type(update: Update, context: BotContext) -> int:
    await update.effective_chat.send_message(t.MINUTES_WRONG_TYPE)
    return Step.RECORDING


@requires()
async def new_decision(update: Update, context: BotContext) -> int:
    state = _recording(context)
    if pressed(update, MeetingDecisionNew).meeting_id != state["meeting_id"]:
        raise StaleButton()
    state["decision"] = {}
    await update.effective_chat.send_message(t.ASK_DECISION_TEXT)
    return Step.DECISION_TEXT


async def decision_text(update: Update, context: BotContext) -> int:
    state = _recording(context)
    text = (update.message.text or "").strip()
    if not 2 <= len(text) <= decisions.MAX_TEXT:
        await update.effective_chat.send_message(t.DECISION_BAD_TEXT)
        return Step.DECISION_TEXT
    state["decision"] = {"text": text}
    choices = await call(context, meetings.owner_choices)
    rows = grid([button(f"🏢 {name}", MeetingOwnerUnit(i).pack()) for i, name in choices.units], 2)
    rows += grid([button(f"🏘 {name}", MeetingOwnerVillage(i).pack()) for i, name in choices.villages], 2)
    rows += grid([button(f"👤 {name}", MeetingOwnerPerson(i).pack()) for i, name in choices.people], 3)
    await update.effective_chat.send_message(t.ASK_OWNER, reply_markup=inline(rows))
    return Step.DECISION_OWNER


@requires()
async def decision_owner(update: Update, context: BotContext) -> int:
    state = _recording(context)
    if "text" not in state.get("decision", {}):
        raise DomainError(t.DRAFT_GONE)
    code = pressed_one_of(update, (MeetingOwnerUnit, MeetingOwnerVillage, MeetingOwnerPerson))
    state["decision"]["owner"] = (
        {"unit_id": code.unit_id} if isinstance(code, MeetingOwnerUnit)
        else {"village_id": code.village_id} if isinstance(code, MeetingOwnerVillage)
        else {"person_id": code.person_id})
    rows = grid([button(t.DAYS_BUTTON.format(days=d), MeetingDays(d).pack()) for d in DAYS], 3)
    await reply(update, t.ASK_DAYS, reply_markup=inline(rows), edit=True)
    return Step.DECISION_DAYS


@requires()
async def decision_days(update: Update, context: BotContext) -> int:
    state = _recording(context)
    if "owner" not in state.get("decision", {}):
        raise DomainError(t.DRAFT_GONE)
    days = pressed(update, MeetingDays).days
    if days not in DAYS:
        raise StaleButton()
    state["decision"]["days"] = days
    view = await call(context, meetings.meeting_view, actor_id=context.person.id, meeting_id=state["meeting_id"])
    rows = [[button(t.BUTTON_THIS_CASE.format(number=view.case_number), MeetingThisCase().pack())]] if view.case_number else []
    rows.append([button(t.BUTTON_NO_CASE, MeetingNoCase().pack())])
    await reply(update, t.ASK_CASE, reply_markup=inline(rows), edit=True)
    return Step.DECISION_CASE


async def decision_case(update: Update, context: BotContext) -> int:
    state = _recording(context)
    if "days" not in state.get("decision", {}):
        raise DomainError(t.DRAFT_GONE)
    view = await call(context, meetings.meeting_view, actor_id=context.person.id, meeting_id=state["meeting_id"])
    if update.callback_query is not None:
        this_case = isinstance(pressed_one_of(update, (MeetingNoCase, MeetingThisCase)), MeetingThisCase)
        await update.callback_query.answer()
        state["decision"]["case"] = view.case_number if this_case else None
    else:
        state["decision"]["case"] = (update.message.text or "").strip()[:20]
    if view.kind in JOINT_KINDS:
        rows = [[button(t.BUTTON_IMPORTANT, MeetingImportant(1).pack()),
                 button(t.BUTTON_ORDINARY, MeetingImportant(0).pack())]]
        await update.effective_chat.send_message(t.ASK_IMPORTANT, reply_markup=inline(rows))
        return Step.DECISION_IMPORTANT
    return await _save_decision(update, context, state, important=False)


@requires()
async def decision_important(update: Update, context: BotContext) -> int:
    state = _recording(context)
    if "days" not in state.get("decision", {}):
        raise DomainError(t.DRAFT_GONE)
    return await _save_decision(update, context, state, important=pressed(update, MeetingImportant).important == 1)


async def _save_decision(update: Update, context: BotContext, state: dict, *, important: bool) -> int:
    draft = state["decision"]
    try:
        d = await call(context, decisions.add, actor_id=context.person.id, meeting_id=state["meeting_id"],
                       text=draft["text"], owner=Owner(**draft["owner"]), days=draft["days"],
                       case_number=draft.get("case"), important=important, now=now(context), policy=_policy(context))
    except DomainError as exc:
        state.pop("decision", None)
        await update.effective_chat.send_message(esc(exc.message), reply_markup=_minutes_keyboard(state["meeting_id"]))
        return Step.RECORDING
    state.pop("decision", None)
    note = (t.DECISION_SAVED_HELD.format(number=d.number) if d.status == DecisionStatus.held
            else t.DECISION_SAVED_ISSUED.format(number=d.number, owner=esc(d.owner)))
    await update.effective_chat.send_message(note, reply_markup=_minutes_keyboard(state["meeting_id"]))
    return Step.RECORDING


@requires()
async def finish_minutes(update: Update, context: BotContext) -> int:
    state = _recording(context)
    meeting_id = pressed(update, MeetingMinutesDone).meeting_id
    if meeting_id != state["meeting_id"]:
        raise StaleButton()
    await call(context, meetings.close_minutes, actor_id=context.person.id, meeting_id=meeting_id, now=now(context))
    context.user_data.pop(MINUTES, None)
    await _show_card(update, context, meeting_id, note=t.MINUTES_DONE, edit=False)
    return ConversationHandler.END


def build_minutes_conversation() -> ConversationHandler:
    text = filters.TEXT & ~filters.COMMAND
    return Flow(
        entry_points=[CallbackQueryHandler(start_minutes, pattern=lead(MeetingMinutes))],
        states={
            Step.RECORDING: [
                MessageHandler(text | filters.VOICE, record_item),
                CallbackQueryHandler(new_decision, pattern=lead(MeetingDecisionNew)),
                CallbackQueryHandler(finish_minutes, pattern=lead(MeetingMinutesDone)),
                MessageHandler(~filters.COMMAND, minutes_wrong_type),
            ],
            Step.DECISION_TEXT: [MessageHandler(text, decision_text), MessageHandler(~filters.COMMAND, text_wrong_type)],
            Step.DECISION_OWNER: [CallbackQueryHandler(decision_owner, pattern=any_of(
                MeetingOwnerUnit, MeetingOwnerVillage, MeetingOwnerPerson))],
            Step.DECISION_DAYS: [CallbackQueryHandler(decision_days, pattern=lead(MeetingDays))],
            Step.DECISION_CASE: [MessageHandler(text, decision_case),
                                 CallbackQueryHandler(decision_case, pattern=any_of(MeetingNoCase, MeetingThisCase))],
            Step.DECISION_IMPORTANT: [CallbackQueryHandler(decision_important, pattern=lead(MeetingImportant))],
        },
        draft=MINUTES, cancelled=t.MINUTES_CANCELLED,
        name="meeting_minutes",
        timeout=TIMEOUT,
        timeout_text=t.MINUTES_TIMEOUT,
    )


# --- /sections: the 通报 category map ---------------------------------------------------------------------------


@requires(Role.director, Role.admin)
async def sections_command(update: Update, context: BotContext) -> None:
    args = context.args or []
    note = ""
    if args:
        if len(args) != 2:
            await update.effective_chat.send_message(t.SECTIONS_HOW)
            return
        key, section = args
        await call(context, meetings.set_section, actor_id=context.person.id, key=key,
                   section=None if section == "-" else section, now=now(context))
        note = t.SECTIONS_SAVED
    lines = await call(context, meetings.section_lines)
    text = "\n".join([p for p in (note, t.SECTIONS_TITLE) if p]
                     + [t.SECTIONS_LINE.format(key=esc(k), section=s) for k, s in lines] + [t.SECTIONS_HOW])
    await update.effective_chat.send_message(text)


def handlers() -> list[BaseHandler]:
    """New objects per call: a ConversationHandler keeps per-application state."""
    return [
        build_minutes_conversation(),
        build_text_conversation(),
        CommandHandler("meetings", meetings_command),
        CommandHandler("sections", sections_command),
        CallbackQueryHandler(new_meeting, pattern=lead(MeetingNew)),
        CallbackQueryHandler(pick_village, pattern=lead(MeetingVillage)),
        CallbackQueryHandler(mediation_units, pattern=any_of(MeetingMediation, MeetingMediationUnit)),
        CallbackQueryHandler(mediation_next, pattern=lead(MeetingMediationNext)),
        CallbackQueryHandler(move_meeting, pattern=lead(MeetingMove)),
        CallbackQueryHandler(pick_day, pattern=lead(MeetingDay)),
        CallbackQueryHandler(pick_time, pattern=lead(MeetingTime)),
        CallbackQueryHandler(pick_place, pattern=lead(MeetingPlace)),
        CallbackQueryHandler(meeting_button, pattern=any_of(*STATELESS)),
        CallbackQueryHandler(decision_button, pattern=any_of(*DECISION_STATELESS)),
    ]
