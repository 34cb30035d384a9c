"""Issue 14 in the training sandbox: a demo leader receives the morning digest when the clock moves
to the next working day, and a demo person gets the electronic case file of the archived demo case."""

import io
import zipfile

from docx import Document

from bot.sandbox import demo


def _has(*parts):
    return lambda m: all(p in (m.plain_text or "") for p in parts)


async def test_a_demo_leader_receives_the_morning_digest_on_the_next_working_day(sandbox):
    leader = sandbox.emu.user(demo.persona("刘海峰").telegram_id)
    await sandbox.advance("hour")  # Friday 10:00: the start day's digest counts as sent (quiet chats)
    assert not [m for m in sandbox.emu.chat_messages(leader.id) if "每日晨报" in (m.plain_text or "")]
    await sandbox.advance("workday")  # Monday 09:00 (START is a Friday)
    digest = await leader.wait_for_message(predicate=_has("📰 每日晨报"), timeout=15)
    # 西河村 is one of his villages: its overdue case is named, with a button to its card
    overdue = sandbox.town.numbers["overdue"]
    assert "🔴 红灯·已超期" in digest.plain_text and overdue in digest.plain_text
    assert f"🔴{overdue}" in digest.buttons and "🔕 不再接收每日晨报" in digest.buttons
    weekly = await leader.wait_for_message(predicate=_has("🗓 每周简报"), timeout=15)
    assert "上周新增" in weekly.plain_text


async def test_a_demo_person_gets_the_case_file_of_the_archived_case(sandbox):
    staff = sandbox.emu.user(demo.persona("孙丽").telegram_id)
    number = sandbox.town.numbers["archived"]
    await staff.send_text(f"/case {number}")
    card = await staff.wait_for_message(predicate=_has(f"📋 事项 {number}"), timeout=10)
    assert "状态：已归档" in card.plain_text
    await staff.press(card, "🗂 一案一档")
    sent = await staff.wait_for_message(predicate=lambda m: m.kind == "document", timeout=15)
    assert sent.protected
    archive = zipfile.ZipFile(io.BytesIO(sent.file_bytes()))
    form = Document(io.BytesIO(archive.read(f"{number}_案件档案.docx")))
    text = "\n".join(c.text for t in form.tables for r in t.rows for c in r.cells)
    assert "两户因排水沟堵塞发生争吵" in text and "调解成功" in text and "满意" in text


async def test_the_demo_director_hears_of_the_roster_gap_and_fills_it(sandbox):
    """The demo roster has no leader on call the day after tomorrow (Sunday, START being a Friday):
    in working hours 王志强 is told, and arranges it by the button."""
    director = sandbox.emu.user(demo.persona("王志强").telegram_id)
    await sandbox.advance("hour")
    warning = await director.wait_for_message(predicate=_has("值班表有空缺"), timeout=15)
    assert "11月29日（周日）：无带班领导" in warning.plain_text
    await director.press(warning, "📋 安排 11月29日")
    editor = await director.wait_for_message(predicate=_has("安排 11月29日 周日 的值班"), timeout=10)
    assert "带班：刘海峰" in editor.buttons
