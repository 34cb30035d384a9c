"""上报上级: a 重大疑难 or 信息报告 case records which higher departments it was reported to, how, and
the answer; without a record a working day on, the director and the reporter are told once."""

import json
from datetime import timedelta

import pytest
from pydantic import ValidationError
from sqlmodel import select

from bot.config import Settings
from bot.services import case_card, cases, chases, info_reports, intake, upward_reports
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed
from models import AuditEvent, Case, CaseChase, CaseStatus, Severity, UpwardWay
from tests.factories import local, opened

DEPARTMENTS = ("县委政法委", "县综治中心", "县公安局", "县信访局", "县司法局")
POLICY = DeadlinePolicy()


def major(w, actor=None, **kw):
    """A 重大疑难 dispute registered through intake (as /report does): the upward chase is armed."""
    found = w.db.call(intake.register_report, actor_id=actor or w.grid_worker,
                      draft=w.draft(severity=Severity.major, **kw), now=w.clock.now())
    return found.case.id


def record(w, case_id, actor=None, departments=("县委政法委",), way=UpwardWay.phone, reply=None, **kw):
    w.call(upward_reports.departments, defaults=DEPARTMENTS)  # the list, made from the setting the first time
    return w.call(upward_reports.record, actor_id=actor or w.staff, case_id=case_id, departments=list(departments),
                  way=way, reply=reply, **kw)


def sweep(w, moment) -> int:
    w.clock.set(moment)
    w.db.call(upward_reports.sweep, now=moment, policy=POLICY)
    return len(chased(w))


def chased(w):
    return [m for tid in (1, 2, 3, 4, 5, 6, 7, 8) for m in w.messages(tid, "upward:")]


def test_a_major_case_is_recorded_in_its_history_and_on_its_card(w):
    case_id = major(w)
    done = record(w, case_id, actor=w.grid_worker, departments=["县公安局", "县委政法委", "县公安局"],
                  reply="  值班室李科长接报，\n要求每日续报 ")
    # the list's order, each once; the answer on one line
    assert done.departments == ("县委政法委", "县公安局") and done.way == "电话" and done.by == "张网格"
    assert done.reply == "值班室李科长接报， 要求每日续报"
    assert w.actions(case_id)[-1] == upward_reports.EVENT
    with w.db.session() as s:
        [entry] = [h for h in case_card.history(s, case_id=case_id) if h.action == "上报上级"]
        card = case_card.case_card(s, viewer_id=w.director, case_id=case_id, now=w.clock.now())
    assert entry.note == "县委政法委、县公安局（电话）；接收/答复：值班室李科长接报， 要求每日续报"
    assert card.upward == done and card.may_report_up
    w.clock.advance(timedelta(minutes=30))
    record(w, case_id, departments=["县信访局"], way=UpwardWay.in_writing)
    with w.db.session() as s:
        card = case_card.case_card(s, viewer_id=w.staff, case_id=case_id, now=w.clock.now())
        assert [r.department_text for r in upward_reports.records(s, case_id=case_id)] == ["县委政法委、县公安局", "县信访局"]
    assert card.upward.departments == ("县信访局",) and card.upward.way == "书面" and card.upward.by == "孙丽"


def test_who_may_record_and_what_is_refused(w):
    case_id = major(w)
    ordinary = w.submit().id
    with pytest.raises(InvalidInput, match="不需要"):  # neither 重大疑难 nor a 信息报告
        record(w, ordinary)
    with w.db.session() as s:
        assert not case_card.case_card(s, viewer_id=w.staff, case_id=ordinary, now=w.clock.now()).may_report_up
        # the secretary reads the case but does not write its reports; the unit contact does not see it
        assert not case_card.case_card(s, viewer_id=w.secretary, case_id=case_id, now=w.clock.now()).may_report_up
    with pytest.raises(NotAllowed, match="只有中心工作人员"):
        record(w, case_id, actor=w.secretary)
    for outsider in (w.other_grid, w.unit_contact):
        with pytest.raises(NotAllowed):
            record(w, case_id, actor=outsider)
    with pytest.raises(InvalidInput, match="至少选择一个"):
        record(w, case_id, departments=())
    with pytest.raises(InvalidInput, match="县委办"):  # not (or no longer) on the configured list
        record(w, case_id, departments=["县委政法委", "县委办"])
    with pytest.raises(InvalidInput, match="200"):
        record(w, case_id, reply="答" * 201)
    assert upward_reports.EVENT not in w.actions(case_id)
    record(w, case_id, reply="答" * 200)
    assert w.actions(case_id)[-1] == upward_reports.EVENT


