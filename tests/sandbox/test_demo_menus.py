"""Every demo person's menu holds only what answers them: each command in it, sent in the running
sandbox, gets an answer that is not a refusal (a command that refuses has no place in the menu)."""

import asyncio

from bot import texts
from bot.sandbox import demo

REFUSALS = ("没有权限", "无权", "仅供")


async def answers_to_the_menu(sandbox, persona: demo.Persona) -> dict[str, str]:
    user = sandbox.emu.user(persona.telegram_id)
    menu = [c["command"] for c in sandbox.emu.bot_commands(scope={"type": "chat", "chat_id": persona.telegram_id})]
    answers = {}
    for command in [c for c in menu if c != "cancel"]:
        seq = max((m.seq for m in user.messages()), default=0)
        await user.send_text(f"/{command}")
        try:
            await user.wait_for_message(timeout=15)
        except TimeoutError:
            raise AssertionError(f"{persona.name} /{command}: no answer") from None
        await asyncio.sleep(0.2)  # a command may answer with more than one message
        answers[command] = "\n".join(m.plain_text or m.caption or "" for m in user.messages() if m.from_bot and m.seq > seq)
        await user.send_text("/cancel")
        await user.wait_for_message(timeout=15)  # whatever /cancel says in this flow
    return answers


async def test_every_menu_command_answers_its_person(sandbox):
    answers = await asyncio.gather(*(answers_to_the_menu(sandbox, p) for p in demo.PERSONAS))
    by_name = dict(zip((p.name for p in demo.PERSONAS), answers, strict=True))
    refused = {(name, command): text[:60] for name, menu in by_name.items() for command, text in menu.items()
               if any(word in text for word in REFUSALS)}
    assert refused == {}
    assert all(len(menu) >= 5 for menu in by_name.values())
    # The narrower rules: 周明 (no contact point) has no /stats, 刘海峰 (a contact point) has; a grid
    # worker has no 督办通知书, while 郑红 (镇派出所) and the village head 何永福 (a 承办人员 a notice may
    # be addressed to) have; the senders of 传达 have /announce.
    assert "stats" not in by_name["周明"] and "stats" in by_name["刘海峰"]
    assert "supervisions" not in by_name["张伟"] and "supervisions" in by_name["郑红"]
    assert "supervisions" in by_name["何永福"]
    assert "announce" in by_name["孙丽"] and "announce" not in by_name["张伟"]
    # Each one's /help is their menu in sections, each command once, no section left empty.
    for name, menu in by_name.items():
        lines = menu["help"].splitlines()
        listed = [line.split(" — ")[0].lstrip("/") for line in lines if line.startswith("/")]
        assert sorted(listed) == sorted([*menu, "cancel"]), name
        titles = [title for title, names in texts.HELP_SECTIONS if set(names) & set(listed)]
        assert [line for line in lines if line in dict(texts.HELP_SECTIONS)] == titles, name


async def test_a_press_that_changes_nothing_says_so_in_the_sandbox(sandbox):
    """A trainee pressing the list tab already shown is told so, not left wondering."""
    sun_li = sandbox.emu.user(demo.persona("孙丽").telegram_id)
    await sun_li.send_text("/mycases")
    listing = await sun_li.wait_for_message(predicate=lambda m: "我的事项" in (m.plain_text or ""), timeout=15)
    current = next(b for b in listing.buttons if b.startswith("• "))
    answer = await sun_li.wait_for_callback_answer(await sun_li.press(listing, current))
    assert answer.text == texts.UNCHANGED


async def test_the_director_sees_the_running_status_in_the_sandbox(sandbox):
    """/admin 🩺 运行状况: what the IT office's /healthz says, for a trainee admin to try."""
    from bot.texts import ops

    wang = sandbox.emu.user(demo.persona("王志强").telegram_id)
    await wang.send_text("/admin")
    menu = await wang.wait_for_message(predicate=lambda m: ops.STATUS_BUTTON in m.buttons, timeout=15)
    await wang.press(menu, ops.STATUS_BUTTON)
    shown = await wang.wait_for_message(predicate=lambda m: "运行状况（" in (m.plain_text or ""), timeout=15)
    lines = shown.plain_text.splitlines()
    assert lines[1] == ops.STATUS_INSTANCE["sqlite"] and lines[-1] == ops.STATUS_TEXTS_KEPT
    assert lines[2].startswith("数据库大小：") and lines[4] == ops.STATUS_DEAD_NONE and lines[5].startswith("定时任务：")
