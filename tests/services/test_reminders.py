"""The reminder ladder with the injected clock: yellow, due day, overdue every working day, 收到."""

import json
import threading
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select, update

from bot.services import cases, deadlines, reminders
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import NotAllowed
from models import Case, Outbox, Reminder
from tests.factories import Township

SH = ZoneInfo("Asia/Shanghai")
POLICY = DeadlinePolicy()


def local(y, m, d, hh=9, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH).astimezone(UTC)


@pytest.fixture
def w(db, clock):
    world = Township.build(db, clock)
    ref = world.submit()
    now = clock.now()  # Monday 2026-11-30 09:00
    db.call(cases.accept, actor_id=world.staff, case_id=ref.id, now=now)
    db.call(cases.assign, actor_id=world.staff, case_id=ref.id, handler_id=world.staff2, now=now)
    with db.session() as s:
        case = s.get(Case, ref.id)
        deadlines.start_clock(s, case=case, now=now, policy=POLICY)
        s.add(case)
    world.case_id = ref.id
    return world


def sweep_at(w, moment):
    w.clock.set(moment)
    total = 0
    while True:
        result = w.db.call(reminders.sweep, now=moment, policy=POLICY)
        total += result.reminders
        if result.cases == 0 or result.reminders == 0:
            return total


def pings(w, chat_id) -> list[str]:
    with w.db.session() as s:
        rows = s.exec(select(Outbox).where(Outbox.chat_id == chat_id, Outbox.key.like("rem:%")).order_by(Outbox.id))
        return [r.key.split(":")[2] for r in rows]


def test_the_whole_ladder_without_acknowledgement(w):
    with w.db.session() as s:
        yellow_at = s.get(Case, w.case_id).yellow_at
    assert sweep_at(w, local(2026, 11, 30, 10)) == 0
    assert sweep_at(w, yellow_at) == 1 and pings(w, 5) == ["yellow"]
    assert sweep_at(w, yellow_at) == 0  # never twice
    assert sweep_at(w, local(2026, 12, 3, 8, 30)) == 2  # due day: handler + contact-point leader
    assert pings(w, 5) == ["yellow", "due_day"] and pings(w, 3) == ["due_day"]
    assert sweep_at(w, local(2026, 12, 3, 17, 40)) == 0  # overdue after hours: waits
    assert sweep_at(w, local(2026, 12, 4, 8, 30)) == 2  # first overdue working day: handler + director
    assert pings(w, 1) == ["overdue_director"]
    assert sweep_at(w, local(2026, 12, 4, 15)) == 0  # once a day
    assert sweep_at(w, local(2026, 12, 5, 10)) == 0  # Saturday: not a working day
    assert sweep_at(w, local(2026, 12, 7, 8, 31)) == 2  # Monday again
    assert pings(w, 5) == ["yellow", "due_day", "overdue", "overdue"]


def test_a_step_looked_at_again_the_same_day_reminds_nobody_twice(w):
    """The case's own marker says the day's overdue step is done; if it is cleared (a deadline moved
    and back, a second look the same day), the reminders already sent today still count."""
    sweep_at(w, local(2026, 12, 4, 8, 30))
    assert pings(w, 5) == ["overdue"] and pings(w, 1) == ["overdue_director"]
    with w.db.session() as s:
        case = s.get(Case, w.case_id)
        case.overdue_sent_on, case.next_reminder_at = None, local(2026, 12, 4, 9)
        s.add(case)
    assert sweep_at(w, local(2026, 12, 4, 10)) == 0
    assert pings(w, 5) == ["overdue"] and pings(w, 1) == ["overdue_director"]


def test_acknowledging_stops_that_step(w):
    sweep_at(w, local(2026, 12, 4, 8, 30))
    with w.db.session() as s:
        mine = s.exec(select(Reminder).where(Reminder.step == "overdue")).one()
    with pytest.raises(NotAllowed):
        w.db.call(reminders.acknowledge, person_id=w.director, reminder_id=mine.id, now=w.clock.now())
    w.db.call(reminders.acknowledge, person_id=w.staff2, reminder_id=mine.id, now=w.clock.now())
    assert sweep_at(w, local(2026, 12, 7, 9)) == 1  # only the director's step repeats
    assert pings(w, 5).count("overdue") == 1


def test_closed_or_paused_cases_drop_out(w):
    w.db.call(cases.resolve, actor_id=w.staff2, case_id=w.case_id, outcome="调解成功", agreement="口头协议",
              summary="已和解", now=w.clock.now())
    assert sweep_at(w, local(2026, 12, 4, 9)) == 0
    with w.db.session() as s:
        assert s.get(Case, w.case_id).next_reminder_at is None


def test_concurrent_sweeps_send_once(w):
    moment = local(2026, 12, 4, 8, 30)
    w.clock.set(moment)
    errors = []

    def run():
        try:
            w.db.call(reminders.sweep, now=moment, policy=POLICY)
        except Exception as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert pings(w, 5) == ["overdue"]  # late yellow and due-day pings are skipped, overdue covers them
    assert pings(w, 1) == ["overdue_director"]


def buttons_to(w, chat_id, step) -> list[str]:
    with w.db.session() as s:
        rows = s.exec(select(Outbox).where(Outbox.chat_id == chat_id, Outbox.key.like(f"rem:%:{step}:%")))
        return [data for r in rows for line in json.loads(r.buttons) for _label, data in line]


