"""Reference data kept in memory and invalidated by the change, not by time.

Every update starts with the gate's "who is this" (five tables) and a report's first steps list the
case types; both change rarely (an admin's edit) and are read on nearly every update. A `Watch`
names the tables a piece of reference data is made of and counts the commits that changed them;
a memo is valid while that count is unchanged, so a hit costs no database round trip at all, and a
deactivation, a role change or an edited catalogue counts from the very next update.

The count lives in this process: the bot is the one process that writes its database (Telegram
lets one process poll a bot; the sandbox and the web pages run inside it). A change made behind
the bot's back, e.g. SQL typed into the database, is seen after a restart.

Inside a unit of work services read reference rows, person views and the calendar through
`remembered`/`row`: the memos belong to the database the session was opened on (Database.session
hands them over; a process may open several databases, the tests do), and a session that changed
those tables itself reads them afresh, so its own uncommitted change is seen.
"""

import threading
from collections.abc import Callable
from itertools import chain
from types import MappingProxyType
from typing import ClassVar, Generic, TypeVar

from sqlalchemy import Row, event, select
from sqlalchemy.orm import ORMExecuteState, Session

from models import CalendarDay, CalendarYear, CaseType, ContactPoint, Grid, Person, PersonRole, Unit, Village

T = TypeVar("T")
_CHANGED = "reference_changed"  # Session.info key: the watches this transaction touched
MEMOS = "memos"  # Session.info key: the Memos of the session's database (Database.session)


class Watch:
    """The commits that changed any of `models`' tables, counted."""

    _all: ClassVar[list["Watch"]] = []

    def __init__(self, *models: type):
        self.models = models
        self.tables = frozenset(m.__tablename__ for m in models)
        self.generation = 0
        self._lock = threading.Lock()
        Watch._all.append(self)

    def bump(self) -> None:
        with self._lock:
            self.generation += 1


def _touched(session: Session, watch: Watch) -> None:
    session.info.setdefault(_CHANGED, set()).add(watch)


@event.listens_for(Session, "before_flush")
def _on_flush(session: Session, _context, _instances) -> None:
    objects = tuple(chain(session.new, session.dirty, session.deleted))
    for watch in Watch._all:
        if any(isinstance(o, watch.models) for o in objects):
            _touched(session, watch)


@event.listens_for(Session, "do_orm_execute")
def _on_statement(state: ORMExecuteState) -> None:
    """Bulk INSERT/UPDATE/DELETE statements (e.g. replacing a person's roles) bypass the flush."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    for watch in Watch._all:
        if table is not None and table.name in watch.tables:
            _touched(state.session, watch)


@event.listens_for(Session, "after_commit")
def _on_commit(session: Session) -> None:
    # After the commit, never before: a lookup between the two would memo the old rows as new.
    # SQLAlchemy calls this for a savepoint's release too: that is not yet the commit.
    if session.in_nested_transaction():
        return
    for watch in session.info.pop(_CHANGED, ()):
        watch.bump()


@event.listens_for(Session, "after_rollback")
def _on_rollback(session: Session) -> None:
    if not session.in_nested_transaction():  # a savepoint's rollback keeps what came before it
        session.info.pop(_CHANGED, None)


class Memo(Generic[T]):
    """Values by key, each valid while its watch's generation is the one it was read at."""

    MISS = object()
    MAX = 20_000  # people of a county at most; beyond that start afresh rather than grow

    def __init__(self, watch: Watch):
        self.watch = watch
        self._values: dict[object, tuple[int, T]] = {}
        self._lock = threading.Lock()  # filled from the database's worker threads

    def cached(self, key: object = None) -> T | object:
        """The value if it is still valid, else Memo.MISS (then read it with `get`)."""
        with self._lock:
            hit = self._values.get(key)
        return hit[1] if hit is not None and hit[0] == self.watch.generation else Memo.MISS

    def get(self, key: object, read: Callable[[], T]) -> T:
        value = self.cached(key)
        if value is not Memo.MISS:
            return value
        # Read the generation first: a change committed during the read leaves the memo stale-marked.
        generation = self.watch.generation
        value = read()
        with self._lock:
            if len(self._values) >= self.MAX:
                self._values.clear()
            self._values[key] = (generation, value)
        return value


class Memos:
    """One database's memos, one per watch."""

    def __init__(self):
        self._memos: dict[Watch, Memo] = {}
        self._lock = threading.Lock()

    def of(self, watch: Watch) -> Memo:
        with self._lock:
            return self._memos.setdefault(watch, Memo(watch))


def _changed_here(session: Session, watch: Watch) -> bool:
    """This transaction changed (or is about to flush a change to) one of the watch's tables."""
    if watch in session.info.get(_CHANGED, ()):
        return True
    return any(isinstance(o, watch.models) for o in chain(session.new, session.dirty, session.deleted))


def remembered(session: Session, watch: Watch, key: object, read: Callable[[], T]) -> T:
    """`read()`, or what it gave before while none of `watch`'s tables has changed since. Values
    are shared between threads: immutable ones only (frozen dataclasses, Rows, tuples)."""
    memos = session.info.get(MEMOS)
    if memos is None or _changed_here(session, watch):
        return read()
    return memos.of(watch).get(key, read)


# The reference data, by what invalidates it.
DIRECTORY = Watch(Person, PersonRole, ContactPoint, Village, Grid, Unit)  # who someone is, places
CATALOGUE = Watch(CaseType)
CALENDAR = Watch(CalendarDay, CalendarYear)


def row(session: Session, watch: Watch, model: type, id_: int | None) -> Row | None:
    """One row of a reference table by id, as an immutable Row with the model's column names (for
    reading; change the table through the ORM object, never through this)."""
    if id_ is None:
        return None
    table = model.__table__
    assert table.name in watch.tables, f"{table.name} is not watched by this memo"
    return remembered(session, watch, (table.name, id_),
                      lambda: session.execute(select(table).where(table.c.id == id_)).first())


def case_type(session: Session, type_id: int | None) -> Row | None:
    return row(session, CATALOGUE, CaseType, type_id)


def village(session: Session, village_id: int | None) -> Row | None:
    return row(session, DIRECTORY, Village, village_id)


def grid(session: Session, grid_id: int | None) -> Row | None:
    return row(session, DIRECTORY, Grid, grid_id)


def calendar_days(session: Session) -> tuple[MappingProxyType, frozenset[int]]:
    """The calendar's overrides (day → working day?) and the years an admin confirmed."""
    def read():
        overrides = {day: workday for day, workday in session.execute(select(CalendarDay.day, CalendarDay.workday))}
        return MappingProxyType(overrides), frozenset(session.execute(select(CalendarYear.year)).scalars())
    return remembered(session, CALENDAR, "calendar", read)
