"""A matter arriving: urgent alert, information report, off-hours digest — in one unit of work."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.services import alerts, info_reports, intake
from models import Case, InfoReport, Outbox, Severity, UrgentAlert

SH = ZoneInfo("Asia/Shanghai")


def local(y, m, d, hh=9, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH).astimezone(UTC)



def report(w, **kw):
    return w.db.call(intake.register_report, actor_id=w.grid_worker, draft=w.draft(**kw), now=w.clock.now())


def chats(w, like):
    with w.db.session() as s:
        return sorted({o.chat_id for o in s.exec(select(Outbox).where(Outbox.key.like(like)))})


def test_working_hours_report_routes_at_once(w):
    result = report(w)
    assert result.deferred_until is None and not result.urgent_alert and result.info_report_id is None
    assert chats(w, f"case{result.case.id}:%") == [3, 4, 5]


def test_off_hours_report_waits_for_the_digest(w):
    w.clock.set(local(2026, 12, 5, 22))  # Saturday night
    result = report(w)
    assert result.deferred_until == "12月07日 08:30"
    assert chats(w, f"case{result.case.id}:%") == []
    with w.db.session() as s:
        assert s.get(Case, result.case.id).digest_pending
    from bot.services.deadlines import DeadlinePolicy

    assert w.db.call(alerts.sweep_digest, now=local(2026, 12, 7, 8, 30), policy=DeadlinePolicy()) == 1
    assert chats(w, "digest:%") == [3, 4, 5]


def test_urgent_at_night_alerts_the_duty_ladder_and_opens_the_first_report(w):
    w.db.call(alerts.set_duty, actor_id=w.director, day=local(2026, 12, 5).astimezone(SH).date(),
              duty_ids=[w.staff], leader_ids=[w.leader], now=w.clock.now())
    w.clock.set(local(2026, 12, 5, 23))
    result = report(w, type_id=w.mass, severity=Severity.major)
    assert result.deferred_until is None and result.urgent_alert and result.info_report_id
    with w.db.session() as s:
        alert = s.exec(select(UrgentAlert)).one()
        assert alert.next_at == w.clock.now() + timedelta(minutes=10)
        first = s.get(InfoReport, result.info_report_id)
        assert first.due_at == w.clock.now() + timedelta(minutes=60)  # the written 初报
        assert info_reports.phone_due(first) == w.clock.now() + timedelta(minutes=30)  # the phone report before it
    assert chats(w, f"urg:{alert.id}:l0:%") == [1, 3, 4]
    assert chats(w, f"info:{result.info_report_id}:opened") == [6]


def test_reporter_flagged_urgent_is_not_deferred(w):
    w.clock.set(local(2026, 12, 5, 22))
    result = report(w, urgent=True)
    assert result.deferred_until is None and result.urgent_alert
