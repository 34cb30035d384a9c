"""Notifications of 上报上级 (bot/services/upward_reports.py): a case that should have been reported
to a higher department and has no record of it."""

from bot.texts.markup import escape
from bot.texts.notify import summary as _summary

CHASE = ("📤 待上报上级：事项 {number}\n{type}｜{summary}\n{since}，已过 1 个工作日，还没有上报上级部门的记录"
         "（重大疑难事项应同时上报上级部门和领导）。\n已经报告的，请点「📤 上报上级」补记部门和方式；还没有报告的，请尽快报告后记录。")
SINCE_MAJOR = "重大疑难事项，登记于 {at}"
SINCE_FIRST_REPORT = "初报已于 {at} 报送党委"


def chase(*, number: str, type: str, summary: str, confidential: bool, at: str, first_report: bool) -> str:
    """To the director and the case's reporter: no upward record a working day after `at` (the
    registration of a major case, or its 初报)."""
    since = (SINCE_FIRST_REPORT if first_report else SINCE_MAJOR).format(at=at)
    return CHASE.format(number=escape(number), type=escape(type),
                        summary=_summary.line(summary, confidential=confidential), since=since)
