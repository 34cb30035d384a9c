"""notify.alerts: urgent alerts, whom to phone first, the duty hand-over, the digest and the calendar
warning; typed values are escaped."""

import re

from bot.texts import notify

HOSTILE = '<b>&"x'
SCRIPT = "<script>alert(1)</script>"


def _safe(html: str) -> bool:
    """No tag and no bare ampersand (the templates have no tags of their own)."""
    return "<" not in html and ">" not in html and not re.search(r"&(?!(?:lt|gt|amp);)", html)


def test_typed_values_are_escaped():
    alert = notify.alerts.urgent(number=HOSTILE, type=HOSTILE, village=HOSTILE, summary=SCRIPT, confidential=False,
                                 reporter=SCRIPT, escalated_after=5)
    texts = [
        alert,
        notify.alerts.urgent_acked(alert=alert, taker=SCRIPT, at="09:00", yours=False),
        notify.alerts.urgent_acked_reporter(number=HOSTILE, taker=SCRIPT),
        notify.alerts.phone_first(duty=[(SCRIPT, HOSTILE)], leaders=[(HOSTILE, None)], directors=[]),
        notify.alerts.phone_first(duty=[], leaders=[], directors=[(SCRIPT, HOSTILE)]),
        notify.alerts.duty_handover(day="12月01日", leader_on_call=True, duty=[SCRIPT, HOSTILE], leaders=[HOSTILE]),
        notify.alerts.digest(cases=[(HOSTILE, SCRIPT, False), ("2", HOSTILE, True)]),
        notify.alerts.calendar_missing(year=2027),
    ]
    assert all(_safe(t) for t in texts), texts


def test_urgent_alert_reads_as_before():
    fields = dict(number="2026-0012", type="邻里纠纷", village="东村", summary="打架", confidential=False, reporter="王网格")
    alert = notify.alerts.urgent(**fields)
    assert alert == ("🚨 紧急事项 2026-0012\n邻里纠纷｜东村\n打架\n上报：王网格\n"
                     "请立即点「收到」并处置（联系点领导须第一时间到达现场）。")
    assert notify.alerts.urgent(**{**fields, "village": None}, escalated_after=15).startswith(
        "🚨 紧急事项（15 分钟无人确认，已上报） 2026-0012\n邻里纠纷｜—\n")
    assert (notify.alerts.urgent_acked(alert="A", taker="张三", at="12月1日 09:00", yours=False)
            == "A\n\n✅ 已由 张三 于 12月1日 09:00 确认处置，无需再确认。")
    assert (notify.alerts.urgent_acked(alert="A", taker="张三", at="12月1日 09:00", yours=True)
            == "A\n\n✅ 您已确认（12月1日 09:00），请负责处置。")
    assert (notify.alerts.urgent_acked_reporter(number="2026-0012", taker="刘领导")
            == "✅ 您上报的紧急事项 2026-0012 已由 刘领导 确认收到，正在处置。")


def test_phone_first_reads_as_before():
    assert (notify.alerts.phone_first(duty=[("张三", "13800000000")], leaders=[("刘领导", None)], directors=[])
            == "☎️ 请先电话报告：值班 张三 13800000000；带班领导 刘领导（未登记电话）")
    assert (notify.alerts.phone_first(duty=[], leaders=[], directors=[("王主任", "0571-88886666")])
            == "☎️ 今天无人值班，请打给中心主任 王主任 0571-88886666")
    assert notify.alerts.phone_first(duty=[], leaders=[], directors=[]) == "☎️ 今天无人值班，请先电话报告综治中心。"


def test_roster_digest_and_calendar_read_as_before():
    assert notify.alerts.duty_handover(day="12月01日", leader_on_call=False, duty=["张三", "李四"], leaders=[]) == (
        "📋 12月01日 值班交接：您今天是值班。\n值班：张三、李四\n带班领导：未安排\n紧急事项会随时推送给您，请保持手机畅通。")
    assert notify.alerts.digest(cases=[("2026-0012", "噪音扰民", False), ("2026-0013", "x", True)]) == (
        "🗂 非工作时间收到的事项共 2 件，请处理：\n• 2026-0012 噪音扰民\n• 2026-0013 （保密事项，详情请在卡片中查看）")
    assert notify.alerts.calendar_missing(year=2027) == (
        "📅 2027 年的法定节假日和调休安排还没有录入。期限暂按周一至周五计算并标为「暂定」。请用 /calendar 录入或导入。")
