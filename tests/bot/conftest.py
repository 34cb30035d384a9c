import pytest

from tests.bot.harness import DIRECTOR_ID, BotHarness, say
from tests.bot.towns import Center, Office, card_town
from tests.factories import Township


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


@pytest.fixture
async def office(bot) -> Office:
    """The 督办 tests' township: everyone has said hello, a case is assigned to 镇司法所."""
    o = Office(bot)
    await o.open()
    return o


@pytest.fixture
async def center(bot) -> Center:
    """The /supervise tests' township, greeted; the case's own notifications delivered, so they do
    not arrive mid-step."""
    c = Center(bot)
    await c.greet()
    await c.delivered()
    return c


@pytest.fixture
async def town(bot) -> Township:
    """The township on the bot's database, everyone an emulated user (tests/bot/towns.py)."""
    return card_town(bot)
