"""The case form of the electronic case file (一案一档) as a Word document: 登记表, 调处记录 (with the
whole history) and 办结报告, then the list of attachments; and the 领导包案审批表.

Every value comes from the case card as this viewer sees it (parties masked unless their rights show
them), so the file obeys the card's rules. East Asian fonts are named explicitly, as in
notice_docx.py, so Word and WPS print the Chinese text as intended.
"""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from bot.services.notice_docx import plain
from bot.texts import case_file as words

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"


def cn_date(moment: datetime | None, tz: ZoneInfo, *, with_time: bool = False) -> str:
    """2026年12月4日 (and 09:30 with `with_time`): how dates are written on Chinese forms."""
    if moment is None:
        return ""
    local = moment.astimezone(tz)
    day = f"{local.year}年{local.month}月{local.day}日"
    return f"{day} {local:%H:%M}" if with_time else day


def _east_asia(run, font: str) -> None:
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), font)
    fonts.set(qn("w:hint"), "eastAsia")


def _text(paragraph, text: str, *, font: str = BODY_FONT, size: float = 12, bold: bool = False):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = LATIN_FONT
    _east_asia(run, font)
    return run


def _document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(25)
    section.left_margin = section.right_margin = Mm(25)
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(12)
    fonts = normal.element.get_or_add_rPr()
    found = fonts.find(qn("w:rFonts"))
    if found is None:
        found = OxmlElement("w:rFonts")
        fonts.insert(0, found)
    found.set(qn("w:eastAsia"), BODY_FONT)
    return doc


def _title(doc, text: str, sub: str = "") -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _text(p, text, font=TITLE_FONT, size=18, bold=True)
    if sub:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _text(p, sub, size=12)


def _heading(doc, text: str) -> None:
    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(12)
    _text(p, text, font=HEADING_FONT, size=14, bold=True)


def _form(doc, rows: list[tuple[str, str]]) -> None:
    """A two-column form: the label, then the value (「—」 for nothing recorded)."""
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].width, cells[1].width = Mm(40), Mm(120)
        _text(cells[0].paragraphs[0], label, bold=True)
        _text(cells[1].paragraphs[0], plain(value) or "—")


def _grid(doc, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, header, strict=True):
        _text(cell.paragraphs[0], label, bold=True)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            _text(cell.paragraphs[0], plain(value) or "—", size=10.5)


