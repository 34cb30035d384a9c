"""综治工作计划 (综治中心工作职责 1): 制定 → 印发 → 组织实施 (进展、完成、退回)."""

from bot.texts.ledgers import date_text as cn_date
from models import PlanPeriod, TaskStatus

__all__ = ["cn_date"]

QUARTERS = "一二三四"
TASK_LABELS = {TaskStatus.open: "进行中", TaskStatus.done: "已完成"}
OVERDUE_LABEL = "已逾期"
LATE_DONE_LABEL = "逾期完成"
TASK_ICONS = {"open": "⏳", "overdue": "🔴", "done": "✅"}


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def period_title(period: PlanPeriod, year: int, part: int) -> str:
    """2027年综治工作计划 / 2027年第一季度综治工作计划 / 2026年12月综治工作计划."""
    if period == PlanPeriod.quarter:
        return f"{year}年第{QUARTERS[part - 1]}季度综治工作计划"
    if period == PlanPeriod.month:
        return f"{year}年{part}月综治工作计划"
    return f"{year}年综治工作计划"


def plan_number(code: str, year: int, seq: int) -> str:
    """The 印发通知's 发文字号, apart from the 督办通知书's: 综治发〔2026〕3号."""
    return f"{code}发〔{year}〕{seq}号"


NOT_ALLOWED = "综治工作计划只有中心人员、镇领导和成员单位、村（社区）联系人可以查看。"
NOT_DRAFTER = "只有中心主任、中心领导和工作人员可以制定工作计划。"
NOT_DIRECTOR = "只有中心主任可以{what}。"
WHAT_ISSUE = "印发工作计划"
WHAT_SEND_BACK = "退回任务"
NOT_OWNER = "这项任务不是你（你单位）承担的，不能填报。"
NOT_FOUND = "没有找到这个工作计划，请发送 /plan 重新查看。"
TASK_NOT_FOUND = "没有找到这项任务，请发送 /plan 重新查看。"
NOT_DRAFT = "这个计划已印发，任务不能再改。请发送 /plan 查看。"
NOT_ISSUED = "这个计划还没有印发。"
DRAFT_HIDDEN = "这个计划还是草稿，印发后才能查看。"
EXISTS = "{title}已经有了，请在 /plan 中打开它。"
NO_TASKS = "计划还没有任务，请先添加任务再印发。"
TOO_MANY_TASKS = "一个计划最多 {n} 项任务。"
BAD_AIM = "请写明总体目标和工作思路（2–1000 字）。"
BAD_TASK = "请写明工作任务（2–300 字）。"
BAD_PROGRESS = "请写明进展情况（2–500 字）。"
BAD_RESULT = "请写明完成情况（2–500 字）。"
BAD_REASON = "请写明退回理由（2–300 字）。"
BAD_OWNER = "请从按钮中选择责任单位或责任人。"
DUE_OUTSIDE = "完成时限应在计划期内（{start}至{end}），且不早于今天，请重新选择。"
DUE_HOLIDAY = "{day}不是工作日。请选择工作日，例如 {before}。"
ALREADY_DONE = "这项任务已报完成。如需补充，请联系中心主任退回。"
NOT_DONE = "这项任务还没有报完成，不能退回。"
PRIVATE_ONLY = "工作计划请在与我的私聊中办理。"
STALE = "这一步已失效，请发送 /plan 重新开始。"
WRONG_INPUT = "请按提示输入文字，或点上面的按钮。发 /cancel 取消。"
CANCELLED = "已取消，没有保存。"

LIST_HEAD = "📋 综治工作计划："
LIST_EMPTY = "📋 还没有综治工作计划。"
LIST_ROW = "{title} · {state}"
LIST_ROW_DRAFT = "（草稿）"
LIST_ROW_TASKS = "{done}/{total} 完成"
BUTTON_NEW = "➕ 制定工作计划"
ASK_PERIOD = "制定哪一期的计划？"
ASK_AIM = "《{title}》\n请写明总体目标和工作思路（2–1000 字）："
CREATED = "已建立《{title}》草稿。请添加工作任务，任务齐了由中心主任印发。"

BUTTON_ADD = "➕ 添加任务"
BUTTON_REMOVE = "🗑 删除任务"
BUTTON_ISSUE = "📤 印发"
BUTTON_DOCX = "📄 Word 印发件"
BUTTON_TASK = "第{seq}项"
BUTTON_VIEW = "📋 查看计划"
BUTTON_VIEW_TASK = "查看任务"
BUTTON_PROGRESS = "📝 报进展"
BUTTON_DONE = "✅ 报完成"
BUTTON_SEND_BACK = "↩️ 退回"
BUTTON_UNIT = "🏢 责任单位"
BUTTON_PERSON = "👤 责任人"
DUE_BUTTON = "{label} · {date}"
DUE_PLUS = "+{n}个工作日"
DUE_MONTH_END = "月底"
DUE_END_OF = "{month}月底"

