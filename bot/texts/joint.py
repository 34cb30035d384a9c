"""联合办理 (issue 16): the lead unit (主办) and co-units (协办) of a case, and 会商."""

BUTTON = "🤝 联合办理"  # on the 分派 menu of the case card
NOT_CENTER = "只有中心主任、领导和工作人员可以设置联合办理和记录会商。"
NOT_RUNNING = "事项 {number} 当前状态为「{status}」，不能设置联合办理。"
NO_UNIT = "没有找到这个承办单位。"
LEAD_FIRST = "请先设定主办单位，再添加协办单位。"
IS_LEAD = "{unit} 是主办单位，不能同时协办。"
ALREADY_LEAD = "{unit} 已经是主办单位。"
TOO_MANY = "协办单位最多 {limit} 个。"
NO_CONTACTS = "{unit} 还没有登记联络人，请先用 /invite 邀请该单位联络人。"

MENU = ("🤝 事项 {number} 联合办理\n主办单位负责办结；协办单位收到事项、报送进展，到期一并督促。\n"
        "点「设为主办」或「协办」选择单位，再点一次取消协办。")
LEAD_MARK = "★ 主办 {name}"
SET_LEAD = "设为主办：{name}"
CO_ON = "☑ 协办 {name}"
CO_OFF = "＋ 协办 {name}"
NO_CONTACT_MARK = "（无联络人）"
CO_ADDED = "已添加协办单位。"
CO_REMOVED = "已取消协办。"
LEAD_SET = "已设为主办单位，并通知该单位联络人。"
BUTTON_CONSULT = "🗣 记录会商"
BUTTON_MEDIATION = "📣 召集调处会"  # schedules a 调处会 with invitations (handlers/meetings.py)

# the card and the case file
CARD_LEAD = "主办单位：{unit}"
CARD_CO = "协办单位：{units}"
CARD_CONSULT = "会商（{at}）：{participants}；结论：{conclusion}"
CARD_MEDIATION = "📣 调处会：{at}，{place}（待召开）"
CARD_CO_YOU = "（您是协办单位，可报送进展，由主办单位办结）"

# 会商
CONSULT_PICK = ("🗣 事项 {number} 会商：请选择参加会商的人员和单位（可多选，至少两方），然后点「下一步」。\n"
                "已选：{picked}")
CONSULT_NONE = "（尚未选择）"
CONSULT_NEXT = "下一步 »"
CONSULT_CANCEL = "✖️ 取消"
CONSULT_ASK_TIME = ("会商时间：点「刚刚结束」，或输入时间，例如 12月3日 15:00、15:00（今天）。")
CONSULT_NOW = "刚刚结束（现在）"
CONSULT_TIME_BAD = "没看懂这个时间。请输入例如 12月3日 15:00 或 15:00，或点「刚刚结束」。"
CONSULT_ASK_CONCLUSION = "会商时间：{at}\n请输入会商结论（各部门分工、措施和期限）。发 /cancel 取消。"
CONSULT_DONE = "✅ 已记录会商，并告知参加人员和承办单位。"
CONSULT_CANCELLED = "已取消记录会商。"
CONSULT_TIMEOUT = "记录会商超时未完成，已取消。需要时请在事项卡片上重新开始。"
CONSULT_WRONG_TYPE = "这一步需要文字。请输入会商结论，或发 /cancel 取消。"
FEW_PARTICIPANTS = "会商至少要有两方参加，请再选择人员或单位。"
TOO_MANY_PARTICIPANTS = "参加会商的人员和单位最多 {limit} 个。"
BAD_PARTICIPANT = "所选的参加人员或单位无效，请重新选择。"
FUTURE = "会商时间不能晚于现在。"
ASK_CONCLUSION = "请填写会商结论（至少 2 个字）。"
