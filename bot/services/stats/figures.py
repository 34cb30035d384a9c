"""The figures of a period, computed with SQL aggregates (GROUP BY): a year of 100 000 cases is never
loaded row by row. Every figure is a count of cases (or of notices, 包案 approvals), so figures of
several villages add up, and the rates are derived from the counts (a frozen month stores counts only).

What each count means (the footnote of every output says the same, bot/texts/stats.py):
- registered … repeat_visits, first_inquiry, confidential: cases registered (created_at) in the period;
- resolved … satisfied: cases resolved (resolved_at, 办结) in the period;
- baoan_new: 包案 approved in the period; baoan_closed/on_time: 包案 cases resolved in the period;
  baoan_yellow/red: 包案 cases still open at the period's end (or now, if sooner) whose light was then
  yellow (past yellow_at) or red (past due_at) — the same moments deadlines.light uses;
- sv_*: 督办通知书 issued in the period, by their level (普通/黄牌/红牌, raised by the sweep at 70 % of
  the time and when overdue); sv_closed/on_time: notices closed in the period (认可, 结案 or 移送).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import and_, case, func, or_
from sqlmodel import Session, col, select

from bot.services import flow_counts, paicha_counts
from bot.services.resolution import Resolution, resolution_of
from bot.services.workdays import CENTER_TZ
from bot.texts import SOURCE_LABELS
from bot.texts import stats as words
from models import (
    BaoanRequest,
    BaoanStatus,
    Case,
    CaseParty,
    CaseStatus,
    CaseType,
    NoticeLevel,
    NoticeStatus,
    Outcome,
    Satisfaction,
    Source,
    SupervisionNotice,
    Unit,
    Village,
)
from models.base import UTCDateTime

REPEAT_DAYS = 90  # 重复访: the same party or place within this many days before

COUNTS = tuple(words.COUNT_LABELS)
GROUPS = tuple(words.GROUP_LABELS)

# rate → (numerator, denominator), both counts above
RATES: dict[str, tuple[str, str]] = {
    "acceptance": ("accepted", "registered"),
    "mediation": ("mediating", "accepted"),
    "mediation_success": ("mediated_success", "mediated_closed"),
    "resolution": ("substantive", "resolved"),
    "on_time": ("resolved_on_time", "resolved_with_due"),
    "satisfaction": ("satisfied", "rated"),
    "rated": ("rated", "resolved"),
}

MEDIATED = (Outcome.mediated, Outcome.partly_mediated, Outcome.not_mediated)  # the center mediated it
SATISFIED = (Satisfaction.satisfied, Satisfaction.mostly_satisfied)
SV_CLOSED = (NoticeStatus.accepted, NoticeStatus.closed, NoticeStatus.transferred)
_RESOLUTION_KEYS = {Resolution.substantive: "substantive", Resolution.partial: "partial",
                    Resolution.procedural: "procedural", Resolution.suspended: "suspended"}


@dataclass
class Figures:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    groups: dict[str, dict[str, int]] = field(default_factory=lambda: {g: {} for g in GROUPS})

    def __add__(self, other: "Figures") -> "Figures":
        counts = {k: self.counts.get(k, 0) + other.counts.get(k, 0) for k in COUNTS}
        groups = {g: dict(Counter(self.groups.get(g, {})) + Counter(other.groups.get(g, {}))) for g in GROUPS}
        return Figures(counts, groups)

    def __sub__(self, other: "Figures") -> "Figures":
        """The difference, key by key (zeros kept out of the groups)."""
        counts = {k: self.counts.get(k, 0) - other.counts.get(k, 0) for k in COUNTS}
        groups = {}
        for g in GROUPS:
            mine, theirs = self.groups.get(g, {}), other.groups.get(g, {})
            groups[g] = {n: mine.get(n, 0) - theirs.get(n, 0) for n in {*mine, *theirs}
                         if mine.get(n, 0) != theirs.get(n, 0)}
        return Figures(counts, groups)

    def is_zero(self) -> bool:
        return not any(self.counts.values()) and not any(self.groups.values())

    def to_json(self) -> dict[str, Any]:
        return {"counts": dict(self.counts), "groups": {g: dict(v) for g, v in self.groups.items()}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Figures":
        counts = {k: int(data.get("counts", {}).get(k, 0)) for k in COUNTS}
        groups = {g: {n: int(v) for n, v in data.get("groups", {}).get(g, {}).items()} for g in GROUPS}
        return cls(counts, groups)

    def rate(self, key: str) -> Decimal | None:
        """The rate in percent, two decimals (half up); None when the denominator is 0."""
        num, den = RATES[key]
        return percent(self.counts[num], self.counts[den])


def percent(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def compute(session: Session, *, start: datetime, end: datetime, village_ids: tuple[int, ...] | None,
            at: datetime) -> Figures:
    """The figures of [start, end) for the villages (None: the whole township, cases without a village
    included). `at` is the moment the open-case lights are read at: the period's end, or now if sooner."""
    counts = dict.fromkeys(COUNTS, 0)

    def in_scope(*conds):
        where = list(conds)
        if village_ids is not None:
            where.append(col(Case.village_id).in_(village_ids))
        return where

    def flag(cond):
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    registered = in_scope(Case.created_at >= start, Case.created_at < end)
    row = session.exec(select(
        func.count(),
        flag(col(Case.accepted_at).is_not(None)),
        flag(and_(col(Case.accepted_at).is_not(None),
                  or_(col(Case.handler_id).is_not(None), col(Case.unit_id).is_not(None)))),
        flag(or_(col(Case.guidance).is_not(None), Case.status == CaseStatus.out_of_scope)),
        flag(col(Case.confidential)),
    ).select_from(Case).where(*registered)).one()
    (counts["registered"], counts["accepted"], counts["mediating"], counts["first_inquiry"],
     counts["confidential"]) = (int(v or 0) for v in row)

    # 办结 in the period, by outcome and satisfaction; deadlines and 包案 counted alongside.
    has_due = col(Case.due_at).is_not(None)
    on_time = and_(has_due, col(Case.resolved_at) <= col(Case.due_at))
    baoan = col(Case.leader_id).is_not(None)
    closed = session.exec(select(
        Case.outcome, Case.satisfaction, func.count(), flag(has_due), flag(on_time), flag(baoan),
        flag(and_(baoan, on_time)),
    ).where(*in_scope(Case.resolved_at >= start, Case.resolved_at < end)).group_by(Case.outcome, Case.satisfaction))
    for outcome, satisfaction, n, with_due, timely, baoan_n, baoan_timely in closed:
        counts["resolved"] += n
        counts["resolved_with_due"] += with_due
        counts["resolved_on_time"] += timely
        counts["baoan_closed"] += baoan_n
        counts["baoan_on_time"] += baoan_timely
        if outcome is not None and Outcome.has(outcome):
            counts[_RESOLUTION_KEYS[resolution_of(outcome)]] += n
            if Outcome(outcome) in MEDIATED:
                counts["mediated_closed"] += n
                if Outcome(outcome) == Outcome.mediated:
                    counts["mediated_success"] += n
        if satisfaction is not None:
            counts["rated"] += n
            if Satisfaction.has(satisfaction) and Satisfaction(satisfaction) in SATISFIED:
                counts["satisfied"] += n

    counts["repeat_visits"] = _repeat_visits(session, start, end, village_ids)

    counts["baoan_new"] = session.exec(
        select(func.count()).select_from(BaoanRequest).join(Case, Case.id == BaoanRequest.case_id)
        .where(*in_scope(BaoanRequest.status == BaoanStatus.approved, BaoanRequest.decided_at >= start,
                         BaoanRequest.decided_at < end))).one()
    moment = min(at, end)
    open_then = in_scope(baoan, Case.created_at < moment,
                         or_(col(Case.resolved_at).is_(None), Case.resolved_at >= moment),
                         col(Case.paused_at).is_(None), has_due)
    red, yellow = session.exec(select(
        flag(Case.due_at <= moment),
        flag(and_(Case.due_at > moment, col(Case.yellow_at).is_not(None), Case.yellow_at <= moment)),
    ).select_from(Case).where(*open_then)).one()
    counts["baoan_red"], counts["baoan_yellow"] = int(red or 0), int(yellow or 0)

    notice_scope = in_scope(SupervisionNotice.issued_at >= start, SupervisionNotice.issued_at < end)
    for level, n in session.exec(select(SupervisionNotice.level, func.count())
                                 .join(Case, Case.id == SupervisionNotice.case_id)
                                 .where(*notice_scope).group_by(SupervisionNotice.level)):
        counts["sv_issued"] += n
        counts[{NoticeLevel.normal: "sv_normal", NoticeLevel.yellow: "sv_yellow",
                NoticeLevel.red: "sv_red"}[NoticeLevel(level)]] += n
    sv_closed, sv_timely = session.exec(select(
        func.count(), flag(col(SupervisionNotice.closed_at) <= col(SupervisionNotice.due_at)),
    ).select_from(SupervisionNotice).join(Case, Case.id == SupervisionNotice.case_id).where(*in_scope(
        col(SupervisionNotice.status).in_(SV_CLOSED), SupervisionNotice.closed_at >= start,
        SupervisionNotice.closed_at < end))).one()
    counts["sv_closed"], counts["sv_on_time"] = int(sv_closed or 0), int(sv_timely or 0)

    # 排查 returns (issue 16): by due day, the local days of [start, end)
    counts.update(paicha_counts.figures(session, start=start.astimezone(CENTER_TZ).date(),
                                 end=(end - timedelta(microseconds=1)).astimezone(CENTER_TZ).date(),
                                 village_ids=village_ids))
    # 交办, 上门受理, 会商, 请示, 已到场 (issue 16): counted by when each happened
    counts.update(flow_counts.figures(session, start=start, end=end, village_ids=village_ids))

    return Figures(counts, _groups(session, registered))