def test_a_confidential_case_shows_its_reporter_the_departments_but_not_the_answer(w):
    ref, rid = opened(w)
    with w.db.session() as s:  # a confidential type: the grid worker who reported it gets the limited view
        case = s.get(Case, ref.id)
        case.confidential = True
        s.add(case)
    with pytest.raises(NotAllowed, match="保密事项"):
        record(w, ref.id, actor=w.grid_worker)
    record(w, ref.id, actor=w.director, reply="县委政法委张书记：立即上报市里")
    with w.db.session() as s:
        limited = case_card.case_card(s, viewer_id=w.grid_worker, case_id=ref.id, now=w.clock.now())
        full = case_card.case_card(s, viewer_id=w.director, case_id=ref.id, now=w.clock.now())
    assert limited.reporter_view and not limited.may_report_up
    assert limited.upward.departments == ("县委政法委",) and limited.upward.reply == ""
    assert full.upward.reply == "县委政法委张书记：立即上报市里"
    view = w.db.call(info_reports.report_view, actor_id=w.grid_worker, report_id=rid)
    assert [r.reply for r in view.reported_up] == [""]


def test_the_report_view_shows_what_went_up_after_the_report(w):
    ref, rid = opened(w)
    record(w, ref.id, departments=["县综治中心"])  # before the 初报 was sent: not "after it"
    for field, value in [("occurred", "今天 8:40"), ("place", "村委会"), ("cause", "征地补偿"), ("course", "聚集"),
                         ("measures", "劝解")]:
        w.db.call(info_reports.save_field, actor_id=w.grid_worker, report_id=rid, field=field, value=value)
    view = w.db.call(info_reports.report_view, actor_id=w.staff, report_id=rid)
    assert [r.department_text for r in view.reported_up] == ["县综治中心"] and not view.may_report_up  # a draft
    w.clock.advance(timedelta(minutes=5))
    w.db.call(info_reports.submit_report, actor_id=w.grid_worker, report_id=rid, now=w.clock.now())
    w.clock.advance(timedelta(minutes=5))
    record(w, ref.id, departments=["县公安局"], way=UpwardWay.fax)
    view = w.db.call(info_reports.report_view, actor_id=w.staff, report_id=rid)
    assert [(r.department_text, r.way) for r in view.reported_up] == [("县公安局", "传真")] and view.may_report_up
    assert not w.db.call(info_reports.report_view, actor_id=w.secretary, report_id=rid).may_report_up


# --- the chase ---------------------------------------------------------------------------------


def test_a_major_case_without_a_record_is_chased_once_after_a_working_day(w):
    case_id = major(w)  # Monday 09:00: due at the end of Tuesday
    assert sweep(w, local(2026, 12, 1, 17, 29)) == 0
    assert sweep(w, local(2026, 12, 1, 20, 0)) == 0  # past due, but off-hours: waits for the morning
    assert sweep(w, local(2026, 12, 2, 8, 31)) == 2  # the director and the reporter
    [to_director] = w.messages(1, "upward:")
    assert "待上报上级" in to_director.text and "重大疑难事项，登记于 11月30日 09:00" in to_director.text
    assert [data for row in json.loads(to_director.buttons) for _label, data in row] == [
        f"upw:s:{case_id}", f"case:v:{case_id}"]
    assert sweep(w, local(2026, 12, 2, 10, 0)) == 2  # once
    with w.db.session() as s:
        assert s.exec(select(CaseChase).where(CaseChase.kind == upward_reports.CHASE_KIND)).one().done


