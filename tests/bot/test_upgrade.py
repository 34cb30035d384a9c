"""An upgrade in the middle of people's work: the database of the previous release, with
conversations in flight and buttons already sent, keeps working after the migrations.

tests/fixtures/release_db.sqlite was made by tests/fixtures/make_release_db.py at the release
named in release_db.json (its docstring lists who was where). Every bot message that still had
inline buttons is shown again in the emulator under its old id, so a press sends exactly the
callback data that message carried. An old button must either keep its meaning or be answered
as stale: never do something else.
"""

import importlib
import json
import shutil
from pathlib import Path

import pytest
from sqlmodel import col, select

from bot.db import make_engine
from bot.migrate import upgrade
from models import Case, CaseParty, CaseStatus, Severity, Source
from tests.bot.harness import BotHarness, press, say

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
RECORD = json.loads((FIXTURES / "release_db.json").read_text(encoding="utf-8"))
NAMES = {1: "王主任", 3: "刘领导", 4: "孙丽", 5: "周明", 6: "张网格", 7: "司法所老李", 8: "李网格"}


@pytest.fixture
async def upgraded(tmp_path, clock):
    """The previous release's database, migrated, under the real Application (always SQLite:
    the fixture is a SQLite file)."""
    path = tmp_path / "release.db"
    shutil.copy(FIXTURES / "release_db.sqlite", path)
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    harness = BotHarness(db_url=f"sqlite:///{path}", clock=clock)
    users = {tid: harness.user(tid, name) for tid, name in NAMES.items()}
    for m in RECORD["messages"]:
        harness.restore_message(users[m["chat_id"]], message_id=m["message_id"], text=m["text"],
                                parse_mode=m["parse_mode"], reply_markup=m["reply_markup"])
    for chat_id, last in RECORD["last_message_id"].items():
        harness.emu.world.chat_for_user(users[int(chat_id)].record).next_message_id = last + 1
    await harness.start()
    yield harness, users
    await harness.stop()


def old_message(chat_id: int, callback_data: str):
    """The restored message that carried `callback_data`."""
    for m in RECORD["messages"]:
        buttons = [b for row in m["reply_markup"]["inline_keyboard"] for b in row]
        if m["chat_id"] == chat_id and any(b.get("callback_data") == callback_data for b in buttons):
            return m["message_id"], next(b["text"] for b in buttons if b["callback_data"] == callback_data)
    raise LookupError(callback_data)


def is_stale(answer) -> bool:
    return bool(answer.text) and ("失效" in answer.text or "过期" in answer.text)


def cases(bot) -> list[Case]:
    with bot.db.session() as s:
        return list(s.exec(select(Case).order_by(col(Case.id))))


def case(bot, case_id: int) -> Case:
    with bot.db.session() as s:
        return s.get(Case, case_id)


def has(fragment: str):
    return lambda m: fragment in (m.plain_text or "")


async def test_a_report_stopped_at_the_description_goes_on_from_there(upgraded):
    bot, users = upgraded
    user = users[6]
    before = len(cases(bot))
    await user.send_text("两户因排水沟再起争执")
    msg = await user.wait_for_message(predicate=has("第 9/9 步"))
    summary = await press(user, msg, "完成")
    assert "请核对" in summary.plain_text and "类型：矛盾纠纷·邻里纠纷" in summary.plain_text
    done = await press(user, summary, "✅ 提交")
    assert "已有同类未办结事项" in done.plain_text  # the release's open cases are there too
    done = await press(user, done, "🆕 仍作为新事项提交")
    [new] = cases(bot)[before:]
    assert new.number in done.plain_text
    assert new.reporter_id == RECORD["people"]["6"] and new.source == Source.grid
    assert new.type_id == RECORD["types"]["邻里纠纷"] and new.severity == Severity.complex
    assert (new.village_id, new.grid_id) == (RECORD["village_id"], RECORD["grid_id"])
    assert new.description == "两户因排水沟再起争执" and new.people_count == 2


async def test_a_report_at_its_summary_is_submitted_by_the_old_button(upgraded):
    bot, users = upgraded
    before = len(cases(bot))
    message_id, label = old_message(8, "rp:ok")
    done = await press(users[8], message_id, label)
    [new] = cases(bot)[before:]
    assert new.number in done.plain_text
    assert new.reporter_id == RECORD["people"]["8"] and new.severity == Severity.general
    assert new.description == "村口有人深夜聚集喧哗" and new.people_count == 1


async def test_a_visit_stopped_at_the_request_goes_on_from_there(upgraded):
    bot, users = upgraded
    user = users[4]
    before = len(cases(bot))
    msg = await say(user, "想问宅基地纠纷怎么调解")
    assert "请选择事项类别" in msg.plain_text
    msg = await press(user, msg, "其他")
    msg = await press(user, msg, "东山村")
    msg = await press(user, msg, "✅ 在职责范围内")
    summary = await press(user, msg, "复杂")
    assert "当事人：钱多多" in summary.plain_text and "电话：13900139000" in summary.plain_text
    done = await press(user, summary, "✅ 确认登记")
    [new] = cases(bot)[before:]
    assert new.number in done.plain_text
    assert new.source == Source.visit and new.first_inquiry_id == RECORD["people"]["4"]
    assert new.request == "想问宅基地纠纷怎么调解" and new.severity == Severity.complex
    with bot.db.session() as s:
        party = s.exec(select(CaseParty).where(CaseParty.case_id == new.id)).one()
    assert (party.name, party.phone) == ("钱多多", "13900139000")


