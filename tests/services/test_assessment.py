"""目标管理考核 as a service (issue 17): the default catalogue's computed items on a known data set,
the score worked out by hand; the one formula; a hand-scored item needs evidence and a reason; a
一票否决 bars commendation whatever the score and opens a 领导责任查究; the cases behind an item obey
case visibility; the catalogue's .xlsx round trip and its checks; the year-end sheet and 通报 match
the scores; the monthly message is sent once with what changed; an 整改 order is chased once a day
past its deadline."""

import io
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlmodel import col, select

from bot.services import people
from bot.services.assessment import agreements, catalogue, formula, monthly, rectify, scoring, yearend
from bot.services.assessment.measures import Subject
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed
from models import (
    Accountability,
    AssessmentItem,
    CalendarDay,
    Case,
    CaseStatus,
    ItemKind,
    ItemRule,
    NoticeLevel,
    Outbox,
    Rectification,
    Role,
    Severity,
    Source,
    SubjectKind,
    SupervisionNotice,
    UrgentAlert,
)
from models.paicha import PaichaKind, PaichaPeriod, PaichaReturn, ReturnKind
from tests.factories import Township, local

SH = ZoneInfo("Asia/Shanghai")
NOW = local(2026, 12, 4, 10, 0)
YEAR = 2026


@pytest.fixture
def town(db, clock) -> Township:
    town = Township.build(db, clock, second_village=True)
    # 村委会 of 东山村: a unit contact registered to the village (no unit) heads it
    town.village_head = town._person("东山村主任", 20, {Role.unit}, village_id=town.village.id)
    return town


def _unit(w) -> Subject:
    return Subject(SubjectKind.unit, w.unit.id)


def _village(w) -> Subject:
    return Subject(SubjectKind.village, w.village.id)


_seq = iter(range(1, 10_000))


def _case(s, w, *, resolved=None, due=None, satisfaction=None, unit=True, village=None, confidential=False):
    n = next(_seq)
    case = Case(number=f"2026-{n:04d}", type_id=w.neighbour, severity=Severity.general, source=Source.visit,
                status=CaseStatus.resolved if resolved else CaseStatus.in_progress, description=f"纠纷{n}",
                reporter_id=w.staff, unit_id=w.unit.id if unit else None, village_id=village,
                created_at=local(2026, 1, 5), updated_at=local(2026, 1, 5), resolved_at=resolved, due_at=due,
                satisfaction=satisfaction, confidential=confidential)
    s.add(case)
    s.flush()
    return case


def _notice(s, w, case, level, issued):
    n = next(_seq)
    s.add(SupervisionNotice(number=f"综治〔2026〕{n}号", year=issued.year, seq=n, case_id=case.id, case_summary="x",
                            unit_id=w.unit.id, requirements="x", due_at=issued + timedelta(days=5), feedback="x",
                            issuer_id=w.director, issued_at=issued, level=level))


def known_data(w) -> dict:
    """镇司法所's year (worked by hand in test_the_computed_items_on_a_known_data_set)."""
    ids = {}
    with w.db.session() as s:
        due = local(2026, 6, 10, 17, 30)
        on_time = [_case(s, w, resolved=due - timedelta(days=1), due=due) for _ in range(8)]
        late = [_case(s, w, resolved=due + timedelta(days=2), due=due) for _ in range(2)]
        # not counted: resolved without a deadline; resolved (late) in 2025
        _case(s, w, resolved=local(2026, 3, 1))
        _case(s, w, resolved=local(2025, 12, 20), due=local(2025, 12, 10))
        # rated: 4 满意 + 1 基本满意 of the on-time ones, 1 不满意 of the late ones
        for case, word in zip(on_time[:5], ["满意", "满意", "满意", "满意", "基本满意"], strict=True):
            case.satisfaction = word
        late[0].satisfaction = "不满意"
        # 督办: one 红牌 this year counts; a 普通 this year and a 红牌 in 2025 do not
        _notice(s, w, late[0], NoticeLevel.red, local(2026, 7, 1))
        _notice(s, w, late[1], NoticeLevel.normal, local(2026, 7, 2))
        _notice(s, w, late[1], NoticeLevel.red, local(2025, 11, 2))
        # urgent alerts: one climbed a rung unacknowledged (counts), one acknowledged at once (does not)
        s.add(UrgentAlert(case_id=late[1].id, level=2, created_at=local(2026, 8, 1), next_at=local(2026, 8, 1),
                          acked_at=local(2026, 8, 1, 9, 40)))
        s.add(UrgentAlert(case_id=on_time[0].id, level=0, created_at=local(2026, 8, 2), next_at=local(2026, 8, 2),
                          acked_at=local(2026, 8, 2, 9, 1)))
        for case in on_time + late:
            s.add(case)
        s.commit()
        ids["late"] = [c.id for c in late]
    return ids


