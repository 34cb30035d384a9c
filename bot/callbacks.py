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


from models import Agreement, Outcome, ReplyMethod, Satisfaction  # noqa: E402  (each section imports its own words)


@dataclass(frozen=True)
class CaseRefresh(Code):
    """刷新 and « 返回: the card again, in place."""

    TEMPLATE = "case:r:{case_id}"
    case_id: int


@dataclass(frozen=True)
class CaseAssign(Code):
    """分派: the menu (to a person or to a unit)."""

    TEMPLATE = "case:as:{case_id}"
    case_id: int


@dataclass(frozen=True)
class CaseAssignPeople(Code):
    """分派: a page of the people who can be assigned."""

    TEMPLATE = "case:asp:{case_id}:{page}"
    case_id: int
    page: int


@dataclass(frozen=True)
class CaseAssignUnits(Code):
    """分派: a page of the units."""

    TEMPLATE = "case:asu:{case_id}:{page}"
    case_id: int
    page: int


@dataclass(frozen=True)
class CaseAssignPerson(Code):
    """分派 to this person: starts the typed 分派要求."""

    TEMPLATE = "case:ah:{case_id}:{person_id}"
    case_id: int
    person_id: int


@dataclass(frozen=True)
class CaseAssignUnit(Code):
    """分派 to this unit: starts the typed 分派要求."""

    TEMPLATE = "case:au:{case_id}:{unit_id}"
    case_id: int
    unit_id: int


@dataclass(frozen=True)
class CaseProgress(Code):
    """进展: starts the typed 进展 flow."""

    TEMPLATE = "case:pg:{case_id}"
    case_id: int


@dataclass(frozen=True)
class CaseTransfer(Code):
    """转办: starts the typed 转办 flow."""

    TEMPLATE = "case:tr:{case_id}"
    case_id: int


@dataclass(frozen=True)
class CaseDecline(Code):
    """不予受理: starts the typed guidance."""

    TEMPLATE = "case:dc:{case_id}"
    case_id: int


@dataclass(frozen=True)
class CaseSatisfaction(Code):
    """满意度: the levels."""

    TEMPLATE = "case:sf:{case_id}"
    case_id: int


@dataclass(frozen=True)
class CaseSatisfactionLevel(Code):
    """满意度: this level, by its member name."""

    TEMPLATE = "case:sfl:{case_id}:{level}"
    case_id: int
    level: Satisfaction


@dataclass(frozen=True)
class CaseSatisfactionLegacy(Code):
    """A 满意度 button sent before the enums: a position in handlers.common.LEGACY_ORDER."""

    TEMPLATE = "case:sfl:{case_id}:{position}"
    case_id: int
    position: int


@dataclass(frozen=True)
class CaseArchive(Code):
    """归档: asks to confirm."""

    TEMPLATE = "case:ar:{case_id}"
    case_id: int


@dataclass(frozen=True)
class CaseArchiveConfirm(Code):
    """归档, confirmed."""

    TEMPLATE = "case:arc:{case_id}"
    case_id: int


@dataclass(frozen=True)
class CaseConfidential(Code):
    """设为保密."""

    TEMPLATE = "case:cf:{case_id}:1"
    case_id: int


@dataclass(frozen=True)
class CaseUnconfidential(Code):
    """取消保密."""

    TEMPLATE = "case:cf:{case_id}:0"
    case_id: int


@dataclass(frozen=True)
class CaseFiles(Code):
    """附件: the list of the case's files."""

    TEMPLATE = "case:fl:{case_id}"
    case_id: int


@dataclass(frozen=True)
class CaseFile(Code):
    """One file of a case, sent to the chat."""

    TEMPLATE = "case:f:{attachment_id}"
    attachment_id: int


@dataclass(frozen=True)
class CaseLocation(Code):
    """The case's GPS point, sent to the chat."""

    TEMPLATE = "case:loc:{case_id}"
    case_id: int


@dataclass(frozen=True)
class ActionProgressDone(Code):
    """进展: 完成 (what was typed and sent is recorded)."""

    TEMPLATE = "ca:pd:{case_id}"
    case_id: int


@dataclass(frozen=True)
class ActionTransferConfirm(Code):
    """转办: 确认."""

    TEMPLATE = "ca:tc:{case_id}"
    case_id: int


