"""Notifications of 信息报告 (bot/services/info_reports.py and the opening in intake.py)."""

from bot.texts.markup import escape

INFO_REPORT_SOON = "⏳ 事项 {number} 的初报 {due} 到期（{left}），请尽快填写并报送。"
INFO_REPORT_OVERDUE = "⚠️ 事项 {number} 的初报期限 {due}，{left}，请立即报送（先电话报告党委）。"
INFO_REPORT_CONFIDENTIAL_GROUP = "🔒 一份保密事项的信息报告（{kind}）已按保密规定单独报送有关领导，本群不转发内容。"
INFO_REPORT_FINAL_MISSING = "🏁 事项 {number} {status}，但信息报告还没有终报。请点下方按钮打开最近一报，点「🏁 终报」填写并报送。"
INFO_REPORT_FINAL_MISSING_DRAFT = "🏁 事项 {number} {status}，但{kind}还没有报送，信息报告也还没有终报。请点下方按钮填完报送，再写终报。"
INFO_REPORT_FINAL_UNSENT = "🏁 事项 {number} {status}，但终报还没有报送。请点下方按钮填完并报送。"
INFO_REPORT_OPENED = ("📄 事项 {number} 属于需要信息报告的重大事件：请在 {phone_minutes} 分钟内（{phone_due} 前）电话报告，"
                      "{minutes} 分钟内（{due} 前）报送书面初报。\n{phone}\n打完电话点「☎️ 已电话报告」，再点下方按钮填写书面初报。")
INFO_REPORT_PHONE_OVERDUE = ("☎️ 事项 {number} 应在 {due} 前电话报告党委，至今未记录。请立即电话报告，"
                             "打完点下方「☎️ 已电话报告」。")


def submitted(*, report: str) -> str:
    """The written report as the party committee and the director receive it (plain text as filled
    in: "<30人" must not be read as a tag)."""
    return escape(report)


def confidential_in_group(*, kind: str) -> str:
    """What a group gets instead of a 保密事项's report."""
    return INFO_REPORT_CONFIDENTIAL_GROUP.format(kind=escape(kind))


def first_report_due(*, overdue: bool, number: str, due: str, left: str) -> str:
    """To the reporter and the directors: the first report is due soon, or overdue."""
    return (INFO_REPORT_OVERDUE if overdue else INFO_REPORT_SOON).format(number=number, due=due, left=left)


def opened(*, number: str, phone_minutes: int, phone_due: str, minutes: int, due: str, phone_first: str) -> str:
    """To the reporter of a major event: phone first, then write the first report in time.
    `phone_first` is notify.alerts.phone_first's line (already HTML)."""
    return INFO_REPORT_OPENED.format(number=number, phone_minutes=phone_minutes, phone_due=phone_due,
                                     minutes=minutes, due=due, phone=phone_first)


def phone_overdue(*, number: str, due: str) -> str:
    """To the reporter and the directors: the phone report's deadline passed and no call was recorded."""
    return INFO_REPORT_PHONE_OVERDUE.format(number=number, due=due)


def final_missing(*, number: str, status: str, draft: str | None) -> str:
    """To whoever may write it: the case is 办结 or archived and no 终报 was sent. `draft`: the kind of
    the latest report while it is still being filled in (the 终报 itself, or an earlier one)."""
    if draft is None:
        return INFO_REPORT_FINAL_MISSING.format(number=number, status=status)
    if draft == "终报":
        return INFO_REPORT_FINAL_UNSENT.format(number=number, status=status)
    return INFO_REPORT_FINAL_MISSING_DRAFT.format(number=number, status=status, kind=escape(draft))
