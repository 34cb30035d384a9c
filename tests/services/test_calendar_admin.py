"""The working calendar as admins keep it: typed days, a year's file, removal, confirming a year."""

import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook, load_workbook
from sqlmodel import select

from bot.services import calendar_admin as ca
from bot.services import cases, deadlines
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed, NotFound
from models import AuditEvent, CalendarDay, CalendarYear, Case

SH = ZoneInfo("Asia/Shanghai")
POLICY = DeadlinePolicy()


def local(y, m, d, hh=9, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH).astimezone(UTC)



def actions(w) -> list[str]:
    with w.db.session() as s:
        return [e.action for e in s.exec(select(AuditEvent).where(AuditEvent.subject_type == "calendar")
                                         .order_by(AuditEvent.id))]


@pytest.mark.parametrize(("line", "expected"), [
    ("2027-01-01 休 元旦", (date(2027, 1, 1), date(2027, 1, 1), False, "元旦")),
    ("2027-02-07 班 春节调休", (date(2027, 2, 7), date(2027, 2, 7), True, "春节调休")),
    ("2027/2/7，补班", (date(2027, 2, 7), date(2027, 2, 7), True, None)),
    ("2027年10月1日至2027年10月7日 放假 国庆节", (date(2027, 10, 1), date(2027, 10, 7), False, "国庆节")),
    ("20270101休元旦", (date(2027, 1, 1), date(2027, 1, 1), False, "元旦")),
    ("  2027-02-10~2027-02-17  休  春节 ", (date(2027, 2, 10), date(2027, 2, 17), False, "春节")),
])
def test_parse_line(line, expected):
    item = ca.parse_line(line)
    assert (item.first, item.last, item.workday, item.note) == expected


@pytest.mark.parametrize(("line", "hint"), [
    ("2027-01-01 元旦", "没看懂"),
    ("元旦 2027-01-01 休", "没看懂"),
    ("2027-02-30 休 春节", "不是有效日期"),
    ("2027-02-17至2027-02-10 休", "写反了"),
    ("2027-01-01至2027-03-01 休", "最多 31 天"),
    ("2027-01-01 休 " + "很长的说明" * 7, "最多 30 个字"),
])
def test_malformed_lines_get_a_clear_hint(line, hint):
    with pytest.raises(InvalidInput, match=hint) as caught:
        ca.parse_line(line)
    if hint == "没看懂":
        assert "2027-01-01 休 元旦" in caught.value.message  # the hint shows how to write it


def test_set_list_remove_and_the_audit(w):
    now = w.clock.now()
    saved = w.db.call(ca.set_day, actor_id=w.director, day=date(2027, 1, 1), workday=False, note="元旦", now=now)
    assert saved.count == 1 and saved.years == (2027,)
    w.db.call(ca.set_day, actor_id=w.director, day=date(2027, 1, 1), workday=True, note=None, now=now)  # replaced
    assert w.db.call(ca.list_days, year=2027) == [ca.DayEntry(date(2027, 1, 1), True, None)]
    status = w.db.call(ca.year_status, year=2027)
    assert (status.package_knows, status.confirmed, status.holidays, status.workdays) == (False, False, 0, 1)
    assert status.provisional
    assert w.db.call(ca.year_status, year=2026).package_knows
    removed = w.db.call(ca.remove_day, actor_id=w.director, day=date(2027, 1, 1), now=now)
    assert removed.workday and w.db.call(ca.list_days, year=2027) == []
    with pytest.raises(NotFound):
        w.db.call(ca.remove_day, actor_id=w.director, day=date(2027, 1, 1), now=now)
    assert actions(w) == ["calendar.set", "calendar.set", "calendar.remove"]


