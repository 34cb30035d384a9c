"""The demo township's 工作联系点 records: 刘海峰's answered and waiting problems; 王志强 answers the one
waiting from 西河村's page; 刘海峰 records a 督导 in a village of his; and after the working days of
CONTACT_POINT_DAYS with nothing recorded, 赵敏 is reminded of a village she has not visited."""

from bot.sandbox import demo


def _has(*parts):
    return lambda m: all(p in (m.plain_text or "") for p in parts)


async def test_the_demo_director_answers_the_waiting_problem(sandbox):
    boss = sandbox.emu.user(demo.persona("王志强").telegram_id)
    await boss.send_text("/contact")
    listing = await boss.wait_for_message(timeout=10, predicate=_has("工作联系点"))
    assert "东山村（刘海峰）" in listing.plain_text and "西河村（刘海峰）" in listing.plain_text
    assert "1 个问题待答复" in listing.plain_text
    await boss.press(listing, "西河村")
    page = await boss.wait_for_message(timeout=10, predicate=_has("西河村 工作联系点", "养殖污水"))
    await boss.press(page, next(b for b in page.buttons if b.startswith("✍️ 答复")))
    await boss.wait_for_message(timeout=10, predicate=_has("答复 西河村 联系点反映的问题"))
    await boss.send_text("已联系县生态环境局，下周一派员检测")
    await boss.wait_for_message(timeout=10, predicate=_has("已答复", "已联系县生态环境局"))
    leader = sandbox.emu.user(demo.persona("刘海峰").telegram_id)
    await leader.wait_for_message(timeout=10, predicate=_has("问题已答复", "已联系县生态环境局"))


async def test_the_demo_contact_point_records_and_is_reminded_of_a_quiet_village(sandbox):
    leader = sandbox.emu.user(demo.persona("刘海峰").telegram_id)
    await leader.send_text("/contact")
    listing = await leader.wait_for_message(timeout=10, predicate=_has("工作联系点"))
    assert "桃源村（赵敏）：最近" in listing.plain_text  # a center leader reads every village
    await leader.press(listing, "南岭村")
    page = await leader.wait_for_message(timeout=10, predicate=_has("南岭村 工作联系点", "还没有工作记录"))
    await leader.press(page, "➕ 记录联系点工作")
    ask = await leader.wait_for_message(timeout=10, predicate=_has("记录哪项工作"))
    await leader.press(ask, "宣传教育")
    days = await leader.wait_for_message(timeout=10, predicate=_has("哪天做的"))
    await leader.press(days, "今天")
    await leader.wait_for_message(timeout=10, predicate=_has("请写明做了什么"))
    await leader.send_text("在南岭村开展平安建设法治宣传，发放资料120份")
    question = await leader.wait_for_message(timeout=10, predicate=_has("有需要中心协调"))
    await leader.press(question, "没有问题")
    await leader.wait_for_message(timeout=10, predicate=_has("已记录：南岭村", "宣传教育"))
    zhao = sandbox.emu.user(demo.persona("赵敏").telegram_id)
    for _ in range(9):  # the set-up was twelve working days before START: 20 working days after it
        await sandbox.advance("workday")
    told = await zhao.wait_for_message(timeout=120, predicate=_has("联系点提醒", "青龙村"))
    assert "20 个工作日没有工作记录" in told.plain_text
    assert not any("联系点提醒" in (m.plain_text or "") and "南岭村" in m.plain_text
                   for m in sandbox.emu.world.chat_messages(leader.record.id))  # recorded: not quiet
