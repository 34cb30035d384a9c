"""排查 returns (矛盾纠纷排查, issue 16): every village (or each grid, by the local policy) returns its
investigation each period, either the items found (each a case through the /report flow, linked in
paicha_item so ledgers and figures can tell it was found by 排查) or one press of 「本期零报告」.

Periods: the schedule's (default due the 14th and the 28th, moved to the next working day of the
official calendar), a 集中排查 the director opens (own days and villages), and while a 节日 / 敏感期 is
switched on one period a day. A period's expected returns are rows made when it opens, so
已报 n/m, 催报, the reminders and the ledger are counts over rows.

The sweep opens the current period, reminds the missing grid workers on the working day before and
on the due day, and after the due day tells each village's contact-point (工作联系点) person. Each
step is a mark on the period set in the unit of work that queues its messages (outbox keys name the
period, the step and the person): idempotent and restart-safe.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.callbacks import PaichaChase, PaichaItem, PaichaStatus, PaichaZero
from bot.services import audit, intake, outbox, situation
from bot.services.cases import CaseDraft
from bot.services.deadlines import CENTER_TZ, DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.services.workdays import WorkCalendar
from bot.texts import paicha as t
from models import (
    ContactPoint,
    Grid,
    PaichaKind,
    PaichaPeriod,
    PaichaReturn,
    Person,
    PersonRole,
    ReturnKind,
    Role,
    Setting,
    Village,
)
from models.paicha import PaichaItem as Item

CENTER = {Role.director, Role.leader, Role.staff}  # see 已报 n/m, chase
FILERS = {Role.grid}
REMIND_AT = time(9, 0)  # local: reminders and the leaders' notice go out from this time of the day
LATE_DAYS = 7  # a missing return may still be filed this many days after its due day
SWEEP_DAYS = 20  # periods older than this are no longer swept
SENSITIVE_KEY = "paicha.sensitive"
CAMPAIGN_DAYS = (3, 5, 10)  # the due-day buttons: working days from today


@dataclass(frozen=True)
class Schedule:
    """Local policy (settings PAICHA_DUE_DAYS, PAICHA_UNIT)."""

    due_days: tuple[int, ...] = (14, 28)
    per_grid: bool = False
    tz: ZoneInfo = CENTER_TZ

    @classmethod
    def from_settings(cls, settings) -> "Schedule":
        return cls(due_days=tuple(int(d) for d in settings.paicha_due_days.split(",")),
                   per_grid=settings.paicha_unit == "grid", tz=settings.tz)


# --- days -------------------------------------------------------------------------------------------


def next_workday(cal: WorkCalendar, day: date) -> date:
    """`day` itself when it is a working day, else the next one."""
    for _ in range(60):
        if cal.is_workday(day)[0]:
            return day
        day += timedelta(days=1)
    return day


def previous_workday(cal: WorkCalendar, day: date) -> date:
    day -= timedelta(days=1)
    for _ in range(60):
        if cal.is_workday(day)[0]:
            return day
        day -= timedelta(days=1)
    return day


def _month(year: int, month: int) -> tuple[int, int]:
    return year + (month - 1) // 12, (month - 1) % 12 + 1


def regular_periods_around(cal: WorkCalendar, schedule: Schedule, today: date) -> list[tuple[date, date, date]]:
    """(nominal due, start, due) of the schedule's periods from two months before `today` to the next
    month, in order: a period starts the day after the previous one's (moved) due day."""
    dues = []
    for shift in (-2, -1, 0, 1):
        y, m = _month(today.year, today.month + shift)
        for d in schedule.due_days:
            nominal = date(y, m, d)
            dues.append((nominal, next_workday(cal, nominal)))
    dues.sort(key=lambda x: x[1])
    return [(nominal, dues[i - 1][1] + timedelta(days=1), due) for i, (nominal, due) in enumerate(dues) if i]


def current_regular(cal: WorkCalendar, schedule: Schedule, today: date) -> tuple[date, date, date]:
    return next(p for p in regular_periods_around(cal, schedule, today) if p[2] >= today)


# --- who returns ------------------------------------------------------------------------------------


def _roles(session: Session, person_id: int) -> set[Role]:
    return {Role(r) for r in session.exec(select(PersonRole.role).where(PersonRole.person_id == person_id))}


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None or not person.active:
        raise NotAllowed(t.NOT_ALLOWED)
    return person


