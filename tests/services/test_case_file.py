"""The electronic case file (一案一档, bot/services/case_file.py): what the .zip holds, who may have it,
how it is split under Telegram's 50 MB and kept for re-sending."""

import io
import zipfile

import pytest
from docx import Document
from sqlmodel import select

from bot.services import case_file, cases
from bot.services.case_access import FileInput, add_files
from bot.services.errors import NotAllowed
from models import Agreement, AuditEvent, CaseFile, Outbox, Outcome, ReplyMethod, Satisfaction
from tests.factories import VALID_ID, local


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def _finished_case(town):
    """Reported Mon 30 Nov 09:00, with a photo and a document; a 督办 and a 包案 on it; resolved,
    replied, satisfied and archived on Tue 1 Dec."""
    ref = town.running_case()
    with town.db.session() as s:
        add_files(s, ref.id, town.staff2, [
            FileInput(kind="photo", file_id="PHOTO-1", file_unique_id="u1", size=11),
            FileInput(kind="document", file_id="DOC-1", file_unique_id="u2", file_name="调解协议.pdf", size=9),
        ], town.clock.now(), note="进展")
    town.issue()
    town.approved()
    town.clock.set(local(2026, 12, 1, 10))
    town.do(cases.resolve, town.staff2, ref.id, outcome=Outcome.mediated, agreement=Agreement.written,
            summary="双方签订调解协议，疏通排水沟")
    town.do(cases.record_reply, town.staff2, ref.id, method=ReplyMethod.phone, replied_at=town.clock.now())
    town.do(cases.record_satisfaction, town.staff2, ref.id, level=Satisfaction.satisfied)
    town.do(cases.archive, town.staff, ref.id)
    return ref


FETCHED = {"PHOTO-1": b"JPEG-BYTES", "DOC-1": b"%PDF-1.4"}


def _plan(town, viewer, case_id):
    return town.db.call(case_file.plan, viewer_id=viewer, case_id=case_id, now=town.clock.now())


def test_the_zip_holds_the_case_form_the_attachments_and_the_documents(town):
    ref = _finished_case(town)
    built = _plan(town, town.director, ref.id)
    [part] = case_file.pack(built, FETCHED)
    assert part.name == f"一案一档_{ref.number}.zip"
    archive = zipfile.ZipFile(io.BytesIO(part.data))
    names = archive.namelist()
    assert names == [f"{ref.number}_案件档案.docx", "督办通知书_综治〔2026〕1号.docx", f"{ref.number}_领导包案审批表.docx",
                     "附件/01_照片.jpg", "附件/02_调解协议.pdf"]
    assert archive.read("附件/01_照片.jpg") == b"JPEG-BYTES" and archive.read("附件/02_调解协议.pdf") == b"%PDF-1.4"
    form = _docx_text(archive.read(names[0]))
    for expected in ("一、登记表", "二、调处记录", "三、办结报告", "四、附件清单", ref.number, "东山村 第一网格",
                     "网格员上报", "两户因排水沟争吵", "赵大", "13800138000", VALID_ID,  # the director sees them whole
                     "2026年11月30日 09:00", "调解成功", "书面协议", "双方签订调解协议", "电话", "满意", "刘领导",
                     "综治〔2026〕1号", "按期办结", "受理", "分派", "归档", "已收入", "周明"):
        assert expected in form, expected
    baoan_form = _docx_text(archive.read(names[2]))
    assert "领导包案审批表" in baoan_form and "涉及多部门，需党委协调" in baoan_form and "批准" in baoan_form
    notice = Document(io.BytesIO(archive.read(names[1])))
    assert any("督办通知书" in p.text for p in notice.paragraphs)


def test_personal_data_is_masked_as_on_the_card(town):
    ref = _finished_case(town)
    built = _plan(town, town.staff, ref.id)  # 孙丽: neither the reporter nor assigned
    form = _docx_text(zipfile.ZipFile(io.BytesIO(case_file.pack(built, FETCHED)[0].data))
                      .read(f"{ref.number}_案件档案.docx"))
    assert "138****8000" in form and "1101**********002X" in form
    assert "13800138000" not in form and VALID_ID not in form


