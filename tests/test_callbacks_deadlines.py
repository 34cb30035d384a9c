"""The deadline, reminder and urgent-alert codes pack exactly the data their buttons carried before
the codes existed (those buttons still sit in people's chats)."""

import re
from datetime import date

import pytest

from bot import callbacks as cb

WIRE = [
    (cb.DeadlineExtend(7), "dl:ext:7"),
    (cb.DeadlinePause(7), "dl:pause:7"),
    (cb.DeadlineResume(7), "dl:resume:7"),
    (cb.DeadlineSet(7), "dl:set:7"),
    (cb.DeadlineDate(7, date(2026, 12, 10)), "dl:d:7:2026-12-10"),
    (cb.DeadlineConfirm(7), "dl:c:7"),
    (cb.DeadlineCancel(7), "dl:x:7"),
    (cb.DeadlineApprove(3), "dl:ok:3"),
    (cb.DeadlineRefuse(3), "dl:no:3"),
    (cb.ReminderAck(5), "rem:ack:5"),
    (cb.UrgentAck(9), "urg:ack:9"),
]


@pytest.mark.parametrize(("code", "data"), WIRE, ids=[d for _, d in WIRE])
def test_codes_pack_todays_data(code, data):
    assert code.pack() == data
    assert type(code).parse(data) == code


def test_the_approval_buttons_share_the_family_prefix():
    assert all(c.pack().startswith(cb.DEADLINE_FAMILY) for c in (cb.DeadlineApprove(1), cb.DeadlineRefuse(1)))


def test_the_entry_pattern_takes_the_three_requests_only():
    pattern = re.compile(cb.any_of(cb.DeadlineExtend, cb.DeadlinePause, cb.DeadlineResume))
    assert all(pattern.match(d) for d in ("dl:ext:1", "dl:pause:1", "dl:resume:1"))
    assert not any(pattern.match(d) for d in ("dl:set:1", "dl:ext:x", "dl:ext:1:2"))
