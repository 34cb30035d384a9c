"""The 08:30 digests (bot/services/digests.py): when they go, to whom, once, and what they say.

The calendar is the real 2026 one: 国庆 from Thursday 1 October to Wednesday 7 October, with the
make-up working day on Saturday 10 October; the week of 5 October starts working on Thursday the 8th.
"""

from datetime import date, timedelta

from sqlmodel import select

from bot.callbacks import CaseView, DigestOff, NoticeOpen
from bot.services import alerts, cases, digests, ledgers, month_pack
from bot.services.deadlines import DeadlinePolicy
from bot.services.intake import AlertPolicy
from models import Case, CaseStatus, DigestKind, DigestRun, NoticeLevel, Outbox, SupervisionNotice
from tests.factories import local

POLICY = DeadlinePolicy()


def open_alert(town, case_id: int) -> int:
    """An urgent alert on the case, as intake opens one for an urgent report."""
    with town.db.session() as s:
        return alerts.open_urgent_alert(s, case=s.get(Case, case_id), now=town.clock.now(), policy=POLICY,
                                        alert_policy=AlertPolicy()).id


def sweep(town, moment) -> int:
    town.clock.set(moment)
    return town.db.call(digests.sweep, now=moment, policy=POLICY)


def digest_rows(town, kind: str = "daily") -> list[Outbox]:
    with town.db.session() as s:
        return list(s.exec(select(Outbox).where(Outbox.key.like(f"digest:{kind}:%")).order_by(Outbox.id)))


def receivers(town, kind: str = "daily", day: date | None = None) -> set[int]:
    return {r.person_id for r in digest_rows(town, kind) if day is None or f":{day.isoformat()}:" in r.key}


def test_at_0830_of_a_working_day_to_the_director_and_the_leaders_only(town):
    assert sweep(town, local(2026, 12, 1, 8, 29)) == 0  # Tuesday, a minute early
    assert digest_rows(town) == []
    sweep(town, local(2026, 12, 1, 8, 30))
    # 王主任 (director) and 刘领导 (leader); not the secretary, staff, grid workers or the unit
    assert receivers(town) == {town.director, town.leader}
    assert receivers(town, "weekly") == set()  # Tuesday is not the week's first working day


def test_not_on_a_holiday_or_a_weekend_but_on_an_adjusted_working_saturday(town):
    for moment in (local(2026, 10, 1, 9), local(2026, 10, 5, 9), local(2026, 10, 4, 9),  # 国庆, 国庆 Monday, Sunday
                   local(2026, 11, 28, 9)):  # an ordinary Saturday
        assert sweep(town, moment) == 0, moment
    assert digest_rows(town) == []
    sweep(town, local(2026, 10, 10, 8, 30))  # 调休 Saturday: a working day
    assert receivers(town, day=date(2026, 10, 10)) == {town.director, town.leader}


def test_the_weekly_brief_goes_on_the_weeks_first_working_day(town):
    sweep(town, local(2026, 11, 30, 8, 30))  # a Monday
    assert receivers(town, "weekly") == {town.director, town.leader}
    sweep(town, local(2026, 10, 5, 9))  # the Monday of 国庆 week: nothing
    assert receivers(town, "weekly", date(2026, 10, 5)) == set()
    sweep(town, local(2026, 10, 8, 8, 30))  # Thursday the 8th is that week's first working day
    assert receivers(town, "weekly", date(2026, 10, 8)) == {town.director, town.leader}
    sweep(town, local(2026, 10, 10, 8, 30))  # the make-up Saturday is not a new week
    assert receivers(town, "weekly", date(2026, 10, 10)) == set()


def test_once_a_day_however_often_the_sweep_runs(town):
    first = sweep(town, local(2026, 12, 1, 8, 30))
    assert first == 2
    assert sweep(town, local(2026, 12, 1, 8, 31)) == 0
    assert sweep(town, local(2026, 12, 1, 15, 0)) == 0
    assert len(digest_rows(town)) == 2
    with town.db.session() as s:
        [run] = s.exec(select(DigestRun)).all()
        assert (run.kind, run.day, run.recipients) == (DigestKind.daily, date(2026, 12, 1), 2)