def test_each_recipient_gets_the_buttons_of_their_role(w):
    sweep_at(w, local(2026, 12, 3, 8, 30))  # due day: the handler and the contact-point leader
    sweep_at(w, local(2026, 12, 4, 8, 30))  # overdue: the handler and the director
    cid = w.case_id
    handler = buttons_to(w, 5, "overdue")
    assert f"dl:ext:{cid}" in handler and f"case:rs:{cid}" in handler
    # the top of the chain neither asks for an extension nor closes the case: 督办 / 设定期限 / 查看
    director = buttons_to(w, 1, "overdue_director")
    assert f"sv:new:{cid}" in director and f"dl:set:{cid}" in director and f"case:v:{cid}" in director
    assert f"dl:ext:{cid}" not in director and f"case:rs:{cid}" not in director
    leader = buttons_to(w, 3, "due_day")  # a contact-point leader is not the handler either
    assert f"case:v:{cid}" in leader and f"dl:ext:{cid}" not in leader and f"case:rs:{cid}" not in leader


def test_one_reminder_per_person_when_two_steps_fall_due_together(w):
    # The sweep first runs on the due day's morning, past the yellow point too: only 今天到期 goes out.
    assert sweep_at(w, local(2026, 12, 3, 8, 30)) == 2
    assert pings(w, 5) == ["due_day"] and pings(w, 3) == ["due_day"]


def test_an_acknowledgement_updates_every_copy_of_the_step(w):
    sweep_at(w, local(2026, 12, 3, 8, 30))  # due day: the handler (5) and the contact-point leader (3)
    with w.db.session() as s:
        mine = s.exec(select(Reminder).where(Reminder.step == "due_day", Reminder.person_id == w.staff2)).one()
    w.db.call(reminders.acknowledge, person_id=w.staff2, reminder_id=mine.id, now=local(2026, 12, 3, 9, 5))
    with w.db.session() as s:
        rows = {r.chat_id: r for r in s.exec(select(Outbox).where(Outbox.edit_key.like("rem:%:due_day:%")))}
    assert set(rows) == {3, 5}
    assert "✅ 您已确认" in rows[5].text and "已由" not in rows[5].text
    assert "已由 周明" in rows[3].text and "09:05" in rows[3].text
    for row in rows.values():  # the 收到 button goes, the others stay
        data = [d for line in json.loads(row.buttons) for _label, d in line]
        assert not any(d.startswith("rem:ack:") for d in data) and f"case:v:{w.case_id}" in data


def test_an_acknowledgement_leaves_a_copy_whose_text_was_cleared_as_it_is(w):
    """OUTBOX_TEXT_DAYS cleared the leader's copy: rewriting it would leave only the ✅ line."""
    sweep_at(w, local(2026, 12, 3, 8, 30))
    with w.db.session() as s:
        mine = s.exec(select(Reminder).where(Reminder.step == "due_day", Reminder.person_id == w.staff2)).one()
        s.execute(update(Outbox).where(Outbox.chat_id == 3, Outbox.key.like("rem:%")).values(text=""))
    w.db.call(reminders.acknowledge, person_id=w.staff2, reminder_id=mine.id, now=local(2026, 12, 3, 9, 5))
    with w.db.session() as s:
        edits = {r.chat_id for r in s.exec(select(Outbox).where(Outbox.edit_key.like("rem:%:due_day:%")))}
        assert s.get(Reminder, mine.id).acked_at is not None
    assert edits == {5}


def test_yellow_after_the_due_day_reminder_stays_quiet(w):
    with w.db.session() as s:  # a short deadline: yellow falls on the due day itself, after 今天到期
        case = s.get(Case, w.case_id)
        case.due_at, case.yellow_at = local(2026, 12, 1, 17, 30), local(2026, 12, 1, 11, 0)
        case.next_reminder_at = local(2026, 12, 1, 8, 30)
        s.add(case)
    assert sweep_at(w, local(2026, 12, 1, 8, 30)) == 2
    sweep_at(w, local(2026, 12, 1, 11, 0))
    assert pings(w, 5) == ["due_day"]


# --- when the sweep next has work (bot.sweeps schedules a wake-up for it) ---------------------------


def wait_for_reminder_at(w, moment) -> None:
    with w.db.session() as s:
        case = s.get(Case, w.case_id)
        case.next_reminder_at = moment
        s.add(case)


def test_next_due_is_the_earliest_pending_reminder_in_working_time(w):
    wait_for_reminder_at(w, local(2026, 12, 1, 10, 15))
    assert w.db.call(reminders.next_due, now=local(2026, 11, 30, 10), policy=POLICY) == local(2026, 12, 1, 10, 15)
    # Already passed during working time: due now (the regular run's business, no wake-up loop).
    assert w.db.call(reminders.next_due, now=local(2026, 12, 1, 11), policy=POLICY) == local(2026, 12, 1, 11)


def test_next_due_waits_for_working_time(w):
    wait_for_reminder_at(w, local(2026, 12, 4, 20))
    # Friday evening; Saturday and Sunday are rest days: Monday 08:30.
    assert w.db.call(reminders.next_due, now=local(2026, 12, 4, 19), policy=POLICY) == local(2026, 12, 7, 8, 30)


def test_no_case_waiting_means_no_moment(w):
    wait_for_reminder_at(w, None)
    assert w.db.call(reminders.next_due, now=local(2026, 11, 30, 10), policy=POLICY) is None
