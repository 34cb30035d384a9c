"""Every Chinese UI string lives in this package (no `telegram` import: services use the labels too).

This module holds the labels and prompts; `bot.texts.notify` holds one function per notification a
service queues, and escapes what people typed there and only there. `markup.escape` is the one escape."""

from models import CaseStatus, Role, Severity, Source

ROLE_LABELS: dict[Role, str] = {
    Role.director: "中心主任",
    Role.secretary: "党委书记",
    Role.township_leader: "镇党政领导",
    Role.leader: "中心领导",
    Role.staff: "中心工作人员",
    Role.grid: "网格员",
    Role.unit: "承办单位联络人",
    Role.admin: "系统管理员",
}

ROLE_ORDER = [Role.director, Role.secretary, Role.township_leader, Role.leader, Role.staff, Role.grid, Role.unit,
              Role.admin]


def role_names(roles) -> str:
    return "、".join(ROLE_LABELS[r] for r in ROLE_ORDER if r in roles) or "无"


# --- strangers and registration -----------------------------------------------------------
STRANGER = (
    "您好，这里是综治中心工作机器人，仅供登记在册的工作人员使用。\n"
    "您的 Telegram ID：<code>{tg_id}</code>\n"
    "请把这个 ID 发给中心管理员，请他为您生成邀请链接；"
    "如果管理员已把您的手机号录入名单，请点下方「验证手机号」按钮。"
)
STRANGER_SHARE_PHONE = "📱 验证手机号"
INACTIVE = "您的账号已停用，暂不能使用本机器人。如有疑问请联系中心管理员。"
INVITE_UNKNOWN = "邀请码无效，请核对后重新打开邀请链接，或向管理员索取新的邀请码。"
INVITE_USED = "这个邀请码已经使用过了。每个邀请码只能用一次，请向管理员索取新的。"
INVITE_EXPIRED = "这个邀请码已过期，请向管理员索取新的邀请码。"
INVITE_ALREADY_REGISTERED = "您已经登记过了（{roles}），无需再用邀请码。发送 /help 查看可用功能。"
REG_WELCOME = "欢迎！您被邀请为「{role}」{place}。\n第 1 步（共 2 步）：请输入您的真实姓名（2–20 个字）。"
REG_NAME_BAD = "姓名需为 2–20 个汉字或字母，请重新输入您的真实姓名。"
REG_NAME_WRONG_TYPE = "这一步需要文字：请直接输入您的真实姓名。"
REG_ASK_PHONE = "第 2 步（共 2 步）：{name}，请点下方「发送我的手机号」按钮，共享您本人的手机号。"
REG_SHARE_PHONE = "📱 发送我的手机号"
REG_PHONE_NOT_OWN = "请点下方按钮共享您本人的手机号，不要发送别人的名片。"
REG_PHONE_TYPED = "为确认是您本人，请不要手动输入号码，点下方「发送我的手机号」按钮即可。"
REG_DONE = "✅ 登记完成！{name}，您的身份：{roles}{place}。\n\n{help}"
REG_CANCELLED = "已取消登记。需要时请重新打开邀请链接。"
REG_TIMEOUT = "登记超时未完成，已取消。请重新打开邀请链接继续。"
BIND_DONE = "✅ 已验证手机号，欢迎 {name}！您的身份：{roles}。\n\n{help}"
BIND_NOT_FOUND = (
    "名单中没有找到这个手机号。请把您的 Telegram ID：<code>{tg_id}</code> 发给中心管理员，请他为您生成邀请链接。"
)
BOOTSTRAP_DONE = "✅ 您已被设为中心主任和系统管理员。\n下一步：发送 /invite 邀请同事，或 /admin 管理人员和村（社区）。\n\n{help}"
WELCOME_BACK = "您好，{name}（{roles}）。\n\n{help}"

# --- help and menus -------------------------------------------------------------------------
HELP_HEADER = "您可以使用这些命令："
HELP_FOOTER = "任何步骤都可以发送 /cancel 取消。"

COMMANDS: list[tuple[str, str, frozenset[Role] | None]] = [
    # (command, description, roles that see it; None = everyone registered)
    ("help", "查看可用功能", None),
    ("me", "我的信息", None),
    ("invite", "邀请人员加入", frozenset({Role.director, Role.admin})),
    ("admin", "管理人员、村（社区）、单位", frozenset({Role.director, Role.admin})),
    ("template", "下载批量导入模板", frozenset({Role.director, Role.admin})),
    ("report", "上报事件/矛盾纠纷", frozenset({Role.grid, Role.staff, Role.leader, Role.director})),
    ("visit", "来访来电登记（首问）", frozenset({Role.staff, Role.leader, Role.director})),
    ("mycases", "我的事项", None),
    ("case", "查看事项，例如 /case 2026-0042", None),
    ("search", "查找事项", frozenset({Role.staff, Role.leader, Role.director, Role.secretary})),
    ("inforeport", "待填写的信息报告（初报/续报/终报），或 /inforeport 事项编号",
     frozenset({Role.grid, Role.staff, Role.leader, Role.director, Role.secretary})),
    ("duty", "值班表（今天谁值班）", None),
    ("calendar", "工作日历（节假日、调休）", frozenset({Role.director, Role.admin})),
    ("bindgroup", "登记党委工作群（在群里发送）", frozenset({Role.director, Role.admin})),
    ("baoan", "领导包案事项", frozenset({Role.leader, Role.director, Role.secretary, Role.township_leader})),
    ("supervise", "下达督办通知书", frozenset({Role.director})),
    ("supervisions", "督办通知书清单", frozenset({Role.director, Role.secretary, Role.leader, Role.unit})),
    # Leaders reach /settings from the digests themselves (「不再接收」, and the answer names /settings):
    # one more line would make their /help taller than a phone's chat (tests/sandbox/test_browser.py).
    ("settings", "推送设置（晨报、周报、月度材料）", frozenset({Role.director})),
    ("notice", "重发督办通知书，例如 /notice 2026-12",
     frozenset({Role.director, Role.secretary, Role.leader, Role.unit})),
    ("stats", "统计分析", frozenset({Role.director, Role.secretary, Role.leader, Role.staff})),
    ("ledger", "导出台账（Excel）", frozenset({Role.staff, Role.leader, Role.secretary, Role.director})),
    ("meetings", "会议与议定事项", None),  # issue 15
    ("announce", "传达（上级精神、工作部署、学习）", frozenset({Role.director, Role.secretary, Role.township_leader,
                                                   Role.leader, Role.staff})),  # issue 16: who sends them
    ("sections", "例会通报栏目与事项类别", frozenset({Role.director, Role.admin})),  # issue 15
    ("paicha", "排查报送（零报告、已报情况）", frozenset({Role.grid, Role.staff, Role.leader, Role.director})),  # issue 16
    # 上门受理 (issue 16): staff ask; leaders and the director approve (also from the request's message)
    ("homevisit", "上门受理申请", frozenset({Role.staff, Role.leader, Role.director})),
    # 工作联系点制度 二.6: a unit's contact sees it only as a village head (handlers/menus.NARROWER)
    ("focus", "重点整治区域", frozenset({Role.director, Role.leader, Role.staff, Role.unit})),
    # 工作职责 1: the center drafts, the director 印发; owners (units' contacts, people) carry it out
    ("plan", "综治工作计划", frozenset({Role.director, Role.secretary, Role.township_leader, Role.leader, Role.staff,
                                   Role.unit})),
    ("score", "目标管理考核得分", frozenset({Role.director, Role.secretary, Role.township_leader, Role.leader,
                                      Role.admin, Role.unit})),  # issue 17
    ("myrecord", "工作记录（首问、按期办结、满意度、表扬批评）",
     frozenset({Role.staff, Role.leader, Role.director})),  # issue 17
    ("teams", "群防群治队伍与平安创建", frozenset({Role.director, Role.leader, Role.staff, Role.unit})),  # issue 17
    # 工作联系点 records: the contact points are leaders and staff; the center reads them all
    ("contact", "工作联系点（下村督导记录、反映问题）", frozenset({Role.director, Role.secretary, Role.leader, Role.staff})),
    # 信息报告制度 二.6/二.7: written by the center, submitted by the director; the secretary reads them
    ("analysis", "社会治安形势分析（节日、敏感期、月度）", frozenset({Role.director, Role.secretary, Role.leader, Role.staff})),
    ("cancel", "取消当前操作", None),
]

# /help in sections, so a long list reads by topic on a phone; every command is in exactly one
# (tests/bot/test_onboarding.py). The menu (「/」) keeps COMMANDS' order.
HELP_SECTIONS: list[tuple[str, tuple[str, ...]]] = [
    ("事项", ("report", "visit", "homevisit", "mycases", "case", "search", "inforeport", "baoan")),
    ("督办", ("supervise", "supervisions", "notice")),
    ("计划、会议、传达、排查", ("plan", "meetings", "announce", "paicha", "contact", "focus")),
    ("统计、台账、考核", ("stats", "analysis", "ledger", "score", "myrecord", "teams")),
    ("值班与设置", ("duty", "settings", "calendar", "sections")),
    ("人员与群", ("invite", "admin", "template", "bindgroup")),
    ("其他", ("me", "help", "cancel")),
]

ME = "👤 {name}\n身份：{roles}\n手机：{phone}{place}"

# --- invitations ---------------------------------------------------------------------------
INVITE_CHOOSE_ROLE = "邀请新成员：请选择对方的身份。"
INVITE_CHOOSE_VILLAGE = "邀请{role}：请选择所属村（社区）。"
INVITE_CHOOSE_GRID = "邀请网格员（{village}）：请选择网格。"
INVITE_CHOOSE_UNIT = "邀请承办单位联络人：请选择单位。"
INVITE_NO_VILLAGES = "还没有村（社区）。请先用 /admin → 村（社区）新增，或批量导入（/template 下载模板）。"
INVITE_NO_GRIDS = "{village} 还没有网格。请先用 /admin 为它新增网格。"
INVITE_NO_UNITS = "还没有承办单位。请先用 /admin → 单位新增，或批量导入。"
INVITE_CREATED = (
    "✅ 邀请已生成（{role}{place}），{days} 天内有效，只能使用一次。\n"
    "请把下面的链接转发给对方，对方点开后按提示登记：\n{link}\n\n"
    "邀请码：<code>{code}</code>（也可让对方向机器人发送 /start {code}）"
)
INVITE_AGAIN = "➕ 再邀请一位"

