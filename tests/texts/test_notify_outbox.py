"""notify.outbox: the admins' alerts about undelivered messages; names and errors are escaped and
the undelivered message is shown as plain text."""

import re

from bot.texts import notify

HOSTILE = '<b>&"x'


def _safe(html: str) -> bool:
    """No tag and no bare ampersand (the templates have no tags of their own)."""
    return "<" not in html and ">" not in html and not re.search(r"&(?!(?:lt|gt|amp);)", html)


def test_typed_values_are_escaped():
    who = dict(name="<script>张</script>", phone=HOSTILE, chat_id=5)
    texts = [
        notify.outbox.blocked(**who, text=HOSTILE),
        notify.outbox.unreachable(**who, error=HOSTILE, text="<b>a &amp; b</b>"),
        notify.outbox.dead(attempts=8, **who, error=HOSTILE, text=HOSTILE),
    ]
    assert all(_safe(t) for t in texts), texts


def test_alerts_read_as_before():
    assert (notify.outbox.blocked(name="张三", phone="13800000000", chat_id=5, text="<b>事项</b> a &amp; b")
            == "⚠️ 张三（电话 13800000000） 已屏蔽机器人，消息无法送达，请电话联系。\n未送达的消息：\n事项 a &amp; b")
    assert (notify.outbox.unreachable(name=None, phone=None, chat_id=5, error="Forbidden: user is deactivated",
                                      text="你好")
            == "⚠️ 聊天 5 无法接收机器人消息（Forbidden: user is deactivated），请电话联系。\n未送达的消息：\n你好")
    assert (notify.outbox.dead(attempts=8, name="张三", phone=None, chat_id=5, error="x" * 250, text="y" * 400)
            == "⚠️ 一条通知发送 8 次仍失败，已停止重试，请人工处理。\n收件人：张三\n原因：" + "x" * 200
            + "\n消息：\n" + "y" * 299 + "…")
