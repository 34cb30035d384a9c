"""Urgent alerts climbing the ladder, the duty roster and hand-over, the off-hours digest."""

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select, text

from bot.services import alerts
from bot.services.alerts import AlertPolicy
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput
from models import Case, Outbox, Person, UrgentAlert
from tests.factories import Township

SH = ZoneInfo("Asia/Shanghai")
POLICY, ALERT = DeadlinePolicy(), AlertPolicy(ack_minutes=10)


def local(y, m, d, hh=9, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH).astimezone(UTC)


@pytest.fixture
def w(db, clock):
    world = Township.build(db, clock)
    today = clock.now().astimezone(SH).date()
    db.call(alerts.set_duty, actor_id=world.director, day=today, duty_ids=[world.staff],
            leader_ids=[world.leader], now=clock.now())
    return world


def keys(w, prefix) -> list[tuple[int, str]]:
    with w.db.session() as s:
        return [(o.chat_id, o.key) for o in s.exec(select(Outbox).where(Outbox.key.like(prefix + "%")))]


def open_alert(w):
    ref = w.submit(type_id=w.mass)
    with w.db.session() as s:
        alerts.open_urgent_alert(s, case=s.get(Case, ref.id), now=w.clock.now(), policy=POLICY, alert_policy=ALERT)
    with w.db.session() as s:
        return ref, s.exec(select(UrgentAlert)).one().id


def test_urgent_alert_climbs_until_acknowledged(w):
    _ref, alert_id = open_alert(w)
    first = {chat for chat, _ in keys(w, f"urg:{alert_id}:l0")}
    assert first == {4, 3, 1}  # duty staff, leader on call / contact-point leader, director (not the reporter 6)
    assert w.db.call(alerts.sweep_urgent, now=w.clock.now() + timedelta(minutes=9), policy=POLICY,
                     alert_policy=ALERT) == 0
    w.clock.advance(timedelta(minutes=10))
    assert w.db.call(alerts.sweep_urgent, now=w.clock.now(), policy=POLICY, alert_policy=ALERT) == 1
    assert {chat for chat, _ in keys(w, f"urg:{alert_id}:l1")} == {2}  # the secretary is next up
    w.clock.advance(timedelta(minutes=10))
    w.db.call(alerts.sweep_urgent, now=w.clock.now(), policy=POLICY, alert_policy=ALERT)
    assert {chat for chat, _ in keys(w, f"urg:{alert_id}:l2")} == {1, 2, 3, 4}  # everyone again
    first_ack = w.db.call(alerts.acknowledge_urgent, person_id=w.leader, alert_id=alert_id, now=w.clock.now())
    again = w.db.call(alerts.acknowledge_urgent, person_id=w.director, alert_id=alert_id, now=w.clock.now())
    assert first_ack == (True, "刘领导") and again == (False, "刘领导")
    assert keys(w, f"urg:{alert_id}:acked") == [(6, f"urg:{alert_id}:acked:p{w.grid_worker}")]
    w.clock.advance(timedelta(hours=1))
    assert w.db.call(alerts.sweep_urgent, now=w.clock.now(), policy=POLICY, alert_policy=ALERT) == 0


def test_handover_once_a_day_at_the_set_time(w):
    early = local(2026, 11, 30, 8, 0)
    assert w.db.call(alerts.sweep_handover, now=early, policy=POLICY, alert=ALERT) == 0
    at = local(2026, 11, 30, 8, 30)
    assert w.db.call(alerts.sweep_handover, now=at, policy=POLICY, alert=ALERT) == 2
    assert w.db.call(alerts.sweep_handover, now=at + timedelta(hours=3), policy=POLICY, alert=ALERT) == 0


def test_roster_import_all_or_nothing(w):
    rows = [(2, "2026-12-01", "孙丽、周明", "刘领导"), (3, "2026/12/02", "不存在的人", "")]
    with pytest.raises(InvalidInput, match="第 3 行"):
        w.db.call(alerts.import_roster, actor_id=w.director, rows=rows, now=w.clock.now())
    assert w.db.call(alerts.roster_day, day=date(2026, 12, 1)).duty == ()
    assert w.db.call(alerts.import_roster, actor_id=w.director, rows=rows[:1], now=w.clock.now()) == 1
    assert set(w.db.call(alerts.roster_day, day=date(2026, 12, 1)).duty) == {"孙丽", "周明"}


