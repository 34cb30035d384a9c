"""notify.cases: a new case, an assignment, a reopened case, the reporter's updates; typed values are escaped."""

import re

from bot.texts import notify

HOSTILE = '<b>&"x'
SCRIPT = "<script>alert(1)</script>"


def _safe(html: str) -> bool:
    """No tag and no bare ampersand (the templates have no tags of their own)."""
    return "<" not in html and ">" not in html and not re.search(r"&(?!(?:lt|gt|amp);)", html)


def test_typed_values_are_escaped():
    texts = [
        notify.cases.new_case(number=HOSTILE, urgent=True, type=HOSTILE, severity=HOSTILE, village=HOSTILE,
                              summary=SCRIPT, confidential=False, reporter=SCRIPT),
        notify.cases.assigned(number=HOSTILE, unit=SCRIPT, type=HOSTILE, village=HOSTILE, summary=SCRIPT,
                              confidential=False, due="12月1日", left="剩 1 天", instructions=HOSTILE),
        notify.cases.reopened(number=HOSTILE),
        notify.cases.status(number=HOSTILE, status="已办结", detail=notify.cases.detail_choice(SCRIPT)),
        notify.cases.status(number="1", status="已转办", detail=notify.cases.detail_transferred(to=SCRIPT)),
        notify.cases.status(number="1", status="不予受理", detail=notify.cases.detail_declined(guidance=HOSTILE)),
        notify.cases.status(number="1", status="办理中", detail=notify.cases.detail_progress(note=HOSTILE)),
    ]
    assert all(_safe(t) for t in texts), texts


def test_new_case_reads_as_before():
    assert notify.cases.new_case(
        number="2026-0012", urgent=True, type="邻里纠纷", severity="一般", village="东村 一组", summary="噪音扰民",
        confidential=False, reporter="王网格",
    ) == "🆕 新事项 2026-0012 🚨紧急\n邻里纠纷｜一般｜东村 一组\n噪音扰民\n上报：王网格"
    assert notify.cases.new_case(
        number="2026-0012", urgent=False, type="邻里纠纷", severity="一般", village="", summary="噪音扰民",
        confidential=True, reporter="王网格",
    ) == "🆕 新事项 2026-0012\n邻里纠纷｜一般｜—\n（保密事项，详情请在卡片中查看）\n上报：王网格"


def test_assigned_reads_as_before():
    fields = dict(number="2026-0012", type="邻里纠纷", village="东村", summary="噪音扰民", confidential=False)
    assert notify.cases.assigned(unit="司法所", due="12月10日 17:30", left="剩 5 个工作日", instructions="先走访",
                                 **fields) == (
        "📌 事项 2026-0012 已分派给您（司法所）。\n邻里纠纷｜东村\n噪音扰民\n期限：12月10日 17:30（剩 5 个工作日）\n"
        "分派要求：先走访\n请尽快调处并在事项卡片上报进展。")
    assert notify.cases.assigned(unit=None, due=None, left=None, instructions=None, **fields) == (
        "📌 事项 2026-0012 已分派给您。\n邻里纠纷｜东村\n噪音扰民\n期限：尚未设定（设定后会另行通知）\n"
        "请尽快调处并在事项卡片上报进展。")
    assert notify.cases.assigned(unit=None, due="12月10日 17:30", left="", instructions=None, **fields) == (
        "📌 事项 2026-0012 已分派给您。\n邻里纠纷｜东村\n噪音扰民\n期限：12月10日 17:30\n"
        "请尽快调处并在事项卡片上报进展。")


def test_reopened_and_status_read_as_before():
    assert notify.cases.reopened(number="2026-0012") == "↩️ 事项 2026-0012 当事人不满意，已重新办理，请继续调处。"
    assert notify.cases.status(number="2026-0012", status="已受理") == "🔔 您上报的事项 2026-0012 状态更新：已受理"
    assert (notify.cases.status(number="2026-0012", status="已分派", detail=notify.cases.detail_choice("李四"))
            == "🔔 您上报的事项 2026-0012 状态更新：已分派（李四）")
    assert notify.cases.detail_transferred(to="派出所") == "（转至 派出所）"
    assert notify.cases.detail_declined(guidance="请到法院起诉") == "\n告知：请到法院起诉"
    assert notify.cases.detail_progress(note="已走访") == "\n已走访"
