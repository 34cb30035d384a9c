"""传达 through the real bot (issue 16): the center's staff send an announcement to a village and a
role by buttons, recipients press 已阅, the sender sees 已阅 n/m with the unread names and reminds
them with one press, and hears of the unread after 4 working hours; 学习 takes attendance; a file
is re-sent by its file id and protected; wrong input and forged buttons are answered.

Town (tests/factories.PEOPLE): 东山村 has 张网格 (6); the grid role is 张网格 and 李网格 (8); 镇司法所
is 司法所老李 (7). The sender is 孙丽 (4)."""

import pytest
from sqlmodel import select

from bot.callbacks import AnnounceRead, AnnounceRemind
from models.announcements import Announcement
from tests.bot.steps import has, local, sweep_at, tap, toast, type_in
from tests.bot.towns import card_town

DIRECTOR, SECRETARY, LEADER, STAFF, STAFF2, GRID, UNIT, GRID2 = 1, 2, 3, 4, 5, 6, 7, 8


@pytest.fixture
async def town(bot):
    town = card_town(bot)
    await town.greet()
    return town


async def inbox(bot, user, *parts: str, timeout: float = 5.0):
    def found():
        hits = [m for m in bot.emu.world.chat_messages(user.id) if m.from_bot and not m.deleted
                and all(p in (m.plain_text or "") for p in parts)]
        return hits[-1] if hits else None

    return await bot.emu.world.wait_until(found, timeout)


def own_list(bot, user):
    return [m for m in bot.emu.world.chat_messages(user.id) if m.from_bot][-1]


def count_like(bot, user, *parts: str) -> int:
    return len([m for m in bot.emu.world.chat_messages(user.id) if m.from_bot
                and all(p in (m.plain_text or "") for p in parts)])


async def compose(user, *, kind: str, groups: list[str], text: str | None = "请认真学习会议精神", expect_count: int):
    listing = await type_in(user, "/announce", "传达")
    await tap(user, listing, "新建传达", "请发送传达的内容")
    kinds = await type_in(user, text, "哪一类传达")
    targets = await tap(user, kinds, kind, "发给谁")
    for group in groups:
        targets = await tap(user, targets, group, "已选")
    assert f"已选 {expect_count} 人" in targets.plain_text
    # a forged group is refused and leaves the draft as it was
    assert "按钮已失效" in await toast(user, targets, data="an:t:v-99999")
    return await tap(user, targets, "预览", "【预览】")


async def test_send_read_count_remind_and_the_senders_own_reminder(bot, town):
    users = town.users
    staff, grid, unit, grid2 = users[STAFF], users[GRID], users[UNIT], users[GRID2]
    bot.clock.set(local(2026, 12, 4, 9, 0))  # a Friday
    preview = await compose(staff, kind="工作部署", groups=["东山村", "网格员"], expect_count=2)
    assert "发送对象：东山村、网格员（2 人）" in preview.plain_text
    await tap(staff, preview, "发送", "已发出：工作部署，共 2 人")
    await bot.drain_outbox()
    message = await inbox(bot, grid, "【工作部署】孙丽", "请认真学习会议精神")
    await inbox(bot, grid2, "【工作部署】孙丽")
    assert count_like(bot, unit, "【工作部署】") == 0  # not chosen
    live = await inbox(bot, staff, "【工作部署】", "已阅 0/2")  # the sender's status message

    await tap(grid, message, "已阅", "已记录：已阅")
    await bot.drain_outbox()
    # the status message itself now says so, without a press; no second message
    edited = await inbox(bot, staff, "【工作部署】", "已阅 1/2")
    assert edited.message_id == live.message_id and count_like(bot, staff, "【工作部署】", "已阅") == 1
    assert "未阅：李网格" in edited.plain_text and "张网格" not in edited.plain_text.split("未阅")[1]

    # one press reminds the unread only
    await tap(staff, edited, "提醒未阅人员", "已提醒 1 位未阅人员")
    await bot.drain_outbox()
    await inbox(bot, grid2, "【提醒】请阅读孙丽发来的传达")
    assert count_like(bot, grid, "【提醒】") == 0

    # the sender's own reminder: 4 working hours after 09:00 is 15:30 the same Friday
    await sweep_at(bot, local(2026, 12, 4, 15, 25))
    assert count_like(bot, staff, "还有 1 人未阅") == 0
    await sweep_at(bot, local(2026, 12, 4, 15, 35))
    await inbox(bot, staff, "还有 1 人未阅：李网格")
    await sweep_at(bot, local(2026, 12, 4, 16, 35))
    assert count_like(bot, staff, "还有 1 人未阅") == 1  # once

    # the list shows the count
    listing = await type_in(staff, "/announce", "您最近的传达")
    assert "工作部署：已阅 1/2" in listing.plain_text


