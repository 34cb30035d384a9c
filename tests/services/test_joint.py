"""Issue 16 items 4, 5 and 7 without Telegram: 协办 units (who sees, who may do what, who is chased),
会商 (its checks, the card and the case file), 请示 on a 督办 notice (ask once, the first answer
counts, extend / close / transfer / refuse) and 已到场 (who may, the location, the center told)."""

import io
import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from sqlmodel import select

from bot.services import (
    case_card,
    case_file,
    case_file_docx,
    cases,
    intake,
    joint,
    people,
    reminders,
    scene,
    supervision,
)
from bot.services.case_access import visibility_filter
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.intake import IntakePolicy
from bot.services.supervision import instruct
from models import (
    Case,
    CaseStatus,
    InstructionAnswer,
    InstructionReason,
    NoticeStatus,
    Outbox,
    SceneArrival,
    Severity,
)

SH = ZoneInfo("Asia/Shanghai")
POLICY = DeadlinePolicy()
POLICE_CHAT, UNIT_CHAT, DIRECTOR_CHAT, LEADER_CHAT, STAFF_CHAT = 10, 7, 1, 3, 4


def local(y, m, d, hh=9, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH).astimezone(UTC)


@pytest.fixture
def w(town):
    """镇派出所 (contact 10) besides 镇司法所; a case assigned to 镇司法所, due Thursday 12-03 17:30."""
    town.with_police().running_case(to_unit=True)
    return town


def co(w):
    return w.call(joint.toggle_co_unit, actor_id=w.staff, case_id=w.case_id, unit_id=w.police)


def can_see(w, person_id: int) -> bool:
    with w.db.session() as s:
        viewer = people.get(s, person_id=person_id)
        listed = s.exec(select(Case.id).where(visibility_filter(viewer))).all()
        return w.case_id in listed


# --- 协办 ----------------------------------------------------------------------------------------


def test_a_co_unit_sees_the_case_adds_progress_but_does_not_resolve(w):
    assert not can_see(w, w.police_contact)
    with pytest.raises(NotAllowed):
        w.do(cases.add_progress, w.police_contact, w.case_id, text="已到场")
    assert co(w) is True
    assert can_see(w, w.police_contact)  # /mycases and /search list it like the card shows it
    with w.db.session() as s:
        card = case_card.case_card(s, viewer_id=w.police_contact, case_id=w.case_id, now=w.clock.now())
    assert (card.joint.lead, card.joint.co_units, card.joint.co_unit) == ("镇司法所", ("镇派出所",), True)
    assert card.actions == ("progress",)
    assert "13800138000" in card.parties[0][1]  # a unit working on the case sees the parties in full
    w.do(cases.add_progress, w.police_contact, w.case_id, text="已派民警到场")
    assert w.status(w.case_id) == CaseStatus.in_progress
    [told] = [t for t in w.outbox_to(UNIT_CHAT) if "协办单位 镇派出所" in t]
    assert "已派民警到场" in told
    with pytest.raises(NotAllowed):
        w.do(cases.resolve, w.police_contact, w.case_id, outcome="调解成功", agreement=None, summary="已调解")
    w.do(cases.resolve, w.unit_contact, w.case_id, outcome="调解成功", agreement=None, summary="已调解")
    assert w.status(w.case_id) == CaseStatus.resolved


def test_who_may_set_units_and_what_is_refused(w):
    for who in (w.unit_contact, w.grid_worker):
        with pytest.raises(NotAllowed):
            w.call(joint.toggle_co_unit, actor_id=who, case_id=w.case_id, unit_id=w.police)
    with pytest.raises(InvalidInput, match="是主办单位"):
        w.call(joint.toggle_co_unit, actor_id=w.staff, case_id=w.case_id, unit_id=w.unit.id)
    empty = w.with_empty_unit().empty_unit
    with pytest.raises(InvalidInput, match="还没有登记联络人"):
        w.call(joint.toggle_co_unit, actor_id=w.staff, case_id=w.case_id, unit_id=empty)
    assert co(w) is True and co(w) is False  # the second press takes it off
    assert not can_see(w, w.police_contact)
    co(w)
    # 设为主办: the co-unit becomes the lead through 分派, and stops being a co-unit.
    w.call(joint.set_lead, actor_id=w.staff, case_id=w.case_id, unit_id=w.police)
    assert w.case().unit_id == w.police
    with w.db.session() as s:
        assert joint.co_unit_ids(s, w.case_id) == []


def test_the_reminder_sweep_chases_co_units_without_the_resolve_button(w):
    co(w)
    w.clock.set(local(2026, 12, 3, 9))  # the due day
    w.db.call(reminders.sweep, now=w.clock.now(), policy=POLICY)
    [lead] = w.messages(UNIT_CHAT, "rem:")
    [police] = w.messages(POLICE_CHAT, "rem:")
    assert ":due_day:" in police.key and "今天到期" in police.text
    assert "case:rs:" in lead.buttons and "case:rs:" not in police.buttons


# --- 会商 ----------------------------------------------------------------------------------------


