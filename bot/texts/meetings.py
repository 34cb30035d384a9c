"""Meetings and their decisions (issue 15): labels, prompts and the plain-text agenda's wording."""

from models import ApprovalOutcome, Attendance, DecisionStatus, MeetingKind, MeetingStatus

KIND_LABELS = {
    MeetingKind.weekly: "工作例会",
    MeetingKind.joint: "联席会议",
    MeetingKind.joint_adhoc: "临时联席会议",
    MeetingKind.analysis: "研判会",
    MeetingKind.village: "联系点村会议",
    MeetingKind.mediation: "矛盾纠纷调处会",
}
# The short name in a decision's number: 〔2026〕例会第3号-2
KIND_SHORT = {
    MeetingKind.weekly: "例会",
    MeetingKind.joint: "联席会",
    MeetingKind.joint_adhoc: "联席会",
    MeetingKind.analysis: "研判会",
    MeetingKind.village: "村会",
    MeetingKind.mediation: "调处会",
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
    "五、部署本周工作{plan_tasks}\n"
    "六、研讨新情况新问题"
)
AGENDA_SECTION = "  {name}：新登记 {count} 件"
AGENDA_SECTION_UNMAPPED = "  {name}：新登记 0 件（尚未设定对应的事项类别）"
# 联席会议制度 三, in its order: 1 传达, 2 热点难点, 3 通报、分析形势、部署下阶段
AGENDA_JOINT = (
    "【{title}议程（草稿）】\n"
    "一、传达上级有关综治工作的指示精神，研究贯彻落实具体工作措施\n"
    "二、研究群众反映强烈的热点难点问题和可能影响社会稳定的重大问题，提出解决办法和措施\n"
    "  热点问题（较上季度增长最多）：\n{hot}\n"
    "三、通报近期社会治安综合治理工作情况\n"
    "  本季度（{start}—{end}）新登记事项 {new} 件（上季度 {prev} 件），办结 {closed} 件，超期未办结 {overdue} 件\n"
    "  上次联席会议议定事项落实情况：\n{open_decisions}\n"
    "四、分析辖区内不稳定因素和社会治安形势\n"
    "五、研究部署下阶段综治中心工作{plan_tasks}"
)
# 综治工作计划 tasks not yet done (bot/services/work_plans.agenda_lines), under 部署 / 研究部署
AGENDA_PLAN_HEAD = "\n  综治工作计划待完成任务："
AGENDA_HOT_LINE = "  {name}：{now} 件（上季度 {before} 件，+{growth}）"
AGENDA_NONE = "  无"
AGENDA_DECISION_LINE = "  {number} {text}（{owner}，{status}{due}）"
AGENDA_DUE = "，期限 {due}"
AGENDA_HELD = "  另有 {count} 项重要事项待党委会议审定"
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
DOCX_CASE = "调处事项"
DOCX_CASE_VALUE = "{number}（参加调处部门：{units}）"
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

# --- the chat (handlers/meetings.py) ------------------------------------------------------------------
PRIVATE_ONLY = "会议只在与机器人的私聊中办理，请私聊发送 /meetings。"
LIST_TITLE = "📅 会议"
LIST_UPCOMING = "待召开："
LIST_PAST = "已召开/已取消："
LIST_NONE = "  暂无"
LIST_LINE = "  {when} {title}（{status}）"
NEW_BUTTON = "➕ 安排{kind}"
BACK_TO_LIST = "« 会议列表"
BACK_TO_MEETING = "« 返回会议"
CARD = ("📅 {title}\n编号：{number}\n时间：{when}\n地点：{place}\n组织人：{organiser}{chair}{village}\n状态：{status}\n"
        "答复：参加 {attend}，请假 {leave}，未答复 {none}；已签到 {signed}")
