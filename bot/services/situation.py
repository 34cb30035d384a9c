"""社会治安形势分析 (信息报告制度 二.6 重大节日和敏感时期社会治安形势分析，采取措施及工作成效; 二.7 不同时期的
矛盾纠纷特点、成因及对策): the center writes one for a 节日 or 敏感期 (a draft is made, and the director
asked for it, when 排查's 节日 / 敏感期 daily returns are switched off), or for a month or a quarter.

The bot fills in the figures of the days (cases registered by category, urgent and 重大疑难, cases
办结, 信息报告 sent, the 排查 returns); the center's people write 形势分析, 采取的措施及成效 and 下步工作;
the director 报送 it to the party committee (its people and its group, as a 信息报告). The figures are
counted again and frozen when it is submitted. A 节日 / 敏感期 draft not submitted two working days on
is reminded to the director once.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.callbacks import SituationOpen
from bot.services import audit, outbox
from bot.services.access import CENTER
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.services.people import PersonView, get
from bot.services.recipients import tell, with_role
from bot.texts import situation as t
from bot.texts.notify import situation as notify
from models import (
    Case,
    CaseType,
    GroupChat,
    InfoReport,
    PaichaItem,
    PaichaPeriod,
    PaichaReturn,
    ReturnKind,
    Role,
    Severity,
    SituationKind,
    SituationReport,
)

WRITERS = CENTER  # the director, the center's leaders and staff
READERS = CENTER | {Role.secretary}
FIELDS = ("analysis", "measures", "next_steps")
FIELD_LENGTH = (10, 1200)
MAX_MESSAGE = 4096
CHASED = (SituationKind.holiday, SituationKind.sensitive)
REMIND_AFTER_DAYS = 2  # working days after the 节日 / 敏感期 ended
TOP_CATEGORIES = 5


def _actor(session: Session, actor_id: int, roles=READERS) -> PersonView:
    actor = get(session, person_id=actor_id)
    if not actor.active or not actor.has(*roles):
        raise NotAllowed(t.NOT_ALLOWED)
    return actor


def _load(session: Session, report_id: int, *, lock: bool = False) -> SituationReport:
    stmt = select(SituationReport).where(SituationReport.id == report_id)
    found = session.exec(stmt.with_for_update() if lock else stmt).first()
    if found is None:
        raise NotFound(t.STALE)
    return found


def period_of(kind: SituationKind, today: date) -> tuple[date, date]:
    """本月, or 本季度 (to its end), as of `today`."""
    if kind == SituationKind.month:
        first = today.replace(day=1)
    elif kind == SituationKind.quarter:
        first = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    else:
        raise InvalidInput(t.STALE)
    months = 1 if kind == SituationKind.month else 3
    after = date(first.year + (first.month + months - 1) // 12, (first.month + months - 1) % 12 + 1, 1)
    return first, after - timedelta(days=1)


def figures(session: Session, *, start: date, end: date, tz: ZoneInfo) -> dict:
    """The counts of the days [start, end] (local), confidential cases counted but never named."""
    lo = datetime.combine(start, time(0), tzinfo=tz)
    hi = datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz)
    new = session.exec(select(CaseType.category, Case.urgent, Case.severity).join(CaseType, CaseType.id == Case.type_id)
                       .where(Case.created_at >= lo, Case.created_at < hi)).all()
    resolved = session.exec(select(func.count()).select_from(Case)
                            .where(Case.resolved_at >= lo, Case.resolved_at < hi)).one()
    reports = session.exec(select(func.count()).select_from(InfoReport)
                           .where(InfoReport.submitted_at >= lo, InfoReport.submitted_at < hi)).one()
    # 排查: the returns due in the days (a period begun before them counts where it is due, once, as
    # /stats and the assessment count them: bot/services/paicha_counts.py)
    due_inside = (PaichaPeriod.due_day >= start, PaichaPeriod.due_day <= end)
    returns = session.exec(select(PaichaReturn.kind).join(PaichaPeriod, PaichaPeriod.id == PaichaReturn.period_id)
                           .where(*due_inside)).all()
    found = session.exec(select(func.count()).select_from(PaichaItem)
                         .join(PaichaReturn, PaichaReturn.id == PaichaItem.return_id)
                         .join(PaichaPeriod, PaichaPeriod.id == PaichaReturn.period_id)
                         .where(*due_inside)).one()
    return {
        "cases": len(new), "urgent": sum(1 for _, urgent, _ in new if urgent),
        "major": sum(1 for *_, severity in new if severity == Severity.major),
        "categories": [[name, n] for name, n in Counter(c for c, *_ in new).most_common(TOP_CATEGORIES)],
        "resolved": resolved, "info_reports": reports,
        "paicha_due": len(returns), "paicha_filed": sum(1 for k in returns if k is not None),
        "paicha_zero": sum(1 for k in returns if k == ReturnKind.zero), "paicha_found": found,
    }


def title(report: SituationReport) -> str:
    if report.kind in CHASED:
        return t.TITLE_PERIOD.format(label=t.KIND_LABELS[report.kind], span=t.span(report.start_day, report.end_day))
    if report.kind == SituationKind.month:
        return t.TITLE_MONTH.format(year=report.start_day.year, month=report.start_day.month)
    return t.TITLE_QUARTER.format(year=report.start_day.year, quarter=(report.start_day.month - 1) // 3 + 1)


def facts(report: SituationReport) -> tuple[str, ...]:
    """一、基本情况: the figures in sentences (the message and the filed copy say the same)."""
    f = report.figures
    categories = "、".join(t.CATEGORY.format(name=name, n=n) for name, n in f.get("categories", []))
    found = [t.FACTS.format(cases=f.get("cases", 0), urgent=f.get("urgent", 0), major=f.get("major", 0),
                            categories=t.CATEGORIES.format(list=categories) if categories else "",
                            resolved=f.get("resolved", 0), info_reports=f.get("info_reports", 0))]
    if f.get("paicha_due"):
        found.append(t.PAICHA.format(due=f["paicha_due"], filed=f["paicha_filed"], zero=f["paicha_zero"],
                                     found=f["paicha_found"]))
    return tuple(found)


def render(report: SituationReport, *, submitted_by: str = "", submitted_on: date | None = None) -> str:
    text = t.REPORT.format(title=title(report), span=t.span(report.start_day, report.end_day),
                           facts="\n".join(facts(report)))
    for head, field in zip(t.SECTION_HEADS, FIELDS, strict=True):
        text += t.SECTION.format(head=head, text=getattr(report, field) or t.EMPTY)
    if submitted_by and submitted_on:
        text += t.SUBMITTED_BY.format(who=submitted_by, day=t.cn_date(submitted_on))
    return text


@dataclass(frozen=True)
class ReportView:
    id: int
    title: str
    text: str  # plain text: the handler escapes it
    submitted: bool
    may_write: bool
    may_submit: bool


def view(session: Session, *, actor_id: int, report_id: int, tz: ZoneInfo) -> ReportView:
    actor = _actor(session, actor_id)
    report = _load(session, report_id)
    if report.submitted_at is None and not actor.has(*WRITERS):
        raise NotAllowed(t.NOT_ALLOWED)  # the secretary reads what was submitted to the committee
    by = get(session, person_id=report.submitted_by_id).name if report.submitted_by_id else ""
    draft = report.submitted_at is None
    text = render(report, submitted_by=by, submitted_on=None if draft else report.submitted_at.astimezone(tz).date())
    return ReportView(report.id, title(report), text, not draft, draft and actor.has(*WRITERS),
                      draft and actor.has(Role.director))


@dataclass(frozen=True)
class DocumentView:
    """The submitted analysis as a 报告 to the party committee (report_docx.build_docx)."""

    org: str
    title: str
    addressee: str
    paragraphs: tuple[tuple[str, tuple[str, ...]], ...]
    issued_on: str
    doc_number: str = ""


def document(session: Session, *, actor_id: int, report_id: int, tz: ZoneInfo, org: str) -> DocumentView:
    """The filed copy: only a submitted analysis, for whoever may read it."""
    _actor(session, actor_id)
    report = _load(session, report_id)
    if report.submitted_at is None:
        raise InvalidInput(t.NOT_SUBMITTED)
    sections = [(t.DOC_HEADS[0], facts(report))] + [
        (head, tuple(line for line in (getattr(report, field) or "").splitlines() if line.strip()))
        for head, field in zip(t.DOC_HEADS[1:], FIELDS, strict=True)]
    return DocumentView(org=org, title=title(report), addressee=t.ADDRESSEE,
                        paragraphs=((("", (t.DOC_INTRO.format(span=t.span(report.start_day, report.end_day)),)),
                                     *sections, ("", (t.DOC_CLOSING,)))),
                        issued_on=t.cn_date(report.submitted_at.astimezone(tz).date()))


@dataclass(frozen=True)
class Listing:
    drafts: tuple[tuple[int, str], ...]
    submitted: tuple[tuple[int, str], ...]  # the latest few
    may_start: bool


def listing(session: Session, *, actor_id: int, shown: int = 6) -> Listing:
    actor = _actor(session, actor_id)
    drafts = session.exec(select(SituationReport).where(col(SituationReport.submitted_at).is_(None))
                          .order_by(col(SituationReport.end_day).desc())).all() if actor.has(*WRITERS) else []
    done = session.exec(select(SituationReport).where(col(SituationReport.submitted_at).is_not(None))
                        .order_by(col(SituationReport.submitted_at).desc()).limit(shown)).all()
    return Listing(tuple((r.id, title(r)) for r in drafts), tuple((r.id, title(r)) for r in done),
                   actor.has(*WRITERS))


def open_draft(session: Session, *, actor_id: int, kind: SituationKind, start: date, end: date, now: datetime,
               tz: ZoneInfo) -> SituationReport:
    """The analysis of these days: the existing one, or a new draft with the figures filled in."""
    _actor(session, actor_id, WRITERS)
    if end < start or (end - start).days > 366:
        raise InvalidInput(t.STALE)
    found = session.exec(select(SituationReport).where(SituationReport.kind == kind, SituationReport.start_day == start,
                                                       SituationReport.end_day == end)).first()
    if found is not None:
        return found
    report = SituationReport(kind=kind, start_day=start, end_day=end, created_by_id=actor_id, created_at=now,
                             figures=figures(session, start=start, end=end, tz=tz))
    session.add(report)
    session.flush()
    audit.record(session, actor_id=actor_id, action="situation.open", subject_type="situation_report",
                 subject_id=report.id, now=now, kind=kind.value)
    return report


def after_sensitive(session: Session, *, actor_id: int, label: str, start: date, end: date, now: datetime,
                    tz: ZoneInfo) -> int:
    """排查's 节日 / 敏感期 switched off: its analysis drafted and the director asked for it."""
    report = open_draft(session, actor_id=actor_id, kind=SituationKind(label), start=start, end=end, now=now, tz=tz)
    text = notify.asked(title=title(report))
    return tell(session, with_role(session, Role.director), text, [[(t.BUTTON_OPEN, SituationOpen(report.id).pack())]],
                key=f"situation:{report.id}:asked", now=now)


