"""PTB hands the persistence the data of everyone who sent an update at every interval, changed or
not: for an unchanged row no unit of work runs (on SQLite each one takes the write lock), a changed
row is written, and a restart reads what was written."""

import asyncio

from sqlalchemy import event

from bot.persistence import DatabasePersistence


def writes(db) -> list[object]:
    """The transactions begun on the database from now on."""
    seen = []
    event.listen(db.engine, "begin", seen.append)
    return seen


async def test_unchanged_user_data_is_not_written_again(db):
    persistence = DatabasePersistence(db)
    await persistence.get_user_data()
    seen = writes(db)
    await persistence.update_user_data(7, {"report": {"step": 3, "type": "邻里纠纷"}})
    assert len(seen) == 1
    await persistence.update_user_data(7, {"report": {"type": "邻里纠纷", "step": 3}})  # the same data
    assert len(seen) == 1
    await persistence.update_user_data(7, {"report": {"step": 4, "type": "邻里纠纷"}})
    assert len(seen) == 2
    after_restart = DatabasePersistence(db)
    assert (await after_restart.get_user_data())[7] == {"report": {"step": 4, "type": "邻里纠纷"}}
    seen.clear()
    await after_restart.update_user_data(7, {"report": {"step": 4, "type": "邻里纠纷"}})  # loaded: known
    assert seen == []


async def test_dropped_data_is_written_again_when_it_comes_back(db):
    persistence = DatabasePersistence(db)
    await persistence.update_chat_data(-100, {"group": 1})
    await persistence.drop_chat_data(-100)
    seen = writes(db)
    await persistence.update_chat_data(-100, {"group": 1})
    assert len(seen) == 1 and (await DatabasePersistence(db).get_chat_data()) == {-100: {"group": 1}}


async def test_an_intervals_changes_are_one_unit_of_work(db):
    """PTB gathers the interval's calls; they land together (one transaction), and a restart reads
    every one of them."""
    persistence = DatabasePersistence(db)
    await persistence.update_conversation("report", (5, 5), 3)
    seen = writes(db)
    await asyncio.gather(
        persistence.update_user_data(5, {"report": {"step": 2}}),
        persistence.update_user_data(6, {"visit": {"step": 1}}),
        persistence.update_chat_data(5, {"menu": 1}),
        persistence.update_conversation("report", (5, 5), 4),
        persistence.update_conversation("visit", (6, 6), 1),
        persistence.update_conversation("report", (7, 7), None),
    )
    assert len(seen) == 1
    again = DatabasePersistence(db)
    assert await again.get_user_data() == {5: {"report": {"step": 2}}, 6: {"visit": {"step": 1}}}
    assert await again.get_chat_data() == {5: {"menu": 1}}
    assert await again.get_conversations("report") == {(5, 5): 4}
    assert await again.get_conversations("visit") == {(6, 6): 1}
    seen.clear()
    await asyncio.gather(persistence.update_conversation("report", (5, 5), None),
                         persistence.drop_user_data(6))
    assert len(seen) == 1
    assert await again.get_conversations("report") == {}
    assert 6 not in await again.get_user_data()


async def test_a_batch_is_a_few_statements_and_the_later_write_to_a_row_wins(db):
    """Forty changes of an interval are one upsert per table (not a read and a write per row); of two
    changes to one row in a batch, the later is what a restart reads."""
    persistence = DatabasePersistence(db)
    statements = []
    event.listen(db.engine, "before_cursor_execute", lambda conn, cursor, sql, *a: statements.append(sql))
    await asyncio.gather(
        *(persistence.update_user_data(uid, {"report": {"step": uid}}) for uid in range(20)),
        *(persistence.update_conversation("report", (uid, uid), 2) for uid in range(20)),
        persistence.update_conversation("report", (3, 3), None),  # after its 2: dropped
        persistence.update_conversation("report", (4, 4), 5),  # after its 2: 5
    )
    assert len([s for s in statements if not s.lstrip().upper().startswith(("BEGIN", "COMMIT"))]) == 3
    again = DatabasePersistence(db)
    conversations = await again.get_conversations("report")
    assert (3, 3) not in conversations and conversations[(4, 4)] == 5 and conversations[(5, 5)] == 2
    assert (await again.get_user_data())[19] == {"report": {"step": 19}}
