"""信息报告: opened for major-event types, reminders before the 30-minute mark, 初报 → 续报 → 终报."""

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.services import info_reports as ir
from bot.services.errors import InvalidInput, NotAllowed
from models import Case, InfoReport, InfoReportKind, Outbox, Person
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
