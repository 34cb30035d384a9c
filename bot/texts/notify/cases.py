"""Notifications of cases: a new case, an assignment, a reopened case and the reporter's status
updates (bot/services/cases.py)."""

from bot.texts.markup import escape
from bot.texts.notify import summary as _summary

NEW_CASE = "🆕 新事项 {number}{urgent}\n{type}｜{severity}｜{village}\n{summary}\n上报：{reporter}"
URGENT_MARK = " 🚨紧急"
ASSIGNED = (
    "📌 事项 {number} 已分派给您{via}。\n{type}｜{village}\n{summary}\n期限：{due}{instructions}\n"
    "请尽快调处并在事项卡片上报进展。"
)
ASSIGNED_DUE = "{due}（{left}）"
ASSIGNED_NO_DUE = "尚未设定（设定后会另行通知）"
ASSIGNED_INSTRUCTIONS = "\n分派要求：{text}"
STATUS = "🔔 您上报的事项 {number} 状态更新：{status}{detail}"
REOPENED = "↩️ 事项 {number} 当事人不满意，已重新办理，请继续调处。"


def new_case(*, number: str, urgent: bool, type: str, severity: str, village: str, summary: str,
             confidential: bool, reporter: str) -> str:
    """To the village's contact-point leaders and the case desk (and more for urgent/confidential cases).
    `severity` is its label; `village` "" when none."""
    return NEW_CASE.format(
        number=escape(number), urgent=URGENT_MARK if urgent else "", type=escape(type), severity=escape(severity),
        village=escape(village or "—"), summary=_summary.line(summary, confidential=confidential),
        reporter=escape(reporter),
    )


def assigned(*, number: str, unit: str | None, type: str, village: str, summary: str, confidential: bool,
             due: str | None, left: str | None, instructions: str | None) -> str:
    """To the assignee (the handler, or the unit's contacts: `unit` is then its name). `due`/`left` as
    shown, `due` None while the case has no deadline."""
    shown = due if due is None or not left else ASSIGNED_DUE.format(due=due, left=left)
    return ASSIGNED.format(
        number=escape(number), via=f"（{escape(unit)}）" if unit else "", type=escape(type),
        village=escape(village or "—"), summary=_summary.line(summary, confidential=confidential),
        due=shown or ASSIGNED_NO_DUE,
        instructions=ASSIGNED_INSTRUCTIONS.format(text=escape(instructions)) if instructions else "",
    )


def reopened(*, number: str) -> str:
    """To the handler, the unit and the desk: the parties were not satisfied."""
    return REOPENED.format(number=escape(number))


def status(*, number: str, status: str, detail: str = "") -> str:
    """To the reporter: their case's new status (its label) and a detail from one of the `detail_*`
    functions below ("" for none)."""
    return STATUS.format(number=escape(number), status=status, detail=detail)


def detail_choice(choice: str) -> str:
    """The detail after a status: what was chosen or whom it went to, e.g. "（调解成功）", "（李四）"."""
    return f"（{escape(choice)}）"


def detail_transferred(*, to: str) -> str:
    return f"（转至 {escape(to)}）"


def detail_declined(*, guidance: str) -> str:
    """Why not accepted and where to go instead."""
    return f"\n告知：{escape(guidance)}"


def detail_progress(*, note: str) -> str:
    return f"\n{escape(note)}"


# --- joint handling (issue 16): a 协办 unit's progress reaches the lead unit --------------------
CO_UNIT_PROGRESS = "📝 事项 {number}：协办单位 {unit} 的 {who} 报送了进展。\n{note}{files}"


def co_unit_progress(*, number: str, unit: str, who: str, note: str, files: int) -> str:
    return CO_UNIT_PROGRESS.format(number=number, unit=escape(unit), who=escape(who), note=escape(note),
                                   files=f"\n附件 {files} 个" if files else "")
