"""The 督办通知书 .docx: opens with python-docx, holds every field, names an East Asian font everywhere."""

import io
import re
import shutil
import subprocess
import zipfile
from datetime import date

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from bot import texts
from bot.services import notice_docx, supervision
from bot.services.deadlines import DeadlinePolicy
from models import NoticeLevel, NoticeSource, NoticeStatus
from tests.factories import Township

POLICY = DeadlinePolicy()


def sample_view(**kw) -> supervision.NoticeView:
    base = dict(
        id=12, number="〔2026〕第012号", level=NoticeLevel.yellow, source=NoticeSource.upper,
        status=NoticeStatus.signed, case_id=42, case_number="2026-0042", case_summary="两户因宅基地界址争执，多次调解未果",
        unit_id=3, unit_name="镇司法所", contacts="司法所老李", original_due="2026年12月3日 17:30", days_overdue=3,
        requirements="请于期限前组织双方调解，形成书面协议", due="2026年12月10日 17:30",
        feedback="每两个工作日报告一次进展", cc="县综治中心、镇党委办", issuer="王主任", issued_on="2026年12月8日",
        signed_by="司法所老李", signed_at="2026年12月8日 10:15", parent_number="〔2026〕第003号",
    )
    base.update(kw)
    return supervision.NoticeView(**base)


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


STYLE = supervision.NoticeStyle(org="东山镇综治中心", code="东综治")
ALLOWED_FONTS = {"仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312"}


def paragraphs(doc) -> list:
    return [p for p in doc.paragraphs if p.text.strip()]


def east_asia(paragraph) -> set[str]:
    return {r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in paragraph.runs}


def border(paragraph, side: str):
    return paragraph._element.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn(f'w:{side}')}")


def test_the_document_holds_every_field():
    view = sample_view(number="东综治〔2026〕12号")
    doc = Document(io.BytesIO(notice_docx.build_docx(view, STYLE)))
    text = all_text(doc)
    for value in (view.number, view.unit_name, view.contacts, view.case_number, view.case_summary, view.original_due,
                  "超期 3 个工作日", view.requirements, view.due, view.feedback, "黄牌", "上级交办", "县综治中心",
                  "镇党委办", view.issuer, view.issued_on, view.signed_by, view.signed_at,
                  "重新督办（原通知书 〔2026〕第003号）"):
        assert value in text, value
    assert "第012号" not in text
    # a number issued in the old form is printed as it was issued
    assert "〔2026〕第012号" in all_text(Document(io.BytesIO(notice_docx.build_docx(sample_view(), STYLE))))


def test_gbt_9704_header_number_red_line_title_and_headings():
    doc = Document(io.BytesIO(notice_docx.build_docx(sample_view(number="东综治〔2026〕12号"), STYLE)))
    shown = paragraphs(doc)
    header, number, title, addressee = shown[:4]
    # 发文机关标志: the full name, red, centred, 小标宋; then the number, centred; the red line under it
    assert header.text == "东山镇综治中心" and header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert all(str(r.font.color.rgb) == "FF0000" for r in header.runs) and east_asia(header) == {"方正小标宋简体"}
    assert number.text == "东综治〔2026〕12号" and number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    line = border(number, "bottom")
    assert line is not None and line.get(qn("w:color")) == "FF0000" and line.get(qn("w:val")) == "single"
    assert title.text == "督办通知书" and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size == Pt(22) and east_asia(title) == {"方正小标宋简体"}
    assert addressee.text == "镇司法所："
    # 小标题 一、二、… in 黑体; the body in 仿宋, 三号 (16pt), first line indented two characters
    headings = [p for p in shown if p.text[:2] in ("一、", "二、", "三、", "四、")]
    assert [h.text for h in headings] == ["一、督办事项", "二、督办要求", "三、办理期限", "四、反馈要求"]
    assert all(east_asia(h) == {"黑体"} for h in headings)
    body = next(p for p in shown if p.text == sample_view().requirements)
    assert east_asia(body) == {"仿宋_GB2312"} and body.runs[0].font.size == Pt(16)
    assert body.paragraph_format.first_line_indent == Pt(32)


