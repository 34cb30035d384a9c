"""Yearly sequences without gaps or duplicates, also when two are taken at the same moment."""

from sqlmodel import Session

from bot.services.sql import insert_for
from models import Counter


def next_value(session: Session, *, name: str, year: int) -> int:
    """Create or bump the counter row in one statement; the row lock (PostgreSQL) or the write lock
    (SQLite) makes concurrent callers wait, and a rolled-back transaction gives its number back."""
    stmt = insert_for(session)(Counter).values(name=name, year=year, value=1)
    bumped = stmt.on_conflict_do_update(index_elements=["name", "year"], set_={"value": Counter.value + 1})
    return session.exec(bumped.returning(Counter.value)).scalar_one()
