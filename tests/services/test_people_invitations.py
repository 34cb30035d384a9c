"""Service rules for people, invitations and places, against a real database (no Telegram)."""

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.services import invitations, people, places
from bot.services.errors import InvalidInput, InvalidInvitation, NotAllowed
from models import AuditEvent, Role


@pytest.fixture
def director(db, clock):
    return db.call(people.bootstrap_admin, telegram_id=1, name="王志强", now=clock.now())


@pytest.fixture
def village_grid(db, director, clock):
    village = db.call(places.create_village, actor_id=director.id, name="东山村", now=clock.now())
    grid = db.call(places.create_grid, actor_id=director.id, village_id=village.id, name="第一网格", now=clock.now())
    return village, grid


def actions(db) -> list[str]:
    with db.session() as s:
        return [e.action for e in s.exec(select(AuditEvent).order_by(AuditEvent.id))]


def test_bootstrap_makes_director_and_admin_once(db, clock):
    p = db.call(people.bootstrap_admin, telegram_id=1, name="王志强", now=clock.now())
    assert p.roles == {Role.director, Role.admin}
    assert db.call(people.bootstrap_admin, telegram_id=1, name="王志强", now=clock.now()) is None
    assert actions(db) == ["person.bootstrap"]


def test_invitation_redeemed_once_registers_grid_worker(db, clock, director, village_grid):
    _, grid = village_grid
    inv = db.call(invitations.create_invitation, actor_id=director.id, role=Role.grid, grid_id=grid.id, now=clock.now())
    assert inv.place == "东山村 第一网格"
    person = db.call(invitations.redeem_invitation, code=inv.code, telegram_id=42, name=" 李 四 ",
                     phone="+86 138-0013-8000", now=clock.now())
    assert (person.name, person.phone, person.roles, person.grid_id) == ("李 四", "13800138000", {Role.grid}, grid.id)
    with pytest.raises(InvalidInvitation, match="使用过"):
        db.call(invitations.redeem_invitation, code=inv.code, telegram_id=43, name="王五", phone="13900000000",
                now=clock.now())
    assert actions(db)[-2:] == ["invitation.create", "person.register"]


def test_invitation_expires_and_garbage_is_refused(db, clock, director):
    inv = db.call(invitations.create_invitation, actor_id=director.id, role=Role.staff, now=clock.now(), valid_days=7)
    later = clock.now() + timedelta(days=7, seconds=1)
    with pytest.raises(InvalidInvitation, match="过期"):
        db.call(invitations.check_invitation, code=inv.code, now=later)
    with pytest.raises(InvalidInvitation, match="无效"):
        db.call(invitations.check_invitation, code="nonsense", now=clock.now())


def test_only_managers_invite_and_places_are_required(db, clock, director, village_grid):
    staff_inv = db.call(invitations.create_invitation, actor_id=director.id, role=Role.staff, now=clock.now())
    staff = db.call(invitations.redeem_invitation, code=staff_inv.code, telegram_id=50, name="孙丽",
                    phone="13700000000", now=clock.now())
    with pytest.raises(NotAllowed):
        db.call(invitations.create_invitation, actor_id=staff.id, role=Role.staff, now=clock.now())
    with pytest.raises(InvalidInput, match="网格"):
        db.call(invitations.create_invitation, actor_id=director.id, role=Role.grid, now=clock.now())
    with pytest.raises(InvalidInput, match="单位"):
        db.call(invitations.create_invitation, actor_id=director.id, role=Role.unit, now=clock.now())


def test_last_manager_cannot_lose_admin_or_be_deactivated(db, clock, director):
    with pytest.raises(InvalidInput, match="最后一位"):
        db.call(people.set_roles, actor_id=director.id, person_id=director.id, roles={Role.staff}, now=clock.now())
    with pytest.raises(InvalidInput):
        db.call(people.set_active, actor_id=director.id, person_id=director.id, active=False, now=clock.now())


def test_roles_deactivation_and_contact_points_are_audited(db, clock, director, village_grid):
    village, _ = village_grid
    inv = db.call(invitations.create_invitation, actor_id=director.id, role=Role.leader, now=clock.now())
    leader = db.call(invitations.redeem_invitation, code=inv.code, telegram_id=60, name="刘建国",
                     phone="13600000000", now=clock.now())
    leader = db.call(people.set_roles, actor_id=director.id, person_id=leader.id, roles={Role.leader, Role.staff},
                     now=clock.now())
    assert leader.roles == {Role.leader, Role.staff}
    leader = db.call(people.toggle_contact_point, actor_id=director.id, person_id=leader.id, village_id=village.id,
                     now=clock.now())
    assert leader.contact_village_ids == {village.id}
    assert [p.name for p in db.call(places.contact_leaders, village_id=village.id)] == ["刘建国"]
    leader = db.call(people.set_active, actor_id=director.id, person_id=leader.id, active=False, now=clock.now())
    assert not db.call(people.find_by_telegram, telegram_id=60).active
    assert actions(db)[-3:] == ["person.roles", "contact_point.add", "person.deactivate"]


def test_bind_by_phone_only_for_one_unbound_match(db, clock, director):
    with db.session() as s:
        people.create_person(s, name="赵立新", phone="13512345678", roles={Role.grid}, now=clock.now())
    assert db.call(people.bind_by_phone, telegram_id=70, phone="13000000000", now=clock.now()) is None
    bound = db.call(people.bind_by_phone, telegram_id=70, phone="+8613512345678", now=clock.now())
    assert bound.name == "赵立新" and bound.telegram_id == 70
    assert db.call(people.bind_by_phone, telegram_id=71, phone="13512345678", now=clock.now()) is None


