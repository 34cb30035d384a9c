"""信息报告 for major events: the first report (初报) is due within minutes of the event reaching
the center, then follow-ups (续报) and the final report (终报). Each submitted report goes to the
party committee's recipients (the secretary, and a registered group chat) and stays with the case.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from bot import texts
from bot.callbacks import InfoReportOpen, InfoReportPhoned
from bot.services import audit, outbox, people, reference, upward_reports
from bot.services.access import CENTER
from bot.services.case_access import can_view, reporter_view, visibility_filter, visible_case, writes_reports
from bot.services.cases import OPEN, find_by_number
from bot.services.deadlines import CENTER_TZ, DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.services.people import PersonView
from bot.services.recipients import tell, with_role
from bot.services.workdays import time_left
from bot.texts import notify
from models import Case, CaseStatus, CaseType, GroupChat, InfoReport, InfoReportKind, Person, Role

# The standard fields, in the order they are asked and printed.
FIELDS: list[tuple[str, str]] = [
    ("received_at", "接报时间"),
    ("source", "信息来源"),
    ("occurred", "发生时间"),
    ("place", "发生地点"),
    ("cause", "起因和性质"),
    ("course", "基本经过"),
    ("losses", "伤亡和损失"),
    ("scope", "影响范围"),
    ("trend", "发展趋势"),
    ("leaders", "到场领导"),
    ("measures", "已采取措施"),
    ("next_steps", "下一步工作"),
    ("reporter", "报告人及电话"),
]
FIELD_LABELS = dict(FIELDS)
REQUIRED = ("occurred", "place", "cause", "course", "measures", "reporter")
KIND_LABELS = {InfoReportKind.first: "初报", InfoReportKind.follow_up: "续报", InfoReportKind.final: "终报"}
MAX_FIELD = 1000
MAX_MESSAGE = 4000  # a submitted report goes out as one Telegram message (at most 4096 characters)
REMIND_BEFORE = timedelta(minutes=10)
# 办结 or later: the event is dealt with, so its reports must have been finished by a 终报 (sweep_final)
FINAL_DUE_IN = (CaseStatus.resolved, CaseStatus.replied, CaseStatus.archived)
WAITING_SHOWN = 10  # lines of /inforeport's own list; the rest is counted
# The 初报's phone report (电话报告) lives in its fields JSON, beside the typed fields (never printed,
# not typed: save_field takes FIELD_LABELS keys only): when it is due, when it was made and by whom.
PHONE_DUE, PHONED_AT, PHONED_BY = "phone_due", "phoned_at", "phoned_by"
PHONE_KEYS = (PHONE_DUE, PHONED_AT, PHONED_BY)


def open_first_report(session: Session, *, case: Case, reporter: Person | PersonView, now: datetime, minutes: int,
                      tz, phone_minutes: int | None = None) -> InfoReport | None:
    """Called when a case of a type that needs an information report is registered: the written 初报
    is due in `minutes`, the phone report before it in `phone_minutes` (None: no phone deadline, as
    for reports opened before it was kept)."""
    case_type = reference.case_type(session, case.type_id)
    if case_type is None or not case_type.needs_info_report:
        return None
    report = InfoReport(
        case_id=case.id, kind=InfoReportKind.first, seq=1, due_at=now + timedelta(minutes=minutes), created_at=now,
        fields={
            "received_at": now.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            "source": f"{reporter.name}上报",
            "place": case.address or "",
            "reporter": f"{reporter.name} {reporter.phone or ''}".strip(),
        },
    )
    if phone_minutes is not None:
        report.fields[PHONE_DUE] = (now + timedelta(minutes=phone_minutes)).astimezone(UTC).isoformat()
    session.add(report)
    session.flush()
    return report


def _readable(session: Session, actor_id: int, case_id: int, report: InfoReport | None = None):
    """The actor and the case, if they may read its reports. The reporter of a confidential case
    (cases.reporter_view) reads and fills the reports they are asked for, not those others sent."""
    actor, case = visible_case(session, actor_id, case_id, reporter=True)
    if report is not None and not _shown(actor, case, report):
        raise NotAllowed(texts.NO_ACCESS)
    return actor, case


def _shown(actor, case: Case, report) -> bool:
    """`report`: an InfoReport, or any row with its submitted_by_id (readable_count)."""
    return not reporter_view(actor, case) or report.submitted_by_id in (None, actor.id)


def _may_write(session: Session, actor_id: int, report: InfoReport):
    actor, case = _readable(session, actor_id, report.case_id, report)
    if not writes_reports(actor, case):
        raise NotAllowed("只有上报人、中心工作人员和领导可以填写信息报告。")
    return actor, case


def readable_count(session: Session, *, viewer, case: Case) -> int:
    """How many of the case's reports `viewer` (who may see the case, or is its reporter) may read:
    reports_for's rule, in one query of two small columns, for the case card's button."""
    rows = session.exec(select(InfoReport.id, InfoReport.submitted_by_id).where(InfoReport.case_id == case.id))
    return sum(1 for row in rows if _shown(viewer, case, row))


def get_report(session: Session, *, actor_id: int, report_id: int) -> InfoReport:
    report = session.get(InfoReport, report_id)
    if report is None:
        raise NotFound("没有找到这份信息报告。")
    _readable(session, actor_id, report.case_id, report)
    return report


def reports_for(session: Session, *, actor_id: int, case_id: int) -> list[InfoReport]:
    actor, case = _readable(session, actor_id, case_id)
    stmt = select(InfoReport).where(InfoReport.case_id == case_id).order_by(col(InfoReport.id))
    return [r for r in session.exec(stmt) if _shown(actor, case, r)]


def save_field(session: Session, *, actor_id: int, report_id: int, field: str, value: str) -> InfoReport:
    report = session.get(InfoReport, report_id)
    if report is None:
        raise NotFound("没有找到这份信息报告。")
    _may_write(session, actor_id, report)
    if report.submitted_at is not None:
        raise InvalidInput("这份报告已报送，不能再改。如有新情况请写续报。")
    if field not in FIELD_LABELS:
        raise InvalidInput("没有这一项。")
    value = (value or "").strip()
    if len(value) > MAX_FIELD:
        raise InvalidInput(texts.TOO_LONG.format(limit=MAX_FIELD))
    report.fields = {**report.fields, field: value}
    session.add(report)
    return report


def render(report: InfoReport, case: Case) -> str:
    lines = [texts.INFO_REPORT_TITLE.format(kind=KIND_LABELS[InfoReportKind(report.kind)], seq=report.seq,
                                            number=case.number)]
    lines += [f"{label}：{report.fields.get(key) or '—'}" for key, label in FIELDS]
    return "\n".join(lines)


def _moment(fields: dict, key: str) -> datetime | None:
    value = fields.get(key)
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def phone_due(report: InfoReport) -> datetime | None:
    return _moment(report.fields, PHONE_DUE)


def phoned_at(fields: dict) -> datetime | None:
    """When the phone report was recorded, from a report's fields (an InfoReport's, or a ledger row's)."""
    return _moment(fields, PHONED_AT)


