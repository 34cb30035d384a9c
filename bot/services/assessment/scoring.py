"""Running scores: each unit and village starts the year at 100 and loses what the catalogue's
computed items, the center's hand-scored marks and nothing else take off. A 一票否决 does not change
the score; it bars commendation for the year whatever the score.

Who sees what: a unit's or village's heads see their own score and the cases behind each item (only
the cases they may see on a case card); the center's leaders and the director see the ranking and
every subject's score. The heads of a unit are its contacts (role 单位联络人 of that unit); the heads
of a village are the 单位联络人 registered to the village without a unit (村委会).
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.services import audit, case_access, outbox, people, work_plans
from bot.services.assessment import catalogue, formula
from bot.services.assessment.measures import MEASURES, Subject, label, measure
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.texts import assessment as t
from models import (
    Accountability,
    AssessmentItem,
    AssessmentMark,
    Case,
    ItemKind,
    Person,
    PersonRole,
    Role,
    SubjectKind,
    Unit,
    Village,
)

VIEWERS = frozenset({Role.director, Role.secretary, Role.township_leader, Role.leader, Role.admin})  # the ranking
SCORERS = frozenset({Role.director, Role.leader})  # hand-scored marks and 一票否决
MANAGERS = frozenset({Role.director, Role.admin})  # catalogue, 责任书, year end, 整改
MAX_REASON = 300
FULL = Decimal(100)


def _roles(session: Session, person_id: int) -> frozenset[Role]:
    return frozenset(Role(r) for r in session.exec(select(PersonRole.role).where(PersonRole.person_id == person_id)))


def _active(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None or not person.active:
        raise NotAllowed(t.NOT_ALLOWED)
    return person


def require(session: Session, person_id: int, allowed: frozenset[Role]) -> Person:
    person = _active(session, person_id)
    if not _roles(session, person_id) & allowed:
        raise NotAllowed(t.NOT_ALLOWED)
    return person


# --- subjects and their heads ---------------------------------------------------------------------------


def subjects(session: Session) -> list[tuple[Subject, str]]:
    """Every active unit, then every active village, with its name."""
    found = [(Subject(SubjectKind.unit, u.id), u.name)
             for u in session.exec(select(Unit).where(col(Unit.active)).order_by(col(Unit.id)))]
    found += [(Subject(SubjectKind.village, v.id), v.name)
              for v in session.exec(select(Village).where(col(Village.active)).order_by(col(Village.id)))]
    return found


def subject_name(session: Session, subject: Subject) -> str:
    row = session.get(Unit if subject.kind == SubjectKind.unit else Village, subject.id)
    if row is None:
        raise NotFound(t.STALE)
    return row.name


def heads(session: Session, subject: Subject) -> list[Person]:
    stmt = (select(Person).join(PersonRole, PersonRole.person_id == Person.id)
            .where(col(Person.active), PersonRole.role == Role.unit))
    if subject.kind == SubjectKind.unit:
        stmt = stmt.where(Person.unit_id == subject.id)
    else:
        stmt = stmt.where(Person.village_id == subject.id, col(Person.unit_id).is_(None))
    return list(session.exec(stmt.order_by(col(Person.id))))


def subject_of(session: Session, person_id: int) -> Subject | None:
    """The unit or village the person heads, if any."""
    person = session.get(Person, person_id)
    if person is None or not person.active or Role.unit not in _roles(session, person_id):
        return None
    if person.unit_id is not None:
        return Subject(SubjectKind.unit, person.unit_id)
    if person.village_id is not None:
        return Subject(SubjectKind.village, person.village_id)
    return None


def columns(subject: Subject) -> dict[str, int | None]:
    return {"unit_id": subject.id if subject.kind == SubjectKind.unit else None,
            "village_id": subject.id if subject.kind == SubjectKind.village else None}


def _of(subject: Subject, model):
    return (model.unit_id == subject.id) if subject.kind == SubjectKind.unit else (model.village_id == subject.id)


# --- the score ---------------------------------------------------------------------------------------------


def year_bounds(year: int, tz: ZoneInfo) -> tuple[datetime, datetime]:
    return (datetime.combine(date(year, 1, 1), time(0), tzinfo=tz).astimezone(UTC),
            datetime.combine(date(year + 1, 1, 1), time(0), tzinfo=tz).astimezone(UTC))


@dataclass(frozen=True)
class ItemScore:
    item_id: int
    seq: int
    name: str
    kind: ItemKind
    points: Decimal
    lost: Decimal
    measured: str = ""  # 按期办结率 92.50% / 督办红牌 1 次 / 暂无数据
    evidence: tuple[int, ...] = ()  # the cases behind the points lost
    tasks: tuple[int, ...] = ()  # the plan tasks behind them
    reasons: tuple[str, ...] = ()  # hand-scored marks and vetoes: their reasons
    applies: bool = True


@dataclass(frozen=True)
class SubjectScore:
    subject: Subject
    name: str
    total: Decimal
    items: tuple[ItemScore, ...]
    vetoes: tuple[str, ...] = field(default_factory=tuple)  # the reasons of 一票否决

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoes)


def _applies(item: AssessmentItem, subject: Subject) -> bool:
    return item.applies_to in ("all", str(subject.kind))


def _measured_text(key: str, value: Decimal | None) -> str:
    if value is None:
        return t.NO_DATA
    unit = MEASURES[key].unit
    return f"{label(key)} {catalogue.num(value)}{'%' if unit == '%' else ' ' + unit}"


def score(session: Session, *, subject: Subject, year: int, start: datetime, end: datetime,
          found: list[AssessmentItem] | None = None) -> SubjectScore:
    """The subject's score over [start, end): 100 less every deduction."""
    found = catalogue.ensure(session, year=year) if found is None else found
    marks = list(session.exec(select(AssessmentMark).where(
        _of(subject, AssessmentMark), col(AssessmentMark.item_id).in_([i.id for i in found]),
        AssessmentMark.recorded_at <= end).order_by(col(AssessmentMark.id))))
    out, vetoes = [], []
    for item in found:
        kind = ItemKind(item.kind)
        if not _applies(item, subject):
            out.append(ItemScore(item.id, item.seq, item.name, kind, Decimal(item.points), Decimal(0), applies=False))
            continue
        mine = [m for m in marks if m.item_id == item.id]
        if kind == ItemKind.computed:
            got = measure(session, item.measure or "", subject, start, end)
            value = got.value if got else None
            lost = formula.deduction(item, value)
            out.append(ItemScore(item.id, item.seq, item.name, kind, Decimal(item.points), lost,
                                 measured=_measured_text(item.measure, value) if got else t.NOT_CONNECTED,
                                 evidence=got.evidence if got and lost else (),
                                 tasks=got.tasks if got and lost else ()))
        elif kind == ItemKind.manual:
            lost = formula.capped(item, sum((Decimal(m.points) for m in mine), Decimal(0)))
            out.append(ItemScore(item.id, item.seq, item.name, kind, Decimal(item.points), lost,
                                 reasons=tuple(f"-{catalogue.num(m.points)}：{m.reason}" for m in mine)))
        else:
            vetoes += [m.reason for m in mine]
            out.append(ItemScore(item.id, item.seq, item.name, kind, Decimal(0), Decimal(0),
                                 reasons=tuple(m.reason for m in mine)))
    total = FULL - sum((i.lost for i in out), Decimal(0))
    return SubjectScore(subject, subject_name(session, subject), total, tuple(out), tuple(vetoes))


