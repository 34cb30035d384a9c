"""A person who walks away from one step-by-step flow (without /cancel) and starts another: what
they type goes to the flow they started last, never into the abandoned one."""

import math

from bot import texts
from tests.bot.steps import has, open_card, tap, write
from tests.bot.towns import DIRECTOR, BaoanTown


async def _baoan_left_for_supervise(bot):
    """The director asks for 包案 up to the typed reason, walks away from it and starts /supervise
    (registered after the 包案 flow)."""
    town = BaoanTown(bot)
    await town.greet()
    director = town.users[DIRECTOR]
    case_id = await town.running_case()
    number = town.case(case_id).number
    card = await open_card(director, number)
    ask = await tap(director, card, "🧭 申请包案", "请选择提议的包案领导")
    await tap(director, ask, "👤 刘领导", "请输入报请包案的理由")
    await director.send_text("/supervise")
    await director.wait_for_message(predicate=has("请输入要督办的事项编号"))
    return town, director, case_id, number


async def test_typing_goes_to_the_flow_started_last(bot):
    town, director, case_id, number = await _baoan_left_for_supervise(bot)
    # The typed case number is the 督办's, not a 包案 reason.
    units = await write(director, number, "请选择承办单位")
    assert f"督办事项 {number}" in units.plain_text
    assert town.requests(case_id) == []  # nothing was proposed with the case number as its reason

    # /cancel ends the 督办 flow; the next text reaches neither flow.
    await director.send_text("/cancel")
    await director.wait_for_message(predicate=has("取消"))
    stray = await write(director, "随便说一句")
    assert stray.plain_text == texts.UNEXPECTED_MESSAGE
    assert town.requests(case_id) == []

    # Starting the 包案 flow again makes it current again.
    card = await open_card(director, number)
    ask = await tap(director, card, "🧭 申请包案", "请选择提议的包案领导")
    await tap(director, ask, "👤 刘领导", "请输入报请包案的理由")
    await write(director, "涉及多个部门，需党委、政府协调处理", "请确认")


async def test_the_flow_walked_away_from_times_out_without_touching_the_current_one(bot):
    """The abandoned flow's timeout must not speak into the flow the person is in now, nor take the
    buttons off that flow's step message (the step message on record is the current flow's)."""
    _town, director, _case_id, number = await _baoan_left_for_supervise(bot)
    units = await write(director, number, "请选择承办单位")
    offered = list(units.buttons)
    assert offered

    [job] = bot.app.job_queue.get_jobs_by_name("conversation-timeouts")
    [baoan] = [flow for flow in job.data if flow.name == "baoan"]
    seen = len(director.messages())
    assert await baoan.expire(math.inf) == 1

    assert units.buttons == offered  # the 督办 step still has its buttons
    assert len(director.messages()) == seen  # and nothing about the 包案 flow was said
    # The 督办 flow goes on from that very message.
    await tap(director, units, offered[2])  # the first unit, under 「承办单位」/「承办人员」
