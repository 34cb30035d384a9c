"""Onboarding through the real bot and the emulator: bootstrap, invitations, registration, strangers."""

from datetime import timedelta
from itertools import chain

import pytest
from sqlmodel import select
from telegram.ext import CommandHandler, ConversationHandler

from bot import texts
from bot.services import people
from models import AuditEvent, Person, Role
from tests.bot.harness import DIRECTOR_ID, say
from tests.bot.steps import invite, make_places, register


async def test_bootstrap_director_gets_menu_and_help(bot, director):
    commands = [c["command"] for c in bot.emu.bot_commands(scope={"type": "chat", "chat_id": DIRECTOR_ID})]
    assert {"invite", "admin", "help", "template"} <= set(commands)
    msg = await say(director, "/help")
    assert "/invite" in msg.plain_text and "/admin" in msg.plain_text
    # In sections, in their order; each of the director's commands once, under its section.
    lines = msg.plain_text.splitlines()
    titles = [title for title, _ in texts.HELP_SECTIONS]
    assert [line for line in lines if line in titles] == titles
    shown = [line.split(" — ")[0].lstrip("/") for line in lines if line.startswith("/")]
    assert shown == [c for _, names in texts.HELP_SECTIONS for c in names]
    assert set(shown) == set(commands)
    msg = await say(director, "/start")
    assert "您好" in msg.plain_text  # second /start: welcome back, not a second bootstrap


def test_every_command_is_in_exactly_one_help_section():
    listed = [c for _, names in texts.HELP_SECTIONS for c in names]
    assert sorted(listed) == sorted(c for c, _, _ in texts.COMMANDS)


def test_every_command_the_bot_answers_is_in_a_menu(bot):
    """A command missing from texts.COMMANDS is in nobody's menu or /help: nobody would find it."""
    found: set[str] = set()

    def walk(handler) -> None:
        if isinstance(handler, CommandHandler):
            found.update(handler.commands)
        if isinstance(handler, ConversationHandler):
            for h in [*handler.entry_points, *handler.fallbacks, *chain.from_iterable(handler.states.values())]:
                walk(h)

    for handler in chain.from_iterable(bot.app.handlers.values()):
        walk(handler)
    # /start is the strangers' menu; /unbindgroup is sent in the group, which the /bindgroup answer names.
    assert found - {c for c, _, _ in texts.COMMANDS} == {"start", "unbindgroup"}


async def test_menus_changed_while_the_bot_was_down_are_sent_again_once(bot, director):
    """Telegram keeps a chat's menu until it is replaced: after an upgrade (here: a contact point set
    while the bot did not watch), the start-up job sends the changed menus, and only once; if Telegram
    asks it to wait, the next start tries again."""
    village, _grid, _unit = await make_places(bot)
    await register(bot, 3005, await invite(director, "中心工作人员"), "周明", "13600000015")
    bot.db.call(people.toggle_contact_point, actor_id=1, person_id=bot.db.call(
        people.find_by_telegram, telegram_id=3005).id, village_id=village.id, now=bot.clock.now())
    # Someone Telegram has no chat with (here: never wrote to this bot) is answered "chat not found":
    # final, not a reason to try again.
    bot.db.call(people.create_person, name="未开聊", phone=None, roles={Role.grid}, telegram_id=3999, now=bot.clock.now())
    [job] = bot.app.job_queue.get_jobs_by_name("refresh-menus")

    def menu() -> set[str]:
        return {c["command"] for c in bot.emu.bot_commands(scope={"type": "chat", "chat_id": 3005})}

    def sent() -> int:
        return sum(1 for c in bot.emu.calls if c.method == "setMyCommands")

    assert "stats" not in menu()
    bot.emu.faults.add("setMyCommands", status=429, retry_after=1)
    await job.run(bot.app)
    assert "stats" not in menu()
    before = sent()
    await job.run(bot.app)  # the next start
    assert "stats" in menu() and sent() > before
    before = sent()
    await job.run(bot.app)
    assert sent() == before  # nothing changed since: nothing sent


