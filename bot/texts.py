"""Every Chinese UI string in one place. No `telegram` import: services use the labels too."""

from models import CaseStatus, Role, Severity, Source

ROLE_LABELS: dict[Role, str] = {
    Role.director: "中心主任",
    Role.secretary: "党委书记",
    Role.leader: "中心领导",
    Role.staff: "中心工作人员",
    Role.grid: "网格员",
    Role.unit: "承办单位联络人",
    Role.admin: "系统管理员",
}

ROLE_ORDER = [Role.director, Role.secretary, Role.leader, Role.staff, Role.grid, Role.unit, Role.admin]


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
    ("cancel", "取消当前操作", None),
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
PERSON_CP_PROMPT = "设置 {name} 的工作联系点：点村（社区）名称切换，✅ 为已联系。"
SAVE = "💾 保存"
ROLES_SAVED = "已保存：{name} 的身份为 {roles}。"
DEACTIVATED = "已停用 {name}。对方下一条消息起即无法使用本机器人。"
ACTIVATED = "已启用 {name}。"
VILLAGES_LIST = "村（社区）共 {total} 个。点名称管理网格或改名。"
VILLAGE_CARD = "🏘 {name}（{kind}）\n网格：{grids}\n联系点领导：{leaders}"
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
UNKNOWN_COMMAND = "没有这个命令。发送 /help 查看可用命令。"
UNEXPECTED_MESSAGE = "我没看懂这条消息。请使用菜单中的命令，发送 /help 查看可用功能。"
NOTHING_TO_CANCEL = "当前没有进行中的操作。发送 /help 查看可用功能。"
TOO_LONG = "内容太长（最多 {limit} 字），请精简后重新发送。"
ERROR_USER = "抱歉，系统出了点问题，您刚才的操作没有完成。请稍后再试一次；如仍不行，请联系中心管理员。"
ERROR_DB_USER = "系统暂时无法访问数据库，您刚才的操作没有完成，已填写的内容仍保留。请稍后重新发送上一条消息。"
ERROR_ADMIN_ALERT = "⚠️ 机器人出错：{error}\n更新：{update}\n（同一错误一分钟内只提醒一次，详见日志）"


# --- cases -------------------------------------------------------------------------------------
SEVERITY_LABELS = {Severity.general: "一般", Severity.complex: "复杂", Severity.major: "重大疑难"}
SEVERITY_HINTS = {
    Severity.general: "当场或 3 个工作日内可调解的一般民事纠纷",
    Severity.complex: "涉及多方或需多部门配合，7 个工作日内办结",
    Severity.major: "重大疑难，立即上报领导，由领导定期限",
}
SOURCE_LABELS = {
    Source.grid: "网格员上报", Source.visit: "来访", Source.call: "来电", Source.letter: "来信",
    Source.online: "网上", Source.assigned: "上级交办", Source.transferred_in: "部门移送",
}
STATUS_LABELS = {
    CaseStatus.registered: "已登记", CaseStatus.accepted: "已受理", CaseStatus.assigned: "已分派",
    CaseStatus.in_progress: "调处中", CaseStatus.resolved: "已办结", CaseStatus.replied: "已答复",
    CaseStatus.archived: "已归档", CaseStatus.transferred: "已转办", CaseStatus.out_of_scope: "不予受理（已告知）",
}
OUTCOMES = ["调解成功", "部分成功", "未成功", "转办", "不予受理"]
AGREEMENTS = ["书面协议", "口头协议", "无协议"]
REPLY_METHODS = ["当面", "电话", "书面", "短信/微信"]
SATISFACTION = ["满意", "基本满意", "不满意"]
ACTION_LABELS = {
    "accept": "受理", "assign": "分派", "progress": "进展", "transfer": "转办", "resolve": "办结",
    "reply": "答复", "satisfaction": "满意度", "archive": "归档", "decline": "不予受理",
    "confidential": "设为保密", "unconfidential": "取消保密", "create": "登记", "reopen": "重新办理",
    "view_confidential": "查看（保密）",
}
NOTIFY_NEW_CASE = "🆕 新事项 {number}{urgent}\n{type}｜{severity}｜{village}\n{summary}\n上报：{reporter}"
NOTIFY_URGENT_MARK = " 🚨紧急"
NOTIFY_ASSIGNED = "📌 事项 {number} 已分派给您{via}。\n{type}｜{village}\n{summary}\n请尽快调处并在事项卡片上报进展。"
NOTIFY_STATUS = "🔔 您上报的事项 {number} 状态更新：{status}{detail}"
NOTIFY_REOPENED = "↩️ 事项 {number} 当事人不满意，已重新办理，请继续调处。"
NOTIFY_VIEW_BUTTON = "查看事项"
CONFIDENTIAL_SUMMARY = "（保密事项，详情请在卡片中查看）"
NO_ACCESS = "无权查看。"


# --- outbox -------------------------------------------------------------------------------------
OUTBOX_BLOCKED_ALERT = (
    "⚠️ {name}{phone} 已屏蔽机器人，消息无法送达，请电话联系。\n未送达的消息：\n{excerpt}"
)
OUTBOX_UNREACHABLE_ALERT = (
    "⚠️ {name}{phone} 无法接收机器人消息（{error}），请电话联系。\n未送达的消息：\n{excerpt}"
)
OUTBOX_DEAD_ALERT = (
    "⚠️ 一条通知发送 {attempts} 次仍失败，已停止重试，请人工处理。\n"
    "收件人：{name}{phone}\n原因：{error}\n消息：\n{excerpt}"
)
OUTBOX_PHONE = "（电话 {phone}）"
OUTBOX_UNKNOWN_RECIPIENT = "聊天 {chat_id}"

# --- administration: case desk ------------------------------------------------------------------
PERSON_DESK_ON = "📥 受理台：是（点此移出）"
PERSON_DESK_OFF = "📥 受理台：否（点此加入）"
