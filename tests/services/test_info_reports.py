"""信息报告: opened for major-event types, reminders before the 30-minute mark, 初报 → 续报 → 终报."""

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.services import cases, people
from bot.services import info_reports as ir
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed
from models import Case, InfoReport, InfoReportKind, Outbox, Outcome, Person, ReplyMethod
from tests.factories import opened


def outbox_keys(w, like):
    with w.db.session() as s:
        return [o.key for o in s.exec(select(Outbox).where(Outbox.key.like(like)))]


def test_not_opened_for_ordinary_types(w):
    ref = w.submit()
    with w.db.session() as s:
        assert ir.open_first_report(s, case=s.get(Case, ref.id), reporter=s.get(Person, w.grid_worker),
                                    now=w.clock.now(), minutes=30, tz=w.clock.now().tzinfo) is None


def test_reminders_before_and_after_the_deadline(w):
    _ref, rid = opened(w)
    assert w.db.call(ir.sweep_due, now=w.clock.now() + timedelta(minutes=10)) == 0
    assert w.db.call(ir.sweep_due, now=w.clock.now() + timedelta(minutes=21)) == 2  # reporter and director
    assert w.db.call(ir.sweep_due, now=w.clock.now() + timedelta(minutes=25)) == 0  # once
    assert w.db.call(ir.sweep_due, now=w.clock.now() + timedelta(minutes=31)) == 2  # overdue
    assert len(outbox_keys(w, f"info:{rid}:%")) == 4


def test_first_follow_up_and_final(w):
    ref, rid = opened(w)
    with pytest.raises(InvalidInput, match="还缺"):
        w.db.call(ir.submit_report, actor_id=w.grid_worker, report_id=rid, now=w.clock.now())
    for field, value in [("occurred", "今天 8:40"), ("place", "东山村村委会门口"), ("cause", "征地补偿"),
                         ("course", "约 30 人聚集"), ("measures", "联系点领导已到场劝解")]:
        w.db.call(ir.save_field, actor_id=w.grid_worker, report_id=rid, field=field, value=value)
    with pytest.raises(NotAllowed):
        w.db.call(ir.save_field, actor_id=w.other_grid, report_id=rid, field="trend", value="x")
    w.db.call(ir.submit_report, actor_id=w.grid_worker, report_id=rid, now=w.clock.now())
    sent = outbox_keys(w, f"info:{rid}:%")
    assert f"info:{rid}:g-100500" in sent and f"info:{rid}:p{w.secretary}" in sent
    with pytest.raises(InvalidInput, match="已报送"):
        w.db.call(ir.save_field, actor_id=w.grid_worker, report_id=rid, field="trend", value="平稳")
    assert w.db.call(ir.sweep_due, now=w.clock.now() + timedelta(minutes=40)) == 0  # submitted: no nagging
    follow = w.db.call(ir.start_next, actor_id=w.staff, case_id=ref.id, kind=InfoReportKind.follow_up,
                       now=w.clock.now())
    assert follow.seq == 2 and follow.fields["place"] == "东山村村委会门口"
    with pytest.raises(InvalidInput, match="没有报送"):
        w.db.call(ir.start_next, actor_id=w.staff, case_id=ref.id, kind=InfoReportKind.final, now=w.clock.now())
    w.db.call(ir.submit_report, actor_id=w.staff, report_id=follow.id, now=w.clock.now())
    final = w.db.call(ir.start_next, actor_id=w.staff, case_id=ref.id, kind=InfoReportKind.final, now=w.clock.now())
    w.db.call(ir.submit_report, actor_id=w.staff, report_id=final.id, now=w.clock.now())
    with pytest.raises(InvalidInput, match="终报已报送"):
        w.db.call(ir.start_next, actor_id=w.staff, case_id=ref.id, kind=InfoReportKind.follow_up, now=w.clock.now())
    with w.db.session() as s:
        kinds = [r.kind for r in s.exec(select(InfoReport).order_by(InfoReport.id))]
    assert kinds == ["first", "follow_up", "final"]
    text = w.db.call(lambda session: ir.render(session.get(InfoReport, rid), session.get(Case, ref.id)))
    assert "信息报告·初报" in text and "基本经过：约 30 人聚集" in text


