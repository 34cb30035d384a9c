"""台账: every ledger opened with openpyxl on a known data set whose figures are counted by hand
below — headers, rows, the summary block, masking, the confidential count line, the paper layout."""

from datetime import date

import pytest
from sqlmodel import select

from bot.services import ledgers
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.ledgers import Kind, Period, Scope, sheet
from bot.services.ledgers.base import BATCH
from bot.texts import ledgers as words
from models import (
    Agreement,
    AuditEvent,
    BaoanRequest,
    BaoanStatus,
    Case,
    CaseParty,
    CaseStatus,
    DutyRole,
    DutyShift,
    InfoReport,
    InfoReportKind,
    NoticeLevel,
    NoticeStatus,
    Outcome,
    Severity,
    Source,
    SupervisionNotice,
)
from tests.factories import SH, VALID_ID, Township, local
from tests.ledger_book import Book

NOV = Period("month", date(2026, 11, 1), date(2026, 11, 30))
NOW = local(2026, 12, 4, 10)
WHOLE = Scope()


class Data:
    """The known data set (local Shanghai times):

    A  2026-10-20, 办结 11-05 调解成功            carried over, 办结 in November (实质性化解)
    B  2026-10-25, open, 包案 approved 10-29     carried over, still open
    C  2026-10-10, 办结 10-30 未成功              closed before November: not listed; in 累计办结 (程序性终结)
    D  2026-11-03, 办结 11-20 部分成功, parties   new, 办结 (阶段性化解); 包案 approved 11-04; 督办 N1
    E  2026-11-10, open, confidential, urgent,    new; only the director, the secretary and its handler 周明 see it;
       handler 周明                              督办 N2 (黄牌); 信息报告 R3 (late)
    F  2026-11-15, 办结 12-02 转办                new, open at the end of November; 包案 proposed 11-16, refused
    G  2026-11-28, out of scope (来访, guidance)  in the 来访 ledger only
    H  2026-12-01                                after November: nowhere
    I  2026-11-12, 来电, open                     new; in both ledgers; 信息报告 R1 (on time), R2 (not sent)
    J  2026-11-05, 西河村, open                   new; the only case of 西河村
    """

    def __init__(self, w: Township):
        self.w = w
        self.ids: dict[str, int] = {}
        with w.db.session() as s:
            def case(key, created, *, resolved=None, outcome=None, village=None, **kw):
                kw.setdefault("severity", Severity.general)
                c = Case(number=f"2026-{len(self.ids) + 1:04d}", type_id=w.neighbour,
                         source=kw.pop("source", Source.grid), reporter_id=w.grid_worker, description=f"事项{key}的情况",
                         village_id=(village or w.village).id, created_at=created, updated_at=created,
                         resolved_at=resolved, outcome=outcome,
                         status=kw.pop("status", CaseStatus.resolved if resolved else CaseStatus.in_progress), **kw)
                s.add(c)
                s.flush()
                self.ids[key] = c.id
                return c

            case("A", local(2026, 10, 20), resolved=local(2026, 11, 5), outcome=Outcome.mediated,
                 due_at=local(2026, 11, 3, 17))
            case("B", local(2026, 10, 25), leader_id=w.leader)
            case("C", local(2026, 10, 10), resolved=local(2026, 10, 30), outcome=Outcome.not_mediated)
            d = case("D", local(2026, 11, 3), resolved=local(2026, 11, 20), outcome=Outcome.partly_mediated,
                     leader_id=w.leader, due_at=local(2026, 11, 25, 17), address="村东头排水沟",
                     latitude=30.123456, longitude=120.5, occurred_at=local(2026, 11, 2, 18), people_count=40,
                     people_count_approx=True, amount=12000, severity=Severity.complex, agreement=Agreement.written,
                     mediation_plan="两户协商改道", result="排水沟改道，双方签字", request="尽快疏通",
                     reply_method="电话", replied_at=local(2026, 11, 21), satisfaction="满意", unit_id=w.unit.id,
                     handler_id=w.unit_contact)
            case("E", local(2026, 11, 10), confidential=True, urgent=True, handler_id=w.staff2)
            case("F", local(2026, 11, 15), resolved=local(2026, 12, 2), outcome=Outcome.transferred)
            case("G", local(2026, 11, 28), status=CaseStatus.out_of_scope, source=Source.visit,
                 guidance="请到镇人社所窗口办理", first_inquiry_id=w.staff)
            case("H", local(2026, 12, 1))
            case("I", local(2026, 11, 12), source=Source.call, first_inquiry_id=w.staff,
                 due_at=local(2026, 12, 1, 17))  # past NOW: red
            case("J", local(2026, 11, 5), village=w.village2, due_at=local(2026, 12, 8, 17),
                 yellow_at=local(2026, 12, 3, 17))  # yellow since yesterday
            s.add(CaseParty(case_id=d.id, name="张三", phone="13812345678", id_number=VALID_ID))
            s.add(CaseParty(case_id=d.id, name="李四"))
            s.add(AuditEvent(actor_id=w.staff, action="case.accept", subject_type="case", subject_id=d.id,
                             at=local(2026, 11, 3, 10)))
            for action, at, details in (("case.progress", local(2026, 11, 10, 15), {"note": "已约双方到村委会"}),
                                        ("case.resolve", local(2026, 11, 20), {"note": "部分成功"}),
                                        ("case.view_personal", local(2026, 11, 22), {})):  # a view: not progress
                s.add(AuditEvent(actor_id=w.staff, action=action, subject_type="case", subject_id=d.id, at=at,
                                 details=details))
            s.flush()

            def notice(seq, key, issued, level, closed=None):
                s.add(SupervisionNotice(
                    number=f"综治〔2026〕{seq}号", year=2026, seq=seq, level=level, case_id=self.ids[key],
                    case_summary=f"事项{key}", unit_id=w.unit.id, requirements="按期办结", due_at=local(2026, 11, 28, 17),
                    feedback="书面反馈", issuer_id=w.director, issued_at=issued, closed_at=closed,
                    status=NoticeStatus.accepted if closed else NoticeStatus.issued))

            notice(1, "D", local(2026, 11, 6), NoticeLevel.normal, closed=local(2026, 11, 21))
            notice(2, "E", local(2026, 11, 12), NoticeLevel.yellow)

            def baoan(key, created, status, decided):
                s.add(BaoanRequest(case_id=self.ids[key], proposed_leader_id=w.leader, reason="需领导协调",
                                   proposer_id=w.director, created_at=created, status=status,
                                   decided_by_id=w.secretary, decided_at=decided,
                                   chosen_leader_id=w.leader if status == BaoanStatus.approved else None))

            baoan("B", local(2026, 10, 28), BaoanStatus.approved, local(2026, 10, 29))
            baoan("D", local(2026, 11, 4), BaoanStatus.approved, local(2026, 11, 4, 15))
            baoan("F", local(2026, 11, 16), BaoanStatus.refused, local(2026, 11, 17))

            def report(key, kind, created, due, submitted, phoned=None):
                fields = {"place": "东山村口", "cause": "聚集"}
                if phoned is not None:  # the phone report, as info_reports.record_phone keeps it
                    fields["phoned_at"] = phoned.isoformat()
                s.add(InfoReport(case_id=self.ids[key], kind=kind, created_at=created, due_at=due,
                                 submitted_at=submitted, submitted_by_id=w.staff if submitted else None, fields=fields))

            report("I", InfoReportKind.first, local(2026, 11, 12, 10), local(2026, 11, 12, 10, 30),
                   local(2026, 11, 12, 10, 20), phoned=local(2026, 11, 12, 10, 8))
            report("I", InfoReportKind.follow_up, local(2026, 11, 13, 9), None, None)
            report("E", InfoReportKind.first, local(2026, 11, 10, 10), local(2026, 11, 10, 10, 30),
                   local(2026, 11, 10, 11))
            for day, person, role in ((date(2026, 11, 3), w.staff, DutyRole.duty),
                                      (date(2026, 11, 3), w.leader, DutyRole.leader),
                                      (date(2026, 11, 10), w.staff2, DutyRole.duty),
                                      (date(2026, 11, 10), w.staff, DutyRole.duty),
                                      (date(2026, 11, 10), w.leader, DutyRole.leader),
                                      (date(2026, 12, 3), w.staff, DutyRole.duty)):
                s.add(DutyShift(day=day, person_id=person, role=role))


