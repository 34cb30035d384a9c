"""The month pack (月度材料): on the 1st, from 08:30, last month's statistics and ledgers to every
director who has not switched it off, and the figures alone (no case, no name) to the party
committee's group.

The month was frozen at 00:00 (stats.freeze_due), so the pack reports the frozen figures. Each file
is an outbox document reference built when it is sent (bot/services/documents.py): the statistics as
"stats:<xlsx|docx>:<year>-<month>", each ledger as its own "ledger:…" reference for the director, so
what a ledger shows follows the reader's rights like everywhere else. Once per 1st, like the digests:
the DigestRun row of (monthly, day) is written in the same transaction as the outbox rows.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot.callbacks import DigestOff
from bot.services import digests, ledgers, outbox, stats
from bot.services.deadlines import DeadlinePolicy
from bot.texts import digests as digest_words
from bot.texts import stats as stats_words
from models import DigestKind, GroupChat, Person

REF_PREFIX = "stats"
FORMATS = ("xlsx", "docx")
PARTY_COMMITTEE = "party_committee"  # GroupChat.purpose


def last_month(day: date) -> stats.Period:
    return stats.month_of(day.replace(day=1) - timedelta(days=1))


def stats_ref(fmt: str, month: stats.Period) -> str:
    return f"{REF_PREFIX}:{fmt}:{month.year}-{month.index:02d}"


@dataclass(frozen=True)
class StatsFile:
    file_name: str
    data: bytes


def stats_document(session: Session, *, ref: str, now: datetime, tz: ZoneInfo) -> StatsFile | None:
    """The township's statistics file a reference names; None for any other reference."""
    parts = ref.split(":")
    if len(parts) != 3 or parts[0] != REF_PREFIX or parts[1] not in FORMATS:
        return None
    year, month = (int(x) for x in parts[2].split("-"))
    report = stats.monthly(session, month=stats.Period.month(year, month), scope=stats.TOWNSHIP_SCOPE, now=now, tz=tz)
    build = stats.xlsx if parts[1] == "xlsx" else stats.docx
    name = stats_words.XLSX_NAME if parts[1] == "xlsx" else stats_words.DOCX_NAME
    return StatsFile(name.format(title=report.period.label, scope=report.scope.label), build(report))


def documents_for(person: Person, month: stats.Period) -> list[str]:
    period = ledgers.period_between(month.start, month.end - timedelta(days=1))  # Period.end: the day after
    return [stats_ref(fmt, month) for fmt in FORMATS] + [
        ledgers.ref(kind, period, person.id, ledgers.WHOLE) for kind in ledgers.Kind]


def sweep(session: Session, *, now: datetime, policy: DeadlinePolicy) -> int:
    """Queue the month pack if it is due (the 1st, from 08:30, working day or not); once per day."""
    cal = policy.calendar(session)
    local = cal.local(now)
    if local.day != 1 or local.time() < digests.SEND_AT:
        return 0
    run = digests.claim(session, DigestKind.monthly, local.date(), now)
    if run is None:
        return 0
    month, day = last_month(local.date()), local.date()
    readers = digests.audience(session, DigestKind.monthly)
    queued = 0
    for person in readers:
        refs = documents_for(person, month)
        for index, ref in enumerate(refs):
            last = index == len(refs) - 1
            queued += outbox.enqueue(
                session, chat_id=person.telegram_id, person_id=person.id, document=ref, protect=True,
                text=digest_words.MONTH_PACK_CAPTION.format(title=month.label, n=len(refs)) if index == 0 else "",
                buttons=[[(digest_words.OFF_BUTTON[DigestKind.monthly], DigestOff(DigestKind.monthly).pack())]]
                if last else None,
                key=f"{digests.outbox_key(DigestKind.monthly, day, person.id)}:{index}", now=now)
    report = stats.monthly(session, month=month, scope=stats.TOWNSHIP_SCOPE, now=now, tz=cal.tz)
    figures = stats_words.summary(stats.values(report), **stats.summary_facts(report))
    for chat_id in session.exec(select(GroupChat.chat_id).where(GroupChat.purpose == PARTY_COMMITTEE)):
        queued += outbox.enqueue(session, chat_id=chat_id, text=figures, protect=True,
                                 key=f"month-pack:group:{chat_id}:{day.isoformat()}", now=now)
    run.recipients = len(readers)
    session.add(run)
    return queued
