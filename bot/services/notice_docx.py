"""The 督办通知书 as a Word document in the official layout (python-docx).

CJK text prints correctly only if Word and WPS are told which East Asian font to use: python-docx's
template leaves East Asian text to the theme font (and tags the language as en-US), which WPS and
Word on a Chinese system replace unpredictably. So every run, the Normal style and the document
defaults name the East Asian font explicitly (w:rFonts/@w:eastAsia, w:hint="eastAsia",
w:lang/@w:eastAsia="zh-CN"), and the font table gives each Chinese font an alternative name that
ships with every Chinese Windows (仿宋_GB2312 → 仿宋, 方正小标宋简体 → 宋体).
"""

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from lxml import etree

from bot import texts
from bot.services.supervision import NoticeView

BODY_FONT = "仿宋_GB2312"  # the body font of official documents (GB/T 9704)
TITLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
# Font table alternatives: what Word/WPS use when the named font is not installed.
FALLBACKS = {"仿宋_GB2312": "仿宋", "宋体": "SimSun", "仿宋": "FangSong"}
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(14)  # 四号
TITLE_SIZE = Pt(22)  # 二号
NO_SPACE = Pt(0)
THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _fonts(rpr, east_asia: str) -> None:
    """Name the fonts explicitly on an rPr (theme attributes would override them)."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), LATIN_FONT)
    rfonts.set(qn("w:hAnsi"), LATIN_FONT)
    rfonts.set(qn("w:cs"), LATIN_FONT)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:hint"), "eastAsia")
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _run(paragraph, text: str, *, font: str = BODY_FONT, size=BODY_SIZE, bold: bool = False):
    run = paragraph.add_run(text)
    run.font.size = size
    run.font.bold = bold
    run.font.name = LATIN_FONT
    _fonts(run._element.get_or_add_rPr(), font)
    return run


def _paragraph(doc_or_cell, text: str = "", *, align=None, font: str = BODY_FONT, size=BODY_SIZE,
               bold: bool = False, space_after=NO_SPACE):
    p = doc_or_cell.add_paragraph()
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = space_after
    p.paragraph_format.space_before = NO_SPACE
    if text:
        _run(p, text, font=font, size=size, bold=bold)
    return p


def _set_defaults(doc) -> None:
    """The Normal style and the document defaults: explicit East Asian font, zh-CN."""
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = BODY_SIZE
    _fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            _fonts(rpr, BODY_FONT)
    for style in doc.styles:
        element = getattr(style, "element", None)
        rpr = element.find(qn("w:rPr")) if element is not None else None
        if rpr is not None and rpr.find(qn("w:rFonts")) is not None:
            _fonts(rpr, BODY_FONT if style.name != "Title" else TITLE_FONT)


def _font_table(doc) -> None:
    """Declare the Chinese fonts with alternatives (w:altName) and the GB2312 charset."""
    part = next((p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"), None)
    if part is None:
        return
    root = etree.fromstring(part.blob)
    present = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name in (BODY_FONT, TITLE_FONT, *FALLBACKS.values()):
        if name in present:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        if name in FALLBACKS:
            etree.SubElement(font, qn("w:altName")).set(qn("w:val"), FALLBACKS[name])
        etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86")  # GB2312
        etree.SubElement(font, qn("w:family")).set(qn("w:val"), "modern" if "仿宋" in name else "auto")
        etree.SubElement(font, qn("w:pitch")).set(qn("w:val"), "fixed" if "仿宋" in name else "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _fields(view: NoticeView) -> list[tuple[str, str]]:
    f = texts.DOCX_FIELDS
    case = f"{view.case_number}　{view.case_summary}"
    if view.original_due:
        original = texts.DOCX_ORIGINAL.format(due=view.original_due, days=view.days_overdue)
    else:
        original = texts.DOCX_ORIGINAL_NONE
    level = view.level_label
    if view.parent_number:
        level += "；" + texts.DOCX_PARENT.format(number=view.parent_number)
    return [
        (f["unit"], view.unit_name + (f"（联络人：{view.contacts}）" if view.contacts else "")),
        (f["case"], case),
        (f["original"], original),
        (f["requirements"], view.requirements),
        (f["due"], view.due),
        (f["feedback"], view.feedback),
        (f["level"], level),
        (f["source"], view.source_label),
        (f["cc"], view.cc or "—"),
        (f["issuer"], view.issuer),
        (f["date"], view.issued_on),
        (f["signer"], view.signed_by or texts.DOCX_BLANK),
        (f["signed_at"], view.signed_at or texts.DOCX_BLANK),
    ]


def _cell_text(cell, text: str, *, bold: bool = False, align=None) -> None:
    cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
    for line in (text or " ").splitlines() or [" "]:
        _paragraph(cell, line, size=TABLE_SIZE, bold=bold, align=align)


def build_docx(view: NoticeView) -> bytes:
    """The notice as .docx bytes: title, number, the fields in a ruled table, the signing blanks."""
    doc = Document()
    _set_defaults(doc)
    _font_table(doc)
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    _paragraph(doc, texts.DOCX_ISSUER_ORG, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT, size=BODY_SIZE)
    _paragraph(doc, texts.DOCX_TITLE, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT, size=TITLE_SIZE,
               bold=True, space_after=Pt(12))
    _paragraph(doc, view.number, align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=Pt(12))
    _paragraph(doc, f"{view.unit_name}：", space_after=Pt(6))

    table = doc.add_table(rows=0, cols=2)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = (Cm(5.4), Cm(10.2))  # the grid widths too: LibreOffice and WPS read those, not the cells'
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for label, value in _fields(view):
        row = table.add_row()
        row.cells[0].width, row.cells[1].width = widths
        _cell_text(row.cells[0], label, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _cell_text(row.cells[1], value)

    _paragraph(doc, "", space_after=Pt(6))
    _paragraph(doc, texts.DOCX_FOOTER.format(org=texts.DOCX_ISSUER_ORG))
    _paragraph(doc, f"{texts.DOCX_ISSUER_ORG}（章）", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, view.issued_on, align=WD_ALIGN_PARAGRAPH.RIGHT)

    doc.core_properties.title = f"{texts.DOCX_TITLE} {view.number}"
    doc.core_properties.language = "zh-CN"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def east_asia_fonts(data: bytes) -> list[str | None]:
    """Every run's East Asian font in a .docx (None where a run has none): for checks."""
    doc = Document(io.BytesIO(data))
    runs = doc.element.body.iter(qn("w:r"))
    return [
        (r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:eastAsia"))
         if r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}") is not None else None)
        for r in runs
    ]

