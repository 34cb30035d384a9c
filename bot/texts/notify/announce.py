"""Notifications of 传达 (bot/services/announcements.py): the message itself, the one-press
reminder to the unread, and the sender's own reminder after working hours."""

from bot.texts.markup import escape

MESSAGE = "【{kind}】{sender}\n{body}"
REMINDER = "【提醒】请阅读{sender}发来的传达：{kind}\n{body}"
SENDER_REMINDER = "您{when}发的传达「{kind}」还有 {unread} 人未阅：{names}"


def _e(value) -> str:
    return escape(value if value is not None else "")


def message(*, kind: str, sender: str, body: str | None) -> str:
    return MESSAGE.format(kind=kind, sender=_e(sender), body=_e(body))


def reminder(*, kind: str, sender: str, body: str | None) -> str:
    return REMINDER.format(kind=kind, sender=_e(sender), body=_e(body))


def sender_reminder(*, when: str, kind: str, names: list[str]) -> str:
    return SENDER_REMINDER.format(when=when, kind=kind, unread=len(names), names=_e("、".join(names)))
