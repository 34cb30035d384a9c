"""督办通知书 without Telegram: numbering, the unit's and the director's sides, the sweep."""

import json
import threading
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from bot.services import case_card, cases, places, supervision
from bot.services.cases import FileInput
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from models import (
    Attachment,
    AuditEvent,
    Case,
    Counter,
    NoticeEntry,
    NoticeLevel,
    NoticeSource,
    NoticeStatus,
    Outbox,
    SupervisionNotice,
)
from tests.factories import Township

SH = ZoneInfo("Asia/Shanghai")
POLICY = DeadlinePolicy()
DIRECTOR_CHAT, UNIT_CHAT, POLICE_CHAT = 1, 7, 10


def local(y, m, d, hh=9, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH).astimezone(UTC)


@pytest.fixture
def w(town) -> Township:
    """The township with 镇派出所 (contact id 10) and a case assigned to 镇司法所, due Thursday 12-03 17:30."""
    town.with_police().running_case(to_unit=True)
    return town


def buttons(row: Outbox) -> list[str]:
    return [data for line in json.loads(row.buttons) for _label, data in line]


# --- issuing and numbering ---------------------------------------------------------------------


def test_issue_numbers_fills_the_fields_and_tells_unit_and_director(w):
    n = w.issue(cc="县综治中心", level=NoticeLevel.normal, source=NoticeSource.upper, feedback="每两日反馈一次")
    assert n.number == "综治〔2026〕1号" and (n.year, n.seq) == (2026, 1)
    assert n.case_summary == "两户因排水沟争吵" and n.unit_id == w.unit.id and n.issuer_id == w.director
    with w.db.session() as s:
        case = s.get(Case, w.case_id)
    assert n.original_due_at == case.due_at == local(2026, 12, 3, 17, 30) and n.days_overdue == 0
    assert n.due_at == local(2026, 12, 10, 17, 30) and n.status == NoticeStatus.issued
    assert (n.cc, n.feedback, n.source) == ("县综治中心", "每两日反馈一次", NoticeSource.upper)
    assert n.next_check_at == w.clock.now()  # the sweep works out the first step
    to_unit = w.messages(UNIT_CHAT, f"sv{n.id}:issued")
    assert len(to_unit) == 1 and buttons(to_unit[0]) == [f"sv:sign:{n.id}", f"sv:view:{n.id}"]
    assert "综治〔2026〕1号" in to_unit[0].text and "请于期限前调解到位" in to_unit[0].text
    to_director = w.messages(DIRECTOR_CHAT, f"sv{n.id}:issued")
    assert len(to_director) == 1 and "镇司法所" in to_director[0].text
    assert w.messages(POLICE_CHAT) == []
    assert w.issue().number == "综治〔2026〕2号"
    with w.db.session() as s:
        actions = s.exec(select(AuditEvent.action).where(AuditEvent.subject_id == w.case_id,
                                                         AuditEvent.action == "case.supervise")).all()
    assert len(actions) == 2


def test_original_deadline_and_working_days_overdue(w):
    # the case was due Thursday 12-03 17:30: Fri and Mon whole, Tue 08:30–10:00 — the card says
    # 「已超期 2 个工作日 1 小时」, so the notice says 2 working days
    w.clock.set(local(2026, 12, 8, 10))
    n = w.issue(due=date(2026, 12, 11))
    assert n.days_overdue == 2 and n.original_due_at == local(2026, 12, 3, 17, 30)
    with pytest.raises(InvalidInput, match="晚于现在"):
        w.issue(due=date(2026, 12, 7))


def test_a_new_year_starts_at_001(w):
    w.issue()
    w.clock.set(datetime(2026, 12, 31, 15, 0, tzinfo=UTC))  # 23:00 in Shanghai: still 2026
    assert w.issue(due=date(2027, 1, 8)).number == "综治〔2026〕2号"
    w.clock.set(datetime(2026, 12, 31, 16, 30, tzinfo=UTC))  # 2027-01-01 00:30 in Shanghai
    first = w.issue(due=date(2027, 1, 8))
    assert first.number == "综治〔2027〕1号" and first.year == 2027
    assert w.issue(due=date(2027, 1, 8)).number == "综治〔2027〕2号"


def test_numbering_under_concurrency_is_consecutive_without_duplicates(w):
    numbers, errors = [], []
    barrier = threading.Barrier(12)

    def worker():
        barrier.wait()
        try:
            numbers.append(w.issue().number)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers, key=supervision.parse_number) == [f"综治〔2026〕{i}号" for i in range(1, 13)]
    with w.db.session() as s:
        assert s.exec(select(Counter.value).where(Counter.name == "notice", Counter.year == 2026)).one() == 12


def test_issue_checks(w):
    for who in (w.leader, w.secretary, w.staff, w.unit_contact):
        with pytest.raises(NotAllowed):
            w.issue(actor=who)
    with w.db.session() as s:
        unit = places.create_unit(s, actor_id=None, name="镇信访办", now=w.clock.now())
    with pytest.raises(InvalidInput, match="联络人"):
        w.issue(unit_id=unit.id)
    with pytest.raises(InvalidInput, match="督办要求"):
        w.issue(requirements=" ")
    with pytest.raises(InvalidInput, match="最多"):
        w.issue(requirements="要" * 2001)
    with pytest.raises(cases.CaseNotFound):
        w.issue(case_id=999)


# --- the one-line command and the preview ------------------------------------------------------