@pytest.fixture
def data(db, clock) -> Data:
    return Data(Township.build(db, clock, second_village=True))


def book(data: Data, kind: Kind, viewer: int, period=NOV, scope=WHOLE) -> Book:
    with data.w.db.session() as s:
        made = ledgers.build(s, kind=kind, period=period, viewer_id=viewer, now=NOW, tz=SH, scope=scope,
                             org="东山镇综治中心")
    try:
        found = Book(made.path)
        assert made.rows == len(found.rows)
        return found
    finally:
        made.path.unlink()


def numbers(data: Data, *keys) -> list[str]:
    with data.w.db.session() as s:
        return [s.get(Case, data.ids[k]).number for k in keys]


def test_case_ledger_figures_rows_and_layout(data):
    b = book(data, Kind.cases, data.w.leader)
    assert b.title == "矛盾纠纷排查化解台账"
    assert b.org == "填报单位：东山镇综治中心" and b.period == "期间：2026年11月1日至2026年11月30日"
    assert b.header == ["序号", *(name for name, _ in words.CASE_HEADERS)]
    assert b.header[1:] == [  # DOMAIN.md's columns, in its order, and 办结时间
        "编号", "登记时间", "登记人", "来源方式", "所属村（社区）/网格", "发生地点", "发生时间", "当事人", "涉及人数",
        "涉及金额（元）", "纠纷类型", "事件性质", "紧急程度", "简要情况/诉求", "责任单位", "责任人", "包案领导", "化解措施",
        "化解期限", "办结时间", "进展", "结果", "答复情况", "回访/满意度", "状态", "备注"]
    assert b.split == ("实质性化解", "程序性终结", "阶段性化解", "中止")
    # counted by hand from Data's table; E is confidential but counts in the figures
    assert b.summary == {
        "上月结转": (2, (None,) * 4),  # A, B
        "本月新增": (5, (None,) * 4),  # D, E, F, I, J (G is out of scope)
        "本月办结": (2, (1, 0, 1, 0)),  # A 实质性, D 阶段性
        "期末在办": (5, (None,) * 4),  # B, E, F, I, J
        "累计受理（本年）": (8, (None,) * 4),  # A B C D E F I J
        "累计办结（本年）": (3, (1, 1, 1, 0)),  # A, C 程序性, D
    }
    # the leader is not assigned to the confidential E: a count line instead of its row
    assert b.notes == [words.HIDDEN_LINE.format(count=1)]
    assert b.column("编号") == numbers(data, "A", "B", "D", "F", "I", "J")
    assert b.column("序号") == [1, 2, 3, 4, 5, 6]
    a, b_, d, f, i, j = b.rows
    assert (a["结果"], a["办结时间"], a["备注"]) == ("实质性化解（调解成功）", "2026年11月5日 09:00", "超期办结")
    assert d == d | {
        "登记时间": "2026年11月3日 09:00", "登记人": "张网格", "来源方式": "网格员上报", "所属村（社区）/网格": "东山村",
        "发生地点": "村东头排水沟（30.12346，120.50000）", "发生时间": "2026年11月2日 18:00", "涉及人数": "约40人",
        "涉及金额（元）": 12000, "纠纷类型": "矛盾纠纷·邻里纠纷", "事件性质": "复杂", "紧急程度": "一般",
        "简要情况/诉求": "事项D的情况\n诉求：尽快疏通", "责任单位": "镇司法所", "责任人": "司法所老李", "包案领导": "刘领导",
        "化解措施": "调处方案：两户协商改道；排水沟改道，双方签字", "化解期限": "2026年11月25日",
        "办结时间": "2026年11月20日 09:00", "进展": "2026年11月20日 09:00 孙丽 办结：部分成功",
        "结果": "阶段性化解（部分成功，书面协议）", "答复情况": "电话 2026年11月21日", "回访/满意度": "满意",
        "状态": "灰（已办结）", "备注": "督办：综治〔2026〕1号"}
    assert (b_["状态"], b_["进展"], b_["结果"]) == ("灰（调处中）", None, None)  # no deadline runs, no step yet
    assert (i["状态"], j["状态"]) == ("红（调处中）", "黄（调处中）")
    assert f["结果"] == "程序性终结（转办）"  # 办结 on 12-02: listed in November as open, its result shown
    # the leader answers for D (包案领导): like on the case card, he sees its parties in full
    assert d["当事人"] == f"张三（13812345678，{VALID_ID}）；李四"
    assert b.footer == ["制表人：刘领导", "审核人：", "签发人：", "填报日期：2026年12月4日"]
    # paper layout: frozen header, repeated on every page, landscape; 26 columns need A3 to be legible
    ws = b.ws
    assert ws.freeze_panes == f"A{b.header_at + 2}"
    assert ws.print_title_rows == f"${b.header_at + 1}:${b.header_at + 1}"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == sheet.A3
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1  # one page wide
    # a row is as tall as its longest wrapped cell (the reader does not measure it): D's 化解措施 wraps
    d_row = b.header_at + 1 + 3
    assert ws.row_dimensions[d_row].height >= 4 * sheet.LINE_PT[10]
    assert ws.row_dimensions[b.header_at + 1 + 2].height < ws.row_dimensions[d_row].height  # B: dates wrap, no more
    assert ws.column_dimensions["O"].width > ws.column_dimensions["A"].width  # 简要情况 wider than 序号
    assert "A1" in {str(r).split(":")[0] for r in ws.merged_cells.ranges}
    first = ws.cell(row=b.header_at + 2, column=8)  # a body cell: ruled and wrapped, as on paper
    assert first.border.left.style == "thin" and first.alignment.wrap_text and first.font.name == "宋体"


