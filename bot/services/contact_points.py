"""工作联系点制度 二: what a contact-point leader does for their village, kept as records.

Each record is one piece of work (督导检查, 走访了解, 传达部署, 参加村例会, 指导化解, 宣传教育) on a day,
what was done, and optionally a problem the village needs the center's help with (二.3 将工作中遇到
的问题，及时反馈给中心协同解决): the director is told and answers by button, and the leader hears the
answer. Only a village's own contact points record for it; the center's people read every record.

A contact point with no record for `days` working days (CONTACT_POINT_DAYS) is reminded once per
quiet spell, counted from its last record (or 重点整治 督促检查 in the village) or, without one, from
when it became a contact point (ContactPoint.since; the upgrade for those that existed before).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.callbacks import ContactAnswer, ContactNew, ContactVillage
from bot.services import audit, focus_areas
from bot.services.access import CENTER
from bot.services.case_access import person_name
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.services.people import PersonView, get
from bot.services.recipients import tell, with_role
from bot.services.typed import between
from bot.texts import contact as t
from bot.texts.notify import contact as notify
from models import ContactPoint, ContactRecord, ContactWork, FocusArea, FocusCheck, Person, Role, Village

READERS = CENTER | {Role.secretary}
CONTENT = (2, 500)
PROBLEM = (2, 500)
ANSWER = (2, 300)
BACK_DAYS = 7  # a record may be for a day of the last week: written up after the visit
SHOWN = 5  # pieces of recent work on a village's page


def _reader(session: Session, actor_id: int) -> PersonView:
    actor = get(session, person_id=actor_id)
    if not actor.active or not (actor.has(*READERS) or actor.contact_village_ids):
        raise NotAllowed(t.NOT_ALLOWED)
    return actor



def clean_content(text: str | None) -> str:
    return between(text, *CONTENT, t.BAD_CONTENT)


def clean_problem(text: str | None) -> str:
    return between(text, *PROBLEM, t.BAD_PROBLEM)


def clean_answer(text: str | None) -> str:
    return between(text, *ANSWER, t.BAD_ANSWER)


@dataclass(frozen=True)
class VillageLine:
    village_id: int
    name: str
    leaders: tuple[str, ...]
    last_on: date | None
    open_problems: int


def villages(session: Session, *, actor_id: int) -> list[VillageLine]:
    """The person's own contact villages; for the center's readers every village that has a contact
    point, each with its last record and the problems still unanswered."""
    actor = _reader(session, actor_id)
    points = session.exec(select(ContactPoint.village_id, Person.name).join(Person, Person.id == ContactPoint.person_id)
                          .where(col(Person.active)).order_by(col(Person.name))).all()
    leaders: dict[int, list[str]] = {}
    for village_id, name in points:
        leaders.setdefault(village_id, []).append(name)
    wanted = set(leaders) if actor.has(*READERS) else set(actor.contact_village_ids)
    last = dict(session.exec(select(ContactRecord.village_id, func.max(ContactRecord.done_on))
                             .group_by(col(ContactRecord.village_id))).all())
    unanswered = dict(session.exec(
        select(ContactRecord.village_id, func.count()).where(col(ContactRecord.problem).is_not(None),
                                                             col(ContactRecord.answered_at).is_(None))
        .group_by(col(ContactRecord.village_id))).all())
    rows = session.exec(select(Village).where(col(Village.id).in_(wanted)).order_by(col(Village.id))).all()
    return [VillageLine(v.id, v.name, tuple(leaders.get(v.id, ())), last.get(v.id), unanswered.get(v.id, 0))
            for v in rows]


@dataclass(frozen=True)
class WorkLine:
    """One piece of a village's recent work: a record, or a 督促检查 of its 重点整治区域 (二.6)."""

    day: date
    kind: str  # the record's ContactWork, or 重点整治督促检查
    who: str
    text: str
    record_id: int | None = None  # None for a check
    problem: str | None = None
    answer: str | None = None
    answered_by: str = ""


@dataclass(frozen=True)
class VillagePage:
    village_id: int
    name: str
    leaders: tuple[str, ...]
    recent: tuple[WorkLine, ...]  # the latest SHOWN, records and checks merged, newest first
    total: int  # records
    may_record: bool
    may_answer: bool


