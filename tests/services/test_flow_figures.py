"""/stats figures and ledgers of 上级交办, 上门受理, 会商, 请示 and 已到场 (issue 16), counted by hand on
a known November: a village's figures, the summary line, the workbook and the report carry them;
the 上门受理登记台账 (the party masked as the case card masks it for the viewer), the 会商记录
(confidential cases counted, not listed) and the 督办台账's 请示及答复 column, opened with openpyxl."""

import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlmodel import select

from bot.services import flow_counts, ledgers, stats
from bot.services.supervision import instruct
from bot.texts import stats as words
from models import (
    Case,
    CaseAssignment,
    CaseConsultation,
    HomeVisit,
    HomeVisitStatus,
    NoticeEntry,
    NoticeLevel,
    NoticeStatus,
    Person,
    SceneArrival,
    Severity,
    Source,
    SupervisionNotice,
)
from tests.factories import Township

SH = ZoneInfo("Asia/Shanghai")
NOV = stats.Period.month(2026, 11)
NOV_LEDGER = ledgers.period_between(date(2026, 11, 1), date(2026, 11, 30))


def at(m, d, hh=10, y=2026) -> datetime:
    return datetime(y, m, d, hh, 0, tzinfo=SH).astimezone(UTC)


class Data:
    """东山村 (A) and 西河村 (B): the cases the rows below hang on, and four 督办 notices."""

    def __init__(self, town: Township):
        self.town = town
        self.ids: dict[str, int] = {}
        self.seq = 0

    def case(self, key, created, *, village="A", **fields):
        self.seq += 1
        village_id = {"A": self.town.village.id, "B": self.town.village2.id}[village]
        with self.town.db.session() as s:
            row = Case(number=f"2026-{self.seq:04d}", type_id=self.town.neighbour, severity=Severity.general,
                       source=Source.visit, description="情况", reporter_id=self.town.staff, village_id=village_id,
                       created_at=created, updated_at=created, **fields)
            s.add(row)
            s.flush()
            self.ids[key] = row.id

    def notice(self, key, issued, due, *, status=NoticeStatus.issued, closed=None):
        self.seq += 1
        with self.town.db.session() as s:
            s.add(SupervisionNotice(number=f"综治〔2026〕{self.seq}号", year=2026, seq=self.seq, level=NoticeLevel.normal,
                                    case_id=self.ids[key], case_summary="摘要", unit_id=self.town.unit.id,
                                    requirements="要求", due_at=due, feedback="反馈", issuer_id=self.town.director,
                                    issued_at=issued, status=status, closed_at=closed))


@pytest.fixture
def data(db, clock) -> Data:
    d = Data(Township.build(db, clock, second_village=True))
    for key, created, village in (("c1", at(11, 2), "A"), ("c2", at(11, 3), "A"), ("c3", at(11, 4), "B"),
                                  ("c7", at(10, 20), "A"), ("c10", at(11, 5), "B"), ("c11", at(11, 6), "A"),
                                  ("c13", at(10, 15), "A")):
        d.case(key, created, village=village)
    d.case("c4", at(11, 10), village="B", confidential=True)
    d.notice("c2", at(11, 8), at(11, 20), status=NoticeStatus.accepted, closed=at(11, 18))
    d.notice("c10", at(11, 9), at(11, 30))
    d.notice("c3", at(11, 10), at(11, 22), status=NoticeStatus.closed, closed=at(11, 25))
    d.notice("c13", at(10, 20), at(10, 28), status=NoticeStatus.accepted, closed=at(10, 27))
    return d


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


def test_the_flow_figures_of_a_known_month(data, clock):
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


def test_the_workbook_and_the_report_carry_them(data, clock):
    _flows(data)
    town = data.town
    report = town.db.call(stats.report, period=NOV, scope=stats.TOWNSHIP_SCOPE, now=clock.now(), tz=SH)
    book = load_workbook(io.BytesIO(stats.xlsx(report)))
    rows = {r[1]: r[2] for r in book.active.iter_rows(values_only=True) if r and len(r) > 2}
    assert (rows["上级交办登记"], rows["交办按时报送"], rows["上门受理不同意"], rows["会商"], rows["请示·同意移送"],
            rows["联系点领导到场"]) == (3, 1, 1, 2, 1, 2)
    doc = "\n".join(p.text for p in Document(io.BytesIO(stats.docx(report))).paragraphs)
    assert "组织会商 2 次；督办请示 3 件，答复 3 件；联系点领导到场 2 次" in doc
    assert "上门受理按申请所在村计（未注明村的只计入全镇）" in doc


