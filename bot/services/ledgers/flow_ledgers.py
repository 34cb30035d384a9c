"""Ledgers of issue 16's other flows: the 上门受理登记台账 (one row per request) and the 会商记录 (one
row per 会商), and the 请示及答复 column of the 督办台账.

A home-visit request is not a case: its party is shown as the case card shows a case's parties to
this viewer (the name always, the phone in full only for the director and the secretary, or for
the staff member who recorded the request or goes on the visit). A 会商 belongs to a case: it is
listed only for a viewer who may see the case; the others are counted in the note line."""

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.services.access import UNMASKED
from bot.services.case_access import can_view
from bot.services.flow_counts import ANSWER, ASK
from bot.services.ledgers.base import Names, Period, Scope, day, moment
from bot.services.ledgers.case_ledgers import Part, party_text
from bot.services.ledgers.sheet import Summary
from bot.services.people import PersonView
from bot.texts import ledgers as words
from models import Case, CaseConsultation, HomeVisit, HomeVisitStatus, NoticeEntry


def home_visit_ledger(session: Session, *, viewer: PersonView, period: Period, scope: Scope, now: datetime,
                      tz: ZoneInfo, names: Names) -> Part:
    """Every 上门受理 request asked in the period, oldest first (a request has a village, not a unit)."""
    start, end = period.bounds(tz)
    where = [HomeVisit.requested_at >= start, HomeVisit.requested_at < end]
    if scope.village_id is not None:
        where.append(HomeVisit.village_id == scope.village_id)
    found = list(session.exec(select(HomeVisit).where(*where)
                              .order_by(col(HomeVisit.requested_at), col(HomeVisit.id))))
    refused = HomeVisitStatus.refused

    def decision(v: HomeVisit) -> str:
        if v.decided_at is None:
            return words.HOME_VISIT_PENDING
        said = words.HOME_VISIT_REFUSED.format(reason=v.refusal or "") if v.status == refused else words.HOME_VISIT_APPROVED
        return f"{said}（{names.person(v.decided_by_id)}，{day(v.decided_at, tz)}）"

    def row(i: int, v: HomeVisit) -> list:
        unmasked = viewer.has(*UNMASKED) or viewer.id in (v.requested_by_id, v.visitor_id)
        return [i, day(v.requested_at, tz), party_text([(v.party_name, v.phone, None)], unmasked),
                " ".join(p for p in (names.place(v.village_id), v.address) if p),
                v.reason + (f"：{v.note}" if v.note else ""), names.person(v.requested_by_id), decision(v),
                moment(v.done_at or v.visit_at, tz), names.person(v.visitor_id), v.received or ""]

    asked, approved, refused_n, done = words.HOME_VISIT_SUMMARY
    summary = Summary(split=(), lines=(
        (asked, len(found), None),
        (approved, sum(1 for v in found if v.decided_at is not None and v.status != refused), None),
        (refused_n, sum(1 for v in found if v.status == refused), None),
        (done, sum(1 for v in found if v.done_at is not None), None)))
    return Part(headers=words.HOME_VISIT_HEADERS, summary=summary, hidden=0,
                rows=iter([row(i, v) for i, v in enumerate(found, 1)]))


def consultation_ledger(session: Session, *, viewer: PersonView, period: Period, scope: Scope, now: datetime,
                        tz: ZoneInfo, names: Names) -> Part:
    """Every 会商 held in the period: the case, who took part (people and units), the conclusion."""
    start, end = period.bounds(tz)
    where = [CaseConsultation.held_at >= start, CaseConsultation.held_at < end]
    if scope.village_id is not None:
        where.append(Case.village_id == scope.village_id)
    if scope.unit_id is not None:  # the case's lead unit
        where.append(Case.unit_id == scope.unit_id)
    found = list(session.exec(select(CaseConsultation, Case).join(Case, Case.id == CaseConsultation.case_id)
                              .where(*where).order_by(col(CaseConsultation.held_at), col(CaseConsultation.id))))
    shown = [(c, case) for c, case in found if can_view(viewer, case)]
    rows = []
    for i, (c, case) in enumerate(shown, 1):
        who = "、".join(n for n in (*(names.person(p) for p in c.person_ids or ()),
                                   *(names.units.get(u, "") for u in c.unit_ids or ())) if n)
        rows.append([i, moment(c.held_at, tz), case.number, names.units.get(case.unit_id, "") if case.unit_id else "",
                     who, c.conclusion, names.person(c.recorded_by_id)])
    summary = Summary(split=(), lines=((words.CONSULT_SUMMARY, len(found), None),))
    return Part(headers=words.CONSULT_HEADERS, summary=summary, hidden=len(found) - len(shown), rows=iter(rows))


def instructions_of(session: Session, notice_ids: list[int], *, tz: ZoneInfo, names: Names) -> dict[int, str]:
    """督办台账 「请示及答复」: per notice, each 请示 and its answer, oldest first, on one line each."""
    out: dict[int, list[str]] = defaultdict(list)
    if not notice_ids:
        return {}
    stmt = (select(NoticeEntry).where(col(NoticeEntry.notice_id).in_(notice_ids),
                                      col(NoticeEntry.kind).in_((ASK, ANSWER)))
            .order_by(col(NoticeEntry.at), col(NoticeEntry.id)))
    for e in session.exec(stmt):
        template = words.INSTRUCTION_ASKED if e.kind == ASK else words.INSTRUCTION_ANSWERED
        out[e.notice_id].append(template.format(when=day(e.at, tz), who=names.person(e.actor_id), text=e.text))
    return {k: "\n".join(v) for k, v in out.items()}
