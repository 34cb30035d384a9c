"""台账: the center's ledgers as .xlsx, laid out as on paper, from the data the bot holds.

`build(session, kind=…, period=…, viewer_id=…, now=…, tz=…)` writes one ledger for one viewer (what
they may see, masked as the case card would mask it) and returns the file; it needs no chat, so
the monthly pack can call it too. In chat, `request` queues the file in the outbox as a document
reference ("ledger:…"); the file is made when the sender sends it (bot/services/documents.py), and
sent with protect_content.
"""

import calendar as month_days
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.services import audit, outbox
from bot.services.errors import InvalidInput, NotFound
from bot.services.ledgers import sheet
from bot.services.ledgers.base import EXPORTERS, Names, Period, Scope, exporter
from bot.services.ledgers.case_ledgers import case_ledger, visit_ledger
from bot.services.ledgers.flow_ledgers import consultation_ledger, home_visit_ledger
from bot.services.ledgers.focus_ledger import focus_ledger, plan_ledger
from bot.services.ledgers.paicha_ledger import paicha_ledger
from bot.services.ledgers.work_ledgers import (
    announcement_ledger,
    assignment_ledger,
    baoan_ledger,
    campaign_ledger,
    contact_ledger,
    duty_ledger,
    meeting_ledger,
    notice_ledger,
    report_ledger,
)
from bot.texts import ledgers as words
from models import Unit, Village
from models.ledgers import LedgerKind, PeriodChoice

__all__ = ["EXPORTERS", "Kind", "LedgerFile", "Period", "PeriodChoice", "Scope", "build", "parse_custom", "period_for",
           "request"]


Kind = LedgerKind


def title(kind: Kind) -> str:
    return words.TITLES[Kind(kind).value]


def takes_scope(kind: Kind) -> bool:
    """Whether a village or unit filter means something (the duty roster is the whole center's)."""
    return Kind(kind) not in (Kind.duty, Kind.meetings, Kind.announcements, Kind.paicha, Kind.home_visits,
                              Kind.contact, Kind.focus_areas)


_BUILDERS = {Kind.cases: case_ledger, Kind.visits: visit_ledger, Kind.notices: notice_ledger,
             Kind.baoan: baoan_ledger, Kind.reports: report_ledger, Kind.duty: duty_ledger,
             Kind.meetings: meeting_ledger, Kind.announcements: announcement_ledger,
             Kind.paicha: paicha_ledger, Kind.assignments: assignment_ledger,
             Kind.home_visits: home_visit_ledger, Kind.consultations: consultation_ledger,
             Kind.campaigns: campaign_ledger, Kind.contact: contact_ledger,
             Kind.focus_areas: focus_ledger, Kind.plans: plan_ledger}
MAX_DAYS = 366
WHOLE = Scope()  # no village or unit filter


@dataclass(frozen=True)
class LedgerFile:
    path: Path
    file_name: str
    rows: int
    hidden: int  # confidential cases left out for this viewer


# --- periods -----------------------------------------------------------------------------------


def _month_end(year: int, month: int) -> date:
    return date(year, month, month_days.monthrange(year, month)[1])


def period_for(choice: PeriodChoice, today: date) -> Period:
    """本月 / 上月 / 本季度 / 本年, as of `today` (the center's local date)."""
    choice = PeriodChoice(choice)
    if choice is PeriodChoice.month:
        start, end = today.replace(day=1), _month_end(today.year, today.month)
    elif choice is PeriodChoice.last_month:
        end = today.replace(day=1) - timedelta(days=1)
        start = end.replace(day=1)
    elif choice is PeriodChoice.quarter:
        first = (today.month - 1) // 3 * 3 + 1
        start, end = date(today.year, first, 1), _month_end(today.year, first + 2)
    elif choice is PeriodChoice.year:
        start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    else:
        raise InvalidInput(words.LOST)
    return period_between(start, end)