@dataclass(frozen=True)
class PhoneRecord:
    at: datetime  # when the phone report was recorded
    by: str  # who recorded it (a name)
    written_due: datetime | None  # the written 初报's deadline
    already: bool  # recorded earlier: nothing changed


def record_phone(session: Session, *, actor_id: int, report_id: int, now: datetime) -> PhoneRecord:
    """「☎️ 已电话报告」: the 初报's phone report was made; recorded once, by whoever may write the report."""
    report = session.exec(select(InfoReport).where(InfoReport.id == report_id).with_for_update()).first()
    if report is None:
        raise NotFound("没有找到这份信息报告。")
    actor, case = _may_write(session, actor_id, report)
    if report.kind != InfoReportKind.first:
        raise InvalidInput("电话报告只记录在初报上。")
    if (at := phoned_at(report.fields)) is not None:
        by = session.get(Person, report.fields.get(PHONED_BY))
        return PhoneRecord(at=at, by=by.name if by else "—", written_due=report.due_at, already=True)
    report.fields = {**report.fields, PHONED_AT: now.astimezone(UTC).isoformat(), PHONED_BY: actor.id}
    session.add(report)
    due = phone_due(report)
    late = due is not None and now > due
    audit.record(session, actor_id=actor.id, action="case.info_report", subject_type="case", subject_id=case.id,
                 now=now, note="已电话报告" + ("（超时）" if late else ""))
    return PhoneRecord(at=now, by=actor.name, written_due=report.due_at, already=False)


