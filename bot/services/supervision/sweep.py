"""The sweep that drives the clock: sign-for reminders and escalation, yellow and red cards, the
overdue question, the party-notice reminders."""

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from bot import texts
from bot.callbacks import (
    NoticeOverdueReason,
    NoticeParty,
    NoticeSign,
)
from bot.services.deadlines import DeadlinePolicy
from bot.services.supervision.base import (
    BATCH,
    LEVEL_ORDER,
    UNFINISHED,
    N,
    SweepResult,
    addressee_name,
    all_directors,
    answerers,
    long_date,
    record_on_case,
    send_to,
    view_button,
)
from bot.services.workdays import WorkCalendar
from bot.texts import notify
from models import (
    Case,
    NoticeLevel,
    SupervisionNotice,
)

# --- the sweep ---------------------------------------------------------------------------------


def _moments(notice: SupervisionNotice, cal: WorkCalendar, policy: DeadlinePolicy, sign_hours: float):
    """When the sign-for reminder, its escalation and the yellow card fall due (working time)."""
    remind = cal.add_working_seconds(notice.issued_at, sign_hours * 3600)
    escalate = cal.add_working_seconds(notice.issued_at, 2 * sign_hours * 3600)
    total = cal.working_seconds(notice.issued_at, notice.due_at)
    yellow = cal.add_working_seconds(notice.issued_at, total * policy.yellow_ratio) if total > 0 else notice.due_at
    return remind, escalate, yellow


def _next_check(notice: SupervisionNotice, now: datetime, cal: WorkCalendar, policy: DeadlinePolicy,
                sign_hours: float) -> datetime | None:
    """The next moment something can be due for this notice, inside working time; None if nothing can."""
    candidates = []
    status = N(notice.status)
    if status in UNFINISHED:
        remind, escalate, yellow = _moments(notice, cal, policy, sign_hours)
        if status == N.issued:
            if notice.sign_reminded_at is None:
                candidates.append(remind)
            elif notice.sign_escalated_at is None:
                candidates.append(escalate)
        if NoticeLevel(notice.level) == NoticeLevel.normal and notice.yellow_raised_at is None and yellow < notice.due_at:
            candidates.append(yellow)
        if notice.overdue_asked_at is None:
            candidates.append(notice.due_at)
    if notice.party_notice_due_at is not None and notice.party_notified_at is None:
        tomorrow = cal.at(cal.local(now).date() + timedelta(days=1), policy.hours[0][0])
        candidates += [tomorrow, notice.party_notice_due_at]  # the next working day's reminder; 3 days up
    # Whatever was due by now has just been done (or is no longer possible): only later moments count.
    later = [cal.next_working_start(c) for c in candidates if c > now]
    return min(later) if later else None


def _what(notice: SupervisionNotice) -> str:
    if N(notice.status) != N.transferred:
        return texts.SV_CLOSE_WHAT
    department = (notice.closing_note or "").partition("：")[0].removeprefix("移送 ")
    return texts.SV_TRANSFER_WHAT.format(department=department)


def _raise_level(session: Session, notice: SupervisionNotice, level: NoticeLevel, now: datetime) -> bool:
    """Raise, never lower."""
    if LEVEL_ORDER[level] <= LEVEL_ORDER[NoticeLevel(notice.level)]:
        return False
    old = NoticeLevel(notice.level)
    notice.level = level
    record_on_case(session, None, notice, "supervise_level", now,
            f"{texts.SV_LEVEL_LABELS[old.value]} → {texts.SV_LEVEL_LABELS[level.value]}")
    return True


