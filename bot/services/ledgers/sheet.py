"""A ledger laid out as on paper, written row by row (openpyxl write-only mode: the rows go to a
temporary file as they come, so a year of cases never sits in memory as a workbook).

Top to bottom: the title, 填报单位 and the period, the summary block, the column headers (frozen,
and repeated at the top of every printed page), the numbered rows (序号), then 制表人 / 审核人 /
签发人 / 填报日期. Landscape, fitted to the page width: A4, or A3 for a ledger too wide to print
legibly on A4 (paper_for).
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from math import ceil
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from bot.texts import ledgers as words

FONT = "宋体"
_thin = Side(style="thin")
_BOX = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TITLE_FONT = Font(name=FONT, size=18, bold=True)
_HEAD_FONT = Font(name=FONT, size=11, bold=True)
_BODY_FONT = Font(name=FONT, size=10)
SEQ_WIDTH = 3
LINE_PT = {10: 13.5, 11: 14.5, 18: 24}  # a wrapped line's height, by font size (points)
MAX_ROW_PT = 409  # Excel's highest row
A4, A3 = 9, 8  # openpyxl's paperSize codes
PRINTABLE_MM = {A4: 297 - 2 * 10.16, A3: 420 - 2 * 10.16}  # landscape, less the 0.4-inch side margins
LEGIBLE = 0.7  # fitted to the page width, the 10-point text must print at 7 points at the least


def column_width(chars: int) -> float:
    """Excel's width units for `chars` CJK characters (one is ~1.9 units) and a little padding."""
    return chars * 1.9 + 1


def width_mm(columns: Sequence[tuple[str, int]]) -> float:
    """The printed width at 100 %: a unit is 7 pixels (+5 per column) at 96 dpi."""
    return sum((7 * column_width(chars) + 5) * 25.4 / 96 for _, chars in columns)


def lines(value: object, chars: float) -> int:
    """How many lines `value` wraps to in a column `chars` CJK characters wide (Latin letters and
    digits take half a character). Write-only sheets cannot be measured by the reader: LibreOffice
    keeps the default height, and wrapped text would overprint the next row."""
    if not isinstance(value, str) or (len(value) <= chars and "\n" not in value):
        return 1  # most cells: a number, a date, a name
    count = 0
    for part in value.split("\n"):
        half = len(part.encode("ascii", "ignore"))
        count += max(1, ceil((len(part) - half / 2) / max(chars, 1)))
    return count


def tallest(values: Iterable[object], spans: Sequence[float]) -> int:
    """The most lines any of a row's values wraps to; lines() is asked only about the few that may wrap."""
    return max((lines(v, w) for v, w in zip(values, spans, strict=False)
                if isinstance(v, str) and (len(v) > w or "\n" in v)), default=1)


def paper_for(columns: Sequence[tuple[str, int]]) -> int:
    return A4 if print_scale(columns, A4) >= LEGIBLE else A3


def print_scale(columns: Sequence[tuple[str, int]], paper: int) -> float:
    return min(1.0, PRINTABLE_MM[paper] / width_mm(columns))


@dataclass(frozen=True)
class Summary:
    """The block above the rows: a label and a total per line, and the total split by the
    `split` columns (e.g. by 化解结果) where that means something (None: left empty)."""

    split: tuple[str, ...]
    lines: tuple[tuple[str, int, tuple[int, ...] | None], ...]


@dataclass(frozen=True)
class Layout:
    title: str
    org: str  # 填报单位
    period: str  # the period line, e.g. 期间：2026年11月1日至2026年11月30日
    headers: Sequence[tuple[str, int]]  # column header and width (in characters, CJK counted once)
    summary: Summary
    notes: tuple[str, ...]  # lines under the summary (e.g. how many confidential cases are not listed)
    maker: str  # 制表人
    filled_on: str  # 填报日期


def _placed(cells: Sequence[Cell | None], row: int) -> Iterator[Cell]:
    """A row's cells in place for the writer. Every value this module appends is a styled cell (or
    None for an empty one), so openpyxl's own conversion is skipped: it first tries each cell as a
    plain value, fails with an error message built for the cell, and makes a spare cell after it,
    about a third of the body's time."""
    for column, c in enumerate(cells, start=1):
        if c is not None:
            c.column, c.row = column, row
            yield c


