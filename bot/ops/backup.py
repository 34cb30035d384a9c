"""`python run_bot.py backup [PATH]` and `restore PATH`.

SQLite: the online backup API copies a consistent snapshot page by page while the bot keeps writing
(WAL mode); restore copies a backup back the same way, so the file keeps its name, owner and mode.
PostgreSQL: pg_dump in its custom format (one consistent snapshot, compressed) and pg_restore
--clean; the password goes to the client in PGPASSWORD, never on a command line others can read.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.config import sqlite_path
from bot.db import normalize_url
from bot.texts import ops as texts

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
DEFAULT_DIR = Path("backups")


class BackupError(Exception):
    """One line for the operator."""


def default_name(postgres: bool, now: datetime | None = None) -> str:
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"zongzhi-{stamp}.{'dump' if postgres else 'db'}"


def target_path(path: str | None, postgres: bool) -> Path:
    """PATH as given; a folder (existing, or ending in /) gets a dated file name; none: backups/."""
    if path is None:
        return DEFAULT_DIR / default_name(postgres)
    p = Path(path)
    if p.is_dir() or path.endswith(os.sep):
        return p / default_name(postgres)
    return p


def backup(database_url: str, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")  # a failed run never leaves a file that looks good
    src_file = sqlite_path(database_url)
    if src_file is not None:
        if not src_file.exists():
            raise BackupError(f"数据库文件 {src_file} 不存在")
        partial.unlink(missing_ok=True)
        src = sqlite3.connect(f"file:{src_file}?mode=ro", uri=True, timeout=30)
        dst = sqlite3.connect(partial)
        try:
            with dst:
                src.backup(dst)  # one step: one consistent snapshot, writers go on meanwhile (WAL)
        finally:
            dst.close()
            src.close()
    elif database_url.startswith("sqlite"):
        raise BackupError("内存数据库无法备份")
    else:
        conninfo, env = _libpq(database_url)
        _run([_client("pg_dump", texts.BACKUP_NO_PG_DUMP), "--format=custom", "--no-owner", "--no-privileges",
              f"--file={partial}", f"--dbname={conninfo}"], env)
    partial.replace(path)
    return path


def restore(database_url: str, path: Path) -> None:
    if not path.is_file():
        raise BackupError(texts.RESTORE_NO_FILE.format(path=path))
    head = path.open("rb").read(16)
    target = sqlite_path(database_url)
    if target is not None:
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(texts.RESTORE_WRONG_KIND.format(path=path, kind=" SQLite "))
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        dst = sqlite3.connect(target, timeout=30)
        try:
            with dst:
                src.backup(dst)
        finally:
            dst.close()
            src.close()
        return
    if not head.startswith(PG_DUMP_MAGIC):
        raise BackupError(texts.RESTORE_WRONG_KIND.format(path=path, kind=" pg_dump（custom 格式）"))
    conninfo, env = _libpq(database_url)
    _run([_client("pg_restore", texts.RESTORE_NO_PSQL), "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", "--exit-on-error", f"--dbname={conninfo}", str(path)], env)


def active_instance_running(database_url: str) -> bool:
    """PostgreSQL: an instance holds the election lock (so the bot is running)."""
    import psycopg

    from bot.ops.election import LOCK_KEY, libpq_conninfo

    with psycopg.connect(libpq_conninfo(database_url), autocommit=True, connect_timeout=5) as conn:
        got = conn.execute(f"SELECT pg_try_advisory_lock({LOCK_KEY})").fetchone()[0]
        if got:
            conn.execute(f"SELECT pg_advisory_unlock({LOCK_KEY})")
        return not got


# --- the two commands (run_bot.py) ---------------------------------------------------------------


def backup_command(database_url: str, path: str | None) -> int:
    postgres = sqlite_path(database_url) is None
    try:
        done = backup(database_url, target_path(path, postgres))
    except BackupError as exc:
        print(str(exc) if "pg_dump" in str(exc) else texts.BACKUP_FAILED.format(error=exc), file=sys.stderr)
        return 1
    print(texts.BACKUP_DONE.format(path=done, size=_size(done.stat().st_size)))
    return 0


def restore_command(database_url: str, path: str | None, *, assume_yes: bool) -> int:
    from bot.ops.election import SqliteGuard, SqliteInUse

    if path is None:
        print(texts.RESTORE_NO_FILE.format(path="（未指定）"), file=sys.stderr)
        return 2
    file = Path(path)
    if not file.is_file():
        print(texts.RESTORE_NO_FILE.format(path=file), file=sys.stderr)
        return 1
    target = sqlite_path(database_url)
    shown = str(target) if target is not None else _hide_password(database_url)
    if not assume_yes:
        try:
            answer = input(texts.RESTORE_CONFIRM.format(path=file, target=shown))
        except EOFError:
            print(texts.RESTORE_NEEDS_YES, file=sys.stderr)
            return 2
        if answer.strip().lower() not in ("yes", "y", "是"):
            print(texts.RESTORE_ABORTED)
            return 1
    guard = None
    try:
        if target is not None:  # the bot must not be running on this file meanwhile
            guard = SqliteGuard(target)
            guard.acquire()
        elif active_instance_running(database_url):
            raise BackupError("机器人仍在运行：请先停止所有实例（systemctl stop 'zongzhi-bot@*'）")
        restore(database_url, file)
    except (BackupError, SqliteInUse) as exc:
        print(texts.RESTORE_FAILED.format(error=exc), file=sys.stderr)
        return 1
    finally:
        if guard is not None:
            guard.release()
    print(texts.RESTORE_DONE.format(target=shown, path=file))
    return 0


# --- helpers ------------------------------------------------------------------------------------


def _libpq(database_url: str) -> tuple[str, dict[str, str]]:
    """A libpq URI without the password, and the environment that carries it."""
    url = make_url(normalize_url(database_url)).set(drivername="postgresql")
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return url.set(password=None).render_as_string(hide_password=False), env


def _client(name: str, missing: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(missing)
    return found


def _run(cmd: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        raise BackupError(lines[-1] if lines else f"{Path(cmd[0]).name} exit {result.returncode}")


def _hide_password(url: str) -> str:
    return make_url(normalize_url(url)).render_as_string(hide_password=True)


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"
