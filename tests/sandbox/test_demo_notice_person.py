"""The demo township's 督办通知书 to a person (承办人员): the data, and 周明 reaching it in the running
sandbox with a unit contact's buttons, while a unit's contact cannot."""

import io

import pytest
from docx import Document

from bot.sandbox import demo
from bot.services import notice_docx, supervision
from bot.services.errors import NotAllowed
from bot.services.intake import IntakePolicy
from models import NoticeStatus, SupervisionNotice
from tests.sandbox.conftest import START

POLICY = IntakePolicy().deadlines


@pytest.fixture
def town(db):
    return demo.build(db, start=START, policy=IntakePolicy())


def test_demo_notice_to_a_person(db, town):
    d, p = town.notice_to_person, town.people
    with db.session() as s:
        notice = s.get(SupervisionNotice, d["notice"])
        assert (notice.unit_id, notice.assignee_id, notice.status) == (None, p["周明"], NoticeStatus.issued)
        assert notice.number == f"综治〔{START.year}〕2号"  # after the police station's 1号: one sequence
        card = supervision.notice_card(s, viewer_id=p["周明"], notice_id=notice.id, now=START, policy=POLICY)
        assert card.actions == ("sign",) and card.view.unit_name == "周明"
        with pytest.raises(NotAllowed):
            supervision.notice_card(s, viewer_id=p["吴刚"], notice_id=notice.id, now=START, policy=POLICY)
        view = supervision.document_view(s, notice_id=notice.id, now=START, tz=POLICY.tz)
    lines = [x.text for x in Document(io.BytesIO(notice_docx.build_docx(view))).paragraphs]
    assert "周明同志：" in lines


async def test_zhou_ming_finds_and_signs_it_in_the_sandbox(sandbox):
    number = sandbox.town.notice_to_person["number"]
    zhou = sandbox.emu.user(demo.persona("周明").telegram_id)
    await zhou.send_text("/supervisions")
    listing = await zhou.wait_for_message(timeout=10)
    await zhou.press(listing, next(b for b in listing.buttons if number in b))
    card = await zhou.wait_for_message(timeout=10)
    assert "承办人员：周明" in card.plain_text and "✍️ 签收" in card.buttons
    await zhou.press(card, "✍️ 签收")
    signed = await zhou.wait_for_message(timeout=10, predicate=lambda m: "已签收" in (m.plain_text or ""))
    assert "📝 报送进展" in signed.buttons

    judicial = sandbox.emu.user(demo.persona("吴刚").telegram_id)
    await judicial.send_text("/supervisions")
    theirs = await judicial.wait_for_message(timeout=10)
    assert not any(number in b for b in theirs.buttons)
