"""工作联系点制度 二: a village's contact points record their work there, feed problems back to the center
(the director answers, the leader hears it), a contact point gone quiet is reminded once per spell, and
the 联系点工作台账 lists the records."""

import json
from datetime import date, time, timedelta

import pytest
from openpyxl import load_workbook

from bot.services import contact_points as cp
from bot.services import focus_areas, ledgers, people
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from bot.services.ledgers import Kind, Period
from models import ContactWork
from tests.factories import POLICY, SH, Township, local

NOW = local(2026, 12, 4, 10, 0)  # a Friday
TODAY = date(2026, 12, 4)


@pytest.fixture
def town(db, clock) -> Township:
    clock.set(NOW)
    return Township.build(db, clock, second_village=True)  # 刘领导 is 东山村's contact point from NOW


def _record(w, *, actor=None, village=None, day=TODAY, content="检查村治保会台账，走访两户", problem=None,
            work=ContactWork.inspect, now=NOW):
    return w.db.call(cp.record, actor_id=actor or w.leader, village_id=(village or w.village).id, work=work,
                     done_on=day, content=content, problem=problem, now=now, today=TODAY)


def test_only_the_villages_contact_point_records_its_work_within_the_last_week(w):
    row = _record(w, content="  检查村治保会台账， 走访两户 ")
    assert (row.work, row.done_on, row.content, row.problem) == (ContactWork.inspect, TODAY, "检查村治保会台账， 走访两户",
                                                                 None)
    _record(w, day=TODAY - timedelta(days=7), work=ContactWork.meeting, content="参加东山村综治例会")
    with pytest.raises(InvalidInput):  # more than a week ago, or ahead
        _record(w, day=TODAY - timedelta(days=8))
    with pytest.raises(InvalidInput):
        _record(w, day=TODAY + timedelta(days=1))
    for actor, village in ((w.staff, w.village), (w.leader, w.village2), (w.director, w.village)):
        with pytest.raises(NotAllowed):  # not a contact point of that village, whoever they are
            _record(w, actor=actor, village=village)
    for content in ("好", "字" * 501):
        with pytest.raises(InvalidInput):
            _record(w, content=content)
    with pytest.raises(InvalidInput):
        _record(w, problem="字" * 501)
    assert w.outbox_to(1) == []  # no problem: nobody is told


def test_the_center_reads_every_village_a_contact_point_its_own_and_nobody_else_any(w):
    _record(w)
    w.call(people.toggle_contact_point, actor_id=w.director, person_id=w.staff2, village_id=w.village2.id, now=NOW)
    every = w.db.call(cp.villages, actor_id=w.staff)
    assert [(v.name, v.leaders, v.last_on) for v in every] == [(w.village.name, ("刘领导",), TODAY),
                                                                (w.village2.name, ("周明",), None)]
    page = w.db.call(cp.village_page, actor_id=w.staff2, village_id=w.village.id, tz=SH)  # staff: reads, may not record
    assert (page.total, page.may_record, page.may_answer) == (1, False, False)
    assert w.db.call(cp.village_page, actor_id=w.leader, village_id=w.village.id, tz=SH).may_record
    assert w.db.call(cp.village_page, actor_id=w.director, village_id=w.village.id, tz=SH).may_answer
    for actor in (w.grid_worker, w.unit_contact):
        with pytest.raises(NotAllowed):
            w.db.call(cp.villages, actor_id=actor)
        with pytest.raises(NotAllowed):
            w.db.call(cp.village_page, actor_id=actor, village_id=w.village.id, tz=SH)
    with pytest.raises(NotFound):
        w.db.call(cp.village_page, actor_id=w.staff, village_id=999, tz=SH)
    # someone outside the center who is a village's contact point sees that village only
    w.call(people.toggle_contact_point, actor_id=w.director, person_id=w.other_grid, village_id=w.village2.id,
           now=NOW)
    assert [v.name for v in w.db.call(cp.villages, actor_id=w.other_grid)] == [w.village2.name]
    assert w.db.call(cp.village_page, actor_id=w.other_grid, village_id=w.village2.id, tz=SH).may_record
    with pytest.raises(NotAllowed):
        w.db.call(cp.village_page, actor_id=w.other_grid, village_id=w.village.id, tz=SH)


