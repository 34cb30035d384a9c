"""`python run_bot.py --sandbox` as a newcomer runs it: no token, no .env, an empty folder."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def _env(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "DATABASE_", "BOOTSTRAP_", "SANDBOX_"))}
    env.update(extra)
    return env


def test_sandbox_process_serves_the_page_and_stops_on_ctrl_c(tmp_path):
    began = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "run_bot.py"), "--sandbox", "--port", "0"], cwd=tmp_path, env=_env(),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        lines = []
        for line in proc.stdout:
            lines.append(line)
            if match := re.search(r"http://127\.0\.0\.1:\d+", line):
                url = match.group()
                break
        else:
            raise AssertionError("".join(lines))
        ready = time.monotonic() - began
        page = httpx.get(url + "/", timeout=10)
        assert page.status_code == 200 and "培训沙盒，数据为演示数据" in page.text
        state = httpx.get(url + "/sandbox/api/state", timeout=10).json()
        assert state["ready"] and len(state["personas"]) >= 10
        sent = httpx.post(url + "/people/api/users/1007/send", json={"text": "/help"}, timeout=10)
        assert sent.status_code == 200
        assert (tmp_path / "data" / "sandbox.db").exists()
        print(f"\nsandbox usable {ready:.1f} s after start")
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, "".join(lines) + out
    assert "培训沙盒已停止" in out and "Traceback" not in out, out


def test_refuses_the_production_database(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "run_bot.py"), "--sandbox"], cwd=tmp_path,
        env=_env(DATABASE_URL="sqlite:///data/sandbox.db"), capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2 and "正式数据库" in result.stderr and "Traceback" not in result.stderr
    result = subprocess.run(
        [sys.executable, str(ROOT / "run_bot.py"), "--sandbox", "--db", "data/zongzhi.db"], cwd=tmp_path,
        env=_env(), capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2 and "sandbox" in result.stderr
    result = subprocess.run(
        [sys.executable, str(ROOT / "run_bot.py"), "--port", "9000"], cwd=tmp_path,
        env=_env(), capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2 and "--sandbox" in result.stderr