def test_views_for_the_chat(w):
    ref, rid = opened(w)
    view = w.db.call(ir.report_view, actor_id=w.grid_worker, report_id=rid)
    assert view.may_write and not view.may_continue and view.number == ref.number
    assert "cause" not in view.filled and "place" not in view.filled and "received_at" in view.filled
    assert "起因和性质" in view.missing and "信息报告·初报" in view.text
    # the secretary sees it but does not write; a grid worker of another village does not see it
    assert not w.db.call(ir.report_view, actor_id=w.secretary, report_id=rid).may_write
    with pytest.raises(NotAllowed):
        w.db.call(ir.report_view, actor_id=w.other_grid, report_id=rid)
    with pytest.raises(NotAllowed):
        w.db.call(ir.check_writable, actor_id=w.secretary, report_id=rid, field="cause")
    with pytest.raises(InvalidInput, match="没有这一项"):
        w.db.call(ir.check_writable, actor_id=w.grid_worker, report_id=rid, field="nonsense")
    assert w.db.call(ir.check_writable, actor_id=w.grid_worker, report_id=rid, field="cause").id == rid
    for field in ir.REQUIRED:
        w.db.call(ir.save_field, actor_id=w.grid_worker, report_id=rid, field=field, value="有")
    w.db.call(ir.submit_report, actor_id=w.grid_worker, report_id=rid, now=w.clock.now())
    with pytest.raises(InvalidInput, match="已报送"):
        w.db.call(ir.check_writable, actor_id=w.grid_worker, report_id=rid, field="cause")
    number, views = w.db.call(ir.case_reports, actor_id=w.staff, number=ref.number)
    assert number == ref.number and [v.may_continue for v in views] == [True]
    w.db.call(ir.start_next, actor_id=w.staff, case_id=ref.id, kind=InfoReportKind.final, now=w.clock.now())
    _number, views = w.db.call(ir.case_reports, actor_id=w.staff, case_id=ref.id)
    assert [(v.kind, v.may_continue, v.submitted_at is None) for v in views] == [
        (InfoReportKind.first, False, False), (InfoReportKind.final, False, True)]
    assert w.db.call(ir.case_reports, actor_id=w.staff, number=w.submit().number)[1] == []


def test_typed_text_is_escaped_and_an_oversized_report_refused(w):
    _ref, rid = opened(w)
    for field in ir.REQUIRED:
        w.db.call(ir.save_field, actor_id=w.grid_worker, report_id=rid, field=field, value="约<30人 & 车")
    for field in ("losses", "scope", "trend", "leaders"):
        w.db.call(ir.save_field, actor_id=w.grid_worker, report_id=rid, field=field, value="情" * 1000)
    with pytest.raises(InvalidInput, match="超过一条消息的上限"):
        w.db.call(ir.submit_report, actor_id=w.grid_worker, report_id=rid, now=w.clock.now())
    w.db.call(ir.save_field, actor_id=w.grid_worker, report_id=rid, field="leaders", value="刘领导")
    w.db.call(ir.submit_report, actor_id=w.grid_worker, report_id=rid, now=w.clock.now())
    with w.db.session() as s:
        text = s.exec(select(Outbox.text).where(Outbox.key == f"info:{rid}:g-100500")).one()
    assert "起因和性质：约&lt;30人 &amp; 车" in text  # sent as HTML: typed text is not read as tags


# --- the card's count, /inforeport's list, the 终报 chase --------------------------------------


def sent(w, rid, actor):
    """Fill the required fields and submit (报送) as `actor`."""
    for field in ir.REQUIRED:
        w.db.call(ir.save_field, actor_id=actor, report_id=rid, field=field, value="有")
    w.db.call(ir.submit_report, actor_id=actor, report_id=rid, now=w.clock.now())


def major(w, *, confidential=False):
    """A major event reported by the grid worker, its 初报 opened (the case ref and the report id)."""
    ref = w.submit(type_id=w.secret if confidential else w.mass)
    with w.db.session() as s:
        report = ir.open_first_report(s, case=s.get(Case, ref.id), reporter=s.get(Person, w.grid_worker),
                                      now=w.clock.now(), minutes=30, tz=w.clock.now().tzinfo)
        return ref, report.id


def count(w, viewer, case_id):
    with w.db.session() as s:
        return ir.readable_count(s, viewer=people.view(s, s.get(Person, viewer)), case=s.get(Case, case_id))


def test_the_card_counts_what_the_viewer_may_read(w):
    ref, rid = major(w, confidential=True)
    sent(w, rid, w.director)  # the 初报 of a confidential case, sent by the director
    follow = w.db.call(ir.start_next, actor_id=w.director, case_id=ref.id, kind=InfoReportKind.follow_up,
                       now=w.clock.now())
    assert count(w, w.director, ref.id) == 2
    # its reporter reads the 续报 they are asked to help with, not the 初报 others sent: as reports_for
    assert count(w, w.grid_worker, ref.id) == 1 == len(w.db.call(ir.reports_for, actor_id=w.grid_worker,
                                                                  case_id=ref.id))
    sent(w, follow.id, w.grid_worker)
    assert count(w, w.grid_worker, ref.id) == 1 and count(w, w.director, ref.id) == 2
    assert count(w, w.director, w.submit().id) == 0  # no information report at all