@pytest.mark.parametrize(("tid", "index"), [(7, 1), (5, 2)])
async def test_an_old_outcome_button_keeps_its_meaning_or_is_stale(upgraded, tid, index):
    """办结 was pressed before the upgrade; the outcome buttons carried list positions."""
    bot, users = upgraded
    user = users[tid]
    case_id, number = RECORD["resolving"][str(tid)]["case_id"], RECORD["resolving"][str(tid)]["number"]
    message_id, label = old_message(tid, f"ca:ro:{case_id}:{index}")
    answer = await user.wait_for_callback_answer(await user.press(message_id, label))
    if is_stale(answer):  # then the person starts 办结 again from the card
        assert case(bot, case_id).outcome is None
        await user.send_text(f"/case {number}")
        card = await user.wait_for_message(predicate=has(f"📋 事项 {number}"))
        await user.press(card, "办结")
        ask = await user.wait_for_message(predicate=has("请选择办理结果"))
        await user.press(ask, label)
    agreement = await user.wait_for_message(predicate=has("请选择协议类型"))
    assert label in agreement.plain_text
    await user.press(agreement, "无协议")
    await user.wait_for_message(predicate=has("请输入办理结果"))
    await user.send_text("已向当事人说明情况")
    await user.wait_for_message(predicate=has("✅ 已办结"))
    resolved = case(bot, case_id)
    assert resolved.outcome == label and resolved.status == CaseStatus.resolved
    assert resolved.result == "已向当事人说明情况"


async def test_old_satisfaction_buttons_keep_their_meaning_or_are_stale(upgraded):
    """Three replied cases, each with its satisfaction buttons sent; button i is pressed on case i."""
    bot, users = upgraded
    director = users[1]
    for index, sent in enumerate(RECORD["satisfaction"]):
        message_id, label = old_message(1, f"case:sfl:{sent['case_id']}:{index}")
        answer = await director.wait_for_callback_answer(await director.press(message_id, label))
        after = case(bot, sent["case_id"])
        if is_stale(answer):
            assert after.satisfaction is None and after.status == CaseStatus.replied
        else:
            await director.wait_for_message(predicate=has(sent["number"]))
            assert after.satisfaction == label, (label, after.satisfaction)
            if label != "不满意":  # 不满意 sends the case back to be handled again
                assert after.status == CaseStatus.replied


# Each conversation's states in the order of their numbers (0, 1, 2 …) in the release above: PTB
# persisted these numbers, so a state keeps its number for good and a new one goes at the end.
STATES = {
    "admin": "TYPING",
    "baoan": "PROPOSE_LEADER PROPOSE_REASON PROPOSE_CONFIRM PLAN_TEXT PLAN_DATE EXTENSION_REASON EXTENSION_DATE "
             "EXTENSION_CONFIRM DONE_OUTCOME DONE_SUMMARY DONE_FILES DONE_JOINT REFUSE_REASON EXTENSION_NOTE",
    "calendar": "TYPING WAIT_FILE",
    "cases.actions": "PROGRESS TRANSFER_TO TRANSFER_REASON TRANSFER_CONFIRM RESOLVE_OUTCOME RESOLVE_AGREEMENT RESOLVE_SUMMARY "
                     "REPLY_METHOD REPLY_WHEN DECLINE_TEXT SEARCH_QUERY ASSIGN_NOTE",
    "deadlines": "REASON DATE CONFIRM REFUSE_NOTE",
    "duty": "WAIT_FILE",
    "info_report": "TYPING",
    "notices": "COLLECT PARTY_TEXT ACCEPT_CHOICE ACCEPT_NOTE REJECT_REASON REJECT_DATE REJECT_LEVEL CONFIRM "
               "REQUEST_TEXT DEPARTMENT CLOSE_NOTE",
    "report": "RESUME TYPE SEVERITY VILLAGE PLACE WHEN PARTIES PARTY_NAME PARTY_PHONE PARTY_ID COUNT DESCRIPTION "
              "FILES SUMMARY",
    "start": "NAME PHONE",
    "supervise": "CASE UNIT DUE LEVEL REQUIREMENTS FEEDBACK CC PREVIEW EDIT",
    "visit": "RESUME SOURCE NAME PHONE ID_NUMBER REQUEST CASE_TYPE VILLAGE SCOPE SEVERITY GUIDANCE CONFIRM",
}


@pytest.mark.parametrize("module", sorted(STATES))
def test_conversation_states_keep_their_numbers(module):
    steps = importlib.import_module(f"handlers.{module}").Step
    released = STATES[module].split()
    assert {s.name: s.value for s in steps if s.value < len(released)} == {n: i for i, n in enumerate(released)}
    assert [s.value for s in steps] == list(range(len(steps)))  # a new state went at the end


def test_each_short_state_name_is_its_member():
    """The handlers use the module-level names (`return TYPE`); each must be the member it names."""
    for module in STATES:
        handler_module = importlib.import_module(f"handlers.{module}")
        for step in handler_module.Step:
            assert getattr(handler_module, step.name) is step, (module, step.name)
