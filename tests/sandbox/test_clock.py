"""OffsetClock: real time shifted by a settable offset (the sandbox's clock)."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import Clock, FrozenClock, OffsetClock


def test_flows_with_real_time_from_the_moment_set():
    real = FrozenClock(datetime(2030, 1, 1, tzinfo=UTC))
    start = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
    clock = OffsetClock(start, real=real)
    assert clock.now() == start
    real.advance(timedelta(minutes=7, seconds=3))
    assert clock.now() == start + timedelta(minutes=7, seconds=3)


def test_advance_jumps_and_time_keeps_flowing():
    real = FrozenClock(datetime(2030, 1, 1, tzinfo=UTC))
    clock = OffsetClock(datetime(2026, 11, 27, 1, 0, tzinfo=UTC), real=real)
    assert clock.advance(timedelta(hours=1)) == datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
    real.advance(timedelta(seconds=30))
    assert clock.now() == datetime(2026, 11, 27, 2, 0, 30, tzinfo=UTC)
    assert clock.offset == datetime(2026, 11, 27, 2, 0, tzinfo=UTC) - datetime(2030, 1, 1, tzinfo=UTC)


def test_set_takes_any_time_zone_and_refuses_naive_times():
    real = FrozenClock(datetime(2030, 1, 1, tzinfo=UTC))
    clock = OffsetClock(real=real)
    assert clock.now() == real.now()  # no start: real now
    from zoneinfo import ZoneInfo

    clock.set(datetime(2026, 11, 30, 8, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
    assert clock.now() == datetime(2026, 11, 30, 0, 30, tzinfo=UTC)
    with pytest.raises(ValueError):
        clock.set(datetime(2026, 11, 30, 8, 30))


def test_never_moves_backwards_by_advance():
    clock = OffsetClock(datetime(2026, 11, 27, 1, 0, tzinfo=UTC))
    with pytest.raises(ValueError):
        clock.advance(timedelta(seconds=-1))


def test_default_real_clock_is_the_system_time():
    clock = OffsetClock(datetime(2026, 11, 27, 1, 0, tzinfo=UTC))
    first = clock.now()
    assert first.tzinfo is not None
    assert abs((first - datetime(2026, 11, 27, 1, 0, tzinfo=UTC)).total_seconds()) < 5
    assert isinstance(Clock().now(), datetime)
    assert clock.now() >= first