def village_page(session: Session, *, actor_id: int, village_id: int, tz) -> VillagePage:
    actor = _reader(session, actor_id)
    village = session.get(Village, village_id)
    if village is None:
        raise NotFound(t.STALE)
    if not actor.has(*READERS) and village_id not in actor.contact_village_ids:
        raise NotAllowed(t.NOT_YOURS)
    points = session.exec(select(Person.id, Person.name).join(ContactPoint, ContactPoint.person_id == Person.id)
                          .where(ContactPoint.village_id == village_id).order_by(col(Person.name))).all()
    leaders = tuple(session.exec(select(Person.name).join(ContactPoint, ContactPoint.person_id == Person.id)
                                 .where(ContactPoint.village_id == village_id, col(Person.active))
                                 .order_by(col(Person.name))).all())
    where = ContactRecord.village_id == village_id
    total = session.exec(select(func.count()).select_from(ContactRecord).where(where)).one()
    records = session.exec(select(ContactRecord).where(where)
                           .order_by(col(ContactRecord.done_on).desc(), col(ContactRecord.id).desc()).limit(SHOWN))
    # the checks follow /focus's visibility: a contact point outside the center does not read them here
    checks = focus_areas.checks_in_village(session, viewer=actor, village_id=village_id,
                                           by_ids={person_id for person_id, _ in points}, limit=SHOWN)
    merged = [((r.done_on, r.created_at), WorkLine(
        r.done_on, ContactWork(r.work).value, person_name(session, r.person_id), r.content, r.id, r.problem, r.answer,
        person_name(session, r.answered_by_id))) for r in records]
    merged += [((c.at.astimezone(tz).date(), c.at), WorkLine(
        c.at.astimezone(tz).date(), t.FOCUS_CHECK, person_name(session, c.by_id), c.text)) for c in checks]
    merged.sort(key=lambda pair: pair[0], reverse=True)
    return VillagePage(village.id, village.name, leaders, tuple(line for _, line in merged[:SHOWN]), total,
                       may_record=village_id in actor.contact_village_ids, may_answer=actor.has(Role.director))


def check_recorder(session: Session, *, actor_id: int, village_id: int) -> str:
    """Only the village's own contact points record for it; the village's name."""
    actor = get(session, person_id=actor_id)
    village = session.get(Village, village_id)
    if village is None:
        raise NotFound(t.STALE)
    if not actor.active or village_id not in actor.contact_village_ids:
        raise NotAllowed(t.NOT_YOURS)
    return village.name


def days_back(today: date) -> list[date]:
    """The days a record may be for, today first."""
    return [today - timedelta(days=n) for n in range(BACK_DAYS + 1)]


def record(session: Session, *, actor_id: int, village_id: int, work: ContactWork, done_on: date, content: str,
           problem: str | None, now: datetime, today: date) -> ContactRecord:
    """Keep one piece of work; a problem goes to the director (and the center's secretary), once."""
    name = check_recorder(session, actor_id=actor_id, village_id=village_id)
    if done_on not in days_back(today):
        raise InvalidInput(t.BAD_DAY.format(days=BACK_DAYS))
    row = ContactRecord(village_id=village_id, person_id=actor_id, work=ContactWork(work), done_on=done_on,
                        content=clean_content(content), problem=clean_problem(problem) if problem else None,
                        created_at=now)
    session.add(row)
    session.flush()
    audit.record(session, actor_id=actor_id, action="contact.record", subject_type="contact_record",
                 subject_id=row.id, now=now, village_id=village_id, work=row.work.name, problem=row.problem is not None)
    if row.problem:
        who = get(session, person_id=actor_id).name
        text = notify.problem(village=name, who=who, work=row.work.value, content=row.content, problem=row.problem)
        buttons = [[(t.BUTTON_ANSWER, ContactAnswer(row.id).pack())],
                   [(t.BUTTON_VILLAGE, ContactVillage(village_id).pack())]]
        tell(session, with_role(session, Role.director), text, buttons, key=f"contact:{row.id}:problem", now=now,
             exclude=actor_id)
    return row


def check_answerable(session: Session, *, actor_id: int, record_id: int) -> ContactRecord:
    actor = get(session, person_id=actor_id)
    if not actor.active or not actor.has(Role.director):
        raise NotAllowed(t.ONLY_DIRECTOR)
    row = session.get(ContactRecord, record_id)
    if row is None or row.problem is None:
        raise NotFound(t.STALE)
    if row.answered_at is not None:
        raise InvalidInput(t.ALREADY_ANSWERED)
    return row


