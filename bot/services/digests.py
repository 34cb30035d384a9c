"""Digests the scheduler pushes: the 08:30 晨报 on every working day and the 周报 on the week's first
working day, to the director and the leaders, through the outbox (the monthly pack of statistics and
ledgers on the 1st: bot/services/month_pack.py, with the same once-a-day claim and switch).

Restart-safe and idempotent (DESIGN.md rule 3): a digest kind goes out once per day — a `DigestRun`
row marks the day done in the same transaction as the outbox rows, and each person's row has its own
key. A bot that was down at 08:30 catches up when it comes back the same working day (until the end
of its working hours), never for a day already past.

Content is data (`DailyDigest`, `WeeklyBrief`) and the wording is bot/texts/digests.py, so the weekly
meeting can reuse the brief. Lists obey the card's visibility (a leader does not see a confidential
case they are not assigned to: it is counted, not named); aggregates count everything.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from bot.callbacks import CaseView, DigestOff, NoticeOpen
from bot.services import outbox, people, supervision, work_plans
from bot.services.case_access import can_view, summary_line, village_name
from bot.services.cases import OPEN
from bot.services.deadlines import RUNNING, DeadlinePolicy, Signal, signal
from bot.services.errors import NotAllowed
from bot.services.recipients import Recipients, with_role
from bot.services.workdays import WorkCalendar, time_left
from bot.texts import digests as words
from models import (
    Case,
    CaseStatus,
    DigestKind,
    DigestOptOut,
    DigestRun,
    NoticeLevel,
    Role,
    SupervisionNotice,
    UrgentAlert,
)

SEND_AT = time(8, 30)
# Who receives which digest by default (each can switch it off). The monthly pack goes to the director.
AUDIENCE: dict[DigestKind, frozenset[Role]] = {
    DigestKind.daily: frozenset({Role.director, Role.leader}),
    DigestKind.weekly: frozenset({Role.director, Role.leader}),
    DigestKind.monthly: frozenset({Role.director}),
}
SHOWN = 5  # items named per section; the rest are counted
CLOSED = (CaseStatus.resolved, CaseStatus.replied, CaseStatus.archived)
IN_HAND = tuple(s for s in OPEN if s not in CLOSED)  # 在办: not yet 办结


# --- when ----------------------------------------------------------------------------------------


def first_working_day_of_week(cal: WorkCalendar, day: date) -> date | None:
    monday = day - timedelta(days=day.weekday())
    for offset in range(7):
        candidate = monday + timedelta(days=offset)
        if cal.is_workday(candidate)[0]:
            return candidate
    return None


def due_kinds(cal: WorkCalendar, now: datetime) -> list[DigestKind]:
    """The digest kinds due at `now`: from 08:30 of a working day to the end of its working hours (a
    bot down at 08:30 catches up later that day; a day gone by is not sent at 3 a.m.)."""
    local = cal.local(now)
    day = local.date()
    if not cal.is_workday(day)[0] or not SEND_AT <= local.time() < cal.hours[-1][1]:
        return []
    kinds = [DigestKind.daily]
    if first_working_day_of_week(cal, day) == day:
        kinds.append(DigestKind.weekly)
    return kinds


# --- what: the daily digest ----------------------------------------------------------------------


@dataclass(frozen=True)
class CaseItem:
    id: int
    number: str
    village: str
    summary: str
    note: str = ""  # 「已超期 1 个工作日」, 「第 2 级」 …


@dataclass(frozen=True)
class NoticeItem:
    id: int
    number: str
    case_number: str
    unit: str
    due: date
    level: NoticeLevel


@dataclass(frozen=True)
class Section:
    items: tuple = ()  # CaseItem / NoticeItem the reader may see, all of them
    hidden: int = 0  # confidential cases (or notices) the reader may not see: counted only

    @property
    def total(self) -> int:
        return len(self.items) + self.hidden


@dataclass(frozen=True)
class DailyDigest:
    day: date
    since: datetime  # the window of 「新增」: the previous working day's 08:30 …
    until: datetime  # … to this day's 08:30
    new: Section = Section()
    overdue: Section = Section()  # 🔴 red lights: running cases past their deadline
    yellow: Section = Section()  # 🟡 most of the time used
    alerts: Section = Section()  # 🚨 urgent alerts nobody has acknowledged
    notices: Section = Section()  # 📌 open 督办 due by the end of this week


@dataclass
class _Pool:
    """Everything a day's digest may show, loaded once; each reader gets their visible part."""

    new: list = field(default_factory=list)  # (Case, CaseItem)
    overdue: list = field(default_factory=list)
    yellow: list = field(default_factory=list)
    alerts: list = field(default_factory=list)
    notices: list = field(default_factory=list)  # (SupervisionNotice, NoticeItem)


