"""The card's one-press actions (受理, 分派 menus, 满意度, 归档, 保密, 附件, 位置): stateless buttons whose
data carries ids; the services check every press again (role, visibility, current state)."""

import contextlib
from collections.abc import Callable

from telegram import Update

from bot import texts
from bot.callbacks import (
    CaseAccept,
    CaseArchive,
    CaseArchiveConfirm,
    CaseAssign,
    CaseAssignPeople,
    CaseAssignPerson,
    CaseAssignUnit,
    CaseAssignUnits,
    CaseConfidential,
    CaseFile,
    CaseFiles,
    CaseLocation,
    CaseRefresh,
    CaseSatisfaction,
    CaseSatisfactionLegacy,
    CaseSatisfactionLevel,
    CaseUnconfidential,
    CaseView,
    Code,
    JointMenu,
)
from bot.context import BotContext
from bot.keyboards import button, code_pager, grid, inline
from bot.services import case_file, cases, directory
from bot.services.cases import CaseRef, InvalidTransition
from bot.services.errors import DomainError
from bot.texts import case_file as case_file_texts
from bot.texts import joint as joint_texts
from handlers.cases.card import (
    back_button,
    card_allowing,
    card_for,
    local_time,
    show_card,
    show_card_after,
)
from handlers.common import StaleButton, call, esc, now, reply, word_pressed
from handlers.forms import clip
from models import Satisfaction

FILE_SENDERS = {"photo": "send_photo", "video": "send_video", "voice": "send_voice", "audio": "send_audio",
                "document": "send_document"}


async def _refresh_quietly(update: Update, context: BotContext, case_id: int) -> None:
    """A stale press: show the card as it is now, so the buttons match the state again."""
    with contextlib.suppress(DomainError):
        await show_card(update, context, case_id, edit=True)


async def _act(update: Update, context: BotContext, case_id: int, fn: Callable, notice, **kwargs) -> CaseRef:
    """One press, one service call, then the refreshed card in place of the old one."""
    try:
        ref = await call(context, fn, actor_id=context.person.id, case_id=case_id, now=now(context), **kwargs)
    except InvalidTransition:
        await _refresh_quietly(update, context, case_id)
        raise
    await show_card_after(update, context, case_id, edit=True, notice=notice)
    return ref


async def _view(update, context, code: CaseView) -> None:
    # From a notification or a list: a new message, so the notification or list stays readable.
    await show_card(update, context, code.case_id, edit=False)


async def _refresh(update, context, code: CaseRefresh) -> None:
    await show_card(update, context, code.case_id, edit=True)


async def _accept(update, context, code: CaseAccept) -> None:
    await _act(update, context, code.case_id, cases.accept, texts.CARD_DONE_ACCEPT,
               policy=context.deps.policy.deadlines)


async def _assign_menu(update, context, code: CaseAssign) -> None:
    case_id = code.case_id
    card = await card_allowing(update, context, case_id, "assign")
    rows = [[button(texts.ASSIGN_TO_PERSON, CaseAssignPeople(case_id, 0).pack()),
             button(texts.ASSIGN_TO_UNIT, CaseAssignUnits(case_id, 0).pack())],
            [button(joint_texts.BUTTON, JointMenu(case_id).pack())],  # 主办/协办 and 会商 (handlers/joint.py)
            [back_button(case_id)]]
    await reply(update, texts.ASSIGN_CHOOSE.format(number=esc(card.number)), reply_markup=inline(rows), edit=True)