# --- administration ------------------------------------------------------------------------
ADMIN_MENU = "系统管理：请选择要管理的内容。"
ADMIN_PEOPLE = "👥 人员"
ADMIN_VILLAGES = "🏘 村（社区）与网格"
ADMIN_UNITS = "🏢 承办单位"
ADMIN_IMPORT = "📥 批量导入"
ADMIN_BACK = "« 返回"
ADMIN_PEOPLE_FILTER = "人员：请选择按身份或按村（社区）查看。"
ADMIN_PEOPLE_LIST = "{title}（共 {total} 人，第 {page}/{pages} 页）。点姓名查看和修改。"
ADMIN_PEOPLE_EMPTY = "{title}：暂无人员。可用 /invite 邀请，或批量导入。"
ADMIN_ALL = "全部"
ADMIN_BY_VILLAGE = "按村（社区）"
PERSON_CARD = (
    "👤 {name}{inactive}\n身份：{roles}\n手机：{phone}\n所属：{place}\n联系点：{contact_points}\n"
    "受理台（接收所有新事项）：{desk}\nTelegram：{bound}"
)
PERSON_INACTIVE_MARK = "（已停用）"
PERSON_BOUND = "已绑定"
PERSON_UNBOUND = "未绑定（本人点「验证手机号」即可绑定）"
PERSON_ROLES = "✏️ 修改身份"
PERSON_CONTACT_POINTS = "📍 联系点"
PERSON_DEACTIVATE = "⛔ 停用"
PERSON_ACTIVATE = "✅ 启用"
PERSON_ROLES_PROMPT = "修改 {name} 的身份：点选后按「保存」。"
PERSON_ROLES_DIRECTOR_ONLY = "\n中心主任、党委书记、系统管理员身份须由中心主任授予或取消。"
PERSON_CP_PROMPT = "设置 {name} 的工作联系点：点村（社区）名称切换，✅ 为已联系。"
SAVE = "💾 保存"
ROLES_SAVED = "已保存：{name} 的身份为 {roles}。"
DEACTIVATED = "已停用 {name}。对方下一条消息起即无法使用本机器人。"
ACTIVATED = "已启用 {name}。"
VILLAGES_LIST = "村（社区）共 {total} 个。点名称管理网格或改名。"
VILLAGE_CARD = "🏘 {name}（{kind}）\n网格：{grids}\n联系点领导：{leaders}{focus}"
VILLAGE_FOCUS = "\n🎯 重点整治区域：{problem}"
VILLAGE_FOCUS_BUTTON = "🎯 查看整治区域"
VILLAGE_ADD = "➕ 新增村（社区）"
VILLAGE_RENAME = "✏️ 改名"
GRID_ADD = "➕ 新增网格"
UNITS_LIST = "承办单位共 {total} 个。点名称改名。"
UNIT_ADD = "➕ 新增单位"
UNIT_CARD = "🏢 {name}（{kind}）\n联络人：{contacts}"
ASK_VILLAGE_NAME = "请输入新村（社区）的名称，例如「东山村」或「新桥社区」。发送 /cancel 取消。"
ASK_VILLAGE_RENAME = "请输入「{name}」的新名称。发送 /cancel 取消。"
ASK_GRID_NAME = "请输入 {village} 新网格的名称，例如「第一网格」。发送 /cancel 取消。"
ASK_UNIT_NAME = "请输入新单位的名称，例如「镇派出所」。发送 /cancel 取消。"
ASK_UNIT_RENAME = "请输入「{name}」的新名称。发送 /cancel 取消。"
ASK_TEXT_WRONG_TYPE = "这一步需要输入文字名称。发送 /cancel 取消。"
SAVED = "✅ 已保存：{what}"
EDIT_CANCELLED = "已取消，未做修改。"
IMPORT_HOW = (
    "批量导入：先发送 /template 下载模板，按表填写「村社区」「网格」「单位」「人员」四张表，"
    "再把 .xlsx 文件（或单张表的 .csv）直接发给我。\n任何一行有错都不会导入，我会按行号告诉您错在哪里。"
)
IMPORT_OK = "✅ 导入完成：新增村（社区）{villages} 个、网格 {grids} 个、单位 {units} 个、人员 {people} 人。\n被导入的人员打开机器人点「验证手机号」即可绑定。"
IMPORT_ERRORS = "❌ 文件有 {count} 处错误，未导入任何数据。请改正后重新发送：\n{errors}"
IMPORT_TOO_BIG = "文件太大（超过 5 MB）。请只保留需要导入的数据后重新发送。"
IMPORT_BAD_TYPE = "只支持 .xlsx 或 .csv 文件。请发送 /template 下载模板，填写后再发送。"
TEMPLATE_CAPTION = "批量导入模板：填写后把文件直接发给我。每张表第一行是表头，请勿修改。"

# --- generic answers -----------------------------------------------------------------------
REGISTER_FIRST = "请先完成登记（按提示输入姓名、共享手机号），或发送 /cancel 取消登记。"
NOT_ALLOWED = "您没有权限执行此操作。发送 /help 查看您可用的功能。"
STALE_BUTTON = "这个按钮已失效，请重新发送命令。"
UNCHANGED = "已是最新，没有变化。"
UNKNOWN_COMMAND = "没有这个命令。发送 /help 查看可用命令。"
UNEXPECTED_MESSAGE = "我没看懂这条消息。请使用菜单中的命令，发送 /help 查看可用功能。"
EDITED_MESSAGE_IGNORED = "修改已发送的消息不会被采用，请重新发送。"
PRIVATE_ONLY = "为保护个人信息，登记、上报等操作只在私聊中进行。请点下面的按钮打开与我的私聊。"
PRIVATE_ONLY_BUTTON = "💬 打开私聊"
NOTHING_TO_CANCEL = "当前没有进行中的操作。发送 /help 查看可用功能。"
TOO_LONG = "内容太长（最多 {limit} 字），请精简后重新发送。"
ERROR_USER = "抱歉，系统出了点问题，您刚才的操作没有完成。请稍后再试一次；如仍不行，请联系中心管理员。"
ERROR_DB_USER = "系统暂时无法访问数据库，您刚才的操作没有完成，已填写的内容仍保留。请稍后重新发送上一条消息。"
GATE_DB_BUSY = "系统暂时繁忙（数据库暂时无法访问），这条消息没有处理，已填写的内容仍保留。请稍后重发。"
ERROR_ADMIN_ALERT = "⚠️ 机器人出错：{error}\n更新：{update}\n（同一错误一分钟内只提醒一次，详见日志）"


# --- cases -------------------------------------------------------------------------------------
SEVERITY_LABELS = {Severity.general: "一般", Severity.complex: "复杂", Severity.major: "重大疑难"}
SEVERITY_HINTS = {
    Severity.general: "当场或 3 个工作日内可调解的一般民事纠纷",
    Severity.complex: "涉及多方或需多部门配合，7 个工作日内办结",
    Severity.major: "重大疑难，立即上报领导，由领导定期限",
}
CARD_FOUND_BY_PAICHA = "（排查发现）"  # issue 16: an item of a 排查 return
SOURCE_LABELS = {
    Source.grid: "网格员上报", Source.visit: "来访", Source.call: "来电", Source.letter: "来信",
    Source.online: "网上", Source.assigned: "上级交办", Source.transferred_in: "部门移送",
}
STATUS_LABELS = {
    CaseStatus.registered: "已登记", CaseStatus.accepted: "已受理", CaseStatus.assigned: "已分派",
    CaseStatus.in_progress: "调处中", CaseStatus.resolved: "已办结", CaseStatus.replied: "已答复",
    CaseStatus.archived: "已归档", CaseStatus.transferred: "已转办", CaseStatus.out_of_scope: "不予受理（已告知）",
}
ACTION_LABELS = {
    "accept": "受理", "assign": "分派", "progress": "进展", "transfer": "转办", "resolve": "办结",
    "reply": "答复", "satisfaction": "满意度", "archive": "归档", "decline": "不予受理",
    "confidential": "设为保密", "unconfidential": "取消保密", "create": "登记", "reopen": "重新办理",
    "view_confidential": "查看（保密）",
    "deadline": "期限", "reminder_ack": "确认提醒", "urgent_ack": "确认紧急提醒", "info_report": "信息报告",
    "pause_request": "申请挂起", "extension_request": "申请延期", "resume_request": "申请恢复计时",
}
NOTIFY_VIEW_BUTTON = "查看事项"
NOTIFY_ACCEPT_BUTTON = "受理"  # on the case desk's new-case message: the card's 受理, one press sooner
CONFIDENTIAL_SUMMARY = "（保密事项，详情请在卡片中查看）"
NO_ACCESS = "无权查看。"


# --- administration: case desk ------------------------------------------------------------------
PERSON_DESK_ON = "📥 受理台：是（点此移出）"
PERSON_DESK_OFF = "📥 受理台：否（点此加入）"


# --- 来访来电登记（首问责任制，/visit） --------------------------------------------------------
VISIT_ASK_SOURCE = "📝 来访来电登记（首问责任制）\n第 1 步：请选择来源方式。\n任何步骤都可以发送 /cancel 取消。"
VISIT_ASK_NAME = "第 2 步：请输入当事人（来访人）姓名。"
VISIT_ASK_PHONE = "第 3 步：请输入当事人的联系电话；没有请点「跳过」。"
VISIT_ASK_ID = "第 4 步：请输入当事人的身份证号（18 位）；没有请点「跳过」。"
VISIT_ASK_REQUEST = "第 5 步：请用文字写明当事人的诉求（最多 2000 字），或直接发一段语音。"
VISIT_ASK_CATEGORY = "第 6 步：请选择事项类别。"
VISIT_ASK_SUBTYPE = "第 6 步：{category}——请选择具体类型。"
VISIT_ASK_VILLAGE = "第 7 步：事项涉及哪个村（社区）？"
VISIT_ASK_SCOPE = (
    "第 8 步：属于中心职责吗？\n"
    "在职责范围内的，由您作为首问责任人受理、及时办理；不属于的，请耐心解释，并告知当事人到哪里办、带什么材料。"
)
VISIT_ASK_SEVERITY = "第 9 步：请选择紧急程度：\n{hints}"
VISIT_ASK_GUIDANCE = "第 9 步：请输入您告知当事人的办理途径：到哪个部门、带什么材料（最多 500 字）。"
VISIT_GUIDANCE_VOICE_NOTE = "\n诉求是语音，这份告知记录只保存文字：请在告知内容里用一句话写明诉求。"
VISIT_SKIP = "跳过"
VISIT_BACK_TO_CATEGORIES = "« 返回类别"
VISIT_NO_VILLAGE = "不涉及具体村"
VISIT_IN_SCOPE = "✅ 在职责范围内"
VISIT_OUT_OF_SCOPE = "↪️ 不属于中心职责"
VISIT_SUGGESTED = "（建议）"
VISIT_SUMMARY = (
    "请核对来访登记：\n来源：{source}\n当事人：{name}\n电话：{phone}\n身份证号：{id_number}\n诉求：{request}\n"
    "类型：{type}\n村（社区）：{village}\n{scope}\n\n确认无误请点「确认登记」。"
)
VISIT_SUMMARY_IN_SCOPE = "职责：在职责范围内｜紧急程度：{severity}"
VISIT_SUMMARY_OUT_OF_SCOPE = "职责：不属于中心职责\n告知：{guidance}"
VISIT_NOT_GIVEN = "未提供"
VISIT_VOICE = "🎤 语音（{seconds} 秒）"
VISIT_VOICE_REQUEST = "（语音诉求）"
VISIT_CONFIRM = "✅ 确认登记"
VISIT_CANCEL_BUTTON = "✖️ 取消"
VISIT_DONE = "✅ 事项 {number} 已登记，并由您作为首问责任人受理。\n请按服务承诺及时办理；点下方按钮查看事项。"
VISIT_DONE_OUT_OF_SCOPE = (
    "✅ 已记录，编号 {number}：不属于中心职责，已告知当事人办理途径。\n这条记录已存档。接待下一位请发送 /visit。"
)
VISIT_CANCELLED = "已取消来访登记，填写的内容已删除。需要时发送 /visit 重新开始。"
VISIT_TIMEOUT = "来访登记已暂停（长时间未操作），已填写的内容仍然保留。发送 /visit 继续填写。"
VISIT_RESUME = "您有一份未完成的来访登记（{who}）。继续填写，还是重新开始？"
VISIT_RESUME_NO_NAME = "尚未填写当事人"
VISIT_RESUME_CONTINUE = "▶️ 继续填写"
VISIT_RESUME_NEW = "🔄 重新开始"
VISIT_WRONG_BUTTONS = "这一步请点按钮选择。"
VISIT_WRONG_NAME = "这一步需要文字：请输入当事人姓名。"
VISIT_WRONG_PHONE = "这一步请输入电话号码，或点「跳过」。"
VISIT_WRONG_ID = "这一步请输入 18 位身份证号，或点「跳过」。"
VISIT_WRONG_REQUEST = "这一步请用文字写明诉求，或发一段语音。照片、文件可在受理后作为进展补充。"
VISIT_WRONG_GUIDANCE = "这一步需要文字：请输入告知当事人的办理途径。"
VISIT_OR_SKIP = "{error}也可以点「跳过」。"
VISIT_DESCRIPTION = "{source}：{name}反映{type}"