def test_the_list_of_what_waits_is_capped_and_names_the_types(w, monkeypatch):
    monkeypatch.setattr(ir, "WAITING_SHOWN", 2)
    for _ in range(3):
        major(w)
    waiting = w.db.call(ir.reports_waiting, actor_id=w.staff)
    assert len(waiting.shown) == 2 and waiting.more == 1 and waiting.report_types == ()
    empty = w.db.call(ir.reports_waiting, actor_id=w.other_grid)  # sees none of them
    assert empty.shown == () and empty.more == 0 and "群体性事件苗头" in empty.report_types
    assert w.db.call(ir.reports_waiting, actor_id=w.secretary).shown == ()  # reads reports, writes none



def test_the_list_shows_a_missing_final_report_only_while_the_case_is_open(w):
    ref, rid = major(w)
    sent(w, rid, w.grid_worker)
    resolved(w, ref)  # 办结: still open (the reply to the party is due), still listed
    assert [t.number for t in w.db.call(ir.reports_waiting, actor_id=w.staff).shown] == [ref.number]
    w.do(cases.record_reply, w.director, ref.id, method=ReplyMethod.phone, replied_at=w.clock.now())
    assert w.db.call(ir.reports_waiting, actor_id=w.staff).shown == ()  # closed: the chase has told them


def resolved(w, ref):
    w.do(cases.accept, w.director, ref.id)
    w.do(cases.resolve, w.director, ref.id, outcome=Outcome.mediated, agreement=None, summary="已化解")


def chase_rows(w):
    with w.db.session() as s:
        return {o.key: o.text for o in s.exec(select(Outbox).where(Outbox.key.like("info:c%")))}


def test_the_final_report_is_chased_in_working_hours_only_and_once(w):
    ref, rid = major(w)
    sent(w, rid, w.grid_worker)
    _open_case, orid = major(w)  # still being handled: not chased
    sent(w, orid, w.grid_worker)
    resolved(w, ref)
    evening = w.clock.now() + timedelta(hours=11)  # 20:00
    assert w.db.call(ir.sweep_final, now=evening, policy=DeadlinePolicy()) == 0
    morning = w.clock.now() + timedelta(days=1)  # Tuesday 09:00
    assert w.db.call(ir.sweep_final, now=morning, policy=DeadlinePolicy()) == 2
    rows = chase_rows(w)
    assert set(rows) == {f"info:c{ref.id}:final:p{w.grid_worker}", f"info:c{ref.id}:final:p{w.director}"}
    assert "已办结" in rows[f"info:c{ref.id}:final:p{w.director}"] and "还没有终报" in rows[
        f"info:c{ref.id}:final:p{w.director}"]
    # the reports are marked, so later runs no longer look at the case (the key alone would only mute it)
    assert w.report(rid).reminded_at == morning and w.report(orid).reminded_at is None
    assert w.db.call(ir.sweep_final, now=morning + timedelta(hours=1), policy=DeadlinePolicy()) == 0
    # a 终报 begun afterwards (a report not yet marked): the key still stops a second message
    w.db.call(ir.start_next, actor_id=w.staff, case_id=ref.id, kind=InfoReportKind.final, now=morning)
    assert w.db.call(ir.sweep_final, now=morning + timedelta(hours=2), policy=DeadlinePolicy()) == 0
    assert len(chase_rows(w)) == 2


def test_no_chase_once_the_final_report_was_sent(w):
    ref, rid = major(w)
    sent(w, rid, w.grid_worker)
    final = w.db.call(ir.start_next, actor_id=w.staff, case_id=ref.id, kind=InfoReportKind.final, now=w.clock.now())
    sent(w, final.id, w.staff)
    resolved(w, ref)
    assert w.db.call(ir.sweep_final, now=w.clock.now(), policy=DeadlinePolicy()) == 0 and chase_rows(w) == {}


