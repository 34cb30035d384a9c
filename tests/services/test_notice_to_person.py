"""督办通知书 to a person (承办人员), per 信息督办制度 三–六 "承办单位(人员)": the same notice, numbering,
director's side and chases as for a unit, but the person alone answers it."""

import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from docx import Document
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bot.db import make_engine
from bot.migrate import alembic_config, upgrade
from bot.services import ledgers, notice_docx, people, supervision
from bot.services.deadlines import DeadlinePolicy
from bot.services.errors import InvalidInput, NotAllowed
from bot.services.ledgers import Kind, Period, Scope
from models import (
    Case,
    CaseStatus,
    InstructionAnswer,
    InstructionReason,
    NoticeStatus,
    Outbox,
    Role,
    SupervisionNotice,
)
from tests.factories import SH, Township, local
from tests.ledger_book import Book

POLICY = DeadlinePolicy()
DIRECTOR_CHAT, LEADER_CHAT, STAFF_CHAT, ZHOU_CHAT, UNIT_CHAT, POLICE_CHAT = 1, 3, 4, 5, 7, 10
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture
def w(town) -> Township:
    """The township with 镇派出所, and a case with 镇司法所, due Thursday 12-03 17:30."""
    town.with_police().running_case(to_unit=True)
    return town


def to_zhou(w: Township, **kw) -> SupervisionNotice:
    """A notice to 周明 (staff2, chat 5)."""
    return w.issue(unit_id=None, assignee_id=w.staff2, **kw)


def buttons(row: Outbox) -> list[str]:
    return [data for line in json.loads(row.buttons) for _label, data in line]


def viewer(w: Township, person_id: int) -> people.PersonView:
    with w.db.session() as s:
        return people.get(s, person_id=person_id)


# --- issuing ------------------------------------------------------------------------------------


def test_a_notice_to_a_person_shares_the_numbering_and_goes_to_them_alone(w):
    first = w.issue()  # to 镇司法所
    n = to_zhou(w)
    assert (first.number, n.number) == ("综治〔2026〕1号", "综治〔2026〕2号")
    assert (n.unit_id, n.assignee_id) == (None, w.staff2)
    issued = w.messages(ZHOU_CHAT, f"sv{n.id}:issued")
    assert len(issued) == 1 and buttons(issued[0]) == [f"sv:sign:{n.id}", f"sv:view:{n.id}"]
    docx = w.messages(ZHOU_CHAT, f"sv{n.id}:docx")
    assert len(docx) == 1 and docx[0].document == supervision.docx_ref(n.id)
    assert w.messages(UNIT_CHAT, f"sv{n.id}:") == []  # nobody of the case's unit
    assert "周明" in w.messages(DIRECTOR_CHAT, f"sv{n.id}:issued")[0].text
    with w.db.session() as s:
        case = s.get(Case, w.case_id)
    assert (case.handler_id, case.unit_id) == (w.staff2, None)  # a staff member takes the case as handler


def test_exactly_one_addressee_and_only_people_who_may_handle(w):
    with pytest.raises(InvalidInput, match="二者选一"):
        w.issue(assignee_id=w.staff2)  # and the unit (the factory's default)
    with pytest.raises(InvalidInput, match="二者选一"):
        w.issue(unit_id=None)
    for nobody in (w.grid_worker, w.secretary, w.director, 9999):
        with pytest.raises(InvalidInput, match="承办人员"):
            w.issue(unit_id=None, assignee_id=nobody)
    w.call(people.set_active, actor_id=w.director, person_id=w.staff2, active=False)
    with pytest.raises(InvalidInput, match="不在岗"):
        to_zhou(w)
    with w.db.session() as s:
        assert s.exec(select(SupervisionNotice)).all() == []
    choices = w.db.call(supervision.assignee_choices)
    assert [c.name for c in choices] == ["刘领导", "孙丽", "司法所老李", "派出所小王"]
    assert [c.place for c in choices] == ["中心领导", "中心工作人员", "镇司法所", "镇派出所"]


