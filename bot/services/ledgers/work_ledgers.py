"""督办台账, 领导包案台账, 信息报告台账 and 值班台账: the center's work around the cases.

Each row that is about a case follows the case's visibility (a confidential case's notice, 包案 or
report is listed only for those who may see the case; others get the count line).
"""

from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from bot import texts
from bot.services import (
    announcements,
    assignments,
    baoan,
    contact_points,
    decisions,
    info_reports,
    supervision,
    upward_reports,
)
from bot.services.assessment import teams
from bot.services.case_access import can_view
from bot.services.ledgers.base import (
    Names,
    Period,
    Scope,
    batches,
    day,
    hidden_clause,
    late,
    moment,
    scope_where,
    visible,
)
from bot.services.ledgers.case_ledgers import RESOLUTIONS, Part
from bot.services.ledgers.flow_ledgers import instructions_of
from bot.services.ledgers.sheet import Summary
from bot.services.people import PersonView
from bot.services.resolution import resolution_of
from bot.texts import ledgers as words
from bot.texts.assessment import RESULT_LABELS
from models import (
    AuditEvent,
    BaoanRequest,
    BaoanStatus,
    CampaignResult,
    Case,
    DutyRole,
    DutyShift,
    InfoReport,
    NoticeLevel,
    SupervisionNotice,
)

# What can_view reads of the case, selected alongside each row.
_CASE = (Case.number, Case.confidential, Case.handler_id, Case.leader_id, Case.unit_id, Case.reporter_id,
         Case.village_id, Case.first_inquiry_id)
LEVELS = tuple(NoticeLevel)


def _rows(session: Session, viewer: PersonView, stmt, key, row) -> Iterator[list]:
    for batch in batches(session, stmt, key):
        for r in batch:
            if can_view(viewer, r):
                yield row(r)


def _filtered(stmt, viewer: PersonView):
    clause = visible(viewer)
    return stmt if clause is None else stmt.where(clause)


# --- 督办台账 ---------------------------------------------------------------------------------


def notice_ledger(session: Session, *, viewer: PersonView, period: Period, scope: Scope, now: datetime,
                  tz: ZoneInfo, names: Names) -> Part:
    """Every 督办通知书 open during the period (carried over, or issued in it); 办结 is its closing."""
    start, end = period.bounds(tz)
    year = period.year_start(tz)
    n = SupervisionNotice
    where = scope_where(scope, unit_column=n.unit_id)

    def count(*conditions) -> int:
        stmt = select(func.count()).select_from(n).join(Case, Case.id == n.case_id).where(*where, *conditions)
        return session.exec(stmt).one()

    def by_level(*conditions) -> tuple[int, tuple[int, ...]]:
        split = tuple(count(*conditions, n.level == level) for level in LEVELS)
        return sum(split), split

    open_at_start = or_(col(n.closed_at).is_(None), n.closed_at >= start)
    carried = count(n.issued_at < start, open_at_start)
    new, new_split = by_level(n.issued_at >= start, n.issued_at < end)
    done, done_split = by_level(n.closed_at >= start, n.closed_at < end)
    still_open = count(n.issued_at < end, or_(col(n.closed_at).is_(None), n.closed_at >= end))
    year_new, year_split = by_level(n.issued_at >= year, n.issued_at < end)
    year_done, year_done_split = by_level(n.closed_at >= year, n.closed_at < end)
    label_carried, label_new, label_done = words.summary_labels(period.kind)
    summary = Summary(split=tuple(words.NOTICE_LEVELS[level] for level in LEVELS), lines=(
        (label_carried, carried, None), (label_new, new, new_split), (label_done, done, done_split),
        (words.OPEN_AT_END, still_open, None), (words.CUMULATIVE_NEW, year_new, year_split),
        (words.CUMULATIVE_DONE, year_done, year_done_split)))
    listed = [n.issued_at < end, open_at_start]
    # The rows obey the notice card's rule too (supervision.may_see): a 承办人员 lists only their own.
    mine = supervision.visible_notices(viewer)
    hidden = count(*listed, hidden_clause(viewer) if mine is None else or_(hidden_clause(viewer), ~mine))
    stmt = _filtered(select(n.id, n.number.label("notice_number"), n.issued_at, n.level, n.source, n.case_summary,
                            n.unit_id.label("notice_unit_id"), n.assignee_id, n.requirements, n.due_at.label("notice_due_at"),
                            n.signed_at, n.status.label("notice_status"), n.closed_at, *_CASE)
                     .join(Case, Case.id == n.case_id).where(*where, *listed, *([] if mine is None else [mine])),
                     viewer)

    # 请示及答复 (issue 16): the listed notices' 请示 and answers, read once
    asked = instructions_of(session, list(session.exec(select(n.id).join(Case, Case.id == n.case_id)
                                                       .where(*where, *listed))), tz=tz, names=names)

    def row(r) -> list:
        return [r.notice_number, moment(r.issued_at, tz), words.NOTICE_LEVELS.get(r.level, r.level),
                words.NOTICE_SOURCES.get(r.source, r.source), r.number, r.case_summary,
                names.units.get(r.notice_unit_id, "") or names.person(r.assignee_id), r.requirements, day(r.notice_due_at, tz),
                moment(r.signed_at, tz), words.NOTICE_STATUS.get(r.notice_status, r.notice_status),
                moment(r.closed_at, tz), late(r.notice_due_at, r.closed_at, now), asked.get(r.id, "")]

    return Part(headers=(*words.NOTICE_HEADERS, words.INSTRUCTION_HEADER), summary=summary, hidden=hidden,
                rows=_rows(session, viewer, stmt, n.id, row))