def test_parse_command():
    cmd = supervision.parse_command("/supervise 2026-0042 镇司法所 2026-12-10 请于期限前调解到位")
    assert cmd == supervision.SuperviseCommand("2026-0042", "镇司法所", date(2026, 12, 10), "请于期限前调解到位")
    cmd = supervision.parse_command("/supervise@zz_bot ２０２６－42 镇 司法所 2026/12/10 要求 两句")
    assert (cmd.case_number, cmd.unit_name, cmd.due_date, cmd.requirements) == (
        "2026-0042", "镇 司法所", date(2026, 12, 10), "要求 两句")
    assert supervision.parse_command("/supervise 2026-7 派出所 2026年12月9日 查处", today=None).due_date == date(2026, 12, 9)
    assert supervision.parse_command("/supervise 2026-7 派出所 12-09 查处", today=date(2026, 11, 30)).due_date == date(
        2026, 12, 9)
    assert supervision.parse_command("/supervise 2026-7 派出所 1月5日 查处", today=date(2026, 12, 20)).due_date == date(
        2027, 1, 5)
    errors = {
        "/supervise": "用法",
        "/supervise abc 镇司法所 2026-12-10 要求": "事项编号「abc」不对",
        "/supervise 2026-0042 2026-12-10 要求": "承办单位",
        "/supervise 2026-0042 镇司法所 尽快办理": "没有找到办理期限",
        "/supervise 2026-0042": "承办单位名称和办理期限",
        "/supervise 2026-0042 镇司法所 2026-02-30 要求": "日期「2026-02-30」不存在",
        "/supervise 2026-0042 镇司法所 2026-12-10": "督办要求",
    }
    for text, message in errors.items():
        with pytest.raises(InvalidInput, match=message):
            supervision.parse_command(text)


def test_command_resolves_to_a_preview_that_writes_nothing(w):
    cmd = supervision.parse_command("/supervise 2026-0001 司法所 2026-12-10 请调解到位")
    with w.db.session() as s:
        draft = supervision.resolve_command(s, actor_id=w.director, command=cmd)
    assert (draft.case_id, draft.unit_id, draft.unit_name) == (w.case_id, w.unit.id, "镇司法所")
    view = w.call(supervision.preview, actor_id=w.director, case_id=draft.case_id, unit_id=draft.unit_id,
                  due_date=draft.due_date, requirements=draft.requirements, policy=POLICY, level=NoticeLevel.yellow)
    assert view.id is None and view.number == "（确认下达后编号）" and view.level_label == "黄牌"
    assert view.due == "2026年12月10日 17:30" and view.contacts == "司法所老李" and view.issuer == "王主任"
    with w.db.session() as s:
        assert s.exec(select(SupervisionNotice)).all() == [] and s.exec(select(Counter).where(
            Counter.name == "notice")).all() == []
    for unit, message in (("所", "对应多个单位"), ("水利站", "没有找到单位「水利站」")):
        with w.db.session() as s, pytest.raises(InvalidInput, match=message):
            supervision.resolve_command(s, actor_id=w.director, command=supervision.parse_command(
                f"/supervise 2026-0001 {unit} 2026-12-10 请调解"))
    with w.db.session() as s, pytest.raises(cases.CaseNotFound):
        supervision.resolve_command(s, actor_id=w.director, command=supervision.parse_command(
            "/supervise 2026-0099 镇司法所 2026-12-10 请调解"))
    with w.db.session() as s, pytest.raises(NotAllowed):
        supervision.resolve_command(s, actor_id=w.leader, command=cmd)


# --- the full path -----------------------------------------------------------------------------


def test_issue_sign_report_reject_reissue_accept(w):
    n = w.issue()
    for who in (w.director, w.police_contact, w.staff):
        with pytest.raises(NotAllowed):
            w.call(supervision.sign, actor_id=who, notice_id=n.id)
    with pytest.raises(InvalidInput, match="先点「签收」"):
        w.call(supervision.add_entry, actor_id=w.unit_contact, notice_id=n.id, kind="progress", text="已约谈")
    signed = w.call(supervision.sign, actor_id=w.unit_contact, notice_id=n.id)
    assert signed.status == NoticeStatus.signed and signed.signed_by_id == w.unit_contact
    assert signed.signed_at == w.clock.now()
    assert any("已签收" in m.text for m in w.messages(DIRECTOR_CHAT, f"sv{n.id}:signed"))
    with pytest.raises(InvalidInput, match="已由 司法所老李 于 2026年11月30日 09:00 签收"):
        w.call(supervision.sign, actor_id=w.unit_contact, notice_id=n.id)

    w.call(supervision.add_entry, actor_id=w.unit_contact, notice_id=n.id, kind="progress", text="已约谈双方",
           files=(FileInput("photo", "f-talk"),))
    with w.db.session() as s:
        assert s.exec(select(Attachment.note).where(Attachment.file_id == "f-talk")).one() == "督办反馈"
    progress = w.messages(DIRECTOR_CHAT, f"sv{n.id}:e")
    assert len(progress) == 1 and "已约谈双方" in progress[0].text and "附件 1 个" in progress[0].text

    result = w.call(supervision.add_entry, actor_id=w.unit_contact, notice_id=n.id, kind="result",
                    text="双方口头和解")
    assert w.notice(n.id).status == NoticeStatus.reported
    ask = w.messages(DIRECTOR_CHAT, f"sv{n.id}:e{result.id}")
    assert buttons(ask[0]) == [f"sv:ok:{n.id}", f"sv:re:{n.id}", f"sv:view:{n.id}"]
    with pytest.raises(InvalidInput, match="等待中心审核"):
        w.call(supervision.add_entry, actor_id=w.unit_contact, notice_id=n.id, kind="result", text="再报")

    # the director is not satisfied: a new notice, one level stricter, linked to the first
    for who in (w.leader, w.unit_contact):
        with pytest.raises(NotAllowed):
            w.call(supervision.reject_and_reissue, actor_id=who, notice_id=n.id, reason="当事人不满意",
                   due_date=date(2026, 12, 15), policy=POLICY)
    second = w.call(supervision.reject_and_reissue, actor_id=w.director, notice_id=n.id, reason="当事人不满意",
                    due_date=date(2026, 12, 15), level=NoticeLevel.yellow, policy=POLICY)
    assert second.number == "综治〔2026〕2号" and second.parent_id == n.id and second.level == NoticeLevel.yellow
    assert second.requirements == n.requirements and second.original_due_at == n.due_at
    old = w.notice(n.id)
    assert old.status == NoticeStatus.reissued and old.closing_note == "当事人不满意" and old.next_check_at is None
    reissued = w.messages(UNIT_CHAT, f"sv{second.id}:issued")
    assert len(reissued) == 1 and "重新督办" in reissued[0].text and "当事人不满意" in reissued[0].text
    with pytest.raises(InvalidInput, match="不能降低"):
        w.call(supervision.reject_and_reissue, actor_id=w.director, notice_id=second.id, reason="仍不满意",
               due_date=date(2026, 12, 18), level=NoticeLevel.normal, policy=POLICY)
    with pytest.raises(InvalidInput, match="不能再办理"):
        w.call(supervision.reject_and_reissue, actor_id=w.director, notice_id=n.id, reason="再次",
               due_date=date(2026, 12, 18), policy=POLICY)

    w.call(supervision.sign, actor_id=w.unit_contact, notice_id=second.id)
    with pytest.raises(InvalidInput, match="还没有报送办理结果"):
        w.call(supervision.accept_result, actor_id=w.director, notice_id=second.id)
    w.call(supervision.add_entry, actor_id=w.unit_contact, notice_id=second.id, kind="result",
           text="签订书面调解协议", files=(FileInput("document", "f-deal", file_name="协议.pdf"),))
    for who in (w.leader, w.unit_contact, w.secretary):
        with pytest.raises(NotAllowed):
            w.call(supervision.accept_result, actor_id=who, notice_id=second.id)
    done = w.call(supervision.accept_result, actor_id=w.director, notice_id=second.id)
    assert done.status == NoticeStatus.accepted and done.closed_at == w.clock.now() and done.next_check_at is None
    assert any("已获中心认可" in m.text for m in w.messages(UNIT_CHAT, f"sv{second.id}:e"))
    with pytest.raises(InvalidInput, match="不能再办理"):
        w.call(supervision.add_entry, actor_id=w.unit_contact, notice_id=second.id, kind="progress", text="补充")

    view = w.call(supervision.notice_view, viewer_id=w.director, notice_id=second.id, policy=POLICY)
    assert view.parent_number == "综治〔2026〕1号" and view.status_label == "结果认可，已办结"
    assert [e.kind for e in view.entries] == ["result", "accept"]
    with w.db.session() as s:
        history = [h.action for h in case_card.history(s, case_id=w.case_id)]
    for label in ("下达督办", "签收督办", "督办反馈", "重新督办", "认可督办结果"):
        assert label in history


