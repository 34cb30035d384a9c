"""The demo township's 排查 returns (issue 16): the period due 11月16日 (the 14th, a Saturday, moved
to Monday) with 东山村 returned with an item (张伟 found the 邻里纠纷 later archived; the return is
dated when he reported it, nine working days before the start day: on time for a start up to late
November, 逾期 in the 排查台账 and 0.5 off 东山村's /score for a later one), 西河村 a 零报告
(李娜) and the eight other villages missing (their contact-point leaders were told the next working
day); the current period (the one the start day falls in) open: 李娜 has returned 零报告, 张伟 not yet,
so the center sees 已报 1/10 and can chase, and 张伟 gets his reminder before the due day.
Periods and returns are made by the services; the found case is linked as /report would link it."""

from datetime import date, datetime, time, timedelta

from sqlmodel import select

from bot.services import paicha
from bot.services.intake import IntakePolicy
from models import PaichaReturn, ReturnKind
from models.paicha import PaichaItem


def build(db, town, at, policy: IntakePolicy) -> dict[str, int]:
    tz = policy.deadlines.tz
    session = db.session
    cal = policy.deadlines.calendar(session)
    schedule = paicha.Schedule(tz=tz)
    p = town.people

    def moment(day: date, hh: int, mm: int = 0) -> datetime:
        return datetime.combine(day, time(hh, mm), tzinfo=tz)

    # the past period: opened by the sweep on its first day, returns filed through the services
    [past] = db.call(paicha.ensure_current, today=date(2026, 11, 12), cal=cal, schedule=schedule,
                     now=moment(date(2026, 11, 12), 9))
    db.call(paicha.file_zero, person_id=p["李娜"], period_id=past.id, now=moment(date(2026, 11, 13), 10, 20),
            today=date(2026, 11, 13), schedule=schedule)
    ret = session.exec(select(PaichaReturn).where(PaichaReturn.period_id == past.id,
                                                  PaichaReturn.village_id == town.villages["东山村"])).one()
    ret.kind, ret.filed_by_id, ret.filed_at = ReturnKind.items, p["张伟"], at(9, 9, 40)
    session.add(ret)
    session.add(PaichaItem(case_id=town.cases["archived"], return_id=ret.id))
    told = moment(paicha.next_workday(cal, past.due_day + timedelta(days=1)), 9)
    past.reminded_before_at = past.reminded_due_at = past.leaders_told_at = told
    session.add(past)

    # the current period: 李娜 has returned, 张伟 not yet
    today = town.start.astimezone(tz).date()
    [current] = db.call(paicha.ensure_current, today=today, cal=cal, schedule=schedule,
                        now=moment(current_start(cal, schedule, today), 9))
    db.call(paicha.file_zero, person_id=p["李娜"], period_id=current.id, now=at(1, 16, 10),
            today=at(1, 16, 10).date(), schedule=schedule)
    session.flush()
    return {"past": past.id, "current": current.id}


def current_start(cal, schedule, today: date) -> date:
    return paicha.current_regular(cal, schedule, today)[1]
