"""The duty roster (/duty) and the working calendar (/calendar) through the real bot, as people use them."""

import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook, load_workbook
from sqlmodel import select

from bot.services import alerts, cases, deadlines
from bot.services.deadlines import DeadlinePolicy
from bot.sweeps import sweep_all
from models import AuditEvent, CalendarDay, CalendarYear, Case, Outbox
from tests.bot.harness import press, say
from tests.factories import Township

SH = ZoneInfo("Asia/Shanghai")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def local(y, m, d, hh=9, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH).astimezone(UTC)


@pytest.fixture
async def w(bot):
    """People of every role (telegram ids: director 1, secretary 2, leader 3, staff 4 and 5, grid 6),
    each with their chat open, so notifications about cases reach them rather than bounce."""
    world = Township.build(bot.db, bot.clock)
    for user_id in range(1, 9):
        assert "您好" in (await say(bot.user(user_id), "/start")).plain_text
    return world


def roster(bot, day: date) -> alerts.DutyDay:
    return bot.db.call(alerts.roster_day, day=day)


async def answer_of(bot, user, message, data: str) -> str:
    cq = await user.press(message, data=data)
    return (await user.wait_for_callback_answer(cq)).text or ""


# --- /duty ---------------------------------------------------------------------------------------


async def test_director_arranges_tomorrow_by_buttons(bot, w):
    director = bot.user(1, "王主任")
    msg = await say(director, "/duty")
    assert "值班表（11月30日—12月06日）" in msg.plain_text
    assert "👉 11月30日 周一：值班 未安排" in msg.plain_text and "（今天）" in msg.plain_text
    assert {"今天 11-30", "明天 12-01", "12-13 周日", "📥 批量导入"} <= set(msg.buttons)
    assert "12-14 周一" not in msg.buttons  # two weeks: today and the next 13 days
    msg = await press(director, msg, "明天 12-01")
    assert "安排 12月01日 周二 的值班" in msg.plain_text
    assert {"孙丽", "周明", "带班：刘领导", "带班：王主任"} <= set(msg.buttons)
    assert "张网格" not in " ".join(msg.buttons)  # only center staff take duty shifts
    msg = await press(director, msg, "孙丽")
    msg = await press(director, msg, "周明")
    assert {"✅ 孙丽", "✅ 周明"} <= set(msg.buttons)
    msg = await press(director, msg, "✅ 周明")
    msg = await press(director, msg, "带班：王主任")
    msg = await press(director, msg, "带班：刘领导")  # one leader on call: the choice moves
    assert "✅ 带班：刘领导" in msg.buttons and "带班：王主任" in msg.buttons
    assert "值班人员：孙丽\n带班领导：刘领导" in msg.plain_text
    msg = await press(director, msg, "💾 保存")
    assert "已保存 12月01日 的值班：值班 孙丽；带班领导 刘领导" in msg.plain_text
    assert "12月01日 周二：值班 孙丽；带班领导 刘领导" in msg.plain_text
    day = roster(bot, date(2026, 12, 1))
    assert (day.duty, day.leader) == (("孙丽",), ("刘领导",))
    # nobody on duty cannot be saved: told why, nothing changes
    msg = await press(director, msg, "明天 12-01")
    msg = await press(director, msg, "✅ 孙丽")
    cq = await director.press(msg, "💾 保存")
    assert "至少安排一名值班人员" in (await director.wait_for_callback_answer(cq)).text
    assert roster(bot, date(2026, 12, 1)).duty == ("孙丽",)
    with bot.db.session() as s:
        assert s.exec(select(AuditEvent.action).where(AuditEvent.subject_type == "duty")).all() == ["duty.set"]