def test_materials_and_briefing_requests_are_tracked(w):
    n = w.issue()
    with pytest.raises(NotAllowed):
        w.call(supervision.request_materials, actor_id=w.unit_contact, notice_id=n.id)
    materials = w.call(supervision.request_materials, actor_id=w.director, notice_id=n.id)
    briefing = w.call(supervision.request_briefing, actor_id=w.director, notice_id=n.id, text="请所长周三来中心汇报")
    assert materials.open and materials.text.startswith("请报送本事项的有关调处材料")
    asked = w.messages(UNIT_CHAT, f"sv{n.id}:e{briefing.id}")
    assert buttons(asked[0]) == [f"sv:ans:{briefing.id}", f"sv:view:{n.id}"] and "周三" in asked[0].text
    with pytest.raises(NotAllowed):
        w.call(supervision.answer_request, actor_id=w.police_contact, entry_id=materials.id, text="材料")
    w.call(supervision.answer_request, actor_id=w.unit_contact, entry_id=materials.id, text="调解记录见附件",
           files=(FileInput("document", "f-rec", file_name="记录.docx"),))
    with pytest.raises(InvalidInput, match="已经答复"):
        w.call(supervision.answer_request, actor_id=w.unit_contact, entry_id=materials.id, text="再答")
    with w.db.session() as s:
        entries = {e.id: e for e in s.exec(select(NoticeEntry).where(NoticeEntry.notice_id == n.id))}
        assert s.exec(select(Attachment.note).where(Attachment.file_id == "f-rec")).one() == "督办反馈"
    assert not entries[materials.id].open and entries[materials.id].answered_at == w.clock.now()
    assert entries[briefing.id].open
    told = [m.text for m in w.messages(DIRECTOR_CHAT, f"sv{n.id}:e")]
    assert any("调阅有关调处材料" in t and "调解记录见附件" in t for t in told)
    with pytest.raises(NotFound):
        w.call(supervision.answer_request, actor_id=w.unit_contact, entry_id=9999, text="答")


# --- the clock ---------------------------------------------------------------------------------


def test_unsigned_reminder_then_escalation_never_twice(w):
    n = w.issue()  # Monday 09:00; 4 working hours → 15:30; 8 → Tuesday 10:30
    assert w.sweep(local(2026, 11, 30, 9, 5)) == 0
    assert w.notice(n.id).next_check_at == local(2026, 11, 30, 15, 30)
    assert w.sweep(local(2026, 11, 30, 15, 29)) == 0
    assert w.sweep(local(2026, 11, 30, 15, 30)) == 1
    reminder = w.messages(UNIT_CHAT, "signrem")
    assert len(reminder) == 1 and "4 个工作小时" in reminder[0].text and f"sv:sign:{n.id}" in buttons(reminder[0])
    assert w.sweep(local(2026, 11, 30, 15, 30)) == 0  # the same moment again: nothing
    assert w.sweep(local(2026, 11, 30, 20, 0)) == 0  # after hours: nothing
    assert w.notice(n.id).next_check_at == local(2026, 12, 1, 10, 30)
    assert w.sweep(local(2026, 12, 1, 10, 30)) == 1
    escalation = w.messages(DIRECTOR_CHAT, "signesc")
    assert len(escalation) == 1 and "镇司法所" in escalation[0].text and "8 个工作小时" in escalation[0].text
    assert w.sweep(local(2026, 12, 1, 11, 0)) == 0
    assert len(w.messages(UNIT_CHAT, "signrem")) == 1 and len(w.messages(DIRECTOR_CHAT, "signesc")) == 1


