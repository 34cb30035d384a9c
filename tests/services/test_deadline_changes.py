"""The chat side's service calls for deadline changes: the form before typing, the approval
messages to the deciders and the decision to the requester, each in one unit of work."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot import texts
from bot.services import cases, deadlines
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from models import Case, DeadlineRequest, Outbox, RequestKind, RequestStatus
from tests.factories import Township

SH = ZoneInfo("Asia/Shanghai")
POLICY = DeadlinePolicy()


def local(y, m, d, hh=9, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH).astimezone(UTC)


@pytest.fixture
def w(db, clock):
    world = Township.build(db, clock)
    ref = world.submit()
    now = clock.now()  # Monday 2026-11-30 09:00; due Thursday 12-03 17:30
    db.call(cases.accept, actor_id=world.staff, case_id=ref.id, now=now, policy=POLICY)
    db.call(cases.assign, actor_id=world.staff, case_id=ref.id, handler_id=world.staff2, now=now)
    world.case_id = ref.id
    return world


def form(w, actor, action, **kw):
    return w.db.call(deadlines.change_form, actor_id=actor, case_id=w.case_id, action=action, now=w.clock.now(),
                     policy=POLICY, **kw)


def ask(w, kind=RequestKind.extension, actor=None, **kw):
    kw.setdefault("reason", "需要等待鉴定结果")
    if kind == RequestKind.extension:
        kw.setdefault("new_due_date", date(2026, 12, 10))
    return w.db.call(deadlines.request_and_notify, actor_id=actor or w.staff2, case_id=w.case_id, kind=kind,
                     now=w.clock.now(), policy=POLICY, **kw)


def rows(w, prefix: str) -> list[Outbox]:
    with w.db.session() as s:
        return list(s.exec(select(Outbox).where(Outbox.key.like(f"{prefix}%")).order_by(Outbox.id)))


def test_the_form_offers_working_days_and_checks_before_any_typing(w):
    ext = form(w, w.staff2, "extension")
    assert ext.due == "12月03日 17:30" and ext.light.startswith("🟢")
    assert [d for _, d in ext.choices] == [date(2026, 12, 4), date(2026, 12, 7), date(2026, 12, 8),
                                            date(2026, 12, 10), date(2026, 12, 14)]
    assert [n for n, _ in ext.choices] == list(deadlines.CHOICE_STEPS)
    assert form(w, w.staff2, "extension", due_date=date(2026, 12, 10)).new_due == "12月10日 17:30"
    with pytest.raises(InvalidInput, match="晚于当前期限"):
        form(w, w.staff2, "extension", due_date=date(2026, 12, 3))
    leader_set = form(w, w.leader, "set")
    assert leader_set.choices[0] == (1, date(2026, 12, 1))  # a leader's deadline counts from today
    with pytest.raises(InvalidInput, match="晚于现在"):
        form(w, w.leader, "set", due_date=date(2026, 11, 29))
    with pytest.raises(NotAllowed):
        form(w, w.staff, "set")
    with pytest.raises(NotAllowed):  # the reporter sees the case but does not handle it
        form(w, w.grid_worker, "extension")
    with pytest.raises(InvalidInput, match="没有挂起"):
        form(w, w.staff2, "resume")
    ask(w, RequestKind.pause)
    with pytest.raises(InvalidInput, match="待领导审批"):
        form(w, w.staff2, "extension")


def test_a_request_asks_every_leader_and_the_director_in_the_same_unit_of_work(w):
    req = ask(w, reason="需要<b>鉴定</b>结果")
    asked = rows(w, f"dl:{req.id}:ask")
    assert {r.chat_id for r in asked} == {1, 3}  # the director and the leader; not the requester
    text = asked[0].text
    assert "周明 申请延期" in text and "申请新期限：12月10日 17:30" in text
    assert "需要&lt;b&gt;鉴定&lt;/b&gt;结果" in text  # typed text is escaped for HTML
    assert f"dl:ok:{req.id}" in asked[0].buttons and f"case:v:{w.case_id}" in asked[0].buttons
    # a refused request leaves no message behind
    with pytest.raises(InvalidInput):
        ask(w, reason="再次申请")
    assert len(rows(w, "dl:")) == 2


def test_a_leader_asking_is_not_asked_and_confidential_cases_show_no_summary(w):
    w.db.call(cases.set_confidential, actor_id=w.director, case_id=w.case_id, confidential=True, now=w.clock.now())
    req = ask(w, actor=w.director)
    asked = rows(w, f"dl:{req.id}:ask")
    assert [r.chat_id for r in asked] == [3]
    assert texts.CONFIDENTIAL_SUMMARY in asked[0].text and "排水沟" not in asked[0].text


def test_decisions_tell_the_requester(w):
    req = ask(w)
    with pytest.raises(NotAllowed):
        w.db.call(deadlines.request_to_decide, actor_id=w.staff, request_id=req.id)
    with pytest.raises(NotFound):
        w.db.call(deadlines.request_to_decide, actor_id=w.leader, request_id=99999)
    pending = w.db.call(deadlines.request_to_decide, actor_id=w.leader, request_id=req.id)
    assert pending.number == "2026-0001" and pending.kind == RequestKind.extension

    decision = w.db.call(deadlines.decide_and_notify, actor_id=w.leader, request_id=req.id, approve=True,
                         now=w.clock.now(), policy=POLICY)
    assert decision.approved and decision.detail == "，新期限 12月10日 17:30"
    [told] = rows(w, f"dl:{req.id}:decided")
    assert told.chat_id == 5 and "已由 刘领导 批准" in told.text and "新期限 12月10日 17:30" in told.text
    with pytest.raises(InvalidInput, match="已被处理（已批准）"):
        w.db.call(deadlines.request_to_decide, actor_id=w.director, request_id=req.id)

    req = ask(w, RequestKind.pause)
    for note in (None, " ", "x" * 201):
        with pytest.raises(InvalidInput):
            w.db.call(deadlines.decide_and_notify, actor_id=w.director, request_id=req.id, approve=False,
                      note=note, now=w.clock.now(), policy=POLICY)
    w.db.call(deadlines.decide_and_notify, actor_id=w.director, request_id=req.id, approve=False,
              note="请按期办结", now=w.clock.now(), policy=POLICY)
    with w.db.session() as s:
        decided = s.get(DeadlineRequest, req.id)
        assert decided.status == RequestStatus.refused and decided.decision_note == "请按期办结"
        assert s.get(Case, w.case_id).paused_at is None
    [told] = rows(w, f"dl:{req.id}:decided")
    assert "被 王主任 驳回" in told.text and "理由：请按期办结" in told.text and "期限不变：12月10日 17:30" in told.text
