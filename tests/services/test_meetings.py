"""Meetings and decisions as services: the weekly slot on the real 2026 calendar, who may schedule,
who is invited, the reminders, the agenda's figures (computed by hand below), the decisions' ladder,
销号 and the 党委会议's approval, the ledger rows."""

import json
from datetime import UTC, date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.callbacks import MeetingNew
from bot.services import decisions, meetings
from bot.services.deadlines import DeadlinePolicy
from bot.services.decisions import Owner
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.workdays import WorkCalendar
from models import (
    ApprovalOutcome,
    Attendance,
    CalendarDay,
    Decision,
    DecisionStatus,
    Meeting,
    MeetingInvitee,
    MeetingKind,
    Outbox,
)
from tests.factories import Township, local

SH = ZoneInfo("Asia/Shanghai")
POLICY = DeadlinePolicy()


def cal() -> WorkCalendar:
    return WorkCalendar(tz=SH)


# --- the weekly slot ------------------------------------------------------------------------------


def test_weekly_slot_is_monday_0830_or_the_next_working_day_of_that_week():
    c = cal()
    assert meetings.weekly_slot(c, date(2026, 11, 25)) == local(2026, 11, 23, 8, 30)  # an ordinary Monday
    # National Day 2026: Monday 10-05 to Wednesday 10-07 are holidays: Thursday 10-08
    assert meetings.weekly_slot(c, date(2026, 10, 5)) == local(2026, 10, 8, 8, 30)
    assert meetings.weekly_slot(c, date(2026, 10, 11)) == local(2026, 10, 8, 8, 30)  # Sunday: same week
    # Spring Festival 2026: no working day from Monday 02-16 to Sunday 02-22: no weekly meeting
    assert meetings.weekly_slot(c, date(2026, 2, 18)) is None


def test_next_weekly_slot_across_the_national_day_week_and_a_make_up_saturday():
    c = cal()
    # Wednesday 09-30, the last working day before the holiday: next is Thursday 10-08
    assert meetings.next_weekly_slot(c, local(2026, 9, 30, 10)) == local(2026, 10, 8, 8, 30)
    # Saturday 10-10 is a make-up working day (调休补班), but the weekly meeting is Monday's: 10-12
    assert c.is_workday(date(2026, 10, 10))[0]
    assert meetings.next_weekly_slot(c, local(2026, 10, 10, 9)) == local(2026, 10, 12, 8, 30)
    # Friday 02-13 before the Spring Festival: the week of 02-16 has none, Tuesday 02-24 is next
    assert meetings.next_weekly_slot(c, local(2026, 2, 13, 9)) == local(2026, 2, 24, 8, 30)
    # On the Monday itself, before 08:30 it is today's; after, next week's
    assert meetings.next_weekly_slot(c, local(2026, 11, 30, 8)) == local(2026, 11, 30, 8, 30)
    assert meetings.next_weekly_slot(c, local(2026, 11, 30, 9)) == local(2026, 12, 7, 8, 30)


def test_an_admin_override_moves_the_weekly_slot(w):
    with w.db.session() as s:
        s.add(CalendarDay(day=date(2026, 12, 7), workday=False, note="临时调整", set_at=w.clock.now()))
    with w.db.session() as s:
        loaded = POLICY.calendar(s)
    assert meetings.weekly_slot(loaded, date(2026, 12, 7)) == local(2026, 12, 8, 8, 30)


# --- scheduling and invitations ---------------------------------------------------------------------


def schedule(w, kind=MeetingKind.weekly, actor=None, at=None, **kw):
    return w.call(meetings.schedule, actor_id=actor or w.director, kind=kind, starts_at=at or local(2026, 12, 7, 8, 30),
                  place="综治中心会议室", policy=POLICY, **kw)


def invited(w, meeting_id) -> dict[int, bool]:
    with w.db.session() as s:
        return {i.person_id: i.observer for i in s.exec(select(MeetingInvitee).where(
            MeetingInvitee.meeting_id == meeting_id))}


def test_who_may_schedule_what(w):
    with pytest.raises(NotAllowed):
        schedule(w, actor=w.staff)  # the weekly meeting is the director's
    joint = schedule(w, kind=MeetingKind.joint, actor=w.staff)  # the 综治办 organises the joint meeting
    assert joint.organiser_id == w.staff
    with pytest.raises(NotAllowed):
        schedule(w, kind=MeetingKind.village, actor=w.grid_worker, village_id=w.village.id)
    village = schedule(w, kind=MeetingKind.village, actor=w.leader, village_id=w.village.id)  # its contact point
    assert set(invited(w, village.id)) == {w.leader, w.grid_worker}
    with pytest.raises(InvalidInput):
        schedule(w, at=w.clock.now() - timedelta(minutes=1))