@dataclass(frozen=True)
class ActionOutcome(Code):
    """办结: the outcome, by its member name."""

    TEMPLATE = "ca:ro:{case_id}:{outcome}"
    case_id: int
    outcome: Outcome


@dataclass(frozen=True)
class ActionOutcomeLegacy(Code):
    """An outcome button sent before the enums: a position in handlers.common.LEGACY_ORDER."""

    TEMPLATE = "ca:ro:{case_id}:{position}"
    case_id: int
    position: int


@dataclass(frozen=True)
class ActionAgreement(Code):
    """办结: the agreement, by its member name."""

    TEMPLATE = "ca:ra:{case_id}:{agreement}"
    case_id: int
    agreement: Agreement


@dataclass(frozen=True)
class ActionAgreementLegacy(Code):
    """An agreement button sent before the enums: a position in handlers.common.LEGACY_ORDER."""

    TEMPLATE = "ca:ra:{case_id}:{position}"
    case_id: int
    position: int


@dataclass(frozen=True)
class ActionReplyMethod(Code):
    """答复: the method, by its member name."""

    TEMPLATE = "ca:rm:{case_id}:{method}"
    case_id: int
    method: ReplyMethod


@dataclass(frozen=True)
class ActionReplyMethodLegacy(Code):
    """A reply-method button sent before the enums: a position in handlers.common.LEGACY_ORDER."""

    TEMPLATE = "ca:rm:{case_id}:{position}"
    case_id: int
    position: int


@dataclass(frozen=True)
class ActionRepliedNow(Code):
    """答复: 刚刚."""

    TEMPLATE = "ca:rw:{case_id}:now"
    case_id: int


@dataclass(frozen=True)
class ActionRepliedToday(Code):
    """答复: earlier today (the hours follow)."""

    TEMPLATE = "ca:rw:{case_id}:today"
    case_id: int


@dataclass(frozen=True)
class ActionRepliedAt(Code):
    """答复: at this whole hour of today."""

    TEMPLATE = "ca:rw:{case_id}:{hour}"
    case_id: int
    hour: int


@dataclass(frozen=True)
class ActionAssignSkipNote(Code):
    """分派: 跳过 the instructions."""

    TEMPLATE = "ca:an:{case_id}"
    case_id: int


@dataclass(frozen=True)
class ActionCancel(Code):
    """取消 in a typed case action."""

    TEMPLATE = "ca:x:{case_id}"
    case_id: int


class MyCasesTab(Enum):
    """/mycases's tab, by the letter its buttons carry; the value is the scope of cases.list_cases."""

    r = "reported"
    a = "assigned"
    v = "villages"


class CaseListState(Enum):
    """The open/closed/all filter of /mycases and /search, by its letter; the value is the service's."""

    o = "open"
    c = "closed"
    a = "all"


@dataclass(frozen=True)
class MyCases(Code):
    """/mycases: a tab, a filter and a page."""

    TEMPLATE = "my:{tab}:{state}:{page}"
    tab: MyCasesTab
    state: CaseListState
    page: int


@dataclass(frozen=True)
class SearchPage(Code):
    """/search: a filter and a page of one search (its serial: an older search's buttons go stale)."""

    TEMPLATE = "sr:{serial}:{state}:{page}"
    serial: int
    state: CaseListState
    page: int


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


# The card's action (cases.allowed_actions: the TRANSITIONS and the 保密 switch) → its button's code.
CASE_ACTIONS: dict[str, type[Code]] = {
    "accept": CaseAccept, "assign": CaseAssign, "progress": CaseProgress, "transfer": CaseTransfer,
    "resolve": CaseResolve, "reply": CaseReply, "satisfaction": CaseSatisfaction, "archive": CaseArchive,
    "decline": CaseDecline, "confidential": CaseConfidential, "unconfidential": CaseUnconfidential,
}


# ---- deadlines (dl:), reminders (rem:) and urgent alerts (urg:)
# (codes of this section go here, below this line)


@dataclass(frozen=True)
class DeadlineSet(Code):
    """设定期限 (a reminder offers it when a case has none)."""

    TEMPLATE = "dl:set:{case_id}"
    case_id: int


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
