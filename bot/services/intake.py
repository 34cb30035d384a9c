"""What happens when a matter arrives, in one unit of work: the case is registered, and then
depending on the hour and the type — an urgent alert up the duty ladder, the first information
report opened with its deadline, or (off-hours, not urgent) the center told in the next digest."""

from dataclasses import dataclass, field
from datetime import datetime, time

from sqlmodel import Session

from bot import texts
from bot.callbacks import InfoReportOpen, InfoReportPhoned
from bot.services import alerts, cases, info_reports, outbox, people, reference, upward_reports
from bot.services.alerts import AlertPolicy
from bot.services.case_access import CaseRef, case_ref
from bot.services.cases import CaseDraft
from bot.services.chases import ChasePolicy
from bot.services.deadlines import DeadlinePolicy, fmt
from bot.texts import notify
from models import Case, Severity


@dataclass(frozen=True)
class IntakePolicy:
    deadlines: DeadlinePolicy = field(default_factory=DeadlinePolicy)
    alerts: AlertPolicy = field(default_factory=AlertPolicy)
    info_report_minutes: int = 60  # the written 初报
    info_report_phone_minutes: int = 30  # the phone report before it
    chases: ChasePolicy = field(default_factory=ChasePolicy)

    @classmethod
    def from_settings(cls, settings) -> "IntakePolicy":
        return cls(
            deadlines=DeadlinePolicy.from_settings(settings),
            alerts=AlertPolicy(ack_minutes=settings.urgent_ack_minutes,
                               handover=time.fromisoformat(settings.duty_handover)),
            info_report_minutes=settings.info_report_first_minutes,
            info_report_phone_minutes=settings.info_report_phone_minutes,
            chases=ChasePolicy.from_settings(settings),
        )


@dataclass(frozen=True)
class Intake:
    case: CaseRef
    deferred_until: str | None  # off-hours: when the center will see it (local, for the reporter)
    urgent_alert: bool
    info_report_id: int | None
    phone_first: str | None = None  # urgent: whom to phone first (today's duty, else the director)


def _after(session: Session, case: Case, *, reporter_id: int, now: datetime, policy: IntakePolicy,
           deferred_until: str | None) -> Intake:
    reporter = people.get(session, person_id=reporter_id)
    alerted = False
    if case.urgent:
        alerts.open_urgent_alert(session, case=case, now=now, policy=policy.deadlines, alert_policy=policy.alerts)
        alerted = True
    if case.severity == Severity.major:  # 服务承诺 三: reported upward too, chased if not recorded
        upward_reports.arm(session, case=case, now=now)
    report = info_reports.open_first_report(session, case=case, reporter=reporter, now=now,
                                            minutes=policy.info_report_minutes, tz=policy.deadlines.tz,
                                            phone_minutes=policy.info_report_phone_minutes)
    # Whom to phone first matters only to an urgent case or an information report (two roster lookups).
    phone = (alerts.phone_first(session, day=now.astimezone(policy.deadlines.tz).date())
             if case.urgent or report is not None else None)
    if report is not None and reporter.telegram_id is not None:
        outbox.enqueue(
            session, chat_id=reporter.telegram_id, person_id=reporter.id, urgent=True, now=now,
            text=notify.info_reports.opened(
                number=case.number, phone_minutes=policy.info_report_phone_minutes,
                phone_due=fmt(info_reports.phone_due(report), policy.deadlines.tz),
                minutes=policy.info_report_minutes, due=fmt(report.due_at, policy.deadlines.tz), phone_first=phone),
            buttons=[[(texts.INFO_REPORT_PHONED, InfoReportPhoned(report.id).pack())],
                     [(texts.INFO_REPORT_FILL, InfoReportOpen(report.id).pack())]],
            key=f"info:{report.id}:opened", case=case,
        )
    return Intake(case=case_ref(case), deferred_until=deferred_until, urgent_alert=alerted,
                  info_report_id=report.id if report else None, phone_first=phone)


def _deferral(session: Session, draft: CaseDraft, now: datetime, policy: IntakePolicy) -> str | None:
    """Off-hours and not urgent: the local time of the next working period, else None."""
    case_type = reference.case_type(session, draft.type_id)
    if draft.urgent or draft.severity == Severity.major or (case_type is not None and case_type.forces_urgent):
        return None
    cal = policy.deadlines.calendar(session)
    if cal.is_working_time(now):
        return None
    return fmt(cal.next_working_start(now), policy.deadlines.tz)


def _alerted(now: datetime, policy: IntakePolicy):
    return lambda session, case: alerts.first_responders(session, case, now=now, tz=policy.deadlines.tz)


def register_report(session: Session, *, actor_id: int, draft: CaseDraft, now: datetime,
                    policy: IntakePolicy | None = None) -> Intake:
    """/report: a grid worker's or staff member's report."""
    policy = policy or IntakePolicy()
    deferred = _deferral(session, draft, now, policy)
    case = cases.submit(session, actor_id=actor_id, draft=draft, now=now, tz=policy.deadlines.tz,
                        route=deferred is None, alerted=_alerted(now, policy))
    return _after(session, case, reporter_id=actor_id, now=now, policy=policy, deferred_until=deferred)


def register_visit(session: Session, *, actor_id: int, draft: CaseDraft, now: datetime,
                   policy: IntakePolicy | None = None) -> Intake:
    """/visit: the first-inquiry person registers and takes the matter; the center is told at once."""
    policy = policy or IntakePolicy()
    case = cases.register_visit(session, actor_id=actor_id, draft=draft, now=now, tz=policy.deadlines.tz,
                                policy=policy.deadlines, alerted=_alerted(now, policy))
    return _after(session, case, reporter_id=actor_id, now=now, policy=policy, deferred_until=None)
