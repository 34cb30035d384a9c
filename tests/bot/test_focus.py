"""社会治安重点整治区域 through the real bot (工作联系点制度 二.6): the director lists 东山村 from /focus
(village by button, the 突出问题 typed, the 整治期限 by a working-day button) across a restart; the
contact-point leader and the village head are told with a button; the leader records the 整治方案
with its 责任人 by button, and a 督促检查, shown on the card; a staff member's forged 方案 button, a
unit's /focus and a stale button on a closed area are answered; the director closes it (摘帽); a
missing 方案 is chased by the sweep in working hours.

Town (tests/factories.PEOPLE): 王主任 (1) director, 刘领导 (3) 东山村's contact point, 孙丽 (4) staff,
张网格 (6) grid worker, 老李 (7) 镇司法所's contact; 何村长 (12) 东山村's head. The clock: Monday
2026-11-30 09:00."""

from datetime import date

import pytest
from sqlmodel import select

from bot import texts
from bot.callbacks import FocusDue, FocusOpen, FocusPlan
from bot.services import people
from handlers.menus import commands_for
from models import FocusArea, FocusStatus, Person, Role
from tests.bot.steps import has, local, sweep_at, tap, toast, type_in
from tests.bot.towns import card_town

DIRECTOR, LEADER, STAFF, UNIT, HEAD = 1, 3, 4, 7, 12


@pytest.fixture
async def town(bot):
    bot.clock.set(local(2026, 11, 30, 9, 0))
    town = card_town(bot)
    with bot.db.session() as s:
        people.create_person(s, name="何村长", phone=None, roles={Role.unit}, telegram_id=HEAD, now=bot.clock.now(),
                             village_id=town.village.id)
    town.with_users(bot, {HEAD: "何村长"})
    await town.greet()
    return town


def area_count(bot) -> int:
    with bot.db.session() as s:
        return len(s.exec(select(FocusArea)).all())


def area_row(bot) -> FocusArea:
    with bot.db.session() as s:
        return s.exec(select(FocusArea)).one()


async def list_dongshan(bot, town, *, restart: bool = False):
    boss = town.users[DIRECTOR]
    listing = await type_in(boss, "/focus", "目前没有列为重点整治区域")
    villages = await tap(boss, listing, "➕ 列入重点整治区域", "请选择村（社区）")
    assert villages.buttons == ["东山村（0）"]
    await tap(boss, villages, "东山村（0）", "突出问题是什么")
    await type_in(boss, "乱", "2–300 字")  # too short: asked again, nothing lost
    due = await type_in(boss, "夜间聚众赌博多发，盗窃电动车案件较多", "请选择整治期限")
    assert due.buttons[0] == "+20个工作日 · 12月28日 周一" and len(due.buttons) == 3
    if restart:
        await bot.restart()  # in the middle: the village and the problem are in the persisted user_data
        boss = town.users[DIRECTOR] = bot.user(DIRECTOR, "王主任")
    await type_in(boss, "下个月吧", "没有看懂这个日期")
    await type_in(boss, "2026-11-30", "晚于今天")  # today: choose again
    card = await tap(boss, due, due.buttons[0], "已将东山村列为重点整治区域")
    assert "整治期限 2026年12月28日" in card.plain_text and "共 2 位" in card.plain_text
    # a step's button once the listing is done: old, answered as such (handlers/fallback.py)
    assert await toast(boss, due, data=FocusDue(date(2027, 1, 25)).pack()) == texts.STALE_BUTTON
    assert "突出问题：夜间聚众赌博多发" in card.plain_text and "整治方案：尚未制定" in card.plain_text
    await bot.drain_outbox()
    return card


