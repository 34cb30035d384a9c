"""目标管理责任制 (issue 17): /score, the catalogue, hand-scored marks, 责任书, year end, 整改.
Notifications escape what people typed here (the functions at the end)."""

from bot.texts.markup import escape

NOT_ALLOWED = "您没有权限执行此操作。发送 /help 查看您可用的功能。"
STALE = "这个按钮已失效，请重新发送 /score。"
PRIVATE_ONLY = "考核得分只在与机器人的私聊中查看，请私聊发送 /score。"
NOT_A_HEAD = "/score 供成员单位、村（社区）联络人查看本单位得分，以及中心领导、主任查看排名。"
NOT_YOURS = "您只能查看本单位（村）的考核得分。"
CANCELLED = "已取消。"

# --- the rules in words (from the catalogue row's numbers) ---
RULE_MANUAL = "由综治中心检查评分，满分{points}分，扣分须附佐证材料和理由"
RULE_VETO = "发生即一票否决，当年不得评先评优"
RULE_PER_POINT = "每低1个百分点"
RULE_PER_TIME = "每{unit}"
RULE_ONCE = ""
RULE_BELOW = "{measure}低于{threshold}{unit}的，{each}扣{step}分，最多扣{cap}分"
RULE_ABOVE = "{measure}超过{threshold}{unit}的，{each}扣{step}分，最多扣{cap}分"
NO_DATA = "暂无数据"
NOT_CONNECTED = "数据未接入，暂不扣分"
NOT_APPLICABLE = "不适用"

# --- /score ---
MY_HEAD = "📊 {year}年度考核得分（截至{day}）\n<b>{name}：{total} 分</b>"
VETO_LINE = "⛔ 一票否决：{reasons}（当年不得评先评优）"
ITEM_LINE = "{seq}. {name}（{points}分）：{lost}{why}"
ITEM_FULL = "满分"
ITEM_VETO_NONE = "无"
ITEM_VETO_HIT = "已否决"
ITEM_NOT_APPLICABLE = "{seq}. {name}：不适用"
TAP_ITEM = "点下方按钮查看扣分对应的事项。"
BUTTON_ITEM = "{seq}. {name} {lost}"
RANKING_HEAD = "🏆 {year}年度考核排名（截至{day}）"
RANK_LINE = "{rank}. {name} {total} 分{veto}"
RANK_VETO = " ⛔一票否决"
RANKING_EMPTY = "还没有成员单位或村（社区）。"
BUTTON_CATALOGUE = "考核目录"
BUTTON_MARK = "人工评分/一票否决"
BUTTON_AGREEMENTS = "责任书签订"
BUTTON_YEAR_END = "年终材料"
BUTTON_RECTIFY_LIST = "整改"
BUTTON_BACK = "返回排名"
BUTTON_RECTIFY_NEW = "下发整改"
BUTTON_MY_SCORE = "查看得分"
BUTTON_SIGN = "签订"
ITEM_CASES_HEAD = "{name}「{item}」扣 {lost} 分：{why}"
ITEM_CASES_NONE = "没有扣分对应的事项。"
ITEM_CASES_HIDDEN = "另有 {count} 件您无权查看。"
BUTTON_LATE_TASK = "📋 任务{n}"
ITEM_TASKS_HIDDEN = "另有 {count} 项工作任务您无权查看。"
ITEM_REASONS = "扣分理由："

