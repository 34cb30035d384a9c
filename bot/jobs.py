"""Periodic work on PTB's JobQueue. APScheduler jobs are not persisted (PTB cannot), so they are
registered again at every start-up and read the truth from the database (DESIGN.md rule 3)."""

from telegram.ext import Application

from bot.context import deps as app_deps
from bot.sender import OutboxSender
from bot.sweeps import register_sweeps

OUTBOX_SENDER = "outbox_sender"  # bot_data key of the running sender


def register_jobs(app: Application) -> None:
    deps = app_deps(app)
    sender = OutboxSender(app.bot, deps.db, deps.clock, lease_seconds=deps.settings.outbox_lease_seconds,
                          tz=deps.settings.tz, notice_style=deps.notice_style, policy=deps.policy.deadlines)
    app.bot_data[OUTBOX_SENDER] = sender
    interval = deps.settings.outbox_interval_seconds
    app.job_queue.run_repeating(sender.job, interval=interval, first=interval / 2, name="outbox")
    register_sweeps(app)


def outbox_sender(app: Application) -> OutboxSender:
    return app.bot_data[OUTBOX_SENDER]
