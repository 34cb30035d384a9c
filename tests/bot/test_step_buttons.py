"""Buttons of a step already passed do not stay live: when a person answers by typing (or sends
another message) instead of pressing, the step's message loses its keyboard, as real bots do;
a hint that keeps the person on the same step keeps the buttons they still need."""

from tests.bot.harness import buttons_gone, press, say
from tests.bot.steps import to_place_step, wait
from tests.bot.towns import reporting_town


async def test_typed_answers_take_the_passed_steps_buttons_away(bot):
    reporting_town(bot)
    user = bot.user(6, "张网格")
    await to_place_step(user)
    await user.send_text("跳过")
    msg = await wait(user, "什么时候发生")
    parties = await press(user, msg, "刚刚")
    assert "➕ 添加当事人" in parties.buttons
    await press(user, parties, "➕ 添加当事人")  # edited in place into the name question
    ask_phone = await say(user, "赵大")
    assert ask_phone.buttons == ["跳过"]
    ask_id = await say(user, "13800138000")  # typed instead of pressing 「跳过」
    assert "身份证号" in ask_id.plain_text and ask_id.buttons == ["跳过"]
    assert await buttons_gone(bot, ask_phone)
    await user.send_sticker()  # the wrong kind: the step is asked again below, with its button
    again = await wait(user, "这一步需要输入文字")
    assert again.buttons == ["跳过"]
    assert await buttons_gone(bot, ask_id)
    await user.send_text("/cancel")
    await wait(user, "已放弃上报")
    assert await buttons_gone(bot, again)  # the flow ended: nothing of it stays pressable


async def test_each_new_done_prompt_replaces_the_last(bot):
    reporting_town(bot)
    user = bot.user(6, "张网格")
    await to_place_step(user)
    await user.send_text("跳过")
    msg = await press(user, await wait(user, "什么时候发生"), "刚刚")
    msg = await press(user, msg, "跳过")
    msg = await press(user, msg, "1")
    ask_files = await say(user, "两户因排水沟争吵")
    assert "第 9/9 步" in ask_files.plain_text and ask_files.buttons == ["完成"]
    await user.send_photo(b"photo one")
    first = await wait(user, "已收到附件 1 个")
    assert first.buttons == ["完成"]
    assert await buttons_gone(bot, ask_files)
    await user.send_photo(b"photo two")
    second = await wait(user, "已收到附件 2 个")
    assert await buttons_gone(bot, first) and second.buttons == ["完成"]
    summary = await press(user, second, "完成")  # pressed: edited in place into the summary
    assert "✅ 提交" in summary.buttons


async def test_a_hint_on_the_same_step_keeps_the_buttons(bot, director):
    msg = await say(director, "/calendar")
    await director.press(msg, "➕ 录入日期")
    await director.wait_for_message()
    saved = await say(director, "2027-01-01 休 元旦")
    assert saved.buttons == ["完成"]
    newer = await say(director, "2027-02-07 班 春节调休")
    assert newer.buttons == ["完成"] and await buttons_gone(bot, saved)
    await director.send_sticker()
    await wait(director, "请输入文字")
    assert newer.buttons == ["完成"]  # still on the same step: 「完成」 is what they press next
    assert "已录入" in (await press(director, newer, "完成")).plain_text
