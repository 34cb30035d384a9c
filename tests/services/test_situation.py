"""社会治安形势分析 (信息报告制度 二.6/二.7): the figures of the days counted from the data, the three parts
written by the center, 报送 by the director to the party committee (figures recounted and frozen), a
draft made and asked for when 排查's 节日 / 敏感期 ends, and a draft left unsent reminded once."""

import json
from datetime import date

import pytest
from sqlmodel import select

from bot.services import paicha, situation
from bot.services.errors import InvalidInput, NotAllowed
from models import (
    Case,
    CaseStatus,
    GroupChat,
    PaichaItem,
    PaichaKind,
    PaichaPeriod,
    PaichaReturn,
    ReturnKind,
    Severity,
    SituationKind,
    SituationReport,
    Source,
)
from tests.factories import POLICY, SH, local

NOW = local(2026, 12, 4, 10, 0)  # a Friday
OCT = (date(2026, 10, 1), date(2026, 10, 8))
TEXTS = {"analysis": "节日期间矛盾纠纷以邻里纠纷为主，总体平稳。", "measures": "落实每日排查和领导带班，化解纠纷9件。",
         "next_steps": "继续做好冬季矛盾纠纷排查，重点关注拖欠工资。"}


def _case(w, created, *, resolved=None, urgent=False, severity=Severity.general, type_id=None):
    with w.db.session() as s:
        n = len(s.exec(select(Case.id)).all()) + 1
        s.add(Case(number=f"2026-{n:04d}", type_id=type_id or w.neighbour, source=Source.grid, reporter_id=w.grid_worker,
                   description="情况", village_id=w.village.id, created_at=created, updated_at=created, urgent=urgent,
                   severity=severity, resolved_at=resolved,
                   status=CaseStatus.resolved if resolved else CaseStatus.in_progress))


def _draft(w, actor=None, kind=SituationKind.holiday, days=OCT, now=NOW):
    return w.db.call(situation.open_draft, actor_id=actor or w.staff, kind=kind, start=days[0], end=days[1], now=now,
                     tz=SH)


def test_the_figures_count_the_days_of_the_period(w):
    _case(w, local(2026, 10, 1, 9), resolved=local(2026, 10, 3, 9), urgent=True)
    _case(w, local(2026, 10, 8, 23, 59), severity=Severity.major, type_id=w.mass)
    _case(w, local(2026, 9, 30, 23, 59), resolved=local(2026, 10, 2, 10))  # before: only its 办结 counts
    _case(w, local(2026, 10, 9, 0, 0))  # after
    report = _draft(w)
    assert report.figures == {"cases": 2, "urgent": 1, "major": 1, "categories": [["矛盾纠纷", 1], ["群体性事件苗头", 1]],
                              "resolved": 2, "info_reports": 0, "paicha_due": 0, "paicha_filed": 0,
                              "paicha_zero": 0, "paicha_found": 0}
    text = situation.render(report)
    assert "新增矛盾纠纷和事件 2 件（紧急 1 件，重大疑难 1 件），主要是" in text and "办结 2 件" in text
    assert "2026年10月1日至10月8日" in text and text.count("（待填写）") == 3
    assert _draft(w).id == report.id  # the same days open the same analysis


def test_the_paicha_figures_count_the_returns_due_in_the_days(w):
    """A period begun before the days but due inside them counts; one due after them counts in the
    analysis of the days it is due in (each return once, as /stats counts them)."""
    periods = {"overlaps the start": (date(2026, 9, 28), date(2026, 10, 2), [ReturnKind.zero, None]),
               "inside": (date(2026, 10, 3), date(2026, 10, 8), [ReturnKind.items]),
               "due after": (date(2026, 10, 6), date(2026, 10, 12), [ReturnKind.zero]),
               "due before": (date(2026, 9, 20), date(2026, 9, 30), [ReturnKind.items])}
    _case(w, local(2026, 10, 5, 9))
    _case(w, local(2026, 9, 25, 9))
    with w.db.session() as s:
        first, second = s.exec(select(Case.id).order_by(Case.id)).all()
        for title, (start, due, kinds) in periods.items():
            period = PaichaPeriod(kind=PaichaKind.campaign, title=title, start_day=start, due_day=due, created_at=NOW)
            s.add(period)
            s.flush()
            for n, kind in enumerate(kinds):
                ret = PaichaReturn(period_id=period.id, unit_key=f"v{n}", village_id=w.village.id, kind=kind)
                s.add(ret)
                s.flush()
                if kind == ReturnKind.items:
                    s.add(PaichaItem(case_id=first if title == "inside" else second, return_id=ret.id))
    f = _draft(w).figures
    assert (f["paicha_due"], f["paicha_filed"], f["paicha_zero"], f["paicha_found"]) == (3, 2, 1, 1)