def test_confidential_rows_and_personal_data_follow_the_viewer(data):
    director = book(data, Kind.cases, data.w.director)
    assert director.notes == [] and len(director.rows) == 7
    d = next(r for r in director.rows if r["编号"] == numbers(data, "D")[0])
    assert d["当事人"] == f"张三（13812345678，{VALID_ID}）；李四"  # the director sees personal data
    staff = book(data, Kind.cases, data.w.staff)  # not assigned to D: its parties masked
    d = next(r for r in staff.rows if r["编号"] == numbers(data, "D")[0])
    assert d["当事人"] == "张三（138****5678，1101**********002X）；李四"
    assert staff.notes == [words.HIDDEN_LINE.format(count=1)] and len(staff.rows) == 6
    handler = book(data, Kind.cases, data.w.staff2)  # 周明 handles E: he sees it
    assert handler.notes == [] and numbers(data, "E")[0] in handler.column("编号")
    assert handler.summary["本月新增"][0] == 5


def test_village_filter(data):
    b = book(data, Kind.cases, data.w.director, scope=Scope(village_id=data.w.village2.id))
    assert b.column("编号") == numbers(data, "J") and "西河村" in b.period
    assert b.summary["上月结转"][0] == 0 and b.summary["本月新增"][0] == 1


def test_visit_ledger_lists_out_of_scope_matters_with_the_guidance(data):
    b = book(data, Kind.visits, data.w.leader)
    assert b.title == "来访（首问）登记台账" and b.header[:3] == ["序号", "编号", "登记时间"]
    assert b.summary == {"本期登记": (2, ()), "其中：受理办理": (1, ()), "其中：首问告知（不属受理范围）": (1, ()),
                         "累计登记（本年）": (2, ())}
    g, i = b.rows  # in the order they were registered
    assert (g["是否属受理范围"], g["处理情况/告知途径"], g["首问责任人"]) == ("否", "请到镇人社所窗口办理", "孙丽")
    assert (i["方式"], i["是否属受理范围"]) == ("来电", "是")


