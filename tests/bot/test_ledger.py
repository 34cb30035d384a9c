"""/ledger through the real bot: a leader picks the ledger, the period and a village by buttons and
receives the .xlsx (protected) in the private chat; 自定义 dates typed, wrong then right; refusals for
other roles and in groups; stale and forged buttons answered."""

import io

import pytest
from openpyxl import load_workbook

from bot import texts
from bot.texts import ledgers as words
from tests.bot.harness import press, say
from tests.factories import Township

DIRECTOR, LEADER, STAFF, GRID, UNIT = 1, 3, 4, 6, 7
GROUP_ID = -1001234567000


@pytest.fixture
async def town(bot):
    town = Township.build(bot.db, bot.clock, second_village=True).with_users(
        bot, {DIRECTOR: "王主任", LEADER: "刘领导", STAFF: "孙丽", GRID: "张网格", UNIT: "老李"})
    town.submit(parties=(), description="东山村两户因排水沟发生争吵")
    town.submit(parties=(), description="东山村物业纠纷", village_id=town.village.id)
    town.submit(parties=(), description="西河村的纠纷", village_id=town.village2.id, grid_id=town.grid2.id)
    await town.greet()
    await town.delivered()  # the new-case notifications are out before anyone asks for a ledger
    return town


def documents(user):
    return [m for m in user.messages() if m.kind == "document"]


async def test_leader_gets_the_case_ledger_of_one_village(bot, town):
    leader = town.user(LEADER)
    msg = await say(leader, "/ledger")
    assert msg.plain_text == words.CHOOSE_KIND
    assert set(words.TITLES.values()) <= set(msg.buttons)
    msg = await press(leader, msg, "矛盾纠纷排查化解台账")
    assert {"本月", "上月", "本季度", "本年", "自定义"} <= set(msg.buttons)
    msg = await press(leader, msg, "本月")
    assert "2026年11月1日至2026年11月30日" in msg.plain_text
    msg = await press(leader, msg, words.BTN_BY_VILLAGE)
    assert {"东山村", "西河村"} <= set(msg.buttons)
    msg = await press(leader, msg, "东山村")
    assert "正在生成《矛盾纠纷排查化解台账》" in msg.plain_text and "东山村" in msg.plain_text
    doc = await leader.wait_for_message(timeout=15, predicate=lambda m: m.kind == "document")
    assert doc.file.file_name == "矛盾纠纷排查化解台账_20261101-20261130.xlsx"
    assert doc.protected  # protect_content: it cannot be forwarded or saved
    ws = load_workbook(io.BytesIO(doc.file_bytes())).active
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(i for i, row in enumerate(cells) if row[0] == "序号")
    rows = [row for row in cells[header + 1:] if isinstance(row[0], int)]
    assert len(rows) == 2  # the two 东山村 cases, not 西河村's
    assert "期间：2026年11月1日至2026年11月30日，东山村" in [v for v in cells[1] if v]
    assert {row[5] for row in rows} == {"东山村 第一网格"}


async def test_custom_dates_typed_wrong_then_right_and_the_duty_ledger_needs_no_filter(bot, town):
    staff = town.user(STAFF)
    msg = await say(staff, "/ledger")
    msg = await press(staff, msg, "值班台账")
    msg = await press(staff, msg, "自定义")
    assert "2026-11-01 2026-11-30" in msg.plain_text
    answer = await say(staff, "2026-11-31 2026-12-01")
    assert answer.plain_text == words.CUSTOM_BAD_DATE.format(text="2026-11-31")
    answer = await say(staff, "2026年11月30日 至 2026年11月1日")
    assert answer.plain_text == words.CUSTOM_REVERSED
    answer = await say(staff, "2026年11月1日 至 2026年11月30日")
    assert "正在生成《值班台账》" in answer.plain_text  # 值班 has no village or unit filter
    doc = await staff.wait_for_message(timeout=15, predicate=lambda m: m.kind == "document")
    assert doc.file.file_name == "值班台账_20261101-20261130.xlsx" and doc.protected
    assert load_workbook(io.BytesIO(doc.file_bytes())).active["A1"].value == "值班台账"


async def test_other_roles_are_refused_and_groups_sent_to_the_private_chat(bot, town):
    for tid in (GRID, UNIT):
        assert (await say(town.user(tid), "/ledger")).plain_text == words.NOT_ALLOWED
        assert "/ledger" not in (await say(town.user(tid), "/help")).plain_text
    assert "/ledger — 导出台账" in (await say(town.user(LEADER), "/help")).plain_text
    leader, director = town.user(LEADER), town.user(DIRECTOR)
    bot.emu.group(GROUP_ID, "中心工作群", members=[leader, director])
    await leader.send_text("/ledger", chat_id=GROUP_ID)
    answer = await leader.wait_for_message(chat_id=GROUP_ID)
    assert answer.plain_text == texts.PRIVATE_ONLY  # the gate keeps /ledger, like every personal command, private


async def test_stale_and_forged_buttons_are_answered(bot, town):
    leader = town.user(LEADER)
    msg = await say(leader, "/ledger")

    async def answer(data: str) -> str:
        cq = await leader.press(msg, data=data)
        return (await leader.wait_for_callback_answer(cq)).text or ""

    assert "失效" in await answer("lg:m:nothing:2026-11-01:2026-11-30")  # no such ledger
    assert "失效" in await answer("lg:zz")
    assert await answer("lg:m:cases:2026-11-30:2026-11-01") == words.CUSTOM_REVERSED
    assert await answer("lg:mv:cases:2026-11-01:2026-11-30:999") == words.LOST  # a village since removed
    assert documents(leader) == []
