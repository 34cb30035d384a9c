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
        """ValueError for anything this code did not pack (it must pack back to the very same data:
        "01" or "-0" were never sent): handlers answer it as a stale button."""
        match = _compiled(cls).match(data or "")
        if match is None:
            raise ValueError(data)
        hints = _hints(cls)
        found = cls(**{name: _unpack(hints[name], raw) for name, raw in match.groupdict().items()})
        if found.pack() != data:
            raise ValueError(data)
        return found


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
def _hints(cls: type[Code]) -> dict[str, type]:
    return get_type_hints(cls)  # resolving annotations is slow; it runs on every press


@cache
def _compiled(cls: type[Code]) -> re.Pattern:
    return re.compile(_regex(cls, named=True))


def _regex(cls: type[Code], *, named: bool) -> str:
    hints = _hints(cls)
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

# Here, not at the top: each section imports its own words (four branches edit this file).
from models import NoticeLevel, Outcome  # noqa: E402

# mark_done drops a 包案 notification's one-time buttons by this prefix (批准, 另选领导, 不同意 …).
BAOAN_FAMILY = "ba:"




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
class BaoanUpper(Code):
    """上级协调 (on the card): the 包案领导 records contacting a higher department."""

    TEMPLATE = "ba:up:{case_id}"
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
class DirectorPickKind(Code):
    """The form: pick among units (u) or people (p): 承办单位 or 承办人员."""

    TEMPLATE = "svd:{draft}:to:{kind}"
    draft: int
    kind: str


@dataclass(frozen=True)
class DirectorPerson(Code):
    """The form: this person (承办人员)."""

    TEMPLATE = "svd:{draft}:p:{person_id}"
    draft: int
    person_id: int


@dataclass(frozen=True)
class DirectorPersonPage(Code):
    """The form: a page of people."""

    TEMPLATE = "svd:{draft}:pp:{page}"
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

from models import Severity  # noqa: E402  (here, not at the top: each section imports its own words)

# A press of any /report button outside the step it belongs to is answered "press the newest
# message" by the report conversation's fallback, and any /visit press outside a visit is stale.
REPORT_FAMILY = r"^rp:"
VISIT_FAMILY = r"^vs:"


def lead(code: type[Code]) -> str:
    """The pattern of a code's fixed start, up to its first field (the whole code if it has none).
    A step registers this where a forged or outdated value must still reach the handler, whose
    parse answers it as a stale button, rather than a conversation's fallback for other steps."""
    literal, name, _spec, _conv = next(string.Formatter().parse(code.TEMPLATE))
    return "^" + re.escape(literal) + ("" if name is not None else "$")


@dataclass(frozen=True)
class ReportResume(Code):
    """/report: continue the saved draft."""

    TEMPLATE = "rp:resume"


@dataclass(frozen=True)
class ReportRestart(Code):
    """/report: start a new draft."""

    TEMPLATE = "rp:restart"


@dataclass(frozen=True)
class ReportCategory(Code):
    """/report: a category (its first type's id)."""

    TEMPLATE = "rp:c:{type_id}"
    type_id: int


@dataclass(frozen=True)
class ReportType(Code):
    """/report: a type within the category."""

    TEMPLATE = "rp:t:{type_id}"
    type_id: int


@dataclass(frozen=True)
class ReportCategories(Code):
    """/report: back to the categories."""

    TEMPLATE = "rp:cb"


@dataclass(frozen=True)
class ReportSeverity(Code):
    """/report: the severity, by name."""

    TEMPLATE = "rp:s:{severity}"
    severity: Severity


@dataclass(frozen=True)
class ReportUrgent(Code):
    """/report: urgent on/off."""

    TEMPLATE = "rp:u"


@dataclass(frozen=True)
class ReportOwnVillage(Code):
    """/report: the reporter's own village and grid."""

    TEMPLATE = "rp:vo"


@dataclass(frozen=True)
class ReportVillageList(Code):
    """/report: another village (the list)."""

    TEMPLATE = "rp:vl"


@dataclass(frozen=True)
class ReportVillageBack(Code):
    """/report: back from the village list."""

    TEMPLATE = "rp:vb"


@dataclass(frozen=True)
class ReportVillage(Code):
    """/report: this village."""

    TEMPLATE = "rp:v:{village_id}"
    village_id: int


@dataclass(frozen=True)
class ReportGrid(Code):
    """/report: this grid."""

    TEMPLATE = "rp:g:{grid_id}"
    grid_id: int


@dataclass(frozen=True)
class ReportNoGrid(Code):
    """/report: the village, no particular grid."""

    TEMPLATE = "rp:g0:{village_id}"
    village_id: int


@dataclass(frozen=True)
class ReportNoVillage(Code):
    """/report: no particular village."""

    TEMPLATE = "rp:vn"


@dataclass(frozen=True)
class ReportWhenNow(Code):
    """/report: it happened just now."""

    TEMPLATE = "rp:w:now"


@dataclass(frozen=True)
class ReportWhenToday(Code):
    """/report: it happened today."""

    TEMPLATE = "rp:w:today"


@dataclass(frozen=True)
class ReportWhenPick(Code):
    """/report: pick a day."""

    TEMPLATE = "rp:w:pick"


@dataclass(frozen=True)
class ReportWhenBack(Code):
    """/report: back from the days."""

    TEMPLATE = "rp:w:back"


@dataclass(frozen=True)
class ReportDay(Code):
    """/report: this day, as YYYYMMDD (the handler reads the date)."""

    TEMPLATE = "rp:d:{day}"
    day: str


@dataclass(frozen=True)
class ReportPartyAdd(Code):
    """/report: add a party."""

    TEMPLATE = "rp:pa"


@dataclass(frozen=True)
class ReportPartiesDone(Code):
    """/report: the parties are complete (or skipped)."""

    TEMPLATE = "rp:pd"


@dataclass(frozen=True)
class ReportPartiesClear(Code):
    """/report: clear the parties."""

    TEMPLATE = "rp:px"


@dataclass(frozen=True)
class ReportPartySkip(Code):
    """/report: skip the party's phone or id number."""

    TEMPLATE = "rp:ps"


@dataclass(frozen=True)
class ReportCount(Code):
    """/report: this many people."""

    TEMPLATE = "rp:n:{count}"
    count: int


@dataclass(frozen=True)
class ReportCountRange(Code):
    """/report: a range of people from `low`: the number is asked for."""

    TEMPLATE = "rp:n:r{low}"
    low: int


@dataclass(frozen=True)
class ReportCountMore(Code):
    """/report: an older range button (before ranges carried their lower bound)."""

    TEMPLATE = "rp:n:more"


@dataclass(frozen=True)
class ReportFilesDone(Code):
    """/report: the files are all sent."""

    TEMPLATE = "rp:fd"


@dataclass(frozen=True)
class ReportFilesClear(Code):
    """/report: clear the files."""

    TEMPLATE = "rp:fx"


@dataclass(frozen=True)
class ReportEdit(Code):
    """/report: edit this field of the summary."""

    TEMPLATE = "rp:e:{field}"
    field: str


@dataclass(frozen=True)
class ReportSubmit(Code):
    """/report: 提交."""

    TEMPLATE = "rp:ok"


@dataclass(frozen=True)
class ReportLink(Code):
    """/report: link the report to this possible duplicate."""

    TEMPLATE = "rp:l:{case_id}"
    case_id: int


@dataclass(frozen=True)
class ReportSubmitNew(Code):
    """/report: submit as a new case despite possible duplicates."""

    TEMPLATE = "rp:new"


@dataclass(frozen=True)
class ReportBackToSummary(Code):
    """/report: back to the summary."""

    TEMPLATE = "rp:sum"


@dataclass(frozen=True)
class VisitResume(Code):
    """/visit: continue the saved draft."""

    TEMPLATE = "vs:go"


@dataclass(frozen=True)
class VisitRestart(Code):
    """/visit: start a new one."""

    TEMPLATE = "vs:new"


