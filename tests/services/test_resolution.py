import pytest

from bot.services.resolution import Resolution, resolution_of
from models import Outcome


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        (Outcome.mediated, Resolution.substantive),
        ("调解成功", Resolution.substantive),
        (Outcome.partly_mediated, Resolution.partial),
        (Outcome.not_mediated, Resolution.procedural),
        (Outcome.transferred, Resolution.procedural),
        (Outcome.declined, Resolution.procedural),
        (None, None),
    ],
)
def test_every_outcome_has_one_result(outcome, expected):
    assert resolution_of(outcome) == expected


def test_no_outcome_is_left_out():
    assert {resolution_of(o) for o in Outcome} <= set(Resolution)
    assert len({o for o in Outcome if resolution_of(o) is None}) == 0