CARD_VILLAGE = "\n村（社区）：{village}"
CARD_CASE = "\n调处事项：{number}\n参加调处部门：{units}"
BUTTON_CASE = "📋 事项 {number}"
CARD_CHAIR = "\n主持人：{chair}"
CARD_YOURS = "\n您的答复：{answer}"
CARD_DECISIONS = "\n\n议定事项："
CARD_DECISION = "\n{number} {text}（{owner}，{status}）"
BUTTON_ROLL = "👥 出席情况"
BUTTON_AGENDA = "📋 议程"
BUTTON_MOVE = "🕘 改期"
BUTTON_CANCEL = "❎ 取消会议"
BUTTON_MINUTES = "✍️ 记录纪要"
BUTTON_DOC = "📄 会议纪要（Word）"
CHOOSE_VILLAGE = "安排联系点村会议：请选择村（社区）。"
NO_VILLAGE = "您不是任何村（社区）的联系点领导，不能安排联系点村会议。"
CHOOSE_DAY = "安排{kind}：请选择日期。{hint}"
CHOOSE_DAY_MOVE = "改期：请选择新的日期。"
WEEKLY_HINT = "\n⭐ 为按工作日历推算的例会默认时间（周一 08:30，遇节假日顺延至下一个工作日）。"
DAY_BUTTON = "{month}月{day}日（{weekday}）"
DEFAULT_DAY_BUTTON = "⭐ {month}月{day}日（{weekday}）{time}"
CHOOSE_TIME = "{day}：请选择开始时间。"
CHOOSE_PLACE = "{day} {time}：请选择地点。"
SCHEDULED = "✅ 已安排，已向 {count} 人发出会议通知。"
MOVED = "✅ 已改期并通知参会人。"
CANCEL_ASK = "确定取消「{title}」吗？参会人会收到取消通知。"
CANCEL_YES = "确定取消"
CANCELLED_NOTE = "已取消会议并通知参会人。"
DRAFT_GONE = "这一步已过期，请重新发送 /meetings 安排会议。"

# --- 调处会: the center convenes the departments on one case (督办制度: 召集有关部门直接进行调处) ---------
MEDIATION_PICK = ("📣 事项 {number} 召集调处会：请选择参加调处的部门（可多选），然后点「下一步」选时间。\n"
                  "主办、协办单位和包案领导自动参加，中心主任主持。\n已选：{picked}")
MEDIATION_NONE = "（尚未选择）"
MEDIATION_NO_CONTACT = "\n⚠️ {units} 还没有登记联络人，收不到会议通知：请用 /invite 邀请，或另行通知。"
MEDIATION_FIXED = "★ {name}"
MEDIATION_ON = "✅ {name}"
MEDIATION_NEXT = "下一步：选日期 »"
MEDIATION_FROM_CASE = "调处会请在事项卡片上召集：分派 → 🤝 联合办理 → 📣 召集调处会。"
MEDIATION_NOT_CENTER = "只有中心主任、领导和工作人员可以召集调处会。"
MEDIATION_CLOSED = "事项 {number} 当前状态为「{status}」，不能召集调处会。"
MEDIATION_NO_UNIT = "请至少选择一个参加调处的部门。"
MEDIATION_TOO_MANY = "参加调处的部门最多 {limit} 个。"
MEDIATION_BAD_UNIT = "所选的部门无效，请重新选择。"
MEDIATION_SEE_MINUTES = "见{number}会议纪要。"
MEDIATION_VOICE = "（另有语音记录 {count} 条，见会议纪要）"
BUTTON_THIS_CASE = "🔗 关联调处事项 {number}"
ANSWERED_ATTEND = "✅ 已答复：参加。"
ASK_LEAVE_REASON = "请假：请输入请假理由（2–200 字）。发送 /cancel 放弃。"
ANSWERED_LEAVE = "📝 已请假，理由已报组织人。"
SIGNED_IN = "🖊 已签到。"
ROLL_TITLE = "👥 {title} 出席情况"
ROLL_LINE = "{mark} {name}{observer}{reason}"
ROLL_OBSERVER = "（列席）"
CHASE_BUTTON = "⏰ 催未答复的 {count} 人"
CHASED = "已再次通知 {count} 位未答复的参会人。"
AGENDA_TITLE = "📋 议程（{source}）"
AGENDA_SOURCE_DRAFT = "按当前数据生成的草稿"
AGENDA_SOURCE_EDITED = "组织人已编辑"
AGENDA_SOURCE_SENT = "已发给参会人"
BUTTON_AGENDA_EDIT = "✏️ 编辑议程"
BUTTON_AGENDA_SEND = "📨 发给参会人"
ASK_AGENDA = "请发送完整的议程文字（将替换当前议程，最多 3500 字）。可先复制上面的草稿再修改。发送 /cancel 放弃。"
AGENDA_SAVED = "✅ 议程已保存。"
AGENDA_SENT = "📨 议程已发给 {count} 位参会人。"
MINUTES_START = ("✍️ 正在记录「{title}」的纪要（已有 {count} 条）。\n直接发送文字或语音，每条即存为纪要的一项（出席情况自动填入）。\n"
                 "议定事项点「记一条议定事项」；记完点「定稿」。")