# --- the catalogue ---
CATALOGUE_HEAD = "📋 {year}年度考核目录（合计 {total} 分）"
CATALOGUE_NOT_100 = "⚠️ 合计应为 100 分，请调整分值。"
CATALOGUE_LINE = "{seq}. {name}（{points}分）：{rule}"
BUTTON_TEMPLATE = "下载模板(.xlsx)"
BUTTON_UPLOAD = "上传目录"
ITEM_HEAD = "{seq}. {name}\n分值：{points}\n规则：{rule}\n评分标准：{standard}"
FIELD_LABELS = {"points": "分值", "threshold": "阈值", "step": "每次扣分", "cap": "扣分上限"}
ASK_FIELD = "请输入「{name}」的新{field}（数字），或发送 /cancel 取消。"
BAD_NUMBER = "请输入 0 到 100 之间的数字。"
FIELD_SAVED = "已修改：{name} 的{field}为 {value}。"
ASK_UPLOAD = "请发送填好的考核目录 .xlsx（可先点「下载模板」），或发送 /cancel 取消。"
WRONG_UPLOAD = "请发送 .xlsx 文件。"
UPLOADED = "已导入 {year}年度考核目录：{count} 项，合计 {total} 分。"
TEMPLATE_CAPTION = "{year}年度考核目录模板：按此格式修改后，点「上传目录」发回。"
TEMPLATE_FILE = "{year}年度考核目录.xlsx"
XLSX_CATALOGUE_SHEET = "考核目录"
XLSX_CATALOGUE_TITLE = "{year}年度社会治安综合治理目标管理考核目录（合计100分）"
XLSX_HELP_SHEET = "填写说明"
XLSX_HELP_MEASURE = "数据指标"
XLSX_HELP_UNIT = "单位"
XLSX_PLANNED = "数据接入前不扣分"
XLSX_HELP_LINES = (
    "类别：数据计算 / 人工评分 / 一票否决；一票否决项分值为0。",
    "适用对象：全部 / 成员单位 / 村（社区）。",
    "规则：低于（比率低于阈值扣分）/ 高于（次数超过阈值扣分）。",
    "按差额计：是＝每差1个百分点或每1次扣「每次/每档扣分」；否＝一次性扣分。",
    "各项分值合计须为100分。本目录为本中心自定的考核办法（条例未规定具体分值）。",
)
UPLOAD_NOT_XLSX = "无法读取这个文件，请发送由模板填写的 .xlsx 文件。"
UPLOAD_BAD_ROW = "第 {row} 行的「{what}」填写有误，请按模板修改后重新上传。"
UPLOAD_EMPTY = "文件中没有考核项目（表头应为：序号、考核项目……）。"
UPLOAD_TOO_MANY = "考核项目最多 {limit} 项。"
UPLOAD_NOT_100 = "各项分值合计为 {total} 分，应为 100 分，请修改后重新上传。"
UPLOAD_DROPS_MARKED = "「{name}」已有人工评分记录，不能删除，请保留该项后重新上传。"

# --- hand-scored marks and 一票否决 ---
MARK_PICK = "选择要评分的项目："
MARK_SUBJECT = "「{item}」：选择成员单位或村（社区）："
ASK_MARK = "请输入扣分和理由，用空格隔开，例如：2 台账资料不全。或发送 /cancel 取消。"
ASK_REASON_VETO = "请写明一票否决的事由（如：发生重大群体性事件），或发送 /cancel 取消。"
ASK_EVIDENCE = "请发送佐证材料（文件或照片）。没有佐证材料不能评分。"
EVIDENCE_REQUIRED = "必须附佐证材料（文件或照片）。"
BAD_MARK = "扣分应大于 0、不超过该项分值 {points} 分。"
REASON_TOO_LONG = "内容太长，请控制在 {limit} 字以内。"
NOT_HAND_SCORED = "这一项不能人工评分。"
MARK_SAVED = "已记录：{name}「{item}」扣 {points} 分。"
VETO_SAVED = "已记录一票否决：{name}。已同时建立领导责任查究记录。"

# --- 责任书 ---
AGREEMENTS_HEAD = "📝 {year}年度目标管理责任书：已签订 {signed}，未签订 {unsigned}"
AGREEMENTS_UNSIGNED = "未签订：{names}"
AGREEMENTS_NO_HEAD = "无联络人（未下发）：{names}"
AGREEMENTS_NONE_SENT = "尚未下发。"
BUTTON_SEND_AGREEMENTS = "下发责任书"
BUTTON_CHASE_AGREEMENTS = "催签"
AGREEMENTS_SENT = "已下发 {count} 份责任书。"
AGREEMENTS_CHASED = "已提醒 {count} 人签订。"
AGREEMENTS_ALL_SIGNED = "全部已签订。"
AGREEMENT_CAPTION = "【目标管理责任书】请阅读{year}年度社会治安综合治理目标管理责任书，确认后点「签订」。"
AGREEMENT_REMIND = ("【提醒】{year}年度目标管理责任书下发已超过 {days} 个工作日，您尚未签订。"
                    "请阅读后点「签订」。")
