"""首问责任制 without Telegram: a visit is registered and accepted by its first-inquiry person at once."""

from datetime import UTC, datetime

import pytest
from sqlmodel import col, select

from bot.services import case_card, cases, people, places
from bot.services.cases import CaseDraft, FileInput, PartyInput
from bot.services.errors import InvalidInput, NotAllowed
from models import (
    Attachment,
    AuditEvent,
    Case,
    CaseParty,
    CaseStatus,
    CaseType,
    Outbox,
    Role,
    Severity,
    Source,
)

VALID_ID = "11010519491231002X"


@pytest.fixture
def world(db, clock):
    now = clock.now()
    with db.session() as s:
        village = places.create_village(s, actor_id=None, name="东山村", now=now)
        mk = lambda name, tid, roles, **kw: people.create_person(  # noqa: E731
            s, name=name, phone=None, roles=roles, telegram_id=tid, now=now, **kw
        ).id
        ids = {
            "director": mk("王主任", 1, {Role.director}),
            "leader": mk("刘领导", 3, {Role.leader}),
            "staff": mk("孙丽", 4, {Role.staff}),
            "staff2": mk("周明", 5, {Role.staff}),
            "grid": mk("张网格", 6, {Role.grid}, village_id=village.id),
            "unit": mk("司法所老李", 7, {Role.unit}),
        }
        types = {t.subtype: t.id for t in s.exec(select(CaseType))}
    db.call(people.toggle_contact_point, actor_id=ids["director"], person_id=ids["leader"], village_id=village.id,
            now=now)
    return {**ids, "village": village.id, "types": types}


def _draft(world, **kw) -> CaseDraft:
    base = dict(
        type_id=world["types"]["邻里纠纷"], severity=Severity.general, source=Source.visit,
        description="来访：赵大反映邻里纠纷", request="要求邻居拆除挡住排水的围墙", village_id=world["village"],
        parties=(PartyInput("赵大", "13800138000", VALID_ID),),
    )
    base.update(kw)
    return CaseDraft(**base)


def test_visit_is_registered_and_accepted_by_the_first_inquiry_person(db, clock, world):
    voice = FileInput(kind="voice", file_id="voice-1", mime_type="audio/ogg", size=10)
    ref = db.call(cases.register_visit, actor_id=world["staff"], draft=_draft(world, files=(voice,)),
                  now=clock.now())
    assert ref.number == "2026-0001" and ref.status == CaseStatus.accepted
    with db.session() as s:
        case = s.get(Case, ref.id)
        assert (case.first_inquiry_id, case.reporter_id) == (world["staff"], world["staff"])
        assert case.source == Source.visit and case.accepted_at == clock.now()
        assert case.request == "要求邻居拆除挡住排水的围墙"
        party = s.exec(select(CaseParty).where(CaseParty.case_id == ref.id)).one()
        assert (party.name, party.phone, party.id_number) == ("赵大", "13800138000", VALID_ID)
        assert s.exec(select(Attachment.kind).where(Attachment.case_id == ref.id)).all() == ["voice"]
        actions = s.exec(select(AuditEvent.action).where(AuditEvent.subject_type == "case",
                                                         AuditEvent.subject_id == ref.id)
                         .order_by(col(AuditEvent.id))).all()
        assert actions == ["case.create", "case.accept", "case.deadline"]
        assert case.handler_id == world["staff"] and case.due_at is not None  # the first-inquiry person handles it
        told = {o.chat_id for o in s.exec(select(Outbox))}
    # the village's contact-point leader and the other staff learn of it; not the person who took it
    assert 3 in told and 5 in told and 4 not in told
    card = db.call(case_card.case_card, viewer_id=world["staff"], case_id=ref.id, now=clock.now())
    assert card.first_inquiry == "孙丽" and card.parties[0][2] == VALID_ID  # unmasked for the first-inquiry person


def test_a_leader_and_the_director_may_register_visits(db, clock, world):
    for who in ("leader", "director"):
        ref = db.call(cases.register_visit, actor_id=world[who], draft=_draft(world), now=clock.now())
        assert ref.status == CaseStatus.accepted


@pytest.mark.parametrize("who", ["grid", "unit"])
def test_grid_workers_and_unit_contacts_may_not(db, clock, world, who):
    with pytest.raises(NotAllowed):
        db.call(cases.register_visit, actor_id=world[who], draft=_draft(world), now=clock.now())
    with db.session() as s:
        assert s.exec(select(Case)).all() == []


def test_a_visit_needs_a_visit_source(db, clock, world):
    with pytest.raises(InvalidInput):
        db.call(cases.register_visit, actor_id=world["staff"], draft=_draft(world, source=Source.grid),
                now=clock.now())


def test_registration_and_acceptance_are_one_unit_of_work(db, clock, world):
    bad = _draft(world, parties=(PartyInput("赵大", None, "110105194912310021"),))  # wrong check digit
    with pytest.raises(InvalidInput):
        db.call(cases.register_visit, actor_id=world["staff"], draft=bad, now=clock.now())
    with db.session() as s:
        assert s.exec(select(Case)).all() == [] and s.exec(select(Outbox)).all() == []
    # the rolled-back attempt did not use up a number
    assert db.call(cases.register_visit, actor_id=world["staff"], draft=_draft(world), now=clock.now()).number == "2026-0001"


def test_a_confidential_type_is_still_owned_by_the_staff_member_who_took_it(db, clock, world):
    secret = world["types"]['"三股势力"滋事破坏']
    ref = db.call(cases.register_visit, actor_id=world["staff"], draft=_draft(world, type_id=secret,
                                                                              severity=Severity.major),
                  now=clock.now())
    assert ref.status == CaseStatus.accepted and ref.urgent
    with db.session() as s:
        case = s.get(Case, ref.id)
        assert case.confidential and case.first_inquiry_id == world["staff"]
        told = {o.chat_id for o in s.exec(select(Outbox))}
    assert told == {1}  # confidential: only the director (no secretary in this world), not the village's leader


def test_out_of_scope_visits_are_counted(db, clock, world):
    db.call(cases.register_visit, actor_id=world["staff"], draft=_draft(world), now=clock.now())
    ref = db.call(cases.register_out_of_scope, actor_id=world["staff"], draft=_draft(world),
                  guidance="请到县不动产登记中心办理，带身份证和宅基地证", now=clock.now())
    assert ref.status == CaseStatus.out_of_scope
    since = datetime(2026, 1, 1, tzinfo=UTC)
    assert db.call(cases.count_out_of_scope, since=since) == 1