def is_center(session: Session, *, person_id: int) -> bool:
    person = session.get(Person, person_id)
    return bool(person and person.active and _roles(session, person_id) & CENTER)


def _units(session: Session, schedule: Schedule, village_ids: list[int] | None) -> list[tuple[str, int, int | None]]:
    """(unit key, village id, grid id) expected to return: the active villages (or their grids)."""
    stmt = select(Village).where(col(Village.active)).order_by(col(Village.id))
    if village_ids is not None:
        stmt = stmt.where(col(Village.id).in_(village_ids))
    units = []
    for village in session.exec(stmt):
        grids = list(session.exec(select(Grid).where(Grid.village_id == village.id).order_by(col(Grid.id))))
        if schedule.per_grid and grids:
            units += [(f"g{g.id}", village.id, g.id) for g in grids]
        else:
            units.append((f"v{village.id}", village.id, None))
    return units


def _unit_key_of(person: Person, schedule: Schedule) -> str | None:
    if person.village_id is None:
        return None
    if schedule.per_grid and person.grid_id is not None:
        return f"g{person.grid_id}"
    return f"v{person.village_id}"


def _unit_name(session: Session, ret: PaichaReturn) -> str:
    village = session.get(Village, ret.village_id)
    name = village.name if village else ""
    if ret.grid_id is not None:
        grid = session.get(Grid, ret.grid_id)
        name += grid.name if grid else ""
    return name


def _grid_workers(session: Session, ret: PaichaReturn) -> list[Person]:
    stmt = (select(Person).join(PersonRole, PersonRole.person_id == Person.id)
            .where(col(Person.active), PersonRole.role == Role.grid, Person.village_id == ret.village_id)
            .order_by(col(Person.name), col(Person.id)))
    if ret.grid_id is not None:
        stmt = stmt.where(Person.grid_id == ret.grid_id)
    return list(session.exec(stmt))


# --- periods ----------------------------------------------------------------------------------------


def _open(session: Session, *, kind: PaichaKind, key: str | None, title: str, start: date, due: date,
          units: list[tuple[str, int, int | None]], now: datetime, opened_by: int | None = None) -> PaichaPeriod:
    period = PaichaPeriod(kind=kind, key=key, title=title, start_day=start, due_day=due, opened_by_id=opened_by,
                          created_at=now)
    session.add(period)
    session.flush()
    for unit_key, village_id, grid_id in units:
        session.add(PaichaReturn(period_id=period.id, unit_key=unit_key, village_id=village_id, grid_id=grid_id))
    session.flush()
    return period


def _by_key(session: Session, key: str) -> PaichaPeriod | None:
    return session.exec(select(PaichaPeriod).where(PaichaPeriod.key == key)).first()


def _get_or_open(session: Session, *, key: str, schedule: Schedule, **kw) -> PaichaPeriod:
    """The period under `key`, made (for every village or grid of the schedule) if missing; two
    processes making it at once end with one (the loser's savepoint rolls back on the unique key and
    it reads the winner's). Every sweep asks: the lookup is all it costs once the period exists."""
    found = _by_key(session, key)
    if found is not None:
        return found
    try:
        with session.begin_nested():
            return _open(session, key=key, units=_units(session, schedule, None), **kw)
    except IntegrityError:
        found = _by_key(session, key)
        if found is None:
            raise
        return found


def ensure_current(session: Session, *, today: date, cal: WorkCalendar, schedule: Schedule,
                   now: datetime) -> list[PaichaPeriod]:
    """The schedule's current period, and today's daily one while a 节日 / 敏感期 is on (made once)."""
    nominal, start, due = current_regular(cal, schedule, today)
    key = f"regular:{nominal.isoformat()}"
    found = [_get_or_open(session, kind=PaichaKind.regular, key=key, title=t.KIND_TITLES["regular"], start=start,
                          due=due, schedule=schedule, now=now)]
    on = sensitive(session)
    if on is not None:
        key = f"daily:{today.isoformat()}"
        found.append(_get_or_open(
            session, kind=PaichaKind.daily, key=key, title=t.DAILY_TITLE.format(label=t.SENSITIVE_LABELS[on["label"]]),
            start=today, due=today, schedule=schedule, now=now))
    return found


def _period(session: Session, period_id: int) -> PaichaPeriod:
    period = session.get(PaichaPeriod, period_id)
    if period is None:
        raise NotFound(t.STALE)
    return period