BUTTON_AGREEMENTS_STATUS = "查看签订情况"
AGREEMENT_CHASE = "【提醒】您尚未签订{year}年度目标管理责任书，请阅读后点「签订」。"
AGREEMENT_FILE = "{year}年度目标管理责任书（{name}）.docx"
SIGNED = "✅ 已签订{year}年度目标管理责任书。"
ALREADY_SIGNED = "您已签订过。"
NOT_YOUR_AGREEMENT = "这份责任书不是发给您的。"
AGREEMENT_TITLE = "{year}年度社会治安综合治理目标管理责任书"
AGREEMENT_PARTY_A = "甲方：{org}"
AGREEMENT_PARTY_B = "乙方：{name}"
AGREEMENT_INTRO = ("为落实社会治安综合治理领导责任制，做好{year}年度平安建设工作，经甲乙双方协商，"
                   "签订本责任书。")
AGREEMENT_H1 = "一、目标任务和评分标准"
AGREEMENT_ITEM = "（{seq}）{name}（{points}分）：{rule}。"
AGREEMENT_ITEM_VETO = "（{seq}）{name}：{rule}。"
AGREEMENT_TASKS = "乙方承担的{year}年综治工作计划任务（按期完成，计入“工作计划落实”项）："
AGREEMENT_TASK = "{n}. {text}"
AGREEMENT_H2 = "二、考核办法"
AGREEMENT_METHOD = (
    "实行百分制，数据计算项目由综治中心依据平台办理数据按月计算，人工评分项目由综治中心检查评分并附佐证材料。",
    "乙方可随时查看本单位得分和扣分明细，每月收到得分情况。年终形成考核通报。",
)
AGREEMENT_H3 = "三、奖惩"
AGREEMENT_REWARDS = (
    "年度得分{commend}分以上且未被一票否决的，推荐表彰奖励。",
    "存在问题的，由综治中心下发整改通知，限期整改。",
    "发生严重危害社会稳定重大问题的，实行一票否决，并严格实施领导责任查究。",
)
AGREEMENT_SIGN_A = "甲方（盖章）：{org}"
AGREEMENT_SIGN_B = "乙方（签字）：{name}    签订日期：{signed}"
DOCX_BLANK = "＿＿＿＿"

# --- year end ---
YEAR_END_CAPTION = "{year}年度考核材料：得分表和考核通报（截至{day}）。"
SHEET_FILE = "{year}年度考核得分表.xlsx"
REPORT_FILE = "{year}年度考核通报.docx"
SHEET_TITLE = "得分表"
SHEET_HEAD = "{year}年度社会治安综合治理目标管理考核得分表"
COL_RANK = "名次"
COL_NAME = "单位/村（社区）"
COL_TOTAL = "总分"
COL_VETO = "一票否决"
COL_COMMEND = "推荐表彰"
VETO_MARK = "否决"
COMMEND_MARK = "推荐"
ACC_OPEN = "查究中"
REPORT_TITLE = "关于{year}年度社会治安综合治理目标管理考核情况的通报"
REPORT_ADDRESSEE = "各成员单位、各村（社区）："
REPORT_INTRO = "根据年度目标管理责任书，综治中心对{count}个成员单位和村（社区）{year}年度工作进行了考核，现将情况通报如下。"
REPORT_H_RANKING = "一、考核得分及排名"
REPORT_RANK_LINE = "{rank}. {name}：{total}分{mark}"
REPORT_VETO_NOTE = "（一票否决）"
REPORT_H_COMMEND = "二、拟表彰单位"
REPORT_COMMEND = "{names}。"
REPORT_NONE = "无。"
REPORT_H_VETO = "三、一票否决及领导责任查究"
REPORT_VETO_LINE = "{name}：{reasons}，实行一票否决，取消当年评先评优资格。"
REPORT_ACC_LINE = "领导责任查究：{name}，{reason}，处理结果：{result}。"
REPORT_H_PROBLEMS = "四、存在的问题"
REPORT_PROBLEM_ITEM = "{item}扣{lost}分（{why}）"
REPORT_PROBLEM_LINE = "{name}：{detail}。"
REPORT_CLOSING = "存在问题的单位要认真分析原因，限期整改到位，整改情况报综治中心。"