def _item(w, name) -> AssessmentItem:
    with w.db.session() as s:
        return next(i for i in catalogue.ensure(s, year=YEAR) if i.name == name)


def _mark(w, name, subject, points, *, evidence="file-1", kind="document", reason="台账资料不全", actor=None):
    return w.db.call(scoring.record_mark, actor_id=actor or w.director, item_id=_item(w, name).id, subject=subject,
                     points=Decimal(points) if points is not None else None, reason=reason, evidence_file_id=evidence,
                     evidence_kind=kind, now=NOW)


def _view(w, subject, actor=None):
    return w.db.call(scoring.view, actor_id=actor or w.director, year=YEAR, now=NOW, tz=SH, subject=subject)


def test_the_default_catalogue_totals_100_and_every_number_is_a_row(w):
    with w.db.session() as s:
        items = catalogue.ensure(s, year=YEAR)
        assert catalogue.total(items) == 100
        assert [i.kind for i in items].count(ItemKind.veto) == 1
        on_time = items[0]
        assert (on_time.measure, on_time.rule, on_time.threshold, on_time.step, on_time.cap) == \
            ("on_time", ItemRule.below, 95, 1, 20)
        assert catalogue.rule_text(on_time) == "按期办结率低于95%的，每低1个百分点扣1分，最多扣20分"
        assert len(catalogue.ensure(s, year=YEAR)) == len(items)  # made once


def test_the_computed_items_on_a_known_data_set(w):
    ids = known_data(w)
    _mark(w, "平安建设工作", _unit(w), 3)
    got = _view(w, _unit(w))
    lost = {i.name: i.lost for i in got.items}
    # 按期办结率: 8 of 10 = 80.00 %, 15 points under 95 → 15 × 1 = 15 (cap 20)
    assert lost["按期办结率"] == Decimal("15")
    # 群众满意率: 5 of 6 = 83.33 % < 90 → once 2
    assert lost["群众满意率"] == Decimal("2")
    # 督办红牌: 1 this year → 2
    assert lost["督办红牌"] == Decimal("2")
    # 紧急警报签收: 1 climbed → 1
    assert lost["紧急警报签收"] == Decimal("1")
    # 排查报送: villages only (and its data not connected yet); manual 3; 基础台账资料 0
    assert lost["排查报送"] == 0 and lost["平安建设工作"] == 3 and lost["基础台账资料"] == 0
    assert got.total == Decimal("77")  # 100 − 15 − 2 − 2 − 1 − 3
    on_time = next(i for i in got.items if i.name == "按期办结率")
    assert on_time.measured == "按期办结率 80%" and list(on_time.evidence) == ids["late"]
    # the village has none of the unit's cases; of its 排查 returns, one due 16 Nov never came and the one due
    # 30 Nov came a day late (−0.5 each); the one due 14 Dec is not missed yet on 4 Dec
    _paicha_returns(w, [(date(2026, 11, 16), None), (date(2026, 11, 2), local(2026, 11, 2, 17, 0)),
                        (date(2026, 11, 30), local(2026, 12, 1, 9, 0)), (date(2026, 12, 14), None)])
    village = _view(w, _village(w))
    assert village.total == Decimal("99")
    screening = next(i for i in village.items if i.name == "排查报送")
    assert screening.lost == 1 and screening.measured == "排查未按时报送 2 次"


def _paicha_returns(w, returns) -> None:
    with w.db.session() as s:
        for due, filed in returns:
            period = PaichaPeriod(kind=PaichaKind.regular, key=f"regular:{due}", start_day=due - timedelta(days=13),
                                  due_day=due, created_at=NOW)
            s.add(period)
            s.flush()
            s.add(PaichaReturn(period_id=period.id, unit_key=f"v{w.village.id}", village_id=w.village.id,
                               kind=ReturnKind.zero if filed else None, filed_at=filed))


