"""排查 counts by plain SQL over the return rows (no buttons, no texts): the /stats figures and the
missing returns per village that the assessment (issue 17) reads. Kept apart from bot/services/paicha.py
so the statistics can import it without the button codes (which import the statistics)."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.services.workdays import CENTER_TZ
from models import Case, PaichaPeriod, PaichaReturn, ReturnKind
from models.paicha import PaichaItem as Item


def missing_returns(session: Session, *, start: date, end: date, today: date | None = None) -> dict[int, int]:
    """Per village id: how many of its returns due in start … end (both included, every kind of period)
    were not filed by the end of their due day (late or never). Villages with returns due and none
    missing are there with 0. With `today`, periods due today or later are left out (not yet missed).
    The due day is compared in the center's time zone."""
    tz = CENTER_TZ
    out: dict[int, int] = {}
    last = end if today is None else min(end, today - timedelta(days=1))
    rows = session.exec(select(PaichaReturn.village_id, PaichaReturn.filed_at, PaichaPeriod.due_day)
                        .join(PaichaPeriod, PaichaPeriod.id == PaichaReturn.period_id)
                        .where(PaichaPeriod.due_day >= start, PaichaPeriod.due_day <= last))
    for village_id, filed_at, due in rows:
        late = filed_at is None or filed_at.astimezone(tz).date() > due
        out[village_id] = out.get(village_id, 0) + int(late)
    return out


def figures(session: Session, *, start: date, end: date, village_ids: tuple[int, ...] | None) -> dict[str, int]:
    """/stats: returns due in the period (by due day), filed on time (by the end of the due day, SQL
    compares the UTC end of that local day), 零报告, and cases found by 排查 registered in the period."""
    tz = CENTER_TZ
    where = [PaichaPeriod.due_day >= start, PaichaPeriod.due_day <= end]
    if village_ids is not None:
        where.append(col(PaichaReturn.village_id).in_(village_ids))
    base = select(func.count()).select_from(PaichaReturn).join(PaichaPeriod, PaichaPeriod.id == PaichaReturn.period_id)
    due = session.exec(base.where(*where)).one()
    zero = session.exec(base.where(*where, PaichaReturn.kind == ReturnKind.zero)).one()
    on_time = 0
    for day, n in session.exec(select(PaichaPeriod.due_day, func.count()).select_from(PaichaReturn)
                               .join(PaichaPeriod, PaichaPeriod.id == PaichaReturn.period_id)
                               .where(*where, col(PaichaReturn.filed_at).is_not(None))
                               .group_by(PaichaPeriod.due_day)).all():
        limit = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
        on_time += session.exec(base.where(*where, PaichaPeriod.due_day == day,
                                           col(PaichaReturn.filed_at).is_not(None),
                                           PaichaReturn.filed_at < limit)).one() if n else 0
    lo = datetime.combine(start, time(0), tzinfo=tz)
    hi = datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz)
    item_where = [Case.created_at >= lo, Case.created_at < hi]
    if village_ids is not None:
        item_where.append(col(PaichaReturn.village_id).in_(village_ids))
    items = session.exec(select(func.count()).select_from(Item).join(Case, Case.id == Item.case_id)
                         .join(PaichaReturn, PaichaReturn.id == Item.return_id).where(*item_where)).one()
    return {"paicha_due": due, "paicha_on_time": on_time, "paicha_zero": zero, "paicha_items": items}
