"""The floor (bench/floor_bot.py) on an independent Bot API emulator from a package registry, the npm
package telegram-test-api, beside the same floor on ours: is the floor an artefact of our emulator?

    python bench/bench_floor_independent.py [--users 10] [--rounds 3] [--runs 3] [--poll-ms 10] [--ttapi-dir DIR]

Without --ttapi-dir, telegram-test-api is installed with npm into a temporary folder (removed at the
end); with it, DIR must hold node_modules/telegram-test-api. Each emulator runs as its own process
(node, or python for ours), the floor bot as another, the simulated users in this one: the same
three processes for both, so neither emulator shares a CPU thread with the driver.

What telegram-test-api (4.x) offers: the Bot API at http://host:port/bot<token>/<method> for getMe,
getUpdates, sendMessage, editMessageText, editMessageReplyMarkup, answerCallbackQuery, deleteMessage
and webhooks; a client API (POST /sendMessage, /sendCallback, /getUpdates, /getUpdatesHistory) for
the simulated people. Inline buttons and presses (callback queries) exist, so both emulators get the
full FLOOR_STEPS sequence of texts and presses. But out of the box PTB 22 cannot talk to it, so the
node script that starts it adds four small Bot API conformance fixes and nothing else:
  - getMe answers with is_bot (PTB's User requires it; the bot does not start without it);
  - callback_query updates carry chat_instance (required by the Bot API; PTB rejects the update);
  - sendMessage's result has `date` in Unix seconds, not milliseconds (PTB cannot parse year 55 000);
  - editMessageText returns the edited message instead of null (PTB fails on null) and shows the
    edited message again in the client's /getUpdates: the client API has no other way to see an edit
    than /getUpdatesHistory, which returns every message ever stored on each call.
getUpdates there ignores `timeout` (no long polling): PTB's polling loop asks again at once, so the
bot and node spin while idle; the getUpd/upd and CPU columns show what that costs.

Polling, and fairness. telegram-test-api's client cannot wait for the bot's answer: it polls
/getUpdates (its own client does so every 100 ms). So here every simulated user, on both emulators,
acts and then polls for the answer every --poll-ms ms (first poll at once), over HTTP: on
telegram-test-api POST /getUpdates, on ours GET /people/api/users/{id}/chat (a bot message with a
sequence number beyond the last one seen is the answer; edits get a new one; this reads the whole
chat, rendered, where telegram-test-api returns only the unread: a handicap for ours, kept small by
the fresh chats below). Same steps, same users,
same interval, same kind of client, so the ratio compares the emulators. Each of the --users
workers does --rounds rounds of the steps, each round as a new person in a fresh chat, so that what
a poll reads stays small and the same from round to round on both. The driver speaks HTTP/1.1 over
one keep-alive connection per person with a few lines of asyncio (httpx cost ten times the CPU and
made the driver the bottleneck of the 2 cores). Polling delays an answer by up to one interval (half
of one on average when the machine is idle) plus one request; a third row shows it: our emulator
with the driver in its process, waiting for the answer without polling (EmulatedUser.wait_for_message,
as bench/bench_report.py does). "polling adds" is that row's mean latency subtracted from our polled
one; it also holds the difference of layout (two processes instead of three), so read it as a size,
not an exact cost. Rerun with another --poll-ms to see how much the ratio hangs on it.

Printed: updates/s (median and min–max of --runs runs, interleaved), p50/p95/mean answer latency,
the ratio ours/independent of the medians and, steadier when the machine's load changes between
runs, the median of the ratios within each run (the runs are interleaved, so pairs share a phase),
users ≈ rate × mean (Little's law), CPU ms per update of the bot, of the emulator and of this
driver process (which, in the no-polling row, also runs the emulator). The machine has 2 cores
shared with other work: only the ratios mean anything, not the absolute numbers. What to look at:
whether the floor bot's own CPU per update, and the rate it reaches, are of the same size on both
emulators; if so, the floor is the bot's (PTB's) cost and not an artefact of our emulator.
"""