def test_invitations_by_role_and_unit(w):
    weekly = schedule(w)
    # the whole center: director, leader, two staff; the organiser attends without being asked
    assert invited(w, weekly.id) == {w.director: False, w.leader: False, w.staff: False, w.staff2: False}
    assert len(w.messages(1, f"meeting{weekly.id}:invite")) == 0
    assert len(w.messages(3, f"meeting{weekly.id}:invite")) == 1
    assert weekly.title == "2026年第1次工作例会" and weekly.number == "〔2026〕例会第1号"
    joint = schedule(w, kind=MeetingKind.joint)
    # 联席会议制度 二: 党委成员, the member unit's contact and the whole center attend (出席); nobody sits in
    assert invited(w, joint.id) == {w.director: False, w.secretary: False, w.unit_contact: False,
                                    w.leader: False, w.staff: False, w.staff2: False}
    w.call(meetings.answer, actor_id=w.staff, meeting_id=joint.id, attend=True)
    present, observers, _leave = meetings.attendance(w.db.call(meetings.meeting_view, actor_id=w.director,
                                                               meeting_id=joint.id))
    assert "孙丽" in present and observers == []
    assert joint.number == "〔2026〕联席会第1号"
    second = schedule(w, at=local(2026, 12, 14, 8, 30))
    assert second.number == "〔2026〕例会第2号"


def test_the_director_chairs_a_joint_meeting_whoever_organises_it(w):
    """联席会议制度 一: 由中心主任负责召集，综治办负责组织. The 纪要 and the 会议台账 print the chair."""
    joint = schedule(w, kind=MeetingKind.joint, actor=w.staff, at=local(2026, 12, 15, 9))
    weekly = schedule(w)
    village = schedule(w, kind=MeetingKind.village, actor=w.leader, village_id=w.village.id)
    with w.db.session() as s:
        chairs = {m: (s.get(Meeting, m).organiser_id, s.get(Meeting, m).chair_id) for m in (joint.id, weekly.id, village.id)}
        shown = decisions.minutes_view(s, actor_id=w.staff, meeting_id=joint.id, tz=SH, org="x", now=w.clock.now())
        rows = decisions.ledger_rows(s, start=date(2026, 12, 1), end=date(2026, 12, 31), tz=SH)
    assert chairs == {joint.id: (w.staff, w.director), weekly.id: (w.director, w.director),
                      village.id: (w.leader, w.leader)}
    assert shown.chair == "王主任"
    assert [(r.name, r.chair) for r in rows] == [("2026年第1次工作例会", "王主任"), ("2026年第1次联系点村会议", "刘领导"),
                                                 ("2026年第1次联席会议", "王主任")]
    assert joint.organiser == "孙丽"  # the 综治办 still organises it: moves, minutes, agenda


def test_without_an_active_director_the_organiser_chairs_a_joint_meeting(db, clock):
    town = Township.build(db, clock, who=("secretary", "staff", "unit_contact"), contact_point=False)
    joint = schedule(town, kind=MeetingKind.joint, actor=town.staff)
    with db.session() as s:
        assert s.get(Meeting, joint.id).chair_id == town.staff


def test_answers_sign_in_and_the_chase(w):
    m = schedule(w)
    with pytest.raises(InvalidInput):
        w.call(meetings.answer, actor_id=w.staff, meeting_id=m.id, attend=False, reason="")  # 请假 needs a reason
    w.call(meetings.answer, actor_id=w.staff, meeting_id=m.id, attend=False, reason="下村调解")
    w.call(meetings.answer, actor_id=w.leader, meeting_id=m.id, attend=True)
    assert "孙丽 请假" in w.messages(1, f"meeting{m.id}:leave")[0].text  # the organiser is told
    with pytest.raises(NotAllowed):
        w.call(meetings.answer, actor_id=w.grid_worker, meeting_id=m.id, attend=True)
    view = w.db.call(meetings.meeting_view, actor_id=w.director, meeting_id=m.id)
    assert [i.name for i in view.unanswered] == ["周明"]
    sent = w.call(meetings.chase_unanswered, actor_id=w.director, meeting_id=m.id, policy=POLICY)
    assert sent == 1 and len(w.messages(5, f"meeting{m.id}:chase")) == 1
    assert w.call(meetings.chase_unanswered, actor_id=w.director, meeting_id=m.id, policy=POLICY) == 0  # same minute
    with pytest.raises(NotAllowed):
        w.call(meetings.chase_unanswered, actor_id=w.staff, meeting_id=m.id, policy=POLICY)
    with pytest.raises(InvalidInput):
        w.call(meetings.sign_in, actor_id=w.staff2, meeting_id=m.id)  # a week early
    w.clock.set(local(2026, 12, 7, 8, 5))
    w.call(meetings.sign_in, actor_id=w.staff2, meeting_id=m.id)
    present, observers, leave = meetings.attendance(w.db.call(meetings.meeting_view, actor_id=w.director,
                                                              meeting_id=m.id))
    assert present == ["王主任", "刘领导", "周明"] and observers == [] and leave == ["孙丽（下村调解）"]