@pytest.mark.parametrize(("rule", "threshold", "step", "per_unit", "cap", "value", "expected"), [
    (ItemRule.below, "95", "1", True, "5", "92.5", "2.5"),  # per percentage point
    (ItemRule.below, "95", "1", True, "5", "80", "5"),  # capped
    (ItemRule.below, "95", "1", True, "5", "95", "0"),  # at the threshold: nothing
    (ItemRule.above, "0", "0.5", True, "5", "3", "1.5"),  # each occurrence −0.5
    (ItemRule.below, "90", "2", False, "2", "10", "2"),  # once
    (ItemRule.above, "0", "2", True, "50", "30", "10"),  # never more than the item's points
])
def test_the_formula_is_the_rows_numbers(rule, threshold, step, per_unit, cap, value, expected):
    item = AssessmentItem(year=YEAR, seq=1, name="x", kind=ItemKind.computed, points=Decimal(10), rule=rule,
                          threshold=Decimal(threshold), step=Decimal(step), per_unit=per_unit, cap=Decimal(cap))
    assert formula.deduction(item, Decimal(value)) == Decimal(expected)
    assert formula.deduction(item, None) == 0  # nothing measured


def test_a_hand_scored_item_needs_evidence_a_reason_and_a_scorer(w):
    for evidence, kind in ((None, None), ("", "document"), ("file", "sticker")):
        with pytest.raises(InvalidInput, match="佐证材料"):
            _mark(w, "平安建设工作", _unit(w), 2, evidence=evidence, kind=kind)
    with pytest.raises(InvalidInput):
        _mark(w, "平安建设工作", _unit(w), 2, reason=" ")
    with pytest.raises(InvalidInput, match="不超过"):
        _mark(w, "平安建设工作", _unit(w), 21)
    with pytest.raises(InvalidInput):
        _mark(w, "按期办结率", _unit(w), 2)  # computed: not by hand
    with pytest.raises(NotAllowed):
        _mark(w, "平安建设工作", _unit(w), 2, actor=w.staff)
    assert _view(w, _unit(w)).total == 100  # nothing recorded
    _mark(w, "平安建设工作", _unit(w), 12, kind="photo")
    _mark(w, "平安建设工作", _unit(w), 12)
    assert _view(w, _unit(w)).total == 80  # two marks of 12, the item's 20 points at most
    with w.db.session() as s:  # the unit's contact heard of it
        assert s.exec(select(Outbox).where(Outbox.chat_id == 7, Outbox.text.contains("考核扣分"))).first()


def test_a_veto_bars_commendation_whatever_the_score(w):
    _mark(w, "一票否决", _village(w), None, reason="发生因土地纠纷引发的群体性事件")
    with w.db.session() as s:
        scores = scoring.ranking(s, year=YEAR, now=NOW, tz=SH)
        acc = s.exec(select(Accountability)).one()
    by_name = {s.name: s for s in scores}
    assert by_name["东山村"].total == 100 and by_name["东山村"].vetoed  # the score is untouched
    assert acc.reason == "发生因土地纠纷引发的群体性事件" and acc.village_id == w.village.id
    proposed = [s.name for s in scoring.commended(scores, threshold=Decimal(90))]
    assert "东山村" not in proposed and {"西河村", "镇司法所"} <= set(proposed)


