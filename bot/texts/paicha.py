"""排查 returns (issue 16): the periods, 零报告, 已报 n/m, 催报, 集中排查 and 敏感期 daily returns."""

from bot.texts.markup import escape

KIND_TITLES = {"regular": "矛盾纠纷排查", "campaign": "集中排查", "daily": "每日排查"}
SENSITIVE_LABELS = {"holiday": "节日", "sensitive": "敏感期"}
RETURN_LABELS = {"items": "报送事项", "zero": "零报告"}

NOT_ALLOWED = "只有网格员和中心人员可以使用排查报送。"
NOT_GRID_OF = "您不是这个村（网格）的网格员，不能替它报送。"
NO_VILLAGE = "您的账号还没有所属村（网格），请联系管理员设置后再报送排查。"
ONLY_DIRECTOR = "只有中心主任可以发起集中排查或开关敏感期。"
ONLY_CENTER = "只有中心主任、领导和中心工作人员可以查看报送情况和催报。"
PRIVATE_ONLY = "排查报送请在与我的私聊中进行。"
STALE = "这个按钮已失效。发 /paicha 查看当前排查。"
CLOSED = "这一期已截止超过 7 天，不能再报送。发 /paicha 查看当前排查。"
NOT_IN_SCOPE = "这一期排查不包括您所在的村（网格）。"

ZERO_DONE = "已记录：{title}（{due}截止）{unit} 本期零报告。"
ALREADY_ZERO = "{unit} 本期已于 {when} 由{name}报了零报告，无需重复报送。"
ALREADY_ITEMS = "{unit} 本期已报送 {count} 件排查事项，不能再报零报告。如又发现新情况，请按「报送排查事项」。"
ITEM_AFTER_ZERO = "{unit} 本期已报零报告。如又发现新情况，仍可报送：这一件会记为排查发现，本期改为「报送事项」。"
ITEM_LINKED = "\n已记入{title}（{due}截止）：{unit} 本期排查事项。"

HOME_GRID_HEAD = "🔍 排查报送（{unit}）"
HOME_GRID_ROW = "{title}：{start}—{due}截止，{state}"
HOME_NONE = "目前没有需要报送的排查。"
STATE_MISSING = "未报"
STATE_LATE = "未报（已逾期）"
STATE_ZERO = "已报零报告"
STATE_ITEMS = "已报事项 {count} 件"
BUTTON_ITEM = "报送排查事项（{due}）"
BUTTON_ZERO = "本期零报告（{due}）"

HOME_CENTER_HEAD = "🔍 排查报送情况"
CENTER_ROW = "{title}（{start}—{due}截止）：已报 {filed}/{total}"
SENSITIVE_ON_LINE = "⚠️ {label}每日排查进行中（{since}起），关闭前各村每天报送。"
BUTTON_STATUS = "查看 {title}（{due}）"
BUTTON_CAMPAIGN = "发起集中排查"
BUTTON_SENSITIVE_ON = "开启{label}每日排查"
BUTTON_SENSITIVE_OFF = "关闭每日排查"
BUTTON_CHASE = "一键催报未报（{count}）"
BUTTON_REFRESH = "刷新"

STATUS = "【{title}】{start}—{due}截止\n已报 {filed}/{total}（零报告 {zero}，报送事项 {items_units}，发现事项 {items} 件）"
STATUS_MISSING_HEAD = "未报："
STATUS_MISSING_ROW = "· {unit}（网格员：{names}）"
NO_GRID_WORKER = "无网格员"
ALL_FILED = "全部已报。"
CHASED = "已催报 {count} 人。"
CHASED_JUST_NOW = "刚刚已催报过，一分钟内不重复发送。"
NOBODY_TO_CHASE = "没有未报的村（网格），无需催报。"
NO_GRID_WORKER = "未报的村（网格）都还没有在机器人上登记的网格员，无法在这里催报，请电话联系。"

ASK_CAMPAIGN_DUE = "集中排查：今天开始，哪天截止？"
DUE_BUTTON = "{days}个工作日后（{due}）"
ASK_CAMPAIGN_SCOPE = "范围：全部村（社区），或选择若干村后按「确定范围」。"
SCOPE_ALL = "全部村（社区）"
SCOPE_DONE = "确定范围（已选 {count} 个村）"
NO_SCOPE = "还没有选村，请选择范围。"
CAMPAIGN_PREVIEW = "【集中排查】{start}—{due}截止\n范围：{scope}（应报 {total}）\n确认后通知相关网格员。"
BUTTON_OPEN = "发起"
BUTTON_CANCEL = "取消"
CANCELLED = "已取消。"
CAMPAIGN_OPENED = "已发起集中排查（{due}截止），应报 {total}，已通知网格员 {sent} 人。"
CAMPAIGN_TITLE = "集中排查"
SENSITIVE_ON = "已开启{label}每日排查：各村（网格）从今天起每天报送，直到关闭。已通知网格员 {sent} 人。"
SENSITIVE_ALREADY_ON = "{label}每日排查已在进行中（{since}起）。"
SENSITIVE_OFF = "已关闭每日排查。这段时间的社会治安形势分析已起草，请补写后报送党委（/analysis）。"
SENSITIVE_ALREADY_OFF = "目前没有进行中的每日排查。"
DAILY_TITLE = "{label}每日排查"

# the ledger
LEDGER_SUMMARY = ("应报", "已报", "按期", "零报告", "发现事项")
ON_TIME = "按期"
LATE = "逾期"
NOT_FILED = "未报"


def cn_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def short_date(day) -> str:
    return f"{day.month}月{day.day}日"


def _e(value) -> str:
    return escape(value if value is not None else "")


# --- notifications (queued by bot/services/paicha.py) --------------------------------------------------

def opened(*, title: str, start: str, due: str, unit: str) -> str:
    return f"🔍 【{_e(title)}】{start}—{due}截止\n请报送{_e(unit)}的排查情况：发现事项按「报送排查事项」，没有发现按「本期零报告」。"


def remind_before(*, title: str, due: str, unit: str) -> str:
    return f"🔔 【排查提醒】{_e(title)}明天（{due}）截止，{_e(unit)}还未报送。没有发现请按「本期零报告」。"


def remind_due(*, title: str, due: str, unit: str) -> str:
    return f"🔔 【排查提醒】{_e(title)}今天（{due}）截止，{_e(unit)}还未报送，请今天内报送。"


def chase(*, title: str, due: str, unit: str, by: str) -> str:
    return f"🔔 【催报】{_e(by)}提醒：{_e(title)}（{due}截止）{_e(unit)}还未报送，请尽快报送。"


def leader_told(*, title: str, due: str, units: list[str]) -> str:
    return (f"⚠️ 【排查未报】{_e(title)}已于{due}截止，您联系的以下村（网格）仍未报送：{_e('、'.join(units))}。"
            "请督促报送。")
