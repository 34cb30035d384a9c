"""传达 (issue 16): announcements and documents with read receipts."""

from models import Attendance
from models.announcements import AnnouncementKind

KIND_LABELS = {
    AnnouncementKind.superior: "上级精神传达",
    AnnouncementKind.deployment: "工作部署",
    AnnouncementKind.legal: "法制宣传",
    AnnouncementKind.study: "学习",
}
ROLE_GROUPS = {  # the role buttons, in this order
    "director": "中心主任",
    "leader": "分管领导",
    "township_leader": "镇党政领导",
    "staff": "中心工作人员",
    "grid": "网格员",
    "unit": "成员单位联络员",
}
EVERYONE = "全体人员"
ANSWER_LABELS = {Attendance.attend: "参加", Attendance.leave: "请假"}

NOT_ALLOWED = "只有中心主任、领导和中心工作人员可以发传达。"
PRIVATE_ONLY = "传达请在与我的私聊中发。"
ASK_CONTENT = "请发送传达的内容：文字，或文件、图片（可附说明）。发 /cancel 取消。"
WRONG_CONTENT = "这里只收文字、文件或图片。请重新发送传达的内容，发 /cancel 取消。"
TOO_LONG = "内容太长（最多 {limit} 字），请精简后重新发送。"
EMPTY = "传达没有内容。请发送文字或文件。"
ASK_KIND = "这是哪一类传达？"
ASK_TARGETS = "发给谁？可多选，再按「预览」。"
TARGETS_COUNT = "已选 {count} 人。"
NO_TARGETS = "还没有选到任何人，请先选择发送对象。"
BUTTON_PREVIEW = "预览"
BUTTON_SEND = "发送"
BUTTON_CANCEL = "取消"
BUTTON_READ = "已阅"
BUTTON_REMIND = "提醒未阅人员"
BUTTON_STATUS = "查看阅读情况"
PREVIEW = "【预览】{kind}\n发送对象：{audience}（{count} 人）\n\n{body}"
SENT = "已发出：{kind}，共 {count} 人。阅读情况见下一条消息，有人已阅会自动更新。"
CANCELLED = "已取消，传达未发出。"
STALE = "这个按钮已失效。发 /announce 重新开始。"
NOT_RECIPIENT = "这条传达不是发给您的。"
MARKED_READ = "已记录：已阅。"
ALREADY_READ = "您已阅过这条传达。"
ANSWERED = "已记录：{answer}。"
ASK_REASON = "请写明请假事由（一句话即可）："
REASON_TOO_LONG = "请假事由最多 200 字，请精简。"
NOT_STUDY = "只有「学习」类传达需要报参加或请假。"
ONLY_SENDER = "只有发送人可以查看和提醒。"
REMINDED = "已提醒 {count} 位未阅人员。"
NOBODY_UNREAD = "全部已阅，无需提醒。"
LIST_EMPTY = "您还没有发过传达。"
LIST_HEAD = "您最近的传达："
LIST_ROW = "{date} {kind}：已阅 {read}/{total}"
BUTTON_NEW = "新建传达"
FILE_LABEL = "〔附件〕"

STATUS = "【{kind}】{date}\n{body}\n\n已阅 {read}/{total}"
UNREAD = "未阅：{names}"
UNREACHABLE = "无法送达（已屏蔽机器人或账号不可用，请电话告知）：{names}"
ATTEND = "参加 {attend} 人，请假 {leave} 人"
LEAVE_ROW = "请假：{name}（{reason}）"
WRONG_TYPE_REPLY = "传达不收贴纸、位置等内容，请发送文字、文件或图片。"


def preview_body(text: str | None, file_name: str | None) -> str:
    parts = [text or ""]
    if file_name:
        parts.append(f"{FILE_LABEL}{file_name}")
    return "\n".join(p for p in parts if p)


def cn_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