def _work(session: Session, notice: SupervisionNotice, now: datetime, cal: WorkCalendar,
          policy: DeadlinePolicy, sign_hours: float) -> int:
    sent = 0
    status = N(notice.status)
    tz = policy.tz
    unit = addressee_name(session, notice)
    contacts = answerers(session, notice)
    directors = all_directors(session)
    case = session.get(Case, notice.case_id)
    view = [view_button(notice)]
    if status in UNFINISHED:
        remind, escalate, yellow = _moments(notice, cal, policy, sign_hours)
        if status == N.issued and notice.sign_reminded_at is None and now >= remind:
            text = notify.supervision.sign_reminder(number=notice.number, hours=sign_hours)
            sent += send_to(session, contacts, text, [[(texts.SV_SIGN, NoticeSign(notice.id).pack()), *view_button(notice)]],
                          f"sv{notice.id}:signrem", now, notice=notice)
            notice.sign_reminded_at = now
        if status == N.issued and notice.sign_escalated_at is None and now >= escalate:
            text = notify.supervision.sign_escalation(unit=unit, hours=2 * sign_hours, number=notice.number,
                                                      case_number=case.number)
            sent += send_to(session, directors, text, view, f"sv{notice.id}:signesc", now, notice=notice)
            notice.sign_escalated_at = now
        if now >= notice.due_at:
            raised = notice.red_raised_at is None and _raise_level(session, notice, NoticeLevel.red, now)
            if raised:
                notice.red_raised_at = now
            if notice.overdue_asked_at is None:
                text = notify.supervision.overdue_to_unit(number=notice.number, case_number=case.number,
                                                          due=long_date(notice.due_at, tz), raised=raised)
                buttons = [[(texts.SV_REASON_BUTTON, NoticeOverdueReason(notice.id).pack()), *view_button(notice)]]
                sent += send_to(session, contacts, text, buttons, f"sv{notice.id}:overdue", now, notice=notice)
                text = notify.supervision.overdue_to_director(number=notice.number, unit=unit,
                                                              case_number=case.number, raised=raised)
                sent += send_to(session, directors, text, view, f"sv{notice.id}:overdue", now, notice=notice)
                notice.overdue_asked_at = now
                record_on_case(session, None, notice, "supervise_overdue", now, "已超期，要求报告超期原因及进展")
        elif notice.yellow_raised_at is None and now >= yellow and _raise_level(
                session, notice, NoticeLevel.yellow, now):
            notice.yellow_raised_at = now
            percent = round(policy.yellow_ratio * 100)
            text = notify.supervision.yellow_to_unit(number=notice.number, percent=percent,
                                                     due=long_date(notice.due_at, tz))
            sent += send_to(session, contacts, text, view, f"sv{notice.id}:yellow", now, notice=notice)
            text = notify.supervision.yellow_to_director(number=notice.number, unit=unit, percent=percent)
            sent += send_to(session, directors, text, view, f"sv{notice.id}:yellow", now, notice=notice)
    if notice.party_notice_due_at is not None and notice.party_notified_at is None:
        today = cal.local(now).date()
        what = _what(notice)
        if notice.closed_at is not None and today > cal.local(notice.closed_at).date():
            text = notify.supervision.party_reminder(number=notice.number, case_number=case.number, what=what,
                                                     due=long_date(notice.party_notice_due_at, tz))
            buttons = [[(texts.SV_PARTY_BUTTON, NoticeParty(notice.id).pack()), *view_button(notice)]]
            sent += send_to(session, contacts, text, buttons, f"sv{notice.id}:party:{today.isoformat()}", now, notice=notice)
        if now >= notice.party_notice_due_at:
            text = notify.supervision.party_late(number=notice.number, what=what, unit=unit)
            sent += send_to(session, directors, text, view, f"sv{notice.id}:partylate", now, notice=notice)
    return sent


def sweep(session: Session, *, now: datetime, policy: DeadlinePolicy, sign_hours: float = 4,
          limit: int = BATCH) -> SweepResult:
    """One pass over the notices whose next step is due (SupervisionNotice.next_check_at <= now).
    Idempotent: each step is flagged on the notice and every message has a unique outbox key, so
    running it twice, after a restart, or from two processes never sends the same thing twice.
    Messages go out in working time only. Call repeatedly until it returns 0 notices."""
    cal = policy.calendar(session)
    if not cal.is_working_time(now):
        return SweepResult(0, 0)
    stmt = (
        select(SupervisionNotice)
        .where(col(SupervisionNotice.next_check_at).is_not(None), SupervisionNotice.next_check_at <= now)
        .order_by(col(SupervisionNotice.next_check_at), col(SupervisionNotice.id))
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)  # two sweeping processes take different notices
    count = sent = 0
    for notice in session.exec(stmt):
        count += 1
        sent += _work(session, notice, now, cal, policy, sign_hours)
        notice.next_check_at = _next_check(notice, now, cal, policy, sign_hours)
        session.add(notice)
    return SweepResult(count, sent)
