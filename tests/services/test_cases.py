"""The case rules without Telegram: numbering, the state machine, visibility, masking, routing."""

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.services import case_card, cases, places
from bot.services.cases import InvalidTransition, PartyInput
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.identity import mask_id_number, mask_phone, validate_id_number
from models import AuditEvent, Case, CaseStatus, InfoReportKind, Outbox, Severity
from tests.factories import VALID_ID


def test_submit_numbers_routes_and_audits(w):
    ref = w.submit()
    assert ref.number == "2026-0001" and ref.status == CaseStatus.registered and not ref.urgent
    assert w.submit().number == "2026-0002"
    # contact-point leader and the case desk (all staff while nobody is on the desk) are told
    assert any("2026-0001" in t for t in w.outbox_to(3))
    assert any("2026-0001" in t for t in w.outbox_to(4)) and any("2026-0001" in t for t in w.outbox_to(5))
    assert w.outbox_to(1) == [] and w.outbox_to(6) == []  # not the director (not urgent), not the reporter
    with w.db.session() as s:
        assert s.exec(select(AuditEvent.action).where(AuditEvent.subject_type == "case", AuditEvent.subject_id == ref.id)).all() == ["case.create"]


def test_urgent_type_reaches_director_and_secretary(w):
    ref = w.submit(type_id=w.mass, severity=Severity.major)
    assert ref.urgent
    assert any("🚨" in t for t in w.outbox_to(1)) and any("🚨" in t for t in w.outbox_to(2))


def test_new_year_starts_at_0001(w, clock):
    w.submit()
    clock.set(datetime(2026, 12, 31, 16, 30, tzinfo=UTC))  # 2027-01-01 00:30 in Shanghai
    assert w.submit().number == "2027-0001"


def test_numbering_under_concurrency_has_no_gaps_or_duplicates(w):
    numbers, errors = [], []

    def worker():
        try:
            numbers.append(w.submit().number)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == [f"2026-{i:04d}" for i in range(1, 17)]