def test_notice_ledger(data):
    b = book(data, Kind.notices, data.w.leader)
    assert b.split == ("普通", "黄牌", "红牌")
    assert b.summary["本月新增"] == (2, (1, 1, 0)) and b.summary["本月办结"] == (1, (1, 0, 0))
    assert b.summary["上月结转"][0] == 0 and b.summary["期末在办"][0] == 1
    assert b.column("督办编号") == ["综治〔2026〕1号"]  # N2 is about the confidential E
    assert b.notes == [words.HIDDEN_LINE.format(count=1)]
    assert len(book(data, Kind.notices, data.w.secretary).rows) == 2


def test_baoan_ledger(data):
    b = book(data, Kind.baoan, data.w.leader)
    assert b.summary["本期提议（含待审批、未批准）"][0] == 2  # D, F
    assert b.summary["上月结转"][0] == 1 and b.summary["本月新增"][0] == 1  # B; D
    assert b.summary["本月办结"] == (1, (0, 0, 1, 0)) and b.summary["期末在办"][0] == 1  # D 阶段性; B
    assert b.column("审批结果") == ["已批准", "已批准", "未批准"]
    assert b.column("事项编号") == numbers(data, "B", "D", "F")
    assert not b.rows[2]["包案领导"] and b.rows[1]["化解结果"] == "阶段性化解"