def test_the_chase_goes_to_those_who_may_write_the_final_report(w):
    """A confidential case whose reports others sent: its reporter may not continue them (start_next),
    so only the director hears; a 终报 still being written is named as such."""
    ref, rid = major(w, confidential=True)
    sent(w, rid, w.director)
    w.db.call(ir.start_next, actor_id=w.director, case_id=ref.id, kind=InfoReportKind.final, now=w.clock.now())
    resolved(w, ref)
    assert w.db.call(ir.sweep_final, now=w.clock.now(), policy=DeadlinePolicy()) == 1
    [(key, text)] = chase_rows(w).items()
    assert key == f"info:c{ref.id}:final:p{w.director}" and "终报还没有报送" in text


# --- the phone report (电话报告): 30 minutes, before the written 初报's 60 --------------------------


def phoned(w, *, phone_minutes=30):
    """A major event with its 初报 opened as intake opens it: phone within 30 minutes, written within 60."""
    ref = w.submit(type_id=w.mass)
    with w.db.session() as s:
        report = ir.open_first_report(s, case=s.get(Case, ref.id), reporter=s.get(Person, w.grid_worker),
                                      now=w.clock.now(), minutes=60, tz=w.clock.now().tzinfo,
                                      phone_minutes=phone_minutes)
        return ref, report.id


def test_the_phone_report_is_recorded_once_by_whoever_may_write(w):
    ref, rid = phoned(w)
    with pytest.raises(NotAllowed):
        w.db.call(ir.record_phone, actor_id=w.secretary, report_id=rid, now=w.clock.now())  # reads, does not write
    with pytest.raises(NotAllowed):
        w.db.call(ir.record_phone, actor_id=w.other_grid, report_id=rid, now=w.clock.now())
    assert w.db.call(ir.report_view, actor_id=w.grid_worker, report_id=rid).may_phone
    first = w.db.call(ir.record_phone, actor_id=w.grid_worker, report_id=rid, now=w.clock.now() + timedelta(minutes=5))
    assert not first.already and first.by == "张网格" and first.written_due == w.clock.now() + timedelta(minutes=60)
    again = w.db.call(ir.record_phone, actor_id=w.staff, report_id=rid, now=w.clock.now() + timedelta(minutes=9))
    assert again.already and again.by == "张网格" and again.at == w.clock.now() + timedelta(minutes=5)
    view = w.db.call(ir.report_view, actor_id=w.staff, report_id=rid)
    assert view.phoned_by == "张网格" and view.phoned_at == w.clock.now() + timedelta(minutes=5) and not view.may_phone
    assert "phoned" not in view.text  # the report the party committee receives stays as it was
    # not carried into the 续报: the phone report is the 初报's
    for field, value in [("occurred", "8:40"), ("place", "东山村"), ("cause", "征地"), ("course", "聚集"),
                         ("measures", "劝解")]:
        w.db.call(ir.save_field, actor_id=w.grid_worker, report_id=rid, field=field, value=value)
    w.db.call(ir.submit_report, actor_id=w.grid_worker, report_id=rid, now=w.clock.now())
    follow = w.db.call(ir.start_next, actor_id=w.staff, case_id=ref.id, kind=InfoReportKind.follow_up,
                       now=w.clock.now())
    assert not set(ir.PHONE_KEYS) & set(follow.fields)
    with pytest.raises(InvalidInput, match="初报"):
        w.db.call(ir.record_phone, actor_id=w.staff, report_id=follow.id, now=w.clock.now())


def test_the_phone_report_is_chased_once_after_its_deadline(w):
    _ref, rid = phoned(w)
    assert w.db.call(ir.sweep_due, now=w.clock.now() + timedelta(minutes=29)) == 0  # not before
    assert w.db.call(ir.sweep_due, now=w.clock.now() + timedelta(minutes=31)) == 2  # reporter and director
    assert sorted(outbox_keys(w, f"info:{rid}:phone%")) == sorted(
        [f"info:{rid}:phone:p{w.grid_worker}", f"info:{rid}:phone:p{w.director}"])
    assert w.db.call(ir.sweep_due, now=w.clock.now() + timedelta(minutes=35)) == 0  # once
    # the written 初报 is chased as before, against its own 60 minutes
    assert w.db.call(ir.sweep_due, now=w.clock.now() + timedelta(minutes=51)) == 2
    assert w.db.call(ir.sweep_due, now=w.clock.now() + timedelta(minutes=61)) == 2


def test_no_phone_chase_once_the_call_is_recorded(w):
    _ref, rid = phoned(w)
    w.db.call(ir.record_phone, actor_id=w.grid_worker, report_id=rid, now=w.clock.now() + timedelta(minutes=10))
    assert w.db.call(ir.sweep_due, now=w.clock.now() + timedelta(minutes=31)) == 0
    assert outbox_keys(w, f"info:{rid}:phone%") == []
