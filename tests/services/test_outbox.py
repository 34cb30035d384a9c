"""Outbox rules against a real database: claiming, leases, retries, dead letters, admin alerts."""

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from bot.services import outbox, people
from models import Outbox, OutboxStatus, Person, Role


@pytest.fixture
def admin(db, clock):
    return db.call(people.bootstrap_admin, telegram_id=1, name="王志强", now=clock.now())


def make_person(db, clock, telegram_id: int, name: str = "李四", phone: str | None = "13800000001") -> int:
    return db.call(
        lambda session: people.create_person(
            session, name=name, phone=phone, roles={Role.grid}, now=clock.now(), telegram_id=telegram_id
        ).id
    )


def enqueue(db, clock, key: str, chat_id: int = 100, **kw) -> bool:
    kw.setdefault("text", f"通知 {key}")
    return db.call(outbox.enqueue, chat_id=chat_id, key=key, now=clock.now(), **kw)


def rows(db) -> list[Outbox]:
    with db.session() as s:
        return list(s.exec(select(Outbox).order_by(col(Outbox.id))))


def row(db, key: str) -> Outbox:
    with db.session() as s:
        return s.exec(select(Outbox).where(Outbox.key == key)).one()


def alerts(db) -> list[Outbox]:
    return [r for r in rows(db) if r.key.startswith(outbox.ALERT_KEY_PREFIX)]


def test_backoff_doubles_up_to_a_cap():
    assert [outbox.backoff_seconds(n) for n in range(1, 11)] == [2, 4, 8, 16, 32, 64, 128, 256, 300, 300]
    assert outbox.backoff_seconds(3, base=0.1, cap=0.3) == pytest.approx(0.3)


def test_enqueue_is_idempotent(db, clock):
    assert enqueue(db, clock, "k1")
    assert not enqueue(db, clock, "k1", text="another text")
    assert [r.text for r in rows(db)] == ["通知 k1"]


def test_a_key_queued_by_a_concurrent_unit_of_work_is_not_queued_again(db, clock):
    """The second unit of work waits for the first (the row or the write lock), then queues nothing
    and goes on: the rest of its work still commits."""
    results = []
    with db.session() as first:
        outbox.enqueue(first, chat_id=100, text="第一", key="same", now=clock.now())

        def second():
            with db.session() as s:
                results.append(outbox.enqueue(s, chat_id=100, text="第二", key="same", now=clock.now()))
                results.append(outbox.enqueue(s, chat_id=100, text="另一条", key="other", now=clock.now()))

        worker = threading.Thread(target=second)
        worker.start()
        time.sleep(0.3)  # the second is waiting for the first to commit
        assert results == []
    worker.join(timeout=30)
    assert results == [False, True]
    assert sorted(r.text for r in rows(db)) == ["另一条", "第一"]


def test_claim_urgent_first_then_oldest_and_decodes_buttons(db, clock):
    enqueue(db, clock, "old", chat_id=1)
    clock.advance(timedelta(seconds=1))
    enqueue(db, clock, "new", chat_id=2, buttons=[[("查看", "case:1"), ("受理", "acc:1")]])
    clock.advance(timedelta(seconds=1))
    enqueue(db, clock, "urgent", chat_id=3, urgent=True)
    claimed = db.call(outbox.claim_due, now=clock.now())
    assert [m.text for m in claimed] == ["通知 urgent", "通知 old", "通知 new"]
    assert claimed[0].urgent and claimed[0].attempts == 1
    assert claimed[2].buttons == [[("查看", "case:1"), ("受理", "acc:1")]]
    assert claimed[1].buttons == []


def test_claim_respects_due_time_limit_and_lease(db, clock):
    for i in range(5):
        enqueue(db, clock, f"k{i}", chat_id=i)
    first = db.call(outbox.claim_due, now=clock.now(), limit=3, lease_seconds=30)
    assert len(first) == 3
    second = db.call(outbox.claim_due, now=clock.now(), limit=10, lease_seconds=30)
    assert {m.id for m in second} == {r.id for r in rows(db)} - {m.id for m in first}
    assert db.call(outbox.claim_due, now=clock.now()) == []
    # The sender died holding them: after the lease they come back, with the attempt counted.
    clock.advance(timedelta(seconds=29))
    assert db.call(outbox.claim_due, now=clock.now()) == []
    clock.advance(timedelta(seconds=1))
    again = db.call(outbox.claim_due, now=clock.now())
    assert len(again) == 5 and {m.attempts for m in again} == {2}