# --- 上报事件（/report） ------------------------------------------------------------------------
REPORT_STEP = "第 {n}/{total} 步"  # numbered from handlers/report.py STEPS, never by hand
REPORT_ASK_CATEGORY = "📝 上报事件（{step}）：请选择事项类别。\n任何步骤都可以发送 /cancel 放弃。"
REPORT_ASK_SUBTYPE = "📝 {step}：{category}——请选择具体类型。"
REPORT_BACK_TO_CATEGORIES = "« 返回类别"
REPORT_ASK_SEVERITY = "{step}：{type}——请选择紧急程度：\n{hints}{suggested}\n情况紧急、需要领导马上知道的，请先点「🚨 紧急」再选程度。"
REPORT_SEVERITY_LINE = "• {label}：{hint}"
REPORT_SUGGESTED = "\n此类事项通常为「{label}」。"
REPORT_FORCED_URGENT = "\n⚠️ 此类事项按规定须立即报告领导：已预设为「重大疑难」并标记紧急，点「✅ 重大疑难」继续。"
REPORT_URGENT_ON = "✅ 🚨 紧急"
REPORT_URGENT_OFF = "☐ 🚨 紧急"
REPORT_URGENT_LOCKED = "此类事项必须按紧急上报，不能取消紧急。"
REPORT_ASK_VILLAGE_OWN = "{step}：事情发生在哪个村（社区）、网格？"
REPORT_USE_OWN = "使用 {place}"
REPORT_OTHER_VILLAGE = "选择其他村（社区）"
REPORT_ASK_VILLAGE = "{step}：请选择事发村（社区）。"
REPORT_NO_VILLAGE = "不涉及具体村（社区）"
REPORT_ASK_GRID = "{step}：{village}——请选择网格。"
REPORT_NO_GRID = "不选网格"
REPORT_VILLAGE_CHOSEN = "{step}：事发村（社区）——{place} ✅"
REPORT_BACK = "« 返回"
REPORT_ASK_PLACE = (
    "{step}：事发地点。在现场请点下方「📍 发送当前位置」；也可以直接输入地址，"
    "例如「东山村5组李家门口」；不填请点「跳过」。"
)
REPORT_SEND_LOCATION = "📍 发送当前位置"
REPORT_SKIP = "跳过"
REPORT_PLACE_LOCATION_SAVED = "✅ 已记录位置。"
REPORT_PLACE_ADDRESS_SAVED = "✅ 已记录地址：{address}"
REPORT_PLACE_SKIPPED = "已跳过地点。"
REPORT_ASK_WHEN = "{step}：事情是什么时候发生的？"
REPORT_WHEN_NOW = "刚刚"
REPORT_WHEN_TODAY = "今天早些时候"
REPORT_WHEN_PICK = "选择日期"
REPORT_ASK_DATE = "{step}：请选择发生日期，或直接输入日期（例如 {example}）。"
REPORT_DATE_BAD = "日期格式不对。请输入如 {example} 的日期，或点按钮选择。"
REPORT_DATE_FUTURE = "发生日期不能晚于今天。请重新输入，或点按钮选择。"
REPORT_TODAY = "今天"
REPORT_YESTERDAY = "昨天"
REPORT_WEEKDAYS = "一二三四五六日"
REPORT_ASK_PARTIES = "{step}：当事人（可选）。\n{listing}"
REPORT_PARTIES_NONE = "需要登记当事人请点「➕ 添加当事人」；没有或不便登记请点「跳过」。"
REPORT_PARTIES_LIST = "已添加：\n{lines}\n还有其他当事人请点「➕ 再添加一位」，没有了请点「完成」。"
REPORT_ADD_PARTY = "➕ 添加当事人"
REPORT_ADD_ANOTHER = "➕ 再添加一位"
REPORT_PARTIES_DONE = "完成"
REPORT_PARTIES_CLEAR = "🗑 清空当事人"
REPORT_PARTIES_FULL = "最多登记 {limit} 位当事人，其余情况请写在描述里。"
REPORT_PARTY_ADDED = "✅ 已添加当事人 {name}。"
REPORT_ASK_PARTY_NAME = "请输入第 {n} 位当事人的姓名。"
REPORT_ASK_PARTY_PHONE = "请输入 {name} 的联系电话（手机号，或带区号的座机如 0571-88888888）；不知道请点「跳过」。"
REPORT_ASK_PARTY_ID = "请输入 {name} 的身份证号（18 位）；不知道请点「跳过」。"
REPORT_ASK_COUNT = "{step}：涉及多少人？请点按钮，或直接输入人数。"
# 涉及人数 buttons beyond two people: (label, code); each asks for the number, an estimate is fine
REPORT_COUNT_RANGES = (("3–10 人", "3"), ("11–30 人", "11"), ("31–100 人", "31"), ("100 人以上", "100"))
REPORT_ASK_COUNT_NUMBER = "请输入涉及的人数：{range}。说不准可以估计，例如「约40人」「三十多人」「上百人」。"
REPORT_COUNT_BAD = "人数请输入 1–100000 之间的数字，例如「5」「约40人」「三十多人」。"
REPORT_ASK_DESCRIPTION = "{step}：请简要描述情况：发生了什么、当事人有什么诉求（最多 2000 字）。也可以直接发一段语音。"
REPORT_VOICE_DESCRIPTION = "（语音描述，见附件中的语音）"
REPORT_VOICE_SAVED = "✅ 已收到语音描述。"
REPORT_ASK_FILES = "{step}：附件（可选）。请发送现场照片、视频、文件或语音，可以发多个；发完或没有请点「完成」。"
REPORT_FILES_HAVE = "\n已收到附件：{files}。"
REPORT_FILE_ADDED = "✅ 已收到附件 {count} 个（{files}）。可以继续发送，发完请点「完成」。"
REPORT_FILES_DONE = "完成"
REPORT_FILES_CLEAR = "🗑 清空附件"
REPORT_FILE_KINDS = {"photo": "照片", "video": "视频", "document": "文件", "voice": "语音", "audio": "音频"}
REPORT_SUMMARY = (
    "📋 请核对上报内容：\n类型：{type}\n紧急程度：{severity}{urgent}\n村（社区）：{village}\n地点：{place}\n"
    "发生时间：{when}\n当事人：{parties}\n涉及人数：{count}\n情况描述：{description}\n附件：{files}\n\n"
    "需要修改请点对应的按钮；无误请点「✅ 提交」。"
)
REPORT_URGENT_MARK = "（🚨 紧急）"
REPORT_NONE = "无"
REPORT_NOT_GIVEN = "未填写"
REPORT_LOCATION = "📍 已定位（{lat:.5f}, {lon:.5f}）"
REPORT_WHEN_NOW_LABEL = "刚刚（{at}）"
REPORT_WHEN_TODAY_LABEL = "今天早些时候（{day}）"
REPORT_COUNT_VALUE = "{count} 人"
REPORT_COUNT_APPROX = "约{count}人"


def people_count_label(count: int, approx: bool) -> str:
    """「40 人」, or 「约40人」 for an estimate: the summary and the card say it alike."""
    return (REPORT_COUNT_APPROX if approx else REPORT_COUNT_VALUE).format(count=count)


REPORT_EDIT = {
    "type": "✏️ 类型", "severity": "✏️ 紧急程度", "village": "✏️ 村/网格", "place": "✏️ 地点",
    "when": "✏️ 时间", "parties": "✏️ 当事人", "count": "✏️ 人数", "description": "✏️ 描述",
    "files": "✏️ 附件",
}
REPORT_SUBMIT = "✅ 提交"
REPORT_DUPLICATES = (
    "⚠️ 7 天内 {village} 已有同类未办结事项，可能是同一件事：\n{lines}\n\n"
    "是同一件事请点「🔗 关联到…」（您的上报记入该事项）；不是请点「仍作为新事项提交」。"
)
REPORT_DUPLICATE_LINE = "• {number}：{summary}"
REPORT_LINK = "🔗 关联到 {number}"
REPORT_SUBMIT_NEW = "🆕 仍作为新事项提交"
REPORT_BACK_TO_SUMMARY = "« 返回核对"
REPORT_DONE = "✅ 已上报，事项编号 <b>{number}</b>。\n中心已收到，办理进展会通知您。"
REPORT_DONE_LINKED = "\n已关联到事项 {number}。"
REPORT_DONE_URGENT = "\n🚨 紧急事项：已同时通知中心领导。"
REPORT_CANCELLED = "已放弃上报，草稿已删除。需要时请重新发送 /report。"
REPORT_TIMEOUT = "上报已暂停（长时间未操作），草稿已保存。发送 /report 可以继续填写。"
REPORT_HAS_DRAFT = "您有一份未提交的上报草稿（{what}）。继续填写，还是重新开始？"
REPORT_DRAFT_NO_TYPE = "尚未选择类型"
REPORT_RESUME = "继续上次的草稿"
REPORT_RESTART = "重新开始"
REPORT_STALE_BUTTON = "这个按钮已过期，请点最新一条消息上的按钮。"
REPORT_MISSING = "还缺少必填内容，请先补上。"
REPORT_WRONG_BUTTONS = "这一步请点按钮选择。"
REPORT_WRONG_PLACE = "这一步请点「📍 发送当前位置」、输入地址，或点「跳过」。"
REPORT_WRONG_WHEN = "这一步请点按钮选择发生时间，或输入日期（例如 {example}）。"
REPORT_WRONG_TEXT = "这一步需要输入文字。"
REPORT_WRONG_COUNT = "这一步请点按钮，或输入人数（数字）。"
REPORT_WRONG_DESCRIPTION = "这一步请用文字描述情况，或发一段语音。照片、视频、文件请在下一步作为附件发送。"
REPORT_WRONG_FILES = "这一步请发送照片、视频、文件或语音；发完请点「完成」。"
REPORT_WRONG_SUMMARY = "请核对上面的内容：点按钮修改，或点「✅ 提交」。"


