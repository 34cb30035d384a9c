"""What people type into a step: one line of words, its length checked."""

from bot.services.errors import InvalidInput


def between(value: str | None, lo: int, hi: int, error: str) -> str:
    """Runs of spaces and line breaks collapsed to one space; `error` unless lo ≤ length ≤ hi."""
    value = " ".join((value or "").split())
    if not lo <= len(value) <= hi:
        raise InvalidInput(error)
    return value