def test_an_attachment_telegram_will_not_give_is_listed_not_lost(town):
    ref = _finished_case(town)
    built = _plan(town, town.director, ref.id)
    archive = zipfile.ZipFile(io.BytesIO(case_file.pack(built, {"PHOTO-1": b"JPEG", "DOC-1": None})[0].data))
    assert "附件/02_调解协议.pdf" not in archive.namelist()
    assert "02_调解协议.pdf" in archive.read("未能收入的附件.txt").decode()
    assert "未能收入" in _docx_text(archive.read(f"{ref.number}_案件档案.docx"))


def test_over_the_limit_it_is_split_into_parts_that_each_open(town):
    ref = _finished_case(town)
    built = _plan(town, town.director, ref.id)
    big = {"PHOTO-1": b"P" * 6000, "DOC-1": b"D" * 6000}
    # The forms alone are over this limit: the attachments go into a second part, together (12 000 ≤ 13 000).
    parts = case_file.pack(built, big, limit=13_000)
    assert [p.name for p in parts] == [f"一案一档_{ref.number}_第1部分共2部分.zip", f"一案一档_{ref.number}_第2部分共2部分.zip"]
    first, second = (zipfile.ZipFile(io.BytesIO(p.data)) for p in parts)
    assert first.namelist()[0] == f"{ref.number}_案件档案.docx" and not any(n.startswith("附件/") for n in first.namelist())
    assert second.namelist() == ["附件/01_照片.jpg", "附件/02_调解协议.pdf"]
    assert second.read("附件/02_调解协议.pdf") == b"D" * 6000
    # a smaller limit: one attachment a part
    assert len(case_file.pack(built, big, limit=7000)) == 3
    assert all(len(p.data) < case_file.UPLOAD_LIMIT for p in parts)


def test_kept_by_file_id_until_the_case_changes(town):
    ref = _finished_case(town)
    built = _plan(town, town.director, ref.id)
    assert built.kept == ()
    town.db.call(case_file.remember, case_id=ref.id, fingerprint=built.fingerprint, file_ids=["ZIP-1"], size=100,
                 now=town.clock.now())
    again = _plan(town, town.director, ref.id)  # viewing the card in between changes nothing
    assert again.kept == ("ZIP-1",) and again.record is None
    # another viewer sees other things (masked parties): another file
    assert _plan(town, town.staff, ref.id).kept == ()
    town.do(cases.set_confidential, town.director, ref.id, confidential=True)  # an event: the file is stale
    assert _plan(town, town.director, ref.id).kept == ()
    with town.db.session() as s:
        assert len(s.exec(select(CaseFile)).all()) == 1


def test_who_may_not_see_the_case_gets_no_file(town):
    ref = town.submit(type_id=town.secret, description="境外人员散发材料")  # confidential by type
    for viewer in (town.leader, town.staff, town.grid_worker):  # the reporter gets the limited view only
        with pytest.raises(NotAllowed):
            _plan(town, viewer, ref.id)
        with pytest.raises(NotAllowed):
            town.db.call(case_file.request, viewer_id=viewer, case_id=ref.id, now=town.clock.now())
    assert _plan(town, town.director, ref.id).record is not None


def test_a_request_and_the_archive_queue_a_protected_file_to_the_private_chat_and_are_audited(town):
    ref = town.running_case()
    town.do(cases.resolve, town.staff2, ref.id, outcome=Outcome.mediated, agreement=Agreement.oral, summary="好")
    town.do(cases.record_reply, town.staff2, ref.id, method=ReplyMethod.phone, replied_at=town.clock.now())
    town.do(case_file.archive, town.staff, ref.id)
    town.db.call(case_file.request, viewer_id=town.director, case_id=ref.id, now=town.clock.now())
    with town.db.session() as s:
        rows = s.exec(select(Outbox).where(Outbox.document.like("casefile:%")).order_by(Outbox.id)).all()
        audited = s.exec(select(AuditEvent.actor_id).where(AuditEvent.action == "case_file.requested")).all()
    assert [(r.chat_id, r.document, r.protect) for r in rows] == [
        (4, f"casefile:{ref.id}:{town.staff}", True), (1, f"casefile:{ref.id}:{town.director}", True)]
    assert "已归档" in rows[0].text
    assert audited == [town.staff, town.director]
    assert town.status(ref.id) == cases.CaseStatus.archived
