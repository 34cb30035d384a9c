"""工作联系点 through the real bot: 刘领导 (3), 东山村's contact point, records a 督导 with a problem by
buttons and typing; 王主任 (1) gets the problem and answers it; 刘领导 hears the answer. A sticker where
text is wanted, a forged day, someone who is not the village's contact point and a grid worker are
answered and lose nothing.

Town (tests/factories.PEOPLE): 王主任 (1) director, 刘领导 (3) leader and 东山村's contact point, 孙丽 (4)
staff, 张网格 (6) grid."""

from datetime import date

import pytest

from bot.services import focus_areas
from tests.bot.steps import has, local, sticker, tap, toast, type_in
from tests.bot.towns import card_town
from tests.factories import POLICY

DIRECTOR, LEADER, STAFF, GRID = 1, 3, 4, 6
NOW = local(2026, 12, 4, 10, 0)  # a Friday


@pytest.fixture
async def town(bot):
    bot.clock.set(NOW)
    town = card_town(bot)
    await town.greet()
    return town


async def test_a_contact_point_records_a_visit_and_the_director_answers_its_problem(bot, town):
    director, leader = town.users[DIRECTOR], town.users[LEADER]
    listing = await type_in(leader, "/contact", "工作联系点", "东山村（刘领导）：尚无记录")
    page = await tap(leader, listing, "东山村", "东山村 工作联系点：刘领导", "还没有工作记录")
    ask = await tap(leader, page, "➕ 记录联系点工作", "东山村：记录哪项工作")
    days = await tap(leader, ask, "督导检查", "哪天做的")
    assert days.buttons[:3] == ["今天", "昨天", "12月2日"] and len(days.buttons) == 8
    # a day more than a week ago cannot be forged in
    assert "按钮已失效" in await toast(leader, days, data=f"cp:d:{date(2026, 11, 20).isoformat()}")
    await tap(leader, days, "昨天", "督导检查（12月3日）：请写明做了什么")
    assert "请直接输入文字" in (await sticker(leader)).plain_text
    await type_in(leader, "好", "请写明做了什么（2–500 字）")
    await type_in(leader, "检查村治保会值班和巡逻记录，走访两户纠纷当事人", "有需要中心协调解决的问题吗")
    saved = await type_in(leader, "两户宅基地界址不清，需镇国土所测量", "已记录：东山村 12月3日 督导检查",
                          "问题已报主任")
    assert "❓ 问题：两户宅基地界址不清" in saved.plain_text and "（待主任答复）" in saved.plain_text
    await bot.drain_outbox()
    told = await director.wait_for_message(predicate=lambda m: "联系点反映问题" in (m.plain_text or ""))
    await tap(director, told, "✍️ 答复问题", "答复 东山村 联系点反映的问题")
    await type_in(director, "已协调国土所下周二上午测量", "已答复")
    await bot.drain_outbox()
    heard = await leader.wait_for_message(predicate=lambda m: "问题已答复" in (m.plain_text or ""))
    assert "已协调国土所下周二上午测量" in heard.plain_text
    # answered once: the old button says so
    assert "已经答复过了" in await toast(director, told, "✍️ 答复问题")
    listing = await type_in(director, "/contact", "东山村（刘领导）：最近 12月3日")
    assert "待答复" not in listing.plain_text


async def test_without_a_problem_and_for_the_wrong_people(bot, town):
    leader, staff, grid = town.users[LEADER], town.users[STAFF], town.users[GRID]
    listing = await type_in(leader, "/contact", "东山村")
    page = await tap(leader, listing, "东山村", "东山村 工作联系点")
    ask = await tap(leader, page, "➕ 记录联系点工作", "记录哪项工作")
    days = await tap(leader, ask, "参加村例会", "哪天做的")
    await tap(leader, days, "今天", "请写明做了什么")
    question = await type_in(leader, "参加东山村综治工作例会，分析本月矛盾纠纷", "有需要中心协调解决的问题吗")
    page = await tap(leader, question, "没有问题", "已记录：东山村 12月4日 参加村例会")
    assert "❓" not in page.plain_text
    # staff read every village, but only its contact point records
    listing = await type_in(staff, "/contact", "东山村（刘领导）：最近 12月4日")
    shown = await tap(staff, listing, "东山村", "参加东山村综治工作例会")
    assert "➕ 记录联系点工作" not in shown.buttons
    assert "不是这个村（社区）的联系点" in await toast(staff, shown, data=f"cp:n:{town.village.id}")
    await type_in(grid, "/contact", "只对中心人员和各村（社区）的联系点领导开放")


async def test_a_villages_page_shows_the_recent_work_short_with_the_focus_checks(bot, town):
    """Records and the contact point's 重点整治 督促检查, newest first, each text cut at 40 characters."""
    leader, staff = town.users[LEADER], town.users[STAFF]
    listed = bot.db.call(focus_areas.list_village, actor_id=town.director, village_id=town.village.id,
                         problem="夜间盗窃多发", due_date=date(2027, 3, 1), now=NOW, policy=POLICY)
    bot.db.call(focus_areas.record_check, actor_id=town.leader, area_id=listed.area_id,
                text="夜间随派出所巡逻，查看村口和主干道监控，督促村治保会落实值班", now=local(2026, 12, 3, 20, 0))
    long = "走访东山村三组、四组，了解宅基地纠纷双方诉求，向双方讲解相关政策，约定下周由村调委会组织调解，并请司法所派员参加"
    # the listing's notification first, so that it cannot pass for the answer to /contact
    await bot.drain_outbox()
    await leader.wait_for_message(predicate=has("列为社会治安重点整治区域"))
    listing = await type_in(leader, "/contact", "工作联系点（点村名查看记录", "东山村")
    page = await tap(leader, listing, "东山村", "东山村 工作联系点")
    ask = await tap(leader, page, "➕ 记录联系点工作", "记录哪项工作")
    days = await tap(leader, ask, "走访了解", "哪天做的")
    await tap(leader, days, "今天", "请写明做了什么")
    question = await type_in(leader, long, "有需要中心协调解决的问题吗")
    await tap(leader, question, "没有问题", "已记录：东山村 12月4日 走访了解")
    listing = await type_in(staff, "/contact", "东山村（刘领导）：最近 12月4日")
    shown = await tap(staff, listing, "东山村", "共 1 条工作记录，最近的工作：")
    text = shown.plain_text
    assert long[:40] + "…" in text and long not in text
    assert text.index("12月4日 走访了解 · 刘领导") < text.index("12月3日 重点整治督促检查 · 刘领导")
    assert "夜间随派出所巡逻，查看村口和主干道监控，督促村治保会落实值班" in text  # 31 characters: whole
