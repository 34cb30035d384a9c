"""A 报告 as a Word document, in the layout of notice_docx (GB/T 9704-like): the issuing body in red
with the red rule, the title in 小标宋, the addressee (主送), the body in 仿宋 with 黑体 小标题, then the
signature and the date, which keep with the last paragraph. A 发文字号 (the 综治工作计划's 印发通知,
work_plans.DocumentView) sits centred above the red rule. The 办理情况报告 on a 上级交办 matter
(assignments.ReportView) and the 社会治安形势分析 to the party committee (situation.DocumentView)."""

import io
from typing import Protocol

from docx.enum.text import WD_ALIGN_PARAGRAPH

from bot.services.notice_docx import (
    HEADING_FONT,
    INDENT,
    MARK_SIZE,
    RED,
    TITLE_FONT,
    TITLE_SIZE,
    gbt9704_document,
    paragraph,
    plain,
    rule,
)


class Report(Protocol):
    org: str
    title: str
    addressee: str  # 主送
    paragraphs: tuple[tuple[str, tuple[str, ...]], ...]  # the intro ("", …) and (小标题, lines)
    issued_on: str  # 2026年12月4日
    doc_number: str  # 发文字号 under the issuing body, above the red rule ("" for none)


def build_docx(view: Report) -> bytes:
    doc = gbt9704_document()
    center = WD_ALIGN_PARAGRAPH.CENTER
    org = plain(view.org)

    paragraph(doc, org, align=center, font=TITLE_FONT, size=MARK_SIZE, color=RED, exact=False)
    if view.doc_number:  # a line apart, as notice_docx sets the 督办通知书's number
        paragraph(doc)
    mark = paragraph(doc, plain(view.doc_number), align=center)
    rule(mark, "bottom", color="FF0000", size=12, space=11)
    paragraph(doc)
    paragraph(doc, plain(view.title), align=center, font=TITLE_FONT, size=TITLE_SIZE)
    paragraph(doc)
    paragraph(doc, f"{plain(view.addressee)}：")
    last = None
    for heading, lines in view.paragraphs:
        if heading:
            paragraph(doc, heading, font=HEADING_FONT, indent=INDENT).paragraph_format.keep_with_next = True
        for text in lines:
            last = paragraph(doc, plain(text), indent=INDENT)
    closing = [p for p in (last, paragraph(doc), paragraph(doc, org, align=WD_ALIGN_PARAGRAPH.RIGHT),
                           paragraph(doc, view.issued_on, align=WD_ALIGN_PARAGRAPH.RIGHT)) if p is not None]
    closing[-2].paragraph_format.right_indent = INDENT  # 右空二字
    closing[-1].paragraph_format.right_indent = INDENT * 2
    for p in closing:
        p.paragraph_format.keep_together = True
        p.paragraph_format.keep_with_next = p is not closing[-1]
    doc.core_properties.title = plain(view.title)
    doc.core_properties.language = "zh-CN"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