def test_a4_margins_and_dates_without_zero_padding():
    view = sample_view(issued_on="2026年12月8日", due="2026年12月10日 17:30")
    doc = Document(io.BytesIO(notice_docx.build_docx(view, STYLE)))
    section = doc.sections[0]
    size = (section.page_width, section.page_height, section.top_margin, section.left_margin)
    assert all(abs(got - want) < Mm(0.1) for got, want in zip(size, (Mm(210), Mm(297), Mm(37), Mm(28)), strict=True))
    text = all_text(doc)
    assert "2026年12月8日" in text and not re.search(r"月0\d日|年0\d月", text)


def test_the_signature_and_date_stay_with_the_last_paragraph():
    doc = Document(io.BytesIO(notice_docx.build_docx(sample_view(), STYLE)))
    shown = paragraphs(doc)
    signature = max(i for i, p in enumerate(shown) if p.text == "东山镇综治中心")
    date_line = shown[signature + 1]
    assert date_line.text == sample_view().issued_on
    last = shown[signature - 1]
    assert last.text.startswith("请承办单位签收后按期办理")
    elements = [p._p for p in doc.paragraphs]
    block = doc.paragraphs[elements.index(last._p):elements.index(date_line._p) + 1]
    assert all(p.paragraph_format.keep_with_next for p in block[:-1])  # down to the date
    assert all(p.paragraph_format.keep_together for p in block)


def test_typed_markup_and_emoji_never_reach_the_document():
    view = sample_view(requirements="请<b>务必</b>于期限前调解 &amp; 书面反馈🚨", cc="县综治中心 <i>办公室</i>",
                       case_summary="两户争执😡 &lt;急&gt;")
    text = all_text(Document(io.BytesIO(notice_docx.build_docx(view, STYLE))))
    assert "请务必于期限前调解 & 书面反馈" in text and "县综治中心 办公室" in text and "两户争执 <急>" in text
    assert "<b>" not in text and "<i>" not in text and "&amp;" not in text and "🚨" not in text and "😡" not in text


def test_unsigned_notice_leaves_the_signing_blanks():
    view = sample_view(signed_by="", signed_at="", cc="", original_due="")
    text = all_text(Document(io.BytesIO(notice_docx.build_docx(view, STYLE))))
    assert "签收人：" + texts.DOCX_BLANK in text and "签收时间：" + texts.DOCX_BLANK in text
    assert "原办理期限：未设定" in text and "抄送：" not in text


def test_every_run_names_an_east_asian_font():
    data = notice_docx.build_docx(sample_view(), STYLE)
    fonts = notice_docx.east_asia_fonts(data)
    assert fonts and None not in fonts
    assert set(fonts) <= ALLOWED_FONTS
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        document = etree.fromstring(z.read("word/document.xml"))
        styles = etree.fromstring(z.read("word/styles.xml"))
        font_table = etree.fromstring(z.read("word/fontTable.xml"))
    runs = document.iter(qn("w:r"))
    for run in runs:
        rfonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert rfonts is not None and rfonts.get(qn("w:eastAsia")) and rfonts.get(qn("w:eastAsiaTheme")) is None
        assert run.find(f"{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:eastAsia")) == "zh-CN"
    # the Normal style and the document defaults too, without theme fonts that would override them
    normal = next(s for s in styles.iter(qn("w:style")) if s.get(qn("w:styleId")) == "Normal")
    assert normal.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:eastAsia")) == "仿宋_GB2312"
    defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert defaults.get(qn("w:eastAsia")) == "仿宋_GB2312" and defaults.get(qn("w:eastAsiaTheme")) is None
    # a font that is not installed falls back: 仿宋_GB2312 → 仿宋 → FangSong → Noto Serif CJK SC
    alt = {f.get(qn("w:name")): f.find(qn("w:altName")) for f in font_table.iter(qn("w:font"))}
    assert alt["仿宋_GB2312"].get(qn("w:val")) == "仿宋" and alt["仿宋"].get(qn("w:val")) == "FangSong"
    assert alt["FangSong"].get(qn("w:val")) == "Noto Serif CJK SC" and "Noto Serif CJK SC" in alt
    assert alt["黑体"].get(qn("w:val")) == "SimHei" and alt["方正小标宋简体"].get(qn("w:val")) == "宋体"
    assert Document(io.BytesIO(data)).styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_a_real_notice_from_the_database(db, clock):
    w = Township.build(db, clock).with_police()
    w.running_case(to_unit=True)
    n = w.issue(due=date(2026, 12, 10), cc="县综治中心", level=NoticeLevel.red)
    w.call(supervision.sign, actor_id=w.unit_contact, notice_id=n.id)
    view = w.call(supervision.notice_view, viewer_id=w.director, notice_id=n.id, policy=POLICY)
    doc = Document(io.BytesIO(notice_docx.build_docx(view, STYLE)))
    text = all_text(doc)
    for value in ("综治〔2026〕1号", "镇司法所", "2026-0001", "两户因排水沟争吵", "2026年12月3日 17:30",
                  "请于期限前调解到位并书面反馈", "2026年12月10日 17:30", texts.SV_DEFAULT_FEEDBACK, "红牌", "本级",
                  "县综治中心", "王主任", "2026年11月30日", "司法所老李", "2026年11月30日 09:00", "东山镇综治中心"):
        assert value in text, value


