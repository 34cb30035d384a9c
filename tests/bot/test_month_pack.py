"""The month pack (月度材料) through the chat: on the 1st from 08:30 the director gets last month's
statistics (.xlsx and .docx) and every ledger, protected; the party committee's group gets the
figures alone; once, even after a restart; a leader gets none; switched off, the director gets none."""

import io
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.services import ledgers, month_pack, stats
from bot.sweeps import sweep_all
from bot.texts import ledgers as ledger_words
from models import GroupChat, Person
from tests.bot.harness import BotHarness
from tests.bot.steps import local, tap
from tests.factories import Township

DIRECTOR, LEADER = 1, 3
GROUP_ID = -1001234567000
FILES = 2 + len(ledger_words.TITLES)  # the two statistics files and one per ledger
PARTY = "赵大"  # the party of every test case (tests/factories.py): never in the group's message


@pytest.fixture
async def bot(db_url, clock):
    harness = BotHarness(db_url=db_url, clock=clock, digests=True)
    await harness.start()
    yield harness
    await harness.stop()


@pytest.fixture
async def town(bot):
    town = Township.build(bot.db, bot.clock).with_users(bot, {DIRECTOR: "王主任", LEADER: "刘领导"})
    town.submit(description="东山村两户因排水沟发生争吵")  # Monday 30 November: last month on the 1st
    town.submit(description="东山村物业纠纷")
    with bot.db.session() as s:
        s.add(GroupChat(chat_id=GROUP_ID, title="镇党委", purpose="party_committee"))
    bot.emu.group(GROUP_ID, "镇党委工作群", members=[town.user(DIRECTOR)])
    await town.greet()
    await town.delivered()
    return town


async def at(bot, town, moment) -> None:
    bot.clock.set(moment)
    await sweep_all(bot.app)
    await town.delivered(timeout=20)


def documents(user) -> list:
    return [m for m in user.messages() if m.kind == "document"]


def group_texts(bot) -> list[str]:
    return [m.plain_text for m in bot.emu.chat_messages(GROUP_ID) if m.sender.is_bot]


async def test_the_director_gets_the_month_pack_on_the_first_and_the_group_the_figures(bot, town):
    director, leader = town.user(DIRECTOR), town.user(LEADER)
    await at(bot, town, local(2026, 12, 1, 8, 29))
    assert documents(director) == [] and group_texts(bot) == []

    await at(bot, town, local(2026, 12, 1, 8, 30))
    docs = {d.file.file_name: d for d in documents(director)}  # the sender may deliver them in any order
    stats_names = ["2026年11月统计表（全镇）.xlsx", "2026年11月分析报告（全镇）.docx"]
    ledger_names = [f"{title}_20261101-20261130.xlsx" for title in ledger_words.TITLES.values()]
    assert sorted(docs) == sorted(stats_names + ledger_names)
    assert all(d.protected for d in docs.values())
    assert f"2026年11月的统计和台账（共 {FILES} 个文件）" in docs[stats_names[0]].plain_text
    assert docs[ledger_names[-1]].buttons == ["🔕 不再接收月度材料"]

    table = load_workbook(io.BytesIO(docs[stats_names[0]].file_bytes())).active
    counts = {row[1]: row[2] for row in table.iter_rows(values_only=True) if isinstance(row[0], int)}
    assert counts["登记"] == 2
    Document(io.BytesIO(docs[stats_names[1]].file_bytes()))  # opens
    ledger = load_workbook(io.BytesIO(docs[ledger_names[0]].file_bytes())).active
    rows = [r for r in ledger.iter_rows(values_only=True) if isinstance(r[0], int)]
    assert len(rows) == 2 and any(PARTY in str(c) for r in rows for c in r)  # the director sees names

    [figures] = group_texts(bot)
    assert "2026年11月统计（全镇）" in figures and "登记 2" in figures
    assert PARTY not in figures and "排水沟" not in figures  # aggregates only
    assert documents(leader) == []  # the pack is the director's

    await bot.restart()
    await at(bot, town, local(2026, 12, 1, 10, 0))
    await at(bot, town, local(2026, 12, 2, 8, 30))
    assert len(documents(director)) == FILES and len(group_texts(bot)) == 1


async def test_switched_off_the_director_gets_no_pack(bot, town):
    director = town.user(DIRECTOR)
    await at(bot, town, local(2026, 12, 1, 8, 30))
    [last] = [d for d in documents(director) if d.buttons]
    await tap(director, last, "🔕 不再接收月度材料", "已关闭月度材料")
    await at(bot, town, local(2027, 1, 1, 8, 30))  # 元旦 too: the pack is not a working-day digest
    assert len(documents(director)) == FILES
    assert len(group_texts(bot)) == 2  # the group's figures do not depend on the director's switch


def test_each_ledger_of_the_pack_is_built_for_its_reader_over_the_whole_month():
    reader = Person(id=42, name="王主任")
    refs = [ledgers.from_ref(r) for r in month_pack.documents_for(reader, stats.Period.month(2026, 2))[2:]]
    assert {r[0] for r in refs} == set(ledgers.Kind) and {r[2] for r in refs} == {42}
    assert {(r[1].start, r[1].end) for r in refs} == {(date(2026, 2, 1), date(2026, 2, 28))}