# --- case card, its actions, /mycases, /search (handlers/cases.py) ----------------------------
CASE_USAGE = "请在命令后写上事项编号，例如：/case 2026-0042\n查看自己的事项请发送 /mycases。"
CARD_TITLE = "📋 事项 {number}{marks}"
CARD_MARK_URGENT = " 🚨紧急"
CARD_MARK_CONFIDENTIAL = " 🔒保密"
CARD_NONE = "—"
CARD_STATUS = "状态：{status}"
CARD_TYPE = "类型：{type}｜{severity}｜{source}"
CARD_PLACE = "地点：{place}{gps}"
CARD_GPS = "（有定位，点「📍 位置」查看）"
CARD_OCCURRED = "发生时间：{at}"
CARD_PARTIES = "当事人：{parties}"
CARD_REPORTER_VIEW = "🔒 保密事项：您是上报人，这里只显示您上报的内容、办理状态和结果。"
CARD_PARTIES_MORE = " 等 {n} 人"
CARD_PEOPLE = "涉及人数：{n}"
CARD_AMOUNT = "涉及金额：{amount} 元"
CARD_DESCRIPTION = "简要情况：{text}"
CARD_REQUEST = "诉求：{text}"
CARD_REPORTER = "上报/登记：{name}（{at}）"
CARD_FIRST_INQUIRY = "首问责任人：{name}"
CARD_HANDLER = "承办：{who}"
CARD_TRANSFER = "转办至：{to}"
CARD_GUIDANCE = "告知办理途径：{text}"
CARD_OUTCOME = "办结：{outcome}｜{agreement}"
CARD_RESULT = "办理结果：{text}"
CARD_REPLY = "答复当事人：{method}（{at}）"
CARD_SATISFACTION = "满意度：{level}"
CARD_DUPLICATE = "疑似重复：{number}"
CARD_FILES = "附件：{n} 个"
CARD_HISTORY = "—— 办理记录（最近 {shown} 条，共 {total} 条）——"
CARD_HISTORY_LINE = "{at} {actor} {action}{note}"
CARD_BUTTON_FILES = "📎 附件（{n}）"
CARD_BUTTON_LOCATION = "📍 位置"
CARD_BUTTON_REFRESH = "🔄 刷新"
CARD_BUTTON_BACK = "« 返回事项"
CARD_BUTTON_CANCEL = "✖️ 取消"
CARD_ROW = "{number} {light}{status}{urgent} {summary}"
CARD_ROW_URGENT = " 🚨"
CARD_ACTION_UNAVAILABLE = "事项 {number} 当前为「{status}」，您现在不能「{action}」。卡片已刷新，请看最新状态。"
CARD_NOW_HIDDEN = "🔒 已设为保密。保密事项只有中心主任、党委书记和承办人可以查看，您已看不到它。"
CARD_DONE_ACCEPT = "✅ 已受理。下一步：点「分派」交给承办人或承办单位。"
CARD_DONE_ASSIGN = "✅ 已分派给 {target}，对方已收到通知。"
CARD_DONE_PROGRESS = "✅ 进展已记录，上报人已收到通知。"
CARD_DONE_TRANSFER = "✅ 已转办至 {to}。请在 3 日内告知当事人，并点「答复」记录。"
CARD_DONE_RESOLVE = "✅ 已办结。下一步：答复当事人后点「答复」记录。"
CARD_DONE_REPLY = "✅ 已记录答复。下一步：回访当事人后点「满意度」记录。"
CARD_DONE_SATISFACTION = "✅ 已记录满意度：{level}。"
CARD_DONE_REOPENED = "↩️ 已记录：当事人不满意。事项已退回重新办理（调处中），承办人和中心已收到通知。"
CARD_DONE_ARCHIVE = "✅ 已归档。"
CARD_DONE_DECLINE = "✅ 已记录为不予受理，告知内容已保存。"
CARD_DONE_CONFIDENTIAL = "🔒 已设为保密：只有中心主任、党委书记和承办人可以查看。"
CARD_DONE_UNCONFIDENTIAL = "🔓 已取消保密。"
ASSIGN_CHOOSE = "分派事项 {number}：交给中心工作人员，还是承办单位？"
ASSIGN_TO_PERSON = "👤 工作人员"
ASSIGN_TO_UNIT = "🏢 承办单位"
ASSIGN_PEOPLE = "分派事项 {number}：请选择承办人（第 {page}/{pages} 页）。"
ASSIGN_UNITS = "分派事项 {number}：请选择承办单位（第 {page}/{pages} 页）。"
ASSIGN_NO_PEOPLE = "还没有在岗的中心工作人员或领导。请先用 /invite 邀请。"
ASSIGN_NO_UNITS = "还没有承办单位。请先用 /admin → 承办单位 新增。"
ASSIGN_ROLE_MARKS = {Role.leader: "（领导）", Role.director: "（主任）"}
ASSIGN_UNIT_NO_CONTACT = "（无联络人）"
ASSIGN_ASK_NOTE = (
    "分派事项 {number}：请输入分派要求（办理重点、时限、注意事项，最多 500 字），会连同期限一起发给承办方；"
    "没有请点「跳过」。"
)
ASSIGN_NOTE_WRONG_TYPE = "这一步请用文字输入分派要求，或点「跳过」。"
ASSIGN_SKIP_NOTE = "跳过"
PROGRESS_ASK = (
    "事项 {number} 报进展：请输入进展情况，也可以发送照片、语音、视频或文件（可以发多条）。\n"
    "全部发完后点「✅ 完成」（或输入「完成」）；发送 /cancel 取消。"
)
PROGRESS_GOT = "已收到：文字 {texts} 段，附件 {files} 个。可以继续发送，发完点「✅ 完成」。"
PROGRESS_DONE_BUTTON = "✅ 完成"
PROGRESS_DONE_WORD = "完成"
PROGRESS_EMPTY = "还没有收到任何内容。请输入进展情况，或发送照片、语音、文件；发送 /cancel 取消。"
PROGRESS_TOO_LONG = "进展文字合计最多 {limit} 字，这条没有收下。请精简后重新发送，已收到的内容仍保留。"
PROGRESS_WRONG_TYPE = "这一步请发送文字、照片、语音、视频或文件。发完点「✅ 完成」，或发送 /cancel 取消。"
TRANSFER_ASK_TO = "转办事项 {number}（第 1 步，共 3 步）：请输入接收单位，例如「县信访局」。发送 /cancel 取消。"
TRANSFER_ASK_REASON = "转办至 {to}（第 2 步，共 3 步）：请输入转办理由。"
TRANSFER_CONFIRM = "第 3 步（共 3 步）：确认把事项 {number} 转办至 {to}？\n理由：{reason}"
TRANSFER_CONFIRM_BUTTON = "✅ 确认转办"
RESOLVE_ASK_OUTCOME = "办结事项 {number}（第 1 步，共 3 步）：请选择办理结果。"
RESOLVE_ASK_AGREEMENT = "办结事项 {number}（第 2 步，共 3 步）：{outcome}。请选择协议类型。"
RESOLVE_ASK_SUMMARY = (
    "办结事项 {number}（第 3 步，共 3 步）：{outcome}｜{agreement}。\n"
    "请输入办理结果（化解措施、协议内容等）。发送 /cancel 取消。"
)
REPLY_ASK_METHOD = "记录事项 {number} 的答复：请选择答复当事人的方式。"
REPLY_ASK_WHEN = "答复方式：{method}。什么时候答复的？点下方按钮，或输入时间，例如 {example}。"
REPLY_NOW = "刚刚"
REPLY_EARLIER_TODAY = "今天早些时候"
REPLY_ASK_HOUR = "今天大约几点答复的？点下方时间，或输入准确时间，例如 {example}。"
REPLY_BAD_TIME = "没看懂这个时间。请输入「年-月-日 时:分」，例如 {example}；今天的也可以只输入「时:分」，例如 09:30。"
SATISFACTION_ASK = "事项 {number} 回访：当事人对办理结果满意吗？\n（选「不满意」会把事项退回重新办理。）"
ARCHIVE_CONFIRM = "确认归档事项 {number}？归档后事项存档，在「已办结」列表中查看。"
ARCHIVE_CONFIRM_BUTTON = "✅ 确认归档"
DECLINE_ASK = "事项 {number} 不予受理：请输入告知当事人的办理途径（哪个部门、带什么材料）。发送 /cancel 取消。"
CASE_TEXT_WRONG_TYPE = "这一步需要输入文字。发送 /cancel 取消。"
CASE_BUTTONS_WRONG_TYPE = "这一步请点上方按钮选择，或发送 /cancel 取消。"
CASE_ACTION_CANCELLED = "已取消，事项未做修改。"
CASE_ACTION_TIMEOUT = "操作长时间未完成，已取消，事项未做修改。需要时请在事项卡片上重新点按钮。"
CASE_ACTION_RETRY = "{error}\n请重新输入，或发送 /cancel 取消。"
FILES_LIST = "事项 {number} 的附件（共 {n} 个）：点一个查看。"
FILE_KIND_LABELS = {"photo": "🖼 照片", "video": "🎬 视频", "voice": "🎤 语音", "audio": "🎵 音频", "document": "📄 文件"}
FILE_CAPTION = "事项附件：{what}（{at}）"
LIST_FILTERS = {"open": "未办结", "closed": "已办结", "all": "全部"}
MYCASES_TABS = {"reported": "我上报的", "assigned": "分派给我的", "villages": "我联系的村"}
MYCASES_TITLE = "📂 我的事项 · {tab} · {filter}：共 {total} 件（第 {page}/{pages} 页）。点一件查看卡片。"
MYCASES_EMPTY = "📂 我的事项 · {tab} · {filter}：暂无。{next}"
MYCASES_EMPTY_NEXT = {
    "reported": "发现矛盾纠纷或隐患时，发送 /report 上报。",
    "assigned": "有事项分派给您时，您会收到通知。",
    "villages": "您联系的村（社区）有新事项时，您会收到通知。",
}
MYCASES_EMPTY_OTHER_FILTER = "点「全部」可查看其他状态的事项。"
MYCASES_NO_TABS = "您没有需要跟进的事项列表。{next}"
MYCASES_NO_TABS_SEARCH = "查找事项请发送 /search 关键词。"
MYCASES_NO_TABS_HELP = "发送 /help 查看可用功能。"
MYCASES_NO_TABS_BAOAN = "您包案的事项请发送 /baoan 查看。"
SEARCH_ASK = "请输入要查找的内容：事项编号、当事人姓名、村名或简要情况中的词。发送 /cancel 取消。"
SEARCH_TITLE = "🔎 查找「{query}」· {filter}：共 {total} 件（第 {page}/{pages} 页）。点一件查看卡片。"
SEARCH_EMPTY = "🔎 查找「{query}」· {filter}：没有找到。可以换个词（编号、当事人姓名、村名），发送 /search 关键词 再找。"

# --- deadline reminders -----------------------------------------------------------------------
REMINDER_ACK = "✅ 收到"
REMINDER_EXTEND = "申请延期"
REMINDER_DONE = "已办结"
REMINDER_ACKED = "已确认收到，本环节不再重复提醒。"

# --- urgent alerts (the notifications themselves: bot/texts/notify/alerts.py and chases.py) -------
URGENT_ACK = "✅ 收到，我来处理"
URGENT_ACKED = "已确认，您负责处置。已通知上报人。"
URGENT_ALREADY_ACKED = "已由 {name} 确认处置，无需重复确认。"
OFF_HOURS_RECEIVED = "现在是非工作时间，事项已登记并将在下一个工作时段（{when}）送达中心。紧急情况请重新上报并标记「紧急」。"

# --- information reports (信息报告) ------------------------------------------------------------
INFO_REPORT_TITLE = "📄 信息报告·{kind}（第 {seq} 报）事项 {number}"
INFO_REPORT_FILL = "📝 填写信息报告"
INFO_REPORT_PHONED = "☎️ 已电话报告"
IR_PHONED = "已记录电话报告（{at}）。请在 {due} 前报送书面初报。"
IR_PHONED_ALREADY = "电话报告已于 {at} 由 {name} 记录，无需再点。"
IR_PHONE_DONE = "☎️ 电话报告：已于 {at} 由 {name} 报告"
IR_PHONE_PENDING = "☎️ 电话报告：未记录（{due} 前）。打完电话请点「☎️ 已电话报告」。"
IR_PHONE_OVERDUE = "⚠️ 电话报告：未记录，已超过期限（{due}），请立即电话报告党委。"

# --- information reports in chat (handlers/info_report.py, /inforeport, /bindgroup) -------------
IR_MISSING_MARK = "❗{label}：—（必填）"
IR_MISSING = "❗ 还缺必填项：{fields}。点下面的按钮逐项填写，填齐后点「📤 报送」。"
IR_READY = "必填项已齐。可以继续补充，或点「📤 报送」报党委。"
IR_DUE = "⏰ 报送期限：{due}"
IR_OVERDUE = "⚠️ 已超过报送期限（{due}），请立即报送，并先电话报告党委。"
IR_SUBMITTED_AT = "✅ 已于 {at} 报送。"
IR_READ_ONLY = "（您可以查看，填写由上报人和中心工作人员负责。）"
IR_NEXT_HINT = "有新情况请点「➕ 续报」；事件处置完毕请点「🏁 终报」。"
IR_FINISHED = "终报已报送，本事项的信息报告已结束。"
IR_TRUNCATED = "\n…（内容较长，此处只显示前一部分）"
IR_SUBMIT = "📤 报送"
IR_FOLLOW_UP = "➕ 续报"
IR_FINAL = "🏁 终报"
IR_BACK_TO_LIST = "« 本事项的全部报告"
IR_BACK = "« 不改了，返回报告"
IR_ASK_FIELD = "✏️ 请输入「{label}」（最多 {limit} 字）。\n当前：{current}\n\n直接发送文字即可；发送 /cancel 取消。"
IR_FIELD_SAVED = "已保存「{label}」。"
IR_FIELD_WRONG_TYPE = "这一步需要输入文字：请输入「{label}」的内容，或发送 /cancel 取消。"
IR_FIELD_RETRY = "{message}\n请重新输入「{label}」，或发送 /cancel 取消。"
IR_FIELD_CANCELLED = "已取消，「{label}」没有修改。"
IR_FIELD_TIMEOUT = "「{label}」长时间没有输入，已停止等待，未做修改。需要时请点报告上的按钮重新填写。"
IR_SENT = "✅ {kind}已报送：党委书记、中心主任和党委工作群会收到。"
IR_STARTED = "已新建{kind}，内容沿用上一报，请修改有变化的项后报送。"
IR_CARD_BUTTON = "📄 信息报告（{n}）"  # on the case card (handlers/cases/card.py)
IR_OPEN_LATEST = "📄 打开最近一报"  # on the 终报 chase (info_reports.sweep_final)
# /inforeport without a number: what waits for this person
IR_WAITING_TITLE = "📄 需要您处理的信息报告（点下方按钮打开）："
IR_WAITING_DRAFT = "{i}. {number} {kind} · 填写中"
IR_WAITING_DRAFT_DUE = "{i}. {number} {kind} · 填写中，{due} 前报送"
IR_WAITING_DRAFT_OVERDUE = "{i}. {number} {kind} · ⚠️ 已超过期限 {due}，请立即报送"
IR_WAITING_FINAL = "{i}. {number} 已报{kind}（第 {seq} 报，{at}）· 还缺终报"
IR_WAITING_MORE = "……还有 {n} 份未列出，处理完上面的再发送 /inforeport 查看。"
IR_WAITING_BUTTON_DRAFT = "📝 {number} {kind}"
IR_WAITING_BUTTON_FINAL = "🏁 {number} 续报/终报"
IR_WAITING_HINT = "查看任一事项的报告：发送 /inforeport 事项编号，例如 /inforeport 2026-0042。"
IR_WAITING_EMPTY = "目前没有需要您填写的信息报告。"
IR_WAITING_HOW = "登记{types}等需要报党委的事项时，会自动生成初报并提醒上报人填写。"
IR_WAITING_HOW_NONE = "目前没有事项类型开启信息报告（系统管理员可在 /admin →「事项类型」中开启）。"
IR_LIST_TITLE = "📄 事项 {number} 的信息报告："
IR_LIST_LINE = "{seq}. {kind} · {state}"
IR_STATE_SUBMITTED = "已报送 {at}"
IR_STATE_DRAFT = "填写中"
IR_STATE_DRAFT_MISSING = "填写中，还缺 {count} 项必填"
IR_LIST_EMPTY = "事项 {number} 没有信息报告。只有需要报党委的重大事件（如群体性事件苗头）才会生成初报。"
IR_OPEN_DRAFT = "📝 填写{kind}"
IR_OPEN_SUBMITTED = "📄 查看{kind}（第 {seq} 报）"
IR_PRIVATE_ONLY = "信息报告请在与我的私聊中查看和填写。"
GROUP_BIND_HOW = "登记党委工作群：把我拉进党委工作群，由系统管理员或中心主任在群里发送 /bindgroup。报送的信息报告会自动发到该群。"
GROUP_BOUND_LIST = "已登记的党委工作群：{groups}"
GROUP_BOUND_NONE = "目前还没有登记党委工作群。"
GROUP_BOUND = "✅ 本群「{title}」已登记为党委工作群，报送的信息报告会发到这里。解除请发送 /unbindgroup。"
GROUP_UNBOUND = "本群「{title}」已解除，信息报告不再发到这里。"
GROUP_UNBIND_BUTTON = "解除「{title}」"
GROUP_UNBIND_HOW = "解除登记请在该群里发送 /unbindgroup，或在私聊中发送 /bindgroup 点「解除」。"

