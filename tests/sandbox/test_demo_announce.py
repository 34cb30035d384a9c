"""The demo township's 传达 (issue 16): a 工作部署 read by two of four, a 学习 with one 参加 and one
请假; reachable by the demo people through the running sandbox."""

from datetime import date

import pytest

from bot.sandbox import demo
from bot.services import announcements
from bot.services.intake import IntakePolicy
from tests.sandbox.conftest import SH, START


@pytest.fixture
def town(db):
    return demo.build(db, start=START, policy=IntakePolicy())


def test_demo_announcements_some_read_some_not(db, town):
    a = town.announcements
    with db.session() as s:
        st = announcements.status(s, announcement_id=a["deployment"], actor_id=town.people["孙丽"])
        # grid workers 张伟, 李娜; units' contacts 吴刚, 郑红 and the village head 何永福 (a 单位联络人 of
        # 东山村); 张伟 and 吴刚 read it
        assert (st.read, st.total, st.unread) == (2, 5, ["何永福", "李娜", "郑红"])
        study = announcements.status(s, announcement_id=a["study"], actor_id=town.people["王志强"])
        # 中心工作人员 孙丽, 周明 and the leaders 刘海峰, 赵敏: 刘海峰 参加, 周明 请假
        assert (study.total, study.attend, study.leave) == (4, 1, [("周明", "下村调解西河村山林纠纷")])
        rows = announcements.ledger_rows(s, start=date(2026, 11, 1), end=date(2026, 11, 30), tz=SH)
        assert [(r.kind, r.read, r.total) for r in rows] == [("工作部署", 2, 5), ("学习", 2, 4)]


async def test_demo_people_reach_the_announcements_in_the_sandbox(sandbox):
    staff = sandbox.emu.user(demo.persona("孙丽").telegram_id)
    await staff.send_text("/announce")
    listing = await staff.wait_for_message(timeout=10)
    assert "工作部署：已阅 2/5" in listing.plain_text
    await staff.press(listing, next(b for b in listing.buttons if "工作部署" in b))
    status = await staff.wait_for_message(timeout=10)
    assert "已阅 2/5" in status.plain_text and "未阅：何永福、李娜、郑红" in status.plain_text
    assert "提醒未阅人员" in status.buttons


async def test_a_trainee_sends_one_and_watches_the_read_count_move_by_itself(sandbox):
    staff = sandbox.emu.user(demo.persona("孙丽").telegram_id)
    grid = sandbox.emu.user(demo.persona("张伟").telegram_id)

    def has(*parts):
        return lambda m: all(p in (m.plain_text or "") for p in parts)

    async def press(user, message, label, *then):
        await user.press(message, next(b for b in message.buttons if label in b))
        return await user.wait_for_message(timeout=10, predicate=has(*then))

    await staff.send_text("/announce")
    listing = await staff.wait_for_message(timeout=10, predicate=has("传达"))
    await press(staff, listing, "新建传达", "请发送传达的内容")
    await staff.send_text("请各村本周排查冬季用火隐患。")
    kinds = await staff.wait_for_message(timeout=10, predicate=has("哪一类传达"))
    targets = await press(staff, kinds, "工作部署", "发给谁")
    targets = await press(staff, targets, "东山村", "已选")
    preview = await press(staff, targets, "预览", "【预览】")
    await press(staff, preview, "发送", "已发出")
    live = await staff.wait_for_message(timeout=10, predicate=has("排查冬季用火", "已阅 0/"))
    notice = await grid.wait_for_message(timeout=10, predicate=has("【工作部署】孙丽", "排查冬季用火"))
    await press(grid, notice, "已阅", "已记录：已阅")
    edited = await staff.wait_for_message(timeout=10, predicate=has("排查冬季用火", "已阅 1/"))
    assert edited.message_id == live.message_id  # the same message, updated without a press