@pytest.mark.parametrize(
    ("role", "label", "steps", "place"),
    [
        (Role.grid, "网格员", ["东山村", "第一网格"], "东山村 第一网格"),
        (Role.unit, "承办单位联络人", ["镇司法所"], "镇司法所"),
        (Role.staff, "中心工作人员", [], ""),
        (Role.leader, "中心领导", [], ""),
        (Role.secretary, "党委书记", [], ""),
        (Role.township_leader, "镇党政领导", [], ""),
    ],
)
async def test_invitation_for_each_role(bot, director, role, label, steps, place):
    await make_places(bot)
    code = await invite(director, label, *steps)
    user, msg = await register(bot, 2001, code, "李四", "+86 13800138000")
    assert "登记完成" in msg.plain_text and label in msg.plain_text
    assert place in msg.plain_text
    with bot.db.session() as s:
        person = s.exec(select(Person).where(Person.telegram_id == 2001)).one()
        assert person.phone == "13800138000"
    commands = {c["command"] for c in bot.emu.bot_commands(scope={"type": "chat", "chat_id": 2001})}
    assert "help" in commands and "invite" not in commands
    msg = await say(user, "/help")
    assert "/me" in msg.plain_text and "/invite" not in msg.plain_text
    assert "人员与群" not in msg.plain_text  # a section with none of their commands is left out
    if role == Role.township_leader:  # their 包案 cases, and nothing of the center's daily work
        assert "baoan" in commands and "/baoan" in msg.plain_text
        assert not {"report", "visit", "search", "supervise"} & commands


async def test_wrong_answers_during_registration_get_hints(bot, director):
    code = await invite(director, "中心工作人员")
    user = bot.user(2002, "新人")
    await say(user, f"/start {code}")
    await user.send_sticker()
    assert "需要文字" in (await user.wait_for_message()).plain_text
    assert "2–20" in (await say(user, "李" * 30)).plain_text
    assert "2–20" in (await say(user, "<b>hi</b>")).plain_text
    msg = await say(user, "孙丽")
    assert "发送我的手机号" in msg.plain_text
    assert "不要手动输入" in (await say(user, "13800138000")).plain_text
    await user.send_contact("13900000000", user_id=None, first_name="别人")
    assert "本人" in (await user.wait_for_message()).plain_text
    await user.send_contact("13700000000")
    assert "登记完成" in (await user.wait_for_message()).plain_text


async def test_used_expired_and_garbage_codes(bot, director):
    code = await invite(director, "中心工作人员")
    await register(bot, 2003, code, "甲乙", "13700000001")
    second = bot.user(2004, "后来者")
    assert "使用过" in (await say(second, f"/start {code}")).plain_text
    assert "邀请码无效" in (await say(second, "/start not-a-real-code")).plain_text
    code2 = await invite(director, "中心工作人员")
    bot.clock.advance(timedelta(days=8))
    assert "过期" in (await say(second, f"/start {code2}")).plain_text


async def test_stranger_gets_their_id_and_nothing_else(bot, director):
    stranger = bot.user(777, "路人")
    msg = await say(stranger, "你好")
    assert "777" in msg.plain_text and "管理员" in msg.plain_text
    assert "777" in (await say(stranger, "/admin")).plain_text
    # A forged admin button from a stranger: refused, nothing happens.
    cq = await stranger.press(stranger.last_message(), data="adm:people")
    assert "登记" in (await stranger.wait_for_callback_answer(cq)).text


async def test_restart_in_the_middle_of_registration(bot, director):
    code = await invite(director, "中心工作人员")
    user = bot.user(2005, "新人")
    await say(user, f"/start {code}")
    await say(user, "周明")
    await bot.restart()
    await user.send_contact("13600000002")
    msg = await user.wait_for_message()
    assert "登记完成" in msg.plain_text and "周明" in msg.plain_text


async def test_cancel_registration(bot, director):
    code = await invite(director, "中心工作人员")
    user = bot.user(2006, "新人")
    await say(user, f"/start {code}")
    assert "已取消登记" in (await say(user, "/cancel")).plain_text
    assert "2006" in (await say(user, "你好")).plain_text  # back to being a stranger
    msg = await say(user, f"/start {code}")  # the code was not used up by cancelling
    assert "请输入您的真实姓名" in msg.plain_text


async def test_registration_is_audited(bot, director):
    code = await invite(director, "中心工作人员")
    await register(bot, 2007, code, "赵六", "13600000003")
    with bot.db.session() as s:
        acts = [e.action for e in s.exec(select(AuditEvent).order_by(AuditEvent.id))]
    assert acts == ["person.bootstrap", "invitation.create", "person.register"]