async def test_leader_may_arrange_staff_sees_read_only_and_forged_presses_are_refused(bot, w):
    bot.db.call(alerts.set_duty, actor_id=w.director, day=date(2026, 11, 30), duty_ids=[w.staff, w.staff2],
                leader_ids=[w.leader], now=bot.clock.now())
    staff = bot.user(4, "孙丽")
    msg = await say(staff, "/duty")
    assert "👉 11月30日 周一：值班 孙丽、周明；带班领导 刘领导" in msg.plain_text
    assert "由中心领导或管理员安排" in msg.plain_text and msg.buttons == []
    for data in ("duty:d:20261201", f"duty:t:20261201:{w.staff}", "duty:s:20261201", "duty:imp", "duty:w"):
        assert "没有权限" in await answer_of(bot, staff, msg, data), data
    grid_worker = bot.user(6, "张网格")
    assert "孙丽、周明" in (await say(grid_worker, "/duty")).plain_text
    assert roster(bot, date(2026, 12, 1)).duty == ()
    # a leader arranges; stale and forged data from a real editor is refused politely
    leader = bot.user(3, "刘领导")
    msg = await say(leader, "/duty")
    assert "今天 11-30" in msg.buttons
    for data in ("duty:d:20261129", "duty:d:20261214", "duty:d:2026xx01", f"duty:t:20261201:{w.grid_worker}",
                 "duty:t:20261201:99999", f"duty:l:20261201:{w.staff}", "duty:s:20261203", "duty:zz"):
        assert "失效" in await answer_of(bot, leader, msg, data), data
    msg = await press(leader, msg, "今天 11-30")
    assert {"✅ 孙丽", "✅ 周明", "✅ 带班：刘领导"} <= set(msg.buttons)  # starts from what is saved
    msg = await press(leader, msg, "✅ 周明")
    msg = await press(leader, msg, "💾 保存")
    assert roster(bot, date(2026, 11, 30)).duty == ("孙丽",)


