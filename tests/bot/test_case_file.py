"""一案一档 through the chat: the card's button sends a protected .zip whose case form opens and whose
attachments are the files people sent; re-sending reuses the kept file; 归档 sends it by itself; a
person who may not see a confidential case gets no button and a forged press is refused."""

import asyncio
import io
import zipfile

from docx import Document
from sqlmodel import select

from bot import texts
from bot.callbacks import CaseFileSend
from bot.services import case_file, cases
from bot.services.case_access import FileInput, add_files
from bot.texts import case_file as words
from models import Agreement, CaseFile, Outbox, Outcome, ReplyMethod
from tests.bot.steps import alert, ask, has, open_card, tap
from tests.factories import VALID_ID

BUTTON = "🗂 一案一档"


def _document(message) -> tuple[zipfile.ZipFile, str]:
    archive = zipfile.ZipFile(io.BytesIO(message.file_bytes()))
    form = Document(io.BytesIO(archive.read(archive.namelist()[0])))
    text = "\n".join([p.text for p in form.paragraphs] + [c.text for t in form.tables for r in t.rows for c in r.cells])
    return archive, text


async def test_from_the_card_a_protected_zip_with_the_form_and_the_attachments(bot, town):
    director = town.user(1)
    await town.greet(1)
    ref = town.running_case()
    photo = bot.emu.world.store_file("photo", b"PHOTO-BYTES", width=800, height=600)
    with town.db.session() as s:
        add_files(s, ref.id, town.staff2, [FileInput(kind="photo", file_id=photo.file_id, size=11)], town.clock.now())
    await town.delivered()

    card = await open_card(director, ref.number)
    assert BUTTON in card.buttons
    await director.press(card, BUTTON)
    await director.wait_for_message(predicate=has("正在生成"))
    sent = await director.wait_for_message(predicate=lambda m: m.kind == "document")
    assert sent.protected and sent.file.file_name == f"一案一档_{ref.number}.zip"
    assert ref.number in sent.caption
    archive, form = _document(sent)
    assert archive.read("附件/01_照片.jpg") == b"PHOTO-BYTES"
    assert "一、登记表" in form and "两户因排水沟争吵" in form and VALID_ID in form and "2026年11月30日" in form

    # Again: the kept file goes by its file id, nothing is built or uploaded again.
    await director.press(card, BUTTON)
    again = await director.wait_for_message(predicate=lambda m: m.kind == "document" and m.message_id != sent.message_id)
    assert again.file.file_id == sent.file.file_id
    with town.db.session() as s:
        [kept] = s.exec(select(CaseFile)).all()
        assert kept.file_ids == [sent.file.file_id]
        kept.file_ids = ["GONE-FROM-TELEGRAM"]  # e.g. another bot token: Telegram refuses the old id
        s.add(kept)

    # A kept id Telegram refuses: built and uploaded again, and the new id kept.
    await director.press(card, BUTTON)
    rebuilt = await director.wait_for_message(predicate=lambda m: m.kind == "document" and m.message_id > again.message_id)
    assert _document(rebuilt)[0].read("附件/01_照片.jpg") == b"PHOTO-BYTES"
    # The sender keeps the new id in its own unit of work once the upload is answered: wait for it.
    for _ in range(100):
        with town.db.session() as s:
            kept_ids = s.exec(select(CaseFile)).one().file_ids
        if kept_ids != ["GONE-FROM-TELEGRAM"]:
            break
        await asyncio.sleep(0.05)
    assert kept_ids == [rebuilt.file.file_id]


async def test_over_the_upload_limit_the_file_comes_in_numbered_parts(bot, town, monkeypatch):
    director = town.user(1)
    await town.greet(1)
    ref = town.running_case()
    with town.db.session() as s:
        files = [FileInput(kind="document", file_id=bot.emu.world.store_file(
            "document", bytes([n]) * 5000, file_name=f"材料{n}.pdf").file_id, file_name=f"材料{n}.pdf", size=5000)
            for n in (1, 2)]
        add_files(s, ref.id, town.staff2, files, town.clock.now())
    await town.delivered()
    monkeypatch.setattr(case_file, "PART_LIMIT", 6000)  # stands for Telegram's 50 MB: one attachment a part
    card = await open_card(director, ref.number)
    await director.press(card, BUTTON)
    parts = await director.wait_for_messages(3, predicate=lambda m: m.kind == "document")
    assert [p.file.file_name for p in parts] == [f"一案一档_{ref.number}_第{i}部分共3部分.zip" for i in (1, 2, 3)]
    assert all(f"第 {i}/3 个" in p.caption for i, p in enumerate(parts, start=1))
    assert parts[-1].buttons == [] and all(p.protected for p in parts)
    assert zipfile.ZipFile(io.BytesIO(parts[2].file_bytes())).read("附件/02_材料2.pdf") == bytes([2]) * 5000


async def test_archiving_sends_the_case_file_by_itself(bot, town):
    staff = town.user(4)
    await town.greet(4)
    ref = town.running_case()
    town.do(cases.resolve, town.staff2, ref.id, outcome=Outcome.mediated, agreement=Agreement.oral, summary="已调解")
    town.do(cases.record_reply, town.staff2, ref.id, method=ReplyMethod.phone, replied_at=town.clock.now())
    await town.delivered()
    card = await open_card(staff, ref.number)
    confirm = await tap(staff, card, "归档", "确认归档")
    await tap(staff, confirm, "✅ 确认归档", "已归档")
    sent = await staff.wait_for_message(predicate=lambda m: m.kind == "document")
    assert "已归档" in sent.caption and sent.protected
    _archive, form = _document(sent)
    assert "已归档" in form and "已调解" in form
    assert "138****8000" in form and "13800138000" not in form  # 孙丽 sees the party masked


async def test_no_button_and_a_refused_forgery_for_who_may_not_see_a_confidential_case(bot, town):
    reporter, leader, director = town.user(6), town.user(3), town.user(1)
    await town.greet(6, 3, 1)
    ref = town.submit(type_id=town.secret, description="境外人员散发材料")  # confidential by its type
    await town.delivered()
    card = await open_card(reporter, ref.number)  # the reporter's limited view
    assert BUTTON not in card.buttons
    forged = CaseFileSend(ref.id).pack()
    assert await alert(reporter, card, data=forged) == words.NOT_ALLOWED
    assert await alert(leader, await ask(leader, "/help"), data=forged) == words.NOT_ALLOWED
    with town.db.session() as s:
        assert s.exec(select(Outbox).where(Outbox.document.like("casefile:%"))).all() == []
    card = await open_card(director, ref.number)
    assert BUTTON in card.buttons  # the director may see it


async def test_never_in_a_group(bot, town):
    director = town.user(1)
    await town.greet(1)
    ref = town.running_case()
    await town.delivered()
    bot.emu.group(-100777, "镇党委工作群", members=[director])
    await director.send_text("/help", chat_id=-100777)
    answer = await director.wait_for_message(chat_id=-100777)
    # refused before it reaches the case file (a button in a group is stale to the bot), or by it
    assert await alert(director, answer, data=CaseFileSend(ref.id).pack()) in (words.PRIVATE_ONLY, texts.STALE_BUTTON)
    with town.db.session() as s:
        assert s.exec(select(Outbox).where(Outbox.document.like("casefile:%"))).all() == []
