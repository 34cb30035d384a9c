"""排查 returns through the real bot (issue 16): a grid worker files a 零报告 (a second press changes
nothing) or an item through /report (the case is marked as found by 排查, across a restart in the
middle of the report); the center sees 已报 n/m with the missing villages and grid workers by name and
chases them with one press; a unit contact is refused; forged buttons are answered; the sweep reminds
the day before and on the due day and then tells the contact-point leader, across a holiday and a
restart; the director opens a 集中排查 for chosen villages and switches daily returns on and off.

Town: 东山村 (张网格, id 6; contact point 刘领导, id 3) and 西河村 (李网格, id 8; no contact point);
孙丽 (4) is staff, 王主任 (1) the director, 老李 (7) a unit contact. Dates: 2026-12-04 is a Friday; the
period due 12月14日 (a Monday) started 12月1日 (the one due 11月28日, a Saturday, moved to 11月30日)."""

from datetime import date

import pytest
from sqlmodel import select

from bot.services import paicha_counts
from models import CalendarDay, Case, PaichaPeriod, PaichaReturn, Person
from models.paicha import PaichaItem
from tests.bot.harness import press, say
from tests.bot.steps import local, open_card, sweep_at, tap, toast, type_in
from tests.bot.towns import NAMES
from tests.factories import Township

DIRECTOR, LEADER, STAFF, GRID, UNIT, GRID2 = 1, 3, 4, 6, 7, 8


@pytest.fixture
async def town(bot):
    bot.clock.set(local(2026, 12, 4, 9, 0))
    town = Township.build(bot.db, bot.clock, second_village=True)
    with bot.db.session() as s:  # 李网格 looks after 西河村
        li = s.get(Person, town.other_grid)
        li.village_id, li.grid_id = town.village2.id, town.grid2.id
        s.add(li)
    town.with_users(bot, NAMES, greeting=("/start", "您好"))
    await town.greet()
    return town


def messages(bot, user, *parts: str) -> list:
    return [m for m in bot.emu.world.chat_messages(user.id) if m.from_bot
            and all(p in (m.plain_text or "") for p in parts)]


async def inbox(bot, user, *parts: str, timeout: float = 5.0):
    def found():
        hits = messages(bot, user, *parts)
        return hits[-1] if hits else None

    return await bot.emu.world.wait_until(found, timeout)


def period_id(bot, due: date) -> int:
    with bot.db.session() as s:
        return s.exec(select(PaichaPeriod.id).where(PaichaPeriod.due_day == due)).first()


async def report_item(bot, user, start_message, *, village: str, restart_at_description: bool = False):
    """「报送排查事项」 → the /report steps → 提交; returns the final message."""
    msg = await press(user, start_message, "报送排查事项（12月14日）")
    assert "矛盾纠纷" in msg.buttons, msg.plain_text
    msg = await press(user, msg, "矛盾纠纷")
    msg = await press(user, msg, "邻里纠纷")
    msg = await press(user, msg, "一般")
    await user.press(msg, f"使用 {village} 第一网格")
    await user.wait_for_message(predicate=lambda m: "事发地点" in (m.plain_text or ""))
    await user.send_text("三组桥头")
    msg = await user.wait_for_message(predicate=lambda m: "什么时候发生" in (m.plain_text or ""))
    msg = await press(user, msg, "刚刚")
    msg = await press(user, msg, "跳过")
    msg = await press(user, msg, "2")
    if restart_at_description:
        await bot.restart()
        user = bot.user(user.id)
    msg = await type_in(user, "两户因排水沟走向争吵，已劝开", "附件")
    summary = await press(user, msg, "完成")
    return user, await tap(user, summary, "✅ 提交", "已记入矛盾纠纷排查")


