"""The digests the scheduler pushes (晨报, 周报, the month pack) and /settings, where each is switched
on or off. Everything a person typed is escaped here."""

from datetime import date, datetime, timedelta

from bot.texts.markup import escape
from models import DigestKind, NoticeLevel

WEEKDAYS = "一二三四五六日"
KIND_LABELS = {DigestKind.daily: "每日晨报（工作日 08:30）", DigestKind.weekly: "每周简报（每周第一个工作日）",
               DigestKind.monthly: "月度材料（每月 1 日，统计和台账）"}
KIND_SHORT = {DigestKind.daily: "每日晨报", DigestKind.weekly: "每周简报", DigestKind.monthly: "月度材料"}
OFF_BUTTON = {kind: f"🔕 不再接收{KIND_SHORT[kind]}" for kind in DigestKind}
LEVELS = {NoticeLevel.normal: "", NoticeLevel.yellow: "黄牌", NoticeLevel.red: "红牌"}

MONTH_PACK_CAPTION = "📦 {title}的统计和台账（共 {n} 个文件），请查收；可转给经办人核对后归档。"

# /settings
SETTINGS_TITLE = "⚙️ 推送设置\n点按钮开启或关闭：\n{lines}"
SETTINGS_LINE = "{mark} {label}"
SETTINGS_NONE = "您的身份没有定时推送，无需设置。"
SETTINGS_ON = "🔔 开启{label}"
SETTINGS_OFF = "🔕 关闭{label}"
SWITCHED_OFF = "已关闭{label}。需要时发送 /settings 或点下方按钮重新开启。"
SWITCHED_ON = "已开启{label}，下次按时推送。"
TURN_BACK_ON = "🔔 重新开启{label}"
NOT_YOURS = "您的身份不接收这项推送。"


def day_label(day: date) -> str:
    return f"{day.month}月{day.day}日（星期{WEEKDAYS[day.weekday()]}）"


def _moment(at: datetime, tz) -> str:
    local = at.astimezone(tz)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def alert_age(age: timedelta) -> str:
    minutes = int(age.total_seconds() // 60)
    if minutes < 60:
        return f"已 {minutes} 分钟"
    hours = minutes // 60
    return f"已 {hours} 小时" if hours < 48 else f"已 {hours // 24} 天"


def _case_lines(section, shown: int) -> list[str]:
    lines = []
    for item in section.items[:shown]:
        note = f"（{escape(item.note)}）" if item.note else ""
        where = f"{escape(item.village)} " if item.village else ""
        lines.append(f"  • {escape(item.number)} {where}{escape(item.summary)}{note}")
    more = len(section.items) - shown
    if more > 0:
        lines.append(f"  …另有 {more} 件")
    if section.hidden:
        lines.append(f"  另有保密事项 {section.hidden} 件（无权查看，不列出）")
    return lines


def _notice_lines(section, shown: int) -> list[str]:
    lines = []
    for n in section.items[:shown]:
        level = f"【{LEVELS[n.level]}】" if LEVELS[n.level] else ""
        lines.append(f"  • {level}{escape(n.number)} {escape(n.unit)}，事项 {escape(n.case_number)}，"
                     f"{n.due.month}月{n.due.day}日到期")
    more = len(section.items) - shown
    if more > 0:
        lines.append(f"  …另有 {more} 份")
    if section.hidden:
        lines.append(f"  另有 {section.hidden} 份（无权查看，不列出）")
    return lines


def daily(digest, *, tz=None, shown: int = 5) -> str:
    """The 晨报: short, one section per kind of matter, empty sections left out."""
    tz = tz or digest.until.tzinfo
    head = [f"📰 每日晨报 · {day_label(digest.day)}",
            f"新增统计：{_moment(digest.since, tz)} 至 {_moment(digest.until, tz)}"]
    body: list[str] = []
    for title, section in (("🆕 新增事项", digest.new), ("🔴 红灯·已超期", digest.overdue),
                           ("🟡 黄灯·临近期限", digest.yellow), ("🚨 紧急预警·无人确认", digest.alerts)):
        if section.total:
            body.append(f"{title} {section.total} 件")
            body += _case_lines(section, shown)
    if digest.notices.total:
        body.append(f"📌 本周到期的督办 {digest.notices.total} 份")
        body += _notice_lines(digest.notices, shown)
    if not body:
        body = ["✅ 昨日无新增事项，无超期、无待确认的紧急预警，本周无到期督办。"]
    else:
        body.append("点下方编号打开事项或督办；发送 /settings 设置推送。")
    return "\n".join(head + body)


def weekly(brief) -> str:
    """The 周报 (the weekly meeting's opening page): last week's figures and what is open now."""
    on_time = f"，按期 {brief.closed_on_time} 件" if brief.closed else ""
    lights = " ".join(f"{mark}{n}" for mark, n in brief.lights.items())
    return "\n".join([
        f"🗓 每周简报 · {brief.start.month}月{brief.start.day}日—{brief.end.month}月{brief.end.day}日",
        f"上周新增 {brief.new} 件，办结 {brief.closed} 件{on_time}。",
        f"目前在办 {brief.open_cases} 件，其中超期 {brief.overdue_now} 件。",
        f"在办事项期限灯：{lights}",
        f"领导包案在办 {brief.baoan_open} 件。",
        f"督办未结 {brief.notices_open} 份（红牌 {brief.notices_red} 份，已过期限 {brief.notices_overdue} 份）。",
        *([f"综治工作计划：本周到期 {brief.plan_due} 项，已逾期 {brief.plan_overdue} 项（/plan 查看）。"]
          if brief.plan_due or brief.plan_overdue else []),
        "可在每周工作例会上通报；发送 /mycases 查看在办事项。",
    ])


def settings_text(switches) -> str:
    if not switches:
        return SETTINGS_NONE
    lines = [SETTINGS_LINE.format(mark="🔔" if s.on else "🔕", label=KIND_LABELS[s.kind]) for s in switches]
    return SETTINGS_TITLE.format(lines="\n".join(lines))


def settings_button(switch) -> str:
    return (SETTINGS_OFF if switch.on else SETTINGS_ON).format(label=KIND_SHORT[switch.kind])