def ranking(session: Session, *, year: int, now: datetime, tz: ZoneInfo) -> list[SubjectScore]:
    """Every unit and village, best first (ties by name), scored from 1 January to now (or the year's end)."""
    start, end = year_bounds(year, tz)
    found = catalogue.ensure(session, year=year)
    scores = [score(session, subject=s, year=year, start=start, end=min(end, now), found=found)
              for s, _ in subjects(session)]
    return sorted(scores, key=lambda s: (-s.total, s.name))


def commended(scores: list[SubjectScore], *, threshold: Decimal) -> list[SubjectScore]:
    """Proposed for commendation: at or above the threshold and no 一票否决."""
    return [s for s in scores if s.total >= threshold and not s.vetoed]


def may_see(session: Session, *, actor_id: int, subject: Subject) -> None:
    _active(session, actor_id)
    if _roles(session, actor_id) & VIEWERS or subject_of(session, actor_id) == subject:
        return
    raise NotAllowed(t.NOT_YOURS)


def view(session: Session, *, actor_id: int, year: int, now: datetime, tz: ZoneInfo,
         subject: Subject | None = None) -> SubjectScore:
    """One subject's score for the person: their own (no subject given), or one they may see."""
    subject = subject or subject_of(session, actor_id)
    if subject is None:
        raise NotAllowed(t.NOT_A_HEAD)
    may_see(session, actor_id=actor_id, subject=subject)
    start, end = year_bounds(year, tz)
    return score(session, subject=subject, year=year, start=start, end=min(end, now))


