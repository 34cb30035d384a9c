"""A ledger (.xlsx) read back as a clerk reads it: title, summary, header and rows (the ledger tests)."""

from openpyxl import load_workbook

from bot.texts import ledgers as words


class Book:
    """A ledger as a clerk reads it."""

    def __init__(self, path):
        wb = load_workbook(path)
        self.ws = wb.active
        cells = [[c.value for c in row] for row in self.ws.iter_rows()]
        self.title = cells[0][0]
        self.org, self.period = cells[1][0], next(v for v in cells[1][1:] if v)
        self.header_at = next(i for i, row in enumerate(cells) if row[0] == words.SEQ)
        summary_at = next(i for i, row in enumerate(cells) if row[0] == words.SUMMARY_HEAD)
        # a summary line: its label over the first two columns, the total, then the split
        self.split = tuple(v for v in cells[summary_at][3:] if v is not None)
        self.summary = {row[0]: (row[2], tuple(row[3:3 + len(self.split)]))
                        for row in cells[summary_at + 1:self.header_at] if row and row[0] and row[2] is not None}
        self.notes = [row[0] for row in cells[summary_at + 1:self.header_at] if row and row[0] and row[2] is None]
        self.header = [v for v in cells[self.header_at] if v is not None]
        body = cells[self.header_at + 1:]
        end = next(i for i, row in enumerate(body) if not row or row[0] is None)
        self.rows = [dict(zip(self.header, row, strict=False)) for row in body[:end]]
        self.footer = [v for v in body[end + 1] if v]

    def column(self, name):
        return [row[name] for row in self.rows]