def test_reminders_the_working_day_before_and_an_hour_before_once_each(w):
    m = schedule(w)  # Monday 12-07 08:30; the day-before reminder is Friday 12-04 16:00
    w.call(meetings.answer, actor_id=w.staff, meeting_id=m.id, attend=False, reason="下村调解")

    def sweep(moment):
        w.clock.set(moment)
        return w.call(meetings.sweep_reminders, policy=POLICY)

    assert sweep(local(2026, 12, 4, 15, 59)) == 0
    assert sweep(local(2026, 12, 4, 16, 0)) == 3  # director, leader, 周明: not 孙丽 on leave
    assert sweep(local(2026, 12, 4, 16, 5)) == 0  # a second run (or a restart) sends nothing again
    assert sweep(local(2026, 12, 7, 7, 29)) == 0
    assert sweep(local(2026, 12, 7, 7, 30)) == 3
    assert sweep(local(2026, 12, 7, 7, 31)) == 0
    assert len(w.messages(3, f"meeting{m.id}:day")) == 1 and len(w.messages(3, f"meeting{m.id}:hour")) == 1
    assert w.messages(4, f"meeting{m.id}:day") == []
    # the agenda (not sent by the organiser) went with the day-before reminder, drafted then
    assert "【2026年第1次工作例会议程（草稿）】" in w.messages(3, f"meeting{m.id}:day")[0].text
    assert "【" not in w.messages(3, f"meeting{m.id}:hour")[0].text
    # 改期: the reminders are due again for the new time
    w.clock.set(local(2026, 12, 7, 7, 40))
    w.call(meetings.reschedule, actor_id=w.director, meeting_id=m.id, starts_at=local(2026, 12, 8, 14, 30),
           policy=POLICY)
    assert sweep(local(2026, 12, 7, 16, 0)) == 3


# --- the agenda ------------------------------------------------------------------------------------


def test_the_weekly_agenda_counts_last_week_by_hand(w):
    # the week before Monday 12-07 is 11-30 … 12-06
    w.clock.set(local(2026, 11, 27, 10))  # the week before that: not counted as new
    w.running_case()
    w.clock.set(local(2026, 12, 1, 10))
    w.submit()  # 邻里纠纷 → 综治
    w.submit()
    w.submit(type_id=w.types["来访"])  # → 信访
    w.submit(type_id=w.types["民族宗教纠纷"])  # a subtype of 矛盾纠纷 mapped to 民族宗教: the subtype wins
    w.clock.set(local(2026, 12, 4, 10))
    m = schedule(w)
    with w.db.session() as s:
        f = meetings.week_figures(s, meeting_day=date(2026, 12, 7), now=w.clock.now(), policy=POLICY)
    assert (f.start, f.end) == (date(2026, 11, 30), date(2026, 12, 6))
    assert f.new == 4 and f.closed == 0
    assert f.sections == {"综治": 2, "信访": 1, "流动人口": 0, "民族宗教": 1}
    # the case accepted 11-27 10:00 (3 working days) was due 12-02 17:30: red by 12-04
    assert f.red == 1 and f.overdue == 1 and f.yellow == 0
    text = w.call(meetings.agenda, actor_id=w.director, meeting_id=m.id, policy=POLICY)
    assert "新登记事项 4 件，办结 0 件，超期未办结 1 件" in text
    assert "综治：新登记 2 件" in text and "信访：新登记 1 件" in text and "民族宗教：新登记 1 件" in text
    # 流动人口服务管理 (migration 0022) counts there, no case of it yet; without it the section says so
    assert "  流动人口：新登记 0 件\n" in text
    w.call(meetings.set_section, actor_id=w.director, key="流动人口服务管理", section=None)
    text = w.call(meetings.agenda, actor_id=w.director, meeting_id=m.id, policy=POLICY)
    assert "流动人口：新登记 0 件（尚未设定对应的事项类别）" in text
    # an admin maps a category to 流动人口: the agenda counts it there
    w.call(meetings.set_section, actor_id=w.director, key="来信来访/来访", section="流动人口")
    text = w.call(meetings.agenda, actor_id=w.director, meeting_id=m.id, policy=POLICY)
    assert "流动人口：新登记 1 件" in text and "信访：新登记 0 件" in text
    with pytest.raises(NotAllowed):
        w.call(meetings.set_section, actor_id=w.staff, key="来信来访", section="综治")
    # the organiser edits the agenda; the edited text is what is sent
    w.call(meetings.set_agenda, actor_id=w.director, meeting_id=m.id, text="一、学习文件\n二、部署工作")
    assert w.call(meetings.send_agenda, actor_id=w.director, meeting_id=m.id, policy=POLICY) == 3
    assert "一、学习文件" in w.messages(3, f"meeting{m.id}:agenda")[0].text


