"""Notifications of 上级交办 (bot/services/assignments.py). Everything typed is escaped here."""

from bot.texts import assignments as t
from bot.texts.markup import escape


def chase(*, number: str, due: str, assigner: str, reference: str | None) -> str:
    return t.CHASE.format(number=escape(number), due=due, assigner=escape(assigner),
                          reference=escape(t.reference_part(reference)))