async def test_listing_plan_check_and_close(bot, town):
    await list_dongshan(bot, town, restart=True)
    leader, head, staff, unit, boss = (town.users[i] for i in (LEADER, HEAD, STAFF, UNIT, DIRECTOR))
    told = await leader.wait_for_message(predicate=has("东山村已被王主任列为社会治安重点整治区域"))
    await head.wait_for_message(predicate=has("东山村已被王主任列为社会治安重点整治区域"))
    card = await tap(leader, told, "查看整治区域", "社会治安重点整治区域", "联系点领导：刘领导")
    assert card.buttons == ["📝 整治方案", "🔍 记录检查"]

    await tap(leader, card, "📝 整治方案", "请写明整治方案")
    who = await type_in(leader, "召集村两委、派出所和网格员，每晚联合巡逻，清理赌博窝点", "谁是整治责任人")
    assert sorted(who.buttons) == sorted(["何村长", "张网格", "刘领导"])
    await tap(leader, who, "何村长", "已记录东山村的整治方案，责任人：何村长")
    await head.wait_for_message(predicate=has("整治方案已由刘领导记录"))

    await tap(leader, card, "🔍 记录检查", "这次督促检查的情况")
    await leader.send_sticker()  # a wrong type: told, the step stays
    await leader.wait_for_message(predicate=has("请按提示输入文字"))
    await type_in(leader, "/cancel", "已取消，没有保存")  # nothing saved: the next check is the 1st
    await tap(leader, card, "🔍 记录检查", "这次督促检查的情况")
    checked = await type_in(leader, "到村查看巡逻记录，赌博窝点已清理两处", "已记录督促检查（第 1 次）")
    assert "2026年11月30日 刘领导：到村查看巡逻记录" in checked.plain_text
    assert "责任人：何村长" in checked.plain_text

    # A staff member who is not 东山村's contact point, forging the 方案 button: refused, nothing asked
    refused = await toast(staff, card, data=FocusPlan(area_row(bot).id).pack())
    assert "只有本村（社区）的联系点领导或中心主任可以记录整治方案" in refused
    # the village head sees the card without buttons; a unit's contact does not see /focus at all
    listing = await type_in(head, "/focus", "社会治安重点整治区域（整治中）")
    assert listing.buttons == ["🟢东山村 · 夜间聚众赌博多发，盗窃电动车案件较多"]  # no 列入 for a head
    shown = await tap(head, listing, listing.buttons[0], "检查记录：")
    assert shown.buttons == []
    await type_in(unit, "/focus", "本村（社区）负责人可以查看")

    boss_card = await type_in(boss, "/focus", "社会治安重点整治区域（整治中）")
    opened = await tap(boss, boss_card, boss_card.buttons[0], "检查记录：")
    assert opened.buttons == ["📝 整治方案", "🔍 记录检查", "✅ 摘帽", "⏳ 延期"]
    await tap(boss, opened, "✅ 摘帽", "请写明整治成效")
    await type_in(boss, "两个月未发生赌博警情，电动车被盗下降八成", "东山村已摘帽")
    assert area_row(bot).status == FocusStatus.closed
    await bot.drain_outbox()
    await leader.wait_for_message(predicate=has("东山村重点整治区域已摘帽", "成效：两个月未发生赌博警情"))
    assert "东山村已摘帽，不能再修改" in await toast(leader, card, "🔍 记录检查")  # the old card's button


async def test_a_missing_plan_is_chased_in_working_hours(bot, town):
    await list_dongshan(bot, town)
    leader, boss = town.users[LEADER], town.users[DIRECTOR]
    await sweep_at(bot, local(2026, 12, 5, 10))  # Saturday: nothing
    await sweep_at(bot, local(2026, 12, 8, 9))  # the 5 working days are over
    chase = await leader.wait_for_message(predicate=has("还没有整治方案"))
    assert chase.buttons == ["查看整治区域"]
    await boss.wait_for_message(predicate=has("东山村列为重点整治区域已 5 个工作日"))
    card = await tap(leader, chase, "查看整治区域", "整治方案：尚未制定")
    assert "🟡" not in card.plain_text and "🟢" in card.plain_text