def test_off_hours_digest_is_one_message_per_person(w):
    for _ in range(3):
        ref = w.submit()
        with w.db.session() as s:
            case = s.get(Case, ref.id)
            case.digest_pending = True
            s.add(case)
    assert w.db.call(alerts.sweep_digest, now=local(2026, 12, 5, 10), policy=POLICY) == 0  # Saturday
    assert w.db.call(alerts.sweep_digest, now=local(2026, 12, 7, 8, 30), policy=POLICY) == 3
    digests = keys(w, "digest:")
    assert sorted(chat for chat, _ in digests) == [3, 4, 5]  # contact-point leader and the desk, once each
    assert w.db.call(alerts.sweep_digest, now=local(2026, 12, 7, 9), policy=POLICY) == 0


def test_the_digest_sweep_reads_only_the_waiting_cases(w):
    """It runs at every sweep in working hours: through the partial index, not over the year's cases."""
    with w.db.session() as s:
        compiled = alerts.digest_waiting().compile(s.get_bind(), compile_kwargs={"literal_binds": True})
        if s.get_bind().dialect.name == "postgresql":
            s.exec(text("SET LOCAL enable_seqscan = off"))  # a table this small would be read whole anyway
            plan = " ".join(r[0] for r in s.exec(text(f"EXPLAIN {compiled}")))
        else:
            plan = " ".join(r[-1] for r in s.exec(text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "ix_case_digest_pending" in plan, plan


def test_calendar_warning_from_november(w):
    assert w.db.call(alerts.sweep_calendar_warning, now=local(2026, 10, 31), policy=POLICY) == 0
    assert w.db.call(alerts.sweep_calendar_warning, now=local(2026, 11, 30), policy=POLICY) == 1
    assert w.db.call(alerts.sweep_calendar_warning, now=local(2026, 11, 30, 15), policy=POLICY) == 0
    assert w.db.call(alerts.sweep_calendar_warning, now=local(2026, 12, 1), policy=POLICY) == 1


def edits(w, alert_id) -> dict[int, list[Outbox]]:
    with w.db.session() as s:
        rows = s.exec(select(Outbox).where(Outbox.edit_key.like(f"urg:{alert_id}:l%")).order_by(Outbox.id))
        found: dict[int, list[Outbox]] = {}
        for row in rows:
            found.setdefault(row.chat_id, []).append(row)
        return found


def test_an_acknowledgement_updates_every_copy(w):
    _ref, alert_id = open_alert(w)
    for _ in range(2):  # the secretary, then everyone again
        w.clock.advance(timedelta(minutes=10))
        w.db.call(alerts.sweep_urgent, now=w.clock.now(), policy=POLICY, alert_policy=ALERT)
    w.clock.advance(timedelta(minutes=5))
    w.db.call(alerts.acknowledge_urgent, person_id=w.leader, alert_id=alert_id, now=w.clock.now())
    copies = keys(w, f"urg:{alert_id}:l")
    found = edits(w, alert_id)
    # one edit per copy, queued with the acknowledgement: the escalations too
    assert sorted(r.edit_key for rows in found.values() for r in rows) == sorted(k for _, k in copies)
    for chat, rows in found.items():
        for row in rows:
            assert "无人确认" not in row.text
            # 收到 goes from every copy; the village's contact-point leader (刘领导) keeps 已到场
            if chat == 3:
                assert json.loads(row.buttons) == [[["📍 已到场", f"sc:a:{_ref.id}"]]]
            else:
                assert row.buttons is None
            if chat == 3:  # the leader who pressed
                assert "✅ 您已确认" in row.text and "已由" not in row.text
            else:
                assert "已由 刘领导" in row.text and "09:25" in row.text
    # a second press changes nothing more
    w.db.call(alerts.acknowledge_urgent, person_id=w.director, alert_id=alert_id, now=w.clock.now())
    assert sum(len(v) for v in edits(w, alert_id).values()) == len(copies)


def test_whom_to_phone_first_names_todays_duty_or_the_director(w):
    with w.db.session() as s:
        for pid, phone in ((w.staff, "13800000004"), (w.leader, "13900000003")):
            s.get(Person, pid).phone = phone
    today = w.clock.now().astimezone(SH).date()
    line = w.db.call(alerts.phone_first, day=today)
    assert "值班 孙丽 13800000004" in line and "带班领导 刘领导 13900000003" in line
    tomorrow = today + timedelta(days=1)  # nobody on the roster: the director, with a phone if known
    assert "中心主任 王主任" in w.db.call(alerts.phone_first, day=tomorrow)
    with w.db.session() as s:
        s.get(Person, w.director).phone = "0571-88886666"
    assert "中心主任 王主任 0571-88886666" in w.db.call(alerts.phone_first, day=tomorrow)
    with w.db.session() as s:
        s.get(Person, w.staff).name = "孙<丽>"
    assert "孙&lt;丽&gt;" in w.db.call(alerts.phone_first, day=today)


# --- gaps in the roster --------------------------------------------------------------------------


def arrange(w, day: date, *, duty=(), leader=()):
    w.db.call(alerts.set_duty, actor_id=w.director, day=day, duty_ids=list(duty) or [w.staff],
              leader_ids=list(leader), now=w.clock.now())


def gap_messages(w) -> list[Outbox]:
    with w.db.session() as s:
        return list(s.exec(select(Outbox).where(Outbox.key.like("dutygap:%")).order_by(Outbox.id)))


def test_gaps_in_the_roster_up_to_the_second_next_working_day(w):
    """Friday 4 December: Saturday to Tuesday are looked at; Sunday has no leader on call and Tuesday
    nobody; Wednesday is empty too but further than two working days."""
    for day in (4, 5, 7):
        arrange(w, date(2026, 12, day), leader=[w.leader])
    arrange(w, date(2026, 12, 6))  # 孙丽 on duty, no leader
    friday = local(2026, 12, 4, 10)
    with w.db.session() as s:
        gaps = alerts.duty_gaps(s, today=date(2026, 12, 4), cal=POLICY.calendar(s))
    assert gaps == [alerts.DutyGap(date(2026, 12, 6), no_duty=False, no_leader=True),
                    alerts.DutyGap(date(2026, 12, 8), no_duty=True, no_leader=True)]
    assert w.db.call(alerts.sweep_duty_gaps, now=local(2026, 12, 4, 8), policy=POLICY) == 0  # before hours
    assert w.db.call(alerts.sweep_duty_gaps, now=friday, policy=POLICY) == 1  # the director, who is the admin
    assert w.db.call(alerts.sweep_duty_gaps, now=local(2026, 12, 4, 15), policy=POLICY) == 0  # once a day
    assert w.db.call(alerts.sweep_duty_gaps, now=local(2026, 12, 5, 10), policy=POLICY) == 0  # Saturday
    (sent,) = gap_messages(w)
    assert sent.chat_id == 1
    assert "• 12月6日（周日）：无带班领导\n• 12月8日（周二）：无值班人员、无带班领导" in sent.text
    assert [b[0] for row in json.loads(sent.buttons) for b in row] == ["📋 安排 12月6日", "📋 安排 12月8日"]
    # Monday, the gaps filled, but someone on Wednesday's roster has left: said again, about Wednesday only
    arrange(w, date(2026, 12, 6), leader=[w.leader])
    arrange(w, date(2026, 12, 8), leader=[w.leader])
    arrange(w, date(2026, 12, 9), duty=[w.staff2], leader=[w.leader])
    with w.db.session() as s:
        s.get(Person, w.staff2).active = False
    assert w.db.call(alerts.sweep_duty_gaps, now=local(2026, 12, 7, 9), policy=POLICY) == 1
    assert gap_messages(w)[-1].text.count("•") == 1 and "12月9日（周三）：无值班人员" in gap_messages(w)[-1].text


def test_no_roster_kept_no_warning(db, clock):
    """A center that keeps no roster phones every report to the director: nothing to chase."""
    w = Township.build(db, clock)
    assert w.db.call(alerts.sweep_duty_gaps, now=local(2026, 12, 4, 10), policy=POLICY) == 0
