"""Meetings and their decisions (issue 15): labels, prompts and the plain-text agenda's wording."""

from models import ApprovalOutcome, Attendance, DecisionStatus, MeetingKind, MeetingStatus

KIND_LABELS = {
    MeetingKind.weekly: "工作例会",
    MeetingKind.joint: "联席会议",
    MeetingKind.joint_adhoc: "临时联席会议",
    MeetingKind.analysis: "研判会",
    MeetingKind.village: "联系点村会议",
}
# The short name in a decision's number: 〔2026〕例会第3号-2
KIND_SHORT = {
    MeetingKind.weekly: "例会",
    MeetingKind.joint: "联席会",
    MeetingKind.joint_adhoc: "联席会",
    MeetingKind.analysis: "研判会",
    MeetingKind.village: "村会",
}
STATUS_LABELS = {MeetingStatus.scheduled: "待召开", MeetingStatus.held: "已召开", MeetingStatus.cancelled: "已取消"}
ANSWER_LABELS = {Attendance.attend: "参加", Attendance.leave: "请假", None: "未答复"}
DECISION_STATUS = {
    DecisionStatus.held: "待党委会议审定",
    DecisionStatus.issued: "已交办",
    DecisionStatus.received: "已收到",
    DecisionStatus.reported: "已报完成，待验收",
    DecisionStatus.closed: "已销号",
    DecisionStatus.refused: "党委会议未同意",
}
APPROVAL_LABELS = {ApprovalOutcome.approved: "同意", ApprovalOutcome.amended: "修改后同意",
                   ApprovalOutcome.rejected: "不同意"}
SECTIONS = ("综治", "信访", "流动人口", "民族宗教")
PLACES = ("综治中心会议室", "镇政府三楼会议室", "村委会会议室")
DEFAULT_PLACE = PLACES[0]

# --- refusals (services raise them) ---------------------------------------------------------------
MAY_NOT_SCHEDULE = "只有中心主任可以安排这类会议（联席会议也可由综治办工作人员安排；联系点村会议由该村的联系点领导安排）。"
NOT_FOUND = "没有找到这次会议。"
NOT_ORGANISER = "只有会议的组织人可以这样做。"
NOT_INVITED = "您不在这次会议的参会名单中。"
NOT_SCHEDULED = "这次会议已召开或已取消。"
IN_PAST = "会议时间应晚于现在。"
LEAVE_NEEDS_REASON = "请假请写明理由（2–200 字）。"
SIGN_IN_EARLY = "会议开始前 30 分钟起才能签到。"
NO_WEEKLY_SLOT = "这一周没有工作日，不安排工作例会。"
DECISION_NOT_FOUND = "没有找到这条议定事项。"
DECISION_NOT_OWNER = "这条议定事项不是交给您（您的单位、村）的。"
DECISION_WRONG_STATE = "这条议定事项当前状态不能这样操作（{status}）。"
DECISION_BAD_DAYS = "办理期限应为 1–60 个工作日。"
DECISION_BAD_TEXT = "议定事项内容应为 2–500 字。"
DECISION_ONE_OWNER = "议定事项应有且只有一个责任方：单位、个人或村（社区）。"
IMPORTANT_ONLY_JOINT = "只有联席会议的议定事项可以标为「重要」（须经党委会议审定）。"
APPROVAL_ONLY_SECRETARY = "只有党委书记可以登记党委会议的审定结果。"
APPROVAL_NOT_HELD = "这条议定事项不在待审定状态。"
EVIDENCE_NEEDED = "请写明完成情况（佐证材料），2–500 字。"
ITEM_BAD = "纪要内容应为 1–1000 字。"
SECTION_UNKNOWN = "通报栏目只有：综治、信访、流动人口、民族宗教。"
MINUTES_CLOSED = "这次会议的纪要已经定稿。"

# --- the drafted agenda (plain text: the handler escapes it when shown) -------------------------
AGENDA_WEEKLY = (
    "【{title}议程（草稿）】\n"
    "一、传达上级精神\n"
    "二、总结上周工作（{start}—{end}）\n"
    "  新登记事项 {new} 件，办结 {closed} 件，超期未办结 {overdue} 件\n"
    "  红灯 {red} 件，黄灯 {yellow} 件\n"
    "  领导包案在办 {baoan} 件，督办未办结 {supervised} 件\n"
    "  紧急预警未签收 {alerts} 条\n"
    "三、通报\n{sections}\n"
    "四、上次会议议定事项落实情况\n{open_decisions}\n"
    "五、部署本周工作\n"
    "六、研讨新情况新问题"
)
AGENDA_SECTION = "  {name}：新登记 {count} 件"
AGENDA_SECTION_UNMAPPED = "  {name}：新登记 0 件（尚未设定对应的事项类别）"
AGENDA_JOINT = (
    "【{title}议程（草稿）】\n"
    "一、本季度（{start}—{end}）情况\n"
    "  新登记事项 {new} 件（上季度 {prev} 件），办结 {closed} 件，超期未办结 {overdue} 件\n"
    "二、热点问题（较上季度增长最多）\n{hot}\n"
    "三、上次联席会议议定事项落实情况\n{open_decisions}\n"
    "四、研究部署下一阶段工作"
)
AGENDA_HOT_LINE = "  {name}：{now} 件（上季度 {before} 件，+{growth}）"
AGENDA_NONE = "  无"
AGENDA_DECISION_LINE = "  {number} {text}（{owner}，{status}{due}）"
AGENDA_DUE = "，期限 {due}"
AGENDA_PLAIN = "【{title}议程】\n一、\n二、\n三、"

# --- buttons ---------------------------------------------------------------------------------------
BUTTON_ATTEND = "✅ 参加"
BUTTON_LEAVE = "📝 请假"
BUTTON_OPEN = "📋 查看会议"
BUTTON_SIGN_IN = "🖊 签到"
PLACE_BAD = "会议地点应为 2–60 字。"
AGENDA_BAD = "议程应为 2–3500 字。"
BUTTON_RECEIVED = "📥 收到"
BUTTON_PROGRESS = "📈 进展"
BUTTON_DONE = "✅ 已完成"
BUTTON_ACCEPT = "🎉 认可销号"
BUTTON_RETURN = "↩️ 退回"
CASE_UNKNOWN = "没有找到事项 {number}，请核对编号（如 2026-0042）。"
APPROVAL_FUTURE = "党委会议日期不能晚于今天。"
PROGRESS_BAD = "进展情况应为 2–500 字。"
RETURN_NOTE_BAD = "退回意见应为 2–200 字。"
LEDGER_HELD = "{count} 项待党委会议审定"

# --- the 会议纪要 .docx -----------------------------------------------------------------------------
DOCX_WHEN = "时间"
DOCX_PLACE = "地点"
DOCX_CHAIR = "主持人"
DOCX_PRESENT = "出席"
DOCX_OBSERVERS = "列席"
DOCX_LEAVE = "请假"
DOCX_NONE = "无"
DOCX_ITEMS = "一、会议内容"
DOCX_DECISIONS = "二、议定事项"
DOCX_DECISION = "（{seq}）{text}（编号：{number}；责任方：{owner}；期限：{due}）"
DOCX_CC = "抄送：{cc}"
DOCX_PRINTED = "{org}　　{date}印发"
DOCX_DUE_DAYS = "交办后 {days} 个工作日"
DOCX_DUE_HELD = "待党委会议审定"
DOCX_VOICE = "（语音记录）"
DOCX_TITLE = "{title}纪要"
