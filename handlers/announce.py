"""传达 in chat (issue 16): /announce lists the sender's recent announcements with their read counts
and starts a new one: the content (text, a file or a photo) → the kind → the recipients (several
groups, a running count) → preview → send. Recipients press 已阅 (学习: also 参加 / 请假 with a
reason); the sender sees 已阅 n/m with the unread names and reminds them with one press.

The draft is kept in the sender's user_data (persisted), so each button carries one value. One
persistent conversation, "announce", takes typed input: the content, or a leave reason.
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
    AnnounceAnswer,
    AnnounceCancel,
    AnnounceKindPick,
    AnnounceNew,
    AnnouncePreview,
    AnnounceRead,
    AnnounceRemind,
    AnnounceSend,
    AnnounceStatus,
    AnnounceTarget,
    any_of,
)
from bot.context import BotContext
from bot.keyboards import button, grid, inline, keyboard
from bot.services import announcements
from bot.services.errors import DomainError
from bot.texts import announce as t
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
from models import Attendance, Role
from models.announcements import AnnouncementKind

SENDER_ROLES = (Role.director, Role.secretary, Role.township_leader, Role.leader, Role.staff)
DRAFT = "announce_draft"  # user_data: {"text", "file_id", "file_kind", "file_name", "kind", "groups"}
REASON = "announce_reason"  # user_data: the announcement whose 请假 reason is being typed
TIMEOUT = 15 * 60


class Step(IntEnum):
    """Persisted (PTB stores the conversation state): never renumber; add at the end."""

    CONTENT = 0
    REASON = 1


def _tz(context: BotContext):
    return context.deps.settings.tz


def _draft(context: BotContext) -> dict:
    draft = context.user_data.get(DRAFT)
    if not isinstance(draft, dict) or not (draft.get("text") or draft.get("file_id")):
        raise DomainError(t.STALE)
    return draft


# --- /announce: the list --------------------------------------------------------------------------------


@requires(*SENDER_ROLES)
async def announce_command(update: Update, context: BotContext) -> None:
    if not in_private(update):
        await update.effective_chat.send_message(t.PRIVATE_ONLY)
        return
    found = await call(context, announcements.recent, sender_id=context.person.id)
    lines = [t.LIST_HEAD if found else t.LIST_EMPTY]
    rows = []
    for a in found:
        local = a.sent_at.astimezone(_tz(context))
        line = t.LIST_ROW.format(date=f"{local.month}月{local.day}日", kind=t.KIND_LABELS[a.kind], read=a.read,
                                 total=a.total)
        lines.append(line)
        rows.append([button(line[:40], AnnounceStatus(a.announcement_id).pack())])
    rows.append([button(t.BUTTON_NEW, AnnounceNew().pack())])
    await reply(update, "\n".join(lines), reply_markup=inline(rows))


# --- the conversation: the content, or a leave reason -----------------------------------------------------


@requires(*SENDER_ROLES)
async def new_announcement(update: Update, context: BotContext) -> int:
    if not in_private(update):
        raise StaleButton()
    context.user_data[DRAFT] = {}
    await update.effective_chat.send_message(t.ASK_CONTENT)
    return Step.CONTENT


async def save_content(update: Update, context: BotContext) -> int:
    message = update.message
    text = message.text or message.caption
    file_id = file_kind = file_name = None
    if message.photo:
        file_id, file_kind, file_name = message.photo[-1].file_id, "photo", "图片"
    elif message.document:
        file_id, file_kind = message.document.file_id, "document"
        file_name = message.document.file_name or "文件"
    try:
        text = announcements.check_content(text, file_id)
    except DomainError as exc:
        await update.effective_chat.send_message(str(exc))
        return Step.CONTENT
    context.user_data[DRAFT] = {"text": text, "file_id": file_id, "file_kind": file_kind, "file_name": file_name,
                                "groups": []}
    rows = grid([button(t.KIND_LABELS[k], AnnounceKindPick(k).pack()) for k in AnnouncementKind], 2)
    rows.append([button(t.BUTTON_CANCEL, AnnounceCancel().pack())])
    await update.effective_chat.send_message(t.ASK_KIND, reply_markup=inline(rows))
    return ConversationHandler.END


async def wrong_content(update: Update, context: BotContext) -> int:
    await update.effective_chat.send_message(t.WRONG_CONTENT)
    return Step.CONTENT


@requires()
async def ask_reason(update: Update, context: BotContext) -> int:
    code = pressed(update, AnnounceAnswer)
    actor, moment = context.person.id, now(context)
    if code.answer == Attendance.attend:
        await call(context, announcements.answer, announcement_id=code.announcement_id, person_id=actor,
                   attendance=Attendance.attend, now=moment, tz=_tz(context))
        await _refresh_buttons(update, context, code.announcement_id)
        await update.effective_chat.send_message(t.ANSWERED.format(answer=t.ANSWER_LABELS[Attendance.attend]))
        return ConversationHandler.END
    # refused now, not after the typing, when it is not theirs or not a 学习
    await call(context, announcements.recipient_buttons, announcement_id=code.announcement_id, person_id=actor)
    context.user_data[REASON] = code.announcement_id
    await update.effective_chat.send_message(t.ASK_REASON)
    return Step.REASON


async def save_reason(update: Update, context: BotContext) -> int:
    announcement_id = context.user_data.get(REASON)
    if not isinstance(announcement_id, int):
        await update.effective_chat.send_message(t.STALE)
        return ConversationHandler.END
    try:
        await call(context, announcements.answer, announcement_id=announcement_id, person_id=context.person.id,
                   attendance=Attendance.leave, reason=update.message.text, now=now(context), tz=_tz(context))
    except DomainError as exc:
        await update.effective_chat.send_message(str(exc))
        return Step.REASON
    context.user_data.pop(REASON, None)
    await update.effective_chat.send_message(t.ANSWERED.format(answer=t.ANSWER_LABELS[Attendance.leave]))
    return ConversationHandler.END


async def wrong_reason(update: Update, context: BotContext) -> int:
    await update.effective_chat.send_message(t.ASK_REASON)
    return Step.REASON


async def cancel(update: Update, context: BotContext) -> int:
    context.user_data.pop(DRAFT, None)
    context.user_data.pop(REASON, None)
    await update.effective_chat.send_message(t.CANCELLED)
    return ConversationHandler.END


async def timed_out(update: Update, context: BotContext) -> None:
    context.user_data.pop(REASON, None)


def build_conversation() -> ConversationHandler:
    return Flow(
        entry_points=[CallbackQueryHandler(new_announcement, pattern=any_of(AnnounceNew)),
                      CallbackQueryHandler(ask_reason, pattern=any_of(AnnounceAnswer))],
        states={
            Step.CONTENT: [
                MessageHandler(filters.TEXT & ~filters.COMMAND, save_content),
                MessageHandler(filters.PHOTO | filters.Document.ALL, save_content),
                MessageHandler(~filters.COMMAND, wrong_content),
            ],
            Step.REASON: [
                MessageHandler(filters.TEXT & ~filters.COMMAND, save_reason),
                MessageHandler(~filters.COMMAND, wrong_reason),
            ],
        },
        fallbacks=[CommandHandler("cancel", cancel)],
        name="announce",
        timeout=TIMEOUT,
        timed_out=timed_out,
    )


# --- the draft's buttons: kind → recipients → preview → send ----------------------------------------------

DRAFT_BUTTONS = (AnnounceKindPick, AnnounceTarget, AnnouncePreview, AnnounceSend, AnnounceCancel)


async def _targets(update: Update, context: BotContext, draft: dict) -> None:
    choices = await call(context, announcements.group_choices)
    chosen = set(draft.get("groups", []))
    count = len(await call(context, announcements.recipients, groups=sorted(chosen), sender_id=context.person.id))
    rows = grid([button(("✅ " if g in chosen else "") + label, AnnounceTarget(g).pack()) for g, label in choices], 2)
    rows.append([button(t.BUTTON_PREVIEW, AnnouncePreview().pack()), button(t.BUTTON_CANCEL, AnnounceCancel().pack())])
    await reply(update, f"{t.ASK_TARGETS}\n{t.TARGETS_COUNT.format(count=count)}", reply_markup=inline(rows), edit=True)


@requires(*SENDER_ROLES)
async def draft_button(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    code = pressed_one_of(update, DRAFT_BUTTONS)
    if isinstance(code, AnnounceCancel):
        context.user_data.pop(DRAFT, None)
        await reply(update, t.CANCELLED, edit=True)
        return
    draft = _draft(context)
    if isinstance(code, AnnounceKindPick):
        draft["kind"] = code.kind.value
        await _targets(update, context, draft)
        return
    if "kind" not in draft:
        raise DomainError(t.STALE)
    if isinstance(code, AnnounceTarget):
        if code.group not in dict(await call(context, announcements.group_choices)):
            raise StaleButton()
        groups = list(draft.get("groups", []))
        groups.remove(code.group) if code.group in groups else groups.append(code.group)
        draft["groups"] = groups
        await _targets(update, context, draft)
        return
    people = await call(context, announcements.recipients, groups=draft.get("groups", []), sender_id=context.person.id)
    if not people:
        raise DomainError(t.NO_TARGETS)
    kind = AnnouncementKind(draft["kind"])
    if isinstance(code, AnnouncePreview):
        labels = dict(await call(context, announcements.group_choices))
        text = t.PREVIEW.format(kind=t.KIND_LABELS[kind], audience=esc("、".join(labels.get(g, "") for g in draft["groups"])),
                                count=len(people), body=esc(t.preview_body(draft.get("text"), draft.get("file_name"))))
        rows = [[button(t.BUTTON_SEND, AnnounceSend().pack()), button(t.BUTTON_CANCEL, AnnounceCancel().pack())]]
        await reply(update, text, reply_markup=inline(rows), edit=True)
        return
    _, count = await call(
        context, announcements.send, sender_id=context.person.id, kind=kind, text=draft.get("text"),
        groups=draft["groups"], now=now(context), file_id=draft.get("file_id"), file_kind=draft.get("file_kind"),
        file_name=draft.get("file_name"), tz=_tz(context))
    context.user_data.pop(DRAFT, None)
    await reply(update, t.SENT.format(kind=t.KIND_LABELS[kind], count=count), edit=True)


# --- recipients and the sender: stateless buttons -----------------------------------------------------------


async def _refresh_buttons(update: Update, context: BotContext, announcement_id: int) -> None:
    rows = await call(context, announcements.recipient_buttons, announcement_id=announcement_id,
                      person_id=context.person.id)
    await update.callback_query.edit_message_reply_markup(keyboard(rows))


@requires()
async def read_button(update: Update, context: BotContext) -> None:
    code = pressed(update, AnnounceRead)
    first = await call(context, announcements.mark_read, announcement_id=code.announcement_id,
                       person_id=context.person.id, now=now(context), tz=_tz(context))
    await _refresh_buttons(update, context, code.announcement_id)
    await update.effective_chat.send_message(t.MARKED_READ if first else t.ALREADY_READ)


@requires(*SENDER_ROLES)
async def sender_button(update: Update, context: BotContext) -> None:
    if not in_private(update):
        raise StaleButton()
    code = pressed_one_of(update, (AnnounceStatus, AnnounceRemind))
    note = ""
    if isinstance(code, AnnounceRemind):
        sent = await call(context, announcements.remind_unread, announcement_id=code.announcement_id,
                          actor_id=context.person.id, now=now(context))
        note = t.REMINDED.format(count=sent) if sent else t.NOBODY_UNREAD
    st = await call(context, announcements.status, announcement_id=code.announcement_id, actor_id=context.person.id)
    text = "\n\n".join(p for p in (note, announcements.status_text(st, _tz(context))) if p)
    await reply(update, text, reply_markup=keyboard(announcements.status_buttons(st.announcement_id,
                                                                                 unread=bool(st.unread))), edit=True)


def handlers() -> list[BaseHandler]:
    """New objects per call: a ConversationHandler keeps per-application state."""
    return [
        build_conversation(),
        CommandHandler("announce", announce_command),
        CallbackQueryHandler(draft_button, pattern=any_of(*DRAFT_BUTTONS)),
        CallbackQueryHandler(read_button, pattern=any_of(AnnounceRead)),
        CallbackQueryHandler(sender_button, pattern=any_of(AnnounceStatus, AnnounceRemind)),
    ]