@dataclass(frozen=True)
class VisitSource(Code):
    """/visit: the source, by value (only the sources /visit offers)."""

    TEMPLATE = "vs:s:{source}"
    source: str


@dataclass(frozen=True)
class VisitSkipPhone(Code):
    """/visit: no phone number."""

    TEMPLATE = "vs:skip:phone"


@dataclass(frozen=True)
class VisitSkipIdNumber(Code):
    """/visit: no id number."""

    TEMPLATE = "vs:skip:id"


@dataclass(frozen=True)
class VisitCategory(Code):
    """/visit: a category (its first type's id)."""

    TEMPLATE = "vs:c:{type_id}"
    type_id: int


@dataclass(frozen=True)
class VisitType(Code):
    """/visit: a type within the category."""

    TEMPLATE = "vs:t:{type_id}"
    type_id: int


@dataclass(frozen=True)
class VisitCategories(Code):
    """/visit: back to the categories."""

    TEMPLATE = "vs:cs"


@dataclass(frozen=True)
class VisitVillage(Code):
    """/visit: this village (0: none in particular)."""

    TEMPLATE = "vs:v:{village_id}"
    village_id: int


@dataclass(frozen=True)
class VisitInScope(Code):
    """/visit: within the centre's remit."""

    TEMPLATE = "vs:in"


@dataclass(frozen=True)
class VisitOutOfScope(Code):
    """/visit: outside it (guidance only)."""

    TEMPLATE = "vs:out"


@dataclass(frozen=True)
class VisitSeverity(Code):
    """/visit: the severity, by name."""

    TEMPLATE = "vs:sev:{severity}"
    severity: Severity


@dataclass(frozen=True)
class VisitConfirm(Code):
    """/visit: 确认."""

    TEMPLATE = "vs:ok"


@dataclass(frozen=True)
class VisitCancel(Code):
    """/visit: 取消."""

    TEMPLATE = "vs:x"


# The stateless 信息报告 buttons share one handler (a field's conversation hands any press over to
# it), which answers every other ir: press as stale.
INFO_REPORT_FAMILY = r"^ir:"


@dataclass(frozen=True)
class InfoReportOpen(Code):
    """信息报告: open the report from a reminder (the report comes as a new message)."""

    TEMPLATE = "ir:open:{report_id}"
    report_id: int


@dataclass(frozen=True)
class InfoReportView(Code):
    """信息报告: show the report in place."""

    TEMPLATE = "ir:v:{report_id}"
    report_id: int


@dataclass(frozen=True)
class InfoReportSubmit(Code):
    """信息报告: 报送."""

    TEMPLATE = "ir:s:{report_id}"
    report_id: int


@dataclass(frozen=True)
class InfoReportNext(Code):
    """信息报告: start the next report of the case; kind "f" (续报) or "x" (终报)."""

    TEMPLATE = "ir:n:{case_id}:{kind}"
    case_id: int
    kind: str


@dataclass(frozen=True)
class InfoReportList(Code):
    """信息报告: the case's reports."""

    TEMPLATE = "ir:l:{case_id}"
    case_id: int


@dataclass(frozen=True)
class InfoReportField(Code):
    """信息报告: type this field."""

    TEMPLATE = "ir:f:{report_id}:{field}"
    report_id: int
    field: str


@dataclass(frozen=True)
class InfoReportPhoned(Code):
    """信息报告: the 初报's phone report (电话报告) to the party committee was made."""

    TEMPLATE = "ir:p:{report_id}"
    report_id: int


@dataclass(frozen=True)
class GroupUnbind(Code):
    """Unbind the party committee's group chat (a Telegram chat id, larger than a database id)."""

    TEMPLATE = "grp:u:{chat_id}"
    chat_id: int


# ---- /admin (adm:), /calendar (cal:), /duty (duty:), invitations (inv:)
# (codes of this section go here, below this line)

from models import Role  # noqa: E402  (here, not at the top: each section imports its own words)

# /admin's buttons are stateless and share one handler, which answers any other adm: press as stale.
ADMIN_FAMILY = r"^adm:"


@dataclass(frozen=True)
class AdminMenu(Code):
    """/admin: the menu."""

    TEMPLATE = "adm:menu"


@dataclass(frozen=True)
class AdminStatus(Code):
    """/admin: 运行状况 (and its 刷新)."""

    TEMPLATE = "adm:status"


@dataclass(frozen=True)
class AdminPeople(Code):
    """/admin: 人员 (the filters)."""

    TEMPLATE = "adm:people"


@dataclass(frozen=True)
class AdminPeopleByVillage(Code):
    """/admin: people by village (the villages)."""

    TEMPLATE = "adm:pv"


@dataclass(frozen=True)
class AdminPeopleAll(Code):
    """/admin: everyone, a page."""

    TEMPLATE = "adm:pl:all:{page}"
    page: int


@dataclass(frozen=True)
class AdminPeopleWithRole(Code):
    """/admin: the people with a role, a page."""

    TEMPLATE = "adm:pl:{role}:{page}"
    role: Role
    page: int


@dataclass(frozen=True)
class AdminPeopleOfVillage(Code):
    """/admin: the people of a village, a page."""

    TEMPLATE = "adm:pl:v{village_id}:{page}"
    village_id: int
    page: int


@dataclass(frozen=True)
class AdminPerson(Code):
    """/admin: a person's card."""

    TEMPLATE = "adm:p:{person_id}"
    person_id: int


@dataclass(frozen=True)
class AdminRoles(Code):
    """/admin: the role editor, with the roles chosen so far as bits (handlers.admin.ROLE_BITS)."""

    TEMPLATE = "adm:pr:{person_id}:{mask}"
    person_id: int
    mask: int


@dataclass(frozen=True)
class AdminSaveRoles(Code):
    """/admin: save these roles (bits as in AdminRoles)."""

    TEMPLATE = "adm:ps:{person_id}:{mask}"
    person_id: int
    mask: int


@dataclass(frozen=True)
class AdminContactPoints(Code):
    """/admin: a person's contact villages."""

    TEMPLATE = "adm:pc:{person_id}"
    person_id: int


@dataclass(frozen=True)
class AdminToggleContactPoint(Code):
    """/admin: a contact village on/off."""

    TEMPLATE = "adm:pct:{person_id}:{village_id}"
    person_id: int
    village_id: int


@dataclass(frozen=True)
class AdminDeactivate(Code):
    """/admin: deactivate a person."""

    TEMPLATE = "adm:pd:{person_id}"
    person_id: int


@dataclass(frozen=True)
class AdminActivate(Code):
    """/admin: activate a person again."""

    TEMPLATE = "adm:pa:{person_id}"
    person_id: int


@dataclass(frozen=True)
class AdminCaseDesk(Code):
    """/admin: on the case desk (on 1) or off it (0)."""

    TEMPLATE = "adm:pk:{person_id}:{on}"
    person_id: int
    on: int


@dataclass(frozen=True)
class AdminVillages(Code):
    """/admin: the villages."""

    TEMPLATE = "adm:vl"


@dataclass(frozen=True)
class AdminVillage(Code):
    """/admin: a village's card."""

    TEMPLATE = "adm:v:{village_id}"
    village_id: int


@dataclass(frozen=True)
class AdminUnits(Code):
    """/admin: the units."""

    TEMPLATE = "adm:ul"


@dataclass(frozen=True)
class AdminUnit(Code):
    """/admin: a unit's card."""

    TEMPLATE = "adm:u:{unit_id}"
    unit_id: int


@dataclass(frozen=True)
class AdminImport(Code):
    """/admin: how to import (and the template)."""

    TEMPLATE = "adm:imp"


@dataclass(frozen=True)
class AdminNewVillage(Code):
    """/admin: type a new village's name."""

    TEMPLATE = "adm:vn"