def test_signing_in_time_stops_the_reminders(w):
    n = w.issue()
    w.call(supervision.sign, actor_id=w.unit_contact, notice_id=n.id)
    assert w.sweep(local(2026, 11, 30, 16)) == 0
    assert w.sweep(local(2026, 12, 1, 11)) == 0
    assert w.messages(UNIT_CHAT, "signrem") == [] and w.messages(DIRECTOR_CHAT, "signesc") == []


def test_sign_hours_are_configurable(w):
    w.issue()
    assert w.sweep(local(2026, 11, 30, 11, 0), sign_hours=2) == 1  # 09:00 + 2 working hours
    assert len(w.messages(UNIT_CHAT, "signrem")) == 1


def test_yellow_at_70_percent_then_red_and_the_overdue_question(w):
    n = w.issue(due=date(2026, 12, 4))  # Monday 09:00 → Friday 17:30: 32 working hours
    w.call(supervision.sign, actor_id=w.unit_contact, notice_id=n.id)
    assert w.sweep(local(2026, 12, 3, 11, 50)) == 0
    assert w.sweep(local(2026, 12, 3, 11, 54)) == 2  # 70 % = 22.4 h: Thursday 11:54; unit and director
    assert w.notice(n.id).level == NoticeLevel.yellow and w.notice(n.id).yellow_raised_at == local(2026, 12, 3, 11, 54)
    assert any("升为黄牌" in m.text for m in w.messages(UNIT_CHAT, "yellow"))
    assert w.sweep(local(2026, 12, 3, 11, 54)) == 0
    assert w.sweep(local(2026, 12, 4, 17, 0)) == 0
    assert w.sweep(local(2026, 12, 5, 10, 0)) == 0  # Saturday
    assert w.notice(n.id).next_check_at == local(2026, 12, 7, 8, 30)
    assert w.sweep(local(2026, 12, 7, 8, 30)) == 2
    notice = w.notice(n.id)
    assert notice.level == NoticeLevel.red and notice.red_raised_at == notice.overdue_asked_at == local(2026, 12, 7, 8, 30)
    asked = w.messages(UNIT_CHAT, f"sv{n.id}:overdue")
    assert len(asked) == 1 and "升为红牌" in asked[0].text and f"sv:reason:{n.id}" in buttons(asked[0])
    told = w.messages(DIRECTOR_CHAT, f"sv{n.id}:overdue")
    assert len(told) == 1 and "已超期" in told[0].text and "超期原因" in told[0].text
    assert notice.next_check_at is None
    assert w.sweep(local(2026, 12, 8, 9, 0)) == 0
    w.call(supervision.add_entry, actor_id=w.unit_contact, notice_id=n.id, kind="overdue_reason",
           text="当事人外出务工，已电话沟通，下周回村后调解")
    assert any("超期原因及进展" in m.text and "外出务工" in m.text for m in w.messages(DIRECTOR_CHAT, f"sv{n.id}:e"))
    with w.db.session() as s:
        labels = [h.action for h in case_card.history(s, case_id=w.case_id)]
    assert labels.count("督办升级") == 2 and "督办超期" in labels
    listed, total = w.call(supervision.list_notices, viewer_id=w.director, state="overdue")
    assert total == 1 and listed[0].overdue and listed[0].mark == "🔴"


def test_levels_are_raised_never_twice_never_lower(w):
    red = w.issue(due=date(2026, 12, 4), level=NoticeLevel.red)
    w.call(supervision.sign, actor_id=w.unit_contact, notice_id=red.id)
    assert w.sweep(local(2026, 12, 3, 12, 0)) == 0  # not a working moment
    assert w.sweep(local(2026, 12, 3, 14, 30)) == 0  # past 70 %: already red, nothing to raise
    assert w.notice(red.id).level == NoticeLevel.red and w.notice(red.id).yellow_raised_at is None
    assert w.sweep(local(2026, 12, 7, 9)) == 2  # still asked for the reason when overdue, without a raise
    assert "升为红牌" not in w.messages(UNIT_CHAT, f"sv{red.id}:overdue")[0].text
    assert w.notice(red.id).red_raised_at is None
    with w.db.session() as s:
        assert "督办升级" not in [h.action for h in case_card.history(s, case_id=w.case_id)]


def test_a_reported_result_stops_the_clock(w):
    n = w.issue(due=date(2026, 12, 4))
    w.call(supervision.sign, actor_id=w.unit_contact, notice_id=n.id)
    w.call(supervision.add_entry, actor_id=w.unit_contact, notice_id=n.id, kind="result", text="已调解")
    assert w.notice(n.id).next_check_at is None  # nothing more can fall due for the unit
    assert w.sweep(local(2026, 12, 7, 9)) == 0 and w.notice(n.id).level == NoticeLevel.normal