def _repeat_visits(session: Session, start: datetime, end: datetime, village_ids: tuple[int, ...] | None) -> int:
    """Cases registered in the period whose party (same name and phone) or place (same village and
    address) was already registered within the REPEAT_DAYS before, in any village. One window query
    per key (LAG over the cases since start − REPEAT_DAYS, sorted by key and time) returns only the
    period's cases that have an earlier one; the distance is checked here."""
    window = start - timedelta(days=REPEAT_DAYS)
    since = and_(Case.created_at >= window, Case.created_at < end)
    order = [col(Case.created_at), col(Case.id)]
    party_key = [CaseParty.name, func.coalesce(CaseParty.phone, "")]
    place_key = [Case.village_id, Case.address]
    by_party = (select(Case.id.label("case_id"), Case.created_at.label("at"), Case.village_id.label("village_id"),
                       func.lag(Case.created_at, type_=UTCDateTime()).over(partition_by=party_key, order_by=order)
                       .label("before_at"),
                       func.lag(Case.id).over(partition_by=party_key, order_by=order).label("before_id"))
                .join(CaseParty, CaseParty.case_id == Case.id).where(since))
    by_place = (select(Case.id.label("case_id"), Case.created_at.label("at"), Case.village_id.label("village_id"),
                       func.lag(Case.created_at, type_=UTCDateTime()).over(partition_by=place_key, order_by=order)
                       .label("before_at"),
                       func.lag(Case.id).over(partition_by=place_key, order_by=order).label("before_id"))
                .where(since, col(Case.address).is_not(None), Case.address != ""))
    repeated = set()
    for inner in (by_party, by_place):
        sub = inner.subquery()
        where = [sub.c.at >= start, sub.c.before_at.is_not(None), sub.c.before_id != sub.c.case_id]
        if village_ids is not None:
            where.append(sub.c.village_id.in_(village_ids))
        for case_id, created, before in session.exec(select(sub.c.case_id, sub.c.at, sub.c.before_at).where(*where)):
            if _aware(created) - _aware(before) <= timedelta(days=REPEAT_DAYS):
                repeated.add(case_id)
    return len(repeated)