def save_field(session: Session, *, actor_id: int, report_id: int, field: str, text: str) -> SituationReport:
    _actor(session, actor_id, WRITERS)
    report = _load(session, report_id, lock=True)
    if field not in FIELDS:
        raise InvalidInput(t.STALE)
    if report.submitted_at is not None:
        raise InvalidInput(t.ALREADY_SUBMITTED)
    value = (text or "").strip()
    if not FIELD_LENGTH[0] <= len(value) <= FIELD_LENGTH[1]:
        raise InvalidInput(t.BAD_FIELD.format(lo=FIELD_LENGTH[0], hi=FIELD_LENGTH[1]))
    setattr(report, field, value)
    session.add(report)
    return report


def submit(session: Session, *, actor_id: int, report_id: int, now: datetime, tz: ZoneInfo) -> SituationReport:
    """报送 by the director: the figures counted again and frozen; to the party committee's people and group."""
    actor = _actor(session, actor_id, {Role.director})
    report = _load(session, report_id, lock=True)
    if report.submitted_at is not None:
        raise InvalidInput(t.ALREADY_SUBMITTED)
    if gaps := [t.SECTION_HEADS[i] for i, f in enumerate(FIELDS) if not getattr(report, f)]:
        raise InvalidInput(t.MISSING.format(fields="、".join(gaps)))
    report.figures = figures(session, start=report.start_day, end=report.end_day, tz=tz)
    text = render(report, submitted_by=actor.name, submitted_on=now.astimezone(tz).date())
    if len(text) > MAX_MESSAGE:  # Telegram would refuse it: nobody would get it
        raise InvalidInput(t.TOO_LONG.format(size=len(text), limit=MAX_MESSAGE))
    report.submitted_at, report.submitted_by_id = now, actor.id
    session.add(report)
    body = notify.submitted(report=text)
    tell(session, with_role(session, Role.secretary) + with_role(session, Role.director), body, None,
         key=f"situation:{report.id}:sent", now=now, exclude=actor.id, urgent=False)
    for group in session.exec(select(GroupChat).where(GroupChat.purpose == "party_committee")):
        outbox.enqueue(session, chat_id=group.chat_id, text=body, now=now, key=f"situation:{report.id}:g{group.chat_id}")
    audit.record(session, actor_id=actor.id, action="situation.submit", subject_type="situation_report",
                 subject_id=report.id, now=now)
    return report


def sweep(session: Session, *, now: datetime, policy: DeadlinePolicy) -> int:
    """A 节日 / 敏感期 analysis still a draft two working days after its last day: the director, once."""
    cal = policy.calendar(session)
    if not cal.is_working_time(now):
        return 0
    sent = 0
    drafts = session.exec(select(SituationReport).where(col(SituationReport.submitted_at).is_(None),
                                                        col(SituationReport.reminded_at).is_(None),
                                                        col(SituationReport.kind).in_([k.value for k in CHASED])))
    for report in list(drafts):
        if cal.add_working_days(cal.at(report.end_day, time(12)), REMIND_AFTER_DAYS).at > now:
            continue
        report.reminded_at = now
        session.add(report)
        sent += tell(session, with_role(session, Role.director), notify.reminded(title=title(report)),
                     [[(t.BUTTON_OPEN, SituationOpen(report.id).pack())]], key=f"situation:{report.id}:remind",
                     now=now)
    return sent
