"""上门受理 as a service (issue 16): a request by center staff goes to the center leaders and the
director; only they decide, once, and a refusal needs a reason that the requester is told; an
approved request is scheduled (a future moment, a center person who goes), the visitor is told and
reminded two hours before, once (again when the visit is moved); the visit is recorded; the party's
personal data never reaches the audit trail.

The town's clock starts on Monday 2026-11-30 09:00 (Shanghai)."""

import pytest
from sqlmodel import select

from bot.services import home_visits as hv
from bot.services.errors import InvalidInput, NotAllowed
from models import AuditEvent, HomeVisitReason, HomeVisitStatus, Outbox
from tests.factories import SH, local

PHONE = "13912345678"


def _request(w, actor=None):
    return w.db.call(hv.request, actor_id=actor or w.staff, party_name="钱老汉", phone=PHONE, address="东山村三组12号",
                     reason=HomeVisitReason.elderly, note="八十五岁独居，腿脚不便，反映宅基地边界纠纷",
                     now=w.clock.now(), tz=SH)


def _rows(w, part):
    with w.db.session() as s:
        return list(s.exec(select(Outbox).where(Outbox.key.contains(part)).order_by(Outbox.chat_id)))


def test_a_request_reaches_the_leaders_and_the_director_only(w):
    visit, sent = _request(w)
    rows = _rows(w, f"homevisit{visit.id}:decide")
    assert sent == 2 and [r.chat_id for r in rows] == [1, 3]  # 王主任, 刘领导
    assert "钱老汉" in rows[0].text and PHONE in rows[0].text and "同意" in rows[0].buttons
    with pytest.raises(NotAllowed):
        _request(w, actor=w.grid_worker)
    with pytest.raises(InvalidInput):
        w.db.call(hv.request, actor_id=w.staff, party_name="钱老汉", phone="12345", address="东山村",
                  reason=HomeVisitReason.elderly, note="说明情况", now=w.clock.now(), tz=SH)


def test_only_a_leader_decides_once_and_a_refusal_needs_a_reason(w):
    visit, _ = _request(w)
    with pytest.raises(NotAllowed):
        w.db.call(hv.decide, actor_id=w.staff2, visit_id=visit.id, approve=True, now=w.clock.now())
    with pytest.raises(InvalidInput):
        w.db.call(hv.decide, actor_id=w.leader, visit_id=visit.id, approve=False, reason=" ", now=w.clock.now())
    w.db.call(hv.decide, actor_id=w.leader, visit_id=visit.id, approve=False, reason="可由村调委会先行上门",
              now=w.clock.now())
    [told] = _rows(w, f"homevisit{visit.id}:decided")
    assert told.chat_id == 4 and "不同意" in told.text and "可由村调委会先行上门" in told.text
    with pytest.raises(InvalidInput, match="刘领导"):  # the director's press afterwards
        w.db.call(hv.decide, actor_id=w.director, visit_id=visit.id, approve=True, now=w.clock.now())
    with pytest.raises(InvalidInput):  # a refused request is not scheduled
        w.db.call(hv.schedule, actor_id=w.staff, visit_id=visit.id, visit_at=local(2026, 12, 1, 9, 30),
                  visitor_id=w.staff2, now=w.clock.now(), tz=SH)


def _approved(w):
    visit, _ = _request(w)
    w.db.call(hv.decide, actor_id=w.leader, visit_id=visit.id, approve=True, now=w.clock.now())
    return visit


def test_scheduling_tells_the_visitor_and_the_sweep_reminds_two_hours_before_once(w):
    visit = _approved(w)
    with pytest.raises(InvalidInput):  # in the past
        w.db.call(hv.schedule, actor_id=w.staff, visit_id=visit.id, visit_at=local(2026, 11, 30, 8, 0),
                  visitor_id=w.staff2, now=w.clock.now(), tz=SH)
    with pytest.raises(InvalidInput):  # a grid worker does not go for the center
        w.db.call(hv.schedule, actor_id=w.staff, visit_id=visit.id, visit_at=local(2026, 12, 1, 9, 30),
                  visitor_id=w.grid_worker, now=w.clock.now(), tz=SH)
    w.db.call(hv.schedule, actor_id=w.staff, visit_id=visit.id, visit_at=local(2026, 12, 1, 9, 30),
              visitor_id=w.staff2, now=w.clock.now(), tz=SH)
    [told] = _rows(w, f"homevisit{visit.id}:to:")
    assert told.chat_id == 5 and "2026年12月1日 09:30" in told.text
    assert w.db.call(hv.sweep, now=local(2026, 12, 1, 7, 29), tz=SH) == 0
    assert w.db.call(hv.sweep, now=local(2026, 12, 1, 7, 30), tz=SH) == 1
    assert w.db.call(hv.sweep, now=local(2026, 12, 1, 8, 0), tz=SH) == 0  # once
    # moved to the afternoon: reminded again before the new time
    w.db.call(hv.schedule, actor_id=w.staff, visit_id=visit.id, visit_at=local(2026, 12, 1, 15, 0),
              visitor_id=w.staff2, now=local(2026, 12, 1, 8, 0), tz=SH)
    assert w.db.call(hv.sweep, now=local(2026, 12, 1, 12, 59), tz=SH) == 0
    assert w.db.call(hv.sweep, now=local(2026, 12, 1, 13, 0), tz=SH) == 1


def test_the_visit_is_recorded_after_scheduling_and_hands_over_to_intake(w):
    visit = _approved(w)
    with pytest.raises(InvalidInput):  # not scheduled yet
        w.db.call(hv.record_visit, actor_id=w.staff2, visit_id=visit.id, received="已受理", now=w.clock.now())
    w.db.call(hv.schedule, actor_id=w.staff, visit_id=visit.id, visit_at=local(2026, 12, 1, 9, 30),
              visitor_id=w.staff2, now=w.clock.now(), tz=SH)
    with pytest.raises(InvalidInput):
        w.db.call(hv.intake_start, actor_id=w.staff2, visit_id=visit.id)
    done = w.db.call(hv.record_visit, actor_id=w.staff2, visit_id=visit.id,
                     received="当事人反映与邻居宅基地边界不清，要求调解", now=local(2026, 12, 1, 10, 30))
    assert done.status == HomeVisitStatus.done
    start = w.db.call(hv.intake_start, actor_id=w.staff2, visit_id=visit.id)
    assert (start.name, start.phone, start.request) == ("钱老汉", PHONE, "当事人反映与邻居宅基地边界不清，要求调解")
    with w.db.session() as s:
        details = [str(e.details) for e in s.exec(select(AuditEvent).where(AuditEvent.subject_type == "home_visit"))]
    assert len(details) == 4 and not any("钱老汉" in d or PHONE in d or "三组" in d for d in details)
