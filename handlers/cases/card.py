"""The case card: how it reads (render_card), its buttons (card_keyboard), showing it after a change,
/case, and the one dispatcher of the card's one-press buttons (handlers/cases/buttons.py)."""

import re
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from telegram import Update

from bot import texts
from bot.callbacks import (
    CASE_ACTIONS,
    BaoanComplete,
    BaoanExtend,
    BaoanPlan,
    BaoanPropose,
    BaoanUpper,
    CaseFiles,
    CaseFileSend,
    CaseLocation,
    CaseRefresh,
    Code,
    InfoReportList,
    NoticeOpen,
    SuperviseCase,
    UpwardStart,
)
from bot.context import BotContext
from bot.keyboards import button, grid, inline
from bot.services import cases, scene
from bot.services.case_card import CaseCard, case_card
from bot.services.cases import CaseRef, InvalidTransition
from bot.services.errors import NotAllowed
from bot.texts import case_file as case_file_texts
from bot.texts import joint as joint_texts
from bot.texts import scene as scene_texts
from bot.texts import upward as upward_texts
from handlers.assignments import assignment_buttons, assignment_line
from handlers.common import call, esc, now, pressed_one_of, reply, requires
from handlers.deadlines import action_buttons as deadline_action_buttons
from handlers.forms import CARD_LIMIT, clip, line, utf16

HISTORY_SHOWN = 10
CASE_NUMBER_RE = re.compile(r"^(\d{4})\s*[-－—_]\s*(\d{1,5})$")

# 包案 step on the card → its button's code (handlers/baoan.py)
BAOAN_CODES = {"propose": BaoanPropose, "plan": BaoanPlan, "upper": BaoanUpper, "extend": BaoanExtend,
               "complete": BaoanComplete}


# --- rendering --------------------------------------------------------------------------------