def test_two_staff_accepting_at_once_one_wins(w):
    ref = w.submit()
    results = []
    barrier = threading.Barrier(2)

    def accept(actor):
        barrier.wait()
        try:
            w.db.call(cases.accept, actor_id=actor, case_id=ref.id, now=w.clock.now())
            results.append("ok")
        except InvalidTransition as exc:
            results.append(exc.message)

    threads = [threading.Thread(target=accept, args=(a,)) for a in (w.staff, w.staff2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results, key=len)[0] == "ok" and "不能受理" in sorted(results, key=len)[1]


# every action, its arguments, and the states it is allowed from
ACTIONS = {
    "accept": (cases.accept, {}),
    "decline": (cases.decline, {"guidance": "请到县法院立案"}),
    "assign": (cases.assign, {"handler_id": None}),  # filled in per test
    "progress": (cases.add_progress, {"text": "已上门了解"}),
    "transfer": (cases.transfer, {"to": "县信访局", "reason": "涉及县级部门"}),
    "resolve": (cases.resolve, {"outcome": "调解成功", "agreement": "书面协议", "summary": "双方签订协议"}),
    "reply": (cases.record_reply, {"method": "电话", "replied_at": None}),
    "satisfaction": (cases.record_satisfaction, {"level": "满意"}),
    "archive": (cases.archive, {}),
}


@pytest.mark.parametrize("status", list(CaseStatus))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_state_machine_allows_exactly_the_defined_transitions(w, status, action):
    ref = w.submit()
    w.set_status(ref.id, status)
    fn, kwargs = ACTIONS[action]
    kwargs = dict(kwargs)
    if action == "assign":
        kwargs["handler_id"] = w.staff2
    if action == "reply":
        kwargs["replied_at"] = w.clock.now()
    allowed = status in cases.TRANSITIONS[action].from_states
    if allowed:
        after = w.db.call(fn, actor_id=w.director, case_id=ref.id, now=w.clock.now(), **kwargs)
        expected = cases.TRANSITIONS[action].to_state or status
        assert after.status == expected
    else:
        with pytest.raises(InvalidTransition, match="当前状态"):
            w.db.call(fn, actor_id=w.director, case_id=ref.id, now=w.clock.now(), **kwargs)
        with w.db.session() as s:
            assert s.get(Case, ref.id).status == status  # nothing changed


def test_full_loop_with_unit_and_reporter_notifications(w):
    ref = w.submit()
    now = w.clock.now()
    w.db.call(cases.accept, actor_id=w.staff, case_id=ref.id, now=now)
    w.db.call(cases.assign, actor_id=w.staff, case_id=ref.id, unit_id=w.unit.id, now=now)
    assert any("已分派给您" in t for t in w.outbox_to(7))
    # the unit contact (the handler now) reports progress and resolves; a grid worker may not
    with pytest.raises(NotAllowed):
        w.db.call(cases.add_progress, actor_id=w.other_grid, case_id=ref.id, text="x", now=now)
    w.db.call(cases.add_progress, actor_id=w.unit_contact, case_id=ref.id, text="已约双方调解", now=now)
    w.db.call(cases.resolve, actor_id=w.unit_contact, case_id=ref.id, outcome="调解成功", agreement="口头协议",
              summary="已和解", now=now)
    w.db.call(cases.record_reply, actor_id=w.unit_contact, case_id=ref.id, method="电话", replied_at=now, now=now)
    w.db.call(cases.record_satisfaction, actor_id=w.staff, case_id=ref.id, level="不满意", now=now)
    with w.db.session() as s:
        assert s.get(Case, ref.id).status == CaseStatus.in_progress
    assert any("重新办理" in t for t in w.outbox_to(7)) and any("重新办理" in t for t in w.outbox_to(5))
    reporter_news = w.outbox_to(6)
    for status in ("已受理", "已分派", "调处中", "已办结", "已答复"):
        assert any(status in t for t in reporter_news), status
    card = w.db.call(case_card.case_card, viewer_id=w.staff, case_id=ref.id, now=now)
    assert [h.action for h in card.history] == [
        "登记", "受理", "期限", "分派", "进展", "办结", "答复", "满意度", "重新办理"]


@pytest.mark.parametrize(("status", "unfinished"), [
    (CaseStatus.registered, True), (CaseStatus.accepted, True), (CaseStatus.assigned, True),
    (CaseStatus.in_progress, True),
    (CaseStatus.resolved, False),  # 已办结: was listed under 「未办结」
    (CaseStatus.replied, False), (CaseStatus.archived, False), (CaseStatus.transferred, False),
    (CaseStatus.out_of_scope, False),
])
def test_mycases_filters_put_each_status_in_exactly_one_list(w, status, unfinished):
    ref = w.submit()
    w.set_status(ref.id, status)
    count = lambda state: w.db.call(cases.list_cases, viewer_id=w.grid_worker, scope="reported", state=state)[1]  # noqa: E731
    assert (count("open"), count("closed"), count("all")) == ((1, 0, 1) if unfinished else (0, 1, 1))
    assert w.db.call(cases.search, viewer_id=w.staff, query="排水沟", state="open")[1] == int(unfinished)


def test_confidential_cases_are_hidden_everywhere(w):
    ref = w.submit()
    w.db.call(cases.set_confidential, actor_id=w.leader, case_id=ref.id, confidential=True, now=w.clock.now())
    for viewer in (w.staff, w.other_grid, w.leader):
        with pytest.raises(NotAllowed, match="无权查看"):
            w.db.call(case_card.case_card, viewer_id=viewer, case_id=ref.id, now=w.clock.now())
    # its reporter still reads what they reported (reporter_view), and finds it in their list
    assert w.db.call(case_card.case_card, viewer_id=w.grid_worker, case_id=ref.id, now=w.clock.now()).reporter_view
    assert w.db.call(cases.list_cases, viewer_id=w.grid_worker, scope="reported", state="all")[1] == 1
    assert w.db.call(cases.search, viewer_id=w.staff, query="排水沟")[1] == 0
    assert w.db.call(cases.list_cases, viewer_id=w.leader, scope="villages", state="all")[1] == 0
    w.db.call(case_card.case_card, viewer_id=w.secretary, case_id=ref.id, now=w.clock.now())
    w.db.call(cases.accept, actor_id=w.director, case_id=ref.id, now=w.clock.now())
    w.db.call(cases.assign, actor_id=w.director, case_id=ref.id, handler_id=w.staff, now=w.clock.now())
    assert w.db.call(case_card.case_card, viewer_id=w.staff, case_id=ref.id, now=w.clock.now()).confidential
    assert w.db.call(cases.search, viewer_id=w.staff, query="排水沟")[1] == 1
    with w.db.session() as s:
        views = s.exec(select(AuditEvent).where(AuditEvent.action == "case.view_confidential")).all()
    assert {v.actor_id for v in views} == {w.grid_worker, w.secretary, w.staff}


def test_reporter_of_a_confidential_case_sees_only_what_they_reported(w):
    from bot.services import info_reports
    from models import InfoReport, Person

    now = w.clock.now()
    ref = w.submit(type_id=w.secret, severity=Severity.major)
    with w.db.session() as s:
        first = info_reports.open_first_report(s, case=s.get(Case, ref.id), reporter=s.get(Person, w.grid_worker),
                                               now=now, minutes=30, tz=cases.CENTER_TZ).id
    w.db.call(cases.accept, actor_id=w.director, case_id=ref.id, now=now)
    w.db.call(cases.assign, actor_id=w.director, case_id=ref.id, handler_id=w.staff, now=now)
    w.db.call(cases.add_progress, actor_id=w.staff, case_id=ref.id, text="秘密线索", now=now)
    card = w.db.call(case_card.case_card, viewer_id=w.grid_worker, case_id=ref.id, now=now)
    assert card.reporter_view and card.status == CaseStatus.in_progress and card.parties[0][1] == "13800138000"
    assert card.handler == "" and card.actions == () and not card.baoan.actions and card.deadline is None
    assert [h.action for h in card.history] == ["登记"]
    for act in (cases.accept, cases.archive):  # reading is not acting
        with pytest.raises(NotAllowed):
            w.db.call(act, actor_id=w.grid_worker, case_id=ref.id, now=now)
    # the 信息报告: they fill and submit the first; a 续报 the center sends is not shown to them
    for field, value in (("occurred", "8:40"), ("place", "村口"), ("cause", "散发传单"), ("course", "一人"),
                         ("measures", "报警")):
        w.db.call(info_reports.save_field, actor_id=w.grid_worker, report_id=first, field=field, value=value)
    w.db.call(info_reports.submit_report, actor_id=w.grid_worker, report_id=first, now=now)
    follow = w.db.call(info_reports.start_next, actor_id=w.staff, case_id=ref.id, kind=InfoReportKind.follow_up,
                       now=now).id
    w.db.call(info_reports.submit_report, actor_id=w.staff, report_id=follow, now=now)
    _, views = w.db.call(info_reports.case_reports, actor_id=w.grid_worker, case_id=ref.id)
    assert [v.id for v in views] == [first]
    with pytest.raises(NotAllowed):
        w.db.call(info_reports.report_view, actor_id=w.grid_worker, report_id=follow)
    with pytest.raises(NotAllowed):
        w.db.call(info_reports.start_next, actor_id=w.grid_worker, case_id=ref.id, kind=InfoReportKind.final, now=now)
    assert w.db.call(info_reports.case_reports, actor_id=w.staff, case_id=ref.id)[1][-1].id == follow
    with w.db.session() as s:
        assert s.get(InfoReport, first).submitted_by_id == w.grid_worker


def test_confidential_type_only_notifies_director_and_secretary(w):
    w.submit(type_id=w.secret, severity=Severity.major)
    assert w.outbox_to(3) == [] and w.outbox_to(4) == []
    assert w.outbox_to(1) and w.outbox_to(2)
    assert all("排水沟" not in t for t in w.outbox_to(1))


def test_every_notification_about_a_confidential_case_is_protected(w):
    """保密事项: whatever the notification (new case, assignment, status to the reporter, reopening),
    it goes with protect_content; an ordinary case's do not."""
    now = w.clock.now()

    def loop(ref):
        w.db.call(cases.accept, actor_id=w.director, case_id=ref.id, now=now)
        w.db.call(cases.assign, actor_id=w.director, case_id=ref.id, unit_id=w.unit.id, now=now)
        w.db.call(cases.add_progress, actor_id=w.unit_contact, case_id=ref.id, text="已约谈", now=now)
        with w.db.session() as s:
            return [(o.key, o.protect) for o in s.exec(select(Outbox).where(Outbox.key.like(f"case{ref.id}:%")))]

    secret = loop(w.submit(type_id=w.secret, severity=Severity.major))
    assert len(secret) >= 4 and all(protect for _, protect in secret), secret
    ordinary = loop(w.submit())
    assert ordinary and not any(protect for _, protect in ordinary)
    later = w.submit()  # made confidential after registration: what follows is protected
    w.db.call(cases.set_confidential, actor_id=w.director, case_id=later.id, confidential=True, now=now)
    loop(later)
    with w.db.session() as s:
        after = s.exec(select(Outbox).where(Outbox.key.like(f"case{later.id}:%"), Outbox.person_id == w.unit_contact)).all()
    assert after and all(o.protect for o in after)


def test_personal_data_masked_unless_role_needs_it(w):
    ref = w.submit()
    leader_card = w.db.call(case_card.case_card, viewer_id=w.leader, case_id=ref.id, now=w.clock.now())
    assert leader_card.parties[0] == ("赵大", "138****8000", "1101**********002X")
    director_card = w.db.call(case_card.case_card, viewer_id=w.director, case_id=ref.id, now=w.clock.now())
    assert director_card.parties[0] == ("赵大", "13800138000", VALID_ID)
    reporter_card = w.db.call(case_card.case_card, viewer_id=w.grid_worker, case_id=ref.id, now=w.clock.now())
    assert reporter_card.parties[0][2] == VALID_ID


def test_who_works_the_case_sees_full_numbers_and_each_view_is_audited(w):
    now = w.clock.now()
    ref = w.submit()
    w.db.call(cases.accept, actor_id=w.staff, case_id=ref.id, now=now)
    w.db.call(cases.assign, actor_id=w.staff, case_id=ref.id, unit_id=w.unit.id, now=now)
    full = ("赵大", "13800138000", VALID_ID)
    assert w.db.call(case_card.case_card, viewer_id=w.unit_contact, case_id=ref.id, now=now).parties[0] == full
    assert w.db.call(case_card.case_card, viewer_id=w.staff2, case_id=ref.id, now=now).parties[0][1] == "138****8000"
    w.db.call(cases.assign, actor_id=w.staff, case_id=ref.id, handler_id=w.staff2, now=now)
    assert w.db.call(case_card.case_card, viewer_id=w.staff2, case_id=ref.id, now=now).parties[0] == full
    w.db.call(case_card.case_card, viewer_id=w.grid_worker, case_id=ref.id, now=now)  # typed them: not audited
    with w.db.session() as s:
        seen = s.exec(select(AuditEvent.actor_id).where(AuditEvent.action == "case.view_personal")).all()
    assert seen == [w.unit_contact, w.staff2]
    card = w.db.call(case_card.case_card, viewer_id=w.director, case_id=ref.id, now=now)
    assert "view_personal" not in " ".join(h.action for h in card.history)


def test_visibility_for_grid_workers_and_contact_leaders(w):
    ref = w.submit()
    with pytest.raises(NotAllowed):
        w.db.call(case_card.case_card, viewer_id=w.other_grid, case_id=ref.id, now=w.clock.now())
    assert w.db.call(cases.list_cases, viewer_id=w.leader, scope="villages")[1] == 1
    assert w.db.call(cases.list_cases, viewer_id=w.grid_worker, scope="reported")[1] == 1
    with pytest.raises(NotAllowed):
        w.db.call(cases.search, viewer_id=w.grid_worker, query="排水")


def test_a_baoan_leader_finds_the_case_among_those_assigned_to_them(w):
    ref = w.submit()
    assert w.db.call(cases.list_cases, viewer_id=w.leader, scope="assigned")[1] == 0
    with w.db.session() as s:
        s.get(Case, ref.id).leader_id = w.leader
    assert w.db.call(cases.list_cases, viewer_id=w.leader, scope="assigned")[1] == 1


def test_possible_duplicates_within_seven_days(w, clock):
    first = w.submit()
    dups = w.db.call(cases.possible_duplicates, type_id=w.neighbour, village_id=w.village.id, now=clock.now())
    assert [d.number for d in dups] == [first.number]
    later = clock.now() + timedelta(days=8)
    assert w.db.call(cases.possible_duplicates, type_id=w.neighbour, village_id=w.village.id, now=later) == []


def test_search_by_number_party_village_keyword(w):
    ref = w.submit()
    for q in (ref.number, "赵大", "东山", "排水沟"):
        found, total = w.db.call(cases.search, viewer_id=w.staff, query=q)
        assert total == 1 and found[0].number == ref.number, q
    assert w.db.call(cases.search, viewer_id=w.staff, query="不存在的词")[1] == 0


def test_out_of_scope_visit_is_recorded_and_counted(w):
    ref = w.db.call(cases.register_out_of_scope, actor_id=w.staff,
                    draft=w.draft(description="咨询离婚财产分割", parties=(PartyInput("钱女士"),)),
                    guidance="属法院管辖：请带身份证、结婚证到县人民法院诉讼服务中心", now=w.clock.now())
    assert ref.status == CaseStatus.out_of_scope
    card = w.db.call(case_card.case_card, viewer_id=w.staff, case_id=ref.id, now=w.clock.now())
    assert card.first_inquiry == "孙丽" and "县人民法院" in card.guidance
    assert w.db.call(cases.count_out_of_scope, since=w.clock.now() - timedelta(days=1)) == 1


def test_bad_input_is_refused_clearly(w):
    with pytest.raises(InvalidInput, match="简要情况"):
        w.submit(description="   ")
    with pytest.raises(InvalidInput, match="最多"):
        w.submit(description="字" * 2001)
    with pytest.raises(InvalidInput, match="校验位"):
        w.submit(parties=(PartyInput("赵大", None, "110105194912310021"),))
    with pytest.raises(NotAllowed):
        w.submit(actor=w.unit_contact)
    ref = w.submit()
    w.db.call(cases.accept, actor_id=w.staff, case_id=ref.id, now=w.clock.now())
    with pytest.raises(InvalidInput, match="联络人"):
        unit2 = w.db.call(places.create_unit, actor_id=w.director, name="镇民政办", now=w.clock.now())
        w.db.call(cases.assign, actor_id=w.staff, case_id=ref.id, unit_id=unit2.id, now=w.clock.now())


def test_identity_helpers():
    assert validate_id_number("11010519491231002x") == VALID_ID
    assert mask_phone("13812345678") == "138****5678"
    assert mask_id_number("330102199001011234") == "3301**********1234"
    with pytest.raises(InvalidInput, match="出生日期"):
        validate_id_number("110105194913310021")


def test_draft_is_immutable_plain_data(w):
    d = w.draft()
    assert replace(d, people_count=3).people_count == 3
