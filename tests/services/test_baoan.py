"""领导包案 without Telegram: proposal → the secretary's approval (or another leader, or refusal)
→ mediation plan and deadline → extension approved only by the secretary → completion."""

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.services import baoan, case_card, cases, deadlines, people, reminders
from bot.services.cases import FileInput, InvalidTransition
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed
from models import (
    Attachment,
    BaoanRequest,
    BaoanStatus,
    CaseStatus,
    Outbox,
    RequestKind,
    Role,
    Severity,
)
from tests.factories import Township

SH = ZoneInfo("Asia/Shanghai")
POLICY = DeadlinePolicy()


def local(y, m, d, hh=9, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH).astimezone(UTC)


@pytest.fixture
def w(town) -> Township:
    """The township with 陈领导 (id 9) and a case accepted and assigned to 周明."""
    town.with_baoan().running_case()
    return town


def buttons(row: Outbox) -> list[str]:
    return [data for line in json.loads(row.buttons) for _label, data in line]


def test_full_path_approve_plan_extension_complete(w):
    req = w.propose()
    asked = w.messages(2, "ask")
    assert len(asked) == 1 and "刘领导" in asked[0].text and "涉及多部门" in asked[0].text
    assert buttons(asked[0]) == [f"ba:ok:{req.id}", f"ba:pick:{req.id}", f"ba:no:{req.id}", f"case:v:{w.case_id}"]

    w.call(baoan.decide, actor_id=w.secretary, request_id=req.id, approve=True)
    assert w.case().leader_id == w.leader
    to_leader = w.messages(3, f"ba{req.id}:leader")
    assert len(to_leader) == 1 and "由您包案" in to_leader[0].text and buttons(to_leader[0]) == [f"case:v:{w.case_id}"]
    assert any("已获批准" in m.text for m in w.messages(1, f"ba{req.id}:decided"))
    with pytest.raises(InvalidInput, match="已经批准"):
        w.call(baoan.decide, actor_id=w.secretary, request_id=req.id, approve=True)

    # the 包案领导 records the plan and a deadline within the current one: end of that working day,
    # the ladder starts again (a later one would be an extension for the secretary, tested below)
    case = w.call(baoan.record_plan, actor_id=w.leader, case_id=w.case_id, plan="先分别约谈两户，再现场勘界",
                  due_date=date(2026, 12, 2), policy=POLICY).case
    assert case.mediation_plan == "先分别约谈两户，再现场勘界"
    assert case.due_at == local(2026, 12, 2, 17, 30) and case.next_reminder_at == w.clock.now()
    assert w.clock.now() < case.yellow_at < case.due_at
    w.call(baoan.record_plan, actor_id=w.leader, case_id=w.case_id, plan="修订方案：请司法所参与", due_date=None,
           policy=POLICY)
    assert w.case().mediation_plan == "修订方案：请司法所参与" and w.case().due_at == local(2026, 12, 2, 17, 30)

    ext = w.call(baoan.request_extension, actor_id=w.leader, case_id=w.case_id, reason="需等待上级部门协调",
                 new_due_date=date(2026, 12, 22), policy=POLICY)
    assert ext.kind == RequestKind.extension
    ask = w.messages(2, f"bax{ext.id}:ask")
    assert len(ask) == 1 and f"ba:xok:{ext.id}" in buttons(ask[0]) and f"ba:xno:{ext.id}" in buttons(ask[0])
    assert w.messages(1, f"bax{ext.id}") == []  # not the director: the secretary decides
    for who in (w.director, w.leader2, w.staff):
        with pytest.raises(NotAllowed):
            w.call(baoan.decide_extension, actor_id=who, request_id=ext.id, approve=True, policy=POLICY)
    w.call(baoan.decide_extension, actor_id=w.secretary, request_id=ext.id, approve=True, policy=POLICY)
    assert w.case().due_at == local(2026, 12, 22, 17, 30)
    assert any("新期限 12月22日 17:30" in m.text for m in w.messages(3, f"bax{ext.id}:decided"))

    ref = w.call(baoan.complete, actor_id=w.leader, case_id=w.case_id, summary="双方签订调解协议",
                 files=(FileInput("document", "f-agree", file_name="协议.pdf"), FileInput("photo", "f-site")),
                 joint_notice="已书面告知县矛调中心备案")
    assert ref.status == CaseStatus.resolved
    case = w.case()
    assert case.result == "双方签订调解协议" and case.joint_notice == "已书面告知县矛调中心备案"
    assert case.outcome == "调解成功" and case.resolved_at == w.clock.now()
    with w.db.session() as s:
        notes = s.exec(select(Attachment.note).where(Attachment.case_id == w.case_id)).all()
    assert notes == ["包案办结材料", "包案办结材料"]
    assert any("已随事项归档" in m.text and "县矛调中心" in m.text for m in w.messages(1, "baoan_done"))
    assert any("已随事项归档" in m.text for m in w.messages(2, "baoan_done"))
    assert any("已办结" in m.text for m in w.messages(6))  # the reporter hears of it, as with any 办结
    assert [a for a in w.actions() if a.startswith("case.baoan")] == [
        "case.baoan_request", "case.baoan_approve", "case.baoan_plan", "case.baoan_plan", "case.baoan_complete"]
    with w.db.session() as s:
        labels = [h.action for h in case_card.history(s, case_id=w.case_id)]
    for label in ("提议包案", "批准包案", "调处方案", "申请延期", "办结", "包案办结"):
        assert label in labels
    with pytest.raises(InvalidTransition):
        w.call(baoan.complete, actor_id=w.leader, case_id=w.case_id, summary="再次办结")


