"""A ledger laid out as on paper, written row by row (openpyxl write-only mode: the rows go to a
temporary file as they come, so a year of cases never sits in memory as a workbook).

Top to bottom: the title, 填报单位 and the period, the summary block, the column headers (frozen,
and repeated at the top of every printed page), the numbered rows (序号), then 制表人 / 审核人 /
签发人 / 填报日期. A4 landscape, fitted to the page width.
"""

from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
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
SEQ_WIDTH = 6
A4 = 9  # openpyxl's paperSize code for A4


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


def write(path: Path, layout: Layout, rows: Iterable[Sequence[object]]) -> int:
    """Write the ledger to `path`; returns the number of rows written."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(layout.title[:31])
    columns = [(words.SEQ, SEQ_WIDTH), *layout.headers]
    width = len(columns)
    for i, (_, chars) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = chars * 1.9 + 2  # a CJK character is ~2 units wide

    def cell(value, font=_BODY_FONT, align=_WRAP, border=_BOX):
        c = WriteOnlyCell(ws, value=value)
        c.font, c.alignment = font, align
        if border is not None:
            c.border = border
        return c

    # The body's two styles, set once: giving each of a year's cells its font, border and alignment
    # anew costs most of the export (openpyxl looks each one up by hash); a copy of the style ids does not.
    plain, centred = cell(None)._style, cell(None, align=_CENTER)._style

    def body(value, style) -> WriteOnlyCell:
        c = WriteOnlyCell(ws, value=value)
        c._style = copy(style)
        return c

    def merged(row: int, first: int, last: int) -> None:
        if last > first:
            ws.merged_cells.add(CellRange(min_row=row, max_row=row, min_col=first, max_col=last))

    # Write-only: the sheet's view is written with the first row, so the frozen row goes first.
    header_row = 2 + 1 + len(layout.summary.lines) + len(layout.notes) + 1 + 1
    ws.freeze_panes = f"A{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    line = 0

    def append(values) -> None:
        nonlocal line
        ws.append(values)
        line += 1

    append([cell(layout.title, _TITLE_FONT, _CENTER, None)])
    merged(line, 1, width)
    ws.row_dimensions[line].height = 32
    half = max(width // 2, 1)
    append([cell(layout.org, _HEAD_FONT, _WRAP, None), *[None] * (half - 1),
            cell(layout.period, _HEAD_FONT, _WRAP, None)])
    merged(line, 1, half)
    merged(line, half + 1, width)

    # the summary block
    s = layout.summary
    append([cell(words.SUMMARY_HEAD, _HEAD_FONT, _CENTER), cell(words.SUMMARY_TOTAL, _HEAD_FONT, _CENTER),
            *[cell(label, _HEAD_FONT, _CENTER) for label in s.split]])
    merged(line, 1, 1)
    for label, total, split in s.lines:
        shown = split if split is not None else [None] * len(s.split)
        append([cell(label, _HEAD_FONT), cell(total, align=_CENTER), *[cell(n, align=_CENTER) for n in shown]])
    for note in layout.notes:
        append([cell(note, _BODY_FONT, _WRAP, None)])
        merged(line, 1, width)
    append([])

    append([cell(label, _HEAD_FONT, _CENTER) for label, _ in columns])
    assert line == header_row, (line, header_row)

    count = 0
    for values in rows:
        count += 1
        append([body(count, centred), *[body(v, plain) for v in values]])

    append([])
    quarter = max(width // 4, 1)
    footer = [layout.maker, "", "", layout.filled_on]
    footer_cells: list[object] = []
    for i, template in enumerate(words.FOOTER):
        footer_cells += [cell(template.format(maker=footer[0], date=footer[3]), _HEAD_FONT, _WRAP, None),
                         *[None] * (quarter - 1)]
        if i == 3:
            break
    append(footer_cells)

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = words.PAGE_FOOTER
    wb.save(path)
    return count
