"""Every button code of the bot, defined once: services put `Code(...).pack()` on the buttons they
queue, handlers register `Code.pattern()` and read `Code.parse(query.data)`. No telegram import, so
outbox rows can carry them. Telegram allows 64 bytes of callback data (tests/test_callbacks.py).

A code is a frozen dataclass with a TEMPLATE such as "case:v:{case_id}"; each field's type decides
what it matches: int (up to 19 digits, may be negative), str (a token of at most 24 letters, digits,
_ and -), date (YYYY-MM-DD), or an Enum (its member *name*, never a list position). Codes are stored in
people's chats: change a TEMPLATE only by adding a new code and keeping the old one answering."""

import re
import string
from dataclasses import dataclass, fields
from datetime import date
from enum import Enum
from functools import cache
from typing import ClassVar, Self, get_type_hints

MAX_BYTES = 64  # Telegram's limit on callback_data

_FIELD_RE = {int: r"-?\d{1,19}", str: r"[\w-]{1,24}", date: r"\d{4}-\d{2}-\d{2}"}


@dataclass(frozen=True)
class Code:
    TEMPLATE: ClassVar[str]

    def pack(self) -> str:
        values = {f.name: _pack(getattr(self, f.name)) for f in fields(self)}
        return self.TEMPLATE.format(**values)

    @classmethod
    def pattern(cls) -> str:
        return _compiled(cls).pattern

    @classmethod
    def parse(cls, data: str | None) -> Self:
        """ValueError for anything this code did not pack: handlers answer it as a stale button."""
        match = _compiled(cls).match(data or "")
        if match is None:
            raise ValueError(data)
        hints = get_type_hints(cls)
        return cls(**{name: _unpack(hints[name], raw) for name, raw in match.groupdict().items()})


def _pack(value) -> str:
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _unpack(kind: type, raw: str):
    if isinstance(kind, type) and issubclass(kind, Enum):
        try:
            return kind[raw]
        except KeyError:
            raise ValueError(raw) from None
    if kind is date:
        return date.fromisoformat(raw)
    return kind(raw)


def any_of(*codes: type[Code]) -> str:
    """One pattern for several codes (a conversation step that takes any of them)."""
    return "|".join(f"(?:{_regex(code, named=False)})" for code in codes)


@cache
def _compiled(cls: type[Code]) -> re.Pattern:
    return re.compile(_regex(cls, named=True))


def _regex(cls: type[Code], *, named: bool) -> str:
    hints = get_type_hints(cls)
    out = ["^"]
    for literal, name, _spec, _conv in string.Formatter().parse(cls.TEMPLATE):
        out.append(re.escape(literal))
        if name is not None:
            kind = hints[name]
            if isinstance(kind, type) and issubclass(kind, Enum):
                body = "|".join(re.escape(m.name) for m in kind)
            else:
                body = _FIELD_RE[kind]
            out.append(f"(?P<{name}>{body})" if named else f"(?:{body})")
    out.append("$")
    return "".join(out)


def all_codes() -> list[type[Code]]:
    """Every code class defined here (the 64-byte test walks them)."""
    found, todo = [], list(Code.__subclasses__())
    while todo:
        cls = todo.pop()
        if cls.__module__ == __name__:
            found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


# ---- codes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseView(Code):
    """Open a case card (on every notification about a case)."""

    TEMPLATE = "case:v:{case_id}"
    case_id: int


# ---- the case card, one-press case buttons and typed case actions (case:, ca:), /mycases (my:), /search (sr:)
# (codes of this section go here, below this line)


@dataclass(frozen=True)
class CaseAccept(Code):
    """受理 from a notification or the card."""

    TEMPLATE = "case:acc:{case_id}"
    case_id: int


@dataclass(frozen=True)
class CaseResolve(Code):
    """办结: starts the typed 办结 flow."""

    TEMPLATE = "case:rs:{case_id}"
    case_id: int


@dataclass(frozen=True)
class CaseReply(Code):
    """答复: starts the typed 答复 flow."""

    TEMPLATE = "case:rp:{case_id}"
    case_id: int


# ---- deadlines (dl:), reminders (rem:) and urgent alerts (urg:)
# (codes of this section go here, below this line)


@dataclass(frozen=True)
class DeadlineSet(Code):
    """设定期限 (a reminder offers it when a case has none)."""

    TEMPLATE = "dl:set:{case_id}"
    case_id: int


@dataclass(frozen=True)
class DeadlineExtend(Code):
    """申请延期 on the card: starts the typed request (reason, date, confirm)."""

    TEMPLATE = "dl:ext:{case_id}"
    case_id: int


@dataclass(frozen=True)
class DeadlinePause(Code):
    """挂起 on the card: starts the typed request (reason, confirm)."""

    TEMPLATE = "dl:pause:{case_id}"
    case_id: int


@dataclass(frozen=True)
class DeadlineResume(Code):
    """恢复计时 on the card: starts the typed request (reason, confirm)."""

    TEMPLATE = "dl:resume:{case_id}"
    case_id: int


@dataclass(frozen=True)
class DeadlineDate(Code):
    """A date offered while asking for a new deadline (申请延期, 设定期限)."""

    TEMPLATE = "dl:d:{case_id}:{day}"
    case_id: int
    day: date


@dataclass(frozen=True)
class DeadlineConfirm(Code):
    """提交 / 设定 at the end of the typed flow."""

    TEMPLATE = "dl:c:{case_id}"
    case_id: int


@dataclass(frozen=True)
class DeadlineCancel(Code):
    """取消 in any step of the typed flow."""

    TEMPLATE = "dl:x:{case_id}"
    case_id: int


@dataclass(frozen=True)
class DeadlineApprove(Code):
    """批准 on the message that asks the leaders to decide a request."""

    TEMPLATE = "dl:ok:{request_id}"
    request_id: int


@dataclass(frozen=True)
class DeadlineRefuse(Code):
    """驳回 on the same message: starts the typed reason."""

    TEMPLATE = "dl:no:{request_id}"
    request_id: int


# A decided approval message loses every button of this family (批准 and 驳回; 查看 stays): the
# handler drops them by this prefix of their data.
DEADLINE_FAMILY = "dl:"


@dataclass(frozen=True)
class ReminderAck(Code):
    """收到 on a deadline reminder."""

    TEMPLATE = "rem:ack:{reminder_id}"
    reminder_id: int


@dataclass(frozen=True)
class UrgentAck(Code):
    """收到 on an urgent alert."""

    TEMPLATE = "urg:ack:{alert_id}"
    alert_id: int


# ---- 包案 (ba:)
# (codes of this section go here, below this line)


# ---- 督办: notices (sv:, nt:), the director's form (svd:), the lists (svl:, svu:)
# (codes of this section go here, below this line)


@dataclass(frozen=True)
class SuperviseCase(Code):
    """督办 this case: opens the director's notice form from the card or a reminder."""

    TEMPLATE = "sv:new:{case_id}"
    case_id: int


# ---- /report (rp:), /visit (vs:), 信息报告 (ir:, grp:)
# (codes of this section go here, below this line)


# ---- /admin (adm:), /calendar (cal:), /duty (duty:), invitations (inv:)
# (codes of this section go here, below this line)
