"""A case's summary line as shown in a notification (several features' notifications show it)."""

from bot import texts
from bot.texts.markup import escape


def line(summary: str, *, confidential: bool) -> str:
    """The summary, escaped (a "<" in a description would make Telegram refuse the whole message),
    or a placeholder for a confidential case."""
    return texts.CONFIDENTIAL_SUMMARY if confidential else escape(summary)
