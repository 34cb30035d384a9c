"""社会治安重点整治区域 (综治中心工作联系点制度 二.6: "工作联系点被列为社会治安重点整治区域的，要积极
召集责任人，指导制定整治方案和开展整治工作，并加强督促检查，取得实效"; 综治中心职责 3).

The director or a center leader lists a village (its 突出问题 and a 整治期限 in working days; a typed
date on a holiday or weekend is refused, the nearest fitting working day offered instead); the
village's contact-point leaders and its head are told. A contact-point leader of the village (or the
director) records the 整治方案 and its 责任人, and each 督促检查. The director closes it (摘帽, with
the 成效) or extends the deadline once. The sweep, driven by the few open listings only, chases a
missing 方案 after PLAN_DAYS working days (contact-point leaders and the director, once), a gap of
CHECK_GAP_DAYS working days without a check (the contact-point leaders, once per gap), and tells the
director once when the deadline has passed; in working hours only, like the other chases.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.callbacks import FocusCheckStart, FocusClose, FocusExtend, FocusOpen, FocusPlan
from bot.services import audit, supervision
from bot.services.access import CENTER, DECIDERS
from bot.services.assessment.teams import village_heads
from bot.services.case_access import person_name
from bot.services.deadlines import DeadlinePolicy, Signal, end_of_day
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.services.people import PersonView, get
from bot.services.recipients import contact_leaders, tell, with_role
from bot.services.typed import between
from bot.services.workdays import WorkCalendar, time_left
from bot.texts import focus_areas as t
from bot.texts.notify import focus_areas as notify
from models import Case, ContactPoint, FocusArea, FocusCheck, FocusStatus, Person, PersonRole, Role, Village

PLAN_DAYS = 5  # working days from listing to the 整治方案
CHECK_GAP_DAYS = 10  # working days without a 督促检查 before the contact-point leaders are chased
DUE_STEPS = (20, 40, 60)  # working days offered for the 整治期限 (about one, two, three months)
HINT_DAYS = 90  # the village buttons show how many cases were registered there in this many days
MAX_PROBLEM, MAX_PLAN, MAX_CHECK, MAX_RESULT, MAX_REASON = 300, 1000, 500, 500, 300
PLAN, CHECK, CLOSE, EXTEND = "plan", "check", "close", "extend"
WHAT = {PLAN: t.WHAT_PLAN, CHECK: t.WHAT_CHECK, CLOSE: t.WHAT_CLOSE, EXTEND: t.WHAT_EXTEND}



def clean_problem(text: str | None) -> str:
    return between(text, 2, MAX_PROBLEM, t.BAD_PROBLEM)


def clean_plan(text: str | None) -> str:
    return between(text, 2, MAX_PLAN, t.BAD_PLAN)


def clean_check(text: str | None) -> str:
    return between(text, 2, MAX_CHECK, t.BAD_CHECK)


def clean_result(text: str | None) -> str:
    return between(text, 2, MAX_RESULT, t.BAD_RESULT)


def clean_reason(text: str | None) -> str:
    return between(text, 2, MAX_REASON, t.BAD_REASON)


# --- who may do what ------------------------------------------------------------------------------


def heads_village(viewer: PersonView) -> int | None:
    """The village a 村（社区）负责人 heads: a unit contact registered to a village with no unit."""
    if viewer.has(Role.unit) and viewer.unit_id is None and viewer.village_id is not None:
        return viewer.village_id
    return None


def may_view(viewer: PersonView) -> bool:
    """The center sees every listing; a village head sees their own village's (also /focus's menu)."""
    return viewer.active and (viewer.has(*CENTER) or heads_village(viewer) is not None)


def _viewer(session: Session, actor_id: int) -> PersonView:
    viewer = get(session, person_id=actor_id)
    if not may_view(viewer):
        raise NotAllowed(t.NOT_ALLOWED)
    return viewer


def sees_village(viewer: PersonView, village_id: int) -> bool:
    """The center sees every village's listings; a village head their own village's."""
    return viewer.active and (viewer.has(*CENTER) or heads_village(viewer) == village_id)


def _sees(viewer: PersonView, area: FocusArea) -> bool:
    return sees_village(viewer, area.village_id)


def _lister(session: Session, actor_id: int) -> PersonView:
    viewer = get(session, person_id=actor_id)
    if not viewer.active or not viewer.has(*DECIDERS):
        raise NotAllowed(t.NOT_LISTER)
    return viewer


def _load(session: Session, area_id: int, *, lock: bool = False) -> FocusArea:
    stmt = select(FocusArea).where(FocusArea.id == area_id)
    found = session.exec(stmt.with_for_update() if lock else stmt).first()
    if found is None:
        raise NotFound(t.NOT_FOUND)
    return found


def _village_name(session: Session, village_id: int) -> str:
    village = session.get(Village, village_id)
    return village.name if village else ""


def actions_for(viewer: PersonView, area: FocusArea) -> tuple[str, ...]:
    """What this viewer may do on the area now: the contact-point leaders of its village (and the
    director) guide it — 方案 and 检查; only the director closes or extends it."""
    if area.status != FocusStatus.open or not viewer.active:
        return ()
    found = []
    guide = viewer.has(Role.director) or (viewer.has(*CENTER) and area.village_id in viewer.contact_village_ids)
    if guide:
        found += [PLAN, CHECK]
    if viewer.has(Role.director):
        found += [CLOSE] + ([EXTEND] if area.extended_at is None else [])
    return tuple(found)


def _allowed(session: Session, actor_id: int, area_id: int, action: str, *, lock: bool = False) -> tuple[PersonView, FocusArea]:
    """The one check behind every button and every save: the actor, the area's state, the action."""
    viewer = _viewer(session, actor_id)
    area = _load(session, area_id, lock=lock)
    if not _sees(viewer, area):
        raise NotAllowed(t.NOT_ALLOWED)
    if area.status != FocusStatus.open:
        raise InvalidInput(t.NOT_OPEN.format(village=_village_name(session, area.village_id)))
    if action not in actions_for(viewer, area):
        if action == EXTEND and area.extended_at is not None and viewer.has(Role.director):
            raise InvalidInput(t.ALREADY_EXTENDED)
        rule = t.NOT_DIRECTOR if action in (CLOSE, EXTEND) else t.NOT_CONTACT
        raise NotAllowed(rule.format(what=WHAT[action]))
    return viewer, area


