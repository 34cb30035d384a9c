"""Buttons for the stored vocabularies (办结结果, 协议类型, 答复方式, 满意度) carry the member's name.

Buttons sent before that carried a position in a list, and some still sit in people's chats: such a
press means what it meant when it was sent, through the frozen LEGACY_ORDER, whatever the enum's
order is now. An unknown name or a position past the old list is a stale button and changes nothing.
"""

import pytest

from bot import texts
from handlers.common import LEGACY_ORDER, StaleButton, vocab_part
from models import Agreement, Outcome, ReplyMethod, Satisfaction
from tests.bot.steps import forged_is_stale, has, open_card, snapshot, tap, with_leader, write
from tests.bot.towns import HANDLER, LEADER, BaoanTown

# The lists as they stood in bot/texts.py when buttons carried positions (OUTCOMES, AGREEMENTS,
# REPLY_METHODS, SATISFACTION): written out again here so that no edit of the code can move them.
SENT_BEFORE = {
    Outcome: ["调解成功", "部分成功", "未成功", "转办", "不予受理"],
    Agreement: ["书面协议", "口头协议", "无协议"],
    ReplyMethod: ["当面", "电话", "书面", "短信/微信"],
    Satisfaction: ["满意", "基本满意", "不满意"],
}


# --- the parse -----------------------------------------------------------------------------------


@pytest.mark.parametrize("vocab", list(SENT_BEFORE))
def test_an_old_position_means_the_word_it_meant_when_sent(vocab):
    assert [vocab_part(["x", "y", "1", str(i)], 3, vocab).value for i in range(len(SENT_BEFORE[vocab]))] \
        == SENT_BEFORE[vocab]


@pytest.mark.parametrize("vocab", list(SENT_BEFORE))
def test_a_name_means_its_member_and_the_values_are_the_stored_words(vocab):
    assert {m.value for m in vocab} == set(SENT_BEFORE[vocab])  # no data migration
    for member in vocab:
        assert vocab_part(["x", "y", "1", member.name], 3, vocab) is member


@pytest.mark.parametrize("part", ["happy", "5", "-1", "01", "", "__class__", "调解成功", "MEDIATED", "٣"])
def test_an_unknown_name_or_position_is_stale(part):
    with pytest.raises(StaleButton):
        vocab_part(["ca", "ro", "1", part], 3, Outcome)
    with pytest.raises(StaleButton):
        vocab_part(["ca", "ro", "1"], 3, Outcome)  # no word at all


@pytest.mark.parametrize("vocab", list(SENT_BEFORE))
def test_reordering_an_enum_does_not_change_what_an_old_button_means(vocab, monkeypatch):
    """Someone sorts the members differently (or adds one in the middle): the new buttons follow,
    the old positions do not."""
    before = [vocab_part(["x", "y", "1", str(i)], 3, vocab) for i in range(len(LEGACY_ORDER[vocab]))]
    monkeypatch.setattr(vocab, "_member_names_", list(reversed(vocab._member_names_)))
    assert next(iter(vocab)).value == SENT_BEFORE[vocab][-1]  # the enum's order did change
    after = [vocab_part(["x", "y", "1", str(i)], 3, vocab) for i in range(len(LEGACY_ORDER[vocab]))]
    assert after == before and [m.value for m in after] == SENT_BEFORE[vocab]


# --- through the chat ----------------------------------------------------------------------------


@pytest.fixture
async def town(bot):
    t = BaoanTown(bot)
    await t.greet()
    return t


def _data(message) -> list[str]:
    return [b["callback_data"] for row in message.current.inline_markup["inline_keyboard"] for b in row]


async def test_resolve_reply_and_satisfaction_buttons_carry_names(bot, town):
    handler = town.users[HANDLER]
    a = await town.running_case()
    card = await open_card(handler, town.case(a).number)
    outcome = await tap(handler, card, "办结", "请选择办理结果")
    assert _data(outcome)[:5] == [f"ca:ro:{a}:{m.name}" for m in Outcome]
    assert outcome.buttons[:5] == SENT_BEFORE[Outcome]  # labels unchanged
    agreement = await tap(handler, outcome, "部分成功", "请选择协议类型")
    assert _data(agreement)[:3] == [f"ca:ra:{a}:{m.name}" for m in Agreement]
    await tap(handler, agreement, "书面协议", "请输入办理结果")
    card = await write(handler, "部分达成一致", "已办结")
    methods = await tap(handler, card, "答复", "请选择答复当事人的方式")
    assert _data(methods)[:4] == [f"ca:rm:{a}:{m.name}" for m in ReplyMethod]
    when = await tap(handler, methods, "短信/微信", "什么时候答复的")
    card = await tap(handler, when, "刚刚", "已记录答复")
    levels = await tap(handler, card, "满意度", "满意吗")
    assert _data(levels)[:3] == [f"case:sfl:{a}:{m.name}" for m in Satisfaction]
    await tap(handler, levels, "基本满意", "已记录满意度：基本满意")
    case = town.case(a)
    assert (case.outcome, case.agreement, case.reply_method, case.satisfaction) \
        == ("部分成功", "书面协议", "短信/微信", "基本满意")


