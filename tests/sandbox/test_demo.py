"""The demo township: made through the services, every role present, ten villages with grids,
cases in different states, nothing left in the outbox; a reset gives the same town again."""

from datetime import datetime, timedelta

import pytest
from sqlmodel import func, select

from bot.sandbox import demo
from bot.sandbox.demo import SH
from bot.sandbox.runner import SandboxError, check_db_path, options_from
from bot.services import alerts, baoan, people, places
from bot.services.intake import IntakePolicy
from bot.services.workdays import WorkCalendar
from models import Case, CaseStatus, NoticeStatus, Outbox, OutboxStatus, Person, Role, SupervisionNotice
from tests.sandbox.conftest import START


@pytest.fixture
def town(db):
    return demo.build(db, start=START, policy=IntakePolicy())


def test_every_role_and_ten_villages_with_grids(db, town):
    with db.session() as s:
        villages = places.list_villages(s)
        assert len(villages) == 10 and {v.name for v in villages} == set(demo.VILLAGES)
        assert all(len(places.list_grids(s, village_id=v.id)) >= 2 for v in villages)
        assert {u.name for u in places.list_units(s)} >= {"镇司法所", "镇派出所"}
        views = {p.telegram_id: people.find_by_telegram(s, telegram_id=p.telegram_id) for p in demo.PERSONAS}
        roles = set().union(*(v.roles for v in views.values()))
        assert roles == set(Role)  # director, secretary, leader, staff, grid, unit, admin
        for persona in demo.PERSONAS:
            view = views[persona.telegram_id]
            assert view.name == persona.name and view.active and persona.role in view.roles
        grid_worker = views[demo.persona("张伟").telegram_id]
        assert (grid_worker.village_name, grid_worker.grid_name) == ("东山村", "第一网格")
        assert views[demo.persona("吴刚").telegram_id].unit_name == "镇司法所"
        assert views[demo.persona("孙丽").telegram_id].on_case_desk
        assert views[demo.persona("马建华").telegram_id].roles == {Role.township_leader}
        # Every village has a contact-point leader (包村领导); 东山村's is 刘海峰.
        for village in villages:
            assert places.contact_leaders(s, village_id=village.id), village.name
        assert [p.name for p in places.contact_leaders(s, village_id=town.villages["东山村"])] == ["刘海峰"]
        # The stranger is not registered: they can try an invitation.
        assert people.find_by_telegram(s, telegram_id=demo.STRANGER.telegram_id) is None
        # A duty roster around the start day.
        for offset in (-1, 0, 1, 3):
            day = alerts.roster_day(s, day=START.date() + timedelta(days=offset))
            assert len(day.duty) == 1 and len(day.leader) == 1


def test_cases_in_different_states_and_no_stale_notifications(db, town):
    with db.session() as s:
        by_key = {key: s.get(Case, case_id) for key, case_id in town.cases.items()}
        statuses = {key: CaseStatus(case.status) for key, case in by_key.items()}
        assert statuses == {
            "archived": CaseStatus.archived,
            "overdue": CaseStatus.assigned,
            "due_tomorrow": CaseStatus.in_progress,
            "in_progress": CaseStatus.in_progress,
            "resolved": CaseStatus.resolved,
            "registered": CaseStatus.registered,
            "out_of_scope": CaseStatus.out_of_scope,
            "major": CaseStatus.archived,  # a major event with its 初报 and 终报 (信息报告台账)
            "reporting": CaseStatus.in_progress,  # a major event whose 终报 is still missing
            "unreported": CaseStatus.accepted,  # a 重大疑难 dispute not yet reported upward (chased at the start)
        }
        assert all(case.created_at < START for case in by_key.values())
        assert by_key["overdue"].due_at < START  # a red light from the first moment
        # Due at the end of the next working day (Friday → Monday), in 东山村.
        due = by_key["due_tomorrow"].due_at.astimezone(SH)
        assert due.date() == START.date() + timedelta(days=3) and due.hour == 17
        assert by_key["due_tomorrow"].village_id == town.villages["东山村"]
        assert town.numbers["archived"] == "2026-0001"
        # one case carries an estimated head count (「约20人」) for trainees to see on the card
        assert (by_key["registered"].people_count, by_key["registered"].people_count_approx) == (20, True)
        # The demo's 督办通知书 is numbered as GB/T 9704 writes it, and sits on the case it is about.
        notice = s.exec(select(SupervisionNotice).where(SupervisionNotice.case_id == town.cases["in_progress"])).one()
        assert notice.number == town.notices["in_progress"] == f"综治〔{START.year}〕1号"
        assert notice.case_id == town.cases["in_progress"] and notice.status == NoticeStatus.signed
        # The demo's history is not pushed at people when the sandbox starts.
        pending = s.exec(select(func.count()).select_from(Outbox).where(Outbox.status == OutboxStatus.pending)).one()
        assert pending == 0
        assert s.exec(select(func.count()).select_from(Person)).one() == len(demo.PERSONAS)


