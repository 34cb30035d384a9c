"""The admins' alerts about messages the outbox could not deliver (bot/services/outbox.py)."""

import html
import re

from bot.texts.markup import escape

BLOCKED_ALERT = "⚠️ {name}{phone} 已屏蔽机器人，消息无法送达，请电话联系。\n未送达的消息：\n{excerpt}"
UNREACHABLE_ALERT = "⚠️ {name}{phone} 无法接收机器人消息（{error}），请电话联系。\n未送达的消息：\n{excerpt}"
DEAD_ALERT = (
    "⚠️ 一条通知发送 {attempts} 次仍失败，已停止重试，请人工处理。\n"
    "收件人：{name}{phone}\n原因：{error}\n消息：\n{excerpt}"
)
PHONE = "（电话 {phone}）"
UNKNOWN_RECIPIENT = "聊天 {chat_id}"

EXCERPT_CHARS = 300  # of the undelivered message, to read out on the phone
_TAG_RE = re.compile(r"<[^>]*>")


def blocked(*, name: str | None, phone: str | None, chat_id: int, text: str) -> str:
    """The person (`name` None: nobody known for `chat_id`) blocked the bot; `text` is what was not delivered."""
    return BLOCKED_ALERT.format(**_who(name, phone, chat_id), excerpt=_excerpt(text))


def unreachable(*, name: str | None, phone: str | None, chat_id: int, error: str, text: str) -> str:
    """The person cannot receive from the bot (Telegram's `error`)."""
    return UNREACHABLE_ALERT.format(**_who(name, phone, chat_id), error=escape(error), excerpt=_excerpt(text))


def dead(*, attempts: int, name: str | None, phone: str | None, chat_id: int, error: str, text: str) -> str:
    """A message given up after `attempts` tries (the first 200 characters of `error` are shown)."""
    return DEAD_ALERT.format(attempts=attempts, **_who(name, phone, chat_id), error=escape(error[:200]),
                             excerpt=_excerpt(text))


def _who(name: str | None, phone: str | None, chat_id: int) -> dict:
    if name is None:
        return {"name": UNKNOWN_RECIPIENT.format(chat_id=chat_id), "phone": ""}
    return {"name": escape(name), "phone": PHONE.format(phone=escape(phone)) if phone else ""}


def _excerpt(text: str) -> str:
    """The undelivered message (HTML) as plain text, short enough to read out on the phone."""
    plain = html.unescape(_TAG_RE.sub("", text)).strip()
    if len(plain) > EXCERPT_CHARS:
        plain = plain[: EXCERPT_CHARS - 1] + "…"
    return escape(plain)