def missing(report: InfoReport) -> list[str]:
    return [FIELD_LABELS[k] for k in REQUIRED if not (report.fields.get(k) or "").strip()]


def submit_report(session: Session, *, actor_id: int, report_id: int, now: datetime) -> InfoReport:
    """报送: to the party committee's recipients, through the outbox; kept with the case."""
    report = session.exec(select(InfoReport).where(InfoReport.id == report_id).with_for_update()).first()
    if report is None:
        raise NotFound("没有找到这份信息报告。")
    actor, case = _may_write(session, actor_id, report)
    if report.submitted_at is not None:
        raise InvalidInput("这份报告已经报送过了。")
    if gaps := missing(report):
        raise InvalidInput("还缺：" + "、".join(gaps) + "。请补全后再报送。")
    if (size := len(render(report, case))) > MAX_MESSAGE:  # Telegram would refuse it: nobody would get it
        raise InvalidInput(f"报告共 {size} 字，超过一条消息的上限 {MAX_MESSAGE} 字。请精简较长的几项后再报送。")
    report.submitted_at, report.submitted_by_id = now, actor.id
    session.add(report)
    # Outbox texts are sent as HTML: what people typed must not be read as tags ("<30人").
    text = notify.info_reports.submitted(report=render(report, case))
    for person in with_role(session, Role.secretary) + with_role(session, Role.director):
        if person.telegram_id is not None and person.id != actor.id and can_view(people.view(session, person), case):
            outbox.enqueue(session, chat_id=person.telegram_id, person_id=person.id, text=text, urgent=True, now=now,
                           key=f"info:{report.id}:p{person.id}", case=case)
    if case.confidential:  # 保密事项: the content goes only one by one to those entitled, never to a group
        text = notify.info_reports.confidential_in_group(kind=KIND_LABELS[InfoReportKind(report.kind)])
    for group in session.exec(select(GroupChat).where(GroupChat.purpose == "party_committee")):
        outbox.enqueue(session, chat_id=group.chat_id, text=text, urgent=True, now=now,
                       key=f"info:{report.id}:g{group.chat_id}", case=case)
    if report.kind == InfoReportKind.first:  # the party committee has it: the higher departments must too
        upward_reports.arm(session, case=case, now=now)
    late = report.due_at is not None and now > report.due_at
    audit.record(session, actor_id=actor.id, action="case.info_report", subject_type="case", subject_id=case.id,
                 now=now, note=f"{KIND_LABELS[InfoReportKind(report.kind)]}已报送" + ("（超时）" if late else ""))
    return report


def start_next(session: Session, *, actor_id: int, case_id: int, kind: InfoReportKind, now: datetime) -> InfoReport:
    """A follow-up (续报) or the final report (终报), prefilled from the last submitted one."""
    if kind == InfoReportKind.first:
        raise InvalidInput("初报只能有一份。")
    actor, case = _readable(session, actor_id, case_id)
    if not writes_reports(actor, case):
        raise NotAllowed("只有上报人、中心工作人员和领导可以填写信息报告。")
    existing = list(session.exec(select(InfoReport).where(InfoReport.case_id == case_id).order_by(col(InfoReport.id))))
    if not existing or existing[0].submitted_at is None:
        raise InvalidInput("请先报送初报。")
    if any(r.submitted_at is None for r in existing):
        raise InvalidInput("还有一份报告没有报送，请先完成它。")
    if any(r.kind == InfoReportKind.final for r in existing):
        raise InvalidInput("终报已报送，本事项的信息报告已结束。")
    if not all(_shown(actor, case, r) for r in existing):  # a new one would start from what others sent
        raise NotAllowed("这是保密事项，后续报告由中心工作人员填写。")
    prefill = {k: v for k, v in existing[-1].fields.items() if k not in PHONE_KEYS}  # the phone report is the 初报's
    report = InfoReport(case_id=case_id, kind=kind, seq=len(existing) + 1, created_at=now, fields=prefill)
    session.add(report)
    session.flush()
    return report


