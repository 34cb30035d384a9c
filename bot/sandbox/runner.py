"""The training sandbox in one process: the Bot API emulator on 127.0.0.1, the real bot polling it
with its own SQLite file, the demo township, a clock that can jump ahead, and the web page.

    sandbox = Sandbox(SandboxOptions(db_path=Path("data/sandbox.db"), port=8080))
    await sandbox.start()     # page at sandbox.url
    await sandbox.advance("workday")
    await sandbox.reset()
    await sandbox.stop()
"""

import asyncio
import contextlib
import ipaddress
import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from telegram.ext import Application
from telegram.request import HTTPXRequest

from bot import texts
from bot.app import build_application
from bot.clock import OffsetClock
from bot.config import DEFAULT_DATABASE_URL, Settings, sqlite_path
from bot.context import deps
from bot.db import Database, make_engine
from bot.emulator import Emulator, EmulatorServer, serve
from bot.migrate import upgrade
from bot.sandbox import demo
from bot.sandbox.web import create_web_app
from bot.services import people
from bot.services.intake import IntakePolicy
from bot.sweeps import sweep_all
from handlers import time_passed

log = logging.getLogger(__name__)

TOKEN = "700000:SANDBOX-TRAINING-ONLY"
BOT_USERNAME = "zongzhi_sandbox_bot"
BOT_NAME = "综治中心（培训沙盒）"
DEFAULT_DB = Path("data/sandbox.db")
DEFAULT_PORT = 8080
DEFAULT_HOST = "127.0.0.1"  # this computer only; 0.0.0.0 lets the trainees' phones on the same network in
CLOCK_ACTIONS = ("hour", "workday", "morning")


class SandboxError(Exception):
    """One line for the person starting the sandbox."""


def check_db_path(path: str | Path, production_url: str | None) -> Path:
    """The sandbox deletes and recreates its database, so it must never be the real one: a plain
    file path whose name says "sandbox", and not the file DATABASE_URL points at."""
    text = str(path)
    if ":/" in text or text.startswith(("sqlite:", "postgres")):
        raise SandboxError(f"沙盒数据库应为一个文件路径（例如 {DEFAULT_DB}），不能是数据库 URL：{text}")
    path = Path(text)
    if "sandbox" not in path.name.lower():
        raise SandboxError(f"沙盒数据库文件名须包含 sandbox（例如 {DEFAULT_DB}），以免误删正式数据：{text}")
    production = sqlite_path(production_url or DEFAULT_DATABASE_URL)
    if production is not None and production.resolve() == path.resolve():
        raise SandboxError(f"沙盒不能使用正式数据库 {text}（DATABASE_URL）。")
    return path


@dataclass
class SandboxOptions:
    db_path: Path = DEFAULT_DB
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT  # 0: any free port (tests)
    start: datetime | None = None  # the sandbox's first moment; default demo.default_start
    sweep_interval: int = 10  # seconds between the timers' sweeps while time flows
    poll_timeout: float = 2.0  # the bot's long poll; short, so a reset stops it quickly
    log_level: str = "WARNING"