def _case_item(session: Session, case: Case, note: str = "") -> CaseItem:
    return CaseItem(id=case.id, number=case.number, village=village_name(session, case).split(" ")[0],
                    summary=summary_line(case, 24), note=note)


def _pool(session: Session, *, day: date, since: datetime, until: datetime, now: datetime,
          cal: WorkCalendar) -> _Pool:
    pool = _Pool()
    for case in session.exec(select(Case).where(col(Case.created_at) >= since, col(Case.created_at) < until)
                             .order_by(col(Case.id))):
        pool.new.append((case, _case_item(session, case)))
    running = select(Case).where(col(Case.status).in_(RUNNING), col(Case.paused_at).is_(None),
                                 col(Case.due_at).is_not(None))
    for case in session.exec(running.where(col(Case.due_at) <= now).order_by(col(Case.due_at))):
        pool.overdue.append((case, _case_item(session, case, time_left(case.due_at, now, cal=cal).words)))
    for case in session.exec(running.where(col(Case.due_at) > now, col(Case.yellow_at).is_not(None),
                                           col(Case.yellow_at) <= now).order_by(col(Case.due_at))):
        pool.yellow.append((case, _case_item(session, case, time_left(case.due_at, now, cal=cal).words)))
    for alert, case in session.exec(select(UrgentAlert, Case).join(Case, col(Case.id) == UrgentAlert.case_id)
                                    .where(col(UrgentAlert.acked_at).is_(None)).order_by(col(UrgentAlert.id))):
        pool.alerts.append((case, _case_item(session, case, words.alert_age(now - alert.created_at))))
    week_end = cal.at(day - timedelta(days=day.weekday()) + timedelta(days=7), time(0))
    for notice in session.exec(select(SupervisionNotice).where(col(SupervisionNotice.status).in_(supervision.OPEN),
                                                               col(SupervisionNotice.due_at) < week_end)
                               .order_by(col(SupervisionNotice.due_at))):
        case = session.get(Case, notice.case_id)
        pool.notices.append((notice, NoticeItem(
            id=notice.id, number=notice.number, case_number=case.number if case else "",
            unit=supervision.addressee_name(session, notice),
            due=cal.local(notice.due_at).date(), level=NoticeLevel(notice.level))))
    return pool


def _section(pairs: list, visible: Callable) -> Section:
    shown = tuple(item for row, item in pairs if visible(row))
    return Section(items=shown, hidden=len(pairs) - len(shown))


def _daily_for(pool: _Pool, viewer: people.PersonView, *, day: date, since: datetime, until: datetime) -> DailyDigest:
    def sees(case: Case) -> bool:
        return can_view(viewer, case)

    return DailyDigest(
        day=day, since=since, until=until, new=_section(pool.new, sees), overdue=_section(pool.overdue, sees),
        yellow=_section(pool.yellow, sees), alerts=_section(pool.alerts, sees),
        notices=_section(pool.notices, lambda n: supervision.may_see(viewer, n)),
    )


def daily_window(cal: WorkCalendar, day: date) -> tuple[datetime, datetime]:
    return cal.at(cal.working_day_before(day), SEND_AT), cal.at(day, SEND_AT)


def daily_digest(session: Session, *, viewer_id: int, day: date, now: datetime,
                 policy: DeadlinePolicy | None = None) -> DailyDigest:
    """One person's 晨报 for `day` (what the sweep sends; also for a preview or a test)."""
    cal = (policy or DeadlinePolicy()).calendar(session)
    since, until = daily_window(cal, day)
    pool = _pool(session, day=day, since=since, until=until, now=now, cal=cal)
    return _daily_for(pool, people.get(session, person_id=viewer_id), day=day, since=since, until=until)