def test_secretary_picks_another_leader(w):
    req = w.propose()
    with w.db.session() as s:
        assert {c.id for c in baoan.leader_choices(s)} == {w.director, w.leader, w.leader2}
    with pytest.raises(InvalidInput, match="不是在岗的中心领导、主任或镇党政领导"):
        w.call(baoan.decide, actor_id=w.secretary, request_id=req.id, approve=True, chosen_leader_id=w.staff)
    w.call(baoan.decide, actor_id=w.secretary, request_id=req.id, approve=True, chosen_leader_id=w.leader2)
    assert w.case().leader_id == w.leader2
    assert len(w.messages(9, "leader")) == 1 and w.messages(3, "leader") == []
    with w.db.session() as s:
        saved = s.get(BaoanRequest, req.id)
        assert saved.status == BaoanStatus.approved and saved.chosen_leader_id == w.leader2
        labels = [(h.action, h.note) for h in case_card.history(s, case_id=w.case_id)]
    assert ("批准包案", "由 陈领导 包案（另选，原提议 刘领导）") in labels
    # the proposed leader who was not chosen cannot act on the case
    with pytest.raises(NotAllowed):
        w.call(baoan.record_plan, actor_id=w.leader, case_id=w.case_id, plan="方案", due_date=date(2026, 12, 9),
               policy=POLICY)


def test_secretary_refuses_with_a_reason(w):
    req = w.propose(actor=w.leader, leader=w.leader)
    with pytest.raises(InvalidInput, match="理由"):
        w.call(baoan.decide, actor_id=w.secretary, request_id=req.id, approve=False)
    w.call(baoan.decide, actor_id=w.secretary, request_id=req.id, approve=False, reason="属一般纠纷，由司法所调处")
    assert w.case().leader_id is None
    told = w.messages(3, f"ba{req.id}:decided")
    assert len(told) == 1 and "未获同意" in told[0].text and "由司法所调处" in told[0].text
    with pytest.raises(InvalidInput, match="不同意"):
        w.call(baoan.decide, actor_id=w.secretary, request_id=req.id, approve=True)
    # a refused proposal does not block a new one
    assert w.propose().status == BaoanStatus.pending


def test_one_pending_proposal_and_one_leader_per_case(w):
    w.propose()
    with pytest.raises(InvalidInput, match="待党委书记审批"):
        w.propose(actor=w.leader)
    with w.db.session() as s:
        pending = baoan.pending_proposals(s, viewer_id=w.secretary)
    assert len(pending) == 1 and pending[0].proposed_leader == "刘领导"
    w.call(baoan.decide, actor_id=w.secretary, request_id=pending[0].id, approve=True)
    with pytest.raises(InvalidInput, match="已由 刘领导 包案"):
        w.propose()


def test_proposal_needs_a_secretary_and_a_running_case(w):
    w.call(people.set_active, actor_id=w.director, person_id=w.secretary, active=False)
    with pytest.raises(InvalidInput, match="党委书记"):
        w.propose()
    w.call(people.set_active, actor_id=w.director, person_id=w.secretary, active=True)
    fresh = w.submit()
    with pytest.raises(InvalidInput, match="已受理"):
        w.call(baoan.propose, actor_id=w.director, case_id=fresh.id, leader_id=w.leader, reason="需要领导包案")
    with pytest.raises(InvalidInput, match="理由"):
        w.propose(reason=" ")