def _page_of(items: list, page: int, size: int) -> tuple[list, int, int]:
    pages = max((len(items) + size - 1) // size, 1)
    page = min(max(page, 0), pages - 1)
    return items[page * size : (page + 1) * size], page, pages


async def _assign_people(update, context, code: CaseAssignPeople) -> None:
    case_id = code.case_id
    card = await card_allowing(update, context, case_id, "assign")
    people = await call(context, directory.assignable_people)
    if not people:
        await reply(update, texts.ASSIGN_NO_PEOPLE, reply_markup=inline([[back_button(case_id)]]), edit=True)
        return
    shown, page, pages = _page_of(people, code.page, 10)
    choices = [button(p.name + texts.ASSIGN_ROLE_MARKS.get(p.role, ""), CaseAssignPerson(case_id, p.id).pack())
               for p in shown]
    rows = [*grid(choices, 2), code_pager(CaseAssignPeople(case_id, page), pages), [back_button(case_id)]]
    text = texts.ASSIGN_PEOPLE.format(number=esc(card.number), page=page + 1, pages=pages)
    await reply(update, text, reply_markup=inline(rows), edit=True)


async def _assign_units(update, context, code: CaseAssignUnits) -> None:
    case_id = code.case_id
    card = await card_allowing(update, context, case_id, "assign")
    units = await call(context, directory.active_units)
    if not units:
        await reply(update, texts.ASSIGN_NO_UNITS, reply_markup=inline([[back_button(case_id)]]), edit=True)
        return
    shown, page, pages = _page_of(units, code.page, 10)
    choices = [button(u.name + ("" if u.contacts else texts.ASSIGN_UNIT_NO_CONTACT), CaseAssignUnit(case_id, u.id).pack())
               for u in shown]
    rows = [*grid(choices, 2), code_pager(CaseAssignUnits(case_id, page), pages), [back_button(case_id)]]
    text = texts.ASSIGN_UNITS.format(number=esc(card.number), page=page + 1, pages=pages)
    await reply(update, text, reply_markup=inline(rows), edit=True)


async def _satisfaction_menu(update, context, code: CaseSatisfaction) -> None:
    case_id = code.case_id
    card = await card_allowing(update, context, case_id, "satisfaction")
    levels = [button(level.value, CaseSatisfactionLevel(case_id, level).pack()) for level in Satisfaction]
    rows = [levels, [back_button(case_id)]]
    await reply(update, texts.SATISFACTION_ASK.format(number=esc(card.number)), reply_markup=inline(rows), edit=True)


async def _satisfaction(update, context, code: CaseSatisfactionLevel | CaseSatisfactionLegacy) -> None:
    level = word_pressed(update, CaseSatisfactionLevel, CaseSatisfactionLegacy, Satisfaction).level
    notice = (texts.CARD_DONE_REOPENED if level == Satisfaction.dissatisfied
              else texts.CARD_DONE_SATISFACTION.format(level=level.value))
    await _act(update, context, code.case_id, cases.record_satisfaction, notice, level=level.value)


async def _archive_confirm(update, context, code: CaseArchive) -> None:
    case_id = code.case_id
    card = await card_allowing(update, context, case_id, "archive")
    rows = [[button(texts.ARCHIVE_CONFIRM_BUTTON, CaseArchiveConfirm(case_id).pack()), back_button(case_id)]]
    await reply(update, texts.ARCHIVE_CONFIRM.format(number=esc(card.number)), reply_markup=inline(rows), edit=True)


async def _archive(update, context, code: CaseArchiveConfirm) -> None:
    # 归档 and its electronic case file (一案一档) in one unit of work
    await _act(update, context, code.case_id, case_file.archive, case_file_texts.ARCHIVED_NOTICE)


async def _confidential(update, context, code: CaseConfidential | CaseUnconfidential) -> None:
    flag = isinstance(code, CaseConfidential)
    await call(context, cases.set_confidential, actor_id=context.person.id, case_id=code.case_id,
               confidential=flag, now=now(context))
    notice = texts.CARD_DONE_CONFIDENTIAL if flag else texts.CARD_DONE_UNCONFIDENTIAL
    await show_card_after(update, context, code.case_id, edit=True, notice=notice)


async def _files(update, context, code: CaseFiles) -> None:
    case_id = code.case_id
    card = await card_for(context, case_id)
    if not card.files:
        await show_card(update, context, case_id, edit=True)
        return
    counts: dict[str, int] = {}
    choices = []
    for file_id, kind, name in card.files:
        counts[kind] = counts.get(kind, 0) + 1
        label = texts.FILE_KIND_LABELS.get(kind, texts.FILE_KIND_LABELS["document"])
        choices.append(button(f"{label} {clip(name, 20) if name else counts[kind]}", CaseFile(file_id).pack()))
    rows = [*grid(choices, 2), [back_button(case_id)]]
    text = texts.FILES_LIST.format(number=esc(card.number), n=len(card.files))
    await reply(update, text, reply_markup=inline(rows), edit=True)


async def _send_file(update, context, code: CaseFile) -> None:
    att = await call(context, cases.attachment, viewer_id=context.person.id, attachment_id=code.attachment_id)
    protect = await call(context, cases.attachment_protected, attachment_id=att.id)
    label = texts.FILE_KIND_LABELS.get(att.kind, texts.FILE_KIND_LABELS["document"])
    what = " ".join(p for p in (label, clip(att.file_name, 60), clip(att.note, 30)) if p)
    caption = texts.FILE_CAPTION.format(what=esc(what), at=local_time(att.at, context.deps.settings.tz))
    send = getattr(update.effective_chat, FILE_SENDERS.get(att.kind, "send_document"))
    await send(att.file_id, caption=caption, protect_content=protect or None)


async def _location(update, context, code: CaseLocation) -> None:
    card = await card_for(context, code.case_id)
    if card.latitude is None or card.longitude is None:
        raise StaleButton()
    await update.effective_chat.send_location(latitude=card.latitude, longitude=card.longitude)


# The card's one-press buttons, by code (the typed actions start the conversation below).
BUTTONS: dict[type[Code], Callable] = {
    CaseView: _view,
    CaseRefresh: _refresh,
    CaseAccept: _accept,
    CaseAssign: _assign_menu,
    CaseAssignPeople: _assign_people,
    CaseAssignUnits: _assign_units,
    CaseSatisfaction: _satisfaction_menu,
    CaseSatisfactionLevel: _satisfaction,
    CaseSatisfactionLegacy: _satisfaction,
    CaseArchive: _archive_confirm,
    CaseArchiveConfirm: _archive,
    CaseConfidential: _confidential,
    CaseUnconfidential: _confidential,
    CaseFiles: _files,
    CaseFile: _send_file,
    CaseLocation: _location,
}
