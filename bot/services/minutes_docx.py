"""The 会议纪要 as a Word document, in the layout of notice_docx (GB/T 9704-like): the title in
小标宋, the number under it, then 时间, 地点, 主持人, 出席 / 列席 / 请假, the minutes' items, the
议定事项 numbered with owner and deadline, and 抄送 in the 版记 between black rules."""

import io
from dataclasses import dataclass

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from bot.services.notice_docx import (
    HEADING_FONT,
    INDENT,
    RECORD_SIZE,
    TITLE_FONT,
    TITLE_SIZE,
    gbt9704_document,
    paragraph,
    plain,
    rule,
)
from bot.texts import meetings as t


@dataclass(frozen=True)
class MinutesView:
    org: str  # 综治中心
    title: str  # 2026年第3次工作例会纪要
    number: str  # 〔2026〕例会第3号
    when: str  # 2026年12月7日 08:30
    place: str
    chair: str
    present: list[str]
    observers: list[str]
    leave: list[str]
    items: list[str]
    decisions: list[tuple[str, str, str, str]]  # (number, text, owner, 期限)
    cc: str | None
    issued_on: str  # 2026年12月7日
    case: str | None = None  # a 调处会's case number and departments


def build_docx(view: MinutesView) -> bytes:
    doc = gbt9704_document()
    center = WD_ALIGN_PARAGRAPH.CENTER

    paragraph(doc, plain(view.title), align=center, font=TITLE_FONT, size=TITLE_SIZE, exact=False)
    number = paragraph(doc, view.number, align=center)
    rule(number, "bottom", color="FF0000", size=12, space=11)
    paragraph(doc)
    none = t.DOCX_NONE
    for label, value in ((t.DOCX_WHEN, view.when), (t.DOCX_PLACE, plain(view.place)), (t.DOCX_CHAIR, plain(view.chair)),
                         *([(t.DOCX_CASE, plain(view.case))] if view.case else []),
                         (t.DOCX_PRESENT, "、".join(plain(n) for n in view.present) or none),
                         (t.DOCX_OBSERVERS, "、".join(plain(n) for n in view.observers) or none),
                         (t.DOCX_LEAVE, "、".join(plain(n) for n in view.leave) or none)):
        paragraph(doc, t.DOCX_LINE.format(label=label, value=value))
    paragraph(doc)
    paragraph(doc, t.DOCX_ITEMS, font=HEADING_FONT, indent=INDENT).paragraph_format.keep_with_next = True
    for i, item in enumerate(view.items, start=1):
        paragraph(doc, f"{i}. {plain(item)}", indent=INDENT)
    if not view.items:
        paragraph(doc, none, indent=INDENT)
    paragraph(doc, t.DOCX_DECISIONS, font=HEADING_FONT, indent=INDENT).paragraph_format.keep_with_next = True
    for i, (number_, text, owner, due) in enumerate(view.decisions, start=1):
        paragraph(doc, t.DOCX_DECISION.format(seq=i, text=plain(text), number=number_, owner=plain(owner), due=due),
                  indent=INDENT)
    if not view.decisions:
        paragraph(doc, none, indent=INDENT)
    paragraph(doc)
    paragraph(doc, plain(view.org), align=WD_ALIGN_PARAGRAPH.RIGHT).paragraph_format.right_indent = INDENT
    paragraph(doc, view.issued_on, align=WD_ALIGN_PARAGRAPH.RIGHT).paragraph_format.right_indent = INDENT * 2
    paragraph(doc)
    record = [paragraph(doc, t.DOCX_CC.format(cc=plain(view.cc) if view.cc else none), size=RECORD_SIZE, exact=False),
              paragraph(doc, t.DOCX_PRINTED.format(org=plain(view.org), date=view.issued_on), size=RECORD_SIZE,
                        exact=False)]
    for p in record:
        p.paragraph_format.left_indent = p.paragraph_format.right_indent = Pt(14)
    rule(record[0], "top", color="000000", size=8)
    rule(record[-1], "bottom", color="000000", size=8)
    doc.core_properties.title = f"{plain(view.title)} {view.number}"
    doc.core_properties.language = "zh-CN"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
