"""Deadlines in working days: start at acceptance, lights, pause and extension with approval, recompute."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.services import baoan, case_card, cases, deadlines
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.workdays import WorkCalendar
from models import AuditEvent, CalendarDay, CalendarYear, Case, RequestKind, Severity

SH = ZoneInfo("Asia/Shanghai")
POLICY = DeadlinePolicy()


def local(y, m, d, hh=9, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH).astimezone(UTC)



def accepted(w, severity=Severity.general, when=None):
    if when is not None:
        w.clock.set(when)
    ref = w.submit(severity=severity)
    w.db.call(cases.accept, actor_id=w.staff, case_id=ref.id, now=w.clock.now())
    with w.db.session() as s:
        case = s.get(Case, ref.id)
        deadlines.start_clock(s, case=case, now=w.clock.now(), policy=POLICY)
        s.add(case)
    return ref.id


def get(w, case_id) -> Case:
    with w.db.session() as s:
        return s.get(Case, case_id)


def light(w, case_id, at):
    with w.db.session() as s:
        return deadlines.light(get(w, case_id), at, WorkCalendar.load(s, tz=SH), SH)


def test_general_and_complex_deadlines_and_the_audit(w):
    general = accepted(w)
    complex_ = accepted(w, Severity.complex)
    assert get(w, general).due_at == local(2026, 12, 3, 17, 30)
    assert get(w, complex_).due_at == local(2026, 12, 9, 17, 30)
    with w.db.session() as s:
        notes = [e.details["note"] for e in s.exec(select(AuditEvent).where(AuditEvent.action == "case.deadline"))]
    assert notes[0].startswith("3 个工作日")


def test_national_day_example(w):
    case_id = accepted(w, when=local(2026, 9, 30, 10))
    assert get(w, case_id).due_at == local(2026, 10, 10, 17, 30)


def test_lights_green_yellow_red(w):
    case_id = accepted(w)
    case = get(w, case_id)
    assert light(w, case_id, local(2026, 11, 30, 10)).symbol == "🟢"
    assert light(w, case_id, case.yellow_at - timedelta(minutes=1)).symbol == "🟢"
    assert light(w, case_id, case.yellow_at).symbol == "🟡"
    red = light(w, case_id, local(2026, 12, 4, 17, 30))
    assert red.symbol == "🔴" and red.left == "已超期 1 个工作日"
    assert light(w, case_id, local(2026, 11, 30, 9)).left == "剩 3 个工作日 6 小时"


@pytest.mark.parametrize(("resolved", "shown"), [
    (local(2026, 12, 3, 17, 30), "按期办结"),  # on the deadline itself
    (local(2026, 12, 2, 10), "按期办结"),
    (local(2026, 12, 3, 20), "超期办结"),  # past due, but no working time since
    (local(2026, 12, 4, 10), "超期 1 小时 30 分钟办结"),  # Fri 08:30–10:00
    (local(2026, 12, 8, 10), "超期 2 个工作日 1 小时办结"),  # Fri, Mon whole; Tue 08:30–10:00
])
def test_a_finished_case_shows_whether_its_deadline_was_met(w, resolved, shown):
    from handlers.cases import render_card

    case_id = accepted(w)  # due Thu 12-03 17:30
    w.clock.set(resolved)
    w.db.call(cases.assign, actor_id=w.director, case_id=case_id, handler_id=w.staff, now=resolved)
    w.db.call(cases.resolve, actor_id=w.staff, case_id=case_id, outcome="调解成功", agreement="口头协议",
              summary="已调解", now=resolved)
    for status in ("resolved", "replied", "archived"):
        w.set_status(case_id, status)
        card = w.db.call(case_card.case_card, viewer_id=w.staff, case_id=case_id, now=local(2026, 12, 20, 10))
        assert card.deadline.left == shown
        assert f"期限：12月03日 17:30（{shown}）" in render_card(card, SH)  # was 「（ ）」


def test_a_case_closed_without_handling_shows_only_its_deadline(w):
    from handlers.cases import render_card

    case_id = accepted(w)
    w.db.call(cases.transfer, actor_id=w.staff, case_id=case_id, to="县信访局", reason="不属本镇", now=w.clock.now())
    card = w.db.call(case_card.case_card, viewer_id=w.staff, case_id=case_id, now=w.clock.now())
    text = render_card(card, SH)
    assert "期限：12月03日 17:30\n" in text and "（" not in text.split("期限：")[1].split("\n")[0]


def test_unknown_year_is_provisional_then_recomputed(w):
    case_id = accepted(w, when=local(2026, 12, 29, 10))
    case = get(w, case_id)
    assert case.due_provisional and case.due_at == local(2027, 1, 1, 17, 30)
    assert light(w, case_id, local(2026, 12, 29, 11)).provisional
    with w.db.session() as s:  # the admin enters 2027's New Year holiday and confirms the year
        s.add(CalendarDay(day=date(2027, 1, 1), workday=False, note="元旦", set_at=w.clock.now()))
        s.add(CalendarYear(year=2027, confirmed_at=w.clock.now()))
    assert w.db.call(deadlines.recompute_provisional, now=w.clock.now(), policy=POLICY) == 1
    case = get(w, case_id)
    assert not case.due_provisional and case.due_at == local(2027, 1, 4, 17, 30)


def test_pause_needs_approval_and_stops_the_clock(w):
    case_id = accepted(w)
    due = get(w, case_id).due_at
    req = w.db.call(deadlines.request_change, actor_id=w.staff, case_id=case_id, kind=RequestKind.pause,
                    reason="当事人外出务工", now=w.clock.now(), policy=POLICY)
    with pytest.raises(NotAllowed):
        w.db.call(deadlines.decide, actor_id=w.staff2, request_id=req.id, approve=True, now=w.clock.now(),
                  policy=POLICY)
    w.db.call(deadlines.decide, actor_id=w.leader, request_id=req.id, approve=True, now=w.clock.now(),
              policy=POLICY)
    assert light(w, case_id, local(2026, 12, 10)).symbol == "⚪"
    w.clock.set(local(2026, 12, 1, 9))  # paused for one full working day (Mon 09:00 → Tue 09:00)
    req = w.db.call(deadlines.request_change, actor_id=w.staff, case_id=case_id, kind=RequestKind.resume,
                    reason="当事人已返乡", now=w.clock.now(), policy=POLICY)
    w.db.call(deadlines.decide, actor_id=w.leader, request_id=req.id, approve=True, now=w.clock.now(),
              policy=POLICY)
    assert get(w, case_id).due_at == local(2026, 12, 4, 17, 30) and due == local(2026, 12, 3, 17, 30)


def test_extension_approved_or_refused(w):
    case_id = accepted(w)
    with pytest.raises(InvalidInput, match="晚于"):
        w.db.call(deadlines.request_change, actor_id=w.staff, case_id=case_id, kind=RequestKind.extension,
                  reason="需要鉴定", new_due_date=date(2026, 12, 1), now=w.clock.now(), policy=POLICY)
    req = w.db.call(deadlines.request_change, actor_id=w.staff, case_id=case_id, kind=RequestKind.extension,
                    reason="需要土地确权鉴定", new_due_date=date(2026, 12, 18), now=w.clock.now(), policy=POLICY)
    with pytest.raises(InvalidInput, match="待领导审批"):
        w.db.call(deadlines.request_change, actor_id=w.staff, case_id=case_id, kind=RequestKind.extension,
                  reason="再次", new_due_date=date(2026, 12, 19), now=w.clock.now(), policy=POLICY)
    w.db.call(deadlines.decide, actor_id=w.director, request_id=req.id, approve=True, now=w.clock.now(),
              policy=POLICY)
    assert get(w, case_id).due_at == local(2026, 12, 18, 17, 30)
    with pytest.raises(InvalidInput, match="已被处理"):
        w.db.call(deadlines.decide, actor_id=w.director, request_id=req.id, approve=False, now=w.clock.now(),
                  policy=POLICY)
    req2 = w.db.call(deadlines.request_change, actor_id=w.staff, case_id=case_id, kind=RequestKind.extension,
                     reason="还需要时间", new_due_date=date(2026, 12, 25), now=w.clock.now(), policy=POLICY)
    w.db.call(deadlines.decide, actor_id=w.leader, request_id=req2.id, approve=False, now=w.clock.now(),
              policy=POLICY, note="请按期办结")
    assert get(w, case_id).due_at == local(2026, 12, 18, 17, 30)


def test_leader_sets_deadline_for_major_case(w):
    case_id = accepted(w, Severity.major)
    assert get(w, case_id).due_at == local(2026, 12, 3, 17, 30)  # the configurable default
    w.db.call(deadlines.set_deadline, actor_id=w.leader, case_id=case_id, due_date=date(2026, 12, 2),
              reason="重大疑难，限期两天", now=w.clock.now(), policy=POLICY)
    assert get(w, case_id).due_at == local(2026, 12, 2, 17, 30)
    with pytest.raises(NotAllowed):
        w.db.call(deadlines.set_deadline, actor_id=w.staff, case_id=case_id, due_date=date(2026, 12, 5),
                  reason="x", now=w.clock.now(), policy=POLICY)


def test_per_type_override(w):
    from models import CaseType

    with w.db.session() as s:
        t = s.get(CaseType, w.neighbour)
        t.deadline_days = 1
        s.add(t)
    assert get(w, accepted(w)).due_at == local(2026, 12, 1, 17, 30)


def test_extension_of_a_baoan_case_needs_the_secretary(w):
    case_id = accepted(w)
    with w.db.session() as s:
        case = s.get(Case, case_id)
        case.leader_id = w.leader
        s.add(case)
    with pytest.raises(InvalidInput, match="包案领导向党委书记申请"):  # leaders could not approve it
        w.db.call(deadlines.request_change, actor_id=w.staff, case_id=case_id, kind=RequestKind.extension,
                  reason="需上级协调", new_due_date=date(2026, 12, 18), now=w.clock.now(), policy=POLICY)
    req = w.db.call(baoan.request_extension, actor_id=w.leader, case_id=case_id, reason="需上级协调",
                    new_due_date=date(2026, 12, 18), now=w.clock.now(), policy=POLICY)
    for who in (w.leader, w.director):
        with pytest.raises(NotAllowed, match="党委书记"):
            w.db.call(deadlines.decide, actor_id=who, request_id=req.id, approve=True, now=w.clock.now(),
                      policy=POLICY)
    w.db.call(deadlines.decide, actor_id=w.secretary, request_id=req.id, approve=True, now=w.clock.now(),
              policy=POLICY)
    assert get(w, case_id).due_at == local(2026, 12, 18, 17, 30)