def sweep_due(session: Session, *, now: datetime, tz: ZoneInfo = CENTER_TZ) -> int:
    """Remind whoever must write the first report: 10 minutes before it is due, and when overdue;
    and chase its phone report once its own (earlier) deadline passed unrecorded."""
    sent = _sweep_phone(session, now=now, tz=tz)
    stmt = select(InfoReport).where(
        col(InfoReport.submitted_at).is_(None), col(InfoReport.due_at).is_not(None),
        InfoReport.due_at <= now + REMIND_BEFORE,
    )
    for report in session.exec(stmt):
        case = session.get(Case, report.case_id)
        stage = "overdue" if now >= report.due_at else "soon"
        text = notify.info_reports.first_report_due(
            overdue=stage == "overdue", number=case.number, left=time_left(report.due_at, now).words,
            due=report.due_at.astimezone(tz).strftime("%H:%M"))
        recipients = [session.get(Person, case.reporter_id), *with_role(session, Role.director)]
        buttons = [[(texts.INFO_REPORT_FILL, InfoReportOpen(report.id).pack())]]
        sent += tell(session, recipients, text, buttons, key=f"info:{report.id}:{stage}", now=now, urgent=True,
                     case=case)
    return sent


def _sweep_phone(session: Session, *, now: datetime, tz: ZoneInfo) -> int:
    """The phone report overdue and not recorded: the reporter and the directors, once (outbox key).
    Only while the written 初报 is unsent: once it went out, the party committee has the report."""
    stmt = select(InfoReport).where(col(InfoReport.submitted_at).is_(None), InfoReport.kind == InfoReportKind.first)
    sent = 0
    for report in session.exec(stmt):
        due = phone_due(report)
        if due is None or now < due or phoned_at(report.fields) is not None:
            continue
        case = session.get(Case, report.case_id)
        text = notify.info_reports.phone_overdue(number=case.number, due=due.astimezone(tz).strftime("%H:%M"))
        buttons = [[(texts.INFO_REPORT_PHONED, InfoReportPhoned(report.id).pack())],
                   [(texts.INFO_REPORT_FILL, InfoReportOpen(report.id).pack())]]
        sent += tell(session, [session.get(Person, case.reporter_id), *with_role(session, Role.director)], text,
                     buttons, key=f"info:{report.id}:phone", now=now, urgent=True, case=case)
    return sent


def _may_continue(actor, case: Case, reports: list[InfoReport]) -> bool:
    """start_next's rule for who may write the next report: a writer who may read every report so far
    (a confidential case's reporter does not continue from what others sent)."""
    return writes_reports(actor, case) and all(_shown(actor, case, r) for r in reports)


def sweep_final(session: Session, *, now: datetime, policy: DeadlinePolicy) -> int:
    """A case 办结 or archived whose reports were not finished by a submitted 终报: whoever may write
    it (its reporter, when start_next would let them, and the directors, as sweep_due) is told once.

    A sweep, not a step of cases.resolve: 办结 happens in cases.resolve and in baoan.complete, 归档 in
    cases.archive, and the case rules (cases.py) sit below this module and must not know about
    reports. Like the other chases it waits for working hours, and it is restart-safe: the messages
    and the mark (reminded_at on the case's reports, otherwise unused) commit together, and the
    outbox key (one per case) stops a second message even when a later report is marked anew."""
    if not policy.calendar(session).is_working_time(now):
        return 0
    # Driven by the small info_report table (major events only), never by a scan of the cases.
    final = aliased(InfoReport)
    final_sent = select(final.id).where(final.case_id == InfoReport.case_id, final.kind == InfoReportKind.final,
                                        col(final.submitted_at).is_not(None))
    unmarked = select(InfoReport.case_id).where(col(InfoReport.reminded_at).is_(None), ~exists(final_sent))
    stmt = (select(Case).where(col(Case.id).in_(unmarked), col(Case.status).in_([s.value for s in FINAL_DUE_IN]))
            .order_by(col(Case.id)))
    sent = 0
    for case in list(session.exec(stmt)):
        reports = list(session.exec(select(InfoReport).where(InfoReport.case_id == case.id).order_by(col(InfoReport.id))))
        for report in reports:
            report.reminded_at = report.reminded_at or now
            session.add(report)
        latest = reports[-1]
        reporter = session.get(Person, case.reporter_id)
        if reporter is not None and not (reporter.active and _may_continue(people.view(session, reporter), case,
                                                                             reports)):
            reporter = None
        draft = KIND_LABELS[InfoReportKind(latest.kind)] if latest.submitted_at is None else None
        text = notify.info_reports.final_missing(number=case.number, status=texts.STATUS_LABELS[CaseStatus(case.status)],
                                                 draft=draft)
        buttons = [[(texts.IR_OPEN_LATEST, InfoReportOpen(latest.id).pack())]]
        sent += tell(session, [reporter, *with_role(session, Role.director)], text, buttons,
                     key=f"info:c{case.id}:final", now=now, case=case)
    return sent


