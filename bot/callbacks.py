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


# ---- 包案 (ba:)
# (codes of this section go here, below this line)

# Here, not at the top: each section imports its own words (four branches edit this file).
from models import NoticeLevel, Outcome  # noqa: E402

# mark_done drops a 包案 notification's one-time buttons by this prefix (批准, 另选领导, 不同意 …).
BAOAN_FAMILY = "ba:"


def paged_prefix(code: Code) -> str:
    """What bot.keyboards.pager puts before ':<page>': a paged code (its TEMPLATE ends in ':{page}')
    packed, less its page."""
    return code.pack().rsplit(":", 1)[0]


@dataclass(frozen=True)
class BaoanPropose(Code):
    """申请包案 (on the card)."""

    TEMPLATE = "ba:new:{case_id}"
    case_id: int


@dataclass(frozen=True)
class BaoanPlan(Code):
    """调处方案 (on the card)."""

    TEMPLATE = "ba:plan:{case_id}"
    case_id: int


@dataclass(frozen=True)
class BaoanExtend(Code):
    """申请延期 (on the card)."""

    TEMPLATE = "ba:ext:{case_id}"
    case_id: int


@dataclass(frozen=True)
class BaoanComplete(Code):
    """包案办结 (on the card)."""

    TEMPLATE = "ba:done:{case_id}"
    case_id: int


@dataclass(frozen=True)
class BaoanLeader(Code):
    """申请包案: the leader proposed."""

    TEMPLATE = "ba:pl:{case_id}:{leader_id}"
    case_id: int
    leader_id: int


@dataclass(frozen=True)
class BaoanProposeConfirm(Code):
    """申请包案: 提交."""

    TEMPLATE = "ba:pc:{case_id}"
    case_id: int


@dataclass(frozen=True)
class BaoanApprove(Code):
    """The secretary's 批准 on a proposal."""

    TEMPLATE = "ba:ok:{request_id}"
    request_id: int


@dataclass(frozen=True)
class BaoanPick(Code):
    """另选领导: the proposal's buttons become the leaders."""

    TEMPLATE = "ba:pick:{request_id}"
    request_id: int


@dataclass(frozen=True)
class BaoanPicked(Code):
    """另选领导: this leader."""

    TEMPLATE = "ba:pk:{request_id}:{leader_id}"
    request_id: int
    leader_id: int


@dataclass(frozen=True)
class BaoanBack(Code):
    """另选领导 « 返回: the decision buttons again."""

    TEMPLATE = "ba:back:{request_id}:{case_id}"
    request_id: int
    case_id: int


@dataclass(frozen=True)
class BaoanRefuse(Code):
    """The secretary's 不同意: starts the typed reason."""

    TEMPLATE = "ba:no:{request_id}"
    request_id: int


@dataclass(frozen=True)
class BaoanApproveExtension(Code):
    """批准延期."""

    TEMPLATE = "ba:xok:{request_id}"
    request_id: int


@dataclass(frozen=True)
class BaoanRefuseExtension(Code):
    """驳回延期: starts the typed note."""

    TEMPLATE = "ba:xno:{request_id}"
    request_id: int


@dataclass(frozen=True)
class BaoanDate(Code):
    """A date button (the plan's deadline, or an extension's new date)."""

    TEMPLATE = "ba:d:{case_id}:{day}"
    case_id: int
    day: date


@dataclass(frozen=True)
class BaoanKeepDue(Code):
    """调处方案: keep the current deadline."""

    TEMPLATE = "ba:keep:{case_id}"
    case_id: int


@dataclass(frozen=True)
class BaoanExtensionConfirm(Code):
    """申请延期: 提交."""

    TEMPLATE = "ba:xc:{case_id}"
    case_id: int


@dataclass(frozen=True)
class BaoanOutcome(Code):
    """包案办结: the outcome, by its member name."""

    TEMPLATE = "ba:o:{case_id}:{outcome}"
    case_id: int
    outcome: Outcome


@dataclass(frozen=True)
class BaoanOutcomeLegacy(Code):
    """An outcome button sent before the enums: a position in handlers.common.LEGACY_ORDER."""

    TEMPLATE = "ba:o:{case_id}:{position}"
    case_id: int
    position: int


@dataclass(frozen=True)
class BaoanFilesDone(Code):
    """包案办结: the closing files are all sent."""

    TEMPLATE = "ba:fd:{case_id}"
    case_id: int


@dataclass(frozen=True)
class BaoanNoJoint(Code):
    """包案办结: finish without a joint-handling notice."""

    TEMPLATE = "ba:jn:{case_id}"
    case_id: int


@dataclass(frozen=True)
class BaoanCancel(Code):
    """取消 in the 包案 flow (case 0: an extension refusal, which has no case in its draft)."""

    TEMPLATE = "ba:x:{case_id}"
    case_id: int


