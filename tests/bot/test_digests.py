"""The 08:30 digest through the chat: it arrives on a working morning with buttons that open the
cases, not on a weekend, not twice after a restart; 「不再接收」 and /settings switch it off and on."""

import pytest
from sqlmodel import select

from bot.sweeps import sweep_all
from models import DigestOptOut
from tests.bot.harness import BotHarness
from tests.bot.steps import has, local, tap
from tests.bot.towns import card_town

DIGEST = "📰 每日晨报"


@pytest.fixture
async def bot(db_url, clock):
    harness = BotHarness(db_url=db_url, clock=clock, digests=True)
    await harness.start()
    yield harness
    await harness.stop()


def digests_seen(user) -> list:
    return [m for m in user.messages() if (m.plain_text or "").startswith(DIGEST)]


async def morning(bot, town, moment) -> None:
    """The scheduler's sweep at `moment`, and everything it queued delivered."""
    bot.clock.set(moment)
    await sweep_all(bot.app)
    await town.delivered()


async def test_the_digest_arrives_at_0830_once_with_buttons_and_can_be_switched_off_and_on(bot):
    town = card_town(bot)
    director, leader = town.user(1), town.user(3)
    await town.greet(1, 3)
    ref = town.running_case()  # Monday 30 Nov 09:00
    await town.delivered()

    await morning(bot, town, local(2026, 12, 1, 8, 29))  # Tuesday, a minute early
    assert digests_seen(director) == []
    await morning(bot, town, local(2026, 12, 1, 8, 30))
    [digest] = digests_seen(director)
    assert "12月1日（星期二）" in digest.plain_text and "🆕 新增事项 1 件" in digest.plain_text
    assert ref.number in digest.plain_text and f"🆕{ref.number}" in digest.buttons
    assert digest.buttons[-1] == "🔕 不再接收每日晨报"
    assert len(digests_seen(leader)) == 1
    card = await tap(director, digest, f"🆕{ref.number}", f"📋 事项 {ref.number}")
    assert "状态：已分派" in card.plain_text

    # A restart after 08:30 and the sweep again: nothing twice.
    await bot.restart()
    await morning(bot, town, local(2026, 12, 1, 9, 0))
    assert len(digests_seen(director)) == 1 and len(digests_seen(leader)) == 1

    # 不再接收 under the digest: the next working morning the director gets none, the leader does.
    off = await tap(director, digest, "🔕 不再接收每日晨报", "已关闭每日晨报")
    assert off.buttons == ["🔔 重新开启每日晨报"]
    await morning(bot, town, local(2026, 12, 2, 8, 30))
    assert len(digests_seen(director)) == 1 and len(digests_seen(leader)) == 2

    # Not on a weekend.
    await morning(bot, town, local(2026, 12, 5, 9, 0))
    assert len(digests_seen(leader)) == 2

    # /settings shows it off; 开启 turns it on, and the next working morning it comes again.
    await director.send_text("/settings")
    settings = await director.wait_for_message(predicate=has("推送设置"))
    assert settings.buttons == ["🔔 开启每日晨报", "🔕 关闭每周简报", "🔕 关闭月度材料"]
    settings = await tap(director, settings, "🔔 开启每日晨报", "推送设置")
    assert settings.buttons == ["🔕 关闭每日晨报", "🔕 关闭每周简报", "🔕 关闭月度材料"]
    with bot.db.session() as s:
        assert s.exec(select(DigestOptOut)).all() == []
    await morning(bot, town, local(2026, 12, 7, 8, 30))  # Monday: the 晨报 and the 周报
    assert len(digests_seen(director)) == 2
    assert any("🗓 每周简报 · 11月30日—12月6日" in (m.plain_text or "") for m in director.messages())


async def test_settings_for_someone_without_digests_and_a_forged_switch(bot):
    town = card_town(bot)
    staff = town.user(4)
    await town.greet(4)
    await staff.send_text("/settings")
    answer = await staff.wait_for_message(predicate=has("没有定时推送"))
    assert answer.buttons == []
    await staff.press(answer, data="dg:off:daily")
    reply = await staff.wait_for_callback_answer(await staff.press(answer, data="dg:off:weekly"))
    assert "不接收" in (reply.text or "")
    with bot.db.session() as s:
        assert s.exec(select(DigestOptOut)).all() == []
