"""传达 as a service: who may send, who receives by role / village / unit, 已阅 and the sender's
count with the unread names, the one-press reminder, the sender's own reminder after working hours
(on the real 2026 calendar), 学习 attendance, and the 传达台账 rows (figures counted by hand)."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.services import announcements as an
from bot.services import people
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed
from models import Attendance, Outbox, Person
from models.announcements import AnnouncementKind
from tests.factories import local

SH = ZoneInfo("Asia/Shanghai")
POLICY = DeadlinePolicy()
SENT = local(2026, 12, 4, 9, 0)  # a Friday


def _send(w, groups, *, kind=AnnouncementKind.deployment, text="学习传达会议精神", sender=None, **kw):
    return w.db.call(an.send, sender_id=sender or w.staff, kind=kind, text=text, groups=groups, now=SENT, **kw)


def _outbox(w, key_part):
    with w.db.session() as s:
        return list(s.exec(select(Outbox).where(Outbox.key.contains(key_part)).order_by(Outbox.id)))


def test_only_the_director_leaders_and_staff_may_announce(w):
    with w.db.session() as s:
        assert an.may_announce(s, person_id=w.director)
        assert an.may_announce(s, person_id=w.leader)
        assert an.may_announce(s, person_id=w.staff)
        assert not an.may_announce(s, person_id=w.grid_worker)
        assert not an.may_announce(s, person_id=w.unit_contact)
    with pytest.raises(NotAllowed):
        _send(w, [an.EVERYONE], sender=w.grid_worker)


def test_recipients_by_village_and_role_without_doubles_or_the_sender(w):
    with w.db.session() as s:
        # 东山村: 张网格 (grid); the grid role: 张网格 and 李网格; 张网格 only once
        names = [p.name for p in an.recipients(s, groups=[f"v-{w.village.id}", "r-grid"], sender_id=w.staff)]
        assert names == sorted(["张网格", "李网格"])
        everyone = an.recipients(s, groups=[an.EVERYONE], sender_id=w.staff)
        assert len(everyone) == 7  # 8 people of the town less the sender
        assert w.staff not in [p.id for p in everyone]
        with pytest.raises(InvalidInput):
            an.recipients(s, groups=["v-abc"], sender_id=w.staff)


def test_send_queues_one_message_each_with_a_read_button_and_the_count_follows_the_presses(w):
    a, count = _send(w, [f"u-{w.unit.id}", "r-grid"])
    assert count == 3  # 司法所老李, 张网格, 李网格
    rows = _outbox(w, f"announce{a.id}:p")
    assert len(rows) == 3 and all("已阅" in r.buttons for r in rows)
    assert not any(r.protect for r in rows)  # text only
    assert w.db.call(an.mark_read, announcement_id=a.id, person_id=w.grid_worker, now=SENT)
    assert not w.db.call(an.mark_read, announcement_id=a.id, person_id=w.grid_worker, now=SENT)  # a second press
    st = w.db.call(an.status, announcement_id=a.id, actor_id=w.staff)
    assert (st.read, st.total) == (1, 3)
    assert st.unread == sorted(["司法所老李", "李网格"])
    with pytest.raises(NotAllowed):  # not a recipient (a forged button)
        w.db.call(an.mark_read, announcement_id=a.id, person_id=w.director, now=SENT)
    with pytest.raises(NotAllowed):  # only the sender sees the count
        w.db.call(an.status, announcement_id=a.id, actor_id=w.staff2)


def test_the_senders_status_message_follows_each_read_with_one_waiting_edit_at_most(w):
    a, _ = _send(w, [f"u-{w.unit.id}", "r-grid"])
    [status] = _outbox(w, f"annstatus{a.id}")
    with w.db.session() as s:
        assert status.chat_id == s.get(Person, w.staff).telegram_id and "已阅 0/3" in status.text
    assert "提醒" not in status.buttons  # nobody could have read it yet

    def edits():
        with w.db.session() as s:
            return list(s.exec(select(Outbox).where(Outbox.edit_key == status.key).order_by(Outbox.id)))

    w.db.call(an.mark_read, announcement_id=a.id, person_id=w.grid_worker, now=SENT)
    [edit] = edits()
    assert "已阅 1/3" in edit.text and "提醒未阅人员" in edit.buttons
    # A second read before the outbox sent that edit rewrites it: the sender gets the latest count once.
    w.db.call(an.mark_read, announcement_id=a.id, person_id=w.unit_contact, now=SENT)
    [edit] = edits()
    assert "已阅 2/3" in edit.text and "未阅：李网格" in edit.text
    with w.db.session() as s:  # a sender has claimed it (in flight): the next read queues a new edit
        s.get(Outbox, edit.id).attempts = 1
    w.db.call(an.mark_read, announcement_id=a.id, person_id=w.other_grid, now=SENT)
    assert [("已阅 3/3" in e.text) for e in edits()] == [False, True]
    assert "提醒未阅人员" not in edits()[-1].buttons  # everyone has read it


def test_a_file_is_sent_by_its_file_id_and_protected(w):
    a, _ = _send(w, ["r-unit"], text="附件请学习", file_id="FILE123", file_kind="document", file_name="通知.pdf")
    rows = _outbox(w, f"announce{a.id}:p")
    assert [r.document for r in rows] == [f"announce:{a.id}"] and rows[0].protect
    with w.db.session() as s:
        assert an.file_of(s, a.id) == ("FILE123", "document", "通知.pdf")


def test_content_limits(w):
    with pytest.raises(InvalidInput):
        _send(w, ["r-grid"], text="  ")
    with pytest.raises(InvalidInput):
        _send(w, ["r-grid"], text="字" * (an.MAX_TEXT + 1))
    with pytest.raises(InvalidInput):  # a caption is shorter
        _send(w, ["r-grid"], text="字" * (an.MAX_CAPTION + 1), file_id="F", file_kind="document", file_name="a.pdf")
    assert _send(w, ["r-grid"], text="字" * an.MAX_TEXT)[1] == 2


def test_remind_unread_reaches_only_the_unread_and_a_double_press_sends_nothing_more(w):
    a, _ = _send(w, ["r-grid", "r-unit"])
    w.db.call(an.mark_read, announcement_id=a.id, person_id=w.unit_contact, now=SENT)
    later = local(2026, 12, 4, 10)
    assert w.db.call(an.remind_unread, announcement_id=a.id, actor_id=w.staff, now=later) == 2
    assert w.db.call(an.remind_unread, announcement_id=a.id, actor_id=w.staff, now=later) == 0
    reminded = {r.person_id for r in _outbox(w, f"announce{a.id}:remind")}
    assert reminded == {w.grid_worker, w.other_grid}
    with pytest.raises(NotAllowed):
        w.db.call(an.remind_unread, announcement_id=a.id, actor_id=w.director, now=later)


def test_a_person_deactivated_after_sending_is_no_longer_counted_or_reminded(w):
    a, _ = _send(w, ["r-grid"])
    w.db.call(people.set_active, actor_id=w.director, person_id=w.other_grid, active=False, now=SENT)
    st = w.db.call(an.status, announcement_id=a.id, actor_id=w.staff)
    assert (st.read, st.total, st.unread) == (0, 1, ["张网格"])
    assert w.db.call(an.remind_unread, announcement_id=a.id, actor_id=w.staff, now=local(2026, 12, 4, 10)) == 1


def test_the_sender_hears_of_the_unread_after_four_working_hours_once(w):
    # sent Friday 09:00; working hours 08:30-12:00, 14:30-17:30 (the default): 3h by 12:00, the 4th
    # hour ends at 15:30
    a, _ = _send(w, ["r-grid"])
    w.db.call(an.mark_read, announcement_id=a.id, person_id=w.grid_worker, now=SENT)
    assert w.db.call(an.sweep, now=local(2026, 12, 4, 15, 29), policy=POLICY) == 0
    assert w.db.call(an.sweep, now=local(2026, 12, 4, 15, 31), policy=POLICY) == 1
    assert w.db.call(an.sweep, now=local(2026, 12, 4, 16, 0), policy=POLICY) == 0  # once
    [row] = _outbox(w, f"announce{a.id}:sender")
    assert row.person_id == w.staff and "李网格" in row.text and "张网格" not in row.text


def test_the_sender_reminder_waits_over_the_weekend(w):
    w.db.call(an.send, sender_id=w.staff, kind=AnnouncementKind.legal, text="普法", groups=["r-grid"],
                     now=local(2026, 12, 4, 16, 0))  # Friday 16:00: 1.5h that day
    assert w.db.call(an.sweep, now=local(2026, 12, 7, 8, 0), policy=POLICY) == 0  # Monday before work
    assert w.db.call(an.sweep, now=local(2026, 12, 7, 11, 1), policy=POLICY) == 1  # 1.5 + 2.5 = 4h at 11:00


def test_nobody_unread_means_no_sender_reminder(w):
    a, _ = _send(w, ["r-unit"])
    w.db.call(an.mark_read, announcement_id=a.id, person_id=w.unit_contact, now=SENT)
    assert w.db.call(an.sweep, now=local(2026, 12, 7, 12), policy=POLICY) == 0


def test_study_attendance(w):
    a, _ = _send(w, ["r-grid"], kind=AnnouncementKind.study)
    w.db.call(an.answer, announcement_id=a.id, person_id=w.grid_worker, attendance=Attendance.attend, now=SENT)
    with pytest.raises(InvalidInput):  # 请假 needs a reason
        w.db.call(an.answer, announcement_id=a.id, person_id=w.other_grid, attendance=Attendance.leave, now=SENT)
    w.db.call(an.answer, announcement_id=a.id, person_id=w.other_grid, attendance=Attendance.leave, now=SENT,
              reason="下村调解")
    st = w.db.call(an.status, announcement_id=a.id, actor_id=w.staff)
    assert (st.read, st.attend, st.leave) == (2, 1, [("李网格", "下村调解")])
    b, _ = _send(w, ["r-grid"])
    with pytest.raises(InvalidInput):  # only 学习 takes attendance
        w.db.call(an.answer, announcement_id=b.id, person_id=w.grid_worker, attendance=Attendance.attend, now=SENT)


def test_ledger_rows_and_the_recent_list(w):
    a, _ = _send(w, ["r-grid"], text="第一行\n第二行")
    w.db.call(an.mark_read, announcement_id=a.id, person_id=w.grid_worker, now=SENT)
    w.db.call(an.send, sender_id=w.director, kind=AnnouncementKind.study, text="学习", groups=["r-unit"],
              now=local(2026, 11, 30, 9))  # the month before: outside December
    with w.db.session() as s:
        rows = an.ledger_rows(s, start=date(2026, 12, 1), end=date(2026, 12, 31), tz=SH)
        assert len(rows) == 1
        r = rows[0]
        assert (r.when, r.kind, r.sender, r.content, r.audience, r.total, r.read) == (
            "2026年12月4日 09:00", "工作部署", "孙丽", "第一行", "网格员", 2, 1)
        assert r.note == "未阅：李网格"
        assert [(x.read, x.total) for x in an.recent(s, sender_id=w.staff)] == [(1, 2)]
        assert s.get(Person, w.staff).name == "孙丽"
