"""Small pieces the step-by-step flows share: dates typed or pressed, files sent, text fitted
into a Telegram message, a notification marked as handled."""

import logging
import re
from dataclasses import asdict
from datetime import date

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import ConversationHandler

from bot import texts
from bot.services.cases import FileInput
from handlers.common import StaleButton, callback_parts, int_part

log = logging.getLogger(__name__)

CARD_LIMIT = 3900  # Telegram allows 4096 (UTF-16 units); keep room for the notice and markup
DATE_RE = re.compile(r"^(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(text: str, today: date) -> date | None:
    """2026-12-10, 2026/12/10, 2026年12月10日, or without the year (12-10, 12月10日: the next such day)."""
    match = DATE_RE.match(" ".join(text.split()))
    if match is None:
        return None
    year, month, day = match.groups()
    try:
        if year:
            return date(int(year), int(month), int(day))
        found = date(today.year, int(month), int(day))
        return found if found >= today else date(today.year + 1, int(month), int(day))
    except ValueError:
        return None


def date_label(day: date) -> str:
    return texts.DL_DATE_LABEL.format(month=day.month, day=day.day, weekday=texts.DL_WEEKDAYS[day.weekday()])


def file_input(message: Message) -> dict:
    if message.photo:
        media, kind = message.photo[-1], "photo"
    else:
        kind = next(k for k in ("video", "voice", "audio", "document") if getattr(message, k))
        media = getattr(message, kind)
    name = getattr(media, "file_name", None)
    mime = getattr(media, "mime_type", None)
    return asdict(FileInput(kind=kind, file_id=media.file_id, file_unique_id=media.file_unique_id,
                            file_name=name[:200] if name else None, mime_type=mime[:100] if mime else None,
                            size=media.file_size))


def clip(value: object, limit: int) -> str:
    """Shorten plain text before it is escaped, so no tag or entity is ever cut in half."""
    text = str(value or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def line(value: object, limit: int) -> str:
    """One line: history notes and list rows never break the layout."""
    return clip(" ".join(str(value or "").split()), limit)


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def without_buttons(markup: InlineKeyboardMarkup | None, prefix: str) -> InlineKeyboardMarkup | None:
    """The message's keyboard minus the buttons whose data starts with `prefix`."""
    if markup is None:
        return None
    rows = [[b for b in row if not str(b.callback_data or "").startswith(prefix)] for row in markup.inline_keyboard]
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(rows) if rows else None


async def mark_done(update: Update, mark: str, drop: str) -> None:
    """Add a line (e.g. ✅ 已确认) to the notification that was pressed and drop its one-time buttons.

    Cosmetic: the change is already committed, so a message Telegram no longer lets us edit is
    only logged.
    """
    message = update.callback_query.message
    if not isinstance(message, Message):
        return
    text = message.text_html or ""
    if not text.endswith(mark):
        text = f"{text}\n\n{mark}"
    try:
        await update.callback_query.edit_message_text(text, reply_markup=without_buttons(message.reply_markup, drop))
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            log.warning("could not mark message %s: %s", message.message_id, exc)


class Drafts:
    """One flow's draft in user_data (JSON, so it survives a restart), bound to one case or notice.

    A button from another (older) prompt is stale; a typed message without a draft (lost, timed
    out) gets None and the step ends with `lost`.
    """

    def __init__(self, key: str, *, subject: str, lost_text: str):
        self.key, self.subject, self.lost_text = key, subject, lost_text

    def get(self, update: Update, context, *actions: str) -> dict | None:
        draft = context.user_data.get(self.key)
        if not draft or draft.get("action") not in actions:
            if update.callback_query is not None:
                raise StaleButton()
            return None
        if update.callback_query is not None and int_part(callback_parts(update), 2) != draft.get(self.subject):
            raise StaleButton()
        return draft

    async def lost(self, update: Update, context) -> int:
        context.user_data.pop(self.key, None)
        await update.effective_chat.send_message(self.lost_text)
        return ConversationHandler.END
