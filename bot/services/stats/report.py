"""Who sees which figures, a period's report (frozen months shown as frozen, with their 更正), and the
monthly freeze.

Frozen months: at 00:00 on the 1st the previous month's figures are stored (township and every
village, models.StatsSnapshot) and never changed. Asked for later, a frozen month shows the frozen
numbers; a live recomputation that differs (a later correction to an old case) is shown beside them as
更正 and audited once per difference, so a reported number never changes silently.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from bot.services import audit, people
from bot.services.errors import NotAllowed
from bot.services.stats.figures import Figures, compute
from bot.services.stats.periods import Period, PeriodKind, month_of
from bot.texts import stats as words
from models import ContactPoint, Role, StatsSnapshot, Village

TOWNSHIP_ROLES = frozenset({Role.director, Role.secretary, Role.leader})  # see the whole township
TOWNSHIP = "township"
CATCH_UP_MONTHS = 24  # after a long stop, at most this many missing months are frozen at once


@dataclass(frozen=True)
class Scope:
    """The whole township (village_ids None) or some villages (a contact point's)."""

    village_ids: tuple[int, ...] | None
    label: str

    @property
    def keys(self) -> tuple[str, ...]:
        """The snapshot scopes it is made of."""
        if self.village_ids is None:
            return (TOWNSHIP,)
        return tuple(f"village:{v}" for v in self.village_ids)


TOWNSHIP_SCOPE = Scope(None, words.SCOPE_TOWNSHIP)


def may_view(person: people.PersonView) -> bool:
    """Leaders, the secretary and the director see the township; a contact point (工作联系点), e.g. a
    staff member, sees its villages; nobody else sees figures (nor /stats in their menu)."""
    return person.active and (person.has(*TOWNSHIP_ROLES) or bool(person.contact_village_ids))


def scope_for(session: Session, *, person_id: int) -> Scope:
    """What `may_view` allows: the township, or the person's contact-point villages."""
    person = people.get(session, person_id=person_id)
    if not may_view(person):
        raise NotAllowed(words.REFUSED)
    if person.has(*TOWNSHIP_ROLES):
        return TOWNSHIP_SCOPE
    rows = session.exec(select(Village.id, Village.name).join(ContactPoint, ContactPoint.village_id == Village.id)
                        .where(ContactPoint.person_id == person_id).order_by(col(Village.id))).all()
    if not rows:
        raise NotAllowed(words.REFUSED)
    return Scope(tuple(r[0] for r in rows), "、".join(r[1] for r in rows))


def village_scope(session: Session, *, village_id: int) -> Scope:
    village = session.get(Village, village_id)
    return Scope((village_id,), village.name if village else str(village_id))


@dataclass(frozen=True)
class StatsReport:
    period: Period
    scope: Scope
    figures: Figures  # what is shown: the frozen figures of a frozen month, else the live ones
    previous: Figures | None  # 环比 (None for a year: its 环比 is its 同比)
    last_year: Figures  # 同比
    corrections: Figures | None  # live − frozen, for a frozen month that was corrected since
    frozen_at: datetime | None
    as_of: datetime  # the period's end, or now if it has not ended
    made_at: datetime
    tz: ZoneInfo

    @property
    def partial(self) -> bool:
        return self.as_of < self.period.bounds(self.tz)[1]


def live(session: Session, *, period: Period, scope: Scope, now: datetime, tz: ZoneInfo) -> Figures:
    start, end = period.bounds(tz)
    return compute(session, start=start, end=end, village_ids=scope.village_ids, at=min(now, end))


def _ids(key: str) -> tuple[int, ...] | None:
    return None if key == TOWNSHIP else (int(key.partition(":")[2]),)


def _snapshots(session: Session, period: Period, scope: Scope) -> list[StatsSnapshot] | None:
    """The month's snapshots that make up the scope; None unless every one of them exists."""
    if period.kind != PeriodKind.month:
        return None
    snaps = list(session.exec(select(StatsSnapshot).where(StatsSnapshot.month == period.start,
                                                          col(StatsSnapshot.scope).in_(scope.keys))))
    return snaps if len(snaps) == len(scope.keys) else None


def _shown(session: Session, period: Period, scope: Scope, now: datetime, tz: ZoneInfo) -> Figures:
    """A compared period: its frozen figures if frozen (as reported then), else live."""
    snaps = _snapshots(session, period, scope)
    if snaps is None:
        return live(session, period=period, scope=scope, now=now, tz=tz)
    return sum((Figures.from_json(s.figures) for s in snaps), Figures())


def report(session: Session, *, period: Period, scope: Scope, now: datetime, tz: ZoneInfo) -> StatsReport:
    """The figures of a period for a scope, with 环比 and 同比. A frozen month keeps its frozen
    figures; any difference from a recomputation is returned as corrections and audited."""
    start, end = period.bounds(tz)
    snaps = _snapshots(session, period, scope)
    corrections = frozen_at = None
    if snaps is None:
        figures = live(session, period=period, scope=scope, now=now, tz=tz)
    else:
        figures, corrections = Figures(), Figures()
        for snap in snaps:
            frozen = Figures.from_json(snap.figures)
            diff = compute(session, start=start, end=end, village_ids=_ids(snap.scope), at=end) - frozen
            _audit_correction(session, snap, diff, now)
            figures, corrections = figures + frozen, corrections + diff
        frozen_at = max(s.frozen_at for s in snaps)
        if corrections.is_zero():
            corrections = None
    previous = None if period.kind == PeriodKind.year else _shown(session, period.previous(), scope, now, tz)
    return StatsReport(period=period, scope=scope, figures=figures, previous=previous,
                       last_year=_shown(session, period.last_year(), scope, now, tz), corrections=corrections,
                       frozen_at=frozen_at, as_of=min(now, end), made_at=now, tz=tz)


def monthly(session: Session, *, month: Period, scope: Scope = TOWNSHIP_SCOPE, now: datetime,
            tz: ZoneInfo) -> StatsReport:
    """The month pack's and the weekly brief's entry point: a month's report, no chat needed."""
    if month.kind != PeriodKind.month:
        raise ValueError("monthly() takes a month")
    return report(session, period=month, scope=scope, now=now, tz=tz)


def _audit_correction(session: Session, snap: StatsSnapshot, diff: Figures, now: datetime) -> None:
    """Audit a correction of a frozen month once: when it first shows, and again only if it changes."""
    found = None if diff.is_zero() else diff.to_json()
    if found == snap.corrections:
        return
    audit.record(session, actor_id=None, action="stats.correction", subject_type="stats_snapshot",
                 subject_id=snap.id, now=now, month=snap.month.isoformat(), scope=snap.scope,
                 corrections=found, before=snap.corrections)
    snap.corrections = found
    session.add(snap)


# --- the monthly freeze -----------------------------------------------------------------------------


def freeze(session: Session, *, month: Period, now: datetime, tz: ZoneInfo) -> int:
    """Freeze a month for the township and every village; a scope already frozen is left as it is
    (idempotent, and safe when two processes race: the unique key decides). Returns how many made."""
    start, end = month.bounds(tz)
    have = set(session.exec(select(StatsSnapshot.scope).where(StatsSnapshot.month == month.start)))
    keys = [TOWNSHIP, *(f"village:{v}" for v in session.exec(select(Village.id).order_by(col(Village.id))))]
    made = 0
    for key in keys:
        if key in have:
            continue
        figures = compute(session, start=start, end=end, village_ids=_ids(key), at=end)
        try:
            with session.begin_nested():
                snap = StatsSnapshot(month=month.start, scope=key, figures=figures.to_json(), frozen_at=now)
                session.add(snap)
                session.flush()
        except IntegrityError:
            continue  # another process froze it first
        audit.record(session, actor_id=None, action="stats.freeze", subject_type="stats_snapshot",
                     subject_id=snap.id, now=now, month=month.start.isoformat(), scope=key)
        made += 1
    return made


def freeze_due(session: Session, *, now: datetime, tz: ZoneInfo) -> list[Period]:
    """Freeze every ended month not frozen yet, from the month after the last frozen one up to last
    month (only last month on a fresh start). Cheap when nothing is due: one query."""
    last_month = month_of(now.astimezone(tz).date()).previous()
    latest = session.exec(select(func.max(StatsSnapshot.month)).where(StatsSnapshot.scope == TOWNSHIP)).one()
    if latest is not None and latest >= last_month.start:
        return []
    todo, month = [], last_month
    if latest is None:
        todo = [last_month]
    while latest is not None and month.start > latest and len(todo) < CATCH_UP_MONTHS:
        todo.append(month)
        month = month.previous()
    for month in reversed(todo):
        freeze(session, month=month, now=now, tz=tz)
    return list(reversed(todo))
