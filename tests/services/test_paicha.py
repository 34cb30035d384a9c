"""排查 returns as a service: the schedule's periods on the official calendar (a due day that is not a
working day moves to the next one; a year the calendar does not know falls back to Mon–Fri), returns
by grid when the local policy says so, who may file and see, and the figures, the missing returns
and the 排查台账 counted by hand on a known set (the ledger opened with openpyxl)."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from bot.services import ledgers, paicha, paicha_counts, places
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.intake import IntakePolicy
from bot.services.workdays import WorkCalendar
from models import Person
from models.ledgers import LedgerKind
from tests.factories import local

SH = ZoneInfo("Asia/Shanghai")
POLICY = DeadlinePolicy()
CAL = WorkCalendar(tz=SH)
TWICE = paicha.Schedule()


@pytest.mark.parametrize(("today", "expected"), [
    # (nominal due, start, due): the 14th of December 2026 is a Monday
    (date(2026, 12, 4), (date(2026, 12, 14), date(2026, 12, 1), date(2026, 12, 14))),
    # 11月28日 is a Saturday: due Monday 30日; the period starts after the 16日 (14日 a Saturday too)
    (date(2026, 11, 20), (date(2026, 11, 28), date(2026, 11, 17), date(2026, 11, 30))),
    (date(2026, 11, 30), (date(2026, 11, 28), date(2026, 11, 17), date(2026, 11, 30))),
    (date(2026, 12, 1), (date(2026, 12, 14), date(2026, 12, 1), date(2026, 12, 14))),
    # 2026-06-14 is a Sunday (端午 is the 19日): Monday 15日
    (date(2026, 6, 14), (date(2026, 6, 14), date(2026, 5, 29), date(2026, 6, 15))),
    # 2027 is not in the official calendar package: Mon–Fri, 2027-02-14 a Sunday → 15日
    (date(2027, 2, 10), (date(2027, 2, 14), date(2027, 1, 29), date(2027, 2, 15))),
])
def test_the_regular_period_moves_its_due_day_to_a_working_day(today, expected):
    assert paicha.current_regular(CAL, TWICE, today) == expected


def test_the_due_days_are_a_setting_and_an_admin_holiday_moves_them():
    monthly = paicha.Schedule(due_days=(25,))
    assert paicha.current_regular(CAL, monthly, date(2026, 12, 4)) == (
        date(2026, 12, 25), date(2026, 11, 26), date(2026, 12, 25))
    closed = WorkCalendar(tz=SH, overrides={date(2026, 12, 14): False, date(2026, 12, 15): False})
    assert paicha.current_regular(closed, TWICE, date(2026, 12, 4))[2] == date(2026, 12, 16)
    assert paicha.previous_workday(closed, date(2026, 12, 16)) == date(2026, 12, 11)


def _open(w, today=date(2026, 12, 4), schedule=TWICE):
    w.clock.set(local(today.year, today.month, today.day, 9, 0))
    with w.db.session() as s:
        return paicha.ensure_current(s, today=today, cal=CAL, schedule=schedule, now=w.clock.now())[0].id


def test_grid_mode_expects_one_return_per_grid_and_each_worker_files_for_their_own(w):
    now = w.clock.now()
    grid2 = w.db.call(places.create_grid, actor_id=w.director, village_id=w.village.id, name="第二网格", now=now)
    with w.db.session() as s:
        li = s.get(Person, w.other_grid)
        li.village_id, li.grid_id = w.village.id, grid2.id
        s.add(li)
    per_grid = paicha.Schedule(per_grid=True)
    pid = _open(w, schedule=per_grid)
    first = w.db.call(paicha.file_zero, person_id=w.grid_worker, period_id=pid, now=w.clock.now(),
                      today=date(2026, 12, 4), schedule=per_grid)
    assert first.first and "东山村第一网格" in first.message
    st = w.db.call(paicha.status, period_id=pid, viewer_id=w.staff)
    assert (st.filed, st.total) == (1, 2)
    assert [(m.unit, m.workers) for m in st.missing] == [("东山村第二网格", ["李网格"])]


def test_who_may_file_and_who_may_see(w):
    pid = _open(w)
    today = date(2026, 12, 4)
    with pytest.raises(NotAllowed):  # the center does not file for a village
        w.db.call(paicha.file_zero, person_id=w.staff, period_id=pid, now=w.clock.now(), today=today, schedule=TWICE)
    with pytest.raises(InvalidInput):  # 李网格 has no village in this town
        w.db.call(paicha.file_zero, person_id=w.other_grid, period_id=pid, now=w.clock.now(), today=today,
                  schedule=TWICE)
    with pytest.raises(NotAllowed):
        w.db.call(paicha.status, period_id=pid, viewer_id=w.unit_contact)
    with pytest.raises(NotAllowed):
        w.db.call(paicha.open_campaign, actor_id=w.staff, days=3, village_ids=None, today=today, cal=CAL,
                  schedule=TWICE, now=w.clock.now())
    # more than 7 days after the due day a return is closed
    with pytest.raises(InvalidInput):
        w.db.call(paicha.file_zero, person_id=w.grid_worker, period_id=pid, now=local(2026, 12, 22),
                  today=date(2026, 12, 22), schedule=TWICE)


def test_figures_missing_returns_and_the_ledger_counted_by_hand(w):
    """Known set: two periods due in December (14日, 28日) and two villages, so four returns due.
    14日 period: 东山村 零报告 on the 10日 (on time); 西河村 an item on the 15日 (late), confidential.
    28日 period: 东山村 an item on the 28日 at 23:30 local (on time: the due day counts whole);
    西河村 nothing. So: due 4, on time 2, 零报告 1, items found 2; missing per village 东山村 0, 西河村 2."""
    now = w.clock.now()
    xihe = w.db.call(places.create_village, actor_id=w.director, name="西河村", now=now)
    xgrid = w.db.call(places.create_grid, actor_id=w.director, village_id=xihe.id, name="第一网格", now=now)
    with w.db.session() as s:
        li = s.get(Person, w.other_grid)
        li.village_id, li.grid_id = xihe.id, xgrid.id
        s.add(li)
    p14 = _open(w, date(2026, 12, 4))
    w.db.call(paicha.file_zero, person_id=w.grid_worker, period_id=p14, now=local(2026, 12, 10, 10),
              today=date(2026, 12, 10), schedule=TWICE)
    secret, _ = w.db.call(paicha.register_item, actor_id=w.other_grid, period_id=p14,
                          draft=w.draft(type_id=w.secret, village_id=xihe.id, grid_id=xgrid.id),
                          now=local(2026, 12, 15, 10), today=date(2026, 12, 15), schedule=TWICE,
                          policy=IntakePolicy())
    p28 = _open(w, date(2026, 12, 20))
    found, note = w.db.call(paicha.register_item, actor_id=w.grid_worker, period_id=p28, draft=w.draft(),
                            now=local(2026, 12, 28, 23, 30), today=date(2026, 12, 28), schedule=TWICE,
                            policy=IntakePolicy())
    assert "东山村 本期排查事项" in note

    with w.db.session() as s:
        counts = paicha_counts.figures(s, start=date(2026, 12, 1), end=date(2026, 12, 31), village_ids=None)
        assert counts == {"paicha_due": 4, "paicha_on_time": 2, "paicha_zero": 1, "paicha_items": 2}
        only_xihe = paicha_counts.figures(s, start=date(2026, 12, 1), end=date(2026, 12, 31), village_ids=(xihe.id,))
        assert only_xihe == {"paicha_due": 2, "paicha_on_time": 0, "paicha_zero": 0, "paicha_items": 1}
        assert paicha_counts.missing_returns(s, start=date(2026, 12, 1), end=date(2026, 12, 31)) == {
            w.village.id: 0, xihe.id: 2}
        # on the 28日 itself the 28日 period is not missed yet
        assert paicha_counts.missing_returns(s, start=date(2026, 12, 1), end=date(2026, 12, 31),
                                             today=date(2026, 12, 28)) == {w.village.id: 0, xihe.id: 1}

        # the 排查台账 for 孙丽 (staff): four rows; the confidential case's number is not listed
        period = ledgers.period_for(ledgers.PeriodChoice.month, date(2026, 12, 10))
        made = ledgers.build(s, kind=LedgerKind.paicha, period=period, viewer_id=w.staff, now=local(2026, 12, 31),
                             tz=SH)
        director = ledgers.build(s, kind=LedgerKind.paicha, period=period, viewer_id=w.director,
                                 now=local(2026, 12, 31), tz=SH)
    try:
        cells = [[c.value for c in row] for row in load_workbook(made.path).active.iter_rows()]
        assert cells[0][0] == "排查台账"
        header = next(i for i, row in enumerate(cells) if row[0] == "序号")
        body = [row for row in cells[header + 1:] if isinstance(row[0], int)]
        assert len(body) == 4 and made.rows == 4
        states = [(row[5], row[7], row[10], row[11], row[12]) for row in body]
        assert states == [("东山村", "零报告", "按期", 0, None), ("西河村", "报送事项", "逾期", 1, None),
                          ("东山村", "报送事项", "按期", 1, found.case.number), ("西河村", "未报", None, 0, None)]
        assert made.hidden == 1 and director.hidden == 0
        numbers = [[c.value for c in row] for row in load_workbook(director.path).active.iter_rows()]
        assert any(secret.case.number in str(v) for row in numbers for v in row)
    finally:
        made.path.unlink()
        director.path.unlink()


def test_a_return_after_a_zero_report_becomes_items_and_is_not_twice(w):
    pid = _open(w)
    today = date(2026, 12, 4)
    assert w.db.call(paicha.file_zero, person_id=w.grid_worker, period_id=pid, now=w.clock.now(), today=today,
                     schedule=TWICE).first
    again = w.db.call(paicha.file_zero, person_id=w.grid_worker, period_id=pid, now=w.clock.now(), today=today,
                      schedule=TWICE)
    assert not again.first and "无需重复报送" in again.message
    w.db.call(paicha.register_item, actor_id=w.grid_worker, period_id=pid, draft=w.draft(), now=w.clock.now(),
              today=today, schedule=TWICE, policy=IntakePolicy())
    st = w.db.call(paicha.status, period_id=pid, viewer_id=w.staff)
    assert (st.filed, st.zero, st.items_units, st.items) == (1, 0, 1, 1)
    late = w.db.call(paicha.file_zero, person_id=w.grid_worker, period_id=pid, now=w.clock.now(), today=today,
                     schedule=TWICE)
    assert not late.first and "已报送 1 件排查事项" in late.message


def test_two_processes_opening_the_same_period_end_with_one(w, monkeypatch):
    """The second one does not see the first's period when it looks, then hits the unique key: it
    reads the winner's period instead of failing (its savepoint rolls back, the transaction goes on)."""
    first = _open(w)
    real = paicha._by_key
    calls = []

    def blind_once(session, key):
        calls.append(key)
        return None if len(calls) == 1 else real(session, key)

    monkeypatch.setattr(paicha, "_by_key", blind_once)
    assert _open(w) == first
    with w.db.session() as s:
        from models import PaichaPeriod
        assert len(s.exec(select(PaichaPeriod)).all()) == 1


def test_a_chase_says_whether_anyone_missing_can_be_reached_on_the_bot(w):
    pid = _open(w)
    now = w.clock.now()
    sent, missing, reachable = w.db.call(paicha.chase_missing, period_id=pid, actor_id=w.staff, now=now)
    assert (sent, missing, reachable) == (1, 1, True)  # 张网格 of 东山村
    assert w.db.call(paicha.chase_missing, period_id=pid, actor_id=w.staff, now=now) == (0, 1, True)  # just chased
    with w.db.session() as s:  # the village's grid worker is not on the bot yet: only a phone call reaches them
        s.get(Person, w.grid_worker).telegram_id = None
    later = local(2026, 12, 4, 10, 0)
    assert w.db.call(paicha.chase_missing, period_id=pid, actor_id=w.staff, now=later) == (0, 1, False)