def test_the_joint_agenda_shows_the_quarter_and_what_grew_most(w):
    w.clock.set(local(2026, 9, 10, 10))  # Q3: one 邻里纠纷
    w.submit()
    w.clock.set(local(2026, 11, 10, 10))  # Q4: two 邻里纠纷, three 来访
    w.submit()
    w.submit()
    for _ in range(3):
        w.submit(type_id=w.types["来访"])
    w.clock.set(local(2026, 12, 1, 10))
    m = schedule(w, kind=MeetingKind.joint, at=local(2026, 12, 15, 9))
    with w.db.session() as s:
        q = meetings.quarter_figures(s, meeting_day=date(2026, 12, 15), now=w.clock.now(), policy=POLICY)
    assert (q.start, q.new, q.previous) == (date(2026, 10, 1), 5, 1)
    # 东山村 5 vs 1 (+4), 来访 3 vs 0 (+3), 邻里纠纷 2 vs 1 (+1)
    assert q.hot == [("东山村", 5, 1), ("来访", 3, 0), ("邻里纠纷", 2, 1)]
    text = w.call(meetings.agenda, actor_id=w.director, meeting_id=m.id, policy=POLICY)
    assert "新登记事项 5 件（上季度 1 件）" in text and "东山村：5 件（上季度 1 件，+4）" in text
    # 联席会议制度 三, in its order: 传达上级精神; 热点难点 (the hot issues); 通报 with the quarter's
    # figures and the last joint meeting's decisions; 分析形势; 部署下阶段
    items = ["一、传达上级有关综治工作的指示精神", "二、研究群众反映强烈的热点难点问题", "东山村：5 件",
             "三、通报近期社会治安综合治理工作情况", "本季度（10月1日—12月14日）新登记事项 5 件",
             "上次联席会议议定事项落实情况", "四、分析辖区内不稳定因素和社会治安形势", "五、研究部署下阶段综治中心工作"]
    assert all(item in text for item in items), text
    assert [text.index(item) for item in items] == sorted(text.index(item) for item in items)


# --- decisions ----------------------------------------------------------------------------------------


def decide(w, meeting_id, text="排查东山村排水沟纠纷", owner=None, days=3, **kw):
    return w.call(decisions.add, actor_id=kw.pop("actor", w.director), meeting_id=meeting_id, text=text,
                  owner=owner or Owner(unit_id=w.unit.id), days=days, policy=POLICY, **kw)


def decision(w, decision_id) -> Decision:
    with w.db.session() as s:
        return s.get(Decision, decision_id)


def test_decisions_are_numbered_issued_and_chased_on_the_cases_ladder(w):
    m = schedule(w, at=local(2026, 11, 30, 10))  # Monday 11-30 09:00 now
    first = decide(w, m.id)
    second = decide(w, m.id, text="走访重点人员", owner=Owner(village_id=w.village.id), days=5)
    assert (first.number, second.number) == ("〔2026〕例会第1号-1", "〔2026〕例会第1号-2")
    assert len(w.messages(7, f"decision{first.id}:issue")) == 1  # the unit's contact
    assert len(w.messages(3, f"decision{second.id}:issue")) == 1  # the village's contact-point leader
    # 3 working days from Monday 09:00: due Thursday 12-03 17:30. Working time 6 h + 3 × 6.5 h = 25.5 h;
    # 70 % = 17 h 51 min: Monday 6 h, Tuesday 6.5 h, Wednesday 3.5 h + 1 h 51 min from 14:30 = 16:21
    d = decision(w, first.id)
    assert d.due_at == local(2026, 12, 3, 17, 30) and d.yellow_at == local(2026, 12, 2, 16, 21)

    def sweep(moment):
        w.clock.set(moment)
        while w.call(decisions.sweep, policy=POLICY):
            if decision(w, first.id).next_reminder_at > w.clock.now():
                break
        return [o.key for o in w.messages(7, f"decision{first.id}:")] + \
               [o.key for o in w.messages(1, f"decision{first.id}:")]

    assert sweep(local(2026, 12, 2, 16, 20)) == [f"decision{first.id}:issue:p7"]
    assert f"decision{first.id}:yellow:2026-12-02:p7" in sweep(local(2026, 12, 2, 16, 21))
    assert f"decision{first.id}:due_day:2026-12-03:p7" in sweep(local(2026, 12, 3, 8, 30))
    keys = sweep(local(2026, 12, 4, 8, 30))
    assert f"decision{first.id}:overdue:2026-12-04:p7" in keys
    assert f"decision{first.id}:overdue_director:2026-12-04:p1" in keys  # the director, from the first day
    assert sweep(local(2026, 12, 4, 10)) == keys  # once a day
    assert sweep(local(2026, 12, 5, 10)) == keys  # Saturday: no reminders
    assert f"decision{first.id}:overdue:2026-12-07:p7" in sweep(local(2026, 12, 7, 8, 30))


