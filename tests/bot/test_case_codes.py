"""The case buttons' vocabulary words: a name, or an old position exactly as it was sent."""

from types import SimpleNamespace

import pytest

from bot.callbacks import ActionOutcome, ActionOutcomeLegacy, CaseSatisfactionLegacy, CaseSatisfactionLevel
from handlers.common import StaleButton, word_pressed
from models import Outcome, Satisfaction


def _press(data: str):
    return SimpleNamespace(callback_query=SimpleNamespace(data=data))


def test_a_name_and_an_old_position_give_the_same_code():
    assert word_pressed(_press("ca:ro:7:not_mediated"), ActionOutcome, ActionOutcomeLegacy, Outcome) \
        == ActionOutcome(7, Outcome.not_mediated)
    assert word_pressed(_press("ca:ro:7:2"), ActionOutcome, ActionOutcomeLegacy, Outcome) \
        == ActionOutcome(7, Outcome.not_mediated)
    assert word_pressed(_press("case:sfl:7:1"), CaseSatisfactionLevel, CaseSatisfactionLegacy, Satisfaction) \
        == CaseSatisfactionLevel(7, Satisfaction.mostly_satisfied)


@pytest.mark.parametrize("data", ["ca:ro:7:01", "ca:ro:7:-0", "ca:ro:7:٣", "ca:ro:7:5", "ca:ro:7:-1",
                                  "ca:ro:7:happy", "ca:ro:99999999999:2", "ca:ra:7:2", "ca:ro:7:2:x"])
def test_anything_never_sent_is_stale(data):
    with pytest.raises(StaleButton):
        word_pressed(_press(data), ActionOutcome, ActionOutcomeLegacy, Outcome)
