"""Notifications of supervision（督办通知和督办单）.

Levels, sources and the kinds of entries and requests come as their stored values ("yellow",
"progress", "materials"); their words live in bot.texts."""

from bot.texts import (
    CONFIDENTIAL_SUMMARY,
    SV_ENTRY_LABELS,
    SV_LEVEL_LABELS,
    SV_LEVEL_MARKS,
    SV_REQUEST_LABELS,
    SV_SIDES,
    SV_SOURCE_LABELS,
)
from bot.texts.markup import escape

ISSUED_TO_UNIT = (
    "{mark} 督办通知书 {number}（{level}·{source}）\n事项 {case_number}：{summary}\n督办要求：{requirements}\n"
    "办理期限：{due}\n反馈要求：{feedback}\n请点「签收」，并按期报告进展和结果。"
)
REISSUED_PREFIX = "↩️ 中心对督办通知书 {old} 的办理结果不认可，重新督办。\n理由：{reason}\n"
CC_TO = (
    "📨 抄送：{mark} 督办通知书 {number}（{level}）\n{side}：{unit}\n事项 {case_number}：{summary}\n"
    "督办要求：{requirements}\n办理期限：{due}\n供知悉，无需签收。"
)
CC_CONFIDENTIAL = "📨 抄送：督办通知书 {number}（保密事项，详情不随抄送发送；需要时请联系中心主任）。"
ISSUED_TO_DIRECTOR = "📮 已下达督办通知书 {number}（{level}）：{unit}，事项 {case_number}，期限 {due}。"
SIGNED_TO_DIRECTOR = "✍️ {unit} {who} 已签收督办通知书 {number}。"
ENTRY_TO_DIRECTOR = "📝 {unit} {who} 报送督办通知书 {number} 的{kind}：\n{text}{files}"
ENTRY_FILES = "\n（附件 {count} 个）"
ACCEPTED_TO_UNIT = "✅ 督办通知书 {number} 的办理结果已获中心认可，本次督办办结。"
REQUEST_TO_UNIT = "📂 中心要求{kind}：督办通知书 {number}（事项 {case_number}）\n{text}\n请点「答复」报送。"
ANSWERED_TO_DIRECTOR = "📤 {unit} {who} 答复了督办通知书 {number} 的「{kind}」要求：\n{text}{files}"
CLOSED_TO_UNIT = (
    "📁 经 {who} 批准，督办通知书 {number}{what}。\n说明：{note}\n"
    "请于 {due} 前告知当事人，告知后点「已告知当事人」登记。"
)
PARTY_REMINDER = (
    "📣 提醒：督办通知书 {number}（事项 {case_number}）{what}，须于 {due} 前告知当事人，尚未登记。"
    "告知后请点「已告知当事人」。"
)
PARTY_LATE_TO_DIRECTOR = "⚠️ 督办通知书 {number}{what}已满 3 日，{unit} 仍未登记告知当事人。"
PARTY_RECORDED_TO_DIRECTOR = "📣 {unit} {who} 已告知当事人：督办通知书 {number}\n{text}"
SIGN_REMINDER = "⏰ 督办通知书 {number} 下达已超过 {hours} 个工作小时仍未签收，请立即点「签收」。"
SIGN_ESCALATION = "⚠️ {unit} 超过 {hours} 个工作小时未签收督办通知书 {number}（事项 {case_number}）。"
YELLOW_TO_UNIT = "🟡 督办通知书 {number} 已用去 {percent}% 的办理时间仍未办结，督办级别升为黄牌。期限 {due}，请抓紧办理并报告进展。"
YELLOW_TO_DIRECTOR = "🟡 督办通知书 {number}（{unit}）已用去 {percent}% 的办理时间仍未办结，已自动升为黄牌。"
OVERDUE_TO_UNIT = (
    "🔴 督办通知书 {number}（事项 {case_number}）已于 {due} 到期仍未办结{raised}。\n"
    "请点「说明超期原因」，报告超期原因及目前进展。"
)
OVERDUE_TO_DIRECTOR = "🔴 督办通知书 {number} 已超期：{unit}，事项 {case_number}{raised}。已要求其报告超期原因及进展。"
RAISED_RED = "，督办级别升为红牌"
DOCX_CAPTION = "📄 督办通知书 {number}（Word 文件，可直接打印）"


def _summary(summary: str, confidential: bool) -> str:
    """A confidential case's summary stays out of chats: the card shows it to those who may see it."""
    return CONFIDENTIAL_SUMMARY if confidential else escape(summary)


def _files(count: int) -> str:
    return ENTRY_FILES.format(count=count) if count else ""


def document_caption(*, number: str) -> str:
    """The caption of the notice's .docx."""
    return DOCX_CAPTION.format(number=escape(number))