def _save(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _joint_rows(card, tz: ZoneInfo) -> list[tuple[str, str]]:
    """主办/协办, every 会商 and the contact-point leaders at the scene (issue 16); none if empty."""
    rows = []
    if card.joint.co_units:
        rows += [(words.F_LEAD, card.joint.lead), (words.F_CO_UNITS, "、".join(card.joint.co_units))]
    if card.joint.consultations:
        rows.append((words.F_CONSULTATIONS, "\n".join(
            words.CONSULTATION_LINE.format(at=cn_date(c.held_at, tz, with_time=True), participants=c.participants,
                                           conclusion=c.conclusion, recorder=c.recorder)
            for c in card.joint.consultations)))
    if card.arrivals:
        rows.append((words.F_ARRIVALS, "\n".join(
            words.ARRIVAL_LINE.format(who=a.who, at=cn_date(a.at, tz, with_time=True),
                                      where=f"{a.latitude:.5f}, {a.longitude:.5f}" if a.latitude is not None else "未发送位置")
            for a in card.arrivals)))
    return rows


def build_case_form(record, *, tz: ZoneInfo, attachments: list, org: str) -> bytes:
    """`record` is a case_file.CaseRecord; `attachments` the AttachmentRow list (with whether each
    is in the .zip)."""
    card = record.card
    doc = _document()
    _title(doc, words.FORM_TITLE.format(org=org), words.FORM_NUMBER.format(number=card.number))

    _heading(doc, words.PART_REGISTER)
    parties = [words.PARTY_LINE.format(i=i, name=n, phone=p or "—", id_number=d or "—")
               for i, (n, p, d) in enumerate(card.parties, start=1)]
    _form(doc, [
        (words.F_NUMBER, card.number),
        (words.F_CREATED, cn_date(card.created_at, tz, with_time=True)),
        (words.F_SOURCE, record.source),
        (words.F_TYPE, card.type_name),
        (words.F_SEVERITY, record.severity + (words.URGENT if card.urgent else "")),
        (words.F_CONFIDENTIAL, words.YES if card.confidential else words.NO),
        (words.F_VILLAGE, card.village),
        (words.F_ADDRESS, card.address),
        (words.F_GPS, f"{card.latitude:.5f}, {card.longitude:.5f}" if card.latitude is not None
         and card.longitude is not None else ""),
        (words.F_OCCURRED, cn_date(card.occurred_at, tz, with_time=True)),
        (words.F_PARTIES, "\n".join(parties)),
        (words.F_PEOPLE, record.people),
        (words.F_AMOUNT, f"{card.amount:g} 元" if card.amount else ""),
        (words.F_DESCRIPTION, card.description),
        (words.F_REQUEST, card.request),
        (words.F_REPORTER, card.reporter),
        (words.F_FIRST_INQUIRY, card.first_inquiry),
        (words.F_STATUS, record.status),
    ])

    _heading(doc, words.PART_HANDLING)
    _form(doc, [
        (words.F_ACCEPTED, cn_date(record.accepted_at, tz, with_time=True)),
        (words.F_HANDLER, " / ".join(p for p in (card.handler, card.unit) if p)),
        (words.F_DUE, cn_date(record.due_at, tz, with_time=True) + (words.PROVISIONAL if record.due_provisional else "")),
        (words.F_LEADER, card.baoan.leader),
        (words.F_PLAN, card.baoan.plan),
        (words.F_UPWARD, words.UPWARD.format(departments=card.upward.department_text, way=card.upward.way,
                                             at=cn_date(card.upward.at, tz, with_time=True), who=card.upward.by)
         if card.upward else ""),
        (words.F_JOINT, record.joint_notice),
        *_joint_rows(card, tz),
        (words.F_NOTICES, "\n".join(record.notices)),
        (words.F_TRANSFER, card.transfer_to),
        (words.F_DUPLICATE, card.duplicate_of),
    ])
    _heading(doc, words.PART_HISTORY)
    _grid(doc, words.HISTORY_HEADER,
          [[cn_date(h.at, tz, with_time=True), h.actor or words.SYSTEM, h.action, h.note] for h in card.history])

    _heading(doc, words.PART_REPORT)
    _form(doc, [
        (words.F_RESOLVED, cn_date(record.resolved_at, tz, with_time=True)),
        (words.F_OUTCOME, card.outcome),
        (words.F_AGREEMENT, card.agreement),
        (words.F_RESULT, card.result),
        (words.F_GUIDANCE, card.guidance),
        (words.F_REPLY, " ".join(p for p in (card.reply_method, cn_date(card.replied_at, tz, with_time=True)) if p)),
        (words.F_SATISFACTION, card.satisfaction),
        (words.F_MET, record.met),
    ])

    _heading(doc, words.PART_FILES)
    _grid(doc, words.FILES_HEADER, [
        [str(i), a.kind_label, a.name, a.sender, cn_date(a.at, tz, with_time=True),
         words.FILE_IN if a.included else words.FILE_MISSING]
        for i, a in enumerate(attachments, start=1)
    ] or [["—", "", words.NO_FILES, "", "", ""]])

    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(18)
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _text(p, words.FORM_FOOT.format(org=org, date=cn_date(record.built_at, tz), viewer=record.viewer))
    return _save(doc)


def build_baoan_form(record, *, tz: ZoneInfo, org: str) -> bytes:
    """领导包案审批表: every proposal and decision, the 包案领导, the plan and any joint filing."""
    card = record.card
    doc = _document()
    _title(doc, words.BAOAN_TITLE, words.FORM_NUMBER.format(number=card.number))
    _form(doc, [
        (words.F_TYPE, card.type_name),
        (words.F_DESCRIPTION, card.description),
        (words.F_LEADER, card.baoan.leader),
        (words.F_PLAN, card.baoan.plan),
        (words.F_DUE, cn_date(record.due_at, tz, with_time=True)),
        (words.F_JOINT, record.joint_notice),
    ])
    _heading(doc, words.BAOAN_REQUESTS)
    _grid(doc, words.BAOAN_HEADER, [
        [cn_date(r.at, tz, with_time=True), r.proposer, r.leader, r.reason, r.decision,
         cn_date(r.decided_at, tz, with_time=True)]
        for r in record.baoan_requests
    ] or [["—", "", "", "", "", ""]])
    p = doc.add_paragraph()
    p.paragraph_format.space_before = Pt(18)
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _text(p, words.FORM_FOOT.format(org=org, date=cn_date(record.built_at, tz), viewer=record.viewer))
    return _save(doc)