@dataclass(frozen=True)
class BaoanList(Code):
    """/baoan: a filter ("o" open, "a" all) and a page."""

    TEMPLATE = "ba:ls:{state}:{page}"
    state: str
    page: int


# ---- 督办: notices (sv:, nt:), the director's form (svd:), the lists (svl:, svu:)
# (codes of this section go here, below this line)


@dataclass(frozen=True)
class SuperviseCase(Code):
    """督办 this case: opens the director's notice form from the card or a reminder."""

    TEMPLATE = "sv:new:{case_id}"
    case_id: int


class ListState(Enum):
    """/supervisions's state filter, by the letter its buttons carry."""

    o = "open"
    x = "overdue"
    a = "all"


# /supervisions's level filter: "-" all levels, else the letter of a level (the functional form
# allows a member named "-").
ListLevel = Enum("ListLevel", [("-", None), ("n", NoticeLevel.normal), ("y", NoticeLevel.yellow),
                               ("r", NoticeLevel.red)])


@dataclass(frozen=True)
class NoticeOpen(Code):
    """Open a notice's card (on every notification about a notice)."""

    TEMPLATE = "sv:view:{notice_id}"
    notice_id: int


@dataclass(frozen=True)
class NoticeSign(Code):
    """签收."""

    TEMPLATE = "sv:sign:{notice_id}"
    notice_id: int


@dataclass(frozen=True)
class NoticeDoc(Code):
    """The notice as a document."""

    TEMPLATE = "sv:doc:{notice_id}"
    notice_id: int


@dataclass(frozen=True)
class NoticeRefresh(Code):
    """刷新 the card (its presence also tells a card from a notification)."""

    TEMPLATE = "nt:r:{notice_id}"
    notice_id: int


@dataclass(frozen=True)
class NoticeProgress(Code):
    """The unit's 进展: starts collecting text and files."""

    TEMPLATE = "nt:pg:{notice_id}"
    notice_id: int


@dataclass(frozen=True)
class NoticeResult(Code):
    """The unit's 结果: starts collecting text and files."""

    TEMPLATE = "nt:rs:{notice_id}"
    notice_id: int


@dataclass(frozen=True)
class NoticeOverdueReason(Code):
    """The unit's 逾期说明: starts collecting text and files."""

    TEMPLATE = "sv:reason:{notice_id}"
    notice_id: int


@dataclass(frozen=True)
class NoticeAnswer(Code):
    """Answer a 调阅/汇报 request (the entry of the request)."""

    TEMPLATE = "sv:ans:{entry_id}"
    entry_id: int


@dataclass(frozen=True)
class NoticeParty(Code):
    """当事人告知 recorded."""

    TEMPLATE = "sv:party:{notice_id}"
    notice_id: int


@dataclass(frozen=True)
class NoticeAccept(Code):
    """认可结果."""

    TEMPLATE = "sv:ok:{notice_id}"
    notice_id: int


@dataclass(frozen=True)
class NoticeReissue(Code):
    """不认可, 重新督办."""

    TEMPLATE = "sv:re:{notice_id}"
    notice_id: int


@dataclass(frozen=True)
class NoticeMaterials(Code):
    """调阅材料."""

    TEMPLATE = "nt:m:{notice_id}"
    notice_id: int


@dataclass(frozen=True)
class NoticeBriefing(Code):
    """要求汇报."""

    TEMPLATE = "nt:b:{notice_id}"
    notice_id: int


@dataclass(frozen=True)
class NoticeClose(Code):
    """结案."""

    TEMPLATE = "nt:cl:{notice_id}"
    notice_id: int


@dataclass(frozen=True)
class NoticeTransfer(Code):
    """移送."""

    TEMPLATE = "nt:tf:{notice_id}"
    notice_id: int


@dataclass(frozen=True)
class NoticeCollectDone(Code):
    """完成: what was collected is recorded."""

    TEMPLATE = "nt:done:{notice_id}"
    notice_id: int


@dataclass(frozen=True)
class NoticeAcceptDirect(Code):
    """认可, without a note."""

    TEMPLATE = "nt:okd:{notice_id}"
    notice_id: int


@dataclass(frozen=True)
class NoticeAcceptWithNote(Code):
    """认可, with a note."""

    TEMPLATE = "nt:okn:{notice_id}"
    notice_id: int


@dataclass(frozen=True)
class NoticeReissueDate(Code):
    """重新督办: the new deadline."""

    TEMPLATE = "nt:d:{notice_id}:{day}"
    notice_id: int
    day: date


@dataclass(frozen=True)
class NoticeReissueLevel(Code):
    """重新督办: the new level."""

    TEMPLATE = "nt:lv:{notice_id}:{level}"
    notice_id: int
    level: NoticeLevel