def test_duplicate_village_name_is_a_clear_answer(db, clock, director, village_grid):
    with pytest.raises(InvalidInput, match="已经有"):
        db.call(places.create_village, actor_id=director.id, name="东山村", now=clock.now())
    with pytest.raises(InvalidInput, match="名称"):
        db.call(places.create_village, actor_id=director.id, name="x" * 31, now=clock.now())
    assert db.call(places.create_village, actor_id=director.id, name="新桥社区", now=clock.now()).kind == "社区"


def test_names_and_phones_are_validated():
    with pytest.raises(InvalidInput):
        people.normalize_name("<b>")
    with pytest.raises(InvalidInput):
        people.normalize_phone("12")
    assert people.normalize_phone("8613800138000") == "13800138000"


@pytest.mark.parametrize("name", ["东山<村>", "司法所&调解"])
def test_place_names_cannot_carry_html(db, clock, name):
    with db.session() as s, pytest.raises(InvalidInput, match="不能包含"):
        places.create_village(s, actor_id=None, name=name, now=clock.now())
    with db.session() as s, pytest.raises(InvalidInput, match="不能包含"):
        places.create_unit(s, actor_id=None, name=name, now=clock.now())


PRIVILEGED = (Role.director, Role.secretary, Role.admin)


def _registered(db, clock, director, role: Role, telegram_id: int, name: str):
    inv = db.call(invitations.create_invitation, actor_id=director.id, role=role, now=clock.now())
    return db.call(invitations.redeem_invitation, code=inv.code, telegram_id=telegram_id, name=name,
                   phone=f"1360000{telegram_id:04d}", now=clock.now())


def test_only_the_director_grants_or_revokes_director_secretary_and_admin(db, clock, director):
    """An administrator who is not the director cannot make anyone (themselves included) director,
    party secretary or administrator, nor take those roles away; the director can."""
    admin = _registered(db, clock, director, Role.admin, 80, "赵管理")
    staff = _registered(db, clock, director, Role.staff, 81, "孙丽")
    secretary = _registered(db, clock, director, Role.secretary, 82, "陈书记")
    for role in PRIVILEGED:
        with pytest.raises(NotAllowed, match="中心主任"):
            db.call(invitations.create_invitation, actor_id=admin.id, role=role, now=clock.now())
        with pytest.raises(NotAllowed, match="中心主任"):  # to someone else
            db.call(people.set_roles, actor_id=admin.id, person_id=staff.id, roles={Role.staff, role}, now=clock.now())
    with pytest.raises(NotAllowed, match="中心主任"):  # to themselves
        db.call(people.set_roles, actor_id=admin.id, person_id=admin.id, roles={Role.admin, Role.director},
                now=clock.now())
    with pytest.raises(NotAllowed, match="中心主任"):  # nor take one away
        db.call(people.set_roles, actor_id=admin.id, person_id=secretary.id, roles={Role.leader}, now=clock.now())
    with pytest.raises(NotAllowed, match="中心主任"):
        db.call(people.set_roles, actor_id=admin.id, person_id=director.id, roles={Role.admin}, now=clock.now())
    assert db.call(people.get, person_id=admin.id).roles == {Role.admin}
    assert db.call(people.get, person_id=secretary.id).roles == {Role.secretary}

    # The other roles stay the administrator's to manage, also on privileged people.
    assert db.call(invitations.create_invitation, actor_id=admin.id, role=Role.leader, now=clock.now()).role == Role.leader
    assert db.call(people.set_roles, actor_id=admin.id, person_id=secretary.id, roles={Role.secretary, Role.leader},
                   now=clock.now()).roles == {Role.secretary, Role.leader}
    # A person who manages nobody changes nobody's roles.
    with pytest.raises(NotAllowed):
        db.call(people.set_roles, actor_id=staff.id, person_id=staff.id, roles={Role.leader}, now=clock.now())

    # The director may do all of it, to themselves too.
    for role in PRIVILEGED:
        assert db.call(invitations.create_invitation, actor_id=director.id, role=role, now=clock.now()).role == role
    assert db.call(people.set_roles, actor_id=director.id, person_id=staff.id, roles={Role.staff, Role.admin},
                   now=clock.now()).roles == {Role.staff, Role.admin}
    assert db.call(people.set_roles, actor_id=director.id, person_id=director.id,
                   roles={Role.director, Role.admin, Role.secretary}, now=clock.now()).roles == set(PRIVILEGED)


def test_the_last_director_keeps_the_role(db, clock, director):
    """Only a director grants director: the last one cannot give it up or be deactivated, or nobody could."""
    admin = _registered(db, clock, director, Role.admin, 83, "赵管理")
    with pytest.raises(InvalidInput, match="最后一位中心主任"):
        db.call(people.set_roles, actor_id=director.id, person_id=director.id, roles={Role.admin}, now=clock.now())
    with pytest.raises(InvalidInput, match="最后一位中心主任"):
        db.call(people.set_active, actor_id=admin.id, person_id=director.id, active=False, now=clock.now())
    second = _registered(db, clock, director, Role.director, 84, "钱主任")
    assert db.call(people.set_roles, actor_id=second.id, person_id=director.id, roles={Role.admin},
                   now=clock.now()).roles == {Role.admin}