def daily_buttons(digest: DailyDigest) -> list[list[tuple[str, str]]]:
    """A button per named case (its card) and per named 督办 (its card), then 「不再接收」."""
    found: list[tuple[str, str]] = []
    seen: set[int] = set()
    for mark, section in (("🔴", digest.overdue), ("🚨", digest.alerts), ("🆕", digest.new), ("🟡", digest.yellow)):
        for item in section.items[:SHOWN]:
            if item.id not in seen:
                seen.add(item.id)
                found.append((f"{mark}{item.number}", CaseView(item.id).pack()))
    found += [(f"📌{n.number}", NoticeOpen(n.id).pack()) for n in digest.notices.items[:SHOWN]]
    rows = [found[i:i + 3] for i in range(0, len(found), 3)]
    rows.append([(words.OFF_BUTTON[DigestKind.daily], DigestOff(DigestKind.daily).pack())])
    return rows


# --- what: the weekly brief ----------------------------------------------------------------------


@dataclass(frozen=True)
class WeeklyBrief:
    """Last week (Monday to Sunday) in figures: the weekly meeting's opening page."""

    start: date  # last week's Monday
    end: date  # last week's Sunday
    new: int
    closed: int  # 办结 during the week
    closed_on_time: int
    overdue_now: int  # running cases past their deadline this morning
    open_cases: int
    baoan_open: int  # open cases with a 包案领导
    notices_open: int  # 督办 not yet finished
    notices_red: int  # of which 红牌
    notices_overdue: int
    lights: dict[str, int]  # 🟢 🟡 🔴 ⚪ over the running cases
    plan_due: int = 0  # 综治工作计划 tasks due this week, unfinished
    plan_overdue: int = 0  # and those past their date


def weekly_brief(session: Session, *, day: date, now: datetime, policy: DeadlinePolicy | None = None) -> WeeklyBrief:
    cal = (policy or DeadlinePolicy()).calendar(session)
    monday = day - timedelta(days=day.weekday())
    start, end = monday - timedelta(days=7), monday - timedelta(days=1)
    lo, hi = cal.at(start, time(0)), cal.at(monday, time(0))

    def count(*where) -> int:
        return session.exec(select(func.count()).select_from(Case).where(*where)).one()

    closed_cases = list(session.exec(select(Case.due_at, Case.resolved_at).where(
        col(Case.resolved_at) >= lo, col(Case.resolved_at) < hi, col(Case.status).in_(CLOSED))))
    lights = dict.fromkeys((s.value for s in Signal), 0)
    for row in session.exec(select(Case.status, Case.due_at, Case.yellow_at, Case.paused_at).where(
            col(Case.status).in_(RUNNING), col(Case.due_at).is_not(None))):
        lights[signal(*row, now).value] += 1
    open_notice = col(SupervisionNotice.status).in_(supervision.OPEN)

    def notices(*where) -> int:
        return session.exec(select(func.count()).select_from(SupervisionNotice).where(open_notice, *where)).one()

    plan_due, plan_overdue = work_plans.week_figures(session, monday=monday, today=day)
    return WeeklyBrief(
        start=start, end=end, plan_due=plan_due, plan_overdue=plan_overdue,
        new=count(col(Case.created_at) >= lo, col(Case.created_at) < hi),
        closed=len(closed_cases),
        closed_on_time=sum(1 for due, done in closed_cases if due is None or done <= due),
        overdue_now=lights["🔴"],
        open_cases=count(col(Case.status).in_(IN_HAND)),
        baoan_open=count(col(Case.status).in_(IN_HAND), col(Case.leader_id).is_not(None)),
        notices_open=notices(),
        notices_red=notices(SupervisionNotice.level == NoticeLevel.red),
        notices_overdue=notices(col(SupervisionNotice.due_at) <= now),
        lights=lights,
    )


# --- who, and the switches -----------------------------------------------------------------------


