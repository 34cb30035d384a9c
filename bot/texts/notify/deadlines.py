"""Notifications of deadlines（期限变更和暂停）: the request to the deciders and the decision."""

from bot.texts.markup import escape
from bot.texts.notify import summary as _summary

APPROVAL = "⏳ 待审批：{who} 申请{kind}\n事项 {number}｜{type}\n{summary}\n当前期限：{due}{new}\n理由：{reason}\n请点「批准」或「驳回」。"
APPROVAL_NEW = "\n申请新期限：{new}"
DECIDED_APPROVED = "✅ 您的{kind}申请已由 {who} 批准：事项 {number}{detail}。"
DECIDED_REFUSED = "❌ 您的{kind}申请被 {who} 驳回：事项 {number}\n理由：{note}\n期限不变：{due}，请按期办理。"


def approval(*, who: str, kind: str, number: str, type: str, summary: str, confidential: bool, due: str,
             new_due: str | None, reason: str) -> str:
    """To every leader and the director: decide a request (批准 / 驳回). `due`, `new_due` as shown."""
    return APPROVAL.format(
        who=escape(who), kind=kind, number=escape(number), type=escape(type),
        summary=_summary.line(summary, confidential=confidential), due=due,
        new=APPROVAL_NEW.format(new=new_due) if new_due else "", reason=escape(reason),
    )


def approved(*, kind: str, number: str, who: str, detail: str) -> str:
    """To the requester: approved; `detail` says what changed (e.g. "，新期限 12月10日 17:30")."""
    return DECIDED_APPROVED.format(kind=kind, number=escape(number), who=escape(who), detail=escape(detail))


def refused(*, kind: str, number: str, who: str, note: str, due: str) -> str:
    """To the requester: refused, with the decider's reason; the deadline stays `due`."""
    return DECIDED_REFUSED.format(kind=kind, number=escape(number), who=escape(who), note=escape(note), due=due)
