"""统计分析: every figure of a known month computed by hand here, the scopes, and frozen months."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.services import stats
from bot.services.errors import NotAllowed
from bot.services.stats import Period
from models import (
    AuditEvent,
    BaoanRequest,
    BaoanStatus,
    Case,
    CaseParty,
    CaseStatus,
    NoticeLevel,
    NoticeStatus,
    Outcome,
    Satisfaction,
    Severity,
    Source,
    StatsSnapshot,
    SupervisionNotice,
)
from tests.factories import Township

SH = ZoneInfo("Asia/Shanghai")
NOV = Period.month(2026, 11)
OCT = Period.month(2026, 10)


def at(m, d, hh=10, y=2026) -> datetime:
    return datetime(y, m, d, hh, 0, tzinfo=SH).astimezone(UTC)


class Data:
    """A known township: 东山村 (A) and 西河村 (B); cases c1…c13, three 包案 requests, four notices."""

    def __init__(self, town: Township):
        self.town = town
        self.ids: dict[str, int] = {}
        self.seq = 0

    def case(self, key, created, *, village="A", type_id=None, source=Source.visit, parties=(), **fields):
        self.seq += 1
        village_id = {"A": self.town.village.id, "B": self.town.village2.id, None: None}[village]
        with self.town.db.session() as s:
            row = Case(number=f"2026-{self.seq:04d}", type_id=type_id or self.town.neighbour, severity=Severity.general,
                       source=source, description="情况", reporter_id=self.town.staff, village_id=village_id,
                       created_at=created, updated_at=created, **fields)
            s.add(row)
            s.flush()
            for name, phone in parties:
                s.add(CaseParty(case_id=row.id, name=name, phone=phone))
            self.ids[key] = row.id

    def baoan(self, key, decided, status=BaoanStatus.approved):
        with self.town.db.session() as s:
            s.add(BaoanRequest(case_id=self.ids[key], proposed_leader_id=self.town.leader, reason="协调",
                               proposer_id=self.town.director, created_at=decided, status=status,
                               decided_at=decided, decided_by_id=self.town.secretary))

    def notice(self, key, issued, due, *, level=NoticeLevel.normal, status=NoticeStatus.issued, closed=None):
        self.seq += 1
        with self.town.db.session() as s:
            s.add(SupervisionNotice(number=f"综治〔2026〕{self.seq}号", year=2026, seq=self.seq, level=level,
                                    case_id=self.ids[key], case_summary="摘要", unit_id=self.town.unit.id,
                                    requirements="要求", due_at=due, feedback="反馈", issuer_id=self.town.director,
                                    issued_at=issued, status=status, closed_at=closed))


@pytest.fixture
def data(db, clock) -> Data:
    town = Township.build(db, clock, second_village=True)
    d = Data(town)
    staff, unit, leader = town.staff, town.unit.id, town.leader
    d.case("c1", at(11, 2), parties=[("张三", "13800000001")], accepted_at=at(11, 2), handler_id=staff,
           due_at=at(11, 6), resolved_at=at(11, 5), outcome=Outcome.mediated, satisfaction=Satisfaction.satisfied,
           status=CaseStatus.replied)
    d.case("c2", at(11, 3), source=Source.grid, accepted_at=at(11, 3), unit_id=unit, due_at=at(11, 10),
           resolved_at=at(11, 20), outcome=Outcome.partly_mediated, satisfaction=Satisfaction.dissatisfied,
           status=CaseStatus.replied)
    d.case("c3", at(11, 4), village="B", type_id=town.mass, source=Source.call, accepted_at=at(11, 4),
           handler_id=staff, leader_id=leader, due_at=at(11, 15), resolved_at=at(11, 12),
           outcome=Outcome.not_mediated, status=CaseStatus.resolved)
    # 张三 again, same phone, 8 days later: 重复访 (party). Confidential: counted, nothing shown.
    d.case("c4", at(11, 10), village="B", parties=[("张三", "13800000001")], accepted_at=at(11, 10),
           confidential=True, status=CaseStatus.accepted)
    d.case("c5", at(11, 11), guidance="请到镇人社所咨询", status=CaseStatus.out_of_scope)  # 首问告知
    # The same place as c7 (October, 23 days before): 重复访 (place).
    d.case("c6", at(11, 12), address="村口桥头")
    d.case("c7", at(10, 20), address="村口桥头", accepted_at=at(10, 20), handler_id=staff,
           resolved_at=at(11, 2), outcome=Outcome.transferred, satisfaction=Satisfaction.mostly_satisfied,
           status=CaseStatus.transferred)
    d.case("c8", at(7, 1), parties=[("李四", None)])
    d.case("c9", at(11, 15), source=Source.grid, parties=[("李四", None)])  # 137 days after c8: not a repeat
    d.case("c10", at(11, 5), village="B", source=Source.assigned, accepted_at=at(11, 5), handler_id=staff,
           leader_id=leader, due_at=at(11, 20), yellow_at=at(11, 16), status=CaseStatus.in_progress)  # red now
    d.case("c11", at(11, 6), source=Source.grid, accepted_at=at(11, 6), handler_id=staff, leader_id=leader,
           due_at=at(12, 10), yellow_at=at(11, 28), status=CaseStatus.in_progress)  # yellow now
    d.case("c12", at(11, 20), village="B", source=Source.letter, parties=[("张三", "13900000002")])  # other phone
    d.case("c13", at(10, 15), accepted_at=at(10, 15), handler_id=staff, due_at=at(10, 30), resolved_at=at(10, 25),
           outcome=Outcome.not_mediated, status=CaseStatus.resolved)
    d.baoan("c10", at(11, 6))
    d.baoan("c11", at(11, 7))
    d.baoan("c3", at(10, 30))  # October: not November's
    d.baoan("c4", at(11, 12), status=BaoanStatus.refused)
    d.notice("c2", at(11, 8), at(11, 20), status=NoticeStatus.accepted, closed=at(11, 18))  # on time
    d.notice("c10", at(11, 9), at(11, 30), level=NoticeLevel.yellow)
    d.notice("c3", at(11, 10), at(11, 22), level=NoticeLevel.red, status=NoticeStatus.closed, closed=at(11, 25))
    d.notice("c13", at(10, 20), at(10, 28), status=NoticeStatus.accepted, closed=at(10, 27))
    return d


def run(town, fn, **kw):
    return town.db.call(fn, **kw)


def test_every_figure_of_a_known_month(data, clock):
    town = data.town
    report = run(town, stats.report, period=NOV, scope=stats.TOWNSHIP_SCOPE, now=clock.now(), tz=SH)
    c = report.figures.counts
    # Registered in November: c1–c6, c9–c12 (c7, c8, c13 earlier).
    assert c["registered"] == 10
    assert c["accepted"] == 6  # c1 c2 c3 c4 c10 c11
    assert c["mediating"] == 5  # … with a handler or unit: not c4
    assert c["first_inquiry"] == 1  # c5
    assert c["confidential"] == 1  # c4
    # Resolved in November: c1 c2 c3 and c7 (registered in October).
    assert c["resolved"] == 4
    assert (c["resolved_with_due"], c["resolved_on_time"]) == (3, 2)  # c2 was late; c7 had no deadline
    assert (c["mediated_closed"], c["mediated_success"]) == (3, 1)  # 调解成功/部分成功/未成功; 调解成功 only
    assert (c["substantive"], c["partial"], c["procedural"], c["suspended"]) == (1, 1, 2, 0)
    assert (c["rated"], c["satisfied"]) == (3, 2)  # 满意, 不满意, 基本满意
    assert c["repeat_visits"] == 2  # c4 (party), c6 (place)
    assert (c["baoan_new"], c["baoan_closed"], c["baoan_on_time"]) == (2, 1, 1)
    assert (c["baoan_red"], c["baoan_yellow"]) == (1, 1)  # c10 past due, c11 past yellow
    assert (c["sv_issued"], c["sv_normal"], c["sv_yellow"], c["sv_red"]) == (3, 1, 1, 1)
    assert (c["sv_closed"], c["sv_on_time"]) == (2, 1)
    f = report.figures
    assert f.rate("acceptance") == Decimal("60.00")  # 6 / 10
    assert f.rate("mediation") == Decimal("83.33")  # 5 / 6
    assert f.rate("mediation_success") == Decimal("33.33")  # 1 / 3
    assert f.rate("resolution") == Decimal("25.00")  # 1 / 4: only 实质性化解
    assert f.rate("on_time") == Decimal("66.67")  # 2 / 3
    assert f.rate("satisfaction") == Decimal("66.67")  # 2 / 3
    assert f.rate("rated") == Decimal("75.00")  # 3 / 4
    assert f.groups["by_village"] == {"东山村": 6, "西河村": 4}
    assert f.groups["by_source"] == {"来访": 4, "网格员上报": 3, "来电": 1, "上级交办": 1, "来信": 1}
    assert f.groups["by_unit"] == {"镇司法所": 1, "未分派单位": 9}
    assert f.groups["by_type"] == {"矛盾纠纷": 9, "群体性事件苗头": 1}
    # 环比 (October: c7 and c13 registered, c13 resolved) and 同比 (November 2025: nothing).
    assert (report.previous.counts["registered"], report.previous.counts["resolved"]) == (2, 1)
    assert report.last_year.counts["registered"] == 0
    values = stats.values(report)
    assert values["acceptance"] == "60.00%" and values["reg_mom"] == "+8件" and values["res_yoy"] == "+4件"
    assert report.partial  # 30 November 09:00: the month has not ended


def test_a_rate_with_nothing_to_divide_is_a_dash(data, clock):
    report = run(data.town, stats.report, period=NOV.last_year(), scope=stats.TOWNSHIP_SCOPE, now=clock.now(), tz=SH)
    assert report.figures.rate("acceptance") is None and stats.values(report)["acceptance"] == "—"


def test_a_village_sees_its_own_cases_and_villages_add_up(data, clock):
    town = data.town
    west = run(town, stats.report, period=NOV, scope=stats.Scope((town.village2.id,), "西河村"), now=clock.now(),
               tz=SH).figures.counts
    assert (west["registered"], west["accepted"], west["mediating"], west["resolved"]) == (4, 3, 2, 1)
    assert west["repeat_visits"] == 1  # c4: 张三 came first to 东山村, it still counts for 西河村
    assert (west["sv_issued"], west["baoan_new"], west["confidential"]) == (2, 1, 1)
    east = run(town, stats.report, period=NOV, scope=stats.Scope((town.village.id,), "东山村"), now=clock.now(),
               tz=SH).figures
    both = run(town, stats.report, period=NOV, scope=stats.Scope((town.village.id, town.village2.id), "两村"),
               now=clock.now(), tz=SH).figures
    assert both.counts == (east + stats.Figures(west, {})).counts


def test_who_sees_what(data, db):
    town = data.town
    for person in (town.director, town.secretary, town.leader):
        assert db.call(stats.scope_for, person_id=person) == stats.TOWNSHIP_SCOPE
    # A staff member who is 西河村's contact point sees 西河村 only.
    from bot.services import people
    db.call(people.toggle_contact_point, actor_id=town.director, person_id=town.staff2, village_id=town.village2.id,
            now=town.clock.now())
    assert db.call(stats.scope_for, person_id=town.staff2) == stats.Scope((town.village2.id,), "西河村")
    for person in (town.staff, town.grid_worker, town.unit_contact):
        with pytest.raises(NotAllowed):
            db.call(stats.scope_for, person_id=person)


# --- frozen months --------------------------------------------------------------------------------


def test_a_frozen_month_keeps_its_figures_and_shows_a_later_correction(data, db):
    town = data.town
    midnight = datetime(2026, 11, 1, 0, 0, tzinfo=SH)
    assert db.call(stats.freeze_due, now=midnight, tz=SH) == [OCT]
    assert db.call(stats.freeze_due, now=midnight, tz=SH) == []  # idempotent
    with db.session() as s:
        scopes = {snap.scope for snap in s.exec(select(StatsSnapshot).where(StatsSnapshot.month == date(2026, 10, 1)))}
    assert scopes == {"township", f"village:{town.village.id}", f"village:{town.village2.id}"}
    later = datetime(2026, 11, 30, 9, 0, tzinfo=SH)
    report = db.call(stats.report, period=OCT, scope=stats.TOWNSHIP_SCOPE, now=later, tz=SH)
    assert report.corrections is None and report.frozen_at == midnight
    frozen = report.figures.counts
    # October: c7 and c13 registered, c13 resolved (未成功), one notice closed on time.
    assert (frozen["registered"], frozen["resolved"], frozen["substantive"], frozen["sv_closed"]) == (2, 1, 0, 1)

    # A correction to an old case: c13 was in fact mediated.
    with db.session() as s:
        s.get(Case, data.ids["c13"]).outcome = Outcome.mediated
    report = db.call(stats.report, period=OCT, scope=stats.TOWNSHIP_SCOPE, now=later, tz=SH)
    assert report.figures.counts == frozen  # the reported numbers stay
    assert report.corrections.counts["substantive"] == 1 and report.corrections.counts["resolved"] == 0
    values = stats.values(report)
    assert values["substantive"] == "0（更正 +1）"
    assert values["resolution"] == "0.00%（更正 +100.00个百分点）"
    assert values["resolved"] == "1"
    assert any("冻结" in note for note in stats.footnotes(report))
    with db.session() as s:
        snap = s.exec(select(StatsSnapshot).where(StatsSnapshot.scope == "township")).one()
        assert snap.figures["counts"]["substantive"] == 0  # the snapshot itself is untouched
        audits = list(s.exec(select(AuditEvent).where(AuditEvent.action == "stats.correction")))
    assert len(audits) == 1  # the township's snapshot: the one read
    assert audits[0].details["corrections"]["counts"]["substantive"] == 1
    # Asked again: the same correction is not audited twice; a further change is.
    db.call(stats.report, period=OCT, scope=stats.TOWNSHIP_SCOPE, now=later, tz=SH)
    with db.session() as s:
        assert len(list(s.exec(select(AuditEvent).where(AuditEvent.action == "stats.correction")))) == 1
        s.get(Case, data.ids["c13"]).satisfaction = Satisfaction.satisfied
    report = db.call(stats.report, period=OCT, scope=stats.TOWNSHIP_SCOPE, now=later, tz=SH)
    assert stats.values(report)["rated"] == "0.00%（更正 +100.00个百分点）"
    with db.session() as s:
        assert len(list(s.exec(select(AuditEvent).where(AuditEvent.action == "stats.correction")))) == 2
    # 环比 of November is October as reported (frozen), not as corrected.
    nov = db.call(stats.report, period=NOV, scope=stats.TOWNSHIP_SCOPE, now=later, tz=SH)
    assert nov.previous.counts["substantive"] == 0


def test_the_freeze_catches_up_after_a_stop_and_starts_with_last_month(db, clock):
    Township.build(db, clock)
    # A fresh start in December: only November is frozen.
    assert db.call(stats.freeze_due, now=datetime(2026, 12, 1, 0, 0, tzinfo=SH), tz=SH) == [NOV]
    # Down from before midnight on 1 January until 3 February: December and January are frozen.
    got = db.call(stats.freeze_due, now=datetime(2027, 2, 3, 8, 0, tzinfo=SH), tz=SH)
    assert got == [Period.month(2026, 12), Period.month(2027, 1)]
    # Just before midnight nothing is due (the month has not ended in Shanghai).
    assert db.call(stats.freeze_due, now=datetime(2027, 2, 28, 23, 59, tzinfo=SH), tz=SH) == []
    assert db.call(stats.freeze_due, now=datetime(2027, 3, 1, 0, 0, tzinfo=SH), tz=SH) == [Period.month(2027, 2)]


# --- the files --------------------------------------------------------------------------------------


def test_the_workbook_and_the_report_open_and_carry_the_figures(data, clock):
    from docx import Document
    from openpyxl import load_workbook

    report = run(data.town, stats.report, period=NOV, scope=stats.TOWNSHIP_SCOPE, now=clock.now(), tz=SH)
    ws = load_workbook(io.BytesIO(stats.xlsx(report))).active
    rows = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    assert rows[0][0] == "2026年11月矛盾纠纷排查化解统计表"
    assert rows[2][0] == "统计期间：2026年11月1日 至 2026年11月30日"
    by_label = {row[1]: row for row in rows if row[0] is not None and isinstance(row[0], int)}
    assert by_label["登记"][2] == 10 and by_label["登记"][4] == 2 and by_label["登记"][5] == "+8件"
    assert by_label["化解率"][2] == 25.0 and by_label["化解率"][3:5] == [1, 4]
    assert "化解率 = 实质性化解数 ÷ 办结数" in by_label["化解率"][8]
    assert by_label["东山村"][2] == 6
    assert ws.page_setup.orientation == "landscape"
    rate_cell = next(row for row in ws.iter_rows() if row[1].value == "化解率")[2]
    assert rate_cell.number_format == "0.00"
    assert any(row[0] and str(row[0]).startswith("制表人") and "2026年11月30日" in row[0] for row in rows)

    doc = Document(io.BytesIO(stats.docx(report)))
    text = "\n".join(p.text for p in doc.paragraphs)
    for heading in ("一、总体情况", "二、分类情况", "三、问题分析", "四、下一步工作"):
        assert heading in text
    assert "共登记矛盾纠纷及各类事项 10 件，受理 6 件，受理率 60.00%" in text
    assert "化解率 25.00%" in text and "【请主任填写" in text
    assert "保密事项只计入数字" in text and "2026年11月30日" in text
    cells = [c.text for c in doc.tables[0].rows[0].cells]
    assert "按期办结率\n66.67%" in cells


def test_the_chart_font_covers_every_character_drawn(data, clock):
    from fontTools.ttLib import TTCollection
    from matplotlib import font_manager

    report = run(data.town, stats.report, period=NOV, scope=stats.TOWNSHIP_SCOPE, now=clock.now(), tz=SH)
    fig = stats.chart_figure(report)
    png = stats.chart(report)
    assert png.startswith(b"\x89PNG")
    faces = TTCollection(str(stats.CHART_FONT_FILE)).fonts
    drawn = ""
    for text in fig.findobj(lambda o: hasattr(o, "get_text") and hasattr(o, "get_fontproperties")):
        content = text.get_text()
        if not content:
            continue
        prop = text.get_fontproperties()
        path = font_manager.findfont(prop, fallback_to_default=False)
        # The file registered, no fallback font; the face matplotlib picked from the collection is SC.
        assert str(path) == str(stats.CHART_FONT_FILE), (content, path)
        face = faces[path.face_index]
        assert face["name"].getDebugName(1) == "Noto Sans CJK SC"
        cmap = face["cmap"].getBestCmap()
        missing = [ch for ch in content if not ch.isspace() and ord(ch) not in cmap]
        assert missing == [], content
        drawn += content
    assert "化解率" in drawn and "矛盾纠纷" in drawn and "按类别（件）" in drawn
