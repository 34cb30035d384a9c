"""矛盾纠纷排查化解台账 and 来访（首问）登记台账: both read the case table.

The case ledger lists every case the center handled in the period: those carried over (registered
before it and not yet 办结 when it began) and those registered in it, so its rows are 上期结转 +
本期新增. 办结 is the 办结时间 (Case.resolved_at); 化解结果 comes from resolution.resolution_of.
Matters recorded as outside the center's remit (不予受理/首问告知) are not disputes it handled: they
are listed in the 来访（首问）登记台账, with the guidance given.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import case, func, or_
from sqlmodel import Session, col, select

from bot import texts
from bot.services.case_access import can_view, sees_personal_data
from bot.services.case_card import UNLISTED
from bot.services.deadlines import Signal, signal
from bot.services.identity import mask_id_number, mask_phone
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
from bot.services.ledgers.sheet import Summary
from bot.services.people import PersonView
from bot.services.resolution import Resolution, resolution_of
from bot.services.upward_reports import EVENT as UPWARD
from bot.texts import ledgers as words
from models import AuditEvent, Case, CaseParty, CaseStatus, Severity, Source, SupervisionNotice

RESOLUTIONS = tuple(Resolution)  # the summary's split, in the ledger's order
VISIT_SOURCES = (Source.visit, Source.call, Source.letter, Source.online)
DESCRIPTION_MAX = 200  # 简要情况: the start of the description, as a clerk would write it

# The columns read for a row (never whole ORM objects: nothing accumulates in the session).
_ROW = (Case.id, Case.number, Case.created_at, Case.source, Case.type_id, Case.village_id, Case.grid_id,
        Case.description, Case.handler_id, Case.unit_id, Case.leader_id, Case.reporter_id, Case.first_inquiry_id,
        Case.confidential, Case.status, Case.due_at, Case.resolved_at, Case.outcome, Case.reply_method,
        Case.replied_at, Case.satisfaction, Case.transfer_to, Case.guidance, Case.request, Case.severity,
        Case.urgent, Case.address, Case.latitude, Case.longitude, Case.occurred_at, Case.people_count,
        Case.people_count_approx, Case.amount, Case.mediation_plan, Case.result, Case.agreement, Case.yellow_at,
        Case.paused_at)


@dataclass(frozen=True)
class Part:
    """One ledger's content, handed to sheet.write."""

    headers: tuple[tuple[str, int], ...]
    summary: Summary
    hidden: int
    rows: Iterator[list]


def _count(session: Session, *where) -> int:
    return session.exec(select(func.count()).select_from(Case).where(*where)).one()


def _by_result(session: Session, *where) -> tuple[int, tuple[int, ...]]:
    counts = dict.fromkeys(RESOLUTIONS, 0)
    for outcome, n in session.exec(select(Case.outcome, func.count()).where(*where).group_by(Case.outcome)):
        result = resolution_of(outcome)
        if result is not None:
            counts[result] += n
    return sum(counts.values()), tuple(counts[r] for r in RESOLUTIONS)


def _short(text: str | None, limit: int = DESCRIPTION_MAX) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _parties(session: Session, ids: list[int]) -> dict[int, list[tuple[str, str | None, str | None]]]:
    found = defaultdict(list)
    stmt = (select(CaseParty.case_id, CaseParty.name, CaseParty.phone, CaseParty.id_number)
            .where(col(CaseParty.case_id).in_(ids)).order_by(col(CaseParty.id)))
    for case_id, name, phone, id_number in session.exec(stmt):
        found[case_id].append((name, phone, id_number))
    return found


def party_text(parties, unmasked: bool) -> str:
    """当事人: names always; phone and ID number in full only for those who may see them."""
    out = []
    for name, phone, id_number in parties:
        extra = [v if unmasked else masked for v, masked in
                 ((phone, mask_phone(phone)), (id_number, mask_id_number(id_number))) if v]
        out.append(f"{name}（{'，'.join(extra)}）" if extra else name)
    return "；".join(out)


def _rows(session: Session, viewer: PersonView, stmt, build) -> Iterator[list]:
    for batch in batches(session, stmt, Case.id):
        ids = [r.id for r in batch]
        parties = _parties(session, ids)
        extra = build.prepare(session, ids)
        for r in batch:
            if not can_view(viewer, r):  # the SQL already left these out; the case card's rule has the last word
                continue
            yield build.row(r, party_text(parties.get(r.id, ()), sees_personal_data(viewer, r)), extra)


# --- 矛盾纠纷排查化解台账 ----------------------------------------------------------------------


