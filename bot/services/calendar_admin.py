"""The working calendar as admins keep it: holidays (休) and make-up working days (班) day by day,
by typing or by a year's file, and confirming that a year the chinesecalendar package does not know
has been entered completely — which turns its provisional deadlines into real ones.

Also the spreadsheet side shared with the duty roster upload: reading one table from an .xlsx or a
.csv (UTF-8 with or without BOM, or GB18030 as Chinese Excel saves it) and the templates to fill in.
Every change is audited; only the director and admins may change the calendar.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from sqlmodel import Session, col, select

from bot import texts
from bot.services import audit, deadlines, people
from bot.services.access import MANAGE_PEOPLE, require
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotFound
from bot.services.workdays import package_knows
from models import CalendarDay, CalendarYear, Person

MANAGE_CALENDAR = MANAGE_PEOPLE
NOTE_MAX = 30  # CalendarDay.note
MAX_RANGE_DAYS = 31  # the longest holiday is 8–9 days; more is a typo
MAX_TYPED_LINES = 60
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000  # a year is 366 rows; a roster for a few months fits too
MAX_SCAN_ROWS = 20_000
MAX_COLS = 20
MAX_ERRORS_SHOWN = 20

HOLIDAY_WORDS = frozenset({"休", "假", "休息", "放假", "休假", "节假日", "假日", "法定节假日"})
WORKDAY_WORDS = frozenset({"班", "上班", "补班", "调休上班", "工作日", "工作"})
_KIND = "|".join(sorted(HOLIDAY_WORDS | WORKDAY_WORDS, key=len, reverse=True))
_DATE = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{8}"
_SEP = r"[\s,，、;；:：]*"
LINE_RE = re.compile(
    rf"^\s*(?P<first>{_DATE})(?:\s*(?:至|到|~|～|—|－－|--)\s*(?P<last>{_DATE}))?"
    rf"{_SEP}(?P<kind>{_KIND})(?:{_SEP}(?P<note>.*?))?\s*$"
)
DATE_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$|^\s*(\d{4})(\d{2})(\d{2})\s*$")
RANGE_RE = re.compile(rf"^\s*(?P<first>{_DATE})\s*(?:至|到|~|～|—|－－|--)\s*(?P<last>{_DATE})\s*$")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


@dataclass(frozen=True)
class DayEntry:
    day: date
    workday: bool  # True = 班 (a make-up working day), False = 休 (a holiday)
    note: str | None


@dataclass(frozen=True)
class DayInput:
    first: date
    last: date
    workday: bool
    note: str | None

    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]


@dataclass(frozen=True)
class YearStatus:
    year: int
    package_knows: bool  # chinesecalendar has the State Council's schedule for this year
    confirmed: bool  # an admin said the year's days are all entered
    confirmed_by: str | None
    confirmed_at: datetime | None
    holidays: int  # override days of the year: 休
    workdays: int  # and 班

    @property
    def overrides(self) -> int:
        return self.holidays + self.workdays

    @property
    def provisional(self) -> bool:
        """Deadlines counted over this year are guesses (Mon–Fri) until it is entered and confirmed."""
        return not (self.package_knows or self.confirmed)


@dataclass(frozen=True)
class DaysSaved:
    count: int
    years: tuple[int, ...]
    entries: tuple[DayEntry, ...]


# --- reading what people type --------------------------------------------------------------------


def parse_date(text: str) -> date | None:
    """2027-01-01, 2027/1/1, 2027.1.1, 2027年1月1日, 20270101 → a date; None if it is not one."""
    match = DATE_RE.match(text or "")
    if not match:
        return None
    y, m, d = (int(g) for g in (match.groups()[:3] if match.group(1) else match.groups()[3:]))
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _kind(word: str) -> bool | None:
    word = word.strip()
    if word in HOLIDAY_WORDS:
        return False
    if word in WORKDAY_WORDS:
        return True
    return None


def _check_days(first_text: str, last_text: str | None) -> tuple[date, date]:
    first = parse_date(first_text)
    if first is None:
        raise InvalidInput(texts.CAL_ERR_DATE.format(text=first_text.strip()))
    last = first
    if last_text:
        last = parse_date(last_text)
        if last is None:
            raise InvalidInput(texts.CAL_ERR_DATE.format(text=last_text.strip()))
        if last < first:
            raise InvalidInput(texts.CAL_ERR_RANGE_ORDER)
        if (last - first).days + 1 > MAX_RANGE_DAYS:
            raise InvalidInput(texts.CAL_ERR_RANGE_LONG.format(days=MAX_RANGE_DAYS))
    if not 2000 <= first.year <= 2100 or not 2000 <= last.year <= 2100:
        raise InvalidInput(texts.CAL_ERR_YEAR)
    return first, last


def _clean_note(note: str | None) -> str | None:
    note = " ".join((note or "").split()) or None
    if note is not None and len(note) > NOTE_MAX:
        raise InvalidInput(texts.CAL_ERR_NOTE.format(limit=NOTE_MAX))
    return note


def parse_line(text: str) -> DayInput:
    """"2027-01-01 休 元旦", "2027-02-07 班 春节调休", "2027-02-10至2027-02-17 休 春节"."""
    line = (text or "").translate(_INVISIBLE).strip()
    match = LINE_RE.match(line)
    if not match:
        lead = re.match(rf"^\s*({_DATE})", line)
        if lead and parse_date(lead.group(1)) is None:
            raise InvalidInput(texts.CAL_ERR_DATE.format(text=lead.group(1).strip()))
        raise InvalidInput(texts.CAL_ERR_LINE.format(line=line[:40]))
    first, last = _check_days(match.group("first"), match.group("last"))
    return DayInput(first, last, bool(_kind(match.group("kind"))), _clean_note(match.group("note")))


# --- what the calendar holds ---------------------------------------------------------------------


def _year_days(session: Session, year: int) -> list[CalendarDay]:
    stmt = (
        select(CalendarDay)
        .where(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
        .order_by(col(CalendarDay.day))
    )
    return list(session.exec(stmt))


def year_status(session: Session, *, year: int) -> YearStatus:
    days = _year_days(session, year)
    confirmed = session.get(CalendarYear, year)
    by = session.get(Person, confirmed.confirmed_by_id) if confirmed and confirmed.confirmed_by_id else None
    return YearStatus(
        year=year,
        package_knows=package_knows(year),
        confirmed=confirmed is not None,
        confirmed_by=by.name if by else None,
        confirmed_at=confirmed.confirmed_at if confirmed else None,
        holidays=sum(1 for d in days if not d.workday),
        workdays=sum(1 for d in days if d.workday),
    )


def list_days(session: Session, *, year: int) -> list[DayEntry]:
    return [DayEntry(d.day, d.workday, d.note) for d in _year_days(session, year)]


# --- changes -------------------------------------------------------------------------------------


def _actor(session: Session, actor_id: int):
    actor = people.get(session, person_id=actor_id)
    require(actor.roles, MANAGE_CALENDAR)
    return actor


def _put(session: Session, *, day: date, workday: bool, note: str | None, actor_id: int, now: datetime) -> DayEntry:
    row = session.get(CalendarDay, day)
    if row is None:
        row = CalendarDay(day=day, workday=workday, note=note, set_by_id=actor_id, set_at=now)
    else:
        row.workday, row.note, row.set_by_id, row.set_at = workday, note, actor_id, now
    session.add(row)
    return DayEntry(day, workday, note)


def _apply(session: Session, *, actor_id: int, inputs: list[DayInput], now: datetime, action: str) -> DaysSaved:
    entries: dict[date, DayEntry] = {}
    for item in inputs:
        for day in item.days():
            entries[day] = _put(session, day=day, workday=item.workday, note=item.note, actor_id=actor_id, now=now)
    session.flush()
    years = tuple(sorted({d.year for d in entries}))
    ordered = tuple(entries[d] for d in sorted(entries))
    audit.record(
        session, actor_id=actor_id, action=action, subject_type="calendar", subject_id=years[0] if years else None,
        now=now, days={d.day.isoformat(): ("班" if d.workday else "休") + (f" {d.note}" if d.note else "")
                       for d in ordered[:400]},
    )
    return DaysSaved(count=len(ordered), years=years, entries=ordered)


def set_day(session: Session, *, actor_id: int, day: date, workday: bool, note: str | None, now: datetime,
            last_day: date | None = None) -> DaysSaved:
    """Mark a day (or the days from `day` to `last_day`) as 休 or 班, replacing what was there."""
    actor = _actor(session, actor_id)
    first, last = _check_days(day.isoformat(), last_day.isoformat() if last_day else None)
    item = DayInput(first, last, workday, _clean_note(note))
    return _apply(session, actor_id=actor.id, inputs=[item], now=now, action="calendar.set")


def enter_days(session: Session, *, actor_id: int, text: str, now: datetime) -> DaysSaved:
    """What an admin typed: one day (or range) per line. All lines are saved, or none."""
    actor = _actor(session, actor_id)
    lines = [line for line in (text or "").splitlines() if line.strip()]
    if not lines:
        raise InvalidInput(texts.CAL_ERR_LINE.format(line=""))
    if len(lines) > MAX_TYPED_LINES:
        raise InvalidInput(texts.CAL_ERR_TOO_MANY_LINES.format(limit=MAX_TYPED_LINES))
    if len(lines) == 1:
        return _apply(session, actor_id=actor.id, inputs=[parse_line(lines[0])], now=now, action="calendar.set")
    inputs, errors = [], []
    for number, line in enumerate(lines, start=1):
        try:
            inputs.append(parse_line(line))
        except InvalidInput as exc:
            errors.append(texts.CAL_ERR_ROW.format(row=number, error=exc.message))
    if errors:
        raise InvalidInput(texts.CAL_ERR_NOTHING_SAVED.format(errors="\n".join(errors[:MAX_ERRORS_SHOWN])))
    return _apply(session, actor_id=actor.id, inputs=inputs, now=now, action="calendar.set")


def remove_day(session: Session, *, actor_id: int, day: date, now: datetime) -> DayEntry:
    """Back to what chinesecalendar says (or Mon–Fri for a year it does not know)."""
    actor = _actor(session, actor_id)
    row = session.get(CalendarDay, day)
    if row is None:
        raise NotFound(texts.CAL_ERR_NOT_SET.format(day=day.isoformat()))
    entry = DayEntry(row.day, row.workday, row.note)
    session.delete(row)
    audit.record(session, actor_id=actor.id, action="calendar.remove", subject_type="calendar",
                 subject_id=day.year, now=now, day=day.isoformat(), workday=entry.workday, note=entry.note)
    return entry


def import_days(session: Session, *, actor_id: int, rows: list[tuple[int, str, str, str]], now: datetime) -> DaysSaved:
    """A year's official schedule from a file: rows of (row number, 日期, 类型 休/班, 说明).
    Every row is checked first; one bad row and nothing is written, each problem named by its row."""
    actor = _actor(session, actor_id)
    if not rows:
        raise InvalidInput(texts.CAL_ERR_EMPTY_FILE)
    inputs, errors = [], []
    seen: dict[date, int] = {}
    for number, day_text, kind_text, note_text in rows:
        problems = []
        first = last = None
        day_text = (day_text or "").strip()
        if not day_text:
            problems.append(texts.CAL_ERR_NO_DATE)
        else:
            ranged = RANGE_RE.match(day_text)
            try:
                first, last = _check_days(*(ranged.group("first", "last") if ranged else (day_text, None)))
            except InvalidInput as exc:
                problems.append(exc.message)
        workday = _kind(kind_text or "")
        if workday is None:
            problems.append(texts.CAL_ERR_KIND.format(text=(kind_text or "").strip()))
        try:
            note = _clean_note(note_text)
        except InvalidInput as exc:
            problems.append(exc.message)
        if first is not None and not problems:
            item = DayInput(first, last, workday, note)
            for day in item.days():
                if day in seen:
                    problems.append(texts.CAL_ERR_DUPLICATE.format(day=day.isoformat(), row=seen[day]))
                    break
            else:
                seen.update(dict.fromkeys(item.days(), number))
                inputs.append(item)
        errors += [texts.CAL_ERR_ROW.format(row=number, error=p) for p in problems]
    if errors:
        more = len(errors) - MAX_ERRORS_SHOWN
        shown = "\n".join(errors[:MAX_ERRORS_SHOWN]) + (texts.CAL_ERR_MORE.format(n=more) if more > 0 else "")
        raise InvalidInput(texts.CAL_ERR_NOTHING_SAVED.format(errors=shown))
    return _apply(session, actor_id=actor.id, inputs=inputs, now=now, action="calendar.import")


def confirm_year(session: Session, *, actor_id: int, year: int, now: datetime, policy: DeadlinePolicy) -> int:
    """The year's official days are all in: stop guessing Mon–Fri for it and recount every provisional
    deadline. Returns how many deadlines were recomputed."""
    actor = _actor(session, actor_id)
    if package_knows(year):
        raise InvalidInput(texts.CAL_ERR_PACKAGE_KNOWS.format(year=year))
    if session.get(CalendarYear, year) is not None:
        raise InvalidInput(texts.CAL_ERR_CONFIRMED.format(year=year))
    status = year_status(session, year=year)
    if status.holidays == 0:
        raise InvalidInput(texts.CAL_ERR_NO_HOLIDAYS.format(year=year))
    session.add(CalendarYear(year=year, confirmed_by_id=actor.id, confirmed_at=now))
    session.flush()
    count = deadlines.recompute_provisional(session, now=now, policy=policy)
    audit.record(session, actor_id=actor.id, action="calendar.confirm", subject_type="calendar", subject_id=year,
                 now=now, holidays=status.holidays, workdays=status.workdays, recomputed=count)
    return count


# --- spreadsheets: one table from .xlsx or .csv, and the templates --------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return str(value).translate(_INVISIBLE).strip()


def _xlsx_rows(data: bytes) -> list[tuple[int, list[str]]]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise InvalidInput(texts.TABLE_UNREADABLE_XLSX) from None
    try:
        for ws in wb.worksheets:
            if ws.title.strip() == texts.TABLE_GUIDE_SHEET:
                continue
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # trust the cells, not the (often wrong) stored size
            rows = []
            for number, values in enumerate(ws.iter_rows(max_col=MAX_COLS, values_only=True), start=1):
                if number > MAX_SCAN_ROWS:
                    raise InvalidInput(texts.TABLE_TOO_MANY_ROWS.format(limit=MAX_ROWS))
                cells = [_cell_text(v) for v in values]
                if any(cells):
                    rows.append((number, cells))
            if rows:
                return rows
        return []
    except InvalidInput:
        raise
    except Exception:
        raise InvalidInput(texts.TABLE_UNREADABLE_XLSX) from None
    finally:
        wb.close()


def _decode(data: bytes) -> str:
    encodings = ("utf-16",) if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise InvalidInput(texts.TABLE_BAD_ENCODING)


def _csv_rows(data: bytes) -> list[tuple[int, list[str]]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    rows = []
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            if number > MAX_SCAN_ROWS:
                raise InvalidInput(texts.TABLE_TOO_MANY_ROWS.format(limit=MAX_ROWS))
            cells = [_cell_text(v) for v in values[:MAX_COLS]]
            if any(cells):
                rows.append((number, cells))
    except csv.Error:
        raise InvalidInput(texts.TABLE_BAD_CSV) from None
    return rows


def _header_key(text: str) -> str:
    """「类型（休/班）」, 「日期*」, 「 值班人员 」 → the column's name."""
    return re.sub(r"[（(].*?[）)]|[\s*＊:：]", "", text)


