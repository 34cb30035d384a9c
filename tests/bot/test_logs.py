"""The log never holds the bot token, a phone or an ID number, at any level, from any library."""

import logging

from bot.services import cases
from tests.bot.harness import TOKEN, press, say
from tests.bot.steps import to_place_step, wait
from tests.bot.towns import reporting_town
from tests.factories import VALID_ID

PHONE = "13812345678"


def record_texts(caplog) -> str:
    """Every record as the log handler formats it, tracebacks included."""
    handler = next(h for h in logging.getLogger().handlers if h is caplog.handler)
    return "\n".join(handler.format(r) for r in caplog.records)


async def report_with_a_party(user) -> None:
    await to_place_step(user)
    await user.send_text("跳过")
    msg = await wait(user, "什么时候发生")
    msg = await press(user, msg, "刚刚")
    msg = await press(user, msg, "➕ 添加当事人")
    assert "赵大 的联系电话" in (await say(user, "赵大")).plain_text
    assert "赵大 的身份证号" in (await say(user, PHONE)).plain_text
    msg = await say(user, VALID_ID)
    msg = await press(user, msg, "完成")
    msg = await press(user, msg, "2")
    await user.send_text(f"赵大（电话 {PHONE}，身份证 {VALID_ID}）与邻居争吵")
    msg = await wait(user, "9/9")
    summary = await press(user, msg, "完成")
    done = await press(user, summary, "✅ 提交")
    assert "2026-0001" in done.plain_text


async def test_token_phones_and_id_numbers_are_masked_at_debug(bot, caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "telegram", "sqlalchemy.engine"):
        caplog.set_level(logging.DEBUG, logger=name)
    town = reporting_town(bot)
    worker, director = bot.user(6, "张网格"), bot.user(1, "王主任")
    await say(director, "/help")
    await report_with_a_party(worker)
    await director.send_text("/case 2026-0001")
    card = await wait(director, "📋 事项 2026-0001", timeout=15)
    assert PHONE in card.plain_text  # the director sees it in the chat; the log must not
    await director.send_text(f"/supervise 2026-0001 镇司法所 2026-12-10 请联系赵大 {PHONE}")
    preview = await wait(director, "督办通知书预览", timeout=15)
    await director.press(preview, "✅ 确认下达")
    await wait(director, "已下达督办通知书", timeout=15)
    await bot.settle()
    assert town.cases()
    log = record_texts(caplog)
    assert "sendMessage" in log and "getUpdates" in log  # the Bot API calls were logged
    assert "bot123456:***" in log and "138****5678" in log and "1101**********002X" in log
    for secret in (TOKEN, TOKEN.split(":")[1], PHONE, VALID_ID, "138-1234-5678"):
        assert secret not in log, secret


async def test_error_handler_logs_the_update_ids_not_its_text(bot, caplog, monkeypatch):
    reporting_town(bot)
    worker = bot.user(6, "张网格")
    await to_place_step(worker)
    await worker.send_text("跳过")
    msg = await wait(worker, "什么时候发生")
    msg = await press(worker, msg, "刚刚")
    msg = await press(worker, msg, "➕ 添加当事人")
    await say(worker, "赵大")

    def boom(party):
        raise RuntimeError("boom")

    monkeypatch.setattr(cases, "clean_party", boom)
    caplog.set_level(logging.INFO)
    await worker.send_text("0571-88123456 住东山村三组")
    assert "系统出了点问题" in (await worker.wait_for_message()).plain_text
    [error] = [r for r in caplog.records if r.levelno >= logging.ERROR and r.name == "handlers.errors"]
    text = record_texts(caplog)
    assert "RuntimeError: boom" in text
    assert "东山村三组" not in text and "88123456" not in text
    assert "message" in error.getMessage() and str(worker.id) in error.getMessage()


def test_a_database_password_in_a_logged_url_is_masked(caplog):
    from bot import logmask

    logmask.install()
    caplog.set_level(logging.WARNING)
    logging.getLogger("bot.db").warning("cannot reach postgresql+psycopg://zhongxin:Mi3ma@2026@db:5432/zongzhi")
    logging.getLogger("bot.db").warning("the API at http://127.0.0.1:8081/bot is fine")
    log = record_texts(caplog)
    assert "postgresql+psycopg://zhongxin:***@db:5432/zongzhi" in log and "Mi3ma" not in log
    assert "http://127.0.0.1:8081/bot" in log  # a port is not a password