def test_only_director_and_admins(w):
    now = w.clock.now()
    for who in (w.staff, w.leader, w.secretary):
        with pytest.raises(NotAllowed):
            w.db.call(ca.set_day, actor_id=who, day=date(2027, 1, 1), workday=False, note=None, now=now)
        with pytest.raises(NotAllowed):
            w.db.call(ca.enter_days, actor_id=who, text="2027-01-01 休", now=now)
        with pytest.raises(NotAllowed):
            w.db.call(ca.import_days, actor_id=who, rows=[(2, "2027-01-01", "休", "")], now=now)
        with pytest.raises(NotAllowed):
            w.db.call(ca.confirm_year, actor_id=who, year=2027, now=now, policy=POLICY)
    w.db.call(ca.set_day, actor_id=w.director, day=date(2027, 1, 1), workday=False, note=None, now=now)
    with pytest.raises(NotAllowed):
        w.db.call(ca.remove_day, actor_id=w.staff, day=date(2027, 1, 1), now=now)
    assert len(w.db.call(ca.list_days, year=2027)) == 1


def test_typed_lines_are_all_or_nothing(w):
    now = w.clock.now()
    with pytest.raises(InvalidInput) as caught:
        w.db.call(ca.enter_days, actor_id=w.director, text="2027-01-01 休 元旦\n\n2027-02-31 休\n2027-02-07 上课",
                  now=now)
    assert "第 2 行" in caught.value.message and "第 3 行" in caught.value.message  # blank lines do not count
    assert "没有保存" in caught.value.message
    assert w.db.call(ca.list_days, year=2027) == []
    saved = w.db.call(ca.enter_days, actor_id=w.director, now=now,
                      text="2027-02-10至2027-02-17 休 春节\n2027-02-07 班 春节调休\n2026-12-31 班")
    assert saved.count == 10 and saved.years == (2026, 2027)
    assert [e.day for e in saved.entries][:2] == [date(2026, 12, 31), date(2027, 2, 7)]
    status = w.db.call(ca.year_status, year=2027)
    assert (status.holidays, status.workdays) == (8, 1)


def test_import_is_all_or_nothing_with_row_numbers(w):
    now = w.clock.now()
    bad = [(2, "2027-01-01", "休", "元旦"), (3, "2027-01-32", "休", ""), (4, "2027-02-07", "上课", ""),
           (5, "", "休", ""), (6, "2027-01-01", "班", "")]
    with pytest.raises(InvalidInput) as caught:
        w.db.call(ca.import_days, actor_id=w.director, rows=bad, now=now)
    msg = caught.value.message
    assert all(f"第 {n} 行：" in msg for n in (3, 4, 5, 6)) and "第 2 行：" not in msg
    assert "与第 2 行重复" in msg
    assert w.db.call(ca.list_days, year=2027) == []
    good = [(2, "2027-01-01", "休", "元旦"), (3, "2027-02-10至2027-02-17", "休", "春节"),
            (4, "2027/2/7", "班", "春节调休")]
    saved = w.db.call(ca.import_days, actor_id=w.director, rows=good, now=now)
    assert saved.count == 10 and saved.years == (2027,)
    with w.db.session() as s:
        assert s.get(CalendarDay, date(2027, 2, 7)).workday
        assert s.get(CalendarDay, date(2027, 2, 12)).note == "春节"
    assert actions(w) == ["calendar.import"]


def accepted_on_dec_29(w) -> int:
    w.clock.set(local(2026, 12, 29, 10))
    ref = w.submit()
    w.db.call(cases.accept, actor_id=w.staff, case_id=ref.id, now=w.clock.now())
    with w.db.session() as s:
        case = s.get(Case, ref.id)
        deadlines.start_clock(s, case=case, now=w.clock.now(), policy=POLICY)
        s.add(case)
    return ref.id