def test_transfer_then_party_notice_reminders_every_working_day_until_recorded(w):
    n = w.issue()
    w.clock.set(local(2026, 11, 30, 10))
    for who in (w.staff, w.unit_contact, w.secretary):
        with pytest.raises(NotAllowed):
            w.call(supervision.close_or_transfer, actor_id=who, notice_id=n.id, transfer=True,
                   note="属劳动争议", department="镇劳动保障所")
    with pytest.raises(InvalidInput, match="接收部门"):
        w.call(supervision.close_or_transfer, actor_id=w.leader, notice_id=n.id, transfer=True, note="属劳动争议")
    with pytest.raises(InvalidInput, match="没有经批准结案或移送"):
        w.call(supervision.record_party_notice, actor_id=w.unit_contact, notice_id=n.id, text="已电话告知")
    moved = w.call(supervision.close_or_transfer, actor_id=w.leader, notice_id=n.id, transfer=True,
                   note="属劳动争议", department="镇劳动保障所")
    assert moved.status == NoticeStatus.transferred and moved.party_notice_due_at == local(2026, 12, 3, 10)
    told = w.messages(UNIT_CHAT, f"sv{n.id}:e")
    assert len(told) == 1 and "移送镇劳动保障所" in told[0].text and "2026年12月3日 10:00" in told[0].text
    assert buttons(told[0]) == [f"sv:party:{n.id}", f"sv:view:{n.id}"]
    with pytest.raises(InvalidInput, match="不能再办理"):
        w.call(supervision.sign, actor_id=w.unit_contact, notice_id=n.id)

    assert w.sweep(local(2026, 11, 30, 15)) == 0  # the day of the transfer: the message itself was enough
    assert w.notice(n.id).next_check_at == local(2026, 12, 1, 8, 30)
    assert w.sweep(local(2026, 12, 1, 8, 30)) == 1
    assert w.sweep(local(2026, 12, 1, 15, 0)) == 0  # once a working day
    assert w.sweep(local(2026, 12, 2, 9, 0)) == 1
    assert w.sweep(local(2026, 12, 3, 8, 30)) == 1
    assert w.sweep(local(2026, 12, 3, 10, 0)) == 1  # 3 days passed: the director is told, once
    assert w.sweep(local(2026, 12, 3, 11, 0)) == 0
    reminders = w.messages(UNIT_CHAT, f"sv{n.id}:party:")
    assert len(reminders) == 3 and all("移送镇劳动保障所" in r.text for r in reminders)
    assert f"sv:party:{n.id}" in buttons(reminders[0])
    late = w.messages(DIRECTOR_CHAT, "partylate")
    assert len(late) == 1 and "仍未登记告知当事人" in late[0].text

    with pytest.raises(NotAllowed):
        w.call(supervision.record_party_notice, actor_id=w.police_contact, notice_id=n.id, text="已告知")
    w.call(supervision.record_party_notice, actor_id=w.unit_contact, notice_id=n.id, text="12月3日电话告知赵大")
    assert w.notice(n.id).party_notified_at == w.clock.now() and w.notice(n.id).next_check_at is None
    assert any("电话告知赵大" in m.text for m in w.messages(DIRECTOR_CHAT, f"sv{n.id}:e"))
    assert w.sweep(local(2026, 12, 4, 9)) == 0
    with pytest.raises(InvalidInput, match="已登记告知当事人"):
        w.call(supervision.record_party_notice, actor_id=w.unit_contact, notice_id=n.id, text="再次")


def test_close_with_a_leaders_approval_and_weekend_pause(w):
    n = w.issue()
    w.clock.set(local(2026, 12, 4, 16))  # Friday
    closed = w.call(supervision.close_or_transfer, actor_id=w.director, notice_id=n.id, transfer=False,
                    note="当事人撤回申请")
    assert closed.status == NoticeStatus.closed and closed.closing_note == "当事人撤回申请"
    assert w.sweep(local(2026, 12, 5, 10)) == 0 and w.sweep(local(2026, 12, 6, 10)) == 0  # weekend
    assert w.sweep(local(2026, 12, 7, 8, 30)) == 1  # Monday: the reminder
    assert w.sweep(local(2026, 12, 7, 16, 0)) == 1  # 3 days after Friday 16:00: the director too
    assert "经批准结案" in w.messages(UNIT_CHAT, f"sv{n.id}:party:")[0].text
    w.call(supervision.record_party_notice, actor_id=w.director, notice_id=n.id, text="主任当面告知")
    assert w.sweep(local(2026, 12, 8, 8, 30)) == 0


def test_the_sweep_twice_at_once_never_sends_twice(w):
    notices = [w.issue() for _ in range(5)]
    moment = local(2026, 11, 30, 15, 30)
    w.clock.set(moment)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        barrier.wait()
        try:
            results.append(w.db.call(supervision.sweep, now=moment, policy=POLICY))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(r.messages for r in results) == 5
    assert w.sweep(moment) == 0
    reminded = w.messages(UNIT_CHAT, "signrem")
    assert sorted(r.key for r in reminded) == sorted(f"sv{n.id}:signrem:p{w.unit_contact}" for n in notices)
    with w.db.session() as s:
        stamps = s.exec(select(SupervisionNotice.sign_reminded_at).where(col(SupervisionNotice.id).in_(
            [n.id for n in notices]))).all()
    assert stamps == [moment] * 5


# --- lists and lookups -------------------------------------------------------------------------


def test_lists_for_the_director_and_for_each_unit(w):
    a = w.issue(due=date(2026, 12, 2))
    b = w.issue(unit_id=w.police, level=NoticeLevel.yellow)
    c = w.issue()
    w.call(supervision.sign, actor_id=w.unit_contact, notice_id=c.id)
    w.call(supervision.add_entry, actor_id=w.unit_contact, notice_id=c.id, kind="result", text="已办结")
    w.call(supervision.accept_result, actor_id=w.director, notice_id=c.id)
    later = local(2026, 12, 3, 9)

    def numbers(viewer, **kw):
        refs, total = w.call(supervision.list_notices, viewer_id=viewer, now=later, **kw)
        assert total == len(refs)
        return [r.number for r in refs]

    assert numbers(w.director) == [a.number, b.number]
    assert numbers(w.director, state="all") == [a.number, b.number, c.number]
    assert numbers(w.director, state="overdue") == [a.number]
    assert numbers(w.director, unit_id=w.police) == [b.number]
    assert numbers(w.director, level=NoticeLevel.yellow) == [b.number]
    assert numbers(w.leader, state="all") == [a.number, b.number, c.number]
    assert numbers(w.unit_contact, state="all") == [a.number, c.number]
    assert numbers(w.unit_contact, unit_id=w.police) == [a.number]  # a unit sees only its own
    assert numbers(w.police_contact) == [b.number]
    assert numbers(w.staff, state="all") == []  # a 承办人员 may list; none are addressed to them
    with pytest.raises(NotAllowed):
        w.call(supervision.list_notices, viewer_id=w.grid_worker)
    with pytest.raises(InvalidInput):
        w.call(supervision.list_notices, viewer_id=w.director, state="odd")