def test_consultation_checks_and_shows_on_the_card_and_in_the_case_file(w):
    def record(**kw):
        args = dict(actor_id=w.staff, case_id=w.case_id, held_at=local(2026, 11, 30, 8, 30),
                    person_ids=[w.director, w.leader], unit_ids=[w.unit.id, w.police], conclusion="司法所牵头调解")
        args.update(kw)
        return w.call(joint.record_consultation, **args)

    with pytest.raises(InvalidInput, match="至少要有两方"):
        record(person_ids=[w.director], unit_ids=[])
    with pytest.raises(InvalidInput, match="不能晚于现在"):
        record(held_at=local(2026, 11, 30, 10))
    with pytest.raises(InvalidInput, match="无效"):
        record(person_ids=[w.grid_worker])  # a grid worker is not among the people offered
    with pytest.raises(NotAllowed):
        record(actor_id=w.unit_contact)
    with pytest.raises(InvalidInput, match="会商结论"):
        record(conclusion=" ")
    view = record()
    assert view.participants == "王主任、刘领导、镇司法所、镇派出所" and view.recorder == "孙丽"
    assert any("🗣 事项" in t for t in w.outbox_to(POLICE_CHAT))  # a participating unit is told
    with w.db.session() as s:
        card = case_card.case_card(s, viewer_id=w.director, case_id=w.case_id, now=w.clock.now())
        plan = case_file.plan(s, viewer_id=w.director, case_id=w.case_id, now=w.clock.now())
    assert [c.conclusion for c in card.joint.consultations] == ["司法所牵头调解"]
    form = case_file_docx.build_case_form(plan.record, tz=SH, attachments=list(plan.attachments), org="某镇综治中心")
    cells = [c.text for t in Document(io.BytesIO(form)).tables for row in t.rows for c in row.cells]
    assert "会商" in cells and any("2026年11月30日 08:30" in c and "司法所牵头调解" in c for c in cells)


# --- 请示 ----------------------------------------------------------------------------------------


def _signed(w):
    n = w.issue()
    w.call(supervision.sign, actor_id=w.unit_contact, notice_id=n.id)
    return n


def _ask(w, n, reason=InstructionReason.overdue, detail="当事人外出，需延期"):
    return w.call(instruct.ask, actor_id=w.unit_contact, notice_id=n.id, reason=reason, detail=detail)


def test_instruction_once_at_a_time_only_by_the_unit_and_told_to_the_leaders(w):
    n = w.issue()
    with pytest.raises(InvalidInput, match="请先点「签收」"):
        _ask(w, n)
    w.call(supervision.sign, actor_id=w.unit_contact, notice_id=n.id)
    with pytest.raises(NotAllowed):
        w.call(instruct.ask, actor_id=w.police_contact, notice_id=n.id, reason=InstructionReason.other, detail="x2")
    entry = _ask(w, n)
    assert entry.open and entry.text == "无法按期办结：当事人外出，需延期"
    with pytest.raises(InvalidInput, match="已有一项请示"):
        _ask(w, n)
    for chat in (DIRECTOR_CHAT, LEADER_CHAT):
        [row] = w.messages(chat, f"sv{n.id}:e{entry.id}")
        assert f"is:a:{entry.id}:extend" in row.buttons and "事由：无法按期办结" in row.text


def test_extension_moves_the_deadline_and_the_first_answer_counts(w):
    n = _signed(w)
    entry = _ask(w, n)
    answer = dict(actor_id=w.leader, entry_id=entry.id, policy=POLICY, text="同意")
    with pytest.raises(NotAllowed):
        w.call(instruct.answer, **{**answer, "actor_id": w.unit_contact}, answer=InstructionAnswer.refuse)
    with pytest.raises(InvalidInput, match="晚于原期限"):
        w.call(instruct.answer, **answer, answer=InstructionAnswer.extend, new_due=date(2026, 12, 9))
    w.sweep(local(2026, 12, 11, 9))  # overdue: asked for the reason
    assert w.notice(n.id).overdue_asked_at is not None
    w.call(instruct.answer, **answer, answer=InstructionAnswer.extend, new_due=date(2026, 12, 18))
    found = w.notice(n.id)
    assert found.due_at == local(2026, 12, 18, 17, 30) and found.overdue_asked_at is None
    assert found.status == NoticeStatus.signed
    assert any("同意延期，新期限 2026年12月18日" in t for t in w.outbox_to(UNIT_CHAT))
    with pytest.raises(InvalidInput, match="已由 刘领导 答复（同意延期）"):
        w.call(instruct.answer, actor_id=w.director, entry_id=entry.id, policy=POLICY, text="不同意",
               answer=InstructionAnswer.refuse)


def test_approved_transfer_closes_the_notice_and_the_party_notice_is_chased(w):
    n = _signed(w)
    entry = _ask(w, n, InstructionReason.changed, "涉及土地权属")
    with pytest.raises(InvalidInput, match="接收部门"):
        w.call(instruct.answer, actor_id=w.director, entry_id=entry.id, policy=POLICY, text="同意移送",
               answer=InstructionAnswer.transfer)
    w.call(instruct.answer, actor_id=w.director, entry_id=entry.id, policy=POLICY, text="同意移送",
           answer=InstructionAnswer.transfer, department="镇自然资源所")
    found = w.notice(n.id)
    assert found.status == NoticeStatus.transferred and found.party_notice_due_at == w.clock.now() + timedelta(days=3)
    w.sweep(local(2026, 12, 1, 9))
    assert w.messages(UNIT_CHAT, f"sv{n.id}:party:2026-12-01")  # reminded the next day to tell the party


