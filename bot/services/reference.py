"""Reference data kept in memory and invalidated by the change, not by time.

Every update starts with the gate's "who is this" (five tables) and a report's first steps list the
case types; both change rarely (an admin's edit) and are read on nearly every update. A `Watch`
names the tables a piece of reference data is made of and counts the commits that changed them;
a memo is valid while that count is unchanged, so a hit costs no database round trip at all, and a
deactivation, a role change or an edited catalogue counts from the very next update.

The count lives in this process: the bot is the one process that writes its database (Telegram
lets one process poll a bot; the sandbox and the web pages run inside it). A change made behind
the bot's back, e.g. SQL typed into the database, is seen after a restart.
"""

import threading
from collections.abc import Callable
from itertools import chain
from typing import ClassVar, Generic, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

T = TypeVar("T")
_CHANGED = "reference_changed"  # Session.info key: the watches this transaction touched


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
    for watch in session.info.pop(_CHANGED, ()):
        watch.bump()


@event.listens_for(Session, "after_rollback")
def _on_rollback(session: Session) -> None:
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