@dataclass(frozen=True)
class Started:
    area_id: int
    village: str
    due: str  # 2026年12月4日, the current 整治期限


def check_action(session: Session, *, actor_id: int, area_id: int, action: str, tz) -> Started:
    """Refused before anything is typed (a stale or forged button, another village's leader)."""
    _, area = _allowed(session, actor_id, area_id, action)
    return Started(area.id, _village_name(session, area.village_id), t.cn_date(area.due_at.astimezone(tz).date()))


# --- listing ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VillageChoice:
    village_id: int
    name: str
    cases: int  # registered there in the last HINT_DAYS days: a hint, as 排查 finds where trouble is


def village_choices(session: Session, *, actor_id: int, now: datetime) -> list[VillageChoice]:
    """The villages that may be listed (active, no open listing), for the director or a leader."""
    _lister(session, actor_id)
    listed = select(FocusArea.village_id).where(FocusArea.status == FocusStatus.open)
    counts = dict(session.exec(select(Case.village_id, func.count()).where(Case.created_at >= now - timedelta(days=HINT_DAYS))
                               .group_by(Case.village_id)).all())
    villages = session.exec(select(Village).where(col(Village.active), col(Village.id).not_in(listed))
                            .order_by(col(Village.id)))
    return [VillageChoice(v.id, v.name, counts.get(v.id, 0)) for v in villages]


def _free_village(session: Session, village_id: int, tz) -> Village:
    village = session.get(Village, village_id)
    if village is None or not village.active:
        raise NotFound(t.NO_VILLAGE)
    found = session.exec(select(FocusArea).where(FocusArea.village_id == village_id,
                                                 FocusArea.status == FocusStatus.open)).first()
    if found is not None:
        raise InvalidInput(t.ALREADY_LISTED.format(village=village.name,
                                                   when=t.cn_date(found.listed_at.astimezone(tz).date())))
    return village


def check_village(session: Session, *, actor_id: int, village_id: int, tz) -> str:
    """Before the problem is typed: a lister, and the village not listed already."""
    _lister(session, actor_id)
    return _free_village(session, village_id, tz).name


def due_choices(session: Session, *, now: datetime, policy: DeadlinePolicy) -> list[tuple[int, date]]:
    """+N working days from today, as buttons, counted as a 督办 notice's are."""
    return supervision.due_choices(session, now=now, policy=policy, steps=DUE_STEPS)


