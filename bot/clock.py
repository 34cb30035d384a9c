"""The clock is injected so tests move time instead of sleeping (DESIGN.md rule 3)."""

from datetime import UTC, datetime, timedelta


class Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FrozenClock(Clock):
    """A clock that only moves when told to: tests and the training sandbox."""

    def __init__(self, start: datetime):
        if start.tzinfo is None:
            raise ValueError("FrozenClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment.astimezone(UTC)


class OffsetClock(Clock):
    """Real time shifted by a settable offset: time flows, and can jump ahead (the training sandbox).

    `real` is the underlying clock (injectable so tests need not sleep). Jumps move the offset,
    so the time keeps flowing from the new moment.
    """

    def __init__(self, start: datetime | None = None, *, real: Clock | None = None):
        self._real = real or Clock()
        self._offset = timedelta(0)
        if start is not None:
            self.set(start)

    @property
    def offset(self) -> timedelta:
        return self._offset

    def now(self) -> datetime:
        return self._real.now() + self._offset

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            raise ValueError("the sandbox clock only moves forward")
        self._offset += delta
        return self.now()

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("OffsetClock needs an aware datetime")
        self._offset = moment.astimezone(UTC) - self._real.now()
