"""One function per notification a service queues, one module per feature.

A service decides who is told and what happened and calls e.g. `notify.baoan.proposed(...)`; the
function returns the message's HTML. Everything a person typed (names, descriptions, reasons) is
escaped here with `markup.escape`, and nowhere else."""

from bot.texts.notify import (
    alerts,
    baoan,
    cases,
    chases,
    deadlines,
    info_reports,
    joint,
    outbox,
    reminders,
    summary,
    supervision,
    upward,
)

__all__ = [
    "alerts",
    "baoan",
    "cases",
    "chases",
    "deadlines",
    "info_reports",
    "joint",
    "outbox",
    "reminders",
    "summary",
    "supervision",
    "upward",
]