def test_baoan_ledger_lists_coordination_with_higher_levels(data):
    """上级协调 (领导包案制度 三): each record made before the period ended, dated, oldest first."""
    w = data.w

    def upper(key, at, note):
        with w.db.session() as s:
            s.add(AuditEvent(actor_id=w.leader, action="case.baoan_upper", subject_type="case",
                             subject_id=data.ids[key], details={"note": note}, at=at))

    upper("B", local(2026, 11, 20), "市信访局：已派员到场")
    upper("B", local(2026, 11, 2), "市信访局：已报请协调国土部门")
    upper("B", local(2026, 12, 2), "县自然资源局：出具权属意见")  # after November
    upper("D", local(2026, 11, 10), "县矛调中心：同意联合调处")
    b = book(data, Kind.baoan, w.leader)
    assert b.column("上级协调") == [
        "2026年11月2日 市信访局：已报请协调国土部门\n2026年11月20日 市信访局：已派员到场",
        "2026年11月10日 县矛调中心：同意联合调处", None]  # F: refused, no 包案领导


def test_report_ledger(data):
    b = book(data, Kind.reports, data.w.leader)
    assert b.split == ("初报", "续报", "终报")
    assert b.summary == {"本期应报": (3, (2, 1, 0)), "已报送": (2, (2, 0, 0)), "其中：按时报送": (1, (1, 0, 0)),
                         "其中：超时报送": (1, (1, 0, 0)), "未报送": (1, (0, 1, 0))}
    assert b.column("是否按时") == ["是", "未报送"]  # R3 (about E) is left out for the leader
    assert b.column("电话报告") == ["2026年11月12日 10:08", None]  # the 初报's phone report; a 续报 has none
    assert book(data, Kind.reports, data.w.director).column("电话报告") == ["2026年11月12日 10:08", None, "未记录"]
    assert b.notes == [words.HIDDEN_LINE.format(count=1)]