@dataclass(frozen=True)
class AdminRenameVillage(Code):
    """/admin: type a village's new name."""

    TEMPLATE = "adm:vr:{village_id}"
    village_id: int


@dataclass(frozen=True)
class AdminNewGrid(Code):
    """/admin: type a new grid's name in this village."""

    TEMPLATE = "adm:gn:{village_id}"
    village_id: int


@dataclass(frozen=True)
class AdminUpper(Code):
    """/admin: 上报上级's list of higher departments."""

    TEMPLATE = "adm:upl"


@dataclass(frozen=True)
class AdminUpperRemove(Code):
    TEMPLATE = "adm:upx:{department_id}"
    department_id: int


@dataclass(frozen=True)
class AdminNewUpper(Code):
    """/admin: type a new higher department's name."""

    TEMPLATE = "adm:upn"


@dataclass(frozen=True)
class AdminNewUnit(Code):
    """/admin: type a new unit's name."""

    TEMPLATE = "adm:un"


@dataclass(frozen=True)
class AdminRenameUnit(Code):
    """/admin: type a unit's new name."""

    TEMPLATE = "adm:ur:{unit_id}"
    unit_id: int


# /calendar, /duty and /invite buttons are stateless, each feature's in one handler (a typing or
# file step hands any press of its feature over to it), which answers any other press as stale.
CALENDAR_FAMILY = r"^cal:"
DUTY_FAMILY = r"^duty:"
INVITE_FAMILY = r"^inv:"


@dataclass(frozen=True)
class CalendarMenu(Code):
    """/calendar: the menu (« 返回)."""

    TEMPLATE = "cal:menu"


@dataclass(frozen=True)
class CalendarDone(Code):
    """/calendar: 完成 typing days (the menu as a new message)."""

    TEMPLATE = "cal:done"


@dataclass(frozen=True)
class CalendarAdd(Code):
    """/calendar: type days."""

    TEMPLATE = "cal:add"


@dataclass(frozen=True)
class CalendarImport(Code):
    """/calendar: send a file."""

    TEMPLATE = "cal:imp"


@dataclass(frozen=True)
class CalendarYear(Code):
    """/calendar: a year's days, a page."""

    TEMPLATE = "cal:y:{year}:{page}"
    year: int
    page: int


@dataclass(frozen=True)
class CalendarRemove(Code):
    """/calendar: remove a day (YYYYMMDD), then the list at this page."""

    TEMPLATE = "cal:rm:{day}:{page}"
    day: str
    page: int


@dataclass(frozen=True)
class CalendarConfirmAsk(Code):
    """/calendar: confirm a year? (asks)"""

    TEMPLATE = "cal:ok:{year}"
    year: int


@dataclass(frozen=True)
class CalendarConfirm(Code):
    """/calendar: confirm the year."""

    TEMPLATE = "cal:okk:{year}"
    year: int


@dataclass(frozen=True)
class DutyDay(Code):
    """/duty: arrange a day (YYYYMMDD)."""

    TEMPLATE = "duty:d:{day}"
    day: str


@dataclass(frozen=True)
class DutyStaff(Code):
    """/duty: a staff member on/off duty that day."""

    TEMPLATE = "duty:t:{day}:{person_id}"
    day: str
    person_id: int


@dataclass(frozen=True)
class DutyLeader(Code):
    """/duty: the leader on duty that day."""

    TEMPLATE = "duty:l:{day}:{person_id}"
    day: str
    person_id: int


@dataclass(frozen=True)
class DutySave(Code):
    """/duty: save the day."""

    TEMPLATE = "duty:s:{day}"
    day: str


@dataclass(frozen=True)
class DutyWeek(Code):
    """/duty: back to the week."""

    TEMPLATE = "duty:w"


@dataclass(frozen=True)
class DutyImport(Code):
    """/duty: send a roster file."""

    TEMPLATE = "duty:imp"


@dataclass(frozen=True)
class InviteStart(Code):
    """/invite: choose a role again."""

    TEMPLATE = "inv:start"


@dataclass(frozen=True)
class InviteRole(Code):
    """/invite: this role."""

    TEMPLATE = "inv:r:{role}"
    role: Role


@dataclass(frozen=True)
class InviteVillage(Code):
    """/invite: a grid worker's village."""

    TEMPLATE = "inv:v:{village_id}"
    village_id: int


@dataclass(frozen=True)
class InviteGrid(Code):
    """/invite: a grid worker's grid."""

    TEMPLATE = "inv:g:{grid_id}"
    grid_id: int


@dataclass(frozen=True)
class InviteUnit(Code):
    """/invite: a unit's contact."""

    TEMPLATE = "inv:u:{unit_id}"
    unit_id: int


# ---- digests (dg:) and the electronic case file (cf:), issue 14
# (codes of this section go here, below this line)


from models import DigestKind  # noqa: E402  (each section imports its own words)


@dataclass(frozen=True)
class DigestOff(Code):
    """「不再接收」 under a digest, and 关闭 in /settings: that digest kind off for the presser."""

    TEMPLATE = "dg:off:{kind}"
    kind: DigestKind


@dataclass(frozen=True)
class DigestOn(Code):
    """重新开启 (after 不再接收) and 开启 in /settings."""

    TEMPLATE = "dg:on:{kind}"
    kind: DigestKind


@dataclass(frozen=True)
class CaseFileSend(Code):
    """一案一档 on the case card: the case's electronic file (.zip), sent privately."""

    TEMPLATE = "cf:send:{case_id}"
    case_id: int


@dataclass(frozen=True)
class DigestSetting(Code):
    """/settings: switch a digest kind on (on=1) or off (on=0); the settings message is redrawn."""

    TEMPLATE = "dg:set:{kind}:{on}"
    kind: DigestKind
    on: int


# ---- 统计分析 /stats (st:) ---------------------------------------------------------------------------
# (codes of this section go here, below this line)


from bot.services.stats.periods import PeriodChoice, PeriodKind  # noqa: E402  (each section imports its own words)


@dataclass(frozen=True)
class StatsPeriod(Code):
    """本月 / 上月 / 本季度 / 上季度 / 本年: the figures of that period, relative to the day pressed."""

    TEMPLATE = "st:p:{choice}"
    choice: PeriodChoice


@dataclass(frozen=True)
class StatsTable(Code):
    """导出表格: the .xlsx of the period shown (the period itself, so it stays the same next month)."""

    TEMPLATE = "st:x:{kind}:{year}:{index}"
    kind: PeriodKind
    year: int
    index: int


@dataclass(frozen=True)
class StatsAnalysis(Code):
    """分析报告: the one-page .docx of the period shown."""

    TEMPLATE = "st:d:{kind}:{year}:{index}"
    kind: PeriodKind
    year: int
    index: int


@dataclass(frozen=True)
class StatsChoose(Code):
    """换个期间: the period buttons again."""

    TEMPLATE = "st:c"


# ---- /ledger 台账 (lg:)
# (codes of this section go here, below this line)

# The ledger's own 本月/上月/…/自定义 (the statistics section above has another PeriodChoice).
from models.ledgers import LedgerKind  # noqa: E402  (each section imports its own words)
from models.ledgers import PeriodChoice as LedgerPeriodChoice  # noqa: E402

LEDGER_FAMILY = r"^lg:"


@dataclass(frozen=True)
class LedgerMenu(Code):
    """/ledger: the list of ledgers (« 返回)."""

    TEMPLATE = "lg:menu"


@dataclass(frozen=True)
class LedgerChoose(Code):
    """/ledger: this ledger; next, the period."""

    TEMPLATE = "lg:k:{kind}"
    kind: LedgerKind


@dataclass(frozen=True)
class LedgerPeriod(Code):
    """/ledger: 本月 / 上月 / 本季度 / 本年 (自定义 is LedgerCustom)."""

    TEMPLATE = "lg:p:{kind}:{period}"
    kind: LedgerKind
    period: LedgerPeriodChoice