def test_a_problem_goes_to_the_director_who_answers_once_and_the_leader_hears_it(w):
    row = _record(w, problem="村里两户宅基地纠纷，需镇国土所派人测量")
    [told] = w.messages(1, "contact:")
    assert "联系点反映问题" in told.text and "宅基地纠纷" in told.text
    assert json.loads(told.buttons)[0] == [["✍️ 答复问题", f"cp:a:{row.id}"]]
    assert w.db.call(cp.villages, actor_id=w.director)[0].open_problems == 1
    with pytest.raises(NotAllowed):  # only the director answers
        w.db.call(cp.answer, actor_id=w.leader, record_id=row.id, text="好的", now=NOW)
    with pytest.raises(InvalidInput):
        w.db.call(cp.answer, actor_id=w.director, record_id=row.id, text="好", now=NOW)
    w.db.call(cp.answer, actor_id=w.director, record_id=row.id, text="已协调国土所下周二测量", now=NOW)
    with pytest.raises(InvalidInput):
        w.db.call(cp.answer, actor_id=w.director, record_id=row.id, text="再答一次", now=NOW)
    assert any("已协调国土所下周二测量" in text for text in w.outbox_to(3))
    assert w.db.call(cp.villages, actor_id=w.director)[0].open_problems == 0
    plain = _record(w, content="走访村民了解情况")
    with pytest.raises(NotFound):  # nothing to answer on a record without a problem
        w.db.call(cp.answer, actor_id=w.director, record_id=plain.id, text="无需答复", now=NOW)


def test_a_quiet_contact_point_is_reminded_once_per_spell(w):
    with w.db.session() as s:
        cal = POLICY.calendar(s)
    due = cal.add_working_days(NOW, 20).at  # counted from when the leader took 东山村 on

    def sweep(at):
        return w.db.call(cp.sweep_quiet, now=at, policy=POLICY, days=20)

    assert sweep(due - timedelta(minutes=1)) == 0
    after = cal.next_working_start(due + timedelta(minutes=1))
    assert sweep(after) == 1 and sweep(after + timedelta(hours=1)) == 0
    [told] = w.messages(3, "contact:quiet")
    assert "20 个工作日没有工作记录" in told.text and "12月4日" in told.text
    # a record starts a new spell, counted from its day
    day = cal.local(after).date()
    w.db.call(cp.record, actor_id=w.leader, village_id=w.village.id, work=ContactWork.visit, done_on=day,
              content="走访了解", problem=None, now=after, today=day)
    assert sweep(after + timedelta(days=7)) == 0
    later = cal.next_working_start(cal.add_working_days(after, 20).at + timedelta(minutes=1))
    assert sweep(later) == 1
    # the next spell: off hours nothing; someone who left is not reminded
    day = cal.local(later).date()
    w.db.call(cp.record, actor_id=w.leader, village_id=w.village.id, work=ContactWork.guide, done_on=day,
              content="指导调解", problem=None, now=later, today=day)
    spell = cal.next_working_start(cal.add_working_days(later, 20).at + timedelta(minutes=1))
    assert sweep(cal.at(cal.local(spell).date(), time(21))) == 0
    w.call(people.set_active, actor_id=w.director, person_id=w.leader, active=False, now=later)
    assert sweep(spell) == 0


def test_the_contact_ledger_lists_the_records_of_the_period(w):
    row = _record(w, problem="需镇国土所测量", day=TODAY - timedelta(days=3))
    w.db.call(cp.answer, actor_id=w.director, record_id=row.id, text="已协调", now=NOW)
    _record(w, work=ContactWork.meeting, content="参加村综治例会")
    _record(w, day=TODAY - timedelta(days=7), content="上月的督导")  # 11-27: outside December
    with w.db.session() as s:
        made = ledgers.build(s, kind=Kind.contact, period=Period("month", date(2026, 12, 1), date(2026, 12, 31)),
                             viewer_id=w.director, now=NOW, tz=SH)
    cells = [[c.value for c in row] for row in load_workbook(made.path).active.iter_rows()]
    made.path.unlink()
    head = next(i for i, r in enumerate(cells) if r[0] == "序号")
    assert [r[:8] for r in cells[head + 1:head + 1 + made.rows]] == [
        [1, "2026年12月1日", w.village.name, "刘领导", "督导检查", "检查村治保会台账，走访两户", "需镇国土所测量", "王主任：已协调"],
        [2, "2026年12月4日", w.village.name, "刘领导", "参加村例会", "参加村综治例会", None, None],
    ]


