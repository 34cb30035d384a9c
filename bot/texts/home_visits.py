"""上门受理 on request (issue 16): 特殊情况经申请，可以提供上门受理服务."""

from models import HomeVisitStatus

STATUS_LABELS = {
    HomeVisitStatus.pending: "待审批",
    HomeVisitStatus.approved: "已同意，待安排",
    HomeVisitStatus.refused: "不同意",
    HomeVisitStatus.scheduled: "已安排",
    HomeVisitStatus.done: "已上门",
}

NOT_ALLOWED = "只有中心主任、领导和工作人员可以办理上门受理。"
NOT_DECIDER = "只有中心领导或主任可以审批上门受理申请。"
PRIVATE_ONLY = "上门受理含当事人的个人信息，请在与我的私聊中办理。"
STALE = "这一步已失效，请发送 /homevisit 重新开始。"
NOT_FOUND = "没有找到这份上门受理申请。"
ALREADY_DECIDED = "这份申请已由{who}处理（{status}）。"
NOT_APPROVED = "这份申请现在是「{status}」，不能安排上门。"
NOT_SCHEDULED = "这份申请现在是「{status}」，不能记录上门情况。"
NOT_DONE = "上门情况记录后才能登记为事项。"
BAD_VISITOR = "请从按钮中选择上门人员。"
WHEN_PASSED = "上门时间应晚于现在。"

LIST_HEAD = "🏠 上门受理申请（未办结的）："
LIST_EMPTY = "🏠 目前没有未办结的上门受理申请。"
LIST_ROW = "{status} · {name} · {reason}"
BUTTON_NEW = "➕ 新的上门受理申请"

ASK_NAME = "🏠 上门受理申请。当事人姓名？发 /cancel 取消。"
ASK_PHONE = "当事人的联系电话？没有请点「跳过」。"
BUTTON_SKIP = "跳过"
ASK_ADDRESS = "上门地址？（村、组、门牌，最多 200 字）"
ASK_REASON = "因为什么特殊情况需要上门？"
ASK_NOTE = "请简要说明情况和诉求（最多 300 字）。"
BAD_NAME = "请输入当事人姓名（1–40 字）。"
BAD_ADDRESS = "请输入上门地址（2–200 字）。"
BAD_NOTE = "请简要说明（2–300 字）。"
WRONG_INPUT = "请按提示输入文字，或点上面的按钮。发 /cancel 取消。"
PREVIEW = ("🏠 <b>上门受理申请</b>\n当事人：{name}\n电话：{phone}\n地址：{address}\n特殊情况：{reason}\n"
           "说明：{note}\n\n确认后提交中心领导审批。")
BUTTON_SUBMIT = "提交审批"
BUTTON_CANCEL = "取消"
CANCELLED = "已取消，没有提交。"
SUBMITTED = "✅ 已提交中心领导审批（共 {count} 位）。审批结果会通知您。"
NONE = "—"

# to the leaders, the requester and the visitor (private chats only: personal data)
CARD = ("🏠 <b>上门受理申请</b>（{status}）\n当事人：{name}\n电话：{phone}\n地址：{address}\n特殊情况：{reason}\n"
        "说明：{note}\n申请人：{requester}，{requested}")
CARD_DECIDED = "\n审批：{who} {verdict}{reason}"
CARD_SCHEDULED = "\n上门：{when}，{visitor}"
CARD_DONE = "\n已上门：{when}\n受理情况：{received}"
VERDICT_YES = "同意"
VERDICT_NO = "不同意"
TO_DECIDE = "🏠 待审批：{requester} 申请上门受理。\n{card}"
BUTTON_APPROVE = "同意"
BUTTON_REFUSE = "不同意"
ASK_REFUSAL = "请写明不同意的理由（2–300 字），会告知申请人。发 /cancel 取消。"
BAD_REFUSAL = "请写明理由（2–300 字）。"
APPROVED_ANSWER = "✅ 已同意。已通知申请人安排上门。"
REFUSED_ANSWER = "已记录不同意，并告知申请人。"
TO_REQUESTER_YES = "✅ 您的上门受理申请（{name}）{who} 已同意。请安排上门时间和人员。"
TO_REQUESTER_NO = "❌ 您的上门受理申请（{name}）{who} 不同意。理由：{reason}"
BUTTON_SCHEDULE = "📅 安排上门"
ASK_WHEN = "哪天几点上门？例如 12-8 9:30 或 2026年12月8日 14:30。发 /cancel 取消。"
BAD_WHEN = "没有看懂这个时间。请输入例如 12-8 9:30。"
ASK_VISITOR = "谁去上门？"
SCHEDULED_ANSWER = "✅ 已安排：{when}，{visitor} 上门。上门前会提醒。"
TO_VISITOR = "🏠 请您上门受理：{when}\n{card}"
REMIND = "⏰ 上门受理提醒：{when} 上门。\n{card}"
BUTTON_DONE = "✍️ 记录上门情况"
ASK_RECEIVED = "上门受理了什么？请简要记录当事人的诉求和处理情况（2–1000 字）。发 /cancel 取消。"
BAD_RECEIVED = "请简要记录（2–1000 字）。"
DONE_ANSWER = "✅ 已记录上门情况。需要立案办理的，请点「登记为事项」。"
BUTTON_INTAKE = "📝 登记为事项"
INTAKE_READY = "已把当事人和诉求带入来访登记。请发送 /visit，点「继续」接着登记。"
BUTTON_OPEN = "查看"


def when_text(local) -> str:
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"
