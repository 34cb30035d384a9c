"""The 督办通知书 .docx: opens with python-docx, holds every field, names an East Asian font everywhere."""

import io
import shutil
import subprocess
import zipfile
from datetime import date

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from lxml import etree

from bot import texts
from bot.services import notice_docx, supervision
from bot.services.deadlines import DeadlinePolicy
from models import NoticeLevel, NoticeSource, NoticeStatus
from tests.services.test_supervision import SupervisionWorld

POLICY = DeadlinePolicy()


def sample_view(**kw) -> supervision.NoticeView:
    base = dict(
        id=12, number="〔2026〕第012号", level=NoticeLevel.yellow, source=NoticeSource.upper,
        status=NoticeStatus.signed, case_id=42, case_number="2026-0042", case_summary="两户因宅基地界址争执，多次调解未果",
        unit_id=3, unit_name="镇司法所", contacts="司法所老李", original_due="2026年12月03日 17:30", days_overdue=3,
        requirements="请于期限前组织双方调解，形成书面协议", due="2026年12月10日 17:30",
        feedback="每两个工作日报告一次进展", cc="县综治中心、镇党委办", issuer="王主任", issued_on="2026年12月08日",
        signed_by="司法所老李", signed_at="2026年12月08日 10:15", parent_number="〔2026〕第003号",
    )
    base.update(kw)
    return supervision.NoticeView(**base)


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def test_the_document_holds_every_field():
    view = sample_view()
    data = notice_docx.build_docx(view)
    doc = Document(io.BytesIO(data))
    text = all_text(doc)
    for value in (view.number, view.unit_name, view.contacts, view.case_number, view.case_summary, view.original_due,
                  "超期 3 个工作日", view.requirements, view.due, view.feedback, "黄牌", "上级交办", view.cc,
                  view.issuer, view.issued_on, view.signed_by, view.signed_at, "重新督办（原通知书 〔2026〕第003号）"):
        assert value in text, value
    labels = [row.cells[0].text for row in doc.tables[0].rows]
    assert labels == list(texts.DOCX_FIELDS.values())
    title = next(p for p in doc.paragraphs if p.text == "督办通知书")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and all(r.bold for r in title.runs)
    number = next(p for p in doc.paragraphs if p.text == view.number)
    assert number.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert [p.text for p in doc.paragraphs].index("督办通知书") < [p.text for p in doc.paragraphs].index(view.number)


def test_unsigned_notice_leaves_the_signing_blanks():
    doc = Document(io.BytesIO(notice_docx.build_docx(sample_view(signed_by="", signed_at="", cc="", original_due=""))))
    rows = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert rows["签收人"].strip("　") == "" and rows["签收时间"].strip("　") == ""
    assert rows["原办理期限及超期天数"] == "未设定" and rows["抄送"] == "—"


def test_every_run_names_an_east_asian_font():
    data = notice_docx.build_docx(sample_view())
    fonts = notice_docx.east_asia_fonts(data)
    assert fonts and None not in fonts
    assert set(fonts) <= {"仿宋_GB2312", "宋体"}
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
    # a font that is not installed falls back to one every Chinese Windows has
    alt = {f.get(qn("w:name")): f.find(qn("w:altName")) for f in font_table.iter(qn("w:font"))}
    assert alt["仿宋_GB2312"].get(qn("w:val")) == "仿宋"
    assert Document(io.BytesIO(data)).styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_a_real_notice_from_the_database(db, clock):
    w = SupervisionWorld(db, clock)
    n = w.issue(due=date(2026, 12, 10), cc="县综治中心", level=NoticeLevel.red)
    w.call(supervision.sign, actor_id=w.unit_contact, notice_id=n.id)
    view = w.call(supervision.notice_view, viewer_id=w.director, notice_id=n.id, policy=POLICY)
    doc = Document(io.BytesIO(notice_docx.build_docx(view)))
    text = all_text(doc)
    for value in ("〔2026〕第001号", "镇司法所", "2026-0001", "两户因排水沟争吵", "2026年12月03日 17:30",
                  "请于期限前调解到位并书面反馈", "2026年12月10日 17:30", texts.SV_DEFAULT_FEEDBACK, "红牌", "本级",
                  "县综治中心", "王主任", "2026年11月30日", "司法所老李", "2026年11月30日 09:00"):
        assert value in text, value


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_renders_the_chinese_text(tmp_path):
    """With LibreOffice present: the PDF it makes carries the Chinese text (no missing glyphs)."""
    path = tmp_path / "notice.docx"
    path.write_bytes(notice_docx.build_docx(sample_view()))
    profile = f"-env:UserInstallation=file://{tmp_path}/lo"  # its own profile: no clash with another soffice
    subprocess.run(["soffice", profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=120)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    out = subprocess.run(["pdftotext", str(tmp_path / "notice.pdf"), "-"], check=True,
                         capture_output=True, text=True).stdout
    out = "".join(out.split())  # pdftotext spaces Latin digits apart from CJK text
    for value in ("督办通知书", "〔2026〕第012号", "承办单位", "镇司法所", "两户因宅基地界址争执"):
        assert value in out
    assert "\ufffd" not in out
    # the Chinese text was drawn with a font that has Chinese glyphs (not boxes from a Latin font)
    if shutil.which("pdffonts") and shutil.which("fc-list"):
        zh = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
        families = {f.replace(" ", "").lower() for line in zh.splitlines() for f in line.split(",") if f}
        if not families:
            pytest.skip("no Chinese font installed")
        used = subprocess.run(["pdffonts", str(tmp_path / "notice.pdf")], capture_output=True, text=True).stdout
        used = used.replace(" ", "").lower()
        assert any(family in used for family in families), used