def test_only_the_head_or_the_center_sees_a_score_and_cases_obey_visibility(w):
    known_data(w)
    with w.db.session() as s:
        late = s.exec(select(Case).where(Case.resolved_at > Case.due_at, Case.resolved_at >= local(2026, 1, 1))
                      .order_by(Case.id)).all()
        late[1].unit_id, late[1].confidential, late[1].village_id = w.unit.id, True, w.village.id
        s.add(late[1])
        s.commit()
    assert _view(w, None, actor=w.unit_contact).name == "镇司法所"  # their own
    with pytest.raises(NotAllowed):
        _view(w, _village(w), actor=w.unit_contact)  # not theirs
    with pytest.raises(NotAllowed):
        _view(w, None, actor=w.grid_worker)  # heads nothing
    assert _view(w, _unit(w), actor=w.leader).name == "镇司法所"  # the center sees every one
    item = _item(w, "按期办结率")
    # the confidential late case is in 东山村 too: the village loses all 20 (0 of 1 on time), but its head
    # may not open that case (not assigned, confidential): shown none, hidden 1
    found = w.db.call(scoring.item_cases, actor_id=w.village_head, item_id=item.id, subject=_village(w), now=NOW, tz=SH)
    assert (found.line.lost, found.cases, found.hidden_cases) == (20, [], 1)
    # 刘领导 (a leader) may not see the confidential late case: shown 1, hidden 1
    found = w.db.call(scoring.item_cases, actor_id=w.leader, item_id=item.id, subject=_unit(w), now=NOW, tz=SH)
    assert (len(found.cases), found.hidden_cases) == (1, 1)
    found = w.db.call(scoring.item_cases, actor_id=w.unit_contact, item_id=item.id, subject=_unit(w), now=NOW, tz=SH)
    assert (len(found.cases), found.hidden_cases) == (2, 0)  # assigned to their unit: both


def test_the_catalogue_xlsx_round_trip_and_its_checks(w):
    with w.db.session() as s:
        items = catalogue.ensure(s, year=YEAR)
        data = catalogue.template_xlsx(items, year=YEAR)
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[2]][:4] == ["序号", "考核项目", "类别", "分值"]
    # move 5 points from 按期办结率 to 平安建设工作 and lower its threshold: still 100
    ws["D3"], ws["H3"] = 15, 90
    row = next(r for r in ws.iter_rows(min_row=3) if r[1].value == "平安建设工作")
    row[3].value = 25
    out = io.BytesIO()
    wb.save(out)
    got = w.db.call(catalogue.replace, actor_id=w.director, year=YEAR, data=out.getvalue(), now=NOW)
    assert (got.count, got.total) == (9, 100)
    assert (_item(w, "按期办结率").points, _item(w, "按期办结率").threshold) == (15, 90)
    # not 100; a bad rule; not an .xlsx at all
    ws["D3"] = 14
    bad = io.BytesIO()
    wb.save(bad)
    with pytest.raises(InvalidInput, match="合计为 99 分"):
        w.db.call(catalogue.replace, actor_id=w.director, year=YEAR, data=bad.getvalue(), now=NOW)
    ws["D3"], ws["G3"] = 15, "大约"
    bad = io.BytesIO()
    wb.save(bad)
    with pytest.raises(InvalidInput, match="第 3 行的「规则」"):
        w.db.call(catalogue.replace, actor_id=w.director, year=YEAR, data=bad.getvalue(), now=NOW)
    with pytest.raises(InvalidInput, match="无法读取"):
        w.db.call(catalogue.replace, actor_id=w.director, year=YEAR, data=b"not a workbook", now=NOW)
    # edit in chat: one number of one item
    w.db.call(catalogue.edit, actor_id=w.director, item_id=_item(w, "督办红牌").id, field="step", text="3", now=NOW)
    assert _item(w, "督办红牌").step == 3
    with pytest.raises(InvalidInput):
        w.db.call(catalogue.edit, actor_id=w.director, item_id=_item(w, "督办红牌").id, field="step", text="abc",
                  now=NOW)


def test_year_end_sheet_and_report_match_the_scores(w):
    known_data(w)
    _mark(w, "平安建设工作", _unit(w), 3)
    _mark(w, "一票否决", _village(w), None, reason="发生命案")
    view = w.db.call(yearend.year_end, actor_id=w.director, year=YEAR, now=NOW, tz=SH, org="某镇综治中心",
                     commend_score=Decimal(90))
    ws = load_workbook(io.BytesIO(yearend.xlsx(view))).worksheets[0]
    header = [c.value for c in ws[2]]
    rows = {r[1]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=3, values_only=True)}
    assert rows["镇司法所"]["总分"] == 77 and rows["镇司法所"]["按期办结率"] == 5 and rows["镇司法所"]["排查报送"] == "不适用"
    assert rows["东山村"]["总分"] == 100 and rows["东山村"]["一票否决"] == "否决" and not rows["东山村"]["推荐表彰"]
    assert rows["西河村"]["推荐表彰"] == "推荐" and not rows["镇司法所"]["推荐表彰"]
    assert [r[0] for r in ws.iter_rows(min_row=3, values_only=True)] == [1, 2, 3]
    text = "\n".join(p.text for p in Document(io.BytesIO(yearend.docx(view))).paragraphs)
    assert "3. 镇司法所：77分" in text
    assert "二、拟表彰单位" in text and "西河村。" in text
    assert "东山村：发生命案，实行一票否决" in text and "领导责任查究：东山村，发生命案，处理结果：查究中" in text
    assert "按期办结率扣15分（按期办结率 80%）" in text
    with pytest.raises(NotAllowed):
        w.db.call(yearend.year_end, actor_id=w.unit_contact, year=YEAR, now=NOW, tz=SH, org="x",
                  commend_score=Decimal(90))


