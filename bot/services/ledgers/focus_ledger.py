"""社会治安重点整治台账 (工作联系点制度 二.6): one row per 重点整治区域 open at some time in the
ledger's period — the village, its 突出问题, when listed, its contact-point leaders, the 责任人 and
the 整治方案, the 整治期限, the 督促检查 count and the latest, the status and the 成效. And the
综治工作计划台账 (工作职责 1): one row per task of an issued plan due in the period."""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.services import focus_areas, work_plans
from bot.services.ledgers.base import Names, Period, Scope
from bot.services.ledgers.case_ledgers import Part
from bot.services.ledgers.sheet import Summary
from bot.services.people import PersonView
from bot.texts import focus_areas as t
from bot.texts import ledgers as words
from bot.texts import plans as plan_words
from models import FocusStatus


def focus_ledger(session: Session, *, viewer: PersonView, period: Period, scope: Scope, now: datetime,
                 tz: ZoneInfo, names: Names) -> Part:
    found = focus_areas.ledger_rows(session, start=period.start, end=period.end, tz=tz, village_id=scope.village_id)
    rows = [[r.village, r.problem, r.listed, r.leaders, r.responsible, r.plan, r.due, r.checks, r.status, r.result]
            for r in found]
    listed, with_plan, closed = words.FOCUS_SUMMARY
    summary = Summary(split=(), lines=(
        (listed, len(found), None), (with_plan, sum(1 for r in found if r.plan), None),
        (closed, sum(1 for r in found if r.status == t.STATUS_LABELS[FocusStatus.closed]), None)))
    return Part(headers=words.FOCUS_HEADERS, summary=summary, hidden=0, rows=iter(rows))


def plan_ledger(session: Session, *, viewer: PersonView, period: Period, scope: Scope, now: datetime,
                tz: ZoneInfo, names: Names) -> Part:
    found = work_plans.ledger_rows(session, start=period.start, end=period.end, today=now.astimezone(tz).date(), tz=tz,
                                   unit_id=scope.unit_id, village_id=scope.village_id)
    rows = [[r.plan, r.seq, r.text, r.owner, r.due, r.progress, r.result, r.done, r.status] for r in found]
    tasks, done, overdue = words.PLAN_SUMMARY
    summary = Summary(split=(), lines=(
        (tasks, len(found), None), (done, sum(1 for r in found if r.done), None),
        (overdue, sum(1 for r in found if r.status == plan_words.OVERDUE_LABEL), None)))
    return Part(headers=words.PLAN_HEADERS, summary=summary, hidden=0, rows=iter(rows))