def test_only_the_organiser_closes_a_decision_on_reported_evidence(w):
    m = schedule(w, at=local(2026, 11, 30, 10))
    d = decide(w, m.id)
    with pytest.raises(NotAllowed):
        w.call(decisions.receive, actor_id=w.staff, decision_id=d.id)  # not the owner
    w.call(decisions.receive, actor_id=w.unit_contact, decision_id=d.id)
    with pytest.raises(InvalidInput):
        w.call(decisions.accept, actor_id=w.director, decision_id=d.id)  # nothing reported yet
    with pytest.raises(InvalidInput):
        w.call(decisions.report_done, actor_id=w.unit_contact, decision_id=d.id, evidence="")
    w.call(decisions.report_done, actor_id=w.unit_contact, decision_id=d.id, evidence="已现场调解并签协议")
    assert decision(w, d.id).next_reminder_at is None  # no chasing while the organiser decides
    with pytest.raises(NotAllowed):
        w.call(decisions.accept, actor_id=w.unit_contact, decision_id=d.id)
    w.call(decisions.send_back, actor_id=w.director, decision_id=d.id, note="缺协议照片")
    assert decision(w, d.id).status == DecisionStatus.received and decision(w, d.id).next_reminder_at is not None
    w.call(decisions.report_done, actor_id=w.unit_contact, decision_id=d.id, evidence="协议照片已补")
    closed = w.call(decisions.accept, actor_id=w.director, decision_id=d.id)
    assert closed.status == DecisionStatus.closed


def test_open_decisions_come_back_on_the_next_agenda(w):
    m = schedule(w, at=local(2026, 11, 30, 10))
    done, still = decide(w, m.id, text="排查排水沟"), decide(w, m.id, text="走访重点人员")
    w.call(decisions.receive, actor_id=w.unit_contact, decision_id=still.id)  # received is still open
    w.call(decisions.report_done, actor_id=w.unit_contact, decision_id=done.id, evidence="已排查完毕")
    w.call(decisions.accept, actor_id=w.director, decision_id=done.id)
    nxt = schedule(w, at=local(2026, 12, 7, 8, 30))
    text = w.call(meetings.agenda, actor_id=w.director, meeting_id=nxt.id, policy=POLICY)
    assert "〔2026〕例会第1号-2 走访重点人员（镇司法所，已收到，期限 12月03日 17:30）" in text
    assert "排查排水沟" not in text


def test_an_important_joint_decision_waits_for_the_party_committee(w):
    m = schedule(w, kind=MeetingKind.joint, actor=w.staff, at=local(2026, 11, 30, 10))
    with pytest.raises(InvalidInput):
        decide(w, schedule(w).id, important=True)  # only a joint meeting's decisions
    d = decide(w, m.id, actor=w.staff, important=True)
    assert d.status == DecisionStatus.held
    assert w.messages(7) == [] or all("decision" not in o.key for o in w.messages(7))  # nothing reaches the unit
    assert len(w.messages(2, f"decision{d.id}:approval")) == 1  # the secretary is asked
    with pytest.raises(InvalidInput):
        w.call(decisions.receive, actor_id=w.unit_contact, decision_id=d.id)  # not issued yet
    # the unit's contact is invited to the joint meeting, yet neither its card nor its 纪要 shows it
    w.call(meetings.close_minutes, actor_id=w.staff, meeting_id=m.id)
    assert w.db.call(decisions.meeting_decisions, actor_id=w.unit_contact, meeting_id=m.id) == []
    with w.db.session() as s:
        shown = decisions.minutes_view(s, actor_id=w.unit_contact, meeting_id=m.id, tz=SH, org="x", now=w.clock.now())
        assert shown.decisions == []
        assert len(decisions.minutes_view(s, actor_id=w.secretary, meeting_id=m.id, tz=SH, org="x",
                                          now=w.clock.now()).decisions) == 1
    with pytest.raises(NotAllowed):
        w.db.call(decisions.decision_view, actor_id=w.unit_contact, decision_id=d.id)
    assert len(w.db.call(decisions.meeting_decisions, actor_id=w.secretary, meeting_id=m.id)) == 1
    # the next joint meeting's agenda (sent to the units too) counts it but does not show it
    nxt = schedule(w, kind=MeetingKind.joint, actor=w.staff, at=local(2027, 1, 5, 9))
    agenda = w.call(meetings.agenda, actor_id=w.staff, meeting_id=nxt.id, policy=POLICY)
    assert "另有 1 项重要事项待党委会议审定" in agenda and "排查东山村排水沟纠纷" not in agenda
    with pytest.raises(NotAllowed):
        w.call(decisions.record_approval, actor_id=w.director, decision_id=d.id, outcome=ApprovalOutcome.approved,
               day=date(2026, 11, 30), policy=POLICY)
    w.clock.set(local(2026, 12, 2, 10))
    approved = w.call(decisions.record_approval, actor_id=w.secretary, decision_id=d.id,
                      outcome=ApprovalOutcome.amended, day=date(2026, 12, 1), policy=POLICY)
    assert approved.status == DecisionStatus.issued and approved.approval == "2026年12月1日党委会议：修改后同意"
    assert len(w.messages(7, f"decision{d.id}:issue")) == 1
    assert [x.number for x in w.db.call(decisions.meeting_decisions, actor_id=w.unit_contact, meeting_id=m.id)] \
        == [d.number]
    # counted from the issue: 3 working days from Wednesday 12-02 → Monday 12-07 17:30
    assert approved.due_at == local(2026, 12, 7, 17, 30)
    refused = decide(w, m.id, actor=w.staff, text="新建调解室", important=True)
    w.call(decisions.record_approval, actor_id=w.secretary, decision_id=refused.id,
           outcome=ApprovalOutcome.rejected, day=date(2026, 12, 1), policy=POLICY)
    assert decision(w, refused.id).status == DecisionStatus.refused
    assert w.messages(7, f"decision{refused.id}:") == []


