"""/admin 🩺 运行状况: what /healthz and /metrics tell the IT office, worded for the admin's phone."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.ops.metrics import RECENT
from bot.services.workdays import time_left
from bot.texts import ops as texts

_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)  # any moment on a whole minute


def span(seconds: float) -> str:
    """Clock time worded as every message words it (workdays.time_left): 「7 分钟」「3 小时 5 分钟」「2 天」."""
    return time_left(_EPOCH + timedelta(seconds=seconds), _EPOCH).amount or texts.UNDER_A_MINUTE


@dataclass(frozen=True)
class Status:
    at: str  # deadlines.fmt of now, e.g. "12月05日 16:45"
    database: str  # the dialect: sqlite or postgresql
    stored: dict[str, float]  # metrics.stored_state: the outbox's figures and the database's size
    sweep_interval: int  # 0: the sweeps are switched off
    sweep_lag: float | None  # seconds since the last sweep run (metrics.sweeps_behind)
    sweeps_ok: bool
    text_days: int  # OUTBOX_TEXT_DAYS

    def text(self) -> str:
        backlog, dead, recent = (int(self.stored[k]) for k in ("backlog", "dead", "dead_recent"))
        if not self.sweep_interval:
            sweeps = texts.STATUS_SWEEPS_OFF
        elif self.sweep_lag is None:
            sweeps = texts.STATUS_SWEEPS_NONE
        else:
            sweeps = (texts.STATUS_SWEEPS_OK if self.sweeps_ok else texts.STATUS_SWEEPS_LATE).format(
                ago=span(self.sweep_lag))
        return "\n".join([
            texts.STATUS_TITLE.format(at=self.at),
            texts.STATUS_INSTANCE.get(self.database, self.database),
            texts.STATUS_SIZE.format(mb=self.stored["db_bytes"] / 1e6),
            self._backlog(backlog),
            texts.STATUS_DEAD.format(n=recent, total=dead, days=RECENT.days) if recent
            else texts.STATUS_DEAD_OLD.format(total=dead, days=RECENT.days) if dead else texts.STATUS_DEAD_NONE,
            sweeps,
            texts.STATUS_TEXTS_DAYS.format(days=self.text_days) if self.text_days else texts.STATUS_TEXTS_KEPT,
        ])

    def _backlog(self, n: int) -> str:
        if not n:
            return texts.STATUS_BACKLOG_NONE
        waited = self.stored["oldest_seconds"]
        if waited < 60:  # the normal flow: the sender looks every second
            return texts.STATUS_BACKLOG_FRESH.format(n=n)
        return texts.STATUS_BACKLOG.format(n=n, wait=span(waited))
