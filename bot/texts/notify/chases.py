"""Notifications of chases: a case waiting on the center for 受理 or 答复 (bot/services/chases.py)."""

from bot.texts.markup import escape
from bot.texts.notify import summary as _summary

ACCEPT = "⏰ 待受理：事项 {number}\n{type}｜{summary}\n登记于 {created}，至今未受理。请受理；不属于中心职责的，请「不予受理」并告知办理途径。"
ACCEPT_DIRECTOR = "⏰ 未受理督促：事项 {number}\n{type}｜{summary}\n登记于 {created}，已提醒受理台，仍未受理。请督促受理或直接受理。"
REPLY = "📞 待答复：事项 {number}\n{type}｜{summary}\n已于 {resolved} 办结，还没有登记答复当事人。请答复当事人后点「答复」登记。"
REPLY_DIRECTOR = "📞 未答复督促：事项 {number}\n{type}｜{summary}\n已于 {resolved} 办结，已提醒经办人，仍未答复当事人。请督促答复。"


def _fields(number: str, type: str, summary: str, confidential: bool) -> dict:
    return dict(number=escape(number), type=escape(type), summary=_summary.line(summary, confidential=confidential))


def accept(*, number: str, type: str, summary: str, confidential: bool, created: str) -> str:
    """To the case desk: not yet accepted since `created`."""
    return ACCEPT.format(created=created, **_fields(number, type, summary, confidential))


def accept_director(*, number: str, type: str, summary: str, confidential: bool, created: str) -> str:
    """To the director: the desk was chased and the case is still not accepted."""
    return ACCEPT_DIRECTOR.format(created=created, **_fields(number, type, summary, confidential))


def reply(*, number: str, type: str, summary: str, confidential: bool, resolved: str) -> str:
    """To the handler: resolved on `resolved`, the parties not yet told."""
    return REPLY.format(resolved=resolved, **_fields(number, type, summary, confidential))


def reply_director(*, number: str, type: str, summary: str, confidential: bool, resolved: str) -> str:
    """To the director: the handler was chased and the parties are still not told."""
    return REPLY_DIRECTOR.format(resolved=resolved, **_fields(number, type, summary, confidential))
