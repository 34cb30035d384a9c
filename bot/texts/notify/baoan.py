"""Notifications of baoan（包案）."""

from bot.texts import CONFIDENTIAL_SUMMARY
from bot.texts.markup import escape

PROPOSAL = (
    "🧑‍⚖️ 包案审批：{proposer} 提议由 {leader} 包案\n事项 {number}｜{type}\n{summary}\n理由：{reason}\n"
    "请点「批准」，或「另选领导」「不同意」。"
)
TO_LEADER = (
    "📌 经党委书记 {secretary} 批准，由您包案：事项 {number}｜{type}\n{summary}\n材料：附件 {files} 个，请在事项卡片中查看。\n"
    "请开展调查研究，制定调处方案并定出调处期限。"
)
TO_PROPOSER_APPROVED = "✅ 您提议的包案已获批准：事项 {number} 由 {leader} 包案。"
TO_PROPOSER_REFUSED = "❌ 您提议的包案未获同意：事项 {number}\n理由：{reason}"
EXTENSION_ASK = (
    "⏳ 包案延期审批：{leader} 申请延长事项 {number} 的调处期限\n{summary}\n当前期限：{due}\n"
    "申请新期限：{new}\n理由：{reason}\n请点「批准延期」或「驳回」。"
)
EXTENSION_APPROVED = "✅ 党委书记 {who} 已批准延期：事项 {number}，新期限 {due}。请在延缓期限内办结。"
EXTENSION_REFUSED = "❌ 党委书记 {who} 未批准延期：事项 {number}\n理由：{note}\n期限不变：{due}，请按期办结。"
COMPLETED = "🏁 包案事项 {number} 已由 {leader} 办结（{outcome}），办结材料 {files} 个已随事项归档。{joint}"
UPPER = "🤝 上级协调：包案领导 {leader} 就事项 {number} 联系了上级部门。\n{note}\n详情请点「查看事项」。"
COMPLETED_JOINT = "\n与上级联合调处，书面告知：{text}"


def _summary(summary: str, confidential: bool) -> str:
    """A confidential case's summary stays out of chats: the card shows it to those who may see it."""
    return CONFIDENTIAL_SUMMARY if confidential else escape(summary)


def proposed(*, proposer: str, leader: str, number: str, case_type: str, summary: str, confidential: bool,
             reason: str) -> str:
    """To the party secretaries: a 包案 proposal to decide."""
    return PROPOSAL.format(proposer=escape(proposer), leader=escape(leader), number=escape(number),
                           type=escape(case_type), summary=_summary(summary, confidential), reason=escape(reason))


def refused(*, number: str, reason: str) -> str:
    """To the proposer: the secretary did not agree."""
    return TO_PROPOSER_REFUSED.format(number=escape(number), reason=escape(reason))


def to_leader(*, secretary: str, number: str, case_type: str, summary: str, confidential: bool, files: int) -> str:
    """To the leader the secretary approved: the case is theirs now."""
    return TO_LEADER.format(secretary=escape(secretary), number=escape(number), type=escape(case_type),
                            summary=_summary(summary, confidential), files=files)


def approved(*, number: str, leader: str) -> str:
    """To the proposer: approved, with the leader chosen."""
    return TO_PROPOSER_APPROVED.format(number=escape(number), leader=escape(leader))


def extension_asked(*, leader: str, number: str, summary: str, confidential: bool, due: str, new: str,
                    reason: str) -> str:
    """To the party secretaries: the 包案领导 asks for a later handling deadline."""
    return EXTENSION_ASK.format(leader=escape(leader), number=escape(number), summary=_summary(summary, confidential),
                                due=escape(due), new=escape(new), reason=escape(reason))


def extension_approved(*, who: str, number: str, due: str) -> str:
    return EXTENSION_APPROVED.format(who=escape(who), number=escape(number), due=escape(due))


def extension_refused(*, who: str, number: str, note: str, due: str) -> str:
    return EXTENSION_REFUSED.format(who=escape(who), number=escape(number), note=escape(note), due=escape(due))


def completed(*, number: str, leader: str, outcome: str, files: int, joint: str | None) -> str:
    """To the director, the secretaries and the proposer: the 包案领导 finished (with the joint-handling
    notice, if the matter was handled with a higher level)."""
    return COMPLETED.format(number=escape(number), leader=escape(leader), outcome=escape(outcome), files=files,
                            joint=COMPLETED_JOINT.format(text=escape(joint)) if joint else "")


def upper(*, leader: str, number: str, note: str, confidential: bool) -> str:
    """To the party secretary who approved the 包案: the leader asked a higher department for help."""
    return UPPER.format(leader=escape(leader), number=escape(number), note=_summary(note, confidential))
