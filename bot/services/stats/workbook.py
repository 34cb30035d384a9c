"""The figures as an .xlsx, laid out like the paper form: title, 填报单位, period, the counts with their
更正 and comparisons, the rates with their formulas, the breakdowns, the notes and the signatures."""

import io
from datetime import timedelta

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from bot.services.stats.figures import COUNTS, RATES
from bot.services.stats.render import (
    chinese_date,
    count_change,
    footnotes,
    rate_change,
    share,
    signed,
    sorted_group,
)
from bot.services.stats.report import StatsReport
from bot.texts import stats as words

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WIDTHS = [6, 22, 12, 10, 10, 12, 12, 12, 70]


def xlsx(report: StatsReport) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = words.XLSX_SHEET_FIGURES
    title = report.period.label
    ws.append([words.XLSX_TITLE.format(title=title)])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(_WIDTHS))
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([words.XLSX_UNIT.format(center=words.CENTER_NAME, scope=report.scope.label)])
    start = report.period.start
    end = report.period.end - timedelta(days=1)
    ws.append([words.XLSX_PERIOD.format(start=chinese_date(start), end=chinese_date(end))])
    ws.append([])

    figures, prev, last = report.figures, report.previous, report.last_year
    _header(ws, words.XLSX_HEAD_COUNTS)
    for i, key in enumerate(COUNTS, 1):
        now = figures.counts[key]
        delta = report.corrections.counts[key] if report.corrections else 0
        _row(ws, [i, words.COUNT_LABELS[key], now, signed(delta) if delta else "",
                  prev.counts[key] if prev else "—", count_change(now, prev.counts[key] if prev else None),
                  last.counts[key], count_change(now, last.counts[key])])
    ws.append([])
    _header(ws, words.XLSX_HEAD_RATES)
    for i, key in enumerate(RATES, 1):
        num, den = RATES[key]
        rate = figures.rate(key)
        name, formula = words.RATE_LABELS[key]
        _row(ws, [i, name, "—" if rate is None else float(rate), figures.counts[num], figures.counts[den],
                  "—" if prev is None or prev.rate(key) is None else float(prev.rate(key)),
                  rate_change(rate, prev.rate(key) if prev else None), rate_change(rate, last.rate(key)), formula])
        for column in (3, 6):
            ws.cell(row=ws.max_row, column=column).number_format = "0.00"  # two decimals, as in the chat
    for group, what in words.GROUP_LABELS.items():
        ws.append([])
        _header(ws, [h.format(what=what) for h in words.XLSX_HEAD_GROUP])
        total = figures.counts["registered"]
        for i, (name, n) in enumerate(sorted_group(figures, group), 1):
            _row(ws, [i, name, n, share(n, total)])
    ws.append([])
    ws.append([words.XLSX_NOTES])
    for i, note in enumerate(footnotes(report), 1):
        ws.append([f"{i}.", note])
    ws.append([])
    ws.append([words.XLSX_FOOT.format(date=chinese_date(report.made_at.astimezone(report.tz)))])
    for i, width in enumerate(_WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _header(ws, cells: list[str]) -> None:
    ws.append(cells)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        cell.border = _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _row(ws, cells: list) -> None:
    ws.append(cells)
    for cell in ws[ws.max_row]:
        cell.border = _BOX
        cell.alignment = Alignment(vertical="center", wrap_text=True)