def answer(session: Session, *, actor_id: int, record_id: int, text: str, now: datetime) -> ContactRecord:
    """The director's answer to a problem (协同解决): once; the contact-point leader is told."""
    row = session.exec(select(ContactRecord).where(ContactRecord.id == record_id).with_for_update()).first()
    if row is None:
        raise NotFound(t.STALE)
    check_answerable(session, actor_id=actor_id, record_id=record_id)
    row.answer, row.answered_by_id, row.answered_at = clean_answer(text), actor_id, now
    session.add(row)
    audit.record(session, actor_id=actor_id, action="contact.answer", subject_type="contact_record",
                 subject_id=row.id, now=now)
    village = session.get(Village, row.village_id)
    text = notify.answered(village=village.name, problem=row.problem, who=get(session, person_id=actor_id).name,
                           answer=row.answer)
    tell(session, [session.get(Person, row.person_id)], text, [[(t.BUTTON_VILLAGE, ContactVillage(village.id).pack())]],
         key=f"contact:{row.id}:answer", now=now, exclude=actor_id)
    return row


def _last_work(session: Session, cal) -> dict[tuple[int, int], datetime]:
    """(person, village) → their latest work there: a record (its day, at noon), or a 督促检查 of the
    village's 重点整治区域 (联系点制度 二.6 is a contact point's work too)."""
    last: dict[tuple[int, int], datetime] = {}
    records = session.exec(select(ContactRecord.person_id, ContactRecord.village_id, func.max(ContactRecord.done_on))
                           .group_by(col(ContactRecord.person_id), col(ContactRecord.village_id))).all()
    checks = session.exec(select(FocusCheck.by_id, FocusArea.village_id, func.max(FocusCheck.at))
                          .join(FocusArea, FocusArea.id == FocusCheck.area_id)
                          .group_by(col(FocusCheck.by_id), col(FocusArea.village_id))).all()
    for person_id, village_id, moment in [*((p, v, cal.at(d, time(12))) for p, v, d in records), *checks]:
        last[(person_id, village_id)] = max(last.get((person_id, village_id), moment), moment)
    return last


def sweep_quiet(session: Session, *, now: datetime, policy: DeadlinePolicy, days: int) -> int:
    """In working hours: each contact point whose last record (or its start) is `days` working days
    ago is reminded once for this quiet spell (the outbox key names the spell's start)."""
    cal = policy.calendar(session)
    if not cal.is_working_time(now):
        return 0
    last = _last_work(session, cal)
    points = session.exec(select(ContactPoint, Person, Village).join(Person, Person.id == ContactPoint.person_id)
                          .join(Village, Village.id == ContactPoint.village_id)
                          .where(col(Person.active), col(ContactPoint.since).is_not(None))).all()
    sent = 0
    quiet_after: dict[date, datetime] = {}  # a spell's first day → when it has lasted `days` working days
    for point, person, village in points:
        # work from before they took the village on does not count
        start = max(last.get((person.id, village.id), point.since), point.since)
        quiet_from = cal.local(start).date()
        if quiet_from not in quiet_after:  # many spells start on the same day (the upgrade, a meeting day)
            quiet_after[quiet_from] = cal.add_working_days(start, days).at
        if quiet_after[quiet_from] > now:
            continue
        text = notify.quiet(village=village.name, since=t.day_text(quiet_from), days=days)
        sent += tell(session, [person], text, [[(t.BUTTON_RECORD, ContactNew(village.id).pack())]],
                     key=f"contact:quiet:{village.id}:{quiet_from:%Y%m%d}", now=now)
    return sent


# --- 联系点工作台账 -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    done_on: date
    village: str
    who: str
    work: str
    content: str
    problem: str
    answer: str  # 「王主任：…」, or 待答复 for a problem not yet answered
    answered: bool


def ledger_rows(session: Session, *, start: date, end: date, village_id: int | None = None) -> list[LedgerRow]:
    """Every record of the days [start, end], by day and village."""
    stmt = (select(ContactRecord, Village.name, Person.name).join(Village, Village.id == ContactRecord.village_id)
            .join(Person, Person.id == ContactRecord.person_id)
            .where(ContactRecord.done_on >= start, ContactRecord.done_on <= end))
    if village_id is not None:
        stmt = stmt.where(ContactRecord.village_id == village_id)
    stmt = stmt.order_by(col(ContactRecord.done_on), col(ContactRecord.village_id), col(ContactRecord.id))
    return [LedgerRow(r.done_on, village, who, ContactWork(r.work).value, r.content, r.problem or "",
                      f"{person_name(session, r.answered_by_id)}：{r.answer}" if r.answer else (t.UNANSWERED if r.problem else ""),
                      r.answer is not None)
            for r, village, who in session.exec(stmt)]
