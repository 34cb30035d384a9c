"""上级交办 as a service (issue 16): recording who assigned a case, their reference and deadline; the
case's deadline never later than the assigner's (at recording, at acceptance, a leader's date, an
extension request); the report back only once the case is finished, without the parties' personal
data; 报送 recorded once; the sweep's chase a working day before the assigner's deadline (on the real
2026 calendar and the default hours 08:30–12:00, 14:30–17:30); the 台账 rows counted by hand.

The town's clock starts on Monday 2026-11-30 09:00; a general case accepted then is due on Thursday
2026-12-03 at 17:30 (3 working days)."""

import io
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlmodel import select

from bot import texts
from bot.services import assignments, cases, deadlines, ledgers, people
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.notice_docx import east_asia_fonts
from bot.services.report_docx import build_docx
from models import CaseAssignment, Outbox, ReportMethod, RequestKind
from tests.factories import SH, local

POLICY = DeadlinePolicy()


def _record(w, case_id, due=date(2026, 12, 2), actor=None, reference="镇党委交〔2026〕5号", assigner="镇党委"):
    return w.db.call(assignments.record, actor_id=actor or w.staff, case_id=case_id, assigner=assigner,
                     reference=reference, due_date=due, now=w.clock.now(), policy=POLICY)


def _resolve(w, case_id):
    w.db.call(cases.resolve, actor_id=w.staff2, case_id=case_id, outcome="调解成功", agreement="书面协议",
              summary="经调解两户达成协议，排水沟由两户共同出资修缮", now=w.clock.now())


def test_recording_brings_a_later_case_deadline_forward_to_the_assigners(w):
    ref = w.running_case(policy=POLICY)
    assert w.case(ref.id).due_at == local(2026, 12, 3, 17, 30)
    later = _record(w, ref.id, due=date(2026, 12, 10))
    assert not later.capped and w.case(ref.id).due_at == local(2026, 12, 3, 17, 30)  # earlier already: kept
    earlier = _record(w, ref.id, due=date(2026, 12, 2))  # corrected before the report back
    assert earlier.capped and w.case(ref.id).due_at == local(2026, 12, 2, 17, 30)
    with w.db.session() as s:
        found = s.get(CaseAssignment, ref.id)
        assert (found.assigner, found.reference, found.due_at) == ("镇党委", "镇党委交〔2026〕5号", local(2026, 12, 2, 17, 30))
    assert w.actions(ref.id).count("case.jiaoban") == 2


def test_the_clock_started_after_recording_never_runs_past_the_assigners_deadline(w):
    ref = w.submit()  # registered, not accepted: no deadline yet
    _record(w, ref.id, due=date(2026, 12, 1))
    w.db.call(cases.accept, actor_id=w.staff, case_id=ref.id, now=w.clock.now(), policy=POLICY)
    assert w.case(ref.id).due_at == local(2026, 12, 1, 17, 30)  # not Thursday's 3 working days


def test_a_leader_or_an_extension_cannot_move_the_deadline_past_the_assigners(w):
    ref = w.running_case(policy=POLICY)
    _record(w, ref.id, due=date(2026, 12, 4))  # Friday; the case stays due on Thursday
    with pytest.raises(InvalidInput, match="交办时限"):
        w.db.call(deadlines.set_deadline, actor_id=w.leader, case_id=ref.id, due_date=date(2026, 12, 7),
                  reason="需要协调", now=w.clock.now(), policy=POLICY)
    with pytest.raises(InvalidInput, match="交办时限"):
        w.db.call(deadlines.request_change, actor_id=w.staff2, case_id=ref.id, kind=RequestKind.extension,
                  reason="当事人外出", new_due_date=date(2026, 12, 7), now=w.clock.now(), policy=POLICY)
    # up to the assigner's own day is fine
    w.db.call(deadlines.set_deadline, actor_id=w.leader, case_id=ref.id, due_date=date(2026, 12, 4),
              reason="需要协调", now=w.clock.now(), policy=POLICY)
    assert w.case(ref.id).due_at == local(2026, 12, 4, 17, 30)


def test_who_may_record_and_what_is_refused(w):
    ref = w.running_case(policy=POLICY)
    with pytest.raises(NotAllowed):
        _record(w, ref.id, actor=w.grid_worker)
    with pytest.raises(InvalidInput):
        _record(w, ref.id, due=date(2026, 11, 27))  # already past
    with pytest.raises(InvalidInput):
        _record(w, ref.id, assigner="   ")
    with pytest.raises(InvalidInput):
        _record(w, ref.id, assigner="单" * 61)
    with w.db.session() as s:
        assert s.get(CaseAssignment, ref.id) is None