def test_ledger_rows(w):
    first = schedule(w, at=local(2026, 11, 30, 10))
    w.call(meetings.answer, actor_id=w.staff, meeting_id=first.id, attend=False, reason="下村调解")
    w.call(meetings.answer, actor_id=w.leader, meeting_id=first.id, attend=True)
    decide(w, first.id)
    d2 = decide(w, first.id, text="走访")
    w.call(decisions.report_done, actor_id=w.unit_contact, decision_id=d2.id, evidence="已走访")
    w.call(decisions.accept, actor_id=w.director, decision_id=d2.id)
    second = schedule(w, at=local(2026, 12, 7, 8, 30))
    w.call(meetings.cancel, actor_id=w.director, meeting_id=second.id, policy=POLICY)
    with w.db.session() as s:
        rows = decisions.ledger_rows(s, start=date(2026, 11, 1), end=date(2026, 12, 31), tz=SH)
        assert [r.name for r in decisions.ledger_rows(s, start=date(2026, 12, 1), end=date(2026, 12, 7), tz=SH)] \
            == ["2026年第2次工作例会"]  # the period's last day is included, the day before it starts is not
    assert [(r.seq, r.name, r.when, r.chair, r.present, r.on_leave, r.decisions, r.closed, r.status) for r in rows] == [
        (1, "2026年第1次工作例会", "2026年11月30日 10:00", "王主任", 2, 1, 2, 1, "待召开"),
        (2, "2026年第2次工作例会", "2026年12月7日 08:30", "王主任", 1, 0, 0, 0, "已取消"),
    ]


def test_the_outbox_keys_are_unique_per_person(w):
    m = schedule(w)
    with w.db.session() as s:
        keys = [o.key for o in s.exec(select(Outbox))]
    assert len(keys) == len(set(keys)) and any(k.startswith(f"meeting{m.id}:invite") for k in keys)
    assert Attendance.attend.value == "attend" and UTC


# --- the 会议纪要 -----------------------------------------------------------------------------------


def test_the_minutes_docx_opens_and_has_every_section(w):
    import io

    from docx import Document

    from bot.services import minutes_docx, notice_docx

    m = schedule(w, at=local(2026, 11, 30, 10))
    w.call(meetings.answer, actor_id=w.staff, meeting_id=m.id, attend=False, reason="下村调解")
    w.call(meetings.answer, actor_id=w.leader, meeting_id=m.id, attend=True)
    w.call(meetings.add_minute, actor_id=w.director, meeting_id=m.id, text="传达县综治委会议精神 <b>&")
    w.call(meetings.add_minute, actor_id=w.director, meeting_id=m.id, voice_file_id="voice-1")
    decide(w, m.id, text="排查东山村排水沟纠纷")
    w.call(meetings.close_minutes, actor_id=w.director, meeting_id=m.id)
    with w.db.session() as s:
        view = decisions.minutes_view(s, actor_id=w.director, meeting_id=m.id, tz=SH, org="东山镇综治中心",
                                      now=w.clock.now())
    data = minutes_docx.build_docx(view)
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    for part in ("2026年第1次工作例会纪要", "〔2026〕例会第1号", "时间：2026年11月30日 10:00", "地点：综治中心会议室",
                 "主持人：王主任", "出席：王主任、刘领导", "列席：无", "请假：孙丽（下村调解）", "一、会议内容",
                 "1. 传达县综治委会议精神 &", "2. （语音记录）", "二、议定事项",
                 "（1）排查东山村排水沟纠纷（编号：〔2026〕例会第1号-1；责任方：镇司法所；期限：2026年12月3日）",
                 "抄送：无", "东山镇综治中心"):
        assert part in text, part
    assert "<b>" not in text
    assert set(notice_docx.east_asia_fonts(data)) <= {"仿宋_GB2312", "方正小标宋简体", "黑体"}
    with pytest.raises(InvalidInput):
        w.call(meetings.add_minute, actor_id=w.director, meeting_id=m.id, text="定稿后")
    with pytest.raises(NotAllowed), w.db.session() as s:
        decisions.minutes_view(s, actor_id=w.grid_worker, meeting_id=m.id, tz=SH, org="x", now=w.clock.now())