def local_time(moment: datetime | None, tz, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return moment.astimezone(tz).strftime(fmt) if moment else ""


def _parties(card: CaseCard) -> str:
    shown = []
    for name, phone, id_number in card.parties[:5]:
        shown.append(" ".join(p for p in (clip(name, 20), phone, id_number) if p))
    more = texts.CARD_PARTIES_MORE.format(n=len(card.parties)) if len(card.parties) > 5 else ""
    return "；".join(shown) + more


def _deadline_state(light) -> str:
    """「（🟡 剩 1 个工作日）」「（按期办结）」, or nothing: never an empty 「（ ）」."""
    state = " ".join(p for p in (light.symbol, light.left) if p)
    return texts.CARD_DEADLINE_STATE.format(state=state) if state else ""


def render_card(card: CaseCard, tz, notice: str = "") -> str:
    """The card as HTML: built as plain text, trimmed to Telegram's limit, then escaped as a whole."""
    marks = (texts.CARD_MARK_URGENT if card.urgent else "") + (texts.CARD_MARK_CONFIDENTIAL if card.confidential else "")
    title = texts.CARD_TITLE.format(number=card.number, marks=marks)
    lines = [
        texts.CARD_STATUS.format(status=texts.STATUS_LABELS[card.status]),
        *([texts.CARD_DEADLINE.format(
            due=card.deadline.due, state=_deadline_state(card.deadline),
            provisional=texts.CARD_PROVISIONAL if card.deadline.provisional else "")] if card.deadline else []),
        texts.CARD_TYPE.format(type=card.type_name or texts.CARD_NONE, severity=texts.SEVERITY_LABELS[card.severity],
                               source=texts.SOURCE_LABELS[card.source] + (texts.CARD_FOUND_BY_PAICHA
                                                                          if card.found_by_paicha else "")),
    ]
    place = " · ".join(p for p in (card.village, clip(card.address, 200)) if p) or texts.CARD_NONE
    gps = texts.CARD_GPS if card.latitude is not None and card.longitude is not None else ""
    if card.reporter_view:
        lines.insert(0, texts.CARD_REPORTER_VIEW)
    if card.assignment:  # 上级交办 (issue 16)
        lines.append(assignment_line(card.assignment, tz))
    lines.append(texts.CARD_PLACE.format(place=place, gps=gps))
    if card.occurred_at:
        lines.append(texts.CARD_OCCURRED.format(at=local_time(card.occurred_at, tz)))
    if card.parties:
        lines.append(texts.CARD_PARTIES.format(parties=_parties(card)))
    if card.people_count:
        lines.append(texts.CARD_PEOPLE.format(n=texts.people_count_label(card.people_count, card.people_count_approx)))
    if card.amount:
        lines.append(texts.CARD_AMOUNT.format(amount=f"{card.amount:g}"))
    lines.append(texts.CARD_DESCRIPTION.format(text=clip(card.description, 800)))
    if card.request:
        lines.append(texts.CARD_REQUEST.format(text=clip(card.request, 300)))
    lines.append(texts.CARD_REPORTER.format(name=card.reporter or texts.CARD_NONE, at=local_time(card.created_at, tz)))
    if card.first_inquiry:
        lines.append(texts.CARD_FIRST_INQUIRY.format(name=card.first_inquiry))
    if card.handler or card.unit:
        lines.append(texts.CARD_HANDLER.format(who=" / ".join(p for p in (card.handler, card.unit) if p)))
    lines += joint_lines(card, tz)
    if card.baoan.leader:
        lines.append(texts.CARD_BAOAN_LEADER.format(name=card.baoan.leader))
    if card.baoan.plan:
        lines.append(texts.CARD_BAOAN_PLAN.format(text=clip(card.baoan.plan, 300)))
    if card.baoan.upper:
        at = card.baoan.upper.at.astimezone(tz).strftime("%m-%d")
        lines.append(texts.CARD_BAOAN_UPPER.format(at=at, text=clip(card.baoan.upper.note, 120)))
    if card.upward:
        lines.append(upward_line(card.upward, tz))
    for n in card.notices:
        lines.append(texts.CARD_NOTICE.format(number=n.number, unit=n.unit, due=n.due,
                                              level=texts.SV_LEVEL_LABELS[n.level.value]))
    if card.transfer_to:
        lines.append(texts.CARD_TRANSFER.format(to=clip(card.transfer_to, 100)))
    if card.guidance:
        lines.append(texts.CARD_GUIDANCE.format(text=clip(card.guidance, 300)))
    if card.outcome:
        lines.append(texts.CARD_OUTCOME.format(outcome=card.outcome, agreement=card.agreement or texts.CARD_NONE))
    if card.result:
        lines.append(texts.CARD_RESULT.format(text=clip(card.result, 500)))
    if card.reply_method:
        lines.append(texts.CARD_REPLY.format(method=card.reply_method, at=local_time(card.replied_at, tz)))
    if card.satisfaction:
        lines.append(texts.CARD_SATISFACTION.format(level=card.satisfaction))
    if card.duplicate_of:
        lines.append(texts.CARD_DUPLICATE.format(number=card.duplicate_of))
    if card.files:
        lines.append(texts.CARD_FILES.format(n=len(card.files)))
    history = [
        texts.CARD_HISTORY_LINE.format(at=local_time(h.at, tz, "%m-%d %H:%M"), actor=clip(h.actor, 20) or "系统",
                                       action=h.action, note=f"：{line(h.note, 60)}" if h.note else "")
        for h in card.history[-HISTORY_SHOWN:]
    ]
    head = f"{notice}\n" if notice else ""

    def assemble(entries: list[str]) -> str:
        parts = list(lines)
        if entries:
            parts.append(texts.CARD_HISTORY.format(shown=len(entries), total=len(card.history)))
            parts += entries
        return "\n".join(parts)

    body = assemble(history)
    while history and utf16(head + title + body) > CARD_LIMIT:
        history = history[1:]  # the oldest entries go first
        body = assemble(history)
    if utf16(head + title + body) > CARD_LIMIT:  # only with absurd data; cut the plain text
        body = body[: max(CARD_LIMIT - utf16(head + title) - 200, 0)] + "…"
    return f"{esc(head)}<b>{esc(title)}</b>\n{esc(body)}"


def upward_line(record, tz) -> str:
    """「已上报：县委政法委（电话）12-05 10:20 王志强」, with the answer when there is one (plain text)."""
    text = upward_texts.CARD_LINE.format(departments=record.department_text, way=record.way,
                                         at=local_time(record.at, tz, "%m-%d %H:%M"), who=record.by)
    return text + (upward_texts.CARD_REPLY.format(text=clip(record.reply, 80)) if record.reply else "")


def joint_lines(card: CaseCard, tz) -> list[str]:
    """联合办理 (主办/协办, the latest 会商, a 调处会 to come) and who arrived at the scene (issue 16)."""
    found = []
    if card.joint.co_units:
        found.append(joint_texts.CARD_LEAD.format(unit=card.joint.lead or texts.CARD_NONE))
        found.append(joint_texts.CARD_CO.format(units="、".join(card.joint.co_units))
                     + (joint_texts.CARD_CO_YOU if card.joint.co_unit else ""))
    for c in card.joint.consultations[-2:]:
        found.append(joint_texts.CARD_CONSULT.format(at=local_time(c.held_at, tz), participants=line(c.participants, 80),
                                                     conclusion=clip(c.conclusion, 300)))
    for at, place in card.joint.mediations:
        found.append(joint_texts.CARD_MEDIATION.format(at=local_time(at, tz), place=place))
    for a in card.arrivals:
        found.append(scene_texts.CARD_LINE.format(who=a.who, at=local_time(a.at, tz),
                                                  where=scene.where(a.latitude, a.longitude)))
    return found


def card_keyboard(card: CaseCard):
    actions = []
    for action in card.actions:
        if action in CASE_ACTIONS:
            actions.append(button(texts.ACTION_LABELS[action], CASE_ACTIONS[action](card.id).pack()))
    extra = []
    if card.files:
        extra.append(button(texts.CARD_BUTTON_FILES.format(n=len(card.files)), CaseFiles(card.id).pack()))
    if card.latitude is not None and card.longitude is not None:
        extra.append(button(texts.CARD_BUTTON_LOCATION, CaseLocation(card.id).pack()))
    if card.may_file:
        extra.append(button(case_file_texts.CARD_BUTTON, CaseFileSend(card.id).pack()))
    extra.append(button(texts.CARD_BUTTON_REFRESH, CaseRefresh(card.id).pack()))
    timing = [button(label, data) for label, data in deadline_action_buttons(card.id, card.deadline_actions)]
    baoan = [button(texts.BA_CARD_BUTTONS[a], BAOAN_CODES[a](card.id).pack()) for a in card.baoan.actions]
    if card.may_supervise:
        baoan.append(button(texts.CARD_BUTTON_SUPERVISE, SuperviseCase(card.id).pack()))
    baoan += [button(texts.CARD_BUTTON_NOTICE.format(number=n.number), NoticeOpen(n.id).pack()) for n in card.notices]
    baoan += assignment_buttons(card)  # 上级交办 (issue 16)
    if card.may_report_up:
        baoan.append(button(upward_texts.CARD_BUTTON, UpwardStart(card.id).pack()))
    # The case's 信息报告 list (handlers/info_report.py, with « 返回事项 back here): a row of its own,
    # the last row already holds up to four buttons.
    reports = ([button(texts.IR_CARD_BUTTON.format(n=card.info_reports), InfoReportList(card.id).pack())]
               if card.info_reports else [])
    return inline([*grid(actions, 3), timing, *grid(baoan, 2), reports, extra])


def back_button(case_id: int):
    return button(texts.CARD_BUTTON_BACK, CaseRefresh(case_id).pack())


def case_row(ref: CaseRef) -> str:
    urgent = texts.CARD_ROW_URGENT if ref.urgent else ""
    return texts.CARD_ROW.format(number=ref.number, status=texts.STATUS_LABELS[ref.status], urgent=urgent,
                                 summary=line(ref.summary, 14), light=f"{ref.light} " if ref.light else "")


# --- the card ---------------------------------------------------------------------------------


async def card_for(context: BotContext, case_id: int) -> CaseCard:
    return await call(context, case_card, viewer_id=context.person.id, case_id=case_id, now=now(context),
                      policy=context.deps.policy.deadlines)


async def show_card(update: Update, context: BotContext, case_id: int, *, edit: bool,
                    notice: str | Callable[[CaseCard], str] = "") -> None:
    card = await card_for(context, case_id)
    text = notice(card) if callable(notice) else notice
    await reply(update, render_card(card, context.deps.settings.tz, text), reply_markup=card_keyboard(card),
                edit=edit, protect=card.confidential)


async def show_card_after(update: Update, context: BotContext, case_id: int, *, edit: bool,
                          notice: str | Callable[[CaseCard], str]) -> None:
    """After a change the person may no longer see the case (e.g. it became confidential)."""
    try:
        await show_card(update, context, case_id, edit=edit, notice=notice)
    except NotAllowed:
        await reply(update, texts.CARD_NOW_HIDDEN, edit=edit)


async def card_allowing(update: Update, context: BotContext, case_id: int, action: str) -> CaseCard:
    """The card, if `action` is offered to this person in the case's current state; else refresh and say why."""
    card = await card_for(context, case_id)
    if action not in card.actions:
        await show_card(update, context, case_id, edit=True)
        raise InvalidTransition(texts.CARD_ACTION_UNAVAILABLE.format(
            number=card.number, status=texts.STATUS_LABELS[card.status], action=texts.ACTION_LABELS[action]))
    return card


C = TypeVar("C", bound=Code)




@requires()
async def case_command(update: Update, context: BotContext) -> None:
    match = CASE_NUMBER_RE.match(" ".join(context.args or []).strip())
    if match is None:
        await update.effective_chat.send_message(texts.CASE_USAGE)
        return
    number = f"{match[1]}-{int(match[2]):04d}"
    case_id = await call(context, cases.find_by_number, number=number)
    await show_card(update, context, case_id, edit=False)


def one_press(buttons: dict[type[Code], Callable]) -> Callable:
    """The card's one dispatcher: a press of any of `buttons` goes to its view with the parsed code
    (the presser's roles checked once, like every button)."""

    @requires()
    async def case_button(update: Update, context: BotContext) -> None:
        code = pressed_one_of(update, buttons)
        await buttons[type(code)](update, context, code)

    return case_button
