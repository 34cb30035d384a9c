"""Prometheus metrics. Counters and histograms are counted where things happen (updates, deliveries,
sweeps); the outbox backlog and dead letters are read from the database at each scrape, so every
instance reports the same truth and a restart loses nothing."""

import time
from datetime import datetime, timedelta

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlalchemy import case, func, text
from sqlmodel import Session, col, select

from models import Outbox, OutboxStatus

REGISTRY = CollectorRegistry()  # our own: no process/platform noise, and tests can read it

UPDATES = Counter("zongzhi_updates_total", "Telegram updates handled", registry=REGISTRY)
UPDATE_SECONDS = Histogram("zongzhi_update_seconds", "Time to handle one update", registry=REGISTRY,
                           buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
DELIVERIES = Counter("zongzhi_outbox_deliveries_total",
                     "Outbox send attempts by outcome: sent, retry, dead, unreachable, released",
                     ["result"], registry=REGISTRY)
SWEEP_SECONDS = Histogram("zongzhi_sweep_seconds", "Duration of one run of all sweeps", registry=REGISTRY,
                          buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))
SWEEPS = Counter("zongzhi_sweeps_total", "Completed sweep runs", registry=REGISTRY)
REMINDERS = Counter("zongzhi_reminders_sent_total", "Reminders queued by the reminder sweep", registry=REGISTRY)

# The outcome names the sender's bookkeeping functions map to (bot/sender.py records fn.__name__).
OUTCOMES = {"mark_sent": "sent", "mark_failed": "retry", "mark_dead": "dead", "mark_unreachable": "unreachable",
            "release": "released"}

_last_sweep = {"finished": None}  # monotonic time the last sweep run ended on this instance


def update_handled(seconds: float) -> None:
    UPDATES.inc()
    UPDATE_SECONDS.observe(seconds)


def delivery(outcome: str) -> None:
    DELIVERIES.labels(OUTCOMES.get(outcome, outcome)).inc()


def sweep_done(seconds: float) -> None:
    SWEEP_SECONDS.observe(seconds)
    SWEEPS.inc()
    _last_sweep["finished"] = time.monotonic()


def reminders_sent(count: int) -> None:
    if count:
        REMINDERS.inc(count)


def seconds_since_sweep() -> float | None:
    """Since the last completed sweep on this instance (None: none yet)."""
    finished = _last_sweep["finished"]
    return None if finished is None else time.monotonic() - finished


def sweep_lag_limit(interval: int) -> float:
    """A sweep run older than this means the sweeps are stuck (three missed runs, at least 2 min)."""
    return max(3 * interval, 120)


def sweeps_behind(*, active: bool, interval: int, since: float) -> tuple[float | None, bool]:
    """Seconds since the last completed sweep on this instance (before the first: since `since`, the
    monotonic moment it started or became active) and whether that is within the limit. A standby,
    or sweeps switched off (interval 0), is never behind."""
    lag = seconds_since_sweep()
    if lag is None and active:
        lag = time.monotonic() - since
    return lag, not active or not interval or (lag or 0) <= sweep_lag_limit(interval)


RECENT = timedelta(days=7)  # the dead letters the admin's status view counts as recent


def outbox_state(session: Session, *, now: datetime) -> dict[str, float]:
    """Backlog (pending rows due now), the age of the oldest of them, and the dead letters (all, and
    those queued in the last RECENT)."""
    due = (col(Outbox.status) == OutboxStatus.pending) & (col(Outbox.next_attempt_at) <= now)
    backlog, oldest = session.exec(select(func.count(), func.min(Outbox.created_at)).where(due)).one()
    recent = case((col(Outbox.created_at) >= now - RECENT, 1), else_=0)
    dead, dead_recent = session.exec(select(func.count(), func.coalesce(func.sum(recent), 0)).where(
        col(Outbox.status) == OutboxStatus.dead)).one()
    age = 0.0
    if oldest is not None:
        if oldest.tzinfo is None:  # SQLite hands back naive UTC
            oldest = oldest.replace(tzinfo=now.tzinfo)
        age = max((now - oldest).total_seconds(), 0.0)
    return {"backlog": float(backlog), "oldest_seconds": age, "dead": float(dead), "dead_recent": float(dead_recent)}


def database_bytes(session: Session) -> int:
    """The database's size on disk: what the retention of texts and backups are weighed against
    (SQLite: the main file, without its write-ahead log)."""
    if session.get_bind().dialect.name == "sqlite":
        pages = session.exec(text("PRAGMA page_count")).one()[0]
        return pages * session.exec(text("PRAGMA page_size")).one()[0]
    return session.exec(text("SELECT pg_database_size(current_database())")).one()[0]


def stored_state(session: Session, *, now: datetime) -> dict[str, float]:
    """What a scrape and the admin's status view read from the database, in one unit of work."""
    return {**outbox_state(session, now=now), "db_bytes": float(database_bytes(session))}


def render(*, stored: dict[str, float] | None, active: bool, sweep_lag: float | None) -> bytes:
    """The text exposition: the process's counters plus the gauges read for this scrape (`stored`:
    stored_state, None when the database did not answer)."""
    scrape = CollectorRegistry()
    Gauge("zongzhi_instance_active", "1 if this instance is active (takes updates, runs sweeps), 0 if standby",
          registry=scrape).set(1 if active else 0)
    if stored is not None:
        Gauge("zongzhi_outbox_backlog", "Outbox messages due and not yet sent", registry=scrape).set(stored["backlog"])
        Gauge("zongzhi_outbox_oldest_age_seconds", "Age of the oldest due outbox message",
              registry=scrape).set(stored["oldest_seconds"])
        Gauge("zongzhi_outbox_dead_letters", "Outbox messages given up on (dead letters)",
              registry=scrape).set(stored["dead"])
        Gauge("zongzhi_database_bytes", "Size of the database on disk", registry=scrape).set(stored["db_bytes"])
    if sweep_lag is not None:
        Gauge("zongzhi_sweep_lag_seconds", "Seconds since the last completed sweep run on this instance",
              registry=scrape).set(sweep_lag)
    return generate_latest(REGISTRY) + generate_latest(scrape)
