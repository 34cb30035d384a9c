"""The 督办通知书 as a Word document in the official layout (python-docx).

CJK text prints correctly only if Word and WPS are told which East Asian font to use: python-docx's
template leaves East Asian text to the theme font (and tags the language as en-US), which WPS and
Word on a Chinese system replace unpredictably. So every run, the Normal style and the document
defaults name the East Asian font explicitly (w:rFonts/@w:eastAsia, w:hint="eastAsia",
w:lang/@w:eastAsia="zh-CN"), and the font table gives each Chinese font an alternative name that
ships with every Chinese Windows (仿宋_GB2312 → 仿宋, 方正小标宋简体 → 宋体).
"""

import html
import io
import re

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from bot import texts
from bot.services.supervision import DEFAULT_STYLE, NoticeStyle, NoticeView

# GB/T 9704-2012 党政机关公文格式, as far as a notice goes: a red 发文机关标志 and a red line under the
# 发文字号, the title in 小标宋 二号, the body in 仿宋 三号 (first lines indented two characters),
# 小标题 in 黑体 (一级) and 楷体 (二级), the signature and the 成文日期 under the last paragraph, and
# the 版记 (抄送, 印发) at the end. A4, margins top 37 mm, left 28 mm (type area 156 × 225 mm).
BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
LATIN_FONT = "Times New Roman"
# Font table alternatives (w:altName): what Word/WPS use when the named font is not installed, down
# to the Noto CJK fonts of a Linux machine (LibreOffice).
FALLBACKS = {
    "仿宋_GB2312": "仿宋", "仿宋": "FangSong", "FangSong": "Noto Serif CJK SC",
    "方正小标宋简体": "宋体", "宋体": "SimSun", "SimSun": "Noto Serif CJK SC",
    "黑体": "SimHei", "SimHei": "Noto Sans CJK SC",
    "楷体_GB2312": "楷体", "楷体": "KaiTi", "KaiTi": "Noto Serif CJK SC",
    "Noto Serif CJK SC": None, "Noto Sans CJK SC": None,
}
RED = RGBColor(0xFF, 0x00, 0x00)
MARK_SIZE = Pt(26)  # 发文机关标志 (一号)
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
RECORD_SIZE = Pt(14)  # 版记, 四号
LINE = Pt(28.9)  # 22 lines in the 225 mm type area
INDENT = Pt(32)  # two characters of 三号
NO_SPACE = Pt(0)
THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
# Markup a person typed (the chat is HTML) and emoji have no place on paper.
_TAG = re.compile(r"<[^<>]*>")
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D]")


def plain(text: str | None) -> str:
    """A value as printed: tags stripped, entities unescaped (&amp; → &), emoji dropped."""
    return _EMOJI.sub("", html.unescape(_TAG.sub("", text or ""))).strip()


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


def _run(paragraph, text: str, *, font: str = BODY_FONT, size=BODY_SIZE, bold: bool = False, color=None):
    run = paragraph.add_run(text)
    run.font.size = size
    run.font.bold = bold
    run.font.name = LATIN_FONT
    if color is not None:
        run.font.color.rgb = color
    _fonts(run._element.get_or_add_rPr(), font)
    return run


def _paragraph(doc, text: str = "", *, align=None, font: str = BODY_FONT, size=BODY_SIZE, indent=None,
               color=None, exact: bool = True):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    fmt = p.paragraph_format
    fmt.space_after = fmt.space_before = NO_SPACE
    if exact:
        fmt.line_spacing = LINE
    if indent is not None:
        fmt.first_line_indent = indent
    if text:
        _run(p, text, font=font, size=size, color=color)
    return p


def _border(paragraph, side: str, *, color: str, size: int, space: int = 1) -> None:
    """A rule along one side of a paragraph (the red separator, the lines of the 版记)."""
    ppr = paragraph._element.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))  # eighths of a point
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), color)
    borders.append(line)


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
    for name, alternative in FALLBACKS.items():
        if name in present:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        if alternative:
            etree.SubElement(font, qn("w:altName")).set(qn("w:val"), alternative)
        etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86")  # GB2312
        serif = not ("黑" in name or "Hei" in name or "Sans" in name)
        etree.SubElement(font, qn("w:family")).set(qn("w:val"), "roman" if serif else "swiss")
        etree.SubElement(font, qn("w:pitch")).set(qn("w:val"), "variable")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _sections(view: NoticeView) -> list[tuple[str, list[str]]]:
    """The body: 小标题 and their paragraphs, every typed value made plain."""
    if view.original_due:
        original = texts.DOCX_ORIGINAL.format(due=view.original_due, days=view.days_overdue)
    else:
        original = texts.DOCX_ORIGINAL_NONE
    level = texts.DOCX_LEVEL.format(level=view.level_label, source=view.source_label)
    if view.parent_number:
        level += texts.DOCX_PARENT.format(number=view.parent_number)
    h = texts.DOCX_HEADINGS
    return [
        (h["case"], [texts.DOCX_CASE.format(number=view.case_number, summary=plain(view.case_summary)),
                     texts.DOCX_ORIGINAL_LINE.format(original=original), level]),
        (h["requirements"], [line for line in plain(view.requirements).splitlines() if line.strip()]),
        (h["due"], [texts.DOCX_DUE.format(due=view.due)]),
        (h["feedback"], [line for line in plain(view.feedback).splitlines() if line.strip()]),
    ]


