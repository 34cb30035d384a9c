"""notify.deadlines: what the deciders and the requester read; typed values are escaped."""

import re

from bot.texts import notify

HOSTILE = '<b>&"x'
SCRIPT = "<script>alert(1)</script>"


def _safe(html: str) -> bool:
    """No tag and no bare ampersand (the templates have no tags of their own)."""
    return "<" not in html and ">" not in html and not re.search(r"&(?!(?:lt|gt|amp);)", html)


def test_typed_values_are_escaped():
    texts = [
        notify.deadlines.approval(who=SCRIPT, kind="延期", number=HOSTILE, type=HOSTILE, summary=HOSTILE,
                                  confidential=False, due="12月1日 17:30", new_due="12月10日 17:30", reason=HOSTILE),
        notify.deadlines.approved(kind="延期", number=HOSTILE, who=SCRIPT, detail=HOSTILE),
        notify.deadlines.refused(kind="挂起", number=HOSTILE, who=SCRIPT, note=HOSTILE, due="—"),
    ]
    assert all(_safe(t) for t in texts), texts
    assert "&lt;b&gt;&amp;\"x" in texts[0] and "&lt;script&gt;" in texts[0]


def test_approval_reads_as_before():
    assert notify.deadlines.approval(
        who="张三", kind="延期", number="2026-0012", type="邻里纠纷", summary="噪音扰民", confidential=False,
        due="12月1日 17:30", new_due="12月10日 17:30", reason="当事人外出",
    ) == ("⏳ 待审批：张三 申请延期\n事项 2026-0012｜邻里纠纷\n噪音扰民\n当前期限：12月1日 17:30\n"
          "申请新期限：12月10日 17:30\n理由：当事人外出\n请点「批准」或「驳回」。")
    assert notify.deadlines.approval(
        who="张三", kind="挂起", number="2026-0012", type="邻里纠纷", summary="噪音扰民", confidential=True,
        due="—", new_due=None, reason="等待鉴定",
    ) == ("⏳ 待审批：张三 申请挂起\n事项 2026-0012｜邻里纠纷\n（保密事项，详情请在卡片中查看）\n当前期限：—\n"
          "理由：等待鉴定\n请点「批准」或「驳回」。")


def test_decisions_read_as_before():
    assert (notify.deadlines.approved(kind="延期", number="2026-0012", who="李领导", detail="，新期限 12月10日 17:30")
            == "✅ 您的延期申请已由 李领导 批准：事项 2026-0012，新期限 12月10日 17:30。")
    assert (notify.deadlines.refused(kind="延期", number="2026-0012", who="李领导", note="理由不足", due="12月1日 17:30")
            == "❌ 您的延期申请被 李领导 驳回：事项 2026-0012\n理由：理由不足\n期限不变：12月1日 17:30，请按期办理。")