def test_refusal_keeps_the_notice_open_and_allows_a_new_instruction(w):
    n = _signed(w)
    entry = _ask(w, n, InstructionReason.coordination, "需要派出所配合")
    w.call(instruct.answer, actor_id=w.leader, entry_id=entry.id, policy=POLICY, text="请自行联系派出所",
           answer=InstructionAnswer.refuse)
    assert w.notice(n.id).status == NoticeStatus.signed
    assert _ask(w, n, InstructionReason.other, "再次请示").open


# --- 已到场 --------------------------------------------------------------------------------------


def _urgent(w, **kw):
    return w.submit(type_id=w.mass, severity=Severity.major, urgent=True, **kw).id


def test_only_the_contact_point_leader_of_an_urgent_case_arrives(w):
    case_id = _urgent(w)
    for who in (w.staff, w.director, w.grid_worker):
        with pytest.raises(NotAllowed):
            w.call(scene.arrive, actor_id=who, case_id=case_id)
    with pytest.raises(InvalidInput, match="不是紧急事项"):
        w.call(scene.arrive, actor_id=w.leader, case_id=w.case_id)
    with pytest.raises(InvalidInput, match="请先在紧急提醒上点"):
        w.call(scene.record_location, actor_id=w.leader, case_id=case_id, latitude=30.0, longitude=120.0)


def test_arrival_time_is_the_press_the_location_completes_it_and_the_center_is_told(w):
    case_id = _urgent(w)
    pressed = local(2026, 11, 30, 9, 20)
    first = w.call(scene.arrive, actor_id=w.leader, case_id=case_id, now=pressed)
    again = w.call(scene.arrive, actor_id=w.leader, case_id=case_id, now=pressed + timedelta(minutes=3))
    assert first.arrived_at == again.arrived_at == pressed
    with pytest.raises(InvalidInput):
        w.call(scene.record_location, actor_id=w.leader, case_id=case_id, latitude=95.0, longitude=120.0)
    w.call(scene.record_location, actor_id=w.leader, case_id=case_id, latitude=30.27415, longitude=120.15515,
           now=pressed + timedelta(minutes=5))
    for chat in (DIRECTOR_CHAT, STAFF_CHAT, 5):  # the director and the center staff; not the leader himself
        [row] = [r for r in w.messages(chat) if "已到达事项" in r.text]
        assert "到场时间：11月30日 09:20" in row.text and "位置 30.27415, 120.15515" in row.text and row.urgent
    assert not [r for r in w.messages(LEADER_CHAT) if "已到达事项" in r.text]
    with pytest.raises(InvalidInput, match="您已于 11月30日 09:20 登记到场"):
        w.call(scene.arrive, actor_id=w.leader, case_id=case_id)
    with w.db.session() as s:
        [on_card] = scene.on_card(s, case_id=case_id)
        assert (on_card.who, on_card.at) == ("刘领导", pressed)
        assert s.exec(select(SceneArrival)).one().no_location is False
        plan = case_file.plan(s, viewer_id=w.director, case_id=case_id, now=w.clock.now())
    form = case_file_docx.build_case_form(plan.record, tz=SH, attachments=list(plan.attachments), org="某镇综治中心")
    cells = [c.text for t in Document(io.BytesIO(form)).tables for row in t.rows for c in row.cells]
    assert "联系点领导到场" in cells and "刘领导　2026年11月30日 09:20　30.27415, 120.15515" in cells


def test_no_location_is_recorded_as_such(w):
    case_id = _urgent(w)
    w.call(scene.arrive, actor_id=w.leader, case_id=case_id)
    done = w.call(scene.record_location, actor_id=w.leader, case_id=case_id)
    assert (done.latitude, done.longitude) == (None, None)
    assert any("未能发送位置" in r.text for r in w.messages(DIRECTOR_CHAT))


def test_the_alert_offers_arrival_only_to_the_village_contact_point_leader(w):
    draft = w.draft(type_id=w.mass, severity=Severity.major, urgent=True)
    case_id = w.call(intake.register_report, actor_id=w.grid_worker, draft=draft, policy=IntakePolicy()).case.id
    with w.db.session() as s:
        rows = s.exec(select(Outbox).where(Outbox.key.like("urg:%"))).all()
    with_button = {r.chat_id for r in rows if f"sc:a:{case_id}" in (r.buttons or "")}
    assert with_button == {LEADER_CHAT} and len({r.chat_id for r in rows}) > 1
    leader_copy = next(r for r in rows if r.chat_id == LEADER_CHAT)
    assert json.loads(leader_copy.buttons)[-1] == [["📍 已到场", f"sc:a:{case_id}"]]