class Sandbox:
    def __init__(self, options: SandboxOptions | None = None):
        self.options = options or SandboxOptions()
        self.clock = OffsetClock()
        self.emu = Emulator(TOKEN, BOT_USERNAME, BOT_NAME, clock=lambda: self.clock.now().timestamp())
        self.web = create_web_app(self)
        self.server: EmulatorServer | None = None
        self.lan_addresses: list[str] = []  # listening on 0.0.0.0: the addresses phones may use
        self.app: Application | None = None
        self.db: Database | None = None
        self.town: demo.DemoTown | None = None
        self.settings: Settings | None = None
        self._lock = asyncio.Lock()
        self.busy = False  # a reset is under way
        self._instance = uuid.uuid4().hex[:12]  # what the page has read is kept per instance

    @property
    def url(self) -> str:
        if self.server is None:
            raise RuntimeError("the sandbox is not started")
        return self.server.origin

    @property
    def network_urls(self) -> list[str]:
        return [f"http://{a}:{self.server.port}" for a in self.lan_addresses] if self.server else []

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.options.db_path}"

    @property
    def policy(self) -> IntakePolicy:
        return IntakePolicy.from_settings(self.settings)

    # --- life cycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        if self.options.host == "0.0.0.0":
            self.lan_addresses = network_addresses()
        try:
            self.server = await serve(self.web, self.options.host, self.options.port)
        except OSError as exc:
            raise SandboxError(
                f"端口 {self.options.port} 已被占用或不可用（{exc.strerror}）：请用 --port 换一个端口。"
            ) from None
        self.settings = Settings(
            _env_file=None,
            telegram_bot_token=TOKEN,
            database_url=self.db_url,
            telegram_api_base_url=self.server.base_url,
            telegram_file_base_url=self.server.base_file_url,
            bootstrap_admin_ids=[demo.DIRECTOR_TID],
            sweep_interval_seconds=self.options.sweep_interval,
            log_level=self.options.log_level,
        )
        try:
            await self._up()
        except BaseException:
            await self.server.stop()
            raise

    async def stop(self) -> None:
        async with self._lock:
            await self._down()
        if self.server is not None:
            await self.server.stop()
            self.server = None

    async def reset(self) -> None:
        """Back to the demo data: stop the bot, recreate the database, clear the chats, start again."""
        async with self._lock:
            self.busy = True
            try:
                await self._down()
                self.emu.reset()
                await self._up()
            finally:
                self.busy = False

    async def advance(self, action: str) -> datetime:
        """Jump the clock (+1 小时, +1 工作日, 到明天 08:30) and run the timers at once."""
        if action not in CLOCK_ACTIONS:
            raise ValueError(f"unknown clock action {action!r}")
        async with self._lock:
            now = self.clock.now()
            tz = self.settings.tz
            local = now.astimezone(tz)
            if action == "hour":
                target = now + timedelta(hours=1)
            elif action == "workday":
                cal = await self.db.run(self.policy.deadlines.calendar)
                day = local.date() + timedelta(days=1)
                while not cal.is_workday(day)[0]:
                    day += timedelta(days=1)
                target = datetime.combine(day, local.time(), tzinfo=tz)
            else:
                target = datetime.combine(local.date() + timedelta(days=1), time(8, 30), tzinfo=tz)
            jump = max(target - now, timedelta(0))
            self.clock.advance(jump)
            await sweep_all(self.app)
            await time_passed(self.app, jump.total_seconds())  # a flow left open that long times out too
            return self.clock.now()

    # --- the parts -------------------------------------------------------------------------------

    async def _up(self) -> None:
        self.db = await asyncio.to_thread(self._fresh_database)
        for persona in demo.ALL_PERSONAS:
            user = self.emu.user(persona.telegram_id, persona.name)
            self.emu.world.chat_for_user(user.record)  # everyone has opened the chat with the bot
        # Two connections for polling: at a stop PTB fetches once more to confirm the last updates
        # while the cancelled long poll may still hold the first (else an error at every Ctrl+C).
        app = build_application(
            self.settings, db=self.db, clock=self.clock,
            get_updates_request=HTTPXRequest(connection_pool_size=2),
        )
        deps(app).owns_db = False
        await app.initialize()
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=self.options.poll_timeout)
        self.app = app
        await self._menus()

    def _fresh_database(self) -> Database:
        path = self.options.db_path
        for suffix in ("", "-wal", "-shm", "-journal"):
            candidate = path.with_name(path.name + suffix)
            if candidate.exists():
                candidate.unlink()
        engine = make_engine(self.db_url)
        upgrade(engine)
        db = Database(engine)
        with db.session() as s:
            cal = self.policy.deadlines.calendar(s)
        start = self.options.start or demo.default_start(datetime.now().astimezone(), cal)
        self.clock.set(start)
        self.town = demo.build(db, start=start, policy=self.policy)
        return db

    async def _menus(self) -> None:
        """Each registered person's command menu, as their first /start would have set it (at once:
        the emulator needs no pause; the start-up job then finds them sent)."""
        from handlers.menus import send_changed_menus

        await send_changed_menus(self.app.bot, self.db, pause=0)

    async def _down(self) -> None:
        app, self.app = self.app, None
        if app is not None:
            if app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
            await app.shutdown()
        db, self.db = self.db, None
        if db is not None:
            db.close()

    # --- what the page shows ---------------------------------------------------------------------

    async def titles(self) -> dict[int, str]:
        """What the page calls people who were not registered in the demo but may be by now
        (the unregistered demo user, users made on the page)."""
        if self.db is None or self.busy:
            return {}
        known = {p.telegram_id for p in demo.PERSONAS}
        ids = [uid for uid, user in self.emu.world.users.items() if uid not in known and not user.is_bot]

        def look_up(session) -> dict[int, str]:
            found = {}
            for uid in ids:
                person = people.find_by_telegram(session, telegram_id=uid)
                if person is not None:
                    place = f"（{person.place}）" if person.place else ""
                    found[uid] = f"{texts.role_names(person.roles)}{place}（沙盒中登记）"
            return found

        return await self.db.run(look_up)

    def state(self) -> dict:
        now = self.clock.now()
        tz = self.settings.tz if self.settings else demo.SH
        return {
            "now": now.astimezone(tz).isoformat(),
            "now_ms": int(now.timestamp() * 1000),
            "start": self.town.start.astimezone(tz).isoformat() if self.town else None,
            "timezone": str(tz),
            "ready": self.app is not None and not self.busy,
            "instance": f"{self._instance}-{self.emu.world.generation}",
            "bot": {"username": BOT_USERNAME, "name": BOT_NAME},
            "location": {"latitude": demo.DEMO_LOCATION[0], "longitude": demo.DEMO_LOCATION[1]},
            "personas": [p.to_json() for p in demo.ALL_PERSONAS],
            "work_hours": self.settings.work_hours if self.settings else "",
        }