# --- /inforeport without a number: what waits for this person -------------------------------


@dataclass(frozen=True)
class WaitingReport:
    """A line of /inforeport: a draft to fill in (submitted_at None), or the latest report of an open
    case whose 终报 is still missing."""

    report_id: int
    case_id: int
    number: str
    kind: InfoReportKind
    seq: int
    due_at: datetime | None
    submitted_at: datetime | None


@dataclass(frozen=True)
class ReportsWaiting:
    shown: tuple[WaitingReport, ...]  # at most WAITING_SHOWN
    more: int  # how many more wait
    report_types: tuple[str, ...]  # the case types that open a 信息报告 (what the empty answer names)


def _waiting(case: Case, report: InfoReport) -> WaitingReport:
    return WaitingReport(report_id=report.id, case_id=case.id, number=case.number, kind=InfoReportKind(report.kind),
                         seq=report.seq, due_at=report.due_at, submitted_at=report.submitted_at)


def reports_waiting(session: Session, *, actor_id: int) -> ReportsWaiting:
    """The reports that need this person, most pressing first: drafts they may write (the 初报 with
    its due time first, soonest due first), then open cases whose latest report was sent but whose
    终报 is missing, the longest without news first. The same visibility and rights as the card and
    the buttons (each press is checked again by its service)."""
    actor = people.get(session, person_id=actor_id)
    stmt = select(InfoReport, Case).join(Case, col(Case.id) == InfoReport.case_id)
    if (seen := visibility_filter(actor)) is not None:  # can_view, or the reporter (the card's rule)
        stmt = stmt.where(seen)
    if not actor.has(*CENTER):  # writes_reports: outside the center only the case's reporter writes
        stmt = stmt.where(Case.reporter_id == actor.id)
    by_case: dict[int, tuple[Case, list[InfoReport]]] = {}
    for report, case in session.exec(stmt.order_by(col(InfoReport.case_id), col(InfoReport.id))):
        by_case.setdefault(case.id, (case, []))[1].append(report)
    drafts, waiting = [], []
    for case, reports in by_case.values():
        open_drafts = [r for r in reports if r.submitted_at is None]
        drafts += [(case, r) for r in open_drafts]
        latest = reports[-1]
        if (not open_drafts and CaseStatus(case.status) in OPEN and latest.kind != InfoReportKind.final
                and _may_continue(actor, case, reports)):
            waiting.append((case, latest))
    far = datetime.max.replace(tzinfo=UTC)
    drafts.sort(key=lambda cr: (cr[1].due_at is None, cr[1].due_at or far, cr[1].id))
    waiting.sort(key=lambda cr: (cr[1].submitted_at, cr[1].id))
    found = [_waiting(case, report) for case, report in drafts + waiting]
    types = () if found else tuple(session.exec(
        select(CaseType.subtype).where(col(CaseType.needs_info_report), col(CaseType.active),
                                       col(CaseType.category_active)).order_by(col(CaseType.sort), col(CaseType.id))))
    return ReportsWaiting(shown=tuple(found[:WAITING_SHOWN]), more=max(len(found) - WAITING_SHOWN, 0), report_types=types)


# --- what the chat shows (handlers/info_report.py) -------------------------------------------


