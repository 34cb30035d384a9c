"""Button codes: one definition packs, matches and parses; nothing longer than Telegram's 64 bytes."""

import re
from dataclasses import dataclass, fields
from datetime import date
from enum import Enum
from typing import get_type_hints

import pytest

from bot import callbacks
from bot.callbacks import Code


class Mood(Enum):
    calm = "平静"
    upset = "不满"


@dataclass(frozen=True)
class Sample(Code):
    TEMPLATE = "t:{case_id}:{day}:{mood}:{word}:x"
    case_id: int
    day: date
    mood: Mood
    word: str


def test_pack_and_parse_round_trip():
    code = Sample(12, date(2026, 12, 4), Mood.upset, "now")
    assert code.pack() == "t:12:2026-12-04:upset:now:x"
    assert Sample.parse(code.pack()) == code


@pytest.mark.parametrize("forged", ["t:x:2026-12-04:upset:now:x", "t:12:2026-12-04:平静:now:x",
                                    "t:12:2026-12-04:upset:now", "t:12:2026-13-04:upset:now:x",
                                    "t:12:2026-12-04:upset:now:x:extra", "", None])
def test_anything_else_is_a_value_error(forged):
    with pytest.raises(ValueError):
        Sample.parse(forged)


def test_the_64_byte_check_would_catch_a_long_code():
    worst = Sample.TEMPLATE.format(case_id=_longest(int), day=_longest(date), mood=_longest(Mood), word=_longest(str))
    assert len(worst.encode()) > callbacks.MAX_BYTES


def _longest(kind) -> str:
    if isinstance(kind, type) and issubclass(kind, Enum):
        return max((m.name for m in kind), key=len)
    return {int: "-" + "9" * 19, str: "w" * 24, date: "2026-12-04"}[kind]


@pytest.mark.parametrize("code", callbacks.all_codes(), ids=lambda c: c.__name__)
def test_every_code_fits_in_64_bytes_and_round_trips(code):
    hints = get_type_hints(code)
    worst = code.TEMPLATE.format(**{f.name: _longest(hints[f.name]) for f in fields(code)})
    assert len(worst.encode()) <= callbacks.MAX_BYTES, worst
    assert code.parse(worst).pack() == worst


def test_no_two_codes_match_the_same_data():
    codes = callbacks.all_codes()
    hints = {c: get_type_hints(c) for c in codes}
    for code in codes:
        data = code.TEMPLATE.format(**{f.name: _longest(hints[code][f.name]) for f in fields(code)})
        matching = [other.__name__ for other in codes if _matches(other, data)]
        assert matching == [code.__name__], data


def _matches(code, data) -> bool:
    try:
        code.parse(data)
    except ValueError:
        return False
    return True


def test_any_of_matches_each_code_and_nothing_else():
    pattern = re.compile(callbacks.any_of(callbacks.CaseView, callbacks.CaseAccept))
    assert pattern.match(callbacks.CaseView(3).pack()) and pattern.match(callbacks.CaseAccept(3).pack())
    assert not pattern.match(callbacks.CaseReply(3).pack()) and not pattern.match("case:v:3x")