def test_a_late_start_catches_up_the_same_day_but_not_a_day_gone_by(town):
    # Down at 08:30 on Tuesday; back at 11:00: Tuesday's digest goes then.
    sweep(town, local(2026, 12, 1, 11, 0))
    assert receivers(town, day=date(2026, 12, 1)) == {town.director, town.leader}
    # Down all Wednesday; back at 03:00 on Thursday: Wednesday's is not sent in the night …
    assert sweep(town, local(2026, 12, 3, 3, 0)) == 0
    # … nor after work on Wednesday evening (after the working hours, the morning digest is stale)
    assert sweep(town, local(2026, 12, 2, 18, 0)) == 0
    assert receivers(town, day=date(2026, 12, 2)) == set()
    sweep(town, local(2026, 12, 3, 8, 30))
    assert receivers(town, day=date(2026, 12, 3)) == {town.director, town.leader}


def test_switched_off_is_not_sent_and_switched_on_again_is(town):
    now = town.clock.now()
    town.db.call(digests.switch, person_id=town.leader, kind=DigestKind.daily, on=False, now=now)
    town.db.call(digests.switch, person_id=town.leader, kind=DigestKind.daily, on=False, now=now)  # idempotent
    sweep(town, local(2026, 12, 1, 8, 30))
    assert receivers(town, day=date(2026, 12, 1)) == {town.director}
    switches = town.db.call(digests.settings, person_id=town.leader)
    assert [(s.kind, s.on) for s in switches] == [(DigestKind.daily, False), (DigestKind.weekly, True)]
    town.db.call(digests.switch, person_id=town.leader, kind=DigestKind.daily, on=True, now=now)
    sweep(town, local(2026, 12, 2, 8, 30))
    assert receivers(town, day=date(2026, 12, 2)) == {town.director, town.leader}


def test_a_kind_one_does_not_receive_cannot_be_switched(town):
    import pytest

    from bot.services.errors import NotAllowed

    with pytest.raises(NotAllowed):
        town.db.call(digests.switch, person_id=town.staff, kind=DigestKind.daily, on=False, now=town.clock.now())
    assert town.db.call(digests.settings, person_id=town.staff) == []
    assert [s.kind for s in town.db.call(digests.settings, person_id=town.director)] == list(DigestKind)


def test_the_daily_digest_names_what_happened_and_hides_what_a_leader_may_not_see(town):
    # Monday 30 Nov 09:00: a case accepted (deadline Thursday 3 Dec 17:30) and one left registered.
    running = town.running_case()
    town.submit(description="邻里因噪音争吵")
    # Tuesday 1 Dec 10:00: a confidential case (三股势力, confidential by type) and an urgent one.
    town.clock.set(local(2026, 12, 1, 10))
    secret = town.submit(type_id=town.secret, description="境外人员散发材料")
    urgent = town.submit(type_id=town.mass, description="村民聚集")
    open_alert(town, secret.id)
    open_alert(town, urgent.id)
    # a 督办 due on Friday 4 Dec (this week), a red one
    notice = town.issue(due=date(2026, 12, 4), level=NoticeLevel.red)
    # Friday 4 Dec 08:30: the running case is overdue (Thursday 17:30 passed).
    sweep(town, local(2026, 12, 4, 8, 30))
    with town.db.session() as s:
        assert s.get(Case, secret.id).confidential
    by_person = {r.person_id: r for r in digest_rows(town)}

    # The window is Thursday 08:30 → Friday 08:30: none of the four cases is new (made Mon and Tue).
    leader = town.db.call(digests.daily_digest, viewer_id=town.leader, day=date(2026, 12, 4),
                          now=local(2026, 12, 4, 8, 30))
    assert leader.new.total == 0
    assert [i.number for i in leader.overdue.items] == [running.number] and leader.overdue.hidden == 0
    assert "已超期" in leader.overdue.items[0].note
    # the red-card 督办 due this week: 刘领导 is 东山村's contact-point leader, who may open its card
    assert [n.number for n in leader.notices.items] == [notice.number]
    director = town.db.call(digests.daily_digest, viewer_id=town.director, day=date(2026, 12, 4),
                            now=local(2026, 12, 4, 8, 30))
    assert [(n.number, n.level) for n in director.notices.items] == [(notice.number, NoticeLevel.red)]
    # urgent alerts nobody took: the director sees both; the leader the mass-incident case, and the
    # confidential one only as a count
    assert [i.id for i in director.alerts.items] == [secret.id, urgent.id]
    assert [i.id for i in leader.alerts.items] == [urgent.id] and leader.alerts.hidden == 1
    assert secret.number not in by_person[town.leader].text and secret.number in by_person[town.director].text
    assert "另有保密事项 1 件" in by_person[town.leader].text
    # buttons open the cases and the notice; the last row switches the digest off
    director_buttons = [data for row in digests.daily_buttons(director) for _label, data in row]
    assert CaseView(running.id).pack() in director_buttons and NoticeOpen(notice.id).pack() in director_buttons
    assert director_buttons[-1] == DigestOff(DigestKind.daily).pack()
    assert "本周到期的督办 1 份" in by_person[town.director].text and "红牌" in by_person[town.director].text


