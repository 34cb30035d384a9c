"""SQL both our databases speak that SQLAlchemy's generic constructs do not."""

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

INSERTS = {"postgresql": pg_insert, "sqlite": sqlite_insert}  # by dialect name


def insert_for(session: Session):
    """The dialect's INSERT, which has ON CONFLICT … DO UPDATE (an upsert in one statement)."""
    return INSERTS[session.get_bind().dialect.name]
