"""The demo township's 联合办理, 会商, 调处会, 请示 and 已到场 (issue 16): the data, and demo people
reaching them through the running sandbox."""

import pytest

from bot.sandbox import demo
from bot.services import case_card, joint, meetings, scene, supervision
from bot.services.intake import IntakePolicy
from bot.services.supervision import instruct
from tests.sandbox.conftest import START


@pytest.fixture
def town(db):
    return demo.build(db, start=START, policy=IntakePolicy())


def test_demo_joint_case_consultation_instruction_and_arrival(db, town):
    j, p = town.joint, town.people
    with db.session() as s:
        card = case_card.case_card(s, viewer_id=p["郑红"], case_id=j["case"], now=START)
        assert (card.joint.lead, card.joint.co_units, card.joint.co_unit) == ("镇司法所", ("镇派出所",), True)
        assert "progress" in card.actions and "resolve" not in card.actions
        [met] = joint.consultations(s, case_id=j["case"])
        assert met.participants == "刘海峰、孙丽、镇司法所、镇派出所、镇自然资源所"
        [(at, place)] = card.joint.mediations  # the 调处会 called this morning
        assert at > START and place == "村委会会议室"
        called = meetings.meeting_view(s, actor_id=p["吴刚"], meeting_id=j["mediation"])
        assert called.units == ("镇司法所", "镇派出所", "镇自然资源所") and called.case_visible
        assert called.invitee(p["吴刚"]).answer is not None and called.invitee(p["孙丽"]).answer is not None
        pending = instruct.open_instruction_of(s, j["notice"])
        assert pending is not None and pending.id == j["instruction"] and pending.text.startswith("需要协调：")
        notice = supervision.notice_card(s, viewer_id=p["赵敏"], notice_id=j["notice"], now=START,
                                         policy=IntakePolicy().deadlines)
        assert notice.instruction == j["instruction"]
        [arrived] = scene.on_card(s, case_id=town.cases["major"])
        assert arrived.who == "刘海峰" and (arrived.latitude, arrived.longitude) == demo.DEMO_LOCATION


async def test_demo_people_reach_joint_handling_and_the_instruction_in_the_sandbox(sandbox):
    number = sandbox.town.joint["number"]
    police = sandbox.emu.user(demo.persona("郑红").telegram_id)
    await police.send_text(f"/case {number}")
    card = await police.wait_for_message(timeout=10)
    assert "协办单位：镇派出所（您是协办单位" in card.plain_text and "会商（" in card.plain_text
    assert "进展" in card.buttons and "办结" not in card.buttons
    assert "📣 调处会：" in card.plain_text

    # 郑红 answers the 调处会 from /meetings; 孙丽 opens the case from the meeting's card
    await police.send_text("/meetings")
    listing = await police.wait_for_message(timeout=10)
    await police.press(listing, next(b for b in listing.buttons if "矛盾纠纷调处会" in b))
    called = await police.wait_for_message(timeout=10)
    assert f"调处事项：{number}" in called.plain_text and "✅ 参加" in called.buttons
    staff = sandbox.emu.user(demo.persona("孙丽").telegram_id)
    await staff.send_text("/meetings")
    listing = await staff.wait_for_message(timeout=10)
    await staff.press(listing, next(b for b in listing.buttons if "矛盾纠纷调处会" in b))
    called = await staff.wait_for_message(timeout=10)
    assert "✍️ 记录纪要" in called.buttons
    await staff.press(called, f"📋 事项 {number}")
    assert (await staff.wait_for_message(timeout=10)).plain_text.startswith(f"📋 事项 {number}")

    leader = sandbox.emu.user(demo.persona("赵敏").telegram_id)
    await leader.send_text("/supervisions")
    listing = await leader.wait_for_message(timeout=10)
    await leader.press(listing, next(b for b in listing.buttons if sandbox.town.joint["notice_number"] in b))
    notice = await leader.wait_for_message(timeout=10)
    assert "请示：同意延期" in notice.buttons and "请示：不同意" in notice.buttons