def test_confirm_year_recomputes_provisional_deadlines(w):
    case_id = accepted_on_dec_29(w)
    with w.db.session() as s:
        case = s.get(Case, case_id)
        assert case.due_provisional and case.due_at == local(2027, 1, 1, 17, 30)  # Mon–Fri guess
    now = w.clock.now()
    with pytest.raises(InvalidInput, match="已内置"):
        w.db.call(ca.confirm_year, actor_id=w.director, year=2026, now=now, policy=POLICY)
    with pytest.raises(InvalidInput, match="还没有录入任何放假日"):
        w.db.call(ca.confirm_year, actor_id=w.director, year=2027, now=now, policy=POLICY)
    w.db.call(ca.enter_days, actor_id=w.director, text="2027-01-01 休 元旦", now=now)
    with w.db.session() as s:  # entering a day alone does not make the deadline real yet
        assert s.get(Case, case_id).due_provisional
    assert w.db.call(ca.confirm_year, actor_id=w.director, year=2027, now=now, policy=POLICY) == 1
    with w.db.session() as s:
        case = s.get(Case, case_id)
        assert not case.due_provisional and case.due_at == local(2027, 1, 4, 17, 30)
        assert s.get(CalendarYear, 2027).confirmed_by_id == w.director
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "calendar.confirm")).one()
        assert event.details["recomputed"] == 1 and event.subject_id == 2027
    status = w.db.call(ca.year_status, year=2027)
    assert status.confirmed and status.confirmed_by == "王主任" and not status.provisional
    with pytest.raises(InvalidInput, match="已经确认"):
        w.db.call(ca.confirm_year, actor_id=w.director, year=2027, now=now, policy=POLICY)


# --- files -------------------------------------------------------------------------------------


def xlsx(rows, *, guide_first=False) -> bytes:
    wb = Workbook()
    ws = wb.active
    if guide_first:
        ws.title = "说明"
        ws.append(["随便写的说明"])
        ws = wb.create_sheet("值班")
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_read_csv_in_utf8_bom_and_gb18030():
    text = "日期,类型（休/班）,说明\n2027-01-01,休,元旦\n\n2027-02-07,班,春节调休\n"
    for data in (text.encode("utf-8-sig"), text.encode("gb18030"), text.encode("utf-8")):
        assert ca.calendar_rows(data, "日历.csv") == [(2, "2027-01-01", "休", "元旦"), (4, "2027-02-07", "班", "春节调休")]


def test_read_xlsx_with_date_cells_and_a_guide_sheet():
    data = xlsx([["日期", "值班人员", "带班领导"], [datetime(2026, 12, 1), "孙丽、周明", "刘领导"],
                 ["2026/12/2", "周明", None], [date(2026, 12, 3), "孙丽", ""]], guide_first=True)
    assert ca.roster_rows(data, "roster.xlsx") == [
        (2, "2026-12-01", "孙丽、周明", "刘领导"), (3, "2026-12-02", "周明", ""), (4, "2026-12-03", "孙丽", "")]
    # the leader column may be left out; an unreadable date is passed on for the row's error
    data = xlsx([["值班人员", "日期"], ["孙丽", "明天"]])
    assert ca.roster_rows(data, "r.xlsx") == [(2, "明天", "孙丽", "")]


@pytest.mark.parametrize(("data", "name", "hint"), [
    ("姓名,手机号\n张三,1".encode(), "x.csv", "缺少「日期」「值班人员」列"),
    (b"", "x.csv", "空的"),
    ("日期,值班人员\n".encode(), "x.csv", "只有表头"),
    (b"\xd0\xcf\x11\xe0rest", "old.xls", ".xls"),
    (b"hello", "notes.txt", "第 1 行应为表头"),
    (b"hello", "notes.pdf", ".xlsx 或 .csv"),
    (b"PK\x03\x04broken", "x.xlsx", "无法读取"),
])
def test_bad_files_are_explained(data, name, hint):
    with pytest.raises(InvalidInput, match=hint):
        ca.roster_rows(data, name)


def test_templates_have_the_columns_and_a_guide():
    for data, header in ((ca.roster_template_xlsx(), ["日期", "值班人员", "带班领导"]),
                         (ca.calendar_template_xlsx(), ["日期", "类型（休/班）", "说明"])):
        wb = load_workbook(io.BytesIO(data))
        assert wb.sheetnames[1] == "说明"
        assert [c.value for c in wb.worksheets[0][1]] == header
        with pytest.raises(InvalidInput, match="只有表头"):  # sent back unfilled: told, not a crash
            ca.read_table(data, "t.xlsx", ("日期",), ("日期",))
