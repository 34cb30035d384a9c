"""Notifications of deadline reminders (bot/services/reminders.py)."""

from bot.texts.markup import escape
from bot.texts.notify import summary as _summary

REMINDER = "{step}：事项 {number}\n{type}｜{summary}\n期限：{due}（{light}）\n请抓紧办理；确需延期请申请，办结后请在卡片上点「办结」。"
ACKED_COPY = "✅ 已由 {name} 于 {at} 确认收到。"
ACKED_YOURS = "✅ 您已确认（{at}）。"


def reminder(*, step: str, number: str, type: str, summary: str, confidential: bool, due: str, light: str) -> str:
    """One step of the reminders (`step` is its label, `due` and `light` as shown)."""
    return REMINDER.format(step=step, number=escape(number), type=escape(type),
                           summary=_summary.line(summary, confidential=confidential), due=due, light=light)


def acked(*, sent: str, taker: str, at: str, yours: bool) -> str:
    """A copy of the reminder as it was `sent` (its HTML), now saying who acknowledged it and when."""
    mark = ACKED_YOURS.format(at=at) if yours else ACKED_COPY.format(name=escape(taker), at=at)
    return f"{sent}\n\n{mark}"