def _open_periods(session: Session, today: date) -> list[PaichaPeriod]:
    """Periods that have started and are not more than LATE_DAYS past their due day."""
    return list(session.exec(select(PaichaPeriod).where(PaichaPeriod.start_day <= today,
                                                        PaichaPeriod.due_day >= today - timedelta(days=LATE_DAYS))
                             .order_by(col(PaichaPeriod.due_day), col(PaichaPeriod.id))))


# --- the grid worker's view and returns ------------------------------------------------------------


@dataclass(frozen=True)
class GridRow:
    period_id: int
    title: str
    start: date
    due: date
    state: str  # words: 未报 / 已报零报告 / 已报事项 n 件
    missing: bool


def _return_for(session: Session, period: PaichaPeriod, person: Person, schedule: Schedule) -> PaichaReturn | None:
    key = _unit_key_of(person, schedule)
    if key is None:
        return None
    ret = session.exec(select(PaichaReturn).where(PaichaReturn.period_id == period.id,
                                                  PaichaReturn.unit_key == key)).first()
    if ret is None and key.startswith("g"):  # a grid worker in village mode periods, or the reverse
        ret = session.exec(select(PaichaReturn).where(PaichaReturn.period_id == period.id,
                                                      PaichaReturn.unit_key == f"v{person.village_id}")).first()
    return ret


def _items(session: Session, return_id: int) -> int:
    return session.exec(select(func.count()).select_from(Item).where(Item.return_id == return_id)).one()


def _state(session: Session, ret: PaichaReturn, today: date, due: date) -> str:
    if ret.kind == ReturnKind.zero:
        return t.STATE_ZERO
    if ret.kind == ReturnKind.items:
        return t.STATE_ITEMS.format(count=_items(session, ret.id))
    return t.STATE_LATE if today > due else t.STATE_MISSING


def grid_home(session: Session, *, person_id: int, today: date, cal: WorkCalendar, schedule: Schedule,
              now: datetime) -> tuple[str, list[GridRow]]:
    """(the worker's village/grid name, the open periods that include it)."""
    person = _person(session, person_id)
    if not _roles(session, person_id) & FILERS:
        raise NotAllowed(t.NOT_ALLOWED)
    if person.village_id is None:
        raise InvalidInput(t.NO_VILLAGE)
    ensure_current(session, today=today, cal=cal, schedule=schedule, now=now)
    rows, unit = [], ""
    for period in _open_periods(session, today):
        ret = _return_for(session, period, person, schedule)
        if ret is None or (today > period.due_day and ret.kind is not None):
            continue
        unit = _unit_name(session, ret)
        rows.append(GridRow(period.id, period.title, period.start_day, period.due_day,
                            _state(session, ret, today, period.due_day), ret.kind is None))
    if not unit:
        village = session.get(Village, person.village_id)
        unit = village.name if village else ""
    return unit, rows


def grid_buttons(rows: list[GridRow]) -> list[list[tuple[str, str]]]:
    out = []
    for r in rows:
        due = t.short_date(r.due)
        out.append([(t.BUTTON_ITEM.format(due=due), PaichaItem(r.period_id).pack())])
        if r.missing:
            out.append([(t.BUTTON_ZERO.format(due=due), PaichaZero(r.period_id).pack())])
    return out


def _filer_return(session: Session, *, person_id: int, period_id: int, today: date,
                  schedule: Schedule) -> tuple[PaichaPeriod, PaichaReturn, Person]:
    person = _person(session, person_id)
    if not _roles(session, person_id) & FILERS:
        raise NotAllowed(t.NOT_ALLOWED)
    if person.village_id is None:
        raise InvalidInput(t.NO_VILLAGE)
    period = _period(session, period_id)
    if today < period.start_day:
        raise NotFound(t.STALE)
    if today > period.due_day + timedelta(days=LATE_DAYS):
        raise InvalidInput(t.CLOSED)
    ret = _return_for(session, period, person, schedule)
    if ret is None:
        raise NotAllowed(t.NOT_IN_SCOPE)
    return period, ret, person


@dataclass(frozen=True)
class Filed:
    first: bool  # False: a second press, nothing changed
    message: str


