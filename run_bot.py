"""Start the 综治中心 bot.

    python run_bot.py            bring the database schema up to date, then run (long polling)
    python run_bot.py migrate    only bring the schema up to date
    python run_bot.py backup [PATH]       a consistent copy of the database while the bot runs
    python run_bot.py restore PATH [--yes]  replace the database with a backup (asks first)
    python run_bot.py --sandbox  training sandbox: the whole center in a browser at http://127.0.0.1:8080,
                                 demo data in its own SQLite file, no Telegram account or internet needed
                                 (--port / SANDBOX_PORT, --db / SANDBOX_DB, default data/sandbox.db;
                                 --host 0.0.0.0 / SANDBOX_HOST: open to phones on the same network)
"""

import argparse
import logging
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="乡镇综治中心 Telegram 机器人")
    parser.add_argument("command", nargs="?", choices=["run", "migrate", "backup", "restore"], default="run")
    parser.add_argument("path", nargs="?", help="backup: 备份文件或目录（默认 backups/）；restore: 备份文件")
    parser.add_argument("--yes", action="store_true", help="restore: 不再询问，直接覆盖（用于脚本）")
    parser.add_argument("--sandbox", action="store_true", help="培训沙盒：在浏览器里体验，使用演示数据")
    parser.add_argument("--port", type=int, help="沙盒网页端口（默认 8080，或 SANDBOX_PORT）")
    parser.add_argument("--db", help="沙盒数据库文件（默认 data/sandbox.db，或 SANDBOX_DB）")
    parser.add_argument("--host", help="沙盒监听地址（默认 127.0.0.1 仅本机；0.0.0.0 让同一网络的手机访问，或 SANDBOX_HOST）")
    args = parser.parse_args(argv)
    if args.sandbox:
        return run_sandbox(args.port, args.db, args.host)
    if args.port is not None or args.db is not None or args.host is not None:
        parser.error("--port、--db 和 --host 只用于 --sandbox")

    from bot.config import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2

    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    from bot import logmask

    logmask.install()  # the token, database passwords, phones and ID numbers are masked in every line
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per poll is noise
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # A failed start-up connection is reported below in one line; PTB's own traceback is noise.
    logging.getLogger("telegram.ext").addFilter(
        lambda record: not record.getMessage().startswith("Network Retry Loop (Bootstrap")
    )

    if args.command in ("backup", "restore"):
        from bot.ops import backup

        if args.command == "backup":
            return backup.backup_command(settings.database_url, args.path)
        return backup.restore_command(settings.database_url, args.path, assume_yes=args.yes)
    if args.path is not None or args.yes:
        parser.error("PATH 和 --yes 只用于 backup / restore")

    from bot.config import sqlite_path
    from bot.ops.election import SqliteGuard, SqliteInUse

    guard = None
    if args.command == "run" and (db_file := sqlite_path(settings.database_url)) is not None:
        guard = SqliteGuard(db_file)  # SQLite runs one instance: a second process stops here
        try:
            guard.acquire()
        except SqliteInUse as exc:
            print(exc, file=sys.stderr)
            return 1

    from bot.app import build_application
    from bot.db import Database, make_engine
    from bot.migrate import upgrade

    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
    except Exception as exc:  # an unreachable database is an operator problem: one clear line
        print(f"无法更新数据库结构（DATABASE_URL）：{logmask.mask(str(exc))}", file=sys.stderr)
        return 1
    if args.command == "migrate":
        print("数据库结构已是最新。")
        return 0

    import asyncio

    from bot.ops.service import PortBusy, Service

    app = build_application(settings, db=Database(engine))
    app.bot_data["deps"].owns_db = True
    from telegram.error import InvalidToken, NetworkError

    try:
        asyncio.run(Service(app, settings).run())
    except PortBusy as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl+C while still starting
        return 0
    except InvalidToken:
        print("Telegram 拒绝了 TELEGRAM_BOT_TOKEN：请到 @BotFather 核对令牌。", file=sys.stderr)
        return 2
    except NetworkError as exc:
        where = settings.telegram_api_base_url or "Telegram"
        print(f"无法连接 {where}（{exc}）：请检查网络或 TELEGRAM_API_BASE_URL。", file=sys.stderr)
        return 1
    return 0


def run_sandbox(port: int | None, db: str | None, host: str | None = None) -> int:
    import asyncio
    import time

    from bot.sandbox.runner import SandboxError, options_from, run

    began = time.monotonic()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    try:
        options = options_from(port, db, host)
    except SandboxError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"正在准备培训沙盒（演示数据写入 {options.db_path}，每次启动都会重建）…", flush=True)

    def ready(sandbox) -> None:
        print(f"培训沙盒已就绪（{time.monotonic() - began:.1f} 秒）：请在浏览器打开 {sandbox.url}  （Ctrl+C 停止）",
              flush=True)
        for url in sandbox.network_urls:
            print(f"同一网络的手机可打开 {url}（沙盒只有演示数据，但能打开的人都能使用它）", flush=True)

    try:
        asyncio.run(run(options, on_ready=ready))
    except SandboxError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    print("培训沙盒已停止。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