async def test_a_forged_area_id_is_answered(bot, town):
    await list_dongshan(bot, town)
    staff = town.users[STAFF]
    listing = await type_in(staff, "/focus", "社会治安重点整治区域（整治中）")
    assert "➕ 列入重点整治区域" not in listing.buttons  # staff look; the director and leaders list
    assert "没有找到这个重点整治区域" in await toast(staff, listing, data=FocusOpen(999).pack())


async def test_the_menu_offers_focus_to_the_center_and_village_heads_only(bot, town):
    with bot.db.session() as s:
        by_tid = {p.telegram_id: people.get(s, person_id=p.id) for p in s.exec(select(Person))}
    shown = {tid for tid, view in by_tid.items() if "focus" in dict(commands_for(view))}
    assert shown == {DIRECTOR, LEADER, STAFF, 5, HEAD}  # not the secretary, grid workers nor 镇司法所's 老李


async def test_the_village_card_under_admin_shows_the_listing(bot, town):
    await list_dongshan(bot, town)
    boss = town.users[DIRECTOR]
    menu = await type_in(boss, "/admin", "系统管理")
    villages = await tap(boss, menu, "🏘 村（社区）与网格", "村（社区）共 1 个")
    card = await tap(boss, villages, "东山村", "🏘 东山村（村）")
    assert "🎯 重点整治区域：夜间聚众赌博多发，盗窃电动车案件较多" in card.plain_text
    await tap(boss, card, "🎯 查看整治区域", "社会治安重点整治区域", "整治期限：2026年12月28日")


async def test_a_deadline_typed_on_a_weekend_is_refused_and_the_friday_before_one_press_away(bot, town):
    boss = town.users[DIRECTOR]
    listing = await type_in(boss, "/focus", "目前没有列为重点整治区域")
    villages = await tap(boss, listing, "➕ 列入重点整治区域", "请选择村（社区）")
    await tap(boss, villages, "东山村（0）", "突出问题是什么")
    await type_in(boss, "夜间聚众赌博多发", "请选择整治期限")
    refused = await type_in(boss, "2026-12-26", "2026年12月26日是节假日或周末", "可改为 2026年12月25日")
    assert refused.buttons == ["改为 2026年12月25日"]
    assert area_count(bot) == 0
    card = await tap(boss, refused, "改为 2026年12月25日", "已将东山村列为重点整治区域，整治期限 2026年12月25日")
    assert area_row(bot).due_at == local(2026, 12, 25, 17, 30)
    await tap(boss, card, "⏳ 延期", "延期：请写明理由")
    await type_in(boss, "涉及派出所、市场监管所多部门联合整治", "现在的期限是 2026年12月25日")
    refused = await type_in(boss, "2027-01-09", "2027年1月9日是节假日或周末", "可改为 2027年1月8日")
    await tap(boss, refused, "改为 2027年1月8日", "整治期限已延长至 2027年1月8日")


async def test_the_director_extends_once_in_chat(bot, town):
    card = await list_dongshan(bot, town)
    boss, leader = town.users[DIRECTOR], town.users[LEADER]
    await tap(boss, card, "⏳ 延期", "延期：请写明理由")
    await type_in(boss, "好", "2–300 字")
    due = await type_in(boss, "涉及派出所、市场监管所多部门联合整治", "现在的期限是 2026年12月28日")
    await type_in(boss, "2026-12-20", "应晚于现在的期限（2026年12月28日）")  # earlier: choose again
    extended = await tap(boss, due, due.buttons[1], "整治期限已延长至 2027年1月")
    assert "已延期一次：涉及派出所、市场监管所多部门联合整治" in extended.plain_text
    assert "⏳ 延期" not in extended.buttons  # once only
    await bot.drain_outbox()
    await leader.wait_for_message(predicate=has("东山村重点整治期限已由王主任延长至 2027年1月"))
    assert "延长过一次" in await toast(boss, card, "⏳ 延期")  # the old card's button
