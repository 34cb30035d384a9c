"""After each sweep the bot books one more run for the next due reminder, when that comes before
the next regular run: a reminder leaves within a second or two of its moment, not up to a whole
interval late. Nothing extra is booked when nothing is due soon, and an old booking is replaced."""

from datetime import UTC, datetime, timedelta

from bot.context import deps
from bot.sweeps import WAKE, schedule_wake
from models import Case
from tests.bot.towns import Town


def wait_for_reminder_in(town, case_id: int, seconds: float | None) -> None:
    with town.db.session() as s:
        case = s.get(Case, case_id)
        case.next_reminder_at = None if seconds is None else town.clock.now() + timedelta(seconds=seconds)
        s.add(case)


def booked(bot) -> list[int]:
    """Seconds from now (the scheduler runs on real time) to each booked wake-up."""
    now = datetime.now(UTC)
    return [round((job.next_t - now).total_seconds()) for job in bot.app.job_queue.get_jobs_by_name(WAKE)
            if not job.removed]


async def test_a_reminder_due_before_the_next_run_books_a_wake_up_at_its_moment(bot):
    town = Town(bot)
    case_id = await town.running_case()
    settings = deps(bot.app).settings
    deps(bot.app).settings = settings.model_copy(update={"sweep_interval_seconds": 30})
    try:
        wait_for_reminder_in(town, case_id, 12)
        await schedule_wake(bot.app)
        assert booked(bot) == [12]
        wait_for_reminder_in(town, case_id, 5)  # a newer, earlier moment replaces the booking
        await schedule_wake(bot.app)
        assert booked(bot) == [5]
        wait_for_reminder_in(town, case_id, 45)  # after the next regular run: that run will do
        await schedule_wake(bot.app)
        assert booked(bot) == []
        wait_for_reminder_in(town, case_id, None)
        await schedule_wake(bot.app)
        assert booked(bot) == []
    finally:
        deps(bot.app).settings = settings


async def test_a_moment_a_few_milliseconds_ahead_is_booked_too(bot):
    """Two reminders 50 ms apart: the run for the first must book the second, not leave it to the
    regular run up to a whole interval later."""
    town = Town(bot)
    case_id = await town.running_case()
    settings = deps(bot.app).settings
    deps(bot.app).settings = settings.model_copy(update={"sweep_interval_seconds": 30})
    try:
        wait_for_reminder_in(town, case_id, 0.05)
        await schedule_wake(bot.app)
        assert booked(bot) == [0]
        wait_for_reminder_in(town, case_id, 0)  # due now: the run under way or the regular one takes it
        await schedule_wake(bot.app)
        assert booked(bot) == []
    finally:
        deps(bot.app).settings = settings
