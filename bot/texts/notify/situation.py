"""Notifications of 社会治安形势分析 (bot/services/situation.py). Everything typed is escaped here."""

from bot.texts.markup import escape


def asked(*, title: str) -> str:
    return f"📊 【请报送形势分析】{escape(title)}：机器人已填好基本情况的数字，请补写分析、措施和下步工作后报送党委。"


def reminded(*, title: str) -> str:
    return f"📊 【形势分析未报送】{escape(title)} 还没有报送党委，请补全后报送。"


def submitted(*, report: str) -> str:
    """As the party committee receives it (plain text as written: "<30人" must not be read as a tag)."""
    return escape(report)