# --- 领导包案台账 -----------------------------------------------------------------------------


def baoan_ledger(session: Session, *, viewer: PersonView, period: Period, scope: Scope, now: datetime,
                 tz: ZoneInfo, names: Names) -> Part:
    """Every 包案 proposal made in the period, and every approved one whose case was still open
    when it began. The figures count approved 包案 (批准 is when it starts); 办结 is the case's."""
    start, end = period.bounds(tz)
    year = period.year_start(tz)
    b = BaoanRequest
    where = scope_where(scope)
    approved = b.status == BaoanStatus.approved

    def count(*conditions) -> int:
        stmt = select(func.count()).select_from(b).join(Case, Case.id == b.case_id).where(*where, *conditions)
        return session.exec(stmt).one()

    def by_result(*conditions) -> tuple[int, tuple[int, ...]]:
        counts = dict.fromkeys(RESOLUTIONS, 0)
        stmt = (select(Case.outcome, func.count()).select_from(b).join(Case, Case.id == b.case_id)
                .where(*where, *conditions).group_by(Case.outcome))
        for outcome, k in session.exec(stmt):
            if (result := resolution_of(outcome)) is not None:
                counts[result] += k
        return sum(counts.values()), tuple(counts[r] for r in RESOLUTIONS)

    open_at_start = or_(col(Case.resolved_at).is_(None), Case.resolved_at >= start)
    proposed = count(b.created_at >= start, b.created_at < end)
    carried = count(approved, b.decided_at < start, open_at_start)
    new = count(approved, b.decided_at >= start, b.decided_at < end)
    done, done_split = by_result(approved, Case.resolved_at >= start, Case.resolved_at < end)
    still_open = count(approved, b.decided_at < end, or_(col(Case.resolved_at).is_(None), Case.resolved_at >= end))
    year_new = count(approved, b.decided_at >= year, b.decided_at < end)
    year_done, year_split = by_result(approved, Case.resolved_at >= year, Case.resolved_at < end)
    label_carried, label_new, label_done = words.summary_labels(period.kind)
    summary = Summary(split=tuple(r.value for r in RESOLUTIONS), lines=(
        (words.BAOAN_PROPOSED, proposed, None), (label_carried, carried, None), (label_new, new, None),
        (label_done, done, done_split), (words.OPEN_AT_END, still_open, None),
        (words.CUMULATIVE_NEW, year_new, None), (words.CUMULATIVE_DONE, year_done, year_split)))
    listed = [or_(b.created_at >= start, approved & (b.decided_at < start) & open_at_start), b.created_at < end]
    hidden = count(*listed, hidden_clause(viewer))
    stmt = _filtered(select(b.id, b.case_id, b.created_at, b.proposer_id, b.proposed_leader_id, b.reason, b.status,
                            b.decided_by_id, b.decided_at, b.chosen_leader_id, b.refusal_reason, Case.description,
                            Case.mediation_plan, Case.due_at, Case.resolved_at, Case.outcome, *_CASE)
                     .join(Case, Case.id == b.case_id).where(*where, *listed), viewer)

    upper = _upper_notes(session, end, tz)

    def row(r) -> list:
        result = resolution_of(r.outcome) if r.status == BaoanStatus.approved else None
        leader = names.person(r.chosen_leader_id or r.leader_id) if r.status == BaoanStatus.approved else ""
        return [r.number, _short(r.description), moment(r.created_at, tz), names.person(r.proposer_id),
                names.person(r.proposed_leader_id), r.reason, words.BAOAN_STATUS.get(r.status, r.status),
                names.person(r.decided_by_id), moment(r.decided_at, tz), leader,
                r.mediation_plan or "" if leader else "", "\n".join(upper.get(r.case_id, [])) if leader else "",
                day(r.due_at, tz) if leader else "",
                moment(r.resolved_at, tz) if leader else "", result.value if result else ""]

    return Part(headers=words.BAOAN_HEADERS, summary=summary, hidden=hidden,
                rows=_rows(session, viewer, stmt, b.id, row))