class _CaseRow:
    def __init__(self, names: Names, tz: ZoneInfo, now: datetime):
        self.names, self.tz, self.now = names, tz, now

    @staticmethod
    def prepare(session: Session, ids: list[int]):
        """Per batch: each case's 督办 numbers, and its latest event (进展) with whether it was ever
        上报上级 (备注), two queries. A 上报上级 is itself a listed event, so a case that has one has
        a latest event to carry the mark."""
        notices = defaultdict(list)
        for case_id, number in session.exec(select(SupervisionNotice.case_id, SupervisionNotice.number)
                                            .where(col(SupervisionNotice.case_id).in_(ids))
                                            .order_by(col(SupervisionNotice.id))):
            notices[case_id].append(number)
        latest = (select(AuditEvent.subject_id, func.max(AuditEvent.id).label("id"),
                         func.max(case((AuditEvent.action == UPWARD, 1), else_=0)).label("upward"))
                  .where(AuditEvent.subject_type == "case", col(AuditEvent.subject_id).in_(ids),
                         col(AuditEvent.action).not_in(UNLISTED))
                  .group_by(AuditEvent.subject_id).subquery())
        progress, upward = {}, set()
        for case_id, at, actor_id, action, details, reported in session.exec(
                select(AuditEvent.subject_id, AuditEvent.at, AuditEvent.actor_id, AuditEvent.action,
                       AuditEvent.details, latest.c.upward).join(latest, AuditEvent.id == latest.c.id)):
            progress[case_id] = (at, actor_id, action, details)
            if reported:
                upward.add(case_id)
        return notices, progress, upward

    def _progress(self, event) -> str:
        """The case's latest step, as its card's history shows it; a 督办's content stays on the notice."""
        if event is None:
            return ""
        at, actor_id, action, details = event
        action = action.removeprefix("case.")
        note = "" if details.get("notice_id") else " ".join(str(details.get("note") or "").split())
        return _short(words.CASE_PROGRESS.format(
            at=moment(at, self.tz), who=self.names.person(actor_id), action=texts.ACTION_LABELS.get(action, action),
            note=f"：{note}" if note else ""), 60)

    def row(self, r, parties: str, extra) -> list:
        notices, progress, upward = extra
        n, tz = self.names, self.tz
        unit, handler = n.units.get(r.unit_id or 0, ""), n.person(r.handler_id)
        if r.status == CaseStatus.transferred and r.transfer_to:
            unit = words.VISIT_TRANSFERRED.format(to=r.transfer_to)
        place = (r.address or "") + (words.CASE_GPS.format(lat=r.latitude, lon=r.longitude)
                                     if r.latitude is not None and r.longitude is not None else "")
        result = resolution_of(r.outcome)
        outcome = "，".join(p for p in (r.outcome, r.agreement) if p)
        measures = "；".join(p for p in (words.CASE_PLAN.format(text=r.mediation_plan) if r.mediation_plan else "",
                                        r.result or "") if p)
        shade = signal(r.status, r.due_at, r.yellow_at, r.paused_at, self.now) or Signal.grey
        remarks = [words.CASE_LATE] if r.resolved_at and late(r.due_at, r.resolved_at, self.now) == words.YES else []
        if notices.get(r.id):
            remarks.append(words.CASE_NOTICES.format(numbers="、".join(notices[r.id])))
        if r.id in upward:
            remarks.append(words.CASE_UPWARD)
        summary = "\n".join(p for p in (_short(r.description),
                                        words.CASE_REQUEST.format(text=_short(r.request)) if r.request else "") if p)
        return [r.number, moment(r.created_at, tz), n.person(r.reporter_id),
                texts.SOURCE_LABELS.get(Source(r.source), r.source), n.place(r.village_id, r.grid_id), place,
                moment(r.occurred_at, tz), parties,
                texts.people_count_label(r.people_count, r.people_count_approx) if r.people_count else "",
                float(r.amount) if r.amount is not None else "", n.types.get(r.type_id, ""),
                texts.SEVERITY_LABELS.get(Severity(r.severity), r.severity), words.URGENT if r.urgent else words.NOT_URGENT,
                summary, unit, handler, n.person(r.leader_id), _short(measures), day(r.due_at, tz),
                moment(r.resolved_at, tz), self._progress(progress.get(r.id)),
                words.CASE_RESULT.format(result=result.value, outcome=outcome) if result else "",
                " ".join(p for p in (r.reply_method or "", day(r.replied_at, tz)) if p), r.satisfaction or "",
                words.CASE_STATE.format(colour=words.SIGNAL_WORDS[shade.value],
                                        status=texts.STATUS_LABELS.get(CaseStatus(r.status), r.status)),
                "；".join(remarks)]