def test_new_cases_are_those_since_the_previous_working_days_digest(town):
    # Wednesday 30 Sep 09:00 … the next working day is Thursday 8 Oct (国庆 in between).
    town.clock.set(local(2026, 9, 30, 8, 0))
    town.submit(description="早于上一期晨报")  # before Wed 08:30: in Wednesday's digest
    town.clock.set(local(2026, 9, 30, 9, 0))
    a = town.submit(description="国庆前登记")
    town.clock.set(local(2026, 10, 3, 15, 0))
    b = town.submit(description="假期中登记")
    town.clock.set(local(2026, 10, 8, 8, 40))
    town.submit(description="晨报之后登记")  # after Thursday 08:30: the next digest's
    digest = town.db.call(digests.daily_digest, viewer_id=town.director, day=date(2026, 10, 8),
                          now=local(2026, 10, 8, 8, 40))
    assert [i.id for i in digest.new.items] == [a.id, b.id]
    assert digest.since == local(2026, 9, 30, 8, 30) and digest.until == local(2026, 10, 8, 8, 30)


def test_the_weekly_brief_in_figures(town):
    # Last week = Mon 23 – Sun 29 Nov. Three cases made then, one resolved on time then; one made
    # on Monday 30 Nov (this week: not counted as new).
    town.clock.set(local(2026, 11, 24, 9))
    done = town.running_case()
    open_one = town.running_case()
    town.submit()
    town.clock.set(local(2026, 11, 25, 10))
    town.do(cases.resolve, town.staff2, done.id, outcome=cases.Outcome.mediated,
            agreement=cases.Agreement.oral, summary="调解成功")
    town.clock.set(local(2026, 11, 30, 8, 0))
    town.submit()
    # 包案 on the open one; a 督办 on it (due 10 Dec, not red)
    town.case_id = open_one.id
    town.approved()
    town.issue()
    brief = town.db.call(digests.weekly_brief, day=date(2026, 11, 30), now=local(2026, 11, 30, 8, 30))
    assert (brief.start, brief.end) == (date(2026, 11, 23), date(2026, 11, 29))
    assert (brief.new, brief.closed, brief.closed_on_time) == (3, 1, 1)
    # open: the running one, the registered one of last week and this Monday's
    assert brief.open_cases == 3
    # open_one accepted Tue 24 Nov 09:00 + 3 working days → Fri 27 Nov 17:30: overdue on Monday
    assert brief.overdue_now == 1 and brief.lights["🔴"] == 1
    assert (brief.baoan_open, brief.notices_open, brief.notices_red) == (1, 1, 0)
    with town.db.session() as s:
        assert s.get(Case, done.id).status == CaseStatus.resolved
        assert len(s.exec(select(SupervisionNotice)).all()) == 1
    from bot.texts import digests as words

    text = words.weekly(brief)
    assert "上周新增 3 件，办结 1 件，按期 1 件" in text and "领导包案在办 1 件" in text


def test_the_month_pack_goes_once_on_the_first_to_the_director(town):
    def pack(moment):
        return town.db.call(month_pack.sweep, now=moment, policy=POLICY)

    assert pack(local(2026, 12, 1, 8, 29)) == 0
    assert pack(local(2026, 12, 1, 8, 30)) == 2 + len(ledgers.Kind)  # two statistics files and every ledger
    assert pack(local(2026, 12, 1, 9, 0)) == 0 and pack(local(2026, 12, 2, 8, 30)) == 0
    rows = digest_rows(town, "monthly")
    assert {r.person_id for r in rows} == {town.director} and all(r.protect for r in rows)
    assert [r.document for r in rows][:2] == ["stats:xlsx:2026-11", "stats:docx:2026-11"]


def test_an_unacknowledged_alert_is_listed_until_someone_takes_it(town):
    ref = town.submit(type_id=town.mass, description="村民聚集")
    alert_id = open_alert(town, ref.id)
    moment = town.clock.now() + timedelta(days=1)
    digest = town.db.call(digests.daily_digest, viewer_id=town.director, day=moment.date(), now=moment)
    assert [i.id for i in digest.alerts.items] == [ref.id]
    town.db.call(alerts.acknowledge_urgent, person_id=town.director, alert_id=alert_id, now=moment)
    digest = town.db.call(digests.daily_digest, viewer_id=town.director, day=moment.date(), now=moment)
    assert digest.alerts.total == 0