def _upper_notes(session: Session, end: datetime, tz: ZoneInfo) -> dict[int, list[str]]:
    """Each case's 上级协调 records made before the period ended, oldest first: few, so read at once."""
    found: dict[int, list[str]] = {}
    stmt = (select(AuditEvent.subject_id, AuditEvent.at, AuditEvent.details)
            .where(AuditEvent.subject_type == "case", AuditEvent.action == baoan.UPPER_ACTION, AuditEvent.at < end)
            .order_by(col(AuditEvent.at), col(AuditEvent.id)))
    for case_id, at, details in session.exec(stmt):
        note = words.BAOAN_UPPER.format(day=day(at, tz), note=_short(details.get("note"), 60))
        found.setdefault(case_id, []).append(note)
    return found


def _short(text: str | None, limit: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- 信息报告台账 -----------------------------------------------------------------------------


def report_ledger(session: Session, *, viewer: PersonView, period: Period, scope: Scope, now: datetime,
                  tz: ZoneInfo, names: Names) -> Part:
    """Every 信息报告 (初报/续报/终报) opened in the period; 按时 is submitted by its due time."""
    start, end = period.bounds(tz)
    r_ = InfoReport
    where = [*scope_where(scope), r_.created_at >= start, r_.created_at < end]
    kinds = tuple(words.REPORT_KINDS)
    tally = {line: Counter() for line in words.REPORT_SUMMARY}
    due_all, sent, on_time, late_sent, unsent = words.REPORT_SUMMARY
    stmt = select(r_.kind, r_.due_at, r_.submitted_at).join(Case, Case.id == r_.case_id).where(*where)
    for kind, due_at, submitted_at in session.exec(stmt):  # reports are few: one pass over the period's
        tally[due_all][kind] += 1
        if submitted_at is None:
            tally[unsent][kind] += 1
            continue
        tally[sent][kind] += 1
        tally[on_time if due_at is None or submitted_at <= due_at else late_sent][kind] += 1
    summary = Summary(split=tuple(words.REPORT_KINDS.values()), lines=tuple(
        (line, sum(tally[line].values()), tuple(tally[line][k] for k in kinds)) for line in words.REPORT_SUMMARY))
    hidden = session.exec(select(func.count()).select_from(r_).join(Case, Case.id == r_.case_id)
                          .where(*where, hidden_clause(viewer))).one()
    upward = _upward_by_report(session, end, tz)
    rows = _filtered(select(r_.id, r_.kind, r_.seq, r_.fields, r_.due_at.label("report_due_at"), r_.submitted_at,
                            r_.submitted_by_id, Case.type_id, *_CASE)
                     .join(Case, Case.id == r_.case_id).where(*where), viewer)

    def row(r) -> list:
        fields = r.fields or {}
        if r.submitted_at is None:
            timely = words.REPORT_UNSENT
        else:
            timely = words.NO if r.report_due_at is not None and r.submitted_at > r.report_due_at else words.YES
        # the phone report is the 初报's (info_reports.record_phone); 续报 and 终报 have none
        phone = ""
        if r.kind == "first":
            phone = moment(phoned, tz) if (phoned := info_reports.phoned_at(fields)) else words.REPORT_NOT_PHONED
        return [r.number, names.types.get(r.type_id, ""), words.REPORT_KINDS.get(r.kind, r.kind), r.seq, phone,
                moment(r.report_due_at, tz), moment(r.submitted_at, tz), names.person(r.submitted_by_id), timely,
                "\n".join(upward.get(r.id, ())), fields.get("place", ""), _short(fields.get("cause", ""))]

    return Part(headers=words.REPORT_HEADERS, summary=summary, hidden=hidden,
                rows=_rows(session, viewer, rows, r_.id, row))


def _upward_by_report(session: Session, end: datetime, tz: ZoneInfo) -> dict[int, list[str]]:
    """Each 上报上级 record made before the period ended, under the case's report it followed (the
    latest report opened before it; the 初报 for one made earlier). Records are few: read at once."""
    by_case: dict[int, list[tuple[datetime, str]]] = {}
    stmt = (select(AuditEvent.subject_id, AuditEvent.at, AuditEvent.details)
            .where(AuditEvent.subject_type == "case", AuditEvent.action == upward_reports.EVENT, AuditEvent.at < end)
            .order_by(col(AuditEvent.at), col(AuditEvent.id)))
    for case_id, at, details in session.exec(stmt):
        text = words.REPORT_UPWARD.format(departments="、".join(details.get("departments") or ()),
                                          way=details.get("way") or "", at=moment(at, tz))
        by_case.setdefault(case_id, []).append((at, text))
    found: dict[int, list[str]] = {}
    if not by_case:
        return found
    reports = session.exec(select(InfoReport.case_id, InfoReport.id, InfoReport.created_at)
                           .where(col(InfoReport.case_id).in_(list(by_case)))
                           .order_by(col(InfoReport.case_id), col(InfoReport.id)))
    opened: dict[int, list[tuple[int, datetime]]] = {}
    for case_id, report_id, created_at in reports:
        opened.setdefault(case_id, []).append((report_id, created_at))
    for case_id, entries in by_case.items():
        for at, text in entries:
            shown = [rid for rid, created_at in opened.get(case_id, ()) if created_at <= at]
            target = shown[-1] if shown else opened.get(case_id, [(None, None)])[0][0]
            if target is not None:
                found.setdefault(target, []).append(text)
    return found


# --- 会议台账 ---------------------------------------------------------------------------------


def meeting_ledger(session: Session, *, viewer: PersonView, period: Period, scope: Scope, now: datetime,
                   tz: ZoneInfo, names: Names) -> Part:
    """One row per meeting of the period (issue 15): the rows are the meetings' own (decisions.ledger_rows),
    which never show an important decision still awaiting the 党委会议."""
    found = decisions.ledger_rows(session, start=period.start, end=period.end, tz=tz)
    meetings_n, present_n, decided_n, closed_n = words.MEETING_SUMMARY
    summary = Summary(split=(), lines=(
        (meetings_n, len(found), None), (present_n, sum(r.present for r in found), None),
        (decided_n, sum(r.decisions for r in found), None), (closed_n, sum(r.closed for r in found), None)))
    rows = ([r.name, r.when, r.place, r.chair, r.present, r.on_leave, r.decisions, r.closed, r.status, r.note]
            for r in found)
    return Part(headers=words.MEETING_HEADERS, summary=summary, hidden=0, rows=rows)


# --- 传达台账 ---------------------------------------------------------------------------------


def announcement_ledger(session: Session, *, viewer: PersonView, period: Period, scope: Scope, now: datetime,
                        tz: ZoneInfo, names: Names) -> Part:
    """One row per 传达 sent in the period (announcements.ledger_rows), with who has not read it."""
    found = announcements.ledger_rows(session, start=period.start, end=period.end, tz=tz)
    sent_n, due_n, read_n = words.ANNOUNCE_SUMMARY
    summary = Summary(split=(), lines=(
        (sent_n, len(found), None), (due_n, sum(r.total for r in found), None), (read_n, sum(r.read for r in found), None)))
    rows = ([r.when, r.kind, r.sender, r.content, r.audience, r.total, r.read, r.attend, r.on_leave, r.note]
            for r in found)
    return Part(headers=words.ANNOUNCE_HEADERS, summary=summary, hidden=0, rows=rows)


# --- 上级交办事项台账 (issue 16) -------------------------------------------------------------------


def assignment_ledger(session: Session, *, viewer: PersonView, period: Period, scope: Scope, now: datetime,
                      tz: ZoneInfo, names: Names) -> Part:
    """One row per 交办 recorded in the period: who assigned it, the reference and deadline, and when
    and how the report back went (按时 when on or before the assigner's deadline)."""
    found, hidden = assignments.ledger_rows(session, viewer=viewer, start=period.start, end=period.end, tz=tz,
                                            status_labels=texts.STATUS_LABELS)
    if scope.village_id is not None or scope.unit_id is not None:
        found = [r for r in found if r.number in _in_scope(session, scope, [r.number for r in found])]
    total_n, done_n, sent_n, on_time_n = words.ASSIGNMENT_SUMMARY
    summary = Summary(split=(), lines=(
        (total_n, len(found), None), (done_n, sum(1 for r in found if r.resolved), None),
        (sent_n, sum(1 for r in found if r.reported), None), (on_time_n, sum(1 for r in found if r.on_time == "按时"), None)))
    rows = ([r.number, r.recorded, r.assigner, r.reference, r.summary, r.due, r.handler, r.status, r.resolved,
             r.reported, r.on_time] for r in found)
    return Part(headers=words.ASSIGNMENT_HEADERS, summary=summary, hidden=hidden, rows=rows)


def _in_scope(session: Session, scope: Scope, numbers: list[str]) -> set[str]:
    if not numbers:
        return set()
    return set(session.exec(select(Case.number).where(col(Case.number).in_(numbers), *scope_where(scope))))


# --- 值班台账 ---------------------------------------------------------------------------------


def duty_ledger(session: Session, *, viewer: PersonView, period: Period, scope: Scope, now: datetime,
                tz: ZoneInfo, names: Names) -> Part:
    """One row per day on the roster: who was on duty, the leader on call, and the cases registered
    that day (all of them, confidential ones included: a count shows nobody's matter)."""
    shifts: dict = {}
    stmt = (select(DutyShift.day, DutyShift.role, DutyShift.person_id)
            .where(DutyShift.day >= period.start, DutyShift.day <= period.end)
            .order_by(col(DutyShift.day), col(DutyShift.id)))
    for when, role, person_id in session.exec(stmt):  # at most a few rows a day, for at most a year
        shifts.setdefault(when, {DutyRole.duty: [], DutyRole.leader: []})[DutyRole(role)].append(person_id)

    def cases_on(when) -> tuple[int, int]:
        begin = datetime.combine(when, datetime.min.time(), tzinfo=tz)
        stmt = (select(func.count(), func.count().filter(col(Case.urgent).is_(True))).select_from(Case)
                .where(*scope_where(scope), Case.created_at >= begin, Case.created_at < begin + timedelta(days=1)))
        total, urgent = session.exec(stmt).one()
        return total, urgent or 0

    counts = {when: cases_on(when) for when in shifts}
    days_, duty_n, leader_n, case_n, urgent_n = words.DUTY_SUMMARY
    summary = Summary(split=(), lines=(
        (days_, len(shifts), None),
        (duty_n, sum(len(s[DutyRole.duty]) for s in shifts.values()), None),
        (leader_n, sum(len(s[DutyRole.leader]) for s in shifts.values()), None),
        (case_n, sum(c[0] for c in counts.values()), None), (urgent_n, sum(c[1] for c in counts.values()), None)))

    def rows() -> Iterator[list]:
        for when, s in shifts.items():
            total, urgent = counts[when]
            yield [words.date_text(when), words.WEEKDAYS[when.weekday()],
                   "、".join(names.person(p) for p in s[DutyRole.duty]),
                   "、".join(names.person(p) for p in s[DutyRole.leader]), total, urgent, ""]

    return Part(headers=words.DUTY_HEADERS, summary=summary, hidden=0, rows=rows())


# --- 平安创建台账 -------------------------------------------------------------------------------


def campaign_ledger(session: Session, *, viewer: PersonView, period: Period, scope: Scope, now: datetime,
                    tz: ZoneInfo, names: Names) -> Part:
    """One row per 平安创建 申报 made or reviewed in the period (teams.ledger_rows), by year, owner and kind."""
    start, end = period.bounds(tz)
    found = teams.ledger_rows(session, start=start, end=end, tz=tz, village_id=scope.village_id, unit_id=scope.unit_id)
    results = Counter(r.result for r in found)
    total_n, passed_n, failed_n, pending_n = words.CAMPAIGN_SUMMARY
    summary = Summary(split=(), lines=(
        (total_n, len(found), None), (passed_n, results[CampaignResult.passed], None),
        (failed_n, results[CampaignResult.failed], None), (pending_n, results[CampaignResult.pending], None)))
    rows = ([r.year, r.kind, r.name, r.owner, r.applied_by, r.applied_on, RESULT_LABELS[r.result], r.reviewed_by,
             r.reviewed_on] for r in found)
    return Part(headers=words.CAMPAIGN_HEADERS, summary=summary, hidden=0, rows=rows)


# --- 联系点工作台账 -------------------------------------------------------------------------------


def contact_ledger(session: Session, *, viewer: PersonView, period: Period, scope: Scope, now: datetime,
                   tz: ZoneInfo, names: Names) -> Part:
    """One row per contact-point work record of the period's days (contact_points.ledger_rows)."""
    found = contact_points.ledger_rows(session, start=period.start, end=period.end)
    records_n, villages_n, problems_n, answered_n = words.CONTACT_SUMMARY
    summary = Summary(split=(), lines=(
        (records_n, len(found), None), (villages_n, len({r.village for r in found}), None),
        (problems_n, sum(1 for r in found if r.problem), None),
        (answered_n, sum(1 for r in found if r.answered), None)))
    rows = ([words.date_text(r.done_on), r.village, r.who, r.work, r.content, r.problem, r.answer] for r in found)
    return Part(headers=words.CONTACT_HEADERS, summary=summary, hidden=0, rows=rows)
