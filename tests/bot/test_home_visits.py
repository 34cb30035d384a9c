"""上门受理 on request through the real bot (issue 16): staff record a party's request (name, phone,
address, the special circumstance by button, a note) across a restart; the center leaders and the
director get it with 同意 / 不同意; 不同意 asks the reason (across a restart) and the requester is
told; approved, staff schedule the visit (date and time, who goes by button), the visitor is told
and reminded two hours before; after the visit what was received is recorded and handed to /visit.
Grid workers and staff cannot decide; forged and stale buttons are answered.

Town (tests/factories.PEOPLE): 王主任 (1) director, 刘领导 (3) leader, 孙丽 (4) and 周明 (5) staff,
张网格 (6) grid worker. The clock: Monday 2026-11-30 09:00."""

import pytest
from sqlmodel import select

from bot.callbacks import HomeVisitApprove, HomeVisitRefuse, HomeVisitSchedule, HomeVisitSubmit
from models import HomeVisit, HomeVisitStatus
from tests.bot.steps import has, local, sweep_at, tap, toast, type_in
from tests.bot.towns import card_town

DIRECTOR, LEADER, STAFF, STAFF2, GRID = 1, 3, 4, 5, 6
PHONE = "13912345678"


@pytest.fixture
async def town(bot):
    bot.clock.set(local(2026, 11, 30, 9, 0))
    town = card_town(bot)
    await town.greet()
    return town


async def inbox(bot, user, *parts: str, timeout: float = 5.0):
    def found():
        hits = [m for m in bot.emu.world.chat_messages(user.id) if m.from_bot and not m.deleted
                and all(p in (m.plain_text or "") for p in parts)]
        return hits[-1] if hits else None

    return await bot.emu.world.wait_until(found, timeout)


def count_like(bot, user_id: int, part: str) -> int:
    return len([m for m in bot.emu.world.chat_messages(user_id) if m.from_bot and part in (m.plain_text or "")])


def visit_row(bot) -> HomeVisit:
    with bot.db.session() as s:
        return s.exec(select(HomeVisit)).one()


async def request_one(bot, town, *, restart: bool = False):
    staff = town.users[STAFF]
    listing = await type_in(staff, "/homevisit", "目前没有未办结的上门受理申请")
    await tap(staff, listing, "➕ 新的上门受理申请", "当事人姓名")
    step = await type_in(staff, "钱老汉", "联系电话")
    assert step.buttons == ["跳过"]
    await type_in(staff, "12345", "手机号")  # not a phone number: asked again
    await type_in(staff, PHONE, "上门地址")
    reasons = await type_in(staff, "东山村三组12号", "因为什么特殊情况")
    assert "年老体弱" in reasons.buttons and "残疾行动不便" in reasons.buttons
    await staff.send_text("随便说点什么")
    await staff.wait_for_message(predicate=has("请按提示输入文字，或点上面的按钮"))
    await tap(staff, reasons, "年老体弱", "简要说明")
    if restart:
        await bot.restart()  # in the middle: what was typed is in the persisted user_data
        staff = town.users[STAFF] = bot.user(STAFF, "孙丽")
    preview = await type_in(staff, "八十五岁独居，腿脚不便，反映宅基地边界纠纷", "确认后提交")
    for part in ("当事人：钱老汉", f"电话：{PHONE}", "地址：东山村三组12号", "特殊情况：年老体弱"):
        assert part in preview.plain_text, part
    await tap(staff, preview, "提交审批", "已提交中心领导审批（共 2 位）")
    assert "失效" in await toast(staff, preview, data=HomeVisitSubmit().pack())  # a second submit
    await bot.drain_outbox()
    return staff