ASK_TASK = "请写明第{seq}项工作任务（2–300 字）："
ASK_OWNER_KIND = "这项任务由谁负责？"
ASK_UNIT = "请选择责任单位："
ASK_PERSON = "请选择责任人："
PERSON_CHOICE = "{name}（{place}）"
ASK_DUE = "请选择完成时限，或输入日期，例如 {example}："
BAD_DATE = "没有看懂这个日期，请输入例如 {example}，或点按钮。"
TASK_ADDED = "已添加第{seq}项任务。"
ASK_REMOVE = "删除哪一项任务？"
TASK_REMOVED = "已删除第{seq}项任务，后面的任务已重新编号。"
ASK_ISSUE = "印发后计划和任务不能再改，各责任单位和责任人会收到任务。确认印发《{title}》？"
BUTTON_ISSUE_CONFIRM = "✅ 确认印发"
ISSUED = "已印发《{title}》（{number}），已通知 {count} 位责任人员，另发送 {others} 人阅知。"
ASK_PROGRESS = "第{seq}项：{text}\n请写明目前的进展（2–500 字）："
ASK_RESULT = "第{seq}项：{text}\n请写明完成情况（2–500 字）："
ASK_REASON = "第{seq}项：{text}\n请写明退回的理由（2–300 字），责任人员会收到："
PROGRESS_SAVED = "已记录进展。"
DONE_SAVED = "已报完成，中心主任会收到。"
SENT_BACK = "已退回第{seq}项任务，责任人员会收到。"

# The cards
CARD = ("📋 <b>{title}</b>\n{number}{status}\n"
        "<b>总体目标</b>：{aim}\n\n<b>工作任务</b>（{done}/{total} 完成）：\n{tasks}")
CARD_NUMBER = "{number} · "
CARD_AIM_CHARS, CARD_TASK_CHARS = 400, 40  # a plan of 30 tasks still fits one message (4 096 characters)
CARD_ISSUED = "{who} {when}印发"
CARD_DRAFT = "草稿 · {who}制定"
CARD_TASK = "{icon} {seq}. {text}\n    责任：{owner} · 时限：{due}\n"
NO_TASK_YET = "（还没有任务）\n"
TASK_CARD = ("📌 《{title}》第{seq}项\n{text}\n责任：{owner}\n完成时限：{due}\n状态：{status}"
             "{progress}{result}{returned}")
TASK_PROGRESS = "\n进展（{when}）：{text}"
TASK_RESULT = "\n完成情况（{who} {when}）：{text}"
TASK_RETURNED = "\n上次退回理由：{text}"

# Notifications
TO_ISSUED = "📋 《{title}》（{number}）已印发。你（你单位）承担以下任务，请按时限完成并在这里报进展、报完成：\n{tasks}"
TO_CIRCULATED = "📋 {who}已印发《{title}》（{number}），共 {count} 项工作任务。请点「查看计划」阅知。"
TO_ISSUED_TASK = "{seq}. {text}（时限 {due}）\n"
TO_DONE = "✅ 《{title}》第{seq}项已由{who}报完成：{text}\n完成情况：{result}"
TO_SENT_BACK = "↩️ 《{title}》第{seq}项被{who}退回：{reason}\n请继续办理后再报完成。"
CHASE_SOON = "⏰ 《{title}》第{seq}项（{text}）完成时限为 {due}，还没有报完成。请抓紧办理并报进展。"
CHASE_OVERDUE = "🔴 《{title}》第{seq}项（{text}）已过完成时限 {due}，尚未完成。责任：{owner}。请尽快办理并报完成。"

# The 印发通知 (GB/T 9704): 关于印发《…》的通知, the plan follows
DOCX_TITLE = "关于印发《{title}》的通知"
DOCX_ADDRESSEE = "各村（社区）、各成员单位，中心各成员"
DOCX_INTRO = "现将《{title}》印发给你们，请结合实际，认真抓好落实，按时限报送完成情况。"
DOCX_AIM = "一、总体目标"
DOCX_TASKS = "二、工作任务"
DOCX_TASK = "（{n}）{text}。责任：{owner}；完成时限：{due}。"
DIGITS = "一二三四五六七八九"


def cn_numeral(n: int) -> str:
    """1–99 as 一 … 十 … 十一 … 二十一: the （一）（二） of a 公文's items."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else DIGITS[tens - 1] + "十")
    return head + (DIGITS[ones - 1] if ones else "")

# A meeting's draft agenda (bot/services/meetings.draft_agenda): the unfinished tasks
AGENDA_TASK = "  《{title}》第{seq}项 {text}（{owner}，时限 {due}{late}）"
AGENDA_LATE = "，已逾期"
AGENDA_MORE = "  ……另有 {count} 项，见 /plan"

# The 目标管理考核's item 工作计划落实: a task that cost the unit or village its points
LATE_TASK_CHARS = 30
LATE_TASK = "{number} 第{seq}项 {text}（时限 {due}，{state}）"
LATE_OPEN = "逾期未完成"
LATE_DONE = "{day}逾期完成"

# The 目标管理责任书 lists the tasks its party answers for
AGREEMENT_TASK = "{text}（{number}第{seq}项，完成时限{due}）"

# The 综治工作计划台账
LEDGER_PLAN = "《{title}》（{number}）"
LEDGER_STATUS_DONE = "已完成"
