"""DNS rebinding: a page from another site whose name now points at 127.0.0.1 sends requests to
the sandbox with its own Host header. Only the sandbox's own names are answered."""

import httpx
import pytest

from bot.sandbox import demo, runner
from tests.sandbox.conftest import START

GRID = demo.persona("张伟").telegram_id


async def test_only_the_sandbox_host_names_are_answered(sandbox):
    port = sandbox.server.port
    async with httpx.AsyncClient(base_url=sandbox.url, timeout=15) as client:
        for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}", f"localhost:{port + 1}",
                     f"127.0.0.2:{port}", ""):
            for method, path, body in (("GET", "/sandbox/api/state", None), ("GET", "/", None),
                                       ("GET", f"/people/api/users/{GRID}/chat", None),
                                       ("POST", f"/people/api/users/{GRID}/send", {"text": "/start"})):
                answer = await client.request(method, path, json=body, headers={"Host": host})
                assert answer.status_code == 403, (host, path, answer.status_code)
        assert sandbox.emu.user(GRID).messages() == []  # nothing was sent as the grid worker
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}"):
            answer = await client.get(f"/people/api/users/{GRID}/chat", headers={"Host": host})
            assert answer.status_code == 200, host


async def test_open_to_the_network_the_sandbox_answers_its_own_addresses_only(tmp_path, monkeypatch):
    """--host 0.0.0.0 for a training room: phones on the same network open it by this computer's
    address; the bot still reaches it on loopback; a foreign name is still refused."""
    monkeypatch.setattr(runner, "network_addresses", lambda: ["192.0.2.7"])  # one fixed LAN address
    box = runner.Sandbox(runner.SandboxOptions(db_path=tmp_path / "sandbox.db", host="0.0.0.0", port=0,
                                               start=START, sweep_interval=0))
    await box.start()
    try:
        port = box.server.port
        assert box.url == f"http://127.0.0.1:{port}"  # the local browser, and the bot's own base URL
        assert box.network_urls == [f"http://192.0.2.7:{port}"]
        async with httpx.AsyncClient(base_url=box.url, timeout=15) as client:
            for host, status in ((f"192.0.2.7:{port}", 200), (f"192.0.2.8:{port}", 403),
                                 (f"evil.example:{port}", 403), (f"0.0.0.0:{port}", 200)):
                answer = await client.get(f"/people/api/users/{GRID}/chat", headers={"Host": host})
                assert answer.status_code == status, host
            sent = await client.post(f"/people/api/users/{GRID}/send", json={"kind": "text", "text": "/help"},
                                     headers={"Host": f"192.0.2.7:{port}"})
            assert sent.status_code == 200
        assert "/report" in (await box.emu.user(GRID).wait_for_message(timeout=10)).plain_text
    finally:
        await box.stop()


def test_the_listening_address_is_checked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SANDBOX_HOST", raising=False)
    assert runner.options_from(None, None).host == "127.0.0.1"  # this computer only, unless asked
    assert runner.options_from(None, None, "0.0.0.0").host == "0.0.0.0"
    monkeypatch.setenv("SANDBOX_HOST", "0.0.0.0")
    assert runner.options_from(None, None).host == "0.0.0.0"
    for bad in ("phone", "::", "0.0.0.0:8080", "300.1.1.1"):
        with pytest.raises(runner.SandboxError, match="IPv4"):
            runner.options_from(None, None, bad)