def case_ledger(session: Session, *, viewer: PersonView, period: Period, scope: Scope, now: datetime,
                tz: ZoneInfo, names: Names) -> Part:
    start, end = period.bounds(tz)
    year = period.year_start(tz)
    handled = Case.status != CaseStatus.out_of_scope
    in_scope = [handled, *scope_where(scope)]
    carried = _count(session, *in_scope, Case.created_at < start,
                     or_(col(Case.resolved_at).is_(None), Case.resolved_at >= start))
    new = _count(session, *in_scope, Case.created_at >= start, Case.created_at < end)
    done, done_split = _by_result(session, *in_scope, Case.resolved_at >= start, Case.resolved_at < end)
    year_new = _count(session, *in_scope, Case.created_at >= year, Case.created_at < end)
    year_done, year_split = _by_result(session, *in_scope, Case.resolved_at >= year, Case.resolved_at < end)
    open_at_end = _count(session, *in_scope, Case.created_at < end,
                         or_(col(Case.resolved_at).is_(None), Case.resolved_at >= end))
    label_carried, label_new, label_done = words.summary_labels(period.kind)
    summary = Summary(split=tuple(r.value for r in RESOLUTIONS), lines=(
        (label_carried, carried, None), (label_new, new, None), (label_done, done, done_split),
        (words.OPEN_AT_END, open_at_end, None),
        (words.CUMULATIVE_NEW, year_new, None), (words.CUMULATIVE_DONE, year_done, year_split),
    ))
    listed = [*in_scope, Case.created_at < end, or_(col(Case.resolved_at).is_(None), Case.resolved_at >= start)]
    hidden = _count(session, *listed, hidden_clause(viewer))
    stmt = select(*_ROW).where(*listed)
    if (clause := visible(viewer)) is not None:
        stmt = stmt.where(clause)
    return Part(headers=words.CASE_HEADERS, summary=summary, hidden=hidden,
                rows=_rows(session, viewer, stmt, _CaseRow(names, tz, now)))


# --- 来访（首问）登记台账 -------------------------------------------------------------------------


class _VisitRow:
    def __init__(self, names: Names, tz: ZoneInfo):
        self.names, self.tz = names, tz

    @staticmethod
    def prepare(session: Session, ids: list[int]):
        return None

    def row(self, r, parties: str, extra) -> list:
        n = self.names
        in_scope = r.status != CaseStatus.out_of_scope
        if not in_scope:
            handling = r.guidance or ""
        elif r.status == CaseStatus.transferred and r.transfer_to:
            handling = words.VISIT_TRANSFERRED.format(to=r.transfer_to)
        else:
            handling = n.person(r.handler_id) or n.units.get(r.unit_id or 0, "")
        return [r.number, moment(r.created_at, self.tz), texts.SOURCE_LABELS.get(Source(r.source), r.source),
                parties, n.place(r.village_id), _short(r.request or r.description),
                n.person(r.first_inquiry_id or r.reporter_id), words.YES if in_scope else words.NO, handling,
                texts.STATUS_LABELS.get(CaseStatus(r.status), r.status)]


def visit_ledger(session: Session, *, viewer: PersonView, period: Period, scope: Scope, now: datetime,
                 tz: ZoneInfo, names: Names) -> Part:
    """Every visit, call, letter and online matter received in the period, and every matter
    recorded as outside the center's remit (首问负责: the guidance given is the row's 处理情况)."""
    start, end = period.bounds(tz)
    year = period.year_start(tz)
    walked_in = or_(col(Case.source).in_(VISIT_SOURCES), Case.status == CaseStatus.out_of_scope)
    in_scope = [walked_in, *scope_where(scope)]
    new = _count(session, *in_scope, Case.created_at >= start, Case.created_at < end)
    told = _count(session, *in_scope, Case.status == CaseStatus.out_of_scope, Case.created_at >= start,
                  Case.created_at < end)
    year_new = _count(session, *in_scope, Case.created_at >= year, Case.created_at < end)
    label_new, label_accepted, label_told, label_year = words.VISIT_SUMMARY
    summary = Summary(split=(), lines=((label_new, new, None), (label_accepted, new - told, None),
                                       (label_told, told, None), (label_year, year_new, None)))
    listed = [*in_scope, Case.created_at >= start, Case.created_at < end]
    hidden = _count(session, *listed, hidden_clause(viewer))
    stmt = select(*_ROW).where(*listed)
    if (clause := visible(viewer)) is not None:
        stmt = stmt.where(clause)
    return Part(headers=words.VISIT_HEADERS, summary=summary, hidden=hidden,
                rows=_rows(session, viewer, stmt, _VisitRow(names, tz)))