class NotWorkingDay(InvalidInput):
    """A 整治期限 typed on a holiday or a weekend: refused, with the working day offered instead."""

    def __init__(self, day: date, suggestion: date):
        super().__init__(t.DUE_NOT_WORKDAY.format(day=t.cn_date(day), suggestion=t.cn_date(suggestion)))
        self.suggestion = suggestion


def _due(due_date: date, *, now: datetime, policy: DeadlinePolicy) -> datetime:
    if due_date <= now.astimezone(policy.tz).date():
        raise InvalidInput(t.DUE_PASSED)
    return end_of_day(due_date, policy)


def _working(session: Session, due_date: date, *, policy: DeadlinePolicy, after: date) -> None:
    """The 整治期限 is a working day (it ends at the end of working hours): a holiday or weekend is
    refused, offering the last working day before it, or the first after it when that one is not
    later than `after` (today, or the deadline being extended)."""
    cal = policy.calendar(session)
    if cal.is_workday(due_date)[0]:
        return
    before = cal.working_day_before(due_date)
    raise NotWorkingDay(due_date, before if before > after else cal.working_day_after(due_date))


def _view_button(area_id: int):
    return [[(t.BUTTON_VIEW, FocusOpen(area_id).pack())]]


def _village_people(session: Session, village_id: int) -> list:
    """The contact-point leaders and the village head(s): who is told of what happens to it."""
    return [*contact_leaders(session, village_id), *village_heads(session, village_id)]


@dataclass(frozen=True)
class Listed:
    area_id: int
    village: str
    due: str
    told: int


def list_village(session: Session, *, actor_id: int, village_id: int, problem: str, due_date: date,
                 now: datetime, policy: DeadlinePolicy) -> Listed:
    """列入重点整治区域: one open listing per village (checked here; the partial unique index
    stops two leaders pressing at once)."""
    actor = _lister(session, actor_id)
    village = _free_village(session, village_id, policy.tz)
    due = _due(due_date, now=now, policy=policy)
    _working(session, due_date, policy=policy, after=now.astimezone(policy.tz).date())
    area = FocusArea(village_id=village.id, problem=clean_problem(problem), listed_by_id=actor.id, listed_at=now,
                     due_at=due)
    try:
        with session.begin_nested():  # another leader listed it a moment ago: told, not an error
            session.add(area)
            session.flush()
    except IntegrityError:
        raise InvalidInput(t.ALREADY_LISTED_NOW.format(village=village.name)) from None
    audit.record(session, actor_id=actor.id, action="focus.list", subject_type="focus_area", subject_id=area.id,
                 now=now, village_id=village.id)
    due = t.cn_date(due_date)
    text = notify.listed(village=village.name, lister=actor.name, problem=area.problem, due=due)
    told = tell(session, _village_people(session, village.id), text, _view_button(area.id),
                key=f"focus{area.id}:listed", now=now, exclude=actor.id)
    return Listed(area.id, village.name, due, told)


# --- the card and the list --------------------------------------------------------------------------


def _light(area: FocusArea, now: datetime, cal: WorkCalendar, ratio: float) -> tuple[str, str]:
    """(🟢/🟡/🔴, 「剩 3 个工作日」) like a case's deadline: yellow at `ratio` of the working time."""
    if area.status != FocusStatus.open:
        return "", ""
    left = time_left(area.due_at, now, cal=cal)
    if now >= area.due_at:
        return Signal.red.value, left.words
    total = cal.working_seconds(area.listed_at, area.due_at)
    used = cal.working_seconds(area.listed_at, now)
    return (Signal.yellow if total and used >= total * ratio else Signal.green).value, left.words


def _checks(session: Session, area_id: int) -> list[FocusCheck]:
    return list(session.exec(select(FocusCheck).where(FocusCheck.area_id == area_id)
                             .order_by(col(FocusCheck.at), col(FocusCheck.id))))


def _status(area: FocusArea, now: datetime) -> str:
    if area.status == FocusStatus.open and now >= area.due_at:
        return t.OVERDUE_LABEL
    return t.STATUS_LABELS[FocusStatus(area.status)]


