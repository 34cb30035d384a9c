"""What the size of our messages costs: a Bot API call carrying the report flow's real texts and
keyboards against one carrying the floor bot's (「收到：消息 1」 and one button), both through
PTB's HTTP client to the emulator on 127.0.0.1, the same number of calls in flight as the bot
allows (16). Part of the gap between /report and the floor in bench_report.py is this, not work of
our own: the floor answers with a few bytes, a report step with its whole form.

    python bench/bench_payload.py [--calls 3000] [--runs 3]

1. One report is recorded as bench_report.py's replay floor records it (bench_report.record_calls):
   bytes per request and per answer, by method.
2. The emulator then runs as its own process; this process sends those recorded messages (text
   and keyboard as the bot sent them) and, in the same run, the floor's message, and measures its
   own CPU per call. Medians of --runs runs, interleaved.
"""

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bench_report  # noqa: E402
from telegram import Bot, InlineKeyboardMarkup  # noqa: E402
from telegram.request import HTTPXRequest  # noqa: E402

IN_FLIGHT = 16  # PerChatUpdateProcessor's max_concurrent_updates
FLOOR = ("收到：消息 1", {"inline_keyboard": [[{"text": "下一步", "callback_data": "next"}]]})
SERVER = """
import asyncio, sys
sys.path.insert(0, {root!r})
from bot.emulator import Emulator
from bot.emulator.server import serve
async def main():
    emu = Emulator(token={token!r}, bot_username="bench_bot")
    users = [emu.user(1000 + i, f"u{{i}}") for i in range({users})]
    async with await serve(emu, host="127.0.0.1", port=0) as server:
        for u in users:
            await u.send_text("hi")
        print(server.base_url, flush=True)
        await asyncio.Event().wait()
asyncio.run(main())
"""


async def cpu_per_call(bot: Bot, messages: list[tuple[str, dict | None]], calls: int) -> float:
    async def sender(worker: int) -> None:
        for i in range(worker, calls, IN_FLIGHT):
            text, markup = messages[i % len(messages)]
            keyboard = InlineKeyboardMarkup.de_json(markup, bot) if markup and "inline_keyboard" in markup else None
            await bot.send_message(1000 + worker, text, reply_markup=keyboard, parse_mode="HTML")

    before = resource.getrusage(resource.RUSAGE_SELF)
    await asyncio.gather(*(sender(w) for w in range(IN_FLIGHT)))
    after = resource.getrusage(resource.RUSAGE_SELF)
    return (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) / calls


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    url = bench_report.fresh_database("sqlite", None, Path(tempfile.mkdtemp(prefix="payload-")))
    bench_report.seed(url, 1, 0)
    recorded = [call for action in await bench_report.record_calls(url) for call in action]
    print("\nOne report, every Bot API call the bot made (bytes):\n")
    print(f"{'method':<24}{'calls':>6}{'request':>9}{'answer':>8}")
    for method in sorted({c.method for c in recorded}):
        rows = [c for c in recorded if c.method == method]
        print(f"{method:<24}{len(rows):>6}{statistics.fmean(r.request_bytes for r in rows):>9.0f}"
              f"{statistics.fmean(r.answer_bytes for r in rows):>8.0f}")
    ours = [(c.fields["text"], json.loads(c.fields.get("reply_markup") or "null")) for c in recorded
            if c.method in ("sendMessage", "editMessageText") and c.fields.get("text")]

    server = subprocess.Popen(
        [sys.executable, "-c", SERVER.format(root=str(ROOT), token=bench_report.TOKEN, users=IN_FLIGHT)],
        stdout=subprocess.PIPE, text=True)
    try:
        base_url = server.stdout.readline().strip()
        bot = Bot(bench_report.TOKEN, base_url=base_url, request=HTTPXRequest(connection_pool_size=256))
        async with bot:
            await cpu_per_call(bot, [FLOOR], 200)  # warm up: connections, imports
            floor, report = [], []
            for _ in range(args.runs):
                floor.append(await cpu_per_call(bot, [FLOOR], args.calls) * 1000)
                report.append(await cpu_per_call(bot, ours, args.calls) * 1000)
    finally:
        server.terminate()
        server.wait(timeout=10)
    f, r = statistics.median(floor), statistics.median(report)
    print(f"\nsendMessage, {IN_FLIGHT} in flight, {args.calls} calls, median of {args.runs} runs "
          f"(min–max), CPU of the sending process per call:\n")
    print(f"  the floor's message             {f:.3f} ms ({min(floor):.3f}–{max(floor):.3f})")
    print(f"  the report flow's messages      {r:.3f} ms ({min(report):.3f}–{max(report):.3f})   ×{r / f:.2f}")
    print(f"\nAt 1.92 calls per update, the report's message sizes alone cost ≈ {(r - f) * 1.92:.2f} ms "
          "of CPU per update more than the floor's.")


if __name__ == "__main__":
    asyncio.run(main())