# --- 值班表（/duty）与工作日历（/calendar） --------------------------------------------------------
WEEKDAY_NAMES = "一二三四五六日"
DAY_FORMAT = "%m月%d日"
DAY_BUTTON_FORMAT = "%m-%d"
# spreadsheets (shared by the roster and the calendar upload)
TABLE_GUIDE_SHEET = "说明"
TABLE_EXAMPLE_TITLE = "「{sheet}」表填写示例（请填在「{sheet}」表里，不要填在这里）："
TABLE_UNREADABLE_XLSX = "无法读取这个 Excel 文件，可能已损坏。请在 Excel/WPS 中「另存为」.xlsx 后再发送。"
TABLE_OLD_FORMAT = "这是旧版 .xls 格式，无法读取。请在 Excel/WPS 中「另存为」.xlsx 后再发送。"
TABLE_BAD_TYPE = "只能导入 .xlsx 或 .csv 文件。"
TABLE_BAD_ENCODING = "无法识别这个 CSV 文件的编码。请在 Excel/WPS 中另存为 .xlsx 或「CSV UTF-8」后再发送。"
TABLE_BAD_CSV = "CSV 文件格式有误（可能有未配对的引号）。请另存为 .xlsx 后再发送。"
TABLE_TOO_BIG = "文件太大（超过 {mb} MB）。请只保留需要导入的数据。"
TABLE_TOO_MANY_ROWS = "行数太多：一个文件最多 {limit} 行数据，请分成几个文件。"
TABLE_EMPTY = "文件是空的。请按模板填写后再发送。"
TABLE_NO_ROWS = "文件里只有表头，没有数据行。"
TABLE_BAD_HEADER = "第 {row} 行应为表头「{columns}」，缺少「{missing}」列。请按模板填写。"
FILE_TOO_BIG = "文件太大（超过 {mb} MB）。请只保留需要导入的数据后重新发送，或发送 /cancel 取消。"
FILE_BAD_TYPE = "只支持 .xlsx 或 .csv 文件。请按模板填写后发送，或发送 /cancel 取消。"
# /duty
DUTY_WEEK = "📋 值班表（{first}—{last}）\n{lines}"
DUTY_LINE = "{day} 周{weekday}：值班 {duty}；带班领导 {leader}"
DUTY_TODAY_LINE = "👉 <b>{line}</b>（今天）"
DUTY_NONE = "未安排"
DUTY_EDIT_HINT = "\n\n点下方日期安排当天的值班（今天起两周内），或批量导入。"
DUTY_READONLY_HINT = "\n\n值班表由中心领导或管理员安排；需要调整请联系他们。"
DUTY_TODAY_BUTTON = "今天 {md}"
DUTY_TOMORROW_BUTTON = "明天 {md}"
DUTY_DAY_BUTTON = "{md} 周{weekday}"
DUTY_IMPORT_BUTTON = "📥 批量导入"
DUTY_GAP_BUTTON = "📋 安排 {md}"
DUTY_EDITOR = (
    "✏️ 安排 {day} 周{weekday} 的值班\n值班人员：{duty}\n带班领导：{leader}\n"
    "点姓名选择或取消（✅ 为已选；值班可多人，带班领导选一位），好了点「保存」。"
)
DUTY_STAFF_BUTTON = "{mark}{name}"
DUTY_LEADER_BUTTON = "{mark}带班：{name}"
DUTY_MARK_ON = "✅ "
DUTY_MARK_OFF = ""
DUTY_NO_STAFF = "\n⚠️ 还没有在职的中心工作人员，无法安排值班。请先用 /invite 邀请，或在 /admin 中设置身份。"
DUTY_SAVE = "💾 保存"
DUTY_BACK = "« 返回值班表"
DUTY_SAVED = "✅ 已保存 {day} 的值班：值班 {duty}；带班领导 {leader}。\n\n"
DUTY_IMPORT_HOW = (
    "📥 批量导入值班表：发送一个 .xlsx 或 .csv 文件（可用下面的模板），第一行是表头「日期、值班人员、带班领导」，每天一行：\n"
    "• 日期：如 2026-12-01\n• 值班人员：可写多人，用顿号「、」隔开\n• 带班领导：一位，可不填\n"
    "姓名须与系统中登记的一致；文件里的日期会整天替换原有安排。只要有一行出错就不会导入，我会按行号告诉您。\n"
    "现在请把文件发给我，或发送 /cancel 取消。"
)
DUTY_TEMPLATE_CAPTION = "值班表模板：在「值班表」中每天填一行，把文件发回给我。"
DUTY_TEMPLATE_SHEET = "值班表"
DUTY_TEMPLATE_NOTES = [
    "1. 在「值班表」中从第 2 行起每天填一行；第 1 行表头不要改动。",
    "2. 日期写成 2026-12-01；值班人员可写多人，用顿号「、」隔开；带班领导写一位，可不填。",
    "3. 姓名须与机器人中登记的姓名一致。只要有一行出错，整个文件都不导入，并按行号列出错误。",
    "4. 文件中出现的日期，原有的值班安排会被整天替换；其他日期不变。",
]
DUTY_TEMPLATE_EXAMPLES = [("2026-12-01", "孙丽、周明", "刘建国"), ("2026-12-02", "周明", "")]
DUTY_IMPORT_WRONG_TYPE = "现在在等值班表文件：请发送 .xlsx 或 .csv 文件，或发送 /cancel 取消。"
DUTY_IMPORT_ERRORS = "❌ {errors}\n\n请改正后重新发送文件，或发送 /cancel 取消。"
DUTY_IMPORT_OK = "✅ 已导入 {days} 天的值班安排。发送 /duty 查看。"
DUTY_IMPORT_CANCELLED = "已取消导入值班表。"
DUTY_IMPORT_TIMEOUT = "等待值班表文件超时，已退出导入。需要时在 /duty 中点「📥 批量导入」。"
# /calendar
CAL_MENU = "📅 工作日历（事项期限按工作日计算）\n{years}\n\n休 = 放假，班 = 调休上班。可以逐天录入，也可以批量导入全年安排。"
CAL_YEAR_KNOWN = "• {year} 年：已内置国务院公布的节假日安排；另有自定义调整 {days} 天。"
CAL_YEAR_CONFIRMED = "• {year} 年：✅ {name} 已于 {at} 确认录入完整（休 {off} 天、班 {on} 天）。"
CAL_YEAR_MISSING = (
    "• {year} 年：⚠️ 官方安排尚未确认，期限暂按周一至周五计算（标为「暂定」）。"
    "已录入休 {off} 天、班 {on} 天；录完后请点「确认」。"
)
CAL_LIST_BUTTON = "📋 {year} 年调整日"
CAL_ADD_BUTTON = "➕ 录入日期"
CAL_IMPORT_BUTTON = "📥 批量导入"
CAL_CONFIRM_BUTTON = "✅ 确认 {year} 年已录入完整"
CAL_BACK = "« 返回日历"
CAL_DAYS = "📋 {year} 年调整日（共 {total} 天）：\n{lines}\n\n点下方按钮删除某一天（删除后按官方日历或周一至周五计算）。"
CAL_DAYS_EMPTY = "📋 {year} 年还没有调整日。点「➕ 录入日期」添加，或批量导入。"
CAL_DAY_LINE = "{day} 周{weekday} {kind}{note}"
CAL_KIND_OFF = "休"
CAL_KIND_ON = "班"
CAL_REMOVE_BUTTON = "🗑 {md} {kind}"
CAL_REMOVED = "✅ 已删除 {day}（{kind}）。\n\n"
CAL_ASK_DAYS = (
    "请输入「日期 休/班 说明」，每行一天，例如：\n2027-01-01 休 元旦\n2027-02-07 班 春节调休\n"
    "连续几天可写：2027-02-10至2027-02-17 休 春节\n录完点「完成」，或发送 /cancel 结束。"
)
CAL_SAVED = "✅ 已保存 {count} 天：\n{lines}\n\n可以继续输入下一天；录完点「完成」。"
CAL_DONE_BUTTON = "完成"
CAL_TYPE_WRONG_TYPE = "这一步请输入文字，例如「2027-01-01 休 元旦」。要导入文件请先点「完成」再点「📥 批量导入」。发送 /cancel 结束。"
CAL_RETRY = "❌ {error}\n\n请重新输入，或发送 /cancel 结束。"
CAL_IMPORT_HOW = (
    "📥 批量导入全年安排：发送一个 .xlsx 或 .csv 文件（可用下面的模板），第一行是表头「日期、类型（休/班）、说明」，每天一行；"
    "连续几天可写「2027-02-10至2027-02-17」。\n只要有一行出错就不会导入，我会按行号告诉您。\n"
    "现在请把文件发给我，或发送 /cancel 取消。"
)
CAL_TEMPLATE_CAPTION = "工作日历模板：在「日历」中每天（或每段连续的日子）填一行，把文件发回给我。"
CAL_TEMPLATE_SHEET = "日历"
CAL_TEMPLATE_NOTES = [
    "1. 在「日历」中从第 2 行起填写，第 1 行表头不要改动。",
    "2. 日期写成 2027-01-01；连续几天可写成 2027-02-10至2027-02-17。",
    "3. 类型填「休」（放假）或「班」（调休上班）；说明可不填，例如 元旦、春节调休。",
    "4. 只需填与平常不同的日子：周一至周五放假的日子、周末上班的日子。",
    "5. 只要有一行出错，整个文件都不导入，并按行号列出错误。",
]
CAL_TEMPLATE_EXAMPLES = [("2027-01-01", "休", "元旦"), ("2027-02-10至2027-02-17", "休", "春节"),
                         ("2027-02-07", "班", "春节调休")]
CAL_IMPORT_WRONG_TYPE = "现在在等日历文件：请发送 .xlsx 或 .csv 文件，或发送 /cancel 取消。"
CAL_IMPORT_OK = "✅ 已导入 {count} 天（{years} 年）。核对无误后，请在下方点「确认 … 已录入完整」。\n\n"
CAL_CANCELLED = "已结束日历录入。"
CAL_TIMEOUT = "日历录入超时，已退出。需要时发送 /calendar。"
CAL_CONFIRM_ASK = (
    "确认 {year} 年的节假日和调休已全部录入？\n已录入：休 {off} 天、班 {on} 天。\n"
    "确认后 {year} 年不再按周一至周五推算，所有「暂定」期限会按正式日历重新计算。"
)
CAL_CONFIRM_YES = "✅ 确认无误"
CAL_CONFIRMED = "✅ 已确认 {year} 年日历，重新计算了 {count} 件事项的暂定期限。\n\n"
CAL_ERR_DATE = "「{text}」不是有效日期，应写成 2027-01-01。"
CAL_ERR_RANGE_ORDER = "起止日期写反了：应为 较早日期至较晚日期。"
CAL_ERR_RANGE_LONG = "一段连续日期最多 {days} 天，请分开填写。"
CAL_ERR_YEAR = "年份超出范围，请核对。"
CAL_ERR_NOTE = "说明最多 {limit} 个字。"
CAL_ERR_LINE = (
    "没看懂「{line}」。请按「日期 休/班 说明」输入，例如：\n2027-01-01 休 元旦\n2027-02-07 班 春节调休"
    "\n（休 = 放假，班 = 调休上班；说明可不写）"
)
CAL_ERR_TOO_MANY_LINES = "一次最多输入 {limit} 行，请分几次发送，或用批量导入。"
CAL_ERR_ROW = "第 {row} 行：{error}"
CAL_ERR_NOTHING_SAVED = "有错误，本次没有保存任何日期：\n{errors}"
CAL_ERR_MORE = "\n……另有 {n} 处"
CAL_ERR_NO_DATE = "请填写「日期」。"
CAL_ERR_KIND = "「类型」应填「休」或「班」（现在是「{text}」）。"
CAL_ERR_DUPLICATE = "{day} 与第 {row} 行重复。"
CAL_ERR_EMPTY_FILE = "文件里没有数据行。"
CAL_ERR_NOT_SET = "{day} 没有设置调整，可能已被删除。"
CAL_ERR_PACKAGE_KNOWS = "{year} 年的官方安排已内置，无需确认；个别日子有变动直接录入即可。"
CAL_ERR_CONFIRMED = "{year} 年已经确认过了。"
CAL_ERR_NO_HOLIDAYS = "{year} 年还没有录入任何放假日（休），请先录入或批量导入再确认。"

