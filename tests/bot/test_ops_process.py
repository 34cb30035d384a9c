"""The real run_bot.py in production modes (issue 18): the webhook with its secret header, /healthz and
/metrics on the same server, and SQLite's one-instance rule."""

import asyncio
import signal
import socket
import subprocess
import sys

import httpx
import pytest

from bot.emulator import Emulator
from bot.emulator.server import serve
from tests.bot.harness import BOT_USERNAME, TOKEN
from tests.bot.steps import ROOT, _env, run_bot_process

SECRET = "s3cr3t-Token_for-tests"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _stop(proc) -> tuple[int, str]:
    proc.send_signal(signal.SIGINT)
    try:
        await asyncio.to_thread(proc.wait, 30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return proc.returncode, proc.log.read_text(errors="replace")


async def _wait_http(url: str, proc) -> httpx.Response:
    async with httpx.AsyncClient(timeout=3) as client:
        for _ in range(300):
            assert proc.poll() is None, proc.log.read_text(errors="replace")[-2000:]
            try:
                return await client.get(url)
            except httpx.HTTPError:
                await asyncio.sleep(0.1)
    raise AssertionError(f"{url} never answered")


async def test_webhook_checks_the_secret_and_serves_health_and_metrics(db_url, tmp_path):
    emu = Emulator(token=TOKEN, bot_username=BOT_USERNAME)
    port = _free_port()
    hook = f"http://127.0.0.1:{port}/telegram-hook"
    async with await serve(emu, host="127.0.0.1", port=0) as server:
        env = _env(db_url, server, WEBHOOK_URL=hook, WEBHOOK_SECRET=SECRET, WEBHOOK_PORT=str(port))
        env["LOG_LEVEL"] = "DEBUG"
        proc = run_bot_process(env, tmp_path)
        try:
            health = await _wait_http(f"http://127.0.0.1:{port}/healthz", proc)
            for _ in range(100):  # the active instance registers its webhook with Telegram
                if emu.world.webhook_url:
                    break
                await asyncio.sleep(0.1)
            assert emu.world.webhook_url == hook
            director = emu.user(1, "志强")
            await director.send_text("/start")
            [update] = emu.world.pending_updates  # what Telegram would POST to the webhook
            async with httpx.AsyncClient(timeout=30) as client:
                missing = await client.post(hook, json=update)
                wrong = await client.post(hook, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"})
                assert (missing.status_code, wrong.status_code) == (403, 403)
                await asyncio.sleep(1.0)
                assert director.messages() == []  # refused: nothing was handled
                right = await client.post(hook, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
                assert right.status_code == 200
                # answered only after the update was handled: the reply is already there
                assert "中心主任" in director.messages()[-1].plain_text
                health = await client.get(f"http://127.0.0.1:{port}/healthz")
                metrics = (await client.get(f"http://127.0.0.1:{port}/metrics")).text
            body = health.json()
            assert health.status_code == 200 and body["role"] == "active", body
            assert body["database"] is True and body["telegram"] is True
            assert "zongzhi_updates_total 1.0" in metrics  # the refused two were not handled
            assert "zongzhi_instance_active 1.0" in metrics
        finally:
            code, err = await _stop(proc)
    assert code == 0, err[-2000:]
    assert "setWebhook" in err  # DEBUG logs the Bot API calls …
    assert TOKEN not in err and TOKEN.split(":")[1] not in err and SECRET not in err  # … never the secrets


async def test_a_second_process_on_the_same_sqlite_file_refuses_to_start(db_url, tmp_path):
    if not db_url.startswith("sqlite"):
        pytest.skip("SQLite's one-instance rule")
    emu = Emulator(token=TOKEN, bot_username=BOT_USERNAME)
    port = _free_port()
    async with await serve(emu, host="127.0.0.1", port=0) as server:
        first = run_bot_process(_env(db_url, server, METRICS_PORT=str(port)), tmp_path)
        try:
            await _wait_http(f"http://127.0.0.1:{port}/healthz", first)
            second = await asyncio.to_thread(
                subprocess.run, [sys.executable, str(ROOT / "run_bot.py")], cwd=tmp_path,
                env=_env(db_url, server), capture_output=True, text=True, timeout=60)
            assert first.poll() is None  # the first one is untouched
        finally:
            code, err = await _stop(first)
    assert second.returncode == 1
    assert "SQLite 只能运行一个实例" in second.stderr and "Another bot process" in second.stderr
    assert "Traceback" not in second.stderr
    assert code == 0, err[-2000:]
    # the lock went with the process: the bot starts again on the same file
    async with await serve(emu, host="127.0.0.1", port=0) as server:
        again = run_bot_process(_env(db_url, server, METRICS_PORT=str(port)), tmp_path)
        await _wait_http(f"http://127.0.0.1:{port}/healthz", again)
        code, err = await _stop(again)
    assert code == 0, err[-2000:]
