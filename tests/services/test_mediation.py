"""调处会 (督办制度: 对影响社会稳定或涉及部门较多的重大矛盾纠纷个例，中心可以召集有关部门直接进行调处)
as services: who may convene it and on what, whom it invites, what the invitation says of a
confidential case, its reminders, and how its closed minutes become the case's 会商."""

import io
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from sqlmodel import select

from bot.services import decisions, joint, meetings, minutes_docx, people, places
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed
from models import (
    AuditEvent,
    Case,
    CaseConsultation,
    CaseStatus,
    Meeting,
    MeetingInvitee,
    MeetingKind,
    Outbox,
)
from tests.factories import local

POLICY = DeadlinePolicy()
SH = ZoneInfo("Asia/Shanghai")
AT = local(2026, 12, 2, 9)  # the clock is Monday 11-30


def convene(w, actor=None, units=(), case_id=None, at=AT):
    return w.call(meetings.schedule, actor_id=actor or w.staff, kind=MeetingKind.mediation, starts_at=at,
                  place="综治中心会议室", policy=POLICY, case_id=case_id or w.case_id, unit_ids=list(units))


def invited(w, meeting_id) -> set[int]:
    with w.db.session() as s:
        return set(s.exec(select(MeetingInvitee.person_id).where(MeetingInvitee.meeting_id == meeting_id)))


def test_the_center_convenes_the_departments_on_a_case(w):
    w.with_police().with_baoan()
    ref = w.running_case(to_unit=True)  # 镇司法所 leads
    w.set_status(ref.id, CaseStatus.assigned, leader_id=w.leader2)  # its 包案领导
    view = convene(w, units=[w.police])
    assert view.title == "2026年第1次矛盾纠纷调处会" and view.number == "〔2026〕调处会第1号"
    assert view.case_number == ref.number and view.units == ("镇司法所", "镇派出所")
    with w.db.session() as s:
        meeting = s.get(Meeting, view.id)
        assert (meeting.case_id, meeting.unit_ids, meeting.chair_id) == (ref.id, [w.unit.id, w.police], w.director)
    # the organiser, the director who chairs, the 包案领导 and both departments' contacts; nobody else
    assert invited(w, view.id) == {w.staff, w.director, w.leader2, w.unit_contact, w.police_contact}
    told = w.outbox_to(10)  # 派出所小王
    assert len(told) == 1 and "调处事项：" + ref.number + " 两户因排水沟争吵" in told[0]
    assert "参加调处部门：镇司法所、镇派出所" in told[0]
    assert "case.mediation" in w.actions(ref.id)
    with w.db.session() as s:
        card = joint.on_card(s, people.get(s, person_id=w.staff), s.get(Case, ref.id))
    assert card.mediations == ((AT, "综治中心会议室"),)
    # the convened unit's contact sees the meeting, not the case; the lead unit's contact sees both
    assert not w.db.call(meetings.meeting_view, actor_id=w.police_contact, meeting_id=view.id).case_visible
    assert w.db.call(meetings.meeting_view, actor_id=w.unit_contact, meeting_id=view.id).case_visible
    # reminded the working day before, like any meeting
    w.clock.set(local(2026, 12, 1, 16, 0))
    w.call(meetings.sweep_reminders, now=w.clock.now(), policy=POLICY)
    assert any("明天开会" in m and "矛盾纠纷调处会" in m for m in w.outbox_to(10))
    # a 调处会 is not offered in /meetings: it is convened from its case
    assert MeetingKind.mediation not in w.db.call(meetings.schedulable_kinds, person_id=w.director)


def test_who_may_convene_and_on_what(w):
    w.with_police()
    ref = w.running_case(to_unit=True)
    with pytest.raises(NotAllowed, match="只有中心主任、领导和工作人员"):
        convene(w, actor=w.unit_contact)  # the lead unit's contact sees the case but does not convene
    with pytest.raises(NotAllowed):
        convene(w, actor=w.police_contact)  # may not even see it
    with pytest.raises(NotAllowed):
        convene(w, actor=w.grid_worker)
    with pytest.raises(InvalidInput, match="所选的部门无效"):
        convene(w, units=[999])
    with pytest.raises(InvalidInput, match="调处会请在事项卡片上召集"):
        w.call(meetings.schedule, actor_id=w.director, kind=MeetingKind.mediation, starts_at=AT, place="综治中心会议室",
               policy=POLICY)  # no case
    with pytest.raises(InvalidInput):
        w.call(meetings.schedule, actor_id=w.director, kind=MeetingKind.weekly, starts_at=AT, place="综治中心会议室",
               policy=POLICY, case_id=ref.id)  # only a 调处会 has a case
    # a case handled by a person, no unit: a department must be picked
    own = w.running_case()
    with pytest.raises(InvalidInput, match="请至少选择一个参加调处的部门"):
        convene(w, case_id=own.id)
    assert convene(w, case_id=own.id, units=[w.police]).units == ("镇派出所",)
    # at most 8 departments
    with w.db.session() as s:
        extra = [places.create_unit(s, actor_id=None, name=f"部门{i}", now=w.clock.now()).id for i in range(7)]
    assert len(convene(w, case_id=ref.id, units=[w.police, *extra[:6]]).units) == 8  # 镇司法所 leads: one more
    with pytest.raises(InvalidInput, match="最多 8 个"):
        convene(w, case_id=ref.id, units=[w.police, *extra])
    # not on a closed case
    w.set_status(ref.id, CaseStatus.archived)
    with pytest.raises(InvalidInput, match="不能召集调处会"):
        convene(w, case_id=ref.id)