# --- the ledgers ---------------------------------------------------------------------------------


def _sheet(town, kind, viewer):
    with town.db.session() as s:
        made = ledgers.build(s, kind=kind, period=NOV_LEDGER, viewer_id=viewer, now=at(11, 30), tz=SH)
    try:
        cells = [[c.value for c in row] for row in load_workbook(made.path).active.iter_rows()]
    finally:
        made.path.unlink()
    head = next(i for i, row in enumerate(cells) if row[0] in ("序号", "督办编号"))
    body = [row for row in cells[head + 1:] if row[0] and (isinstance(row[0], int) or "号" in str(row[0]))]
    return cells, [dict(zip(cells[head], row, strict=False)) for row in body], made


def test_the_home_visit_ledger_one_row_per_request(data):
    _flows(data)
    town = data.town
    cells, rows, made = _sheet(town, ledgers.Kind.home_visits, town.leader)
    assert cells[0][0] == "上门受理登记台账"
    # asked in November: h1 (2日), h2 (4日), h4 (20日), h5 (25日); h3 was asked in October
    assert [r["申请日期"] for r in rows] == ["2026年11月2日", "2026年11月4日", "2026年11月20日", "2026年11月25日"]
    assert [r["地址"] for r in rows] == ["东山村 村东头", "西河村 村东头", "村东头", "西河村 村东头"]
    with town.db.session() as s:
        leader = s.get(Person, town.leader).name
    assert [r["审批"] for r in rows] == [f"同意（{leader}，2026年11月3日）", f"不同意：可来中心办理（{leader}，2026年11月5日）",
                                       "待审批", f"同意（{leader}，2026年11月26日）"]
    assert rows[0]["特殊情况"] == "年老体弱" and rows[0]["上门时间"] == "2026年11月6日 10:00"
    # a center leader who neither asked nor went: the phone masked, as on a case card
    assert {r["当事人"] for r in rows} == {"王大爷（138****0009）"}
    assert made.rows == 4
    flat = [v for row in cells for v in row if v]
    assert tuple(flat[flat.index("申请"):flat.index("申请") + 2]) == ("申请", 4)
    # the staff member who recorded the requests, and the director, see the phone in full
    for viewer in (town.staff, town.director):
        assert {r["当事人"] for r in _sheet(town, ledgers.Kind.home_visits, viewer)[1]} == {"王大爷（13800000009）"}


def test_the_consultation_record_hides_a_confidential_case(data):
    _flows(data)
    town = data.town
    _add(town, CaseConsultation(case_id=data.ids["c4"], held_at=at(11, 9), conclusion="保密事项的会商",
                                recorded_by_id=town.director, recorded_at=at(11, 9)))
    cells, rows, made = _sheet(town, ledgers.Kind.consultations, town.staff)
    assert cells[0][0] == "会商记录"
    # held in November: c3 (8日), c4 (9日, confidential), c1 (20日); c10's was in October
    assert [r["会商结论"] for r in rows] == ["分工协作", "分工协作"] and made.hidden == 1
    assert any("另有保密事项 1 件" in str(v) for row in cells for v in row)
    _, rows, made = _sheet(town, ledgers.Kind.consultations, town.director)
    assert [r["会商结论"] for r in rows] == ["分工协作", "保密事项的会商", "分工协作"] and made.hidden == 0


def test_the_notice_ledger_lists_each_instruction_and_its_answer(data):
    _flows(data)
    town = data.town
    _, rows, _ = _sheet(town, ledgers.Kind.notices, town.director)
    by_case = {r["事项编号"]: r["请示及答复"] for r in rows}
    with town.db.session() as s:
        number = {k: s.get(Case, v).number for k, v in data.ids.items()}
    c10 = by_case[number["c10"]].split("\n")
    assert c10[0].startswith("2026年11月12日 ") and c10[0].endswith("请示：需要协调：涉及两个部门")
    assert c10[1].startswith("2026年11月13日 ") and c10[1].endswith("答复：同意延期：请抓紧办理")
    assert "不同意：请抓紧办理" in by_case[number["c2"]]
    assert number["c13"] not in by_case  # closed in October: not November's
    # answered on 1 December: listed as of when the ledger is made, like the notice's status and 办结时间
    assert by_case[number["c3"]].split("\n")[1].startswith("2026年12月1日 ")