def card_text(session: Session, area: FocusArea, *, now: datetime, policy: DeadlinePolicy,
              cal: WorkCalendar | None = None) -> str:
    tz = policy.tz
    cal = cal or policy.calendar(session)
    light, words = _light(area, now, cal, policy.yellow_ratio)
    checks = [(f"{t.cn_date(c.at.astimezone(tz).date())}", person_name(session, c.by_id), c.text)
              for c in _checks(session, area.id)]
    return notify.card(
        village=_village_name(session, area.village_id), problem=area.problem,
        listed=t.cn_date(area.listed_at.astimezone(tz).date()), lister=person_name(session, area.listed_by_id),
        due=t.cn_date(area.due_at.astimezone(tz).date()), light=light, light_words=words,
        extension=area.extension_reason, leaders="、".join(p.name for p in contact_leaders(session, area.village_id)),
        plan=area.plan, responsible=person_name(session, area.responsible_id), checks=checks,
        status=_status(area, now), result=area.result, closer=person_name(session, area.closed_by_id),
        closed=t.cn_date(area.closed_at.astimezone(tz).date()) if area.closed_at else "")


_BUTTONS = {PLAN: (t.BUTTON_PLAN, FocusPlan), CHECK: (t.BUTTON_CHECK, FocusCheckStart),
            CLOSE: (t.BUTTON_CLOSE, FocusClose), EXTEND: (t.BUTTON_EXTEND, FocusExtend)}


def buttons_for(viewer: PersonView, area: FocusArea) -> list[list[tuple[str, str]]]:
    """The buttons the card offers this viewer; each press is checked again (_allowed)."""
    row = [(_BUTTONS[a][0], _BUTTONS[a][1](area.id).pack()) for a in actions_for(viewer, area)]
    return [row[:2], row[2:]] if len(row) > 2 else ([row] if row else [])


@dataclass(frozen=True)
class Shown:
    area_id: int
    text: str
    buttons: list


def show(session: Session, *, actor_id: int, area_id: int, now: datetime, policy: DeadlinePolicy) -> Shown:
    viewer = _viewer(session, actor_id)
    area = _load(session, area_id)
    if not _sees(viewer, area):
        raise NotAllowed(t.NOT_ALLOWED)
    return Shown(area.id, card_text(session, area, now=now, policy=policy), buttons_for(viewer, area))


@dataclass(frozen=True)
class Row:
    area_id: int
    village: str
    problem: str
    light: str


@dataclass(frozen=True)
class Listing:
    rows: list[Row]
    may_list: bool  # the viewer may list another village (the 「列入」 button)


def open_areas(session: Session, *, actor_id: int, now: datetime, policy: DeadlinePolicy) -> Listing:
    """/focus: the open listings this viewer sees, the ones past their deadline first."""
    viewer = _viewer(session, actor_id)
    stmt = select(FocusArea).where(FocusArea.status == FocusStatus.open).order_by(col(FocusArea.due_at), col(FocusArea.id))
    if not viewer.has(*CENTER):
        stmt = stmt.where(FocusArea.village_id == heads_village(viewer))
    cal = policy.calendar(session)
    rows = [Row(a.id, _village_name(session, a.village_id), a.problem, _light(a, now, cal, policy.yellow_ratio)[0])
            for a in session.exec(stmt)]
    return Listing(rows, viewer.has(*DECIDERS))


def open_in_village(session: Session, *, village_id: int) -> Row | None:
    """The village's open listing, if any, for its card under /admin (the light left out)."""
    found = session.exec(select(FocusArea).where(FocusArea.village_id == village_id,
                                                 FocusArea.status == FocusStatus.open)).first()
    return Row(found.id, _village_name(session, village_id), found.problem, "") if found else None


# --- 整治方案 and 责任人 ----------------------------------------------------------------------------


def responsible_candidates(session: Session, *, actor_id: int, area_id: int) -> list[tuple[int, str]]:
    """Who may be named 责任人: the village's head(s) and grid workers, and its contact points."""
    _, area = _allowed(session, actor_id, area_id, PLAN)
    return _candidates(session, area.village_id)


def _candidates(session: Session, village_id: int) -> list[tuple[int, str]]:
    grid = session.exec(select(Person).join(PersonRole, PersonRole.person_id == Person.id)
                        .where(PersonRole.role == Role.grid, Person.village_id == village_id, col(Person.active)))
    points = session.exec(select(Person).join(ContactPoint, ContactPoint.person_id == Person.id)
                           .where(ContactPoint.village_id == village_id, col(Person.active)))
    found = {p.id: p.name for p in (*village_heads(session, village_id), *grid, *points)}
    return list(found.items())