def test_a_record_in_time_ends_the_chase(w):
    case_id = major(w)
    w.clock.advance(timedelta(hours=3))
    record(w, case_id)
    assert sweep(w, local(2026, 12, 3, 9, 0)) == 0


def test_a_case_closed_before_the_chase_fires_is_not_chased(w):
    """不予受理 (through the service) or 归档 (set directly: the whole path is long) on Tuesday: Wednesday's
    sweep ends their chases quietly; a case only 办结 is still open and is chased."""
    declined, archived, resolved = major(w), major(w, address="西头"), major(w, address="东头")
    w.clock.set(local(2026, 12, 1, 10, 0))
    w.call(cases.decline, actor_id=w.staff, case_id=declined, guidance="属劳动仲裁受理范围，请到县劳动仲裁院申请")
    w.set_status(archived, CaseStatus.archived)
    w.set_status(resolved, CaseStatus.resolved)
    assert sweep(w, local(2026, 12, 2, 8, 31)) == 2  # the director and the reporter, about the resolved case
    assert {m.key.split(":")[1] for m in chased(w)} == {str(resolved)}
    with w.db.session() as s:
        assert all(row.done for row in s.exec(select(CaseChase).where(CaseChase.kind == upward_reports.CHASE_KIND)))


def test_a_sent_first_report_arms_the_chase_from_its_time(w):
    _ref, rid = opened(w)  # 群体性事件苗头, not 重大疑难: nothing due until the 初报 goes to the party committee
    for field, value in [("occurred", "今天 8:40"), ("place", "村委会"), ("cause", "征地补偿"), ("course", "聚集"),
                         ("measures", "劝解")]:
        w.db.call(info_reports.save_field, actor_id=w.grid_worker, report_id=rid, field=field, value=value)
    assert sweep(w, local(2026, 12, 2, 9, 0)) == 0
    w.db.call(info_reports.submit_report, actor_id=w.grid_worker, report_id=rid, now=w.clock.now())  # Wed 09:00
    assert sweep(w, local(2026, 12, 3, 17, 29)) == 0
    assert sweep(w, local(2026, 12, 4, 8, 31)) == 2  # due at the end of Thursday: Friday's first working minute
    assert "初报已于 12月02日 09:00 报送党委" in w.messages(6, "upward:")[0].text


def test_cases_from_before_the_feature_are_not_chased(w):
    """An upgrade: major cases registered before it have no chase row, so the first sweep is quiet."""
    old = w.submit(severity=Severity.major).id  # cases.submit alone, as before this feature
    assert sweep(w, local(2026, 12, 10, 9, 0)) == 0
    record(w, old)  # still recordable


def test_the_accept_chase_leaves_upward_rows_alone(w):
    major(w)
    moment = local(2026, 12, 1, 9, 0)
    w.db.call(chases.sweep, now=moment, policy=POLICY, chase=chases.ChasePolicy())
    with w.db.session() as s:
        row = s.exec(select(CaseChase).where(CaseChase.kind == upward_reports.CHASE_KIND)).one()
    assert row.level == 0 and not row.done and row.next_at is None


def test_a_confidential_case_is_chased_only_with_those_who_may_open_it(w):
    case_id = major(w, type_id=w.secret)  # a confidential type: its grid-worker reporter sees the limited card
    assert w.case(case_id).confidential
    assert sweep(w, local(2026, 12, 2, 9, 0)) == 1
    [told] = chased(w)
    assert told.chat_id == 1 and told.protect and "排水沟" not in told.text  # the summary stays out


def test_a_later_first_report_keeps_the_major_case_deadline(w):
    case_id = major(w, type_id=w.mass)  # 重大疑难 and a 信息报告: armed at registration, Monday 09:00
    with w.db.session() as s:
        rid = s.exec(select(info_reports.InfoReport.id).where(info_reports.InfoReport.case_id == case_id)).one()
    for field, value in [("occurred", "今天 8:40"), ("place", "村委会"), ("cause", "征地补偿"), ("course", "聚集"),
                         ("measures", "劝解")]:
        w.db.call(info_reports.save_field, actor_id=w.grid_worker, report_id=rid, field=field, value=value)
    w.clock.set(local(2026, 12, 1, 9, 0))
    w.db.call(info_reports.submit_report, actor_id=w.grid_worker, report_id=rid, now=w.clock.now())
    assert sweep(w, local(2026, 12, 2, 8, 31)) == 2  # due at the end of Tuesday, not of Wednesday
    assert "重大疑难事项，登记于 11月30日 09:00" in w.messages(1, "upward:")[0].text