def test_wrong_roles_are_refused_everywhere(w):
    for who in (w.staff, w.grid_worker, w.unit_contact, w.secretary):
        with pytest.raises(NotAllowed):
            w.propose(actor=who)
    req = w.propose()
    for who in (w.director, w.leader, w.staff, w.unit_contact):
        with pytest.raises(NotAllowed):
            w.call(baoan.decide, actor_id=who, request_id=req.id, approve=True)
    w.call(baoan.decide, actor_id=w.secretary, request_id=req.id, approve=True)
    for who in (w.director, w.secretary, w.leader2, w.staff2):
        with pytest.raises(NotAllowed):
            w.call(baoan.record_plan, actor_id=who, case_id=w.case_id, plan="方案", due_date=date(2026, 12, 9),
                   policy=POLICY)
        with pytest.raises(NotAllowed):
            w.call(baoan.request_extension, actor_id=who, case_id=w.case_id, reason="理由充分",
                   new_due_date=date(2026, 12, 30), policy=POLICY)
        with pytest.raises(NotAllowed):
            w.call(baoan.complete, actor_id=who, case_id=w.case_id, summary="办结")
    with pytest.raises(NotAllowed):
        w.call(baoan.my_cases, viewer_id=w.grid_worker, policy=POLICY)


def test_extension_rules(w):
    w.approved()
    w.plan(date(2026, 12, 9))
    with pytest.raises(InvalidInput, match="晚于当前期限"):
        w.call(baoan.request_extension, actor_id=w.leader, case_id=w.case_id, reason="理由充分",
               new_due_date=date(2026, 12, 8), policy=POLICY)
    ext = w.call(baoan.request_extension, actor_id=w.leader, case_id=w.case_id, reason="理由充分",
                 new_due_date=date(2026, 12, 18), policy=POLICY)
    with pytest.raises(InvalidInput, match="待审批"):
        w.call(baoan.request_extension, actor_id=w.leader, case_id=w.case_id, reason="再申请",
               new_due_date=date(2026, 12, 19), policy=POLICY)
    with pytest.raises(InvalidInput, match="驳回理由"):
        w.call(baoan.decide_extension, actor_id=w.secretary, request_id=ext.id, approve=False, policy=POLICY)
    w.call(baoan.decide_extension, actor_id=w.secretary, request_id=ext.id, approve=False, note="期限内可办结",
           policy=POLICY)
    assert w.case().due_at == local(2026, 12, 9, 17, 30)
    refused = w.messages(3, f"bax{ext.id}:decided")
    assert len(refused) == 1 and "期限内可办结" in refused[0].text and "12月09日 17:30" in refused[0].text
    with pytest.raises(InvalidInput, match="已被处理"):
        w.call(baoan.decide_extension, actor_id=w.secretary, request_id=ext.id, approve=True, policy=POLICY)


def test_an_ordinary_extension_is_not_the_secretarys(w):
    req = w.call(deadlines.request_change, actor_id=w.staff2, case_id=w.case_id, kind=RequestKind.extension,
                 reason="当事人外出", new_due_date=date(2026, 12, 10), policy=POLICY)
    with pytest.raises(InvalidInput, match="不是包案事项"):
        w.call(baoan.decide_extension, actor_id=w.secretary, request_id=req.id, approve=True, policy=POLICY)


def test_my_cases_with_warning_lights(w):
    w.approved()
    w.call(baoan.record_plan, actor_id=w.leader, case_id=w.case_id, plan="方案", due_date=date(2026, 12, 3),
           policy=POLICY)
    mine = w.call(baoan.my_cases, viewer_id=w.leader, policy=POLICY)
    assert [(r.number, r.light, r.leader, r.plan_recorded) for r in mine] == [("2026-0001", "🟢", "刘领导", True)]
    assert w.call(baoan.my_cases, viewer_id=w.leader2, policy=POLICY) == []
    late = local(2026, 12, 4, 10)
    for who in (w.director, w.secretary):
        rows = w.call(baoan.my_cases, viewer_id=who, policy=POLICY, now=late)
        assert [(r.light, r.left) for r in rows] == [("🔴", "已超期 1 小时 30 分钟")]
    w.call(baoan.request_extension, actor_id=w.leader, case_id=w.case_id, reason="理由充分",
           new_due_date=date(2026, 12, 18), policy=POLICY)
    assert w.call(baoan.my_cases, viewer_id=w.leader, policy=POLICY)[0].extension_pending
    w.call(baoan.complete, actor_id=w.leader, case_id=w.case_id, summary="已办结")
    assert [r.status for r in w.call(baoan.my_cases, viewer_id=w.leader, policy=POLICY)] == [CaseStatus.resolved]
    w.set_status(w.case_id, CaseStatus.archived)
    assert w.call(baoan.my_cases, viewer_id=w.leader, policy=POLICY) == []
    assert len(w.call(baoan.my_cases, viewer_id=w.leader, policy=POLICY, state="all")) == 1


