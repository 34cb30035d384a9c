"""Phone numbers typed by people: one check (identity.validate_phone) whose message says what it accepts."""

import pytest

from bot.services import cases, identity, people
from bot.services.cases import PartyInput
from bot.services.errors import InvalidInput


@pytest.mark.parametrize(("typed", "stored"), [
    ("13800138000", "13800138000"),
    ("138-0013-8000", "13800138000"),
    ("+86 139-1234-5678", "13912345678"),
    ("8613800138000", "13800138000"),
    ("0571-88888888", "0571-88888888"),
    ("057188888888", "0571-88888888"),  # 4-digit area code (0 + 3) read from the digits alone
    ("010-12345678", "010-12345678"),
    ("01012345678", "010-12345678"),  # 010 and 02X are 3-digit area codes
    ("(021) 6543 2100", "021-65432100"),
    ("0571-8888888", "0571-8888888"),  # 7-digit local number
    ("0571-88888888-123", "0571-88888888-123"),
    ("0571-88888888 转 8012", "0571-88888888-8012"),
    ("057188888888转8012", "0571-88888888-8012"),
])
def test_mobile_and_landline_numbers_are_accepted_and_stored_alike(typed, stored):
    assert identity.validate_phone(typed) == stored


@pytest.mark.parametrize("typed", [
    "1380013800",  # 10 digits: was accepted while the message said 11
    "138001380001",  # 12 digits starting with 1
    "23800138000",  # 11 digits not starting with 1
    "88888888",  # a landline without its area code
    "0571-888888",  # local part too short
    "0571-888888888",  # local part too long
    "0571-08888888",  # a local number never starts with 0
    "12ab",
    "13800138000 转 12",  # a mobile has no extension
])
def test_numbers_the_message_does_not_describe_are_refused_with_that_message(typed):
    with pytest.raises(InvalidInput) as exc:
        identity.validate_phone(typed)
    message = exc.value.message
    assert "1 开头的 11 位" in message and "区号" in message and "0571-88888888" in message


def test_every_typed_phone_goes_through_the_one_check():
    # a party's phone in /report and /visit
    assert cases.clean_party(PartyInput(name="赵大", phone="0571-88888888")).phone == "0571-88888888"
    with pytest.raises(InvalidInput):
        cases.clean_party(PartyInput(name="赵大", phone="1380013800"))


def test_own_phone_must_be_a_mobile():
    """People bind their account by sharing their Telegram number: only a mobile can be theirs."""
    assert identity.validate_phone("138 0013 8000", mobile_only=True) == "13800138000"
    with pytest.raises(InvalidInput) as exc:
        identity.validate_phone("0571-88888888", mobile_only=True)
    assert "1 开头的 11 位手机号" in exc.value.message
    with pytest.raises(InvalidInput):
        identity.validate_phone("1380013800", mobile_only=True)
    # Telegram's contact: '8613800138000', '+86 138…'
    assert people.normalize_phone("+8613800138000") == "13800138000"
