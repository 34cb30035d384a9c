"""The 督办通知书 .docx reaches the unit and the director through the outbox: uploaded once,
then re-sent by its Telegram file id."""

import io
from datetime import timedelta

from docx import Document

from bot.services import supervision
from tests.bot.harness import say
from tests.factories import Township

DIRECTOR_CHAT, UNIT_CHAT = 1, 7  # the director's and 老李's (镇司法所) Telegram ids


async def test_notice_docx_is_delivered_then_resent_by_file_id(bot):
    unit, director = bot.user(UNIT_CHAT, "司法所小李"), bot.user(DIRECTOR_CHAT, "主任")
    w = Township.build(bot.db, bot.clock).with_police()
    w.running_case(to_unit=True)
    for user in (unit, director):  # people who have written to the bot once
        await say(user, "/help")
    notice = w.issue()

    def docs(user):
        return [m for m in user.messages() if m.kind == "document"]

    for user in (unit, director):
        await user.wait_for_message(timeout=10, predicate=lambda m: m.kind == "document")
        [doc] = docs(user)
        assert doc.file.file_name == f"督办通知书{notice.number}.docx" and notice.number in doc.plain_text
        body = "\n".join(p.text for p in Document(io.BytesIO(doc.file_bytes())).paragraphs)
        assert "督办通知书" in body and notice.number in body
        assert "查看督办" in doc.buttons
    uploads = bot.emu.calls_to("sendDocument")
    first_id = docs(unit)[0].file.file_id
    assert w.notice(notice.id).docx_file_id in {d.file.file_id for u in (unit, director) for d in docs(u)}

    bot.clock.advance(timedelta(minutes=1))
    bot.db.call(supervision.send_docx, actor_id=w.unit_contact, notice_id=notice.id, now=bot.clock.now())
    await unit.wait_for_message(timeout=10, predicate=lambda m: m.kind == "document" and len(docs(unit)) == 2)
    again = bot.emu.calls_to("sendDocument")[len(uploads):]
    assert len(again) == 1 and again[0].params["document"] == w.notice(notice.id).docx_file_id
    assert docs(unit)[1].file_bytes() == docs(unit)[0].file_bytes()
    assert first_id and docs(unit)[1].caption == docs(unit)[0].caption