def roster_xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["日期", "值班人员", "带班领导"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


async def test_roster_upload_bad_file_imports_nothing_good_file_imports(bot, w):
    director = bot.user(1, "王主任")
    msg = await say(director, "/duty")
    await director.press(msg, "📥 批量导入")
    how = await director.wait_for_message()
    assert "日期、值班人员、带班领导" in how.plain_text and "每天一行" in how.plain_text
    template = await director.wait_for_message(predicate=lambda m: m.kind == "document")
    assert [c.value for c in load_workbook(io.BytesIO(template.document_bytes())).active[1]] == \
        ["日期", "值班人员", "带班领导"]
    await director.send_sticker()
    assert "在等值班表文件" in (await director.wait_for_message()).plain_text
    # a CSV as Chinese Excel saves it (GB18030): rows 3 and 4 are wrong, so nothing is imported
    bad = "日期,值班人员,带班领导\n2026-12-01,孙丽、周明,刘领导\n2026/12/2,不存在的人,\n2026-13-01,孙丽,\n"
    await director.send_document(bad.encode("gb18030"), filename="值班表.csv", mime_type="text/csv")
    msg = await director.wait_for_message(timeout=10)
    assert "未导入" in msg.plain_text and "第 3 行" in msg.plain_text and "不存在的人" in msg.plain_text
    assert "第 4 行" in msg.plain_text and "第 2 行" not in msg.plain_text
    assert "重新发送" in msg.plain_text
    assert roster(bot, date(2026, 12, 1)).duty == ()
    await bot.restart()  # still waiting for the file after a restart
    good = roster_xlsx([[datetime(2026, 12, 1), "孙丽、周明", "刘领导"], ["2026/12/2", "周明", None]])
    await director.send_document(good, filename="值班表.xlsx", mime_type=XLSX)
    msg = await director.wait_for_message(timeout=10)
    assert "已导入 2 天" in msg.plain_text
    assert set(roster(bot, date(2026, 12, 1)).duty) == {"孙丽", "周明"}
    assert roster(bot, date(2026, 12, 2)) == alerts.DutyDay(date(2026, 12, 2), ("周明",), ())
    # the wait is over: a file now goes to the people import as before
    await director.send_document(bad.encode("gb18030"), filename="值班表.csv", mime_type="text/csv")
    assert "不认识这个 CSV 文件的表头" in (await director.wait_for_message(timeout=10)).plain_text
    assert set(roster(bot, date(2026, 12, 1)).duty) == {"孙丽", "周明"}
    # /cancel leaves the wait
    msg = await say(director, "/duty")
    await director.press(msg, "📥 批量导入")
    await director.wait_for_message(predicate=lambda m: m.kind == "document")
    assert "已取消导入值班表" in (await say(director, "/cancel")).plain_text


# --- /calendar -----------------------------------------------------------------------------------


def accepted_on_dec_29(bot, w) -> int:
    """A case accepted on Tue 2026-12-29: its 3 working days run into 2027, which chinesecalendar does not know."""
    bot.clock.set(local(2026, 12, 29, 10))
    ref = w.submit()
    bot.db.call(cases.accept, actor_id=w.staff, case_id=ref.id, now=bot.clock.now())
    with bot.db.session() as s:
        case = s.get(Case, ref.id)
        deadlines.start_clock(s, case=case, now=bot.clock.now(), policy=DeadlinePolicy())
        s.add(case)
    return ref.id


def case(bot, case_id) -> Case:
    with bot.db.session() as s:
        return s.get(Case, case_id)


async def test_enter_2027_by_typing_confirm_and_the_deadline_is_recomputed(bot, w):
    case_id = accepted_on_dec_29(bot, w)
    assert case(bot, case_id).due_provisional and case(bot, case_id).due_at == local(2027, 1, 1, 17, 30)
    director = bot.user(1, "王主任")
    msg = await say(director, "/calendar")
    assert "2026 年：已内置" in msg.plain_text and "2027 年：⚠️" in msg.plain_text
    assert "✅ 确认 2027 年已录入完整" in msg.buttons and "✅ 确认 2026 年已录入完整" not in msg.buttons
    await director.press(msg, "➕ 录入日期")
    assert "2027-01-01 休 元旦" in (await director.wait_for_message()).plain_text
    reply = await say(director, "2027-01-01 休 元旦")
    assert "已保存 1 天" in reply.plain_text and "01月01日 周五 休 元旦" in reply.plain_text
    hint = await say(director, "2027-01-04 元旦")
    assert "没看懂「2027-01-04 元旦」" in hint.plain_text and "2027-02-07 班 春节调休" in hint.plain_text
    assert "不是有效日期" in (await say(director, "2027-02-30 休 春节")).plain_text
    await director.send_sticker()
    assert "请输入文字" in (await director.wait_for_message()).plain_text
    await bot.restart()  # typing continues after a restart
    reply = await say(director, "2027-02-10至2027-02-17 休 春节\n2027-02-07 班 春节调休")
    assert "已保存 9 天" in reply.plain_text and "02月07日 周日 班 春节调休" in reply.plain_text
    menu = await press(director, reply, "完成")
    assert "已录入休 9 天、班 1 天" in menu.plain_text
    ask = await press(director, menu, "✅ 确认 2027 年已录入完整")
    assert "休 9 天、班 1 天" in ask.plain_text and "重新计算" in ask.plain_text
    assert case(bot, case_id).due_provisional  # nothing happens before the second press
    done = await press(director, ask, "✅ 确认无误")
    assert "已确认 2027 年日历，重新计算了 1 件事项的暂定期限" in done.plain_text
    assert "2027 年：✅ 王主任 已于 2026-12-29 确认录入完整" in done.plain_text
    assert not any(b.startswith("✅ 确认") for b in done.buttons)
    recomputed = case(bot, case_id)
    assert not recomputed.due_provisional and recomputed.due_at == local(2027, 1, 4, 17, 30)  # after 元旦
    with bot.db.session() as s:
        assert s.get(CalendarYear, 2027).confirmed_by_id == w.director
        assert s.get(CalendarDay, date(2027, 2, 7)).workday
    # confirming again (an old button) is refused with the reason
    assert "已经确认过" in await answer_of(bot, director, done, "cal:okk:2027")


async def test_list_and_remove_days_by_button(bot, w):
    director = bot.user(1, "王主任")
    msg = await say(director, "/calendar")
    await director.press(msg, "➕ 录入日期")
    await director.wait_for_message()
    await say(director, "2027-01-01 休 元旦\n2027-02-07 班 春节调休")
    assert "已结束日历录入" in (await say(director, "/cancel")).plain_text
    msg = await say(director, "/calendar")
    listing = await press(director, msg, "📋 2027 年调整日")
    assert "共 2 天" in listing.plain_text and "02月07日 周日 班 春节调休" in listing.plain_text
    listing = await press(director, listing, "🗑 01-01 休")
    assert "已删除 2027-01-01（休）" in listing.plain_text and "共 1 天" in listing.plain_text
    assert bot.db.call(lambda session: session.get(CalendarDay, date(2027, 1, 1))) is None
    assert "没有设置调整" in await answer_of(bot, director, listing, "cal:rm:20270101:0")  # pressed twice
    for data in ("cal:y:99999:0", "cal:rm:2027xx01:0", "cal:nope", "cal:ok:2026"):
        assert "失效" in await answer_of(bot, director, listing, data), data


async def test_calendar_file_import_all_or_nothing(bot, w):
    director = bot.user(1, "王主任")
    msg = await say(director, "/calendar")
    await director.press(msg, "📥 批量导入")
    assert "类型（休/班）" in (await director.wait_for_message()).plain_text
    await director.wait_for_message(predicate=lambda m: m.kind == "document")
    bad = "日期,类型（休/班）,说明\n2027-01-01,休,元旦\n2027-02-07,放,春节调休\n"
    await director.send_document(bad.encode("utf-8-sig"), filename="2027.csv", mime_type="text/csv")
    msg = await director.wait_for_message(timeout=10)
    assert "第 3 行" in msg.plain_text and "应填「休」或「班」" in msg.plain_text and "没有保存" in msg.plain_text
    assert bot.db.call(lambda session: session.get(CalendarDay, date(2027, 1, 1))) is None
    good = bad.replace(",放,", ",班,") + "2027-02-10至2027-02-17,休,春节\n"
    await director.send_document(good.encode("utf-8-sig"), filename="2027.csv", mime_type="text/csv")
    msg = await director.wait_for_message(timeout=10)
    assert "已导入 10 天（2027 年）" in msg.plain_text and "✅ 确认 2027 年已录入完整" in msg.buttons


async def test_calendar_is_for_director_and_admins_only(bot, w):
    for user_id in (4, 3):  # staff, a leader
        user = bot.user(user_id, "某人")
        msg = await say(user, "/calendar")
        assert "没有权限" in msg.plain_text
        for data in ("cal:menu", "cal:add", "cal:imp", "cal:okk:2027", "cal:rm:20270101:0", "cal:y:2027:0"):
            assert "没有权限" in await answer_of(bot, user, msg, data), data
    # typing a day while not an admin does nothing (there is no conversation to type into)
    staff = bot.user(4, "孙丽")
    await say(staff, "2027-01-01 休 元旦")
    with bot.db.session() as s:
        assert s.exec(select(CalendarDay)).all() == [] and s.exec(select(CalendarYear)).all() == []


async def test_the_director_hears_of_a_gap_in_the_roster_and_arranges_it(bot, w):
    """Monday: today and Tuesday are arranged, Wednesday has nobody as leader on call. The morning
    sweep tells the director, whose button opens that day's arrangement."""
    for day in (date(2026, 11, 30), date(2026, 12, 1)):
        bot.db.call(alerts.set_duty, actor_id=w.director, day=day, duty_ids=[w.staff], leader_ids=[w.leader],
                    now=bot.clock.now())
    bot.db.call(alerts.set_duty, actor_id=w.director, day=date(2026, 12, 2), duty_ids=[w.staff2], leader_ids=[],
                now=bot.clock.now())
    director = bot.user(1, "王主任")
    await sweep_all(bot.app)
    # the same sweep also says this week has no 例会: all of it delivered before the presses, so that
    # message cannot arrive in the middle and be taken for an answer
    await bot.drain_outbox()
    warning = await director.wait_for_message(timeout=10, predicate=lambda m: "值班表有空缺" in (m.plain_text or ""))
    assert "12月2日（周三）：无带班领导" in warning.plain_text and warning.buttons == ["📋 安排 12月2日"]
    msg = await press(director, warning, "📋 安排 12月2日")
    assert "安排 12月02日 周三 的值班" in msg.plain_text
    msg = await press(director, msg, "带班：刘领导")
    msg = await press(director, msg, "💾 保存")
    assert "已保存 12月02日 的值班" in msg.plain_text
    assert roster(bot, date(2026, 12, 2)).leader == ("刘领导",)
    bot.clock.advance(timedelta(hours=2))
    await sweep_all(bot.app)  # filled, and said once a day anyway: nothing more
    with bot.db.session() as s:
        assert len(s.exec(select(Outbox).where(Outbox.key.like("dutygap:%"))).all()) == 1