async def run(options: SandboxOptions, *, on_ready=None) -> None:
    """`python run_bot.py --sandbox`: serve until Ctrl+C (SIGINT) or SIGTERM."""
    import signal

    sandbox = Sandbox(options)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not on this platform
            loop.add_signal_handler(sig, stop.set)
    await sandbox.start()
    if on_ready is not None:
        on_ready(sandbox)
    try:
        await stop.wait()
    finally:
        await sandbox.stop()


def options_from(argv_port: int | None, argv_db: str | None, argv_host: str | None = None) -> SandboxOptions:
    """--port / SANDBOX_PORT, --db / SANDBOX_DB and --host / SANDBOX_HOST, checked; DATABASE_URL is never used."""
    host = argv_host or os.environ.get("SANDBOX_HOST") or DEFAULT_HOST
    try:
        ipaddress.IPv4Address(host)
    except ValueError:
        raise SandboxError(f"监听地址应为 IPv4 地址（本机 127.0.0.1，局域网 0.0.0.0）：{host}") from None
    port_text = argv_port if argv_port is not None else os.environ.get("SANDBOX_PORT", DEFAULT_PORT)
    try:
        port = int(port_text)
    except ValueError:
        raise SandboxError(f"端口应为数字：{port_text}") from None
    if not 0 <= port <= 65535:
        raise SandboxError(f"端口应在 0–65535 之间：{port}")
    path = argv_db or os.environ.get("SANDBOX_DB") or DEFAULT_DB
    return SandboxOptions(db_path=check_db_path(path, _production_url()), port=port, host=host)


def network_addresses() -> list[str]:
    """This computer's IPv4 addresses on its networks (loopback left out): where phones reach it."""
    addresses = set()
    with contextlib.suppress(OSError):
        addresses.update(info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET))
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.255.255.255", 1))  # sends nothing: only picks the outgoing interface
        addresses.add(probe.getsockname()[0])
    return sorted(a for a in addresses if not a.startswith("127.") and a != "0.0.0.0")


def _production_url() -> str | None:
    """DATABASE_URL as the bot would read it (environment, then .env), only to refuse it."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    try:
        from dotenv import dotenv_values
    except ImportError:
        return None
    return dotenv_values(".env").get("DATABASE_URL") if Path(".env").exists() else None
