"""Serving the emulator over real HTTP on loopback, embedded in a running event loop or standalone."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import socket
from collections.abc import Iterator
from types import TracebackType
from typing import Any

import uvicorn

from .emulator import Emulator


class _EmbeddedServer(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # Embedded in someone else's loop: leave their SIGINT/SIGTERM handling alone.
        yield


class EmulatorServer:
    """A running uvicorn server for an emulator; stop it with `await stop()` or `async with`."""

    def __init__(self, server: uvicorn.Server, task: asyncio.Task[None], host: str, port: int):
        self.server = server
        self.host = host
        self.port = port
        self._task = task

    @property
    def origin(self) -> str:
        """The address to reach the server from this computer (listening on all addresses includes loopback)."""
        return f"http://{'127.0.0.1' if self.host == '0.0.0.0' else self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.origin}/file/bot"

    async def stop(self, timeout: float = 5.0) -> None:
        self.server.should_exit = True
        try:
            await asyncio.wait_for(self._task, timeout)
        except TimeoutError:
            self.server.force_exit = True
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def __aenter__(self) -> EmulatorServer:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()


async def serve(
    emulator: Emulator | Any, host: str = "127.0.0.1", port: int = 8081, *, log_level: str = "warning"
) -> EmulatorServer:
    """Start serving `emulator` (or an ASGI app that mounts it, like the sandbox's) in the current
    event loop; `port=0` picks a free port.

    The socket is bound here rather than by uvicorn so that a busy port raises OSError instead of
    uvicorn's sys.exit(), and so that the actual port is known before returning.
    """
    # IPPROTO_TCP, not 0: asyncio switches TCP_NODELAY on only for sockets that say TCP, and without
    # it every response body waited ~40 ms for the client's delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    actual_port = sock.getsockname()[1]
    app = emulator.asgi if isinstance(emulator, Emulator) else emulator
    config = uvicorn.Config(
        app, log_level=log_level, lifespan="off", timeout_graceful_shutdown=2, access_log=False
    )
    server = _EmbeddedServer(config)
    task = asyncio.create_task(server.serve(sockets=[sock]), name=f"bot-api-emulator:{actual_port}")
    # uvicorn offers no startup event, only this flag; startup takes a few milliseconds.
    while not server.started:
        if task.done():
            task.result()  # re-raise the startup failure
            raise RuntimeError("emulator server exited during startup")
        await asyncio.sleep(0.005)
    return EmulatorServer(server, task, host, actual_port)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.emulator", description="Telegram Bot API emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="123456:TEST-TOKEN")
    parser.add_argument("--bot-username", default="zongzhi_test_bot")
    parser.add_argument("--bot-first-name", default="综治中心")
    args = parser.parse_args(argv)
    emulator = Emulator(args.token, args.bot_username, args.bot_first_name)
    print(f"Bot API emulator: base_url=http://{args.host}:{args.port}/bot token={args.token}")
    uvicorn.run(emulator.asgi, host=args.host, port=args.port, lifespan="off")
