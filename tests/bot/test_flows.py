"""A person who walks away from one step-by-step flow (without /cancel) and starts another: what
they type goes to the flow they started last, never into the abandoned one."""

from bot import texts
from tests.bot.steps import has, open_card, tap, write
from tests.bot.towns import DIRECTOR, BaoanTown


async def test_typing_goes_to_the_flow_started_last(bot):
    town = BaoanTown(bot)
    await town.greet()
    director = town.users[DIRECTOR]
    case_id = await town.running_case()
    number = town.case(case_id).number

    # 申请包案 up to the typed reason, then walked away from.
    card = await open_card(director, number)
    ask = await tap(director, card, "🧭 申请包案", "请选择提议的包案领导")
    await tap(director, ask, "👤 刘领导", "请输入报请包案的理由")

    # /supervise (registered after the 包案 flow): the typed case number is the 督办's.
    await director.send_text("/supervise")
    await director.wait_for_message(predicate=has("请输入要督办的事项编号"))
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