def kinds_for(roles: Iterable[Role]) -> list[DigestKind]:
    """The digest kinds a person with `roles` receives (and may switch off)."""
    roles = set(roles)
    return [kind for kind, audience in AUDIENCE.items() if audience & roles]


def switched_off(session: Session, *, person_id: int) -> set[DigestKind]:
    return {DigestKind(k) for k in session.exec(select(DigestOptOut.kind).where(DigestOptOut.person_id == person_id))}


@dataclass(frozen=True)
class Switch:
    kind: DigestKind
    on: bool


def settings(session: Session, *, person_id: int) -> list[Switch]:
    """The person's digests and whether each is on (/settings)."""
    view = people.get(session, person_id=person_id)
    off = switched_off(session, person_id=person_id)
    return [Switch(kind, kind not in off) for kind in kinds_for(view.roles)]


def switch(session: Session, *, person_id: int, kind: DigestKind, on: bool, now: datetime) -> list[Switch]:
    """Switch one digest kind on or off for this person; idempotent (a second press changes nothing)."""
    view = people.get(session, person_id=person_id)
    if kind not in kinds_for(view.roles):  # a forged button, or roles changed since it was sent
        raise NotAllowed(words.NOT_YOURS)
    row = session.get(DigestOptOut, (person_id, kind))
    if on and row is not None:
        session.delete(row)
    elif not on and row is None:
        session.add(DigestOptOut(person_id=person_id, kind=kind, at=now))
    session.flush()
    return settings(session, person_id=person_id)


def audience(session: Session, kind: DigestKind) -> list:
    """Active people of the kind's roles who can be reached and have not switched it off."""
    found = Recipients()
    for role in sorted(AUDIENCE[kind]):
        found.add(with_role(session, role))
    off = set(session.exec(select(DigestOptOut.person_id).where(DigestOptOut.kind == kind)))
    return [p for p in found.ids.values() if p.id not in off]


# --- the sweep -----------------------------------------------------------------------------------


def claim(session: Session, kind: DigestKind, day: date, now: datetime) -> DigestRun | None:
    """Mark (kind, day) as done, or None if it already is (a second run, or another process)."""
    if session.get(DigestRun, (kind, day)) is not None:
        return None
    run = DigestRun(kind=kind, day=day, at=now)
    try:
        with session.begin_nested():
            session.add(run)
    except IntegrityError:
        return None
    return run


def mark_sent(session: Session, *, day: date, now: datetime) -> None:
    """Count `day`'s digests as gone out (the training sandbox starts after 08:30 on quiet chats,
    like every notification of the demo's history)."""
    for kind in DigestKind:
        claim(session, kind, day, now)


def outbox_key(kind: DigestKind, day: date, person_id: int) -> str:
    return f"digest:{kind.value}:{day.isoformat()}:p{person_id}"


def sweep(session: Session, *, now: datetime, policy: DeadlinePolicy) -> int:
    """Queue the digests due now, once per day; returns how many messages were queued (the month
    pack on the 1st: bot/services/month_pack.py)."""
    cal = policy.calendar(session)
    day = cal.local(now).date()
    queued = 0
    for kind in due_kinds(cal, now):
        run = claim(session, kind, day, now)
        if run is None:
            continue
        readers = audience(session, kind)
        if kind == DigestKind.daily:
            since, until = daily_window(cal, day)
            pool = _pool(session, day=day, since=since, until=until, now=now, cal=cal)
            for person in readers:
                digest = _daily_for(pool, people.view(session, person), day=day, since=since, until=until)
                queued += outbox.enqueue(session, chat_id=person.telegram_id, person_id=person.id,
                                         text=words.daily(digest), buttons=daily_buttons(digest),
                                         key=outbox_key(kind, day, person.id), now=now)
        else:
            brief = weekly_brief(session, day=day, now=now, policy=policy)
            buttons = [[(words.OFF_BUTTON[kind], DigestOff(kind).pack())]]
            for person in readers:
                queued += outbox.enqueue(session, chat_id=person.telegram_id, person_id=person.id,
                                         text=words.weekly(brief), buttons=buttons, key=outbox_key(kind, day, person.id),
                                         now=now)
        run.recipients = len(readers)
        session.add(run)
    return queued
