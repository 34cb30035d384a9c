"""Inside a unit of work, who someone is (people.get), the reference rows (case type, village, grid)
and the calendar come from the database's memos while their tables are unchanged
(reference.remembered): a repeat reads nothing, a committed change counts from the next unit of
work, a unit of work sees its own uncommitted change, and two databases never share a memo."""

from datetime import date, timedelta

from sqlalchemy import event
from sqlmodel import select

from bot.db import Database, make_engine
from bot.migrate import upgrade
from bot.services import calendar_admin, people, places, reference
from bot.services.case_access import village_name
from bot.services.workdays import WorkCalendar
from models import Case, CaseType, Grid, Person, Role
from tests.factories import Township


def selects(db: Database) -> list[str]:
    seen: list[str] = []
    event.listen(db.engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *a: seen.append(statement)
                 if statement.lstrip().upper().startswith("SELECT") else None)
    return seen


def test_the_actor_is_read_once_and_a_role_change_counts_from_the_next_unit_of_work(town):
    first = town.db.call(people.get, person_id=town.grid_worker)
    seen = selects(town.db)
    assert town.db.call(people.get, person_id=town.grid_worker) == first
    assert seen == []
    town.db.call(people.set_roles, actor_id=town.director, person_id=town.grid_worker, roles={Role.staff},
                 now=town.clock.now())
    assert town.db.call(people.get, person_id=town.grid_worker).roles == {Role.staff}


def test_a_unit_of_work_sees_its_own_uncommitted_change(town):
    town.db.call(people.get, person_id=town.grid_worker)
    town.db.call(places.get_village, village_id=town.village.id)
    with town.db.session() as s:
        s.get(Person, town.grid_worker).name = "张改名"  # not flushed yet
        assert people.get(s, person_id=town.grid_worker).name == "张改名"
        s.get(Grid, town.grid.id).name = "第二网格"  # not flushed yet
        assert reference.grid(s, town.grid.id).name == "第二网格"
        places.rename_village(s, actor_id=town.director, village_id=town.village.id, name="东山社区",
                              now=town.clock.now())
        assert places.get_village(s, village_id=town.village.id).name == "东山社区"
        s.rollback()
    # Rolled back: the memo still holds the committed names.
    assert town.db.call(people.get, person_id=town.grid_worker).name == "张网格"
    assert town.db.call(places.get_village, village_id=town.village.id).name == "东山村"


def test_a_renamed_village_or_an_edited_case_type_shows_from_the_next_unit_of_work(town):
    case_id = town.submit().id
    name = lambda session: village_name(session, session.get(Case, case_id))  # noqa: E731
    assert town.db.call(name) == "东山村 第一网格"
    town.db.call(places.rename_village, actor_id=town.director, village_id=town.village.id, name="东山社区",
                 now=town.clock.now())
    assert town.db.call(name) == "东山社区 第一网格"
    assert town.db.call(reference.case_type, type_id=town.neighbour).active
    with town.db.session() as s:
        s.get(CaseType, town.neighbour).active = False
    assert not town.db.call(reference.case_type, type_id=town.neighbour).active


def test_a_calendar_change_counts_from_the_next_unit_of_work(town):
    saturday = date(2026, 12, 5)
    load = lambda session: WorkCalendar.load(session, tz=town.clock.now().tzinfo)  # noqa: E731
    assert town.db.call(load).is_workday(saturday) == (False, False)
    seen = selects(town.db)
    town.db.call(load)
    assert seen == []
    town.db.call(calendar_admin.set_day, actor_id=town.director, day=saturday, workday=True, note="补班",
                 now=town.clock.now())
    assert town.db.call(load).is_workday(saturday) == (True, False)
    assert town.db.call(load).is_workday(saturday + timedelta(days=1)) == (False, False)


def test_two_databases_never_share_a_memo(town, tmp_path, clock):
    other = Database(make_engine(f"sqlite:///{tmp_path / 'other.db'}"))
    try:
        upgrade(other.engine)
        Township.build(other, clock)
        with other.session() as s:
            s.get(Person, s.exec(select(Person.id).where(Person.telegram_id == 6)).one()).name = "另一库"
        mine = town.db.call(people.get, person_id=town.grid_worker)
        theirs = other.call(people.get, person_id=town.grid_worker)
        assert (mine.name, theirs.name) == ("张网格", "另一库")
    finally:
        other.close()