import argparse
import asyncio
import contextlib
import json
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_report import FLOOR_STEPS, cpu_seconds, pct  # noqa: E402
from bot.emulator import Emulator  # noqa: E402
from bot.emulator.server import serve  # noqa: E402

TOKEN = "123456:BENCH-TOKEN"
TTAPI_VERSION = "4.2.1"  # the fixes below patch its lib/ layout; other majors may differ
FIRST_USER = 100_000
PROBE_USER = 90_001

# Started as `node start_ttapi.js <folder holding node_modules> <port>`; prints "ready" when listening.
NODE_STARTER = r"""
const path = require('path');
const lib = (p) => require(path.join(process.argv[2], 'node_modules', 'telegram-test-api', 'lib', p));
const { TelegramServer } = lib('telegramServer');
const { routes } = lib('routes/index');
const { handle } = lib('routes/bot/utils');

function replaceRoute(old, route) {
  const i = routes.indexOf(old);
  if (i < 0) throw new Error('telegram-test-api layout changed: route not found');
  routes[i] = route;
}

// Fix 1: getMe with is_bot.
replaceRoute(lib('routes/bot/getMe').getMe, (app) => handle(app, '/bot:token/getMe', (_req, res) => {
  res.sendResult({ ok: true, result: { id: 666, is_bot: true, first_name: 'Test First name', username: 'TestNameBot' } });
}));

// Fix 2: callback queries with chat_instance.
const formatUpdate = TelegramServer.formatUpdate;
TelegramServer.formatUpdate = (update) => {
  const out = formatUpdate(update);
  if (out.callback_query) {
    const chat = out.callback_query.message && out.callback_query.message.chat;
    out.callback_query.chat_instance = String(chat ? chat.id : 0);
  }
  return out;
};

// Fix 3: message dates in seconds.
const addBotMessage = TelegramServer.prototype.addBotMessage;
TelegramServer.prototype.addBotMessage = function (raw, token) {
  const msg = addBotMessage.call(this, raw, token);
  return { ...msg, date: Math.floor(msg.date / 1000) };
};

// Fix 4: editMessageText returns the message, and the client's getUpdates shows the edit.
replaceRoute(lib('routes/bot/editMessageText').editMessageText, (app, server) => handle(app, '/bot:token/editMessageText', (req, res) => {
  server.editMessageText(req.body);
  const stored = server.storage.botMessages.find((u) => String(u.messageId) === String(req.body.message_id)
    && String(u.message.chat_id) === String(req.body.chat_id));
  if (!stored) {
    res.status(400).json({ ok: false, error_code: 400, description: 'Bad Request: message to edit not found' });
    return;
  }
  stored.isRead = false;
  res.sendResult({ ok: true, result: {
    message_id: stored.messageId, date: Math.floor(stored.time / 1000), text: stored.message.text,
    chat: { id: Number(stored.message.chat_id), type: 'private' }, reply_markup: stored.message.reply_markup,
  } });
}));

// Not a fix: counts the bot's getUpdates calls, printed on SIGUSR1 (the benchmark's getUpdates column).
let getUpdatesCalls = 0;
const getUpdates = TelegramServer.prototype.getUpdates;
TelegramServer.prototype.getUpdates = function (token) {
  getUpdatesCalls += 1;
  return getUpdates.call(this, token);
};
process.on('SIGUSR1', () => console.log(String(getUpdatesCalls)));

(async () => {
  const server = new TelegramServer({ port: Number(process.argv[3]), host: '127.0.0.1', storeTimeout: 3600 });
  await server.start();
  console.log('ready');
  const stop = async () => { await server.stop(); process.exit(0); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
})();
"""


@dataclass
class Run:
    updates: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    bot_cpu: float = 0.0
    driver_cpu: float = 0.0  # this process
    polls: int = 0  # requests made to look for answers (polled rows only)
    get_updates: int = 0  # the bot's getUpdates calls
    emulator_cpu: float = 0.0  # the emulator's own process; 0 when it runs inside this one

    @property
    def rate(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def install_ttapi(folder: Path) -> None:
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", str(folder),
                    f"telegram-test-api@{TTAPI_VERSION}"], check=True, stdout=subprocess.DEVNULL)