def test_the_report_back_waits_for_the_end_and_leaves_the_parties_out(w):
    ref = w.running_case(policy=POLICY)
    _record(w, ref.id)
    with pytest.raises(InvalidInput, match="办结后"):
        w.db.call(assignments.report_view, viewer_id=w.staff, case_id=ref.id, now=w.clock.now(), tz=SH, org="综治中心")
    _resolve(w, ref.id)
    view = w.db.call(assignments.send_report, actor_id=w.staff, case_id=ref.id, now=w.clock.now(), tz=SH,
                     org="东山镇综治中心")
    assert view.title == "关于镇党委交办事项办理情况的报告"
    text = "\n".join(line for _, lines in view.paragraphs for line in lines)
    assert "2026年11月30日，我中心收到镇党委交办的镇党委交〔2026〕5号事项" in text
    assert "要求于2026年12月2日前办结" in text and "调解成功（书面协议）" in text and "共同出资修缮" in text
    assert "赵大" not in text and "13800138000" not in text  # the report goes to another office
    [row] = [r for r in w.messages(4) if r.document]  # 孙丽's .docx: protected, built when sent
    assert row.protect and row.document == f"jiaoban:{ref.id}:{w.staff}"
    with pytest.raises(NotAllowed):  # the card's visibility: a grid worker who did not report it
        w.db.call(assignments.report_view, viewer_id=w.other_grid, case_id=ref.id, now=w.clock.now(), tz=SH, org="")


def test_the_docx_is_laid_out_with_chinese_fonts(w):
    ref = w.running_case(policy=POLICY)
    _record(w, ref.id)
    _resolve(w, ref.id)
    view = w.db.call(assignments.report_view, viewer_id=w.staff, case_id=ref.id, now=w.clock.now(), tz=SH,
                     org="东山镇综治中心")
    data = build_docx(view)
    texts = [p.text for p in Document(io.BytesIO(data)).paragraphs if p.text]
    assert texts[0] == "东山镇综治中心" and texts[1] == "关于镇党委交办事项办理情况的报告" and texts[2] == "镇党委："
    assert "一、基本情况" in texts and "特此报告。" in texts and texts[-1] == "2026年11月30日"
    assert None not in east_asia_fonts(data)


def test_the_sending_back_is_recorded_once(w):
    ref = w.running_case(policy=POLICY)
    _record(w, ref.id)
    _resolve(w, ref.id)
    when, method, assigner = w.db.call(assignments.record_sent, actor_id=w.staff, case_id=ref.id,
                                       method=ReportMethod.electronic, now=w.clock.now(), tz=SH)
    assert (when, method, assigner) == ("2026年11月30日 09:00", "电子", "镇党委")
    with pytest.raises(InvalidInput, match="已记录"):
        w.db.call(assignments.record_sent, actor_id=w.staff, case_id=ref.id, method=ReportMethod.paper,
                  now=w.clock.now(), tz=SH)
    with pytest.raises(InvalidInput):  # nor can the 交办 be changed afterwards
        _record(w, ref.id)


def _chases(w):
    with w.db.session() as s:
        return sorted(r.chat_id for r in s.exec(select(Outbox).where(Outbox.key.contains(":chase"))))


def test_the_sweep_chases_once_a_working_day_before_the_assigners_deadline(w):
    ref = w.running_case(policy=POLICY)
    _record(w, ref.id, due=date(2026, 12, 4))  # Friday 17:30
    # Thursday 17:00: 0.5 h of Thursday and 6.5 h of Friday left, more than a working day
    assert w.db.call(assignments.sweep, now=local(2026, 12, 3, 17, 0), policy=POLICY) == 0
    # Thursday 17:31: Friday's 6.5 working hours left, a working day: 周明 (the handler), 孙丽 (who recorded
    # it) and 王主任 (the director)
    assert w.db.call(assignments.sweep, now=local(2026, 12, 3, 17, 31), policy=POLICY) == 3
    assert _chases(w) == [1, 4, 5]
    assert w.db.call(assignments.sweep, now=local(2026, 12, 4, 10, 0), policy=POLICY) == 0  # once