def issued_to_unit(*, number: str, level: str, source: str, case_number: str, summary: str, confidential: bool,
                   requirements: str, due: str, feedback: str, reissued_from: str | None = None,
                   reissue_reason: str | None = None) -> str:
    """To the unit's contacts: a new notice to sign (after a 不认可, with the old notice and why)."""
    text = ISSUED_TO_UNIT.format(
        mark=SV_LEVEL_MARKS[level], number=escape(number), level=SV_LEVEL_LABELS[level],
        source=SV_SOURCE_LABELS[source], case_number=escape(case_number), summary=_summary(summary, confidential),
        requirements=escape(requirements), due=escape(due), feedback=escape(feedback),
    )
    if reissued_from is None:
        return text
    return REISSUED_PREFIX.format(old=escape(reissued_from), reason=escape(reissue_reason or "")) + text


def issued_to_director(*, number: str, level: str, unit: str, case_number: str, due: str) -> str:
    return ISSUED_TO_DIRECTOR.format(number=escape(number), level=SV_LEVEL_LABELS[level], unit=escape(unit),
                                     case_number=escape(case_number), due=escape(due))


def copied(*, number: str, level: str, unit: str, case_number: str, summary: str, confidential: bool,
           requirements: str, due: str, to_person: bool = False) -> str:
    """抄送: for information, no signing. `unit` names the 承办: a unit, or a person (`to_person`)."""
    return CC_TO.format(
        mark=SV_LEVEL_MARKS[level], number=escape(number), level=SV_LEVEL_LABELS[level],
        side=SV_SIDES["p" if to_person else "u"], unit=escape(unit),
        case_number=escape(case_number), summary=_summary(summary, confidential), requirements=escape(requirements),
        due=escape(due))


def copied_confidential(*, number: str) -> str:
    """抄送 of a confidential case to someone who may not open it: the number only."""
    return CC_CONFIDENTIAL.format(number=escape(number))


def signed(*, unit: str, who: str, number: str) -> str:
    return SIGNED_TO_DIRECTOR.format(unit=escape(unit), who=escape(who), number=escape(number))


def entry_reported(*, unit: str, who: str, number: str, kind: str, text: str, files: int) -> str:
    """To the directors: the unit's 进展, 结果 or 超期原因 (`kind` as stored: progress, result, overdue_reason)."""
    return ENTRY_TO_DIRECTOR.format(unit=escape(unit), who=escape(who), number=escape(number),
                                    kind=SV_ENTRY_LABELS[kind], text=escape(text), files=_files(files))


def answered(*, unit: str, who: str, number: str, kind: str, text: str, files: int) -> str:
    """To the directors: the answer to a 调阅 or 汇报 request (`kind`: materials, briefing)."""
    return ANSWERED_TO_DIRECTOR.format(unit=escape(unit), who=escape(who), number=escape(number),
                                       kind=SV_REQUEST_LABELS[kind], text=escape(text), files=_files(files))


def party_recorded(*, unit: str, who: str, number: str, text: str) -> str:
    return PARTY_RECORDED_TO_DIRECTOR.format(unit=escape(unit), who=escape(who), number=escape(number),
                                             text=escape(text))


def accepted(*, number: str) -> str:
    return ACCEPTED_TO_UNIT.format(number=escape(number))


def requested(*, kind: str, number: str, case_number: str, text: str) -> str:
    """To the unit: 调阅 or 汇报 (`kind`: materials, briefing)."""
    return REQUEST_TO_UNIT.format(kind=SV_REQUEST_LABELS[kind], number=escape(number),
                                  case_number=escape(case_number), text=escape(text))


def closed(*, who: str, number: str, what: str, note: str, due: str) -> str:
    """To the unit: closed or transferred (`what` as worded by the service), tell the party by `due`."""
    return CLOSED_TO_UNIT.format(who=escape(who), number=escape(number), what=escape(what), note=escape(note),
                                 due=escape(due))


def sign_reminder(*, number: str, hours: float) -> str:
    return SIGN_REMINDER.format(number=escape(number), hours=f"{hours:g}")


def sign_escalation(*, unit: str, hours: float, number: str, case_number: str) -> str:
    return SIGN_ESCALATION.format(unit=escape(unit), hours=f"{hours:g}", number=escape(number),
                                  case_number=escape(case_number))


def overdue_to_unit(*, number: str, case_number: str, due: str, raised: bool) -> str:
    return OVERDUE_TO_UNIT.format(number=escape(number), case_number=escape(case_number), due=escape(due),
                                  raised=RAISED_RED if raised else "")


def overdue_to_director(*, number: str, unit: str, case_number: str, raised: bool) -> str:
    return OVERDUE_TO_DIRECTOR.format(number=escape(number), unit=escape(unit), case_number=escape(case_number),
                                      raised=RAISED_RED if raised else "")


def yellow_to_unit(*, number: str, percent: int, due: str) -> str:
    return YELLOW_TO_UNIT.format(number=escape(number), percent=percent, due=escape(due))


def yellow_to_director(*, number: str, unit: str, percent: int) -> str:
    return YELLOW_TO_DIRECTOR.format(number=escape(number), unit=escape(unit), percent=percent)


def party_reminder(*, number: str, case_number: str, what: str, due: str) -> str:
    return PARTY_REMINDER.format(number=escape(number), case_number=escape(case_number), what=escape(what),
                                 due=escape(due))


def party_late(*, number: str, what: str, unit: str) -> str:
    return PARTY_LATE_TO_DIRECTOR.format(number=escape(number), what=escape(what), unit=escape(unit))
