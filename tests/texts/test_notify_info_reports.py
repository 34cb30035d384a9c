"""notify.info_reports: the 信息报告 notifications; what people typed is escaped."""

import re

from bot.texts import notify

HOSTILE = '<b>&"x'


def _safe(html: str) -> bool:
    """No tag and no bare ampersand (the templates have no tags of their own)."""
    return "<" not in html and ">" not in html and not re.search(r"&(?!(?:lt|gt|amp);)", html)


def test_typed_values_are_escaped():
    assert _safe(notify.info_reports.submitted(report="涉及人数：<30人 & 更多"))
    assert _safe(notify.info_reports.confidential_in_group(kind=HOSTILE))
    assert _safe(notify.info_reports.first_report_due(overdue=True, number="2026-0001", due="10:00", left="已超时"))


def test_the_messages_read_as_before():
    assert notify.info_reports.submitted(report="📄 信息报告·初报（第 1 报）事项 2026-0001\n涉及人数：<30人") == (
        "📄 信息报告·初报（第 1 报）事项 2026-0001\n涉及人数：&lt;30人")
    assert notify.info_reports.confidential_in_group(kind="初报") == (
        "🔒 一份保密事项的信息报告（初报）已按保密规定单独报送有关领导，本群不转发内容。")
    assert notify.info_reports.first_report_due(overdue=False, number="2026-0001", due="10:30", left="还剩 10 分钟") == (
        "⏳ 事项 2026-0001 的初报 10:30 到期（还剩 10 分钟），请尽快填写并报送。")
    assert notify.info_reports.first_report_due(overdue=True, number="2026-0001", due="10:30", left="已超时 5 分钟") == (
        "⚠️ 事项 2026-0001 的初报期限 10:30，已超时 5 分钟，请立即报送（先电话报告党委）。")
    assert notify.info_reports.opened(number="2026-0001", phone_minutes=30, phone_due="12-04 10:00", minutes=60,
                                      due="12-04 10:30", phone_first="☎️ 请先电话报告：值班 孙丽 13800000000") == (
        "📄 事项 2026-0001 属于需要信息报告的重大事件：请在 30 分钟内（12-04 10:00 前）电话报告，"
        "60 分钟内（12-04 10:30 前）报送书面初报。\n"
        "☎️ 请先电话报告：值班 孙丽 13800000000\n打完电话点「☎️ 已电话报告」，再点下方按钮填写书面初报。")
    assert notify.info_reports.phone_overdue(number="2026-0001", due="10:00") == (
        "☎️ 事项 2026-0001 应在 10:00 前电话报告党委，至今未记录。请立即电话报告，打完点下方「☎️ 已电话报告」。")


def test_the_final_report_chase_names_what_is_missing():
    assert notify.info_reports.final_missing(number="2026-0001", status="已办结", draft=None) == (
        "🏁 事项 2026-0001 已办结，但信息报告还没有终报。请点下方按钮打开最近一报，点「🏁 终报」填写并报送。")
    assert notify.info_reports.final_missing(number="2026-0001", status="已归档", draft="终报") == (
        "🏁 事项 2026-0001 已归档，但终报还没有报送。请点下方按钮填完并报送。")
    assert notify.info_reports.final_missing(number="2026-0001", status="已办结", draft="续报") == (
        "🏁 事项 2026-0001 已办结，但续报还没有报送，信息报告也还没有终报。请点下方按钮填完报送，再写终报。")
    assert _safe(notify.info_reports.final_missing(number="2026-0001", status="已办结", draft=HOSTILE))
