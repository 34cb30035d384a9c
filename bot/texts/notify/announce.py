"""Notifications of 传达 (bot/services/announcements.py): the message itself, the one-press
reminder to the unread, the sender's own reminder after working hours, and the sender's status."""

from bot.texts import announce as t
from bot.texts.markup import escape
from models.announcements import AnnouncementKind

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


def status(st, *, when: str) -> str:
    """The sender's status of a 传达 (`st`: announcements.Status) sent at `when` (local): 已阅 n/m,
    who has not read it, who cannot be reached, and for 学习 the attendance."""
    lines = [t.STATUS.format(kind=t.KIND_LABELS[st.kind], date=when, body=_e(t.preview_body(st.text, st.file_name)),
                             read=st.read, total=st.total)]
    if st.unread:
        lines.append(t.UNREAD.format(names=_e("、".join(st.unread))))
    if st.unreachable:
        lines.append(t.UNREACHABLE.format(names=_e("、".join(st.unreachable))))
    if st.kind == AnnouncementKind.study:  # 学习 takes attendance
        lines.append(t.ATTEND.format(attend=st.attend, leave=len(st.leave)))
        lines += [t.LEAVE_ROW.format(name=_e(n), reason=_e(r)) for n, r in st.leave]
    return "\n".join(lines)
