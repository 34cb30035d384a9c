"""notify.reminders: a reminder and its acknowledged copies; typed values are escaped."""

import re

from bot.texts import notify

HOSTILE = '<b>&"x'


def _safe(html: str) -> bool:
    """No tag and no bare ampersand (the templates have no tags of their own)."""
    return "<" not in html and ">" not in html and not re.search(r"&(?!(?:lt|gt|amp);)", html)


def test_typed_values_are_escaped():
    sent = notify.reminders.reminder(step="到期提醒", number=HOSTILE, type=HOSTILE, summary="<script>x</script>",
                                     confidential=False, due="12月1日", light="🟡 剩 1 天")
    assert _safe(sent)
    assert _safe(notify.reminders.acked(sent=sent, taker="<script>张</script>&", at="12月1日 09:00", yours=False))


def test_reminder_reads_as_before():
    sent = notify.reminders.reminder(step="到期提醒", number="2026-0012", type="邻里纠纷", summary="噪音扰民",
                                     confidential=False, due="12月1日 17:30", light="🟡 剩 1 个工作日")
    assert sent == ("到期提醒：事项 2026-0012\n邻里纠纷｜噪音扰民\n期限：12月1日 17:30（🟡 剩 1 个工作日）\n"
                    "请抓紧办理；确需延期请申请，办结后请在卡片上点「办结」。")
    assert (notify.reminders.acked(sent="提醒", taker="张三", at="12月1日 09:00", yours=False)
            == "提醒\n\n✅ 已由 张三 于 12月1日 09:00 确认收到。")
    assert notify.reminders.acked(sent="提醒", taker="张三", at="12月1日 09:00", yours=True) == "提醒\n\n✅ 您已确认（12月1日 09:00）。"