def test_a_confidential_cases_invitation_names_no_facts_and_is_protected(w):
    w.with_police()
    ref = w.running_case(to_unit=True, description="某宗教场所负责人煽动群众")
    w.set_status(ref.id, CaseStatus.assigned, confidential=True)
    with pytest.raises(NotAllowed):
        convene(w, units=[w.police])  # 孙丽 may not see it, so may not convene on it
    convene(w, actor=w.director, units=[w.police])
    with w.db.session() as s:
        rows = s.exec(select(Outbox).where(Outbox.chat_id == 10)).all()
    assert len(rows) == 1 and rows[0].protect
    assert "保密事项，详情会上说明" in rows[0].text and "宗教" not in rows[0].text


def test_the_closed_minutes_are_the_cases_consultation(w):
    w.with_police()
    ref = w.running_case(to_unit=True)
    view = convene(w, units=[w.police])
    w.call(meetings.answer, actor_id=w.police_contact, meeting_id=view.id, attend=True)
    w.call(meetings.answer, actor_id=w.director, meeting_id=view.id, attend=True)
    w.call(meetings.answer, actor_id=w.unit_contact, meeting_id=view.id, attend=False, reason="外出办案")
    w.clock.set(AT)
    w.call(meetings.add_minute, actor_id=w.staff, meeting_id=view.id, text="司法所牵头调解，派出所维持现场秩序")
    w.call(meetings.add_minute, actor_id=w.staff, meeting_id=view.id, voice_file_id="voice-1")
    w.call(meetings.close_minutes, actor_id=w.staff, meeting_id=view.id)
    with w.db.session() as s:
        row = s.exec(select(CaseConsultation)).one()
        # the people present who came for no department (the organiser, the director); the departments
        assert (row.case_id, row.meeting_id, row.held_at) == (ref.id, view.id, AT)
        assert (sorted(row.person_ids), row.unit_ids) == (sorted([w.staff, w.director]), [w.unit.id, w.police])
        assert row.conclusion == "司法所牵头调解，派出所维持现场秩序（另有语音记录 1 条，见会议纪要）"
        card = joint.on_card(s, people.get(s, person_id=w.staff), s.get(Case, ref.id))
    assert card.mediations == () and card.consultations[0].participants == "王主任、孙丽、镇司法所、镇派出所"
    assert any("会商" in m and "司法所牵头调解" in m for m in w.outbox_to(7))  # the lead unit is told
    # the 纪要 names the case and the departments
    with w.db.session() as s:
        shown = decisions.minutes_view(s, actor_id=w.police_contact, meeting_id=view.id, tz=SH, org="综治中心",
                                       now=w.clock.now())
    text = "\n".join(p.text for p in Document(io.BytesIO(minutes_docx.build_docx(shown))).paragraphs)
    assert f"调处事项：{ref.number}（参加调处部门：镇司法所、镇派出所）" in text and "2026年第1次矛盾纠纷调处会纪要" in text


def test_minutes_without_text_point_to_the_minutes_and_a_case_closed_meanwhile_still_gets_them(w):
    w.with_police()
    ref = w.running_case(to_unit=True)
    view = convene(w)
    w.set_status(ref.id, CaseStatus.archived)
    w.clock.set(AT)
    w.call(meetings.close_minutes, actor_id=w.director, meeting_id=view.id)  # the director closes anyone's
    with w.db.session() as s:
        row = s.exec(select(CaseConsultation)).one()
        events = s.exec(select(AuditEvent.action).where(AuditEvent.subject_id == ref.id,
                                                        AuditEvent.subject_type == "case")).all()
    assert row.conclusion == "见〔2026〕调处会第1号会议纪要。" and row.unit_ids == [w.unit.id]
    assert "case.consultation" in events