def test_reports_upward_in_the_report_and_case_ledgers(data):
    """上报上级: each record under the report it followed, dated, up to the period's end; the case
    ledger's 备注 says 已上报上级."""
    w = data.w

    def upward(at, departments, way):
        with w.db.session() as s:
            s.add(AuditEvent(actor_id=w.staff, action="case.report_up", subject_type="case", subject_id=data.ids["I"],
                             details={"departments": departments, "way": way, "note": "…"}, at=at))

    upward(local(2026, 11, 12, 10, 25), ["县委政法委", "县公安局"], "电话")
    upward(local(2026, 11, 14, 9), ["县信访局"], "书面")  # after the 续报 was opened
    upward(local(2026, 12, 2, 9), ["县司法局"], "传真")  # after November
    b = book(data, Kind.reports, w.leader)
    assert b.column("上报上级") == ["县委政法委、县公安局（电话）2026年11月12日 10:25", "县信访局（书面）2026年11月14日 09:00"]
    cases_book = book(data, Kind.cases, w.leader)
    remarks = dict(zip(cases_book.column("编号"), cases_book.column("备注"), strict=True))
    assert remarks[numbers(data, "I")[0]] == "已上报上级" and remarks[numbers(data, "J")[0]] is None


def test_duty_ledger(data):
    b = book(data, Kind.duty, data.w.staff)
    assert b.summary == {"值班天数": (2, ()), "值班人次": (3, ()), "带班人次": (2, ()), "当日登记事项合计": (2, ()),
                         "其中紧急": (1, ())}
    assert [(r["日期"], r["星期"], r["值班人员"], r["带班领导"], r["当日登记事项"]) for r in b.rows] == [
        ("2026年11月3日", "星期二", "孙丽", "刘领导", 1), ("2026年11月10日", "星期二", "周明、孙丽", "刘领导", 1)]


def test_only_the_center_may_export(data):
    for who in (data.w.grid_worker, data.w.unit_contact):
        with data.w.db.session() as s, pytest.raises(NotAllowed):
            ledgers.build(s, kind=Kind.cases, period=NOV, viewer_id=who, now=NOW, tz=SH)


def test_many_rows_are_read_in_batches(data):
    """More rows than one batch: all of them, in order, numbered."""
    w = data.w
    with w.db.session() as s:
        for i in range(BATCH + 3):
            s.add(Case(number=f"2026-9{i:04d}", type_id=w.neighbour, severity=Severity.general, source=Source.grid,
                       reporter_id=w.grid_worker, description="批量", created_at=local(2026, 11, 20),
                       updated_at=local(2026, 11, 20)))
    b = book(data, Kind.cases, w.director)
    assert len(b.rows) == 7 + BATCH + 3 and b.column("序号")[-1] == len(b.rows)
    assert b.summary["本月新增"][0] == 5 + BATCH + 3


@pytest.mark.parametrize(("typed", "expected"), [
    ("2026-11-01 2026-11-30", (date(2026, 11, 1), date(2026, 11, 30), "month")),
    ("2026年11月1日 至 2026年11月30日", (date(2026, 11, 1), date(2026, 11, 30), "month")),
    ("2026年1月1日到2026-12-31", (date(2026, 1, 1), date(2026, 12, 31), "year")),
    ("2026-10-01 至 2026-12-31", (date(2026, 10, 1), date(2026, 12, 31), "quarter")),
    ("2026-11-03 2026-11-03", (date(2026, 11, 3), date(2026, 11, 3), "custom")),
])
def test_custom_period(typed, expected):
    """The summary's words follow the dates: a whole month says 上月结转 / 本月新增, any other span 上期 / 本期."""
    found = ledgers.parse_custom(typed)
    assert (found.start, found.end, found.kind) == expected


def test_custom_period_words(data):
    b = book(data, Kind.cases, data.w.director, period=ledgers.parse_custom("2026-11-01 2026-11-11"))
    assert list(b.summary)[:3] == ["上期结转", "本期新增", "本期办结"]
    assert b.summary["本期新增"][0] == 3 and b.period == "期间：2026年11月1日至2026年11月11日"  # D, E, J