def test_a_recorded_report_back_is_not_chased(w):
    ref = w.running_case(policy=POLICY)
    _record(w, ref.id, due=date(2026, 12, 4))
    _resolve(w, ref.id)
    w.db.call(assignments.record_sent, actor_id=w.staff, case_id=ref.id, method=ReportMethod.paper,
              now=w.clock.now(), tz=SH)
    assert w.db.call(assignments.sweep, now=local(2026, 12, 5, 9, 0), policy=POLICY) == 0


def test_the_ledger_rows_by_hand(w):
    first = w.running_case(policy=POLICY)
    _record(w, first.id, due=date(2026, 12, 4))
    _resolve(w, first.id)
    w.db.call(assignments.record_sent, actor_id=w.staff, case_id=first.id, method=ReportMethod.paper,
              now=local(2026, 11, 30, 15, 0), tz=SH)
    second = w.running_case(policy=POLICY, description="村道占用纠纷")
    _record(w, second.id, due=date(2026, 12, 2), assigner="县信访局", reference=None)
    secret = w.submit(type_id=w.secret)  # confidential: the director records it
    _record(w, secret.id, due=date(2026, 12, 3), actor=w.director)
    with w.db.session() as s:
        leader = people.get(s, person_id=w.leader)
        rows, hidden = assignments.ledger_rows(s, viewer=leader, start=date(2026, 11, 1), end=date(2026, 11, 30),
                                               tz=SH, status_labels=texts.STATUS_LABELS)
    assert hidden == 1  # the confidential one, for a leader not assigned to it
    assert [(r.assigner, r.reference, r.due, r.reported, r.on_time) for r in rows] == [
        ("镇党委", "镇党委交〔2026〕5号", "2026年12月4日", "2026年11月30日 书面", "按时"),
        ("县信访局", "", "2026年12月2日", "", ""),
    ]


def test_the_ledger_opens_with_openpyxl_laid_out_as_on_paper(w):
    ref = w.running_case(policy=POLICY)
    _record(w, ref.id, due=date(2026, 12, 4))
    _resolve(w, ref.id)
    w.db.call(assignments.record_sent, actor_id=w.staff, case_id=ref.id, method=ReportMethod.electronic,
              now=local(2026, 11, 30, 16, 0), tz=SH)
    with w.db.session() as s:
        made = ledgers.build(s, kind=ledgers.Kind.assignments, period=ledgers.period_between(date(2026, 11, 1),
                             date(2026, 11, 30)), viewer_id=w.director, now=local(2026, 12, 1, 9, 0), tz=SH)
    try:
        cells = [[c.value for c in row] for row in load_workbook(made.path).active.iter_rows()]
    finally:
        made.path.unlink()
    assert cells[0][0] == "上级交办事项台账" and made.file_name == "上级交办事项台账_20261101-20261130.xlsx"
    header_at = next(i for i, row in enumerate(cells) if "交办单位" in row)
    header = [v for v in cells[header_at] if v is not None]
    assert header[:4] == ["序号", "编号", "登记日期", "交办单位"]
    row = dict(zip(header, cells[header_at + 1], strict=False))
    assert (row["交办单位"], row["交办时限"], row["报送情况"], row["是否按时"]) == (
        "镇党委", "2026年12月4日", "2026年11月30日 电子", "按时")
    summary = {r[0]: r[2] for r in cells[:header_at] if r and r[0] in ("交办事项", "已办结", "已报送", "按时报送")}
    assert summary == {"交办事项": 1, "已办结": 1, "已报送": 1, "按时报送": 1}


def test_a_pause_does_not_push_the_deadline_past_the_assigners(w):
    ref = w.running_case(policy=POLICY)  # due Thursday 17:30
    _record(w, ref.id, due=date(2026, 12, 4))  # Friday

    def change(kind, moment):
        req = w.db.call(deadlines.request_change, actor_id=w.staff2, case_id=ref.id, kind=kind, reason="当事人外出",
                        now=moment, policy=POLICY)
        w.db.call(deadlines.decide, actor_id=w.leader, request_id=req.id, approve=True, now=moment, policy=POLICY)

    change(RequestKind.pause, local(2026, 11, 30, 10, 0))
    change(RequestKind.resume, local(2026, 12, 2, 10, 0))  # two working days paused: Monday 10:00 would be due
    assert w.case(ref.id).due_at == local(2026, 12, 4, 17, 30)