MINUTES_SAVED = "已记第 {seq} 条。继续发送，或点下方按钮。"
BUTTON_DECISION_NEW = "📌 记一条议定事项"
BUTTON_MINUTES_DONE = "✅ 定稿"
MINUTES_WRONG_TYPE = "纪要请发送文字或语音。"
ASK_DECISION_TEXT = "议定事项：请输入内容（2–500 字）。"
ASK_OWNER = "请选择责任方（单位、村（社区）或个人）。"
ASK_DAYS = "办理期限：几个工作日？（自交办起算）"
DAYS_BUTTON = "{days} 个工作日"
ASK_CASE = "如与某个事项有关，请输入事项编号（如 2026-0042）；无关请点「不关联」。"
BUTTON_NO_CASE = "不关联事项"
ASK_IMPORTANT = "是否为需经党委会议审定的「重要」事项？重要事项审定后才交办。"
BUTTON_IMPORTANT = "🏛 重要（须党委会议审定）"
BUTTON_ORDINARY = "一般（立即交办）"
DECISION_SAVED_ISSUED = "📌 已记议定事项 {number}，已交办{owner}。"
DECISION_SAVED_HELD = "📌 已记议定事项 {number}（重要），待党委会议审定后交办。"
MINUTES_DONE = "✅ 纪要已定稿。可点「会议纪要（Word）」下载。"
MINUTES_CANCELLED = "已退出纪要记录；已记的内容都已保存。需要时点「记录纪要」继续。"
MINUTES_TIMEOUT = "纪要记录已超时退出；已记的内容都已保存。"
DOC_CAPTION = "{title}纪要"
DECISION_CARD = "📌 {number}\n{text}\n责任方：{owner}\n状态：{status}{due}{case}{approval}{progress}{evidence}"
DECISION_CARD_DUE = "\n期限：{due}"
DECISION_CARD_CASE = "\n关联事项：{case}"
DECISION_CARD_APPROVAL = "\n审定：{approval}"
DECISION_CARD_PROGRESS = "\n进展：\n{progress}"
DECISION_CARD_EVIDENCE = "\n完成情况：{evidence}"
RECEIVED = "📥 已确认收到。"
ASK_PROGRESS = "请输入目前的进展（2–500 字）。发送 /cancel 放弃。"
PROGRESS_SAVED = "📈 进展已报组织人。"
ASK_EVIDENCE = "请写明完成情况（2–500 字）；也可发送照片或文件，并在说明里写明情况。发送 /cancel 放弃。"
EVIDENCE_SAVED = "✅ 已报完成，等待组织人验收。"
ACCEPTED = "🎉 已认可，{number} 销号。"
ASK_RETURN = "请输入退回意见（2–200 字）。发送 /cancel 放弃。"
RETURNED = "↩️ 已退回，责任方会继续办理。"
ASK_APPROVAL_DAY = "登记党委会议审定结果：{outcome}。请选择党委会议的日期。"
APPROVAL_SAVED = "🏛 已登记：{approval}。{after}"
APPROVAL_ISSUED = "已交办{owner}。"
APPROVAL_REFUSED = "该事项不再交办。"
TEXT_WRONG_TYPE = "这一步需要文字，请直接输入。"
TEXT_CANCELLED = "已取消。"
TEXT_TIMEOUT = "等待输入超时，已取消。"
SECTIONS_TITLE = "📊 例会通报栏目对应的事项类别（类别，或 类别/小类）："
SECTIONS_LINE = "  {key} → {section}"
SECTIONS_HOW = ("修改：/sections 类别 栏目，例如 /sections 来信来访/来访 流动人口；删除：/sections 类别 -\n"
                "栏目：综治、信访、流动人口、民族宗教。")
SECTIONS_SAVED = "✅ 已保存。"
LIST_MY_DECISIONS = "交给我（单位、村）的议定事项："

# --- dates, titles and numbers as printed -----------------------------------------------------------
WEEKDAYS = "一二三四五六日"
MEETING_TITLE = "{year}年第{number}次{kind}"
MEETING_NUMBER = "〔{year}〕{short}第{number}号"
VOICE_ITEM = "🎤 语音"
APPROVAL_LINE = "{date}党委会议：{outcome}"
PROGRESS_LINE = "{date}：{text}"
LEAVE_NOTE = "{answer}：{reason}"
LEAVE_WITH_REASON = "{name}（{reason}）"
ROLL_REASON = "：{reason}"
DOCX_LINE = "{label}：{value}"


def cn_date(day) -> str:
    """2026年12月7日"""
    return f"{day.year}年{day.month}月{day.day}日"


def short_date(day) -> str:
    """12月7日"""
    return f"{day.month}月{day.day}日"


def when(local) -> str:
    """2026年12月7日（一）08:30, from a local datetime."""
    return f"{cn_date(local)}（{WEEKDAYS[local.weekday()]}）{local:%H:%M}"
