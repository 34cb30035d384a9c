"""Notifications of urgent alerts, the duty roster, the off-hours digest and the calendar warning
(bot/services/alerts.py), and the line telling a reporter whom to phone first."""

from collections.abc import Sequence
from datetime import date

from bot.texts.markup import escape
from bot.texts.notify import summary as _summary

URGENT_ALERT = "🚨 紧急事项{level} {number}\n{type}｜{village}\n{summary}\n上报：{reporter}\n请立即点「收到」并处置（联系点领导须第一时间到达现场）。"
URGENT_ESCALATED = "（{minutes} 分钟无人确认，已上报）"
URGENT_ACKED_COPY = "✅ 已由 {name} 于 {at} 确认处置，无需再确认。"
URGENT_ACKED_YOURS = "✅ 您已确认（{at}），请负责处置。"
URGENT_ACKED_REPORTER = "✅ 您上报的紧急事项 {number} 已由 {name} 确认收到，正在处置。"
# Whom an urgent report is phoned to first (from the duty roster).
PHONE_FIRST = "☎️ 请先电话报告：{whom}"
PHONE_FIRST_NOBODY = "☎️ 今天无人值班，请打给{whom}"
PHONE_FIRST_CENTER = "☎️ 今天无人值班，请先电话报告综治中心。"
PHONE_FIRST_DUTY = "值班"
PHONE_FIRST_LEADER = "带班领导"
PHONE_FIRST_DIRECTOR = "中心主任"
PHONE_FIRST_NO_PHONE = "（未登记电话）"
DUTY_HANDOVER = "📋 {day} 值班交接：您今天是{role}。\n值班：{duty}\n带班领导：{leader}\n紧急事项会随时推送给您，请保持手机畅通。"
DIGEST = "🗂 非工作时间收到的事项共 {count} 件，请处理：\n{lines}"
DIGEST_LINE = "• {number} {summary}"
DUTY_GAPS = "⚠️ 值班表有空缺，非工作时间的紧急事项将无人接报：\n{lines}\n请点下方日期安排，或在 /duty 中批量导入。"
DUTY_GAP_LINE = "• {day}（周{weekday}{today}）：{missing}"
DUTY_GAP_TODAY = "，今天"
DUTY_GAP_NO_DUTY = "无值班人员"
DUTY_GAP_NO_LEADER = "无带班领导"
CALENDAR_MISSING = "📅 {year} 年的法定节假日和调休安排还没有录入。期限暂按周一至周五计算并标为「暂定」。请用 /calendar 录入或导入。"

# (name, phone or None) of a person named in the phone-first line
Contact = tuple[str, str | None]


def urgent(*, number: str, type: str, village: str | None, summary: str, confidential: bool, reporter: str,
           escalated_after: int | None = None) -> str:
    """The urgent alert; `escalated_after` (minutes) when nobody acknowledged it and it went up a level."""
    level = "" if escalated_after is None else URGENT_ESCALATED.format(minutes=escalated_after)
    return URGENT_ALERT.format(
        level=level, number=escape(number), type=escape(type), village=escape(village) if village else "—",
        summary=_summary.line(summary, confidential=confidential), reporter=escape(reporter),
    )


def urgent_acked(*, alert: str, taker: str, at: str, yours: bool) -> str:
    """A copy of the alert (`alert`: its HTML, as `urgent` gives it) saying who took it and when."""
    mark = URGENT_ACKED_YOURS.format(at=at) if yours else URGENT_ACKED_COPY.format(name=escape(taker), at=at)
    return f"{alert}\n\n{mark}"


def urgent_acked_reporter(*, number: str, taker: str) -> str:
    """To the reporter: who acknowledged their urgent report."""
    return URGENT_ACKED_REPORTER.format(number=escape(number), name=escape(taker))


def phone_first(*, duty: Sequence[Contact], leaders: Sequence[Contact], directors: Sequence[Contact]) -> str:
    """Whom to phone first: the day's duty staff and leader on call, else the directors, else the center."""
    def who(label: str, contact: Contact) -> str:
        name, phone = contact
        return f"{label} {escape(name)}{f' {escape(phone)}' if phone else PHONE_FIRST_NO_PHONE}"

    on_duty = [who(PHONE_FIRST_DUTY, c) for c in duty] + [who(PHONE_FIRST_LEADER, c) for c in leaders]
    if on_duty:
        return PHONE_FIRST.format(whom="；".join(on_duty))
    if directors:
        return PHONE_FIRST_NOBODY.format(whom="；".join(who(PHONE_FIRST_DIRECTOR, c) for c in directors))
    return PHONE_FIRST_CENTER


def duty_handover(*, day: str, leader_on_call: bool, duty: Sequence[str], leaders: Sequence[str]) -> str:
    """To each person on the day's roster (`day` as shown); `leader_on_call`: this person leads."""
    return DUTY_HANDOVER.format(
        day=day, role="带班领导" if leader_on_call else "值班",
        duty=escape("、".join(duty)) or "未安排", leader=escape("、".join(leaders)) or "未安排",
    )


def digest(*, cases: Sequence[tuple[str, str, bool]]) -> str:
    """What came in off hours: (number, summary, confidential) per case."""
    lines = [DIGEST_LINE.format(number=escape(number), summary=_summary.line(summary, confidential=confidential))
             for number, summary, confidential in cases]
    return DIGEST.format(count=len(cases), lines="\n".join(lines))


def duty_gaps(gaps: Sequence[tuple[date, bool, bool]], *, today: date) -> str:
    """To the director and the admins: the days ahead with nobody on duty or no leader on call."""
    lines = []
    for day, no_duty, no_leader in gaps:
        missing = "、".join(w for w, on in ((DUTY_GAP_NO_DUTY, no_duty), (DUTY_GAP_NO_LEADER, no_leader)) if on)
        lines.append(DUTY_GAP_LINE.format(day=f"{day.month}月{day.day}日", weekday="一二三四五六日"[day.weekday()],
                                          today=DUTY_GAP_TODAY if day == today else "", missing=missing))
    return DUTY_GAPS.format(lines="\n".join(lines))


def calendar_missing(*, year: int) -> str:
    """To the managers: next year's official schedule is not entered yet."""
    return CALENDAR_MISSING.format(year=year)