@dataclass(frozen=True)
class NoticeConfirm(Code):
    """确认 (重新督办, 结案, 移送)."""

    TEMPLATE = "nt:c:{notice_id}"
    notice_id: int


@dataclass(frozen=True)
class NoticeUseDefault(Code):
    """调阅/汇报 with the default wording."""

    TEMPLATE = "nt:def:{notice_id}"
    notice_id: int


@dataclass(frozen=True)
class NoticeCancel(Code):
    """取消 in the notice flow."""

    TEMPLATE = "nt:x:{notice_id}"
    notice_id: int


@dataclass(frozen=True)
class DirectorCancel(Code):
    """The director's form (svd:<draft>:…, draft = the form's serial in user_data): 取消."""

    TEMPLATE = "svd:{draft}:x"
    draft: int


@dataclass(frozen=True)
class DirectorUnit(Code):
    """The form: this unit."""

    TEMPLATE = "svd:{draft}:u:{unit_id}"
    draft: int
    unit_id: int


@dataclass(frozen=True)
class DirectorUnitPage(Code):
    """The form: a page of units."""

    TEMPLATE = "svd:{draft}:up:{page}"
    draft: int
    page: int


@dataclass(frozen=True)
class DirectorDue(Code):
    """The form: this deadline."""

    TEMPLATE = "svd:{draft}:d:{day}"
    draft: int
    day: date


@dataclass(frozen=True)
class DirectorLevel(Code):
    """The form: a level by its letter (n, y, r; handlers.supervise.LEVELS)."""

    TEMPLATE = "svd:{draft}:l:{level}"
    draft: int
    level: str


@dataclass(frozen=True)
class DirectorSource(Code):
    """The form: a source (NoticeSource value)."""

    TEMPLATE = "svd:{draft}:s:{source}"
    draft: int
    source: str


@dataclass(frozen=True)
class DirectorLevelDone(Code):
    """The form: level and source chosen, 下一步."""

    TEMPLATE = "svd:{draft}:ln"
    draft: int


@dataclass(frozen=True)
class DirectorFeedbackDefault(Code):
    """The form: the default feedback wording."""

    TEMPLATE = "svd:{draft}:fd"
    draft: int


@dataclass(frozen=True)
class DirectorCcPerson(Code):
    """The form: 抄送 this leader (pressed again: off)."""

    TEMPLATE = "svd:{draft}:cp:{person_id}"
    draft: int
    person_id: int


@dataclass(frozen=True)
class DirectorCcUnit(Code):
    """The form: 抄送 this unit (pressed again: off)."""

    TEMPLATE = "svd:{draft}:cu:{unit_id}"
    draft: int
    unit_id: int


@dataclass(frozen=True)
class DirectorCcPage(Code):
    """The form: a page of 抄送 choices."""

    TEMPLATE = "svd:{draft}:cg:{page}"
    draft: int
    page: int


@dataclass(frozen=True)
class DirectorCcDone(Code):
    """The form: 抄送 chosen."""

    TEMPLATE = "svd:{draft}:cd"
    draft: int


@dataclass(frozen=True)
class DirectorNoCc(Code):
    """The form: 不抄送."""

    TEMPLATE = "svd:{draft}:cn"
    draft: int


@dataclass(frozen=True)
class DirectorConfirm(Code):
    """The form: 确认下达."""

    TEMPLATE = "svd:{draft}:ok"
    draft: int


@dataclass(frozen=True)
class DirectorEdit(Code):
    """The form: 修改 (the menu of fields)."""

    TEMPLATE = "svd:{draft}:ed"
    draft: int


@dataclass(frozen=True)
class DirectorEditField(Code):
    """The form: 修改 this field (handlers.supervise.EDIT_STATES)."""

    TEMPLATE = "svd:{draft}:e:{field}"
    draft: int
    field: str


@dataclass(frozen=True)
class DirectorBack(Code):
    """The form: back to the preview."""

    TEMPLATE = "svd:{draft}:bk"
    draft: int


@dataclass(frozen=True)
class NoticeList(Code):
    """/supervisions: filters (state, unit, level; 0 and - for all) and a page."""

    TEMPLATE = "svl:{state}:{unit_id}:{level}:{page}"
    state: ListState
    unit_id: int
    level: ListLevel
    page: int


@dataclass(frozen=True)
class NoticeListUnits(Code):
    """/supervisions: pick a unit to filter by (a page of units)."""

    TEMPLATE = "svu:{state}:{level}:{page}"
    state: ListState
    level: ListLevel
    page: int


# ---- /report (rp:), /visit (vs:), 信息报告 (ir:, grp:)
# (codes of this section go here, below this line)


# ---- /admin (adm:), /calendar (cal:), /duty (duty:), invitations (inv:)
# (codes of this section go here, below this line)