def test_find_by_number_and_visibility(w):
    n = w.issue()
    with w.db.session() as s:
        assert supervision.find_notice(s, viewer_id=w.director, number="综治〔2026〕1号") == n.id
        assert supervision.find_notice(s, viewer_id=w.director, number="〔2026〕第001号") == n.id
        assert supervision.find_notice(s, viewer_id=w.unit_contact, number="2026-1") == n.id
        assert supervision.find_notice(s, viewer_id=w.leader, number="[2026]001") == n.id
        with pytest.raises(NotAllowed):
            supervision.find_notice(s, viewer_id=w.police_contact, number="综治〔2026〕1号")
        with pytest.raises(NotFound, match="2026 年第 2 号"):
            supervision.find_notice(s, viewer_id=w.director, number="综治〔2026〕2号")
        with pytest.raises(InvalidInput, match="编号不对"):
            supervision.find_notice(s, viewer_id=w.director, number="第二号")
    with pytest.raises(NotAllowed):
        w.call(supervision.notice_view, viewer_id=w.police_contact, notice_id=n.id, policy=POLICY)
    w.db.call(supervision.remember_docx, notice_id=n.id, file_id="BQAC-docx")
    assert w.call(supervision.notice_view, viewer_id=w.unit_contact, notice_id=n.id,
                  policy=POLICY).docx_file_id == "BQAC-docx"
    assert supervision.format_number(2026, 12) == "综治〔2026〕12号"


def test_confidential_case_stays_out_of_chat_and_out_of_other_eyes(w):
    ref = w.submit(type_id=w.secret)
    w.call(cases.accept, actor_id=w.director, case_id=ref.id)
    n = w.issue(case_id=ref.id)
    assert "保密事项" in w.messages(UNIT_CHAT, f"sv{n.id}:issued")[0].text
    assert "两户因排水沟争吵" not in w.messages(UNIT_CHAT, f"sv{n.id}:issued")[0].text
    seen = {who: w.call(supervision.notice_view, viewer_id=who, notice_id=n.id, policy=POLICY).case_summary
            for who in (w.director, w.unit_contact, w.leader)}
    assert seen == {w.director: "两户因排水沟争吵", w.unit_contact: "两户因排水沟争吵", w.leader: "（保密事项，详情请在卡片中查看）"}


def test_user_text_is_escaped_in_messages(w):
    n = w.issue(requirements="请<b>立即</b>处理 & 反馈")
    assert "请&lt;b&gt;立即&lt;/b&gt;处理 &amp; 反馈" in w.messages(UNIT_CHAT, f"sv{n.id}:issued")[0].text
    w.call(supervision.close_or_transfer, actor_id=w.director, notice_id=n.id, transfer=True, note="移送",
           department="<劳动>所")
    assert w.sweep(local(2026, 12, 1, 9)) == 1
    assert "移送&lt;劳动&gt;所办理" in w.messages(UNIT_CHAT, f"sv{n.id}:party:")[0].text


def test_the_docx_is_queued_with_the_notice_and_on_request(w):
    n = w.issue()
    ref = supervision.docx_ref(n.id)
    for chat in (UNIT_CHAT, DIRECTOR_CHAT):
        rows = w.messages(chat, f"sv{n.id}:docx")
        assert [r.document for r in rows] == [ref] and n.number in rows[0].text
    assert w.messages(POLICE_CHAT) == []
    w.call(supervision.send_docx, actor_id=w.unit_contact, notice_id=n.id)
    w.call(supervision.send_docx, actor_id=w.unit_contact, notice_id=n.id)  # the same minute: once
    assert len(w.messages(UNIT_CHAT, f"sv{n.id}:docx")) == 2
    with pytest.raises(NotAllowed):
        w.call(supervision.send_docx, actor_id=w.police_contact, notice_id=n.id)


# --- what a viewer may do (the card's buttons) ---------------------------------------------------


