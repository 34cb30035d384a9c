"""The case catalogue's rules (bot/services/case_catalogue.py): type settings decide the next case,
edits reach the in-memory catalogue at once, disabled types are refused for new cases only."""

from datetime import date

import pytest
from sqlmodel import select

from bot.services import case_catalogue as cat
from bot.services import cases, intake, meetings
from bot.services.cases import CaseTypes
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed
from models import Case, CaseType, ReportSection
from models.cases import TypeFlag, TypeSection
from tests.factories import local


def _id(w, category: str) -> int:
    with w.db.session() as s:
        return s.exec(select(CaseType.id).where(CaseType.category == category).order_by(CaseType.id)).first()


def test_a_types_settings_decide_its_next_case(w):
    w.clock.set(local(2026, 12, 1, 10))  # a Tuesday, working hours
    now = w.clock.now()
    kind = _id(w, "社区矫正")
    before = w.submit(type_id=kind)  # filed before the settings: keeps what it got
    for flag in (TypeFlag.needs_info_report, TypeFlag.confidential):
        w.call(cat.set_flag, actor_id=w.director, type_id=kind, flag=flag, on=True, whole_type=True)
    w.call(cat.set_deadline, actor_id=w.director, type_id=kind, days=10, whole_type=True)
    got = w.db.call(intake.register_report, actor_id=w.grid_worker, draft=w.draft(type_id=kind), now=now)
    assert got.info_report_id is not None and not got.case.urgent
    policy = DeadlinePolicy()
    for ref in (before, got.case):
        w.db.call(cases.accept, actor_id=w.director, case_id=ref.id, now=now, policy=policy)
    old, new = w.case(before.id), w.case(got.case.id)
    assert new.confidential and not old.confidential
    # 10 working days after Tuesday 12-01: Wednesday 12-02 … Tuesday 12-15, at the end of the day
    # (by severity, 一般 = 3 days, Friday 12-04: see the third case); the deadline is read at acceptance,
    # so the case filed before the change but accepted after it gets it too
    assert new.due_at == local(2026, 12, 15, 17, 30)
    assert old.due_at == local(2026, 12, 15, 17, 30)
    w.call(cat.set_deadline, actor_id=w.director, type_id=kind, days=None, whole_type=True)
    third = w.submit(type_id=kind)
    w.db.call(cases.accept, actor_id=w.director, case_id=third.id, now=now, policy=policy)
    assert w.case(third.id).due_at == local(2026, 12, 4, 17, 30)


def test_forced_urgent_and_its_undo(w):
    kind = w.types["邻里纠纷"]
    w.call(cat.set_flag, actor_id=w.director, type_id=kind, flag=TypeFlag.forces_urgent, on=True, whole_type=False)
    assert w.submit().urgent
    assert not w.submit(type_id=w.types["婚姻家庭纠纷"]).urgent  # one subtype only
    w.call(cat.set_flag, actor_id=w.director, type_id=kind, flag=TypeFlag.forces_urgent, on=False, whole_type=False)
    assert not w.submit().urgent


def test_edits_reach_the_memo_on_the_next_read(w):
    memo = CaseTypes()
    with w.db.session() as s:
        first = memo.load(s)
    assert memo.cached() is first  # no round trip while nothing changed
    w.call(cat.rename_type, actor_id=w.director, type_id=w.neighbour, name="民间纠纷")
    assert memo.cached() is CaseTypes.MISS
    with w.db.session() as s:
        names = {t.category for t in memo.load(s)}
    assert "民间纠纷" in names and "矛盾纠纷" not in names
    w.call(cat.set_type_active, actor_id=w.director, type_id=w.neighbour, active=False)
    with w.db.session() as s:
        assert "民间纠纷" not in {t.category for t in memo.load(s)}


def test_disabled_types_refuse_new_cases_and_keep_old_ones(w):
    old = w.submit()
    w.call(cat.set_subtype_active, actor_id=w.director, subtype_id=w.neighbour, active=False)
    with pytest.raises(InvalidInput, match="已停用"):
        w.submit()
    w.call(cat.set_subtype_active, actor_id=w.director, subtype_id=w.neighbour, active=True)
    w.call(cat.set_type_active, actor_id=w.director, type_id=w.neighbour, active=False)
    with pytest.raises(InvalidInput, match="已停用"):
        w.submit()
    assert w.case(old.id).type_id == w.neighbour
    lines = {x.name: x for x in w.db.call(cat.list_types, actor_id=w.director)}
    assert not lines["矛盾纠纷"].active and lines["矛盾纠纷"].subtypes == 15


def test_a_type_without_subtypes_renames_its_own_row_and_its_section(w):
    kind = _id(w, "流动人口服务管理")
    w.call(cat.rename_type, actor_id=w.director, type_id=kind, name="流动人口服务和管理")
    with w.db.session() as s:
        row = s.get(CaseType, kind)
        assert (row.category, row.subtype) == ("流动人口服务和管理", "流动人口服务和管理")
        assert s.get(ReportSection, "流动人口服务和管理").section == "流动人口"
        assert s.get(ReportSection, "流动人口服务管理") is None


def test_sections_count_in_the_weekly_figures(w):
    w.clock.set(local(2026, 12, 1, 10))
    kind = _id(w, "社区矫正")
    w.submit(type_id=kind)

    def sections():
        with w.db.session() as s:
            return meetings.week_figures(s, meeting_day=date(2026, 12, 7), now=w.clock.now(),
                                         policy=DeadlinePolicy()).sections

    assert sections()["综治"] == 1
    w.call(cat.set_section, actor_id=w.director, type_id=kind, section=TypeSection.xinfang, whole_type=True)
    assert sections() == {"综治": 0, "信访": 1, "流动人口": 0, "民族宗教": 0}


def test_only_admins_edit(w):
    with pytest.raises(NotAllowed):
        w.db.call(cat.list_types, actor_id=w.staff)
    for fn, kw in ((cat.create_type, {"name": "新类型"}),
                   (cat.rename_type, {"type_id": w.neighbour, "name": "新名"}),
                   (cat.set_flag, {"type_id": w.neighbour, "flag": TypeFlag.confidential, "on": True,
                                   "whole_type": True}),
                   (cat.set_deadline, {"type_id": w.neighbour, "days": 5, "whole_type": True}),
                   (cat.add_subtype, {"type_id": w.neighbour, "name": "新子类"})):
        with pytest.raises(NotAllowed):
            w.call(fn, actor_id=w.staff, **kw)
    with w.db.session() as s:
        assert s.get(CaseType, w.neighbour).category == "矛盾纠纷"
        assert not s.exec(select(Case)).all()


@pytest.mark.parametrize(("typed", "days"), [("15", 15), ("１５", 15), ("7天", 7), (" 60 个工作日", 60), ("1", 1)])
def test_days_are_read(typed, days):
    assert cat.parse_days(typed) == days


@pytest.mark.parametrize("typed", ["0", "61", "-1", "十", "", "1.5"])
def test_days_out_of_range_are_refused(typed):
    with pytest.raises(InvalidInput):
        cat.parse_days(typed)


def test_a_rename_takes_its_section_over_a_leftover_mapping(w):
    # /sections once mapped a name no type had; a type renamed to it brings its own section
    w.call(meetings.set_section, actor_id=w.director, key="社会治安", section="信访")
    w.call(cat.rename_type, actor_id=w.director, type_id=w.types["盗窃"], name="社会治安")
    with w.db.session() as s:
        assert s.get(ReportSection, "社会治安").section == "综治"
        assert s.get(ReportSection, "社会治安/邪教活动").section == "民族宗教"