def test_claim_per_chat_takes_the_first_rows_of_each_chat(db, clock):
    for i in range(3):
        enqueue(db, clock, f"a{i}", chat_id=1)
        enqueue(db, clock, f"b{i}", chat_id=2)
    enqueue(db, clock, "a-urgent", chat_id=1, urgent=True)
    claimed = db.call(outbox.claim_due, now=clock.now(), per_chat=1)
    assert [m.text for m in claimed] == ["通知 a-urgent", "通知 b0"]
    claimed = db.call(outbox.claim_due, now=clock.now(), per_chat=2)
    assert [m.text for m in claimed] == ["通知 a0", "通知 a1", "通知 b1", "通知 b2"]


def test_mark_sent(db, clock):
    enqueue(db, clock, "k")
    [m] = db.call(outbox.claim_due, now=clock.now())
    db.call(outbox.mark_sent, message_id=m.id, now=clock.now())
    r = row(db, "k")
    assert r.status == OutboxStatus.sent and r.sent_at == clock.now()
    clock.advance(timedelta(hours=1))
    assert db.call(outbox.claim_due, now=clock.now()) == []


def test_failures_back_off_then_dead_letter_alerts_admins_once(db, clock, admin):
    second_admin = make_person(db, clock, 2, name="赵管理")
    db.call(people.set_roles, actor_id=admin.id, person_id=second_admin, roles={Role.admin}, now=clock.now())
    person = make_person(db, clock, 500)
    enqueue(db, clock, "k", chat_id=500, person_id=person, text="<b>事项 2026-0001</b> 已分派给您 &amp; 请处理")
    for attempt in (1, 2):
        [m] = db.call(outbox.claim_due, now=clock.now())
        assert m.attempts == attempt
        status = db.call(
            outbox.mark_failed, message_id=m.id, error="NetworkError: Bad Gateway", retry_in_seconds=10,
            now=clock.now(), max_attempts=3,
        )
        assert status == OutboxStatus.pending
        assert row(db, "k").next_attempt_at == clock.now() + timedelta(seconds=10)
        assert db.call(outbox.claim_due, now=clock.now()) == []
        clock.advance(timedelta(seconds=10))
    [m] = db.call(outbox.claim_due, now=clock.now())
    status = db.call(
        outbox.mark_failed, message_id=m.id, error="NetworkError: Bad Gateway", retry_in_seconds=10,
        now=clock.now(), max_attempts=3,
    )
    assert status == OutboxStatus.dead
    r = row(db, "k")
    assert r.status == OutboxStatus.dead and r.last_error == "NetworkError: Bad Gateway"
    found = alerts(db)
    assert sorted(a.chat_id for a in found) == [1, 2]
    assert all(a.urgent and a.key == f"alert:dead:{r.id}:{a.chat_id}" for a in found)
    assert "3 次" in found[0].text and "李四" in found[0].text and "13800000001" in found[0].text
    assert "事项 2026-0001 已分派给您 &amp; 请处理" in found[0].text and "<b>" not in found[0].text
    # Marking again (e.g. a late duplicate report) changes nothing and alerts nobody twice.
    db.call(outbox.mark_failed, message_id=m.id, error="x", retry_in_seconds=1, now=clock.now(), max_attempts=3)
    db.call(outbox.mark_dead, message_id=m.id, error="x", now=clock.now())
    assert len(alerts(db)) == 2 and row(db, "k").status == OutboxStatus.dead


def test_mark_dead_at_once_for_chat_not_found(db, clock, admin):
    enqueue(db, clock, "k", chat_id=777)
    [m] = db.call(outbox.claim_due, now=clock.now())
    db.call(outbox.mark_dead, message_id=m.id, error="BadRequest: Chat not found", now=clock.now())
    assert row(db, "k").status == OutboxStatus.dead
    [alert] = alerts(db)
    assert alert.chat_id == 1 and "聊天 777" in alert.text and "Chat not found" in alert.text