# --- deadline changes, 收到 on reminders and urgent alerts (handlers/deadlines.py) --------------
DL_KIND_LABELS = {"extension": "延期", "pause": "挂起", "resume": "恢复计时", "set": "设定期限"}
DL_BUTTON_EXTEND = "⏳ 申请延期"
DL_BUTTON_PAUSE = "⏸ 挂起"
DL_BUTTON_RESUME = "▶️ 恢复计时"
DL_BUTTON_SET = "📅 设定期限"
DL_ASK_REASON = "{kind}：事项 {number}\n当前期限：{due}（{light}）\n请输入{kind}的理由（2–500 字），会交中心领导审批。发送 /cancel 取消。"
DL_ASK_DATE = "事项 {number} 当前期限：{due}\n请选择新的期限（按工作日顺延），或直接输入日期，如 {example}。"
DL_ASK_SET_DATE = "设定期限：事项 {number}\n当前期限：{due}\n请选择期限（从今天起按工作日计算），或直接输入日期，如 {example}。发送 /cancel 取消。"
DL_ASK_SET_REASON = "期限定为 {due}。请输入设定理由（2–500 字），会记入事项历史。"
DL_DATE_CHOICE = "{date}（+{n}）"
DL_WEEKDAYS = "一二三四五六日"
DL_DATE_LABEL = "{month}月{day}日 周{weekday}"
DL_BAD_DATE = "没看懂这个日期。请点上面的按钮，或按 {example} 的格式输入。"
DL_DATE_RETRY = "{error}\n请重新选择或输入日期。"
DL_REASON_SHORT = "理由太短，请写明原因（至少 2 个字）。"
DL_CONFIRM = "请确认：\n事项 {number} · 申请{kind}\n{new}理由：{reason}\n提交后由中心领导审批。"
DL_CONFIRM_NEW = "新期限：{due}\n"
DL_CONFIRM_SET = "请确认：\n事项 {number} · 期限设定为 {due}\n理由：{reason}"
DL_SUBMIT = "✅ 提交"
DL_SET_BUTTON = "✅ 确定"
DL_CANCEL_BUTTON = "✖️ 取消"
DL_SUBMITTED = "✅ 已提交{kind}申请（事项 {number}），等待中心领导审批，结果会通知您。"
DL_SET_DONE = "✅ 事项 {number} 的期限已设定为 {due}。"
DL_CANCELLED = "已取消，期限没有改变。"
DL_TIMEOUT = "期限申请长时间没有操作，已取消。需要时请重新点「申请延期」等按钮。"
DL_LOST = "这一步已失效（可能已超时或已取消），请重新点「申请延期」等按钮开始。"
DL_TEXT_WRONG_TYPE = "这里需要输入文字。请输入理由，或发送 /cancel 取消。"
DL_BUTTONS_WRONG_TYPE = "请点上面的按钮，或发送 /cancel 取消。"
DL_DATE_WRONG_TYPE = "请点按钮选择日期，或输入日期（如 {example}）；发送 /cancel 取消。"
DL_APPROVE = "✅ 批准"
DL_REFUSE = "❌ 驳回"
DL_APPROVED_MARK = "✅ 您已批准{detail}，已告知申请人。"
DL_ASK_REFUSE_NOTE = "驳回事项 {number} 的{kind}申请：请简要写明理由（最多 200 字），会转告申请人。发送 /cancel 取消。"
DL_REFUSED_DONE = "❌ 已驳回事项 {number} 的{kind}申请，已告知申请人。"
DL_REFUSED_MARK = "❌ 已驳回"
DL_DETAIL_DUE = "，新期限 {due}"
DL_DETAIL_PAUSED = "，已暂停计时"
DL_DETAIL_RESUMED = "，已恢复计时，期限 {due}"

# --- information reports in chat, continued (handlers/info_report.py) ----------------------------
GROUP_UNBOUND_PRIVATE = "「{title}」已解除登记，信息报告不再发到该群。"

# --- deadlines on the card ----------------------------------------------------------------------
CARD_DEADLINE = "期限：{due}{provisional}{state}"
CARD_DEADLINE_STATE = "（{state}）"
DEADLINE_MET = "按期办结"
DEADLINE_MISSED = "超期{amount}办结"
CARD_PROVISIONAL = "（暂定：该年法定节假日未录入）"

# --- 领导包案 and 督办通知书 (bot/services/baoan.py, supervision.py, notice_docx.py) ---------------
ACTION_LABELS.update({
    "baoan_request": "提议包案", "baoan_approve": "批准包案", "baoan_refuse": "不同意包案",
    "baoan_plan": "调处方案", "baoan_upper": "上级协调", "baoan_complete": "包案办结", "supervise": "下达督办",
    "supervise_sign": "签收督办", "supervise_entry": "督办反馈", "supervise_accept": "认可督办结果",
    "supervise_reissue": "重新督办", "supervise_request": "督办要求", "supervise_answer": "答复督办要求",
    "supervise_close": "督办结案", "supervise_transfer": "督办移送", "supervise_party": "告知当事人",
    "supervise_level": "督办升级", "supervise_overdue": "督办超期",
    # issue 16: 请示, 联合办理, 会商, 已到场
    "supervise_instruction": "请示", "supervise_instruction_reply": "请示答复", "co_unit_added": "添加协办单位",
    "co_unit_removed": "取消协办单位", "consultation": "会商", "mediation": "召集调处会", "scene_arrival": "联系点领导到场",
})
BA_APPROVE = "✅ 批准"
BA_PICK = "👤 另选领导"
BA_REFUSE = "❌ 不同意"
BA_EXTENSION_APPROVE = "✅ 批准延期"
BA_EXTENSION_REFUSE = "❌ 驳回"

SV_LEVEL_LABELS = {"normal": "普通", "yellow": "黄牌", "red": "红牌"}
SV_LEVEL_MARKS = {"normal": "📮", "yellow": "🟡", "red": "🔴"}
SV_SOURCE_LABELS = {"local": "本级", "upper": "上级交办"}
SV_STATUS_LABELS = {
    "issued": "待签收", "signed": "已签收，办理中", "reported": "已报结果，待审核", "accepted": "结果认可，已办结",
    "reissued": "已重新督办", "closed": "经批准结案", "transferred": "经批准移送",
}
SV_ENTRY_LABELS = {
    "progress": "进展", "result": "办理结果", "overdue_reason": "超期原因及进展", "materials": "调阅材料",
    "briefing": "汇报办理情况", "answer": "答复", "close": "结案", "transfer": "移送", "party_notice": "告知当事人",
    "reject": "不认可结果", "accept": "认可结果",
    "instruction": "请示", "instruction_reply": "请示答复",  # bot/services/supervision/instruct.py
}
SV_DEFAULT_FEEDBACK = "请于办理期限前书面报告办理结果；办理中有重要进展随时反馈。"
SV_NUMBER_PENDING = "（确认下达后编号）"
SV_CC_NO_CONTACT = "{unit} 还没有登记联络人，无法抄送。可以先用 /invite 邀请该单位联络人，或直接输入单位名称。"
SV_SIGN = "✍️ 签收"
SV_VIEW = "查看督办"
# 承办人员: a notice addressed to a person (信息督办制度 "承办单位(人员)")
SV_PERSON_ADDRESSEE = "{name}同志"  # the 主送 of a notice to a person (GB/T 9704 usage)
SV_ASSIGNEE_SIDE = "承办人员"
SV_NOT_APPROVER = "结案或移送须经中心领导批准，只有中心领导或主任可以操作；承办人员本人不能批准自己的督办。"
SV_NOT_ANSWERER = "只有承办单位的联络人或承办人员本人可以办理这份督办通知书。"
SV_PARTY_NOT_ALLOWED = "只有承办单位的联络人、承办人员本人或中心主任可以登记告知当事人。"
SV_ASSIGNEE_GONE = "没有找到这位承办人员，或其已不在岗、未绑定 Telegram，请重新选择。"
SV_ASSIGNEE_NOT_FOUND = "没有找到承办单位或承办人员「{name}」。"
SV_ACCEPT = "✅ 认可结果"
SV_REJECT = "↩️ 不认可，重新督办"
SV_CASE_DEADLINE_REASON = "按督办通知书 {number} 的办理期限"
SV_CASE_RESULT = "督办通知书 {number} 办理结果经中心认可：{result}{note}"
SV_CASE_RESULT_NOTE = "（认可意见：{note}）"
SV_ANSWER = "📤 答复"
SV_CLOSE_WHAT = "经批准结案"
SV_TRANSFER_WHAT = "经批准移送{department}办理"
SV_PARTY_BUTTON = "📣 已告知当事人"
SV_DOC_CONFIDENTIAL = "这是保密事项的督办通知书，您无权获取通知书文件。如工作需要，请联系中心主任。"
SV_REASON_BUTTON = "📝 说明超期原因"
SV_COMMAND_USAGE = "用法：/supervise 事项编号 承办单位（或承办人员姓名） 办理期限 督办要求\n例如：/supervise 2026-0042 镇司法所 2026-12-10 请于期限前调解到位并书面反馈"

# the document (notice_docx.py)
DOCX_TITLE = "督办通知书"
DOCX_INTRO = "根据综治中心信息督办制度，现将下列事项交你单位督办，请签收后按要求办理。"
DOCX_HEADINGS = {"case": "一、督办事项", "requirements": "二、督办要求", "due": "三、办理期限", "feedback": "四、反馈要求"}
DOCX_CASE = "事项 {number}：{summary}"
DOCX_ORIGINAL_LINE = "原办理期限：{original}。"
DOCX_ORIGINAL = "{due}，超期 {days} 个工作日"
DOCX_ORIGINAL_NONE = "未设定"
DOCX_LEVEL = "督办级别：{level}；来源：{source}。"
DOCX_PARENT = "重新督办（原通知书 {number}）。"
DOCX_DUE = "请于{due}前办结，并报告办理结果。"
DOCX_FOOTER = "请承办单位签收后按期办理，并按反馈要求向{org}报告。"
DOCX_INTRO_PERSON = "根据综治中心信息督办制度，现将下列事项交由你督办，请签收后按要求办理。"
DOCX_FOOTER_PERSON = "请签收后按期办理，并按反馈要求向{org}报告。"
DOCX_ASSIGNEE = "承办人员：{person}　签发人：{issuer}"
DOCX_CC = "抄送：{cc}。"
DOCX_CONTACTS = "承办单位联络人：{contacts}　签发人：{issuer}"
DOCX_SIGNED = "签收人：{signer}　签收时间：{at}"
DOCX_PRINTED = "{org}　{date}印发"
DOCX_BLANK = "　" * 8
SV_REQUEST_LABELS = {"materials": "调阅有关调处材料", "briefing": "主管领导或经办人汇报办理情况"}
SV_REQUEST_DEFAULTS = {
    "materials": "请报送本事项的有关调处材料（调解记录、协议、证据等）。",
    "briefing": "请主管领导或经办人向中心汇报办理情况。",
}

# --- documents delivered by the outbox ----------------------------------------------------------

