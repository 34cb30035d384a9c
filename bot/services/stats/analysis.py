"""The one-page analysis (.docx) for the director: 总体情况 and 分类情况 with the figures filled in,
问题分析 and 下一步工作 left as marked placeholders to edit, the formulas as notes, the date as
2026年12月4日. Fonts are named for East Asian text (w:eastAsia), as notice_docx explains."""

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from bot.services.stats.figures import RATES
from bot.services.stats.render import chinese_date, footnotes, share, sorted_group, values
from bot.services.stats.report import StatsReport
from bot.texts import stats as words

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"


def docx(report: StatsReport) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(20)
    section.left_margin, section.right_margin = Mm(25), Mm(22)
    title = report.period.label
    v = values(report)
    _para(doc, words.DOCX_TITLE.format(title=title), font=TITLE_FONT, size=18, center=True)
    _para(doc, words.DOCX_SCOPE.format(scope=report.scope.label), size=12, center=True)

    _para(doc, words.DOCX_OVERALL, font=HEADING_FONT, size=13)
    compare = words.DOCX_COMPARE.format(**{k: v[k] for k in ("reg_mom", "res_mom", "reg_yoy", "res_yoy")})
    _para(doc, words.DOCX_OVERALL_TEXT.format(title=title, scope=report.scope.label, compare=compare,
                                              **{k: v[k] for k in v if k not in ("reg_mom", "res_mom", "reg_yoy",
                                                                                 "res_yoy")}), indent=True)

    _para(doc, words.DOCX_BY_KIND, font=HEADING_FONT, size=13)
    total = report.figures.counts["registered"]

    def listing(group: str) -> str:
        items = sorted_group(report.figures, group)
        return "，".join(f"{name} {n} 件（{share(n, total)}）" for name, n in items) or words.DOCX_NONE

    _para(doc, words.DOCX_BY_KIND_TEXT.format(types=listing("by_type"), sources=listing("by_source")), indent=True)
    table = doc.add_table(rows=1, cols=len(RATES))
    table.style = "Table Grid"
    for i, key in enumerate(RATES):
        cell = table.rows[0].cells[i]
        cell.text = ""
        _run(cell.paragraphs[0], f"{words.RATE_LABELS[key][0]}\n{v[key]}", size=9)

    _para(doc, words.DOCX_PROBLEMS, font=HEADING_FONT, size=13)
    _para(doc, words.DOCX_PLACEHOLDER_PROBLEMS, indent=True)
    _para(doc, words.DOCX_NEXT, font=HEADING_FONT, size=13)
    _para(doc, words.DOCX_PLACEHOLDER_NEXT, indent=True)

    _para(doc, words.DOCX_NOTES, size=9)
    for i, note in enumerate(footnotes(report), 1):
        _para(doc, f"{i}. {note}", size=8)
    made = report.made_at.astimezone(report.tz)
    _para(doc, words.DOCX_SIGN.format(center=words.CENTER_NAME), right=True)
    _para(doc, chinese_date(made), right=True)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _para(doc, text: str, *, font: str = BODY_FONT, size: float = 12, center: bool = False, right: bool = False,
          indent: bool = False):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.15
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if indent:
        fmt.first_line_indent = Pt(2 * size)
    _run(p, text, font=font, size=size)
    return p


def _run(paragraph, text: str, *, font: str = BODY_FONT, size: float = 12):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.name = LATIN_FONT
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), font)
    rfonts.set(qn("w:hint"), "eastAsia")
    lang = OxmlElement("w:lang")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    return run