# --- 整改 ---
RECTIFY_HEAD = "🛠 {year}年度整改通知"
RECTIFY_LINE = "{state} {subject}：{text}（{owner}，期限 {due}）"
RECTIFY_STATE = {"done": "✅", "overdue": "🔴", "open": "⏳"}
RECTIFY_NONE = "还没有整改通知。可在排名中打开单位，点「下发整改」。"
ASK_RECTIFY = "请输入「{name}」需要整改的问题和要求，或发送 /cancel 取消。"
RECTIFY_SAVED = "已下发整改通知：{name}，责任人 {owner}，期限 {due}。"
NO_HEAD = "「{name}」没有登记联络人，无法下发整改通知。"
NOT_YOUR_ORDER = "这份整改通知不是发给您单位的。"
RECTIFIED = "✅ 已报告整改完成。"
BUTTON_RECTIFIED = "整改完成"
ASK_ACC_RESULT = "请写明查究结果（300 字以内），或发送 /cancel 取消。"
BUTTON_ACCOUNTABILITY = "责任查究"
ACC_HEAD = "⚖️ {year}年度领导责任查究"
ACC_LINE = "{state} {subject}（{opened}）：{reason}{result}"
ACC_RESULT = "\n    处理结果：{result}"
ACC_NONE = "没有领导责任查究记录（记录一票否决时自动建立）。"
BUTTON_ACC_CLOSE = "记录结果：{subject}"
ACC_SAVED = "已记录查究结果。"
# --- per-person records (首问责任制) ---
STAFF_NOT_YOURS = "工作记录只有本人、中心领导和主任可以查看。"
STAFF_PICK = "选择工作人员，查看其工作记录："
STAFF_NONE = "还没有中心工作人员。"
STAFF_HEAD = "🗂 {name} {year}年度工作记录（截至{day}）"
STAFF_FIRST = "首问登记：{first} 件，其中职责外指引 {guidance} 件"
STAFF_ON_TIME = "按期办结：{on_time}/{total}（{rate}）"
STAFF_SATISFIED = "群众满意：{satisfied}/{rated}（{rate}）"
STAFF_NOTES = "表扬与批评："
STAFF_NOTE_LINE = "· {label}（{day}）：{reason}"
STAFF_NO_NOTES = "表扬与批评：无"
NOTE_LABELS = {"praise": "表扬", "criticism": "批评"}
BUTTON_NOTE = "记录{label}"
ASK_NOTE_REASON = "请写明{label}的事由（300 字以内），或发送 /cancel 取消。"
NOTE_REASON_EMPTY = "请写明事由。"
NOTE_SAVED = "已记录{label}：{name}。本人会收到通知。"
# --- 群防群治 and 平安创建 ---
TEAM_LABELS = {"security": "治保会", "mediation": "调委会", "patrol": "巡逻队", "ten_households": "十户联防",
               "volunteers": "志愿者队伍"}
CAMPAIGN_LABELS = {"village": "平安村", "unit": "平安单位", "school": "平安学校", "road": "平安路段", "market": "平安市场",
                   "family": "平安家庭"}