def record_plan(session: Session, *, actor_id: int, area_id: int, plan: str, responsible_id: int,
                now: datetime) -> str:
    """The 整治方案 and its 责任人 (a later 方案 replaces it); the director, the 责任人 and the
    village's contact-point leaders are told. Returns the 责任人's name."""
    actor, area = _allowed(session, actor_id, area_id, PLAN, lock=True)
    candidates = dict(_candidates(session, area.village_id))
    if responsible_id not in candidates:
        raise InvalidInput(t.BAD_RESPONSIBLE)
    area.plan, area.responsible_id = clean_plan(plan), responsible_id
    area.plan_by_id, area.plan_at = actor.id, now
    session.add(area)
    audit.record(session, actor_id=actor.id, action="focus.plan", subject_type="focus_area", subject_id=area.id,
                 now=now, responsible_id=responsible_id)
    village = _village_name(session, area.village_id)
    text = notify.plan_recorded(village=village, who=actor.name, responsible=candidates[responsible_id], plan=area.plan)
    people = [*with_role(session, Role.director), session.get(Person, responsible_id),
              *contact_leaders(session, area.village_id)]
    tell(session, people, text, _view_button(area.id), key=f"focus{area.id}:plan:{now:%Y%m%d%H%M%S}", now=now,
         exclude=actor.id)
    return candidates[responsible_id]


# --- 督促检查 ---------------------------------------------------------------------------------------


def record_check(session: Session, *, actor_id: int, area_id: int, text: str, now: datetime) -> int:
    """One more 督促检查; returns how many the area has. A new check starts a new gap for the sweep."""
    actor, area = _allowed(session, actor_id, area_id, CHECK, lock=True)
    session.add(FocusCheck(area_id=area.id, text=clean_check(text), by_id=actor.id, at=now))
    area.last_check_at = now
    session.add(area)
    audit.record(session, actor_id=actor.id, action="focus.check", subject_type="focus_area", subject_id=area.id,
                 now=now)
    session.flush()
    return len(_checks(session, area.id))


def checks_in_village(session: Session, *, viewer: PersonView, village_id: int, by_ids: set[int],
                      limit: int) -> list[FocusCheck]:
    """The latest `limit` 督促检查 these people recorded in the village's listings, newest first;
    none for a viewer who may not see the village's listings."""
    if not by_ids or not sees_village(viewer, village_id):
        return []
    return list(session.exec(select(FocusCheck).join(FocusArea, FocusArea.id == FocusCheck.area_id)
                             .where(FocusArea.village_id == village_id, col(FocusCheck.by_id).in_(by_ids))
                             .order_by(col(FocusCheck.at).desc(), col(FocusCheck.id).desc()).limit(limit)))


# --- 摘帽 and the one extension ----------------------------------------------------------------------


def close(session: Session, *, actor_id: int, area_id: int, result: str, now: datetime) -> str:
    actor, area = _allowed(session, actor_id, area_id, CLOSE, lock=True)
    area.result = clean_result(result)
    area.status, area.closed_by_id, area.closed_at = FocusStatus.closed, actor.id, now
    session.add(area)
    audit.record(session, actor_id=actor.id, action="focus.close", subject_type="focus_area", subject_id=area.id,
                 now=now)
    village = _village_name(session, area.village_id)
    tell(session, _village_people(session, area.village_id), notify.closed(village=village, who=actor.name,
                                                                            result=area.result),
         _view_button(area.id), key=f"focus{area.id}:closed", now=now, exclude=actor.id)
    return village


def extend(session: Session, *, actor_id: int, area_id: int, reason: str, due_date: date, now: datetime,
           policy: DeadlinePolicy) -> str:
    """A later 整治期限, once, with a reason; the overdue notice may come again for the new date."""
    actor, area = _allowed(session, actor_id, area_id, EXTEND, lock=True)
    reason = clean_reason(reason)
    due = _due(due_date, now=now, policy=policy)
    current = area.due_at.astimezone(policy.tz).date()
    if due <= area.due_at:
        raise InvalidInput(t.DUE_NOT_LATER.format(due=t.cn_date(current)))
    _working(session, due_date, policy=policy, after=current)
    area.due_at, area.extended_at, area.extension_reason, area.overdue_told_at = due, now, reason, None
    session.add(area)
    audit.record(session, actor_id=actor.id, action="focus.extend", subject_type="focus_area", subject_id=area.id,
                 now=now, due=due_date.isoformat())
    village = _village_name(session, area.village_id)
    shown = t.cn_date(due_date)
    tell(session, _village_people(session, area.village_id),
         notify.extended(village=village, who=actor.name, due=shown, reason=reason), _view_button(area.id),
         key=f"focus{area.id}:extended", now=now, exclude=actor.id)
    return shown