def test_unreachable_flags_person_and_alerts_admins(db, clock, admin):
    person = make_person(db, clock, 600, name="钱五", phone="13900000002")
    enqueue(db, clock, "k", chat_id=600, text="请到村委会")  # no person_id: found by Telegram id
    [m] = db.call(outbox.claim_due, now=clock.now())
    db.call(outbox.mark_unreachable, message_id=m.id, now=clock.now())
    assert row(db, "k").status == OutboxStatus.dead
    with db.session() as s:
        assert s.get(Person, person).unreachable
    [alert] = alerts(db)
    assert alert.chat_id == 1 and alert.person_id == admin.id
    assert "钱五（电话 13900000002） 已屏蔽机器人，消息无法送达，请电话联系" in alert.text
    assert "请到村委会" in alert.text
    # A later successful send shows the person unblocked the bot.
    enqueue(db, clock, "k2", chat_id=600, person_id=person)
    [m2] = [m for m in db.call(outbox.claim_due, now=clock.now()) if m.chat_id == 600]
    db.call(outbox.mark_sent, message_id=m2.id, now=clock.now())
    with db.session() as s:
        assert not s.get(Person, person).unreachable


def test_a_blocked_person_is_alerted_about_once_a_day(db, clock, admin):
    second_admin = make_person(db, clock, 2, name="李管理")
    db.call(people.set_roles, actor_id=admin.id, person_id=second_admin, roles={Role.admin}, now=clock.now())
    person = make_person(db, clock, 600, name="钱五")
    for n in range(5):
        enqueue(db, clock, f"k{n}", chat_id=600, person_id=person)
    for m in db.call(outbox.claim_due, now=clock.now()):
        db.call(outbox.mark_unreachable, message_id=m.id, now=clock.now())
    assert all(row(db, f"k{n}").status == OutboxStatus.dead for n in range(5))
    assert sorted(a.chat_id for a in alerts(db)) == [1, 2]  # one per admin, not five
    # Another blocked person is another alert; the same person the next local day is too.
    other = make_person(db, clock, 700, name="孙六")
    enqueue(db, clock, "o1", chat_id=700, person_id=other)
    clock.advance(timedelta(hours=16))  # 2026-12-01 01:00 in Shanghai
    enqueue(db, clock, "k5", chat_id=600, person_id=person)
    for m in db.call(outbox.claim_due, now=clock.now()):
        if m.chat_id in (600, 700):  # the alerts themselves are delivered
            db.call(outbox.mark_unreachable, message_id=m.id, now=clock.now())
    assert len(alerts(db)) == 6


def test_unreachable_admin_gets_no_alert_and_alerts_never_loop(db, clock, admin):
    enqueue(db, clock, "k", chat_id=1, person_id=admin.id)
    [m] = db.call(outbox.claim_due, now=clock.now())
    db.call(outbox.mark_unreachable, message_id=m.id, now=clock.now())
    assert alerts(db) == []  # the only admin is the one who blocked the bot
    other = make_person(db, clock, 700)
    enqueue(db, clock, "k2", chat_id=700, person_id=other)
    db.call(people.set_roles, actor_id=admin.id, person_id=other, roles={Role.admin}, now=clock.now())
    [m] = db.call(outbox.claim_due, now=clock.now())
    db.call(outbox.mark_dead, message_id=m.id, error="BadRequest: x", now=clock.now())
    [alert] = alerts(db)  # to the other admin (the blocked one is skipped)
    assert alert.chat_id == 700
    [m] = db.call(outbox.claim_due, now=clock.now())
    db.call(outbox.mark_dead, message_id=m.id, error="BadRequest: x", now=clock.now())
    assert len(alerts(db)) == 1  # a dead alert is logged, not alerted about


def test_release_does_not_count_the_attempt(db, clock):
    enqueue(db, clock, "k")
    [m] = db.call(outbox.claim_due, now=clock.now())
    db.call(outbox.release, message_id=m.id, now=clock.now(), delay_seconds=5, error="RetryAfter")
    r = row(db, "k")
    assert r.attempts == 0 and r.next_attempt_at == clock.now() + timedelta(seconds=5)
    clock.advance(timedelta(seconds=5))
    [m] = db.call(outbox.claim_due, now=clock.now())
    assert m.attempts == 1


