"""/stats figures of 上级交办, 上门受理, 会商, 请示 and 已到场 (issue 16), counted by hand on the known
November of tests/services/test_stats.py plus the rows below; a village's figures, the summary
line, the workbook and the report carry them."""

import io

from docx import Document
from openpyxl import load_workbook
from sqlmodel import select

from bot.services import flow_counts, stats
from bot.services.supervision import instruct
from bot.texts import stats as words
from models import (
    CaseAssignment,
    CaseConsultation,
    HomeVisit,
    HomeVisitStatus,
    NoticeEntry,
    SceneArrival,
    SupervisionNotice,
)
from tests.services.test_stats import NOV, SH, Data, at, data  # noqa: F401  (data is a fixture)


def _add(town, *rows):
    with town.db.session() as s:
        for row in rows:
            s.add(row)


def _flows(d: Data):
    """交办 on c10 (西河村: due 20日, reported 18日, on time), c2 (东山村: due 10日, reported 12日, late),
    c13 (东山村: October's, reported 2 November, late) and c11 (东山村: not reported).
    上门受理: h1 东山村 asked 2日, approved 3日, done 6日; h2 西河村 asked 4日, refused 5日; h3 东山村 asked
    28 October, approved 1日, scheduled; h4 no village, asked 20日, pending; h5 西河村 asked 25日,
    approved 26日. 会商: c3 (西河村) 8日, c1 (东山村) 20日, c10 on 30 October.
    请示: on c10's notice (西河村) 12日, answered 同意延期 13日; on c2's (东山村) 14日, answered 不同意 15日;
    on c3's (西河村) 20日, answered 同意结案 on 1 December; on c13's (东山村) 25 October, answered 同意移送
    1 November. 已到场: c10 5日 (西河村), c1 2日 (东山村), c7 20 October."""
    t, ids = d.town, d.ids

    def assignment(key, recorded, due, reported=None):
        return CaseAssignment(case_id=ids[key], assigner="镇党委", due_at=due, recorded_by_id=t.staff,
                              recorded_at=recorded, reported_at=reported, report_method="书面" if reported else None)

    def visit(village, asked, status, decided=None, done=None):
        return HomeVisit(status=status, party_name="王大爷", phone="13800000009", address="村东头", reason="年老体弱",
                         village_id=village.id if village else None, requested_by_id=t.staff, requested_at=asked,
                         decided_by_id=t.leader if decided else None, decided_at=decided, done_at=done,
                         refusal="可来中心办理" if status == HomeVisitStatus.refused else None)

    _add(t, assignment("c10", at(11, 5), at(11, 20), at(11, 18)), assignment("c2", at(11, 3), at(11, 10), at(11, 12)),
         assignment("c13", at(10, 15), at(10, 30), at(11, 2)), assignment("c11", at(11, 6), at(12, 10)),
         visit(t.village, at(11, 2), HomeVisitStatus.done, at(11, 3), at(11, 6)),
         visit(t.village2, at(11, 4), HomeVisitStatus.refused, at(11, 5)),
         visit(t.village, at(10, 28), HomeVisitStatus.scheduled, at(11, 1)),
         visit(None, at(11, 20), HomeVisitStatus.pending),
         visit(t.village2, at(11, 25), HomeVisitStatus.approved, at(11, 26)),
         *(CaseConsultation(case_id=ids[k], held_at=when, conclusion="分工协作", recorded_by_id=t.staff,
                            recorded_at=when) for k, when in (("c3", at(11, 8)), ("c1", at(11, 20)), ("c10", at(10, 30)))),
         *(SceneArrival(case_id=ids[k], person_id=t.leader, arrived_at=when)
           for k, when in (("c10", at(11, 5)), ("c1", at(11, 2)), ("c7", at(10, 20)))))
    with t.db.session() as s:
        notices = {case_id: nid for nid, case_id in s.exec(select(SupervisionNotice.id, SupervisionNotice.case_id))}
    for key, asked, answered, label in (("c10", at(11, 12), at(11, 13), "同意延期"), ("c2", at(11, 14), at(11, 15), "不同意"),
                                        ("c3", at(11, 20), at(12, 1), "同意结案"), ("c13", at(10, 25), at(11, 1), "同意移送")):
        nid = notices[ids[key]]
        _add(t, NoticeEntry(notice_id=nid, kind=instruct.ASK, text="需要协调：涉及两个部门", actor_id=t.unit_contact,
                            at=asked, answered_at=answered),
             NoticeEntry(notice_id=nid, kind=instruct.ANSWER, text=f"{label}：请抓紧办理", actor_id=t.leader, at=answered))