# --- the sweep ---------------------------------------------------------------------------------------


def sweep(session: Session, *, now: datetime, policy: DeadlinePolicy) -> int:
    """The chases of the open listings (a handful of rows, never a scan of cases); each mark is set
    with its messages, so a restart or a second run sends nothing twice."""
    cal = policy.calendar(session)
    if not cal.is_working_time(now):
        return 0  # like the other chases: they wait for working hours
    sent = 0
    directors = with_role(session, Role.director)
    for area in list(session.exec(select(FocusArea).where(FocusArea.status == FocusStatus.open)
                                  .order_by(col(FocusArea.id)))):
        village = _village_name(session, area.village_id)
        leaders = contact_leaders(session, area.village_id)
        listed = t.cn_date(area.listed_at.astimezone(policy.tz).date())
        if area.plan is None and area.plan_chased_at is None and now >= cal.add_working_days(area.listed_at, PLAN_DAYS).at:
            area.plan_chased_at = now
            sent += tell(session, [*leaders, *directors], notify.chase_plan(village=village, days=PLAN_DAYS, listed=listed),
                         _view_button(area.id), key=f"focus{area.id}:chase-plan", now=now)
        since = area.last_check_at or area.listed_at
        if area.gap_chased_from != since and now >= cal.add_working_days(since, CHECK_GAP_DAYS).at:
            area.gap_chased_from = since
            last = t.cn_date(area.last_check_at.astimezone(policy.tz).date()) if area.last_check_at else t.CHECK_NEVER
            sent += tell(session, leaders, notify.chase_check(village=village, days=CHECK_GAP_DAYS, since=last),
                         _view_button(area.id), key=f"focus{area.id}:chase-check:{since:%Y%m%d%H%M%S}", now=now)
        if area.overdue_told_at is None and now >= area.due_at:
            area.overdue_told_at = now
            due = t.cn_date(area.due_at.astimezone(policy.tz).date())
            sent += tell(session, directors, notify.overdue(village=village, due=due), _view_button(area.id),
                         key=f"focus{area.id}:overdue:{area.due_at:%Y%m%d}", now=now)
        session.add(area)
    return sent


# --- 社会治安重点整治台账 -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    village: str
    problem: str
    listed: str  # 2026年12月4日
    leaders: str
    responsible: str
    plan: str
    due: str  # with 「（已延期：…）」 when extended
    checks: str  # 「2 次，最近 2026年12月4日」
    status: str
    result: str


def ledger_rows(session: Session, *, start: date, end: date, tz, village_id: int | None = None) -> list[LedgerRow]:
    """Every listing open at some time in start … end (listed before its end, not closed before its
    start), oldest first."""
    lo = datetime.combine(start, datetime.min.time(), tzinfo=tz)
    hi = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    stmt = (select(FocusArea).where(FocusArea.listed_at < hi)
            .where((col(FocusArea.closed_at).is_(None)) | (col(FocusArea.closed_at) >= lo))
            .order_by(col(FocusArea.listed_at), col(FocusArea.id)))
    if village_id is not None:
        stmt = stmt.where(FocusArea.village_id == village_id)
    rows = []
    for area in session.exec(stmt).all():
        checks = _checks(session, area.id)
        due = t.cn_date(area.due_at.astimezone(tz).date())
        rows.append(LedgerRow(
            village=_village_name(session, area.village_id), problem=area.problem,
            listed=t.cn_date(area.listed_at.astimezone(tz).date()),
            leaders="、".join(p.name for p in contact_leaders(session, area.village_id)),
            responsible=person_name(session, area.responsible_id), plan=area.plan or "",
            due=due + (t.LEDGER_EXTENDED.format(reason=area.extension_reason) if area.extended_at else ""),
            checks=t.LEDGER_CHECKS.format(count=len(checks), last=t.cn_date(checks[-1].at.astimezone(tz).date()))
            if checks else t.LEDGER_NO_CHECKS,
            status=t.STATUS_LABELS[FocusStatus(area.status)], result=area.result or ""))
    return rows