def period_between(start: date, end: date) -> Period:
    """The period from `start` to `end`, checked (a button carries the two dates); its kind, which
    words the summary uses (上月结转 or 上期结转 …), follows from the dates: a whole month, quarter
    or year, or custom."""
    if end < start:
        raise InvalidInput(words.CUSTOM_REVERSED)
    if (end - start).days + 1 > MAX_DAYS:
        raise InvalidInput(words.CUSTOM_TOO_LONG)
    kind = "custom"
    if start.day == 1 and end == _month_end(start.year, start.month):
        kind = "month"
    elif start.day == 1 and start.month % 3 == 1 and end == _month_end(start.year, start.month + 2):
        kind = "quarter"
    elif (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        kind = "year"
    return Period(kind, start, end)


_DATE = re.compile(r"(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2})\s*日?")


def parse_custom(text: str) -> Period:
    """Two dates typed as 2026-11-01 or 2026年11月1日 (start, then end; at most a year)."""
    found = list(_DATE.finditer(text or ""))
    if len(found) != 2:
        raise InvalidInput(words.CUSTOM_NEEDS_TWO)
    days = []
    for m in found:
        try:
            days.append(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError:
            raise InvalidInput(words.CUSTOM_BAD_DATE.format(text=m.group(0).strip())) from None
    return period_between(*days)


# --- the filter's choices ------------------------------------------------------------------------


def villages(session: Session) -> list[tuple[int, str]]:
    return [(v.id, v.name) for v in session.exec(select(Village).where(col(Village.active)).order_by(col(Village.id)))]


def units(session: Session) -> list[tuple[int, str]]:
    return [(u.id, u.name) for u in session.exec(select(Unit).where(col(Unit.active)).order_by(col(Unit.id)))]


def scope_text(session: Session, scope: Scope) -> str:
    if scope.village_id is not None:
        village = session.get(Village, scope.village_id)
        if village is None:
            raise NotFound(words.LOST)
        return words.SCOPE_VILLAGE.format(name=village.name)
    if scope.unit_id is not None:
        unit = session.get(Unit, scope.unit_id)
        if unit is None:
            raise NotFound(words.LOST)
        return words.SCOPE_UNIT.format(name=unit.name)
    return ""


# --- building one ---------------------------------------------------------------------------------


def build(session: Session, *, kind: Kind, period: Period, viewer_id: int, now: datetime, tz: ZoneInfo,
          scope: Scope = WHOLE, org: str = "综治中心", path: Path | None = None) -> LedgerFile:
    """Write one ledger for `viewer_id` (who must be one of EXPORTERS) to `path` (a new temporary
    file if None: the caller removes it). Rows are streamed: memory stays flat however many."""
    viewer = exporter(session, viewer_id)
    kind = Kind(kind)
    if not takes_scope(kind):
        scope = WHOLE
    names = Names(session)
    part = _BUILDERS[kind](session, viewer=viewer, period=period, scope=scope, now=now, tz=tz, names=names)
    if path is None:
        fd, name = tempfile.mkstemp(prefix="ledger-", suffix=".xlsx")
        os.close(fd)
        path = Path(name)
    layout = sheet.Layout(
        title=title(kind), org=words.UNIT_LINE.format(org=org),
        period=words.PERIOD_LINE.format(period=period.text, scope=scope_text(session, scope)),
        headers=part.headers, summary=part.summary,
        notes=(words.HIDDEN_LINE.format(count=part.hidden),) if part.hidden else (),
        maker=viewer.name, filled_on=words.date_text(now.astimezone(tz).date()),
    )
    rows = sheet.write(path, layout, part.rows)
    audit.record(session, actor_id=viewer.id, action="ledger.export", subject_type="ledger", subject_id=None,
                 now=now, kind=kind.value, start=period.start.isoformat(), end=period.end.isoformat(),
                 village_id=scope.village_id, unit_id=scope.unit_id, rows=rows, hidden=part.hidden)
    return LedgerFile(path=path, file_name=file_name(kind, period), rows=rows, hidden=part.hidden)


def file_name(kind: Kind, period: Period) -> str:
    return f"{title(kind)}_{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"


# --- in chat: queued as an outbox document ------------------------------------------------------


REF_PREFIX = "ledger"


def ref(kind: Kind, period: Period, viewer_id: int, scope: Scope) -> str:
    """The outbox's document reference: everything needed to build the file when it is sent."""
    return ":".join([REF_PREFIX, Kind(kind).value, f"{period.start:%Y%m%d}", f"{period.end:%Y%m%d}",
                     str(viewer_id), str(scope.village_id or 0), str(scope.unit_id or 0)])


def from_ref(value: str) -> tuple[Kind, Period, int, Scope] | None:
    """The ledger a reference names; None for anything that is not a ledger reference."""
    parts = value.split(":")
    if len(parts) != 7 or parts[0] != REF_PREFIX:
        return None
    try:
        kind = Kind(parts[1])
        start, end = (datetime.strptime(p, "%Y%m%d").date() for p in parts[2:4])
        viewer_id, village_id, unit_id = (int(p) for p in parts[4:7])
        period = period_between(start, end)
    except (ValueError, InvalidInput):
        return None
    return kind, period, viewer_id, Scope(village_id or None, unit_id or None)


@dataclass(frozen=True)
class Requested:
    title: str
    period: str
    scope: str


def request(session: Session, *, viewer_id: int, kind: Kind, period: Period, scope: Scope, now: datetime) -> Requested:
    """Queue the ledger for the viewer's private chat (protected: it cannot be forwarded or saved)."""
    viewer = exporter(session, viewer_id)
    kind = Kind(kind)
    if not takes_scope(kind):
        scope = WHOLE
    where = scope_text(session, scope)
    if viewer.telegram_id is None:
        raise NotFound(words.LOST)
    caption = words.CAPTION.format(title=title(kind), period=period.text, scope=where)
    outbox.enqueue(session, chat_id=viewer.telegram_id, person_id=viewer.id, text=caption,
                   key=f"ledger:{viewer.id}:{now.timestamp():.6f}", now=now,
                   document=ref(kind, period, viewer.id, scope), protect=True)
    return Requested(title=title(kind), period=period.text, scope=where)
