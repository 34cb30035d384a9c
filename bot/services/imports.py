"""Bulk import of villages/communities, grids, member units and people from a workbook.

An admin downloads the template (/template), fills it in Excel or WPS and sends it back as
.xlsx, or sends one sheet saved as .csv. Every row of every sheet is checked first: if anything
is wrong nothing is written and every problem is reported with its sheet and row number, so one
round of corrections is enough. Re-sending the same file is harmless: what exists is skipped.
Imported people have no Telegram account yet; they bind later by sharing their phone number.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.services import audit, identity, people
from bot.services.access import MANAGE_PEOPLE, PRIVILEGED_ONLY_DIRECTOR, may_grant, require
from bot.services.errors import DomainError, InvalidInput
from bot.services.places import clean_name, village_kind
from bot.texts import ROLE_LABELS, ROLE_ORDER
from models import ContactPoint, Grid, Person, Role, Unit, Village

VILLAGES, GRIDS, UNITS, PEOPLE = "村社区", "网格", "单位", "人员"
SHEETS: dict[str, tuple[str, ...]] = {
    VILLAGES: ("名称", "类型"),
    GRIDS: ("村社区", "网格名称"),
    UNITS: ("名称", "类型"),
    PEOPLE: ("姓名", "手机号", "身份", "村社区", "网格", "单位", "联系点"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    VILLAGES: ("名称",),
    GRIDS: ("村社区", "网格名称"),
    UNITS: ("名称",),
    PEOPLE: ("姓名", "手机号", "身份"),
}
GUIDE_SHEET = "说明"
DEFAULT_UNIT_KIND = "成员单位"

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000  # data rows, all sheets together
MAX_SCAN_ROWS = 100_000  # rows read including blank ones (a stray cell far down the sheet)
MAX_COLS = 30
_TOO_MANY_ROWS = "数据太多：一个文件最多 {limit} 行，请分成几个文件导入。"

_ROLE_BY_TEXT: dict[str, Role] = {label: role for role, label in ROLE_LABELS.items()} | {
    role.value: role for role in Role
}
_ROLE_HINT = "、".join(ROLE_LABELS[r] for r in ROLE_ORDER)
_ROLE_SPLIT = re.compile(r"[、，,;；/／\s]+")
_LIST_SPLIT = re.compile(r"[、，,;；\s]+")
_INTEGRAL = re.compile(r"^\d+\.0+$")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))

_TEMPLATE_HINT = "建议发送 /template 下载模板，按模板填写。"
_UNREADABLE_XLSX = "无法读取这个 Excel 文件，可能已损坏。请在 Excel/WPS 中「另存为」.xlsx 后再发送。"
_OLD_FORMAT = "这是旧版 .xls 格式（或设置了打开密码的文件），无法读取。请在 Excel/WPS 中「另存为」.xlsx（不设密码）后再发送。"
_UNSUPPORTED = "只能导入 .xlsx 或 .csv 文件。" + _TEMPLATE_HINT


@dataclass(frozen=True)
class ImportRowError:
    sheet: str
    row: int
    message: str

    def __str__(self) -> str:
        return f"「{self.sheet}」第 {self.row} 行：{self.message}"


class ImportRejected(DomainError):
    """The file had errors; nothing was written. `errors` lists every one, in sheet and row order."""

    def __init__(self, errors: list[ImportRowError]):
        self.errors = list(errors)
        super().__init__(f"文件中有 {len(self.errors)} 处错误，本次没有导入任何数据。请改正后重新发送。")


@dataclass(frozen=True)
class ImportResult:
    villages: int
    grids: int
    units: int
    people: int
    skipped: int


Rows = list[tuple[int, dict[str, str]]]


# --- the template ------------------------------------------------------------------------------

_WIDTHS = {
    VILLAGES: (20, 10),
    GRIDS: (20, 20),
    UNITS: (26, 14),
    PEOPLE: (12, 16, 26, 16, 16, 22, 30),
}

# (sheet, column, required?, what to write, example)
_GUIDE = [
    (VILLAGES, "名称", "必填", "村或社区的全称，不能重复", "东山村"),
    (VILLAGES, "类型", "可不填", "村 或 社区；不填时名称以“社区”结尾的为社区，其余为村", "村"),
    (GRIDS, "村社区", "必填", "网格所属的村社区：本文件「村社区」表里的，或系统中已有的", "东山村"),
    (GRIDS, "网格名称", "必填", "同一村社区内不能重名", "第一网格"),
    (UNITS, "名称", "必填", "成员单位全称，不能重复", "镇派出所"),
    (UNITS, "类型", "可不填", "不填为“成员单位”", "成员单位"),
    (PEOPLE, "姓名", "必填", "2–20 个汉字或字母", "张伟"),
    (PEOPLE, "手机号", "必填", "1 开头的 11 位手机号，不能重复；本人凭它在机器人里验证身份", "13800138000"),
    (PEOPLE, "身份", "必填", f"可填多个，用顿号隔开。可填：{_ROLE_HINT}", "网格员"),
    (PEOPLE, "村社区", "网格员必填", "所在的村社区", "东山村"),
    (PEOPLE, "网格", "网格员必填", "所在网格，须是上一列村社区下的网格", "第一网格"),
    (PEOPLE, "单位", "承办单位联络人必填", "所在单位，须是「单位」表里的或系统中已有的", "镇派出所"),
    (PEOPLE, "联系点", "可不填", "负责联系的村社区，多个用顿号隔开", "东山村、西岭村"),
]

_EXAMPLES = {
    VILLAGES: [("东山村", "村"), ("新桥社区", "")],
    GRIDS: [("东山村", "第一网格"), ("新桥社区", "第一网格")],
    UNITS: [("镇派出所", ""), ("镇司法所", "成员单位")],
    PEOPLE: [
        ("刘建国", "13800138001", "中心领导", "", "", "", "东山村、西岭村"),
        ("张伟", "13800138002", "网格员", "东山村", "第一网格", "", ""),
        ("赵强", "13800138003", "承办单位联络人", "", "", "镇派出所", ""),
    ],
}

_NOTES = [
    "1. 在「村社区」「网格」「单位」「人员」四张表中，从第 2 行起每行填一条；第 1 行表头不要改动，用不到的表留空即可。",
    "2. 填好后把这个 .xlsx 文件直接发给机器人。也可以把其中一张表另存为 .csv 发送。本「说明」表不会被导入。",
    "3. 机器人会先逐行检查：只要有一处错误，整个文件都不导入，并列出每处错误所在的表和行号；改正后重新发送即可。",
    "4. 已有的村社区、网格、单位，以及手机号和姓名都相同的人员会自动跳过，重复发送同一个文件不会重复导入。",
    "5. 导入的人员不需要邀请码：本人打开机器人，点「验证手机号」共享自己的手机号即可使用。",
    f"6. 一个文件最多 {MAX_ROWS} 行数据，大小不超过 5 MB。",
]


def template_xlsx() -> bytes:
    """The workbook admins fill in: four data sheets with headers only, and a 说明 sheet."""
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    example_font = Font(italic=True, color="808080")
    wb = Workbook()
    wb.remove(wb.active)
    for sheet, headers in SHEETS.items():
        ws = wb.create_sheet(sheet)
        ws.append(list(headers))
        for i, header in enumerate(headers):
            cell = ws.cell(row=1, column=i + 1)
            cell.font, cell.fill = bold, header_fill
            letter = cell.column_letter
            ws.column_dimensions[letter].width = _WIDTHS[sheet][i]
            if header == "手机号":
                # Text, so Excel keeps 11 digits instead of showing 1.38E+10.
                ws.column_dimensions[letter].number_format = "@"
        ws.freeze_panes = "A2"
        if sheet == VILLAGES:
            dv = DataValidation(type="list", formula1='"村,社区"', allow_blank=True, showErrorMessage=True,
                                errorTitle="类型", error="类型只能填「村」或「社区」，也可以不填。")
            ws.add_data_validation(dv)
            dv.add("B2:B2000")

    guide = wb.create_sheet(GUIDE_SHEET)
    guide.append(["批量导入说明"])
    guide["A1"].font = Font(bold=True, size=14)
    for line in _NOTES:
        guide.append([line])
    guide.append([])
    guide.append(["表", "列", "是否必填", "填写要求", "示例"])
    for cell in guide[guide.max_row]:
        cell.font, cell.fill = bold, header_fill
    for row in _GUIDE:
        guide.append(list(row))
    for sheet, examples in _EXAMPLES.items():
        guide.append([])
        guide.append([f"「{sheet}」表填写示例（请填在「{sheet}」表里，不要填在这里）："])
        guide.cell(row=guide.max_row, column=1).font = bold
        guide.append(list(SHEETS[sheet]))
        for cell in guide[guide.max_row]:
            cell.font = bold
        for example in examples:
            guide.append(list(example))
            for cell in guide[guide.max_row]:
                cell.font = example_font
    for letter, width in zip("ABCDE", (14, 14, 18, 60, 18), strict=True):
        guide.column_dimensions[letter].width = width

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- reading a file ------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    text = str(value).translate(_INVISIBLE).strip()
    if _INTEGRAL.match(text):  # 13800138000.0 written out by a program as text
        text = text.split(".", 1)[0]
    return text


def _norm_sheet(title: str) -> str:
    return re.sub(r"[\s（）()/／、]", "", title)


def _header_key(text: str, allowed: tuple[str, ...]) -> str | None:
    """Match a header cell, forgiving 「手机号*」, 「村（社区）」 and 「类型（村/社区）」."""
    text = re.sub(r"[\s*＊]", "", text)
    for candidate in (text, re.sub(r"[（）()/／、]", "", text), re.sub(r"[（(].*?[）)]", "", text)):
        if candidate in allowed:
            return candidate
    return None


def _fits(sheet: str, headers: list[str]) -> bool:
    keys = [_header_key(h, SHEETS[sheet]) for h in headers if h]
    return None not in keys and set(REQUIRED[sheet]) <= set(keys)


def _guess_named_sheet(hint: str, header: list[str], body: list[tuple[int, list[str]]]) -> str | None:
    """村社区 and 单位 have the same columns (名称, 类型): tell them apart by name, then by content."""
    hint = _norm_sheet(hint)
    if "单位" in hint:
        return UNITS
    if "村" in hint or "社区" in hint:
        return VILLAGES
    keys = [_header_key(h, SHEETS[VILLAGES]) for h in header]
    rows = [dict(zip(keys, cells, strict=False)) for _, cells in body]
    kinds = {r.get("类型") for r in rows} - {None, ""}
    if kinds and kinds <= {"村", "社区"}:
        return VILLAGES
    if kinds and not kinds & {"村", "社区"}:
        return UNITS
    names = [r["名称"] for r in rows if r.get("名称")]
    if names and all(n.endswith(("村", "社区")) for n in names):
        return VILLAGES
    if names and not any(n.endswith(("村", "社区")) for n in names):
        return UNITS
    return None


def _identify(title: str, hint: str, header: list[str], body: list[tuple[int, list[str]]]) -> str:
    """Which of the four sheets a table is: by its sheet name, else by its header row."""
    known = _norm_sheet(title)
    if known in SHEETS:
        return known
    fits = [s for s in SHEETS if _fits(s, header)]
    if len(fits) == 1:
        return fits[0]
    if set(fits) == {VILLAGES, UNITS}:
        sheet = _guess_named_sheet(hint, header, body)
        if sheet:
            return sheet
        raise InvalidInput(
            f"分不清「{hint}」是「村社区」表还是「单位」表（两者的列相同）。"
            "请把工作表或文件名改为「村社区」或「单位」后再发送。"
        )
    shown = "、".join(h for h in header if h)[:60]
    if title:
        raise InvalidInput(
            f"不认识工作表「{title}」（表头：{shown}）。工作表名应为：{'、'.join(SHEETS)}；"
            f"「{GUIDE_SHEET}」表会被忽略。{_TEMPLATE_HINT}"
        )
    raise InvalidInput(
        f"不认识这个 CSV 文件的表头（{shown}）。第 1 行应为某张表的表头，"
        f"例如「{','.join(SHEETS[PEOPLE])}」。{_TEMPLATE_HINT}"
    )


def _records(sheet: str, header_row: int, header: list[str], body: list[tuple[int, list[str]]]) -> Rows:
    allowed = SHEETS[sheet]
    columns: dict[int, str] = {}
    for i, text in enumerate(header):
        if not text:
            continue
        key = _header_key(text, allowed)
        if key is None:
            raise InvalidInput(
                f"「{sheet}」表第 {header_row} 行有不认识的列「{text}」。这张表的列为：{'、'.join(allowed)}。"
            )
        if key in columns.values():
            raise InvalidInput(f"「{sheet}」表的「{key}」列出现了两次，请删掉一列。")
        columns[i] = key
    missing = [h for h in REQUIRED[sheet] if h not in columns.values()]
    if missing:
        raise InvalidInput(
            f"「{sheet}」表缺少「{'」「'.join(missing)}」列。这张表的列为：{'、'.join(allowed)}。"
        )
    rows: Rows = []
    for number, cells in body:
        record = dict.fromkeys(allowed, "")
        for i, key in columns.items():
            if i < len(cells):
                record[key] = cells[i]
        if any(record.values()):
            rows.append((number, record))
    return rows


def _read_xlsx(data: bytes) -> list[tuple[str, list[tuple[int, list[str]]]]]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise InvalidInput(_UNREADABLE_XLSX) from None
    tables = []
    scanned = data_rows = 0
    try:
        for ws in wb.worksheets:
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # trust the cells, not the (often wrong) stored size
            rows = []
            counted = _norm_sheet(ws.title) != GUIDE_SHEET
            for number, values in enumerate(ws.iter_rows(max_col=MAX_COLS, values_only=True), start=1):
                scanned += 1
                if scanned > MAX_SCAN_ROWS:
                    raise InvalidInput(f"表格行数太多，一个文件最多 {MAX_ROWS} 行数据，请分成几个文件导入。")
                cells = [_cell_text(v) for v in values]
                if any(cells):
                    rows.append((number, cells))
                    # Stop as soon as the data rows (all but each sheet's header) pass the limit.
                    data_rows += 1 if counted and len(rows) > 1 else 0
                    if data_rows > MAX_ROWS:
                        raise InvalidInput(_TOO_MANY_ROWS.format(limit=MAX_ROWS))
            tables.append((ws.title, rows))
    except InvalidInput:
        raise
    except Exception:
        raise InvalidInput(_UNREADABLE_XLSX) from None
    finally:
        wb.close()
    return tables


def _decode_csv(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's 「Unicode 文本」
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")  # Chinese Excel saves CSV as GB18030/GBK
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise InvalidInput("无法识别这个 CSV 文件的编码或内容。请在 Excel/WPS 中另存为 .xlsx 或 CSV（UTF-8）后再发送。")


def _read_csv(data: bytes) -> list[tuple[int, list[str]]]:
    text = _decode_csv(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = []
        for number, values in enumerate(reader, start=1):
            if number > MAX_SCAN_ROWS:
                raise InvalidInput(f"表格行数太多，一个文件最多 {MAX_ROWS} 行数据，请分成几个文件导入。")
            cells = [_cell_text(v) for v in values[:MAX_COLS]]
            if any(cells):
                rows.append((number, cells))
                if len(rows) > MAX_ROWS + 1:  # the header and MAX_ROWS data rows
                    raise InvalidInput(_TOO_MANY_ROWS.format(limit=MAX_ROWS))
    except csv.Error:
        raise InvalidInput("CSV 文件格式有误（可能有未配对的引号）。请在 Excel/WPS 中另存为 .xlsx 后再发送。") from None
    return rows


def parse_file(data: bytes, filename: str) -> dict[str, Rows]:
    """Every data sheet as [(spreadsheet row number, {header: cell text})], blank rows left out.

    Always returns all four sheets (empty lists for the ones the file lacks).
    """
    if len(data) > MAX_BYTES:
        raise InvalidInput("文件太大：不能超过 5 MB。请分成几个文件导入。")
    name = (filename or "").strip()
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    if data.startswith(b"PK\x03\x04") or ext in ("xlsx", "xlsm"):
        tables = [(title, title, rows) for title, rows in _read_xlsx(data)]
    elif data.startswith(b"\xd0\xcf\x11\xe0") or ext in ("xls", "et"):
        raise InvalidInput(_OLD_FORMAT)
    elif ext in ("csv", "txt"):
        tables = [("", stem, _read_csv(data))]
    else:
        raise InvalidInput(_UNSUPPORTED)

    result: dict[str, Rows] = {sheet: [] for sheet in SHEETS}
    seen: dict[str, str] = {}
    total = 0
    for title, hint, rows in tables:
        if _norm_sheet(title) == GUIDE_SHEET or not rows:
            continue
        (header_row, header), body = rows[0], rows[1:]
        sheet = _identify(title, hint, header, body)
        if sheet in seen:
            raise InvalidInput(f"工作表「{seen[sheet]}」和「{title}」都是「{sheet}」表，请合并成一张再发送。")
        seen[sheet] = title or sheet
        result[sheet] = _records(sheet, header_row, header, body)
        total += len(result[sheet])
        if total > MAX_ROWS:
            raise InvalidInput(_TOO_MANY_ROWS.format(limit=MAX_ROWS))
    return result


# --- checking and applying ---------------------------------------------------------------------


@dataclass
class _NewPerson:
    name: str
    phone: str
    roles: set[Role]
    village: str | None
    grid: str | None
    unit: str | None
    contacts: list[str]


@dataclass
class _Plan:
    villages: list[tuple[str, str]] = field(default_factory=list)  # (name, kind)
    grids: list[tuple[str, str]] = field(default_factory=list)  # (village name, grid name)
    units: list[tuple[str, str]] = field(default_factory=list)  # (name, kind)
    people: list[_NewPerson] = field(default_factory=list)
    skipped: int = 0


class _Checker:
    def __init__(self, session: Session, actor_roles: frozenset[Role] = frozenset()):
        self.actor_roles = actor_roles
        self.errors: list[ImportRowError] = []
        self.plan = _Plan()
        self.db_villages = {v.name: v for v in session.exec(select(Village))}
        self.db_units = {u.name: u for u in session.exec(select(Unit))}
        names = {v.id: v.name for v in self.db_villages.values()}
        self.db_grids = {(names[g.village_id], g.name): g for g in session.exec(select(Grid))}
        self.db_phones: dict[str, list[str]] = {}
        for person in session.exec(select(Person).where(col(Person.phone).is_not(None))):
            self.db_phones.setdefault(person.phone, []).append(person.name)
        # Names listed in this file (valid names only, so one bad row does not cause a cascade).
        self.file_villages: set[str] = set()
        self.file_grids: set[tuple[str, str]] = set()
        self.file_units: set[str] = set()
        self._sheet = ""
        self._row = 0

    def error(self, message: str) -> None:
        self.errors.append(ImportRowError(self._sheet, self._row, message))

    def at(self, sheet: str, row: int) -> None:
        self._sheet, self._row = sheet, row

    def clean(self, text: str, what: str, column: str) -> str | None:
        if not text:
            self.error(f"请填写「{column}」。")
            return None
        try:
            return clean_name(text, what)
        except InvalidInput as exc:
            self.error(exc.message)
            return None

    # references -------------------------------------------------------------------------------
    def village(self, name: str, column: str) -> str | None:
        name = " ".join(name.split())
        existing = self.db_villages.get(name)
        if existing is not None:
            if not existing.active:
                self.error(f"「{column}」中的「{name}」已停用，请核对。")
                return None
            return name
        if name in self.file_villages:
            return name
        self.error(f"「{column}」中的「{name}」不存在：请先在「村社区」表中添加，或核对名称。")
        return None

    def grid(self, village: str, name: str) -> str | None:
        name = " ".join(name.split())
        key = (village, name)
        if key in self.db_grids or key in self.file_grids:
            return name
        elsewhere = sorted({v for v, g in (*self.db_grids, *self.file_grids) if g == name})
        if elsewhere:
            self.error(f"「{village}」没有叫「{name}」的网格（{'、'.join(elsewhere)} 有），请核对村社区和网格。")
        else:
            self.error(f"「{village}」没有叫「{name}」的网格：请先在「网格」表中添加，或核对名称。")
        return None

    def unit(self, name: str) -> str | None:
        name = " ".join(name.split())
        existing = self.db_units.get(name)
        if existing is not None:
            if not existing.active:
                self.error(f"单位「{name}」已停用，请核对。")
                return None
            return name
        if name in self.file_units:
            return name
        self.error(f"单位「{name}」不存在：请先在「单位」表中添加，或核对名称。")
        return None

    # sheets -----------------------------------------------------------------------------------
    def villages(self, rows: Rows) -> None:
        seen: dict[str, int] = {}
        for number, rec in rows:
            self.at(VILLAGES, number)
            before = len(self.errors)
            name = self.clean(rec["名称"], "村（社区）", "名称")
            kind = rec["类型"] or (village_kind(name) if name else "")
            if kind not in ("村", "社区"):
                self.error("「类型」只能填「村」或「社区」，也可以不填。")
            if name is None:
                continue
            if name in seen:
                self.error(f"与第 {seen[name]} 行重复：「{name}」。")
                continue
            seen[name] = number
            self.file_villages.add(name)
            if len(self.errors) > before:
                continue
            if name in self.db_villages:
                self.plan.skipped += 1
            else:
                self.plan.villages.append((name, kind))

    def grids(self, rows: Rows) -> None:
        seen: dict[tuple[str, str], int] = {}
        for number, rec in rows:
            self.at(GRIDS, number)
            before = len(self.errors)
            village = None
            if rec["村社区"]:
                village = self.village(rec["村社区"], "村社区")
            else:
                self.error("请填写「村社区」。")
            name = self.clean(rec["网格名称"], "网格", "网格名称")
            if village is None or name is None:
                continue
            key = (village, name)
            if key in seen:
                self.error(f"与第 {seen[key]} 行重复：{village}「{name}」。")
                continue
            seen[key] = number
            self.file_grids.add(key)
            if len(self.errors) > before:
                continue
            if key in self.db_grids:
                self.plan.skipped += 1
            else:
                self.plan.grids.append(key)

    def units(self, rows: Rows) -> None:
        seen: dict[str, int] = {}
        for number, rec in rows:
            self.at(UNITS, number)
            before = len(self.errors)
            name = self.clean(rec["名称"], "单位", "名称")
            kind = " ".join(rec["类型"].split()) or DEFAULT_UNIT_KIND
            if len(kind) > 20:
                self.error("「类型」不能超过 20 个字。")
            if name is None:
                continue
            if name in seen:
                self.error(f"与第 {seen[name]} 行重复：「{name}」。")
                continue
            seen[name] = number
            self.file_units.add(name)
            if len(self.errors) > before:
                continue
            if name in self.db_units:
                self.plan.skipped += 1
            else:
                self.plan.units.append((name, kind))

    def roles(self, text: str) -> set[Role]:
        if not text:
            self.error(f"请填写「身份」，可填：{_ROLE_HINT}。")
            return set()
        roles = set()
        for token in filter(None, _ROLE_SPLIT.split(text)):
            role = _ROLE_BY_TEXT.get(token) or _ROLE_BY_TEXT.get(token.lower())
            if role is None:
                self.error(f"身份「{token}」不认识，可填：{_ROLE_HINT}。")
            else:
                roles.add(role)
        return roles

    def person(self, rec: dict[str, str], seen_phones: dict[str, int], seen_names: dict[str, int]) -> None:
        before = len(self.errors)
        name = phone = None
        if not rec["姓名"]:
            self.error("请填写「姓名」。")
        else:
            try:
                name = people.normalize_name(rec["姓名"])
            except InvalidInput as exc:
                self.error(exc.message)
        if not rec["手机号"]:
            self.error("请填写「手机号」：本人凭它在机器人里验证身份。")
        else:
            try:
                phone = identity.validate_phone(rec["手机号"], mobile_only=True)
            except InvalidInput as exc:
                self.error(exc.message)
                phone = None
        roles = self.roles(rec["身份"])
        if not may_grant(self.actor_roles, roles):  # importing is granting
            self.error(PRIVILEGED_ONLY_DIRECTOR)

        village = self.village(rec["村社区"], "村社区") if rec["村社区"] else None
        grid = None
        if rec["网格"]:
            if not rec["村社区"]:
                if Role.grid not in roles:  # a grid worker hears it below
                    self.error("填了「网格」就要填它所在的「村社区」。")
            elif village is not None:
                grid = self.grid(village, rec["网格"])
        unit = self.unit(rec["单位"]) if rec["单位"] else None
        if Role.grid in roles:
            if not rec["村社区"]:
                self.error("网格员要填写「村社区」。")
            if not rec["网格"]:
                self.error("网格员要填写「网格」。")
        if Role.unit in roles and not rec["单位"]:
            self.error("承办单位联络人要填写「单位」。")
        contacts: list[str] = []
        for token in filter(None, _LIST_SPLIT.split(rec["联系点"])):
            found = self.village(token, "联系点")
            if found is not None and found not in contacts:
                contacts.append(found)

        if phone is not None:
            if phone in seen_phones:
                self.error(f"手机号与第 {seen_phones[phone]} 行重复。")
            else:
                seen_phones[phone] = self._row
        if name is not None:
            if name in seen_names:
                self.error(f"姓名与第 {seen_names[name]} 行重复。若确是同名的两个人，请把其中一人放到另一个文件里导入。")
            else:
                seen_names[name] = self._row
        existing = self.db_phones.get(phone or "", [])
        if name is not None and existing and name not in existing:
            self.error(f"手机号 {phone} 已登记给「{existing[0]}」，请核对手机号或姓名。")
        if len(self.errors) > before or name is None or phone is None:
            return
        if existing:
            self.plan.skipped += 1
        else:
            self.plan.people.append(_NewPerson(name, phone, roles, village, grid, unit, contacts))

    def people(self, rows: Rows) -> None:
        seen_phones: dict[str, int] = {}
        seen_names: dict[str, int] = {}
        for number, rec in rows:
            self.at(PEOPLE, number)
            self.person(rec, seen_phones, seen_names)


def _apply(session: Session, plan: _Plan, now: datetime) -> int:
    village_ids = {v.name: v.id for v in session.exec(select(Village))}
    new_villages = [Village(name=name, kind=kind) for name, kind in plan.villages]
    session.add_all(new_villages)
    session.flush()
    village_ids |= {v.name: v.id for v in new_villages}

    grid_ids = {(g.village_id, g.name): g.id for g in session.exec(select(Grid))}
    new_grids = [Grid(village_id=village_ids[v], name=name) for v, name in plan.grids]
    session.add_all(new_grids)
    new_units = [Unit(name=name, kind=kind) for name, kind in plan.units]
    session.add_all(new_units)
    session.flush()
    grid_ids |= {(g.village_id, g.name): g.id for g in new_grids}
    unit_ids = {u.name: u.id for u in session.exec(select(Unit))}

    contact_points = 0
    for p in plan.people:
        village_id = village_ids[p.village] if p.village else None
        person = people.create_person(
            session,
            name=p.name,
            phone=p.phone,
            roles=p.roles,
            now=now,
            telegram_id=None,
            village_id=village_id,
            grid_id=grid_ids[(village_id, p.grid)] if p.grid else None,
            unit_id=unit_ids[p.unit] if p.unit else None,
        )
        for village in p.contacts:
            session.add(ContactPoint(person_id=person.id, village_id=village_ids[village], since=now))
            contact_points += 1
    session.flush()
    return contact_points


def import_file(session: Session, *, actor_id: int, data: bytes, filename: str, now: datetime) -> ImportResult:
    """Check every row, then create everything in the caller's transaction, or nothing at all."""
    actor = people.get(session, person_id=actor_id)
    require(actor.roles, MANAGE_PEOPLE)
    sheets = parse_file(data, filename)
    if not any(sheets.values()):
        raise InvalidInput(
            f"文件里没有要导入的数据。请在「{'」「'.join(SHEETS)}」表中从第 2 行起填写，第 1 行是表头。"
        )
    checker = _Checker(session, actor.roles)
    checker.villages(sheets[VILLAGES])
    checker.grids(sheets[GRIDS])
    checker.units(sheets[UNITS])
    checker.people(sheets[PEOPLE])
    if checker.errors:
        raise ImportRejected(checker.errors)

    plan = checker.plan
    try:
        contact_points = _apply(session, plan, now)
    except IntegrityError:
        # Someone added the same name while we were checking (PostgreSQL; SQLite locks up front).
        raise InvalidInput("导入时有人同时新增了同名记录，本次没有导入。请重新发送文件。") from None
    result = ImportResult(
        villages=len(plan.villages),
        grids=len(plan.grids),
        units=len(plan.units),
        people=len(plan.people),
        skipped=plan.skipped,
    )
    audit.record(
        session, actor_id=actor_id, action="import.apply", subject_type="import", subject_id=None, now=now,
        filename=filename, villages=result.villages, grids=result.grids, units=result.units,
        people=result.people, skipped=result.skipped, contact_points=contact_points,
    )
    return result