@dataclass(frozen=True)
class LedgerCustom(Code):
    """/ledger: 自定义 — the two dates are typed."""

    TEMPLATE = "lg:c:{kind}"
    kind: LedgerKind


@dataclass(frozen=True)
class LedgerScope(Code):
    """/ledger: the filter menu (全部 / 按村 / 按单位) for a period."""

    TEMPLATE = "lg:s:{kind}:{start}:{end}"
    kind: LedgerKind
    start: date
    end: date


@dataclass(frozen=True)
class LedgerVillages(Code):
    """/ledger: choose the village."""

    TEMPLATE = "lg:v:{kind}:{start}:{end}"
    kind: LedgerKind
    start: date
    end: date


@dataclass(frozen=True)
class LedgerUnits(Code):
    """/ledger: choose the unit."""

    TEMPLATE = "lg:u:{kind}:{start}:{end}"
    kind: LedgerKind
    start: date
    end: date


@dataclass(frozen=True)
class LedgerMake(Code):
    """/ledger: make it (no filter)."""

    TEMPLATE = "lg:m:{kind}:{start}:{end}"
    kind: LedgerKind
    start: date
    end: date


@dataclass(frozen=True)
class LedgerMakeVillage(Code):
    """/ledger: make it for one village."""

    TEMPLATE = "lg:mv:{kind}:{start}:{end}:{village_id}"
    kind: LedgerKind
    start: date
    end: date
    village_id: int


@dataclass(frozen=True)
class LedgerMakeUnit(Code):
    """/ledger: make it for one unit."""

    TEMPLATE = "lg:mu:{kind}:{start}:{end}:{unit_id}"
    kind: LedgerKind
    start: date
    end: date
    unit_id: int


@dataclass(frozen=True)
class LedgerCancel(Code):
    """/ledger: 取消."""

    TEMPLATE = "lg:x"


# ---- meetings and their decisions (issue 15) -------------------------------------------------------
# The scheduling steps keep their choices in the person's persisted user_data (handlers/meetings.py),
# so each button carries one value.

from models import ApprovalOutcome, Attendance, MeetingKind, Venue  # noqa: E402  (each section imports its own words)

MEETING_FAMILY = r"^mt:"
DECISION_FAMILY = r"^dc:"


@dataclass(frozen=True)
class MeetingList(Code):
    """/meetings as a button: upcoming and past meetings."""

    TEMPLATE = "mt:l"


@dataclass(frozen=True)
class MeetingOpen(Code):
    """A meeting's card (on every notification about it)."""

    TEMPLATE = "mt:o:{meeting_id}"
    meeting_id: int


@dataclass(frozen=True)
class MeetingNew(Code):
    """Schedule a meeting of this kind: the day buttons come next."""

    TEMPLATE = "mt:n:{kind}"
    kind: MeetingKind


@dataclass(frozen=True)
class MeetingVillage(Code):
    """The village of a 联系点村会议 being scheduled."""

    TEMPLATE = "mt:nv:{village_id}"
    village_id: int


@dataclass(frozen=True)
class MeetingMediation(Code):
    """召集调处会 from a case's 联合办理 menu: the departments are picked next."""

    TEMPLATE = "mt:m:{case_id}"
    case_id: int


@dataclass(frozen=True)
class MeetingMediationUnit(Code):
    """A department on or off for the 调处会 being convened."""

    TEMPLATE = "mt:mu:{case_id}:{unit_id}"
    case_id: int
    unit_id: int


@dataclass(frozen=True)
class MeetingMediationNext(Code):
    """The departments are picked: the day buttons come next."""

    TEMPLATE = "mt:mn:{case_id}"
    case_id: int


@dataclass(frozen=True)
class MeetingDay(Code):
    """The day picked while scheduling (or rescheduling)."""

    TEMPLATE = "mt:d:{day}"
    day: date


@dataclass(frozen=True)
class MeetingTime(Code):
    """The time picked, as hhmm (830 = 08:30)."""

    TEMPLATE = "mt:t:{hhmm}"
    hhmm: int


@dataclass(frozen=True)
class MeetingPlace(Code):
    """The place picked: the meeting is scheduled (or moved) with this press."""

    TEMPLATE = "mt:p:{venue}"
    venue: Venue


@dataclass(frozen=True)
class MeetingMove(Code):
    """改期: the organiser picks a new day and time."""

    TEMPLATE = "mt:mv:{meeting_id}"
    meeting_id: int


@dataclass(frozen=True)
class MeetingCancel(Code):
    """Cancel a meeting (asks once more)."""

    TEMPLATE = "mt:x:{meeting_id}"
    meeting_id: int


@dataclass(frozen=True)
class MeetingCancelYes(Code):
    TEMPLATE = "mt:xy:{meeting_id}"
    meeting_id: int


@dataclass(frozen=True)
class MeetingAnswer(Code):
    """参加 (answered at once) or 请假 (the reason is asked)."""

    TEMPLATE = "mt:a:{meeting_id}:{answer}"
    meeting_id: int
    answer: Attendance


@dataclass(frozen=True)
class MeetingSignIn(Code):
    TEMPLATE = "mt:si:{meeting_id}"
    meeting_id: int


@dataclass(frozen=True)
class MeetingRoll(Code):
    """The organiser's view of who answered and who did not."""

    TEMPLATE = "mt:r:{meeting_id}"
    meeting_id: int


@dataclass(frozen=True)
class MeetingChase(Code):
    """Ask everyone who has not answered again, with one press."""

    TEMPLATE = "mt:c:{meeting_id}"
    meeting_id: int


@dataclass(frozen=True)
class MeetingAgenda(Code):
    TEMPLATE = "mt:ag:{meeting_id}"
    meeting_id: int


@dataclass(frozen=True)
class MeetingAgendaEdit(Code):
    TEMPLATE = "mt:ae:{meeting_id}"
    meeting_id: int


@dataclass(frozen=True)
class MeetingAgendaSend(Code):
    TEMPLATE = "mt:as:{meeting_id}"
    meeting_id: int


@dataclass(frozen=True)
class MeetingMinutes(Code):
    """Start (or go on) recording the minutes: every text or voice message is an item."""

    TEMPLATE = "mt:mi:{meeting_id}"
    meeting_id: int


@dataclass(frozen=True)
class MeetingDecisionNew(Code):
    """While recording: the next text is a decision (议定事项)."""

    TEMPLATE = "mt:dn:{meeting_id}"
    meeting_id: int


@dataclass(frozen=True)
class MeetingOwnerUnit(Code):
    TEMPLATE = "mt:ou:{unit_id}"
    unit_id: int


@dataclass(frozen=True)
class MeetingOwnerVillage(Code):
    TEMPLATE = "mt:ov:{village_id}"
    village_id: int


@dataclass(frozen=True)
class MeetingOwnerPerson(Code):
    TEMPLATE = "mt:op:{person_id}"
    person_id: int


@dataclass(frozen=True)
class MeetingDays(Code):
    """The decision's deadline in working days."""

    TEMPLATE = "mt:dd:{days}"
    days: int


@dataclass(frozen=True)
class MeetingImportant(Code):
    """1: important (held for the 党委会议), 0: not."""

    TEMPLATE = "mt:im:{important}"
    important: int


@dataclass(frozen=True)
class MeetingNoCase(Code):
    """The decision is linked to no case."""

    TEMPLATE = "mt:nc"


@dataclass(frozen=True)
class MeetingThisCase(Code):
    """A 调处会's decision is linked to the case it mediates."""

    TEMPLATE = "mt:tc"


@dataclass(frozen=True)
class MeetingMinutesDone(Code):
    """Close the minutes (定稿): the meeting is held; the 纪要 can be downloaded."""

    TEMPLATE = "mt:md:{meeting_id}"
    meeting_id: int


@dataclass(frozen=True)
class MeetingMinutesDoc(Code):
    """The 会议纪要 .docx."""

    TEMPLATE = "mt:doc:{meeting_id}"
    meeting_id: int