@dataclass(frozen=True)
class CaseLine:
    case_id: int
    number: str
    summary: str


@dataclass(frozen=True)
class Evidence:
    """What cost an item its points, as far as the person may see it: cases as on a case card, plan
    tasks as on /plan; the hidden ones are only counted."""

    line: ItemScore
    cases: list[CaseLine]
    hidden_cases: int
    tasks: list[work_plans.LateTask]
    hidden_tasks: int


def item_cases(session: Session, *, actor_id: int, item_id: int, subject: Subject, now: datetime,
               tz: ZoneInfo) -> Evidence:
    may_see(session, actor_id=actor_id, subject=subject)
    item = catalogue.get(session, item_id)
    start, end = year_bounds(item.year, tz)
    scored = score(session, subject=subject, year=item.year, start=start, end=min(end, now))
    line = next(i for i in scored.items if i.item_id == item_id)
    viewer = people.get(session, person_id=actor_id)
    shown, hidden = [], 0
    for case_id in line.evidence:
        case = session.get(Case, case_id)
        if case is None:
            continue
        if case_access.can_view(viewer, case):
            shown.append(CaseLine(case.id, case.number, case_access.summary_line(case, 30)))
        else:
            hidden += 1
    tasks, hidden_tasks = work_plans.late_lines(session, actor_id=actor_id, task_ids=line.tasks, tz=tz)
    return Evidence(line, shown, hidden, tasks, hidden_tasks)


# --- hand-scored marks and 一票否决 ------------------------------------------------------------------------


def record_mark(session: Session, *, actor_id: int, item_id: int, subject: Subject, points: Decimal | None,
                reason: str, evidence_file_id: str | None, evidence_kind: str | None, now: datetime,
                evidence_name: str = "") -> AssessmentMark:
    """A deduction on a hand-scored item, or a 一票否决 (which also opens a 领导责任查究). Both need a
    reason and the evidence (a document or a photo); the unit's or village's heads are told."""
    require(session, actor_id, SCORERS)
    item = catalogue.get(session, item_id)
    kind = ItemKind(item.kind)
    if kind == ItemKind.computed or not _applies(item, subject):
        raise InvalidInput(t.NOT_HAND_SCORED)
    name = subject_name(session, subject)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(t.ASK_REASON_VETO if kind == ItemKind.veto else t.ASK_MARK)
    if len(reason) > MAX_REASON:
        raise InvalidInput(t.REASON_TOO_LONG.format(limit=MAX_REASON))
    if not evidence_file_id or evidence_kind not in ("document", "photo"):
        raise InvalidInput(t.EVIDENCE_REQUIRED)
    if kind == ItemKind.veto:
        points = Decimal(0)
    elif points is None or points <= 0 or points > Decimal(item.points):
        raise InvalidInput(t.BAD_MARK.format(points=catalogue.num(item.points)))
    mark = AssessmentMark(item_id=item.id, points=points, reason=reason, evidence_file_id=evidence_file_id,
                          evidence_kind=evidence_kind, evidence_name=(evidence_name or "")[:120],
                          recorded_by_id=actor_id, recorded_at=now, **columns(subject))
    session.add(mark)
    session.flush()
    if kind == ItemKind.veto:
        session.add(Accountability(year=item.year, mark_id=mark.id, reason=reason, opened_at=now, **columns(subject)))
    audit.record(session, actor_id=actor_id, action=f"assessment.{kind}", subject_type="assessment_mark",
                 subject_id=mark.id, now=now, item=item.name, subject=subject.key, points=str(points))
    text = (t.notify_veto(year=item.year, name=name, reason=reason) if kind == ItemKind.veto
            else t.notify_mark(item=item.name, points=catalogue.num(points), reason=reason))
    for person in heads(session, subject):
        if person.telegram_id is not None:
            outbox.enqueue(session, chat_id=person.telegram_id, person_id=person.id, text=text, now=now,
                           key=f"assess:mark{mark.id}:p{person.id}", new_key=True)
    return mark


def parse_mark(text: str) -> tuple[Decimal, str]:
    """「2 台账不全」: the points and the reason."""
    head, _, rest = (text or "").strip().partition(" ")
    try:
        points = Decimal(head.rstrip("分"))
    except ArithmeticError:
        raise InvalidInput(t.ASK_MARK) from None
    if not points.is_finite() or not rest.strip():
        raise InvalidInput(t.ASK_MARK)
    return points.quantize(Decimal("0.01")), rest.strip()
