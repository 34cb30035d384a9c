"""DNS rebinding: a page from another site whose name now points at 127.0.0.1 sends requests to
the sandbox with its own Host header. Only the sandbox's own names are answered."""

import httpx

from bot.sandbox import demo

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