def _aware(moment: datetime) -> datetime:
    # func.max() over a UTCDateTime column comes back raw (naive on SQLite): read it as UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _groups(session: Session, registered: list) -> dict[str, dict[str, int]]:
    groups: dict[str, dict[str, int]] = {g: {} for g in GROUPS}
    for name, n in session.exec(select(CaseType.category, func.count()).select_from(Case)
                                .join(CaseType, CaseType.id == Case.type_id)
                                .where(*registered).group_by(CaseType.category)):
        groups["by_type"][name] = n
    villages = dict(session.exec(select(Village.id, Village.name)).all())
    for village_id, n in session.exec(select(Case.village_id, func.count()).where(*registered)
                                      .group_by(Case.village_id)):
        groups["by_village"][villages.get(village_id, words.NO_VILLAGE)] = n
    units = dict(session.exec(select(Unit.id, Unit.name)).all())
    for unit_id, n in session.exec(select(Case.unit_id, func.count()).where(*registered).group_by(Case.unit_id)):
        groups["by_unit"][units.get(unit_id, words.NO_UNIT)] = n
    for source, n in session.exec(select(Case.source, func.count()).where(*registered).group_by(Case.source)):
        label = SOURCE_LABELS.get(Source(source), source) if source in Source._value2member_map_ else source
        groups["by_source"][label] = n
    return groups
