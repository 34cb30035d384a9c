"""信息报告 for major events: the first report (初报) is due within minutes of the event reaching
the center, then follow-ups (续报) and the final report (终报). Each submitted report goes to the
party committee's recipients (the secretary, and a registered group chat) and stays with the case.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot import texts
from bot.callbacks import InfoReportOpen
from bot.services import audit, outbox, people, reference
from bot.services.access import CENTER
from bot.services.case_access import can_view, reporter_view, visible_case
from bot.services.cases import find_by_number
from bot.services.deadlines import CENTER_TZ
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.services.people import PersonView
from bot.services.recipients import tell, with_role
from bot.services.workdays import time_left
from bot.texts import notify
from models import Case, GroupChat, InfoReport, InfoReportKind, Person, Role

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


def open_first_report(session: Session, *, case: Case, reporter: Person | PersonView, now: datetime, minutes: int,
                      tz) -> InfoReport | None:
    """Called when a case of a type that needs an information report is registered."""
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


def _shown(actor, case: Case, report: InfoReport) -> bool:
    return not reporter_view(actor, case) or report.submitted_by_id in (None, actor.id)


def _may_write(session: Session, actor_id: int, report: InfoReport):
    actor, case = _readable(session, actor_id, report.case_id, report)
    if not (actor.has(*CENTER) or case.reporter_id == actor.id):
        raise NotAllowed("只有上报人、中心工作人员和领导可以填写信息报告。")
    return actor, case


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
    late = report.due_at is not None and now > report.due_at
    audit.record(session, actor_id=actor.id, action="case.info_report", subject_type="case", subject_id=case.id,
                 now=now, note=f"{KIND_LABELS[InfoReportKind(report.kind)]}已报送" + ("（超时）" if late else ""))
    return report


def start_next(session: Session, *, actor_id: int, case_id: int, kind: InfoReportKind, now: datetime) -> InfoReport:
    """A follow-up (续报) or the final report (终报), prefilled from the last submitted one."""
    if kind == InfoReportKind.first:
        raise InvalidInput("初报只能有一份。")
    actor, case = _readable(session, actor_id, case_id)
    if not (actor.has(*CENTER) or case.reporter_id == actor.id):
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
    report = InfoReport(case_id=case_id, kind=kind, seq=len(existing) + 1, created_at=now,
                        fields=dict(existing[-1].fields))
    session.add(report)
    session.flush()
    return report


def sweep_due(session: Session, *, now: datetime, tz: ZoneInfo = CENTER_TZ) -> int:
    """Remind whoever must write the first report: 10 minutes before it is due, and when overdue."""
    stmt = select(InfoReport).where(
        col(InfoReport.submitted_at).is_(None), col(InfoReport.due_at).is_not(None),
        InfoReport.due_at <= now + REMIND_BEFORE,
    )
    sent = 0
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

    @property
    def filled(self) -> frozenset[str]:
        return frozenset(k for k, v in self.values.items() if (v or "").strip())


def _view(actor, case: Case, report: InfoReport, latest: InfoReport) -> ReportView:
    may_write = actor.has(*CENTER) or case.reporter_id == actor.id
    return ReportView(
        id=report.id, case_id=case.id, number=case.number, kind=InfoReportKind(report.kind), seq=report.seq,
        text=render(report, case), values={k: str(report.fields.get(k) or "") for k in FIELD_LABELS},
        missing=tuple(missing(report)), due_at=report.due_at, submitted_at=report.submitted_at, may_write=may_write,
        may_continue=may_write and report.id == latest.id and report.submitted_at is not None
        and report.kind != InfoReportKind.final,
    )


def _latest(session: Session, case_id: int) -> InfoReport:
    stmt = select(InfoReport).where(InfoReport.case_id == case_id).order_by(col(InfoReport.id).desc()).limit(1)
    return session.exec(stmt).one()


def report_view(session: Session, *, actor_id: int, report_id: int) -> ReportView:
    report = get_report(session, actor_id=actor_id, report_id=report_id)
    actor, case = _readable(session, actor_id, report.case_id)
    return _view(actor, case, report, _latest(session, case.id))


def case_reports(session: Session, *, actor_id: int, number: str | None = None,
                 case_id: int | None = None) -> tuple[str, list[ReportView]]:
    """/inforeport 2026-0042 (or a case id from a button): the case's reports, oldest first;
    empty for types that need no information report."""

    if case_id is None:
        case_id = find_by_number(session, number=number or "")
    actor, case = _readable(session, actor_id, case_id)
    reports = reports_for(session, actor_id=actor_id, case_id=case.id)
    return case.number, [_view(actor, case, r, reports[-1]) for r in reports]


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
    return _view(actor, case, report, _latest(session, case.id))
