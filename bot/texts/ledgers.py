"""台账 (/ledger): the chat's words and the workbooks' titles, headers and summary labels."""

# --- the chat (handlers/ledger.py) ----------------------------------------------------------
CHOOSE_KIND = "📒 台账：请选择要导出的台账。"
CHOOSE_PERIOD = "📒 {title}：请选择期间。"
ASK_CUSTOM = ("请输入起止日期，例如：\n2026-11-01 2026-11-30\n或 2026年11月1日 至 2026年11月30日\n"
              "（最长一年；发送 /cancel 取消）")
CHOOSE_SCOPE = "📒 {title}（{period}）：导出全部，还是只看某个村（社区）或承办单位？"
CHOOSE_VILLAGE = "请选择村（社区）："
CHOOSE_UNIT = "请选择承办单位："
QUEUED = "✅ 正在生成《{title}》（{period}{scope}），稍后以文件发给您（不可转发、不可保存到相册）。"
CAPTION = "📒 {title}\n期间：{period}{scope}\n本文件含个人信息和工作秘密，请勿外传。"
GROUP_USE_PRIVATE = "台账含个人信息，请在与我的私聊中发送 /ledger。"
TIMEOUT = "台账选择长时间没有操作，已退出。需要时请重新发送 /ledger。"
CANCELLED = "已取消。"
LOST = "这一步已失效（可能已超时或已完成），请重新发送 /ledger。"
NOT_ALLOWED = "台账仅供中心工作人员、中心领导、党委书记和中心主任导出。"

BTN_ALL = "全部"
BTN_BY_VILLAGE = "按村（社区）"
BTN_BY_UNIT = "按承办单位"
BTN_CANCEL = "取消"
BTN_BACK = "« 返回"

PERIOD_LABELS = {"month": "本月", "last_month": "上月", "quarter": "本季度", "year": "本年", "custom": "自定义"}
SCOPE_VILLAGE = "，{name}"
SCOPE_UNIT = "，承办单位：{name}"

# --- dates typed for 自定义 -------------------------------------------------------------------
CUSTOM_NEEDS_TWO = "请输入两个日期（起、止），例如 2026-11-01 2026-11-30。"
CUSTOM_BAD_DATE = "「{text}」不是有效的日期，请核对（例如 2026-11-01 或 2026年11月1日）。"
CUSTOM_REVERSED = "结束日期早于开始日期，请先写开始日期，再写结束日期。"
CUSTOM_TOO_LONG = "期间最长一年，请缩短后重新输入。"


def period_text(start, end) -> str:
    """2026年11月1日至2026年11月30日 (Chinese document dates)."""
    return f"{date_text(start)}至{date_text(end)}"