def test_the_entry_kinds_are_those_the_instruct_flow_writes():
    assert (flow_counts.ASK, flow_counts.ANSWER) == (instruct.ASK, instruct.ANSWER)
    from bot.texts.instruct import ANSWER_LABELS
    assert set(flow_counts.ANSWER_KINDS.values()) == set(ANSWER_LABELS.values())


def test_the_flow_figures_of_a_known_month(data, clock):  # noqa: F811
    _flows(data)
    town = data.town
    report = town.db.call(stats.report, period=NOV, scope=stats.TOWNSHIP_SCOPE, now=clock.now(), tz=SH)
    c = report.figures.counts
    assert (c["jb_registered"], c["jb_reported"], c["jb_reported_on_time"]) == (3, 3, 1)  # c10 c2 c11; c10 c2 c13; c10
    assert (c["hv_requested"], c["hv_approved"], c["hv_refused"], c["hv_done"]) == (4, 3, 1, 1)  # h1 h2 h4 h5; h1 h3 h5
    assert c["consult_held"] == 2
    assert (c["instr_asked"], c["instr_answered"]) == (3, 3)  # c10 c2 c3 asked; c10 c2 c13 answered
    assert (c["instr_extend"], c["instr_close"], c["instr_transfer"], c["instr_refuse"]) == (1, 0, 1, 1)
    assert c["arrivals"] == 2
    west = town.db.call(stats.report, period=NOV, scope=stats.Scope((town.village2.id,), "西河村"), now=clock.now(),
                        tz=SH).figures.counts
    assert tuple(west[k] for k in flow_counts.KEYS) == (
        1, 1, 1,  # 交办 c10
        2, 1, 1, 0,  # h2 h5 asked, h5 approved, h2 refused
        1,  # c3
        2, 1, 1, 0, 0, 0,  # c10 c3 asked; c10 answered 同意延期
        1)  # c10
    east = town.db.call(stats.report, period=NOV, scope=stats.Scope((town.village.id,), "东山村"), now=clock.now(),
                        tz=SH).figures.counts
    # h4 has no village: only the township counts it
    assert {k: east[k] + west[k] for k in flow_counts.KEYS} == {k: c[k] - (k == "hv_requested") for k in flow_counts.KEYS}

    text = words.summary(stats.values(report), **stats.summary_facts(report))
    assert "交办：登记 3，报送 3（按时 1）　会商 2\n上门受理：申请 4，同意 3，不同意 1，已上门 1\n" in text
    assert "请示：3，答复 3（延期 1、结案 0、移送 1、不同意 1）　到场 2\n" in text


def test_the_workbook_and_the_report_carry_them(data, clock):  # noqa: F811
    _flows(data)
    town = data.town
    report = town.db.call(stats.report, period=NOV, scope=stats.TOWNSHIP_SCOPE, now=clock.now(), tz=SH)
    book = load_workbook(io.BytesIO(stats.xlsx(report)))
    rows = {r[1]: r[2] for r in book.active.iter_rows(values_only=True) if r and len(r) > 2}
    assert (rows["上级交办登记"], rows["交办按时报送"], rows["上门受理不同意"], rows["会商"], rows["请示·同意移送"],
            rows["联系点领导到场"]) == (3, 1, 1, 2, 1, 2)
    doc = "\n".join(p.text for p in Document(io.BytesIO(stats.docx(report))).paragraphs)
    assert "组织会商 2 次；督办请示 3 件，答复 3 件；联系点领导到场 2 次" in doc
    assert "上门受理按申请所在村计" in doc
