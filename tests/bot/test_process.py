"""The real `python run_bot.py` process against the emulator served on 127.0.0.1."""

import asyncio
import os
import signal
import subprocess
import sys

import pytest

from bot.emulator import Emulator
from bot.emulator.server import serve
from tests.bot.harness import BOT_USERNAME, TOKEN, invite_code
from tests.bot.steps import ROOT, _env


async def test_real_process_registers_a_person(db_url, tmp_path):
    emu = Emulator(token=TOKEN, bot_username=BOT_USERNAME)
    async with await serve(emu, host="127.0.0.1", port=0) as server:
        # Run from an empty folder, so no .env of the developer's is read.
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "run_bot.py")], cwd=tmp_path, env=_env(db_url, server),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )
        try:
            director = emu.user(1, "志强")
            await director.send_text("/start")
            assert "中心主任" in (await director.wait_for_message(timeout=30)).plain_text
            await director.send_text("/invite")
            msg = await director.wait_for_message(timeout=10)
            await director.press(msg, "中心工作人员")
            code = invite_code((await director.wait_for_message(timeout=10)).plain_text)
            user = emu.user(2, "新人")
            await user.send_text(f"/start {code}")
            await user.wait_for_message(timeout=10)
            await user.send_text("孙丽")
            await user.wait_for_message(timeout=10)
            await user.send_contact("13800000001")
            assert "登记完成" in (await user.wait_for_message(timeout=10)).plain_text
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                out, _ = await asyncio.to_thread(proc.communicate, timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                out, _ = proc.communicate()
        assert proc.returncode == 0, out.decode(errors="replace")[-2000:]


def test_missing_token_exits_2_with_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "run_bot.py")], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "TELEGRAM_BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_setting_names_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update(TELEGRAM_BOT_TOKEN="1:x", TIMEZONE="Mars/Olympus")
    result = subprocess.run(
        [sys.executable, str(ROOT / "run_bot.py")], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2 and "TIMEZONE" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("setting, value, says", [
    ("outbox_text_days", "abc", "配置 OUTBOX_TEXT_DAYS 无效：应为整数"),
    ("outbox_text_days", "10", "配置 OUTBOX_TEXT_DAYS 无效：应为 0（一直保留）或至少 30 天"),
    ("outbox_text_days", "5000", "配置 OUTBOX_TEXT_DAYS 无效：不能大于 3650"),
    ("yellow_ratio", "1.5", "配置 YELLOW_RATIO 无效：应小于 1"),
    ("yellow_ratio", "七成", "配置 YELLOW_RATIO 无效：应为数字"),
    ("digests_enabled", "maybe", "配置 DIGESTS_ENABLED 无效：应为 true 或 false"),
    ("sweep_interval_seconds", "-1", "配置 SWEEP_INTERVAL_SECONDS 无效：不能小于 0"),
    # 信息报告: the phone report comes before the written 初报
    ("info_report_phone_minutes", "2", "配置 INFO_REPORT_PHONE_MINUTES 无效：不能小于 5"),
    ("info_report_phone_minutes", "200", "配置 INFO_REPORT_PHONE_MINUTES 无效：不能大于 120"),
    ("info_report_first_minutes", "300", "配置 INFO_REPORT_FIRST_MINUTES 无效：不能大于 240"),
])
def test_a_wrong_number_or_switch_is_named_in_chinese(setting, value, says):
    from bot.config import SettingsError, load_settings

    with pytest.raises(SettingsError) as raised:
        load_settings(_env_file=None, telegram_bot_token="1:x", **{setting: value})
    assert str(raised.value) == says


def test_the_phone_report_is_due_before_the_written_one_by_default():
    from bot.config import load_settings

    settings = load_settings(_env_file=None, telegram_bot_token="1:x")
    assert (settings.info_report_phone_minutes, settings.info_report_first_minutes) == (30, 60)
    # an .env from before the phone deadline existed (the written 初报 in 30 minutes) still starts: the
    # call is due in half the time
    old = load_settings(_env_file=None, telegram_bot_token="1:x", info_report_first_minutes="30")
    assert (old.info_report_phone_minutes, old.info_report_first_minutes) == (15, 30)


def test_a_written_deadline_not_after_the_phone_one_is_refused():
    from bot.config import SettingsError, load_settings

    with pytest.raises(SettingsError) as raised:
        load_settings(_env_file=None, telegram_bot_token="1:x", info_report_phone_minutes="30",
                      info_report_first_minutes="30")
    assert str(raised.value) == ("配置 INFO_REPORT_FIRST_MINUTES 无效：应大于 INFO_REPORT_PHONE_MINUTES（30）："
                                 "先电话报告，再报书面初报")


@pytest.mark.parametrize("url, says", [
    ("postgresql://zhongxin:Mi3ma@127.0.0.1:5432a/zongzhi", "端口是数字"),
    ("postgresql://zhongxin:Mi3ma@2026@127.0.0.1/zongzhi", "%40"),  # an @ in the password, not encoded
])
def test_a_malformed_database_url_is_one_line_without_the_password(tmp_path, url, says):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(TELEGRAM_BOT_TOKEN="1:x", DATABASE_URL=url)
    result = subprocess.run([sys.executable, str(ROOT / "run_bot.py"), "migrate"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "DATABASE_URL" in result.stderr and says in result.stderr
    assert "Traceback" not in result.stderr and "Mi3ma" not in result.stderr and "2026@" not in result.stderr
