"""社会治安重点整治区域 (综治中心工作联系点制度 二.6): 列入 → 整治方案和责任人 → 督促检查 → 摘帽."""

from bot.texts.ledgers import date_text as cn_date
from models import FocusStatus

__all__ = ["cn_date"]

STATUS_LABELS = {FocusStatus.open: "整治中", FocusStatus.closed: "已摘帽"}
OVERDUE_LABEL = "整治中（已超期）"

NOT_ALLOWED = "重点整治区域只有中心主任、领导、工作人员和本村（社区）负责人可以查看。"
NOT_LISTER = "只有中心主任或中心领导可以列入重点整治区域。"
NOT_CONTACT = "只有本村（社区）的联系点领导或中心主任可以{what}。"
NOT_DIRECTOR = "只有中心主任可以{what}。"
WHAT_PLAN = "记录整治方案"
WHAT_CHECK = "记录督促检查"
WHAT_CLOSE = "摘帽"
WHAT_EXTEND = "延长整治期限"
NOT_FOUND = "没有找到这个重点整治区域，请发送 /focus 重新查看。"
NOT_OPEN = "{village}已摘帽，不能再修改。请发送 /focus 查看。"
ALREADY_LISTED = "{village}已列为重点整治区域（{when}列入），同一村（社区）同时只能有一个。请在 /focus 中查看。"
ALREADY_LISTED_NOW = "{village}刚刚已被列为重点整治区域。请在 /focus 中查看。"
NO_VILLAGE = "没有找到这个村（社区），请重新选择。"
BAD_PROBLEM = "请写明突出问题（2–300 字）。"
BAD_PLAN = "请写明整治方案（2–1000 字）。"
BAD_CHECK = "请写明检查情况（2–500 字）。"
BAD_RESULT = "请写明整治成效（2–500 字）。"
BAD_REASON = "请写明延期理由（2–300 字）。"
BAD_RESPONSIBLE = "请从按钮中选择责任人。"
DUE_PASSED = "整治期限应晚于今天，请重新选择。"
DUE_NOT_WORKDAY = ("{day}是节假日或周末，整治期限须是工作日。可改为 {suggestion}（点下方按钮），"
                   "或重新输入一个工作日。")
BUTTON_SUGGESTED = "改为 {day}"
DUE_NOT_LATER = "延长后的期限应晚于现在的期限（{due}），请重新选择。"
ALREADY_EXTENDED = "整治期限已延长过一次，不能再延期。到期请摘帽或继续督促。"
PRIVATE_ONLY = "重点整治区域请在与我的私聊中办理。"
STALE = "这一步已失效，请发送 /focus 重新开始。"
WRONG_INPUT = "请按提示输入文字，或点上面的按钮。发 /cancel 取消。"
CANCELLED = "已取消，没有保存。"

LIST_HEAD = "🎯 社会治安重点整治区域（整治中）："
LIST_EMPTY = "🎯 目前没有列为重点整治区域的村（社区）。"
LIST_ROW = "{light}{village} · {problem}"
BUTTON_NEW = "➕ 列入重点整治区域"

ASK_VILLAGE = "列入重点整治区域：请选择村（社区）。括号内为近三个月登记的事项数，供参考。"
VILLAGE_BUTTON = "{name}（{count}）"
NO_VILLAGES = "所有村（社区）都已列为重点整治区域，或还没有村（社区）。"
ASK_PROBLEM = "{village}：存在的突出问题是什么？（2–300 字）发 /cancel 取消。"
ASK_DUE = "{village}：请选择整治期限（按工作日推算），或直接输入日期，例如 {example}。"
DUE_BUTTON = "+{n}个工作日 · {date}"
BAD_DATE = "没有看懂这个日期。请点按钮，或输入例如 {example}。"
LISTED = "✅ 已将{village}列为重点整治区域，整治期限 {due}。已通知联系点领导和村（社区）负责人（共 {count} 位）。"

CARD = ("🎯 <b>社会治安重点整治区域</b>\n村（社区）：{village}\n突出问题：{problem}\n列入：{listed}，{lister}\n"
        "整治期限：{due}{light}{extended}\n联系点领导：{leaders}\n整治方案：{plan}\n责任人：{responsible}\n"
        "检查记录：{checks}\n状态：{status}{result}")
CARD_LIGHT = "（{light} {words}）"
CARD_EXTENDED = "\n已延期一次：{reason}"
CARD_RESULT = "\n成效：{result}（{who}，{when}）"
CARD_CHECK = "\n· {when} {who}：{text}"
NONE = "—"
NO_PLAN = "尚未制定"
NO_CHECKS = "暂无"

BUTTON_VIEW = "查看整治区域"
BUTTON_PLAN = "📝 整治方案"
BUTTON_CHECK = "🔍 记录检查"
BUTTON_CLOSE = "✅ 摘帽"
BUTTON_EXTEND = "⏳ 延期"

ASK_PLAN = "{village}：请写明整治方案（召集责任人、措施、步骤，2–1000 字）。发 /cancel 取消。"
ASK_RESPONSIBLE = "谁是整治责任人？"
NO_CANDIDATES = "没有可选的责任人：请先为{village}登记村（社区）负责人或网格员。"
PLAN_SAVED = "✅ 已记录{village}的整治方案，责任人：{responsible}。"
ASK_CHECK = "{village}：请写明这次督促检查的情况（2–500 字）。发 /cancel 取消。"
CHECK_SAVED = "✅ 已记录督促检查（第 {count} 次）。"
ASK_RESULT = "{village}摘帽：请写明整治成效（2–500 字）。发 /cancel 取消。"
CLOSED = "✅ {village}已摘帽。已通知联系点领导和村（社区）负责人。"
ASK_REASON = "{village}延期：请写明理由（2–300 字）。只能延期一次。发 /cancel 取消。"
ASK_NEW_DUE = "现在的期限是 {due}。请选择新的整治期限，或直接输入日期，例如 {example}。"
EXTENDED = "✅ 整治期限已延长至 {due}。"

# to the village's contact-point leaders, its head, the director, the 责任人
TO_LISTED = ("🎯 {village}已被{lister}列为社会治安重点整治区域。\n突出问题：{problem}\n整治期限：{due}\n"
             "请联系点领导召集责任人，5 个工作日内制定整治方案，并加强督促检查。")
TO_PLAN = "📝 {village}重点整治的整治方案已由{who}记录，责任人：{responsible}。\n{plan}"
TO_CLOSED = "✅ {village}重点整治区域已摘帽（{who}）。\n成效：{result}"
TO_EXTENDED = "⏳ {village}重点整治期限已由{who}延长至 {due}。理由：{reason}"
CHASE_PLAN = ("⏰ {village}列为重点整治区域已 {days} 个工作日（{listed}列入），还没有整治方案。"
              "请联系点领导召集责任人，尽快制定并记录整治方案。")
CHASE_CHECK = ("⏰ {village}重点整治已 {days} 个工作日没有督促检查记录（上次：{since}）。"
               "请联系点领导到村督促检查，并在这里记录。")
TO_OVERDUE = "🔴 {village}重点整治已过整治期限（{due}），仍未摘帽。请督促整改，或摘帽、延期。"
CHECK_NEVER = "列入后未检查"

# 社会治安重点整治台账 (bot/services/ledgers/focus_ledger.py)
LEDGER_EXTENDED = "（已延期：{reason}）"
LEDGER_CHECKS = "{count} 次，最近 {last}"
LEDGER_NO_CHECKS = "未检查"
