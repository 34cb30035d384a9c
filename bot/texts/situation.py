"""社会治安形势分析 (信息报告制度 二.6/二.7): bot/services/situation.py, handlers/situation.py."""

from models import SituationKind

KIND_LABELS = {SituationKind.holiday: "节日期间", SituationKind.sensitive: "敏感时期", SituationKind.month: "月度",
               SituationKind.quarter: "季度"}
NOT_ALLOWED = "形势分析由中心主任、领导和工作人员撰写，主任报送；党委书记可查看已报送的。"
STALE = "这个按钮已失效，请发送 /analysis 重新打开。"
ALREADY_SUBMITTED = "这份形势分析已经报送，不能再改。"
NOT_SUBMITTED = "报送后才有存档的 Word 文件。"
PRIVATE_ONLY = "请在与我的私聊中使用 /analysis。"
BAD_FIELD = "请写 {lo}–{hi} 字，或发送 /cancel 取消。"
MISSING = "还缺：{fields}。请补全后再报送。"
TOO_LONG = "全文共 {size} 字，超过一条消息的上限 {limit} 字。请精简较长的部分后再报送。"
TEXT_ONLY = "请直接输入文字，或发送 /cancel 取消。"
CANCELLED = "已取消，没有保存。"

TITLE_PERIOD = "{span}{label}社会治安形势分析"
TITLE_MONTH = "{year}年{month}月矛盾纠纷和社会治安形势分析"
TITLE_QUARTER = "{year}年第{quarter}季度矛盾纠纷和社会治安形势分析"
REPORT = "📊 【{title}】\n期间：{span}\n\n一、基本情况\n{facts}"
FACTS = ("新增矛盾纠纷和事件 {cases} 件（紧急 {urgent} 件，重大疑难 {major} 件）{categories}；办结 {resolved} 件；"
         "报送信息报告 {info_reports} 份。")
CATEGORIES = "，主要是{list}"
CATEGORY = "{name} {n} 件"
PAICHA = "排查：应报 {due} 次，已报 {filed} 次（零报告 {zero} 次），排查发现事项 {found} 件。"
SECTION = "\n\n{head}\n{text}"
SECTION_HEADS = ("二、形势分析", "三、采取的措施及成效", "四、下步工作")
FIELD_LABELS = {"analysis": "形势分析", "measures": "采取的措施及成效", "next_steps": "下步工作"}
FIELD_HINTS = {"analysis": "当前矛盾纠纷和治安形势的特点、成因（可结合上面的数字）",
               "measures": "采取了哪些措施、取得了什么成效",
               "next_steps": "下一步的工作打算和对策"}
EMPTY = "（待填写）"
SUBMITTED_BY = "\n\n报送：{who}，{day}"
# the filed copy (report_docx): 主送 the party committee, the body in the 报告's order
ADDRESSEE = "镇党委"
DOC_INTRO = "现将{span}辖区社会治安形势分析报告如下："
DOC_HEADS = ("一、基本情况", *SECTION_HEADS)
DOC_CLOSING = "特此报告。"
BUTTON_DOCX = "📄 Word 存档件"

LIST_HEAD = "📊 社会治安形势分析"
LIST_DRAFTS = "待报送："
LIST_DONE = "已报送（最近）："
LIST_EMPTY = "还没有形势分析。节日、敏感期的排查结束时，机器人会自动起草一份；也可以按下面的按钮新建。"
BUTTON_OPEN = "📊 打开形势分析"
BUTTON_MONTH = "➕ 本月形势分析"
BUTTON_LAST_MONTH = "➕ 上月形势分析"
BUTTON_QUARTER = "➕ 本季度形势分析"
BUTTON_EDIT = "✏️ {label}"
BUTTON_SUBMIT = "📤 报送党委"
BUTTON_BACK = "« 形势分析列表"
ASK_FIELD = "✏️ {label}：请写{hint}（{lo}–{hi} 字）。发送 /cancel 取消。"
SAVED = "✅ 已保存「{label}」。"
SUBMITTED = "✅ 已报送党委。"


def span(start, end) -> str:
    if start == end:
        return f"{start.year}年{start.month}月{start.day}日"
    if start.year == end.year:
        return f"{start.year}年{start.month}月{start.day}日至{end.month}月{end.day}日"
    return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"


def cn_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