def test_the_leader_works_a_confidential_case_they_answer_for(w):
    ref = w.submit(type_id=w.secret, severity=Severity.major)
    w.call(cases.accept, actor_id=w.director, case_id=ref.id)
    with pytest.raises(NotAllowed):  # a leader cannot see it, so cannot propose it
        w.call(baoan.propose, actor_id=w.leader, case_id=ref.id, leader_id=w.leader, reason="重大敏感")
    req = w.call(baoan.propose, actor_id=w.director, case_id=ref.id, leader_id=w.leader, reason="重大敏感")
    asked = w.messages(2, f"ba{req.id}:ask")[0]
    assert "保密事项" in asked.text  # the summary stays out of chat
    w.call(baoan.decide, actor_id=w.secretary, request_id=req.id, approve=True)
    w.call(baoan.record_plan, actor_id=w.leader, case_id=ref.id, plan="专班处置", due_date=date(2026, 12, 11),
           policy=POLICY)
    assert [r.number for r in w.call(baoan.my_cases, viewer_id=w.leader, policy=POLICY)] == ["2026-0002"]


def test_plan_date_must_be_in_the_future(w):
    w.approved()
    with pytest.raises(InvalidInput, match="晚于现在"):
        w.call(baoan.record_plan, actor_id=w.leader, case_id=w.case_id, plan="方案",
               due_date=(w.clock.now() - timedelta(days=1)).date(), policy=POLICY)
    with pytest.raises(InvalidInput, match="调处期限"):
        w.call(baoan.record_plan, actor_id=w.leader, case_id=w.case_id, plan="方案", due_date=None, policy=POLICY)


def test_an_ordinary_extension_of_a_baoan_case_is_refused_up_front(w):
    """Leaders and the director cannot approve it, so it must not be asked at all: the 包案领导
    asks the secretary (baoan.request_extension), everyone else is sent to the 包案领导."""
    w.approved()
    w.plan(date(2026, 12, 9))
    with pytest.raises(InvalidInput, match="联系本事项的包案领导"):
        w.call(deadlines.change_form, actor_id=w.staff2, case_id=w.case_id, action="extension", policy=POLICY)
    # The 包案领导's own form (baoan's extension flow shows these date choices).
    assert w.call(deadlines.change_form, actor_id=w.leader, case_id=w.case_id, action="extension", policy=POLICY)
    for actor, hint in ((w.staff2, "联系本事项的包案领导"), (w.leader, "点「⏳ 申请延期」")):
        with pytest.raises(InvalidInput, match=hint):
            w.call(deadlines.request_change, actor_id=actor, case_id=w.case_id, kind=RequestKind.extension,
                   reason="当事人外出", new_due_date=date(2026, 12, 10), policy=POLICY)
    w.call(deadlines.change_form, actor_id=w.staff2, case_id=w.case_id, action="pause", policy=POLICY)


def test_reminders_of_a_baoan_case_offer_the_secretary_extension(w):
    w.approved()
    w.plan(date(2026, 12, 9))
    moment = local(2026, 12, 9, 8, 40)  # the due day, at the start of work
    w.clock.set(moment)
    w.db.call(reminders.sweep, now=moment, policy=POLICY)
    sent = [r for r in w.messages(3) if r.key.startswith(f"rem:{w.case_id}:")]
    assert sent and all(f"ba:ext:{w.case_id}" in buttons(r) and f"dl:ext:{w.case_id}" not in buttons(r)
                        for r in sent)