async def test_zero_report_item_status_chase_and_refusals(bot, town):
    users = town.users
    zhang, li, staff, unit = users[GRID], users[GRID2], users[STAFF], users[UNIT]

    home = await type_in(zhang, "/paicha", "排查报送（东山村）")
    assert "矛盾纠纷排查：12月1日—12月14日截止，未报" in home.plain_text
    assert home.buttons == ["报送排查事项（12月14日）", "本期零报告（12月14日）"]
    done = await tap(zhang, home, "本期零报告（12月14日）", "已记录")
    assert "东山村 本期零报告" in done.plain_text
    # a second press (the same button, forged again) changes nothing and says so
    pid = period_id(bot, date(2026, 12, 14))
    again = await press(zhang, home, data=f"pc:z:{pid}")
    assert "本期已于 12月4日 09:00 由张网格报了零报告，无需重复报送" in again.plain_text
    with bot.db.session() as s:
        filed = s.exec(select(PaichaReturn).where(PaichaReturn.period_id == pid,
                                                  PaichaReturn.village_id == town.village.id)).one()
        assert filed.kind == "zero" and filed.filed_by_id == town.grid_worker

    # the center: 已报 1/2, 西河村 missing with its grid worker by name
    center = await type_in(staff, "/paicha", "排查报送情况")
    assert "矛盾纠纷排查（12月1日—12月14日截止）：已报 1/2" in center.plain_text
    st = await tap(staff, center, "查看 矛盾纠纷排查（12月14日）", "已报 1/2")
    assert "· 西河村（网格员：李网格）" in st.plain_text and "东山村（" not in st.plain_text
    assert "零报告 1" in st.plain_text
    chased = await tap(staff, st, "一键催报未报（1）", "已催报 1 人")
    await bot.drain_outbox()
    chase = await inbox(bot, li, "【催报】孙丽提醒", "西河村还未报送")
    assert "本期零报告（12月14日）" in chase.buttons
    assert not messages(bot, zhang, "【催报】")  # 东山村 has returned
    # a double press within the minute sends nothing more
    await tap(staff, chased, "一键催报未报（1）", "刚刚已催报过")
    await bot.drain_outbox()
    assert len(messages(bot, li, "【催报】")) == 1

    # 李网格 files an item through the report flow, a restart in the middle of it
    li, done = await report_item(bot, li, chase, village="西河村", restart_at_description=True)
    assert "2026-0001" in done.plain_text and "西河村 本期排查事项" in done.plain_text
    with bot.db.session() as s:
        case = s.exec(select(Case)).one()
        link = s.get(PaichaItem, case.id)
        ret = s.get(PaichaReturn, link.return_id)
        assert ret.village_id == town.village2.id and ret.kind == "items" and ret.period_id == pid
    card = await open_card(staff, "2026-0001")
    assert "网格员上报（排查发现）" in card.plain_text
    st = await tap(staff, st, "刷新", "已报 2/2")
    assert "全部已报" in st.plain_text and "发现事项 1 件" in st.plain_text
    # 张网格 may still report a later find after his 零报告: the return becomes 报送事项
    home = await type_in(zhang, "/paicha", "排查报送（东山村）")
    assert "已报零报告" in home.plain_text and home.buttons == ["报送排查事项（12月14日）"]

    # /stats this month: 2 returns due (both filed on the 4日), 1 零报告, 1 item found
    director = users[DIRECTOR]
    periods = await say(director, "/stats")
    await director.press(periods, "本月")
    figures = await director.wait_for_message(timeout=20, predicate=lambda m: "化解率" in (m.plain_text or ""))
    assert "排查：应报 2，按期报送 2，零报告 1，发现事项 1" in figures.plain_text

    # refused: a unit contact, a forged period, a grid worker pressing the center's buttons
    assert "您没有权限" in (await say(unit, "/paicha")).plain_text
    assert "按钮已失效" in await toast(zhang, home, data="pc:z:99999")
    assert "您没有权限" in await toast(zhang, home, data=f"pc:c:{pid}")
    assert "按钮已失效" in await toast(staff, st, data="pc:s:99999")
    assert "您没有权限" in await toast(staff, st, data="pc:so:holiday")
    assert "按钮已失效" in await toast(zhang, home, data="pc:z:01")  # not a code this bot packs
    with bot.db.session() as s:  # nothing the refusals touched changed
        assert s.exec(select(PaichaReturn).where(PaichaReturn.period_id == pid,
                                                 PaichaReturn.kind.is_(None))).all() == []


async def test_reminders_day_before_due_day_and_leader_across_a_holiday_and_a_restart(bot, town):
    users = town.users
    zhang, li, leader = users[GRID], users[GRID2], users[LEADER]
    # the center declares 12月14日 and 15日 non-working (an admin override of the official calendar):
    # the period is due Wednesday 16日, the day before is Friday 11日 (the 12日–15日 are off)
    with bot.db.session() as s:
        s.add(CalendarDay(day=date(2026, 12, 14), workday=False, note="测试", set_at=bot.clock.now()))
        s.add(CalendarDay(day=date(2026, 12, 15), workday=False, note="测试", set_at=bot.clock.now()))
    await sweep_at(bot, local(2026, 12, 4, 9, 30))
    pid = period_id(bot, date(2026, 12, 16))
    assert pid is not None
    home = await type_in(zhang, "/paicha", "排查报送（东山村）")
    await tap(zhang, home, "本期零报告（12月16日）", "已记录")

    await sweep_at(bot, local(2026, 12, 10, 9, 30))  # Thursday: nothing yet
    assert not messages(bot, li, "【排查提醒】")
    await sweep_at(bot, local(2026, 12, 11, 8, 59))  # before 09:00: nothing yet
    assert not messages(bot, li, "【排查提醒】")
    await sweep_at(bot, local(2026, 12, 11, 9, 0))
    await inbox(bot, li, "【排查提醒】矛盾纠纷排查明天（12月16日）截止，西河村还未报送")
    assert not messages(bot, zhang, "【排查提醒】")  # 东山村 returned
    await bot.restart()
    await sweep_at(bot, local(2026, 12, 11, 10, 0))  # after a restart: not twice
    assert len(messages(bot, li, "【排查提醒】")) == 1

    await sweep_at(bot, local(2026, 12, 16, 9, 0))
    await inbox(bot, li, "【排查提醒】矛盾纠纷排查今天（12月16日）截止")
    await sweep_at(bot, local(2026, 12, 16, 17, 0))
    assert len(messages(bot, li, "【排查提醒】")) == 2
    assert not messages(bot, leader, "【排查未报】")
    # the next working day: 西河村's contact point is told — but it has none; make 刘领导 its contact point
    from bot.services import people
    bot.db.call(people.toggle_contact_point, actor_id=town.director, person_id=town.leader,
                village_id=town.village2.id, now=bot.clock.now())
    await sweep_at(bot, local(2026, 12, 17, 9, 0))
    told = await inbox(bot, leader, "【排查未报】矛盾纠纷排查已于12月16日截止", "西河村")
    assert "东山村" not in told.plain_text
    await sweep_at(bot, local(2026, 12, 18, 9, 0))
    assert len(messages(bot, leader, "【排查未报】")) == 1
    # for the assessment: 西河村 missed one return due in December, 东山村 none
    assert bot.db.call(paicha_counts.missing_returns, start=date(2026, 12, 1), end=date(2026, 12, 31),
                       today=date(2026, 12, 18)) == {
        town.village.id: 0, town.village2.id: 1}