def read_table(data: bytes, filename: str, columns: tuple[str, ...],
               required: tuple[str, ...] = ()) -> list[tuple[int, dict[str, str]]]:
    """The first table of an .xlsx (the 说明 sheet is skipped) or a .csv: rows of
    (spreadsheet row number, {column: cell text, "" if the column is absent}) under a header row
    naming the `required` columns; blank rows are left out."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(texts.TABLE_TOO_BIG.format(mb=MAX_BYTES // (1024 * 1024)))
    name = (filename or "").strip().lower()
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    if data.startswith(b"PK\x03\x04") or ext in ("xlsx", "xlsm"):
        rows = _xlsx_rows(data)
    elif data.startswith(b"\xd0\xcf\x11\xe0") or ext in ("xls", "et"):
        raise InvalidInput(texts.TABLE_OLD_FORMAT)
    elif ext in ("csv", "txt"):
        rows = _csv_rows(data)
    else:
        raise InvalidInput(texts.TABLE_BAD_TYPE)
    if not rows:
        raise InvalidInput(texts.TABLE_EMPTY)
    (header_row, header), body = rows[0], rows[1:]
    positions: dict[str, int] = {}
    for i, cell in enumerate(header):
        key = _header_key(cell)
        if key in columns and key not in positions:
            positions[key] = i
    missing = [c for c in required if c not in positions]
    if missing:
        raise InvalidInput(texts.TABLE_BAD_HEADER.format(
            row=header_row, columns="、".join(columns), missing="」「".join(missing)))
    records = []
    for number, cells in body:
        record = {c: (cells[positions[c]] if c in positions and positions[c] < len(cells) else "") for c in columns}
        if any(record.values()):
            records.append((number, record))
    if not records:
        raise InvalidInput(texts.TABLE_NO_ROWS)
    if len(records) > MAX_ROWS:
        raise InvalidInput(texts.TABLE_TOO_MANY_ROWS.format(limit=MAX_ROWS))
    return records


def _template(sheet: str, headers: tuple[str, ...], widths: tuple[int, ...], notes: list[str],
              examples: list[tuple[str, ...]]) -> bytes:
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(headers))
    for i, width in enumerate(widths, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font, cell.fill = bold, fill
        ws.column_dimensions[cell.column_letter].width = width
        ws.column_dimensions[cell.column_letter].number_format = "@"  # dates stay as typed
    ws.freeze_panes = "A2"
    guide = wb.create_sheet(texts.TABLE_GUIDE_SHEET)
    for line in notes:
        guide.append([line])
    guide.append([])
    guide.append([texts.TABLE_EXAMPLE_TITLE.format(sheet=sheet)])
    guide.append(list(headers))
    for cell in guide[guide.max_row]:
        cell.font = bold
    for example in examples:
        guide.append(list(example))
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 22
    guide.column_dimensions["C"].width = 16
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


CALENDAR_COLUMNS = ("日期", "类型", "说明")
ROSTER_COLUMNS = ("日期", "值班人员", "带班领导")


def calendar_template_xlsx() -> bytes:
    return _template(texts.CAL_TEMPLATE_SHEET, ("日期", "类型（休/班）", "说明"), (26, 14, 20),
                     texts.CAL_TEMPLATE_NOTES, texts.CAL_TEMPLATE_EXAMPLES)


def roster_template_xlsx() -> bytes:
    return _template(texts.DUTY_TEMPLATE_SHEET, ROSTER_COLUMNS, (14, 28, 14),
                     texts.DUTY_TEMPLATE_NOTES, texts.DUTY_TEMPLATE_EXAMPLES)


def calendar_rows(data: bytes, filename: str) -> list[tuple[int, str, str, str]]:
    """A calendar file as rows for import_days."""
    return [(n, r["日期"], r["类型"], r["说明"]) for n, r in read_table(data, filename, CALENDAR_COLUMNS, ("日期", "类型"))]


def roster_rows(data: bytes, filename: str) -> list[tuple[int, str, str, str]]:
    """A roster file as rows for alerts.import_roster; dates written any usual way become 2026-12-01."""
    rows = []
    for number, r in read_table(data, filename, ROSTER_COLUMNS, ("日期", "值班人员")):
        day = parse_date(r["日期"])
        rows.append((number, day.isoformat() if day else r["日期"], r["值班人员"], r["带班领导"]))
    return rows
