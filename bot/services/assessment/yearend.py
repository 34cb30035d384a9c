"""Year end: the score sheet (.xlsx, one row per unit/village, one column per item) and the 考核通报
(.docx: the ranking, the commendations proposed, 一票否决 with 领导责任查究, and the problems found).
Both are made from `scoring.ranking`, so they match what /score shows."""

import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from sqlmodel import Session, col, select

from bot.services.assessment import catalogue
from bot.services.assessment.scoring import MANAGERS, SubjectScore, commended, ranking, require
from bot.services.notice_docx import (
    HEADING_FONT,
    INDENT,
    TITLE_FONT,
    TITLE_SIZE,
    gbt9704_document,
    paragraph,
    plain,
)
from bot.texts import assessment as t
from models import Accountability, ItemKind


@dataclass(frozen=True)
class YearEnd:
    year: int
    scores: list[SubjectScore]
    commended: list[SubjectScore]
    item_names: list[tuple[int, str, ItemKind]]  # (item id, name, kind) in catalogue order
    accountability: list[tuple[str, str, str]]  # (subject, reason, result or 进行中)
    issued_on: str
    org: str


def year_end(session: Session, *, actor_id: int, year: int, now: datetime, tz: ZoneInfo, org: str,
             commend_score: Decimal) -> YearEnd:
    require(session, actor_id, MANAGERS)
    scores = ranking(session, year=year, now=now, tz=tz)
    items = catalogue.ensure(session, year=year)
    names = {s.subject.key: s.name for s in scores}
    found = session.exec(select(Accountability).where(Accountability.year == year).order_by(col(Accountability.id)))
    acc = []
    for a in found:
        key = f"unit:{a.unit_id}" if a.unit_id is not None else f"village:{a.village_id}"
        acc.append((names.get(key, ""), a.reason, a.result or t.ACC_OPEN))
    return YearEnd(year, scores, commended(scores, threshold=commend_score),
                   [(i.id, i.name, ItemKind(i.kind)) for i in items], acc, t.cn_date(now.astimezone(tz).date()), org)


def _lost(score: SubjectScore, item_id: int):
    line = next(i for i in score.items if i.item_id == item_id)
    if line.kind == ItemKind.veto:
        return t.VETO_MARK if line.reasons else ""
    if not line.applies:
        return t.NOT_APPLICABLE
    return float(line.points - line.lost)


def xlsx(view: YearEnd) -> bytes:
    """One row per unit/village (in rank order), one column per item (the points kept), then the total,
    the rank and 一票否决."""
    wb = Workbook()
    ws = wb.active
    ws.title = t.SHEET_TITLE
    ws.append([t.SHEET_HEAD.format(year=view.year)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([t.COL_RANK, t.COL_NAME, *(name for _, name, _ in view.item_names), t.COL_TOTAL, t.COL_VETO,
               t.COL_COMMEND])
    for c in ws[2]:
        c.font = Font(bold=True)
        c.alignment = Alignment(horizontal="center", wrap_text=True)
    commended_keys = {s.subject.key for s in view.commended}
    for rank, s in enumerate(view.scores, start=1):
        ws.append([rank, s.name, *(_lost(s, item_id) for item_id, _, _ in view.item_names), float(s.total),
                   t.VETO_MARK if s.vetoed else "", t.COMMEND_MARK if s.subject.key in commended_keys else ""])
    ws.column_dimensions["B"].width = 16
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def docx(view: YearEnd) -> bytes:
    """The 考核通报 in the layout of notice_docx (GB/T 9704-like)."""
    doc = gbt9704_document()
    center = WD_ALIGN_PARAGRAPH.CENTER
    org = plain(view.org)
    paragraph(doc, t.REPORT_TITLE.format(year=view.year), align=center, font=TITLE_FONT, size=TITLE_SIZE,
              exact=False)
    paragraph(doc)
    paragraph(doc, t.REPORT_ADDRESSEE)
    paragraph(doc, t.REPORT_INTRO.format(year=view.year, count=len(view.scores)), indent=INDENT)

    def heading(text: str) -> None:
        paragraph(doc, text, font=HEADING_FONT, indent=INDENT).paragraph_format.keep_with_next = True

    heading(t.REPORT_H_RANKING)
    for rank, s in enumerate(view.scores, start=1):
        mark = t.REPORT_VETO_NOTE if s.vetoed else ""
        paragraph(doc, t.REPORT_RANK_LINE.format(rank=rank, name=plain(s.name), total=catalogue.num(s.total),
                                                 mark=mark), indent=INDENT)
    heading(t.REPORT_H_COMMEND)
    names = "、".join(plain(s.name) for s in view.commended)
    paragraph(doc, t.REPORT_COMMEND.format(names=names) if names else t.REPORT_NONE, indent=INDENT)
    heading(t.REPORT_H_VETO)
    vetoed = [s for s in view.scores if s.vetoed]
    for s in vetoed:
        paragraph(doc, t.REPORT_VETO_LINE.format(name=plain(s.name), reasons=plain("；".join(s.vetoes))),
                  indent=INDENT)
    for name, reason, result in view.accountability:
        paragraph(doc, t.REPORT_ACC_LINE.format(name=plain(name), reason=plain(reason), result=plain(result)),
                  indent=INDENT)
    if not vetoed:
        paragraph(doc, t.REPORT_NONE, indent=INDENT)
    heading(t.REPORT_H_PROBLEMS)
    problems = 0
    for s in view.scores:
        lost = [i for i in s.items if i.lost > 0]
        if not lost:
            continue
        problems += 1
        detail = "；".join(t.REPORT_PROBLEM_ITEM.format(item=plain(i.name), lost=catalogue.num(i.lost),
                                                        why=plain(i.measured or "，".join(i.reasons)))
                          for i in lost)
        paragraph(doc, t.REPORT_PROBLEM_LINE.format(name=plain(s.name), detail=detail), indent=INDENT)
    if not problems:
        paragraph(doc, t.REPORT_NONE, indent=INDENT)
    paragraph(doc, t.REPORT_CLOSING, indent=INDENT)
    paragraph(doc)
    paragraph(doc, org, align=WD_ALIGN_PARAGRAPH.RIGHT).paragraph_format.right_indent = INDENT
    paragraph(doc, view.issued_on, align=WD_ALIGN_PARAGRAPH.RIGHT).paragraph_format.right_indent = INDENT * 2
    doc.core_properties.title = t.REPORT_TITLE.format(year=view.year)
    doc.core_properties.language = "zh-CN"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
