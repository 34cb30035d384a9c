"""Every action of the case state machine has its button: a code in bot/callbacks.py, a label, and the
button the card puts on it comes back as that action to a handler that takes it. Adding a transition
and forgetting one of these fails here, not silently on the card."""

from datetime import UTC, datetime

import pytest
from telegram.ext import CallbackQueryHandler, ConversationHandler

from bot import texts
from bot.callbacks import CASE_ACTIONS
from bot.services.case_card import CaseCard
from bot.services.cases import TRANSITIONS
from handlers import cases as case_handlers
from handlers.cases import card_keyboard
from models import CaseStatus, Severity, Source

OFFERED = sorted(set(TRANSITIONS) | {"confidential", "unconfidential"})  # what allowed_actions offers
CASE_ID = 2147483647  # the largest id the database holds: the code must carry it whole


def _card(action: str) -> CaseCard:
    return CaseCard(
        id=CASE_ID, number="2026-0042", status=CaseStatus.registered, type_name="", severity=Severity.general,
        urgent=False, confidential=False, source=Source.visit, village="", address="", latitude=None,
        longitude=None, occurred_at=None, description="", request="", people_count=None, amount=None, parties=(),
        reporter="", first_inquiry="", handler="", unit="", transfer_to="", guidance="", outcome="", agreement="",
        result="", reply_method="", replied_at=None, satisfaction="", created_at=datetime(2026, 12, 4, tzinfo=UTC),
        files=(), actions=(action,),
    )


def _parses(code, data: str) -> bool:
    try:
        code.parse(data)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_every_transition_has_a_code_and_a_label(action):
    assert action in CASE_ACTIONS
    assert texts.ACTION_LABELS.get(action)


@pytest.mark.parametrize("action", OFFERED)
def test_the_cards_button_parses_back_to_its_action(action):
    rows = card_keyboard(_card(action)).inline_keyboard
    data = [b.callback_data for row in rows for b in row if b.text == texts.ACTION_LABELS[action]]
    assert len(data) == 1, data
    assert [a for a, code in CASE_ACTIONS.items() if _parses(code, data[0])] == [action]
    assert CASE_ACTIONS[action].parse(data[0]).case_id == CASE_ID


def _patterns(handlers) -> list:
    found = []
    for handler in handlers:
        if isinstance(handler, ConversationHandler):
            found += _patterns(handler.entry_points)
        elif isinstance(handler, CallbackQueryHandler):
            found.append(handler.pattern)
    return found


@pytest.mark.parametrize("action", OFFERED)
def test_a_handler_takes_each_action_button(action):
    data = CASE_ACTIONS[action](CASE_ID).pack()
    assert any(p.match(data) for p in _patterns(case_handlers.handlers())), data