def _render(tmp_path, documents: dict[str, bytes]) -> dict[str, list[str]]:
    """LibreOffice → PDF (one run for all), then pdftotext page by page: name → the pages' texts,
    whitespace removed (pdftotext spaces Latin digits apart from CJK text)."""
    for name, data in documents.items():
        (tmp_path / f"{name}.docx").write_bytes(data)
    profile = f"-env:UserInstallation=file://{tmp_path}/lo"  # its own profile: no clash with another soffice
    subprocess.run(["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    *(str(tmp_path / f"{name}.docx") for name in documents)],
                   check=True, capture_output=True, timeout=300)
    pages = {}
    for name in documents:
        out = subprocess.run(["pdftotext", str(tmp_path / f"{name}.pdf"), "-"], check=True,
                             capture_output=True, text=True).stdout
        pages[name] = ["".join(page.split()) for page in out.split("\f") if page.strip()]
    return pages


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and pdftotext are needed")
def test_libreoffice_renders_the_chinese_text_and_never_leaves_the_date_alone(tmp_path):
    """The PDF carries the Chinese text (no missing glyphs), a usual notice is at most two pages, and however
    long the requirements, the signature and the date sit on the page of the last paragraph."""
    view = sample_view(number="东综治〔2026〕12号")
    docs = {"notice": notice_docx.build_docx(view, STYLE)}
    for lines in range(0, 26, 2):  # the body grows a line at a time past the page break
        docs[f"long{lines}"] = notice_docx.build_docx(
            sample_view(requirements="请组织双方调解并形成书面协议" + "，逐项落实调解协议" * (3 * lines)), STYLE)
    pages = _render(tmp_path, docs)
    out = "".join(pages["notice"])
    for value in ("东山镇综治中心", "督办通知书", "东综治〔2026〕12号", "镇司法所", "两户因宅基地界址争执", "一、督办事项",
                  "2026年12月8日"):
        assert value in out, value
    assert "\ufffd" not in out and len(pages["notice"]) <= 2
    signed = re.compile("东山镇综治中心" + re.escape(view.issued_on) + "(?!印发)")
    last = "请承办单位签收后按期办理"
    for name, texts_ in pages.items():
        [page] = [p for p in texts_ if signed.search(p)]
        assert last in page, f"{name}: the date went to a page of its own"
    assert any(len(p) > 1 for p in pages.values())  # the long ones did break across pages
    # the Chinese text was drawn with a font that has Chinese glyphs (not boxes from a Latin font)
    if shutil.which("pdffonts") and shutil.which("fc-list"):
        zh = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
        families = {f.replace(" ", "").lower() for line in zh.splitlines() for f in line.split(",") if f}
        if not families:
            pytest.skip("no Chinese font installed")
        used = subprocess.run(["pdffonts", str(tmp_path / "notice.pdf")], capture_output=True, text=True).stdout
        used = used.replace(" ", "").lower()
        assert any(family in used for family in families), used