@dataclass(frozen=True)
class ReportView:
    """One report as a person sees it, with what they may do next (checked again on each action)."""

    id: int
    case_id: int
    number: str
    kind: InfoReportKind
    seq: int
    text: str  # render(): exactly what the party committee receives
    values: dict[str, str]  # field key → text as typed
    missing: tuple[str, ...]  # labels of the required fields still empty
    due_at: datetime | None
    submitted_at: datetime | None
    may_write: bool  # may fill in and submit it
    may_continue: bool  # a 续报/终报 may start after it: the latest report, submitted, not the final one
    phone_due: datetime | None = None  # the 初报's phone report: its deadline,
    phoned_at: datetime | None = None  # when it was recorded,
    phoned_by: str | None = None  # and by whom (a name)
    # 上报上级 recorded since this report was sent (or opened), and whether this person may record one
    reported_up: tuple[upward_reports.UpwardRecord, ...] = ()
    may_report_up: bool = False

    @property
    def may_phone(self) -> bool:
        """「☎️ 已电话报告」 is offered: a 初报 with a phone deadline, not recorded, not yet sent."""
        return (self.may_write and self.kind == InfoReportKind.first and self.phone_due is not None
                and self.phoned_at is None and self.submitted_at is None)

    @property
    def filled(self) -> frozenset[str]:
        return frozenset(k for k, v in self.values.items() if (v or "").strip())


def _view(session: Session, actor, case: Case, report: InfoReport, latest: InfoReport) -> ReportView:
    may_write = writes_reports(actor, case)
    by = session.get(Person, report.fields[PHONED_BY]) if report.fields.get(PHONED_BY) else None
    return ReportView(
        id=report.id, case_id=case.id, number=case.number, kind=InfoReportKind(report.kind), seq=report.seq,
        text=render(report, case), values={k: str(report.fields.get(k) or "") for k in FIELD_LABELS},
        missing=tuple(missing(report)), due_at=report.due_at, submitted_at=report.submitted_at, may_write=may_write,
        may_continue=may_write and report.id == latest.id and report.submitted_at is not None
        and report.kind != InfoReportKind.final,
        phone_due=phone_due(report), phoned_at=phoned_at(report.fields), phoned_by=by.name if by else None,
        reported_up=upward_reports.seen_by(actor, case, upward_reports.records(
            session, case_id=case.id, since=report.submitted_at or report.created_at)),
        may_report_up=report.submitted_at is not None and upward_reports.may_record(session, actor, case),
    )


def _latest(session: Session, case_id: int) -> InfoReport:
    stmt = select(InfoReport).where(InfoReport.case_id == case_id).order_by(col(InfoReport.id).desc()).limit(1)
    return session.exec(stmt).one()


def report_view(session: Session, *, actor_id: int, report_id: int) -> ReportView:
    report = get_report(session, actor_id=actor_id, report_id=report_id)
    actor, case = _readable(session, actor_id, report.case_id)
    return _view(session, actor, case, report, _latest(session, case.id))


def case_reports(session: Session, *, actor_id: int, number: str | None = None,
                 case_id: int | None = None) -> tuple[str, list[ReportView]]:
    """/inforeport 2026-0042 (or a case id from a button): the case's reports, oldest first;
    empty for types that need no information report."""

    if case_id is None:
        case_id = find_by_number(session, number=number or "")
    actor, case = _readable(session, actor_id, case_id)
    reports = reports_for(session, actor_id=actor_id, case_id=case.id)
    # The case's latest report, not the latest this person may read: a confidential case's reporter
    # is not offered a 续报 after reports others sent (start_next would refuse it).
    latest = _latest(session, case.id) if reports else None
    return case.number, [_view(session, actor, case, r, latest) for r in reports]


def check_writable(session: Session, *, actor_id: int, report_id: int, field: str) -> ReportView:
    """The checks save_field makes, before the person is asked to type: a forged or stale button
    is refused at the press, not after the text has been written."""
    report = session.get(InfoReport, report_id)
    if report is None:
        raise NotFound("没有找到这份信息报告。")
    actor, case = _may_write(session, actor_id, report)
    if report.submitted_at is not None:
        raise InvalidInput("这份报告已报送，不能再改。如有新情况请写续报。")
    if field not in FIELD_LABELS:
        raise InvalidInput("没有这一项。")
    return _view(session, actor, case, report, _latest(session, case.id))
