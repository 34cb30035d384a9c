"""Yearly sequences without gaps or duplicates, also when two are taken at the same moment."""

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from models import Counter


def next_value(session: Session, *, name: str, year: int) -> int:
    """Create or bump the counter row in one statement; the row lock (PostgreSQL) or the write lock
    (SQLite) makes concurrent callers wait, and a rolled-back transaction gives its number back."""
    insert = {"postgresql": pg_insert, "sqlite": sqlite_insert}[session.get_bind().dialect.name]
    stmt = insert(Counter).values(name=name, year=year, value=1)
    bumped = stmt.on_conflict_do_update(index_elements=["name", "year"], set_={"value": Counter.value + 1})
    return session.exec(bumped.returning(Counter.value)).scalar_one()