def write(path: Path, layout: Layout, rows: Iterable[Sequence[object]]) -> int:
    """Write the ledger to `path`; returns the number of rows written."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(layout.title[:31])
    if hasattr(ws, "_values_to_row"):  # openpyxl 3.1's hook for what `append` is given (see _placed); a
        ws._values_to_row = _placed  # release without it converts the same cells its own, slower way
    columns = [(words.SEQ, SEQ_WIDTH), *layout.headers]
    width = len(columns)
    for i, (_, chars) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column_width(chars)

    def cell(value, font=_BODY_FONT, align=_WRAP, border=_BOX):
        c = WriteOnlyCell(ws, value=value)
        c.font, c.alignment = font, align
        if border is not None:
            c.border = border
        return c

    # The body: one styled cell per column, given each row's values in turn (a row is written as
    # soon as it is appended, so its cells are free again) instead of a new cell per value. Made
    # before the title's, as the body's two styles always were: the file's style table keeps its order.
    plain = [cell(None) for _ in layout.headers]
    pool = [cell(None, align=_CENTER), *plain]

    def merged(row: int, first: int, last: int) -> None:
        if last > first:
            ws.merged_cells.add(CellRange(min_row=row, max_row=row, min_col=first, max_col=last))

    # Write-only: the sheet's view, properties and row heights are written with each row, so they
    # are all set before it.
    header_row = 2 + 1 + len(layout.summary.lines) + len(layout.notes) + 1 + 1
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    chars = [c for _, c in columns]
    line = 0

    def append(values, spans: Sequence[float] = chars, size: int = 10, shown: Sequence[object] | None = None) -> None:
        """One row; its height fits its longest wrapped cell (spans: each cell's width in characters;
        shown: the cells' values, when the caller has them at hand)."""
        nonlocal line
        if shown is None:
            shown = [getattr(v, "value", v) for v in values]
        most = tallest(shown, spans)
        tall = most > 1 or size != 10
        if tall:
            ws.row_dimensions[line + 1].height = min(most * LINE_PT[size] + 4, MAX_ROW_PT)
        ws.append(values)
        line += 1
        if tall:  # written with the row; kept, a year's heights would pile up in memory
            del ws.row_dimensions[line]

    half = max(width // 2, 1)
    append([cell(layout.title, _TITLE_FONT, _CENTER, None)], [sum(chars) * 10 / 18], size=18)
    merged(line, 1, width)
    append([cell(layout.org, _HEAD_FONT, _WRAP, None), *[None] * (half - 1),
            cell(layout.period, _HEAD_FONT, _WRAP, None)], [sum(chars[:half]), *[1] * (half - 1), sum(chars[half:])],
           size=11)
    merged(line, 1, half)
    merged(line, half + 1, width)

    # the summary block: each label over the first two columns (序号 alone is too narrow for it)
    s = layout.summary
    spans = [chars[0] + chars[1], 0, *chars[2:]]
    append([cell(words.SUMMARY_HEAD, _HEAD_FONT, _CENTER), cell(None, _HEAD_FONT, _CENTER),
            cell(words.SUMMARY_TOTAL, _HEAD_FONT, _CENTER), *[cell(label, _HEAD_FONT, _CENTER) for label in s.split]],
           spans, size=11)
    merged(line, 1, 2)
    for label, total, split in s.lines:
        shown = split if split is not None else [None] * len(s.split)
        append([cell(label, _HEAD_FONT), cell(None), cell(total, align=_CENTER),
                *[cell(n, align=_CENTER) for n in shown]], spans, size=11)
        merged(line, 1, 2)
    for note in layout.notes:
        append([cell(note, _BODY_FONT, _WRAP, None)], [sum(chars)])
        merged(line, 1, width)
    append([])

    append([cell(label, _HEAD_FONT, _CENTER) for label, _ in columns], size=11)
    assert line == header_row, (line, header_row)

    count = 0
    for values in rows:
        count += 1
        while len(pool) <= len(values):
            pool.append(cell(None))
        body = pool[: len(values) + 1]
        body[0].value = count
        for c, v in zip(body[1:], values, strict=True):
            c.value = v
        append(body, shown=(count, *values))

    append([])
    quarter = max(width // 4, 1)
    footer = [template.format(maker=layout.maker, date=layout.filled_on) for template in words.FOOTER]
    footer_cells: list[object] = []
    for text in footer:
        footer_cells += [cell(text, _HEAD_FONT, _WRAP, None), *[None] * (quarter - 1)]
    append(footer_cells, [w for i in range(4) for w in (sum(chars[i * quarter:(i + 1) * quarter]), *[1] * (quarter - 1))],
           size=11)
    for i in range(4):
        merged(line, i * quarter + 1, (i + 1) * quarter)

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = paper_for(columns)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = words.PAGE_FOOTER
    wb.save(path)
    return count