def test_what_people_type_never_breaks_a_meeting_message(w):
    """Every queued message of this feature parses as Telegram's HTML, hostile text shown as typed."""
    from bot.emulator.formatting import format_text

    hostile = "A<b>&c</b><x"
    m = schedule(w, kind=MeetingKind.joint, at=local(2026, 11, 30, 10))
    w.call(meetings.answer, actor_id=w.staff, meeting_id=m.id, attend=False, reason=f"请假{hostile}")
    w.call(meetings.set_agenda, actor_id=w.director, meeting_id=m.id, text=f"议程{hostile}")
    w.call(meetings.send_agenda, actor_id=w.director, meeting_id=m.id, policy=POLICY)
    d = decide(w, m.id, text=f"事项{hostile}")
    w.call(decisions.progress, actor_id=w.unit_contact, decision_id=d.id, text=f"进展{hostile}", policy=POLICY)
    w.call(decisions.report_done, actor_id=w.unit_contact, decision_id=d.id, evidence=f"佐证{hostile}")
    w.call(decisions.send_back, actor_id=w.director, decision_id=d.id, note=f"退回{hostile}")
    held = decide(w, m.id, text=f"重要{hostile}", important=True)
    w.call(decisions.record_approval, actor_id=w.secretary, decision_id=held.id, outcome=ApprovalOutcome.rejected,
           day=date(2026, 11, 30), policy=POLICY, note=f"意见{hostile}")
    w.clock.set(local(2026, 12, 3, 9))
    w.call(decisions.sweep, policy=POLICY)
    with w.db.session() as s:
        rows = list(s.exec(select(Outbox)))
    texts_ = [format_text(r.text, "HTML").text for r in rows]
    for word in ("请假", "议程", "事项", "进展", "佐证", "退回", "重要", "意见"):
        assert any(f"{word}{hostile}" in x for x in texts_), word


# --- the frequency: 每周一次工作例会, 每季度一次联席会议 ----------------------------------------------------


def frequency_sweep(w, moment, what="weekly", policy=POLICY) -> int:
    """Run the sweep at `moment`: the warnings of this kind it queued (both kinds go in one sweep)."""
    def count():
        with w.db.session() as s:
            return len([o for o in s.exec(select(Outbox)) if o.key.startswith(f"meetings:{what}-missing:")])

    w.clock.set(moment)
    before = count()
    w.call(meetings.sweep_missing, policy=policy)
    return count() - before


def warned(w, chat_id, what="weekly") -> list[Outbox]:
    return w.messages(chat_id, f"meetings:{what}-missing:")


def test_a_week_without_a_weekly_meeting_is_told_once_to_who_may_schedule_it(w):
    # Monday 11-30: nothing before the weekly slot (08:30), then the director only (may_schedule)
    assert frequency_sweep(w, local(2026, 11, 30, 8, 29)) == 0
    assert frequency_sweep(w, local(2026, 11, 30, 8, 30)) == 1
    [message] = warned(w, 1)
    assert "本周（11月30日—12月6日）还没有安排工作例会" in message.text
    assert json.loads(message.buttons) == [[["➕ 安排工作例会", MeetingNew(MeetingKind.weekly).pack()]]]
    assert all(warned(w, p) == [] for p in (2, 3, 4, 5, 6, 7))
    # never twice: a later run, a restart, later in the week
    assert frequency_sweep(w, local(2026, 11, 30, 8, 31)) == 0
    assert frequency_sweep(w, local(2026, 12, 3, 10)) == 0
    assert len(warned(w, 1)) == 1
    # the next week has its own warning
    assert frequency_sweep(w, local(2026, 12, 7, 8, 30)) == 1
    assert [o.key for o in warned(w, 1)] == ["meetings:weekly-missing:2026-11-30:p1",
                                             "meetings:weekly-missing:2026-12-07:p1"]


