"""请示 on a 督办通知书 (issue 16): the unit asks the center leaders; their answer is recorded on the notice."""

from models import InstructionAnswer, InstructionReason

BUTTON = "🙋 请示中心领导"
REASON_LABELS = {
    InstructionReason.overdue: "无法按期办结",
    InstructionReason.coordination: "需要协调",
    InstructionReason.changed: "情况重大变化",
    InstructionReason.other: "其他",
}
ANSWER_LABELS = {
    InstructionAnswer.extend: "同意延期",
    InstructionAnswer.close: "同意结案",
    InstructionAnswer.transfer: "同意移送",
    InstructionAnswer.refuse: "不同意",
}
ENTRY_ASK = "请示"
ENTRY_ANSWER = "请示答复"

ASK_REASON = "🙋 就督办通知书 {number} 请示中心领导。请选择请示事由："
ASK_DETAIL = "请示事由：{reason}\n请写明具体情况和请示事项（例如需延期到哪天、需哪些部门协调）。发 /cancel 取消。"
SENT = "✅ 请示已报中心领导，答复后会通知您。"
CANCELLED = "已取消。"
TIMEOUT = "操作超时，已取消。需要时请重新开始。"
WRONG_TYPE = "这一步需要文字。请直接输入，或发 /cancel 取消。"
ALREADY_OPEN = "督办通知书 {number} 已有一项请示在等待中心领导答复，请等答复后再请示。"
NOT_CONTACT = "只有承办单位的联络人或承办人员本人可以请示。"
NOT_APPROVER = "只有中心领导或中心主任可以答复请示。"
OWN_INSTRUCTION = "这是您作为承办人员提出的请示，请由其他中心领导或中心主任答复。"
ANSWERED = "这项请示已由 {who} 答复（{answer}），无需重复答复。"
NOT_FOUND = "没有找到这项请示。"

ANSWER_PICK_DATE = "同意延期：请选择新的办理期限，或输入日期（例如 12月20日）。"
ANSWER_DATE_BAD = "没看懂这个日期。请输入例如 12月20日，或点上方日期。"
ANSWER_DATE_EARLY = "新的期限应晚于原期限 {due}。"
ANSWER_ASK_DEPARTMENT = "同意移送：请输入接收部门的名称。"
ANSWER_ASK_TEXT = "{answer}：请输入答复意见（会告知承办单位）。发 /cancel 取消。"
ANSWER_DONE = "✅ 已答复请示（{answer}），已告知承办单位。"
ASK_DATE_BUTTON = "{label}（+{n}个工作日）"
CANCEL_BUTTON = "✖️ 取消"
ANSWER_ON_CARD = "请示：{answer}"