def test_written_by_the_center_submitted_by_the_director_to_the_party_committee(w):
    report = _draft(w)
    with pytest.raises(NotAllowed):
        _draft(w, actor=w.grid_worker)
    with pytest.raises(NotAllowed):  # the secretary reads what was submitted, not drafts
        w.db.call(situation.view, actor_id=w.secretary, report_id=report.id, tz=SH)
    with pytest.raises(InvalidInput):
        w.db.call(situation.save_field, actor_id=w.staff, report_id=report.id, field="analysis", text="太短")
    w.db.call(situation.save_field, actor_id=w.staff, report_id=report.id, field="analysis", text=TEXTS["analysis"])
    with pytest.raises(InvalidInput):  # no filed copy of a draft
        w.db.call(situation.document, actor_id=w.director, report_id=report.id, tz=SH, org="东山镇综治中心")
    with pytest.raises(InvalidInput) as missing:  # the director, and every part written
        w.db.call(situation.submit, actor_id=w.director, report_id=report.id, now=NOW, tz=SH)
    assert "采取的措施及成效、四、下步工作" in str(missing.value)
    for field in ("measures", "next_steps"):
        w.db.call(situation.save_field, actor_id=w.leader, report_id=report.id, field=field, text=TEXTS[field])
    with pytest.raises(NotAllowed):
        w.db.call(situation.submit, actor_id=w.staff, report_id=report.id, now=NOW, tz=SH)
    _case(w, local(2026, 10, 5, 9))  # registered late: counted when it is submitted
    with w.db.session() as s:
        s.add(GroupChat(chat_id=-100, title="镇党委", purpose="party_committee"))
    w.db.call(situation.submit, actor_id=w.director, report_id=report.id, now=NOW, tz=SH)
    [sent] = w.outbox_to(2)  # the secretary
    assert "新增矛盾纠纷和事件 1 件" in sent and TEXTS["next_steps"] in sent and "报送：王主任，2026年12月4日" in sent
    assert w.outbox_to(-100) == [sent]
    with pytest.raises(InvalidInput):
        w.db.call(situation.submit, actor_id=w.director, report_id=report.id, now=NOW, tz=SH)
    with pytest.raises(InvalidInput):
        w.db.call(situation.save_field, actor_id=w.staff, report_id=report.id, field="analysis", text=TEXTS["analysis"])
    filed = w.db.call(situation.document, actor_id=w.secretary, report_id=report.id, tz=SH, org="东山镇综治中心")
    assert (filed.addressee, filed.issued_on, filed.paragraphs[-1]) == ("镇党委", "2026年12月4日", ("", ("特此报告。",)))
    assert filed.paragraphs[2] == ("二、形势分析", (TEXTS["analysis"],))
    shown = w.db.call(situation.view, actor_id=w.secretary, report_id=report.id, tz=SH)
    assert shown.submitted and not shown.may_write and "报送：王主任" in shown.text


def test_switching_the_holiday_returns_off_drafts_its_analysis_and_asks_the_director(w):
    with w.db.session() as s:
        cal = POLICY.calendar(s)
    kw = dict(cal=cal, schedule=paicha.Schedule())
    w.db.call(paicha.switch_sensitive, actor_id=w.director, label="holiday", today=date(2026, 10, 1),
              now=local(2026, 10, 1, 8), **kw)
    for day in range(2, 9):  # the sweep opens each day's return
        w.db.call(paicha.sweep, now=local(2026, 10, day, 9), policy=POLICY, schedule=paicha.Schedule())
    changed, told = w.db.call(paicha.switch_sensitive, actor_id=w.director, label=None, today=date(2026, 10, 8),
                              now=local(2026, 10, 8, 18), **kw)
    assert changed and told == 1
    with w.db.session() as s:
        [report] = s.exec(select(SituationReport)).all()
    assert (report.kind, report.start_day, report.end_day) == (SituationKind.holiday, *OCT)
    assert report.figures["paicha_due"] == 8  # one daily return of 东山村 a day
    [asked] = w.messages(1, "situation:")
    assert "2026年10月1日至10月8日节日期间社会治安形势分析" in asked.text
    assert json.loads(asked.buttons) == [[["📊 打开形势分析", f"sa:o:{report.id}"]]]


def test_an_unsent_holiday_analysis_is_reminded_once_two_working_days_on(w):
    report = _draft(w, kind=SituationKind.sensitive, days=(date(2026, 12, 1), date(2026, 12, 2)))
    _draft(w, kind=SituationKind.month, days=(date(2026, 11, 1), date(2026, 11, 30)))  # never chased

    def sweep(at):
        return w.db.call(situation.sweep, now=at, policy=POLICY)

    assert sweep(local(2026, 12, 4, 17, 0)) == 0  # 12月2日 + 2 working days: the end of 12月4日
    assert sweep(local(2026, 12, 5, 10, 0)) == 0  # a Saturday
    assert sweep(local(2026, 12, 7, 9, 0)) == 1 and sweep(local(2026, 12, 7, 10, 0)) == 0
    assert "形势分析未报送" in w.messages(1, f"situation:{report.id}:remind")[0].text
    assert len(w.messages(1, ":remind")) == 1
