"""The measures computed items are scored on: a SMALL registry, each `measure(session, subject, start,
end) -> Measured(value, evidence_case_ids)`. The rates use the definitions of /stats
(bot/services/stats/figures.py): 按期办结率 = cases resolved in the period on or before their due
time ÷ those resolved in the period with a due time; 满意率 = 满意 or 基本满意 ÷ those rated; both
with stats' rounding (two decimals, half up). A unit answers for the cases assigned to it, a village
for the cases in it.

Adding a measure is one entry in MEASURES.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import and_
from sqlmodel import Session, col, select

from bot.services import work_plans
from bot.services.deadlines import CENTER_TZ
from bot.services.paicha_counts import missing_returns
from bot.services.stats.figures import SATISFIED, percent
from models import (
    CampaignResult,
    Case,
    NoticeLevel,
    SafetyCampaign,
    SafetyTeam,
    SubjectKind,
    SupervisionNotice,
    TeamKind,
    UrgentAlert,
)


@dataclass(frozen=True)
class Subject:
    """A member unit or a village: what is assessed."""

    kind: SubjectKind
    id: int

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class Measured:
    value: Decimal | None  # None: nothing to measure (no case resolved with a deadline …): no deduction
    evidence: tuple[int, ...] = ()  # the cases behind the points lost
    tasks: tuple[int, ...] = ()  # the 综治工作计划's tasks behind them (工作计划落实)


@dataclass(frozen=True)
class Measure:
    label: str
    unit: str  # % or 次
    fn: Callable[[Session, Subject, datetime, datetime], Measured]


def _scope(subject: Subject):
    return Case.unit_id == subject.id if subject.kind == SubjectKind.unit else Case.village_id == subject.id


def _on_time(session: Session, subject: Subject, start: datetime, end: datetime) -> Measured:
    rows = session.exec(select(Case.id, Case.resolved_at, Case.due_at).where(
        _scope(subject), Case.resolved_at >= start, Case.resolved_at < end, col(Case.due_at).is_not(None))
        .order_by(col(Case.id))).all()
    late = tuple(cid for cid, resolved, due in rows if resolved > due)
    return Measured(percent(len(rows) - len(late), len(rows)), late)


def _satisfaction(session: Session, subject: Subject, start: datetime, end: datetime) -> Measured:
    rows = session.exec(select(Case.id, Case.satisfaction).where(
        _scope(subject), Case.resolved_at >= start, Case.resolved_at < end, col(Case.satisfaction).is_not(None))
        .order_by(col(Case.id))).all()
    unhappy = tuple(cid for cid, s in rows if s not in SATISFIED)
    return Measured(percent(len(rows) - len(unhappy), len(rows)), unhappy)


def _red_cards(session: Session, subject: Subject, start: datetime, end: datetime) -> Measured:
    """督办通知书 at 红牌 issued in the period: to the unit, or about a case in the village."""
    stmt = select(SupervisionNotice.case_id).where(
        SupervisionNotice.level == NoticeLevel.red, SupervisionNotice.issued_at >= start,
        SupervisionNotice.issued_at < end)
    if subject.kind == SubjectKind.unit:
        stmt = stmt.where(SupervisionNotice.unit_id == subject.id)
    else:
        stmt = stmt.join(Case, Case.id == SupervisionNotice.case_id).where(Case.village_id == subject.id)
    ids = tuple(session.exec(stmt.order_by(col(SupervisionNotice.id))).all())
    return Measured(Decimal(len(ids)), ids)


def _urgent_unacked(session: Session, subject: Subject, start: datetime, end: datetime) -> Measured:
    """Urgent alerts raised in the period that nobody acknowledged at the first rung: the alert
    climbed the ladder (level ≥ 1) before someone pressed 收到."""
    ids = tuple(session.exec(select(UrgentAlert.case_id).join(Case, Case.id == UrgentAlert.case_id).where(
        _scope(subject), and_(UrgentAlert.created_at >= start, UrgentAlert.created_at < end),
        UrgentAlert.level >= 1).order_by(col(UrgentAlert.id))).all())
    return Measured(Decimal(len(ids)), ids)


def _teams_missing(session: Session, subject: Subject, start: datetime, end: datetime) -> Measured:
    """群防群治: how many of the five kinds of team (治保会, 调委会, patrol, 十户联防, volunteers) a village
    has not registered (a unit: none expected, 0)."""
    if subject.kind != SubjectKind.village:
        return Measured(Decimal(0))
    have = set(session.exec(select(SafetyTeam.kind).where(SafetyTeam.village_id == subject.id,
                                                          SafetyTeam.recorded_at < end)).all())
    return Measured(Decimal(sum(1 for k in TeamKind if k not in have)))


def _safety_failed(session: Session, subject: Subject, start: datetime, end: datetime) -> Measured:
    """平安创建: the subject's 平安村 / 平安单位 reviews in the period that did not pass."""
    owner = SafetyCampaign.unit_id if subject.kind == SubjectKind.unit else SafetyCampaign.village_id
    n = len(session.exec(select(SafetyCampaign.id).where(
        owner == subject.id, SafetyCampaign.result == CampaignResult.failed, SafetyCampaign.reviewed_at >= start,
        SafetyCampaign.reviewed_at < end)).all())
    return Measured(Decimal(n))


