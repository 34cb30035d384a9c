"""排查台账 (issue 16): one row per expected 排查 return of the periods due in the ledger's period:
who returned, when, on time or not, 零报告 or the cases found. A found case's number is listed only
for a viewer who may see the case (as on its card); a confidential one is counted in the note line."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.services import paicha
from bot.services.case_access import can_view
from bot.services.ledgers.base import Names, Period, Scope
from bot.services.ledgers.case_ledgers import Part
from bot.services.ledgers.sheet import Summary
from bot.services.people import PersonView
from bot.texts import ledgers as words
from bot.texts import paicha as t
from models import Case


def paicha_ledger(session: Session, *, viewer: PersonView, period: Period, scope: Scope, now: datetime,
                  tz: ZoneInfo, names: Names) -> Part:
    found = paicha.ledger_rows(session, start=period.start, end=period.end, tz=tz, village_id=scope.village_id)
    hidden = 0
    rows = []
    for r in found:
        shown = []
        for case_id in r.case_ids:
            case = session.get(Case, case_id)
            if case is not None and can_view(viewer, case):
                shown.append(case.number)
            else:
                hidden += 1
        rows.append([r.period, r.kind, r.span, r.due, r.village, r.grid, r.state, r.by, r.when, r.on_time,
                     len(r.case_ids), "、".join(shown)])
    due_n, filed_n, on_time_n, zero_n, items_n = t.LEDGER_SUMMARY
    summary = Summary(split=(), lines=(
        (due_n, len(found), None), (filed_n, sum(1 for r in found if r.by), None),
        (on_time_n, sum(1 for r in found if r.on_time == t.ON_TIME), None),
        (zero_n, sum(1 for r in found if r.state == t.RETURN_LABELS["zero"]), None),
        (items_n, sum(len(r.case_ids) for r in found), None)))
    return Part(headers=words.PAICHA_HEADERS, summary=summary, hidden=hidden, rows=iter(rows))
