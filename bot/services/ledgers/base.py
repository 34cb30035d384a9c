"""What every ledger shares: the period and the village/unit filter, who may export and what they
may see, the names of people and places, and reading rows in batches.

Rows are read as plain column tuples (no ORM objects, so nothing piles up in the session's identity
map) in keyset batches on the row id: a year of 100 000 cases is read a batch at a time.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import false, or_
from sqlmodel import Session, col, select

from bot.services import people
from bot.services.access import SEE_ALL
from bot.services.errors import NotAllowed
from bot.texts import ledgers as words
from models import Case, CaseType, Grid, Person, Role, Unit, Village

# Who may export ledgers: the center's staff and leaders, the party secretary and the director.
EXPORTERS = frozenset({Role.staff, Role.leader, Role.secretary, Role.director})
BATCH = 500  # rows per query: one batch, its parties and notices are all that is held at a time


@dataclass(frozen=True)
class Period:
    """Local calendar days, both ends included; `kind` names the choice (month, quarter, custom …)."""

    kind: str
    start: date
    end: date

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """[from, to) as aware moments: midnight of the first day to midnight after the last."""
        return (datetime.combine(self.start, time(0), tzinfo=tz),
                datetime.combine(self.end + timedelta(days=1), time(0), tzinfo=tz))

    def year_start(self, tz: ZoneInfo) -> datetime:
        return datetime.combine(date(self.end.year, 1, 1), time(0), tzinfo=tz)

    @property
    def text(self) -> str:
        return words.period_text(self.start, self.end)


@dataclass(frozen=True)
class Scope:
    """Optionally one village (村/社区) or one unit (承办单位)."""

    village_id: int | None = None
    unit_id: int | None = None


class Names:
    """Names of people, places, units and case types, loaded once (they are few)."""

    def __init__(self, session: Session):
        self.people = dict(session.exec(select(Person.id, Person.name)).all())
        self.villages = dict(session.exec(select(Village.id, Village.name)).all())
        self.grids = dict(session.exec(select(Grid.id, Grid.name)).all())
        self.units = dict(session.exec(select(Unit.id, Unit.name)).all())
        self.types = {t.id: (t.subtype if t.category == t.subtype else f"{t.category}·{t.subtype}")
                      for t in session.exec(select(CaseType))}

    def person(self, person_id: int | None) -> str:
        return self.people.get(person_id, "") if person_id else ""

    def place(self, village_id: int | None, grid_id: int | None = None) -> str:
        return " ".join(n for n in (self.villages.get(village_id or 0), self.grids.get(grid_id or 0)) if n)


def exporter(session: Session, viewer_id: int) -> people.PersonView:
    viewer = people.get(session, person_id=viewer_id)
    if not viewer.active or not viewer.has(*EXPORTERS):
        raise NotAllowed(words.NOT_ALLOWED)
    return viewer


def visible(viewer: people.PersonView):
    """SQL for the cases this viewer may see in a ledger (case_access.can_view for the center's
    roles): everything for the director and the secretary; otherwise every case that is not
    confidential, and the confidential ones they are assigned to. None: no condition."""
    if viewer.has(*SEE_ALL):
        return None
    return or_(col(Case.confidential).is_(False), assigned(viewer))


def assigned(viewer: people.PersonView):
    """case_access.is_assigned in SQL; never NULL (an empty handler is "not this viewer"), so that
    NOT assigned(...) is true for a case nobody was assigned to."""
    clause = or_(col(Case.handler_id).is_not_distinct_from(viewer.id),
                 col(Case.leader_id).is_not_distinct_from(viewer.id))
    if Role.unit in viewer.roles and viewer.unit_id is not None:
        clause = or_(clause, col(Case.unit_id).is_not_distinct_from(viewer.unit_id))
    return clause


def hidden_clause(viewer: people.PersonView):
    """The confidential cases this viewer may not see (they get a count line instead)."""
    if viewer.has(*SEE_ALL):
        return false()
    return col(Case.confidential).is_(True) & ~assigned(viewer)


def scope_where(scope: Scope, unit_column=None) -> list:
    """The village/unit filter as conditions on case (`unit_column`: the unit is another table's)."""
    out = []
    if scope.village_id is not None:
        out.append(Case.village_id == scope.village_id)
    if scope.unit_id is not None:
        out.append((Case.unit_id if unit_column is None else unit_column) == scope.unit_id)
    return out


def batches(session: Session, stmt, key, size: int = BATCH) -> Iterator[list]:
    """The rows of `stmt` (which selects `key` among its columns, as `key.key`) in keyset batches."""
    last = None
    name = key.key
    while True:
        page = stmt if last is None else stmt.where(key > last)
        rows = session.exec(page.order_by(key).limit(size)).all()
        if not rows:
            return
        yield rows
        last = getattr(rows[-1], name)


def moment(value: datetime | None, tz: ZoneInfo) -> str:
    if value is None:
        return ""
    local = value.astimezone(tz)
    return f"{words.date_text(local.date())} {local:%H:%M}"


def day(value: datetime | None, tz: ZoneInfo) -> str:
    return words.date_text(value.astimezone(tz).date()) if value is not None else ""


def late(due: datetime | None, done: datetime | None, now: datetime) -> str:
    """是否超期: finished after the deadline, or still open past it."""
    if due is None:
        return ""
    return words.YES if (done or now) > due else words.NO