@dataclass(frozen=True)
class DecisionOpen(Code):
    TEMPLATE = "dc:o:{decision_id}"
    decision_id: int


@dataclass(frozen=True)
class DecisionReceive(Code):
    """收到"""

    TEMPLATE = "dc:r:{decision_id}"
    decision_id: int


@dataclass(frozen=True)
class DecisionProgress(Code):
    """进展: the text is asked."""

    TEMPLATE = "dc:p:{decision_id}"
    decision_id: int


@dataclass(frozen=True)
class DecisionDone(Code):
    """已完成: the evidence is asked."""

    TEMPLATE = "dc:d:{decision_id}"
    decision_id: int


@dataclass(frozen=True)
class DecisionAccept(Code):
    """The organiser accepts the evidence: 销号."""

    TEMPLATE = "dc:a:{decision_id}"
    decision_id: int


@dataclass(frozen=True)
class DecisionReturn(Code):
    """The organiser does not accept it: the note is asked."""

    TEMPLATE = "dc:b:{decision_id}"
    decision_id: int


@dataclass(frozen=True)
class DecisionApprove(Code):
    """The secretary records the 党委会议's outcome; the date buttons come next."""

    TEMPLATE = "dc:ap:{decision_id}:{outcome}"
    decision_id: int
    outcome: ApprovalOutcome


@dataclass(frozen=True)
class DecisionApproveDay(Code):
    """The 党委会议's date: the outcome is recorded with this press."""

    TEMPLATE = "dc:ad:{decision_id}:{outcome}:{day}"
    decision_id: int
    outcome: ApprovalOutcome
    day: date


# ---- 传达: announcements with read receipts (issue 16) ----------------------------------------------
# The draft (text, file, kind, chosen groups) lives in the sender's persisted user_data
# (handlers/announce.py), so each button carries one value.

from models import Attendance as _Attendance  # noqa: E402
from models.announcements import AnnouncementKind  # noqa: E402

ANNOUNCE_FAMILY = r"^an:"


@dataclass(frozen=True)
class AnnounceKindPick(Code):
    TEMPLATE = "an:k:{kind}"
    kind: AnnouncementKind


@dataclass(frozen=True)
class AnnounceTarget(Code):
    """Toggle one group of recipients: "all", "r-<role>", "v-<village id>", "u-<unit id>"."""

    TEMPLATE = "an:t:{group}"
    group: str


@dataclass(frozen=True)
class AnnouncePreview(Code):
    TEMPLATE = "an:p"


@dataclass(frozen=True)
class AnnounceSend(Code):
    TEMPLATE = "an:y"


@dataclass(frozen=True)
class AnnounceCancel(Code):
    TEMPLATE = "an:x"


@dataclass(frozen=True)
class AnnounceRead(Code):
    """The recipient's 已阅."""

    TEMPLATE = "an:r:{announcement_id}"
    announcement_id: int


@dataclass(frozen=True)
class AnnounceAnswer(Code):
    """学习: 参加 (at once) or 请假 (the reason is asked)."""

    TEMPLATE = "an:a:{announcement_id}:{answer}"
    announcement_id: int
    answer: _Attendance


@dataclass(frozen=True)
class AnnounceStatus(Code):
    """The sender's view: 已阅 28/31 and the unread names."""

    TEMPLATE = "an:s:{announcement_id}"
    announcement_id: int


@dataclass(frozen=True)
class AnnounceRemind(Code):
    """Remind everyone who has not read it, with one press."""

    TEMPLATE = "an:m:{announcement_id}"
    announcement_id: int


@dataclass(frozen=True)
class AnnounceNew(Code):
    """Start a new 传达 (from the /announce list)."""

    TEMPLATE = "an:n"


# ---- 排查 returns (pc:), issue 16 ------------------------------------------------------------------
# The 集中排查 draft (due day, chosen villages) lives in the director's persisted user_data
# (handlers/paicha.py), so each button carries one value.

PAICHA_FAMILY = r"^pc:"


@dataclass(frozen=True)
class PaichaItem(Code):
    """报送排查事项: starts /report for this period (the case is marked as found by 排查)."""

    TEMPLATE = "pc:i:{period_id}"
    period_id: int


@dataclass(frozen=True)
class PaichaZero(Code):
    """本期零报告: one press."""

    TEMPLATE = "pc:z:{period_id}"
    period_id: int


@dataclass(frozen=True)
class PaichaStatus(Code):
    """The center's view: 已报 n/m and the missing by name."""

    TEMPLATE = "pc:s:{period_id}"
    period_id: int


@dataclass(frozen=True)
class PaichaChase(Code):
    """催报: every grid worker of a missing village (grid), with one press."""

    TEMPLATE = "pc:c:{period_id}"
    period_id: int


@dataclass(frozen=True)
class PaichaCampaignNew(Code):
    TEMPLATE = "pc:cn"


@dataclass(frozen=True)
class PaichaCampaignDue(Code):
    """The campaign's due day, as working days from today."""

    TEMPLATE = "pc:cd:{days}"
    days: int


@dataclass(frozen=True)
class PaichaCampaignAll(Code):
    TEMPLATE = "pc:ca"


@dataclass(frozen=True)
class PaichaCampaignVillage(Code):
    """Toggle one village in the campaign's scope."""

    TEMPLATE = "pc:cv:{village_id}"
    village_id: int


@dataclass(frozen=True)
class PaichaCampaignScopeDone(Code):
    TEMPLATE = "pc:cs"


@dataclass(frozen=True)
class PaichaCampaignOpen(Code):
    TEMPLATE = "pc:co"


@dataclass(frozen=True)
class PaichaCancel(Code):
    TEMPLATE = "pc:x"


@dataclass(frozen=True)
class PaichaSensitiveOn(Code):
    """节日 / 敏感期: daily returns from today until switched off ("holiday" / "sensitive")."""

    TEMPLATE = "pc:so:{label}"
    label: str


@dataclass(frozen=True)
class PaichaSensitiveOff(Code):
    TEMPLATE = "pc:sf"
# ---- 上级交办 (jb:) and 上门受理 (hv:), issue 16 --------------------------------------------------------
# The typed answers (交办单位, 文号, 时限; the home visit's party, address, time) live in the person's
# persisted user_data (handlers/assignments.py, handlers/home_visits.py), so each button carries one value.

from models.assignments import HomeVisitReason as _HomeVisitReason  # noqa: E402
from models.assignments import ReportMethod as _ReportMethod  # noqa: E402
from models.assignments import UsualAssigner as _UsualAssigner  # noqa: E402

JIAOBAN_FAMILY = r"^jb:"
HOME_VISIT_FAMILY = r"^hv:"


@dataclass(frozen=True)
class JiaobanStart(Code):
    """「上级交办」 on the card (or after /visit with source 上级交办): record or correct the 交办."""

    TEMPLATE = "jb:s:{case_id}"
    case_id: int


@dataclass(frozen=True)
class JiaobanAssigner(Code):
    TEMPLATE = "jb:a:{assigner}"
    assigner: _UsualAssigner


@dataclass(frozen=True)
class JiaobanNoReference(Code):
    TEMPLATE = "jb:n"


@dataclass(frozen=True)
class JiaobanReport(Code):
    """办理情况报告: the text in chat and the .docx."""

    TEMPLATE = "jb:r:{case_id}"
    case_id: int


@dataclass(frozen=True)
class JiaobanSent(Code):
    """记录报送: asks how it was sent."""

    TEMPLATE = "jb:t:{case_id}"
    case_id: int


@dataclass(frozen=True)
class JiaobanMethod(Code):
    TEMPLATE = "jb:m:{case_id}:{method}"
    case_id: int
    method: _ReportMethod


@dataclass(frozen=True)
class HomeVisitNew(Code):
    TEMPLATE = "hv:n"


@dataclass(frozen=True)
class HomeVisitSkipPhone(Code):
    TEMPLATE = "hv:sp"