def test_a_contact_point_taken_on_again_is_counted_from_then(w):
    """A record from an earlier spell as 东山村's contact point does not make the new one overdue at once."""
    _record(w, day=TODAY - timedelta(days=5))
    with w.db.session() as s:
        cal = POLICY.calendar(s)
    back = cal.add_working_days(NOW, 25).at
    for _ in range(2):  # off, and on again a month later
        w.call(people.toggle_contact_point, actor_id=w.director, person_id=w.leader, village_id=w.village.id,
               now=back)
    assert w.db.call(cp.sweep_quiet, now=cal.next_working_start(back + timedelta(hours=16)), policy=POLICY,
                     days=20) == 0


def test_a_focus_area_check_in_the_village_counts_as_contact_work(w):
    """联系点制度 二.6: a 督促检查 of the village's 重点整治区域 is the contact point's work there too."""
    with w.db.session() as s:
        cal = POLICY.calendar(s)
    listed = w.db.call(focus_areas.list_village, actor_id=w.director, village_id=w.village.id, problem="夜间盗窃多发",
                       due_date=date(2027, 3, 1), now=NOW, policy=POLICY)
    checked = cal.next_working_start(cal.add_working_days(NOW, 15).at)
    w.db.call(focus_areas.record_check, actor_id=w.leader, area_id=listed.area_id, text="查看村口监控安装情况",
              now=checked)
    due = cal.next_working_start(cal.add_working_days(NOW, 20).at + timedelta(minutes=1))
    assert w.db.call(cp.sweep_quiet, now=due, policy=POLICY, days=20) == 0  # quiet from the check, not NOW
    later = cal.next_working_start(cal.add_working_days(checked, 20).at + timedelta(minutes=1))
    assert w.db.call(cp.sweep_quiet, now=later, policy=POLICY, days=20) == 1


def test_a_villages_page_shows_its_recent_records_and_focus_checks_newest_first(w):
    """The latest SHOWN pieces of work, records and the contact points' 督促检查 (二.6) merged by day; a
    check by someone who is not the village's contact point is not theirs, and a contact point outside
    the center does not read checks here (/focus does not show them to them either)."""
    listed = w.db.call(focus_areas.list_village, actor_id=w.director, village_id=w.village.id, problem="夜间盗窃多发",
                       due_date=date(2027, 3, 1), now=NOW, policy=POLICY)
    for day, content in ((TODAY - timedelta(days=4), "最早的走访"), (TODAY - timedelta(days=3), "督导村治保会"),
                         (TODAY - timedelta(days=2), "参加村例会"), (TODAY, "今天的督导")):
        _record(w, day=day, content=content, now=NOW)
    for actor, at, text in ((w.leader, local(2026, 12, 3, 15), "查看村口监控"),
                            (w.leader, local(2026, 12, 4, 11), "夜巡抽查"),
                            (w.director, local(2026, 12, 4, 16), "主任检查")):
        w.db.call(focus_areas.record_check, actor_id=actor, area_id=listed.area_id, text=text, now=at)
    page = w.db.call(cp.village_page, actor_id=w.staff, village_id=w.village.id, tz=SH)
    assert page.total == 4
    assert [(x.day, x.kind, x.who, x.text) for x in page.recent] == [
        (TODAY, "重点整治督促检查", "刘领导", "夜巡抽查"),  # 11:00, after the record kept at 10:00
        (TODAY, "督导检查", "刘领导", "今天的督导"),
        (date(2026, 12, 3), "重点整治督促检查", "刘领导", "查看村口监控"),
        (date(2026, 12, 2), "督导检查", "刘领导", "参加村例会"),
        (date(2026, 12, 1), "督导检查", "刘领导", "督导村治保会"),
    ]
    assert all(x.record_id is None for x in page.recent if x.kind == "重点整治督促检查")
    w.call(people.toggle_contact_point, actor_id=w.director, person_id=w.other_grid, village_id=w.village.id, now=NOW)
    outside = w.db.call(cp.village_page, actor_id=w.other_grid, village_id=w.village.id, tz=SH)
    assert [x.text for x in outside.recent] == ["今天的督导", "参加村例会", "督导村治保会", "最早的走访"]
