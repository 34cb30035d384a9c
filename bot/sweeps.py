"""The timers of the center as JobQueue sweeps. Each sweep is idempotent and reads the truth from
the database (DESIGN.md rule 3), so a restart, a clock jump or a second process never sends twice
and never skips: whatever is due is found at the next run. Non-urgent sweeps stay quiet off-hours
inside the services themselves."""

import asyncio
import logging
from datetime import time, timedelta
from time import monotonic

from telegram.ext import Application, ContextTypes

from bot.context import deps
from bot.ops import metrics
from bot.services import (
    alerts,
    announcements,
    assessment,
    assignments,
    chases,
    contact_points,
    decisions,
    digests,
    focus_areas,
    home_visits,
    info_reports,
    meetings,
    month_pack,
    outbox,
    paicha,
    reminders,
    situation,
    stats,
    supervision,
    upward_reports,
    work_plans,
)

log = logging.getLogger(__name__)

WAKE = "sweeps-wake"


async def run_sweeps(context: ContextTypes.DEFAULT_TYPE) -> None:
    app = context.application
    if not deps(app).role.active:  # a standby instance (bot/ops/election.py) leaves the timers alone
        return
    async with deps(app).sweep_lock:
        began = monotonic()
        await sweep_all(app)
        metrics.sweep_done(monotonic() - began)
        await schedule_wake(app)


async def schedule_wake(app: Application) -> None:
    """Run the sweeps again at the next due reminder when that comes before the next regular run,
    so a reminder leaves within a second or two of its moment instead of up to a whole interval
    late. The moment is read from the database after each run (restart-safe: the first run after a
    start sets it again); with nothing due soon nothing extra is scheduled."""
    live = deps(app)
    interval = live.settings.sweep_interval_seconds
    now = live.clock.now()
    try:
        due = await live.db.run(reminders.next_due, now=now, policy=live.policy.deadlines)
    except Exception:  # the regular run still comes; a failing lookup only loses the precision
        log.exception("next reminder moment lookup failed")
        return
    for job in app.job_queue.get_jobs_by_name(WAKE):
        job.schedule_removal()
    if due is None:
        return
    delay = (due - now).total_seconds()
    # A moment already passed (a reminder that waits, e.g. for working hours, is moved to its
    # start by next_due) is the regular run's business: never a tight loop.
    if 0 < delay < interval:
        app.job_queue.run_once(run_sweeps, when=delay, name=WAKE)


async def sweep_all(app: Application) -> None:
    """Every timer once, in order of urgency. Tests call this after moving the clock."""
    live = deps(app)
    policy = live.policy
    now = live.clock.now()
    db = live.db
    steps = [
        ("urgent", lambda: db.run(alerts.sweep_urgent, now=now, policy=policy.deadlines, alert_policy=policy.alerts)),
        ("info_reports", lambda: db.run(info_reports.sweep_due, now=now, tz=policy.deadlines.tz)),
        # 办结/归档 with no 终报: whoever may write it, once, in working hours (info_reports.sweep_final)
        ("info_final", lambda: db.run(info_reports.sweep_final, now=now, policy=policy.deadlines)),
        ("reminders", lambda: _drain(db, now, policy)),
        ("supervision", lambda: _drain_supervision(db, now, policy, live.settings.supervision_sign_hours)),
        ("chases", lambda: _batches(db, chases.sweep, chases.BATCH, now=now, policy=policy.deadlines,
                                            chase=policy.chases)),
        # 重大疑难 / 初报 cases with no 上报上级 record a working day on: the director and the reporter, once
        ("upward", lambda: _batches(db, upward_reports.sweep, upward_reports.BATCH, now=now,
                                            policy=policy.deadlines)),
        ("digest", lambda: db.run(alerts.sweep_digest, now=now, policy=policy.deadlines)),
        ("handover", lambda: db.run(alerts.sweep_handover, now=now, policy=policy.deadlines, alert=policy.alerts)),
        ("calendar", lambda: db.run(alerts.sweep_calendar_warning, now=now, policy=policy.deadlines)),
        ("duty_gaps", lambda: db.run(alerts.sweep_duty_gaps, now=now, policy=policy.deadlines)),
        # Frozen months: idempotent, so every run checks (one query) and a month missed while the bot
        # was down is frozen at the first run after it comes back.
        ("stats_freeze", lambda: db.run(stats.freeze_due, now=now, tz=policy.deadlines.tz)),
        # meetings (issue 15): invitees' reminders, and the decisions' ladder
        ("meetings", lambda: db.run(meetings.sweep_reminders, now=now, policy=policy.deadlines)),
        # 例会 every week, 联席会议 every quarter: the people who schedule them told when one is missing
        ("meeting_frequency", lambda: db.run(meetings.sweep_missing, now=now, policy=policy.deadlines)),
        ("decisions", lambda: _batches(db, decisions.sweep, decisions.BATCH, now=now, policy=policy.deadlines)),
        # 传达 (issue 16): the sender hears who has still not read it after a number of working hours
        ("announcements", lambda: db.run(announcements.sweep, now=now, policy=policy.deadlines,
                                         hours=live.settings.announce_remind_hours)),
        # 排查 returns (issue 16): the current period opens; reminders the day before and on the due
        # day; the contact-point people told after it
        ("paicha", lambda: db.run(paicha.sweep, now=now, policy=policy.deadlines,
                                  schedule=paicha.Schedule.from_settings(live.settings))),
        # 上级交办 whose report back is not recorded, a working day before the assigner's deadline;
        # 上门受理 visits, before they happen (issue 16)
        ("assignments", lambda: db.run(assignments.sweep, now=now, policy=policy.deadlines)),
        ("home_visits", lambda: db.run(home_visits.sweep, now=now, tz=policy.deadlines.tz)),
        # 重点整治区域: a missing 整治方案, a gap without 督促检查, a passed 整治期限 (工作联系点制度 二.6)
        ("focus_areas", lambda: db.run(focus_areas.sweep, now=now, policy=policy.deadlines)),
        # 综治工作计划: a task near its 完成时限 (its owner), and past it (the owner and the director)
        ("work_plans", lambda: db.run(work_plans.sweep, now=now, policy=policy.deadlines)),
        # 目标管理考核 (issue 17): 整改 orders past their deadline chased every working day; the monthly
        # score message
        ("rectify", lambda: db.run(assessment.rectify.sweep, now=now, policy=policy.deadlines)),
        ("scores_monthly", lambda: db.run(assessment.monthly.sweep, now=now, tz=policy.deadlines.tz)),
        # 责任书 not signed: the head reminded once, then the center told who is missing (issue 17)
        ("agreements", lambda: db.run(assessment.agreements.sweep, now=now, policy=policy.deadlines,
                                      days=live.settings.assessment_sign_remind_days)),
        # 工作联系点 with no work record for CONTACT_POINT_DAYS working days: the leader, once per quiet spell
        ("contact_points", lambda: db.run(contact_points.sweep_quiet, now=now, policy=policy.deadlines,
                                          days=live.settings.contact_point_days)),
        # a 节日 / 敏感期 形势分析 still a draft two working days after it: the director, once
        ("situation", lambda: db.run(situation.sweep, now=now, policy=policy.deadlines)),
    ]
    if live.settings.digests_enabled:  # 晨报 / 周报 at 08:30 of working days (bot/services/digests.py)
        steps.append(("digests", lambda: db.run(digests.sweep, now=now, policy=policy.deadlines)))
        # 月度材料 on the 1st, after the freeze above (bot/services/month_pack.py)
        steps.append(("month_pack", lambda: db.run(month_pack.sweep, now=now, policy=policy.deadlines)))
    for name, step in steps:
        if not live.role.active:  # lost the lead mid-run: the new active instance sweeps from here
            log.warning("sweep stopped before %s: this instance is no longer active", name)
            return
        try:
            await step()
        except Exception:  # one failing sweep must not stop the others; the next run retries
            log.exception("sweep %s failed", name)