def date_text(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# --- the workbook ---------------------------------------------------------------------------
TITLES = {
    "cases": "矛盾纠纷排查化解台账",
    "visits": "来访（首问）登记台账",
    "notices": "督办台账",
    "baoan": "领导包案台账",
    "reports": "信息报告台账",
    "duty": "值班台账",
    "meetings": "会议台账",
    "announcements": "传达台账",
    "paicha": "排查台账",
    "assignments": "上级交办事项台账",
    "home_visits": "上门受理登记台账",
    "consultations": "会商记录",
    "campaigns": "平安创建台账",
    "contact": "联系点工作台账",
    "focus_areas": "社会治安重点整治台账",
    "plans": "综治工作计划台账",
}
UNIT_LINE = "填报单位：{org}"
PERIOD_LINE = "期间：{period}{scope}"
HIDDEN_LINE = "另有保密事项 {count} 件，按规定不在本台账列出（经授权人员可查阅）。"
PAGE_FOOTER = "第 &P 页，共 &N 页"
FOOTER = ("制表人：{maker}", "审核人：", "签发人：", "填报日期：{date}")
SUMMARY_HEAD = "项目"
SUMMARY_TOTAL = "件数"
SEQ = "序号"
YES, NO = "是", "否"


def summary_labels(period_kind: str) -> tuple[str, str, str]:
    """上月结转 / 本月新增 / 本月办结, worded for the period chosen."""
    prev, this = {"month": ("上月", "本月"), "last_month": ("上月", "本月"), "quarter": ("上季度", "本季度"),
                  "year": ("上年", "本年")}.get(period_kind, ("上期", "本期"))
    return f"{prev}结转", f"{this}新增", f"{this}办结"


CUMULATIVE_NEW = "累计受理（本年）"
CUMULATIVE_DONE = "累计办结（本年）"
OPEN_AT_END = "期末在办"

# The columns of the paper 矛盾纠纷排查化解台账 (DOMAIN.md "Ledger columns"), in its order; 办结时间 beside
# 化解期限 so that a late 办结 can be read off the row.
CASE_HEADERS = (
    ("编号", 5), ("登记时间", 7), ("登记人", 3), ("来源方式", 3), ("所属村（社区）/网格", 5), ("发生地点", 5),
    ("发生时间", 7), ("当事人", 8), ("涉及人数", 3), ("涉及金额（元）", 4), ("纠纷类型", 5), ("事件性质", 3),
    ("紧急程度", 3), ("简要情况/诉求", 10), ("责任单位", 5), ("责任人", 3), ("包案领导", 3), ("化解措施", 7),
    ("化解期限", 7), ("办结时间", 7), ("进展", 7), ("结果", 6), ("答复情况", 5), ("回访/满意度", 3), ("状态", 5),
    ("备注", 5),
)
CASE_GPS = "（{lat:.5f}，{lon:.5f}）"
CASE_REQUEST = "诉求：{text}"
CASE_PLAN = "调处方案：{text}"
URGENT, NOT_URGENT = "紧急", "一般"
SIGNAL_WORDS = {"🟢": "绿", "🟡": "黄", "🔴": "红", "⚪": "灰"}
CASE_STATE = "{colour}（{status}）"
CASE_PROGRESS = "{at} {who} {action}{note}"
CASE_RESULT = "{result}（{outcome}）"
CASE_LATE = "超期办结"
CASE_NOTICES = "督办：{numbers}"
CASE_UPWARD = "已上报上级"

VISIT_HEADERS = (
    ("编号", 5), ("登记时间", 7), ("方式", 4), ("来访人", 14), ("村（社区）", 6), ("诉求", 24), ("首问责任人", 5),
    ("是否属受理范围", 4), ("处理情况/告知途径", 24), ("当前状态", 6),
)
VISIT_SUMMARY = ("本期登记", "其中：受理办理", "其中：首问告知（不属受理范围）", "累计登记（本年）")
VISIT_TRANSFERRED = "转 {to}"

NOTICE_HEADERS = (
    ("督办编号", 9), ("下达时间", 7), ("级别", 3), ("来源", 4), ("事项编号", 5), ("督办事项", 20), ("承办单位（人员）", 8),
    ("督办要求", 20), ("办理期限", 7), ("签收时间", 7), ("状态", 5), ("办结时间", 7), ("是否超期", 3),
)
NOTICE_LEVELS = {"normal": "普通", "yellow": "黄牌", "red": "红牌"}
NOTICE_SOURCES = {"local": "本级", "upper": "上级交办"}
NOTICE_STATUS = {"issued": "已下达", "signed": "已签收", "reported": "已报结果", "accepted": "结果认可",
                 "reissued": "已重新督办", "closed": "已办结", "transferred": "已转办"}

BAOAN_HEADERS = (
    ("事项编号", 5), ("简要情况", 22), ("提议时间", 7), ("提议人", 4), ("提议包案领导", 5), ("提议理由", 16),
    ("审批结果", 4), ("审批人", 4), ("审批时间", 7), ("包案领导", 4), ("调处方案", 22), ("上级协调", 14), ("期限", 7),
    ("办结时间", 7), ("化解结果", 6),
)
BAOAN_UPPER = "{day} {note}"  # one 上级协调 record in its cell (领导包案制度 三)
BAOAN_STATUS = {"pending": "待审批", "approved": "已批准", "refused": "未批准"}
BAOAN_PROPOSED = "本期提议（含待审批、未批准）"

REPORT_HEADERS = (
    ("事项编号", 5), ("事件类别", 10), ("报告类型", 3), ("次序", 3), ("电话报告", 7), ("应报时间", 7), ("报送时间", 7),
    ("报送人", 4),
    ("是否按时", 3), ("上报上级", 16), ("发生地点", 12), ("起因和性质", 22),
)
REPORT_UPWARD = "{departments}（{way}）{at}"  # one 上报上级 record in its cell
REPORT_SUMMARY = ("本期应报", "已报送", "其中：按时报送", "其中：超时报送", "未报送")
REPORT_KINDS = {"first": "初报", "follow_up": "续报", "final": "终报"}
REPORT_UNSENT = "未报送"
REPORT_NOT_PHONED = "未记录"  # a 初报 whose phone report (电话报告) was not recorded

DUTY_HEADERS = (("日期", 7), ("星期", 3), ("值班人员", 14), ("带班领导", 8), ("当日登记事项", 5),
                ("其中紧急", 4), ("备注", 24))
DUTY_SUMMARY = ("值班天数", "值班人次", "带班人次", "当日登记事项合计", "其中紧急")
MEETING_HEADERS = (("会议名称", 14), ("时间", 7), ("地点", 8), ("主持人", 4), ("出席人数", 3), ("请假人数", 3),
                   ("议定事项", 3), ("已销号", 3), ("会议状态", 5), ("备注", 18))
MEETING_SUMMARY = ("会议次数", "出席人次", "议定事项", "已销号")
ANNOUNCE_HEADERS = (("时间", 7), ("类别", 5), ("发送人", 4), ("内容", 30), ("传达范围", 12), ("应阅", 3), ("已阅", 3),
                    ("参加", 3), ("请假", 3), ("备注", 18))
ANNOUNCE_SUMMARY = ("传达次数", "应阅人次", "已阅人次")
WEEKDAYS = tuple(f"星期{d}" for d in "一二三四五六日")

# 排查台账 (issue 16, bot/services/ledgers/paicha_ledger.py)
PAICHA_HEADERS = (("期次", 9), ("类别", 5), ("起止", 8), ("截止日", 7), ("村（社区）", 6), ("网格", 6),
                  ("报送情况", 5), ("报送人", 4), ("报送时间", 7), ("是否按期", 3), ("发现事项", 3), ("事项编号", 14))
# 上级交办事项台账 (issue 16)
ASSIGNMENT_HEADERS = (("编号", 5), ("登记日期", 7), ("交办单位", 7), ("交办文号", 9), ("简要情况", 24),
                      ("交办时限", 7), ("承办", 7), ("状态", 4), ("办结日期", 7), ("报送情况", 10), ("是否按时", 3))
ASSIGNMENT_SUMMARY = ("交办事项", "已办结", "已报送", "按时报送")

# --- 上门受理登记台账, 会商记录, 督办台账's 请示及答复 (issue 16) -------------------------------------
HOME_VISIT_HEADERS = (("序号", 3), ("申请日期", 7), ("当事人", 12), ("地址", 14), ("特殊情况", 12), ("申请人", 4),
                      ("审批", 14), ("上门时间", 7), ("上门人员", 4), ("受理情况", 20))
HOME_VISIT_SUMMARY = ("申请", "同意", "不同意", "已上门")
HOME_VISIT_PENDING = "待审批"
HOME_VISIT_APPROVED = "同意"
HOME_VISIT_REFUSED = "不同意：{reason}"
CONSULT_HEADERS = (("序号", 3), ("会商时间", 7), ("事项编号", 5), ("牵头单位", 7), ("参加人员及单位", 24),
                   ("会商结论", 36), ("记录人", 4))
CONSULT_SUMMARY = "会商次数"
CAMPAIGN_HEADERS = (("序号", 3), ("年度", 4), ("创建类别", 6), ("名称（户数）", 12), ("所属村（社区）/单位", 9),
                    ("申报人", 4), ("申报日期", 8), ("审核结果", 5), ("审核人", 4), ("审核日期", 8))
CAMPAIGN_SUMMARY = ("申报", "验收通过", "未通过", "待审核")
CONTACT_HEADERS = (("序号", 3), ("日期", 6), ("村（社区）", 6), ("联系点领导", 5), ("工作方式", 5), ("工作内容", 30),
                   ("反映问题", 18), ("中心答复", 18))
CONTACT_SUMMARY = ("工作记录", "联系的村（社区）", "反映问题", "已答复")
INSTRUCTION_HEADER = ("请示及答复", 20)
INSTRUCTION_ASKED = "{when} {who}请示：{text}"
INSTRUCTION_ANSWERED = "{when} {who}答复：{text}"

# 社会治安重点整治台账 (bot/services/ledgers/focus_ledger.py); sheet.write numbers the rows (序号)
FOCUS_HEADERS = (("村（社区）", 6), ("突出问题", 18), ("列入时间", 7), ("联系点领导", 6), ("责任人", 4),
                 ("整治方案", 24), ("整治期限", 9), ("检查次数/最近检查", 9), ("状态", 4), ("成效", 16))
FOCUS_SUMMARY = ("重点整治区域", "已制定方案", "已摘帽")

# 综治工作计划台账 (bot/services/ledgers/focus_ledger.plan_ledger): the tasks due in the period
PLAN_HEADERS = (("计划（文号）", 14), ("任务序号", 4), ("工作任务", 24), ("责任单位（人）", 8), ("完成时限", 9),
                ("最新进展", 16), ("完成情况", 16), ("完成日期", 9), ("状态", 5))
PLAN_SUMMARY = ("工作任务", "已完成", "已逾期")
