"""Small builders for the keyboards people press on their phones."""

from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from bot import texts
from bot.callbacks import Code


@lru_cache(maxsize=4096)
def button(text: str, data: str) -> InlineKeyboardButton:
    # A button is immutable, and the same ones come back at every step of every flow.
    return InlineKeyboardButton(text, callback_data=data)


def inline(rows: Iterable[Sequence[InlineKeyboardButton]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([list(r) for r in rows if r])


def keyboard(rows: Iterable[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup | None:
    """The services' (label, data) rows as an inline keyboard, or None when there is no button
    (Telegram refuses an empty one)."""
    rows = [[button(label, data) for label, data in row] for row in rows]
    return inline(rows) if any(rows) else None


def grid(buttons: Sequence[InlineKeyboardButton], columns: int = 2) -> list[list[InlineKeyboardButton]]:
    """Lay buttons out in rows of `columns`: Chinese names fit two to a row on a phone."""
    return [list(buttons[i : i + columns]) for i in range(0, len(buttons), columns)]


def code_pager(code: Code, pages: int) -> list[InlineKeyboardButton]:
    """The pager for a code with a `page` field (the page shown): the same code on the page before
    and after it."""
    row = []
    if code.page > 0:
        row.append(button("« 上一页", replace(code, page=code.page - 1).pack()))
    if code.page < pages - 1:
        row.append(button("下一页 »", replace(code, page=code.page + 1).pack()))
    return row


def share_phone(label: str = texts.REG_SHARE_PHONE) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        [[KeyboardButton(label, request_contact=True)]], resize_keyboard=True, one_time_keyboard=True
    )