def test_concurrent_claims_never_return_the_same_row(db, clock):
    total = 300
    db.call(
        lambda session: [
            outbox.enqueue(session, chat_id=i % 40, key=f"k{i}", text=f"t{i}", now=clock.now())
            for i in range(total)
        ]
    )
    now = clock.now()
    start = threading.Barrier(4)
    claimed: list[list[int]] = [[] for _ in range(4)]
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            start.wait()
            while batch := db.call(outbox.claim_due, now=now, limit=7, lease_seconds=60):
                claimed[n].extend(m.id for m in batch)
                time.sleep(0.001)  # give the others a turn, as a sender does between batches
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    every = [i for ids in claimed for i in ids]
    assert len(every) == len(set(every)) == total
    assert sum(1 for ids in claimed if ids) >= 2  # they really ran side by side
    assert {r.attempts for r in rows(db)} == {1}


def test_concurrent_per_chat_claims_never_return_the_same_row(db, clock):
    db.call(
        lambda session: [
            outbox.enqueue(session, chat_id=i % 10, key=f"k{i}", text=f"t{i}", now=clock.now()) for i in range(100)
        ]
    )
    start = threading.Barrier(3)
    claimed: list[int] = []
    lock = threading.Lock()

    def worker() -> None:
        start.wait()
        for _ in range(20):
            batch = db.call(outbox.claim_due, now=clock.now(), limit=5, per_chat=1)
            with lock:
                claimed.extend(m.id for m in batch)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(claimed) == len(set(claimed)) == 100


def test_an_edit_resolves_to_the_sent_copy_or_rewrites_the_waiting_original(db, clock):
    enqueue(db, clock, "a", buttons=[[("收到", "ack:1")]])
    enqueue(db, clock, "a-edit", edit_key="a", text="已由张三确认")
    edit_id = row(db, "a-edit").id
    # Not sent yet and not claimed: the original itself takes the new text, and loses its button.
    target = db.call(outbox.edit_target, message_id=edit_id, now=clock.now())
    assert target.tg_message_id is None and not target.retry
    assert row(db, "a").text == "已由张三确认" and row(db, "a").buttons is None

    enqueue(db, clock, "b")
    enqueue(db, clock, "b-edit", edit_key="b", text="新")
    [claimed] = [m for m in db.call(outbox.claim_due, now=clock.now(), limit=50) if m.id == row(db, "b").id]
    # Being sent this moment: retry the edit shortly, so it knows the sent message's id.
    assert db.call(outbox.edit_target, message_id=row(db, "b-edit").id, now=clock.now()).retry
    db.call(outbox.mark_sent, message_id=claimed.id, now=clock.now(), tg_message_id=42)
    target = db.call(outbox.edit_target, message_id=row(db, "b-edit").id, now=clock.now())
    assert (target.chat_id, target.tg_message_id, target.retry) == (100, 42, False)
    assert row(db, "b").text == "通知 b"  # what Telegram holds is edited there, not here


def test_keys_under_a_prefix_are_exactly_those_and_found_by_an_index(db, clock):
    """A 传达's copies (announce12:…) are not another's (announce120:…, announce12 alone), and the
    lookup goes through an index: it is paid on every 已阅, however large the outbox has grown."""
    keys = ["announce12:p1", "announce12:remind:202612041000:p2", "announce12:sender", "announce120:p1",
            "announce1:p1", "announce12", "announce12;p1", "annstatus12", "urg:12:l0:p1", "urg:12:m0"]
    for key in keys:
        enqueue(db, clock, key)
    with db.session() as s:
        found = s.exec(select(Outbox.key).where(outbox.keys_under(s, "announce12:"))).all()
        assert sorted(found) == ["announce12:p1", "announce12:remind:202612041000:p2", "announce12:sender"]
        assert s.exec(select(Outbox.key).where(outbox.keys_under(s, "urg:12:l"))).all() == ["urg:12:l0:p1"]
        query = select(Outbox.id).where(outbox.keys_under(s, "announce12:"))
        compiled = query.compile(s.get_bind(), compile_kwargs={"literal_binds": True})
        if s.get_bind().dialect.name == "postgresql":
            s.exec(text("SET LOCAL enable_seqscan = off"))  # a table this small would be read whole anyway
            plan = " ".join(r[0] for r in s.exec(text(f"EXPLAIN {compiled}")))
            assert "ix_outbox_key_prefix" in plan, plan
        else:
            plan = " ".join(r[-1] for r in s.exec(text(f"EXPLAIN QUERY PLAN {compiled}")))
            assert "SEARCH outbox USING" in plan and "INDEX" in plan, plan