async def test_director_opens_a_campaign_and_daily_returns(bot, town):
    users = town.users
    director, zhang, li, staff = users[DIRECTOR], users[GRID], users[GRID2], users[STAFF]
    home = await type_in(director, "/paicha", "排查报送情况")
    assert "发起集中排查" in home.buttons
    # staff has no campaign buttons and a forged one is refused
    staff_home = await type_in(staff, "/paicha", "排查报送情况")
    assert "发起集中排查" not in staff_home.buttons
    assert "您没有权限" in await toast(staff, staff_home, data="pc:cn")
    assert "您没有权限" in await toast(zhang, staff_home, data="pc:co")
    # 发起 forged before any scope was chosen: refused, nothing opened
    assert "按钮已失效" in await toast(director, home, data="pc:co")
    due = await tap(director, home, "发起集中排查", "哪天截止")
    # 3 working days after Friday 4日: 7日, 8日, 9日
    scope = await tap(director, due, "3个工作日后（12月9日）", "范围")
    scope = await tap(director, scope, "西河村", "范围")
    assert "✅ 西河村" in scope.buttons
    await bot.restart()  # the draft (due day, chosen villages) is in the persisted user_data
    director = bot.user(DIRECTOR)
    preview = await tap(director, scope, "确定范围（已选 1 个村）", "【集中排查】")
    assert "12月4日—12月9日截止" in preview.plain_text and "范围：西河村（应报 1）" in preview.plain_text
    await tap(director, preview, "发起", "已发起集中排查（12月9日截止），应报 1，已通知网格员 1 人")
    await bot.drain_outbox()
    await inbox(bot, li, "【集中排查】12月4日—12月9日截止")
    assert not messages(bot, zhang, "【集中排查】")

    # 节日 daily returns: on, today's period for every village, then off
    home = await type_in(director, "/paicha", "排查报送情况")
    on = await tap(director, home, "开启节日每日排查", "已开启节日每日排查")
    assert "已通知网格员 2 人" in on.plain_text
    await bot.drain_outbox()
    await inbox(bot, zhang, "【节日每日排查】12月4日—12月4日截止")
    again = await press(director, home, data="pc:so:sensitive")
    assert "每日排查已在进行中" in again.plain_text
    # the next day a new daily period opens by the sweep
    await sweep_at(bot, local(2026, 12, 5, 9, 30))
    assert period_id(bot, date(2026, 12, 5)) is not None
    home = await type_in(zhang, "/paicha", "排查报送（东山村）")
    assert "节日每日排查：12月5日—12月5日截止，未报" in home.plain_text
    # the 12月4日 daily return was missed: 东山村's contact point hears of it on the 5日
    await inbox(bot, users[LEADER], "【排查未报】节日每日排查已于12月4日截止", "东山村")
    home = await type_in(director, "/paicha", "节日每日排查进行中")
    await tap(director, home, "关闭每日排查", "已关闭每日排查", "形势分析已起草")
    # 信息报告制度 二.6: the holiday's 形势分析 was drafted with its figures; the director is asked for it
    await bot.drain_outbox()
    asked = await inbox(bot, director, "【请报送形势分析】2026年12月4日至12月5日节日期间社会治安形势分析")
    # 排查 of those days: the two daily periods of both villages (4), none returned; the 集中排查 is due
    # on 12月9日, so it counts in the analysis of the days it is due in
    await tap(director, asked, "📊 打开形势分析", "排查：应报 4 次，已报 0 次")
    await sweep_at(bot, local(2026, 12, 6, 9, 30))
    assert period_id(bot, date(2026, 12, 6)) is None
