"""分派 with the assigner's instructions and the deadline; the case desk accepts from the new-case message."""

import json

import pytest
from sqlmodel import col, select

from bot.services import case_card, cases, people
from bot.services.errors import InvalidInput, NotAllowed
from models import Case, CaseStatus, Outbox, Source


def rows_to(w, chat_id: int) -> list[Outbox]:
    with w.db.session() as s:
        return list(s.exec(select(Outbox).where(Outbox.chat_id == chat_id).order_by(Outbox.id)))


def test_the_assignee_is_told_the_instructions_and_the_deadline(w):
    ref = w.submit()
    now = w.clock.now()  # Monday 11-30 09:00: a general case is due Thursday 12-03 17:30
    w.db.call(cases.accept, actor_id=w.staff, case_id=ref.id, now=now)
    w.db.call(cases.assign, actor_id=w.staff, case_id=ref.id, unit_id=w.unit.id, now=now,
              instructions="请周三前约双方到村委会调解 <注意> 先看现场")
    [text] = [r.text for r in rows_to(w, 7) if "已分派给您" in r.text]
    assert "分派要求：请周三前约双方到村委会调解 &lt;注意&gt; 先看现场" in text
    assert "期限：12月03日 17:30（剩 3 个工作日 6 小时）" in text
    card = w.db.call(case_card.case_card, viewer_id=w.staff, case_id=ref.id, now=now)
    assert any("请周三前约双方到村委会调解" in h.note for h in card.history if h.action == "分派")


def test_instructions_are_optional_and_limited(w):
    ref = w.submit()
    now = w.clock.now()
    w.db.call(cases.accept, actor_id=w.staff, case_id=ref.id, now=now)
    with pytest.raises(InvalidInput, match="最多 500 字"):
        w.db.call(cases.assign, actor_id=w.staff, case_id=ref.id, handler_id=w.staff2, now=now, instructions="要" * 501)
    w.db.call(cases.assign, actor_id=w.staff, case_id=ref.id, handler_id=w.staff2, now=now, instructions="  ")
    [text] = [r.text for r in rows_to(w, 5) if "已分派给您" in r.text]
    assert "分派要求" not in text and "期限：12月03日 17:30" in text


def test_the_case_desk_can_accept_from_the_new_case_message(w):
    ref = w.submit()
    desk = [r for r in rows_to(w, 4) if "新事项" in r.text]  # 孙丽, on the desk (all staff while none is)
    leader = [r for r in rows_to(w, 3) if "新事项" in r.text]  # the contact-point leader: only 查看
    assert json.loads(desk[0].buttons) == [[["查看事项", f"case:v:{ref.id}"], ["受理", f"case:acc:{ref.id}"]]]
    assert json.loads(leader[0].buttons) == [[["查看事项", f"case:v:{ref.id}"]]]
    # the press is checked on the server like the card's 受理: the role, then the state
    with pytest.raises(NotAllowed):
        w.db.call(cases.accept, actor_id=w.other_grid, case_id=ref.id, now=w.clock.now())
    w.db.call(cases.accept, actor_id=w.staff, case_id=ref.id, now=w.clock.now())
    with w.db.session() as s:
        assert s.get(Case, ref.id).status == CaseStatus.accepted
    with pytest.raises(cases.InvalidTransition):
        w.db.call(cases.accept, actor_id=w.staff2, case_id=ref.id, now=w.clock.now())


def test_changes_to_the_desk_and_the_contact_points_reach_the_very_next_case(w):
    """Who is on the desk and who is a village's contact point are remembered between cases
    (recipients.py): an admin's change must count from the next case on, not after a restart."""
    def told(ref) -> tuple[set[int], set[int]]:  # (chats offered 受理, chats told without it)
        with w.db.session() as s:
            rows = [r for r in s.exec(select(Outbox).where(col(Outbox.key).startswith(f"case{ref.id}:")))
                    if "新事项" in r.text]
        return {r.chat_id for r in rows if "case:acc" in r.buttons}, {r.chat_id for r in rows if "case:acc" not in r.buttons}

    assert told(w.submit()) == ({4, 5}, {3})  # nobody on the desk: every staff member; the leader's village
    w.call(people.set_case_desk, actor_id=w.director, person_id=w.staff2, on=True)
    assert told(w.submit()) == ({5}, {3})
    w.call(people.set_active, actor_id=w.director, person_id=w.staff2, active=False)
    w.call(people.toggle_contact_point, actor_id=w.director, person_id=w.leader, village_id=w.village.id)
    assert told(w.submit()) == ({4}, set())


def test_a_visit_is_not_offered_to_the_desk_for_acceptance(w):
    """首问: whoever registers a visit has taken it; the desk is told, with 查看事项 only."""
    ref = w.call(cases.register_visit, actor_id=w.staff2, draft=w.draft(source=Source.visit))
    rows = [r for r in rows_to(w, 4) if "新事项" in r.text and ref.number in r.text]
    assert rows and all(json.loads(r.buttons) == [[["查看事项", f"case:v:{ref.id}"]]] for r in rows)


def test_a_confidential_new_case_offers_no_shortcut(w):
    ref = w.submit(type_id=w.secret)
    for chat in (1, 2):
        rows = [r for r in rows_to(w, chat) if "新事项" in r.text]
        assert rows and all(json.loads(r.buttons) == [[["查看事项", f"case:v:{ref.id}"]]] for r in rows)