@dataclass(frozen=True)
class HomeVisitReasonPick(Code):
    TEMPLATE = "hv:r:{reason}"
    reason: _HomeVisitReason


@dataclass(frozen=True)
class HomeVisitSubmit(Code):
    TEMPLATE = "hv:y"


@dataclass(frozen=True)
class HomeVisitCancel(Code):
    TEMPLATE = "hv:x"


@dataclass(frozen=True)
class HomeVisitOpen(Code):
    TEMPLATE = "hv:o:{visit_id}"
    visit_id: int


@dataclass(frozen=True)
class HomeVisitApprove(Code):
    """A center leader's 同意."""

    TEMPLATE = "hv:ok:{visit_id}"
    visit_id: int


@dataclass(frozen=True)
class HomeVisitRefuse(Code):
    """不同意: the reason is asked."""

    TEMPLATE = "hv:no:{visit_id}"
    visit_id: int


@dataclass(frozen=True)
class HomeVisitSchedule(Code):
    """安排上门: the date and time are asked, then who goes."""

    TEMPLATE = "hv:sc:{visit_id}"
    visit_id: int


@dataclass(frozen=True)
class HomeVisitVisitor(Code):
    TEMPLATE = "hv:w:{visit_id}:{person_id}"
    visit_id: int
    person_id: int


@dataclass(frozen=True)
class HomeVisitDone(Code):
    """记录上门情况: what was received is asked."""

    TEMPLATE = "hv:d:{visit_id}"
    visit_id: int


@dataclass(frozen=True)
class HomeVisitIntake(Code):
    """登记为事项: /visit with the party already filled in."""

    TEMPLATE = "hv:i:{visit_id}"
    visit_id: int


# ---- 目标管理责任制: catalogue, scores, 责任书, year end, 整改 (issue 17) -------------------------------------
# A subject is a unit or a village (kind + id). Typed input (an item's number, a mark's reason and evidence,
# an uploaded catalogue, an 整改 text) is kept in the person's persisted user_data (handlers/assessment.py).

from models import SubjectKind as _SubjectKind  # noqa: E402  (each section imports its own words)


@dataclass(frozen=True)
class ScoreMine(Code):
    """/score again: one's own score (a head) or the ranking (the center)."""

    TEMPLATE = "ka:m:{year}"
    year: int


@dataclass(frozen=True)
class ScoreSubject(Code):
    """The center opens one unit's or village's score."""

    TEMPLATE = "ka:s:{year}:{kind}:{subject_id}"
    year: int
    kind: _SubjectKind
    subject_id: int


@dataclass(frozen=True)
class ScoreItemCases(Code):
    """The cases that cost an item its points (as far as the presser may see them)."""

    TEMPLATE = "ka:i:{item_id}:{kind}:{subject_id}"
    item_id: int
    kind: _SubjectKind
    subject_id: int


@dataclass(frozen=True)
class ScoreCatalogue(Code):
    """The year's catalogue, with edit buttons."""

    TEMPLATE = "ka:c:{year}"
    year: int


@dataclass(frozen=True)
class ScoreTemplate(Code):
    """Send the catalogue as the .xlsx template."""

    TEMPLATE = "ka:ct:{year}"
    year: int


@dataclass(frozen=True)
class ScoreUpload(Code):
    """Upload a filled-in catalogue (.xlsx): the next document is taken."""

    TEMPLATE = "ka:cu:{year}"
    year: int


@dataclass(frozen=True)
class ScoreItemEdit(Code):
    """One catalogue item and what may be changed."""

    TEMPLATE = "ka:ie:{item_id}"
    item_id: int


@dataclass(frozen=True)
class ScoreItemField(Code):
    """Change one number of an item (points, threshold, step, cap): the number is typed next."""

    TEMPLATE = "ka:if:{item_id}:{field}"
    item_id: int
    field: str


@dataclass(frozen=True)
class ScoreMarkPick(Code):
    """Hand-score: the year's manual and 一票否决 items."""

    TEMPLATE = "ka:mp:{year}"
    year: int


@dataclass(frozen=True)
class ScoreMarkItem(Code):
    """Hand-score one item: which unit or village."""

    TEMPLATE = "ka:mi:{item_id}"
    item_id: int


@dataclass(frozen=True)
class ScoreMarkSubject(Code):
    """Hand-score one item of one unit or village: the points and reason, then the evidence, are asked."""

    TEMPLATE = "ka:ms:{item_id}:{kind}:{subject_id}"
    item_id: int
    kind: _SubjectKind
    subject_id: int


@dataclass(frozen=True)
class ScoreAgreements(Code):
    """Who has signed the year's 责任书."""

    TEMPLATE = "ka:a:{year}"
    year: int


@dataclass(frozen=True)
class ScoreAgreementsSend(Code):
    TEMPLATE = "ka:as:{year}"
    year: int


@dataclass(frozen=True)
class ScoreAgreementsChase(Code):
    TEMPLATE = "ka:ac:{year}"
    year: int


@dataclass(frozen=True)
class ScoreSign(Code):
    """签订: the head confirms the 责任书 sent to them."""

    TEMPLATE = "ka:sg:{agreement_id}"
    agreement_id: int


@dataclass(frozen=True)
class ScoreYearEnd(Code):
    """The score sheet (.xlsx) and the 考核通报 (.docx)."""

    TEMPLATE = "ka:y:{year}"
    year: int


@dataclass(frozen=True)
class ScoreRectifyList(Code):
    TEMPLATE = "ka:r:{year}"
    year: int


@dataclass(frozen=True)
class ScoreRectifyNew(Code):
    """An 整改 order for a unit or village: what to put right is typed next."""

    TEMPLATE = "ka:rn:{kind}:{subject_id}"
    kind: _SubjectKind
    subject_id: int


@dataclass(frozen=True)
class ScoreRectifyDone(Code):
    """整改完成, pressed by a head of the unit or village."""

    TEMPLATE = "ka:rd:{order_id}"
    order_id: int


@dataclass(frozen=True)
class ScoreAccountability(Code):
    """The year's 领导责任查究 records."""

    TEMPLATE = "ka:q:{year}"
    year: int


@dataclass(frozen=True)
class ScoreAccountabilityClose(Code):
    """Record the result of one 领导责任查究: the result is typed next."""

    TEMPLATE = "ka:qc:{accountability_id}"
    accountability_id: int


# per-person records of the center's staff (首问责任制): /myrecord
from models import StaffNoteKind as _StaffNoteKind  # noqa: E402


@dataclass(frozen=True)
class StaffRecordOpen(Code):
    """A staff member's record (the person, their leaders and the director)."""

    TEMPLATE = "ka:p:{person_id}"
    person_id: int


@dataclass(frozen=True)
class StaffNoteNew(Code):
    """The director records 表扬 or 批评: the reason is typed next."""

    TEMPLATE = "ka:pn:{person_id}:{kind}"
    person_id: int
    kind: _StaffNoteKind


# 群防群治 and 平安创建: /teams
from models import CampaignKind as _CampaignKind  # noqa: E402
from models import TeamKind as _TeamKind  # noqa: E402


@dataclass(frozen=True)
class TeamsOpen(Code):
    """A village's or unit's register of teams and 平安创建."""

    TEMPLATE = "ka:t:{kind}:{subject_id}"
    kind: _SubjectKind
    subject_id: int


@dataclass(frozen=True)
class TeamAdd(Code):
    """Register a team of a village: the leader, phone and members are typed next."""

    TEMPLATE = "ka:ta:{village_id}:{kind}"
    village_id: int
    kind: _TeamKind


@dataclass(frozen=True)
class TeamRemove(Code):
    TEMPLATE = "ka:tr:{team_id}"
    team_id: int


@dataclass(frozen=True)
class CampaignApply(Code):
    """申报 平安村 / 平安单位 for a year."""

    TEMPLATE = "ka:ca:{kind}:{subject_id}:{year}"
    kind: _SubjectKind
    subject_id: int
    year: int