# --- OUTBOX_TEXT_DAYS: the texts of old notifications are cleared -----------------------------------


def send(db, clock, key: str, tg_message_id: int) -> None:
    message_id = row(db, key).id
    db.call(outbox.mark_sent, message_id=message_id, now=clock.now(), tg_message_id=tg_message_id)


def forget_all(db, before, limit: int = outbox.FORGET_BATCH) -> list[int]:
    """Drain as the nightly job does; the rows each batch cleared."""
    batches = []
    for _ in range(20):
        batch = db.call(outbox.forget_texts, before=before, limit=limit)
        batches.append(batch.rows)
        if not batch.more:
            return batches
    raise AssertionError(f"the drain does not end: {batches}")


def test_old_delivered_texts_are_cleared_and_the_rest_is_kept(db, clock):
    enqueue(db, clock, "sent-old", text="张三 13800000001 反映邻里纠纷", buttons=[[("查看", "case:v:1")]])
    send(db, clock, "sent-old", 41)
    enqueue(db, clock, "dead-old")
    db.call(outbox.mark_dead, message_id=row(db, "dead-old").id, now=clock.now(), error="Forbidden")
    enqueue(db, clock, "waiting-old")  # still to go: text and all, and tonight's work ends there
    enqueue(db, clock, "sent-old-2")
    send(db, clock, "sent-old-2", 43)
    clock.advance(timedelta(days=10))
    enqueue(db, clock, "sent-new")
    send(db, clock, "sent-new", 42)

    assert sum(forget_all(db, clock.now() - timedelta(days=5))) == 2
    old = row(db, "sent-old")
    assert old.text == "" and row(db, "dead-old").text == ""
    # Who got what kind of message when stays, and the message it became.
    assert (old.key, old.chat_id, old.status, old.tg_message_id) == ("sent-old", 100, OutboxStatus.sent, 41)
    assert old.buttons and old.sent_at is not None
    assert row(db, "waiting-old").text == "通知 waiting-old" and row(db, "sent-new").text == "通知 sent-new"
    assert row(db, "sent-old-2").text == "通知 sent-old-2"  # behind the waiting one: the next night
    # The key still stops the same notice going out twice, and an edit still finds its message.
    assert not enqueue(db, clock, "sent-old")
    enqueue(db, clock, "sent-old-edit", edit_key="sent-old", text="已办结")
    target = db.call(outbox.edit_target, message_id=row(db, "sent-old-edit").id, now=clock.now())
    assert (target.chat_id, target.tg_message_id) == (100, 41)

    send(db, clock, "waiting-old", 44)  # the next night: it went out, so it and the one behind it go
    assert sum(forget_all(db, clock.now() - timedelta(days=5))) == 2
    assert row(db, "waiting-old").text == "" and row(db, "sent-old-2").text == ""
    assert row(db, "sent-new").text == "通知 sent-new"


def test_texts_are_cleared_in_short_batches_and_no_night_reads_a_row_twice(db, clock):
    for n in range(5):
        enqueue(db, clock, f"k{n}")
        send(db, clock, f"k{n}", 100 + n)
    clock.advance(timedelta(days=31))
    assert forget_all(db, clock.now() - timedelta(days=30), limit=2) == [2, 2, 1]
    assert [r.text for r in rows(db)] == [""] * 5
    enqueue(db, clock, "later")
    send(db, clock, "later", 200)
    clock.advance(timedelta(days=31))
    # From where the last night stopped: read from the start, the five cleared rows would be two batches more.
    assert forget_all(db, clock.now() - timedelta(days=30), limit=2) == [1]
    assert row(db, "later").text == ""