def file_zero(session: Session, *, person_id: int, period_id: int, now: datetime, today: date,
              schedule: Schedule) -> Filed:
    """本期零报告: once per village (grid) and period; a second press answers what was filed."""
    period, ret, person = _filer_return(session, person_id=person_id, period_id=period_id, today=today,
                                        schedule=schedule)
    unit = _unit_name(session, ret)
    if ret.kind == ReturnKind.zero:
        by = session.get(Person, ret.filed_by_id)
        local = (ret.filed_at or now).astimezone(schedule.tz)
        return Filed(False, t.ALREADY_ZERO.format(unit=unit, when=f"{t.short_date(local)} {local:%H:%M}",
                                                  name=by.name if by else ""))
    if ret.kind == ReturnKind.items:
        return Filed(False, t.ALREADY_ITEMS.format(unit=unit, count=_items(session, ret.id)))
    ret.kind, ret.filed_by_id, ret.filed_at = ReturnKind.zero, person.id, now
    session.add(ret)
    audit.record(session, actor_id=person.id, action="paicha.zero", subject_type="paicha_return", subject_id=ret.id,
                 now=now, period_id=period.id)
    return Filed(True, t.ZERO_DONE.format(title=period.title, due=t.short_date(period.due_day), unit=unit))


@dataclass(frozen=True)
class ItemStart:
    period_id: int
    village_id: int
    grid_id: int | None
    note: str  # said before the report starts (e.g. a zero report already filed)


def start_item(session: Session, *, person_id: int, period_id: int, today: date, schedule: Schedule) -> ItemStart:
    """Checked before the report flow starts, and again when it is submitted (register_item)."""
    period, ret, person = _filer_return(session, person_id=person_id, period_id=period_id, today=today,
                                        schedule=schedule)
    note = t.ITEM_AFTER_ZERO.format(unit=_unit_name(session, ret)) if ret.kind == ReturnKind.zero else ""
    return ItemStart(period.id, person.village_id, person.grid_id, note)


def register_item(session: Session, *, actor_id: int, period_id: int, draft: CaseDraft, now: datetime, today: date,
                  schedule: Schedule, policy: intake.IntakePolicy | None = None) -> tuple[intake.Intake, str]:
    """The report, registered as /report does, and linked to the period's return (one unit of work):
    the return becomes 「报送事项」 (also after a 零报告: a later find is not lost)."""
    period, ret, person = _filer_return(session, person_id=actor_id, period_id=period_id, today=today,
                                        schedule=schedule)
    result = intake.register_report(session, actor_id=actor_id, draft=draft, now=now, policy=policy)
    if ret.kind != ReturnKind.items:
        ret.kind, ret.filed_by_id, ret.filed_at = ReturnKind.items, person.id, now
        session.add(ret)
    session.add(Item(case_id=result.case.id, return_id=ret.id))
    audit.record(session, actor_id=actor_id, action="paicha.item", subject_type="paicha_return", subject_id=ret.id,
                 now=now, period_id=period.id, case_id=result.case.id)
    return result, t.ITEM_LINKED.format(title=period.title, due=t.short_date(period.due_day),
                                        unit=_unit_name(session, ret))


# --- the center's view ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Missing:
    unit: str
    workers: list[str]


@dataclass(frozen=True)
class Status:
    period_id: int
    title: str
    start: date
    due: date
    filed: int
    total: int
    zero: int
    items_units: int
    items: int
    missing: list[Missing]


def _status(session: Session, period: PaichaPeriod) -> Status:
    rets = list(session.exec(select(PaichaReturn).where(PaichaReturn.period_id == period.id)
                             .order_by(col(PaichaReturn.village_id), col(PaichaReturn.id))))
    items = session.exec(select(func.count()).select_from(Item).join(PaichaReturn, PaichaReturn.id == Item.return_id)
                         .where(PaichaReturn.period_id == period.id)).one()
    missing = [Missing(_unit_name(session, r), [p.name for p in _grid_workers(session, r)])
               for r in rets if r.kind is None]
    return Status(period.id, period.title, period.start_day, period.due_day,
                  filed=sum(1 for r in rets if r.kind is not None), total=len(rets),
                  zero=sum(1 for r in rets if r.kind == ReturnKind.zero),
                  items_units=sum(1 for r in rets if r.kind == ReturnKind.items), items=items, missing=missing)


def _center(session: Session, person_id: int) -> Person:
    person = _person(session, person_id)
    if not _roles(session, person_id) & CENTER:
        raise NotAllowed(t.ONLY_CENTER)
    return person