def test_cc_names_the_person_and_never_copies_them_their_own_notice(w):
    with pytest.raises(InvalidInput, match="就是承办人员"):
        w.issue(unit_id=None, assignee_id=w.leader, cc_person_ids=[w.leader])
    n = to_zhou(w, cc_person_ids=[w.leader], cc_unit_ids=[w.unit.id])
    copied = w.messages(LEADER_CHAT, f"sv{n.id}:cc")
    assert copied and "承办人员：周明" in copied[0].text and "承办单位" not in copied[0].text
    assert w.messages(UNIT_CHAT, f"sv{n.id}:cc")  # the case's unit may be copied: to read, not to act
    with pytest.raises(NotAllowed):
        w.call(supervision.sign, actor_id=w.unit_contact, notice_id=n.id)


def test_only_the_person_answers_it_and_nobody_of_any_unit(w):
    n = to_zhou(w)
    colleague = w._person("派出所小张", 12, {Role.unit}, unit_id=w.police)
    for other in (w.unit_contact, w.police_contact, colleague, w.staff, w.leader):
        with pytest.raises(NotAllowed):
            w.call(supervision.sign, actor_id=other, notice_id=n.id)
        assert supervision.notice_actions(viewer(w, other), n, w.clock.now()) in ((), ("close", "transfer"))
    for stranger in (w.unit_contact, w.police_contact, colleague, w.staff):
        assert not supervision.may_see(viewer(w, stranger), n)
    assert supervision.notice_actions(viewer(w, w.staff2), n, w.clock.now()) == ("sign",)
    w.call(supervision.sign, actor_id=w.staff2, notice_id=n.id)
    assert w.notice(n.id).signed_by_id == w.staff2
    assert "承办人员 周明 已签收" in w.messages(DIRECTOR_CHAT, f"sv{n.id}:signed")[0].text
    w.call(supervision.add_entry, actor_id=w.staff2, notice_id=n.id, kind="progress", text="已约谈双方")
    w.call(supervision.add_entry, actor_id=w.staff2, notice_id=n.id, kind="result", text="双方达成协议")
    w.call(supervision.accept_result, actor_id=w.director, notice_id=n.id)
    with w.db.session() as s:
        case = s.get(Case, w.case_id)
    assert case.status == CaseStatus.resolved  # the person held the case: 认可 is its 办结
    assert w.messages(ZHOU_CHAT, f"sv{n.id}:e")  # told of the 认可


def test_the_directors_side_works_unchanged(w):
    n = to_zhou(w)
    w.call(supervision.sign, actor_id=w.staff2, notice_id=n.id)
    materials = w.call(supervision.request_materials, actor_id=w.director, notice_id=n.id)
    assert buttons(w.messages(ZHOU_CHAT, f"sv{n.id}:e{materials.id}")[0])[0] == f"sv:ans:{materials.id}"
    with pytest.raises(NotAllowed):
        w.call(supervision.answer_request, actor_id=w.unit_contact, entry_id=materials.id, text="材料")
    w.call(supervision.answer_request, actor_id=w.staff2, entry_id=materials.id, text="调解笔录已上传")
    w.call(supervision.add_entry, actor_id=w.staff2, notice_id=n.id, kind="result", text="已调解")
    again = w.call(supervision.reject_and_reissue, actor_id=w.director, notice_id=n.id, reason="当事人不满意",
                   due_date=date(2026, 12, 15), policy=POLICY)
    assert (again.number, again.assignee_id, again.unit_id) == ("综治〔2026〕2号", w.staff2, None)
    assert w.messages(ZHOU_CHAT, f"sv{again.id}:issued")
    w.call(supervision.close_or_transfer, actor_id=w.leader, notice_id=again.id, transfer=False, note="经领导批准结案")
    assert w.notice(again.id).status == NoticeStatus.closed
    with pytest.raises(NotAllowed):
        w.call(supervision.record_party_notice, actor_id=w.unit_contact, notice_id=again.id, text="已电话告知")
    w.call(supervision.record_party_notice, actor_id=w.staff2, notice_id=again.id, text="12月1日电话告知赵大")