# --- 督办 issuing in chat (handlers/supervise.py: /supervise, /supervisions, /notice) -----------
SVI_ASK_CASE = (
    "📮 下达督办通知书\n请输入要督办的事项编号，例如 2026-0042。发送 /cancel 取消。\n"
    "熟练后也可以一句话下达：/supervise 2026-0042 镇司法所 2026-12-10 督办要求"
)
SVI_BAD_CASE_NUMBER = "事项编号应形如 2026-0042，请重新输入，或发送 /cancel 取消。"
SVI_CASE_NOT_FOUND = "没有找到事项 {number}，请核对编号。"
SVI_CASE_RETRY = "{error}\n请重新输入事项编号，或发送 /cancel 取消。"
SVI_CASE_CLOSED = "事项 {number} 当前状态为「{status}」，不需要督办。"
SVI_ASK_UNIT = "督办事项 {number}：{summary}\n请选择承办单位（第 {page}/{pages} 页），也可以直接输入单位名称。"
SVI_ASK_PERSON = (
    "督办事项 {number}：{summary}\n请选择承办人员（第 {page}/{pages} 页），也可以直接输入姓名。\n"
    "督办通知书只发给这一位，由其本人签收和办理。"
)
SVI_NO_PERSONS = "还没有可选的承办人员（在岗并已绑定的中心领导、工作人员或联络人）。请点「承办单位」选择单位。"
SVI_PERSON_RETRY = "{error}\n请点按钮选择承办人员，或重新输入姓名。"
SVI_PERSON_CHOICE = "{name} · {place}"
SVI_PICK_KINDS = {"u": "🏢 承办单位", "p": "👤 承办人员"}
SVI_TOLD = {"u": "已通知联络人签收", "p": "已通知本人签收"}
SVI_NO_UNITS = "还没有可选的承办单位。请管理员先添加单位并邀请单位联络人，再下达督办。"
SVI_UNIT_NO_CONTACT = "{unit} 还没有登记联络人，无法送达。请先用 /invite 邀请该单位联络人，或选择其他单位。"
SVI_UNIT_RETRY = "{error}\n请点按钮选择承办单位，或重新输入单位名称。"
SVI_ASK_DUE = "{side}：{unit}\n请选择办理期限（按工作日计算，到期日下班时截止），或直接输入日期，如 {example}。"
SVI_DUE_CHOICE = "+{n}个工作日 · {date}"
SVI_DUE_PAST = "办理期限应晚于今天，请重新选择或输入日期。"
SVI_ASK_LEVEL = "办理期限：{due}\n请选择督办级别和来源（带 • 的是已选项），选好后点「下一步」。"
SVI_SOURCE_ROW = "来源："
SVI_NEXT = "下一步 ▶"
SVI_ASK_REQUIREMENTS = "{level}督办·{source}\n请输入督办要求：写明要承办单位做什么（最多 {limit} 字）。"
SVI_REQUIREMENTS_SHORT = "督办要求太短，请写明要承办单位做什么（至少 2 个字）。"
SVI_ASK_FEEDBACK = "请输入反馈要求（最多 {limit} 字），或点「使用默认」：\n{default}"
SVI_FEEDBACK_DEFAULT = "使用默认"
SVI_ASK_CC = (
    "需要抄送吗？点选领导或单位（可多选，再点一次取消），选好点「完成」；"
    "中心以外的单位请直接输入名称（最多 {limit} 字）。\n已选：{chosen}"
)
SVI_CC_DONE = "✅ 完成"
SVI_NO_CC = "不抄送"
SVI_PREVIEW = (
    "📮 督办通知书预览 {number}\n级别：{mark} {level}·{source}\n{addressee}\n"
    "事项 {case_number}：{summary}\n原办理期限：{original}\n督办要求：{requirements}\n办理期限：{due}\n"
    "反馈要求：{feedback}\n抄送：{cc}\n签发人：{issuer}　{issued_on}\n\n请核对后点「确认下达」。"
)
SVI_ORIGINAL = "{due}（超期 {days} 个工作日）"
SVI_ORIGINAL_ON_TIME = "{due}"
SVI_NONE = "无"
SVI_CONFIRM = "✅ 确认下达"
SVI_EDIT = "✏️ 修改"
SVI_CANCEL = "取消"
SVI_PREVIEW_FAILED = "⚠️ {error}\n请点「修改」调整，或点「取消」。"
SVI_EDIT_MENU = "要修改哪一项？改完会回到预览。"
SVI_EDIT_FIELDS = {
    "unit": "承办单位（人员）", "due": "办理期限", "level": "级别和来源", "req": "督办要求", "feedback": "反馈要求", "cc": "抄送",
}
SVI_BACK = "« 返回预览"
SVI_ISSUED = (
    "✅ 已下达督办通知书 {number}\n{side}：{unit}（{told}）\n事项 {case_number}，办理期限 {due}。\n"
    "需要文书时发送 /notice {number}"
)
SVI_COMMAND_ERROR = "⚠️ {error}"
SVI_CANCELLED = "已取消，督办通知书没有下达。"
SVI_TIMEOUT = "督办通知书长时间没有操作，已取消。需要时请重新发送 /supervise。"
SVI_LOST = "这一步已失效（可能已超时或已取消），请重新发送 /supervise。"
SVI_CASE_WRONG_TYPE = "请输入事项编号（例如 2026-0042），或发送 /cancel 取消。"
SVI_UNIT_WRONG_TYPE = "请点按钮选择承办单位或承办人员，或输入单位名称、姓名；发送 /cancel 取消。"
SVI_DUE_WRONG_TYPE = "请点按钮选择办理期限，或输入日期（如 {example}）；发送 /cancel 取消。"
SVI_TEXT_WRONG_TYPE = "这里需要输入文字（暂不支持语音）。请按提示输入，或发送 /cancel 取消。"
SVI_BUTTONS_WRONG_TYPE = "请点上面的按钮，或发送 /cancel 取消。"
SVL_STATES = {"open": "未办结", "overdue": "已超期", "all": "全部"}
SVL_TITLE = "📋 督办通知书 · {filters}\n共 {total} 份，第 {page}/{pages} 页。点一份查看详情。"
SVL_EMPTY = "📋 督办通知书 · {filters}\n没有符合条件的督办通知书。可以点上面的按钮换个条件。"
SVL_ALL_LEVELS = "全部级别"
SVL_UNIT_BUTTON = "🏢 单位：{unit}"
SVL_ALL_UNITS = "全部单位"
SVL_PICK_UNIT = "按承办单位筛选（第 {page}/{pages} 页）："
SVL_BACK = "« 返回清单"
SVL_ROW = "{overdue}{mark} {number} {unit} · {due}"
SVL_OVERDUE_MARK = "⚠️"
SVN_USAGE = "请在 /notice 后写上督办通知书编号，例如 /notice 综治〔2026〕12号（也可写 2026-12）。"
SVN_SENDING = "📄 督办通知书 {number} 的文书（.docx）马上发给您。"

# --- 督办 notice in chat (handlers/notices.py: the card, the unit's and the director's actions) ----
SV_ACTION_LABELS = {
    "sign": "签收", "progress": "报送进展", "result": "报送办理结果", "overdue_reason": "说明超期原因",
    "party": "登记告知当事人", "accept": "认可结果", "reissue": "不认可、重新督办", "materials": "调阅材料",
    "briefing": "要求汇报", "close": "结案", "transfer": "移送",
}
SV_ACTION_UNAVAILABLE = "督办通知书 {number} 当前状态为「{status}」，现在不能{action}。请点「查看督办」看最新情况。"
NT_TITLE = "{mark} 督办通知书 {number}"
NT_LEVEL = "级别：{level}·{source}"
NT_STATUS = "状态：{status}"
NT_PARENT = "重新督办：原通知书 {number}"
NT_CASE = "事项：{number}｜{summary}"
NT_UNIT = "承办单位：{unit}（联络人：{contacts}）"
NT_ASSIGNEE = "承办人员：{person}"
SV_SIDES = {"u": "承办单位", "p": "承办人员"}


def sv_addressee(*, name: str, contacts: str, to_person: bool) -> str:
    """The card's and the preview's 承办 line (plain text; the caller escapes)."""
    return NT_ASSIGNEE.format(person=name) if to_person else NT_UNIT.format(unit=name, contacts=contacts)
NT_ORIGINAL = "原办理期限：{due}"
NT_ORIGINAL_LATE = "原办理期限：{due}（下达时已超期 {days} 个工作日）"
NT_REQUIREMENTS = "督办要求：{text}"
NT_DUE = "办理期限：{due}"
NT_DUE_OVERDUE = "办理期限：{due} 🔴 已超期"
NT_FEEDBACK = "反馈要求：{text}"
NT_CC = "抄送：{cc}"
NT_ISSUER = "签发：{issuer}，{date}"
NT_SIGNED = "签收：{who}，{at}"
NT_UNSIGNED = "签收：尚未签收"
NT_CLOSING = "说明：{text}"
NT_PARTY_PENDING = "告知当事人：须于 {due} 前告知，尚未登记"
NT_PARTY_DONE = "告知当事人：已于 {at} 登记"
NT_HISTORY = "办理记录（最近 {shown} 条，共 {total} 条）："
NT_HISTORY_LINE = "· {at} {actor} {label}：{text}{open}"
NT_OPEN_MARK = "（待答复）"
NT_BUTTON_PROGRESS = "📝 报送进展"
NT_BUTTON_RESULT = "🏁 报送办理结果"
NT_BUTTON_MATERIALS = "📂 调阅材料"
NT_BUTTON_BRIEFING = "🗣 要求汇报"
NT_BUTTON_CLOSE = "📁 结案"
NT_BUTTON_TRANSFER = "➡️ 移送"
NT_BUTTON_ANSWER = "📤 答复：{label}"
NT_BUTTON_DOC = "📄 通知书"
NT_BUTTON_CANCEL = "✖️ 取消"
NT_BUTTON_DONE = "✅ 完成"
NT_DONE_WORD = "完成"
NT_SIGNED_DONE = "✍️ 已签收。请按期办理：有进展点「报送进展」，办结后点「报送办理结果」。"
NT_ASK_ENTRY = (
    "📝 {kind}：督办通知书 {number}\n请输入{kind}（文字，或发一段语音），还可以发送照片、文件作附件。"
    "发完点「✅ 完成」；发送 /cancel 取消。"
)
NT_ASK_ANSWER = (
    "📤 答复「{label}」：督办通知书 {number}\n中心要求：{text}\n请输入答复（文字，或发一段语音），"
    "还可以发送照片、文件作附件。发完点「✅ 完成」；发送 /cancel 取消。"
)
NT_GOT = "已收到：文字 {texts} 段，语音 {voices} 段，附件 {files} 个。可以继续发送，发完点「✅ 完成」。"
NT_EMPTY = "还没有收到文字或语音。请先输入内容或发一段语音，再点「✅ 完成」；发送 /cancel 取消。"
NT_COLLECT_TOO_LONG = "文字合计最多 {limit} 字，这条没有收下。请精简后重新发送，已收到的内容仍保留。"
NT_COLLECT_WRONG_TYPE = "这一步请发送文字、语音、照片或文件。发完点「✅ 完成」，或发送 /cancel 取消。"
NT_VOICE_TEXT = "（语音说明，见附件）"
NT_DONE_ENTRY = "✅ 已报送{kind}，中心已收到通知。"
NT_DONE_ANSWER = "✅ 已答复「{label}」，中心已收到通知。"
NT_ASK_PARTY = (
    "📣 登记告知当事人：督办通知书 {number}\n请输入何时、以何种方式告知了当事人（例如：12月3日电话告知赵大）。"
    "发送 /cancel 取消。"
)
NT_DONE_PARTY = "✅ 已登记告知当事人，提醒已停止。"
NT_ASK_ACCEPT = "✅ 认可督办通知书 {number} 的办理结果？\n可以直接认可，也可以附上意见（记入办理记录）。"
NT_ACCEPT_DIRECT = "✅ 直接认可"
NT_ACCEPT_WITH_NOTE = "📝 附意见"
NT_ASK_ACCEPT_NOTE = "请输入认可意见（督办通知书 {number}）。发送 /cancel 取消。"
NT_DONE_ACCEPT = "✅ 已认可办理结果，本次督办办结，承办单位（人员）已收到通知。"
NT_ASK_REJECT_REASON = (
    "↩️ 不认可督办通知书 {number} 的办理结果，重新督办。\n请输入不认可的理由（会写进新通知书告知承办单位）。"
    "发送 /cancel 取消。"
)
NT_ASK_REISSUE_DATE = "请选择新通知书的办理期限（按工作日计，到期日下班时截止），或输入日期，例如 {example}。"
NT_BAD_DATE = "没看懂这个日期。请点上面的按钮，或按 {example} 的格式输入。"
NT_DATE_RETRY = "{error}\n请重新选择或输入日期。"
NT_ASK_LEVEL = "新的办理期限：{due}\n请选择督办级别（只能与原通知书相同或更严，原为{level}）。"
NT_REISSUE_PREVIEW = (
    "↩️ 重新督办预览\n原通知书：{number}（结果不认可）\n理由：{reason}\n承办单位：{unit}\n"
    "新的办理期限：{due}\n督办级别：{mark} {level}\n督办要求：{requirements}\n"
    "确认后生成新编号的督办通知书，送达承办单位签收。"
)
NT_CONFIRM_REISSUE = "📮 确认重新督办"
NT_DONE_REISSUE = "↩️ 已重新督办：新督办通知书 {new}（{level}）已送达{unit}，原通知书 {old} 不再办理。"
NT_ASK_REQUEST = "{label}：督办通知书 {number}\n请输入具体要求，或点「使用默认要求」：\n{default}\n发送 /cancel 取消。"
NT_USE_DEFAULT = "使用默认要求"
NT_DONE_REQUEST = "✅ 已向承办单位（人员）发出「{label}」要求，对方答复后会通知您。"
NT_ASK_DEPARTMENT = "➡️ 移送：督办通知书 {number}\n请输入接收部门的名称（例如 镇劳动保障所）。发送 /cancel 取消。"
NT_CLOSE_WHAT = "结案"
NT_TRANSFER_WHAT = "移送{department}办理"
NT_ASK_CLOSE_NOTE = "📁 {what}：督办通知书 {number}\n请输入说明（原因、依据）。发送 /cancel 取消。"
NT_CLOSE_PREVIEW = (
    "请确认：督办通知书 {number} 经批准{what}。\n说明：{note}\n确认后承办单位须在 3 日内告知当事人，"
    "登记前每个工作日提醒。"
)
NT_CONFIRM_CLOSE = "✅ 确认"
NT_DONE_CLOSE = "✅ 督办通知书 {number} 已经批准{what}，承办单位（人员）须在 3 日内告知当事人。"
NT_RETRY = "{error}\n请重新输入，或发送 /cancel 取消。"
NT_CANCELLED = "已取消，督办通知书没有改动。"
NT_TIMEOUT = "操作长时间未完成，已取消，督办通知书没有改动。需要时请在通知书上重新点按钮。"
NT_TEXT_WRONG_TYPE = "这一步需要输入文字。发送 /cancel 取消。"
NT_BUTTONS_WRONG_TYPE = "这一步请点上面的按钮，或发送 /cancel 取消。"
NT_DATE_WRONG_TYPE = "请点上面的按钮选择日期，或输入日期（例如 {example}）；发送 /cancel 取消。"
NT_REQUEST_WRONG_TYPE = "请输入具体要求，或点「使用默认要求」；发送 /cancel 取消。"
NT_DOC_SENDING = "📄 通知书文件马上发给您。"
NT_TOO_SHORT = "内容太短，请写清楚一些（至少 2 个字）。"