def center_home(session: Session, *, person_id: int, today: date, cal: WorkCalendar, schedule: Schedule,
                now: datetime) -> tuple[list[Status], dict | None, bool]:
    """(the open periods' status, the 节日 / 敏感期 switch if on, whether the viewer is the director)."""
    _center(session, person_id)
    ensure_current(session, today=today, cal=cal, schedule=schedule, now=now)
    found = [_status(session, p) for p in _open_periods(session, today)]
    return found, sensitive(session), Role.director in _roles(session, person_id)


def status(session: Session, *, period_id: int, viewer_id: int) -> Status:
    _center(session, viewer_id)
    return _status(session, _period(session, period_id))


def status_buttons(st: Status) -> list[list[tuple[str, str]]]:
    rows = []
    if st.missing:
        rows.append([(t.BUTTON_CHASE.format(count=len(st.missing)), PaichaChase(st.period_id).pack())])
    rows.append([(t.BUTTON_REFRESH, PaichaStatus(st.period_id).pack())])
    return rows


def _remind(session: Session, period: PaichaPeriod, ret: PaichaReturn, *, text: str, key: str, now: datetime) -> int:
    sent = 0
    for person in _grid_workers(session, ret):
        if person.telegram_id is None:
            continue
        sent += outbox.enqueue(session, chat_id=person.telegram_id, person_id=person.id, text=text, now=now,
                               key=f"{key}:p{person.id}",
                               buttons=grid_buttons([GridRow(period.id, period.title, period.start_day, period.due_day,
                                                             "", True)]))
    return sent


def chase_missing(session: Session, *, period_id: int, actor_id: int, now: datetime) -> tuple[int, int, bool]:
    """催报: every grid worker of every missing village (grid), at most once a minute (a double press
    sends nothing more). (people chased, villages/grids missing, whether any of them has a grid worker
    on the bot: if none has, nobody can be chased through it and the center must phone)."""
    actor = _center(session, actor_id)
    period = _period(session, period_id)
    sent = 0
    missing = session.exec(select(PaichaReturn).where(PaichaReturn.period_id == period.id,
                                                      col(PaichaReturn.kind).is_(None))).all()
    reachable = any(p.telegram_id is not None for ret in missing for p in _grid_workers(session, ret))
    for ret in missing:
        ret.chased_at = now
        session.add(ret)
        text = t.chase(title=period.title, due=t.short_date(period.due_day), unit=_unit_name(session, ret),
                       by=actor.name)
        sent += _remind(session, period, ret, text=text, key=f"paicha{period.id}:chase:{now:%Y%m%d%H%M}", now=now)
    audit.record(session, actor_id=actor_id, action="paicha.chase", subject_type="paicha_period", subject_id=period.id,
                 now=now, sent=sent)
    return sent, len(missing), reachable


# --- 集中排查 and 节日 / 敏感期 -------------------------------------------------------------------------


def _director(session: Session, person_id: int) -> Person:
    person = _person(session, person_id)
    if Role.director not in _roles(session, person_id):
        raise NotAllowed(t.ONLY_DIRECTOR)
    return person


def campaign_due(cal: WorkCalendar, today: date, days: int) -> date:
    day, counted = today, 0
    while counted < days:
        day += timedelta(days=1)
        counted += cal.is_workday(day)[0]
    return day


def village_choices(session: Session) -> list[tuple[int, str]]:
    return [(v.id, v.name) for v in session.exec(select(Village).where(col(Village.active)).order_by(col(Village.id)))]


def count_units(session: Session, *, village_ids: list[int] | None, schedule: Schedule) -> int:
    return len(_units(session, schedule, village_ids))


def _announce(session: Session, period: PaichaPeriod, now: datetime) -> int:
    sent = 0
    for ret in session.exec(select(PaichaReturn).where(PaichaReturn.period_id == period.id)).all():
        text = t.opened(title=period.title, start=t.short_date(period.start_day), due=t.short_date(period.due_day),
                        unit=_unit_name(session, ret))
        sent += _remind(session, period, ret, text=text, key=f"paicha{period.id}:open", now=now)
    return sent