@pytest.mark.parametrize(("typed", "message"), [
    ("2026-11-01", words.CUSTOM_NEEDS_TWO),
    ("下个月", words.CUSTOM_NEEDS_TWO),
    ("2026-02-30 2026-03-01", words.CUSTOM_BAD_DATE.format(text="2026-02-30")),
    ("2026-11-30 2026-11-01", words.CUSTOM_REVERSED),
    ("2025-01-01 2026-11-30", words.CUSTOM_TOO_LONG),
])
def test_custom_period_errors(typed, message):
    with pytest.raises(InvalidInput) as err:
        ledgers.parse_custom(typed)
    assert err.value.message == message


def test_periods():
    today = date(2026, 2, 10)
    choice = ledgers.PeriodChoice
    assert ledgers.period_for(choice.month, today) == Period("month", date(2026, 2, 1), date(2026, 2, 28))
    assert ledgers.period_for(choice.last_month, today) == Period("month", date(2026, 1, 1), date(2026, 1, 31))
    assert ledgers.period_for(choice.last_month, date(2026, 1, 5)) == Period("month", date(2025, 12, 1),
                                                                            date(2025, 12, 31))
    assert ledgers.period_for(choice.quarter, date(2026, 11, 5)) == Period("quarter", date(2026, 10, 1),
                                                                           date(2026, 12, 31))
    assert ledgers.period_for(choice.year, today) == Period("year", date(2026, 1, 1), date(2026, 12, 31))


def test_reference_round_trip():
    scope = Scope(village_id=3)
    ref = ledgers.ref(Kind.baoan, NOV, 12, scope)
    assert ledgers.from_ref(ref) == (Kind.baoan, NOV, 12, scope)
    assert ledgers.from_ref("notice:12") is None and ledgers.from_ref("ledger:x:20261101:20261130:3:4:5") is None
    assert ledgers.from_ref("ledger:cases:20261130:20261101:3:0:0") is None  # reversed: not a period


def test_export_is_audited(data):
    book(data, Kind.cases, data.w.leader)
    with data.w.db.session() as s:
        [ev] = s.exec(select(AuditEvent).where(AuditEvent.action == "ledger.export")).all()
        assert ev.actor_id == data.w.leader and ev.details["rows"] == 6 and ev.details["hidden"] == 1


@pytest.mark.parametrize("kind", list(Kind))
def test_every_ledger_prints_legibly(data, kind):
    """Fitted to the page width, 10-point text must print at 7 points at the least: a ledger too wide
    for A4 goes on A3, and none is too wide for A3. Measured on the file: Excel's width units
    (7 pixels each, +5 per column, 96 dpi) against the page less its 0.4-inch side margins."""
    ws = book(data, kind, data.w.director).ws
    widths = [d.width for d in ws.column_dimensions.values() if d.width for _ in range(d.min, d.max + 1)]
    assert len(widths) == ws.max_column
    printed_mm = sum((7 * w + 5) * 25.4 / 96 for w in widths)
    page_mm = {sheet.A4: 297, sheet.A3: 420}[ws.page_setup.paperSize] - 2 * 0.4 * 25.4
    assert page_mm / printed_mm >= 0.7, f"{len(widths)} columns print at {page_mm / printed_mm:.0%}"
    if ws.page_setup.paperSize == sheet.A3:  # only when A4 would not do
        assert (297 - 2 * 0.4 * 25.4) / printed_mm < 0.7


def test_a_row_is_as_tall_as_its_most_wrapped_cell():
    """Only text that may wrap is measured: longer than its column, or several lines however short."""
    assert sheet.tallest(["甲\n乙\n丙", 7, "短"], [10, 3, 2]) == 3
    assert sheet.tallest(["一二三四五", "ab"], [2, 1]) == 3  # five characters in a column two wide
    assert sheet.tallest([20261104, None, ""], [2, 1, 1]) == 1  # numbers and empty cells never wrap
