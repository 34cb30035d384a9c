"""Unexpected input and failures: the person is told what to do, admins are alerted, nothing is lost."""

from sqlalchemy.exc import OperationalError

import handlers.menus
from tests.bot.harness import say
from tests.bot.steps import invite, register


async def test_unknown_command_and_unexpected_messages(bot, director):
    assert "没有这个命令" in (await say(director, "/nosuchthing")).plain_text
    await director.send_sticker()
    assert "/help" in (await director.wait_for_message()).plain_text
    await director.send_location(30.1, 120.2)
    assert "/help" in (await director.wait_for_message()).plain_text
    assert "没有进行中的操作" in (await say(director, "/cancel")).plain_text


async def test_error_tells_user_and_alerts_admin_once_a_minute(bot, director, monkeypatch):
    code = await invite(director, "中心工作人员")
    staff, _ = await register(bot, 4001, code, "周明", "13600000020")
    before = len(director.messages())

    def boom(person):
        raise RuntimeError("boom")

    monkeypatch.setattr(handlers.menus, "help_text", boom)
    msg = await say(staff, "/help")
    assert "系统出了点问题" in msg.plain_text and "请稍后再试" in msg.plain_text
    alert = await director.wait_for_message()
    assert "RuntimeError: boom" in alert.plain_text and "周明" in alert.plain_text
    assert "系统出了点问题" in (await say(staff, "/help")).plain_text
    await bot.settle()
    alerts = [m for m in director.messages()[before:] if "机器人出错" in m.plain_text]
    assert len(alerts) == 1


async def test_database_outage_loses_nothing(bot, director, monkeypatch):
    code = await invite(director, "中心工作人员")
    user = bot.user(4002, "新人")
    await say(user, f"/start {code}")
    await say(user, "陈晓梅")
    real_run, real_read = bot.db.run, bot.db.read

    async def down(fn, /, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("could not connect to server"))

    monkeypatch.setattr(bot.db, "run", down)
    monkeypatch.setattr(bot.db, "read", down)  # the gate's lookup only reads
    await user.send_contact("13600000021")
    msg = await user.wait_for_message()
    assert "数据库" in msg.plain_text and "保留" in msg.plain_text
    monkeypatch.setattr(bot.db, "run", real_run)
    monkeypatch.setattr(bot.db, "read", real_read)
    await user.send_contact("13600000021")
    msg = await user.wait_for_message()
    assert "登记完成" in msg.plain_text and "陈晓梅" in msg.plain_text