async def test_a_refused_request_tells_the_requester_why(bot, town):
    await request_one(bot, town, restart=True)
    visit = visit_row(bot)
    assert (visit.party_name, visit.phone, visit.status) == ("钱老汉", PHONE, HomeVisitStatus.pending)
    leader, director, grid, staff2 = (town.users[i] for i in (LEADER, DIRECTOR, GRID, STAFF2))
    ask = await inbox(bot, leader, "待审批", "钱老汉", PHONE, "东山村三组12号")
    assert ask.buttons == ["同意", "不同意"]
    director_copy = await inbox(bot, director, "待审批", "钱老汉")
    # neither a grid worker nor staff decide, whatever they press
    assert "没有权限" in await toast(grid, ask, data=HomeVisitApprove(visit.id).pack())
    assert "没有权限" in await toast(staff2, ask, data=HomeVisitRefuse(visit.id).pack())
    assert "没有权限" in await toast(staff2, ask, data=HomeVisitApprove(visit.id).pack())
    assert visit_row(bot).status == HomeVisitStatus.pending
    assert "失效" in await toast(leader, ask, data="hv:ok:x")

    await tap(leader, ask, "不同意", "请写明不同意的理由")
    await bot.restart()  # the reason is typed after a restart
    leader = town.users[LEADER] = bot.user(LEADER, "刘领导")
    await type_in(leader, "好", "请写明理由")  # too short
    await type_in(leader, "可由村调委会先行上门调解", "已记录不同意")
    await bot.drain_outbox()
    told = await inbox(bot, town.users[STAFF], "❌ 您的上门受理申请（钱老汉）刘领导 不同意")
    assert "理由：可由村调委会先行上门调解" in told.plain_text
    assert visit_row(bot).status == HomeVisitStatus.refused
    # the director's copy, pressed afterwards: already decided, nothing changes
    assert "已由刘领导处理（不同意）" in await toast(director, director_copy, "同意")
    assert "这份申请现在是「不同意」" in await toast(town.users[STAFF], told, data=HomeVisitSchedule(visit.id).pack())
    assert visit_row(bot).status == HomeVisitStatus.refused


async def test_approved_scheduled_reminded_recorded_and_handed_to_visit(bot, town):
    staff = await request_one(bot, town)
    leader = town.users[LEADER]
    ask = await inbox(bot, leader, "待审批", "钱老汉")
    await tap(leader, ask, "同意", "已同意")
    await bot.drain_outbox()
    approved = await inbox(bot, staff, "✅ 您的上门受理申请（钱老汉）刘领导 已同意")
    await tap(staff, approved, "📅 安排上门", "哪天几点上门")
    await type_in(staff, "明天上午", "没有看懂这个时间")
    await type_in(staff, "2026-11-30 8:00", "上门时间应晚于现在")
    who = await type_in(staff, "12-1 9:30", "谁去上门")
    assert "周明" in who.buttons and "张网格" not in who.buttons
    await tap(staff, who, "周明", "已安排：2026年12月1日 09:30，周明 上门")
    await bot.drain_outbox()
    staff2 = town.users[STAFF2]
    await inbox(bot, staff2, "请您上门受理：2026年12月1日 09:30", "钱老汉", "东山村三组12号")

    await sweep_at(bot, local(2026, 12, 1, 7, 29))
    assert count_like(bot, STAFF2, "上门受理提醒") == 0
    await sweep_at(bot, local(2026, 12, 1, 7, 30))
    reminder = await inbox(bot, staff2, "⏰ 上门受理提醒：2026年12月1日 09:30 上门")
    await sweep_at(bot, local(2026, 12, 1, 8, 0))
    assert count_like(bot, STAFF2, "上门受理提醒") == 1

    bot.clock.set(local(2026, 12, 1, 10, 30))
    await tap(staff2, reminder, "✍️ 记录上门情况", "上门受理了什么")
    done = await type_in(staff2, "当事人反映与邻居宅基地边界不清，要求调解", "已记录上门情况")
    assert visit_row(bot).status == HomeVisitStatus.done
    assert "上门受理了什么" not in await toast(staff2, reminder, "✍️ 记录上门情况")  # done already: refused
    await tap(staff2, done, "📝 登记为事项", "请发送 /visit")
    resume = await type_in(staff2, "/visit", "未完成的来访登记（钱老汉）")
    await tap(staff2, resume, "▶️ 继续填写", "身份证号")  # name and phone are in; the ID number is next