CAMPAIGN_NAME_NOUNS = {"school": "学校", "road": "路段", "market": "市场"}
RESULT_LABELS = {"pending": "待审核", "passed": "验收通过", "failed": "未通过"}
TEAMS_NOT_YOURS = "您只能管理本村（单位）的群防群治队伍和平安创建。"
TEAMS_STALE = "这个按钮已失效，请重新发送 /teams。"
TEXT_ONLY = "请直接输入文字，或发送 /cancel 取消。"
TEAMS_PICK = "选择村（社区）或单位，查看群防群治队伍和平安创建："
TEAMS_HEAD = "🛡 {name} 群防群治与平安创建"
TEAM_LINE = "{label}：负责人 {leader} {phone}，成员 {count} 人{members}"
TEAMS_MISSING = "尚未登记：{kinds}"
TEAMS_NONE = "还没有登记群防群治队伍。"
CAMPAIGN_LINE = "{year}年{what}创建：{result}（{applied}申报）"
CAMPAIGN_NONE = "还没有平安创建申报。"
BUTTON_ADD_TEAM = "登记{label}"
BUTTON_REMOVE_TEAM = "删除{label}（{leader}）"
BUTTON_APPLY = "申报{year}年{label}"
BUTTON_PASS = "{year}年{name}：验收通过"
BUTTON_FAIL = "{year}年{name}：未通过"
ASK_TEAM = "请输入{label}的负责人、电话和成员，用空格隔开，成员用顿号隔开，例如：张三 13800000000 李四、王五。或发送 /cancel 取消。"
TEAM_FORMAT = "格式：负责人 电话 成员1、成员2（电话可省略），例如：张三 13800000000 李四、王五。"
TEAM_SAVED = "已登记{label}。"
TEAM_REMOVED = "已删除。"
CAMPAIGN_EXISTS = "今年已经申报过了。"
CAMPAIGN_APPLIED = "已申报，等待主任审核。"
ASK_CAMPAIGN_NAME = "请输入申报{label}的{noun}名称（2–40 字），例如：{example}。或发送 /cancel 取消。"
CAMPAIGN_NAME_EXAMPLES = {"school": "东山村小学", "road": "X203线东山村段", "market": "东山农贸市场"}
CAMPAIGN_NAME_FORMAT = "{label}的名称应为 2–40 字，请重新输入，或发送 /cancel 取消。"
ASK_HOUSEHOLDS = "请输入本村申报平安家庭的户数，例如：120。或发送 /cancel 取消。"
HOUSEHOLDS_FORMAT = "请输入户数（1–100000 的整数），例如：120。或发送 /cancel 取消。"
CAMPAIGN_REVIEWED = "已记录审核结果：{result}。"
MONTHLY_CHANGE = "· {item} {delta}"


def _e(value) -> str:
    return escape(value if value is not None else "")


def cn_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def notify_mark(*, item: str, points: str, reason: str) -> str:
    return f"📉 【考核扣分】「{_e(item)}」扣 {points} 分。\n理由：{_e(reason)}\n发送 /score 查看得分明细。"


def notify_veto(*, year: int, name: str, reason: str) -> str:
    return f"⛔ 【一票否决】{_e(name)} {year}年度考核被一票否决。\n事由：{_e(reason)}"


def agreements_missing(*, year: int, names: list[str]) -> str:
    return (f"📝 【责任书未签订】以下人员经提醒仍未签订{year}年度目标管理责任书：{_e('、'.join(names))}。"
            "可点「查看签订情况」催签，或电话联系。")


def notify_rectify(*, name: str, text: str, due: str) -> str:
    return f"🛠 【整改通知】{_e(name)}\n{_e(text)}\n整改期限：{due}。完成后请点「整改完成」。"


def notify_rectified(*, name: str, text: str) -> str:
    return f"✅ {_e(name)} 已报告整改完成：{_e(text)}"


def notify_overdue_owner(*, text: str, due: str, days: int) -> str:
    return f"🔴 【整改逾期】整改期限 {due} 已过，已超期 {days} 个工作日，请尽快整改：{_e(text)}"


def notify_overdue_boss(*, name: str, text: str, due: str, days: int) -> str:
    return f"🔴 【整改逾期】{_e(name)} 整改期限 {due} 已过，已超期 {days} 个工作日仍未完成：{_e(text)}"


def monthly(*, year: int, month: int, name: str, total: str, delta: str, since_start: bool, changes: list[str],
            vetoed: bool) -> str:
    head = f"📊 【考核得分】{_e(name)} {year}年{month}月底得分 {total} 分（{'较年初' if since_start else '较上月'} {delta}）"
    lines = [head]
    lines += [_e(c) for c in changes] or ["本月无变化。"]
    if vetoed:
        lines.append("⛔ 已被一票否决，当年不得评先评优。")
    return "\n".join(lines)


def notify_note(*, kind: str, reason: str) -> str:
    return f"🗂 【{kind}】主任对您的工作记录了{kind}：{_e(reason)}\n发送 /myrecord 查看您的工作记录。"
