import pytest

from tests.bot.harness import DIRECTOR_ID, BotHarness, say


@pytest.fixture
async def bot(db_url, clock):
    harness = BotHarness(db_url=db_url, clock=clock)
    await harness.start()
    yield harness
    await harness.stop()


@pytest.fixture
async def director(bot):
    """The bootstrap director, registered by their first /start."""
    user = bot.user(DIRECTOR_ID, "志强", last_name="王")
    reply = await say(user, "/start")
    assert "中心主任" in reply.plain_text
    return user