# --- 包案 in chat (handlers/baoan.py; the card's 包案 and 督办 buttons) ---------------------------
CARD_BAOAN_LEADER = "包案领导：{name}"
CARD_BAOAN_PLAN = "调处方案：{text}"
CARD_NOTICE = "督办：{number}｜{unit}｜期限 {due}｜{level}"
CARD_BUTTON_SUPERVISE = "📮 督办"
CARD_BUTTON_NOTICE = "📮 督办通知书 {number}"
CARD_BAOAN_UPPER = "上级协调：{at} {text}"
BA_CARD_BUTTONS = {"propose": "🧭 申请包案", "plan": "📋 调处方案", "upper": "🤝 上级协调", "extend": "⏳ 申请延期",
                   "complete": "🏁 包案办结"}
BA_ACTION_NAMES = {"propose": "申请包案", "plan": "录入调处方案", "upper": "记录上级协调", "extend": "申请延期",
                   "complete": "包案办结"}
BA_NOT_LEADER = "只有该事项的包案领导（{leader}）可以{action}。"
BA_NO_LEADER = "事项 {number} 还没有包案领导，不能{action}。卡片已刷新。"
BA_UNAVAILABLE = "事项 {number} 当前为「{status}」，您现在不能{action}。卡片已刷新，请看最新状态。"
BA_PROPOSE_UNAVAILABLE = (
    "事项 {number} 现在不能申请包案：只有已受理、办理中，尚未包案且没有待审批申请的事项可以申请。卡片已刷新。"
)
BA_ALREADY_LEADER = "事项 {number} 已由 {leader} 包案。卡片已刷新。"
BA_CANCEL = "✖️ 取消"
BA_BACK = "« 返回"
BA_TEXT_WRONG_TYPE = "这一步需要输入文字。发送 /cancel 取消。"
BA_BUTTONS_WRONG_TYPE = "这一步请点上方按钮，或发送 /cancel 取消。"
BA_REASON_SHORT = "太短了，请写明（至少 {lo} 个字）。"
BA_RETRY = "{error}\n请重新输入，或发送 /cancel 取消。"
BA_CANCELLED = "已取消，包案事项没有改变。"
BA_TIMEOUT = "包案操作长时间没有完成，已取消。需要时请重新点按钮开始。"
BA_LOST = "这一步已失效（可能已超时或已取消），请重新点按钮开始。"

# 申请包案 (a leader or the director)
BA_ASK_LEADER = "申请领导包案：事项 {number}｜{type}\n第 1 步，共 3 步：请选择提议的包案领导。发送 /cancel 取消。"
BA_NO_LEADERS = "还没有可以包案的领导（中心领导、主任或镇党政领导，须已登记并绑定 Telegram）。请先用 /invite 邀请。"
BA_ASK_PROPOSAL_REASON = (
    "第 2 步，共 3 步：提议由 {leader} 包案。\n请输入报请包案的理由（{lo}–{hi} 字），"
    "例如「涉及多个部门，需党委、政府协调处理」。"
)
BA_CONFIRM_PROPOSAL = "第 3 步，共 3 步，请确认：\n事项 {number} · 提议由 {leader} 包案\n理由：{reason}\n提交后报党委书记审批。"
BA_SUBMIT = "✅ 提交审批"
BA_PROPOSED = "✅ 已报党委书记审批：事项 {number}，提议由 {leader} 包案。审批结果会通知您。"

# the party secretary decides
BA_SECRETARY_ONLY = "只有党委书记可以审批领导包案。"
BA_SECRETARY_ONLY_EXTENSION = "包案事项延期须经党委书记同意，只有党委书记可以审批。"
BA_APPROVED_MARK = "✅ 您已批准，由 {leader} 包案。已通知包案领导和提议人。"
BA_PICK_TOAST = "请在消息下方选择包案领导。"
BA_PICK_NONE = "除原提议的领导外，没有其他可以包案的领导。"
BA_PICK_LABEL = "👤 {name}"
BA_ALREADY_APPROVED = "这份包案申请已经批准（由 {leader} 包案），无需重复处理。"
BA_ALREADY_REFUSED = "这份包案申请已经处理（不同意），无需重复处理。"
BA_ASK_REFUSAL = (
    "不同意事项 {number} 的包案申请（提议人 {proposer}）：\n请简要写明理由（{lo}–{hi} 字），会转告提议人。发送 /cancel 取消。"
)
BA_REFUSED_DONE = "❌ 已不同意事项 {number} 的包案申请，已告知提议人 {proposer}。"
BA_EXTENSION_APPROVED_MARK = "✅ 您已批准延期，已告知包案领导。"
BA_ASK_EXTENSION_NOTE = "驳回包案延期申请：请简要写明理由（{lo}–{hi} 字），会转告包案领导。发送 /cancel 取消。"
BA_EXTENSION_REFUSED_DONE = "❌ 已驳回延期申请，期限不变，已告知包案领导。"

# 调处方案 (the 包案领导)
BA_ASK_PLAN = (
    "调处方案：事项 {number}\n{current}请输入调处方案：调查了解的情况、调处措施、参与的部门和人员等"
    "（最多 {limit} 字）。发送 /cancel 取消。"
)
BA_PLAN_CURRENT = "现有方案：{plan}\n"
BA_ASK_PLAN_DATE = "请选择调处期限（从今天起按工作日计算），或直接输入日期，如 {example}。{current}"
BA_PLAN_DATE_CURRENT = "\n当前期限 {due}：选择更晚的日期属于延期，将报党委书记审批，批准后生效。"
BA_ASK_PLAN_DATE_KEEP = (
    "现有调处期限：{due}。可以保持不变，或选择其他日期（晚于现有期限的属于延期，将报党委书记审批）；"
    "也可以直接输入日期，如 {example}。"
)
BA_KEEP_DUE = "保持现有期限"
BA_DATE_RETRY = "{error}\n请重新选择或输入日期。"
BA_BAD_DATE = "没看懂这个日期。请点上面的按钮，或按 {example} 的格式输入。"
BA_DATE_WRONG_TYPE = "请点按钮选择日期，或输入日期（如 {example}）；发送 /cancel 取消。"
BA_PLAN_DONE = "✅ 调处方案已记录，调处期限 {due}。请按方案组织调处，进展请点「进展」记录。"
# A plan's deadline later than the current one is an extension (领导包案制度 四).
BA_PLAN_EXTENSION_REASON = "调处方案拟定的期限晚于当前期限。调处方案：{plan}"
BA_PLAN_DONE_EXTENSION = (
    "✅ 调处方案已记录。拟定期限 {new} 晚于当前期限 {due}，属于延期，已报党委书记审批；"
    "批准前仍按 {due} 办理，审批结果会通知您。"
)

# 上级协调 (the 包案领导 contacted a higher department, 领导包案制度 三)
BA_ASK_UPPER = (
    "上级协调：事项 {number}\n请在一条消息里写明：联系了哪个上级部门，反映或请求了什么，目前的答复或进展"
    "（最多 {limit} 字），例如「12月3日 市信访局：已报请协调国土部门，答复一周内派员」。发送 /cancel 取消。"
)
BA_UPPER_DONE = "✅ 上级协调已记录，已告知党委书记。请继续配合上级部门调处，有新进展时再点「🤝 上级协调」记录。"

# 申请延期 (the 包案领导; the party secretary approves)
BA_ASK_EXTENSION_REASON = (
    "申请延期（包案）：事项 {number}\n当前期限：{due}（{light}）\n请输入延期理由（{lo}–{hi} 字），"
    "会报党委书记审批。发送 /cancel 取消。"
)
BA_ASK_EXTENSION_DATE = "请选择新的期限（从当前期限起按工作日顺延），或直接输入日期，如 {example}。"
BA_CONFIRM_EXTENSION = "请确认：\n事项 {number} · 申请延期\n新期限：{new}\n理由：{reason}\n提交后报党委书记审批。"
BA_EXTENSION_SUBMITTED = "✅ 延期申请已报党委书记审批：事项 {number}，新期限 {new}。审批结果会通知您。"

# 包案办结 (the 包案领导)
BA_ASK_OUTCOME = "包案办结：事项 {number}\n第 1 步，共 4 步：请选择办结结果。发送 /cancel 取消。"
BA_ASK_SUMMARY = "第 2 步，共 4 步：结果「{outcome}」。\n请输入办结情况：调处经过、结果、协议履行等（最多 {limit} 字）。"
BA_ASK_FILES = (
    "第 3 步，共 4 步：请发送包案办结材料（调解协议、笔录、照片等，可以发多个），会随事项归档。\n"
    "发完点「✅ 完成」；没有材料也可以直接点「✅ 完成」。"
)
BA_FILES_GOT = "已收到办结材料 {n} 个。可以继续发送，发完点「✅ 完成」。"
BA_FILES_DONE_BUTTON = "✅ 完成"
BA_FILES_DONE_WORD = "完成"
BA_FILES_TOO_MANY = "办结材料最多 {limit} 个，这个没有收下。请点「✅ 完成」。"
BA_FILES_WRONG_TYPE = "这一步请发送文件或照片（也可以是语音、视频）。发完点「✅ 完成」，或发送 /cancel 取消。"
BA_ASK_JOINT = (
    "第 4 步，共 4 步：本事项是否与上级部门联合调处？\n"
    "是：请输入向中心书面告知的调处情况（输入后即办结）。\n否：请点「🏁 办结」。"
)
BA_FINISH_BUTTON = "🏁 办结"
BA_DONE = "✅ 包案已办结：办结材料 {files} 个已随事项归档，已告知中心主任和党委书记。下一步：答复当事人后点「答复」记录。"

# /baoan
BA_LIST_FILTERS = {"open": "未结案", "all": "全部"}  # 未结案: not yet replied to the party and archived
BA_LIST_TITLE = "🧭 包案事项（{filter}）：共 {total} 件，第 {page}/{pages} 页\n{lines}\n点下方事项查看卡片。"
BA_LIST_LINE = "{light}{number} {status}｜包案：{leader}{due}{flags}"
BA_LIST_DUE = "｜{left}（期限 {due}）"
BA_LIST_NO_PLAN = "｜未录调处方案"
BA_LIST_EXTENSION_PENDING = "｜延期待审批"
BA_LIST_EMPTY = "🧭 包案事项（{filter}）：没有。{hint}"
BA_LIST_EMPTY_HINT = "点「全部」可查看已结案的包案事项。"
BA_PENDING_TITLE = "🧑‍⚖️ 待您审批的包案申请：{n} 件，见下方。"
BA_PENDING_ITEM = "🧑‍⚖️ 包案审批：{proposer} 提议由 {leader} 包案\n事项 {number}\n{summary}\n理由：{reason}"
BA_PENDING_MORE = "另有 {n} 件待审批，请先处理以上申请后再发送 /baoan。"


# --- 上级交办 (issue 16): its events in the case history --------------------------------------------
ACTION_LABELS.update({"jiaoban": "登记上级交办", "jiaoban_report": "报送办理情况"})
ACTION_LABELS["report_up"] = "上报上级"  # bot/services/upward_reports.py