@dataclass(frozen=True)
class CampaignStart(Code):
    """申报 a school, road or market of a village (its name typed next) or its 平安家庭 (the households)."""

    TEMPLATE = "ka:cs:{village_id}:{kind}:{year}"
    village_id: int
    kind: _CampaignKind
    year: int


@dataclass(frozen=True)
class CampaignReview(Code):
    """The director's review: passed 1 (验收通过) or 0 (未通过)."""

    TEMPLATE = "ka:cr:{campaign_id}:{passed}"
    campaign_id: int
    passed: int


# ---- 事项类型: the case catalogue edited in chat, /admin → 事项类型 (ct:) (issue 16) ------------------
# Stateless buttons carrying the row id (a type is named by its first row); only typing a name or a
# number of days is a conversation (handlers/case_types.py).

from enum import Enum as _Enum  # noqa: E402

from models.cases import TypeFlag as _TypeFlag  # noqa: E402
from models.cases import TypeSection as _TypeSection  # noqa: E402

CATALOGUE_FAMILY = r"^ct:"


class CatSwitch(_Enum):
    off = False
    on = True


class CatScope(_Enum):
    type = "type"  # the whole type: every subtype of it
    sub = "sub"  # one subtype


@dataclass(frozen=True)
class CatList(Code):
    """The types, a page."""

    TEMPLATE = "ct:l:{page}"
    page: int


@dataclass(frozen=True)
class CatType(Code):
    """A type's screen."""

    TEMPLATE = "ct:t:{type_id}"
    type_id: int


@dataclass(frozen=True)
class CatSubtypes(Code):
    """A type's subtypes, with 新增子类."""

    TEMPLATE = "ct:ss:{type_id}"
    type_id: int


@dataclass(frozen=True)
class CatSubtype(Code):
    """A subtype's screen."""

    TEMPLATE = "ct:s:{subtype_id}"
    subtype_id: int


@dataclass(frozen=True)
class CatActive(Code):
    """停用 / 启用 a type or a subtype: the value to set, so a second press changes nothing."""

    TEMPLATE = "ct:a:{scope}:{type_id}:{on}"
    scope: CatScope
    type_id: int
    on: CatSwitch


@dataclass(frozen=True)
class CatFlag(Code):
    """紧急 / 信息报告 / 默认保密 set on or off."""

    TEMPLATE = "ct:f:{scope}:{type_id}:{flag}:{on}"
    scope: CatScope
    type_id: int
    flag: _TypeFlag
    on: CatSwitch


@dataclass(frozen=True)
class CatSections(Code):
    """通报分类: the four sections to choose from."""

    TEMPLATE = "ct:sm:{scope}:{type_id}"
    scope: CatScope
    type_id: int


@dataclass(frozen=True)
class CatSection(Code):
    TEMPLATE = "ct:sc:{scope}:{type_id}:{section}"
    scope: CatScope
    type_id: int
    section: _TypeSection


@dataclass(frozen=True)
class CatSectionOfType(Code):
    """A subtype's 通报分类 follows its type again (its own row goes)."""

    TEMPLATE = "ct:si:{subtype_id}"
    subtype_id: int


@dataclass(frozen=True)
class CatDaysDefault(Code):
    """办理时限 back to the severity's working days."""

    TEMPLATE = "ct:d0:{scope}:{type_id}"
    scope: CatScope
    type_id: int


# The typed steps' entry buttons (the conversation takes them before the family handler).


@dataclass(frozen=True)
class CatNewType(Code):
    TEMPLATE = "ct:nt"


@dataclass(frozen=True)
class CatRenameType(Code):
    TEMPLATE = "ct:rt:{type_id}"
    type_id: int


@dataclass(frozen=True)
class CatNewSubtype(Code):
    TEMPLATE = "ct:ns:{type_id}"
    type_id: int


@dataclass(frozen=True)
class CatRenameSubtype(Code):
    TEMPLATE = "ct:rs:{subtype_id}"
    subtype_id: int


@dataclass(frozen=True)
class CatAskDays(Code):
    """办理时限: the number of working days is typed."""

    TEMPLATE = "ct:d:{scope}:{type_id}"
    scope: CatScope
    type_id: int


# ---- 联合办理 and 会商 (jt:), 请示 on a 督办 notice (is:), 已到场 (sc:) (issue 16 items 4, 5, 7) ------------

from models import InstructionAnswer, InstructionReason  # noqa: E402  (each section imports its own words)


@dataclass(frozen=True)
class JointMenu(Code):
    """联合办理 (from the 分派 menu): the units with which is 主办 and which 协办."""

    TEMPLATE = "jt:m:{case_id}"
    case_id: int


@dataclass(frozen=True)
class JointLead(Code):
    """Make the unit the lead (主办): the usual 分派 to that unit."""

    TEMPLATE = "jt:l:{case_id}:{unit_id}"
    case_id: int
    unit_id: int


@dataclass(frozen=True)
class JointCo(Code):
    """协办 on or off for the unit."""

    TEMPLATE = "jt:c:{case_id}:{unit_id}"
    case_id: int
    unit_id: int


@dataclass(frozen=True)
class ConsultStart(Code):
    """记录会商: pick the participants, the time, then type the conclusion."""

    TEMPLATE = "jt:cs:{case_id}"
    case_id: int


@dataclass(frozen=True)
class ConsultPerson(Code):
    TEMPLATE = "jt:cp:{case_id}:{person_id}"
    case_id: int
    person_id: int


@dataclass(frozen=True)
class ConsultUnit(Code):
    TEMPLATE = "jt:cu:{case_id}:{unit_id}"
    case_id: int
    unit_id: int


@dataclass(frozen=True)
class ConsultNext(Code):
    TEMPLATE = "jt:cn:{case_id}"
    case_id: int


@dataclass(frozen=True)
class ConsultNow(Code):
    """The 会商 has just ended: its time is now."""

    TEMPLATE = "jt:cw:{case_id}"
    case_id: int


@dataclass(frozen=True)
class ConsultCancel(Code):
    TEMPLATE = "jt:cx:{case_id}"
    case_id: int


@dataclass(frozen=True)
class InstructStart(Code):
    """请示 from the notice card (the unit's contact)."""

    TEMPLATE = "is:s:{notice_id}"
    notice_id: int


@dataclass(frozen=True)
class InstructReasonPick(Code):
    TEMPLATE = "is:r:{notice_id}:{reason}"
    notice_id: int
    reason: InstructionReason


@dataclass(frozen=True)
class InstructAnswerPick(Code):
    """A center leader's answer to a 请示 (on the 请示 notification)."""

    TEMPLATE = "is:a:{entry_id}:{answer}"
    entry_id: int
    answer: InstructionAnswer


@dataclass(frozen=True)
class InstructDate(Code):
    """同意延期: the new deadline."""

    TEMPLATE = "is:d:{entry_id}:{day}"
    entry_id: int
    day: date


@dataclass(frozen=True)
class InstructCancel(Code):
    TEMPLATE = "is:x:{subject_id}"
    subject_id: int


@dataclass(frozen=True)
class SceneArrive(Code):
    """已到场 (the 工作联系点 leader, on an urgent alert): asks for the location next."""

    TEMPLATE = "sc:a:{case_id}"
    case_id: int


# ---- 工作联系点: the contact-point leaders' work records, /contact (cp:) ------------------------------
from models import ContactWork as _ContactWork  # noqa: E402


@dataclass(frozen=True)
class ContactList(Code):
    TEMPLATE = "cp:l"


@dataclass(frozen=True)
class ContactVillage(Code):
    """A village's contact-point page: its leaders and latest records."""

    TEMPLATE = "cp:v:{village_id}"
    village_id: int


@dataclass(frozen=True)
class ContactNew(Code):
    """Record a piece of contact-point work in the village: the kind, the day and the text follow."""

    TEMPLATE = "cp:n:{village_id}"
    village_id: int