def test_the_chases_go_to_the_person(w):
    n = to_zhou(w)
    w.sweep(local(2026, 11, 30, 15, 30))  # 4 working hours after 09:00, lunch excluded
    assert buttons(w.messages(ZHOU_CHAT, f"sv{n.id}:signrem")[0])[0] == f"sv:sign:{n.id}"
    w.sweep(local(2026, 12, 1, 10, 30))  # 8 working hours: the director hears of it, by name
    assert "周明" in w.messages(DIRECTOR_CHAT, f"sv{n.id}:signesc")[0].text
    w.call(supervision.sign, actor_id=w.staff2, notice_id=n.id)
    w.sweep(local(2026, 12, 11, 9))  # past the deadline: the overdue question goes to the person
    assert buttons(w.messages(ZHOU_CHAT, f"sv{n.id}:overdue")[0])[0] == f"sv:reason:{n.id}"
    assert w.messages(UNIT_CHAT, f"sv{n.id}:") == []
    assert w.sweep(local(2026, 12, 11, 10)) == 0  # idempotent


def test_a_leader_as_assignee_asks_another_leader_and_never_approves_their_own(w):
    w.with_baoan()  # 陈领导 (id 9), a second center leader
    n = w.issue(unit_id=None, assignee_id=w.leader)
    w.call(supervision.sign, actor_id=w.leader, notice_id=n.id)
    card = w.call(supervision.notice_card, viewer_id=w.leader, notice_id=n.id, policy=POLICY)
    assert "close" not in card.actions and "instruct" in card.actions
    with pytest.raises(NotAllowed, match="承办人员本人"):
        w.call(supervision.close_or_transfer, actor_id=w.leader, notice_id=n.id, transfer=False, note="自行结案")
    asked = w.call(supervision.instruct.ask, actor_id=w.leader, notice_id=n.id,
                   reason=InstructionReason.coordination, detail="需要自然资源所配合")
    assert w.messages(LEADER_CHAT, f"sv{n.id}:e{asked.id}") == []  # not asked of themselves
    assert w.messages(9, f"sv{n.id}:e{asked.id}") and w.messages(DIRECTOR_CHAT, f"sv{n.id}:e{asked.id}")
    with pytest.raises(NotAllowed, match="其他中心领导"):
        w.call(supervision.instruct.answer, actor_id=w.leader, entry_id=asked.id, answer=InstructionAnswer.close,
               text="同意结案", policy=POLICY)
    w.call(supervision.instruct.answer, actor_id=w.leader2, entry_id=asked.id, answer=InstructionAnswer.close,
           text="同意结案", policy=POLICY)
    assert w.notice(n.id).status == NoticeStatus.closed


# --- reading: the card, lists, documents, ledger -------------------------------------------------


def test_the_person_lists_and_opens_only_their_notices(w):
    unit_notice, n = w.issue(), to_zhou(w)

    def listed(who) -> list[str]:
        refs, _ = w.call(supervision.list_notices, viewer_id=who, state="all")
        return [(r.number, r.unit) for r in refs]

    assert listed(w.staff2) == [(n.number, "周明")]
    assert listed(w.unit_contact) == [(unit_notice.number, "镇司法所")]
    assert listed(w.staff) == []
    assert listed(w.leader) == [(unit_notice.number, "镇司法所"), (n.number, "周明")]
    assert w.db.call(supervision.find_notice, viewer_id=w.staff2, number=n.number) == n.id
    for stranger in (w.staff, w.unit_contact):
        with pytest.raises(NotAllowed):
            w.db.call(supervision.find_notice, viewer_id=stranger, number=n.number)
        with pytest.raises(NotAllowed):
            w.call(supervision.send_docx, actor_id=stranger, notice_id=n.id)
    with pytest.raises(NotAllowed):
        w.call(supervision.send_docx, actor_id=w.staff2, notice_id=unit_notice.id)
    card = w.call(supervision.notice_card, viewer_id=w.staff2, notice_id=n.id, policy=POLICY)
    assert card.view.to_person and card.view.unit_name == "周明" and card.actions == ("sign",)
    with w.db.session() as s:
        on_case = supervision.open_notices_on_card(s, viewer=viewer(w, w.staff2), case_id=w.case_id, tz=SH)
    assert [(x.number, x.unit) for x in on_case] == [(n.number, "周明")]