async def test_a_recipient_who_blocked_the_bot_is_unreachable_not_unread(bot, town):
    users = town.users
    staff, grid, grid2 = users[STAFF], users[GRID], users[GRID2]
    bot.clock.set(local(2026, 12, 4, 9, 0))
    grid2.record.blocked_bot = True  # 李网格 blocked the bot: Telegram answers 403
    preview = await compose(staff, kind="工作部署", groups=["东山村", "网格员"], expect_count=2)
    await tap(staff, preview, "发送", "已发出：工作部署，共 2 人")
    await bot.drain_outbox()
    await inbox(bot, grid, "【工作部署】孙丽")
    status = await tap(staff, await inbox(bot, staff, "【工作部署】", "已阅 0/2"), "查看阅读情况", "已阅 0/2")
    lines = status.plain_text.splitlines()
    assert "未阅：张网格" in lines and "无法送达（已屏蔽机器人或账号不可用，请电话告知）：李网格" in lines
    # neither the sender's press nor the sweep chases the one who cannot receive it
    await tap(staff, status, "提醒未阅人员", "已提醒 1 位未阅人员")
    await sweep_at(bot, local(2026, 12, 4, 15, 35))
    await inbox(bot, staff, "还有 1 人未阅：张网格")


async def test_study_takes_attendance_by_button(bot, town):
    users = town.users
    staff, grid, grid2 = users[STAFF], users[GRID], users[GRID2]
    bot.clock.set(local(2026, 12, 4, 9, 0))
    preview = await compose(staff, kind="学习", groups=["网格员"], expect_count=2)
    await tap(staff, preview, "发送", "已发出：学习")
    await bot.drain_outbox()
    m1 = await inbox(bot, grid, "【学习】")
    await tap(grid, m1, "参加", "已记录：参加")
    m2 = await inbox(bot, grid2, "【学习】")
    await tap(grid2, m2, "请假", "请写明请假事由")
    await type_in(grid2, "下村调解", "已记录：请假")
    await bot.drain_outbox()
    status = await inbox(bot, staff, "【学习】", "已阅 2/2")  # the answers reached the sender's status by themselves
    assert "参加 1 人，请假 1 人" in status.plain_text and "请假：李网格（下村调解）" in status.plain_text


async def test_a_file_is_protected_and_wrong_input_is_answered(bot, town):
    users = town.users
    staff, unit, grid = users[STAFF], users[UNIT], users[GRID]
    bot.clock.set(local(2026, 12, 4, 9, 0))
    listing = await type_in(staff, "/announce", "还没有发过传达")
    await tap(staff, listing, "新建传达", "请发送传达的内容")
    await staff.send_sticker()
    await staff.wait_for_message(predicate=has("只收文字、文件或图片"))
    await type_in(staff, "字" * 3001, "内容太长")
    await staff.send_document(b"%PDF-1.4 test", filename="通知.pdf", mime_type="application/pdf", caption="请学习附件")
    kinds = await staff.wait_for_message(predicate=has("哪一类传达"))
    targets = await tap(staff, kinds, "法制宣传", "发给谁")
    targets = await tap(staff, targets, "镇司法所", "已选 1 人")
    preview = await tap(staff, targets, "预览", "〔附件〕通知.pdf")
    await tap(staff, preview, "发送", "已发出：法制宣传，共 1 人")
    await bot.drain_outbox()
    doc = await inbox(bot, unit, "【法制宣传】孙丽", "请学习附件")
    assert doc.protected and doc.document_bytes() == b"%PDF-1.4 test"

    # refused: a grid worker may not announce; a forged 已阅 of someone else's; a forged remind
    await type_in(grid, "/announce", "您没有权限")
    with bot.db.session() as s:
        a = s.exec(select(Announcement)).one()
    director = users[DIRECTOR]
    own = await type_in(director, "/announce", "还没有发过传达")
    assert "不是发给您的" in await toast(director, own, data=AnnounceRead(a.id).pack())  # not a recipient
    assert "只有发送人" in await toast(director, own, data=AnnounceRemind(a.id).pack())  # not the sender
    assert "按钮已失效" in await toast(director, own, data="an:s:99999")  # no such announcement
    assert "按钮已失效" in await toast(staff, own_list(bot, staff), data="an:t:v-99999")  # a forged group


async def test_the_senders_find_announce_in_their_menu(bot, town):
    staff, grid = town.users[STAFF], town.users[GRID]
    assert "/announce — 传达" in (await type_in(staff, "/help", "/help")).plain_text
    assert "/announce" not in (await type_in(grid, "/help", "/help")).plain_text  # they read, by button