def gbt9704_document():
    """A new document with the fonts, sizes and A4 page of GB/T 9704 (版心 156 × 225 mm): every 公文-like
    document the center files (notices, minutes, reports back, 责任书, 考核通报) starts here."""
    doc = Document()
    _set_defaults(doc)
    _font_table(doc)
    section = doc.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)  # A4
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    return doc


def build_docx(view: NoticeView, style: NoticeStyle = DEFAULT_STYLE) -> bytes:
    """The notice as .docx bytes, laid out after GB/T 9704 (see the top of this module)."""
    doc = gbt9704_document()
    center = WD_ALIGN_PARAGRAPH.CENTER
    org = plain(style.org)

    # 版头: the issuing body in red, the number, the red line
    _paragraph(doc, org, align=center, font=TITLE_FONT, size=MARK_SIZE, color=RED, exact=False)
    _paragraph(doc)
    number = _paragraph(doc, view.number, align=center)
    _border(number, "bottom", color="FF0000", size=12, space=11)  # 1.5 pt, about 4 mm under the number
    _paragraph(doc)
    # 主体: title, addressee, the body with its 小标题, the signature and the date
    _paragraph(doc, texts.DOCX_TITLE, align=center, font=TITLE_FONT, size=TITLE_SIZE)
    _paragraph(doc)
    # 主送: the unit, or a person as 「刘海峰同志」; the body then speaks to 你 rather than 你单位
    person = view.to_person
    _paragraph(doc, f"{plain(view.addressee)}：")
    _paragraph(doc, texts.DOCX_INTRO_PERSON if person else texts.DOCX_INTRO, indent=INDENT)
    for heading, lines in _sections(view):
        _paragraph(doc, heading, font=HEADING_FONT, indent=INDENT).paragraph_format.keep_with_next = True
        for line in lines:
            _paragraph(doc, line, indent=INDENT)
    last = _paragraph(doc, (texts.DOCX_FOOTER_PERSON if person else texts.DOCX_FOOTER).format(org=org), indent=INDENT)
    # The signature and the date never go to a page of their own: they keep with the last paragraph.
    closing = [last, _paragraph(doc), _paragraph(doc, org, align=WD_ALIGN_PARAGRAPH.RIGHT),
               _paragraph(doc, view.issued_on, align=WD_ALIGN_PARAGRAPH.RIGHT)]
    closing[2].paragraph_format.right_indent = INDENT  # 右空二字
    closing[3].paragraph_format.right_indent = INDENT * 2  # 首字比署名右移二字 (about)
    for p in closing:
        p.paragraph_format.keep_together = True
        p.paragraph_format.keep_with_next = p is not closing[-1]

    # 版记: 抄送, the unit's contacts (or the 承办人员) and the issuer, the sign-for blanks, 印发 — between black rules
    _paragraph(doc)
    record = []
    if view.cc:
        record.append(texts.DOCX_CC.format(cc=plain(view.cc)))
    record += [
        texts.DOCX_ASSIGNEE.format(person=plain(view.unit_name), issuer=plain(view.issuer)) if person else
        texts.DOCX_CONTACTS.format(contacts=plain(view.contacts) or texts.DOCX_BLANK, issuer=plain(view.issuer)),
        texts.DOCX_SIGNED.format(signer=plain(view.signed_by) or texts.DOCX_BLANK,
                                 at=view.signed_at or texts.DOCX_BLANK),
        texts.DOCX_PRINTED.format(org=org, date=view.issued_on),
    ]
    rows = [_paragraph(doc, line, size=RECORD_SIZE, exact=False) for line in record]
    for p in rows:
        p.paragraph_format.left_indent = p.paragraph_format.right_indent = Pt(14)  # 左右各空一字
        p.paragraph_format.keep_together = True
        p.paragraph_format.keep_with_next = p is not rows[-1]
    _border(rows[0], "top", color="000000", size=8)
    _border(rows[-1], "bottom", color="000000", size=8)

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


# --- shared with the other 公文-like documents (gbt9704_document and these) ---------------------------
paragraph = _paragraph
run = _run
rule = _border