def test_the_docx_is_addressed_to_the_person(w):
    n = to_zhou(w)
    with w.db.session() as s:
        view = supervision.document_view(s, notice_id=n.id, now=w.clock.now(), tz=SH)
    lines = [p.text for p in Document(io.BytesIO(notice_docx.build_docx(view))).paragraphs if p.text.strip()]
    assert "周明同志：" in lines  # 主送, GB/T 9704's usage for a person
    assert not any("你单位" in line or "承办单位" in line for line in lines)
    assert any(line.startswith("承办人员：周明") for line in lines)
    assert "2026年11月30日" in lines


def test_the_ledger_names_the_person_and_shows_each_their_own(w):
    w.issue()
    n = to_zhou(w)

    def book(who) -> Book:
        with w.db.session() as s:
            made = ledgers.build(s, kind=Kind.notices, period=Period("month", date(2026, 11, 1), date(2026, 11, 30)),
                                 viewer_id=who, now=local(2026, 12, 1, 10), tz=SH, scope=Scope(), org="东山镇综治中心")
        try:
            return Book(made.path)
        finally:
            made.path.unlink()

    everything = book(w.leader)
    assert everything.column("承办单位（人员）") == ["镇司法所", "周明"]
    mine = book(w.staff2)
    assert mine.column("督办编号") == [n.number] and mine.column("承办单位（人员）") == ["周明"]
    assert book(w.staff).rows == []


# --- the schema ----------------------------------------------------------------------------------


def test_the_database_refuses_a_notice_to_both_or_to_nobody(w):
    n = w.issue()
    for unit_id, assignee_id in ((None, None), (w.unit.id, w.staff2)):
        with pytest.raises(IntegrityError), w.db.session() as s:
            row = s.get(SupervisionNotice, n.id)
            row.unit_id, row.assignee_id = unit_id, assignee_id
            s.add(row)
            s.flush()


def test_migration_keeps_existing_notices_as_they_were(tmp_path):
    path = tmp_path / "release.db"
    shutil.copy(FIXTURES / "release_db.sqlite", path)
    engine = make_engine(f"sqlite:///{path}")
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0025")
    with engine.begin() as conn:
        case_id, issuer = conn.execute(text('SELECT id, reporter_id FROM "case" ORDER BY id LIMIT 1')).one()
        unit_id = conn.execute(text("SELECT id FROM unit ORDER BY id LIMIT 1")).scalar()
        conn.execute(text(
            "INSERT INTO supervision_notice (number, year, seq, level, source, case_id, case_summary, unit_id, "
            "days_overdue, requirements, due_at, feedback, issuer_id, issued_at, status) VALUES "
            "('综治〔2026〕1号', 2026, 1, 'normal', 'local', :case, '排水沟', :unit, 0, '请调解', "
            "'2026-12-10 09:30:00', '每周反馈', :issuer, '2026-11-30 01:00:00', 'issued')"),
            {"case": case_id, "unit": unit_id, "issuer": issuer})
        before = [tuple(r) for r in conn.execute(text("SELECT * FROM supervision_notice"))]
    upgrade(engine)
    with engine.connect() as conn:
        after = conn.execute(text("SELECT * FROM supervision_notice")).mappings().all()
    assert [tuple(v for k, v in r.items() if k != "assignee_id") for r in after] == before
    assert [r["assignee_id"] for r in after] == [None]
    engine.dispose()