def test_card_actions_follow_role_and_state(w):
    n = w.issue(due=date(2026, 12, 4))

    def actions(who, moment=None, action=None):
        return w.call(supervision.notice_card, viewer_id=who, notice_id=n.id, policy=POLICY,
                      now=moment or w.clock.now(), action=action)

    assert actions(w.unit_contact).actions == ("sign",)
    assert actions(w.director).actions == ("materials", "briefing", "close", "transfer")
    assert actions(w.leader).actions == ("close", "transfer") and actions(w.secretary).actions == ()
    assert actions(w.director).may_open_case and actions(w.unit_contact).may_open_case
    for who in (w.grid_worker, w.staff, w.police_contact):
        with pytest.raises(NotAllowed):
            actions(who)
    with pytest.raises(InvalidInput, match="请先点「签收」"):
        actions(w.unit_contact, action="progress")
    with pytest.raises(NotAllowed, match="只有中心主任"):
        actions(w.unit_contact, action="accept")
    with pytest.raises(NotAllowed, match="中心领导批准"):
        actions(w.unit_contact, action="close")
    with pytest.raises(NotAllowed, match="承办单位的联络人"):
        actions(w.director, action="sign")
    with pytest.raises(InvalidInput, match="没有经批准结案或移送"):
        actions(w.unit_contact, action="party")

    w.call(supervision.sign, actor_id=w.unit_contact, notice_id=n.id)
    assert actions(w.unit_contact).actions == ("progress", "result", "instruct")
    assert actions(w.unit_contact, local(2026, 12, 7, 9)).actions == ("progress", "result", "overdue_reason", "instruct")
    with pytest.raises(InvalidInput, match="当前状态为「已签收，办理中」，现在不能认可结果"):
        actions(w.director, action="accept")
    materials = w.call(supervision.request_materials, actor_id=w.director, notice_id=n.id)
    assert [e.id for e in actions(w.unit_contact).requests] == [materials.id]
    assert actions(w.director).requests == ()  # the director asked; only the unit answers
    asked = w.db.call(supervision.open_request, actor_id=w.unit_contact, entry_id=materials.id)
    assert (asked.notice_id, asked.kind, asked.label) == (n.id, "materials", "调阅有关调处材料")
    with pytest.raises(NotAllowed):
        w.db.call(supervision.open_request, actor_id=w.police_contact, entry_id=materials.id)
    w.call(supervision.answer_request, actor_id=w.unit_contact, entry_id=materials.id, text="见附件")
    assert actions(w.unit_contact).requests == ()
    with pytest.raises(InvalidInput, match="已经答复"):
        w.db.call(supervision.open_request, actor_id=w.unit_contact, entry_id=materials.id)
    with pytest.raises(NotFound):
        w.db.call(supervision.open_request, actor_id=w.unit_contact, entry_id=n.id + 999)

    w.call(supervision.add_entry, actor_id=w.unit_contact, notice_id=n.id, kind="result", text="已调解")
    assert actions(w.unit_contact).actions == ("progress", "instruct")
    assert actions(w.director).actions == ("accept", "reissue", "materials", "briefing", "close", "transfer")
    assert actions(w.director, action="accept").view.id == n.id

    w.call(supervision.close_or_transfer, actor_id=w.leader, notice_id=n.id, transfer=False, note="当事人撤回")
    assert actions(w.unit_contact).actions == ("party",) and actions(w.director).actions == ("party",)
    assert actions(w.leader).actions == ()
    w.call(supervision.record_party_notice, actor_id=w.unit_contact, notice_id=n.id, text="当面告知")
    assert actions(w.unit_contact).actions == () and actions(w.director).actions == ()
    with pytest.raises(InvalidInput, match="已登记告知当事人，无需重复登记"):
        actions(w.unit_contact, action="party")


def test_confidential_case_button_only_for_those_who_may_open_it(w):
    ref = w.submit(type_id=w.secret)
    w.call(cases.accept, actor_id=w.director, case_id=ref.id)
    n = w.issue(case_id=ref.id)
    seen = {who: w.call(supervision.notice_card, viewer_id=who, notice_id=n.id, policy=POLICY).may_open_case
            for who in (w.director, w.leader)}
    assert seen == {w.director: True, w.leader: False}


def test_reissue_form_offers_working_days_and_never_a_lower_level(w):
    n = w.issue(level=NoticeLevel.yellow)
    with pytest.raises(InvalidInput, match="现在不能不认可"):
        w.call(supervision.reissue_form, actor_id=w.director, notice_id=n.id, policy=POLICY)
    w.call(supervision.sign, actor_id=w.unit_contact, notice_id=n.id)
    w.call(supervision.add_entry, actor_id=w.unit_contact, notice_id=n.id, kind="result", text="已调解")
    for who in (w.leader, w.unit_contact):
        with pytest.raises(NotAllowed):
            w.call(supervision.reissue_form, actor_id=who, notice_id=n.id, policy=POLICY)
    form = w.call(supervision.reissue_form, actor_id=w.director, notice_id=n.id, policy=POLICY)
    # Monday 11-30: +3, +5, +10 working days
    assert form.choices == ((3, date(2026, 12, 3)), (5, date(2026, 12, 7)), (10, date(2026, 12, 14)))
    assert form.levels == (NoticeLevel.yellow, NoticeLevel.red) and form.new_due == ""
    assert form.requirements == "请于期限前调解到位并书面反馈"
    dated = w.call(supervision.reissue_form, actor_id=w.director, notice_id=n.id, policy=POLICY,
                   due_date=date(2026, 12, 9))
    assert dated.new_due == "2026年12月9日 17:30"
    with pytest.raises(InvalidInput, match="晚于现在"):
        w.call(supervision.reissue_form, actor_id=w.director, notice_id=n.id, policy=POLICY,
               due_date=date(2026, 11, 29))


# --- the notice moves its case (issue 10 item 5) ------------------------------------------------


def _case(w, case_id) -> Case:
    with w.db.session() as s:
        return s.get(Case, case_id)


def test_the_case_keeps_an_earlier_running_deadline_and_takes_a_stricter_one(w):
    assert _case(w, w.case_id).due_at == local(2026, 12, 3, 17, 30)
    w.issue(due=date(2026, 12, 10))  # later than the case's own: no silent extension
    assert _case(w, w.case_id).due_at == local(2026, 12, 3, 17, 30)
    w.issue(due=date(2026, 12, 2), unit_id=w.police)  # stricter: the case follows it
    case = _case(w, w.case_id)
    assert case.due_at == local(2026, 12, 2, 17, 30) and case.unit_id == w.police  # the new unit handles it


def test_an_overdue_case_takes_the_notices_new_deadline(w):
    w.clock.set(local(2026, 12, 7, 9))  # the case was due 12-03 17:30: Fri 6.5 h + Mon 0.5 h overdue
    n = w.issue(due=date(2026, 12, 10))
    assert n.days_overdue == 1 and _case(w, w.case_id).due_at == local(2026, 12, 10, 17, 30)


def test_accepting_the_result_resolves_only_the_cases_current_handler(w):
    first = w.issue(due=date(2026, 12, 10))
    second = w.issue(due=date(2026, 12, 10), unit_id=w.police)  # the case moved to the police station
    w.call(supervision.sign, actor_id=w.unit_contact, notice_id=first.id)
    w.call(supervision.add_entry, actor_id=w.unit_contact, notice_id=first.id, kind="result", text="已调解")
    w.call(supervision.accept_result, actor_id=w.director, notice_id=first.id)
    assert _case(w, w.case_id).status == cases.CaseStatus.assigned  # the police station still works on it
    w.call(supervision.sign, actor_id=w.police_contact, notice_id=second.id)
    w.call(supervision.add_entry, actor_id=w.police_contact, notice_id=second.id, kind="result", text="已处理完毕")
    w.call(supervision.accept_result, actor_id=w.director, notice_id=second.id, note="同意")
    case = _case(w, w.case_id)
    assert case.status == cases.CaseStatus.resolved and case.outcome == "调解成功"
    assert "已处理完毕" in case.result and "同意" in case.result
    assert any("状态更新：已办结" in t for t in w.outbox_to(6))  # the reporter, a grid worker


