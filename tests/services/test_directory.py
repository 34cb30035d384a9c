"""Whom a case can be assigned to: the read-only lists behind the 分派 buttons."""

from bot.services import directory, people, places
from models import Role


def test_assignable_people_are_active_center_people_staff_first(db, clock):
    now = clock.now()
    with db.session() as s:
        unit = places.create_unit(s, actor_id=None, name="镇司法所", now=now)
        mk = lambda name, roles, **kw: people.create_person(  # noqa: E731
            s, name=name, phone=None, roles=roles, now=now, **kw).id
        director = mk("王主任", {Role.director, Role.admin})
        leader = mk("刘领导", {Role.leader, Role.staff})  # both roles: listed once, as staff
        staff_b = mk("周明", {Role.staff})
        staff_a = mk("孙丽", {Role.staff})
        gone = mk("离职者", {Role.staff})
        mk("张网格", {Role.grid})
        mk("司法所老李", {Role.unit}, unit_id=unit.id)
        mk("书记", {Role.secretary})
    db.call(people.set_active, actor_id=director, person_id=gone, active=False, now=now)
    found = db.call(directory.assignable_people)
    # staff (by name: 刘 < 周 < 孙 in code-point order), then the director; the secretary is not a handler
    assert [(a.id, a.role) for a in found] == [
        (leader, Role.staff), (staff_b, Role.staff), (staff_a, Role.staff), (director, Role.director)]
    assert gone not in {a.id for a in found}


def test_active_units_count_only_active_unit_contacts(db, clock):
    now = clock.now()
    with db.session() as s:
        director = people.create_person(s, name="王主任", phone=None, roles={Role.director}, now=now).id
        police = places.create_unit(s, actor_id=None, name="镇派出所", now=now)
        justice = places.create_unit(s, actor_id=None, name="镇司法所", now=now)
        closed = places.create_unit(s, actor_id=None, name="已撤销单位", now=now)
        closed.active = False
        s.add(closed)
        mk = lambda name, roles, unit_id: people.create_person(  # noqa: E731
            s, name=name, phone=None, roles=roles, now=now, unit_id=unit_id).id
        mk("所长", {Role.unit}, police.id)
        left = mk("老民警", {Role.unit}, police.id)
        mk("非联络人", {Role.staff}, justice.id)  # belongs to the unit but is not its contact
        mk("撤销单位联络人", {Role.unit}, closed.id)
    db.call(people.set_active, actor_id=director, person_id=left, active=False, now=now)
    units = db.call(directory.active_units)
    assert [(u.name, u.contacts) for u in units] == [("镇派出所", 1), ("镇司法所", 0)]