def test_the_department_list_is_a_checked_setting():
    def settings(value):
        return Settings(_env_file=None, telegram_bot_token="123:abc", upper_departments=value)

    assert Settings(_env_file=None, telegram_bot_token="123:abc").upper_department_list == DEPARTMENTS
    assert settings(" 市委政法委，市公安局、市信访局 ").upper_department_list == ("市委政法委", "市公安局", "市信访局")
    for bad in ("", " , ", "县公安局,县公安局", "局" * 21, ",".join(f"部门{i}" for i in range(13))):
        with pytest.raises(ValidationError, match="逗号分隔的部门名称"):
            settings(bad)


def test_the_list_starts_from_the_setting_and_is_edited_by_the_director_and_admins(w):
    """/admin → 上级部门: made from UPPER_DEPARTMENTS the first time (once: a later change of the setting
    does not undo an edit); the director or an admin adds one (2–20 characters, no separators, not twice,
    at most 12) and removes one (not the last); a record names only what is on the list, and keeps its
    names after an edit; a removed department comes back when added again."""
    def listed(defaults=DEPARTMENTS):
        return [d.name for d in w.call(upward_reports.departments, defaults=defaults)]

    def add(name, actor=None):
        return w.call(upward_reports.add_department, actor_id=actor or w.director, name=name, defaults=DEPARTMENTS)

    def remove(name, actor=None):
        [dep] = [d for d in w.call(upward_reports.departments, defaults=DEPARTMENTS) if d.name == name]
        return w.call(upward_reports.remove_department, actor_id=actor or w.director, department_id=dep.id)

    assert listed() == list(DEPARTMENTS)
    assert listed(("市委政法委",)) == list(DEPARTMENTS)  # made once: the setting is only the start
    for outsider in (w.staff, w.leader, w.secretary):
        with pytest.raises(NotAllowed, match="主任和管理员"):
            add("县应急管理局", actor=outsider)
        with pytest.raises(NotAllowed):
            remove("县司法局", actor=outsider)
    assert add(" 县应急 管理局 ").name == "县应急 管理局"
    for bad, why in (("局", "2–20"), ("县" * 21, "2–20"), ("县公安局、县信访局", "顿号"), ("县公安局", "已在名单中")):
        with pytest.raises(InvalidInput, match=why):
            add(bad)
    case_id = major(w)
    record(w, case_id, departments=["县司法局", "县应急 管理局"])
    assert remove("县司法局") == "县司法局"
    assert listed() == ["县委政法委", "县综治中心", "县公安局", "县信访局", "县应急 管理局"]
    with pytest.raises(InvalidInput, match="县司法局"):  # off the list: refused in a record
        record(w, case_id, departments=["县司法局"])
    with w.db.session() as s:  # the earlier record keeps its names
        assert upward_reports.records(s, case_id=case_id)[0].departments == ("县司法局", "县应急 管理局")
    add("县司法局")  # back, at the end
    assert listed()[-1] == "县司法局"
    for i in range(6):
        add(f"部门{i}")
    assert len(listed()) == 12
    with pytest.raises(InvalidInput, match="最多 12"):
        add("部门12")
    for name in listed()[1:]:
        remove(name)
    with pytest.raises(InvalidInput, match="至少保留一个"):
        remove("县委政法委")
    assert listed() == ["县委政法委"]
    with w.db.session() as s:
        trail = list(s.exec(select(AuditEvent.action).where(AuditEvent.subject_type == "upper_department")))
    assert trail.count("upper_department.added") == 8 and trail.count("upper_department.removed") == 12
