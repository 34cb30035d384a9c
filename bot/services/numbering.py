"""Yearly sequences without gaps or duplicates, also when two are taken at the same moment."""

from sqlalchemy import text
from sqlmodel import Session

# One statement, the same on SQLite and PostgreSQL; written out because every registration takes a
# number and building the dialect's upsert each time cost more than running it.
_BUMP = text(
    "INSERT INTO counter (name, year, value) VALUES (:name, :year, 1) "
    "ON CONFLICT (name, year) DO UPDATE SET value = counter.value + 1 RETURNING value"
)


def next_value(session: Session, *, name: str, year: int) -> int:
    """Create or bump the counter row in one statement; the row lock (PostgreSQL) or the write lock
    (SQLite) makes concurrent callers wait, and a rolled-back transaction gives its number back."""
    return session.execute(_BUMP, {"name": name, "year": year}).scalar_one()