def test_agreements_go_to_the_heads_once_and_only_they_sign(w):
    assert w.db.call(agreements.send, actor_id=w.director, year=YEAR, now=NOW, commend_score=90) == 2
    assert w.db.call(agreements.send, actor_id=w.director, year=YEAR, now=NOW, commend_score=90) == 0
    st = w.db.call(agreements.status, actor_id=w.director, year=YEAR)
    assert (st.signed, st.unsigned, st.not_sent) == ([], ["镇司法所 司法所老李", "东山村 东山村主任"], ["西河村"])
    with w.db.session() as s:
        rows = s.exec(select(Outbox).where(Outbox.key.startswith("assess:agreement"))).all()
        assert {r.chat_id for r in rows} == {7, 20} and all(r.protect and r.document for r in rows)
        agreement_id = agreements.from_ref(rows[0].document)
    with pytest.raises(NotAllowed):
        w.db.call(agreements.sign, actor_id=w.grid_worker, agreement_id=agreement_id, now=NOW)
    owner = w.unit_contact if rows[0].chat_id == 7 else w.village_head
    assert w.db.call(agreements.sign, actor_id=owner, agreement_id=agreement_id, now=NOW)
    assert not w.db.call(agreements.sign, actor_id=owner, agreement_id=agreement_id, now=NOW)
    assert len(w.db.call(agreements.status, actor_id=w.director, year=YEAR).signed) == 1
    assert w.db.call(agreements.chase, actor_id=w.director, year=YEAR, now=NOW) == 1
    name, data = w.db.call(agreements.document, agreement_id=agreement_id, org="某镇综治中心", tz=SH)
    assert name.startswith("2026年度目标管理责任书（") and name.endswith(".docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "2026年度社会治安综合治理目标管理责任书" in text and "签订日期：2026年12月4日" in text
    assert "（1）按期办结率（20分）：按期办结率低于95%的，每低1个百分点扣1分，最多扣20分。" in text
    assert "年度得分90分以上且未被一票否决的，推荐表彰奖励。" in text
    with pytest.raises(NotAllowed):
        w.db.call(agreements.send, actor_id=w.leader, year=YEAR, now=NOW, commend_score=90)


def test_the_monthly_message_once_with_what_changed(w):
    with w.db.session() as s:
        catalogue.ensure(s, year=YEAR)
        s.commit()
    # the 1st of November at 09:30: October's snapshot, 100 for everyone
    assert w.db.call(monthly.sweep, now=local(2026, 11, 1, 8, 30), tz=SH) == 0  # not before 09:00
    assert w.db.call(monthly.sweep, now=local(2026, 11, 1, 9, 30), tz=SH) == 2  # 老李 and 东山村主任
    assert w.db.call(monthly.sweep, now=local(2026, 11, 2, 9, 30), tz=SH) == 0  # once
    w.db.call(scoring.record_mark, actor_id=w.director, item_id=_item(w, "基础台账资料").id, subject=_unit(w),
              points=Decimal("2.5"), reason="台账缺页", evidence_file_id="f", evidence_kind="photo",
              now=local(2026, 11, 20))
    assert w.db.call(monthly.sweep, now=local(2026, 12, 1, 9, 30), tz=SH) == 2
    with w.db.session() as s:
        text = s.exec(select(Outbox.text).where(Outbox.key == f"assess:month2026-11:unit:{w.unit.id}:p{w.unit_contact}")
                      ).one()
    assert "11月底得分 97.5 分（较上月 -2.5）" in text and "基础台账资料 -2.5" in text


POLICY = DeadlinePolicy()


def test_an_rectification_order_counts_working_days_and_is_chased_once_a_working_day(w):
    """Issued Tue 2026-09-22 with 5 working days: 23 (1), 24 (2), 25–27 中秋 off, 28 (3), 29 (4), 30 (5):
    due Wed 9月30日 17:30 (5 calendar days would give 9月27日). Then 10月1–7日 国庆 off: the first chase
    is Thu 10月8日 (1 working day over), then Fri 9日 (2), Sat 10日 a 调休 working day (3), not Sun 11日."""
    order = w.db.call(rectify.issue, actor_id=w.director, subject=_unit(w), text="补齐调解台账", days=5,
                      now=local(2026, 9, 22, 10, 0), policy=POLICY)
    assert order.due_on == "2026年9月30日 17:30" and order.owner == "司法所老李"
    with w.db.session() as s:
        assert s.get(Rectification, order.id).due_at == local(2026, 9, 30, 17, 30)
    assert w.db.call(rectify.sweep, now=local(2026, 9, 30, 17, 0), policy=POLICY) == 0  # not yet past
    assert w.db.call(rectify.sweep, now=local(2026, 9, 30, 18, 0), policy=POLICY) == 0  # past, after hours
    assert w.db.call(rectify.sweep, now=local(2026, 10, 2, 10, 0), policy=POLICY) == 0  # 国庆: no chase
    assert w.db.call(rectify.sweep, now=local(2026, 10, 8, 9, 0), policy=POLICY) == 2  # the owner and the director
    assert w.db.call(rectify.sweep, now=local(2026, 10, 8, 15, 0), policy=POLICY) == 0  # once a working day
    assert w.db.call(rectify.sweep, now=local(2026, 10, 10, 9, 0), policy=POLICY) == 2  # 调休 Saturday
    assert w.db.call(rectify.sweep, now=local(2026, 10, 11, 9, 0), policy=POLICY) == 0  # Sunday
    with w.db.session() as s:
        texts = list(s.exec(select(Outbox.text).where(col(Outbox.key).like(f"assess:rectify{order.id}:overdue:%"),
                                                      Outbox.person_id == w.unit_contact).order_by(col(Outbox.id))))
    assert ["已超期 1 个工作日" in texts[0], "已超期 3 个工作日" in texts[1]] == [True, True]
    assert "整改期限 2026年9月30日 17:30 已过" in texts[0]
    with pytest.raises(NotAllowed):
        w.db.call(rectify.mark_done, actor_id=w.grid_worker, order_id=order.id, now=NOW, tz=SH)
    assert w.db.call(rectify.mark_done, actor_id=w.unit_contact, order_id=order.id, now=NOW, tz=SH).done
    assert w.db.call(rectify.sweep, now=local(2026, 10, 12, 9, 0), policy=POLICY) == 0  # done: no more
    with pytest.raises(InvalidInput, match="没有登记联络人"):
        w.db.call(rectify.issue, actor_id=w.director, subject=Subject(SubjectKind.village, w.village2.id),
                  text="x", days=3, now=NOW, policy=POLICY)
    with pytest.raises(NotAllowed):
        w.db.call(rectify.issue, actor_id=w.unit_contact, subject=_unit(w), text="x", days=3, now=NOW, policy=POLICY)


def test_an_admin_entered_holiday_moves_the_rectification_deadline(w):
    """Mon 2026-12-07 with 3 working days: 8, 9, 10 → Thu 12月10日; an admin marks 12月9日 a day off
    (a local holiday), so the third working day is Fri 12月11日."""
    with w.db.session() as s:
        s.add(CalendarDay(day=date(2026, 12, 9), workday=False, note="镇庆", set_at=NOW))
        s.commit()
    order = w.db.call(rectify.issue, actor_id=w.director, subject=_unit(w), text="x", days=3,
                      now=local(2026, 12, 7, 10, 0), policy=POLICY)
    assert order.due_on == "2026年12月11日 17:30"


def test_a_village_head_is_found_by_their_village(w):
    with w.db.session() as s:
        assert scoring.subject_of(s, w.village_head) == _village(w)
        assert scoring.subject_of(s, w.unit_contact) == _unit(w)
        assert scoring.subject_of(s, w.grid_worker) is None
        assert [p.name for p in scoring.heads(s, _village(w))] == ["东山村主任"]
        assert people.get(s, person_id=w.village_head).village_id == w.village.id
