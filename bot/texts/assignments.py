"""上级交办 (issue 16): who assigned a matter, their reference and deadline, and the report back."""

from models import ReportMethod

METHOD_LABELS = {ReportMethod.paper: "书面", ReportMethod.electronic: "电子", ReportMethod.in_person: "当面"}

LATER_THAN_ASSIGNER = "上级交办事项的期限不能晚于交办时限（{due}）。"
NOT_ALLOWED = "只有中心主任、领导和工作人员可以登记上级交办信息。"
NOT_OPEN = "事项已办结或已关闭，不能再登记交办信息。"
ALREADY_REPORTED = "办理情况已报送交办单位，交办信息不能再改。"
NOT_FINISHED = "事项办结后才能生成办理情况报告。"
NO_ASSIGNMENT = "这件事项没有登记上级交办信息。"
ALREADY_SENT = "已记录：{when} 以{method}方式报送。"
STALE = "这一步已失效，请在事项卡片上重新点「上级交办」。"
PRIVATE_ONLY = "上级交办信息请在与我的私聊中登记。"

ASK_ASSIGNER = "📥 事项 {number}：哪个单位交办的？点选，或直接输入单位名称（最多 60 字）。发 /cancel 取消。"
ASK_REFERENCE = "交办文号是什么？例如「镇党委交〔2026〕5号」。没有文号请点「无文号」。"
ASK_DUE = "交办时限是哪一天？请输入日期，例如 12-20 或 2026年12月20日。"
BAD_DUE = "没有看懂这个日期。请输入例如 12-20 或 2026年12月20日。"
DUE_PASSED = "交办时限应是今天或以后的日期。"
BAD_TEXT = "请输入 1–60 个字。"
BUTTON_NO_REFERENCE = "无文号"
CANCELLED = "已取消，交办信息没有改动。"
RECORDED = "✅ 已登记上级交办：{assigner}{reference}，交办时限 {due}。{capped}"
CAPPED = "事项期限已提前到交办时限。"
WRONG_INPUT = "请输入文字，或点上面的按钮。发 /cancel 取消。"

# on the card
CARD_LINE = "📥 上级交办：{assigner}{reference}，时限 {due}{state}"
CARD_REPORTED = "（已于 {when} {method}报送）"
CARD_NOT_REPORTED = "（办理情况未报送）"
CARD_OVERDUE = "（⚠️ 已过交办时限，未报送）"
BUTTON_RECORD = "📥 上级交办"
BUTTON_EDIT = "📥 修改交办信息"
BUTTON_REPORT = "📝 办理情况报告"
BUTTON_SENT = "📤 记录报送"
ASK_METHOD = "办理情况报告以什么方式报送给{assigner}？"
SENT_RECORDED = "✅ 已记录：{when} 以{method}方式报送{assigner}。"
VISIT_BUTTON = "📥 登记交办单位、文号和时限"

# the report back (chat text and .docx)
REPORT_TITLE = "关于{assigner}交办事项办理情况的报告"
REPORT_INTRO = ("{received}，我中心收到{assigner}交办的{reference}事项（编号 {number}），"
                "要求于{due}前办结并报告办理情况。现将办理情况报告如下：")
REPORT_HEADINGS = ("一、基本情况", "二、办理情况", "三、答复情况")
REPORT_BASIC = "{type}。{summary}"
REPORT_REQUEST = "诉求：{request}"
REPORT_HANDLED = "承办：{handler}。{outcome}{result}办结时间：{resolved}。"
REPORT_OUTCOME = "办理结果：{outcome}（{agreement}）。"
REPORT_RESULT = "{result}。"
REPORT_REPLY = "已于{replied}以{method}方式答复当事人{satisfaction}。"
REPORT_SATISFACTION = "，当事人{satisfaction}"
REPORT_NO_REPLY = "尚未答复当事人。"
REPORT_CLOSING = "特此报告。"
REPORT_CHAT = "📝 <b>{title}</b>\n{assigner}：\n{body}\n\n{org}\n{date}\n\n报告的 Word 文件随后发送（不可转发）。报送后请点「记录报送」。"
DOCX_CAPTION = "📝 办理情况报告（事项 {number}）"
NO_REFERENCE_WORDS = ""  # no 文号: the sentence reads 「交办的事项」

# the sweep
CHASE = ("⏰ 上级交办事项 {number} 的交办时限是 {due}（{assigner}{reference}），办理情况还没有报送。"
         "请抓紧办结，并在事项卡片上生成「办理情况报告」、记录报送。")

# 交办事项台账
LEDGER_TITLE = "上级交办事项台账"


def cn_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def reference_part(reference: str | None) -> str:
    return f"（{reference}）" if reference else ""
