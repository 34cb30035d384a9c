"""上报上级: what the center reported to higher departments (信息报告制度, 服务承诺 三)."""

CARD_BUTTON = "📤 上报上级"
# the card, the 信息报告 view: 「已上报：县委政法委、县公安局（电话）12-05 10:20 王志强」
CARD_LINE = "已上报：{departments}（{way}）{at} {who}"
CARD_REPLY = "；接收/答复：{text}"
REPORT_VIEW_TITLE = "此后已上报上级："
HISTORY_NOTE = "{departments}（{way}）"

NOT_WRITER = "只有中心工作人员、领导和本事项上报人可以记录上报上级。"
CONFIDENTIAL_REPORTER = "这是保密事项，上报上级由中心工作人员记录。"
NOT_DUE = "事项 {number} 不是重大疑难事项，也没有信息报告，不需要在这里记录上报上级。"
NO_DEPARTMENT = "请至少选择一个上级部门。"
UNKNOWN_DEPARTMENT = "所选部门「{name}」已不在上级部门名单中，请重新选择。"

PICK = ("📤 事项 {number} 上报上级\n请选择已报告的上级部门（可多选），然后点「下一步」。\n已选：{picked}")
PICK_NONE = "（尚未选择）"
NEXT = "下一步 »"
CANCEL = "✖️ 取消"
ASK_WAY = "已选：{picked}\n请选择报告方式："
ASK_NOTE = ("已选：{picked}（{way}）\n如需要，请输入接收人或对方答复（最多 {limit} 字），例如「县委政法委值班室李科长接报，"
            "要求每日续报」；没有就点「跳过」。发 /cancel 取消。")
SKIP = "跳过 »"
DONE = "✅ 已记录上报上级：{departments}（{way}）。"
CANCELLED = "已取消记录上报上级。"
TIMEOUT = "记录上报上级超时未完成，已取消。需要时请在事项卡片上点「📤 上报上级」重新开始。"
WRONG_TYPE = "这一步需要文字。请输入接收人或答复，点「跳过」，或发 /cancel 取消。"
STALE = "这一步已结束。请在事项卡片上重新点「📤 上报上级」。"

# /admin → 上级部门: the list the picker shows
ADMIN_BUTTON = "🏛 上级部门"
ADMIN_LIST = ("🏛 上报上级的上级部门（{count} 个，最多 {limit} 个）：\n{names}\n"
              "点部门名称将其移出名单（已有的上报记录不变）；点「➕ 添加部门」增加。")
ADMIN_REMOVE = "✖ {name}"
ADMIN_ADD = "➕ 添加部门"
ADMIN_ADDED = "✅ 已添加「{name}」。"
ADMIN_REMOVED = "✅ 已将「{name}」移出名单。如需恢复，点「➕ 添加部门」重新添加。"
ASK_DEPARTMENT = "请输入上级部门名称（2–20 字，例如「县应急管理局」），发送 /cancel 取消。"
NOT_EDITOR = "只有中心主任和管理员可以修改上级部门名单。"
BAD_DEPARTMENT_NAME = "部门名称应为 {low}–{high} 个字，且不含逗号或顿号。"
DEPARTMENT_LISTED = "「{name}」已在名单中。"
DEPARTMENTS_FULL = "名单最多 {limit} 个部门，请先移出不用的部门。"
DEPARTMENT_GONE = "该部门已不在名单中，请重新打开名单。"
LAST_DEPARTMENT = "名单至少保留一个部门。"
