"""What people type never breaks an HTML message, through the real bot (the service side is
tests/services/test_html_safety.py): a name the rules refuse is explained, not lost."""

from sqlmodel import select

from models import Village
from tests.bot.harness import press, say


async def test_a_refused_place_name_is_explained(bot, director):
    msg = await say(director, "/admin")
    msg = await press(director, msg, "🏘 村（社区）与网格")
    await director.press(msg, "➕ 新增村（社区）")
    await director.wait_for_message()
    # the refusal quotes "< > &": sent unescaped, Telegram would refuse the explanation itself
    answer = await say(director, "东山<村")
    assert "不能包含 < > & 符号" in answer.plain_text and "请重新输入" in answer.plain_text
    assert "已保存：南湖村" in (await say(director, "南湖村")).plain_text
    with bot.db.session() as s:
        assert [v.name for v in s.exec(select(Village))] == ["南湖村"]
