"""The monthly score message: after a month ends, each unit's and village's score at the month's end
is kept (ScoreSnapshot) and every head gets it with what changed since the month before. The sweep
runs it: idempotent (one snapshot per subject and month, the message keyed by it) and restart-safe
(a month missed while the bot was down is done at the first run after)."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot.callbacks import ScoreMine
from bot.services import outbox
from bot.services.assessment import catalogue
from bot.services.assessment.scoring import heads, score, subjects, year_bounds
from bot.services.stats.periods import Period, month_of
from bot.texts import assessment as t
from models import ScoreSnapshot

SEND_FROM_HOUR = 9  # local time: the message comes in the morning of the 1st, not at midnight


def sweep(session: Session, *, now: datetime, tz: ZoneInfo) -> int:
    if now.astimezone(tz).hour < SEND_FROM_HOUR:
        return 0
    month = month_of(now.astimezone(tz).date()).previous()
    # Every sweep asks all month long: once the month's snapshots exist, one query answers.
    done = set(session.exec(select(ScoreSnapshot.subject).where(ScoreSnapshot.year == month.year,
                                                                ScoreSnapshot.month == month.index)))
    todo = [subject for subject, _name in subjects(session) if subject.key not in done]
    items = catalogue.items(session, year=month.year) if todo else []
    if not items:
        return 0  # all sent, or no catalogue that year: nothing was assessed
    start, _ = year_bounds(month.year, tz)
    _, end = month.bounds(tz)
    sent = 0
    for subject in todo:
        scored = score(session, subject=subject, year=month.year, start=start, end=end, found=items)
        lost = {str(i.item_id): str(i.lost) for i in scored.items}
        session.add(ScoreSnapshot(year=month.year, month=month.index, subject=subject.key, total=scored.total,
                                  items=lost, made_at=now))
        before = _previous(session, month, subject.key)
        changes = []
        for i in scored.items:
            was = Decimal(before.items.get(str(i.item_id), "0")) if before else Decimal(0)
            if i.lost != was:
                changes.append(t.MONTHLY_CHANGE.format(item=i.name, delta=_signed(was - i.lost)))
        delta = scored.total - (Decimal(before.total) if before else Decimal(100))
        text = t.monthly(year=month.year, month=month.index, name=scored.name, total=catalogue.num(scored.total),
                         delta=_signed(delta), since_start=before is None, changes=changes,
                         vetoed=scored.vetoed)
        for person in heads(session, subject):
            if person.telegram_id is not None:
                sent += outbox.enqueue(session, chat_id=person.telegram_id, person_id=person.id, now=now,
                                       key=f"assess:month{month.year}-{month.index}:{subject.key}:p{person.id}",
                                       text=text, buttons=[[(t.BUTTON_MY_SCORE, ScoreMine(month.year).pack())]])
    return sent


def _previous(session: Session, month: Period, key: str) -> ScoreSnapshot | None:
    if month.index == 1:
        return None  # a new year starts at 100
    return session.exec(select(ScoreSnapshot).where(ScoreSnapshot.year == month.year,
                                                    ScoreSnapshot.month == month.index - 1,
                                                    ScoreSnapshot.subject == key)).first()


def _signed(value: Decimal) -> str:
    text = catalogue.num(abs(value))
    return f"+{text}" if value > 0 else (f"-{text}" if value < 0 else "±0")
