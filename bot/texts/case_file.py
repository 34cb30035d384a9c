"""The electronic case file (一案一档): the card's button, the messages, and the words of its forms."""

from bot.texts.markup import escape

CARD_BUTTON = "🗂 一案一档"
ARCHIVED_NOTICE = "✅ 已归档。电子档案（一案一档）稍后发到您的私聊，请留存。"
QUEUED = "🗂 正在生成 {number} 的电子档案（一案一档），稍后发到与机器人的私聊中。"
PRIVATE_ONLY = "电子档案含当事人信息，只能在与机器人的私聊中获取。请私聊机器人，打开事项后再点「一案一档」。"
NOT_ALLOWED = "无权获取这个事项的电子档案。"
REFUSED = "🗂 未能发送电子档案：{reason}"
ARCHIVED_CAPTION = "🗂 {number} 已归档，电子档案（一案一档）见附件，请留存。"
SENT_CAPTION = "🗂 {number} 电子档案（一案一档）：登记表、调处记录、办结报告、附件和督办、包案文书。"
PARTS_NOTE = "\n文件超过 Telegram 单个文件 50 MB 的上限，已分成 {parts} 个压缩包，每个都可单独打开（第 {part}/{parts} 个）。"


def caption(number: str, *, archived: bool) -> str:
    return (ARCHIVED_CAPTION if archived else SENT_CAPTION).format(number=escape(number))


def refused(reason: str) -> str:
    return REFUSED.format(reason=escape(reason))


def zip_name(number: str, part: int, parts: int) -> str:
    base = f"一案一档_{number}"
    return f"{base}.zip" if parts == 1 else f"{base}_第{part}部分共{parts}部分.zip"


FORM_NAME = "{number}_案件档案.docx"
BAOAN_NAME = "{number}_领导包案审批表.docx"
NOTICE_NAME = "督办通知书_{number}.docx"
ATTACHMENT_DIR = "附件"
MISSING_NAME = "未能收入的附件.txt"
MISSING_LINE = "{i}. {name}（{kind}，{sender}）：{reason}"
MISSING_TOO_BIG = "超过 Telegram 机器人可下载的 20 MB 上限，请在聊天记录中查看原件"
MISSING_GONE = "Telegram 上已找不到这个文件"
MISSING_OTHER_PART = "在第 {part} 个压缩包中"

FORM_TITLE = "{org}矛盾纠纷（事项）档案"
FORM_NUMBER = "编号：{number}"
PART_REGISTER = "一、登记表"
PART_HANDLING = "二、调处记录"
PART_HISTORY = "办理过程"
PART_REPORT = "三、办结报告"
PART_FILES = "四、附件清单"
HISTORY_HEADER = ["时间", "操作人", "事项", "说明"]
FILES_HEADER = ["序号", "类型", "文件名", "提交人", "时间", "是否收入"]
FILE_IN = "已收入"
FILE_MISSING = "未能收入"
NO_FILES = "无附件"
SYSTEM = "系统"
YES, NO = "是", "否"
URGENT = "（紧急）"
PROVISIONAL = "（暂定：当年节假日安排未录入）"
PARTY_LINE = "{i}. {name}，电话 {phone}，身份证号 {id_number}"
FORM_FOOT = "{org}　{date}（由 {viewer} 导出）"

F_NUMBER = "编号"
F_CREATED = "登记时间"
F_SOURCE = "来源方式"
F_TYPE = "类别"
F_SEVERITY = "紧急程度"
F_CONFIDENTIAL = "保密事项"
F_VILLAGE = "所属村（社区）/网格"
F_ADDRESS = "发生地点"
F_GPS = "经纬度"
F_OCCURRED = "发生时间"
F_PARTIES = "当事人"
F_PEOPLE = "涉及人数"
F_AMOUNT = "涉及金额"
F_DESCRIPTION = "简要情况"
F_REQUEST = "诉求"
F_REPORTER = "登记人/上报人"
F_FIRST_INQUIRY = "首问责任人"
F_STATUS = "当前状态"
F_ACCEPTED = "受理时间"
F_HANDLER = "责任人/承办单位"
F_DUE = "化解期限"
F_LEADER = "包案领导"
F_PLAN = "调处方案"
F_UPWARD = "上报上级"  # the latest record; every one is in the history
UPWARD = "{departments}（{way}）{at} {who}"
F_JOINT = "联合调处书面告知"
F_NOTICES = "督办"
F_TRANSFER = "转办"
F_DUPLICATE = "重复事项"
F_RESOLVED = "办结时间"
F_OUTCOME = "办结结果"
F_AGREEMENT = "协议类型"
F_RESULT = "办结情况"
F_GUIDANCE = "不予受理的告知和指引"
F_REPLY = "答复情况"
F_SATISFACTION = "回访满意度"
F_MET = "是否按期"

BAOAN_TITLE = "领导包案审批表"
BAOAN_REQUESTS = "包案提议与审批"
BAOAN_HEADER = ["提议时间", "提议人", "包案领导", "理由", "审批结果", "审批时间"]
BAOAN_DECISIONS = {"pending": "待审批", "approved": "批准", "refused": "不同意"}
NOTICE_LINE = "{number}（{level}，{unit}，{status}）"

KIND_LABELS = {"photo": "照片", "video": "视频", "voice": "语音", "audio": "音频", "document": "文件"}

# --- 联合办理, 会商 and 已到场 (issue 16) ------------------------------------------------------------
F_LEAD = "主办单位"
F_CO_UNITS = "协办单位"
F_CONSULTATIONS = "会商"
CONSULTATION_LINE = "{at}　参加：{participants}\n结论：{conclusion}（记录：{recorder}）"
F_ARRIVALS = "联系点领导到场"
ARRIVAL_LINE = "{who}　{at}　{where}"
