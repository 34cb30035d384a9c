"""The demo township's 上报上级: the 信息报告 case under way shows its record on the card and after its
初报; a 重大疑难 dispute of two working days ago has none, so the first sweep chases it and the director records it
through the running sandbox; last week's archived event, not recorded either, is not chased."""

import pytest

from bot.sandbox import demo, demo_upward
from bot.services import case_card, info_reports, upward_reports
from bot.services.intake import IntakePolicy
from tests.sandbox.conftest import START


@pytest.fixture
def town(db):
    return demo.build(db, start=START, policy=IntakePolicy())


def test_the_demo_event_shows_what_went_up_and_the_other_has_none(db, town):
    u, p = town.upward, town.people
    with db.session() as s:
        card = case_card.case_card(s, viewer_id=p["周明"], case_id=u["case"], now=START)
        assert card.upward.departments == demo_upward.DEPARTMENTS and card.upward.reply == demo_upward.REPLY
        assert card.upward.by == "孙丽" and card.may_report_up
        other = case_card.case_card(s, viewer_id=p["王志强"], case_id=u["unreported"], now=START)
        assert other.upward is None and other.may_report_up
        assert upward_reports.records(s, case_id=u["unreported"]) == []
    view = db.call(info_reports.report_view, actor_id=p["孙丽"], report_id=town.info_reports["first"])
    assert [r.department_text for r in view.reported_up] == ["县委政法委、县综治中心"]


async def test_the_director_is_chased_and_records_the_report_upward(sandbox):
    number = sandbox.town.upward["unreported_number"]
    director = sandbox.emu.user(demo.persona("王志强").telegram_id)
    await sandbox.advance("hour")  # the timers run, as 「+1 小时」 on the page
    chase = await director.wait_for_message(timeout=10, predicate=lambda m: "待上报上级" in (m.plain_text or ""))
    assert number in chase.plain_text and chase.buttons == ["📤 上报上级", "查看事项"]
    # last week's archived gathering, never recorded either, is not chased: it is closed
    assert sandbox.town.numbers["major"] not in "".join(m.plain_text or "" for m in director.messages())
    await director.press(chase, "📤 上报上级")
    picks = await director.wait_for_message(timeout=10, predicate=lambda m: "请选择已报告的上级部门" in (m.plain_text or ""))
    await director.press(picks, "县委政法委")
    picks = await director.wait_for_message(timeout=10, predicate=lambda m: "已选：县委政法委" in (m.plain_text or ""))
    await director.press(picks, "下一步 »")
    ways = await director.wait_for_message(timeout=10, predicate=lambda m: "请选择报告方式" in (m.plain_text or ""))
    await director.press(ways, "书面")
    await director.wait_for_message(timeout=10, predicate=lambda m: "如需要" in (m.plain_text or ""))
    await director.send_text("书面报告已送县委政法委")
    card = await director.wait_for_message(timeout=10, predicate=lambda m: "已上报：" in (m.plain_text or ""))
    assert "✅ 已记录上报上级：县委政法委（书面）" in card.plain_text and "书面报告已送县委政法委" in card.plain_text


async def test_the_director_edits_the_department_list_in_the_sandbox(sandbox):
    """/admin → 🏛 上级部门: the demo's list (the built-in first list), one added by typing, one removed."""
    director = sandbox.emu.user(demo.persona("王志强").telegram_id)
    await director.send_text("/admin")
    menu = await director.wait_for_message(timeout=10, predicate=lambda m: "🏛 上级部门" in m.buttons)
    await director.press(menu, "🏛 上级部门")
    listing = await director.wait_for_message(timeout=10, predicate=lambda m: "上级部门（5 个" in (m.plain_text or ""))
    await director.press(listing, "➕ 添加部门")
    await director.wait_for_message(timeout=10, predicate=lambda m: "请输入上级部门名称" in (m.plain_text or ""))
    await director.send_text("县应急管理局")
    listing = await director.wait_for_message(timeout=10, predicate=lambda m: "已添加「县应急管理局」" in (m.plain_text or ""))
    await director.press(listing, "✖ 县司法局")
    listing = await director.wait_for_message(timeout=10, predicate=lambda m: "已将「县司法局」移出名单" in (m.plain_text or ""))
    assert "5. 县应急管理局" in listing.plain_text
