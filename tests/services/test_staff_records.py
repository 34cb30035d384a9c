"""Per-person records (issue 17, 首问责任制): the figures of one staff member on a known data set,
worked out by hand; only the person, the center's leaders and the director see them; the director's
表扬 / 批评 needs a reason and reaches the person."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from bot.services.assessment import staff
from bot.services.errors import InvalidInput, NotAllowed
from models import Case, CaseStatus, Outbox, Severity, Source, StaffNoteKind
from tests.factories import local

SH = ZoneInfo("Asia/Shanghai")
NOW = local(2026, 12, 4, 10, 0)


def _case(s, w, n, **kw):
    base = dict(number=f"2026-08{n:02d}", type_id=w.neighbour, severity=Severity.general, source=Source.visit,
                status=CaseStatus.in_progress, description="x", reporter_id=w.staff, created_at=local(2026, 3, n),
                updated_at=local(2026, 3, n))
    s.add(Case(**{**base, **kw}))


def known(w):
    due = local(2026, 5, 1, 17, 30)
    with w.db.session() as s:
        # 首问 by 孙丽: 3 this year (one answered with guidance, one 不予受理), one last year (not counted)
        _case(s, w, 1, first_inquiry_id=w.staff)
        _case(s, w, 2, first_inquiry_id=w.staff, guidance="请到县信访局反映")
        _case(s, w, 3, first_inquiry_id=w.staff, status=CaseStatus.out_of_scope)
        _case(s, w, 4, first_inquiry_id=w.staff, created_at=local(2025, 6, 1))
        # handled by 孙丽, resolved this year: 2 on time, 1 late, 1 without a deadline; 2 rated
        _case(s, w, 5, handler_id=w.staff, resolved_at=due - timedelta(hours=1), due_at=due, satisfaction="满意")
        _case(s, w, 6, handler_id=w.staff, resolved_at=due, due_at=due)
        _case(s, w, 7, handler_id=w.staff, resolved_at=due + timedelta(days=1), due_at=due, satisfaction="不满意")
        _case(s, w, 8, handler_id=w.staff, resolved_at=due)
        # someone else's
        _case(s, w, 9, handler_id=w.staff2, resolved_at=due + timedelta(days=1), due_at=due, first_inquiry_id=w.staff2)
        s.commit()


def test_the_figures_of_one_staff_member(w):
    known(w)
    rec = w.db.call(staff.record, actor_id=w.staff, person_id=w.staff, year=2026, now=NOW, tz=SH)
    assert (rec.first_inquiry, rec.guidance) == (3, 2)
    assert (rec.on_time, rec.resolved_with_due, str(rec.on_time_rate)) == (2, 3, "66.67")
    assert (rec.satisfied, rec.rated, str(rec.satisfaction_rate)) == (1, 2, "50.00")


def test_only_the_person_their_leaders_and_the_director_see_it(w):
    for viewer in (w.staff, w.leader, w.director):
        w.db.call(staff.record, actor_id=viewer, person_id=w.staff, year=2026, now=NOW, tz=SH)
    for viewer in (w.staff2, w.grid_worker, w.unit_contact, w.secretary):
        with pytest.raises(NotAllowed):
            w.db.call(staff.record, actor_id=viewer, person_id=w.staff, year=2026, now=NOW, tz=SH)
    with pytest.raises(NotAllowed):
        w.db.call(staff.staff, actor_id=w.staff)
    assert [n for _, n in w.db.call(staff.staff, actor_id=w.leader)] == ["孙丽", "周明"]


def test_praise_and_criticism_by_the_director_with_a_reason(w):
    with pytest.raises(InvalidInput):
        w.db.call(staff.add_note, actor_id=w.director, person_id=w.staff, kind=StaffNoteKind.praise, reason=" ",
                  now=NOW)
    with pytest.raises(NotAllowed):
        w.db.call(staff.add_note, actor_id=w.leader, person_id=w.staff, kind=StaffNoteKind.praise, reason="好",
                  now=NOW)
    w.db.call(staff.add_note, actor_id=w.director, person_id=w.staff, kind=StaffNoteKind.praise,
              reason="主动帮助来访群众联系县人社局", now=NOW)
    w.db.call(staff.add_note, actor_id=w.director, person_id=w.staff, kind=StaffNoteKind.criticism,
              reason="接待时未登记首问", now=NOW)
    rec = w.db.call(staff.record, actor_id=w.staff, person_id=w.staff, year=2026, now=NOW, tz=SH)
    assert [(k, r) for k, _, r in rec.notes] == [(StaffNoteKind.praise, "主动帮助来访群众联系县人社局"),
                                                  (StaffNoteKind.criticism, "接待时未登记首问")]
    with w.db.session() as s:
        texts = s.exec(select(Outbox.text).where(Outbox.chat_id == 4, Outbox.key.startswith("staffnote"))).all()
    assert len(texts) == 2 and "【表扬】" in texts[0] and "【批评】" in texts[1]