def ttapi_version(folder: Path) -> str:
    package = folder / "node_modules" / "telegram-test-api" / "package.json"
    return json.loads(package.read_text())["version"]


def start_process(cmd: list[str]) -> subprocess.Popen:
    """A process that prints "ready" on its first line once it listens. Its stdout answers our
    questions; its log goes to a file, never to a pipe nobody reads (a full pipe would stall it)."""
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 -- open as long as the process runs
    proc = subprocess.Popen(cmd, cwd=tempfile.gettempdir(), stdout=subprocess.PIPE, stderr=log, text=True)
    line = proc.stdout.readline().strip()
    if line != "ready":
        proc.kill()
        proc.wait()
        log.seek(0)
        raise RuntimeError(f"{cmd[0]} did not start: {line} {log.read()[-2000:]}")
    return proc


def stop_process(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def get_updates_calls(emulator: subprocess.Popen | Emulator) -> int:
    """The bot's getUpdates calls so far: asked of an emulator process with SIGUSR1."""
    if isinstance(emulator, Emulator):
        return len(emulator.calls_to("getUpdates"))
    emulator.send_signal(signal.SIGUSR1)
    return int(emulator.stdout.readline())


def start_bot(origin: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "bench" / "floor_bot.py"), f"{origin}/bot", TOKEN],
                            cwd=tempfile.gettempdir(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# --- the simulated people: one client per emulator, the same steps and polling -------------------


class Http:
    """One keep-alive HTTP/1.1 connection, JSON in and out. A person makes one request at a time, so
    one connection each; far less CPU than httpx, so that the polling driver leaves the 2 cores to the
    emulator and the bot. Both emulators answer with a Content-Length."""

    def __init__(self, origin: str):
        self.host, port = origin.removeprefix("http://").rsplit(":", 1)
        self.port = int(port)
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: dict | None = None) -> dict:
        if self.writer is None:  # asyncio switches TCP_NODELAY on for TCP connections
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        payload = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
        head = (f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n")
        self.writer.write(head.encode() + payload)
        status = int((await self.reader.readline()).split()[1])
        length = None
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length is None:
            raise RuntimeError(f"{method} {path}: no Content-Length in the answer")
        data = json.loads(await self.reader.readexactly(length)) if length else {}
        if status >= 300:
            raise RuntimeError(f"{method} {path}: HTTP {status} {data}")
        return data

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


class PolledUser(ABC):
    """Acts, then polls for the bot's answer every `interval` seconds (first poll at once); each
    emulator's client says how to act and poll."""

    def __init__(self, origin: str, interval: float):
        self.http = Http(origin)
        self.interval = interval
        self.polls = 0
        self.last_bot_message_id: int | None = None

    @abstractmethod
    async def send_text(self, text: str) -> None:
        """Send a text as the person."""

    @abstractmethod
    async def press(self) -> None:
        """Press the button on the bot's last message."""

    @abstractmethod
    async def poll(self) -> bool:
        """True when a new or edited bot message arrived since the last poll that saw one."""

    async def wait_answer(self, timeout: float = 30.0) -> None:
        deadline = time.perf_counter() + timeout
        self.polls += 1
        while not await self.poll():
            self.polls += 1
            if time.perf_counter() > deadline:
                raise TimeoutError("no answer from the bot")
            await asyncio.sleep(self.interval)

    def done(self) -> None:
        self.http.close()


class TtapiUser(PolledUser):
    def __init__(self, origin: str, interval: float, user_id: int):
        super().__init__(origin, interval)
        self.user_id = user_id
        self.person = {"id": user_id, "first_name": f"网格员{user_id}", "is_bot": False}
        self.chat = {"id": user_id, "first_name": f"网格员{user_id}", "type": "private"}

    async def _post(self, path: str, body: dict) -> dict:
        return await self.http.request("POST", path, body)

    async def send_text(self, text: str) -> None:
        await self._post("/sendMessage", {"botToken": TOKEN, "from": self.person, "chat": self.chat,
                                          "date": int(time.time()), "text": text})

    async def press(self) -> None:
        message = {"message_id": self.last_bot_message_id, "date": int(time.time()), "chat": self.chat,
                   "text": "…"}
        await self._post("/sendCallback", {"botToken": TOKEN, "from": self.person, "message": message,
                                           "data": "next"})

    async def poll(self) -> bool:
        result = (await self._post("/getUpdates", {"token": TOKEN, "chatId": self.user_id}))["result"]
        if result:
            self.last_bot_message_id = result[-1]["messageId"]
        return bool(result)


class OursUser(PolledUser):
    def __init__(self, origin: str, interval: float, user_id: int):
        super().__init__(origin, interval)
        self.base = f"/people/api/users/{user_id}"
        self.seen_seq = 0

    async def send_text(self, text: str) -> None:
        await self.http.request("POST", f"{self.base}/send", {"kind": "text", "text": text})

    async def press(self) -> None:
        await self.http.request("POST", f"{self.base}/press",
                                {"message_id": self.last_bot_message_id, "row": 0, "col": 0})

    async def poll(self) -> bool:
        chat = await self.http.request("GET", f"{self.base}/chat")
        fresh = [m for m in chat["messages"] if m["from_bot"] and m["seq"] > self.seen_seq]
        if fresh:
            latest = max(fresh, key=lambda m: m["seq"])
            self.seen_seq, self.last_bot_message_id = latest["seq"], latest["message_id"]
        return bool(fresh)


class PushedUser:
    """Our emulator in this process: the answer is awaited, not polled (bench_report's floor)."""

    def __init__(self, user):
        self.user = user
        self.last = None

    async def send_text(self, text: str) -> None:
        await self.user.send_text(text)

    async def press(self) -> None:
        await self.user.press(self.last, "下一步")

    async def wait_answer(self, timeout: float = 30.0) -> None:
        self.last = await self.user.wait_for_message(timeout=timeout)

    def done(self) -> None:
        pass


async def floor_flow(user, run: Run) -> None:
    """FLOOR_STEPS once: each action timed until the bot's answer is seen."""
    for i, kind in enumerate(FLOOR_STEPS):
        t0 = time.perf_counter()
        await (user.send_text(f"消息 {i}") if kind == "T" else user.press())
        await user.wait_answer()
        run.latencies.append(time.perf_counter() - t0)
        run.updates += 1
    run.polls += getattr(user, "polls", 0)
    user.done()


async def wait_ready(user) -> None:
    for _ in range(120):
        await user.send_text("ping")
        try:
            await user.wait_answer(timeout=1.0)
            return
        except TimeoutError:
            continue
    raise RuntimeError("the floor bot did not answer within 2 minutes")


async def drive(workers: list[list], probe, bot: subprocess.Popen, emulator: subprocess.Popen | Emulator) -> Run:
    """Each worker is a list of people, one per round, who do the steps one after the other."""
    run = Run()
    await wait_ready(probe)
    probe.done()

    async def worker(people: list) -> None:
        for person in people:
            await floor_flow(person, run)

    own = isinstance(emulator, Emulator)  # in this process
    cpu_bot, cpu_driver = cpu_seconds(bot.pid), time.process_time()
    cpu_emulator = 0.0 if own else cpu_seconds(emulator.pid)
    calls = get_updates_calls(emulator)
    t0 = time.perf_counter()
    await asyncio.gather(*(worker(people) for people in workers))
    run.seconds = time.perf_counter() - t0
    run.bot_cpu = cpu_seconds(bot.pid) - cpu_bot
    run.driver_cpu = time.process_time() - cpu_driver
    run.emulator_cpu = 0.0 if own else cpu_seconds(emulator.pid) - cpu_emulator
    run.get_updates = get_updates_calls(emulator) - calls
    return run


def person_ids(users: int, rounds: int) -> list[list[int]]:
    return [[FIRST_USER + i + users * r for r in range(rounds)] for i in range(users)]


async def run_ttapi(folder: Path, starter: Path, users: int, rounds: int, interval: float) -> Run:
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    emulator = start_process(["node", str(starter), str(folder), str(port)])
    bot = start_bot(origin)
    try:
        workers = [[TtapiUser(origin, interval, uid) for uid in ids] for ids in person_ids(users, rounds)]
        return await drive(workers, TtapiUser(origin, interval, PROBE_USER), bot, emulator)
    finally:
        stop_process(bot)
        stop_process(emulator)


async def run_ours_polled(users: int, rounds: int, interval: float) -> Run:
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    emulator = start_process([sys.executable, str(Path(__file__).resolve()), "--serve-ours", str(port)])
    bot = start_bot(origin)
    try:
        setup, ids = Http(origin), []  # the people API numbers new people itself
        for i in range(users * rounds + 1):
            ids.append((await setup.request("POST", "/people/api/users", {"first_name": f"网格员{i}"}))["user"]["id"])
        setup.close()
        workers = [[OursUser(origin, interval, ids[1 + i + users * r]) for r in range(rounds)] for i in range(users)]
        return await drive(workers, OursUser(origin, interval, ids[0]), bot, emulator)
    finally:
        stop_process(bot)
        stop_process(emulator)


async def run_ours_pushed(users: int, rounds: int) -> Run:
    emu = Emulator(token=TOKEN, bot_username="bench_bot")
    async with await serve(emu, host="127.0.0.1", port=0) as server:
        bot = start_bot(server.origin)
        try:
            workers = [[PushedUser(emu.user(uid, f"网格员{uid}")) for uid in ids] for ids in person_ids(users, rounds)]
            return await drive(workers, PushedUser(emu.user(PROBE_USER, "探针")), bot, emu)
        finally:
            stop_process(bot)


async def serve_ours(port: int) -> None:
    """Our emulator alone in this process (the polled comparison), until terminated."""
    emu = Emulator(token=TOKEN, bot_username="bench_bot")
    async with await serve(emu, host="127.0.0.1", port=port):
        asyncio.get_running_loop().add_signal_handler(
            signal.SIGUSR1, lambda: print(get_updates_calls(emu), flush=True))
        print("ready", flush=True)
        await asyncio.Event().wait()


def summary(runs: list[Run]) -> dict:
    rates = [r.rate for r in runs]
    mean = statistics.median(statistics.fmean(r.latencies) for r in runs)
    return {
        "rate": statistics.median(rates), "min": min(rates), "max": max(rates),
        "p50": statistics.median(pct(r.latencies, 0.5) for r in runs) * 1000,
        "p95": statistics.median(pct(r.latencies, 0.95) for r in runs) * 1000,
        "mean": mean * 1000, "little": statistics.median(rates) * mean,
        "bot_cpu": statistics.median(r.bot_cpu / r.updates for r in runs) * 1000,
        "emu_cpu": statistics.median(r.emulator_cpu / r.updates for r in runs) * 1000,
        "driver_cpu": statistics.median(r.driver_cpu / r.updates for r in runs) * 1000,
        "polls": statistics.median(r.polls / r.updates for r in runs),
        "get_updates": statistics.median(r.get_updates / r.updates for r in runs),
    }


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3, help="times each worker does the steps")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--poll-ms", type=float, default=10.0, help="the users' polling interval, both emulators")
    parser.add_argument("--ttapi-dir", type=Path, help="a folder with node_modules/telegram-test-api installed")
    parser.add_argument("--serve-ours", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_ours:
        with contextlib.suppress(KeyboardInterrupt):
            await serve_ours(args.serve_ours)
        return
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed")
    workdir = Path(tempfile.mkdtemp(prefix="bench-ttapi-"))
    try:
        folder = args.ttapi_dir.resolve() if args.ttapi_dir else workdir
        if args.ttapi_dir is None:
            print(f"installing telegram-test-api@{TTAPI_VERSION} with npm into a temporary folder…", flush=True)
            install_ttapi(folder)
        version = ttapi_version(folder)
        starter = workdir / "start_ttapi.js"
        starter.write_text(NODE_STARTER)
        interval = args.poll_ms / 1000
        ttapi_runs, polled_runs, pushed_runs = [], [], []
        for i in range(args.runs):  # interleaved, so that a slow phase of the machine hits all alike
            ttapi_runs.append(await run_ttapi(folder, starter, args.users, args.rounds, interval))
            polled_runs.append(await run_ours_polled(args.users, args.rounds, interval))
            pushed_runs.append(await run_ours_pushed(args.users, args.rounds))
            print(f"run {i + 1}/{args.runs}: {ttapi_runs[-1].rate:.0f} / {polled_runs[-1].rate:.0f} / "
                  f"{pushed_runs[-1].rate:.0f} updates/s", flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    ttapi, polled, pushed = summary(ttapi_runs), summary(polled_runs), summary(pushed_runs)
    print(f"\nfloor bot, {args.users} users × {args.rounds} rounds of {FLOOR_STEPS} ({FLOOR_STEPS.count('T')} texts, "
          f"{FLOOR_STEPS.count('P')} presses), median of {args.runs} runs (min–max); "
          "2 shared cores: compare ratios only\n")
    print(f"{'emulator':<40}{'updates/s (min–max)':>21}{'p50 ms':>8}{'p95 ms':>8}{'mean ms':>9}"
          f"{'rate×mean':>10}{'bot CPU':>9}{'emu CPU':>9}{'driver CPU':>11}{'polls/upd':>10}{'getUpd/upd':>11}")
    rows = [(f"telegram-test-api {version}, polled {args.poll_ms:g} ms", ttapi),
            (f"ours, polled {args.poll_ms:g} ms", polled),
            ("ours, in-process wait, no polling", pushed)]
    for name, m in rows:
        spread = f"{m['rate']:.0f} ({m['min']:.0f}–{m['max']:.0f})"
        emu_cpu = f"{m['emu_cpu']:.2f}" if m["emu_cpu"] else "—"
        polls = f"{m['polls']:.1f}" if m["polls"] else "—"
        print(f"{name:<40}{spread:>21}{m['p50']:>8.1f}{m['p95']:>8.1f}{m['mean']:>9.1f}{m['little']:>10.1f}"
              f"{m['bot_cpu']:>9.2f}{emu_cpu:>9}{m['driver_cpu']:>11.2f}{polls:>10}{m['get_updates']:>11.2f}")
    print(f"{'ratio ours/independent (polled)':<40}{polled['rate'] / ttapi['rate']:>21.2f}"
          f"{polled['p50'] / ttapi['p50']:>8.2f}{polled['p95'] / ttapi['p95']:>8.2f}{polled['mean'] / ttapi['mean']:>9.2f}")
    paired = [(o.rate / t.rate, statistics.fmean(o.latencies) / statistics.fmean(t.latencies))
              for o, t in zip(polled_runs, ttapi_runs, strict=True)]
    print(f"{'  paired: median of per-run ratios':<40}{statistics.median(p[0] for p in paired):>21.2f}"
          f"{'':>16}{statistics.median(p[1] for p in paired):>9.2f}")
    print(f"\nCPU columns: ms per update of the bot, of the emulator (node or python) and of this driver\n"
          "(which also runs the emulator in the no-polling row). polls/upd: the people's requests looking for\n"
          "an answer; getUpd/upd: the bot's getUpdates calls (telegram-test-api has no long polling).\n"
          f"Polling every {args.poll_ms:g} ms adds {polled['mean'] - pushed['mean']:.1f} ms to the mean answer on ours "
          f"(polled − no polling; up to one interval plus a request, and layouts differ).\n"
          f"rate×mean should be close to the {args.users} users kept busy (Little's law).")


if __name__ == "__main__":
    asyncio.run(main())
