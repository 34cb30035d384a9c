"""The demo township's 社会治安形势分析: last month's, submitted, is read by the party secretary; the
敏感时期 draft the bot made is found by 王志强, who writes its parts and submits it."""

from bot.sandbox import demo, demo_situation


def _has(*parts):
    return lambda m: all(p in (m.plain_text or "") for p in parts)


async def test_the_demo_secretary_reads_last_months_analysis(sandbox):
    secretary = sandbox.emu.user(demo.persona("陈建国").telegram_id)
    await secretary.send_text("/analysis")
    listing = await secretary.wait_for_message(timeout=10, predicate=_has("社会治安形势分析", "已报送"))
    assert not any(b.startswith("📝") or b.startswith("➕") for b in listing.buttons)  # he reads, the center writes
    await secretary.press(listing, next(b for b in listing.buttons if b.startswith("✅")))
    await secretary.wait_for_message(timeout=10, predicate=_has(demo_situation.WRITTEN["measures"][:20], "报送：王志强"))


async def test_the_demo_director_writes_and_submits_the_sensitive_period_analysis(sandbox):
    boss = sandbox.emu.user(demo.persona("王志强").telegram_id)
    await boss.send_text("/analysis")
    listing = await boss.wait_for_message(timeout=10, predicate=_has("待报送"))
    await boss.press(listing, next(b for b in listing.buttons if "敏感时期" in b))
    shown = await boss.wait_for_message(timeout=10, predicate=_has("敏感时期社会治安形势分析", "（待填写）"))
    for label, text in (("✏️ 形势分析", "敏感时期辖区社会治安总体平稳，未发现不稳定因素。"),
                        ("✏️ 采取的措施及成效", "落实每日零报告和领导带班，重点人员稳控到位。"),
                        ("✏️ 下步工作", "继续加强重点人员稳控和矛盾纠纷排查。")):
        await boss.press(shown, label)
        await boss.wait_for_message(timeout=10, predicate=_has("发送 /cancel 取消"))
        await boss.send_text(text)
        shown = await boss.wait_for_message(timeout=10, predicate=_has("已保存"))
    await boss.press(shown, "📤 报送党委")
    await boss.wait_for_message(timeout=10, predicate=_has("已报送党委", "报送：王志强"))
