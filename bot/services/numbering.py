"""Yearly sequences without gaps or duplicates, also when two are taken at the same moment."""

from sqlalchemy import insert, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from models import Counter


def next_value(session: Session, *, name: str, year: int) -> int:
    """Bump the counter row in place; the row lock (PostgreSQL) or the write lock (SQLite) makes
    concurrent callers wait, and a rolled-back transaction gives its number back."""
    dialect = session.get_bind().dialect.name
    ins = {"postgresql": pg_insert, "sqlite": sqlite_insert}.get(dialect, insert)
    stmt = ins(Counter).values(name=name, year=year, value=0)
    if hasattr(stmt, "on_conflict_do_nothing"):
        stmt = stmt.on_conflict_do_nothing(index_elements=["name", "year"])
    session.exec(stmt)
    bumped = (
        update(Counter)
        .where(Counter.name == name, Counter.year == year)
        .values(value=Counter.value + 1)
        .returning(Counter.value)
    )
    return session.exec(bumped).scalar_one()
