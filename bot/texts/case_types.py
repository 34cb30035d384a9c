"""事项类型 (issue 16): the case catalogue edited in chat, under /admin."""

from models.cases import TypeFlag

MENU_BUTTON = "🗂 事项类型"
LIST = "🗂 事项类型（共 {total} 类，第 {page}/{pages} 页）\n点类型查看和修改；⛔ 为已停用（旧事项仍显示原类型）。"
NEW_TYPE = "➕ 新增类型"
BACK = "« 返回"
BACK_TO_LIST = "« 返回类型列表"
BACK_TO_TYPE = "« 返回类型"
BACK_TO_SUBTYPES = "« 返回子类列表"
DISABLED_MARK = " ⛔"

TYPE_CARD = (
    "🗂 类型：{name}{state}\n"
    "子类：{subtypes}\n"
    "🚨 强制紧急：{forces_urgent}\n"
    "📝 信息报告：{needs_info_report}\n"
    "🔒 默认保密：{confidential}\n"
    "⏱ 办理时限：{days}\n"
    "📊 通报分类：{section}\n"
    "已登记事项：{cases} 件"
)
SUBTYPE_CARD = (
    "🗂 {category} · {name}{state}\n"
    "🚨 强制紧急：{forces_urgent}\n"
    "📝 信息报告：{needs_info_report}\n"
    "🔒 默认保密：{confidential}\n"
    "⏱ 办理时限：{days}\n"
    "📊 通报分类：{section}"
)
STATE_DISABLED = "（⛔ 已停用：上报和来访登记时不再显示）"
STATE_TYPE_DISABLED = "（⛔ 所属类型已停用）"
ON, OFF, MIXED = "开", "关", "部分子类开"
DAYS = "{days} 个工作日"
DAYS_BY_SEVERITY = "按缓急程度（默认）"
DAYS_MIXED = "各子类不同"
SECTION_NONE = "未设置（周例会通报不计入）"
SECTION_OWN = "{section}（本子类单独设置）"
SECTION_OF_TYPE = "随类型：{section}"
SUBTYPES_LINE = "{total} 个{disabled}"
SUBTYPES_DISABLED = "（停用 {n} 个）"
SUBTYPES_NONE = "无（类型本身即一项）"

RENAME = "✏️ 改名"
DISABLE = "⛔ 停用"
ENABLE = "✅ 启用"
FLAG_ON = {  # the button that switches the setting on
    TypeFlag.forces_urgent: "🚨 设为强制紧急",
    TypeFlag.needs_info_report: "📝 开启信息报告",
    TypeFlag.confidential: "🔒 设为默认保密",
}
FLAG_OFF = {
    TypeFlag.forces_urgent: "🚨 取消强制紧急",
    TypeFlag.needs_info_report: "📝 关闭信息报告",
    TypeFlag.confidential: "🔓 取消默认保密",
}
FLAG_NAMES = {TypeFlag.forces_urgent: "强制紧急", TypeFlag.needs_info_report: "信息报告",
              TypeFlag.confidential: "默认保密"}
DAYS_BUTTON = "⏱ 办理时限"
DAYS_DEFAULT = "⏱ 恢复按缓急计时限"
SECTION_BUTTON = "📊 通报分类"
SUBTYPES_BUTTON = "📂 子类（{n}）"
NEW_SUBTYPE = "➕ 新增子类"
SECTION_FOLLOW_TYPE = "随类型"

SUBTYPES = "🗂 {name} 的子类（{total} 个）\n点子类查看和修改；⛔ 为已停用。"
SUBTYPES_EMPTY_HINT = "\n这个类型还没有子类：上报时直接选它。"
ASK_SECTION = "📊 「{name}」在周例会上通报时归入哪一类？"

ASK_TYPE_NAME = "请输入新类型的名称（最多 {limit} 个字）。发送 /cancel 取消。"
ASK_TYPE_RENAME = "请输入「{name}」的新名称（最多 {limit} 个字）。已登记的事项会显示新名称。发送 /cancel 取消。"
ASK_SUBTYPE_NAME = "请输入「{name}」下新子类的名称（最多 {limit} 个字）。发送 /cancel 取消。"
ASK_SUBTYPE_RENAME = "请输入子类「{name}」的新名称（最多 {limit} 个字）。发送 /cancel 取消。"
ASK_DAYS = ("⏱ 「{name}」的办理时限：请输入 {low}–{high} 之间的工作日天数（从受理起算），例如 15。"
            "已在办的事项保持原时限。发送 /cancel 取消。")
TRY_AGAIN = "{error}请重新输入，或发送 /cancel 取消。"
WRONG_KIND = "这一步需要输入文字。发送 /cancel 取消。"
SAVED = "✅ 已保存：{what}"
CANCELLED = "已取消，未做修改。"