def _screening_missing(session: Session, subject: Subject, start: datetime, end: datetime) -> Measured:
    """排查 returns of the village due in the period and not filed by the end of their due day (late or
    never); a return due on the period's last day is not missed yet. A unit returns none: 0."""
    if subject.kind != SubjectKind.village:
        return Measured(Decimal(0))
    first, last = start.astimezone(CENTER_TZ).date(), end.astimezone(CENTER_TZ).date()
    return Measured(Decimal(missing_returns(session, start=first, end=last, today=last).get(subject.id, 0)))


def _plan_late(session: Session, subject: Subject, start: datetime, end: datetime) -> Measured:
    """综治工作计划: the subject's tasks due in the period that passed their 完成时限 unfinished, or were
    done after it (bot/services/work_plans.late_tasks); a task due on the period's last day is not late yet."""
    first, last = start.astimezone(CENTER_TZ).date(), end.astimezone(CENTER_TZ).date()
    owner = {"unit_id": subject.id} if subject.kind == SubjectKind.unit else {"village_id": subject.id}
    ids = tuple(work_plans.late_tasks(session, start=first, end=last, tz=CENTER_TZ, **owner))
    return Measured(Decimal(len(ids)), tasks=ids)


MEASURES: dict[str, Measure] = {
    "on_time": Measure("按期办结率", "%", _on_time),
    "satisfaction": Measure("群众满意率", "%", _satisfaction),
    "sv_red": Measure("督办红牌", "次", _red_cards),
    "urgent_unacked": Measure("紧急警报未及时签收", "次", _urgent_unacked),
    "teams_missing": Measure("群防群治队伍缺项", "项", _teams_missing),
    "safety_failed": Measure("平安创建未通过", "次", _safety_failed),
    "screening_missing": Measure("排查未按时报送", "次", _screening_missing),  # issue 16's 排查 returns
    "plan_late": Measure("工作计划任务逾期", "项", _plan_late),  # 综治工作计划 (工作职责 1)
}
# Measures a catalogue may name before their data exists (their items deduct nothing until then).
PLANNED: dict[str, str] = {}


def label(key: str | None) -> str:
    if key in MEASURES:
        return MEASURES[key].label
    return PLANNED.get(key or "", key or "")


def by_label(text: str) -> str | None:
    """A measure's key from its key or its label (the .xlsx shows labels)."""
    text = text.strip()
    for key in (*MEASURES, *PLANNED):
        if text in (key, label(key)):
            return key
    return None


def measure(session: Session, key: str, subject: Subject, start: datetime, end: datetime) -> Measured | None:
    """None for a planned measure whose data is not in the bot yet."""
    found = MEASURES.get(key)
    return found.fn(session, subject, start, end) if found else None