async def _batches(db, sweep, batch: int, **kw) -> None:
    """A sweep that returns how many rows it looked at, run again while it finds a whole batch."""
    for _ in range(50):
        if await db.run(sweep, **kw) < batch:
            return


async def _drain(db, now, policy) -> None:
    """The reminder sweep works in batches: keep going until nothing more is due."""
    for _ in range(50):
        result = await db.run(reminders.sweep, now=now, policy=policy.deadlines)
        metrics.reminders_sent(result.reminders)
        if result.cases < reminders.BATCH:
            return


async def _drain_supervision(db, now, policy, sign_hours: float) -> None:
    for _ in range(50):
        result = await db.run(supervision.sweep, now=now, policy=policy.deadlines, sign_hours=sign_hours)
        if result.notices < supervision.BATCH:
            return




async def freeze_last_month(context: ContextTypes.DEFAULT_TYPE) -> None:
    """00:00 on the 1st: the previous month's figures are frozen (统计快照)."""
    live = deps(context.application)
    if not live.role.active:
        return
    try:
        await live.db.run(stats.freeze_due, now=live.clock.now(), tz=live.policy.deadlines.tz)
    except Exception:  # the sweep retries at its next run
        log.exception("monthly stats freeze failed")




async def forget_outbox_texts(context: ContextTypes.DEFAULT_TYPE) -> None:
    """03:00: the texts of notifications queued more than OUTBOX_TEXT_DAYS ago are cleared
    (outbox.forget_texts). A night the bot was down is made up the next night."""
    live = deps(context.application)
    before = live.clock.now() - timedelta(days=live.settings.outbox_text_days)
    cleared, more = 0, True
    try:
        while more and live.role.active:
            batch = await live.db.run(outbox.forget_texts, before=before)
            cleared, more = cleared + batch.rows, batch.more
            if more:
                await asyncio.sleep(outbox.FORGET_PAUSE_SECONDS)
    except Exception:  # the next night goes on from where this one stopped
        log.exception("clearing old notification texts failed")
    if cleared:
        log.info("cleared the text of %d notifications queued before %s", cleared, before)


def register_sweeps(app: Application) -> None:
    interval = deps(app).settings.sweep_interval_seconds
    if interval:
        app.job_queue.run_repeating(run_sweeps, interval=interval, first=2, name="sweeps")
    tz = deps(app).policy.deadlines.tz
    app.job_queue.run_monthly(freeze_last_month, when=time(0, 0, tzinfo=tz), day=1, name="stats-freeze")
    if deps(app).settings.outbox_text_days:
        app.job_queue.run_daily(forget_outbox_texts, time(3, 0, tzinfo=tz), name="outbox-texts")