def open_campaign(session: Session, *, actor_id: int, days: int, village_ids: list[int] | None, today: date,
                  cal: WorkCalendar, schedule: Schedule, now: datetime) -> tuple[PaichaPeriod, int, int]:
    """集中排查 from today to `days` working days later, for all villages (None) or the chosen ones;
    the grid workers are told at once. (period, returns expected, people told)."""
    _director(session, actor_id)
    if days not in CAMPAIGN_DAYS:
        raise InvalidInput(t.STALE)
    if village_ids is not None:
        known = {v for v, _ in village_choices(session)}
        if not village_ids or not set(village_ids) <= known:
            raise InvalidInput(t.NO_SCOPE if not village_ids else t.STALE)
    units = _units(session, schedule, village_ids)
    if not units:
        raise InvalidInput(t.NO_SCOPE)
    period = _open(session, kind=PaichaKind.campaign, key=None, title=t.CAMPAIGN_TITLE, start=today,
                   due=campaign_due(cal, today, days), units=units, now=now, opened_by=actor_id)
    sent = _announce(session, period, now)
    audit.record(session, actor_id=actor_id, action="paicha.campaign", subject_type="paicha_period",
                 subject_id=period.id, now=now, due=period.due_day.isoformat(), villages=village_ids or "all")
    return period, len(units), sent


def sensitive(session: Session) -> dict | None:
    """{"label": "holiday" | "sensitive", "since": "2026-12-04", "by": person id}, or None when off."""
    row = session.get(Setting, SENSITIVE_KEY)
    if row is None or not row.value:
        return None
    try:
        value = json.loads(row.value)
    except ValueError:
        return None
    return value if isinstance(value, dict) and value.get("label") in t.SENSITIVE_LABELS else None


def switch_sensitive(session: Session, *, actor_id: int, label: str | None, today: date, cal: WorkCalendar,
                     schedule: Schedule, now: datetime) -> tuple[bool, int]:
    """Switch daily returns on (label "holiday" / "sensitive") or off (None): (changed, people told)."""
    _director(session, actor_id)
    current = sensitive(session)
    if label is None:
        if current is None:
            return False, 0
        session.delete(session.get(Setting, SENSITIVE_KEY))
        audit.record(session, actor_id=actor_id, action="paicha.sensitive_off", subject_type="setting", subject_id=None,
                     now=now)
        # 信息报告制度 二.6: the period's 形势分析, drafted with its figures, asked of the director
        since = date.fromisoformat(current["since"]) if isinstance(current.get("since"), str) else today
        return True, situation.after_sensitive(session, actor_id=actor_id, label=current["label"],
                                               start=min(since, today), end=today, now=now, tz=cal.tz)
    if label not in t.SENSITIVE_LABELS:
        raise InvalidInput(t.STALE)
    if current is not None:
        return False, 0
    session.merge(Setting(key=SENSITIVE_KEY, value=json.dumps({"label": label, "since": today.isoformat(),
                                                               "by": actor_id})))
    session.flush()
    periods = ensure_current(session, today=today, cal=cal, schedule=schedule, now=now)
    audit.record(session, actor_id=actor_id, action="paicha.sensitive_on", subject_type="setting", subject_id=None,
                 now=now, label=label)
    return True, _announce(session, periods[-1], now)


# --- the sweep --------------------------------------------------------------------------------------


def sweep(session: Session, *, now: datetime, policy: DeadlinePolicy, schedule: Schedule) -> int:
    """Open the current period; remind the missing on the working day before the due day and on the
    due day (daily periods: on the day only), and after it tell the contact-point people; each step
    once per period, from REMIND_AT local time. A step whose day has passed is marked, not sent."""
    cal = policy.calendar(session)
    local = now.astimezone(policy.tz)
    today = local.date()
    ensure_current(session, today=today, cal=cal, schedule=schedule, now=now)
    if local.time() < REMIND_AT:
        return 0
    sent = 0
    periods = session.exec(select(PaichaPeriod).where(PaichaPeriod.due_day >= today - timedelta(days=SWEEP_DAYS),
                                                      PaichaPeriod.start_day <= today,
                                                      col(PaichaPeriod.leaders_told_at).is_(None)))
    for period in list(periods):
        due = period.due_day
        daily = period.kind == PaichaKind.daily
        if period.reminded_before_at is None and (daily or today >= previous_workday(cal, due)):
            period.reminded_before_at = now
            if not daily and today < due:
                sent += _sweep_missing(session, period, "before", now, t.remind_before)
        if period.reminded_due_at is None and today >= due:
            period.reminded_due_at = now
            if today == due:
                sent += _sweep_missing(session, period, "due", now, t.remind_due)
        tell_on = due + timedelta(days=1) if daily else next_workday(cal, due + timedelta(days=1))
        if today >= tell_on:
            period.leaders_told_at = now
            sent += _tell_leaders(session, period, now)
        session.add(period)
    return sent


