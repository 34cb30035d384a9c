"""Unaccepted cases and unanswered parties are chased (the case desk / the handler first, then the
director), once each, in working hours — time moved with the injected clock."""

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.services import cases, chases
from bot.services.chases import ChasePolicy
from bot.services.deadlines import DeadlinePolicy
from models import Outbox, Severity

SH = ZoneInfo("Asia/Shanghai")
POLICY, CHASE = DeadlinePolicy(), ChasePolicy()


def local(y, m, d, hh=9, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH).astimezone(UTC)



def sweep_at(w, moment, chase=CHASE) -> None:
    w.clock.set(moment)
    while w.db.call(chases.sweep, now=moment, policy=POLICY, chase=chase) >= chases.BATCH:
        pass


def chased(w, case_id) -> dict[int, list[Outbox]]:
    with w.db.session() as s:
        found: dict[int, list[Outbox]] = {}
        for row in s.exec(select(Outbox).where(Outbox.key.like(f"chase:{case_id}:%")).order_by(Outbox.id)):
            found.setdefault(row.chat_id, []).append(row)
        return found


def data(row: Outbox) -> list[str]:
    return [d for line in json.loads(row.buttons) for _label, d in line]


def test_an_unaccepted_case_is_chased_at_the_desk_then_the_director(w):
    ref = w.submit()  # Monday 09:00; one working day (6.5 h) later is Tuesday 09:00
    sweep_at(w, local(2026, 11, 30, 17, 29))
    sweep_at(w, local(2026, 12, 1, 8, 59))
    assert chased(w, ref.id) == {}
    sweep_at(w, local(2026, 12, 1, 9, 0))
    found = chased(w, ref.id)
    assert set(found) == {4, 5}  # the case desk (every staff member while nobody is on the desk list)
    row = found[4][0]
    assert ref.number in row.text and "未受理" in row.text
    assert data(row) == [f"case:acc:{ref.id}", f"case:v:{ref.id}"]
    sweep_at(w, local(2026, 12, 1, 15, 0))  # never the same chase twice
    assert {k: len(v) for k, v in chased(w, ref.id).items()} == {4: 1, 5: 1}
    sweep_at(w, local(2026, 12, 2, 9, 0))  # one more working day: the director
    found = chased(w, ref.id)
    assert set(found) == {1, 4, 5} and len(found[1]) == 1
    assert data(found[1][0]) == [f"case:acc:{ref.id}", f"case:v:{ref.id}"]
    sweep_at(w, local(2026, 12, 7, 9, 0))  # and that is all
    assert sum(len(v) for v in chased(w, ref.id).values()) == 3


def test_an_urgent_case_is_chased_after_one_working_hour_and_only_in_working_hours(w):
    ref = w.submit(type_id=w.mass, severity=Severity.major, urgent=True)
    sweep_at(w, local(2026, 11, 30, 9, 59))
    assert chased(w, ref.id) == {}
    sweep_at(w, local(2026, 11, 30, 10, 0))
    assert set(chased(w, ref.id)) == {4, 5}
    sweep_at(w, local(2026, 11, 30, 12, 30))  # lunch break: quiet, although the director is due
    assert set(chased(w, ref.id)) == {4, 5}
    sweep_at(w, local(2026, 11, 30, 14, 30))
    assert set(chased(w, ref.id)) == {1, 4, 5}


def test_a_case_accepted_in_time_is_not_chased(w):
    ref = w.submit()
    w.db.call(cases.accept, actor_id=w.staff, case_id=ref.id, now=local(2026, 11, 30, 16))
    sweep_at(w, local(2026, 12, 3, 9))
    assert chased(w, ref.id) == {}


def test_the_period_is_a_setting(w):
    ref = w.submit()  # two working days allowed: nothing on Tuesday, the desk on Wednesday
    two_days = ChasePolicy(accept_days=2)
    sweep_at(w, local(2026, 12, 1, 9, 0), two_days)
    sweep_at(w, local(2026, 12, 2, 8, 59), two_days)
    assert chased(w, ref.id) == {}
    sweep_at(w, local(2026, 12, 2, 9, 0), two_days)
    assert set(chased(w, ref.id)) == {4, 5}


def test_the_reply_to_the_party_is_chased_after_resolution(w):
    ref = w.submit()
    now = w.clock.now()
    w.db.call(cases.accept, actor_id=w.staff, case_id=ref.id, now=now)
    w.db.call(cases.assign, actor_id=w.staff, case_id=ref.id, handler_id=w.staff2, now=now)
    w.db.call(cases.resolve, actor_id=w.staff2, case_id=ref.id, outcome="调解成功", agreement="口头协议",
              summary="已和解", now=local(2026, 11, 30, 10))
    sweep_at(w, local(2026, 12, 3, 9, 59))  # three working days: Thursday 10:00
    assert chased(w, ref.id) == {}
    sweep_at(w, local(2026, 12, 3, 10, 0))
    found = chased(w, ref.id)
    assert set(found) == {5}  # the handler
    assert "答复" in found[5][0].text and data(found[5][0]) == [f"case:rp:{ref.id}", f"case:v:{ref.id}"]
    sweep_at(w, local(2026, 12, 8, 10, 0))  # then the director, who can look
    found = chased(w, ref.id)
    assert set(found) == {1, 5} and data(found[1][0]) == [f"case:v:{ref.id}"]


def test_a_reply_recorded_in_time_stops_the_chase(w):
    ref = w.submit()
    now = w.clock.now()
    w.db.call(cases.accept, actor_id=w.staff, case_id=ref.id, now=now)
    w.db.call(cases.resolve, actor_id=w.staff, case_id=ref.id, outcome="调解成功", agreement=None,
              summary="已和解", now=now)
    w.db.call(cases.record_reply, actor_id=w.staff, case_id=ref.id, method="电话", replied_at=now, now=now)
    sweep_at(w, local(2026, 12, 10, 10))
    assert chased(w, ref.id) == {}
