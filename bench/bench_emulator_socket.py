"""Benchmark: what the emulator's listening socket costs a person waiting for an answer (issue 13).

The bot (python run_bot.py, its own process, as in the sandbox) answers /help through the emulator
served on 127.0.0.1, once with the socket as it is made now (IPPROTO_TCP, so asyncio turns Nagle's
algorithm off) and once made with protocol 0 as before (Nagle on: each response body waited for the
client's delayed ACK). One person sends /help --times times in a row; medians of --runs runs,
interleaved so that a slow phase of the machine hits both alike.

    python bench/bench_emulator_socket.py [--times 30] [--runs 3]
"""

import argparse
import asyncio
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_report  # noqa: E402

from bot.emulator import Emulator  # noqa: E402
from bot.emulator.server import serve  # noqa: E402


async def one_run(url: str, times: int, *, nagle: bool) -> list[float]:
    emu = Emulator(token=bench_report.TOKEN, bot_username="bench_bot")
    with mock.patch.object(socket, "IPPROTO_TCP", 0) if nagle else mock.MagicMock():
        server = await serve(emu, host="127.0.0.1", port=0)
    async with server:
        proc = bench_report.start_bot("report", server, url)
        try:
            user = emu.user(90_001, "探针")
            await bench_report.wait_ready(user, "/help")
            latencies = []
            for _ in range(times):
                t0 = time.perf_counter()
                await user.send_text("/help")
                await user.wait_for_message(timeout=10)
                latencies.append(time.perf_counter() - t0)
            return latencies
        finally:
            proc.terminate()  # its shutdown still talks to the emulator: wait without blocking the loop
            await asyncio.to_thread(proc.wait, 20)
            proc.log.unlink()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--times", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    url = bench_report.fresh_database("sqlite", None, Path(tempfile.mkdtemp(prefix="bench-socket-")))
    bench_report.seed(url, 1, 0)
    medians = {"IPPROTO_TCP (now)": [], "protocol 0 (before)": []}
    for _ in range(args.runs):
        for name in medians:
            run = await one_run(url, args.times, nagle=name.startswith("protocol 0"))
            medians[name].append(statistics.median(run) * 1000)
    print(f"\n/help answered through the emulator on 127.0.0.1, {args.times} in a row, median of {args.runs} runs\n")
    print(f"{'listening socket':<24}{'median ms':>10}{'runs (ms)':>28}")
    for name, values in medians.items():
        print(f"{name:<24}{statistics.median(values):>10.1f}{', '.join(f'{v:.1f}' for v in values):>28}")


if __name__ == "__main__":
    asyncio.run(main())
