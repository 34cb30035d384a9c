"""涉及人数 as people type it: digits or Chinese numerals, exact or approximate (「约40人」)."""

import pytest

from bot.services import cases
from bot.services.errors import InvalidInput


@pytest.mark.parametrize(("typed", "count", "approx"), [
    ("5", 5, False),
    ("5人", 5, False),
    ("12 个人", 12, False),
    ("40", 40, False),
    ("约40人", 40, True),
    ("大约 40 人", 40, True),
    ("40多人", 40, True),
    ("40余人", 40, True),
    ("40人左右", 40, True),
    ("三十人左右", 30, True),
    ("三十多", 30, True),
    ("二十几个人", 20, True),
    ("十五人", 15, False),
    ("两百人", 200, False),
    ("一百二十人", 120, False),
    ("上百人", 100, True),
    ("近千人", 1000, True),
    ("三千", 3000, False),
    ("１２人", 12, False),  # full-width digits from a Chinese keyboard
])
def test_typed_counts_are_understood(typed, count, approx):
    assert cases.read_people_count(typed) == (count, approx)


@pytest.mark.parametrize("typed", ["很多", "0", "0人", "100001", "一些人", "", "四十五十"])
def test_what_is_not_a_count_is_refused_saying_what_to_type(typed):
    with pytest.raises(InvalidInput) as exc:
        cases.read_people_count(typed)
    assert "约40人" in exc.value.message