def test_a_baoan_proposal_naming_the_township_leader_waits_for_the_secretary(db, town):
    """The secretary can try 包案审批 at once (/baoan), and name the 镇党政领导 or another leader."""
    with db.session() as s:
        [pending] = baoan.pending_proposals(s, viewer_id=town.people["陈建国"])
        assert pending.case_id == town.cases["overdue"] and pending.proposed_leader == "马建华"
        assert town.people["马建华"] in {c.id for c in baoan.leader_choices(s)}


def test_default_start_is_a_working_morning():
    cal = WorkCalendar(tz=SH)
    sunday_night = datetime(2026, 11, 29, 22, 0, tzinfo=SH)
    assert demo.default_start(sunday_night, cal) == datetime(2026, 11, 27, 9, 0, tzinfo=SH)
    tuesday_evening = datetime(2026, 12, 1, 19, 0, tzinfo=SH)
    assert demo.default_start(tuesday_evening, cal) == datetime(2026, 12, 1, 9, 0, tzinfo=SH)
    national_day = datetime(2026, 10, 3, 10, 0, tzinfo=SH)
    assert demo.default_start(national_day, cal).date() < datetime(2026, 10, 1).date()


def test_the_database_must_be_a_sandbox_file(tmp_path, monkeypatch):
    assert check_db_path(tmp_path / "sandbox.db", None) == tmp_path / "sandbox.db"
    with pytest.raises(SandboxError, match="sandbox"):
        check_db_path(tmp_path / "zongzhi.db", None)
    with pytest.raises(SandboxError, match="URL"):
        check_db_path("postgresql://u@h/sandbox", None)
    with pytest.raises(SandboxError, match="正式数据库"):
        check_db_path(tmp_path / "my_sandbox.db", f"sqlite:///{tmp_path}/my_sandbox.db")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///data/sandbox.db")
    with pytest.raises(SandboxError, match="正式数据库"):
        options_from(None, None)  # DATABASE_URL is refused, never used
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1/zongzhi")
    monkeypatch.setenv("SANDBOX_PORT", "9090")
    options = options_from(None, None)
    assert (options.port, str(options.db_path)) == (9090, "data/sandbox.db")
    assert options_from(8181, "x/sandbox-2.db").port == 8181
    with pytest.raises(SandboxError, match="URL"):
        options_from(None, "sqlite:///data/sandbox.db")
    with pytest.raises(SandboxError):
        options_from(70000, None)


async def test_reset_restores_the_same_town(sandbox):
    grid_worker = sandbox.emu.user(demo.persona("张伟").telegram_id)
    await grid_worker.send_text("/report")
    assert "第 1/9 步" in (await grid_worker.wait_for_message(timeout=10)).plain_text
    before = _snapshot(sandbox)
    first_db_case = sandbox.town.cases["registered"]

    await sandbox.reset()
    assert sandbox.emu.chat_messages(grid_worker.id) == []  # chats cleared
    assert sandbox.clock.now() - START < timedelta(minutes=1)  # the clock starts again
    assert _snapshot(sandbox) == before
    assert sandbox.town.cases["registered"] == first_db_case
    await sandbox.reset()
    assert _snapshot(sandbox) == before

    # The bot works after a reset, and the draft of the earlier /report is gone.
    await grid_worker.send_text("/report")
    assert "第 1/9 步" in (await grid_worker.wait_for_message(timeout=10)).plain_text


def _snapshot(sandbox) -> tuple:
    with sandbox.db.session() as s:
        persons = sorted((p.telegram_id, p.name) for p in s.exec(select(Person)))
        cases = sorted((c.number, c.status) for c in s.exec(select(Case)))
    return persons, cases, sorted(sandbox.town.villages.items())