def test_a_plan_deadline_later_than_the_current_one_is_an_extension_for_the_secretary(w):
    """领导包案制度 四: any 包案 deadline beyond the case's current one needs the party secretary,
    the first plan's included. The plan is kept; the case keeps its deadline until approval."""
    w.approved()
    assert w.case().due_at == local(2026, 12, 3, 17, 30)  # the ordinary deadline set at 受理
    done = w.call(baoan.record_plan, actor_id=w.leader, case_id=w.case_id, plan="先约谈两户，再请上级协调",
                  due_date=date(2026, 12, 18), policy=POLICY)
    case = w.case()
    assert done.case.mediation_plan == case.mediation_plan == "先约谈两户，再请上级协调"
    assert case.due_at == local(2026, 12, 3, 17, 30)  # unchanged until the secretary approves
    ext = done.extension
    assert ext is not None and ext.kind == RequestKind.extension and ext.requested_by_id == w.leader
    assert ext.new_due_at == local(2026, 12, 18, 17, 30)
    ask = w.messages(2, f"bax{ext.id}:ask")
    assert len(ask) == 1 and "12月03日 17:30" in ask[0].text and "先约谈两户" in ask[0].text
    assert buttons(ask[0])[:2] == [f"ba:xok:{ext.id}", f"ba:xno:{ext.id}"]
    # while it waits, another later date is refused and nothing is recorded
    with pytest.raises(InvalidInput, match="待审批"):
        w.call(baoan.record_plan, actor_id=w.leader, case_id=w.case_id, plan="再改方案",
               due_date=date(2026, 12, 25), policy=POLICY)
    assert w.case().mediation_plan == "先约谈两户，再请上级协调"
    w.call(baoan.decide_extension, actor_id=w.secretary, request_id=ext.id, approve=True, policy=POLICY)
    assert w.case().due_at == local(2026, 12, 18, 17, 30)


def test_a_plan_deadline_within_the_current_one_takes_effect(w):
    w.approved()
    done = w.call(baoan.record_plan, actor_id=w.leader, case_id=w.case_id, plan="当天约谈", due_date=date(2026, 12, 2),
                  policy=POLICY)
    assert done.extension is None and w.case().due_at == local(2026, 12, 2, 17, 30)
    assert w.messages(2, "bax") == []


def test_a_later_plan_deadline_without_a_secretary_records_nothing(w):
    w.approved()
    w.call(people.set_active, actor_id=w.director, person_id=w.secretary, active=False)
    with pytest.raises(InvalidInput, match="党委书记"):
        w.call(baoan.record_plan, actor_id=w.leader, case_id=w.case_id, plan="方案", due_date=date(2026, 12, 20),
               policy=POLICY)
    assert w.case().mediation_plan is None


def test_setting_a_later_deadline_directly_on_a_baoan_case_is_refused(w):
    """设定期限 (a center leader's or the director's) cannot move a 包案 deadline out either."""
    w.approved()
    for who in (w.director, w.leader2):
        with pytest.raises(InvalidInput, match="党委书记"):
            w.call(deadlines.set_deadline, actor_id=who, case_id=w.case_id, due_date=date(2026, 12, 18),
                   reason="需要更多时间", policy=POLICY)
    assert w.case().due_at == local(2026, 12, 3, 17, 30)
    w.call(deadlines.set_deadline, actor_id=w.director, case_id=w.case_id, due_date=date(2026, 12, 2),
           reason="尽快办结", policy=POLICY)
    assert w.case().due_at == local(2026, 12, 2, 17, 30)