def _sweep_missing(session: Session, period: PaichaPeriod, step: str, now: datetime, words) -> int:
    sent = 0
    for ret in session.exec(select(PaichaReturn).where(PaichaReturn.period_id == period.id,
                                                       col(PaichaReturn.kind).is_(None))).all():
        text = words(title=period.title, due=t.short_date(period.due_day), unit=_unit_name(session, ret))
        sent += _remind(session, period, ret, text=text, key=f"paicha{period.id}:{step}", now=now)
    return sent


def _tell_leaders(session: Session, period: PaichaPeriod, now: datetime) -> int:
    by_person: dict[int, list[str]] = {}
    for ret in session.exec(select(PaichaReturn).where(PaichaReturn.period_id == period.id,
                                                       col(PaichaReturn.kind).is_(None))
                            .order_by(col(PaichaReturn.village_id), col(PaichaReturn.id))).all():
        for person_id in session.exec(select(ContactPoint.person_id).where(ContactPoint.village_id == ret.village_id)):
            by_person.setdefault(person_id, []).append(_unit_name(session, ret))
    sent = 0
    for person_id, units in by_person.items():
        person = session.get(Person, person_id)
        if person is None or not person.active or person.telegram_id is None:
            continue
        sent += outbox.enqueue(session, chat_id=person.telegram_id, person_id=person.id, now=now,
                               key=f"paicha{period.id}:leader:p{person.id}",
                               text=t.leader_told(title=period.title, due=t.short_date(period.due_day), units=units),
                               buttons=[[(t.BUTTON_STATUS.format(title=period.title, due=t.short_date(period.due_day)),
                                          PaichaStatus(period.id).pack())]])
    return sent


# --- for the assessment (issue 17), the ledger and the figures -------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    period: str
    kind: str
    span: str
    due: str
    village: str
    grid: str
    state: str
    by: str
    when: str
    on_time: str
    case_ids: tuple[int, ...]  # the cases found (the ledger lists the numbers the viewer may see)


def ledger_rows(session: Session, *, start: date, end: date, tz, village_id: int | None = None) -> list[LedgerRow]:
    """The 排查台账: one row per expected return of the periods due in start … end."""
    stmt = (select(PaichaReturn, PaichaPeriod).join(PaichaPeriod, PaichaPeriod.id == PaichaReturn.period_id)
            .where(PaichaPeriod.due_day >= start, PaichaPeriod.due_day <= end)
            .order_by(col(PaichaPeriod.due_day), col(PaichaPeriod.id), col(PaichaReturn.village_id),
                      col(PaichaReturn.id)))
    if village_id is not None:
        stmt = stmt.where(PaichaReturn.village_id == village_id)
    rows = []
    for ret, period in session.exec(stmt).all():
        village = session.get(Village, ret.village_id)
        grid = session.get(Grid, ret.grid_id) if ret.grid_id else None
        by = session.get(Person, ret.filed_by_id) if ret.filed_by_id else None
        found = tuple(session.exec(select(Item.case_id).where(Item.return_id == ret.id)
                                   .order_by(col(Item.case_id))).all()) if ret.kind == ReturnKind.items else ()
        local = ret.filed_at.astimezone(tz) if ret.filed_at else None
        rows.append(LedgerRow(
            period=f"{period.title}（{t.short_date(period.due_day)}）", kind=t.KIND_TITLES[PaichaKind(period.kind)],
            span=f"{t.short_date(period.start_day)}—{t.short_date(period.due_day)}", due=t.cn_date(period.due_day),
            village=village.name if village else "", grid=grid.name if grid else "",
            state=t.RETURN_LABELS[ReturnKind(ret.kind)] if ret.kind else t.NOT_FILED, by=by.name if by else "",
            when=f"{t.cn_date(local)} {local:%H:%M}" if local else "",
            on_time=(t.ON_TIME if local.date() <= period.due_day else t.LATE) if local else "",
            case_ids=found))
    return rows