def test_a_weekly_meeting_scheduled_or_held_that_week_stills_the_warning_a_cancelled_one_does_not(w):
    w.clock.set(local(2026, 11, 27, 10))  # the Friday before
    held = schedule(w, at=local(2026, 11, 30, 8, 30))
    w.clock.set(local(2026, 11, 30, 8, 0))
    w.call(meetings.close_minutes, actor_id=w.director, meeting_id=held.id)  # held
    assert frequency_sweep(w, local(2026, 11, 30, 9)) == 0
    # the week of 12-07: one scheduled for Wednesday, none next week
    w.clock.set(local(2026, 12, 4, 10))
    wednesday = schedule(w, at=local(2026, 12, 9, 14, 30))
    assert frequency_sweep(w, local(2026, 12, 7, 8, 30)) == 0
    # the week of 12-14: a meeting of the week after does not count, and a cancelled one neither
    nxt = schedule(w, at=local(2026, 12, 21, 8, 30))
    cancelled = schedule(w, at=local(2026, 12, 16, 9))
    w.call(meetings.cancel, actor_id=w.director, meeting_id=cancelled.id, policy=POLICY)
    assert frequency_sweep(w, local(2026, 12, 14, 8, 30)) == 1
    assert [o.key for o in warned(w, 1)] == ["meetings:weekly-missing:2026-12-14:p1"]
    assert wednesday.id and nxt.id


def test_a_non_working_monday_moves_the_warning_to_the_weeks_first_working_day(w):
    # National Day 2026: Monday 10-05 to Wednesday 10-07 are holidays: Thursday 10-08 08:30
    assert frequency_sweep(w, local(2026, 10, 5, 9)) == 0
    assert frequency_sweep(w, local(2026, 10, 8, 8, 29)) == 0
    assert frequency_sweep(w, local(2026, 10, 8, 8, 30)) == 1
    assert [o.key for o in warned(w, 1)] == ["meetings:weekly-missing:2026-10-05:p1"]
    # the center's own calendar: an admin makes Monday 12-07 a day off: Tuesday 12-08
    with w.db.session() as s:
        s.add(CalendarDay(day=date(2026, 12, 7), workday=False, note="临时调整", set_at=w.clock.now()))
    assert frequency_sweep(w, local(2026, 12, 7, 10)) == 0
    assert frequency_sweep(w, local(2026, 12, 8, 8, 30)) == 1
    # Spring Festival 2026: a week without a working day has no weekly meeting to miss
    assert frequency_sweep(w, local(2026, 2, 18, 10)) == 0
    assert [o.key for o in warned(w, 1)][-1] == "meetings:weekly-missing:2026-12-07:p1"


def test_with_working_hours_from_0800_the_warning_still_waits_for_the_weekly_slot(w):
    early = DeadlinePolicy(hours=((time(8, 0), time(12, 0)), (time(14, 0), time(17, 30))))
    assert frequency_sweep(w, local(2026, 10, 8, 8, 10), policy=early) == 0  # Thursday, the week's first working day
    assert frequency_sweep(w, local(2026, 10, 8, 8, 30), policy=early) == 1
    assert frequency_sweep(w, local(2026, 11, 30, 8, 29), policy=early) == 0  # an ordinary Monday
    assert frequency_sweep(w, local(2026, 11, 30, 8, 30), policy=early) == 1


def test_a_quarter_without_a_joint_meeting_is_told_to_the_director_from_its_last_month(w):
    w.clock.set(local(2026, 11, 20, 10))
    schedule(w, at=local(2026, 11, 30, 8, 30))  # this week's weekly meeting: only the joint one is missing
    assert frequency_sweep(w, local(2026, 11, 30, 9), "joint") == 0  # Q4's last month is December
    # Tuesday 12-01, the first working day of December, from 08:30: the director, once
    assert frequency_sweep(w, local(2026, 12, 1, 8, 29), "joint") == 0
    assert frequency_sweep(w, local(2026, 12, 1, 8, 30), "joint") == 1
    [message] = warned(w, 1, "joint")
    assert "2026年第4季度还没有安排联席会议，本季度到 12月31日 结束" in message.text
    assert json.loads(message.buttons) == [[["➕ 安排联席会议", MeetingNew(MeetingKind.joint).pack()]]]
    assert all(warned(w, p, "joint") == [] for p in (2, 3, 4, 5, 7))  # the director convenes it
    assert frequency_sweep(w, local(2026, 12, 2, 9), "joint") == 0
    assert message.key == "meetings:joint-missing:2026q4:p1"


@pytest.mark.parametrize(("kind", "status", "warned_"), [
    (MeetingKind.joint, "scheduled", False),
    (MeetingKind.joint, "held", False),
    (MeetingKind.joint, "cancelled", True),
    (MeetingKind.joint_adhoc, "held", True),  # a 临时联席会议 is extra, not the quarterly one
])
def test_the_quarters_joint_meeting_stills_the_warning(w, kind, status, warned_):
    w.clock.set(local(2026, 10, 10, 10))
    m = schedule(w, kind=kind, at=local(2026, 10, 20, 9) if status == "held" else local(2026, 12, 22, 9))
    if status == "held":
        w.clock.set(local(2026, 10, 20, 11))
        w.call(meetings.close_minutes, actor_id=w.director, meeting_id=m.id)
    elif status == "cancelled":
        w.call(meetings.cancel, actor_id=w.director, meeting_id=m.id, policy=POLICY)
    frequency_sweep(w, local(2026, 12, 1, 9))
    assert bool(warned(w, 1, "joint")) is warned_