# --- numbers as GB/T 9704 writes them (issue 10 item 12) ------------------------------------------


def test_numbers_are_written_as_the_standard_says_and_a_setting_keeps_the_old_form(w):
    style = supervision.NoticeStyle(org="东山镇综治中心", code="东综治")
    assert supervision.format_number(2026, 12, style) == "东综治〔2026〕12号"  # no 第, no zero padding
    assert supervision.format_number(2026, 12, supervision.NoticeStyle(legacy_number=True)) == "〔2026〕第012号"
    first = w.issue(style=style)
    assert first.number == "东综治〔2026〕1号"
    old = w.issue(style=supervision.NoticeStyle(legacy_number=True))
    assert old.number == "〔2026〕第002号"
    assert w.issue().number == "综治〔2026〕3号"  # the default code
    assert w.notice(first.id).number == "东综治〔2026〕1号"  # issued numbers keep their text


@pytest.mark.parametrize("typed", ["东综治〔2026〕1号", "〔2026〕第001号", "〔2026〕1号", "综治〔2026〕1号", "2026-1",
                                   "[2026]001", "东综治[2026]1号", "（2026）第1号", "2026年第1号", "〔2026〕第1号"])
def test_both_forms_of_a_number_find_the_notice(w, typed):
    n = w.issue(style=supervision.NoticeStyle(code="东综治"))
    with w.db.session() as s:
        assert supervision.find_notice(s, viewer_id=w.director, number=typed) == n.id


def test_a_code_with_digits_is_not_taken_for_the_year():
    assert supervision.parse_number("综治2〔2026〕12号") == (2026, 12)
    with pytest.raises(InvalidInput, match="编号不对"):
        supervision.parse_number("综治〔2026〕")


# --- 抄送 (issue 10 item 10) ------------------------------------------------------------------------


def test_cc_picks_are_checked_kept_on_reissue_and_a_confidential_case_is_not_spread(w):
    with pytest.raises(InvalidInput, match="不在岗"):
        w.issue(cc_person_ids=[w.staff])  # not a leader
    with pytest.raises(InvalidInput, match="就是承办单位"):
        w.issue(cc_unit_ids=[w.unit.id])
    n = w.issue(cc_person_ids=[w.leader], cc_unit_ids=[w.police], cc="县综治中心")
    view = w.call(supervision.notice_view, viewer_id=w.director, notice_id=n.id, policy=POLICY)
    assert view.cc == "刘领导、镇派出所、县综治中心"
    assert [r.document for r in w.messages(POLICE_CHAT, f"sv{n.id}:cc")] == [None, f"notice:{n.id}"]
    w.call(supervision.sign, actor_id=w.unit_contact, notice_id=n.id)
    w.call(supervision.add_entry, actor_id=w.unit_contact, notice_id=n.id, kind="result", text="已调解")
    again = w.call(supervision.reject_and_reissue, actor_id=w.director, notice_id=n.id, reason="协议未签",
                   due_date=date(2026, 12, 11), policy=POLICY)
    assert (again.cc_person_ids, again.cc_unit_ids) == ([w.leader], [w.police])
    assert len(w.messages(POLICE_CHAT, f"sv{again.id}:cc")) == 2

    ref = w.submit(type_id=w.secret)
    w.call(cases.accept, actor_id=w.director, case_id=ref.id)
    secret = w.issue(case_id=ref.id, cc_person_ids=[w.leader], cc_unit_ids=[w.police])
    for chat in (3, POLICE_CHAT):  # a leader and another unit who may not open the case
        told = w.messages(chat, f"sv{secret.id}:cc")
        assert len(told) == 1 and told[0].document is None and "保密事项" in told[0].text
        assert "两户因排水沟争吵" not in told[0].text


def test_a_baoan_cases_passed_deadline_is_not_extended_by_a_notice(w):
    w.set_status(w.case_id, cases.CaseStatus.assigned, leader_id=w.leader)  # a 包案 case
    w.clock.set(local(2026, 12, 7, 9))  # due 12-03: only the party secretary extends it
    w.issue(due=date(2026, 12, 10))
    assert _case(w, w.case_id).due_at == local(2026, 12, 3, 17, 30)


def test_a_confidential_case_s_document_and_history_follow_the_card(w):
    """The .docx is refused to whoever may not open the confidential case; the notice's own unit and
    the director get it, protected. History shows a notice's requirements only to who may see it."""
    n = w.issue(requirements="请于期限前调解到位并书面反馈")
    w.call(cases.set_confidential, actor_id=w.director, case_id=w.case_id, confidential=True)
    with pytest.raises(NotAllowed, match="保密"):
        w.call(supervision.send_docx, actor_id=w.leader, notice_id=n.id)
    w.call(supervision.send_docx, actor_id=w.unit_contact, notice_id=n.id)
    asked = w.messages(7, ":docx:20")  # the one asked for now (the first went out before it was confidential)
    assert asked and all(r.protect for r in asked)
    assert w.messages(3, ":docx") == []
    w.call(cases.set_confidential, actor_id=w.director, case_id=w.case_id, confidential=False)
    for viewer, shown in ((w.staff, False), (w.unit_contact, True), (w.leader, True)):
        notes = [h.note for h in w.call(case_card.case_card, viewer_id=viewer, case_id=w.case_id).history
                 if h.action == "下达督办"]
        assert notes and all(("请于期限前调解到位" in note) == shown for note in notes), (viewer, notes)