def test_a_township_leader_may_be_named_and_does_the_baoan_steps(w):
    """镇党政领导: matters that need the 党委、政府 may be given to a township leader (领导包案制度 一),
    who then has the same 包案 duties. They do not propose, and see only the cases they answer for."""
    with w.db.session() as s:
        mayor = people.create_person(s, name="马镇长", phone=None, roles={Role.township_leader}, telegram_id=10,
                                     now=w.clock.now()).id
        assert mayor in {c.id for c in baoan.leader_choices(s)}
    other = w.submit(description="另一件邻里纠纷")
    with pytest.raises(NotAllowed):
        w.call(baoan.propose, actor_id=mayor, case_id=w.case_id, leader_id=mayor, reason="需要政府协调")
    assert w.call(baoan.my_cases, viewer_id=mayor, policy=POLICY) == []

    req = w.propose(reason="涉及征地补偿，需镇政府协调")  # proposed 刘领导; the secretary names the 镇长
    w.call(baoan.decide, actor_id=w.secretary, request_id=req.id, approve=True, chosen_leader_id=mayor)
    assert w.case().leader_id == mayor
    [materials] = w.messages(10, f"ba{req.id}:leader")
    assert "由您包案" in materials.text and buttons(materials) == [f"case:v:{w.case_id}"]
    with w.db.session() as s:
        assert case_card.case_card(s, viewer_id=mayor, case_id=w.case_id, now=w.clock.now()).baoan.actions == (
            "plan", "upper", "extend", "complete")
        with pytest.raises(NotAllowed):  # not a center member: other cases stay closed to them
            case_card.case_card(s, viewer_id=mayor, case_id=other.id, now=w.clock.now())

    done = w.call(baoan.record_plan, actor_id=mayor, case_id=w.case_id, plan="召集国土所、村委会现场协调",
                  due_date=date(2026, 12, 2), policy=POLICY)
    assert done.extension is None and w.case().due_at == local(2026, 12, 2, 17, 30)
    assert [r.number for r in w.call(baoan.my_cases, viewer_id=mayor, policy=POLICY)] == ["2026-0001"]
    ext = w.call(baoan.request_extension, actor_id=mayor, case_id=w.case_id, reason="等待县里出具补偿标准",
                 new_due_date=date(2026, 12, 9), policy=POLICY)
    assert len(w.messages(2, f"bax{ext.id}:ask")) == 1
    # reminders of their case reach them, with the secretary's extension button
    w.call(baoan.decide_extension, actor_id=w.secretary, request_id=ext.id, approve=True, policy=POLICY)
    moment = local(2026, 12, 9, 8, 40)
    w.clock.set(moment)
    w.db.call(reminders.sweep, now=moment, policy=POLICY)
    sent = [r for r in w.messages(10) if r.key.startswith(f"rem:{w.case_id}:")]
    assert sent and all(f"ba:ext:{w.case_id}" in buttons(r) for r in sent)
    ref = w.call(baoan.complete, actor_id=mayor, case_id=w.case_id, summary="补偿协议已签订")
    assert ref.status == CaseStatus.resolved


# --- 上级协调 (制度第三条) ----------------------------------------------------------------------------


def test_the_leader_records_coordination_with_a_higher_department(w):
    w.approved()
    note = "市信访局：已报请协调国土部门勘界，答复一周内派员"
    w.call(baoan.record_upper, actor_id=w.leader, case_id=w.case_id, note=note)
    assert w.actions()[-1] == "case.baoan_upper"
    with w.db.session() as s:
        [entry] = [h for h in case_card.history(s, case_id=w.case_id) if h.action == "上级协调"]
        assert entry.note == note and entry.actor == "刘领导"
        card = case_card.case_card(s, viewer_id=w.director, case_id=w.case_id, now=w.clock.now())
    assert card.baoan.upper.note == note and "upper" not in card.baoan.actions
    # The party secretary who approved the 包案 is told, once per record, with the card.
    [told] = w.messages(2, "baoan_upper")
    assert "市信访局" in told.text and "刘领导" in told.text and buttons(told) == [f"case:v:{w.case_id}"]
    w.clock.advance(timedelta(hours=1))
    w.call(baoan.record_upper, actor_id=w.leader, case_id=w.case_id, note="市信访局：已派员到场")
    assert len(w.messages(2, "baoan_upper")) == 2
    with w.db.session() as s:
        assert [n.note for n in baoan.upper_notes(s, case_id=w.case_id)] == [note, "市信访局：已派员到场"]
        card = case_card.case_card(s, viewer_id=w.leader, case_id=w.case_id, now=w.clock.now())
    assert card.baoan.upper.note == "市信访局：已派员到场" and "upper" in card.baoan.actions


def test_only_the_baoan_leader_records_coordination_while_the_case_runs(w):
    with pytest.raises(NotAllowed, match="包案领导"):  # no 包案 yet
        w.call(baoan.record_upper, actor_id=w.leader, case_id=w.case_id, note="市信访局：已报请协调")
    w.approved()
    for who in (w.director, w.secretary, w.leader2, w.staff2):
        with pytest.raises(NotAllowed, match="只有该事项的包案领导可以办理"):
            w.call(baoan.record_upper, actor_id=who, case_id=w.case_id, note="市信访局：已报请协调")
    with pytest.raises(InvalidInput, match="上级协调情况"):
        w.call(baoan.record_upper, actor_id=w.leader, case_id=w.case_id, note=" 市 ")
    with pytest.raises(InvalidInput, match="500"):
        w.call(baoan.record_upper, actor_id=w.leader, case_id=w.case_id, note="协" * 501)
    w.call(baoan.complete, actor_id=w.leader, case_id=w.case_id, summary="已办结")
    with pytest.raises(InvalidInput, match="已不在办理中"):
        w.call(baoan.record_upper, actor_id=w.leader, case_id=w.case_id, note="市信访局：已报请协调")
    assert "case.baoan_upper" not in w.actions() and w.messages(2, "baoan_upper") == []