@dataclass(frozen=True)
class ContactWorkPick(Code):
    TEMPLATE = "cp:w:{work}"
    work: _ContactWork


@dataclass(frozen=True)
class ContactDay(Code):
    TEMPLATE = "cp:d:{day}"
    day: date


@dataclass(frozen=True)
class ContactNoProblem(Code):
    TEMPLATE = "cp:np"


@dataclass(frozen=True)
class ContactAnswer(Code):
    """The director answers a problem a contact point fed back: the answer is typed next."""

    TEMPLATE = "cp:a:{record_id}"
    record_id: int


# ---- 社会治安形势分析 (信息报告制度 二.6/二.7), /analysis (sa:) ------------------------------------------
from models import SituationKind as _SituationKind  # noqa: E402


class _SituationField(_Enum):
    analysis = "analysis"
    measures = "measures"
    next_steps = "next_steps"


@dataclass(frozen=True)
class SituationList(Code):
    TEMPLATE = "sa:l"


@dataclass(frozen=True)
class SituationOpen(Code):
    TEMPLATE = "sa:o:{report_id}"
    report_id: int


@dataclass(frozen=True)
class SituationNew(Code):
    """本月 / 上月 / 本季度: the analysis of those days (an existing one is opened)."""

    TEMPLATE = "sa:n:{kind}:{start}:{end}"
    kind: _SituationKind
    start: date
    end: date


@dataclass(frozen=True)
class SituationEdit(Code):
    """Write one of the three parts: the text is typed next."""

    TEMPLATE = "sa:e:{report_id}:{field}"
    report_id: int
    field: _SituationField


@dataclass(frozen=True)
class SituationSubmit(Code):
    TEMPLATE = "sa:s:{report_id}"
    report_id: int


@dataclass(frozen=True)
class SituationDocx(Code):
    """The submitted analysis as a Word document (GB/T 9704 报告), sent protected."""

    TEMPLATE = "sa:w:{report_id}"
    report_id: int


# ---- 上报上级 (bot/services/upward_reports.py, handlers/upward_reports.py) ---------------------------

from models import UpwardWay  # noqa: E402  (each section imports its own words)


@dataclass(frozen=True)
class UpwardStart(Code):
    """「📤 上报上级」 on the case card, the 信息报告 view and the chase: record a report upward."""

    TEMPLATE = "upw:s:{case_id}"
    case_id: int


@dataclass(frozen=True)
class UpwardDepartment(Code):
    """Toggle one department of the list (/admin → 上级部门). The list's position was carried under
    "upw:d:" before the list could be edited; those old buttons are answered as stale."""

    TEMPLATE = "upw:e:{case_id}:{department_id}"
    case_id: int
    department_id: int


@dataclass(frozen=True)
class UpwardNext(Code):
    TEMPLATE = "upw:n:{case_id}"
    case_id: int


@dataclass(frozen=True)
class UpwardWayPick(Code):
    TEMPLATE = "upw:w:{case_id}:{way}"
    case_id: int
    way: UpwardWay


@dataclass(frozen=True)
class UpwardSkip(Code):
    """No receiver or answer to note."""

    TEMPLATE = "upw:k:{case_id}"
    case_id: int


@dataclass(frozen=True)
class UpwardCancel(Code):
    TEMPLATE = "upw:x:{case_id}"
    case_id: int


# ---- 社会治安重点整治区域 (fa:), 工作联系点制度 二.6 ------------------------------------------------------


@dataclass(frozen=True)
class FocusNew(Code):
    """/focus: 列入重点整治区域 (the director or a leader)."""

    TEMPLATE = "fa:n"


@dataclass(frozen=True)
class FocusVillage(Code):
    TEMPLATE = "fa:v:{village_id}"
    village_id: int


@dataclass(frozen=True)
class FocusDue(Code):
    """整治期限: at listing, or the one extension (the conversation's step says which)."""

    TEMPLATE = "fa:d:{day}"
    day: date


@dataclass(frozen=True)
class FocusOpen(Code):
    """The area's card (on /focus and on every notification about it)."""

    TEMPLATE = "fa:o:{area_id}"
    area_id: int


@dataclass(frozen=True)
class FocusPlan(Code):
    TEMPLATE = "fa:p:{area_id}"
    area_id: int


@dataclass(frozen=True)
class FocusResponsible(Code):
    TEMPLATE = "fa:r:{area_id}:{person_id}"
    area_id: int
    person_id: int


@dataclass(frozen=True)
class FocusCheckStart(Code):
    TEMPLATE = "fa:c:{area_id}"
    area_id: int


@dataclass(frozen=True)
class FocusClose(Code):
    """摘帽 (the director)."""

    TEMPLATE = "fa:z:{area_id}"
    area_id: int


@dataclass(frozen=True)
class FocusExtend(Code):
    """延期, once (the director)."""

    TEMPLATE = "fa:e:{area_id}"
    area_id: int


# ---- 综治工作计划 (工作职责 1), /plan (wp:) ----------------------------------------------------------
from models import PlanPeriod as _PlanPeriod  # noqa: E402


@dataclass(frozen=True)
class PlanNew(Code):
    """/plan: 制定工作计划 (the center's people); the period follows."""

    TEMPLATE = "wp:n"


@dataclass(frozen=True)
class PlanPeriodPick(Code):
    """A year's (part 0), a quarter's or a month's plan: an existing one is opened instead."""

    TEMPLATE = "wp:p:{period}:{year}:{part}"
    period: _PlanPeriod
    year: int
    part: int


@dataclass(frozen=True)
class PlanOpen(Code):
    TEMPLATE = "wp:o:{plan_id}"
    plan_id: int


@dataclass(frozen=True)
class PlanAddTask(Code):
    """A draft's next 工作任务: the text, the owner and the 完成时限 follow."""

    TEMPLATE = "wp:a:{plan_id}"
    plan_id: int


@dataclass(frozen=True)
class PlanOwnerKind(Code):
    """责任单位 (unit) or 责任人 (person): the list of that kind follows."""

    TEMPLATE = "wp:k:{kind}"
    kind: str


@dataclass(frozen=True)
class PlanOwner(Code):
    TEMPLATE = "wp:w:{kind}:{owner_id}"
    kind: str
    owner_id: int


@dataclass(frozen=True)
class PlanDue(Code):
    TEMPLATE = "wp:d:{day}"
    day: date


@dataclass(frozen=True)
class PlanRemove(Code):
    """A draft's 「删除任务」: the task buttons follow."""

    TEMPLATE = "wp:r:{plan_id}"
    plan_id: int


@dataclass(frozen=True)
class PlanRemoveTask(Code):
    TEMPLATE = "wp:x:{task_id}"
    task_id: int


@dataclass(frozen=True)
class PlanIssue(Code):
    """印发 (the director)."""

    TEMPLATE = "wp:i:{plan_id}"
    plan_id: int


@dataclass(frozen=True)
class PlanIssueConfirm(Code):
    TEMPLATE = "wp:y:{plan_id}"
    plan_id: int


@dataclass(frozen=True)
class PlanDocx(Code):
    """The 印发通知 with the plan as a Word document."""

    TEMPLATE = "wp:f:{plan_id}"
    plan_id: int


@dataclass(frozen=True)
class PlanTaskOpen(Code):
    TEMPLATE = "wp:t:{task_id}"
    task_id: int


@dataclass(frozen=True)
class PlanTaskProgress(Code):
    TEMPLATE = "wp:g:{task_id}"
    task_id: int


@dataclass(frozen=True)
class PlanTaskDone(Code):
    TEMPLATE = "wp:c:{task_id}"
    task_id: int


@dataclass(frozen=True)
class PlanTaskSendBack(Code):
    """退回 a reported completion (the director): the reason is typed next."""

    TEMPLATE = "wp:b:{task_id}"
    task_id: int
