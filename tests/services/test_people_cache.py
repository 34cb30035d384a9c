"""The gate keeps who someone is in memory (people.PersonCache) and reads nothing while the
directory is unchanged; every commit that changes what a view is made of invalidates it, so the
change counts from the very next lookup (reference.Watch)."""

import pytest
from sqlalchemy import event
from sqlmodel import delete, select, update

from bot.services import cases, people, places
from models import Case, CaseType, ContactPoint, Role

GRID_WORKER_TID = 6  # 张网格 in tests/factories.py
LEADER_TID = 3


@pytest.fixture
def cache():
    return people.PersonCache()


def find(town, cache, tid):
    return town.db.call(cache.find, telegram_id=tid, read_only=True)


def statements(town):
    seen = []
    event.listen(town.db.engine, "before_cursor_execute", lambda *a, **k: seen.append(a[2]))
    return seen


def test_a_repeated_lookup_reads_nothing(town, cache):
    assert cache.cached(GRID_WORKER_TID) is people.PersonCache.MISS
    first = find(town, cache, GRID_WORKER_TID)
    seen = statements(town)
    assert cache.cached(GRID_WORKER_TID) == first
    assert find(town, cache, GRID_WORKER_TID) == first
    assert [s for s in seen if s.lstrip().upper().startswith("SELECT")] == []


def test_an_unrelated_commit_keeps_the_memo(town, cache):
    find(town, cache, GRID_WORKER_TID)
    with town.db.session() as s:
        s.exec(delete(ContactPoint).where(ContactPoint.person_id == -1))  # a directory table: invalidates
    assert cache.cached(GRID_WORKER_TID) is people.PersonCache.MISS
    first = find(town, cache, GRID_WORKER_TID)
    town.db.call(lambda session: session.exec(select(Case)).all())  # reads nothing of the directory
    assert cache.cached(GRID_WORKER_TID) == first


def test_a_rolled_back_change_keeps_the_memo(town, cache):
    first = find(town, cache, GRID_WORKER_TID)
    with pytest.raises(RuntimeError), town.db.session() as s:
        s.exec(delete(ContactPoint).where(ContactPoint.person_id == town.leader))
        raise RuntimeError("rolled back")
    assert cache.cached(GRID_WORKER_TID) == first
    assert find(town, cache, LEADER_TID).contact_village_ids == {town.village.id}


def test_deactivation_counts_from_the_next_lookup(town, cache):
    assert find(town, cache, GRID_WORKER_TID).active
    town.db.call(people.set_active, actor_id=town.director, person_id=town.grid_worker, active=False, now=town.clock.now())
    assert not find(town, cache, GRID_WORKER_TID).active


def test_a_role_change_counts_from_the_next_lookup(town, cache):
    assert find(town, cache, GRID_WORKER_TID).roles == {Role.grid}
    town.db.call(people.set_roles, actor_id=town.director, person_id=town.grid_worker, roles={Role.staff},
                 now=town.clock.now())
    assert find(town, cache, GRID_WORKER_TID).roles == {Role.staff}


def test_a_contact_point_and_a_renamed_village_count_from_the_next_lookup(town, cache):
    assert find(town, cache, LEADER_TID).contact_village_ids == {town.village.id}
    town.db.call(people.toggle_contact_point, actor_id=town.director, person_id=town.leader,
                 village_id=town.village.id, now=town.clock.now())
    assert find(town, cache, LEADER_TID).contact_village_ids == frozenset()
    assert find(town, cache, GRID_WORKER_TID).village_name == "东山村"
    town.db.call(places.rename_village, actor_id=town.director, village_id=town.village.id, name="东山社区",
                 now=town.clock.now())
    assert find(town, cache, GRID_WORKER_TID).village_name == "东山社区"


def test_a_stranger_who_registers_is_known_at_once(town, cache):
    assert find(town, cache, 777) is None
    with town.db.session() as s:
        people.create_person(s, name="新网格", phone=None, roles={Role.grid}, telegram_id=777, now=town.clock.now())
    assert find(town, cache, 777).name == "新网格"


def test_a_bulk_statement_counts_too(town, cache):
    """Statements that bypass the flush (delete(...).where(...)) bump the version as well."""
    assert find(town, cache, LEADER_TID).contact_village_ids == {town.village.id}
    with town.db.session() as s:
        s.exec(delete(ContactPoint).where(ContactPoint.person_id == town.leader))
    assert find(town, cache, LEADER_TID).contact_village_ids == frozenset()


def test_the_case_types_are_read_again_after_the_catalogue_changes(town):
    memo = cases.CaseTypes()
    assert memo.cached() is cases.CaseTypes.MISS
    types = town.db.call(memo.load)
    assert memo.cached() == types and types
    with town.db.session() as s:
        s.add(CaseType(category="测试类", subtype="新增类型", sort=999))
    assert memo.cached() is cases.CaseTypes.MISS
    assert town.db.call(memo.load)[-1].subtype == "新增类型"
    with town.db.session() as s:
        s.exec(update(CaseType).where(CaseType.subtype == "新增类型").values(active=False))
    assert "新增类型" not in {t.subtype for t in town.db.call(memo.load)}