async def test_old_position_buttons_keep_their_meaning(bot, town):
    handler = town.users[HANDLER]
    a = await town.running_case()
    card = await open_card(handler, town.case(a).number)
    outcome = await tap(handler, card, "办结", "请选择办理结果")
    await handler.press(outcome, data=f"ca:ro:{a}:2")
    agreement = await handler.wait_for_message(predicate=has("：未成功。请选择协议类型"))
    await handler.press(agreement, data=f"ca:ra:{a}:2")
    await handler.wait_for_message(predicate=has("未成功｜无协议。", "请输入办理结果"))
    card = await write(handler, "双方未能和解", "已办结")
    methods = await tap(handler, card, "答复", "请选择答复当事人的方式")
    await handler.press(methods, data=f"ca:rm:{a}:0")
    when = await handler.wait_for_message(predicate=has("答复方式：当面。"))
    card = await tap(handler, when, "刚刚", "已记录答复")
    levels = await tap(handler, card, "满意度", "满意吗")
    await handler.press(levels, data=f"case:sfl:{a}:1")
    await handler.wait_for_message(predicate=has("已记录满意度：基本满意"))
    case = town.case(a)
    assert (case.outcome, case.agreement, case.reply_method, case.satisfaction) \
        == ("未成功", "无协议", "当面", "基本满意")


async def test_unknown_or_out_of_range_buttons_are_stale_and_change_nothing(bot, town):
    handler = town.users[HANDLER]
    a = await town.running_case()
    before = snapshot(town, a)
    card = await open_card(handler, town.case(a).number)
    outcome = await tap(handler, card, "办结", "请选择办理结果")
    for part in ("happy", "5", "99999999999"):
        await forged_is_stale(handler, outcome, f"ca:ro:{a}:{part}")
    agreement = await tap(handler, outcome, "调解成功", "请选择协议类型")
    for part in ("none", "3"):
        await forged_is_stale(handler, agreement, f"ca:ra:{a}:{part}")
    assert snapshot(town, a) == before
    await tap(handler, agreement, "口头协议", "请输入办理结果")
    card = await write(handler, "已和解", "已办结")
    methods = await tap(handler, card, "答复", "请选择答复当事人的方式")
    for part in ("email", "4"):
        await forged_is_stale(handler, methods, f"ca:rm:{a}:{part}")
    when = await tap(handler, methods, "电话", "什么时候答复的")
    card = await tap(handler, when, "刚刚", "已记录答复")
    after_reply = snapshot(town, a)
    levels = await tap(handler, card, "满意度", "满意吗")
    for part in ("unhappy", "3"):
        await forged_is_stale(handler, levels, f"case:sfl:{a}:{part}")
    assert snapshot(town, a) == after_reply and town.case(a).satisfaction is None
    await tap(handler, levels, "满意", "已记录满意度：满意")


async def test_baoan_outcome_old_position_and_stale(bot, town):
    leader = town.users[LEADER]
    a = await town.running_case()
    await with_leader(town, a)
    before = snapshot(town, a)
    card = await open_card(leader, town.case(a).number)
    ask = await tap(leader, card, "🏁 包案办结", "请选择办结结果")
    assert _data(ask)[:5] == [f"ba:o:{a}:{m.name}" for m in Outcome]
    for part in ("declined_twice", "5"):
        await forged_is_stale(leader, ask, f"ba:o:{a}:{part}")
    assert snapshot(town, a) == before
    await leader.press(ask, data=f"ba:o:{a}:3")  # an old 「转办」 button
    await leader.wait_for_message(predicate=has("结果「转办」", "请输入办结情况"))
    files = await write(leader, "已移交县信访局处理", "请发送包案办结材料")
    joint = await tap(leader, files, "✅ 完成", "是否与上级部门联合调处")
    await tap(leader, joint, "🏁 办结", "包案已办结")
    assert town.case(a).outcome == "转办"


def test_has_checks_the_stored_word_not_the_name():
    assert Outcome.has("调解成功") and Outcome.has(Outcome.mediated) and not Outcome.has("mediated")
    assert not Agreement.has(None) and Satisfaction.dissatisfied == "不满意"
    assert texts.CARD_DONE_SATISFACTION.format(level=Satisfaction.satisfied) == "✅ 已记录满意度：满意。"
